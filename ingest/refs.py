"""Cross-references inside units resolved to typed links: 前款, 第（X）项, 本条, 第X条第X款, 上述, 下列, 《…》."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel, Field

from ingest.blocks import CN_NUMERAL, cn_number
from ingest.catalog import Catalog, Document
from ingest.units import Unit

LinkKind = Literal[
    "article",  # 本条, 前条, 第X条, 本办法第X条
    "clause",  # 前款, 本款, 第X款, 第X条第X款
    "item",  # 前款第（X）项, 第（X）项
    "list",  # 下列 (the items that follow), 上述 at the head of a unit (the list before it)
    "same_unit",  # 上述 pointing back inside its own paragraph
    "document",  # 本办法, 本规划, or 《title》 of a document in the corpus
    "outside",  # 《title》 of a law or text that is not in the corpus
]

N = rf"[{CN_NUMERAL}0-9]+"


def _chain(group: str, first: str = "art") -> str:
    """第X条第X款第（X）项 from `first` on, each part optional, in groups named group+art/cla/itm."""
    parts = {
        "art": rf"(?:第(?P<{group}art>{N})条)?",
        "cla": rf"(?:第(?P<{group}cla>{N})款)?",
        "itm": rf"(?:第[（(](?P<{group}itm>{N})[）)]项)?",
    }
    names = list(parts)
    return "".join(parts[name] for name in names[names.index(first) :])


# 本 forms words (基本条件, 成本, 资本款项) where it is no reference: those are not matched.
NOT_WORD_BEFORE_BEN = "(?<![基资成根样版文范副标日原剧课书账])"
SELF_DOC = "本办法|本条例|本细则|本规定|本法(?![律院])|本规划|本计划|本意见|本方案|本通知|本纲要|本决定"
RELATIVE = (
    rf"{NOT_WORD_BEFORE_BEN}(?:本条(?!件)|本款(?!项)|本项(?!目))"
    r"|(?<![目当提之])(?:前条(?!件)|前款|前项(?!目)|前[两二三四五]款|前[两二三四五]项)"
)
# A bare chain must name something: 第X条…, or 第X款…, or 第（X）项.
BARE = rf"第(?P<bart>{N})条{_chain('b', 'cla')}|第(?P<ccla>{N})款{_chain('c', 'itm')}|第[（(](?P<iitm>{N})[）)]项"
REFERENCE = re.compile(
    rf"《(?P<title>[^《》]{{1,100}})》{_chain('t')}"
    rf"|{NOT_WORD_BEFORE_BEN}(?P<self>{SELF_DOC}){_chain('s')}"
    rf"|(?P<rel>{RELATIVE}){_chain('r')}"
    rf"|(?P<bare>{BARE})"
    r"|(?P<above>上述)|(?P<below>下列)"
)
ALIAS = re.compile(r"《(?P<full>[^《》]{1,100})》[（(]以下简称[《“\"](?P<short>[^》”\"]{1,40})[》”\"][）)]")
ARTICLE_HEADING = re.compile(rf"^第{N}条[\s\u3000]")
SENTENCE_END = re.compile(r"[。；！？\n]")
TITLE_NOISE = re.compile(r"[\s《》〈〉“”\"'‘’]")


class Link(BaseModel):
    """One reference as printed in `source` (at `start` in its text) and what it points to."""

    source: str
    start: int
    text: str
    kind: LinkKind
    targets: list[str] = Field(default_factory=list)  # unit ids; empty only for outside texts
    title: str | None = None  # the outside text's title, in full when the document abbreviates it


class RefLink(BaseModel):
    """A link as shown to a reader: a unit (id, label) or a text not in the corpus (title, outside)."""

    kind: LinkKind
    text: str  # as printed, e.g. 前款第（三）项, 《土地管理法》
    id: str | None = None
    label: str | None = None
    title: str | None = None
    outside: bool = False


@dataclass
class Unresolved:
    source: str
    start: int
    text: str
    reason: str


@dataclass
class _Context:
    """What a bare 第X款 or 第（X）项 continues within one sentence (前款第（三）项……、第（四）项)."""

    article: Unit | None = None
    clause: Unit | None = None


@dataclass
class ReferenceIndex:
    """Every link in the corpus, by source and by target, and what could not be resolved."""

    units: dict[str, Unit]
    links: list[Link]
    unresolved: list[Unresolved]
    parents: dict[str, str | None] = field(default_factory=dict)
    _refs: dict[str, list[RefLink]] = field(default_factory=dict, repr=False, compare=False)

    def _ancestors(self, unit_id: str) -> set[str]:
        chain = {unit_id}
        parent = self.parents.get(unit_id)
        while parent and parent not in chain:
            chain.add(parent)
            parent = self.parents.get(parent)
        return chain

    def _within(self, unit_id: str, root: str) -> bool:
        return root in self._ancestors(unit_id)

    def _shown(self, link: Link) -> bool:
        """A reference to its own document (本办法) or back into its own paragraph is no link to follow."""
        if link.kind == "same_unit":
            return False
        return not (link.kind == "document" and all(self.units[t].doc_id == self.units[link.source].doc_id for t in link.targets))

    def refs(self, unit_id: str) -> list[RefLink]:
        """What the unit's text (its 款 and 项 included) points to outside itself (worked out once per unit: the
        links do not change once the corpus is loaded, and every cited unit is asked on every answer)."""
        if unit_id not in self._refs:
            self._refs[unit_id] = self._find_refs(unit_id)
        return [link.model_copy() for link in self._refs[unit_id]]

    def _find_refs(self, unit_id: str) -> list[RefLink]:
        out: list[RefLink] = []
        seen: set[str] = set()
        for link in self.links:
            if not self._shown(link) or not self._within(link.source, unit_id):
                continue
            if link.kind == "outside":
                if link.title and link.title not in seen:
                    seen.add(link.title)
                    out.append(RefLink(kind="outside", text=link.text, title=link.title, outside=True))
                continue
            for target in link.targets:
                if target not in seen and not self._within(target, unit_id):
                    seen.add(target)
                    out.append(RefLink(kind=link.kind, text=link.text, id=target, label=self.units[target].label))
        return out

    def referenced_by(self, unit_id: str) -> list[RefLink]:
        """The units whose text points at this unit (or a part of it), itself and its own articles excepted."""
        out: list[RefLink] = []
        seen: set[str] = set()
        own = self._ancestors(unit_id)
        for link in self.links:
            if not self._shown(link) or link.source in seen or self._within(link.source, unit_id) or link.source in own:
                continue
            if any(self._within(t, unit_id) for t in link.targets):
                seen.add(link.source)
                out.append(RefLink(kind=link.kind, text=link.text, id=link.source, label=self.units[link.source].label))
        return out


def _normal_title(text: str) -> str:
    return TITLE_NOISE.sub("", text)


def _own_ranges(unit: Unit, children: list[Unit]) -> list[tuple[int, int]]:
    """The parts of the unit's text no child covers: where a reference belongs to this unit."""
    ranges: list[tuple[int, int]] = []
    cursor = 0
    for child in sorted((c for c in children if c.parent_offsets), key=lambda c: c.parent_offsets[0]):  # type: ignore[index]
        start, end = child.parent_offsets  # type: ignore[misc]
        if start > cursor:
            ranges.append((cursor, start))
        cursor = max(cursor, end)
    if cursor < len(unit.text):
        ranges.append((cursor, len(unit.text)))
    return ranges


