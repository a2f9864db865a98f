"""N-Triples export: the view's triples, one per line, sorted (line-based diffs, any RDF tool).

>>> from rdflib import Graph
>>> from nakg.api import KnowledgeGraph
>>> kg = KnowledgeGraph(Graph().parse(format="turtle", data='''
...     @prefix nakg: <https://w3id.org/nakg/> .
...     <https://w3id.org/nakg/resource/material/nzsp> a nakg:SolidElectrolyte ; nakg:formula "Na3Zr2Si2PO12" .'''), "memory")
>>> import tempfile, pathlib
>>> out = pathlib.Path(tempfile.mkdtemp()) / "nakg-whole.nt"
>>> write(kg, "whole", out)
{'triples': 2}
>>> print(out.read_text(encoding="utf-8").splitlines()[1])
<https://w3id.org/nakg/resource/material/nzsp> <https://w3id.org/nakg/formula> "Na3Zr2Si2PO12" .
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .files import write_bytes
from .rdfview import view_rdf

if TYPE_CHECKING:  # pragma: no cover
    from ..api import KnowledgeGraph

__all__ = ["write"]


def write(kg: KnowledgeGraph, view: str, path: Path | str) -> dict[str, int]:
    """Write ``view`` of ``kg`` to ``path`` as sorted N-Triples; returns ``{"triples": n}``."""
    graph = view_rdf(kg, view)
    lines = sorted({line for line in graph.serialize(format="nt", encoding="utf-8").splitlines() if line.strip()})
    write_bytes(path, b"\n".join(lines) + b"\n" if lines else b"")
    return {"triples": len(graph)}
