"""Indexes: BM25 (bm25s over jieba tokens) and dense (FAISS via llama-index), persisted and checked."""
from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ingest.atomic import recover_dir, replace_dir_atomic
from ingest.nodes import retrieval_text, unit_to_node
from ingest.pipeline import Corpus
from ingest.units import Unit
from qa import tokenize

log = logging.getLogger(__name__)
INDEX_VERSION = "1"
# Headings and signatures carry no answer of their own; their words reach search through
# the heading path of the units below them.
INDEXED_KINDS = frozenset({"title", "article", "item", "paragraph", "box", "table_header", "table_row"})


REQUIRED_FILES = frozenset({"unit_ids.json", "faiss.json"})  # and bm25/*


class IndexDamaged(RuntimeError):
    """An index on disk failed its checksum or could not be read."""


def indexed_units(corpus: Corpus) -> list[Unit]:
    return [u for u in corpus.units if u.covers_source and u.kind in INDEXED_KINDS]


def _lexicon_digest() -> str:
    digest = hashlib.sha256()
    for name in ("domain.txt", "synonyms.txt"):
        digest.update((tokenize.LEXICON_DIR / name).read_bytes())
    return digest.hexdigest()


def index_key(corpus: Corpus, model_id: str) -> str:
    material = "|".join([INDEX_VERSION, corpus.checksum, model_id, _lexicon_digest()])
    return hashlib.sha256(material.encode()).hexdigest()[:20]


def _file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _write_manifest(directory: Path, meta: dict[str, object]) -> None:
    files = {str(p.relative_to(directory)): _file_digest(p) for p in sorted(directory.rglob("*")) if p.is_file()}
    (directory / "manifest.json").write_text(json.dumps({"files": files, **meta}, ensure_ascii=False, indent=1), encoding="utf-8")


def verify_manifest(directory: Path) -> dict[str, object]:
    """Raise IndexDamaged unless every file listed in the manifest is present and unchanged."""
    manifest_path = directory / "manifest.json"
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise IndexDamaged(f"{directory}: manifest unreadable ({exc})") from exc
    files = manifest.get("files") if isinstance(manifest, dict) else None
    if not isinstance(files, dict) or not REQUIRED_FILES <= files.keys() or not any(name.startswith("bm25/") for name in files):
        raise IndexDamaged(f"{directory}: manifest does not list every index file")
    for name, expected in files.items():
        path = directory / name
        if not path.is_file() or _file_digest(path) != expected:
            raise IndexDamaged(f"{directory}: {name} is missing or damaged")
    return manifest


@dataclass
class SearchIndex:
    """The loaded indexes over `units` (same order in both)."""

    units: list[Unit]
    bm25: object  # bm25s.BM25
    vector_store: object  # llama_index FaissVectorStore
    directory: Path
    model_id: str

    def bm25_scores(self, query: str) -> np.ndarray:
        vocab = self.bm25.vocab_dict  # type: ignore[attr-defined]
        tokens = [t for t in tokenize.tokenize(query) if t in vocab]
        if not tokens:
            return np.zeros(len(self.units), dtype=np.float32)
        return np.asarray(self.bm25.get_scores(tokens), dtype=np.float32)  # type: ignore[attr-defined]

    def dense_scores(self, query_vector: np.ndarray) -> np.ndarray:
        """Cosine similarity of the query to every unit (vectors are L2-normalized)."""
        faiss_index = self.vector_store._faiss_index  # type: ignore[attr-defined]
        scores, positions = faiss_index.search(query_vector.reshape(1, -1).astype(np.float32), len(self.units))
        dense = np.zeros(len(self.units), dtype=np.float32)
        valid = positions[0] >= 0
        dense[positions[0][valid]] = scores[0][valid]
        return dense


def _build(corpus: Corpus, embedder: object, directory: Path) -> None:
    import bm25s
    import faiss
    from llama_index.vector_stores.faiss import FaissVectorStore
    from tqdm import tqdm

    units = indexed_units(corpus)
    texts = [retrieval_text(u, corpus.document(u.doc_id)) for u in units]
    started = time.perf_counter()
    bm25 = bm25s.BM25()
    bm25.index([tokenize.tokenize(t) for t in tqdm(texts, desc="BM25 分词 tokenize", unit="unit")], show_progress=False)
    bm25.save(str(directory / "bm25"), show_progress=False)
    # Batches of similar length waste little on padding: embed in length order, then restore.
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    batch = 32
    pieces = []
    for start in tqdm(range(0, len(order), batch), desc="向量 embed", unit="batch"):
        chunk = order[start : start + batch]
        pieces.append(embedder.encode_passages([texts[i] for i in chunk]))  # type: ignore[attr-defined]
    stacked = np.vstack(pieces).astype(np.float32)
    matrix = np.empty_like(stacked)
    matrix[order] = stacked  # row k of `stacked` is unit order[k]
    store = FaissVectorStore(faiss_index=faiss.IndexFlatIP(matrix.shape[1]))
    nodes = []
    for unit, vector in zip(units, matrix):
        node = unit_to_node(unit, corpus.document(unit.doc_id))
        node.embedding = vector.tolist()
        nodes.append(node)
    store.add(nodes)
    store.persist(persist_path=str(directory / "faiss.json"))
    (directory / "unit_ids.json").write_text(json.dumps([u.id for u in units]), encoding="utf-8")
    _write_manifest(directory, {"model_id": embedder.model_id, "corpus": corpus.checksum, "units": len(units), "build_seconds": round(time.perf_counter() - started, 2)})  # type: ignore[attr-defined]


def _load(corpus: Corpus, directory: Path) -> SearchIndex:
    import bm25s
    from llama_index.vector_stores.faiss import FaissVectorStore

    manifest = verify_manifest(directory)
    unit_ids = json.loads((directory / "unit_ids.json").read_text(encoding="utf-8"))
    units = [corpus.unit(uid) for uid in unit_ids]
    bm25 = bm25s.BM25.load(str(directory / "bm25"), show_progress=False)
    store = FaissVectorStore.from_persist_path(str(directory / "faiss.json"))
    if store._faiss_index.ntotal != len(units):  # type: ignore[attr-defined]
        raise IndexDamaged(f"{directory}: vector count does not match units")
    return SearchIndex(units=units, bm25=bm25, vector_store=store, directory=directory, model_id=str(manifest["model_id"]))


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


def load_or_build(corpus: Corpus, embedder: object, build_dir: Path, force: bool = False) -> SearchIndex:
    """Load the index for this corpus and model; build it when missing, stale or damaged.

    Builds go to a staging directory that is swapped into place only when complete (an atomic
    exchange where the kernel has one), so a killed build leaves the previous index untouched
    and a damaged index is never served.
    """
    tokenize.configure([u.text for u in corpus.units])
    root = build_dir / "index"
    directory = root / index_key(corpus, embedder.model_id)  # type: ignore[attr-defined]
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
    try:
        _build(corpus, embedder, staging)
        staging.chmod(0o755)  # mkdtemp makes it private; the index is as readable as the rest of build/
        replace_dir_atomic(staging, directory)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return _load(corpus, directory)
