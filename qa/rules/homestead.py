"""Homestead area cap per household by per-capita cultivated land (第三十九条), with the overlapping boundaries shown."""
from __future__ import annotations

import re
from qa.rules.base import FINE_WORDS, Hook, asks_authority, asks_general, cite, doc_warnings
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


def _per_capita_all(q: Question) -> list[Quantity]:
    """Per-capita cultivated land figures: areas after 人均 in 公顷 or 亩 (not a house plot in 平方米 stated later)."""
    per = q.norm.find("人均")
    found: list[Quantity] = []
    for a in q.areas:
        tail = q.norm[a.end: a.end + 3]
        head = q.norm[max(0, a.start - 3): a.start]
        if re.match(r"\s*(/人|每人)", tail) or "每人" in head:
            found.append(a)
        elif per >= 0 and a.start > per and a.unit in ("公顷", "亩") and not re.search(r"(已|批了|现有|建了|占了|盖了)\S{0,4}$", q.norm[max(0, a.start - 8): a.start]):
            found.append(a)
    if not found and per >= 0:
        after = [a for a in q.areas if a.start > per]
        found = after[:1]
    return found


def _per_capita(q: Question) -> Quantity | None:
    found = _per_capita_all(q)
    return found[0] if found else None


class HomesteadCap(Hook):
    name = "xj.a39.homestead_cap"

    def applies(self, q: Question, ctx: RuleContext) -> bool:
        homestead = q.has("宅基地", "住宅用地", "宅院")
        if not homestead and not (q.has("建房", "盖房") and q.has("人均耕地", "人均")):
            return False
        if q.has(*FINE_WORDS) and not q.has("人均"):
            return False  # a fine for building on land is 第五十三条, not the area standard
        if q.has("申请", "公示") and not q.has("面积", "多大", "平方米", "平米", "人均", "标准", "上限"):
            return False  # the procedure is 第四十条
        if not (q.has("面积", "多大", "多少平", "几平", "标准", "上限", "不得超过", "最多", "人均耕地", "人均") or q.areas):
            return False
        return True

    def compute(self, q: Question, ctx: RuleContext) -> list[Computation]:
        p = ctx.params
        tiers = homestead_tiers(ctx)
        title = "农村村民宅基地面积标准（《新疆维吾尔自治区实施〈中华人民共和国土地管理法〉办法》第三十九条）"
        warnings = doc_warnings(q, DOC, ctx)
        table = "；".join(f"{t.text}：每户不得超过{fmt(p.num(t.outcome))}平方米（{t.label}）" for t in tiers)
        area = _per_capita(q)
        basis = p.get("xj.a39.k2.county_basis")
        if area is None and (asks_authority(q) or q.has("谁定", "谁可以定", "谁来定", "谁规定")):
            return [Computation(
                rule=self.name, title=title,
                result=f"县（市）人民政府可以在第三十九条第一款规定的标准内，具体规定各乡（镇）、村的农村村民宅基地标准（{basis.path}：“{basis.quote}”）。",
                formula="第三十九条第二款", citation_ids=cite(ctx, "xj.a39.k2.county_basis"), warnings=warnings,
                details={"authority": "县（市）人民政府"},
            )]
        warnings.append(f"{basis.path}：“{basis.quote}”——上限以县为单位核算，县（市）可在此标准内规定更严的乡（镇）、村标准。")
        if area is None:
            general = asks_general(q) or q.has("最小档", "最低档", "最高档", "分档", "各档")
            return [Computation(
                rule=self.name, title=title,
                result=("按人均耕地分档：" if general else "请提供本县人均耕地面积。按人均耕地分档：") + table,
                formula="按人均耕地（公顷/人）落入的档次确定每户住宅用地上限", citation_ids=cite(ctx, *[t.outcome for t in tiers]),
                warnings=warnings, missing=[] if general else ["per_capita_cultivated_land"],
            )]
        several = _per_capita_all(q)
        if len(several) >= 2:
            return [self._compare(ctx, title, warnings, tiers, several[:2])]
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
            result = f"人均耕地{shown}，每户住宅用地不得超过{fmt(cap)}平方米（{tier.label}）"
            details = {"cap_sqm": str(cap), "tier": tier.key}
            plot = [a for a in q.areas if a is not area and a.unit == "平方米"]
            if plot and q.has("还差", "还能", "还可以", "剩", "超出", "超过", "超了", "到顶", "多出"):
                used = plot[0].sqm
                inputs["已批（已建）面积"] = plot[0].raw
                if used <= cap:
                    result += f"；已用{fmt(used)}平方米，距上限还差{fmt(cap - used)}平方米"
                else:
                    result += f"；已用{fmt(used)}平方米，超出上限{fmt(used - cap)}平方米"
                details["remaining_sqm"] = str(cap - used)
            return [Computation(
                rule=self.name, title=title, result=result,
                value=decimal_value(cap), formula=formula, inputs=inputs, citation_ids=cite(ctx, tier.outcome, "xj.a39.k2.county_basis"),
                warnings=warnings, details=details,
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


    def _compare(self, ctx: RuleContext, title: str, warnings: list[str], tiers: list[Tier], areas: list[Quantity]) -> Computation:
        """Two per-capita figures ('从0.05公顷变成0.08公顷'): each cap and the difference, if both are definite."""
        p = ctx.params
        parts, caps, ids = [], [], []
        for a in areas:
            ha = a.to("公顷")
            cls = classify(ha, tiers)
            tier = cls.definite
            if tier is None:
                cands = cls.candidates
                parts.append(f"人均耕地{fmt(ha)}公顷处在分界上（" + "或".join(f"{fmt(p.num(t.outcome))}平方米" for t in cands) + "）")
                ids += [t.outcome for t in cands]
                caps.append(None)
            else:
                parts.append(f"人均耕地{fmt(ha)}公顷：不得超过{fmt(p.num(tier.outcome))}平方米（{tier.label}）")
                ids.append(tier.outcome)
                caps.append(p.num(tier.outcome))
        value = None
        result = "；".join(parts)
        if None not in caps:
            diff = caps[1] - caps[0]
            value = decimal_value(diff)
            result += f"；上限相差{fmt(diff)}平方米"
        else:
            warnings = warnings + ["有一个人均耕地数值恰好在两档分界上，条文两项都包含它，相差多少取决于适用哪一项。"]
        return Computation(
            rule=self.name, title=title, result=result, value=value, formula="分别对照第三十九条第一款各项后相减",
            inputs={"人均耕地": [a.raw for a in areas]}, citation_ids=cite(ctx, *ids, "xj.a39.k2.county_basis"),
            warnings=warnings, details={"caps_sqm": [str(c) if c is not None else None for c in caps]},
        )


HOOKS: list[Hook] = [HomesteadCap()]
