"""Nothing but artifacts is dropped: the units of each document, with the removal report,
account for every character of its source, in order."""
from __future__ import annotations

import itertools
import re

import pytest

from ingest.catalog import DEFAULT_CORPUS_DIR
from ingest.clean import PAGE_NUMBER
from ingest.pipeline import Corpus, ParsedDocument, ingest_report, read_source
from ingest.units import Unit

DOC_IDS = ["xj-measures", "xj-plan", "kashgar-plan", "bachu-supply-2025", "nx-consolidation"]
TABLE_KINDS = {"table_header", "table_row"}
WHITESPACE = re.compile(r"\s")


def _parsed(corpus: Corpus, doc_id: str) -> ParsedDocument:
    return next(parsed for parsed in corpus.documents if parsed.doc_id == doc_id)


def _raw(corpus: Corpus, doc_id: str) -> str:
    return read_source(DEFAULT_CORPUS_DIR, corpus.document(doc_id))


def _removed_mask(raw: str, parsed: ParsedDocument) -> list[bool]:
    mask = [False] * len(raw)
    for span in parsed.removed:
        for index in range(span.start, span.end):
            mask[index] = True
    return mask


def _kept(raw: str, mask: list[bool], spans: list[tuple[int, int]]) -> str:
    """The characters of `spans` that cleaning did not remove."""
    return "".join(raw[i] for start, end in spans for i in range(start, end) if not mask[i])


def _no_space(text: str) -> str:
    return WHITESPACE.sub("", text)


def _covering(parsed: ParsedDocument) -> list[Unit]:
    return [unit for unit in parsed.units if unit.covers_source]


def test_the_five_documents_are_ingested(corpus: Corpus) -> None:
    assert sorted(parsed.doc_id for parsed in corpus.documents) == sorted(DOC_IDS)


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_removed_spans_are_exact(corpus: Corpus, doc_id: str) -> None:
    raw, parsed = _raw(corpus, doc_id), _parsed(corpus, doc_id)
    previous_end = 0
    for span in parsed.removed:
        assert 0 <= span.start < span.end <= len(raw)
        assert raw[span.start : span.end] == span.text
        assert span.reason in {"bookmark", "page_number", "toc", "stray_space"}
        assert span.start >= previous_end, f"overlapping removed spans at {span.start}"
        previous_end = span.end
        if span.reason == "bookmark":
            assert re.fullmatch(r"\[bookmark: [^\]]*\]", span.text)
        elif span.reason == "stray_space":
            assert not span.text.strip()
        elif span.reason == "page_number":
            assert PAGE_NUMBER.match(span.text)


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_every_character_is_in_exactly_one_unit_or_removed(corpus: Corpus, doc_id: str) -> None:
    """(a) each non-whitespace source character: in one unit span (minus removed) or in one removed span."""
    raw, parsed = _raw(corpus, doc_id), _parsed(corpus, doc_id)
    mask = _removed_mask(raw, parsed)
    count = [0] * len(raw)
    for span in parsed.removed:
        for index in range(span.start, span.end):
            count[index] += 1
    owner: dict[int, str] = {}
    for unit in _covering(parsed):
        for start, end in unit.spans:
            assert 0 <= start <= end <= len(raw), unit.id
            for index in range(start, end):
                if not mask[index]:
                    count[index] += 1
                    owner[index] = unit.id
    missing = [index for index, char in enumerate(raw) if not char.isspace() and count[index] == 0]
    doubled = [index for index, char in enumerate(raw) if not char.isspace() and count[index] > 1]
    assert not missing, f"{doc_id}: {len(missing)} characters dropped, first at {missing[0]}: {raw[missing[0]:missing[0] + 30]!r}"
    assert not doubled, f"{doc_id}: {len(doubled)} characters counted twice, first at {doubled[0]} ({owner.get(doubled[0])})"


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_covering_units_are_in_source_order(corpus: Corpus, doc_id: str) -> None:
    """(b) each covering unit's spans are ascending and lie after those of the unit before it."""
    parsed = _parsed(corpus, doc_id)
    previous_end, previous_id = 0, None
    covering = _covering(parsed)
    assert [unit.order for unit in covering] == sorted(unit.order for unit in covering)
    for unit in covering:
        assert unit.spans, f"{unit.id} covers the source but has no spans"
        assert unit.spans == sorted(unit.spans), unit.id
        for (_, end), (start, _) in itertools.pairwise(unit.spans):
            assert start >= end, f"{unit.id}: overlapping spans"
        assert unit.spans[0][0] >= previous_end, f"{unit.id} starts before the end of {previous_id}"
        previous_end, previous_id = unit.spans[-1][1], unit.id


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_unit_text_is_its_source_without_artifacts(corpus: Corpus, doc_id: str) -> None:
    """(c) non-table units: the text is exactly the kept source characters (whitespace aside)."""
    raw, parsed = _raw(corpus, doc_id), _parsed(corpus, doc_id)
    mask = _removed_mask(raw, parsed)
    checked = 0
    for unit in _covering(parsed):
        if unit.kind in TABLE_KINDS:
            continue
        assert _no_space(unit.text) == _no_space(_kept(raw, mask, unit.spans)), unit.id
        checked += 1
    assert checked > 10


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_table_units_keep_every_cell(corpus: Corpus, doc_id: str) -> None:
    """(d) table rows: every source cell value is in the row text; headers keep caption and header cells."""
    raw, parsed = _raw(corpus, doc_id), _parsed(corpus, doc_id)
    mask = _removed_mask(raw, parsed)
    for unit in _covering(parsed):
        if unit.kind == "table_row":
            for span in unit.spans:
                value = _kept(raw, mask, [span]).lstrip("\t").strip()
                assert raw[span[0]] == "\t", f"{unit.id}: a row span is not a cell line"
                assert not value or value in unit.text, f"{unit.id}: cell {value!r} missing"
            assert unit.cells is not None
        elif unit.kind == "table_header":
            # The header text is the caption and the header cells joined by " | ".
            assert _no_space(unit.text).replace("|", "") == _no_space(_kept(raw, mask, unit.spans))


