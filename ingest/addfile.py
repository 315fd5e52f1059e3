"""Adding one document to a corpus and its catalog (`landqa ingest FILE`).

Everything that can fail is done before anything is written: the file is read and decoded,
its structure recognised and the real parser run on it. Only then is the text written to
corpus/<id>.txt and the catalog replaced, each atomically, text first and catalog last: a
crash in between leaves an unreferenced text file and the old, consistent catalog.
"""
from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import TypedDict

from ingest.atomic import lock, write_text_atomic
from ingest.blocks import split_front_matter
from ingest.catalog import CATALOG_NAME, DRAFT_STATUS, Catalog, Document
from ingest.clean import clean_text
from ingest.pipeline import ParsedDocument, parse_document
from ingest.plan import MARKERS
from ingest.reader import DocumentError, read_document
from ingest.statute import ARTICLE, CHAPTER

MIN_ARTICLES = 3  # lines starting 第…条 that make a text a statute
MIN_PLAN_HEADINGS = 2  # 第…章 / 一、 / （一） headings that make a text a plan
PLAN_HEADINGS = [pattern for level, _, pattern in MARKERS if level in (0, 2, 3)]
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
CURRENT_STATUS = "现行"
UNSPECIFIED = "未注明"
ATTACHMENT_MARK = re.compile(r"^附件\s*\d*$")
MAX_JOINED_TITLE = 80
TITLE_BLOCK_LINES = 3  # lines after the title where a （征求意见稿） mark belongs to it
DRAFT_MARK = re.compile(rf"^[（(]{DRAFT_STATUS}[）)]$")


@dataclass(frozen=True)
class Added:
    document: Document
    parsed: ParsedDocument


def _lines(text: str) -> list[str]:
    """Cleaned, non-empty, non-table lines: what the parsers see as headings and paragraphs."""
    return [line.content for line in clean_text(text).lines if not line.removed and not line.is_cell and line.content]


def detect_parser(path: Path, text: str) -> str:
    lines = _lines(text)
    if sum(1 for line in lines if ARTICLE.match(line)) >= MIN_ARTICLES:
        return "statute"
    if sum(1 for line in lines if any(pattern.match(line) for pattern in PLAN_HEADINGS)) >= MIN_PLAN_HEADINGS:
        return "plan"
    raise DocumentError(
        path,
        f"没有可识别的结构：既没有至少 {MIN_ARTICLES} 行以“第…条”开头（法规），也没有至少 {MIN_PLAN_HEADINGS} 个“第…章”“一、”“（一）”标题（规划、意见）",
        f"no recognizable structure: neither {MIN_ARTICLES} lines starting with 第…条 (statute) nor {MIN_PLAN_HEADINGS} headings 第…章 / 一、 / （一） (plan)",
    )


def default_title(text: str, parser: str = "plan") -> str:
    """The first non-empty line, skipping a bare 附件N mark, with a （征求意见稿） mark of the title block.

    A statute title is often broken over two lines (…实施 / 《…》办法): for a statute the
    title lines before the first 章 or 条 are joined, as the statute parser joins them.
    """
    lines = _lines(text)
    index = 0
    while index < len(lines) - 1 and ATTACHMENT_MARK.match(lines[index]):
        index += 1
    title = lines[index]
    if parser == "statute":
        front, _ = split_front_matter(clean_text(text).lines, lambda line: bool(CHAPTER.match(line) or ARTICLE.match(line)))
        joined = "".join(block.text for block in front if not block.text.startswith(("（", "(")))
        if joined and len(joined) <= MAX_JOINED_TITLE:
            title = joined
    if DRAFT_STATUS not in title and any(DRAFT_MARK.match(line) for line in lines[index + 1 : index + 1 + TITLE_BLOCK_LINES]):
        title += f"（{DRAFT_STATUS}）"
    return title


