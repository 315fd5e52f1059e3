"""Plan arithmetic on the real ingested corpus: Bachu supply structure, Kashgar project list and indicators."""
from __future__ import annotations

import re
from decimal import Decimal
from fractions import Fraction

import pytest

from ingest.catalog import DEFAULT_CORPUS_DIR
from qa.rules import run_rules
from qa.rules.plan_math import bachu_plan, county_of
from qa.rules.text_math import compared_years

BACHU = "plan.bachu_supply"
PROJECTS = "plan.kashgar_projects"
INDICATORS = "plan.kashgar_indicators"


def one(question, corpus, rule):
    comps = [c for c in run_rules(question, corpus) if c.rule == rule]
    assert len(comps) == 1, [c.rule for c in run_rules(question, corpus)]
    return comps[0]


# ------------------------------------------------------------------ Bachu

# 巴楚 三、（二） as printed: name, 公顷, printed share %
BACHU_ITEMS = [
    ("工矿仓储用地", "263.43", "68.65"), ("住宅用地", "32.29", "8.41"), ("公共管理与公共服务用地", "30.76", "8.02"),
    ("商服用地", "14.19", "3.7"), ("交通运输用地", "7.44", "1.94"), ("水域及水利设施用地", "5.77", "1.50"), ("特殊用地", "29.85", "7.78"),
]


def test_bachu_plan_is_parsed_from_the_ingested_units(corpus):
    plan = bachu_plan(corpus)
    assert plan.total_ha == Fraction("383.73") and plan.total_mu_printed == Decimal("575.95")
    assert [(i.name, str(Decimal(i.hectares.numerator) / i.hectares.denominator), i.printed_share_text) for i in plan.items] == BACHU_ITEMS


@pytest.mark.parametrize(("name", "ha", "share"), BACHU_ITEMS)
def test_bachu_each_land_use(corpus, name, ha, share):
    c = one(f"巴楚县2025年供应计划中{name}是多少，占比多少", corpus, BACHU)
    assert c.value == Decimal(ha)
    exact = Fraction(Decimal(ha)) / Fraction(Decimal("383.73")) * 100
    assert Decimal(c.details["share_percent"]) == Decimal(round(float(exact), 4)).quantize(Decimal("0.0001"))
    assert f"{Decimal(ha) * 15}".rstrip("0").rstrip(".") + "亩" in c.result
    assert c.citation_ids == ["bachu-supply-2025:h3.i2.p1", "bachu-supply-2025:h3.i1.p1"]
    assert any("征求意见稿" in w for w in c.warnings)
    assert not any("不一致" in w for w in c.warnings)  # every printed share rounds correctly


@pytest.mark.parametrize(
    ("alias", "name"),
    [("工业", "工矿仓储用地"), ("商业", "商服用地"), ("交通", "交通运输用地"), ("水利", "水域及水利设施用地"), ("公服", "公共管理与公共服务用地")],
)
def test_bachu_everyday_names(corpus, alias, name):
    c = one(f"巴楚供地计划{alias}用地多少公顷", corpus, BACHU)
    assert c.details["items"] == [name]


def test_bachu_sum_of_two_uses(corpus):
    c = one("巴楚县供地计划住宅和商服用地合计多少亩，占比多少", corpus, BACHU)
    assert c.value == Decimal("46.48") and "697.2亩" in c.result and "12.11%" in c.result


def test_bachu_total_reports_the_printed_mu_error(corpus):
    c = one("巴楚县2025年国有建设用地供应总量是多少亩", corpus, BACHU)
    assert c.value == Decimal("383.73") and "5755.95亩" in c.result and "各项合计383.73公顷，与总量一致" in c.result
    assert any("575.95亩" in w and "5755.95亩" in w for w in c.warnings)


def test_bachu_is_not_triggered_by_other_bachu_questions(corpus):
    assert not [c for c in run_rules("巴楚县农用地转用审批权限", corpus) if c.rule == BACHU]


# ------------------------------------------------------------------ Kashgar 附件1, checked against the raw source text

def raw_att1_rows() -> list[list[str]]:
    """附件1 read straight from the source file (independent of ingestion): one list of cells per project."""
    text = (DEFAULT_CORPUS_DIR / "kashgar-plan.txt").read_text(encoding="utf-8")
    section = text[text.index("喀什地区自然资源“十四五”项目清单"):]
    rows: list[list[str]] = []
    current: list[str] = []
    for line in section.splitlines()[1:]:
        if line.strip(" ") == "":  # a truly empty line separates rows; a lone tab is an empty cell
            if current:
                rows.append(current)
            current = []
        else:
            current.append(line.strip("\t").strip())
    if current:
        rows.append(current)
    return [r for r in rows if r and r[0].isdigit() and len(r) >= 6]


def raw_amount(row: list[str]) -> Decimal | None:
    cell = row[5] if len(row) > 5 else ""
    return Decimal(cell) if re.fullmatch(r"\d+(\.\d+)?", cell) else None


def test_raw_reading_sees_117_projects():
    rows = raw_att1_rows()
    assert len(rows) == 117 and rows[0][0] == "1" and rows[-1][0] == "119"


def test_whole_list_total_matches_the_source(corpus):
    rows = raw_att1_rows()
    expected = sum((a for a in map(raw_amount, rows) if a is not None), Decimal(0))
    c = one("喀什十四五项目清单所有项目总金额合计多少", corpus, PROJECTS)
    assert c.value == expected
    assert c.details["count"] == 117 and c.details["with_amount"] == sum(1 for r in rows if raw_amount(r) is not None) == 94


COUNTY_BUREAUS = {
    "喀什市": "喀什市自然资源局", "疏附县": "疏附县自然资源局", "疏勒县": "疏勒县自然资源局", "英吉沙县": "英吉沙县自然资源局",
    "泽普县": "泽普县自然资源局", "莎车县": "莎车县自然资源局", "叶城县": "叶城县自然资源局", "麦盖提县": "麦盖提县自然资源局",
    "岳普湖县": "岳普湖县自然资源局", "伽师县": "伽师县自然资源局", "巴楚县": "巴楚县自然资源局",
    "塔什库尔干县": ("塔什库尔干县自然资源局", "塔什库尔干塔吉克自治县自然资源局"),
}


@pytest.mark.parametrize("county", list(COUNTY_BUREAUS))
def test_each_county_total(corpus, county):
    bureaus = COUNTY_BUREAUS[county]
    bureaus = bureaus if isinstance(bureaus, tuple) else (bureaus,)
    rows = [r for r in raw_att1_rows() if r[3] in bureaus]
    expected = sum((a for a in map(raw_amount, rows) if a is not None), Decimal(0))
    short = county[:-1] if county.endswith("县") else county
    c = one(f"喀什十四五项目清单中{short}的项目总金额多少", corpus, PROJECTS)
    assert c.value == expected and c.details["count"] == len(rows)


@pytest.mark.parametrize(
    ("group", "count"),
    [("规划编制类", 40), ("信息化类", 3), ("生态修复类", 49), ("土地综合整治类", 12), ("治理能力类", 13)],
)
def test_each_category_count_and_total(corpus, group, count):
    table = corpus.table("kashgar-plan:att1")
    rows = [r for r in table.rows if r.cells["大类"] == group]
    expected = sum((Decimal(r.cells["总金额（万元）"]) for r in rows if r.cells["总金额（万元）"]), Decimal(0))
    # the count and the money are asked both: each is a value of its own, in the order asked
    counted, summed = [c for c in run_rules(f"喀什地区十四五项目清单{group[:-1]}类项目有多少个，总投资多少", corpus) if c.rule == PROJECTS]
    assert counted.value == len(rows) == count and counted.details["measure"] == "count"
    assert summed.details["count"] == count and summed.value == expected


def test_county_and_category_together(corpus):
    c = one("喀什项目清单巴楚县生态修复类项目投资合计", corpus, PROJECTS)
    table = corpus.table("kashgar-plan:att1")
    rows = [r for r in table.rows if r.cells["大类"] == "生态修复类" and r.cells["项目单位"].startswith("巴楚")]
    assert c.details["count"] == len(rows) and c.value == sum(Decimal(r.cells["总金额（万元）"]) for r in rows)


def test_a_category_row_filter(corpus):
    c = one("喀什项目清单中防沙治沙项目总金额多少", corpus, PROJECTS)
    # 序号91、92、93 are 防沙治沙
    assert c.details["count"] == 3 and c.value == Decimal("12183.92") + Decimal("11921.74") + Decimal("25136.24")


