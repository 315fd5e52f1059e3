"""附件1 rows as staff name them (a family of several words, enumerated segments), each measure asked, per-unit averages."""
from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qa.rules import run_rules
from qa.rules.project_rows import counts_of, county_of, naming, stated_counts

PROJECTS = "plan.kashgar_projects"
SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def comps(question, corpus):
    return [c for c in run_rules(question, corpus) if c.rule == PROJECTS]


def one(question, corpus):
    found = comps(question, corpus)
    assert len(found) == 1, [c.result for c in found]
    return found[0]


def rows_of(c) -> set[str]:
    """序号 of the rows a computation summed (its cited table rows)."""
    return {uid.rsplit(".r", 1)[1] for uid in c.citation_ids if ".r" in uid}


# the three 环托克拉克沙漠边缘 segments as printed in 附件1: 序号, km, 亩, 万元
SEGMENTS = {"伽师": ("66", 100, 20000, "5763.44"), "疏勒": ("67", 20, 8000, "2346.02"), "巴楚": ("68", 60, 12000, "3480.93")}


@pytest.mark.parametrize(
    ("question", "rows", "value"),
    [
        # a place-name phrase + 防护林: 序号50 (荒漠绿洲交错带防护林, 巴楚) and 93 (经济型生态防护林, 巴楚) share only 防护林
        ("环托克拉克沙漠边缘的几段防护林工程长度合计多少？", {"66", "67", "68"}, "180"),
        ("喀什规划附件1环托克拉克沙漠边缘防护林生态修复工程（伽师段、疏勒段、巴楚段）总投资多少？", {"66", "67", "68"}, "11590.39"),
        ("托克拉克沙漠边缘防护林伽师段和疏勒段一共多长", {"66", "67"}, "120"),
        ("巴楚段的防护林有多长", {"68"}, "60"),
        ("巴楚县环托克拉克沙漠边缘防护林投资多少", {"68"}, "3480.93"),
        ("附件1防护林工程（伽师、疏勒）投资合计", {"66", "67"}, "8109.46"),
    ],
)
def test_a_row_must_carry_every_naming_word(corpus, question, rows, value):
    c = one(question, corpus)
    assert c.value == Decimal(value)
    assert rows_of(c) - {""} >= rows and not rows_of(c) & {"50", "93"}


def test_rows_sharing_only_a_generic_word_are_named_as_left_out(corpus):
    c = one("巴楚县环托克拉克沙漠边缘防护林投资多少", corpus)
    assert any("未计入" in w and "序号50" in w and "序号93" in w for w in c.warnings)


def test_no_row_with_every_naming_word_lists_candidates_without_a_total(corpus):
    c = one("托克拉克沙漠荒漠绿洲防护林投资多少", corpus)
    assert c.value is None and c.unbound and "不给出合计" in c.result
    assert {"kashgar-plan:att1.r50", "kashgar-plan:att1.r66"} <= set(c.details["candidates"])


def test_each_measure_asked_gets_its_own_sum(corpus):
    found = comps("喀什十四五环托克拉克沙漠边缘防护林工程长度和面积加起来各是多少", corpus)
    assert [(c.details["unit"], c.value) for c in found] == [("公里", Decimal(180)), ("亩", Decimal(40000))]
    assert "4万亩" in found[1].result


def test_a_length_total_is_not_a_money_total(corpus):
    """'合计' beside a measure asks for the measure: no 万元 figure in place of the length."""
    c = one("环托克拉克沙漠边缘的几段防护林工程长度合计多少？", corpus)
    assert c.details["unit"] == "公里" and "万元" not in c.result


