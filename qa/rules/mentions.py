"""What a question mentions, as written: numbers (Arabic and Chinese, 万), areas, money, dates and durations, and its pieces a text prints."""
from __future__ import annotations

import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from fractions import Fraction

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    import cn2an

from qa.normalize import year_digits
from qa.rules.dates import holiday_days, next_workday

# ------------------------------------------------------------------ numbers

_FULLWIDTH = str.maketrans("０１２３４５６７８９．，／－：％", "0123456789.,/-:%")  # （） stay: the texts and the rules write 乡（镇）, 县（市）
CN_DIGITS = "零〇一二两三四五六七八九十百千万亿"
# '1万5', '2万5千', '3千5', '1万2500': a count of 万 or 千 said on with the next places, the spoken way (a lone digit
# after it is the next place: 1万5 = 15000); a digit then 月/日/号/年 starts a date, not the tail of the amount
_SPOKEN_TAIL = r"(?:\d[千百]|\d{4}(?=[^\d.])|\d{4}$|\d)(?![\d.月日号年])"
ARABIC_NUM = rf"\d+(?:万{_SPOKEN_TAIL}|千(?:\d百|\d{{3}}(?=[^\d.])|\d{{3}}$|\d)(?![\d.月日号年])|(?:\.\d+)?(?:\s*[千万亿])?)"
CN_NUM = r"[零〇一二两三四五六七八九十][零〇一二两三四五六七八九十百千万亿点]*"
NUM = rf"(?:{ARABIC_NUM}|{CN_NUM})"
_MULTIPLIER = {"千": 1000, "万": 10000, "亿": 100000000}

# area units: (pattern, canonical unit); longest first so 平方公里 wins over 平方米, km2 over m2
AREA_UNITS: list[tuple[str, str]] = [
    ("平方公里", "平方公里"), ("平方千米", "平方公里"), ("km²", "平方公里"), ("km2", "平方公里"),
    ("平方米", "平方米"), ("平米", "平方米"), ("㎡", "平方米"), ("m²", "平方米"), ("m2", "平方米"),
    ("公顷", "公顷"), ("亩", "亩"), ("分地", "分地"),  # '三分地' = 0.3亩, as farmers say it
    ("平", "平方米"),  # '300平' as staff say it; not '平原', '平均', '平衡' (see extract_areas)
]
SQM_PER: dict[str, Fraction] = {
    "平方米": Fraction(1),
    "亩": Fraction(10000, 15),
    "分地": Fraction(10000, 150),
    "公顷": Fraction(10000),
    "平方公里": Fraction(1000000),
}
_AREA_ALT = "|".join(re.escape(p) for p, _ in AREA_UNITS)
_AREA_CANON = dict(AREA_UNITS)


_DIGIT_VALUE = {d: i for i, d in enumerate("一二三四五六七八九", start=1)} | {"两": 2}
# two neighbouring digits said together are an approximate number, 'three or four': '三四亩', '两三百平米', '十七八亩'
_APPROXIMATE = re.compile(r"(十?)([一二两三四五六七八九])([二三四五六七八九])([十百千万]?)")


def parse_number(token: str) -> Fraction | None:
    """'2000' -> 2000, '1.2万' -> 12000, '两千' -> 2000, '一万二' -> 12000, '零点零四' -> 0.04."""
    token = re.sub(r"\s+", "", token)
    if not token:
        return None
    spoken = re.fullmatch(r"(\d+)([万千])(\d+)([千百]?)", token)
    if spoken:
        return _spoken_arabic(int(spoken.group(1)), spoken.group(2), spoken.group(3), spoken.group(4))
    arabic = re.fullmatch(r"(\d+(?:\.\d+)?)([千万亿]?)", token)
    if arabic:
        try:
            value = Fraction(Decimal(arabic.group(1)))
        except InvalidOperation:
            return None
        return value * _MULTIPLIER.get(arabic.group(2), 1)
    if (approximate := _APPROXIMATE.fullmatch(token)) and _approximate_ends(approximate):
        return None  # '三四' is three or four (read as a range by extract_areas), never 34
    # 两 is a numeral here; cn2an's strict mode rejects 两百, so normalise 两 -> 二 and 〇 -> 零
    cn = token.replace("两", "二").replace("〇", "零")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            value = cn2an.cn2an(cn, "normal")
    except (ValueError, KeyError, IndexError):
        return None
    return Fraction(Decimal(str(value)))


