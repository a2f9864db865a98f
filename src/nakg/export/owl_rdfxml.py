"""OWL export for Protégé: the ontology with the view's resources as named individuals, in RDF/XML.

The document is the nakg ontology (its ``owl:Ontology`` header, classes,
properties and vocabularies) plus the view's data, each data resource declared
an ``owl:NamedIndividual``. The data graph's own header (``res:graph``, which
imports the ontology) is left out: the ontology is in the same document, and a
second header would make Protégé look for the import on the web.

Every property the document uses that is neither built into RDF, RDFS and OWL
nor declared by the ontology (``skos:altLabel``, ``prov:wasDerivedFrom`` …) is
declared an ``owl:AnnotationProperty``: OWL 2 DL wants every entity declared,
and the OWL API's profile check rejects "use of undeclared annotation property".

>>> from rdflib import Graph
>>> from nakg.api import KnowledgeGraph
>>> kg = KnowledgeGraph(Graph().parse(format="turtle", data='''
...     @prefix nakg: <https://w3id.org/nakg/> .
...     <https://w3id.org/nakg/resource/material/nzsp> a nakg:SolidElectrolyte ; nakg:formula "Na3Zr2Si2PO12" .'''), "memory")
>>> import tempfile, pathlib
>>> out = pathlib.Path(tempfile.mkdtemp()) / "nakg-whole.owl"
>>> write(kg, "whole", out)["individuals"]
1
>>> b'<owl:Ontology rdf:about="https://w3id.org/nakg/ontology">' in out.read_bytes()
True
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .files import write_bytes
from .rdfview import RES, bind_prefixes, ontology_graph, view_rdf

if TYPE_CHECKING:  # pragma: no cover
    from ..api import KnowledgeGraph

__all__ = ["write", "DATA_HEADER", "undeclared_properties"]

#: The data graph's header resource, left out of the OWL document.
DATA_HEADER = RES + "graph"


def undeclared_properties(doc) -> set:
    """The predicates of ``doc`` outside the RDF, RDFS and OWL vocabularies that ``doc`` does not declare.

    >>> from rdflib import Graph
    >>> g = Graph().parse(format="turtle", data='''@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
    ...   @prefix owl: <http://www.w3.org/2002/07/owl#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
    ...   <http://x/p> a owl:DatatypeProperty . <http://x/a> <http://x/p> 1 ; skos:altLabel "A" ; rdfs:label "a" .''')
    >>> sorted(map(str, undeclared_properties(g)))
    ['http://www.w3.org/2004/02/skos/core#altLabel']
    """
    from rdflib.namespace import OWL, RDF, RDFS

    builtin = (str(RDF), str(RDFS), str(OWL))
    kinds = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
    declared = {s for kind in kinds for s in doc.subjects(RDF.type, kind)}
    return {p for p in set(doc.predicates()) if not str(p).startswith(builtin) and p not in declared}


def write(kg: KnowledgeGraph, view: str, path: Path | str) -> dict[str, int]:
    """Write the ontology and ``view`` of ``kg`` to ``path`` as RDF/XML.

    Returns ``{"triples": n, "individuals": m}``.
    """
    from rdflib import URIRef
    from rdflib.namespace import OWL, RDF

    from .registry import ExportError

    data = view_rdf(kg, view)
    doc = bind_prefixes(ontology_graph())
    header = URIRef(DATA_HEADER)
    individuals = set()
    for s, p, o in data:
        if s == header:
            continue
        doc.add((s, p, o))
        if isinstance(s, URIRef) and str(s).startswith(RES):
            individuals.add(s)
    for s in individuals:
        doc.add((s, RDF.type, OWL.NamedIndividual))
    for p in undeclared_properties(doc):
        doc.add((p, RDF.type, OWL.AnnotationProperty))
    try:
        payload = doc.serialize(format="pretty-xml", encoding="utf-8")
    except Exception as exc:  # rdflib refuses IRIs that RDF/XML cannot write as element names
        raise ExportError(f"cannot write {view} as RDF/XML: {exc}") from exc
    write_bytes(path, payload)
    return {"triples": len(doc), "individuals": len(individuals)}
