"""`landqa ingest FILE`: new documents join the corpus; bad ones leave it byte-for-byte unchanged."""
from __future__ import annotations

import hashlib
import json
import shutil
import threading
from pathlib import Path

import docx
import pytest

import ingest.addfile as addfile
from ingest.addfile import add_document
from ingest.catalog import DEFAULT_CORPUS_DIR, load_catalog
from ingest.pipeline import build_corpus
from ingest.reader import DocumentError
from qa import cli

ORIGINAL_IDS = ["xj-measures", "xj-plan", "kashgar-plan", "bachu-supply-2025", "nx-consolidation"]

STATUTE = """某某自治区测试管理条例

第一章　总　　则

第一条　为了测试导入功能，制定本条例。
第二条　本条例适用于测试。
第二章　管理
第三条　有下列情形之一的，不予导入：
（一）文件为空；
（二）无法识别编码。
违反前款规定的，退回。
第四条　本条例自公布之日起施行。
"""

PLAN = """某某县2026年度测试规划（征求意见稿）

为做好测试工作，制定本规划。

一、总体要求
（一）指导思想
坚持测试先行，做好导入工作。
（二）主要目标
1.完成导入。
2.保持稳定。
二、保障措施
加强组织领导，确保任务落实。

某某县自然资源局
2026年1月1日
"""


