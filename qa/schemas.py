"""Pydantic models at the boundaries: what ask, search and units return to the CLI and the API."""
from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class Citation(BaseModel):
    id: str
    doc_id: str
    doc_title: str
    label: str
    status: str
    text: str
    score: float
    quote: str | None = None  # the sentence, 款 or 项 the answer rests on, verbatim


class ComputationOut(BaseModel):
    rule: str
    title: str
    result: str
    value: float | int | None = None
    formula: str
    inputs: dict[str, Any]
    citation_ids: list[str]
    warnings: list[str]
    missing: list[str] = Field(default_factory=list)
    other_regions: list[str] = Field(default_factory=list)  # regions asked about that the rule does not govern
    details: dict[str, Any] = Field(default_factory=dict)


class AskResponse(BaseModel):
    question: str
    answer: str
    abstained: bool
    reason: str | None = None
    citations: list[Citation]
    computations: list[ComputationOut]
    warnings: list[str] = Field(default_factory=list)
    route: dict[str, Any] = Field(default_factory=dict)
    timings_ms: dict[str, float]


class SearchResponse(BaseModel):
    results: list[Citation]


class UnitView(BaseModel):
    id: str
    doc_id: str
    doc_title: str
    status: str
    kind: str
    label: str
    text: str
    heading_path: list[str]
    parent: str | None
    children: list[str]
    previous: str | None
    next: str | None
    cells: dict[str, str] | None = None


class DocumentInfo(BaseModel):
    id: str
    title: str
    short_name: str
    issuer: str
    region: str
    kind: str
    status: str
    dates: dict[str, str]
    units: int


# ---------------------------------------------------------------------- requests
import re as _re
import unicodedata as _unicodedata

from pydantic import ConfigDict, StrictInt, StrictStr, field_validator

MAX_QUESTION_CHARS = 1000
MAX_TOP_K = 20
ZERO_WIDTH = _re.compile("[\u200b-\u200f\u2028-\u202f\u2060-\u206f\ufeff]")
FULL_WIDTH_ALNUM = {code: code - 0xFEE0 for code in [*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B)]}


def clean_question(text: str) -> str:
    """Drop zero-width and control characters, turn full-width digits and letters into ASCII."""
    text = ZERO_WIDTH.sub("", text).translate(FULL_WIDTH_ALNUM)
    text = "".join(ch for ch in text if ch in "\n\t" or _unicodedata.category(ch)[0] != "C")
    return text.strip()


def _checked_question(value: str) -> str:
    cleaned = clean_question(value)
    if not cleaned:
        raise ValueError("问题不能为空 / the question is empty")
    if len(cleaned) > MAX_QUESTION_CHARS:
        raise ValueError(f"问题超过{MAX_QUESTION_CHARS}个字符 / the question is longer than {MAX_QUESTION_CHARS} characters")
    return cleaned


class AskRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    question: StrictStr = Field(description="问题，1–1000字 / the question, 1–1000 characters", max_length=100_000)
    top_k: StrictInt = Field(5, ge=1, le=MAX_TOP_K)

    _question = field_validator("question")(_checked_question)


class SearchRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    query: StrictStr = Field(max_length=100_000)
    top_k: StrictInt = Field(10, ge=1, le=MAX_TOP_K)

    _query = field_validator("query")(_checked_question)
