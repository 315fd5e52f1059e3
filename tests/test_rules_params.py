"""Rule parameters against the ingested texts: every quote verbatim in its unit; a changed text fails loudly."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ingest.catalog import DEFAULT_CORPUS_DIR
from ingest.pipeline import build_corpus
from qa.rules.params import (
    PARAMS_FILE,
    QuoteCheckError,
    assert_corpus,
    assert_quotes,
    check_corpus,
    check_quotes,
    default_params,
    load_params,
    unit_texts_of,
)


def test_every_quote_is_found_verbatim_in_the_real_corpus(corpus):
    assert check_corpus(corpus) == []
    assert_corpus(corpus)  # does not raise


def test_every_param_names_an_existing_finest_unit(corpus):
    for param in default_params().params:
        unit = corpus.unit(param.unit_id)
        assert unit.doc_id == param.doc_id
        # the finest unit: no child of it also contains the whole quote
        children = [u for u in corpus.units if u.parent == unit.id and param.quote in u.text]
        assert not children, f"{param.id}: quote also in finer unit {children[0].id}"


def test_path_labels_match_the_units_short_labels(corpus):
    for param in default_params().params:
        unit = corpus.unit(param.unit_id)
        if param.doc_id == "xj-measures":
            # '第十二条' for a one-paragraph article whose only 款 is k1
            assert unit.short_label == param.path or unit.short_label == f"{param.path}第一款", param.id
        else:
            assert unit.short_label.startswith(param.path), param.id


def _copy_corpus(tmp_path: Path) -> Path:
    target = tmp_path / "corpus"
    shutil.copytree(DEFAULT_CORPUS_DIR, target)
    return target


def test_quote_check_fails_when_the_statute_text_changes(tmp_path):
    corpus_dir = _copy_corpus(tmp_path)
    statute = corpus_dir / "xj-measures.txt"
    text = statute.read_text(encoding="utf-8")
    assert "处每平方米五百元以上一千元以下罚款" in text
    statute.write_text(text.replace("处每平方米五百元以上一千元以下罚款", "处每平方米六百元以上一千元以下罚款"), encoding="utf-8")
    changed = build_corpus(corpus_dir, build_dir=tmp_path / "build", use_cache=False)
    problems = check_corpus(changed)
    assert len(problems) == 2  # rate_min and rate_max of 第五十三条第一款第（一）项 share the quote
    assert all("xj.a53.x1.rate_" in p and "quote not found" in p for p in problems)
    with pytest.raises(QuoteCheckError) as raised:
        assert_corpus(changed)
    assert raised.value.problems == problems
    assert "xj.a53.x1.rate_min" in str(raised.value) and "xj.a53.x1.rate_max" in str(raised.value)


def test_quote_check_fails_when_a_plan_text_changes(tmp_path):
    corpus_dir = _copy_corpus(tmp_path)
    opinions = corpus_dir / "nx-consolidation.txt"
    text = opinions.read_text(encoding="utf-8")
    opinions.write_text(text.replace("划定面积的5%", "划定面积的8%"), encoding="utf-8")
    problems = check_corpus(build_corpus(corpus_dir, build_dir=tmp_path / "build", use_cache=False))
    assert len(problems) == 1 and problems[0].startswith("nx.i11.adjust_cap")


def test_quote_check_reports_a_removed_unit(tmp_path):
    corpus_dir = _copy_corpus(tmp_path)
    statute = corpus_dir / "xj-measures.txt"
    lines = statute.read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [line for line in lines if not line.startswith("（六）人均耕地0.34公顷以上")]
    assert len(kept) == len(lines) - 1
    statute.write_text("".join(kept), encoding="utf-8")
    problems = check_corpus(build_corpus(corpus_dir, build_dir=tmp_path / "build", use_cache=False))
    assert problems and all("unknown unit id xj-measures:a39.k1.x6" in p for p in problems)
    assert {p.split(" ")[0] for p in problems} == {"xj.a39.x6.lower", "xj.a39.x6.cap"}


def _params_with(tmp_path: Path, old: str, new: str):
    text = PARAMS_FILE.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "params.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return load_params(path)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('quote = "公示时间不少于十日"', 'quote = "公示期不少于十日"', "quote not found"),
        ('unit_id = "xj-measures:a56.k1"', 'unit_id = "xj-measures:a56.k2"', "unknown unit id"),
        ('quote = "地方、兵团、部队、中央驻疆单位之间发生的争议，由争议双方所在地上一级人民政府处理"', 'quote = "人民政府处理"', "occurs 2 times"),
        ("value = 90\n", "value = 60\n", "value 60 is not printed in its quote"),
        ('qualifier = ["不足"]', 'qualifier = ["以下"]', "boundary word 「以下」 is not in its quote"),
    ],
)
def test_each_kind_of_parameter_problem_is_reported(tmp_path, corpus, old, new, expected):
    params = _params_with(tmp_path, old, new)
    problems = check_quotes(unit_texts_of(corpus.units), params)
    assert len(problems) == 1 and expected in problems[0], problems
    with pytest.raises(QuoteCheckError):
        assert_quotes(unit_texts_of(corpus.units), params)


def test_loader_rejects_a_unit_outside_its_document(tmp_path):
    with pytest.raises(ValueError, match="not in document"):
        _params_with(tmp_path, 'unit_id = "nx-consolidation:h4.i11"', 'unit_id = "xj-measures:a53.k1"')


def test_loader_rejects_duplicate_ids(tmp_path):
    with pytest.raises(ValueError, match="duplicate parameter id"):
        _params_with(tmp_path, 'id = "xj.a53.x1.rate_max"', 'id = "xj.a53.x1.rate_min"')


@pytest.mark.parametrize(
    ("param_id", "value"),
    [
        ("xj.a53.x1.rate_min", 500), ("xj.a53.x1.rate_max", 1000), ("xj.a53.x2.rate_min", 300), ("xj.a53.x2.rate_max", 500),
        ("xj.a53.x3.rate_min", 100), ("xj.a53.x3.rate_max", 300), ("xj.a54.x1.multiple_min", 7), ("xj.a54.x1.multiple_max", 10),
        ("xj.a54.x2.multiple_min", 5), ("xj.a54.x2.multiple_max", 7), ("xj.a19.x1.upper", 30), ("xj.a19.x3.lower", 130),
        ("xj.a39.x1.upper", "0.04"), ("xj.a39.x6.cap", 800), ("xj.a8.k4.lawsuit_days", 30), ("xj.a26.k3.notice_workdays", 10),
        ("xj.a30.k1.payment_months", 3), ("xj.a40.k1.publicity_days", 10), ("xj.a56.k1.transfer_days", 90),
        ("xj.a20.x1.years", 2), ("nx.i11.adjust_cap", 5),
    ],
)
def test_parameter_values(param_id, value):
    from fractions import Fraction

    assert default_params().num(param_id) == Fraction(value)


def test_unit_definitions_are_exact():
    from fractions import Fraction

    params = default_params()
    assert params.definition("unit.mu_sqm") == Fraction(2000, 3)
    assert params.definition("unit.hectare_sqm") == 10000
    assert params.definition("unit.km2_sqm") == 1000000
