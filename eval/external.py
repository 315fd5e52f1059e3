"""The external split: questions written outside the project, loaded, run through `ask` and scored; never tuned on."""
from __future__ import annotations

import inspect
import re
import statistics
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from itertools import product
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from eval.metrics import UnitRelations, percentile, retrieval_scores
from eval.questions import Turn, read_jsonl
from eval.textmatch import fact_present, normalize

__all__ = [
    "DEFAULT_EXTERNAL_PATH",
    "EXTERNAL_TYPES",
    "ExternalQuestion",
    "NeedsResolver",
    "aggregate_external",
    "ask_engine",
    "doc_ids_for",
    "evaluate_external",
    "load_external",
]

REPO_ROOT = Path(__file__).resolve().parent.parent
# The shared folder sits beside the clone, locally and in CI.
DEFAULT_EXTERNAL_PATH = REPO_ROOT.parent / "shared" / "questions" / "external-dev.jsonl"
TOP_K_ASK = 5
TOP_K_RETRIEVAL = 10

ExternalType = Literal["lookup", "compute", "abstain", "multi", "phrasing", "deadline", "yesno", "followup", "authority"]
EXTERNAL_TYPES: tuple[str, ...] = ("lookup", "compute", "abstain", "multi", "phrasing", "deadline", "yesno", "followup", "authority")


class ExternalQuestion(BaseModel):
    """One question in the external file's own format (not eval/questions.jsonl's)."""

    # The file is not ours: tolerate fields added later instead of refusing the whole split.
    model_config = ConfigDict(extra="ignore", frozen=True)

    id: str = Field(min_length=1)
    doc: str  # source-file numbers joined by '+' ("001", "003+002") or "none"
    type: ExternalType
    q: str = Field(min_length=1)
    gold: list[str] = Field(default_factory=list)  # verbatim corpus phrases the answer rests on
    expect: list[list[str]] = Field(default_factory=list)  # every group needs one alternative in the answer
    needs: list[str] = Field(default_factory=list)  # references: 第五十三条, 专栏1, 附件1第49行 …
    note: str = ""
    history: list[Turn] | None = None

    @property
    def answerable(self) -> bool:
        return self.type != "abstain"

    def history_dicts(self) -> list[dict[str, str]] | None:
        return [t.model_dump() for t in self.history] if self.history else None


def load_external(path: Path | str | None = None) -> list[ExternalQuestion]:
    """Read the external JSONL file; FileNotFoundError when it is absent (the caller skips the split)."""
    return read_jsonl(Path(path) if path is not None else DEFAULT_EXTERNAL_PATH, ExternalQuestion)


def doc_ids_for(doc: str, catalog: Any) -> list[str]:
    """'003+002' -> the catalog ids whose source file starts with 003_ and 002_; 'none' -> []."""
    ids = []
    for number in (part.strip() for part in doc.split("+")):
        if not number or number.lower() == "none":
            continue
        found = [d.id for d in catalog.documents if (d.source_file or "").split("_", 1)[0] == number]
        if not found:
            raise ValueError(f"document {number!r} is not in the catalog's source files")
        ids.extend(found)
    return list(dict.fromkeys(ids))


# --------------------------------------------------------------------------------------
# Resolving references ("needs") to unit ids, generically over unit labels and heading paths
# --------------------------------------------------------------------------------------

# The enumerator a heading starts with: 第五章, 第一节, 三、, （二）, 3., 专栏1, 表1, 附件1.
_MARKER_RE = re.compile(
    r"^(第[一二三四五六七八九十百零〇\d]+[章节条]|[一二三四五六七八九十百]+、|[（(][一二三四五六七八九十百\d]+[)）]"
    r"|\d+[.．、]|专栏\s*[\d一二三四五六七八九十]+|表\s*\d+|附件\s*\d+)"
)
_TRAILING_PUNCT = "。：:；;，,、.． "
_REMARK_RE = re.compile(r"[（(][^（()）]*[)）]$")  # a remark after a reference: 附件1第787行（应为87）
# Words for the text before a document's first heading (a unit without a heading path).
_PREAMBLE_WORDS = ("前言", "序言", "引言", "开头")
_ROW_NAME_RE = re.compile(r"[（(][^（()）]*(?:[（(][^（()）]*[)）][^（()）]*)*[)）]$")  # a row's name in brackets at the end
_ITEM_PARENS_RE = re.compile(r"第\((\d+)\)项")


