"""Case facts from a question: plots with their land category and fee, per-capita land, dated events and parties, each bound to its own words."""
from __future__ import annotations

import itertools
import re
import tomllib
from dataclasses import dataclass, field, replace
from datetime import date
from fractions import Fraction
from functools import lru_cache
from pathlib import Path

from qa.rules.mentions import NUM, SQM_PER, DateMention, Money, Quantity, as_range
from qa.rules.model import fmt

HERE = Path(__file__).resolve().parent
LAND_FILE = HERE / "land_categories.toml"
WORDS_FILE = HERE / "case_words.toml"

KEYS = ("pbf", "other_cultivated", "other_land")
STRENGTHS = ("legal", "descriptive", "restrictive")
_CLAUSE_BREAK = "，,；;。！？!?\n：:"
_SENTENCE_BREAK = "；;。！？!?\n"
_OPEN, _CLOSE = "（(", "）)"
# words that join two plots inside one clause; longest first so '以及' is not read as '及'
_CONJUNCTIONS = ("另外还有", "另外还", "以及", "另外", "还有", "加上", "外加", "(其中", "（其中", "其中", "和", "及", "与", "跟", "、", "另", "(", "（")


@dataclass(frozen=True)
class Span:
    """Words of the question: where they are and what they say."""

    start: int
    end: int
    text: str


# ------------------------------------------------------------------ the land-category thesaurus

@dataclass(frozen=True)
class Term:
    word: str
    keys: frozenset[str]
    strength: str  # legal | descriptive | restrictive
    note: str


@dataclass(frozen=True)
class Qualifier:
    """Words before a kind of 耕地 that narrow it ('一般旱地' = 永久基本农田以外的耕地)."""

    prefixes: tuple[str, ...]  # longest first
    applies_to: frozenset[str]
    keys: frozenset[str]
    note: str


@dataclass(frozen=True, eq=False)
class Thesaurus:
    terms: tuple[Term, ...]  # longest word first
    negations: tuple[str, ...]
    qualifier: Qualifier
    masks: tuple[str, ...]
    categories: dict[str, dict]
    pattern: re.Pattern  # masks and terms in one alternation, longest first: a mask wins over the term inside it
    index: dict[str, Term]

    def label(self, keys: frozenset[str]) -> str:
        for cat in self.categories.values():
            if frozenset(cat["keys"]) == keys:
                return cat["label"]
        if keys == frozenset({"other_cultivated", "other_land"}):
            return "不是永久基本农田（可能是永久基本农田以外的耕地，也可能是其他土地）"
        return "、".join(self.label(frozenset({k})) for k in KEYS if k in keys) or "地类自相矛盾"


@lru_cache(maxsize=1)
def thesaurus() -> Thesaurus:
    data = tomllib.loads(LAND_FILE.read_text(encoding="utf-8"))
    terms = [
        Term(word, frozenset(entry["keys"]), entry["strength"], entry.get("note", ""))
        for entry in data["term"] for word in entry["words"]
    ]
    for term in terms:
        if not term.keys <= set(KEYS) or term.strength not in STRENGTHS:
            raise ValueError(f"{LAND_FILE.name}: bad term {term}")
    qual = data["qualifier"]
    masks = tuple(data["masks"]["words"])
    words = sorted({*masks, *(t.word for t in terms)}, key=len, reverse=True)
    return Thesaurus(
        terms=tuple(sorted(terms, key=lambda t: -len(t.word))),
        negations=tuple(sorted(data["negation"]["prefixes"], key=len, reverse=True)),
        qualifier=Qualifier(
            tuple(sorted(qual["prefixes"], key=len, reverse=True)), frozenset(qual["applies_to"]), frozenset(qual["keys"]), qual["note"],
        ),
        masks=masks,
        categories=data["category"],
        pattern=re.compile("|".join(re.escape(w) for w in words)),
        index={t.word: t for t in terms},
    )


@dataclass(frozen=True)
class TermHit:
    """A land-category word in the question, with a negation written before it ('不是耕地')."""

    term: Term
    negated: bool
    start: int  # of the phrase, negation included
    end: int

    @property
    def phrase(self) -> str:
        return ("不是" if self.negated else "") + self.term.word


def find_terms(text: str) -> list[TermHit]:
    """Every land-category word, the longest at each place first; masked words name no plot ('耕地开垦费')."""
    th = thesaurus()
    masks = set(th.masks)
    hits: list[TermHit] = []
    for m in th.pattern.finditer(text):
        if m.group(0) in masks:
            continue
        term, start, negated = th.index[m.group(0)], m.start(), False
        if term.keys == th.qualifier.applies_to:
            # '一般旱地', '一般的水浇地': the qualifier narrows the kind of 耕地 as '一般耕地' does
            prefix = next((w for w in th.qualifier.prefixes if text[max(0, start - len(w)): start] == w), None)
            if prefix is not None:
                term = Term(prefix + term.word, th.qualifier.keys, "legal", th.qualifier.note)
                start -= len(prefix)
        for prefix in th.negations:
            if text[max(0, start - len(prefix)): start] == prefix:
                start, negated = start - len(prefix), True
                break
        hits.append(TermHit(term, negated, start, m.end()))
    return hits


@dataclass(frozen=True)
class Category:
    """A plot's legal category as its words allow: a subset of KEYS (one key = decided)."""

    keys: frozenset[str]
    hits: tuple[TermHit, ...]
    overridden: tuple[TermHit, ...] = ()  # descriptive words set aside because a legal word was said of the plot
    contrast: str = ""  # why 永久基本农田 was ruled out by another plot of the question ('' when it was not)

    @property
    def key(self) -> str | None:
        return next(iter(self.keys)) if len(self.keys) == 1 else None

    @property
    def conflict(self) -> bool:
        return not self.keys

    @property
    def label(self) -> str:
        return thesaurus().label(self.keys)

    @property
    def words(self) -> str:
        return "、".join(f"「{h.phrase}」" for h in self.hits)

    def reasoning(self) -> str:
        """How the words became the category: '「荒坡」（未利用地，不是耕地…）'."""
        parts = []
        for h in self.hits:
            if h.negated:
                parts.append(f"「{h.phrase}」（排除{thesaurus().label(h.term.keys)}）")
            elif h in self.overridden:
                parts.append(f"「{h.phrase}」（问题说明了地类，以说明为准）")
            else:
                parts.append(f"「{h.phrase}」（{h.term.note}）" if h.term.note else f"「{h.phrase}」")
        if self.contrast:
            parts.append(self.contrast)
        return "；".join(parts)


