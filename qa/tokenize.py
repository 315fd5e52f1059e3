"""Tokenization for lexical search: jieba with a domain dictionary, query synonyms, stop tokens."""
from __future__ import annotations

import hashlib
import logging
import marshal
import re
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any

from ingest.atomic import write_bytes_atomic
from qa import thesaurus

LEXICON_DIR = Path(__file__).resolve().parent / "lexicon"
QUOTED_TERM = re.compile(r"“([\u4e00-\u9fff]{2,8})”")
# Punctuation, whitespace and function words carry no evidence for BM25.
STOP_TOKENS = frozenset(
    (
        "的 了 和 与 及 或 等 在 是 对 由 为 按 按照 应当 可以 其 之 以 于 将 把 被 并 后 前 中 内 上 下 个 吗 呢 啊 吧 呀 么"
        " 什么 怎么 怎样 怎么样 多少 哪些 哪个 哪里 如何 请问 一下 这个 那个 我 你 他 们 有 没有 要 会 能 想 问 说 讲"
        " 今年 去年 明年 现在 目前 几天 多久 多长 多大 多长时间 规定 是否 能否 可不可以 需要 吗 哪 谁 给 得"
    ).split()
)
TOKEN_RE = re.compile(r"[\u4e00-\u9fff]+|[A-Za-z]+|\d+(?:\.\d+)?")
CHINESE_WORD = re.compile(r"[\u4e00-\u9fff]+")
_lock = threading.Lock()
RUN_CACHE_SIZE = 8192  # runs of Chinese characters kept cut, beyond the corpus's own (use_runs)
_corpus_runs: dict[str, tuple[str, ...]] = {}
_taught: set[tuple[str, int]] = set()  # (word, frequency) pairs given to jieba in this process
DICTIONARY_CACHE_DIR = "jieba"  # under the build folder: jieba's parsed dictionary
_dictionary_dir: list[Path] = []  # where `configure` was told to keep it (set before jieba loads)
log = logging.getLogger(__name__)


def domain_terms(corpus_texts: list[str] | None = None) -> list[tuple[str, int]]:
    """The curated term list plus every short term the corpus itself puts in quotes."""
    terms = list(thesaurus.domain_words(LEXICON_DIR / "domain.txt"))
    for text in corpus_texts or []:
        terms.extend((term, 500) for term in QUOTED_TERM.findall(text))
    return terms


@lru_cache(maxsize=1)
def _jieba():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    if not (_dictionary_dir and jieba.dt.dictionary == jieba.DEFAULT_DICT and _load_dictionary(jieba.dt, _dictionary_dir[0])):
        jieba.initialize()
    return jieba


def _load_dictionary(tokenizer: Any, directory: Path) -> bool:
    """Give jieba its parsed default dictionary from `directory`, parsing and keeping it there first if missing.

    jieba keeps the same (FREQ, total) in its own cache but reads it with marshal.load on the open
    file, object by object: 0.6 s of every start. Read whole, then unmarshalled, it takes 0.2 s.
    The file is named by jieba's version and the dictionary's bytes, so it is never stale.
    """
    import jieba

    with tokenizer.get_dict_file() as handle:
        source = handle.read()
    key = hashlib.sha256(f"{jieba.__version__}\0".encode() + source).hexdigest()[:20]
    path = directory / DICTIONARY_CACHE_DIR / f"dict-{key}.marshal"
    try:
        freq, total = marshal.loads(path.read_bytes())
        if not (isinstance(freq, dict) and isinstance(total, int) and freq):
            raise ValueError("not a (FREQ, total) pair")
    except FileNotFoundError:
        freq, total = tokenizer.gen_pfdict(tokenizer.get_dict_file())
        try:
            write_bytes_atomic(path, marshal.dumps((freq, total)))
        except OSError as exc:
            log.warning("jieba dictionary cache not written: %s", exc)
    except (OSError, ValueError, EOFError, TypeError) as exc:
        log.warning("jieba dictionary cache %s ignored: %s", path, exc)
        return False
    with tokenizer.lock:
        if not tokenizer.initialized:
            tokenizer.FREQ, tokenizer.total, tokenizer.initialized = freq, total, True
    return True


