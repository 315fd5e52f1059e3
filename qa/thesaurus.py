"""Staff vocabulary -> the texts' wording: the curated thesaurus (lexicon/thesaurus.toml), validated and matched."""
from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

THESAURUS_PATH = Path(__file__).resolve().parent / "lexicon" / "thesaurus.toml"
DOMAIN_PATH = Path(__file__).resolve().parent / "lexicon" / "domain.txt"
UNIT_ID = re.compile(r"^[a-z0-9-]+:[A-Za-z0-9.]+$")
# synonym: the staff word means the first term; related: broader/narrower, expansion only; equivalent: the terms
# are different texts' words for one thing (办法's 占用耕地补偿制度 is the plans' 占补平衡), each expanding to all
Kind = Literal["synonym", "related", "equivalent"]
MAX_PASSES = 4


def _clean_words(words: tuple[str, ...], field: str) -> tuple[str, ...]:
    cleaned = tuple(w.strip() for w in words)
    if any(not w for w in cleaned):
        raise ValueError(f"empty word in {field}")
    if len(set(cleaned)) != len(cleaned):
        raise ValueError(f"duplicate word in {field}: {sorted(w for w in cleaned if cleaned.count(w) > 1)}")
    return cleaned


class Entry(BaseModel):
    """One concept: the texts' terms (first = canonical), the staff words for it, where the texts use it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    terms: tuple[str, ...] = Field(min_length=1)
    staff: tuple[str, ...] = Field(min_length=1)
    note: str = Field(min_length=1)
    units: tuple[str, ...] = ()
    kind: Kind = "related"

    @field_validator("terms", "staff")
    @classmethod
    def _words(cls, words: tuple[str, ...], info: ValidationInfo) -> tuple[str, ...]:
        return _clean_words(words, info.field_name or "")

    @field_validator("units")
    @classmethod
    def _unit_ids(cls, units: tuple[str, ...]) -> tuple[str, ...]:
        bad = [u for u in units if not UNIT_ID.match(u)]
        if bad:
            raise ValueError(f"malformed unit ids: {bad}")
        return units

    @model_validator(mode="after")
    def _staff_is_not_a_term(self) -> Entry:
        # A staff word that is one of its own terms would expand to itself.
        same = set(self.staff) & set(self.terms)
        if same:
            raise ValueError(f"staff words equal to the entry's own terms: {sorted(same)}")
        return self


class Thesaurus(BaseModel):
    """All entries; every staff word belongs to exactly one entry."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    entries: tuple[Entry, ...] = Field(alias="entry", min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> Thesaurus:
        owner: dict[str, int] = {}
        for index, entry in enumerate(self.entries):
            for word in entry.staff:
                if word in owner:
                    first = self.entries[owner[word]]
                    raise ValueError(
                        f"staff word {word!r} is in two entries ({first.terms[0]!r} and {entry.terms[0]!r}); "
                        "write it once, with the terms of both, as kind='related'"
                    )
                owner[word] = index
        # an equivalent entry's terms are matched like staff words: each may belong to that entry alone
        for index, entry in enumerate(self.entries):
            if entry.kind != "equivalent":
                continue
            for term in entry.terms:
                if term in owner:
                    raise ValueError(f"term {term!r} of an equivalent entry is also a staff word or another equivalent entry's term")
                owner[term] = index
        # canonical() substitutes the first term; that term must not be a staff word itself,
        # otherwise a second pass would rewrite it again.
        for entry in self.entries:
            if entry.kind == "synonym" and entry.terms[0] in owner:
                raise ValueError(f"synonym target {entry.terms[0]!r} is itself a staff word")
        return self


@dataclass(frozen=True, slots=True)
class Expansion:
    """A staff word found in a text, at text[start:end], with what the texts call it."""

    staff: str
    start: int
    end: int
    terms: tuple[str, ...]
    kind: Kind
    note: str
    units: tuple[str, ...]


