"""Rule hooks: exact numbers, dates and authorities computed from rules kept as data (params.toml)."""
from __future__ import annotations

from datetime import date
from typing import Any

from qa.rules.base import Hook
from qa.rules.extract import Question, parse_question
from qa.rules.model import Computation, RuleContext
from qa.rules.params import ParamSet, QuoteCheckError, assert_corpus, assert_quotes, check_quotes, default_params, load_params


def all_hooks() -> list[Hook]:
    from qa.rules import authority, consolidation, conversions, deadlines, figures, fines, homestead, plan_math

    return [
        *fines.HOOKS,
        *authority.HOOKS,
        *homestead.HOOKS,
        *deadlines.HOOKS,
        *consolidation.HOOKS,
        *plan_math.HOOKS,
        *figures.HOOKS,
        *conversions.HOOKS,
    ]


def run_rules(question: str, corpus: Any = None, *, today: date | None = None, params: ParamSet | None = None) -> list[Computation]:
    """Every computation whose hook applies to the question, most specific first.

    `corpus` is the ingested corpus (ingest.pipeline.Corpus); hooks over plan tables need it
    and stay silent without it. `today` fixes the year of dates given without one.
    """
    ctx = RuleContext(params=params or default_params(), corpus=corpus, today=today or date.today())
    q = parse_question(question, ctx.today)
    scored: list[tuple[int, int, int, Computation]] = []
    for order, hook in enumerate(all_hooks()):
        score = hook.applies(q, ctx)
        if score <= 0:
            continue
        for comp in hook.compute(q, ctx):
            # more specific first: higher score, then complete before asking, then registry order
            scored.append((-score, len(comp.missing), order, comp))
    scored.sort(key=lambda item: item[:3])
    return [comp for *_, comp in scored]


__all__ = [
    "Computation",
    "ParamSet",
    "Question",
    "QuoteCheckError",
    "RuleContext",
    "all_hooks",
    "assert_corpus",
    "assert_quotes",
    "check_quotes",
    "default_params",
    "load_params",
    "parse_question",
    "run_rules",
]
