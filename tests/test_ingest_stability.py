"""Unit ids and texts are stable: two runs, and the on-disk cache, give the same corpus."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

from ingest.catalog import DEFAULT_CORPUS_DIR, corpus_problem
from ingest.pipeline import Corpus, build_corpus


def _signature(corpus: Corpus) -> list[tuple[str, str, str, list[tuple[int, int]]]]:
    return [(u.id, u.label, u.text, [(start, end) for start, end in u.spans]) for u in corpus.units]


def test_two_runs_give_the_same_units(corpus: Corpus) -> None:
    first = build_corpus(DEFAULT_CORPUS_DIR, use_cache=False)
    second = build_corpus(DEFAULT_CORPUS_DIR, use_cache=False)
    assert _signature(first) == _signature(second) == _signature(corpus)
    assert [t.model_dump() for t in first.tables] == [t.model_dump() for t in second.tables]
    assert first.checksum == second.checksum


def test_unit_ids_are_unique(corpus: Corpus) -> None:
    counts = Counter(u.id for u in corpus.units)
    assert [uid for uid, n in counts.items() if n > 1] == []
    for unit in corpus.units:
        assert unit.id.startswith(f"{unit.doc_id}:")


def test_cached_corpus_equals_a_fresh_one(tmp_path: Path, corpus: Corpus) -> None:
    built = build_corpus(DEFAULT_CORPUS_DIR, tmp_path)
    cache_files = list((tmp_path / "corpus").glob("*.json"))
    assert len(cache_files) == 1
    loaded = build_corpus(DEFAULT_CORPUS_DIR, tmp_path)
    assert _signature(built) == _signature(loaded) == _signature(corpus)


def test_a_damaged_cache_is_rebuilt(tmp_path: Path, corpus: Corpus) -> None:
    build_corpus(DEFAULT_CORPUS_DIR, tmp_path)
    cache = next((tmp_path / "corpus").glob("*.json"))
    cache.write_text("{not json", encoding="utf-8")
    assert _signature(build_corpus(DEFAULT_CORPUS_DIR, tmp_path)) == _signature(corpus)


def test_unit_counts(corpus: Corpus) -> None:
    """A guard on the overall shape: a parser change that adds or loses units shows here."""
    counts = {parsed.doc_id: len(parsed.units) for parsed in corpus.documents}
    assert counts == {"xj-measures": 214, "xj-plan": 48, "kashgar-plan": 370, "bachu-supply-2025": 45, "nx-consolidation": 26}


def test_the_cached_corpus_knows_where_its_texts_are(tmp_path: Path) -> None:
    """The cache holds no directory (a copy of the texts elsewhere shares it): the reader's is attached."""
    build_corpus(DEFAULT_CORPUS_DIR, tmp_path)
    loaded = build_corpus(DEFAULT_CORPUS_DIR, tmp_path)
    assert loaded.source_dir == DEFAULT_CORPUS_DIR
    assert "source_dir" not in next((tmp_path / "corpus").glob("*.json")).read_text(encoding="utf-8")
    doc = loaded.catalog.documents[0]
    assert loaded.source(doc.id) == (DEFAULT_CORPUS_DIR / doc.file).read_text(encoding="utf-8")


def test_a_folder_without_catalog_gives_an_empty_corpus_and_a_reason(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    corpus = build_corpus(empty, tmp_path / "build")
    assert corpus.units == [] and corpus.documents == [] and corpus.catalog.documents == []
    problem = corpus_problem(empty)
    assert problem is not None and str(empty) in problem and "catalog.json" in problem and "0 units" in problem
    (empty / "catalog.json").write_text('{"documents": []}', encoding="utf-8")
    assert build_corpus(empty).units == []
    assert "lists no documents" in (corpus_problem(empty) or "")
    assert corpus_problem(DEFAULT_CORPUS_DIR) is None
