"""Work kept between builds and requests: the lexicon digest, reused passage vectors, cut runs of text."""
from __future__ import annotations

import hashlib
import json
import logging
import shutil
from pathlib import Path

import numpy as np
import pytest

from qa import index as qindex
from qa import tokenize


class CountingEncoder:
    """A stand-in passage encoder: a fixed vector per text, and a record of what it was asked to embed."""

    model_id = "test-model"
    variant = "test-variant"

    def __init__(self) -> None:
        self.asked: list[str] = []

    def encode_passages(self, texts: list[str]) -> np.ndarray:
        self.asked.extend(texts)
        rows = [np.random.default_rng(int(hashlib.sha256(t.encode()).hexdigest()[:8], 16)).normal(size=8) for t in texts]
        matrix = np.array(rows, dtype=np.float32).reshape(len(texts), 8)
        return matrix / np.linalg.norm(matrix, axis=1, keepdims=True)


TEXTS = ["第一条 为了加强土地管理", "农村村民一户只能拥有一处宅基地", "临时用地期限一般不超过二年", "宅基地"]


# --------------------------------------------------------------------------- lexicon digest
def test_lexicon_digest_follows_the_words_taught_to_jieba_not_the_files(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A stray file, a comment or an edit to cues.toml changes no token, so no rebuild; a new domain word does."""
    lexicon = tmp_path / "lexicon"
    shutil.copytree(tokenize.LEXICON_DIR, lexicon)
    monkeypatch.setattr(tokenize, "LEXICON_DIR", lexicon)
    before = qindex._lexicon_digest()
    (lexicon / "notes.txt").write_text("草稿\n", encoding="utf-8")
    (lexicon / "cues.toml").write_text((lexicon / "cues.toml").read_text(encoding="utf-8") + "\n# a comment\n", encoding="utf-8")
    (lexicon / "domain.txt").write_text((lexicon / "domain.txt").read_text(encoding="utf-8") + "\n# a comment\n", encoding="utf-8")
    assert qindex._lexicon_digest() == before
    (lexicon / "domain.txt").write_text((lexicon / "domain.txt").read_text(encoding="utf-8") + "甲乙丙丁戊 900\n", encoding="utf-8")
    assert qindex._lexicon_digest() != before


# --------------------------------------------------------------------------- passage vectors kept across builds
def test_cold_build_embeds_every_text_and_a_second_build_none(tmp_path: Path) -> None:
    inner = CountingEncoder()
    first = qindex.CachedPassages(inner, tmp_path)
    cold = first.encode_passages(TEXTS)
    assert inner.asked == TEXTS and first.reused == 0
    assert np.array_equal(cold, CountingEncoder().encode_passages(TEXTS))  # no cache: exactly the encoder's output
    first.save()

    inner = CountingEncoder()
    second = qindex.CachedPassages(inner, tmp_path)
    again = second.encode_passages(TEXTS)
    assert inner.asked == [] and second.reused == len(TEXTS)
    assert again.dtype == np.float32 and again.tobytes() == cold.tobytes()


def test_only_changed_texts_are_embedded(tmp_path: Path) -> None:
    first = qindex.CachedPassages(CountingEncoder(), tmp_path)
    first.encode_passages(TEXTS)
    first.save()
    inner = CountingEncoder()
    edited = [*TEXTS[:2], "临时用地期限一般不超过三年", TEXTS[3]]
    vectors = qindex.CachedPassages(inner, tmp_path).encode_passages(edited)
    assert inner.asked == ["临时用地期限一般不超过三年"]
    assert np.array_equal(vectors, CountingEncoder().encode_passages(edited))


def test_another_encoder_or_force_does_not_reuse_vectors(tmp_path: Path) -> None:
    first = qindex.CachedPassages(CountingEncoder(), tmp_path)
    first.encode_passages(TEXTS)
    first.save()
    other = CountingEncoder()
    other.variant = "other-variant"
    qindex.CachedPassages(other, tmp_path).encode_passages(TEXTS)
    assert other.asked == TEXTS
    forced = CountingEncoder()
    qindex.CachedPassages(forced, tmp_path, read=False).encode_passages(TEXTS)
    assert forced.asked == TEXTS


@pytest.mark.parametrize("damage", ["flip", "truncate", "garbage"])
def test_a_damaged_cache_is_ignored(tmp_path: Path, damage: str, caplog: pytest.LogCaptureFixture) -> None:
    first = qindex.CachedPassages(CountingEncoder(), tmp_path)
    expected = first.encode_passages(TEXTS)
    first.save()
    data = bytearray(first.path.read_bytes())
    if damage == "flip":
        data[len(data) // 3] ^= 0x40  # inside the stored vectors: the zip CRC no longer matches
    elif damage == "truncate":
        data = data[: len(data) // 2]
    else:
        data = bytearray(b"not a cache")
    first.path.write_bytes(bytes(data))
    inner = CountingEncoder()
    with caplog.at_level(logging.WARNING, logger="qa.index"):
        vectors = qindex.CachedPassages(inner, tmp_path).encode_passages(TEXTS)
    assert inner.asked == TEXTS and np.array_equal(vectors, expected)
    assert "vector cache" in caplog.text


def test_a_lexicon_change_rebuilds_the_index_without_embedding(corpus, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The case the cache is for: same texts, another index key; the new index holds the very same vectors."""
    inner = CountingEncoder()
    first = qindex.load_or_build(corpus, inner, tmp_path)
    embedded = len(inner.asked)
    assert embedded == len(first.units)
    monkeypatch.setattr(qindex, "_lexicon_digest", lambda: "another lexicon")
    second = qindex.load_or_build(corpus, inner, tmp_path)
    assert second.directory != first.directory
    assert len(inner.asked) == embedded  # nothing embedded again
    assert qindex.verify_manifest(second.directory)["vectors_reused"] == len(second.units)
    n = first.faiss_index.ntotal
    assert np.array_equal(first.faiss_index.reconstruct_n(0, n), second.faiss_index.reconstruct_n(0, n))


# --------------------------------------------------------------------------- cut runs kept
def _uncached(text: str) -> list[str]:
    jieba = tokenize._jieba()
    tokens: list[str] = []
    for chunk in tokenize.TOKEN_RE.findall(text):
        if chunk.isascii():
            tokens.append(chunk.lower())
        else:
            tokens.extend(t for t in jieba.cut_for_search(chunk, HMM=False) if t not in tokenize.STOP_TOKENS)
    return tokens


def test_cached_tokenization_equals_jieba_for_every_unit(engine) -> None:
    for unit in engine.corpus.units:
        assert tokenize.tokenize(unit.text) == _uncached(unit.text) == tokenize.tokenize(unit.text), unit.id


def test_the_index_stores_every_run_of_the_corpus_cut_as_jieba_cuts_it(engine) -> None:
    runs = json.loads((engine.index.directory / qindex.RUNS_FILE).read_text(encoding="utf-8"))
    assert set(runs) == {run for u in engine.corpus.units for run in tokenize.TOKEN_RE.findall(u.text) if not run.isascii()}
    for run, tokens in runs.items():
        assert tokens == _uncached(run), run


def test_loaded_runs_are_not_cut_again(engine) -> None:
    tokenize.use_runs(json.loads((engine.index.directory / qindex.RUNS_FILE).read_text(encoding="utf-8")))
    tokenize._cut_run.cache_clear()
    for unit in engine.corpus.units:
        tokenize.tokenize(unit.text)
    assert tokenize._cut_run.cache_info().misses == 0


def test_teaching_jieba_a_word_forgets_the_runs_cut_before(engine) -> None:
    word = "甲乙丙丁戊"
    jieba = tokenize._jieba()
    total = jieba.dt.total
    assert word not in tokenize.tokenize(word)
    try:
        tokenize.configure([f"“{word}”"])
        assert word in tokenize.tokenize(word)
    finally:  # leave jieba as the other tests expect it
        jieba.del_word(word)
        jieba.dt.total = total
        tokenize._taught.discard((word, 500))
        tokenize._cut_run.cache_clear()
    assert word not in tokenize.tokenize(word)


def test_configuring_again_changes_no_cut(engine) -> None:
    """A second engine or a reload configures jieba again: its dictionary total, hence every cut, must stay."""
    jieba = tokenize._jieba()
    texts = [u.text for u in engine.corpus.units]
    total = jieba.dt.total
    before = [tokenize.tokenize(t) for t in texts]
    tokenize.configure(texts)
    tokenize.configure(texts)
    assert jieba.dt.total == total
    assert [_uncached(t) for t in texts] == before


def test_bm25_matrices_are_plain_views_of_the_mapped_files(engine) -> None:
    """Scoring slices them once per query token: no memmap object per slice, and no private copy either."""
    for key in ("data", "indices", "indptr"):
        array = engine.index.bm25.scores[key]
        assert type(array) is np.ndarray and not array.flags.owndata and not array.flags.writeable, key


def test_bm25_scores_are_bm25s_own_bit_for_bit(engine) -> None:
    """The index is read without bm25s (no scipy at start-up): every evaluation question and some unit texts
    (tokens repeated, tokens outside the vocabulary) score exactly as bm25s scores them from the same files."""
    import bm25s

    from eval.questions import load_questions

    reference = bm25s.BM25.load(str(engine.index.directory / "bm25"), mmap=True, show_progress=False)
    assert engine.index.bm25.vocab_dict == reference.vocab_dict
    queries = [tokenize.expand_query(q.question) for q in load_questions()] + [u.text for u in engine.corpus.units[::7]]
    scored = 0
    for query in queries:
        tokens = [t for t in tokenize.tokenize(query) if t in reference.vocab_dict]
        if tokens:
            expected = np.asarray(reference.get_scores(tokens), dtype=np.float32)
            assert engine.index.bm25_scores(query).tobytes() == expected.tobytes(), query
            scored += 1
    assert scored > 300


def test_a_bm25_vocabulary_past_its_score_rows_is_refused(engine, tmp_path: Path) -> None:
    shutil.copytree(engine.index.directory / "bm25", tmp_path / "bm25")
    vocab = json.loads((tmp_path / "bm25" / qindex.BM25_VOCAB).read_text(encoding="utf-8"))
    vocab["不在矩阵里"] = len(vocab) + 5
    (tmp_path / "bm25" / qindex.BM25_VOCAB).write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(qindex.IndexDamaged, match="past"):
        qindex.Bm25Matrix.load(tmp_path / "bm25")


# --------------------------------------------------------------------------- jieba's dictionary kept
def test_the_kept_jieba_dictionary_equals_jiebas_own_parse(tmp_path: Path) -> None:
    """Written on first use, read back on the next: the same prefix dictionary and total jieba builds from dict.txt."""
    import jieba

    reference = jieba.Tokenizer()
    reference.FREQ, reference.total = reference.gen_pfdict(reference.get_dict_file())
    for round_ in ("written", "read back"):
        fresh = jieba.Tokenizer()
        assert tokenize._load_dictionary(fresh, tmp_path), round_
        assert fresh.initialized and fresh.total == reference.total and fresh.FREQ == reference.FREQ, round_
        assert len(list((tmp_path / tokenize.DICTIONARY_CACHE_DIR).glob("dict-*.marshal"))) == 1


def test_a_damaged_jieba_dictionary_file_is_ignored(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    import jieba

    assert tokenize._load_dictionary(jieba.Tokenizer(), tmp_path)
    (kept,) = (tmp_path / tokenize.DICTIONARY_CACHE_DIR).glob("dict-*.marshal")
    kept.write_bytes(kept.read_bytes()[:1000])
    fresh = jieba.Tokenizer()
    with caplog.at_level(logging.WARNING):
        assert not tokenize._load_dictionary(fresh, tmp_path)
    assert not fresh.initialized and "ignored" in caplog.text  # jieba then parses its dictionary itself
