"""Plans and opinions: chapters, parts, numbered items, 专栏 boxes and signatures."""
from __future__ import annotations

import pytest

from ingest.blocks import chinese_ordinal
from ingest.catalog import Document
from ingest.clean import clean_text
from ingest.pipeline import Corpus
from ingest.plan import parse_plan
from ingest.units import Unit

KASHGAR_CHAPTERS = [
    "发展基础与形势",
    "总体要求",
    "构建新格局，强化国土空间规划和用途管制",
    "顺应新形势，落实最严格的耕地保护制度",
    "树立新理念，加强高质量发展资源要素保障",
    "实现新突破，提升矿产资源勘查开发利用水平",
    "丰富新内涵，统筹推进国土空间整治修复",
    "拓展新服务，履行全民所有自然资源资产所有者职责",
    "防御新风险，增强地质灾害综合防治能力",
    "提供新保障，发挥测绘地理信息服务支撑作用",
    "建立新机制，推进自然资源治理体系和治理能力现代化",
    "实施保障",
]


def _doc_units(corpus: Corpus, doc_id: str) -> list[Unit]:
    return [u for u in corpus.units if u.doc_id == doc_id]


def _children(corpus: Corpus, doc_id: str, prefix: str, token: str) -> list[Unit]:
    """Units whose id is `<doc>:<prefix>.<token><n>` exactly (one level below prefix)."""
    head = f"{doc_id}:{prefix}." if prefix else f"{doc_id}:"
    found = []
    for unit in _doc_units(corpus, doc_id):
        rest = unit.id[len(head):] if unit.id.startswith(head) else ""
        if rest.startswith(token) and rest[len(token):].isdigit():
            found.append(unit)
    return found


# --- Kashgar plan -------------------------------------------------------------------------


def test_kashgar_has_12_chapters(corpus: Corpus) -> None:
    chapters = _children(corpus, "kashgar-plan", "", "c")
    assert [c.number for c in chapters] == list(range(1, 13))
    assert [c.text for c in chapters] == [f"第{chinese_ordinal(n)}章 {t}" for n, t in enumerate(KASHGAR_CHAPTERS, start=1)]
    assert all(c.kind == "heading" for c in chapters)
    assert corpus.unit("kashgar-plan:c12").label == "《喀什地区自然资源“十四五”规划》第十二章"


def test_kashgar_sections(corpus: Corpus) -> None:
    sections = {n: [s.number for s in _children(corpus, "kashgar-plan", f"c{n}", "s")] for n in range(1, 13)}
    assert sections[1] == [1, 2, 3]
    assert sections[2] == [1, 2, 3]
    assert sections[12] == [1, 2, 3, 4]
    assert all(numbers == list(range(1, len(numbers) + 1)) and numbers for numbers in sections.values())
    section = corpus.unit("kashgar-plan:c4.s3")
    assert section.text == "第三节 加强永久基本农田特殊保护"
    assert section.short_label == "第四章第三节"
    assert section.heading_path == ["第四章 顺应新形势，落实最严格的耕地保护制度", "第三节 加强永久基本农田特殊保护"]


def test_kashgar_paragraph_labels(corpus: Corpus) -> None:
    paragraph = corpus.unit("kashgar-plan:c1.s1.p3")
    assert paragraph.text.startswith("耕地保护任务全面完成。")
    assert paragraph.short_label == "第一章第一节第3段"
    assert paragraph.heading_path == ["第一章 发展基础与形势", "第一节 发展基础"]
    assert corpus.unit("kashgar-plan:p1").text.startswith("“十四五”时期，是全面开启社会主义现代化建设新征程的第一个五年")


def test_kashgar_boxes(corpus: Corpus) -> None:
    boxes = [u for u in _doc_units(corpus, "kashgar-plan") if u.kind == "box"]
    assert [b.number for b in boxes] == list(range(1, 11))
    assert corpus.unit("kashgar-plan:c5.s1.box1").text == "专栏1：基础设施建设重大项目"
    box_paragraphs = [u for u in _doc_units(corpus, "kashgar-plan") if u.id.startswith("kashgar-plan:c5.s1.box1.p")]
    assert len(box_paragraphs) == 9
    assert box_paragraphs[0].text.startswith("机场：")
    assert box_paragraphs[-1].text.startswith("高标准农田建设项目：")
    # The paragraph after the box is back in the section.
    assert corpus.unit("kashgar-plan:c5.s1.p3").text.startswith("加强土地供应管理。")
    nine = [u.text for u in _doc_units(corpus, "kashgar-plan") if u.id.startswith("kashgar-plan:c9.s3.box9.p")]
    assert nine == [
        "1、重要地质灾害防治工程隐患勘查",
        "对喀什地区20处（崩塌3处、滑坡5处、泥石流12处）进行专项勘查。",
        "2、重要地质灾害隐患治理工程",
        "对喀什地区25处（崩塌5处、滑坡2处、泥石流18处）进行工程治理。",
    ]


