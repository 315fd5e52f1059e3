"""Properties of the rules over many inputs (hypothesis): fines, tier lookups, date arithmetic, table sums, inverses."""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

import chinese_calendar
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qa.rules import run_rules
from qa.rules.authority import WastelandAuthority
from qa.rules.dates import add_months, add_workdays, calendar_years, compute_due, is_workday
from qa.rules.extract import parse_question
from qa.rules.homestead import homestead_tiers
from qa.rules.model import Computation, RuleContext
from qa.rules.params import default_params
from qa.rules.plan_math import amount_of, county_of
from qa.rules.thresholds import classify

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
CTX = RuleContext(params=default_params(), corpus=None, today=date(2026, 5, 1))
P = default_params()
WORDS = {"x1": "永久基本农田", "x2": "一般耕地", "x3": "其他土地"}
# whole square metres or hundredths of a 亩/公顷, as staff write them
areas = st.one_of(
    st.integers(1, 200000).map(lambda n: (f"{n}平方米", Fraction(n))),
    st.integers(1, 50000).map(lambda n: (f"{Decimal(n) / 100}亩", Fraction(n, 100) * Fraction(2000, 3))),
    st.integers(1, 5000).map(lambda n: (f"{Decimal(n) / 100}公顷", Fraction(n, 100) * 10000)),
)


def _str(value: object) -> str:
    """A detail the rules write as text (exact numbers, ISO dates)."""
    assert isinstance(value, str), value
    return value


def _text(c: Computation, key: str) -> str:
    return _str(c.details[key])


def _items(c: Computation, key: str) -> dict[str, object] | list[object]:
    """A detail the rules write as a mapping or a list."""
    value = c.details[key]
    assert isinstance(value, dict | list), (key, value)
    return value


def _list(value: object) -> list[object]:
    assert isinstance(value, list), value
    return value


def _fine(item: str, area_text: str) -> tuple[Fraction, Fraction]:
    (c,) = [c for c in run_rules(f"非法占用{WORDS[item]}{area_text}，罚款多少", None, today=CTX.today) if c.rule == "xj.a53.occupation_fine"]
    assert c.missing == []
    return Fraction(_text(c, "min_yuan")), Fraction(_text(c, "max_yuan"))


@SETTINGS
@given(item=st.sampled_from(sorted(WORDS)), a=areas, b=areas)
def test_fines_grow_with_area_and_stay_in_the_articles_range(item, a, b):
    (ta, sqm_a), (tb, sqm_b) = a, b
    lo_a, hi_a = _fine(item, ta)
    lo_b, hi_b = _fine(item, tb)
    rate_lo, rate_hi = P.num(f"xj.a53.{item}.rate_min"), P.num(f"xj.a53.{item}.rate_max")
    assert (lo_a, hi_a) == (rate_lo * sqm_a, rate_hi * sqm_a)
    assert lo_a <= hi_a
    if sqm_a < sqm_b:
        assert lo_a < lo_b and hi_a < hi_b


# words staff write for each item of 第五十三条 that decide it on their own
ITEM_WORDS = {
    "x1": ["永久基本农田", "基本农田", "永农"],
    "x2": ["一般耕地", "一般旱地", "一般的水浇地", "非基本农田", "基本农田以外的水田"],
    "x3": ["荒草地", "戈壁", "林地", "荒坡", "盐碱荒地"],
}
plot_words = st.sampled_from(sorted(ITEM_WORDS)).flatmap(lambda item: st.sampled_from(ITEM_WORDS[item]).map(lambda w: (item, w)))


@SETTINGS
@given(plots=st.lists(st.tuples(plot_words, areas), min_size=2, max_size=4))
def test_the_total_over_mixed_plots_is_the_sum_of_each_plots_range(plots):
    question = "非法占用" + "、".join(f"{word}{area}" for (_, word), (area, _) in plots) + "，罚款合计多少"
    (c,) = [c for c in run_rules(question, None, today=CTX.today) if c.rule == "xj.a53.occupation_fine"]
    assert c.missing == [], (question, c.result)
    lo = sum((P.num(f"xj.a53.{item}.rate_min") * sqm for (item, _), (_, sqm) in plots), Fraction(0))
    hi = sum((P.num(f"xj.a53.{item}.rate_max") * sqm for (item, _), (_, sqm) in plots), Fraction(0))
    assert (Fraction(_text(c, "min_yuan")), Fraction(_text(c, "max_yuan"))) == (lo, hi)
    assert len(c.understood) == len(plots)


