"""Cross-references resolved at ingest: every reference in the five texts maps to a unit or is marked outside."""
from __future__ import annotations

import re

import pytest

from ingest.catalog import Catalog, Document
from ingest.pipeline import Corpus, parse_document
from ingest.refs import Link, build_reference_index

CN = "一二三四五六七八九十百零〇两"
# Written apart from ingest/refs.py on purpose: anything that reads like a reference in a
# statute or a plan, whether or not the resolver knows the form.
REFERENCE_LIKE = re.compile(
    rf"前[两二三四五]?[条款项]|本[条款项](?!件)|上述|下列|本(?:办法|条例|法|规定|细则|规划|计划|意见|方案|通知|纲要)"
    rf"|第[{CN}0-9]+[条款]|第[（(][{CN}0-9]+[）)]项|《[^《》]+》"
)
XJ = "xj-measures"


def _absolute(corpus: Corpus, unit_id: str, start: int) -> tuple[str, int]:
    """A position inside a 款 or 项 as a position in its article (the unit that covers the source)."""
    unit = corpus.unit(unit_id)
    while unit.parent and unit.parent_offsets and not unit.covers_source:
        start += unit.parent_offsets[0]
        unit = corpus.unit(unit.parent)
    return unit.id, start


def _covered(corpus: Corpus) -> dict[str, list[tuple[int, int, Link]]]:
    spans: dict[str, list[tuple[int, int, Link]]] = {}
    for link in corpus.references.links:
        top, start = _absolute(corpus, link.source, link.start)
        spans.setdefault(top, []).append((start, start + len(link.text), link))
    return spans


def test_every_reference_in_the_five_texts_is_resolved_or_marked_outside(corpus: Corpus) -> None:
    assert corpus.references.unresolved == []
    spans = _covered(corpus)
    checked = 0
    missed = []
    for unit in corpus.units:
        if not unit.covers_source:
            continue  # 款 and 项 are inside their article, which is scanned whole
        for match in REFERENCE_LIKE.finditer(unit.text):
            if unit.kind == "article" and match.start() == 0:
                continue  # the article's own number, 第十条
            if match.group(0).startswith("本条") and unit.text[match.start() - 1 : match.start()] == "基":
                continue  # 基本条件 (asserted below: no link there)
            checked += 1
            if not any(start <= match.start() < end for start, end, _ in spans.get(unit.id, [])):
                missed.append((unit.id, match.group(0), unit.text[max(0, match.start() - 10) : match.end() + 10]))
    assert missed == []
    assert checked >= 80  # 4 × 前款/第（X）项 forms, 12 下列, 《…》 in every document, 本办法/本规划/本计划, 上述
    for link in corpus.references.links:
        assert link.targets or link.kind == "outside", link
        assert all(corpus.has_unit(t) for t in link.targets), link
        assert (link.kind == "outside") == (link.title is not None), link
        assert corpus.unit(link.source).text[link.start :].startswith(link.text), link


def test_the_statute_references_point_where_the_text_says(corpus: Corpus) -> None:
    refs = {(link.source, link.text): link.targets for link in corpus.references.links if link.source.startswith(XJ)}
    # 第十条第二款: "前款第（三）项规定的……、第（四）项规定的……" — the second continues 前款.
    assert refs[(f"{XJ}:a10.k2", "前款第（三）项")] == [f"{XJ}:a10.k1.x3"]
    assert refs[(f"{XJ}:a10.k2", "第（四）项")] == [f"{XJ}:a10.k1.x4"]
    assert refs[(f"{XJ}:a19.k2", "前款")] == [f"{XJ}:a19.k1"]  # 前款所称一次性开发
    assert refs[(f"{XJ}:a39.k2", "前款")] == [f"{XJ}:a39.k1"]  # 在前款规定的标准内
    assert refs[(f"{XJ}:a53.k1", "下列")] == [f"{XJ}:a53.k1.x{i}" for i in (1, 2, 3)]
    assert refs[(f"{XJ}:a59.k1", "本办法")] == [f"{XJ}:title"]
    # 第五十三条 "依照《土地管理法》《实施条例》": abbreviations the 办法 defines in 第一条, not in the corpus.
    outside = {link.text: link.title for link in corpus.references.links if link.source == f"{XJ}:a53.k1" and link.kind == "outside"}
    assert outside == {"《土地管理法》": "中华人民共和国土地管理法", "《实施条例》": "中华人民共和国土地管理法实施条例"}
    # 第二十一条（五）"具备动工开发所必需的其他基本条件" holds 本条 but refers to nothing.
    assert not [link for link in corpus.references.links if link.text.startswith("本条")]


