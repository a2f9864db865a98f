"""Deterministic, readable IRIs for graph nodes, derived from record ids.

The same records always give the same IRIs, so rebuilds are isomorphic and diffs small.

>>> material("na3zr2si2po12")
rdflib.term.URIRef('https://w3id.org/nakg/resource/material/na3zr2si2po12')
>>> species("Zr", "4+")
rdflib.term.URIRef('https://w3id.org/nakg/resource/species/zr-4p')
"""

from __future__ import annotations

import re
from urllib.parse import quote

from rdflib import URIRef

from .namespaces import RES

__all__ = ["node", "material", "element", "species", "section", "reference", "review", "slug"]


def slug(text: str) -> str:
    """A lower-case IRI-safe slug: letters, digits, '.', '-'; '+' → 'p', other runs → '-'."""
    s = text.strip().lower().replace("+", "p")
    s = re.sub(r"[^a-z0-9.]+", "-", s).strip("-")
    return quote(s or "x", safe="-.")


def node(kind: str, record_id: str, *parts: str | int) -> URIRef:
    """The IRI of a record node (``kind``/``id``) or of a part of it."""
    tail = "/".join(str(p) for p in parts)
    return URIRef(f"{RES}{kind}/{record_id}" + (f"/{tail}" if tail else ""))


def material(record_id: str) -> URIRef:
    return node("material", record_id)


def element(symbol: str) -> URIRef:
    return URIRef(f"{RES}element/{symbol}")


def species(text: str, charge: str | None = None) -> URIRef:
    """A chemical species; the charge is spelled out so F, F- and F+ differ.

    >>> species("F", "-").rsplit("/", 1)[-1], species("F").rsplit("/", 1)[-1]
    ('f-m', 'f')
    """
    tail = "-" + charge.strip().replace("+", "p").replace("-", "m") if charge else ""
    return URIRef(f"{RES}species/{slug(text)}{tail}")


def section(number: str) -> URIRef:
    return URIRef(f"{RES}section/{number}")


def reference(number: int) -> URIRef:
    return URIRef(f"{RES}reference/{number}")


def review(record_id: str = "review") -> URIRef:
    return URIRef(f"{RES}{record_id}")
