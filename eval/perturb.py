"""Perturbation invariance in the CheckList manner: surface variants of our own questions must keep the first citation and the computed results."""
from __future__ import annotations

import argparse
import json
import random
import sys
import time
import tomllib
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from eval.questions import Question, load_questions, select_split
from eval.textmatch import fact_present

__all__ = [
    "DEFAULT_THESAURUS_PATH",
    "FILLER_AFTER",
    "FILLER_BEFORE",
    "TEST_SUBSET_SEED",
    "TEST_SUBSET_SIZE",
    "TYPOS",
    "VARIANT_KINDS",
    "Variant",
    "aggregate",
    "load_thesaurus_pairs",
    "main",
    "make_variants",
    "run_perturbation",
    "subset",
]

VARIANT_KINDS = ("traditional", "fullwidth_digits", "filler", "spaces", "typo", "synonym")
DEFAULT_THESAURUS_PATH = Path(__file__).resolve().parent.parent / "qa" / "lexicon" / "thesaurus.toml"
TOP_K_ASK = 5

# Polite context staff put around a question; which pair a question gets depends on its id only.
FILLER_BEFORE = (
    "您好，我是乡镇所的，想请教一下。",
    "打扰了，有个问题想咨询一下。",
    "领导让我问一下，",
)
FILLER_AFTER = (
    "麻烦尽快回复，谢谢！",
    "谢谢！",
    "急用，辛苦了。",
)
# Common pinyin-input typos in this field's vocabulary: the right word and a homophone typed in its place.
# The first pair found in a question is applied once; the table knows nothing of any question.
TYPOS: tuple[tuple[str, str], ...] = (
    ("宅基地", "宅基第"),
    ("占用", "站用"),
    ("耕地", "耕第"),
    ("申请", "申情"),
    ("期限", "期线"),
    ("面积", "面基"),
    ("补偿", "补尝"),
    ("规划", "规化"),
    ("建设", "建社"),
    ("处罚", "处法"),
    ("征收", "正收"),
    ("县级", "县及"),
    ("农田", "农填"),
    ("审核", "审和"),
    ("需要", "须要"),
    ("已经", "以经"),
    ("土地", "土的"),
)
_END_PUNCT = frozenset("？?。！!，,；;")
SPACE_EVERY = 3  # characters between inserted spaces
_FULLWIDTH_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")
_WORD_CHARS = frozenset("0123456789.%abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")

# The subset the pytest runs (the CLI runs every answerable question of the split): at most this
# many questions, drawn with this seed, half of them with a computed result when there are enough.
TEST_SUBSET_SIZE = 48
TEST_SUBSET_SEED = 20261123


@dataclass(frozen=True)
class Variant:
    """One perturbed form of a question, or why there is none (skip)."""

    kind: str
    text: str | None
    skip: str | None = None


# --------------------------------------------------------------------------------------
# Variant generators
# --------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _s2t() -> Any:
    import opencc

    return opencc.OpenCC("s2t")


def _traditional(text: str) -> str:
    return _s2t().convert(text)


def _spaces(text: str, every: int = SPACE_EVERY) -> str:
    """A space after every few characters, never inside a number or a Latin word."""
    out: list[str] = []
    for i, ch in enumerate(text):
        out.append(ch)
        nxt = text[i + 1] if i + 1 < len(text) else ""
        if (i + 1) % every == 0 and nxt and not (ch in _WORD_CHARS and nxt in _WORD_CHARS) and not ch.isspace() and not nxt.isspace():
            out.append(" ")
    return "".join(out)


def _typo(text: str) -> str | None:
    for right, wrong in TYPOS:
        if right in text:
            return text.replace(right, wrong, 1)
    return None


def load_thesaurus_pairs(path: Path | None = None) -> list[tuple[str, str]] | None:
    """(word in a question, the word to put in its place) from qa/lexicon/thesaurus.toml; None when the file is absent.

    Only entries of kind "synonym" (same meaning) are used; "related" ones are broader or
    narrower and would change the question. Each of the texts' terms pairs with the entry's
    first staff word, and each staff word with the canonical (first) term, as two people
    would phrase the same question.
    """
    path = path or DEFAULT_THESAURUS_PATH
    if not path.exists():
        return None
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    pairs: list[tuple[str, str]] = []
    for entry in data.get("entry", []):
        if entry.get("kind", "related") != "synonym":
            continue
        terms = [t for t in entry.get("terms", []) if t]
        staff = [w for w in entry.get("staff", []) if w]
        if not terms or not staff:
            continue
        pairs += [(term, staff[0]) for term in terms]
        pairs += [(word, terms[0]) for word in staff]
    return list(dict.fromkeys(pairs))