def _key(text: str) -> str:
    """Comparable form of a reference: normalized text, '第(2)项' = '第2项', no trailing punctuation."""
    return _ITEM_PARENS_RE.sub(r"第\1项", normalize(text.strip().strip(_TRAILING_PUNCT)))


def _forms(component: str) -> set[str]:
    """A heading as it may be referred to: in full, by its enumerator, or by its title."""
    full = component.strip().strip(_TRAILING_PUNCT)
    forms = {full}
    m = _MARKER_RE.match(full)
    if m:
        marker = m.group(1)
        forms.add(marker)
        title = full[m.end():].strip().strip(_TRAILING_PUNCT)
        if title:
            forms.add(title)
    return {f for f in forms if f}


class NeedsResolver:
    """Maps a reference such as 第五十三条, 专栏1, 附件1第49行 or 三、计划指标（二） to the unit ids it names.

    A reference resolves to the units whose label says it, or to the section whose heading path
    (any tail of it, each heading given in full, by enumerator or by title) says it, together
    with every unit under that section. It resolves only when exactly one section or label fits.
    """

    def __init__(self, corpus: Any) -> None:
        self._units = list(corpus.units)
        self._index = {u.id: u for u in self._units}
        self._by_label: dict[tuple[str, str], set[str]] = {}
        self._by_path: dict[tuple[str, str], set[tuple[str, ...]]] = {}
        self._under: dict[tuple[str, tuple[str, ...]], list[str]] = {}
        for unit in self._units:
            for key in self._label_keys(unit):
                self._by_label.setdefault((unit.doc_id, key), set()).add(unit.id)
            path = tuple(unit.heading_path)
            for depth in range(1, len(path) + 1):
                self._under.setdefault((unit.doc_id, path[:depth]), []).append(unit.id)
        for doc_id, path in list(self._under):
            for key in self._path_keys(path):
                self._by_path.setdefault((doc_id, key), set()).add(path)

    @staticmethod
    def _label_keys(unit: Any) -> set[str]:
        label = unit.short_label
        keys = {label}
        if not unit.heading_path and unit.kind == "paragraph":
            keys.update(_PREAMBLE_WORDS)
        if unit.kind == "table_row":
            bare = _ROW_NAME_RE.sub("", label)  # 附件1第49项（…） -> 附件1第49项
            keys |= {bare, bare.replace("项", "行"), bare.replace("行", "项")}
            table = re.match(r"^(表\s*\d+|附件\s*\d+)", bare)
            if table and unit.number is not None:
                keys.add(f"{table.group(1)}序号{unit.number}")
        return {_key(k) for k in keys if k}

    @staticmethod
    def _path_keys(path: tuple[str, ...]) -> set[str]:
        keys = set()
        for start in range(len(path)):
            for combo in product(*(sorted(_forms(c)) for c in path[start:])):
                keys.add(_key("".join(combo)))
        return keys

    def resolve(self, need: str, doc_ids: Sequence[str]) -> list[str]:
        """Unit ids the reference names (the section and everything under it); [] when none or ambiguous."""
        other_docs = [d for d in dict.fromkeys(u.doc_id for u in self._units) if d not in doc_ids]
        for text in dict.fromkeys([need, _REMARK_RE.sub("", need.strip())]):
            for docs in (list(doc_ids), other_docs):
                found = self._resolve_in(_key(text), docs)
                if found:
                    return found
        return []

    def _resolve_in(self, key: str, doc_ids: Iterable[str]) -> list[str]:
        """The one labelled unit and/or the one section the key names within these documents."""
        labelled = {uid for doc in doc_ids for uid in self._by_label.get((doc, key), ())}
        sections = [(doc, path) for doc in doc_ids for path in self._by_path.get((doc, key), ())]
        if len(labelled) > 1 or len(sections) > 1:
            return []  # ambiguous
        found = list(labelled)
        for uid in labelled:
            unit = self._unit(uid)
            if unit.kind in ("heading", "box"):  # a heading unit stands for its whole section
                found += self._under.get((unit.doc_id, tuple(unit.heading_path)), [])
        for section in sections:
            found += self._under[section]
        return list(dict.fromkeys(found))

    def _unit(self, unit_id: str) -> Any:
        return self._index[unit_id]


