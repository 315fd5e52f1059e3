"""Statute parser: 章 / 条 / 款 / 项 into article units with addressable clauses and items."""
from __future__ import annotations

import re

from ingest.blocks import CN_NUMERAL, Block, chinese_ordinal, cn_number, split_front_matter, to_blocks
from ingest.catalog import Document
from ingest.clean import CleanResult
from ingest.units import Unit, UnitKind

CHAPTER = re.compile(rf"^第([{CN_NUMERAL}]+)章\s*(.*)$")
ARTICLE = re.compile(rf"^第([{CN_NUMERAL}]+)条[\s\u3000]*(.*)$")
ITEM = re.compile(rf"^[（(]([{CN_NUMERAL}]+)[）)]")


def _starts_structure(text: str) -> bool:
    return bool(CHAPTER.match(text) or ARTICLE.match(text) or ITEM.match(text))


def _is_bare_heading(text: str) -> bool:
    return bool(CHAPTER.match(text))


class StatuteBuilder:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.units: list[Unit] = []
        self.chapter: str | None = None

    def add(
        self,
        *,
        id: str,
        kind: UnitKind,
        short_label: str,
        text: str,
        spans: list[tuple[int, int]],
        heading_path: list[str] | None = None,
        number: int | None = None,
    ) -> Unit:
        unit = Unit(
            id=id, doc_id=self.doc.id, kind=kind, label=f"{self.doc.citation_title()}{short_label}", short_label=short_label, text=text,
            heading_path=heading_path or [], spans=spans, order=len(self.units), number=number,
        )
        self.units.append(unit)
        return unit

    def front_matter(self, blocks: list[Block]) -> None:
        title = [b for b in blocks if not b.text.startswith(("（", "("))]
        history = [b for b in blocks if b.text.startswith(("（", "("))]
        if title:
            spans = [s for b in title for s in b.spans]
            self.add(id=f"{self.doc.id}:title", kind="title", short_label="标题", text="".join(b.text for b in title), spans=spans)
        if history:
            spans = [s for b in history for s in b.spans]
            self.add(id=f"{self.doc.id}:preamble", kind="title", short_label="题注（制定和修改情况）", text="\n".join(b.text for b in history), spans=spans)

    def chapter_heading(self, block: Block, match: re.Match[str]) -> None:
        number = cn_number(match.group(1))
        title = re.sub(r"\s+", "", match.group(2))  # "总　　则" is spaced out for layout
        heading = f"第{match.group(1)}章 {title}".strip()
        self.chapter = heading
        short_label = f"第{match.group(1)}章"
        self.add(id=f"{self.doc.id}:c{number}", kind="heading", short_label=short_label, text=heading, heading_path=[heading], spans=block.spans, number=number)

    def article(self, head: Block, match: re.Match[str], body: list[Block]) -> None:
        number = cn_number(match.group(1))
        article_id = f"{self.doc.id}:a{number}"
        article_label = f"第{match.group(1)}条"
        heading_path = [self.chapter] if self.chapter else []
        lines = [match.group(2)] + [b.text for b in body]
        text = f"{article_label}　" + "\n".join(lines)
        spans = [s for b in [head, *body] for s in b.spans]
        article = self.add(id=article_id, kind="article", short_label=article_label, text=text, heading_path=heading_path, spans=spans, number=number)
        # 款: every line that is not a 项; 项 belong to the 款 that introduces them.
        offset = len(article_label) + 1
        clause_no = 0
        clause_start = offset
        clause_unit: Unit | None = None
        children: list[Unit] = []
        for line in lines:
            start = offset
            end = start + len(line)
            item = ITEM.match(line)
            if item and clause_unit is not None:
                item_no = cn_number(item.group(1))
                children.append(Unit(
                    id=f"{clause_unit.id}.x{item_no}", doc_id=self.doc.id, kind="item",
                    short_label=f"{clause_unit.short_label}第（{item.group(1)}）项",
                    label=f"{self.doc.citation_title()}{clause_unit.short_label}第（{item.group(1)}）项",
                    # Offsets are into the parent's text: the 款, which starts at clause_start in the article.
                    text=line, heading_path=heading_path, parent=clause_unit.id,
                    parent_offsets=(start - clause_start, end - clause_start),
                    covers_source=False, number=item_no,
                ))
                clause_unit.text = text[clause_start:end]
                clause_unit.parent_offsets = (clause_start, end)
            else:
                clause_no += 1
                clause_start = start
                short = f"{article_label}第{chinese_ordinal(clause_no)}款"
                clause_unit = Unit(
                    id=f"{article_id}.k{clause_no}", doc_id=self.doc.id, kind="clause", short_label=short,
                    label=f"{self.doc.citation_title()}{short}", text=line, heading_path=heading_path,
                    parent=article_id, parent_offsets=(start, end), covers_source=False, number=clause_no,
                )
                children.append(clause_unit)
            offset = end + 1  # the "\n" between lines
        for child in children:
            child.order = article.order
        self.units.extend(children)


def parse_statute(doc: Document, cleaned: CleanResult) -> list[Unit]:
    front, body = split_front_matter(cleaned.lines, lambda text: bool(CHAPTER.match(text) or ARTICLE.match(text)))
    builder = StatuteBuilder(doc)
    builder.front_matter(front)
    blocks = to_blocks(body, _starts_structure, _is_bare_heading)
    index = 0
    while index < len(blocks):
        block = blocks[index]
        if chapter := CHAPTER.match(block.text):
            builder.chapter_heading(block, chapter)
            index += 1
        elif article := ARTICLE.match(block.text):
            end = index + 1
            while end < len(blocks) and not (CHAPTER.match(blocks[end].text) or ARTICLE.match(blocks[end].text)):
                end += 1
            builder.article(block, article, blocks[index + 1 : end])
            index = end
        else:
            raise ValueError(f"{doc.file}: line {block.line_number} is neither a chapter nor inside an article: {block.text[:40]!r}")
    return builder.units
