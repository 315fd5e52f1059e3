"""Ingestion entry point: every catalog document through clean -> structure -> units, cached on disk."""
from __future__ import annotations

import hashlib
import json
import os
from functools import cached_property
from pathlib import Path

from pydantic import BaseModel

from ingest.atomic import write_text_atomic
from ingest.catalog import DEFAULT_CORPUS_DIR, Catalog, Document, load_catalog
from ingest.clean import RemovedSpan, clean_text
from ingest.plan import parse_plan
from ingest.statute import parse_statute
from ingest.units import Table, Unit

DEFAULT_BUILD_DIR = Path(os.environ.get("LANDQA_BUILD_DIR", Path(__file__).resolve().parent.parent / "build"))
PARSER_VERSION = "2"  # bump when parsing changes, so cached units are rebuilt


class ParsedDocument(BaseModel):
    doc_id: str
    units: list[Unit]
    tables: list[Table]
    removed: list[RemovedSpan]


def parse_document(doc: Document, raw: str) -> ParsedDocument:
    """One parser per kind of document, chosen by the catalog's `parser` field."""
    cleaned = clean_text(raw)
    if doc.parser == "statute":
        units, tables = parse_statute(doc, cleaned), []
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

    def table(self, table_id: str) -> Table:
        return next(t for t in self.tables if t.id == table_id)

    def document(self, doc_id: str) -> Document:
        return self.catalog.get(doc_id)


def corpus_checksum(corpus_dir: Path, catalog: Catalog) -> str:
    digest = hashlib.sha256(PARSER_VERSION.encode())
    digest.update((corpus_dir / "catalog.json").read_bytes())
    for doc in catalog.documents:
        digest.update((corpus_dir / doc.file).read_bytes())
    return digest.hexdigest()


def read_source(corpus_dir: Path, doc: Document) -> str:
    return (corpus_dir / doc.file).read_text(encoding="utf-8")


def build_corpus(corpus_dir: Path | None = None, build_dir: Path | None = None, use_cache: bool = True) -> Corpus:
    """Parse every document of the catalog; the result is cached under build/ by checksum."""
    corpus_dir = corpus_dir or DEFAULT_CORPUS_DIR
    catalog = load_catalog(corpus_dir)
    checksum = corpus_checksum(corpus_dir, catalog)
    cache = (build_dir or DEFAULT_BUILD_DIR) / "corpus" / f"{checksum[:16]}.json"
    if use_cache and cache.exists():
        try:
            return Corpus.model_validate_json(cache.read_text(encoding="utf-8"))
        except ValueError:
            pass  # a damaged cache is rebuilt below
    documents = [parse_document(doc, read_source(corpus_dir, doc)) for doc in catalog.documents]
    corpus = Corpus(catalog=catalog, documents=documents, checksum=checksum)
    if use_cache:
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


def write_report(corpus: Corpus, path: Path) -> None:
    write_text_atomic(path, json.dumps(ingest_report(corpus), ensure_ascii=False, indent=1))
