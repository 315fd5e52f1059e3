"""Approval authorities: 第十九条 by area (every row, every boundary, unit variants), 第二十二、二十三、四十三、十、八、四十条, 宁夏（八）."""
from __future__ import annotations

import pytest

from qa.rules import run_rules

COUNTY, PREFECTURE, REGION = "县（市）人民政府", "州、市（地）人民政府（行政公署）", "自治区人民政府"


def one(question, corpus, rule):
    comps = [c for c in run_rules(question, corpus) if c.rule == rule]
    assert len(comps) == 1, [c.rule for c in run_rules(question, corpus)]
    return comps[0]


A19 = "xj.a19.wasteland_authority"


@pytest.mark.parametrize(
    ("area", "authority", "item"),
    [
        ("0.5公顷", COUNTY, "x1"), ("29.99公顷", COUNTY, "x1"), ("30公顷", COUNTY, "x1"), ("450亩", COUNTY, "x1"),
        ("0.3平方公里", COUNTY, "x1"), ("300000平方米", COUNTY, "x1"), ("三十公顷", COUNTY, "x1"),
        ("30.01公顷", PREFECTURE, "x2"), ("五十公顷", PREFECTURE, "x2"), ("451亩", PREFECTURE, "x2"), ("129.99公顷", PREFECTURE, "x2"),
        ("1949亩", PREFECTURE, "x2"), ("130.01公顷", REGION, "x3"), ("1951亩", REGION, "x3"), ("200公顷", REGION, "x3"), ("2平方公里", REGION, "x3"),
    ],
)
def test_wasteland_every_row_and_boundary(corpus, area, authority, item):
    c = one(f"一次性开发国有荒地{area}，由谁批准？", corpus, A19)
    assert c.details["authority"] == authority and c.details["tier"] == item
    assert c.citation_ids == [f"xj-measures:a19.k1.{item}"]
    assert c.missing == []


def test_exactly_30_hectares_says_why_it_is_the_county(corpus):
    c = one("开发荒滩30公顷谁审批", corpus, A19)
    assert any("恰好30公顷" in w and "以下" in w for w in c.warnings)


@pytest.mark.parametrize("area", ["130公顷", "1950亩", "一百三十公顷", "1.3平方公里"])
def test_exactly_130_hectares_is_ambiguous_and_shows_both_readings(corpus, area):
    c = one(f"一次性开发荒山{area}由哪级政府批准", corpus, A19)
    assert "details" and "authority" not in c.details
    readings = c.details["readings"]
    assert [r["authorities"] for r in readings] == [[REGION], []]
    assert "以上" in readings[0]["reading"] and "超过" in readings[1]["reading"]
    assert "条文未覆盖" in c.result and "自治区人民政府" in c.result
    assert c.citation_ids == ["xj-measures:a19.k1.x2", "xj-measures:a19.k1.x3"]
    assert any("一次性开发超过130公顷以上的" in w and "一次性开发超过30公顷不足130公顷的" in w for w in c.warnings)


def test_wasteland_without_area_asks_and_shows_the_table(corpus):
    c = one("开发国有荒山由谁审批", corpus, A19)
    assert c.missing == ["area"]
    assert all(a in c.result for a in (COUNTY, PREFECTURE, REGION))


def test_opening_up_wasteland_said_with_the_verb_kai_is_development(corpus):
    # "开…荒滩": the wasteland is what is opened up, its size between the two
    c = one("村里想开八十公顷荒滩种枸杞，得哪一级批", corpus, A19)
    assert "州、市（地）人民政府" in c.result and c.missing == []
    # 开 of something else is not
    assert not [c for c in run_rules("开会讨论了荒地问题，哪一级批", corpus) if c.rule == A19]


def test_wasteland_in_another_region_is_warned(corpus):
    c = one("北京开发荒地50公顷由谁批准", corpus, A19)
    assert any("不适用于北京" in w for w in c.warnings)


def test_a_past_approval_is_not_an_authority_question(corpus):
    assert not [c for c in run_rules("2024年2月29日经批准开发荒地，二年内未开发，什么时候可以收回", corpus) if c.rule == A19]


