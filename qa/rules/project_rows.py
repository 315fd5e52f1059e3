"""Which rows of the Kashgar project list (附件1) a question names, and the figures and counts written in their cells."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache

from qa.places import xinjiang_levels
from qa.rules.extract import Question
from qa.rules.mentions import printed_pieces
from qa.rules.model import fmt

MULTI_COUNTY = ("十二县市", "12县市", "十县市", "各县市")


@lru_cache(maxsize=1)
def kashgar_counties() -> tuple[str, ...]:
    """The counties of 喀什地区 (the place lexicon)."""
    return xinjiang_levels().kashgar_counties


def county_short(county: str) -> str:
    """'巴楚县' -> '巴楚', '塔什库尔干县' -> '塔什库尔干', '喀什市' -> '喀什市'."""
    return county[:-1] if county.endswith("县") else county


def county_of(row_cells: dict[str, str]) -> str:
    """The county a project belongs to, by its 项目单位 (the bureau that carries it out)."""
    unit = row_cells.get("项目单位", "")
    for county in kashgar_counties():
        if unit.startswith(county_short(county)):
            return county
    if unit.startswith(MULTI_COUNTY) or unit.startswith("各县"):
        return "多县市（未分县）"
    if unit.startswith("喀什地区"):
        return "喀什地区本级" if "县市" not in unit else "喀什地区及各县市"
    if unit.startswith("喀什经济开发区"):
        return "喀什经济开发区"
    return unit or "未注明"


def named_county(name: str) -> str | None:
    for county in kashgar_counties():
        if county_short(county) in name:
            return county
    if "喀什地区" in name:
        return "喀什地区"
    return None


# words too general to pick projects by ('治理项目', '修复工程'); county names are filters of their own
GENERIC_PROJECT_WORDS = (
    "项目", "工程", "治理", "修复", "生态", "保护", "综合", "整治", "建设", "规划", "编制", "地区", "县市", "投资", "资金",
    "合计", "金额", "十四五", "自然资源", "清单", "附件", "喀什", "喀什市", "一共", "加起来", "多少", "那个", "那几个", "用地", "土地",
)
PROJECT_ALIASES = {"地灾": "地质灾害", "增减挂钩": "增减挂钩"}
ASK_PHRASES = re.compile(r"多大比[例重](?!尺)|多大(?!比例尺)|多少|几[个项处座]|占比|比重|一共|加起来|总共|合计|各县市|各县|每个县|分县市|分县|按县")


def _residual(word: str) -> str:
    rest = word
    for county in kashgar_counties():
        rest = rest.replace(county, "").replace(county_short(county), "")
    for generic in sorted(GENERIC_PROJECT_WORDS, key=len, reverse=True):
        rest = rest.replace(generic, "")
    return re.sub(r"[^\u4e00-\u9fa5A-Za-z0-9]", "", rest)


@lru_cache(maxsize=1)
def _whole_words() -> tuple[str, ...]:
    """Words a naming piece must not start inside of: county names, long and short, and 县市."""
    counties = kashgar_counties()
    return (*counties, *(county_short(c) for c in counties), "县市")


def _starts(text: str, word: str) -> list[int]:
    return [m.start() for m in re.finditer(re.escape(word), text)]


@dataclass(frozen=True)
class Span:
    """A naming word of the question and where it stands in the question as read for names."""

    text: str
    start: int
    end: int


def _for_names(text: str) -> str:
    """The question as read for project names: colloquial short forms spelled out, asking phrases cut out
    ('多大比例' asks a share; its '大比例' is not the 大比例尺 project). Kept to the question's length per phrase."""
    for short_form, long_form in PROJECT_ALIASES.items():
        text = text.replace(short_form, long_form)
    return ASK_PHRASES.sub("｜", text)


