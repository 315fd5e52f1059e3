"""The staff-word thesaurus: its targets are the texts' own wording, and matching is longest-first and stable."""
from __future__ import annotations

import itertools
import random
from pathlib import Path

import pytest
from pydantic import ValidationError

from qa import thesaurus, tokenize

TH = thesaurus.load()
ALL_STAFF = [w for e in TH.entries for w in e.staff]
ALL_TERMS = sorted({t for e in TH.entries for t in e.terms})

# Every left-hand side of the former qa/lexicon/synonyms.txt but "住宅用地 => 住宅用地", which
# expanded to itself (住宅用地 is the texts' own word, in domain.txt).
FORMER_SYNONYMS = (
    "一般耕地", "基本农田", "基本农田以外", "罚多少", "罚款多少", "怎么罚", "咋罚", "谁批", "谁审批", "由谁批准", "哪级批", "哪个部门批", "盖房", "建房",
    "宅基地多大", "最多多大", "荒地", "开荒", "占地", "违法占地", "乱占", "临时用地", "征地", "补偿款", "多久", "几天", "公示几天", "吵架", "纠纷",
    "土地纠纷", "起诉", "供地", "供地计划", "挂钩", "指标流转", "整治", "调整比例", "红线", "开发边界", "多规合一", "十四五",
)


