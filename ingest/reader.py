"""Reading a new document for the corpus: .txt (UTF-8 or GB18030), .md and .docx into plain text.

The text returned follows the corpus convention the parsers read: one logical line per
paragraph, "\\n" line ends, and tables flattened one cell per line with a leading tab and
a blank line between rows. Anything that cannot be read as such a text is refused with a
`DocumentError` naming the file and the reason, in Chinese and in English.

PDF is not accepted: text extracted from PDF loses the reading order of multi-column pages,
the cell boundaries of tables and the difference between a line wrap and a paragraph end,
and no extraction library makes that reliable enough to cite 条/款/项 and table cells from.
Convert the PDF to .docx or .txt (and check it) first.
"""
from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from docx.oxml.table import CT_Tbl

MARKDOWN_SUFFIXES = {".md", ".markdown"}
TEXT_SUFFIXES = {".txt"} | MARKDOWN_SUFFIXES
DOCX_SUFFIXES = {".docx"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | DOCX_SUFFIXES
UTF8_BOM = b"\xef\xbb\xbf"
# Control characters a text file may hold; any other one means the file is not text.
ALLOWED_CONTROLS = {"\t", "\n", "\r", "\f"}
MD_HEADING = re.compile(r"^[ \t]{0,3}#{1,6}(?:[ \t]+|(?=[^#\s]))(.*?)(?:[ \t]+#+)?[ \t]*$")


class DocumentError(Exception):
    """A file that cannot be added to the corpus, and why (in Chinese and English)."""

    def __init__(self, path: Path | str, reason_zh: str, reason_en: str) -> None:
        self.path = Path(path)
        self.reason_zh = reason_zh
        self.reason_en = reason_en
        super().__init__(f"无法导入文件 {self.path}：{reason_zh}\ncannot ingest file {self.path}: {reason_en}")


@dataclass(frozen=True)
class ReadResult:
    text: str
    encoding: str  # "utf-8", "utf-8-sig", "gb18030" or "docx"


def read_document(path: Path) -> ReadResult:
    """Read `path` into corpus text, or raise DocumentError."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        raise DocumentError(
            path,
            "不支持 PDF：从 PDF 提取的文本会丢失阅读顺序、表格单元格和段落边界，无法可靠地引用条款和表格；请先转换为 .docx 或 .txt 并核对",
            "PDF is not supported: text extracted from PDF loses reading order, table cells and paragraph ends, "
            "so articles and table cells cannot be cited reliably; convert it to .docx or .txt and check it first",
        )
    if suffix not in SUPPORTED_SUFFIXES:
        shown = suffix or "（无扩展名）"
        raise DocumentError(
            path,
            f"不支持的文件类型 {shown}（支持 .txt、.md、.docx）",
            f"unsupported file type {suffix or '(no extension)'} (supported: .txt, .md, .docx)",
        )
    if not path.is_file():
        raise DocumentError(path, "文件不存在或不是普通文件", "file does not exist or is not a regular file")
    try:
        data = path.read_bytes()
    except OSError as error:
        raise DocumentError(path, f"无法读取文件（{error.strerror or error}）", f"cannot read file ({error.strerror or error})") from error
    if not data:
        raise DocumentError(path, "文件为空", "file is empty")
    if suffix in DOCX_SUFFIXES:
        text, encoding = _read_docx(path, data), "docx"
    else:
        text, encoding = _decode(path, data)
    text = normalize_newlines(text)
    if suffix in MARKDOWN_SUFFIXES:
        text = strip_markdown_headings(text)
    _check_is_text(path, text)
    if not text.strip():
        raise DocumentError(path, "文件只有空白字符，没有正文", "file contains only whitespace")
    return ReadResult(text=text, encoding=encoding)


def _decode(path: Path, data: bytes) -> tuple[str, str]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DocumentError(
            path, "文件是 UTF-16 编码，不支持；请另存为 UTF-8 或 GB18030", "file is UTF-16, which is not supported; save it as UTF-8 or GB18030"
        )
    if b"\x00" in data:
        raise DocumentError(path, "文件含有 NUL 字节，是二进制文件而不是文本", "file contains NUL bytes: it is binary, not text")
    if data.startswith(UTF8_BOM):
        try:
            return data[len(UTF8_BOM):].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as error:
            raise DocumentError(
                path, f"文件带 UTF-8 BOM，但第 {error.start} 字节处不是合法的 UTF-8", f"file has a UTF-8 BOM but is not valid UTF-8 at byte {error.start}"
            ) from error
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as utf8_error:
        try:
            return data.decode("gb18030"), "gb18030"
        except UnicodeDecodeError as gb_error:
            raise DocumentError(
                path,
                f"无法识别文件编码：既不是 UTF-8（第 {utf8_error.start} 字节出错）也不是 GB18030（第 {gb_error.start} 字节出错）",
                f"unknown encoding: neither UTF-8 (invalid at byte {utf8_error.start}) nor GB18030 (invalid at byte {gb_error.start})",
            ) from gb_error


def normalize_newlines(text: str) -> str:
    """CRLF, CR, vertical tab (Word's manual line break) and U+2028/U+2029 become "\\n"."""
    text = text.replace("\r\n", "\n")
    for separator in ("\r", "\v", "\u2028", "\u2029"):
        text = text.replace(separator, "\n")
    return text


def _check_is_text(path: Path, text: str) -> None:
    for index, char in enumerate(text):
        if (unicodedata.category(char) == "Cc" and char not in ALLOWED_CONTROLS) or char == "\ufffd":
            raise DocumentError(
                path,
                f"解码后第 {index} 个字符是控制字符或替换字符 U+{ord(char):04X}，不是文本文件",
                f"character {index} after decoding is control or replacement character U+{ord(char):04X}: not a text file",
            )


def strip_markdown_headings(text: str) -> str:
    """'## 一、总体要求' -> '一、总体要求'; everything else is kept as written."""
    lines = []
    for line in text.split("\n"):
        match = MD_HEADING.match(line)
        lines.append(match.group(1) if match else line)
    return "\n".join(lines)


def _read_docx(path: Path, data: bytes) -> str:
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise DocumentError(path, "不是有效的 .docx 文件（不是 ZIP 包）", "not a valid .docx file (not a ZIP package)")
    try:
        import docx
        from docx.text.paragraph import Paragraph

        document = docx.Document(io.BytesIO(data))
    except Exception as error:  # python-docx raises several kinds for damaged packages
        reason = f"{type(error).__name__}: {error}"
        raise DocumentError(path, f"无法打开 .docx 文件（{reason}）", f"cannot open .docx file ({reason})") from error
    lines: list[str] = []
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(child, document).text)
        elif tag == "tbl":
            lines.extend(_flatten_table(child, document))
    return "\n".join(lines)


def _flatten_table(tbl: CT_Tbl, parent: DocxDocument) -> list[str]:
    """One cell per line with a leading tab, a blank line after each row.

    Cells are read as stored (`w:tc` elements of the `w:tbl` element), not per grid column as
    python-docx's Table.rows gives them: a cell merged across columns is printed once, and the
    continuation of a vertically merged cell is printed empty, as the corpus texts print them.
    """
    from docx.text.paragraph import Paragraph

    lines: list[str] = []
    for row in tbl.tr_lst:
        for tc in row.tc_lst:
            text = " ".join(part for part in (Paragraph(p, parent).text.strip() for p in tc.p_lst) if part)
            lines.append("\t" + text.replace("\n", " ").replace("\t", " "))
        lines.append("")
    return lines