def test_kashgar_headings_lose_their_bookmarks(corpus: Corpus) -> None:
    assert corpus.unit("kashgar-plan:title").text == "喀什地区自然资源“十四五”规划"
    assert corpus.unit("kashgar-plan:c2").text == "第二章 总体要求"
    assert corpus.unit("kashgar-plan:c3.s3.p2").text.startswith("完善用途管制计划管理。")


# --- Ningxia opinion: 五 parts, items （一）..（十八） numbered through --------------------------

NX_PARTS = {1: "总体要求", 2: "实施内容", 3: "实施路径", 4: "支持政策", 5: "实施保障"}
NX_ITEMS = {1: [], 2: [1, 2, 3, 4, 5], 3: [6, 7, 8, 9], 4: [10, 11, 12, 13, 14], 5: [15, 16, 17, 18]}


def test_nx_five_parts_and_eighteen_items(corpus: Corpus) -> None:
    parts = _children(corpus, "nx-consolidation", "", "h")
    assert [p.text for p in parts] == [f"{chinese_ordinal(n)}、{t}" for n, t in NX_PARTS.items()]
    all_items = []
    for number, expected in NX_ITEMS.items():
        items = _children(corpus, "nx-consolidation", f"h{number}", "i")
        assert [i.number for i in items] == expected
        for item in items:
            assert item.number is not None
            marker = f"（{chinese_ordinal(item.number)}）"
            assert item.text.startswith(marker)
            assert item.kind == "item"
            assert item.short_label == f"{chinese_ordinal(number)}、{marker}"
            assert item.heading_path[0] == f"{chinese_ordinal(number)}、{NX_PARTS[number]}"
        all_items += items
    assert [i.number for i in all_items] == list(range(1, 19))
    twelve = corpus.unit("nx-consolidation:h4.i12")
    assert twelve.text.startswith("（十二）有序盘活闲置低效用地。")
    assert twelve.label == "《关于学习运用“千万工程”经验深入推进全域土地综合整治工作的实施意见（征求意见稿）》四、（十二）"
    assert corpus.unit("nx-consolidation:h1.p1").text.startswith("以习近平新时代中国特色社会主义思想为指导")


def test_nx_title_and_preamble(corpus: Corpus) -> None:
    assert corpus.unit("nx-consolidation:title").text == "关于学习运用“千万工程”经验\n深入推进全域土地综合整治工作的实施意见\n（征求意见稿）"
    assert corpus.unit("nx-consolidation:p1").text.startswith("为深入贯彻习近平总书记关于浙江“千万工程”重要指示精神")
    assert not any(u.kind == "signature" for u in _doc_units(corpus, "nx-consolidation"))


# --- Xinjiang plan: 五 parts, （n） items and 1.–8. items -----------------------------------

XJ_PARTS = {1: "发展基础与形势", 2: "总体要求", 3: "重点任务", 4: "重点工程", 5: "保障措施"}
XJ_ITEMS = {1: 2, 2: 3, 3: 11, 4: 3, 5: 4}


def test_xj_plan_five_parts_with_items(corpus: Corpus) -> None:
    parts = _children(corpus, "xj-plan", "", "h")
    assert [p.text for p in parts] == [f"{chinese_ordinal(n)}、{t}" for n, t in XJ_PARTS.items()]
    for number, count in XJ_ITEMS.items():
        items = _children(corpus, "xj-plan", f"h{number}", "i")
        assert [i.number for i in items] == list(range(1, count + 1)), number
        for item in items:
            assert item.number is not None
            assert item.short_label == f"{chinese_ordinal(number)}、（{chinese_ordinal(item.number)}）"
    # Parts 三 to 五 are runs of numbered items with text; parts 一 and 二 have sub-headings.
    assert all(i.kind == "item" for n in (3, 4, 5) for i in _children(corpus, "xj-plan", f"h{n}", "i"))
    assert [i.text for i in _children(corpus, "xj-plan", "h2", "i")] == ["(一)指导思想", "(二)基本原则", "（三）主要目标"]
    assert corpus.unit("xj-plan:h3.i11").text.startswith("（十一）提升土地资源信息化管理水平。")
    assert corpus.unit("xj-plan:h5.i4").text.startswith("(四)加大信息化技术保障。")


def test_xj_plan_arabic_items(corpus: Corpus) -> None:
    items = _children(corpus, "xj-plan", "h1.i1", "n")
    assert [i.number for i in items] == list(range(1, 9))
    assert [i.short_label for i in items] == [f"一、（一）{n}." for n in range(1, 9)]
    assert items[0].text.startswith("1. 坚持规划引领，用途管制制度有效落实。")
    assert items[7].text.startswith("8. 增强服务能力，基础业务工作逐步夯实。")
    assert items[4].heading_path == ["一、发展基础与形势", "（一）发展基础", items[4].text[: items[4].text.find("。") + 1]]


