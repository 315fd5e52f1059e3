"""Computations as staff ask for them: mixed plots, negations, two parties, inverse questions, 亩/公顷/平方米/万元.

Each case states the exact expected figure, worked out by hand from the printed article; a case whose inputs cannot
all be bound expects no total (every reading, or a question back) instead.
"""
from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest

from qa.rules import run_rules

TODAY = date(2026, 5, 1)


def only(question: str, rule: str, corpus):
    comps = [c for c in run_rules(question, corpus, today=TODAY) if c.rule == rule]
    assert len(comps) == 1, [(c.rule, c.result) for c in run_rules(question, corpus, today=TODAY)]
    return comps[0]


# ------------------------------------------------------------------ 第五十三条: each plot priced with its own category

@pytest.mark.parametrize(
    ("question", "lo", "hi"),
    [
        # 0.4公顷一般耕地 (300–500元/㎡) + 0.6公顷荒草地, said not to be 耕地 (100–300元/㎡)
        ("占了一般耕地0.4公顷，另外还有0.6公顷是荒草地（不是耕地），按新疆办法罚多少", 4000 * 300 + 6000 * 100, 4000 * 500 + 6000 * 300),
        # 2亩基本农田 (500–1000) + 3亩戈壁滩 (100–300); 1亩 = 2000/3㎡
        ("违法占地两块：基本农田2亩，戈壁滩3亩，罚款区间", Fraction(4000, 3) * 500 + 2000 * 100, Fraction(4000, 3) * 1000 + 2000 * 300),
        # the category after its area, each in its own clause
        ("没批先占了800平方米，是林地；又占了1200平方米，是永久基本农田，罚多少", 800 * 100 + 1200 * 500, 800 * 300 + 1200 * 1000),
        ("永久基本农田里的旱地被占了0.2公顷，罚款是多少万元", 2000 * 500, 2000 * 1000),
        ("占了5亩水浇地，不是永久基本农田，罚多少", Fraction(10000, 3) * 300, Fraction(10000, 3) * 500),
    ],
)
def test_occupation_fines_per_plot(corpus, question, lo, hi):
    c = only(question, "xj.a53.occupation_fine", corpus)
    assert c.missing == []
    assert (Fraction(c.details["min_yuan"]), Fraction(c.details["max_yuan"])) == (Fraction(lo), Fraction(hi))
    assert len(c.understood) == len([u for u in c.understood if u.basis.startswith("第五十三条第一款")])


def test_an_undecided_plot_gives_every_reading_and_no_total(corpus):
    c = only("占了旱地1500平方米和一般耕地500平方米，罚多少", "xj.a53.occupation_fine", corpus)
    assert c.missing == ["land_category"] and c.details == {} and c.value is None
    assert [r.result for r in c.readings] == ["合计90万元至175万元（900000元至1750000元）", "合计60万元至100万元（600000元至1000000元）"]


def test_a_category_that_fits_two_plots_asks_instead_of_pricing(corpus):
    c = only("违法占了2亩和3亩，有旱地，罚多少", "xj.a53.occupation_fine", corpus)
    assert "unbound_facts" in c.missing and c.details == {} and c.unbound


def test_land_that_is_not_cultivated_is_other_land(corpus):
    c = only("违法占用荒坡1000平米（不是耕地）罚多少", "xj.a53.occupation_fine", corpus)
    assert c.citation_ids == ["xj-measures:a53.k1.x3"] and c.details == {"min_yuan": "100000", "max_yuan": "300000"}
    assert "其他土地" in c.understood_text()


# ------------------------------------------------------------------ 第五十四条: each plot with its own 耕地开垦费

