"""Question analysis: the question read once into the typed object that every later stage reads."""
from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from datetime import date

from ingest.pipeline import Corpus
from qa import thesaurus, tokenize
from qa.cues import WH_WORDS, Slot, asks_something, cues, detect_slot, without_indefinites
from qa.followup import as_statement, own_words, resolve
from qa.normalize import normalize, quoted_terms, strip_filler
from qa.places import place_regions, with_full_names
from qa.route import BOX_REF, CHAPTER_REF, TABLE_REF, Route, document_mentions, part_names, route
from qa.rules.extract import Question as CaseFacts
from qa.rules.extract import parse_question, standalone_years
from qa.spelling import Repair, Speller, build_speller

PART_MARKS = "，；。？！、\n"  # a message's questions are separated by these
COUNTED_LIST = re.compile(r"(?:这|那)?[两二三四五六七八九十几]+(?:个方面|方面|大块|块|项|个|部分|类|件事)$")
DOCUMENT_PARTS = ("title", "signature", "preamble")  # the units that say what a document is, by whom, when
MIN_ASPECT_PHRASE = 4  # "测量标志普查周期": a phrase naming a thing and its aspect, not a bare aspect
MAX_VERB_CHARS = 3  # "谁编谁批": at most this much between two question words that share a subject


def split_each(sentence: str) -> list[str]:
    """One thing asked of several subjects: '住宅用地和工矿用地分别供应多少' -> ['住宅用地供应多少', '工矿用地供应多少']."""
    c = cues()
    pattern = "|".join(re.escape(j) for j in c.conjunctions)
    for word in c.each:
        pos = sentence.find(word)
        if pos <= 0:
            continue
        head, tail = sentence[:pos], sentence[pos + len(word):]
        start = max(head.rfind(ch) for ch in "，；：") + 1  # the list is the stretch after the last clause break
        listed = COUNTED_LIST.sub("", head[start:])  # "耕地保护和土地执法两块分别…": the count is no member's
        prefix, members = _shared_prefix(head[:start], [m for m in _split_outside_brackets(pattern, listed) if m.strip()])
        if len(members) >= 2:
            return [prefix + m + tail for m in members]
        if start:
            # "X和Y，2025年分别定的多少": the list is the clause before, what follows it is asked of each member
            before = max(head.rfind(ch, 0, start - 1) for ch in "，；：") + 1
            prefix, members = _shared_prefix(head[:before], [m for m in _split_outside_brackets(pattern, head[before: start - 1]) if m.strip()])
            # (members that are whole names: "疏勒县和麦盖提县的…项目" shares its 的-phrase, it lists no two things)
            if len(members) >= 2 and not asks_something(head[before: start - 1]) and not any("的" in m for m in members):
                return [prefix + m + head[start - 1: pos] + tail for m in members]
    for word in c.compare:
        pos = sentence.find(word)
        if pos <= 0:
            continue
        head = sentence[:pos]
        start = max(head.rfind(ch) for ch in "，；：") + 1
        prefix, members = _shared_prefix(head[:start], [m for m in _split_outside_brackets(pattern, head[start:]) if m.strip()])
        if len(members) >= 2:  # "X和Y一样吗": what each of them says
            return [prefix + m + "怎么规定？" for m in members]
    return [sentence]


def _split_outside_brackets(pattern: str, text: str) -> list[str]:
    """`text` split at the joining words outside brackets: "工程（伽师段、疏勒段）长度和面积" -> the 工程's 长度, 面积."""
    out: list[str] = []
    start = 0
    for m in re.finditer(pattern, text):
        before = text[: m.start()]
        if before.count("（") + before.count("(") > before.count("）") + before.count(")"):
            continue
        out.append(text[start: m.start()])
        start = m.end()
    return [*out, text[start:]]


def _shared_prefix(prefix: str, members: list[str]) -> tuple[str, list[str]]:
    """'宅基地面积标准新疆' and '宁夏': when the other members are places, the first one's words before its place
    are what every member is asked about ('宅基地面积标准' + 新疆 / 宁夏)."""
    places = place_regions()
    if len(members) < 2 or not all(m in places for m in members[1:]):
        return prefix, members
    first = members[0]
    place = next((p for p in sorted(places, key=len, reverse=True) if first.endswith(p) and len(p) < len(first)), None)
    if place is None:
        return prefix, members
    return prefix + first[: -len(place)], [place, *members[1:]]