def test_group_by_county_sums_to_the_whole(corpus):
    c = one("喀什项目清单各县项目金额分别是多少", corpus, PROJECTS)
    assert sum(Decimal(v) for v in c.details["groups"].values()) == c.value
    assert any("项目单位" in w for w in c.warnings)


def test_missing_amounts_and_numbering_are_reported(corpus):
    counted, c = [c for c in run_rules("喀什十四五项目清单村庄规划项目有几个，金额多少", corpus) if c.rule == PROJECTS]
    assert counted.value == 12 and any("787" in w and "41、43" in w for w in counted.warnings)
    assert c.details["count"] == 12 and c.details["with_amount"] == 6
    assert "6个项目未列金额" in c.result
    assert any("787" in w and "41、43" in w for w in c.warnings)


def test_a_printed_amount_conflict_is_warned_when_the_row_is_included(corpus):
    c = one("喀什项目清单岳普湖县生态修复类项目金额合计", corpus, PROJECTS)
    assert any("序号74" in w and "34.02" in w and "投资30万元" in w for w in c.warnings)


@pytest.mark.parametrize(
    ("bureau", "county"),
    [("巴楚县自然资源局", "巴楚县"), ("塔什库尔干塔吉克自治县自然资源局", "塔什库尔干县"), ("十二县市自然资源局", "多县市（未分县）"),
     ("喀什地区自然资源局", "喀什地区本级"), ("喀什地区、县市自然资源局", "喀什地区及各县市"), ("喀什经济开发区管委会", "喀什经济开发区")],
)
def test_county_attribution(bureau, county):
    assert county_of({"项目单位": bureau}) == county


# ------------------------------------------------------------------ Kashgar 表1

@pytest.mark.parametrize(
    ("question", "name", "v2020", "v2025"),
    [
        ("喀什十四五规划永久基本农田保护面积是多少公顷", "永久基本农田保护面积", "651.35", "落实自治区下达目标"),
        ("喀什十四五规划耕地保有量指标", "耕地保有量", "719", "落实自治区下达目标"),
        ("喀什规划煤炭新增资源量指标是多少", "主要矿种新增资源量（煤炭）", "5969.6", "1000"),
        ("喀什十四五规划采矿权总数指标", "采矿权总数", "110", "300以内"),
        ("喀什十四五规划生态保护红线面积", "生态保护红线面积", "34184.88", "落实自治区下达目标"),
        ("喀什十四五指标单位GDP建设用地使用面积下降率", "单位GDP建设用地使用面积下降率", "——", "16"),
    ],
)
def test_indicators(corpus, question, name, v2020, v2025):
    c = one(question, corpus, INDICATORS)
    assert c.details[name] == {"2020年": v2020, "2025年": v2025, "单位": c.details[name]["单位"]}


@pytest.mark.parametrize(
    "question",
    [
        "喀什规划专栏6拟设采矿权数量是多少个",
        "喀什十四五规划专栏六里重点开采区已设的采矿权有几个",
        "喀什规划第六章第三节讲的拟设采矿权一共多少",
    ],
)
def test_a_question_naming_another_part_of_the_plan_is_not_answered_from_table_1(corpus, question):
    """专栏6 states 已设48个、拟设51个; 表1's 采矿权总数 (110, 300以内) shares only the word 采矿权."""
    assert not [c for c in run_rules(question, corpus) if c.rule == INDICATORS]


@pytest.mark.parametrize(
    "question",
    ["喀什十四五规划表1采矿权总数是多少", "喀什规划第二章第三节主要目标里采矿权总数控制在多少", "喀什规划指标表采矿权总数2025年多少"],
)
def test_table_1_named_by_itself_or_by_the_part_holding_it_still_answers(corpus, question):
    assert one(question, corpus, INDICATORS).details["采矿权总数"]["2025年"] == "300以内"


def test_an_indicator_named_whole_beside_another_part_still_answers(corpus):
    """专栏6's figure over 表1's bound: the question says 采矿权总数 itself, not only the word the two share."""
    c = one("喀什十四五规划第六章说的拟设采矿权数量相当于采矿权总数2025年上限的百分之几", corpus, INDICATORS)
    assert "51 ÷ 300" in c.formula


def test_the_box_figure_is_quoted_instead_of_the_indicator(engine):
    result = engine.ask("喀什规划专栏6拟设采矿权数量是多少个")
    assert "拟设采矿权数量51个" in result.answer and "300以内" not in result.answer
    assert result.citations[0].id.startswith("kashgar-plan:c6.s3.box6")


def test_indicator_change_and_conversion(corpus):
    assert "变化-4969.6万吨" in one("喀什规划煤炭新增资源量指标是多少", corpus, INDICATORS).result
    assert "43.4233万公顷" in one("喀什十四五规划永久基本农田保护面积是多少公顷", corpus, INDICATORS).result


def test_indicator_conflicting_with_the_text_is_warned(corpus):
    c = one("喀什十四五规划耕地保有量指标", corpus, INDICATORS)
    assert any("719万亩" in w and "1470.27万亩" in w for w in c.warnings)


def test_plan_hooks_need_the_corpus():
    assert [c.rule for c in run_rules("巴楚县2025年供应计划中工矿仓储用地占比多少", None)] == []


@pytest.mark.parametrize(
    ("question", "rule"),
    [
        ("巴楚县2026年供地计划住宅用地多少", BACHU),
        ("巴楚县2024年国有建设用地供应总量", BACHU),
        ("喀什2030年耕地保有量指标", INDICATORS),
        ("喀什十三五2019年项目清单巴楚县项目总金额", PROJECTS),
    ],
)
def test_a_year_the_plan_does_not_cover_gets_no_answer_from_it(corpus, question, rule):
    assert not [c for c in run_rules(question, corpus) if c.rule == rule]


def test_years_inside_the_period_still_answer(corpus):
    assert one("巴楚县2025年供地计划住宅用地多少", corpus, BACHU).value == Decimal("32.29")
    assert one("喀什十四五规划2020年耕地保有量指标", corpus, INDICATORS).details["耕地保有量"]["2020年"] == "719"


@pytest.mark.parametrize(
    ("question", "value"),
    [
        ("巴楚今年工矿仓储用地换算成亩是多少", "263.43"),
        ("巴楚住宅和商服用地加起来供多少", "46.48"),
        ("巴楚除了工矿仓储以外其他各类用地一共多少公顷", "120.3"),
        ("巴楚公服、交通、水利三类用地合计多少", "43.97"),
        ("巴楚县工矿仓储用地是住宅用地的几倍", "8.1583"),
        ("巴楚今年供地总量和最大的一类用地分别是多少", "263.43"),
    ],
)
def test_bachu_sums_complements_and_ratios(corpus, question, value):
    assert one(question, corpus, BACHU).value == Decimal(value)


@pytest.mark.parametrize(
    ("question", "hectares", "share"),
    [
        # two land uses joined, then a share of the total: the share of their sum, not one over the other
        ("巴楚住宅加商服合起来占供应总量的百分之几", "46.48", "12.1127"),
        ("巴楚今年住宅和商服用地一共占总供应量的比例是多少", "46.48", "12.1127"),
        ("巴楚县公服跟交通两类合计占供地总量百分之多少", "38.2", "9.9549"),
    ],
)
def test_bachu_two_uses_joined_take_a_share_of_the_total(corpus, question, hectares, share):
    c = one(question, corpus, BACHU)
    assert c.value == Decimal(hectares) and "ratio" not in c.details
    assert abs(Decimal(c.details["share_percent"]) - Decimal(share)) < Decimal("0.0001")


@pytest.mark.parametrize(
    ("question", "share"),
    [
        ("巴楚住宅用地占住宅和商服合计的百分之几", "69.4707"),  # 32.29 ÷ 46.48
        ("巴楚商服占住宅加商服两类合计的比重是多少", "30.5293"),  # 14.19 ÷ 46.48
    ],
)
def test_bachu_a_share_within_the_sum_of_two_uses(corpus, question, share):
    c = one(question, corpus, BACHU)
    assert abs(c.value - Decimal(share)) < Decimal("0.0001") and "ratio" not in c.details


