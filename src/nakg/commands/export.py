"""``nakg export FORMAT [-o PATH] [--view VIEW]``: write the graph for the tools people use.

Formats come from the registry :data:`nakg.export.EXPORTERS`; the default output
is ``nakg-<view>.<ext>`` in the working directory (``nakg-<view>-<format>/`` for
the folder formats ``neo4j`` and ``kgx``). Exit codes as for every command: 0
written, 1 bad input (unknown family in ``--view family:…``, with the resolver's
"did you mean", unusable output path, invalid records), 2 usage errors (an
unknown view name), 3 internal failures (:mod:`nakg.commands.exits`).

>>> from click.testing import CliRunner
>>> result = CliRunner().invoke(export_command, ["--help"])
>>> "graphml" in result.output and "--view" in result.output
True
"""

from __future__ import annotations

from pathlib import Path

import click

from ..export.registry import EXPORTERS, VIEW_NAMES

__all__ = ["export_command"]


def _check_view(ctx: click.Context, param: click.Parameter, value: str) -> str:
    if value in VIEW_NAMES:
        return value
    if value.startswith("family:"):
        from ..resolve import family
        from .exits import errors_handled

        # key, label or IRI, as everywhere; an unknown family is a bad value (exit 1, "did you mean"), not a usage error
        with errors_handled():
            return "family:" + family(value.split(":", 1)[1]).key
    raise click.BadParameter(f"unknown view '{value}' (known: {', '.join(VIEW_NAMES)}, family:<key>)")


def _load(graph_path: Path | None, records_dir: Path | None, store: str | None):
    from ..api import KnowledgeGraph, load
    from ..store import DEFAULT_STORE

    if records_dir is None:
        return load(graph_path, store=store or DEFAULT_STORE)
    from ..build import compile_records
    from ..resources import ontology_path
    from ..store import load_into, open_graph

    graph = load_into(open_graph(store or DEFAULT_STORE), [ontology_path()])
    _, data, _ = compile_records(records_dir)
    for triple in data:
        graph.add(triple)
    return KnowledgeGraph(graph, store or DEFAULT_STORE)


def _size(n: int) -> str:
    return f"{n / 1e6:.2f} MB" if n >= 1e6 else f"{n / 1e3:.1f} kB" if n >= 1e3 else f"{n} B"


def _run(fmt: str, out_path: Path | None, view: str, graph_path: Path | None, records_dir: Path | None,
         store: str | None) -> None:
    if fmt == TABLES:
        return _run_tables(out_path, view, graph_path, records_dir, store)
    from ..export import export

    result = export(_load(graph_path, records_dir, store), fmt, out_path, view=view)
    counts = ", ".join(f"{v} {k}" for k, v in result.counts.items())
    kind = "folder" if EXPORTERS[fmt].is_directory else "file"
    click.echo(f"wrote {result.path} ({fmt} {kind}, view {view}: {counts}, {_size(result.size)})")


#: The tables export: typed tables, not a view of the graph, so it is not in the graph exporters' registry.
TABLES = "tables"


def _run_tables(out_path: Path | None, view: str, graph_path: Path | None, records_dir: Path | None,
                store: str | None) -> None:
    from ..export.registry import output_size
    from ..export.tables import write

    target = out_path or Path("nakg-tables")
    counts = write(_load(graph_path, records_dir, store), view, target)
    click.echo(f"wrote {target} (tables folder: {counts['tables']} tables as Parquet and CSV, {counts['rows']} rows, "
               f"datapackage.json, {_size(output_size(target))})")


@click.command("export")
@click.argument("fmt", metavar="FORMAT", type=click.Choice(sorted([*EXPORTERS, TABLES])))
@click.option("-o", "--out", "out_path", type=click.Path(path_type=Path), default=None,
              help="Output file (a folder for neo4j and kgx). Default: nakg-<view>.<ext> here.")
@click.option("--view", default="whole", show_default=True, callback=_check_view,
              help=f"The part of the graph: {', '.join(VIEW_NAMES)} or family:<key> (e.g. family:nasicon).")
@click.option("--graph", "graph_path", type=click.Path(exists=True, path_type=Path), default=None,
              help="A built graph (nakg.nt/.ttl or a build folder) instead of the shipped records.")
@click.option("--records", "records_dir", type=click.Path(path_type=Path), default=None,
              help="A folder of YAML records instead of the shipped records.")
@click.option("--store", default=None, help="Store backend (default: the embedded default).")
def export_command(fmt: str, out_path: Path | None, view: str, graph_path: Path | None, records_dir: Path | None,
                   store: str | None) -> None:
    """Export the graph (or one view of it) in FORMAT for another tool."""
    if graph_path is not None and records_dir is not None:
        raise click.UsageError("give --graph or --records, not both")
    from .exits import handle_errors

    handle_errors(_run)(fmt, out_path, view, graph_path, records_dir, store)


def _formats_help() -> str:
    """The formats of the registry, one line each: name, what for, file or folder."""
    lines = [f"{e.name:<11} {e.tools}{' (a folder)' if e.is_directory else ''}" for e in EXPORTERS.values()]
    lines.append(f"{TABLES:<11} pandas, spreadsheets, Frictionless: every tidy table as Parquet and CSV (a folder)")
    return "\b\nFORMAT, and the tools it is for:\n" + "\n".join(f"  {line}" for line in lines)


export_command.help = f"{export_command.help}\n\n{_formats_help()}"
