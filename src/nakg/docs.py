"""HTML documentation of the ontology with pyLODE (``nakg docs -o DIR``).

pyLODE renders classes, properties, definitions (``skos:definition``) and the
class/property hierarchy, but leaves out annotations it does not know — among
them the SKOS mappings to EMMO, QUDT, PROV-O, FaBiO/BIBO and ChEBI and the
curators' ``nakg:recordKey``. Before rendering, a copy of the ontology is
therefore given a ``skos:note`` per term naming its mappings and record key;
the ontology file itself is not changed. Literal text is HTML-escaped first,
since pyLODE passes literals through Markdown, which keeps raw HTML.

pyLODE does not document named individuals either, and the controlled
vocabularies (families, units, techniques, synthesis routes …) are individuals:
they get a page of their own, ``vocabularies.html``, linked from the index.

>>> g = documentation_graph()
>>> from rdflib import URIRef
>>> from rdflib.namespace import SKOS
>>> notes = [str(o) for o in g.objects(URIRef("https://w3id.org/nakg/CuratedStatement"), SKOS.note)]
>>> any("closeMatch" in n and "prov:Entity" in n for n in notes)
True
"""

from __future__ import annotations

import logging
import shutil
from contextlib import contextmanager
from dataclasses import dataclass
from html import escape
from pathlib import Path

from .errors import NakgError

__all__ = ["DocsError", "DocsResult", "documentation_graph", "build_docs"]

_MAPPINGS = ("exactMatch", "closeMatch", "broadMatch", "narrowMatch", "relatedMatch")


class DocsError(NakgError):
    """The documentation could not be made (pyLODE missing or failing, output not writable)."""


@dataclass
class DocsResult:
    """What :func:`build_docs` wrote.

    Attributes:
        index: the HTML page.
        classes: classes documented.
        properties: properties documented (object, datatype and annotation properties).
        mappings: SKOS mapping statements shown.
        vocabularies: the page of controlled-vocabulary terms.
        terms: controlled-vocabulary terms (named individuals) documented.
    """

    index: Path
    classes: int
    properties: int
    mappings: int
    vocabularies: Path | None = None
    terms: int = 0

    def text(self) -> str:
        return (f"wrote {self.index}: {self.classes} classes, {self.properties} properties, "
                f"{self.terms} controlled-vocabulary terms ({self.vocabularies.name if self.vocabularies else '-'}), "
                f"{self.mappings} mappings to other vocabularies")


def _curie(iri: str, prefixes: dict[str, str]) -> str:
    for prefix, ns in sorted(prefixes.items(), key=lambda kv: -len(kv[1])):
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return iri


def documentation_graph(ontology: Path | None = None):
    """The ontology prepared for pyLODE: literals escaped, mappings and record keys as ``skos:note``."""
    from rdflib import Graph, Literal, URIRef
    from rdflib.namespace import SKOS

    from .rdf.namespaces import NAKG
    from .resources import ontology_path

    source = Graph().parse(ontology or ontology_path(), format="turtle")
    g = Graph()
    for prefix, ns in source.namespaces():
        g.bind(prefix, ns)
    for s, p, o in source:
        if isinstance(o, Literal) and o.datatype is None and not str(o).startswith("http"):
            o = Literal(escape(str(o), quote=False), lang=o.language)
        g.add((s, p, o))
    prefixes = {p: str(ns) for p, ns in source.namespaces() if p}
    prefixes.setdefault("emmo-electrochemistry", "https://w3id.org/emmo/domain/electrochemistry#")
    for term in sorted(set(source.subjects()), key=str):
        if not isinstance(term, URIRef):
            continue
        lines = []
        for name in _MAPPINGS:
            for target in sorted(source.objects(term, SKOS[name]), key=str):
                label = escape(_curie(str(target), prefixes), quote=False)
                lines.append(f"skos:{name} [{label}]({target})" if isinstance(target, URIRef) else f"skos:{name} {label}")
        if lines:
            g.add((term, SKOS.note, Literal("Mappings: " + "; ".join(lines), lang="en")))
        for key in source.objects(term, NAKG.recordKey):
            g.add((term, SKOS.note, Literal(f"Record key: `{escape(str(key), quote=False)}`", lang="en")))
    return g


