"""Routing: explicit references return their unit; places and document names narrow the search."""
from __future__ import annotations

import pytest

from qa.route import document_mentions, in_scope, part_names, route


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("第五十三条怎么规定的", "xj-measures:a53"),
        ("办法第19条说了啥", "xj-measures:a19"),
        ("第53条第1款第2项", "xj-measures:a53.k1.x2"),
        ("第十条第二款", "xj-measures:a10.k2"),
        ("附件1第119项是什么项目", "kashgar-plan:att1.r119"),
        ("项目清单第3项", "kashgar-plan:att1.r3"),
        ("表1第2行", "kashgar-plan:t1.r2"),
        ("千万工程实施意见（十一）讲什么", "nx-consolidation:h4.i11"),
    ],
)
def test_explicit_reference_returns_that_unit(corpus, question: str, expected: str) -> None:
    assert route(question, corpus).explicit_ids[0] == expected


def test_article_beyond_the_statute_is_reported_not_invented(corpus) -> None:
    routed = route("第六十条是什么", corpus)
    assert routed.explicit_ids == []
    assert any("六十" in note for note in routed.notes)


def test_bachu_narrows_to_documents_governing_bachu(corpus) -> None:
    routed = route("巴楚县今年住宅用地供应多少", corpus)
    assert routed.doc_ids is not None
    assert "bachu-supply-2025" in routed.doc_ids
    assert "nx-consolidation" not in routed.doc_ids  # Ningxia's opinions do not govern Bachu


def test_ningxia_narrows_to_the_ningxia_opinions(corpus) -> None:
    routed = route("宁夏全域整治调整规模有什么限制", corpus)
    assert routed.doc_ids == ["nx-consolidation"]
    assert routed.regions == ["宁夏回族自治区"]


def test_place_outside_the_corpus_is_flagged(corpus) -> None:
    routed = route("北京市占用耕地罚多少", corpus)
    assert routed.foreign_places == ["北京"]
    assert routed.places == []


def test_plain_question_searches_everything(corpus) -> None:
    routed = route("占用耕地怎么罚", corpus)
    assert routed.doc_ids is None and routed.explicit_ids == []


@pytest.mark.parametrize(
    ("question", "doc_ids"),
    [
        ("集体经营性建设用地入市，新疆办法怎么说", ["xj-measures"]),  # place + type names a text
        ("宁夏意见对拆旧建新有什么要求", ["nx-consolidation"]),
        ("新疆土地十四五规划是哪个部门出的", ["xj-plan"]),  # the words between come from the title
        ("新疆办法和自治区规划各怎么说", ["xj-measures", "xj-plan"]),
    ],
)
def test_staff_name_a_text_by_its_place_and_type(corpus, question: str, doc_ids: list[str]) -> None:
    assert route(question, corpus).doc_ids == doc_ids


def test_a_kind_of_plan_is_not_a_text_name(corpus) -> None:
    # 村庄规划 is a kind of plan; the 喀什 plan is not named by it, so the statute is still searched
    routed = route("巴楚县的村庄规划谁批", corpus)
    assert routed.named_doc_ids == []
    assert routed.doc_ids is not None and "xj-measures" in routed.doc_ids


def test_a_longer_name_wins_an_overlap_and_an_ambiguous_one_names_every_text(corpus) -> None:
    assert [m[0] for m in document_mentions("新疆土地十四五规划是哪个部门出的", corpus)] == ["xj-plan"]
    assert sorted(m[0] for m in document_mentions("十四五规划里耕地保有量多少", corpus)) == ["kashgar-plan", "xj-plan"]


def test_a_full_region_name_does_not_reach_the_other_regions_texts(corpus) -> None:
    # 新疆's texts list "自治区" as a place; it stands inside "宁夏回族自治区" without naming 新疆
    assert route("宁夏回族自治区的全域整治子项目由谁验收", corpus).doc_ids == ["nx-consolidation"]
    assert route("新疆维吾尔自治区宅基地面积标准", corpus).doc_ids == ["xj-measures", "xj-plan"]


def test_a_missing_article_is_listed_with_the_number_of_articles(corpus, engine) -> None:
    routed = route("实施办法第八十条说了什么", corpus)
    assert routed.explicit_ids == [] and routed.missing_refs
    assert "共59条" in routed.missing_refs[0]
    result = engine.ask("实施办法第八十条说了什么")
    assert result.answer_kind == "not_stated" and result.reason_code == "no_such_unit" and result.abstained


def test_a_document_named_by_place_and_a_long_stretch_of_its_title(corpus) -> None:
    routed = route("巴楚2025国有建设用地供应计划是谁发的", corpus)
    assert routed.named_doc_ids == ["bachu-supply-2025"]