def test_xj_plan_front_matter_and_signature(corpus: Corpus) -> None:
    title = corpus.unit("xj-plan:title")
    assert title.text.startswith("新疆维吾尔自治区\n土地资源保护和开发利用“十四五”规划\n新疆维吾尔自治区自然资源厅\n2021年11月")
    assert "....." not in title.text and "\t" not in title.text
    assert corpus.unit("xj-plan:p1").text.startswith("为全面贯彻落实习近平生态文明思想")
    assert corpus.unit("xj-plan:signature").text == "(本文有删减)"


# --- Bachu supply plan: 五 parts --------------------------------------------------------------

BACHU_PARTS = {1: "指导思想和基本原则", 2: "计划期限与范围", 3: "计划指标", 4: "政策导向", 5: "国有建设用地供应计划实施的保障措施"}


def test_bachu_five_parts(corpus: Corpus) -> None:
    parts = _children(corpus, "bachu-supply-2025", "", "h")
    assert [p.text for p in parts] == [f"{chinese_ordinal(n)}、{t}" for n, t in BACHU_PARTS.items()]
    counts = {n: len(_children(corpus, "bachu-supply-2025", f"h{n}", "i")) for n in BACHU_PARTS}
    assert counts == {1: 2, 2: 0, 3: 3, 4: 4, 5: 4}
    assert [i.number for i in _children(corpus, "bachu-supply-2025", "h1.i2", "n")] == [1, 2, 3, 4]
    assert [i.number for i in _children(corpus, "bachu-supply-2025", "h4.i3", "n")] == [1, 2, 3]
    supply = corpus.unit("bachu-supply-2025:h3.i1.p1")
    assert "383.73公顷（约575.95亩）" in supply.text
    assert corpus.unit("bachu-supply-2025:h2").text == "二、计划期限与范围"  # its bookmark is gone


def test_bachu_title_and_signature(corpus: Corpus) -> None:
    assert corpus.unit("bachu-supply-2025:title").text == "附件1\n巴楚县2025年度国有建设用地供应计划\n（征求意见稿）"
    signature = corpus.unit("bachu-supply-2025:signature")
    assert signature.text == "巴楚县自然资源局\n2025年1月8日\n（此件公开发布）"
    assert signature.short_label == "落款"
    assert len(signature.spans) == 3


# --- the parser on small texts ------------------------------------------------------------------


def _doc() -> Document:
    return Document(id="p", file="p.txt", title="测试规划", short_name="测试", issuer="x", region="x", kind="x", parser="plan", status="现行")


def test_plan_parser_levels_and_rejoin() -> None:
    raw = (
        "测试规划\n\n一、总体要求\n（一）指导思想\n"
        "1.第一项内容比较长，一句话要超过四十个字才不会被当作独立的标题，所以这里多写几个字，跨\n\n3\n\n页继续。\n"
        "2.第二项。\n二、保障\n段落。\n\n某某局\n2025年1月1日\n"
    )
    units, tables = parse_plan(_doc(), clean_text(raw))
    by_id = {u.id: u for u in units}
    assert tables == []
    assert by_id["p:h1"].kind == "heading"
    assert by_id["p:h1.i1"].text == "（一）指导思想"
    assert by_id["p:h1.i1.n1"].text.endswith("，跨页继续。")
    assert len(by_id["p:h1.i1.n1"].spans) == 2
    assert by_id["p:h1.i1.n2"].short_label == "一、（一）2."
    assert by_id["p:h2.p1"].text == "段落。"
    assert by_id["p:signature"].text == "某某局\n2025年1月1日"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("第五章 标题", ("c", 5)), ("第三节 标题", ("s", 3)), ("十二、标题", ("h", 12)), ("（十八）标题", ("i", 18)),
        ("(二) 标题", ("i", 2)), ("7. 标题", ("n", 7)), ("3、标题", ("n", 3)),
    ],
)
def test_markers(text: str, expected: tuple[str, int]) -> None:
    from ingest.plan import marker

    found = marker(text)
    assert found is not None
    assert (found[1], found[2]) == expected


def test_decimal_number_is_not_a_marker() -> None:
    from ingest.plan import marker

    assert marker("3.32亿吨的资源量") is None


def test_signature_lines_stay_apart_even_when_long_together() -> None:
    """Issuer and date do not end a sentence: the block builder joins them, the signature splits them again."""
    raw = "测试规划\n\n一、总体要求\n段落。\n\n新疆维吾尔自治区喀什地区行政公署自然资源局\n2025年1月8日\n"
    units, _ = parse_plan(_doc(), clean_text(raw))
    assert units[-1].id == "p:signature"
    assert units[-1].text == "新疆维吾尔自治区喀什地区行政公署自然资源局\n2025年1月8日"
    assert units[-2].text == "段落。"
