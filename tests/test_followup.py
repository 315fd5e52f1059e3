"""Follow-ups: a question that leans on the previous turn is completed from it, or answered alone with a note."""
from __future__ import annotations

from qa.followup import STANDALONE_NOTE, resolve


def _user(*turns: str) -> list[dict[str, str]]:
    return [{"role": "user", "content": t} for t in turns]


def test_another_land_category_replaces_the_previous_one(corpus) -> None:
    resolved, note = resolve("那要是占的基本农田呢？", _user("擅自占用500平方米一般耕地盖厂房，罚款多少？"), corpus)
    assert resolved == "擅自占用500平方米基本农田盖厂房，罚款多少？"
    assert note is None


def test_another_area_replaces_the_previous_one(corpus) -> None:
    resolved, _ = resolve("换成80公顷呢", _user("一次性开发国有荒山50公顷谁批准？"), corpus)
    assert resolved == "一次性开发国有荒山80公顷谁批准？"


def test_a_new_question_about_the_same_case_carries_the_case(corpus) -> None:
    resolved, _ = resolve("这个由谁审批？", _user("乡里打算临时使用一块集体土地堆放施工材料，需要办什么手续？"), corpus)
    assert resolved is not None
    assert resolved.startswith("乡里打算临时使用一块集体土地堆放施工材料")
    assert resolved.endswith("由谁审批？")


def test_follow_ups_chain_through_earlier_turns(corpus) -> None:
    history = _user("未经批准占用300平方米一般耕地罚多少？", "那基本农田呢？")
    resolved, _ = resolve("换成600平方米呢？", history, corpus)
    assert resolved == "未经批准占用600平方米基本农田罚多少？"


def test_a_standalone_question_is_left_alone(corpus) -> None:
    assert resolve("宅基地申请公示期是多少天？", _user("临时用地期限多长？"), corpus) == (None, None)


def test_no_history_no_resolution(corpus) -> None:
    assert resolve("那基本农田呢？", [], corpus) == (None, None)


def test_an_unrelatable_follow_up_is_answered_alone_with_a_note(corpus) -> None:
    # the previous turn asked nothing the new area could belong to
    assert resolve("那300平方米呢？", _user("耕地保护目标责任制。"), corpus) == (None, STANDALONE_NOTE)


def test_a_new_fact_is_added_to_the_previous_case(corpus) -> None:
    resolved, _ = resolve("如果每亩开垦费是2万元呢？", _user("在永久基本农田上挖砂毁了5亩，怎么处罚？"), corpus)
    assert resolved == "在永久基本农田上挖砂毁了5亩，每亩开垦费是2万元，怎么处罚？"


def test_a_place_replaces_the_place_of_its_own_level(corpus) -> None:
    resolved, _ = resolve("那疏附县的呢？", _user("喀什附件1里莎车县的项目有几个？"), corpus)
    assert resolved is not None and "疏附县" in resolved and "喀什" in resolved and "莎车县" not in resolved


def test_a_condition_ending_in_ne_inside_the_follow_up_is_read_plainly(corpus) -> None:
    resolved, _ = resolve("要是3月5号收到的呢？哪天截止？", _user("对土地权属争议处理决定不服，多少天内可以起诉？"), corpus)
    assert resolved is not None
    assert "呢" not in resolved and "3月5号收到" in resolved and resolved.endswith("哪天截止？")


def test_a_kind_of_land_use_replaces_the_one_before(corpus) -> None:
    resolved, _ = resolve("商服用地呢？", _user("巴楚县2025年住宅用地计划供应多少公顷？"), corpus)
    assert resolved == "巴楚县2025年商服用地计划供应多少公顷？"


def test_a_question_added_after_the_swapped_fact_is_asked_too(corpus) -> None:
    resolved, _ = resolve("那工矿仓储用地呢？放在哪儿？", _user("巴楚2025年住宅用地计划供多少？"), corpus)
    assert resolved == "巴楚2025年工矿仓储用地计划供多少？放在哪儿？"


def test_a_date_without_a_year_keeps_the_year_of_the_date_it_replaces(corpus) -> None:
    history = [{"role": "user", "content": "宅基地申请2025年3月3日开始公示，哪天公示期满"}, {"role": "assistant", "content": "2025年3月13日"}]
    resolved, _ = resolve("那要是5月6号开始公示呢", history, corpus)
    assert resolved is not None and "2025年5月6号" in resolved


def test_a_staff_word_for_a_land_use_replaces_the_one_before(corpus) -> None:
    # 商服 is the staff's word for 商服用地 (thesaurus)
    resolved, _ = resolve("商服的呢", _user("巴楚今年住宅用地供多少"), corpus)
    assert resolved == "巴楚今年商服供多少"


def test_a_new_fact_asked_together_with_the_old_one_joins_it(corpus) -> None:
    resolved, _ = resolve("疏勒县的呢？两个县合计多少", _user("附件1里英吉沙县盐碱耕地综合整治项目投资多少"), corpus)
    assert resolved is not None and "英吉沙" in resolved and "疏勒县" in resolved and resolved.endswith("两个县合计多少")


def test_the_sum_over_two_turns_is_computed(engine) -> None:
    result = engine.ask("商服的呢？两个加起来占总量百分之多少", history=_user("巴楚今年住宅用地供多少"))
    assert "46.48公顷" in result.answer and "12.11%" in result.answer, result.answer