def _split_asks(clause: str) -> list[str]:
    """'规划谁编谁批' -> ['规划谁编', '规划谁批']: two question words close together share what precedes them."""
    marks = list(WH_WORDS.finditer(without_indefinites(clause)))  # ("好几年", "归谁吵": no question words)
    # a verb between the question words ("谁编谁批"); adjacent ones are one phrase ("哪几个")
    if len(marks) < 2 or any(not 1 <= b.start() - a.end() <= MAX_VERB_CHARS for a, b in itertools.pairwise(marks)):
        return [clause]
    prefix = clause[: marks[0].start()]
    ends = [m.start() for m in marks[1:]] + [len(clause)]
    return [prefix + clause[m.start(): end] for m, end in zip(marks, ends, strict=True)]


def _split_aspects(text: str) -> list[str]:
    """'应急测绘响应时限和测量标志普查周期' -> both: a query of noun phrases, each naming what is asked of it
    (an aspect such as 时限, 周期, 面积), asks for each."""
    aspects = [a for a in cues().aspects if len(a) > 1]
    pattern = "|".join(re.escape(j) for j in cues().conjunctions)
    members = [m for m in re.split(pattern, text.strip(" ？?。")) if m.strip()]
    if len(members) >= 2 and all(len(m) >= MIN_ASPECT_PHRASE and m.endswith(tuple(aspects)) for m in members):
        return members
    return [text]


def _clauses(text: str) -> list[str]:
    """The message cut after each clause mark, except inside brackets: "（伽师段、疏勒段、巴楚段）" lists members of
    one thing asked about, it asks nothing itself."""
    out: list[str] = []
    depth, start = 0, 0
    for i, ch in enumerate(text):
        depth += (ch in "（(") - (ch in "）)")
        if depth <= 0 and ch in PART_MARKS:
            out.append(text[start: i + 1])
            start = i + 1
    return [*out, text[start:]] if start < len(text) else out


INDEFINITE = re.compile(r"有(?:好)?几[个户家人块处位名次回]")  # "有几户一直不签": a few households, nothing asked
FEW_MIDWAY = re.compile(r"几[个户家人块处位名次回座间片]")  # "挖几个塘搞鱼塘养殖": a few ponds, in a clause going on
MIDWAY_WORDS_AFTER = 4  # characters after 几+measure that make more than its noun: a predicate goes on past it


def _tells_how_many(clause: str, last: bool) -> bool:
    """Is the clause's only question word an indefinite 几 ("有几户一直不签协议，…由谁作决定？", "想挖几个塘搞鱼塘
    养殖，…能批不") in a clause that does not end the message or a question?"""
    if last or clause.rstrip().endswith(("？", "?")):
        return False
    for pattern, after in ((INDEFINITE, 2), (FEW_MIDWAY, MIDWAY_WORDS_AFTER)):
        found = pattern.search(clause)
        # the few are the subject of what follows them ("有几户一直不签"), or the object of an act the clause goes on
        # past ("挖几个塘搞…"); "项目有几个、", "批了几个项目，" ask how many
        if found and len(clause[found.end():].rstrip("，、；。 ")) >= after:
            return not asks_something(pattern.sub("", clause))
    return False


TEXTS_SAY_REST = re.compile(r"[吗嘛么呢？?。！!，,\s]|^(?:那|这|对此|对这个|这个|这方面|这块)")


def _only_asks_if_a_text_says(clause: str) -> bool:
    """"…各分多少？有规定吗": a clause asking only whether the texts provide for what was asked before it is no
    question of its own."""
    words = [w for w in cues().texts_say if w in clause]
    if not words:
        return False
    rest = clause
    for word in words:
        rest = rest.replace(word, "")
    return not TEXTS_SAY_REST.sub("", rest).strip()


