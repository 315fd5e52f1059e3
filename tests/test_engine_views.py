"""Unit views and the document list: what the engine precomputes at load equals a scan of the corpus."""
from __future__ import annotations


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
