"""The Turtle layout both build paths write: prefixed names and subject blocks.

:func:`nakg.build._turtle` (from an rdflib graph) and
:meth:`nakg.rdf.sinks.NTriplesSink.turtle` (from N-Triples text) render terms
their own way; the names they abbreviate and the blocks they write are these,
so both give the same bytes for the same graph (``tests/test_fast_build.py``).
A :class:`TurtleIndex` says where each block of such a file lies, so that a
block can be replaced without reading the others.

>>> names = PrefixedNames([("nakg", "https://w3id.org/nakg/")])
>>> names("https://w3id.org/nakg/Material"), names("https://w3id.org/nakg/a/b")
('nakg:Material', None)
>>> print(document(names, [("nakg:x", [("a", ["nakg:Material"])])]).decode(), end="")
@prefix nakg: <https://w3id.org/nakg/> .
<BLANKLINE>
nakg:x a nakg:Material .
"""

from __future__ import annotations

import bisect
import marshal
import mmap
import os
import re
from array import array
from collections.abc import Iterable
from collections import Counter
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path

__all__ = ["PrefixedNames", "TurtleIndex", "block", "document", "graph_turtle", "header", "subject_order"]

_PN_LOCAL = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")


class PrefixedNames:
    """Writes an IRI as ``prefix:local`` where a bound namespace (the longest first) leaves a simple local name."""

    def __init__(self, bound: Iterable[tuple[str, str]]):
        self.spaces = sorted(((str(ns), prefix) for prefix, ns in bound if prefix), key=lambda x: -len(x[0]))
        self.used: dict[str, str] = {}

    def __call__(self, iri: str) -> str | None:
        """The prefixed name of ``iri``, or None where no bound namespace gives one."""
        for ns, prefix in self.spaces:
            if iri.startswith(ns) and _PN_LOCAL.match(iri[len(ns):]):
                self.used[prefix] = ns
                return f"{prefix}:{iri[len(ns):]}"
        return None


def block(subject: str, verbs: list[tuple[str, list[str]]]) -> str:
    """One subject block: ``subject verb object, … ; verb object .`` and a line end, objects sorted."""
    lines = [f"{verb} " + ",\n        ".join(sorted(objects)) for verb, objects in verbs]
    return f"{subject} " + " ;\n    ".join(lines) + " .\n"


def header(used: Iterable[tuple[str, str]]) -> str:
    """The ``@prefix`` lines of the used ``(prefix, namespace)`` pairs, sorted."""
    return "".join(f"@prefix {prefix}: <{ns}> .\n" for prefix, ns in sorted(used))


def document(names: PrefixedNames, blocks: Iterable[tuple[str, list[tuple[str, list[str]]]]]) -> bytes:
    """Turtle of rendered ``(subject, [(verb, [object, …]), …])`` blocks, in the order given, objects sorted."""
    out = [block(subject, verbs) for subject, verbs in blocks]
    return (header(names.used.items()) + "\n" + "\n".join(out)).encode("utf-8")


def subject_order(subject: str) -> tuple[bool, str]:
    """Where the block of a subject (N-Triples text) comes in a document: IRIs in order, then blank nodes."""
    return subject.startswith("_:"), subject[1:-1]


def _byte_order(subject: bytes) -> tuple[bool, bytes]:
    return subject.startswith(b"_:"), subject[1:-1]  # UTF-8 byte order is code point order


