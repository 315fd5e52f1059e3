"""Settings: LANDQA_* variables over the LANDQA_CONFIG file over the defaults; bad values are refused with the reason."""
from __future__ import annotations

import json
import sysconfig
from pathlib import Path

import pytest

from eval.tune import output_path
from ingest.catalog import DEFAULT_CORPUS_DIR
from qa.config import DEFAULT_BUILD_DIR, SHIPPED_FUSION_FILE, Settings, SettingsError, WidgetKey, load_settings


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test sets the variables it needs; none leak in from the shell running the tests."""
    import os

    for name in [n for n in os.environ if n.startswith("LANDQA_")]:
        monkeypatch.delenv(name)


def _config(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "landqa.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_defaults_are_the_documented_ones() -> None:
    settings = load_settings()
    assert settings.corpus_dir == DEFAULT_CORPUS_DIR and settings.build_dir == DEFAULT_BUILD_DIR
    assert settings.fusion_file == SHIPPED_FUSION_FILE and SHIPPED_FUSION_FILE.is_file()
    assert (settings.embedding_model, settings.llm_base_url, settings.llm_model, settings.llm_timeout_s) == ("default", None, "gpt-4o-mini", 8.0)
    assert (settings.api_keys, settings.rate_limit_per_minute, settings.max_body_bytes) == ([], 60, 16_384)
    assert (settings.request_timeout_s, settings.log_questions) == (20.0, False)
    assert [(k.key, k.origins) for k in settings.widget_keys] == [("demo-key", ["http://127.0.0.1:8000", "http://localhost:8000"])]


def test_environment_values_are_typed(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("LANDQA_CORPUS_DIR", str(tmp_path / "corpus"))
    monkeypatch.setenv("LANDQA_RATE_LIMIT_PER_MINUTE", "7")
    monkeypatch.setenv("LANDQA_API_KEYS", '["a", "b"]')
    monkeypatch.setenv("LANDQA_WIDGET_KEYS", '[{"key": "k", "name": "OA", "origins": ["http://oa.local"]}]')
    monkeypatch.setenv("LANDQA_LOG_QUESTIONS", "true")
    monkeypatch.setenv("LANDQA_LLM_TIMEOUT_S", "2.5")
    settings = load_settings()
    assert settings.corpus_dir == tmp_path / "corpus"
    assert (settings.rate_limit_per_minute, settings.api_keys, settings.log_questions, settings.llm_timeout_s) == (7, ["a", "b"], True, 2.5)
    assert settings.widget_keys == [WidgetKey(key="k", name="OA", origins=["http://oa.local"])]


def test_config_file_under_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    keys = [{"key": "oa-7f3a", "name": "OA", "origins": ["http://oa.zrzyj.local"]}]
    path = _config(tmp_path, {"widget_keys": keys, "rate_limit_per_minute": 30, "build_dir": "/srv/landqa"})
    monkeypatch.setenv("LANDQA_CONFIG", str(path))
    monkeypatch.setenv("LANDQA_RATE_LIMIT_PER_MINUTE", "90")
    settings = load_settings()
    assert settings.config == path
    assert settings.rate_limit_per_minute == 90  # the variable wins over the file
    assert settings.build_dir == Path("/srv/landqa")  # the file wins over the default
    assert [k.key for k in settings.widget_keys] == ["oa-7f3a"]
    assert load_settings(path).rate_limit_per_minute == 90  # an explicit file, same precedence
    assert Settings(rate_limit_per_minute=5).rate_limit_per_minute == 5  # the constructor wins over both


@pytest.mark.parametrize(
    ("variables", "fragments"),
    [
        ({"LANDQA_PORT": "eighty"}, ("port (LANDQA_PORT)", "integer")),
        ({"LANDQA_API_KEYS": "not json"}, ("api_keys",)),
        ({"LANDQA_CONFIG": "/nonexistent/landqa.json"}, ("/nonexistent/landqa.json", "cannot be read", "无法读取")),
    ],
)
def test_bad_values_are_refused_with_the_reason(monkeypatch: pytest.MonkeyPatch, variables: dict[str, str], fragments: tuple[str, ...]) -> None:
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as caught:
        load_settings()
    for fragment in fragments:
        assert fragment in str(caught.value)


def test_a_misspelt_key_in_the_config_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="rate_limt"):
        load_settings(_config(tmp_path, {"rate_limt": 3}))
    with pytest.raises(SettingsError, match="JSON object"):
        load_settings(_config(tmp_path, ["not", "an", "object"]))


def test_unknown_variables_are_ignored(monkeypatch: pytest.MonkeyPatch) -> None:
    """LANDQA_SKIP_BROWSER, LANDQA_HOST and the like belong to scripts; only fields are read."""
    monkeypatch.setenv("LANDQA_SKIP_BROWSER", "1")
    assert load_settings().rate_limit_per_minute == 60


def test_tune_writes_beside_the_source_never_into_site_packages(tmp_path: Path) -> None:
    checkout = Settings(build_dir=tmp_path / "build")
    assert output_path(checkout) == SHIPPED_FUSION_FILE  # a source checkout: the shipped file, committed with the tuning
    configured = Settings(build_dir=tmp_path / "build", fusion_file=tmp_path / "tuned.json")
    assert output_path(configured) == tmp_path / "tuned.json"
    installed = Settings(build_dir=tmp_path / "build", fusion_file=Path(sysconfig.get_paths()["purelib"]) / "qa" / "fusion.json")
    assert output_path(installed) == tmp_path / "build" / "fusion.json"
