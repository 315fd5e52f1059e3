"""Fines: occupying land by area and land category (第五十三条), destroying cultivated land by 耕地开垦费 multiples (第五十四条); forward and inverse."""
from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from fractions import Fraction

from qa.rules.base import FINE_WORDS, Hook, article, asks_general, cite, doc_of, doc_warnings, short
from qa.rules.extract import CATEGORY_LABELS, SQM_PER, Money, Quantity, Question
from qa.rules.facts import KEYS, Plot
from qa.rules.model import Computation, Reading, RuleContext, Understood, fmt, fmt_yuan_range
from qa.rules.thresholds import said_inexactly

OCCUPY_WORDS = (
    "非法占用", "违法占用", "擅自占用", "未经批准占用", "未批先占", "未批先建", "占用", "占地", "侵占", "违法用地", "非法用地", "占了", "占着",
    "圈地", "圈了", "圈占", "强占", "私占", "乱占",
)
DESTROY_WORDS = ("破坏", "建窑", "建坟", "挖砂", "采石", "采矿", "取土", "种植条件", "开垦费")
AREA_ASKED = ("多少平方米", "多少平米", "多少亩", "多少公顷", "多大面积", "面积多大", "多大", "占了多少", "占多少", "多少面积", "面积是多少", "面积在")
MAX_READINGS = 9  # combinations of undecided plots listed one by one; beyond that, per plot only


@dataclass(frozen=True)
class FineTier:
    key: str
    category: str
    lo_id: str
    hi_id: str


OCCUPY_TIERS = {
    "pbf": FineTier("x1", "永久基本农田", "xj.a53.x1.rate_min", "xj.a53.x1.rate_max"),
    "other_cultivated": FineTier("x2", "永久基本农田以外的耕地", "xj.a53.x2.rate_min", "xj.a53.x2.rate_max"),
    "other_land": FineTier("x3", "其他土地", "xj.a53.x3.rate_min", "xj.a53.x3.rate_max"),
}
DESTROY_TIERS = {
    "pbf": FineTier("x1", "永久基本农田", "xj.a54.x1.multiple_min", "xj.a54.x1.multiple_max"),
    "other_cultivated": FineTier("x2", "永久基本农田以外的耕地", "xj.a54.x2.multiple_min", "xj.a54.x2.multiple_max"),
}
# an unqualified category key of the question's words -> the tiers it may mean
OCCUPY_CANDIDATES = {
    "pbf": ["pbf"], "other_cultivated": ["other_cultivated"], "other_land": ["other_land"],
    "cultivated": ["pbf", "other_cultivated"], "agricultural": ["pbf", "other_cultivated", "other_land"],
    "not_pbf": ["other_cultivated", "other_land"],
}


def _standards(ctx: RuleContext, tiers: list[FineTier], line: str) -> tuple[list[str], list[str]]:
    """Each tier's standard in the words of `line` (its category, lower and upper bound, basis), and the parameter ids
    they rest on."""
    p = ctx.params
    lines = [line.format(category=t.category, lo=fmt(p.num(t.lo_id)), hi=fmt(p.num(t.hi_id)), basis=short(ctx, t.lo_id)) for t in tiers]
    return lines, [pid for t in tiers for pid in (t.lo_id, t.hi_id)]


def area_text(area: Quantity) -> str:
    if area.low is not None:
        said = f"{fmt(area.low)}{area.unit}至{fmt(area.value)}{area.unit}"
        return said if area.unit == "平方米" else f"{said}（{fmt(area.low_sqm, 2)}平方米至{fmt(area.sqm, 2)}平方米）"
    if area.unit == "平方米":
        return f"{fmt(area.value)}平方米"
    return f"{fmt(area.value)}{area.unit}（{fmt(area.sqm, 2)}平方米）"


def _candidates(plot: Plot) -> list[str]:
    if plot.category is None:
        return list(KEYS)
    return [k for k in KEYS if k in plot.category.keys]


def _category_text(plot: Plot) -> str:
    if plot.category is None:
        return "地类未说明"
    if plot.category.conflict:
        return f"地类说法相互矛盾（{plot.category.reasoning()}）"
    return f"{plot.category.label}（{plot.category.reasoning()}）"


@dataclass(frozen=True)
class _Range:
    label: str
    lo: Fraction
    hi: Fraction


