"""Deadlines: each party's period from its own start event (periods.toml), whether a given day is past it, days left; date arithmetic."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from qa.rules.base import Hook, cite, doc_warnings, short
from qa.rules.dates import (
    COUNTING,
    StatedDate,
    add_months,
    add_workdays,
    against,
    calendar_warning,
    compute_due,
    fmt_date,
    is_workday,
    named_stated_dates,
    roll_to_workday,
    stated_dates,
    unit_text,
    workdays_between,
)
from qa.rules.extract import DateMention, Question
from qa.rules.facts import DatedEvent, case_words
from qa.rules.figures import named_documents
from qa.rules.model import Computation, RuleContext, Understood, fmt

PERIODS_FILE = Path(__file__).resolve().parent / "periods.toml"

DURATION_WORDS = (
    "多长时间", "多久", "几天", "多少天", "几个工作日", "多少个工作日", "多少日", "期限是多少", "期限多长", "挂多长",
    "时限", "压缩到", "压到多少", "要多少", "不少于多少", "多少时间",
)
# words asking whether a period is still open: the due day is compared with the day the question gives, or today
OVERDUE_WORDS = ("超期", "逾期", "过期", "超时", "晚了", "超了吗", "超过期限", "来得及", "赶得上", "算不算超", "违不违规", "晚不晚", "晚没晚",
                 "迟不迟", "超没超", "有没有超", "误没误", "耽误了")
BOTH_WORDS = ("分别", "各自", "各是", "两户", "两家", "都", "其他户", "其余", "别的户", "大部分", "多数", "签了协议的", "其他人")
PAST_ASKED = ("过了没有", "过了吗", "过没过", "到了没有", "到没到", "到期了吗", "过期了吗", "是否已过", "已经过了吗", "超过了吗")
REMAINING_WORDS = ("还差几天", "还差多少天", "还剩几天", "还剩多少天", "还有几天", "还有多少天", "剩几天", "差几天", "还来得及", "距离到期", "离到期", "离截止")


@dataclass(frozen=True)
class AltStart:
    param_id: str
    start_event: str
    starts: tuple[str, ...]
    who: str


@dataclass(frozen=True)
class PeriodSpec:
    key: str
    param_id: str
    what: str
    start_event: str
    starts: tuple[str, ...]
    kind: str  # deadline | minimum | condition
    triggers: tuple[tuple[str, ...], ...]
    extra: tuple[str, ...] = ()
    note: str = ""
    alt: AltStart | None = None


@lru_cache(maxsize=1)
def periods() -> tuple[PeriodSpec, ...]:
    data = tomllib.loads(PERIODS_FILE.read_text(encoding="utf-8"))
    out = []
    for p in data["period"]:
        alt = p.get("alt")
        if p["kind"] not in ("deadline", "minimum", "condition"):
            raise ValueError(f"{PERIODS_FILE.name}: {p['key']}: unknown kind {p['kind']}")
        out.append(PeriodSpec(
            key=p["key"], param_id=p["param"], what=p["what"], start_event=p["start_event"], starts=tuple(p["starts"]),
            kind=p["kind"], triggers=tuple(tuple(g) for g in p["triggers"]), extra=tuple(p.get("extra", [])), note=p.get("note", ""),
            alt=AltStart(alt["param"], alt["start_event"], tuple(alt["starts"]), alt["who"]) if alt else None,
        ))
    return tuple(out)


def _matches(q: Question, spec: PeriodSpec) -> int:
    if not all(q.has(*group) for group in spec.triggers):
        return 0
    return sum(q.hits(*group) for group in spec.triggers)


def _specs(q: Question, ctx: RuleContext) -> list[PeriodSpec]:
    """The periods the question is about: those whose triggers match best, among those whose parameters exist."""
    found = [(s, _matches(q, s)) for s in periods() if ctx.available(s.param_id)]
    found = [(s, m) for s, m in found if m]
    if not found:
        return []
    top = max(m for _, m in found)
    return [s for s, m in found if m == top]


@dataclass(frozen=True)
class Line:
    """One party's period: the event it runs from (None: to be asked), how it is named, for whom."""

    start: DatedEvent | None
    start_event: str
    who: str | None
    alt: bool = False
    assumed: str = ""  # how a date without event words was read


