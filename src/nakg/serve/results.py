"""Content negotiation and the SPARQL result formats the endpoint writes.

SELECT and ASK results: ``application/sparql-results+json`` (the default),
``application/sparql-results+xml``, ``text/csv`` and ``text/tab-separated-values``
(W3C SPARQL 1.1 Query Results JSON, XML, CSV and TSV formats). CONSTRUCT and
DESCRIBE results: ``text/turtle`` (the default), ``application/ld+json``,
``application/n-triples`` and ``application/rdf+xml``.

The solution serialisers are written here rather than taken from Oxigraph
because the endpoint stops reading solutions at the result cap: it writes the
rows it has read, not the whole (possibly unbounded) result.

>>> negotiate("SELECT", "text/csv;q=0.5, application/sparql-results+xml")
'xml'
>>> negotiate("CONSTRUCT", None)
'turtle'
>>> negotiate("ASK", "image/png") is None
True
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from xml.sax.saxutils import escape, quoteattr

__all__ = ["SOLUTION_FORMATS", "GRAPH_FORMATS", "negotiate", "parse_accept", "write_solutions", "write_boolean", "write_graph"]

#: Format key → (media type sent, media types accepted for it) for SELECT/ASK results, in server preference order.
SOLUTION_FORMATS: dict[str, tuple[str, tuple[str, ...]]] = {
    "json": ("application/sparql-results+json", ("application/sparql-results+json", "application/json")),
    "xml": ("application/sparql-results+xml", ("application/sparql-results+xml", "application/xml", "text/xml")),
    "csv": ("text/csv; charset=utf-8", ("text/csv",)),
    "tsv": ("text/tab-separated-values; charset=utf-8", ("text/tab-separated-values",)),
}
#: The same for CONSTRUCT/DESCRIBE results.
GRAPH_FORMATS: dict[str, tuple[str, tuple[str, ...]]] = {
    "turtle": ("text/turtle; charset=utf-8", ("text/turtle", "application/x-turtle")),
    "jsonld": ("application/ld+json", ("application/ld+json", "application/json")),
    "nt": ("application/n-triples", ("application/n-triples", "text/plain")),
    "rdfxml": ("application/rdf+xml", ("application/rdf+xml", "application/xml", "text/xml")),
}
#: Names accepted by the (non-standard, Fuseki-style) ``format`` request parameter.
_FORMAT_ALIASES = {
    "SOLUTIONS": {"json": "json", "srj": "json", "xml": "xml", "srx": "xml", "csv": "csv", "tsv": "tsv"},
    "GRAPH": {"turtle": "turtle", "ttl": "turtle", "n3": "turtle", "jsonld": "jsonld", "json-ld": "jsonld",
              "json": "jsonld", "nt": "nt", "ntriples": "nt", "n-triples": "nt", "rdfxml": "rdfxml", "xml": "rdfxml",
              "rdf": "rdfxml", "rdf+xml": "rdfxml", "rdf xml": "rdfxml"},
}
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_SR_NS = "http://www.w3.org/2005/sparql-results#"


def parse_accept(header: str | None) -> list[tuple[str, float]]:
    """Media ranges of an ``Accept`` header with their q-values (absent header: ``*/*``).

    >>> parse_accept("text/csv;q=0.5, application/json")
    [('text/csv', 0.5), ('application/json', 1.0)]
    """
    if not header or not header.strip():
        return [("*/*", 1.0)]
    ranges = []
    for part in header.split(","):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        q = 1.0
        for f in fields[1:]:
            key, _, value = f.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    q = 0.0
        ranges.append((media, q))
    return ranges


def _quality(media_types: Sequence[str], ranges: list[tuple[str, float]]) -> float:
    """The q-value a client gives an offer: that of the most specific range matching one of its media types."""
    best_q, best_specificity = 0.0, -1
    for i, media in enumerate(media_types):
        kind = media.split("/")[0]
        for rng, q in ranges:
            # aliases (every type after the first) match only when named exactly
            specificity = 2 if rng == media else -1 if i else 1 if rng == f"{kind}/*" else 0 if rng == "*/*" else -1
            if specificity < 0:
                continue
            if specificity > best_specificity or (specificity == best_specificity and q > best_q):
                best_q, best_specificity = q, specificity
    return best_q


def negotiate(form: str, accept: str | None, fmt: str | None = None) -> str | None:
    """The format key to answer a ``form`` query with, or None when nothing acceptable is on offer (406).

    Args:
        form: ``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``.
        accept: the request's ``Accept`` header.
        fmt: an explicit ``format`` request parameter, which wins over ``Accept`` when it names a format on
            offer; one that does not (SPARQLWrapper sends its own names beside a valid ``Accept``) is
            left to ``Accept``.

    >>> negotiate("CONSTRUCT", "application/rdf+xml", "rdf+xml"), negotiate("CONSTRUCT", "text/n3, text/turtle", "n3x")
    ('rdfxml', 'turtle')
    """
    graph = form in ("CONSTRUCT", "DESCRIBE")
    offers = GRAPH_FORMATS if graph else SOLUTION_FORMATS
    if fmt:
        key = _FORMAT_ALIASES["GRAPH" if graph else "SOLUTIONS"].get(fmt.strip().lower())
        if key is not None or accept is None:
            return key
    ranges = parse_accept(accept)
    best, best_q = None, 0.0
    for key, (_, accepted) in offers.items():
        q = _quality(accepted, ranges)
        if q > best_q:
            best, best_q = key, q
    return best


def media_type(form: str, key: str) -> str:
    """The ``Content-Type`` sent for format ``key``."""
    return (GRAPH_FORMATS if form in ("CONSTRUCT", "DESCRIBE") else SOLUTION_FORMATS)[key][0]


# --- terms -----------------------------------------------------------------------------------------------------
def _term_json(term) -> dict:
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != _XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, ox.Triple):
        return {"type": "triple", "value": {"subject": _term_json(term.subject), "predicate": _term_json(term.predicate),
                                            "object": _term_json(term.object)}}
    raise TypeError(f"unexpected RDF term {term!r}")


