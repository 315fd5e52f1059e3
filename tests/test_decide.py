"""The decision: a passage must bind the asked kind of value to the asked subject; yes/no gets a grounded verdict."""
from __future__ import annotations

import pytest

from qa.decide import asked_before, passages, said_not, sentences, slot_value_pattern, verdict_of
from qa.question import analyse


def test_passages_are_verbatim_sentences_of_the_finest_parts(corpus) -> None:
    article = corpus.unit("xj-measures:a53")
    pieces = passages(corpus, article)
    assert pieces
    for unit, text in pieces:
        assert text in unit.text
        assert unit.id == article.id or unit.id.startswith("xj-measures:a53.")


@pytest.mark.parametrize(
    ("question", "states", "does_not_state"),
    [
        ("多少天内要起诉", "自接到处理决定通知之日起三十日内", "由县级人民政府处理"),
        ("由哪个部门批准", "报自治区人民政府批准", "公示时间不少于十日"),
        ("每平方米罚多少钱", "处每平方米三百元以上五百元以下罚款", "公示时间不少于十日"),
        # the act nearest the question word is the one asked about: approving, not drafting
        ("方案编好以后报哪一级政府批准", "报自治区人民政府批准", "县（市）人民政府组织编制耕地进出平衡总体方案"),
        ("方案由谁编制，编好以后报批", "县（市）人民政府组织编制耕地进出平衡总体方案", "公示时间不少于十日"),
        # a level of government named alone decides too
        ("子项目由谁验收", "在涉及的子项目经自治区验收后", "子项目实施完成后"),
        # a role named before the question word: only a passage naming that role answers
        ("克孜河治理工程的设计单位是哪家", "设计单位：某设计院", "项目单位：喀什市自然资源局"),
        # deciding includes 研究确定 ("由…决策机构集体研究确定")
        ("供应计划调整由谁决定", "由国有建设用地供应计划编制协调决策机构集体研究确定后", "规范有序地供应土地"),
        # how many kinds: an enumeration answers as well as a number
        ("国土空间规划有几种", "国土空间规划包括总体规划、详细规划和相关专项规划", "下级国土空间规划应当符合上级国土空间规划"),
        # when: a calendar date, or a time relative to an event
        ("社保费用什么时候存入专户", "提出征收土地申请前，应当将社会保障费用足额存入", "社会保障费用预存制度"),
        # when next: a frequency answers; a past date does not
        ("测量标志下一次普查是哪年", "每五年1次测量标志普查维修", "2022年7月29日新疆维吾尔自治区第十三届人民代表大会常务委员会第三十四次会议修订"),
        # how often: a frequency answers as well as a number of days
        ("耕地保护责任目标多久考核一次", "县级以上人民政府应当每年对下一级人民政府耕地保护责任目标落实情况进行考核", "负总责"),
    ],
)
def test_slot_values(corpus, question: str, states: str, does_not_state: str) -> None:
    pattern = slot_value_pattern(analyse(question, corpus))
    assert pattern is not None
    assert pattern.search(states)
    assert not pattern.search(does_not_state)


def test_a_verdict_rests_on_a_prohibiting_clause(engine) -> None:
    result = engine.ask("在永久基本农田上种果树发展林果业可以吗？")
    assert result.answer_kind == "answered"
    assert "不可以" in result.answer
    assert any(c.id.startswith("xj-measures:a16") and c.quote and "严禁" in c.quote for c in result.citations)


def test_a_multi_part_question_quotes_each_part(engine) -> None:
    result = engine.ask("巴楚县2025年商服用地和交通运输用地分别计划供应多少公顷？")
    assert result.answer_kind == "answered"
    assert "14.19" in result.answer and "7.44" in result.answer
    assert "（1）" in result.answer and "（2）" in result.answer


def test_another_region_is_out_of_scope(engine) -> None:
    result = engine.ask("江苏省临时用地最长几年？")
    assert result.abstained and result.answer_kind == "out_of_scope" and result.reason_code == "other_region"


def test_follow_up_through_history(engine) -> None:
    history = [{"role": "user", "content": "未经批准占用300平方米一般耕地罚多少？"}, {"role": "assistant", "content": "……"}]
    result = engine.ask("那永久基本农田呢？", history=history)
    assert result.resolved_question == "未经批准占用300平方米永久基本农田罚多少？"
    assert "理解为" in result.answer
    assert "15万元至30万元" in result.answer


def test_a_question_about_one_region_is_not_answered_with_another_regions_rule(engine) -> None:
    for question in ("石嘴山有人擅自占用耕地盖厂房，怎么处罚？", "宁夏非法占用基本农田的罚款标准是什么？"):
        result = engine.ask(question)
        assert result.abstained, result.answer  # never Xinjiang's 第五十三条 as the answer for Ningxia
        assert result.answer_kind in ("not_stated", "out_of_scope")
        assert result.citations  # the nearest units, for reference only


def test_a_fee_the_texts_do_not_give_is_not_stated(engine) -> None:
    result = engine.ask("申请临时用地要交多少手续费？")
    assert result.abstained and result.answer_kind == "not_stated"


def test_the_verdict_comes_from_the_clause_that_speaks_of_the_act(engine) -> None:
    # 第三十五条 forbids withholding compensation; 第三十条 only says it must be paid in three months
    result = engine.ask("镇里打算截留一部分征收土地补偿费用，允许吗？")
    assert result.answer.startswith("结论：不可以"), result.answer
    assert any(c.quote and "截留" in c.quote for c in result.citations)


def test_must_asked_of_a_may_clause_is_not_must(engine) -> None:
    # "必须…吗" answered by a clause that says 可以: the texts leave it to the body, they do not oblige it
    result = engine.ask("有利害关系的个人申请听证，政府必须组织听证吗？")
    assert result.answer_kind == "answered"
    assert "不是必须" in result.answer
    assert any(c.id.startswith("xj-measures:a26") for c in result.citations)


