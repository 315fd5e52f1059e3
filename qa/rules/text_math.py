"""Arithmetic over figures the texts state: a change between two figures, a ratio, a share, a stated rate applied to a base."""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, TypeVar

from qa.cues import money_words
from qa.rules.base import Hook, doc_warnings
from qa.rules.extract import Question, parse_number
from qa.rules.figures import named_documents
from qa.rules.mentions import YEAR_OFFSETS, Figure, printed_pieces
from qa.rules.model import Computation, Reading, RuleContext, Understood, decimal_value, fmt
from qa.rules.project_rows import county_short, kashgar_counties

if TYPE_CHECKING:
    from ingest.pipeline import Corpus

# unit -> (family, factor to the family's base: 亩, 元, piece, percent)
UNITS: dict[str, tuple[str, Fraction]] = {
    "万平方公里": ("area", Fraction(15_000_000)), "平方公里": ("area", Fraction(1500)), "平方千米": ("area", Fraction(1500)),
    "万公顷": ("area", Fraction(150_000)), "公顷": ("area", Fraction(15)), "万亩": ("area", Fraction(10_000)), "亩": ("area", Fraction(1)),
    "亿元": ("money", Fraction(100_000_000)), "万元": ("money", Fraction(10_000)), "元": ("money", Fraction(1)),
    "家": ("count:家", Fraction(1)), "个": ("count:个", Fraction(1)), "处": ("count:处", Fraction(1)), "座": ("count:座", Fraction(1)),
    "%": ("percent", Fraction(1)),
}
_UNIT_ALT = "|".join(sorted((re.escape(u) for u in UNITS), key=len, reverse=True))
_FIGURE = re.compile(rf"(?<![\d.])(\d+(?:\.\d+)?)\s*({_UNIT_ALT})")
_RESTATED = re.compile(r"^\s*[（(]\s*约?\s*$")
_CHANGE_VERB = re.compile(r"(减少|增加|下降|降低|增长|提高|上升|扩大|缩小|降|增|减)(到|至|为)")
# question words that ask for an operation, and words too general to bind a question to a sentence
CHANGE_ASKED = re.compile(r"(减少|增加|下降|降低|增长|上升|提高|少|多|降|涨)了?(多少|几)")
PERCENT_ASKED = ("百分之几", "百分之多少", "百分比", "幅度", "降幅", "增幅", "多少%", "几成")
RATIO_ASKED = re.compile(r"(平均)?每(亩|公顷|平方公里|万亩)[\u4e00-\u9fa5]{0,4}?(多少|几)(钱|万元|元)?")
INNER_SHARE = re.compile(r"(?P<whole>[\u4e00-\u9fa5]{2,20}?)(?:里面|当中|之中|里|中)(?P<part>[\u4e00-\u9fa5]{2,12}?)的?占"
                         r"(?:多大比例|多少比例|比例|比重|百分之几|百分之多少|几成|多少)")
SHARE_ASKED = re.compile(r"(?:占|是|相当于)(?P<whole>[\u4e00-\u9fa5\d]{2,16}?)的?(百分之多少|百分之几|多大比例|比例|比重|百分比|几成)")
TIME_ASKED = re.compile(r"几点|什么时间|几时")
CLOCK = re.compile(r"(上午|下午|晚上|凌晨|中午|早上)?\s*(\d{1,2})\s*(?:点|时)(?:\s*(\d{1,2})\s*分|(半))?")
HOURS_WITHIN = re.compile(r"([零一二两三四五六七八九十\d]+)\s*个?小时(?:内|以内|之内)")
# '每五年1次测量标志普查维修': a cycle in years and the act repeated; '下一次该哪年' asks when it next falls due
# '每年对…落实情况进行考核': the same, the act after 进行
FREQUENCY = re.compile(r"每(?:隔)?([一二两三四五六七八九十\d]*)年(?:[1一]次([\u4e00-\u9fa5]{2,12}?)|[^。；;，,]{0,30}?进行([\u4e00-\u9fa5]{2,8}?))"
                       r"(?=的|[^\u4e00-\u9fa5]|$)")
NEXT_ASKED = re.compile(r"(下一次|下次|下一轮|再次|再一次|下回)[\u4e00-\u9fa5]{0,6}?(哪年|哪一年|什么时候|何时|几几年|多少年)")
FLOOR_ASKED = re.compile(r"(至少|最少|最多|不低于|不超过|要留|应留|应安排|能安排|可以安排)[\u4e00-\u9fa5]{0,6}?多少")
GENERIC = (
    "喀什", "新疆", "宁夏", "巴楚", "十四五", "十三五", "规划", "地区", "县市", "全区", "自治区", "面积", "多少", "一共", "合计", "平均", "每亩",
    "建设", "用地", "土地", "指标", "项目", "工作", "万元", "亿元", "公顷", "平方公里", "年底", "期间", "累计", "总共", "大概", "目前", "现在",
)


@dataclass(frozen=True)
class StatedFigure(Figure):
    """A figure a sentence of the texts states, in one of UNITS, with its family and its value in the family's base unit."""

    @property
    def family(self) -> str:
        return UNITS[self.unit][0]

    @property
    def base(self) -> Fraction:
        return self.value * UNITS[self.unit][1]


@dataclass
class Amount:
    """One quantity a sentence states, in every form it prints ('1698.89公顷（2.55万亩）'), with the words before it."""

    forms: list[StatedFigure]
    label: str
    start: int = 0
    label_start: int = 0

    @property
    def family(self) -> str:
        return self.forms[0].family


# '20个工作日', '3个月': periods, not counts of things
_PERIOD_AFTER = re.compile(r"工作日|月|小时|日|天|年|季度|百分点|周")


def amounts(sentence: str) -> list[Amount]:
    figures = [StatedFigure(Fraction(Decimal(m.group(1))), m.group(2), m.group(0), m.start(), m.end()) for m in _FIGURE.finditer(sentence)
               if not (m.group(2) == "个" and _PERIOD_AFTER.match(sentence, m.end()))]
    out: list[Amount] = []
    for f in figures:
        if out and out[-1].family == f.family and _RESTATED.match(sentence[out[-1].forms[-1].end: f.start]):
            out[-1].forms.append(f)
            continue
        prev_end = out[-1].forms[-1].end if out else 0
        label_start = max([prev_end] + [sentence.rfind(ch, 0, f.start) + 1 for ch in "，,、：:（）()"])
        out.append(Amount([f], sentence[label_start: f.start].strip(), f.start, label_start))
    return out


def units_asked(question: str, family: str) -> list[str]:
    """The units of a family the question asks its answer in ('多多少万亩' -> ['万亩']), in the order it says them."""
    said = [(m.start(), u) for u, (fam, _) in UNITS.items() if fam == family
            for m in re.finditer(rf"(?:多少|几)({re.escape(u)})", question) if m.group(1) == u]
    return [u for _, u in sorted(said)]


def _decimal_scale(a: str, b: str) -> bool:
    """Units one a power of ten of the other (万亩 and 亩, 万公顷 and 公顷): a figure moves between them by its decimal point."""
    ratio = UNITS[a][1] / UNITS[b][1]
    if ratio < 1:
        ratio = 1 / ratio
    while ratio.denominator == 1 and ratio % 10 == 0:
        ratio /= 10
    return ratio == 1


def printed_in(chosen: list[Amount], units: list[str]) -> list[Amount]:
    """The amounts with their form printed in the asked unit put first: '（28.31万亩）' for 万亩 (or 亩: the decimal point
    moves), never 1.89万公顷 multiplied by 15 from a rounded figure; unchanged when no amount prints the unit asked in
    a form every other amount prints too."""
    shared = [f.unit for f in chosen[0].forms if all(any(g.unit == f.unit for g in a.forms) for a in chosen)]
    for same in (str.__eq__, _decimal_scale):
        lead = next((f for u in units for f in shared if same(f, u)), None)
        if lead is not None:
            return [replace(a, forms=sorted(a.forms, key=lambda f: f.unit != lead)) for a in chosen]
    return chosen


