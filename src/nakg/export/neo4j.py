"""Neo4j export: a folder of CSV files for ``neo4j-admin database import``.

* ``nodes.csv`` — header ``iri:ID,name,:LABEL,<attribute>[:type]…``: the IRI as
  the import id (also kept as the ``iri`` property), the readable label as
  ``name`` (what Neo4j Browser shows), labels ``Resource;<Type>``;
* ``relationships.csv`` — header ``:START_ID,:END_ID,:TYPE,<attribute>[:type]…``
  with the relation in Neo4j's style (``hasAnode`` → ``HAS_ANODE``);
* ``README.txt`` — the import command.

Typed columns are ``:long``, ``:double`` and ``:boolean``; an empty field is a
missing value. Quotes inside values are doubled, as the importer expects.

>>> import tempfile, pathlib
>>> from nakg.export.projection import example_graph
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> write_folder(example_graph(), folder)
>>> print((folder / "relationships.csv").read_text(encoding="utf-8").splitlines()[1])
https://w3id.org/nakg/resource/cell/c1,https://w3id.org/nakg/resource/material/na,HAS_ANODE,has anode,hasAnode
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .files import atomic_directory, write_text
from .projection import attribute_types, viewer_graph

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

    from ..api import KnowledgeGraph

__all__ = ["write", "write_folder", "neo4j_type", "FILES"]

FILES = ("nodes.csv", "relationships.csv", "README.txt")
_TYPES = {str: "", int: ":long", float: ":double", bool: ":boolean"}
RESERVED = frozenset({"iri", "name"})

README = """Neo4j import of the nakg view '{view}' ({nodes} nodes, {edges} relationships).

Into an empty database (Neo4j 5; stop the database first):

  neo4j-admin database import full --overwrite-destination --multiline-fields=true \\
      --nodes=nodes.csv --relationships=relationships.csv neo4j

Nodes: label Resource plus their nakg class; property iri (the IRI), name (the label).
Relationships: type from the nakg property or view relation (hasAnode -> HAS_ANODE).
"""


def neo4j_type(relation: str) -> str:
    """A relation name in Neo4j's relationship-type style.

    >>> neo4j_type("hasAnode"), neo4j_type("statedInSection"), neo4j_type("doping")
    ('HAS_ANODE', 'STATED_IN_SECTION', 'DOPING')
    """
    words = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", relation)
    return re.sub(r"[^A-Za-z0-9_]+", "_", words).strip("_").upper() or "RELATED_TO"


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _csv(header: list[str], rows: list[list[str]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue()


def _columns(records: list[dict[str, Any]], skip: set[str]) -> list[tuple[str, str]]:
    """(attribute, header) pairs, sorted; reserved property names get a ``nakg_`` prefix."""
    out = []
    for name, kind in sorted(attribute_types(records).items()):
        if name in skip:
            continue
        prop = f"nakg_{name}" if name in RESERVED else name
        out.append((name, f"{prop}{_TYPES[kind]}"))
    return out


def write_folder(graph: nx.MultiDiGraph, folder: Path) -> None:
    """Write the CSV files of a clean viewer graph into ``folder``."""
    node_cols = _columns([d for _, d in graph.nodes(data=True)], {"label"})
    nodes = [[n, _cell(d["label"]), f"Resource;{d.get('type', 'Resource')}" if d.get("type", "Resource") != "Resource"
              else "Resource", *(_cell(d.get(a)) for a, _ in node_cols)] for n, d in graph.nodes(data=True)]
    write_text(folder / "nodes.csv", _csv(["iri:ID", "name", ":LABEL", *(h for _, h in node_cols)], nodes))
    edge_cols = _columns([d for *_, d in graph.edges(data=True)], set())
    rels = [[u, v, neo4j_type(str(d["relation"])), *(_cell(d.get(a)) for a, _ in edge_cols)]
            for u, v, d in graph.edges(data=True)]
    write_text(folder / "relationships.csv", _csv([":START_ID", ":END_ID", ":TYPE", *(h for _, h in edge_cols)], rels))
    write_text(folder / "README.txt", README.format(view=graph.graph.get("view", "whole"),
                                                           nodes=graph.number_of_nodes(), edges=graph.number_of_edges()))


def write(kg: KnowledgeGraph, view: str, path: Path | str) -> dict[str, int]:
    """Write ``view`` of ``kg`` as a Neo4j import folder at ``path``; returns ``{"nodes": n, "edges": m}``."""
    graph = viewer_graph(kg, view)
    with atomic_directory(path, FILES) as tmp:
        write_folder(graph, tmp)
    return {"nodes": graph.number_of_nodes(), "edges": graph.number_of_edges()}