def split_parts(text: str) -> list[str]:
    """The questions one message asks: each asking clause with the context before it.

    Context stated before the first question belongs to every part ("在永久基本农田上挖湖造景，
    新疆怎么规定？喀什怎么考核？"); context between two questions belongs to the next one.
    """
    parts_of = [c for c in _clauses(text) if c.strip()]
    asks = [
        i for i, c in enumerate(parts_of)
        if asks_something(c) and not _tells_how_many(c, i == len(parts_of) - 1) and not _only_asks_if_a_text_says(c)
    ]
    if len(asks) <= 1:
        each = split_each(text)
        if len(each) > 1:
            return each
        asked = _split_asks(text)
        return asked if len(asked) > 1 or WH_WORDS.search(text) else _split_aspects(text)
    lead = "".join(parts_of[: asks[0]])
    parts: list[str] = []
    previous = asks[0]
    for n, index in enumerate(asks):
        between = "".join(parts_of[previous + 1: index]) if n else ""
        clause = parts_of[index]
        if n and not between and WH_WORDS.match(clause.strip()):
            # "巴楚属于哪个带、哪个重点区": a question word that opens the clause asks what the one before asked,
            # of the same thing
            before = parts_of[previous]
            wh = WH_WORDS.search(before)
            between = before[: wh.start()] if wh else ""
        parts.extend(split_each(lead + between + clause))
        previous = index
    return [p.rstrip("、，") for p in parts]


SENTENCE_END = re.compile(r"(?<=[。！？?!])")
# a question opening with its predicate ("占全地区…的几成？", "那…呢") or pointing back ("按这个目标") is said of the one before
SUBJECTLESS = re.compile(r"^(?:占|比|是|合计|一共|加起来|总共|那|这|它|其|还|又|再|相当于)")
# a part opening with a predicate of amount ("占全地区国土面积多少", "合计多少", "折合多少亩"), not with a verb that begins its own
# subject ("占用未利用地的审批权限", "比例是多少")
PREDICATE_FIRST = re.compile(r"^(?:占(?!用|地)|比(?!例|重|较)|合计|一共|加起来|总共|相当于|折合|折算|换算|约合|合多少)")
POINTING = re.compile(r"这个|这些|这一|按这|照这|上述|前面|上面|它们?|该(?:目标|标准|指标|比例|数)")
# an asking sentence pointing back at the story told before it ("这种情况能硬搬吗", "这样搞行不行")
POINTS_BACK = re.compile(r"这种情况|这种做法|这种事|这样[做搞干弄办]?|这么[做搞干弄办]|那样|此事|这事")
LONG_CONTEXT_CHARS = 40  # context longer than this around one asking sentence is background, not the subject
MIN_FOCUS_TOKENS = 2
FRAMING = re.compile(r"^(?:对于|关于|至于|针对)")  # "对于耕地保护，…" frames the matter, it is not part of it
HOW_OFTEN = re.compile(r"一次|一回|每隔|频次|频率")


def focus_of(text: str) -> str:
    """The sentence that asks, when a long message tells a story around one question: "我们乡有个村去年被征了
    地……吵得不可开交。我就想问一句：由其他单位安置的，安置补助费该付给谁？" asks about the last sentence.
    The whole text when the question is short or its asking sentence leans on the context ("新疆怎么规定？")."""
    sentences = [s for s in SENTENCE_END.split(text) if s.strip()]
    asking = [s for s in sentences if asks_something(s)]
    if len(sentences) < 2 or len(asking) != 1 or len(text) - len(asking[0]) < LONG_CONTEXT_CHARS:
        return text
    focus = asking[0]
    head, colon, tail = focus.replace("：", ":").rpartition(":")
    if colon and asks_something(tail) and not asks_something(head):  # "我就想问一句：…"
        focus = focus[len(head) + 1:]
    if POINTS_BACK.search(focus):
        return text  # "这种情况能硬搬吗": the story is what it asks about
    return focus if len(_subject_words(focus)) >= MIN_FOCUS_TOKENS else text


def split_documents(text: str, corpus: Corpus) -> list[str]:
    """'耕地保护责任，新疆办法和喀什规划有啥规定' -> one question per text named: each says its own."""
    mentions = document_mentions(text, corpus)
    joined = set(cues().conjunctions)
    for (doc_a, start_a, end_a), (doc_b, start_b, end_b) in itertools.pairwise(mentions):
        if doc_a != doc_b and text[end_a:start_b] in joined:
            return [text[:start_a] + text[start_a:end_a] + text[end_b:], text[:start_a] + text[start_b:end_b] + text[end_b:]]
    return [text]


def _subject_words(text: str) -> set[str]:
    """The content words of what `text` asks about."""
    return tokenize.content_tokens(subject_of(text, detect_slot(text)))


