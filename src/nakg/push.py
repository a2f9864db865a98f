"""Load the graph (ontology + data) into a SPARQL 1.1 triplestore server (``nakg push``).

The graph is sent as N-Triples with the SPARQL 1.1 Graph Store HTTP Protocol:
``PUT`` (replace) or ``POST`` (add) to the store endpoint, addressed with
``?default`` or ``?graph=IRI``. A server without that protocol (404, 405, 415
or 501 from the store URL) gets SPARQL Update instead: ``DROP SILENT GRAPH`` /
``CLEAR SILENT DEFAULT`` to replace, then ``INSERT DATA`` in chunks (triples
that share a blank node stay in one chunk, since blank-node labels are scoped
to one request). The number of triples the server then holds is read back.

>>> chunks = list(_chunks(_ntriples_of([(i, i, i) for i in range(5)], lambda t: f"t{t[0]}"), 2))
>>> [len(c.splitlines()) for c in chunks]
[2, 2, 1]
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from .errors import NakgError
from .store.remote import Endpoints, RemoteGraph, RemoteStoreError, _excerpt, http_request

__all__ = ["PushError", "PushResult", "push", "graph_ntriples"]

#: Status codes from a store URL that mean "no Graph Store Protocol here": fall back to SPARQL Update.
_NO_GSP = (404, 405, 415, 501)


class PushError(NakgError):
    """The graph could not be loaded into the remote store."""


@dataclass
class PushResult:
    """What :func:`push` did.

    Attributes:
        triples: triples sent.
        method: ``graph-store PUT``, ``graph-store POST`` or ``update``.
        graph: the named graph written, or None for the default graph.
        requests: HTTP requests made to write.
        seconds: wall time of the whole push.
        remote_triples: triples in the target graph afterwards, as the server counts them (None if not readable).
    """

    triples: int
    method: str
    graph: str | None
    requests: int
    seconds: float
    remote_triples: int | None

    def text(self) -> str:
        target = f"<{self.graph}>" if self.graph else "the default graph"
        remote = f"; the store now holds {self.remote_triples} triples there" if self.remote_triples is not None else ""
        return (f"pushed {self.triples} triples to {target} by {self.method} in {self.requests} request(s), "
                f"{self.seconds:.2f} s{remote}")


_XSD_STRING_END = b'"^^<http://www.w3.org/2001/XMLSchema#string> .\n'


def graph_ntriples(graph) -> bytes:
    """The triples of an rdflib graph as N-Triples (UTF-8), strings as simple literals.

    RDF 1.1 makes ``"x"`` and ``"x"^^xsd:string`` one literal, and its canonical
    N-Triples writes the first; stores with RDF 1.0 semantics (Virtuoso 7) keep
    them apart, so a typed string would not match the plain one in a query.
    """
    data = graph.serialize(format="nt", encoding="utf-8")
    data = data if isinstance(data, bytes) else data.encode("utf-8")
    return data.replace(_XSD_STRING_END, b'" .\n')  # at a line's end: a literal's quotes are escaped inside it


def _ntriples_of(triples: Iterable[Any], to_line: Callable[[Any], str]) -> list[list[str]]:
    """Groups of N-Triples lines: triples linked by a shared blank node form one group, every other triple its own."""
    from rdflib import BNode

    groups: dict[Any, list[str]] = {}
    parent: dict[Any, Any] = {}

    def find(x):
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    singles: list[list[str]] = []
    pending: list[tuple[Any, str]] = []
    for t in triples:
        line = to_line(t)
        bnodes = [x for x in t if isinstance(x, BNode)]
        if not bnodes:
            singles.append([line])
            continue
        root = find(bnodes[0])
        for b in bnodes[1:]:
            other = find(b)
            if other != root:
                parent[other] = root
        pending.append((bnodes[0], line))
    for b, line in pending:
        groups.setdefault(find(b), []).append(line)
    return singles + list(groups.values())


def _chunks(groups: list[list[str]], size: int) -> Iterator[str]:
    chunk: list[str] = []
    for group in groups:
        if chunk and len(chunk) + len(group) > size:
            yield "\n".join(chunk)
            chunk = []
        chunk.extend(group)
    if chunk:
        yield "\n".join(chunk)


def _line(triple) -> str:
    from rdflib import Literal
    from rdflib.namespace import XSD

    s, p, o = triple
    if isinstance(o, Literal) and o.datatype == XSD.string:
        o = Literal(str(o))  # a simple literal, as graph_ntriples writes it
    return f"{s.n3()} {p.n3()} {o.n3()} ."


def _store_url(store: str, graph: str | None) -> str:
    return store + ("&" if "?" in store else "?") + (urlencode({"graph": graph}) if graph else "default")


def push(graph, endpoint: str | Endpoints, named_graph: str | None = None, replace: bool = True, timeout: float = 300.0,
         auth: tuple[str, str] | None = None, chunk_triples: int = 5000, use_graph_store: bool = True) -> PushResult:
    """Load an rdflib graph (for nakg: ``kg.graph``, ontology + data) into a remote store.

    Args:
        graph: the triples to send.
        endpoint: the server (base URL or query URL, see :meth:`~nakg.store.remote.Endpoints.from_url`) or its endpoints.
        named_graph: the IRI of the graph to write; None for the default graph.
        replace: replace what the target graph held (``PUT``); False adds to it (``POST``).
        timeout: seconds per HTTP request.
        auth: (user, password) for HTTP Basic authentication.
        chunk_triples: triples per ``INSERT DATA`` request in the Update fallback.
        use_graph_store: try the Graph Store Protocol first (False: SPARQL Update only).

    Raises:
        PushError: the server refused the data or could not be reached.
    """
    from .sparql import to_term

    if named_graph is not None:
        from rdflib import URIRef

        try:
            to_term(URIRef(named_graph))
        except NakgError as exc:
            raise PushError(f"--graph: {exc}") from None
    ends = endpoint if isinstance(endpoint, Endpoints) else Endpoints.from_url(endpoint)
    t0 = time.perf_counter()
    n = len(graph)
    method = None
    requests = 0
    try:
        if use_graph_store and ends.store:
            verb = "PUT" if replace else "POST"
            url = _store_url(ends.store, named_graph)
            status, _, body = http_request(verb, url, graph_ntriples(graph), {"Content-Type": "application/n-triples"},
                                           timeout, auth)
            requests += 1
            if status in (200, 201, 204):
                method = f"graph-store {verb}"
            elif status not in _NO_GSP:
                raise PushError(f"{verb} {url} answered HTTP {status}: {_excerpt(body)}")
        if method is None:
            requests += _push_by_update(graph, ends, named_graph, replace, timeout, auth, chunk_triples)
            method = "update"
        remote = RemoteGraph(ends, graph=named_graph, timeout=timeout, auth=auth)
        try:
            remote_triples = len(remote)
        except RemoteStoreError:
            remote_triples = None
    except RemoteStoreError as exc:
        raise PushError(str(exc)) from exc
    return PushResult(n, method, named_graph, requests, time.perf_counter() - t0, remote_triples)


def _push_by_update(graph, ends: Endpoints, named_graph: str | None, replace: bool, timeout: float,
                    auth: tuple[str, str] | None, chunk_triples: int) -> int:
    if not ends.update:
        raise PushError("the store has no Graph Store endpoint and no update endpoint is known (give --update-url)")
    remote = RemoteGraph(ends, timeout=timeout, auth=auth)
    requests = 0

    def send(text: str) -> None:
        nonlocal requests
        requests += 1
        try:
            remote.update(text)
        except RemoteStoreError as exc:
            raise PushError(f"SPARQL Update failed: {exc}") from exc

    if replace:
        send(f"DROP SILENT GRAPH <{named_graph}>" if named_graph else "CLEAR SILENT DEFAULT")
    for chunk in _chunks(_ntriples_of(graph, _line), max(1, chunk_triples)):
        send(f"INSERT DATA {{ GRAPH <{named_graph}> {{\n{chunk}\n}} }}" if named_graph else f"INSERT DATA {{\n{chunk}\n}}")
    return requests