def _spoken_arabic(count: int, unit: str, tail: str, tail_unit: str) -> Fraction | None:
    """'1万5' -> 15000, '2万5千' -> 25000, '3千5' -> 3500, '1万2500' -> 12500: the places after a count of 万 or 千. A
    lone digit is the next place down, a tail with its own unit is in it, a tail of as many digits as the places
    below is written out; any other tail is no number."""
    places = 4 if unit == "万" else 3
    value = Fraction(count * _MULTIPLIER[unit])
    if tail_unit:
        return value + int(tail) * (1000 if tail_unit == "千" else 100) if int(tail) < 10 else None
    if len(tail) == 1:
        return value + int(tail) * _MULTIPLIER[unit] // 10
    return value + int(tail) if len(tail) == places else None


# ------------------------------------------------------------------ references to parts of a text

_REF_NUM = r"[\d零〇一二两三四五六七八九十百千]+"
# a reference to a part of a text: 表1, 附件1, 附表2, 专栏9, 图2 (not 代表, 报表, 地图), 第27项, 第四十三条, 第（二）项,
# 第2行, 序号27, （十一）. Its numbers number the part; they are never a quantity of the case
PART_REFERENCE = re.compile(
    rf"(?:附件|附表|附图|专栏|(?<![代发报填列公])表|(?<![地蓝草意试])图)\s*{_REF_NUM}"
    rf"|第\s*[（(]?\s*{_REF_NUM}\s*[）)]?\s*(?:条|款|项|目|章|节|篇|部分|行|列|栏|页|号|点)"
    rf"|序号\s*{_REF_NUM}"
    r"|[（(]\s*[一二三四五六七八九十]+\s*[）)]"
)
_NUMERAL = re.compile(r"[\d零〇一二两三四五六七八九十百千.]")
BLANK = "＃"  # stands for a numeral of a reference in the text quantities are read from


def without_references(text: str) -> str:
    """`text` with the numerals of its references to parts of a text blanked ('附件1第27项' -> '附件＃第＃＃项'), so that no
    reader of quantities takes them for one; same length, so every position still points at the same words."""
    return PART_REFERENCE.sub(lambda m: _NUMERAL.sub(BLANK, m.group(0)), text)


# ------------------------------------------------------------------ normalisation

def _cn_small(token: str) -> str:
    value = parse_number(token)
    return str(int(value)) if value is not None and value.denominator == 1 else token


def _normalize_cn_dates(text: str) -> str:
    """二〇二五年三月一日 -> 2025年3月1日 (only inside date patterns)."""
    text = year_digits(text)
    cn_md = "[一二三四五六七八九十]{1,3}"
    text = re.sub(
        rf"(?<![{CN_DIGITS}])({cn_md})月({cn_md})(?=[日号])",
        lambda m: f"{_cn_small(m.group(1))}月{_cn_small(m.group(2))}",
        text,
    )
    text = re.sub(rf"(?<=年)({cn_md})(?=月)", lambda m: _cn_small(m.group(1)), text)
    return text


def normalize(text: str) -> str:
    """Full-width digits and punctuation to ASCII, thousands separators removed, Chinese date numerals to digits."""
    text = text.translate(_FULLWIDTH).replace("\u3000", " ")
    text = re.sub(r"(?<=\d),(?=\d{3}(?!\d))", "", text)
    return _normalize_cn_dates(text)


# ------------------------------------------------------------------ words a text prints

def printed_pieces(text: str, haystack: str, chars: str, says_more: Callable[[str], bool],
                   inside: Callable[[int], bool] = lambda i: False) -> list[tuple[int, str]]:
    """Maximal pieces of `text` (3+ characters, all matching the character class `chars`) printed in `haystack`, left
    to right, with where each starts: the longest piece from each place is taken whole and kept when it `says_more`
    than generic words; a piece starting `inside` a word that must be read whole is passed over by one character."""
    found: list[tuple[int, str]] = []
    i = 0
    while i < len(text):
        best = ""
        for j in range(len(text), i + 2, -1):
            piece = text[i:j]
            if re.fullmatch(chars, piece) and piece in haystack:
                best = piece
                break
        if best and inside(i):
            i += 1
            continue
        if best:
            if says_more(best):
                found.append((i, best))
            i += len(best)
        else:
            i += 1
    return found