def resolve_category(hits: list[TermHit] | tuple[TermHit, ...]) -> Category | None:
    """Intersect what the words of one plot allow; legal words decide over descriptive ones; negations remove and
    restrictive words ('基本农田以外的') narrow whatever the other words decide."""
    if not hits:
        return None
    positive = [h for h in hits if not h.negated and h.term.strength != "restrictive"]
    legal = [h for h in positive if h.term.strength == "legal"]
    deciding = legal or positive
    keys = frozenset(KEYS)
    for h in deciding:
        keys &= h.term.keys
    for h in hits:
        if h.negated:
            keys -= h.term.keys
        elif h.term.strength == "restrictive":
            keys &= h.term.keys
    overridden = tuple(h for h in positive if h not in deciding)
    return Category(keys=keys, hits=tuple(hits), overridden=overridden)


# ------------------------------------------------------------------ case words: events, parties, agreement

@dataclass(frozen=True)
class CaseWords:
    events: tuple[tuple[str, str, str], ...]  # (word, key, label), longest word first
    labels: dict[str, str]
    party_words: tuple[str, ...]
    party_patterns: tuple[re.Pattern, ...]
    without_agreement: tuple[str, ...]
    with_agreement: tuple[str, ...]


@lru_cache(maxsize=1)
def case_words() -> CaseWords:
    data = tomllib.loads(WORDS_FILE.read_text(encoding="utf-8"))
    events = [(w, e["key"], e["label"]) for e in data["event"] for w in e["words"]]
    return CaseWords(
        events=tuple(sorted(events, key=lambda e: -len(e[0]))),
        labels={e["key"]: e["label"] for e in data["event"]},
        party_words=tuple(sorted((w for p in data["party"] for w in p.get("words", [])), key=len, reverse=True)),
        party_patterns=tuple(re.compile(p) for entry in data["party"] for p in entry.get("patterns", [])),
        without_agreement=tuple(sorted(data["agreement"]["without"], key=len, reverse=True)),
        with_agreement=tuple(sorted(data["agreement"]["with"], key=len, reverse=True)),
    )


# ------------------------------------------------------------------ clauses

def clauses(text: str) -> list[Span]:
    """The question cut at commas and stops outside brackets: '0.3公顷是荒坡（不是耕地，是戈壁）' stays one clause."""
    out: list[Span] = []
    depth, start = 0, 0
    for i, ch in enumerate(text):
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
        elif ch in _CLAUSE_BREAK and depth == 0:
            if text[start:i].strip():
                out.append(Span(start, i, text[start:i]))
            start = i + 1
    if text[start:].strip():
        out.append(Span(start, len(text), text[start:]))
    return out


def _sentence_of(text: str, pos: int) -> tuple[int, int]:
    start = max((text.rfind(ch, 0, pos) for ch in _SENTENCE_BREAK), default=-1) + 1
    ends = [i for i in (text.find(ch, pos) for ch in _SENTENCE_BREAK) if i >= 0]
    return start, min(ends) if ends else len(text)


# ------------------------------------------------------------------ facts

@dataclass(frozen=True)
class Fee:
    """A 耕地开垦费 bound to a plot: a total, or a rate per area unit times the plot's area."""

    money: Money
    yuan: Fraction | None  # None: a rate with no area to apply it to
    text: str
    shared: bool = False  # a rate stated once for every plot
    low: Fraction | None = None  # a rate over an approximate area ('4到5亩'): the fee at its low end (`yuan` at the high end)

    @property
    def least(self) -> Fraction | None:
        return self.yuan if self.low is None else self.low


@dataclass
class Plot:
    """One piece of land the question describes."""

    span: Span  # the words describing it
    area: Quantity | None
    category: Category | None
    fee: Fee | None = None
    roles: frozenset[str] = frozenset()
    via: str = ""  # how words outside the plot's own words were bound to it

    @property
    def words(self) -> str:
        """Its words, without the list mark or an unmatched bracket that joins it to its neighbours."""
        words = self.span.text.strip().lstrip("、").rstrip("(（")
        if words.endswith((")", "）")) and words.count("(") + words.count("（") < words.count(")") + words.count("）"):
            words = words[:-1]
        return words


@dataclass(frozen=True)
class Party:
    name: str
    start: int
    end: int
    agreement: bool | None = None  # False = did not sign the 征地补偿安置协议


@dataclass(frozen=True)
class DatedEvent:
    """A date with the event the question ties it to (None: no event words near it) and its party."""

    date: DateMention
    event: str | None
    event_words: str | None
    party: Party | None
    clause: Span
    via: str = ""  # how the event was found when the date's own words do not name it

    @property
    def label(self) -> str:
        return case_words().labels.get(self.event or "", "")


@dataclass(frozen=True)
class Unbound:
    """A fact of the question that could not be tied to what it is about (kind: plot, fee or date)."""

    kind: str
    text: str


@dataclass
class Case:
    plots: list[Plot] = field(default_factory=list)
    per_capita: list[Quantity] = field(default_factory=list)
    events: list[DatedEvent] = field(default_factory=list)
    parties: list[Party] = field(default_factory=list)
    unbound: list[Unbound] = field(default_factory=list)
    says_today: bool = False

    def events_of(self, *keys: str) -> list[DatedEvent]:
        return [e for e in self.events if e.event in keys]

    def unbound_of(self, *kinds: str) -> list[str]:
        return [u.text for u in self.unbound if u.kind in kinds]


_PER_CAPITA_BEFORE = re.compile(r"(人均|每人|平均每人|每个人|一人)[^，,；;。]{0,6}$")
_PER_CAPITA_AFTER = re.compile(r"^\s*(/人|每人|一人|每个人)")
_ROLE_WORDS = {
    "homestead": ("宅基地", "住宅用地", "宅院", "每户"),
    "destroyed": ("破坏", "挖砂", "采石", "采矿", "取土", "建窑", "建坟", "毁"),
    "occupied": ("占", "用地", "建", "盖", "圈", "堆", "硬化"),  # built on, fenced in ('圈进去'), stored on or paved ('搞堆场')
    "developed": ("开发", "开垦"),
    "designated": ("划定",),
    "adjusted": ("调整", "调出", "调入", "调"),
}