def _hashes(directory: Path) -> dict[str, str]:
    """Every file's checksum, but for the empty lock file concurrent ingests take turns on."""
    files = [p for p in sorted(directory.rglob("*")) if p.is_file() and p.name != ".catalog.json.lock"]
    return {str(p.relative_to(directory)): hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


@pytest.fixture()
def tmp_corpus(tmp_path: Path) -> Path:
    target = tmp_path / "corpus"
    shutil.copytree(DEFAULT_CORPUS_DIR, target)
    return target


@pytest.fixture()
def tmp_build(tmp_path: Path) -> Path:
    return tmp_path / "build"


def _source(tmp_path: Path, name: str, data: bytes) -> Path:
    folder = tmp_path / "incoming"
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_bytes(data)
    return path


def _catalog_ids(corpus_dir: Path) -> list[str]:
    return load_catalog(corpus_dir).ids()


def _assert_added(corpus_dir: Path, build_dir: Path, doc_id: str, before: dict[str, str]) -> None:
    """The new document is in the corpus; every other file but the catalog is untouched."""
    after = _hashes(corpus_dir)
    assert set(after) == set(before) | {f"{doc_id}.txt"}
    assert {k: v for k, v in after.items() if k not in {"catalog.json", f"{doc_id}.txt"}} == {k: v for k, v in before.items() if k != "catalog.json"}
    assert _catalog_ids(corpus_dir) == [*ORIGINAL_IDS, doc_id]
    corpus = build_corpus(corpus_dir, build_dir, use_cache=False)
    assert any(u.doc_id == doc_id for u in corpus.units)
    assert {p.doc_id for p in corpus.documents} == {*ORIGINAL_IDS, doc_id}


# --- accepted -------------------------------------------------------------------------------------


def test_utf8_statute_is_added(tmp_path: Path, tmp_corpus: Path, tmp_build: Path) -> None:
    before = _hashes(tmp_corpus)
    path = _source(tmp_path, "Test Regulation.txt", STATUTE.encode("utf-8"))
    doc = add_document(path, tmp_corpus).document
    assert doc.id == "test-regulation"
    assert doc.parser == "statute"
    assert doc.title == "某某自治区测试管理条例"
    assert doc.status == "现行"
    assert doc.region == "未注明"
    assert doc.source_file == "Test Regulation.txt"
    assert (tmp_corpus / "test-regulation.txt").read_text(encoding="utf-8") == STATUTE
    _assert_added(tmp_corpus, tmp_build, doc.id, before)
    corpus = build_corpus(tmp_corpus, tmp_build, use_cache=False)
    item = corpus.unit("test-regulation:a3.k1.x2")
    assert item.label == "《某某自治区测试管理条例》第三条第一款第（二）项"
    assert item.text == "（二）无法识别编码。"
    assert corpus.unit("test-regulation:a3.k2").text == "违反前款规定的，退回。"
    assert corpus.unit("test-regulation:c2").text == "第二章 管理"
    # The original documents are parsed as before.
    assert corpus.unit("xj-measures:a53.k1.x1").label.endswith("第五十三条第一款第（一）项")


def test_gb18030_plan_is_added_as_utf8(tmp_path: Path, tmp_corpus: Path, tmp_build: Path) -> None:
    before = _hashes(tmp_corpus)
    path = _source(tmp_path, "plan-gb.txt", PLAN.encode("gb18030"))
    doc = add_document(path, tmp_corpus, region="某某县", kind="规划").document
    assert (doc.id, doc.parser, doc.region, doc.kind) == ("plan-gb", "plan", "某某县", "规划")
    assert doc.title == "某某县2026年度测试规划（征求意见稿）"
    assert doc.status == "征求意见稿"
    assert "gb18030" in (doc.notes or "")
    assert (tmp_corpus / "plan-gb.txt").read_bytes() == PLAN.encode("utf-8")
    _assert_added(tmp_corpus, tmp_build, doc.id, before)
    corpus = build_corpus(tmp_corpus, tmp_build, use_cache=False)
    assert corpus.unit("plan-gb:h1.i2.n2").text == "2.保持稳定。"
    assert corpus.unit("plan-gb:h1.i2.n2").label == "《某某县2026年度测试规划（征求意见稿）》一、（二）2."
    assert corpus.unit("plan-gb:signature").text == "某某县自然资源局\n2026年1月1日"
    assert corpus.document("plan-gb").is_draft


def test_markdown_is_added(tmp_path: Path, tmp_corpus: Path, tmp_build: Path) -> None:
    before = _hashes(tmp_corpus)
    markdown = "# 某某市测试实施意见\n\n## 一、总体要求\n\n坚持测试。\n\n## 二、主要任务\n\n### （一）完善制度\n\n建立制度。\n"
    doc = add_document(_source(tmp_path, "opinion.md", markdown.encode()), tmp_corpus, doc_id="md-opinion", title="某某市测试实施意见（试行）").document
    assert doc.id == "md-opinion" and doc.file == "md-opinion.txt"
    assert doc.title == "某某市测试实施意见（试行）"
    text = (tmp_corpus / "md-opinion.txt").read_text(encoding="utf-8")
    assert "#" not in text
    _assert_added(tmp_corpus, tmp_build, doc.id, before)
    corpus = build_corpus(tmp_corpus, tmp_build, use_cache=False)
    assert corpus.unit("md-opinion:h2.i1").text == "（一）完善制度"
    assert corpus.unit("md-opinion:h2.i1.p1").text == "建立制度。"


def test_docx_with_a_table_is_added(tmp_path: Path, tmp_corpus: Path, tmp_build: Path) -> None:
    before = _hashes(tmp_corpus)
    document = docx.Document()
    document.add_paragraph("某某县测试供地计划")
    document.add_paragraph("一、供应总量")
    document.add_paragraph("计划供应国有建设用地100公顷。")
    document.add_paragraph("表1 供应结构")
    table = document.add_table(rows=3, cols=3)
    for row, values in enumerate([["用途", "面积（公顷）", "占比"], ["工矿仓储用地", "60", "60%"], ["住宅用地", "40", "40%"]]):
        for col, value in enumerate(values):
            table.cell(row, col).text = value
    document.add_paragraph("二、保障措施")
    document.add_paragraph("加强监管。")
    path = tmp_path / "supply.docx"
    document.save(str(path))
    doc = add_document(path, tmp_corpus).document
    assert (doc.id, doc.parser) == ("supply", "plan")
    assert doc.title == "某某县测试供地计划"
    _assert_added(tmp_corpus, tmp_build, doc.id, before)
    corpus = build_corpus(tmp_corpus, tmp_build, use_cache=False)
    table_data = corpus.table("supply:t1")
    assert table_data.headers == ["用途", "面积（公顷）", "占比"]
    assert [r.cells for r in table_data.rows] == [
        {"用途": "工矿仓储用地", "面积（公顷）": "60", "占比": "60%"},
        {"用途": "住宅用地", "面积（公顷）": "40", "占比": "40%"},
    ]
    assert corpus.unit("supply:t1.r2").label == "《某某县测试供地计划》表1第2行"
    assert corpus.unit("supply:h2.p1").text == "加强监管。"


def test_defaults_from_a_copy_of_a_corpus_document(tmp_path: Path, tmp_corpus: Path, tmp_build: Path) -> None:
    """A bare 附件1 line is skipped for the title and a （征求意见稿） line joins it; a statute title over two lines is joined."""
    bachu = add_document(_source(tmp_path, "bachu-supply-2025.txt", (DEFAULT_CORPUS_DIR / "bachu-supply-2025.txt").read_bytes()), tmp_corpus).document
    assert bachu.id == "bachu-supply-2025-2"  # the stem is taken: made unique
    assert bachu.title == "巴楚县2025年度国有建设用地供应计划（征求意见稿）"
    assert bachu.status == "征求意见稿"
    measures_gb = (DEFAULT_CORPUS_DIR / "xj-measures.txt").read_text(encoding="utf-8").encode("gb18030")
    measures = add_document(_source(tmp_path, "实施办法.txt", measures_gb), tmp_corpus, status="现行").document
    assert measures.id.startswith("doc-")  # no ASCII in the stem
    assert measures.title == "新疆维吾尔自治区实施《中华人民共和国土地管理法》办法"
    corpus = build_corpus(tmp_corpus, tmp_build, use_cache=False)
    original = [u.text for u in corpus.units if u.doc_id == "xj-measures"]
    copied = [u.text for u in corpus.units if u.doc_id == measures.id]
    assert copied == original


def test_a_draft_statute_is_a_draft(tmp_path: Path, tmp_corpus: Path) -> None:
    draft = STATUTE.replace("某某自治区测试管理条例\n", "某某自治区测试管理条例\n（征求意见稿）\n")
    doc = add_document(_source(tmp_path, "draft.txt", draft.encode()), tmp_corpus).document
    assert doc.title == "某某自治区测试管理条例（征求意见稿）"
    assert doc.status == "征求意见稿"


def test_result_has_the_parsed_units(tmp_path: Path, tmp_corpus: Path) -> None:
    added = add_document(_source(tmp_path, "reg.txt", STATUTE.encode()), tmp_corpus)
    assert added.document.id == "reg"
    assert sum(1 for u in added.parsed.units if u.kind == "article") == 4


def test_concurrent_ingests_both_land(tmp_path: Path, tmp_corpus: Path, tmp_build: Path) -> None:
    paths = [_source(tmp_path, "same.txt", STATUTE.encode()), _source(tmp_path, "same.md", STATUTE.encode())]
    errors: list[BaseException] = []

    def run(path: Path) -> None:
        try:
            add_document(path, tmp_corpus)
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=run, args=(p,)) for p in paths]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(_catalog_ids(tmp_corpus)[len(ORIGINAL_IDS):]) == ["same", "same-2"]
    assert len(build_corpus(tmp_corpus, tmp_build, use_cache=False).documents) == 7


