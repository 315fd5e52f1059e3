"""Homestead area cap per household by per-capita cultivated land (第三十九条): forward, inverse, with overlapping boundaries shown."""
from __future__ import annotations

from fractions import Fraction

from qa.rules.base import FINE_WORDS, Hook, article, asks_authority, asks_general, cite, doc_of, doc_warnings
from qa.rules.extract import SQM_PER, Quantity, Question
from qa.rules.model import Computation, Reading, RuleContext, Understood, decimal_value, fmt
from qa.rules.thresholds import Bound, Tier, classify, strict_side

TIER_KEYS = ("x1", "x2", "x3", "x4", "x5", "x6")
MU_PER_HA = SQM_PER["公顷"] / SQM_PER["亩"]
USED_WORDS = ("还差", "还能", "还可以", "剩", "超出", "超过", "超了", "到顶", "多出", "超没超", "超不超", "超多少", "超标", "够不够")
APPLIED_WORDS = ("申请", "想批", "要批", "拟批", "报批", "打算", "准备", "想建", "想盖")
CHANGE_WORDS = ("多出", "多了", "少了", "相差", "差多少", "差别", "变化", "增加", "减少", "提高", "降低", "多多少", "少多少", "差几")


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


def _ha_text(area: Quantity) -> str:
    ha = area.to("公顷")
    return f"{fmt(area.value)}{area.unit}" + ("" if area.unit == "公顷" else f"（{fmt(ha, 6)}公顷）")