def test_bachu_a_share_over_the_other_use_is_still_their_ratio(corpus):
    c = one("巴楚供地里住宅相当于商服用地的百分之多少", corpus, BACHU)
    assert c.details["ratio"].startswith("2.2755") and "227.55%" in c.result


def test_bachu_today_outside_the_plan_year_is_warned(corpus):
    comps = [c for c in run_rules("巴楚县今年住宅用地供应多少？", corpus, today=__import__("datetime").date(2026, 5, 1)) if c.rule == BACHU]
    assert comps[0].value == Decimal("32.29") and any("只管2025年" in w for w in comps[0].warnings)


@pytest.mark.parametrize("question", ["巴楚供地计划的计划期一共多少天", "巴楚县这个供地计划哪天到期"])
def test_bachu_period(corpus, question):
    c = one(question, corpus, "plan.bachu_period")
    assert int(c.value) == 365 and c.details["end"] == "2025-12-31" and c.citation_ids == ["bachu-supply-2025:h2.p1"]


@pytest.mark.parametrize(
    "question",
    [
        "巴楚县供地计划依据了哪些规范性文件", "巴楚供地计划批准后在哪公开", "巴楚供地计划对工业项目提倡建啥样厂房",
        "巴楚2025供地计划是谁发的、落款日期是哪天", "巴楚县今年住宅用地主要分布在哪几个乡镇", "巴楚县商服用地挂牌出让的起始价是多少",
    ],
)
def test_bachu_non_numeric_questions_are_left_to_retrieval(corpus, question):
    assert not [c for c in run_rules(question, corpus) if c.rule.startswith("plan.bachu")]


@pytest.mark.parametrize(
    ("question", "count", "total"),
    [
        ("项目清单里跟克孜河有关的治理工程总投资是多少", 6, "112818.534"),
        ("英吉沙县5个废弃砂石矿治理项目一共多少钱", 5, "2885"),
        ("喀什附件里巴楚县那几个历史遗留废弃矿山修复项目加起来投资多少", 6, "1060"),
        ("叶城县地灾治理项目的钱从哪来，多少钱", 1, "6000"),
        ("十二个县市的乡镇国土空间规划编制项目投资合计", 12, "9555"),
        ("废弃耕地生态修复项目三个县合计投资", 3, "18596.8"),
        ("喀什市3个废弃砂石矿地质环境治理项目总投资", 3, "4400"),
        ("附件里退化草地（灌草地）保护修复项目一共多少钱", 6, "31252.94"),
        ("巴楚县乡镇国土空间规划和村庄规划编制两项加起来多少钱", 2, "2470"),
        ("巴楚县防沙治沙和经济型生态防护林两个项目一共投多少", 2, "37057.98"),
        ("盐碱耕地综合整治的8个项目加一起多少万", 8, "125136.58"),
        ("巴楚县土地综合整治类的项目总共要投多少", 2, "27707.25"),
    ],
)
def test_projects_named_by_keywords(corpus, question, count, total):
    c = one(question, corpus, PROJECTS)
    assert c.details["count"] == count and c.value == Decimal(total)


def test_funding_sources_are_listed_for_small_selections(corpus):
    assert "资金来源：叶城县财政资金" in one("叶城县地灾治理项目的钱从哪来，多少钱", corpus, PROJECTS).result


def test_a_project_without_an_amount_is_not_summed_to_zero(corpus):
    c = one("喀什附件里12个县市增减挂钩那个项目总投资多少", corpus, PROJECTS)
    assert c.value is None and "均未列总金额，无法合计" in c.result


def test_largest_project(corpus):
    c = one("喀什十四五项目清单里单个投资最大的是哪个项目", corpus, PROJECTS)
    assert c.value == Decimal("55782.15") and c.details["pick"] == "kashgar-plan:att1.r51"


def test_room_under_an_upper_bound_indicator(corpus):
    c = one("喀什采矿权从2020年的数量到十四五上限，最多还能增加几个", corpus, INDICATORS)
    assert c.details["采矿权总数_room"] == "190"


def test_time_limits_are_not_project_questions(corpus):
    assert not [c for c in run_rules("喀什不动产抵押登记和工程建设项目审批分别压缩到几个工作日", corpus) if c.rule == PROJECTS]


def test_asking_for_ten_thousand_mu_is_not_a_money_question(corpus):
    """"多少万亩" asks for an area: the project-list sum must not fire on it."""
    assert not any(c.rule == "plan.kashgar_projects" for c in run_rules("自治区土地资源十四五规划定的永久基本农田保护面积是多少万亩", corpus))


# ------------------------------------------------------------------ operations staff ask over the plans

TEXT = "text.arithmetic"


@pytest.mark.parametrize(
    ("question", "rule", "value", "shown"),
    [
        # the printed shares 8.41% and 3.7% subtracted, the areas' own shares shown beside
        ("巴楚供地计划里住宅用地与商服用地的比重相差多少个百分点", BACHU, "4.71", "相差4.71个百分点"),
        ("巴楚县工矿仓储用地和特殊用地占比相差多少个百分点", BACHU, "60.87", "相差60.87个百分点"),
        # 2.96万公顷 over five years, 1公顷 = 15亩; the printed 44.35万亩 gives 88700亩 and is shown as a reading
        ("喀什十四五期间预计供应建设用地平均到五年每年多少公顷、合多少亩", TEXT, "5920", "每年5920公顷，合88800亩"),
        # 383.73公顷 (巴楚 2025) over 2.96万公顷 (喀什 第五章第一节): exact share, rounded only for display
        ("巴楚2025年计划供地总量是喀什十四五预计供应建设用地的百分之多少", BACHU, "1.296385", "约1.2964%"),
        # 已设48个 + 拟设51个 = 99, over 表1 采矿权总数 2025年 "300以内"
        ("喀什十四五重点开采区里已设的和拟设的采矿权一共几个，是采矿权总数上限的几成", INDICATORS, "3.3", "3.3成（33%）"),
        ("喀什十四五重点开采区里已设的和拟设的采矿权一共几个", INDICATORS, "99", "合计99个"),
        ("喀什十四五划拨用地和出让土地加起来多少公顷", TEXT, "29600", "合计2.96万公顷（29600公顷）"),
        ("喀什十四五划拨用地比出让土地多多少公顷", TEXT, "8200", "前者多0.82万公顷（8200公顷）"),
        ("喀什十四五重点开采区拟设采矿权比已设多几个", TEXT, "3", "前者多3个"),
        # two sentences list 崩塌 and 滑坡 (专项勘查 20处, 工程治理 25处): the question's other words choose
        ("喀什专项勘查的崩塌和滑坡一共多少处", TEXT, "8", "崩塌3处，滑坡5处，合计8处"),
        ("喀什2020年末耕地和林地加起来多少公顷", TEXT, "1796987.95", "合计1796987.95公顷"),
        # 崩塌 3处 (专项勘查) + 5处 (工程治理): the item each of two sentences states
        ("喀什专项勘查和工程治理的地灾点里崩塌一共多少处", TEXT, "8", "合计8处"),
        # the part inside the whole: 1.89万公顷 of 2.96万公顷 (the 万亩 forms give 63.83%, shown as a reading)
        ("喀什十四五预计供应建设用地中出让土地占多少", TEXT, None, "约36.15%"),
        # 31.52% and 17.24%, each stated by a sentence of its own
        ("喀什生态保护红线和自然保护地占国土面积的比例差几个百分点", TEXT, "14.28", "相差14.28个百分点"),
        ("喀什十四五已设采矿权占采矿权总数2020年的比例", INDICATORS, "43.636364", "占表1“采矿权总数”2020年110个的约43.64%"),
        ("巴楚供地总量是喀什十四五出让土地的几成", BACHU, "0.358626", "约0.359成"),
        ("喀什十四五预计供应建设用地是巴楚2025年供地总量的几倍", BACHU, "77.137571", "约77.1376倍"),  # the other way round
    ],
)
def test_operations_over_stated_figures(corpus, question, rule, value, shown):
    c = one(question, corpus, rule)
    assert c.value == (Decimal(value) if value else None) and shown in c.result and c.understood and c.formula


