"""Ontology QA: clean on the shipped ontology (and data), and every check flags its problem in a bad fixture."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from rdflib import Graph

from nakg.qa import run_qa, violation_queries

N = "https://w3id.org/nakg/"

# One problem (at least) for every qa-*.rq check, and an individual that makes the ontology inconsistent.
BAD = """
@prefix nakg: <https://w3id.org/nakg/> .
@prefix owl:  <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .

<https://w3id.org/nakg/ontology/bad> a owl:Ontology ;
    dcterms:title "bad ontology"@en ;
    owl:versionIRI <https://example.org/bad/1> .

nakg:CuratedStatement a owl:Class ; rdfs:label "curated statement"@en ; skos:definition "A fact."@en .
nakg:Material a owl:Class ; rdfs:subClassOf nakg:CuratedStatement ; rdfs:label "material"@en ; skos:definition "A material."@en .
nakg:Measurement a owl:Class ; rdfs:subClassOf nakg:CuratedStatement ; rdfs:label "measurement"@en ;
    skos:definition "A measurement."@en ; owl:disjointWith nakg:Material .
nakg:IonicConductivity a owl:Class ; rdfs:subClassOf nakg:Measurement ; rdfs:label "ionic conductivity"@en ;
    skos:definition "A conductivity."@en ;
    skos:exactMatch "http://example.org/a-literal", <urn:isbn:0451450523>, nakg:Material, <http://example.org/has space> .
nakg:Orphan a owl:Class ; rdfs:label "orphan"@en ; skos:definition "A class outside the tree."@en .
nakg:NoDefinition a owl:Class ; rdfs:subClassOf nakg:Material ; rdfs:label "no definition"@en .
nakg:TwoLabels a owl:Class ; rdfs:subClassOf nakg:Material ; rdfs:label "two labels"@en, "zwei Labels"@en ;
    skos:definition "Twice labelled."@en .
nakg:Untagged a owl:Class ; rdfs:subClassOf nakg:Material ; rdfs:label "untagged" ;
    skos:definition "One."@en, "Two."@en .
nakg:looseProperty a owl:ObjectProperty ; rdfs:label "loose property"@en ; skos:definition "No domain, no range."@en .

<https://w3id.org/nakg/resource/material/x> a nakg:Material, nakg:IonicConductivity .
"""

FLAGGED = [
    ("qa-term-label-and-definition", "term", N + "NoDefinition"),
    ("qa-term-label-and-definition", "term", N + "TwoLabels"),
    ("qa-term-label-and-definition", "term", N + "Untagged"),
    ("qa-label-or-definition-language", "term", N + "Untagged"),
    ("qa-class-without-parent", "class", N + "Orphan"),
    ("qa-property-without-domain-or-range", "property", N + "looseProperty"),
    ("qa-individual-in-disjoint-classes", "individual", N + "resource/material/x"),
    ("qa-mapping-target-malformed", "target", "http://example.org/a-literal"),
    ("qa-mapping-target-malformed", "target", "urn:isbn:0451450523"),
    ("qa-mapping-target-malformed", "target", N + "Material"),
    ("qa-mapping-target-malformed", "target", "http://example.org/has space"),
    ("qa-ontology-metadata", "problem", "no dcterms:license"),
    ("qa-ontology-metadata", "problem", "no dcterms:creator"),
    ("qa-ontology-metadata", "problem", "no dcterms:description"),
    ("qa-ontology-metadata", "problem", "version IRI https://example.org/bad/1 does not extend the ontology IRI"),
]


def test_query_library_counts():
    queries = violation_queries()
    qa = [p for p in queries if p.name.startswith("qa-")]
    assert len(qa) == 7 and len(queries) >= 15
    assert {p.stem for p in qa} == {check for check, _, _ in FLAGGED} | {"qa-label-or-definition-language"}


@pytest.mark.parametrize("reasoner", ["hermit", "owlrl"])
def test_shipped_ontology_is_clean(reasoner):
    report = run_qa(reasoner=reasoner)
    assert report.ok, report.text()
    assert len(report.checks) == len(violation_queries()) + 1
    assert report.check("reasoner").kind == "reasoner" and report.check("reasoner").passed


def test_shipped_ontology_and_data_are_clean(kg):
    # the queries over ontology + data; HermiT finds the same graph consistent in test_reasoning.py
    report = run_qa(data=kg, reasoner=None)
    assert report.ok, report.text()
    assert len(report.checks) == len(violation_queries())


@pytest.fixture(scope="module")
def bad_report():
    return run_qa(ontology=Graph().parse(data=BAD, format="turtle"), reasoner="hermit")


@pytest.mark.parametrize("check, key, value", FLAGGED, ids=[f"{c}:{v.rsplit('/', 1)[-1]}" for c, _, v in FLAGGED])
def test_bad_fixture_is_flagged(bad_report, check, key, value):
    rows = bad_report.check(check).rows
    assert any(row.get(key) == value for row in rows), rows


def test_bad_fixture_fails_exactly_the_expected_checks(bad_report):
    failed = {c.name for c in bad_report.failures}
    # measurement-without-provenance: res:material/x names no section; term-without-label-or-definition: TwoLabels
    assert failed == {check for check, _, _ in FLAGGED} | {"reasoner", "measurement-without-provenance",
                                                           "term-without-label-or-definition"}
    assert not bad_report.ok
    assert "FAILED" in bad_report.text() and json.dumps(bad_report.as_dict(), default=str)


def test_reasoner_check_names_the_culprit(bad_report):
    rows = bad_report.check("reasoner").rows
    assert rows and all(r["problem"] == "inconsistent" for r in rows)
    assert any("res:material/x" in r["individuals"] and "nakg:Measurement" in r["classes"] for r in rows)


def test_owlrl_reasoner_check_names_the_culprit_too():
    report = run_qa(ontology=Graph().parse(data=BAD, format="turtle"), reasoner="owlrl", queries=[])
    assert [c.name for c in report.checks] == ["reasoner"] and not report.ok
    assert any("res:material/x" in r["culprit"] for r in report.check("reasoner").rows)


def test_unsatisfiable_class_is_reported():
    onto = Graph().parse(data=BAD.split("<https://w3id.org/nakg/resource/material/x>")[0] + """
        nakg:Impossible a owl:Class ; rdfs:subClassOf nakg:Material, nakg:Measurement ;
            rdfs:label "impossible"@en ; skos:definition "Both."@en .""", format="turtle")
    report = run_qa(ontology=onto, reasoner="hermit", queries=[])
    assert report.check("reasoner").rows == [{"problem": "unsatisfiable class", "class": N + "Impossible"}]


def test_qa_command(tmp_path):
    from nakg.commands.reasoning import qa

    runner = CliRunner()
    ok = runner.invoke(qa, ["--ontology-only", "--reasoner", "none"])
    assert ok.exit_code == 0, ok.output
    assert f"{len(violation_queries())}/{len(violation_queries())} checks passed" in ok.output
    data = Graph().parse(data=BAD.split("nakg:CuratedStatement")[0] + """
        <https://w3id.org/nakg/resource/material/x> a nakg:Material, nakg:IonicConductivity .""", format="turtle")
    data.serialize(tmp_path / "bad.nt", format="nt", encoding="utf-8")
    failed = runner.invoke(qa, ["--graph", str(tmp_path / "bad.nt"), "--reasoner", "owlrl", "--format", "json"])
    assert failed.exit_code == 1
    report = json.loads(failed.output)
    checks = {c["name"]: c for c in report["checks"]}
    assert not checks["qa-individual-in-disjoint-classes"]["passed"] and not checks["reasoner"]["passed"]