def test_a_which_ones_question_is_answered_with_the_list(engine) -> None:
    # "哪几种" asks which, not how many: the clause that names them answers without stating a count
    result = engine.ask("城乡公示地价体系由哪几种地价组成？")
    assert result.answer_kind == "answered"
    assert "基准地价" in result.answer and "标定地价" in result.answer


def test_a_rule_short_of_an_input_does_not_ask_back_for_what_was_not_asked(engine) -> None:
    # asked who decides; the 公示 period rule would need a start date, and that is not the question
    result = engine.ask("宅基地公示的时候有村民不同意，找谁处理？")
    assert not any(c.missing for c in result.computations)
    assert "请提供起算日期" not in result.answer


def test_a_short_clause_is_quoted_whole(engine) -> None:
    # the 款 says what follows for two degrees of the same conduct; one sentence of it is half the answer
    result = engine.ask("土地管理部门的工作人员滥用职权，会受到什么处理？")
    quotes = [c.quote for c in result.citations if c.quote and c.id.startswith("xj-measures:a57")]
    assert quotes and "处分" in quotes[0] and "刑事责任" in quotes[0]


def test_a_colloquial_yes_no_question_gets_the_prohibiting_verdict(engine) -> None:
    # none of 拿去/修/办公楼 is in the texts, so word coverage is low; the clause on the subject's own term decides
    result = engine.ask("乡里想把一部分土地补偿费拿去修办公楼，可以吗？")
    assert result.answer_kind == "answered"
    assert "不可以" in result.answer
    assert any(c.id.startswith("xj-measures:a35") for c in result.citations)


def test_a_yes_no_question_is_decided_by_the_clause_on_the_act_asked(engine) -> None:
    # the story (500公顷, 果树) is about 第十九条第一款; the act asked (拆成小项目分别报批) is 第二款's 严禁拆分审批
    result = engine.ask("我们想开发国有荒山500公顷种果树，可以拆成几个小项目分别报县里批吗？")
    assert result.answer_kind == "answered"
    assert result.answer.startswith("结论：不可以")
    assert any(c.id == "xj-measures:a19.k2" and c.quote for c in result.citations)


def test_only_after_a_condition_is_not_a_plain_yes(engine) -> None:
    # "…足额落实到位后，方可提出土地征收申请": asked whether one may apply before, the answer is the condition
    result = engine.ask("补偿费用还没落实，能不能先报征收申请？")
    assert "方可" in result.answer and "须先满足" in result.answer
    assert not result.answer.startswith("结论：是")


def test_a_figure_the_table_does_not_break_down_is_not_stated(engine) -> None:
    # the plan lists 住宅用地 as a whole; a part of it is not stated, and the whole row is no answer for the part
    result = engine.ask("巴楚县2025年住宅用地中保障性住房用地安排多少公顷？")
    assert result.answer_kind == "not_stated" and result.abstained
    assert result.reason_code in {"value_not_stated", "quantity_not_stated"}
    assert all(c.value is None for c in result.computations)


def test_an_items_title_is_not_quoted_alone(corpus) -> None:
    # "（二）…调剂工程。" only names the item; the passage goes on to what is done
    item = corpus.unit("xj-plan:h4.i2")
    texts = [text for _, text in passages(corpus, item)]
    title = "（二）城乡建设用地增减挂钩节余指标跨省域调剂工程。"
    assert title not in texts
    assert any(text.startswith(title) and "东西部协作" in text for text in texts)


def test_a_rule_short_of_an_input_asks_for_it_instead_of_saying_not_stated(engine) -> None:
    # one 开垦费 rate written between two plots: the rule cannot tell whose it is and asks; the texts do state the rule
    result = engine.ask("在永久基本农田上挖砂毁了2亩，开垦费每亩2万元，在一般耕地上取土毁了1亩，罚款范围多少？")
    assert result.answer_kind == "answered"
    assert "没有规定问题所问" not in result.answer
    assert any(c.rule == "xj.a54.destruction_fine" and c.missing and c.value is None for c in result.computations)


def test_a_multi_part_question_is_not_confined_to_the_text_one_part_names(engine) -> None:
    # part one names the Bachu plan; part two asks about 喀什 in 十三五, which the 喀什 plan reviews
    result = engine.ask("闲置土地巴楚计划怎么处理，喀什十三五处置了多少")
    assert result.answer_kind == "answered" and result.reason_code is None


def test_a_modal_word_about_another_act_gives_no_verdict(engine) -> None:
    # the case's figures (300公顷, 30公顷以下) are not the act; the act (拆成小项目分别报批) is 第十九条第二款's 严禁拆分审批,
    # and 第一款's "应当符合国土空间规划" must never answer it with "是"
    result = engine.ask("我们打算开发国有荒地300公顷种葡萄，能不能拆成十来块、每块不到30公顷的小项目分头报县里批？")
    assert result.answer.startswith("结论：不可以")
    assert "结论：是" not in result.answer


def test_a_table_computation_cites_the_row_before_the_header(engine) -> None:
    result = engine.ask("喀什2020年城乡建设用地总规模有多大？")
    ids = [c.id for c in result.citations]
    assert "kashgar-plan:t1.r3" in ids
    assert "kashgar-plan:t1" not in ids or ids.index("kashgar-plan:t1.r3") < ids.index("kashgar-plan:t1")


def test_a_rule_that_read_the_case_keeps_a_colloquial_question_in_scope(engine) -> None:
    # 羊圈, 老张, 没批 are not the texts' words; the fine rule read the plot and shows both readings of 水浇地
    result = engine.ask("村民老张在自家承包的水浇地上盖了个羊圈，占地300平方米，没批，按新疆办法罚多少？")
    assert result.answer_kind == "answered"
    assert "9万元至15万元" in result.answer and "15万元至30万元" in result.answer
    # another province stays out of scope even though the rule read the plot
    assert engine.ask("广西非法占用耕地300平方米罚多少钱？").answer_kind == "out_of_scope"


