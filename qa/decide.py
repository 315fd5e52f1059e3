"""The decision: which passage binds the asked slot to the asked subject, and whether to answer, say 'not stated' or refuse."""
from __future__ import annotations

import re
import weakref
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Literal, NamedTuple

from ingest.pipeline import Corpus
from ingest.units import Unit
from qa import thesaurus, tokenize
from qa.cues import A_NOT_A, CHOICE_OF_DOING, cues, money_words
from qa.places import levels_named
from qa.question import Analysis, speller_for
from qa.retrieve import SINGLE_CHAR_WEIGHT, Ranker, Scored
from qa.rules.base import MAY_APPROVE
from qa.rules.mentions import extract_figures

AnswerKind = Literal["answered", "not_stated", "out_of_scope"]
SENTENCE_END = re.compile(r"(?<=[。；！？])")
# "（二）…工程。" heads an item; a short phrase without a comma ("落实耕地保护责任机制。") heads a paragraph
ITEM_TITLE = re.compile(r"^(?:(?:[（(][一二三四五六七八九十]+[）)]|\d+[.．、])[^，。；：]{2,40}|[^，。；：、]{2,14})。$")
NUMBER = r"(?:\d+(?:\.\d+)?|[一二三四五六七八九十百千万两半零〇]+)"
# What a passage must state to answer each kind of slot (None: any passage about the subject answers).
UNIT_WORDS = {
    "money": r"(?:万|亿)?元",
    "area": r"(?:万)?(?:亩|公顷|平方米|平方公里|平方千米)",
    "share": r"%|％",
    "count": r"(?:个|处|项|座|宗|家|条|类|种|批|所|户|人|村|乡|镇)",
    "duration": r"(?:个)?(?:工作日|日|天|个月|月|年|小时)",
}
# clauses that decide without a modal word (cues.toml [verdicts]): a referral to other rules ("依照有关法律法规的规定
# 执行"), and a consequence of listed cases ("有下列情形之一的，…收回土地使用权：（一）…")
REFERRAL = re.compile("|".join(cues().verdicts.get("referral", ())) or r"(?!)")
CASES = re.compile("|".join(map(re.escape, cues().verdicts.get("cases", ()))) or r"(?!)")
CONSEQUENCE_ACT = re.compile("|".join(map(re.escape, cues().verdicts.get("consequences", ()))) or r"(?!)")
CONSEQUENCE = re.compile(rf"(?:{CASES.pattern})[^。；]*?(?:{CONSEQUENCE_ACT.pattern})")
LISTED_ITEM = re.compile(r"[（(](?P<number>[一二三四五六七八九十]+)[）)](?P<case>[^；。（(]+)")
ITEM_FIGURE = re.compile(rf"{NUMBER}\s*(?:{UNIT_WORDS['duration']}|{UNIT_WORDS['area']}|{UNIT_WORDS['money']}|{UNIT_WORDS['share']})")
ITEM_SHARE = 0.5  # of a listed case's own words, the share the case told must hold for it to be the one that applies
SLOT_VALUE = {
    # a concrete duration: "在公告载明的期限内" names a period without stating it
    "period": re.compile(rf"{NUMBER}\s*{UNIT_WORDS['duration']}"),
    # a calendar date, or a time relative to an event ("提出征收土地申请前，应当…")
    "date": re.compile(r"\d{4}年|\d{1,2}月\d{1,2}日|之日起|起算|之日|之前|以前|届满|期满|[前后时][，,]"),
    "authority": re.compile(r"人民政府|主管部门|行政公署|机关|部门|委员会|机构|法院|政府|组织|单位|村民|集体经济组织|负责|厅|(?<![格布结全大当])局"),
    "verdict": re.compile(rf"不得|禁止|严禁|不准|不予|不允许|一律|应当|必须|须|方可|方能|可以|允许|准许|鼓励|支持|依法|{REFERRAL.pattern}"),
}
# a consequence of listed cases answers a question asking of that consequence ("能不能收回"), not one asking of
# another act its sentence names ("县里能批吗" is not decided by "…经原批准的人民政府批准，由…收回土地使用权")
VERDICT_OR_CONSEQUENCE = re.compile(rf"{SLOT_VALUE['verdict'].pattern}|{CONSEQUENCE.pattern}")
ENUMERATION = re.compile(r"(?:分为|分成|划分为|包括|包含)[^。；]*、")
# a role named right before the question word: "…的施工单位是哪家", "项目单位是谁"
ASKED_ROLE = re.compile(r"(?P<role>(?:(?![的之])[\u4e00-\u9fff]){2,4}(?:单位|机关|部门|机构|公司|企业))(?:是|为)?(?:哪家|哪个|哪一个|谁|什么)")
# "打给谁", "归谁所有": who receives (归谁管, 归哪个部门负责 ask who is in charge)
JOINED = re.compile(r"[和与及或]|以及")
ROW_WITH_UNIT = re.compile(r"[；｜]单位：[^；｜]+；.*?：\d")  # a table row whose unit column names what its figures count
DATING_CLAUSE = re.compile(r"(?:之前|以前|之后|以后|期间)[，,：:]?\s*$")  # a clause ending in when: it dates what follows
TIME_CLAUSE = re.compile(r"[\u4e00-\u9fff]{1,6}?(?:完|好|结束|了)?(?:之前|之后|以前|以后)")
RECIPIENT_ASKED = re.compile(r"给谁|归谁(?=所有|[？?，。！]|$)")
NEXT_ASKED = re.compile(r"下一次|下次|下一轮|下一届|下一回")
FREQUENCY_ASKED = re.compile(r"一次|一回|一趟|每隔|频次|频率")
FREQUENCY = re.compile(rf"每(?:{NUMBER})?(?:个)?(?:年|季度|季|半年|月|周|日|天)|定期|逐年")
NEGATIVE = re.compile(r"不得|禁止|严禁|不准|不予|不允许|一律不")
# a limit on how much, not a ban; "在前款规定的标准内" bounds by another provision's figures (not past them: above)
LIMIT = re.compile(r"不得(?:超过|高于|低于|少于|大于|小于)|不超过|不低于|不少于|在[^，。；]{0,10}?标准(?:以)?内|限度内")
# which side of a bound a limit forbids, and which side a question asks to go ("能不能比标准低": below)
LIMIT_SIDE = {"超过": "above", "高于": "above", "大于": "above", "低于": "below", "少于": "below", "小于": "below"}
ASKED_SIDE = re.compile(
    r"比[^，。？！；]{1,20}?(?P<comparative>低|少|小|高|多|大|超)(?!少|大|长|久)"
    # a side word counts when a figure or a bound follows it ("超过5%", "低于标准"), not for "突破总体格局"
    r"|(?P<word>低于|少于|小于|不到|不足|高于|多于|大于|超过|超出|突破)(?=[^，。？！；]{0,3}(?:\d|[一二三四五六七八九十百千万两半]|标准|上限|下限|规定))"
)
SIDE_OF_WORD = {"低": "below", "少": "below", "小": "below", "不": "below", "高": "above", "多": "above", "大": "above", "超": "above", "突": "above"}
OBLIGATION = re.compile(r"应当|必须|须")
PERMISSION = re.compile(r"可以|允许|准许|鼓励|支持")
ASKED_NEED = re.compile(r"需要|需不需要|要不要|用不用|得不得|要求|应不应|该不该|是否要|是否需")
COPULA_ASKED = re.compile(r"是[^，。？！]{1,16}吗|是不是")
# a condition not yet met: "还没落实，能不能先报", "没落实之前", "未批就占" ("先" alone is an adverb of the act:
# "先把补偿款挪一部分…回头再补上" asks of the act, not whether it may come before a condition; see `asked_before`)
ASKED_BEFORE = re.compile(r"之前|以前|还没|还未|尚未|没有.{0,6}就|未[^，。？！]{1,8}?[就先]|提前")
# "先…后/再…" asks before what when what comes after is a condition event ("先开工后补手续", "先用后批"); so does 先
# beside an event told as not done ("两户一直没签补偿协议，施工队能不能先进场")
UNMET = re.compile(r"[没未](?:有)?[\u4e00-\u9fff]")
BEFORE_EVENT = r"先[^，。？！；]{{1,12}}?(?:后|再|然后)[^，。？！；]{{0,3}}?(?:{events})"
# "也按地下空间那套规定办吗": the asking clause proposes a rule to follow; its words name that rule, not the matter
ASKED_RULE = re.compile(r"(?:按|照|参照|比照|套用|适用)[^，。？！]{0,20}?(?:规定|办法|政策|标准|那套|那一套)")
CONDITIONAL = re.compile(r"方可|方能|才能|才可以")  # "…到位后，方可提出申请": only once the condition is met
MODAL = re.compile(rf"{NEGATIVE.pattern}|{OBLIGATION.pattern}|{CONDITIONAL.pattern}|{PERMISSION.pattern}")
# (得 of 取得/获得 or 得到 is no modal word)
ASKED_MODAL = re.compile(
    r"能不能|可不可以|可以|能否|可否|是否|允许|允不允许|准不准|行不行|行吗|行不|能|要不要|需不需要|必须|需要|(?<![取获所使值记觉懂晓难])得(?![到以及上了起动完住下出清])"
    # (得 before 及, 上, 了… completes a verb, "来得及", "赶得上": no must)
    # any other choice of doing offered ("中不中", "让不让"): the dialect's own words for 行不行 (the pattern's only
    # capturing group, so its \1 is its own)
    rf"|{CHOICE_OF_DOING.pattern}"
)
# the negation a question asks ("可以不编吗", "是不是不用报"), read in its asking words only: "要求…剥离" is the
# act, "他们说…就不用编了吧" the story
ASKED_NEGATIVE = re.compile(r"(?:可以|能|用|必须|需要)不|不用|不需要|不必|无需|免于")
NEGATION_AFTER = re.compile(r"不(?!动产)(?:用|必|需要?)?|无需|免于")  # "可以不编": the negation asked right after the modal word
REPORTED = re.compile(r"^[^，。；！？]{0,12}?(?:看到|看见|发现|听说|据说|反映|举报)(?:了|说)?(?=[^，。；！？]{4})")
CLAUSE = re.compile(r"[^，；：。？！?!,;]+[，；：。？！?!,;]*")
# words that point back to what was told ("这个能行不", "这么干允许吗") or stand for any act: no act of their own
POINTER = re.compile(r"这个|那个|这样|那样|这么|那么|这种|那种|这些|那些|此事|这事|[干搞弄做办]")
MIN_ACT_WORDS = 2  # words of two or more characters an act needs to pick a clause
ALTERNATIVE = "|"  # joins the texts' verbs for one act in staff words: a clause holding any of them names it
ACT_SHARE = 0.5  # a clause holding this share of the asked act's words speaks to a yes/no question
UNSPECIFIC_IDF = 2.0  # an act word printed this commonly (土地, 规划, 耕地) says what it is done to, not which act
CASE_FIGURE = re.compile(rf"\d|^(?:{UNIT_WORDS['area']}|{UNIT_WORDS['money']}|以下|以上|不足|超过)$")
ASKED_OBLIGATION = re.compile(r"必须|一定要|非得|是否应当|应不应当|应该")
DEPARTMENT = re.compile(r"主管部门|部门|局|厅")  # a government's department, not the government itself
CLAUSE_SPLIT = re.compile(r"(?<=[，；：。])")
ANCHOR = re.compile(r"[自从][^，。；]{0,30}?之日起")  # "自发布公告之日起": the event a period runs from
# a plan period the texts may or may not cover ("十三五", "十四五")
YEAR_SPAN = re.compile(r"(?:19|20)\d{2}\s*(?:年)?\s*[-—–~至到]\s*(?:19|20)\d{2}")
FIGURE_SENTENCE = re.compile(r"(?<=[。；])")  # the sentence a figure stands in
YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
PLAN_PERIOD = re.compile(r"十[一二三四五六七八九]?五")
DEFINED_TERM_CHARS = 3  # a term a definition question asks of is a compound (国土空间规划, 一次性开发), not a common word
# a list asked of places ("主要分布在哪几个乡镇", "放在哪") and the places a passage names in a list
WHERE_ASKED = re.compile(r"(?:分布|放|安排|落)在哪|哪(?:几|些)个?(?:乡镇|乡|镇|村)")
WHERE_SLOTS = frozenset({"list", "lookup"})
PLACE_LISTED = re.compile(r"[\u4e00-\u9fff]{1,8}?(?:乡|镇|村|园区|开发区|县|市)(?=[、，；：。]|$)|(?:[\u4e00-\u9fff]{2,5}、){2,}")
VALUE_SLOTS = {"period": "期限", "date": "日期", "authority": "负责机关", "quantity": "具体数值"}
FAMILY_NAMES = {"money": "金额", "area": "面积", "duration": "期限", "count": "数量", "share": "比例"}
BIND_SHARE = 0.5
HEADING_KINDS = frozenset({"heading", "box"})
STRONG_SHARE = 0.7  # a binding this strong outweighs low word coverage (colloquial questions)
DISTINCTIVE_TERM_CHARS = 3  # a passage binds the subject when it holds this share of the subject's weight
EVIDENCE_UNITS = 4  # units whose passages are weighed for binding
NEAR_SCORE = 0.6  # of the best unit's score: weaker units are not answers
ATTRIBUTION_CHARS = 5  # "里提到的“X”": the words saying a term is the texts' own stand just before it
RARE_TERM_UNITS = 5  # a quoted term in at most this many units names them; a commoner one is emphasis
RARE_ACT_UNITS = 5  # a word of the act asked printed in at most this many units is distinctive however short (拆分)
WHOLE_PART_CHARS = 200  # a 款 or 项 this short is quoted whole: its other sentence often completes the answer