A22 = "xj.a22.conversion_authority"


@pytest.mark.parametrize(
    ("question", "option", "authority", "unit"),
    [
        ("乌鲁木齐市分批次农用地转用谁批准", "x1", REGION, "xj-measures:a22.k1.x1"),
        ("设区的市分批次转为建设用地由谁批准", "x1", REGION, "xj-measures:a22.k1.x1"),
        ("巴楚县农用地转用审批权限", "x2", REGION, "xj-measures:a22.k1.x2"),
        ("喀什市分批次农用地转用由谁批准", "x2", REGION, "xj-measures:a22.k1.x2"),
        ("村民建住宅分批次转为建设用地由谁批", "x3", PREFECTURE, "xj-measures:a22.k1.x3"),
        ("农村道路建设农用地转用谁审批", "x3", PREFECTURE, "xj-measures:a22.k1.x3"),
        ("城市建设用地范围外农用地转为建设用地由谁批准", "k2", REGION, "xj-measures:a22.k2"),
    ],
)
def test_farmland_conversion(corpus, question, option, authority, unit):
    c = one(question, corpus, A22)
    assert (c.details["option"], c.details["authority"], c.citation_ids[0]) == (option, authority, unit)


def test_farmland_conversion_notes_delegation_and_state_council(corpus):
    assert any("可以授权州、市（地）人民政府（行政公署）批准" in w for w in one("县（市）农用地转用谁批", corpus, A22).warnings)
    assert any("国务院" in w for w in one("设区的市农用地转用谁批", corpus, A22).warnings)


def test_farmland_conversion_without_level_asks(corpus):
    c = one("农用地转用谁批", corpus, A22)
    assert c.missing == ["level"] and len(c.details["candidates"]) == 4


def test_farmland_conversion_of_permanent_basic_farmland_is_out_of_scope(corpus):
    c = one("县里占用永久基本农田转为建设用地由谁批准", corpus, A22)
    assert any("只适用于永久基本农田以外的农用地" in w for w in c.warnings)


A23 = "xj.a23.unused_land_authority"


@pytest.mark.parametrize(
    ("question", "option", "authority", "filing"),
    [
        ("国家审批的建设项目占用未利用地由谁批准", "x1", REGION, None),
        ("跨州的建设项目占用未利用地谁批", "x1", REGION, None),
        ("州审批的建设项目占用未利用地由谁批准", "x2", PREFECTURE, REGION),
        ("跨县的建设项目占用未利用地谁审批", "x2", PREFECTURE, REGION),
        ("县审批的建设项目占用未利用地由谁批准", "x3", COUNTY, PREFECTURE),
        ("村民建住宅占用未利用地由谁批准", "x3", COUNTY, PREFECTURE),
    ],
)
def test_unused_land(corpus, question, option, authority, filing):
    c = one(question, corpus, A23)
    assert (c.details["option"], c.details["authority"], c.details.get("filing")) == (option, authority, filing)


def test_unused_land_without_project_level_asks(corpus):
    c = one("建设项目占用未利用地谁批", corpus, A23)
    assert c.missing == ["project_level"] and len(c.citation_ids) == 3


A43 = "xj.a43.temporary_use_authority"


@pytest.mark.parametrize(
    ("question", "option"),
    [
        ("临时用地占用耕地由谁审批", "cultivated"),
        ("临时用地占用基本农田由谁审批", "cultivated"),
        ("临时用地不涉及耕地，由哪个部门审批", "other"),
        ("临时用地没有占用耕地，谁审批", "other"),
        ("临时使用土地占用草地由谁审批", "other"),
    ],
)
def test_temporary_use(corpus, question, option):
    c = one(question, corpus, A43)
    assert c.details["option"] == option
    expected = "州、市（地）人民政府（行政公署）自然资源主管部门" if option == "cultivated" else "设区的市、县（市）人民政府自然资源主管部门"
    assert expected in c.details["authority"]
    assert "xj-measures:a43.k2" in c.citation_ids  # 土地复垦方案


def test_temporary_use_unknown_land_asks(corpus):
    c = one("临时用地谁审批", corpus, A43)
    assert c.missing == ["involves_cultivated_land"]