def _anchors(question: str, sentence: str) -> list[str]:
    """Maximal pieces of the question (3+ characters) printed in the sentence that say more than generic words."""
    return [piece for _, piece in printed_pieces(re.sub(r"\d+(?:\.\d+)?", "｜", question), sentence, r"[\u4e00-\u9fa5A-Za-z]+", _says_more)]


def _says_more(piece: str) -> bool:
    rest = piece
    for g in sorted(GENERIC, key=len, reverse=True):
        rest = rest.replace(g, "")
    return len(rest) >= 2


def _common(a: str, b: str) -> int:
    """Length of the longest common substring."""
    best = 0
    for i in range(len(a)):
        for j in range(i + best + 1, len(a) + 1):
            if a[i:j] in b:
                best = j - i
            else:
                break
    return best


def _specific(text: str, mark: str = "｜") -> str:
    """The text without words too general to tell figures apart ('城乡建设用地规模' -> '城乡｜规模'); part and label
    get different marks, so a run of marks is never shared."""
    for g in sorted(GENERIC, key=len, reverse=True):
        text = text.replace(g, mark)
    return text


def _tail(part: str, label: str) -> int:
    """Length of the longest end of `part` that `label` prints ('重点开采区拟设采矿权' in '拟设采矿权数量': 5)."""
    part = re.sub(r"[^\u4e00-\u9fa5A-Za-z0-9]+$", "", part)
    return next((k for k in range(len(part), 1, -1) if part[-k:] in label), 0)


@dataclass
class Found:
    unit_id: str
    doc_id: str
    sentence: str
    anchors: list[str]


_SENTENCES: dict[int, tuple[Corpus, list[tuple[str, str, str]]]] = {}


def _sentences(ctx: RuleContext) -> list[tuple[str, str, str]]:
    """(unit id, document id, sentence) for every sentence stating a figure, once per corpus object."""
    corpus = ctx.texts
    cached = _SENTENCES.get(id(corpus))
    if cached is not None and cached[0] is corpus:
        return cached[1]
    out = []
    for unit in corpus.units:
        if unit.covers_source and unit.kind not in ("title", "table_header", "table_row"):
            for s in re.split(r"[。；;]", unit.text):
                if _FIGURE.search(s) or HOURS_WITHIN.search(s) or FREQUENCY.search(s):
                    out.append((unit.id, unit.doc_id, s))
    _SENTENCES.clear()  # one corpus at a time: a rebuilt corpus replaces the old one
    _SENTENCES[id(corpus)] = (corpus, out)
    return out


# parts of a plan a question or a heading names: '专栏6', '附件1', '表1', '第二章', '第三节'
PART_NAMED = re.compile(r"(专栏|附件|表)\s*([\d一二三四五六七八九十]+)|第([一二三四五六七八九十百\d]+)([章节])")


def parts_named(text: str) -> set[tuple[str, int]]:
    """('专栏', 6), ('章', 2) …: the parts of a plan a text names, numbered however it writes them."""
    out = set()
    for m in PART_NAMED.finditer(text):
        kind, number = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
        n = parse_number(number)
        if n is not None and n.denominator == 1:
            out.add((kind, int(n)))
    return out


def counties_named(q: Question) -> tuple[str, ...]:
    """The counties of the prefecture a question names ('巴楚'; '喀什市' only as written, '喀什' is the prefecture)."""
    counties = kashgar_counties()
    return tuple(county_short(c) for c in counties if county_short(c) in q.norm and not (c == "喀什市" and "喀什市" not in q.norm))


def _speaks_of(ctx: RuleContext, doc_id: str, sentence: str, counties: tuple[str, ...]) -> bool:
    """A sentence answers for a county the question names only when it names it, or its document is that county's
    own (the prefecture's 2.96万公顷 is not 巴楚's)."""
    return all(c in sentence or c in ctx.document(doc_id).region for c in counties)


def question_docs(q: Question, ctx: RuleContext) -> list[str]:
    """The documents a question points to (by name or alias, narrowed by the places it names: '新疆土地十四五规划' is
    the Xinjiang plan, not every '十四五规划'); empty when it names none, and then every document may answer."""
    named = named_documents(q, ctx)
    placed = [d.id for d in ctx.texts.catalog.documents if any(p and p in q.norm and p != "自治区" for p in d.places)]
    both = [d for d in named if d in placed]
    return both or named


def _best(q: Question, ctx: RuleContext, usable) -> Found | None:
    """The one sentence of the documents the question points to that states the figures the operation needs and
    shares the most specific words with the question; none when two sentences tie (the question does not say which)."""
    docs = question_docs(q, ctx)
    scored = []
    for unit_id, doc_id, sentence in _sentences(ctx):
        if (docs and doc_id not in docs) or not usable(sentence) or not _speaks_of(ctx, doc_id, sentence, counties_named(q)):
            continue
        anchors = _anchors(q.norm, sentence)
        weight = sum(len(a) for a in anchors)
        if anchors and weight >= 4:
            scored.append((weight, Found(unit_id, doc_id, sentence, anchors)))
    scored.sort(key=lambda s: -s[0])
    if not scored or (len(scored) > 1 and scored[1][0] == scored[0][0]):
        return None
    return scored[0][1]


_Read = TypeVar("_Read")


def _best_read(q: Question, ctx: RuleContext, read: Callable[[str], _Read | None]) -> tuple[Found, _Read] | None:
    """The best sentence (`_best`) among those `read` finds the operation's figures in, with what it read there."""
    found = _best(q, ctx, lambda s: read(s) is not None)
    if found is None:
        return None
    figures = read(found.sentence)
    assert figures is not None
    return found, figures


def bind_parts(ctx: RuleContext, parts: list[str], *, family: str | None = None, docs: list[str] | None = None,
               exclude: tuple[str, ...] = (), least: int = 2, within: str = "", question: str = "",
               distinct: int = 0, counties: tuple[str, ...] = ()) -> tuple[Found, list[Amount]] | None:
    """The one sentence whose stated amounts bind each of `parts` (the question's words for each figure) to an
    amount of its own: the amount whose label shares the longest run of characters with the part, unshared by
    any other amount of the sentence, sharing at least `least` characters with it (a lone part needs more: it
    has no other part to tell its amount apart), in a sentence that prints `within` when given. Between sentences
    binding equally well, the one sharing more of the `question`'s other words ('专项勘查') wins. None when no
    sentence binds every part, or two bind them equally well."""
    scored: list[tuple[tuple[int, int], Found, list[Amount]]] = []
    for unit_id, doc_id, sentence in _sentences(ctx):
        if (docs and doc_id not in docs) or doc_id in exclude or (within and within not in sentence) or not _speaks_of(ctx, doc_id, sentence, counties):
            continue
        found = [a for a in amounts(sentence) if (family is None or a.family == family) and (family == "percent" or a.family != "percent")]
        if len(found) < len(parts):
            continue
        chosen: list[int] = []
        for part in parts:
            # the head of a noun phrase is at its end ('重点开采区拟设采矿权'): the longest end of the part a label
            # prints decides first, the longest shared run second
            scores = [(_tail(part, a.label), _common(part, a.label)) for a in found]
            top = max(scores)
            if top[1] < least or scores.count(top) != 1 or _common(_specific(part), _specific(found[scores.index(top)].label, "＃")) < distinct:
                break
            chosen.append(scores.index(top))
        if len(chosen) != len(parts) or len(set(chosen)) != len(parts) or len({found[i].family for i in chosen}) != 1:
            continue
        weight = sum(_common(p, found[i].label) for p, i in zip(parts, chosen, strict=True))
        context = sum(len(a) for a in _anchors(question, sentence)) if question else 0
        scored.append(((weight, context), Found(unit_id, doc_id, sentence, [found[i].label for i in chosen]), [found[i] for i in chosen]))
    scored.sort(key=lambda s: s[0], reverse=True)
    if not scored or (len(scored) > 1 and scored[1][0] == scored[0][0]):
        return None
    return scored[0][1], scored[0][2]