@pytest.mark.parametrize(
    ("question", "lo", "hi"),
    [
        ("破坏两块地：一块是永久基本农田，开垦费12万元；另一块是一般耕地，开垦费9万元，罚多少", 120000 * 7 + 90000 * 5, 120000 * 10 + 90000 * 7),
        ("挖砂破坏基本农田1亩和一般耕地2亩，开垦费都按每亩3万元，怎么罚", 30000 * 7 + 60000 * 5, 30000 * 10 + 60000 * 7),
        ("建窑破坏2亩基本农田，开垦费8万元；3亩一般耕地，开垦费6万元，罚款范围", 80000 * 7 + 60000 * 5, 80000 * 10 + 60000 * 7),
    ],
)
def test_destruction_fines_per_plot(corpus, question, lo, hi):
    c = only(question, "xj.a54.destruction_fine", corpus)
    assert c.missing == []
    assert (int(c.details["min_yuan"]), int(c.details["max_yuan"])) == (lo, hi)


@pytest.mark.parametrize(
    ("question", "lo", "hi", "items"),
    [
        # 200㎡ 永久基本农田 (500–1000) + 500㎡ 一般旱地 (300–500) + 1000㎡ 荒草地 (100–300)
        ("非法占用永久基本农田200平方米、一般旱地500平方米、荒草地1000平方米，合计罚款区间多少？", 350000, 750000, ["x1", "x2", "x3"]),
        # 水浇地 set against the 永久基本农田 plot of the same question is the other 耕地
        ("非法占用永久基本农田200平方米、水浇地500平方米、戈壁1000平方米，罚款合计多少？", 350000, 750000, ["x1", "x2", "x3"]),
        # 3亩 = 2000㎡ 基本农田以外的水浇地 (300–500) + 2亩 = 4000/3㎡ 荒坡 (100–300)
        ("占用基本农田以外的水浇地3亩和荒坡2亩，罚多少", 2000 * 300 + Fraction(4000, 3) * 100, 2000 * 500 + Fraction(4000, 3) * 300, ["x2", "x3"]),
        ("没批就占了一般的水田0.1公顷、非基本农田的旱地500平米，罚款多少", 1500 * 300, 1500 * 500, ["x2"]),
    ],
)
def test_mixed_plots_each_priced_by_its_own_item(corpus, question, lo, hi, items):
    c = only(question, "xj.a53.occupation_fine", corpus)
    assert c.missing == [] and not c.readings
    assert (Fraction(c.details["min_yuan"]), Fraction(c.details["max_yuan"])) == (Fraction(lo), Fraction(hi))
    assert sorted({cid.rsplit(".", 1)[1] for cid in c.citation_ids}) == items
    assert c.understood_text().count("→ 第五十三条第一款第") == len(c.understood)


def test_plain_cultivated_land_beside_other_land_stays_open(corpus):
    c = only("非法占用水浇地500平方米、戈壁1000平方米，罚款合计多少？", "xj.a53.occupation_fine", corpus)
    assert c.missing == ["land_category"] and c.details == {} and len(c.readings) == 2