@dataclass(frozen=True)
class Passage:
    unit: Unit  # the finest unit holding the passage (项, 款, article, paragraph, row)
    text: str  # a verbatim substring of unit.text
    rank: int  # rank of the searched unit it came from
    prior: float  # that unit's score relative to the best
    share: float  # share of the subject's weight found in the passage
    states_slot: bool


@dataclass
class Binding:
    """The decision for one question or one part of a multi-part question."""

    kind: AnswerKind
    passage: Passage | None = None
    reason_code: str | None = None
    reason: str | None = None
    verdict: str | None = None
    nearest: list[Passage] = field(default_factory=list)
    subject_terms: frozenset[str] = frozenset()  # the subject's words the texts use
    act_share: float = 0.0  # of a yes/no question's act words, the share its modal clause holds
    names_act: bool = False  # its modal clause holds the texts' verb for the act asked in staff words ("挪": 挪用)
    act_terms: frozenset[str] = frozenset()  # of the act's words, those few units print (拆分): distinctive, however short


# Verbs of deciding, in classes: "谁批" is answered by a body that approves, not by one that drafts.
APPROVAL_VERBS = ("批", "批准", "审批", "核准", "报批")
DECISION_VERBS = (
    APPROVAL_VERBS,
    ("审核", "审查", "复核", "核查"),
    ("编制", "组织编制", "编", "制定", "制订", "组织制定"),
    ("负责", "管理", "监督"),
    ("处理", "调处", "裁决", "处置"),
    ("受理", "登记", "备案"),
    ("验收",),
    ("决定", "认定", "确认", "确定", "研究确定"),
)
# a body that decides: an institution, or a level of government named alone ("经自治区验收", "报国务院批准")
AUTHORITY_BODY = (
    r"(?:人民政府|主管部门|行政公署|机关|部门|委员会|机构|法院|政府|村民小组|集体经济组织|乡（镇）|国务院|自治区|自然资源部|[厅局])"
)


def _decision_verbs(text: str, cue: str) -> tuple[str, ...]:
    """The verbs of the class the question asks about ("由谁批准" -> 批, 批准, 审批 …); () when it names none.

    When the question names acts of several classes ("方案编好以后报哪一级政府批准"), the act asked about
    is the one nearest the question word."""
    at = text.find(cue) if cue else -1
    end = at + len(cue)
    found: list[tuple[tuple[int, int], tuple[str, ...]]] = []
    for verbs in DECISION_VERBS:
        spans = [(m.start(), m.end()) for v in verbs for m in re.finditer(re.escape(v), text)]
        if spans:
            # the gap between act and question word; an act after it ("由谁批准") wins a tie
            gaps = [(s - end, 0) if s >= end else (at - e, 1) for s, e in spans] if at >= 0 else [(0, 0)]
            found.append((min(gaps), verbs))
    if not found:
        return ()
    if len(found) > 1:
        # "谁负责制定": 负责 only says someone is in charge; the act in charge of is the other verb
        found = [(distance, verbs) for distance, verbs in found if "负责" not in verbs] or found
    nearest = min(distance for distance, _ in found)
    return tuple(v for distance, verbs in found if distance == nearest for v in verbs)


