"""Indexes: BM25 (bm25s over jieba tokens) and dense (a FAISS inner-product index), persisted, checked and memory-mapped."""
from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import shutil
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from ingest.atomic import ManifestError, recover_dir, replace_dir_atomic, write_bytes_atomic, write_manifest
from ingest.atomic import verify_manifest as verify_files
from ingest.nodes import retrieval_text
from ingest.pipeline import Corpus
from ingest.units import Unit
from qa import tokenize

log = logging.getLogger(__name__)
# 3: a plain FAISS file (memory-mapped at load) instead of llama-index's store; the key names the encoder
# variant; each unit's text tokens are stored.
# 4: the corpus's runs of Chinese characters stored cut (runs.json).
INDEX_VERSION = "4"
# Headings and signatures carry no answer of their own; their words reach search through
# the heading path of the units below them.
INDEXED_KINDS = frozenset({"title", "article", "item", "paragraph", "box", "table_header", "table_row"})
FAISS_FILE = "faiss.index"
TEXT_TOKENS_FILE = "text_tokens.json"
RUNS_FILE = "runs.json"
REQUIRED_FILES = ("unit_ids.json", FAISS_FILE, TEXT_TOKENS_FILE, RUNS_FILE, "bm25/")
BM25_PARAMS = "params.index.json"  # bm25s's own file names in the bm25/ folder it saves
BM25_VOCAB = "vocab.index.json"
BM25_METHODS_WITHOUT_NONOCCURRENCE = frozenset({"lucene", "robertson", "atire"})
EMBED_CHUNK = 64  # texts per progress step; the encoder batches within a chunk by length
VECTOR_CACHE_DIR = "vectors"  # under the build folder: passage vectors kept across rebuilds


class PassageEncoder(Protocol):
    """What building an index needs from an embedder."""

    model_id: str
    variant: str

    def encode_passages(self, texts: list[str]) -> np.ndarray: ...


class IndexDamaged(RuntimeError):
    """An index on disk failed its checksum or could not be read."""


def indexed_units(corpus: Corpus) -> list[Unit]:
    return [u for u in corpus.units if u.covers_source and u.kind in INDEXED_KINDS]


def _lexicon_digest() -> str:
    """Everything the stored tokens depend on: the words taught to jieba, jieba's version and the tokenizer's code.

    The words themselves, not the lexicon files: an edit to cues.toml or places.toml, a comment in
    thesaurus.toml or a stray file in qa/lexicon changes no token and must not cost a rebuild.
    (The words the corpus quotes are covered by the corpus checksum.)
    """
    import jieba

    digest = hashlib.sha256(Path(tokenize.__file__).read_bytes())
    digest.update(f"\0jieba {jieba.__version__}\0".encode())
    for word, freq in tokenize.user_words():
        digest.update(f"{word} {freq}\n".encode())
    return digest.hexdigest()


def index_key(corpus: Corpus, model_id: str, variant: str) -> str:
    """Index folder name: corpus, weights, the encoder that embedded the passages, and the lexicon."""
    material = "|".join([INDEX_VERSION, corpus.checksum, model_id, variant, _lexicon_digest()])
    return hashlib.sha256(material.encode()).hexdigest()[:20]


def verify_manifest(directory: Path) -> dict[str, object]:
    """Raise IndexDamaged unless every file listed in the manifest is present and unchanged."""
    try:
        return verify_files(directory, REQUIRED_FILES)
    except ManifestError as exc:
        raise IndexDamaged(str(exc)) from exc


def open_faiss(path: Path) -> Any:
    """A FAISS index read zero-copy from its file: pages are shared by every process that maps it."""
    import faiss

    return faiss.read_index(str(path), faiss.IO_FLAG_MMAP_IFC | faiss.IO_FLAG_READ_ONLY)


