"""Input extraction from questions: the mentions (qa.rules.mentions), land categories, places, and the case facts bound to each other."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from qa import thesaurus
from qa.places import region_names, with_full_names
from qa.rules.facts import KEYS, Case, TermHit, build_case, case_words, find_terms
from qa.rules.mentions import (
    NUM,
    SQM_PER,
    DateMention,
    Duration,
    Figure,
    Money,
    Quantity,
    extract_areas,
    extract_dates,
    extract_durations,
    extract_figures,
    extract_money,
    normalize,
    parse_number,
    standalone_years,
    without_references,
)

# the mentions are read through this module by the rules and the question analysis
__all__ = [
    "CATEGORY_LABELS", "NUM", "SQM_PER", "CategoryMention", "DateMention", "Duration", "Figure", "Money", "Quantity", "Question",
    "extract_areas", "extract_categories", "extract_dates", "extract_durations", "extract_figures", "extract_money", "extract_regions",
    "normalize", "parse_number", "parse_question", "standalone_years", "without_references",
]

# ------------------------------------------------------------------ land categories

# category keys (see land_categories.toml): pbf = 永久基本农田; other_cultivated = 永久基本农田以外的耕地;
# cultivated = 耕地 (unqualified); other_land = 其他土地; agricultural = any of the three; not_pbf = 不是永久基本农田
CATEGORY_LABELS = {
    "pbf": "永久基本农田",
    "other_cultivated": "永久基本农田以外的耕地",
    "cultivated": "耕地（未说明是否永久基本农田）",
    "other_land": "其他土地",
    "agricultural": "农用地（未说明地类）",
    "not_pbf": "不是永久基本农田（未说明是否耕地）",
}
_KEY_OF = {
    frozenset({"pbf"}): "pbf",
    frozenset({"other_cultivated"}): "other_cultivated",
    frozenset({"other_land"}): "other_land",
    frozenset({"pbf", "other_cultivated"}): "cultivated",
    frozenset({"pbf", "other_cultivated", "other_land"}): "agricultural",
    frozenset({"other_cultivated", "other_land"}): "not_pbf",
}


@dataclass(frozen=True)
class CategoryMention:
    """A land-category word of the question and the category it names (a key of CATEGORY_LABELS)."""

    key: str
    raw: str
    start: int

    @classmethod
    def of(cls, hit: TermHit, text: str) -> CategoryMention | None:
        """The category a thesaurus hit in `text` names, its negation included; None for a set of kinds no key names."""
        key = _KEY_OF.get(frozenset(KEYS) - hit.term.keys if hit.negated else hit.term.keys)
        return None if key is None else cls(key=key, raw=text[hit.start: hit.end], start=hit.start)


def extract_categories(text: str) -> list[CategoryMention]:
    """Every land-category word of the thesaurus (land_categories.toml), a negation included: '不是耕地' -> other_land."""
    found = (CategoryMention.of(hit, text) for hit in find_terms(text))
    return [c for c in found if c is not None]


# ------------------------------------------------------------------ places

def extract_regions(text: str) -> dict[str, str]:
    """Province-level regions a question names: {'宁夏': '银川', ...} (region -> first name seen)."""
    found: dict[str, tuple[int, str]] = {}
    for region, names in region_names().items():
        for name in names:
            pos = text.find(name)
            if pos >= 0 and (region not in found or pos < found[region][0]):
                found[region] = (pos, name)
    return {region: name for region, (pos, name) in sorted(found.items(), key=lambda kv: kv[1][0])}


# ------------------------------------------------------------------ the parsed question

@dataclass
class Question:
    text: str
    norm: str
    # `norm` with the numerals of references to parts of a text blanked (表1, 附件1第27项, 第四十三条): every quantity of
    # the question is read from it, by parse_question and by a rule reading figures of its own
    plain: str = ""
    figures: list[Figure] = field(default_factory=list)  # every number with a known unit (mentions.extract_figures)
    areas: list[Quantity] = field(default_factory=list)
    money: list[Money] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    durations: list[Duration] = field(default_factory=list)
    categories: list[CategoryMention] = field(default_factory=list)
    regions: dict[str, str] = field(default_factory=dict)
    case: Case | None = None  # the facts bound to each other (qa.rules.facts)
    # the question in the texts' own terms (staff words replaced through the thesaurus: 调永农 -> 永久基本农田调整),
    # which the rules' words are matched against as well
    terms: str = ""
    # the texts' terms the thesaurus gives for the question's staff words, of every kind (开荒 -> 荒地 开发 荒山 荒滩),
    # for a rule whose words name a whole matter (`means`); broader than `terms`, so not read by `has`
    readings: str = ""
    # what routing (qa.route) reads in the question: the documents it names by title, alias or place and type, and the
    # units it names directly ('附件1第27项'); None until read (run_rules reads them with the corpus when not given)
    documents: tuple[str, ...] | None = None
    explicit_ids: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        self.plain = self.plain or without_references(self.norm)
        self.figures = self.figures or extract_figures(self.plain)

    @property
    def facts(self) -> Case:
        """The case facts (built by parse_question; built here for a Question made by hand)."""
        if self.case is None:
            self.case = build_case(self.norm, self.areas, self.money, self.dates)
        return self.case

    def has(self, *words: str) -> bool:
        return any(w in self.norm or w in self.terms for w in words)

    def hits(self, *words: str) -> int:
        return sum(1 for w in words if w in self.norm or w in self.terms)

    def means(self, *words: str) -> bool:
        """Does the question say one of the words, itself or through the thesaurus (开荒 means 荒地 and 开发)?"""
        return self.has(*words) or any(w in self.readings for w in words)

    def category_keys(self) -> list[str]:
        seen: list[str] = []
        for c in self.categories:
            if c.key not in seen:
                seen.append(c.key)
        return seen


def parse_question(text: str, today: date | None = None, terms: str = "", documents: tuple[str, ...] | None = None,
                   explicit_ids: tuple[str, ...] = ()) -> Question:
    """Every mention the rules read, and the case facts bound to each other by their words; `terms` is the
    question in the texts' own terms, when it differs; `documents` and `explicit_ids` what routing read in it."""
    norm = with_full_names(normalize(text))
    plain = without_references(norm)
    dates = extract_dates(plain, today, today_words=tuple(w for w, key, _ in case_words().events if key == "today"))
    areas = extract_areas(plain)
    money = extract_money(plain)
    return Question(
        text=text,
        norm=norm,
        plain=plain,
        figures=extract_figures(plain),
        areas=areas,
        money=money,
        dates=dates,
        durations=extract_durations(plain, dates),
        categories=extract_categories(norm),
        regions=extract_regions(norm),
        case=build_case(norm, areas, money, dates),
        terms=normalize(terms) if terms and terms != text else "",
        readings=" ".join(term for found in thesaurus.expansions(norm) for term in found.terms),
        documents=documents,
        explicit_ids=explicit_ids,
    )