@pytest.mark.parametrize(
    ("question", "lo", "hi"),
    [
        # one rate said before the plots: 2亩 × 2万 = 4万 (×7–10) + 1亩 × 2万 = 2万 (×5–7)
        ("耕地开垦费按每亩2万元算，在永久基本农田上挖砂毁了2亩，又在一般耕地上取土毁了1亩，罚款范围多少？", 40000 * 7 + 20000 * 5, 40000 * 10 + 20000 * 7),
        # ... or after them
        ("在永久基本农田上挖砂毁了2亩，又在一般耕地上取土毁了1亩，耕地开垦费每亩2万元，罚款范围多少", 40000 * 7 + 20000 * 5, 40000 * 10 + 20000 * 7),
        # per 平方米: 5000㎡ × 30 = 15万, 3000㎡ × 30 = 9万
        ("取土毁了基本农田0.5公顷、一般耕地3000平方米，开垦费每平方米30元，罚款多少", 150000 * 7 + 90000 * 5, 150000 * 10 + 90000 * 7),
        # per 公顷 for one plot, a total for the other
        ("挖砂毁了永久基本农田1公顷，开垦费每公顷30万元；毁了一般耕地2亩，开垦费5万元，罚多少", 300000 * 7 + 50000 * 5, 300000 * 10 + 50000 * 7),
        # a heading over the plots, each with its own rate in brackets
        ("破坏耕地：永久基本农田2亩（开垦费每亩2万元），一般耕地1亩（开垦费每亩1.5万元），罚多少", 40000 * 7 + 15000 * 5, 40000 * 10 + 15000 * 7),
        # a rate per category: 1亩 × 3万 (×7–10) + 2亩 × 2万 (×5–7), said before or after the plots
        ("基本农田开垦费每亩3万元，一般耕地开垦费每亩2万元，挖砂毁了基本农田1亩、一般耕地2亩，罚多少", 30000 * 7 + 40000 * 5, 30000 * 10 + 40000 * 7),
        ("挖砂毁了基本农田1亩、一般耕地2亩，基本农田的开垦费每亩3万元，一般耕地的每亩2万元，罚多少", 30000 * 7 + 40000 * 5, 30000 * 10 + 40000 * 7),
        # decimals: 0.3亩 × 1.5万 = 4500, 0.7亩 × 1.5万 = 10500
        ("耕地开垦费每亩1.5万元，挖砂毁了永久基本农田0.3亩、一般耕地0.7亩，怎么罚", 4500 * 7 + 10500 * 5, 4500 * 10 + 10500 * 7),
    ],
)
def test_destruction_over_several_plots_with_a_rate(corpus, question, lo, hi):
    c = only(question, "xj.a54.destruction_fine", corpus)
    assert c.missing == []
    assert (Fraction(c.details["min_yuan"]), Fraction(c.details["max_yuan"])) == (lo, hi)
    assert c.result.startswith(f"罚款合计{Decimal(lo) / 10000:f}万元至{Decimal(hi) / 10000:f}万元（{lo}元至{hi}元）")
    assert c.understood_text().count("耕地开垦费") >= 2


def test_a_plot_left_unbound_gives_no_total(corpus):
    c = only("占用耕地：荒地1亩，基本农田2亩，罚多少", "xj.a53.occupation_fine", corpus)
    assert "unbound_facts" in c.missing and c.details == {} and "不给出合计" in c.result and "合计约" not in c.result
    assert [r.label for r in c.readings] == ["地块1（荒地1亩）若为其他土地", "地块2（基本农田2亩）若为永久基本农田"]


@pytest.mark.parametrize(
    ("question", "a53", "a54"),
    [
        # 200㎡ 永久基本农田 occupied (500–1000); 1亩 一般耕地 destroyed, 开垦费 2万 (×5–7)
        ("占用永久基本农田建房200平方米，又在一般耕地上挖砂破坏1亩，开垦费每亩2万元，分别怎么罚", (100000, 200000), (100000, 140000)),
        # a plot without a verb continues the list before it
        ("占用永久基本农田200平方米、一般耕地300平方米，又挖砂破坏一般耕地1亩，开垦费每亩2万元，罚多少", (100000 + 90000, 200000 + 150000), (100000, 140000)),
    ],
)
def test_occupied_and_destroyed_plots_each_under_their_own_article(corpus, question, a53, a54):
    occupied = only(question, "xj.a53.occupation_fine", corpus)
    destroyed = only(question, "xj.a54.destruction_fine", corpus)
    assert (int(occupied.details["min_yuan"]), int(occupied.details["max_yuan"])) == a53
    assert (int(destroyed.details["min_yuan"]), int(destroyed.details["max_yuan"])) == a54
    assert any("不计入本条" in w for w in occupied.warnings) and any("不计入本条" in w for w in destroyed.warnings)


def test_a_rate_for_one_category_is_not_another_categorys(corpus):
    c = only("挖砂毁了基本农田1亩、一般耕地2亩，基本农田的开垦费每亩3万元，罚多少", "xj.a54.destruction_fine", corpus)
    assert c.missing == ["cultivation_fee"] and c.details == {}