def slot_value_pattern(analysis: Analysis) -> re.Pattern[str] | None:
    slot = analysis.slot
    if slot.kind == "authority":
        # (a question about a document itself: "发文单位是谁" is answered by its signature, which names no 发文单位)
        role = None if analysis.about_document else ASKED_ROLE.search(analysis.text)
        if RECIPIENT_ASKED.search(analysis.text):
            # "安置补助费打给谁", "归谁所有": the body the money or thing goes to, named after 给/归
            return re.compile(rf"(?:给|归|交|拨|存入)[^。；，]{{0,8}}{AUTHORITY_BODY}")
        if role:  # "施工单位是哪家": only a passage that names that role answers ("项目单位" is another)
            return re.compile(re.escape(role.group("role")))
        verbs = _decision_verbs(analysis.text, slot.cue)
        if verbs:  # the body and the asked kind of act in one clause
            act = "|".join(sorted(map(re.escape, verbs), key=len, reverse=True))
            # or the body is the sentence's subject and a later clause of it, naming no other body, acts
            # ("由…人民政府依法发布…公告，对个别未达成协议的，应当作出…决定")
            later = rf"{AUTHORITY_BODY}(?:(?!{AUTHORITY_BODY})[^。；]){{0,60}}，(?:应当|并|可以|须|负责)[^。；，]{{0,12}}(?:{act})"
            return re.compile(rf"{AUTHORITY_BODY}[^。；，]{{0,24}}(?:{act})|(?:{act})[^。；，]{{0,12}}{AUTHORITY_BODY}|{later}")
    if slot.kind == "definition":
        # "国土空间规划是指什么": the sentence that has the term as its subject and a copula after it ("国土空间规划是对…的
        # 安排", "本办法所称一次性开发，是指…") defines it; others only speak of it
        terms = sorted((t for t in analysis.subject_tokens - analysis.name_tokens if len(t) >= DEFINED_TERM_CHARS), key=len, reverse=True)
        if terms:
            return re.compile(rf"(?:{'|'.join(map(re.escape, terms[:3]))})(?:[”\"]?)[，,]?(?:是指|系指|是对|是|指|即)")
    if slot.kind == "date" and NEXT_ASKED.search(analysis.text):
        # "下一次修订在哪一年": past dates do not say when the next one is; a frequency (每五年) does
        return re.compile(rf"{FREQUENCY.pattern}|下一|届满|期满")
    if slot.kind == "period" and FREQUENCY_ASKED.search(analysis.text):
        # "多久考核一次" is answered by "每年…考核", a frequency, as well as by a number of days
        return re.compile(rf"{SLOT_VALUE['period'].pattern}|{FREQUENCY.pattern}")
    if slot.kind == "quantity":
        unit = UNIT_WORDS.get(slot.family or "", r"(?:万|亿)?(?:元|亩|公顷|平方米|平方公里|立方米|吨|公里|千米|个|处|项|座|宗|%|％|人|户|年|日)")
        # a year ("到2025年") is no quantity of anything, nor, asked a bare 多少, one of something ("作为一个整体")
        one = "" if slot.family else rf"(?!一{UNIT_WORDS['count']})"
        figure = rf"(?<![\d.])(?!(?:19|20)\d\d年){one}{NUMBER}\s*{unit}"
        if slot.family == "count":  # "分几类" is answered by the enumeration "分为A、B和C" as well as by a number
            return re.compile(rf"{figure}|{ENUMERATION.pattern}")
        return re.compile(figure)
    if slot.kind in WHERE_SLOTS and WHERE_ASKED.search(analysis.text):
        return PLACE_LISTED  # "分布在哪几个乡镇" is answered by the places named, not by a figure of the use
    if slot.kind == "verdict" and CONSEQUENCE_ACT.search(analysis.text):
        return VERDICT_OR_CONSEQUENCE
    return SLOT_VALUE.get(slot.kind)


# id of a loaded corpus -> unit id -> its passages; dropped when that corpus is (a reload takes its cuts with it)
_passages_cache: dict[int, dict[str, tuple[tuple[Unit, str], ...]]] = {}


def passages(corpus: Corpus, unit: Unit) -> tuple[tuple[Unit, str], ...]:
    """The quotable pieces of a unit: the sentences of its finest parts (项 within 款 within 条). Cut once per
    unit of a loaded corpus, not on every request."""
    cuts = _passages_cache.get(id(corpus))
    if cuts is None:
        cuts = _passages_cache[id(corpus)] = {}
        weakref.finalize(corpus, _passages_cache.pop, id(corpus), None)
    found = cuts.get(unit.id)
    if found is None:
        found = cuts[unit.id] = tuple(_cut(corpus, unit))
    return found


def sentences(text: str) -> list[str]:
    """The sentences of a text, stripped; an item's or paragraph's title ("（二）…工程。", "落实…机制。") stays with
    the sentence after it, which says what is done."""
    pieces = [s for s in SENTENCE_END.split(text) if s.strip()]
    if len(pieces) > 1 and ITEM_TITLE.match(pieces[0].strip()):
        pieces[:2] = [pieces[0] + pieces[1]]
    return [s.strip() for s in pieces]


def _cut(corpus: Corpus, unit: Unit) -> list[tuple[Unit, str]]:
    if unit.kind in {"table_row", "table_header", "box", "title"}:
        return [(unit, unit.text)]
    parts = [unit]
    if unit.kind == "article":
        clauses = corpus.children(unit.id)
        items = [item for clause in clauses for item in corpus.children(clause.id)]
        parts = items + [c for c in clauses if not corpus.children(c.id)] + [c for c in clauses if corpus.children(c.id)] or [unit]
    out: list[tuple[Unit, str]] = []
    for part in parts:
        cut = sentences(part.text)
        out.extend((part, s) for s in cut if s in part.text)
        if len(cut) > 1:
            out.append((part, part.text))
    return out


def _idf_weights(ranker: Ranker, words: Iterable[str]) -> dict[str, float]:
    """IDF weights of the words the texts use (a single character says little on its own)."""
    return {t: ranker.idf[t] * (SINGLE_CHAR_WEIGHT if len(t) == 1 else 1.0) for t in words if t in ranker.idf}


# a figure of the case: a number with a measure after it ("超过8%", "占了50公顷"), not a year or a reference
CASE_MEASURE = re.compile(
    rf"(\d+(?:\.\d+)?)\s*(?:{UNIT_WORDS['share']}|{UNIT_WORDS['area']}|{UNIT_WORDS['money']}|平米|倍|个?工作日|天|日|个月)"
)


def _weight(ranker: Ranker, analysis: Analysis) -> dict[str, float]:
    """IDF weights of the subject's words that the texts use; a word they never use cannot bind anything
    (colloquial words reach the texts' terms through the thesaurus; the out-of-scope check still counts them).
    A figure of the case says how much, not what about: a passage need not print it ("能超过8%吗")."""
    figures = {m.group(1) for m in CASE_MEASURE.finditer(analysis.text)}
    return _idf_weights(ranker, analysis.subject_tokens - analysis.name_tokens - figures - _routed_place_tokens(analysis))


def _routed_place_tokens(analysis: Analysis) -> frozenset[str]:
    """The words of places that route to one text alone ("宁夏全域整治的资金从哪来" searches 宁夏's text only): like a
    document's name they say which text, not which passage (the one unit printing 宁夏 is no better an answer). A place
    whose texts include wider ones (喀什: the 新疆 texts as well) keeps its words: there they pick what is said of it."""
    routed = analysis.route
    if routed.place_doc_ids is None or len(routed.place_doc_ids) != 1:
        return frozenset()
    return frozenset(t for place in routed.places for t in tokenize.content_tokens(place) | {place})


