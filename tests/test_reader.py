"""Reading new documents: encodings, Markdown, Word, and clear refusals."""
from __future__ import annotations

from pathlib import Path

import docx
import pytest

from ingest.reader import DocumentError, read_document

TEXT = "测试条例\n第一条　为了测试，制定本条例。𠀀\n"


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _refused(path: Path, *fragments: str) -> DocumentError:
    with pytest.raises(DocumentError) as caught:
        read_document(path)
    error = caught.value
    message = str(error)
    assert str(path) in message
    assert error.path == path
    assert error.reason_zh in message and error.reason_en in message
    for fragment in fragments:
        assert fragment in message
    return error


def test_utf8(tmp_path: Path) -> None:
    result = read_document(_write(tmp_path, "a.txt", TEXT.encode("utf-8")))
    assert result.text == TEXT
    assert result.encoding == "utf-8"


def test_utf8_with_bom(tmp_path: Path) -> None:
    result = read_document(_write(tmp_path, "a.txt", b"\xef\xbb\xbf" + TEXT.encode("utf-8")))
    assert result.text == TEXT
    assert result.encoding == "utf-8-sig"


def test_gb18030(tmp_path: Path) -> None:
    data = TEXT.encode("gb18030")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    result = read_document(_write(tmp_path, "a.txt", data))
    assert result.text == TEXT  # including a character outside GBK
    assert result.encoding == "gb18030"


def test_line_ends_are_normalised(tmp_path: Path) -> None:
    assert read_document(_write(tmp_path, "a.txt", "甲\r\n乙\r丙\v丁\u2029戊\n".encode())).text == "甲\n乙\n丙\n丁\n戊\n"


def test_binary_file_is_refused(tmp_path: Path) -> None:
    _refused(_write(tmp_path, "b.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), "NUL", "二进制")


def test_utf16_is_refused_with_a_hint(tmp_path: Path) -> None:
    _refused(_write(tmp_path, "u16.txt", TEXT.encode("utf-16")), "UTF-16", "save it as UTF-8")


def test_control_characters_are_refused(tmp_path: Path) -> None:
    _refused(_write(tmp_path, "b.txt", "正文\x01\x02".encode()), "U+0001", "not a text file")


def test_empty_file_is_refused(tmp_path: Path) -> None:
    _refused(_write(tmp_path, "empty.txt", b""), "文件为空", "file is empty")


def test_whitespace_only_is_refused(tmp_path: Path) -> None:
    _refused(_write(tmp_path, "blank.txt", " \n\t\r\n\u3000\n".encode()), "whitespace")


def test_undecodable_bytes_are_refused(tmp_path: Path) -> None:
    data = "第一条".encode() + b"\xff\xfe\x80\x81"
    for encoding in ("utf-8", "gb18030"):
        with pytest.raises(UnicodeDecodeError):
            data.decode(encoding)
    _refused(_write(tmp_path, "bad.txt", data), "无法识别文件编码", "unknown encoding")


def test_unknown_extension_is_refused(tmp_path: Path) -> None:
    _refused(_write(tmp_path, "a.rtf", TEXT.encode()), ".rtf", "unsupported file type")
    _refused(_write(tmp_path, "noext", TEXT.encode()), "no extension")


def test_pdf_is_refused_with_the_reason(tmp_path: Path) -> None:
    _refused(_write(tmp_path, "a.pdf", b"%PDF-1.7\n"), "PDF is not supported", ".docx")


def test_missing_file_is_refused(tmp_path: Path) -> None:
    _refused(tmp_path / "missing.txt", "does not exist")


def test_markdown_heading_marks_are_stripped(tmp_path: Path) -> None:
    source = "# 测试规划\n\n## 一、总体要求 ##\n正文里的 # 号保留。\n###（一）小标题\n####### 七个井号不是标题\n"
    text = read_document(_write(tmp_path, "a.md", source.encode())).text
    assert text.split("\n") == ["测试规划", "", "一、总体要求", "正文里的 # 号保留。", "（一）小标题", "####### 七个井号不是标题", ""]


def test_markdown_in_gb18030(tmp_path: Path) -> None:
    assert read_document(_write(tmp_path, "a.md", "# 标题\n正文。".encode("gb18030"))).text == "标题\n正文。"


def test_docx_paragraphs_and_tables(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_heading("测试规划", level=1)
    document.add_paragraph("一、总体要求")
    document.add_paragraph("")
    document.add_paragraph("表1 指标")
    table = document.add_table(rows=4, cols=3)
    for row, values in enumerate([["分类", "指标", "数值"], ["甲", "x", "1"], ["", "y", "2"], ["乙", "z", "3"]]):
        for col, value in enumerate(values):
            table.cell(row, col).text = value
    table.cell(1, 0).merge(table.cell(2, 0))  # vertical merge: the continuation prints empty
    merged = table.cell(3, 1).merge(table.cell(3, 2))  # horizontal merge: one cell
    merged.text = "z3"
    document.add_paragraph("二、保障措施")
    path = tmp_path / "a.docx"
    document.save(str(path))
    result = read_document(path)
    assert result.encoding == "docx"
    assert result.text.split("\n") == [
        "测试规划", "一、总体要求", "", "表1 指标",
        "\t分类", "\t指标", "\t数值", "",
        "\t甲", "\tx", "\t1", "",
        "\t", "\ty", "\t2", "",
        "\t乙", "\tz3", "",
        "二、保障措施",
    ]


def test_empty_docx_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "empty.docx"
    docx.Document().save(str(path))
    _refused(path, "whitespace")


def test_damaged_docx_is_refused(tmp_path: Path) -> None:
    _refused(_write(tmp_path, "bad.docx", TEXT.encode()), "not a valid .docx")
    import zipfile

    path = tmp_path / "zip.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "not word")
    _refused(path, "cannot open .docx")