# --- refused: the corpus and build stay byte-for-byte as they were --------------------------------


def _no_structure() -> bytes:
    return "这是一段普通的文字，没有章节条款。\n第二段也没有编号。\n".encode()


def _bad_table() -> bytes:
    return "测试规划\n一、总体要求\n正文。\n表1 指标\n\t名称\n\t数值\n\n\t甲\n\t1\n\t2\n\t3\n\n二、保障\n正文。\n".encode()


REFUSED = [
    ("binary.txt", bytes(range(256)) * 4, None, ("NUL", "binary")),
    ("empty.txt", b"", None, ("文件为空", "empty")),
    ("blank.txt", b"  \n\n\t \r\n", None, ("whitespace",)),
    ("garbled.txt", "第一条".encode() + b"\xff\xfe\x80\x81", None, ("无法识别文件编码", "neither UTF-8")),
    ("prose.txt", _no_structure(), None, ("没有可识别的结构", "no recognizable structure")),
    ("scan.pdf", b"%PDF-1.4\n", None, ("PDF",)),
    ("notes.rtf", STATUTE.encode(), None, ("unsupported file type .rtf",)),
    ("dup.txt", STATUTE.encode(), "xj-measures", ("xj-measures", "already in the catalog")),
    ("badid.txt", STATUTE.encode(), "Bad/Id", ("invalid document id",)),
    ("table.txt", _bad_table(), None, ("结构解析失败", "parsing failed", "row of 4 cells under 2 headers")),
]


