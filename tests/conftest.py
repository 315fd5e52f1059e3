"""Shared fixtures: the real corpus, ingested once per test session."""
from __future__ import annotations

import pytest

from ingest.catalog import DEFAULT_CORPUS_DIR
from ingest.pipeline import Corpus, build_corpus


@pytest.fixture(scope="session")
def corpus() -> Corpus:
    return build_corpus(DEFAULT_CORPUS_DIR, use_cache=False)


@pytest.fixture(scope="session")
def engine():
    """The real engine over the real corpus: indexes are built once and cached under build/."""
    from qa.engine import load_engine

    return load_engine()
