"""The check of figures the sources print: it finds every known inconsistency, and only those; fixing one clears it."""
from __future__ import annotations

import shutil

from ingest.catalog import DEFAULT_CORPUS_DIR
from ingest.pipeline import build_corpus
from qa.rules import run_rules
from qa.rules.figures import check_source_figures, source_inconsistencies

# every inconsistency in the corpus as shipped: (check, first unit id, words of the message)
EXPECTED = {
    ("conversion", "bachu-supply-2025:h3.i1.p1", "383.73公顷 = 5755.95亩，原文印为575.95亩"),
    ("parts", "kashgar-plan:c6.s3.box6.p2", "3+3+2+4+3+1 = 16个，与14个不一致"),
    ("parts", "kashgar-plan:att1.r20", "38+29 = 67，与总数105不一致"),
    ("numbering", "kashgar-plan:att1.r787", "序号787位于86与88之间，顺序不对（应为87）"),
    ("numbering", "kashgar-plan:att1", "共117个数据行，印刷序号到119，缺序号41、43"),
    ("amount", "kashgar-plan:att1.r74", "总金额（万元）为34.02，建设内容写“投资30万元”"),
    ("text_table", "kashgar-plan:t1.r1", "“耕地保有量”2020年为719万亩"),
    ("text_table", "kashgar-plan:t1.r5", "煤4700万吨"),
    ("text_table", "kashgar-plan:t1.r6", "铁矿石量3800万吨"),
    ("text_table", "kashgar-plan:t1.r7", "铅+锌金属量145万吨"),
    ("text_table", "kashgar-plan:t1.r8", "铜金属量5万吨"),
}


def test_every_inconsistency_is_found_and_nothing_else(corpus):
    found = source_inconsistencies(corpus)
    assert len(found) == len(EXPECTED)
    for check, unit_id, words in EXPECTED:
        matches = [f for f in found if f.check == check and f.unit_ids[0] == unit_id and words in f.message]
        assert len(matches) == 1, (check, unit_id, words, [f.message for f in found])


def test_consistent_figures_are_checked_too(corpus):
    ok = [f for f in check_source_figures(corpus) if f.consistent]
    messages = " ".join(f.message for f in ok)
    # rounding-compatible conversions are not flagged: 0.98万公顷 × 15 = 14.7万亩 vs printed 14.78万亩
    assert "0.98万公顷（14.78万亩）：换算一致" in messages
    assert "12公顷（180亩）：换算一致" in messages
    # every Bachu share rounds correctly, and the parts add up to the total
    assert sum(1 for f in ok if f.check == "share" and f.doc_id == "bachu-supply-2025") == 7
    assert "各类用地面积合计383.73公顷，供应总量383.73公顷，一致" in messages
    assert "20处（崩塌3处、滑坡5处、泥石流12处）：分项相加3+5+12 = 20，与总数一致" in messages
    # 3.42万km² = 31.52%, 1.87万km² = 17.24% and the survey total agree on one 国土面积
    assert any(f.check == "implied_total" for f in ok)


def test_fixing_the_bachu_figure_clears_it(tmp_path):
    corpus_dir = tmp_path / "corpus"
    shutil.copytree(DEFAULT_CORPUS_DIR, corpus_dir)
    path = corpus_dir / "bachu-supply-2025.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("约575.95亩", "约5755.95亩"), encoding="utf-8")
    fixed = build_corpus(corpus_dir, build_dir=tmp_path / "build", use_cache=False)
    assert not [f for f in source_inconsistencies(fixed) if f.doc_id == "bachu-supply-2025"]
    assert len(source_inconsistencies(fixed)) == len(EXPECTED) - 1


def test_breaking_a_share_is_found(tmp_path):
    corpus_dir = tmp_path / "corpus"
    shutil.copytree(DEFAULT_CORPUS_DIR, corpus_dir)
    path = corpus_dir / "bachu-supply-2025.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("占比8.41%", "占比8.42%"), encoding="utf-8")
    broken = build_corpus(corpus_dir, build_dir=tmp_path / "build", use_cache=False)
    messages = [f.message for f in source_inconsistencies(broken) if f.doc_id == "bachu-supply-2025"]
    assert "住宅用地占比：原文8.42%，计算约8.4148%，不一致" in messages
    assert "原文各类占比相加为100.01%，不等于100%" in messages


def test_the_check_answers_a_question(corpus):
    (c,) = [c for c in run_rules("核对巴楚供地计划的数据是否一致", corpus) if c.rule == "source_figures.check"]
    assert c.value is not None and int(c.value) == 1 and "575.95" in c.result and c.citation_ids == ["bachu-supply-2025:h3.i1.p1"]
    (k,) = [c for c in run_rules("喀什规划里的数据有没有错误", corpus) if c.rule == "source_figures.check"]
    assert k.value is not None and int(k.value) == len(EXPECTED) - 1