def candidate_passages(corpus: Corpus, ranker: Ranker, analysis: Analysis, ranked: list[Scored]) -> list[Passage]:
    weights = _weight(ranker, analysis)
    total = sum(weights.values()) or 1.0
    pattern = slot_value_pattern(analysis)
    best = ranked[0].score if ranked and ranked[0].score > 0 else 1.0
    out: list[Passage] = []
    own_words = _own_words(analysis, weights)
    years = [str(y) for y in analysis.years]
    expanded = tokenize.expand_query(analysis.subject)
    kinds = [(group, [m for m in group if m in expanded]) for group in cues().siblings]
    kinds = [(group, asked) for group, asked in kinds if asked]
    # a quantity is of a phrase of the subject the texts print as one ("新增建设用地") only where it is found whole:
    # its words apart ("新增用地…供应建设用地2.96万公顷") are something else
    phrases = _printed_phrases(corpus, analysis.subject, weights) if analysis.slot.kind == "quantity" else []
    for rank, scored in enumerate(ranked[:EVIDENCE_UNITS]):
        frame = document_frame(corpus, scored.unit.doc_id)
        printed = set(PLAN_PERIOD.findall(scored.unit.text))
        if printed and not printed & set(PLAN_PERIOD.findall(corpus.document(scored.unit.doc_id).title)):
            frame = frozenset()  # a unit printing another period only (a 十四五 plan's review of 十三五) is about that one
        for unit, text in passages(corpus, scored.unit):
            # a passage is about the period and place its document is for, printed or not
            apart = {t for phrase, words in phrases if phrase not in text for t in words}
            share = sum(w for t, w in weights.items() if (t in text and t not in apart) or t in frame) / total
            states = pattern is None or (_stated_about(pattern, text, own_words) if own_words else bool(pattern.search(text)))
            if not states and analysis.slot.kind == "quantity" and unit.kind == "table_row":
                states = bool(ROW_WITH_UNIT.search(text))  # "单位：%；…2025年：16": the unit stands in its own column
            if states and years and analysis.slot.kind == "quantity":
                states = _of_years(corpus, unit, text, years, pattern, analysis.text)
            if any(not any(m in text for m in asked) and any(m in text for m in group) for group, asked in kinds):
                share = 0.0  # it names other kinds of the asked one's classification, not it
            out.append(Passage(unit, text, rank, max(scored.score, 0.0) / best, share, states))
    return out


def _of_years(corpus: Corpus, unit: Unit, text: str, years: list[str], pattern: re.Pattern[str] | None = None, question: str = "") -> bool:
    """Is a figure of the passage one for the years asked? A passage printing years must print those asked (a 2025
    figure does not answer "2024年供应多少") in the sentence that states the figure (`pattern`): "完成…2018年国家地理
    国情监测等项目" beside "2020年末…耕地980182.33公顷" states no figure for 2018. One printing none is of its
    document's year, when the title has one."""
    printed = YEAR.findall(text)
    if any(f"{y}年：" in text and not re.search(rf"{y}年：\d", text) for y in years):
        return False  # the asked year's column holds no figure ("2025年：落实自治区下达目标")
    if printed and pattern is not None and unit.kind != "table_row":  # (a row prints its years as column names)
        return any(all(y in _single_years(s, question) for y in years) and pattern.search(s) for s in FIGURE_SENTENCE.split(text))
    if printed:
        return all(y in text for y in years)
    own = YEAR.findall(corpus.document(unit.doc_id).title)
    return not own or all(y in own for y in years)


def _single_years(sentence: str, question: str) -> str:
    """The sentence without the spans of years the question does not ask ("2018到2020年"): "2018-2020年累计跨省调剂
    指标1698.89公顷" sums the years, it gives no figure of 2018 alone."""
    return YEAR_SPAN.sub(lambda m: m.group() if all(y in question for y in YEAR.findall(m.group())) else " ", sentence)


def holds_own_words(ranker: Ranker, analysis: Analysis, passage: Passage) -> bool:
    """Does the passage hold the subject's own words as a binding would require?"""
    return _share(_weight(ranker, analysis), passage.text) >= BIND_SHARE


def _printed_phrases(corpus: Corpus, subject: str, weights: dict[str, float]) -> list[tuple[str, set[str]]]:
    """Runs of the subject's weighted words standing side by side that the texts print as one ("新增建设用地"), each
    with its words; a run joining two things ("批而未供和闲置土地") is not one."""
    spans = sorted((m.start(), m.end()) for t in weights if len(t) > 1 for m in re.finditer(re.escape(t), subject))
    runs: list[tuple[int, int]] = []
    for start, end in spans:
        if runs and start <= runs[-1][1]:
            runs[-1] = (runs[-1][0], max(runs[-1][1], end))
        else:
            runs.append((start, end))
    text = speller_for(corpus).corpus_text
    out = []
    for run_start, run_end in runs:
        # the longest stretch of the run from one word's edge to another's that the texts print
        starts = sorted({a for a, _ in spans if run_start <= a < run_end})
        ends = sorted({b for _, b in spans if run_start < b <= run_end}, reverse=True)
        stretches = sorted(((a, b) for a in starts for b in ends if b - a >= 4), key=lambda ab: ab[0] - ab[1])
        for a, b in stretches:
            piece = subject[a:b]
            words = {t for t in weights if len(t) > 1 and t in piece}
            if len(words) >= 2 and not JOINED.search(piece) and piece in text:
                out.append((piece, words))
                break
    return out


@lru_cache(maxsize=64)
def _period_words(title: str) -> frozenset[str]:
    return frozenset(tokenize.content_tokens(" ".join(PLAN_PERIOD.findall(title))) & tokenize.content_tokens(title))


def document_frame(corpus: Corpus, doc_id: str) -> frozenset[str]:
    """The words of the plan period a document's title says it is for ("喀什地区自然资源“十四五”规划": 十四五),
    which every passage of it is about. (Its place is not: "喀什" in a question still picks the passage that names
    the place, and routing already keeps to the place's texts.)"""
    return _period_words(corpus.document(doc_id).title)


def _own_words(analysis: Analysis, weights: dict[str, float]) -> list[str]:
    """Words one of which must stand beside the value for it to answer what is asked; [] when any value does.

    A period must be stated for the step asked ("公示时间不少于十日" does not say how long the 乡 takes to
    answer); a date for the event asked (a plan's 落款 is not when it was 批准), not merely in the document
    the question names; an amount for the kind of money asked (a fine is no tax)."""
    slot = analysis.slot
    if slot.kind in {"period", "date"}:
        # the events the subject names, in its words or in staff words for them ("付清": 支付)
        # (those of the clause that asks, when it names one: "公示完了…乡政府审核批准有没有时限" asks of the approval)
        asking = next((c for c in CLAUSE_SPLIT.split(analysis.text) if slot.cue and slot.cue in c), "")
        for said in (asking, analysis.subject) if asking else (analysis.subject,):
            named = [v for act, verbs in cues().acts.items() if act in said for v in verbs]
            events = [e for e in cues().events if e in said or e in named]
            if events:
                return events
        return [t for t in weights if len(t) > 1]
    if slot.family == "money":
        return list(money_words(analysis.text))
    return []


def _clause_end(text: str, at: int) -> int:
    """Where the clause running at `at` ends: the next ，；。 or the end of the text."""
    ends = [i for i in (text.find(p, at) for p in "，；。") if i >= 0]
    return min(ends) if ends else len(text)


def _stated_about(pattern: re.Pattern[str], text: str, words: list[str]) -> bool:
    """Does a value the pattern finds stand in its clause, with the clauses on either side, that holds one of the
    words?"""
    for match in pattern.finditer(text):
        if match.group().endswith(("，", ",")):
            # "…经依法批准后，在…公开": a time relative to one event dates the event of the clause after it
            if any(w in text[match.end(): _clause_end(text, match.end())] for w in words):
                return True
            continue
        start = max(text.rfind(p, 0, match.start()) for p in "，；。：")
        start = max(text.rfind(p, 0, start) for p in "，；。：") if start > 0 else start  # and the clause before
        end = _clause_end(text, match.end())
        if end < len(text) and text[end] == "，":  # and the clause after: "…三十日内，向人民法院起诉"
            end = _clause_end(text, end + 1)
        # the event a period runs from is no event it times: "自发布征收土地公告之日起三个月内足额支付"
        scope = ANCHOR.sub("", text[start + 1: end])
        if any(w in scope for w in words):
            return True
    return False


