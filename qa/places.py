"""The one place lexicon (qa/lexicon/places.toml): places, their province-level region, Xinjiang's administrative levels."""
from __future__ import annotations

import re
import tomllib
from functools import lru_cache

from pydantic import BaseModel, ConfigDict, model_validator

from qa.tokenize import LEXICON_DIR

PLACES_FILE = LEXICON_DIR / "places.toml"
OUTSIDE = "other"  # routing's region for a place no document of the corpus governs


class Region(BaseModel):
    """A province-level region: how the catalog spells it (when the corpus covers it) and the names that identify it."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    catalog_region: str | None = None
    names: tuple[str, ...]
    generic: tuple[str, ...] = ()  # names (among `names`) that identify the region for routing only

    @model_validator(mode="after")
    def _generic_are_names(self) -> Region:
        stray = [n for n in self.generic if n not in self.names]
        if stray:
            raise ValueError(f"generic names not among the region's names: {stray}")
        return self


class XinjiangLevels(BaseModel):
    """Administrative levels inside 新疆 that articles distinguish (第十条, 第二十二条)."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    prefecture_cities: tuple[str, ...]  # 设区的市
    prefectures: tuple[str, ...]  # 自治州 and 地区
    county_cities: tuple[str, ...]  # 县级市
    kashgar_counties: tuple[str, ...]  # the twelve 县（市） of 喀什地区


class Places(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    regions: dict[str, Region]
    xinjiang: XinjiangLevels
    levels: dict[str, tuple[str, ...]]  # level of government, highest first -> the words that name it
    aliases: dict[str, str] = {}  # a place's short name staff use -> its name ('塔县' -> '塔什库尔干县')


@lru_cache(maxsize=1)
def places() -> Places:
    """The lexicon, read once."""
    return Places.model_validate(tomllib.loads(PLACES_FILE.read_text(encoding="utf-8")))


def with_full_names(text: str) -> str:
    """'塔县村庄规划' -> '塔什库尔干县村庄规划': a place's short name staff use, as the lexicon and the texts name it."""
    for short, name in places().aliases.items():
        text = text.replace(short, name)
    return text


@lru_cache(maxsize=1)
def place_regions() -> dict[str, str]:
    """Routing's lookup: every name -> the catalog region it belongs to, or OUTSIDE ('other') for the rest."""
    return {name: region.catalog_region or OUTSIDE for region in places().regions.values() for name in region.names}


@lru_cache(maxsize=1)
def region_names() -> dict[str, tuple[str, ...]]:
    """The rules' lookup: province-level region ('新疆', '北京') -> the names that identify it, generic words excluded."""
    return {
        key: tuple(n for n in region.names if n not in region.generic) for key, region in places().regions.items()
    }


def xinjiang_levels() -> XinjiangLevels:
    return places().xinjiang


def region_key(catalog_region: str) -> str:
    """'新疆维吾尔自治区喀什地区' -> '新疆': the province-level region of a catalog region (itself when unknown)."""
    for key, region in places().regions.items():
        if region.catalog_region and catalog_region.startswith(region.catalog_region):
            return key
    return next((key for key in places().regions if catalog_region.startswith(key)), catalog_region)


@lru_cache(maxsize=1)
def level_words() -> tuple[tuple[str, str], ...]:
    """(word, level) for every word naming a level of government, longest first."""
    pairs = [(word, level) for level, words in places().levels.items() for word in words]
    return tuple(sorted(pairs, key=lambda pair: len(pair[0]), reverse=True))


def levels_named(text: str) -> list[tuple[int, str]]:
    """(position, level) of every level of government `text` names, longest word first at each place;
    "县级以上" names the county level and every level above it."""
    order = list(places().levels)
    taken = [False] * len(text)
    found: list[tuple[int, str]] = []
    for word, level in level_words():
        for m in re.finditer(re.escape(word), text):
            if any(taken[m.start(): m.end()]):
                continue
            taken[m.start(): m.end()] = [True] * (m.end() - m.start())
            found.append((m.start(), level))
            if text.startswith("以上", m.end()):
                found += [(m.start(), higher) for higher in order[: order.index(level)]]
    return sorted(found)
