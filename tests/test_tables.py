"""Tables rebuilt from one-cell-per-line text: the Kashgar plan's 表1 and 附件1 project list."""
from __future__ import annotations

import pytest

from ingest.blocks import Block
from ingest.catalog import DEFAULT_CORPUS_DIR, Document
from ingest.pipeline import Corpus, read_source
from ingest.tables import rebuild_table, split_rows
from ingest.units import Unit

TITLE = "《喀什地区自然资源“十四五”规划》"
AMOUNT = "总金额（万元）"
CATEGORIES = ["规划编制类", "信息化类", "生态修复类", "土地综合整治类", "治理能力类"]


def _raw_rows(corpus: Corpus, start_line: str) -> list[list[str]]:
    """The rows of the table whose caption line is `start_line`, read straight from the source:
    tab-led lines, a blank line between rows, up to the first line that is neither."""
    raw = read_source(DEFAULT_CORPUS_DIR, corpus.document("kashgar-plan"))
    lines = raw.split("\n")
    index = next(i for i, line in enumerate(lines) if start_line in line) + 1
    while not lines[index].startswith("\t"):
        index += 1
    rows: list[list[str]] = [[]]
    while index < len(lines) and (lines[index].startswith("\t") or not lines[index].strip()):
        line = lines[index]
        if line.startswith("\t"):
            rows[-1].append(line[1:].strip())
        elif rows[-1]:
            rows.append([])
        index += 1
    return [row for row in rows if row]


def _rows(corpus: Corpus, table_id: str) -> list[Unit]:
    return [u for u in corpus.units if u.kind == "table_row" and u.id.startswith(f"{table_id}.")]


# --- 表1 ---------------------------------------------------------------------------------------


def test_table1_header(corpus: Corpus) -> None:
    table = corpus.table("kashgar-plan:t1")
    assert table.headers == ["分类", "指标名称", "单位", "2020年", "2025年", "指标属性"]
    header = corpus.unit("kashgar-plan:t1")
    assert header.kind == "table_header"
    assert header.label == f"{TITLE}表1"
    assert header.text.splitlines()[1] == "分类 | 指标名称 | 单位 | 2020年 | 2025年 | 指标属性"
    assert header.heading_path == ["第二章 总体要求", "第三节 主要目标"]


def test_table1_has_19_rows(corpus: Corpus) -> None:
    table = corpus.table("kashgar-plan:t1")
    assert len(table.rows) == 19
    assert len(_raw_rows(corpus, "表1 喀什地区")) == 1 + 19
    assert [r.unit_id for r in table.rows] == [f"kashgar-plan:t1.r{n}" for n in range(1, 20)]
    assert [u.id for u in _rows(corpus, "kashgar-plan:t1")] == [r.unit_id for r in table.rows]


@pytest.mark.parametrize(
    ("number", "name", "unit", "y2020", "y2025", "nature"),
    [
        (1, "耕地保有量", "万亩", "719", "落实自治区下达目标", "约束性"),
        (2, "永久基本农田保护面积", "万亩", "651.35", "落实自治区下达目标", "约束性"),
        (4, "新发现矿产地", "处", "12", "2-5", "预期性"),
        (5, "主要矿种新增资源量（煤炭）", "万吨", "5969.6", "1000", "预期性"),
        (6, "主要矿种新增资源量（铁）", "亿吨", "3.32", "2", "预期性"),
        (10, "主要矿种新增资源量（石灰岩）", "亿吨", "1.18", "5", "预期性"),
        (11, "采矿权总数", "个", "110", "300以内", "约束性"),
        (12, "单位GDP建设用地使用面积下降率", "%", "——", "16", "预期性"),
        (14, "生态保护红线面积", "平方千米", "34184.88", "落实自治区下达目标", "约束性"),
        (19, "1:25万区域地球化学调查面积", "万平方千米", "——", "落实自治区下达目标", "预期性"),
    ],
)
def test_table1_values(corpus: Corpus, number: int, name: str, unit: str, y2020: str, y2025: str, nature: str) -> None:
    row = corpus.unit(f"kashgar-plan:t1.r{number}")
    assert row.cells is not None
    assert row.cells["指标名称"] == name
    assert row.cells["单位"] == unit
    assert row.cells["2020年"] == y2020
    assert row.cells["2025年"] == y2025
    assert row.cells["指标属性"] == nature
    assert row.short_label == f"表1第{number}行（{name}）"
    assert row.label == f"{TITLE}表1第{number}行（{name}）"
    assert f"2020年：{y2020}" in row.text
    assert corpus.table("kashgar-plan:t1").rows[number - 1].cells == row.cells