def subject_of(text: str, slot: Slot) -> str:
    """The question without the words that ask: what the slot is asked about."""
    subject = text
    for word in cues().compare:  # "有什么不同", "一样吗" set things side by side; they are not the matter
        subject = subject.replace(word, " ")
    for word in cues().texts_say:  # "有没有讲", "是咋提的" ask what a text says; the saying is not the matter
        subject = subject.replace(word, " ")
    subject = subject.replace(slot.cue, " ") if slot.cue else subject
    if slot.kind == "period":  # "多久考核一次": 一次 asks how often, it is not what is asked about
        subject = HOW_OFTEN.sub(" ", subject)
    subject = FRAMING.sub(" ", subject)
    return WH_WORDS.sub(" ", subject)


@dataclass
class Analysis:
    """A question as understood. Routing, retrieval, rules, the decision and the answer read this."""

    raw: str  # as received
    text: str  # normalised, filler removed, a follow-up completed: what every stage reads
    slot: Slot
    subject: str
    subject_tokens: frozenset[str]
    search_tokens: frozenset[str]  # the question's tokens with the texts' terms for staff words added
    route: Route
    # what BM25 reads: the text without the name of a document the search is limited to, whose words its
    # title and preamble repeat and which would rank them first
    search_text: str
    # the subject's words that only name a searched document: every unit of it is about them already
    name_tokens: frozenset[str]
    case: CaseFacts
    years: list[int]
    # the case read in the texts' own terms (基本农田 -> 永久基本农田), a second reading for the rules
    canonical_case: CaseFacts | None = None
    resolved: str | None = None  # a follow-up completed from the conversation, as understood
    quoted: tuple[str, ...] = ()  # terms the question quotes ("“一码”"): a passage that has them is the one meant
    # the question asks about a named document itself (its issuer, status, full text): its title, signature and
    # preamble are among the route's named units
    about_document: bool = False
    repairs: list[Repair] = field(default_factory=list)  # typos read as the texts' words
    followup_note: str | None = None
    parts: list[Analysis] = field(default_factory=list)  # sub-questions of a multi-part question
    # a part that leans on the one before ("…又是谁来定"), read with it: asked when its own words bind nothing
    with_context: Analysis | None = None
    # a part opening with its predicate ("占全地区国土面积多少？"): its subject is the one before's, so the reading
    # with it is asked first
    predicate_only: bool = False

    @property
    def is_multi_part(self) -> bool:
        return len(self.parts) > 1

    @property
    def asks_separately(self) -> bool:
        """Does the message ask two or more questions, each in a sentence of its own and naming its own subject
        (computed apart: "A比B多多少？C和D合计占百分之几？"), none of them said of the one before ("占…的几成？",
        "按这个目标…")?"""
        asking = [s.strip() for s in SENTENCE_END.split(self.text) if s.strip() and asks_something(s)]
        return self.is_multi_part and len(asking) >= 2 and not any(SUBJECTLESS.match(s) or POINTING.search(s) for s in asking[1:])

    @property
    def compares(self) -> bool:
        """Does the message set texts or places side by side ("新疆和宁夏一样吗")?"""
        return self.is_multi_part and any(word in self.text for word in cues().compare)


# "…办法又是谁来定", "到期了还能续吗": 又/还 right before what is asked says it of what the part before was about
# ("还是", "还差几天", "又占了" say nothing of the sort)
LEANING = re.compile(r"又(?=是|该|由|归|要|得|需|能|可以|怎么|如何|怎样|咋|谁|哪|多少|几)|还(?=该|要|得|需|能|可以|怎么|如何|怎样|咋|谁|哪|多少|几)")


def _leans_back(part: str, corpus: Corpus) -> bool:
    """Does a later part lean on the one before, as a follow-up leans on the previous turn (an opener, or 又/还
    before its question word), while naming no place or text of its own?"""
    wh = WH_WORDS.search(part)
    leans = any(part.startswith(o) for o in cues().followup_openers) or bool(LEANING.search(part[: wh.start() if wh else len(part)]))
    if not leans:
        return False
    routed = route(part, corpus)
    return not routed.places and not routed.named_doc_ids


def _without_texts(part: str, corpus: Corpus) -> str:
    """The part without the names of texts and places in it: "新疆办法咋规定的" names no subject of its own."""
    for _, start, end in sorted(document_mentions(part, corpus), key=lambda m: -m[1]):
        part = part[:start] + " " + part[end:]
    for place in sorted(place_regions(), key=len, reverse=True):
        part = part.replace(place, " ")
    return part


