"""Deadlines: due dates of statutory periods in days, working days (official holiday calendar), months and years."""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

import chinese_calendar

from qa.rules.base import Hook, cite, doc_warnings, short
from qa.rules.extract import DateMention, Duration, Question
from qa.rules.model import Computation, RuleContext, fmt

WEEKDAYS = "一二三四五六日"
CALENDAR_YEARS = "2004–2026"
COUNTING = (
    "期间开始的当日不计入，自下一日开始计算；按月、年计算的，到期月的对应日为期间的最后一日，没有对应日的为该月末日；"
    "期限的最后一日是法定休假日的，以休假日结束的次日为最后一日（《民法典》第二百零一条至第二百零三条的期间计算规则，本库未收录该法，仅作计算约定）"
)


def fmt_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日（星期{WEEKDAYS[d.weekday()]}）"


def is_workday(d: date) -> bool | None:
    """True/False from the official calendar (make-up workdays included); None outside the years it knows."""
    try:
        return bool(chinese_calendar.is_workday(d))
    except NotImplementedError:
        return None


def holiday_name(d: date) -> str | None:
    try:
        on_holiday, name = chinese_calendar.get_holiday_detail(d)
    except NotImplementedError:
        return None
    if not on_holiday:
        return None
    return {
        "New Year's Day": "元旦", "Spring Festival": "春节", "Tomb-sweeping Day": "清明节", "Labour Day": "劳动节",
        "Dragon Boat Festival": "端午节", "National Day": "国庆节", "Mid-autumn Festival": "中秋节",
    }.get(name or "", "周末" if d.weekday() >= 5 else "法定节假日")


@dataclass
class DueDate:
    exact: date | None  # None when the holiday calendar does not cover a year involved
    estimate: date  # counting only weekends as rest days where the calendar is silent
    unknown_years: set[int]
    note: str = ""


def add_workdays(start: date, n: int) -> DueDate:
    """The n-th working day after `start` (start day not counted), by the official calendar."""
    d, count, unknown = start, 0, set()
    while count < n:
        d += timedelta(days=1)
        work = is_workday(d)
        if work is None:
            unknown.add(d.year)
            work = d.weekday() < 5
        if work:
            count += 1
    return DueDate(exact=None if unknown else d, estimate=d, unknown_years=unknown)


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
    cur, unknown, rolled = d, set(), []
    while True:
        work = is_workday(cur)
        if work is None:
            unknown.add(cur.year)
            work = cur.weekday() < 5
        if work:
            break
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
        f"节假日日历（chinese-calendar）只收录{CALENDAR_YEARS}年的法定节假日和调休安排，不知道{listed}的安排，"
        f"无法确定准确日期；括注的日期只把周六、周日当作休息日估算，请以国务院办公厅公布的{listed}节假日安排为准。"
    )


@dataclass(frozen=True)
class PeriodSpec:
    key: str
    param_id: str
    what: str  # what the period is for
    start_event: str  # the day it runs from
    kind: str  # deadline (…内: last day, rolls over rest days) | minimum (不少于: earliest end) | condition (满…)
    triggers: tuple[tuple[str, ...], ...]  # every group must match one word
    extra: tuple[str, ...] = ()
    note: str = ""


