"""Layering: the nakg package has no import cycle.

The import graph is built from the source with :mod:`ast` — every import
statement counts, module-level, function-level (lazy) and ``TYPE_CHECKING``
alike — so a lower layer can never reach back up, even "only for typing".
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx

SRC = Path(__file__).resolve().parent.parent / "src" / "nakg"


def _modules() -> dict[str, Path]:
    """Module name → file for every .py file of the package."""
    mods = {}
    for path in sorted(SRC.rglob("*.py")):
        parts = ("nakg",) + path.relative_to(SRC).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        mods[".".join(parts)] = path
    return mods


def _target(name: str, mods: dict[str, Path]) -> str | None:
    """The package module ``name`` refers to (its longest known prefix), or None outside the package."""
    parts = name.split(".")
    while parts:
        if ".".join(parts) in mods:
            return ".".join(parts)
        parts.pop()
    return None


def import_graph() -> nx.DiGraph:
    """Edges module → module it imports, from every import statement in the source."""
    mods = _modules()
    g = nx.DiGraph()
    g.add_nodes_from(mods)
    for mod, path in mods.items():
        package = mod if path.name == "__init__.py" else mod.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")
                    base = base[: len(base) - (node.level - 1)]
                    origin = ".".join(base + ([node.module] if node.module else []))
                else:
                    origin = node.module or ""
                # ``from pkg import sub`` imports the submodule when there is one
                names = [f"{origin}.{a.name}" if f"{origin}.{a.name}" in mods else origin for a in node.names]
            for name in names:
                target = _target(name, mods)
                if target is not None and target != mod:
                    g.add_edge(mod, target)
    return g


def test_import_graph_sees_the_package():
    g = import_graph()
    assert g.number_of_nodes() > 50
    # lazy and TYPE_CHECKING imports are edges too
    assert g.has_edge("nakg.tables", "nakg.core")
    assert g.has_edge("nakg.cli", "nakg.commands.exits")


def test_no_import_cycle():
    g = import_graph()
    cycles = [sorted(c) for c in nx.strongly_connected_components(g) if len(c) > 1]
    described = []
    for comp in cycles:
        cycle = nx.find_cycle(g.subgraph(comp))
        described.append(" -> ".join([a for a, _ in cycle] + [cycle[0][0]]))
    assert not described, "import cycles:\n" + "\n".join(described)


def test_lower_layers_do_not_name_the_api():
    """Tables, analytics, views and the resolver know only the core graph type."""
    g = import_graph()
    low = [m for m in g if m in ("nakg.tables", "nakg.views", "nakg.resolve", "nakg.core") or m.startswith("nakg.analytics")]
    assert len(low) >= 8
    for mod in low:
        assert not {"nakg.api", "nakg.cli", "nakg"} & set(g.successors(mod)), mod
