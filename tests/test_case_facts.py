"""Case facts as staff write them: each plot with its own area, category and fee; dates with their event and party."""
from __future__ import annotations

import re
import tomllib
from datetime import date
from fractions import Fraction

import pytest

from qa.rules.extract import parse_question
from qa.rules.facts import KEYS, LAND_FILE, STRENGTHS, WORDS_FILE, clauses, find_terms, resolve_category, thesaurus

TODAY = date(2026, 5, 1)
PBF, OC, OL = "pbf", "other_cultivated", "other_land"


def plots(text: str) -> list[tuple[Fraction | None, frozenset | None]]:
    """(square metres, category keys) of every plot, in order."""
    case = parse_question(text, TODAY).facts
    return [(p.area.sqm if p.area else None, p.category.keys if p.category else None) for p in case.plots]


# ------------------------------------------------------------------ plots and their categories

@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # one plot, the category before or after its area, in every unit staff use
        ("村里有人没批就占了一般耕地2亩盖仓库", [(Fraction(4000, 3), {OC})]),
        ("违建占地1.5公顷，全是基本农田", [(15000, {PBF})]),
        ("去年占了两千平米永农搞养殖场", [(2000, {PBF})]),
        ("占用的是旱地，面积0.2公顷", [(2000, {PBF, OC})]),
        # negations and brackets bound to the plot they follow
        ("两处违法用地：一处一般耕地0.4公顷，另一处0.6公顷是荒草地（不是耕地）", [(4000, {OC}), (6000, {OL})]),
        ("建厂占了戈壁滩3亩，不是耕地", [(2000, {OL})]),
        ("占了5亩水浇地，不是永久基本农田", [(Fraction(10000, 3), {OC})]),
        ("占的地不是基本农田，面积1200平方米", [(1200, {OC, OL})]),
        ("永久基本农田里的旱地被挖了800平米", [(800, {PBF})]),
        ("荒坡（按耕地管理）2亩被占", [(Fraction(4000, 3), {PBF, OC})]),
        # several plots, each keeping its own words
        ("占用果园1亩、林地2亩和水田3亩", [(Fraction(2000, 3), {OL}), (Fraction(4000, 3), {OL}), (2000, {PBF, OC})]),
        ("3亩基本农田加上5亩盐碱荒地", [(2000, {PBF}), (Fraction(10000, 3), {OL})]),
        ("占用基本农田，约600平方米；占用一般耕地，约900平方米", [(600, {PBF}), (900, {OC})]),
        ("一块0.1公顷，是永久基本农田；一块0.2公顷，是草地", [(1000, {PBF}), (2000, {OL})]),
        ("林地和园地各0.5亩", [(Fraction(1000, 3), {OL}), (Fraction(1000, 3), {OL})]),
        ("占用一般耕地两块，一块2亩，一块1亩", [(Fraction(4000, 3), {OC}), (Fraction(2000, 3), {OC})]),
        # a restated area is one plot
        ("占用一般耕地3亩（2000平方米）", [(2000, {OC})]),
        # a remark about every plot before it; '平' for 平方米; 非耕地
        ("占用旱地3亩、水田2亩，都不是基本农田", [(2000, {OC}), (Fraction(4000, 3), {OC})]),
        ("占了永农300平，又占了非耕地500平", [(300, {PBF}), (500, {OL})]),
        # a total and its parts: the parts and what they leave, never the total again
        ("未经批准占用耕地1.2公顷，其中永久基本农田0.8公顷", [(8000, {PBF}), (4000, {OC})]),
        ("擅自占地20亩，其中基本农田8亩、一般耕地7亩，剩下的是草地", [(Fraction(16000, 3), {PBF}), (Fraction(14000, 3), {OC}), (Fraction(10000, 3), {OL})]),
        ("圈了15亩地，其中10亩是水浇地，5亩是荒地", [(Fraction(20000, 3), {PBF, OC}), (Fraction(10000, 3), {OL})]),
        # a part is of its total's category, and so is the rest of a total of one category
        ("占用永久基本农田200平方米，其中水浇地150平方米", [(150, {PBF}), (50, {PBF})]),
        ("占用一般耕地3亩，其中旱地2亩", [(Fraction(4000, 3), {OC}), (Fraction(2000, 3), {OC})]),
    ],
)
def test_plots_keep_their_own_category(text, expected):
    assert plots(text) == [(Fraction(a) if a is not None else None, frozenset(k)) for a, k in expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # '一般' before a kind of 耕地 is '一般耕地': not 永久基本农田
        ("非法占用一般旱地500平方米", [(500, {OC})]),
        ("占了一般的水浇地2亩", [(Fraction(4000, 3), {OC})]),
        ("普通耕地0.1公顷被占", [(1000, {OC})]),
        ("占用一般稻田500平方米、沙漠3亩", [(500, {OC}), (2000, {OL})]),
        # '基本农田以外的' rules 永久基本农田 out and leaves the kind of land to the other words
        ("占用基本农田以外的水浇地3亩", [(2000, {OC})]),
        ("占用永久基本农田以外的林地2亩", [(Fraction(4000, 3), {OL})]),
        ("占了永久基本农田以外的地800平方米", [(800, {OC, OL})]),
        # beside a plot said to be 永久基本农田, a kind of 耕地 is the other 耕地
        ("非法占用永久基本农田200平方米、水浇地500平方米、戈壁1000平方米", [(200, {PBF}), (500, {OC}), (1000, {OL})]),
        ("占用基本农田1亩，另外占了耕地2亩", [(Fraction(2000, 3), {PBF}), (Fraction(4000, 3), {OC})]),
        ("在永久基本农田上挖砂毁了2亩，又在旱地上取土毁了1亩", [(Fraction(4000, 3), {PBF}), (Fraction(2000, 3), {OC})]),
        # alone, or beside land that is not 永久基本农田, the wording leaves it open
        ("占用水浇地500平方米", [(500, {PBF, OC})]),
        ("占了水浇地500平方米、戈壁1000平方米", [(500, {PBF, OC}), (1000, {OL})]),
        ("占了一般耕地1亩、水田2亩", [(Fraction(2000, 3), {OC}), (Fraction(4000, 3), {PBF, OC})]),
        # a heading true of every plot it lists
        ("破坏耕地：永久基本农田2亩，一般耕地1亩", [(Fraction(4000, 3), {PBF}), (Fraction(2000, 3), {OC})]),
    ],
)
def test_staff_words_for_cultivated_land_that_is_not_basic_farmland(text, expected):
    assert plots(text) == [(Fraction(a), frozenset(k)) for a, k in expected]


