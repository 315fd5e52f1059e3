"""Plan arithmetic: sums and shares over the Bachu supply structure, the Kashgar project list and the Kashgar indicators."""
from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from typing import TYPE_CHECKING

from ingest.units import TableRow
from qa import thesaurus
from qa.places import places, region_names
from qa.rules.base import Hook, doc_of, doc_warnings, outside_period
from qa.rules.conversions import show, targets
from qa.rules.dates import fmt_date, named_stated_dates, stated_dates
from qa.rules.extract import SQM_PER, Question, parse_number, without_references
from qa.rules.figures import check_amounts, check_table_numbering, check_text_against_tables
from qa.rules.mentions import PART_REFERENCE
from qa.rules.model import Computation, Reading, RuleContext, Understood, decimal_value, fmt
from qa.rules.plan_tables import INDICATORS, MU_PER_HA, PERIOD, PROJECTS, STRUCTURE, TOTAL, SupplyItem, SupplyPlan, bachu_plan, share_matches
from qa.rules.project_rows import (
    PER_COUNTY,
    WHICH_GROUP,
    YEARS_PER_PLAN,
    AskedFigure,
    CellFigure,
    Extreme,
    Naming,
    StatedCount,
    _for_names,
    _residual,
    asked_figure,
    asked_figures,
    cell_figures,
    counts_of,
    county_of,
    county_short,
    extreme_asked,
    kashgar_counties,
    named_county,
    naming,
    per_unit_asked,
    project_keywords,
    segment_matches,
    units_named,
    without_units,
)
from qa.rules.text_math import (
    CHANGE_ASKED,
    POINTS_ASKED,
    SHARE_ASKED,
    Amount,
    Found,
    TextArithmetic,
    bind_parts,
    compared_years,
    parts_named,
    ratio_direction,
    stated_sum,
    sum_parts,
    unprinted_comparison,
    year_not_printed_text,
    years_asked,
)

if TYPE_CHECKING:
    from ingest.pipeline import Corpus

# a side of a comparison: its name and which rows of the project list belong to it
Side = tuple[str, Callable[[TableRow], bool]]

# ------------------------------------------------------------------ 巴楚县2025年度国有建设用地供应计划

# how staff name the land uses of the structure paragraph -> the printed name
BACHU_ALIASES = {
    "工矿仓储": "工矿仓储用地", "工业": "工矿仓储用地", "仓储": "工矿仓储用地", "工矿": "工矿仓储用地",
    "住宅": "住宅用地", "居住": "住宅用地",
    "公共管理与公共服务": "公共管理与公共服务用地", "公共管理": "公共管理与公共服务用地", "公共服务": "公共管理与公共服务用地",
    "公服": "公共管理与公共服务用地",
    "商服": "商服用地", "商业": "商服用地",
    "交通运输": "交通运输用地", "交通": "交通运输用地",
    "水域及水利设施": "水域及水利设施用地", "水利": "水域及水利设施用地", "水域": "水域及水利设施用地",
    "特殊用地": "特殊用地",
}


def bachu_total_mu_warning(plan: SupplyPlan) -> str | None:
    mu = plan.total_ha * MU_PER_HA
    if abs(Fraction(plan.total_mu_printed) - mu) > Fraction(1, 100):
        return (
            f"原文“{plan.total_ha_text}公顷（约{plan.total_mu_printed}亩）”的亩数有误：{plan.total_ha_text}公顷 × 15 = {fmt(mu)}亩，"
            f"不是{plan.total_mu_printed}亩"
            + ("（相差约10倍，疑为漏印一位数字）。" if abs(mu / Fraction(plan.total_mu_printed) - 10) < Fraction(1, 10) else "。")
        )
    return None


DIFFERENCE_WORDS = ("多多少", "少多少", "差多少", "相差", "多出", "差距", "差额", "多了多少", "少了多少", "比…多", "高多少", "低多少")


# 'A是B的百分之多少', 'A占B的比例': one item over the other, not over the total
RATIO_PERCENT = re.compile(r"(是|占|相当于)(?P<whole>[\u4e00-\u9fa5、]{1,14}?)的(百分之多少|百分之几|多少%|比例|比重|百分比|几成)")


def share_whole(text: str, asked: list[str]) -> tuple[list[str], int]:
    """The land uses asked that a share's whole names, and where the share's clause starts: one for a share over the
    other ('住宅是商服的百分之几'), both for a share within their sum ('住宅占住宅和商服合计的比例'), none for a share of
    the total ('住宅加商服合起来占供应总量的百分之几' asks the share of their sum: its whole is no land use)."""
    for m in RATIO_PERCENT.finditer(text):
        named = [full for alias, full in BACHU_ALIASES.items() if full in asked and alias in m.group("whole")]
        if named:
            return list(dict.fromkeys(named)), m.start()
    return [], -1


def asks_difference(q: Question) -> bool:
    """'A比B多多少', '相差多少', 'A比B多投资多少'."""
    return differs(q.norm)


def differs(text: str) -> bool:
    return any(w in text for w in DIFFERENCE_WORDS) or bool(re.search(r"比.{1,15}?(多|少|高|低|长|短)[\u4e00-\u9fa5]{0,4}?(多少|几)", text))


_SHARE_WORDS = ("占比", "比重", "比例", "百分比", "百分点", "%")


def difference_clause(q: Question) -> bool:
    """Some clause asks a difference of the figures themselves, not of their shares ('商服比交通多多少公顷，占比差几个
    百分点'): then both are computed, each in its own clause's terms."""
    clauses = [c for c in re.split(r"[，,；;？?。]", q.norm) if c]
    return len(clauses) > 1 and any(differs(c) and not any(w in c for w in _SHARE_WORDS) for c in clauses)


def _in_question_order(q: Question, names: list[str]) -> list[str]:
    """Item names in the order the question says them ('住宅比商服多多少': 住宅 first)."""
    def pos(name: str) -> int:
        spots = [q.norm.find(alias) for alias, full in BACHU_ALIASES.items() if full == name and alias in q.norm]
        return min(spots) if spots else len(q.norm)
    return sorted(names, key=pos)


# ------------------------------------------------------------------ how a question relates two figures it names

# The words that ask a share, a ratio or a difference of two named figures, and the words that set which figure is
# taken against which. They are this module's own (the lexicon's cue lists belong to the question analysis): the
# operator governs the stretch after it, and the figure named inside that stretch is the reference (the whole of a
# share, the base of a ratio, what a difference is taken from); the other figure is the subject.
_SHARE_ASK = r"百分之[几多少]+|多少%|多大比例|比例|比重|百分比|占比|几成"
_TIMES_ASK = r"(?:几|多少)倍"
_DIFF_ASK = r"(?:多|少|高|低|大|小)了?出?(?:多少|几)|相?差(?:多少|几)"
_IN_CLAUSE = r"[^，,。？?；;！!]"
# 'A占B的百分之几', 'A是B的几倍', 'A相当于B的几成'
OF_REFERENCE = re.compile(rf"(?:占(?![用地])|是|为|相当于)(?P<ref>{_IN_CLAUSE}{{1,30}}?)的?(?P<ask>{_SHARE_ASK}|{_TIMES_ASK})")
# 'A占B多少'
TAKES = re.compile(rf"占(?![用地])(?P<ref>{_IN_CLAUSE}{{1,30}}?)的?(?P<ask>多少|几)")
# 'A比B多多少', 'A较B低几个百分点' (not the 比 of 比例, 比重, 比值, 占比, 百分比, 之比, 对比)
THAN = re.compile(rf"(?<![占分之对])(?:比|较)(?![例重值率较])(?P<ref>{_IN_CLAUSE}{{1,30}}?)(?P<ask>{_DIFF_ASK})")
# '和B相比，A多多少'
COMPARED = re.compile(rf"(?:和|与|跟|同)(?P<ref>{_IN_CLAUSE}{{1,30}}?)(?:相比|比较|比起来)")
# 'B里（中、当中）A占…': the figure named first holds the other
INSIDE = re.compile(r"的?(?:里面|当中|之中|里|中)的?")
# 'A和B相差多少' (no reference: the larger over the smaller), 'A与B之比' (the order said)
APART = re.compile(r"相差|差多少|差几|差距|差额|之差")
RATIO_OF = re.compile(r"之比|比值")
Span = tuple[int, int]


@dataclass(frozen=True)
class Relation:
    """One operation a question asks over two figures it names: `kind` is share, times or difference; `subject` the
    index of the figure that is the part, the multiple or the minuend (None: the words set no direction); `at` where
    its words are, to answer several in the question's order."""
    kind: str
    subject: int | None
    at: int


def _inside(spans: list[Span], a: int, b: int) -> bool:
    return any(a <= s and e <= b for s, e in spans)


def _outside(spans: list[Span], a: int, b: int) -> bool:
    return any(e <= a or s >= b for s, e in spans)


def pair_relations(text: str, spans: tuple[list[Span], list[Span]]) -> list[Relation]:
    """The shares, ratios and differences `text` asks between two figures it names at `spans` (every place each is
    named), read from the grammar around the operator: the figure inside the stretch 占/是/比/和…相比 governs is the
    reference, the one named outside it the subject ('永久基本农田占耕地保有量的百分之几': 永久基本农田 over 耕地保有量)."""
    found: dict[tuple[str, int], tuple[int, Relation]] = {}  # per kind and subject: the narrowest reading
    named_first = 0 if min(spans[0]) < min(spans[1]) else 1
    later = [(m.start(), m.end(), m.group()) for m in re.finditer("前者|后者", text) if m.start() >= max(min(spans[0]), min(spans[1]))[1]]
    if later:  # '…多多少，后者占前者的百分之几': 前者 is the figure named first
        spans = (spans[0] + [(a, b) for a, b, w in later if (w == "前者") == (named_first == 0)],
                 spans[1] + [(a, b) for a, b, w in later if (w == "前者") == (named_first == 1)])

    def directed(kind: str, m: re.Match[str]) -> None:
        a, b = m.span("ref")
        inside = [k for k in (0, 1) if _inside(spans[k], a, b)]
        if len(inside) != 1 or not _outside(spans[1 - inside[0]], a, b):
            return  # both or neither named inside: this operator relates something else
        subject = 1 - inside[0]
        key = (kind, subject)
        if key not in found or b - a < found[key][0]:
            found[key] = (b - a, Relation(kind, subject, m.start()))

    for i, ch in enumerate(text):
        if ch in "占是为相":
            m = OF_REFERENCE.match(text, i)
            if m:
                directed("times" if re.fullmatch(_TIMES_ASK, m.group("ask")) else "share", m)
            m = TAKES.match(text, i)
            if m:
                directed("share", m)
        if ch in "比较":
            m = THAN.match(text, i)
            if m:
                directed("difference", m)
        if ch in "和与跟同":
            m = COMPARED.match(text, i)
            if m:
                rest = text[m.end():]
                if re.search(_DIFF_ASK, rest) or APART.search(rest):
                    directed("difference", m)
                elif re.search(_TIMES_ASK, rest):
                    directed("times", m)
    # 'B里A占百分之几': both named before 占, the one named first holding the other
    took = re.search(rf"占(?![用地]){_IN_CLAUSE}{{0,4}}?(?:{_SHARE_ASK}|多少|几)", text)
    if took and not any(kind == "share" for kind, _ in found):
        for k in (0, 1):
            if any(INSIDE.fullmatch(text[he:os]) for _, he in spans[k] for os, oe in spans[1 - k] if he <= os and oe <= took.start()):
                found[("share", 1 - k)] = (0, Relation("share", 1 - k, took.start()))
    out = [r for _, r in found.values()]
    kinds = {r.kind for r in out}
    apart, ratio_of = APART.search(text), RATIO_OF.search(text)
    if "difference" not in kinds and apart:
        out.append(Relation("difference", None, apart.start()))
    if "times" not in kinds and ratio_of:
        out.append(Relation("times", named_first, ratio_of.start()))
    return sorted(out, key=lambda r: r.at)


def _said(plan: SupplyPlan, asked: list[str], said_as: dict[str, str]) -> list[Understood]:
    """Each land use asked, as the question said it."""
    return [Understood(words=said_as.get(i.name, "（其余各类）"), value=i.name, category=f"{fmt(i.hectares)}公顷，原文占比{i.printed_share_text}%",
                       basis="供应计划三、（二）") for i in plan.items if i.name in asked]