def _reading_ranges(plots: list[Plot], per_plot: list[list[tuple[str, Fraction, Fraction]]]) -> list[_Range]:
    """The total range under every combination of the undecided plots' categories."""
    out = []
    for combo in itertools.islice(itertools.product(*per_plot), MAX_READINGS):
        names = "、".join(OCCUPY_TIERS[k].category for k, _, _ in combo)
        out.append(_Range(f"若为{names}", sum((c[1] for c in combo), Fraction(0)), sum((c[2] for c in combo), Fraction(0))))
    return out


def _stated_fine(q: Question) -> Money | None:
    """A fine the question says was imposed ('罚了700万元'), to check against the article's range."""
    found = [m for m in q.money if m.per is None and re.search(r"罚了|罚款|处罚了|罚金|被罚", q.norm[max(0, m.start - 6): m.start])]
    return found[0] if len(found) == 1 else None


def _within(fine: Fraction, label: str, lo: Fraction, hi: Fraction) -> str:
    head = f"{label}，" if label else ""
    if fine < lo:
        return f"{head}所说罚款{fmt_yuan_range(fine, fine)}低于法定下限{fmt_yuan_range(lo, lo)}"
    if fine > hi:
        return f"{head}所说罚款{fmt_yuan_range(fine, fine)}超出法定上限{fmt_yuan_range(hi, hi)}"
    return f"{head}所说罚款{fmt_yuan_range(fine, fine)}在法定幅度内"


def _acts(plots: list[Plot]) -> list[str | None]:
    """What was done to each plot by its own words (occupied, destroyed, both), a plot without such words
    continuing the list before it ('挖砂破坏永久基本农田1亩、一般耕地2亩'); None when nothing says."""
    out: list[str | None] = []
    last: str | None = None
    for plot in plots:
        destroyed, occupied = "destroyed" in plot.roles, "occupied" in plot.roles
        act = "both" if destroyed and occupied else "destroyed" if destroyed else "occupied" if occupied else last
        out.append(act)
        last = act
    return out


def _own_plots(plots: list[Plot], act: str, warnings: list[str], other: str) -> list[Plot]:
    """When the question says some plots were occupied and others destroyed, each article prices its own."""
    acts = _acts(plots)
    if not ("occupied" in acts and "destroyed" in acts):
        return plots
    left = [p for p, a in zip(plots, acts, strict=True) if a not in (act, "both", None)]
    for p in left:
        warnings.append(f"「{p.words}」按问题所说属于{other}，不计入本条。")
    return [p for p in plots if p not in left]


def _exact_money(x: Fraction) -> bool:
    return (x * 100).denominator == 1