# --------------------------------------------------------------------------------------
# Running and scoring
# --------------------------------------------------------------------------------------


def ask_engine(engine: Any, question: str, top_k: int, history: list[dict[str, str]] | None) -> Any:
    """engine.ask, passing the conversation only when the engine's ask takes a `history` parameter."""
    if history and "history" in inspect.signature(engine.ask).parameters:
        return engine.ask(question, top_k=top_k, history=history)
    return engine.ask(question, top_k=top_k)


def _ms(start: float) -> float:
    return round((time.perf_counter() - start) * 1000, 2)


def _group_present(group: Sequence[str], text: str) -> bool:
    return any(fact_present(alt, text) for alt in group if alt.strip())


def score_external(
    q: ExternalQuestion, answer: str, abstained: bool, cited: Sequence[str], gold_units: Sequence[str], relations: UnitRelations
) -> dict[str, Any]:
    """Per-question scores; None where a score does not apply."""
    scores: dict[str, Any] = {
        "abstained": abstained, "facts_ok": None, "group_recall": None, "groups_missing": [],
        "correct_refusal": None, "false_refusal": None, "gold_first": None, "gold_top5": None, "multi_full": None,
    }
    if not q.answerable:
        scores["correct_refusal"] = abstained
        return scores
    scores["false_refusal"] = abstained
    text = "" if abstained else answer
    missing = [g for g in q.expect if not _group_present(g, text)]
    scores["groups_missing"] = missing
    scores["group_recall"] = 1.0 - len(missing) / len(q.expect) if q.expect else None
    scores["facts_ok"] = (not abstained and not missing) if q.expect else None
    if q.type == "multi":
        scores["multi_full"] = scores["facts_ok"]
    if gold_units:
        hits = [any(relations.matches(c, g) for g in gold_units) for c in cited[:TOP_K_ASK]]
        scores["gold_first"] = bool(hits and hits[0])
        scores["gold_top5"] = any(hits)
    return scores