class BachuSupply(Hook):
    name = "plan.bachu_supply"

    def applies(self, q: Question, ctx: RuleContext) -> bool:
        if ctx.corpus is None or not q.has("巴楚"):
            return False
        if not q.has("供应", "供地", *[a for a in BACHU_ALIASES if a not in ("交通", "水利", "工业", "商业")]) and not (
            q.has(*BACHU_ALIASES) and q.has("用地")
        ):
            return False
        if q.has("计划期", "期限", "到期", "哪天", "多少天", "几天") and not q.has("公顷", "亩", "占比", *BACHU_ALIASES):
            return False  # the plan period is answered by BachuPeriod
        if q.has("价", "出让金", "元", "分布在", "在哪", "哪些乡", "哪几个乡"):
            return False  # prices and locations are not in the structure paragraph
        if not q.has("多少", "几成", "几倍", "几公顷", "几亩", "占比", "比例", "比重", "公顷", "亩", "平方米", "总量", "规模", "合计", "面积",
                     "最大", "最多", "最小", "最少", "倍", "百分之", "之比", "比值"):
            return False  # the plan's other content (basis, dates, procedures) is for retrieval, not arithmetic
        if not q.has("公顷", "亩", "平方米", "面积", "用地", "总量", "规模", "占比", "比例", "比重", *BACHU_ALIASES):
            return False  # '计划期多少天' is not an area question
        # another year's plan: the 2025 figures do not answer it; a year compared with ('比2024年') is said to be unstated
        compared = tuple(c.year for c in compared_years(q.norm, self._year(ctx)) if c.anchor is None)
        return not outside_period(q, doc_of(ctx, TOTAL), ctx, extra_years=compared)

    @staticmethod
    def _year(ctx: RuleContext) -> int:
        """The one year the plan's figures are for (its period)."""
        return int(ctx.document(doc_of(ctx, TOTAL)).dates["period_end"][:4])

    def compute(self, q: Question, ctx: RuleContext) -> list[Computation]:
        plan = bachu_plan(ctx.texts, ctx.params)
        bachu = doc_of(ctx, TOTAL)
        warnings = doc_warnings(q, bachu, ctx)
        year = self._year(ctx)
        compared, unprinted = unprinted_comparison(q.norm, year, {year})
        if compared or unprinted:
            # '比去年多供多少', '比2024年多多少': the plan prints 2025's figures alone (its text names 2020-2024 only as
            # the years it looked back on), so the other side of the comparison is not stated: no number is given
            result, unbound = year_not_printed_text(compared, unprinted, {year}, f"巴楚县{year}年度供应计划")
            return [Computation(
                rule=self.name, title=f"巴楚县{year}年度国有建设用地供应结构（供应计划 三、（一）（二））", value=None, missing=["value"],
                result=f"{result}；计划给出的{year}年供应总量是{fmt(plan.total_ha)}公顷", formula="差 = 所问年份数字 − 比较年份数字",
                citation_ids=[ctx.params.get(TOTAL).unit_id], warnings=warnings, unbound=unbound,
                details={"not_stated": {"years": sorted({*(c.year for c in compared), *unprinted})}},
            )]
        names = [i.name for i in plan.items]
        other = other_plan_side(q, ctx, bachu)
        scan = other.bachu_words if other else q.norm  # another plan's figure is not a Bachu land use
        asked: list[str] = []
        said_as: dict[str, str] = {}
        for alias in sorted(BACHU_ALIASES, key=len, reverse=True):
            if alias in scan and BACHU_ALIASES[alias] in names and BACHU_ALIASES[alias] not in asked:
                asked.append(BACHU_ALIASES[alias])
                said_as[BACHU_ALIASES[alias]] = alias
        subsets = [s for s in unbroken_subsets(scan) if not (_WHERE.fullmatch(s) and told_only(q.norm, s, WHOLE_COUNTY + WHOLE_REGION))]
        if subsets:
            return [self._not_broken_down(q, ctx, plan, subsets, asked, said_as, warnings)]
        if other:
            return [self._share_of_other_plan(q, ctx, plan, asked, said_as, other, warnings)]
        also = None  # a second operation the question asks in a clause of its own
        if len(asked) == 2 and (POINTS_ASKED.search(q.norm) or (q.has("占比", "比重", "比例", "百分比") and asks_difference(q))):
            also = self._points(q, ctx, plan, _in_question_order(q, asked), said_as, list(warnings))
            if not difference_clause(q):
                return [also]
        per = next((p for p in PER_PERIOD if p in q.norm), None)
        if per:
            return [self._per_period(q, ctx, plan, asked, said_as, per, warnings)]
        years = years_asked(q)
        if years and years[0] > 1 and re.search(r"每年|年均|平均一年|一年平均", q.norm):
            # an average over several years: the plan is for 2025 alone, and no other text gives 巴楚's other years
            return [Computation(
                rule=self.name, title="巴楚县2025年度国有建设用地供应结构（供应计划 三、（一）（二））", value=None, missing=["value"],
                result=f"问题问的是“{years[1]}”{years[0]}年的平均数，但巴楚县的供应计划只有2025年一年的数字（供应总量{fmt(plan.total_ha)}公顷），"
                       "其他年份的巴楚县数字文件没有写，不能求多年平均",
                formula="平均每年 = 各年合计 ÷ 年数", citation_ids=[ctx.params.get(TOTAL).unit_id], warnings=warnings,
                unbound=[f"“{years[1]}”其他年份的巴楚县供地数字"],
            )]
        if asked and q.has("除了", "以外", "之外", "除去", "扣除"):
            asked = [i.name for i in plan.items if i.name not in asked]  # '除了工矿仓储以外其他各类'
            warnings.append("按「除……以外」理解，取其余各类用地。")
        ratio = difference = None
        within, at = share_whole(q.norm, asked)
        as_percent = len(within) == 1
        if len(asked) == 2 and len(within) == 2 and not asks_difference(q):
            return [self._share_within(q, ctx, plan, asked, said_as, at, warnings)]
        times_asked = q.has("倍") or bool(RATIO_OF.search(q.norm))
        if len(asked) == 2 and (times_asked or as_percent or asks_difference(q)):
            first, second = (next(i for i in plan.items if i.name == n) for n in self._pair_order(q, asked, said_as))
            if (times_asked or as_percent) and not difference_clause(q):
                ratio = (first, second)
            else:  # a difference, or a difference and (in a clause of its own) the ratio too: both are computed
                difference = (first, second)
                if (times_asked or as_percent) and also is None:
                    ratio = (first, second)
        if q.has("最大", "最多") and not asked:
            asked = [max(plan.items, key=lambda i: i.hectares).name]
        elif q.has("最小", "最少") and not asked:
            asked = [min(plan.items, key=lambda i: i.hectares).name]
        if q.has("今年", "本年") and not outside_period(q, bachu, ctx) and ctx.today.year != 2025:
            warnings.append(f"问题说“今年”，当前是{ctx.today.year}年，而该计划只管2025年1月1日至12月31日；以下是2025年度计划的数字。")
        unit_targets = [u for u in targets(q) if u in ("亩", "平方米", "平方公里")]
        total = plan.total_ha
        parts_sum = sum((i.hectares for i in plan.items), Fraction(0))
        citation = [ctx.params.get(STRUCTURE).unit_id, ctx.params.get(TOTAL).unit_id]

        def area_text(ha: Fraction) -> str:
            extra = [f"{fmt(ha * SQM_PER['公顷'] / SQM_PER[u])}{u}" for u in (unit_targets or ["亩"])]
            return f"{fmt(ha)}公顷（{'，'.join(extra)}）"

        if asked:
            chosen = [i for i in plan.items if i.name in asked]
            ha = sum((i.hectares for i in chosen), Fraction(0))
            share = ha / total * 100
            printed = sum((i.printed_share for i in chosen), Decimal(0))
            label = "、".join(i.name for i in chosen)
            result = f"{label}{'合计' if len(chosen) > 1 else ''}{area_text(ha)}，占供应总量{fmt(total)}公顷的{fmt(share, 2)}%"
            check = "；".join(
                f"{i.name}：{fmt(i.hectares)} ÷ {fmt(total)} = {fmt(i.hectares / total * 100, 4)}%（原文{i.printed_share_text}%）" for i in chosen
            )
            for i in chosen:
                if not share_matches(i.printed_share, i.hectares / total * 100):
                    warnings.append(f"原文{i.name}占比{i.printed_share_text}%与按面积计算的{fmt(i.hectares / total * 100, 2)}%不一致。")
            if len(chosen) > 1:
                result += f"（原文各项占比相加为{printed}%）"
            formula = f"占比 = 面积 ÷ 供应总量 × 100%：{check}"
            value = decimal_value(ha)
            details = {"hectares": str(decimal_value(ha)), "share_percent": str(decimal_value(share, 4)), "items": asked}
            if difference:
                a, b = difference
                diff = a.hectares - b.hectares
                more = "多" if diff >= 0 else "少"
                result = f"{a.name}{fmt(a.hectares)}公顷比{b.name}{fmt(b.hectares)}公顷{more}{area_text(abs(diff))}"
                formula = f"{fmt(a.hectares)} − {fmt(b.hectares)} = {fmt(diff)}公顷；1公顷 = 15亩"
                value = decimal_value(abs(diff))
                details["difference_hectares"] = str(decimal_value(diff))
                clause = next((c for c in re.split(r"[，,；;？?。]", q.norm) if "倍" in c or RATIO_PERCENT.search(c)), "")
                forward = ratio_direction(clause, said_as.get(a.name, a.name), said_as.get(b.name, b.name)) if ratio else None
                if ratio and forward is not None:  # a ratio the clause leaves open ('占商服的百分之几') gets no number
                    also = self._ratio(ctx, ratio if forward else (b, a), as_percent, list(warnings), understood=_said(plan, asked, said_as))
            elif ratio:
                times = ratio[0].hectares / ratio[1].hectares
                shown = f"{fmt(times * 100, 2)}%" if as_percent else f"{fmt(times, 2)}倍"
                result = f"{ratio[0].name}{fmt(ratio[0].hectares)}公顷是{ratio[1].name}{fmt(ratio[1].hectares)}公顷的{shown}"
                if RATIO_OF.search(q.norm) and not as_percent and not q.has("倍"):  # '住宅与商服之比'
                    result = (f"{ratio[0].name}{fmt(ratio[0].hectares)}公顷与{ratio[1].name}{fmt(ratio[1].hectares)}公顷之比为"
                              f"{fmt(ratio[0].hectares)}:{fmt(ratio[1].hectares)}，即{fmt(times, 2)}:1")
                formula = f"{fmt(ratio[0].hectares)} ÷ {fmt(ratio[1].hectares)} = {fmt(times, 4)}"
                value = decimal_value(times * 100 if as_percent else times, 4)
                details["ratio"] = str(decimal_value(times, 6))
            elif q.has("总量") and q.has("最大", "最多", "最小", "最少"):
                result = f"供应总量{area_text(total)}；其中面积{'最大' if q.has('最大', '最多') else '最小'}的是" + result
        else:
            result = (
                f"2025年度巴楚县国有建设用地供应总量{area_text(total)}；其中"
                + "，".join(f"{i.name}{fmt(i.hectares)}公顷（{fmt(i.hectares / total * 100, 2)}%）" for i in plan.items)
                + f"；各项合计{fmt(parts_sum)}公顷" + ("，与总量一致" if parts_sum == total else f"，与总量{fmt(total)}公顷相差{fmt(parts_sum - total)}公顷")
            )
            formula = "亩数 = 公顷 × 15；占比 = 各类面积 ÷ 供应总量 × 100%"
            value = decimal_value(total)
            details = {"total_hectares": str(decimal_value(total)), "parts_sum_hectares": str(decimal_value(parts_sum))}
        mu_warning = bachu_total_mu_warning(plan)
        if mu_warning and (not asked or "亩" in unit_targets or q.has("总量", "亩")):
            warnings.append(mu_warning)
        understood = _said(plan, asked, said_as)
        main = Computation(
            rule=self.name, title="巴楚县2025年度国有建设用地供应结构（供应计划 三、（一）（二））",
            result=result, value=value, formula=formula,
            inputs={"用地类型": asked or "全部", "单位": unit_targets or ["公顷", "亩"]},
            citation_ids=citation, warnings=warnings, details=details, understood=understood,
        )
        if also is None:
            return [main]
        # the two answers in the order the question asks them ('比重相差几个点，面积相差多少' leads with the points)
        clauses = [c for c in re.split(r"[，,；;？?。]", q.norm) if c]
        area_first = next((i for i, c in enumerate(clauses) if differs(c) and not any(w in c for w in _SHARE_WORDS)), 0) <= next(
            (i for i, c in enumerate(clauses) if any(w in c for w in (*_SHARE_WORDS, "倍"))), len(clauses))
        return [main, also] if area_first else [also, main]


    @staticmethod
    def _pair_order(q: Question, asked: list[str], said_as: dict[str, str]) -> list[str]:
        """The two land uses as subject and reference, read from the grammar around 占/是/比 ('和商服相比，住宅多多少':
        住宅 over 商服); in the order said when the words set no direction ('住宅和商服相差多少')."""
        said = _in_question_order(q, asked)
        spans = tuple([(m.start(), m.end()) for a, full in BACHU_ALIASES.items() if full == name for m in re.finditer(re.escape(a), q.norm)]
                      for name in said)
        if not spans[0] or not spans[1]:
            return said
        directed = [r.subject for r in pair_relations(q.norm, (spans[0], spans[1])) if r.subject is not None]
        return said if not directed or directed[0] == 0 else [said[1], said[0]]

    def _ratio(self, ctx: RuleContext, pair: tuple[SupplyItem, SupplyItem], as_percent: bool, warnings: list[str], understood: list[Understood]) -> Computation:
        """'…是…的几倍' asked in a clause of its own beside a difference: the one area over the other."""
        a, b = pair
        times = a.hectares / b.hectares
        shown = f"{fmt(times * 100, 2)}%" if as_percent else f"{fmt(times, 2)}倍"
        return Computation(
            rule=self.name, title="巴楚县2025年度国有建设用地供应结构（供应计划 三、（一）（二））",
            result=f"{a.name}{fmt(a.hectares)}公顷是{b.name}{fmt(b.hectares)}公顷的{shown}", value=decimal_value(times * 100 if as_percent else times, 4),
            formula=f"{fmt(a.hectares)} ÷ {fmt(b.hectares)} = {fmt(times, 4)}", inputs={"用地类型": [a.name, b.name]},
            citation_ids=[ctx.params.get(STRUCTURE).unit_id], warnings=warnings, understood=understood,
            details={"ratio": str(decimal_value(times, 6)), "items": [a.name, b.name]},
        )

    def _share_within(self, q: Question, ctx: RuleContext, plan: SupplyPlan, asked: list[str], said_as: dict[str, str], at: int,
                      warnings: list[str]) -> Computation:
        """'住宅占住宅和商服合计的百分之几': the land use named before the share over the sum of the two."""
        before = q.norm[:at]
        parts = [i for i in plan.items if i.name in asked and any(a in before for a, full in BACHU_ALIASES.items() if full == i.name)]
        title = "巴楚县2025年度国有建设用地供应结构（供应计划 三、（一）（二））"
        pair = [i for i in plan.items if i.name in asked]
        whole = sum((i.hectares for i in pair), Fraction(0))
        if len(parts) != 1:  # which of the two is the part is not said
            return Computation(
                rule=self.name, title=title, value=None, missing=["value"], formula="占比 = 部分 ÷ 两类合计 × 100%",
                result=f"问题问的是占{'、'.join(i.name for i in pair)}合计{fmt(whole)}公顷的比例，但没有说是哪一类占，不给出数字",
                citation_ids=[ctx.params.get(STRUCTURE).unit_id], warnings=warnings, unbound=["占比的部分"],
                understood=_said(plan, asked, said_as),
            )
        part = parts[0]
        share = part.hectares / whole * 100
        return Computation(
            rule=self.name, title=title, value=decimal_value(share, 4),
            result=f"{part.name}{fmt(part.hectares)}公顷占{'、'.join(i.name for i in pair)}合计{fmt(whole)}公顷的{fmt(share, 2)}%",
            formula=f"{fmt(part.hectares)} ÷ ({' + '.join(fmt(i.hectares) for i in pair)}) × 100% = {fmt(share, 4)}%",
            inputs={"用地类型": asked}, citation_ids=[ctx.params.get(STRUCTURE).unit_id], warnings=warnings,
            understood=_said(plan, asked, said_as), details={"share_percent": str(decimal_value(share, 6)), "items": asked},
        )

    def _not_broken_down(self, q: Question, ctx: RuleContext, plan: SupplyPlan, subsets: list[str], asked: list[str],
                         said_as: dict[str, str], warnings: list[str]) -> Computation:
        """'住宅用地里保障性住房用地多少': the structure paragraph gives no such subset, so no figure answers it."""
        items = [i for i in plan.items if i.name in asked]
        context = "；".join(f"{i.name}{fmt(i.hectares)}公顷（原文占比{i.printed_share_text}%）" for i in items)
        result = (f"巴楚县2025年度供应计划没有单独列出{'、'.join(f'“{x}”' for x in subsets)}的面积；三、（二）只按用地类型列出"
                  + (f"{context}，其中{'、'.join(subsets)}是多少未单列，不能用整类的数字代替" if items else "七类用地的面积和占比，没有这一项") + "。")
        return Computation(
            rule=self.name, title="巴楚县2025年度国有建设用地供应结构（供应计划 三、（一）（二））", result=result, value=None,
            formula="供应结构只列到用地类型（三、（二））", inputs={"用地类型": asked or "未列出"},
            citation_ids=[ctx.params.get(STRUCTURE).unit_id], warnings=warnings,
            understood=[Understood(words=said_as[i.name], value=i.name, category=f"{fmt(i.hectares)}公顷（整类）", basis="供应计划三、（二）") for i in items],
            unbound=[f"“{x}”：供应计划未单列" for x in subsets], details={"not_stated": subsets}, missing=["value"],
        )

    def _per_period(self, q: Question, ctx: RuleContext, plan: SupplyPlan, asked: list[str], said_as: dict[str, str], per: str,
                    warnings: list[str]) -> Computation:
        """'平均每个月供多少公顷': the year's figure over the months (quarters) of the plan year."""
        n = PER_PERIOD[per]
        chosen = [i for i in plan.items if i.name in asked]
        ha = sum((i.hectares for i in chosen), Fraction(0)) if chosen else plan.total_ha
        label = "、".join(i.name for i in chosen) if chosen else "供应总量"
        each = ha / n
        word = "月" if n == 12 else "季度"
        result = f"巴楚县2025年度{label}{fmt(ha)}公顷，按{n}个{word}平均每{word}{fmt(each, 4)}公顷（{fmt(each * MU_PER_HA, 4)}亩）"
        return Computation(
            rule=self.name, title="巴楚县2025年度国有建设用地供应结构（供应计划 三、（一）（二））", result=result, value=decimal_value(each),
            formula=f"{fmt(ha)} ÷ {n} = {fmt(each, 4)}公顷；1公顷 = 15亩（计划期2025年1月1日至12月31日，共{n}个{word}）",
            inputs={"用地类型": asked or "全部", "平均到": per}, citation_ids=[ctx.params.get(STRUCTURE).unit_id, ctx.params.get(TOTAL).unit_id],
            warnings=[*warnings, f"计划只给出全年数字，没有分{word}安排；平均数只是全年数字除以{n}，不是计划规定的{word}度供应量。"],
            understood=[Understood(words="、".join(said_as.get(i.name, i.name) for i in chosen) or "供地", value=f"{fmt(ha)}公顷", category=label,
                                   basis="供应计划三、（一）（二）"),
                        Understood(words=per, value=f"{n}个{word}", category="2025年度计划期")],
            details={"per": per, "periods": n, "hectares_each": str(decimal_value(each))},
        )

    def _points(self, q: Question, ctx: RuleContext, plan: SupplyPlan, pair: list[str], said_as: dict[str, str], warnings: list[str]) -> Computation:
        """'住宅和商服的比重相差几个点': the printed shares subtracted (and the shares computed from the areas beside them)."""
        a, b = (next(i for i in plan.items if i.name == n) for n in pair)
        printed = a.printed_share - b.printed_share
        exact = (a.hectares - b.hectares) / plan.total_ha * 100
        result = (f"{a.name}占比{a.printed_share_text}%，{b.name}占比{b.printed_share_text}%，相差{fmt(abs(printed))}个百分点"
                  f"（按面积计算：{fmt(a.hectares)}公顷与{fmt(b.hectares)}公顷之差占总量{fmt(plan.total_ha)}公顷的{fmt(abs(exact), 2)}%）")
        return Computation(
            rule=self.name, title="巴楚县2025年度国有建设用地供应结构（供应计划 三、（一）（二））", result=result, value=decimal_value(abs(printed)),
            formula=f"{a.printed_share_text}% − {b.printed_share_text}% = {fmt(printed)}个百分点（原文占比相减）",
            inputs={"用地类型": pair}, citation_ids=[ctx.params.get(STRUCTURE).unit_id], warnings=warnings,
            understood=[Understood(words=said_as.get(i.name, i.name), value=f"{i.printed_share_text}%", category=f"{i.name}原文占比",
                                   basis="供应计划三、（二）")
                        for i in (a, b)],
            details={"points": str(printed), "points_from_areas": str(decimal_value(exact, 6))},
        )

    def _share_of_other_plan(self, q: Question, ctx: RuleContext, plan: SupplyPlan, asked: list[str], said_as: dict[str, str],
                             other: OtherPlanSide, warnings: list[str]) -> Computation:
        """'巴楚的供地总量是喀什十四五供地总量的百分之几' (a Bachu figure over a figure another plan
        states), or the other way round ('喀什…预计供应建设用地是巴楚2025年供地总量的几倍')."""
        words, found, whole = other.words, other.found, other.amount
        chosen = [i for i in plan.items if i.name in asked]
        if found is None or whole is None:
            # the other side is named but no other plan states it: no ratio, and no Bachu figure in its place
            return Computation(
                rule=self.name, title="巴楚县2025年度国有建设用地供应结构（供应计划 三、（一）（二））", value=None, missing=["value"],
                result=f"问题问的是与“{words}”的比例，但没有找到其他文件写明“{words}”的面积，不能计算。",
                formula="占比 = 部分 ÷ 整体 × 100%", inputs={"整体": words}, citation_ids=[ctx.params.get(STRUCTURE).unit_id],
                warnings=warnings, unbound=[f"“{words}”：未找到写明该面积的原文"],
            )
        part = sum((i.hectares for i in chosen), Fraction(0)) if chosen else plan.total_ha
        label = "、".join(i.name for i in chosen) if chosen else "供应总量"
        form = next((f for f in whole.forms if f.family == "area" and f.unit.endswith("公顷")), whole.forms[0])
        whole_ha = form.base / MU_PER_HA
        share = part / whole_ha if other.is_whole else whole_ha / part
        tenths, times = "几成" in q.norm, bool(re.search("几倍|多少倍", q.norm))
        shown = (f"{fmt(share, 4)}倍" if times else f"{fmt(share * 10, 3)}成（{fmt(share * 100, 4)}%）" if tenths else f"{fmt(share * 100, 4)}%")
        doc = ctx.document(found.doc_id)
        ours, theirs = f"巴楚县2025年度{label}{fmt(part)}公顷", f"{doc.short_name or doc.title}“{whole.label}{form.raw}”（{fmt(whole_ha)}公顷）"
        result = f"{ours} ÷ {theirs} = {shown}" if other.is_whole else f"{theirs} ÷ {ours} = {shown}"
        warnings = [*warnings, f"口径不同：巴楚县为2025年一年的供应计划量，{doc.short_name or doc.title}的数字是“{whole.label}”所说的范围"
                               f"（原文：“{found.sentence.strip()}”）。"]
        return Computation(
            rule=self.name, title="巴楚县2025年度国有建设用地供应结构（供应计划 三、（一）（二））", result=result,
            value=decimal_value(share if times else share * 10 if tenths else share * 100, 6),
            formula=(f"{fmt(part)} ÷ {fmt(whole_ha)}" if other.is_whole else f"{fmt(whole_ha)} ÷ {fmt(part)}") + f" = {fmt(share, 6)}"
            + ("" if times else f"，即{fmt(share * 100, 4)}%") + "（1万公顷 = 10000公顷）",
            inputs={"部分": label, "整体": f"{whole.label}{form.raw}"},
            citation_ids=[ctx.params.get(STRUCTURE).unit_id, ctx.params.get(TOTAL).unit_id, found.unit_id], warnings=warnings,
            understood=[Understood(words="、".join(said_as.get(i.name, i.name) for i in chosen) or "巴楚", value=f"{fmt(part)}公顷",
                                   category=f"巴楚县2025年度{label}", basis="供应计划三、（一）（二）"),
                        Understood(words=words, value=form.raw, category=f"原文“{whole.label}”", basis=doc.citation_title())],
            details={"share": str(decimal_value(share, 8)), "whole_hectares": str(whole_ha)},
        )


