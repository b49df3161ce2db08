"""The house's arrows: imports point one way (web -> graph -> loaders -> ontology), rooms of graph/ in
their order, and no module imports itself back through others. Read from the source with `ast`, so
imports inside functions count too (they are how cycles used to be dodged)."""
from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("ontology", "loaders", "graph", "web")
# What each part may import of ours (besides itself). graph's rooms come in layers: a room may use the
# rooms before it; the CLI sits on top of all of them.
ALLOWED = {
    "ontology": set(),
    "loaders": {"ontology"},
    "graph.sparql": {"ontology"},
    "graph.store": {"graph.sparql", "ontology"},
    "graph.pipeline": {"graph.store", "graph.sparql", "loaders", "ontology"},
    "graph.questions": {"graph.store", "graph.sparql", "ontology"},
    "graph.explore": {"graph.questions", "graph.store", "graph.sparql", "ontology"},
    "graph.workshop": {"graph.questions", "graph.explore", "graph.store", "graph.sparql", "ontology"},
    "graph.cli": {"graph.workshop", "graph.explore", "graph.questions", "graph.pipeline", "graph.store", "graph.sparql", "loaders",
                  "ontology"},
    "graph": {"ontology"},  # graph/__init__.py and any module beside the rooms
    "web": {"graph", "ontology"},
}


def modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """Our modules this one imports, anywhere in its text (`from a import b` counts a.b when a.b is
    a module, else a)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found |= {f"{node.module}.{a.name}" if f"{node.module}.{a.name}" in known else node.module
                      for a in node.names}
    return {m for m in found if m.split(".")[0] in PACKAGES and m != name}


def part(module: str) -> str:
    """The part of the house a module belongs to: the longest key of ALLOWED it lies in."""
    return max((k for k in ALLOWED if module == k or module.startswith(k + ".")), key=len)


def allowed(source_part: str, target_part: str) -> bool:
    return any(target_part == x or target_part.startswith(x + ".") for x in ALLOWED[source_part])


def import_graph() -> nx.DiGraph:
    found = modules()
    graph = nx.DiGraph()
    for name, path in found.items():
        graph.add_node(name)
        for target in imports_of(name, path, set(found)):
            graph.add_edge(name, target)
    return graph


def test_every_import_points_the_right_way():
    wrong = []
    for source, target in import_graph().edges:
        a, b = part(source), part(target)
        if a != b and not allowed(a, b):
            wrong.append(f"{source} -> {target}")
    assert not wrong, "imports against the arrows:\n" + "\n".join(sorted(wrong))


def test_no_import_cycles():
    graph = import_graph()
    # a package's __init__ re-exporting its own modules is not a cycle of meaning
    graph.remove_edges_from([(s, t) for s, t in list(graph.edges) if t.startswith(s + ".")])
    cycles = list(nx.simple_cycles(graph))
    assert not cycles, "import cycles:\n" + "\n".join(" -> ".join(c + [c[0]]) for c in cycles[:10])


@pytest.mark.parametrize("source, target", [("graph.cli.queries", "web.cli"), ("loaders.authoring", "graph.store"),
                                            ("graph.store.base", "graph.pipeline.load")])
def test_the_check_sees_a_wrong_arrow(source, target):
    assert not allowed(part(source), part(target))