def _lines(q: Question, spec: PeriodSpec) -> list[Line]:
    """Each party's start: its own event, never another party's; a party whose own start is not given is asked for."""
    case = q.facts
    lines = [Line(e, spec.start_event, e.party.name if e.party else None) for e in case.events_of(*spec.starts) if e.date.value]
    if spec.alt is not None:
        alt_events = [e for e in case.events_of(*spec.alt.starts) if e.date.value]
        lines += [Line(e, spec.alt.start_event, e.party.name if e.party else spec.alt.who, alt=True) for e in alt_events]
        covered = {e.party for e in alt_events if e.party}
        for party in case.parties:
            if party.agreement is False and party not in covered and not (alt_events and len(alt_events) == 1 and alt_events[0].party is None):
                lines.append(Line(None, spec.alt.start_event, party.name, alt=True))
        if not alt_events and not any(line.alt for line in lines) and q.has(*case_words().without_agreement):
            lines.append(Line(None, spec.alt.start_event, spec.alt.who, alt=True))
    if any(line.alt for line in lines):
        main = [line for line in lines if not line.alt]
        alt = [line for line in lines if line.alt]
        if main and not q.has(*BOTH_WORDS):
            # the question is about the party without an agreement: the others' date is not its start
            return alt
        return alt + [Line(m.start, m.start_event, m.who or "已达成协议的") for m in main]
    if lines:
        return lines
    undated = [e for e in case.events if e.date.value and e.event is None]
    if len(case.events) == 1 and undated:
        return [Line(undated[0], spec.start_event, None, assumed=f"问题没有写明「{undated[0].date.raw}」是什么日子，按{spec.start_event}理解")]
    return [Line(None, spec.start_event, None)]


def _today(q: Question, ctx: RuleContext) -> tuple[date | None, Understood | None]:
    for e in q.facts.events_of("today"):
        if e.date.value:
            return e.date.value, Understood(words=e.date.raw, value=fmt_date(e.date.value), category="今天（问题所说）")
    if q.facts.says_today:
        return ctx.today, Understood(words="今天", value=fmt_date(ctx.today), category="今天（系统日期）")
    return None, None


def _rule_name(spec: PeriodSpec) -> str:
    return f"{spec.param_id.split('.')[0]}.deadline.{spec.key}"


