"""Patched outputs (N-Triples, Turtle, record index) are byte for byte what a clean build writes for the new graph."""

from __future__ import annotations

import json
import random
from datetime import date
from pathlib import Path

import pytest
from rdflib import URIRef
from rdflib.namespace import RDF, RDFS, XSD

from nakg.rdf.sinks import NTriplesSink, TurtleTerms, namespaces
from nakg.rdf.turtle import TurtleIndex
from nakg.rebuild.patch import SortedNTriples, write_patched_ntriples, write_patched_record_index, write_patched_turtle

NAKG = "https://w3id.org/nakg/"
MULTILINE = ['two\nlines', 'a\n\n@prefix ex: <https://example.org/> .\n\n<https://w3id.org/nakg/x> a "b" .\n',
             'x\n"""y"""\n"', 'ends with quote\n"', "back\\slash\nand \\n", "carriage\r\nreturn", "Na₃Zr₂Si₂PO₁₂\n≥ 10⁻³ 🔋"]


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    from nakg.build import build
    from nakg.synth import generate

    records = tmp_path_factory.mktemp("synth") / "records"
    generate(6, seed=11, out_dir=records)
    return build(records_dir=records, out_dir=None)


@pytest.fixture(params=["review", "synthetic"])
def corpus(request, built, synthetic):
    return built if request.param == "review" else synthetic


def _line(t: tuple[str, str, str]) -> str:
    return f"{t[0]} {t[1]} {t[2]} ."


def _record_index(result) -> dict[str, dict]:
    return {str(iri): {"file": r.file, "record": r.id, "line": r.line} for iri, r in sorted(result.index.items())}


def _dump(index: dict[str, dict]) -> bytes:
    return (json.dumps(dict(sorted(index.items())), indent=1, ensure_ascii=False) + "\n").encode("utf-8")


class Release:
    """The outputs of a graph in a folder, patched step by step and compared with a clean rendering each time."""

    def __init__(self, sink: NTriplesSink, folder: Path):
        self.sink = NTriplesSink()  # renders the new graphs; keeps the Turtle forms of every literal it made
        self.sink.triples = set(sink.triples)
        self.sink._turtle_forms = dict(sink._turtle_forms)
        self.folder = folder
        self.nt, self.ttl = folder / "nakg.nt", folder / "nakg.ttl"
        self.nt.write_bytes(self.sink.ntriples())
        data, self.index = self.sink.turtle_indexed()
        assert data == self.sink.turtle()
        self.ttl.write_bytes(data)

    def apply(self, removed: set[tuple[str, str, str]], added: set[tuple[str, str, str]]) -> None:
        old = self.sink.triples
        assert removed <= old and not added & old
        new = (old - removed) | added
        changed = {t[0] for t in removed | added}
        count = write_patched_ntriples(self.nt, {_line(t) for t in removed}, {_line(t) for t in added}, self.folder / "new.nt")
        pairs: dict[str, list[tuple[str, str]]] = {s: [] for s in changed}
        for s, p, o in new:
            if s in pairs:
                pairs[s].append((p, o))
        self.index.save(self.folder / "ttl.index")
        index = write_patched_turtle(self.ttl, TurtleIndex.load(self.folder / "ttl.index"), pairs, self.folder / "new.ttl")
        self.sink.triples, self.sink._ntriples = new, None  # (the sorted N-Triples are kept while the count stays)
        data, clean = self.sink.turtle_indexed()
        assert count == len(new)
        assert (self.folder / "new.nt").read_bytes() == self.sink.ntriples()
        assert (self.folder / "new.ttl").read_bytes() == data
        assert index == clean
        (self.folder / "new.nt").replace(self.nt)
        (self.folder / "new.ttl").replace(self.ttl)
        self.index = index
        with SortedNTriples(self.nt) as view:
            assert len(view) == len(new)
            for s in sorted(changed)[:20]:
                assert view.subject_lines(s) == sorted(_line(t) for t in new if t[0] == s)
            assert all(_line(t) in view for t in added) and not any(_line(t) in view for t in removed)


