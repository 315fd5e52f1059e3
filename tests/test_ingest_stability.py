"""Unit ids and texts are stable: two runs, and the on-disk cache, give the same corpus."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

from ingest.pipeline import Corpus, build_corpus


def _signature(corpus: Corpus) -> list[tuple[str, str, str, list[tuple[int, int]]]]:
    return [(u.id, u.label, u.text, [tuple(s) for s in u.spans]) for u in corpus.units]


def test_two_runs_give_the_same_units(corpus: Corpus) -> None:
    first = build_corpus(use_cache=False)
    second = build_corpus(use_cache=False)
    assert _signature(first) == _signature(second) == _signature(corpus)
    assert [t.model_dump() for t in first.tables] == [t.model_dump() for t in second.tables]
    assert first.checksum == second.checksum


def test_unit_ids_are_unique(corpus: Corpus) -> None:
    counts = Counter(u.id for u in corpus.units)
    assert [uid for uid, n in counts.items() if n > 1] == []
    for unit in corpus.units:
        assert unit.id.startswith(f"{unit.doc_id}:")


def test_cached_corpus_equals_a_fresh_one(tmp_path: Path, corpus: Corpus) -> None:
    built = build_corpus(build_dir=tmp_path, use_cache=True)
    cache_files = list((tmp_path / "corpus").glob("*.json"))
    assert len(cache_files) == 1
    loaded = build_corpus(build_dir=tmp_path, use_cache=True)
    assert _signature(built) == _signature(loaded) == _signature(corpus)


def test_a_damaged_cache_is_rebuilt(tmp_path: Path, corpus: Corpus) -> None:
    build_corpus(build_dir=tmp_path, use_cache=True)
    cache = next((tmp_path / "corpus").glob("*.json"))
    cache.write_text("{not json", encoding="utf-8")
    assert _signature(build_corpus(build_dir=tmp_path, use_cache=True)) == _signature(corpus)


def test_unit_counts(corpus: Corpus) -> None:
    """A guard on the overall shape: a parser change that adds or loses units shows here."""
    counts = {parsed.doc_id: len(parsed.units) for parsed in corpus.documents}
    assert counts == {"xj-measures": 214, "xj-plan": 48, "kashgar-plan": 370, "bachu-supply-2025": 45, "nx-consolidation": 26}
