"""第三十九条: homestead cap per household by per-capita cultivated land, every row and every (overlapping) boundary."""
from __future__ import annotations

import pytest

from qa.rules import run_rules

RULE = "xj.a39.homestead_cap"


def cap(question, corpus):
    comps = [c for c in run_rules(question, corpus) if c.rule == RULE]
    assert len(comps) == 1, [c.rule for c in run_rules(question, corpus)]
    return comps[0]


@pytest.mark.parametrize(
    ("per_capita", "sqm", "item"),
    [
        ("0.01公顷", 200, "x1"), ("0.039公顷", 200, "x1"), ("0.5亩", 200, "x1"),
        ("0.041公顷", 300, "x2"), ("0.05公顷", 300, "x2"), ("0.069公顷", 300, "x2"), ("1亩", 300, "x2"),
        ("0.08公顷", 400, "x3"), ("0.099公顷", 400, "x3"), ("1.2亩", 400, "x3"),
        ("0.12公顷", 500, "x4"), ("2亩", 500, "x4"),
        ("0.2公顷", 600, "x5"), ("0.339公顷", 600, "x5"), ("3亩", 600, "x5"),
        ("0.35公顷", 800, "x6"), ("1公顷", 800, "x6"), ("6亩", 800, "x6"), ("500平方米", 300, "x2"),
    ],
)
def test_every_row(corpus, per_capita, sqm, item):
    c = cap(f"人均耕地{per_capita}，宅基地面积最多多少？", corpus)
    assert int(c.value) == sqm and c.details == {"cap_sqm": str(sqm), "tier": item}
    assert c.citation_ids == [f"xj-measures:a39.k1.{item}", "xj-measures:a39.k2"]
    assert c.missing == []


@pytest.mark.parametrize(
    ("per_capita", "caps", "items"),
    [
        ("0.04公顷", ["200", "300"], ("x1", "x2")), ("0.6亩", ["200", "300"], ("x1", "x2")), ("400平方米", ["200", "300"], ("x1", "x2")),
        ("0.07公顷", ["300", "400"], ("x2", "x3")), ("1.05亩", ["300", "400"], ("x2", "x3")),
        ("0.1公顷", ["400", "500"], ("x3", "x4")), ("1.5亩", ["400", "500"], ("x3", "x4")),
        ("0.14公顷", ["500", "600"], ("x4", "x5")), ("2.1亩", ["500", "600"], ("x4", "x5")),
        ("0.34公顷", ["600", "800"], ("x5", "x6")), ("5.1亩", ["600", "800"], ("x5", "x6")),
    ],
)
def test_every_boundary_is_an_overlap_with_both_readings(corpus, per_capita, caps, items):
    c = cap(f"人均耕地{per_capita}的村民宅基地标准是多少", corpus)
    assert c.value is None
    assert c.details == {"candidate_caps_sqm": caps}
    assert c.citation_ids == [f"xj-measures:a39.k1.{items[0]}", f"xj-measures:a39.k1.{items[1]}", "xj-measures:a39.k2"]
    assert all(f"不得超过{x}平方米" in c.result for x in caps)
    assert any("两项重叠" in w for w in c.warnings)


def test_missing_per_capita_land_asks_and_shows_the_table(corpus):
    c = cap("我家宅基地一户最多能批多大", corpus)
    assert c.missing == ["per_capita_cultivated_land"]
    assert len(c.citation_ids) == 6
    for sqm in (200, 300, 400, 500, 600, 800):
        assert f"每户不得超过{sqm}平方米" in c.result


def test_a_question_about_the_standard_gets_the_table(corpus):
    c = cap("宅基地面积标准是多少", corpus)
    assert c.missing == [] and c.result.startswith("按人均耕地分档")


def test_who_sets_local_standards(corpus):
    c = cap("各乡镇、村的具体宅基地标准谁可以定", corpus)
    assert c.details == {"authority": "县（市）人民政府"} and c.citation_ids == ["xj-measures:a39.k2"]


def test_two_per_capita_figures_are_compared(corpus):
    c = cap("人均耕地从0.05公顷变成0.08公顷，每户宅基地上限能多出多少", corpus)
    assert int(c.value) == 100 and c.details == {"caps_sqm": ["300", "400"]}


def test_remaining_area_under_the_cap(corpus):
    c = cap("人均耕地0.05公顷的村，一户已经批了250平米宅基地，按标准还差多少到顶", corpus)
    assert int(c.value) == 300 and c.details["remaining_sqm"] == "50"


@pytest.mark.parametrize("question", ["占用永久基本农田150平方米建房罚多少", "浙江宅基地超占面积罚款标准", "村民申请宅基地由谁批准"])
def test_not_a_cap_question(corpus, question):
    assert not [c for c in run_rules(question, corpus) if c.rule == RULE]


def test_the_county_basis_is_always_stated(corpus):
    c = cap("人均耕地0.05公顷，宅基地不得超过多少平方米", corpus)
    assert any("人均耕地以县为单位" in w for w in c.warnings)


def test_a_question_about_the_cap_is_not_a_unit_conversion(corpus):
    rules = [c.rule for c in run_rules("人均耕地0.05公顷，宅基地不得超过多少平方米", corpus)]
    assert rules == [RULE]


def test_other_region_is_warned(corpus):
    c = cap("宁夏人均耕地0.05公顷，宅基地面积上限多少", corpus)
    assert any("不适用于宁夏" in w for w in c.warnings)


@pytest.mark.parametrize(
    ("question", "cap"),
    [
        ("人均耕地不到0.04公顷的村，一户宅基地最多多大", 200),  # strictly below the boundary: the lower item
        ("人均耕地超过0.1公顷的村，一户宅基地最多多大", 500),  # strictly above it: the higher item
    ],
)
def test_a_figure_said_to_be_below_or_above_a_boundary_falls_on_that_side(corpus, question, cap):
    [c] = [c for c in run_rules(question, corpus) if c.rule == "xj.a39.homestead_cap"]
    assert c.value == cap and c.understood[0].words.startswith(("不到", "超过"))


def test_a_figure_on_a_boundary_without_a_side_shows_both_items(corpus):
    [c] = [c for c in run_rules("人均耕地0.1公顷的村，一户宅基地最多多大", corpus) if c.rule == "xj.a39.homestead_cap"]
    assert c.value is None and len(c.readings) == 2


@pytest.mark.parametrize(
    ("question", "result_end", "remaining"),
    [
        # an area applied for beside the per-capita land is set against the cap, in whatever words the question asks it
        ("我们村人均耕地0.08公顷，老李家报了450平方米的宅基地申请，批得下来吗", "；申请450平方米，超出上限50平方米", "-50"),
        ("人均耕地1.2亩，张家宅基地申请300平方米，这个面积行不行", "；申请300平方米，未超过上限，距上限还差100平方米", "100"),
        # a homestead already built, said in 亩
        ("全县人均耕地0.02公顷，他家宅基地占了半亩", "；已用约333.33平方米，超出上限约133.33平方米", "-400/3"),
    ],
)
def test_a_stated_homestead_area_is_set_against_the_cap(corpus, question, result_end, remaining):
    c = cap(question, corpus)
    assert c.result.endswith(result_end)
    assert c.details["remaining_sqm"] == remaining