def _prefix_users(triples: set[tuple[str, str, str]], ns: str) -> set[tuple[str, str, str]]:
    """The triples whose Turtle might use the prefix of namespace ``ns``."""
    return {t for t in triples if any(f"<{ns}" in term for term in t)}


def _delta(rnd: random.Random, sink: NTriplesSink, step: int) -> tuple[set, set]:
    """A random change: triples dropped (a whole subject now and then), new subjects and literals of every kind."""
    triples = sorted(sink.triples)
    removed = set(rnd.sample(triples, rnd.randint(0, 25)))
    if step % 3 == 0:
        gone = rnd.choice(triples)[0]
        removed |= {t for t in triples if t[0] == gone}
    if step == 4:  # the last use of the least used prefix goes away
        used = [ns for prefix, ns in namespaces() if _prefix_users(sink.triples, ns)]
        removed |= _prefix_users(sink.triples, min(used, key=lambda ns: len(_prefix_users(sink.triples, ns))))
    lit, iri = sink.literal, sink.iri
    subjects = [iri(URIRef(u)) for u in (f"{NAKG}resource/test/s{step}", f"{NAKG}resource/test/s{step}1",
                                          f"{NAKG}resource/test/s{step}/part", f"{NAKG}Test{step}", f"http://a.example/{step}",
                                          f"urn:x:{step}")]
    subjects += rnd.sample(sorted({t[0] for t in triples}), 3)
    objects = [lit(rnd.uniform(-1e6, 1e6)), lit(10 ** rnd.uniform(-12, 12)), lit(f"{rnd.uniform(0, 100):.3f}", datatype=XSD.decimal),
               lit(rnd.randint(-5, 500)), lit(step % 2 == 0), lit(date(2020, 1 + step % 12, 3)), lit(rnd.choice(MULTILINE)),
               lit(rnd.choice(MULTILINE), lang="en"), lit(f'plain "{step}" ü'), rnd.choice(triples)[2], rnd.choice(triples)[0]]
    if step % 4 == 1:  # a prefix no block used before
        objects.append(iri(URIRef("http://xmlns.com/foaf/0.1/Person")))
    predicates = [iri(RDFS.label), iri(URIRef(NAKG + "numericValue")), iri(RDF.type), iri(URIRef("http://example.org/p"))]
    added = {(rnd.choice(subjects), rnd.choice(predicates), rnd.choice(objects)) for _ in range(rnd.randint(5, 30))}
    return removed - added, added - sink.triples


def test_patches_equal_clean_renderings(corpus, tmp_path):
    release = Release(corpus.data, tmp_path)
    assert len(release.sink.triples) > 1000
    rnd = random.Random(19)
    headers = [set(release.index.header().splitlines())]
    for step in range(12):
        release.apply(*_delta(rnd, release.sink, step))
        headers.append(set(release.index.header().splitlines()))
    assert any(a - b for a, b in zip(headers, headers[1:])), "no step dropped a prefix"
    assert any(b - a for a, b in zip(headers, headers[1:])), "no step added a prefix"


def test_whole_graph_away_and_back(tmp_path):
    sink = NTriplesSink()
    for i in range(3):
        sink.add(URIRef(f"{NAKG}resource/x{i}"), RDFS.label, sink.literal(f"x\n{i}"))
    triples = set(sink.triples)
    release = Release(sink, tmp_path)
    release.apply(triples, set())
    assert release.nt.read_bytes() == b"\n" and release.ttl.read_bytes() == b"\n" and len(release.index) == 0
    release.apply(set(), triples)
    assert len(release.index) == 3


def test_literals_read_back_render_as_made(corpus):
    """Every literal's Turtle derived from its N-Triples text is the form the sink kept when it made it."""
    made = TurtleTerms(namespaces(), corpus.data._turtle_forms.get)
    derived = TurtleTerms(namespaces())
    literals = {o for _, _, o in corpus.data.triples if o[0] == '"'}
    assert len(literals) > 100
    for text in literals:
        assert derived.object(text) == made.object(text), text


