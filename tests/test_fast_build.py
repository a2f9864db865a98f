"""The N-Triples build path gives the same graph, files and report as the rdflib reference path."""

from __future__ import annotations

import math
import random
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import XSD
from rdflib.plugins.serializers.nt import _quoteLiteral

from nakg.build import build
from nakg.rdf.sinks import NTriplesSink
from nakg.validate_sparql import collisions

FILES = ("nakg.nt", "nakg.ttl", "void.ttl", "validation.txt", "record-index.json", "manifest.json")


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> Path:
    from nakg.synth import generate

    out = tmp_path_factory.mktemp("synth") / "records"
    generate(12, seed=3, out_dir=out)
    return out


def _both(records, tmp_path: Path):
    fast = build(records, out_dir=tmp_path / "fast")
    slow = build(records, out_dir=tmp_path / "slow", engine="rdflib")
    return fast, slow


@pytest.mark.parametrize("corpus", ["review", "synthetic"])
def test_same_files_and_graph(corpus, synthetic, tmp_path):
    records = None if corpus == "review" else synthetic
    fast, slow = _both(records, tmp_path)
    assert fast.data is not None and slow.data is None
    assert fast.triples == slow.triples > 1000
    for name in FILES:
        assert (tmp_path / "fast" / name).read_bytes() == (tmp_path / "slow" / name).read_bytes(), name
    assert isomorphic(fast.graph, slow.graph)
    assert fast.report.text() == slow.report.text()
    assert fast.index == slow.index


def test_files_written_in_pieces_are_the_same(synthetic, tmp_path, monkeypatch):
    """The store is loaded, and the files written, in pieces of whole lines: with pieces of a few lines the
    files are still those of the reference path, and the report is the same."""
    import nakg.rdf.sinks as sinks

    monkeypatch.setattr(sinks, "_CHUNK", 16)
    pieces = []
    original = sinks.NTriplesSink.unsorted_chunks
    monkeypatch.setattr(sinks.NTriplesSink, "unsorted_chunks",
                        lambda self, keep=None: (pieces.append(p) or p for p in original(self, keep)))
    fast, slow = _both(synthetic, tmp_path)
    assert len(pieces) > 100 and all(p.endswith(b" .\n") for p in pieces)
    for name in FILES:
        assert (tmp_path / "fast" / name).read_bytes() == (tmp_path / "slow" / name).read_bytes(), name
    assert fast.report.text() == slow.report.text()
    sink = fast.data
    assert b"".join(sink.ntriples_chunks()) == sink.ntriples() == (tmp_path / "slow" / "nakg.nt").read_bytes()
    assert sorted(b"".join(sink.unsorted_chunks()).splitlines()) == sink.ntriples().splitlines()


def test_review_release_unchanged(built):
    """The default build writes the committed release files byte for byte."""
    from nakg.resources import records_dir

    graph = records_dir().parent
    assert built.data is not None
    assert built.outputs["nt"].read_bytes() == (graph / "nakg.nt").read_bytes()
    assert built.outputs["turtle"].read_bytes() == (graph / "nakg.ttl").read_bytes()


_STRINGS = ["", "plain", 'a "quoted" word', "back\\slash", "two\nlines", 'ends with quote"', 'x\n"""y"""\n"',
            "carriage\rreturn", "tab\there", "unicode Na₃Zr₂Si₂PO₁₂ – 25 °C ≥ 10⁻³", "emoji 🔋", "\\n literal", '"\n']


def _floats() -> list[float]:
    rnd = random.Random(7)
    values = [0.0, -0.0, 1.0, 0.1, 1e-7, 3e-05, 1.5e20, 1e16, 1e15, 123456789.123, 298.15, -273.15, 1e-300, 5e-324, 1.7976931348623157e308]
    values += [rnd.uniform(-1e6, 1e6) for _ in range(200)] + [10 ** rnd.uniform(-12, 12) for _ in range(200)]
    values += [round(rnd.uniform(0, 1000), rnd.randint(0, 6)) for _ in range(200)]
    return values


def _same_turtle(sink: NTriplesSink, text: str, literal: Literal) -> bool:
    """A one-triple Turtle file of the sink is what the reference writer makes of the same triple."""
    from nakg.build import _turtle
    from nakg.rdf.sinks import GraphSink

    s, p = URIRef("https://w3id.org/nakg/resource/x"), URIRef("https://w3id.org/nakg/p")
    sink.triples.clear()
    sink.add(s, p, text)
    reference = GraphSink()
    reference.add(s, p, literal)
    return sink.turtle() == _turtle(reference.graph)


