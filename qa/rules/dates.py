"""Calendar arithmetic: periods in days, months, years and working days (official holiday calendar), days between dates."""
from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

import chinese_calendar

from qa.places import place_regions
from qa.rules.params import Param

WEEKDAYS = "一二三四五六日"
COUNTING = (
    "期间开始的当日不计入，自下一日开始计算；按月、年计算的，到期月的对应日为期间的最后一日，没有对应日的为该月末日；"
    "期限的最后一日是法定休假日的，以休假日结束的次日为最后一日（《民法典》第二百零一条至第二百零三条的期间计算规则，本库未收录该法，仅作计算约定）"
)
HOLIDAY_NAMES = {
    "New Year's Day": "元旦", "Spring Festival": "春节", "Tomb-sweeping Day": "清明节", "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节", "National Day": "国庆节", "Mid-autumn Festival": "中秋节",
}


def fmt_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日（星期{WEEKDAYS[d.weekday()]}）"


def _known(year: int) -> bool:
    try:
        chinese_calendar.is_workday(date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


@lru_cache(maxsize=1)
def calendar_years() -> tuple[int, int]:
    """The first and last year the installed chinese-calendar knows the official holidays of."""
    known = [y for y in range(1990, date.today().year + 15) if _known(y)]
    return known[0], known[-1]


def calendar_span() -> str:
    first, last = calendar_years()
    return f"{first}–{last}"


def is_workday(d: date) -> bool | None:
    """True/False from the official calendar (make-up workdays included); None outside the years it knows."""
    try:
        return bool(chinese_calendar.is_workday(d))
    except NotImplementedError:
        return None


def _counts_as_workday(d: date, unknown_years: set[int]) -> bool:
    """A working day by the official calendar; where the calendar is silent, a weekday, and its year is noted."""
    work = is_workday(d)
    if work is None:
        unknown_years.add(d.year)
        return d.weekday() < 5
    return work


@lru_cache(maxsize=64)  # a year of days looked up one by one: once per holiday and year
def holiday_days(year: int, name: str) -> tuple[date, date] | None:
    """The official days off of a named holiday (春节, 国庆节 …) in a year, with the weekends and holidays joined to
    them: (first, last); None where the calendar does not know the year or the name."""
    english = next((k for k, v in HOLIDAY_NAMES.items() if v == name), None)
    if english is None or not _known(year):
        return None
    start, days = date(year, 1, 1), []
    while start.year == year:
        if chinese_calendar.get_holiday_detail(start) == (True, english):
            days.append(start)
        start += timedelta(days=1)
    if not days:
        return None
    first, last = days[0], days[-1]
    while is_workday(first - timedelta(days=1)) is False:
        first -= timedelta(days=1)
    while is_workday(last + timedelta(days=1)) is False:
        last += timedelta(days=1)
    return first, last


def next_workday(d: date, step: int) -> date | None:
    """The nearest working day after `d` (step 1) or before it (step -1); None beyond the calendar's years."""
    day = d + timedelta(days=step)
    while (work := is_workday(day)) is False:
        day += timedelta(days=step)
    return day if work else None


def holiday_name(d: date) -> str | None:
    try:
        on_holiday, name = chinese_calendar.get_holiday_detail(d)
    except NotImplementedError:
        return None
    if not on_holiday:
        return None
    return HOLIDAY_NAMES.get(name or "", "周末" if d.weekday() >= 5 else "法定节假日")


@dataclass
class DueDate:
    exact: date | None  # None when the holiday calendar does not cover a year involved
    estimate: date  # counting only weekends as rest days where the calendar is silent
    unknown_years: set[int] = field(default_factory=set)
    note: str = ""


def add_workdays(start: date, n: int) -> DueDate:
    """The n-th working day after `start` (start day not counted), by the official calendar."""
    d, count, unknown = start, 0, set[int]()
    while count < n:
        d += timedelta(days=1)
        if _counts_as_workday(d, unknown):
            count += 1
    return DueDate(exact=None if unknown else d, estimate=d, unknown_years=unknown)


@dataclass
class WorkdayCount:
    count: int  # exact when unknown_years is empty; else counting only weekends as rest days there
    unknown_years: set[int] = field(default_factory=set)


def workdays_between(start: date, end: date) -> WorkdayCount:
    """Working days after `start` up to and including `end` (start day not counted), by the official calendar."""
    count, unknown = 0, set[int]()
    d = start
    while d < end:
        d += timedelta(days=1)
        count += 1 if _counts_as_workday(d, unknown) else 0
    return WorkdayCount(count, unknown)


def add_months(start: date, months: int) -> date:
    month0 = start.month - 1 + months
    year, month = start.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def add_period(start: date, count: int, unit: str) -> date:
    if unit == "日":
        return start + timedelta(days=count)
    if unit == "月":
        return add_months(start, count)
    if unit == "年":
        return add_months(start, 12 * count)
    raise ValueError(unit)


def roll_to_workday(d: date) -> DueDate:
    """A deadline falling on a rest day moves to the next working day."""
    cur, unknown, rolled = d, set[int](), []
    while not _counts_as_workday(cur, unknown):
        rolled.append(cur)
        cur += timedelta(days=1)
    note = ""
    if rolled:
        name = holiday_name(rolled[0]) or ("周末" if rolled[0].weekday() >= 5 else "休息日")
        note = f"{fmt_date(d)}是{name}，顺延至{fmt_date(cur)}"
    return DueDate(exact=None if unknown else cur, estimate=cur, unknown_years=unknown, note=note)


def calendar_warning(years: set[int]) -> str:
    listed = "、".join(f"{y}年" for y in sorted(years))
    return (
        f"节假日日历（chinese-calendar）只收录{calendar_span()}年的法定节假日和调休安排，不知道{listed}的安排，"
        f"无法确定准确日期；括注的日期只把周六、周日当作休息日估算，请以国务院办公厅公布的{listed}节假日安排为准。"
    )


def compute_due(start: date, count: int, unit: str, kind: str) -> tuple[str, date | None, list[str], dict]:
    """(result sentence, exact due date or None, warnings, details) for a period from `start`.

    kind: deadline (…内: the last day, rolled over rest days) | minimum (不少于: the earliest end) | condition (满…).
    """
    warnings: list[str] = []
    details: dict[str, str] = {"start": start.isoformat()}
    if unit == "工作日":
        due = add_workdays(start, count)
        if due.exact is None:
            warnings.append(calendar_warning(due.unknown_years))
            text = f"无法确定准确日期（估算为{fmt_date(due.estimate)}，未计入{'、'.join(str(y) for y in sorted(due.unknown_years))}年的节假日）"
            details["estimate"] = due.estimate.isoformat()
            return text, None, warnings, details
        holidays = sorted({h for h in (holiday_name(start + timedelta(days=i)) for i in range(1, (due.exact - start).days + 1)) if h and h != "周末"})
        if holidays:
            warnings.append(f"期间经过{'、'.join(holidays)}假期，已按官方节假日安排（含调休上班日）计算工作日。")
        if due.exact.weekday() >= 5:
            warnings.append(f"{fmt_date(due.exact)}是调休上班日，计为工作日。")
        details["due"] = due.exact.isoformat()
        return fmt_date(due.exact), due.exact, warnings, details
    raw_end = add_period(start, count, unit)
    if unit in ("月", "年") and raw_end.day != start.day:
        warnings.append(f"{raw_end.year}年{raw_end.month}月没有{start.day}日，以该月末日为期间最后一日。")
    details["period_end"] = raw_end.isoformat()
    if kind != "deadline":
        details["due"] = raw_end.isoformat()
        return fmt_date(raw_end), raw_end, warnings, details
    rolled = roll_to_workday(raw_end)
    if rolled.unknown_years:
        warnings.append(calendar_warning(rolled.unknown_years))
        details["estimate"] = rolled.estimate.isoformat()
        if rolled.estimate == raw_end:
            return f"{fmt_date(raw_end)}（该日若为{raw_end.year}年的法定节假日则顺延，日历未收录该年）", None, warnings, details
        return f"期间届满日{fmt_date(raw_end)}，估算顺延至{fmt_date(rolled.estimate)}（日历未收录该年，无法确定）", None, warnings, details
    if raw_end.weekday() >= 5 and not rolled.note:
        warnings.append(f"{fmt_date(raw_end)}是调休上班日，按工作日对待，不顺延。")
    if rolled.note and rolled.exact is not None:
        warnings.append(rolled.note + "。")
        details["due"] = rolled.exact.isoformat()
        return f"{fmt_date(rolled.exact)}（期间届满日{fmt_date(raw_end)}为休息日，顺延）", rolled.exact, warnings, details
    details["due"] = raw_end.isoformat()
    return fmt_date(raw_end), raw_end, warnings, details


def unit_text(count: int, unit: str) -> str:
    return f"{count}个{unit}" if unit in ("工作日", "月") else f"{count}{unit}"


def against(due: date, other: date, what: str) -> tuple[str, int]:
    """'{what}（…）比最后一日晚N天，已超期' / '…还有N天' : the day difference other - due and its sentence."""
    diff = (other - due).days
    if diff > 0:
        return f"{what}{fmt_date(other)}，比最后一日{fmt_date(due)}晚{diff}天，已超期{diff}天", diff
    if diff == 0:
        return f"{what}{fmt_date(other)}正是最后一日，未超期（当天办完即可）", 0
    return f"{what}{fmt_date(other)}，距最后一日{fmt_date(due)}还有{-diff}天（不含{what}当天，含最后一日），未超期", diff


# ------------------------------------------------------------------ dates the texts state (params with unit "日期")

STATED_DAY = re.compile(r"(\d{4})年(?:(\d{1,2})月(\d{1,2})日|年?(底|末))")
_EVENT_EDGE = re.compile(r"^[起前，,、\s]+|[，,。\s]+$")
_NOT_WORD = re.compile(r"[^\u4e00-\u9fa5\d]")


@dataclass(frozen=True)
class StatedDate:
    """A date one of the texts states, with the words that name it (what happens on it, or where it is printed)."""

    param: Param
    day: date
    said: str  # the date as the quote writes it ('2022年底')
    event: str  # the quote's words after (else before) the date: '施行', '完成地、县两级国土空间总体规划编制工作'; else its path


def stated_day(text: str) -> date | None:
    """'2022年11月1日' -> that day; '2022年底' / '2022年末' -> 2022-12-31 (the year's last day)."""
    m = STATED_DAY.search(text)
    if m is None:
        return None
    year = int(m.group(1))
    return date(year, 12, 31) if m.group(4) else date(year, int(m.group(2)), int(m.group(3)))


def stated_dates(params: Iterable[Param]) -> list[StatedDate]:
    out = []
    for p in params:
        day = stated_day(p.text) if p.unit == "日期" else None
        m = STATED_DAY.search(p.quote)
        if day is None or m is None:
            continue
        after, before = (_EVENT_EDGE.sub("", t) for t in (p.quote[m.end():], p.quote[: m.start()]))
        out.append(StatedDate(p, day, m.group(0), after or before.removesuffix("自").removesuffix("到") or p.path))
    return out


def _shared(a: str, b: str) -> tuple[int, int]:
    """The longest run of characters a and b share: its length and where it starts in b."""
    best, at = 0, -1
    for i in range(len(a)):
        for j in range(i + best + 1, len(a) + 1):
            if a[i:j] not in b:
                break
            best, at = j - i, b.find(a[i:j])
    return best, at


# a short event word ('施行', '落款') names its date only when the question speaks of it as a day
_AS_DAY = re.compile(r"^(那天|那日|当天|当日|之日|日|以来|至今|到|至|起|后|前|满|时|离|距|多少|几|多久|多长|隔|相隔|间隔|相差|差)|(从|自|离|距|到|至|在)$")


def _as_day(text: str, at: int, length: int) -> bool:
    return bool(_AS_DAY.search(text[at + length: at + length + 2]) or _AS_DAY.search(text[max(0, at - 1): at]))


def _cover(event: str, text: str) -> tuple[int, int, int]:
    """How much of the event words the text holds: the characters of every run of three or more they share (longest
    first, each character counted once; two-character runs such as 完成/编制/规划 are every event's), and where in the
    text those runs start and end."""
    total, first, last = 0, len(text), 0
    while True:
        length, at = _shared(event, text)
        if length < 3:
            return total, first, last
        run = text[at: at + length]
        total, first, last = total + length, min(first, at), max(last, at + length)
        event, text = event.replace(run, "｜", 1), text[:at] + "＃" * length + text[at + length:]


@lru_cache(maxsize=1)
def _place_names() -> re.Pattern[str]:
    return re.compile("|".join(sorted(map(re.escape, place_regions()), key=len, reverse=True)))


def _naming(event: str, side: str, text: str, offset: int) -> tuple[int, str] | None:
    """How well one side of the question (text[offset:…]) names a stated date, and its words that do: the event words
    it holds, place names aside (at least four characters), or the event's own verb, its last two characters
    ('施行', '落款', '…会议修订'), spoken of as a day."""
    event = _NOT_WORD.sub("", event)
    covered, first, last = _cover(_place_names().sub("｜", event), side)
    if covered >= 4:
        return covered, side[first:last]
    verb = event[-2:]
    spots = [i for i in range(len(side)) if side.startswith(verb, i) and _as_day(text, offset + i, len(verb))]
    return (len(verb), verb) if len(verb) == 2 and spots else None


# the words between the two days a count compares ('施行那天离…', '修订那天到施行那天'): each side names one date
_BETWEEN_SIDES = re.compile(r"距离|离|距|到(?!期)|至(?!今)|和|与|跟|比")


def named_stated_dates(question: str, dates: list[StatedDate], docs: list[str]) -> list[tuple[str, StatedDate]]:
    """The stated dates a question names, in the question's order: each side of the question ('A那天离B') names at
    most one, the date of a document the question names whose event words (or, for a date printed alone, its place
    such as 落款) that side names best, with the words that name it; a tie names neither (never a guess)."""
    text = _NOT_WORD.sub("", question)
    found: list[tuple[str, StatedDate]] = []
    start = 0
    for side in _BETWEEN_SIDES.split(text):
        offset = text.find(side, start)
        start = offset + len(side)
        scored = sorted(((n, d) for d in dates if d.param.doc_id in docs and (n := _naming(d.event, side, text, offset)) is not None),
                        key=lambda x: -x[0][0])
        if scored and (len(scored) == 1 or scored[0][0][0] > scored[1][0][0]) and all(scored[0][1] is not d for _, d in found):
            found.append((scored[0][0][1], scored[0][1]))
    return found