# averages over the plan year ('平均每个月'): the number of such periods in 2025
PER_PERIOD = {"每个月": 12, "每月": 12, "每个季度": 4, "每季度": 4}

# the whole of a share named in another plan ('是喀什十四五供地总量的百分之几'), or the part ('喀什…是巴楚…的几倍')
OTHER_PART = re.compile(r"(?P<part>[\u4e00-\u9fa5“”\d]{2,30}?)(?:是|相当于)(?P<whole>[\u4e00-\u9fa5“”\d]{2,30}?)的?"
                        r"(几倍|多少倍|百分之多少|百分之几|几成|多少%)")
OTHER_WHOLE = re.compile(r"(?:占|是|相当于)(?P<whole>[\u4e00-\u9fa5“”]{2,30}?)的?(百分之多少|百分之几|多大比例|比例|比重|百分比|几成|多少%)")
OTHER_PLACES = ("喀什", "新疆", "自治区", "全疆", "十四五")


@dataclass(frozen=True)
class OtherPlanSide:
    """The side of a ratio another plan states: its words, the sentence and amount (None when no sentence of another
    plan states it), whether it is the whole ('占喀什…的百分之几') or the part ('喀什…是巴楚…的几倍'), and the
    words naming the Bachu side."""

    words: str
    found: Found | None
    amount: Amount | None
    is_whole: bool
    bachu_words: str


def _other(words: str) -> bool:
    return "巴楚" not in words and any(p in words for p in OTHER_PLACES)


def other_plan_side(q: Question, ctx: RuleContext, own_doc: str) -> OtherPlanSide | None:
    """A ratio between a Bachu figure and a figure another plan states, either way round."""
    m = OTHER_WHOLE.search(q.norm)
    r = OTHER_PART.search(q.norm)
    if m and _other(m.group("whole")):
        words, is_whole, bachu_words = m.group("whole"), True, q.norm[: m.start()]
    elif r and _other(r.group("part")) and "巴楚" in r.group("whole"):
        words, is_whole, bachu_words = r.group("part"), False, r.group("whole")
    else:
        return None
    bound = bind_parts(ctx, [words], family="area", exclude=(own_doc,), least=4, distinct=2)
    if bound is None:
        return OtherPlanSide(words, None, None, is_whole, bachu_words)
    found, (amount,) = bound
    return OtherPlanSide(words, found, amount, is_whole, bachu_words)


# a land use the structure paragraph does not list ('保障性住房用地'), or a part named inside a listed one
# ('住宅用地里的保障性住房', '工矿仓储用地中工业用地')
_USE = re.compile(r"([\u4e00-\u9fa5]{1,8}?)用地")
_INSIDE = re.compile(r"(里|中|其中|当中|里面|内)的?([\u4e00-\u9fa5]{2,10}?)(用地|有|是|占|供|面积|多少|几|大概)")
_HOUSING = re.compile(r"[\u4e00-\u9fa5]{0,4}(住房|商品房|安置房|公租房|廉租房|厂房)")
# question words and the unit of a figure before it ('383.73公顷国有建设用地') lead no name
_USE_LEAD = re.compile(r"^.*(年度|年|县|里|中|的|和|与|及|、|其中|当中|计划|供应|供|多少|几|哪些|什么|公顷|万亩|亩|平方米|平方公里)")
_GENERIC_USES = ("国有建设", "建设", "各类", "各项", "其他", "其它", "其余", "这些", "哪类", "哪一类", "什么", "总", "供应", "计划", "供", "类")


# places inside the county: the plan gives its figures for the whole county only
_WHERE = re.compile(r"城区|县城|工业园区|园区|开发区|工业园|各乡镇|每个乡镇|街道|[\u4e00-\u9fa5]{2,5}(?:乡|镇)(?![村镇（(])")


# words asking of the whole county or region: a place inside it that the question names only in the story told
# around the asking ('我在…镇上班…今年全县…一共多少') is where the asker stands, not a part of the whole asked of
WHOLE_COUNTY = ("全县", "整个县", "县里一共", "县里总共", "县里合计", "县里加起来")
WHOLE_REGION = ("全地区", "整个地区", "全区", "全喀什", "整个喀什", "地区一共", "地区总共", "地区合计")
_CLAUSE_END = re.compile(r"[，,。？?！!；;]")
_CLAUSE_ASKS = re.compile(r"多少|几|哪|什么|啥|怎么|如何|吗|呢|么")


def told_only(text: str, place: str, scope_words: tuple[str, ...]) -> bool:
    """The question asks of the whole (a scope word) and names `place` only in clauses that neither ask nor hold the
    scope word: the story's place ('我在巴楚县三岔口镇上班') chooses nothing then. A message of one clause tells no story."""
    clauses = [c for c in _CLAUSE_END.split(text) if c]
    if len(clauses) < 2 or not any(w in text for w in scope_words):
        return False
    holding = [c for c in clauses if place in c]
    return bool(holding) and not any(_CLAUSE_ASKS.search(c) or any(w in c for w in scope_words) for c in holding)


def unbroken_subsets(text: str) -> list[str]:
    """Qualifiers the Bachu structure paragraph does not break down: a land use it does not list, a part named
    inside a listed one, housing kinds, places inside the county ('城区住宅用地')."""
    found: list[str] = [m.group(0) for m in _WHERE.finditer(re.sub("巴楚县?", "｜", text))]
    for m in _USE.finditer(text):
        word = re.sub(r"^巴楚县?", "", _USE_LEAD.sub("", m.group(1)) or m.group(1))  # the plan's own place is no land use
        if word and word not in _GENERIC_USES and not word.endswith("类") and not any(a in word + "用地" for a in BACHU_ALIASES):
            found.append(word + "用地")
    for m in _INSIDE.finditer(text):
        word = m.group(2)
        container = re.split(r"[？?。；;!！，,]", text[: m.start()])[-1]  # the same clause
        if m.group(3) != "用地" and not _HOUSING.search(word):
            continue  # '规划里巴楚有啥…' names a place, not a part of a land use
        named_inside = [a for a in BACHU_ALIASES if a in container]
        if word not in _GENERIC_USES and named_inside and not any(word in (a, a + "用地") for a in named_inside):
            found.append(word if word.endswith("用地") else word + ("用地" if m.group(3) == "用地" else ""))
    found += [_USE_LEAD.sub("", m.group(0)) for m in _HOUSING.finditer(text)]
    # one phrase once, its longest form ('保障性住房用地' over '保障性住房')
    return [w for w in dict.fromkeys(found) if not any(w != o and w in o for o in found)]


PERIOD_WORDS = ("计划期", "期限", "到期", "结束", "开始", "截止", "有效期", "期满", "年底")


class PlanPeriod(Hook):
    """A plan's period (a parameter stating its first and last day): its end and length in days, and where a day the
    question counts from stands in it."""

    name = ""
    PARAM = ""
    TITLE = ""
    KIND = "计划"  # how the document calls itself: 计划期限 / 规划期限

    def compute(self, q: Question, ctx: RuleContext) -> list[Computation]:
        param = ctx.params.get(self.PARAM)
        m = re.findall(r"(\d{4})年(\d{1,2})月(\d{1,2})日", param.text)
        start, end = (date(int(y), int(mo), int(d)) for y, mo, d in m)
        days = (end - start).days + 1
        warnings = doc_warnings(q, param.doc_id, ctx)
        ends = f"{end.year}年{end.month}月{end.day}日"
        said = f"{self.KIND}期限为{start.year}年{start.month}月{start.day}日至{ends}，{ends}到期，共{days}天（首尾两日都计入）"
        read = f"，{param.notes}" if param.notes and "理解" in param.notes else ""  # '2021-2025年' read as whole years, said
        quote = f"（{param.path}：“{param.quote}”{read}）"
        reference = self._reference(q, ctx, param.doc_id)
        if reference is None:
            if q.has("今年", "本年") and not start.year <= ctx.today.year <= end.year:
                span = f"{start.year}年" if start.year == end.year else f"{start.year}—{end.year}年"
                warnings.append(f"问题说“今年”，当前是{ctx.today.year}年，而该{self.KIND}只管{span}。")
            return [Computation(
                rule=self.name, title=self.TITLE, result=said + quote,
                value=days, formula=f"({end.isoformat()} − {start.isoformat()}) + 1 = {days}天",
                citation_ids=[param.unit_id], warnings=warnings, details={"start": start.isoformat(), "end": end.isoformat(), "days": days},
            )]
        day, understood, cited = reference
        since, left = (day - start).days, (end - day).days
        if day < start:
            where = f"{self.KIND}期尚未开始，距开始日{fmt_date(start)}还有{-since}天，距到期日还有{left}天"
        elif day > end:
            where = f"{self.KIND}期已于{fmt_date(end)}结束，已过{-left}天"
        else:
            where = (f"{self.KIND}期已开始{since}天（不算开始当日），距到期日{fmt_date(end)}还有{left}天"
                     f"（不算{fmt_date(day)}当天；连同当天和到期日在内还剩{left + 1}天）")
        left_words, since_words = ("到期", "期满", "剩", "还有", "结束", "截止", "还差"), ("过了", "开始", "已经", "过期", "超期", "超过")
        if day > end:  # the plan is over: the only count is how long ago it ended
            value: int | None = -left if q.has("过期", "超期", "超过", "过了", "已经", "结束") else None
        elif day < start:
            value = left if q.has(*left_words) and not q.has(*since_words[:3]) else None
        else:  # the one number carried is the first of the two the question asks; both are in the text and details
            value = left if q.has(*left_words) and _first(q.norm, left_words) < _first(q.norm, since_words) else since
        return [Computation(
            rule=self.name, title=self.TITLE, result=f"{said}；以{fmt_date(day)}计，{where}{quote}",
            value=value, formula=f"{end.isoformat()} − {day.isoformat()} = {left}天；{day.isoformat()} − {start.isoformat()} = {since}天",
            citation_ids=[param.unit_id, *cited], warnings=warnings, understood=[understood],
            details={"start": start.isoformat(), "end": end.isoformat(), "days": days, "as_of": day.isoformat(), "days_left": left,
                     "days_since_start": since, "ended": day > end},
        )]

    @staticmethod
    def _reference(q: Question, ctx: RuleContext, doc_id: str) -> tuple[date, Understood, list[str]] | None:
        """The day the question counts from: a date the plan itself states that it names ('落款那天离计划期结束'),
        the day it says things stand on ('今天是2025年9月1日', '截至…'), or today (the system date) when it asks
        what is left."""
        named = named_stated_dates(q.norm, stated_dates(ctx.params.params), [doc_id]) if ctx.corpus is not None else []
        if named:
            words, stated = named[0]
            understood = Understood(words=words, value=fmt_date(stated.day), category=f"文件所定日期（{stated.said}）",
                                    basis=f"{ctx.document(doc_id).citation_title()}{stated.param.path}：“{stated.param.quote}”")
            return stated.day, understood, [stated.param.unit_id]
        for e in q.facts.events_of("today", "as_of"):
            if e.date.value:
                return e.date.value, Understood(words=e.date.raw, value=fmt_date(e.date.value), category="问题所说的当日"), []
        if q.facts.says_today or q.has("还剩", "还有多少天", "还有几天", "剩几天", "剩多少天"):
            return ctx.today, Understood(words="今天" if q.facts.says_today else "", value=fmt_date(ctx.today), category="今天（系统日期）"), []
        return None


class BachuPeriod(PlanPeriod):
    """The Bachu supply plan's period (二、: 2025年1月1日至12月31日)."""

    name = "plan.bachu_period"
    PARAM = PERIOD
    TITLE = "巴楚县2025年度国有建设用地供应计划的计划期限（供应计划 二、）"

    def applies(self, q: Question, ctx: RuleContext) -> bool:
        if not q.has("巴楚") or not q.has("供地计划", "供应计划", "计划"):
            return False
        if not q.has("计划期", "期限", "到期", "多少天", "几天", "截止", "管多长", "多长时间", "有效期"):
            return False
        # a date of the plan ('落款') against a day the question gives is a count between those two days
        # (date_arithmetic), unless the question speaks of the period itself
        named = named_stated_dates(q.norm, stated_dates(ctx.params.params), [doc_of(ctx, self.PARAM)]) if ctx.corpus is not None else []
        return not (named and any(d.value for d in q.dates)) or q.has(*PERIOD_WORDS)


class KashgarPeriod(PlanPeriod):
    """The Kashgar plan's period ('规划期限为2021-2025年', read as 2021年1月1日至2025年12月31日)."""

    name = "plan.kashgar_period"
    PARAM = "kashgar.period"
    TITLE = "喀什地区自然资源“十四五”规划的规划期限"
    KIND = "规划"

    def applies(self, q: Question, ctx: RuleContext) -> bool:
        if ctx.corpus is None or not q.has("喀什") or not q.has("规划", "十四五") or q.has("巴楚"):
            return False
        # the period itself asked, by its own words: '多少天' alone is too often another time limit of the plan
        if not q.has("规划期", "期限", "到期", "期满", "有效期") or not q.has("多少天", "几天", "哪天", "什么时候", "多久", "剩", "过了", "还有"):
            return False
        # a date the plan states for one task ('…编制完成期限') is that date's count, not the period's
        return not named_stated_dates(q.norm, stated_dates(ctx.params.params), [doc_of(ctx, self.PARAM)])


def _first(text: str, words: tuple[str, ...]) -> int:
    found = [text.find(w) for w in words if w in text]
    return min(found) if found else len(text)


# ------------------------------------------------------------------ 喀什地区自然资源“十四五”项目清单（附件1）

AMOUNT = "总金额（万元）"
GROUP_ALIASES = {
    "规划编制": "规划编制类", "信息化": "信息化类", "生态修复": "生态修复类", "土地综合整治": "土地综合整治类",
    "综合整治": "土地综合整治类", "土地整治": "土地综合整治类", "治理能力": "治理能力类", "整治类": "土地综合整治类",
}
def _amount_text(amount: Decimal | None) -> str:
    return f"{fmt(amount)}万元" if amount is not None else "未列金额"


def amount_of(cells: dict[str, str]) -> Decimal | None:
    text = cells.get(AMOUNT, "").strip()
    if not text:
        return None
    try:
        return Decimal(text)
    except ArithmeticError:
        return None


MONEY_WORDS = ("金额", "投资", "投多少", "资金", "多少钱", "钱", "万元", "亿元", "合计", "总计", "总额", "占比", "比例", "比重", "最大", "最多", "最少", "最小")
# "多少万" asks for money only when no other unit follows it ("多少万亩" asks for an area).
MONEY_WAN = re.compile(r"多少万(?!亩|公顷|平方|吨|人|户|千米|公里|个)")
# words that ask for money even beside a measure ('长度合计多少' asks a length; '投资合计多少' money)
MONEY_EXPLICIT = ("金额", "投资", "投多少", "资金", "多少钱", "钱", "万元", "亿元", "总额")
# a total asked in no unit ('这两个工程一共多少'): the list's one figure of every row, its amount; a count, an area or a
# length is asked by its unit (个, 亩, 公里 …)
TOTAL_UNNAMED = re.compile(r"(?:一共|总共|加起来|加在一起|共计|总计)(?:是|有|要|需要|投了?|花了?)?多少(?![个项处座眼条所段亩顷平千公里米人户家年天块万])")
# the rows of the list counted ('一共几个项目', '项目总共多少个', '项目加起来有几个', '项目数', '有多少项', '比B多几个'): words
# between 项目 and the count only say how (总共, 加起来, 有); a noun after the count is a count of that noun, a figure
# of the rows' cells ('多少个编制单元': asked_figures), not of the rows; '哪几个项目' asks which
_COUNT_END = r"(?=$|[^\u4e00-\u9fa5]|[呢吗啊呀吧哦啦])"
COUNT_PATTERN = re.compile(
    r"(?:多少|(?<!哪)几)[个项]?(?:项目|工程)|多少项|(?<!哪)几项"
    r"|(?:项目|工程)[都总一共合计加起来在一起有是的了还到底中里面]{0,6}(?:多少|几)个" + _COUNT_END
    + r"|(?:项目|工程)(?:个)?数(?![据字])|(?:多|少)(?:多少|几)个" + _COUNT_END
)


def money_asked(q: Question) -> bool:
    """The question names money ('投资', '金额', '多少钱', '多少万'): the amount column is asked, even beside a count."""
    return q.has(*MONEY_EXPLICIT) or bool(MONEY_WAN.search(q.norm))


def count_asked(q: Question) -> bool:
    """The question asks how many rows ('一共几个项目'), whatever else it asks: the count is a value of its own, never
    the amount column's sum."""
    return bool(COUNT_PATTERN.search(q.norm))


def _first_spot(q: Question, words: tuple[str, ...], pattern: re.Pattern[str]) -> int:
    spots = [q.norm.find(w) for w in words if w in q.norm] + [m.start() for m in [pattern.search(q.norm)] if m]
    return min(spots) if spots else len(q.norm)

_PROJECT_HEAD = re.compile(r"([\u4e00-\u9fa5]{2,12})(?:的)?(?:项目|工程)")
_HEAD_CUT = re.compile(r".*(的|里|中|那个|那几个|这个|这几个|几个|个|和|与|及|、|跟|有关|清单|附件)")
# words before 项目 that choose no family: quantifiers and pointing words
_NOT_A_FAMILY = ("所有", "全部", "各县", "各个", "每个", "这些", "那些", "哪些", "单个", "其他", "其它", "什么", "哪个", "哪类", "哪一类", "哪一个", "相关",
                 "重点", "主要", "具体", "列的", "里面", "一共", "各类", "本级")