def test_a_period_stated_for_another_step_does_not_answer(engine) -> None:
    # "公示时间不少于十日" is the 公示's period, not how long the 乡 takes to decide
    assert engine.ask("宅基地申请交上去，乡里多长时间给答复？").answer_kind == "not_stated"
    assert engine.ask("宅基地申请公示几天？").answer_kind == "answered"


def test_one_verb_is_no_act_to_decide_a_yes_no_question_by(engine) -> None:
    result = engine.ask("我们县想把一块永久基本农田调出来搞工业园，县政府自己能批吗？")
    assert "结论：是" not in result.answer and "结论：可以" not in result.answer


def test_a_comparison_says_which_text_is_silent(engine) -> None:
    result = engine.ask("宅基地面积标准新疆和宁夏一样吗？")
    lines = [line for line in result.answer.split("\n") if line.startswith("（")]
    assert lines[0].startswith("（1）宅基地面积标准新疆") and "第三十九条" in lines[0]
    assert lines[-1].startswith("（2）宅基地面积标准宁夏") and "没有相应规定" in lines[-1]


def test_comparison_and_framing_words_are_not_the_matter(engine) -> None:
    # "对于…", "有什么不同" are no words the texts must contain: the question is not refused for them
    assert engine.ask("对于耕地保护，新疆办法和宁夏意见有什么不同").answer_kind == "answered"


def test_an_act_the_texts_never_name_gets_no_verdict(engine) -> None:
    # the texts say nothing of inheriting a homestead: a 应当 clause about homesteads must not answer "是"
    result = engine.ask("新疆农村宅基地使用权可以继承吗？")
    assert "结论：是" not in result.answer and "结论：可以" not in result.answer and "结论：不可以" not in result.answer


def test_a_computation_of_another_kind_does_not_answer_who(engine) -> None:
    history = [{"role": "user", "content": "未经批准占用永久基本农田1000平方米罚多少？"}, {"role": "assistant", "content": "50万元至100万元"}]
    result = engine.ask("由谁来处罚？", history=history)
    assert result.answer_kind == "not_stated" and result.reason_code == "authority_not_stated"


def test_an_only_after_clause_answers_only_a_question_about_acting_before(engine) -> None:
    # "…到位后，方可提出土地征收申请" says nothing on spending 安置补助费 on an office building
    result = engine.ask("村里想把一部分安置补助费拿去盖村委会的房子，可以吗？")
    assert "须先满足" not in result.answer and "结论：是" not in result.answer


@pytest.mark.parametrize(
    "question",
    [
        "农村一户能有两处宅基地吗？",  # "应当…一户一宅" is a duty, not an answer to whether one may
        "巴楚县2025年供地计划是正式文件吗？",  # what something is: no 可以/应当 clause answers it
    ],
)
def test_a_modal_clause_of_another_kind_gives_no_verdict(engine, question: str) -> None:
    first = engine.ask(question).answer.split("\n")[0]
    assert not first.startswith(("结论：是", "结论：可以"))


def test_a_duty_answers_a_question_about_need(engine) -> None:
    assert engine.ask("临时用地需要编制土地复垦方案吗？").answer.startswith("结论：是")


def test_an_amount_answers_only_the_kind_of_money_asked(engine) -> None:
    # the statute states fines per 平方米, never a tax: a fine is no answer to a tax question
    tax = engine.ask("占了耕地，耕地占用税按每平米几元交？")
    assert tax.answer_kind == "not_stated" and tax.reason_code == "quantity_not_stated"
    fine = engine.ask("非法占用基本农田以外的耕地，罚款每平方米几元？")
    assert fine.answer_kind == "answered"
    assert any(c.id == "xj-measures:a53.k1.x2" for c in fine.citations)


def test_a_date_answers_only_the_event_asked(engine) -> None:
    # "经依法批准后，在…门户网站公开" dates the publishing, not the approval; the draft states no approval day
    approval = engine.ask("巴楚县供地计划是哪天经县政府批准的？")
    assert approval.answer_kind == "not_stated" and approval.reason_code == "date_not_stated"
    start = engine.ask("新疆实施办法哪一天开始施行？")
    assert start.answer_kind == "answered" and "2022年11月1日" in start.answer
    assert start.citations[0].id.startswith("xj-measures:a59")


def test_a_paragraph_title_stays_with_the_sentence_after_it() -> None:
    text = "落实耕地保护责任机制。建立健全耕地保护共同责任机制，压实各级党委和政府耕地保护责任。其他内容，另起一句。"
    first = sentences(text)[0]
    assert first.startswith("落实耕地保护责任机制。建立健全")
    # a sentence with a comma is no title
    assert sentences("坚持节约集约，严格选址。减少占用耕地。")[0] == "坚持节约集约，严格选址。"


def test_in_charge_of_names_the_act_after_it(corpus) -> None:
    # "谁负责制定": the body that drafts (组织制定) answers, not just any body in charge
    pattern = slot_value_pattern(analyse("基准地价由谁负责制定", corpus))
    assert pattern is not None
    assert pattern.search("县（市）人民政府自然资源主管部门应当依法组织制定、更新基准地价")
    assert not pattern.search("县级以上人民政府自然资源主管部门负责本行政区域内土地的管理和监督工作")



def test_a_quoted_term_finds_the_passage_that_has_it(engine) -> None:
    # "“一码”" is a term taken from the texts (一码管地); the nearest passage about 管理 in general does not answer
    result = engine.ask("新疆规划里提到的“一码”管理是什么意思")
    assert "一码管地" in result.answer


