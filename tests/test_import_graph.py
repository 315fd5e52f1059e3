"""The import graph: data flows one way (qa/ and ingest/ never import eval/), and no project modules import each other in a cycle.

Imports are read with ast from the source, including those inside functions (a cycle hidden in a
function is still a cycle); imports under `if TYPE_CHECKING:` are for the type checker only and
are left out.
"""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("ingest", "qa", "eval")
SERVING = ("ingest", "qa")
# Known offenders, each being fixed under issue 13 by the engineer named. An entry that no longer
# offends fails the test, so the list only shrinks.
PENDING_EVAL_IMPORTS: dict[str, str] = {}
PENDING_CYCLES: list[frozenset[str]] = []


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(path): path for package in PACKAGES for path in sorted((ROOT / package).rglob("*.py"))}


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _runtime_imports(tree: ast.Module) -> list[ast.Import | ast.ImportFrom]:
    found: list[ast.Import | ast.ImportFrom] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for branch in node.orelse:
                visit(branch)
            return
        if isinstance(node, ast.Import | ast.ImportFrom):
            found.append(node)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def _resolve(module: str, path: Path, node: ast.Import | ast.ImportFrom, known: set[str]) -> set[str]:
    """The project modules an import statement loads: `from a.b import c` is a.b.c when that is a module, else a.b."""
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    else:
        base = node.module or ""
        if node.level:
            package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
            package = package[: len(package) - (node.level - 1)]
            base = ".".join([*package, base] if base else package)
        names = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base for alias in node.names]
    targets = set()
    for name in names:
        # `import a.b.c` loads a.b.c; keep the longest prefix that is a project module.
        parts = name.split(".")
        while parts and ".".join(parts) not in known:
            parts.pop()
        if parts:
            targets.add(".".join(parts))
    targets.discard(module)
    return targets


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    known = set(modules)
    graph: dict[str, set[str]] = {}
    for module, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        graph[module] = set().union(*(_resolve(module, path, node, known) for node in _runtime_imports(tree)))
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[frozenset[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[frozenset[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                connect(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(frozenset(component))

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return components


def test_the_graph_is_read() -> None:
    """A guard on the reader itself: known edges of the tree are found, including one inside a function."""
    graph = _graph()
    assert "ingest.catalog" in graph["ingest.pipeline"]
    assert "qa.config" in graph["qa.cli"]
    assert "qa.engine" in graph["qa.cli"]  # imported inside the command handlers
    assert "qa.cli" in graph["eval.cli"]


def test_serving_code_never_imports_eval() -> None:
    graph = _graph()
    offenders = {module: sorted(t for t in targets if t.split(".")[0] == "eval") for module, targets in graph.items() if module.split(".")[0] in SERVING}
    offenders = {module: targets for module, targets in offenders.items() if targets}
    unexpected = {module: targets for module, targets in offenders.items() if module not in PENDING_EVAL_IMPORTS}
    assert not unexpected, f"qa/ and ingest/ must not import eval/ (data flows one way): {unexpected}"
    fixed = sorted(set(PENDING_EVAL_IMPORTS) - set(offenders))
    assert not fixed, f"no longer importing eval (or moved): remove from PENDING_EVAL_IMPORTS: {fixed}"


def test_ingest_never_imports_qa() -> None:
    graph = _graph()
    offenders = {module: sorted(t for t in targets if t.split(".")[0] != "ingest") for module, targets in graph.items() if module.split(".")[0] == "ingest"}
    assert not {module: targets for module, targets in offenders.items() if targets}


def test_no_import_cycles() -> None:
    cycles = _cycles(_graph())
    unexpected = [sorted(cycle) for cycle in cycles if cycle not in PENDING_CYCLES]
    assert not unexpected, f"import cycles among project modules: {unexpected}"
    fixed = [sorted(cycle) for cycle in PENDING_CYCLES if cycle not in cycles]
    assert not fixed, f"cycle gone: remove from PENDING_CYCLES: {fixed}"


def test_a_cycle_inside_functions_is_found() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycles(graph) == [frozenset({"a", "b", "c"})]