class StatutoryDeadline(Hook):
    name = "deadline"

    def applies(self, q: Question, ctx: RuleContext) -> bool:
        return bool(_specs(q, ctx))

    def compute(self, q: Question, ctx: RuleContext) -> list[Computation]:
        out: list[Computation] = []
        for spec in _specs(q, ctx):
            for line in _lines(q, spec):
                out.append(self._line(q, ctx, spec, line))
        return out

    def _line(self, q: Question, ctx: RuleContext, spec: PeriodSpec, line: Line) -> Computation:
        p = ctx.params
        param = p.get(spec.param_id)
        count, unit = int(param.number), param.unit
        warnings = doc_warnings(q, param.doc_id, ctx)
        if spec.note:
            warnings.append(spec.note)
        quote = f"{param.path}：“{param.quote}”"
        who = f"（{line.who}）" if line.who else ""
        title = f"{spec.what}的期限{who}（{ctx.document(param.doc_id).citation_title()}{param.path}）"
        ids = [spec.param_id, *spec.extra]
        for extra in spec.extra:
            if not (line.alt and spec.alt and extra == spec.alt.param_id):
                warnings.append(f"{short(ctx, extra)}：“{p.get(extra).quote}”。")
        if line.alt and spec.alt:
            alt = p.get(spec.alt.param_id)
            quote += f"；{alt.path}：“{alt.quote}”"
        rule = _rule_name(spec)
        bound = {"minimum": ("不少于", ""), "deadline": ("", "内")}.get(spec.kind, ("", ""))
        basis = f"{param.path}：自{line.start_event}起{bound[0]}{unit_text(count, unit)}{bound[1]}"
        for bad in q.dates:
            if bad.error:
                warnings.append(bad.error + "，请核对。")
        unbound = q.facts.unbound_of("date")
        if line.start is None:
            if q.has(*DURATION_WORDS) and not line.alt:
                period = f"{bound[0]}{unit_text(count, unit)}{bound[1]}"
                return Computation(
                    rule=rule, title=title, result=f"{spec.what}：自{line.start_event}起{period}（{quote}）。给出起算日期可算出具体日期。",
                    # the period restated, over no fact of the case: it does not settle whether it is the period asked
                    value=count, formula=f"自{line.start_event}起算{unit_text(count, unit)}；{COUNTING}",
                    citation_ids=cite(ctx, *ids), warnings=warnings, details={"count": count, "unit": unit, "period": unit_text(count, unit)},
                    unbound=unbound,
                )
            asked = f"{line.who}的{line.start_event.removesuffix('之日')}日期" if line.who else f"起算日期（{line.start_event}）"
            if line.alt and any(e.event in spec.starts for e in q.facts.events):
                warnings.append(f"{line.who}的期限不从征收土地公告之日起算，而是自其{line.start_event}起算；问题没有给出该日期，不能用公告日期代替。")
            return Computation(
                rule=rule, title=title, result=f"请提供{asked}。{quote}",
                formula=f"自{line.start_event}起算{unit_text(count, unit)}；{COUNTING}",
                citation_ids=cite(ctx, *ids), warnings=warnings, missing=["start_date"], unbound=unbound,
            )
        event = line.start
        start = event.date.value
        assert start is not None
        understood = [Understood(
            words=event.clause.text.strip(), value=fmt_date(start),
            category=f"{line.start_event}" + (f"（{line.who}）" if line.who else "") + (f"；{line.assumed}" if line.assumed else "")
            + (f"；{event.via}" if event.via else ""),
            basis=basis,
        )]
        if event.date.year_assumed:
            warnings.append(f"「{event.date.raw}」没有写年份，按当前年份{start.year}年计算；如不是{start.year}年请告知。")
        elif event.date.year_from:
            understood[0].category += f"；年份取自「{event.date.year_from}」"
        if event.date.read_as:
            understood[0].category += f"；「{event.date.raw}」{event.date.read_as}"
        text, due, more, details = compute_due(start, count, unit, spec.kind)
        warnings += more
        head = f"{who.strip('（）') + '：' if who else ''}自{line.start_event}（{fmt_date(start)}）起"
        if due is None:
            result = f"{head}{'不少于' if spec.kind == 'minimum' else ''}{unit_text(count, unit)}：{text}"
        elif spec.kind == "deadline":
            result = f"{head}{unit_text(count, unit)}内，最后一日为{text}"
        elif spec.kind == "minimum":
            result = f"{head}不少于{unit_text(count, unit)}，最早届满日为{text}（该日结束前不得结束）"
        else:
            result = f"{head}满{unit_text(count, unit)}之日为{text}"
        if due is not None:
            result += self._compare(q, ctx, spec, line, due, details, understood, warnings)
        return Computation(
            rule=rule, title=title, result=result,
            formula=f"{fmt_date(start)} + {unit_text(count, unit)}；{COUNTING}",
            inputs={"起算日": fmt_date(start), "期间": f"{unit_text(count, unit)}（{quote}）"},
            citation_ids=cite(ctx, *ids), warnings=warnings, details=details, understood=understood, unbound=unbound,
        )

    @staticmethod
    def _compare(
        q: Question, ctx: RuleContext, spec: PeriodSpec, line: Line, due: date, details: dict, understood: list[Understood], warnings: list[str],
    ) -> str:
        """A day the question gives, checked against the period: when it was done ('6月10日才起诉'), the day things
        stand on ('到2025年6月1日还没动工'), or today. What the check means depends on the kind of period."""
        mine = [e for e in q.facts.events_of("act", "as_of") if e.date.value and (e.party is None or e.party.name == line.who)]
        if len(mine) > 1:
            warnings.append("问题中有多个办理或比较日期，没有逐一判断，请说明各是哪一方、哪件事的日期。")
            return ""
        if mine:
            event = mine[0]
            day = event.date.value
            assert day is not None
            what = "实际办理日" if event.event == "act" else "所说日期"
            role = "实际办理的日期" if event.event == "act" else "要比较的日期"
            understood.append(Understood(words=event.clause.text.strip(), value=fmt_date(day), category=role))
        elif q.has(*OVERDUE_WORDS) or q.has(*REMAINING_WORDS) or (spec.kind != "deadline" and q.facts.says_today):
            today, said = _today(q, ctx)
            if today is None:
                return "；最后一日之后仍未办理即属超期（问题没有给出要比较的日期）" if spec.kind == "deadline" else ""
            start = line.start.date.value if line.start else None
            if start is not None and today < start and not (q.has(*OVERDUE_WORDS) or q.has(*REMAINING_WORDS)):
                return ""  # a today before the period starts only dates the case ('今天是…，下周一开始公示'): nothing to check yet
            assert said is not None
            understood.append(said)
            day, what = today, "今天"
        else:
            return ""
        diff = (day - due).days
        details["days_after_due"] = diff
        left = ""  # in a period of working days, how many of the days left are working days
        if diff < 0 and ctx.params.get(spec.param_id).unit == "工作日":
            counted = workdays_between(day, due)
            if not counted.unknown_years:
                left = f"，其中工作日{counted.count}个"
                details["workdays_left"] = counted.count
        if spec.kind == "minimum":  # 不少于: ending or acting before the earliest end cuts the period short
            if diff < 0:
                return f"；{what}{fmt_date(day)}早于最早届满日{-diff}天，期间不足，不能据此结束（到{fmt_date(due)}结束才满，还差{-diff}天{left}）"
            return f"；{what}{fmt_date(day)}已满期间（最早届满日为{fmt_date(due)}）"
        if spec.kind == "condition":  # 满…: the condition is met from that day on
            if diff < 0:
                return f"；{what}{fmt_date(day)}尚未满期，还差{-diff}天{left}"
            if diff == 0:
                return f"；{what}{fmt_date(day)}正是期间的最后一日，该日结束即满期"
            return f"；{what}{fmt_date(day)}已满期（期间最后一日为{fmt_date(due)}）"
        sentence, _ = against(due, day, what)
        return "；" + sentence + (f"（剩余天数{left.removeprefix('，')}）" if left else "")


