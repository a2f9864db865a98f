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
from itertools import islice
from typing import TYPE_CHECKING

from rdflib import Graph, Literal, URIRef

if TYPE_CHECKING:
    from .turtle import TurtleIndex

__all__ = ["GraphSink", "NTriplesSink", "SINKS", "TurtleTerms", "turtle_form", "XSD_DOUBLE", "XSD_DECIMAL", "namespaces"]

XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_DOUBLE = URIRef(XSD + "double")
XSD_DECIMAL = URIRef(XSD + "decimal")
_RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
_DOUBLE_TAIL = re.compile("\\.?0*e")
#: Lines per piece of text made at once (about 15 MB of N-Triples).
_CHUNK = 100_000


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
        #: The triples, in the order first added (a dict used as an ordered set): a store loaded in this order
        #: keeps each subject's triples together, and Oxigraph's scans take about half the time they take
        #: in a set's hash order (3.6 s instead of 5.4-6.7 s for the detection queries at 1M triples).
        self.triples: dict[tuple[str, str, str], None] = {}
        self._iris: dict[str, str] = {}
        self._literals: dict[tuple, str] = {}
        self._turtle_forms: dict[str, object] = {}
        self._ntriples: tuple[int, bytes] | None = None
        #: The triples of each part, by name (:meth:`begin`); a triple may be in several parts.
        self.parts: dict[str, list[tuple[str, str, str]]] = {}
        self._part: list | None = None
        #: Triples added again while parts were noted (those that may be in more than one part).
        self.repeated: list[tuple[str, str, str]] = []

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
    def begin(self, name: str | None) -> None:
        """From now on also note each added triple in the part ``name`` (None: in no part)."""
        self._part = None if name is None else self.parts.setdefault(name, [])

    def add(self, s, p, o) -> None:
        iris = self._iris
        triple = (iris.get(s) or self.iri(s), iris.get(p) or self.iri(p),
                  o if type(o) is str else (iris.get(o) or self.iri(o)))
        if self._part is not None:
            if triple in self.triples:
                self.repeated.append(triple)
            self._part.append(triple)
        self.triples[triple] = None

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
        """The N-Triples lines in the order the triples were first added (enough for a store to load)."""
        return b"".join(self.unsorted_chunks())

    def unsorted_chunks(self, predicates: set[str] | None = None) -> Iterator[bytes]:
        """:meth:`unsorted_ntriples` in pieces of whole lines, made as they are read (a store loads them one by
        one without the whole text in memory); only the triples of ``predicates`` (N-Triples text) where given."""
        triples = iter(self.triples) if predicates is None else (t for t in self.triples if t[1] in predicates)
        while True:
            piece = "".join(f"{s} {p} {o} .\n" for s, p, o in islice(triples, _CHUNK))
            if not piece:
                return
            yield piece.encode("utf-8")

    def ntriples(self) -> bytes:
        """Sorted N-Triples, byte for byte what :func:`nakg.build._sorted_ntriples` writes for the same graph
        (kept until a triple is added)."""
        if self._ntriples is None or self._ntriples[0] != len(self.triples):
            self._ntriples = (len(self.triples), b"".join(self.ntriples_chunks()))
        return self._ntriples[1]

    def ntriples_chunks(self) -> Iterator[bytes]:
        """:meth:`ntriples` in pieces of whole lines (to write a file without the whole text in memory)."""
        if self._ntriples is not None and self._ntriples[0] == len(self.triples):
            yield self._ntriples[1]
            return
        lines = self.lines()
        if not lines:
            yield b"\n"
        for start in range(0, len(lines), _CHUNK):
            yield ("\n".join(lines[start:start + _CHUNK]) + "\n").encode("utf-8")

    def turtle(self, bound: Iterable[tuple[str, str]] | None = None) -> bytes:
        """Turtle grouped by subject, byte for byte what :func:`nakg.build._turtle` writes for the same graph."""
        chunks, _ = self.turtle_chunks(bound)
        return b"".join(chunks)

    def turtle_indexed(self, bound: Iterable[tuple[str, str]] | None = None) -> tuple[bytes, TurtleIndex]:
        """:meth:`turtle`, and the :class:`~nakg.rdf.turtle.TurtleIndex` of where its blocks lie."""
        chunks, index = self.turtle_chunks(bound)
        return b"".join(chunks), index

    def turtle_chunks(self, bound: Iterable[tuple[str, str]] | None = None) -> tuple[Iterator[bytes], TurtleIndex]:
        """:meth:`turtle_indexed` with the Turtle in pieces (to write a file without the whole text in memory)."""
        from .turtle import TurtleIndex, subject_order

        terms = TurtleTerms(namespaces() if bound is None else bound, self._turtle_forms.get)
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
        subjects = sorted(by_subject, key=subject_order)
        blocks, masks = zip(*(terms.block(s, by_subject[s]) for s in subjects)) if subjects else ((), ())
        del by_subject
        index = TurtleIndex.of(terms.prefixes, subjects, blocks, masks)

        def chunks() -> Iterator[bytes]:
            yield (index.header() + "\n").encode("utf-8")
            for start in range(0, len(blocks), _CHUNK // 8):
                yield (("\n" if start else "") + "\n".join(blocks[start:start + _CHUNK // 8])).encode("utf-8")

        return chunks(), index

    def graph(self) -> Graph:
        """The triples as an rdflib graph bound to the project's prefixes (parsed from the N-Triples)."""
        return parse_ntriples(self.ntriples())


class TurtleTerms:
    r"""Subject blocks of N-Triples terms in Turtle, as :meth:`NTriplesSink.turtle` writes them.

    ``form`` gives a literal's Turtle form (see :meth:`NTriplesSink.literal`); by default it is
    derived from the N-Triples text (:func:`turtle_form`).

    >>> terms = TurtleTerms([("ex", "https://example.org/"), ("xsd", XSD)])
    >>> terms.block("<https://example.org/a>", {"<https://example.org/p>": [
    ...     '"2.50"^^<http://www.w3.org/2001/XMLSchema#decimal>', '"2020-01-01"^^<http://www.w3.org/2001/XMLSchema#date>']})
    ('ex:a ex:p "2020-01-01"^^xsd:date,\n        2.50 .\n', 3)
    """

    def __init__(self, bound: Iterable[tuple[str, str]], form=None):
        from .turtle import PrefixedNames

        self.prefixes = sorted((prefix, str(ns)) for prefix, ns in bound if prefix)
        self._bits = {prefix: 1 << i for i, (prefix, _) in enumerate(self.prefixes)}
        self._prefixed = PrefixedNames(self.prefixes)
        self._form = form or turtle_form
        self._names: dict[str, tuple[str, int]] = {}
        self._literals: dict[str, tuple[str, int]] = {}

    def name(self, text: str) -> tuple[str, int]:
        """The Turtle name of an IRI (N-Triples text) and the bit of the prefix it uses (0 for none)."""
        out = self._names.get(text)
        if out is None:
            short = self._prefixed(text[1:-1])
            out = self._names[text] = (text, 0) if short is None else (short, self._bits[short[:short.index(":")]])
        return out

    def object(self, text: str) -> tuple[str, int]:
        """The Turtle text of an object (N-Triples text) and the bits of the prefixes it uses."""
        if text[0] != '"':
            return self.name(text)
        form = self._form(text)
        if form is None:
            return text, 0
        if type(form) is str:
            return form, 0
        out = self._literals.get(text)
        if out is None:
            bit = [0]  # of the datatype's prefix, if its name is written with one

            def qname(iri) -> str | None:
                short, bit[0] = self.name(f"<{iri}>")
                return short if bit[0] else None

            out = self._literals[text] = (form._literal_n3(use_plain=True, qname_callback=qname), bit[0])
        return out

    def block(self, subject: str, preds: dict[str, list[str]]) -> tuple[str, int]:
        """The Turtle block of ``subject`` with ``{predicate: [object, …]}`` (N-Triples texts), and its prefix bits."""
        from .turtle import block

        name, obj = self.name, self.object
        text, mask = name(subject)
        verbs = []
        for p in sorted(preds, key=_predicate_order):
            if p == _RDF_TYPE:
                verb = "a"
            else:
                verb, bit = name(p)
                mask |= bit
            objects = []
            for o in preds[p]:
                rendered, bit = obj(o)
                mask |= bit
                objects.append(rendered)
            verbs.append((verb, objects))
        return block(text, verbs), mask


def _predicate_order(p: str) -> tuple[bool, str]:
    return p != _RDF_TYPE, p[1:-1]


def turtle_form(text: str):
    r"""The Turtle form :meth:`NTriplesSink.literal` keeps for the literal of N-Triples ``text``.

    None where the N-Triples text is also the Turtle text (a string without a line break), else the
    :class:`~rdflib.Literal` whose Turtle rendering is used.

    >>> turtle_form('"a b"@en') is None, turtle_form('"a\\nb"@en')
    (True, rdflib.term.Literal('a\nb', lang='en'))
    >>> turtle_form('"0.25"^^<http://www.w3.org/2001/XMLSchema#double>')._literal_n3(use_plain=True)
    '2.5e-01'
    """
    from rdflib.plugins.parsers.ntriples import unquote

    end = text.rindex('"')
    lexical, tail = unquote(text[1:end]), text[end + 1:]
    if tail.startswith("^^"):
        return Literal(lexical, datatype=URIRef(tail[3:-1]))
    if "\n" not in lexical:
        return None
    return Literal(lexical, lang=tail[1:] or None)


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