# ------------------------------------------------------------------ areas and money

@dataclass(frozen=True)
class Figure:
    """A number with its unit as a text writes it: the value in that unit (万 already applied), the words, where they stand."""

    value: Fraction
    unit: str
    raw: str
    start: int
    end: int


@dataclass(frozen=True)
class Quantity(Figure):
    """An area as stated, and its exact square metres; an approximate one ('4到5亩', '三四亩') has its low end in
    `low` (in its unit) and its high end in `value`."""

    low: Fraction | None = None

    @property
    def sqm(self) -> Fraction:
        return self.value * SQM_PER[self.unit]

    @property
    def low_sqm(self) -> Fraction:
        """The square metres at the low end: the area itself when it is no range."""
        return (self.value if self.low is None else self.low) * SQM_PER[self.unit]

    def to(self, unit: str) -> Fraction:
        return self.sqm / SQM_PER[unit]

    def ends(self) -> list[Quantity]:
        """Its two ends as areas of their own when it is a range, else itself."""
        if self.low is None:
            return [self]
        return [Quantity(x, self.unit, f"{_plain(x)}{self.unit}", self.start, self.end) for x in (self.low, self.value)]


def _plain(x: Fraction) -> str:
    return str(x.numerator) if x.denominator == 1 else str(Decimal(x.numerator) / Decimal(x.denominator))


def as_range(text: str, low: Quantity, high: Quantity) -> Quantity | None:
    """'4到5亩', '4-5亩', '三四亩', '3亩至5亩': two figures of one unit joined by a mark of range (or said together) are
    one approximate area, the plot's extent not known closer; None when they are not ('从3亩扩大到5亩' is a change)."""
    gap = text[low.end: high.start].strip()
    joined = gap in RANGE_MARKS or (not gap and low.end == high.start and not low.raw.endswith(tuple(_AREA_CANON)))
    if not joined or low.unit != high.unit or low.value >= high.value or re.search(r"[从由]\s*$", text[max(0, low.start - 2): low.start]):
        return None
    return Quantity(high.value, high.unit, text[low.start: high.end], low.start, high.end, low=low.value)


@dataclass(frozen=True)
class Money:
    """An amount in 元; `per` is set for a rate ('每平方米20元' -> per='平方米')."""

    yuan: Fraction
    per: str | None
    raw: str
    start: int
    end: int


# areas said the farmers' way: '一亩半', '2公顷半' (and a half), '半亩', '1亩2分' (1.2亩)
_AND_A_HALF = re.compile(rf"({NUM})\s*(?:个)?\s*(亩|公顷)\s*半")
_HALF = re.compile(r"(?<![\d零〇一二两三四五六七八九十百千万点.])半\s*(亩|公顷)")
_MU_AND_FEN = re.compile(rf"({NUM})\s*亩\s*([\d一二两三四五六七八九])\s*分(?:地)?")
# '三百来平米' (about 300), '两千多平米', '300余亩' (more than): a round number with a word of estimate before its unit
_AREA = re.compile(rf"({NUM})\s*(?:(?<=[0十百千万])(多|来|余))?\s*(?:个)?\s*({_AREA_ALT})(?![a-zA-Z])(?<!平(?=[方米均原台衡整坦等行价时安稳]))")
ROUGHLY = {"多": "above", "余": "above", "来": "about"}
_ROUGH_AREA = re.compile(rf"^{NUM}\s*(多|来|余)")


def said_roughly(raw: str) -> str | None:
    """"above" for an area said as more than a round number ('两千多平米', '300余亩'), "about" for one said as about it
    ('三百来平米'), read inside the words of the area; None for any other."""
    m = _ROUGH_AREA.match(raw.strip())
    return ROUGHLY[m.group(1)] if m else None


# '100到150公顷', '30~130公顷': the first figure of a range is in the unit written after the second
RANGE_MARKS = ("到", "至", "~", "～", "-", "－", "—")
_RANGE_START = re.compile(rf"({NUM})\s*(?:{'|'.join(RANGE_MARKS)})\s*(?={NUM}\s*(?:{_AREA_ALT}))")
_APPROXIMATE_AREA = re.compile(rf"{_APPROXIMATE.pattern}\s*(?:个)?\s*({_AREA_ALT})(?![a-zA-Z])(?<!平(?=[方米均原台衡整坦等行价时安稳]))")