@pytest.mark.parametrize(
    ("question", "value", "formula"),
    [
        ("喀什规划巴楚县乡镇国土空间规划编制项目平均每个乡镇多少钱", "65", "715万元 ÷ 11 = 65万元"),
        ("十二个县市的乡镇国土空间规划编制项目平均每个乡镇多少钱", "65", "9555万元 ÷ 147 = 65万元"),
        ("喀什附件1巴楚县村庄规划编制项目平均每个编制单元多少钱", "13", "1755万元 ÷ 135 = 13万元"),
        ("泽普县村庄规划编制项目平均到每个村庄规划编制单元多少钱", "15", "1005万元 ÷ 67 = 15万元"),
        ("喀什附件1克孜河治理工程十四五期间平均每年投多少", "22563.7068", "112818.534万元 ÷ 5年"),
        ("巴楚县乡镇国土空间规划编制项目11个乡镇，平均每个乡镇多少钱", "65", "715万元 ÷ 11 = 65万元"),
    ],
)
def test_per_unit_averages(corpus, question, value, formula):
    c = one(question, corpus)
    assert c.value == Decimal(value) and formula in c.formula and not c.missing
    assert c.understood  # the count as read, before the number


@pytest.mark.parametrize(
    ("question", "why"),
    [
        # 现有行政村196个 and 需编制181个村: which village count is meant is not said
        ("喀什附件1巴楚县村庄规划编制项目平均每个村多少钱", "不能确定"),
        ("疏附县村庄规划编制项目平均每个编制单元多少钱", "未列总金额"),
        ("喀什附件1巴楚县村庄规划编制项目平均每个乡镇多少钱", "没有写乡镇的个数"),
        ("巴楚县乡镇国土空间规划编制项目12个乡镇，平均每个乡镇多少钱", "问题说12个乡镇"),
    ],
)
def test_an_average_without_a_bound_count_asks_instead_of_printing_another_figure(corpus, question, why):
    c = one(question, corpus)
    assert c.value is None and c.missing == ["count"] and why in c.result
    assert "合计" not in c.result  # no county total presented as the answer


@SETTINGS
@given(st.sets(st.sampled_from(sorted(SEGMENTS)), min_size=1))
def test_enumerated_segments_add_up(corpus, chosen):
    """The sum over the segments a question enumerates equals the sum of each segment asked alone."""
    names = "、".join(f"{s}段" for s in sorted(chosen))
    length = one(f"环托克拉克沙漠边缘防护林（{names}）长度合计多少", corpus)
    money = one(f"环托克拉克沙漠边缘防护林（{names}）投资合计多少", corpus)
    assert length.value == sum(Decimal(SEGMENTS[s][1]) for s in chosen)
    assert money.value == sum(Decimal(SEGMENTS[s][3]) for s in chosen)
    alone = [one(f"环托克拉克沙漠边缘防护林{s}段投资多少", corpus).value for s in chosen]
    assert money.value == sum(v for v in alone if v is not None)


@pytest.mark.parametrize(
    ("question", "groups", "segments", "places"),
    [
        # the county inside a printed piece is the group's county, not one of its words
        ("巴楚县防沙治沙和经济型生态防护林两个项目一共投多少", [["防沙治沙"], ["经济型生态防护林"]], [], ["巴楚县", ""]),
        ("环托克拉克沙漠边缘（伽师段、疏勒段）防护林多长", [["环托克拉克沙漠边缘", "防护林"]], ["伽师段", "疏勒段"], [""]),
        ("附件里退化草地（灌草地）保护修复项目一共多少钱", [["退化草地"], ["灌草地"]], [], ["", ""]),
        ("盐碱耕地综合整治项目（岳普湖县）共投多少钱", [["盐碱耕地综合整治项目"]], [], ["岳普湖县"]),
        # a county standing apart from every family is shared by all of them
        ("疏勒县跟巴楚县的盐碱耕地综合整治项目合计", [["盐碱耕地综合整治项目"]], [], [""]),
        # examples closed by a filler are no segments; segments the names print stay segments
        ("历史遗留废弃矿山生态修复项目（粘土矿、采砂坑之类的）一共多少钱", [["历史遗留废弃矿山生态修复项目"]], [], [""]),
        ("环托克拉克沙漠边缘防护林（伽师段、巴楚段等）投资合计", [["环托克拉克沙漠边缘", "防护林"]], ["伽师段", "巴楚段"], [""]),
    ],
)
def test_naming(corpus, question, groups, segments, places):
    names = [r.cells["项目名称"] + "｜" + r.cells["类别"] for r in corpus.table("kashgar-plan:att1").rows]
    got = naming(question, names)
    assert got.groups == groups and got.segments == segments and got.places == places