def test_a_rate_between_two_plots_is_asked_about(corpus):
    c = only("在永久基本农田上挖砂毁了2亩，开垦费每亩3万元，又在一般耕地上取土毁了1亩，罚多少", "xj.a54.destruction_fine", corpus)
    assert "unbound_facts" in c.missing and c.details == {} and "两块地之间" in c.unbound[0]


def test_one_fee_for_two_plots_is_asked_about(corpus):
    c = only("取土破坏了基本农田1亩、一般耕地2亩，开垦费一共15万元，罚多少", "xj.a54.destruction_fine", corpus)
    assert "unbound_facts" in c.missing and c.details == {}


def test_article_54_does_not_price_land_that_is_not_cultivated(corpus):
    # 第五十四条 fines destroying 耕地 only: land said not to be 耕地 gets no multiple of the fee
    comps = run_rules("在荒坡上取土（不是耕地），开垦费5万元，罚多少", corpus, today=TODAY)
    assert all(c.rule != "xj.a54.destruction_fine" for c in comps)


# ------------------------------------------------------------------ periods: each party from its own start

def test_two_parties_two_start_events(corpus):
    comps = [c for c in run_rules(
        "征收土地公告2025年3月10日发布，老李家没签协议，补偿安置决定2025年5月20日作出，两户补偿款分别最晚哪天付", corpus, today=TODAY,
    ) if c.rule == "xj.deadline.a30"]
    due = {c.title.split("（")[1].rstrip("）"): c.details["due"] for c in comps}
    assert due == {"老李家": "2025-08-20", "已达成协议的": "2025-06-10"}
    lee = next(c for c in comps if "老李家" in c.title)
    assert "征地补偿安置决定作出之日" in lee.understood_text() and "2025年5月20日" in lee.understood_text()


def test_a_party_without_its_own_start_is_asked_not_dated_from_the_announcement(corpus):
    (c,) = [c for c in run_rules("征收公告2025年3月10日发布，有一户没签协议，他家的补偿款最晚什么时候付", corpus, today=TODAY) if c.rule == "xj.deadline.a30"]
    assert c.missing == ["start_date"] and "due" not in c.details
    assert "有一户" in c.result and any("不能用公告日期代替" in w for w in c.warnings)


@pytest.mark.parametrize(
    ("question", "rule", "due", "after"),
    [
        # 8月1日 + 30日 = 8月31日 (Sunday) -> 9月1日; filed 9月5日: 4 days late
        ("2025年8月1日收到权属争议处理决定，9月5日才去法院起诉，超期没有", "xj.deadline.a8", "2025-09-01", 4),
        # 6月2日 + 90日 = 8月31日 -> 9月1日; today 8月1日: 31 days left
        ("处罚决定2025年6月2日生效，没收的建筑还没移交，今天是8月1日，还剩几天", "xj.deadline.a56", "2025-09-01", -31),
        # paid on the last day itself
        ("征收公告2025年3月10日发布，6月10日付清补偿款，超期了吗", "xj.deadline.a30", "2025-06-10", 0),
    ],
)
def test_whether_a_day_is_past_the_deadline(corpus, question, rule, due, after):
    c = only(question, rule, corpus)
    assert c.details["due"] == due and c.details["days_after_due"] == after


