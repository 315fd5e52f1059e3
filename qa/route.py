"""Routing before search: explicit references to units, and places or documents that narrow the search."""
from __future__ import annotations

import re
from functools import lru_cache

from pydantic import BaseModel, Field

from ingest.blocks import cn_number
from ingest.catalog import Document
from ingest.pipeline import Corpus
from ingest.units import Unit
from qa.places import OUTSIDE, place_regions

NUM = r"[0-9一二三四五六七八九十百零〇两]{1,5}"
ARTICLE_REF = re.compile(rf"第\s*({NUM})\s*条(?:\s*第\s*({NUM})\s*款)?(?:\s*第?\s*[（(]?\s*({NUM})\s*[）)]?\s*项)?")
ATTACHMENT_ROW_REF = re.compile(rf"(?:附件\s*({NUM})|项目清单|项目表)\s*(?:中|里|的)?\s*(?:第|序号)\s*({NUM})\s*(?:项|个|号|行)?")
TABLE_ROW_REF = re.compile(rf"表\s*({NUM})\s*(?:中|里|的)?\s*第\s*({NUM})\s*行")
BOX_REF = re.compile(rf"专栏\s*({NUM})")
# a table or attachment named whole ("表1里…", "附件1中…"), not one of its rows (TABLE_ROW_REF, ATTACHMENT_ROW_REF)
TABLE_REF = re.compile(rf"(?<!代)(表|附件)\s*({NUM})(?!\s*(?:中|里|的)?\s*(?:第|序号)\s*{NUM})")
CHAPTER_REF = re.compile(rf"第\s*({NUM})\s*章(?:\s*第\s*({NUM})\s*节)?")
TABLE_PREFIX = {"表": "t", "附件": "att"}
ITEM_REF = re.compile(rf"[（(]\s*({NUM})\s*[）)]|第\s*({NUM})\s*(?:项|点)")
STATUTE_PARSER = "statute"


class Route(BaseModel):
    explicit_ids: list[str] = Field(default_factory=list)  # units the question names directly
    # parts of a text the question names (专栏9, 第九章第三节, 表1): the search is limited to the units inside them,
    # and the answer is the one among them that states what is asked, not the part's title
    scope_ids: list[str] = Field(default_factory=list)
    doc_ids: list[str] | None = None  # the documents to search; None means all
    places: list[str] = Field(default_factory=list)  # places of the corpus regions named
    regions: list[str] = Field(default_factory=list)  # their regions
    foreign_places: list[str] = Field(default_factory=list)  # places outside every corpus region
    named_doc_ids: list[str] = Field(default_factory=list)  # documents the question names (title, alias, place + type)
    place_doc_ids: list[str] | None = None  # the documents the places alone would search; None means all
    notes: list[str] = Field(default_factory=list)  # what routing did, for the answer's trace
    # units the question names that the texts do not have ("办法第六十条" of a text with 59 articles)
    missing_refs: list[str] = Field(default_factory=list)


def _number(token: str | None) -> int | None:
    if not token:
        return None
    try:
        return cn_number(token)
    except (ValueError, KeyError, TypeError):
        return None


DOC_TYPES = ("办法", "条例", "规定", "规划", "计划", "意见", "方案", "通知")
MAX_NAME_GAP = 12  # "巴楚2025国有建设用地供应计划": the words between place and type, all from the title


@lru_cache(maxsize=64)
def _short_name_patterns(title: str, places: tuple[str, ...]) -> tuple[str, tuple[tuple[str, re.Pattern[str]], ...]]:
    """A document's title without its draft mark, and a pattern per place for "place … type" (compiled once)."""
    title = re.sub(r"（[^）]*稿）$", "", title)
    kind = next((t for t in DOC_TYPES if title.endswith(t)), None)
    if kind is None:
        return title, ()
    return title, tuple((place, re.compile(rf"{re.escape(place)}(.{{0,{MAX_NAME_GAP}}}?){kind}")) for place in places)


# words that point at a document rather than name it ("宁夏那个意见", "自治区那份规划"): allowed between place and type
POINTING_WORDS = re.compile(r"那个|这个|那份|这份|的那个|的这个|的")


def _short_names(question: str, doc: Document) -> list[tuple[int, int]]:
    """Staff name a document by its place and its type: "新疆办法", "宁夏意见", "新疆土地十四五规划". The words
    between place and type must come from the title, so "巴楚县的村庄规划" does not name the 喀什 plan."""
    title, patterns = _short_name_patterns(doc.title, tuple(doc.places))
    return [
        match.span()
        for place, pattern in patterns
        if place in question
        for match in pattern.finditer(question)
        if all(ch in title for ch in POINTING_WORDS.sub("", match.group(1)))
    ]