SPECS: list[PeriodSpec] = [
    PeriodSpec("a8", "xj.a8.k4.lawsuit_days", "对土地权属争议处理决定不服向人民法院起诉", "接到处理决定通知之日", "deadline",
               (("起诉", "诉讼", "法院", "不服"), ("处理决定", "争议", "纠纷", "权属"))),
    PeriodSpec("a26", "xj.a26.k3.notice_workdays", "修改后的征地补偿安置方案重新公告", "重新公告之日", "minimum",
               (("公告",), ("征地补偿安置方案", "补偿安置方案", "安置方案", "补偿方案"))),
    PeriodSpec("a30", "xj.a30.k1.payment_months", "足额支付征收土地补偿费用", "发布征收土地公告之日", "deadline",
               (("支付", "付清", "付款", "拨付", "补偿费用", "补偿款", "土地补偿费", "安置补助费", "付"), ("征收土地公告", "征收公告", "征地公告", "公告", "补偿安置决定")),
               ("xj.a30.k1.decision_start",)),
    PeriodSpec("a40", "xj.a40.k1.publicity_days", "宅基地申请在本集体范围内公示", "公示开始之日", "minimum",
               (("宅基地",), ("公示",))),
    PeriodSpec("a56", "xj.a56.k1.transfer_days", "没收的建筑物和其他设施移交同级财政部门处理", "行政处罚决定生效之日", "deadline",
               (("没收", "移交", "财政部门"), ("处罚决定", "生效", "没收"))),
    PeriodSpec("a20.x1", "xj.a20.x1.years", "经批准开发国有荒山、荒地、荒滩后未开发（满二年可收回）", "批准开发之日", "condition",
               (("荒山", "荒地", "荒滩", "开发"), ("未开发", "没开发", "没有开发", "不开发", "没动工", "未动工", "没有动工", "不动工", "收回"))),
    PeriodSpec("a20.x3", "xj.a20.x3.years", "开发后的土地连续闲置（满二年可收回）", "开始闲置之日", "condition",
               (("闲置", "闲着", "撂荒", "荒着"), ("开发", "荒山", "荒地", "荒滩", "收回"))),
    PeriodSpec("mortgage", "kashgar.c1.mortgage_workdays", "不动产抵押登记办理", "受理之日", "deadline",
               (("抵押登记",), ("喀什", "办结", "办理", "工作日", "时限", "压缩", "压到", "几天", "多久")),
               note="这是《喀什地区自然资源“十四五”规划》写明的“十三五”期间已实现的办理时限（规划表述，不是法律规定的期限）。"),
    PeriodSpec("approval", "kashgar.c11.approval_workdays", "工程建设项目审批", "受理之日", "deadline",
               (("工程建设项目",), ("审批",), ("时限", "工作日", "压缩", "压到", "几天", "多久", "办结", "哪天")),
               note="这是《喀什地区自然资源“十四五”规划》提出的审批时限目标（规划表述，不是法律规定的期限）。"),
]

DURATION_WORDS = (
    "多长时间", "多久", "几天", "多少天", "几个工作日", "多少个工作日", "多少日", "期限是多少", "期限多长", "挂多长",
    "时限", "压缩到", "压到多少", "要多少", "不少于多少", "多少时间",
)


def _matches(q: Question, spec: PeriodSpec) -> int:
    if not all(q.has(*group) for group in spec.triggers):
        return 0
    return sum(q.hits(*group) for group in spec.triggers)


def _start_date(q: Question, warnings: list[str]) -> date | None:
    valid = [d for d in q.dates if d.value is not None]
    for bad in q.dates:
        if bad.error:
            warnings.append(bad.error + "，请核对。")
    if not valid:
        return None
    first: DateMention = valid[0]
    if first.year_assumed:
        warnings.append(f"“{first.raw}”没有写年份，按当前年份{first.value.year}年计算；如不是{first.value.year}年请告知。")
    if len(valid) > 1:
        warnings.append(f"问题中有多个日期，以第一个（{first.raw}）为起算日。")
    return first.value


def compute_due(start: date, count: int, unit: str, kind: str) -> tuple[str, date | None, list[str], dict]:
    """(result sentence, exact due date or None, warnings, details) for a period from `start`."""
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
    if rolled.note:
        warnings.append(rolled.note + "。")
        details["due"] = rolled.exact.isoformat()
        return f"{fmt_date(rolled.exact)}（期间届满日{fmt_date(raw_end)}为休息日，顺延）", rolled.exact, warnings, details
    details["due"] = raw_end.isoformat()
    return fmt_date(raw_end), raw_end, warnings, details


def _unit_text(count: int, unit: str) -> str:
    return f"{count}个{unit}" if unit in ("工作日", "月") else f"{count}{unit}"


_PREFIX = {"xj-measures": "xj", "kashgar-plan": "kashgar"}