@pytest.mark.parametrize(
    ("question", "rule", "due", "after"),
    [
        # the day things stand on is compared, never counted from: 3月1日 + 不少于10日 = 3月11日
        ("宅基地申请2025年3月1日开始公示，到2025年3月8日公示满了吗", "xj.deadline.a40", "2025-03-11", -3),
        # 1月10日 + 3个月 = 4月10日; 4月15日 is 5 days past it
        ("征收土地公告2025年1月10日发布，到2025年4月15日补偿款还没付清，超期了吗？", "xj.deadline.a30", "2025-04-10", 5),
        # 8月1日 + 3个月 = 11月1日 (Saturday) -> 11月3日; 19 days left on 10月15日
        ("今天2025年10月15日，征收土地公告是2025年8月1日发布的，补偿款最晚哪天付，还有多少天？", "xj.deadline.a30", "2025-11-03", -19),
        # the start takes the year of today's date: 3月1日 + 30日 = 3月31日; 4月1日 is 1 day late
        ("现在是2025年4月1日，权属争议处理决定3月1日收到的，还能起诉吗，还差几天", "xj.deadline.a8", "2025-03-31", 1),
        ("处罚决定2025年6月2日生效，截至2025年8月1日，没收的建筑物移交期限还差几天？", "xj.deadline.a56", "2025-09-01", -31),
        # a span of publicity: 3月1日 + 不少于10日 = 3月11日, one day more than 3月10日 (the start day is not counted)
        ("宅基地申请从2025年3月1日至3月10日公示，公示期够不够", "xj.deadline.a40", "2025-03-11", -1),
    ],
)
def test_the_day_things_stand_on_is_checked_not_counted_from(corpus, question, rule, due, after):
    c = only(question, rule, corpus)
    assert c.details["due"] == due and c.details["days_after_due"] == after
    assert ("已超期" if after > 0 else "未超期" if spec_is_deadline(rule) else "期间不足") in c.result


def test_days_left_in_a_period_of_working_days_count_the_working_days(corpus):
    # 9月28日 + 10 working days over 国庆 = 10月17日; after 10月9日: 10、11 (调休上班)、13–17 = 7 working days of 8 days
    c = only("征地补偿安置方案修改后2025年9月28日重新公告，今天是10月9日，还要再公告几天", "xj.deadline.a26", corpus)
    assert c.details["due"] == "2025-10-17" and c.details["days_after_due"] == -8 and c.details["workdays_left"] == 7
    assert "还差8天，其中工作日7个" in c.result


def spec_is_deadline(rule: str) -> bool:
    return rule != "xj.deadline.a40"


@pytest.mark.parametrize(
    ("question", "dues"),
    [
        ("处理决定甲公司2025年3月3日收到、乙村3月11日收到，不服向法院起诉最晚哪天？", {"甲公司": ("2025-04-02", None), "乙村": ("2025-04-10", None)}),
        ("甲公司、乙村分别于2025年3月3日、3月11日收到处理决定，不服起诉期限各到哪天", {"甲公司": ("2025-04-02", None), "乙村": ("2025-04-10", None)}),
        ("处理决定甲公司2025年3月3日收到、乙村3月11日收到，到2025年4月5日还能起诉吗？", {"甲公司": ("2025-04-02", 3), "乙村": ("2025-04-10", -5)}),
        ("甲户2025年3月3日收到权属争议处理决定，乙户3月11日，今天是2025年4月5日，各自还有几天能起诉", {"甲户": ("2025-04-02", 3), "乙户": ("2025-04-10", -5)}),
        ("甲户3月3日收到权属争议处理决定，乙户是3月11日收到的，现在是2025年3月30日，起诉还剩几天", {"甲户": ("2025-04-02", -3), "乙户": ("2025-04-10", -11)}),
    ],
)
def test_parallel_parties_each_from_their_own_day(corpus, question, dues):
    comps = [c for c in run_rules(question, corpus, today=TODAY) if c.rule == "xj.deadline.a8"]
    got = {c.title.split("（")[1].rstrip("）"): (c.details["due"], c.details.get("days_after_due")) for c in comps}
    assert got == dues
    assert not any(c.unbound for c in comps)


def test_today_without_a_date_is_the_system_date_and_says_so(corpus):
    c = only("处罚决定2026年3月2日生效，没收的房子到现在还没移交，超期了吗", "xj.deadline.a56", corpus)
    assert c.details["due"] == "2026-06-01" and c.details["days_after_due"] == (TODAY - date(2026, 6, 1)).days
    assert "今天（系统日期）" in c.understood_text()