def _approximate_ends(m: re.Match[str]) -> tuple[Fraction, Fraction] | None:
    """'三四' -> (3, 4), '十七八' -> (17, 18), '两三百' -> (200, 300): the two ends of an approximate number, when
    its digits follow each other."""
    ten, a, b, mult = m.group(1), _DIGIT_VALUE[m.group(2)], _DIGIT_VALUE[m.group(3)], m.group(4)
    if b != a + 1 or (ten and mult):
        return None
    scale = _MULTIPLIER.get(mult, 10 if mult == "十" else 100 if mult == "百" else 1)
    base = 10 if ten else 0
    return Fraction(base + a) * scale, Fraction(base + b) * scale


def extract_areas(text: str) -> list[Quantity]:
    """Every number followed by an area unit: '2000平方米', '两千平米', '3亩', '1.2万平方米', '五十公顷'; '一亩半',
    '半亩' and '1亩2分' as one area each; '三百来平米' and '两千多平米' as the round number (said_roughly tells how);
    the first figure of a range ('100到150公顷') in the unit after the second."""
    out: list[Quantity] = []

    def free(start: int, end: int) -> bool:
        return all(end <= q.start or start >= q.end for q in out)

    for m in _APPROXIMATE_AREA.finditer(text):
        # '三四亩' is a range, its two ends read as '3到4亩' is: the low end a figure of its own in the unit after the high end
        ends = _approximate_ends(m)
        if ends is not None and not (m.start() > 0 and text[m.start() - 1] in CN_DIGITS):
            unit, low_end = _AREA_CANON[m.group(5)], m.start(3)
            out.append(Quantity(value=ends[0], unit=unit, raw=text[m.start(): low_end], start=m.start(), end=low_end))
            out.append(Quantity(value=ends[1], unit=unit, raw=text[low_end: m.end()], start=low_end, end=m.end()))
    for m in _AND_A_HALF.finditer(text):
        whole = parse_number(m.group(1))
        if whole is not None and free(m.start(), m.end()):
            out.append(Quantity(value=whole + Fraction(1, 2), unit=m.group(2), raw=m.group(0), start=m.start(), end=m.end()))
    for m in _HALF.finditer(text):
        if free(m.start(), m.end()):
            out.append(Quantity(value=Fraction(1, 2), unit=m.group(1), raw=m.group(0), start=m.start(), end=m.end()))
    for m in _MU_AND_FEN.finditer(text):
        whole, tenths = parse_number(m.group(1)), parse_number(m.group(2))
        if whole is not None and tenths is not None and free(m.start(), m.end()):
            out.append(Quantity(value=whole + tenths / 10, unit="亩", raw=m.group(0), start=m.start(), end=m.end()))
    for m in _AREA.finditer(text):
        value = parse_number(m.group(1))
        if value is None or not free(m.start(), m.end()):
            continue
        out.append(Quantity(value=value, unit=_AREA_CANON[m.group(3)], raw=m.group(0), start=m.start(), end=m.end()))
    for m in _RANGE_START.finditer(text):
        value = parse_number(m.group(1))
        after = next((q for q in out if q.start >= m.end()), None)
        if value is not None and after is not None and after.start == m.end() and free(m.start(1), m.end(1)):
            out.append(Quantity(value=value, unit=after.unit, raw=m.group(1), start=m.start(1), end=m.end(1)))
    return sorted(out, key=lambda q: q.start)


# units a figure of the question is counted in besides areas: money, mass, length, share, and the counters
OTHER_UNITS = ("亿元", "万元", "元", "亿吨", "万吨", "吨", "公里", "千米", "米", "%", "个", "座", "家", "处", "户", "人", "名", "项", "宗", "条",
               "眼", "所")
