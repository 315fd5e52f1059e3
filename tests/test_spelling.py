"""Typo repair: pinyin-input typos are read as the texts' words; real words and correct text are left alone."""
from __future__ import annotations

import pytest

from qa.question import speller_for


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("宅基第申请公示几天", "宅基地申请公示几天"),
        ("未经批准站用耕地罚多少", "未经批准占用耕地罚多少"),
        ("征地补尝费用多久付清", "征地补偿费用多久付清"),
    ],
)
def test_a_homophone_typo_is_read_as_the_texts_word(corpus, typed: str, read: str) -> None:
    text, repairs = speller_for(corpus).repair(typed)
    assert text == read
    assert len(repairs) == 1


@pytest.mark.parametrize(
    "question",
    [
        "宅基地申请公示几天", "村里想在基本农田里挖鱼塘行不行", "事先要做些什么", "巴楚县2025年住宅用地供应多少",
        "把永久基本农田改成园地行不行",  # 成园 sounds like 成员, but 园地 is the word here
        "办法开始施行那天", "还有几天到期", "甲公司和乙村都不服",
        "这个能批不", "县里能批不？",  # 不 ending the question asks yes or no (not 批复)
        "临时借两亩地放设备", "在路边搭工棚",  # a verb of what is done on land (放, 搭) stands alone (not 地方, 大工)
    ],
)
def test_correct_text_and_ordinary_words_are_left_alone(corpus, question: str) -> None:
    assert speller_for(corpus).repair(question) == (question, [])


def test_the_answer_says_how_the_typo_was_read(engine) -> None:
    result = engine.ask("宅基第申请要公示几天")
    assert "“宅基第”按“宅基地”理解" in result.answer
    assert "十日" in result.answer


def test_a_character_with_two_readings_is_tried_with_each(corpus) -> None:
    # 的 is typed as de or di: "闲置土的" is 闲置土地
    text, repairs = speller_for(corpus).repair("闲置土的怎么处理")
    assert text == "闲置土地怎么处理" and [r.read_as for r in repairs] == ["闲置土地"]
    # a real phrase with 的 stays
    assert speller_for(corpus).repair("这个目的是什么")[1] == []
    # two words sound alike (土地, 土堤): the one the texts use far more often is read
    assert speller_for(corpus).repair("邻居之间的土的纠纷")[0] == "邻居之间的土地纠纷"


def test_a_character_that_stands_as_a_word_is_not_a_typo(corpus) -> None:
    # "县想" is 县 + 想 (a verb), not a misspelt 县乡
    assert speller_for(corpus).repair("我们县想把一块地调出来")[1] == []


def test_a_connective_ending_a_clause_was_typed_for_a_word(corpus) -> None:
    # 和 cannot end a clause: "谁来审和" is a mistyped 审核, although the texts print 审和 across a word boundary
    # (初审|和) and use 审核 too rarely for an ordinary two-character repair
    speller = speller_for(corpus)
    assert speller.repair("复垦方案谁来审和？")[0] == "复垦方案谁来审核？"
    # inside a clause 和 joins two things and stays
    assert speller.repair("初审和批准分别由谁负责")[1] == []
    assert speller.repair("这块地和那块地能合并吗")[1] == []


def test_a_repair_never_prints_a_character_twice(corpus) -> None:
    # "批而未供的地": 的 joins 供 and 地 as written; read as 供地 it would print 供地地
    assert speller_for(corpus).repair("批而未供的地有多少")[1] == []


def test_a_measure_word_after_a_figure_is_no_half_of_a_word(corpus) -> None:
    # "20处里": 处 counts the 20, it is not a mistyped 处理
    assert speller_for(corpus).repair("专栏里20处里有几处在叶城")[1] == []


def test_a_window_running_into_a_question_phrase_is_left_alone(corpus) -> None:
    # "管理指啥" is 管理 + 指啥 (what does it mean), not a misspelt 管理制
    text, repairs = speller_for(corpus).repair("这个一码管理指啥")
    assert text == "这个一码管理指啥" and not repairs


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("废弃耕第修复项目投了多少", "废弃耕地修复项目投了多少"),  # 弃耕 is a word, but 耕地 is the texts' far more often
        ("永久基本农天上能挖塘吗", "永久基本农田上能挖塘吗"),  # 天上 is a word; 基本农田 a four-character term
    ],
)
def test_a_reading_far_commoner_than_the_word_its_edge_makes_is_taken(corpus, typed: str, read: str) -> None:
    assert speller_for(corpus).repair(typed)[0] == read


@pytest.mark.parametrize(
    "question",
    [
        "不动产电子证照的效力如何",  # 的 is a particle, not a misspelt 低
        "补充耕地指标县里用不完怎么办",  # 里 belongs to 县里, not a misspelt 利用
        "办法开始施行那天",  # words on both edges: 开始, 施行
    ],
)
def test_a_window_between_real_words_is_left_alone(corpus, question: str) -> None:
    assert speller_for(corpus).repair(question) == (question, [])


@pytest.mark.parametrize(
    "question",
    [
        "县定的标准低吗",  # 标准 is a word the texts use on its own; 低 follows it (not a misspelt 标准地)
        "价格能不能再低一点",  # 一点 is everyday speech: 低 stands beside it (not a misspelt 第一)
    ],
)
def test_a_word_and_the_next_character_are_not_a_misspelt_longer_word(corpus, question: str) -> None:
    assert speller_for(corpus).repair(question) == (question, [])


def test_a_longer_word_typed_wrong_is_still_repaired_beside_a_rare_edge_word(corpus) -> None:
    # 弃耕 is a rare word; 耕地 is the texts' word hundreds of times
    assert speller_for(corpus).repair("废弃耕第复垦项目投资多少")[0] == "废弃耕地复垦项目投资多少"
