"""LANDQA_SEARCH_BACKEND=milvus (milvus-lite): the same retrieval quality as the FAISS backend on the held-out split."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from eval.metrics import aggregate
from eval.questions import load_questions, select_split
from eval.runner import evaluate
from qa.api.app import create_app
from qa.config import Settings
from qa.engine import Engine

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("pymilvus") is None or importlib.util.find_spec("milvus_lite") is None,
    reason="pymilvus and milvus-lite are not installed (pip install -e . installs them)",
)
TOLERANCE = 0.01


@pytest.fixture(scope="module")
def milvus_engine(engine, tmp_path_factory: pytest.TempPathFactory) -> Engine:
    from qa.milvus_index import MilvusSearchIndex, open_milvus

    settings = Settings(search_backend="milvus", milvus_uri=str(tmp_path_factory.mktemp("milvus") / "units.db"))
    index = open_milvus(engine.index, engine.corpus, settings)
    assert isinstance(index, MilvusSearchIndex) and len(index.units) == len(engine.index.units)
    return Engine(settings, engine.corpus, engine.embedder, index)


def test_milvus_scores_match_faiss_and_bm25s(engine, milvus_engine: Engine) -> None:
    import numpy as np

    from qa import tokenize

    for query in ("临时用地谁审批", "宅基地面积标准", "喀什地区土地整治项目投资"):
        vector = engine.ranker.query_vector(query)
        assert np.allclose(milvus_engine.index.dense_scores(vector), engine.index.dense_scores(vector), atol=1e-5)
        expanded = tokenize.expand_query(query)
        ours, theirs = engine.index.bm25_scores(expanded), milvus_engine.index.bm25_scores(expanded)
        assert (ours > 0).sum() > 0 and np.array_equal(ours > 0, theirs > 0)  # the same units match the same tokens
        assert np.corrcoef(ours, theirs)[0, 1] > 0.99  # Milvus's BM25 differs from bm25s only in rounding


def test_held_out_retrieval_is_within_0_01_of_faiss(engine, milvus_engine: Engine) -> None:
    questions = select_split(load_questions(), "test")
    faiss = aggregate(evaluate(engine, questions, modes=("hybrid",), with_ask=False), ["hybrid"], [])["overall"]["retrieval"]["hybrid"]
    milvus = aggregate(evaluate(milvus_engine, questions, modes=("hybrid",), with_ask=False), ["hybrid"], [])["overall"]["retrieval"]["hybrid"]
    for metric in ("hit@1", "hit@5", "mrr@10", "ndcg@10"):
        assert abs(milvus[metric] - faiss[metric]) <= TOLERANCE, (metric, milvus[metric], faiss[metric])


def test_readyz_names_the_backend(milvus_engine: Engine, tmp_path: Path) -> None:
    with TestClient(create_app(milvus_engine.settings, engine=milvus_engine)) as client:
        body = client.get("/readyz").json()
        answer = client.post("/api/ask", json={"question": "临时用地谁审批？"}).json()
    assert body["search_backend"] == "milvus" and body["index_version"] == milvus_engine.index.directory.name
    assert answer["citations"] and not answer["abstained"]
