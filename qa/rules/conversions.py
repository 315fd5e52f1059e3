"""Area unit conversions between 平方米, 亩, 公顷 and 平方公里 (1亩 = 10000/15平方米), exact."""
from __future__ import annotations

import re

from qa.rules.base import Hook
from qa.rules.extract import SQM_PER, Quantity, Question
from qa.rules.model import Computation, RuleContext, Understood, decimal_value, fmt, is_exact

UNITS = ("平方米", "亩", "公顷", "平方公里")
_TARGET_WORDS = {"平方米": "平方米", "平米": "平方米", "亩": "亩", "公顷": "公顷", "平方公里": "平方公里", "平方千米": "平方公里"}
# words that ask for a conversion by themselves; words that do only with a target unit ('是多少亩'),
# and then only when the question is not about a rule whose answer is itself an area ('不得超过多少平方米')
INTENT = ("换算", "折合", "折算", "相当于", "换成", "转换", "合多少", "等于多少", "是几亩", "合几亩")
WEAK_INTENT = ("多少亩", "多少公顷", "多少平方米", "多少平米", "多少平方公里", "多少平方千米", "几亩", "几公顷", "等于", "是多少", "有多少", "多大")
RULE_WORDS = ("罚", "宅基地", "批准", "审批", "上限", "不得超过", "最多", "标准", "调整", "供应", "项目", "开发", "期限")


def show(value, unit: str) -> str:
    text = f"{fmt(value)}{unit}"
    if unit == "亩" and value >= 10000:
        text += f"（{fmt(value / 10000)}万亩）"
    if unit == "公顷" and value >= 10000:
        text += f"（{fmt(value / 10000)}万公顷）"
    return text


def targets(q: Question) -> list[str]:
    """Units the question asks for: unit words not attached to a stated number."""
    taken = [(a.start, a.end) for a in q.areas]
    out: list[str] = []
    for word in sorted(_TARGET_WORDS, key=len, reverse=True):
        for m in re.finditer(re.escape(word), q.norm):
            if any(s <= m.start() < e for s, e in taken):
                continue
            unit = _TARGET_WORDS[word]
            if unit not in out:
                out.append(unit)
            taken.append((m.start(), m.end()))
    return out


def convert(area: Quantity, unit: str):
    return area.sqm / SQM_PER[unit]


class AreaConversion(Hook):
    name = "unit_conversion.area"

    def applies(self, q: Question, ctx: RuleContext) -> bool:
        if not q.areas:
            return False
        return q.has(*INTENT) or (q.has(*WEAK_INTENT) and bool(targets(q)) and not q.has(*RULE_WORDS))

    def compute(self, q: Question, ctx: RuleContext) -> list[Computation]:
        wanted = [u for u in targets(q)]
        out: list[Computation] = []
        seen: set = set()
        for area in q.areas:
            if (area.value, area.unit) in seen:
                continue
            seen.add((area.value, area.unit))
            units = [u for u in (wanted or UNITS) if u != area.unit] or [u for u in UNITS if u != area.unit]
            parts = [show(convert(area, u), u) for u in units]
            value = decimal_value(convert(area, units[0]), 6) if len(units) == 1 else None
            warnings = []
            if any(fmt(convert(area, u)).startswith("约") for u in units):
                warnings.append("亩与平方米、公顷的换算是除以15的关系，结果可能是无限循环小数，已四舍五入到四位小数。")
            left = area.raw.replace(" ", "")
            if re.search(r"[零〇一二两三四五六七八九十百千]", area.raw) or area.unit not in area.raw:
                left = f"{left}（{show(area.value, area.unit)}）"  # '两千平米（2000平方米）'; '651.35万亩' stays as written
            for u in units:
                exact = convert(area, u)
                if not is_exact(exact):
                    warnings.append(f"{u}的精确值为{exact.numerator}/{exact.denominator}{u}。")
            out.append(Computation(
                rule=self.name, title="面积单位换算", result=f"{left} = " + " = ".join(parts),
                value=value,
                formula="1亩 = 10000/15平方米（约666.67平方米）；1公顷 = 15亩 = 10000平方米；1平方公里 = 100公顷 = 1500亩 = 1000000平方米",
                inputs={"面积": area.raw}, warnings=warnings,
                understood=[Understood(words=area.raw.strip(), value=show(area.value, area.unit), category="要换算的面积",
                                       basis="1亩 = 10000/15平方米，1公顷 = 10000平方米")],
                details={"sqm": str(area.sqm), **{u: str(convert(area, u)) for u in UNITS}},
            ))
        return out


HOOKS: list[Hook] = [AreaConversion()]