def keyword_spans(text: str, haystacks: list[str]) -> list[Span]:
    """Maximal pieces of `text` (3+ characters) printed in some haystack that say more than a county or a generic word;
    a county name or generic phrase is read whole ('英吉沙县' is not '吉沙县', '县市乡镇…' is not '市乡镇…')."""
    return [Span(piece, i, i + len(piece)) for i, piece in printed_pieces(
        text, "\n".join(haystacks), r"[\u4e00-\u9fa5A-Za-z0-9（）]+", lambda piece: len(_residual(piece)) >= 2,
        inside=lambda i: any(p < i < p + len(w) for w in _whole_words() for p in _starts(text, w)),
    )]


def project_keywords(text: str, haystacks: list[str]) -> list[str]:
    """Maximal pieces of the question (3+ characters) printed in some project's name, category or description,
    that say more than a county or a generic word: '克孜河', '废弃砂石矿', '历史遗留废弃矿山'."""
    return [s.text for s in keyword_spans(_for_names(text), haystacks)]


# words joining alternatives ('A和B两个项目', 'A比B', a bracketed other name: '退化草地（灌草地）'); an enumeration in
# brackets lists segments of one family ('（伽师段、疏勒段、巴楚段）')
CONJUNCTION = re.compile(r"以及|还有|加上|和|与|及|跟|或|比|、|[（(]")
ENUMERATION = re.compile(r"[（(]([^（）()]+)[）)]")
_ITEM_SPLIT = re.compile(r"以及|和|与|及|或|[、,，/]")


@dataclass
class Naming:
    """How a question names projects: OR over `groups`, every word of a group in the row (AND); when `segments`
    are given ('（伽师段、疏勒段、巴楚段）', '巴楚段'), the row names one of them too. A county said inside a group's
    naming piece ('岳普湖县盐碱耕地…') is that group's `places` entry: the row belongs to it by its 项目单位, whether
    its name prints the county before the family or in brackets after it."""

    groups: list[list[str]] = field(default_factory=list)
    segments: list[str] = field(default_factory=list)
    # segments no name prints ('（伽师、疏勒）'): matched by the county the row belongs to
    by_county: set[str] = field(default_factory=set)
    # one per group: the county its naming piece said, or ''
    places: list[str] = field(default_factory=list)
    # words cut from a piece that printed a county with them ('巴楚县防沙治沙'): only a project name prints a county,
    # so they name rows by their name, not by a category that says the same ('防沙治沙' is also a 类别)
    in_name: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.places = (self.places + [""] * len(self.groups))[: len(self.groups)]

    @property
    def words(self) -> list[str]:
        return [w for g in self.groups for w in g]

    def __bool__(self) -> bool:
        return bool(self.groups or self.segments)

    def without(self, words: list[str]) -> None:
        """Drop these words from every group, and the groups left empty (with their places)."""
        kept = [([w for w in g if w not in words], p) for g, p in zip(self.groups, self.places, strict=True)]
        kept = [(g, p) for g, p in kept if g]
        self.groups, self.places = [g for g, _ in kept], [p for _, p in kept]

    def group_matches(self, i: int, text: str, county: str) -> bool:
        """The row prints every word of group `i` and belongs to the county the group said, if any."""
        return all(self._printed(w, text) for w in self.groups[i]) and (not self.places[i] or self.places[i] == county)

    def _printed(self, word: str, text: str) -> bool:
        """The row's text prints the word (a word cut from beside a county: its name part, before ｜, prints it)."""
        return word in (text.split("｜", 1)[0] if word in self.in_name else text)

    def group_name(self, i: int) -> str:
        return self.places[i] + "＋".join(self.groups[i])

    def matches(self, text: str, county: str) -> bool:
        family = not self.groups or any(self.group_matches(i, text, county) for i in range(len(self.groups)))
        return family and (not self.segments or any(segment_matches(s, text, county, s in self.by_county) for s in self.segments))

    def touches(self, text: str) -> bool:
        """Shares at least one naming word with the row (a candidate when the whole naming binds no row)."""
        return any(self._printed(w, text) for w in self.words) or any(s in text for s in self.segments)

    def describe(self, chosen: list[str] | None = None) -> str:
        """The naming words as a filter; with the chosen rows' texts, each word as far as every row it chose prints it
        ('乡镇国' of a staff abbreviation -> '乡镇国土空间规划编制项目'), so the filter reads the same however it was asked."""
        def shown(word: str, group: list[str]) -> str:
            return shared_extension(word, [t for t in chosen or [] if all(self._printed(w, t) for w in group)])

        def group(i: int) -> str:  # with its own county when the groups keep to different ones and the words do not say it
            words = "＋".join(f"“{w}”" for w in dict.fromkeys(shown(w, self.groups[i]) for w in self.groups[i]))
            own = self.places[i] and len({p for p in self.places if p}) > 1 and self.places[i] not in words
            return words + (f"（{self.places[i]}）" if own else "")

        parts = ["或".join(group(i) for i in range(len(self.groups)))] if self.groups else []
        if self.segments:
            parts.append("其中之一：" + "、".join(f"“{s}”" for s in self.segments))
        return "，".join(parts)


