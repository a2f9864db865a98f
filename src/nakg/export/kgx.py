"""KGX TSV export: a folder with ``nodes.tsv`` and ``edges.tsv`` (``kgx transform --input-format tsv``).

* ``nodes.tsv`` — ``id`` (the IRI), ``category`` (``nakg:<Class>``), ``name``
  (the readable label), ``provided_by``, then the node attributes;
* ``edges.tsv`` — ``id``, ``subject``, ``predicate``, ``object``, ``provided_by``,
  then the edge attributes. The predicate is the nakg property as a CURIE
  (``nakg:hasAnode``); edges of the lineage and dopant-host views, which stand
  for no single property, carry the view relation (``doping``, ``derivation``,
  ``dopant``) instead.

KGX splits any value containing ``|`` (its list delimiter) into a list when it
reads a column it does not know; readable labels such as cell notations
(``TiS2|Na2BH4NH2|NaSn``) are in ``name``, which KGX keeps whole.

>>> import tempfile, pathlib
>>> from nakg.export.projection import RES, example_graph
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> graph = example_graph(); graph.graph["properties"] = {"hasAnode", "hasElectrolyte"}
>>> write_folder(graph, folder)
>>> print((folder / "edges.tsv").read_text(encoding="utf-8").splitlines()[1].replace(RES, "res:").replace("\\t", " | "))
e0 | res:cell/c1 | nakg:hasAnode | res:material/na | nakg | has anode | hasAnode
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .files import atomic_directory, write_text
from .projection import attribute_types, viewer_graph

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

    from ..api import KnowledgeGraph

__all__ = ["write", "write_folder", "FILES", "PROVIDED_BY"]

FILES = ("nodes.tsv", "edges.tsv")
PROVIDED_BY = "nakg"
NODE_CORE = ("id", "category", "name", "provided_by")
EDGE_CORE = ("id", "subject", "predicate", "object", "provided_by")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _tsv(header: list[str], rows: list[list[str]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue()


def _extra(records: list[dict[str, Any]], core: tuple[str, ...], skip: set[str]) -> list[tuple[str, str]]:
    return [(name, f"nakg_{name}" if name in core else name)
            for name in sorted(attribute_types(records)) if name not in skip]


def write_folder(graph: nx.MultiDiGraph, folder: Path) -> None:
    """Write the TSV files of a clean viewer graph into ``folder``."""
    properties = graph.graph.get("properties", frozenset())
    node_cols = _extra([d for _, d in graph.nodes(data=True)], NODE_CORE, {"label"})
    nodes = [[n, f"nakg:{d.get('type', 'Resource')}", _cell(d["label"]), PROVIDED_BY, *(_cell(d.get(a)) for a, _ in node_cols)]
             for n, d in graph.nodes(data=True)]
    write_text(folder / "nodes.tsv", _tsv([*NODE_CORE, *(h for _, h in node_cols)], nodes))
    edge_cols = _extra([d for *_, d in graph.edges(data=True)], EDGE_CORE, set())
    edges = []
    for u, v, key, d in graph.edges(keys=True, data=True):
        rel = str(d["relation"])
        predicate = f"nakg:{rel}" if rel in properties else rel
        edges.append([str(key), u, predicate, v, PROVIDED_BY, *(_cell(d.get(a)) for a, _ in edge_cols)])
    write_text(folder / "edges.tsv", _tsv([*EDGE_CORE, *(h for _, h in edge_cols)], edges))


def write(kg: KnowledgeGraph, view: str, path: Path | str) -> dict[str, int]:
    """Write ``view`` of ``kg`` as a KGX TSV folder at ``path``; returns ``{"nodes": n, "edges": m}``."""
    graph = viewer_graph(kg, view)
    with atomic_directory(path, FILES) as tmp:
        write_folder(graph, tmp)
    return {"nodes": graph.number_of_nodes(), "edges": graph.number_of_edges()}
