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
from collections.abc import Iterator
from typing import Any

from rdflib import Literal, URIRef
from rdflib.term import Identifier

from .errors import QueryError

__all__ = ["bind_parameters", "to_term", "uses_service", "keyword_in_query", "walk"]

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
        text = str(term)
        # Code-point escapes take the eight-digit form, and a ``u`` or ``U`` right after a backslash
        # is escaped too: rdflib expands ``\\uXXXX`` and ``\\uXXXXXXXX`` over the whole query text
        # before reading it, so an escaped backslash followed by ``u0041``, or a four-digit escape
        # followed by hex digits, would otherwise turn into another character.
        body = "".join(
            _ESCAPES[c] if c in _ESCAPES
            else f"\\U{ord(c):08X}" if (ord(c) < 0x20 or ord(c) == 0x7F or (c in "uU" and i and text[i - 1] == "\\"))
            else c
            for i, c in enumerate(text))
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
    """Return ``query`` with each parameter bound through a ``VALUES`` block (a tuple binds each of its values).

    >>> from rdflib import URIRef
    >>> print(bind_parameters("SELECT ?h WHERE { ?d nakg:hasHost ?h }", {"h": (URIRef("urn:a"), URIRef("urn:b"))}))
    SELECT ?h WHERE { VALUES ?h { <urn:a> <urn:b> } ?d nakg:hasHost ?h }
    """
    if not params:
        return query
    parts = []
    for name, value in params.items():
        if not _VAR.match(name):
            raise QueryError(f"invalid parameter name {name!r} (letters, digits and _ only)")
        if not re.search(rf"[?$]{name}\b", query):
            raise QueryError(f"the query has no variable ?{name} to bind")
        values = value if isinstance(value, tuple | list) else (value,)
        if not values:
            raise QueryError(f"parameter ?{name} has no value to bind")
        parts.append(f"VALUES ?{name} {{ {' '.join(_n3(to_term(v)) for v in values)} }}")
    at = _where_brace(query) + 1
    return query[:at] + " " + " ".join(parts) + query[at:]


#: What :func:`keyword_in_query` answers.
ABSENT, KEYWORD, MALFORMED = "absent", "keyword", "malformed"


def _mask(query: str, word: str) -> tuple[str, list[tuple[int, int]]]:
    """``query`` with the last letter of every (ASCII, case-insensitive) occurrence of ``word`` turned into x/X.

    A letter replaces a letter, so every string, IRI, comment, variable, prefixed name and language tag
    keeps its kind and extent (and a prefix stays consistent with its declaration); only a keyword
    stops being one.
    """
    spans = [(m.start(), m.end()) for m in re.finditer(re.escape(word), query, re.IGNORECASE)]
    chars = list(query)
    for _, end in spans:
        chars[end - 1] = "X" if chars[end - 1].isupper() else "x"
    return "".join(chars), spans


def _oxigraph_error_offset(message: str, text: str) -> int | None:
    """The character offset of Oxigraph's ``error at LINE:COLUMN`` (lines end at ``\\n``; 1-based)."""
    m = re.search(r"error at (\d+):(\d+)", message)
    if not m:
        return None
    line, col = int(m[1]), int(m[2])
    offset = 0
    for _ in range(line - 1):
        j = text.find("\n", offset)
        if j < 0:
            return None
        offset = j + 1
    return offset + col - 1


def keyword_in_query(query: str, word: str, prefixes: dict[str, str] | None = None) -> tuple[str, str]:
    """Whether Oxigraph, the store that executes queries, reads ``word`` as a keyword of ``query``.

    The decision is made on Oxigraph's own parse, not on another parser's reading of the text: every
    occurrence of the word is masked (:func:`_mask`) and the masked text is given to Oxigraph's parser
    (on an empty store, where it cannot reach anything, since the masked text has no such keyword). If
    the masked text is still a query, no occurrence was a keyword; if it is not, either an occurrence
    was the keyword or the query is malformed, and both are refused ("cannot tell" means "no").

    Returns:
        ``(ABSENT, "")``, ``(KEYWORD, "")`` or ``(MALFORMED, Oxigraph's message)``.

    >>> keyword_in_query("ASK { ?s ?p 'SERVICE' } # service", "service")[0]
    'absent'
    >>> keyword_in_query("ASK { ?s ?p ?o } # comment\\r SERVICE <http://x.org/> { ?s ?p ?o }", "service")[0]
    'keyword'
    """
    if word.lower() not in query.lower():
        return ABSENT, ""
    import pyoxigraph as ox

    masked, spans = _mask(query, word)
    try:
        ox.Store().query(masked, prefixes=prefixes)
    except SyntaxError as exc:
        at = _oxigraph_error_offset(str(exc), masked)
        if at is None or any(start <= at <= end + 24 for start, end in spans):
            return KEYWORD, ""
        return MALFORMED, str(exc)
    except Exception:  # noqa: BLE001 - an evaluation error on the empty store: the text parsed
        pass
    return ABSENT, ""


def uses_service(query: str, engine: str = "oxigraph", prefixes: dict[str, str] | None = None) -> bool:
    """Whether the engine that will run ``query`` would make a request to another server for it.

    Decided on the parse of the engine that executes the query: Oxigraph's (:func:`keyword_in_query`)
    or rdflib's (its SPARQL parser, the one ``Graph.query`` runs). A query that engine cannot parse
    counts as using SERVICE (it is refused, with the reason) — "cannot tell" means "refuse".

    >>> uses_service("SELECT * WHERE { ?s ?p 'SERVICE' }"), uses_service("ASK { SERVICE <http://x.org/q> { ?s ?p ?o } }")
    (False, True)
    >>> uses_service("ASK { SERVICE <http://x.org/q> { ?s ?p ?o } }", engine="rdflib")
    True
    """
    if engine == "oxigraph":
        return keyword_in_query(query, "service", prefixes)[0] != ABSENT
    if not re.search(r"(?i)service|\\u|\\U", query):  # rdflib expands \u escapes before it parses
        return False
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        parsed = parseQuery(query)
    except Exception:  # noqa: BLE001 - cannot tell: refuse
        return True
    return any(node.name == "ServiceGraphPattern" for node in walk(parsed))


def walk(node) -> Iterator:
    """Every ``CompValue`` of an rdflib SPARQL parse tree, depth first."""
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