_UNIT_ALT = "|".join(sorted((*(re.escape(p) for p, _ in AREA_UNITS), *(re.escape(u) for u in OTHER_UNITS)), key=len, reverse=True))
# '100平方米/万元' is one figure in a compound unit; '两个项目' counts in 个 (项 before 目 is the word 项目); '平原' is no area
_FIGURE = re.compile(rf"(?<![\d.])({NUM})\s*({_UNIT_ALT})(?:\s*/\s*({_UNIT_ALT}))?(?![a-zA-Z])(?<!项(?=目))(?<!平(?=[方米均原台衡整坦等行价时安稳]))")


def extract_figures(text: str) -> list[Figure]:
    """Every number with a known unit ('3亩', '25座', '100平方米/万元', '60%', '1.2万元'), areas in their canonical unit;
    a number with no unit ('表1' blanked or not, '2020年') is no figure. Read from a text without its references
    (without_references)."""
    out: list[Figure] = []
    for m in _FIGURE.finditer(text):
        value = parse_number(m.group(1))
        if value is None:
            continue
        unit = "/".join(_AREA_CANON.get(u, u) for u in (m.group(2), m.group(3)) if u)
        out.append(Figure(value=value, unit=unit, raw=m.group(0), start=m.start(), end=m.end()))
    return out


_PER_BEFORE = re.compile(r"每\s*(平方米|平米|亩|公顷)\s*$")
_PER_AFTER = re.compile(r"^\s*(?:/|每|一)\s*(平方米|平米|亩|公顷)")


_MONEY_BEFORE = re.compile(r"费|款|价|罚|资金|投资|金额")
_BARE_KUAI_MONEY = re.compile(r"费|款|价|罚|金|钱|交|付|赔|补|花|给|收|卖|租|每")


def extract_money(text: str) -> list[Money]:
    """Amounts in 元/万元/亿元; a rate per 平方米/亩/公顷 keeps its unit in `per`."""
    out: list[Money] = []
    # a bare 块 counts plots where land or a verb of it follows ("两块都占了", "三块地"), yuan elsewhere ("罚2000块")
    for m in re.finditer(rf"({NUM})\s*(亿元|万元|元|块钱|块(?![地田都也耕农林草宅]))", text):
        value = parse_number(m.group(1))
        if value is None:
            continue
        unit = m.group(2)
        if unit == "块" and value < 10 and not _BARE_KUAI_MONEY.search(text[max(0, m.start() - 6): m.start()]):
            continue  # '破坏了一块': a small count of 块 with no word of money before it counts plots
        yuan = value * (100000000 if unit == "亿元" else 10000 if unit == "万元" else 1)
        out.append(Money(yuan=yuan, per=_per(text, m.start(), m.end()), raw=m.group(0), start=m.start(), end=m.end()))
    # "开垦费每亩4万", "每亩一万五", "三千五": after a word for money, a count of 万 or 千 with no unit of its own is in 元;
    # the number is taken whole (atomic), so '一万五平米' is an area, never 一万 followed by something else
    for m in re.finditer(rf"((?>{NUM}))(?![\d元亩公顷平方米人户个项处宗座家条块多来余])", text):
        if not re.search("[万千]", m.group(1)) or any(o.start <= m.start() < o.end for o in out):
            continue
        if not _MONEY_BEFORE.search(text[max(0, m.start() - 8): m.start()]):
            continue
        value = parse_number(m.group(1))
        if value is None:
            continue
        out.append(Money(yuan=value, per=_per(text, m.start(), None), raw=m.group(0), start=m.start(), end=m.end()))
    return sorted(out, key=lambda money: money.start)


def _per(text: str, start: int, end: int | None) -> str | None:
    """The unit an amount is a rate per ("每平方米…元", "…元/亩"), read before it, else after it when `end` is given."""
    before = _PER_BEFORE.search(text[max(0, start - 6): start])
    after = _PER_AFTER.match(text[end: end + 6]) if end is not None else None
    per = before.group(1) if before else after.group(1) if after else None
    return "平方米" if per == "平米" else per


# ------------------------------------------------------------------ dates and durations

@dataclass(frozen=True)
class DateMention:
    value: date | None
    raw: str
    start: int
    end: int
    year_assumed: bool = False
    error: str | None = None
    year_from: str | None = None  # the words the year was taken from when the date has none ('2025年3月1日')
    read_as: str | None = None  # how a date said against today was counted ('下周一' from the today the question states)