@pytest.mark.parametrize(("name", "data", "doc_id", "fragments"), REFUSED, ids=[r[0] for r in REFUSED])
def test_bad_files_are_refused_and_nothing_changes(
    tmp_path: Path, tmp_corpus: Path, tmp_build: Path, name: str, data: bytes, doc_id: str | None, fragments: tuple[str, ...]
) -> None:
    build_corpus(tmp_corpus, tmp_build, use_cache=True)  # an existing build, to check it is left alone
    corpus_before, build_before = _hashes(tmp_corpus), _hashes(tmp_build)
    path = _source(tmp_path, name, data)
    with pytest.raises(DocumentError) as caught:
        add_document(path, tmp_corpus, doc_id=doc_id)
    message = str(caught.value)
    assert str(path) in message
    assert caught.value.reason_zh in message and caught.value.reason_en in message
    for fragment in fragments:
        assert fragment in message
    assert _hashes(tmp_corpus) == corpus_before
    assert _hashes(tmp_build) == build_before
    assert _catalog_ids(tmp_corpus) == ORIGINAL_IDS


def test_an_existing_file_is_not_overwritten(tmp_path: Path, tmp_corpus: Path) -> None:
    (tmp_corpus / "orphan.txt").write_text("left by an interrupted ingest", encoding="utf-8")
    before = _hashes(tmp_corpus)
    with pytest.raises(DocumentError, match=r"orphan\.txt already exists"):
        add_document(_source(tmp_path, "new.txt", STATUTE.encode()), tmp_corpus, doc_id="orphan")
    assert _hashes(tmp_corpus) == before
    # Without --id the derived id steps around it.
    assert add_document(_source(tmp_path, "orphan.txt", STATUTE.encode()), tmp_corpus).document.id == "orphan-2"


def test_a_directory_without_catalog_is_refused(tmp_path: Path) -> None:
    empty = tmp_path / "nocorpus"
    empty.mkdir()
    with pytest.raises(DocumentError, match=r"catalog\.json"):
        add_document(_source(tmp_path, "reg.txt", STATUTE.encode()), empty)
    assert list(empty.iterdir()) == []


