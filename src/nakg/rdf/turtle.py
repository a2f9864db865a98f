"""The Turtle layout both build paths write: prefixed names and subject blocks.

:func:`nakg.build._turtle` (from an rdflib graph) and
:meth:`nakg.rdf.sinks.NTriplesSink.turtle` (from N-Triples text) render terms
their own way; the names they abbreviate and the blocks they write are these,
so both give the same bytes for the same graph (``tests/test_fast_build.py``).

>>> names = PrefixedNames([("nakg", "https://w3id.org/nakg/")])
>>> names("https://w3id.org/nakg/Material"), names("https://w3id.org/nakg/a/b")
('nakg:Material', None)
>>> print(document(names, [("nakg:x", [("a", ["nakg:Material"])])]).decode(), end="")
@prefix nakg: <https://w3id.org/nakg/> .
<BLANKLINE>
nakg:x a nakg:Material .
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["PrefixedNames", "document"]

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


def document(names: PrefixedNames, blocks: Iterable[tuple[str, list[tuple[str, list[str]]]]]) -> bytes:
    """Turtle of rendered ``(subject, [(verb, [object, …]), …])`` blocks, in the order given, objects sorted."""
    out = []
    for subject, verbs in blocks:
        lines = [f"{verb} " + ",\n        ".join(sorted(objects)) for verb, objects in verbs]
        out.append(f"{subject} " + " ;\n    ".join(lines) + " .\n")
    header = "".join(f"@prefix {prefix}: <{ns}> .\n" for prefix, ns in sorted(names.used.items()))
    return (header + "\n" + "\n".join(out)).encode("utf-8")