class DateArithmetic(Hook):
    """Dates without a statutory period: a date plus a stated period, days between two dates, days to or since a date."""

    name = "date_arithmetic"
    WORDS = ("到期", "截止", "届满", "哪天", "哪一天", "几号", "几月几日", "什么时候", "之后", "以后", "后", "起", "内")
    BETWEEN = ("多少天", "几天", "相隔", "间隔", "隔了", "相差", "差几天", "多少个工作日", "几个工作日", "多少日", "过了多久", "多长时间")

    def applies(self, q: Question, ctx: RuleContext) -> bool:
        valid = [d for d in q.dates if d.value]
        if q.durations and q.has(*self.WORDS) and (valid or _stated(q, ctx)):
            return True
        if q.has("计划期", "规划期"):
            return False  # a day against a plan's period is the plan-period rule's count
        if self._past_asked(q, ctx):
            return True
        if not q.has(*self.BETWEEN):
            return False
        given = len(valid) + len(_stated(q, ctx))
        return given == 2 or (given == 1 and q.facts.says_today and not q.facts.events_of("today"))

    def _past_asked(self, q: Question, ctx: RuleContext) -> bool:
        """'喀什规划要求…编制完成的期限过了没有': one date the texts state against the day the question stands on
        (its own date, or today)."""
        return q.has(*PAST_ASKED) and len(_stated(q, ctx)) == 1 and len([d for d in q.dates if d.value]) <= 1

    def compute(self, q: Question, ctx: RuleContext) -> list[Computation]:
        valid = [d for d in q.dates if d.value]
        days = [_said_day(d) for d in valid] + [_text_day(words, d, ctx) for words, d in _stated(q, ctx)]
        if q.durations and q.has(*self.WORDS) and days:
            return self._plus(q, days[0])
        if len(days) == 1:  # '从2025年1月1日到今天': today is the system date, and the answer says so
            days.append(_Day(ctx.today, Understood(words="今天", value=fmt_date(ctx.today), category="今天（系统日期）")))
        return [self._between(q, days[0], days[1])]

    def _plus(self, q: Question, begin: _Day) -> list[Computation]:
        warnings: list[str] = ["问题中未识别出对应的法定期限，以下只是按所给期间做的日期推算，不引用条文。", *begin.warnings]
        start = begin.day
        if len([d for d in q.dates if d.value]) > 1:
            warnings.append(f"问题中有多个日期，以第一个（{begin.said.words}）为起算日。")
        dur = q.durations[0]
        text, _, more, details = compute_due(start, dur.count, dur.unit, "deadline" if q.has("内", "截止", "到期") else "condition")
        quoted = f"（{begin.said.basis}：“{begin.source.param.quote}”）" if begin.source else ""
        return [Computation(
            rule=self.name, title="日期推算", result=f"{fmt_date(start)}起{unit_text(dur.count, dur.unit)}：{text}{quoted}",
            formula=f"{fmt_date(start)} + {unit_text(dur.count, dur.unit)}；{COUNTING}",
            inputs={"起算日": fmt_date(start), "期间": unit_text(dur.count, dur.unit)}, warnings=warnings + more, details=details,
            citation_ids=[begin.source.param.unit_id] if begin.source else [],
            understood=[
                begin.said.model_copy(update={"category": f"起算日（{begin.said.category}）" if begin.said.category else "起算日"}),
                Understood(words=dur.raw, value=unit_text(dur.count, dur.unit), category="期间"),
            ],
        )]

    def _between(self, q: Question, first: _Day, second: _Day) -> Computation:
        a, b = sorted([first.day, second.day])
        days = (b - a).days
        result = f"{fmt_date(a)}至{fmt_date(b)}相隔{days}天（不算起始日；首尾两天都算为{days + 1}天）"
        details: dict = {"days": days, "days_inclusive": days + 1, "dates": [first.day.isoformat(), second.day.isoformat()]}
        warnings = [w for d in (first, second) for w in d.warnings]
        if q.has("工作日"):
            wd = workdays_between(a, b)
            if wd.unknown_years:
                warnings.append(calendar_warning(wd.unknown_years))
                result += f"；工作日无法准确计算（只把周末算作休息日估算为{wd.count}个）"
            else:
                result += f"；其间工作日{wd.count}个（不算起始日，按官方节假日安排）"
                details["workdays"] = wd.count
        quoted = [d for d in (first, second) if d.source is not None]
        if len(quoted) == 1:  # a date the texts state against the day the question stands on: past or still ahead
            stated, now = quoted[0], second if quoted[0] is first else first
            gap = (now.day - stated.day).days
            where = f"已过{gap}天" if gap > 0 else "正是当天" if gap == 0 else f"还有{-gap}天"
            result += f"；以{fmt_date(now.day)}计，「{stated.said.words}」所指的{fmt_date(stated.day)}{where}"
            details["stated_date_past"] = gap > 0
        if quoted:
            result += "（" + "；".join(f"{d.said.basis}：“{d.source.param.quote}”{d.said.value[len(fmt_date(d.day)):]}" for d in quoted if d.source) + "）"
        return Computation(
            rule=self.name, title="两个日期之间的天数", result=result, value=days, formula=f"{b.isoformat()} − {a.isoformat()} = {days}天",
            warnings=warnings, details=details, understood=[first.said, second.said],
            citation_ids=list(dict.fromkeys(d.source.param.unit_id for d in quoted if d.source)),
        )