@pytest.mark.parametrize(
    ("question", "rows", "value"),
    [
        # 岳普湖县 has two 盐碱耕地 rows, printed '岳普湖县盐碱…' (99) and '盐碱…（岳普湖县）' (97): however the county is said
        ("岳普湖县盐碱耕地综合整治项目合计投资多少万元", {"97", "99"}, "17639.59"),
        ("盐碱耕地综合整治项目（岳普湖县）共投多少钱", {"97", "99"}, "17639.59"),
        ("岳普湖的盐碱耕地综合整治项目一共多少钱", {"97", "99"}, "17639.59"),
        # a county with one such row still gets that row only
        ("疏勒县盐碱耕地综合整治项目投了多少钱", {"102"}, "27673.23"),
        # each family keeps to the county said beside it: not 岳普湖's 盐碱 rows, not 巴楚's 废弃耕地 row
        ("巴楚县盐碱耕地综合整治项目和岳普湖县废弃耕地生态修复项目加起来多少钱", {"98", "104"}, "17697.09"),
        # a county said apart from the family: every row of the family in either county
        ("疏勒县跟巴楚县的盐碱耕地综合整治项目合计", {"98", "102"}, "41606.69"),
    ],
)
def test_a_county_inside_a_name_chooses_by_the_project_unit(corpus, question, rows, value):
    c = one(question, corpus)
    assert c.value == Decimal(value) and rows_of(c) - {""} == rows


@pytest.mark.parametrize(
    "question",
    [
        "巴楚县那几个历史遗留废弃矿山生态修复项目（粘土矿、采砂坑那些）总共投多少钱",
        "巴楚县历史遗留废弃矿山生态修复项目（废弃粘土矿等）投资加起来多少",
        "巴楚的历史遗留废弃矿山生态修复项目（像采砂坑这些）合计多少万元",
    ],
)
def test_bracketed_examples_with_a_filler_do_not_narrow_the_family(corpus, question):
    c = one(question, corpus)
    assert c.value == Decimal(1060) and rows_of(c) - {""} == {"78", "79", "80", "81", "82", "83"}


@pytest.mark.parametrize(
    ("question", "value", "unit_filter"),
    [
        ("附件1里项目单位是巴楚县自然资源局的项目加起来多少钱", "127693.85", False),
        ("巴楚县自然资源局承担的附件1项目总投资是多少", "127693.85", False),
        ("项目单位为喀什地区自然资源局的项目一共多少钱", "944.92", True),
    ],
)
def test_the_project_unit_chooses_rows_and_names_no_family(corpus, question, value, unit_filter):
    c = one(question, corpus)
    assert c.value == Decimal(value) and not c.missing and "unnamed" not in c.details
    assert ("项目单位为" in c.inputs["筛选"]) == unit_filter
    assert c.value == one("附件1里巴楚县的项目总金额合计", corpus).value or unit_filter


def test_counts_stated_in_a_description():
    text = "现有行政村196个，需编制181个村（其中单独编制105个、合并编制76个），实际有135个村庄规划编制单元。"
    assert {(c.value, c.noun) for c in counts_of("村", text)} == {(181, "村"), (196, "行政村")}
    assert [(c.value, c.noun) for c in counts_of("编制单元", text)] == [(135, "村庄规划编制单元")]
    assert counts_of("村庄", text) == []  # 村庄 is not 村, and not 村庄规划编制单元
    assert [(c.value, c.noun) for c in stated_counts("有序推进岳普湖乡、阿其克乡、艾西曼镇等7个乡镇国土空间规划编制项目")] == [(7, "乡镇")]