@pytest.mark.parametrize("kind", ["string", "lang", "double", "other"])
def test_literal_rendering_matches_rdflib(kind):
    """Each literal the sink renders is what rdflib's N-Triples and Turtle serializers write for it."""
    import datetime
    from decimal import Decimal

    if kind == "string":
        cases = [((v,), {}) for v in _STRINGS]
    elif kind == "lang":
        cases = [((v,), {"lang": "en"}) for v in _STRINGS]
    elif kind == "double":
        cases = [((v,), {"datatype": XSD.double}) for v in _floats()] + [((v,), {}) for v in _floats()[:50]]
        cases += [((math.inf,), {"datatype": XSD.double}), ((math.nan,), {"datatype": XSD.double})]
    else:
        cases = [((n,), {}) for n in (0, 1, -5, 2**70)] + [((b,), {}) for b in (True, False)]
        cases += [((t,), {"datatype": XSD.decimal}) for t in ("3.0", "0.25", "1.5", "10.0", "0.000001")]
        cases += [((Decimal("2.50"),), {}), ((datetime.date(2024, 1, 31),), {}), (("x",), {"datatype": XSD.string})]
    sink = NTriplesSink()
    assert cases
    for args, kwargs in cases:
        text = sink.literal(*args, **kwargs)
        reference = Literal(*args, **kwargs)
        assert text == _quoteLiteral(reference), (args, kwargs)
        assert sink.literal(*args, **kwargs) is text  # rendered once
        assert _same_turtle(sink, text, reference), (args, kwargs)


def test_collided_subjects_match_reference():
    """Two literals Oxigraph would store as one value are found as the reference finds them in a graph."""
    sink = NTriplesSink()
    s1, s2, p = (URIRef(f"https://w3id.org/nakg/resource/{n}") for n in ("a", "b", "p"))
    graph = Graph()
    for s, values in ((s1, (0.0, -0.0)), (s2, (1.0, 2.0))):
        for v in values:
            sink.add(s, p, sink.literal(v, datatype=XSD.double))
            graph.add((s, p, Literal(v, datatype=XSD.double)))
    assert sink.collided() == collisions(graph) == {s1}


def _files(folder: Path) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in FILES}


def test_rebuild_after_one_file_changes_equals_clean_build(synthetic, tmp_path, monkeypatch):
    """Unchanged files come from the cache; the outputs are those of a build without it."""
    import shutil

    monkeypatch.setenv("NAKG_CACHE_DIR", str(tmp_path / "cache"))
    records = tmp_path / "records"
    shutil.copytree(synthetic, records)
    build(records, out_dir=tmp_path / "first")
    cached = sorted((tmp_path / "cache" / "records").glob("*.pickle"))
    papers = sorted(records.glob("papers-*.yaml"))
    assert len(cached) == len(list(records.glob("*.yaml"))) >= 2 and papers
    changed = papers[0]
    text = changed.read_text(encoding="utf-8")
    assert "\n  roles: [electrolyte]\n" in text
    changed.write_text(text.replace("\n  roles: [electrolyte]\n", "\n  roles: [electrolyte]\n  aliases: [renamed]\n", 1),
                       encoding="utf-8")
    again = build(records, out_dir=tmp_path / "again")
    clean = build(records, out_dir=tmp_path / "clean", cache=False, engine="rdflib")
    assert _files(tmp_path / "again") == _files(tmp_path / "clean") != _files(tmp_path / "first")
    assert b'"renamed"' in (tmp_path / "again" / "nakg.nt").read_bytes()
    assert len(list((tmp_path / "cache" / "records").glob("*.pickle"))) == len(cached) + 1
    assert again.index == clean.index


def test_changed_file_with_an_error_is_reported_and_nothing_written(synthetic, tmp_path, monkeypatch):
    import shutil

    from nakg.errors import RecordsInvalid

    monkeypatch.setenv("NAKG_CACHE_DIR", str(tmp_path / "cache"))
    records = tmp_path / "records"
    shutil.copytree(synthetic, records)
    build(records, out_dir=tmp_path / "out")
    before = _files(tmp_path / "out")
    changed = sorted(records.glob("papers-*.yaml"))[0]
    lines = changed.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.startswith("  formula: "))
    record = next(line.split("id: ", 1)[1].strip() for line in reversed(lines[:at]) if "- id: " in line)
    lines[at] = "  formula: [12]\n"
    changed.write_text("".join(lines), encoding="utf-8")
    for _ in range(2):  # the second time too: a file with a problem is never cached
        with pytest.raises(RecordsInvalid) as info:
            build(records, out_dir=tmp_path / "out")
        where = [e.location for e in info.value.errors]
        assert any(loc.file.endswith(changed.name) and loc.record == record and loc.line == at + 1 for loc in where), where
    assert _files(tmp_path / "out") == before


def test_corrupted_cache_entry_is_read_again(synthetic, tmp_path, monkeypatch):
    monkeypatch.setenv("NAKG_CACHE_DIR", str(tmp_path / "cache"))
    first = build(synthetic, out_dir=None)
    entries = sorted((tmp_path / "cache" / "records").glob("*.pickle"))
    assert entries
    for i, entry in enumerate(entries):
        entry.write_bytes(b"" if i % 2 else b"not a pickle")
    second = build(synthetic, out_dir=None)
    assert second.data.ntriples() == first.data.ntriples() and second.index == first.index
    assert all(entry.stat().st_size > 100 for entry in entries)  # rebuilt


def test_render_folders_of_killed_builds_are_removed(tmp_path):
    """The folder a killed build's renderer wrote into (beside the generations) is removed by the next build, which
    leaves none of its own."""
    import subprocess
    import sys

    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True, check=True)
    store = tmp_path / "out" / ".nakg-builds"
    stale = store / f"render-{int(gone.stdout)}-test"
    stale.mkdir(parents=True)
    (stale / "nakg.ttl").write_text("left by a killed build")
    result = build(out_dir=tmp_path / "out")
    assert result.outputs["turtle"].is_file()
    assert not stale.exists()
    assert not list(store.glob("render-*"))