@dataclass(frozen=True)
class _Day:
    """One end of a day count: the day, how it was understood, the text that states it (None: the question's own)."""

    day: date
    said: Understood
    source: StatedDate | None = None
    warnings: tuple[str, ...] = ()


def _said_day(d: DateMention) -> _Day:
    assert d.value is not None
    year = (f"「{d.raw}」没有写年份，按当前年份{d.value.year}年计算；如不是{d.value.year}年请告知。",) if d.year_assumed else ()
    return _Day(d.value, Understood(words=d.raw, value=fmt_date(d.value)), warnings=year)


def _stated(q: Question, ctx: RuleContext) -> list[tuple[str, StatedDate]]:
    """Dates the texts state that the question names ('实施办法施行那天', '供地计划落款那天'); one the question writes
    out itself ('2022年11月1日施行') is the question's date, not a second one."""
    said = [d.value for d in q.dates if d.value]
    if ctx.corpus is None or len(said) >= 2:
        return []
    docs = named_documents(q, ctx)
    named = named_stated_dates(q.norm, stated_dates(ctx.params.params), docs) if docs else []
    return [(words, d) for words, d in named if d.day not in said]


def _text_day(words: str, d: StatedDate, ctx: RuleContext) -> _Day:
    doc = ctx.document(d.param.doc_id)
    read = f"（{d.param.notes}）" if d.param.notes and "理解" in d.param.notes else ""
    return _Day(d.day, Understood(words=words, value=fmt_date(d.day) + read, category=f"文件所定日期（{d.said}）",
                                  basis=f"{doc.citation_title()}{d.param.path}"), source=d)


HOOKS: list[Hook] = [StatutoryDeadline(), DateArithmetic()]

__all__ = ["HOOKS", "add_months", "add_workdays", "compute_due", "fmt", "fmt_date", "is_workday", "periods", "roll_to_workday"]