_SAME_KIND_GAP = re.compile(r"\s*(变成|变为|增加到|减少到|提高到|降到|降为|升到|涨到|到|和|或|、|至|-|~|～)\s*")


def _per_capita(text: str, area: Quantity, previous: Quantity | None) -> bool:
    """'人均耕地0.05公顷', '0.8亩/人'; and a figure joined to one of those ('从0.05公顷变成0.08公顷')."""
    clause_start = max((text.rfind(ch, 0, area.start) for ch in "，,；;。"), default=-1) + 1
    before = text[clause_start: area.start]
    if _PER_CAPITA_BEFORE.search(before) or _PER_CAPITA_AFTER.match(text[area.end: area.end + 4]):
        return True
    return previous is not None and previous.start >= clause_start and bool(_SAME_KIND_GAP.fullmatch(text[previous.end: area.start]))


def _restated(text: str, prev: Quantity, area: Quantity) -> bool:
    """'3亩（2000平方米）': the bracket restates the area before it."""
    between = text[prev.end: area.start]
    return bool(re.fullmatch(r"\s*[（(]\s*(约|合|即|折合)?\s*", between)) and abs(prev.sqm - area.sqm) <= max(prev.sqm, area.sqm) / 100


def _split_gap(text: str, start: int, end: int) -> int | None:
    """Where two plots in one clause part: the last joining word between them."""
    gap = text[start:end]
    best = None
    for word in _CONJUNCTIONS:
        pos = gap.rfind(word)
        if pos >= 0 and (best is None or pos > best[0]) and not (word == "和" and gap[pos + 1: pos + 2] == "田"):
            best = (pos, word)
    return start + best[0] if best else None


@dataclass
class _Piece:
    start: int
    end: int
    clause: int = 0
    area: Quantity | None = None
    hits: list[TermHit] = field(default_factory=list)
    money: list[Money] = field(default_factory=list)
    pointed: list[str] = field(default_factory=list)  # words elsewhere that point back at this plot ('那块开垦费12万')


def _pieces(text: str, areas: list[Quantity]) -> list[_Piece]:
    """Clauses, and clauses holding two areas cut at the word joining them: each piece has at most one area."""
    pieces: list[_Piece] = []
    for number, clause in enumerate(clauses(text)):
        inside = [a for a in areas if clause.start <= a.start < clause.end]
        cuts = [clause.start]
        for prev, nxt in itertools.pairwise(inside):
            cut = _split_gap(text, prev.end, nxt.start)
            if cut is None:
                # no joining word: what stands between belongs to neither for sure; its own piece
                cuts += [prev.end, nxt.start]
            else:
                cuts.append(cut)
        cuts.append(clause.end)
        for s, e in itertools.pairwise(cuts):
            if s < e and text[s:e].strip():
                piece = _Piece(s, e, number)
                piece.area = next((a for a in inside if s <= a.start < e), None)
                pieces.append(piece)
    return pieces


def _assign(pieces: list[_Piece], hits: list[TermHit], money: list[Money]) -> None:
    for h in hits:
        for p in pieces:
            if p.start <= h.start < p.end or (h.start < p.start < h.end):
                p.hits.append(h)
                break
    for m in money:
        for p in pieces:
            if p.start <= m.start < p.end:
                p.money.append(m)
                break


def _pair(sources: list[int], targets: set[int], pieces: list[_Piece]) -> dict[int, int] | None:
    """Bind each source piece to a neighbouring target piece, all in one direction.

    Staff write the category (or fee) before its area ('占用基本农田，500平方米') or after it
    ('0.3公顷，是荒坡'); the direction that binds every source to its own neighbour wins. When both
    directions do and disagree, or neither does, nothing is bound (None). A target sharing its clause
    with another plot ('2亩和3亩，有旱地') is not a neighbour of one plot but of both: not bound.
    """
    shared = {p.clause for p in pieces if p.area is not None and sum(1 for o in pieces if o.clause == p.clause and o.area is not None) > 1}

    def reading(step: int) -> dict[int, int] | None:
        out: dict[int, int] = {}
        for i in sources:
            j = i + step
            if j not in targets or j in out.values() or pieces[j].clause in shared:
                return None
            out[i] = j
        return out

    after, before = reading(1), reading(-1)
    if after is not None and (before is None or after == before):
        return after
    if before is not None and after is None:
        return before
    return None


# a word pointing back at a plot already told of: '那块', '这片地', '该宗', '这3亩' (not '这次', '该地区')
_POINTER = re.compile(rf"(?:这|那|该|此)\s*(?:个)?\s*(?:块|片|宗|处|地(?![区方类])|{NUM}\s*(?:{'|'.join(SQM_PER)}|平方米|平米|平))")


def _pointer_areas(text: str, areas: list[Quantity]) -> dict[int, Quantity]:
    """Areas said with a pointer ('在这3亩上挖砂') that repeat another plot's area: they name that plot, not a new one
    (by the position of the pointing area, the area pointed at)."""
    out: dict[int, Quantity] = {}
    for a in areas:
        said = _POINTER.search(text, max(0, a.start - 4), a.end)
        if said is None or said.end() != a.end or said.start() > a.start:
            continue
        same = [b for b in areas if b is not a and b.start not in out and b.sqm == a.sqm and b.low == a.low]
        if same:
            out[a.start] = min(same, key=lambda b: (b.start > a.start, abs(b.start - a.start)))  # the nearest before, else after
    return out


