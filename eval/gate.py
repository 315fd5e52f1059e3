"""The regression gate: minimum (or maximum) test-set metrics from eval/thresholds.json, each with its reason."""
from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = [
    "DEFAULT_THRESHOLDS_PATH", "Failure", "Threshold", "Thresholds", "check", "format_failures", "load_thresholds", "lookup", "proposal", "propose",
]

DEFAULT_THRESHOLDS_PATH = Path(__file__).resolve().parent / "thresholds.json"


class Threshold(BaseModel):
    """A bound on one metric. `min` for scores that must stay high, `max` for rates and latencies."""

    model_config = ConfigDict(extra="forbid")

    min: float | None = None
    max: float | None = None
    reason: str = Field(min_length=10)

    @model_validator(mode="after")
    def _one_bound(self) -> Threshold:
        if (self.min is None) == (self.max is None):
            raise ValueError("give exactly one of min and max")
        return self

    @property
    def bound(self) -> tuple[Literal["min", "max"], float]:
        """Which bound this is and its value (exactly one is set, checked when loading)."""
        if self.min is not None:
            return "min", self.min
        if self.max is not None:
            return "max", self.max
        raise ValueError("a threshold without a bound")


class Thresholds(BaseModel):
    model_config = ConfigDict(extra="forbid")

    comment: str = Field("", alias="_comment")
    split: str = "test"
    metrics: dict[str, Threshold]
    # Invariance bounds checked by tests/test_perturbation.py (eval/perturb.py), not by `--gate`.
    perturbation: dict[str, Threshold] = Field(default_factory=dict)


@dataclass(frozen=True)
class Failure:
    metric: str
    value: float | None
    bound: Literal["min", "max"]
    limit: float
    reason: str

    def describe(self) -> str:
        shown = "missing" if self.value is None else f"{self.value:.4g}"
        relation = "below the minimum" if self.bound == "min" else "above the maximum"
        return f"{self.metric} = {shown}, {relation} {self.limit:.4g} (threshold set because: {self.reason})"


def load_thresholds(path: Path | str | None = None) -> Thresholds:
    path = Path(path) if path is not None else DEFAULT_THRESHOLDS_PATH
    return Thresholds.model_validate(json.loads(Path(path).read_text(encoding="utf-8")))


def lookup(metrics: Mapping[str, Any], dotted: str) -> float | None:
    """metrics['retrieval']['hybrid']['hit@5'] for 'retrieval.hybrid.hit@5'; None when absent.

    Keys may themselves hold dots, so the longest key matching a prefix wins.
    """
    node: Any = metrics
    rest = dotted
    while rest:
        if not isinstance(node, Mapping):
            return None
        key = next((k for k in sorted(node, key=len, reverse=True) if rest == k or rest.startswith(k + ".")), None)
        if key is None:
            return None
        node = node[key]
        rest = rest[len(key) + 1 :]
    if isinstance(node, bool) or not isinstance(node, (int, float)):
        return None
    return float(node)


def check(metrics: Mapping[str, Any], thresholds: Thresholds) -> list[Failure]:
    """Every metric outside its bound; a metric that is missing or NaN fails too."""
    failures = []
    for name, t in thresholds.metrics.items():
        value = lookup(metrics, name)
        if value is not None and math.isnan(value):
            value = None
        bound, limit = t.bound
        if value is None or (value < limit if bound == "min" else value > limit):
            failures.append(Failure(name, value, bound, limit, t.reason))
    return failures


def format_failures(failures: list[Failure], thresholds: Thresholds) -> str:
    if not failures:
        return f"gate: all {len(thresholds.metrics)} metrics within eval/thresholds.json ({thresholds.split} split)"
    lines = [f"gate FAILED: {len(failures)} of {len(thresholds.metrics)} metrics outside eval/thresholds.json ({thresholds.split} split):"]
    lines += [f"  - {f.describe()}" for f in failures]
    lines.append("Fix the regression, or lower the threshold with a written reason in the same commit.")
    return "\n".join(lines)


GATED_OVERALL = [
    *(f"overall.retrieval.hybrid.{m}" for m in ("hit@1", "hit@5", "mrr@10", "ndcg@10")),
    *(f"overall.answer.{m}" for m in (
        "answer_accuracy", "fact_recall", "computed_exact_match", "citation_precision", "citation_recall",
        "correct_refusal_rate", "false_refusal_rate", "overall_accuracy",
    )),
]
# Latency is reported, never gated: speed goals live in `landqa bench`, not in CI pass/fail.


def proposal(metrics: Mapping[str, Any], note: str = "") -> dict[str, Any]:
    """A full thresholds file: overall metrics at -0.02, each type's accuracy less one question."""
    proposed = propose(metrics, GATED_OVERALL, note=note)
    for qtype, block in metrics.get("by_type", {}).items():
        n = int(block.get("n") or 0)
        name = f"by_type.{qtype}.answer.overall_accuracy"
        value = lookup(metrics, name)
        if n and value is not None:
            margin = round(max(0.02, 1 / n + 0.001), 3)
            proposed[name] = {"min": round(max(0.0, value - margin), 3),
                              "reason": f"reached {value:.3f}{note}; less one question of {n} ({margin}) for nondeterminism"}
    return {"_comment": "Minimum (max for failure rates) test-split metrics for `landqa eval --gate`. "
            "Lowering a bound needs a written reason in the same commit.", "split": "test", "metrics": proposed}


# Metrics where lower is better: they get a `max` bound.
_LOWER_IS_BETTER = ("false_refusal_rate",)


def propose(
    metrics: Mapping[str, Any],
    names: list[str],
    *,
    margin: float = 0.02,
    note: str = "",
) -> dict[str, Any]:
    """Thresholds at the level reached minus a margin (plus a margin for lower-is-better rates), each with a generated reason to review before use."""
    out: dict[str, Any] = {}
    for name in names:
        value = lookup(metrics, name)
        if value is None or math.isnan(value):
            continue
        if any(key in name for key in _LOWER_IS_BETTER):
            bound = {"max": round(min(1.0, value + margin), 3)}
            why = f"reached {value:.3f}{note}; +{margin} for nondeterminism"
        else:
            bound = {"min": round(max(0.0, value - margin), 3)}
            why = f"reached {value:.3f}{note}; -{margin} for nondeterminism"
        out[name] = {**bound, "reason": why}
    return out