def shared_extension(word: str, texts: list[str]) -> str:
    """`word` grown left and right while every text prints the same characters around its first occurrence, within
    one field (a name and its category are joined by ｜); `word` itself when no text prints it."""
    places = [(t, t.find(word)) for t in texts if word in t]
    if not places:
        return word
    start, end = 0, len(word)  # relative to each occurrence

    def same_at(offset: int) -> bool:
        chars = {t[i + offset] if 0 <= i + offset < len(t) else "｜" for t, i in places}
        return len(chars) == 1 and chars != {"｜"}

    while same_at(start - 1):
        start -= 1
    while same_at(end):
        end += 1
    text, at = places[0]
    return text[at + start: at + end]


def segment_matches(segment: str, text: str, county: str, by_county: bool = False) -> bool:
    """'伽师段' is printed in the row's name; a segment no name prints names the county the row belongs to ('（伽师、疏勒）')."""
    if segment in text or not by_county:
        return segment in text
    named = named_county(segment)
    return named is not None and named == county and len(segment.removesuffix("段")) <= len(county_short(named)) + 1


def _around_segments(span: Span, segments: list[str], blob: str) -> list[Span]:
    """The span without the segments it holds, cut into the pieces that still name something ('克孜河巴楚段综合治理工程'
    with segment '巴楚段' -> '克孜河'); the span itself when it holds none."""
    inside = [seg for seg in segments if seg in span.text]
    if not inside:
        return [span]
    out, offset = [], 0
    for piece in re.split("|".join(map(re.escape, inside)), span.text):
        at = span.text.find(piece, offset)
        if len(_residual(piece)) >= 2 and piece in blob:
            out.append(Span(piece, span.start + at, span.start + at + len(piece)))
        offset = at + len(piece)
    return out


@lru_cache(maxsize=1)
def _county_word() -> re.Pattern[str]:
    """A county as a name prints it: '岳普湖县', '喀什市', '塔什库尔干塔吉克自治县' (a short form alone, '巴楚段', is not)."""
    forms = []
    for county in kashgar_counties():
        short = re.escape(county_short(county))
        forms += [rf"{short}[\u4e00-\u9fa5]{{0,4}}?自治县", re.escape(county)] if county.endswith("县") else [re.escape(county)]
    return re.compile("|".join(forms))


@lru_cache(maxsize=1)
def _county_said() -> re.Pattern[str]:
    """A county as a question says it, long or short ('岳普湖县', '巴楚'), not a segment ('巴楚段')."""
    shorts = [re.escape(county_short(c)) + "(?!段)" for c in kashgar_counties() if c.endswith("县")]
    return re.compile(f"{_county_word().pattern}|{'|'.join(shorts)}")


def _without_county(piece: str) -> list[str]:
    """A naming piece without the county it holds: '岳普湖县盐碱耕地综合整治项目' and '盐碱耕地综合整治项目（岳普湖县）'
    -> ['盐碱耕地综合整治项目']. The county chooses rows by their 项目单位, so the family words alone must name them."""
    m = _county_word().search(piece)
    if not m:
        return [piece]
    parts = (piece[: m.start()].strip("（）()"), piece[m.end():].strip("（）()"))
    return [p for p in parts if len(_residual(p)) >= 2]


