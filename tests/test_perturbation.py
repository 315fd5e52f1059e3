"""Perturbation invariance (CheckList): variants of our own questions keep the first citation and the computed results.

The engine part runs a fixed subset (eval.perturb.subset: at most TEST_SUBSET_SIZE answerable
questions of eval/questions.jsonl drawn with TEST_SUBSET_SEED, half with a computed result),
each asked once unperturbed and once per variant kind, so it stays within about two minutes on
two cores. `landqa eval --perturb --split all` runs every answerable question.
"""
from __future__ import annotations

import json
import unicodedata

import pytest

from eval import perturb
from eval.gate import DEFAULT_THRESHOLDS_PATH, load_thresholds
from eval.questions import Question, load_questions


def _q(text: str, qid: str = "q999", computed: str | None = None) -> Question:
    return Question(id=qid, question=text, type="computation" if computed else "lookup", doc_ids=["xj-measures"],
                    gold=["xj-measures:a53"], facts=["罚款"], computed=computed, split="test")


def _variants(text: str, thesaurus=None) -> dict[str, perturb.Variant]:
    return {v.kind: v for v in perturb.make_variants(_q(text), thesaurus)}


def _text(variant: perturb.Variant) -> str:
    assert variant.text is not None, f"{variant.kind} skipped: {variant.skip}"
    return variant.text


# --------------------------------------------------------------------------------------
# The variants themselves (no engine)
# --------------------------------------------------------------------------------------


def test_traditional_characters_come_from_opencc():
    v = _variants("未经批准占用一般耕地2000平方米罚多少？")["traditional"]
    assert v.text == "未經批准佔用一般耕地2000平方米罰多少？"


def test_fullwidth_digits_change_only_digits_and_nfkc_restores_them():
    text = "占了1.5亩永久基本农田罚多少"
    v = _variants(text)["fullwidth_digits"]
    assert v.text == "占了１.５亩永久基本农田罚多少"
    assert unicodedata.normalize("NFKC", v.text) == text
    assert _variants("临时用地谁审批")["fullwidth_digits"].skip == "no digits"


def test_filler_wraps_the_question_and_depends_on_the_id_only():
    text = "临时用地谁审批"
    a = perturb.make_variants(_q(text, "q100"), None)[2]
    b = perturb.make_variants(_q("宅基地多大", "q100"), None)[2]
    assert a.kind == "filler" and text in _text(a)
    assert _text(a).startswith(perturb.FILLER_BEFORE) and _text(a).endswith(perturb.FILLER_AFTER)
    assert _text(a).replace(text, "X") == _text(b).replace("宅基地多大", "X"), "same id, same filler"
    assert "审批，" in _text(a), "a question without an end mark is separated from the filler"


def test_spaces_never_split_a_number_and_removing_them_gives_the_question_back():
    text = "未经批准占用一般耕地2000平方米罚多少？"
    spaced = _text(_variants(text)["spaces"])
    assert spaced.count(" ") >= 4
    assert spaced.replace(" ", "") == text
    assert "2000" in spaced and "1.5" in _text(_variants("占了1.5亩永久基本农田罚多少")["spaces"])


def test_one_typo_from_the_table_is_applied_once():
    v = _variants("宅基地申请要公示几天，宅基地多大")["typo"]
    assert v.text == "宅基第申请要公示几天，宅基地多大"
    assert _variants("谁来批")["typo"].skip == "no word of the typo table"
    for right, wrong in perturb.TYPOS:
        assert len(right) == len(wrong) and right != wrong


def test_synonym_swap_needs_the_thesaurus_and_says_why_when_absent(tmp_path):
    skip = _variants("挖塘养鱼行不行", None)["synonym"].skip
    assert skip is not None and skip.startswith("no thesaurus file")
    toml = tmp_path / "thesaurus.toml"
    toml.write_text('[[entry]]\nterms = ["挖塘养鱼"]\nstaff = ["挖鱼塘", "挖池塘养鱼"]\nkind = "synonym"\n\n'
                    '[[entry]]\nterms = ["设施农业用地"]\nstaff = ["养殖场"]\nkind = "related"\n', encoding="utf-8")
    pairs = perturb.load_thesaurus_pairs(toml)
    assert pairs == [("挖塘养鱼", "挖鱼塘"), ("挖鱼塘", "挖塘养鱼"), ("挖池塘养鱼", "挖塘养鱼")], "related entries are not synonyms"
    assert _variants("村里想挖塘养鱼行不行", pairs)["synonym"].text == "村里想挖鱼塘行不行"
    assert _variants("村里想挖池塘养鱼行不行", pairs)["synonym"].text == "村里想挖塘养鱼行不行"
    assert _variants("临时用地谁审批", pairs)["synonym"].skip == "no thesaurus word in the question"
    assert perturb.load_thesaurus_pairs(tmp_path / "absent.toml") is None


