"""Fines: illegal occupation of land by area and land category (第五十三条), destroying cultivated land by 耕地开垦费 multiples (第五十四条)."""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from qa.rules.base import FINE_WORDS, Hook, asks_general, cite, doc_warnings, short
from qa.rules.extract import CATEGORY_LABELS, SQM_PER, Money, Quantity, Question
from qa.rules.model import Computation, RuleContext, fmt, fmt_yuan_range

DOC = "xj-measures"

OCCUPY_WORDS = ("非法占用", "违法占用", "擅自占用", "未经批准占用", "未批先占", "未批先建", "占用", "占地", "侵占", "违法用地", "非法用地", "占了", "占着")
DESTROY_WORDS = ("破坏", "建窑", "建坟", "挖砂", "采石", "采矿", "取土", "种植条件", "开垦费")


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
# an unqualified category word -> the tiers it may mean
OCCUPY_CANDIDATES = {
    "pbf": ["pbf"], "other_cultivated": ["other_cultivated"], "other_land": ["other_land"],
    "cultivated": ["pbf", "other_cultivated"], "agricultural": ["pbf", "other_cultivated", "other_land"],
}


def _area_text(area: Quantity) -> str:
    if area.unit == "平方米":
        return f"{fmt(area.value)}平方米"
    return f"{fmt(area.value)}{area.unit}（{fmt(area.sqm, 2)}平方米）"


def _pair_areas(q: Question) -> list[tuple[Quantity, str | None, str | None]]:
    """Each stated area with its land category: (area, key, word).

    Staff write both "基本农田500平方米、其他土地2亩" (category first) and "500平方米基本农田和
    1000平方米一般耕地" (area first). The reading that gives every area its own category wins;
    category-first is preferred when both do, and a lone category applies to every area.
    """
    cats = [c for c in q.categories if c.key in OCCUPY_CANDIDATES]
    areas: list[Quantity] = []
    for area in q.areas:
        if any(a.sqm == area.sqm for a in areas):
            continue  # '3亩（2000平方米）' states one area twice
        areas.append(area)

    def reading(category_first: bool) -> list:
        chosen = []
        for area in areas:
            before = [c for c in cats if c.start < area.start]
            after = [c for c in cats if c.start > area.start]
            if category_first:
                chosen.append(before[-1] if before else None)
            else:
                chosen.append(after[0] if after else None)
        return chosen

    def complete(chosen: list) -> bool:
        return all(c is not None for c in chosen) and len({id(c) for c in chosen}) == len(chosen)

    first, last = reading(True), reading(False)
    if len(areas) > 1 and not complete(first) and complete(last):
        picked = last
    else:
        # One area, or neither reading is clean: nearest before, else nearest after.
        picked = [b if b is not None else a for b, a in zip(first, last)]
    return [(area, cat.key if cat else None, cat.raw if cat else None) for area, cat in zip(areas, picked)]


