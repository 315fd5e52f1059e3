"""How staff ask, loaded from qa/lexicon/cues.toml: slot cues, filler, multi-part and follow-up words."""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

from qa.tokenize import LEXICON_DIR

SlotKind = Literal["verdict", "authority", "date", "period", "quantity", "list", "definition", "procedure", "lookup"]
WH_WORDS = re.compile(r"多少|多久|多长|多大|几[个天年月日项处号种类]?|谁|哪|什么|怎么|怎样|如何|咋|何时|啥")
# "…吗？" (or 么/嘛) asks yes or no; the 么 of 什么/怎么/那么 does not
CJK = re.compile(r"[\u4e00-\u9fff]")
ENDS_IN_MA = re.compile(r"(?:吗|嘛|(?<![什怎那这多])么)[\s？?。!！]*$")
# a yes/no question split around its act: a modal word, the act, then 不 at the end ("能单独办使用权不？")
SPLIT_CHOICE = re.compile(r"(?P<modal>能|可以|可|要|需要|会|得|准|让)[^，。？！；]{1,24}?不[？?！!。]?$")


@dataclass(frozen=True)
class Slot:
    """What the question asks for: a kind of value (and its unit family for quantities and periods)."""

    kind: SlotKind
    family: str | None = None
    cue: str = ""


@dataclass(frozen=True)
class Cues:
    slots: tuple[tuple[Slot, tuple[str, ...]], ...]
    filler: tuple[str, ...]
    speaker: tuple[str, ...]
    passing: tuple[str, ...]  # colloquial words that name nothing the texts regulate (县里, 直接)
    texts_say: tuple[str, ...]  # words asking what a text says of a matter (有没有讲, 是咋提的), longest first
    frames: tuple[re.Pattern[str], ...]
    each: tuple[str, ...]
    compare: tuple[str, ...]
    conjunctions: tuple[str, ...]
    aspects: frozenset[str]
    hollow: frozenset[str]  # words of how or where, not of what (主要, 放在)
    document_aspects: tuple[str, ...]  # words about a document as a whole (正式, 印发, 依据 …)
    followup_openers: tuple[str, ...]
    followup_endings: tuple[str, ...]
    followup_together: tuple[str, ...]  # words asking of the new fact together with the old one (两个加起来)
    quantity_units: dict[str, tuple[str, ...]]  # family -> unit words that follow a bare 多少/几
    events: tuple[str, ...]  # events a when- or how-long question asks about (施行, 批准, 公示 …)
    attributed: tuple[str, ...]  # words that say a quoted term is the texts' own (提到的, 里的 …)
    acts: dict[str, tuple[str, ...]]  # an act in staff words -> the texts' verbs for it
    money_kinds: dict[str, tuple[str, ...]]  # kind of amount -> the words that name it
    siblings: tuple[tuple[str, ...], ...]  # members of one classification (land uses)
    # clauses that decide a yes/no question without a modal word: a referral, a consequence of listed cases
    verdicts: dict[str, tuple[str, ...]] = field(default_factory=dict)


@lru_cache(maxsize=1)
def cues() -> Cues:
    data = tomllib.loads((LEXICON_DIR / "cues.toml").read_text(encoding="utf-8"))
    slots = tuple((Slot(kind=s["kind"], family=s.get("family")), tuple(s["cues"])) for s in data["slot"])
    return Cues(
        slots=slots,
        filler=tuple(sorted(data["filler"]["phrases"], key=len, reverse=True)),
        speaker=tuple(data["filler"]["speaker"]),
        passing=tuple(sorted(data["filler"]["passing"], key=len, reverse=True)),
        texts_say=tuple(sorted(data["texts_say"]["words"], key=len, reverse=True)),
        frames=tuple(re.compile(f) for f in data["filler"]["frames"]),
        each=tuple(data["parts"]["each"]),
        compare=tuple(data["parts"]["compare"]),
        conjunctions=tuple(sorted(data["parts"]["conjunctions"], key=len, reverse=True)),
        aspects=frozenset(data["parts"]["aspects"]),
        hollow=frozenset(data["parts"]["hollow"]),
        document_aspects=tuple(data["parts"]["document_aspects"]),
        followup_openers=tuple(sorted(data["followup"]["openers"], key=len, reverse=True)),
        followup_endings=tuple(data["followup"]["endings"]),
        followup_together=tuple(data["followup"]["together"]),
        money_kinds={kind: tuple(words) for kind, words in data["money_kinds"].items()},
        acts={act: tuple(verbs) for act, verbs in data["acts"].items()},
        attributed=tuple(data["quotes"]["attributed"]),
        events=tuple(data["events"]["words"]),
        quantity_units={family: tuple(words) for family, words in data["quantity_units"].items()},
        siblings=tuple(tuple(group) for group in data["siblings"].values()),
        verdicts={kind: tuple(words) for kind, words in data.get("verdicts", {}).items()},
    )


A_NOT_A = re.compile(r"([\u4e00-\u9fff])不\1")  # 能不能, 给不给, 赔不赔: a choice offered, asking yes or no
# a choice offered of doing something: 在不在, 是不是 ask whether something is so (是不是 is a listed cue of its own)
CHOICE_OF_DOING = re.compile(r"(?!是不是|在不在)([\u4e00-\u9fff])不\1")


