"""Grounded answers: quotes come verbatim from the cited unit, drafts are flagged, weak evidence abstains."""
from __future__ import annotations

import pytest

from qa.answer import asks, best_quote, is_multi_part, not_covered
from qa.question import analyse


def _assert_grounded(engine, result) -> None:
    for citation in result.citations:
        unit = engine.corpus.unit(citation.id)
        assert citation.text == unit.text
        assert citation.label == unit.label
        if citation.quote is not None:
            assert citation.quote in unit.text


def test_best_quote_picks_the_item_that_answers(engine) -> None:
    unit = engine.corpus.unit("xj-measures:a53")
    cited, quote = best_quote(engine.corpus, engine.ranker, analyse("占用永久基本农田以外的耕地罚款标准", engine.corpus), unit)
    assert cited.id == "xj-measures:a53.k1.x2"
    assert quote == cited.text and "三百元以上五百元以下" in quote


def test_statute_answer_quotes_and_cites_down_to_the_item(engine) -> None:
    result = engine.ask("开发荒地超过130公顷谁批")
    assert not result.abstained
    assert "自治区人民政府" in result.answer
    assert any(c.id.startswith("xj-measures:a19") for c in result.citations)
    _assert_grounded(engine, result)


def test_answer_from_a_draft_says_it_is_a_draft(engine) -> None:
    result = engine.ask("巴楚县2025年住宅用地供应多少公顷")
    assert not result.abstained
    assert "32.29公顷" in result.answer
    assert result.citations[0].status == "征求意见稿"
    assert any("征求意见稿" in w for w in result.warnings)
    _assert_grounded(engine, result)


@pytest.mark.parametrize(
    "question",
    ["离婚后房产怎么分割", "个人所得税税率是多少", "劳动合同试用期最长多久", "北京市宅基地面积标准是多少", "巴楚县2026年供地计划住宅用地多少"],
)
def test_questions_outside_the_texts_abstain_with_nearest_units(engine, question: str) -> None:
    result = engine.ask(question)
    assert result.abstained, result.answer
    assert result.reason
    assert result.citations  # the nearest units, for the user to read
    _assert_grounded(engine, result)


def test_a_compound_the_texts_print_below_the_head_of_the_ranking_is_no_foreign_word(engine) -> None:
    # the head of the ranking is 盐碱耕地 projects, a plan box further down prints 盐碱地 itself: in the texts
    result = engine.ask("规划里对盐碱地是咋提的？")
    assert result.answer_kind == "answered", result.answer
    # a compound no unit prints (印花税) still marks another field of law
    assert engine.ask("国有建设用地使用权抵押要交多少印花税？").answer_kind == "out_of_scope"


def test_a_text_named_by_its_kind_for_another_place_is_not_that_places(engine) -> None:
    # the only 供应计划 is 巴楚县's: 伊犁州's is not in the texts, and 巴楚's figures are not 伊犁's
    result = engine.ask("伊犁州今年的国有建设用地供应计划总量是多少公顷")
    assert result.answer_kind == "out_of_scope" and result.reason_code == "other_place", result.answer
    assert "383.73" not in result.answer.split("可参考")[0]
    # a place containing the text's own may mean it
    assert engine.ask("喀什的供地计划里住宅用地多少").answer_kind == "answered"


def test_a_message_is_in_scope_when_one_of_its_parts_is(engine) -> None:
    # the whole message's words are poorly found, the first part's are found: answered part by part
    result = engine.ask("征地报批前，哪几项钱必须先落实到位？批下来以后征收公告由谁发？")
    assert result.answer_kind == "answered", result.answer
    assert "社会保障费用" in result.answer


def test_a_part_about_another_field_of_law_is_not_quoted_loosely(engine) -> None:
    result = engine.ask("个人所得税怎么交？宅基地每户最多多大？")
    first, second = (line for line in result.answer.split("\n") if line.startswith(("（1）", "（2）")))
    assert "没有相应规定" in first and "依据" not in first
    assert "第三十九条" in second


def test_an_authority_rule_that_names_another_act_does_not_answer(engine) -> None:
    # 第二十三条第一款第（一）项 says who approves a state project's use of unused land, not where it is filed;
    # (二) files 州 approvals with 自治区, which is another case
    result = engine.ask("国家审批的重点项目占了规划里的未利用地，自治区批完以后还要报哪里备案？")
    assert result.answer_kind == "not_stated" and result.reason_code == "act_not_stated", result.answer
    assert result.citations[0].id == "xj-measures:a23.k1.x1"
    # the same rule answers who approves, and a filing its provision states
    assert engine.ask("县里审批的项目占用未利用地谁批准").answer_kind == "answered"
    assert "报自治区人民政府备案" in engine.ask("州里审批的项目占未利用地，批完报哪里备案？").answer