def test_ntriples_errors(built, tmp_path):
    old = tmp_path / "old.nt"
    old.write_bytes(built.data.ntriples())
    first = old.read_text().split("\n", 1)[0]
    out = tmp_path / "out.nt"
    missing = first.replace(" .", "x .", 1) if first.endswith('" .') else first[:-2] + '"x" .'
    with pytest.raises(ValueError, match="removed line is not there"):
        write_patched_ntriples(old, {missing}, set(), out)
    with pytest.raises(ValueError, match="added line is there already"):
        write_patched_ntriples(old, set(), {first}, out)
    with pytest.raises(ValueError, match="one non-empty line"):
        write_patched_ntriples(old, set(), {first + "\n" + first}, out)
    with pytest.raises(ValueError, match="not in place"):
        write_patched_ntriples(old, set(), set(), old)
    assert not out.exists()
    assert write_patched_ntriples(old, {first}, {first}, out) == len(built.data)  # a line in both sets stays
    assert out.read_bytes() == old.read_bytes()


def test_subject_lines_stop_at_the_term(tmp_path):
    sink = NTriplesSink()
    for local in ("x", "x1", "x/y", "w", "y"):
        sink.add(URIRef(f"{NAKG}resource/{local}"), RDFS.label, sink.literal(local))
    path = tmp_path / "g.nt"
    path.write_bytes(sink.ntriples())
    with SortedNTriples(path) as view:
        assert view.subject_lines(f"<{NAKG}resource/x>") == [f'<{NAKG}resource/x> <{RDFS.label}> "x" .']
        assert view.subject_lines(f"<{NAKG}resource/z>") == [] and len(view) == 5
        assert f'<{NAKG}resource/y> <{RDFS.label}> "y" .' in view and f'<{NAKG}resource/y> <{RDFS.label}> "x" .' not in view


def test_turtle_index_must_match_the_file(built, tmp_path):
    data, index = built.data.turtle_indexed()
    path = tmp_path / "nakg.ttl"
    path.write_bytes(data + b"\n")
    with pytest.raises(ValueError, match="does not describe"):
        write_patched_turtle(path, index, {}, tmp_path / "out.ttl")
    with pytest.raises(ValueError, match="not a Turtle index"):
        TurtleIndex.loads(b"nonsense")
    assert TurtleIndex.loads(index.dumps()) == index
    with pytest.raises(ValueError, match="not a Turtle index"):
        TurtleIndex.loads(index.dumps()[:-1])


def test_record_index(built, tmp_path):
    rnd = random.Random(5)
    index = _record_index(built)
    assert len(index) > 100
    old = tmp_path / "record-index.json"
    old.write_bytes(_dump(index))
    for step in range(15):
        removed = set(rnd.sample(sorted(index), rnd.randint(0, 10)))
        changed = set(rnd.sample(sorted(index), 3))
        added = {iri: {"file": f"graph/records/é{step}.yaml", "record": f"r\"{step}", "line": rnd.randint(1, 9999)}
                 for iri in changed | {f"{NAKG}resource/new/{step}", f"{NAKG}resource/ü/{step}", f"{NAKG}A{step}", "urn:z"}}
        write_patched_record_index(old, removed, added, tmp_path / "new.json")
        index = {k: v for k, v in index.items() if k not in removed} | added
        assert (tmp_path / "new.json").read_bytes() == _dump(index)
        (tmp_path / "new.json").replace(old)
    with pytest.raises(ValueError, match="has no entry"):
        write_patched_record_index(old, {"urn:absent"}, {}, tmp_path / "new.json")
    write_patched_record_index(old, set(index), {}, tmp_path / "new.json")
    assert (tmp_path / "new.json").read_bytes() == _dump({}) == b"{}\n"
    write_patched_record_index(tmp_path / "new.json", set(), {"urn:a": {"line": 1}}, old)
    assert old.read_bytes() == _dump({"urn:a": {"line": 1}})