class OccupationFine(Hook):
    """第五十三条: fine per square metre by land category, times the area of each plot."""

    name = "xj.a53.occupation_fine"

    def applies(self, q: Question, ctx: RuleContext) -> bool:
        # the act is said in the question's words, or in a plot's own: land built on or fenced in ('把半亩基本农田圈进去盖了羊圈')
        built_on = any(pl.area is not None and "occupied" in pl.roles and "destroyed" not in pl.roles for pl in q.facts.plots)
        return q.has(*FINE_WORDS) and (q.has(*OCCUPY_WORDS) or built_on)

    def title(self, ctx: RuleContext) -> str:
        return f"非法占用土地罚款（{article(ctx, 'xj.a53.x1.rate_min')}）"

    def compute(self, q: Question, ctx: RuleContext) -> list[Computation]:
        p = ctx.params
        doc = doc_of(ctx, "xj.a53.x1.rate_min")
        warnings = doc_warnings(q, doc, ctx)
        warnings.append("第五十三条只定罚款幅度，具体数额由执法机关在幅度内裁量；适用前提是" + p.text("xj.a53.scope") + "。")
        case = q.facts
        plots = _own_plots([pl for pl in case.plots if pl.area is not None], "occupied", warnings, "破坏耕地（第五十四条）")
        if not plots:
            inverse = self._inverse(q, ctx, warnings)
            return [inverse] if inverse else [self._table(q, ctx, warnings)]
        understood: list[Understood] = []
        missing: list[str] = []
        formulas: list[str] = []
        used: list[str] = []
        per_plot: list[list[tuple[str, Fraction, Fraction]]] = []  # for each plot: (key, lo, hi) per candidate
        for index, plot in enumerate(plots, start=1):
            assert plot.area is not None
            cands = _candidates(plot)
            if len(cands) != 1 and "land_category" not in missing:
                missing.append("land_category")
            options = []
            for key in cands:
                tier = OCCUPY_TIERS[key]
                # an approximate area ('4到5亩'): the least fine at its low end, the most at its high end
                lo, hi = p.num(tier.lo_id) * plot.area.low_sqm, p.num(tier.hi_id) * plot.area.sqm
                used += [tier.lo_id, tier.hi_id]
                options.append((key, lo, hi))
                if plot.area.low is None:
                    formulas.append(
                        f"{fmt(plot.area.sqm, 2)}平方米 × 每平方米{fmt(p.num(tier.lo_id))}元至{fmt(p.num(tier.hi_id))}元"
                        f"（{short(ctx, tier.lo_id)}，占用{tier.category}）= {fmt(lo, 2)}元至{fmt(hi, 2)}元"
                    )
                else:
                    formulas.append(
                        f"最少{fmt(plot.area.low_sqm, 2)}平方米 × 每平方米{fmt(p.num(tier.lo_id))}元 = {fmt(lo, 2)}元，"
                        f"最多{fmt(plot.area.sqm, 2)}平方米 × 每平方米{fmt(p.num(tier.hi_id))}元 = {fmt(hi, 2)}元"
                        f"（{short(ctx, tier.lo_id)}，占用{tier.category}）"
                    )
            per_plot.append(options)
            basis = "；".join(
                f"{'若为' + OCCUPY_TIERS[k].category + '：' if len(cands) > 1 else ''}{short(ctx, OCCUPY_TIERS[k].lo_id)}，每平方米"
                f"{fmt(p.num(OCCUPY_TIERS[k].lo_id))}元以上{fmt(p.num(OCCUPY_TIERS[k].hi_id))}元以下"
                for k in cands
            ) or "无法确定适用哪一项"
            understood.append(Understood(
                words=plot.words, value=area_text(plot.area), category=_category_text(plot) + (f"（{plot.via}）" if plot.via else ""), basis=basis,
            ))
            if plot.category is None and len(plots) > 1:
                warnings.append(f"地块{index}（「{plot.words}」）没有说明地类，下面按可能的地类分别列出。")
            elif plot.category is not None and len(cands) > 1:
                warnings.append(
                    f"「{plot.words}」只说了{plot.category.words}，没有说明是否为永久基本农田"
                    + ("或其他土地" if "other_land" in cands else "")
                    + "：第五十三条对各地类规定了不同标准，下面分别列出，请确认地类。"
                )
        unbound = case.unbound_of("plot", "fee")
        if unbound and "unbound_facts" not in missing:
            missing.append("unbound_facts")
            warnings.append("问题中有说法没能对应到具体地块（见「未能对应」），合计可能不完整，请补充说明。")
        if any(not options for options in per_plot):
            missing.append("land_category")
        details: dict = {}
        readings: list[Reading] = []
        title = self.title(ctx)
        definite = all(len(o) == 1 for o in per_plot) and not unbound
        total_lo = total_hi = Fraction(0)
        if definite:
            total_lo = sum((o[0][1] for o in per_plot), Fraction(0))
            total_hi = sum((o[0][2] for o in per_plot), Fraction(0))
            if len(plots) == 1:
                result = f"罚款{fmt_yuan_range(total_lo, total_hi)}"
            else:
                lines = [
                    f"占用{OCCUPY_TIERS[o[0][0]].category}{area_text(pl.area)}：{fmt_yuan_range(o[0][1], o[0][2])}"
                    for pl, o in zip(plots, per_plot, strict=True) if pl.area
                ]
                result = f"罚款合计{fmt_yuan_range(total_lo, total_hi)}（" + "；".join(lines) + "）"
            details = {"min_yuan": str(total_lo), "max_yuan": str(total_hi)}
            if not (_exact_money(total_lo) and _exact_money(total_hi)):
                warnings.append("面积换算成平方米后不是整数，金额已四舍五入：元到分，万元到两位小数（1亩 = 10000/15平方米）。")
        else:
            readings = self._readings(plots, per_plot)
            if len(plots) == 1:
                result = "地类未确定，按可能的地类分别计算：" + "；".join(f"{r.label}：{r.result}" for r in readings)
            elif all(len(o) == 1 for o in per_plot):
                result = "问题中有说法没能对应到具体地块，不给出合计，按各地块分别列出：" + "；".join(f"{r.label}：{r.result}" for r in readings)
            else:
                result = "地类未全部确定，不给出合计，按各地块可能的地类列出：" + "；".join(f"{r.label}：{r.result}" for r in readings)
        result = _as_said(q, plots, result, warnings)
        stated = _stated_fine(q)
        if stated is not None:
            understood.append(Understood(words=stated.raw, value=f"{fmt(stated.yuan, 2)}元", category="问题所说的罚款"))
            ranges = [(r.label, r.lo, r.hi) for r in _reading_ranges(plots, per_plot)] if not definite else [("", total_lo, total_hi)]
            result += "；" + "；".join(_within(stated.yuan, label, lo, hi) for label, lo, hi in ranges)
        formula = "罚款 = 占用面积（平方米）× 每平方米罚款标准：" + "；".join(formulas)
        inputs = {u.words: f"{u.value}，{u.category}" for u in understood}
        return [Computation(
            rule=self.name, title=title, result=result, value=None, formula=formula, inputs=inputs,
            citation_ids=cite(ctx, *used), warnings=warnings, missing=missing, details=details,
            understood=understood, unbound=unbound, readings=readings,
        )]

    @staticmethod
    def _readings(plots: list[Plot], per_plot: list[list[tuple[str, Fraction, Fraction]]]) -> list[Reading]:
        """Every combination of the undecided plots' categories with its total (or each plot's options)."""
        # combinations only of plots with more than one reading; otherwise (facts left unbound) each plot on its own
        combos = list(itertools.product(*per_plot)) if all(per_plot) and any(len(o) > 1 for o in per_plot) else []
        if len(plots) == 1:
            return [Reading(label=f"若为{OCCUPY_TIERS[k].category}", result=fmt_yuan_range(lo, hi)) for k, lo, hi in per_plot[0]]
        if combos and len(combos) <= MAX_READINGS:
            out = []
            for combo in combos:
                label = "、".join(
                    f"地块{i}为{OCCUPY_TIERS[k].category}" for i, ((k, _, _), opts) in enumerate(zip(combo, per_plot, strict=True), start=1) if len(opts) > 1
                )
                lo = sum((c[1] for c in combo), Fraction(0))
                hi = sum((c[2] for c in combo), Fraction(0))
                out.append(Reading(label=f"若{label}", result=f"合计{fmt_yuan_range(lo, hi)}"))
            return out
        out = []
        for i, (plot, options) in enumerate(zip(plots, per_plot, strict=True), start=1):
            for k, lo, hi in options:
                out.append(Reading(label=f"地块{i}（{plot.words}）若为{OCCUPY_TIERS[k].category}", result=fmt_yuan_range(lo, hi)))
        return out

    def _table(self, q: Question, ctx: RuleContext, warnings: list[str]) -> Computation:
        """No area: the rates are the answer to a question about the standard; otherwise ask for the area."""
        general = asks_general(q)
        keys = [k for c in q.categories for k in OCCUPY_CANDIDATES.get(c.key, [])]
        keys = list(dict.fromkeys(keys)) or list(OCCUPY_TIERS)
        missing = [] if general else ["area"]
        if not general and (not q.categories or len(keys) > 1):
            missing.append("land_category")
        lines, used = _standards(ctx, [OCCUPY_TIERS[k] for k in keys], "占用{category}：每平方米{lo}元以上{hi}元以下（{basis}）")
        if general:
            result = "罚款按占用面积乘以每平方米标准计算：" + "；".join(lines)
        else:
            result = "请提供非法占用的面积" + ("和地类（永久基本农田、永久基本农田以外的耕地或其他土地）" if "land_category" in missing else "") + \
                "，罚款按面积乘以下列每平方米标准计算：" + "；".join(lines)
        understood = [Understood(words=c.raw, category=CATEGORY_LABELS[c.key]) for c in q.categories if c.key in OCCUPY_CANDIDATES]
        return Computation(
            rule=self.name, title=self.title(ctx), result=result, formula="罚款 = 占用面积（平方米）× 每平方米罚款标准",
            citation_ids=cite(ctx, *used), warnings=warnings, missing=missing, understood=understood, unbound=q.facts.unbound_of("plot", "fee"),
        )

    def _inverse(self, q: Question, ctx: RuleContext, warnings: list[str]) -> Computation | None:
        """A stated fine and an asked area: the areas that fine allows, from the same rates (area = fine ÷ rate)."""
        fines = [m for m in q.money if m.per is None and re.search(r"罚|罚款", q.norm[max(0, m.start - 8): m.end + 4])]
        if len(fines) != 1 or not q.has(*AREA_ASKED):
            return None
        fine = fines[0]
        p = ctx.params
        keys = [k for c in q.categories for k in OCCUPY_CANDIDATES.get(c.key, [])]
        keys = list(dict.fromkeys(keys)) or list(OCCUPY_TIERS)
        readings, used, formulas = [], [], []
        for key in keys:
            tier = OCCUPY_TIERS[key]
            lo_rate, hi_rate = p.num(tier.lo_id), p.num(tier.hi_id)
            least, most = fine.yuan / hi_rate, fine.yuan / lo_rate
            used += [tier.lo_id, tier.hi_id]
            readings.append(Reading(
                label=f"占用{tier.category}",
                result=f"{fmt(least, 2)}平方米至{fmt(most, 2)}平方米（{fmt(least / SQM_PER['亩'], 2)}亩至{fmt(most / SQM_PER['亩'], 2)}亩）",
            ))
            formulas.append(
                f"{fmt(fine.yuan, 2)}元 ÷ 每平方米{fmt(hi_rate)}元 = {fmt(least, 2)}平方米；"
                f"{fmt(fine.yuan, 2)}元 ÷ 每平方米{fmt(lo_rate)}元 = {fmt(most, 2)}平方米（{short(ctx, tier.lo_id)}）"
            )
        missing = ["land_category"] if len(keys) > 1 else []
        head = f"罚款{fmt(fine.yuan / 10000, 6)}万元，按第五十三条的每平方米标准倒推，占用面积在"
        result = head + ("；".join(f"{r.label}：{r.result}" for r in readings) if len(readings) > 1 else readings[0].result)
        warnings.append("倒推只说明该罚款金额落在第五十三条幅度内时对应的面积范围；实际罚款由执法机关在幅度内裁量，不能据此确定实际面积。")
        understood = [Understood(words=fine.raw, value=f"{fmt(fine.yuan, 2)}元", category="罚款金额")]
        understood += [Understood(words=c.raw, category=CATEGORY_LABELS[c.key]) for c in q.categories if c.key in OCCUPY_CANDIDATES]
        return Computation(
            rule=self.name, title=self.title(ctx), result=result, formula="面积 = 罚款 ÷ 每平方米罚款标准：" + "；".join(formulas),
            citation_ids=cite(ctx, *used), warnings=warnings, missing=missing, understood=understood,
            readings=readings if len(readings) > 1 else [], unbound=q.facts.unbound_of("plot", "fee"),
            details={
                "fine_yuan": str(fine.yuan),
                "areas_sqm": {k: [str(fine.yuan / p.num(OCCUPY_TIERS[k].hi_id)), str(fine.yuan / p.num(OCCUPY_TIERS[k].lo_id))] for k in keys},
            },
        )


