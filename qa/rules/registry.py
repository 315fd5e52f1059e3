"""The rule registry (registry.toml): which hooks exist, the parameters binding them to documents, and declared precedence."""
from __future__ import annotations

import heapq
import importlib
import tomllib
import weakref
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from qa.rules.base import Hook
    from qa.rules.model import Computation, RuleContext
    from qa.rules.params import Param

REGISTRY_FILE = Path(__file__).resolve().parent / "registry.toml"


@dataclass(frozen=True)
class RuleDecl:
    name: str
    hook: str  # module:Class under qa.rules
    params: tuple[str, ...]
    subject: tuple[str, ...]
    excludes: tuple[str, ...]
    before: tuple[str, ...]
    answers: tuple[str, ...] = ()  # the asked slots the rule answers (empty: any)


class RegistryError(ValueError):
    """The registry names an unknown rule or its precedence has a cycle."""


def load_registry(path: Path | None = None) -> list[RuleDecl]:
    data = tomllib.loads((path or REGISTRY_FILE).read_text(encoding="utf-8"))
    decls = [
        RuleDecl(
            name=r["name"], hook=r["hook"], params=tuple(r.get("params", [])), subject=tuple(r.get("subject", [])),
            excludes=tuple(r.get("excludes", [])), before=tuple(r.get("before", [])), answers=tuple(r.get("answers", [])),
        )
        for r in data["rule"]
    ]
    names = [d.name for d in decls]
    if len(names) != len(set(names)):
        raise RegistryError(f"duplicate rule names in {REGISTRY_FILE.name}")
    for d in decls:
        for other in (*d.excludes, *d.before):
            if other not in names:
                raise RegistryError(f"{d.name} refers to unknown rule {other}")
    _check_acyclic(decls)
    return decls


def _check_acyclic(decls: list[RuleDecl]) -> None:
    edges = {d.name: set(d.before) for d in decls}
    state: dict[str, int] = {}

    def visit(name: str, path: list[str]) -> None:
        if state.get(name) == 1:
            raise RegistryError("precedence cycle: " + " -> ".join([*path, name]))
        if state.get(name) == 2:
            return
        state[name] = 1
        for nxt in edges[name]:
            visit(nxt, [*path, name])
        state[name] = 2

    for d in decls:
        visit(d.name, [])


@lru_cache(maxsize=1)
def registry() -> tuple[tuple[RuleDecl, Hook], ...]:
    """Every declared rule with its hook instance, in declaration order."""
    out = []
    for decl in load_registry():
        module, cls = decl.hook.split(":")
        hook = getattr(importlib.import_module(f"qa.rules.{module}"), cls)()
        if hook.name != decl.name:
            raise RegistryError(f"{decl.hook} is named {hook.name!r}, registered as {decl.name!r}")
        out.append((decl, hook))
    return tuple(out)


# id of a loaded corpus -> (rule, parameter set) -> bound; dropped when that corpus is
_bound_cache: dict[int, dict[tuple[str, int], tuple[object, bool]]] = {}


def bound(decl: RuleDecl, ctx: RuleContext) -> bool:
    """Does every parameter the rule reads exist, from a document that is in the corpus? Worked out once per
    rule, parameter set and corpus: the answer does not change between requests."""
    if ctx.corpus is None:
        return _bound(decl, ctx)
    known = _bound_cache.get(id(ctx.corpus))
    if known is None:
        known = _bound_cache[id(ctx.corpus)] = {}
        weakref.finalize(ctx.corpus, _bound_cache.pop, id(ctx.corpus), None)
    held = known.get((decl.name, id(ctx.params)))
    if held is None or held[0] is not ctx.params:
        held = known[(decl.name, id(ctx.params))] = (ctx.params, _bound(decl, ctx))
    return held[1]


def referred(ref: str, ctx: RuleContext) -> list[Param]:
    """The parameters a rule's reference names: an id, or every id under a prefix ending in '.'."""
    return [p for p in ctx.params.params if (p.id.startswith(ref) if ref.endswith(".") else p.id == ref)]


def _bound(decl: RuleDecl, ctx: RuleContext) -> bool:
    for ref in decl.params:
        params = referred(ref, ctx)
        if not params or not all(ctx.has_document(p.doc_id) for p in params):
            return False
    return True


def ordered(found: list[tuple[RuleDecl, Computation]]) -> list[Computation]:
    """Computations in declared precedence: a rule's `before` list leads, otherwise registry order with
    complete answers before questions back (a stable topological order)."""
    rank = {decl.name: i for i, (decl, _) in enumerate(registry())}
    nodes = list(range(len(found)))
    after: dict[int, set[int]] = {i: set() for i in nodes}
    indegree = dict.fromkeys(nodes, 0)
    for i, (di, _) in enumerate(found):
        for j, (dj, _) in enumerate(found):
            if dj.name in di.before and j not in after[i]:
                after[i].add(j)
                indegree[j] += 1

    def key(i: int) -> tuple[int, int, int]:
        decl, comp = found[i]
        return (1 if comp.missing else 0, rank[decl.name], i)

    ready = [key(i) for i in nodes if indegree[i] == 0]
    heapq.heapify(ready)
    out: list[Computation] = []
    while ready:
        *_, i = heapq.heappop(ready)
        out.append(found[i][1])
        for j in after[i]:
            indegree[j] -= 1
            if indegree[j] == 0:
                heapq.heappush(ready, key(j))
    return out
