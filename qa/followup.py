"""Follow-up questions: complete a question that leans on the previous turn, by replacing or carrying its facts."""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from ingest.pipeline import Corpus
from qa import thesaurus, tokenize
from qa.cues import WH_WORDS, asks_something, cues, detect_slot
from qa.normalize import clauses, normalize, strip_filler
from qa.places import place_regions
from qa.route import ARTICLE_REF, document_mentions
from qa.rules.dates import add_period
from qa.rules.extract import extract_areas, extract_categories, extract_dates, extract_durations, extract_money, parse_number

YEAR_OF_DATE = re.compile(r"\d{2,4}年")
LEVEL_AFTER = re.compile(r"地区|自治州|自治县|[县市州乡镇区]")
TRAILING_NE = re.compile(r"的?呢(?=[？，。！]|$)")
MAX_FOLLOWUP_CHARS = 30  # longer questions say enough on their own
LEADING_FACT_CHARS = 8  # a leading "X的呢？" names one fact (疏勒县, 商服), not a question of its own
STANDALONE_NOTE = "未能结合上文理解这个问题，按独立问题回答。/ Could not relate this to the conversation; answered on its own."


@dataclass(frozen=True)
class Mention:
    kind: str
    start: int
    end: int


def _spans(text: str, corpus: Corpus) -> list[Mention]:
    """Typed facts a follow-up may replace: land category, area, money, date, period, place, document."""
    found: list[Mention] = []
    found += [Mention("category", c.start, c.start + len(c.raw)) for c in extract_categories(text)]
    found += [Mention("area", a.start, a.end) for a in extract_areas(text)]
    found += [Mention("money", m.start, m.end) for m in extract_money(text)]
    dates = extract_dates(text)
    found += [Mention("date", d.start, d.end) for d in dates]
    found += [Mention("period", d.start, d.start + len(d.raw)) for d in extract_durations(text, dates)]
    # a kind of land use ("住宅用地" -> "商服用地呢？"): the domain's terms for them, and the staff's words for
    # those terms ("商服的呢？")
    for use in _land_uses():
        for m in re.finditer(re.escape(use), text):
            if not any(x.start < m.end() and m.start() < x.end for x in found):
                found.append(Mention("use", m.start(), m.end()))
    for staff in thesaurus.expansions(text):
        if staff.terms[0].endswith("用地") and not any(x.start < staff.end and staff.start < x.end for x in found):
            found.append(Mention("use", staff.start, staff.end))
    # a text named by its place ("新疆办法", "宁夏意见") is a place of the question: "宁夏呢？" asks of 宁夏's text
    places = sorted(place_regions(), key=len, reverse=True)
    for _, start, end in document_mentions(text, corpus):
        if not any(x.start < end and start < x.end for x in found):
            found.append(Mention("place" if text.startswith(tuple(places), start) else "document", start, end))
    for place in places:
        for m in re.finditer(re.escape(place), text):
            if not any(x.start <= m.start() < x.end for x in found):
                # with the level said after it ("英吉沙县", "喀什市"): a place takes another's place whole, level and all
                level = LEVEL_AFTER.match(text, m.end())
                found.append(Mention("place", m.start(), level.end() if level else m.end()))
    return sorted(found, key=lambda m: m.start)


@lru_cache(maxsize=1)
def _land_uses() -> tuple[str, ...]:
    """The domain's names of kinds of land use, longest first (工矿仓储用地 before 用地)."""
    uses = {word for word, _ in tokenize.domain_terms() if word.endswith("用地") and len(word) > 2}
    return tuple(sorted(uses, key=len, reverse=True))


def is_followup(text: str) -> bool:
    c = cues()
    core = text.strip("？?。！! ")
    if len(core) > MAX_FOLLOWUP_CHARS:
        return False
    opener = any(core.startswith(o) for o in c.followup_openers)
    ends_ne = any(text.rstrip().endswith(e) for e in c.followup_endings)
    # its own words, not the texts' words a staff word expands to ("放在哪" brings 分布, 布局 …)
    if ARTICLE_REF.search(core) and not (opener or ends_ne):
        return False  # "第十条第二款" names what it asks about: a question of its own however short
    words = {t for t in tokenize.tokenize(core) if len(t) > 1 and not WH_WORDS.fullmatch(t)}
    few_words = len({t for t in words if not any(t != other and t in other for other in words)}) <= 2  # 放在 in 放在哪
    return opener or ends_ne or few_words or _leads_with_ne(text) or _adds(core)


def _leads_with_ne(text: str) -> bool:
    """A message opening with a short "X的呢？" and asking on ("商服的呢？两个加起来占多少")."""
    first = clauses(text)[0] if text else ""
    return bool(TRAILING_NE.search(first)) and len(TRAILING_NE.sub("", first).strip("？?。！!，, ")) <= LEADING_FACT_CHARS


# a follow-up adding to the case told before ("同一个案子还占了…", "另外…"), not changing it
ADDING = re.compile(r"^(?:同一个?案子?里?|同一宗|同案|另外|此外|还有|另|还|又|也)")
# "这两块都占了": both facts told so far, each in its own turn
BOTH = re.compile(r"两[块个宗处项笔]|这两|二者|两者|都")