class _Resolver:
    def __init__(self, units: list[Unit], catalog: Catalog) -> None:
        self.units = units
        self.by_id = {u.id: u for u in units}
        self.catalog = catalog
        self.children: dict[str, list[Unit]] = {}
        for unit in units:
            if unit.parent:
                self.children.setdefault(unit.parent, []).append(unit)
        self.articles = {(u.doc_id, u.number): u for u in units if u.kind == "article" and u.number is not None}
        self.by_doc: dict[str, list[Unit]] = {}
        for unit in units:
            if unit.covers_source:
                self.by_doc.setdefault(unit.doc_id, []).append(unit)
        self.titles = {_normal_title(name): doc for doc in catalog.documents for name in (doc.title, doc.short_name, *doc.aliases)}
        # "（以下简称《土地管理法》）": an abbreviation each document defines for itself.
        self.aliases: dict[str, dict[str, str]] = {}
        for unit in units:
            for found in ALIAS.finditer(unit.text):
                self.aliases.setdefault(unit.doc_id, {})[_normal_title(found["short"])] = found["full"]
        self.links: list[Link] = []
        self.unresolved: list[Unresolved] = []

    # ------------------------------------------------------------------ structure
    def _ancestor(self, unit: Unit, kind: str) -> Unit | None:
        current: Unit | None = unit
        while current is not None:
            if current.kind == kind:
                return current
            current = self.by_id.get(current.parent) if current.parent else None
        return None

    def _child(self, parent: Unit | None, kind: str, number: int) -> Unit | None:
        if parent is None:
            return None
        return next((c for c in self.children.get(parent.id, []) if c.kind == kind and c.number == number), None)

    def _siblings(self, unit: Unit, kind: str, back: int) -> list[Unit]:
        """The `back` units of `kind` just before `unit` under the same parent (前两款, 前项)."""
        if not unit.parent or unit.number is None:
            return []
        found = [self._child(self.by_id[unit.parent], kind, unit.number - k) for k in range(back, 0, -1)]
        return [u for u in found if u is not None] if all(found) else []

    def _document_unit(self, doc: Document) -> Unit | None:
        return self.by_id.get(f"{doc.id}:title") or next(iter(self.by_doc.get(doc.id, [])), None)

    def _chain(
        self, doc_id: str, article: Unit | None, clause: Unit | None, art: str | None, cla: str | None, itm: str | None,
    ) -> tuple[Unit | None, Unit | None, Unit | None, str | None]:
        """Walk 第X条 → 第X款 → 第（X）项 from a starting article or clause; the unit named last, or why not."""
        if art:
            article = self.articles.get((doc_id, cn_number(art)))
            clause = None
            if article is None:
                return None, None, None, f"no article {art} in {doc_id}"
        if cla:
            clause = self._child(article, "clause", cn_number(cla))
            if clause is None:
                return article, None, None, f"no clause {cla}"
        item = None
        if itm:
            if clause is None and article is not None:
                clause = self._child(article, "clause", 1) if len([c for c in self.children.get(article.id, []) if c.kind == "clause"]) == 1 else None
            item = self._child(clause, "item", cn_number(itm))
            if item is None:
                return article, clause, None, f"no item {itm}"
        return article, clause, item, None

    # ------------------------------------------------------------------ one match
    def _link(self, unit: Unit, match: re.Match[str], kind: LinkKind, targets: list[Unit], title: str | None = None) -> None:
        self.links.append(Link(source=unit.id, start=match.start(), text=match.group(0), kind=kind, targets=[t.id for t in targets], title=title))

    def _fail(self, unit: Unit, match: re.Match[str], reason: str) -> None:
        self.unresolved.append(Unresolved(unit.id, match.start(), match.group(0), reason))

    def _emit_chain(
        self, unit: Unit, match: re.Match[str], ctx: _Context, article: Unit | None, clause: Unit | None, item: Unit | None, reason: str | None,
    ) -> None:
        if reason:
            self._fail(unit, match, reason)
            return
        if article is not ctx.article:
            ctx.clause = None  # a new article: its 款 are not the ones named before
        ctx.article = article or ctx.article
        ctx.clause = clause or ctx.clause
        target, kind = (item, "item") if item else (clause, "clause") if clause else (article, "article")
        if target is None:
            self._fail(unit, match, "nothing named")
            return
        self._link(unit, match, kind, [target])  # type: ignore[arg-type]

    def _title(self, unit: Unit, match: re.Match[str], ctx: _Context) -> None:
        printed = match["title"]
        full = self.aliases.get(unit.doc_id, {}).get(_normal_title(printed), printed)
        doc = self.titles.get(_normal_title(full))
        has_chain = match["tart"] or match["tcla"] or match["titm"]
        if doc is None:
            self._link(unit, match, "outside", [], title=full)
            return
        if has_chain:
            self._emit_chain(unit, match, ctx, *self._chain(doc.id, None, None, match["tart"], match["tcla"], match["titm"]))
            return
        target = self._document_unit(doc)
        if target is None:
            self._fail(unit, match, f"document {doc.id} has no units")
        else:
            self._link(unit, match, "document", [target])

    def _self_document(self, unit: Unit, match: re.Match[str], ctx: _Context) -> None:
        if match["sart"] or match["scla"] or match["sitm"]:
            self._emit_chain(unit, match, ctx, *self._chain(unit.doc_id, None, None, match["sart"], match["scla"], match["sitm"]))
            return
        target = self._document_unit(self.catalog.get(unit.doc_id))
        if target is None:
            self._fail(unit, match, "no document unit")
        else:
            self._link(unit, match, "document", [target])

    def _relative(self, unit: Unit, match: re.Match[str], ctx: _Context) -> None:
        rel = match["rel"]
        article = self._ancestor(unit, "article")
        clause = self._ancestor(unit, "clause")
        item = unit if unit.kind == "item" and unit.parent and clause is not None else None
        count = cn_number(rel[1]) if rel[1] in "两二三四五" else 1
        if rel.startswith("前") and rel.endswith("条"):
            previous = self.articles.get((unit.doc_id, article.number - 1)) if article and article.number else None
            base: list[Unit] = [previous] if previous else []
            kind: LinkKind = "article"
        elif rel == "本条":
            base, kind = ([article] if article else []), "article"
        elif rel.endswith("款"):
            base = ([clause] if clause else []) if rel == "本款" else (self._siblings(clause, "clause", count) if clause else [])
            kind = "clause"
        else:
            base = ([item] if item else []) if rel == "本项" else (self._siblings(item, "item", count) if item else [])
            kind = "item"
        if not base:
            self._fail(unit, match, f"{rel} has nothing to point to here")
            return
        if match["rart"] or match["rcla"] or match["ritm"]:
            # 本条第二款, 前款第（三）项: the chain continues from the single unit named.
            start_article = base[-1] if kind == "article" else article
            start_clause = base[-1] if kind == "clause" else None
            self._emit_chain(unit, match, ctx, *self._chain(unit.doc_id, start_article, start_clause, match["rart"], match["rcla"], match["ritm"]))
            return
        ctx.article = base[-1] if kind == "article" else article
        ctx.clause = base[-1] if kind == "clause" else ctx.clause
        self._link(unit, match, kind, base)

    def _bare(self, unit: Unit, match: re.Match[str], ctx: _Context) -> None:
        """第X条…, 第X款…, 第（X）项 without a scope word: this document, this article, this 款 —
        or what the sentence already named (第五条第二款、第三款; 前款第（三）项、第（四）项)."""
        article = ctx.article or self._ancestor(unit, "article")
        clause = ctx.clause or self._ancestor(unit, "clause")
        if match["bart"]:
            result = self._chain(unit.doc_id, None, None, match["bart"], match["bcla"], match["bitm"])
        elif match["ccla"]:
            result = self._chain(unit.doc_id, article, None, None, match["ccla"], match["citm"])
        else:
            result = self._chain(unit.doc_id, article, clause, None, None, match["iitm"])
        self._emit_chain(unit, match, ctx, *result)

    def _above(self, unit: Unit, match: re.Match[str]) -> None:
        """上述 in the first sentence of a unit sums up what comes just before it: the list that ends the
        previous 款 or paragraph, or (in a statute) the previous 款 itself; further in, its own paragraph."""
        head = SENTENCE_END.search(unit.text)
        if head is None or match.start() < head.start():
            listed = self._list_before(unit)
            if listed:
                self._link(unit, match, "list", listed)
                return
            previous = self._siblings(unit, "clause", 1) if unit.kind == "clause" else []
            if previous:
                self._link(unit, match, "clause", previous)
                return
            if match.start() == 0:
                self._fail(unit, match, "上述 opens a unit with nothing before it to sum up")
                return
        self._link(unit, match, "same_unit", [unit])

    def _list_before(self, unit: Unit) -> list[Unit]:
        if unit.kind == "clause":
            previous = self._siblings(unit, "clause", 1)
            return [c for c in self.children.get(previous[0].id, []) if c.kind == "item"] if previous else []
        siblings = self.by_doc.get(unit.doc_id, [])
        position = next((i for i, u in enumerate(siblings) if u.id == unit.id), None)
        run: list[Unit] = []
        index = (position or 0) - 1
        while position is not None and index >= 0 and siblings[index].kind in ("item", "table_row"):
            if siblings[index].heading_path[:-1] != unit.heading_path[: len(siblings[index].heading_path) - 1]:
                break  # a list under another heading
            run.insert(0, siblings[index])
            index -= 1
        return run

    def _below(self, unit: Unit, match: re.Match[str]) -> None:
        """下列 introduces the items that follow: this 款's 项, or the items right after the unit."""
        items = [c for c in self.children.get(unit.id, []) if c.kind == "item"]
        if not items:
            siblings = self.by_doc.get(unit.doc_id, [])
            position = next((i for i, u in enumerate(siblings) if u.id == unit.id), None)
            index = (position if position is not None else len(siblings)) + 1
            while index < len(siblings) and siblings[index].kind == "item":
                items.append(siblings[index])
                index += 1
        if items:
            self._link(unit, match, "list", items)
        else:
            self._fail(unit, match, "下列 with no items after it")

    # ------------------------------------------------------------------ one unit
    def scan(self, unit: Unit) -> None:
        owned = _own_ranges(unit, self.children.get(unit.id, []))
        ctx = _Context()
        last_end = 0
        for match in REFERENCE.finditer(unit.text):
            if not any(start <= match.start() < end for start, end in owned):
                continue  # a child's text: the child owns it
            if unit.kind == "article" and match.start() == 0 and ARTICLE_HEADING.match(unit.text):
                continue  # the article's own number
            if SENTENCE_END.search(unit.text, last_end, match.start()):
                ctx = _Context()  # what a sentence named does not carry into the next
            last_end = match.end()
            if match["title"] is not None:
                self._title(unit, match, ctx)
            elif match["self"]:
                self._self_document(unit, match, ctx)
            elif match["rel"]:
                self._relative(unit, match, ctx)
            elif match["bare"]:
                self._bare(unit, match, ctx)
            elif match["above"]:
                self._above(unit, match)
            else:
                self._below(unit, match)


def build_reference_index(units: list[Unit], catalog: Catalog) -> ReferenceIndex:
    """Scan every unit's own text (not its 款 and 项, which are scanned as units) and resolve each reference."""
    resolver = _Resolver(units, catalog)
    for unit in units:
        resolver.scan(unit)
    return ReferenceIndex(units=resolver.by_id, links=resolver.links, unresolved=resolver.unresolved, parents={u.id: u.parent for u in units})
