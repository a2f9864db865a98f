"""``nakg query``: run a named query of the library (or a .rq file) and print its rows.

    nakg query best-conductivity-per-family
    nakg query conductivity-above-threshold --param threshold=1e-2 --format csv
    nakg query --list
    nakg query cells-by-cycle-life --describe

Errors in the query (unknown name or parameter, a bad value, a SPARQL syntax
error) are reported as one line on stderr with exit code 1.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .exits import EXIT_INVALID
from .options import inferred_option

__all__ = ["query"]



def _params(pairs: tuple[str, ...]) -> dict[str, str]:
    from ..errors import QueryError

    values: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise QueryError(f"--param expects NAME=VALUE, got {pair!r}")
        if name.strip() in values:
            raise QueryError(f"--param {name.strip()} given twice")
        values[name.strip()] = value
    return values


def _load_graph(graph_path: Path | None, records_dir: Path | None, inferred: bool = False):
    from ..api import load

    return load(graph_path, records=None if graph_path is not None else records_dir, inferred=inferred)


def _check_outside_query(named) -> None:
    """A query file from outside the library is checked like the endpoint checks requests:
    no SPARQL Update, no SERVICE (the embedded store would fetch remote data for it)."""
    from ..resources import queries_dir

    try:
        named.path.resolve().relative_to(queries_dir().resolve())
        return
    except ValueError:
        pass
    from ..errors import QueryError
    from ..rdf.namespaces import PREFIXES
    from ..serve.policy import Refused, check_query

    try:
        check_query(named.text, prefixes={k: str(v) for k, v in PREFIXES.items()})
    except Refused as exc:
        kind = "SPARQL syntax error" if exc.status == 400 else "refused"
        raise QueryError(f"{named.path}: {kind}: {exc.message}") from exc


def _listing(role: str | None) -> str:
    from ..queries import list_queries

    lines = []
    for q in list_queries(role):
        params = " ".join(f"[{p.name}={p.default if p.default is not None else '?'}]" for p in q.params)
        lines.append(f"{q.name}{' ' + params if params else ''}\n    {q.question}")
    return "\n".join(lines)


@click.command("query")
@click.argument("name", required=False)
@click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE",
              help="Bind a query parameter (repeatable); unset parameters take their defaults.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@click.option("--graph", "graph_path", type=click.Path(exists=True, path_type=Path), default=None,
              help="A built graph (nakg.nt/.ttl or a build folder) instead of the shipped records.")
@click.option("--records", "records_dir", type=click.Path(path_type=Path), default=None,
              help="Folder of YAML records to compile instead of the shipped ones.")
@click.option("--endpoint", default=None, metavar="URL",
              help="Run against a remote SPARQL endpoint (its query URL) instead of the embedded store.")
@click.option("--named-graph", "named_graph", default=None, metavar="IRI",
              help="With --endpoint: the named graph the data was pushed into (sent as default-graph-uri).")
@click.option("--list", "list_role", is_flag=False, flag_value="all", default=None,
              type=click.Choice(["all", "cq", "reports", "violations"]),
              help="List the library's queries (all, or one role) with their questions and parameters.")
@click.option("--describe", "describe_only", is_flag=True, default=False,
              help="Print the question, each parameter (type, allowed values, default), each column (unit, meaning) "
                   "and what the query leaves out, without running it (--format json for JSON).")
@inferred_option
def query(name: str | None, params: tuple[str, ...], fmt: str, graph_path: Path | None,
          records_dir: Path | None, endpoint: str | None, named_graph: str | None, list_role: str | None,
          describe_only: bool, inferred: bool) -> None:
    """Run the competency question, report or violation query NAME (or a .rq FILE)."""
    from ..errors import NakgError, QueryError

    try:
        if list_role is not None or name is None:
            click.echo(_listing(None if list_role in (None, "all") else list_role))
            return
        from ..queries import format_result, load_query

        named = load_query(name)
        if describe_only:
            from ..queries import describe

            click.echo(describe(named, "json" if fmt == "json" else "text"))
            return
        _check_outside_query(named)
        values = _params(params)
        named.bindings(**values)  # check names and values before loading the graph
        if endpoint is not None:
            if inferred:
                raise QueryError("--inferred reasons over the embedded store; an endpoint serves what was pushed to it")
            from ..api import connect

            kg = connect(endpoint, graph=named_graph)
        else:
            kg = _load_graph(graph_path, records_dir, inferred)
        text = format_result(named.run(kg, **values), fmt)
        click.echo(text, nl=not text.endswith("\n"))
    except NakgError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_INVALID)