@dataclass
class TurtleIndex:
    """Where each subject block of a Turtle document lies, and which prefixes each block uses.

    A document is ``header + "\\n" + "\\n".join(blocks)``, each block ending in a line end.
    Block ``i`` has the subject :meth:`subject` ``(i)`` and is the bytes ``offsets[i]:offsets[i + 1] - 1``. Bit ``j`` of ``masks[i]`` says block ``i``
    uses the prefix ``prefixes[j]``; ``counts[j]`` is how many blocks use it, and the header lists
    exactly the prefixes with a count.

    >>> index = TurtleIndex.of([("ex", "https://example.org/")], ["<https://example.org/a>"],
    ...                        ["ex:a ex:p 1 .\\n"], [1])
    >>> index.header(), index.span(0), index.find("<https://example.org/a>"), index.find("<https://example.org/b>")
    ('@prefix ex: <https://example.org/> .\\n', (38, 14), (0, True), (1, False))
    >>> TurtleIndex.loads(index.dumps()) == index
    True
    """

    prefixes: list[tuple[str, str]]
    subjects: bytes | memoryview  # the blocks' subjects as N-Triples text, UTF-8, each followed by a line end
    starts: array  # where each subject starts in ``subjects``, then the length of ``subjects``
    offsets: array  # where each block starts in the document, then the document's size plus one
    masks: array  # the prefixes each block uses, one bit a prefix
    counts: list[int]  # how many blocks use each prefix

    _FORMAT = "nakg-turtle-index-1"

    @classmethod
    def of(cls, prefixes: list[tuple[str, str]], subjects: list[str], blocks: list[str], masks: list[int]) -> TurtleIndex:
        """The index of the document of ``blocks`` (rendered, in order) of ``subjects`` using the prefixes of ``masks``."""
        if len(prefixes) > 64:
            raise ValueError(f"a Turtle index takes at most 64 prefixes, not {len(prefixes)}")
        counts = [0] * len(prefixes)
        for mask, blocks_with_mask in Counter(masks).items():
            for j in range(len(prefixes)):
                counts[j] += blocks_with_mask if mask >> j & 1 else 0
        keys = "".join(s + "\n" for s in subjects).encode("utf-8")
        starts = array("q", accumulate((_utf8_len(s) + 1 for s in subjects), initial=0))
        index = cls(list(prefixes), keys, starts, array("q"), array("Q", masks), counts)
        first = _utf8_len(index.header()) + 1
        index.offsets = array("q", accumulate((_utf8_len(b) + 1 for b in blocks), initial=first))
        return index

    def __len__(self) -> int:
        return len(self.masks)

    def subject(self, i: int) -> str:
        """The N-Triples text of block ``i``'s subject."""
        return str(self.subjects[self.starts[i]:self.starts[i + 1] - 1], "utf-8")

    def span(self, i: int) -> tuple[int, int]:
        """The byte offset and length of block ``i``."""
        return self.offsets[i], self.offsets[i + 1] - self.offsets[i] - 1

    def find(self, subject: str) -> tuple[int, bool]:
        """Where the block of ``subject`` is (True) or would go (False)."""
        keys, starts = self.subjects, self.starts
        target = _byte_order(subject.encode("utf-8"))
        i = bisect.bisect_left(range(len(self)), target, key=lambda k: _byte_order(bytes(keys[starts[k]:starts[k + 1] - 1])))
        return i, i < len(self) and self.subject(i) == subject

    def header(self) -> str:
        """The ``@prefix`` lines of the prefixes some block uses."""
        return header(p for p, count in zip(self.prefixes, self.counts) if count)

    def _sections(self) -> list:
        raw = [self.subjects, self.starts.tobytes(), self.offsets.tobytes(), self.masks.tobytes()]
        meta = marshal.dumps((self._FORMAT, self.prefixes, self.counts, [len(r) for r in raw]))
        return [len(meta).to_bytes(8, "little"), meta, *raw]

    def dumps(self) -> bytes:
        """The index as bytes (for :meth:`loads` on the same machine)."""
        return b"".join(self._sections())

    @classmethod
    def loads(cls, data) -> TurtleIndex:
        """The index :meth:`dumps` wrote (any bytes-like object; the subjects stay a view of it, not a copy)."""
        view = memoryview(data)
        try:
            size = int.from_bytes(view[:8], "little")
            form, prefixes, counts, lengths = marshal.loads(view[8:8 + size])
        except (EOFError, ValueError, TypeError) as exc:
            raise ValueError(f"not a Turtle index: {exc}") from None
        if form != cls._FORMAT:
            raise ValueError(f"not a Turtle index of this version: {form!r}")
        if 8 + size + sum(lengths) != len(view):
            raise ValueError(f"not a Turtle index: {len(view)} bytes where {8 + size + sum(lengths)} were written")
        sections, position = [], 8 + size
        for length in lengths:
            sections.append(view[position:position + length])
            position += length
        arrays = [array(code) for code in "qqQ"]
        for a, raw in zip(arrays, sections[1:]):
            a.frombytes(raw)
        return cls([tuple(p) for p in prefixes], sections[0], *arrays, counts)

    def save(self, path: Path | str) -> None:
        """Write the index to ``path`` (replacing the file, so that an index loaded from it stays whole)."""
        path = Path(path)
        part = path.with_name(path.name + ".part")
        with open(part, "wb") as f:
            f.writelines(self._sections())
        os.replace(part, path)

    @classmethod
    def load(cls, path: Path | str) -> TurtleIndex:
        """The index :meth:`save` wrote to ``path`` (mapped, not read: the subjects are read where looked up)."""
        with open(path, "rb") as f:
            if os.fstat(f.fileno()).st_size == 0:
                raise ValueError(f"{path}: not a Turtle index: empty")
            return cls.loads(mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ))


def _utf8_len(text: str) -> int:
    return len(text) if text.isascii() else len(text.encode("utf-8"))


def graph_turtle(graph) -> bytes:
    """Turtle grouped by subject (sorted), terms written as rdflib's Turtle serializer writes them (the layout of
    :meth:`nakg.rdf.sinks.NTriplesSink.turtle`, from an rdflib graph).

    rdflib's pretty-printer spends most of its time computing and validating
    prefixed names; here names come from the graph's bound prefixes directly and
    literals are rendered by rdflib itself, so the file parses to the same triples.
    """
    from rdflib import BNode, Literal
    from rdflib.namespace import RDF

    prefixed = PrefixedNames(graph.namespaces())
    names: dict = {}

    def name(term) -> str:
        text = names.get(term)
        if text is None:
            text = f"_:{term}" if isinstance(term, BNode) else (prefixed(str(term)) or term.n3())
            names[term] = text
        return text

    def qname(term) -> str | None:
        text = name(term)
        return None if text.startswith("<") else text

    def obj(term) -> str:
        if isinstance(term, Literal):
            return term._literal_n3(use_plain=True, qname_callback=qname)
        return name(term)

    by_subject: dict = {}
    for s, p, o in graph:
        by_subject.setdefault(s, {}).setdefault(p, []).append(o)
    blocks = []
    for s in sorted(by_subject, key=lambda t: (isinstance(t, BNode), str(t))):
        preds = by_subject[s]
        verbs = [("a" if p == RDF.type else name(p), [obj(o) for o in preds[p]])
                 for p in sorted(preds, key=lambda t: (t != RDF.type, str(t)))]
        blocks.append((name(s), verbs))
    return document(prefixed, blocks)