def test_days_between_two_dates(corpus):
    c = only("2025年1月1日到2025年3月1日隔了多少天", "date_arithmetic", corpus)
    assert c.value == 59 and c.details["days_inclusive"] == 60


# ------------------------------------------------------------------ inverse questions from the same parameters

def test_which_per_capita_land_gives_a_homestead_cap(corpus):
    c = only("宅基地想批到每户500平方米，人均耕地得达到多少", "xj.a39.homestead_cap", corpus)
    assert c.details == {"tiers": ["x4"], "exact": True}
    assert "0.1公顷以上" in c.result and "0.14公顷以下" in c.result
    assert {r.label.split("，")[0] for r in c.readings} == {"人均耕地恰好0.1公顷", "人均耕地恰好0.14公顷"}


@pytest.mark.parametrize(("question", "cap"), [("人均耕地1.8亩的村，宅基地上限多少", 500), ("人均耕地才0.3亩，每户宅基地最多多大", 200)])
def test_homestead_cap_in_mu(corpus, question, cap):
    c = only(question, "xj.a39.homestead_cap", corpus)
    assert c.value == Decimal(cap)


def test_which_area_the_county_approves(corpus):
    c = only("开发荒山面积在多大以内县政府可以批", "xj.a19.wasteland_authority", corpus)
    assert c.details == {"authority": "县（市）人民政府", "tier": "x1"} and "30公顷" in c.result


def test_which_areas_a_fine_allows(corpus):
    c = only("按一般耕地罚了90万元，占地面积在什么范围", "xj.a53.occupation_fine", corpus)
    assert c.details["areas_sqm"] == {"other_cultivated": ["1800", "3000"]}


@pytest.mark.parametrize(
    ("question", "authority"), [("一次性开发国有荒地1200亩，谁批", "州、市（地）人民政府（行政公署）"), ("一次开发2平方公里荒滩归谁批", "自治区人民政府")],
)
def test_wasteland_authority_in_mu_and_square_kilometres(corpus, question, authority):
    assert only(question, "xj.a19.wasteland_authority", corpus).details["authority"] == authority


# ------------------------------------------------------------------ arithmetic over the plans

def test_difference_not_sum(corpus):
    c = only("巴楚住宅用地比商服用地多多少公顷", "plan.bachu_supply", corpus)
    assert c.value == Decimal("18.1") and "多18.1公顷" in c.result


def test_sum_of_areas_written_inside_project_descriptions(corpus):
    c = only("巴楚县历史遗留废弃矿山治理项目占地面积一共多少亩", "plan.kashgar_projects", corpus)
    assert c.value == Decimal("1878.65") and c.details["summed"] == 6


def test_several_figures_in_one_description_give_readings_not_a_total(corpus):
    c = only("疏勒县退化草地保护与修复工程面积多少亩", "plan.kashgar_projects", corpus)
    assert c.value is None and {r.result.split("（")[0] for r in c.readings} == {"合计50000亩", "合计150000亩"}


def test_a_plan_rate_applied_to_a_stated_base(corpus):
    c = only("某县2020年单位GDP建设用地使用面积100平方米/万元，按喀什十四五下降率指标2025年应降到多少", "plan.kashgar_indicators", corpus)
    assert c.value == Decimal(84)


def test_two_counties_compared(corpus):
    c = only("附件1里叶城县的项目比泽普县多投资多少", "plan.kashgar_projects", corpus)
    sums = {k: Decimal(v) for k, v in c.details["sums_wan_yuan"].items()}
    assert c.value == abs(sums["叶城县"] - sums["泽普县"]) and list(sums) == ["叶城县", "泽普县"]


# ------------------------------------------------------------------ arithmetic over figures one sentence of the texts states