def user_words(corpus_texts: list[str] | None = None) -> list[tuple[str, int]]:
    """Every (word, frequency) `configure` adds to jieba's dictionary, in the order it adds them."""
    words = domain_terms(corpus_texts)
    # Only Chinese words reach jieba (TOKEN_RE splits off Latin letters and digits).
    words.extend((word, 800) for word in thesaurus.staff_words() if len(word) <= 8 and CHINESE_WORD.fullmatch(word))
    return words


def configure(corpus_texts: list[str], cache_dir: Path | None = None) -> None:
    """Teach jieba the domain terms; idempotent, thread-safe. `cache_dir` (the build folder) keeps jieba's
    parsed dictionary for the next process when given before jieba is first loaded.

    jieba's add_word adds the frequency to the dictionary's total on every call, and the total weighs
    every cut: teaching the same words again (a second engine, a reload) would cut some runs
    differently (长胜 instead of 长 胜). So a word is taught with a frequency once per process.
    """
    global _corpus_runs
    if cache_dir is not None and not _dictionary_dir:
        _dictionary_dir.append(Path(cache_dir))
    jieba = _jieba()
    with _lock:
        taught = set(_taught)
        for word, freq in user_words(corpus_texts):
            if (word, freq) not in taught:
                jieba.add_word(word, freq=freq)
                _taught.add((word, freq))
        # a new word can cut a run differently
        _corpus_runs = {}
        _cut_run.cache_clear()


def cut_runs(texts: list[str]) -> dict[str, list[str]]:
    """Every run of Chinese characters in `texts`, cut: stored with the index (keyed by the same lexicon),
    so a process loading it does not cut the whole corpus again (the speller reads every unit's tokens)."""
    return {run: list(_cut_run(run)) for text in texts for run in TOKEN_RE.findall(text) if not run.isascii()}


def use_runs(runs: dict[str, list[str]]) -> None:
    """Serve these cut runs (from `cut_runs` under the lexicon configured now) without cutting them again."""
    global _corpus_runs
    _corpus_runs = {run: tuple(tokens) for run, tokens in runs.items()}  # one assignment: readers see old or new


@lru_cache(maxsize=RUN_CACHE_SIZE)
def _cut_run(run: str) -> tuple[str, ...]:
    """One run of Chinese characters, cut: a request tokenizes the same runs several times (the question,
    its expansion, its subject) and the thesaurus terms recur in every expansion."""
    return tuple(t for t in _jieba().cut_for_search(run, HMM=False) if t not in STOP_TOKENS)


def tokenize(text: str) -> list[str]:
    """Search-mode jieba tokens (words and their sub-words), without stop tokens."""
    tokens: list[str] = []
    for chunk in TOKEN_RE.findall(text):
        if chunk.isascii():
            tokens.append(chunk.lower())
            continue
        known = _corpus_runs.get(chunk)
        tokens.extend(known if known is not None else _cut_run(chunk))
    return tokens


def expand_query(text: str) -> str:
    """Append the texts' wording for every staff word found in the query (thesaurus.toml).

    A term is appended only when it brings a token the query does not have yet: one that only
    repeats the query's tokens would re-weight them, not expand them.
    """
    found = thesaurus.expansions(text)
    if not found:
        return text
    seen = set(tokenize(text))
    additions: list[str] = []
    for expansion in found:
        for term in expansion.terms:
            new_tokens = set(tokenize(term)) - seen
            if term not in text and new_tokens:
                additions.append(term)
                seen |= new_tokens
    return text if not additions else text + " " + " ".join(additions)


def content_tokens(text: str) -> set[str]:
    """The query's tokens that should be found in evidence: staff words are replaced by the
    texts' wording, so '罚多少' is looked for as '罚款', not as itself."""
    return set(tokenize(thesaurus.matcher().substitute(text, _texts_wording)))


def _texts_wording(entry: thesaurus.Entry) -> str:
    return " " + " ".join(entry.terms) + " "