def test_a_common_quoted_term_is_emphasis_not_a_filter(engine) -> None:
    # "“十三五”" stands in many units: quoting it does not confine the answer to the ones that print it
    plain = engine.ask("十三五期间新疆在哪个流域搞了山水林田湖草生态修复试点")
    quoted = engine.ask("“十三五”期间新疆在哪个流域搞了山水林田湖草生态修复试点")
    assert quoted.citations[0].id == plain.citations[0].id


def test_a_column_title_is_answered_by_the_text_under_it(engine) -> None:
    # the column's title names "一环二带"; what 一环 is stands in its first paragraph
    result = engine.ask("喀什规划的“一环二带”中，一环说的是什么")
    assert result.citations[0].id == "kashgar-plan:c6.s1.box2.p1"


def test_a_question_of_what_something_is_gets_no_may_or_may_not(engine) -> None:
    result = engine.ask("宁夏这个全域整治意见是不是正式文件")
    assert "可以或不可以" not in result.answer and "征求意见稿" in result.answer


@pytest.mark.parametrize(
    "question",
    [
        "征地补偿标准隔多久调整一次",  # "三个月内足额支付" times the payment, not an adjustment
        "征收土地公告要挂出来多少天",  # "自发布征收土地公告之日起三个月内…支付": the notice is where the period runs from
    ],
)
def test_a_period_is_stated_for_the_act_it_times(engine, question: str) -> None:
    result = engine.ask(question)
    assert result.answer_kind == "not_stated" and result.reason_code == "period_not_stated"


def test_the_act_a_period_times_may_follow_it(engine) -> None:
    # "…之日起三十日内，向人民法院起诉": the suit is named in the clause after the period
    result = engine.ask("对争议处理决定不服，收到决定后几天内能去法院起诉")
    assert result.answer_kind == "answered" and "三十日" in result.answer


def test_a_permission_to_do_something_else_decides_no_approval(engine) -> None:
    # "县（市）人民政府可以…制定、公布…补偿标准" is no permission to approve an expropriation
    first = engine.ask("县政府能批征收100亩耕地吗？").answer.split("\n")[0]
    assert not first.startswith(("结论：可以", "结论：是"))


@pytest.mark.parametrize(
    "question",
    [
        "农民把宅基地卖给城里人可以吗？",  # "不得强行流转农民土地" forbids forcing a transfer, not selling
        "村集体经营性建设用地入市要经过村民同意吗？",  # "可将…整治归并" permits something else
    ],
)
def test_a_modal_clause_about_another_act_gives_no_verdict(engine, question: str) -> None:
    first = engine.ask(question).answer.split("\n")[0]
    assert not first.startswith(("结论：可以", "结论：不可以", "结论：是"))


def test_a_term_said_to_be_in_a_text_that_never_prints_it_is_not_stated(engine) -> None:
    # the Kashgar plan never writes “三区三线” (the Ningxia opinions do): its "三区四廊" is no answer
    missing = engine.ask("喀什规划里提到的“三区三线”指什么？")
    assert missing.answer_kind == "not_stated" and missing.reason_code == "term_not_in_texts"
    present = engine.ask("宁夏意见里提到的“三区三线”指什么？")
    assert present.answer_kind == "answered" and all(c.id.startswith("nx-consolidation") for c in present.citations[:1])


def test_a_quoted_word_not_said_to_be_the_texts_may_be_the_speakers_own(engine) -> None:
    assert engine.ask("村里想搞个“产业园”占耕地，行不行？").reason_code != "term_not_in_texts"


def test_a_compensation_standard_is_not_a_projects_budget(engine) -> None:
    # 附件1 rows state 总金额 of appraisal projects: no compensation per 亩
    result = engine.ask("喀什征地补偿标准一亩地给多少钱")
    assert result.answer_kind in {"not_stated", "out_of_scope"}


def test_a_year_is_no_quantity(engine) -> None:
    # "到2025年，…耕地保有量…超出国家下达指标": the plan names no figure for the target
    result = engine.ask("新疆土地规划提到的耕地保有量目标是多少？")
    assert result.answer_kind == "not_stated"
    # a figure in another unit still answers ("3.1亿立方米")
    assert "3.1亿立方米" in engine.ask("到2025年喀什天然气年产规模要达到多少").answer


def test_a_document_asked_about_answers_from_its_own_units_only_what_they_state(engine) -> None:
    # the Ningxia draft names no year anywhere in its title: not stated, not its title quoted as the answer
    assert engine.ask("宁夏的全域整治意见是哪一年出的？").answer_kind == "not_stated"
    issuer = engine.ask("新疆土地资源十四五规划是哪个部门出的")
    assert issuer.answer_kind == "answered" and "自然资源厅" in issuer.answer


def test_a_limit_on_how_much_is_no_ban(engine) -> None:
    # "调整规模原则上不得超过…5%" allows adjusting within a limit
    first = engine.ask("永久基本农田能不能调整？").answer.split("\n")[0]
    assert first.startswith("结论：可以") and "限度" in first


def test_a_cap_on_another_thing_decides_nothing_about_occupying(engine) -> None:
    # "每户住宅用地不得超过200平方米" caps the house, it does not forbid building on cultivated land
    first = engine.ask("村民建房可以占用耕地吗？").answer.split("\n")[0]
    assert not first.startswith(("结论：不可以", "结论：可以"))


@pytest.mark.parametrize(
    ("question", "verdict"),
    [
        # a floor ("不得低于…标准") forbids going below it and allows going above it
        ("县里定的区片综合地价，能不能比自治区的标准再低一些？", "结论：不可以：文件规定“不得低于"),
        ("县里定的区片综合地价可以高过自治区的标准吗，比它高行不行", "结论：可以（文件只限定另一侧"),
        # a ceiling said with 原则上 is quoted with it
        ("宁夏全域整治中调整永久基本农田，规模能超过8%吗", "结论：不可以：文件规定“原则上不得超过"),
    ],
)
def test_going_past_a_bound_is_decided_by_the_side_the_limit_forbids(engine, question: str, verdict: str) -> None:
    assert verdict in engine.ask(question).answer


