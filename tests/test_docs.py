"""`nakg docs`: the pyLODE documentation of the ontology lists every class and property with its
definition and its mappings to other vocabularies."""

from __future__ import annotations

from html import escape

import pytest
from rdflib import OWL, RDF, Graph, URIRef
from rdflib.namespace import SKOS

from nakg.docs import build_docs

NAKG = "https://w3id.org/nakg/"
MAPPINGS = ("exactMatch", "closeMatch", "broadMatch", "narrowMatch", "relatedMatch")


@pytest.fixture(scope="module")
def docs(tmp_path_factory):
    out = tmp_path_factory.mktemp("docs")
    result = build_docs(out)
    return result, result.index.read_text(encoding="utf-8") + result.vocabularies.read_text(encoding="utf-8")


def _terms(ontology: Graph, *types) -> list[URIRef]:
    return sorted({s for t in types for s in ontology.subjects(RDF.type, t)
                   if isinstance(s, URIRef) and str(s).startswith(NAKG)}, key=str)


def test_every_class_and_property_with_its_definition(docs, ontology):
    result, html = docs
    classes = _terms(ontology, OWL.Class)
    properties = _terms(ontology, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
    assert len(classes) >= 40 and len(properties) >= 40
    assert result.classes >= len(classes)
    checked = 0
    for term in classes + properties:
        assert f"<code>{term}</code>" in html, term
        for definition in ontology.objects(term, SKOS.definition):
            assert escape(str(definition), quote=False) in html, term
            checked += 1
    assert checked >= len(classes) + len(properties) - 5  # nearly every term has a definition, each one shown


def test_every_controlled_term_with_its_definition(docs, ontology):
    result, html = docs
    terms = sorted({s for s in ontology.subjects(RDF.type, OWL.NamedIndividual) if isinstance(s, URIRef)}, key=str)
    assert len(terms) == result.terms >= 100  # nakg terms and the QUDT units reused by IRI
    for term in terms:
        assert f"<code>{term}</code>" in html, term
        definition = ontology.value(term, SKOS.definition)
        assert definition is None or escape(str(definition), quote=False) in html, term
    assert 'href="vocabularies.html"' in result.index.read_text(encoding="utf-8")


def test_every_mapping_is_shown(docs, ontology):
    result, html = docs
    mappings = [(s, name, o) for name in MAPPINGS for s, o in ontology.subject_objects(SKOS[name])]
    assert len(mappings) == result.mappings >= 20
    for s, name, o in mappings:
        assert f'href="{o}"' in html, (s, name, o)
    assert html.count("skos:closeMatch <a href=") >= sum(1 for _, n, _ in mappings if n == "closeMatch")
    assert 'skos:closeMatch <a href="http://www.w3.org/ns/prov#Entity">prov:Entity</a>' in html


def test_record_keys_and_ontology_copy(docs, ontology):
    result, html = docs
    keys = list(ontology.subject_objects(URIRef(NAKG + "recordKey")))
    assert len(keys) >= 20
    for _, key in keys:
        assert (f"Record key: <code>{escape(str(key))}</code>" in html
                or f"<td><code>{escape(str(key))}</code></td>" in html), key
    copied = Graph().parse(result.index.parent / "nakg.ttl")
    assert len(copied) == len(ontology)


def test_literal_html_is_escaped(tmp_path):
    onto = tmp_path / "evil.ttl"
    onto.write_text("""
        @prefix owl: <http://www.w3.org/2002/07/owl#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        @prefix skos: <http://www.w3.org/2004/02/skos/core#> . @prefix dcterms: <http://purl.org/dc/terms/> .
        <https://example.org/o> a owl:Ontology ; dcterms:title "test" .
        <https://example.org/C> a owl:Class ; rdfs:label "C" ; skos:definition "x <script>alert(1)</script> & y" .
    """, encoding="utf-8")
    html = build_docs(tmp_path / "out", ontology=onto).index.read_text(encoding="utf-8")
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; y" in html


def test_cli_docs(tmp_path):
    from click.testing import CliRunner

    from nakg.commands.serve import docs as docs_command

    out = tmp_path / "site"
    result = CliRunner().invoke(docs_command, ["-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "classes" in result.output and (out / "index.html").stat().st_size > 100_000


def test_docs_are_the_same_whatever_the_hash_seed(tmp_path, docs):
    """Generated twice, in processes with different hash seeds: byte-identical (the class list kept its order)."""
    import os
    import re
    import subprocess
    import sys

    pages = []
    for seed in ("1", "2"):
        out = tmp_path / f"docs-{seed}"
        env = dict(os.environ, PYTHONHASHSEED=seed)
        result = subprocess.run([sys.executable, "-m", "nakg", "docs", "-o", str(out)], env=env, capture_output=True, text=True,
                                timeout=300)
        assert result.returncode == 0, result.stderr
        pages.append((out / "index.html").read_bytes())
    assert pages[0] == pages[1] == docs[0].index.read_bytes()
    section = pages[0].decode("utf-8").split('id="classes"', 1)[1].split('<div class="section"', 1)[0]
    ids = re.findall(r'<div class="property entity" id="([^"]+)"', section)
    assert len(ids) > 50