A10 = "xj.a10.spatial_plan_authority"


@pytest.mark.parametrize(
    ("question", "option", "authority"),
    [
        ("自治区国土空间总体规划由谁批准", "x1", "国务院"),
        ("喀什地区国土空间总体规划谁审批", "x2", REGION),
        ("伊犁州国土空间总体规划由谁批准", "x2", REGION),
        ("巴楚县国土空间总体规划由谁批准", "x3", REGION),
        ("喀什市国土空间总体规划由谁批准", "x3", REGION),
        ("乡镇国土空间规划报谁批准", "x4", PREFECTURE),
        ("色力布亚镇国土空间规划由谁审批", "x4", PREFECTURE),
    ],
)
def test_spatial_plans(corpus, question, option, authority):
    c = one(question, corpus, A10)
    assert (c.details["option"], c.details["authority"]) == (option, authority)
    assert c.citation_ids[0] == f"xj-measures:a10.k1.{option}"


def test_county_plan_mentions_delegation(corpus):
    c = one("县级国土空间总体规划谁批", corpus, A10)
    assert "xj-measures:a10.k3" in c.citation_ids


def test_detailed_plans_point_to_article_12(corpus):
    c = one("详细规划由谁审批", corpus, A10)
    assert c.citation_ids == ["xj-measures:a12.k1"]


def test_spatial_plan_without_level_asks(corpus):
    assert one("国土空间总体规划由谁批准", corpus, A10).missing == ["plan_level"]


A8 = "xj.a8.dispute_authority"


@pytest.mark.parametrize(
    ("question", "option", "authority"),
    [
        ("两个乡之间的土地权属争议由谁处理", "k2", "共同的上级人民政府"),
        ("县与县之间的土地所有权争议由谁处理", "k2", "共同的上级人民政府"),
        ("兵团和地方的土地争议由谁处理", "k3", "争议双方所在地上一级人民政府"),
        ("重大土地权属争议由谁处理", "k3_major", REGION),
        ("两个单位之间的土地使用权争议由谁处理", "k4_units", "县级以上人民政府"),
        ("村民之间宅基地使用权纠纷找谁", "k4_persons", "乡级人民政府或者县级以上人民政府"),
        ("个人与单位之间的土地权属争议怎么处理", "k4_persons", "乡级人民政府或者县级以上人民政府"),
    ],
)
def test_disputes(corpus, question, option, authority):
    c = one(question, corpus, A8)
    assert (c.details["option"], c.details["authority"]) == (option, authority)
    assert "xj-measures:a8.k1" in c.citation_ids and "xj-measures:a8.k5" in c.citation_ids


def test_dispute_without_parties_asks(corpus):
    assert one("土地权属争议怎么处理", corpus, A8).missing == ["parties"]


def test_homestead_application(corpus):
    c = one("村民申请宅基地由谁批准", corpus, "xj.a40.homestead_authority")
    assert c.details["authority"] == "乡（镇）人民政府" and "公示时间不少于十日" in c.result


NX = "nx.i8.consolidation_plan_authority"


@pytest.mark.parametrize(
    ("question", "option", "authority"),
    [
        ("全域土地综合整治实施方案由谁批准", "plan", "自治区自然资源主管部门"),
        ("宁夏全域土地综合整治涉及增减挂钩跨县域流转节余指标谁批", "quota", "自治区人民政府"),
        ("全域土地综合整治方案涉及永久基本农田调整报哪里备案", "pbf", "自然资源部"),
    ],
)
def test_consolidation_plan_approval(corpus, question, option, authority):
    c = one(question, corpus, NX)
    assert (c.details["option"], c.details["authority"]) == (option, authority)
    assert c.citation_ids == ["nx-consolidation:h3.i8"]
    assert any("征求意见稿" in w for w in c.warnings)
    assert not any("不适用于" in w for w in c.warnings)


def test_consolidation_plan_asked_about_xinjiang_is_warned(corpus):
    c = one("新疆喀什全域土地综合整治实施方案由谁批准", corpus, NX)
    assert any("宁夏回族自治区的规定" in w and "不适用于新疆" in w for w in c.warnings)