@dataclass
class Bm25Matrix:
    """A bm25s index as saved by `bm25s.BM25.save`, read without bm25s: serving only sums its precomputed scores.

    bm25s imports scipy.sparse for building (80 ms of every start-up); its saved index is a token x document
    CSC matrix of per-term scores, a vocabulary and parameters. `get_scores` is bm25s's own for the methods
    without a non-occurrence term (lucene, robertson, atire): float32 zeros, then one `np.add.at` per query
    token in query order (a repeated token counts again), so the scores are bit-identical.
    """

    vocab_dict: dict[str, int]
    scores: dict[str, Any]  # "data", "indices", "indptr" (read-only views of the mapped files) and "num_docs"
    dtype: np.dtype

    @classmethod
    def load(cls, directory: Path) -> Bm25Matrix:
        params = json.loads((directory / BM25_PARAMS).read_text(encoding="utf-8"))
        if params.get("method") not in BM25_METHODS_WITHOUT_NONOCCURRENCE:
            raise IndexDamaged(f"{directory}: bm25s method {params.get('method')!r} needs a non-occurrence array")
        vocab = json.loads((directory / BM25_VOCAB).read_text(encoding="utf-8"))
        # Plain array views of the mapped pages: every slice of a np.memmap builds another memmap object,
        # and scoring one query slices once per token.
        scores: dict[str, Any] = {
            key: np.asarray(np.load(directory / f"{key}.csc.index.npy", mmap_mode="r", allow_pickle=False)) for key in ("data", "indices", "indptr")
        }
        scores["num_docs"] = int(params["num_docs"])
        rows = len(scores["indptr"]) - 1  # bm25s adds "" to the vocabulary after the last row; no query token is ""
        if max((i for token, i in vocab.items() if token), default=-1) >= rows:
            raise IndexDamaged(f"{directory}: the vocabulary reaches past the {rows} score rows")
        return cls(vocab_dict=vocab, scores=scores, dtype=np.dtype(params["dtype"]))

    def get_scores(self, tokens: list[str]) -> np.ndarray:
        """Every document's BM25 score for `tokens` (those outside the vocabulary are left out)."""
        data, indices, indptr = self.scores["data"], self.scores["indices"], self.scores["indptr"]
        scores = np.zeros(self.scores["num_docs"], dtype=self.dtype)
        for token in tokens:
            row = self.vocab_dict.get(token)
            if row is not None:
                start, end = indptr[row], indptr[row + 1]
                np.add.at(scores, indices[start:end], data[start:end])
        return scores


@dataclass
class SearchIndex:
    """The loaded indexes over `units` (same order in both)."""

    units: list[Unit]
    bm25: Bm25Matrix  # built by bm25s, its matrices memory-mapped
    faiss_index: Any  # faiss.IndexFlatIP over unit vectors, memory-mapped
    directory: Path
    model_id: str
    encoder: str  # the variant that embedded the passages (onnx-fp32, torch-fp32 …)
    text_tokens: list[list[str]]  # tokenize.tokenize(unit.text) of each unit, computed at build time

    def bm25_scores(self, query: str) -> np.ndarray:
        vocab = self.bm25.vocab_dict
        tokens = [t for t in tokenize.tokenize(query) if t in vocab]
        if not tokens:
            return np.zeros(len(self.units), dtype=np.float32)
        return np.asarray(self.bm25.get_scores(tokens), dtype=np.float32)

    def dense_scores(self, query_vector: np.ndarray) -> np.ndarray:
        """Cosine similarity of the query to every unit (vectors are L2-normalized)."""
        scores, positions = self.faiss_index.search(query_vector.reshape(1, -1).astype(np.float32), len(self.units))
        dense = np.zeros(len(self.units), dtype=np.float32)
        valid = positions[0] >= 0
        dense[positions[0][valid]] = scores[0][valid]
        return dense


