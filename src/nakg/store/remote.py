"""A remote SPARQL 1.1 endpoint as a store: the graph lives in a triplestore server, queries go over HTTP.

:func:`open_graph` gives a :class:`RemoteGraph`, which has the part of the
rdflib ``Graph`` API that :class:`nakg.api.KnowledgeGraph` uses — ``query(text,
initNs=..., initBindings=...)`` returning an rdflib ``Result``, ``len()`` and
``triples()`` — so the same API, tables and named queries run against Oxigraph
server, Apache Jena Fuseki, GraphDB, QLever or ``nakg serve``::

    kg = KnowledgeGraph(open_graph("http://localhost:7878/query"), store="remote")   # the query endpoint
    kg.query("SELECT ?f WHERE { ?m nakg:formula ?f }")

:class:`Endpoints` works out the three URLs of a server from one: the query
endpoint, the update endpoint and the Graph Store Protocol endpoint.

>>> e = Endpoints.from_url("http://localhost:7878")
>>> e.query, e.update, e.store
('http://localhost:7878/query', 'http://localhost:7878/update', 'http://localhost:7878/store')
>>> Endpoints.from_url("http://localhost:3030/ds/sparql").update
'http://localhost:3030/ds/update'
"""

from __future__ import annotations

import base64
import io
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

from ..errors import NakgError

__all__ = ["Endpoints", "RemoteGraph", "RemoteStoreError", "http_request", "open_graph"]

_QUERY_SEGMENTS = ("query", "sparql")
_ACCEPT = ("application/sparql-results+json, application/sparql-results+xml;q=0.9, "
           "application/n-triples;q=0.8, text/turtle;q=0.7")
_GRAPH_TYPES = {"application/n-triples": "nt", "text/plain": "nt", "text/turtle": "turtle", "application/x-turtle": "turtle",
                "application/rdf+xml": "xml", "application/ld+json": "json-ld"}
_RESULT_TYPES = {"application/sparql-results+json": "json", "application/json": "json",
                 "application/sparql-results+xml": "xml", "application/xml": "xml", "text/xml": "xml",
                 "text/csv": "csv", "text/tab-separated-values": "tsv"}


class RemoteStoreError(NakgError):
    """A remote endpoint that cannot be reached or answers with an error.

    Attributes:
        url: the URL requested.
        status: the HTTP status (None when no answer came).
    """

    def __init__(self, message: str, url: str, status: int | None = None):
        self.url = url
        self.status = status
        super().__init__(message)


@dataclass(frozen=True)
class Endpoints:
    """The URLs of one SPARQL server.

    Attributes:
        query: the SPARQL 1.1 Protocol query endpoint.
        update: the SPARQL 1.1 Update endpoint (None: unknown).
        store: the SPARQL 1.1 Graph Store HTTP Protocol endpoint (None: unknown).
    """

    query: str
    update: str | None = None
    store: str | None = None

    @classmethod
    def from_url(cls, url: str, query: str | None = None, update: str | None = None, store: str | None = None) -> Endpoints:
        """The endpoints of a server from its base URL or its query URL (explicit URLs win).

        A URL whose last path segment is ``query`` or ``sparql`` is the query endpoint and its parent the base;
        any other URL is the base. From the base: ``/query``, ``/update`` and ``/store`` (Oxigraph's layout;
        Fuseki serves ``/ds/query`` and ``/ds/update`` too, its Graph Store endpoint is ``/ds/data``).
        """
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise RemoteStoreError(f"not an http(s) URL: {url!r}", url)
        path = parts.path.rstrip("/")
        segments = path.split("/")
        if segments[-1] in _QUERY_SEGMENTS:
            base_path, given_query = "/".join(segments[:-1]), urlunsplit(parts._replace(path=path))
        else:
            base_path, given_query = path, None

        def at(name: str) -> str:
            return urlunsplit(parts._replace(path=f"{base_path}/{name}", query="", fragment=""))

        return cls(query=query or given_query or at("query"), update=update or at("update"), store=store or at("store"))


