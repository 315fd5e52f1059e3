"""Rule hooks: exact numbers, dates and authorities computed from rules kept as data (params.toml, registry.toml)."""
from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from qa.places import region_key
from qa.route import route
from qa.rules.base import Hook
from qa.rules.extract import Question, parse_question
from qa.rules.model import Computation, Reading, RuleContext, Understood
from qa.rules.params import ParamSet, QuoteCheckError, assert_corpus, assert_quotes, check_quotes, default_params, load_params
from qa.rules.registry import RuleDecl, bound, ordered, referred, registry
from qa.rules.totals import total_of_fines

if TYPE_CHECKING:
    from ingest.pipeline import Corpus


def all_hooks() -> list[Hook]:
    return [hook for _, hook in registry()]


def run_rules(question: str | Question, corpus: Corpus | None = None, *, today: date | None = None, params: ParamSet | None = None) -> list[Computation]:
    """Every computation of the rules that apply to the question, in the registry's declared precedence.

    `question` is the parsed question (parse_question, done once by the question analysis) or its
    text. `corpus` is the ingested corpus (ingest.pipeline.Corpus); rules bound to documents that are
    not in it do not run, and hooks over plan tables stay silent without it. `today` fixes the year
    of dates given without one and the meaning of "今天".
    """
    ctx = RuleContext(params=params or default_params(), corpus=corpus, today=today or date.today())
    q = question if isinstance(question, Question) else parse_question(question, ctx.today)
    if q.documents is None and corpus is not None:
        routed = route(q.text, corpus)
        q.documents, q.explicit_ids = tuple(routed.named_doc_ids), tuple(routed.explicit_ids)
    applicable = [(decl, hook) for decl, hook in registry() if bound(decl, ctx) and _named(decl, q, ctx) and hook.applies(q, ctx)]
    excluded = {name for decl, _ in applicable for name in decl.excludes}
    found: list[tuple[RuleDecl, Computation]] = [
        (decl, comp) for decl, hook in applicable if decl.name not in excluded for comp in hook.compute(q, ctx)
    ]
    for decl, comp in found:
        comp.answers = list(decl.answers)
        comp.other_regions = _other_regions(q, comp, ctx)
        if comp.other_regions and not _names_governed_region(q, comp, ctx) and "region" not in comp.missing:
            # the question is about a place this rule does not govern: say so first, and do not present it as the answer
            comp.missing.append("region")
            comp.result = f"（本条不适用于{'、'.join(comp.other_regions)}，仅供参考）" + comp.result
            comp.value = None
        comp.yields_to = _more_specific(q, decl, comp, ctx)
        for doc_id in comp.yields_to:
            doc = ctx.document(doc_id)
            comp.warnings.insert(0, f"问题问的是{doc.region}，{doc.citation_title()}对此有更具体的规定，应以其为准；以下按上位规定计算，仅供参考。")
        if comp.missing or comp.yields_to:
            comp.value = None  # a number is printed only when every input is bound and the rule is the one that governs
    computations = ordered(found)
    total = total_of_fines(q, computations)
    return [total, *computations] if total else computations


def _named(decl: RuleDecl, q: Question, ctx: RuleContext) -> bool:
    """A rule bound to documents runs for a question that names documents only when it names one of them
    ('自治区土地资源十四五规划里…' is not asked of the 喀什 plan's project list); a place names no document here: a
    rule of another region is run and flagged (other_regions)."""
    if not q.documents:
        return True
    own = {p.doc_id for ref in decl.params for p in referred(ref, ctx)}
    return not own or not own.isdisjoint(q.documents)


def _names_governed_region(q: Question, comp: Computation, ctx: RuleContext) -> bool:
    governed = {region_key(ctx.document(uid.split(":", 1)[0]).region) for uid in comp.citation_ids}
    return any(r in governed for r in q.regions)


def _other_regions(q: Question, comp: Computation, ctx: RuleContext) -> list[str]:
    doc_ids = {uid.split(":", 1)[0] for uid in comp.citation_ids}
    if not doc_ids or not q.regions:
        return []
    governed = {region_key(ctx.document(d).region) for d in doc_ids}
    return [r for r in q.regions if r not in governed]


_LEVELS = ("自治区", "地区", "自治州", "州", "市", "县", "区", "镇", "乡")


def _place_names(region_tail: str) -> list[str]:
    """'喀什地区巴楚县' -> ['喀什地区巴楚县', '巴楚县', '巴楚']: the most specific place and its short name."""
    last = region_tail
    for level in ("地区", "自治州", "州", "市", "县"):
        pos = region_tail.rfind(level, 0, len(region_tail) - len(level))
        if pos > 0:
            last = region_tail[pos + len(level):]
            break
    names = [region_tail, last]
    for level in _LEVELS:
        if last.endswith(level) and len(last) > len(level) + 1:
            names.append(last[: -len(level)])
            break
    return [n for n in dict.fromkeys(names) if len(n) >= 2]


def _more_specific(q: Question, decl: RuleDecl, comp: Computation, ctx: RuleContext) -> list[str]:
    """Documents of the corpus for the place asked, more specific than the rule's own, that state its subject."""
    if ctx.corpus is None or not decl.subject:
        return []
    own = {uid.split(":", 1)[0] for uid in comp.citation_ids}
    regions = [ctx.document(d).region for d in own if ctx.has_document(d)]
    out: list[str] = []
    for doc in ctx.corpus.catalog.documents:
        if doc.id in own:
            continue
        parent = next((r for r in regions if doc.region.startswith(r) and len(doc.region) > len(r)), None)
        if parent is None:
            continue
        names = [*_place_names(doc.region[len(parent):]), *doc.places]
        if not any(n and n in q.norm for n in names):
            continue
        groups = [s.split("+") for s in decl.subject]
        if any(all(w in u.text for w in g) for u in ctx.corpus.units if u.doc_id == doc.id for g in groups):
            out.append(doc.id)
    return out


__all__ = [
    "Computation",
    "ParamSet",
    "Question",
    "QuoteCheckError",
    "Reading",
    "RuleContext",
    "Understood",
    "all_hooks",
    "assert_corpus",
    "assert_quotes",
    "check_quotes",
    "default_params",
    "load_params",
    "parse_question",
    "run_rules",
]