def test_a_heading_that_does_not_fit_a_plot_is_reported():
    case = parse_question("占用耕地：荒地1亩，基本农田2亩", TODAY).facts
    assert case.unbound_of("plot") and "「耕地」" in case.unbound_of("plot")[0]


def test_a_plots_words_keep_only_their_own_brackets():
    case = parse_question("占用耕地2000平方米（其中基本农田500平方米），另有荒坡300平方米（不是耕地）", TODAY).facts
    assert [p.words for p in case.plots] == ["其中基本农田500平方米", "占用耕地2000平方米", "另有荒坡300平方米（不是耕地）"]


def test_the_contrast_with_basic_farmland_is_said():
    case = parse_question("非法占用永久基本农田200平方米、水浇地500平方米", TODAY).facts
    category = case.plots[1].category
    assert category is not None and "按不是永久基本农田理解" in category.reasoning() and "「非法占用永久基本农田200平方米」" in category.reasoning()
    assert case.plots[1].words == "水浇地500平方米"


def test_words_that_name_no_plot_give_no_category():
    case = parse_question("耕地开垦费每亩3万元，人均耕地0.05公顷", TODAY).facts
    assert all(p.category is None and p.area is None for p in case.plots)
    assert [a.raw for a in case.per_capita] == ["0.05公顷"]


def test_parts_larger_than_their_total_are_reported():
    case = parse_question("占用耕地2亩，其中永久基本农田3亩", TODAY).facts
    assert any("超过总面积" in u for u in case.unbound_of("plot"))


