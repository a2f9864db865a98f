"""JSON-LD export: the view's triples, compacted with a ``@context`` of the nakg prefixes.

The context maps ``nakg``, ``res`` (data resources), ``unit``, ``prov``, ``skos``,
``rdfs`` … to their namespaces, so types and properties read
``nakg:SolidElectrolyte`` and ``nakg:formula``; resource ids are written in full.

Every ``xsd:double`` is written as a typed value object with its lexical form,
``{"@value": "300.0", "@type": "xsd:double"}``, never as a bare JSON number:
JSON-LD 1.1 processors read a number without a fraction (``300.0`` is ``300``
to JavaScript and to pyld) as ``xsd:integer``, and JSON-LD 1.0 processors read
even a typed number through the same conversion. Integers and booleans stay
native JSON (every processor reads them back as ``xsd:integer`` and
``xsd:boolean``).

>>> from rdflib import Graph
>>> from nakg.api import KnowledgeGraph
>>> kg = KnowledgeGraph(Graph().parse(format="turtle", data='''
...     @prefix nakg: <https://w3id.org/nakg/> .
...     <https://w3id.org/nakg/resource/material/nzsp> a nakg:SolidElectrolyte ; nakg:formula "Na3Zr2Si2PO12" .'''), "memory")
>>> import json, tempfile, pathlib
>>> out = pathlib.Path(tempfile.mkdtemp()) / "nakg-whole.jsonld"
>>> _ = write(kg, "whole", out)
>>> doc = json.loads(out.read_text(encoding="utf-8"))
>>> doc["@context"]["nakg"], doc["@id"], doc["@type"], doc["nakg:formula"]
('https://w3id.org/nakg/', 'https://w3id.org/nakg/resource/material/nzsp', 'nakg:SolidElectrolyte', 'Na3Zr2Si2PO12')
>>> typed_doubles({"nakg:value": [300.0, 2, {"@value": 1.5, "@type": "xsd:double"}]})
{'nakg:value': [{'@value': '300.0', '@type': 'xsd:double'}, 2, {'@value': '1.5', '@type': 'xsd:double'}]}
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .files import write_text
from .rdfview import jsonld_context, view_rdf

if TYPE_CHECKING:  # pragma: no cover
    from ..api import KnowledgeGraph

__all__ = ["write", "typed_doubles"]


def typed_doubles(node: Any) -> Any:
    """``node`` (parsed JSON-LD) with every JSON float made a typed ``xsd:double`` value object with a string value."""
    if isinstance(node, float):
        return {"@value": repr(node), "@type": "xsd:double"}
    if isinstance(node, list):
        return [typed_doubles(v) for v in node]
    if isinstance(node, dict):
        if "@value" in node:
            if isinstance(node["@value"], float):
                return {**node, "@value": repr(node["@value"]), "@type": node.get("@type", "xsd:double")}
            return node
        return {k: v if k == "@context" else typed_doubles(v) for k, v in node.items()}
    return node


def write(kg: KnowledgeGraph, view: str, path: Path | str) -> dict[str, int]:
    """Write ``view`` of ``kg`` to ``path`` as JSON-LD; returns ``{"triples": n}``."""
    graph = view_rdf(kg, view)
    text = graph.serialize(format="json-ld", context=jsonld_context(), indent=1, ensure_ascii=False)
    doc = typed_doubles(json.loads(text))  # rdflib writes doubles as bare JSON numbers in compacted output
    write_text(path, json.dumps(doc, indent=1, ensure_ascii=False) + "\n")
    return {"triples": len(graph)}
