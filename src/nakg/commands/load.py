"""``nakg load``: load the graph onto a store and report it — mainly to fill an on-disk store once.

    nakg load --store ./kg-store                  # the shipped records (compiled once, cached)
    nakg load build/nakg.nt --store /data/kg      # a built graph
    nakg query best-conductivity-per-family --store ./kg-store   # later runs reuse the store

An on-disk store keeps the graph between runs; it is refilled only when its input
(ontology and data file) changed.
"""

from __future__ import annotations

import time
from pathlib import Path

import click

__all__ = ["load", "store_option"]

#: The ``--store`` option shared by commands that load the graph.
store_option = click.option(
    "--store", default=None, metavar="NAME|DIR",
    help="Store backend: oxigraph (default, in memory), memory (rdflib), or a directory: an on-disk Oxigraph "
         "store that keeps the graph between runs.")


@click.command("load")
@click.argument("graph", required=False, type=click.Path(exists=True, path_type=Path))
@store_option
def load(graph: Path | None, store: str | None) -> None:
    """Load GRAPH (a built nakg.nt or build folder; default: the shipped records) onto a store."""
    from ..api import load as load_graph
    from ..store import DEFAULT_STORE, resolve

    try:
        name, where = resolve(store or DEFAULT_STORE)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--store") from None
    t0 = time.perf_counter()
    kg = load_graph(graph, store=str(where) if where is not None else name)
    n = len(kg)
    click.echo(f"{n} triples on {name}{f' at {where}' if where else ''} ({time.perf_counter() - t0:.2f} s)")
    if where is not None:
        kg.graph.close()