class StatutoryDeadline(Hook):
    name = "deadline"

    def applies(self, q: Question, ctx: RuleContext) -> bool:
        best = max((_matches(q, s) for s in SPECS), default=0)
        if not best:
            return False
        return True

    def compute(self, q: Question, ctx: RuleContext) -> list[Computation]:
        p = ctx.params
        specs = [s for s in SPECS if _matches(q, s)]
        top = max(_matches(q, s) for s in specs)
        specs = [s for s in specs if _matches(q, s) == top] or specs
        out: list[Computation] = []
        for spec in specs:
            param = p.get(spec.param_id)
            count, unit = int(param.number), param.unit
            warnings = doc_warnings(q, param.doc_id, ctx)
            if spec.key == "a30" and q.has("补偿安置决定", "没签协议", "未签协议", "未达成", "没达成"):
                # 第三十条第一款第二句: for those without an agreement the period runs from the decision
                spec = PeriodSpec(spec.key, spec.param_id, spec.what, "征地补偿安置决定作出之日", spec.kind, spec.triggers, spec.extra)
            if spec.note:
                warnings.append(spec.note)
            start = _start_date(q, warnings)
            quote = f"{param.path}：“{param.quote}”"
            title = f"{spec.what}的期限（{ctx.document(param.doc_id).citation_title()}{param.path}）"
            for extra in spec.extra:
                warnings.append(f"{short(ctx, extra)}：“{p.get(extra).quote}”。")
            ids = [spec.param_id, *spec.extra]
            if start is None and q.has(*DURATION_WORDS):
                bound = {"deadline": "内", "minimum": "不少于", "condition": "满"}[spec.kind]
                period = f"{'不少于' if bound == '不少于' else ''}{_unit_text(count, unit)}{'内' if bound == '内' else ''}"
                out.append(Computation(
                    rule=f"{_PREFIX.get(param.doc_id, param.doc_id)}.deadline.{spec.key}", title=title,
                    result=f"{spec.what}：自{spec.start_event}起{period}（{quote}）。给出起算日期可算出具体日期。",
                    value=count, formula=f"自{spec.start_event}起算{_unit_text(count, unit)}；{COUNTING}",
                    inputs={"期间": _unit_text(count, unit)}, citation_ids=cite(ctx, *ids), warnings=warnings,
                    details={"count": count, "unit": unit},
                ))
                continue
            if start is None:
                out.append(Computation(
                    rule=f"{_PREFIX.get(param.doc_id, param.doc_id)}.deadline.{spec.key}", title=title,
                    result=f"请提供起算日期（{spec.start_event}）。{quote}",
                    formula=f"自{spec.start_event}起算{_unit_text(count, unit)}；{COUNTING}",
                    citation_ids=cite(ctx, *ids), warnings=warnings, missing=["start_date"],
                ))
                continue
            text, due, more, details = compute_due(start, count, unit, spec.kind)
            warnings += more
            if due is None:
                result = f"自{spec.start_event}（{fmt_date(start)}）起{'不少于' if spec.kind == 'minimum' else ''}{_unit_text(count, unit)}：{text}"
            elif spec.kind == "deadline":
                result = f"自{spec.start_event}（{fmt_date(start)}）起{_unit_text(count, unit)}内，最后一日为{text}"
            elif spec.kind == "minimum":
                result = f"自{spec.start_event}（{fmt_date(start)}）起不少于{_unit_text(count, unit)}，最早届满日为{text}（该日结束前不得结束）"
            else:
                result = f"自{spec.start_event}（{fmt_date(start)}）起满{_unit_text(count, unit)}之日为{text}"
            out.append(Computation(
                rule=f"{_PREFIX.get(param.doc_id, param.doc_id)}.deadline.{spec.key}", title=title, result=result,
                formula=f"{fmt_date(start)} + {_unit_text(count, unit)}；{COUNTING}",
                inputs={"起算日": fmt_date(start), "期间": f"{_unit_text(count, unit)}（{quote}）"},
                citation_ids=cite(ctx, *ids), warnings=warnings, details=details,
            ))
        return out


class DateArithmetic(Hook):
    """A date plus a stated period when no statutory period is recognised (no citation)."""

    name = "date_arithmetic"
    WORDS = ("到期", "截止", "届满", "哪天", "哪一天", "几号", "几月几日", "什么时候", "之后", "以后", "后", "起", "内")

    def applies(self, q: Question, ctx: RuleContext) -> bool:
        if any(_matches(q, s) for s in SPECS):
            return False
        if not q.dates or not q.durations or not q.has(*self.WORDS):
            return False
        return True

    def compute(self, q: Question, ctx: RuleContext) -> list[Computation]:
        warnings: list[str] = ["问题中未识别出对应的法定期限，以下只是按所给期间做的日期推算，不引用条文。"]
        start = _start_date(q, warnings)
        dur: Duration = q.durations[0]
        if start is None:
            return []
        text, due, more, details = compute_due(start, dur.count, dur.unit, "deadline" if q.has("内", "截止", "到期") else "condition")
        return [Computation(
            rule=self.name, title="日期推算", result=f"{fmt_date(start)}起{_unit_text(dur.count, dur.unit)}：{text}",
            formula=f"{fmt_date(start)} + {_unit_text(dur.count, dur.unit)}；{COUNTING}",
            inputs={"起算日": fmt_date(start), "期间": _unit_text(dur.count, dur.unit)}, warnings=warnings + more, details=details,
        )]


HOOKS: list[Hook] = [StatutoryDeadline(), DateArithmetic()]

__all__ = ["HOOKS", "SPECS", "add_months", "add_workdays", "compute_due", "fmt", "fmt_date", "is_workday", "roll_to_workday"]