def embed_in_length_order(embedder: PassageEncoder, texts: list[str], progress: bool = True) -> np.ndarray:
    """Passage vectors in the order of `texts`, embedded shortest first (batches of like length pad little)."""
    from tqdm import tqdm

    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    pieces = [
        embedder.encode_passages([texts[i] for i in order[start : start + EMBED_CHUNK]])
        for start in tqdm(range(0, len(order), EMBED_CHUNK), desc="向量 embed", unit="chunk", disable=not progress)
    ]
    stacked = np.vstack(pieces).astype(np.float32) if pieces else np.zeros((0, 0), np.float32)
    matrix = np.empty_like(stacked)
    matrix[order] = stacked  # row k of `stacked` is text order[k]
    return matrix


class CachedPassages:
    """A PassageEncoder that embeds only texts it has no vector for: a rebuild for a lexicon, tokenizer or
    fusion change (the texts unchanged) reuses every vector, an edited corpus re-embeds its changed units.

    Vectors are kept per model id and encoder variant (the index key's own premise: the same weights
    and encoder give the same vectors), keyed by the passage text's sha256, in one .npz file whose zip
    CRCs catch damage; a damaged or unreadable cache is ignored and everything is embedded. A text
    embedded in a batch of other texts may differ from a cold build in the last float bits.
    """

    def __init__(self, inner: PassageEncoder, build_dir: Path, read: bool = True) -> None:
        self.inner = inner
        self.model_id = inner.model_id
        self.variant = inner.variant
        name = hashlib.sha256(f"{inner.model_id}|{inner.variant}".encode()).hexdigest()[:20]
        self.path = build_dir / VECTOR_CACHE_DIR / f"{name}.npz"
        self.known = _read_vectors(self.path) if read else {}
        self.seen: dict[str, np.ndarray] = {}  # every vector this build used, the next cache
        self.reused = 0

    def encode_passages(self, texts: list[str]) -> np.ndarray:
        keys = [_text_key(t) for t in texts]
        missing = [i for i, key in enumerate(keys) if key not in self.known]
        if len(missing) == len(texts):  # a cold build embeds exactly as without a cache
            matrix = np.asarray(self.inner.encode_passages(texts), dtype=np.float32)
        else:
            fresh = np.asarray(self.inner.encode_passages([texts[i] for i in missing]), dtype=np.float32) if missing else None
            computed = dict(zip(missing, fresh if fresh is not None else [], strict=True))
            matrix = np.vstack([computed[i] if i in computed else self.known[key] for i, key in enumerate(keys)])
        self.reused += len(texts) - len(missing)
        self.seen.update(zip(keys, matrix, strict=True))
        return matrix

    def save(self) -> None:
        """Replace the cache by the vectors of the build just finished (atomically; a failure only costs time)."""
        if not self.seen:
            return
        buffer = io.BytesIO()
        np.savez(buffer, keys=np.array(list(self.seen)), vectors=np.vstack(list(self.seen.values())).astype(np.float32))
        try:
            write_bytes_atomic(self.path, buffer.getvalue())
        except OSError as exc:
            log.warning("vector cache not written: %s", exc)


def _text_key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _read_vectors(path: Path) -> dict[str, np.ndarray]:
    try:
        with np.load(path, allow_pickle=False) as data:
            keys, vectors = data["keys"], data["vectors"]
        if vectors.ndim != 2 or vectors.dtype != np.float32 or keys.shape != (len(vectors),):
            raise ValueError(f"keys {keys.shape}, vectors {vectors.shape} {vectors.dtype}")
    except FileNotFoundError:
        return {}
    except (OSError, ValueError, KeyError, zipfile.BadZipFile) as exc:
        log.warning("vector cache %s ignored: %s", path, exc)
        return {}
    return dict(zip(keys.tolist(), vectors, strict=True))