def test_a_plot_without_category_is_not_given_a_neighbours():
    assert plots("占用基本农田500平方米，另有300平方米没说是什么地") == [(500, frozenset({PBF})), (300, None)]


@pytest.mark.parametrize(
    "text",
    [
        "占了2亩和3亩，有旱地",  # which area is 旱地?
        "2亩地，旱地，3亩地",
    ],
)
def test_a_category_that_cannot_be_bound_is_reported_not_reassigned(text):
    case = parse_question(text, TODAY).facts
    assert all(p.category is None for p in case.plots)
    assert case.unbound_of("plot") and "旱地" in case.unbound_of("plot")[0]


def test_contradicting_words_give_no_category():
    (plot,) = parse_question("占了林地2亩，是永久基本农田，不是耕地", TODAY).facts.plots
    assert plot.category is not None and plot.category.conflict


# ------------------------------------------------------------------ fees of 第五十四条

@pytest.mark.parametrize(
    ("text", "fees"),
    [
        ("挖砂毁了基本农田1亩，开垦费是4万元", [40000]),
        ("取土破坏一般耕地6亩，耕地开垦费每亩1.5万元", [90000]),
        ("两块：一块是永久基本农田，开垦费12万元；另一块是一般耕地，开垦费9万元", [120000, 90000]),
        ("建窑破坏2亩基本农田，开垦费8万元；3亩一般耕地，开垦费6万元", [80000, 60000]),
        ("破坏基本农田1亩和一般耕地2亩，开垦费都按每亩3万元", [30000, 60000]),
    ],
)
def test_each_plot_has_its_own_fee(text, fees):
    case = parse_question(text, TODAY).facts
    assert [p.fee.yuan if p.fee else None for p in case.plots] == [Fraction(f) for f in fees]


def test_one_total_fee_for_two_plots_is_unbound():
    case = parse_question("破坏了基本农田1亩、一般耕地2亩，开垦费一共15万元", TODAY).facts
    assert all(p.fee is None for p in case.plots)
    assert any("15万元" in u for u in case.unbound_of("fee"))


# ------------------------------------------------------------------ per-capita land

@pytest.mark.parametrize(
    ("text", "per_capita", "plots_sqm"),
    [
        ("我们县人均耕地1.8亩，宅基地能批多大", ["1.8亩"], []),
        ("人均耕地从0.05公顷涨到0.09公顷，上限变多少", ["0.05公顷", "0.09公顷"], []),
        ("宅基地想批500平方米，人均耕地得多少", [], [500]),
        ("人均0.12公顷，已经盖了350平米", ["0.12公顷"], [350]),
    ],
)
def test_per_capita_land_is_only_what_is_said_per_person(text, per_capita, plots_sqm):
    case = parse_question(text, TODAY).facts
    assert [a.raw for a in case.per_capita] == per_capita
    assert [p.area.sqm for p in case.plots if p.area] == plots_sqm


# ------------------------------------------------------------------ dates with their events and parties

@pytest.mark.parametrize(
    ("text", "events"),
    [
        ("征地公告2025年4月2日贴出来的，补偿款最晚啥时候给", [("2025-04-02", "announcement")]),
        ("处理决定书6月3号（2025年）送到村委会", [("2025-06-03", "decision_received")]),
        ("罚款决定2025年8月8日生效", [("2025-08-08", "penalty_effective")]),
        ("宅基地2025年10月9日开始张榜公示", [("2025-10-09", "publicity_start")]),
        ("2024年3月5日批准开发的荒滩，一直没动", [("2024-03-05", "approval")]),
        ("抵押登记材料2025年6月30日受理", [("2025-06-30", "accepted")]),
        ("2025年5月6号收到处理决定，今天是5月20日", [("2025-05-06", "decision_received"), ("2025-05-20", "today")]),
        ("公告2025年3月1日发的，4月15日才付清", [("2025-03-01", "announcement"), ("2025-04-15", "act")]),
        ("征地公告2025年2月28日发布的，5月30号付的算不算超期", [("2025-02-28", "announcement"), ("2025-05-30", "act")]),
        ("从2025年1月1日到今天过了多少天", [("2025-01-01", None)]),
    ],
)
def test_each_date_has_its_own_event(text, events):
    case = parse_question(text, TODAY).facts
    assert [(str(e.date.value), e.event) for e in case.events] == events