# a bracket of examples closed by a filler ('（粘土矿、采砂坑那些）'): unless the names print them ('（伽师段、疏勒段等）'),
# they are not segments every row must print
EXAMPLES = re.compile(r"(那些|这些|那类|这类|之类的?|什么的|啥的|等等|等)$")
# who carries a project out names no family: '项目单位是巴楚县自然资源局' (the county or unit chooses the rows)
UNIT_LEAD = re.compile(r"(?:项目)?(?:实施|承担|建设)?单位(?:是|为|属于|：|:)?")


def units_named(text: str, units: list[str]) -> list[str]:
    """The 项目单位 values the question prints ('巴楚县自然资源局', '喀什地区自然资源局'), none inside a longer one."""
    found = [u for u in dict.fromkeys(units) if u and u in text]
    return [u for u in found if not any(u != o and u in o for o in found)]


def without_units(text: str, units: list[str]) -> str:
    """The question with the 项目单位 it names, and the words leading to it, blanked (kept to its length)."""
    for unit in sorted(units_named(text, units), key=len, reverse=True):
        text = text.replace(unit, "｜" * len(unit))
    return UNIT_LEAD.sub(lambda m: "｜" * len(m.group(0)), text)


# a sentence or clause boundary between two naming pieces, read as a cut when the pieces together name no row
# ('巴楚县防沙治沙工程，…经济型防护林屏障？两个加起来': two projects, each named in its own clause)
CLAUSE_CUT = re.compile(r"[，,。？?！!；;]")


def naming(question: str, haystacks: list[str], clause_cuts: bool = False) -> Naming:
    """The project family and segments a question names, read against the printed names (`haystacks`); with
    `clause_cuts`, the pieces of each clause name a family of their own."""
    text = _for_names(question)
    blob = "\n".join(haystacks)
    segments: list[str] = []
    masked = text
    for m in ENUMERATION.finditer(text):
        inner = m.group(1).strip()
        filler = EXAMPLES.search(inner)
        items = [i.strip() for i in _ITEM_SPLIT.split(inner[: filler.start()] if filler else inner) if len(i.strip()) >= 2]
        if filler and not all(i in blob or named_county(i) for i in items):
            # examples of what the rows hold ('粘土矿、采砂坑那些'), not names they print: read past, choosing nothing
            masked = masked[: m.start()] + "｜" * (m.end() - m.start()) + masked[m.end():]
        elif len(items) >= 2 or (items and items[0].endswith("段")):
            segments += items
            masked = masked[: m.start()] + "｜" * (m.end() - m.start()) + masked[m.end():]
    # a segment named outside brackets: the shortest word ending in 段 that some name prints ('巴楚段', '城南段')
    for m in re.finditer("段", masked):
        for length in range(3, 7):
            word = masked[max(0, m.end() - length): m.end()]
            if len(word) == length and re.fullmatch(r"[\u4e00-\u9fa5]+", word) and word in blob:
                segments.append(word)
                break
    spans = [s for s in keyword_spans(masked, haystacks) if not any(s.text in seg for seg in segments)]
    # a naming word holding a segment ('克孜河巴楚段…') names the family around it: '克孜河', and the segment apart
    spans = [piece for s in spans for piece in _around_segments(s, segments, blob)]
    cuts = [m.start() for m in CONJUNCTION.finditer(masked) if not any(s.start <= m.start() < s.end for s in spans)]
    if clause_cuts:
        cuts = sorted({*cuts, *(m.start() for m in CLAUSE_CUT.finditer(masked))})
    groups: dict[int, list[str]] = {}
    in_name: set[str] = set()
    for s in spans:
        words = _without_county(s.text)
        groups.setdefault(sum(1 for c in cuts if c < s.start), []).extend(words)
        in_name.update(w for w in words if w != s.text)
    groups = {at: words for at, words in groups.items() if words}
    # the counties said between the same cuts as a family ('巴楚县盐碱…和岳普湖县废弃耕地…'): each family keeps to its
    # own, unless some county stands apart from every family ('巴楚县和岳普湖县的盐碱…': both counties, both rows)
    said: dict[int, set[str]] = {}
    for m in _county_said().finditer(masked):
        county = named_county(m.group(0))
        if county:
            said.setdefault(sum(1 for c in cuts if c < m.start()), set()).add(county)
    own = all(at in groups and len(counties) == 1 for at, counties in said.items())
    places = [next(iter(said[at])) if own and at in said else "" for at in groups]
    segments = list(dict.fromkeys(segments))
    return Naming(list(groups.values()), segments, {s for s in segments if s not in blob}, places, in_name)


