"""The export registry: format name → exporter, and the one entry point :func:`export`.

Each format is a small module of :mod:`nakg.export` with a function
``write(kg, view, path) -> dict[str, int]`` that writes the view atomically and
returns what it wrote (``triples``, or ``nodes`` and ``edges``). Modules are
imported only when their format is used.

>>> sorted(EXPORTERS)[:4]
['cyjs', 'dot', 'gexf', 'graphml']
>>> default_output("graphml", "family:nasicon").name
'nakg-family-nasicon.graphml'
>>> default_output("neo4j", "whole").name
'nakg-whole-neo4j'
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import NakgError

if TYPE_CHECKING:  # pragma: no cover
    from ..api import KnowledgeGraph

__all__ = ["Exporter", "ExportResult", "ExportError", "EXPORTERS", "VIEW_NAMES", "export", "default_output", "output_size"]

#: The views every format can export (plus ``family:<key>``, one per electrolyte family).
VIEW_NAMES = ("whole", "lineage", "dopant-host", "cells")


class ExportError(NakgError):
    """An export that cannot be made: unknown format or view, or an output path that cannot be used."""


@dataclass(frozen=True)
class Exporter:
    """One export format.

    Attributes:
        name: the format name used on the command line.
        ext: the file extension of the default output; empty for formats that write a folder.
        module: the module (under :mod:`nakg.export`) whose ``write(kg, view, path)`` makes the export.
        tools: the tools the format is for.
        description: one line on what is written.
    """

    name: str
    ext: str
    module: str
    tools: str
    description: str

    @property
    def is_directory(self) -> bool:
        """Whether the export is a folder of files rather than one file."""
        return not self.ext

    @property
    def write(self) -> Callable[[KnowledgeGraph, str, Path], dict[str, int]]:
        """The module's ``write`` function (the module is imported on first use)."""
        return importlib.import_module(f"{__package__}.{self.module}").write


EXPORTERS: dict[str, Exporter] = {e.name: e for e in (
    Exporter("turtle", "ttl", "turtle", "any RDF tool", "the view's triples in Turtle with the nakg prefixes"),
    Exporter("ntriples", "nt", "ntriples", "any RDF tool, line-based diffs", "the view's triples in N-Triples, sorted"),
    Exporter("jsonld", "jsonld", "jsonld", "JSON-LD processors, web apps", "the view's triples in JSON-LD with a nakg @context"),
    Exporter("owl-rdfxml", "owl", "owl_rdfxml", "Protégé, OWL API", "ontology + the view's individuals in RDF/XML"),
    Exporter("graphml", "graphml", "graphml", "Gephi, Cytoscape, yEd", "GraphML with typed attributes and yFiles labels"),
    Exporter("gexf", "gexf", "gexf", "Gephi", "GEXF 1.2 with labels and typed attributes"),
    Exporter("cyjs", "cyjs", "cyjs", "Cytoscape.js, Cytoscape desktop", "Cytoscape.js JSON: elements.nodes and elements.edges"),
    Exporter("graphology", "json", "graphology", "sigma.js, graphology", "graphology graph with x, y, size for sigma.js"),
    Exporter("dot", "dot", "dot", "Graphviz", "a DOT digraph with quoted ids and escaped labels"),
    Exporter("neo4j", "", "neo4j", "Neo4j (neo4j-admin database import)", "nodes.csv and relationships.csv with import headers"),
    Exporter("kgx", "", "kgx", "KGX, Biolink tooling", "Biolink KGX TSV: nodes.tsv, edges.tsv and prefix_map.json"),
    Exporter("html", "html", "html", "web browser, offline", "interactive explorer: one self-contained HTML page (search, filters, facts, lineage)"),
)}


@dataclass(frozen=True)
class ExportResult:
    """What an export wrote: format, view, path, counts (``triples`` or ``nodes``/``edges``) and size in bytes."""

    format: str
    view: str
    path: Path
    counts: dict[str, int]
    size: int


def get_exporter(fmt: str) -> Exporter:
    """The exporter of format ``fmt`` (ExportError if unknown)."""
    try:
        return EXPORTERS[fmt]
    except KeyError:
        raise ExportError(f"unknown export format '{fmt}' (known: {', '.join(sorted(EXPORTERS))})") from None


def default_output(fmt: str, view: str = "whole") -> Path:
    """The default output path: ``nakg-<view>.<ext>`` (``nakg-<view>-<format>`` for folder formats).

    ``:`` in a view name (``family:nasicon``) becomes ``-`` so the name is valid on every file system.
    """
    exporter = get_exporter(fmt)
    stem = "nakg-" + view.replace(":", "-").replace("/", "-")
    return Path(f"{stem}-{exporter.name}" if exporter.is_directory else f"{stem}.{exporter.ext}")


def output_size(path: Path | str) -> int:
    """The size in bytes of a file, or of all the files in a folder."""
    p = Path(path)
    if p.is_dir():
        return sum(f.stat().st_size for f in p.rglob("*") if f.is_file())
    return p.stat().st_size


def export(kg: KnowledgeGraph, fmt: str, path: Path | str | None = None, view: str = "whole") -> ExportResult:
    """Export ``view`` of ``kg`` in format ``fmt`` to ``path`` (default: :func:`default_output`).

    The output is replaced atomically: a failed export leaves the previous one in place.

    >>> import nakg, tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "cells.graphml"
    >>> result = export(nakg.load(), "graphml", out, view="cells")
    >>> result.counts["nodes"] > 10 and out.read_bytes().startswith(b"<?xml")
    True
    """
    exporter = get_exporter(fmt)
    target = Path(path) if path is not None else default_output(fmt, view)
    from ..progress import progress

    with progress(f"exporting {exporter.name} ({view})"):
        counts = exporter.write(kg, view, target)
    return ExportResult(exporter.name, view, target, counts, output_size(target))
