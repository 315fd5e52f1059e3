"""run_rules: which hooks answer, in what order, with citations that exist and JSON the API can carry."""
from __future__ import annotations

import json
from datetime import date

import pytest

from qa.rules import Computation, all_hooks, run_rules

QUESTIONS = [
    "非法占用一般耕地3亩，罚款多少？",
    "破坏永久基本农田，耕地开垦费30万元，罚款多少",
    "一次性开发荒地130公顷由谁批准",
    "人均耕地0.04公顷，宅基地面积最多多少",
    "2025年9月30日重新公告征地补偿安置方案，公告期最早哪天结束",
    "2026-12-25重新公告征地补偿安置方案，公告期到哪天",
    "临时用地谁审批",
    "巴楚县2025年国有建设用地供应总量是多少亩",
    "喀什十四五项目清单中巴楚县项目总金额多少",
    "喀什十四五规划耕地保有量指标",
    "全域土地综合整治，乡镇永久基本农田划定面积5000亩，最多能调整多少",
    "核对巴楚供地计划的数据是否一致",
    "3亩等于多少平方米",
    "土地权属争议怎么处理",
]


@pytest.mark.parametrize("question", QUESTIONS)
def test_every_computation_cites_existing_units_and_serialises(corpus, question):
    comps = run_rules(question, corpus, today=date(2026, 5, 1))
    assert comps, question
    for c in comps:
        assert c.rule and c.title and c.result
        for uid in c.citation_ids:
            assert corpus.has_unit(uid), (c.rule, uid)
        data = json.loads(json.dumps(c.model_dump(mode="json"), ensure_ascii=False))
        assert data["value"] is None or isinstance(data["value"], (int, float))
        assert set(data) >= {"rule", "title", "result", "value", "formula", "inputs", "citation_ids", "warnings", "missing"}


@pytest.mark.parametrize(
    "question",
    ["第五十三条的内容是什么", "什么是国土空间规划", "喀什地区的生态保护格局是什么", "宁夏全域土地综合整治的总体要求", "你好"],
)
def test_questions_without_a_computation_get_none(corpus, question):
    assert run_rules(question, corpus) == []


@pytest.mark.parametrize(
    ("question", "first"),
    [
        ("违法占用永久基本农田建窑，耕地开垦费30万元，罚款多少", "xj.a54.destruction_fine"),
        ("2025年12月20日接到权属争议处理决定通知，不服的话起诉期限到哪天", "xj.deadline.a8"),
        ("宅基地申请2025年3月1日开始公示，公示到哪天", "xj.deadline.a40"),
        ("核对巴楚供地计划的数据是否一致", "source_figures.check"),
    ],
)
def test_most_specific_first(corpus, question, first):
    assert run_rules(question, corpus)[0].rule == first


def test_complete_answers_come_before_questions_back(corpus):
    comps = run_rules("宅基地申请2025年3月1日开始公示，公示到哪天，由谁批准", corpus)
    assert [c.rule for c in comps][:2] == ["xj.deadline.a40", "xj.a40.homestead_authority"]


def test_without_a_corpus_statute_hooks_still_work():
    (c,) = run_rules("非法占用一般耕地3亩，罚款多少？", None)
    assert c.result == "罚款60万元至100万元（600000元至1000000元）"


def test_hook_names_are_unique():
    names = [h.name for h in all_hooks()]
    assert len(names) == len(set(names))


def test_value_serialises_as_a_number():
    c = Computation(rule="r", title="t", result="x", value="2000")
    assert c.model_dump(mode="json")["value"] == 2000
    assert Computation(rule="r", title="t", result="x", value="0.5").model_dump(mode="json")["value"] == 0.5


@pytest.mark.parametrize(
    ("question", "region"),
    [
        ("宁夏银川非法占用基本农田1000平方米罚款多少", "宁夏"),
        ("广东省非法占用耕地每平方米罚多少钱", "广东"),
        ("甘肃省农村宅基地面积标准是多少", "甘肃"),
        ("西藏农村宅基地怎么申请", "西藏"),
        ("新疆喀什全域土地综合整治，乡镇永久基本农田划定面积5000亩，调整上限是多少", "新疆"),
    ],
)
def test_another_regions_rule_is_flagged_and_not_presented_as_the_answer(corpus, question, region):
    comps = run_rules(question, corpus)
    assert comps
    for c in comps:
        assert c.other_regions == [region]
        assert "region" in c.missing and c.result.startswith(f"（本条不适用于{region}")
        assert any(f"不适用于{region}" in w for w in c.warnings)


def test_naming_the_governed_region_too_keeps_the_answer(corpus):
    (c,) = [c for c in run_rules("新疆和北京非法占用基本农田1000平方米罚款多少", corpus) if c.rule == "xj.a53.occupation_fine"]
    assert c.other_regions == ["北京"] and "region" not in c.missing