def test_a_modal_word_governs_the_clauses_it_joins_after_it(engine) -> None:
    # "收储土地应当依照法定程序进行，并依法办理不动产登记": the duty covers the registration; "不得侵犯" of another
    # article is about infringing rights, not about registering
    answer = engine.ask("政府收储回来的地，需不需要去办不动产登记？").answer
    assert "结论：是，应当依照规定办理" in answer and "第四十六条第二款" in answer.split("\n")[1]


def test_a_part_whose_quote_repeats_the_applied_provision_points_to_the_computation(engine) -> None:
    answer = engine.ask("没经批准占了一般耕地600平方米，最低罚多少，最高罚多少？").answer
    lines = answer.split("\n")
    assert [line.endswith("见上方计算。") for line in lines if line.startswith("（")] == [True, True]
    assert any(line.startswith("依据：") and "第五十三条第一款第（二）项" in line for line in lines)


@pytest.mark.parametrize(
    ("question", "verdict"),
    [
        ("临时用地要占一块耕地，县自然资源局自己能不能批", "结论：不可以，应由土地所在地的州、市（地）人民政府（行政公署）自然资源主管部门审批"),
        ("一次性开发国有荒地25公顷，县里可以批吗", "结论：可以，由县（市）人民政府审批"),
        ("一次性开发国有荒滩80公顷，县政府能批吗", "结论：不可以，应由州、市（地）人民政府（行政公署）审批"),
        ("村民盖房申请宅基地，县政府能不能批", "结论：不可以，应由乡（镇）人民政府审批"),
    ],
)
def test_may_a_named_body_approve_is_decided_by_the_level_of_the_approving_body(engine, question: str, verdict: str) -> None:
    assert verdict in engine.ask(question).answer


def test_a_clause_that_decides_keeps_its_verdict_over_the_approving_body(engine) -> None:
    # the region approves county plans but "可以授权" the prefecture: the clause decides, not the level alone
    assert "结论：不可以" not in engine.ask("县级国土空间总体规划可不可以由州里来批？").answer


def test_a_figure_for_another_year_does_not_answer(engine) -> None:
    # the 巴楚 plan gives the 2025 figures; a 2024 figure is not stated, though its preamble names 2020-2024
    result = engine.ask("巴楚县2024年一共供应了多少公顷国有建设用地？")
    assert result.answer_kind != "answered" and "383.73" not in result.answer.split("\n")[0]


def test_a_part_whose_own_words_bind_nothing_is_asked_with_the_part_before(engine) -> None:
    answer = engine.ask("被征地农民社保费用要存到哪？管理使用的办法又由谁制定？").answer
    second = next(line for line in answer.split("\n") if line.startswith("（2）"))
    assert "第三十三条第三款" in second


def test_the_body_that_is_the_sentence_subject_acts_in_its_later_clause(engine) -> None:
    # "由设区的市、县（市）人民政府依法发布征收土地公告，对个别未达成征地补偿安置协议的，应当作出征地补偿安置决定"
    result = engine.ask("有几户一直不签征地补偿安置协议，最后由谁作出安置决定？")
    assert result.answer_kind == "answered" and "第二十九条第二款" in result.answer.split("\n")[0]


def test_the_verdict_is_read_from_the_modal_clause_on_the_act_asked(engine) -> None:
    # "应当符合国土空间规划要求，依法取得…使用权" and "单独建设的地下工程可以单独取得…使用权": the act asked is 单独取得
    assert "结论：可以" in engine.ask("单独建的地下停车场，能单独取得地下建设用地使用权不？").answer
    # ties on the act (组织听证) are broken by the subject: an interested party's request is the "可以" clause
    assert "结论：不是必须" in engine.ask("有利害关系的个人申请听证的，政府必须组织听证吗？").answer


def test_a_later_part_stays_in_the_box_the_message_names(engine) -> None:
    answer = engine.ask("喀什规划专栏9里专项勘查多少处？工程治理几处？").answer
    lines = [line for line in answer.split("\n") if line.startswith("（")]
    assert "20处" in lines[0] and "25处" in lines[1]


def test_a_plan_period_is_what_every_passage_of_that_plan_is_about(engine) -> None:
    # "到2025年，全地区试点不少于10个" does not print 十四五; the plan it stands in is the 十四五 plan
    result = engine.ask("喀什十四五期间全域土地综合整治试点一共要搞几个？")
    assert result.answer_kind == "answered" and "不少于10个" in result.answer
    assert "不少于10个" in engine.ask("全域土地综合整治试点，到十四五末喀什全地区至少要有几个").answer


def test_a_passage_naming_only_other_kinds_of_land_use_is_not_about_the_asked_one(engine) -> None:
    # the 巴楚 plan says where 工矿仓储用地, 商服用地 … go, and nothing of where 住宅用地 goes
    first = engine.ask("巴楚今年的住宅用地主要放在哪几个乡镇？").answer.split("\n")[0]
    assert "主要分布在" not in first


def test_a_period_asked_of_an_act_in_staff_words_is_read_as_the_texts_act(engine) -> None:
    # 付清 is the texts' 支付: "自发布征收土地公告之日起三个月内足额支付" times it (the 公告 is where it runs from)
    answer = engine.ask("征地公告贴出来以后，补偿款最晚几个月要付清？还有没按期办补偿登记的怎么办").answer
    first = next(line for line in answer.split("\n") if line.startswith("（1）"))
    assert "第三十条第一款" in first and "没有规定" not in first


def test_who_receives_is_the_body_named_after_gei(engine) -> None:
    # "安置补助费支付给农村集体经济组织", not the government that pays it
    answer = engine.ask("由村集体经济组织安置的人员，安置补助费打给谁？").answer
    assert "第三十六条第一款" in answer.split("\n")[0]