_CELL_FIGURE = re.compile(r"(\d+(?:\.\d+)?)\s*(万亩|亩|万公顷|公顷|平方公里|平方千米|km2|km|公里|千米|处|座|个|眼|条|所)")
_TO_MU = {
    "亩": Fraction(1), "万亩": Fraction(10000), "公顷": Fraction(15), "万公顷": Fraction(150000),
    "平方公里": Fraction(1500), "平方千米": Fraction(1500), "km2": Fraction(1500),
}
_TO_KM = {"km": Fraction(1), "公里": Fraction(1), "千米": Fraction(1)}
_COUNTERS = ("处", "座", "个", "眼", "条", "所")


@dataclass(frozen=True)
class CellFigure:
    """A figure written in a table cell: '占地面积768亩' -> 768亩 (label 占地面积), '9个乡镇' -> 9 (noun 乡镇)."""

    value: Fraction
    unit: str
    family: str  # area | length | count
    base: Fraction  # in 亩, km or pieces
    label: str  # the words before it in its phrase
    noun: str  # for counts: what is counted ('乡镇')
    raw: str

    @property
    def key(self) -> str:
        """The label's last words ('占地面积', '封育面积'), which a question may name."""
        m = re.search(r"[\u4e00-\u9fa5]{0,2}面积$", self.label) or re.search(r"[\u4e00-\u9fa5]{2,4}$", self.label)
        return m.group(0) if m else ""


def cell_figures(text: str) -> list[CellFigure]:
    out: list[CellFigure] = []
    for m in _CELL_FIGURE.finditer(text):
        start = max(text.rfind(ch, 0, m.start()) for ch in "，,；;。、：:") + 1
        label = re.sub(r"^(开展|实施|完成|进行|共计|共|约|计)", "", text[start: m.start()].strip())
        value, unit = Fraction(Decimal(m.group(1))), m.group(2)
        if unit in _TO_MU:
            family, base = "area", value * _TO_MU[unit]
        elif unit in _TO_KM:
            family, base = "length", value * _TO_KM[unit]
        else:
            family, base = "count", value
        noun_m = re.match(r"[\u4e00-\u9fa5]{1,6}", text[m.end():]) if unit in _COUNTERS else None
        # the counted noun ends where what is done to it begins ('9个村地质灾害隐患治理' counts 村, not 地质灾害)
        noun = _COUNT_HEAD_END.split(noun_m.group(0))[0] if noun_m else ""
        out.append(CellFigure(value, unit, family, base, label, noun, m.group(0)))
    return out


@dataclass(frozen=True)
class AskedFigure:
    family: str
    noun: str = ""  # for counts: the counted noun of the question ('乡镇')

    @property
    def what(self) -> str:
        return {"area": "面积", "length": "长度"}.get(self.family, f"{self.noun}数")

    @property
    def base_unit(self) -> str:
        return {"area": "亩", "length": "公里"}.get(self.family, "个")

    @property
    def rule(self) -> str:
        return {"area": "1万亩 = 10000亩，1公顷 = 15亩", "length": "1km = 1公里 = 1千米"}.get(self.family, "按写明的个数相加")

    def accepts(self, f: CellFigure) -> bool:
        if f.family != self.family:
            return False
        return self.family != "count" or (bool(self.noun) and (self.noun in f.noun or self.noun in f.label[-4:]))

    def show(self, x: Fraction) -> str:
        if self.family == "area":
            return f"{fmt(x)}亩（{fmt(x / 10000)}万亩，{fmt(x / 15)}公顷）"
        return f"{fmt(x)}{self.base_unit}"