def _names_a_subject(part: str) -> bool:
    """Does the part name what it asks about, beyond question words, aspects (占比, 费用, 百分点; 总金额 is one too)
    and words of how or where (主要, 放在)?"""
    aspects, hollow = cues().aspects, cues().hollow
    return any(
        len(w) > 1 and w not in hollow and not any(w in a or (len(a) > 1 and a in w) for a in aspects) for w in _subject_words(part)
    )


def _own_question(text: str, carried: str) -> str | None:
    """A follow-up that asks a question of its own ("那每隔多久检查？") is about its own words; the
    previous turn it carries says where (document, topic), not what is asked."""
    if not carried or not text.startswith(carried):
        return None
    own = text[len(carried):]
    slot = detect_slot(own)
    return own if slot.kind != "lookup" and len(tokenize.content_tokens(subject_of(own, slot))) >= MIN_FOCUS_TOKENS else None


def _analyse_text(
    raw: str, text: str, corpus: Corpus, today: date, inherit: Route | None = None, inherit_slot: Slot | None = None, carried: str = ""
) -> Analysis:
    focus = _own_question(text, carried) or focus_of(text)
    slot = detect_slot(focus)
    canonical = thesaurus.canonical(text)
    if inherit_slot is not None and (slot.kind == "lookup" or (slot.kind == inherit_slot.kind and not slot.family and inherit_slot.family)):
        # "探矿权和采矿权的征收比例各是多少": each part asks what the whole asks
        slot = Slot(kind=inherit_slot.kind, family=inherit_slot.family, cue=slot.cue or inherit_slot.cue)
    subject = subject_of(focus, slot)
    own_route = routed = route(text, corpus)
    if inherit is not None and routed.doc_ids is None and not routed.explicit_ids:
        # a part that names no place or document is asked about the whole question's
        # and within the part of a text it names ("专栏9里…多少处？…几处？"), when that text is the one searched
        scope = [u for u in inherit.scope_ids if inherit.doc_ids is None or corpus.unit(u).doc_id in inherit.doc_ids]
        routed = routed.model_copy(update={
            "doc_ids": inherit.doc_ids, "places": inherit.places, "regions": inherit.regions, "foreign_places": inherit.foreign_places,
            "scope_ids": scope,
        })
    # the rules read a part naming no place with the message's places ("巴楚…？交通运输和水利设施合计占百分之几？")
    case_text = "".join(routed.places) + "：" + text if inherit is not None and routed.places and not own_route.places else text
    # the rules read the texts and units the question names as routing read them, not by routing again
    documents, explicit_ids = tuple(own_route.named_doc_ids), tuple(own_route.explicit_ids)
    subject_tokens = frozenset(tokenize.content_tokens(subject))
    search_text, name_tokens, routed, about_document = _read_document_names(text, subject_tokens, routed, corpus)
    if routed.scope_ids and not routed.explicit_ids and slot.kind in ("lookup", "list") and not _names_a_subject(
        _without_texts(NAMED_PART.sub(" ", subject), corpus)
    ):
        # "第六章第三节讲的是啥", "专栏6是什么内容": what a named part says is its title and what stands right under it
        routed = routed.model_copy(update={"explicit_ids": _part_and_contents(routed.scope_ids, corpus)})
    if slot.kind == "list" and routed.named_doc_ids and not (routed.scope_ids or routed.explicit_ids):
        # "规划里列了哪几项重点工程": a list named by a heading of the text named is the heading's items, each quoted
        items = _items_of_headings_named(subject, routed.named_doc_ids, corpus)
        if items:
            routed = routed.model_copy(update={"explicit_ids": items, "doc_ids": list(routed.named_doc_ids)})
    return Analysis(
        about_document=about_document,
        raw=raw, text=text, slot=slot, subject=subject, subject_tokens=subject_tokens,
        search_tokens=frozenset(tokenize.tokenize(tokenize.expand_query(text))),
        route=routed, search_text=search_text, name_tokens=name_tokens,
        case=parse_question(case_text, today, terms=canonical, documents=documents, explicit_ids=explicit_ids), years=standalone_years(text),
        canonical_case=parse_question(canonical, today, documents=documents, explicit_ids=explicit_ids) if canonical != text else None,
    )


HEADING_NUMBER = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|第[一二三四五六七八九十]+[章节])\s*")
MIN_HEADING_CHARS = 4  # a heading title shorter than this (总则, 附则) is a common word, not a name
MAX_LISTED_ITEMS = 8  # a heading with more parts than this is a chapter to search, not a list to give whole