def document_mentions(question: str, corpus: Corpus) -> list[tuple[str, int, int]]:
    """(document id, start, end) of every name of a document in the question, longest first where names overlap."""
    spans: list[tuple[str, int, int]] = []
    for doc in corpus.catalog.documents:
        for name in {doc.title, *doc.aliases}:
            if name in question:  # most names are absent: a substring test before the scan
                spans.extend((doc.id, m.start(), m.end()) for m in re.finditer(re.escape(name), question))
        spans.extend((doc.id, start, end) for start, end in _short_names(question, doc))
    kept: list[tuple[str, int, int]] = []
    for span in sorted(set(spans), key=lambda s: (s[1] - s[2], s[1], s[0])):
        # an ambiguous name ("十四五规划") names every document it is an alias of; a longer name wins an overlap
        if not any(span[1] < other[2] and other[1] < span[2] and span[1:] != other[1:] for other in kept):
            kept.append(span)
    return sorted(kept, key=lambda s: s[1])


def _mentioned_docs(question: str, corpus: Corpus) -> set[str]:
    return {doc_id for doc_id, _, _ in document_mentions(question, corpus)}


def _place_docs(question: str, corpus: Corpus, route: Route) -> set[str]:
    """Documents that govern the places named: their own places, or their whole region."""
    regions = place_regions()
    docs: set[str] = set()
    # Longest names first, so "喀什地区" is not read as a second place "喀什".
    for place in sorted(regions, key=len, reverse=True):
        if place not in question or any(place in p for p in route.places + route.foreign_places):
            continue
        region = regions[place]
        if region == OUTSIDE:
            route.foreign_places.append(place)
            continue
        route.places.append(place)
        route.regions.append(region)
        for doc in corpus.catalog.documents:
            # a document's place inside the one named counts only when it is of the same region: 新疆's "自治区"
            # is inside "宁夏回族自治区" without naming it
            own = any(place in p or (p in place and regions.get(p, region) == region) for p in doc.places)
            region_wide = doc.region == region
            if own or region_wide:
                docs.add(doc.id)
    return docs


def _explicit(question: str, corpus: Corpus, docs: set[str], scoped: bool = False) -> tuple[list[str], list[str]]:
    """The units the question names by number, and a note for each named number a text does not have."""
    ids: list[str] = []
    notes: list[str] = []
    statutes = [d for d in corpus.catalog.documents if d.parser == STATUTE_PARSER and (not docs or d.id in docs)]
    for match in ARTICLE_REF.finditer(question):
        article, clause, item = (_number(g) for g in match.groups())
        for doc in statutes:
            base = f"{doc.id}:a{article}"
            if not corpus.has_unit(base):
                count = sum(1 for u in corpus.units if u.doc_id == doc.id and re.fullmatch(rf"{re.escape(doc.id)}:a\d+", u.id))
                notes.append(f"{doc.short_name}没有第{match.group(1)}条（共{count}条）/ no article {match.group(1)} in {doc.id} ({count} articles)")
                continue
            candidates = [base]
            if clause:
                candidates.insert(0, f"{base}.k{clause}")
                if item:
                    candidates.insert(0, f"{base}.k{clause}.x{item}")
            elif item:
                candidates.insert(0, f"{base}.k1.x{item}")
            ids.append(next(c for c in candidates if corpus.has_unit(c)))
    for match in ATTACHMENT_ROW_REF.finditer(question):
        attachment, row = _number(match.group(1)) or 1, _number(match.group(2))
        for table in corpus.tables:
            if table.id.endswith(f":att{attachment}") and corpus.has_unit(f"{table.id}.r{row}"):
                ids.append(f"{table.id}.r{row}")
    for match in TABLE_ROW_REF.finditer(question):
        table_no, row = _number(match.group(1)), _number(match.group(2))
        for table in corpus.tables:
            if table.id.endswith(f":t{table_no}") and corpus.has_unit(f"{table.id}.r{row}"):
                ids.append(f"{table.id}.r{row}")
    if not ids and not scoped and len(docs) == 1:
        # Numbered items of a plan or opinion: "（十一）", "第十一项" once the document is known.
        doc_id = next(iter(docs))
        for match in ITEM_REF.finditer(question):
            number = _number(match.group(1) or match.group(2))
            ids.extend(
                u.id
                for u in corpus.units
                if u.doc_id == doc_id
                and u.kind in {"item", "heading"}
                and u.number == number
                and u.id.split(":")[1].count(".") <= 1
                and u.id.split(".")[-1].startswith("i")
            )
    return list(dict.fromkeys(ids)), notes


