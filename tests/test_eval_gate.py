"""The eval gate on synthetic metric dicts: bounds, missing metrics, dotted keys, the thresholds file itself."""
from __future__ import annotations

import json
import math

import pytest
from pydantic import ValidationError

from eval.gate import DEFAULT_THRESHOLDS_PATH, Thresholds, check, format_failures, load_thresholds, lookup

METRICS = {
    "retrieval": {"hybrid": {"hit@1": 0.8, "hit@5": 0.95}, "bm25": {"hit@5": 0.9}},
    "answer": {"answer_accuracy": 0.7, "false_refusal_rate": 0.05, "computed_exact_match": None},
    "latency": {"ask_ms_p95": 120.0},
}


def _thresholds(metrics: dict) -> Thresholds:
    return Thresholds.model_validate({"split": "test", "metrics": metrics})


def test_lookup_follows_dotted_paths_and_keys_with_dots():
    assert lookup(METRICS, "retrieval.hybrid.hit@5") == 0.95
    assert lookup({"a": {"b.c": {"d": 1}}}, "a.b.c.d") == 1.0
    assert lookup(METRICS, "retrieval.dense.hit@5") is None
    assert lookup(METRICS, "answer.computed_exact_match") is None
    assert lookup(METRICS, "retrieval.hybrid") is None  # not a number


def test_all_within_bounds_passes():
    t = _thresholds({
        "retrieval.hybrid.hit@5": {"min": 0.9, "reason": "reached 0.95 on the test split"},
        "answer.false_refusal_rate": {"max": 0.1, "reason": "reached 0.05 on the test split"},
        "latency.ask_ms_p95": {"max": 500, "reason": "p95 was 120 ms on the CI machine"},
    })
    assert check(METRICS, t) == []
    assert "all 3 metrics" in format_failures([], t)


def test_min_and_max_violations_are_each_reported():
    t = _thresholds({
        "retrieval.hybrid.hit@1": {"min": 0.85, "reason": "reached 0.87 before"},
        "answer.false_refusal_rate": {"max": 0.02, "reason": "reached 0.01 before"},
        "retrieval.bm25.hit@5": {"min": 0.5, "reason": "baseline sanity bound"},
    })
    failures = check(METRICS, t)
    assert [f.metric for f in failures] == ["retrieval.hybrid.hit@1", "answer.false_refusal_rate"]
    assert failures[0].bound == "min" and failures[0].value == 0.8 and failures[0].limit == 0.85
    assert failures[1].bound == "max" and failures[1].value == 0.05
    message = format_failures(failures, t)
    assert "gate FAILED: 2 of 3" in message
    assert "retrieval.hybrid.hit@1 = 0.8, below the minimum 0.85" in message
    assert "answer.false_refusal_rate = 0.05, above the maximum 0.02" in message
    assert "reached 0.87 before" in message


def test_boundary_values_pass():
    t = _thresholds({
        "retrieval.hybrid.hit@1": {"min": 0.8, "reason": "exactly at the bound"},
        "latency.ask_ms_p95": {"max": 120.0, "reason": "exactly at the bound"},
    })
    assert check(METRICS, t) == []


def test_missing_or_nan_metric_fails():
    t = _thresholds({
        "retrieval.dense.hit@5": {"min": 0.1, "reason": "dense must be evaluated"},
        "answer.computed_exact_match": {"min": 0.1, "reason": "computations must be evaluated"},
        "latency.nan": {"max": 1.0, "reason": "NaN is never within bounds"},
    })
    failures = check({**METRICS, "latency": {"nan": math.nan}}, t)
    assert [f.metric for f in failures] == ["retrieval.dense.hit@5", "answer.computed_exact_match", "latency.nan"]
    assert all(f.value is None for f in failures)
    assert "missing" in format_failures(failures, t)


@pytest.mark.parametrize(
    "bad",
    [
        {"min": 0.5, "max": 0.9, "reason": "both bounds at once"},
        {"reason": "no bound at all"},
        {"min": 0.5},
        {"min": 0.5, "reason": "short"},
        {"min": 0.5, "reason": "an unknown key", "extra": 1},
    ],
)
def test_malformed_thresholds_are_rejected(bad):
    with pytest.raises(ValidationError):
        _thresholds({"x": bad})


def test_shipped_thresholds_file_is_valid_and_gates_the_test_split():
    thresholds = load_thresholds(DEFAULT_THRESHOLDS_PATH)
    assert thresholds.split == "test"
    assert thresholds.metrics, "the gate must check something"
    raw = json.loads(DEFAULT_THRESHOLDS_PATH.read_text(encoding="utf-8"))
    assert all(t.get("reason") for t in raw["metrics"].values())