@SETTINGS
@given(
    pbf=st.tuples(st.sampled_from(ITEM_WORDS["x1"]), areas),
    others=st.lists(st.tuples(st.sampled_from(["水浇地", "旱地", "水田", "耕地"]), areas), min_size=1, max_size=3),
    pbf_first=st.booleans(),
)
def test_kinds_of_cultivated_land_listed_beside_basic_farmland_are_the_other_cultivated_land(pbf, others, pbf_first):
    listed = [pbf, *others] if pbf_first else [*others, pbf]
    question = "非法占用" + "、".join(f"{w}{a}" for w, (a, _) in listed) + "，罚款合计多少"
    (c,) = [c for c in run_rules(question, None, today=CTX.today) if c.rule == "xj.a53.occupation_fine"]
    assert c.missing == [], (question, c.result)
    lo = P.num("xj.a53.x1.rate_min") * pbf[1][1] + sum((P.num("xj.a53.x2.rate_min") * sqm for _, (_, sqm) in others), Fraction(0))
    assert Fraction(_text(c, "min_yuan")) == lo
    # alone, the same kinds of land stay open: no total
    (alone,) = [c for c in run_rules("非法占用" + "、".join(f"{w}{a}" for w, (a, _) in others) + "，罚款合计多少", None, today=CTX.today)
                if c.rule == "xj.a53.occupation_fine"]
    assert alone.missing == ["land_category"] and alone.details == {}


@SETTINGS
@given(
    rate=st.integers(1, 500).map(lambda n: Fraction(n, 10)),
    plots=st.lists(st.tuples(st.sampled_from(["x1", "x2"]), st.integers(1, 500).map(lambda n: Fraction(n, 10))), min_size=2, max_size=3),
)
def test_destruction_over_several_plots_is_the_sum_of_fee_times_multiple(rate, plots):
    words = {"x1": "永久基本农田", "x2": "一般耕地"}
    question = f"耕地开垦费按每亩{Decimal(rate.numerator) / rate.denominator}万元算，" + "，".join(
        f"挖砂毁了{words[item]}{Decimal(mu.numerator) / mu.denominator}亩" for item, mu in plots
    ) + "，罚款范围多少"
    (c,) = [c for c in run_rules(question, None, today=CTX.today) if c.rule == "xj.a54.destruction_fine"]
    assert c.missing == [], (question, c.result)
    fees = [(item, rate * 10000 * mu) for item, mu in plots]
    lo = sum((fee * P.num(f"xj.a54.{item}.multiple_min") for item, fee in fees), Fraction(0))
    hi = sum((fee * P.num(f"xj.a54.{item}.multiple_max") for item, fee in fees), Fraction(0))
    assert (Fraction(_text(c, "min_yuan")), Fraction(_text(c, "max_yuan"))) == (lo, hi)


@SETTINGS
@given(
    parts=st.lists(st.tuples(st.sampled_from(["永久基本农田", "基本农田"]), st.integers(1, 500)), min_size=1, max_size=3),
    rest=st.integers(0, 500), other=st.integers(1, 500), bracket=st.booleans(),
)
def test_a_total_and_its_parts_are_priced_once_and_a_plot_after_them_on_its_own(parts, rest, other, bracket):
    total = sum(a for _, a in parts) + rest
    listed = "其中" + "、".join(f"{w}{a}平方米" for w, a in parts)
    question = f"占用耕地{total}平方米" + (f"（{listed}）" if bracket else f"，{listed}") + f"，另有荒坡{other}平方米，罚多少"
    case = parse_question(question, CTX.today).facts
    assert sum(p.area.sqm for p in case.plots if p.area) == total + other
    (c,) = [c for c in run_rules(question, None, today=CTX.today) if c.rule == "xj.a53.occupation_fine"]
    pbf = sum(a for _, a in parts)
    assert Fraction(_text(c, "min_yuan")) == pbf * 500 + rest * 300 + other * 100


@SETTINGS
@given(fine=st.integers(1, 10**8), item=st.sampled_from(sorted(WORDS)))
def test_the_inverse_of_a_fine_maps_back_onto_the_fine(fine, item):
    (c,) = [c for c in run_rules(f"占用{WORDS[item]}被罚了{fine}元，占用面积有多大", None, today=CTX.today) if c.rule == "xj.a53.occupation_fine"]
    key = {"x1": "pbf", "x2": "other_cultivated", "x3": "other_land"}[item]
    areas = _items(c, "areas_sqm")
    assert isinstance(areas, dict)
    least, most = (Fraction(_str(x)) for x in _list(areas[key]))
    assert least * P.num(f"xj.a53.{item}.rate_max") == fine == most * P.num(f"xj.a53.{item}.rate_min")


