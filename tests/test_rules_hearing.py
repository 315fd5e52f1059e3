"""第二十六条第二款 '超过半数以上': who must hold a hearing, both readings when the member count is even."""
from __future__ import annotations

import pytest

from qa.rules import run_rules

RULE = "xj.a26.hearing_threshold"


def one(question, corpus):
    comps = [c for c in run_rules(question, corpus) if c.rule == RULE]
    assert len(comps) == 1, [c.rule for c in run_rules(question, corpus)]
    return comps[0]


@pytest.mark.parametrize(("members", "minimum"), [(85, 43), (1, 1), (3, 2), (99, 50), ("八十五", 43)])
def test_odd_member_counts_have_one_answer(corpus, members, minimum):
    c = one(f"被征地的集体经济组织有{members}个成员，至少多少人反对就必须组织听证", corpus)
    assert int(c.value) == minimum and c.details == {"minimum": minimum}
    assert c.citation_ids == ["xj-measures:a26.k2"]


@pytest.mark.parametrize(("members", "strict", "loose"), [(120, 61, 60), (2, 2, 1), (100, 51, 50), ("一百二十", 61, 60)])
def test_even_member_counts_show_both_readings(corpus, members, strict, loose):
    c = one(f"村集体经济组织成员{members}人，至少多少人认为补偿方案不合法就必须组织听证", corpus)
    assert c.value is None
    assert c.details == {"readings": {"超过半数": strict, "半数以上": loose}}
    assert any("自相矛盾" in w for w in c.warnings)


def test_missing_member_count_is_asked(corpus):
    c = one("超过半数成员反对就必须听证吗，至少要多少人", corpus)
    assert c.missing == ["members"]
