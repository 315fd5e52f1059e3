"""Unit views and the document list: what the engine precomputes at load equals a scan of the corpus; a question about
a document itself is answered from its own units (title, signature)."""
from __future__ import annotations

import pytest


def test_previous_and_next_follow_each_documents_reading_order(engine) -> None:
    corpus = engine.corpus
    for unit in corpus.units:
        view = engine.unit_view(unit.id)
        reading = [u for u in corpus.units if u.doc_id == unit.doc_id and u.covers_source]
        anchor = unit if unit.covers_source else corpus.unit(unit.parent.split(".")[0]) if unit.parent else unit
        at = next((i for i, u in enumerate(reading) if u.id == anchor.id), None)
        assert view.previous == (reading[at - 1].id if at else None)
        assert view.next == (reading[at + 1].id if at is not None and at + 1 < len(reading) else None)


def test_the_document_list_counts_every_unit(engine) -> None:
    counts = {d.id: d.units for d in engine.documents()}
    assert counts == {d.id: sum(u.doc_id == d.id for u in engine.corpus.units) for d in engine.corpus.catalog.documents}


@pytest.mark.parametrize(
    ("question", "unit", "fact"),
    [
        ("新疆土地十四五规划是全文吗", "xj-plan:signature", "本文有删减"),
        ("自治区土地资源十四五规划有删节吗", "xj-plan:signature", "本文有删减"),
        ("巴楚供地计划的落款日期是哪天", "bachu-supply-2025:signature", "2025年1月8日"),
        ("巴楚县国有建设用地供应计划的印发时间", "bachu-supply-2025:signature", "2025年1月8日"),
    ],
)
def test_a_question_about_a_document_itself_reads_its_signature(engine, question: str, unit: str, fact: str) -> None:
    result = engine.ask(question)
    assert result.answer_kind == "answered" and unit in [c.id for c in result.citations[:2]] and fact in result.answer


@pytest.mark.parametrize("question", ["巴楚供地计划的供应日期是哪天", "巴楚供地计划里用地单位要交什么"])
def test_a_question_about_what_a_document_regulates_is_not_answered_by_its_signature(engine, question: str) -> None:
    # 供应 and 用地 are words of the title, but the date of supply and the users of land are what the plan regulates
    result = engine.ask(question)
    assert "bachu-supply-2025:signature" not in [c.id for c in result.citations[:2]]
