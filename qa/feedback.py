"""Staff feedback on answers: the request model, a SQLite store under the build folder, and candidate eval lines."""
from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal, TypedDict

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictStr, ValidationInfo, field_validator

from qa.schemas import MAX_QUESTION_CHARS, checked_question, clean_question

DB_NAME = "feedback.sqlite3"
MAX_COMMENT_CHARS = 1000
MAX_ANSWER_CHARS = 4000
MAX_CITATIONS = 20
MAX_COMPUTATIONS = 10
MAX_ROWS = 100_000  # one row per answer; beyond this the store refuses rather than grow without bound
UNIT_ID = r"^[A-Za-z0-9_\-]{1,60}:[A-Za-z0-9_.\-]{1,120}$"
RULE_ID = r"^[A-Za-z0-9_.\-]{1,100}$"
SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    answer_id TEXT PRIMARY KEY,
    rating TEXT NOT NULL CHECK (rating IN ('up', 'down')),
    comment TEXT,
    question TEXT NOT NULL,
    resolved_question TEXT,
    answer TEXT,
    abstained INTEGER NOT NULL,
    citations TEXT NOT NULL,
    computations TEXT NOT NULL,
    channel TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
)
"""


class FeedbackStoreError(RuntimeError):
    """The store cannot be read or written (damaged file, full disk, too many rows)."""


# ---------------------------------------------------------------------- the request
# the optional texts of a feedback: their length limit and their names in the error message
OPTIONAL_TEXTS: dict[str, tuple[int, str, str]] = {
    "resolved_question": (MAX_QUESTION_CHARS, "理解后的问题", "resolved question"),
    "comment": (MAX_COMMENT_CHARS, "说明", "comment"),
    "answer": (MAX_ANSWER_CHARS, "回答", "answer"),
}


def _cleaned_optional(value: str | None, limit: int, what_zh: str, what_en: str) -> str | None:
    if value is None:
        return None
    cleaned = clean_question(value)
    if len(cleaned) > limit:
        raise ValueError(f"{what_zh}超过{limit}个字符 / the {what_en} is longer than {limit} characters")
    return cleaned or None


class FeedbackComputation(BaseModel):
    model_config = ConfigDict(extra="forbid")
    rule: StrictStr = Field(pattern=RULE_ID)
    result: StrictStr = Field(max_length=500)


class FeedbackRequest(BaseModel):
    """👍/👎 on one answer: what was asked, what landqa understood and answered, and an optional comment."""

    model_config = ConfigDict(extra="forbid")
    answer_id: StrictStr = Field(pattern=r"^[0-9a-f]{32}$", description="AskResponse.answer_id")
    rating: Literal["up", "down"]
    comment: StrictStr | None = Field(None, max_length=100_000, description=f"可选说明，最多{MAX_COMMENT_CHARS}字 / optional comment")
    question: StrictStr = Field(max_length=100_000, description="用户输入的问题，1–1000字 / the question as typed")
    resolved_question: StrictStr | None = Field(None, max_length=100_000, description="AskResponse.resolved_question")
    answer: StrictStr | None = Field(None, max_length=100_000, description=f"回答文本，最多{MAX_ANSWER_CHARS}字 / the answer text")
    abstained: StrictBool = False
    citations: list[StrictStr] = Field(default_factory=list, max_length=MAX_CITATIONS)
    computations: list[FeedbackComputation] = Field(default_factory=list, max_length=MAX_COMPUTATIONS)

    _question = field_validator("question")(checked_question)  # the same check as /api/ask's

    @field_validator(*OPTIONAL_TEXTS)
    @classmethod
    def _optional_text(cls, value: str | None, info: ValidationInfo) -> str | None:
        assert info.field_name is not None
        return _cleaned_optional(value, *OPTIONAL_TEXTS[info.field_name])

    @field_validator("citations")
    @classmethod
    def _citations(cls, value: list[str]) -> list[str]:
        bad = [v for v in value if not re.match(UNIT_ID, v)]
        if bad:
            raise ValueError(f"引用编号格式不对：{bad[0][:60]} / not a unit id: {bad[0][:60]}")
        return list(dict.fromkeys(value))


class FeedbackResponse(BaseModel):
    answer_id: str
    rating: Literal["up", "down"]
    status: Literal["created", "updated"]


class FeedbackRecord(FeedbackRequest):
    """A stored row: the request as cleaned, where it came from and when."""

    model_config = ConfigDict(extra="ignore")
    channel: str
    created_at: str
    updated_at: str


# ---------------------------------------------------------------------- the store
class FeedbackStore:
    """One row per answer (a second 👍/👎 or a comment on the same answer replaces the first), in SQLite.

    Every write is one transaction; a connection per call keeps threads apart, and SQLite's own
    locking keeps several server processes apart.
    """

    def __init__(self, path: Path, max_rows: int = MAX_ROWS) -> None:
        self.path = path
        self.max_rows = max_rows

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=10)
        except (OSError, sqlite3.Error) as exc:
            raise FeedbackStoreError(f"cannot open {self.path}: {exc}") from exc
        try:
            conn.execute("PRAGMA journal_mode=WAL")  # readers (an export) never block the server's writes
            conn.execute(SCHEMA)
            conn.commit()
            yield conn
        except sqlite3.Error as exc:
            raise FeedbackStoreError(f"{self.path}: {exc}") from exc
        finally:
            conn.close()

    def save(self, feedback: FeedbackRequest, channel: str) -> FeedbackResponse:
        now = datetime.now(UTC).isoformat(timespec="seconds")
        row = {
            "answer_id": feedback.answer_id, "rating": feedback.rating, "comment": feedback.comment,
            "question": feedback.question, "resolved_question": feedback.resolved_question, "answer": feedback.answer,
            "abstained": int(feedback.abstained), "citations": json.dumps(feedback.citations, ensure_ascii=False),
            "computations": json.dumps([c.model_dump() for c in feedback.computations], ensure_ascii=False),
            "channel": channel[:100], "now": now,
        }
        with self._connect() as conn, conn:
            exists = conn.execute("SELECT 1 FROM feedback WHERE answer_id = ?", (feedback.answer_id,)).fetchone() is not None
            if not exists and conn.execute("SELECT count(*) FROM feedback").fetchone()[0] >= self.max_rows:
                raise FeedbackStoreError(f"the store holds {self.max_rows} rows already")
            conn.execute(
                """INSERT INTO feedback (answer_id, rating, comment, question, resolved_question, answer, abstained,
                                         citations, computations, channel, created_at, updated_at)
                   VALUES (:answer_id, :rating, :comment, :question, :resolved_question, :answer, :abstained,
                           :citations, :computations, :channel, :now, :now)
                   ON CONFLICT(answer_id) DO UPDATE SET
                       rating = excluded.rating, comment = excluded.comment, question = excluded.question,
                       resolved_question = excluded.resolved_question, answer = excluded.answer,
                       abstained = excluded.abstained, citations = excluded.citations,
                       computations = excluded.computations, channel = excluded.channel, updated_at = excluded.updated_at""",
                row,
            )
        return FeedbackResponse(answer_id=feedback.answer_id, rating=feedback.rating, status="updated" if exists else "created")

    def records(self, rating: Literal["up", "down"] | None = None) -> list[FeedbackRecord]:
        """Every row, oldest first; a row that no longer validates is skipped rather than crash an export."""
        if not self.path.exists():
            return []
        query = "SELECT * FROM feedback" + (" WHERE rating = ?" if rating else "") + " ORDER BY created_at, answer_id"
        with self._connect() as conn:
            conn.row_factory = sqlite3.Row
            rows = conn.execute(query, (rating,) if rating else ()).fetchall()
        out = []
        for row in rows:
            data = dict(row)
            try:
                data["citations"] = json.loads(data["citations"])
                data["computations"] = json.loads(data["computations"])
                data["abstained"] = bool(data["abstained"])
                out.append(FeedbackRecord.model_validate(data))
            except ValueError:
                continue
        return out


# ---------------------------------------------------------------------- export
class Candidate(TypedDict):
    """A line of eval/questions.jsonl proposed from feedback, with the feedback it came from."""

    id: str
    question: str
    type: str
    doc_ids: list[str]
    gold: list[str]
    facts: list[str]
    computed: str | None
    split: str
    note: str
    reviewed: bool
    feedback: dict[str, object]


def candidate(record: FeedbackRecord) -> Candidate:
    """One line in the eval/questions.jsonl format, marked unreviewed, for a person to complete.

    A 👍 proposes what was answered (cited units, computed result) as the expected answer; a 👎
    proposes nothing: the reviewer writes gold units and facts. The id, type and split are
    placeholders the reviewer sets (the split by the set's fixed rule).
    """
    good = record.rating == "up"
    # A refusal staff approve of is an unanswerable question; one they reject was answerable.
    kind = ("unanswerable" if good else "lookup") if record.abstained else "computation" if record.computations else "lookup"
    gold = list(record.citations) if good and not record.abstained else []
    computed = record.computations[0].result if good and len(record.computations) == 1 else None
    return {
        "id": f"fb-{record.answer_id[:12]}",
        "question": record.resolved_question or record.question,
        "type": kind,
        "doc_ids": list(dict.fromkeys(g.split(":", 1)[0] for g in gold)),
        "gold": gold,
        "facts": [],
        "computed": computed,
        "split": "test",
        "note": f"staff feedback {'👍' if good else '👎'} {record.updated_at}" + (f": {record.comment}" if record.comment else ""),
        "reviewed": False,
        "feedback": {
            "answer_id": record.answer_id, "rating": record.rating, "comment": record.comment,
            "asked": record.question, "resolved_question": record.resolved_question, "answer": record.answer,
            "abstained": record.abstained, "cited": record.citations,
            "computations": [c.model_dump() for c in record.computations], "channel": record.channel,
        },
    }


def export_lines(store: FeedbackStore, rating: Literal["up", "down"] | None = None) -> list[str]:
    return [json.dumps(candidate(r), ensure_ascii=False) for r in store.records(rating)]


def store_for(build_dir: Path) -> FeedbackStore:
    return FeedbackStore(build_dir / "feedback" / DB_NAME)