def quoted(passage: Passage) -> Passage:
    """The passage as quoted: a sentence of a short 款 or 项 is shown with the rest of it ("依法给予处分；
    构成犯罪的，依法追究刑事责任"), so the quote is the unit the answer rests on."""
    if passage.text == passage.unit.text or len(passage.unit.text) > WHOLE_PART_CHARS or passage.unit.kind in {"table_row", "box"}:
        return passage
    return replace(passage, text=passage.unit.text)


def _unprinted_term(corpus: Corpus, analysis: Analysis) -> str | None:
    """A quoted term the question says the texts use ("…里提到的“X”") that no unit it may search prints. A quoted
    word not so attributed may be the speaker's own ("想搞个“产业园”")."""
    allowed = analysis.route.doc_ids
    for term in analysis.quoted:
        at = analysis.text.find(term)
        attributed = at > 0 and any(w in analysis.text[max(0, at - ATTRIBUTION_CHARS): at] for w in cues().attributed)
        if attributed and not any(allowed is None or corpus.unit(u).doc_id in allowed for u in _units_holding(corpus, term)):
            return term
    return None


def _quoting(corpus: Corpus, ranker: Ranker, analysis: Analysis, ranked: list[Scored], found: list[Passage]) -> list[Passage]:
    """The passages that print every rare term the question quotes, searched or not, and what stands under a heading
    that prints them; [] when the question quotes none (a common one, "“十三五”", is quoted for emphasis)."""
    rare = [t for t in analysis.quoted if len(_units_holding(corpus, t)) <= RARE_TERM_UNITS]
    if not rare:
        return []
    allowed = analysis.route.doc_ids
    searched = {s.unit.id for s in ranked[:EVIDENCE_UNITS]}
    held = [corpus.unit(u) for u in _units_holding(corpus, rare[0]) if u not in searched]
    found = found + candidate_passages(corpus, ranker, analysis, [Scored(u, 1.0, 0.0, 0.0) for u in held if allowed is None or u.doc_id in allowed])
    quoting = [p for p in found if all(t in p.text for t in rare)]
    headings = tuple(p.unit.id + "." for p in quoting if p.unit.kind in HEADING_KINDS)
    return quoting + [p for p in found if headings and p.unit.id.startswith(headings) and p not in quoting]


def _unregulated_act(corpus: Corpus, analysis: Analysis) -> str | None:
    """An act the question asks about that no text names in any of its words ("宅基地继承是咋规定的": 继承; the lexicon's
    acts, whose verbs the texts would use): the texts say nothing of it, whatever else of the question they speak of."""
    text = speller_for(corpus).corpus_text
    return next((act for act, verbs in cues().acts.items() if act in analysis.subject and not any(v in text for v in verbs)), None)


def _under_heading(passage: Passage, cands: list[Passage]) -> Passage:
    """A heading's passage stands for the passage under it that holds most of the subject, if one is a candidate."""
    if passage.unit.kind not in HEADING_KINDS:
        return passage
    under = [p for p in cands if p.unit.id.startswith(passage.unit.id + ".") and p.share > 0]
    best = _pick(under)
    return replace(best, share=passage.share) if best is not None else passage


def _pick(cands: list[Passage]) -> Passage | None:
    # the subject first, then the search's own order; a shorter passage wins a tie
    return max(cands, key=lambda p: (round(p.share * (0.6 + 0.4 * p.prior), 3), -p.rank, -len(p.text)), default=None)


def _share(weights: dict[str, float], text: str) -> float:
    """The share of the weight of `weights` whose words `text` holds (a word "A|B" of alternatives: any of them)."""
    total = sum(weights.values())
    return sum(w for t, w in weights.items() if any(a in text for a in t.split(ALTERNATIVE))) / total if total else 0.0


def _asking_clause(analysis: Analysis) -> tuple[int, int]:
    """Where the clause that asks stands in the text: the last one holding the question's cue, else the last one."""
    text, cue = analysis.text, analysis.slot.cue
    spans = [m.span() for m in CLAUSE.finditer(text)]
    holding = [span for span in spans if cue and cue in text[span[0]: span[1]]]
    return holding[-1] if holding else spans[-1] if spans else (0, len(text))


def _content(ranker: Ranker, piece: str) -> tuple[set[str], int]:
    """The words of a piece of the question that could name an act (not a pointer like 这个, not a case figure),
    and how many of them are words of two or more characters the texts use."""
    words = {t for t in tokenize.content_tokens(piece) if not CASE_FIGURE.search(t) and not POINTER.fullmatch(t)}
    return words, sum(len(t) > 1 and t in ranker.idf for t in words)


def asked_act(ranker: Ranker, analysis: Analysis) -> str | None:
    """The words of the act a yes/no question asks about: what follows the modal word of its asking clause, to the
    end of its sentence ("可以拆成几个小项目分别报县里批吗"); when nothing does ("…，这个能行不", "这么干允许吗"), the
    last clause before it that names an act in the texts' words (one of a few such words only, or of pointers, tells
    the story or points back). None when the asking clause holds no modal word."""
    text, cue = analysis.text, analysis.slot.cue
    start, end = _asking_clause(analysis)
    modal = ASKED_MODAL.search(text, start, end)
    if modal is None:
        return None
    # (past a cue that starts with the modal word: "…，可以不？")
    begin = modal.start() + len(cue) if cue and text.startswith(cue, modal.start()) else modal.end()
    stop = next((m.end() for m in re.finditer(r"[。；！？?!]", text[begin:])), len(text) - begin) + begin
    after = text[begin:stop].replace(cue, " ") if cue else text[begin:stop]
    if _content(ranker, after)[0]:
        return after
    # (a clause told as seen or heard, "卫片上看到有户人家在…种了草皮", is about what was seen, not the seeing)
    # (a clause that only dates the act, "争议没处理完之前", names no act)
    before = [REPORTED.sub("", c) for c in CLAUSE_SPLIT.split(text[: modal.start()]) if c.strip() and not DATING_CLAUSE.search(c)][::-1]
    named = [c for c in before if _content(ranker, c)[1] >= MIN_ACT_WORDS]
    return named[0] if named else next((c for c in before if _content(ranker, c)[0]), "")


def asked_act_verbs(ranker: Ranker, analysis: Analysis) -> tuple[str, ...]:
    """The texts' verbs for the act a yes/no question asks about: its kind of deciding (批 -> 批准, 审批 …) and any
    act the lexicon knows in staff words (卖 -> 转让, 出售 …), named in the act asked, not in the story ("说是卖给城里
    搞绿化的" tells why grass is grown); () when it names none."""
    act = asked_act(ranker, analysis)
    said = analysis.text if act is None else act
    named = [v for staff, verbs in cues().acts.items() if staff in said for v in verbs]
    # an act that only dates the case ("处理完之前…先把地翻了，行不行") is not the act asked about
    undated = TIME_CLAUSE.sub("", said)
    return tuple(dict.fromkeys([*_decision_verbs(undated, analysis.slot.cue), *named]))


def names_a_known_act(ranker: Ranker, analysis: Analysis) -> bool:
    """Does the act asked name one the lexicon knows in staff words ("能不能先进场": 组织实施, 动工)?"""
    act = asked_act(ranker, analysis) or ""
    return any(staff in act for staff in cues().acts)


def _matter_weights(analysis: Analysis, weights: dict[str, float]) -> dict[str, float]:
    """The subject's words that name the matter: a question whether another rule applies ("人防工程的建设用地使用权，也按
    地下空间那套规定办吗") names that rule in its asking clause, and the clause deciding it is about 人防工程, not 地下空间."""
    start, end = _asking_clause(analysis)
    rule = ASKED_RULE.search(analysis.text, start, end)
    if rule is None:
        return weights
    return {t: w for t, w in weights.items() if t not in rule.group()} or weights


def _verb_with_object(text: str, verbs: dict[str, float], weights: dict[str, float]) -> bool:
    """Does a modal clause of `text` hold one of the act's `verbs` and one of the subject's words (of two or more
    characters) that is no verb of it: the act done to what the question names?"""
    if not verbs:
        return False
    _, _, scope = modal_clause(text, verbs)
    said = {v for t in verbs for v in t.split(ALTERNATIVE)}
    return any(v in scope for v in said) and any(len(t) > 1 and t not in said and t in scope for t in weights)


