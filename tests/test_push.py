"""`nakg push` and the remote store backend, against a real Oxigraph server (`pip install oxigraph`) on loopback."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef

from nakg.api import KnowledgeGraph
from nakg.push import PushError, push
from nakg.store.remote import Endpoints, RemoteStoreError, open_graph

from .conftest import free_port

EX = "https://example.org/push-test/"


def _oxigraph_binary() -> str:
    here = Path(sys.executable).parent / "oxigraph"
    found = str(here) if here.is_file() else shutil.which("oxigraph")
    assert found, "the `oxigraph` server is missing: pip install oxigraph (it is in the test extra)"
    return found


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory):
    """An Oxigraph server on a free loopback port, stopped afterwards."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen([_oxigraph_binary(), "serve", "--location", str(tmp_path_factory.mktemp("oxigraph")),
                             "--bind", f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(base + "/query?query=ASK%7B%7D", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                assert proc.poll() is None, f"oxigraph exited: {proc.stderr.read().decode(errors='replace')}"
                assert time.monotonic() < deadline, "oxigraph did not start within 30 s"
                time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    assert proc.poll() is not None


def _normal(value):
    if isinstance(value, (float, Decimal)):
        return float(f"{float(value):.9g}")  # numbers compared to 9 significant digits
    return value


def _row_set(rows, columns):
    return Counter(tuple(_normal(r.get(c)) for c in columns) for r in rows)


def test_push_then_every_competency_question_matches_the_embedded_store(oxigraph, kg):
    from nakg.queries import list_queries

    result = push(kg.graph, oxigraph)
    assert result.method == "graph-store PUT" and result.requests == 1
    assert result.triples == len(kg) == result.remote_triples
    remote = KnowledgeGraph(open_graph(oxigraph + "/query"), store="remote")
    queries = list_queries("cq")
    runnable = [q for q in queries if not any(p.required for p in q.params)]
    shipped = sorted(p.stem for p in (Path(queries[0].path).parent).glob("*.rq")) if queries else []
    assert len(queries) == len(shipped) >= 1
    assert len(runnable) >= 1
    compared = 0
    for q in runnable:
        local = q.run(kg)
        there = q.run(remote)
        assert local.columns == there.columns, q.name
        assert _row_set(there.rows, there.columns) == _row_set(local.rows, local.columns), q.name
        compared += 1
    assert compared == len(runnable)


def test_push_again_replaces(oxigraph, kg):
    first = push(kg.graph, oxigraph)
    second = push(kg.graph, oxigraph)
    assert first.remote_triples == second.remote_triples == len(kg)


def _tiny(n: int, tag: str) -> Graph:
    g = Graph()
    for i in range(n):
        g.add((URIRef(f"{EX}{tag}{i}"), URIRef(f"{EX}p"), Literal(f"{tag} {i} \"quoted\"\nline")))
    return g


@pytest.mark.parametrize("graph_store", [True, False], ids=["graph-store", "update"])
@pytest.mark.parametrize("replace, expected", [(True, 3), (False, 5)])
def test_replace_or_append(oxigraph, graph_store, replace, expected):
    target = f"{EX}graph/{graph_store}/{replace}"
    push(_tiny(2, "a"), oxigraph, named_graph=target, use_graph_store=graph_store)
    result = push(_tiny(3, "b"), oxigraph, named_graph=target, replace=replace, use_graph_store=graph_store, chunk_triples=2)
    assert result.method == (("graph-store PUT" if replace else "graph-store POST") if graph_store else "update")
    assert result.remote_triples == expected
    remote = KnowledgeGraph(open_graph(oxigraph + "/query", graph=target), store="remote")
    values = {r["v"] for r in remote.query("SELECT ?v WHERE { ?s ?p ?v }")}
    assert 'b 2 "quoted"\nline' in values


def test_graph_store_missing_falls_back_to_update(oxigraph):
    target = f"{EX}graph/fallback"
    ends = Endpoints.from_url(oxigraph, store=oxigraph + "/no-graph-store-here")
    result = push(_tiny(4, "c"), ends, named_graph=target, chunk_triples=3)
    assert result.method == "update"
    assert result.requests == 4  # the PUT answered 404, then DROP and two INSERT DATA chunks
    assert result.remote_triples == 4


def test_blank_nodes_stay_together_across_chunks(oxigraph):
    g = Graph()
    for i in range(3):
        a, b = BNode(), BNode()
        g.add((URIRef(f"{EX}s{i}"), URIRef(f"{EX}p"), a))
        g.add((a, URIRef(f"{EX}q"), b))
        g.add((b, URIRef(f"{EX}r"), Literal(i)))
    target = f"{EX}graph/bnodes"
    push(g, oxigraph, named_graph=target, use_graph_store=False, chunk_triples=1)
    remote = KnowledgeGraph(open_graph(oxigraph + "/query", graph=target), store="remote")
    rows = remote.query(f"SELECT ?s ?n WHERE {{ ?s <{EX}p>/<{EX}q>/<{EX}r> ?n }} ORDER BY ?n")
    assert [(r["s"], r["n"]) for r in rows] == [(f"{EX}s{i}", i) for i in range(3)]


def test_remote_errors_are_explicit(oxigraph):
    remote = open_graph(oxigraph + "/query")
    with pytest.raises(RemoteStoreError) as info:
        remote.query("SELECT ?s WHERE { ?s ?p }")
    assert info.value.status == 400 and "HTTP 400" in str(info.value)
    dead = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(PushError, match="cannot reach"):
        push(_tiny(1, "d"), dead)
    with pytest.raises(PushError, match="not a valid absolute IRI"):
        push(_tiny(1, "d"), oxigraph, named_graph="not an iri")


def test_cli_push(oxigraph, built):
    from click.testing import CliRunner

    from nakg.commands.serve import push as push_command

    target = f"{EX}graph/cli"
    result = CliRunner().invoke(push_command, ["--endpoint", oxigraph, "--graph", target, "--data", str(built.outputs["nt"])])
    assert result.exit_code == 0, result.output
    assert f"to <{target}> by graph-store PUT" in result.output
    remote = KnowledgeGraph(open_graph(oxigraph + "/query", graph=target), store="remote")
    assert len(remote.query('SELECT ?m WHERE { ?m nakg:formula "Na3Zr2Si2PO12" }')) >= 1
    assert len(remote.graph) > 10_000


def test_remote_graph_ask_construct_and_triples(oxigraph, kg):
    push(kg.graph, oxigraph)
    remote = open_graph(oxigraph + "/query")
    assert remote.query('ASK { ?m <https://w3id.org/nakg/formula> "Na3Zr2Si2PO12" }').askAnswer is True
    g = remote.query('CONSTRUCT WHERE { ?m <https://w3id.org/nakg/formula> "Na3PS4" }').graph
    assert len(g) >= 1
    subjects = {s for s, _, _ in remote.triples((None, URIRef("https://w3id.org/nakg/formula"), Literal("Na3PS4")))}
    assert subjects == set(g.subjects())