def unmatched_project_words(clause: str, blob: str) -> list[str]:
    """Words right before 项目/工程 that the list prints nowhere, not even two characters of them together
    ('村级规划项目' -> ['村级'], '光伏项目' -> ['光伏']): a family the list does not have."""
    out: list[str] = []
    for m in _PROJECT_HEAD.finditer(_for_names(clause)):
        for piece in _residual(_HEAD_CUT.sub("", m.group(1))).split("｜"):
            piece = piece.strip()
            if len(piece) < 2 or piece in _NOT_A_FAMILY or re.fullmatch(r"[一二三四五六七八九十两几多\d]+", piece):
                continue
            if not any(piece[i: i + 2] in blob for i in range(len(piece) - 1)):
                out.append(piece)
    return list(dict.fromkeys(out))


_COUNTED = re.compile(r"([一二两三四五六七八九十\d]+)(个|项|段)")


def stated_project_count(clause: str) -> tuple[int, str] | None:
    """'英吉沙县5个废弃砂石矿治理项目' -> (5, '5个废弃砂石矿治理项目'): how many projects the question says it means
    (a count of counties, towns or villages is not a count of projects)."""
    clause = without_references(clause)  # '附件1项目清单', '第3项' are references, not counts
    for m in _COUNTED.finditer(clause):
        tail = clause[m.end(): m.end() + 14]
        if clause[: m.start()].endswith("第") or (m.group(2) == "项" and tail.startswith("目")):
            continue  # '第3个' is an ordinal; '2项目' is not two of anything
        names_project = m.group(2) in ("项", "段") or re.match(r"[^，,。？?县市乡镇村]{0,12}?(项目|工程)", tail)
        n = parse_number(m.group(1))
        if names_project and n is not None and n.denominator == 1:
            end = re.match(r"[^，,。？?]{0,12}?(项目|工程)", tail)
            return int(n), m.group(0) + (tail[: end.end()] if end else "")
    return None


_ASKS = re.compile("|".join(re.escape(w) for w in (*MONEY_WORDS, "多少", "几", "多长", "多大", "面积", "长度", "平均")))


# the asker's own place, not named ("我县", "本市", "咱们县")
OWN_PLACE = re.compile(r"(?:我们|咱们|我|本|咱)(?:县|市|区|乡|镇)(?![级域])")


def _places_outside_the_list(q: Question, ctx: RuleContext, table: str = PROJECTS) -> list[str]:
    """Places the question names below the region that the table's plan is not for ("阿克陶", "和田"): the region's own
    names and the plan's places are inside."""
    doc = ctx.texts.document(doc_of(ctx, table))
    inside = {*doc.places, *(generic for region in places().regions.values() for generic in region.generic), *region_names()}
    return [name for names in region_names().values() for name in names if name in q.norm and not any(name in p or p in name for p in inside)]


def asking_clause(q: Question) -> str:
    """The sentence of a message that asks about projects ('基准地价谁制定？国有建设用地基准地价评估项目投多少':
    the second); the whole message when one sentence, or several, ask."""
    sentences = [x for x in re.split(r"[？?。；;!！]", q.norm) if x.strip()]
    asking = [x for x in sentences if _ASKS.search(x) and re.search("项目|工程|附件|清单|段", x)]
    return asking[0] if len(sentences) > 1 and len(asking) == 1 else q.norm


def _reference_to(q: Question, row: TableRow) -> str:
    """The question's words naming the row by its number ('第27项', '序号27')."""
    number = row.cells.get("序号", "")
    said = [m.group(0) for m in PART_REFERENCE.finditer(q.norm)
            if m.group(0).startswith(("第", "序号")) and str(parse_number(re.sub(r"[^\d零〇一二两三四五六七八九十百千]", "", m.group(0)))) == number]
    return said[0] if said else f"序号{number}"


def _led_by(chosen_by: list[Understood], comps: list[Computation]) -> list[Computation]:
    """Each computation's inputs as understood, after how its rows were chosen."""
    for c in comps:
        c.understood = [*chosen_by, *[u for u in c.understood if u not in chosen_by]]
    return comps


_OUTSIDE: dict[str, tuple[Corpus, str]] = {}


def _text_outside(ctx: RuleContext, doc_id: str) -> str:
    """Every unit text of the other documents, once per corpus object (words only the list's plan uses are distinctive)."""
    corpus = ctx.texts
    cached = _OUTSIDE.get(doc_id)
    if cached is None or cached[0] is not corpus:
        _OUTSIDE[doc_id] = cached = (corpus, "\n".join(u.text for u in corpus.units if u.doc_id != doc_id))
    return cached[1]


@lru_cache(maxsize=4)
def _parts_printed(text: str) -> set[tuple[str, int]]:
    """The parts of a plan a text names anywhere (read once per text: the other documents' text is one cached string)."""
    return parts_named(text)


_PLAN_TEXT: dict[str, tuple[Corpus, str]] = {}


def _plan_text(ctx: RuleContext, doc_id: str) -> str:
    """The document's text outside its tables, once per corpus object."""
    corpus = ctx.texts
    cached = _PLAN_TEXT.get(doc_id)
    if cached is None or cached[0] is not corpus:
        text = "\n".join(u.text for u in corpus.units if u.doc_id == doc_id and u.kind not in ("table", "table_header", "table_row"))
        _PLAN_TEXT[doc_id] = cached = (corpus, text)
    return cached[1]


