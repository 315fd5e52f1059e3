"""Routing: explicit references return their unit; places and document names narrow the search."""
from __future__ import annotations

import pytest

from qa.route import document_mentions, route


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
        ("喀什规划专栏3讲了什么", "kashgar-plan:c6.s2.box3"),
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