def test_a_year_less_date_takes_the_year_of_the_date_before_it():
    case = parse_question("征收公告2025年11月3日发布，张家没签协议，安置决定12月1日作出", TODAY).facts
    decision = case.events[1]
    assert decision.date.value == date(2025, 12, 1) and decision.date.year_from == "2025年11月3日"


def test_an_earlier_year_less_date_keeps_todays_year_and_says_so():
    case = parse_question("征收公告2025年11月3日发布，安置决定1月5日作出", TODAY).facts
    assert case.events[1].date.year_assumed


@pytest.mark.parametrize(
    ("text", "parties"),
    [
        ("征收公告2025年3月1日发布，老李家没签协议，补偿安置决定5月6日才作出", [("老李家", False)]),
        ("甲户签了协议，乙户没签，乙户的安置决定2025年4月1日作出", [("甲户", True), ("乙户", False), ("乙户", None)]),
        ("有一户拒签，其他户都签了", [("有一户", False), ("其他户", True)]),
    ],
)
def test_parties_and_whether_they_signed(text, parties):
    case = parse_question(text, TODAY).facts
    assert [(p.name, p.agreement) for p in case.parties] == parties


def test_a_date_belongs_to_the_party_named_in_its_sentence():
    case = parse_question("征收公告2025年3月1日发布。老李家没签协议，补偿安置决定5月6日才作出", TODAY).facts
    announcement, decision = case.events
    assert announcement.party is None
    assert decision.party is not None and decision.party.name == "老李家" and decision.party.agreement is False


