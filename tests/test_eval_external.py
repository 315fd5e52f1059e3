"""The external split: its own file format, document mapping through the catalog, reference resolution, scoring, CLI and report.

Every question here is written for this test; none comes from the external file.
"""
from __future__ import annotations

import argparse
import json

import pytest

from eval import report, runner
from eval.external import (
    DEFAULT_EXTERNAL_PATH,
    ExternalQuestion,
    NeedsResolver,
    aggregate_external,
    ask_engine,
    doc_ids_for,
    evaluate_external,
    load_external,
    score_external,
)
from eval.metrics import UnitRelations
from eval.questions import load_questions, select_split


def _line(**fields) -> str:
    base = {"id": "T1", "doc": "001", "type": "lookup", "q": "临时用地最长用几年", "gold": ["一般不超过二年"],
            "expect": [["二年", "2年"]], "needs": ["第四十三条"], "note": ""}
    return json.dumps({**base, **fields}, ensure_ascii=False)


def _write(tmp_path, *lines: str):
    path = tmp_path / "external.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_loader_reads_the_external_format_with_history(tmp_path):
    history = [{"role": "user", "content": "临时用地谁批"}, {"role": "assistant", "content": "县级以上人民政府自然资源主管部门"}]
    path = _write(tmp_path, _line(), _line(id="T2", type="followup", q="那最长几年？", history=history),
                  _line(id="T3", type="abstain", doc="none", expect=[], needs=[], extra_field=1))
    questions = load_external(path)
    assert [q.id for q in questions] == ["T1", "T2", "T3"]
    assert questions[1].history_dicts() == history and questions[0].history_dicts() is None
    assert questions[0].answerable and not questions[2].answerable


def test_loader_rejects_bad_lines_with_their_line_number_and_missing_files(tmp_path):
    with pytest.raises(ValueError, match=":2:"):
        load_external(_write(tmp_path, _line(), _line(id="T2", type="opinion")))
    with pytest.raises(ValueError, match="duplicate id"):
        load_external(_write(tmp_path, _line(), _line()))
    with pytest.raises(FileNotFoundError):
        load_external(tmp_path / "absent.jsonl")


def test_default_path_is_the_shared_folder_beside_the_repository():
    assert DEFAULT_EXTERNAL_PATH.parts[-3:] == ("shared", "questions", "external-dev.jsonl")
    assert DEFAULT_EXTERNAL_PATH.parent.parent.parent == runner.Path(runner.__file__).resolve().parent.parent.parent


def test_document_numbers_map_through_the_catalogs_source_files(corpus):
    catalog = corpus.catalog
    by_number = {d.source_file.split("_", 1)[0]: d.id for d in catalog.documents}
    assert doc_ids_for("001", catalog) == [by_number["001"]] == ["xj-measures"]
    assert doc_ids_for("003+002", catalog) == ["bachu-supply-2025", "kashgar-plan"]
    assert doc_ids_for("none", catalog) == []
    with pytest.raises(ValueError, match="not in the catalog"):
        doc_ids_for("009", catalog)


@pytest.fixture(scope="module")
def resolver(corpus):
    return NeedsResolver(corpus)


