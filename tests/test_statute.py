"""The statute: 59 条 in 9 章, with addressable 款 and 项."""
from __future__ import annotations

import pytest

from ingest.blocks import chinese_ordinal, cn_number
from ingest.catalog import Document
from ingest.clean import clean_text
from ingest.pipeline import Corpus
from ingest.statute import parse_statute

TITLE = "《新疆维吾尔自治区实施〈中华人民共和国土地管理法〉办法》"
CHAPTERS = ["总则", "土地的所有权和使用权", "国土空间规划", "耕地保护", "建设用地", "土地利用管理", "监督检查", "法律责任", "附则"]
# First and last 条 of each 章, as printed.
CHAPTER_ARTICLES = {1: (1, 5), 2: (6, 8), 3: (9, 13), 4: (14, 20), 5: (21, 40), 6: (41, 47), 7: (48, 52), 8: (53, 58), 9: (59, 59)}


def _units(corpus: Corpus, kind: str) -> list:
    return [u for u in corpus.units if u.doc_id == "xj-measures" and u.kind == kind]


def test_59_articles_in_9_chapters(corpus: Corpus) -> None:
    chapters = _units(corpus, "heading")
    articles = _units(corpus, "article")
    assert [c.number for c in chapters] == list(range(1, 10))
    assert [c.text for c in chapters] == [f"第{chinese_ordinal(n)}章 {title}" for n, title in enumerate(CHAPTERS, start=1)]
    assert [a.number for a in articles] == list(range(1, 60))
    assert [a.id for a in articles] == [f"xj-measures:a{n}" for n in range(1, 60)]
    for article in articles:
        assert article.short_label == f"第{chinese_ordinal(article.number)}条"
        assert article.label == f"{TITLE}{article.short_label}"
        assert article.text.startswith(f"{article.short_label}　")
        chapter = next(n for n, (first, last) in CHAPTER_ARTICLES.items() if first <= article.number <= last)
        assert article.heading_path == [chapters[chapter - 1].text]


def test_chapter_titles_spaced_for_layout_are_closed_up(corpus: Corpus) -> None:
    assert corpus.unit("xj-measures:c1").text == "第一章 总则"
    assert corpus.unit("xj-measures:c9").text == "第九章 附则"
    assert corpus.unit("xj-measures:c9").label == f"{TITLE}第九章"


def test_title_and_preamble(corpus: Corpus) -> None:
    title = corpus.unit("xj-measures:title")
    assert title.text == "新疆维吾尔自治区实施《中华人民共和国土地管理法》办法"
    preamble = corpus.unit("xj-measures:preamble")
    assert preamble.text.startswith("（1989年6月24日新疆维吾尔自治区第七届人民代表大会常务委员会第八次会议通过")
    assert "2022年7月29日" in preamble.text


@pytest.mark.parametrize(
    ("unit_id", "short_label", "text_start"),
    [
        ("xj-measures:a53.k1.x1", "第五十三条第一款第（一）项", "（一）占用永久基本农田的，处每平方米五百元以上一千元以下罚款；"),
        ("xj-measures:a53.k1.x3", "第五十三条第一款第（三）项", "（三）占用其他土地的，处每平方米一百元以上三百元以下罚款。"),
        ("xj-measures:a10.k2", "第十条第二款", "前款第（三）项规定的县（市）国土空间总体规划"),
        ("xj-measures:a10.k3", "第十条第三款", "自治区人民政府根据需要，可以授权"),
        ("xj-measures:a10.k1.x4", "第十条第一款第（四）项", "（四）乡（镇）国土空间规划由乡（镇）人民政府组织编制"),
        ("xj-measures:a39.k1.x6", "第三十九条第一款第（六）项", "（六）人均耕地0.34公顷以上的，每户住宅用地不得超过800平方米。"),
        ("xj-measures:a39.k2", "第三十九条第二款", "人均耕地以县为单位"),
        ("xj-measures:a8.k4", "第八条第四款", "单位之间的争议，由县级以上人民政府处理；"),
        ("xj-measures:a8.k5", "第八条第五款", "在土地所有权和使用权争议解决前，任何一方不得改变土地利用现状。"),
        ("xj-measures:a11.k2.x5", "第十一条第二款第（五）项", "（五）法律法规或者自治区人民政府规定的其他情形。"),
        ("xj-measures:a16.k2", "第十六条第二款", "永久基本农田以外的耕地转为其他农用地"),
        ("xj-measures:a19.k2", "第十九条第二款", "前款所称一次性开发"),
        ("xj-measures:a59.k1", "第五十九条第一款", "本办法自2022年11月1日起施行。"),
    ],
)
def test_clause_and_item_labels(corpus: Corpus, unit_id: str, short_label: str, text_start: str) -> None:
    unit = corpus.unit(unit_id)
    assert unit.short_label == short_label
    assert unit.label == f"{TITLE}{short_label}"
    assert unit.text.startswith(text_start)
    assert unit.kind == ("item" if ".x" in unit_id else "clause")
    assert unit.covers_source is False