class KashgarProjects(Hook):
    name = "plan.kashgar_projects"

    def applies(self, q: Question, ctx: RuleContext) -> bool:
        if ctx.corpus is None:
            return False
        counties = [c for c in kashgar_counties() if county_short(c) in q.norm]
        compares = len(counties) == 2 and asks_difference(q)
        if not (q.has(*MONEY_WORDS) or MONEY_WAN.search(q.norm) or COUNT_PATTERN.search(q.norm) or asked_figure(q) or compares
                or per_unit_asked(q) or TOTAL_UNNAMED.search(q.norm)):
            return False
        try:
            rows = ctx.corpus.table(ctx.params.get(PROJECTS).unit_id).rows
        except (StopIteration, KeyError):
            return False
        named = project_keywords(q.norm, [r.cells.get("项目名称", "") + "｜" + r.cells.get("类别", "") for r in rows])
        if not q.has("项目", "工程", "附件", "清单") and not named:
            return False  # no project named: '两项' etc. only count when the names are there
        if (not q.has("项目", "工程", "附件", "清单") and TextArithmetic.operation(q) is not None
                and all(k in _plan_text(ctx, doc_of(ctx, PROJECTS)) for k in named)):
            return False  # '增减挂钩跨省调剂平均每亩…': an operation over the plan's own text, not over a project of the list
        # a project family only the list's plan names ('环托克拉克沙漠边缘', '克孜河') places the question in it without 喀什 or a county
        elsewhere = _text_outside(ctx, doc_of(ctx, PROJECTS))
        distinctive = any(len(_residual(k)) >= 3 and k not in elsewhere for k in named)
        if not distinctive and not q.has(
            "喀什", "十四五", "附件1", "附件", "项目清单", *GROUP_ALIASES, *[county_short(c) for c in kashgar_counties()]
        ):
            return False
        return not outside_period(q, doc_of(ctx, PROJECTS), ctx)

    def compute(self, q: Question, ctx: RuleContext) -> list[Computation]:
        att1 = ctx.params.get(PROJECTS).unit_id
        table = ctx.texts.table(att1)
        rows = table.rows
        kashgar = doc_of(ctx, PROJECTS)
        warnings = doc_warnings(q, kashgar, ctx)
        named = [r.cells.get("项目名称", "") + "｜" + r.cells.get("类别", "") for r in rows]
        units = [r.cells.get("项目单位", "") for r in rows]
        # rows the question names by number ('附件1第27项…') are the rows asked about: its other words say what is asked
        # of them ('实际有几个编制单元'), they choose no rows
        explicit = [r for r in rows if r.unit_id in q.explicit_ids]
        # a county told only in the story of a question asking of the whole region ('我在莎车县上班…全地区一共') is no
        # filter, nor a family's own county when the names are read
        in_text = [] if explicit else [
            c for c in kashgar_counties() if county_short(c) in q.norm and not (c == "喀什市" and "喀什市" not in q.norm)]
        told = [c for c in in_text if told_only(q.norm, county_short(c), WHOLE_REGION)]
        counties = [c for c in in_text if c not in told]
        aliases = [] if explicit else [a for a in sorted(GROUP_ALIASES, key=len, reverse=True) if a in q.norm]
        # a 项目单位 the question names chooses rows by it; a county's bureau is already its county
        by_unit = [] if explicit else [u for u in units_named(q.norm, units) if county_of({"项目单位": u}) not in kashgar_counties()]
        clause = "" if explicit else without_units(asking_clause(q), units)
        for c in told:
            clause = re.sub(f"{re.escape(c)}|{re.escape(county_short(c))}", lambda m: "｜" * len(m.group(0)), clause)
        names = naming(clause, named)
        by_description = False
        if not names and not explicit:
            described = [r.cells.get("主要建设内容与规模", "") for r in rows]
            names = naming(clause, described)
            by_description = bool(names)
        names.without(aliases)
        keywords = names.words
        # '废弃耕地生态修复项目' names projects; its '生态修复' is not the 大类 生态修复类
        aliases = [a for a in aliases if not any(a in k for k in keywords)]
        groups = list(dict.fromkeys(GROUP_ALIASES[a] for a in aliases))

        def text_of(r: TableRow) -> str:
            return r.cells.get("主要建设内容与规模", "") if by_description else r.cells.get("项目名称", "") + "｜" + r.cells.get("类别", "")

        filtered = [r for r in rows if (not counties or county_of(r.cells) in counties) and (not groups or r.cells.get("大类") in groups)
                    and (not by_unit or r.cells.get("项目单位") in by_unit)]
        # every naming word of one named family (and one of the segments it enumerates): a row sharing only
        # a generic word ('防护林') with the question is another project, not part of the sum
        selected = explicit or [r for r in filtered if not names or names.matches(text_of(r), county_of(r.cells))]
        if names and not selected and not by_description:
            # words of two clauses naming no row together ('…防沙治沙工程，…经济型防护林屏障？两个加起来'): each clause
            # names a project of its own when every clause's words name some row
            apart = naming(clause, named, clause_cuts=True)
            apart.without(aliases)
            # a county said in one clause is that project's own ('英吉沙县防沙治沙工程？巴楚那个…'), not every side's
            own = bool(counties) and all(c in apart.places for c in counties)
            pool = [r for r in rows if (not groups or r.cells.get("大类") in groups) and (not by_unit or r.cells.get("项目单位") in by_unit)
                    ] if own else filtered
            if len(apart.groups) > len(names.groups) and all(
                    any(apart.group_matches(i, text_of(r), county_of(r.cells)) for r in pool) for i in range(len(apart.groups))):
                names, keywords, filtered = apart, apart.words, pool
                counties = [] if own else counties
                selected = [r for r in filtered if names.matches(text_of(r), county_of(r.cells))]
        near = [r for r in filtered if names and r not in selected and names.touches(text_of(r))]
        if names and not selected and near:
            return [self._uncertain(q, ctx, names, near, by_description, warnings, att1)]
        own_place = [] if explicit or counties else [p for p in OWN_PLACE.findall(q.norm) if not told_only(q.norm, p, WHOLE_REGION)]
        if own_place:
            # "我县村庄规划项目投资多少": the asker's own county is not named; the list's counties are not summed for it
            return [Computation(
                rule=self.name, title="喀什地区自然资源“十四五”项目清单统计（《喀什地区自然资源“十四五”规划》附件1）",
                result=f"问题说的“{own_place[0]}”没有写明是哪个县（市）；附件1按项目单位归属各县市列项目，请写明县（市）名，不给出合计。",
                value=None, formula="只合计所问县（市）的项目", inputs={"县市": own_place[0]}, citation_ids=[att1], warnings=warnings,
                unbound=[f"{own_place[0]}：没有写明是哪个县（市）"], missing=["county"], details={"unnamed": own_place},
            )]
        outside = [] if explicit else _places_outside_the_list(q, ctx)
        if outside and not counties:
            # "阿克陶县…的村庄规划编制项目": a county the list's plan does not cover has no rows in it
            return [self._unnamed(outside, scope_words="", warnings=warnings, att1=att1, what="项目单位属于")]
        unnamed = unmatched_project_words(clause, "\n".join(named + [r.cells.get("主要建设内容与规模", "") for r in rows]))
        if unnamed:
            return [self._unnamed(unnamed, scope_words=names.describe(), warnings=warnings, att1=att1)]
        said = stated_project_count(clause)
        if said is not None and selected and said[0] != len(selected):
            # '巴楚县的两个防护林项目' but three rows qualify: which two is not said
            return [self._uncertain(q, ctx, names, selected, by_description, warnings, att1, said=said)]
        grand = sum((a for a in (amount_of(r.cells) for r in rows) if a is not None), Decimal(0))
        by_group = q.has("各类", "按类", "分类", "每类", "各大类", "按大类")
        by = "county" if q.has("各县", "按县", "分县", "每个县", "各县市", "分县市") else "group" if by_group else None
        filters = [f"序号{'、'.join(r.cells.get('序号', '') for r in explicit)}"] if explicit else []
        if counties:
            filters.append("、".join(counties) + "（按项目单位归属）")
        if by_unit:
            filters.append("项目单位为" + "、".join(by_unit))
        by_name = [r for r in rows if (not counties or county_of(r.cells) in counties) and (not by_unit or r.cells.get("项目单位") in by_unit)
                   and names and names.matches(text_of(r), county_of(r.cells))]
        if groups and by_name != selected:  # a 大类 the naming words choose anyway says nothing more
            filters.append("、".join(groups))
        if names:
            filters.append(("建设内容含" if by_description else "名称或类别含") + names.describe([text_of(r) for r in selected]))
        scope = "，".join(filters) if filters else "全部"
        if near and selected:
            warnings.append(
                "只含部分所问名称的项目未计入：" + "；".join(f"序号{r.cells.get('序号')}“{r.cells.get('项目名称')}”" for r in near[:8])
                + (f"等{len(near)}个" if len(near) > 8 else "") + "。"
            )
        # how the rows were chosen, read before any number: counties, 大类, naming words, segments
        chosen_by = [Understood(words=_reference_to(q, r), value=f"序号{r.cells.get('序号')}“{r.cells.get('项目名称')}”", category="问题点名的项目")
                     for r in explicit]
        chosen_by += [Understood(words=county_short(c), value=c, category="县市（按项目单位归属）") for c in counties]
        chosen_by += [Understood(words=u, value=u, category="项目单位") for u in by_unit]
        chosen_by += [Understood(words=a, value=GROUP_ALIASES[a], category="附件1大类") for a in aliases]
        chosen_by += [Understood(words=k, category="建设内容含此词" if by_description else "项目名称或类别含此词") for k in keywords]
        chosen_by += [Understood(words=seg, category="所列的段（其中之一）") for seg in names.segments]
        extreme = extreme_asked(clause or q.norm)
        if extreme is not None and selected:
            return _led_by(chosen_by, [self._extreme(q, extreme, selected, scope, warnings, att1)])
        per = per_unit_asked(q)
        sides = self._sides(q, names, counties, text_of)
        if per and selected and len(sides) == 2 and (asks_difference(q) or q.has("各", "分别")):
            return _led_by(chosen_by, self._per_unit_sides(q, sides, selected, scope, per, warnings, att1))
        if per and selected:
            return _led_by(chosen_by, [self._per_unit(q, selected, scope, per, warnings, att1)])
        figures = asked_figures(q)
        sides_are_counties = len(names.segments) != 2 and len(counties) == 2
        if figures and asks_difference(q) and selected:
            # 'A段比B段长多少': each side's measure, subtracted; never the two added; money asked as well ('投资差多少')
            # is the same two sides' amounts subtracted
            found = [self._figure_difference(q, selected, sides, f, list(warnings), att1) for f in figures]
            if len(sides) == 2 and money_asked(q):
                found.append(self._side_difference(q, sides, selected, list(warnings), att1, by_county=sides_are_counties))
            return _led_by(chosen_by, found)
        # each measure asked gets its own sum ('长度和面积各是多少'); a measure the list does not state is left to retrieval
        measured = [c for c in ([self._figures(q, ctx, selected, scope, f, list(warnings), att1) for f in figures] if selected else []) if c]
        if figures and not money_asked(q):
            return _led_by(chosen_by, measured)
        if asks_difference(q) and not by:
            if len(sides) != 2:
                return [Computation(
                    rule=self.name, title="喀什地区自然资源“十四五”项目清单统计（《喀什地区自然资源“十四五”规划》附件1）", value=None,
                    result=f"问题问的是差多少，但没有写明比较的两方（两个县、两段或两类项目），不给出数字；附件1中{scope}的项目见下", missing=["value"],
                    formula="差 = 甲方 − 乙方", citation_ids=[att1], warnings=warnings, unbound=["比较的两方"],
                )]
            return _led_by(chosen_by, [self._side_difference(q, sides, selected, warnings, att1, by_county=sides_are_counties)])
        total, missing_rows = self._sum(selected)
        with_amount = len(selected) - len(missing_rows)
        details: dict[str, object] = {"count": len(selected), "with_amount": with_amount, "sum_wan_yuan": str(total), "grand_total_wan_yuan": str(grand)}
        value = decimal_value(total)
        if q.has("最大", "最多", "最高", "最小", "最少", "最低") and not q.has("哪类", "哪个县", "哪一类"):
            priced = [(r, a) for r in selected if (a := amount_of(r.cells)) is not None]
            largest = q.has("最大", "最多", "最高")
            if priced:
                pick, amount = (max if largest else min)(priced, key=lambda ra: ra[1])
                result = (
                    f"附件1项目清单中{scope}列明金额的项目里，{'最大' if largest else '最小'}的是"
                    f"序号{pick.cells.get('序号')}“{pick.cells.get('项目名称')}”（{pick.cells.get('项目单位')}），{fmt(amount)}万元"
                )
                value = decimal_value(amount)
                details["pick"] = pick.unit_id
            else:
                result, value = f"附件1项目清单中{scope}的项目都没有列明金额", None
        else:
            result = f"附件1项目清单中{scope}项目共{len(selected)}个，其中{with_amount}个列明总金额，合计{fmt(total)}万元"
            if q.has("亿元", "多少亿"):
                result += f"（{fmt(total / 10000, 6)}亿元）"
            if selected and not with_amount:
                result, value = f"附件1项目清单中{scope}项目共{len(selected)}个，均未列总金额，无法合计", None
            elif filters and grand:
                result += f"，占附件1列明金额合计{fmt(grand)}万元的{fmt(Fraction(total) / Fraction(grand) * 100, 2)}%"
            if missing_rows and with_amount:
                result += f"；另有{len(missing_rows)}个项目未列金额（序号{'、'.join(r.cells.get('序号', '') for r in missing_rows)}），合计不含这些项目"
            if 0 < len(selected) <= 8:
                result += "。明细：" + "；".join(
                    f"序号{r.cells.get('序号')}“{r.cells.get('项目名称')}”{_amount_text(amount_of(r.cells))}"
                    + (f"（资金来源：{r.cells.get('资金来源')}）" if r.cells.get("资金来源") else "")
                    for r in selected
                )
        if by:
            key = county_of if by == "county" else (lambda cells: cells.get("大类", ""))
            buckets: dict[str, list] = {}
            for r in selected:
                buckets.setdefault(key(r.cells), []).append(r)
            lines = []
            for name, rs in sorted(buckets.items(), key=lambda kv: -self._sum(kv[1])[0]):
                s_, miss = self._sum(rs)
                lines.append(f"{name}：{len(rs)}个，{fmt(s_)}万元" + (f"（{len(miss)}个未列金额）" if miss else ""))
            result += "。分" + ("县市" if by == "county" else "大类") + "：" + "；".join(lines)
            details["groups"] = {name: str(self._sum(rs)[0]) for name, rs in buckets.items()}
        if not selected:
            result = f"附件1项目清单中没有符合条件（{scope}）的项目"
            value = None
        # the amount asked is not stated (blank cells, no such project): marked so the engine treats it as not stated
        not_stated = value is None and not count_asked(q)
        if not_stated:
            details["not_stated"] = "amount"
        if counties or by == "county":
            warnings.append("县市归属按“项目单位”确定；项目单位为十二县市、十县市或各县市的项目未分县，不计入单个县。")
            for r in selected:
                named_c = named_county(r.cells.get("项目名称", ""))
                if named_c and named_c != county_of(r.cells) and not (named_c == "喀什地区" and county_of(r.cells).startswith("喀什地区")):
                    warnings.append(f"序号{r.cells.get('序号')}“{r.cells.get('项目名称')}”的项目名称指向{named_c}，项目单位却是{r.cells.get('项目单位')}。")
        if count_asked(q) or q.has("多少个", "几个", "序号"):
            numbering = [f.message for f in check_table_numbering(ctx.texts) if f.doc_id == kashgar and not f.consistent]
            if numbering:
                warnings.append("按实际行数计数；原文序号有误：" + "；".join(numbering) + "。")
        chosen_ids = {r.unit_id for r in selected}
        for f in check_amounts(ctx.texts):
            if not f.consistent and chosen_ids.intersection(f.unit_ids):
                warnings.append(f"原文数字不一致：{f.message}（合计按“总金额”栏计算）。")
        if TOTAL_UNNAMED.search(q.norm) and not money_asked(q):
            warnings.append("问题没有说合计的是什么，按附件1每个项目都列的“总金额（万元）”合计；问面积、长度或个数请写明单位。")
        # the rows the answer rests on lead (a short answer shows the first few citations), the table follows
        picked = [details["pick"]] if "pick" in details else [r.unit_id for r in selected] if len(selected) <= 20 else []
        citation = [*picked, att1]
        understood = chosen_by
        grouping = {"分组": "县市" if by == "county" else "大类"} if by else {}
        summed = Computation(
            rule=self.name, title="喀什地区自然资源“十四五”项目清单统计（《喀什地区自然资源“十四五”规划》附件1）", understood=understood,
            result=result, value=value, formula="合计 = 所选项目“总金额（万元）”之和；未列金额的项目不计入；占比 = 所选合计 ÷ 全部列明金额合计 × 100%",
            inputs={"筛选": scope, **grouping}, citation_ids=citation, warnings=warnings, details=details, missing=["value"] if not_stated else [],
        )
        if not count_asked(q) or "pick" in details:
            return [summed, *_led_by(chosen_by, measured)]  # '投资和长度': the money, then each measure
        # '一共几个项目': the number of rows is the value; the amount is said beside it, or is a computation of its own
        # when money is asked as well ('有几个项目，投资多少'), each in the order the question asks them
        counted = self._count(selected, scope, by, with_amount, total, understood, citation, list(warnings), inputs={"筛选": scope, **grouping},
                                with_money=not money_asked(q))
        if not money_asked(q):
            return [counted, *_led_by(chosen_by, measured)]
        money_first = _first_spot(q, MONEY_EXPLICIT, MONEY_WAN) < _first_spot(q, (), COUNT_PATTERN)
        return [*([summed, counted] if money_first else [counted, summed]), *_led_by(chosen_by, measured)]

    def _count(self, selected: list, scope: str, by: str | None, with_amount: int, total: Decimal, understood: list[Understood],
               citation: list[str], warnings: list[str], inputs: dict[str, str], with_money: bool) -> Computation:
        """'X县附件1里一共几个项目': how many rows were chosen, by county or 大类 when asked; the amount they list is
        said after the count (when money is not a computation of its own), never given as the value."""
        if not selected:
            result = f"附件1项目清单中没有符合条件（{scope}）的项目"
        else:
            result = f"附件1项目清单中{scope}项目共{len(selected)}个"
            if with_money:
                result += (f"（其中{with_amount}个列明总金额，合计{fmt(total)}万元）" if with_amount else "（均未列总金额）")
        if by and selected:
            key = county_of if by == "county" else (lambda cells: cells.get("大类", ""))
            buckets: dict[str, list] = {}
            for r in selected:
                buckets.setdefault(key(r.cells), []).append(r)
            result += "。分" + ("县市" if by == "county" else "大类") + "：" + "；".join(
                f"{name}：{len(rs)}个" for name, rs in sorted(buckets.items(), key=lambda kv: -len(kv[1])))
        if 0 < len(selected) <= 8 and with_money:  # beside the money's own computation, its list of rows is enough
            result += "。明细：" + "；".join(f"序号{r.cells.get('序号')}“{r.cells.get('项目名称')}”" for r in selected)
        return Computation(
            rule=self.name, title="喀什地区自然资源“十四五”项目清单统计（《喀什地区自然资源“十四五”规划》附件1）", understood=understood,
            result=result, value=decimal_value(len(selected)) if selected else None,
            formula="个数 = 所选项目的行数（按附件1实际行数计数，不按序号）", inputs=inputs, citation_ids=citation, warnings=warnings,
            details={"count": len(selected), "measure": "count"},
        )

    def _extreme(self, q: Question, extreme: Extreme, selected: list, scope: str, warnings: list[str], att1: str) -> Computation:
        """'…项目哪个县最多': the selected rows counted by county (by 项目单位) or 大类 — their amounts summed when money
        is asked — and the largest (or smallest) named with every group's figure; ties are all named."""
        title = "喀什地区自然资源“十四五”项目清单统计（《喀什地区自然资源“十四五”规划》附件1）"
        by_county = extreme.by == "county"
        money = money_asked(q)
        buckets: dict[str, list] = {}
        for r in selected:
            buckets.setdefault(county_of(r.cells) if by_county else r.cells.get("大类", ""), []).append(r)
        # a project of several counties or of the prefecture belongs to no one county: listed, not ranked
        apart = {k: rs for k, rs in buckets.items() if by_county and k not in kashgar_counties()}
        ranked = {k: rs for k, rs in buckets.items() if k not in apart}
        # a group whose rows list no amount has no sum to rank (it is not 0万元)
        unpriced = [k for k, rs in ranked.items() if money and len(self._sum(rs)[1]) == len(rs)]
        measure = {k: Decimal(self._sum(rs)[0]) if money else Decimal(len(rs)) for k, rs in ranked.items() if k not in unpriced}
        unit = "万元" if money else "个"
        what = "县市（按项目单位归属）" if by_county else "大类"
        if not measure:
            return Computation(rule=self.name, title=title, value=None, missing=["value"], formula="按" + what + "分组比较",
                               result=f"附件1中{scope}的项目没有归属单个{what}的，不能比较", citation_ids=[att1], warnings=warnings)
        best = (max if extreme.largest else min)(measure.values())
        winners = [k for k, v in measure.items() if v == best]
        order = sorted(measure, key=lambda k: (-measure[k], k))
        lines = [f"{k}{fmt(measure[k])}{unit}" + (f"（序号{'、'.join(r.cells.get('序号', '') for r in ranked[k])}）" if len(ranked[k]) <= 8 else "")
                 for k in order]
        word = ("最多" if extreme.largest else "最少") if not money else ("最大" if extreme.largest else "最小")
        none = [c for c in kashgar_counties() if c not in buckets] if by_county and not extreme.largest and not money else []
        among = "有此类项目的县市中，" if none else ""  # the fewest among those with any: the counties with none are said
        result = (f"附件1项目清单中{scope}的项目按{what}{'合计金额' if money else '计数'}，{among}{'、'.join(winners)}{word}，{fmt(best)}{unit}"
                  + ("（并列）" if len(winners) > 1 else "") + "。各" + ("县市" if by_county else "大类") + "：" + "；".join(lines))
        if unpriced:
            result += "；未列金额、不参与比较的：" + "、".join(unpriced)
        if apart:
            result += "；未分到单个县市的：" + "；".join(f"{k}{len(rs)}个" for k, rs in apart.items())
        if none:
            result += f"；另有{'、'.join(none)}没有此类项目（0个）"
        if by_county:
            warnings.append("县市归属按“项目单位”确定；项目单位为十二县市、十县市或各县市的项目未分县，不计入单个县。")
        cited = [r.unit_id for k in winners for r in ranked[k]]
        return Computation(
            rule=self.name, title=title, result=result, value=best,
            formula=f"按{what}分组，{'各组“总金额（万元）”之和' if money else '各组项目个数'}，取{'最大' if extreme.largest else '最小'}",
            inputs={"筛选": scope, "分组": what}, citation_ids=[*cited[:20], att1], warnings=warnings,
            details={"groups": {k: str(v) for k, v in measure.items()}, "winners": winners, "measure": "amount" if money else "count"},
            understood=[Understood(words=q.norm[m.start():m.end()], value=what, category="分组比较") for m in [WHICH_GROUP.search(q.norm)] if m],
        )

    def _side_difference(self, q: Question, sides: list[Side], selected: list, warnings: list[str], att1: str,
                         by_county: bool) -> Computation:
        """'巴楚县比伽师县多投资多少', '防沙治沙比经济型防护林多投资多少': each side's total over the same filters, and
        the difference (of the amounts, or of the number of projects when the question counts them)."""
        title = "喀什地区自然资源“十四五”项目清单统计（《喀什地区自然资源“十四五”规划》附件1）"
        rows = {name: [r for r in selected if belongs(r)] for name, belongs in sides}
        empty = [name for name, rs in rows.items() if not rs]
        if empty:
            # a side without projects is not a side worth 0万元
            return Computation(
                rule=self.name, title=title, value=None, missing=["value"], formula="差 = 甲方 − 乙方",
                result=f"附件1中没有“{'、'.join(empty)}”这一方的项目（在所问的范围内），不能比较，不给出数字",
                citation_ids=[att1], warnings=warnings, unbound=[f"“{n}”：没有对应的项目" for n in empty],
            )
        sums = {name: self._sum(rs) for name, rs in rows.items()}
        (a, (sa, ma)), (b, (sb, mb)) = sums.items()
        how = "县市（按项目单位归属）" if by_county else "问题所指的项目"
        understood = [Understood(words=name, value=f"{len(rs)}个项目", category=how) for name, rs in rows.items()]
        if count_asked(q) and not money_asked(q):
            na, nb = len(rows[a]), len(rows[b])
            return Computation(
                rule=self.name, title=title,
                result=f"{a}{na}个项目，{b}{nb}个项目，{a}比{b}{'多' if na >= nb else '少'}{abs(na - nb)}个", value=decimal_value(abs(na - nb)),
                formula=f"{na} − {nb} = {na - nb}个" + ("（按项目单位归属计数）" if by_county else ""), citation_ids=[att1], warnings=warnings,
                details={"counts": {a: na, b: nb}}, understood=understood,
            )
        diff = sa - sb
        result = f"{a}{fmt(sa)}万元，{b}{fmt(sb)}万元，{a}比{b}{'多' if diff >= 0 else '少'}{fmt(abs(diff))}万元"
        if ma or mb:
            result += "（" + "；".join(f"{c}有{len(m)}个项目未列金额，不计入" for c, (_, m) in sums.items() if m) + "）"
        if by_county:
            warnings.append("县市归属按“项目单位”确定；项目单位为十二县市、十县市或各县市的项目未分县，不计入单个县。")
        cited = [r.unit_id for rs in rows.values() for r in rs]
        return Computation(
            rule=self.name, title=title, result=result,
            value=decimal_value(abs(diff)), formula=f"{fmt(sa)} − {fmt(sb)} = {fmt(diff)}万元（各方“总金额（万元）”之和）",
            citation_ids=[*(cited if len(cited) <= 20 else []), att1], warnings=warnings,
            details={"sums_wan_yuan": {c: str(v[0]) for c, v in sums.items()}, "difference_wan_yuan": str(diff)}, understood=understood,
        )

    @staticmethod
    def _sides(q: Question, names: Naming, counties: list[str], text_of: Callable[[TableRow], str]) -> list[Side]:
        """The two things a comparison names, in the question's order: two segments ('伽师段比疏勒段'), else two
        counties, else two named families ('防沙治沙比经济型防护林')."""
        if len(names.segments) == 2:
            pairs = [(s, s, lambda r, s=s: segment_matches(s, r.cells.get("项目名称", ""), county_of(r.cells), s in names.by_county))
                     for s in names.segments]
        elif len(counties) == 2:
            pairs = [(c, county_short(c), lambda r, c=c: county_of(r.cells) == c) for c in counties]
        elif len(names.groups) == 2:
            pairs = [(names.group_name(i), g[0], lambda r, i=i: names.group_matches(i, text_of(r), county_of(r.cells)))
                     for i, g in enumerate(names.groups)]
        else:
            return []
        return [(name, belongs) for name, said, belongs in sorted(pairs, key=lambda p: q.norm.find(p[1]))]

    def _figure_difference(self, q: Question, selected: list, sides: list[Side], asked: AskedFigure,
                           warnings: list[str], att1: str) -> Computation:
        """Each side's measure from the 主要建设内容与规模 cells of its rows, and the difference; a side without one
        row and one stated figure gives no number."""
        title = "喀什地区自然资源“十四五”项目清单统计（《喀什地区自然资源“十四五”规划》附件1）"
        what = asked.what
        totals: list[tuple[str, Fraction]] = []
        problems: list[str] = []
        understood: list[Understood] = []
        for name, belongs in sides:
            rows = [r for r in selected if belongs(r)]
            name = county_short(name) if name in kashgar_counties() else name
            figs = [[f for f in cell_figures(r.cells.get("主要建设内容与规模", "")) if asked.accepts(f)] for r in rows]
            figs = [[f for f in fs if "总面积" in f.label] or fs for fs in figs]
            if not rows or any(len(fs) != 1 for fs in figs):
                problems.append(f"“{name}”" + ("没有对应的项目" if not rows else f"的项目没有写明唯一的{what}"))
                continue
            totals.append((name, sum((fs[0].base for fs in figs), Fraction(0))))
            understood += [Understood(words=name, value=fs[0].raw, category=f"序号{r.cells.get('序号')}的{what}")
                           for r, fs in zip(rows, figs, strict=True)]
        if not sides or problems or len(totals) != 2:
            why = "；".join(problems) or "问题没有写明比较的两方（两个段或两个县）"
            return Computation(
                rule=self.name, title=title, result=f"附件1中不能算出所问的{what}之差：{why}，不给出数字", value=None, missing=["value"],
                formula=f"差 = 甲方{what} − 乙方{what}", citation_ids=[*[r.unit_id for r in selected][:20], att1], warnings=warnings,
                unbound=[why], understood=understood,
            )
        (a, x), (b, y) = totals
        diff = x - y
        result = f"{a}{asked.show(x)}，{b}{asked.show(y)}，{a}比{b}{'多' if diff >= 0 else '少'}{asked.show(abs(diff))}"
        return Computation(
            rule=self.name, title=title, result=result, value=decimal_value(abs(diff)),
            formula=f"{fmt(x)} − {fmt(y)} = {fmt(diff)}{asked.base_unit}（{asked.rule}）",
            citation_ids=[*[r.unit_id for r in selected][:20], att1], warnings=warnings, understood=understood,
            details={"sides": {a: str(x), b: str(y)}, "difference": str(diff), "unit": asked.base_unit},
        )

    def _figures(self, q: Question, ctx: RuleContext, selected: list, scope: str, asked: AskedFigure, warnings: list[str], att1: str) -> Computation | None:
        """Sum of a figure written inside the 主要建设内容与规模 cells of the selected rows ('占地面积768亩', '9个乡镇')."""
        taken: list[tuple[TableRow, CellFigure]] = []
        unclear: list[tuple[TableRow, list[CellFigure]]] = []
        silent: list[TableRow] = []
        for r in selected:
            figs = [f for f in cell_figures(r.cells.get("主要建设内容与规模", "")) if asked.accepts(f)]
            named = [f for f in figs if f.key and f.key in q.norm]
            figs = named or figs
            if not figs:
                silent.append(r)
            elif len(figs) == 1:
                taken.append((r, figs[0]))
            elif len([f for f in figs if f.label.startswith("总") or "总面积" in f.label]) == 1:
                taken.append((r, next(f for f in figs if f.label.startswith("总") or "总面积" in f.label)))
            else:
                unclear.append((r, figs))
        what = asked.what
        total = sum((f.base for _, f in taken), Fraction(0))
        lines = [f"序号{r.cells.get('序号')}“{r.cells.get('项目名称')}”：{f.label}{f.raw}" for r, f in taken]
        understood = [
            Understood(words=f"{f.label}{f.raw}", value=f"{fmt(f.base)}{asked.base_unit}", category=f"序号{r.cells.get('序号')}的{what}") for r, f in taken
        ]
        details: dict[str, object] = {"rows": len(selected), "summed": len(taken), "unit": asked.base_unit}
        readings: list[Reading] = []
        value = None
        if unclear:
            # a row naming several figures of the kind asked ('围栏封育5万亩；补播改良5万亩'): one of them, or all added
            choices = [[(f"「{f.label}{f.raw}」", f.base) for f in figs] + [("各项相加", sum((f.base for f in figs), Fraction(0)))] for _, figs in unclear]
            for opt in itertools.islice(itertools.product(*choices), 8):
                t = total + sum((b for _, b in opt), Fraction(0))
                label = "；".join(f"序号{r.cells.get('序号')}取{name}" for (r, _), (name, _) in zip(unclear, opt, strict=True))
                readings.append(Reading(label=label, result=f"合计{asked.show(t)}"))
            result = (f"附件1中{scope}项目有{len(unclear)}个的建设内容写了不止一个{what}，无法确定取哪一个，不给出合计："
                      + "；".join(
                          f"序号{r.cells.get('序号')}“{r.cells.get('项目名称')}”写了" + "、".join(f"{f.label}{f.raw}" for f in figs) for r, figs in unclear
                      )
                      + "。按各种取法：" + "；".join(f"{x.label}，{x.result}" for x in readings))
        elif not taken:
            return None
        else:
            value = decimal_value(total)
            result = f"附件1中{scope}项目的建设内容写明的{what}合计{asked.show(total)}（{len(taken)}个项目）"
            details["total"] = str(total)
        if silent and (taken or unclear):
            result += f"；另有{len(silent)}个项目建设内容未写{what}（序号{'、'.join(r.cells.get('序号', '') for r in silent)}），不计入"
        if 0 < len(lines) <= 12:
            result += "。明细：" + "；".join(lines)
        warnings.append(f"{what}取自附件1“主要建设内容与规模”栏的文字，不是单独的统计栏；同一项目写了几个{what}时按其说明取用。")
        return Computation(
            rule=self.name, title="喀什地区自然资源“十四五”项目清单统计（《喀什地区自然资源“十四五”规划》附件1）", result=result, value=value,
            formula=f"合计 = 所选项目建设内容中写明的{what}之和（{asked.rule}）", inputs={"筛选": scope, "统计": what},
            citation_ids=[*[r.unit_id for r in selected][:20], att1], warnings=warnings, details=details,
            understood=understood, readings=readings,
        )

    def _unnamed(self, unnamed: list[str], scope_words: str, warnings: list[str], att1: str, what: str = "名称、类别或建设内容含") -> Computation:
        """The question names projects by words no row prints ('村级规划项目') or a place no row belongs to: no row is
        chosen, nothing is summed; the value counts as missing, so the engine may read the question again in the
        texts' own terms."""
        words = "、".join(f"“{w}”" for w in unnamed)
        return Computation(
            rule=self.name, title="喀什地区自然资源“十四五”项目清单统计（《喀什地区自然资源“十四五”规划》附件1）",
            result=f"附件1项目清单中没有{what}{words}的项目，问题所指的项目不能确定，不给出合计。",
            value=None, formula="只合计名称含问题所指词的项目", inputs={"筛选": scope_words or words}, citation_ids=[att1], warnings=warnings,
            unbound=[f"{w}：附件1没有这样的项目" for w in unnamed], missing=["value"], details={"unnamed": unnamed},
        )

    def _uncertain(self, q: Question, ctx: RuleContext, names: Naming, near: list, by_description: bool, warnings: list[str], att1: str,
                   said: tuple[int, str] | None = None) -> Computation:
        """No row carries every naming word of the question (or the rows that do are not as many as the question
        says): the candidate rows are listed, nothing is summed."""
        where = "建设内容" if by_description else "名称"
        lines = [f"序号{r.cells.get('序号')}“{r.cells.get('项目名称')}”（{r.cells.get('项目单位')}，{_amount_text(amount_of(r.cells))}）" for r in near[:12]]
        listed = "；".join(lines) + ("等" if len(near) > 12 else "")
        if said is not None:
            result = (f"问题说“{said[1]}”，附件1项目清单中符合所问条件的项目有{len(near)}个：{listed}。"
                      "不能确定是其中哪几个，不给出合计；请指明项目。")
        else:
            result = (
                f"附件1项目清单中没有{where}同时含{names.describe()}的项目，问题所指的项目不能确定，不给出合计。"
                f"{where}只含其中部分词的项目有{len(near)}个：" + listed + "。请指明是哪几个项目。"
            )
        return Computation(
            rule=self.name, title="喀什地区自然资源“十四五”项目清单统计（《喀什地区自然资源“十四五”规划》附件1）", result=result, value=None,
            formula="只合计名称含问题全部所指词的项目", inputs={"筛选": names.describe()}, citation_ids=[*[r.unit_id for r in near[:12]], att1],
            warnings=warnings, details={"candidates": [r.unit_id for r in near]},
            understood=[Understood(words=w, category=f"项目{where}所含词") for w in names.words],
            unbound=[f"“{said[1]}”：符合条件的有{len(near)}个" if said else f"{names.describe()}：没有项目同时含这些词"],
        )

    def _per_unit_sides(self, q: Question, sides: list[Side], selected: list, scope: str, per: str, warnings: list[str],
                        att1: str) -> list[Computation]:
        """'巴楚和莎车的村庄规划编制项目平均每个编制单元各多少钱，差多少': each side's average on its own rows, then (when
        asked) the difference of the two averages, a number only when both are."""
        def side_scope(name: str) -> str:  # the side in place of the two counties ('莎车县、巴楚县（按项目单位归属）')
            by_county = re.match(r"[^（，]*（按项目单位归属）", scope)
            return f"{name}（按项目单位归属）{scope[by_county.end():]}" if by_county and name in by_county.group(0) else f"{scope}中{name}"

        each = [self._per_unit(q, [r for r in selected if belongs(r)], side_scope(name), per, list(warnings), att1)
                if any(belongs(r) for r in selected) else None for name, belongs in sides]
        (a, _), (b, _) = sides
        if not asks_difference(q):
            return [c for c in each if c is not None]
        title = "喀什地区自然资源“十四五”项目清单统计（《喀什地区自然资源“十四五”规划》附件1）"
        unit = "年" if per == "年" else f"个{per}"
        values = [c.value if c is not None and not c.missing else None for c in each]
        lines = [f"{name}：{c.result}" if c is not None else f"{name}：附件1中（在所问的范围内）没有这一方的项目"
                 for (name, _), c in zip(sides, each, strict=True)]
        understood = [Understood(words=name, value=f"平均每{unit}{fmt(v)}万元" if v is not None else "算不出", category=f"{name}的平均数")
                      for (name, _), v in zip(sides, values, strict=True)]
        cited = list(dict.fromkeys(uid for c in each if c is not None for uid in c.citation_ids))
        va, vb = values
        if va is None or vb is None:
            return [Computation(
                rule=self.name, title=title, value=None, missing=["value"], formula=f"差 = {a}平均数 − {b}平均数",
                result="两方的平均数没有都算出，不给出差：" + "；".join(lines), citation_ids=cited, warnings=warnings, understood=understood,
                unbound=[f"{name}的平均数" for (name, _), v in zip(sides, values, strict=True) if v is None],
            )]
        diff = Fraction(va) - Fraction(vb)
        return [Computation(
            rule=self.name, title=title, value=decimal_value(abs(diff)),
            result=f"{a}平均每{unit}{fmt(va)}万元，{b}平均每{unit}{fmt(vb)}万元，{a}比{b}{'多' if diff >= 0 else '少'}{fmt(abs(diff))}万元。"
                   + "；".join(lines),
            formula=f"{fmt(va)} − {fmt(vb)} = {fmt(diff)}万元（各方平均数 = 金额 ÷ {per}数，分别计算后相减）",
            inputs={"筛选": scope, "平均到": f"每{unit}", "比较": [a, b]}, citation_ids=cited, warnings=warnings, understood=understood,
            details={"per": per, "averages_wan_yuan": {a: str(va), b: str(vb)}, "difference_wan_yuan": str(decimal_value(diff))},
        )]

    def _per_unit(self, q: Question, selected: list, scope: str, per: str, warnings: list[str], att1: str) -> Computation:
        """'平均每个乡镇多少钱': each project's amount over the count its own description states (or the question
        states, or the years of the plan period); a total over several projects only when every input is bound."""
        title = "喀什地区自然资源“十四五”项目清单统计（《喀什地区自然资源“十四五”规划》附件1）"
        asked = re.search(rf"(\d+)个{re.escape(per)}", q.plain) if per not in ("年", "项目") else None
        years = years_asked(q)
        lines: list[str] = []
        understood: list[Understood] = []
        missing_rows: list[str] = []
        readings: list[Reading] = []
        amount_total, count_total = Fraction(0), Fraction(0)
        bound = 0
        if per == "项目":
            priced = [(r, a) for r in selected if (a := amount_of(r.cells)) is not None]
            total = sum((Fraction(a) for _, a in priced), Fraction(0))
            if not priced:
                return Computation(rule=self.name, title=title, result=f"附件1中{scope}项目都没有列明金额，无法求平均", value=None,
                                   citation_ids=[att1], warnings=warnings, missing=["amount"], inputs={"筛选": scope})
            avg = total / len(priced)
            result = f"附件1中{scope}列明金额的项目{len(priced)}个，合计{fmt(total)}万元，平均每个项目{fmt(avg, 4)}万元"
            unpriced = len(selected) - len(priced)
            if unpriced:
                # the amount of a project without one is unknown: the average over all of them is not stated
                result = (f"附件1中{scope}项目共{len(selected)}个，其中{unpriced}个未列金额，全部项目的平均数算不出；"
                          f"只按列明金额的{len(priced)}个项目（合计{fmt(total)}万元）平均，每个{fmt(avg, 4)}万元")
            return Computation(
                rule=self.name, title=title, result=result, value=None if unpriced else decimal_value(avg),
                missing=["amount"] if unpriced else [], formula=f"平均 = {fmt(total)} ÷ {len(priced)} = {fmt(avg, 4)}万元",
                inputs={"筛选": scope, "平均到": "每个项目"}, citation_ids=[*[r.unit_id for r, _ in priced][:20], att1], warnings=warnings,
                understood=[Understood(words="每个项目", value=f"{len(priced)}个", category="列明金额的项目数")], details={"per": "项目", "count": len(priced)},
            )
        if per in PER_COUNTY or per in AREA_PER:
            return self._per_county_or_area(q, selected, scope, per, warnings, att1)
        if per == "年" and years is None:
            return Computation(
                rule=self.name, title=title, value=None, missing=["count"], formula="平均每年 = 总金额 ÷ 年数",
                result=f"附件1中{scope}项目的总金额是整个规划期的数字，问题没有说按几年平均（例如“十四五”2021—2025年共5年），不给出每年的数字",
                inputs={"筛选": scope, "平均到": "每年"}, citation_ids=[*[r.unit_id for r in selected][:20], att1], warnings=warnings,
            )
        for r in selected:
            amount = amount_of(r.cells)
            label = f"序号{r.cells.get('序号')}“{r.cells.get('项目名称')}”"
            if amount is None:
                missing_rows.append(f"{label}未列总金额")
                continue
            if per == "年" and years is not None:
                counts = [StatedCount(years[0], "年", years[1])]
            else:
                counts = counts_of(per, r.cells.get("主要建设内容与规模", ""))
                if asked:
                    from_q = StatedCount(int(asked.group(1)), per, asked.group(0))
                    if counts and all(c.value != from_q.value for c in counts):
                        readings += [Reading(label=f"{label}按{c.raw}", result=f"{fmt(Fraction(amount) / c.value, 4)}万元") for c in counts]
                        readings.append(Reading(label=f"{label}按问题所说{from_q.raw}", result=f"{fmt(Fraction(amount) / from_q.value, 4)}万元"))
                        missing_rows.append(f"{label}：问题说{from_q.raw}，建设内容写" + "、".join(c.raw for c in counts))
                        continue
                    counts = [from_q]
            if not counts:
                missing_rows.append(f"{label}：建设内容没有写{per}的个数")
                continue
            if len(counts) > 1:
                readings += [Reading(label=f"{label}按{c.raw}", result=f"{fmt(Fraction(amount) / c.value, 4)}万元") for c in counts]
                missing_rows.append(f"{label}：建设内容写了" + "、".join(c.raw for c in counts) + f"，不能确定按哪个算“每个{per}”")
                continue
            c = counts[0]
            avg = Fraction(amount) / c.value
            lines.append(f"{label}{fmt(amount)}万元 ÷ {c.value}{'年' if per == '年' else '个' + per} = {fmt(avg, 4)}万元")
            if per != "年" or not understood:
                plan = YEARS_PER_PLAN.get(c.raw)
                understood.append(Understood(
                    words=c.raw, value=f"{c.value}{'年' if per == '年' else '个'}",
                    category=f"平均的年数（“{c.raw}”为{plan[0]}—{plan[1]}年）" if plan else "平均的年数" if per == "年" else f"{label}的{per}数"))
            amount_total += Fraction(amount)
            count_total += c.value
            bound += 1
        value = None
        if missing_rows:
            result = (f"附件1中{scope}项目平均每{'' if per == '年' else '个'}{per}的金额不能全部算出：" + "；".join(missing_rows)
                      + ("。能算出的：" + "；".join(lines) if lines else "") + "。缺的输入请补充后再算。")
            missing = ["count"]
        elif per == "年":
            n_years = int(understood[0].value.removesuffix("年"))
            value = amount_total / n_years
            result = f"附件1中{scope}项目合计{fmt(amount_total)}万元，按{n_years}年平均每年{fmt(value, 4)}万元"
            missing = []
        else:
            value = amount_total / count_total
            result = (f"附件1中{scope}项目平均每个{per}{fmt(value, 4)}万元" if bound == 1 else
                      f"附件1中{scope}{bound}个项目合计{fmt(amount_total)}万元、{fmt(count_total)}个{per}，平均每个{per}{fmt(value, 4)}万元")
            missing = []
        if lines and not missing and (bound > 1 or per != "年"):
            result += "。明细：" + "；".join(lines)
        formula = (f"平均 = 总金额 ÷ {per}数"
                   + (f" = {fmt(amount_total)}万元 ÷ {fmt(count_total)} = {fmt(value or 0, 4)}万元" if per != "年" and not missing else "")
                   + ("（各项目的金额与个数分别相加后相除）" if bound > 1 and per != "年" else ""))
        if per == "年" and not missing:
            formula = f"平均每年 = {fmt(amount_total)}万元 ÷ {understood[0].value} = {fmt(value or 0, 4)}万元"
        return Computation(
            rule=self.name, title=title, result=result, value=decimal_value(value) if value is not None else None, formula=formula,
            inputs={"筛选": scope, "平均到": f"每个{per}" if per != "年" else "每年"}, citation_ids=[*[r.unit_id for r in selected][:20], att1],
            warnings=warnings, understood=understood, readings=readings, missing=missing,
            details={"per": per, "amount_wan_yuan": str(amount_total), "count": str(count_total), "rows": len(selected)},
        )

    def _per_county_or_area(self, q: Question, selected: list, scope: str, per: str, warnings: list[str], att1: str) -> Computation:
        """'平均每个县多少钱' over the counties the projects belong to; '平均每亩多少钱' over the areas their descriptions state."""
        title = "喀什地区自然资源“十四五”项目清单统计（《喀什地区自然资源“十四五”规划》附件1）"
        priced = [(r, a) for r in selected if (a := amount_of(r.cells)) is not None]
        unpriced = [r for r in selected if amount_of(r.cells) is None]
        total = sum((Fraction(a) for _, a in priced), Fraction(0))
        missing: list[str] = []
        understood: list[Understood] = []
        details: dict[str, object] = {"per": per, "amount_wan_yuan": str(total)}
        if not priced:
            return Computation(rule=self.name, title=title, result=f"附件1中{scope}项目都没有列明金额，无法求平均", value=None,
                               citation_ids=[*[r.unit_id for r in selected][:20], att1], warnings=warnings, missing=["amount"],
                               inputs={"筛选": scope, "平均到": f"每{per}"}, details=details)
        if per in PER_COUNTY:
            counties = sorted({county_of(r.cells) for r, _ in priced})
            shared = [c for c in counties if c.startswith(("多县市", "喀什地区"))]
            if shared or not counties:
                result = f"附件1中{scope}有项目不归单个县市（{'、'.join(shared) or '无县市'}），不能按县平均"
                count = Fraction(0)
                missing = ["count"]
            else:
                said = re.search(r"([一二两三四五六七八九十\d]+)个?县市?", q.plain)
                stated = parse_number(said.group(1)) if said else None
                everyone = len(kashgar_counties())
                count = Fraction(len(counties))
                understood = [Understood(words=county_short(c), value=c, category="项目所属县市（按项目单位）") for c in counties]
                result = f"附件1中{scope}列明金额的项目合计{fmt(total)}万元，分属{len(counties)}个县市，平均每个县市{fmt(total / count, 4)}万元"
                if (stated is not None and stated != count) or (stated is None and len(counties) != everyone):
                    # over the counties with projects, or over every county of the prefecture: the question does not say
                    other = stated if stated is not None else Fraction(everyone)
                    result = (f"附件1中{scope}列明金额的项目合计{fmt(total)}万元，分属{len(counties)}个县市；"
                              f"按有项目的{len(counties)}个县市平均每个{fmt(total / count, 4)}万元，按{fmt(other)}个县市平均每个{fmt(total / other, 4)}万元。"
                              "问题没有说按几个县市平均，不给出单一结果")
                    missing = ["count"]
        else:
            factor = AREA_PER[per]
            areas: list[tuple[TableRow, Fraction, str]] = []
            unclear = []
            for r, _ in priced:
                figs = [f for f in cell_figures(r.cells.get("主要建设内容与规模", "")) if f.family == "area"]
                totals = [f for f in figs if "总面积" in f.label] or figs
                if len(totals) == 1:
                    areas.append((r, totals[0].base, totals[0].raw))
                else:
                    unclear.append(r)
            count = sum((a for _, a, _ in areas), Fraction(0)) / factor
            understood = [Understood(words=raw, value=f"{fmt(a)}亩", category=f"序号{r.cells.get('序号')}的面积") for r, a, raw in areas]
            if unclear or not areas:
                result = (f"附件1中{scope}有项目的建设内容没有写明唯一的面积（序号{'、'.join(r.cells.get('序号', '') for r in unclear) or '全部'}），"
                          f"不能求平均每{per}的金额")
                missing = ["area"]
            else:
                result = f"附件1中{scope}列明金额的项目合计{fmt(total)}万元，建设内容写明的面积合计{fmt(count)}{per}，平均每{per}{fmt(total / count, 4)}万元"
        if unpriced and not missing:
            result += f"；另有{len(unpriced)}个项目未列金额（序号{'、'.join(r.cells.get('序号', '') for r in unpriced)}），全部项目的平均数算不出"
            missing = ["amount"]
        value = None if missing or not count else total / count
        details["count"] = str(count)
        return Computation(
            rule=self.name, title=title, result=result, value=decimal_value(value) if value is not None else None,
            formula=f"平均 = {fmt(total)}万元 ÷ {fmt(count)}" + ("个县市" if per in PER_COUNTY else per) if not missing else f"平均 = 总金额 ÷ {per}数",
            inputs={"筛选": scope, "平均到": f"每{per}"}, citation_ids=[*[r.unit_id for r in selected][:20], att1], warnings=warnings,
            understood=understood, missing=missing, details=details,
        )

    @staticmethod
    def _sum(rows: list) -> tuple[Decimal, list]:
        total = Decimal(0)
        missing = []
        for r in rows:
            a = amount_of(r.cells)
            if a is None:
                missing.append(r)
            else:
                total += a
        return total, missing


