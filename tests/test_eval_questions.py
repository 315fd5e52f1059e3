"""The evaluation question set: size, coverage, gold ids in the real corpus, no copied text, fixed split."""
from __future__ import annotations

import re
from collections import Counter

import pytest

from eval.questions import QUESTION_TYPES, expected_splits, load_questions
from eval.textmatch import fact_present

MIN_QUESTIONS = 250
MIN_COMPUTATION_OR_DEADLINE = 40
MIN_UNANSWERABLE = 30
COPY_WINDOW = 15  # a question must not contain this many consecutive characters of any unit text


@pytest.fixture(scope="module")
def questions():
    return load_questions()


def _unit_text(unit) -> str:
    """Unit text plus table cells rendered with their units, as an answer would quote them."""
    parts = [unit.text]
    if unit.cells:
        unit_col = unit.cells.get("单位", "")
        for header, value in unit.cells.items():
            if not value:
                continue
            m = re.search(r"[（(]([^）)]+)[）)]$", header)
            if m:
                parts.append(value + m.group(1))
            elif re.fullmatch(r"\d{4}年", header) and unit_col:
                parts.append(value + unit_col)
            else:
                parts.append(value)
    return "\n".join(parts)


def test_size_and_type_mix(questions):
    types = Counter(q.type for q in questions)
    assert len(questions) >= MIN_QUESTIONS
    assert set(types) == set(QUESTION_TYPES), f"missing types: {set(QUESTION_TYPES) - set(types)}"
    assert types["computation"] + types["deadline"] >= MIN_COMPUTATION_OR_DEADLINE
    assert types["unanswerable"] >= MIN_UNANSWERABLE


def test_ids_and_texts_unique(questions):
    assert len({q.id for q in questions}) == len(questions)
    assert len({q.question for q in questions}) == len(questions)
    normalized = Counter(re.sub(r"[\s，。？?！!、]", "", q.question) for q in questions)
    assert not [t for t, n in normalized.items() if n > 1]


def test_gold_ids_exist_in_corpus(questions, corpus):
    missing = [(q.id, g) for q in questions for g in q.gold if not corpus.has_unit(g)]
    assert not missing, missing


def test_doc_ids_are_catalog_documents(questions, corpus):
    known = {d.id for d in corpus.catalog.documents}
    unknown = [(q.id, d) for q in questions for d in q.doc_ids if d not in known]
    assert not unknown, unknown


def test_every_document_covered(questions, corpus):
    covered = Counter(g.split(":", 1)[0] for q in questions for g in q.gold)
    for doc in corpus.catalog.documents:
        assert covered[doc.id] >= 10, f"{doc.id} has only {covered[doc.id]} gold references"


def test_gold_lists_hold_no_ancestor_pairs(questions, corpus):
    """A gold article and its own 款 in one list would be counted twice by the metrics."""
    bad = []
    for q in questions:
        for g in q.gold:
            parent = corpus.unit(g).parent
            while parent:
                if parent in q.gold:
                    bad.append((q.id, g, parent))
                parent = corpus.unit(parent).parent
    assert not bad, bad


def test_questions_never_copy_the_text(questions, corpus):
    texts = [u.text for u in corpus.units]
    copied = []
    for q in questions:
        s = q.question
        for i in range(len(s) - COPY_WINDOW + 1):
            window = s[i : i + COPY_WINDOW]
            if any(window in t for t in texts):
                copied.append((q.id, window))
                break
    assert not copied, copied


def test_facts_of_retrieval_questions_are_in_the_gold_text(questions, corpus):
    """Facts of lookup/authority/multi-unit/cross-document questions are checkable against the cited units."""
    missing = []
    for q in questions:
        if q.type not in ("lookup", "authority", "multi-unit", "cross-document"):
            continue
        text = "\n".join(_unit_text(corpus.unit(g)) for g in q.gold)
        missing += [(q.id, f) for f in q.facts if not fact_present(f, text)]
    assert not missing, missing


def test_computations_state_their_result(questions):
    without = [q.id for q in questions if q.type == "computation" and not q.computed]
    assert not without
    for q in questions:
        if q.computed and re.fullmatch(r"\d{4}-\d{2}-\d{2}", q.computed):
            assert q.type == "deadline", q.id


def test_split_is_fixed_and_stratified(questions):
    expected = expected_splits(questions)
    moved = [q.id for q in questions if q.split != expected[q.id]]
    assert not moved, f"split differs from the fixed rule for {moved[:10]}"
    for qtype in QUESTION_TYPES:
        splits = Counter(q.split for q in questions if q.type == qtype)
        assert splits["tune"] > 0 and splits["test"] > 0, (qtype, splits)
    share = sum(q.split == "tune" for q in questions) / len(questions)
    assert 0.3 <= share <= 0.5


def test_a_follow_up_question_carries_its_conversation() -> None:
    from eval.questions import Question

    q = Question.model_validate({
        "id": "q9999", "question": "那基本农田呢？", "type": "computation", "doc_ids": ["xj-measures"], "gold": ["xj-measures:a53"],
        "facts": ["50万元"], "split": "tune",
        "history": [{"role": "user", "content": "没批占了一般耕地1000平方米罚多少"}, {"role": "assistant", "content": "30万元至50万元"}],
    })
    assert q.history_dicts() == [
        {"role": "user", "content": "没批占了一般耕地1000平方米罚多少"}, {"role": "assistant", "content": "30万元至50万元"},
    ]
