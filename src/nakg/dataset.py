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

from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, OWL, PROV, RDFS, XSD

__all__ = ["DATASET", "VOID", "SD", "dataset_description", "service_description", "data_version"]

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
    """(subject, predicate, object) as N-Triples text, from an rdflib graph, pyoxigraph triples or a set of
    N-Triples text triples (:class:`nakg.rdf.sinks.NTriplesSink`)."""
    if isinstance(graph, Graph):
        for s, p, o in graph:
            yield s.n3(), p.n3(), o.n3()
    elif isinstance(graph, (set, frozenset)):
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
    version = version or data_version()
    d = _bind(Graph())
    subjects, objects, classes, properties, entities = set(), set(), {}, set(), set()
    count = 0
    rdf_type = str(RDF.type)
    for s, p, o in _plain(graph):
        count += 1
        subjects.add(s)
        objects.add(o)
        properties.add(p)
        if s.startswith("<" + RESOURCE):
            entities.add(s)
        if p == f"<{rdf_type}>":
            classes[o] = classes.get(o, 0) + 1
    classes = {URIRef(k[1:-1]): v for k, v in classes.items() if k.startswith("<")}
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
    d.add((ds, VOID.triples, Literal(count, datatype=XSD.integer)))
    d.add((ds, VOID.entities, Literal(len(entities), datatype=XSD.integer)))
    d.add((ds, VOID.distinctSubjects, Literal(len(subjects), datatype=XSD.integer)))
    d.add((ds, VOID.distinctObjects, Literal(len(objects), datatype=XSD.integer)))
    d.add((ds, VOID.properties, Literal(len(properties), datatype=XSD.integer)))
    d.add((ds, VOID.classes, Literal(len(classes), datatype=XSD.integer)))
    for example in EXAMPLES:
        iri = URIRef(RESOURCE + example)
        if f"<{iri}>" in subjects:
            d.add((ds, VOID.exampleResource, iri))
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