# an average per area unit is over the areas the descriptions state (in 亩 per unit)
AREA_PER = {"亩": Fraction(1), "万亩": Fraction(10000), "公顷": MU_PER_HA}


# ------------------------------------------------------------------ 喀什 表1 指标表

_SUFFIXES = ("保护面积", "面积", "总规模", "总数", "达标率", "下降率")
# words inside an indicator's name that staff leave out when they say it ('矿种“三率”指标达标率' -> '矿种三率达标率')
_LEFT_OUT = ("保护", "指标")
_UNIT_FACTORS = {"万亩": ("亩", Fraction(10000)), "平方千米": ("平方公里", Fraction(1)), "万平方千米": ("平方公里", Fraction(10000))}


def indicator_keys(name: str) -> list[str]:
    """Words that identify an indicator in a question: its name, the name without a generic suffix, a mineral."""
    clean = name.replace("“", "").replace("”", "")
    keys = [name, clean]
    mineral = re.search(r"（(.+?)）", clean)
    if mineral:
        keys.append(mineral.group(1))
    for suffix in _SUFFIXES:
        if clean.endswith(suffix) and len(clean) - len(suffix) >= 3:
            keys.append(clean[: -len(suffix)])
    for word in _LEFT_OUT:
        if word in clean and len(clean) >= 6:
            keys.append(clean.replace(word, ""))  # '生态保护红线面积' is said '生态红线面积'; the shorter key stays specific
    # the name's distinctive ending, as staff shorten it: '大型及中型以上绿色矿山达标率' -> '绿色矿山达标率'
    for spoken in [clean, *[clean.replace(word, "") for word in _LEFT_OUT if word in clean]]:
        tail = re.search(r"[\u4e00-\u9fa5]{4}(达标率|下降率|增长率)$", spoken)
        if tail and tail.group(0) != spoken:
            keys.append(tail.group(0))
    # a term the name quotes, with the name's ending: '矿种“三率”指标达标率' is said '三率达标率'
    quoted, ending = re.search(r"“(.+?)”", name), re.search(r"(达标率|下降率|增长率)$", clean)
    if quoted and ending:
        keys.append(quoted.group(1) + ending.group(1))
    return list(dict.fromkeys(keys))


