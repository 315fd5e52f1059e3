"""Question text normalisation: NFKC, traditional to simplified (OpenCC), layout spaces and filler clauses removed."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import opencc

from qa.cues import WH_WORDS, cues

CJK = r"\u3400-\u9fff"
CN_PUNCT = "，。；：？！、（）“”"
# Whitespace next to a Chinese character or punctuation is layout, not a word boundary ("违 法 占 用").
LAYOUT_SPACE = re.compile(rf"(?<=[{CJK}{CN_PUNCT}])\s+|\s+(?=[{CJK}{CN_PUNCT}])")
# a space between two long runs of characters parts what a comma would ("巴楚今年住宅用地供多少公顷 喀什十四五一共供多少"),
# where spaces inside words ("宅 基 地") or between key words ("基本农田 罚款") are layout
SENTENCE_SPACE = re.compile(r"(?<=[\u4e00-\u9fff]{6})[ \t\u3000]+(?=[\u4e00-\u9fff]{8})")  # (a short tail elaborates)
CLAUSE_END = re.compile(r"(?<=[，；。？！\n])")
# NFKC turns full-width punctuation into ASCII; the Chinese forms are what the texts and the cues use.
CN_FORMS = str.maketrans({",": "，", "?": "？", "!": "！", ";": "；", "(": "（", ")": "）"})


@lru_cache(maxsize=1)
def _to_simplified() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


# a short term in quotes ("“十四五”规划", "“一张图”") is the term: staff quote for emphasis, the texts not always
QUOTED_TERM = re.compile(r"[“\"「『]([^“”\"「」『』，。？！]{1,8})[”\"」』]")


# a year written digit by digit in characters ("二〇二六年", "二零二五年度"): the texts and every reader of years use digits
YEAR_IN_CHARACTERS = re.compile(r"(?<![〇零一二三四五六七八九十百千万两])([一二][〇零一二三四五六七八九]{3})(?=年)")
CHARACTER_DIGITS = str.maketrans("〇零一二三四五六七八九", "00123456789")


def year_digits(text: str) -> str:
    """'二〇二六年' -> '2026年': a year written digit by digit in characters, as the texts and every reader of years
    write it (the question's normalization and the date reader both use this)."""
    return YEAR_IN_CHARACTERS.sub(lambda m: m.group(1).translate(CHARACTER_DIGITS), text)


def normalize(text: str) -> str:
    """'違法 佔用２０００平方米?' -> '违法占用2000平方米？'; '二〇二六年' -> '2026年'."""
    text = unicodedata.normalize("NFKC", text).translate(CN_FORMS)
    text = _to_simplified().convert(text)
    text = year_digits(text)
    text = SENTENCE_SPACE.sub("，", text)
    text = LAYOUT_SPACE.sub("", text)
    text = QUOTED_TERM.sub(r"\1", text)
    return re.sub(r"\s+", " ", text).strip()


def quoted_terms(text: str) -> list[str]:
    """The short terms the question quotes ("都提的那个“一码”管理"): words taken from the texts, to be found as written."""
    text = LAYOUT_SPACE.sub("", _to_simplified().convert(unicodedata.normalize("NFKC", text).translate(CN_FORMS)))
    return list(dict.fromkeys(QUOTED_TERM.findall(text)))


def clauses(text: str) -> list[str]:
    return [c for c in CLAUSE_END.split(text) if c.strip()]


# the place a speaker says they are from: a name of two or more characters and a level ("阿克陶县", "巴楚县"), not a
# kind of office ("乡镇所", "县局")
SPEAKER_PLACE = re.compile(r"[\u4e00-\u9fff]{2,}?(?:县|市|州|地区|乡|镇)(?![所局里])")


TELLS_A_FIGURE = re.compile(r"\d|[一二三四五六七八九十两]+(?:月|号|日|亩|平|公顷|万|元|户)")


def is_filler(clause: str) -> bool:
    """A clause that says nothing about the matter: greetings, thanks, who is asking."""
    core = re.sub(r"[，,；;。？?！!、\s～~…:：]", "", clause)
    if not core:
        return True
    c = cues()
    speaker = next((s for s in c.speaker if core.startswith(s)), None)
    # (one that tells a figure or a date of the case, "我是8月25号收到通知的", says more than who asks)
    if speaker and not WH_WORDS.search(core) and len(core) <= 14 and not SPEAKER_PLACE.match(core[len(speaker):]) and not TELLS_A_FIGURE.search(core):
        return True  # "我是乡镇所的" says who asks; "我们是阿克陶县的" also says where the question is about
    if any(frame.match(core) for frame in c.frames):
        return True
    for phrase in c.filler:
        core = core.replace(phrase, "")
    return len(core) <= 1


def _strip_leading_filler(clause: str) -> str:
    """'请问临时用地…' -> '临时用地…'."""
    changed = True
    while changed:
        changed = False
        for phrase in cues().filler:
            if clause.startswith(phrase) and len(clause) > len(phrase):
                clause = clause[len(phrase):].lstrip("，, ")
                changed = True
    return clause


def strip_filler(text: str) -> str:
    """The question without greeting, thanks and request clauses; a clause break left dangling at the end by a
    dropped clause ("…是正式版吗，急用，辛苦了。" -> "…是正式版吗") goes with it."""
    kept = [_strip_leading_filler(c) for c in clauses(text) if not is_filler(c)]
    return "".join(kept).strip().rstrip("，,、；;：: ") or text