def test_an_act_that_only_dates_the_case_is_not_the_act_asked(engine) -> None:
    # "处理完之前" dates the case; the act asked is turning the land over (改变土地利用现状), which 第八条第五款 forbids
    answer = engine.ask("两个村为一块地的权属还在扯皮，处理完之前有一方先把地翻了改种玉米，行不行").answer
    assert answer.startswith("结论：不可以") and "第八条第五款" in answer


def test_a_table_row_states_a_figure_whose_unit_is_its_own_column(engine) -> None:
    # "单位：%；2020年：——；2025年：95": the figure has no unit beside it; the row's unit column gives it
    answer = engine.ask("喀什表1里矿种三率指标达标率2025年定的多少？").answer
    lead = answer.split("依据：")[0]  # what the answer says before its quotes: the rule's reading of the row, or the row
    assert "95" in lead and "表1第13行" in answer
    # a year whose column holds no figure is not stated by the row
    assert engine.ask("喀什地区2025年城乡建设用地总规模指标是多少平方千米？").abstained


def test_a_quantity_of_a_printed_phrase_is_found_only_where_the_phrase_stands_whole(engine) -> None:
    # "新增建设用地" is printed as one term; "启动新增用地…预计供应建设用地2.96万公顷" states another quantity
    answer = engine.ask("喀什规划第五章第一节里新增建设用地多少公顷").answer
    assert "2.96万公顷" not in answer.split("\n")[0]


def test_two_questions_in_one_message_are_computed_apart(engine) -> None:
    # each sentence asks of its own land uses: a difference, then a share of a sum; never one sum of all four
    result = engine.ask("巴楚今年住宅比商服多供多少公顷？交通运输和特殊用地一共占供应总量百分之几？")
    values = {str(c.value) for c in result.computations if c.value is not None}
    assert "18.10" in values or "18.1" in values
    assert any("37.29" in c.result for c in result.computations)  # 7.44 + 29.85
    assert not any("住宅用地、商服用地、交通运输用地" in c.result for c in result.computations)


def test_a_question_pointing_back_is_computed_with_the_one_before(engine) -> None:
    answer = engine.ask("喀什指标表里单位GDP建设用地使用面积下降率目标是多少？某县2020年每亿元GDP占用建设用地80亩，按这个目标2025年要降到多少？").answer
    assert "67.2" in answer  # 80 × (1 − 16%)


def test_a_period_is_asked_of_the_act_in_the_asking_clause_not_of_the_story(engine) -> None:
    # the story says the 公示 is over; what is asked is how long the 乡 takes to approve, which no text states
    result = engine.ask("宅基地已经公示完了，没人有意见，材料也报上去了。乡里审核批准有没有时限，几天内得批下来？")
    assert result.answer_kind == "not_stated"
    # the 公示 period asked directly is still answered
    assert "10日" in engine.ask("宅基地申请要在村里公示多少天？").answer


def test_an_act_no_text_names_is_not_stated_whatever_else_is_spoken_of(engine) -> None:
    result = engine.ask("老人去世后儿子想继承他的宅基地，办法里对宅基地继承咋规定的")
    assert result.answer_kind == "not_stated" and "继承" in (result.reason or "")


@pytest.mark.parametrize(
    ("question", "verdict"),
    [
        # 要求…剥离 is the act that may be done, not a duty asked of: a 可以 clause answers 可以
        ("项目占了耕地，县政府能不能要求用地单位把耕作层剥离下来改良别的地？", "结论：可以"),
        # the story's 不用 ("他们说…就不用编了") is no negation asked; 是不是必须 asks of the duty
        ("临时用地就用三个月，他们说这么短就不用编复垦方案了，是不是必须编？", "结论：是"),
        # a negation right after the modal word is asked, and a duty answers it
        ("临时用地可以不编土地复垦方案吗？", "结论：不可以"),
        # 得 asks of a duty
        ("被征地的村集体拿到补偿费后，收支情况是不是得向成员公开？", "结论：是"),
    ],
)
def test_the_polarity_of_a_yes_no_question_is_read_in_its_asking_words(engine, question: str, verdict: str) -> None:
    assert engine.ask(question).answer.startswith(verdict)


def test_the_act_asked_comes_from_the_asking_sentence_not_the_story(engine) -> None:
    # "卖给城里的饭店" tells why, "这个" points back to what was seen: the act is 挖塘养鱼 on 永久基本农田
    result = engine.ask("巡查发现有人在永久基本农田上挖塘养鱼，说是要卖给城里的饭店，这个能行不？")
    assert result.answer.startswith("结论：不可以")
    assert any(c.id.startswith("xj-measures:a16.k1") and c.quote for c in result.citations)


@pytest.mark.parametrize(
    ("question", "verdict", "unit"),
    [
        # 进场 is the texts' 组织实施 ("…依法送达后，方可组织实施")
        ("征地补偿安置决定还没送达，施工队能不能先进场？", "结论：须先满足规定的条件", "xj-measures:a29.k2"),
        # 公开 is the texts' 公布 ("应当向本集体经济组织成员公布…收支状况"), not the 公开栏 where notices are posted
        ("被征地的村集体，补偿费用的收支要不要向村民公开？", "结论：是，应当", "xj-measures:a35.k2"),
    ],
)
def test_an_act_in_staff_words_is_found_as_the_texts_verb(engine, question: str, verdict: str, unit: str) -> None:
    result = engine.ask(question)
    assert result.answer.startswith(verdict)
    assert next(c.id for c in result.citations if c.quote) == unit


@pytest.mark.parametrize("question", ["永久基本农田上能挖湖造景吗？", "永农上能种草皮吗"])
def test_a_prohibition_covers_every_item_it_lists(engine, question: str) -> None:
    # "严禁占用永久基本农田进行下列活动：（一）…（二）种植苗木、草皮…（三）挖湖造景…", not only item (一)
    assert engine.ask(question).answer.startswith("结论：不可以")


