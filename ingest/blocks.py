"""Blocks: cleaned lines grouped into logical paragraphs, rejoining those broken across pages."""
from __future__ import annotations

import re
from collections.abc import Callable

from pydantic import BaseModel

from ingest.clean import Line

# A paragraph that ends with one of these is complete; anything else was cut by a page break.
TERMINAL_PUNCTUATION = "。；：！？!?;:…”’」』）)】"
CN_NUMERAL = "一二三四五六七八九十百零〇两"


class Block(BaseModel):
    """A logical line of text and the raw spans it came from (several when it was rejoined)."""

    text: str
    spans: list[tuple[int, int]]
    line_number: int
    is_cell: bool = False
    is_empty_cell: bool = False
    blank_before: int = 0  # blank or artifact lines between this block and the previous one


def is_complete(text: str) -> bool:
    return text.endswith(tuple(TERMINAL_PUNCTUATION))


def to_blocks(lines: list[Line], starts_structure: Callable[[str], bool], is_bare_heading: Callable[[str], bool]) -> list[Block]:
    """Turn lines into blocks, joining a line cut by a page break to its continuation.

    A line is joined to the next one when it does not end a sentence, is not a heading
    standing alone, and the next line does not start a new structural element.
    """
    blocks: list[Block] = []
    blank_run = 0
    for line in lines:
        if line.removed or (line.is_blank and not line.is_cell):
            blank_run += 1
            continue
        if line.is_cell:
            cell = line.text[1:].strip()
            blocks.append(
                Block(text=cell, spans=[(line.start, line.end)], line_number=line.number, is_cell=True, is_empty_cell=not cell, blank_before=blank_run)
            )
            blank_run = 0
            continue
        text = line.content
        previous = blocks[-1] if blocks else None
        if (
            previous is not None
            and not previous.is_cell
            and not is_complete(previous.text)
            and not is_bare_heading(previous.text)
            and not starts_structure(text)
        ):
            previous.text += text
            previous.spans.append((line.start, line.end))
        else:
            blocks.append(Block(text=text, spans=[(line.start, line.end)], line_number=line.number, blank_before=blank_run))
        blank_run = 0
    return blocks


def cn_number(token: str) -> int:
    """Value of a numeral written in Chinese or Arabic digits ('五十三' -> 53, '12' -> 12)."""
    import cn2an

    token = token.strip()
    if token.isdigit():
        return int(token)
    return int(cn2an.cn2an(token.replace("两", "二").replace("〇", "零"), "smart"))


def chinese_ordinal(number: int) -> str:
    """53 -> '五十三', as printed in 条 and 款 numbers."""
    import cn2an

    text = cn2an.an2cn(number)
    # cn2an writes 10-19 as 一十…; statutes print 十…
    return re.sub(r"^一十", "十", text)


def split_front_matter(lines: list[Line], starts_body: Callable[[str], bool]) -> tuple[list[Block], list[Line]]:
    """Split off the title block: every line before the first one that starts the body.

    Front-matter lines are kept one block each (never rejoined): a title broken over two
    lines is joined by the caller, but the draft mark and the revision history stay apart.
    """
    for index, line in enumerate(lines):
        if not line.removed and not line.is_cell and line.content and starts_body(line.content):
            front, body = lines[:index], lines[index:]
            break
    else:
        front, body = lines, []
    blocks = [Block(text=line.content, spans=[(line.start, line.end)], line_number=line.number) for line in front if not line.removed and line.content]
    return blocks, body