class DestructionFine(Hook):
    """第五十四条: fine as a multiple of the 耕地开垦费 of each destroyed plot."""

    name = "xj.a54.destruction_fine"

    def applies(self, q: Question, ctx: RuleContext) -> bool:
        return q.has(*FINE_WORDS) and q.hits(*DESTROY_WORDS) > 0

    def compute(self, q: Question, ctx: RuleContext) -> list[Computation]:
        p = ctx.params
        doc = doc_of(ctx, "xj.a54.x1.multiple_min")
        title = f"破坏耕地罚款（{article(ctx, 'xj.a54.x1.multiple_min')}）"
        warnings = doc_warnings(q, doc, ctx)
        warnings.append("第五十四条只定罚款幅度（耕地开垦费的倍数），具体数额由执法机关在幅度内裁量；适用情形：" + p.text("xj.a54.scope") + "。")
        keys = {k for c in q.categories for k in OCCUPY_CANDIDATES.get(c.key, [])}
        if keys and not keys & set(DESTROY_TIERS):
            # every land the question names is known not to be 耕地 ("破坏了3亩园地"): 第五十四条 fines no such
            # destruction, and the texts set no other multiple; the answer says so rather than asking for a fee
            return []
        case = q.facts
        plots = _own_plots([pl for pl in case.plots if pl.fee is not None or pl.area is not None], "destroyed", warnings, "占用土地（第五十三条）")
        if not any(pl.fee is not None for pl in plots):
            return [self._without_fee(q, ctx, warnings, title, plots)]
        missing: list[str] = []
        understood: list[Understood] = []
        formulas: list[str] = []
        used: list[str] = []
        per_plot: list[list[tuple[str, Fraction, Fraction]]] = []
        for plot in plots:
            cands = [k for k in _candidates(plot) if k in DESTROY_TIERS]
            if plot.category is not None and not cands:
                warnings.append(f"「{plot.words}」：第五十四条只适用于破坏耕地（永久基本农田和永久基本农田以外的耕地）；问题所说的地类不是耕地，本条不适用。")
            if len(cands) != 1 and "land_category" not in missing:
                missing.append("land_category")
            if plot.fee is None:
                missing.append("cultivation_fee")
            elif plot.fee.yuan is None:
                missing.append("area")
            options = []
            for key in cands:
                tier = DESTROY_TIERS[key]
                used += [tier.lo_id, tier.hi_id]
                if plot.fee is None or plot.fee.yuan is None:
                    continue
                lo_m, hi_m = p.num(tier.lo_id), p.num(tier.hi_id)
                least = plot.fee.least or plot.fee.yuan  # a fee over an approximate area: the least multiple of its low end
                lo, hi = least * lo_m, plot.fee.yuan * hi_m
                options.append((key, lo, hi))
                fee_said = fmt(plot.fee.yuan, 2) if least == plot.fee.yuan else f"{fmt(least, 2)}元至{fmt(plot.fee.yuan, 2)}"
                formulas.append(
                    f"{fee_said}元 × {fmt(lo_m)}至{fmt(hi_m)}倍（{short(ctx, tier.lo_id)}，破坏{tier.category}）= {fmt(lo, 2)}元至{fmt(hi, 2)}元"
                )
            per_plot.append(options)
            fee_text = f"耕地开垦费{plot.fee.text}" + ("（对各块都适用）" if plot.fee.shared else "") if plot.fee else "耕地开垦费未说明"
            value = "；".join(x for x in (area_text(plot.area) if plot.area else "", fee_text) if x)
            basis = "；".join(
                f"{'若为' + DESTROY_TIERS[k].category + '：' if len(cands) > 1 else ''}{short(ctx, DESTROY_TIERS[k].lo_id)}，耕地开垦费的"
                f"{fmt(p.num(DESTROY_TIERS[k].lo_id))}倍以上{fmt(p.num(DESTROY_TIERS[k].hi_id))}倍以下" for k in cands
            ) or "第五十四条不适用"
            understood.append(Understood(words=plot.words, value=value, category=_category_text(plot) + (f"（{plot.via}）" if plot.via else ""), basis=basis))
        unbound = case.unbound_of("plot", "fee")
        if unbound and "unbound_facts" not in missing:
            missing.append("unbound_facts")
        missing = list(dict.fromkeys(missing))
        details: dict = {}
        readings: list[Reading] = []
        inputs = {u.words: f"{u.value}，{u.category}" for u in understood}
        if len(plots) == 1 and plots[0].fee is not None:
            inputs["耕地开垦费"] = plots[0].fee.text
        if not missing and all(len(o) == 1 for o in per_plot):
            lo = sum((o[0][1] for o in per_plot), Fraction(0))
            hi = sum((o[0][2] for o in per_plot), Fraction(0))
            if len(plots) == 1:
                result = f"罚款{fmt_yuan_range(lo, hi)}"
            else:
                result = f"罚款合计{fmt_yuan_range(lo, hi)}（" + "；".join(
                    f"破坏{DESTROY_TIERS[o[0][0]].category}（{pl.words}）：{fmt_yuan_range(o[0][1], o[0][2])}" for pl, o in zip(plots, per_plot, strict=True)
                ) + "）"
            details = {"min_yuan": str(lo), "max_yuan": str(hi)}
        elif missing == ["land_category"] and all(per_plot):
            readings = OccupationFine._readings(plots, per_plot)
            readings = [Reading(label=r.label, result=r.result) for r in readings]
            result = "地类未确定，按可能的地类分别计算：" + "；".join(f"{r.label}：{r.result}" for r in readings)
        else:
            asks = {"cultivation_fee": "各地块的耕地开垦费金额（或每平方米/每亩标准和面积）", "area": "破坏的面积（已给出每单位面积的耕地开垦费）",
                    "land_category": "地类（永久基本农田或永久基本农田以外的耕地）", "unbound_facts": "没能对应到地块的说法（见「未能对应」）"}
            result = "请提供" + "、".join(asks[m] for m in missing if m in asks) + "。罚款标准：" + "；".join(
                f"破坏{t.category}：耕地开垦费的{fmt(p.num(t.lo_id))}倍以上{fmt(p.num(t.hi_id))}倍以下（{short(ctx, t.lo_id)}）" for t in DESTROY_TIERS.values()
            )
            used += [pid for t in DESTROY_TIERS.values() for pid in (t.lo_id, t.hi_id)]
        result = _as_said(q, plots, result, warnings)
        formula = "罚款 = 耕地开垦费 × 倍数" + ("：" + "；".join(formulas) if formulas else "")
        return [Computation(
            rule=self.name, title=title, result=result, value=None, formula=formula, inputs=inputs, citation_ids=cite(ctx, *used),
            warnings=warnings, missing=missing, details=details, understood=understood, unbound=unbound, readings=readings,
        )]

    def _without_fee(self, q: Question, ctx: RuleContext, warnings: list[str], title: str, plots: list[Plot]) -> Computation:
        """No fee stated: the multiples for the land category said, and a question back for the fee."""
        keys = {k for c in q.categories for k in OCCUPY_CANDIDATES.get(c.key, [])}
        cands = [k for k in DESTROY_TIERS if k in keys] or list(DESTROY_TIERS)
        general = asks_general(q)
        unbound = q.facts.unbound_of("plot", "fee")
        missing = [] if general and not unbound else ["cultivation_fee"]
        if len(cands) > 1 and keys and not general:
            missing.append("land_category")
        if unbound:
            missing.append("unbound_facts")
        lines, used = _standards(ctx, [DESTROY_TIERS[k] for k in cands], "破坏{category}：耕地开垦费的{lo}倍以上{hi}倍以下（{basis}）")
        if general and not unbound:
            result = "罚款按耕地开垦费的倍数计算：" + "；".join(lines)
        elif unbound:
            result = "问题给出的耕地开垦费没能对应到具体地块（见「未能对应」），请分别说明每块地的开垦费。罚款标准：" + "；".join(lines)
        else:
            result = "请提供耕地开垦费金额（或每平方米/每亩标准和面积）。罚款标准：" + "；".join(lines)
        understood = [Understood(words=pl.words, value=area_text(pl.area) if pl.area else "", category=_category_text(pl)) for pl in plots]
        return Computation(
            rule=self.name, title=title, result=result, formula="罚款 = 耕地开垦费 × 倍数", citation_ids=cite(ctx, *used),
            warnings=warnings, missing=missing, understood=understood, unbound=unbound,
        )


