"""``nakg reason`` and ``nakg qa``: the reasoning and quality-assurance stages on the command line.

``nakg reason [--reasoner hermit|owlrl] [-o DIR] [--whole-abox]`` derives the material-level
values, runs the reasoner and writes ``inferred.nt`` (the inferred triples
only), ``derived.nt``, ``inferred.trig`` (both as named graphs) and
``reasoning.json``; exit 1 when the graph is inconsistent (the culprits are
printed). ``nakg qa`` runs the violation queries and the reasoner check; exit 1
when any check fails. Like every command: 2 for usage errors, 3 for internal failures.

>>> from click.testing import CliRunner
>>> "--reasoner" in CliRunner().invoke(reason, ["--help"]).output
True
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

__all__ = ["reason", "qa"]

_graph_option = click.option("--graph", "graph_path", type=click.Path(exists=True, path_type=Path), default=None,
                             help="A built graph (nakg.nt/.ttl or a build folder) instead of the shipped records.")
_records_option = click.option("--records", "records_dir", type=click.Path(path_type=Path), default=None,
                               help="A folder of YAML records instead of the shipped records.")


def _data(graph_path: Path | None, records_dir: Path | None):
    """The data graph to work on (without the ontology: the stages add it)."""
    from rdflib import Graph

    if graph_path is not None and records_dir is not None:
        raise click.UsageError("give --graph or --records, not both")
    if graph_path is not None:
        path = graph_path / "nakg.nt" if graph_path.is_dir() else graph_path
        return Graph().parse(path, format="nt" if path.suffix == ".nt" else "turtle")
    from ..build import compile_records

    _, graph, _ = compile_records(records_dir)
    return graph


def _run_reason(reasoner: str, out_dir: Path, graph_path: Path | None, records_dir: Path | None,
                whole_abox: bool = False) -> None:
    from ..reason import reason as run

    # the shipped records are compiled by reason() itself, which then needs no private copy of them
    data = None if graph_path is None and records_dir is None else _data(graph_path, records_dir)
    result = run(data, reasoner, whole_abox=whole_abox)
    click.echo(result.text())
    if not result.consistent:
        click.echo("error: the graph is inconsistent; nothing was written", err=True)
        sys.exit(1)
    paths = result.write(out_dir)
    click.echo("outputs: " + ", ".join(str(p) for p in paths.values()))


@click.command("reason")
@click.option("--reasoner", type=click.Choice(["hermit", "owlrl"]), default="hermit", show_default=True,
              help="hermit: OWL 2 DL (needs Java; falls back to owlrl without it); owlrl: OWL 2 RL, pure Python.")
@click.option("-o", "--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("build"),
              show_default=True, help="Output folder.")
@_graph_option
@_records_option
@click.option("--whole-abox", is_flag=True,
              help="Give HermiT every assertion, not only those that can change a classification (same answer, slower).")
def reason(reasoner: str, out_dir: Path, graph_path: Path | None, records_dir: Path | None, whole_abox: bool) -> None:
    """Derive values, classify and realise the graph; write the inferred triples apart from the asserted ones."""
    from .exits import handle_errors

    handle_errors(_run_reason)(reasoner, out_dir, graph_path, records_dir, whole_abox)


def _run_qa(reasoner: str, ontology_only: bool, fmt: str, graph_path: Path | None, records_dir: Path | None) -> None:
    from ..qa import run_qa

    data = None if ontology_only else _data(graph_path, records_dir)
    report = run_qa(data=data, reasoner=None if reasoner == "none" else reasoner)
    click.echo(json.dumps(report.as_dict(), indent=2, ensure_ascii=False, default=str) if fmt == "json" else report.text())
    if not report.ok:
        sys.exit(1)


@click.command("qa")
@click.option("--reasoner", type=click.Choice(["hermit", "owlrl", "none"]), default="hermit", show_default=True,
              help="Reasoner for the consistency check (none: skip it).")
@click.option("--ontology-only", is_flag=True, help="Check the ontology without the data.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@_graph_option
@_records_option
def qa(reasoner: str, ontology_only: bool, fmt: str, graph_path: Path | None, records_dir: Path | None) -> None:
    """Ontology QA: violation queries (labels, definitions, tree, domains, disjointness, mappings, metadata), reasoner check."""
    from .exits import handle_errors

    handle_errors(_run_qa)(reasoner, ontology_only, fmt, graph_path, records_dir)
