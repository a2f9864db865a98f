"""The graph describes itself: VoID and DCAT for the data, a SPARQL 1.1 Service Description for an endpoint.

:func:`dataset_description` is written by ``nakg build`` (``void.ttl``), kept in
the release (``graph/void.ttl``) and served by ``nakg serve`` at
``/.well-known/void``, with the endpoint's address added. Everything in it is
computed from the data graph, with no date or path, so the same records give the
same file.

>>> from rdflib import Graph, URIRef
>>> g = Graph().parse(data='<https://w3id.org/nakg/resource/material/x> a <https://w3id.org/nakg/Material> .', format="turtle")
>>> d = dataset_description(g, version="1.2.3")
>>> int(d.value(DATASET, VOID.triples)), str(d.value(DATASET, OWL.versionIRI))
(1, 'https://w3id.org/nakg/resource/graph/1.2.3')
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, OWL, PROV, RDFS, XSD

__all__ = ["DATASET", "VOID", "SD", "Statistics", "dataset_description", "describe", "statistics", "is_entity", "manifest_bytes", "service_description", "data_version"]

VOID = Namespace("http://rdfs.org/ns/void#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
NAKG = "https://w3id.org/nakg/"
RESOURCE = NAKG + "resource/"
#: The IRI of the data graph (already the subject of its ``owl:imports`` of the ontology).
DATASET = URIRef(RESOURCE + "graph")
REVIEW = URIRef(RESOURCE + "review")
LICENSE = URIRef("https://creativecommons.org/licenses/by/4.0/")
TITLE = "nakg: knowledge graph of inorganic sodium-ion solid-state electrolytes"
DESCRIPTION = ("Materials, compositions, doping, ionic conductivities and other measurements with units and temperatures, "
               "crystal structures, syntheses, interfaces and cells of inorganic sodium-ion solid-state electrolytes, "
               "curated from one review with the section and references behind every fact.")
#: Resources shown as examples, when the graph has them.
EXAMPLES = ("material/na3zr2si2po12", "material/na3ps4", "material/na-beta-al2o3", "review")


def data_version() -> str:
    """The version of the released data: the version of nakg that builds it."""
    from .version import __version__

    return __version__.split("+")[0]


def _bind(g: Graph) -> Graph:
    for prefix, ns in (("void", VOID), ("dcat", DCAT), ("dcterms", DCTERMS), ("owl", OWL), ("prov", PROV), ("sd", SD),
                       ("xsd", XSD), ("rdfs", RDFS), ("nakg", Namespace(NAKG)), ("res", Namespace(RESOURCE))):
        g.bind(prefix, ns)
    return g


def _plain(graph):
    """(subject, predicate, object) as N-Triples text, from an rdflib graph, pyoxigraph triples or a set (or
    the ordered set, a dict) of N-Triples text triples (:class:`nakg.rdf.sinks.NTriplesSink`)."""
    if isinstance(graph, Graph):
        for s, p, o in graph:
            yield s.n3(), p.n3(), o.n3()
    elif isinstance(graph, (set, frozenset, dict)):
        yield from graph
    else:
        for t in graph:
            yield str(t.subject), str(t.predicate), str(t.object)


def dataset_description(graph: Graph, version: str | None = None, endpoint: str | None = None) -> Graph:
    """VoID and DCAT of the data graph ``graph`` (the ontology excluded).

    Args:
        graph: the data graph as built from the records (an rdflib graph or pyoxigraph triples).
        version: the data version (default: :func:`data_version`).
        endpoint: the URL of a SPARQL endpoint serving it (added as ``void:sparqlEndpoint`` and a DCAT data service).
    """
    return describe(statistics(graph), version, endpoint)


@dataclass
class Statistics:
    """What :func:`dataset_description` counts in a data graph: triples, entities, distinct subjects and objects,
    triples per predicate, instances per class (rdf:type triples), and the examples it has (:data:`EXAMPLES`)."""

    triples: int = 0
    entities: int = 0
    subjects: int = 0
    objects: int = 0
    predicates: dict[str, int] = field(default_factory=dict)
    classes: dict[str, int] = field(default_factory=dict)
    examples: set[str] = field(default_factory=set)


def is_entity(subject: str) -> bool:
    """Whether a subject (N-Triples text) counts as a VoID entity: a resource of the graph."""
    return subject.startswith("<" + RESOURCE)


def statistics(graph, objects: dict[str, int] | None = None) -> Statistics:
    """The :class:`Statistics` of a data graph (see :func:`_plain` for what ``graph`` may be); ``objects``, where
    given, is filled with how many triples have each object."""
    subjects, classes, predicates = set(), {}, {}
    objects = {} if objects is None else objects
    count = 0
    rdf_type = f"<{RDF.type}>"
    for s, p, o in _plain(graph):
        count += 1
        subjects.add(s)
        objects[o] = objects.get(o, 0) + 1
        predicates[p] = predicates.get(p, 0) + 1
        if p == rdf_type:
            classes[o] = classes.get(o, 0) + 1
    examples = {e for e in EXAMPLES if f"<{RESOURCE}{e}>" in subjects}
    return Statistics(count, sum(1 for s in subjects if is_entity(s)), len(subjects), len(objects), predicates, classes,
                      examples)


def describe(stats: Statistics, version: str | None = None, endpoint: str | None = None) -> Graph:
    """VoID and DCAT of a data graph with these :class:`Statistics` (see :func:`dataset_description`)."""
    version = version or data_version()
    d = _bind(Graph())
    classes = {URIRef(k[1:-1]): v for k, v in stats.classes.items() if k.startswith("<") and v}
    ds = DATASET
    for t in (VOID.Dataset, DCAT.Dataset):
        d.add((ds, RDF.type, t))
    d.add((ds, DCTERMS.title, Literal(TITLE, lang="en")))
    d.add((ds, RDFS.label, Literal("nakg data graph", lang="en")))
    d.add((ds, DCTERMS.description, Literal(DESCRIPTION, lang="en")))
    d.add((ds, DCTERMS.license, LICENSE))
    d.add((ds, OWL.versionInfo, Literal(version)))
    d.add((ds, URIRef(str(DCAT) + "version"), Literal(version)))  # DCAT 3
    d.add((ds, OWL.versionIRI, URIRef(f"{DATASET}/{version}")))
    d.add((ds, DCTERMS.source, REVIEW))
    d.add((ds, PROV.wasDerivedFrom, REVIEW))
    d.add((ds, DCTERMS.conformsTo, URIRef(NAKG + "ontology")))
    d.add((ds, VOID.vocabulary, URIRef(NAKG)))
    d.add((ds, VOID.uriSpace, Literal(RESOURCE)))
    d.add((ds, VOID.triples, Literal(stats.triples, datatype=XSD.integer)))
    d.add((ds, VOID.entities, Literal(stats.entities, datatype=XSD.integer)))
    d.add((ds, VOID.distinctSubjects, Literal(stats.subjects, datatype=XSD.integer)))
    d.add((ds, VOID.distinctObjects, Literal(stats.objects, datatype=XSD.integer)))
    d.add((ds, VOID.properties, Literal(sum(1 for n in stats.predicates.values() if n), datatype=XSD.integer)))
    d.add((ds, VOID.classes, Literal(len(classes), datatype=XSD.integer)))
    for example in EXAMPLES:
        if example in stats.examples:
            d.add((ds, VOID.exampleResource, URIRef(RESOURCE + example)))
    for cls, n in sorted(classes.items()):
        if not str(cls).startswith(NAKG):
            continue
        part = URIRef(f"{DATASET}/class/{str(cls)[len(NAKG):]}")
        d.add((ds, VOID.classPartition, part))
        d.add((part, VOID["class"], cls))
        d.add((part, VOID.entities, Literal(n, datatype=XSD.integer)))
    for key, media, name in (("turtle", "text/turtle", "nakg.ttl"), ("nt", "application/n-triples", "nakg.nt")):
        dist = URIRef(f"{DATASET}/distribution/{key}")
        d.add((ds, DCAT.distribution, dist))
        d.add((dist, RDF.type, DCAT.Distribution))
        d.add((dist, DCAT.mediaType, URIRef(f"https://www.iana.org/assignments/media-types/{media}")))
        d.add((dist, DCTERMS.title, Literal(f"{name}: the data graph as built from the records (graph/{name} in a release)")))
        d.add((dist, DCTERMS.license, LICENSE))
    if endpoint:
        d.add((ds, VOID.sparqlEndpoint, URIRef(endpoint)))
        service = URIRef(f"{DATASET}/service")
        d.add((ds, DCAT.distribution, service))
        d.add((service, RDF.type, DCAT.DataService))
        d.add((service, DCAT.endpointURL, URIRef(endpoint)))
        d.add((service, DCAT.servesDataset, ds))
        d.add((service, DCTERMS.title, Literal("SPARQL 1.1 endpoint (read-only)", lang="en")))
    return d


def service_description(endpoint: str, triples: int) -> Graph:
    """A SPARQL 1.1 Service Description of a ``nakg serve`` endpoint at ``endpoint``."""
    d = _bind(Graph())
    service = URIRef(f"{DATASET}/service")
    default = URIRef(f"{DATASET}/service/default-graph")
    d.add((service, RDF.type, SD.Service))
    d.add((service, RDFS.label, Literal("nakg SPARQL endpoint", lang="en")))
    d.add((service, SD.endpoint, URIRef(endpoint)))
    for lang in (SD.SPARQL11Query,):
        d.add((service, SD.supportedLanguage, lang))
    for fmt in ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV", "Turtle",
                "N-Triples", "JSON-LD", "RDF_XML"):
        d.add((service, SD.resultFormat, URIRef(f"http://www.w3.org/ns/formats/{fmt}")))
    d.add((service, RDFS.comment, Literal("Read-only: SPARQL Update, SERVICE and remote FROM are refused (403); results are "
                                          "capped and queries time out.", lang="en")))
    d.add((service, SD.defaultDataset, default))
    d.add((default, RDF.type, SD.Dataset))
    d.add((default, SD.defaultGraph, DATASET))
    d.add((DATASET, RDF.type, SD.Graph))
    d.add((DATASET, VOID.triples, Literal(triples, datatype=XSD.integer)))
    return d


def manifest_bytes(triples: int, counts: dict[str, int], files: list[str], report) -> bytes:
    """``manifest.json``: how many triples and records of each kind, from which files, and whether they conform."""
    manifest = {
        "triples": triples,
        "records": counts,
        "files": files,
        "conforms": report.conforms if report else None,
        "warnings": len(report.warnings) if report else None,
    }
    return (json.dumps(manifest, indent=2) + "\n").encode("utf-8")
