"""Dereferenceable IRIs: every resource and ontology term of the graph answered at its path, for people and programs.

``GET /resource/material/na3zr2si2po12`` describes
``https://w3id.org/nakg/resource/material/na3zr2si2po12``; ``GET /Material``
describes the ontology term ``https://w3id.org/nakg/Material``; ``GET /ontology``
the ontology itself (and ``/ontology/<version>`` its version IRI).

What is answered is chosen by content negotiation (``Accept``, or a
``?format=`` parameter that wins): an HTML page for browsers, or the
resource's description as Turtle, N-Triples, JSON-LD or RDF/XML. The
answer is ``200`` with ``Content-Location`` naming the representation
(``?format=…``) and ``Vary: Accept`` — not a ``303`` to a separate
document: one round trip instead of two, and a plain ``curl`` without
``-L`` gets the triples (see the README, "Linked data").

The description of a resource is its outgoing triples, those of the nodes
below its IRI (``…/cycling/1`` of a cell) and of blank nodes it points to,
plus the triples that point at it (capped at :data:`MAX_INBOUND`).

IRIs are rewritten from the graph's namespace to the server's *base*: a local
server (``http://127.0.0.1:7878/``) answers with IRIs that resolve on it; a
deployment behind the w3id redirect runs with ``--base https://w3id.org/nakg/``
and serves the canonical IRIs unchanged.

>>> to_base("https://w3id.org/nakg/resource/material/x", "http://127.0.0.1:7878/")
'http://127.0.0.1:7878/resource/material/x'
>>> is_linked_path("/resource/material/x"), is_linked_path("/Material"), is_linked_path("/sparql")
(True, True, False)
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from .engine import Response, error_response
from .results import _quality, parse_accept

__all__ = ["NAMESPACE", "DOCUMENT_FORMATS", "LinkedData", "Description", "is_linked_path", "to_base", "negotiate_document"]

#: The namespace of every IRI the graph mints (ontology terms and, below ``resource/``, data).
NAMESPACE = "https://w3id.org/nakg/"
#: Triples pointing at a resource that a description includes at most (a section is cited by hundreds of facts).
MAX_INBOUND = 2000
#: Format key → (media type sent, media types accepted for it), in the server's order of preference for ``*/*``.
DOCUMENT_FORMATS: dict[str, tuple[str, tuple[str, ...]]] = {
    "turtle": ("text/turtle; charset=utf-8", ("text/turtle", "application/x-turtle")),
    "html": ("text/html; charset=utf-8", ("text/html", "application/xhtml+xml")),
    "jsonld": ("application/ld+json", ("application/ld+json", "application/json")),
    "nt": ("application/n-triples", ("application/n-triples", "text/plain")),
    "rdfxml": ("application/rdf+xml", ("application/rdf+xml", "application/xml", "text/xml")),
}
_FORMAT_NAMES = {"html": "html", "htm": "html", "turtle": "turtle", "ttl": "turtle", "nt": "nt", "ntriples": "nt",
                 "n-triples": "nt", "jsonld": "jsonld", "json-ld": "jsonld", "json": "jsonld", "rdfxml": "rdfxml",
                 "rdf": "rdfxml", "xml": "rdfxml", "owl": "rdfxml"}
#: Paths of the server's own routes, never taken for an ontology term.
RESERVED = frozenset({"sparql", "explorer", "health", "static", "index.html", "favicon.ico"})
_TERM_PATH = re.compile(r"^/[A-Za-z][A-Za-z0-9_-]*$")
_ONTOLOGY_PATH = re.compile(r"^/ontology(/[0-9][0-9A-Za-z.+-]*)?$")
#: Where the dataset's VoID/DCAT description is served (the "well-known" location of the VoID specification).
VOID_PATH = "/.well-known/void"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def is_linked_path(path: str) -> bool:
    """Whether ``path`` names a resource, an ontology term or the ontology (not one of the server's own routes)."""
    if (path.startswith("/resource/") and len(path) > len("/resource/")) or path == VOID_PATH:
        return True
    if _ONTOLOGY_PATH.match(path):
        return True
    return bool(_TERM_PATH.match(path)) and path[1:] not in RESERVED


def to_base(iri: str, base: str) -> str:
    """``iri`` with the graph's namespace replaced by ``base`` (other IRIs unchanged)."""
    return base + iri[len(NAMESPACE):] if base != NAMESPACE and iri.startswith(NAMESPACE) else iri


def negotiate_document(accept: str | None, fmt: str | None = None) -> str | None:
    """The format key (``html``, ``turtle``, ``nt``, ``jsonld``, ``rdfxml``) for a request, None when none is acceptable.

    >>> negotiate_document("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
    'html'
    >>> negotiate_document("application/ld+json"), negotiate_document(None), negotiate_document("text/html", "ttl")
    ('jsonld', 'turtle', 'turtle')
    """
    if fmt:
        return _FORMAT_NAMES.get(fmt.strip().lower())
    ranges = parse_accept(accept)
    best, best_q = None, 0.0
    for key, (_, accepted) in DOCUMENT_FORMATS.items():
        q = _quality(accepted, ranges)
        if q > best_q:
            best, best_q = key, q
    return best


@dataclass
class Description:
    """What the graph says about one IRI: the triples of its description and what was left out."""

    iri: str
    triples: list = field(default_factory=list)  # pyoxigraph Triples
    inbound: int = 0
    inbound_left_out: int = 0

    @property
    def empty(self) -> bool:
        return not self.triples


class LinkedData:
    """Descriptions of the graph's resources from an Oxigraph store of the served graph (ontology and data).

    Args:
        data_path: the N-Triples file the endpoint serves.
        base: the IRI prefix the server's paths stand for; None: each request's own address (``http://<Host>/``).
        card: a function ``record id -> dict`` giving the card of a material (see :mod:`nakg.serve.pages`), or None.
        html: renders a description as an HTML page, ``(linked data, description, base, path) -> str``, with
            the Content-Security-Policy of that page (:func:`nakg.serve.pages.render_description` and
            ``PAGE_CSP``; passed in, so this module never imports the pages that import it); None: no HTML.
    """

    def __init__(self, data_path: Path | str, base: str | None = None, card: Callable[[str], dict | None] | None = None,
                 html: tuple[Callable[..., str], str] | None = None):
        import pyoxigraph as ox

        self.store = ox.Store()
        self.store.bulk_load(path=str(data_path), format=ox.RdfFormat.N_TRIPLES)
        self.base = base
        self.card = card
        self.html = html
        self._labels: dict[str, str] = {}
        self._lock = threading.Lock()
        self._ontology: Description | None = None
        self._add_dataset_description()

    def _add_dataset_description(self) -> None:
        """Add the VoID/DCAT description of the served data (the store less the ontology) to this store."""
        import pyoxigraph as ox

        from ..dataset import dataset_description
        from ..resources import ontology_path

        ontology = {q.triple for q in ox.parse(path=str(ontology_path()), format=ox.RdfFormat.TURTLE)}
        data = [q.triple for q in self.store.quads_for_pattern(None, None, None) if q.triple not in ontology]
        description = dataset_description(data, endpoint=NAMESPACE + "sparql")
        self.store.bulk_load(description.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)

    def service_description(self, accept: str | None, fmt: str | None, host: str | None) -> Response:
        """The SPARQL 1.1 Service Description of the endpoint (``GET /sparql`` without a query)."""
        import pyoxigraph as ox

        from ..dataset import service_description

        base = self.base or (f"http://{host}/" if host else NAMESPACE)
        key = negotiate_document(accept, fmt)
        if key == "html" and self.html is None:
            key = "turtle" if fmt is None else None
        if key is None:
            return error_response(406, "the service description is offered as text/html, text/turtle, "
                                       "application/n-triples, application/ld+json or application/rdf+xml", {"Vary": "Accept"})
        sd = service_description(NAMESPACE + "sparql", len(self.store))
        triples = [q.triple for q in ox.parse(sd.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)]
        description = Description(NAMESPACE + "resource/graph/service", triples)
        headers = {"Vary": "Accept", "Cache-Control": "max-age=60", "Content-Location": f"/sparql?format={key}"}
        if key == "html":
            render, headers["Content-Security-Policy"] = self.html
            body = render(self, description, base, "/sparql").encode("utf-8")
        else:
            body = self.serialize(description, key, base)
        return Response(200, DOCUMENT_FORMATS[key][0], body, headers)

    # --- lookups -----------------------------------------------------------------------------------------------
    def _node(self, iri: str):
        import pyoxigraph as ox

        return ox.NamedNode(iri)

    def outgoing(self, subject) -> list:
        return [q.triple for q in self.store.quads_for_pattern(subject, None, None)]

    def describe(self, iri: str) -> Description:
        """The description of ``iri`` (empty when the graph does not mention it)."""
        import pyoxigraph as ox

        node = self._node(iri)
        out: list = []
        seen = {node}
        todo = [node]
        while todo:  # the resource, the nodes below its IRI and the blank nodes it points to
            subject = todo.pop()
            for t in self.outgoing(subject):
                out.append(t)
                o = t.object
                if o not in seen and (isinstance(o, ox.BlankNode)
                                      or (isinstance(o, ox.NamedNode) and o.value.startswith(iri + "/"))):
                    seen.add(o)
                    todo.append(o)
        inbound, left_out = [], 0
        for q in self.store.quads_for_pattern(None, None, node):
            if q.subject in seen:
                continue
            if len(inbound) < MAX_INBOUND:
                inbound.append(q.triple)
            else:
                left_out += 1
        return Description(iri, out + inbound, len(inbound) + left_out, left_out)

    def label(self, iri: str) -> str | None:
        """The ``rdfs:label`` (else ``skos:prefLabel``) of ``iri``, cached."""
        if iri in self._labels:
            return self._labels[iri] or None
        import pyoxigraph as ox

        text = ""
        for prop in ("http://www.w3.org/2000/01/rdf-schema#label", "http://www.w3.org/2004/02/skos/core#prefLabel"):
            values = [q.object for q in self.store.quads_for_pattern(self._node(iri), ox.NamedNode(prop), None)]
            english = [v for v in values if isinstance(v, ox.Literal) and v.language in (None, "", "en")]
            if english or values:
                text = sorted(str(v.value) for v in (english or values))[0]
                break
        with self._lock:
            self._labels[iri] = text
        return text or None

    def values(self, iri: str, prop: str) -> list:
        import pyoxigraph as ox

        return [q.object for q in self.store.quads_for_pattern(self._node(iri), ox.NamedNode(prop), None)]

    def count_users(self, iri: str) -> tuple[str, int]:
        """How many individuals use a term: instances of a class, subjects using a property, subjects naming a value."""
        import pyoxigraph as ox

        node = self._node(iri)
        types = {t.value for t in self.values(iri, RDF_TYPE) if isinstance(t, ox.NamedNode)}
        owl = "http://www.w3.org/2002/07/owl#"
        if types & {owl + "Class", "http://www.w3.org/2000/01/rdf-schema#Class"}:
            return "instances", sum(1 for _ in self.store.quads_for_pattern(None, ox.NamedNode(RDF_TYPE), node))
        if types & {owl + "ObjectProperty", owl + "DatatypeProperty", owl + "AnnotationProperty",
                    "http://www.w3.org/1999/02/22-rdf-syntax-ns#Property"}:
            return "subjects using it", len({q.subject for q in self.store.quads_for_pattern(None, node, None)})
        return "resources naming it", len({q.subject for q in self.store.quads_for_pattern(None, None, node)
                                           if isinstance(q.subject, ox.NamedNode) and q.subject.value.startswith(NAMESPACE + "resource/")})

    def ontology(self) -> Description:
        """The whole ontology: every triple whose subject is an ontology term (or a blank node below one)."""
        import pyoxigraph as ox

        if self._ontology is None:
            triples = []
            for q in self.store.quads_for_pattern(None, None, None):
                s = q.subject
                if isinstance(s, ox.NamedNode) and s.value.startswith(NAMESPACE) and not s.value.startswith(NAMESPACE + "resource/"):
                    triples.append(q.triple)
                elif isinstance(s, ox.BlankNode):
                    triples.append(q.triple)
            self._ontology = Description(NAMESPACE + "ontology", triples)
        return self._ontology

    def version(self) -> str | None:
        versions = self.values(NAMESPACE + "ontology", "http://www.w3.org/2002/07/owl#versionInfo")
        return str(versions[0].value) if versions else None

    # --- answering ---------------------------------------------------------------------------------------------
    def respond(self, path: str, query: str, accept: str | None, host: str | None) -> Response:
        """Answer ``GET path?query`` (``query``: the raw query string)."""
        from urllib.parse import parse_qs

        try:
            params = parse_qs(query, keep_blank_values=True, max_num_fields=20, errors="strict")
        except (ValueError, UnicodeDecodeError) as exc:
            return error_response(400, f"malformed query string: {exc}")
        fmt = (params.get("format") or [None])[0]
        key = negotiate_document(accept, fmt)
        vary = {"Vary": "Accept"}
        if key is None:
            wanted = f"format={fmt!r}" if fmt else f"Accept: {accept}"
            return error_response(406, f"no acceptable format for this resource ({wanted}); offered: "
                                       + ", ".join(t.split(";")[0] for t, _ in DOCUMENT_FORMATS.values())
                                       + " (or ?format=html|ttl|nt|jsonld|rdfxml)", vary)
        base = self.base or (f"http://{host}/" if host else NAMESPACE)
        m = _ONTOLOGY_PATH.match(path)
        if path == VOID_PATH:
            description = self.describe(NAMESPACE + "resource/graph")
        elif m:
            version = self.version()
            if m.group(1) and m.group(1)[1:] != version:
                return error_response(404, f"ontology version {m.group(1)[1:]!r} is not served here (this is {version})",
                                      vary)
            description = self.ontology()
        else:
            iri = NAMESPACE + path[1:]
            description = self.describe(iri)
            if description.empty and unquote(path) != path:
                description = self.describe(NAMESPACE + unquote(path)[1:])
            if description.empty:
                return error_response(404, f"the graph says nothing about <{to_base(iri, base)}>", vary)
        headers = {**vary, "Content-Location": f"{path}?format={key}", "Cache-Control": "max-age=60"}
        headers["Link"] = ", ".join(f'<{path}?format={k}>; rel="alternate"; type="{t.split(";")[0]}"'
                                    for k, (t, _) in DOCUMENT_FORMATS.items() if k != key)
        if key == "html":
            if self.html is None:
                return error_response(406, "no HTML pages here; ask for ?format=ttl|nt|jsonld|rdfxml", vary)
            render, csp = self.html
            headers["Content-Security-Policy"] = csp
            body = render(self, description, base, path).encode("utf-8")
            return Response(200, DOCUMENT_FORMATS[key][0], body, headers)
        return Response(200, DOCUMENT_FORMATS[key][0], self.serialize(description, key, base), headers)

    def serialize(self, description: Description, key: str, base: str) -> bytes:
        """The description in RDF format ``key``, IRIs of the graph's namespace rewritten to ``base``."""
        import pyoxigraph as ox

        from ..rdf.namespaces import PREFIXES

        subject = description.iri

        def order(t) -> tuple:
            s = t.subject.value if isinstance(t.subject, ox.NamedNode) else "~"
            return (0 if s == subject else 1 if s.startswith(subject + "/") else 2, str(t))

        triples = sorted(description.triples, key=order)
        prefixes = {k: str(v) for k, v in PREFIXES.items()}
        prefixes.update({"void": "http://rdfs.org/ns/void#", "dcat": "http://www.w3.org/ns/dcat#",
                         "sd": "http://www.w3.org/ns/sparql-service-description#"})
        kinds = {t.value[len(NAMESPACE) + 9:].split("/", 1)[0] for tr in triples for t in (tr.subject, tr.object)
                 if isinstance(t, ox.NamedNode) and t.value.startswith(NAMESPACE + "resource/")}
        prefixes.update({k: f"{NAMESPACE}resource/{k}/" for k in sorted(kinds) if re.fullmatch(r"[a-z]+", k)
                         and k not in prefixes})
        if base != NAMESPACE:
            def move(term):
                if isinstance(term, ox.NamedNode) and term.value.startswith(NAMESPACE):
                    return ox.NamedNode(to_base(term.value, base))
                return term

            triples = [ox.Triple(move(t.subject), move(t.predicate), move(t.object)) for t in triples]
            prefixes = {k: to_base(v, base) for k, v in prefixes.items()}
        fmt = {"turtle": ox.RdfFormat.TURTLE, "jsonld": ox.RdfFormat.JSON_LD, "nt": ox.RdfFormat.N_TRIPLES,
               "rdfxml": ox.RdfFormat.RDF_XML}[key]
        if key == "nt":
            return "".join(f"{t} .\n" for t in triples).encode("utf-8")
        iris = {t.value for tr in triples for t in (tr.subject, tr.predicate, tr.object) if isinstance(t, ox.NamedNode)}
        iris |= {tr.object.datatype.value for tr in triples if isinstance(tr.object, ox.Literal)}
        prefixes = {k: ns for k, ns in prefixes.items() if any(i.startswith(ns) for i in iris)}
        used = prefixes if key in ("turtle", "rdfxml") else None
        return ox.serialize(triples, format=fmt, prefixes=used) or b""
