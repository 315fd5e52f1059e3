"""Milvus as the search backend (LANDQA_SEARCH_BACKEND=milvus): BM25 and dense scores from a Milvus collection.

The collection holds every indexed unit with its dense vector (FLAT, inner product) and its text as
the project's own jieba tokens (lexicon and synonyms included), each written as its id in the bm25s
vocabulary ("w123") so Milvus's "standard" analyzer keeps it whole, scored by Milvus's server-side
BM25: the same tokens as the bm25s index, so routing masks and the tuned fusion (qa/retrieve.py)
apply unchanged to the scores it returns. The default URI is an
embedded milvus-lite file under the build folder (one process at a time: milvus-lite locks it);
LANDQA_MILVUS_URI points at a Milvus server or cluster shared by replicas.
"""
from __future__ import annotations

import logging
import time
from typing import Any

import numpy as np

from ingest.nodes import retrieval_text
from ingest.pipeline import Corpus
from qa import tokenize
from qa.config import Settings
from qa.index import SearchIndex

log = logging.getLogger(__name__)
# bm25s's defaults, so both backends weigh term frequency and length alike (Milvus defaults to k1=1.2).
BM25_K1 = 1.5
BM25_B = 0.75
INSERT_BATCH = 256


def _words(text: str, vocab: dict[str, int]) -> str:
    """The text's tokens as vocabulary ids; a token the corpus never uses is dropped, as bm25s drops it."""
    return " ".join(f"w{vocab[t]}" for t in tokenize.tokenize(text) if t in vocab)


def _collection_schema(client: Any, dim: int) -> tuple[Any, Any]:
    from pymilvus import DataType, Function, FunctionType

    schema = client.create_schema(auto_id=False)
    schema.add_field("pos", DataType.INT64, is_primary=True)  # the unit's position in SearchIndex.units
    schema.add_field("text", DataType.VARCHAR, max_length=65_535, enable_analyzer=True, analyzer_params={"tokenizer": "standard"})
    schema.add_field("sparse", DataType.SPARSE_FLOAT_VECTOR)
    schema.add_field("dense", DataType.FLOAT_VECTOR, dim=dim)
    schema.add_function(Function(name="bm25", function_type=FunctionType.BM25, input_field_names=["text"], output_field_names=["sparse"]))
    params = client.prepare_index_params()
    params.add_index("sparse", index_type="SPARSE_INVERTED_INDEX", metric_type="BM25", params={"bm25_k1": BM25_K1, "bm25_b": BM25_B})
    params.add_index("dense", index_type="FLAT", metric_type="IP")
    return schema, params


class MilvusSearchIndex(SearchIndex):
    """A SearchIndex whose scores come from Milvus; units, model and version are those of the checked FAISS index."""

    def __init__(self, base: SearchIndex, client: Any, collection: str) -> None:
        # Every field of the checked index, whatever fields qa/index.py gives it: only the scoring is Milvus's.
        self.__dict__.update(vars(base))
        self.client = client
        self.collection = collection

    def bm25_scores(self, query: str) -> np.ndarray:
        scores = np.zeros(len(self.units), dtype=np.float32)
        text = _words(query, self.bm25.vocab_dict)
        if not text:
            return scores
        hits = self.client.search(self.collection, data=[text], anns_field="sparse", limit=len(self.units),
                                  search_params={"metric_type": "BM25", "params": {"drop_ratio_search": 0.0}}, output_fields=["pos"])
        for hit in hits[0]:
            # milvus-lite returns BM25 scores negated (a distance); a server returns them positive.
            scores[int(hit["entity"]["pos"])] = abs(float(hit["distance"]))
        return scores

    def dense_scores(self, query_vector: np.ndarray) -> np.ndarray:
        scores = np.zeros(len(self.units), dtype=np.float32)
        hits = self.client.search(self.collection, data=[query_vector.astype(np.float32).tolist()], anns_field="dense", limit=len(self.units),
                                  search_params={"metric_type": "IP"}, output_fields=["pos"])
        for hit in hits[0]:
            scores[int(hit["entity"]["pos"])] = float(hit["distance"])
        return scores


def milvus_uri(settings: Settings, version: str) -> str:
    """LANDQA_MILVUS_URI, else an embedded milvus-lite file for this index version under the build folder."""
    if settings.milvus_uri:
        return settings.milvus_uri
    folder = settings.build_dir / "milvus"
    folder.mkdir(parents=True, exist_ok=True)
    return str(folder / f"{version}.db")


def open_milvus(base: SearchIndex, corpus: Corpus, settings: Settings) -> MilvusSearchIndex:
    """The Milvus collection for this index version, filled from the checked index when missing or incomplete."""
    from pymilvus import MilvusClient

    version = base.directory.name
    client = MilvusClient(milvus_uri(settings, version))
    collection = f"landqa_{version}"
    if client.has_collection(collection):
        client.load_collection(collection)
        if int(client.get_collection_stats(collection).get("row_count", -1)) == len(base.units):
            return MilvusSearchIndex(base, client, collection)
        log.warning("milvus collection %s incomplete, filling it again", collection)
        client.drop_collection(collection)
    started = time.perf_counter()
    vectors = base.faiss_index.reconstruct_n(0, base.faiss_index.ntotal)
    schema, params = _collection_schema(client, int(vectors.shape[1]))
    client.create_collection(collection, schema=schema, index_params=params)
    vocab = base.bm25.vocab_dict
    rows = [{"pos": i, "text": _words(retrieval_text(u, corpus.document(u.doc_id)), vocab), "dense": vectors[i].tolist()}
            for i, u in enumerate(base.units)]
    for start in range(0, len(rows), INSERT_BATCH):
        client.insert(collection, rows[start : start + INSERT_BATCH])
    client.flush(collection)
    client.load_collection(collection)
    log.warning("milvus collection %s filled with %d units in %.1f s", collection, len(rows), time.perf_counter() - started)
    return MilvusSearchIndex(base, client, collection)