NAMED_PART = re.compile("|".join(p.pattern for p in (BOX_REF, TABLE_REF, CHAPTER_REF)))


def _right_under(unit_id: str, corpus: Corpus) -> list[str]:
    """The units one level under a unit, by id ("四、" -> its （一）（二）（三）), in reading order."""
    depth = unit_id.count(".") + 1
    return [u.id for u in corpus.units if u.id.startswith(unit_id + ".") and u.id.count(".") == depth]


def _part_and_contents(part_ids: list[str], corpus: Corpus) -> list[str]:
    """Each part with what stands right under it (its sections, paragraphs and boxes), a few at most."""
    return [uid for part_id in part_ids for uid in (part_id, *_right_under(part_id, corpus)[:MAX_LISTED_ITEMS])]


def _items_of_headings_named(subject: str, doc_ids: list[str], corpus: Corpus) -> list[str]:
    """The parts right under each heading of the named texts whose whole title the subject says ("重点工程" for
    "四、重点工程": its （一）（二）（三）)."""
    found: list[str] = []
    for unit in corpus.units:
        if unit.kind != "heading" or unit.doc_id not in doc_ids:
            continue
        title = HEADING_NUMBER.sub("", unit.text.strip()).rstrip("。")
        if len(title) < MIN_HEADING_CHARS or title not in subject:
            continue
        items = _right_under(unit.id, corpus)
        if 0 < len(items) <= MAX_LISTED_ITEMS:
            found.extend(items)
    return found


def _read_document_names(
    text: str, subject_tokens: frozenset[str], routed: Route, corpus: Corpus
) -> tuple[str, frozenset[str], Route, bool]:
    """What the names of the documents searched mean for the rest: the text BM25 reads, the subject's words that
    only name a document, the route (with the document's title, signature and preamble when the question is
    about the document itself) and whether it is."""
    names = _searched_names(text, routed, corpus)
    name_tokens = subject_tokens & {t for start, end in names for t in tokenize.content_tokens(text[start:end])}
    if not any(len(t) > 1 for t in subject_tokens - name_tokens):
        name_tokens = frozenset()  # "喀什规划的规划期": the name is most of what is asked about
    # so are the words naming a part the search is limited to ("专栏9里"): every unit inside it is about them
    in_part = name_tokens | (subject_tokens & tokenize.content_tokens(part_names(text, corpus, routed)))
    if any(len(t) > 1 and t in speller_for(corpus).vocabulary for t in subject_tokens - in_part):
        name_tokens = in_part  # unless only words the texts never use would be left ("专栏6中重点矿山一共几个")
    titles = "".join(corpus.document(d).title for d in routed.doc_ids or ())
    if not names or not _about_document(_without_names(text, names), titles):
        return _without_searched_names(text, names), name_tokens, routed, False
    if routed.explicit_ids:
        return text, name_tokens, routed, False  # the question names its own units ("第十条", "附件1第3项")
    # its title, signature and preamble say who issued it, when, in what status: they are the answer
    own = [f"{d}:{part}" for d in routed.doc_ids or () for part in DOCUMENT_PARTS]
    return text, name_tokens, routed.model_copy(update={"explicit_ids": [u for u in own if corpus.has_unit(u)]}), True


def _searched_names(text: str, routed: Route, corpus: Corpus) -> list[tuple[int, int]]:
    """Where the text names the documents the search is limited to (all of them, else none)."""
    mentions = document_mentions(text, corpus)
    searched = set(routed.doc_ids or ())
    if not mentions or searched - {doc_id for doc_id, _, _ in mentions}:
        return []
    return [(start, end) for doc_id, start, end in mentions if doc_id in searched]


def _without_names(text: str, names: list[tuple[int, int]]) -> str:
    """The text with each named span blanked out."""
    for start, end in sorted(names, reverse=True):
        text = text[:start] + " " + text[end:]
    return text


def _without_searched_names(text: str, names: list[tuple[int, int]]) -> str:
    """The text less the names of documents the search is already limited to ("新疆实施办法从哪天起施行" ->
    "从哪天起施行"); the whole text when little else would be left."""
    rest = _without_names(text, names)
    return rest if len(tokenize.content_tokens(subject_of(rest, detect_slot(rest)))) >= MIN_FOCUS_TOKENS else text


