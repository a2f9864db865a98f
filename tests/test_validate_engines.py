"""The compiled SHACL engine (SPARQL on Oxigraph + pySHACL on what it finds) reports exactly what pySHACL reports.

Compared on the shipped graph, on every SHACL fixture and on seeded mutations of
the mini graph (removed triples, wrong types and values, extra literals), as
multisets of results (severity, focus, path, message, value, constraint, source).
"""

from __future__ import annotations

import random
from collections import Counter

import pytest
from rdflib import BNode, Graph, Literal
from rdflib.namespace import XSD

from nakg.build import compile_records
from nakg.validate import load_shapes, validate_graph
from nakg.validate_sparql import Unsupported, collisions, compile_shapes

from .conftest import DATA

SHACL = DATA / "shacl"
FIXTURES = sorted((SHACL / "valid").glob("*.ttl")) + sorted((SHACL / "invalid").glob("*.ttl"))


@pytest.fixture(scope="module")
def shapes():
    return load_shapes()


def _both(data, ontology, shapes, index=None):
    fast = validate_graph(data, ontology, shapes, index, engine="sparql")
    slow = validate_graph(data, ontology, shapes, index, engine="pyshacl")
    return Counter(fast.results), Counter(slow.results)


def test_shipped_graph_same_report(built, ontology, shapes):
    fast, slow = _both(built.graph, ontology, shapes, built.index)
    assert fast == slow and sum(slow.values()) >= 1  # the review's retention of 325 % is a warning


@pytest.mark.parametrize("path", FIXTURES, ids=[p.stem for p in FIXTURES])
def test_fixture_same_report(path, ontology, shapes):
    data = Graph().parse(SHACL / "base.ttl", format="turtle").parse(path, format="turtle")
    fast, slow = _both(data, ontology, shapes)
    assert fast == slow


def _mutate(graph: Graph, rnd: random.Random) -> Graph:
    triples = sorted(graph, key=str)
    subjects = sorted({s for s, _, _ in triples}, key=str)
    preds = sorted({p for _, p, _ in triples}, key=str)
    objects = [o for _, _, o in triples]
    out = Graph()
    for t in triples:
        out.add(t)
    for _ in range(rnd.randint(3, 12)):
        roll = rnd.random()
        if roll < 0.4:
            out.remove(rnd.choice(triples))
        elif roll < 0.7:
            out.add((rnd.choice(subjects), rnd.choice(preds), rnd.choice(objects)))
        else:
            odd = [Literal(rnd.uniform(-10, 3000)), Literal("abc", datatype=XSD.double), Literal("1.0", datatype=XSD.integer),
                   Literal("x" * 220), Literal("4.x"), Literal(True), BNode(), Literal("en", lang="en")]
            out.add((rnd.choice(subjects), rnd.choice(preds), rnd.choice(odd)))
    return out


def test_mutated_graphs_same_report(mini_records, ontology, shapes):
    _, graph, index = compile_records(mini_records)
    seeds, results = range(8), 0
    for seed in seeds:
        fast, slow = _both(_mutate(graph, random.Random(seed)), ontology, shapes, index)
        assert fast == slow, f"seed {seed}"
        results += sum(slow.values())
    assert results >= len(seeds)  # the mutations do break constraints: the comparison is not vacuous


def test_unsupported_shapes_fall_back_to_pyshacl(ontology):
    shapes = Graph().parse(data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix nakg: <https://w3id.org/nakg/> .
        nakg:S a sh:NodeShape ; sh:targetClass nakg:Material ; sh:closed true .""", format="turtle")
    with pytest.raises(Unsupported):
        compile_shapes(shapes)
    data = Graph().parse(data="<https://w3id.org/nakg/resource/m> a <https://w3id.org/nakg/Material> .", format="turtle")
    with pytest.raises(Unsupported):
        validate_graph(data, ontology, shapes, engine="sparql")
    assert not validate_graph(data, ontology, shapes).conforms  # auto: pySHACL on the whole graph


def test_literals_oxigraph_would_merge_are_handed_to_pyshacl():
    g = Graph()
    s, p = BNode(), BNode()
    g.add((s, p, Literal("a")))
    g.add((s, p, Literal("a", datatype=XSD.string)))
    g.add((BNode(), p, Literal("b")))
    assert collisions(g) == {s}


def test_merged_detection_flags_what_each_check_flags(mini_records, ontology, shapes, monkeypatch):
    """:func:`detection_bodies` merges checks that share targets; the focus nodes found must be those the checks
    find one by one, on graphs that break them."""
    import nakg.validate_sparql as fast

    _, graph, _ = compile_records(mini_records)
    plan = compile_shapes(shapes)
    part = fast.ontology_part(ontology)
    assert len(fast.detection_bodies(plan.checks)) < len(plan.checks)
    flagged = 0
    for seed in range(8):
        store, name, _ = fast.detection_store(_mutate(graph, random.Random(seed)), part, ontology)
        merged = fast.flagged_focus_nodes(store, name, plan)
        with monkeypatch.context() as m:
            m.setattr(fast, "detection_bodies", lambda checks: [(c.targets, c.body()) for c in checks])
            one_by_one = fast.flagged_focus_nodes(store, name, plan)
        assert merged == one_by_one, f"seed {seed}"
        flagged += len(merged)
    assert flagged >= 8


def test_store_of_the_predicates_the_shapes_read_gives_the_same_report(mini_records, ontology, shapes):
    """A build loads only the triples whose predicates the shapes read (:func:`read_predicates`); on graphs that
    break the shapes the report is the one made from every triple."""
    from nakg.validate import validate_ntriples
    from nakg.validate_sparql import read_predicates

    _, graph, index = compile_records(mini_records)
    keep = read_predicates(compile_shapes(shapes))
    assert keep and len(keep) < len({p for _, p, _ in graph})  # some predicates are left out
    results, dropped = 0, 0
    for seed in range(8):
        mutated = _mutate(graph, random.Random(seed))
        lines = [line for line in mutated.serialize(format="nt").splitlines() if line.strip() and "_:" not in line]
        kept = [line for line in lines if line.split(" ", 2)[1] in keep]
        dropped += len(lines) - len(kept)
        everything = validate_ntriples(lambda _: "\n".join(lines).encode() + b"\n", ontology, shapes, index)
        selected = validate_ntriples(lambda wanted: "\n".join(line for line in lines if wanted is None or
                                                              line.split(" ", 2)[1] in wanted).encode() + b"\n",
                                     ontology, shapes, index)
        assert Counter(selected.results) == Counter(everything.results), f"seed {seed}"
        results += len(everything.results)
    assert results >= 8 and dropped > 100