def slugify(stem: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")[:48].strip("-")


def _taken(doc_id: str, ids: set[str], corpus_dir: Path) -> bool:
    return doc_id in ids or (corpus_dir / f"{doc_id}.txt").exists()


def _resolve_id(path: Path, requested: str | None, text: str, ids: set[str], corpus_dir: Path) -> str:
    if requested is not None:
        if not ID_PATTERN.match(requested):
            raise DocumentError(
                path,
                f"文档编号 {requested!r} 无效：只能用小写字母、数字、“-”和“_”，以字母或数字开头",
                f"invalid document id {requested!r}: use lowercase letters, digits, '-' and '_', starting with a letter or digit",
            )
        if requested in ids:
            raise DocumentError(path, f"文档编号 {requested} 已在目录中，不会覆盖", f"document id {requested} is already in the catalog; it is not overwritten")
        if (corpus_dir / f"{requested}.txt").exists():
            raise DocumentError(
                path,
                f"语料文件 {requested}.txt 已存在（目录中没有引用它，可能是中断的导入留下的），不会覆盖",
                f"corpus file {requested}.txt already exists (not in the catalog, perhaps left by an interrupted ingest); it is not overwritten",
            )
        return requested
    base = slugify(path.stem) or f"doc-{hashlib.sha256(text.encode('utf-8')).hexdigest()[:8]}"
    candidate, number = base, 1
    while _taken(candidate, ids, corpus_dir):
        number += 1
        candidate = f"{base}-{number}"
    return candidate


class CatalogFile(TypedDict):
    """catalog.json as read, kept as JSON so that a new document leaves every other entry and key as it was."""

    documents: list[dict[str, object]]


def _load_catalog_data(path: Path, catalog_path: Path) -> CatalogFile:
    try:
        data: CatalogFile = json.loads(catalog_path.read_text(encoding="utf-8"))
        Catalog.model_validate(data)
    except (OSError, ValueError) as error:
        raise DocumentError(
            path,
            f"语料目录文件 {catalog_path} 无法读取（{error}），未做任何修改",
            f"corpus catalog {catalog_path} cannot be read ({error}); nothing was changed",
        ) from error
    return data


def add_document(
    path: Path,
    corpus_dir: Path,
    *,
    doc_id: str | None = None,
    title: str | None = None,
    status: str | None = None,
    region: str | None = None,
    kind: str | None = None,
) -> Added:
    """Add `path` to the corpus in `corpus_dir`; the Document and its parsed units."""
    path, corpus_dir = Path(path), Path(corpus_dir)
    read = read_document(path)
    parser = detect_parser(path, read.text)
    catalog_path = corpus_dir / CATALOG_NAME
    if not catalog_path.is_file():
        raise DocumentError(path, f"{corpus_dir} 中没有 {CATALOG_NAME}，不是语料目录", f"{corpus_dir} has no {CATALOG_NAME}: not a corpus directory")
    # Concurrent ingests into one corpus are serialised: each reads the catalog the last one wrote.
    with lock(catalog_path):
        data = _load_catalog_data(path, catalog_path)
        documents = data["documents"]
        ids = {str(entry["id"]) for entry in documents}
        new_id = _resolve_id(path, doc_id, read.text, ids, corpus_dir)
        doc_title = (title or "").strip() or default_title(read.text, parser)
        doc = Document(
            id=new_id,
            file=f"{new_id}.txt",
            title=doc_title,
            short_name=doc_title,
            issuer=UNSPECIFIED,
            region=region or UNSPECIFIED,
            kind=kind or UNSPECIFIED,
            parser=parser,
            status=status or (DRAFT_STATUS if DRAFT_STATUS in doc_title else CURRENT_STATUS),
            source_file=path.name,
            notes=f"由 landqa ingest 从 {path.name} 导入（{read.encoding}）",
        )
        try:
            parsed = parse_document(doc, read.text)
        except Exception as error:  # any parser failure means the file cannot be cited from
            raise DocumentError(path, f"结构解析失败（{error}）", f"parsing failed ({error})") from error
        if not any(unit.kind != "title" for unit in parsed.units):
            raise DocumentError(path, "解析后没有正文单元", "no body units after parsing")
        documents.append(doc.model_dump(mode="json", exclude_none=True))
        catalog_text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
        Catalog.model_validate_json(catalog_text)
        write_text_atomic(corpus_dir / doc.file, read.text)  # first: unreferenced until the catalog names it
        write_text_atomic(catalog_path, catalog_text)
    return Added(document=doc, parsed=parsed)