_DATE_FULL = re.compile(r"(?<!\d)(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?")
_DATE_SEP = re.compile(r"(?<![\d.])(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?![\d])")
_DATE_SHORT_YEAR = re.compile(r"(?<![\d.])(\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]")
_DATE_NO_YEAR = re.compile(r"(?<![\d年.])(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]")
_DATE_REL_YEAR = re.compile(r"(今年|去年|前年|明年)\s*的?\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?")
_DATE_REL_MONTH = re.compile(r"(上个?月|这个?月|本月|下个?月)\s*的?\s*(\d{1,2})\s*[日号]")
YEAR_OFFSETS = {"前年": -2, "去年": -1, "今年": 0, "明年": 1}
MONTH_OFFSETS = {"上月": -1, "这月": 0, "本月": 0, "下月": 1}
_DATE_NO_DAY = re.compile(r"(?<!\d)(\d{4})\s*年\s*(\d{1,2})\s*月(?!\s*\d)")
# a day said against today: '明天', '后天', '下周一', '这个星期五', '下下礼拜三'
DAY_OFFSETS = {"大前天": -3, "前天": -2, "昨天": -1, "昨日": -1, "明天": 1, "明日": 1, "后天": 2, "大后天": 3}
WEEK_OFFSETS = {"上": -1, "这": 0, "本": 0, "下": 1, "下下": 2}
WEEKDAYS = "一二三四五六日天"
_DATE_REL_DAY = re.compile(r"(?<![之以提落先说表证])(大前天|前天|昨天|昨日|大后天|后天|明天|明日)")
_DATE_REL_WEEK = re.compile(rf"(下下|上|这|本|下)\s*个?\s*(?:周|星期|礼拜)\s*([{WEEKDAYS}])")


def _make_date(y: int, m: int, d: int, raw: str, start: int, end: int, assumed: bool = False) -> DateMention:
    try:
        return DateMention(value=date(y, m, d), raw=raw, start=start, end=end, year_assumed=assumed)
    except ValueError:
        return DateMention(value=None, raw=raw, start=start, end=end, year_assumed=assumed, error=f"「{raw}」不是有效日期")


_HOLIDAY = r"元旦|春节|清明节?|劳动节|五一|端午节?|中秋节?|国庆节?"
# a year before a holiday's name is the holiday's ("2026年春节前最后一个工作日"), not a year asked about
_STANDALONE_YEAR = re.compile(rf"(?<![\d.\-/])((?:19|20)\d{{2}})\s*年(?!\s*\d{{1,2}}\s*月)(?!\s*的?\s*(?:{_HOLIDAY}))")
# "国庆后第一个工作日", "2026年春节前最后一个工作日": a working day next to a holiday's days off
_DATE_HOLIDAY = re.compile(
    rf"(?:(\d{{4}})\s*年|(今年|去年|前年|明年))?\s*的?\s*({_HOLIDAY})(?:假期|长假|节)?\s*"
    r"(前|之前|以前|放假前|后|之后|以后|过后|收假后|结束后)\s*的?\s*(最后一个|第一个|头一个)\s*工作日"
)
HOLIDAY_ALIASES = {"五一": "劳动节", "清明": "清明节", "端午": "端午节", "中秋": "中秋节", "国庆": "国庆节"}


def standalone_years(text: str) -> list[int]:
    """Years named on their own ('（2025年）', '2025年度'), not as part of a full date."""
    return list(dict.fromkeys(int(y) for y in _STANDALONE_YEAR.findall(text)))


def _holiday_date(m: re.Match[str], named: list[int], today: date) -> DateMention:
    """The working day a holiday phrase names, by the official calendar (the holiday's days off with the weekends
    joined to them); the year is the one said, else the question's one year, else this year (assumed)."""
    said, relative = m.group(1), m.group(2)
    year = int(said) if said else today.year + YEAR_OFFSETS[relative] if relative else named[0] if len(named) == 1 else today.year
    name = HOLIDAY_ALIASES.get(m.group(3), m.group(3))
    days = holiday_days(year, name)
    assumed = not (said or relative or len(named) == 1)
    if days is None:
        return DateMention(value=None, raw=m.group(0), start=m.start(), end=m.end(), year_assumed=assumed,
                           error=f"「{m.group(0)}」：节假日安排只查得到{year}年以外的年份")
    after = not m.group(4).endswith(("前", "以前", "之前"))
    value = next_workday(days[1], 1) if after else next_workday(days[0], -1)
    return DateMention(value=value, raw=m.group(0), start=m.start(), end=m.end(), year_assumed=assumed,
                       error=None if value else f"「{m.group(0)}」超出节假日安排所知的年份")