def test_a_place_replaces_the_text_named_by_its_place(corpus) -> None:
    # "新疆办法…" then "宁夏呢": 宁夏's texts are asked, not a "宁夏办法" no text is
    resolved, _ = resolve("宁夏呢", _user("新疆办法对临时用地怎么规定"), corpus)
    assert resolved == "宁夏对临时用地怎么规定"


def test_a_short_follow_up_is_counted_by_its_own_words(corpus) -> None:
    # "放在哪" is a staff word expanding to the texts' 分布, 布局 …: the message still has two words of its own
    resolved, _ = resolve("主要放在哪", _user("巴楚今年住宅用地供多少"), corpus)
    assert resolved is not None and resolved.startswith("巴楚今年住宅用地")


def test_a_follow_up_adding_to_the_case_keeps_what_was_told(engine) -> None:
    # "同一个案子还占了…，合起来一共罚多少": both plots are fined, never the new one alone as the total
    result = engine.ask("同一个案子还占了1000平米基本农田，合起来一共罚多少", history=_user("非法占用其他土地5000平米罚多少"))
    assert "100万元至250万元" in result.answer, result.answer


def test_both_facts_of_the_last_two_turns_are_asked_together(engine) -> None:
    history = _user("没批占了一般耕地1000平米，罚多少", "换成永久基本农田呢")
    result = engine.ask("要是这两块都占了，加起来罚多少", history=history)
    assert "80万元至150万元" in result.answer, result.answer


def test_facts_the_question_before_had_no_place_for_are_carried(corpus) -> None:
    resolved, _ = resolve("那要是在这3亩上挖砂把地毁了呢，开垦费核定5万", _user("未经批准占用一般耕地3亩罚多少"), corpus)
    assert resolved is not None and "开垦费核定5万" in resolved and "挖砂" in resolved


def test_a_plot_does_not_take_the_place_of_a_figure_per_person(corpus) -> None:
    history = _user("我们县人均耕地0.03公顷，一户宅基地最多多大")
    resolved, _ = resolve("那他家已经有250平米了，还能批多少", history, corpus)
    assert resolved is not None and "人均耕地0.03公顷" in resolved and "250平米" in resolved
    # a new figure per person still replaces the old one
    assert resolve("要是人均耕地0.2公顷呢", history, corpus)[0] == "我们县人均耕地0.2公顷，一户宅基地最多多大"


def test_a_date_moved_by_the_follow_up_is_moved_in_the_case(corpus) -> None:
    history = _user("征收土地公告2026年6月30日发布，补偿费最晚哪天付清")
    assert resolve("那要是晚一个月发呢", history, corpus)[0] == "征收土地公告2026年7月30日发布，补偿费最晚哪天付清"
    assert resolve("要是提前10天呢", history, corpus)[0] == "征收土地公告2026年6月20日发布，补偿费最晚哪天付清"


def test_a_share_of_the_area_told_does_not_replace_it(corpus) -> None:
    # "分两期各25公顷" is the 50公顷 told, split: it is carried beside it, not read as a 25公顷 development
    resolved, _ = resolve("那要是分两期各25公顷呢", _user("一次性开发国有荒地50公顷搞畜牧，谁批"), corpus)
    assert resolved is not None and "50公顷" in resolved and "各25公顷" in resolved


def test_a_reference_to_an_article_is_a_question_of_its_own(corpus) -> None:
    # "第十条第二款" is short, but it names what it asks about
    history = _user("未经批准占用一般耕地2000平方米罚多少？", "换成永久基本农田呢？")
    assert resolve("第十条第二款", history, corpus) == (None, None)


def test_a_follow_up_asking_only_for_the_total_keeps_the_question_before(engine) -> None:
    # "那一共呢" says no fact and asks nothing itself: the case of the turns before, asked as before, summed
    history = [
        {"role": "user", "content": "养殖场没批占了一般耕地3亩，罚多少"},
        {"role": "assistant", "content": "60万元至100万元。"},
        {"role": "user", "content": "另外还占了草地1000平米呢"},
        {"role": "assistant", "content": "10万元至30万元。"},
    ]
    result = engine.ask("那一共呢", history=history)
    assert result.resolved_question is not None and "罚多少" in result.resolved_question
    assert any(c.result.startswith("罚款合计70万元至130万元") for c in result.computations)


def test_the_total_after_a_replaced_fact_counts_both(engine) -> None:
    # "商服用地呢" asked the same of another use; "那一共呢" then asks the sum of both, not of the last alone
    history = [
        {"role": "user", "content": "巴楚今年住宅用地供多少"},
        {"role": "assistant", "content": "32.29公顷。"},
        {"role": "user", "content": "商服用地呢"},
        {"role": "assistant", "content": "14.19公顷。"},
    ]
    result = engine.ask("那一共呢", history=history)
    assert any("合计46.48公顷" in c.result for c in result.computations), [c.result for c in result.computations]


def test_a_place_takes_another_places_place_with_its_level(corpus) -> None:
    # "英吉沙县" -> "喀什市", not "喀什县": the level said after a place goes with it
    resolved, _ = resolve("那喀什市的呢", _user("附件1里英吉沙县的地灾治理项目一共多少钱"), corpus)
    assert resolved is not None and "喀什市" in resolved and "喀什县" not in resolved
