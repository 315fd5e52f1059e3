"""The `landqa` command line honours the Settings: every command reads the configured corpus, none the repository's by default."""
from __future__ import annotations

import argparse
import json
import os
import shutil
from pathlib import Path

import pytest

from eval import cli
from ingest.catalog import DEFAULT_CORPUS_DIR

# Every command that reads the corpus, with the smallest arguments it accepts (loadtest talks to a
# server and feedback export reads the feedback store: neither reads the corpus).
COMMANDS = {
    "units": ["units"],
    "report": ["report"],
    "ingest": ["ingest", "FILE"],
    "index": ["index"],
    "search": ["search", "宅基地"],
    "ask": ["ask", "临时用地谁审批？"],
    "serve": ["serve"],
    "eval": ["eval", "--limit", "1"],
    "tune": ["tune"],
    "bench": ["bench", "--skip-build"],
}


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    for name in [n for n in os.environ if n.startswith("LANDQA_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("LANDQA_BUILD_DIR", str(tmp_path / "build"))
    return monkeypatch


def test_every_command_is_registered() -> None:
    subparsers = argparse.ArgumentParser().add_subparsers()
    for register in cli.REGISTRARS:
        register(subparsers)
    assert set(subparsers.choices) == {*COMMANDS, "loadtest", "feedback"}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_an_empty_corpus_folder_gives_zero_units_and_a_clear_message(
    env: pytest.MonkeyPatch, tmp_path: Path, command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    env.setenv("LANDQA_CORPUS_DIR", str(empty))
    argv = [str(tmp_path / "new.txt") if arg == "FILE" else arg for arg in COMMANDS[command]]
    if command == "ingest":
        (tmp_path / "new.txt").write_text("第一条 测试。\n第二条 测试。\n第三条 测试。\n", encoding="utf-8")
    code = cli.main(argv)
    out, err = capsys.readouterr()
    assert str(empty) in err and "catalog.json" in err
    if command in ("units", "report"):
        assert code == 0 and out.strip() in ("", "{}")  # zero units, said on stderr
    else:
        assert code == 2 and out == ""
        if command != "ingest":
            assert "0 documents, 0 units" in err and "0 个单元" in err
    assert list(empty.iterdir()) == []  # nothing written into it


def test_units_lists_the_configured_corpus_only(env: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    catalog = json.loads((DEFAULT_CORPUS_DIR / "catalog.json").read_text(encoding="utf-8"))
    catalog["documents"] = [d for d in catalog["documents"] if d["id"] == "bachu-supply-2025"]
    (corpus / "catalog.json").write_text(json.dumps(catalog, ensure_ascii=False), encoding="utf-8")
    shutil.copy(DEFAULT_CORPUS_DIR / "bachu-supply-2025.txt", corpus)
    env.setenv("LANDQA_CORPUS_DIR", str(corpus))
    assert cli.main(["units", "--json"]) == 0
    units = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert units and {u["doc_id"] for u in units} == {"bachu-supply-2025"}
    assert cli.main(["units", "--doc", "xj-measures"]) == 2  # not in this corpus
    assert "no document xj-measures" in capsys.readouterr().err


def test_bad_settings_stop_every_command_with_the_reason(env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    env.setenv("LANDQA_RATE_LIMIT_PER_MINUTE", "many")
    assert cli.main(["units"]) == 2
    assert "LANDQA_RATE_LIMIT_PER_MINUTE" in capsys.readouterr().err