def _covering(x: Fraction, tiers) -> set[str]:
    """The tiers whose printed bounds include x, read straight from the boundary words of the parameter table
    (以上/以下 include the number, 超过/不足 exclude it); the one conflicting bound is tested on its own."""
    out = set()
    for t in tiers:
        ok = True
        if t.lower is not None:
            ok &= x >= t.lower.value if "以上" in t.lower.words and "超过" not in t.lower.words else x > t.lower.value
        if t.upper is not None:
            ok &= x <= t.upper.value if "以下" in t.upper.words else x < t.upper.value
        if ok:
            out.add(t.key)
    return out


HOMESTEAD = homestead_tiers(CTX)
WASTELAND = WastelandAuthority().tiers(CTX)


def _points(tiers) -> list[Fraction]:
    return sorted({b.value for t in tiers for b in (t.lower, t.upper) if b is not None})


@SETTINGS
@given(x=st.one_of(st.sampled_from(_points(HOMESTEAD)), st.fractions(0, 2, max_denominator=1000)))
def test_homestead_tier_lookup_matches_the_parameter_table(x):
    found = {t.key for t in classify(x, HOMESTEAD).candidates}
    assert found == _covering(x, HOMESTEAD) and found


@SETTINGS
@given(x=st.one_of(st.sampled_from(_points(WASTELAND)), st.fractions(0, 400, max_denominator=100)))
def test_wasteland_tier_lookup_matches_the_parameter_table_at_every_boundary(x):
    cls = classify(x, WASTELAND)
    expected = _covering(x, WASTELAND)
    if x == 130:  # '超过130公顷以上': two readings, one of them covered by no tier
        assert [sorted(t.key for t in r.tiers) for r in cls.readings] == [["x3"], []]
    else:
        assert {t.key for t in cls.candidates} == expected and len(cls.readings) == 1


@pytest.mark.parametrize("cap", sorted({P.num(f"xj.a39.{k}.cap") for k in ("x1", "x2", "x3", "x4", "x5", "x6")}))
def test_the_inverse_homestead_tier_maps_forward_to_its_cap(cap):
    (c,) = [c for c in run_rules(f"宅基地想批到每户{cap}平方米，人均耕地得多少", None, today=CTX.today) if c.rule == "xj.a39.homestead_cap"]
    for key in _items(c, "tiers"):
        tier = next(t for t in HOMESTEAD if t.key == key)
        lo = tier.lower.value if tier.lower else Fraction(0)
        hi = tier.upper.value if tier.upper else lo + 1
        inside = (lo + hi) / 2
        assert classify(inside, HOMESTEAD).definite == tier and P.num(tier.outcome) == cap


first_year, last_year = calendar_years()
known_days = st.dates(date(first_year, 1, 1), date(last_year, 11, 30))


@SETTINGS
@given(start=known_days, n=st.integers(1, 30))
def test_working_days_agree_with_chinese_calendar(start, n):
    due = add_workdays(start, n)
    if due.exact is None:  # ran past the calendar's last year
        assert due.unknown_years and max(due.unknown_years) > last_year
        return
    assert chinese_calendar.is_workday(due.exact)
    assert len(chinese_calendar.get_workdays(start + timedelta(days=1), due.exact)) == n


@SETTINGS
@given(start=known_days, days=st.integers(1, 120))
def test_a_deadline_in_days_is_the_plain_date_or_the_next_working_day(start, days):
    _, due, _, details = compute_due(start, days, "日", "deadline")
    plain = start + timedelta(days=days)
    assert date.fromisoformat(details["period_end"]) == plain
    if due is not None:
        assert due >= plain and is_workday(due)
        assert all(not is_workday(plain + timedelta(days=i)) for i in range((due - plain).days))


@SETTINGS
@given(start=st.dates(date(2000, 1, 1), date(2040, 12, 31)), months=st.integers(1, 36))
def test_months_end_on_the_same_day_or_the_month_end(start, months):
    end = add_months(start, months)
    assert (end.year * 12 + end.month) - (start.year * 12 + start.month) == months
    assert end.day == start.day or (end.day < start.day and (end + timedelta(days=1)).day == 1)