@pytest.mark.parametrize(
    ("need", "docs", "first", "under"),
    [
        ("第五十三条", ["xj-measures"], "xj-measures:a53", None),
        ("第53条第1款第2项", ["xj-measures"], "xj-measures:a53.k1.x2", None),
        ("第五十三条第一款第（二）项", ["xj-measures"], "xj-measures:a53.k1.x2", None),
        ("专栏1", ["kashgar-plan"], "kashgar-plan:c5.s1.box1", "kashgar-plan:c5.s1.box1.p1"),
        ("附件1第49行", ["kashgar-plan"], "kashgar-plan:att1.r49", None),
        ("附件1第787行（应为87）", ["kashgar-plan"], "kashgar-plan:att1.r787", None),
        ("表1", ["kashgar-plan"], "kashgar-plan:t1", "kashgar-plan:t1.r2"),
        ("第五章第一节", ["kashgar-plan"], "kashgar-plan:c5.s1", "kashgar-plan:c5.s1.box1.p1"),
        ("三、计划指标（二）", ["bachu-supply-2025"], "bachu-supply-2025:h3.i2", "bachu-supply-2025:h3.i2.p1"),
        ("三、（二）", ["bachu-supply-2025"], "bachu-supply-2025:h3.i2", None),
        ("前言", ["bachu-supply-2025"], "bachu-supply-2025:p1", None),
        ("（十一）", ["nx-consolidation"], "nx-consolidation:h4.i11", None),
        ("第八章", ["xj-measures"], "xj-measures:c8", "xj-measures:a53"),
        # named in another document than the question's: still found, in the one document that has it
        ("专栏1", ["xj-measures"], "kashgar-plan:c5.s1.box1", None),
    ],
)
def test_references_resolve_to_the_unit_and_everything_under_it(resolver, need, docs, first, under):
    ids = resolver.resolve(need, docs)
    assert ids and ids[0] == first
    if under:
        assert under in ids


@pytest.mark.parametrize(
    ("need", "docs"),
    [("第九十九条", ["xj-measures"]), ("第一节", ["kashgar-plan"]), ("（二）", ["bachu-supply-2025"]), ("前言", []), ("专栏99", ["kashgar-plan"])],
)
def test_unknown_or_ambiguous_references_do_not_resolve(resolver, need, docs):
    assert resolver.resolve(need, docs) == []


def test_scores_match_every_group_refusals_and_gold_rank():
    relations = UnitRelations({"xj-measures:a43": None, "xj-measures:a43.k1": "xj-measures:a43", "xj-measures:a19": None})
    q = ExternalQuestion.model_validate_json(_line(type="multi", expect=[["二年", "2年"], ["县级以上"]]))
    answer = "一般不超过2年，由县级以上人民政府自然资源主管部门批准"
    ok = score_external(q, answer, False, ["xj-measures:a43.k1", "xj-measures:a19"], ["xj-measures:a43"], relations)
    assert ok["facts_ok"] and ok["multi_full"] and ok["gold_first"] and ok["gold_top5"] and ok["false_refusal"] is False
    part = score_external(q, "一般不超过两年", False, ["xj-measures:a19", "xj-measures:a43"], ["xj-measures:a43"], relations)
    assert part["facts_ok"] is False and part["group_recall"] == 0.5 and part["groups_missing"] == [["县级以上"]]
    assert part["gold_first"] is False and part["gold_top5"] is True
    refused = score_external(q, "二年 县级以上", True, [], ["xj-measures:a43"], relations)
    assert refused["false_refusal"] and refused["facts_ok"] is False and refused["gold_top5"] is False
    abstain = ExternalQuestion.model_validate_json(_line(type="abstain", expect=[], needs=[]))
    assert score_external(abstain, "文件没有规定", True, [], [], relations)["correct_refusal"] is True
    assert score_external(abstain, "二年", False, [], [], relations)["correct_refusal"] is False


def test_ask_passes_history_only_when_the_engine_takes_it():
    calls: list[tuple[object, ...]] = []

    class Old:
        def ask(self, question, top_k=5):
            calls.append(("old", question, top_k))

    class New:
        def ask(self, question, top_k=5, history=None):
            calls.append(("new", question, top_k, history))

    history = [{"role": "user", "content": "临时用地谁批"}]
    ask_engine(Old(), "那最长几年？", 5, history)
    ask_engine(New(), "那最长几年？", 5, history)
    ask_engine(New(), "临时用地谁批", 5, None)
    assert calls == [("old", "那最长几年？", 5), ("new", "那最长几年？", 5, history), ("new", "临时用地谁批", 5, None)]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="landqa")
    runner.add_cli(parser.add_subparsers(dest="command"))
    return parser