def test_clause_counts(corpus: Corpus) -> None:
    def clauses(article: int) -> list[str]:
        return [u.id for u in corpus.units if u.parent == f"xj-measures:a{article}"]

    assert len(clauses(8)) == 5
    assert len(clauses(10)) == 3
    assert len(clauses(53)) == 1
    assert len(clauses(26)) == 3
    items = [u for u in corpus.units if u.parent == "xj-measures:a10.k1"]
    assert [u.number for u in items] == [1, 2, 3, 4]
    items = [u for u in corpus.units if u.parent == "xj-measures:a39.k1"]
    assert [u.number for u in items] == [1, 2, 3, 4, 5, 6]


def test_a_clause_with_items_spans_them(corpus: Corpus) -> None:
    clause = corpus.unit("xj-measures:a53.k1")
    assert clause.text.startswith("未经批准或者采取欺骗手段骗取批准")
    assert clause.text.endswith("（三）占用其他土地的，处每平方米一百元以上三百元以下罚款。")
    article = corpus.unit("xj-measures:a53")
    start, end = clause.parent_offsets or (0, 0)
    assert article.text[start:end] == clause.text
    item = corpus.unit("xj-measures:a53.k1.x2")
    start, end = item.parent_offsets or (0, 0)
    assert clause.text[start:end] == item.text


def test_every_clause_and_item_is_inside_its_article(corpus: Corpus) -> None:
    articles = {u.id: u for u in _units(corpus, "article")}
    for unit in corpus.units:
        if unit.doc_id != "xj-measures" or unit.kind not in {"clause", "item"}:
            continue
        article_id = unit.id.split(".")[0]
        assert unit.text in articles[article_id].text
        assert unit.order == articles[article_id].order
        assert unit.heading_path == articles[article_id].heading_path


def test_bookmark_before_an_article_is_not_in_it(corpus: Corpus) -> None:
    assert corpus.unit("xj-measures:a6").text.startswith("第六条　土地所有权和使用权依法实行不动产统一登记。")


def test_numerals() -> None:
    assert cn_number("五十三") == 53
    assert cn_number("十") == 10
    assert cn_number("12") == 12
    assert chinese_ordinal(10) == "十"
    assert chinese_ordinal(19) == "十九"
    assert chinese_ordinal(53) == "五十三"


def _doc() -> Document:
    return Document(id="t", file="t.txt", title="测试条例", short_name="测试", issuer="x", region="x", kind="x", parser="statute", status="现行")


def test_parser_on_a_small_statute() -> None:
    raw = "测试条例\n\n第一章　总　　则\n\n第一条　为了测试，制定本条例。\n第二条　下列行为禁止：\n（一）甲；\n（二）乙。\n违反前款规定的，处罚。\n"
    units = parse_statute(_doc(), clean_text(raw))
    by_id = {u.id: u for u in units}
    assert by_id["t:c1"].text == "第一章 总则"
    assert by_id["t:a2.k1"].text == "下列行为禁止：\n（一）甲；\n（二）乙。"
    assert by_id["t:a2.k1.x2"].text == "（二）乙。"
    assert by_id["t:a2.k1.x2"].label == "《测试条例》第二条第一款第（二）项"
    assert by_id["t:a2.k2"].text == "违反前款规定的，处罚。"
    for unit in units:
        if unit.parent:
            start, end = unit.parent_offsets or (0, 0)
            assert by_id[unit.parent].text[start:end] == unit.text


def test_text_outside_any_article_is_an_error() -> None:
    with pytest.raises(ValueError, match="neither a chapter nor inside an article"):
        parse_statute(_doc(), clean_text("测试条例\n第一章 总则\n这一行不属于任何条。\n第一条　内容。\n"))