class OccupationFine(Hook):
    """第五十三条: fine per square metre by land category, times the area."""

    name = "xj.a53.occupation_fine"

    def applies(self, q: Question, ctx: RuleContext) -> int:
        if not (q.has(*FINE_WORDS) and q.has(*OCCUPY_WORDS)):
            return 0
        score = 3 + (1 if q.areas else 0) + (1 if q.categories else 0)
        if q.has("开垦费"):
            score -= 2  # a fee multiple points to 第五十四条
        return max(score, 1)

    def compute(self, q: Question, ctx: RuleContext) -> list[Computation]:
        p = ctx.params
        warnings = doc_warnings(q, DOC, ctx)
        warnings.append(
            "第五十三条只定罚款幅度，具体数额由执法机关在幅度内裁量；适用前提是" + p.text("xj.a53.scope") + "。"
        )
        pairs = _pair_areas(q)
        cat_keys = [k for k in q.category_keys() if k in OCCUPY_CANDIDATES]
        missing: list[str] = []
        inputs: dict[str, object] = {}
        lines: list[str] = []
        formulas: list[str] = []
        used_ids: list[str] = []
        total_lo = total_hi = Fraction(0)
        definite = True

        if not pairs:
            general = asks_general(q)  # '每平方米罚多少', '罚款标准': the rates are the answer
            if not general:
                missing.append("area")
            keys = [k for key in (cat_keys or []) for k in OCCUPY_CANDIDATES[key]] or list(OCCUPY_TIERS)
            keys = list(dict.fromkeys(keys))
            if not cat_keys and not general:
                missing.append("land_category")
            elif len(keys) > 1 and cat_keys and not general:
                missing.append("land_category")
            for key in keys:
                tier = OCCUPY_TIERS[key]
                used_ids += [tier.lo_id, tier.hi_id]
                lines.append(
                    f"占用{tier.category}：每平方米{fmt(p.num(tier.lo_id))}元以上{fmt(p.num(tier.hi_id))}元以下（{short(ctx, tier.lo_id)}）"
                )
            if general:
                result = "罚款按占用面积乘以每平方米标准计算：" + "；".join(lines)
            else:
                result = "请提供非法占用的面积" + ("和地类（永久基本农田、永久基本农田以外的耕地或其他土地）" if "land_category" in missing else "") + \
                    "，罚款按面积乘以下列每平方米标准计算：" + "；".join(lines)
            return [self._comp(result, None, "罚款 = 占用面积（平方米）× 每平方米罚款标准", inputs, cite(ctx, *used_ids), warnings, missing, {})]

        for index, (area, key, word) in enumerate(pairs, start=1):
            name = f"面积{index}" if len(pairs) > 1 else "面积"
            inputs[name] = _area_text(area)
            if key is None:
                candidates = list(OCCUPY_TIERS)
                if "land_category" not in missing:
                    missing.append("land_category")
            else:
                candidates = OCCUPY_CANDIDATES[key]
                inputs["地类" if len(pairs) == 1 else f"地类{index}"] = (
                    f"{CATEGORY_LABELS[key]}（问题中称“{word}”）" if word != CATEGORY_LABELS.get(key) else word
                )
                if len(candidates) > 1 and "land_category" not in missing:
                    missing.append("land_category")
                    warnings.append(
                        f"问题只说“{word}”，没有说明是否为永久基本农田：第五十三条对永久基本农田、永久基本农田以外的耕地"
                        + ("和其他土地" if "other_land" in candidates else "")
                        + "规定了不同标准，下面分别列出，请确认地类。"
                    )
            if len(candidates) > 1:
                definite = False
            for ckey in candidates:
                tier = OCCUPY_TIERS[ckey]
                lo, hi = p.num(tier.lo_id) * area.sqm, p.num(tier.hi_id) * area.sqm
                used_ids += [tier.lo_id, tier.hi_id]
                formulas.append(
                    f"{fmt(area.sqm, 2)}平方米 × 每平方米{fmt(p.num(tier.lo_id))}元至{fmt(p.num(tier.hi_id))}元"
                    f"（{short(ctx, tier.lo_id)}，占用{tier.category}）= {fmt(lo, 2)}元至{fmt(hi, 2)}元"
                )
                lines.append(f"若为{tier.category}：{fmt_yuan_range(lo, hi)}" if len(candidates) > 1 else f"占用{tier.category}{_area_text(area)}：{fmt_yuan_range(lo, hi)}")
                if len(candidates) == 1:
                    total_lo += lo
                    total_hi += hi

        if definite:
            if len(pairs) == 1:
                result = f"罚款{fmt_yuan_range(total_lo, total_hi)}"
            else:
                result = f"罚款合计{fmt_yuan_range(total_lo, total_hi)}（" + "；".join(lines) + "）"
            details = {"min_yuan": str(total_lo), "max_yuan": str(total_hi)}
            if any(not _exact_money(x) for x in (total_lo, total_hi)):
                warnings.append("面积换算成平方米后不是整数，金额已四舍五入到分（1亩 = 10000/15平方米）。")
        else:
            result = "地类未确定，按可能的地类分别计算：" + "；".join(lines)
            details = {}
        formula = "罚款 = 占用面积（平方米）× 每平方米罚款标准：" + "；".join(formulas)
        return [self._comp(result, None, formula, inputs, cite(ctx, *used_ids), warnings, missing, details)]

    def _comp(self, result, value, formula, inputs, citation_ids, warnings, missing, details) -> Computation:
        return Computation(
            rule=self.name, title="非法占用土地罚款（《新疆维吾尔自治区实施〈中华人民共和国土地管理法〉办法》第五十三条）",
            result=result, value=value, formula=formula, inputs=inputs, citation_ids=citation_ids,
            warnings=warnings, missing=missing, details=details,
        )


def _exact_money(x: Fraction) -> bool:
    return (x * 100).denominator == 1


def _fee(q: Question) -> tuple[Fraction | None, str, list[str]]:
    """The 耕地开垦费 the question states: a total, or a rate per area times the area."""
    notes: list[str] = []
    fee_pos = q.norm.find("开垦费")
    amounts: list[Money] = [m for m in q.money]
    if not amounts:
        return None, "", notes
    near = sorted(amounts, key=lambda m: abs(m.start - fee_pos) if fee_pos >= 0 else m.start)
    money = near[0]
    if money.per is None:
        return money.yuan, f"{fmt(money.yuan, 2)}元", notes
    if not q.areas:
        notes.append("area")
        return None, f"每{money.per}{fmt(money.yuan, 2)}元", notes
    area = q.areas[0]
    fee = money.yuan * area.sqm / SQM_PER[money.per]
    return fee, f"每{money.per}{fmt(money.yuan, 2)}元 × {_area_text(area)} = {fmt(fee, 2)}元", notes