def _term_xml(term) -> str:
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value != _XSD_STRING:
            return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
        return f"<literal>{escape(term.value)}</literal>"
    if isinstance(term, ox.Triple):
        return (f"<triple><subject>{_term_xml(term.subject)}</subject><predicate>{_term_xml(term.predicate)}</predicate>"
                f"<object>{_term_xml(term.object)}</object></triple>")
    raise TypeError(f"unexpected RDF term {term!r}")


def _term_csv(term) -> str:
    import pyoxigraph as ox

    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, (ox.NamedNode, ox.Literal)):
        return term.value
    return str(term)


# --- writers ---------------------------------------------------------------------------------------------------
def write_solutions(variables: Sequence[str], rows: Iterable[Sequence], key: str) -> bytes:
    """Serialise SELECT solutions (``rows``: one sequence of terms or None per row, in ``variables`` order).

    >>> import pyoxigraph as ox
    >>> print(write_solutions(["f"], [[ox.Literal("Na3PS4")]], "csv").decode(), end="")
    f\r
    Na3PS4\r
    """
    if key == "json":
        bindings = [{v: _term_json(t) for v, t in zip(variables, row, strict=True) if t is not None} for row in rows]
        return json.dumps({"head": {"vars": list(variables)}, "results": {"bindings": bindings}},
                          ensure_ascii=False).encode("utf-8")
    if key == "xml":
        out = ['<?xml version="1.0"?>', f'<sparql xmlns="{_SR_NS}">', "<head>"]
        out += [f"<variable name={quoteattr(v)}/>" for v in variables]
        out += ["</head>", "<results>"]
        for row in rows:
            out.append("<result>" + "".join(f"<binding name={quoteattr(v)}>{_term_xml(t)}</binding>"
                                            for v, t in zip(variables, row, strict=True) if t is not None) + "</result>")
        out += ["</results>", "</sparql>", ""]
        return "\n".join(out).encode("utf-8")
    if key == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n")
        writer.writerow(variables)
        for row in rows:
            writer.writerow(["" if t is None else _term_csv(t) for t in row])
        return buf.getvalue().encode("utf-8")
    if key == "tsv":
        lines = ["\t".join(f"?{v}" for v in variables)]
        lines += ["\t".join("" if t is None else str(t) for t in row) for row in rows]  # pyoxigraph str(): N-Triples syntax
        return ("\n".join(lines) + "\n").encode("utf-8")
    raise ValueError(f"unknown result format {key!r}")


def write_boolean(value: bool, key: str) -> bytes:
    """Serialise an ASK result.

    >>> write_boolean(True, "json")
    b'{"head": {}, "boolean": true}'
    """
    text = "true" if value else "false"
    if key == "json":
        return json.dumps({"head": {}, "boolean": bool(value)}).encode()
    if key == "xml":
        return f'<?xml version="1.0"?>\n<sparql xmlns="{_SR_NS}">\n<head/>\n<boolean>{text}</boolean>\n</sparql>\n'.encode()
    if key in ("csv", "tsv"):
        return text.encode()
    raise ValueError(f"unknown result format {key!r}")


def write_graph(triples: list, key: str, prefixes: dict[str, str] | None = None) -> bytes:
    """Serialise CONSTRUCT/DESCRIBE triples (pyoxigraph ``Triple`` objects) with Oxigraph's writers."""
    import pyoxigraph as ox

    fmt = {"turtle": ox.RdfFormat.TURTLE, "jsonld": ox.RdfFormat.JSON_LD, "nt": ox.RdfFormat.N_TRIPLES,
           "rdfxml": ox.RdfFormat.RDF_XML}[key]
    used = prefixes if key in ("turtle", "rdfxml") else None
    return ox.serialize(triples, format=fmt, prefixes=used) or b""
