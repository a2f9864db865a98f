"""Namespaces used by the ontology and the data."""

from rdflib import Namespace


class CachedNamespace(Namespace):
    """A namespace whose terms are made once: ``NAKG.Material`` is the same object on every use.

    rdflib's :class:`~rdflib.Namespace` makes a new :class:`~rdflib.URIRef` on each
    attribute access, which the transform does about once per triple.

    >>> ns = CachedNamespace("https://example.org/")
    >>> ns.a is ns.a and ns.a == Namespace("https://example.org/").a
    True
    """

    def __getattr__(self, name: str):
        value = super().__getattr__(name)
        self.__dict__[name] = value
        return value


NAKG = CachedNamespace("https://w3id.org/nakg/")
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