@pytest.mark.parametrize(
    ("question", "value", "shown"),
    [
        # '审批建设用地2.14万公顷（32.12万亩），供应国有建设用地0.98万公顷（14.78万亩）': asked in 万亩, the 万亩 figures
        # as printed (1.16万公顷 × 15 would give 17.4)
        ("喀什十三五期间审批的建设用地比供应的国有建设用地多出多少万亩", "17.34", "32.12万亩"),
        ("喀什十三五期间审批的建设用地比供应的国有建设用地多出多少公顷", "11600", "2.14万公顷"),
        # asked in 亩: the 万亩 printing, its decimal point moved (28.31万亩 + 16.04万亩), not 2.96万公顷 × 15
        ("喀什十四五划拨用地与出让土地合计多少亩", "443500", "28.31万亩"),
        ("喀什处置的批而未供土地与闲置土地合计多少万亩", "2.52", "2.1万亩"),
        # asked in 公顷: the 公顷 printing, not the 万亩 one
        ("喀什处置的批而未供土地与闲置土地合计多少公顷", "1651.22", "1374.28公顷"),
    ],
)
def test_a_figure_printed_in_the_asked_unit_is_used_as_printed(corpus, question, value, shown):
    c = one(question, corpus, TEXT)
    assert c.value == Decimal(value) and shown in c.result


def test_a_share_of_another_plan_cites_both_plans_and_warns_of_the_scope(corpus):
    c = one("巴楚2025年计划供地总量是喀什十四五预计供应建设用地的百分之多少", corpus, BACHU)
    assert {u.split(":")[0] for u in c.citation_ids} == {"bachu-supply-2025", "kashgar-plan"}
    assert any("口径不同" in w for w in c.warnings)
    assert abs(Fraction(Decimal(c.details["share"])) - Fraction(38373, 100) / 29600) < Fraction(1, 10**8)


@pytest.mark.parametrize(
    ("question", "name", "printed"),
    [
        ("喀什十四五规划2025年城乡建设用地总规模是多少", "城乡建设用地总规模", "控制在下达指标内"),
        ("喀什十四五耕地保有量2025年目标是多少万亩", "耕地保有量", "落实自治区下达目标"),
        ("喀什十四五规划生态保护红线面积2025年要达到多少", "生态保护红线面积", "落实自治区下达目标"),
        ("喀什十四五单位GDP建设用地使用面积下降率2020年是多少", "单位GDP建设用地使用面积下降率", "——"),
    ],
)
def test_an_indicator_cell_in_words_is_not_stated_as_a_number(corpus, question, name, printed):
    c = one(question, corpus, INDICATORS)
    assert c.value is None and c.details["not_stated"][name]["printed"] == printed
    assert c.unbound and "没有给出数字" in c.result


def test_an_indicator_with_a_figure_for_the_year_is_not_flagged(corpus):
    c = one("喀什十四五煤炭新增资源量2025年目标是多少", corpus, INDICATORS)
    assert "not_stated" not in c.details and not c.unbound


@pytest.mark.parametrize(
    ("question", "subset"),
    [
        ("巴楚县2025年住宅用地里保障性住房用地多少", "保障性住房用地"),
        ("巴楚县今年保障性住房用地供应多少", "保障性住房用地"),
        ("巴楚工矿仓储用地中工业用地占多少", "工业用地"),
        ("巴楚县国有建设用地供应计划里的新增建设用地多少", "新增建设用地"),
        ("巴楚今年供应的商品房用地有多少", "商品房用地"),
    ],
)
def test_a_subset_the_bachu_structure_does_not_break_down_is_unbound(corpus, question, subset):
    c = one(question, corpus, BACHU)
    assert c.value is None and any(subset in u for u in c.unbound) and f"没有单独列出“{subset}”" in c.result


@pytest.mark.parametrize(
    ("question", "value"),
    [("巴楚县供地计划中的特殊用地多少", "29.85"), ("巴楚县2025年国有建设用地供应总量多少公顷", "383.73"), ("巴楚住宅用地供应多少亩", "32.29")],
)
def test_listed_land_uses_still_answer(corpus, question, value):
    c = one(question, corpus, BACHU)
    assert c.value == Decimal(value) and not c.unbound


@pytest.mark.parametrize(
    ("question", "value", "shown"),
    [
        ("巴楚住宅用地占比比商服用地高多少", "4.71", "相差4.71个百分点"),  # a share difference is in points, not 公顷
        ("巴楚今年供地平均每个月多少公顷", "31.9775", "平均每月31.9775公顷"),
        ("巴楚工矿仓储用地每季度平均供多少", "65.8575", "平均每季度65.8575公顷"),
    ],
)
def test_bachu_shares_compared_and_the_year_divided(corpus, question, value, shown):
    c = one(question, corpus, BACHU)
    assert c.value == Decimal(value) and shown in c.result


def test_a_figure_not_stated_for_the_year_asked_counts_as_missing(corpus):
    c = one("喀什十四五耕地保有量2025年目标是多少万亩", corpus, INDICATORS)
    assert c.missing == ["value"] and c.value is None and "719万亩是2020年的数字" in c.result
    both = one("喀什十四五城乡建设用地总规模2020年和2025年分别是多少", corpus, INDICATORS)
    assert both.missing == [] and both.details["not_stated"]["城乡建设用地总规模"]["year"] == "2025年"


def test_a_whole_no_other_plan_states_gives_no_bachu_figure_in_its_place(corpus):
    c = one("巴楚供地总量是喀什十四五出让土的的几成", corpus, BACHU)  # typed 出让土的: no sentence states it
    assert c.value is None and c.missing == ["value"] and c.unbound


def test_an_indicator_named_without_its_middle_word(corpus):
    c = one("喀什十四五规划生态红线面积2025年要达到多少", corpus, INDICATORS)
    assert "生态保护红线面积" in c.details["not_stated"]


@pytest.mark.parametrize(
    ("question", "names"),
    [
        # a name said without a word it holds (指标) or by the term it quotes with its ending (“三率” + 达标率)
        ("喀什规划表1中建设用地使用面积下降率、矿种三率达标率2025年目标各是多少",
         ["单位GDP建设用地使用面积下降率", "矿种“三率”指标达标率"]),
        ("表1的三率达标率和绿色矿山达标率到2025年分别要达到多少", ["矿种“三率”指标达标率", "大型及中型以上绿色矿山达标率"]),
        ("喀什十四五表1永久基本农田保护面积、耕地保有量和生态保护红线面积各多少",
         ["耕地保有量", "永久基本农田保护面积", "生态保护红线面积"]),
        ("新发现矿产地、采矿权总数这两项指标到2025年分别定的多少", ["新发现矿产地", "采矿权总数"]),
    ],
)
def test_every_indicator_a_message_names_is_read_and_cited(corpus, question, names):
    c = one(question, corpus, INDICATORS)
    assert sorted(c.inputs["指标"]) == sorted(names)
    rows = [uid for uid in c.citation_ids if ".r" in uid]
    assert len(rows) == len(names)  # each indicator's own row is cited
    for name in names:
        figure = c.details[name]["2025年"]
        assert f"{name}（" in c.result and figure in c.result


def test_a_name_matching_no_indicator_gets_no_figure(corpus):
    """森林覆盖率 is no row of 表1: only the indicator that is one is read, nothing stands in for the other."""
    c = one("表1里矿种三率达标率和森林覆盖率2025年分别是多少", corpus, INDICATORS)
    assert c.inputs["指标"] == ["矿种“三率”指标达标率"] and "森林" not in c.result
    assert [u.value for u in c.understood] == ["矿种“三率”指标达标率"]


@pytest.mark.parametrize(
    ("question", "value", "missing"),
    [
        ("喀什十四五煤炭新增资源量2025年比2020年少多少", "4969.6", []),
        ("喀什十四五铁矿新增资源量2025年目标是2020年的百分之几", "60.240964", []),
        ("喀什十四五采矿权总数2025年上限比2020年多多少个", "190", []),  # "300以内" compares as its bound
        ("喀什十四五耕地保有量2025年比2020年多多少", None, ["value"]),  # 2025 is "落实自治区下达目标"
    ],
)
def test_the_two_columns_of_one_indicator_compared(corpus, question, value, missing):
    c = one(question, corpus, INDICATORS)
    assert c.value == (Decimal(value) if value else None) and c.missing == missing