def _scopes(question: str, corpus: Corpus, docs: set[str]) -> tuple[list[str], list[str]]:
    """The boxes, chapters, sections and tables the question names, and a note for each named one no text searched
    has (a box, table or chapter number is the same in a text whichever of its parts holds it)."""
    wanted: list[tuple[str, list[str]]] = []  # (the reference as written, the ids it may have in each document)
    documents = [d for d in corpus.catalog.documents if not docs or d.id in docs]
    searched = {d.id for d in documents}
    for match in BOX_REF.finditer(question):
        number = _number(match.group(1))
        wanted.append((match.group(0), [u.id for u in corpus.units if u.kind == "box" and u.number == number and u.doc_id in searched]))
    for match in TABLE_REF.finditer(question):
        kind, number = TABLE_PREFIX[match.group(1)], _number(match.group(2))
        wanted.append((match.group(0), [f"{d.id}:{kind}{number}" for d in documents]))
    for match in CHAPTER_REF.finditer(question):
        chapter, section = _number(match.group(1)), _number(match.group(2))
        wanted.append((match.group(0), [f"{d.id}:c{chapter}" + (f".s{section}" if section else "") for d in documents]))
    ids: list[str] = []
    notes: list[str] = []
    for written, candidates in wanted:
        found = [c for c in candidates if corpus.has_unit(c)]
        ids.extend(found)
        if not found:
            names = "、".join(d.short_name for d in documents)
            notes.append(f"{names}没有{written} / no {written} in " + ", ".join(d.id for d in documents))
    return list(dict.fromkeys(ids)), notes


def within(unit: Unit, container: Unit) -> bool:
    """Is the unit the container or inside it: under its id (a box's paragraphs, a table's rows, a plan section's
    units) or, for a heading, under its heading path (a statute chapter's articles, whose ids do not name it)?"""
    if unit.doc_id != container.doc_id:
        return False
    if unit.id == container.id or unit.id.startswith(container.id + "."):
        return True
    depth = len(container.heading_path)
    return container.kind == "heading" and depth > 0 and unit.heading_path[:depth] == container.heading_path


def in_scope(corpus: Corpus, routed: Route) -> frozenset[str]:
    """The ids of the units inside the parts the route's question names (empty when it names none)."""
    containers = [corpus.unit(uid) for uid in routed.scope_ids if corpus.has_unit(uid)]
    return frozenset(u.id for u in corpus.units if any(within(u, c) for c in containers))


PART_PLACE = ("当中", "之中", "里面", "里", "中", "内", "的")  # "专栏9里", "第九章中": the words that place the rest inside


def part_names(question: str, corpus: Corpus, routed: Route) -> str:
    """The words that only name the parts the search is limited to: the references as written ("专栏9里") and the
    parts' titles (专栏9:重要地质灾害隐患勘查…). Every unit inside a part is about them already, as every unit of a
    document is about its name; '' when the question names no part."""
    if not routed.scope_ids:
        return ""
    written = [
        m.group(0) + next((w for w in PART_PLACE if question.startswith(w, m.end())), "")
        for pattern in (BOX_REF, TABLE_REF, CHAPTER_REF)
        for m in pattern.finditer(question)
    ]
    containers = [corpus.unit(uid) for uid in routed.scope_ids if corpus.has_unit(uid)]
    titles = [line for c in containers for line in (*c.heading_path, c.text.split("\n")[0])]
    return " ".join(dict.fromkeys(written + titles))


def route(question: str, corpus: Corpus) -> Route:
    result = Route()
    named_docs = _mentioned_docs(question, corpus)
    place_docs = _place_docs(question, corpus, result)
    docs = ((named_docs & place_docs) or named_docs) if named_docs and place_docs else (named_docs or place_docs)
    result.named_doc_ids = sorted(named_docs)
    result.place_doc_ids = sorted(place_docs) if place_docs else None
    if docs:
        result.doc_ids = sorted(docs)
        result.notes.append("检索范围 / search limited to: " + ", ".join(result.doc_ids))
    result.scope_ids, missing_parts = _scopes(question, corpus, docs)
    # a numbered item after a named part ("第五章第一节（二）") is not a top-level item of the text
    result.explicit_ids, result.missing_refs = _explicit(question, corpus, docs, scoped=bool(result.scope_ids))
    result.missing_refs.extend(missing_parts)
    if result.scope_ids:
        # the part named says which text is searched ("专栏6拟设采矿权多少个" names no text but is the 喀什 plan's)
        result.doc_ids = sorted({corpus.unit(u).doc_id for u in result.scope_ids + result.explicit_ids})
        result.notes.append("检索范围 / search limited to: " + ", ".join(result.scope_ids))
    result.notes.extend(result.missing_refs)
    return result