AREA_ASKED = ("多少亩", "多少万亩", "几亩", "多少公顷", "面积多大", "面积是多少", "面积一共", "面积合计", "总面积", "多大面积", "面积有多少")
LENGTH_ASKED = ("多少公里", "多少千米", "几公里", "多长", "长度", "长多少", "短多少", "长几", "短几")
# a measure named beside another ('长度和面积加起来各是多少'): named, then asked for by the shared asking words
MEASURE_WORDS = {"area": "面积", "length": "长度"}
SHARED_ASK = re.compile(r"各(是|有|为)?多少|分别|各多少|加起来|合计|一共|总共|多少|多大|多长")


def asked_figures(q: Question) -> list[AskedFigure]:
    """Every measure the question asks, in the order it names them: an area, a length, or a count of something
    other than projects ('长度和面积加起来各是多少' asks two)."""
    found: list[tuple[int, AskedFigure]] = []
    for family, phrases in (("area", AREA_ASKED), ("length", LENGTH_ASKED)):
        spots = [q.norm.find(p) for p in phrases if p in q.norm]
        word = MEASURE_WORDS[family]
        if not spots and word in q.norm and SHARED_ASK.search(q.norm[q.norm.find(word): q.norm.find(word) + 10]):
            spots = [q.norm.find(word)]
        if spots:
            found.append((min(spots), AskedFigure(family)))
    m = re.search(r"(?:多少|几)个?(处|座|眼|条|所|个)([\u4e00-\u9fa5]{1,4})", q.norm)
    # a particle after the count ('多少个呢') counts nothing of its own
    if m and not m.group(2).startswith(("项目", "工程", "项", "工作日", "天", "日", "月", "年", "小时", "人", "成员", *"呢吗啊呀吧哦啦")):
        noun = re.sub(r"(的|国土|规划|编制|一共|合计|加起来).*$", "", m.group(2))
        if noun:
            found.append((m.start(), AskedFigure("count", noun)))
    return [f for _, f in sorted(found, key=lambda pf: pf[0])]


def asked_figure(q: Question) -> AskedFigure | None:
    """The first measure the question asks (see asked_figures)."""
    found = asked_figures(q)
    return found[0] if found else None


# ------------------------------------------------------------------ per-unit averages ('平均每个乡镇多少钱')

PER_UNIT = re.compile(r"(?:平均|均摊|摊到|分摊)[\u4e00-\u9fa5]{0,6}?每(?:一)?个?(?P<a>[\u4e00-\u9fa5]{1,10}?)"
                      r"(?:平均|大概|大约|约|各|要|需要|得|能)?(?:多少|几|花|投|合)"
                      r"|每(?:一)?个?(?P<b>[\u4e00-\u9fa5]{1,10}?)平均(?:下来)?(?:多少|几|花|投|合|要)"
                      r"|每(?P<c>年)(?:平均|各|大概|要)?(?:多少|几|花|投)"
                      r"|每(?:一)?个(?P<d>[\u4e00-\u9fa5]{1,10}?)(?:摊|分摊|均摊|分到|合)(?:多少|几)"
                      r"|(?:一|单)个(?P<e>[\u4e00-\u9fa5]{1,10}?)平均(?:下来)?(?:多少|几|花|投|合|要)")
# counted nouns ending where a project name goes on ('9个乡镇国土空间规划编制项目' counts 乡镇)
_COUNT_HEAD_END = re.compile(r"国土空间|规划编制项目|地质|隐患|的|（|\(")
_COUNT_AFTER = re.compile(r"(\d+)个([\u4e00-\u9fa5]{1,12})")
_COUNT_BEFORE = re.compile(r"([\u4e00-\u9fa5]{1,8}?)(\d+)个(?![\u4e00-\u9fa5])")
_COUNT_VERBS = re.compile(r"^(现有|需编制|需要编制|实际有|共有|共|有|其中|编制|涉及|包括|包含)")
YEARS_PER_PLAN = {"十四五": (2021, 2025), "十三五": (2016, 2020)}


