"""The plain llama-index baseline: default SentenceSplitter chunks of the raw texts, vector retrieval, chunks mapped to units."""
from __future__ import annotations

import contextlib
import hashlib
import io
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from llama_index.core.base.embeddings.base import BaseEmbedding
from pydantic import PrivateAttr

from ingest.atomic import write_bytes_atomic
from ingest.pipeline import Corpus
from ingest.units import Unit

__all__ = ["EmbedderAdapter", "LlamaIndexBaseline", "TextEncoder", "units_in_span"]

# A chunk holds a unit when it covers at least this share of the unit's characters (or the
# chunk lies inside the unit): a chunk that only grazes an article at its edge does not count.
MIN_UNIT_SHARE = 0.5


class TextEncoder(Protocol):
    """What the baseline needs of the engine's embedder: the same model for queries and passages."""

    model_id: str

    def encode_queries(self, texts: list[str]) -> np.ndarray: ...

    def encode_passages(self, texts: list[str]) -> np.ndarray: ...


class EmbedderAdapter(BaseEmbedding):
    """llama-index embedding model backed by the engine's embedder (same model as the engine)."""

    _embedder: TextEncoder = PrivateAttr()

    def __init__(self, embedder: TextEncoder, **kwargs: Any) -> None:
        super().__init__(model_name=embedder.model_id, embed_batch_size=32, **kwargs)
        self._embedder = embedder

    @classmethod
    def class_name(cls) -> str:
        return "LandqaEmbedderAdapter"

    def _get_query_embedding(self, query: str) -> list[float]:
        return self._embedder.encode_queries([query])[0].tolist()

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._embedder.encode_passages([text])[0].tolist()

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return [list(v.tolist()) for v in self._embedder.encode_passages(list(texts))]

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)

    async def _aget_text_embedding(self, text: str) -> list[float]:
        return self._get_text_embedding(text)


def units_in_span(units: Sequence[Unit], start: int, end: int) -> list[str]:
    """Ids of the source-covering units a raw-text span [start, end) holds, largest overlap first."""
    held: list[tuple[int, int, str]] = []
    for order, unit in enumerate(units):
        length = sum(b - a for a, b in unit.spans)
        if not length:
            continue
        overlap = sum(max(0, min(b, end) - max(a, start)) for a, b in unit.spans)
        if not overlap:
            continue
        inside = overlap >= (end - start)  # the whole chunk lies in this unit
        if overlap >= MIN_UNIT_SHARE * length or inside:
            held.append((-overlap, order, unit.id))
    return [uid for _, _, uid in sorted(held)]


def _cached_passage_vectors(embedder: TextEncoder, texts: list[str], cache_dir: Path | None) -> list[list[float]]:
    """Passage embeddings of the chunks, cached by model id and chunk texts (the build takes a minute on CPU)."""
    digest = hashlib.sha256(json.dumps([embedder.model_id, texts], ensure_ascii=False).encode()).hexdigest()[:20]
    path = cache_dir / f"llamaindex-chunks-{digest}.npy" if cache_dir else None
    if path is not None and path.is_file():
        try:
            cached = np.load(path)
            if cached.shape[0] == len(texts):
                return [list(row) for row in cached.tolist()]
        except (OSError, ValueError):
            pass  # rebuilt below
    vectors = np.asarray(embedder.encode_passages(texts), dtype=np.float32)
    if path is not None:
        buffer = io.BytesIO()
        np.save(buffer, vectors)
        write_bytes_atomic(path, buffer.getvalue())
    return [list(row) for row in vectors.tolist()]


@dataclass
class BaselineHit:
    chunk_id: str
    doc_id: str
    start: int
    end: int
    score: float
    unit_ids: list[str]


class LlamaIndexBaseline:
    """VectorStoreIndex over SentenceSplitter() chunks of the corpus's raw texts, embedded with the engine's model."""

    name = "llama-index"

    def __init__(self, corpus: Corpus, embedder: TextEncoder, cache_dir: Path | None = None) -> None:
        from llama_index.core import Document, Settings, VectorStoreIndex
        from llama_index.core.node_parser import SentenceSplitter
        from llama_index.core.schema import MetadataMode, TextNode

        with contextlib.redirect_stdout(io.StringIO()):  # llama-index announces the MockLLM on stdout
            Settings.llm = None  # retrieval only; no LLM is ever called
        started = time.perf_counter()
        # The texts the corpus was ingested from (LANDQA_CORPUS_DIR), so chunk offsets meet unit spans.
        documents = [Document(text=corpus.source(doc.id), id_=doc.id) for doc in corpus.catalog.documents]
        splitter = SentenceSplitter()  # library defaults: chunk_size=1024, chunk_overlap=200
        # A text splitter makes text nodes, which carry the character offsets the mapping needs.
        nodes = [node for node in splitter.get_nodes_from_documents(documents) if isinstance(node, TextNode)]
        self.units_by_doc: dict[str, list[Unit]] = {}
        for unit in corpus.units:
            if unit.covers_source and unit.spans:
                self.units_by_doc.setdefault(unit.doc_id, []).append(unit)
        self.chunks: dict[str, tuple[str, int, int, list[str]]] = {}
        for node in nodes:
            doc_id = node.ref_doc_id or ""
            start = node.start_char_idx if node.start_char_idx is not None else 0
            end = node.end_char_idx if node.end_char_idx is not None else start + len(node.get_content())
            self.chunks[node.node_id] = (doc_id, start, end, units_in_span(self.units_by_doc.get(doc_id, []), start, end))
        # What VectorStoreIndex would embed, computed once and cached: the index then skips
        # nodes that already carry an embedding, so retrieval is exactly the default pipeline.
        texts = [node.get_content(metadata_mode=MetadataMode.EMBED) for node in nodes]
        for node, vector in zip(nodes, _cached_passage_vectors(embedder, texts, cache_dir), strict=True):
            node.embedding = vector
        self.index = VectorStoreIndex(nodes, embed_model=EmbedderAdapter(embedder), show_progress=False)
        self.build_seconds = round(time.perf_counter() - started, 2)
        lengths = [end - start for _, start, end, _ in self.chunks.values()]
        self.stats = {
            "chunks": len(nodes),
            "chunk_chars_mean": round(sum(lengths) / len(lengths), 1) if lengths else 0,
            "units_per_chunk_mean": round(sum(len(u) for *_, u in self.chunks.values()) / max(1, len(self.chunks)), 1),
            "build_s": self.build_seconds,
        }

    def retrieve(self, query: str, top_k: int = 10) -> list[BaselineHit]:
        retriever = self.index.as_retriever(similarity_top_k=top_k)
        hits = []
        for scored in retriever.retrieve(query):
            doc_id, start, end, unit_ids = self.chunks[scored.node.node_id]
            hits.append(BaselineHit(scored.node.node_id, doc_id, start, end, float(scored.score or 0.0), unit_ids))
        return hits