# "那几个公告", "这几块地", "好几块永农", "争了好几年": a few things pointed at, no question of how many
POINTED_FEW = re.compile(r"[这那好]几(?=[个块项处家户条种类位名次天年月周回遍亩])")
# question words used as indefinites: "怎么都谈不拢" (whatever was tried), "谁也不签", "没几个有意见" (hardly any);
# 几 beside a numeral is a round figure, not a question: "十几户", "二十几亩", "几十万", "几百平米"
# and "为这块地归谁吵了好几年": whose it is, the matter of a quarrel told, asks nothing
INDEFINITE_WH = re.compile(
    r"(?:怎么|咋|什么|啥|谁|哪儿?|多少)(?=都|也)|没有?几(?=[个块项处家户条种类位名次天人])|(?<=[十百千万两二三四五六七八九])几|几(?=[十百千万])"
    r"|(?:归谁|属于谁|是谁的)(?=(?:的事|的问题)?(?:吵|争|闹|扯皮|打官司|有纠纷|有争议))"
)


def without_indefinites(text: str) -> str:
    """The text with pointed-at few and indefinite question words blanked, at the same length (cue positions stay)."""
    text = POINTED_FEW.sub("  ", text)
    return INDEFINITE_WH.sub(lambda m: " " * len(m.group()), text)


# A cue holding no question word is a noun of what is asked (期限, 比例, 到期, 审批机关): it asks where it ends the
# clause ("审批期限？"), the words after it go on asking ("期限是多久", "比例多大", "期限和要求") or a question word
# stands before it ("多少比例的"), not where the clause goes on to say something of it ("登记期限过了", "大比例尺",
# "到期了要延续", "截至2025年").
QUESTION_CHARACTERS = frozenset("多几谁哪什么啥怎咋吗么否呢如何")
ASKING_NEXT = ("是", "为", "有", "多", "几", "怎", "咋", "啥", "呢", "吗", "如何", "要", "一般", "最", "分别", "各", "和", "、", "及", "与")
ASPECT_KINDS = frozenset({"authority", "date", "period", "quantity"})


def _asks_with(text: str, word: str, kind: str) -> bool:
    """Does the cue ask somewhere in the text?"""
    if kind not in ASPECT_KINDS or set(word) & QUESTION_CHARACTERS:
        return word in text
    for match in re.finditer(re.escape(word), text):
        after = text[match.end(): match.end() + 1]
        if not after or not CJK.match(after) or text.startswith(ASKING_NEXT, match.end()):
            return True
        if set(text[max(match.start() - 2, 0): match.start()]) & QUESTION_CHARACTERS:
            return True  # "多少比例的基本农田", "啥期限": a question word asks it
    return False


def detect_slot(text: str) -> Slot:
    """The slot of the longest cue that occurs (多少万亩 is an area, not 多少万 money), earlier entries winning
    ties; a question ending in 吗 asks for a verdict whatever question words it holds (a bare 么/嘛 only
    without one)."""
    text = without_indefinites(text)
    said = text
    for word in cues().texts_say:
        said = said.replace(word, " " * len(word))
    if said != text and (asked := detect_slot(said)).kind != "lookup":
        return asked  # "…各分多少？有规定吗" asks how much; whether a text says it is what the answer tells
    best: Slot | None = None
    offered = tuple(m.group() for m in CHOICE_OF_DOING.finditer(text))
    for slot, words in cues().slots:
        for word in (*words, *offered) if slot.kind == "verdict" else words:
            if word in text and (best is None or len(word) > len(best.cue)) and _asks_with(text, word, slot.kind):
                best = Slot(kind=slot.kind, family=slot.family, cue=word)
    if best is not None and best.kind == "quantity" and best.family is None:
        best = Slot(kind="quantity", family=_unit_family(text, best.cue) or _money_asked(text, best.cue), cue=best.cue)
    split_choice = SPLIT_CHOICE.search(text)
    if split_choice and (best is None or best.kind != "verdict"):
        # "能单独办地下建设用地使用权不": a modal word, then the act, then 不 asks yes or no
        return Slot(kind="verdict", cue=split_choice.group("modal"))
    ends_in_ma = ENDS_IN_MA.search(text)
    if best is not None and (best.kind == "verdict" or not ends_in_ma or "吗" not in ends_in_ma.group()):
        return best
    if ends_in_ma and (best is not None or not WH_WORDS.search(text)):
        # in a 吗-question a question word is an indefinite: "能拆成几个项目分别报批吗" asks yes or no
        return Slot(kind="verdict", cue="吗")
    return Slot(kind="lookup")


def money_words(text: str) -> tuple[str, ...]:
    """The words of every kind of money `text` names ("耕地占用税" -> the tax words); () when it names none."""
    return tuple(w for words in cues().money_kinds.values() if any(w in text for w in words) for w in words)


def _unit_family(text: str, cue: str) -> str | None:
    """The family of the unit written right after a bare 多少/几 ("几万元" -> money), or None."""
    for match in re.finditer(re.escape(cue), text):
        after = text[match.end():].lstrip("万千百亿")
        for family, units in cues().quantity_units.items():
            if after.startswith(units):
                return family
    return None


def _money_asked(text: str, cue: str) -> str | None:
    """"money" when a bare 多少 ends a clause whose matter is a kind of money ("土地补偿费能给多少"): an amount of it
    is asked, as "多少钱" would ask; else None."""
    for match in re.finditer(re.escape(cue), text):
        if text[match.end(): match.end() + 1] not in ("", "？", "?", "。", "，", "呢"):
            continue
        clause = re.split(r"[，,。；？?！!]", text[: match.start()])[-1]
        if money_words(clause):
            return "money"
    return None


# "按人头还是按户？", "先调还是先补呢": two alternatives offered, asking which (还是 meaning "still" ends no question)
ALTERNATIVE_ASKED = re.compile(r"[^，。；！？?]还是[^，。；！？?]{1,16}[？?呢]")


def asks_something(clause: str) -> bool:
    return detect_slot(clause).kind != "lookup" or bool(WH_WORDS.search(without_indefinites(clause)) or ALTERNATIVE_ASKED.search(clause))

