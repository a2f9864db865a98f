"""Store backends behind one interface: each returns an rdflib ``Graph``.

Backends plug into :data:`STORES`; the default is chosen by the benchmark
(``benchmarks/README.md``): Oxigraph in memory. ``disk`` is Oxigraph on disk,
for graphs larger than memory; wherever a store name is accepted, a directory
path (``./kg-store``, ``/data/kg``) means that on-disk store.

>>> sorted(STORES)
['disk', 'memory', 'oxigraph']
>>> resolve("memory"), resolve("./kg-store")
(('memory', None), ('disk', PosixPath('kg-store')))
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from rdflib import Graph

from . import disk, memory, oxigraph

__all__ = ["STORES", "DEFAULT_STORE", "LOCAL_STORES", "open_graph", "load_into", "resolve"]

STORES: dict[str, Callable[[Path | None], Graph]] = {
    "oxigraph": oxigraph.open_graph,
    "memory": memory.open_graph,
    "disk": disk.open_graph,
}
DEFAULT_STORE = "oxigraph"
#: Backends that run in this process (tests compare their answers).
LOCAL_STORES = ("memory", "oxigraph", "disk")


def resolve(store: str | os.PathLike, path: Path | None = None) -> tuple[str, Path | None]:
    """Split a store spec into (backend name, path): a known name stays a name; a path means ``disk``.

    A spec counts as a path when it contains a path separator, starts with ``.`` or
    ``~``, or names an existing directory; anything else must be a known backend.
    """
    if isinstance(store, os.PathLike):
        return "disk", Path(store).expanduser()
    if store in STORES:
        return store, path
    text = str(store)
    if os.sep in text or "/" in text or text.startswith((".", "~")) or Path(text).is_dir():
        return "disk", Path(text).expanduser()
    raise ValueError(f"unknown store '{store}' (known: {', '.join(sorted(STORES))}, or a directory path for an on-disk store)")


def open_graph(store: str = DEFAULT_STORE, path: Path | None = None) -> Graph:
    """An empty graph on backend ``store`` (``path``: on-disk location, where supported).

    ``store`` may also be a directory path: the on-disk Oxigraph store there.
    """
    name, where = resolve(store, path)
    return STORES[name](where)


def load_into(graph: Graph, files: list[Path]) -> Graph:
    """Parse RDF files (Turtle or N-Triples, by suffix) into ``graph``.

    Oxigraph-backed graphs use Oxigraph's bulk loader; other stores use rdflib's parsers.
    """
    from ..errors import NakgError

    ox = oxigraph.native(graph) is not None
    for f in files:
        kind = "N-Triples" if Path(f).suffix == ".nt" else "Turtle"
        try:
            if ox:
                oxigraph.bulk_load(graph, Path(f))
            else:
                graph.parse(f, format="nt" if Path(f).suffix == ".nt" else "turtle")
        except OSError as exc:
            raise NakgError(f"cannot read the graph file {f}: {exc.strerror or exc}") from None
        except Exception as exc:  # noqa: BLE001 - each parser has its own
            detail = " ".join(str(exc).split())
            raise NakgError(f"{f} is not a {kind} graph nakg can read: {detail[:300]}") from None
    return graph
