"""Hearing threshold on the compensation plan (第二十六条第二款 '超过半数以上'), with both readings of the boundary."""
from __future__ import annotations

import re
from fractions import Fraction

from qa.rules.base import Hook, cite, doc_warnings
from qa.rules.extract import NUM, Question, parse_number
from qa.rules.model import Computation, Reading, RuleContext, Understood, decimal_value
from qa.rules.params import EXCLUSIVE_WORDS, INCLUSIVE_WORDS

PARAM = "xj.a26.k2.hearing_majority"
SHARES = {"半数": Fraction(1, 2), "三分之二": Fraction(2, 3)}


def _members(q: Question) -> tuple[int, str] | None:
    """The member count the question states, with its words ('成员120人')."""
    for m in re.finditer(rf"({NUM})\s*(?:个|名|位)?\s*(成员|人|户)", q.plain):
        value = parse_number(m.group(1))
        if value is not None and value.denominator == 1 and value > 0:
            return int(value), m.group(0)
    return None


class HearingThreshold(Hook):
    name = "xj.a26.hearing_threshold"

    def applies(self, q: Question, ctx: RuleContext) -> bool:
        return q.has("听证") and q.has("多少人", "几个人", "几人", "至少", "半数", "过半", "人数", "成员")

    def compute(self, q: Question, ctx: RuleContext) -> list[Computation]:
        param = ctx.params.get(PARAM)
        share = SHARES[param.text]
        title = "征地补偿安置方案必须组织听证的人数（《新疆维吾尔自治区实施〈中华人民共和国土地管理法〉办法》第二十六条第二款）"
        warnings = doc_warnings(q, param.doc_id, ctx)
        exclusive = [w for w in param.qualifier if w in EXCLUSIVE_WORDS]
        inclusive = [w for w in param.qualifier if w in INCLUSIVE_WORDS]
        rule = f"{param.path}：“{param.quote}”"
        found = _members(q)
        if found is None:
            return [Computation(
                rule=self.name, title=title, result=f"请提供被征地的农村集体经济组织成员人数。{rule}",
                formula="必须组织听证的最少人数由成员总数和“超过半数以上”确定", citation_ids=cite(ctx, PARAM),
                warnings=warnings, missing=["members"],
            )]
        n, words = found
        understood = [Understood(words=words, value=f"{n}人", category="被征地的农村集体经济组织成员总数", basis=rule)]
        half = n * share
        strict = int(half) + 1  # 超过半数: more than half
        loose = -(-half.numerator // half.denominator)  # 半数以上: at least half (rounded up to whole persons)
        inputs = {"成员总数": f"{n}人"}
        formula = f"{n} × 1/2 = {half if half.denominator > 1 else int(half)}人"
        if strict == loose:
            return [Computation(
                rule=self.name, title=title,
                result=f"成员{n}人，至少{strict}人认为方案不符合法律法规规定时，发布公告的人民政府应当组织听证（{n}为奇数，两种读法结果相同）",
                value=decimal_value(strict), formula=formula, inputs=inputs, citation_ids=cite(ctx, PARAM), warnings=warnings,
                details={"minimum": strict}, understood=understood,
            )]
        warnings.append(
            f"条文写“{'、'.join(exclusive)}半数{'、'.join(inclusive)}”：“超过”不含本数，“以上”含本数。成员{n}人时，"
            f"恰好{int(half)}人（一半）是否够数，条文自相矛盾，请向上级主管部门确认。"
        )
        return [Computation(
            rule=self.name, title=title,
            result=f"成员{n}人：按“超过半数”理解，至少{strict}人；按“半数以上”理解，{loose}人（恰好一半）即须组织听证",
            value=None, formula=formula, inputs=inputs, citation_ids=cite(ctx, PARAM), warnings=warnings,
            details={"readings": {"超过半数": strict, "半数以上": loose}}, understood=understood,
            readings=[
                Reading(label="按“超过半数”理解（不含一半）", result=f"至少{strict}人"),
                Reading(label="按“半数以上”理解（含一半）", result=f"{loose}人即可"),
            ],
        )]


HOOKS: list[Hook] = [HearingThreshold()]