def evaluate_external(
    engine: Any,
    questions: Sequence[ExternalQuestion],
    *,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, Any]:
    """Records for every external question plus how its references resolved and whether history was passed."""
    relations = UnitRelations.from_corpus(engine.corpus)
    resolver = NeedsResolver(engine.corpus)
    history_supported = "history" in inspect.signature(engine.ask).parameters
    records = []
    for n, q in enumerate(questions, 1):
        docs = doc_ids_for(q.doc, engine.corpus.catalog)
        resolved = {need: resolver.resolve(need, docs) for need in q.needs}
        gold_units = list(dict.fromkeys(u for ids in resolved.values() for u in ids))
        started = time.perf_counter()
        hits = engine.search(q.q, TOP_K_RETRIEVAL, "hybrid")
        search_ms = _ms(started)
        ranked = [h.unit.id for h in hits]
        started = time.perf_counter()
        response = ask_engine(engine, q.q, TOP_K_ASK, q.history_dicts())
        ask_ms = _ms(started)
        cited = [c.id for c in response.citations]
        record = {
            "id": q.id, "question": q.q, "type": q.type, "doc": q.doc, "doc_ids": docs, "needs": q.needs,
            "resolved": {need: ids[:3] + (["…"] if len(ids) > 3 else []) for need, ids in resolved.items()},
            "unresolved": [need for need, ids in resolved.items() if not ids],
            "expect": q.expect, "note": q.note, "history": q.history_dicts(),
            "retrieval": {"hybrid": {"ranked": ranked, "ms": search_ms, **(retrieval_scores(ranked, gold_units, relations) if gold_units else {})}},
            "ask": {
                "ms": ask_ms, "answer": response.answer, "abstained": response.abstained, "reason": response.reason,
                "answer_kind": getattr(response, "answer_kind", None),
                "cited": cited,
                "citations": [{"id": c.id, "label": c.label, "quoted": bool(c.quote), "score": c.score} for c in response.citations],
                "computations": [{"rule": c.rule, "result": c.result} for c in response.computations],
            },
            "scores": score_external(q, response.answer, response.abstained, cited, gold_units, relations),
        }
        records.append(record)
        if progress:
            progress(n, len(questions))
    return {"history_supported": history_supported, "records": records}


def _rate(values: Iterable[Any]) -> dict[str, Any]:
    kept = [bool(v) for v in values if v is not None]
    return {"rate": round(sum(kept) / len(kept), 4) if kept else None, "k": sum(kept), "n": len(kept)}


def _block(records: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    s = [r["scores"] for r in records]
    hybrid = [r["retrieval"]["hybrid"] for r in records if "hit@1" in r["retrieval"]["hybrid"]]
    recall = [x["group_recall"] for x in s if x["group_recall"] is not None]
    return {
        "n": len(records),
        "facts_present": _rate(x["facts_ok"] for x in s),
        "fact_group_recall": round(statistics.fmean(recall), 4) if recall else None,
        "correct_refusals": _rate(x["correct_refusal"] for x in s),
        "false_refusals": _rate(x["false_refusal"] for x in s),
        "gold_first": _rate(x["gold_first"] for x in s),
        "gold_top5": _rate(x["gold_top5"] for x in s),
        "search_hit@1": _rate(h["hit@1"] for h in hybrid),
        "search_hit@5": _rate(h["hit@5"] for h in hybrid),
        "multi_fully_answered": _rate(x["multi_full"] for x in s),
    }


def aggregate_external(result: Mapping[str, Any]) -> dict[str, Any]:
    """Overall, per-type and per-document metrics, answer kinds, reference resolution and latency."""
    records = result["records"]
    ask_ms = [r["ask"]["ms"] for r in records]
    needs_total = sum(len(r["needs"]) for r in records)
    unresolved = [(r["id"], need) for r in records for need in r["unresolved"]]
    kinds = Counter(r["ask"]["answer_kind"] for r in records if r["ask"]["answer_kind"] is not None)
    by_doc: dict[str, Any] = {}
    for doc_id in dict.fromkeys(d for r in records for d in r["doc_ids"]):
        by_doc[doc_id] = _block([r for r in records if doc_id in r["doc_ids"]])
    return {
        "overall": _block(records),
        "by_type": {t: _block([r for r in records if r["type"] == t]) for t in EXTERNAL_TYPES if any(r["type"] == t for r in records)},
        "by_document": by_doc,
        "answer_kind": dict(kinds) if kinds else None,
        "needs": {"total": needs_total, "resolved": needs_total - len(unresolved), "unresolved": [f"{i}: {n}" for i, n in unresolved]},
        "history_supported": result["history_supported"],
        "latency": {"ask_ms_p50": round(percentile(ask_ms, 0.5), 2) if ask_ms else None,
                    "ask_ms_p95": round(percentile(ask_ms, 0.95), 2) if ask_ms else None},
    }
