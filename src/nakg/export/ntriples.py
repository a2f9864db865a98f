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

from .files import write_bytes, write_stream
from .rdfview import native_sorted_lines, view_rdf

if TYPE_CHECKING:  # pragma: no cover
    from ..api import KnowledgeGraph

__all__ = ["write"]


def write(kg: KnowledgeGraph, view: str, path: Path | str) -> dict[str, int]:
    """Write ``view`` of ``kg`` to ``path`` as sorted N-Triples; returns ``{"triples": n}``.

    The whole graph of an Oxigraph-backed store is serialised by Oxigraph and
    only the lines are sorted in Python; views and other stores go through an
    rdflib graph.
    """
    lines = native_sorted_lines(kg) if view == "whole" else None
    if lines is not None:
        with write_stream(path) as fh:
            for start in range(0, len(lines), 50_000):
                fh.write(b"\n".join(lines[start:start + 50_000]) + b"\n")
        return {"triples": len(lines)}
    graph = view_rdf(kg, view)
    lines = sorted({line for line in graph.serialize(format="nt", encoding="utf-8").splitlines() if line.strip()})
    write_bytes(path, b"\n".join(lines) + b"\n" if lines else b"")
    return {"triples": len(graph)}

