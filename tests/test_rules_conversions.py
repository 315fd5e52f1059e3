"""Area conversions between 平方米, 亩, 公顷 and 平方公里 (1亩 = 10000/15平方米), exact."""
from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from qa.rules import run_rules

RULE = "unit_conversion.area"


def conv(question):
    comps = [c for c in run_rules(question, None) if c.rule == RULE]
    assert len(comps) == 1, [c.rule for c in run_rules(question, None)]
    return comps[0]


@pytest.mark.parametrize(
    ("question", "value", "text"),
    [
        ("3亩等于多少平方米", "2000", "= 2000平方米"),
        ("0.5公顷折合多少亩", "7.5", "= 7.5亩"),
        ("1.2万平方米换算成亩", "18", "= 18亩"),
        ("两千平米是几亩", "3", "= 3亩"),
        ("五十公顷是多少平方公里", "0.5", "= 0.5平方公里"),
        ("383.73公顷等于多少亩", "5755.95", "= 5755.95亩"),
        ("1平方公里折合多少亩", "1500", "= 1500亩"),
        ("651.35万亩折合多少公顷", "434233.333333", "约434233.3333公顷"),
        ("100平方米合多少亩", "0.15", "= 0.15亩"),
        ("1亩折合多少公顷", "0.066667", "约0.0667公顷"),
    ],
)
def test_conversions(question, value, text):
    c = conv(question)
    assert c.value == Decimal(value)
    assert text in c.result


def test_inexact_results_give_the_exact_fraction():
    c = conv("1亩折合多少平方米")
    assert "约666.6667平方米" in c.result
    assert any("2000/3平方米" in w for w in c.warnings)
    assert Fraction(c.details["平方米"]) == Fraction(2000, 3)


def test_without_a_target_every_unit_is_given():
    c = conv("3亩换算一下")
    assert c.value is None
    assert all(u in c.result for u in ("2000平方米", "0.2公顷", "0.002平方公里"))


def test_large_values_also_show_wan():
    assert conv("20平方公里是多少亩").result == "20平方公里 = 30000亩（3万亩）"
    assert conv("20平方公里是多少公顷").result == "20平方公里 = 2000公顷"


@pytest.mark.parametrize(
    "question",
    ["非法占用一般耕地3亩，罚款是多少", "人均耕地0.05公顷，宅基地不得超过多少平方米", "一次性开发50公顷由谁批准", "巴楚县的面积"],
)
def test_no_conversion_unless_asked(question):
    assert not [c for c in run_rules(question, None) if c.rule == RULE]
