"""The boundary engine: inclusive and exclusive words, conflicting words, overlaps and gaps."""
from __future__ import annotations

from fractions import Fraction

import pytest

from qa.rules.thresholds import Bound, Tier, classify


def tier(key, lower=None, upper=None):
    lo = Bound(Fraction(lower[0]), tuple(lower[1])) if lower else None
    hi = Bound(Fraction(upper[0]), tuple(upper[1])) if upper else None
    return Tier(key, key, lo, hi, key, "u")


@pytest.mark.parametrize(
    ("words", "inclusions"),
    [(("以上",), (True,)), (("以下",), (True,)), (("超过",), (False,)), (("不足",), (False,)), (("超过", "以上"), (True, False))],
)
def test_boundary_words(words, inclusions):
    assert Bound(Fraction(1), words).inclusions == inclusions


# 第十九条 as printed: '30公顷以下' / '超过30公顷不足130公顷' / '超过130公顷以上'
A19 = [tier("x1", upper=(30, ["以下"])), tier("x2", (30, ["超过"]), (130, ["不足"])), tier("x3", lower=(130, ["超过", "以上"]))]


@pytest.mark.parametrize(("x", "key"), [(0, "x1"), (30, "x1"), (Fraction(3001, 100), "x2"), (129, "x2"), (Fraction(13001, 100), "x3"), (1000, "x3")])
def test_definite_tiers(x, key):
    result = classify(Fraction(x), A19)
    assert result.definite is not None and result.definite.key == key
    assert not result.conflicting_wording


def test_conflicting_words_give_two_readings_one_of_them_a_gap():
    result = classify(Fraction(130), A19)
    assert result.definite is None
    assert result.conflicting_wording and result.gap
    assert [[t.key for t in r.tiers] for r in result.readings] == [["x3"], []]
    assert "以上" in result.readings[0].label and "超过" in result.readings[1].label


def test_overlapping_inclusive_bounds_are_reported_as_overlap():
    tiers = [tier("x1", upper=(Fraction(4, 100), ["以下"])), tier("x2", (Fraction(4, 100), ["以上"]), (Fraction(7, 100), ["以下"]))]
    result = classify(Fraction(4, 100), tiers)
    assert result.definite is None and result.overlap and not result.gap
    assert [t.key for t in result.candidates] == ["x1", "x2"]


def test_a_value_no_tier_covers_is_a_gap():
    tiers = [tier("x1", upper=(10, ["不足"])), tier("x2", lower=(10, ["超过"]))]
    result = classify(Fraction(10), tiers)
    assert result.gap and result.candidates == []