@pytest.mark.parametrize(
    ("question", "value", "missing"),
    [
        # the question states twelve counties and the twelve projects belong to twelve counties
        ("十二个县市乡镇国土空间规划编制项目平均每个县多少钱", "796.25", []),
        # 生态修复类 projects belong to 7 counties of 12: over which is not said
        ("喀什项目清单生态修复类平均每个县多少钱", None, ["count"]),
        # 11590.39万元 over 2万 + 8000 + 12000亩
        ("环托克拉克沙漠边缘防护林工程平均每亩多少钱", "0.289760", []),
        # one of 巴楚's 18 projects has no amount: the average over all 18 is not stated
        ("巴楚县的项目平均每个多少钱", None, ["amount"]),
        ("巴楚县防沙治沙项目平均每个多少钱", "11921.74", []),
    ],
)
def test_averages_per_county_area_and_project(corpus, question, value, missing):
    c = one(question, corpus)
    assert c.value == (Decimal(value) if value else None) and c.missing == missing


def test_an_amount_the_list_leaves_blank_is_not_stated(corpus):
    c = one("喀什附件里12个县市增减挂钩那个项目总投资多少", corpus)
    assert c.value is None and c.missing == ["value"] and c.details["not_stated"] == "amount"


def test_the_rows_an_answer_rests_on_are_cited_first(corpus):
    c = one("喀什附件里巴楚县那几个历史遗留废弃矿山修复项目加起来投资多少", corpus)
    assert c.citation_ids[0].startswith("kashgar-plan:att1.r") and c.citation_ids[-1] == "kashgar-plan:att1"
    assert one("喀什十四五项目清单里单个投资最大的是哪个项目", corpus).citation_ids[0] == "kashgar-plan:att1.r51"


@pytest.mark.parametrize(
    ("question", "word"),
    [
        ("喀什十四五项目清单村级规划项目有几个，金额多少", "村级"),  # not the whole list's total
        ("附件1防风林工程（伽师、疏勒）投资合计", "防风林"),  # not every 伽师 and 疏勒 project
        ("巴楚县光伏项目投资多少", "光伏"),  # not every 巴楚 project
    ],
)
def test_a_family_the_list_does_not_have_chooses_no_rows(corpus, question, word):
    c = one(question, corpus)
    assert c.value is None and c.missing == ["value"] and c.details["unnamed"] == [word]


@pytest.mark.parametrize(
    "question",
    ["巴楚县乡镇国土空间规划编制项目每个乡镇摊多少钱", "巴楚县乡镇国土空间规划编制项目一个乡镇平均多少钱"],
)
def test_an_average_said_otherwise_is_still_an_average(corpus, question):
    c = one(question, corpus)
    assert c.value == Decimal(65) and c.details["per"] == "乡镇"


@pytest.mark.parametrize(
    ("question", "value"),
    [
        ("克孜河治理工程2021年到2025年平均每年投多少", "22563.7068"),  # both years counted: 5
        ("喀什附件克孜河治理工程平均到三年每年多少钱", "37606.178"),
        ("喀什附件克孜河治理工程2025年平均每年投多少", None),  # a calendar year is not a number of years
    ],
)
def test_years_an_average_is_taken_over(corpus, question, value):
    c = one(question, corpus)
    assert c.value == (Decimal(value) if value else None) and (c.missing == [] if value else c.missing == ["count"])


@pytest.mark.parametrize(
    ("question", "value"),
    [
        ("巴楚县的两个防护林项目一共多少钱", None),  # three 巴楚 rows name 防护林: which two is not said
        ("环托克拉克沙漠边缘两段防护林一共多长", None),
        ("环托克拉克沙漠边缘三段防护林一共多长", "180"),
        ("英吉沙县5个废弃砂石矿治理项目一共多少钱", "2885"),
    ],
)
def test_the_number_of_projects_the_question_states_must_match(corpus, question, value):
    c = one(question, corpus)
    assert c.value == (Decimal(value) if value else None)
    if value is None:
        assert c.unbound and "不给出合计" in c.result


@pytest.mark.parametrize(
    ("question", "value"),
    [
        ("环托克拉克沙漠边缘防护林伽师段比疏勒段长多少公里", "80"),  # 100km − 20km, never 120 added
        ("环托克拉克沙漠边缘防护林巴楚段比伽师段面积少多少亩", "8000"),  # 12000亩 − 2万亩
        ("环托克拉克沙漠边缘防护林伽师段比疏勒段多投资多少", "3417.42"),
        ("喀什附件防护林巴楚县比伽师县长多少", None),  # 序号93 (巴楚) states no length
    ],
)
def test_a_difference_between_two_segments_or_counties(corpus, question, value):
    c = one(question, corpus)
    assert c.value == (Decimal(value) if value else None)
    if value is None:
        assert c.missing == ["value"]


