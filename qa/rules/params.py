"""Rule parameters as data: load params.toml and check every quote against the ingested units."""
from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import cn2an
from pydantic import BaseModel, Field, model_validator

if TYPE_CHECKING:
    from ingest.pipeline import Corpus
    from ingest.units import Unit

PARAMS_FILE = Path(__file__).resolve().parent / "params.toml"

# Boundary words and whether they include the number (Chinese legal convention).
INCLUSIVE_WORDS = ("以上", "以下", "以内", "内", "不少于", "不超过", "不得超过", "不低于", "不高于", "至少", "最多")
EXCLUSIVE_WORDS = ("超过", "不足", "低于", "高于", "少于", "多于", "大于", "小于", "未满")


class Param(BaseModel):
    """One constant of a rule, with the verbatim words it rests on."""

    id: str
    value: int | float | str
    unit: str
    doc_id: str
    unit_id: str
    path: str
    quote: str
    qualifier: list[str] = Field(default_factory=list)
    notes: str | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Param:
        if not self.unit_id.startswith(f"{self.doc_id}:"):
            raise ValueError(f"{self.id}: unit_id {self.unit_id} is not in document {self.doc_id}")
        if not self.quote.strip():
            raise ValueError(f"{self.id}: empty quote")
        for word in self.qualifier:
            if word not in INCLUSIVE_WORDS and word not in EXCLUSIVE_WORDS:
                raise ValueError(f"{self.id}: unknown boundary word {word!r}")
        return self

    @property
    def is_number(self) -> bool:
        return not isinstance(self.value, str)

    @property
    def number(self) -> Fraction:
        if isinstance(self.value, str):
            raise TypeError(f"{self.id} is not numeric: {self.value!r}")
        return Fraction(Decimal(str(self.value)))

    @property
    def text(self) -> str:
        return str(self.value)


class Definition(BaseModel):
    """A unit definition (not from the corpus, so not quote-checked)."""

    id: str
    value: str
    unit: str
    source: str

    @property
    def number(self) -> Fraction:
        return Fraction(self.value)


class ParamSet(BaseModel):
    params: list[Param]
    definitions: list[Definition] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique(self) -> ParamSet:
        seen: set[str] = set()
        items: list[Param | Definition] = [*self.params, *self.definitions]
        for item in items:
            if item.id in seen:
                raise ValueError(f"duplicate parameter id {item.id}")
            seen.add(item.id)
        return self

    def get(self, param_id: str) -> Param:
        for param in self.params:
            if param.id == param_id:
                return param
        raise KeyError(param_id)

    def num(self, param_id: str) -> Fraction:
        return self.get(param_id).number

    def text(self, param_id: str) -> str:
        return self.get(param_id).text

    def definition(self, def_id: str) -> Fraction:
        for item in self.definitions:
            if item.id == def_id:
                return item.number
        raise KeyError(def_id)

    def ids(self) -> list[str]:
        return [p.id for p in self.params]


def load_params(path: Path | None = None) -> ParamSet:
    data: dict[str, Any] = tomllib.loads((path or PARAMS_FILE).read_text(encoding="utf-8"))
    return ParamSet(params=data.get("param", []), definitions=data.get("definition", []))


@lru_cache(maxsize=1)
def default_params() -> ParamSet:
    return load_params()


def _value_forms(value: Fraction) -> list[str]:
    """How a number may be printed: digits ('0.04', '30') or Chinese numerals ('三十')."""
    decimal = Decimal(value.numerator) / Decimal(value.denominator)
    digits = format(decimal.normalize(), "f")
    forms = [digits]
    if value.denominator == 1:
        forms.append(cn2an.an2cn(str(value.numerator)))
    return forms


def _contains_number(quote: str, value: Fraction) -> bool:
    for form in _value_forms(value):
        if form[0].isdigit():
            pattern = rf"(?<![\d.]){re.escape(form)}(?![\d])(?!\.\d)"
        else:
            pattern = rf"(?<![零〇一二两三四五六七八九十百千万]){re.escape(form)}(?![零〇一二两三四五六七八九十百千万])"
        if re.search(pattern, quote):
            return True
    return False


def check_quotes(unit_texts: Mapping[str, str], params: ParamSet | None = None) -> list[str]:
    """Every problem with the parameters against the ingested unit texts (empty list = all good).

    A problem is: an unknown unit id; a quote not found verbatim in its unit's text; a quote
    found more than once (not unique, so it cannot pin the constant); a numeric value that
    is not printed in its own quote; a boundary word that is not in the quote.
    """
    params = params or default_params()
    problems: list[str] = []
    for param in params.params:
        where = f"{param.id} ({param.path}, {param.unit_id})"
        if param.is_number and not _contains_number(param.quote, param.number):
            problems.append(f"{where}: value {param.value} is not printed in its quote 「{param.quote}」")
        for word in param.qualifier:
            if word not in param.quote:
                problems.append(f"{where}: boundary word 「{word}」 is not in its quote 「{param.quote}」")
        text = unit_texts.get(param.unit_id)
        if text is None:
            problems.append(f"{where}: unknown unit id {param.unit_id}")
            continue
        count = text.count(param.quote)
        if count == 0:
            problems.append(f"{where}: quote not found verbatim in the unit text: 「{param.quote}」")
        elif count > 1:
            problems.append(f"{where}: quote occurs {count} times in the unit text, not unique: 「{param.quote}」")
    return problems


class QuoteCheckError(RuntimeError):
    """Raised when a rule parameter no longer matches the text it was taken from."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"{len(problems)} rule parameter(s) do not match the ingested texts (qa/rules/params.toml):\n{lines}")


def assert_quotes(unit_texts: Mapping[str, str], params: ParamSet | None = None) -> None:
    """Fail loudly, listing every problem, if any parameter's quote does not check out."""
    problems = check_quotes(unit_texts, params)
    if problems:
        raise QuoteCheckError(problems)


def unit_texts_of(units: Iterable[Unit]) -> dict[str, str]:
    """{unit id: text} from ingested units, e.g. corpus.units."""
    return {unit.id: unit.text for unit in units}


def check_corpus(corpus: Corpus, params: ParamSet | None = None) -> list[str]:
    return check_quotes(unit_texts_of(corpus.units), params)


def assert_corpus(corpus: Corpus, params: ParamSet | None = None) -> None:
    """The index build calls this: raises QuoteCheckError listing every stale parameter."""
    assert_quotes(unit_texts_of(corpus.units), params)
