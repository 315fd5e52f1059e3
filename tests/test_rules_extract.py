"""Input extraction: Arabic and Chinese numerals, 万, area units, money, dates, land categories, places."""
from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest

from qa.rules.extract import (
    extract_areas,
    extract_categories,
    extract_dates,
    extract_durations,
    extract_money,
    extract_regions,
    normalize,
    parse_number,
    parse_question,
)
from qa.rules.mentions import standalone_years

TODAY = date(2026, 5, 1)


@pytest.mark.parametrize(
    ("token", "value"),
    [
        ("2000", 2000), ("0.5", Fraction(1, 2)), ("1.2万", 12000), ("3万", 30000), ("1.5亿", 150000000), ("2千", 2000),
        ("两千", 2000), ("二千", 2000), ("两百", 200), ("两万", 20000), ("五十", 50), ("一万二", 12000), ("一千零五十", 1050),
        ("零点零四", Fraction(1, 25)), ("一点五", Fraction(3, 2)), ("十", 10), ("一百三十", 130), ("三十", 30),
    ],
)
def test_parse_number(token, value):
    assert parse_number(token) == value


@pytest.mark.parametrize("token", ["", "万", "点"])
def test_parse_number_rejects_non_numbers(token):
    assert parse_number(token) is None


@pytest.mark.parametrize(
    ("text", "value", "unit", "sqm"),
    [
        ("2000平方米", 2000, "平方米", 2000),
        ("两千平米", 2000, "平方米", 2000),
        ("3亩", 3, "亩", 2000),
        ("0.5公顷", Fraction(1, 2), "公顷", 5000),
        ("1.2万平方米", 12000, "平方米", 12000),
        ("五十公顷", 50, "公顷", 500000),
        ("3万亩", 30000, "亩", 20000000),
        ("2平方公里", 2, "平方公里", 2000000),
        ("2平方千米", 2, "平方公里", 2000000),
        ("5km2", 5, "平方公里", 5000000),
        ("300㎡", 300, "平方米", 300),
        ("300m2", 300, "平方米", 300),
        ("1亩", 1, "亩", Fraction(2000, 3)),
        ("１２００平方米", 1200, "平方米", 1200),
        ("1,200平方米", 1200, "平方米", 1200),
        ("一次性开发一百三十公顷", 130, "公顷", 1300000),
    ],
)
def test_areas_with_unit_conversion_to_square_metres(text, value, unit, sqm):
    areas = extract_areas(normalize(text))
    assert len(areas) == 1
    assert (areas[0].value, areas[0].unit, areas[0].sqm) == (Fraction(value), unit, Fraction(sqm))


def test_areas_ignore_rates_and_words_that_only_look_numeric():
    assert extract_areas(normalize("一般耕地按每平方米500元处罚，一次性开发")) == []


def test_area_conversion_is_exact():
    (area,) = extract_areas("1亩")
    assert area.to("公顷") == Fraction(1, 15)
    assert area.to("平方公里") == Fraction(1, 1500)


@pytest.mark.parametrize(
    ("text", "yuan", "per"),
    [
        ("罚款30万元", 300000, None), ("三万元", 30000, None), ("1.5亿元", 150000000, None), ("500元", 500, None),
        ("耕地开垦费每平方米20元", 20, "平方米"), ("每亩2万元", 20000, "亩"), ("20元/平方米", 20, "平方米"), ("2万元每亩", 20000, "亩"),
    ],
)
def test_money(text, yuan, per):
    (money,) = extract_money(normalize(text))
    assert (money.yuan, money.per) == (Fraction(yuan), per)