def test_only_kashgar_has_tables(corpus: Corpus) -> None:
    tables = {parsed.doc_id: [t.id for t in parsed.tables] for parsed in corpus.documents}
    assert tables == {
        "xj-measures": [],
        "xj-plan": [],
        "kashgar-plan": ["kashgar-plan:t1", "kashgar-plan:att1"],
        "bachu-supply-2025": [],
        "nx-consolidation": [],
    }


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_no_unit_keeps_an_artifact(corpus: Corpus, doc_id: str) -> None:
    for unit in _parsed(corpus, doc_id).units:
        assert "[bookmark" not in unit.text, unit.id
        assert "bookmark:" not in unit.text, unit.id
        for line in unit.text.split("\n"):
            assert not PAGE_NUMBER.match(line), f"{unit.id}: lone page number {line!r}"
        for cell in (unit.cells or {}).values():
            assert "[bookmark" not in cell


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_child_units_point_into_their_parent(corpus: Corpus, doc_id: str) -> None:
    parsed = _parsed(corpus, doc_id)
    by_id = {unit.id: unit for unit in parsed.units}
    for unit in parsed.units:
        if unit.parent is None:
            assert unit.covers_source, unit.id
            continue
        assert not unit.covers_source
        assert unit.parent_offsets is not None
        start, end = unit.parent_offsets
        parent = by_id[unit.parent]
        assert parent.text[start:end] == unit.text, unit.id
        assert unit.id.startswith(f"{parent.id}."), unit.id


def test_ingest_report_lists_every_removed_span(corpus: Corpus) -> None:
    report = ingest_report(corpus)
    assert sorted(report) == sorted(DOC_IDS)
    for parsed in corpus.documents:
        entry = report[parsed.doc_id]
        assert isinstance(entry, dict)
        assert entry["removed"] == [span.model_dump() for span in parsed.removed]
        kinds = entry["units"]
        assert sum(kinds.values()) == len(parsed.units)


def test_report_removes_the_expected_artifacts(corpus: Corpus) -> None:
    reasons: dict[str, dict[str, int]] = {}
    for parsed in corpus.documents:
        counts: dict[str, int] = {}
        for span in parsed.removed:
            counts[span.reason] = counts.get(span.reason, 0) + 1
        reasons[parsed.doc_id] = counts
    # xj-plan: the ten dot-leader / tab table-of-contents entries and "2021 年 11 月".
    assert reasons["xj-plan"]["toc"] == 10
    assert reasons["xj-plan"]["stray_space"] >= 2
    # kashgar: the roman page number "I" between 第一节 paragraphs, and the Word bookmarks.
    kashgar_pages = [s.text for s in _parsed(corpus, "kashgar-plan").removed if s.reason == "page_number"]
    assert kashgar_pages == ["I"]
    assert reasons["kashgar-plan"]["bookmark"] > 100
    assert reasons["xj-measures"]["bookmark"] == 1
    assert reasons["bachu-supply-2025"]["bookmark"] == 2
    assert "toc" not in reasons["kashgar-plan"]


def test_rejoins_across_page_breaks(corpus: Corpus) -> None:
    # "…期间国家、" / "I" / "自治区给予…": joined across the page number.
    kashgar = corpus.unit("kashgar-plan:c1.s1.p1")
    assert "期间国家、自治区给予" in kashgar.text
    assert len(kashgar.spans) == 2
    # "利" / "用土地储备…": a word broken across a page.
    item = corpus.unit("xj-plan:h1.i1.n5")
    assert "利用土地储备" in item.text
    assert "\n" not in item.text
    assert "落实分区管控要求，严格规划调整程序" in corpus.unit("xj-plan:h1.i1.n1").text
    assert "头屯河水流自然资源统一确权登记。" in corpus.unit("xj-plan:h1.i1.n8").text
    assert "“一圈一带一群、四轴多片”多中心" in corpus.unit("xj-plan:h3.i1").text
    assert "加快推动地方性土地资源管理法规修订" in corpus.unit("xj-plan:h3.i10").text
    assert "以人民为中心，聚焦土地管理各项职能" in corpus.unit("xj-plan:h2.i2.p4").text
    # A sentence that ends on a page does not swallow the next paragraph.
    assert corpus.unit("xj-plan:h1.i1.n2").text.endswith("“第一责任人”意识。")
