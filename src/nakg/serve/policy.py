"""What the endpoint will run: every decision is made on the parse of the store that executes the query.

Oxigraph both runs the query and decides what it may do: a second parser's
reading of the same text can differ from the store's (comment ends, ``\\u``
escapes, texts one parser rejects), so no other parser is asked whether a
query is safe (:func:`nakg.sparql.keyword_in_query`):

* a ``SERVICE`` pattern anywhere (sub-queries, ``OPTIONAL``, ``EXISTS`` …) is
  refused with 403 — the endpoint makes no requests to other servers; a text
  for which Oxigraph cannot tell is refused too;
* ``FROM`` / ``FROM NAMED`` (and the protocol's ``default-graph-uri`` /
  ``named-graph-uri``) naming a graph the store does not hold is refused with
  403 — Oxigraph never fetches a dataset, and the endpoint says so instead of
  answering from an empty graph;
* the store's ``query`` method parses queries only, so SPARQL Update
  (``INSERT``, ``DELETE``, ``LOAD``, ``CLEAR`` …) can never run; such a text
  is answered 403 (the endpoint is read-only), any other text Oxigraph
  rejects 400 with its message.

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

#: Texts longer than this are not parsed again (with rdflib) to name the update operation in the message.
_UPDATE_PARSE_LIMIT = 32 * 1024


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


def _update_operations(text: str) -> list[str] | None:
    """The operation names if ``text`` parses as SPARQL Update, else None."""
    from rdflib.plugins.sparql.parser import parseUpdate

    if len(text) > _UPDATE_PARSE_LIMIT:  # the text is refused anyway; only the message would differ
        return None
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


def refuse_unparsable(text: str, message: str) -> Refused:
    """The refusal for a text Oxigraph does not parse as a query: 403 for SPARQL Update, else 400."""
    operations = _update_operations(text)
    if operations is not None:
        ops = ", ".join(dict.fromkeys(operations)) or "update"
        return Refused(403, f"SPARQL Update ({ops}) is not allowed: this endpoint is read-only")
    return Refused(400, f"malformed query: {' '.join(message.split())}")


def check_query(text: str, local_graphs: Iterable[str] = (), prefixes: dict[str, str] | None = None,
                parse: bool = True) -> QueryInfo:
    """Check ``text`` on Oxigraph's parse and return its form, or raise :class:`Refused` (400 malformed, 403 not allowed).

    Args:
        text: the SPARQL request as received.
        local_graphs: IRIs of the named graphs the store holds (the only ones ``FROM`` may name).
        prefixes: the prefixes the store is given with the query (part of how it parses the text).
        parse: also parse the text to learn its form (on an empty store); without it the form is ``""``
            and the caller's own execution parses it.

    >>> for text in ("ASK { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", "SELECT WHERE {"):
    ...     try:
    ...         check_query(text)
    ...     except Refused as exc:
    ...         print(exc.status, exc.message.split(":")[0])
    403 SERVICE is not allowed
    400 malformed query
    """
    from ..sparql import KEYWORD, MALFORMED, keyword_in_query

    verdict, message = keyword_in_query(text, "service", prefixes)
    if verdict == KEYWORD:
        raise Refused(403, "SERVICE is not allowed: the endpoint makes no requests to other servers (Oxigraph reads "
                           "a SERVICE pattern in this query, or cannot tell that it has none)")
    if verdict == MALFORMED:
        raise refuse_unparsable(text, message)
    local = set(local_graphs)
    verdict, message = keyword_in_query(text, "from", prefixes)
    if verdict == KEYWORD and not local:
        raise Refused(403, "FROM is not allowed: the endpoint does not fetch graphs from other servers and holds "
                           "no named graph a FROM could name")
    if verdict == MALFORMED:
        raise refuse_unparsable(text, message)
    if not parse:
        return QueryInfo("")
    import pyoxigraph as ox

    try:
        result = ox.Store().query(text, prefixes=prefixes)  # no SERVICE (checked above): nothing to reach
    except SyntaxError as exc:
        raise refuse_unparsable(text, str(exc)) from None
    except Exception:  # noqa: BLE001 - an evaluation error on the empty store: the text parsed as a query
        result = None
    return QueryInfo(form_of(result))


def form_of(result) -> str:
    """The query form of an Oxigraph result (``CONSTRUCT`` stands for both graph forms)."""
    import pyoxigraph as ox

    if isinstance(result, ox.QueryBoolean):
        return "ASK"
    if isinstance(result, ox.QueryTriples):
        return "CONSTRUCT"
    return "SELECT"
