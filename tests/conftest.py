"""Shared fixtures: the real corpus, ingested once per test session."""
from __future__ import annotations

import pytest

from ingest.pipeline import Corpus, build_corpus


@pytest.fixture(scope="session")
def corpus() -> Corpus:
    return build_corpus(use_cache=False)