@pytest.mark.parametrize(
    ("text", "expected", "assumed"),
    [
        ("2025年3月1日", date(2025, 3, 1), False),
        ("2025年3月1号", date(2025, 3, 1), False),
        ("2025-3-1", date(2025, 3, 1), False),
        ("2025/03/01", date(2025, 3, 1), False),
        ("2025.3.1", date(2025, 3, 1), False),
        ("二〇二五年三月一日", date(2025, 3, 1), False),
        ("２０２５年３月１日", date(2025, 3, 1), False),
        ("3月1日", date(2026, 3, 1), True),
        ("三月一日", date(2026, 3, 1), True),
        ("十二月三十一日", date(2026, 12, 31), True),
    ],
)
def test_dates_in_common_forms(text, expected, assumed):
    (mention,) = extract_dates(normalize(text), TODAY)
    assert (mention.value, mention.year_assumed, mention.error) == (expected, assumed, None)


@pytest.mark.parametrize(("text", "error"), [("2025年2月30日", "不是有效日期"), ("2025年13月1日", "不是有效日期"), ("2025年3月", "缺少具体日")])
def test_invalid_or_incomplete_dates_are_reported_not_guessed(text, error):
    (mention,) = extract_dates(normalize(text), TODAY)
    assert mention.value is None and mention.error is not None and error in mention.error


def test_a_date_is_not_read_as_an_area_or_a_duration():
    q = parse_question("2025.3.1公告，3月1日开始，公告十个工作日", TODAY)
    assert q.areas == []
    assert [(d.count, d.unit) for d in q.durations] == [(10, "工作日")]
    # the year-less date takes the year of the full date before it (not today's year): the question names only 2025
    assert [d.value for d in q.dates] == [date(2025, 3, 1), date(2025, 3, 1)]
    assert q.dates[1].year_from == "2025.3.1" and not q.dates[1].year_assumed


@pytest.mark.parametrize(
    ("text", "year", "year_from"),
    [
        # before the only full date of the question, on or before its day: that date's year
        ("处理决定3月1日收到，2025年4月1日还能起诉吗", 2025, "2025年4月1日"),
        ("公告3月1日发布，2025年3月1日付清", 2025, "2025年3月1日"),
        # after it in the calendar: the year is in doubt, today's year is assumed and said
        ("处理决定5月1日收到，2025年4月1日还能起诉吗", TODAY.year, None),
    ],
)
def test_a_year_less_date_before_a_full_date(text, year, year_from):
    first = parse_question(text, TODAY).dates[0]
    assert first.value is not None and first.value.year == year and first.year_from == year_from
    assert first.year_assumed == (year_from is None)


@pytest.mark.parametrize(
    ("text", "count", "unit"),
    [("十个工作日", 10, "工作日"), ("三十日内", 30, "日"), ("30天", 30, "日"), ("三个月", 3, "月"), ("二年", 2, "年"), ("两年", 2, "年"), ("九十日", 90, "日")],
)
def test_durations(text, count, unit):
    (duration,) = extract_durations(normalize(text), [])
    assert (duration.count, duration.unit) == (count, unit)


@pytest.mark.parametrize(
    ("text", "keys"),
    [
        ("占用一般耕地", ["other_cultivated"]),
        ("占用永久基本农田以外的耕地", ["other_cultivated"]),
        ("占用非基本农田", ["other_cultivated"]),
        ("占用基本农田", ["pbf"]),
        ("占用永久基本农田", ["pbf"]),
        ("占用耕地", ["cultivated"]),
        ("占用林地和草地", ["other_land", "other_land"]),
        ("占用农用地", ["agricultural"]),
        ("耕地开垦费每亩2万元", []),
        ("人均耕地0.05公顷", []),
    ],
)
def test_land_categories(text, keys):
    assert [c.key for c in extract_categories(normalize(text))] == keys


@pytest.mark.parametrize(
    ("text", "regions"),
    [
        ("宁夏银川的基本农田", {"宁夏": "宁夏"}),
        ("银川市", {"宁夏": "银川"}),
        ("北京市朝阳区", {"北京": "北京"}),
        ("喀什地区巴楚县", {"新疆": "喀什"}),
        ("自治区人民政府", {}),
        ("北京和喀什", {"北京": "北京", "新疆": "喀什"}),
    ],
)
def test_regions(text, regions):
    assert extract_regions(normalize(text)) == regions


