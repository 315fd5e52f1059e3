"""Fact and computed-result matching: normalizes Chinese numerals, dates, ranges and quantities with units."""
from __future__ import annotations

import re
import unicodedata
import warnings
from dataclasses import dataclass
from functools import lru_cache

from qa.rules.mentions import SQM_PER

__all__ = ["Quantity", "fact_present", "normalize", "parse_quantities", "result_matches"]

# --------------------------------------------------------------------------------------
# Units: canonical dimension and multiplier to the dimension's base unit
# --------------------------------------------------------------------------------------

_SQM = {unit: float(factor) for unit, factor in SQM_PER.items()}  # square metres per 亩, 公顷, 平方公里, as the rules count

_UNITS: dict[str, tuple[str, float]] = {
    "元": ("money", 1.0),
    "万元": ("money", 1e4),
    "亿元": ("money", 1e8),
    "平方米": ("area", 1.0),
    "平米": ("area", 1.0),
    "平方": ("area", 1.0),
    "㎡": ("area", 1.0),
    "m2": ("area", 1.0),
    "m²": ("area", 1.0),
    "公顷": ("area", _SQM["公顷"]),
    "万公顷": ("area", 1e4 * _SQM["公顷"]),
    "亩": ("area", _SQM["亩"]),
    "万亩": ("area", 1e4 * _SQM["亩"]),
    "平方公里": ("area", _SQM["平方公里"]),
    "平方千米": ("area", _SQM["平方公里"]),
    "km2": ("area", _SQM["平方公里"]),
    "km²": ("area", _SQM["平方公里"]),
    "万平方公里": ("area", 1e4 * _SQM["平方公里"]),
    "万平方千米": ("area", 1e4 * _SQM["平方公里"]),
    "%": ("pct", 1.0),
    "倍": ("times", 1.0),
    "个工作日": ("workday", 1.0),
    "工作日": ("workday", 1.0),
    "日": ("day", 1.0),
    "天": ("day", 1.0),
    "个月": ("month", 1.0),
    "小时": ("hour", 1.0),
    "年": ("year", 1.0),
    "人": ("person", 1.0),
    "个": ("count", 1.0),
    "处": ("site", 1.0),
    "家": ("firm", 1.0),
    "座": ("station", 1.0),
    "件": ("case", 1.0),
    "吨": ("ton", 1.0),
    "万吨": ("ton", 1e4),
    "亿吨": ("ton", 1e8),
    "立方米": ("volume", 1.0),
    "亿立方米": ("volume", 1e8),
    "公里": ("length", 1e3),
    "千米": ("length", 1e3),
    "km": ("length", 1e3),
}
_UNIT_ALT = "|".join(re.escape(u) for u in sorted(_UNITS, key=len, reverse=True))
_NUM = r"\d+(?:\.\d+)?"


@dataclass(frozen=True)
class Quantity:
    """A number with a unit, in the base unit of its dimension; `resolution` is its last digit's weight."""

    value: float
    dim: str
    resolution: float

    @classmethod
    def scaled(cls, number: str, scale: float, dim: str = "number") -> Quantity:
        """The number times `scale`; its resolution is its last digit's weight times `scale`."""
        decimals = len(number.split(".", 1)[1]) if "." in number else 0
        return cls(float(number) * scale, dim, (10.0 ** -decimals) * scale)

    @classmethod
    def of(cls, number: str, unit: str) -> Quantity:
        """The number in `unit` (a key of the unit table), in its dimension's base unit."""
        dim, mult = _UNITS[unit]
        return cls.scaled(number, mult, dim)

    def equals(self, other: Quantity) -> bool:
        """Same dimension and equal at this quantity's own precision (half a unit of its last digit)."""
        if self.dim != other.dim:
            return False
        diff = abs(self.value - other.value)
        scale = max(abs(self.value), abs(other.value), 1.0)
        return diff <= 1e-9 * scale or diff < 0.5 * self.resolution


# --------------------------------------------------------------------------------------
# Normalization
# --------------------------------------------------------------------------------------