def parse_indicator_value(text: str) -> Fraction | None:
    try:
        return Fraction(Decimal(text.strip()))
    except (ArithmeticError, ValueError):
        return None


def parse_indicator_range(text: str) -> tuple[Fraction, Fraction] | None:
    """'2-5' -> (2, 5): a range, not one figure."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*[-—～~至到]\s*(\d+(?:\.\d+)?)\s*", text)
    return (Fraction(Decimal(m.group(1))), Fraction(Decimal(m.group(2)))) if m else None


def asked_columns(q: Question) -> list[str]:
    """The 表1 columns a question asks: the 2020 base, the 2025 target, or (neither said) both."""
    cols = []
    if q.has("2020", "基期", "现状", "现有", "十三五末"):
        cols.append("2020年")
    if q.has("2025", "目标", "十四五末", "规划末", "期末", "要达到", "上限", "控制在", "到时候"):
        cols.append("2025年")
    return cols


def parse_indicator_cap(text: str) -> Fraction | None:
    """'300以内' -> 300 (an upper bound that includes the number)."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(以内|以下|之内)\s*", text)
    return Fraction(Decimal(m.group(1))) if m else None


@lru_cache(maxsize=1)
def _longer_terms() -> tuple[str, ...]:
    """Every term and staff word of the thesaurus: an indicator's name inside one of them is that term's word, not the name."""
    return tuple(sorted({w for e in thesaurus.load().entries for w in (*e.terms, *e.staff)}, key=len, reverse=True))


@lru_cache(maxsize=512)
def _terms_holding(key: str) -> tuple[str, ...]:
    """The thesaurus words longer than `key` that hold it (indicator keys are few: worked out once each)."""
    return tuple(t for t in _longer_terms() if len(t) > len(key) and key in t)


def _free(text: str, key: str, name: str) -> bool:
    """The key occurs in text at least once outside a longer term that is not part of the indicator's own name:
    '城乡建设用地' inside '城乡建设用地增减挂钩' does not name 城乡建设用地总规模."""
    if key not in text:
        return False
    covered = [(m.start(), m.start() + len(t)) for t in _terms_holding(key) if t not in name and t in text
               for m in re.finditer(re.escape(t), text)]
    return any(not any(a <= m.start() and m.end() <= b for a, b in covered) for m in re.finditer(re.escape(key), text))



# questions asking where/what/how rather than a figure, and words that ask for a figure
LOOKUP_ASKED = re.compile(r"哪|什么|怎么|如何|谁|为什么|为啥|啥")
NUMBER_ASKED = re.compile(r"多少|几|百分|比例|比重|倍|多大|多高|数字|数值|目标值|上限|下限")


def _comparable_unit(unit: str) -> tuple[str, Fraction] | None:
    """A 表1 unit as (kind of quantity, size in that kind's smallest unit): areas in 平方米 through the project's area
    conversions, any other unit only as itself; None for a row without a unit."""
    if unit in _UNIT_FACTORS:
        base, factor = _UNIT_FACTORS[unit]
        return "面积", factor * SQM_PER[base]
    if unit in SQM_PER:
        return "面积", SQM_PER[unit]
    return (unit, Fraction(1)) if unit else None


@dataclass(frozen=True)
class PairAnswer:
    """A share, ratio or difference of two 表1 indicators: the sentence, formula and value (None: no number), and what
    the question's inputs were read as."""
    sentence: str
    formula: str
    value: Fraction | None
    details: dict[str, object]
    understood: list[Understood]
    unbound: list[str]


