"""``nakg serve``, ``nakg push`` and ``nakg docs``: serve the graph, load it into a triplestore, document the ontology.

Add them to the group in :mod:`nakg.cli`::

    from .commands.serve import docs, push, serve
    for command in (serve, push, docs):
        main.add_command(command)
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

import click

from .options import inferred_option

__all__ = ["serve", "push", "docs"]

PASSWORD_VARIABLE = "NAKG_ENDPOINT_PASSWORD"


def _handled(fn):
    """The CLI's error handling (:func:`nakg.commands.exits.handle_errors`), looked up when the command runs."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        from .exits import handle_errors

        return handle_errors(fn)(*args, **kwargs)

    return wrapper


def _auth(user: str | None) -> tuple[str, str] | None:
    if user is None:
        return None
    return user, os.environ.get(PASSWORD_VARIABLE, "")


data_option = click.option("--data", "data_path", type=click.Path(exists=True, path_type=Path), default=None,
                           help="A built graph (nakg.nt or a build folder); default: the shipped records.")


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. The default lets only this machine connect.")
@click.option("--port", default=7878, show_default=True, type=click.IntRange(0, 65535), help="TCP port (0: any free port).")
@click.option("--timeout", default=10.0, show_default=True, type=click.FloatRange(min=0.1),
              help="Seconds a query may run before it is stopped (HTTP 504).")
@click.option("--max-results", default=10_000, show_default=True, type=click.IntRange(min=1),
              help="Result rows (or triples) returned at most; more are cut off and flagged in X-Nakg-Truncated.")
@click.option("--max-request-bytes", default=256 * 1024, show_default=True, type=click.IntRange(min=1024),
              help="Largest request body or query accepted (HTTP 413 beyond).")
@click.option("--max-response-bytes", default=16 * 1024 * 1024, show_default=True, type=click.IntRange(min=1024),
              help="Size of the RDF terms of one answer at most; rows beyond are cut off and flagged in X-Nakg-Truncated.")
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64),
              help="Query worker processes (queries run in parallel up to this number).")
@click.option("--cors", is_flag=True, help="Let web pages of any origin query the endpoint (Access-Control-Allow-Origin: *).")
@click.option("--quiet", is_flag=True, help="Do not log each request.")
@click.option("--base", default=None, metavar="IRI",
              help="IRI prefix the resource pages stand for, e.g. https://w3id.org/nakg/ behind the w3id redirect "
                   "(default: the address each request was sent to, so a local server's IRIs resolve on it).")
@data_option
@inferred_option
@_handled
def serve(host: str, port: int, timeout: float, max_results: int, max_request_bytes: int, max_response_bytes: int,
          workers: int, cors: bool, quiet: bool, base: str | None, data_path: Path | None,
          inferred: bool = False) -> None:
    """Serve the graph: a read-only SPARQL 1.1 endpoint at /sparql and a query page at /."""
    import logging
    import signal

    from ..serve import ServeConfig, Server
    from ..serve.server import _is_loopback

    logging.basicConfig(level=logging.WARNING if quiet else logging.INFO, format="nakg: %(message)s")
    if not _is_loopback(host):
        click.echo(f"nakg: warning: listening on {host}: other machines can reach the endpoint", err=True)
    if base is not None and not (base.startswith(("http://", "https://")) and base.endswith("/")):
        raise click.BadParameter(f"{base!r}: give an http(s) IRI ending in '/', e.g. https://w3id.org/nakg/",
                                 param_hint="--base")
    config = ServeConfig(host=host, port=port, timeout=timeout, max_results=max_results, max_request_bytes=max_request_bytes,
                         max_response_bytes=max_response_bytes, workers=workers, cors=cors, base=base)
    click.echo("nakg: loading the graph and starting the query workers …", err=True)

    def stop(signum, frame):  # SIGTERM (a service manager, kill): stop as Ctrl-C does, removing the temporary files
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    if inferred:  # the graph as nakg.load(inferred=True) gives it: the workers serve what it holds
        from ..api import load

        server = Server(config, kg=load(data_path, inferred=True)).start()
    else:
        server = Server(config, graph_path=data_path).start()
    try:
        click.echo(f"nakg: serving {server.triples} triples at {server.url}/ (query page); SPARQL endpoint "
                   f"{server.url}/sparql, explorer {server.url}/explorer; Ctrl-C stops", err=True)
        server.serve_forever()
    except KeyboardInterrupt:
        click.echo("nakg: stopping", err=True)
    finally:
        server.close()


@click.command()
@click.option("--endpoint", required=True,
              help="The store: its base URL (Oxigraph: http://localhost:7878) or its SPARQL query URL.")
@click.option("--graph", "graph_iri", default=None, help="Named graph to write (IRI); default: the default graph.")
@click.option("--query-url", default=None, help="SPARQL query endpoint, to count what arrived (default: <base>/query).")
@click.option("--store-url", default=None, help="Graph Store Protocol endpoint (default: <base>/store).")
@click.option("--update-url", default=None, help="SPARQL Update endpoint (default: <base>/update).")
@click.option("--append", is_flag=True, help="Add to the graph instead of replacing it.")
@click.option("--update-only", is_flag=True, help="Use SPARQL Update (INSERT DATA) only, not the Graph Store Protocol.")
@click.option("--timeout", default=300.0, show_default=True, type=click.FloatRange(min=1), help="Seconds per HTTP request.")
@click.option("--user", default=None, help=f"User for HTTP Basic authentication (password from ${PASSWORD_VARIABLE}).")
@data_option
@_handled
def push(endpoint: str, graph_iri: str | None, query_url: str | None, store_url: str | None, update_url: str | None,
         append: bool, update_only: bool, timeout: float, user: str | None, data_path: Path | None) -> None:
    """Load the graph (ontology + data) into a SPARQL 1.1 triplestore."""
    from ..api import load
    from ..push import push as run_push
    from ..store.remote import Endpoints

    ends = Endpoints.from_url(endpoint, query=query_url, update=update_url, store=store_url)
    result = run_push(load(data_path).graph, ends, named_graph=graph_iri, replace=not append, timeout=timeout,
                      auth=_auth(user), use_graph_store=not update_only)
    click.echo(result.text())


@click.command()
@click.option("-o", "--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("build/docs"),
              show_default=True, help="Output folder.")
@_handled
def docs(out_dir: Path) -> None:
    """HTML documentation of the ontology (pyLODE): classes, properties, definitions and mappings."""
    from ..docs import build_docs

    click.echo(build_docs(out_dir).text())
