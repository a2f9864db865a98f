"""GEXF 1.2 export for Gephi.

Node and edge labels use GEXF's own ``label`` attribute (Gephi's Label column);
every other attribute is declared once in ``<attributes>`` with its type
(``string``, ``long``, ``double``, ``boolean``) and a numeric id (``0``, ``1`` …:
graphology-gexf and Gephi take a non-numeric id for the attribute's name). Titles that Gephi or the GEXF
format reserve (``id``, ``label``, ``start``, ``end``, ``pid``, ``weight``,
``type``, ``kind`` …) are renamed with a ``nakg_`` prefix, so the lineage view's
edge ``kind`` becomes ``nakg_kind``. Nodes are coloured by type (``viz:color``)
and placed by the shared layout (``viz:position``, ``y`` upwards as in Gephi,
and ``viz:size``; see :func:`nakg.export.projection.node_layout`), so Gephi opens
a drawn graph without running a layout first.

networkx's :func:`networkx.read_gexf` reads the file back.

>>> import io, networkx as nx
>>> from nakg.export.projection import example_graph
>>> g = nx.read_gexf(io.BytesIO(to_gexf_bytes(example_graph())))
>>> g.nodes["https://w3id.org/nakg/resource/material/nzsp"]["label"], g.nodes["https://w3id.org/nakg/resource/material/nzsp"]["type"]
('Na3Zr2Si2PO12', 'SolidElectrolyte')
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from .files import write_bytes
from .projection import attribute_types, node_layout, type_colors, viewer_graph

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

    from ..api import KnowledgeGraph

__all__ = ["write", "to_gexf_bytes", "RESERVED_NODE", "RESERVED_EDGE", "gexf_name"]

GEXF = "http://www.gexf.net/1.2draft"
VIZ = "http://www.gexf.net/1.2draft/viz"
XSI = "http://www.w3.org/2001/XMLSchema-instance"

#: Attribute titles a GEXF reader or Gephi treats specially (compared case-insensitively).
RESERVED_NODE = frozenset({"id", "label", "start", "end", "pid", "parents", "slices", "spells", "viz", "timeset",
                           "interval", "x", "y", "z", "size", "color", "r", "g", "b"})
RESERVED_EDGE = frozenset({"id", "label", "source", "target", "weight", "type", "kind", "start", "end", "slices",
                           "spells", "viz", "timeset", "interval", "color"})
_TYPES = {str: "string", int: "long", float: "double", bool: "boolean"}


def gexf_name(name: str, reserved: frozenset[str]) -> str:
    """The attribute title written for ``name`` (reserved names get a ``nakg_`` prefix).

    >>> gexf_name("kind", RESERVED_EDGE), gexf_name("relation", RESERVED_EDGE)
    ('nakg_kind', 'relation')
    """
    return f"nakg_{name}" if name.lower() in reserved else name


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _attributes(graph_el, scope: str, records: list[dict[str, Any]], reserved: frozenset[str]) -> dict[str, str]:
    from xml.etree.ElementTree import SubElement

    block = SubElement(graph_el, "attributes", {"class": scope, "mode": "static"})
    ids = {}
    for i, (name, kind) in enumerate(sorted((k, t) for k, t in attribute_types(records).items() if k != "label")):
        ids[name] = str(i)
        SubElement(block, "attribute", {"id": ids[name], "title": gexf_name(name, reserved), "type": _TYPES[kind]})
    return ids


def _values(el, data: dict[str, Any], ids: dict[str, str]) -> None:
    from xml.etree.ElementTree import SubElement

    values = [(ids[k], v) for k, v in sorted(data.items()) if k != "label"]
    if values:
        block = SubElement(el, "attvalues")
        for key, value in values:
            SubElement(block, "attvalue", {"for": key, "value": _text(value)})


def to_gexf_bytes(graph: nx.MultiDiGraph) -> bytes:
    """A clean viewer graph (see :mod:`nakg.export.projection`) as GEXF 1.2."""
    from io import BytesIO
    from xml.etree.ElementTree import Element, ElementTree, SubElement, indent

    root = Element("gexf", {"xmlns": GEXF, "xmlns:viz": VIZ, "xmlns:xsi": XSI, "version": "1.2",
                            "xsi:schemaLocation": f"{GEXF} http://www.gexf.net/1.2draft/gexf.xsd"})
    meta = SubElement(root, "meta")
    SubElement(meta, "creator").text = "nakg"
    SubElement(meta, "description").text = f"{graph.graph.get('name', 'nakg')}: view '{graph.graph.get('view', 'whole')}'"
    g = SubElement(root, "graph", {"defaultedgetype": "directed", "mode": "static"})
    node_ids = _attributes(g, "node", [d for _, d in graph.nodes(data=True)], RESERVED_NODE)
    edge_ids = _attributes(g, "edge", [d for *_, d in graph.edges(data=True)], RESERVED_EDGE)
    colors = type_colors(graph)
    positions = node_layout(graph)
    nodes = SubElement(g, "nodes")
    for node, data in graph.nodes(data=True):
        el = SubElement(nodes, "node", {"id": node, "label": str(data["label"])})
        _values(el, data, node_ids)
        color = colors[str(data.get("type", ""))]
        SubElement(el, "viz:color", {"r": str(int(color[1:3], 16)), "g": str(int(color[3:5], 16)), "b": str(int(color[5:7], 16))})
        x, y, size = positions[node]
        SubElement(el, "viz:position", {"x": f"{x:g}", "y": f"{-y:g}", "z": "0.0"})
        SubElement(el, "viz:size", {"value": f"{size:g}"})
    edges = SubElement(g, "edges")
    for u, v, key, data in graph.edges(keys=True, data=True):
        el = SubElement(edges, "edge", {"id": str(key), "source": u, "target": v, "label": str(data.get("label", ""))})
        _values(el, data, edge_ids)
    indent(root, space=" ")
    buf = BytesIO()
    ElementTree(root).write(buf, encoding="utf-8", xml_declaration=True)
    return buf.getvalue()


def write(kg: KnowledgeGraph, view: str, path: Path | str) -> dict[str, int]:
    """Write ``view`` of ``kg`` to ``path`` as GEXF; returns ``{"nodes": n, "edges": m}``."""
    graph = viewer_graph(kg, view)
    write_bytes(path, to_gexf_bytes(graph))
    return {"nodes": graph.number_of_nodes(), "edges": graph.number_of_edges()}
