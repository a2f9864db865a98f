"""JSON-LD export: the view's triples, compacted with a ``@context`` of the nakg prefixes.

The context maps ``nakg``, ``res`` (data resources), ``unit``, ``prov``, ``skos``,
``rdfs`` … to their namespaces, so types and properties read
``nakg:SolidElectrolyte`` and ``nakg:formula``; resource ids are written in full.

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
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .files import write_text
from .rdfview import jsonld_context, view_rdf

if TYPE_CHECKING:  # pragma: no cover
    from ..api import KnowledgeGraph

__all__ = ["write"]


def write(kg: KnowledgeGraph, view: str, path: Path | str) -> dict[str, int]:
    """Write ``view`` of ``kg`` to ``path`` as JSON-LD; returns ``{"triples": n}``."""
    graph = view_rdf(kg, view)
    text = graph.serialize(format="json-ld", context=jsonld_context(), indent=1, ensure_ascii=False)
    write_text(path, text if text.endswith("\n") else text + "\n")
    return {"triples": len(graph)}