@pytest.mark.parametrize(
    "question",
    [
        # 专栏9: '对喀什地区20处（…）进行专项勘查' and '对喀什地区25处（…）进行工程治理', two sentences
        "喀什专栏9里进行专项勘查的隐患点比工程治理的少几处",
        # the side that points back ('这个') is what the clause before it names
        "喀什专栏9里工程治理安排了几处，专项勘查的比这个少几处",
    ],
)
def test_a_difference_of_figures_two_sentences_state(corpus, question):
    c = one(question, corpus, TEXT)
    assert c.value == Decimal(5) and "20处" in c.result and "25处" in c.result
    assert set(c.citation_ids) == {"kashgar-plan:c9.s3.box9.p2", "kashgar-plan:c9.s3.box9.p4"}


@pytest.mark.parametrize(
    "question",
    [
        # no part named: 567处 of the 十三五 review (第一章) is no figure to set against a 十四五 target (第九章)
        "喀什重要地质灾害隐患专项勘查比工程治理少几处",
        "比这个多几处",  # nothing before it to point back to
    ],
)
def test_a_difference_across_sentences_needs_comparable_figures(corpus, question):
    assert not [c for c in run_rules(question, corpus) if c.rule == TEXT and c.value is not None]


@pytest.mark.parametrize(
    ("question", "value", "cells"),
    [
        # no place named: 表1 is a part only the Kashgar plan has, 煤炭新增资源量 a row only it prints
        ("表1中煤炭新增资源量2025年比2020年少多少", "4969.6", ("5969.6", "1000")),
        ("铁矿新增资源量2025年目标是2020年的百分之几", "60.240964", ("2亿吨", "3.32亿吨")),
        ("表1采矿权总数到2025年上限能比2020年增加几个", "190", ("300", "110")),
    ],
)
def test_one_indicators_two_columns_compared_without_the_place_named(corpus, question, value, cells):
    c = one(question, corpus, INDICATORS)
    assert c.value == Decimal(value) and all(x in c.result for x in cells) and c.formula


@pytest.mark.parametrize(
    "question",
    [
        "耕地保有量2025年比2020年少多少",  # 耕地保有量 is in other plans too: without 喀什 or 表1 not the Kashgar row
        "阿克苏地区自然资源十四五规划里新发现矿产地2025年目标几处",  # another prefecture's plan, its title like this one's
    ],
)
def test_an_indicator_question_not_placed_in_the_kashgar_plan(corpus, question):
    assert not [c for c in run_rules(question, corpus) if c.rule == INDICATORS]


@pytest.mark.parametrize(
    "question",
    [
        "新疆土地十四五规划城乡建设用地规模平均每年多少公顷",  # the Xinjiang plan states no such figure: not 喀什's 2.96万公顷
        "新疆土地十四五规划预计供应建设用地平均每年多少",
        "喀什十四五城乡建设用地规模平均每年多少公顷",  # 城乡建设用地 is not 预计供应建设用地
    ],
)
def test_a_figure_of_another_plan_or_another_name_is_not_averaged(corpus, question):
    assert not [c for c in run_rules(question, corpus) if c.value is not None]


def test_a_question_asking_where_is_not_an_indicator_question(corpus):
    """'城乡建设用地' names an indicator, but the question asks where money goes, not a figure of 表1."""
    assert not [c for c in run_rules("喀什城乡建设用地增减挂钩节余指标跨省域调剂的收益用在哪", corpus) if c.rule == INDICATORS]


@pytest.mark.parametrize(
    ("question", "place"),
    [("巴楚县城区住宅用地多少", "城区"), ("巴楚县各乡镇住宅用地多少", "各乡镇"), ("巴楚工业园区工矿仓储用地多少公顷", "工业园区"),
     ("巴楚县色力布亚镇住宅用地多少", "色力布亚镇")],
)
def test_a_place_inside_the_county_is_not_broken_down(corpus, question, place):
    c = one(question, corpus, BACHU)
    assert c.value is None and c.missing == ["value"] and any(place in u for u in c.unbound)


@pytest.mark.parametrize(
    ("question", "value"),
    [("我们单位在巴楚县色力布亚镇，镇上打算盖一批住宅。请问今年整个县供应计划的住宅用地是多少公顷？", "32.29"),
     ("我家住在巴楚县阿瓦提镇，县里一共计划供应多少公顷工矿仓储用地？", "263.43")],
)
def test_a_place_of_the_story_does_not_narrow_a_question_about_the_whole_county(corpus, question, value):
    """The town is where the asker stands; 整个县 / 县里一共 ask of the county, which the plan gives."""
    c = one(question, corpus, BACHU)
    assert c.value == Decimal(value) and not c.unbound


def test_a_place_named_in_the_asking_clause_still_narrows_beside_a_scope_word(corpus):
    c = one("我在巴楚县城工作，全县色力布亚镇住宅用地供应多少公顷", corpus, BACHU)
    assert c.value is None and any("色力布亚镇" in u for u in c.unbound)


def test_a_county_of_the_story_does_not_narrow_a_question_about_the_whole_prefecture(corpus):
    """'我在…县工作' tells who asks; 全地区 sums every row the naming words choose, in any county."""
    whole = one("我在伽师县自然资源局工作。全地区附件1里防沙治沙项目合计投资多少万元？", corpus, PROJECTS)
    alone = one("附件1里防沙治沙项目合计投资多少万元？", corpus, PROJECTS)
    assert whole.value == alone.value == Decimal("49241.9")
    narrowed = one("我在伽师县工作，附件1里伽师县的项目合计投资多少万元？", corpus, PROJECTS)
    assert narrowed.value is not None and narrowed.value < alone.value * 100 and "伽师县" in narrowed.inputs["筛选"]


def test_a_county_asked_of_the_prefecture_table_is_not_stated(corpus):
    c = one("喀什十四五巴楚县耕地保有量是多少", corpus, INDICATORS)
    assert c.value is None and c.missing == ["value"] and "不是巴楚县的" in c.result
    rate = one("喀什十四五绿色矿山达标率指标是多少，我们巴楚县有25座大中型矿山，至少多少座要达标", corpus, INDICATORS)
    assert rate.value == Decimal(15)  # the county's own base, the prefecture's rate


@pytest.mark.parametrize(
    "question",
    [
        "喀什十四五期间巴楚县预计供应建设用地平均每年多少公顷",  # 2.96万公顷 is the prefecture's; 巴楚 has 2025 alone
        "喀什十四五巴楚县划拨用地比出让土地多多少公顷",  # the sentence speaks of the prefecture, not of 巴楚
    ],
)
def test_a_prefecture_figure_is_not_a_county_figure(corpus, question):
    assert not [c for c in run_rules(question, corpus) if c.value is not None]


def test_a_whole_worked_back_from_a_figure_and_its_share(corpus):
    c = one("按自然保护地面积和占比反推喀什国土面积有多大", corpus, "text.arithmetic")  # 1.87万平方公里 ÷ 17.24%
    assert "约10.85万平方公里" in c.result and abs(Fraction(c.value) - Fraction(187, 100) / Fraction(1724, 10000)) < Fraction(1, 10**6)


@pytest.mark.parametrize(
    ("question", "value", "as_of", "left", "since"),
    [
        ("今天是2025年9月1日，巴楚县今年的供地计划还有多少天到期？", 121, "2025-09-01", 121, 243),
        ("截至2025年3月1日巴楚供地计划过了几天", 59, "2025-03-01", 305, 59),
        # the plan's own 落款 date, named by where it is printed; the first count asked is the value
        ("巴楚供地计划落款那天离计划期开始过了几天、离结束还有几天", 7, "2025-01-08", 357, 7),
        ("巴楚供地计划落款那天离结束还有几天，离开始过了几天", 357, "2025-01-08", 357, 7),
        # past the end: how long ago it ended, never a count from the start
        ("截至2026年3月1日，巴楚供地计划过期多少天了", 60, "2026-03-01", -60, 424),
    ],
)
def test_bachu_period_against_the_day_the_question_counts_from(corpus, question, value, as_of, left, since):
    c = one(question, corpus, "plan.bachu_period")
    assert c.value == value and c.details["as_of"] == as_of and c.details["days_left"] == left and c.details["days_since_start"] == since
    assert c.understood and c.details["ended"] == (left < 0)


def test_bachu_signature_date_is_cited(corpus):
    c = one("巴楚供地计划落款那天离计划期开始过了几天", corpus, "plan.bachu_period")
    assert c.citation_ids == ["bachu-supply-2025:h2.p1", "bachu-supply-2025:signature"] and "“2025年1月8日”" in c.understood[0].basis