def _join_pointers(text: str, pieces: list[_Piece], pointed: dict[int, Quantity]) -> dict[int, str]:
    """A piece that points back at a plot ('把那块地毁了', '那块核定的开垦费是12万', '在这3亩上挖砂') and names no land
    category of its own is more of that plot: the plot of the area it repeats, else the nearest plot told of before
    it. Its fee and its acts go to that plot; a piece with a category of its own is a plot of its own. Returns how
    each plot was joined, by the target's index."""
    via: dict[int, str] = {}
    for i, piece in enumerate(pieces):
        words = text[piece.start: piece.end]
        if piece.hits or piece.area is not None or not _POINTER.search(words):
            continue
        repeated = next((a for start, a in pointed.items() if piece.start <= start < piece.end), None)
        if repeated is not None:
            target = next((j for j, p in enumerate(pieces) if p.area is not None and p.area.start == repeated.start), None)
        else:
            target = next((j for j in range(i - 1, -1, -1) if pieces[j].area is not None or pieces[j].hits), None)
        if target is None:
            continue
        pieces[target].money += piece.money
        pieces[target].pointed.append(words)
        piece.money = []
        via[target] = "、".join(filter(None, [via.get(target, ""), f"「{words.strip()}」指的是这块地"]))
    return via


def build_case(text: str, areas: list[Quantity], money: list[Money], dates: list[DateMention]) -> Case:
    """Bind the question's facts to each other by the words that carry them; report what cannot be bound."""
    case = Case()
    plot_areas: list[Quantity] = []
    pointed = _pointer_areas(text, areas)
    for area in areas:
        if _per_capita(text, area, case.per_capita[-1] if case.per_capita else None):
            case.per_capita.append(area)
        elif area.start in pointed or (plot_areas and _restated(text, plot_areas[-1], area)):
            continue
        elif plot_areas and (joined := as_range(text, plot_areas[-1], area)) is not None:
            plot_areas[-1] = joined  # '大概4到5亩': one plot whose area lies between the two figures, not two plots
        else:
            plot_areas.append(area)
    pieces = _pieces(text, plot_areas)
    _assign(pieces, find_terms(text), [m for m in money if _is_fee(text, m)])
    pointers = _join_pointers(text, pieces, pointed)
    has_area = [i for i, p in enumerate(pieces) if p.area is not None]
    fee_only = [i for i, p in enumerate(pieces) if p.area is None and p.money]
    # a rate said of a land category beside plots with areas ('基本农田开垦费每亩3万元') is no plot: it is the rate of
    # the plots of that category
    category_rates = [i for i in fee_only if has_area and pieces[i].hits and all(m.per for m in pieces[i].money)]
    fee_only = [i for i in fee_only if i not in category_rates]
    # what a plot is anchored by: its area; without any area in the question, its fee ('开垦费10万元')
    anchors = sorted(has_area + [i for i in fee_only if pieces[i].hits]) if has_area else fee_only
    loose = [i for i, p in enumerate(pieces) if p.hits and i not in anchors and i not in category_rates]
    bare = {i for i in anchors if not pieces[i].hits}
    extra: dict[int, list[TermHit]] = {}
    via: dict[int, str] = {}
    leftovers: list[tuple[str, list[TermHit]]] = []

    def words(i: int) -> str:
        return text[pieces[i].start: pieces[i].end].strip()

    if loose and anchors:  # without any plot, category words stay mere mentions (Question.categories)
        pairing: dict[int, int] | None
        if len(anchors) == 1:
            pairing = {i: anchors[0] for i in loose}  # one plot: every category word of the question is about it
        elif len(loose) == 1 and loose[0] < min(anchors) and bare == set(anchors) and _HEADER.search(words(loose[0])):
            # a header before every plot: '占用一般耕地两块，一块2亩，一块3亩'
            pairing = {}
            for j in anchors:
                extra.setdefault(j, []).extend(pieces[loose[0]].hits)
                via[j] = f"地类取自「{words(loose[0])}」（对各块都适用）"
        elif len(loose) == 1 and loose[0] < min(anchors) and text[pieces[loose[0]].end: pieces[loose[0]].end + 1] in (":", "：") \
                and _covers(pieces[loose[0]].hits, [pieces[j].hits for j in anchors]):
            # a heading over the plots it lists, true of each: '破坏耕地：永久基本农田2亩，一般耕地1亩'
            pairing = {}
            for j in anchors:
                extra.setdefault(j, []).extend(pieces[loose[0]].hits)
                if j in bare:
                    via[j] = f"地类取自「{words(loose[0])}」（对各块都适用）"
        else:
            pairing = _pair(loose, bare, pieces) or {}
            for i in loose:
                if i in pairing:
                    continue
                prev = i - 1
                sentence = _sentence_of(text, pieces[i].start)
                before = [j for j in anchors if j < i and pieces[j].start >= sentence[0]]
                if _ALL.search(words(i)) and before:
                    # a remark about every plot before it: '旱地3亩、水田2亩，都不是基本农田'
                    for j in before:
                        extra.setdefault(j, []).extend(pieces[i].hits)
                        via[j] = "、".join(filter(None, [via.get(j, ""), f"地类取自「{words(i)}」（对前面各块都适用）"]))
                elif prev in anchors and pieces[prev].clause not in {pieces[j].clause for j in anchors if j != prev} and _REMARK.match(words(i)):
                    pairing[i] = prev  # a remark right after a plot, about that plot: '5亩水浇地，不是永久基本农田'
                elif _REST.search(words(i)):
                    leftovers.append((words(i), pieces[i].hits))  # '剩下的是草地': the rest of a total (_split_totals)
                else:
                    case.unbound.append(Unbound("plot", "、".join(f"「{h.phrase}」" for h in pieces[i].hits) + f"没有能对应的地块（「{words(i)}」）"))
        for src, dst in pairing.items():
            extra.setdefault(dst, []).extend(pieces[src].hits)
            via[dst] = "、".join(filter(None, [via.get(dst, ""), f"地类取自「{words(src)}」"]))
    for i in anchors:
        piece = pieces[i]
        span = Span(piece.start, piece.end, text[piece.start: piece.end])
        told = [span.text, *piece.pointed]  # what was done to it, here and where words point back at it
        roles = frozenset(r for r, ws in _ROLE_WORDS.items() if any(w in said for said in told for w in ws))
        if i in pointers:
            via[i] = "、".join(filter(None, [via.get(i, ""), pointers[i]]))
        hits = sorted(piece.hits + extra.get(i, []), key=lambda h: h.start)
        for plot_hits in (_each(text, piece, hits) if piece.area is not None else [hits]):
            plot = Plot(span, piece.area, resolve_category(plot_hits), None, roles, via.get(i, ""))
            if piece.money:
                plot.fee = _fee_for(piece.money[0], piece.area)
                for other in piece.money[1:]:
                    case.unbound.append(Unbound("fee", f"「{other.raw}」：同一块地写了两个开垦费金额，不知以哪个为准"))
            case.plots.append(plot)
    _bind_loose_fees(text, case, pieces, [i for i in fee_only if i not in anchors], anchors)
    _split_totals(text, case, leftovers)
    _contrast(case)
    _bind_category_rates(text, case, [pieces[i] for i in category_rates])
    case.parties = _parties(text)
    case.events = _events(text, dates, case.parties)
    case.says_today = any(w in text for w, key, _ in case_words().events if key == "today")
    if len(case.events) > 1:
        for e in case.events:
            if e.event is None and e.date.value is not None:
                case.unbound.append(Unbound("date", f"日期「{e.date.raw}」旁没有说明是什么事件（公告、决定、生效、批准、受理……）"))
    return case