def test_table1_merged_cells_are_filled(corpus: Corpus) -> None:
    table = corpus.table("kashgar-plan:t1")
    categories = [r.cells["分类"] for r in table.rows]
    assert categories == ["资源保障"] * 11 + ["资源效率"] * 2 + ["生态修复"] * 3 + ["基础支撑"] * 3
    # The source prints merged cells empty: only the first row of each category has it.
    raw_categories = [row[0] for row in _raw_rows(corpus, "表1 喀什地区")[1:]]
    assert raw_categories.count("") == 15
    # 主要矿种新增资源量 spans six rows; its sub-column names the mineral.
    minerals = [r.cells["指标名称"] for r in table.rows[4:10]]
    assert minerals == [f"主要矿种新增资源量（{m}）" for m in ["煤炭", "铁", "铅锌矿", "铜矿", "石膏", "石灰岩"]]


# --- 附件1 项目清单 ---------------------------------------------------------------------------------


def _project_rows(corpus: Corpus) -> list[Unit]:
    return _rows(corpus, "kashgar-plan:att1")


def test_attachment_header(corpus: Corpus) -> None:
    table = corpus.table("kashgar-plan:att1")
    assert table.headers == ["大类", "序号", "类别", "项目名称", "项目单位", "主要建设内容与规模", AMOUNT, "资金来源", "备注"]
    header = corpus.unit("kashgar-plan:att1")
    assert header.text.startswith("附件1 喀什地区自然资源“十四五”项目清单\n序号 | 类别 | 项目名称")
    assert header.label == f"{TITLE}附件1"


def test_attachment_has_exactly_the_source_rows(corpus: Corpus) -> None:
    """117 data rows whose printed 序号 run to 119: 41 and 43 are absent and 87 is printed 787."""
    source = [row for row in _raw_rows(corpus, "附件1") if len(row) > 1][1:]  # data rows, header dropped
    printed = [row[0] for row in source]
    assert len(printed) == 117
    rows = _project_rows(corpus)
    assert [u.cells["序号"] for u in rows if u.cells] == printed
    numbers = [u.number for u in rows]
    assert "41" not in printed and "43" not in printed and "87" not in printed
    expected = [n for n in range(1, 120) if n not in (41, 43, 87)]
    expected.insert(expected.index(88), 787)
    assert numbers == expected
    assert numbers.index(787) == numbers.index(86) + 1 == numbers.index(88) - 1
    assert len(corpus.table("kashgar-plan:att1").rows) == 117
    assert not corpus.has_unit("kashgar-plan:att1.r41")
    assert not corpus.has_unit("kashgar-plan:att1.r87")
    assert (corpus.unit("kashgar-plan:att1.r787").cells or {}).get("项目名称") == "历史遗留废弃矿山生态修复项目（伽师县）"


def test_attachment_amounts_match_the_source(corpus: Corpus) -> None:
    source = [row for row in _raw_rows(corpus, "附件1") if len(row) > 1][1:]
    for row, unit in zip(source, _project_rows(corpus), strict=True):
        assert unit.cells is not None
        assert unit.cells[AMOUNT] == row[5], unit.id
        assert unit.cells["项目名称"] == row[2], unit.id


@pytest.mark.parametrize(
    ("number", "amount", "name"),
    [
        (1, "749.92", "国土空间规划编制项目"),
        (2, "5760.08", "国土空间规划编制项目"),
        (16, "2070", "喀什市村庄规划编制项目"),
        (787, "150", "历史遗留废弃矿山生态修复项目（伽师县）"),
        (115, "296.9", "莎车县地质勘查"),
        (119, "6000", "叶城县地质灾害治理项目"),
    ],
)
def test_attachment_sample_amounts(corpus: Corpus, number: int, amount: str, name: str) -> None:
    row = corpus.unit(f"kashgar-plan:att1.r{number}")
    assert row.cells is not None
    assert row.cells[AMOUNT] == amount
    assert row.cells["项目名称"] == name
    assert row.short_label == f"附件1第{number}项（{name}）"
    assert row.label == f"{TITLE}附件1第{number}项（{name}）"
    assert f"{AMOUNT}：{amount}" in row.text


