"""The 永久基本农田 adjustment cap of the 宁夏 consolidation opinions (四、（十一）: 5% of the townships' designated area)."""
from __future__ import annotations

import re
from fractions import Fraction

from qa.rules.base import Hook, asks_authority, cite, doc_of, doc_warnings, short
from qa.rules.extract import SQM_PER, Quantity, Question
from qa.rules.model import Computation, RuleContext, Understood, decimal_value, fmt

CAP = "nx.i11.adjust_cap"
ADJUST_WORDS = ("调整", "调出", "调入", "拟调", "补划", "微调", "准备调", "计划调", "要调", "调")


def _split(q: Question) -> tuple[list[Quantity], list[Quantity]]:
    """(designated areas of the townships, proposed adjustment areas) by the words just before each area."""
    base: list[Quantity] = []
    adjust: list[Quantity] = []
    for area in q.areas:
        before = q.norm[max(0, area.start - 10): area.start]
        clause = re.split(r"[，,；;。]", before)[-1]
        if any(w in clause for w in ADJUST_WORDS) and "划定" not in clause:
            adjust.append(area)
        else:
            base.append(area)
    return base, adjust


def _in(unit: str, value: Fraction) -> str:
    return f"{fmt(value)}{unit}"


class ConsolidationAdjustmentCap(Hook):
    name = "nx.i11.adjustment_cap"

    def applies(self, q: Question, ctx: RuleContext) -> bool:
        if not q.has("永久基本农田", "基本农田") or not q.has(*ADJUST_WORDS):
            return False
        if not q.has("综合整治", "全域", "整治", "5%", "百分之五", "上限", "最多", "不得超过", "多少", "能调", "可以调", "超过", "超没超", "超了"):
            return False
        return not (asks_authority(q) and not q.areas)  # who approves or files the adjustment is （八）

    def compute(self, q: Question, ctx: RuleContext) -> list[Computation]:
        p = ctx.params
        rate = p.num(CAP) / 100
        param = p.get(CAP)
        warnings = doc_warnings(q, doc_of(ctx, CAP), ctx)
        warnings.append("原文是“原则上不得超过”，不是绝对上限；超过时须有充分理由并按（八）的程序审批。")
        title = "全域土地综合整治中永久基本农田调整规模上限（宁夏实施意见（征求意见稿）四、（十一））"
        base, adjust = _split(q)
        rule_text = f"{short(ctx, CAP)}：“{param.quote}”"
        if not base and (q.has("比例", "百分之", "百分比", "几成") or (q.has("占", "多少") and q.has("划定面积", "划定", "乡镇"))):
            return [Computation(
                rule=self.name, title=title,
                result=f"调整规模原则上不得超过所涉乡镇永久基本农田划定面积的{fmt(p.num(CAP))}%（{rule_text}）。",
                value=decimal_value(p.num(CAP)), formula=f"调整规模上限 = 所涉乡镇永久基本农田划定面积 × {fmt(p.num(CAP))}%",
                citation_ids=cite(ctx, CAP), warnings=warnings, details={"rate_percent": str(p.num(CAP))},
            )]
        if not base:
            return [Computation(
                rule=self.name, title=title,
                result=f"请提供所涉乡镇的永久基本农田划定面积。{rule_text}",
                formula=f"调整规模上限 = 所涉乡镇永久基本农田划定面积 × {fmt(p.num(CAP))}%",
                citation_ids=cite(ctx, CAP), warnings=warnings, missing=["pbf_designated_area"],
            )]
        unit = base[0].unit
        total_sqm = sum((a.sqm for a in base), Fraction(0))
        cap_sqm = total_sqm * rate

        def to_unit(sqm: Fraction) -> Fraction:
            return sqm / SQM_PER[unit]

        inputs = {"所涉乡镇永久基本农田划定面积": "、".join(a.raw for a in base)}
        understood = [
            Understood(words=a.raw.strip(), value=f"{fmt(a.value)}{a.unit}", category="所涉乡镇永久基本农田划定面积",
                       basis=f"{short(ctx, CAP)}：× {fmt(p.num(CAP))}%")
            for a in base
        ]
        understood += [Understood(words=a.raw.strip(), value=f"{fmt(a.value)}{a.unit}", category="拟调整规模") for a in adjust]
        cap = to_unit(cap_sqm)
        details: dict[str, object] = {"cap_sqm": str(cap_sqm), "cap_in_unit": str(cap), "unit": unit}
        formula = f"{'+'.join(fmt(a.to(unit)) for a in base)}{unit} × {fmt(p.num(CAP))}% = {_in(unit, cap)}"
        if len(base) > 1:
            per = "；".join(f"{a.raw} × {fmt(p.num(CAP))}% = {_in(unit, a.to(unit) * rate)}" for a in base)
            warnings.append(
                f"问题给了{len(base)}个乡镇的面积：原文“所涉乡镇永久基本农田划定面积的5%”没有说明按合计还是逐个乡镇计算。"
                f"按合计：上限{_in(unit, cap)}；按逐个乡镇：{per}（每个乡镇的调整规模分别不超过各自上限）。"
            )
        result = f"调整规模原则上不得超过{_in(unit, cap)}（所涉乡镇永久基本农田划定面积{_in(unit, to_unit(total_sqm))}的{fmt(p.num(CAP))}%）"
        if adjust:
            planned = sum((a.sqm for a in adjust), Fraction(0))
            planned_u = to_unit(planned)
            inputs["拟调整规模"] = "、".join(a.raw for a in adjust)
            if planned <= cap_sqm:
                result += f"；拟调整{_in(unit, planned_u)}，未超过上限（占划定面积{fmt(planned / total_sqm * 100, 2)}%）"
            else:
                result += f"；拟调整{_in(unit, planned_u)}，超过上限{_in(unit, planned_u - cap)}（占划定面积{fmt(planned / total_sqm * 100, 2)}%）"
            details["planned_in_unit"] = str(planned_u)
            details["within_cap"] = planned <= cap_sqm
        return [Computation(
            rule=self.name, title=title, result=result, value=decimal_value(cap), formula=formula,
            inputs=inputs, citation_ids=cite(ctx, CAP), warnings=warnings, details=details, understood=understood,
        )]


HOOKS: list[Hook] = [ConsolidationAdjustmentCap()]