def test_a_rule_word_is_matched_in_the_texts_terms_too():
    from qa.rules.extract import parse_question

    # "调永农" is staff shorthand; the thesaurus' reading 永久基本农田调整 is what the rules look for
    q = parse_question("整治涉及调永农的，补划方案报哪里备案", terms="整治涉及永久基本农田调整的，补划方案报哪里备案")
    assert q.has("永久基本农田调整") and not parse_question("整治涉及调永农的").has("永久基本农田调整")


@pytest.mark.parametrize(
    ("text", "yuan", "per"),
    [
        ("开垦费每亩4万，罚多少", 40000, "亩"),  # a count of 万 after a word for money is 万元
        ("罚了2万", 20000, None),
    ],
)
def test_wan_after_a_word_for_money_is_wan_yuan(text, yuan, per):
    from qa.rules.mentions import extract_money

    [money] = extract_money(text)
    assert money.yuan == yuan and money.per == per


@pytest.mark.parametrize("text", ["占用4万亩", "有4万人受益"])
def test_wan_of_something_else_is_no_money(text):
    from qa.rules.mentions import extract_money

    assert extract_money(text) == []


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("上个月15号开始公示的", date(2026, 11, 15)),
        ("下月3号发公告", date(2027, 1, 3)),
        ("去年10月9号发的征收土地公告", date(2025, 10, 9)),
        ("今年3月3号开始公示", date(2026, 3, 3)),
        # the one year the question names is the 今年 it speaks in
        ("处罚决定今年3月10号生效了（2025年）", date(2025, 3, 10)),
    ],
)
def test_a_date_said_against_today(text: str, value: date) -> None:
    (found,) = extract_dates(text, date(2026, 12, 1))
    assert found.value == value and not found.year_assumed


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # 2026-01-07 is a Wednesday
        ("今天是2026年1月7日，后天发公告", date(2026, 1, 9)),
        ("现在是2026-1-7，这周日开始公示", date(2026, 1, 11)),
        ("目前是2026年1月7日，上礼拜二收到的决定", date(2025, 12, 30)),
        ("今天是2026年1月7日，下下周一批下来", date(2026, 1, 19)),
        ("今天是2026年1月7日，下个月3号公告", date(2026, 2, 3)),
        ("今天是2026年1月7日，去年12月1日公告的", date(2025, 12, 1)),
    ],
)
def test_a_day_said_against_the_today_the_question_states(text: str, value: date) -> None:
    # the clock's today (2030) is not the case's: the question says which day today is
    found = extract_dates(text, date(2030, 6, 1), today_words=("今天", "现在", "目前"))
    assert [d.value for d in found][-1] == value and found[-1].read_as is not None


def test_a_day_said_against_today_is_not_known_without_a_stated_today() -> None:
    (found,) = extract_dates("后天开始公示", date(2030, 6, 1), today_words=("今天",))
    assert found.value is None and found.error is not None and "今天是哪一天" in found.error


@pytest.mark.parametrize(
    ("text", "figures"),
    [
        ("表1里新发现矿产地十四五定的是几处", []),
        ("附件1第27项村庄规划总金额多少", []),
        ("办法第五十三条第一款第（二）项罚多少", []),
        ("宁夏意见（十一）里的调整上限", []),
        ("表1第2行的2025年目标", []),
        ("专栏9里2处隐患点", [(2, "处")]),
        ("代表3个村，地图2张", [(3, "个")]),  # 代表 and 地图 are no references
        ("某县单位GDP建设用地使用面积100平方米/万元", [(100, "平方米/万元")]),
        ("我县有25座大中型矿山，两个项目", [(25, "座"), (2, "个")]),
        ("基本农田0.2公顷、一般地3亩，还有1200平米的戈壁滩", [(Fraction(1, 5), "公顷"), (3, "亩"), (1200, "平方米")]),
    ],
)
def test_numbers_that_number_a_part_of_a_text_are_no_figures(text, figures):
    q = parse_question(text, TODAY)
    assert [(f.value, f.unit) for f in q.figures] == figures
    assert len(q.plain) == len(q.norm)  # positions in the text figures are read from still point at the same words


