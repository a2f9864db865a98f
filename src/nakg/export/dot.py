r"""Graphviz DOT export, written directly (no pydot or pygraphviz needed).

Every id and value is a double-quoted DOT string: ``\`` and ``"`` are escaped
with a backslash and line breaks written ``\n``. In ``label`` (the only
attribute Graphviz renders as text) ``&`` is also written ``&amp;``, because
Graphviz turns entities such as ``&alpha;`` in labels into characters. Nodes are
filled with a colour per type; data attributes named like a Graphviz attribute
that changes the drawing (``shape``, ``color``, ``pos`` …) get a ``nakg_`` prefix.

For the whole graph use a force-directed engine: ``sfdp -Tsvg nakg-whole.dot -o nakg.svg``.

>>> print(dot_string('say "hi" & <go> \\ now'))
"say \"hi\" & <go> \\ now"
>>> print(dot_string("a & b", label=True))
"a &amp; b"
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .files import write_text
from .projection import type_colors, viewer_graph

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

    from ..api import KnowledgeGraph

__all__ = ["write", "to_dot", "dot_string", "RESERVED"]

#: Graphviz attributes that change the drawing; data attributes with these names get a ``nakg_`` prefix.
RESERVED = frozenset({"shape", "color", "fillcolor", "fontcolor", "fontname", "fontsize", "style", "width", "height",
                      "pos", "id", "group", "weight", "len", "dir", "penwidth", "url", "href", "tooltip", "image",
                      "xlabel", "headlabel", "taillabel", "rank", "constraint", "minlen", "peripheries", "sides",
                      "fixedsize", "margin", "arrowhead", "arrowtail", "layer", "class", "comment"})


_ID = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def dot_string(value: Any, label: bool = False) -> str:
    """``value`` as a double-quoted DOT string (``label=True``: also escape ``&`` as Graphviz renders labels)."""
    text = "true" if value is True else "false" if value is False else str(value)
    text = text.replace("\\", "\\\\").replace('"', '\\"').replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")
    if label:
        text = text.replace("&", "&amp;")
    return f'"{text}"'


def _attr_list(attrs: dict[str, Any], extra: dict[str, str] | None = None) -> str:
    parts = []
    for name, value in sorted(attrs.items()):
        key = f"nakg_{name}" if name.lower() in RESERVED else name
        name_id = key if _ID.fullmatch(key) else dot_string(key)
        parts.append(f"{name_id}={dot_string(value, label=(key == 'label'))}")
    for name, value in (extra or {}).items():
        parts.append(f"{name}={dot_string(value)}")
    return ", ".join(parts)


def to_dot(graph: nx.MultiDiGraph) -> str:
    """A clean viewer graph (see :mod:`nakg.export.projection`) as a DOT digraph."""
    colors = type_colors(graph)
    name = str(graph.graph.get("name", "nakg"))
    lines = [
        f"// nakg view '{graph.graph.get('view', 'whole')}': {graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges",
        f"digraph {dot_string(name)} {{",
        '  graph [rankdir="LR", overlap="false", fontname="Helvetica"];',
        '  node [shape="box", style="rounded,filled", fontname="Helvetica", fontsize="10"];',
        '  edge [fontname="Helvetica", fontsize="8"];',
    ]
    for node, data in graph.nodes(data=True):
        lines.append(f"  {dot_string(node)} [{_attr_list(data, {'fillcolor': colors[str(data.get('type', ''))]})}];")
    for u, v, _key, data in graph.edges(keys=True, data=True):
        lines.append(f"  {dot_string(u)} -> {dot_string(v)} [{_attr_list(data)}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def write(kg: KnowledgeGraph, view: str, path: Path | str) -> dict[str, int]:
    """Write ``view`` of ``kg`` to ``path`` as DOT; returns ``{"nodes": n, "edges": m}``."""
    graph = viewer_graph(kg, view)
    write_text(path, to_dot(graph))
    return {"nodes": graph.number_of_nodes(), "edges": graph.number_of_edges()}
