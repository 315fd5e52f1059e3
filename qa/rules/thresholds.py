"""Threshold tables with honest boundaries: which tier a value falls in, under every reading the wording allows."""
from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from fractions import Fraction

from qa.rules.mentions import said_roughly
from qa.rules.model import fmt
from qa.rules.params import EXCLUSIVE_WORDS, INCLUSIVE_WORDS, Param, ParamSet


@dataclass(frozen=True)
class Bound:
    """One printed bound: its value and boundary words ('以下', '超过', or both as in '超过130公顷以上')."""

    value: Fraction
    words: tuple[str, ...]
    param_id: str = ""

    @property
    def inclusions(self) -> tuple[bool, ...]:
        """The readings the words allow: (True,) includes the number, (False,) excludes it, both = conflict."""
        kinds = {w in INCLUSIVE_WORDS for w in self.words if w in INCLUSIVE_WORDS or w in EXCLUSIVE_WORDS}
        return tuple(sorted(kinds, reverse=True)) or (True, False)

    @property
    def conflicting(self) -> bool:
        return len(self.inclusions) > 1

    def reading_label(self, include: bool) -> str:
        words = [w for w in self.words if (w in INCLUSIVE_WORDS) == include]
        word = "”“".join(words) if words else ("以上/以下" if include else "超过/不足")
        return f"按“{word}”理解（{'含' if include else '不含'}本数{fmt(self.value)}）"

    @classmethod
    def of(cls, param: Param) -> Bound:
        return cls(value=param.number, words=tuple(param.qualifier), param_id=param.id)


@dataclass(frozen=True)
class Tier:
    key: str  # e.g. "x2"
    label: str  # e.g. "第十九条第一款第（二）项"
    lower: Bound | None
    upper: Bound | None
    outcome: str  # the parameter holding what the tier leads to (an authority, a cap)
    unit_id: str
    text: str = ""  # how the tier is printed, for display

    def contains(self, x: Fraction, choice: dict[Bound, bool]) -> bool:
        if self.lower is not None:
            include = choice.get(self.lower, self.lower.inclusions[0])
            if x < self.lower.value or (x == self.lower.value and not include):
                return False
        if self.upper is not None:
            include = choice.get(self.upper, self.upper.inclusions[0])
            if x > self.upper.value or (x == self.upper.value and not include):
                return False
        return True


@dataclass
class Reading:
    label: str  # '' when the wording allows only one reading
    tiers: list[Tier]


@dataclass
class Classification:
    value: Fraction
    readings: list[Reading] = field(default_factory=list)

    @property
    def definite(self) -> Tier | None:
        """The one tier when every reading agrees on exactly one tier."""
        if len(self.readings) == 1 and len(self.readings[0].tiers) == 1:
            return self.readings[0].tiers[0]
        return None

    @property
    def candidates(self) -> list[Tier]:
        seen: list[Tier] = []
        for reading in self.readings:
            for tier in reading.tiers:
                if tier not in seen:
                    seen.append(tier)
        return seen

    @property
    def overlap(self) -> bool:
        return any(len(r.tiers) > 1 for r in self.readings)

    @property
    def gap(self) -> bool:
        return any(not r.tiers for r in self.readings)

    @property
    def conflicting_wording(self) -> bool:
        return len(self.readings) > 1


def classify(x: Fraction, tiers: list[Tier]) -> Classification:
    """Every reading of the boundary words that matters at x, and the tiers x falls in under each.

    Only bounds whose value equals x and whose words conflict ('超过…以上') produce more than
    one reading. Under one reading x may fall in two tiers (overlapping '以下'/'以上' at the
    same number) or in none (a gap the text leaves uncovered): both are reported, never resolved.
    """
    touching: list[Bound] = []
    for tier in tiers:
        for bound in (tier.lower, tier.upper):
            if bound is not None and bound.value == x and bound.conflicting and bound not in touching:
                touching.append(bound)
    result = Classification(value=x)
    for combo in itertools.product(*[b.inclusions for b in touching]):
        choice = dict(zip(touching, combo, strict=False))
        label = "；".join(b.reading_label(inc) for b, inc in zip(touching, combo, strict=False))
        result.readings.append(Reading(label=label, tiers=[t for t in tiers if t.contains(x, choice)]))
    return result


def bound_param(params: ParamSet, param_id: str | None) -> Bound | None:
    return Bound.of(params.get(param_id)) if param_id else None


def boundary_points(tiers: list[Tier]) -> list[Fraction]:
    points: set[Fraction] = set()
    for tier in tiers:
        for bound in (tier.lower, tier.upper):
            if bound is not None:
                points.add(bound.value)
    return sorted(points)


# "不到0.04公顷", "超过130公顷": a figure the question says is strictly below or above a boundary
STRICTLY_BELOW = re.compile(r"(?:不到|不足|低于|少于|未满|未达到|小于)\s*$")
STRICTLY_ABOVE = re.compile(r"(?:超过|高于|多于|大于)\s*$")


def strict_side(text: str, raw: str, x: Fraction, tiers: list[Tier]) -> tuple[Tier, str] | None:
    """The tier of a figure the question says is strictly below ("不到0.04公顷") or above ("超过130公顷"), with the
    words that say so: the one tier every reading gives to values just past x on that side. None when the question
    says neither, or no single tier holds them."""
    at = text.find(raw.strip())
    if at < 0:
        return None
    before = text[max(0, at - 4): at]
    below, above = STRICTLY_BELOW.search(before), STRICTLY_ABOVE.search(before)
    said = below or above
    if said is None:
        return None
    step = Fraction(1, 10**9)  # far finer than any figure the texts print
    tier = classify(x - step if below else x + step, tiers).definite
    return (tier, said.group().strip()) if tier is not None else None


# a figure said inexactly: past it ("超过1亩", "1亩多", "1亩以上"), short of it ("不到1亩"), or about it ("1亩左右", "约1亩")
INEXACT_BEFORE = {
    "above": re.compile(r"(?:超过|高于|多于|大于|不止)\s*$"), "below": STRICTLY_BELOW, "about": re.compile(r"(?:大约|大概|约|差不多|将近|近)\s*$"),
}
INEXACT_AFTER = {"above": re.compile(r"^\s*(?:多|以上|出头)"), "below": re.compile(r"^\s*(?:以内|不到)"), "about": re.compile(r"^\s*(?:左右|上下)")}


def said_inexactly(text: str, raw: str) -> str | None:
    """"above", "below" or "about" when the question gives a figure as a bound or an estimate; None when exactly."""
    if inside := said_roughly(raw):  # '两千多平米', '三百来平米': the estimate is said between the number and its unit
        return inside
    at = text.find(raw.strip())
    if at < 0:
        return None
    before, after = text[max(0, at - 4): at], text[at + len(raw.strip()): at + len(raw.strip()) + 3]
    for side in ("above", "below", "about"):
        if INEXACT_BEFORE[side].search(before) or INEXACT_AFTER[side].search(after):
            return side
    return None