def test_crash_between_text_and_catalog_leaves_a_consistent_catalog(tmp_path: Path, tmp_corpus: Path, tmp_build: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_write = addfile.write_text_atomic
    catalog_before = (tmp_corpus / "catalog.json").read_bytes()

    def crash_on_catalog(path: Path, text: str) -> None:
        if path.name == "catalog.json":
            raise OSError("disk full")
        real_write(path, text)

    monkeypatch.setattr(addfile, "write_text_atomic", crash_on_catalog)
    with pytest.raises(OSError, match="disk full"):
        add_document(_source(tmp_path, "reg.txt", STATUTE.encode()), tmp_corpus)
    monkeypatch.undo()
    assert (tmp_corpus / "catalog.json").read_bytes() == catalog_before
    assert (tmp_corpus / "reg.txt").exists()  # unreferenced, harmless
    corpus = build_corpus(tmp_corpus, tmp_build, use_cache=False)
    assert [p.doc_id for p in corpus.documents] == ORIGINAL_IDS
    assert add_document(_source(tmp_path, "reg.txt", STATUTE.encode()), tmp_corpus).document.id == "reg-2"


# --- the command line ---------------------------------------------------------------------------------


def _cli(argv: list[str]) -> int:
    return cli.main(argv)


def test_cli_adds_and_prints_id_and_unit_count(tmp_path: Path, tmp_corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _source(tmp_path, "cli.txt", STATUTE.encode())
    fields = ["--id", "cli-reg", "--title", "命令行测试条例", "--status", "现行", "--region", "某某自治区", "--kind", "地方性法规"]
    code = _cli(["ingest", str(path), "--corpus-dir", str(tmp_corpus), *fields])
    out = capsys.readouterr().out
    assert code == 0
    units = len(build_corpus(tmp_corpus, use_cache=False).documents[-1].units)
    assert out.startswith(f"cli-reg\t{units} units")
    entry = json.loads((tmp_corpus / "catalog.json").read_text(encoding="utf-8"))["documents"][-1]
    assert {k: entry[k] for k in ("id", "file", "title", "status", "region", "kind", "parser")} == {
        "id": "cli-reg", "file": "cli-reg.txt", "title": "命令行测试条例", "status": "现行", "region": "某某自治区", "kind": "地方性法规", "parser": "statute",
    }


def test_cli_exit_code_2_with_a_bilingual_message(tmp_path: Path, tmp_corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = _hashes(tmp_corpus)
    path = _source(tmp_path, "empty.txt", b"")
    assert _cli(["ingest", str(path), "--corpus-dir", str(tmp_corpus)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert f"无法导入文件 {path}：文件为空" in captured.err
    assert f"cannot ingest file {path}: file is empty" in captured.err
    assert _hashes(tmp_corpus) == before


def test_cli_writes_into_the_configured_corpus(tmp_path: Path, tmp_corpus: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """LANDQA_CORPUS_DIR, not the repository's corpus/, receives the text and the catalog entry."""
    shipped = _hashes(DEFAULT_CORPUS_DIR)
    monkeypatch.setenv("LANDQA_CORPUS_DIR", str(tmp_corpus))
    monkeypatch.setenv("LANDQA_BUILD_DIR", str(tmp_path / "build"))
    assert _cli(["ingest", str(_source(tmp_path, "configured.txt", STATUTE.encode()))]) == 0
    assert capsys.readouterr().out.startswith("configured\t")
    assert _catalog_ids(tmp_corpus) == [*ORIGINAL_IDS, "configured"]
    assert _hashes(DEFAULT_CORPUS_DIR) == shipped


def test_cli_refuses_a_folder_without_catalog(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.setenv("LANDQA_CORPUS_DIR", str(empty))
    assert _cli(["ingest", str(_source(tmp_path, "reg.txt", STATUTE.encode()))]) == 2
    assert "has no catalog.json" in capsys.readouterr().err
    assert list(empty.iterdir()) == []


def test_catalog_keeps_its_format(tmp_path: Path, tmp_corpus: Path) -> None:
    original = (tmp_corpus / "catalog.json").read_text(encoding="utf-8")
    add_document(_source(tmp_path, "reg.txt", STATUTE.encode()), tmp_corpus)
    updated = (tmp_corpus / "catalog.json").read_text(encoding="utf-8")
    data = json.loads(updated)
    assert updated == json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    assert data["documents"][:-1] == json.loads(original)["documents"]