def _toml(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "thesaurus.toml"
    path.write_text(body, encoding="utf-8")
    return path


def test_every_term_occurs_verbatim_in_the_corpus(corpus):
    texts = [u.text for u in corpus.units]
    missing = [t for t in ALL_TERMS if not any(t in text for text in texts)]
    assert not missing, f"terms not in the ingested corpus: {missing}"


def test_every_unit_exists_and_holds_one_of_its_terms(corpus):
    problems = []
    for entry in TH.entries:
        for unit_id in entry.units:
            if not corpus.has_unit(unit_id):
                problems.append(f"{unit_id}: no such unit ({entry.terms[0]})")
            elif not any(t in corpus.unit(unit_id).text for t in entry.terms):
                problems.append(f"{unit_id}: holds none of {entry.terms}")
    assert not problems, problems


def test_breadth_every_document_and_statute_chapter_is_covered(corpus):
    """Each document, and each chapter of the statute with provisions, is named by some entry's units."""
    cited = {u for e in TH.entries for u in e.units}
    docs = {u.split(":")[0] for u in cited}
    assert docs == {d.id for d in corpus.catalog.documents}
    chapters = {corpus.unit(u).heading_path[0] for u in cited if u.startswith("xj-measures:a")}
    statute_chapters = {u.heading_path[0] for u in corpus.units if u.doc_id == "xj-measures" and u.kind == "article"}
    assert chapters == statute_chapters
    assert len(ALL_STAFF) >= 300


def test_a_staff_word_belongs_to_one_entry_so_it_has_one_synonym_target():
    owners: dict[str, str] = {}
    for entry in TH.entries:
        for word in entry.staff:
            assert word not in owners, f"{word} in two entries"
            owners[word] = entry.terms[0]
    synonym_targets = {e.terms[0] for e in TH.entries if e.kind == "synonym"}
    assert not synonym_targets & owners.keys(), "a synonym target is itself a staff word: canonical() would chain"


@pytest.mark.parametrize("first, second, message", [
    # a staff word in two entries
    ('terms = ["挖塘养鱼"]\nstaff = ["鱼塘"]\nnote = "办法第十六条"', 'terms = ["水产养殖设施"]\nstaff = ["鱼塘"]\nnote = "办法第十六条"', "two entries"),
    # an equivalent entry's term that another entry claims as a staff word
    ('terms = ["占用耕地补偿制度", "占补平衡"]\nstaff = ["占补"]\nkind = "equivalent"\nnote = "x"',
     'terms = ["补充耕地指标"]\nstaff = ["占补平衡"]\nnote = "x"', "equivalent"),
])
def test_a_word_claimed_by_two_entries_is_rejected(tmp_path, first, second, message):
    with pytest.raises(ValidationError, match=message):
        thesaurus.load(_toml(tmp_path, f"[[entry]]\n{first}\n[[entry]]\n{second}\n"))


@pytest.mark.parametrize("body, message", [
    ('terms = ["罚款"]\nstaff = ["罚款"]\nnote = "x"', "own terms"),
    ('terms = ["罚款"]\nstaff = ["罚多少", "罚多少"]\nnote = "x"', "duplicate"),
    ('terms = ["罚款"]\nstaff = ["罚多少"]\nnote = "x"\nunits = ["第五十三条"]', "malformed unit"),
    ('terms = ["罚款"]\nstaff = ["罚多少"]\nnote = "x"\nkind = "maybe"', "kind"),
    ('terms = ["罚款"]\nstaff = ["罚多少"]\nnote = "x"\nweight = 2', "weight"),
])
def test_malformed_entries_are_rejected(tmp_path, body, message):
    with pytest.raises(ValidationError, match=message):
        thesaurus.load(_toml(tmp_path, "[[entry]]\n" + body))


def test_a_synonym_target_that_is_a_staff_word_is_rejected(tmp_path):
    path = _toml(tmp_path, """
[[entry]]
terms = ["永久基本农田"]
staff = ["基本农田"]
kind = "synonym"
note = "x"
[[entry]]
terms = ["基本农田"]
staff = ["基本田"]
kind = "synonym"
note = "x"
""")
    with pytest.raises(ValidationError, match="itself a staff word"):
        thesaurus.load(path)


def test_each_staff_word_alone_is_matched_whole():
    for word in ALL_STAFF:
        found = thesaurus.expansions(word)
        assert [(f.staff, f.start, f.end) for f in found] == [(word, 0, len(word))], word


def test_longest_match_wins_and_the_texts_own_wording_is_left_alone():
    assert [f.staff for f in thesaurus.expansions("基本农田以外的耕地罚多少")] == ["基本农田以外的耕地", "罚多少"]
    assert thesaurus.expansions("占用永久基本农田以外的耕地") == []
    one = thesaurus.expansions("在基本农田里挖鱼塘")
    assert [(f.staff, f.terms[0], f.kind) for f in one] == [("基本农田", "永久基本农田", "synonym"), ("挖鱼塘", "挖塘养鱼", "synonym")]
    assert one[0].note and one[0].units


def test_matches_never_overlap_and_come_in_text_order():
    rng = random.Random(20261123)
    pool = ALL_STAFF + ALL_TERMS + ["的", "在", "，", "2000平方米", "里"]
    for _ in range(500):
        text = "".join(rng.choice(pool) for _ in range(rng.randint(2, 6)))
        found = thesaurus.expansions(text)
        for f in found:
            assert text[f.start : f.end] == f.staff
        assert all(a.end <= b.start for a, b in itertools.pairwise(found)), text


def test_canonical_substitutes_synonyms_only_and_is_idempotent():
    assert thesaurus.canonical("一般耕地上挖鱼塘") == "永久基本农田以外的耕地上挖塘养鱼"
    assert thesaurus.canonical("戈壁滩上建厂") == "戈壁滩上建厂"  # related: broader, never substituted
    rng = random.Random(7)
    pool = ALL_STAFF + ALL_TERMS + ["的", "了", "有", "占用", "里"]
    texts = ALL_STAFF + ["".join(rng.choice(pool) for _ in range(rng.randint(2, 5))) for _ in range(3000)]
    for text in texts:
        once = thesaurus.canonical(text)
        assert thesaurus.canonical(once) == once, (text, once)


def test_the_former_synonym_list_still_expands_the_query():
    staff = set(ALL_STAFF)
    assert [w for w in FORMER_SYNONYMS if w not in staff] == []
    expanded = tokenize.expand_query("未经批准占用一般耕地罚多少")
    assert "永久基本农田以外的耕地" in expanded and "罚款" in expanded
    assert tokenize.expand_query("占用永久基本农田以外的耕地") == "占用永久基本农田以外的耕地"


def test_content_tokens_look_for_the_texts_wording():
    tokens = tokenize.content_tokens("罚多少")
    assert "罚款" in tokens and "罚多少" not in tokens


def test_staff_words_are_the_words_of_every_entry():
    assert thesaurus.staff_words() == ALL_STAFF


def test_a_term_of_an_equivalent_entry_expands_to_the_other_texts_word():
    # the plans say 占补平衡, the statute 占用耕地补偿制度: either finds both
    found = thesaurus.expansions("占补平衡有什么要求")
    assert found and "占用耕地补偿制度" in found[0].terms
    related_term = thesaurus.expansions("挖塘养鱼怎么处罚")  # a related entry's own term is no staff word
    assert all(e.staff != "挖塘养鱼" for e in related_term)



def test_a_term_of_the_texts_as_long_as_an_overlapping_staff_word_is_what_was_written() -> None:
    # "征地补偿登记" is 征地 + 补偿登记 (registration), not the staff word 征地补偿 (the fees) + 登记
    found = {e.staff: e.terms for e in thesaurus.expansions("征地补偿登记超过公告载明的期限")}
    assert "征地补偿" not in found and "征地" in found
    assert "征地补偿款" in {e.staff for e in thesaurus.expansions("征地补偿款多久发")}