@SETTINGS
@given(a=st.dates(date(2015, 1, 1), date(2030, 12, 31)), b=st.dates(date(2015, 1, 1), date(2030, 12, 31)))
def test_days_between_two_dates_is_plain_datetime(a, b):
    question = f"{a.year}年{a.month}月{a.day}日到{b.year}年{b.month}月{b.day}日相隔多少天"
    (c,) = [c for c in run_rules(question, None, today=CTX.today) if c.rule == "date_arithmetic"]
    assert c.value == abs((b - a).days)


@SETTINGS
@given(start=known_days, later=st.integers(0, 90), form=st.sampled_from(["到{d}还能起诉吗", "截至{d}，起诉超期了吗", "今天是{d}，还有几天可以起诉"]))
def test_the_day_things_stand_on_is_compared_with_the_deadline_never_counted_from(start, later, form):
    day = start + timedelta(days=later)
    said = form.format(d=f"{day.year}年{day.month}月{day.day}日")
    question = f"{start.year}年{start.month}月{start.day}日收到土地权属争议处理决定，{said}"
    (c,) = [c for c in run_rules(question, None, today=CTX.today) if c.rule == "xj.deadline.a8"]
    assert c.details["start"] == start.isoformat()
    if "due" in c.details:  # inside the years the holiday calendar knows
        assert c.details["days_after_due"] == (day - date.fromisoformat(_text(c, "due"))).days


PARALLEL = [
    "权属争议处理决定{a}{d1}收到、{b}{d2}收到，起诉期限到哪天",
    "{a}{d1}收到权属争议处理决定，{b}{d2}，各自起诉期限到哪天",
    "{a}于{d1}、{b}于{d2}收到权属争议处理决定，起诉最晚哪天",
    "{a}、{b}分别于{d1}、{d2}收到权属争议处理决定，起诉最晚哪天",
    "{a}{d1}收到权属争议处理决定，{b}是{d2}收到的，起诉最晚哪天",
]


@SETTINGS
@given(
    pair=st.permutations(["甲户", "乙户", "甲公司", "乙村", "老王家", "老李家"]).map(lambda p: p[:2]),
    first=known_days, later=st.integers(1, 60), form=st.sampled_from(PARALLEL),
)
def test_each_of_two_parallel_parties_runs_from_its_own_day(pair, first, later, form):
    second = first + timedelta(days=later)
    a, b = pair
    # the second date without its year when it is the first's, as staff write it
    d2 = f"{second.month}月{second.day}日" if second.year == first.year else f"{second.year}年{second.month}月{second.day}日"
    question = form.format(a=a, b=b, d1=f"{first.year}年{first.month}月{first.day}日", d2=d2)
    comps = [c for c in run_rules(question, None, today=CTX.today) if c.rule == "xj.deadline.a8"]
    starts = {c.title.split("（")[1].rstrip("）"): c.details["start"] for c in comps}
    assert starts == {a: first.isoformat(), b: second.isoformat()}, question


COUNTIES = ["喀什市", "疏附县", "疏勒县", "英吉沙县", "泽普县", "莎车县", "叶城县", "麦盖提县", "岳普湖县", "伽师县", "巴楚县", "塔什库尔干县"]


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(county=st.sampled_from(COUNTIES))
def test_a_sum_over_the_project_table_equals_the_sum_of_its_rows(corpus, county):
    (c,) = [c for c in run_rules(f"喀什附件1项目清单里{county}的项目总金额多少", corpus, today=CTX.today) if c.rule == "plan.kashgar_projects"]
    rows = [r for r in corpus.table("kashgar-plan:att1").rows if county_of(r.cells) == county]
    amounts = [a for a in (amount_of(r.cells) for r in rows) if a is not None]
    assert Decimal(_text(c, "sum_wan_yuan")) == sum(amounts, Decimal(0))
    assert c.details["count"] == len(rows) and c.details["with_amount"] == len(amounts)


def test_the_counties_and_the_rest_add_up_to_the_whole_table(corpus):
    rows = corpus.table("kashgar-plan:att1").rows
    (whole,) = [c for c in run_rules("喀什附件1项目清单全部项目总金额多少，按县分", corpus, today=CTX.today) if c.rule == "plan.kashgar_projects"]
    by_county = _items(whole, "groups")
    assert isinstance(by_county, dict)
    groups = {k: Decimal(_str(v)) for k, v in by_county.items()}
    assert sum(groups.values(), Decimal(0)) == Decimal(_text(whole, "sum_wan_yuan")) == sum((a for a in (amount_of(r.cells) for r in rows) if a), Decimal(0))