def test_a_reference_gives_no_area_money_or_period(text="按附件1第27项，第3条第2款，表2里3亩地罚了5万元，限期10日"):
    q = parse_question(text, TODAY)
    assert [a.raw for a in q.areas] == ["3亩"] and [m.raw for m in q.money] == ["5万元"] and [d.raw for d in q.durations] == ["10日"]


def test_an_item_numbered_like_a_clock_time_is_no_time(corpus):
    """第3点 numbers an item of the text; the time of the case is 下午3点 (was read as 03:00)."""
    from qa.rules import run_rules

    (c,) = [c for c in run_rules("喀什规划第十章第二节第3点说的，下午3点发生山体滑坡灾情，正射影像最迟几点要出来", corpus)
            if c.rule == "text.arithmetic"]
    assert c.details["end"] == "18:00"


def test_a_working_day_named_by_a_holiday_is_read_from_the_official_calendar() -> None:
    # 2025 国庆 and 中秋: 10月1日–8日 off, so the first working day after is 10月9日; 2026 春节: 2月15日–23日 off,
    # and 2月14日 (a Saturday) is a make-up working day
    [after] = extract_dates("宅基地申请2025年国庆后第一个工作日开始公示")
    assert after.value == date(2025, 10, 9) and not after.year_assumed
    [before] = extract_dates("征收土地公告2026年春节前最后一个工作日发布")
    assert before.value == date(2026, 2, 14)
    # the year before a holiday's name is the holiday's, not a year asked about
    assert standalone_years("2026年春节前最后一个工作日发布") == []


def test_a_bare_kuai_before_land_counts_plots_not_yuan() -> None:
    assert extract_money("这两块都占了，加起来罚多少") == []
    assert [m.yuan for m in extract_money("罚了2000块")] == [2000]
    # a small count of 块 with no word of money before it counts plots, even at a clause's end
    assert extract_money("在林地里取土挖坏了三块，开垦费没说") == []
    assert [m.yuan for m in extract_money("每亩补偿5块")] == [5]


@pytest.mark.parametrize(
    ("text", "areas"),
    [
        ("占了一亩半一般耕地", [(Fraction(3, 2), "亩")]),
        ("两亩半", [(Fraction(5, 2), "亩")]),
        ("一公顷半", [(Fraction(3, 2), "公顷")]),
        ("半亩地", [(Fraction(1, 2), "亩")]),
        ("1亩2分地", [(Fraction(6, 5), "亩")]),
        ("面积在100到150公顷之间", [(Fraction(100), "公顷"), (Fraction(150), "公顷")]),
        ("30~130公顷", [(Fraction(30), "公顷"), (Fraction(130), "公顷")]),
        ("三分地", [(Fraction(3), "分地")]),
        # two neighbouring digits said together are 'three or four', read as the two ends of a range, never 34
        ("三四亩", [(Fraction(3), "亩"), (Fraction(4), "亩")]),
        ("两三百平米", [(Fraction(200), "平方米"), (Fraction(300), "平方米")]),
        ("十七八亩", [(Fraction(17), "亩"), (Fraction(18), "亩")]),
        ("三十四亩", [(Fraction(34), "亩")]),
    ],
)
def test_areas_said_the_farmers_way_are_read_whole(text: str, areas: list[tuple[Fraction, str]]) -> None:
    # '一亩半' was read as 1亩 (a fine a third too low); a range's first figure had no unit and was dropped
    assert [(q.value, q.unit) for q in extract_areas(text)] == areas


