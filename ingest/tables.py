"""Tables: rebuild tables flattened one cell per line into rows with their headers."""
from __future__ import annotations

from ingest.blocks import Block
from ingest.catalog import Document
from ingest.units import Table, TableRow, Unit

GROUP_HEADER = "大类"


def split_rows(cells: list[Block]) -> list[list[Block]]:
    """Rows are separated by blank lines; an empty cell is a lone tab, not a separator."""
    rows: list[list[Block]] = []
    for cell in cells:
        if not rows or cell.blank_before > 0:
            rows.append([])
        rows[-1].append(cell)
    return rows


def _row_text(prefix: str, cells: dict[str, str]) -> str:
    pairs = "；".join(f"{header}：{value}" for header, value in cells.items() if value)
    return f"{prefix}｜{pairs}"


def rebuild_table(
    doc: Document,
    table_id: str,
    caption: str,
    short_caption: str,
    cell_blocks: list[Block],
    caption_spans: list[tuple[int, int]],
    heading_path: list[str],
    first_order: int,
) -> tuple[list[Unit], Table]:
    """Turn the cell blocks of one table into a header unit, row units and a Table.

    Vertically merged cells are printed as empty leading cells: they take the value above.
    A header cell spanning two columns shows as one extra cell: the two are joined as
    "name（sub-name）". Missing trailing cells are empty. Single-cell rows are group headings (大类) for the rows below.
    Any other shape is an error, so no cell is ever dropped silently.
    """
    rows = split_rows(cell_blocks)
    if not rows:
        raise ValueError(f"{doc.file}: {caption} has no cells")
    header_blocks, data_rows = rows[0], rows[1:]
    headers = [c.text for c in header_blocks]
    title = doc.citation_title()
    units: list[Unit] = [Unit(
        id=table_id, doc_id=doc.id, kind="table_header", label=f"{title}{short_caption}", short_label=short_caption,
        text=f"{caption}\n" + " | ".join(headers), heading_path=heading_path,
        spans=caption_spans + [s for c in header_blocks for s in c.spans], order=first_order,
    )]
    table_rows: list[TableRow] = []
    group: str | None = None
    group_count = 0
    previous_raw: list[str] = []
    path = [*heading_path, caption]
    for ordinal, row in enumerate(data_rows, start=1):
        spans = [s for c in row for s in c.spans]
        order = first_order + len(units)
        if len(row) == 1 and len(headers) > 1:
            group = row[0].text
            group_count += 1
            units.append(Unit(
                id=f"{table_id}.g{group_count}", doc_id=doc.id, kind="heading", label=f"{title}{short_caption}{group}",
                short_label=f"{short_caption}{group}", text=group, heading_path=path, spans=spans, order=order,
            ))
            continue
        raw = [c.text for c in row]
        for index, value in enumerate(raw):
            if value or index >= len(previous_raw):
                break
            raw[index] = previous_raw[index]
        previous_raw = raw
        values = list(raw)
        if len(values) == len(headers) + 1:
            values[1:3] = [f"{values[1]}（{values[2]}）"]
        if len(values) < len(headers):
            # Trailing empty cells are sometimes not printed at all (the last row of a file).
            values += [""] * (len(headers) - len(values))
        if len(values) != len(headers):
            raise ValueError(f"{doc.file}: line {row[0].line_number}: row of {len(raw)} cells under {len(headers)} headers in {caption}")
        cells = dict(zip(headers, values, strict=True))
        if group is not None:
            cells = {GROUP_HEADER: group, **cells}
        number_text = cells.get("序号", "")
        if number_text.isdigit():
            number = int(number_text)
            row_id = f"{table_id}.r{number}"
            name = cells.get("项目名称", "")
            short = f"{short_caption}第{number}项（{name}）" if name else f"{short_caption}第{number}项"
        else:
            number = ordinal - group_count
            row_id = f"{table_id}.r{number}"
            name = next((v for h, v in cells.items() if "名称" in h), "")
            short = f"{short_caption}第{number}行（{name}）" if name else f"{short_caption}第{number}行"
        units.append(Unit(
            id=row_id, doc_id=doc.id, kind="table_row", label=f"{title}{short}", short_label=short,
            text=_row_text(short, cells), heading_path=path, spans=spans, order=order, number=number, cells=cells,
        ))
        table_rows.append(TableRow(unit_id=row_id, cells=cells))
    table = Table(id=table_id, doc_id=doc.id, label=f"{title}{short_caption}", headers=([GROUP_HEADER] if group_count else []) + headers, rows=table_rows)
    return units, table