@pytest.mark.parametrize(
    ("text", "events"),
    [
        # the day things stand on, said before the date, is never a start, whatever event words follow it
        ("宅基地申请2025年3月1日开始公示，到2025年3月8日公示满了吗", [("2025-03-01", "publicity_start"), ("2025-03-08", "as_of")]),
        ("处罚决定2025年6月2日生效，截至2025年9月10日没收的建筑还没移交", [("2025-06-02", "penalty_effective"), ("2025-09-10", "as_of")]),
        ("征收土地公告2025年1月10日发布，到2025年4月15日公告已满三个月了吗", [("2025-01-10", "announcement"), ("2025-04-15", "as_of")]),
        ("今天2025年10月15日，征收土地公告是2025年8月1日发布的", [("2025-10-15", "today"), ("2025-08-01", "announcement")]),
        ("现在是2025年10月15日，处罚决定9月1日生效", [("2025-10-15", "today"), ("2025-09-01", "penalty_effective")]),
        ("处罚决定2025年6月2日生效，截止2025年9月10日还没移交", [("2025-06-02", "penalty_effective"), ("2025-09-10", "as_of")]),
        ("如今是2025年5月1日，公告2025年1月1日发布", [("2025-05-01", "today"), ("2025-01-01", "announcement")]),
        # a span: the first date starts the event said after it, the second is where things stand
        ("宅基地申请从2025年3月1日至3月10日公示", [("2025-03-01", "publicity_start"), ("2025-03-10", "as_of")]),
        ("2025年3月1日到3月10日张榜公示", [("2025-03-01", "publicity_start"), ("2025-03-10", "as_of")]),
        # '到…才' dates what follows; '收到' is not '到'
        ("公告2025年1月1日发布，到2025年3月1日才作出补偿安置决定", [("2025-01-01", "announcement"), ("2025-03-01", "compensation_decision")]),
        ("甲公司收到2025年3月3日作出的决定", [("2025-03-03", "decision")]),
    ],
)
def test_the_day_things_stand_on_is_not_a_start(text, events):
    case = parse_question(text, TODAY).facts
    assert [(str(e.date.value), e.event) for e in case.events] == events


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("处理决定甲公司2025年3月3日收到、乙村3月11日收到", [("甲公司", "2025-03-03"), ("乙村", "2025-03-11")]),
        ("甲户2025年3月3日收到处理决定，乙户3月11日", [("甲户", "2025-03-03"), ("乙户", "2025-03-11")]),
        ("老王家的处理决定2025年5月6日送达，老李家是5月9日", [("老王家", "2025-05-06"), ("老李家", "2025-05-09")]),
        ("甲户2025年3月3日收到处理决定，乙户是3月11日收到的", [("甲户", "2025-03-03"), ("乙户", "2025-03-11")]),
        ("处理决定甲公司是2025年3月3日收到的，乙村晚一些，3月11日才收到", [("甲公司", "2025-03-03"), ("乙村", "2025-03-11")]),
    ],
)
def test_a_parallel_item_without_event_words_has_the_event_of_the_item_it_repeats(text, expected):
    case = parse_question(text, TODAY).facts
    assert [(e.party.name if e.party else None, str(e.date.value)) for e in case.events] == expected
    assert len({e.event for e in case.events}) == 1 and case.events[0].event is not None
    assert "事件取自并列的" in case.events[1].via and not case.unbound_of("date")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # dates listed one after another share the event said after the last; '分别' pairs them with the parties in order
        ("甲户于2025年3月3日、乙户于3月11日收到处理决定", [("甲户", "2025-03-03"), ("乙户", "2025-03-11")]),
        ("甲公司、乙村分别于2025年3月3日、3月11日收到处理决定", [("甲公司", "2025-03-03"), ("乙村", "2025-03-11")]),
        ("老王家和老李家分别在2025年5月6日和5月9日收到处理决定", [("老王家", "2025-05-06"), ("老李家", "2025-05-09")]),
    ],
)
def test_listed_dates_share_the_event_said_after_them(text, expected):
    case = parse_question(text, TODAY).facts
    assert [(e.party.name if e.party else None, str(e.date.value)) for e in case.events] == expected
    assert {e.event for e in case.events} == {"decision_received"} and not case.unbound_of("date")


@pytest.mark.parametrize(
    "text",
    [
        "3月1日收到处理决定，3月9日又怎样",  # a different item, not a repetition
        "甲户2025年3月3日收到处理决定，乙户3月11日去了法院",  # 乙户's own words say something else
        "2025年3月1日收到处理决定，3月9日收到补偿款",  # the same verb, another object
    ],
)
def test_a_date_that_does_not_repeat_its_neighbour_stays_unbound(text):
    case = parse_question(text, TODAY).facts
    assert case.events[1].event is None and case.unbound_of("date")


def test_a_day_things_stand_on_belongs_to_every_party():
    case = parse_question("处理决定甲公司2025年3月3日收到、乙村3月11日收到，到2025年4月5日还能起诉吗", TODAY).facts
    assert case.events[2].event == "as_of" and case.events[2].party is None


@pytest.mark.parametrize(
    ("text", "start", "year_from"),
    [
        ("现在是2025年4月1日，处理决定3月1日收到的", "2025-03-01", "2025年4月1日"),
        ("今天是2025年2月1日，处理决定12月20日收到的", "2024-12-20", "2025年2月1日（在它之前的12月20日）"),
        ("处理决定3月1日收到，到2025年4月1日还能起诉吗", "2025-03-01", "2025年4月1日"),
    ],
)
def test_a_year_less_start_before_the_day_things_stand_on(text, start, year_from):
    case = parse_question(text, TODAY).facts
    (event,) = [e for e in case.events if e.event not in ("today", "as_of")]
    assert str(event.date.value) == start and event.date.year_from == year_from and not event.date.year_assumed


def test_two_dates_without_events_are_unbound():
    case = parse_question("3月1日和3月9日，到底哪天算", TODAY).facts
    assert len(case.unbound_of("date")) == 2


# ------------------------------------------------------------------ clauses, thesaurus as data

