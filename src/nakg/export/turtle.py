"""Turtle export: the view's triples with the nakg prefixes (any RDF tool).

>>> from rdflib import Graph
>>> from nakg.api import KnowledgeGraph
>>> kg = KnowledgeGraph(Graph().parse(format="turtle", data='''
...     @prefix nakg: <https://w3id.org/nakg/> .
...     <https://w3id.org/nakg/resource/material/nzsp> a nakg:SolidElectrolyte ; nakg:formula "Na3Zr2Si2PO12" .'''), "memory")
>>> import tempfile, pathlib
>>> out = pathlib.Path(tempfile.mkdtemp()) / "nakg-whole.ttl"
>>> write(kg, "whole", out)
{'triples': 2}
>>> print(out.read_text().strip().split("\\n\\n")[-1])
<https://w3id.org/nakg/resource/material/nzsp> a nakg:SolidElectrolyte ;
    nakg:formula "Na3Zr2Si2PO12" .
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .files import write_bytes, write_stream
from .rdfview import native_sorted_lines, parse_lines, prefixes, view_rdf

if TYPE_CHECKING:  # pragma: no cover
    from ..api import KnowledgeGraph

__all__ = ["write"]


def write(kg: KnowledgeGraph, view: str, path: Path | str) -> dict[str, int]:
    """Write ``view`` of ``kg`` to ``path`` as Turtle; returns ``{"triples": n}``.

    The whole graph of an Oxigraph-backed store is written by Oxigraph's
    serialiser from the sorted N-Triples lines (so each subject is one block);
    views and other stores go through an rdflib graph.
    """
    lines = native_sorted_lines(kg) if view == "whole" else None
    if lines is not None:  # sorted, so each subject's triples come together
        import pyoxigraph as ox

        with write_stream(path) as fh:
            ox.serialize(parse_lines(lines), fh, ox.RdfFormat.TURTLE, prefixes=prefixes())
        return {"triples": len(lines)}
    graph = view_rdf(kg, view)
    write_bytes(path, graph.serialize(format="turtle", encoding="utf-8"))
    return {"triples": len(graph)}