def _stated_today(text: str, found: list[DateMention], today_words: tuple[str, ...]) -> DateMention | None:
    """The full date the question says is today ('今天是2026年3月12号', '现在是2025-4-1')."""
    for d in found:
        before = text[max(0, d.start - 6): d.start].rstrip(" ：:，,是为")
        if d.value is not None and today_words and before.endswith(today_words):
            return d
    return None


def _relative_days(text: str, stated: DateMention | None, free: Callable[[int, int], bool]) -> list[DateMention]:
    """'明天', '后天', '下周一', '本周五': counted from the today the question states; without one the day is not known
    (the system clock is no fact of the case), and the mention says so."""
    out: list[DateMention] = []
    for m in [*_DATE_REL_DAY.finditer(text), *_DATE_REL_WEEK.finditer(text)]:
        if not free(m.start(), m.end()):
            continue
        if stated is None or stated.value is None:
            out.append(DateMention(value=None, raw=m.group(0), start=m.start(), end=m.end(),
                                   error=f"「{m.group(0)}」：问题没有说明今天是哪一天，无法确定具体日期"))
            continue
        now = stated.value
        if m.re is _DATE_REL_DAY:
            value = now + timedelta(days=DAY_OFFSETS[m.group(1)])
        else:
            monday = now - timedelta(days=now.weekday())
            value = monday + timedelta(days=7 * WEEK_OFFSETS[m.group(1)] + min(WEEKDAYS.index(m.group(2)), 6))
        out.append(DateMention(value=value, raw=m.group(0), start=m.start(), end=m.end(), read_as=f"按问题所说的今天（{stated.raw.strip()}）推算"))
    return out


