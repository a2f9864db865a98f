r"""Graphviz DOT export, written directly (no pydot or pygraphviz needed).

Every id and value is a double-quoted DOT string: ``\`` and ``"`` are escaped
with a backslash and line breaks written ``\n``. In ``label`` (the only
attribute Graphviz renders as text) ``&`` is also written ``&amp;``, because
Graphviz turns entities such as ``&alpha;`` in labels into characters. Nodes are
filled with a colour per type; data attributes named like a Graphviz attribute
that changes the drawing (``shape``, ``color``, ``pos`` …) get a ``nakg_`` prefix.

The file starts with ``digraph`` (a leading comment breaks some DOT readers,
graph-tool's among them); what it holds is said in the graph's ``comment``
attribute. A graph of more than :data:`SFDP_ABOVE` nodes names its engine in the
file (``layout="sfdp"``, what ``dot -Tsvg`` then uses): the hierarchical ``dot``
engine takes minutes on the whole graph and draws a page metres long. Every node
has ``pos`` from the shared layout (:func:`nakg.export.projection.node_layout`,
in points, ``y`` upwards), so ``neato -n2`` draws the same picture as the other
exports. The graph's label is a legend of the fill colours (plain text, no extra
nodes).

>>> from nakg.export.projection import example_graph
>>> print(to_dot(example_graph()).splitlines()[0])
digraph "nakg-example" {

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
from .projection import PALETTE, node_layout, type_colors, viewer_graph

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

    from ..api import KnowledgeGraph

__all__ = ["write", "to_dot", "dot_string", "RESERVED", "SFDP_ABOVE", "POINTS"]

#: Graphs with more nodes than this carry ``layout="sfdp"``.
SFDP_ABOVE = 300
#: Points per shared-layout unit in ``pos``.
POINTS = 8.0

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


#: Names of the colours of :data:`nakg.export.projection.PALETTE`, for the legend.
COLOR_NAMES = dict(zip(PALETTE, ("blue", "orange", "red", "teal", "green", "yellow", "purple", "pink", "brown", "grey",
                                 "light teal", "rose", "light blue", "light orange", "light green", "olive", "dark teal",
                                 "light yellow"), strict=True))


def legend(colors: dict[str, str]) -> str:
    """The graph label: which node type each fill colour stands for.

    Plain text, not an HTML-like table: DOT readers outside Graphviz (graph-tool's) cannot parse those.

    >>> print(legend({"Cell": "#4E79A7", "Anode": "#F28E2B"}))
    fill colours: Cell = blue #4E79A7; Anode = orange #F28E2B
    """
    items = [f"{t} = {COLOR_NAMES.get(c, c)} {c}".replace(f"{c} {c}", c) for t, c in colors.items()]
    lines, line = [], "fill colours:"
    for item in items:
        if len(line) + len(item) > 110:
            lines.append(line.rstrip(";"))
            line = ""
        line += f" {item};"
    lines.append(line.rstrip(";"))
    return "\n".join(x.strip() for x in lines)


def to_dot(graph: nx.MultiDiGraph) -> str:
    """A clean viewer graph (see :mod:`nakg.export.projection`) as a DOT digraph."""
    colors = type_colors(graph)
    positions = node_layout(graph)
    name = str(graph.graph.get("name", "nakg"))
    view = graph.graph.get("view", "whole")
    n, m = graph.number_of_nodes(), graph.number_of_edges()
    engine = 'layout="sfdp", overlap="prism", outputorder="edgesfirst", ' if n > SFDP_ABOVE else 'rankdir="LR", overlap="false", '
    comment = f"nakg view '{view}': {n} nodes, {m} edges" + ("; drawn with sfdp (set in the file)" if n > SFDP_ABOVE else "")
    lines = [
        f"digraph {dot_string(name)} {{",
        f'  graph [{engine}fontname="Helvetica", labelloc="b", labeljust="l", comment={dot_string(comment)}, '
        f"label={dot_string(legend(colors))}];",
        '  node [shape="box", style="rounded,filled", fontname="Helvetica", fontsize="10"];',
        '  edge [fontname="Helvetica", fontsize="8"];',
    ]
    for node, data in graph.nodes(data=True):
        x, y, _size = positions[node]
        extra = {"fillcolor": colors[str(data.get("type", ""))], "pos": f"{x * POINTS:g},{-y * POINTS:g}"}
        lines.append(f"  {dot_string(node)} [{_attr_list(data, extra)}];")
    for u, v, _key, data in graph.edges(keys=True, data=True):
        lines.append(f"  {dot_string(u)} -> {dot_string(v)} [{_attr_list(data)}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def write(kg: KnowledgeGraph, view: str, path: Path | str) -> dict[str, int]:
    """Write ``view`` of ``kg`` to ``path`` as DOT; returns ``{"nodes": n, "edges": m}``."""
    graph = viewer_graph(kg, view)
    write_text(path, to_dot(graph))
    return {"nodes": graph.number_of_nodes(), "edges": graph.number_of_edges()}