@pytest.mark.parametrize(
    ("question", "scope", "doc_ids"),
    [
        ("喀什规划专栏3讲了什么", ["kashgar-plan:c6.s2.box3"], ["kashgar-plan"]),
        ("专栏6里拟设的采矿权有几个", ["kashgar-plan:c6.s3.box6"], ["kashgar-plan"]),  # the box says which text
        ("喀什规划第九章第三节对隐患点怎么安排", ["kashgar-plan:c9.s3"], ["kashgar-plan"]),
        ("表1中2025年采矿权总数控制在多少", ["kashgar-plan:t1"], ["kashgar-plan"]),
        ("附件1当中莎车县的项目有哪些", ["kashgar-plan:att1"], ["kashgar-plan"]),
        ("实施办法第八章规定了哪些罚则", ["xj-measures:c8"], ["xj-measures"]),
    ],
)
def test_a_named_part_of_a_text_limits_the_search_and_is_not_the_answer(corpus, question: str, scope: list[str], doc_ids: list[str]) -> None:
    routed = route(question, corpus)
    assert routed.scope_ids == scope and routed.doc_ids == doc_ids
    assert routed.explicit_ids == []  # the part's title is no answer: a unit inside it that states what is asked is


def test_the_units_inside_a_part_are_those_under_its_id_or_its_chapter(corpus) -> None:
    box = in_scope(corpus, route("专栏9里勘查多少处", corpus))
    assert box == {"kashgar-plan:c9.s3.box9", *(f"kashgar-plan:c9.s3.box9.p{i}" for i in range(1, 5))}
    section = in_scope(corpus, route("喀什规划第九章第三节", corpus))
    assert box < section and "kashgar-plan:c9.s3.p1" in section and "kashgar-plan:c9.s2" not in section
    table = in_scope(corpus, route("表1", corpus))
    assert "kashgar-plan:t1.r19" in table and all(u.startswith("kashgar-plan:t1") for u in table)
    # a statute's articles do not carry their chapter in their ids: the chapter's heading path holds them
    chapter = in_scope(corpus, route("实施办法第八章", corpus))
    assert {"xj-measures:c8", "xj-measures:a53", "xj-measures:a53.k1.x2", "xj-measures:a58"} <= chapter
    assert "xj-measures:a52" not in chapter and "xj-measures:a59" not in chapter
    assert in_scope(corpus, route("宅基地面积标准", corpus)) == frozenset()


def test_a_row_reference_names_the_row_not_the_whole_table(corpus) -> None:
    for question, row in [("表1第11行", "kashgar-plan:t1.r11"), ("附件1中第3项", "kashgar-plan:att1.r3"), ("附件1序号20", "kashgar-plan:att1.r20")]:
        routed = route(question, corpus)
        assert routed.explicit_ids == [row] and routed.scope_ids == []


def test_statute_references_inside_a_chapter_still_name_their_article(corpus) -> None:
    routed = route("实施办法第八章第五十三条第一款第（二）项", corpus)
    assert routed.explicit_ids == ["xj-measures:a53.k1.x2"] and routed.scope_ids == ["xj-measures:c8"]


@pytest.mark.parametrize("question", ["喀什规划专栏11讲什么", "喀什规划第十三章说了啥", "实施办法表2里有什么"])
def test_a_part_the_text_does_not_have_is_reported(corpus, question: str) -> None:
    routed = route(question, corpus)
    assert routed.scope_ids == [] and routed.missing_refs


def test_a_parts_names_are_its_reference_and_titles(corpus) -> None:
    question = "专栏9里要工程治理的隐患点有几处"
    names = part_names(question, corpus, route(question, corpus))
    assert "专栏9里" in names and "重要地质灾害隐患勘查" in names and "第九章" in names
    assert part_names("宅基地面积标准", corpus, route("宅基地面积标准", corpus)) == ""


@pytest.mark.parametrize(
    ("question", "unit", "fact"),
    [
        ("专栏6里拟设的采矿权有几个", "kashgar-plan:c6.s3.box6.p1", "拟设采矿权数量51个"),
        ("喀什规划专栏6中重点矿山一共几个", "kashgar-plan:c6.s3.box6.p2", "14个重点矿山"),
        ("专栏8的矿山生态修复重点实施哪几个综合治理区域", "kashgar-plan:c7.s4.box8.p1", "三大综合治理区域"),
    ],
)
def test_a_question_about_a_box_is_answered_by_the_paragraph_that_states_it(engine, question: str, unit: str, fact: str) -> None:
    result = engine.ask(question)
    assert result.answer_kind == "answered" and result.citations[0].id == unit and fact in result.answer


def test_a_named_section_is_searched_alone(engine) -> None:
    # 第五章第一节 states the land to be supplied, not the new construction land (第一章 states that of the last plan):
    # the answer says the section does not state it rather than quoting another chapter
    result = engine.ask("喀什规划第五章第一节里新增建设用地多少公顷")
    assert result.answer_kind == "not_stated"
    assert result.citations and all(c.id.startswith("kashgar-plan:c5.s1") for c in result.citations)


def test_an_article_named_with_its_chapter_is_quoted_and_a_missing_box_is_reported(engine) -> None:
    assert engine.ask("实施办法第八章第五十三条怎么规定").citations[0].id == "xj-measures:a53"
    missing = engine.ask("喀什规划专栏11讲什么")
    assert missing.answer_kind == "not_stated" and missing.reason_code == "no_such_unit" and "专栏11" in missing.answer


@pytest.mark.parametrize(
    ("question", "doc"),
    [("宁夏那个意见里整治的基本实施单元是啥", "nx-consolidation"), ("新疆自治区那个土地规划对增减挂怎么说", "xj-plan")],
)
def test_a_document_pointed_at_by_place_and_type(corpus, question: str, doc: str) -> None:
    assert doc in route(question, corpus).named_doc_ids