def _adds(body: str) -> bool:
    """Does the follow-up add to the case told before, rather than change one of its facts?"""
    return bool(ADDING.match(body)) or (_together(body) and not _leads_with_ne(body))


def _together(text: str) -> bool:
    """Does the follow-up ask of its new fact together with the old one ("两个县合计多少")?"""
    return any(word in text for word in cues().followup_together)


def _strip_opener(text: str) -> str:
    for opener in cues().followup_openers:
        if text.startswith(opener):
            return text[len(opener):].lstrip("，, ")
    return text


def own_words(current: str) -> str:
    """What a follow-up says itself, as it stands at the end of the question it completes."""
    return TRAILING_NE.sub("", _strip_opener(current)).strip().lstrip("，,")


def _replace(previous: str, current: str, corpus: Corpus, beside: bool = False) -> tuple[str, bool]:
    """Put each typed fact of `current` in the place of the same kind of fact in `previous`, or `beside` it
    ("英吉沙县" -> "英吉沙县和疏勒县")."""
    new = _spans(current, corpus)
    old = _spans(previous, corpus)
    edits: list[tuple[Mention, str]] = []
    for kind in dict.fromkeys(m.kind for m in new):
        mine = [m for m in new if m.kind == kind]
        theirs = [m for m in old if m.kind == kind]
        if kind == "area":
            # "分两期各25公顷": a share of the area told, not another area in its place
            mine = [m for m in mine if not _each_part(current, m)]
            # "人均耕地0.03公顷" is a figure per person; "已经有250平米了" is a plot: one does not take the other's place
            mine = [m for m in mine if _per_person(current, m)] if all(_per_person(previous, t) for t in theirs) else mine
            theirs = [t for t in theirs if not _per_person(previous, t)] if not any(_per_person(current, m) for m in mine) else theirs
        if kind == "place" and len(mine) == 1 and len(theirs) > 1:
            # a place replaces the one of its own level: 疏勒县 takes 巴楚县's place, not 喀什's
            level = current[mine[0].end - 1]
            same = [t for t in theirs if previous[t.end - 1] == level]
            theirs = same[-1:] or theirs[-1:]
        # one-for-one in order; a lone new fact replaces the first old one of its kind
        for target, source in zip(theirs, mine, strict=False):
            value = current[source.start: source.end]
            year = YEAR_OF_DATE.match(previous[target.start: target.end])
            if kind == "date" and year and not YEAR_OF_DATE.match(value):
                value = year.group(0) + value  # "那要是10月9号呢" keeps the year the earlier date was in
            if beside:
                value = previous[target.start: target.end] + "和" + value
            edits.append((target, value))
    if not edits:
        return previous, False
    out = previous
    for target, value in sorted(edits, key=lambda e: e[0].start, reverse=True):
        out = out[: target.start] + value + out[target.end:]
    return out, True


EACH_PART = re.compile(r"(?:各|每期|每块|每个|每次|每宗)\s*$")
PER_PERSON = re.compile(r"人均(?:耕地)?(?:面积)?(?:是|为|有|才|只有|大约|约)?\s*$")


def _each_part(text: str, mention: Mention) -> bool:
    """Is the area a share of one told ("分两期各25公顷")?"""
    return bool(EACH_PART.search(text[max(0, mention.start - 3): mention.start]))


def _per_person(text: str, mention: Mention) -> bool:
    """Is the area said per person ("人均耕地0.03公顷")?"""
    return bool(PER_PERSON.search(text[max(0, mention.start - 8): mention.start]))


def as_statement(previous: str) -> str:
    """The previous question as a statement of its case: asking clauses keep their subject, lose their
    question words ("临时用地多久要复垦？" -> "临时用地要复垦，")."""
    out = []
    for clause in clauses(previous):
        if asks_something(clause):
            slot = detect_slot(clause)
            clause = WH_WORDS.sub("", clause.replace(slot.cue, "") if slot.cue else clause).rstrip("？?。！! ，,") + "，"
        out.append(clause)
    return "".join(out)


# "那要是晚一个月发呢", "提前10天": the date told before, moved
SHIFT = re.compile(r"(晚|迟|推迟|延后|早|提前)\s*(\d+|[一两二三四五六七八九十]+)\s*(个月|月|天|日|周|星期|年)")
SHIFT_UNITS = {"个月": ("月", 1), "月": ("月", 1), "天": ("日", 1), "日": ("日", 1), "周": ("日", 7), "星期": ("日", 7), "年": ("年", 1)}


def _shifted(body: str, previous: str) -> str | None:
    """The question before with its one date moved as the follow-up says ("晚一个月"), or None."""
    shift = SHIFT.search(body)
    dates = [d for d in extract_dates(previous) if d.value is not None]
    count = parse_number(shift.group(2)) if shift else None
    if shift is None or len(dates) != 1 or count is None or count.denominator != 1:
        return None
    unit, times = SHIFT_UNITS[shift.group(3)]
    sign = -1 if shift.group(1) in ("早", "提前") else 1
    said = dates[0]
    assert said.value is not None
    moved = add_period(said.value, sign * int(count) * times, unit)
    return previous[: said.start] + f"{moved.year}年{moved.month}月{moved.day}日" + previous[said.end:]