_ALL = re.compile(r"^(都|均|全|也都|全部|都是|全都)")
_EVERY = re.compile(r"都|均|统一|一律|各块|每块")  # a fee said of every plot
_REST = re.compile(r"剩下|剩余|其余|余下|其他的|另外的")
_HEADER = re.compile(r"[两二三四五六七八九几多]\s*(块|处|宗|片|个地块)|都是|均为|全是|全部")
_REMARK = re.compile(r"(不是|并非|并不是|也不是|不属于|不算|是|属于|都是|全是|均为|为|其中)")


_NEW_PLOT = re.compile(r"^(另|还有|此外|又|再|以及)")


def _parts(text: str, said: int, following: list[Plot]) -> list[Plot]:
    """The plots '其中' lists: those inside its bracket ('（其中基本农田500平方米）'), up to one said to be another
    ('另有荒坡300平方米')."""
    if text[said - 1: said] in ("(", "（"):
        closes = [i for i in (text.find(")", said), text.find("）", said)) if i >= 0]
        end = min(closes) if closes else len(text)
        following = [p for p in following if p.span.start < end]
    out: list[Plot] = []
    for p in following:
        if out and _NEW_PLOT.match(p.words):
            break
        out.append(p)
    return out


def _covers(heading: list[TermHit], plots: list[list[TermHit]]) -> bool:
    """Does the heading's category include each plot's own (a plot without words takes the heading's)?"""
    outer = resolve_category(heading)
    if outer is None or outer.conflict:
        return False
    return all(inner.keys <= outer.keys for inner in (resolve_category(h) for h in plots) if inner is not None)


def _split_totals(text: str, case: Case, leftovers: list[tuple[str, list[TermHit]]]) -> None:
    """'占用耕地1.2公顷，其中永久基本农田0.8公顷': the total is not another plot. Its parts replace it, and what the
    parts leave of it is a plot of its own, of the total's category less the parts' ('其余0.4公顷' of 耕地 that is
    not 永久基本农田). Parts larger than the total are reported, not priced."""
    plots = case.plots
    i = 0
    while i < len(plots):
        total = plots[i]
        area = total.area
        if area is None:
            i += 1
            continue
        _, sentence_end = _sentence_of(text, total.span.end)
        nxt = [p for p in plots[i + 1:] if p.area is not None and p.span.start < sentence_end]
        if not nxt or "其中" not in text[area.end: nxt[0].area.start if nxt[0].area else nxt[0].span.start]:
            i += 1
            continue
        nxt = _parts(text, text.find("其中", area.end), nxt)
        parts_sqm = sum((p.area.sqm for p in nxt if p.area is not None), Fraction(0))
        if total.category is not None and not total.category.conflict:
            for part in nxt:  # a part is of its total's category: '永久基本农田200平方米，其中水浇地150平方米'
                if part.category is not None and not part.category.keys <= total.category.keys:
                    part.category = Category(
                        keys=part.category.keys & total.category.keys, hits=part.category.hits, overridden=part.category.overridden,
                        contrast=f"是「{total.words}」的一部分，地类为{total.category.label}",
                    )
        rest = area.sqm - parts_sqm
        index = plots.index(total)
        plots.remove(total)
        if rest < 0:
            case.unbound.append(Unbound("plot", f"「{total.words}」之后「其中」各块合计超过总面积，请核对"))
            i = index + len(nxt)
            continue
        if rest > 0:
            part_keys = frozenset().union(*(p.category.keys for p in nxt if p.category is not None and p.category.key))
            keys = (total.category.keys if total.category else frozenset(KEYS)) - part_keys
            if total.category is not None and total.category.key is not None:
                keys = total.category.keys  # a total of one category: the rest is of it too
            category = Category(keys=keys, hits=total.category.hits if total.category else ()) if total.category else None
            if leftovers:  # '剩下的是草地' names the rest
                said, hits = leftovers.pop(0)
                category = resolve_category(hits + list(total.category.hits if total.category else ()))
                total = Plot(total.span, area, total.category, total.fee, total.roles, f"其余部分的地类取自「{said}」")
            unit = area.unit
            remainder = Quantity(rest / SQM_PER[unit], unit, f"其余{fmt(rest / SQM_PER[unit])}{unit}", area.start, area.end)
            plots.insert(index + len(nxt), Plot(
                total.span, remainder, category, total.fee, total.roles,
                "、".join(filter(None, [f"「{total.words}」减去「其中」所列各块（{fmt(area.sqm)}平方米 − {fmt(parts_sqm)}平方米）", total.via])),
            ))
        i = index + len(nxt) + (1 if rest > 0 else 0)  # past the parts and the rest: neither is a total of what follows


def _contrast(case: Case) -> None:
    """'永久基本农田200平方米、水浇地500平方米': a kind of 耕地 listed beside a plot said in so many words to be
    永久基本农田 is set against it, so it is the other 耕地. Alone, '水浇地' stays open (it may be 永久基本农田)."""
    named = [
        p for p in case.plots
        if p.category is not None and p.category.key == "pbf"
        and any(h.term.strength == "legal" and not h.negated and h.term.keys == {"pbf"} for h in p.category.hits)
    ]
    if not named:
        return
    said = named[0].words
    for plot in case.plots:
        category = plot.category
        if plot in named or category is None or "pbf" not in category.keys or len(category.keys) < 2:
            continue
        plot.category = Category(
            keys=category.keys - {"pbf"}, hits=category.hits, overridden=category.overridden,
            contrast=f"与同一问题中明说是永久基本农田的「{said}」并列，按不是永久基本农田理解",
        )