# the item a sum is asked of, inside the things named before it ('…地灾点里泥石流一共多少处')
ITEM_INSIDE = re.compile(r"(?:里面|当中|之中|里|中)的?(?P<item>[\u4e00-\u9fa5]{2,8}?)(?:一共|合计|加起来|加在一起|总共|共计|之和|总计)")
INVERSE_ASKED = re.compile(r"倒推|反推|推算|倒算|反算|推出|算回")
SUM_ASKED = re.compile(r"加起来|加在一起|加一起|合计|一共|总共|共计|之和|总计")
CONJUNCTION = re.compile(r"以及|还有|加上|和|与|及|跟|、")
POINTS_ASKED = re.compile(r"(差|相差|高|低|多|少)了?(几|多少)个?百分点|百分点")
PER_YEAR_ASKED = re.compile(r"(每年|平均一年|一年平均|年均|每一年)(平均|大概|约)?(多少|几|能|要|合|供应|供)")
# 'A比B多多少': two figures one sentence states, subtracted
TIMES_ASKED = re.compile(r"(几|多少)倍|百分之(几|多少)|多少%")
DIFF_ASKED = re.compile(r"(?P<a>[\u4e00-\u9fa5]{2,20}?)比(?P<b>[\u4e00-\u9fa5]{2,20}?)(多|少|高|低)[了出]?(多少|几)")
YEARS_SAID = re.compile(r"([一二两三四五六七八九十\d]+)年(?!度|底|初|末|\d)")
PLAN_YEARS = {"十四五": 5, "十三五": 5}
YEARS_SPAN = re.compile(r"((?:19|20)\d\d)年?(?:至|到|—|－|-|~|～)((?:19|20)\d\d)年?")
ASKING_WORDS = re.compile(r"平均到?|每年|多少|几|合|大概|约|期间|是|的|呢|？|\?|，|,|。")


def sum_parts(q: Question) -> list[str]:
    """'已设的和拟设的采矿权一共几个' -> ['已设', '拟设采矿权']: the words naming each figure to add."""
    m = SUM_ASKED.search(q.norm)
    if not m:
        return []
    head = re.split(r"[，,。？?；;]", q.norm[: m.start()])[-1]
    # 的 joins a name in speech ("已设的", "拟设的采矿权") where the texts write none ("已设采矿权")
    parts = [p.strip().replace("的", "") for p in CONJUNCTION.split(head) if len(p.strip().replace("的", "")) >= 2]
    return parts if len(parts) >= 2 else []


def diff_parts(m: re.Match[str]) -> list[str]:
    """'审批的建设用地比供应的国有建设用地多多少' -> ['审批建设用地', '供应国有建设用地']: the two figures' names, without
    the 的 speech puts in a name the texts print without it, nor a '里' left of the place they are in ('专栏9里')."""
    return [re.sub(r"^(?:里面|当中|之中|里|中)", "", m.group(g).replace("的", "")) for g in ("a", "b")]


# a side of a comparison that points back ('比这个多几处'): it is what the clause before names
POINTING = re.compile(r"这个|那个|这些|那些|这|那|它|其|上面的?|上述的?")


def antecedent(question: str, at: int, part: str) -> str:
    """The part itself, or, when it only points back ('这个'), the clause of the question before the one at `at`
    ('…专项勘查安排了，工程治理的比这个多几处' -> '…专项勘查安排了'); '' when there is none."""
    if not POINTING.fullmatch(part):
        return part
    before = [c for c in re.split(r"[，,。？?；;]", question[:at]) if c.strip()]
    return before[-1] if before else ""


_BRACKETED = re.compile(r"（[^（）]*）|\([^()]*\)")


def _heads(sentence: str) -> list[tuple[Amount, str]]:
    """The amounts a sentence states outside brackets, each with the words it is said with: its label and what follows
    it up to the next such amount ('对喀什地区20处（崩塌3处…）进行专项勘查': 20处 with '对喀什地区…进行专项勘查')."""
    inside = [(m.start(), m.end()) for m in _BRACKETED.finditer(sentence)]
    heads = [a for a in amounts(sentence) if a.family != "percent" and not any(s <= a.start < e for s, e in inside)]
    out = []
    for i, a in enumerate(heads):
        end = heads[i + 1].label_start if i + 1 < len(heads) else len(sentence)
        out.append((a, sentence[a.label_start: a.start] + _BRACKETED.sub("", sentence[a.forms[-1].end: end])))
    return out


def _said_with(q: Question, ctx: RuleContext, part: str) -> tuple[str, str, Amount] | None:
    """The head figure (`_heads`) said with the most of the part's specific words (four characters together at least),
    in the documents and parts of a plan the question names ('专栏9'); sentences tying must state the same figure."""
    docs, counties, named = question_docs(q, ctx), counties_named(q), parts_named(q.norm)
    scored: list[tuple[int, str, str, Amount]] = []
    for unit_id, doc_id, sentence in _sentences(ctx):
        if (docs and doc_id not in docs) or not _speaks_of(ctx, doc_id, sentence, counties):
            continue
        if named and not named <= parts_named(ctx.texts.unit(unit_id).label):
            continue
        scored += [(_common(_specific(part), _specific(words, "＃")), unit_id, sentence, a) for a, words in _heads(sentence)]
    if not scored:
        return None
    top = max(s[0] for s in scored)
    best = [s for s in scored if s[0] == top]
    if top < 4 or len({(a.forms[0].value, a.forms[0].unit) for *_, a in best}) != 1:
        return None
    _, unit_id, sentence, a = best[0]
    return unit_id, sentence, a


# a year the question compares with, said by its number ('比2024年', '与2023年相比', '较2024年') or relative to the year
# it names ('去年', '前年', '上一年', '同比')
_COMPARED_YEAR = re.compile(r"(?:比|较|相对于|相较于?|相比于?|对比)((?:19|20)\d{2})年?|(?:与|和|跟|同)((?:19|20)\d{2})年?(?:相比|比较|对比|比)")
_RELATIVE_YEAR = re.compile(r"上一年度|上年度|上一年|前一年|上年|去年|前年|同比(?!例|重)")
_NAMED_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})年?(?!\d)")


@dataclass(frozen=True)
class ComparedYear:
    """A year a question compares with: the year, the words saying it, and (for a relative word) the year read from."""

    year: int
    said: str
    anchor: int | None = None
    assumed: bool = False  # the question names no year: the relative word is read against the document's own year