class ActWords(NamedTuple):
    """The words of the act a yes/no question asks about."""

    weights: dict[str, float]  # all its words the texts use, by IDF weight
    verbs: dict[str, float]  # of those, the texts' verbs for an act the lexicon knows in staff words ("挪": 挪用)
    unknown: bool  # the act is named only in words the texts never use ("使用权可以继承吗": 继承)


def act_weights(ranker: Ranker, analysis: Analysis) -> ActWords:
    """The weights of the words of the act a yes/no question asks about (`asked_act`)."""
    act = asked_act(ranker, analysis)
    if not act:
        return ActWords({}, {}, False)
    # an act the lexicon knows in staff words is looked for as the texts' verbs for it, any one of them ("先进场" as
    # 组织实施 or 动工: the tokenizer reads 先进|场)
    named: dict[str, float] = {}
    for staff, verbs in sorted(cues().acts.items(), key=lambda item: -len(item[0])):
        if staff in act:
            act = act.replace(staff, " ")
            # (a verb the tokenizer cuts, 组织实施, weighs as its heaviest word)
            weights = {v: max(_idf_weights(ranker, {v} | tokenize.content_tokens(v)).values(), default=0.0) for v in verbs}
            if any(weights.values()):
                named[ALTERNATIVE.join(v for v in verbs if weights[v])] = max(weights.values())
    # the case's figures ("30公顷以下") say how big, not what is done
    words, _ = _content(ranker, act)
    known = _idf_weights(ranker, words) | named
    # an act whose only words the texts print are as common as 土地, beside one they never print ("还要不要退还土地":
    # 退还), is not known: a clause on the common word (应当…移交土地) says nothing of that act
    printed = [t for t in words if len(t) > 1 and t in ranker.idf]
    unspecific = bool(printed) and all(ranker.idf[t] < UNSPECIFIC_IDF for t in printed) and any(len(t) > 1 and t not in ranker.idf for t in words)
    return ActWords(known, named, (not named and unspecific) or (not known and any(len(t) > 1 for t in words)))


# "不是基本农田，就是一般的耕地", "这块地不属于耕地": what the question says its matter is not ("是不是基本农田" asks)
SAID_NOT = re.compile(r"(?<!是)(?:不是|并非|并不是|不属于|不算)(?P<term>[\u4e00-\u9fff]{2,8}?)(?=[，,。；？?）)]|的|就是|而是|只是|$)")


def said_not(text: str) -> tuple[str, ...]:
    """The terms the question says its matter is not, each also in the texts' wording (基本农田: 永久基本农田)."""
    terms = [m.group("term") for m in SAID_NOT.finditer(text)]
    return tuple(dict.fromkeys(t for term in terms for t in (thesaurus.canonical(term), term)))


def _decides(clause: str, before: str) -> bool:
    """Does a clause carry a modal word, refer to other rules, or state the consequence of the cases its sentence
    lists (`before`: the clauses of its sentence before it)?"""
    return bool(MODAL.search(clause) or REFERRAL.search(clause) or (CONSEQUENCE_ACT.search(clause) and CASES.search(before + clause)))


def modal_clause(text: str, weights: dict[str, float], *then: dict[str, float], verbs: dict[str, float] | None = None) -> tuple[float, str, str]:
    """The clause of `text` that carries a modal word (with its neighbours, which often name the act)
    holding most of the weight of `weights`, ties broken by `then` in turn: (share, clause, the clause with the
    neighbours it governs). The verdict is read from that clause. A clause holding the act's own `verbs` comes
    first: "禁止侵占、挪用…补偿费用" speaks of 挪 where "确保土地补偿费、安置补助费…落实到位后，方可…" only names
    more of the money."""
    pieces = [c for c in CLAUSE_SPLIT.split(text) if c.strip()]
    best: tuple[float, str, str] = (0.0, "", "")
    best_key: tuple[float, ...] = ()
    for i, clause in enumerate(pieces):
        # the act is named before the modal word in its own sentence ("…申请听证的，…可以组织听证"), listed after it
        # ("禁止下列行为："), or in the clauses after it that the modal word still governs ("应当依照法定程序进行，并
        # 依法办理不动产登记"), up to one with a modal word of its own
        first = i
        while first > 0 and not pieces[first - 1].endswith(("；", "。")):
            first -= 1
        if not _decides(clause, "".join(pieces[first: i])):
            continue
        last = i + 1
        if clause.endswith("："):
            # "严禁占用永久基本农田进行下列活动：（一）…；（二）种植苗木、草皮…；…。": every listed item is its act
            while last < len(pieces) and not pieces[last - 1].endswith("。"):
                last += 1
        while last < len(pieces) and not pieces[last - 1].endswith(("；", "。")) and not MODAL.search(pieces[last]):
            last += 1
        scope = "".join(pieces[first: last])
        # a tie is broken by the other weights, then by the modal clause itself: "可以单独取得…使用权" over
        # "应当符合规划，依法取得…使用权"
        key = (_share(verbs or {}, scope), _share(weights, scope), *(_share(w, scope) for w in then), _share(weights, clause))
        if key > best_key:
            best_key, best = key, (key[1], clause, scope)
    return best


def asks_what_it_is(analysis: Analysis) -> bool:
    """"是正式版吗" asks what something is, which no 可以/应当 clause answers (nor does saying none decides it)."""
    return bool(COPULA_ASKED.search(analysis.text)) and not ASKED_MODAL.search(analysis.text)


def _passes_a_bound(analysis: Analysis, text: str) -> bool:
    """Does a figure of the case lie past the bound of a limit in `text`, in the bound's unit?"""
    bounds = [f for m in LIMIT.finditer(text) for f in extract_figures(text[m.end():]) if f.start == 0]
    return any(f.unit == b.unit and f.value != b.value for b in bounds for f in analysis.case.figures)


def asks_if_texts_say(analysis: Analysis) -> bool:
    """"…各分多少？有规定吗" asks whether a text has a provision (`texts_say`), not whether something is allowed: no
    verdict, unless its asking clause also holds a modal word ("有没有规定能不能…")."""
    start, end = _asking_clause(analysis)
    clause = analysis.text[start:end]
    return any(w in clause for w in cues().texts_say) and not ASKED_MODAL.search(clause)


def asked_side(text: str) -> str | None:
    """Which side of a bound the question asks to go: "比标准低" below, "超过规定面积" above; None when it compares nothing."""
    m = ASKED_SIDE.search(text)
    if m is None:
        return None
    word = m.group("comparative") or m.group("word")
    return SIDE_OF_WORD[word[0]]


def asked_polarity(analysis: Analysis) -> tuple[bool, bool]:
    """Whether a yes/no question asks a negation ("可以不编吗") and whether it asks of a duty ("是不是必须编",
    "是不是得公开"), read in its asking words: its asking clause up to the modal word and a negation right after it.
    Not in the act ("能不能要求建设单位…剥离": 要求 is what may be done) nor in the story ("他们说…就不用编了吧")."""
    text, cue = analysis.text, analysis.slot.cue
    start, end = _asking_clause(analysis)
    modal = ASKED_MODAL.search(text, start, end)
    asking = text[start: modal.end()] if modal else text[start:end]
    negation = False
    if modal is not None and NEGATION_AFTER.match(text, modal.end()):
        # "可以不编吗"; not the cue "可以不" ending a clause ("…，可以不？"), which asks 可以 or not
        choice = bool(cue) and text.startswith(cue, modal.start()) and len(cue) > len(modal.group())
        negation = not (choice and not text[modal.start() + len(cue): end].strip("？?！!。，,；; 吗呢"))
    said = A_NOT_A.sub("", asking.replace(cue, " ") if cue else asking)
    duty = ASKED_OBLIGATION.search(asking) or ASKED_NEED.search(asking) or (modal is not None and modal.group() == "得")
    return negation or bool(ASKED_NEGATIVE.search(said)), bool(duty)


def figure_side(analysis: Analysis, clause: str, scope: str) -> str | None:
    """Which side of the bound of the limit in `clause` the case's own figure lies ("也让批到300平" against "不得超过
    200平方米": above), when the case gives one figure in the bound's unit and the sentence of the clause (`scope`)
    prints each of the case's other figures (the 0.04公顷 that makes item (一) the one for the case); else None."""
    limit = LIMIT.search(clause)
    bound = next((f for f in extract_figures(clause[limit.end():]) if f.start == 0), None) if limit else None
    if bound is None:
        return None
    own = [f for f in analysis.case.figures if f.unit == bound.unit]
    printed = [re.match(r"\d+(?:\.\d+)?", f.raw) for f in analysis.case.figures if f.unit != bound.unit]
    if len(own) != 1 or not all(number and number.group() in scope for number in printed):
        return None
    return "above" if own[0].value > bound.value else "below" if own[0].value < bound.value else None