def test_remaining_days_of_an_ended_plan_are_no_number(corpus):
    c = next(c for c in run_rules("巴楚供地计划还剩几天", corpus, today=__import__("datetime").date(2026, 5, 1)) if c.rule == "plan.bachu_period")
    assert c.value is None and "已于2025年12月31日" in c.result


@pytest.mark.parametrize("question", ["喀什规划里增减挂钩十三五干了多少", "喀什十四五规划城乡建设用地增减挂钩完成多少亩"])
def test_an_indicator_name_inside_a_longer_term_is_not_the_indicator(corpus, question):
    from qa import thesaurus

    for text in (question, thesaurus.canonical(question)):
        assert not [c for c in run_rules(text, corpus) if c.rule == INDICATORS]


def test_the_indicator_named_alone_still_answers(corpus):
    c = one("喀什规划城乡建设用地2020年多少", corpus, INDICATORS)
    assert "城乡建设用地总规模" in c.result


@pytest.mark.parametrize(
    ("question", "hectares", "points"),
    [
        # 14.19 − 7.44 公顷; 3.7% − 1.94% (printed shares)
        ("巴楚今年商服用地比交通运输用地多出多少公顷？比重相差多少个百分点？", Decimal("6.75"), Decimal("1.76")),
        ("巴楚供地计划住宅用地比商服用地多多少，比重相差多少个百分点", Decimal("18.1"), Decimal("4.71")),
    ],
)
def test_two_operations_asked_in_one_question_are_both_computed(corpus, question, hectares, points):
    found = [c for c in run_rules(question, corpus) if c.rule == BACHU]
    assert [c.value for c in found] == [hectares, points]
    assert found[0].details["difference_hectares"] == str(hectares) and found[1].details["points"] == str(points)


def test_two_operations_come_in_the_order_asked(corpus):
    found = [c for c in run_rules("巴楚供地计划商服和交通运输用地的比重相差多少个百分点，面积相差多少公顷", corpus) if c.rule == BACHU]
    assert [c.value for c in found] == [Decimal("1.76"), Decimal("6.75")]


def test_a_points_question_alone_stays_one_computation(corpus):
    c = one("巴楚供地计划住宅和商服的比重相差多少个百分点", corpus, BACHU)
    assert c.value == Decimal("4.71")


@pytest.mark.parametrize(
    ("question", "value", "cycle", "unit"),
    [
        # 喀什规划: '按照每年1次巡检，每五年1次测量标志普查维修的周期频率'
        ("喀什测量标志2021年普查过，下一次普查该哪年", 2026, "每五年1次测量标志普查维修", "kashgar-plan:c10.s3.p2"),
        ("测量标志2021年普查维修过，下一次什么时候", 2026, "每五年1次测量标志普查维修", "kashgar-plan:c10.s3.p2"),
        ("喀什测量标志2023年巡检过，下次巡检是哪年", 2024, "每年1次巡检", "kashgar-plan:c10.s3.p2"),  # the act the question names, not the longer one
        # 实施办法 第十四条: '每年对下一级人民政府耕地保护责任目标落实情况进行考核'
        ("新疆耕地保护责任目标2024年考核过，下一次考核是哪年", 2025, "每年对下一级人民政府耕地保护责任目标落实情况进行考核", "xj-measures:a14"),
    ],
)
def test_the_next_year_of_a_stated_cycle(corpus, question, value, cycle, unit):
    c = one(question, corpus, TEXT)
    assert c.value == value and f"“{cycle}”" in c.result and c.citation_ids == [unit]
    assert [u.category for u in c.understood][-2:] == ["问题所说的上一次", "原文周期"]


@pytest.mark.parametrize(
    "question",
    [
        "2021年普查过，下一次该哪年",  # nothing says what was surveyed
        "喀什测量标志2021年普查过，2023年又查了，下一次哪年",  # two years: which one the cycle runs from is not said
        "喀什测量标志2021年弄过一次，下次哪年",  # no act the texts give a cycle for
    ],
)
def test_no_next_year_without_one_year_and_one_cycle(corpus, question):
    assert not [c for c in run_rules(question, corpus) if c.rule == TEXT]


def test_a_difference_and_a_ratio_asked_in_two_clauses(corpus):
    found = [c for c in run_rules("巴楚商服用地比交通运输用地多多少亩，是它的几倍", corpus) if c.rule == BACHU]
    # 14.19 − 7.44 = 6.75公顷 (101.25亩); 14.19 ÷ 7.44 = 1.9073…
    assert [c.value for c in found] == [Decimal("6.75"), Decimal("1.9073")] and "101.25亩" in found[0].result
    assert found[1].details["items"] == ["商服用地", "交通运输用地"] and [u.value for u in found[1].understood] == ["商服用地", "交通运输用地"]


@pytest.mark.parametrize(
    ("question", "values"),
    [
        # 表1 采矿权总数 110 → '300以内' (bound 300): 190 more, 300/110 times; 煤炭 5969.6 → 1000万吨
        ("喀什规划采矿权总数2025年比2020年多多少个，是2020年的几倍", [Decimal("190"), Decimal("2.727273")]),
        ("喀什规划煤炭新增资源量2025年是2020年的百分之几，比2020年少多少", [Decimal("16.751541"), Decimal("4969.6")]),
        ("喀什规划煤炭新增资源量2025年是2020年的百分之几", [Decimal("16.751541")]),
    ],
)
def test_two_comparisons_of_one_indicator_in_two_clauses(corpus, question, values):
    assert [c.value for c in run_rules(question, corpus) if c.rule == INDICATORS] == values


def test_a_measure_and_money_compared_between_two_segments(corpus):
    found = [c for c in run_rules("托克拉克防护林伽师段比疏勒段长多少公里，投资差多少", corpus) if c.rule == PROJECTS]
    # 附件1 序号66 伽师段 100公里 5763.44万元; 序号67 疏勒段 20公里 2346.02万元
    assert [c.value for c in found] == [Decimal("80"), Decimal("3417.42")] and "伽师段比疏勒段多3417.42万元" in found[1].result


@pytest.mark.parametrize(
    ("question", "ratio"),
    [
        # 喀什规划: '其中划拨用地1.89万公顷…出让土地1.07万公顷': 1.89 ÷ 1.07, or 1.07 ÷ 1.89 when the clause says so
        ("喀什十四五划拨用地比出让土地多多少公顷，是它的几倍", Decimal("1.766355")),
        ("喀什十四五划拨用地比出让土地多多少公顷，出让土地是划拨用地的百分之几", Decimal("56.613757")),
        ("喀什十四五划拨用地比出让土地多多少公顷，占划拨用地的百分之几", None),  # the difference's share or 出让's: open
        ("喀什十四五划拨用地比出让土地多多少公顷，是划拨用地的百分之几", None),
    ],
)
def test_a_ratio_asked_beside_a_difference_of_stated_figures(corpus, question, ratio):
    found = [c for c in run_rules(question, corpus) if c.rule == TEXT]
    assert found[0].value == Decimal("8200")
    assert [c.value for c in found[1:]] == ([ratio] if ratio is not None else [])


@pytest.mark.parametrize(
    ("question", "values"),
    [
        ("巴楚商服用地比交通运输用地多多少亩，交通运输用地是商服用地的百分之几", [Decimal("6.75"), Decimal("52.4313")]),
        ("巴楚商服用地比交通运输用地多多少亩，占商服用地的百分之几", [Decimal("6.75")]),  # which part of 商服: open
    ],
)
def test_a_bachu_ratio_beside_a_difference_only_when_the_clause_says_which_way(corpus, question, values):
    assert [c.value for c in run_rules(question, corpus) if c.rule == BACHU] == values


def test_a_plan_date_against_a_day_the_question_gives_is_a_plain_count(corpus):
    found = run_rules("今天是2025年3月1日，巴楚供地计划落款多少天了", corpus)
    # 2025-01-08 (落款) to 2025-03-01: the plan period is not what is asked
    assert [(c.rule, c.value) for c in found] == [("date_arithmetic", 52)]


def test_a_plan_date_against_the_period_counts_from_that_date_not_from_today(corpus):
    found = run_rules("今天是2025年3月1日，巴楚供地计划落款那天离计划期结束还有几天", corpus)
    assert [(c.rule, c.value) for c in found] == [("plan.bachu_period", 357)] and found[0].details["as_of"] == "2025-01-08"