def _each(text: str, piece: _Piece, hits: list[TermHit]) -> list[list[TermHit]]:
    """'林地和草地各1亩': one plot per category word joined before '各'; otherwise one plot."""
    area = piece.area
    assert area is not None
    before = text[piece.start: area.start].rstrip()
    positive = [h for h in hits if not h.negated and h.start < area.start]
    if (before.endswith("各") or before.endswith("分别")) and len({h.term.word for h in positive}) >= 2:
        return [[h] for h in positive]
    return [hits]


_FEE_WORDS = ("开垦费", "开肯费", "复垦费", "造地费")


def _is_fee(text: str, money: Money) -> bool:
    """A 耕地开垦费 by the words of its clause; a rate also in a clause right after one ('开垦费每亩3万元，一般耕地的每亩2万元')."""
    clause_start = max((text.rfind(ch, 0, money.start) for ch in "，,；;。"), default=-1) + 1
    if any(w in text[clause_start: money.end + 4] for w in _FEE_WORDS):
        return True
    before = max((text.rfind(ch, 0, max(0, clause_start - 1)) for ch in "，,；;"), default=-1) + 1
    return money.per is not None and clause_start > 0 and text[clause_start - 1] in "，,；;" and any(w in text[before: clause_start] for w in _FEE_WORDS)


def _bind_category_rates(text: str, case: Case, rates: list[_Piece]) -> None:
    """Each rate said of a category goes to the plots of exactly that category that have no fee of their own."""
    for piece in rates:
        said = text[piece.start: piece.end].strip()
        category = resolve_category(piece.hits)
        money = piece.money[0]
        for other in piece.money[1:]:
            case.unbound.append(Unbound("fee", f"「{other.raw}」：同一地类写了两个开垦费标准，不知以哪个为准"))
        targets = [
            p for p in case.plots
            if p.fee is None and category is not None and category.key is not None and p.category is not None and p.category.keys == category.keys
        ]
        if not targets:
            case.unbound.append(Unbound("fee", f"开垦费标准「{said}」没有能对应的地块（问题中没有地类确定为该类的地块）"))
        for plot in targets:
            fee = _fee_for(money, plot.area)
            plot.fee = Fee(fee.money, fee.yuan, fee.text + f"（标准取自「{said}」）", fee.shared)


def _fee_for(money: Money, area: Quantity | None, shared: bool = False) -> Fee:
    if money.per is None:
        return Fee(money, money.yuan, f"{_yuan(money.yuan)}元", shared)
    if area is None:
        return Fee(money, None, f"每{money.per}{_yuan(money.yuan)}元（没有对应的面积）", shared)
    total = money.yuan * area.sqm / SQM_PER[money.per]
    if area.low is not None:
        low = money.yuan * area.low_sqm / SQM_PER[money.per]
        return Fee(money, total, f"每{money.per}{_yuan(money.yuan)}元 × {area.raw.strip()} = {_yuan(low)}元至{_yuan(total)}元", shared, low)
    return Fee(money, total, f"每{money.per}{_yuan(money.yuan)}元 × {area.raw.strip()} = {_yuan(total)}元", shared)


def _rate_words(money: Money) -> str:
    return f"每{money.per}{money.raw}" if money.per and "每" not in money.raw and "/" not in money.raw else money.raw


def _yuan(x: Fraction) -> str:
    return fmt(x, 2)


def _bind_loose_fees(text: str, case: Case, pieces: list[_Piece], fee_pieces: list[int], anchors: list[int]) -> None:
    """Fees written in a clause of their own: next to their plot ('3亩基本农田，开垦费10万元'); a rate stated
    once applies to every plot; a total belongs to the one plot there is; otherwise it is unbound."""
    if not fee_pieces:
        return
    plot_of = {i: [p for p in case.plots if (p.span.start, p.span.end) == (pieces[i].start, pieces[i].end)] for i in anchors}
    free = {i for i in anchors if plot_of[i] and all(p.fee is None for p in plot_of[i])}
    pairing = _pair(fee_pieces, free, pieces) if len(case.plots) > 1 else None
    between: set[int] = set()  # a rate written between two plots of their own clauses: whose is it?
    if len(fee_pieces) == 1 and pieces[fee_pieces[0]].money[0].per is not None and all(p.fee is None for p in case.plots):
        i = fee_pieces[0]
        before, after = [j for j in anchors if j < i], [j for j in anchors if j > i]
        if not before or not after:
            # one rate said before or after all the plots ('开垦费按每亩2万元算，…2亩，…1亩'): it is each plot's rate
            pairing = None
        elif pairing is None and pieces[before[-1]].clause != pieces[after[0]].clause and not _EVERY.search(text[pieces[i].start: pieces[i].end]):
            between.add(i)
    for i in fee_pieces:
        money = pieces[i].money[0]
        if i in between:
            case.unbound.append(Unbound("fee", f"耕地开垦费「{_rate_words(money)}」写在两块地之间，不知是前一块的、后一块的还是各块共用的"))
            continue
        if pairing is not None:
            for p in plot_of[pairing[i]]:
                p.fee = _fee_for(money, p.area)
            continue
        open_plots = [p for p in case.plots if p.fee is None]
        if money.per is not None and open_plots:
            for p in open_plots:
                p.fee = _fee_for(money, p.area, shared=len(case.plots) > 1)
        elif len(case.plots) == 1 and open_plots:
            open_plots[0].fee = _fee_for(money, open_plots[0].area)
        else:
            case.unbound.append(Unbound("fee", f"耕地开垦费「{money.raw}」没有说明是哪一块地的"))


