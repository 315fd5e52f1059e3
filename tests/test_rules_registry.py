"""The rule registry: declared precedence instead of scores, rules bound to documents by their parameters."""
from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest

from ingest.addfile import add_document
from ingest.catalog import DEFAULT_CORPUS_DIR
from ingest.pipeline import build_corpus
from qa.rules import all_hooks, default_params, run_rules
from qa.rules.params import ParamSet
from qa.rules.registry import REGISTRY_FILE, RegistryError, load_registry, registry

TODAY = date(2026, 5, 1)


def test_every_hook_is_declared_once_and_named_as_declared():
    decls = load_registry()
    assert [d.name for d in decls] == [h.name for h in all_hooks()]
    assert len({d.name for d in decls}) == len(decls)


def test_declared_parameters_exist():
    ids = default_params().ids()
    for decl, _ in registry():
        for ref in decl.params:
            assert any(i.startswith(ref) if ref.endswith(".") else i == ref for i in ids), (decl.name, ref)


def _write(tmp_path: Path, extra: str) -> Path:
    path = tmp_path / "registry.toml"
    path.write_text(REGISTRY_FILE.read_text(encoding="utf-8") + extra, encoding="utf-8")
    return path


def test_a_precedence_cycle_is_refused(tmp_path):
    path = tmp_path / "registry.toml"
    path.write_text(
        '[[rule]]\nname = "a"\nhook = "x:A"\nbefore = ["b"]\n[[rule]]\nname = "b"\nhook = "x:B"\nbefore = ["a"]\n', encoding="utf-8",
    )
    with pytest.raises(RegistryError, match="cycle"):
        load_registry(path)


def test_an_unknown_rule_in_precedence_is_refused(tmp_path):
    with pytest.raises(RegistryError, match="unknown rule"):
        load_registry(_write(tmp_path, '\n[[rule]]\nname = "x"\nhook = "fines:OccupationFine"\nbefore = ["no.such.rule"]\n'))


@pytest.mark.parametrize(
    ("question", "order"),
    [
        # 第五十四条 is declared before 第五十三条 when a plot was destroyed, whatever the words' count
        ("违法占用永久基本农田建窑，耕地开垦费30万元，罚款多少", ["xj.a54.destruction_fine", "xj.a53.occupation_fine"]),
        # a period leads the procedure it belongs to
        ("宅基地申请2025年3月1日开始公示，公示到哪天，由谁批准", ["xj.deadline.a40", "xj.a40.homestead_authority"]),
    ],
)
def test_declared_precedence_orders_the_computations(corpus, question, order):
    assert [c.rule for c in run_rules(question, corpus, today=TODAY)] == order


def test_a_statutory_period_excludes_plain_date_arithmetic(corpus):
    rules = [c.rule for c in run_rules("没收决定2025年1月10日生效，90日内移交，最晚哪天", corpus, today=TODAY)]
    assert "xj.deadline.a56" in rules and "date_arithmetic" not in rules


def test_without_its_parameters_a_rule_does_not_run():
    params = default_params()
    without = ParamSet(params=[p for p in params.params if not p.id.startswith("xj.a53.")], definitions=params.definitions)
    assert [c.rule for c in run_rules("非法占用一般耕地3亩，罚款多少", None, params=without)] == []


@pytest.fixture(scope="module")
def corpus_dir(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("corpus") / "corpus"
    shutil.copytree(DEFAULT_CORPUS_DIR, target)
    return target


def test_a_corpus_without_a_rules_document_runs_no_rule_of_it_and_does_not_crash(tmp_path, corpus_dir, corpus):
    target = tmp_path / "corpus"
    shutil.copytree(corpus_dir, target)
    catalog = json.loads((target / "catalog.json").read_text(encoding="utf-8"))
    catalog["documents"] = [d for d in catalog["documents"] if d["id"] != "bachu-supply-2025"]
    (target / "catalog.json").write_text(json.dumps(catalog, ensure_ascii=False), encoding="utf-8")
    smaller = build_corpus(target, build_dir=tmp_path / "build", use_cache=False)
    # the full corpus answered first: what is bound is worked out per corpus, not remembered across corpora
    assert run_rules("巴楚县住宅用地供应多少公顷", corpus, today=TODAY)
    assert run_rules("巴楚县住宅用地供应多少公顷", smaller, today=TODAY) == []
    assert [c.rule for c in run_rules("非法占用一般耕地3亩，罚款多少", smaller, today=TODAY)] == ["xj.a53.occupation_fine"]


COUNTY_RULES = """图木舒克市农村宅基地管理办法
第一条　为了加强本市农村宅基地管理，根据有关法律法规，结合本市实际，制定本办法。
第二条　农村村民申请宅基地，每户不得超过三百五十平方米。
第三条　乡（镇）人民政府应当自受理宅基地申请之日起二十个工作日内作出批准或者不予批准的决定。
"""


@pytest.fixture(scope="module")
def extended(corpus_dir, tmp_path_factory):
    """The real corpus plus a county's own homestead rules, ingested as a new user would (no parameters)."""
    source = tmp_path_factory.mktemp("new") / "tumxuk.txt"
    source.write_text(COUNTY_RULES, encoding="utf-8")
    added = add_document(source, corpus_dir, doc_id="tumxuk-homestead", region="新疆维吾尔自治区图木舒克市")
    return build_corpus(corpus_dir, build_dir=tmp_path_factory.mktemp("build"), use_cache=False), added.document.id


def test_a_new_document_without_parameters_gets_no_rule(extended):
    corpus, doc_id = extended
    for question in ("图木舒克农村村民申请宅基地每户最多多大？", "非法占用一般耕地3亩，罚款多少", "宅基地申请2025年3月1日开始公示，公示到哪天"):
        for c in run_rules(question, corpus, today=TODAY):
            assert not any(uid.startswith(doc_id + ":") for uid in c.citation_ids)


def test_the_places_own_text_leads_and_the_general_rule_says_so(extended):
    corpus, doc_id = extended
    (cap,) = [c for c in run_rules("图木舒克人均耕地0.05公顷，农村村民宅基地每户最多多大？", corpus, today=TODAY) if c.rule == "xj.a39.homestead_cap"]
    assert cap.yields_to == [doc_id] and cap.value is None
    assert "图木舒克" in cap.warnings[0] and "更具体" in cap.warnings[0]


def test_another_place_does_not_yield_to_the_county(extended):
    corpus, _ = extended
    (cap,) = [c for c in run_rules("喀什人均耕地0.05公顷，宅基地每户最多多大？", corpus, today=TODAY) if c.rule == "xj.a39.homestead_cap"]
    assert cap.yields_to == [] and cap.value == 300


@pytest.mark.parametrize(
    "question",
    ["非法占用一般耕地3亩，罚款多少", "北京宅基地面积标准", "巴楚住宅用地多少公顷", "喀什十四五项目清单总投资", "临时用地谁批", "2025年1月1日到3月1日多少天"],
)
def test_rule_output_never_speaks_of_five_texts(corpus, question):
    for c in run_rules(question, corpus, today=TODAY):
        text = json.dumps(c.model_dump(mode="json"), ensure_ascii=False)
        assert "五份" not in text and "five texts" not in text.lower()


def test_every_rule_declares_the_questions_it_answers() -> None:
    from qa.cues import cues

    kinds = {slot.kind for slot, _ in cues().slots}
    for decl in load_registry():
        assert decl.answers, f"{decl.name} declares no `answers`"
        assert set(decl.answers) <= kinds, f"{decl.name}: {set(decl.answers) - kinds} are not slots of qa/lexicon/cues.toml"