def test_a_change_between_two_stated_figures(corpus):
    c = only("十三五期间喀什的非油气矿山少了几家", "text.arithmetic", corpus)
    assert c.value == Decimal(507) and "下降约82.17%" in c.result and c.citation_ids == ["kashgar-plan:c1.s1.p5"]


def test_a_ratio_in_the_unit_asked_with_the_other_printed_form_as_a_reading(corpus):
    c = only("按喀什规划，增减挂钩跨省调剂指标平均每公顷换回多少钱", "text.arithmetic", corpus)
    # 85.2亿元 ÷ 1698.89公顷 first; the 2.55万亩 the text prints beside it gives another figure
    assert c.result.startswith("争取受益资金85.2亿元 ÷ 2018-2020年累计跨省调剂指标1698.89公顷 = 每公顷约501.5万元")
    assert c.value is None and len(c.readings) == 2


def test_a_stated_rate_applied_to_the_base_the_question_gives(corpus):
    c = only("我县今年新增建设用地计划3000亩，农村基础设施及产业发展用地最少要安排多少", "text.arithmetic", corpus)
    assert c.value == Decimal(150) and c.result.startswith("至少150亩")


def test_a_share_of_two_stated_figures(corpus):
    c = only("喀什十三五供应国有建设用地占审批建设用地的比例是多少", "text.arithmetic", corpus)
    assert c.result.startswith("供应国有建设用地0.98万公顷 ÷ 审批建设用地2.14万公顷 = 约45.79%") and c.value is None


def test_no_sentence_states_it_no_number(corpus):
    assert not [c for c in run_rules("喀什的棉花产量比去年增加了多少", corpus, today=TODAY) if c.rule == "text.arithmetic"]


@pytest.mark.parametrize(
    ("question", "end"),
    [("下午3点发生山体滑坡灾情，正射影像最迟几点要出来", "18:00"), ("晚上10点半发生灾情，应急测绘几点前要形成正射影像", "次日01:30")],
)
def test_a_clock_time_plus_the_hours_the_text_allows(corpus, question, end):
    assert only(question, "text.arithmetic", corpus).details["end"] == end


def test_minutes_it_cannot_read_give_no_time(corpus):
    assert not [c for c in run_rules("晚上10点一刻发生灾情，正射影像几点要出", corpus, today=TODAY) if c.rule == "text.arithmetic"]


def test_a_total_with_its_parts_is_priced_once(corpus):
    c = only("未经批准占用耕地1.2公顷建砖厂，其中永久基本农田0.8公顷，罚款区间多少", "xj.a53.occupation_fine", corpus)
    assert c.details == {"min_yuan": str(8000 * 500 + 4000 * 300), "max_yuan": str(8000 * 1000 + 4000 * 500)}


def test_a_stated_fine_is_checked_against_every_reading(corpus):
    c = only("违法占用耕地2公顷，罚了700万元，有没有超出法定幅度", "xj.a53.occupation_fine", corpus)
    assert "若为永久基本农田，所说罚款700万元（7000000元）低于法定下限" in c.result
    assert "若为永久基本农田以外的耕地，所说罚款700万元（7000000元）在法定幅度内" in c.result


def test_one_item_as_a_percentage_of_another(corpus):
    c = only("巴楚的商服用地是住宅用地的百分之多少", "plan.bachu_supply", corpus)
    assert "是住宅用地32.29公顷的约43.95%" in c.result


def test_days_from_a_date_to_today(corpus):
    c = only("从2025年1月1日到今天，过了多少天", "date_arithmetic", corpus)
    assert c.value == (TODAY - date(2025, 1, 1)).days and "今天（系统日期）" in c.understood_text()


def test_each_per_capita_figure_gets_its_own_cap_unless_a_change_is_asked(corpus):
    c = only("人均耕地0.5亩、0.8亩、1.2亩三个村，宅基地上限分别多少", "xj.a39.homestead_cap", corpus)
    assert c.details == {"caps_sqm": ["200", "300", "400"]} and c.value is None and "相差" not in c.result