def test_cli_has_the_external_split_and_path():
    args = _parser().parse_args(["eval", "--split", "external", "--external", "/tmp/x.jsonl"])
    assert args.split == "external" and str(args.external) == "/tmp/x.jsonl" and args.external.name == "x.jsonl"
    assert _parser().parse_args(["eval"]).external is None  # the default path, resolved beside the repository
    assert _parser().parse_args(["eval", "--perturb"]).perturb


def test_missing_external_file_is_skipped_with_a_message(tmp_path, capsys):
    logged: list[str] = []
    section = runner.run_external(engine=None, path=tmp_path / "absent.jsonl", limit=0, log=logged.append)
    assert section["skipped"].endswith("not found") and "absent.jsonl" in logged[0]
    result: dict[str, object] = {"meta": {"split": "external", "questions": 0, "created": "now"}, "metrics": None, "records": [], "external": section}
    assert "External split: SKIPPED" in report.render_text(result)
    report.write_html(result, tmp_path / "r.html")
    assert "Skipped" in (tmp_path / "r.html").read_text(encoding="utf-8")


def test_the_external_split_is_never_tuned_on():
    questions = load_questions()
    with pytest.raises(ValueError, match="never tuned on"):
        select_split(questions, "external")
    from eval import cli, tune
    from qa.cli import build_parser

    with pytest.raises(SystemExit):  # `landqa tune` has no split to choose
        build_parser(cli.REGISTRARS).parse_args(["tune", "--split", "external"])
    source = runner.Path(tune.__file__).read_text(encoding="utf-8")
    assert "eval.external" not in source and "external-dev" not in source, "tuning must not read the external questions"


def test_gate_and_threshold_proposals_refuse_the_external_split(capsys):
    assert runner.main(_parser().parse_args(["eval", "--split", "external", "--gate"])) == 2
    assert runner.main(_parser().parse_args(["eval", "--split", "external", "--propose-thresholds", "/tmp/never.json"])) == 2


@pytest.mark.slow
def test_external_split_end_to_end_on_written_questions(engine, tmp_path):
    path = _write(
        tmp_path,
        _line(id="T1", q="临时用地一般最长能用几年", expect=[["二年", "2年"]], needs=["第四十三条"]),
        _line(id="T2", type="abstain", doc="none", q="北京市宅基地面积标准是多少", expect=[], needs=[]),
        _line(id="T3", type="followup", q="那要是超过这个期限呢", needs=["第四十三条"], expect=[],
              history=[{"role": "user", "content": "临时用地能用多久"}, {"role": "assistant", "content": "一般不超过二年"}]),
    )
    evaluated = evaluate_external(engine, load_external(path))
    records = evaluated["records"]
    assert [r["id"] for r in records] == ["T1", "T2", "T3"]
    assert records[0]["resolved"]["第四十三条"][0] == "xj-measures:a43"
    assert records[0]["ask"]["answer"] and records[0]["scores"]["gold_top5"] in (True, False)
    assert records[1]["scores"]["correct_refusal"] in (True, False) and records[1]["scores"]["facts_ok"] is None
    metrics = aggregate_external(evaluated)
    assert metrics["overall"]["n"] == 3 and metrics["needs"] == {"total": 2, "resolved": 2, "unresolved": []}
    assert set(metrics["by_type"]) == {"lookup", "abstain", "followup"}
    result: dict[str, object] = {"meta": {"split": "test", "questions": 0, "created": "now", "commit": None, "duration_s": 1.0},
              "metrics": None, "records": [], "external": {"path": str(path), "questions": 3, "metrics": metrics, "records": records}}
    text = report.render_text(result)
    assert "External split — 3 questions" in text and "references (needs) resolved to units: 2 of 2" in text
    report.write_html(result, tmp_path / "r.html")
    assert "External split (questions written outside the project)" in (tmp_path / "r.html").read_text(encoding="utf-8")
    json.dumps(result, ensure_ascii=False)