HOOKS: list[Hook] = [OccupationFine(), DestructionFine()]


INEXACT_NOTES = {
    "above": "实际面积大于所说数字：按所说数字算出的是最低数，罚款随实际面积增加",
    "below": "实际面积小于所说数字：按所说数字算出的是最高数，罚款随实际面积减少",
    "about": "面积是约数：罚款随实际面积按比例变化，请以实测面积计算",
}


def _as_said(q: Question, plots: list[Plot], result: str, warnings: list[str]) -> str:
    """A fine over an area the question gives as a bound or an estimate ("超过1亩", "2亩左右") is the fine for that
    figure, said as such: never a range presented as the answer for the real area. An area said as a range ("4到5亩")
    gives a fine from the least at its low end to the most at its high end, said to be so."""
    ranged = [pl.area for pl in plots if pl.area is not None and pl.area.low is not None]
    if ranged:
        said = "、".join(f"「{a.raw.strip()}」" for a in ranged)
        warnings.append(f"{said}是一个面积范围：最低数按范围的下限、最高数按范围的上限计算，实际罚款取决于实测面积。")
        result = "面积是一个范围（" + "、".join(area_text(a) for a in ranged) + "），按下限到上限计：" + result
    inexact = [(pl.area.raw.strip(), side) for pl in plots if pl.area is not None and pl.area.low is None and (side := said_inexactly(q.norm, pl.area.raw))]
    if not inexact:
        return result
    for raw, side in inexact:
        warnings.append(f"「{raw}」：{INEXACT_NOTES[side]}。")
    return "按所说的面积（" + "、".join(raw for raw, _ in inexact) + "）计：" + result + "（" + INEXACT_NOTES[inexact[0][1]] + "）"
