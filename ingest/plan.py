"""Plan parser: 章/节, 一、/（一）/1. hierarchies, 专栏 boxes, tables and 附件 of plans and opinions."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.blocks import CN_NUMERAL, Block, cn_number, split_front_matter, to_blocks
from ingest.catalog import Document
from ingest.clean import CleanResult
from ingest.tables import rebuild_table
from ingest.units import Table, Unit, UnitKind

# (level, id prefix, pattern): the heading styles plans use, outermost first.
MARKERS: list[tuple[int, str, re.Pattern[str]]] = [
    (0, "c", re.compile(rf"^第([{CN_NUMERAL}]+)章\s*")),
    (1, "s", re.compile(rf"^第([{CN_NUMERAL}]+)节\s*")),
    (2, "h", re.compile(rf"^([{CN_NUMERAL}]+)、\s*")),
    (3, "i", re.compile(rf"^[（(]([{CN_NUMERAL}]+)[）)]\s*")),
    (4, "n", re.compile(r"^(\d{1,2})(?:[.．、](?!\d))\s*")),
]
BOX = re.compile(r"^专栏\s*(\d+)\s*[:：]?\s*(.*)$")
TABLE = re.compile(r"^表\s*(\d+)\s*(.*)$")
ATTACHMENT = re.compile(r"^附件\s*(\d+)\s*(.*)$")
BODY_START_LENGTH = 40  # the first line this long (or a heading) ends the title block
SIGNATURE_MAX_LENGTH = 25


def marker(text: str) -> tuple[int, str, int, re.Match[str]] | None:
    for level, prefix, pattern in MARKERS:
        if match := pattern.match(text):
            return level, prefix, cn_number(match.group(1)), match
    return None


def label_token(prefix: str, match: re.Match[str]) -> str:
    """How a heading is cited: 第五章, 第一节, 三、, （二）, 1."""
    number = match.group(1)
    return {"c": f"第{number}章", "s": f"第{number}节", "h": f"{number}、", "i": f"（{number}）", "n": f"{number}."}[prefix]


def is_bare_heading(text: str) -> bool:
    """A heading standing alone: a marker and a short title with no sentence in it."""
    return (marker(text) is not None or bool(ATTACHMENT.match(text))) and "。" not in text and len(text) <= 40


def starts_structure(text: str) -> bool:
    return marker(text) is not None or bool(BOX.match(text) or TABLE.match(text) or ATTACHMENT.match(text))


@dataclass
class Level:
    level: int
    token: str  # id token, e.g. "c5" or "i2"
    label: str  # citation token, e.g. "第五章"
    heading: str  # heading text for the path


@dataclass
class PlanBuilder:
    doc: Document
    units: list[Unit] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    stack: list[Level] = field(default_factory=list)
    paragraphs: dict[str, int] = field(default_factory=dict)

    def container(self) -> tuple[str, str, list[str]]:
        return (".".join(level.token for level in self.stack), "".join(level.label for level in self.stack), [level.heading for level in self.stack])

    def add(self, unit_id: str, kind: UnitKind, short: str, text: str, spans: list[tuple[int, int]], path: list[str], number: int | None = None) -> Unit:
        unit = Unit(
            id=f"{self.doc.id}:{unit_id}", doc_id=self.doc.id, kind=kind, label=f"{self.doc.citation_title()}{short}",
            short_label=short, text=text, heading_path=path, spans=spans, order=len(self.units), number=number,
        )
        self.units.append(unit)
        return unit

    def paragraph(self, block: Block) -> None:
        token, label, path = self.container()
        self.paragraphs[token] = self.paragraphs.get(token, 0) + 1
        count = self.paragraphs[token]
        unit_id = ".".join(filter(None, [token, f"p{count}"]))
        self.add(unit_id, "paragraph", f"{label}第{count}段", block.text, block.spans, path)

    def heading(self, block: Block, level: int, prefix: str, number: int, match: re.Match[str]) -> None:
        self.stack = [kept for kept in self.stack if kept.level < level]
        token = f"{prefix}{number}"
        label = label_token(prefix, match)
        bare = is_bare_heading(block.text)
        title = block.text[match.end():].strip()
        heading_text = f"{label} {title}".strip() if prefix in "cs" else block.text
        self.stack.append(Level(level, token, label, heading_text if bare else block.text[: block.text.find("。") + 1] or block.text))
        unit_id, short, path = self.container()
        self.add(unit_id, "heading" if bare else "item", short, heading_text if bare else block.text, block.spans, path, number)

    def box(self, block: Block, match: re.Match[str], content: list[Block]) -> None:
        token, label, path = self.container()
        number = int(match.group(1))
        box_token = ".".join(filter(None, [token, f"box{number}"]))
        box_label = f"{label}专栏{number}"
        box_path = [*path, block.text]
        self.add(box_token, "box", box_label, block.text, block.spans, box_path, number)
        for index, line in enumerate(content, start=1):
            self.add(f"{box_token}.p{index}", "paragraph", f"{box_label}第{index}段", line.text, line.spans, box_path)

    def table(self, table_token: str, caption: str, short_caption: str, spans: list[tuple[int, int]], cells: list[Block]) -> None:
        _, _, path = self.container()
        units, table = rebuild_table(self.doc, f"{self.doc.id}:{table_token}", caption, short_caption, cells, spans, path, len(self.units))
        self.units.extend(units)
        self.tables.append(table)


def _ends_box(text: str) -> bool:
    """A box runs to a blank line or a chapter/section heading; numbered lines stay inside it."""
    found = marker(text)
    return (found is not None and found[0] <= 1) or bool(BOX.match(text) or TABLE.match(text) or ATTACHMENT.match(text))


def _signature_line(block: Block, line_text: dict[tuple[int, int], str]) -> bool:
    short = all(len(line_text.get(span, "")) <= SIGNATURE_MAX_LENGTH for span in block.spans)
    return short and not block.is_cell and not starts_structure(block.text) and "。" not in block.text


def _signature_start(blocks: list[Block], line_text: dict[tuple[int, int], str]) -> int:
    """Issuer, date and publication notes after the last sentence of the text.

    Signature lines do not end a sentence, so the block builder joins them ("某某局" +
    "2025年1月8日"): each physical line must be short, not the joined block.
    """
    index = len(blocks)
    while index > 0 and _signature_line(blocks[index - 1], line_text):
        index -= 1
    return index


def parse_plan(doc: Document, cleaned: CleanResult) -> tuple[list[Unit], list[Table]]:
    def starts_body(text: str) -> bool:
        return marker(text) is not None or bool(BOX.match(text) or TABLE.match(text)) or len(text) >= BODY_START_LENGTH

    front, body = split_front_matter(cleaned.lines, starts_body)
    builder = PlanBuilder(doc)
    if front:
        builder.add("title", "title", "标题", "\n".join(b.text for b in front), [s for b in front for s in b.spans], [])
    blocks = to_blocks(body, starts_structure, is_bare_heading)
    line_text = {(line.start, line.end): line.content for line in body}
    signature = _signature_start(blocks, line_text)
    index = 0
    while index < signature:
        block = blocks[index]
        text = block.text
        if block.is_cell and (box := BOX.match(text)):
            end = index + 1
            while end < signature and not blocks[end].is_cell and blocks[end].blank_before == 0 and not _ends_box(blocks[end].text):
                end += 1
            builder.box(block, box, blocks[index + 1 : end])
            index = end
        elif (table := TABLE.match(text)) and not block.is_cell:
            end = index + 1
            while end < signature and blocks[end].is_cell:
                end += 1
            builder.table(f"t{table.group(1)}", text, f"表{table.group(1)}", block.spans, blocks[index + 1 : end])
            index = end
        elif attachment := ATTACHMENT.match(text):
            number = attachment.group(1)
            caption_blocks = [block]
            end = index + 1
            while end < signature and not blocks[end].is_cell:
                caption_blocks.append(blocks[end])
                end += 1
            cells_end = end
            while cells_end < signature and blocks[cells_end].is_cell:
                cells_end += 1
            caption = " ".join(b.text for b in caption_blocks)
            builder.stack = []
            if cells_end > end:
                builder.table(f"att{number}", caption, f"附件{number}", [s for b in caption_blocks for s in b.spans], blocks[end:cells_end])
            else:
                builder.add(f"att{number}", "heading", f"附件{number}", caption, [s for b in caption_blocks for s in b.spans], [caption])
            index = cells_end
        elif found := marker(text):
            level, prefix, number, match = found
            builder.heading(block, level, prefix, number, match)
            index += 1
        else:
            builder.paragraph(block)
            index += 1
    if signature < len(blocks):
        rest = blocks[signature:]
        # One line per physical line: the issuer, the date and notes stay apart.
        lines = [line_text[span] for b in rest for span in b.spans]
        builder.add("signature", "signature", "落款", "\n".join(lines), [s for b in rest for s in b.spans], [])
    return builder.units, builder.tables