def _repeats_context(text: str, at: int, word: str, other: str) -> bool:
    """Whether putting `other` for `word` at `at` would repeat what stands next to it.

    "补偿安置决定" with 安置决定 -> 征地补偿安置决定 repeats 补偿; "公示征地补偿方案" with
    补偿方案 -> 征地补偿安置方案 repeats 征地.
    """
    before, after = text[:at], text[at + len(word):]
    inner = other.find(word)
    if inner >= 0:
        head, tail = other[:inner], other[inner + len(word):]
        if (head and before.endswith(head[-1])) or (tail and after.startswith(tail[0])):
            return True
    head_ok = any(before.endswith(other[:k]) for k in range(1, len(other)) if other[:k] not in word)
    tail_ok = any(after.startswith(other[-k:]) for k in range(1, len(other)) if other[-k:] not in word)
    return head_ok or tail_ok


def _synonym(text: str, pairs: Sequence[tuple[str, str]]) -> str | None:
    """Swap the longest thesaurus word found in the question, once, where the swap repeats nothing around it."""
    for word, other in sorted(pairs, key=lambda p: -len(p[0])):
        at = text.find(word)
        if at < 0 or other in text or _repeats_context(text, at, word, other):
            continue
        return text[:at] + other + text[at + len(word):]
    return None


