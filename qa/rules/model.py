"""The Computation a rule hook returns, the context hooks run in, and exact number formatting."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction
from functools import cached_property
from typing import TYPE_CHECKING

from pydantic import BaseModel, Field, field_serializer

from qa.rules.params import ParamSet, default_params

if TYPE_CHECKING:
    from ingest.catalog import Document
    from ingest.pipeline import Corpus

Number = int | Fraction | Decimal


class Understood(BaseModel):
    """One input as the rule understood it: the question's words -> value -> legal category -> rule and article."""

    words: str
    value: str = ""
    category: str = ""
    basis: str = ""

    def text(self) -> str:
        """「the question's words」 → value → category → basis; “…” stays reserved for verbatim corpus text."""
        parts = [f"「{self.words}」" if self.words else "（问题未写明）"]
        parts += [p for p in (self.value, self.category, self.basis) if p]
        return " → ".join(parts)


class Reading(BaseModel):
    """One reading of words the text leaves open, and what follows under it."""

    label: str
    result: str


class Computation(BaseModel):
    """An exact answer a rule computed, which the answer leads with; also its shape in the API (`value` as a JSON number).

    `result` is the sentence to show; `value` the main number when there is exactly one
    (null for ranges, ambiguous boundaries and missing inputs); `missing` the inputs to ask
    the user for; `citation_ids` the finest units the constants come from. `understood` lists
    every input as read from the question, before any number; `unbound` the facts of the
    question that could not be tied to an input; `readings` every reading where the wording
    leaves the result open; `yields_to` more specific documents for the place asked that
    speak about the same subject (their text leads, this rule follows).
    """

    rule: str
    title: str
    result: str
    value: Decimal | None = None
    formula: str = ""
    inputs: dict[str, object] = Field(default_factory=dict)
    citation_ids: list[str] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    missing: list[str] = Field(default_factory=list)
    # regions the question names that the cited documents do not govern (the warnings say so in words)
    other_regions: list[str] = Field(default_factory=list)
    details: dict[str, object] = Field(default_factory=dict)
    understood: list[Understood] = Field(default_factory=list)
    unbound: list[str] = Field(default_factory=list)
    # the asked slots the rule answers (registry.toml), empty: any; the engine's filter, not part of the API
    answers: list[str] = Field(default_factory=list, exclude=True)
    readings: list[Reading] = Field(default_factory=list)
    yields_to: list[str] = Field(default_factory=list)

    @field_serializer("value")
    def _number(self, value: Decimal | None) -> int | float | None:
        if value is None:
            return None
        return int(value) if value == value.to_integral_value() else float(value)

    @property
    def complete(self) -> bool:
        return not self.missing

    def understood_text(self) -> str:
        """'案情理解：「0.3公顷是荒坡（不是耕地）」 → 3000平方米 → 其他土地 → 第五十三条第一款第（三）项……' (empty when nothing was read)."""
        lines = []
        if self.understood:
            lines.append("案情理解：" + "；".join(u.text() for u in self.understood))
        if self.unbound:
            lines.append("未能对应：" + "；".join(self.unbound))
        return "\n".join(lines)


@dataclass
class RuleContext:
    """What hooks may use besides the question: parameters, the corpus (may be None), today."""

    params: ParamSet = field(default_factory=default_params)
    corpus: Corpus | None = None
    today: date = field(default_factory=date.today)

    def document(self, doc_id: str) -> Document:
        if self.corpus is not None:
            return self.corpus.catalog.get(doc_id)
        from ingest.catalog import load_catalog

        return load_catalog().get(doc_id)

    @property
    def texts(self) -> Corpus:
        """The corpus, for a hook that reads the texts themselves (such hooks apply only when there is one)."""
        if self.corpus is None:
            raise RuntimeError("this rule reads the texts, and no corpus was given")
        return self.corpus

    def has_document(self, doc_id: str) -> bool:
        """Without a corpus the statute hooks still run on their parameters (tests, the rules alone)."""
        return self.corpus is None or doc_id in self._doc_ids

    @cached_property
    def _doc_ids(self) -> frozenset[str]:
        return frozenset(self.corpus.catalog.ids()) if self.corpus is not None else frozenset()

    def available(self, param_id: str) -> bool:
        """Is the parameter defined and its document in the corpus? (optional parameters of a rule)"""
        try:
            return self.has_document(self.params.get(param_id).doc_id)
        except KeyError:
            return False


# ------------------------------------------------------------------ exact number formatting

def as_fraction(x: Number | float | str) -> Fraction:
    if isinstance(x, Fraction):
        return x
    if isinstance(x, float):
        return Fraction(Decimal(str(x)))
    return Fraction(x)


def is_terminating(x: Fraction) -> bool:
    d = x.denominator
    for p in (2, 5):
        while d % p == 0:
            d //= p
    return d == 1


def to_decimal(x: Number, places: int | None = None) -> Decimal:
    """Exact Decimal when x terminates (and places is None); else rounded half-up to `places`."""
    q = as_fraction(x)
    with localcontext() as ctx:
        ctx.prec = 60
        d = Decimal(q.numerator) / Decimal(q.denominator)
        if places is not None:
            d = d.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return d


def fmt(x: Number, places: int = 4) -> str:
    """'2000', '0.2', '0.0015'; a value that needs more than `places` decimals is rounded, with '约'."""
    q = as_fraction(x)
    exact = to_decimal(q)
    if is_terminating(q) and -int(exact.normalize().as_tuple().exponent) <= places:
        return _plain(exact)
    return "约" + _plain(to_decimal(q, places))


def fmt_plain(x: Number, places: int = 4) -> str:
    """Like fmt without the '约' mark (for formulas where '≈' is written separately)."""
    return fmt(x, places).removeprefix("约")


def _plain(d: Decimal) -> str:
    d = d.normalize()
    text = format(d, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text if text not in ("-0", "") else "0"


def is_exact(x: Number, places: int = 4) -> bool:
    return not fmt(x, places).startswith("约")


def fmt_wan(x: Number) -> str:
    """An amount of yuan in 万元: exact to the fen when it can be ('12.345678'), else to two decimals ('106.67',
    as staff round and write it, without '约': the figure in 元 beside it keeps the fen and is marked '约')."""
    wan = as_fraction(x) / 10000
    exact = fmt(wan, 6)
    return exact if not exact.startswith("约") else fmt_plain(wan, 2)


def fmt_yuan(x: Number) -> str:
    """An amount in 万元 and 元: '60万元（600000元）'."""
    return f"{fmt_wan(x)}万元（{fmt(x, 2)}元）"


def fmt_yuan_range(lo: Number, hi: Number) -> str:
    """'60万元至100万元（600000元至1000000元）'."""
    lo_f, hi_f = as_fraction(lo), as_fraction(hi)
    if lo_f == hi_f:
        return fmt_yuan(lo_f)
    return f"{fmt_wan(lo_f)}万元至{fmt_wan(hi_f)}万元（{fmt(lo_f, 2)}元至{fmt(hi_f, 2)}元）"


def decimal_value(x: Number | None, places: int = 6) -> Decimal | None:
    if x is None:
        return None
    q = as_fraction(x)
    return to_decimal(q) if is_terminating(q) and is_exact(q, places) else to_decimal(q, places)