def compared_years(text: str, own_year: int) -> list[ComparedYear]:
    """The years a question compares with ('比2024年', '去年', '前年', '上一年', '同比'): a relative word is read against
    the year the question names (the last one said before it, else the first after), or, when it names none, against
    `own_year` (the year the document's figures are for), never against today's date."""
    found = [ComparedYear(int(m.group(1) or m.group(2)), m.group(0)) for m in _COMPARED_YEAR.finditer(text)]
    compared_at = [m.span() for m in _COMPARED_YEAR.finditer(text)]
    named = [(m.start(), int(m.group(1))) for m in _NAMED_YEAR.finditer(text) if not any(a <= m.start() < b for a, b in compared_at)]
    for m in _RELATIVE_YEAR.finditer(text):
        before = [y for at, y in named if at < m.start()]
        after = [y for at, y in named if at > m.start()]
        anchor = before[-1] if before else after[0] if after else own_year
        # (the date reader's offsets: 前年 two years back; 去年, 上一年, 同比 one)
        back = -YEAR_OFFSETS.get(m.group(0), -1)
        found.append(ComparedYear(anchor - back, m.group(0), anchor, assumed=not (before or after)))
    return found


def unprinted_comparison(text: str, own_year: int, printed: set[int]) -> tuple[list[ComparedYear], list[int]]:
    """A comparison with a year the document gives no figure for: the years compared with that it does not print, and
    the years the question names that it does not print (the year a relative word is read from among them)."""
    compared = compared_years(text, own_year)
    if not compared:
        return [], []
    named = {int(m.group(1)) for m in _NAMED_YEAR.finditer(text)} | {c.anchor for c in compared if c.anchor is not None}
    return [c for c in compared if c.year not in printed], sorted(y for y in named if y not in printed)


def year_not_printed_text(compared: list[ComparedYear], unprinted: list[int], printed: set[int], what: str) -> tuple[str, list[str]]:
    """The sentence saying the texts give no figure for the years a comparison needs, and each missing input."""
    years = sorted({*(c.year for c in compared), *unprinted})
    read = "；".join(f"“{c.said}”{'：问题没写年份，按' + what + '的' if c.assumed else '按问题所说的'}{c.anchor}年推算为{c.year}年"
                    for c in compared if c.anchor is not None)
    missing = "、".join(f"{y}年" for y in years)
    text = (f"问题要拿{missing}的数字比较，但{what}只给出{'、'.join(f'{y}年' for y in sorted(printed))}的数字，{missing}的数字文件没有写"
            + (f"（{read}）" if read else "") + "，不能比较，不给出差数")
    return text, [f"{y}年的数字：{what}没有写" for y in years]


def years_asked(q: Question) -> tuple[int, str] | None:
    """The number of years an average is taken over: '五年', '5年', '2021年到2025年' (both counted), or a
    five-year plan named ('十四五'); never a calendar year read as a count."""
    span = YEARS_SPAN.search(q.norm)
    if span and int(span.group(1)) < int(span.group(2)):
        return int(span.group(2)) - int(span.group(1)) + 1, span.group(0)
    m = YEARS_SAID.search(q.norm)
    if m:
        n = parse_number(m.group(1))
        if n is not None and n.denominator == 1 and 1 < n <= 30:
            return int(n), m.group(0)
    for period, years in PLAN_YEARS.items():
        if period in q.norm:
            return years, period
    return None


def stated_sum(ctx: RuleContext, parts: list[str], docs: list[str] | None = None, least: int = 2,
               question: str = "", counties: tuple[str, ...] = ()) -> tuple[Found, list[Amount], Fraction, str] | None:
    """Figures of one kind and unit that one sentence states for each part, and their sum (in the unit the question
    asks when the sentence prints every figure in it)."""
    bound = bind_parts(ctx, parts, docs=docs, question=question, counties=counties) if len(parts) >= least else None
    if bound is None:
        return None
    found, chosen = bound
    chosen = printed_in(chosen, units_asked(question, chosen[0].family))
    units = {a.forms[0].unit for a in chosen}
    if len(units) != 1:
        return None
    return found, chosen, sum((a.forms[0].value for a in chosen), Fraction(0)), units.pop()


def _pct(x: Fraction) -> str:
    return f"{fmt(x * 100, 2)}%"


def ratio_direction(clause: str, first: str, second: str) -> bool | None:
    """In a clause asking a ratio beside a difference of first and second: True for first ÷ second ('是它的几倍',
    '是出让土地的几倍'), False for second ÷ first ('出让土地是划拨用地的百分之几'), None when the clause leaves it
    open ('占划拨用地的百分之几' may be the difference's share as well as the other figure's)."""
    whole = re.search(r"(是|占|为|相当于)([\u4e00-\u9fa5]{1,20}?)的?(?:几|多少|百分)", clause)
    if whole is None:
        return None
    said = whole.group(2)
    first_is_whole = said == "前者" or (said not in ("它", "后者") and _common(said, first) > _common(said, second))
    if not clause[: whole.start()].strip():  # no subject of its own: it continues the first figure
        return None if whole.group(1) == "占" or first_is_whole else True
    return not first_is_whole


