"""GraphML export for Gephi, Cytoscape and yEd.

Node and edge attributes are declared once each with their GraphML type
(``string``, ``long``, ``double``, ``boolean``). Labels are written twice:

* as the ``label`` attribute, which Gephi and Cytoscape read (Gephi makes it the
  node label; Cytoscape imports it as a column);
* as yFiles graphics (``y:ShapeNode/y:NodeLabel``, ``y:PolyLineEdge/y:EdgeLabel``),
  the only labels yEd shows without a Properties Mapper; nodes get their place in
  the shared layout (:func:`nakg.export.projection.node_layout`, its units times
  :data:`YED_SCALE` so that label boxes do not overlap), a size that fits the
  label and a fill colour per type.

The two yFiles keys carry ``attr.name`` and ``attr.type`` (``string``) as well as
``yfiles.type``: readers that know no yFiles (graph-tool, igraph, graphology)
refuse a key without a type.

networkx's :func:`networkx.read_graphml` reads the file back (it also decodes
the yFiles labels).

>>> import io, networkx as nx
>>> from nakg.export.projection import example_graph
>>> g = nx.read_graphml(io.BytesIO(to_graphml_bytes(example_graph())))
>>> g.nodes["https://w3id.org/nakg/resource/material/nzsp"]["family"], sorted(g.edges(data="label"))[0][2]
('NASICON', 'has anode')
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from .files import write_bytes
from .projection import attribute_types, node_layout, type_colors, viewer_graph

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

    from ..api import KnowledgeGraph

__all__ = ["write", "to_graphml_bytes"]

GRAPHML = "http://graphml.graphdrawing.org/xmlns"
YFILES = "http://www.yworks.com/xml/graphml"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA = f"{GRAPHML} http://www.yworks.com/xml/schema/graphml/1.1/ygraphml.xsd"

_TYPES = {str: "string", int: "long", float: "double", bool: "boolean"}
#: yEd coordinates per shared-layout unit (yEd boxes are as wide as their label).
YED_SCALE = 12.0


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _declare(root, scope: str, prefix: str, records: list[dict[str, Any]]) -> dict[str, str]:
    from xml.etree.ElementTree import SubElement

    ids = {}
    for i, (name, kind) in enumerate(sorted(attribute_types(records).items())):
        ids[name] = f"{prefix}{i}"
        SubElement(root, "key", {"id": ids[name], "for": scope, "attr.name": name, "attr.type": _TYPES[kind]})
    return ids


def to_graphml_bytes(graph: nx.MultiDiGraph) -> bytes:
    """A clean viewer graph (see :mod:`nakg.export.projection`) as GraphML with yFiles labels."""
    from io import BytesIO
    from xml.etree.ElementTree import Element, ElementTree, SubElement, indent

    # namespaces are declared as plain attributes and prefixes written literally, so the
    # default namespace stays unprefixed (as GraphML readers expect) without global registration

    root = Element("graphml", {"xmlns": GRAPHML, "xmlns:y": YFILES, "xmlns:xsi": XSI, "xsi:schemaLocation": SCHEMA})
    node_keys = _declare(root, "node", "dn", [d for _, d in graph.nodes(data=True)])
    edge_keys = _declare(root, "edge", "de", [d for *_, d in graph.edges(data=True)])
    SubElement(root, "key", {"id": "dg0", "for": "graph", "attr.name": "name", "attr.type": "string"})
    SubElement(root, "key", {"id": "dng", "for": "node", "yfiles.type": "nodegraphics", "attr.name": "nodegraphics",
                             "attr.type": "string"})
    SubElement(root, "key", {"id": "deg", "for": "edge", "yfiles.type": "edgegraphics", "attr.name": "edgegraphics",
                             "attr.type": "string"})
    g = SubElement(root, "graph", {"id": str(graph.graph.get("name", "nakg")), "edgedefault": "directed"})
    SubElement(g, "data", {"key": "dg0"}).text = str(graph.graph.get("name", "nakg"))
    positions = node_layout(graph)
    colors = type_colors(graph)
    for node, data in graph.nodes(data=True):
        el = SubElement(g, "node", {"id": node})
        for name, value in sorted(data.items()):
            SubElement(el, "data", {"key": node_keys[name]}).text = _text(value)
        label = str(data["label"])
        x, y, _size = positions[node]
        width = min(200, max(40, 7 * len(label)))
        shape = SubElement(SubElement(el, "data", {"key": "dng"}), "y:ShapeNode")
        SubElement(shape, "y:Geometry", {"x": f"{x * YED_SCALE - width / 2:.1f}", "y": f"{y * YED_SCALE - 15:.1f}",
                                         "width": f"{width}.0", "height": "30.0"})
        SubElement(shape, "y:Fill", {"color": colors[str(data.get("type", ""))], "transparent": "false"})
        SubElement(shape, "y:NodeLabel", {"visible": "true", "autoSizePolicy": "content"}).text = label
        SubElement(shape, "y:Shape", {"type": "roundrectangle"})
    for u, v, key, data in graph.edges(keys=True, data=True):
        el = SubElement(g, "edge", {"id": str(key), "source": u, "target": v})
        for name, value in sorted(data.items()):
            SubElement(el, "data", {"key": edge_keys[name]}).text = _text(value)
        line = SubElement(SubElement(el, "data", {"key": "deg"}), "y:PolyLineEdge")
        SubElement(line, "y:Arrows", {"source": "none", "target": "standard"})
        SubElement(line, "y:EdgeLabel", {"visible": "true"}).text = str(data.get("label", ""))
    indent(root, space=" ")
    buf = BytesIO()
    ElementTree(root).write(buf, encoding="utf-8", xml_declaration=True)
    return buf.getvalue()


def write(kg: KnowledgeGraph, view: str, path: Path | str) -> dict[str, int]:
    """Write ``view`` of ``kg`` to ``path`` as GraphML; returns ``{"nodes": n, "edges": m}``."""
    graph = viewer_graph(kg, view)
    write_bytes(path, to_graphml_bytes(graph))
    return {"nodes": graph.number_of_nodes(), "edges": graph.number_of_edges()}