def test_whether_a_text_has_a_provision_is_no_yes_no_verdict(engine) -> None:
    # "有没有规定" asks whether the texts cover it: the standard is quoted, no 可以/不可以 is read from its cap
    answer = engine.ask("宅基地面积有没有规定上限？").answer
    assert "结论：可以" not in answer and "结论：不可以" not in answer
    assert "200平方米" in answer


def test_one_of_something_is_no_quantity(corpus) -> None:
    pattern = slot_value_pattern(analyse("集体经营性建设用地入市的收益，村集体分多少", corpus))
    assert pattern is not None
    assert not pattern.search("可将整治区域内的拆旧地块作为一个整体")
    assert pattern.search("调整规模原则上不得超过所涉乡镇永久基本农田划定面积的5%")


@pytest.mark.parametrize(
    ("question", "verdict"),
    [
        # the case's 300平方米 is past the cap of item (一), which the case's 0.04公顷 picks
        ("人均耕地不到0.04公顷的户，县里能不能批300平方米的宅基地？", "结论：不可以"),
        ("人均耕地0.04公顷以下的户，宅基地能批150平方米吗？", "结论：可以"),
    ],
)
def test_a_case_figure_past_a_cap_decides_the_side_asked(engine, question: str, verdict: str) -> None:
    assert engine.ask(question).answer.startswith(verdict)


def test_a_case_figure_is_compared_only_with_the_cap_for_the_case(engine) -> None:
    # 0.05公顷 falls under item (二) (300平方米), which the texts do not print as 0.05: item (一)'s 200 decides nothing
    assert not engine.ask("人均耕地0.05公顷的户，宅基地能批250平方米吗？").answer.startswith("结论：不可以")


def test_a_bound_set_by_another_provision_is_a_limit(corpus) -> None:
    analysis = analyse("县里定的宅基地标准能超过自治区规定的标准吗", corpus)
    assert verdict_of(analysis, "县（市）人民政府可以在前款规定的标准内，") == "不可以：文件规定“在前款规定的标准内”"


@pytest.mark.parametrize(
    "question",
    ["村委会想先把征地补偿费挪一部分修路，过两个月再补回去，行不行？", "补偿款能不能先挪一部分给村里修路？", "村里先把征收土地补偿费挪一点盖村委会，可以吗"],
)
def test_a_verb_the_lexicon_knows_outranks_the_object_nouns(engine, question: str) -> None:
    # 挪 is the texts' 挪用: "禁止侵占、挪用、截留…补偿费用" decides it, not the 方可 clause that lists more of the money
    # (土地补偿费、安置补助费…足额落实到位后，方可提出土地征收申请), read as asked "before" for the adverb 先
    result = engine.ask(question)
    assert result.answer.startswith("结论：不可以")
    assert next(c.id for c in result.citations if c.quote) == "xj-measures:a35.k2"


@pytest.mark.parametrize(
    ("question", "before"),
    [
        ("补偿费用还没落实，能不能先报征收申请？", True),
        ("还有两户一直没签补偿协议，施工队能不能先进场？", True),
        ("这块地能不能先开工后补手续？", True),
        # 先 of the act, with no condition named: "回头再补上" is no condition event
        ("村里想先把补偿款挪一部分修办公室，回头再补上，行吗", False),
    ],
)
def test_only_a_condition_named_asks_before_what(question: str, before: bool) -> None:
    assert asked_before(question) is before


@pytest.mark.parametrize(
    "question", ["人防工程的建设用地使用权，能不能也参照地下空间的规定执行？", "人防工程的建设用地使用权也参照地下空间的规定执行吗？"]
)
def test_a_referral_clause_answers_whether_a_rule_applies(engine, question: str) -> None:
    # "依照有关法律法规的规定执行" decides it with no modal word; the rule the question proposes (地下空间) is not the matter
    result = engine.ask(question)
    assert result.answer.startswith("结论：按文件所指的规定办理")
    assert next(c.id for c in result.citations if c.quote) == "xj-measures:a45.k3"


@pytest.mark.parametrize(
    ("question", "verdict"),
    [
        # "有下列情形之一的，…收回土地使用权：（一）二年内未开发的；…": the case told is item (一)
        ("批给我们开发的国有荒地，两年了一直没开发，政府能不能收回？", "结论：可以：属于所列第（一）项“二年内未开发”"),
        ("批的荒山被擅自改变土地用途了，能不能收回土地使用权", "结论：可以：属于所列第（二）项"),
        # one year of idleness is not item (三)'s 二年: the condition, not 可以
        ("经批准开发的荒滩，开发后连续闲置了一年，能收回吗", "结论：须属于文件所列情形之一"),
    ],
)
def test_a_consequence_of_listed_cases_decides_when_the_case_is_one_of_them(engine, question: str, verdict: str) -> None:
    result = engine.ask(question)
    assert result.answer.startswith(verdict)
    assert any(c.id.startswith("xj-measures:a20.k1") and c.quote for c in result.citations)


def test_a_consequence_does_not_decide_another_act(engine) -> None:
    # 第二十条 names 批准 (经原批准的人民政府批准) beside 收回; "县里能批吗" asks of 第十九条's approval
    answer = engine.ask("开发300亩国有荒地种树，县里能批吗").answer
    assert answer.startswith("结论：可以，由县（市）人民政府审批")


@pytest.mark.parametrize(
    ("question", "answered"),
    [
        # 2018 is printed in "完成…2018年国家地理国情监测等项目" and in the span "2018-2020年累计…1698.89公顷", never
        # beside a figure of 2018 alone
        ("喀什规划里2018年审批了多少建设用地？", False),
        ("喀什规划里十三五期间2018年那一年审批了多少建设用地", False),
        # the span asked is the span printed
        ("喀什2018-2020年累计跨省调剂了多少公顷指标？", True),
    ],
)
def test_a_year_asked_stands_in_the_sentence_of_the_figure(engine, question: str, answered: bool) -> None:
    assert (engine.ask(question).answer_kind == "answered") is answered


