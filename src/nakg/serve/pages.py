"""The HTML pages of resources and ontology terms (``/resource/…``, ``/<Term>``, ``/ontology``).

Every value from the graph goes through :func:`html.escape`; the pages have no
script and no inline style (the stylesheet is ``/static/style.css``), so they are
sent with the same strict ``Content-Security-Policy`` as the query page. Every
IRI a page names is a link: the graph's own IRIs to their page on this server,
other ``http(s)`` IRIs (QUDT units, EMMO classes …) to themselves.

A material's page is its card: its facts with their provenance (review section,
figure or table, references, curation notes) and every statement about it —
measurements, structures, syntheses, dopings, cells, interfaces, findings — each
with its values and provenance. :func:`render_card` renders a card given as a
plain dict (the shape of ``KnowledgeGraph.material``), so a richer card from the
API plugs into the same page.

>>> "&lt;script&gt;" in render_card({"name": "<script>x</script>"}, lambda iri: None)
True
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from .linked import Description, LinkedData

__all__ = ["PAGE_CSP", "render_description", "render_card", "page"]

#: The Content-Security-Policy of every HTML page of the server (no inline script or style, nothing from elsewhere).
PAGE_CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; "
            "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")

NAKG = "https://w3id.org/nakg/"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
OWL = "http://www.w3.org/2002/07/owl#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
LABEL = RDFS + "label"
#: Properties that say where a fact comes from.
PROVENANCE = tuple(NAKG + p for p in ("statedInSection", "statedInFigure", "sourceTable", "citesReference", "curationNote",
                                      "isDerived"))
MAPPINGS = tuple(SKOS + p for p in ("exactMatch", "closeMatch", "broadMatch", "narrowMatch", "relatedMatch")) + (
    OWL + "equivalentClass", OWL + "equivalentProperty")
#: Kinds of resources that are statements with provenance, shown in full on the page of what they are about.
STATEMENT_KINDS = ("measurement", "structure", "synthesis", "doping", "cell", "interface", "finding", "challenge")
_SHORT = {"http://www.w3.org/2001/XMLSchema#": "xsd:", "http://www.w3.org/2002/07/owl#": "owl:", RDFS: "rdfs:",
          "http://www.w3.org/1999/02/22-rdf-syntax-ns#": "rdf:", SKOS: "skos:", "http://purl.org/dc/terms/": "dcterms:",
          "http://www.w3.org/ns/prov#": "prov:", "http://qudt.org/vocab/unit/": "unit:", NAKG + "resource/": "res:",
          "http://rdfs.org/ns/void#": "void:", "http://www.w3.org/ns/dcat#": "dcat:",
          "http://www.w3.org/ns/sparql-service-description#": "sd:",
          NAKG: "nakg:"}


def _e(text: Any) -> str:
    return escape(str(text), quote=True)


def short(iri: str) -> str:
    """A prefixed name for display (``nakg:Material``), or the IRI."""
    for ns, prefix in _SHORT.items():
        if iri.startswith(ns) and "/" not in iri[len(ns):]:
            return prefix + iri[len(ns):]
    return iri


def href(iri: str) -> str | None:
    """Where a link to ``iri`` goes: the graph's IRIs to their path on this server, web IRIs to themselves."""
    if iri.startswith(NAKG):
        return "/" + iri[len(NAKG):]
    if iri.startswith(("http://", "https://")):
        return iri
    return None


def link(iri: str, text: str | None = None) -> str:
    target = href(iri)
    shown = _e(text if text else short(iri))
    title = f' title="{_e(iri)}"'
    return f'<a href="{_e(target)}"{title}>{shown}</a>' if target else f"<span{title}>{shown}</span>"


