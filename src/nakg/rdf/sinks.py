"""Where the transform's triples go: an rdflib graph, or N-Triples text rendered as they are made.

:class:`~nakg.rdf.transform.GraphBuilder` writes every triple through a sink
(three methods: ``add``, ``literal``, ``has``). :class:`GraphSink` keeps the
triples in an rdflib :class:`~rdflib.Graph` — the reference path, and the graph
the Python API hands out. :class:`NTriplesSink` keeps each triple as three
N-Triples terms rendered once and memoised, which is what a build writes and
validates; it never builds an rdflib graph. Both render every term as rdflib's
N-Triples and Turtle serialisers do, byte for byte (``tests/test_fast_build.py``).

>>> from rdflib import URIRef
>>> sink = NTriplesSink()
>>> s = URIRef("https://w3id.org/nakg/resource/x")
>>> sink.add(s, URIRef("https://w3id.org/nakg/numericValue"), sink.literal(0.25, datatype=XSD_DOUBLE))
>>> sink.add(s, URIRef("http://www.w3.org/2000/01/rdf-schema#label"), sink.literal('a "b"', lang="en"))
>>> print(sink.ntriples().decode(), end="")
<https://w3id.org/nakg/resource/x> <http://www.w3.org/2000/01/rdf-schema#label> "a \\"b\\""@en .
<https://w3id.org/nakg/resource/x> <https://w3id.org/nakg/numericValue> "0.25"^^<http://www.w3.org/2001/XMLSchema#double> .
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator

from rdflib import Graph, Literal, URIRef

__all__ = ["GraphSink", "NTriplesSink", "SINKS", "XSD_DOUBLE", "XSD_DECIMAL", "namespaces"]

XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_DOUBLE = URIRef(XSD + "double")
XSD_DECIMAL = URIRef(XSD + "decimal")
_RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
_DOUBLE_TAIL = re.compile("\\.?0*e")


def namespaces() -> list[tuple[str, str]]:
    """The prefix bindings of the data graph, as an rdflib graph bound by the transform has them."""
    from .namespaces import PREFIXES

    g = Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    return [(prefix, str(ns)) for prefix, ns in g.namespaces()]


class GraphSink:
    """Triples into an rdflib graph bound to the project's prefixes (the reference path)."""

    def __init__(self) -> None:
        from .namespaces import PREFIXES

        self.graph = Graph()
        for prefix, ns in PREFIXES.items():
            self.graph.bind(prefix, ns)

    def add(self, s, p, o) -> None:
        self.graph.add((s, p, o))

    literal = staticmethod(Literal)

    def has(self, s, p, o) -> bool:
        return (s, p, o) in self.graph


def _quote(text: str) -> str:
    """A string as rdflib's N-Triples serializer quotes it."""
    return '"' + text.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"').replace("\r", "\\r") + '"'


