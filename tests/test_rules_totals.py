"""The total of fines from different rules, asked as one sum."""
from __future__ import annotations

from qa.rules import run_rules
from qa.rules.totals import TOTAL_RULE


def test_fines_of_two_rules_are_summed_when_a_total_is_asked(corpus) -> None:
    # 第五十三条: 2000平方米 of 一般耕地 × 300–500元 = 60–100万元; 第五十四条: 开垦费2万元 × 5–7倍 = 10–14万元
    question = "砖厂没批占了一般耕地2000平方米，还在旁边一般耕地上取土毁了一块，那块开垦费核定2万元，两项罚款一共多少"
    comps = run_rules(question, corpus)
    assert comps[0].rule == TOTAL_RULE
    assert comps[0].result.startswith("罚款合计70万元至114万元")
    assert comps[0].details == {"min_yuan": "700000", "max_yuan": "1140000"}
    assert {"xj-measures:a53.k1.x2", "xj-measures:a54.k1.x2"} <= set(comps[0].citation_ids)
    # each rule's own fine stays listed after the total
    assert {c.rule for c in comps[1:]} == {"xj.a53.occupation_fine", "xj.a54.destruction_fine"}


def test_no_total_without_asking_one_or_with_an_input_missing(corpus) -> None:
    asked_apart = "砖厂没批占了一般耕地2000平方米，还在旁边一般耕地上取土毁了一块，那块开垦费核定2万元，各罚多少"
    assert all(c.rule != TOTAL_RULE for c in run_rules(asked_apart, corpus))
    # the destruction fine needs the 开垦费: no total of a fine not settled
    short = "砖厂没批占了一般耕地2000平方米，还在旁边一般耕地上取土毁了一块，两项罚款一共多少"
    assert all(c.rule != TOTAL_RULE for c in run_rules(short, corpus))