@pytest.mark.parametrize("question", ["探矿权到期了要延续，需要交哪些材料？", "探矿权续期需要提交哪些材料"])
def test_renewing_a_right_the_texts_never_speak_of_is_not_stated(engine, question: str) -> None:
    # no text says 延续, 续期 or 展期: a paragraph on supervising 探矿权 does not say what a renewal needs
    result = engine.ask(question)
    assert result.answer_kind == "not_stated"
    assert result.reason_code == "term_not_in_texts"


def test_a_place_that_routes_to_one_text_weighs_nothing_in_binding(engine) -> None:
    # 宁夏 routes to 宁夏's text alone; its one unit printing 宁夏 (一、's opening) is no answer to who accepts the
    # projects: "在涉及的子项目经自治区验收后" is
    result = engine.ask("宁夏的整治项目谁来验收")
    assert result.answer_kind == "answered"
    assert next(c.id for c in result.citations if c.quote) == "nx-consolidation:h3.i8"


def test_a_definition_is_the_sentence_with_the_term_as_its_subject(engine) -> None:
    # 第九条第一款 "国土空间规划是对…作出的安排" defines it; 第三款 "国土空间规划包括…" only speaks of it
    result = engine.ask("国土空间规划是指什么")
    assert result.citations[0].id == "xj-measures:a9.k1", [c.id for c in result.citations]
    assert "在空间和时间上作出的安排" in engine.ask("国土空间规划是个啥？").answer


def test_how_often_is_answered_by_a_frequency(engine) -> None:
    # "一回" asks how often as "一次" does: 第十四条's 每年 answers it, not a number of days
    result = engine.ask("耕地保护责任目标，上级政府隔多长时间考核下级一回？")
    assert result.answer_kind == "answered"
    assert "每年" in result.answer


def test_what_the_texts_forbid_cannot_be_approved(engine) -> None:
    # asked whether it can be approved ("能批不"), a use the texts forbid (严禁…挖塘养鱼) gets 不可以
    result = engine.ask("有户人家想在承包的基本农田里挖几个塘搞养殖，说能多挣点。村里拿不准。这个能批不")
    assert result.answer.startswith("结论：不可以"), result.answer
    assert any(c.id.startswith("xj-measures:a16") for c in result.citations)


def test_a_dialect_choice_asks_like_xing_bu_xing_and_a_rare_act_word_binds(engine) -> None:
    # "中不中" offers the choice 行不行 does; 拆分, printed in few units, ties the story to 严禁拆分审批 however
    # many of its other words (苹果, 老板) the texts never use
    result = engine.ask("有个老板看上一片国有荒山，想开三千亩种苹果。县里只能批小的，他打算拆成几块一块一块报县里批，这么弄中不中")
    assert result.answer.startswith("结论：不可以"), result.answer
    assert any(c.id == "xj-measures:a19.k2" for c in result.citations)


def test_whether_it_is_still_in_time_is_decided_by_the_case_dates(engine) -> None:
    # "还来得及吗" with the day the question stands on: the deadline computed for the case decides, not 可以…起诉
    late = engine.ask("2026年3月2号收到土地争议的处理决定，今天是4月6号，去法院起诉还来得及吗")
    assert late.answer.startswith("结论：已过期限"), late.answer
    early = engine.ask("2026年3月2号收到土地争议的处理决定，今天是3月20号，去法院起诉还来得及吗")
    assert early.answer.startswith("结论：还在期限内"), early.answer


def test_a_clause_on_what_the_matter_is_said_not_to_be_decides_nothing(engine) -> None:
    # "不是基本农田" : 第十六条第一款's 永久基本农田不得转为…园地 is not about this land, so no 不可以 from it
    result = engine.ask("我家这块地不是基本农田，就是普通耕地，想改种苹果树行不行")
    assert not result.answer.startswith("结论：不可以"), result.answer
    # "是不是基本农田" asks, it says nothing the land is not
    assert said_not("这块地是不是基本农田") == ()
    assert "永久基本农田" in said_not("这块地不是基本农田，能种树吗")


def test_an_act_named_only_by_a_common_word_and_an_unprinted_verb_gets_no_verdict(engine) -> None:
    # the texts never print 退还; 土地 alone is what 第五十六条's 应当…移交 is done to, not the act asked
    result = engine.ask("违法占地被罚了以后还要不要退还土地")
    assert "结论：是" not in result.answer and "结论：不可以" not in result.answer
    # a specific object the texts print (园地) still decides, whatever the staff verb (改成)
    assert engine.ask("想把一块永久基本农田改成园地种果树，行不行").answer.startswith("结论：不可以")


def test_a_clause_dating_the_act_is_not_the_act(engine) -> None:
    # "争议没处理完之前能这么干吗": 这么干 points at the story's act (推平种棉花), the 之前 clause only dates it, so
    # 第八条第五款's 不得改变土地利用现状 decides, not 第八条第四款's 可以…起诉
    result = engine.ask("两个村为河边一块地争了一年多，乡里调解没结果。一个村说先把地推平种上棉花再说。争议没处理完之前能这么干吗")
    assert result.answer.startswith("结论：不可以"), result.answer
    assert any(c.id == "xj-measures:a8.k5" for c in result.citations)


def test_where_a_use_goes_is_stated_only_by_its_places(engine) -> None:
    # the supply plan lists the towns of every use but 住宅用地: its 32.29公顷 says how much, not where
    result = engine.ask("巴楚今年的住宅用地放在哪几个镇")
    assert result.answer_kind == "not_stated" and result.reason_code == "place_not_stated"
    assert "巴楚镇" in engine.ask("巴楚今年商服用地主要分布在哪").answer
