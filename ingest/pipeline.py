"""Ingestion entry point: every catalog document through clean -> structure -> units, cached on disk."""
from __future__ import annotations

import hashlib
from functools import cached_property
from pathlib import Path

from pydantic import BaseModel, Field

from ingest.atomic import write_text_atomic
from ingest.catalog import CATALOG_NAME, Catalog, Document, load_catalog
from ingest.clean import RemovedSpan, clean_text
from ingest.plan import parse_plan
from ingest.refs import ReferenceIndex, RefLink, build_reference_index
from ingest.statute import parse_statute
from ingest.units import Table, Unit

PARSER_VERSION = "2"  # bump when parsing changes, so cached units are rebuilt


class ParsedDocument(BaseModel):
    doc_id: str
    units: list[Unit]
    tables: list[Table]
    removed: list[RemovedSpan]


def parse_document(doc: Document, raw: str) -> ParsedDocument:
    """One parser per kind of document, chosen by the catalog's `parser` field."""
    cleaned = clean_text(raw)
    tables: list[Table] = []
    if doc.parser == "statute":
        units = parse_statute(doc, cleaned)
    elif doc.parser == "plan":
        units, tables = parse_plan(doc, cleaned)
    else:
        raise ValueError(f"{doc.file}: unknown parser {doc.parser!r}")
    seen: set[str] = set()
    for unit in units:
        if unit.id in seen:
            raise ValueError(f"{doc.file}: duplicate unit id {unit.id}")
        seen.add(unit.id)
    return ParsedDocument(doc_id=doc.id, units=units, tables=tables, removed=cleaned.removed)


class Corpus(BaseModel):
    """Everything ingestion produces: the catalog, units in document order, tables and the report."""

    catalog: Catalog
    documents: list[ParsedDocument]
    checksum: str
    # Where the texts were read from; not part of the cached JSON (the same texts may sit elsewhere).
    source_dir: Path | None = Field(default=None, exclude=True)

    @cached_property
    def units(self) -> list[Unit]:
        return [unit for parsed in self.documents for unit in parsed.units]

    @cached_property
    def tables(self) -> list[Table]:
        return [table for parsed in self.documents for table in parsed.tables]

    @cached_property
    def _by_id(self) -> dict[str, Unit]:
        return {unit.id: unit for unit in self.units}

    def unit(self, unit_id: str) -> Unit:
        return self._by_id[unit_id]

    def has_unit(self, unit_id: str) -> bool:
        return unit_id in self._by_id

    @cached_property
    def _children_by_parent(self) -> dict[str, list[Unit]]:
        children: dict[str, list[Unit]] = {}
        for unit in self.units:
            if unit.parent:
                children.setdefault(unit.parent, []).append(unit)
        return children

    def children(self, unit_id: str) -> list[Unit]:
        """Direct children through parent links: an article's 款, a 款's 项."""
        return self._children_by_parent.get(unit_id, [])

    @cached_property
    def references(self) -> ReferenceIndex:
        """Every cross-reference inside the units (前款, 本条, 第X条, 上述, 《…》), resolved from the units on first use."""
        return build_reference_index(self.units, self.catalog)

    def refs(self, unit_id: str) -> list[RefLink]:
        """What the unit's text points to outside itself: units of the corpus, or texts marked outside."""
        return self.references.refs(unit_id)

    def referenced_by(self, unit_id: str) -> list[RefLink]:
        """The units whose text points to this unit or a part of it."""
        return self.references.referenced_by(unit_id)

    def table(self, table_id: str) -> Table:
        return next(t for t in self.tables if t.id == table_id)

    def document(self, doc_id: str) -> Document:
        return self.catalog.get(doc_id)

    def source(self, doc_id: str) -> str:
        """The raw text of a document, as ingested (offsets in unit spans point into it)."""
        if self.source_dir is None:
            raise ValueError("this corpus was not read from a directory")
        return read_source(self.source_dir, self.document(doc_id))


def corpus_checksum(corpus_dir: Path, catalog: Catalog) -> str:
    digest = hashlib.sha256(PARSER_VERSION.encode())
    catalog_path = corpus_dir / CATALOG_NAME
    if catalog_path.is_file():
        digest.update(catalog_path.read_bytes())
    for doc in catalog.documents:
        digest.update((corpus_dir / doc.file).read_bytes())
    return digest.hexdigest()


def read_source(corpus_dir: Path, doc: Document) -> str:
    return (corpus_dir / doc.file).read_text(encoding="utf-8")


def build_corpus(corpus_dir: Path, build_dir: Path | None = None, use_cache: bool = True) -> Corpus:
    """Parse every document of the catalog in `corpus_dir`, cached under `build_dir`/corpus by checksum.

    A directory without a catalog gives an empty corpus (see ingest.catalog.corpus_problem for
    the message to show); without `build_dir` nothing is cached.
    """
    catalog = load_catalog(corpus_dir)
    checksum = corpus_checksum(corpus_dir, catalog)
    cache = build_dir / "corpus" / f"{checksum[:16]}.json" if build_dir is not None and use_cache else None
    if cache is not None and cache.exists():
        try:
            return Corpus.model_validate_json(cache.read_text(encoding="utf-8")).model_copy(update={"source_dir": corpus_dir})
        except ValueError:
            pass  # a damaged cache is rebuilt below
    documents = [parse_document(doc, read_source(corpus_dir, doc)) for doc in catalog.documents]
    corpus = Corpus(catalog=catalog, documents=documents, checksum=checksum, source_dir=corpus_dir)
    if cache is not None:
        write_text_atomic(cache, corpus.model_dump_json())
    return corpus


def ingest_report(corpus: Corpus) -> dict[str, object]:
    """Per document: unit counts by kind, tables, and every span cleaning removed."""
    report: dict[str, object] = {}
    for parsed in corpus.documents:
        kinds: dict[str, int] = {}
        for unit in parsed.units:
            kinds[unit.kind] = kinds.get(unit.kind, 0) + 1
        report[parsed.doc_id] = {
            "units": kinds,
            "tables": {t.id: len(t.rows) for t in parsed.tables},
            "removed": [span.model_dump() for span in parsed.removed],
        }
    return report