_DASHES = "—–－―‐‑~～〜"
_RANGE_WORD_RE = re.compile(rf"(\d(?:{_UNIT_ALT}|万|亿)?)\s*(?:[{_DASHES}\-]|至|到)\s*(\d)")
_DATE_RE = re.compile(r"(\d{4})\s*[年./-]\s*(\d{1,2})\s*[月./-]\s*(\d{1,2})\s*[日号]?")
_TIME_RE = re.compile(r"(?<![\d.])(\d{1,2})[点时](?:(\d{1,2})分)?(?![\d间])")
_CLOCK_RE = re.compile(r"(?<![\d.])(\d{1,2}):(\d{2})(?!\d)")
_THOUSANDS_RE = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")


def _cn2an(text: str) -> str:
    try:
        import cn2an
    except ImportError:  # pragma: no cover - cn2an is a declared dependency
        return text
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return cn2an.transform(text, "cn2an")
        except Exception:  # cn2an rejects some odd strings; keep them as they are
            return text


# a cell's value is a number or a range of numbers ('2-5'): the unit goes after the whole of it ('2-5处', not '2处-5')
_CELL_VALUE = rf"{_NUM}(?:\s*[{_DASHES}\-至到]\s*{_NUM})?(?![\d.])"
_HEADER_UNIT_RE = re.compile(rf"\(({_UNIT_ALT})\):\s*({_CELL_VALUE})")
_UNIT_COLUMN_RE = re.compile(rf"单位:\s*({_UNIT_ALT})(?=[;；,，|\s]|$)")
_YEAR_VALUE_RE = re.compile(rf"(\d{{4}}年):\s*({_CELL_VALUE})")


def _with_unit(line: str, unit: str) -> str:
    """'2020年:651.35' -> '2020年:651.35万亩' for every year column of a row whose unit column says 万亩."""
    return _YEAR_VALUE_RE.sub(lambda m: f"{m.group(1)}:{m.group(2)}{unit}", line)


def _table_units(s: str) -> str:
    """Give table values their unit: '总金额(万元):190' -> '…:190万元'; '单位:万亩;2020年:651.35' -> '…651.35万亩'."""
    s = _HEADER_UNIT_RE.sub(lambda m: f"({m.group(1)}):{m.group(2)}{m.group(1)}", s)
    lines = []
    for line in s.split("\n"):
        unit = _UNIT_COLUMN_RE.search(line)
        if unit:
            line = _with_unit(line, unit.group(1))
        lines.append(line)
    return "\n".join(lines)


@lru_cache(maxsize=8192)
def normalize(text: str) -> str:
    """Canonical form for substring tests: NFKC, no spaces, Arabic numerals, ISO dates, HH:MM, '-' ranges."""
    s = _table_units(unicodedata.normalize("NFKC", text or ""))
    s = re.sub(r"\s+", "", s).lower()
    s = _cn2an(s)
    s = _THOUSANDS_RE.sub("", s)
    s = _DATE_RE.sub(lambda m: f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}", s)
    s = _CLOCK_RE.sub(lambda m: f"{int(m.group(1)):02d}:{m.group(2)}", s)
    s = _TIME_RE.sub(lambda m: f"{int(m.group(1)):02d}:{int(m.group(2) or 0):02d}", s)
    for _ in range(2):  # overlapping ranges such as 1-2-3
        s = _RANGE_WORD_RE.sub(r"\1-\2", s)
    for ch in _DASHES:
        s = s.replace(ch, "-")
    # 、 and / both separate list items ("县、乡" = "县/乡"); after the date rule so 2025、10 never becomes a date
    return s.replace("、", "/")


# --------------------------------------------------------------------------------------
# Quantities in normalized text
# --------------------------------------------------------------------------------------

_QTY_RE = re.compile(rf"({_NUM})({_UNIT_ALT})")
# "60-100万元", "60万-100万元": the left number borrows the right one's unit.
_RANGE_RE = re.compile(rf"({_NUM})(万|亿)?-({_NUM})({_UNIT_ALT})")
_SINGLE_QTY_RE = re.compile(rf"^(?:约|共|合计|为)?({_NUM})({_UNIT_ALT})$")