class NTriplesSink:
    """Triples as N-Triples terms, each rendered once; sorted N-Triples and Turtle written without rdflib.

    ``literal`` returns the literal's N-Triples text (a plain ``str``); IRIs are
    given as :class:`~rdflib.URIRef` and rendered on first sight. Turtle needs
    a different form for some literals (numbers written bare, multi-line
    strings in triple quotes): those are kept in ``_turtle_forms``.
    """

    def __init__(self) -> None:
        self.triples: set[tuple[str, str, str]] = set()
        self._iris: dict[str, str] = {}
        self._literals: dict[tuple, str] = {}
        self._turtle_forms: dict[str, object] = {}
        self._ntriples: tuple[int, bytes] | None = None

    # --- terms ---------------------------------------------------------------
    def iri(self, term) -> str:
        text = self._iris.get(term)
        if text is None:
            if type(term) is str:  # already rendered (a literal)
                return term
            text = term.n3()  # rdflib refuses an IRI that N-Triples cannot carry
            self._iris[term] = text
        return text

    def literal(self, value, datatype=None, lang: str | None = None) -> str:
        key = (type(value), value, datatype, lang)
        if value == 0 and type(value) is float:
            key += (str(value),)  # 0.0 and -0.0 are equal keys but different literals
        text = self._literals.get(key)
        if text is not None:
            return text
        kind = type(value)
        if kind is str and datatype is None:
            text = _quote(value) + (f"@{lang}" if lang else "")
            if "\n" in value:
                self._turtle_forms[text] = Literal(value, lang=lang)
        elif kind is float and datatype in (None, XSD_DOUBLE) and lang is None and math.isfinite(value):
            text = f'"{value!r}"^^<{XSD_DOUBLE}>'
            self._turtle_forms[text] = _DOUBLE_TAIL.sub("e", f"{value:e}")
        else:  # anything else as rdflib makes it (few distinct values: numbers, booleans, decimals, dates)
            from rdflib.plugins.serializers.nt import _quoteLiteral

            lit = Literal(value, datatype=datatype, lang=lang)
            text = _quoteLiteral(lit)
            self._turtle_forms[text] = lit
        self._literals[key] = text
        return text

    # --- the sink ---------------------------------------------------------------
    def add(self, s, p, o) -> None:
        iris = self._iris
        self.triples.add((iris.get(s) or self.iri(s), iris.get(p) or self.iri(p),
                          o if type(o) is str else (iris.get(o) or self.iri(o))))

    def has(self, s, p, o) -> bool:
        return (self.iri(s), self.iri(p), o if type(o) is str else self.iri(o)) in self.triples

    def __len__(self) -> int:
        return len(self.triples)

    def collided(self) -> set[URIRef]:
        """Subjects with two different literals for one property that Oxigraph would store as one (the sink's
        counterpart of :func:`nakg.validate_sparql.collisions`; plain strings are kept as written and never merge)."""
        groups: dict[tuple, set[str]] = {}
        for (kind, value, datatype, lang, *_), text in self._literals.items():
            if kind is str and datatype is None:
                continue
            form = self._turtle_forms.get(text)
            if isinstance(form, Literal):
                v = form.value
                key = (form.datatype, v if v is not None and not isinstance(v, (bytes, bytearray)) else str(form))
                try:
                    hash(key)
                except TypeError:  # pragma: no cover - an unhashable Python value
                    key = (form.datatype, str(form))
            else:
                key = (XSD_DOUBLE, value)
            groups.setdefault(key, set()).add(text)
        twins = {t: key for key, texts in groups.items() if len(texts) > 1 for t in texts}
        if not twins:
            return set()
        seen: dict[tuple, str] = {}
        found = set()
        for s, p, o in self.triples:
            if o in twins:
                other = seen.setdefault((s, p, twins[o]), o)
                if other != o:
                    found.add(URIRef(s[1:-1]))
        return found

    def forget_terms(self) -> None:
        """Drop the memo of rendered terms (the triples and the Turtle forms stay; later terms are rendered anew)."""
        self._iris = {}
        self._literals = {}

    # --- outputs -------------------------------------------------------------
    def lines(self) -> list[str]:
        """The N-Triples lines, sorted (what ``graph/nakg.nt`` holds, without line ends)."""
        return sorted(f"{s} {p} {o} ." for s, p, o in self.triples)

    def unsorted_ntriples(self) -> bytes:
        """The N-Triples lines in no particular order (enough for a store to load)."""
        return ("\n".join(f"{s} {p} {o} ." for s, p, o in self.triples) + "\n").encode("utf-8")

    def ntriples(self) -> bytes:
        """Sorted N-Triples, byte for byte what :func:`nakg.build._sorted_ntriples` writes for the same graph
        (kept until a triple is added)."""
        if self._ntriples is None or self._ntriples[0] != len(self.triples):
            self._ntriples = (len(self.triples), ("\n".join(self.lines()) + "\n").encode("utf-8"))
        return self._ntriples[1]

    def turtle(self, bound: Iterable[tuple[str, str]] | None = None) -> bytes:
        """Turtle grouped by subject, byte for byte what :func:`nakg.build._turtle` writes for the same graph."""
        from .turtle import PrefixedNames, document

        prefixed = PrefixedNames(namespaces() if bound is None else bound)
        names: dict[str, str] = {}
        forms = self._turtle_forms  # a Literal (rendered by rdflib) or the Turtle text

        def name(text: str) -> str:
            out = names.get(text)
            if out is None:
                out = names[text] = prefixed(text[1:-1]) or text
            return out

        def qname(term) -> str | None:
            out = name(f"<{term}>")
            return None if out.startswith("<") else out

        def obj(text: str) -> str:
            if text[0] != '"':
                return name(text)
            form = forms.get(text)
            if form is None:
                return text
            if isinstance(form, Literal):
                return form._literal_n3(use_plain=True, qname_callback=qname)
            return form

        by_subject: dict[str, dict[str, list[str]]] = {}
        for s, p, o in self.triples:
            preds = by_subject.get(s)
            if preds is None:
                preds = by_subject[s] = {}
            objects = preds.get(p)
            if objects is None:
                preds[p] = [o]
            else:
                objects.append(o)
        blocks = []
        for s in sorted(by_subject, key=lambda t: (t.startswith("_:"), t[1:-1])):
            preds = by_subject[s]
            verbs = [("a" if p == _RDF_TYPE else name(p), [obj(o) for o in preds[p]])
                     for p in sorted(preds, key=lambda t: (t != _RDF_TYPE, t[1:-1]))]
            blocks.append((name(s), verbs))
        return document(prefixed, blocks)

    def graph(self) -> Graph:
        """The triples as an rdflib graph bound to the project's prefixes (parsed from the N-Triples)."""
        return parse_ntriples(self.ntriples())


def parse_ntriples(data: bytes) -> Graph:
    """An rdflib graph of sorted N-Triples ``data``, bound to the project's prefixes as the transform binds them."""
    sink = GraphSink()
    sink.graph.parse(data=data, format="nt")
    return sink.graph


def plain_terms(triples: Iterable[tuple[str, str, str]]) -> Iterator[tuple[str, str, str]]:
    """(subject, predicate, object) N-Triples text of a sink's triples (for :func:`nakg.dataset.dataset_description`)."""
    return iter(triples)


#: The sinks by name: where :class:`~nakg.rdf.transform.GraphBuilder` can write.
SINKS = {"rdflib": GraphSink, "ntriples": NTriplesSink}
