"""Fact matching used by the evaluation: numerals, units, ranges and dates compare by meaning."""
from __future__ import annotations

import pytest

from eval.textmatch import fact_present, result_matches


@pytest.mark.parametrize(
    ("fact", "answer"),
    [
        ("60万元", "罚款600000元至1000000元"),
        ("100万元", "处60-100万元罚款"),
        ("60万元", "处60万-100万元罚款"),
        ("10日", "公示时间不少于十日"),
        ("10日", "公示10天"),
        ("3个月", "三个月内足额支付"),
        ("州、市（地）人民政府", "由州、市(地)人民政府(行政公署)批准"),
        ("2025-10-16", "最早2025年10月16日期满"),
        ("12:00", "中午12点前"),
        ("120.3公顷", "合计120.30公顷"),
        ("33.33万元", "200000元至333333.33元"),
        ("2-5处", "2～5处"),
        ("5%", "百分之五"),
    ],
)
def test_fact_present(fact, answer):
    assert fact_present(fact, answer)


@pytest.mark.parametrize(
    ("fact", "answer"),
    [
        ("60万元", "605000元"),
        ("300平方米", "200平方米"),
        ("30日", "2025年6月30日"),
        ("1460467.05亩", "约146.05万亩"),  # less precise than expected
        ("自治区人民政府", "县（市）人民政府"),
    ],
)
def test_fact_absent(fact, answer):
    assert not fact_present(fact, answer)


@pytest.mark.parametrize(
    ("expected", "text", "ok"),
    [
        ("60万元至100万元", "罚款60万元到100万元", True),
        ("60万元至100万元", "600000元-1000000元", True),
        ("60万元至100万元", "60万元", False),
        ("2025-10-16", "2025年10月16日", True),
        ("2025-10-16", "2025年10月15日", False),
        ("州、市（地）人民政府（行政公署）", "州、市（地）人民政府（行政公署）批准", True),
        ("300平方米", "300㎡", True),
    ],
)
def test_result_matches(expected, text, ok):
    assert result_matches(expected, text) is ok


@pytest.mark.parametrize(
    ("fact", "answer", "ok"),
    [
        ("300个", "1300个", False),
        ("5%", "0.5%", False),
        ("5%", "占5%。", True),
        ("2021", "2021—2025年", True),
        ("55782.15万元", "总金额（万元）：55782.15；资金来源", True),
        ("651.35万亩", "单位：万亩；2020年：651.35；2025年：落实自治区下达目标", True),
        ("300个|300以内", "2025年300以内", True),
        ("300个|300以内", "控制在300个以内", True),
        ("300个|300以内", "3000以内", False),
        ("66万", "总计660000", True),  # a bare number with 万 compares by value
        ("660000", "约66万亩", True),
        ("66万", "1660000", False),
        ("县、乡", "县/乡人民政府", True),  # 、 and / both separate list items
        ("2025、10", "2025-10-16", False),  # never read as a date
    ],
)
def test_boundaries_tables_and_alternatives(fact, answer, ok):
    assert fact_present(fact, answer) is ok


@pytest.mark.parametrize("fact", ["2-5", "2-5处", "2～5处", "12处"])
def test_a_table_row_range_takes_its_unit_after_the_whole_range(fact):
    """'单位：处；2025年：2-5' reads '2-5处' (the unit column's unit was put after the first number: '2处-5')."""
    row = "表1第4行（新发现矿产地）｜分类：资源保障；指标名称：新发现矿产地；单位：处；2020年：12；2025年：2-5；指标属性：预期性"
    assert fact_present(fact, row)


def test_a_header_unit_goes_after_a_range_too():
    assert fact_present("190-200万元", "总金额（万元）：190-200；资金来源：县级财政资金")