@pytest.mark.parametrize(
    ("question", "rule", "expected"),
    [
        # 不少于十日: reporting on day 7 cuts the publicity short
        ("2025年3月1日开始宅基地公示，3月8日就报乡政府审批了，公示时间够不够", "xj.deadline.a40", "早于最早届满日3天，期间不足"),
        # 满二年: the day asked about is the period's last day
        ("荒山2023年6月1日批准开发，到2025年6月1日还没动工，能收回吗", "xj.deadline.a20.x1", "正是期间的最后一日"),
    ],
)
def test_a_given_day_against_a_minimum_or_a_condition(corpus, question, rule, expected):
    assert expected in only(question, rule, corpus).result


def test_a_decision_issued_is_not_the_decision_taking_effect(corpus):
    c = only("处罚决定书2025年9月1日下达，10月8日生效，没收建筑物移交最晚哪天", "xj.deadline.a56", corpus)
    assert c.details["start"] == "2025-10-08"


def test_a_part_in_brackets_is_priced_once(corpus):
    c = only("违法占用耕地2000平方米（其中基本农田500平方米），罚多少", "xj.a53.occupation_fine", corpus)
    assert c.details == {"min_yuan": str(500 * 500 + 1500 * 300), "max_yuan": str(500 * 1000 + 1500 * 500)}


def test_two_counties_project_counts_compared(corpus):
    c = only("喀什附件1中喀什市的项目比疏附县多多少个", "plan.kashgar_projects", corpus)
    counts = c.details["counts"]
    assert c.value == abs(counts["喀什市"] - counts["疏附县"])


def test_a_plan_rate_named_by_its_short_form(corpus):
    c = only("喀什十四五绿色矿山达标率指标是多少，我们有25座大中型矿山，至少多少座要达标", "plan.kashgar_indicators", corpus)
    assert c.value == Decimal(15) and "25座 × 60% = 15座" in c.result


ANY_QUOTE = re.compile(r"“([^“”]{4,})”")
QUESTIONS = [
    "占了一般耕地0.4公顷，另外还有0.6公顷是荒草地（不是耕地），按新疆办法罚多少",
    "占用旱地3亩、水田2亩，都不是基本农田，罚多少",
    "合作社擅自占地20亩搞养殖，其中基本农田8亩、一般耕地7亩，剩下的是草地，怎么罚",
    "破坏了基本农田1亩、一般耕地2亩，开垦费一共15万元，罚多少",
    "征收土地公告2025年3月10日发布，老李家没签协议，补偿安置决定5月20日作出，两户补偿款分别最晚哪天付",
    "宅基地申请3月1日开始公示，公示到哪天",
    "宅基地想批到每户450平方米，人均耕地得多少",
    "开发荒地130公顷归谁批",
    "喀什十三五期间的非油气矿山少了几家",
    "某县2020年单位GDP建设用地使用面积100平方米/万元，按喀什十四五下降率指标2025年应降到多少",
    "疏勒县退化草地保护与修复工程面积多少亩",
    "巴楚县2025年国有建设用地供应总量是多少公顷？",
]


@pytest.mark.parametrize("question", QUESTIONS)
def test_curly_quotes_hold_only_corpus_text(corpus, question):
    """“…” is kept for verbatim corpus text (the answer checks rely on it); the question's words are in 「…」."""
    text = "\n".join(u.text for u in corpus.units)
    for c in run_rules(question, corpus, today=TODAY):
        for field in (c.result, c.understood_text(), *c.warnings, *(r.label + r.result for r in c.readings)):
            for quoted in ANY_QUOTE.findall(field):
                assert quoted in text, (c.rule, quoted)


def test_a_supply_question_is_not_a_project_list_question(corpus):
    assert [c.rule for c in run_rules("巴楚县2025年国有建设用地供应总量是多少公顷？", corpus, today=TODAY)] == ["plan.bachu_supply"]