@pytest.mark.parametrize(
    ("question", "value"),
    [
        ("喀什附件里克孜河巴楚段比疏附段多投资多少", "8545.186"),  # 11828.58 − 3283.394: the family 克孜河 applies to both
        ("喀什附件巴楚县防沙治沙项目比经济型生态防护林多投资多少", "13214.5"),  # two named families of one county
        ("喀什附件巴楚县项目比去年多投资多少", None),  # no second side: no total printed as the difference
    ],
)
def test_amounts_compared_between_two_named_sides(corpus, question, value):
    c = one(question, corpus)
    assert c.value == (Decimal(value) if value else None)


COUNTIES = ["喀什市", "疏附", "疏勒", "英吉沙", "泽普", "莎车", "叶城", "麦盖提", "岳普湖", "伽师", "巴楚"]


@SETTINGS
@given(st.lists(st.sampled_from(COUNTIES), min_size=2, max_size=4, unique=True))
def test_counties_named_together_sum_to_each_county_alone(corpus, chosen):
    """'疏附、伽师和巴楚的生态修复项目一共投资多少' equals the three counties asked one by one."""
    together = one(f"喀什附件1里{'、'.join(chosen[:-1])}和{chosen[-1]}的生态修复项目一共投资多少", corpus)
    alone = [one(f"喀什附件1里{c}的生态修复项目一共投资多少", corpus) for c in chosen]
    values = [c.value for c in alone if c.value is not None]
    assert together.value == (sum(values, Decimal(0)) if values else None)  # a county without such projects adds nothing
    assert together.details["count"] == sum(c.details["count"] for c in alone)


def test_a_reference_number_is_not_a_count_of_projects(corpus):
    """'附件1项目清单' names the list: its 1 is not 'one project'."""
    assert one("喀什附件1项目清单里巴楚县的项目总金额多少", corpus).details["count"] == 18


def test_a_project_family_asked_without_the_word_project(corpus):
    """'克孜河' is also in the plan's text, but nothing there is summed: the list answers."""
    assert one("克孜河治理投资多少", corpus).value == Decimal("112818.534")
    assert not comps("喀什增减挂钩跨省调剂平均每亩换回多少钱", corpus)  # an average over a sentence of the plan's text


# ------------------------------------------------------------------ an operation over computed averages

@pytest.mark.parametrize(
    ("question", "averages", "value", "more"),
    [
        # 序号26 巴楚 1755万元 ÷ 135个编制单元 = 13; 序号21 莎车 3645 ÷ 243 = 15; 序号25 伽师 1965 ÷ 131 = 15
        ("巴楚和莎车的村庄规划编制项目平均每个编制单元各多少钱，差多少？", {"巴楚县": "13", "莎车县": "15"}, Decimal(2), "巴楚县比莎车县少2万元"),
        ("莎车比巴楚的村庄规划编制项目平均每个编制单元多多少钱", {"莎车县": "15", "巴楚县": "13"}, Decimal(2), "莎车县比巴楚县多2万元"),
        ("伽师和莎车村庄规划编制项目平均每个编制单元相差多少", {"伽师县": "15", "莎车县": "15"}, Decimal(0), "伽师县比莎车县多0万元"),
    ],
)
def test_the_difference_of_two_averages(corpus, question, averages, value, more):
    c = one(question, corpus)
    assert c.value == value and c.details["averages_wan_yuan"] == averages and more in c.result
    assert [u.words for u in c.understood if u.category.endswith("的平均数")] == list(averages)
    assert {"21", "26"} & rows_of(c)


def test_each_average_without_a_difference_is_one_computation_per_side(corpus):
    found = comps("巴楚和莎车的村庄规划编制项目平均每个编制单元各多少钱", corpus)
    assert [c.value for c in found] == [Decimal(13), Decimal(15)]