def page(title: str, body: str, alternates: str = "") -> str:
    """A whole HTML page around ``body``."""
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_e(title)} — nakg</title>
<link rel="stylesheet" href="/static/style.css">
<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">
{alternates}</head>
<body class="resource">
<nav><a href="/">nakg</a> · <a href="/ontology">ontology</a> · <a href="/.well-known/void">dataset</a> ·
<a href="/">query</a></nav>
<main>
{body}
</main>
</body>
</html>
"""


class _Terms:
    """Renders pyoxigraph terms with labels looked up in the graph."""

    def __init__(self, ld: LinkedData):
        self.ld = ld

    def label(self, iri: str) -> str | None:
        return self.ld.label(iri)

    def term(self, t) -> str:
        import pyoxigraph as ox

        if isinstance(t, ox.NamedNode):
            return link(t.value, self.label(t.value))
        if isinstance(t, ox.BlankNode):
            return f'<span class="bnode">{_e(self.ld_bnode(t))}</span>'
        if isinstance(t, ox.Literal):  # plain value: no language tag, no datatype syntax
            return f'<span class="literal">{_e(t.value)}</span>'
        return _e(str(t))

    def ld_bnode(self, node) -> str:
        """A blank node (an OWL restriction, a list) as a short Manchester-like text."""
        import pyoxigraph as ox

        props = {q.predicate.value: q.object for q in self.ld.store.quads_for_pattern(node, None, None)}
        on = props.get(OWL + "onProperty")
        if on is not None:
            prop = self.label(on.value) or short(on.value)
            for key, word in (("someValuesFrom", "some"), ("allValuesFrom", "only"), ("hasValue", "value"),
                              ("maxCardinality", "max"), ("minCardinality", "min"), ("cardinality", "exactly"),
                              ("maxQualifiedCardinality", "max"), ("qualifiedCardinality", "exactly")):
                v = props.get(OWL + key)
                if v is not None:
                    target = (self.label(v.value) or short(v.value)) if isinstance(v, ox.NamedNode) else getattr(v, "value", "…")
                    return f"{prop} {word} {target}"
        return "(anonymous class)"


def _natural(text: str) -> tuple:
    """A sort key that puts [37] before [100] and Section 4.2.2 before Section 4.10."""
    import re

    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p.lower()) for p in re.split(r"(\d+)", text) if p)


def _rows(terms: _Terms, triples, subject) -> list[tuple[str, list]]:
    """(predicate, objects) of ``subject`` in ``triples``: type and label first, the rest by predicate label."""
    by_pred: dict[str, list] = {}
    for t in triples:
        if t.subject == subject:
            by_pred.setdefault(t.predicate.value, []).append(t.object)
    order = {RDF_TYPE: 0, LABEL: 1}
    def shown(o) -> str:
        return (terms.label(o.value) or o.value) if hasattr(o, "value") and not hasattr(o, "datatype") else str(getattr(o, "value", o))

    return sorted(((p, sorted(v, key=lambda o: _natural(shown(o)))) for p, v in by_pred.items()),
                  key=lambda pv: (order.get(pv[0], 2), pv[0] in PROVENANCE, (terms.label(pv[0]) or short(pv[0])).lower()))


def _facts_table(terms: _Terms, rows, css: str = "facts") -> str:
    out = [f'<table class="{css}"><tbody>']
    for pred, objs in rows:
        cls = ' class="provenance"' if pred in PROVENANCE else ""
        values = "<br>".join(terms.term(o) for o in objs)
        out.append(f"<tr{cls}><th>{link(pred, terms.label(pred))}</th><td>{values}</td></tr>")
    out.append("</tbody></table>")
    return "\n".join(out)


def _kind(iri: str) -> str | None:
    rest = iri[len(NAKG + "resource/"):] if iri.startswith(NAKG + "resource/") else ""
    kind = rest.split("/", 1)[0]
    return kind if kind in STATEMENT_KINDS else None


def _statement_block(ld: LinkedData, terms: _Terms, iri: str, relation: str) -> str:
    """A statement about the resource (a measurement, a doping …) with its values and its provenance."""
    from .linked import Description

    d: Description = ld.describe(iri)
    import pyoxigraph as ox

    node = ox.NamedNode(iri)
    own = [t for t in d.triples if t.subject == node]
    rows = [(p, o) for p, o in _rows(terms, own, node)
            if p not in (LABEL,) and (p in PROVENANCE or all(not isinstance(x, ox.NamedNode) or _kind(x.value) is None
                                                               for x in o))]
    title = ld.label(iri) or short(iri)
    return (f'<section class="statement"><h3>{link(iri, title)} <small>{_e(relation)}</small></h3>\n'
            + _facts_table(terms, rows, "facts compact") + "</section>")


def _term_section(ld: LinkedData, terms: _Terms, iri: str) -> str:
    """Label, definition, mappings, superclasses and use of an ontology term."""
    import pyoxigraph as ox

    def vals(prop):
        return ld.values(iri, prop)

    parts = ['<section class="term"><h2>Ontology term</h2><dl>']
    label = ld.label(iri)
    parts.append(f"<dt>label</dt><dd>{_e(label) if label else '<em>none</em>'}</dd>")
    definitions = vals(SKOS + "definition") + vals(RDFS + "comment")
    parts.append("<dt>definition</dt><dd>" + ("<br>".join(_e(d.value) for d in definitions) or "<em>none</em>") + "</dd>")
    mappings = [(short(p), o) for p in MAPPINGS for o in vals(p)]
    parts.append("<dt>mappings</dt><dd>" + ("<br>".join(f"{_e(p)} {terms.term(o)}" for p, o in mappings) or "<em>none</em>")
                 + "</dd>")
    # superclasses (or super-properties), transitively, nearest first
    chain, seen, frontier = [], {iri}, [iri]
    for prop in (RDFS + "subClassOf", RDFS + "subPropertyOf"):
        frontier = [iri]
        while frontier:
            nxt = []
            for x in frontier:
                for o in ld.values(x, prop):
                    if isinstance(o, ox.NamedNode) and o.value not in seen:
                        seen.add(o.value)
                        chain.append(o)
                        nxt.append(o.value)
                    elif isinstance(o, ox.BlankNode) and x == iri:
                        chain.append(o)
            frontier = nxt
    parts.append("<dt>superclasses</dt><dd>" + (" · ".join(terms.term(o) for o in chain) or "<em>none</em>") + "</dd>")
    what, n = ld.count_users(iri)
    parts.append(f'<dt>used by</dt><dd><span class="count">{n}</span> {_e(what)}</dd>')
    parts.append("</dl></section>")
    return "\n".join(parts)


def render_card(card: Any, resolve: Callable[[str], str | None]) -> str:
    """A card given as plain data (dicts, lists, strings, numbers) as nested HTML; strings that are IRIs become links.

    Args:
        card: the card (``KnowledgeGraph.material`` or any nested dict).
        resolve: gives the label of an IRI (or None).
    """
    if isinstance(card, dict):
        items = "".join(f"<dt>{_e(k)}</dt><dd>{render_card(v, resolve)}</dd>" for k, v in card.items()
                        if v not in (None, [], {}, ""))
        return f'<dl class="card">{items}</dl>'
    if isinstance(card, (list, tuple)):
        return "<ul>" + "".join(f"<li>{render_card(v, resolve)}</li>" for v in card) + "</ul>"
    if isinstance(card, str) and card.startswith(("http://", "https://")) and " " not in card:
        return link(card, resolve(card))
    return _e(card)


def render_description(ld: LinkedData, d: Description, base: str, path: str) -> str:
    """The page of one resource, term or of the ontology."""
    import pyoxigraph as ox

    from .linked import DOCUMENT_FORMATS, to_base

    terms = _Terms(ld)
    iri = d.iri
    node = ox.NamedNode(iri)
    own_labels = sorted(t.object.value for t in d.triples if t.subject == node and t.predicate.value == LABEL)
    title = ld.label(iri) or (own_labels[0] if own_labels else short(iri))
    web = to_base(iri, base)
    formats = " · ".join(f'<a href="{_e(path)}?format={k}">{_e(name)}</a>' for k, name in
                         (("turtle", "Turtle"), ("nt", "N-Triples"), ("jsonld", "JSON-LD"), ("rdfxml", "RDF/XML")))
    alternates = "".join(f'<link rel="alternate" type="{_e(t.split(";")[0])}" href="{_e(path)}?format={k}">\n'
                         for k, (t, _) in DOCUMENT_FORMATS.items() if k != "html")
    types = ld.values(iri, RDF_TYPE) or sorted({t.object for t in d.triples if t.subject == node
                                                and t.predicate.value == RDF_TYPE}, key=str)
    body = [f"<h1>{_e(title)}</h1>",
            f'<p class="iri"><code>{_e(web)}</code>'
            + (f' (canonical IRI <code>{_e(iri)}</code>)' if web != iri else "")
            + (" — " + ", ".join(terms.term(t) for t in types) if types else "") + "</p>",
            f'<p class="formats">This description as {formats}.</p>']
    is_term = iri.startswith(NAKG) and not iri.startswith(NAKG + "resource/") and path != "/ontology" and not path.startswith(
        "/ontology/")
    if path == "/ontology" or path.startswith("/ontology/"):
        body.append(_ontology_index(ld, terms, d))
        return page(title, "\n".join(body), alternates)
    if is_term:
        body.append(_term_section(ld, terms, iri))
    if ld.card is not None and iri.startswith(NAKG + "resource/material/"):
        try:
            card = ld.card(iri.rsplit("/", 1)[1])
        except Exception:  # noqa: BLE001 - the page is built from the triples alone then
            card = None
        if card:
            body.append('<section><h2>Material card</h2>' + render_card(card, ld.label) + "</section>")
    body.append("<section><h2>Facts</h2>")
    body.append(_facts_table(terms, _rows(terms, d.triples, node)))
    body.append("</section>")
    # statements about the resource: in full, with their provenance
    linked: dict[str, str] = {}
    for t in d.triples:
        if t.subject == node and isinstance(t.object, ox.NamedNode) and _kind(t.object.value) and not t.object.value.startswith(iri + "/"):
            linked.setdefault(t.object.value, terms.label(t.predicate.value) or short(t.predicate.value))
        elif t.object == node and isinstance(t.subject, ox.NamedNode) and _kind(t.subject.value):
            linked.setdefault(t.subject.value, "(" + (terms.label(t.predicate.value) or short(t.predicate.value)) + " this)")
    if linked and iri.startswith(NAKG + "resource/") and len(linked) <= 200:
        body.append(f"<section><h2>Statements about it ({len(linked)})</h2>")
        for other in sorted(linked, key=lambda x: (STATEMENT_KINDS.index(_kind(x)), _natural(x))):
            body.append(_statement_block(ld, terms, other, linked[other]))
        body.append("</section>")
    # nodes below this IRI (a cell's cycling results, a material's composition …)
    parts = sorted({t.subject for t in d.triples if isinstance(t.subject, ox.NamedNode) and t.subject.value.startswith(iri + "/")},
                   key=lambda n: _natural(n.value))
    if parts:
        body.append(f"<section><h2>Parts ({len(parts)})</h2>")
        for part in parts:
            body.append(f'<section class="part"><h3>{link(part.value, ld.label(part.value))}</h3>'
                        + _facts_table(terms, _rows(terms, d.triples, part), "facts compact") + "</section>")
        body.append("</section>")
    # everything else that points here
    inbound: dict[str, list] = {}
    for t in d.triples:
        if t.object == node and t.subject != node and not (isinstance(t.subject, ox.NamedNode) and t.subject.value in linked):
            inbound.setdefault(t.predicate.value, []).append(t.subject)
    if inbound:
        body.append(f"<section><h2>Referred to by ({sum(len(v) for v in inbound.values())})</h2>")
        rows = sorted(inbound.items(), key=lambda pv: (terms.label(pv[0]) or short(pv[0])).lower())
        body.append('<table class="facts"><tbody>' + "".join(
            f"<tr><th>{link(p, terms.label(p))} of</th><td>{'<br>'.join(terms.term(s) for s in sorted(subjects, key=str))}</td></tr>"
            for p, subjects in rows) + "</tbody></table>")
        if d.inbound_left_out:
            body.append(f"<p>{d.inbound_left_out} more not shown; ask the <a href=\"/\">SPARQL endpoint</a>.</p>")
        body.append("</section>")
    return page(title, "\n".join(body), alternates)


def _ontology_index(ld: LinkedData, terms: _Terms, d: Description) -> str:
    import pyoxigraph as ox

    onto = ox.NamedNode(NAKG + "ontology")
    head = _facts_table(terms, _rows(terms, d.triples, onto))
    kinds = {"Classes": {OWL + "Class"}, "Properties": {OWL + "ObjectProperty", OWL + "DatatypeProperty",
                                                        OWL + "AnnotationProperty"}}
    groups: dict[str, list[str]] = {"Classes": [], "Properties": [], "Other terms": []}
    subjects = sorted({t.subject.value for t in d.triples if isinstance(t.subject, ox.NamedNode)} - {onto.value})
    for s in subjects:
        types = {t.value for t in ld.values(s, RDF_TYPE)}
        group = next((g for g, ts in kinds.items() if types & ts), "Other terms")
        groups[group].append(s)
    out = [head]
    for group, items in groups.items():
        out.append(f"<h2>{group} ({len(items)})</h2><ul class=\"terms\">"
                   + "".join(f"<li>{link(s, ld.label(s))} <code>{_e(short(s))}</code></li>" for s in items) + "</ul>")
    return "\n".join(out)
