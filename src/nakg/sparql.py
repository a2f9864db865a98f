"""Safe query parameters: bind variables to RDF terms without pasting text into SPARQL.

Parameters become a ``VALUES`` block placed at the top of the query's outermost
``WHERE`` group; each value is serialised by rdflib as an RDF term (a literal is
escaped, an IRI is checked), so a parameter can never change the query's
structure. This works the same on every store backend (Oxigraph only substitutes
projected variables, rdflib's ``initBindings`` has other corner cases).

>>> print(bind_parameters("SELECT ?m WHERE { ?m nakg:formula ?f }", {"f": "Na3PS4"}))
SELECT ?m WHERE { VALUES ?f { "Na3PS4" } ?m nakg:formula ?f }
"""

from __future__ import annotations

import re
from typing import Any

from rdflib import Literal, URIRef
from rdflib.term import Identifier

from .errors import QueryError

__all__ = ["bind_parameters", "to_term", "uses_service"]

_VAR = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_BAD_IRI = re.compile(r'[\s<>"{}|^`\\]')


def to_term(value: Any) -> Identifier:
    """Turn a Python value into an RDF term (URIRef is kept; everything else becomes a literal)."""
    if isinstance(value, URIRef):
        if _BAD_IRI.search(str(value)) or ":" not in str(value):
            raise QueryError(f"not a valid absolute IRI: {str(value)!r}")
        return value
    if isinstance(value, Literal):
        return value
    if isinstance(value, (bool, int, float, str)):
        return Literal(value)
    raise QueryError(f"cannot bind a parameter of type {type(value).__name__}")


_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


def _n3(term: Identifier) -> str:
    """SPARQL syntax for a term; string literals are escaped character by character."""
    if isinstance(term, Literal) and (term.datatype is None or str(term.datatype).endswith("#string")):
        body = "".join(_ESCAPES.get(c, f"\\u{ord(c):04X}" if ord(c) < 0x20 or ord(c) == 0x7F else c) for c in str(term))
        suffix = f"@{term.language}" if term.language else ("^^<http://www.w3.org/2001/XMLSchema#string>" if term.datatype else "")
        return f'"{body}"{suffix}'
    return term.n3()


def _where_brace(query: str) -> int:
    """Index of the opening brace of the outermost WHERE group (skipping strings, IRIs, comments)."""
    i, n, depth, groups = 0, len(query), 0, []
    while i < n:
        c = query[i]
        if c == "#":
            j = query.find("\n", i)
            i = n if j < 0 else j
            continue
        if c in "\"'":
            quote = c * 3 if query.startswith(c * 3, i) else c
            j = i + len(quote)
            while j < n and not query.startswith(quote, j):
                j += 2 if query[j] == "\\" else 1
            i = j + len(quote)
            continue
        if c == "<":
            m = re.match(r"<[^\s<>\"{}|^`\\]*>", query[i:])
            if m:
                i += m.end()
                continue
        if c == "{":
            if depth == 0:
                groups.append(i)
            depth += 1
        elif c == "}":
            depth -= 1
        i += 1
    if not groups:
        raise QueryError("query has no WHERE group to bind parameters in")
    construct = re.match(r"(?is)^\s*(?:(?:PREFIX|BASE)\s[^\n]*\n|#[^\n]*\n|\s)*CONSTRUCT\s*\{", query)
    return groups[1] if construct and len(groups) > 1 else groups[0]


def bind_parameters(query: str, params: dict[str, Any]) -> str:
    """Return ``query`` with each parameter bound through a ``VALUES`` block."""
    if not params:
        return query
    parts = []
    for name, value in params.items():
        if not _VAR.match(name):
            raise QueryError(f"invalid parameter name {name!r} (letters, digits and _ only)")
        if not re.search(rf"[?$]{name}\b", query):
            raise QueryError(f"the query has no variable ?{name} to bind")
        parts.append(f"VALUES ?{name} {{ {_n3(to_term(value))} }}")
    at = _where_brace(query) + 1
    return query[:at] + " " + " ".join(parts) + query[at:]


def uses_service(query: str) -> bool:
    """Whether ``query`` has a ``SERVICE`` pattern (a request to another endpoint) anywhere.

    A text without the word (or a ``\\u`` escape, which could spell it) is
    answered at once; otherwise the query is parsed, so ``"SERVICE"`` inside a
    string or comment does not count.

    >>> uses_service("SELECT * WHERE { ?s ?p 'SERVICE' }"), uses_service("ASK { SERVICE <http://x.org/q> { ?s ?p ?o } }")
    (False, True)
    """
    if not re.search(r"(?i)\bSERVICE\b|\\u", query):
        return False
    from rdflib.plugins.sparql.parser import parseQuery

    from .serve.policy import _walk

    try:
        parsed = parseQuery(query)
    except Exception:  # noqa: BLE001 - a malformed query fails in the store with its own message
        return False
    return any(node.name == "ServiceGraphPattern" for node in _walk(parsed))