class KashgarIndicators(Hook):
    name = "plan.kashgar_indicators"

    def _rows(self, q: Question, ctx: RuleContext) -> list:
        try:
            table = ctx.texts.table(ctx.params.get(INDICATORS).unit_id)
        except (StopIteration, KeyError):
            return []
        hits = []
        # a question naming a part of the plan that does not hold 表1 ('专栏6拟设采矿权数量') asks that part's figures:
        # an indicator is asked beside them only by its whole name ('采矿权总数'), not by a word it shares ('采矿权')
        elsewhere = self._elsewhere(q, ctx)
        for r in table.rows:
            name = r.cells.get("指标名称", "")
            keys = [name, name.replace("“", "").replace("”", "")] if elsewhere else indicator_keys(name)
            mineral = re.search(r"（(.+?)）", r.cells.get("指标名称", ""))
            if mineral:
                if mineral.group(1) in q.norm and q.has("资源量", "矿种", "新增"):
                    hits.append(r)
            elif any(k and _free(q.norm, k, r.cells.get("指标名称", "")) for k in keys):
                hits.append(r)
        return hits

    @staticmethod
    def _elsewhere(q: Question, ctx: RuleContext) -> bool:
        """The question names a part of the plan that does not hold 表1 ('专栏6', '第六章'); the chapter and section
        holding the table ('第二章') still name it."""
        table = ctx.texts.unit(ctx.params.get(INDICATORS).unit_id)
        holding = parts_named(" ".join([*table.heading_path, table.label]))
        return bool(parts_named(q.norm) - holding)

    def applies(self, q: Question, ctx: RuleContext) -> bool:
        if ctx.corpus is None or not q.has("十四五", "指标", "2020", "2025", "规划", "表1"):
            return False
        if LOOKUP_ASKED.search(q.norm) and not NUMBER_ASKED.search(q.norm):
            return False  # '节余指标跨省调剂的收益用在哪' asks where, not a figure of 表1
        if outside_period(q, doc_of(ctx, INDICATORS), ctx, extra_years=(2020,)):  # 表1 gives 2020 as the base year
            return False
        rows = self._rows(q, ctx)
        return bool(rows) and self._placed(q, ctx, rows)

    def _year_not_printed(self, q: Question, ctx: RuleContext, warnings: list[str]) -> Computation | None:
        """'耕地保有量2025年比2023年多多少', '采矿权总数比上一年多多少': 表1 has a column for 2020 and for 2025 only, so a
        comparison with another year has no figure on that side: said, no number given (a relative year is read
        against the year the question names, else the table's target year)."""
        rows = self._rows(q, ctx)
        columns = {int(k[:4]) for r in rows for k in r.cells if re.fullmatch(r"(?:19|20)\d{2}年", k)}
        if not rows or not columns:
            return None
        compared, unprinted = unprinted_comparison(q.norm, max(columns), columns)
        if not (compared or unprinted):
            return None
        result, unbound = year_not_printed_text(compared, unprinted, columns, "表1")
        lines = [f"{r.cells.get('指标名称')}：" + "，".join(f"{y}年{r.cells.get(f'{y}年', '')}" for y in sorted(columns))
                 + f"（{r.cells.get('单位', '')}）" for r in rows]
        return Computation(
            rule=self.name, title="喀什地区自然资源“十四五”指标（《喀什地区自然资源“十四五”规划》表1）", value=None, missing=["value"],
            result="；".join([result, *lines]), formula="差 = 所问年份数字 − 比较年份数字",
            inputs={"指标": [r.cells.get("指标名称", "") for r in rows]},
            understood=[Understood(words=r.cells.get("指标名称", ""), value=r.cells.get("指标名称", ""), category="表1指标") for r in rows],
            citation_ids=[ctx.params.get(INDICATORS).unit_id, *[r.unit_id for r in rows]], warnings=warnings, unbound=unbound,
            details={"not_stated": {r.cells.get("指标名称", ""): {"years": sorted({*(c.year for c in compared), *unprinted})} for r in rows}},
        )

    def _placed(self, q: Question, ctx: RuleContext, rows: list) -> bool:
        """The question is about the table's plan: it names 喀什 or the plan, a part of it no other text has ('表1'), or
        an indicator by words no other text prints ('采矿权总数', '石灰岩'); '耕地保有量' alone could be any plan's."""
        doc = doc_of(ctx, INDICATORS)
        if q.has("喀什"):
            return True
        if _places_outside_the_list(q, ctx, INDICATORS):
            return False  # '和田地区…规划…新发现矿产地': another prefecture's plan, though its title reads like this one's
        if doc in (q.documents or ()):
            return True
        table = ctx.texts.unit(ctx.params.get(INDICATORS).unit_id)
        outside = _text_outside(ctx, doc)
        own = parts_named(table.label) & parts_named(q.norm)
        if own and not own & _parts_printed(outside):
            return True
        said = [q.norm[a:b] for r in rows for a, b in self._mentions(q, r)]
        return bool(said) and all(w not in outside for w in said)

    def compute(self, q: Question, ctx: RuleContext) -> list[Computation]:
        warnings = doc_warnings(q, doc_of(ctx, INDICATORS), ctx)
        unstated = self._year_not_printed(q, ctx, warnings)
        if unstated is not None:
            return [unstated]
        lines = []
        details: dict[str, object] = {}
        unit_targets = [u for u in targets(q) if u in ("亩", "公顷", "平方米", "平方公里")]
        asked = asked_columns(q)
        not_stated: dict[str, dict[str, str]] = {}
        stated_any = False  # some figure the question asks for is printed
        unbound: list[str] = []
        for r in self._rows(q, ctx):
            c = r.cells
            unit = c.get("单位", "")
            name = c.get("指标名称", "")
            v20, v25 = parse_indicator_value(c.get("2020年", "")), parse_indicator_value(c.get("2025年", ""))
            cap25 = parse_indicator_cap(c.get("2025年", ""))
            span25 = parse_indicator_range(c.get("2025年", ""))
            line = (
                f"{name}（{c.get('分类')}，{c.get('指标属性')}指标）："
                f"2020年{c.get('2020年')}{unit if v20 is not None else ''}，2025年{c.get('2025年')}{unit if v25 is not None or span25 else ''}"
            )
            # a column asked for that holds words, not a number ('落实自治区下达目标', '——'): said, never a figure in its place
            stated_any = stated_any or any(v is not None for col, v in (("2020年", v20), ("2025年", v25 or cap25)) if col in (asked or [col]))
            for col, v in (("2020年", v20), ("2025年", v25)):
                cell = c.get(col, "")
                if col in asked and v is None and not (col == "2025年" and (cap25 is not None or span25)):
                    other = "2025年" if col == "2020年" else "2020年"
                    line = (f"表1对{col}的“{name}”没有给出数字（该栏写“{cell}”）"
                            + (f"，{c.get(other)}{unit}是{other}的数字，不是{col}的" if parse_indicator_value(c.get(other, "")) is not None else "")
                            + "。" + line)
                    not_stated[name] = {"year": col, "printed": cell}
                    unbound.append(f"{col}“{name}”：表1未给出数字（原文“{cell}”）")
            if v20 is not None and v25 is not None:
                line += f"，变化{fmt(v25 - v20)}{unit}" + (f"（{fmt((v25 - v20) / v20 * 100, 2)}%）" if v20 else "")
            elif v20 is not None and cap25 is not None:
                line += f"，2025年上限{fmt(cap25)}{unit}（“以内”含本数），比2020年最多可增加{fmt(cap25 - v20)}{unit}"
                details[f"{c.get('指标名称')}_room"] = str(cap25 - v20)
            if unit in _UNIT_FACTORS and v20 is not None and asked != ["2025年"]:
                base, factor = _UNIT_FACTORS[unit]
                sqm = v20 * factor * SQM_PER[base]
                shown = [u for u in (unit_targets or ["公顷"]) if u != base or unit != "平方千米"]
                conv = "，".join(show(sqm / SQM_PER[u], u) for u in shown)
                if conv:
                    line += f"（2020年值折合{conv}）"
            lines.append(line)
            details[c.get("指标名称", r.unit_id)] = {"2020年": c.get("2020年"), "2025年": c.get("2025年"), "单位": unit}
            for f in check_text_against_tables(ctx.texts):
                if not f.consistent and r.unit_id in f.unit_ids:
                    warnings.append(f"原文数字不一致：{f.message}；引用时请注明出处。")
        rows = self._rows(q, ctx)
        # two indicators taken one against the other: that is what is asked, not a rate, a sum or a sentence's figures
        paired = self._pair(q, ctx, rows)
        applied = self._apply_rate(q, rows) if not paired else None
        understood = [Understood(words=next((k for k in indicator_keys(r.cells.get("指标名称", "")) if k and k in q.norm), r.cells.get("指标名称", "")),
                                 value=r.cells.get("指标名称", ""), category="表1指标") for r in rows]
        formula = "直接读取表1；变化 = 2025年值 − 2020年值；1万亩 = 10000/15公顷，1平方千米 = 100公顷"
        value = None
        citations = [ctx.params.get(INDICATORS).unit_id, *[r.unit_id for r in rows]]
        summed = self._stated_sum(q, ctx, rows, asked) if not paired else None
        if paired:
            first = paired[0]
            lines.insert(0, first.sentence)
            formula, understood = first.formula, first.understood
            value = decimal_value(first.value, 4) if first.value is not None else None
            details.update(first.details)
            unbound += first.unbound
        elif applied is not None:
            sentence, formula, value, used, more = applied
            understood = used
            lines.insert(0, sentence)
            details.update(more)
        elif summed is not None:
            sentence, formula, value, used, more, unit_ids = summed
            understood = used + understood
            lines.insert(0, sentence)
            details.update(more)
            citations = [*unit_ids, *citations]
        compared = self._compare_columns(q, rows) if applied is None and summed is None and not paired else []
        if compared:
            sentence, formula, value, more = compared[0]
            lines.insert(0, sentence)
            details.update(more)
        if value is None and not not_stated and not paired and TextArithmetic.sentence_operation(q):
            # the question asks an operation over figures a sentence states ('拟设采矿权比已设多几个'); this hook
            # excludes the text arithmetic, so it runs it here and leads with it when it binds
            over_text = [c for c in TextArithmetic().compute(q, ctx) if c.value is not None]
            if over_text:
                return over_text
        # a pair that cannot be computed (a cell without a figure, units that do not compare) has no number to give
        missing: list[str] = ["value"] if paired and value is None and paired[0].unbound else []
        counties = [c for c in kashgar_counties()
                    if county_short(c) in q.norm and not (c == "喀什市" and "喀什市" not in q.norm)]
        if counties and applied is None:  # a rate applied to the county's own base stays: the base is the question's
            # 表1 is the prefecture's: a county's own figure is not stated, and the prefecture's is not it
            named = "、".join(counties)
            lines.insert(0, f"表1是喀什地区全地区的指标，没有分县市列出，{named}的数字文件没有写；以下是全地区的数字，不是{named}的")
            unbound += [f"{c}：表1未分县市" for c in counties]
            value, missing = None, ["value"]
        if not_stated:
            # the asked column of these indicators states no figure: details say which, and when no asked figure is
            # stated at all the value counts as missing, so the engine treats the question as not stated
            details["not_stated"] = not_stated
            comparing = asks_difference(q) or q.has("减少多少", "增加多少", "下降多少", "增长多少", "百分之几", "几成", "几倍")
            if value is None and (not stated_any or comparing):  # a comparison needs the figure that is not there
                missing = ["value"]
        main = Computation(
            rule=self.name, title="喀什地区自然资源“十四五”指标（《喀什地区自然资源“十四五”规划》表1）", value=value, understood=understood,
            result="；".join(lines), formula=formula, inputs={"指标": [r.cells.get("指标名称", "") for r in rows]},
            citation_ids=citations, warnings=warnings, details=details, unbound=unbound, missing=missing,
        )
        if paired:  # a second operation over the pair asked in a clause of its own: the same rows, its own result
            return [main, *(main.model_copy(update={
                "result": "；".join([p.sentence, *lines[1:]]), "formula": p.formula, "understood": p.understood,
                "value": decimal_value(p.value, 4) if p.value is not None and not counties else None,
                "missing": ["value"] if (p.value is None and p.unbound) or counties else [], "unbound": [*unbound, *p.unbound],
                "details": {**details, **p.details}, "warnings": list(warnings)}) for p in paired[1:])]
        # a second comparison asked in a clause of its own: the same indicator and inputs, its own result
        return [main, *(main.model_copy(update={"result": "；".join([s2, *lines[1:]]), "formula": f2, "value": v2 if value is not None else None,
                                                 "details": {**details, **m2}, "warnings": list(warnings)})
                        for s2, f2, v2, m2 in compared[1:])]

    @staticmethod
    def _mentions(q: Question, row: TableRow) -> list[Span]:
        """Every place the question names the indicator: its mineral, or any of its keys."""
        name = row.cells.get("指标名称", "")
        mineral = re.search(r"（(.+?)）", name)
        keys = [mineral.group(1)] if mineral else [k for k in indicator_keys(name) if k]
        return [(m.start(), m.end()) for k in keys for m in re.finditer(re.escape(k), q.norm)]

    def _pair(self, q: Question, ctx: RuleContext, rows: list) -> list[PairAnswer]:
        """'永久基本农田保护面积占耕地保有量的百分之几', '耕地保有量比永久基本农田保护面积多多少万亩', '…是…的几倍': two
        indicators of 表1 taken one against the other from the same year's column, when both cells hold a figure and the
        units are the same or convertible; otherwise which cell or unit stops it, and no number."""
        if len(rows) != 2:
            return []
        spans = (self._mentions(q, rows[0]), self._mentions(q, rows[1]))
        if not spans[0] or not spans[1]:
            return []
        relations = pair_relations(q.norm, spans)
        if not relations:
            return []
        said = [q.norm[s:e] for s, e in (max(sp, key=lambda x: x[1] - x[0]) for sp in spans)]
        names = [r.cells.get("指标名称", "") for r in rows]
        units = [r.cells.get("单位", "") for r in rows]
        asked = asked_columns(q)
        cols = asked or [col for col in ("2020年", "2025年") if all(parse_indicator_value(r.cells.get(col, "")) is not None for r in rows)]
        if not asked and len(cols) == 1:
            chosen = f"问题没有说年份，表1只有{cols[0]}栏两项都有数字，按{cols[0]}计算"
        elif not asked and len(cols) == 2:
            chosen = "问题没有说年份，表1的2020年和2025年两栏都有数字，各给一个结果"
        else:
            chosen = ""
        out: list[PairAnswer] = []
        for rel in relations:
            order = [0, 1] if rel.subject in (0, None) else [1, 0]
            if rel.subject is None:  # '相差多少': the larger figure first, in the first column that has both
                firsts = [(parse_indicator_value(rows[0].cells.get(c, "")), parse_indicator_value(rows[1].cells.get(c, ""))) for c in cols]
                a0, b0 = next(((a, b) for a, b in firsts if a is not None and b is not None), (None, None))
                base0, base1 = _comparable_unit(units[0]), _comparable_unit(units[1])
                if a0 is not None and b0 is not None and base0 and base1 and a0 * base0[1] < b0 * base1[1]:
                    order = [1, 0]
            role = {"share": ("部分", "整体"), "times": ("被比较的一项", "基数"), "difference": ("被减数", "减数")}[rel.kind]
            understood = [Understood(words=said[k], value=names[k], category=f"表1指标，{role[i]}（单位：{units[k]}）",
                                     basis=f"表1第{rows[k].unit_id.rsplit('.r', 1)[-1]}行") for i, k in enumerate(order)]
            understood.append(Understood(words="、".join(asked) if asked else "（未说年份）", value="、".join(cols) or "（两栏都缺数字）",
                                         category="表1的年份栏"))
            if rel.kind == "share" and units[0] == units[1] == "%":
                out.append(PairAnswer(f"“{names[order[0]]}”和“{names[order[1]]}”都是比率（%），一个比率不是另一个的组成部分，"
                                      "不能求占比；可以比较两者相差几个百分点", "占比 = 部分 ÷ 整体 × 100%（部分和整体须是同一种量）",
                                      None, {"not_comparable": units}, understood, [f"占比：两项都是比率（{names[0]}、{names[1]}）"]))
                continue
            base = [_comparable_unit(u) for u in units]
            if base[0] is None or base[1] is None or base[0][0] != base[1][0]:
                out.append(PairAnswer(
                    f"表1“{names[0]}”的单位是{units[0] or '（未写）'}，“{names[1]}”的单位是{units[1] or '（未写）'}，"
                    "不是同一种量或没有可用的换算，不能相比，不给出数字", "两项须是同一单位（或可换算的面积单位）才能相比",
                    None, {"units": units}, understood, [f"单位不同：{names[0]}（{units[0]}）与{names[1]}（{units[1]}）"]))
                continue
            readings: list[tuple[str, str, str, Fraction]] = []
            empty: list[str] = []
            for col in cols:
                cells = [r.cells.get(col, "") for r in rows]
                read = [parse_indicator_value(c) for c in cells]
                values = [v for v in read if v is not None]
                if len(values) < 2:
                    empty += [f"{col}“{names[k]}”（该栏写“{cells[k]}”）" for k in (0, 1) if read[k] is None]
                    continue
                sentence, formula, value = self._operate(rel.kind, q, [names[k] for k in order], [values[k] for k in order],
                                                         [units[k] for k in order], [base[k] for k in order])
                readings.append((col, sentence, formula, value))
            if not readings:
                out.append(PairAnswer(
                    "表1没有给出可以相比的数字：" + "；".join(empty) + "，不能计算", "两项须在同一年份栏都有数字才能相比",
                    None, {"not_stated_pair": empty}, understood, [f"{e}：表1未给出数字" for e in empty]))
                continue
            if len(readings) == 1:
                col, sentence, formula, value = readings[0]
                note = f"（{chosen}）" if chosen else ""
                out.append(PairAnswer(f"表1的{col}栏：{sentence}{note}", formula, value, {"column": col, "operation": rel.kind},
                                      understood, [f"{e}：表1未给出数字" for e in empty]))
            else:  # several years asked or none said and both hold figures: every reading, no single number
                out.append(PairAnswer("；".join(f"表1的{col}栏：{sentence}" for col, sentence, _, _ in readings) + f"（{chosen or '问了两个年份'}）",
                                      "；".join(f for _, _, f, _ in readings), None,
                                      {"columns": [c for c, _, _, _ in readings], "operation": rel.kind}, understood, []))
        return out

    @staticmethod
    def _operate(kind: str, q: Question, names: list[str], values: list[Fraction], units: list[str],
                 base: list[tuple[str, Fraction] | None]) -> tuple[str, str, Fraction]:
        """One operation over the subject's figure and the reference's, the reference brought to the subject's unit."""
        a, b = values
        fa, fb = base[0][1] if base[0] else Fraction(1), base[1][1] if base[1] else Fraction(1)
        b_as_a = b * fb / fa
        shown = [f"“{names[0]}”{fmt(a)}{units[0]}", f"“{names[1]}”{fmt(b)}{units[1]}"]
        conversion = ""
        if units[0] != units[1]:
            shown[1] += f"（合{fmt(b_as_a)}{units[0]}）"
            conversion = f"；{fmt(b)}{units[1]} = {fmt(b_as_a)}{units[0]}（1{units[1]} = {fmt(fb / fa)}{units[0]}；1亩 = 10000/15平方米）"
        if kind == "difference":
            if units[0] == "%":
                d = a - b
                return (f"{shown[0]}比{shown[1]}{'高' if d >= 0 else '低'}{fmt(abs(d))}个百分点",
                        f"{fmt(a)}% − {fmt(b)}% = {fmt(d)}个百分点", abs(d))
            d = a - b_as_a
            # the unit the question asks the difference in, when it is another area unit than the table's
            wanted = [u for u in targets(q) if base[0] and u in SQM_PER and SQM_PER[u] != fa and units[0] not in q.norm]
            also = "，".join(f"{fmt(abs(d) * fa / SQM_PER[u])}{u}" for u in wanted)
            return (f"{shown[0]}比{shown[1]}{'多' if d >= 0 else '少'}{fmt(abs(d))}{units[0]}" + (f"（合{also}）" if also else ""),
                    f"差 = {fmt(a)} − {fmt(b_as_a)} = {fmt(d)}{units[0]}{conversion}", abs(d))
        ratio = a / b_as_a
        if kind == "times":
            if RATIO_OF.search(q.norm) and not re.search(_TIMES_ASK, q.norm):
                return (f"{shown[0]}与{shown[1]}之比为{fmt(a)}:{fmt(b_as_a)}，即{fmt(ratio, 4)}:1",
                        f"{fmt(a)} ÷ {fmt(b_as_a)} = {fmt(ratio, 6)}{conversion}", ratio)
            return f"{shown[0]}是{shown[1]}的{fmt(ratio, 4)}倍", f"{fmt(a)} ÷ {fmt(b_as_a)} = {fmt(ratio, 6)}{conversion}", ratio
        if "几成" in q.norm:
            return (f"{shown[0]}占{shown[1]}的{fmt(ratio * 10, 2)}成（{fmt(ratio * 100, 2)}%）",
                    f"占比 = 部分 ÷ 整体 = {fmt(a)} ÷ {fmt(b_as_a)} = {fmt(ratio, 6)}{conversion}", ratio * 10)
        return (f"{shown[0]}占{shown[1]}的{fmt(ratio * 100, 2)}%",
                f"占比 = 部分 ÷ 整体 × 100% = {fmt(a)} ÷ {fmt(b_as_a)} × 100% = {fmt(ratio * 100, 4)}%{conversion}", ratio * 100)

    @staticmethod
    def _compare_columns(q: Question, rows: list) -> list[tuple[str, str, Decimal | None, dict]]:
        """'2025年比2020年少多少', '2025年是2020年的百分之几' for the one indicator named, when both columns are figures
        (a '300以内' bound compares as its bound, said so); both, in the question's order, when each is asked in a
        clause of its own ('多多少个，是2020年的几倍')."""
        if len(rows) != 1 or not ("2020" in q.norm and ("2025" in q.norm or q.has("目标", "上限"))):
            return []
        c = rows[0].cells
        unit, name = c.get("单位", ""), c.get("指标名称", "")
        v20 = parse_indicator_value(c.get("2020年", ""))
        cap = parse_indicator_cap(c.get("2025年", ""))
        v25 = parse_indicator_value(c.get("2025年", "")) or cap
        if v20 is None or v25 is None:
            return []
        bound = "上限" if cap is not None else ""
        found: list[tuple[int, tuple[str, str, Decimal | None, dict]]] = []
        ratio_words = ("百分之几", "百分之多少", "几成", "几倍")
        asks_ratio = bool(RATIO_PERCENT.search(q.norm)) or q.has(*ratio_words)
        if asks_ratio:
            ratio = v25 / v20
            shown = f"{fmt(ratio, 4)}倍" if q.has("几倍") else f"{fmt(ratio * 100, 2)}%"
            found.append((_first(q.norm, (*ratio_words, "比例", "比重", "百分比")), (
                f"表1“{name}”2025年{bound}{fmt(v25)}{unit}是2020年{fmt(v20)}{unit}的{shown}",
                f"{fmt(v25)} ÷ {fmt(v20)} = {fmt(ratio, 6)}", decimal_value(ratio if q.has("几倍") else ratio * 100, 6), {"ratio": str(ratio)})))
        change_words = ("减少多少", "增加多少", "下降多少", "增长多少", "变化多少", "减少了多少", "增加了多少")
        # the change asked however it is said: '减少多少', '能增加几个', '多出几个'
        change = CHANGE_ASKED.search(q.norm)
        if (not asks_ratio or difference_clause(q)) and (asks_difference(q) or q.has(*change_words) or change):
            diff = v25 - v20
            more = "多" if diff >= 0 else "少"
            found.append((min(_first(q.norm, (*DIFFERENCE_WORDS, *change_words, "多", "少")), change.start() if change else len(q.norm)), (
                f"表1“{name}”2025年{bound}{fmt(v25)}{unit}比2020年{fmt(v20)}{unit}{more}{fmt(abs(diff))}{unit}",
                f"{fmt(v25)} − {fmt(v20)} = {fmt(diff)}{unit}", decimal_value(abs(diff)), {"difference": str(diff)})))
        return [f for _, f in sorted(found, key=lambda x: x[0])]

    @staticmethod
    def _stated_sum(q: Question, ctx: RuleContext, rows: list, asked: list[str]) -> tuple[str, str, Decimal | None, list[Understood], dict, list[str]] | None:
        """'已设的和拟设的采矿权一共几个，是采矿权总数上限的几成': figures one sentence of the plan states, added, and
        their share of the one 表1 indicator named (its 2025 bound or its 2020 value, as asked)."""
        parts = sum_parts(q)
        share = SHARE_ASKED.search(q.norm)
        if not parts and share:
            # one stated figure over the indicator: '已设采矿权占采矿权总数2020年的比例'
            parts = [re.split(r"[，,。？?；;]", q.norm[: share.start()])[-1]]
        bound = stated_sum(ctx, parts, docs=[doc_of(ctx, INDICATORS)], least=1 if share else 2, question=q.norm)
        if bound is None:
            return None
        found, chosen, total, unit = bound
        used = [Understood(words=p, value=a.forms[0].raw, category=f"原文“{a.label}”") for p, a in zip(parts, chosen, strict=True)]
        sentence = "，".join(f"{a.label}{a.forms[0].raw}" for a in chosen) + f"，合计{fmt(total)}{unit}"
        formula = " + ".join(fmt(a.forms[0].value) for a in chosen) + f" = {fmt(total)}{unit}"
        value: Fraction | None = total
        more: dict[str, object] = {"sum": str(total)}
        if len(chosen) == 1:
            sentence, formula = f"{chosen[0].label}{chosen[0].forms[0].raw}", f"{fmt(total)}{unit}"
        if share and len(rows) == 1 and rows[0].cells.get("单位") == unit:
            cells = rows[0].cells
            name = cells.get("指标名称", "")
            bases = {"2025年": parse_indicator_cap(cells.get("2025年", "")) or parse_indicator_value(cells.get("2025年", "")),
                     "2020年": parse_indicator_value(cells.get("2020年", ""))}
            cols = [col for col in (asked or list(bases)) if bases.get(col)]
            if len(cols) == 1:
                col = cols[0]
                base = bases[col]
                assert base is not None
                ratio = total / base
                tenths = "几成" in share.group(0)
                shown = f"{fmt(ratio * 10, 2)}成（{fmt(ratio * 100, 2)}%）" if tenths else f"{fmt(ratio * 100, 2)}%"
                sentence += f"，占表1“{name}”{col}{'上限' if col == '2025年' and '以内' in cells.get(col, '') else ''}{fmt(base)}{unit}的{shown}"
                formula += f"；{fmt(total)} ÷ {fmt(base)} = {fmt(ratio, 4)}"
                value = ratio * 10 if tenths else ratio * 100
                used.append(Understood(words=name, value=f"{fmt(base)}{unit}", category=f"表1的{col}栏（原文“{cells.get(col)}”）"))
                more.update(share=str(ratio), base=str(base), column=col)
            else:
                # which column the share is of is not said and both are figures: every reading, no single number
                readings = "；".join(f"占{col}{fmt(bases[col] or 1)}{unit}的{fmt(total / (bases[col] or 1) * 100, 2)}%" for col in cols)
                sentence += f"；问题没有说比的是哪一年的“{name}”：{readings}"
                value = None
        return sentence, formula, decimal_value(value) if value is not None else None, used, more, [found.unit_id]


    @staticmethod
    def _apply_rate(q: Question, rows: list) -> tuple[str, str, Decimal | None, list[Understood], dict] | None:
        """A 表1 target rate (%) applied to the one base figure the question states: '…下降率16%' × 80 -> 67.2."""
        rated = [r for r in rows if r.cells.get("单位") == "%" and parse_indicator_value(r.cells.get("2025年", "")) is not None]
        if len(rated) != 1:
            return None
        row = rated[0]
        rate = parse_indicator_value(row.cells["2025年"])
        assert rate is not None
        # the base is a quantity the question states in a unit ('100平方米/万元', '25座'): a number of no unit, such as the
        # 1 of '表1', is none, nor is the rate itself said again
        bases = [f for f in q.figures if f.unit != "%" and f.value != rate]
        if len(bases) != 1:
            return None
        figure = bases[0]
        base, unit = figure.value, figure.unit
        name = row.cells.get("指标名称", "")
        part = base * rate / 100
        understood = [
            Understood(words=figure.raw, value=f"{fmt(base)}{unit}", category="问题给出的基数"),
            Understood(words=name, value=f"{fmt(rate)}%", category=f"表1“{name}”2025年目标（{row.cells.get('指标属性')}指标）"),
        ]
        if "下降" in name or "减少" in name:
            after = base - part
            sentence = f"按表1“{name}”2025年目标{fmt(rate)}%：{fmt(base)}{unit} × (1 − {fmt(rate)}%) = {fmt(after)}{unit}，即下降{fmt(part)}{unit}"
            formula = f"目标值 = 基数 × (1 − 下降率) = {fmt(base)} × (1 − {fmt(rate)}%) = {fmt(after)}"
            return sentence, formula, decimal_value(after), understood, {"applied": str(after), "change": str(-part)}
        sentence = f"按表1“{name}”2025年目标{fmt(rate)}%：{fmt(base)}{unit} × {fmt(rate)}% = {fmt(part)}{unit}"
        return sentence, f"{fmt(base)} × {fmt(rate)}% = {fmt(part)}", decimal_value(part), understood, {"applied": str(part)}


HOOKS: list[Hook] = [BachuSupply(), BachuPeriod(), KashgarPeriod(), KashgarProjects(), KashgarIndicators()]