def _about_document(rest: str, titles: str) -> bool:
    """Does a question that names a document ask about the document itself ("…是正式印发的吗", "…是哪个部门出的")?
    Its other words are then only words about documents, places, or the title's own words."""
    places = place_regions()
    words = [w for w in tokenize.content_tokens(subject_of(rest, detect_slot(rest))) if len(w) > 1]
    return all(any(a in w for a in cues().document_aspects) or w in places or w in titles for w in words)


_spellers: dict[int, tuple[Corpus, Speller]] = {}


def speller_for(corpus: Corpus) -> Speller:
    """One speller per loaded corpus (built in about a second, then reused by every question)."""
    held = _spellers.get(id(corpus))
    if held is None or held[0] is not corpus:
        texts = [u.text for u in corpus.units if u.covers_source]
        held = (corpus, build_speller("\n".join(texts), texts))
        _spellers[id(corpus)] = held
    return held[1]


def analyse(question: str, corpus: Corpus, today: date | None = None, history: list[dict[str, str]] | None = None) -> Analysis:
    """Read the question once: normalise, complete a follow-up, find the slot, subject, places and parts."""
    today = today or date.today()
    # places by the names the texts use (塔县 -> 塔什库尔干县), for routing, retrieval and the rules alike
    text, repairs = speller_for(corpus).repair(with_full_names(strip_filler(normalize(question))))
    resolved, note = resolve(text, history or [], corpus)
    own = own_words(text)
    carried = resolved[: len(resolved) - len(own)] if resolved and own and resolved.endswith(own) else ""
    analysis = _analyse_text(question, resolved or text, corpus, today, carried=carried)
    analysis.resolved = resolved
    analysis.repairs = repairs
    analysis.followup_note = note
    analysis.quoted = tuple(t for t in quoted_terms(question) if t in analysis.text)
    pieces = split_parts(analysis.text)
    by_document = split_documents(analysis.text, corpus)
    # two asking sentences each naming its own text ("…：新疆那边禁止哪些？宁夏…有啥上限？") are the parts as written
    sentences = [s for s in SENTENCE_END.split(analysis.text) if s.strip() and asks_something(s)]
    if len(by_document) > len(pieces) or (len(by_document) == len(pieces) and len(sentences) < len(pieces)):
        # "喀什规划和自治区规划对X分别怎么说": texts named side by side are the members, and what follows them is
        # asked of each (a split on the conjunction alone would leave X to the last text)
        pieces = by_document
    if len(pieces) > 1:
        inherit_slot = analysis.slot if len(split_each(analysis.text)) > 1 else None
        analysis.parts = []
        named_before: list[str] = []
        previous = ""
        for piece in pieces:
            # a text named earlier in the message carries to the parts after it ("新疆办法里X…，Y…"); one named
            # only by a later part does not reach back ("按办法…，新疆规划要怎么…"): that part is asked of the places
            inherit = analysis.route.model_copy(update={"doc_ids": named_before or analysis.route.place_doc_ids})
            text = piece
            own_subject = _names_a_subject(_without_texts(piece, corpus))
            if previous and not own_subject:
                # "…多出多少公顷？比重相差几个点？", "新疆办法咋规定的": a part of only asking words (and names of texts)
                # is asked of what the last part naming a subject was
                # (the texts and places the part names replace those of the part before: "…新疆说几级？喀什说几级")
                statement = as_statement(previous)
                text = (_without_texts(statement, corpus) if _without_texts(piece, corpus) != piece else statement) + piece
            part = _analyse_text(piece, text, corpus, today, inherit=inherit, inherit_slot=inherit_slot, carried=carried)
            opens_with_predicate = bool(PREDICATE_FIRST.match(piece.strip()))
            if previous and text == piece and (_leans_back(piece, corpus) or opens_with_predicate):
                # "…筹集管理的办法又是谁来定": its own words may or may not say of what; read both ways
                leaning = as_statement(previous) + piece
                part.with_context = _analyse_text(piece, leaning, corpus, today, inherit=inherit, inherit_slot=inherit_slot, carried=carried)
                part.predicate_only = opens_with_predicate
            previous = text if own_subject or not previous else previous
            part.quoted = tuple(t for t in analysis.quoted if t in part.text)
            named_before = part.route.named_doc_ids or named_before
            analysis.parts.append(part)
    return analysis