@pytest.mark.parametrize(
    ("question", "value", "left"),
    [
        # 喀什规划 第1段 '规划期限为2021-2025年', read as 2021-01-01 .. 2025-12-31 (1826 days), and said so
        ("喀什规划的规划期限一共多少天", 1826, None),
        ("今天是2024年6月1日，喀什十四五规划还有多少天到期", 578, 578),
        ("截至2026年3月1日，喀什十四五规划期满过了多少天", 60, -60),
    ],
)
def test_the_kashgar_plan_period(corpus, question, value, left):
    c = one(question, corpus, "plan.kashgar_period")
    assert c.value == value and c.details.get("days_left") == left and c.citation_ids[0] == "kashgar-plan:p1"
    assert "按2021年1月1日至2025年12月31日理解" in c.result and "规划期限为" in c.result


@pytest.mark.parametrize(
    "question",
    [
        "喀什规划地县两级国土空间总体规划编制完成期限过了没有",  # a task's own date, not the period
        "喀什规划地质灾害发生后几天内要上报",  # another time limit of the plan
    ],
)
def test_the_kashgar_period_stays_out_of_other_dates(corpus, question):
    assert not [c for c in run_rules(question, corpus) if c.rule == "plan.kashgar_period"]


def test_how_many_projects_with_words_between_is_a_count(corpus) -> None:
    # "项目一共有几个": the count asked with words between 项目 and 几个
    found = [c for c in run_rules("喀什附件1里生态修复类项目一共有几个？", corpus) if c.rule == "plan.kashgar_projects"]
    assert found and "共49个" in found[0].result


def test_the_whole_asked_with_a_question_word_before_it_is_no_subset(corpus) -> None:
    # "供应多少国有建设用地" asks the total (383.73公顷), not a land use the plan does not list
    found = [c for c in run_rules("巴楚县2025年计划供应多少国有建设用地？", corpus) if c.rule == "plan.bachu_supply"]
    assert found and not found[0].missing and "383.73" in found[0].result


@pytest.mark.parametrize("question", ["巴楚383.73公顷国有建设用地供应总量合多少亩", "巴楚那383.73公顷供地总量合多少亩"])
def test_the_unit_of_a_figure_is_no_land_use_name(corpus, question):
    # "…公顷国有建设用地" names the total with its figure, not a land use the plan leaves out
    [c] = [c for c in run_rules(question, corpus) if c.rule == "plan.bachu_supply"]
    assert "not_stated" not in c.details and c.value is not None


def test_a_per_mu_average_divides_only_the_kind_of_money_asked(corpus):
    # the sentence that names 土地复垦 states 受益资金 over 调剂指标: no 复垦费 per 亩 can be read from it
    assert not [c for c in run_rules("土地复垦费每亩多少钱", corpus) if c.rule == "text.arithmetic"]
    # naming no kind of money, the same sentence's average is what is asked
    [c] = [c for c in run_rules("喀什增减挂钩跨省调剂平均每亩换回多少钱", corpus) if c.rule == "text.arithmetic"]
    assert c.details["per_unit_wan_yuan"]


def test_a_year_said_as_niandu_is_no_land_use(corpus) -> None:
    from qa.rules.plan_math import unbroken_subsets

    assert unbroken_subsets("巴楚县2025年度国有建设用地供应总量是多少") == []
    assert "保障性住房用地" in unbroken_subsets("巴楚县2025年度保障性住房用地供应多少")


def test_a_table_number_is_no_base_figure_for_a_target_rate(corpus):
    """The 1 of 表1 numbers the table: no rate of 表1 is applied to it ('1 × 60%')."""
    c = one("喀什规划表1中大型及中型以上绿色矿山达标率2025年定的多少", corpus, INDICATORS)
    assert "applied" not in c.details and "×" not in c.result and c.result.endswith("2025年60%")


def test_a_target_rate_is_applied_to_a_count_the_question_states(corpus):
    c = one("我们现有25座大中型矿山，按喀什表1绿色矿山达标率2025年要有几座达标", corpus, INDICATORS)
    assert c.value == Decimal(15) and "25座 × 60% = 15座" in c.result


def test_a_row_named_by_number_is_the_row_asked_about(corpus):
    """附件1第二十项 names one row; 村庄规划 then says what it is, it does not choose the twelve 村庄规划 rows."""
    c = one("附件1第二十项的村庄规划，总金额多少", corpus, PROJECTS)
    assert c.value == Decimal(1005) and c.details["count"] == 1 and c.citation_ids[0] == "kashgar-plan:att1.r20"
    assert c.understood[0].words == "第二十项"


@pytest.mark.parametrize("question", ["自治区土地资源十四五规划的重点工程总共投资多少", "宁夏意见里村庄规划项目总金额多少"])
def test_a_question_naming_another_text_is_not_computed_from_the_project_list(corpus, question):
    assert not [c for c in run_rules(question, corpus) if c.rule == PROJECTS]



def test_the_documents_and_rows_routing_read_are_taken_as_given(corpus):
    """The question analysis passes what routing read; run_rules reads it only when not given."""
    from qa.rules import parse_question

    text = "附件1里村庄规划项目总金额多少"
    assert not [c for c in run_rules(parse_question(text, documents=("xj-plan",)), corpus) if c.rule == PROJECTS]
    given = parse_question(text, documents=(), explicit_ids=("kashgar-plan:att1.r27",))
    assert one(given, corpus, PROJECTS).value == Decimal(435)


def test_a_short_county_name_staff_use_chooses_its_rows(corpus):
    """塔县 is 塔什库尔干县 (the place lexicon's aliases): its one 村庄规划 row, not every county's."""
    c = one("塔县村庄规划项目投资多少", corpus, PROJECTS)
    assert c.value == Decimal(435) and c.citation_ids[0] == "kashgar-plan:att1.r27"


# ------------------------------------------------------------------ two indicators of 表1 taken one against the other

# 表1 as printed: 第1行 耕地保有量 万亩 2020年 719, 第2行 永久基本农田保护面积 万亩 2020年 651.35 (2025年 both "落实自治区下达目标");
# 第3行 城乡建设用地总规模 1379.22平方千米; 第5行 煤炭 5969.6 → 1000万吨; 第6行 铁 3.32 → 2亿吨; 第7行 铅锌矿 160.1 → 30万吨;
# 第13行 矿种“三率”指标达标率 2025年 95%, 第15行 绿色矿山达标率 2025年 60% (both 2020年 "——")
@pytest.mark.parametrize(
    ("question", "value", "said"),
    [
        # 651.35 ÷ 719 = 0.905911…: the 2020 column is the only one where both cells hold a figure
        ("喀什表1里永久基本农田保护面积占耕地保有量的百分之几？", "90.5911", "“永久基本农田保护面积”651.35万亩占“耕地保有量”719万亩的约90.59%"),
        # the whole named first, the part inside it ('B里A占多少')
        ("喀什表1耕地保有量里永久基本农田保护面积占多少", "90.5911", "占“耕地保有量”719万亩的约90.59%"),
        ("喀什表1永久基本农田保护面积是耕地保有量的几成", "9.0591", "9.06成（约90.59%）"),
        # 719 − 651.35
        ("喀什2020年耕地保有量比永久基本农田保护面积多多少万亩？", "67.65", "“耕地保有量”719万亩比“永久基本农田保护面积”651.35万亩多67.65万亩"),
        ("喀什2020年永久基本农田保护面积比耕地保有量少多少", "67.65", "“永久基本农田保护面积”651.35万亩比“耕地保有量”719万亩少67.65万亩"),
        ("和永久基本农田保护面积相比，喀什表1耕地保有量多多少", "67.65", "“耕地保有量”719万亩比“永久基本农田保护面积”651.35万亩多67.65万亩"),
        # no direction said: the larger over the smaller; 67.65万亩 = 676500亩 = 45100公顷
        ("喀什表1永久基本农田保护面积和耕地保有量相差多少公顷", "67.65", "多67.65万亩（合45100公顷）"),
        # 719 ÷ 651.35 = 1.103861…
        ("喀什表1里耕地保有量是永久基本农田保护面积的几倍", "1.1039", "的约1.1039倍"),
        # units converted by the area conversions: 719万亩 = 7190000 ÷ 1500 平方千米 = 4793.33…; 1379.22 ÷ 4793.33… = 0.287737…
        ("喀什表1中城乡建设用地总规模占耕地保有量的百分之几", "28.7737", "“耕地保有量”719万亩（合约4793.3333平方千米）的约28.77%"),
        # two rates: a difference in percentage points, from the 2025 column
        ("喀什2025年矿种三率指标达标率比绿色矿山达标率高多少个百分点", "35", "95%比“大型及中型以上绿色矿山达标率”60%高35个百分点"),
        ("喀什2025年煤炭新增资源量是铅锌矿新增资源量的几倍", "33.3333", "1000万吨是“主要矿种新增资源量（铅锌矿）”30万吨的约33.3333倍"),
    ],
)
def test_two_indicators_of_table1_taken_one_against_the_other(corpus, question, value, said):
    comps = run_rules(question, corpus)
    c = one(question, corpus, INDICATORS)
    assert c.value == Decimal(value) and not c.missing and said in c.result
    assert not [x for x in comps if x.rule == "text.arithmetic"]  # not the text's 耕地98.02万公顷 or 43.42万公顷
    assert "kashgar-plan:c1.s1.p3" not in c.citation_ids and set(c.citation_ids) >= {"kashgar-plan:t1"}
    assert [u.words for u in c.understood][-1] in ("（未说年份）", "2020年", "2025年")


