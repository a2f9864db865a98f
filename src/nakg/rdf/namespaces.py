"""Namespaces used by the ontology and the data."""

from rdflib import Namespace

NAKG = Namespace("https://w3id.org/nakg/")
RES = Namespace("https://w3id.org/nakg/resource/")
UNIT = Namespace("http://qudt.org/vocab/unit/")
PROV = Namespace("http://www.w3.org/ns/prov#")
CHEBI = Namespace("http://purl.obolibrary.org/obo/CHEBI_")

PREFIXES = {
    "nakg": NAKG,
    "res": RES,
    "unit": UNIT,
    "prov": PROV,
    "skos": Namespace("http://www.w3.org/2004/02/skos/core#"),
    "dcterms": Namespace("http://purl.org/dc/terms/"),
    "xsd": Namespace("http://www.w3.org/2001/XMLSchema#"),
    "rdfs": Namespace("http://www.w3.org/2000/01/rdf-schema#"),
    "rdf": Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#"),
    "owl": Namespace("http://www.w3.org/2002/07/owl#"),
}