def parse_quantities(text: str) -> list[Quantity]:
    """Every number-with-unit in the text, ranges expanded into both ends."""
    s = normalize(text)
    found: list[Quantity] = []
    for m in _RANGE_RE.finditer(s):
        left, scale, _right, unit = m.groups()
        if scale and not unit.startswith(scale):
            left_unit = scale + unit
        elif scale:
            left_unit = unit
        else:
            left_unit = unit
        if left_unit in _UNITS:
            found.append(Quantity.of(left, left_unit))
    for m in _QTY_RE.finditer(s):
        found.append(Quantity.of(m.group(1), m.group(2)))
    return found


def _single_quantity(fact: str) -> Quantity | None:
    m = _SINGLE_QTY_RE.match(normalize(fact))
    return Quantity.of(m.group(1), m.group(2)) if m else None


_SCALES = {"": 1.0, "万": 1e4, "亿": 1e8}
_BARE_FACT_RE = re.compile(rf"^(?:约|共|合计|为)?({_NUM})(万|亿)?$")
_BARE_TEXT_RE = re.compile(rf"(?<![\d.])({_NUM})(万|亿)?")


def _bare_number(fact: str) -> Quantity | None:
    """A fact that is a number with at most a 万/亿 scale and no unit ('66万', '660000')."""
    m = _BARE_FACT_RE.match(normalize(fact))
    if not m:
        return None
    return Quantity.scaled(m.group(1), _SCALES[m.group(2) or ""])


def _bare_numbers(text: str) -> list[Quantity]:
    """Every number in the text with its 万/亿 scale applied, whatever follows it."""
    return [Quantity.scaled(m.group(1), _SCALES[m.group(2) or ""]) for m in _BARE_TEXT_RE.finditer(normalize(text))]


def _contains(text: str, part: str) -> bool:
    """Substring test that does not let '300个' match inside '1300个' or '5%' inside '0.5%'."""
    start = text.find(part)
    while start != -1:
        end = start + len(part)
        before_ok = not (part[0].isdigit() and start > 0 and (text[start - 1].isdigit() or text[start - 1] == "."))
        decimal_after = text[end] == "." and end + 1 < len(text) and text[end + 1].isdigit() if end < len(text) else False
        after_ok = not (part[-1].isdigit() and end < len(text) and (text[end].isdigit() or decimal_after))
        if before_ok and after_ok:
            return True
        start = text.find(part, start + 1)
    return False


def fact_present(fact: str, text: str) -> bool:
    """True when the fact appears in the text, literally after normalization or as an equal quantity.

    A fact may list alternatives separated by '|' ('300个|300以内'): any one of them counts.
    """
    if "|" in fact:
        return any(fact_present(alt, text) for alt in fact.split("|") if alt.strip())
    nf, nt = normalize(fact), normalize(text)
    if not nf:
        return True
    if _contains(nt, nf):
        return True
    q = _single_quantity(fact)
    if q is not None:
        return any(q.equals(other) for other in parse_quantities(text))
    bare = _bare_number(fact)
    if bare is not None:
        return any(bare.equals(other) for other in _bare_numbers(text))
    return False


def result_matches(expected: str, text: str) -> bool:
    """Whether a computed result (e.g. '60万元至100万元', '2025-10-16', '300平方米') is stated in text.

    Quantities in the expected string must all appear (at the expected precision); anything
    else must appear literally after normalization.
    """
    ne = normalize(expected)
    if ne and _contains(normalize(text), ne):
        return True
    wanted = parse_quantities(expected)
    if not wanted:
        return False
    rest = _QTY_RE.sub("", _RANGE_RE.sub("", ne)).replace("-", "")
    if rest and rest not in {"约", "至", "到", "和", "共", "合计"}:
        # non-quantity words (a date, an authority) must match literally, which failed above
        return False
    have = parse_quantities(text)
    return all(any(w.equals(h) for h in have) for w in wanted)