@dataclass(frozen=True)
class StatedCount:
    """'实际有135个村庄规划编制单元' -> 135 村庄规划编制单元; '现有行政村196个' -> 196 行政村."""

    value: int
    noun: str
    raw: str


def stated_counts(text: str) -> list[StatedCount]:
    out: list[StatedCount] = []
    for m in _COUNT_AFTER.finditer(text):
        head = m.group(2)
        cut = _COUNT_HEAD_END.search(head)
        head = head[: cut.start()] if cut else head
        if head:
            out.append(StatedCount(int(m.group(1)), head, f"{m.group(1)}个{head}"))
    for m in _COUNT_BEFORE.finditer(text):
        noun = _COUNT_VERBS.sub("", m.group(1))
        if noun:
            out.append(StatedCount(int(m.group(2)), noun, f"{m.group(1)}{m.group(2)}个"))
    return out


def counts_of(noun: str, text: str) -> list[StatedCount]:
    """The counts a text states of the asked noun: the counted head is the noun or ends with it
    ('村庄规划编制单元' counts 编制单元; '村庄' is not '村', so 181个村 does not count 村庄)."""
    found = [c for c in stated_counts(text) if c.noun == noun or c.noun.endswith(noun)]
    return list({(c.value, c.noun): c for c in found}.values())


_NOUN_END = re.compile(r"(换回|换来|换|投入|投资|投了|花了|花|需要|要|能|可以|可|得到|得|收入|收|补助|补|分到|分|相差|差|多|少|高|低|贵)+$")
PER_YEAR_SAID = re.compile(r"年均|平均一年|一年平均|平均每一年")
PER_ITEM_SAID = re.compile(r"平均(每|一)个(多少|几|要|花|投)|(每|一)个平均")
# an average per county is over the counties the selected projects belong to
PER_COUNTY = ("县", "县市", "县区", "个县")


def per_unit_asked(q: Question) -> str | None:
    """The unit an average is asked per: '乡镇', '村庄规划编制单元', '年', '项目', '县', '亩' (None when no average is asked)."""
    if PER_YEAR_SAID.search(q.norm):
        return "年"
    m = PER_UNIT.search(q.norm)
    if not m:
        return "项目" if PER_ITEM_SAID.search(q.norm) and q.has("项目", "工程") else None
    noun = next((m.group(g) for g in "abcde" if m.group(g)), "").removesuffix("的")
    noun = re.sub(r"^(个|一个)", "", noun)
    noun = _NOUN_END.sub("", noun)  # '每亩换回多少钱' is per 亩
    return noun or ("项目" if PER_ITEM_SAID.search(q.norm) and q.has("项目", "工程") else None)


# 'X项目哪个县最多', '哪一类投资最少': the rows counted (or their amounts summed) by county or 大类, the extreme named
WHICH_GROUP = re.compile(r"哪(?:一)?(?:个|些)?(?P<by>县市|县|大类|类)")
EXTREMES = {"最多": True, "最大": True, "最高": True, "最少": False, "最小": False, "最低": False}


@dataclass(frozen=True)
class Extreme:
    """Which grouping a question ranks ('county' or 'group') and whether it asks the largest."""

    by: str
    largest: bool


def extreme_asked(clause: str) -> Extreme | None:
    """'历史遗留废弃矿山项目哪个县最多' -> Extreme('county', True): a question naming which county (or 大类) and an
    extreme word in the same clause."""
    for part in re.split(r"[，,。？?；;]", clause):
        which = WHICH_GROUP.search(part)
        said = [(part.find(w), largest) for w, largest in EXTREMES.items() if w in part]
        if which and said:
            return Extreme("county" if which.group("by").startswith("县") else "group", min(said)[1])
    return None