def test_clauses_do_not_cut_inside_brackets():
    assert [c.text for c in clauses("0.3公顷是荒坡（不是耕地，是戈壁），罚多少")] == ["0.3公顷是荒坡（不是耕地，是戈壁）", "罚多少"]


def test_every_category_the_thesaurus_maps_to_is_printed_in_the_statute(corpus):
    statute = "\n".join(u.text for u in corpus.units if u.doc_id == "xj-measures")
    a53 = corpus.unit("xj-measures:a53").text
    for key, category in thesaurus().categories.items():
        assert category["statute"] in statute, key
        assert set(category["keys"]) <= set(KEYS)
    # the three tiers of 第五十三条 are exactly the three legal keys, in the statute's own words
    for key in ("pbf", "other_cultivated", "other_land"):
        assert "占用" + thesaurus().categories[key]["statute"] in a53


def test_every_term_maps_to_known_categories_and_no_word_is_listed_twice():
    data = tomllib.loads(LAND_FILE.read_text(encoding="utf-8"))
    words = [w for entry in data["term"] for w in entry["words"]]
    assert len(words) == len(set(words))
    for entry in data["term"]:
        assert set(entry["keys"]) <= set(KEYS) and entry["strength"] in STRENGTHS
        assert entry.get("note"), entry["words"]


def test_masked_words_name_no_plot():
    for word in thesaurus().masks:
        assert find_terms(word) == [], word


def test_legal_words_decide_over_descriptive_ones():
    category = resolve_category(find_terms("荒坡按一般耕地算"))
    assert category is not None and category.keys == frozenset({OC})


def test_case_words_are_well_formed():
    data = tomllib.loads(WORDS_FILE.read_text(encoding="utf-8"))
    keys = [e["key"] for e in data["event"]]
    assert len(keys) == len(set(keys))
    for entry in data["party"]:
        for pattern in entry.get("patterns", []):
            re.compile(pattern)


def test_fen_of_land_is_a_tenth_of_a_mu():
    assert plots("占了一般耕地8分地盖房") == [(Fraction(8 * 2000, 30), frozenset({OC}))]


# ------------------------------------------------------------------ an area said as a range

@pytest.mark.parametrize(
    ("text", "low_sqm", "high_sqm"),
    [
        ("建猪圈占了差不多6到7亩永久基本农田", 4000, Fraction(14000, 3)),
        ("推平了草地两三百平米", 200, 300),
        ("占用水浇地十七八亩", Fraction(17 * 10000, 15), 12000),
        ("挖了1.5~2公顷一般耕地", 15000, 20000),
        ("未批建房，占地300平方米至400平方米左右，是旱地", 300, 400),
    ],
)
def test_a_range_of_one_area_is_one_plot_between_its_ends(text, low_sqm, high_sqm):
    case = parse_question(text, TODAY).facts
    assert len(case.plots) == 1
    area = case.plots[0].area
    assert area is not None and (area.low_sqm, area.sqm) == (low_sqm, high_sqm)
    assert case.plots[0].category is not None


@pytest.mark.parametrize("text", ["面积从3亩扩大到5亩", "一块3亩、一块5亩，都是一般耕地", "占了5亩到3亩"])
def test_two_figures_that_are_no_range_stay_two_plots(text):
    assert len(parse_question(text, TODAY).facts.plots) == 2


# ------------------------------------------------------------------ words pointing back at a plot

def test_a_clause_pointing_back_gives_its_fee_and_act_to_the_plot_it_points_at():
    case = parse_question("去年合法征用旱地补交过开垦费5万，今年又在隔壁基本农田上取土，把那片地挖坏了，那片地核定开垦费6万元", TODAY).facts
    assert [(p.category.keys if p.category else None, p.fee.yuan if p.fee else None) for p in case.plots] == [
        (frozenset({OC}), 50000), (frozenset({PBF}), 60000),  # 旱地 set against the 基本农田 beside it
    ]
    assert "destroyed" in case.plots[1].roles and "那片地核定开垦费6万元" in case.plots[1].via and case.unbound == []