def _build(corpus: Corpus, embedder: PassageEncoder, directory: Path) -> None:
    import bm25s
    import faiss
    from tqdm import tqdm

    units = indexed_units(corpus)
    texts = [retrieval_text(u, corpus.document(u.doc_id)) for u in units]
    started = time.perf_counter()
    bm25 = bm25s.BM25()
    bm25.index([tokenize.tokenize(t) for t in tqdm(texts, desc="BM25 分词 tokenize", unit="unit")], show_progress=False)
    bm25.save(str(directory / "bm25"), show_progress=False)
    matrix = embed_in_length_order(embedder, texts)
    flat = faiss.IndexFlatIP(matrix.shape[1])
    flat.add(matrix)
    faiss.write_index(flat, str(directory / FAISS_FILE))
    (directory / "unit_ids.json").write_text(json.dumps([u.id for u in units]), encoding="utf-8")
    # The tokens of each unit's own text (not the retrieval text): question coverage and IDF at load, without re-tokenizing.
    (directory / TEXT_TOKENS_FILE).write_text(json.dumps([tokenize.tokenize(u.text) for u in units], ensure_ascii=False), encoding="utf-8")
    (directory / RUNS_FILE).write_text(json.dumps(tokenize.cut_runs([u.text for u in corpus.units]), ensure_ascii=False), encoding="utf-8")
    write_manifest(directory, {
        "model_id": embedder.model_id, "encoder": embedder.variant, "corpus": corpus.checksum, "units": len(units),
        "build_seconds": round(time.perf_counter() - started, 2),
        "vectors_reused": embedder.reused if isinstance(embedder, CachedPassages) else 0,
    })


def _load(corpus: Corpus, directory: Path) -> SearchIndex:
    manifest = verify_manifest(directory)
    unit_ids = json.loads((directory / "unit_ids.json").read_text(encoding="utf-8"))
    units = [corpus.unit(uid) for uid in unit_ids]
    bm25 = Bm25Matrix.load(directory / "bm25")
    faiss_index = open_faiss(directory / FAISS_FILE)
    text_tokens = json.loads((directory / TEXT_TOKENS_FILE).read_text(encoding="utf-8"))
    if faiss_index.ntotal != len(units) or len(text_tokens) != len(units):
        raise IndexDamaged(f"{directory}: vector or token count does not match units")
    tokenize.use_runs(json.loads((directory / RUNS_FILE).read_text(encoding="utf-8")))
    return SearchIndex(units=units, bm25=bm25, faiss_index=faiss_index, directory=directory,
                       model_id=str(manifest["model_id"]), encoder=str(manifest.get("encoder", "")), text_tokens=text_tokens)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _remove_dead_staging(root: Path) -> None:
    """Delete staging directories left by builds whose process died (killed, crashed)."""
    for path in root.glob(".staging-*"):
        owner = path.name.split("-")[1] if path.name.count("-") >= 2 else ""
        if path.is_dir() and (not owner.isdigit() or not _pid_alive(int(owner))):
            shutil.rmtree(path, ignore_errors=True)


def load_or_build(corpus: Corpus, embedder: PassageEncoder, build_dir: Path, force: bool = False) -> SearchIndex:
    """Load the index for this corpus and encoder; build it when missing, stale or damaged.

    Builds go to a staging directory that is swapped into place only when complete (an atomic
    exchange where the kernel has one), so a killed build leaves the previous index untouched
    and a damaged index is never served.
    """
    tokenize.configure([u.text for u in corpus.units], cache_dir=build_dir)
    root = build_dir / "index"
    directory = root / index_key(corpus, embedder.model_id, embedder.variant)
    recover_dir(directory)  # a swap interrupted by a crash: put the previous index back
    if root.is_dir():
        _remove_dead_staging(root)
    if directory.exists() and not force:
        try:
            return _load(corpus, directory)
        except (IndexDamaged, OSError, ValueError, KeyError, RuntimeError) as exc:
            log.warning("index %s rejected, rebuilding: %s", directory.name, exc)
    root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=root, prefix=f".staging-{os.getpid()}-"))
    # --force rebuilds from scratch: every passage embedded again
    cached = CachedPassages(embedder, build_dir, read=not force)
    try:
        _build(corpus, cached, staging)
        staging.chmod(0o755)  # mkdtemp makes it private; the index is as readable as the rest of build/
        replace_dir_atomic(staging, directory)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    cached.save()  # only once the index is in place: an interrupted build leaves the cache as it was
    return _load(corpus, directory)
