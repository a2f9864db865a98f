"""The query engine one worker process runs: check, execute, cap and serialise one request.

An :class:`Engine` holds its own Oxigraph store loaded from an N-Triples file.
:meth:`Engine.execute` never raises: every outcome is a :class:`Response`
(status, media type, body, extra headers), so a worker can send it back to the
HTTP process as it is.

>>> import pathlib, tempfile
>>> nt = pathlib.Path(tempfile.mkdtemp()) / "g.nt"
>>> _ = nt.write_text('<https://w3id.org/nakg/resource/material/x> <https://w3id.org/nakg/formula> "Na3PS4" .\\n')
>>> engine = Engine(nt)
>>> r = engine.execute("SELECT ?f WHERE { ?m nakg:formula ?f }", accept="text/csv")
>>> r.status, r.content_type, r.body
(200, 'text/csv; charset=utf-8', b'f\\r\\nNa3PS4\\r\\n')
>>> engine.execute("INSERT DATA { <a:b> <a:c> <a:d> }").status
403
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .policy import Refused, check_dataset, check_query, form_of, refuse_unparsable
from .results import GRAPH_FORMATS, SOLUTION_FORMATS, media_type, negotiate, write_boolean, write_graph, write_solutions

__all__ = ["Response", "Engine", "error_response", "DEFAULT_MAX_RESULTS", "DEFAULT_MAX_RESPONSE_BYTES", "xml_safe"]

#: Default cap on result rows (SELECT) or triples (CONSTRUCT/DESCRIBE).
DEFAULT_MAX_RESULTS = 10_000
#: Default cap on the size of the RDF terms of one answer, in bytes (the serialised body is of this order).
DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024 * 1024
#: Query texts whose check is remembered (oldest dropped first).
_CHECK_CACHE = 512


@dataclass
class Response:
    """An HTTP answer: status, ``Content-Type``, body and extra headers (picklable, sent between processes)."""

    status: int
    content_type: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


def error_response(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    """A plain-text error answer: one line naming the status, then the message.

    >>> error_response(406, "no acceptable format").body
    b'Error 406: no acceptable format\\n'
    """
    return Response(status, "text/plain; charset=utf-8", f"Error {status}: {message}\n".encode(), dict(headers or {}))


def _prefixes() -> dict[str, str]:
    from ..rdf.namespaces import PREFIXES

    return {k: str(v) for k, v in PREFIXES.items()}


class Engine:
    """An Oxigraph store loaded from ``data_path`` (N-Triples) that answers SPARQL requests.

    Args:
        data_path: the N-Triples file to load.
        max_results: the default cap on result rows or triples.
        max_bytes: the cap on the size of the terms of one answer (rows are cut off before it is passed).
    """

    def __init__(self, data_path: Path | str, max_results: int = DEFAULT_MAX_RESULTS,
                 max_bytes: int = DEFAULT_MAX_RESPONSE_BYTES):
        import pyoxigraph as ox

        self.store = ox.Store()
        self.store.bulk_load(path=str(data_path), format=ox.RdfFormat.N_TRIPLES)
        self.max_results = max_results
        self.max_bytes = max_bytes
        self.prefixes = _prefixes()
        self.local_graphs = frozenset(g.value for g in self.store.named_graphs() if isinstance(g, ox.NamedNode))
        self._checked: dict[str, object] = {}

    def __len__(self) -> int:
        return len(self.store)

    def _check(self, query: str):
        """:func:`check_query` (on Oxigraph's parse, without the form: running the query tells it) with a cache."""
        outcome = self._checked.get(query)
        if outcome is None:
            try:
                outcome = check_query(query, self.local_graphs, self.prefixes, parse=False)
            except Refused as exc:
                outcome = exc
            if len(self._checked) >= _CHECK_CACHE:
                self._checked.pop(next(iter(self._checked)))
            self._checked[query] = outcome
        if isinstance(outcome, Refused):
            raise outcome
        return outcome

    def execute(self, query: str, accept: str | None = None, fmt: str | None = None, default_graphs: tuple[str, ...] = (),
                named_graphs: tuple[str, ...] = (), max_results: int | None = None) -> Response:
        """Answer one request; see the module docstring. ``default_graphs``/``named_graphs`` are the protocol's
        ``default-graph-uri``/``named-graph-uri`` parameters."""
        cap = self.max_results if max_results is None else max_results
        try:
            self._check(query)
            check_dataset(default_graphs, named_graphs, self.local_graphs)
        except Refused as exc:
            return error_response(exc.status, exc.message)
        try:
            return self._run(query, accept, fmt, cap, default_graphs, named_graphs)
        except SyntaxError as exc:
            refusal = refuse_unparsable(query, str(exc))
            return error_response(refusal.status, refusal.message)
        except Exception as exc:  # noqa: BLE001 - evaluation errors of the store
            return error_response(500, f"query failed: {type(exc).__name__}: {exc}")

    def _run(self, query: str, accept, fmt, cap: int, default_graphs, named_graphs) -> Response:
        import pyoxigraph as ox

        kwargs = {}
        if default_graphs:
            kwargs["default_graph"] = [ox.NamedNode(g) for g in default_graphs]
        if named_graphs:
            kwargs["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
        result = self.store.query(query, prefixes=self.prefixes, **kwargs)  # evaluation is lazy: nothing read yet
        form = form_of(result)
        key = negotiate(form, accept, fmt)
        if key is None:
            offers = GRAPH_FORMATS if form == "CONSTRUCT" else SOLUTION_FORMATS
            wanted = f"format={fmt!r}" if fmt else f"Accept: {accept}"
            return error_response(406, f"no acceptable result format for a {form} query ({wanted}); offered: "
                                       + ", ".join(t.split(";")[0] for t, _ in offers.values()))
        headers: dict[str, str] = {}
        if form == "ASK":
            return Response(200, media_type(form, key), write_boolean(bool(result), key), headers)
        rows: list = []
        size, cut = 0, None
        for item in result:
            if len(rows) >= cap:
                cut = f"max-results={cap}"
                break
            row = list(item) if form == "SELECT" else item
            size += _size(row) if form == "SELECT" else _size((item.subject, item.predicate, item.object))
            if size > self.max_bytes:
                cut = f"max-bytes={self.max_bytes}"
                break
            rows.append(row)
        if cut:
            headers["X-Nakg-Truncated"] = f"true; {cut}"
        headers["X-Nakg-Result-Count"] = str(len(rows))
        if key in ("xml", "rdfxml") and not xml_safe(rows):
            return error_response(406, "a value of this answer holds a control character that XML 1.0 cannot carry; "
                                       "ask for JSON, CSV or TSV (or N-Triples, Turtle for graphs)")
        if form == "SELECT":
            variables = [v.value for v in result.variables]
            body = write_solutions(variables, rows, key)
        else:
            body = write_graph(rows, key, self.prefixes)
        return Response(200, media_type(form, key), body, headers)


def _size(terms) -> int:
    """The bytes the terms of one row or triple take (their text, plus a little for the syntax around it)."""
    total = 0
    for t in terms:
        if t is not None:
            value = getattr(t, "value", None)
            total += 16 + (len(value) if isinstance(value, str) else len(str(t)))
            datatype = getattr(t, "datatype", None)
            if datatype is not None:
                total += len(datatype.value)
    return total


_XML_BAD = __import__("re").compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_safe(rows) -> bool:
    """Whether every term of ``rows`` (lists of terms, or triples) can be written in XML 1.0.

    >>> import pyoxigraph as ox
    >>> xml_safe([[ox.Literal("a\\tb")]]), xml_safe([[ox.Literal("a\\x01b")]])
    (True, False)
    """
    import pyoxigraph as ox

    stack = [t for row in rows for t in (row if isinstance(row, list) else (row.subject, row.predicate, row.object))]
    while stack:
        t = stack.pop()
        if t is None:
            continue
        if isinstance(t, ox.Triple):
            stack.extend((t.subject, t.predicate, t.object))
            continue
        if _XML_BAD.search(t.value) or (isinstance(t, ox.Literal) and t.language and _XML_BAD.search(t.language)):
            return False
    return True