def make_variants(question: Question, thesaurus: Sequence[tuple[str, str]] | None) -> list[Variant]:
    """Every variant kind for one question, with a skip reason where a kind does not apply."""
    text = question.question
    pick = zlib.crc32(question.id.encode())  # filler chosen by id: stable, not by the question's words
    candidates: dict[str, tuple[str | None, str]] = {
        "traditional": (_traditional(text), "no character changes between simplified and traditional"),
        "fullwidth_digits": (text.translate(_FULLWIDTH_DIGITS), "no digits"),
        "filler": (FILLER_BEFORE[pick % len(FILLER_BEFORE)] + text + ("" if text[-1] in _END_PUNCT else "，")
                   + FILLER_AFTER[(pick // 7) % len(FILLER_AFTER)], ""),
        "spaces": (_spaces(text), "too short for spaces"),
        "typo": (_typo(text), "no word of the typo table"),
    }
    if thesaurus is None:
        candidates["synonym"] = (None, f"no thesaurus file ({DEFAULT_THESAURUS_PATH.name} absent)")
    else:
        candidates["synonym"] = (_synonym(text, thesaurus), "no thesaurus word in the question")
    out = []
    for kind in VARIANT_KINDS:
        variant, why = candidates[kind]
        if variant is None or variant == text:
            out.append(Variant(kind, None, why or "unchanged"))
        else:
            out.append(Variant(kind, variant))
    return out


# --------------------------------------------------------------------------------------
# Running and comparing
# --------------------------------------------------------------------------------------


def subset(questions: Sequence[Question], size: int = TEST_SUBSET_SIZE, seed: int = TEST_SUBSET_SEED) -> list[Question]:
    """A fixed sample of answerable questions: half with a computed result (when there are enough), in file order."""
    answerable = [q for q in questions if q.answerable]
    if len(answerable) <= size:
        return answerable
    rng = random.Random(seed)
    computed = [q for q in answerable if q.computed]
    other = [q for q in answerable if not q.computed]
    take_computed = min(len(computed), size // 2)
    picked = rng.sample(computed, take_computed) + rng.sample(other, min(len(other), size - take_computed))
    ids = {q.id for q in picked}
    return [q for q in answerable if q.id in ids]


def _outcome(response: Any, question: Question) -> dict[str, Any]:
    return {
        "first_citation": response.citations[0].id if response.citations else None,
        "computations": sorted({(c.rule, None if c.value is None else float(c.value), c.result) for c in response.computations}),
        "abstained": response.abstained,
        "facts_ok": (not response.abstained) and all(fact_present(f, response.answer) for f in question.facts),
    }


def run_perturbation(
    engine: Any,
    questions: Sequence[Question],
    *,
    thesaurus: Sequence[tuple[str, str]] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[dict[str, Any]]:
    """For each answerable question: the unperturbed outcome and each variant's outcome and whether it held."""
    records = []
    answerable = [q for q in questions if q.answerable]
    for n, q in enumerate(answerable, 1):
        base = _outcome(engine.ask(q.question, top_k=TOP_K_ASK), q)
        variants: dict[str, dict[str, Any]] = {}
        for v in make_variants(q, thesaurus):
            if v.text is None:
                variants[v.kind] = {"skip": v.skip}
                continue
            out = _outcome(engine.ask(v.text, top_k=TOP_K_ASK), q)
            has_computation = bool(base["computations"] or out["computations"])
            variants[v.kind] = {
                "text": v.text,
                **{k: out[k] for k in ("first_citation", "abstained", "facts_ok")},
                "computations": [list(c) for c in out["computations"]],
                "citation_same": out["first_citation"] == base["first_citation"],
                "computations_same": (out["computations"] == base["computations"]) if has_computation else None,
                "abstention_same": out["abstained"] == base["abstained"],
                "facts_same": out["facts_ok"] == base["facts_ok"],
            }
        records.append({"id": q.id, "type": q.type, "question": q.question,
                        "base": {**base, "computations": [list(c) for c in base["computations"]]}, "variants": variants})
        if progress:
            progress(n, len(answerable))
    return records


def _rate(values: Sequence[bool | None]) -> dict[str, Any]:
    kept = [bool(v) for v in values if v is not None]
    return {"rate": round(sum(kept) / len(kept), 4) if kept else None, "k": sum(kept), "n": len(kept)}


def aggregate(records: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Invariance rates per variant kind (and over all kinds): citations, computations, abstention, facts."""
    out: dict[str, Any] = {}
    for kind in (*VARIANT_KINDS, "all"):
        rows = [v for r in records for k, v in r["variants"].items() if (kind == "all" or k == kind) and "skip" not in v]
        skips = sorted({v["skip"] for r in records for k, v in r["variants"].items() if k == kind and "skip" in v})
        out[kind] = {
            "n": len(rows),
            "citations": _rate([v["citation_same"] for v in rows]),
            "computations": _rate([v["computations_same"] for v in rows]),
            "abstention": _rate([v["abstention_same"] for v in rows]),
            "facts": _rate([v["facts_same"] for v in rows]),
            "skipped": sum(1 for r in records if kind in r["variants"] and "skip" in r["variants"][kind]),
            "skip_reasons": skips,
        }
    return out


def render_text(metrics: Mapping[str, Any], header: str) -> str:
    """The invariance table `landqa eval --perturb` prints."""
    def cell(block: Mapping[str, Any]) -> str:
        return "–" if block["rate"] is None else f"{block['rate']:.3f} ({block['k']}/{block['n']})"

    rows = [[kind, str(m["n"]), cell(m["citations"]), cell(m["computations"]), cell(m["abstention"]), cell(m["facts"]),
             str(m["skipped"]) + (f" ({'; '.join(m['skip_reasons'])})" if m["skip_reasons"] and not m["n"] else "")]
            for kind, m in metrics.items()]
    headers = ["variant", "n", "first citation same", "computations same", "abstention same", "facts same", "skipped"]
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True))

    return "\n".join([header, line(headers), line(["-" * w for w in widths]), *(line(r) for r in rows),
                      "(computations: questions where the unperturbed or the perturbed question computed something)"])


def main(args: argparse.Namespace) -> int:
    """`landqa eval --perturb`: invariance over every answerable question of --split; writes perturb.json."""
    from qa.engine import load_engine

    if args.split == "external":
        print("landqa eval --perturb: perturbations are generated from eval/questions.jsonl only, not the external split", file=sys.stderr)
        return 2
    started = time.perf_counter()
    questions = [q for q in select_split(load_questions(args.questions), args.split) if q.answerable]
    if args.limit:
        questions = questions[: args.limit]
    log = (lambda msg: print(msg, file=sys.stderr)) if not args.quiet else (lambda msg: None)
    thesaurus = load_thesaurus_pairs()
    if thesaurus is None:
        log(f"synonym variant skipped: {DEFAULT_THESAURUS_PATH} not found")
    log(f"landqa eval --perturb: {len(questions)} answerable questions ({args.split}) × {len(VARIANT_KINDS)} variant kinds; loading the engine …")
    engine = load_engine()
    last = [time.perf_counter()]

    def progress(n: int, total: int) -> None:
        if n == total or time.perf_counter() - last[0] > 15:
            last[0] = time.perf_counter()
            log(f"  {n}/{total}")

    records = run_perturbation(engine, questions, thesaurus=thesaurus, progress=progress)
    metrics = aggregate(records)
    duration = round(time.perf_counter() - started, 1)
    print(render_text(metrics, f"landqa eval --perturb — split {args.split}, {len(questions)} answerable questions, {duration} s"))
    out_dir = Path(args.out)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "perturb.json"
    tmp = path.with_suffix(".json.tmp")
    payload = {"meta": {"created": datetime.now(UTC).isoformat(timespec="seconds"), "split": args.split,
                        "questions": len(questions), "duration_s": duration}, "metrics": metrics, "records": records}
    tmp.write_text(json.dumps(payload, ensure_ascii=False, indent=1), encoding="utf-8")
    tmp.replace(path)
    print(f"\nJSON: {path}")
    return 0