def _with_condition(question: str, body: str) -> str | None:
    """The question with the follow-up's words as a condition stated before its asking clauses; None when it asks
    nothing."""
    asking = [c for c in clauses(question) if asks_something(c)]
    if not asking:
        return None
    stated = [c for c in clauses(question) if not asks_something(c)]
    condition = TRAILING_NE.sub("", re.sub(r"^(如果|要是|假如|假设)", "", body)).rstrip("？?。！! ，,")
    return "".join(stated) + condition + "，" + "".join(asking)


def _resolve_one(current: str, previous: str, corpus: Corpus, earlier: str | None = None) -> str | None:
    if not is_followup(current):
        return None
    body = _strip_opener(current)
    shifted = _shifted(body, previous)
    if shifted is not None:
        return shifted
    if _adds(body):
        asking = [c for c in clauses(previous) if asks_something(c)]
        asked = any(asks_something(c) for c in clauses(body))
        if _spans(body, corpus):
            # "同一个案子还占了1000平米基本农田，合起来一共罚多少": the new facts join the case told before
            return as_statement(previous).rstrip("，,") + "，" + TRAILING_NE.sub("", body).lstrip("，,") + ("" if asked else "，" + "".join(asking))
        if earlier is not None and BOTH.search(body):
            # "要是这两块都占了，加起来罚多少": the case of each of the last two questions, asked together
            return as_statement(earlier).rstrip("，,") + "，" + as_statement(previous).rstrip("，,") + "，" + body.lstrip("，,")
    extra = [c for c in clauses(body) if asks_something(c) and not TRAILING_NE.search(c)]
    # "疏勒县的呢？两个县合计多少": the new fact joins the old one, the sum is asked after the same question
    beside = _leads_with_ne(body) and any(_together(c) for c in extra)
    replaced, changed = _replace(previous, body, corpus, beside=beside)
    changed = changed and replaced != previous  # "在这3亩上…" names the same 3亩: nothing is replaced
    asks = detect_slot(body)
    told = {m.kind for m in _spans(previous, corpus)}
    unmatched = [
        m for m in _spans(body, corpus) if m.kind not in told or (m.kind == "area" and _each_part(body, m))
    ]
    if unmatched and not beside and asks.kind == "lookup":
        # "那要是在这3亩上挖砂把地毁了呢，开垦费核定5万": facts the question before had no place for are a
        # condition of its case, with whatever was replaced
        conditioned = _with_condition(replaced, body)
        if conditioned is not None:
            return conditioned
    if changed and (beside or asks.kind in ("lookup", detect_slot(previous).kind)):
        # "那永久基本农田呢？": the same question about another fact; a question added after it is asked too
        # ("那工矿仓储用地呢？放在哪儿？")
        if not extra:
            return replaced
        return replaced.rstrip("，,？?。") + "？" + "".join(extra)
    if not changed and asks.kind == "lookup" and _together(body) and not asks_something(body) and not _spans(body, corpus):
        # "那一共呢": no fact and no question of its own, only that the same question is asked of the whole case
        # (一共, 合计); a fact the turn before replaced ("巴楚县…？" then "英吉沙县的呢") is part of that case again
        gone = [m for m in _spans(earlier, corpus) if earlier[m.start: m.end] not in previous] if earlier is not None else []
        whole = _replace(previous, "".join(earlier[m.start: m.end] for m in gone), corpus, beside=True)[0] if earlier and gone else previous
        return _with_condition(whole, body)
    if not changed and asks.kind == "lookup" and _spans(body, corpus):
        # "如果开垦费是3万元呢？": a new fact for the same question, stated before the previous ask
        return _with_condition(previous, body)
    body = own_words(current) or body  # "要是…的呢？哪天…" -> "要是…？哪天…"
    base = as_statement(replaced if changed else previous)
    return base.rstrip("，,") + "，" + body.lstrip("，,")


def resolve(text: str, history: list[dict[str, str]], corpus: Corpus, clean: Callable[[str], str] | None = None) -> tuple[str | None, str | None]:
    """The question as understood in the light of earlier user turns, and a note when that failed.

    Earlier follow-ups are resolved in turn, so a third question leans on the second as understood.
    """
    clean = clean or (lambda s: strip_filler(normalize(s)))
    users = [clean(h["content"]) for h in history if h.get("role") == "user" and h.get("content", "").strip()]
    if not users:
        return None, None
    previous, earlier = users[0], None
    for turn in users[1:]:
        previous, earlier = _resolve_one(turn, previous, corpus, earlier) or turn, previous
    resolved = _resolve_one(text, previous, corpus, earlier)
    if resolved is None:
        return None, (STANDALONE_NOTE if is_followup(text) else None)
    return resolved, None
