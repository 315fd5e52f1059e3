"""Rule hooks: exact numbers, dates and authorities computed from rules kept as data (params.toml)."""
from __future__ import annotations

from datetime import date
from typing import Any

from qa.rules.base import Hook
from qa.rules.extract import Question, parse_question
from qa.rules.model import Computation, RuleContext
from qa.rules.params import ParamSet, QuoteCheckError, assert_corpus, assert_quotes, check_quotes, default_params, load_params


def all_hooks() -> list[Hook]:
    from qa.rules import authority, consolidation, conversions, deadlines, figures, fines, hearing, homestead, plan_math

    return [
        *fines.HOOKS,
        *authority.HOOKS,
        *homestead.HOOKS,
        *hearing.HOOKS,
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
    out = [comp for *_, comp in scored]
    for comp in out:
        comp.other_regions = _other_regions(q, comp, ctx)
        if comp.other_regions and not _names_governed_region(q, comp, ctx) and "region" not in comp.missing:
            # the question is about a place this rule does not govern: say so first, and do not present it as the answer
            comp.missing.append("region")
            comp.result = f"（本条不适用于{'、'.join(comp.other_regions)}，仅供参考）" + comp.result
    return out


def _names_governed_region(q: Question, comp: Computation, ctx: RuleContext) -> bool:
    from qa.rules.base import region_key

    governed = {region_key(ctx.document(uid.split(":", 1)[0])) for uid in comp.citation_ids}
    return any(r in governed for r in q.regions)


def _other_regions(q: Question, comp: Computation, ctx: RuleContext) -> list[str]:
    from qa.rules.base import region_key

    doc_ids = {uid.split(":", 1)[0] for uid in comp.citation_ids}
    if not doc_ids or not q.regions:
        return []
    governed = {region_key(ctx.document(d)) for d in doc_ids}
    return [r for r in q.regions if r not in governed]


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