def extract_dates(text: str, today: date | None = None, today_words: tuple[str, ...] = ()) -> list[DateMention]:
    """'2025年3月1日', '2025-3-1', '2025/03/01', '2025.3.1'; '3月1日' takes the one year the question names
    on its own ('3月1号（2025年）'), else the one year of the question's full dates when it falls after the
    full date before it ('2025年3月1日公告…4月10日作出决定'), else today's year (year_assumed). A date said against
    today ('下周一', '明天', '下个月5号', '今年3月3号') is counted from the full date the question says is today (after one
    of `today_words`); '明天' and '下周一' only from it."""
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    named = standalone_years(text)

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in taken)

    for m in _DATE_FULL.finditer(text):
        found.append(_make_date(int(m.group(1)), int(m.group(2)), int(m.group(3)), m.group(0), m.start(), m.end()))
        taken.append((m.start(), m.end()))
    for m in _DATE_SEP.finditer(text):
        if free(m.start(), m.end()):
            found.append(_make_date(int(m.group(1)), int(m.group(3)), int(m.group(4)), m.group(0), m.start(), m.end()))
            taken.append((m.start(), m.end()))
    for m in _DATE_SHORT_YEAR.finditer(text):
        if free(m.start(), m.end()):  # '25年1月24号' = 2025
            found.append(_make_date(2000 + int(m.group(1)), int(m.group(2)), int(m.group(3)), m.group(0), m.start(), m.end()))
            taken.append((m.start(), m.end()))
    # a date said against today ("今年3月3号", "去年10月9日", "上个月15号"): the today the question states, if it states one
    stated = _stated_today(text, found, today_words)
    now = stated.value if stated is not None and stated.value is not None else today or date.today()
    read_as = f"按问题所说的今天（{stated.raw.strip()}）推算" if stated is not None else None
    for m in _DATE_REL_YEAR.finditer(text):
        if free(m.start(), m.end()):
            # "今年3月10号生效了（2025年）": the one year the question names is the 今年 it speaks in
            year = named[0] if m.group(1) == "今年" and stated is None and len(named) == 1 else now.year + YEAR_OFFSETS[m.group(1)]
            said = _make_date(year, int(m.group(2)), int(m.group(3)), m.group(0), m.start(), m.end())
            found.append(replace(said, read_as=read_as))
            taken.append((m.start(), m.end()))
    for m in _DATE_REL_MONTH.finditer(text):
        if free(m.start(), m.end()):
            months = now.year * 12 + now.month - 1 + MONTH_OFFSETS[m.group(1).replace("个", "")]
            said = _make_date(months // 12, months % 12 + 1, int(m.group(2)), m.group(0), m.start(), m.end())
            found.append(replace(said, read_as=read_as))
            taken.append((m.start(), m.end()))
    for mention in _relative_days(text, stated, free):
        found.append(mention)
        taken.append((mention.start, mention.end))
    full = [d for d in found if d.value is not None]
    for m in _DATE_HOLIDAY.finditer(text):
        if free(m.start(), m.end()):
            found.append(_holiday_date(m, named, now))
            taken.append((m.start(), m.end()))
    for m in _DATE_NO_YEAR.finditer(text):
        if not free(m.start(), m.end()):
            continue
        month, day = int(m.group(1)), int(m.group(2))
        earlier = [d for d in full if d.start < m.start()]
        later = [d for d in full if d.start > m.start()]
        one_year = len({d.value.year for d in full if d.value}) == 1
        ref = None
        if one_year and earlier and _follows(earlier[-1].value, month, day):
            ref = earlier[-1]
        elif one_year and not earlier and later and _precedes(later[0].value, month, day):
            ref = later[0]  # '现在是2025年4月1日，决定3月1日收到的': the same year, before the day things stand on
        elif stated is not None and stated.start < m.start() and _precedes(stated.value, month, day):
            ref = stated  # '今天是2025年9月20号。…我是8月25号收到通知的': told after the day things stand on, before it
        if len(named) == 1:
            found.append(_make_date(named[0], month, day, m.group(0), m.start(), m.end()))
        elif ref is not None:
            assert ref.value is not None
            mention = _make_date(ref.value.year, month, day, m.group(0), m.start(), m.end())
            found.append(DateMention(mention.value, mention.raw, mention.start, mention.end, False, mention.error, ref.raw))
        else:
            year = (today or date.today()).year
            found.append(_make_date(year, month, day, m.group(0), m.start(), m.end(), assumed=True))
        taken.append((m.start(), m.end()))
    for m in _DATE_NO_DAY.finditer(text):
        if free(m.start(), m.end()):
            found.append(DateMention(value=None, raw=m.group(0), start=m.start(), end=m.end(), error=f"「{m.group(0)}」缺少具体日"))
            taken.append((m.start(), m.end()))
    return sorted(found, key=lambda d: d.start)


def _precedes(ref: date | None, month: int, day: int) -> bool:
    """Does month/day in ref's year fall on or before ref?"""
    return ref is not None and (month, day) <= (ref.month, ref.day)


def _follows(ref: date | None, month: int, day: int) -> bool:
    """Does month/day in ref's year fall on or after ref (so the year is not in doubt)?"""
    return ref is not None and (month, day) >= (ref.month, ref.day)


@dataclass(frozen=True)
class Duration:
    count: int
    unit: str  # 日 / 工作日 / 月 / 年
    raw: str
    start: int


def extract_durations(text: str, dates: list[DateMention]) -> list[Duration]:
    """'十个工作日', '30日', '三个月', '二年' (outside the date mentions)."""
    masked = list(text)
    for d in dates:
        for i in range(d.start, d.end):
            masked[i] = "＿"
    plain = "".join(masked)
    out: list[Duration] = []
    for m in re.finditer(rf"({NUM})\s*(?:个)?\s*(工作日|自然日|日|天|个月|月|周年|年)", plain):
        value = parse_number(m.group(1))
        if value is None or value.denominator != 1 or value <= 0:
            continue
        if m.group(2) in ("年", "周年") and (value >= 1000 or re.fullmatch(r"\d{4}", m.group(1).strip())):
            continue  # '2025年' names a year, it is not a period
        unit = {"天": "日", "自然日": "日", "个月": "月", "周年": "年"}.get(m.group(2), m.group(2))
        if unit == "月" and "个" not in m.group(0) and re.match(r"\d", m.group(1)):
            continue  # '3月' is a month name, not a duration
        out.append(Duration(count=int(value), unit=unit, raw=m.group(0), start=m.start()))
    return out