def test_the_pair_shows_its_inputs_formula_and_rows(corpus):
    c = one("喀什表1里永久基本农田保护面积占耕地保有量的百分之几？", corpus, INDICATORS)
    assert c.formula == "占比 = 部分 ÷ 整体 × 100% = 651.35 ÷ 719 × 100% = 约90.5911%"
    assert [(u.value, u.basis) for u in c.understood[:2]] == [("永久基本农田保护面积", "表1第2行"), ("耕地保有量", "表1第1行")]
    assert "部分" in c.understood[0].category and "整体" in c.understood[1].category and c.understood[2].value == "2020年"
    assert {"kashgar-plan:t1.r1", "kashgar-plan:t1.r2"} <= set(c.citation_ids) and "43.42万公顷" not in c.result


@pytest.mark.parametrize(
    ("question", "stop"),
    [
        # the 2025 column of both rows is "落实自治区下达目标": no figure, so no difference
        ("喀什2025年耕地保有量比永久基本农田保护面积多多少万亩？", "2025年“耕地保有量”（该栏写“落实自治区下达目标”）"),
        ("喀什十四五规划2025年永久基本农田保护面积占耕地保有量的比例是多少", "2025年“永久基本农田保护面积”（该栏写“落实自治区下达目标”）"),
        ("喀什2020年矿种三率指标达标率比绿色矿山达标率高多少个百分点", "2020年“大型及中型以上绿色矿山达标率”（该栏写“——”）"),
        # 万吨 and 亿吨 (the project converts areas only), % and 平方千米: never mixed
        ("喀什表1煤炭新增资源量是铁新增资源量的几倍", "单位是万吨，“主要矿种新增资源量（铁）”的单位是亿吨"),
        ("喀什表1城乡建设用地总规模是单位GDP建设用地使用面积下降率的几倍", "单位是平方千米，“单位GDP建设用地使用面积下降率”的单位是%"),
        # a rate is no part of another rate
        ("喀什表1绿色矿山达标率占矿种三率指标达标率的百分之几", "都是比率（%）"),
    ],
)
def test_two_indicators_without_comparable_figures_give_no_number(corpus, question, stop):
    comps = run_rules(question, corpus)
    c = one(question, corpus, INDICATORS)
    assert c.value is None and c.missing == ["value"] and stop in c.result and c.unbound
    assert not [x for x in comps if x.value is not None]


def test_two_indicators_with_figures_in_both_columns_and_no_year_give_both_readings(corpus):
    c = one("喀什表1煤炭新增资源量是铅锌矿新增资源量的几倍", corpus, INDICATORS)
    # 5969.6 ÷ 160.1 = 37.2867…, 1000 ÷ 30 = 33.33…: which year is not said, so no single number
    assert c.value is None and "2020年栏" in c.result and "约37.2867倍" in c.result and "约33.3333倍" in c.result


def test_a_difference_and_a_share_of_the_pair_in_two_clauses(corpus):
    found = [c for c in run_rules("喀什2020年耕地保有量比永久基本农田保护面积多多少万亩，后者占前者百分之几", corpus) if c.rule == INDICATORS]
    assert [c.value for c in found] == [Decimal("67.65"), Decimal("90.5911")]


@pytest.mark.parametrize(
    ("question", "value", "said"),
    [
        # 三、（二）: 住宅用地32.29公顷, 商服用地14.19公顷
        ("巴楚县2025年住宅用地是商服用地的几倍？", "2.2755", "住宅用地32.29公顷是商服用地14.19公顷的约2.28倍"),
        ("巴楚2025年商服用地占住宅用地的百分之几？", "43.9455", "商服用地14.19公顷是住宅用地32.29公顷的约43.95%"),
        ("巴楚县供地计划中，住宅用地与商服用地之比是多少？", "2.2755", "之比为32.29:14.19，即约2.28:1"),
        ("和商服用地相比，巴楚县住宅用地多多少公顷", "18.1", "住宅用地32.29公顷比商服用地14.19公顷多18.1公顷"),
    ],
)
def test_bachu_two_land_uses_taken_one_against_the_other(corpus, question, value, said):
    c = one(question, corpus, BACHU)
    assert c.value == Decimal(value) and said in c.result


def test_the_askers_own_county_unnamed_sums_no_county(corpus) -> None:
    # "我县": which county is not said; the list's counties are not summed for it (was 11 counties' 村庄规划 rows)
    [comp] = [c for c in run_rules("我县村庄规划项目投资多少", corpus) if c.rule == "plan.kashgar_projects"]
    assert comp.value is None and comp.missing == ["county"] and "我县" in comp.result
    [named] = [c for c in run_rules("巴楚县村庄规划项目投资多少", corpus) if c.rule == "plan.kashgar_projects"]
    assert "1755万元" in named.result


# ------------------------------------------------------------------ a comparison with a year no figure is printed for

@pytest.mark.parametrize(
    ("question", "years"),
    [
        ("巴楚2025年住宅用地比去年多供多少", [2024]),
        ("巴楚县2025年国有建设用地供应总量，比上一年呢", [2024]),
        ("巴楚2025年商服用地比2024年多多少公顷", [2024]),
        ("巴楚县供地计划工矿仓储用地同比增加多少", [2024]),  # no year named: read against the plan's own year
        ("巴楚2025年供地总量比前年少了多少亩", [2023]),
    ],
)
def test_bachu_compared_with_a_year_the_plan_prints_no_figure_for_gives_no_number(corpus, question, years):
    c = one(question, corpus, BACHU)
    assert c.value is None and c.missing == ["value"] and c.details["not_stated"] == {"years": years}
    assert f"{years[0]}年的数字文件没有写" in c.result and "不给出差数" in c.result
    assert not re.search(r"比.{0,6}(多|少)\d", c.result)  # no difference is printed


@pytest.mark.parametrize(
    ("question", "year"),
    [
        ("喀什规划采矿权总数2025年比2023年多多少个", 2023),
        ("喀什表1城乡建设用地总规模比去年增加多少", 2024),
        ("喀什十四五规划2022年的采矿权总数比上一年多几个", 2021),
    ],
)
def test_indicators_compared_with_a_year_without_a_column_give_no_number(corpus, question, year):
    c = one(question, corpus, INDICATORS)
    assert c.value is None and c.missing == ["value"] and "的数字文件没有写" in c.result and "不给出差数" in c.result
    assert all(year in v["years"] for v in c.details["not_stated"].values())


def test_the_columns_the_table_prints_still_compare(corpus):
    assert one("喀什规划采矿权总数2025年比2020年多多少个", corpus, INDICATORS).value == Decimal(190)
    assert one("喀什2020年与2025年相比采矿权总数变化多少", corpus, INDICATORS).value == Decimal(190)


def test_a_relative_year_is_read_against_the_year_the_question_names_never_today():
    assert [(c.year, c.anchor, c.assumed) for c in compared_years("2021年比去年多多少", 2025)] == [(2020, 2021, False)]
    assert [(c.year, c.assumed) for c in compared_years("比前年少多少", 2025)] == [(2023, True)]
    assert [c.year for c in compared_years("与2023年相比多多少", 2025)] == [2023]
    assert compared_years("住宅用地比商服用地多多少，按同比例折算", 2025) == []
