"""Statutory periods: calendar days, working days across holidays and year ends, months, years; no crash past 2026."""
from __future__ import annotations

from datetime import date

import pytest

from qa.rules import run_rules
from qa.rules.deadlines import add_months, add_workdays, roll_to_workday

TODAY = date(2026, 5, 1)


def due(question, corpus, rule):
    comps = [c for c in run_rules(question, corpus, today=TODAY) if c.rule == rule]
    assert len(comps) == 1, [c.rule for c in run_rules(question, corpus, today=TODAY)]
    return comps[0]


# ------------------------------------------------------------------ the calendar arithmetic itself

@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (date(2025, 9, 30), 10, date(2025, 10, 21)),  # 国庆、中秋 2025-10-01..08 off, 10-11 (Sat) a make-up workday
        (date(2026, 2, 13), 10, date(2026, 3, 5)),  # 春节 2026-02-15..23 off, 02-14 and 02-28 (Sat) workdays
        (date(2025, 12, 25), 10, date(2026, 1, 9)),  # across the year end and 元旦, 2026-01-04 (Sun) a workday
        (date(2025, 4, 30), 10, date(2025, 5, 19)),  # 劳动节 2025-05-01..05
        (date(2025, 3, 3), 5, date(2025, 3, 10)),  # an ordinary week
    ],
)
def test_working_days_follow_the_official_calendar(start, n, expected):
    result = add_workdays(start, n)
    assert result.exact == expected and result.unknown_years == set()


@pytest.mark.parametrize(
    ("start", "estimate", "years"),
    [(date(2026, 12, 25), date(2027, 1, 8), {2027}), (date(2003, 12, 25), date(2004, 1, 9), {2003})],
)
def test_working_days_outside_the_calendar_give_no_exact_date(start, estimate, years):
    result = add_workdays(start, 10)
    assert result.exact is None and result.estimate == estimate and result.unknown_years == years


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [(date(2025, 11, 30), 3, date(2026, 2, 28)), (date(2024, 1, 31), 1, date(2024, 2, 29)), (date(2025, 1, 31), 1, date(2025, 2, 28)),
     (date(2025, 12, 15), 3, date(2026, 3, 15)), (date(2024, 2, 29), 24, date(2026, 2, 28))],
)
def test_months_end_on_the_corresponding_day_or_month_end(start, months, expected):
    assert add_months(start, months) == expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2025, 10, 5), date(2025, 10, 9)), (date(2026, 1, 31), date(2026, 2, 2)),
        (date(2026, 2, 28), date(2026, 2, 28)), (date(2025, 4, 1), date(2025, 4, 1)),
    ],
)
def test_a_deadline_on_a_rest_day_rolls_to_the_next_working_day(day, expected):
    assert roll_to_workday(day).exact == expected


# ------------------------------------------------------------------ each statutory period

@pytest.mark.parametrize(
    ("question", "rule", "expected", "unit_id"),
    [
        ("2025年9月30日重新公告征地补偿安置方案，公告期最早哪天结束", "xj.deadline.a26", "2025-10-21", "xj-measures:a26.k3"),
        ("2025-12-25重新公告征地补偿安置方案，公告期到哪天", "xj.deadline.a26", "2026-01-09", "xj-measures:a26.k3"),
        ("2025年12月20日接到权属争议处理决定通知，不服的话起诉期限到哪天", "xj.deadline.a8", "2026-01-19", "xj-measures:a8.k4"),
        ("2025年9月5日收到土地权属争议处理决定，不服起诉最晚哪天", "xj.deadline.a8", "2025-10-09", "xj-measures:a8.k4"),
        ("征收土地公告2025年11月30日发布，补偿费用最晚什么时候支付", "xj.deadline.a30", "2026-02-28", "xj-measures:a30.k1"),
        ("2025年10月31日发布征收土地公告，补偿费用几号前要支付", "xj.deadline.a30", "2026-02-02", "xj-measures:a30.k1"),
        ("宅基地申请2025/03/01开始公示，公示到哪天", "xj.deadline.a40", "2025-03-11", "xj-measures:a40.k1"),
        ("行政处罚决定2025.1.1生效，没收的建筑物最晚哪天移交财政部门", "xj.deadline.a56", "2025-04-01", "xj-measures:a56.k1"),
        ("2024年2月29日批准开发荒地，二年内未开发，什么时候可以收回", "xj.deadline.a20.x1", "2026-02-28", "xj-measures:a20.k1.x1"),
        ("开发后的荒地从2024年5月10日起闲置，什么时候满足收回条件", "xj.deadline.a20.x3", "2026-05-10", "xj-measures:a20.k1.x3"),
    ],
)
def test_statutory_periods(corpus, question, rule, expected, unit_id):
    c = due(question, corpus, rule)
    assert c.details["due"] == expected
    assert c.citation_ids[0] == unit_id
    assert c.missing == []


