"""Typo repair: a word the texts never use, typed with the pinyin of one they use (宅基第 -> 宅基地), is read as that word."""
from __future__ import annotations

import itertools
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from pypinyin import Style, lazy_pinyin, pinyin

from qa import tokenize
from qa.cues import cues

CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
COMMON_FREQUENCY = 5  # jieba dictionary count from which a two-character word counts as an ordinary word
EVERYDAY_FREQUENCY = 5000  # jieba dictionary count of the words of everyday speech (一点, 标准), never half of a typo
MIN_TWO_CHARACTER_USES = 10  # corpus occurrences a two-character word needs to be a repair target
# characters that stand as words of their own in a sentence (verbs, prepositions, particles): a two-character
# window ending or starting in one is usually two words, not a misspelt word
STANDALONE_CHARACTERS = frozenset("想要能会把被给让在是有了和就也都还去来说找放占盖建挖种堆修搭租借卖买拆")
# the standalone characters that join two things: none ends a clause, so one ending a clause ("谁来审和？") was typed
# for a character of the word before it
CONNECTIVES = frozenset("和把被")
PARTICLES = frozenset("的地得里着过了吗呢吧")  # characters that stand between words; no repair crosses an edge at them
DOMINANT_READING = 10  # times more corpus uses than any other candidate for one reading to be chosen
ON_ITS_OWN = 2  # times more corpus uses than the reading for a word to stand on its own beside a changed character
MAX_READINGS = 16  # pinyin readings of a window tried (a few characters have two or three)
WINDOWS = (4, 3, 2)  # longest first: a three-character term is surer than a two-character one


@lru_cache(maxsize=65536)
def _readings(window: str) -> list[tuple[str, ...]]:
    """Every toneless pinyin the window can be typed with: 的 is typed as de or di, so 土的 can be 土地."""
    options = [list(dict.fromkeys(p)) for p in pinyin(window, style=Style.NORMAL, heteronym=True)]
    readings = [tuple(r) for r in itertools.islice(itertools.product(*options), MAX_READINGS)]
    return readings or [tuple(lazy_pinyin(window))]


@dataclass(frozen=True)
class Repair:
    typed: str
    read_as: str
    start: int