def test_attachment_rows_with_empty_amount(corpus: Corpus) -> None:
    empty = [u.number for u in _project_rows(corpus) if u.cells is not None and not u.cells[AMOUNT]]
    assert empty == [17, 18, 19, 22, 23, 24, *range(28, 41), 106, 108, 116, 117]
    row = corpus.unit("kashgar-plan:att1.r116")
    assert row.cells is not None
    assert row.cells["资金来源"] == "" and row.cells["备注"] == ""
    assert AMOUNT not in row.text  # empty cells are not printed as values
    # The last row of the file has no 备注 cell at all: it is empty, not missing.
    assert (corpus.unit("kashgar-plan:att1.r119").cells or {}).get("备注") == ""


def test_attachment_five_categories(corpus: Corpus) -> None:
    groups = [u for u in corpus.units if u.id.startswith("kashgar-plan:att1.g")]
    assert [g.text for g in groups] == CATEGORIES
    assert all(g.kind == "heading" for g in groups)
    assert groups[0].label == f"{TITLE}附件1规划编制类"
    rows = _project_rows(corpus)
    by_category: dict[str, list[int]] = {}
    for row in rows:
        assert row.cells is not None
        by_category.setdefault(row.cells["大类"], []).append(row.number or 0)
    assert list(by_category) == CATEGORIES
    assert by_category["规划编制类"] == list(range(1, 41))
    assert by_category["信息化类"] == [42, 44, 45]
    assert by_category["生态修复类"][0] == 46 and by_category["生态修复类"][-1] == 94
    assert by_category["土地综合整治类"] == list(range(95, 107))
    assert by_category["治理能力类"] == list(range(107, 120))
    assert sum(len(v) for v in by_category.values()) == 117
    assert corpus.table("kashgar-plan:att1").headers[0] == "大类"
    # Group headings come before their rows in unit order.
    order = {u.id: u.order for u in corpus.units if u.doc_id == "kashgar-plan"}
    assert order["kashgar-plan:att1.g2"] < order["kashgar-plan:att1.r42"] < order["kashgar-plan:att1.g3"]


# --- rebuild_table on small inputs ------------------------------------------------------------------


def _doc() -> Document:
    return Document(id="d", file="d.txt", title="测试", short_name="测试", issuer="x", region="x", kind="x", parser="plan", status="现行")


def _cells(rows: list[list[str]]) -> list[Block]:
    blocks = []
    for row_index, row in enumerate(rows):
        for cell_index, text in enumerate(row):
            blank_before = 1 if cell_index == 0 and row_index else 0
            blocks.append(Block(text=text, spans=[(0, 0)], line_number=row_index, is_cell=True, is_empty_cell=not text, blank_before=blank_before))
    return blocks


def test_split_rows_on_blank_lines() -> None:
    assert [[c.text for c in row] for row in split_rows(_cells([["a", "b"], ["", "d"]]))] == [["a", "b"], ["", "d"]]


def test_rebuild_fills_merged_cells_and_joins_a_spanning_header() -> None:
    cells = _cells([["类", "名称", "值"], ["甲", "x", "1"], ["", "y", "子", "2"], ["", "z"]])
    units, table = rebuild_table(_doc(), "d:t1", "表1 测试", "表1", cells, [], [], 0)
    assert [r.cells for r in table.rows] == [
        {"类": "甲", "名称": "x", "值": "1"},
        {"类": "甲", "名称": "y（子）", "值": "2"},
        {"类": "甲", "名称": "z", "值": ""},
    ]
    assert units[1].short_label == "表1第1行（x）"


def test_rebuild_refuses_a_row_it_cannot_place() -> None:
    with pytest.raises(ValueError, match="row of 5 cells under 2 headers"):
        rebuild_table(_doc(), "d:t1", "表1 测试", "表1", _cells([["a", "b"], ["1", "2", "3", "4", "5"]]), [], [], 0)