def test_refs_and_referenced_by_show_links_in_both_directions(corpus: Corpus) -> None:
    clause = [(r.id, r.text) for r in corpus.refs(f"{XJ}:a10.k2")]
    assert clause == [(f"{XJ}:a10.k1.x3", "前款第（三）项"), (f"{XJ}:a10.k1.x4", "第（四）项")]
    assert [r.id for r in corpus.referenced_by(f"{XJ}:a10.k1.x3")] == [f"{XJ}:a10.k2"]
    assert [r.id for r in corpus.referenced_by(f"{XJ}:a10.k1")] == [f"{XJ}:a10.k2"]  # through its 项
    assert [r.id for r in corpus.referenced_by(f"{XJ}:a39.k1")] == [f"{XJ}:a39.k2"]
    # The whole article holds both ends: nothing to follow outside it.
    assert corpus.refs(f"{XJ}:a10") == [] and corpus.referenced_by(f"{XJ}:a10") == []
    # 下列 points into the unit's own 项, 本办法 to its own document: no link to show.
    assert corpus.refs(f"{XJ}:a53.k1") == corpus.refs(f"{XJ}:a53")
    assert corpus.referenced_by(f"{XJ}:a53.k1.x1") == []
    assert [(r.title, r.outside, r.id) for r in corpus.refs(f"{XJ}:a53")] == [
        ("中华人民共和国土地管理法", True, None), ("中华人民共和国土地管理法实施条例", True, None),
    ]
    assert corpus.refs(f"{XJ}:a59") == []


def test_plan_references(corpus: Corpus) -> None:
    links = [link for link in corpus.references.links if not link.source.startswith(XJ)]
    # 宁夏（十三）"上述耕地、永久基本农田和建设用地" sums up what its own paragraph listed.
    above = [link for link in links if link.text == "上述"]
    assert [(link.source, link.kind, link.targets) for link in above] == [("nx-consolidation:h4.i13", "same_unit", ["nx-consolidation:h4.i13"])]
    titles = {link.title for link in links if link.kind == "outside"}
    assert {"中华人民共和国土地管理法", "土地管理法", "森林法"} <= titles
    assert all(link.targets == [f"{link.source.split(':')[0]}:title"] for link in links if link.kind == "document")


# ---------------------------------------------------------------------- forms the five texts do not use
ADDED = """某某条例
第一条　为了规范管理，根据《中华人民共和国土地管理法》（以下简称《土地管理法》），制定本条例。
第二条　县级人民政府负责下列事项：
（一）编制规划；
（二）审查方案。
前款第（二）项规定的方案，应当公示。
本条第一款规定的事项，可以委托乡级人民政府办理。
第三条　违反本条例第二条第一款第（一）项规定的，依照前条处理。
上述事项以外的，依照《土地管理法》第四十四条执行。
第四条　依照本条例第二条、第三条第二款的规定办理；前两款另有规定的除外。
第五条　下列土地不得占用：
（一）永久基本农田；
（二）生态保护红线内的土地。
上述土地确需占用的，依法报批。
第六条　上述规定自公布之日起施行。
"""


@pytest.fixture(scope="module")
def added() -> tuple[Document, object]:
    doc = Document(
        id="added", file="added.txt", title="某某条例", short_name="某某条例", issuer="某某", region="新疆维吾尔自治区",
        kind="地方性法规", parser="statute", status="现行",
    )
    parsed = parse_document(doc, ADDED)
    return doc, build_reference_index(parsed.units, Catalog(documents=[doc]))


def test_forms_of_added_documents(added) -> None:
    _, index = added
    links = {(link.source, link.text): (link.kind, link.targets, link.title) for link in index.links}
    assert links[("added:a2.k2", "前款第（二）项")] == ("item", ["added:a2.k1.x2"], None)
    assert links[("added:a2.k3", "本条第一款")] == ("clause", ["added:a2.k1"], None)
    assert links[("added:a3.k1", "本条例第二条第一款第（一）项")] == ("item", ["added:a2.k1.x1"], None)
    assert links[("added:a3.k1", "前条")] == ("article", ["added:a2"], None)
    assert links[("added:a3.k2", "《土地管理法》第四十四条")] == ("outside", [], "中华人民共和国土地管理法")
    assert links[("added:a4.k1", "本条例第二条")] == ("article", ["added:a2"], None)
    # 第三条第二款 follows 第二条 in the same sentence: another article, named in full.
    assert links[("added:a4.k1", "第三条第二款")] == ("clause", ["added:a3.k2"], None)
    assert links[("added:a2.k1", "下列")] == ("list", ["added:a2.k1.x1", "added:a2.k1.x2"], None)
    # 上述 opening a 款: the list ending the 款 before it, or else that 款.
    assert links[("added:a5.k2", "上述")] == ("list", ["added:a5.k1.x1", "added:a5.k1.x2"], None)
    assert links[("added:a3.k2", "上述")] == ("clause", ["added:a3.k1"], None)


def test_a_reference_that_points_nowhere_is_reported_not_guessed(added) -> None:
    _, index = added
    unresolved = {(u.source, u.text) for u in index.unresolved}
    # 第四条 has one 款, so "前两款" has nothing to point to; 上述 opens 第六条 with nothing before it.
    assert unresolved == {("added:a4.k1", "前两款"), ("added:a6.k1", "上述")}
    assert {link.title for link in index.links if link.kind == "outside"} == {"中华人民共和国土地管理法"}


def test_refs_are_worked_out_once_and_handed_out_as_copies(corpus) -> None:
    first = corpus.refs("xj-measures:a53")
    assert first, "第五十三条 names 《土地管理法》《实施条例》"
    first[0].text = "changed by a caller"
    assert corpus.refs("xj-measures:a53")[0].text != "changed by a caller"