def test_a_part_opening_with_its_predicate_is_asked_of_the_subject_before(engine) -> None:
    # "占全地区国土面积的百分之几" says no subject: it is the 生态保护红线's share (31.52%), not the share of the
    # 自然保护地 the next sentence of the plan gives (17.24%)
    result = engine.ask("生态红线：喀什初步划了多大、占全地区国土面积多少？")
    second = next(line for line in result.answer.split("\n") if line.startswith("（2）"))
    assert "31.52%" in second and "17.24%" not in second, second
    # a part opening with a verb of its own subject (占用未利用地) is not such a part
    result = engine.ask("县里农转用和占用未利用地的审批权限分别是啥")
    assert "第二十三条" in next(line for line in result.answer.split("\n") if line.startswith("（2）"))


def test_explicit_reference_is_answered_even_when_short(engine) -> None:
    result = engine.ask("第五十九条")
    assert not result.abstained
    assert result.citations[0].id == "xj-measures:a59"
    assert "2022年11月1日" in result.answer


def test_a_figure_the_texts_do_not_give_is_refused_not_guessed(engine) -> None:
    result = engine.ask("自治区土地资源十四五规划定的永久基本农田保护面积是多少万亩")
    assert result.abstained
    assert "面积" in result.reason


def test_a_figure_the_texts_give_in_chinese_numerals_is_answered(engine) -> None:
    result = engine.ask("宅基地申请公示要几天")
    assert not result.abstained
    assert "十日" in result.answer


@pytest.mark.parametrize(
    ("question", "multi"),
    [
        ("宅基地申请公示几天", False),
        ("宅基地怎么申请、公示要多久", True),
        ("县级国土空间总体规划谁编谁批", True),
        ("城镇开发边界的管控，新疆规划和喀什规划一样吗", True),
    ],
)
def test_questions_asking_two_things_are_recognised(corpus, question: str, multi: bool) -> None:
    assert is_multi_part(analyse(question, corpus)) is multi


def test_a_part_a_computation_gives_is_not_called_unstated(corpus) -> None:
    from qa.answer import compose
    from qa.decide import Binding

    analysis = analyse("巴楚供地计划是哪天开始的，今天是2025年9月1日，还有多少天到期？", corpus)
    assert analysis.is_multi_part
    bindings = [Binding(kind="answered", reason_code="computed") for _ in analysis.parts]
    text = compose(corpus, analysis, ["计划期限…还有121天"], [], bindings, [])
    assert "见上方计算" in text and "文件没有规定" not in text


def test_a_value_a_rule_finds_missing_is_explained_in_the_not_stated_answer(engine) -> None:
    # 表1's 2025 column says 落实自治区下达目标 for both rows: the answer says so, not only that nothing is stated
    result = engine.ask("喀什2025年耕地保有量比永久基本农田保护面积多多少万亩？")
    assert result.answer_kind == "not_stated"
    assert "说明：" in result.answer and "落实自治区下达目标" in result.answer.split("最接近的规定")[0]


def test_a_rule_for_two_ecological_lands_says_nothing_of_the_third(engine) -> None:
    # 第三十七条 has 林业和草原主管部门 issue the 审核同意书 for 林地、草地: 湿地 is not stated
    assert engine.ask("建设项目占用湿地要先找哪个部门出审核同意书？").answer_kind == "not_stated"
    assert engine.ask("建设项目占用草地要先找哪个部门出审核同意书？").answer_kind == "answered"


def test_a_question_form_is_no_foreign_word(engine) -> None:
    # 是不是 is printed nowhere in the texts, but it asks: it does not make its part another field of law's
    assert asks("是不是") and asks("多少钱") and not asks("审核同意书")
    part = analyse("建设项目要占一片湿地，是不是也要像占林地草地那样先找哪个部门出审核同意书？", engine.corpus)
    ranked = engine.ranker.rank(part.text, part.route, lexical_query=part.search_text, limit=64)
    assert not not_covered(engine.ranker, part, ranked)


def test_moving_a_house_is_not_misusing_money(engine) -> None:
    # 挪 moves money (挪用, forbidden by 第三十五条第二款) or a house: only money words make it 挪用
    assert not engine.ask("宅基地上的房子能不能挪到村口去？").answer.startswith("结论：不可以")
    assert engine.ask("征地补偿款能不能挪去还村里的债").answer.startswith("结论：不可以")


def test_a_unit_printing_another_plan_period_is_about_that_one(engine) -> None:
    # the 十四五 plan's review of 十三五 (供应国有建设用地0.98万公顷) does not answer what 十四五 will supply
    result = engine.ask("喀什十四五期间要供应多少建设用地？折合多少亩")
    first, second = (line for line in result.answer.split("\n") if line.startswith(("（1）", "（2）")))
    assert "2.96万公顷" in first and "0.98万公顷" not in first
    # a part that is only its predicate ("折合多少亩") is the part before's subject
    assert "44.35万亩" in second