class Matcher:
    """Longest-first, non-overlapping matching of staff words; the texts' own terms are matched too
    and shield the staff words inside them ("基本农田" inside "永久基本农田" is not a staff word there)."""

    def __init__(self, thesaurus: Thesaurus, shields: Iterable[str] = ()) -> None:
        self.thesaurus = thesaurus
        # word -> entry index for staff words, -1 for a term (a shield): the entries' terms and the texts' other
        # terms (`shields`, 补偿登记). Staff words win over an identical term of another entry: they were written
        # down on purpose.
        self.vocab: dict[str, int] = {t: -1 for t in shields if len(t) > 1}
        self.vocab.update({t: -1 for e in thesaurus.entries for t in e.terms if len(t) > 1})
        for index, entry in enumerate(thesaurus.entries):
            for word in entry.staff + (entry.terms if entry.kind == "equivalent" else ()):
                self.vocab[word] = index
        lengths: dict[str, set[int]] = {}
        for word in self.vocab:
            lengths.setdefault(word[0], set()).add(len(word))
        self.lengths = {first: tuple(sorted(ls, reverse=True)) for first, ls in lengths.items()}
        # A question is looked at several times per request (expansion, coverage, subject).
        self.matches = lru_cache(maxsize=4096)(self._matches)

    def _matches(self, text: str) -> tuple[tuple[int, int, int], ...]:
        """(start, end, entry index) of staff words, in text order."""
        n = len(text)
        candidates: list[tuple[int, bool, int, int]] = []
        vocab, lengths = self.vocab, self.lengths
        for i in range(n):
            for length in lengths.get(text[i], ()):
                if i + length <= n:
                    owner = vocab.get(text[i : i + length])
                    if owner is not None:
                        # a term of the texts as long as an overlapping staff word is what was written ("征地补偿登记":
                        # 补偿登记, not the staff word 征地补偿 for the fees)
                        candidates.append((-length, owner >= 0, i, owner))
        if not candidates:
            return ()
        candidates.sort()
        taken = bytearray(n)
        found = []
        for negative_length, _, start, owner in candidates:
            end = start - negative_length
            if any(taken[start:end]):
                continue
            taken[start:end] = b"\x01" * (end - start)
            if owner >= 0:
                found.append((start, end, owner))
        found.sort()
        return tuple(found)

    def expansions(self, text: str) -> list[Expansion]:
        entries = self.thesaurus.entries
        return [
            Expansion(text[s:e], s, e, entries[o].terms, entries[o].kind, entries[o].note, entries[o].units)
            for s, e, o in self.matches(text)
        ]

    def substitute(self, text: str, replacement: Callable[[Entry], str | None]) -> str:
        """The text with every matched staff word replaced by `replacement(entry)` (None keeps it)."""
        parts: list[str] = []
        last = 0
        for start, end, owner in self.matches(text):
            new = replacement(self.thesaurus.entries[owner])
            if new is None:
                continue
            parts.append(text[last:start])
            parts.append(new)
            last = end
        if not parts:
            return text
        parts.append(text[last:])
        return "".join(parts)


def load(path: Path = THESAURUS_PATH) -> Thesaurus:
    """Read and validate the thesaurus file; a bad file fails loudly with the reason."""
    with path.open("rb") as handle:
        return Thesaurus.model_validate(tomllib.load(handle))


def domain_words(path: Path = DOMAIN_PATH) -> tuple[tuple[str, int], ...]:
    """The curated terms of the texts (domain.txt), with the frequency jieba is taught for each."""
    words = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            word, _, freq = line.strip().partition(" ")
            words.append((word, int(freq or 1000)))
    return tuple(words)


@lru_cache(maxsize=1)
def matcher() -> Matcher:
    return Matcher(load(), shields=[word for word, _ in domain_words()])


def expansions(text: str) -> list[Expansion]:
    """Staff words found in `text`, longest first, non-overlapping, in text order."""
    return matcher().expansions(text)


def canonical(text: str) -> str:
    """`text` with synonym-kind staff words replaced by the texts' term (related ones are kept)."""
    # A substituted term can form a new staff word with its neighbours (划拨 + 地耗 -> 划拨地), so
    # substitute until nothing changes; no synonym target is a staff word, so this ends quickly.
    for _ in range(MAX_PASSES):
        replaced = matcher().substitute(text, _synonym_target)
        if replaced == text:
            break
        text = replaced
    return text


def _synonym_target(entry: Entry) -> str | None:
    return entry.terms[0] if entry.kind == "synonym" else None


def staff_words() -> list[str]:
    """Every staff word, for the tokenizer's user dictionary."""
    return [word for entry in matcher().thesaurus.entries for word in entry.staff]