@lru_cache(maxsize=1)
def _before_event() -> re.Pattern[str]:
    verbs = {v for verbs in DECISION_VERBS for v in verbs if len(v) > 1}
    events = sorted({*cues().events, *verbs, "手续", "批"}, key=len, reverse=True)
    return re.compile(BEFORE_EVENT.format(events="|".join(map(re.escape, events))))


def asked_before(text: str) -> bool:
    """Does the question ask whether an act may come before a condition is met (which a 方可 clause answers)? It does
    when it names the condition as unmet ("还没落实", "一直没签…先进场") or as coming after ("先开工后补手续"); 先 of the act
    alone does not ("先把补偿款挪一部分…回头再补上")."""
    before = "先" in text and bool(UNMET.search(text))
    return before or bool(ASKED_BEFORE.search(text) or _before_event().search(text))


def verdict_of(analysis: Analysis, clause: str, scope: str = "") -> str | None:
    """可以 / 不可以 / 应当 from the modal clause's own word (its sentence: `scope`), read against the question's
    polarity."""
    asked_negative, asked_obligation = asked_polarity(analysis)
    if asks_what_it_is(analysis) or asks_if_texts_say(analysis):
        return None
    if NEGATIVE.search(LIMIT.sub("", clause)):
        return "不可以（文件禁止）" if not asked_negative else "不可以不办（文件另有禁止性规定，见下）"
    if limit := LIMIT.search(clause):
        # "调整规模原则上不得超过…5%" limits how much, it forbids nothing: the act is allowed within the limit; going
        # past the bound on the side it forbids is what it forbids ("能不能比自治区的标准低" against 不得低于)
        forbidden = next((side for word, side in LIMIT_SIDE.items() if word in limit.group(0)), None)
        forbidden = forbidden or ("above" if "超过" in limit.group(0) or limit.group(0).endswith("内") else "below")
        asked = figure_side(analysis, clause, scope) or asked_side(analysis.text)
        if asked is not None and not asked_negative:
            if asked != forbidden:
                return "可以（文件只限定另一侧，见下）"
            start = limit.start() - len("原则上") if clause[: limit.start()].endswith("原则上") else limit.start()
            return f"不可以：文件规定“{clause[start:].rstrip('，。；：')}”"
        return "可以，但须在规定的限度内（见下）" if not asked_negative else None
    if CONDITIONAL.search(clause):
        # "…到位后，方可提出申请" answers whether one may act before the condition, nothing else
        if not asked_before(analysis.text):
            return None
        return "须先满足规定的条件，条件具备后方可办理" if not asked_negative else "不可以，须先满足规定的条件"
    if OBLIGATION.search(clause):
        if not asked_obligation and not asked_negative:
            # "一家能占两处宅基地吗" is not answered by "应当…一户一宅": a duty is no permission (but "可以不编吗" is
            # answered by "应当编制")
            return None
        return "不可以，必须依照规定办理" if asked_negative else "是，应当依照规定办理"
    if PERMISSION.search(clause):
        if asked_obligation and not asked_negative:
            return "不是必须：文件规定的是“可以”，由有关机关依规定决定"  # "必须组织听证吗" answered by "可以组织听证"
        return "可以，但须符合下列规定" if not asked_negative else "可以"
    if referral := REFERRAL.search(clause):
        # "人防工程的建设用地使用权依照有关法律法规的规定执行": the text refers the matter to other rules
        return f"按文件所指的规定办理：文件规定“{clause[: referral.end()].strip().lstrip('，')}”"
    consequence = CONSEQUENCE_ACT.search(clause)
    if consequence and consequence.group() in analysis.text and CASES.search(scope) and not asked_negative:
        return _consequence_verdict(analysis, clause, scope)
    return None


def _consequence_verdict(analysis: Analysis, clause: str, scope: str) -> str:
    """可以 when exactly one of the cases the sentence lists is the case told ("改变土地用途" against item (二)); else
    the condition: a consequence of listed cases is no plain yes for a case the facts do not place in one of them."""
    at = scope.find(clause)
    lead, listed = scope[:at + len(clause)], scope[at + len(clause):]
    # what follows and who does it: "经原批准的人民政府批准，由…自然资源主管部门收回土地使用权"
    cases = CASES.search(lead)
    consequence = (lead[cases.end():] if cases else clause).strip().strip("，。；：")
    told = tokenize.content_tokens(tokenize.expand_query(analysis.subject))
    lead_words = tokenize.content_tokens(lead)
    applying = []
    for item in LISTED_ITEM.finditer(listed):
        case = item.group("case").strip().rstrip("的，")
        own = {t for t in tokenize.content_tokens(case) if len(t) > 1} - lead_words
        # a case with a figure ("二年内未开发") is the case told only when the question states that figure, and tells no
        # dates the figure would have to be reckoned from ("从2023年3月6日起闲着，到2025年2月24日能按连续闲置二年收回吗")
        figures = [f.replace("两", "二") for f in ITEM_FIGURE.findall(case)]
        stated = all(f in analysis.text.replace("两", "二") for f in figures) and not (figures and analysis.case.dates)
        if own and len(own & told) / len(own) >= ITEM_SHARE and stated:
            applying.append((item.group("number"), case))
    if len(applying) == 1:
        number, case = applying[0]
        return f"可以：属于所列第（{number}）项“{case}”的情形，{consequence}"
    return f"须属于文件所列情形之一（见下），{consequence}"


def authority_verdict(text: str, authorities: list[str]) -> str | None:
    """Whether the body a question names may approve ("县自然资源局能不能自己批"), from the level (and the kind: a
    government or one of its departments) of the body a rule found to approve; None when the question names no
    body or the rules disagree."""
    asked = MAY_APPROVE.search(text)
    named = levels_named(text[: asked.end()]) if asked else []
    if asked is None or not named or len(set(authorities)) != 1:
        return None
    position, level = named[-1]
    body = text[position: asked.start()]
    authority = authorities[0]
    kind = "department" if DEPARTMENT.search(body) else "government" if "政府" in body else None
    if level not in {lv for _, lv in levels_named(authority)}:
        return f"不可以，应由{authority}审批"
    if kind is not None and kind != ("department" if DEPARTMENT.search(authority) else "government"):
        return f"不可以，应由{authority}审批（不是{body}）"
    return f"可以，由{authority}审批"