def test_an_area_repeated_with_a_pointer_is_the_same_plot():
    case = parse_question("未经批准占用草地2亩盖棚，后来又在这2亩上采矿，开垦费核定2万", TODAY).facts
    assert len(case.plots) == 1 and {"occupied", "destroyed"} <= case.plots[0].roles
    assert case.plots[0].fee is not None and case.plots[0].fee.yuan == 20000


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("这块地3亩是基本农田，那块地2亩是一般耕地", 2),  # each with its own area and category: two plots
        ("占了一般耕地2亩，这次又占了基本农田2亩", 2),  # 这次 points at no plot
        ("这块一般耕地2亩被占，那块基本农田也被占了1亩", 2),  # a category of its own: a plot of its own
    ],
)
def test_words_that_do_not_point_back_at_a_plot_keep_their_own(text, count):
    assert len(parse_question(text, TODAY).facts.plots) == count


@pytest.mark.parametrize(
    ("text", "events"),
    [
        # 'X是<date>V的': the date is X's, whatever event words the next matter says after 的
        ("征收土地公告是2025年3月31号发布的补偿费最晚哪天之前要足额付清", [("2025-03-31", "announcement")]),
        ("征地公告是2025年1月10日贴出的补偿款哪天前付", [("2025-01-10", "announcement")]),
        ("补偿款是2025年5月1日付的，公告是2025年1月10日发的", [("2025-05-01", "act"), ("2025-01-10", "announcement")]),
        # an event word said with 的 inside it
        ("我们2025年3月25号接到的通知，不服", [("2025-03-25", "decision_received")]),
        ("村里2025年6月2日收到的处理决定", [("2025-06-02", "decision_received")]),
    ],
)
def test_a_date_between_its_thing_and_the_verb_after_it(text, events):
    case = parse_question(text, TODAY).facts
    assert [(str(e.date.value), e.event) for e in case.events] == events
    assert all(e.event_words in text for e in case.events)  # the words as said, '接到的通知'


@pytest.mark.parametrize(
    ("text", "roles"),
    [
        ("在戈壁上推平了0.8公顷地搞堆场，罚多少", {"occupied"}),
        ("把2亩荒地硬化了停车，罚多少", {"occupied"}),
    ],
)
def test_land_stored_on_or_paved_is_occupied(text, roles):
    (plot,) = parse_question(text, TODAY).facts.plots
    assert roles <= plot.roles and "destroyed" not in plot.roles


@pytest.mark.parametrize(
    ("text", "fine"),
    [
        ("有人在一般耕地上挖砂毁了三亩地，开垦费每亩一万五，罚多少", "罚款22.5万元至31.5万元"),
        ("有人在永久基本农田上挖砂毁了三亩地，开垦费每亩一万五，罚多少", "罚款31.5万元至45万元"),
        ("有人在一般耕地上取土毁了2亩，开垦费每亩1万5，罚多少", "罚款15万元至21万元"),
        ("有人在戈壁上推平了零点八公顷地搞堆场，按办法第五十三条该罚多少", "罚款80万元至240万元"),
    ],
)
def test_fees_and_areas_said_the_spoken_way_reach_the_fine(corpus, text, fine):
    from qa.rules import run_rules

    results = [c.result for c in run_rules(text, corpus, today=TODAY) if not c.missing]
    assert any(r.startswith(fine) for r in results), results


@pytest.mark.parametrize(
    ("text", "fine", "note"),
    [
        ("村民在荒地上私搭乱建，占了三百来平米，罚多少", "罚款3万元至9万元", "面积是约数"),
        ("有人在荒地上盖房占了两千多平米，罚多少", "罚款20万元至60万元", "按所说数字算出的是最低数"),
    ],
)
def test_a_rough_area_is_fined_as_said_and_says_so(corpus, text, fine, note):
    from qa.rules import run_rules

    [c] = [c for c in run_rules(text, corpus, today=TODAY) if c.rule == "xj.a53.occupation_fine"]
    assert fine in c.result and note in c.result
