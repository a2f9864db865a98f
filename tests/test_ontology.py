"""The ontology: parses, is OWL 2 DL-consistent under HermiT, and every term is documented."""

from __future__ import annotations

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF

from nakg.resources import queries_dir
from nakg.vocab import vocabulary

ONTOLOGY = URIRef("https://w3id.org/nakg/ontology")


def test_ontology_metadata(ontology):
    assert (ONTOLOGY, RDF.type, OWL.Ontology) in ontology
    for prop in (OWL.versionIRI, DCTERMS.title, DCTERMS.description, DCTERMS.license, DCTERMS.creator):
        assert ontology.value(ONTOLOGY, prop) is not None, prop


def test_ontology_covers_every_family_of_the_review():
    families = set(vocabulary().keys("ElectrolyteFamily"))
    assert {"beta_alumina", "nasicon", "p2_layered_oxide", "anti_perovskite", "na3pns4_type", "na11sn2pnx12_type",
            "halide", "complex_hydride", "closo_borate"} <= families


def test_every_measurement_kind_has_units(ontology):
    kinds = vocabulary().measurements
    assert len(kinds) >= 25
    for key, kind in kinds.items():
        assert kind.allowed_units, key


def test_hermit_finds_the_ontology_consistent(ontology, tmp_path):
    import owlready2

    owl_file = tmp_path / "nakg.owl"
    ontology.serialize(owl_file, format="xml")
    world = owlready2.World()
    onto = world.get_ontology(owl_file.as_uri()).load()
    with onto:
        owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
    assert list(world.inconsistent_classes()) == []


def test_hermit_reports_an_inconsistent_fixture(ontology, tmp_path):
    import owlready2

    bad = Graph()
    for t in ontology:
        bad.add(t)
    # an individual that is both a Reference and a Review section, declared disjoint here
    bad.add((URIRef("https://w3id.org/nakg/Reference"), OWL.disjointWith, URIRef("https://w3id.org/nakg/ReviewSection")))
    x = URIRef("https://w3id.org/nakg/resource/reference/1")
    bad.add((x, RDF.type, URIRef("https://w3id.org/nakg/Reference")))
    bad.add((x, RDF.type, URIRef("https://w3id.org/nakg/ReviewSection")))
    owl_file = tmp_path / "bad.owl"
    bad.serialize(owl_file, format="xml")
    world = owlready2.World()
    onto = world.get_ontology(owl_file.as_uri()).load()
    with pytest.raises(owlready2.OwlReadyInconsistentOntologyError):
        with onto:
            owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)


VIOLATIONS = sorted((queries_dir() / "violations").glob("*.rq"))


def test_violation_queries_exist():
    assert len(VIOLATIONS) >= 6


@pytest.mark.parametrize("path", VIOLATIONS, ids=[p.stem for p in VIOLATIONS])
def test_violation_query_returns_nothing(kg, path):
    rows = kg.query(path.read_text(encoding="utf-8"))
    assert rows == [], f"{path.name}: {rows[:5]}"
