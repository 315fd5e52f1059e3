"""The evaluation question set: pydantic model, loader and the fixed tune/test split rule."""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

RecordT = TypeVar("RecordT", bound=BaseModel)

__all__ = [
    "DEFAULT_QUESTIONS_PATH",
    "QUESTION_TYPES",
    "Question",
    "expected_splits",
    "load_questions",
    "select_split",
]

DEFAULT_QUESTIONS_PATH = Path(__file__).resolve().parent / "questions.jsonl"

QuestionType = Literal[
    "lookup", "authority", "computation", "deadline", "multi-unit", "cross-document", "unanswerable"
]
QUESTION_TYPES: tuple[str, ...] = (
    "lookup", "authority", "computation", "deadline", "multi-unit", "cross-document", "unanswerable"
)
Split = Literal["tune", "test"]

# Within each type, in file order, positions 1 and 3 of every 5 go to the tuning set (40%).
_TUNE_POSITIONS = frozenset({1, 3})


class Turn(BaseModel):
    """One earlier message of a conversation (follow-up questions)."""

    model_config = ConfigDict(extra="ignore")

    role: str
    content: str


class Question(BaseModel):
    """One question as staff would ask it, with what a correct answer must cite and contain."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^q\d{3,}$")
    question: str = Field(min_length=2)
    type: QuestionType
    doc_ids: list[str] = Field(default_factory=list)
    gold: list[str] = Field(default_factory=list)  # unit ids; empty for unanswerable
    facts: list[str] = Field(default_factory=list)  # substrings a correct answer must contain
    computed: str | None = None  # exact expected result of a computation or deadline
    split: Split
    note: str | None = None  # conventions used (e.g. how a deadline is counted), source quirks
    history: list[Turn] | None = None  # the conversation before a follow-up, asked with it

    def history_dicts(self) -> list[dict[str, str]] | None:
        return [t.model_dump() for t in self.history] if self.history else None

    @field_validator("gold", "facts", "doc_ids")
    @classmethod
    def _no_blank_or_duplicate(cls, value: list[str]) -> list[str]:
        if any(not v.strip() for v in value):
            raise ValueError("blank entry")
        if len(set(value)) != len(value):
            raise ValueError("duplicate entry")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Question:
        if self.type == "unanswerable":
            if self.gold or self.facts or self.computed:
                raise ValueError(f"{self.id}: unanswerable questions have no gold, facts or computed result")
        else:
            if not self.gold:
                raise ValueError(f"{self.id}: answerable questions need gold unit ids")
            if not self.facts:
                raise ValueError(f"{self.id}: answerable questions need facts")
            gold_docs = {g.split(":", 1)[0] for g in self.gold}
            if gold_docs - set(self.doc_ids):
                raise ValueError(f"{self.id}: gold units from documents not in doc_ids: {gold_docs - set(self.doc_ids)}")
        if self.type == "cross-document" and len({g.split(":", 1)[0] for g in self.gold}) < 2:
            raise ValueError(f"{self.id}: a cross-document question needs gold units from two documents")
        if self.type == "multi-unit" and len(self.gold) < 2:
            raise ValueError(f"{self.id}: a multi-unit question needs two or more gold units")
        return self

    @property
    def answerable(self) -> bool:
        return self.type != "unanswerable"


def read_jsonl(path: Path, model: type[RecordT], unique: tuple[str, ...] = ("id",)) -> list[RecordT]:
    """Every non-blank line of a JSONL file validated as `model`; errors name path:line, and the `unique`
    fields may not repeat."""
    records: list[RecordT] = []
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            records.append(model.model_validate(json.loads(line)))
        except ValueError as exc:
            raise ValueError(f"{path}:{lineno}: {exc}") from exc
    for field in unique:
        dupes = [k for k, n in Counter(getattr(r, field) for r in records).items() if n > 1]
        if dupes:
            raise ValueError(f"{path}: duplicate {field}: {dupes[:5]}")
    return records


def load_questions(path: Path | str | None = None) -> list[Question]:
    """Read and validate the JSONL question file; ids and question texts must be unique."""
    return read_jsonl(Path(path) if path is not None else DEFAULT_QUESTIONS_PATH, Question, ("id", "question"))


def expected_splits(questions: list[Question]) -> dict[str, Split]:
    """The fixed split rule, stratified by type: the file records its result, tests check it still holds."""
    position: Counter[str] = Counter()
    result: dict[str, Split] = {}
    for q in questions:
        result[q.id] = "tune" if position[q.type] % 5 in _TUNE_POSITIONS else "test"
        position[q.type] += 1
    return result


def select_split(questions: list[Question], split: str) -> list[Question]:
    """Questions of one split ('tune', 'test') or all of them ('all')."""
    if split == "all":
        return list(questions)
    if split == "external":
        # The external questions are measured by `landqa eval` only (eval/external.py); nothing tunes on them.
        raise ValueError("the external split is not part of eval/questions.jsonl and is never tuned on: "
                         "load it with eval.external.load_external for measurement only")
    if split not in ("tune", "test"):
        raise ValueError(f"unknown split {split!r}: use tune, test or all")
    return [q for q in questions if q.split == split]
