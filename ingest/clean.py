"""Cleaning: strip conversion artifacts from a raw text, recording every removed span."""
from __future__ import annotations

import re

from pydantic import BaseModel

BOOKMARK = re.compile(r"\[bookmark: [^\]]*\]")
# A page number alone on a line: arabic or roman numerals, optionally as "- 3 -" or "第3页".
PAGE_NUMBER = re.compile(r"^\s*(?:-\s*)?(?:\d{1,3}|[IVXLivxl]{1,6}|第\d{1,3}页)(?:\s*-)?\s*$")
# Table-of-contents entry: a title followed by a dot leader and/or a tab and a page number.
TOC_ENTRY = re.compile(r"^\s*\S.*?(?:\.{3,}|…{2,})?\t\d{1,3}\s*$")
TOC_TITLE = re.compile(r"^\s*目\s*录\s*$")
# Spaces that a converter put between CJK characters and digits ("2021 年 11 月").
CJK = r"\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”‘’《》（）"
# Ideographic spaces (U+3000) are left alone: statutes use them as separators ("第一条　根据").
STRAY_SPACE = re.compile(rf"(?<=[{CJK}0-9])[ \u00a0]+(?=[{CJK}0-9])|(?<=[{CJK}])[ \u00a0]+(?=[A-Za-z(])|(?<=[)])[ \u00a0]+(?=[{CJK}])")


class RemovedSpan(BaseModel):
    start: int
    end: int
    reason: str  # bookmark | page_number | toc | stray_space
    text: str


class Line(BaseModel):
    """One physical line of the source after cleaning, with where it sits in the raw text."""

    number: int  # 1-based line number in the raw file
    start: int  # raw offset of the first character
    end: int  # raw offset just past the last character (newline excluded)
    text: str  # cleaned text; a table cell keeps its leading tab
    removed: bool = False  # the whole line was an artifact

    @property
    def is_cell(self) -> bool:
        return self.text.startswith("\t")

    @property
    def is_blank(self) -> bool:
        return not self.text.strip()

    @property
    def content(self) -> str:
        return self.text.strip()


class CleanResult(BaseModel):
    lines: list[Line]
    removed: list[RemovedSpan]


ARTIFACT = re.compile(rf"(?P<bookmark>{BOOKMARK.pattern})|(?P<stray_space>{STRAY_SPACE.pattern})|(?P<edge_space>^[ \u3000\u00a0]+|[ \u3000\u00a0]+$)")


def _strip_inline(body: str, offset: int, removed: list[RemovedSpan]) -> str:
    """Remove bookmarks and stray spaces from one line, recording exact raw offsets."""
    kept: list[str] = []
    cursor = 0
    for match in ARTIFACT.finditer(body):
        kept.append(body[cursor : match.start()])
        reason = "bookmark" if match.group("bookmark") else "stray_space"
        removed.append(RemovedSpan(start=offset + match.start(), end=offset + match.end(), reason=reason, text=match.group()))
        cursor = match.end()
    kept.append(body[cursor:])
    return "".join(kept)


def clean_text(raw: str) -> CleanResult:
    """Split `raw` into lines and remove artifacts; nothing else is dropped."""
    lines: list[Line] = []
    removed: list[RemovedSpan] = []
    offset = 0
    in_toc = False
    for number, physical in enumerate(raw.split("\n"), start=1):
        start, end = offset, offset + len(physical)
        offset = end + 1
        body = physical.rstrip("\r")
        end = start + len(body)
        if TOC_TITLE.match(body):
            in_toc = True
            lines.append(Line(number=number, start=start, end=end, text=body))
            continue
        if in_toc and body.strip():
            if TOC_ENTRY.match(body):
                removed.append(RemovedSpan(start=start, end=end, reason="toc", text=body))
                lines.append(Line(number=number, start=start, end=end, text="", removed=True))
                continue
            in_toc = False
        if not body.startswith("\t") and PAGE_NUMBER.match(body):
            removed.append(RemovedSpan(start=start, end=end, reason="page_number", text=body))
            lines.append(Line(number=number, start=start, end=end, text="", removed=True))
            continue
        if body.startswith("\t"):
            # Table cells keep their leading tab: it is the cell boundary the table parser reads.
            text = "\t" + _strip_inline(body[1:], start + 1, removed)
        else:
            text = _strip_inline(body, start, removed)
            # A line of bookmarks only may leave spaces that sat between them.
            text = text.strip()
        lines.append(Line(number=number, start=start, end=end, text=text))
    return CleanResult(lines=lines, removed=removed)