def test_the_holiday_crossing_is_explained(corpus):
    c = due("2025年9月30日重新公告征地补偿安置方案，公告期最早哪天结束", corpus, "xj.deadline.a26")
    assert "2025年10月21日" in c.result and any("国庆节" in w for w in c.warnings)


def test_rolled_deadline_says_why(corpus):
    c = due("2025年9月5日收到土地权属争议处理决定，不服起诉最晚哪天", corpus, "xj.deadline.a8")
    assert c.details["period_end"] == "2025-10-05" and any("国庆节，顺延至2025年10月9日" in w for w in c.warnings)


def test_a_make_up_workday_is_not_rolled(corpus):
    c = due("征收土地公告2025年11月30日发布，补偿费用最晚什么时候支付", corpus, "xj.deadline.a30")
    assert any("调休上班日" in w for w in c.warnings) and any("没有30日" in w for w in c.warnings)


def test_working_days_into_2027_warn_and_do_not_crash(corpus):
    c = due("2026-12-25重新公告征地补偿安置方案，公告期到哪天", corpus, "xj.deadline.a26")
    assert "due" not in c.details and c.details["estimate"] == "2027-01-08"
    assert "无法确定准确日期" in c.result
    assert any("2004–2026" in w and "2027年" in w for w in c.warnings)


def test_calendar_days_ending_in_2027_warn_that_holidays_are_unknown(corpus):
    c = due("行政处罚决定2026年10月5日生效，没收的建筑物最晚哪天移交财政部门", corpus, "xj.deadline.a56")
    assert c.details["period_end"] == "2027-01-03" and "due" not in c.details
    assert any("2027年" in w for w in c.warnings)


def test_a_date_without_year_takes_the_current_year_with_a_warning(corpus):
    c = due("宅基地申请3月1日开始公示，公示到哪天", corpus, "xj.deadline.a40")
    assert c.details["due"] == "2026-03-11"
    assert any("没有写年份" in w and "2026年" in w for w in c.warnings)


@pytest.mark.parametrize(
    ("question", "rule", "count"),
    [
        ("接到处理决定后多久可以起诉", "xj.deadline.a8", 30),
        ("征地补偿安置方案重新公告要多少天", "xj.deadline.a26", 10),
        ("发布征收土地公告后补偿费用多久内支付", "xj.deadline.a30", 3),
        ("宅基地申请公示要几天", "xj.deadline.a40", 10),
        ("没收的违法建筑物要在多长时间内交给谁处理", "xj.deadline.a56", 90),
        ("喀什不动产抵押登记压缩到几个工作日", "kashgar.deadline.mortgage", 5),
        ("喀什工程建设项目审批时限压到多少", "kashgar.deadline.approval", 30),
    ],
)
def test_a_question_about_the_length_is_answered_by_the_rule(corpus, question, rule, count):
    c = due(question, corpus, rule)
    assert c.missing == [] and int(c.value) == count and "给出起算日期可算出具体日期" in c.result


def test_plan_time_limits_say_they_are_not_statutory(corpus):
    c = due("喀什不动产抵押登记压缩到几个工作日", corpus, "kashgar.deadline.mortgage")
    assert c.citation_ids == ["kashgar-plan:c1.s1.p7"] and any("不是法律规定的期限" in w for w in c.warnings)


@pytest.mark.parametrize(
    ("question", "rule"),
    [
        ("接到处理决定后最晚哪天可以起诉", "xj.deadline.a8"),
        ("征地补偿安置方案重新公告，最早哪天结束", "xj.deadline.a26"),
        ("发布征收土地公告后补偿费用最晚哪天支付", "xj.deadline.a30"),
        ("宅基地申请公示到哪天", "xj.deadline.a40"),
    ],
)
def test_a_missing_start_date_is_asked_for(corpus, question, rule):
    c = due(question, corpus, rule)
    assert c.missing == ["start_date"] and "请提供起算日期" in c.result


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("补偿方案修改后4月28号（2025年）重新公告，不少于十个工作日，到哪天", "2025-05-15"),  # 4-29, 4-30, 5-6..9, 5-12..15
        ("处罚决定7月1日（2025年）生效，没收的建筑物最迟什么时候移交", "2025-09-29"),
    ],
)
def test_a_year_given_apart_from_the_date_is_used(corpus, question, expected):
    comps = [c for c in run_rules(question, corpus, today=TODAY) if "due" in c.details]
    assert comps and comps[0].details["due"] == expected
    assert not any("没有写年份" in w for w in comps[0].warnings)


def test_an_invalid_date_is_reported_and_asked_again(corpus):
    c = due("2025年2月30日接到权属争议处理决定，不服起诉期限到哪天", corpus, "xj.deadline.a8")
    assert c.missing == ["start_date"] and any("不是有效日期" in w for w in c.warnings)


