"""rdflib's pure-Python in-memory store: the reference backend (and the baseline of the benchmark).

>>> len(open_graph())
0
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph


def open_graph(path: Path | None = None) -> Graph:
    """An empty in-memory rdflib graph (``path`` is not supported)."""
    if path is not None:
        raise ValueError("the 'memory' store cannot open an on-disk location; use 'disk' (or a path as the store)")
    return Graph()
