"""What the endpoint will run: every query is parsed before it touches the store.

The check works on the parse tree of rdflib's SPARQL 1.1 parser, not on the
query text, so a keyword inside a string, an IRI or a comment is not mistaken
for an operation, and one hidden in a sub-query or written with ``\\u``
escapes is still found:

* a request that parses as SPARQL Update (``INSERT``, ``DELETE``, ``LOAD``,
  ``CLEAR``, ``DROP`` …) but not as a query is refused with 403 — the endpoint
  is read-only;
* a ``SERVICE`` pattern anywhere (sub-queries, ``OPTIONAL``, ``EXISTS`` …) is
  refused with 403 — the endpoint makes no requests to other servers;
* ``FROM`` / ``FROM NAMED`` (and the protocol's ``default-graph-uri`` /
  ``named-graph-uri``) naming a graph the store does not hold is refused with
  403 — a dataset is never fetched from the web;
* text that is neither a query nor an update is a 400 with the parser's message.

The store (Oxigraph) parses the query again when it runs it; anything its
parser rejects is a 400 too, so a query runs only if both parsers accept it.

>>> check_query("SELECT ?s WHERE { ?s ?p 'SERVICE' }").form
'SELECT'
>>> try:
...     check_query("LOAD <http://example.org/x>")
... except Refused as exc:
...     print(exc.status, exc.message)
403 SPARQL Update (LOAD) is not allowed: this endpoint is read-only
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from ..errors import NakgError

__all__ = ["QueryInfo", "Refused", "check_query", "check_dataset"]

_FORMS = {"SelectQuery": "SELECT", "ConstructQuery": "CONSTRUCT", "AskQuery": "ASK", "DescribeQuery": "DESCRIBE"}


class Refused(NakgError):
    """A request the endpoint will not run, with the HTTP status to answer it with."""

    def __init__(self, status: int, message: str):
        self.status = status
        self.message = message
        super().__init__(f"{status}: {message}")


@dataclass(frozen=True)
class QueryInfo:
    """What the parser found: the query form and the dataset the query names."""

    form: str
    default_graphs: tuple[str, ...] = field(default=())
    named_graphs: tuple[str, ...] = field(default=())


def _walk(node) -> Iterator:
    """Every ``CompValue`` of an rdflib parse tree, depth first."""
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue

    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, CompValue):
            yield n
            stack.extend(n.values())
        elif isinstance(n, (list, tuple, ParseResults)):
            stack.extend(n)


def _update_operations(text: str) -> list[str] | None:
    """The operation names if ``text`` parses as SPARQL Update, else None."""
    from rdflib.plugins.sparql.parser import parseUpdate

    try:
        parsed = parseUpdate(text)
    except Exception:  # noqa: BLE001 - any parser failure means "not an update"
        return None
    names = []
    for request in parsed.get("request") or []:
        name = getattr(request, "name", "update")
        names.append({"Load": "LOAD", "Clear": "CLEAR", "Drop": "DROP", "Create": "CREATE", "Add": "ADD", "Move": "MOVE",
                      "Copy": "COPY", "InsertData": "INSERT DATA", "DeleteData": "DELETE DATA", "DeleteWhere": "DELETE WHERE",
                      "Modify": "DELETE/INSERT"}.get(name, name))
    return names


def check_dataset(default_graphs: Iterable[str], named_graphs: Iterable[str], local_graphs: Iterable[str] = ()) -> None:
    """Refuse (403) any dataset IRI that is not a graph of the local store.

    >>> try:
    ...     check_dataset(["http://example.org/remote.ttl"], [])
    ... except Refused as exc:
    ...     print(exc.status, exc.message.split(":")[0])
    403 FROM <http
    """
    local = set(local_graphs)
    for keyword, iris in (("FROM", default_graphs), ("FROM NAMED", named_graphs)):
        for iri in iris:
            if str(iri) not in local:
                raise Refused(403, f"{keyword} <{iri}> is not allowed: the endpoint does not fetch graphs from other "
                                   "servers and holds no graph of that name")


def check_query(text: str, local_graphs: Iterable[str] = ()) -> QueryInfo:
    """Parse ``text`` and return its form, or raise :class:`Refused` (400 malformed, 403 not allowed).

    Args:
        text: the SPARQL request as received.
        local_graphs: IRIs of the named graphs the store holds (the only ones ``FROM`` may name).

    >>> for text in ("ASK { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", "SELECT WHERE {"):
    ...     try:
    ...         check_query(text)
    ...     except Refused as exc:
    ...         print(exc.status, exc.message.split(":")[0])
    403 SERVICE is not allowed
    400 malformed query
    """
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        parsed = parseQuery(text)
    except Exception as exc:  # noqa: BLE001 - pyparsing errors and rdflib's own
        operations = _update_operations(text)
        if operations is not None:
            ops = ", ".join(dict.fromkeys(operations)) or "update"
            raise Refused(403, f"SPARQL Update ({ops}) is not allowed: this endpoint is read-only") from None
        raise Refused(400, f"malformed query: {' '.join(str(exc).split())}") from None
    query = parsed[1]
    defaults, named = [], []
    for node in _walk(parsed):
        if node.name == "ServiceGraphPattern":
            raise Refused(403, "SERVICE is not allowed: the endpoint makes no requests to other servers")
        if node.name == "DatasetClause":
            for key, found in (("default", defaults), ("named", named)):
                iri = dict.get(node, key)
                if iri is not None:
                    found.append(str(iri))
    check_dataset(defaults, named, local_graphs)
    form = _FORMS.get(query.name)
    if form is None:  # pragma: no cover - the grammar has only the four forms
        raise Refused(400, f"unsupported query form {query.name}")
    return QueryInfo(form, tuple(defaults), tuple(named))