def test_no_difference_when_one_side_has_no_average(corpus):
    # 序号17 疏附县村庄规划编制项目 has no 总金额: its average is unknown, so is the difference
    c = one("巴楚和疏附的村庄规划编制项目平均每个编制单元差多少", corpus)
    assert c.value is None and c.missing == ["value"] and "序号17" in c.result and c.unbound == ["疏附县的平均数"]


def test_a_counted_noun_ends_where_what_is_done_to_it_begins() -> None:
    from qa.rules.project_rows import cell_figures

    [figure] = cell_figures("西合休乡9个村地质灾害隐患治理。")
    assert figure.noun == "村"  # nine villages, not nine hazard points


def test_hazard_points_are_not_summed_from_a_count_of_villages(corpus) -> None:
    # 附件1 writes "…9个村地质灾害隐患治理": villages; the plan's text states the points to survey and treat
    found = comps("喀什规划里要治理多少处地质灾害", corpus)
    assert not any(c.value is not None for c in found)


@pytest.mark.parametrize(
    ("printed", "abbreviated"),
    [
        # a staff abbreviation of the family's name (国空 for 国土空间) and a staff word for its kind (防风林 for 防护林)
        ("喀什各县市乡镇国土空间规划编制项目一共投资多少", "喀什各县市乡镇国空规划编制项目一共投资多少"),
        ("巴楚县经济型生态防护林项目投资多少", "巴楚县经济型生态防风林项目投资多少"),
    ],
)
def test_the_filter_reads_the_same_however_the_family_is_named(corpus, printed, abbreviated):
    """The filter is shown as far as every chosen row prints it, so the sentence does not echo a fragment of an
    abbreviation ('含“乡镇国”')."""
    a, b = one(printed, corpus), one(abbreviated, corpus)
    assert (a.value, a.result, rows_of(a)) == (b.value, b.result, rows_of(b))
    assert "“乡镇国”" not in b.result and "“经济型生态防”" not in b.result


def test_a_county_the_list_does_not_cover_has_no_rows(corpus):
    # 阿合奇 is in 新疆 but not in 喀什地区: nothing of the list is summed for it
    c = one("阿合奇县在喀什规划附件1里的村庄规划编制项目一共投多少钱", corpus)
    assert c.value is None and "阿合奇" in c.result and "不给出合计" in c.result


# ------------------------------------------------------------------ which county (or 大类) has the most

def test_the_county_with_the_most_rows_of_a_family_is_named(corpus):
    c = one("附件1的土地综合整治类项目哪个县最多", corpus)
    # 岳普湖县 97、99、104; the row of several counties is listed apart, not ranked
    assert c.value == Decimal(3) and c.details["winners"] == ["岳普湖县"] and "未分到单个县市" in c.result
    assert {"97", "99", "104"} <= rows_of(c)


def test_the_fewest_says_the_counties_with_none(corpus):
    c = one("附件1里哪个县的历史遗留废弃矿山项目最少", corpus)
    assert c.details["winners"] == ["岳普湖县"] and "有此类项目的县市中" in c.result and "没有此类项目" in c.result


def test_the_largest_amount_by_county_leaves_out_counties_without_amounts(corpus):
    c = one("喀什附件1村庄规划编制项目哪个县投资最大", corpus)
    # 莎车县 序号21 3645万元; six counties' rows list no amount: not ranked as 0万元
    assert c.value == Decimal("3645") and c.details["winners"] == ["莎车县"] and "不参与比较" in c.result
    assert c.details["measure"] == "amount" and "叶城县0万元" not in c.result


def test_a_total_asked_without_a_unit_is_the_amount(corpus):
    # 英吉沙县 序号69–73: 565 + 520 + 750 + 550 + 500 = 2885万元
    c = one("英吉沙县的历史遗留废弃矿山修复项目总共多少", corpus)
    assert c.value == Decimal("2885") and any("总金额" in w for w in c.warnings)
    # asked in a unit of area, it is no sum of money
    assert Decimal("2885") not in [x.value for x in comps("英吉沙县的历史遗留废弃矿山修复项目总共多少亩", corpus)]


