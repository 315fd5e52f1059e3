"""Homestead area cap per household by per-capita cultivated land (第三十九条), with the overlapping boundaries shown."""
from __future__ import annotations

import re
from fractions import Fraction

from qa.rules.base import Hook, cite, doc_warnings
from qa.rules.extract import Quantity, Question
from qa.rules.model import Computation, RuleContext, decimal_value, fmt
from qa.rules.thresholds import Bound, Tier, classify

DOC = "xj-measures"
TIER_KEYS = ("x1", "x2", "x3", "x4", "x5", "x6")


def homestead_tiers(ctx: RuleContext) -> list[Tier]:
    p = ctx.params
    tiers: list[Tier] = []
    for key in TIER_KEYS:
        lower = f"xj.a39.{key}.lower"
        upper = f"xj.a39.{key}.upper"
        lo = Bound.of(p.get(lower)) if lower in p.ids() else None
        hi = Bound.of(p.get(upper)) if upper in p.ids() else None
        cap = p.get(f"xj.a39.{key}.cap")
        printed = "人均耕地" + (f"{fmt(lo.value)}公顷{lo.words[0]}" if lo else "") + (f"{fmt(hi.value)}公顷{hi.words[0]}" if hi else "")
        tiers.append(Tier(key, cap.path, lo, hi, cap.id, cap.unit_id, printed))
    return tiers


def _per_capita(q: Question) -> Quantity | None:
    """The per-capita cultivated land: the area stated after 人均 (or the only small area given)."""
    per = q.norm.find("人均")
    if per >= 0:
        after = [a for a in q.areas if a.start > per]
        if after:
            return after[0]
    # an area per person written as '每人0.05公顷' / '0.05公顷/人'
    for a in q.areas:
        tail = q.norm[a.end: a.end + 3]
        head = q.norm[max(0, a.start - 3): a.start]
        if re.match(r"\s*(/人|每人)", tail) or "每人" in head:
            return a
    return None


class HomesteadCap(Hook):
    name = "xj.a39.homestead_cap"

    def applies(self, q: Question, ctx: RuleContext) -> int:
        if not q.has("宅基地", "住宅用地", "建房", "盖房", "宅院"):
            return 0
        if not (q.has("面积", "多大", "多少平", "标准", "上限", "不得超过", "最多", "人均耕地") or q.areas):
            return 0
        return 4 + (2 if q.has("人均耕地", "人均") else 0)

    def compute(self, q: Question, ctx: RuleContext) -> list[Computation]:
        p = ctx.params
        tiers = homestead_tiers(ctx)
        title = "农村村民宅基地面积标准（《新疆维吾尔自治区实施〈中华人民共和国土地管理法〉办法》第三十九条）"
        warnings = doc_warnings(q, DOC, ctx)
        warnings.append(f"第三十九条第二款：“{p.get('xj.a39.k2.county_basis').quote}”——上限以县为单位核算，县（市）可在此标准内规定更严的乡（镇）、村标准。")
        table = "；".join(f"{t.text}：每户不得超过{fmt(p.num(t.outcome))}平方米（{t.label}）" for t in tiers)
        area = _per_capita(q)
        if area is None:
            return [Computation(
                rule=self.name, title=title, result=f"请提供本县人均耕地面积。按人均耕地分档：{table}",
                formula="按人均耕地（公顷/人）落入的档次确定每户住宅用地上限", citation_ids=cite(ctx, *[t.outcome for t in tiers]),
                warnings=warnings, missing=["per_capita_cultivated_land"],
            )]
        ha = area.to("公顷")
        shown = f"{fmt(area.value)}{area.unit}" + ("" if area.unit == "公顷" else f"（{fmt(ha)}公顷）")
        if area.unit == "亩" and not (ha * 10000).denominator == 1:
            warnings.append(f"{fmt(area.value)}亩换算为{fmt(ha, 6)}公顷（1亩 = 1/15公顷），按精确值比较档次。")
        cls = classify(ha, tiers)
        inputs = {"人均耕地": shown}
        formula = f"人均耕地{fmt(ha, 6)}公顷 对照：{table}"
        tier = cls.definite
        if tier is not None:
            cap = p.num(tier.outcome)
            return [Computation(
                rule=self.name, title=title, result=f"人均耕地{shown}，每户住宅用地不得超过{fmt(cap)}平方米（{tier.label}）",
                value=decimal_value(cap), formula=formula, inputs=inputs, citation_ids=cite(ctx, tier.outcome, "xj.a39.k2.county_basis"),
                warnings=warnings, details={"cap_sqm": str(cap), "tier": tier.key},
            )]
        # the number sits on a boundary printed in two items: '0.04公顷以下' and '0.04公顷以上…'
        candidates = cls.candidates
        caps = [p.num(t.outcome) for t in candidates]
        lines = [f"按{t.label}（{t.text}）：不得超过{fmt(c)}平方米" for t, c in zip(candidates, caps)]
        warnings.append(
            f"人均耕地恰好{fmt(ha)}公顷：条文前一项写“{fmt(ha)}公顷以下”、后一项写“{fmt(ha)}公顷以上”，"
            "按法律用语惯例“以上、以下”都含本数，两项重叠，条文本身没有确定适用哪一项；请按县（市）的具体规定或向农业农村主管部门确认。"
        )
        return [Computation(
            rule=self.name, title=title,
            result=f"人均耕地{shown}恰好处在两档的分界上，条文两项都包含这个数：" + "；".join(lines),
            value=None, formula=formula, inputs=inputs, citation_ids=cite(ctx, *[t.outcome for t in candidates], "xj.a39.k2.county_basis"),
            warnings=warnings, details={"candidate_caps_sqm": [str(c) for c in caps]},
        )]


HOOKS: list[Hook] = [HomesteadCap()]