class TextArithmetic(Hook):
    """The question asks an operation over figures that one sentence of the texts states."""

    name = "text.arithmetic"

    def applies(self, q: Question, ctx: RuleContext) -> bool:
        return ctx.corpus is not None and self._operation(q) is not None

    @staticmethod
    def _operation(q: Question) -> str | None:
        if TIME_ASKED.search(q.norm) and CLOCK.search(q.plain):
            return "time"
        if NEXT_ASKED.search(q.norm) and re.search(r"\d{4}年", q.norm):
            return "next"
        if INVERSE_ASKED.search(q.norm) and re.search("多少|多大|几", q.norm):
            return "whole"
        if POINTS_ASKED.search(q.norm) and len(CONJUNCTION.findall(q.norm)) >= 1:
            return "points"
        if DIFF_ASKED.search(q.norm) and not q.has("项目", "附件", "清单", "由", "从") and not re.search("工程(?!治理)", q.norm):
            return "difference"
        if PER_YEAR_ASKED.search(q.norm) and years_asked(q) and not q.has("项目", "工程", "附件", "清单"):
            return "per_year"
        if sum_parts(q) and not q.has("项目", "附件", "清单") and not re.search("工程(?!治理)", q.norm):
            return "sum"
        if RATIO_ASKED.search(q.norm):
            return "ratio"
        if SHARE_ASKED.search(q.norm) or INNER_SHARE.search(q.norm):
            return "share"
        if CHANGE_ASKED.search(q.norm) and not q.areas and not q.money:
            return "change"
        if FLOOR_ASKED.search(q.norm) and len(_FIGURE.findall(q.plain)) == 1:
            return "rate"
        return None

    @classmethod
    def operation(cls, q: Question) -> str | None:
        """The operation the question asks over figures of the texts, if any."""
        return cls._operation(q)

    @classmethod
    def sentence_operation(cls, q: Question) -> bool:
        """Does the question ask an operation between figures of one sentence (a sum, a difference, points, per year)?"""
        return cls._operation(q) in ("sum", "difference", "points", "per_year")

    def compute(self, q: Question, ctx: RuleContext) -> list[Computation]:
        op = self._operation(q)
        ops = {"change": self._change, "ratio": self._ratio, "share": self._share, "rate": self._rate, "time": self._time,
               "points": self._points, "whole": self._whole, "next": self._next, "per_year": self._per_year, "sum": self._sum, "difference": self._difference}
        comp = ops[op or ""](q, ctx)
        if comp is None and op == "difference" and CHANGE_ASKED.search(q.norm):
            comp = self._change(q, ctx)  # 'A比B少了多少' may also read one sentence's change 由…到…
        if comp is not None and op == "difference" and "difference" in comp.details:
            times = self._times(q, ctx)  # '…多多少公顷，是它的几倍': the same two figures divided too
            return [comp, times] if times else [comp]
        return [comp] if comp else []

    def _comp(
        self, q: Question, ctx: RuleContext, found: Found, title: str, result: str, formula: str, value: Fraction | None,
        understood: list[Understood], readings: list[Reading] | None = None, details: dict | None = None,
    ) -> Computation:
        doc = ctx.document(found.doc_id)
        understood = [Understood(words="、".join(found.anchors), value=f"“{found.sentence.strip()}”", category="问题所指的原文语句"), *understood]
        return Computation(
            rule=self.name, title=f"{title}（{doc.citation_title()}）", result=result, value=decimal_value(value) if value is not None else None,
            formula=formula, inputs={"原文": found.sentence.strip()}, citation_ids=[found.unit_id],
            warnings=[*doc_warnings(q, found.doc_id, ctx), "数字取自原文语句，计算按原文印刷的数值；原文自身的口径和四舍五入以原文为准。"],
            understood=understood, readings=readings or [], details=details or {},
        )

    def _change(self, q: Question, ctx: RuleContext) -> Computation | None:
        """'非油气矿山数量由2015年的617家减少到2020年底的110家': how many fewer, by what share."""
        def pair(sentence: str) -> tuple[Amount, Amount] | None:
            verb = _CHANGE_VERB.search(sentence)
            if not verb or not re.search(r"[由从]", sentence[: verb.start()]):
                return None
            found = amounts(sentence)
            before = [a for a in found if a.start < verb.start()]
            after = [a for a in found if a.start > verb.start()]
            if not before or not after or before[-1].forms[0].unit != after[0].forms[0].unit:
                return None
            return before[-1], after[0]

        hit = _best_read(q, ctx, pair)
        if hit is None:
            return None
        found, (a, b) = hit
        x, y = a.forms[0], b.forms[0]
        diff = y.value - x.value
        word = "增加" if diff > 0 else "减少"
        result = f"原文“{found.sentence[a.label_start: y.end].strip()}”：{word}{fmt(abs(diff))}{x.unit}"
        share = None
        if x.value:
            share = diff / x.value
            result += f"，{'增长' if diff > 0 else '下降'}{_pct(abs(share))}（{fmt(abs(diff))} ÷ {fmt(x.value)}）"
        return self._comp(
            q, ctx, found, "原文数字的变化", result,
            f"{fmt(y.value)} − {fmt(x.value)} = {fmt(diff)}{x.unit}" + (f"；{fmt(diff)} ÷ {fmt(x.value)} = {_pct(share)}" if share is not None else ""),
            abs(diff),
            [Understood(words=f"{a.label}{x.raw}", value=x.raw, category="起点"), Understood(words=f"{b.label}{y.raw}", value=y.raw, category="终点")],
            details={"difference": str(diff), "share": str(share) if share is not None else None},
        )

    def _ratio(self, q: Question, ctx: RuleContext) -> Computation | None:
        """'平均每亩换回多少钱': the money the sentence states over the area it states."""
        m = RATIO_ASKED.search(q.norm)
        assert m is not None
        per = m.group(2)
        # "复垦费每亩多少钱" divides a fee: money the sentence states as 资金 or 投资 is another kind
        kinds = money_words(q.norm)

        def parts(sentence: str) -> tuple[Amount, Amount] | None:
            found = amounts(sentence)
            money = [a for a in found if a.family == "money" and (not kinds or any(w in a.label for w in kinds))]
            area = [a for a in found if a.family == "area"]
            return (money[0], area[0]) if len(money) == 1 and len(area) == 1 else None

        hit = _best_read(q, ctx, parts)
        if hit is None:
            return None
        found, (money, area) = hit
        per_base = UNITS[per][1]
        forms = sorted(area.forms, key=lambda f: f.unit.endswith(per) is False)  # the form in the asked unit first
        readings = []
        for f in forms:
            wan_yuan = money.forms[0].base / 10000 / (f.base / per_base)
            readings.append((f, wan_yuan))
        f0, v0 = readings[0]
        result = f"{money.label}{money.forms[0].raw} ÷ {area.label}{f0.raw} = 每{per}{fmt(v0, 2)}万元"
        others = [Reading(label=f"按{f.raw}计算", result=f"每{per}{fmt(v, 2)}万元") for f, v in readings]
        if len(readings) > 1:
            result += "（按原文另一种写法" + "；".join(f"{f.raw}计算为每{per}{fmt(v, 2)}万元" for f, v in readings[1:]) + "，差别来自原文换算的四舍五入）"
        return self._comp(
            q, ctx, found, "原文数字的平均值", result, f"{money.forms[0].raw} ÷ {f0.raw} = {fmt(v0, 4)}万元/{per}", v0 if len(readings) == 1 else None,
            [Understood(words=f"{money.label}{money.forms[0].raw}", value=money.forms[0].raw, category="金额"),
             Understood(words=f"{area.label}{'（'.join(f.raw for f in area.forms)}", value=f0.raw, category="面积")],
            readings=others if len(readings) > 1 else [], details={"per_unit_wan_yuan": [str(v) for _, v in readings]},
        )

    def _share(self, q: Question, ctx: RuleContext) -> Computation | None:
        """'供应的国有建设用地占审批建设用地的百分之多少': one stated figure over another of the same kind."""
        inner = INNER_SHARE.search(q.norm)
        m = SHARE_ASKED.search(q.norm)
        if inner is not None:  # '预计供应的建设用地里划拨的占多大比例': the whole first, the part inside it
            part_words, whole_words = inner.group("part"), inner.group("whole")
        else:
            assert m is not None
            part_words, whole_words = q.norm[max(0, m.start() - 16): m.start()], m.group("whole")

        def pick(sentence: str) -> tuple[Amount, Amount] | None:
            found = [a for a in amounts(sentence) if a.family != "percent"]
            if len(found) < 2:
                return None
            part = max(found, key=lambda a: _common(part_words, a.label))
            whole = max(found, key=lambda a: _common(whole_words, a.label))
            if part is whole or part.family != whole.family:
                return None
            # three shared characters, or the whole of a shorter word ('划拨')
            if _common(part_words, part.label) < min(3, len(part_words)) or _common(whole_words, whole.label) < min(3, len(whole_words)):
                return None
            return part, whole

        hit = _best_read(q, ctx, pick)
        if hit is None:
            return None
        found, (part, whole) = hit
        shares = [(fp, fw, fp.base / fw.base) for fp, fw in zip(part.forms, whole.forms, strict=False)]
        fp, fw, s0 = shares[0]
        result = f"{part.label}{fp.raw} ÷ {whole.label}{fw.raw} = {_pct(s0)}"
        readings = [Reading(label=f"按{a.raw}与{b.raw}", result=_pct(s)) for a, b, s in shares]
        if len(shares) > 1:
            result += "（按原文另一种写法" + "；".join(f"{a.raw} ÷ {b.raw} = {_pct(s)}" for a, b, s in shares[1:]) + "，差别来自原文换算的四舍五入）"
        return self._comp(
            q, ctx, found, "原文数字的占比", result, f"{fp.raw} ÷ {fw.raw} × 100% = {_pct(s0)}", s0 * 100 if len(shares) == 1 else None,
            [Understood(words=part.label, value=fp.raw, category="部分"), Understood(words=whole.label, value=fw.raw, category="总体")],
            readings=readings if len(shares) > 1 else [], details={"shares_percent": [str(s * 100) for *_, s in shares]},
        )

    def _rate(self, q: Question, ctx: RuleContext) -> Computation | None:
        """'计划指标2000亩，…用地至少要留多少': the one percentage a sentence states for the subject, times the base."""
        base_m = _FIGURE.search(q.plain)
        assert base_m is not None
        base = StatedFigure(Fraction(Decimal(base_m.group(1))), base_m.group(2), base_m.group(0), base_m.start(), base_m.end())
        if base.family == "percent":
            return None

        def rate(sentence: str) -> Amount | None:
            pcts = [a for a in amounts(sentence) if a.family == "percent"]
            return pcts[0] if len(pcts) == 1 else None

        hit = _best_read(q, ctx, rate)
        if hit is None:
            return None
        found, pct = hit
        r = pct.forms[0].value
        value = base.value * r / 100
        before = found.sentence[max(0, pct.start - 12): pct.start]
        bound = "至少" if re.search(r"不低于|不少于|至少|以上", before) else "最多" if re.search(r"不超过|不得超过|不高于|以内|以下|最多", before) else ""
        result = f"{bound}{fmt(value)}{base.unit}（{base.raw} × {pct.forms[0].raw}，原文：“{found.sentence[pct.label_start: pct.forms[0].end].strip()}”）"
        return self._comp(
            q, ctx, found, "按原文比例计算", result, f"{fmt(base.value)} × {fmt(r)}% = {fmt(value)}{base.unit}", value,
            [Understood(words=base.raw, value=base.raw, category="问题给出的基数"),
             Understood(words=f"{pct.label}{pct.forms[0].raw}", value=pct.forms[0].raw, category="原文比例")],
            details={"base": str(base.value), "rate_percent": str(r), "bound": bound},
        )


    def _points(self, q: Question, ctx: RuleContext) -> Computation | None:
        """'A和B的比重相差几个点': the difference of two percentages one sentence states, in percentage points."""
        m = POINTS_ASKED.search(q.norm)
        assert m is not None
        head = re.split(r"[，,。？?；;]", q.norm[: m.start()])[-1]
        parts = [p for p in CONJUNCTION.split(re.sub(r"(的)?(占比|比重|比例|比率)", "", head)) if len(p) >= 2]
        if len(parts) != 2:
            return None
        bound = bind_parts(ctx, parts, family="percent", question=q.norm, docs=question_docs(q, ctx), counties=counties_named(q))
        if bound is None:
            return self._points_apart(q, ctx, parts)
        found, (a, b) = bound
        x, y = a.forms[0], b.forms[0]
        diff = x.value - y.value
        result = f"{a.label}{x.raw}，{b.label}{y.raw}，相差{fmt(abs(diff))}个百分点"
        return self._comp(
            q, ctx, found, "原文两个比例之差", result, f"{fmt(x.value)}% − {fmt(y.value)}% = {fmt(diff)}个百分点", abs(diff),
            [Understood(words=parts[0], value=x.raw, category=f"原文“{a.label}”"), Understood(words=parts[1], value=y.raw, category=f"原文“{b.label}”")],
            details={"points": str(diff)},
        )

    def _points_apart(self, q: Question, ctx: RuleContext, parts: list[str]) -> Computation | None:
        """'生态保护红线和自然保护地占国土面积的比例差几个百分点': each share stated by a sentence of its own, the one
        sentence with a single percentage that prints the part's head and shares four specific characters with it."""
        docs = question_docs(q, ctx)
        picked: list[tuple[str, str, Amount]] = []
        for part in parts:
            scored = []
            for unit_id, doc_id, sentence in _sentences(ctx):
                pcts = [a for a in amounts(sentence) if a.family == "percent"]
                if (docs and doc_id not in docs) or len(pcts) != 1 or not _speaks_of(ctx, doc_id, sentence, counties_named(q)):
                    continue
                # the part's head ('处置率') first, then its specific words shared with the sentence
                score = (_tail(part, sentence), _common(_specific(part), _specific(sentence, "＃")))
                scored.append((score, unit_id, sentence, pcts[0]))
            scored.sort(key=lambda x: x[0], reverse=True)
            if not scored or scored[0][0][1] < 4 or (len(scored) > 1 and scored[1][0] == scored[0][0]):
                return None
            picked.append(scored[0][1:])
        (ua, sa, a), (ub, sb, b) = picked
        if ua == ub and sa == sb:
            return None
        x, y = a.forms[0], b.forms[0]
        diff = x.value - y.value
        doc = ctx.document(ua.split(":", 1)[0])
        return Computation(
            rule=self.name, title=f"原文两个比例之差（{doc.citation_title()}）", value=decimal_value(abs(diff)),
            result=f"{parts[0]}：“{sa.strip()}”；{parts[1]}：“{sb.strip()}”；相差{fmt(abs(diff))}个百分点",
            formula=f"{fmt(x.value)}% − {fmt(y.value)}% = {fmt(diff)}个百分点", inputs={"原文": [sa.strip(), sb.strip()]},
            citation_ids=list(dict.fromkeys([ua, ub])),
            warnings=[*doc_warnings(q, doc.id, ctx), "两个比例取自不同的原文语句；比较前请确认两者的基数（如“国土面积”）相同。"],
            understood=[Understood(words=parts[0], value=x.raw, category="原文比例"), Understood(words=parts[1], value=y.raw, category="原文比例")],
            details={"points": str(diff)},
        )

    def _per_year(self, q: Question, ctx: RuleContext) -> Computation | None:
        """'十四五预计供应建设用地平均到五年每年多少公顷、合多少亩': a stated figure over the years the question gives."""
        years = years_asked(q)
        assert years is not None
        n, said = years
        subject = ASKING_WORDS.sub("｜", q.norm.replace(said, "｜"))
        # the figure must be named by four characters or more, and stated for the plan period the question names
        bound = bind_parts(ctx, [subject], least=4, distinct=2, within=said if said in PLAN_YEARS else "", question=q.norm,
                           docs=question_docs(q, ctx), counties=counties_named(q))
        if bound is None:
            return None
        found, (amount,) = bound
        if amount.family not in ("area", "money"):
            return None
        wanted = [u for u in ("公顷", "亩", "万亩", "平方公里", "万元", "亿元", "元") if f"多少{u}" in q.norm or f"几{u}" in q.norm or f"合{u}" in q.norm]
        forms = sorted(amount.forms, key=lambda f: not (wanted and f.unit.endswith(wanted[0])))
        first = forms[0]
        per_base = first.base / n
        shown_units = wanted or [first.unit]
        shown = "，合".join(f"{fmt(per_base / UNITS[u][1])}{u}" for u in shown_units if UNITS.get(u, ("",))[0] == amount.family)
        result = f"{amount.label}{first.raw} ÷ {n}年 = 每年{shown}"
        readings = []
        if len(forms) > 1:
            same = [u for u in shown_units if UNITS.get(u, ("",))[0] == amount.family]
            others = [f"{f.raw} ÷ {n}年 = 每年" + "，".join(f"{fmt(f.base / n / UNITS[u][1])}{u}" for u in same) for f in forms[1:]]
            readings = [Reading(label=f"按{f.raw}计算", result=o) for f, o in zip(forms[1:], others, strict=True)]
            result += "（按原文另一种写法" + "；".join(others) + "，差别来自原文换算的四舍五入）"
        unit0 = shown_units[0] if UNITS.get(shown_units[0], ("",))[0] == amount.family else first.unit
        value = per_base / UNITS[unit0][1]
        return self._comp(
            q, ctx, found, "原文数字按年平均", result,
            f"{first.raw} ÷ {n} = {fmt(value)}{unit0}/年" + ("；1公顷 = 15亩" if amount.family == "area" else ""), value,
            [Understood(words=amount.label, value=first.raw, category="原文数字"), Understood(words=said, value=f"{n}年", category="平均的年数")],
            readings=readings, details={"years": n, "per_year": str(value), "unit": unit0},
        )

    def _difference(self, q: Question, ctx: RuleContext) -> Computation | None:
        """'划拨用地比出让土地多多少公顷': two figures of one kind that one sentence states, subtracted."""
        m = DIFF_ASKED.search(q.norm)
        assert m is not None
        parts = [antecedent(q.norm, m.start(), p) for p in diff_parts(m)]
        if not all(parts):
            return None
        bound = bind_parts(ctx, parts, question=q.norm, docs=question_docs(q, ctx), counties=counties_named(q))
        if bound is None:
            return self._difference_apart(q, ctx, parts)
        found, (a, b) = bound
        asked = units_asked(q.norm, a.family)
        a, b = printed_in([a, b], asked)
        x, y = a.forms[0], b.forms[0]
        if x.unit != y.unit:
            return None
        diff = x.value - y.value
        factor = UNITS[x.unit][1]
        wanted = [u for u in asked if u != x.unit]
        more = "多" if diff >= 0 else "少"
        result = f"{a.label}{x.raw}，{b.label}{y.raw}，前者{more}{fmt(abs(diff))}{x.unit}"
        if wanted:
            result += "（" + "，".join(f"{fmt(abs(diff) * factor / UNITS[u][1])}{u}" for u in wanted) + "）"
        elif asked and len(a.forms) > 1 and len(b.forms) > 1 and a.forms[1].unit == b.forms[1].unit:
            # the figures as printed in the asked unit decide; the other printing is shown, not converted
            result += f"（原文另写作{a.forms[1].raw}、{b.forms[1].raw}，相差{fmt(abs(a.forms[1].value - b.forms[1].value))}{a.forms[1].unit}）"
        shown = abs(diff) * factor / UNITS[wanted[0]][1] if wanted else abs(diff)  # the number in the unit asked
        return self._comp(
            q, ctx, found, "原文两个数字之差", result,
            f"{fmt(x.value)} − {fmt(y.value)} = {fmt(diff)}{x.unit}" + (f" = {fmt(shown)}{wanted[0]}" if wanted else ""), shown,
            [Understood(words=parts[0], value=x.raw, category=f"原文“{a.label}”"), Understood(words=parts[1], value=y.raw, category=f"原文“{b.label}”")],
            details={"difference": str(diff), "unit": x.unit},
        )

    def _difference_apart(self, q: Question, ctx: RuleContext, parts: list[str]) -> Computation | None:
        """'工程治理的隐患点比专项勘查的多几处': each figure stated by a sentence of its own ('对…20处（…）进行专项勘查',
        '对…25处（…）进行工程治理'), each the head figure said with the part's words (`_said_with`), subtracted."""
        picked = [_said_with(q, ctx, part) for part in parts]
        if any(p is None for p in picked):
            return None
        (ua, sa, a), (ub, sb, b) = [p for p in picked if p is not None]
        x, y = a.forms[0], b.forms[0]
        if x.unit != y.unit or (ua == ub and sa == sb and a.start == b.start):
            return None
        if ctx.texts.unit(ua).heading_path[:1] != ctx.texts.unit(ub).heading_path[:1]:
            return None  # a chapter's review of past results and another's targets are figures of different times
        diff = x.value - y.value
        doc = ctx.document(ua.split(":", 1)[0])
        more = "多" if diff >= 0 else "少"
        return Computation(
            rule=self.name, title=f"原文两个数字之差（{doc.citation_title()}）", value=decimal_value(abs(diff)),
            result=f"{parts[0]}：“{sa.strip()}”（{x.raw}）；{parts[1]}：“{sb.strip()}”（{y.raw}）；前者{more}{fmt(abs(diff))}{x.unit}",
            formula=f"{fmt(x.value)} − {fmt(y.value)} = {fmt(diff)}{x.unit}", inputs={"原文": list(dict.fromkeys([sa.strip(), sb.strip()]))},
            citation_ids=list(dict.fromkeys([ua, ub])),
            warnings=[*doc_warnings(q, doc.id, ctx), "两个数字取自不同的原文语句；相减前请确认两者说的是同一类对象。"],
            understood=[Understood(words=parts[0], value=x.raw, category="原文数字（被减数）"),
                        Understood(words=parts[1], value=y.raw, category="原文数字（减数）")],
            details={"difference": str(diff), "unit": x.unit},
        )

    def _times(self, q: Question, ctx: RuleContext) -> Computation | None:
        """A clause of its own asking how many times (or what percent) the first figure of a difference is of the
        second ('划拨用地比出让土地多多少公顷，是它的几倍'): the same two figures, divided."""
        clause = next((c for c in re.split(r"[，,；;？?。]", q.norm) if TIMES_ASKED.search(c) and not DIFF_ASKED.search(c)), None)
        m = DIFF_ASKED.search(q.norm)
        if clause is None or m is None:
            return None
        parts = diff_parts(m)
        bound = bind_parts(ctx, parts, question=q.norm, docs=question_docs(q, ctx), counties=counties_named(q))
        if bound is None:
            return None
        found, (a, b) = bound
        forward = ratio_direction(clause, a.label, b.label)
        if forward is None:
            return None
        if not forward:  # '出让土地是划拨用地的百分之几': the other way round
            (a, b), parts = (b, a), parts[::-1]
        x, y = a.forms[0], b.forms[0]
        if x.unit != y.unit or y.value == 0:
            return None
        ratio = x.value / y.value
        percent = "倍" not in clause
        shown = f"{fmt(ratio * 100, 2)}%" if percent else f"{fmt(ratio, 2)}倍"
        return self._comp(
            q, ctx, found, "原文两个数字之比", f"{a.label}{x.raw}是{b.label}{y.raw}的{shown}", f"{fmt(x.value)} ÷ {fmt(y.value)} = {fmt(ratio, 4)}",
            ratio * 100 if percent else ratio,
            [Understood(words=parts[0], value=x.raw, category=f"原文“{a.label}”"), Understood(words=parts[1], value=y.raw, category=f"原文“{b.label}”")],
            details={"ratio": str(decimal_value(ratio, 6))},
        )

    def _sum(self, q: Question, ctx: RuleContext) -> Computation | None:
        """'已设的和拟设的采矿权一共几个': several figures one sentence states, added."""
        parts = sum_parts(q)
        found_parts = stated_sum(ctx, parts, question=q.norm, docs=question_docs(q, ctx) or None, counties=counties_named(q))
        if found_parts is None:
            return self._sum_across(q, ctx)
        found, chosen, total, unit = found_parts
        result = "，".join(f"{a.label}{a.forms[0].raw}" for a in chosen) + f"，合计{fmt(total)}{unit}"
        family, factor = UNITS[unit]
        wanted = [u for u in units_asked(q.norm, family) if u != unit]
        if wanted:
            result += "（" + "，".join(f"{fmt(total * factor / UNITS[u][1])}{u}" for u in wanted) + "）"
        shown = total * factor / UNITS[wanted[0]][1] if wanted else total  # the number in the unit asked
        return self._comp(
            q, ctx, found, "原文数字相加", result,
            " + ".join(fmt(a.forms[0].value) for a in chosen) + f" = {fmt(total)}{unit}" + (f" = {fmt(shown)}{wanted[0]}" if wanted else ""), shown,
            [Understood(words=p, value=a.forms[0].raw, category=f"原文“{a.label}”") for p, a in zip(parts, chosen, strict=True)],
            details={"sum": str(total), "unit": unit},
        )

    def _sum_across(self, q: Question, ctx: RuleContext) -> Computation | None:
        """'专项勘查和工程治理的地灾点里泥石流一共多少处': one item ('泥石流') that each of several sentences states, each
        sentence the one that names its part ('专项勘查', '工程治理') by four specific characters or more, added."""
        m = ITEM_INSIDE.search(q.norm)
        if m is None:
            return None
        item = m.group("item")
        contexts = [p for p in CONJUNCTION.split(re.split(r"[，,。？?；;]", q.norm[: m.start()])[-1]) if len(p) >= 2]
        if len(contexts) < 2:
            return None
        docs, counties = question_docs(q, ctx), counties_named(q)
        picked: list[tuple[str, str, Amount, str]] = []
        for context in contexts:
            scored = []
            for unit_id, doc_id, sentence in _sentences(ctx):
                if (docs and doc_id not in docs) or not _speaks_of(ctx, doc_id, sentence, counties):
                    continue
                items = [a for a in amounts(sentence) if a.label.endswith(item)]
                if len(items) != 1:
                    continue
                scored.append((_common(_specific(context), _specific(sentence, "＃")), unit_id, sentence, items[0]))
            scored.sort(key=lambda x: -x[0])
            if not scored or scored[0][0] < 4 or (len(scored) > 1 and scored[1][0] == scored[0][0]):
                return None
            picked.append((scored[0][1], scored[0][2], scored[0][3], context))
        units = {a.forms[0].unit for _, _, a, _ in picked}
        if len(units) != 1 or len({s for _, s, _, _ in picked}) != len(picked):
            return None  # figures of different units, or two parts bound to one sentence: no sum across sentences
        unit = units.pop()
        total = sum((a.forms[0].value for _, _, a, _ in picked), Fraction(0))
        doc = ctx.document(picked[0][0].split(":", 1)[0])
        return Computation(
            rule=self.name, title=f"原文数字相加（{doc.citation_title()}）", value=decimal_value(total),
            result="；".join(f"{c}：“{s.strip()}”中{a.label}{a.forms[0].raw}" for _, s, a, c in picked) + f"；合计{fmt(total)}{unit}",
            formula=" + ".join(fmt(a.forms[0].value) for _, _, a, _ in picked) + f" = {fmt(total)}{unit}",
            inputs={"原文": [s.strip() for _, s, _, _ in picked]}, citation_ids=list(dict.fromkeys(u for u, _, _, _ in picked)),
            warnings=[*doc_warnings(q, doc.id, ctx), "各数取自不同的原文语句；相加前请确认它们不重复计算同一对象。"],
            understood=[Understood(words=c, value=a.forms[0].raw, category=f"原文“{a.label}”（{c}）") for _, _, a, c in picked],
            details={"sum": str(total), "unit": unit},
        )

    def _whole(self, q: Question, ctx: RuleContext) -> Computation | None:
        """'按生态保护红线面积和占比倒推国土面积': the whole a sentence's figure and its share imply (figure ÷ share)."""
        def pair(sentence: str) -> tuple[Amount, Amount] | None:
            found = amounts(sentence)
            pcts = [a for a in found if a.family == "percent"]
            if len(pcts) != 1:
                return None
            before = [a for a in found if a.family != "percent" and a.start < pcts[0].start]
            return (before[-1], pcts[0]) if before and pcts[0].forms[0].value else None

        hit = _best_read(q, ctx, pair)
        if hit is None:
            return None
        found, (part, pct) = hit
        f, r = part.forms[0], pct.forms[0].value
        whole = f.value / (r / 100)
        whose = found.sentence[pct.label_start: pct.start].strip()
        result = f"{part.label}{f.raw}，{whose}{pct.forms[0].raw}：推算整体{fmt(whole, 2)}{f.unit}（{f.raw} ÷ {pct.forms[0].raw}，比例是原文四舍五入后的数）"
        return self._comp(
            q, ctx, found, "按原文数字和占比推算整体", result, f"{fmt(f.value)} ÷ {fmt(r)}% = {fmt(whole, 4)}{f.unit}", whole,
            [Understood(words=part.label, value=f.raw, category="部分"), Understood(words=whose, value=pct.forms[0].raw, category="占整体的比例")],
            details={"whole": str(decimal_value(whole, 6)), "unit": f.unit},
        )

    def _time(self, q: Question, ctx: RuleContext) -> Computation | None:
        """'上午9点发生灾情，最晚几点出正射影像': a clock time the question gives plus the hours a sentence allows."""
        clock = CLOCK.search(q.plain)
        assert clock is not None
        if re.match(r"[零一二两三四五六七八九十刻\d]", q.norm[clock.end(): clock.end() + 1]):
            return None  # minutes written in a way not read here ('十点十分', '一刻'): no time rather than a wrong one
        hour, minute = int(clock.group(2)), 30 if clock.group(4) else int(clock.group(3) or 0)
        if clock.group(1) in ("下午", "晚上") and hour < 12:
            hour += 12
        if hour > 24 or minute > 59:
            return None

        def hours(sentence: str) -> int | None:
            found = HOURS_WITHIN.findall(sentence)
            value = parse_number(found[0]) if len(found) == 1 else None
            return int(value) if value is not None and value.denominator == 1 else None

        hit = _best_read(q, ctx, hours)
        if hit is None:
            return None
        found, n = hit
        total = hour * 60 + minute + n * 60
        day, rest = divmod(total, 24 * 60)
        end = f"{'次日' * day if day == 1 else f'{day}日后' if day else ''}{rest // 60:02d}:{rest % 60:02d}"
        said = f"{hour:02d}:{minute:02d}"
        return self._comp(
            q, ctx, found, "按原文时限推算时刻", f"最晚{end}（{said}起{n}小时内）", f"{said} + {n}小时 = {end}", None,
            [Understood(words=clock.group(0), value=said, category="起始时刻"), Understood(words=f"{n}小时内", value=f"{n}小时", category="原文时限")],
            details={"start": said, "hours": n, "end": end},
        )


    def _next(self, q: Question, ctx: RuleContext) -> Computation | None:
        """'测量标志2021年普查过，下一次普查该哪年': the one year the question gives plus the cycle a sentence states
        for the act it names ('每五年1次测量标志普查维修' -> 2026)."""
        years = list(re.finditer(r"(\d{4})年", q.norm))
        if len({y.group(1) for y in years}) != 1:
            return None  # two years: which one the cycle runs from is not said
        asked = NEXT_ASKED.search(q.norm)
        assert asked is not None
        # the act is what the question says was done that year and what it asks next ('2021年普查过，下一次普查该哪年')
        acts = re.split(r"[，,。；;？?]", q.norm[years[0].end():])[0] + "｜" + re.split(r"[，,。；;？?]", q.norm[asked.start():])[0]

        def cycle(sentence: str) -> tuple[int, str] | None:
            # the act the question names most of; two acts named as much (or neither by two characters) name none
            scored = sorted(((_common(m.group(2) or m.group(3), acts), m) for m in FREQUENCY.finditer(sentence)), key=lambda x: -x[0])
            if not scored or scored[0][0] < 2 or (len(scored) > 1 and scored[1][0] == scored[0][0]):
                return None
            m = scored[0][1]
            n = parse_number(m.group(1)) if m.group(1) else Fraction(1)
            return (int(n), m.group(0)) if n is not None and n.denominator == 1 and n > 0 else None

        hit = _best_read(q, ctx, cycle)
        if hit is None:
            return None
        found, (n, words) = hit
        last = int(years[0].group(1))
        comp = self._comp(
            q, ctx, found, "按原文周期推算下一次的年份", f"按原文“{words}”，{last}年之后的下一次在{last + n}年",
            f"{last} + {n} = {last + n}年", Fraction(last + n),
            [Understood(words=f"{last}年", value=f"{last}年", category="问题所说的上一次"),
             Understood(words=words, value=f"每{n}年一次", category="原文周期")],
            details={"last": last, "every_years": n, "next": last + n},
        )
        comp.warnings.append(f"按问题所说{last}年那一次起算周期；原文只写周期，没有写哪一年开始，如周期另有起算年份以实际安排为准。")
        return comp


HOOKS: list[Hook] = [TextArithmetic()]