# ------------------------------------------------------------------ a count asked is the number of rows, never the money

def county_rows(corpus, county: str) -> tuple[int, Decimal]:
    """How many 附件1 rows belong to the county by their 项目单位, and the amounts they list."""
    rows = [r for r in corpus.table("kashgar-plan:att1").rows if county_of(r.cells) == county]
    return len(rows), sum((Decimal(r.cells["总金额（万元）"]) for r in rows if r.cells["总金额（万元）"]), Decimal(0))


@pytest.mark.parametrize(
    ("question", "county"),
    [
        ("巴楚县附件1里的项目总共多少个", "巴楚县"),
        ("伽师县附件1里一共几个项目", "伽师县"),
        ("附件1中疏勒县的项目数是多少", "疏勒县"),
        ("喀什项目清单叶城县的项目加起来有几个？", "叶城县"),
        ("莎车县一共有几项项目", "莎车县"),
        ("喀什附件1疏附县的项目合计多少个呢", "疏附县"),
    ],
)
def test_a_count_asked_is_the_number_of_rows(corpus, question, county):
    n, amount = county_rows(corpus, county)
    c = one(question, corpus)
    assert c.value == Decimal(n) and c.details["measure"] == "count" and f"共{n}个" in c.result
    assert amount != n and c.value != amount  # the amount may be said beside the count, never as its value


def test_a_count_and_an_amount_asked_together_are_two_values_in_the_order_asked(corpus):
    n, amount = county_rows(corpus, "泽普县")
    money, count = comps("泽普县的项目投资多少，有几个项目", corpus)
    assert (money.value, count.value) == (amount, Decimal(n))
    count, money = comps("泽普县附件1有几个项目，总金额多少", corpus)
    assert (money.value, count.value) == (amount, Decimal(n))


def test_a_difference_of_counts_is_counted_even_beside_a_word_of_totals(corpus):
    # '合计' says how the rows are taken, it asks no money
    a, _ = county_rows(corpus, "巴楚县")
    b, _ = county_rows(corpus, "伽师县")
    c = one("附件1巴楚县比伽师县合计多几个项目", corpus)
    assert c.value == Decimal(a - b) and c.details["counts"] == {"巴楚县": a, "伽师县": b}


@pytest.mark.parametrize(
    "question",
    [
        "巴楚县村庄规划编制项目实际有多少个编制单元",  # a count of units a row describes, not of rows, nor its amount
        "附件1里巴楚县哪几个项目是防沙治沙的",  # asks which
    ],
)
def test_a_count_of_something_else_is_no_count_of_rows_and_no_amount(corpus, question):
    for c in comps(question, corpus):
        assert c.details.get("measure") != "count" and c.value != Decimal("1755")


@pytest.mark.parametrize(
    ("question", "rows", "value"),
    [
        # 序号91 英吉沙县防沙治沙工程 12183.92 + 序号93 巴楚县经济型生态防护林屏障建设 25136.24
        ("附件1里英吉沙县防沙治沙工程，还有巴楚那个经济型防护林屏障，两个合计投资多少万元", {"91", "93"}, "37320.16"),
        # 序号50 巴楚县荒漠绿洲交错带防护林 + 序号91 英吉沙县防沙治沙工程, asked as two sentences
        ("附件1荒漠绿洲交错带防护林？英吉沙县防沙治沙工程？加起来多少钱", {"50", "91"}, None),
    ],
)
def test_two_projects_each_named_in_its_own_clause_are_summed(corpus, question, rows, value):
    """Words of two clauses name no row together; each clause's words name a project, and the two are added."""
    c = one(question, corpus)
    assert c.value is not None and rows_of(c) - {""} == rows
    if value is not None:
        assert c.value == Decimal(value)


def test_clause_words_naming_no_row_keep_the_question_uncertain(corpus):
    """One clause names a project, the other names nothing the list prints with it: no total is guessed."""
    c = one("附件1英吉沙县防沙治沙工程，巴楚县草方格那个地质灾害工程，两个一共投资多少", corpus)
    assert c.value is None