def test_generic_date_arithmetic_without_a_statutory_period(corpus):
    c = due("从2025年9月30日起10个工作日是哪天", corpus, "date_arithmetic")
    assert c.details["due"] == "2025-10-21" and c.citation_ids == []


# ------------------------------------------------------------------ days between dates the texts state

@pytest.mark.parametrize(
    ("question", "days", "dates", "units"),
    [
        # 第五十九条 施行 2022-11-01; 喀什规划 第三章第一节 "到2022年底前" read as 2022-12-31
        ("新疆实施办法施行当天，离喀什规划要求完成地县两级国土空间总体规划编制的日子还有几天", 60,
         ["2022-11-01", "2022-12-31"], ["xj-measures:a59.k1", "kashgar-plan:c3.s1.p1"]),
        # the other order of naming: the dates follow the question's order, the count does not change
        ("喀什规划要求的地县两级国土空间总体规划编完时间，和实施办法施行日相差几天", 60,
         ["2022-12-31", "2022-11-01"], ["kashgar-plan:c3.s1.p1", "xj-measures:a59.k1"]),
        # the township plans (2023年底前) are told apart from the county plans by their own words
        ("新疆实施办法施行到喀什规划乡镇级国土空间规划编制完成期限隔了多少天", 425,
         ["2022-11-01", "2023-12-31"], ["xj-measures:a59.k1", "kashgar-plan:c3.s1.p1"]),
        # a stated date against a date the question gives
        ("巴楚供地计划落款那天到2025年3月1日相隔多少天", 52, ["2025-03-01", "2025-01-08"], ["bachu-supply-2025:signature"]),
        # two dates of one document, one on each side of '到' (题注 修订 2022-07-29, 第五十九条 施行 2022-11-01)
        ("新疆实施办法修订那天到施行那天隔了多少天", 95, ["2022-07-29", "2022-11-01"], ["xj-measures:preamble", "xj-measures:a59.k1"]),
        # 第五章第二节: '到2025年底前，全面完成…村庄规划编制和审批工作', not the 2022 key villages' plans of the same paragraph
        ("喀什规划要求村庄规划全面完成编制审批的时间离实施办法施行多少天", 1156,
         ["2025-12-31", "2022-11-01"], ["kashgar-plan:c5.s2.p1", "xj-measures:a59.k1"]),
    ],
)
def test_days_between_dates_the_texts_state(corpus, question, days, dates, units):
    c = due(question, corpus, "date_arithmetic")
    assert c.value == days and c.details["dates"] == dates and c.citation_ids == units
    assert all(f"“{q}”" in c.result for q in ("本办法自2022年11月1日起施行",) if "实施办法" in question)
    assert any("文件所定日期" in u.category for u in c.understood)


def test_year_end_is_read_as_december_31_and_said(corpus):
    c = due("新疆实施办法施行那天离喀什规划地县两级国土空间总体规划编完还有多少天", corpus, "date_arithmetic")
    assert "“年底”按12月31日理解" in c.result and "《喀什地区自然资源“十四五”规划》第三章第一节第1段" in c.result


def test_a_stated_date_against_today(corpus):
    c = due("新疆实施办法施行到今天多少天了", corpus, "date_arithmetic")
    assert c.value == (TODAY - date(2022, 11, 1)).days and "今天（系统日期）" in [u.category for u in c.understood]


@pytest.mark.parametrize(
    "question",
    [
        "新疆实施办法什么时候施行",  # asks the date itself: no count
        "喀什规划年底前完成编制的时间离实施办法施行多少天",  # two 年底前 dates of the plan fit equally: neither is guessed
    ],
)
def test_no_count_without_two_named_dates(corpus, question):
    assert not [c for c in run_rules(question, corpus, today=TODAY) if c.rule == "date_arithmetic"]


def test_a_period_from_a_date_the_texts_state(corpus):
    c = due("新疆实施办法施行满三年是哪天", corpus, "date_arithmetic")
    assert c.details["due"] == "2025-11-01" and c.citation_ids == ["xj-measures:a59.k1"]
    assert c.understood[0].category == "起算日（文件所定日期（2022年11月1日））" and "“本办法自2022年11月1日起施行”" in c.result


def test_a_year_less_start_still_says_the_year_it_assumed(corpus):
    c = due("3月1日起30日内是哪天", corpus, "date_arithmetic")
    assert c.details["due"] == "2026-03-31" and any("没有写年份" in w for w in c.warnings)


def test_a_stated_date_the_question_writes_out_is_not_counted_twice(corpus):
    c = due("实施办法2022年11月1日施行，到2023年1月1日多少天", corpus, "date_arithmetic")
    assert c.value == 61 and c.citation_ids == []