@pytest.mark.parametrize("question", ["乡（镇）国土空间规划由谁批准", "县（市）国土空间总体规划报谁批"])
def test_a_level_written_as_the_texts_write_it_is_read(corpus, question):
    # the texts write 乡（镇）, 县（市）: the question's own full-width brackets must not hide the level
    [found] = [c for c in run_rules(question, corpus) if c.rule == "xj.a10.spatial_plan_authority"]
    assert found.complete and not found.missing


def test_strictly_above_a_disputed_boundary_is_the_higher_item(corpus):
    # "超过130公顷以上" makes 130 itself disputed; "超过130公顷" in the question is past it either way
    [c] = [c for c in run_rules("一次性开发荒地超过130公顷由谁审批", corpus) if c.rule == "xj.a19.wasteland_authority"]
    assert c.details["tier"] == "x3" and "自治区人民政府" in c.result
    [plain] = [c for c in run_rules("一次性开发荒地130公顷由谁审批", corpus) if c.rule == "xj.a19.wasteland_authority"]
    assert "tier" not in plain.details and plain.readings


@pytest.mark.parametrize(
    ("question", "rule", "authority"),
    [
        # a staff word for the matter (开荒) is read through the thesaurus as the texts' 开发 + 荒地
        ("村里开荒12公顷种葡萄，县政府可不可以批", A19, COUNTY),
        # "能不能自己批": a modal word a few characters before the approval verb asks who approves
        ("临时用地涉及耕地，县自然资源局能不能自己审批", "xj.a43.temporary_use_authority", "州、市（地）人民政府（行政公署）自然资源主管部门"),
    ],
)
def test_may_a_named_body_approve_is_answered_by_who_approves(corpus, question, rule, authority):
    assert authority in one(question, corpus, rule).result


def test_a_dispute_said_in_staff_words_finds_who_handles_it(corpus):
    # 吵起来 is the texts' 争议, 归属 their 权属 (thesaurus): two counties' dispute goes to their common superior
    c = one("两个乡为一片草场的归属吵起来了，由谁来处理", corpus, "xj.a8.dispute_authority")
    assert "共同的上级人民政府" in c.result


@pytest.mark.parametrize(
    ("question", "authority"),
    [
        # 30公顷 itself is 第（一）项 (以下 includes it); strictly past it is 第（二）项, however the boundary reads
        ("一次性开发超过30公顷的国有荒地由谁批", PREFECTURE),
        ("一次开发国有荒滩超过450亩，哪级批", PREFECTURE),
        ("一次性开发国有荒地30公顷由谁批", COUNTY),
    ],
)
def test_a_figure_said_to_be_past_a_boundary_takes_the_tier_beyond_it(corpus, question, authority):
    c = one(question, corpus, A19)
    assert f"由{authority}批准" in c.result and not any("恰好" in w for w in c.warnings if "超过" in question)


def test_a_dispute_names_its_parties_by_who_they_are(corpus):
    # a village committee against a household is 个人与单位 (乡级 or 县级以上); two villages are 单位之间 (县级以上)
    c = one("村委会和一个农户为一片林子归谁闹纠纷好几年了，找谁处理", corpus, "xj.a8.dispute_authority")
    assert "个人之间、个人与单位之间" in c.result and "乡级人民政府" in c.result
    c = one("两个村为一块草场归谁吵起来了，该谁出面处理", corpus, "xj.a8.dispute_authority")
    assert c.result.startswith("单位之间的争议") and "县级以上人民政府" in c.result


def test_temporary_use_said_around_its_words_is_temporary_use(corpus):
    # "临时占块地堆料": 第四十三条, whatever stands between 临时 and 地; part of it 耕地 -> 州、市（地）
    c = one("修水渠的工地要临时占块地堆砂石，里头有一部分是耕地，找谁审批", corpus, "xj.a43.temporary_use_authority")
    assert "州、市（地）人民政府（行政公署）自然资源主管部门" in c.result
    assert not [c for c in run_rules("临时开了个会讨论用地，找谁审批", corpus) if c.rule == "xj.a43.temporary_use_authority"]
