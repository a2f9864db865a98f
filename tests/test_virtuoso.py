"""A second real server: `nakg push` and every named query against Virtuoso Open Source 7 (Debian's
``virtuoso-opensource-7-bin``), started here on loopback ports, give the answers of the embedded store."""

from __future__ import annotations

import shutil
import subprocess
import time
import urllib.request
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from nakg.api import KnowledgeGraph
from nakg.queries import list_queries
from nakg.store.remote import Endpoints, open_graph

from .conftest import free_port, run_cli

GRAPH = "https://w3id.org/nakg/resource/graph"
INI = """[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql}
DisableUnixSocket = 1
ServerThreads = 10
CheckpointInterval = 60
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
DirsAllowed = ., {d}
MaxQueryMem = 500M

[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerRoot = {d}
ServerThreads = 10
MaxClientConnections = 10
HttpTimeout = 300

[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryCostEstimationTime = 0
MaxQueryExecutionTime = 120
"""


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory):
    """A fresh Virtuoso on free loopback ports; anonymous SPARQL Update and Graph Store writes are granted (loopback only)."""
    binary, isql = shutil.which("virtuoso-t"), shutil.which("isql-vt")
    assert binary and isql, "Virtuoso is missing: apt-get install -y virtuoso-opensource-7-bin (.ci/run installs it)"
    folder = tmp_path_factory.mktemp("virtuoso")
    sql, http = free_port(), free_port()
    (folder / "virtuoso.ini").write_text(INI.format(d=folder, sql=sql, http=http), encoding="utf-8")
    proc = subprocess.Popen([binary, "+foreground", "+configfile", str(folder / "virtuoso.ini")], cwd=folder,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{http}"
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                with urllib.request.urlopen(base + "/sparql?query=ASK%7B%7D", timeout=5) as r:
                    if r.status == 200:
                        break
            except OSError:
                log = folder / "virtuoso.log"
                assert proc.poll() is None, "virtuoso exited: " + (log.read_text(errors="replace")[-2000:] if log.exists() else "")
                assert time.monotonic() < deadline, "virtuoso did not start within 180 s"
                time.sleep(0.5)
        grant = subprocess.run([isql, f"127.0.0.1:{sql}", "dba", "dba",
                                "exec=GRANT SPARQL_UPDATE TO \"SPARQL\"; DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 7);"],
                               capture_output=True, text=True, timeout=60)
        assert grant.returncode == 0, grant.stdout + grant.stderr
        yield Endpoints(query=base + "/sparql", update=base + "/sparql", store=base + "/sparql-graph-crud")
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _normal(value):
    # Virtuoso writes computed doubles (ratios, averages) with 6 significant digits in its results
    if isinstance(value, (float, Decimal)):
        return float(f"{float(value):.6g}")
    return value


def _rows(result) -> Counter:
    return Counter(tuple(_normal(r.get(c)) for c in result.columns) for r in result.rows)


def _push(ends: Endpoints, graph: str, *extra: str):
    return run_cli("push", "--endpoint", ends.query, "--graph", graph, "--store-url", ends.store, "--update-url", ends.update,
                   "--timeout", "120", *extra)


def test_push_then_every_named_query_matches_the_embedded_store(virtuoso, kg):
    done = _push(virtuoso, GRAPH)
    assert done.returncode == 0, done.stderr
    assert f"pushed {len(kg)} triples" in done.stdout and "graph-store PUT" in done.stdout
    assert f"holds {len(kg)} triples" in done.stdout
    remote = KnowledgeGraph(open_graph(virtuoso, graph=GRAPH, timeout=120), store="remote")
    queries = list_queries()
    runnable = [q for q in queries if not any(p.required for p in q.params)]
    shipped = [p for role in ("cq", "reports", "violations") for p in (Path(queries[0].path).parents[1] / role).glob("*.rq")]
    assert len(queries) == len(shipped) and len(runnable) >= 50
    compared = []
    for q in runnable:
        local, there = q.run(kg), q.run(remote)
        assert there.columns == local.columns, q.name
        assert _rows(there) == _rows(local), q.name
        compared.append(q.name)
    assert len(compared) == len(runnable)
    assert sum(name.startswith("cq/") for name in compared) == len(list_queries("cq"))


def test_update_only_push_gives_the_same_graph(virtuoso, kg):
    """The SPARQL Update path (DROP + INSERT DATA chunks) lands the same triples, strings matched as plain literals."""
    from nakg.push import push

    target = GRAPH + "/by-update"
    # Virtuoso's SPARQL compiler runs out of memory on INSERT DATA of 5000 triples (the default chunk): 500 a request
    result = push(kg.graph, virtuoso, named_graph=target, use_graph_store=False, chunk_triples=500, timeout=120)
    assert result.method == "update" and result.remote_triples == len(kg)
    remote = KnowledgeGraph(open_graph(virtuoso, graph=target, timeout=120), store="remote")
    q = next(q for q in list_queries("cq") if q.name == "cq/cells-with-cathode")
    assert q.params and _rows(q.run(remote)) == _rows(q.run(kg)) and q.run(kg).rows
