"""Pydantic models at the boundaries: what ask, search and units return to the CLI and the API."""
from __future__ import annotations

import re
import unicodedata
import uuid
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr, field_validator, model_validator

from qa.rules.model import Computation


class UnitRef(BaseModel):
    """A cross-reference: a unit of the corpus (id, label) or a text outside it (title, outside: true)."""

    model_config = ConfigDict(from_attributes=True)  # built from ingest.refs.RefLink
    kind: str  # article, clause, item, list, document, outside
    text: str  # as printed in the unit: 前款第（三）项, 《土地管理法》
    id: str | None = None
    label: str | None = None
    title: str | None = None
    outside: bool = False  # a law or text not in the corpus


class Citation(BaseModel):
    id: str
    doc_id: str
    doc_title: str
    label: str
    status: str
    text: str
    score: float
    quote: str | None = None  # the sentence, 款 or 项 the answer rests on, verbatim
    refs: list[UnitRef] = Field(default_factory=list)  # what the cited text points to (前款, 本条, 《…》)


class AskResponse(BaseModel):
    question: str
    answer: str
    abstained: bool
    # answered: a passage binds the asked value to the asked subject; not_stated: the texts speak of the
    # subject but do not state what is asked; out_of_scope: another region, year or field
    answer_kind: Literal["answered", "not_stated", "out_of_scope"] = "answered"
    reason: str | None = None
    reason_code: str | None = None
    resolved_question: str | None = None  # the question as understood, when a follow-up was completed from history
    citations: list[Citation]
    computations: list[Computation]  # as the rules computed them (qa.rules.model)
    warnings: list[str] = Field(default_factory=list)
    route: dict[str, object] = Field(default_factory=dict)
    timings_ms: dict[str, float]
    # Names this answer for feedback (POST /api/feedback); nothing about the answer is stored with it.
    answer_id: str = Field(default_factory=lambda: uuid.uuid4().hex)


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
    refs: list[UnitRef] = Field(default_factory=list)  # what this unit's text points to
    referenced_by: list[UnitRef] = Field(default_factory=list)  # the units whose text points to this one


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
MAX_QUESTION_CHARS = 1000
MAX_TOP_K = 20
MAX_HISTORY_TURNS = 20
MAX_TURN_CHARS = 2000
# 4000 characters of history and a 1000-character question stay under the 16 KB body limit in UTF-8.
MAX_HISTORY_CHARS = 4000
ZERO_WIDTH = re.compile("[\u200b-\u200f\u2028-\u202f\u2060-\u206f\ufeff]")
FULL_WIDTH_ALNUM = {code: code - 0xFEE0 for code in [*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B)]}


def clean_question(text: str) -> str:
    """Drop zero-width and control characters, turn full-width digits and letters into ASCII."""
    text = ZERO_WIDTH.sub("", text).translate(FULL_WIDTH_ALNUM)
    text = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch)[0] != "C")
    return text.strip()


def checked_text(value: str, most: int, zh: str, en: str) -> str:
    """`value` cleaned, or a bilingual error naming it (zh, en) when it is empty or longer than `most` characters."""
    cleaned = clean_question(value)
    if not cleaned:
        raise ValueError(f"{zh}不能为空 / {en} is empty")
    if len(cleaned) > most:
        raise ValueError(f"{zh}超过{most}个字符 / {en} is longer than {most} characters")
    return cleaned


def checked_question(value: str) -> str:
    """The question cleaned, or a bilingual error when it is empty or too long."""
    return checked_text(value, MAX_QUESTION_CHARS, "问题", "the question")


class HistoryTurn(BaseModel):
    """One earlier turn of the conversation, cleaned like the question."""

    model_config = ConfigDict(extra="forbid")
    role: Literal["user", "assistant"]
    content: StrictStr = Field(description=f"1–{MAX_TURN_CHARS}字 / 1–{MAX_TURN_CHARS} characters", max_length=100_000)

    @field_validator("content")
    @classmethod
    def _content(cls, value: str) -> str:
        return checked_text(value, MAX_TURN_CHARS, "对话内容", "a turn of the history")


class AskRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    question: StrictStr = Field(description="问题，1–1000字 / the question, 1–1000 characters", max_length=100_000)
    top_k: StrictInt = Field(5, ge=1, le=MAX_TOP_K)
    history: list[HistoryTurn] | None = Field(
        None, max_length=MAX_HISTORY_TURNS,
        description=(
            f"此前的对话，最早的在前，最多{MAX_HISTORY_TURNS}轮、共{MAX_HISTORY_CHARS}字 / "
            f"earlier turns, oldest first, at most {MAX_HISTORY_TURNS} turns and {MAX_HISTORY_CHARS} characters"
        ),
    )

    _question = field_validator("question")(checked_question)

    @model_validator(mode="after")
    def _history_size(self) -> AskRequest:
        total = sum(len(turn.content) for turn in self.history or [])
        if total > MAX_HISTORY_CHARS:
            raise ValueError(f"对话历史共{total}个字符，超过{MAX_HISTORY_CHARS} / the history holds {total} characters, more than {MAX_HISTORY_CHARS}")
        return self

    def history_dicts(self) -> list[dict[str, str]] | None:
        """The history as Engine.ask takes it; None when there is none."""
        return [turn.model_dump() for turn in self.history] if self.history else None


class SearchRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    query: StrictStr = Field(max_length=100_000)
    top_k: StrictInt = Field(10, ge=1, le=MAX_TOP_K)

    _query = field_validator("query")(checked_question)