class DestructionFine(Hook):
    """第五十四条: fine as a multiple of the 耕地开垦费."""

    name = "xj.a54.destruction_fine"

    def applies(self, q: Question, ctx: RuleContext) -> int:
        if not q.has(*FINE_WORDS):
            return 0
        hits = q.hits(*DESTROY_WORDS)
        if not hits:
            return 0
        return 3 + hits + (1 if q.money else 0)

    def compute(self, q: Question, ctx: RuleContext) -> list[Computation]:
        p = ctx.params
        warnings = doc_warnings(q, DOC, ctx)
        warnings.append("第五十四条只定罚款幅度（耕地开垦费的倍数），具体数额由执法机关在幅度内裁量；适用情形：" + p.text("xj.a54.scope") + "。")
        missing: list[str] = []
        inputs: dict[str, object] = {}
        keys = q.category_keys()
        if "other_land" in keys and not any(k in keys for k in ("pbf", "other_cultivated", "cultivated")):
            warnings.append("第五十四条只适用于破坏耕地（永久基本农田和永久基本农田以外的耕地）；问题所说的地类不是耕地，本条可能不适用。")
        if "pbf" in keys and "other_cultivated" not in keys:
            candidates = ["pbf"]
        elif "other_cultivated" in keys and "pbf" not in keys:
            candidates = ["other_cultivated"]
        else:
            candidates = ["pbf", "other_cultivated"]
            missing.append("land_category")
            if "pbf" in keys and "other_cultivated" in keys:
                warnings.append("问题同时提到永久基本农田和永久基本农田以外的耕地，下面分别列出，请按各自面积和开垦费分别计算。")
            elif "cultivated" in keys:
                warnings.append("问题只说“耕地”，没有说明是否为永久基本农田：第五十四条对两者规定了不同倍数，下面分别列出，请确认地类。")
        fee, fee_text, fee_missing = _fee(q)
        missing += fee_missing
        general = asks_general(q) and fee is None and not fee_missing
        if general and "land_category" in missing and not keys:
            missing.remove("land_category")
        if fee is None and "area" not in missing and not general:
            missing.insert(0, "cultivation_fee")
        if fee_text:
            inputs["耕地开垦费"] = fee_text
        if len(candidates) == 1:
            inputs["地类"] = DESTROY_TIERS[candidates[0]].category
        lines: list[str] = []
        formulas: list[str] = []
        used: list[str] = []
        details: dict[str, str] = {}
        for key in candidates:
            tier = DESTROY_TIERS[key]
            lo_m, hi_m = p.num(tier.lo_id), p.num(tier.hi_id)
            used += [tier.lo_id, tier.hi_id]
            rule_text = f"耕地开垦费的{fmt(lo_m)}倍以上{fmt(hi_m)}倍以下（{short(ctx, tier.lo_id)}）"
            if fee is None:
                lines.append(f"破坏{tier.category}：{rule_text}")
                continue
            lo, hi = fee * lo_m, fee * hi_m
            formulas.append(f"{fmt(fee, 2)}元 × {fmt(lo_m)}至{fmt(hi_m)}倍（{short(ctx, tier.lo_id)}，破坏{tier.category}）= {fmt(lo, 2)}元至{fmt(hi, 2)}元")
            if len(candidates) == 1:
                lines.append(f"罚款{fmt_yuan_range(lo, hi)}")
                details = {"min_yuan": str(lo), "max_yuan": str(hi)}
            else:
                lines.append(f"若为{tier.category}：{fmt_yuan_range(lo, hi)}")
        if fee is None and general:
            result = "罚款按耕地开垦费的倍数计算：" + "；".join(lines)
        elif fee is None:
            ask = "请提供耕地开垦费金额（或每平方米/每亩标准和面积）" if "area" not in missing else "请提供破坏的面积（已给出每单位面积的耕地开垦费）"
            result = ask + "。罚款标准：" + "；".join(lines)
        else:
            result = "；".join(lines) if len(candidates) == 1 else "地类未确定，按可能的地类分别计算：" + "；".join(lines)
        formula = "罚款 = 耕地开垦费 × 倍数" + ("：" + "；".join(formulas) if formulas else "")
        return [Computation(
            rule=self.name, title="破坏耕地罚款（《新疆维吾尔自治区实施〈中华人民共和国土地管理法〉办法》第五十四条）",
            result=result, value=None, formula=formula, inputs=inputs, citation_ids=cite(ctx, *used),
            warnings=warnings, missing=missing, details=details,
        )]


HOOKS: list[Hook] = [OccupationFine(), DestructionFine()]