def http_request(method: str, url: str, body: bytes | None = None, headers: Mapping[str, str] | None = None,
                 timeout: float = 60.0, auth: tuple[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    """One HTTP request with the standard library; returns (status, headers, body) for any HTTP answer.

    Raises :class:`RemoteStoreError` only when no HTTP answer comes (refused, timed out, bad URL).
    """
    import urllib.error
    import urllib.request

    request = urllib.request.Request(url, data=body, method=method, headers=dict(headers or {}))
    if auth is not None:
        token = base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode()
        request.add_header("Authorization", f"Basic {token}")
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # talk to the store directly
    try:
        with opener.open(request, timeout=timeout) as response:
            return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read()
    except urllib.error.HTTPError as exc:
        data = exc.read() if exc.fp is not None else b""
        return exc.code, {k.lower(): v for k, v in (exc.headers or {}).items()}, data
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise RemoteStoreError(f"cannot reach {url}: {reason}", url) from exc


def _excerpt(body: bytes, limit: int = 500) -> str:
    text = body.decode("utf-8", errors="replace").strip()
    return text if len(text) <= limit else text[:limit] + " …"


class RemoteGraph:
    """A read-only view of a remote SPARQL endpoint with the Graph methods the nakg API uses.

    Args:
        endpoint: the SPARQL query endpoint URL, used as given (Oxigraph ``…/query``, Fuseki ``…/ds/query``,
            GraphDB ``…/repositories/ID``, ``nakg serve`` ``…/sparql``), or :class:`Endpoints`.
        graph: a named graph to query as the default graph (sent as ``default-graph-uri``).
        timeout: seconds to wait for an answer.
        auth: (user, password) for HTTP Basic authentication.
    """

    def __init__(self, endpoint: str | Endpoints, graph: str | None = None, timeout: float = 60.0,
                 auth: tuple[str, str] | None = None):
        if isinstance(endpoint, Endpoints):
            self.endpoints = endpoint
        else:
            Endpoints.from_url(endpoint)  # checks that it is an http(s) URL
            self.endpoints = Endpoints(query=endpoint)
        self.graph = graph
        self.timeout = timeout
        self.auth = auth

    def __repr__(self) -> str:
        return f"RemoteGraph({self.endpoints.query!r}{', graph=' + repr(self.graph) if self.graph else ''})"

    def query(self, query_object: str, initNs: Mapping[str, Any] | None = None,  # noqa: N803 - rdflib's names
              initBindings: Mapping[str, Any] | None = None, **kwargs: Any):
        """Run a query remotely; returns an rdflib ``Result`` (rows for SELECT, a boolean for ASK, a graph otherwise).

        ``initNs`` prefixes are declared in front of the query (the query's own declarations win);
        ``initBindings`` are bound as a ``VALUES`` block (:func:`nakg.sparql.bind_parameters`).
        """
        from rdflib import Graph
        from rdflib.query import Result

        text = str(query_object)
        if initBindings:
            from ..sparql import bind_parameters

            text = bind_parameters(text, dict(initBindings))
        if initNs:
            text = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in initNs.items()) + text
        url = self.endpoints.query
        form = {"query": text, **({"default-graph-uri": self.graph} if self.graph else {})}
        # the protocol's form POST: every SPARQL 1.1 server takes it (Virtuoso 7 never answers a sparql-query body)
        status, headers, body = http_request("POST", url, urlencode(form).encode("ascii"),
                                             {"Content-Type": "application/x-www-form-urlencoded", "Accept": _ACCEPT},
                                             self.timeout, self.auth)
        if status != 200:
            raise RemoteStoreError(f"{self.endpoints.query} answered HTTP {status}: {_excerpt(body)}",
                                   self.endpoints.query, status)
        ctype = headers.get("content-type", "").split(";")[0].strip().lower()
        if ctype in _RESULT_TYPES:
            return Result.parse(io.BytesIO(body), format=_RESULT_TYPES[ctype])
        if ctype in _GRAPH_TYPES:
            result = Result("CONSTRUCT")
            result.graph = Graph().parse(data=body, format=_GRAPH_TYPES[ctype])
            return result
        raise RemoteStoreError(f"{self.endpoints.query} answered with an unexpected Content-Type {ctype!r}",
                               self.endpoints.query, status)

    def __len__(self) -> int:
        """The number of triples in the (default) graph."""
        rows = list(self.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"))
        return int(rows[0][0]) if rows else 0

    def triples(self, pattern: tuple) -> Iterator[tuple]:
        """Triples matching ``(s, p, o)`` (None: any), like ``rdflib.Graph.triples``."""
        from rdflib import Variable

        names = ("s", "p", "o")
        terms = [Variable(n) if t is None else t for n, t in zip(names, pattern, strict=True)]
        text = "SELECT * WHERE { " + " ".join(t.n3() for t in terms) + " }"
        for row in self.query(text):
            values = row.asdict()
            yield tuple(values.get(n, t) for n, t in zip(names, pattern, strict=True))

    def __iter__(self) -> Iterator[tuple]:
        return self.triples((None, None, None))

    def update(self, sparql: str) -> None:
        """Send a SPARQL Update request to the update endpoint."""
        url = self.endpoints.update
        if not url:
            raise RemoteStoreError("no update endpoint is known for this store", self.endpoints.query)
        status, _, body = http_request("POST", url, sparql.encode("utf-8"),
                                       {"Content-Type": "application/sparql-update; charset=utf-8"}, self.timeout, self.auth)
        if status not in (200, 201, 204):
            raise RemoteStoreError(f"{url} answered HTTP {status}: {_excerpt(body)}", url, status)


def open_graph(endpoint: str | Endpoints, graph: str | None = None, timeout: float = 60.0,
               auth: tuple[str, str] | None = None) -> RemoteGraph:
    """A :class:`RemoteGraph` on the query endpoint ``endpoint``; ``graph`` selects a named graph as the default graph.

    >>> open_graph("http://127.0.0.1:7878/query", graph="https://w3id.org/nakg/graph")
    RemoteGraph('http://127.0.0.1:7878/query', graph='https://w3id.org/nakg/graph')
    """
    return RemoteGraph(endpoint, graph=graph, timeout=timeout, auth=auth)