def test_a_short_event_word_names_its_date_only_as_a_day(corpus):
    # '施行的规定' speaks of the rules, not of the day 施行 fell on
    assert not [c for c in run_rules("按照实施办法施行的规定，今天申请多少天内办完", corpus, today=TODAY) if c.rule == "date_arithmetic"]


@pytest.mark.parametrize(
    ("question", "days", "past"),
    [
        # 喀什规划 第三章第一节 '到2022年底前，完成地、县两级国土空间总体规划编制工作' against today (TODAY) or the day said
        ("喀什规划地县两级国土空间总体规划编制完成期限过了没有", (TODAY - date(2022, 12, 31)).days, True),
        ("今天是2022年10月1日，喀什规划地县两级国土空间总体规划编制完成期限过了没有", 91, False),
    ],
)
def test_is_a_date_the_texts_state_past(corpus, question, days, past):
    c = due(question, corpus, "date_arithmetic")
    assert c.value == days and c.details["stated_date_past"] is past and ("已过" if past else "还有") in c.result
    assert c.citation_ids == ["kashgar-plan:c3.s1.p1"]


def test_the_re_announcement_period_answers_only_a_revised_plan(corpus):
    # 第二十六条第三款 times the notice of a revised plan; a question about the first notice is not answered by it
    assert not [c for c in run_rules("征地补偿安置方案公告多少天", corpus) if c.rule == "xj.deadline.a26"]
    assert [c for c in run_rules("补偿方案修改后重新公告要多少天", corpus) if c.rule == "xj.deadline.a26"]


@pytest.mark.parametrize(
    ("question", "rule", "start", "expected"),
    [
        # 2025-12-17 is a Wednesday: 明天 is the 18th; the decision period of 第八条 is thirty days
        ("现在是2025年12月17日，明天就能收到权属争议处理决定，不服起诉的期限到哪天", "xj.deadline.a8", "2025-12-18", "2026-01-19"),
        # 下个星期五 from Wednesday 2025-10-15 is 2025-10-24
        ("今天是2025年10月15日，宅基地申请下个星期五开始公示，最早哪天公示完", "xj.deadline.a40", "2025-10-24", "2025-11-03"),
        ("今天2025年11月20日，下个月1号发布征收土地公告，补偿费用最晚什么时候付清", "xj.deadline.a30", "2025-12-01", "2026-03-02"),
    ],
)
def test_a_day_said_against_the_today_the_question_states(corpus, question, rule, start, expected):
    c = due(question, corpus, rule)
    assert (c.details["start"], c.details["due"]) == (start, expected)
    assert c.missing == [] and "按问题所说的今天" in c.understood[0].category


def test_a_day_said_against_today_without_a_stated_today_is_asked_for(corpus):
    # the system clock is no fact of the case: '下周一' alone gives no start date
    c = due("宅基地申请下周一开始公示，公示到哪天", corpus, "xj.deadline.a40")
    assert c.missing == ["start_date"] and any("没有说明今天是哪一天" in w for w in c.warnings)


@pytest.mark.parametrize(
    ("question", "rule", "due_day", "verdict"),
    [
        # asking whether the period is still open compares the due day with the today the question states
        ("两家为地界的事闹到乡政府，乡政府作了处理决定，我们2026年3月25号接到的通知，一直没去法院。今天是4月27号，现在去法院起诉还来得及吗",
         "xj.deadline.a8", "2026-04-24", "已超期3天"),
        ("乡政府的处理决定我2026年3月25日收到的，今天是4月20号，现在起诉晚不晚", "xj.deadline.a8", "2026-04-24", "未超期"),
        ("乡政府的处理决定我2026年3月25日收到的，今天是4月27号，去法院起诉超没超期", "xj.deadline.a8", "2026-04-24", "已超期3天"),
        # three months from 3月31日 end on the last day of June, which has no 31st
        ("征收土地公告是2026年3月31号发布的补偿费最晚哪天之前要足额付清", "xj.deadline.a30", "2026-06-30", ""),
    ],
)
def test_whether_a_period_is_still_open_is_computed(corpus, question, rule, due_day, verdict):
    c = due(question, corpus, rule)
    assert c.missing == [] and c.details["due"] == due_day and verdict in c.result


def test_approved_said_as_pi_gei_starts_the_two_years(corpus):
    # "批给一家公司开发" is the 批准开发 the two years of 第二十条第一款第（一）项 run from
    comps = [c for c in run_rules("今天是2025年6月3日。国有荒地2023年5月16号批给一家公司开发，一直没开发，能收回吗", corpus) if c.rule == "xj.deadline.a20.x1"]
    assert comps and comps[0].details.get("due") == "2025-05-16", [c.details for c in comps]
