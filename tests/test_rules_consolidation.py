"""宁夏实施意见（征求意见稿）四、（十一）: adjustment of 永久基本农田 capped at 5% of the townships' designated area."""
from __future__ import annotations

from decimal import Decimal

import pytest

from qa.rules import run_rules

RULE = "nx.i11.adjustment_cap"


def cap(question, corpus):
    comps = [c for c in run_rules(question, corpus) if c.rule == RULE]
    assert len(comps) == 1, [c.rule for c in run_rules(question, corpus)]
    return comps[0]


@pytest.mark.parametrize(
    ("designated", "value", "text"),
    [("5000亩", "250", "250亩"), ("2万亩", "1000", "1000亩"), ("三千亩", "150", "150亩"), ("800公顷", "40", "40公顷"), ("1平方公里", "0.05", "0.05平方公里")],
)
def test_cap_is_five_percent_in_the_units_given(corpus, designated, value, text):
    c = cap(f"全域土地综合整治，乡镇永久基本农田划定面积{designated}，永久基本农田最多能调整多少", corpus)
    assert c.value == Decimal(value) and f"不得超过{text}" in c.result
    assert c.citation_ids == ["nx-consolidation:h4.i11"]
    assert any("征求意见稿" in w for w in c.warnings) and any("原则上" in w for w in c.warnings)


@pytest.mark.parametrize(
    ("planned", "within", "words"),
    [("200亩", True, "未超过上限"), ("250亩", True, "未超过上限"), ("251亩", False, "超过上限1亩"), ("1200亩", False, "超过上限950亩")],
)
def test_a_planned_adjustment_is_compared_with_the_cap_boundary_included(corpus, planned, within, words):
    c = cap(f"全域土地综合整治，所涉乡镇永久基本农田划定面积5000亩，计划调整{planned}，是否超过上限", corpus)
    assert c.details["within_cap"] is within and words in c.result


def test_several_townships_show_both_readings(corpus):
    c = cap("两个乡镇永久基本农田划定面积分别为3000亩和5000亩，整治中永久基本农田调整上限多少", corpus)
    assert c.value == Decimal(400)
    assert any("按合计：上限400亩" in w and "150亩" in w and "250亩" in w for w in c.warnings)


def test_missing_designated_area_is_asked(corpus):
    c = cap("全域土地综合整治中永久基本农田调整规模上限是多少", corpus)
    assert c.missing == ["pbf_designated_area"] and "5%" in c.result


@pytest.mark.parametrize(("place", "warned"), [("新疆喀什", True), ("北京", True), ("宁夏", False), ("银川", False)])
def test_regions_other_than_ningxia_are_warned(corpus, place, warned):
    c = cap(f"{place}搞全域土地综合整治，乡镇永久基本农田划定面积5000亩，调整上限是多少", corpus)
    assert any("宁夏回族自治区的规定" in w for w in c.warnings) is warned