class Speller:
    """Homophone repair against the corpus vocabulary.

    A window of the question is repaired only when (1) it occurs nowhere in the texts, (2) exactly one
    vocabulary word has the same toneless pinyin and differs from it in exactly one character, (3) its
    edges do not make words with their neighbours (it would straddle two words), and (4) for two
    characters, the window is not itself a common word (事先 stays) and the reading is a word the texts
    use often. Pinyin-input typos are the common kind in staff messages.
    """

    def __init__(
        self, corpus_text: str, vocabulary: Iterable[str], common_words: set[str] | frozenset[str] = frozenset(), phrases: Iterable[str] = (),
        everyday_words: set[str] | frozenset[str] = frozenset(),
    ) -> None:
        self.seen: set[str] = set()
        for run in CJK_RUN.findall(corpus_text):
            for size in WINDOWS:
                self.seen.update(run[i: i + size] for i in range(len(run) - size + 1))
        self.corpus_text = corpus_text
        self.vocabulary = {w for w in vocabulary if len(w) >= 2}
        # two characters printed inside one of the texts' words (审核), not only across a boundary (初审|和)
        self.two_inside_words = {w[i: i + 2] for w in self.vocabulary for i in range(len(w) - 1)} & self.seen
        self.by_sound: dict[tuple[str, ...], set[str]] = defaultdict(set)
        for word in self.vocabulary:
            if len(word) in WINDOWS and CJK_RUN.fullmatch(word):
                self.by_sound[tuple(lazy_pinyin(word))].add(word)
        self.common = common_words
        self.everyday = everyday_words
        # question phrases ("指啥", "是指"): a window ending where one begins straddles a word and the question
        self.phrases = tuple(p for p in phrases if len(p) >= 2)

    def _is_word(self, text: str) -> bool:
        return text in self.vocabulary or text in self.common

    def _candidate(self, text: str, start: int, size: int) -> str | None:
        window = text[start: start + size]
        # a connective cannot end a clause ("谁来审和？"): there it was typed for a character of the word before it,
        # even where the texts print the two characters across a word boundary (初审|和)
        connective_end = size == 2 and window[-1] in CONNECTIVES and not CJK_RUN.match(text[start + size: start + size + 1])
        if size == 2 and window in self.common:
            return None
        if window[-1] == "不" and not CJK_RUN.match(text[start + size: start + size + 1]):
            return None  # "这个能批不": 不 ending the clause asks yes or no (批复 is no reading of it)
        if window in self.seen and not (connective_end and window not in self.two_inside_words):
            return None
        # a window whose edge makes a word with its neighbour straddles two words ("改成园地": 园地)
        left = text[start - 1: start + 1] if start > 0 else ""
        right = text[start + size - 1: start + size + 1]
        if text.startswith(self.phrases, start + size - 1):
            return None
        edge_words = [w for w in (left, right) if w and self._is_word(w)]
        if len(edge_words) > 1:
            return None  # a word on both edges ("开始施行": 开始, 施行) is a run of real words, however common the reading
        words = self._one_apart(window)
        if edge_words and not (len(words) == 1 and self._outweighs(window, words[0], edge_words)):
            return None
        if len(words) > 1:
            # one reading the texts use far more than the others is the one meant (土的: 土地, not 土堤)
            counts = sorted(((self.frequency(w), w) for w in words), reverse=True)
            words = [counts[0][1]] if counts[0][0] >= DOMINANT_READING * max(counts[1][0], 1) else words
        if len(words) != 1:
            return None
        changed = next(a for a, b in zip(window, words[0], strict=True) if a != b)
        before, after = text[start - 1: start] if start else "", text[start + size: start + size + 1]
        if before.isdigit():
            return None  # "20处里": after a figure stands its measure word (处, 个, 亩), not half of a word (处理)
        if (after and words[0][-1] == after != window[-1]) or (before and words[0][0] == before != window[0]):
            return None  # "批而未供的地": read as 供地 it would print 地 twice; 的 joins 供 and 地 as written
        if self._word_and_one_more(window, words[0]):
            return None
        if size == 2 and changed in STANDALONE_CHARACTERS and not (connective_end and changed == window[-1]):
            return None  # "我们县想把…" is 县 + 想, not a misspelt 县乡
        # two characters say little: only a word the texts use often is a safe reading, unless the window ends in a
        # connective no clause ends in, which says by itself that something was mistyped
        if size == 2 and not connective_end and self.frequency(words[0]) < MIN_TWO_CHARACTER_USES:
            return None
        return words[0]

    def _word_and_one_more(self, window: str, reading: str) -> bool:
        """Is the window an ordinary word and the next character ("标准低": 标准 + 低), rather than a longer word
        typed wrong ("宅基第": 宅基地)? So when the unchanged part is a common word the texts use mostly on its own,
        not mostly inside the reading."""
        if len(window) < 3:
            return False
        if window[0] != reading[0]:
            rest = window[1:]
        elif window[-1] != reading[-1]:
            rest = window[:-1]
        else:
            return False  # the changed character is inside the window: no word stands whole beside it
        return rest in self.common and self.frequency(rest) >= ON_ITS_OWN * max(self.frequency(reading), 1)

    def _one_apart(self, window: str) -> list[str]:
        """The vocabulary words typed with one of the window's readings that differ from it in one character."""
        sounds = {w for reading in _readings(window) for w in self.by_sound.get(reading, ())}
        return [w for w in sorted(sounds) if sum(a != b for a, b in zip(w, window, strict=True)) == 1]

    def _outweighs(self, window: str, reading: str, edge_words: list[str]) -> bool:
        """Does the window's one reading stand in the texts far more often than the word its edge makes
        ("废弃耕第": 耕地 is the texts' word hundreds of times, 弃耕 a handful; "基本农天上": 基本农田, 天上)? Then the
        edge is no word boundary, unless the character read differently is a particle ("证照的效力") or, in two
        characters, belongs to the edge word ("县里用不完")."""
        changed = next(a for a, b in zip(window, reading, strict=True) if a != b)
        # in a two-character window a changed character that makes the edge word is as likely that word's own
        if changed in PARTICLES or (len(window) == 2 and any(changed in w for w in edge_words)):
            return False
        if any(w in self.everyday for w in edge_words):
            return False  # a word of everyday speech on the edge is a real boundary ("低一点": 低 + 一点)
        return self.frequency(reading) >= DOMINANT_READING * max(max(self.frequency(w) for w in edge_words), 1)

    def frequency(self, word: str) -> int:
        return self.corpus_text.count(word)

    def repair(self, text: str) -> tuple[str, list[Repair]]:
        repairs: list[Repair] = []
        out = list(text)
        for run in CJK_RUN.finditer(text):
            i = run.start()
            while i < run.end():
                for size in WINDOWS:
                    if i + size > run.end():
                        continue
                    word = self._candidate(text, i, size)
                    if word:
                        out[i: i + size] = list(word)
                        repairs.append(Repair(text[i: i + size], word, i))
                        i += size - 1
                        break
                i += 1
        return "".join(out), repairs


def build_speller(corpus_text: str, unit_texts: Iterable[str]) -> Speller:
    """The vocabulary is every term of the domain dictionary and every word jieba finds in the texts."""
    vocabulary = {word for word, _ in tokenize.domain_terms([corpus_text])}
    for text in unit_texts:
        vocabulary.update(tokenize.tokenize(text))
    phrases = [cue for _, words in cues().slots for cue in words]
    return Speller(
        corpus_text, vocabulary, common_words=common_two_character_words(), phrases=phrases,
        everyday_words=common_two_character_words(EVERYDAY_FREQUENCY),
    )


def common_two_character_words(min_frequency: int = COMMON_FREQUENCY) -> frozenset[str]:
    """Two-character words of jieba's general dictionary: real words, not typos, even when the texts never use them."""
    import jieba

    jieba.initialize()
    return frozenset(w for w, f in jieba.dt.FREQ.items() if len(w) == 2 and f >= min_frequency)