def vocabulary_html(ontology: Path | None = None) -> tuple[str, int]:
    """The controlled vocabularies (named individuals) as an HTML page, grouped by class; returns (html, terms)."""
    from rdflib import OWL, RDF, RDFS, Graph, URIRef
    from rdflib.namespace import SKOS

    from .rdf.namespaces import NAKG
    from .resources import ontology_path

    g = Graph().parse(ontology or ontology_path(), format="turtle")
    prefixes = {p: str(ns) for p, ns in g.namespaces() if p}

    def label(term) -> str:
        return str(g.value(term, RDFS.label) or _curie(str(term), prefixes))

    groups: dict = {}
    for ind in g.subjects(RDF.type, OWL.NamedIndividual):
        for cls in g.objects(ind, RDF.type):
            if cls != OWL.NamedIndividual and isinstance(cls, URIRef):
                groups.setdefault(cls, set()).add(ind)
    sections, count = [], 0
    for cls in sorted(groups, key=label):
        rows = []
        for ind in sorted(groups[cls], key=label):
            count += 1
            maps = [f'skos:{name} <a href="{escape(str(t))}">{escape(_curie(str(t), prefixes))}</a>'
                    for name in _MAPPINGS for t in sorted(g.objects(ind, SKOS[name]), key=str)]
            keys = ", ".join(f"<code>{escape(str(k))}</code>" for k in g.objects(ind, NAKG.recordKey))
            anchor = escape(str(ind).rsplit("/", 1)[-1].rsplit("#", 1)[-1])
            definition = escape(str(g.value(ind, SKOS.definition) or ""), quote=False)
            rows.append(f'<tr id="{anchor}"><td>{escape(label(ind), quote=False)}<br>'
                        f'<code>{escape(str(ind))}</code></td><td>{keys}</td>'
                        f'<td>{definition}</td><td>{"<br>".join(maps)}</td></tr>')
        heading = f'<h2 id="{escape(label(cls))}">{escape(label(cls))} <small><code>{escape(str(cls))}</code></small></h2>'
        sections.append(heading + "\n"
                        "<table><tr><th>term</th><th>record key</th><th>definition</th><th>mappings</th></tr>\n"
                        + "\n".join(rows) + "</table>")
    title = escape(str(g.value(next(g.subjects(RDF.type, OWL.Ontology), None), URIRef("http://purl.org/dc/terms/title"))
                       or "ontology"))
    html = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}: controlled vocabularies</title>
<style>body{{font-family:sans-serif;max-width:80rem;margin:auto;padding:0 1rem}}table{{border-collapse:collapse}}
td,th{{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}}code{{font-size:.85em}}</style></head>
<body><h1>{title}: controlled vocabularies</h1>
<p>The terms curators select in records by their record key; each is an OWL named individual of the class
named in its heading. <a href="index.html">Classes and properties</a>.</p>
{chr(10).join(sections)}
</body></html>
"""
    return html, count


@contextmanager
def _root_logger_kept():
    """pyLODE configures the root logger (``basicConfig`` on import, ``logging.info`` calls): undo that."""
    root = logging.getLogger()
    handlers, level, disabled = list(root.handlers), root.level, logging.root.manager.disable
    logging.disable(max(disabled, logging.INFO))
    try:
        yield
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
        logging.disable(disabled)


def _pylode():
    """Import pyLODE's ``OntPub``."""
    try:
        from pylode import OntPub
    except ImportError as exc:
        raise DocsError(f"pyLODE is not installed or cannot be imported ({exc}); pip install 'pylode>=3.3,!=3.4.1'") from exc
    except Exception as exc:  # noqa: BLE001 - e.g. pyLODE 3.4.1's wheel fails on import
        raise DocsError(f"pyLODE cannot be imported: {type(exc).__name__}: {exc}; install another version "
                        "(3.4.1 is broken: pip install 'pylode>=3.3,!=3.4.1')") from exc
    return OntPub


def build_docs(out_dir: Path | str, ontology: Path | None = None) -> DocsResult:
    """Write ``index.html`` (pyLODE), ``vocabularies.html`` and a copy of the ontology (``nakg.ttl``) into ``out_dir``.

    Args:
        out_dir: the output folder (created if needed).
        ontology: the ontology file; default: the one shipped with nakg.

    Raises:
        DocsError: pyLODE is missing or fails, or the folder cannot be written.
    """
    from .progress import progress

    with progress("documenting the ontology") as bar:
        return _build_docs(bar, out_dir, ontology)


def _build_docs(bar, out_dir: Path | str, ontology: Path | None) -> DocsResult:
    from rdflib import OWL, RDF
    from rdflib.namespace import SKOS

    from .io import atomic_write_text
    from .resources import ontology_path

    bar.stage("reading the ontology")
    graph = documentation_graph(ontology)
    classes = len(set(graph.subjects(RDF.type, OWL.Class)))
    properties = len({s for t in (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
                      for s in graph.subjects(RDF.type, t)})
    mappings = sum(1 for name in _MAPPINGS for _ in graph.triples((None, SKOS[name], None)))
    bar.stage("pyLODE")
    try:
        with _root_logger_kept():
            html = _pylode()(ontology=graph, sort_subjects=True).make_html()
    except DocsError:
        raise
    except Exception as exc:  # noqa: BLE001 - pyLODE's own errors
        raise DocsError(f"pyLODE failed: {type(exc).__name__}: {exc}") from exc
    bar.stage("vocabularies")
    vocab, terms = vocabulary_html(ontology)
    marker = '<div id="content">'
    if marker in html:
        html = html.replace(marker, marker + '<p><a href="vocabularies.html">Controlled vocabularies</a> '
                            f"({terms} terms: families, units, techniques, routes …)</p>", 1)
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
        index = out / "index.html"
        atomic_write_text(index, html)
        atomic_write_text(out / "vocabularies.html", vocab)
        shutil.copyfile(ontology or ontology_path(), out / "nakg.ttl")
    except OSError as exc:
        raise DocsError(f"cannot write the documentation to {out}: {exc}") from exc
    return DocsResult(index, classes, properties, mappings, out / "vocabularies.html", terms)