def test_subset_is_fixed_answerable_and_half_computed():
    questions = load_questions()
    first, again = perturb.subset(questions), perturb.subset(questions)
    assert [q.id for q in first] == [q.id for q in again]
    assert len(first) == perturb.TEST_SUBSET_SIZE and all(q.answerable for q in first)
    assert sum(1 for q in first if q.computed) == perturb.TEST_SUBSET_SIZE // 2


def test_aggregate_counts_skips_and_ignores_questions_without_computations():
    records: list[dict[str, dict[str, dict[str, object]]]] = [
        {"variants": {"typo": {"citation_same": True, "computations_same": None, "abstention_same": True, "facts_same": True},
                      "spaces": {"skip": "too short for spaces"}}},
        {"variants": {"typo": {"citation_same": False, "computations_same": True, "abstention_same": True, "facts_same": False}}},
    ]
    m = perturb.aggregate(records)
    assert m["typo"]["citations"] == {"rate": 0.5, "k": 1, "n": 2}
    assert m["typo"]["computations"] == {"rate": 1.0, "k": 1, "n": 1}
    assert m["spaces"]["n"] == 0 and m["spaces"]["skipped"] == 1 and m["spaces"]["skip_reasons"] == ["too short for spaces"]
    assert m["all"]["n"] == 2


# Variants that change no word: script, digit width, filler around the question, spacing.
SURFACE_KINDS = ("traditional", "fullwidth_digits", "filler", "spaces")


def test_thresholds_file_records_the_perturbation_bounds_with_reasons():
    bounds = load_thresholds(DEFAULT_THRESHOLDS_PATH).perturbation
    for kind in perturb.VARIANT_KINDS:
        assert f"citations.{kind}" in bounds and f"computations.{kind}" in bounds
    for kind in SURFACE_KINDS:
        assert bounds[f"computations.{kind}"].min == 1.0, "a surface variant must never change a computed result"
    raw = json.loads(DEFAULT_THRESHOLDS_PATH.read_text(encoding="utf-8"))
    assert all(len(t["reason"]) > 20 for t in raw["perturbation"].values())


# --------------------------------------------------------------------------------------
# The engine on the fixed subset
# --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def invariance(engine):
    questions = perturb.subset(load_questions())
    records = perturb.run_perturbation(engine, questions, thesaurus=perturb.load_thesaurus_pairs())
    return perturb.aggregate(records), records


def _broken(records, kind: str, field: str) -> list[str]:
    return [f"{r['id']} {r['variants'][kind].get('text')!r}" for r in records
            if kind in r["variants"] and r["variants"][kind].get(field) is False]


def _check(invariance, kind: str, what: str) -> None:
    metrics, records = invariance
    if metrics[kind]["n"] == 0:
        pytest.skip(f"no {kind} variant: {'; '.join(metrics[kind]['skip_reasons'])}")
    bound = load_thresholds(DEFAULT_THRESHOLDS_PATH).perturbation[f"{what}.{kind}"]
    rate = metrics[kind][what]["rate"]
    field = "computations_same" if what == "computations" else "citation_same"
    assert rate is None or rate >= bound.min, (
        f"{kind}: {what} kept in {rate:.3f} < {bound.min} ({bound.reason}); changed: {_broken(records, kind, field)}"
    )


@pytest.mark.parametrize("kind", perturb.VARIANT_KINDS)
def test_variants_keep_the_computed_results(invariance, kind):
    """1.00 for the surface kinds; typo and synonym at the level reached (thresholds.json says why)."""
    _check(invariance, kind, "computations")


@pytest.mark.parametrize("kind", perturb.VARIANT_KINDS)
def test_variants_keep_the_first_citation(invariance, kind):
    _check(invariance, kind, "citations")