def _mu(ha: Fraction) -> str:
    return f"{fmt(ha * MU_PER_HA)}亩"


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
        return q.has("面积", "多大", "多少平", "几平", "标准", "上限", "不得超过", "最多", "人均耕地", "人均") or bool(q.areas)

    def compute(self, q: Question, ctx: RuleContext) -> list[Computation]:
        p = ctx.params
        tiers = homestead_tiers(ctx)
        title = f"农村村民宅基地面积标准（{article(ctx, 'xj.a39.x1.cap')}）"
        warnings = doc_warnings(q, doc_of(ctx, "xj.a39.x1.cap"), ctx)
        table = "；".join(f"{t.text}：每户不得超过{fmt(p.num(t.outcome))}平方米（{t.label}）" for t in tiers)
        per_capita = q.facts.per_capita
        basis = p.get("xj.a39.k2.county_basis")
        if not per_capita and (asks_authority(q) or q.has("谁定", "谁可以定", "谁来定", "谁规定")):
            return [Computation(
                rule=self.name, title=title,
                result=f"县（市）人民政府可以在第三十九条第一款规定的标准内，具体规定各乡（镇）、村的农村村民宅基地标准（{basis.path}：“{basis.quote}”）。",
                formula="第三十九条第二款", citation_ids=cite(ctx, "xj.a39.k2.county_basis"), warnings=warnings,
                details={"authority": "县（市）人民政府"},
            )]
        warnings.append(f"{basis.path}：“{basis.quote}”——上限以县为单位核算，县（市）可在此标准内规定更严的乡（镇）、村标准。")
        plots = [(pl, end) for pl in q.facts.plots if pl.area is not None and pl.area.unit == "平方米" for end in pl.area.ends()]
        if not per_capita and plots and q.has("人均"):
            return [self._inverse(q, ctx, title, warnings, tiers, plots[0][1], plots[0][0].words)]
        if not per_capita:
            general = asks_general(q) or q.has("最小档", "最低档", "最高档", "分档", "各档")
            return [Computation(
                rule=self.name, title=title,
                result=("按人均耕地分档：" if general else "请提供本县人均耕地面积。按人均耕地分档：") + table,
                formula="按人均耕地（公顷/人）落入的档次确定每户住宅用地上限", citation_ids=cite(ctx, *[t.outcome for t in tiers]),
                warnings=warnings, missing=[] if general else ["per_capita_cultivated_land"],
            )]
        if len(per_capita) >= 2:
            # two figures and a question about the change: the difference; otherwise each one's cap
            return [self._compare(ctx, title, warnings, tiers, per_capita, len(per_capita) == 2 and q.has(*CHANGE_WORDS))]
        area = per_capita[0]
        ha = area.to("公顷")
        shown = _ha_text(area)
        if area.unit == "亩" and (ha * 10000).denominator != 1:
            warnings.append(f"{fmt(area.value)}亩换算为{fmt(ha, 6)}公顷（1亩 = 1/15公顷），按精确值比较档次。")
        cls = classify(ha, tiers)
        inputs = {"人均耕地": shown}
        understood = [Understood(words=area.raw.strip(), value=shown, category="人均耕地（以县为单位）")]
        formula = f"人均耕地{fmt(ha, 6)}公顷 对照：{table}"
        tier = cls.definite
        side = strict_side(q.norm, area.raw, ha, tiers) if tier is None else None
        if side is not None:
            # "不到0.04公顷": strictly below the boundary both items print, so in the lower one
            tier, qualifier = side
            shown = f"{qualifier}{shown}"
            understood[0] = Understood(words=f"{qualifier}{area.raw.strip()}", value=shown, category="人均耕地（以县为单位）")
        if tier is not None:
            cap = p.num(tier.outcome)
            understood[0].basis = f"{tier.label}：{tier.text}，每户不得超过{fmt(cap)}平方米"
            result = f"人均耕地{shown}，每户住宅用地不得超过{fmt(cap)}平方米（{tier.label}）"
            details: dict = {"cap_sqm": str(cap), "tier": tier.key}
            used = [(pl, a) for pl, a in plots if a is not area]
            # a homestead area the household applied for or built ('申请了550平方米宅基地') is set against the cap
            # whether or not the question says 超 in so many words: stating it beside the per-capita land asks it
            own = [(pl, a) for pl in q.facts.plots if pl.area is not None and "homestead" in pl.roles for a in pl.area.ends() if a is not area]
            if (used and q.has(*USED_WORDS)) or own:
                plot, built = (own or used)[0]
                sqm = built.sqm
                applied = any(w in plot.words for w in APPLIED_WORDS)
                said, label = ("申请", "申请的宅基地面积") if applied else ("已用", "已批（已建）宅基地面积")
                inputs["申请面积" if applied else "已批（已建）面积"] = built.raw
                understood.append(Understood(words=plot.words, value=f"{fmt(sqm, 2)}平方米", category=label))
                if sqm <= cap:
                    result += f"；{said}{fmt(sqm, 2)}平方米，{'未超过上限，' if applied else ''}距上限还差{fmt(cap - sqm, 2)}平方米"
                else:
                    result += f"；{said}{fmt(sqm, 2)}平方米，超出上限{fmt(sqm - cap, 2)}平方米"
                details["remaining_sqm"] = str(cap - sqm)
            return [Computation(
                rule=self.name, title=title, result=result, value=decimal_value(cap), formula=formula, inputs=inputs,
                citation_ids=cite(ctx, tier.outcome, "xj.a39.k2.county_basis"), warnings=warnings, details=details, understood=understood,
            )]
        # the number sits on a boundary printed in two items: '0.04公顷以下' and '0.04公顷以上…'
        candidates = cls.candidates
        caps = [p.num(t.outcome) for t in candidates]
        readings = [Reading(label=f"按{t.label}（{t.text}）", result=f"不得超过{fmt(c)}平方米") for t, c in zip(candidates, caps, strict=True)]
        warnings.append(
            f"人均耕地恰好{fmt(ha)}公顷：条文前一项写“{fmt(ha)}公顷以下”、后一项写“{fmt(ha)}公顷以上”，"
            "按法律用语惯例「以上、以下」都含本数，两项重叠，条文本身没有确定适用哪一项；请按县（市）的具体规定或向农业农村主管部门确认。"
        )
        understood[0].basis = "恰在两档分界上：" + "；".join(f"{r.label}{r.result}" for r in readings)
        return [Computation(
            rule=self.name, title=title,
            result=f"人均耕地{shown}恰好处在两档的分界上，条文两项都包含这个数：" + "；".join(f"{r.label}：{r.result}" for r in readings),
            value=None, formula=formula, inputs=inputs, citation_ids=cite(ctx, *[t.outcome for t in candidates], "xj.a39.k2.county_basis"),
            warnings=warnings, details={"candidate_caps_sqm": [str(c) for c in caps]}, understood=understood, readings=readings,
        )]

    def _inverse(self, q: Question, ctx: RuleContext, title: str, warnings: list[str], tiers: list[Tier], cap_area: Quantity, words: str) -> Computation:
        """Which per-capita cultivated land gives a stated homestead area: the tiers whose cap is that area (or,
        for an area between caps, the tiers that allow it), from the same parameters."""
        p = ctx.params
        wanted = cap_area.sqm
        exact = [t for t in tiers if p.num(t.outcome) == wanted]
        allowing = [t for t in tiers if p.num(t.outcome) >= wanted]
        understood = [Understood(words=words, value=f"{fmt(wanted)}平方米", category="每户宅基地面积（问题所说的上限或拟批面积）")]
        if not allowing:
            top = max(p.num(t.outcome) for t in tiers)
            return Computation(
                rule=self.name, title=title,
                result=f"第三十九条各档上限最高为每户{fmt(top)}平方米，{fmt(wanted)}平方米超过所有档次，人均耕地再多也不能批到。",
                formula="逐档对照第三十九条第一款的上限", citation_ids=cite(ctx, *[t.outcome for t in tiers]), warnings=warnings,
                understood=understood, details={"tiers": []},
            )
        chosen = exact or [min(allowing, key=lambda t: p.num(t.outcome))]
        lines = []
        for t in chosen:
            lo, hi = t.lower, t.upper
            span = "".join(f"{fmt(b.value)}公顷{b.words[0]}（{_mu(b.value)}）" for b in (lo, hi) if b is not None)
            lines.append(f"人均耕地{span}（{t.label}，每户不得超过{fmt(p.num(t.outcome))}平方米）")
        if exact:
            head = f"每户{fmt(wanted)}平方米是第三十九条第一款的上限，对应" + "；".join(lines)
        else:
            head = f"每户{fmt(wanted)}平方米不是哪一档的上限；能批到{fmt(wanted)}平方米的最低一档是" + "；".join(lines) + "及以上各档"
        edges = sorted({b.value for t in chosen for b in (t.lower, t.upper) if b is not None})
        shared = [v for v in edges if len(classify(v, tiers).candidates) > 1]
        readings = []
        if shared:
            notes = []
            for v in shared:
                cands = classify(v, tiers).candidates
                notes.append(f"人均耕地恰好{fmt(v)}公顷时，{'、'.join(t.label for t in cands)}都包含它（上限分别为"
                             + "、".join(f"{fmt(p.num(t.outcome))}平方米" for t in cands) + "）")
                readings += [Reading(label=f"人均耕地恰好{fmt(v)}公顷，按{t.label}", result=f"不得超过{fmt(p.num(t.outcome))}平方米") for t in cands]
            warnings.append("分界处条文前后两项重叠：" + "；".join(notes) + "，条文没有确定适用哪一项。")
        understood[0].basis = "；".join(f"{t.label}：{t.text}" for t in chosen)
        return Computation(
            rule=self.name, title=title, result=head, formula=f"在第三十九条第一款中找上限为{fmt(wanted)}平方米的档次：" + "；".join(
                f"{t.text}：{fmt(p.num(t.outcome))}平方米" for t in tiers),
            citation_ids=cite(ctx, *[t.outcome for t in chosen], "xj.a39.k2.county_basis"), warnings=warnings, understood=understood,
            readings=readings, details={"tiers": [t.key for t in chosen], "exact": bool(exact)},
        )

    def _compare(self, ctx: RuleContext, title: str, warnings: list[str], tiers: list[Tier], areas: list[Quantity], difference: bool) -> Computation:
        """Several per-capita figures: each one's cap; for two and a question about the change ('从0.05公顷变成
        0.08公顷，上限多出多少'), the difference too, when both caps are definite."""
        p = ctx.params
        parts: list[str] = []
        caps: list[Fraction | None] = []
        ids: list[str] = []
        understood: list[Understood] = []
        for a in areas:
            ha = a.to("公顷")
            cls = classify(ha, tiers)
            tier = cls.definite
            understood.append(Understood(words=a.raw.strip(), value=_ha_text(a), category="人均耕地"))
            if tier is None:
                cands = cls.candidates
                parts.append(f"人均耕地{_ha_text(a)}处在分界上（" + "或".join(f"{fmt(p.num(t.outcome))}平方米" for t in cands) + "）")
                ids += [t.outcome for t in cands]
                caps.append(None)
            else:
                parts.append(f"人均耕地{_ha_text(a)}：不得超过{fmt(p.num(tier.outcome))}平方米（{tier.label}）")
                understood[-1].basis = f"{tier.label}：{fmt(p.num(tier.outcome))}平方米"
                ids.append(tier.outcome)
                caps.append(p.num(tier.outcome))
        value = None
        result = "；".join(parts)
        first, second = caps[0], caps[1]
        if not difference:
            pass
        elif first is not None and second is not None:
            diff = second - first
            value = decimal_value(diff)
            result += f"；上限相差{fmt(diff)}平方米"
        else:
            warnings = [*warnings, "有一个人均耕地数值恰好在两档分界上，条文两项都包含它，相差多少取决于适用哪一项。"]
        return Computation(
            rule=self.name, title=title, result=result, value=value, formula="分别对照第三十九条第一款各项后相减",
            inputs={"人均耕地": [a.raw for a in areas]}, citation_ids=cite(ctx, *ids, "xj.a39.k2.county_basis"),
            warnings=warnings, details={"caps_sqm": [str(c) if c is not None else None for c in caps]}, understood=understood,
        )


HOOKS: list[Hook] = [HomesteadCap()]
