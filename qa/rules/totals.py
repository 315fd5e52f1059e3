"""The total of fines from different rules, when a question asks one sum of a case several rules fine."""
from __future__ import annotations

from fractions import Fraction

from qa.rules.extract import Question
from qa.rules.model import Computation, as_fraction, fmt_wan, fmt_yuan_range

TOTAL_WORDS = ("合计", "一共", "总共", "共计", "总计", "加起来", "合起来", "加在一起")
TOTAL_RULE = "fines.total"


def _range(comp: Computation) -> tuple[Fraction, Fraction] | None:
    """The fine a computation settled (its least and most, in yuan), or None: short of an input, yielding to a
    more specific text, or no fine."""
    lo, hi = comp.details.get("min_yuan"), comp.details.get("max_yuan")
    if comp.missing or comp.yields_to or lo is None or hi is None:
        return None
    return as_fraction(str(lo)), as_fraction(str(hi))


def _wan_range(lo: Fraction, hi: Fraction) -> str:
    return f"{fmt_wan(lo)}万元至{fmt_wan(hi)}万元" if lo != hi else f"{fmt_wan(lo)}万元"


def total_of_fines(q: Question, computations: list[Computation]) -> Computation | None:
    """"占了一般耕地1000平米，又挖砂破坏了一块…，两项罚款合计多少": each rule fines its own act, the question asks
    their sum. Only when it asks a total and two or more rules settled a fine; the parts stay listed after it."""
    if not q.has(*TOTAL_WORDS):
        return None
    settled = [(comp, found) for comp in computations if (found := _range(comp)) is not None]
    if len({comp.rule for comp, _ in settled}) < 2:
        return None
    lo = sum((r[0] for _, r in settled), Fraction(0))
    hi = sum((r[1] for _, r in settled), Fraction(0))
    parts = [f"{comp.title}：{_wan_range(*r)}" for comp, r in settled]
    return Computation(
        rule=TOTAL_RULE, title="各项罚款合计",
        result=f"罚款合计{fmt_yuan_range(lo, hi)}（" + "；".join(parts) + "）",
        formula=" + ".join(_wan_range(*r) for _, r in settled) + f" = {_wan_range(lo, hi)}",
        citation_ids=list(dict.fromkeys(cid for comp, _ in settled for cid in comp.citation_ids)),
        details={"min_yuan": str(lo), "max_yuan": str(hi)},
        warnings=["各项罚款分别按其条文计算后相加；是否并处由执法机关依法认定。"],
        answers=list(dict.fromkeys(a for comp, _ in settled for a in comp.answers)),
    )
