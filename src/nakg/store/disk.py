"""On-disk Oxigraph (RocksDB) store: for graphs larger than memory, persisting between runs.

A store is a directory; opening it again later finds the data already there.
:func:`nakg.load` records what it loaded (a content key) in the store, so a
second ``load(store=PATH)`` of the same inputs skips loading.

>>> import tempfile
>>> from pathlib import Path
>>> d = Path(tempfile.mkdtemp()) / "kg"
>>> g = open_graph(d)
>>> set_meta(g, "key", "abc"); get_meta(g, "key")
'abc'
>>> g.close(); get_meta(open_graph(d), "key")
'abc'
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph

__all__ = ["open_graph", "get_meta", "set_meta", "clear", "META_GRAPH"]

#: Named graph (outside the default graph that queries see) holding store metadata.
META_GRAPH = "https://w3id.org/nakg/resource/store-meta"
_META = "https://w3id.org/nakg/resource/store-meta#"


def open_graph(path: Path | None = None) -> Graph:
    """The Oxigraph store at directory ``path`` (created if missing)."""
    if path is None:
        raise ValueError("the 'disk' store needs a directory: pass a path (e.g. --store ./kg-store)")
    from .oxigraph import open_graph as open_oxigraph

    return open_oxigraph(Path(path))


def get_meta(graph: Graph, key: str) -> str | None:
    """A metadata value stored with :func:`set_meta` (None when absent)."""
    import pyoxigraph as ox

    from .oxigraph import native

    for quad in native(graph).quads_for_pattern(ox.NamedNode(_META + "store"), ox.NamedNode(_META + key), None,
                                                ox.NamedNode(META_GRAPH)):
        return quad.object.value
    return None


def set_meta(graph: Graph, key: str, value: str) -> None:
    """Store a metadata value (replacing any previous one) outside the default graph."""
    import pyoxigraph as ox

    from .oxigraph import native

    store = native(graph)
    s, p, g = ox.NamedNode(_META + "store"), ox.NamedNode(_META + key), ox.NamedNode(META_GRAPH)
    for quad in list(store.quads_for_pattern(s, p, None, g)):
        store.remove(quad)
    store.add(ox.Quad(s, p, ox.Literal(value), g))
    store.flush()


def clear(graph: Graph) -> None:
    """Remove everything from the store (data and metadata)."""
    from .oxigraph import native

    native(graph).clear()