def _parties(text: str) -> list[Party]:
    cw = case_words()
    found: list[tuple[int, int, str]] = []
    taken = [False] * len(text)
    for word in cw.party_words:
        for m in re.finditer(re.escape(word), text):
            if not any(taken[m.start(): m.end()]):
                found.append((m.start(), m.end(), word))
                for i in range(m.start(), m.end()):
                    taken[i] = True
    for pattern in cw.party_patterns:
        for m in pattern.finditer(text):
            if not any(taken[m.start(): m.end()]):
                found.append((m.start(), m.end(), m.group(0)))
                for i in range(m.start(), m.end()):
                    taken[i] = True
    found.sort()
    parties: list[Party] = []
    for k, (start, end, name) in enumerate(found):
        _, sentence_end = _sentence_of(text, start)
        scope_end = min([sentence_end] + [s for s, _, _ in found[k + 1:] if s > start])
        scope = text[start: scope_end]
        agreement = None
        if any(w in scope for w in cw.without_agreement):
            agreement = False
        elif any(w in scope for w in cw.with_agreement):
            agreement = True
        parties.append(Party(name, start, end, agreement))
    return parties


_LIST_BREAK = "、"  # inside a clause, parallel items: '甲公司3月3日收到、乙村3月11日收到'
_FILLER = "是的了在于为：: "
_NOT_AS_OF_BEFORE = "收接送报提签拿领找达"  # '收到2025年…' is not '到2025年…'


def _events(text: str, dates: list[DateMention], parties: list[Party]) -> list[DatedEvent]:
    """Each date with the event words of its own clause. A day things stand on, said right before the date
    ('到2025年2月24日还没付', '截至…', '今天是…'), is that day and never a start event, whatever follows it; otherwise
    the event words after the date and before the next one ('2025年9月20日贴出公示'), else those before it
    ('公告是3月20日发的'). A date whose words name no event but repeat those of a parallel item before it
    ('甲公司3月3日收到处理决定、乙村3月11日收到', '…，乙户3月11日') has that item's event, for its own party."""
    spans = clauses(text)
    out: list[DatedEvent] = []
    ordered_dates = sorted(dates, key=lambda d: d.start)
    for k, d in enumerate(ordered_dates):
        clause = next((c for c in spans if c.start <= d.start < c.end), Span(d.start, d.end, d.raw))
        prev_end = max([clause.start] + [x.end for x in ordered_dates[:k] if x.end <= d.start and x.end > clause.start])
        next_start = min([clause.end] + [x.start for x in ordered_dates[k + 1:] if x.start < clause.end])
        item = _item(text, clause, d, prev_end, next_start)
        found = None
        if not text[d.end: next_start].lstrip().startswith("才"):  # '到3月1日才作出决定' dates the decision
            found = _nearest_event(text, prev_end, d.start, after=False, keys=("as_of", "today"))
        if _FOCUS_BEFORE.search(text[prev_end: d.start]) and (focus := _FOCUS_AFTER.match(text, d.end, next_start)):
            next_start = focus.end()  # '公告是3月31号发布的补偿费…': the words after 的 are another matter's
        found = found or _nearest_event(text, d.end, next_start, after=True) or _nearest_event(text, prev_end, d.start, after=False)
        event, word = found if found else (None, None)
        party = _party_of(text, d.start, parties)
        if event in ("as_of", "today") and party is not None and not item.start <= party.start < item.end:
            party = None  # the day things stand on is every party's, unless its own words name one
        via = ""
        if event is None:
            parallel = _parallel(text, d, item, party, out)
            if parallel is not None:
                event, word = parallel.event, parallel.event_words
                via = f"事件取自并列的「{parallel.clause.text.strip()}」"
        out.append(DatedEvent(d, event, word, party, item, via))
    return _years_from_today(_respectively(text, _listed(text, _spans(text, out)), parties))


_SPAN_MARKS = ("至", "到", "-", "~", "～", "—")
# '公告是3月31号发布的', '决定于3月1日作出的': a date said between 是 (于, 在) and the 的 closing its verb dates the thing
# named before it; event words after that 的 are another matter's ('…发布的补偿费最晚哪天付清')
_FOCUS_BEFORE = re.compile(r"(?:是|于|在)\s*$")
_FOCUS_AFTER = re.compile(r"\s*[^，,；;。！？!?的\d]{0,6}的")


def _spans(text: str, events: list[DatedEvent]) -> list[DatedEvent]:
    """'从3月1日至3月10日公示': the first date of a span starts the event said after the span; the second is where it stands."""
    out = list(events)
    for k in range(len(out) - 1):
        e, nxt = out[k], out[k + 1]
        # the first date's own event words, if any, stand before it ('申请从3月1日至3月10日公示'): the span's event is said after
        if e.event in ("as_of", "today") or nxt.event != "as_of" or text[e.date.end: nxt.date.start].strip(" 起") not in _SPAN_MARKS:
            continue
        found = _nearest_event(text, nxt.date.end, nxt.clause.end, after=True)
        if found is not None and found[0] not in ("as_of", "today", "act"):
            out[k] = replace(e, event=found[0], event_words=found[1], via=f"事件取自「{text[e.date.start: nxt.clause.end].strip()}」")
    return out


_LIST_MARKS = ("、", "和", "及", "与", "跟")
_LIST_FILLER = " 于在是的为"


def _joined(text: str, a: DatedEvent, b: DatedEvent) -> bool:
    """Are two dates items of one list ('3月3日、3月11日', '甲户于3月3日、乙户于3月11日')?"""
    between = text[a.date.end: b.date.start]
    if b.party is not None and a.date.end <= b.party.start and b.party.end <= b.date.start:
        between = between.replace(b.party.name, "", 1)
    return between.strip(_LIST_FILLER) in _LIST_MARKS


def _listed(text: str, events: list[DatedEvent]) -> list[DatedEvent]:
    """Dates listed one after another share the event said after the last of them: '甲户于3月3日、乙户于3月11日收到处理决定'."""
    out = list(events)
    for k in range(len(out) - 2, -1, -1):
        e, nxt = out[k], out[k + 1]
        if e.event is not None or nxt.event in (None, "as_of", "today") or not _joined(text, e, nxt):
            continue
        if not nxt.event_words or nxt.event_words not in text[nxt.date.end: nxt.clause.end]:
            continue  # the event is said before the last date, not after the list
        out[k] = replace(e, event=nxt.event, event_words=nxt.event_words, via=f"事件取自同列的「{text[e.date.start: nxt.clause.end].strip()}」")
    return out


