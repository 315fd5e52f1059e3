"""The unit: the smallest citable piece of a document, with its id, label and source offsets."""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

UnitKind = Literal[
    "title",  # document title block and front matter
    "heading",  # 章/节/一、 headings that carry no text of their own
    "article",  # statute 条
    "clause",  # statute 款, child of an article
    "item",  # statute 项, child of a clause; or a numbered plan item（一）/ 1.
    "paragraph",  # plan paragraph
    "box",  # 专栏 heading line
    "table_header",  # header row of a rebuilt table
    "table_row",  # one row of a rebuilt table
    "signature",  # issuer and date lines at the end of a document
]


class Unit(BaseModel):
    """One citable unit.

    `spans` are [start, end) offsets into the raw source file. Units with `covers_source`
    together cover every kept character of the source exactly once (child units such as 款
    and 项 point inside their parent instead, through `parent` and `parent_offsets`).
    """

    id: str
    doc_id: str
    kind: UnitKind
    label: str  # the human citation, e.g. 《…》第五十三条第一款第（一）项
    short_label: str  # the same without the title, e.g. 第五十三条第一款第（一）项
    text: str
    heading_path: list[str] = Field(default_factory=list)
    parent: str | None = None
    parent_offsets: tuple[int, int] | None = None
    spans: list[tuple[int, int]] = Field(default_factory=list)
    covers_source: bool = True
    order: int = 0  # position in the document, for neighbours
    number: int | None = None  # 条 number, item ordinal, table 序号
    cells: dict[str, str] | None = None  # table rows: header -> value


class TableRow(BaseModel):
    unit_id: str
    cells: dict[str, str]


class Table(BaseModel):
    """A table rebuilt from one-cell-per-line text, kept as data for computation."""

    id: str
    doc_id: str
    label: str
    headers: list[str]
    rows: list[TableRow]