def bind(corpus: Corpus, ranker: Ranker, analysis: Analysis, ranked: list[Scored]) -> Binding:
    """Answer when a passage states the asked kind of value about the asked subject; otherwise say it is not stated."""
    found = candidate_passages(corpus, ranker, analysis, ranked)
    unprinted = _unprinted_term(corpus, analysis) or _unregulated_act(corpus, analysis)
    if unprinted:
        # "喀什规划里提到的“三区三线”": a term the question says the texts use, which the texts searched never print
        return Binding(
            kind="not_stated", reason_code="term_not_in_texts", nearest=sorted(found, key=lambda p: (-p.share, p.rank))[:3],
            reason=f"所查文件中没有“{unprinted}”的说法。/ The texts searched never use the term “{unprinted}”.",
        )
    quoting = _quoting(corpus, ranker, analysis, ranked, found)
    cands = quoting or [p for p in found if p.prior >= NEAR_SCORE or p.rank == 0]
    if not cands:
        return Binding(kind="not_stated", reason_code="no_evidence", reason="没有找到相关条文 / nothing relevant found")
    # a heading or a column's title names a matter and states nothing of it: the text under it answers ("一环二带
    # 里的一环" is read in the column's first paragraph, not its title)
    about = [_under_heading(p, cands) for p in cands if p.share >= BIND_SHARE]
    stating = [p for p in about if p.states_slot]
    nearest = sorted(cands, key=lambda p: (-p.share, p.rank))[:3]
    if analysis.slot.kind == "verdict":
        weights = _weight(ranker, analysis)
        act, act_verbs, act_unknown = act_weights(ranker, analysis)
        if sum(len(t) > 1 for t in act) < MIN_ACT_WORDS and not names_a_known_act(ranker, analysis):
            act = {}  # "县政府能批吗": one verb names no act a clause could be found by (an act the lexicon knows does)
        # a clause on the act asked ("拆成小项目分别报批" -> 严禁拆分审批) speaks to the question even when the
        # question's story words are elsewhere; so does a modal clause naming the act's own verb and what it is done to
        # ("把补偿款挪去修办公室" -> 禁止…挪用…补偿费用), however many of the words for the money other passages hold
        # ("把房子挪到村口" is not 挪用 of anything the clause names)
        on_act = [
            p for p in cands if p.states_slot and p not in stating
            and (_share(act, p.text) >= ACT_SHARE or _verb_with_object(p.text, act_verbs, weights))
        ]
        if stating or on_act:
            # the passage whose modal clause holds most of the act, then of the subject:
            # "禁止…截留…补偿费用" over "应当…支付补偿费"
            # a passage naming the act asked ("能批征收吗": 批准; "要经过村民同意吗": 同意) first
            verbs = asked_act_verbs(ranker, analysis)
            # a question going past a bound ("能超过5%吗", "能比标准低吗", "批到300平" against a cap of 200平方米) is
            # answered by a limit on that bound
            past_bound = asked_side(analysis.text) is not None
            matter = _matter_weights(analysis, weights)
            if matter is not weights:
                act = {}  # (its act is following the rule it proposes: every referral clause does that)
            scored = [
                (
                    any(v in p.text for v in verbs) or (bool(LIMIT.search(p.text)) and (past_bound or _passes_a_bound(analysis, p.text))),
                    modal_clause(p.text, act, matter, verbs=act_verbs), modal_clause(p.text, matter), p,
                )
                for p in stating + on_act
            ]
            _, (act_share, act_clause, act_scope), (_, subject_clause, subject_scope), modal_best = max(
                scored, key=lambda item: (item[0], round(item[1][0], 3), round(item[2][0], 3), round(item[3].share, 3), -item[3].rank, -len(item[3].text))
            )
            # the verdict is read from the modal clause on the act asked, when one speaks of it, else on the subject
            clause, scope = (act_clause, act_scope) if act_share > 0 else (subject_clause, subject_scope)
            # a modal word about something else than the act asked decides nothing ("应当符合规划" for "能拆成小项目报批吗"),
            # nor one about another act ("县政府能批征收吗" is not answered by "县政府可以制定补偿标准", "卖给城里人可以吗"
            # not by "不得强行流转农民土地"), unless the case's own figure goes past the bound it sets: the figure is
            # what is asked ("批到300平")
            # …but what the texts forbid no one may approve: "这个（在基本农田挖塘）能批不" is decided by 严禁…挖塘养鱼
            forbidden_approval = set(verbs) <= set(APPROVAL_VERBS) and bool(NEGATIVE.search(clause)) and (act_share > 0 or not act)
            other_act = (
                bool(verbs) and not any(v in modal_best.text for v in verbs) and figure_side(analysis, clause, scope) is None
                and not forbidden_approval
            )
            decides = (act_share > 0 or not act) and not act_unknown and not other_act
            # a clause on what the question says the matter is not ("不是基本农田，就是一般的耕地" against 永久基本农田不得…)
            # decides nothing of it
            decides = decides and not any(t in scope and f"{t}以外" not in scope for t in said_not(analysis.text))
            verdict = verdict_of(analysis, clause, scope) if decides else None
            return Binding(
                kind="answered", passage=quoted(modal_best), verdict=verdict, nearest=nearest, subject_terms=frozenset(weights), act_share=act_share,
                names_act=_share(act_verbs, act_scope) > 0 and act_share > 0,
                act_terms=frozenset(t for t in act if len(_units_holding(corpus, t)) <= RARE_ACT_UNITS),
            )
    if stating:
        chosen = _pick(stating)
        assert chosen is not None
        return Binding(kind="answered", passage=quoted(chosen), nearest=nearest, subject_terms=frozenset(_weight(ranker, analysis)))
    if analysis.slot.kind in WHERE_SLOTS and WHERE_ASKED.search(analysis.text):
        # "住宅用地主要分布在哪几个乡镇": the places of another use, or a use's figures without places, are no answer
        return Binding(
            kind="not_stated", reason_code="place_not_stated", nearest=nearest,
            reason="文件没有就此规定问题所问的地点。/ The texts do not state where, for this subject.",
        )
    if analysis.slot.kind in VALUE_SLOTS:
        # the asked kind of value is stated only about something else, or nowhere near
        what = FAMILY_NAMES.get(analysis.slot.family or "", VALUE_SLOTS[analysis.slot.kind])
        return Binding(
            kind="not_stated", reason_code=f"{analysis.slot.kind}_not_stated", nearest=nearest,
            reason=f"文件没有就此规定问题所问的{what}。/ The texts do not state the {analysis.slot.kind} asked for about this subject.",
        )
    chosen = _pick(about or cands)
    return Binding(
        kind="answered", passage=chosen and quoted(chosen), nearest=nearest, subject_terms=frozenset(_weight(ranker, analysis))
    )


_holding_cache: dict[tuple[int, str], tuple[str, ...]] = {}
HOLDING_CACHE_SIZE = 4096


def _units_holding(corpus: Corpus, term: str) -> tuple[str, ...]:
    """The ids of the source units that hold `term` (cached per loaded corpus; quoted terms are few)."""
    key = (id(corpus), term)
    if key not in _holding_cache:
        if len(_holding_cache) >= HOLDING_CACHE_SIZE:  # terms come from questions: keep the cache bounded
            _holding_cache.clear()
        _holding_cache[key] = tuple(u.id for u in corpus.units if u.covers_source and term in u.text)
    return _holding_cache[key]


def silent(binding: Binding) -> Binding:
    """The binding of a part whose best passage is not about its subject: the text is silent on it."""
    return Binding(
        kind="not_stated", reason_code="not_addressed", nearest=binding.nearest, subject_terms=binding.subject_terms,
        reason="该文件对此没有相应规定。/ This text does not address it.",
    )


def strongly_bound(binding: Binding) -> bool:
    """A passage that holds nearly all of the question's corpus words, one of them a distinctive term:
    the texts address this subject even if the question's other words are colloquial."""
    passage = binding.passage
    # a verdict read from a clause about the subject's own term needs no more: the act is asked in staff words; nor
    # does one read from a clause on the act asked ("把补偿款挪去…" decided by 禁止…挪用…补偿费用)
    needed = BIND_SHARE if binding.verdict else STRONG_SHARE
    on_act = binding.verdict is not None and (binding.act_share >= ACT_SHARE or binding.names_act)
    if binding.kind != "answered" or passage is None or (passage.share < needed and not on_act):
        return False
    # a word of the act few units print ("拆成几块报批" -> 严禁拆分审批) is as distinctive as a compound
    distinctive = binding.act_terms if on_act else frozenset()
    return any((len(t) >= DISTINCTIVE_TERM_CHARS or t in distinctive) and t in passage.text for t in binding.subject_terms)


def out_of_scope(analysis: Analysis, evidence_text: str, documents_text: str = "") -> tuple[str, str] | None:
    """(code, reason) when the question is about something the corpus does not cover: a place, a year, a plan period.

    A plan period counts as covered when the searched documents mention it anywhere (a plan reviews the
    previous period in its own words); years must be in the evidence itself."""
    routed = analysis.route
    if routed.foreign_places and not routed.places and not any(p in evidence_text for p in routed.foreign_places):
        places = "、".join(routed.foreign_places)
        return "other_region", (
            f"问题涉及{places}，现有文件只覆盖新疆（含喀什地区、巴楚县）和宁夏。/ The question is about {places}; the texts cover Xinjiang and Ningxia only."
        )
    missing_years = [str(y) for y in analysis.years if str(y) not in evidence_text]
    if missing_years:
        return "other_year", f"文件中没有{'、'.join(missing_years)}年的相关内容。/ The texts say nothing for {', '.join(missing_years)}."
    missing_periods = [p for p in dict.fromkeys(PLAN_PERIOD.findall(analysis.text)) if p not in evidence_text and p not in documents_text]
    if missing_periods:
        return "other_period", f"文件中没有“{'、'.join(missing_periods)}”时期的相关内容。/ The texts do not cover that plan period."
    return None