def _respectively(text: str, events: list[DatedEvent], parties: list[Party]) -> list[DatedEvent]:
    """'甲公司、乙村分别于3月3日、3月11日收到': as many dates as parties listed before '分别', each the party's in order."""
    out = list(events)
    k = 0
    while k < len(out):
        group = [k]
        while group[-1] + 1 < len(out) and _joined(text, out[group[-1]], out[group[-1] + 1]):
            group.append(group[-1] + 1)
        k = group[-1] + 1
        if len(group) < 2:
            continue
        first = out[group[0]].date
        s_start, _ = _sentence_of(text, first.start)
        said = text.rfind("分别", s_start, first.start)
        listed = [p for p in parties if s_start <= p.start < said]
        if said < 0 or len(listed) < len(group):
            continue
        listed = listed[-len(group):]
        if not all(text[a.end: b.start].strip(_LIST_FILLER) in _LIST_MARKS for a, b in itertools.pairwise(listed)):
            continue
        for i, party in zip(group, listed, strict=True):
            out[i] = replace(out[i], party=party)
    return out


def _years_from_today(events: list[DatedEvent]) -> list[DatedEvent]:
    """'现在是2025年4月1日，决定3月1日收到的': a date without a year, of something that has happened, is the last
    such day on or before the day things stand on, when the question gives that day in full."""
    now = next((e.date for e in events if e.event in ("today", "as_of") and e.date.value and not e.date.year_assumed and not e.date.year_from), None)
    if now is None or now.value is None:
        return events
    out = []
    for e in events:
        d = e.date
        if (d.year_assumed or d.year_from == now.raw) and d.value is not None and e.event not in ("today", "as_of"):
            year = now.value.year if (d.value.month, d.value.day) <= (now.value.month, now.value.day) else now.value.year - 1
            try:
                value = date(year, d.value.month, d.value.day)
            except ValueError:  # 2月29日 in a year without it
                out.append(e)
                continue
            said = now.raw if year == now.value.year else f"{now.raw}（在它之前的{d.value.month}月{d.value.day}日）"
            e = DatedEvent(DateMention(value, d.raw, d.start, d.end, False, None, said), e.event, e.event_words, e.party, e.clause, e.via)
        out.append(e)
    return out


def _item(text: str, clause: Span, d: DateMention, prev_end: int, next_start: int) -> Span:
    """The date's own words: its clause, cut at a list mark between it and a neighbouring date."""
    start, end = clause.start, clause.end
    if prev_end > clause.start and (cut := text.rfind(_LIST_BREAK, prev_end, d.start)) >= 0:
        start = cut + 1
    if next_start < clause.end and (cut := text.find(_LIST_BREAK, d.end, next_start)) >= 0:
        end = cut
    return Span(start, end, text[start:end])


def _tail(text: str, d: DateMention, item: Span) -> str:
    """The words after the date, without fillers or adverbs of time ('才收到' repeats '收到')."""
    return text[d.end: item.end].strip(_FILLER + "。，,；;！？!?").lstrip("才就也又都已经")


def _parallel(text: str, d: DateMention, item: Span, party: Party | None, before: list[DatedEvent]) -> DatedEvent | None:
    """The dated item of the same sentence this one repeats: the same words after the date ('…收到'), or the first of
    them ('收到' after '收到处理决定'), or another party's item with nothing of its own but the date ('乙户3月11日')."""
    s_start, _ = _sentence_of(text, d.start)
    previous = next((e for e in reversed(before) if e.event is not None and e.clause.start >= s_start), None)
    if previous is None:
        return None
    tail = _tail(text, d, item)
    if tail and _tail(text, previous.date, previous.clause).startswith(tail):
        return previous  # the same words, or its verb with the object left out ('…收到处理决定，乙户是3月11日收到的')
    if party is None or previous.party is None or party.name == previous.party.name or not item.start <= party.start < item.end:
        return None
    rest = text[item.start: item.end].replace(party.name, "", 1).replace(d.raw, "", 1).strip(_FILLER + "。，,；;！？!?")
    return previous if not rest else None


def _after_verb(text: str, pos: int) -> bool:
    return pos > 0 and text[pos - 1] in _NOT_AS_OF_BEFORE


@lru_cache(maxsize=1)
def _event_patterns() -> tuple[re.Pattern[str], ...]:
    """Each event word of case_words().events as a pattern: a word of four characters or more may be said with 的
    inside it ('接到的通知' for 接到通知, '发布的公告' for 发布公告)."""
    return tuple(re.compile("的?".join(map(re.escape, w)) if len(w) >= 4 else re.escape(w)) for w, _, _ in case_words().events)


def _nearest_event(text: str, start: int, end: int, after: bool, keys: tuple[str, ...] = ()) -> tuple[str, str] | None:
    """The event word in text[start:end] nearest to the date (at `start` when after, at `end` otherwise); only
    events of `keys` when given."""
    best: tuple[int, int, str, str] | None = None
    window = text[start:end]
    taken = [False] * len(window)
    for (word, key, _), pattern in zip(case_words().events, _event_patterns(), strict=True):  # longest first: '处罚决定生效' before '生效'
        for m in pattern.finditer(window):
            if any(taken[m.start(): m.end()]):
                continue
            for i in range(m.start(), m.end()):
                taken[i] = True
            distance = m.start() if after else len(window) - m.end()
            if keys and key not in keys:
                continue
            if key == "today" and (after or distance > 2):
                continue  # only '今天是5月20日' dates today; '从1月1日到今天' does not
            if key == "as_of" and (after or distance > 0 or (word == "到" and _after_verb(text, start + m.start()))):
                continue  # '到2025年6月1日还没动工': the day things stand on, said right before the date
            rank = (distance, -len(word), key, m.group(0))  # the words as said ('接到的通知')
            if best is None or rank < best:
                best = rank
    return (best[2], best[3]) if best else None


def _party_of(text: str, pos: int, parties: list[Party]) -> Party | None:
    """The party named in the date's own sentence before it (or right after it in the same clause)."""
    s_start, s_end = _sentence_of(text, pos)
    before = [p for p in parties if s_start <= p.start < pos]
    if before:
        return before[-1]
    clause_end = min([i for i in (text.find(ch, pos) for ch in _CLAUSE_BREAK) if i >= 0] or [len(text)])
    after = [p for p in parties if pos < p.start < min(clause_end, s_end)]
    return after[0] if after else None