# ------------------------------------------------------------------ amounts said the spoken way

@pytest.mark.parametrize(
    ("token", "value"),
    [
        # a digit after a count of 万 or 千 is the next place down, as people say amounts
        ("一万五", 15000), ("两万八", 28000), ("三千五", 3500), ("一万二千五", 12500), ("1万5", 15000), ("2万5千", 25000),
        ("3千5", 3500), ("3千5百", 3500), ("1万2500", 12500), ("两万五百", 20500),
        # 零 keeps the digit where it stands: 一万零五 is 10005, not 一万五
        ("一万零五", 10005), ("一千零五", 1005), ("三万零八百", 30800),
        # forms that were already right stay so
        ("一万五千", 15000), ("五万", 50000), ("4万", 40000), ("1.5万", 15000), ("两千", 2000),
    ],
)
def test_amounts_said_the_spoken_way(token, value):
    assert parse_number(token) == value


@pytest.mark.parametrize("token", ["1万25", "1万5千5"])
def test_a_tail_that_fits_no_place_is_no_number(token):
    assert parse_number(token) is None


@pytest.mark.parametrize(
    ("text", "yuan", "per"),
    [
        ("开垦费每亩一万五，罚多少", 15000, "亩"),
        ("开垦费每亩两万八", 28000, "亩"),
        ("开垦费每亩三千五", 3500, "亩"),  # a count of 千 after a word for money is in 元, like one of 万
        ("开垦费每亩1万5", 15000, "亩"),
        ("开垦费每亩1万5千元", 15000, "亩"),
        ("开垦费一万二千五元", 12500, None),
        ("开垦费每亩一万零五", 10005, "亩"),
        ("开垦费每亩一万五千", 15000, "亩"),
    ],
)
def test_money_said_the_spoken_way_is_read_whole(text, yuan, per):
    # '每亩一万五' was read as 每亩一万 (the fine a third too low)
    [money] = extract_money(text)
    assert (money.yuan, money.per) == (yuan, per)


@pytest.mark.parametrize(
    "text",
    [
        "开垦费多少，占了一万五平米",  # an area, never 一万 yuan with 五平米 left over
        "开垦费两千多",  # more than two thousand is no amount to compute with
        "补偿费给了两千户",
        "开垦费交到第一万户",
    ],
)
def test_counts_near_money_words_that_are_no_amount(text):
    assert extract_money(text) == []


@pytest.mark.parametrize(
    ("text", "value", "unit", "roughly"),
    [
        ("占了三百来平米", 300, "平方米", "about"),
        ("十来亩", 10, "亩", "about"),
        ("两千多平米", 2000, "平方米", "above"),
        ("300余亩", 300, "亩", "above"),
        ("一万多平米", 10000, "平方米", "above"),
        ("零点八公顷", Fraction(4, 5), "公顷", None),
        ("一万五平米", 15000, "平方米", None),
    ],
)
def test_areas_said_roughly_are_the_round_number_and_say_so(text, value, unit, roughly):
    from qa.rules.mentions import said_roughly

    [area] = extract_areas(text)
    assert (area.value, area.unit, said_roughly(area.raw)) == (value, unit, roughly)


@pytest.mark.parametrize("text", ["三来亩", "3多亩"])
def test_a_word_of_estimate_after_a_digit_that_is_not_round_makes_no_area(text):
    assert extract_areas(text) == []


def test_a_date_told_after_the_stated_today_and_before_it_is_in_its_year() -> None:
    # "今天是2025年9月20号。…8月25号收到通知的": the day things stand on gives the year of an earlier day told after it
    text = "今天是2025年9月20号。我是8月25号收到通知的"
    found = extract_dates(text, date(2026, 12, 1), today_words=("今天",))
    assert [d.value for d in found] == [date(2025, 9, 20), date(2025, 8, 25)]
