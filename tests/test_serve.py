"""`nakg serve`: the SPARQL 1.1 Protocol endpoint, its limits and refusals, the query page — over loopback
with real clients (http.client, urllib, SPARQLWrapper)."""

from __future__ import annotations

import csv
import http.client
import io
import json
import shutil
import signal
import socket
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET

import pytest
from .conftest import DATA, nakg_server

from nakg.resources import queries_dir
from nakg.serve import ServeConfig, Server
from nakg.serve.policy import Refused, check_query
from nakg.serve.results import negotiate

# Facts of the review: the NASICON Na3Zr2Si2PO12 (Hong/Goodenough composition) and the sulfide Na3PS4.
ASK_NASICON = 'ASK { ?m nakg:formula "Na3Zr2Si2PO12" }'
SELECT_FORMULAS = 'SELECT DISTINCT ?f WHERE { ?m nakg:formula ?f FILTER(?f IN ("Na3Zr2Si2PO12", "Na3PS4")) } ORDER BY ?f'
CONSTRUCT_NASICON = 'CONSTRUCT { ?m nakg:formula ?f } WHERE { ?m nakg:formula ?f FILTER(?f = "Na3Zr2Si2PO12") }'
CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
TIMEOUT = 1.5
MAX_RESULTS = 50
MAX_BYTES = 8192
MAX_RESPONSE_BYTES = 200_000
REQUEST_TIMEOUT = 3.0
EVIL_QUESTION = '<script>alert("q")</script> & "quotes"'
EVIL_TEXT = 'SELECT ?x WHERE { ?x ?p "</textarea><script>alert(1)</script>" }'


@pytest.fixture(scope="module")
def examples_dir(tmp_path_factory):
    """The shipped competency questions plus one file whose header and text try to inject HTML."""
    folder = tmp_path_factory.mktemp("cq")
    shipped = sorted((queries_dir() / "cq").glob("*.rq"))
    for f in shipped:
        shutil.copy(f, folder / f.name)
    (folder / "zz-evil.rq").write_text(f"# question: {EVIL_QUESTION}\n{EVIL_TEXT}\n", encoding="utf-8")
    return folder, len(shipped)


@pytest.fixture(scope="module")
def server(kg, examples_dir):
    config = ServeConfig(port=0, timeout=TIMEOUT, max_results=MAX_RESULTS, max_request_bytes=MAX_BYTES, workers=2,
                         queries_dir=examples_dir[0], max_response_bytes=MAX_RESPONSE_BYTES, request_timeout=REQUEST_TIMEOUT)
    with Server(config, kg=kg) as srv:
        yield srv


def request(server, method: str, path: str, body: bytes | None = None, headers: dict | None = None, timeout: float = 30):
    """One raw request over http.client (the path is sent exactly as given)."""
    host, port = server.httpd.server_address[:2]
    conn = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
    finally:
        conn.close()


def get_query(server, query: str, accept: str | None = None, **params):
    qs = urllib.parse.urlencode({"query": query, **params})
    return request(server, "GET", f"/sparql?{qs}", headers={"Accept": accept} if accept else {})


def bindings(body: bytes) -> list[dict]:
    return [{k: v["value"] for k, v in b.items()} for b in json.loads(body)["results"]["bindings"]]


# --- the protocol ---------------------------------------------------------------------------------------------------
def test_get_select_json(server):
    status, headers, body = get_query(server, SELECT_FORMULAS)
    assert status == 200
    assert headers["content-type"] == "application/sparql-results+json"
    assert [r["f"] for r in bindings(body)] == ["Na3PS4", "Na3Zr2Si2PO12"]
    assert json.loads(body)["head"]["vars"] == ["f"]


@pytest.mark.parametrize("how", ["form", "sparql-query"])
def test_post_select(server, how):
    if how == "form":
        body, ctype = urllib.parse.urlencode({"query": SELECT_FORMULAS}).encode(), "application/x-www-form-urlencoded"
    else:
        body, ctype = SELECT_FORMULAS.encode(), "application/sparql-query"
    status, headers, data = request(server, "POST", "/sparql", body, {"Content-Type": ctype})
    assert status == 200, data
    assert [r["f"] for r in bindings(data)] == ["Na3PS4", "Na3Zr2Si2PO12"]


def _rows_csv(body):
    return list(csv.reader(io.StringIO(body.decode())))


@pytest.mark.parametrize("accept, ctype, check", [
    ("application/sparql-results+json", "application/sparql-results+json",
     lambda b: [r["f"] for r in bindings(b)] == ["Na3PS4", "Na3Zr2Si2PO12"]),
    ("application/sparql-results+xml", "application/sparql-results+xml",
     lambda b: [e.text for e in ET.fromstring(b).iter("{http://www.w3.org/2005/sparql-results#}literal")]
     == ["Na3PS4", "Na3Zr2Si2PO12"]),
    ("text/csv", "text/csv", lambda b: _rows_csv(b) == [["f"], ["Na3PS4"], ["Na3Zr2Si2PO12"]]),
    ("text/tab-separated-values", "text/tab-separated-values",
     lambda b: b.decode().splitlines() == ["?f", '"Na3PS4"', '"Na3Zr2Si2PO12"']),
    ("text/csv;q=0.2, application/sparql-results+xml;q=0.9", "application/sparql-results+xml", lambda b: b"<sparql" in b),
])
def test_select_content_negotiation(server, accept, ctype, check):
    status, headers, body = get_query(server, SELECT_FORMULAS, accept)
    assert status == 200
    assert headers["content-type"].startswith(ctype)
    assert check(body)


@pytest.mark.parametrize("accept, expected", [
    ("application/sparql-results+json", lambda b: json.loads(b)["boolean"] is True),
    ("application/sparql-results+xml", lambda b: ET.fromstring(b).find("{http://www.w3.org/2005/sparql-results#}boolean").text
     == "true"),
])
def test_ask(server, accept, expected):
    status, headers, body = get_query(server, ASK_NASICON, accept)
    assert status == 200 and headers["content-type"].startswith(accept)
    assert expected(body)


@pytest.mark.parametrize("accept, ctype, rdf_format", [
    ("text/turtle", "text/turtle", "turtle"),
    ("application/ld+json", "application/ld+json", "json-ld"),
    ("application/n-triples", "application/n-triples", "nt"),
    (None, "text/turtle", "turtle"),
])
def test_construct_content_negotiation(server, accept, ctype, rdf_format):
    from rdflib import Graph, Literal, URIRef

    status, headers, body = get_query(server, CONSTRUCT_NASICON, accept)
    assert status == 200 and headers["content-type"].startswith(ctype)
    g = Graph().parse(data=body, format=rdf_format)
    assert set(g.objects(None, URIRef("https://w3id.org/nakg/formula"))) == {Literal("Na3Zr2Si2PO12")}


@pytest.mark.parametrize("query, accept", [(SELECT_FORMULAS, "image/png"), (CONSTRUCT_NASICON, "text/csv")])
def test_unacceptable_format_is_406(server, query, accept):
    status, headers, body = get_query(server, query, accept)
    assert status == 406
    assert body.startswith(b"Error 406") and b"offered" in body


def test_format_parameter_overrides_accept(server):
    status, headers, body = get_query(server, SELECT_FORMULAS, "application/sparql-results+json", format="csv")
    assert status == 200 and headers["content-type"].startswith("text/csv")


@pytest.mark.parametrize("method, path, body, headers, status", [
    ("GET", "/sparql?query=SELECT+%3Fs+WHERE+%7B", None, {}, 400),           # malformed
    ("GET", "/sparql?format=csv", None, {}, 400),                              # no query
    ("GET", "/sparql?query=ASK%7B%7D&query=ASK%7B%7D", None, {}, 400),          # two queries
    ("PUT", "/sparql", b"x", {"Content-Type": "text/turtle"}, 405),
    ("DELETE", "/sparql", None, {}, 405),
    ("POST", "/", b"x", {"Content-Type": "text/plain"}, 405),
    ("POST", "/sparql", b'{"query": "ASK {}"}', {"Content-Type": "application/json"}, 415),
    ("POST", "/sparql", b"q" * (MAX_BYTES + 1), {"Content-Type": "application/sparql-query"}, 413),
    ("GET", "/sparql?" + urllib.parse.urlencode({"query": "ASK {} #" + "x" * MAX_BYTES}), None, {}, 413),
    ("GET", "/nothing-here", None, {}, 404),
])
def test_status_codes(server, method, path, body, headers, status):
    got, hdrs, data = request(server, method, path, body, headers)
    assert got == status, data
    assert data.startswith(f"Error {status}".encode())
    assert hdrs["content-type"].startswith("text/plain")
    if status == 405:
        assert "GET" in hdrs["allow"]


def test_malformed_query_error_names_the_problem(server):
    status, _, body = get_query(server, "SELECT ?s WHERE { ?s ?p }")
    assert status == 400
    assert b"malformed query" in body


def test_post_without_length_is_411(server):
    host, port = server.httpd.server_address[:2]
    with socket.create_connection((host, port), timeout=10) as s:
        s.sendall(b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
                  b"Transfer-Encoding: chunked\r\n\r\n5\r\nASK{}\r\n0\r\n\r\n")
        assert s.recv(200).startswith(b"HTTP/1.1 411")


# --- refusals -------------------------------------------------------------------------------------------------------
UPDATE = "INSERT DATA { <https://example.org/a> <https://example.org/b> <https://example.org/c> }"


@pytest.mark.parametrize("method, path, body, ctype", [
    ("GET", "/sparql?" + urllib.parse.urlencode({"query": UPDATE}), None, None),
    ("GET", "/sparql?" + urllib.parse.urlencode({"update": UPDATE}), None, None),
    ("POST", "/sparql", urllib.parse.urlencode({"update": UPDATE}).encode(), "application/x-www-form-urlencoded"),
    ("POST", "/sparql", UPDATE.encode(), "application/sparql-update"),
    ("POST", "/sparql", b"LOAD <https://example.org/data.ttl>", "application/sparql-query"),
    ("POST", "/sparql", b"CLEAR ALL", "application/sparql-query"),
])
def test_update_and_load_refused(server, method, path, body, ctype):
    status, _, data = request(server, method, path, body, {"Content-Type": ctype} if ctype else {})
    assert status == 403, data
    assert b"read-only" in data
    status, _, data = get_query(server, "ASK { <https://example.org/a> ?p ?o }")
    assert json.loads(data)["boolean"] is False  # nothing was written


SERVICE_BYPASS = json.loads((DATA / "service_bypass.json").read_text(encoding="utf-8"))


def test_service_bypass_cases_found():
    assert len(SERVICE_BYPASS) >= 10


@pytest.mark.parametrize("case", SERVICE_BYPASS, ids=[c["name"] for c in SERVICE_BYPASS])
@pytest.mark.parametrize("how", ["GET", "POST form", "POST query"])
def test_service_bypass_decided_on_the_executing_parse(server, case, how, remote_trap):
    """Issue: rdflib's pre-check read comments and \\u escapes differently from Oxigraph, which then fetched the URL."""
    text = case["query"].replace("{url}", remote_trap.url)
    if how == "GET":
        status, _, data = get_query(server, text)
    elif how == "POST form":  # what a cross-origin HTML form can send
        status, _, data = request(server, "POST", "/sparql", urllib.parse.urlencode({"query": text}).encode(),
                                  {"Content-Type": "application/x-www-form-urlencoded"})
    else:
        status, _, data = request(server, "POST", "/sparql", text.encode(), {"Content-Type": "application/sparql-query"})
    assert status == case["expect"], data
    if status == 403:
        assert b"SERVICE is not allowed" in data
    remote_trap.untouched()  # the endpoint never connected


@pytest.mark.parametrize("query, params", [
    ("SELECT * FROM <https://example.org/remote.ttl> WHERE { ?s ?p ?o }", {}),
    ("SELECT * FROM NAMED <https://example.org/remote.ttl> WHERE { GRAPH ?g { ?s ?p ?o } }", {}),
    ("SELECT * WHERE { ?s ?p ?o } LIMIT 1", {"default-graph-uri": "https://example.org/remote.ttl"}),
    ("SELECT * WHERE { ?s ?p ?o } LIMIT 1", {"named-graph-uri": "https://example.org/remote.ttl"}),
])
def test_remote_datasets_refused(server, query, params):
    status, _, data = get_query(server, query, **params)
    assert status == 403, data
    assert b"does not fetch graphs" in data


@pytest.mark.parametrize("query", [
    'SELECT ?f WHERE { ?m nakg:formula ?f FILTER(?f != "SERVICE <http://example.org/> { }") } LIMIT 1',
    "SELECT ?f WHERE { ?m nakg:formula ?f } # SERVICE <http://example.org/> LOAD INSERT\nLIMIT 1",
    'SELECT ?x WHERE { BIND("INSERT DATA { <a:b> <a:c> <a:d> }" AS ?x) }',
])
def test_keywords_in_strings_and_comments_are_not_refused(server, query):
    status, _, data = get_query(server, query)
    assert status == 200, data
    assert len(bindings(data)) == 1


@pytest.mark.parametrize("text, status", [
    ("SELECT * WHERE { ?s ?p ?o }", None),
    ("DELETE WHERE { ?s ?p ?o }", 403),
    ("DROP ALL", 403),
    ("SELECT * WHERE { { SELECT * WHERE { SERVICE <http://x.example/> { ?s ?p ?o } } } }", 403),
    ("SELECT * FROM <http://x.example/g> WHERE { ?s ?p ?o }", 403),
    ("SELECT * WHERE { ?s ?p ?o ", 400),
    ("SELEC * WHERE { ?s ?p ?o }", 400),
])
def test_policy(text, status):
    if status is None:
        assert check_query(text).form == "SELECT"
    else:
        with pytest.raises(Refused) as info:
            check_query(text)
        assert info.value.status == status


def test_from_a_graph_the_store_holds_is_allowed():
    assert check_query("SELECT * FROM <https://example.org/g> WHERE { ?s ?p ?o }", {"https://example.org/g"}).form == "SELECT"


@pytest.mark.parametrize("form, accept, key", [
    ("SELECT", None, "json"), ("SELECT", "*/*", "json"), ("SELECT", "application/json", "json"),
    ("SELECT", "text/*", "csv"), ("SELECT", "text/csv;q=0, */*;q=0.1", "json"), ("ASK", "application/xml", "xml"),
    ("CONSTRUCT", "application/json", "jsonld"), ("DESCRIBE", "*/*", "turtle"), ("CONSTRUCT", "text/csv", None),
])
def test_negotiate(form, accept, key):
    assert negotiate(form, accept) == key


# --- limits ---------------------------------------------------------------------------------------------------------
def test_timeout_stops_cartesian_product_while_other_queries_answer(server):
    outcome = {}

    def slow():
        t0 = time.perf_counter()
        outcome["slow"] = get_query(server, CARTESIAN)
        outcome["slow_seconds"] = time.perf_counter() - t0

    thread = threading.Thread(target=slow)
    thread.start()
    time.sleep(0.3)
    t0 = time.perf_counter()
    status, _, body = get_query(server, SELECT_FORMULAS)
    fast_seconds = time.perf_counter() - t0
    thread.join(30)
    assert status == 200 and len(bindings(body)) == 2
    assert fast_seconds < 1.0, f"a normal query took {fast_seconds:.2f} s next to the runaway one"
    status, _, body = outcome["slow"]
    assert status == 504, body
    assert b"time limit" in body
    assert TIMEOUT <= outcome["slow_seconds"] < TIMEOUT + 3
    # the killed worker is replaced: soon both workers are free again and queries still run
    deadline = time.monotonic() + 30
    while server.pool.idle < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert server.pool.idle == 2 and server.pool.replaced >= 1
    assert get_query(server, ASK_NASICON)[0] == 200


def test_result_cap(server):
    status, headers, body = get_query(server, "SELECT * WHERE { ?s ?p ?o }")
    assert status == 200
    assert len(bindings(body)) == MAX_RESULTS
    assert headers["x-nakg-truncated"] == f"true; max-results={MAX_RESULTS}"
    status, headers, body = get_query(server, "CONSTRUCT WHERE { ?s ?p ?o }", "application/n-triples")
    assert len(body.decode().strip().splitlines()) == MAX_RESULTS and "x-nakg-truncated" in headers
    status, headers, body = get_query(server, "SELECT * WHERE { ?s ?p ?o } LIMIT 7")
    assert len(bindings(body)) == 7 and "x-nakg-truncated" not in headers and headers["x-nakg-result-count"] == "7"


# --- static routes and the page ------------------------------------------------------------------------------------
@pytest.mark.parametrize("path", [
    "/static/../../etc/passwd",
    "/static/%2e%2e/%2e%2e/etc/passwd",
    "/static/..%2f..%2f..%2fetc%2fpasswd",
    "/static/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "/static//etc/passwd",
    "/static/app.js/../../../../etc/passwd",
    "/../../../etc/passwd",
    "/static/..\\..\\etc\\passwd",
    "/static/../server.py",
    "/static/",
])
def test_path_traversal(server, path):
    status, _, body = request(server, "GET", path)
    assert status == 404
    assert b"root:" not in body and b"import" not in body


@pytest.mark.parametrize("name, ctype", [("app.js", "text/javascript"), ("style.css", "text/css")])
def test_static_files(server, name, ctype):
    status, headers, body = request(server, "GET", f"/static/{name}")
    assert status == 200 and headers["content-type"].startswith(ctype)
    assert body == (server.static[name][0]).read_bytes()


def test_page_lists_examples_and_escapes_them(server, examples_dir):
    folder, shipped = examples_dir
    status, headers, body = request(server, "GET", "/")
    page = body.decode()
    assert status == 200 and headers["content-type"].startswith("text/html")
    assert "script-src 'self'" in headers["content-security-policy"]
    assert page.count('class="example"') == shipped + 1
    for f in sorted(folder.glob("*.rq")):
        assert f"<code>{f.stem}</code>" in page
    assert "<script>alert" not in page and "</textarea><script>" not in page
    assert "&lt;script&gt;alert(&quot;q&quot;)&lt;/script&gt; &amp; &quot;quotes&quot;" in page
    assert "&lt;/textarea&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert '<script src="/static/app.js" defer></script>' in page  # the page's only script


def test_page_lists_the_shipped_competency_questions():
    from nakg.serve.page import load_examples

    files = sorted((queries_dir() / "cq").glob("*.rq"))
    examples = load_examples(queries_dir() / "cq")
    assert len(examples) == len(files) >= 1
    assert [e.name for e in examples] == [f.stem for f in files]
    assert all(e.question for e in examples)


def test_explorer_route(server):
    status, headers, body = request(server, "GET", "/explorer")
    if server._explorer_function() is not None:
        assert status == 200 and headers["content-type"].startswith("text/html")
        assert body.lstrip().lower().startswith(b"<!doctype html") and len(body) > 10_000
        assert b'href="/explorer"' in request(server, "GET", "/")[2]
    else:
        assert status == 404 and b"explorer" in body


def test_dns_rebinding_host_refused(server):
    status, _, body = request(server, "GET", "/", headers={"Host": "attacker.example:7878"})
    assert status == 403 and b"Host" in body


def test_health(server):
    status, _, body = request(server, "GET", "/health")
    info = json.loads(body)
    assert status == 200 and info["status"] == "ok" and info["triples"] == server.triples > 10_000


# --- real clients ---------------------------------------------------------------------------------------------------
def test_sparqlwrapper_select_ask_construct(server):
    from rdflib import Graph
    from SPARQLWrapper import JSON, POST, TURTLE, SPARQLWrapper

    sw = SPARQLWrapper(server.url + "/sparql")
    sw.setReturnFormat(JSON)
    sw.setQuery("PREFIX nakg: <https://w3id.org/nakg/>\n" + SELECT_FORMULAS)
    rows = sw.query().convert()["results"]["bindings"]
    assert [r["f"]["value"] for r in rows] == ["Na3PS4", "Na3Zr2Si2PO12"]
    sw.setMethod(POST)
    sw.setQuery(ASK_NASICON)
    assert sw.query().convert()["boolean"] is True
    sw.setReturnFormat(TURTLE)
    sw.setQuery(CONSTRUCT_NASICON)
    g = Graph().parse(data=sw.query().convert(), format="turtle")
    assert len(g) == 1


@pytest.mark.parametrize("query, status", [
    ("INSERT DATA { <https://example.org/a> <https://example.org/b> 1 }", 403),
    ("LOAD <https://example.org/x>", 403),
    ("SELECT * WHERE { SERVICE <https://example.org/sparql> { ?s ?p ?o } }", 403),
])
def test_sparqlwrapper_refusals(server, query, status):
    from SPARQLWrapper import JSON, POST, SPARQLWrapper

    sw = SPARQLWrapper(server.url + "/sparql")
    sw.setReturnFormat(JSON)
    sw.setMethod(POST)
    sw.setQuery(query)
    with pytest.raises(urllib.error.HTTPError) as info:
        sw.query()
    assert info.value.code == status


def test_sparqlwrapper_malformed(server):
    from SPARQLWrapper import JSON, SPARQLWrapper
    from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

    sw = SPARQLWrapper(server.url + "/sparql")
    sw.setReturnFormat(JSON)
    sw.setQuery("SELECT ?s WHERE { ?s ?p }")
    with pytest.raises(QueryBadFormed):
        sw.query()


def test_remote_store_backend_on_our_endpoint(server, kg):
    from nakg.api import KnowledgeGraph
    from nakg.queries import load_query
    from nakg.store.remote import open_graph

    remote = KnowledgeGraph(open_graph(server.url + "/sparql"), store="remote")
    named = load_query("best-conductivity-per-family")  # run as a named query: its reference lists come sorted
    assert named.run(remote).rows == named.run(kg).rows
    text = "\n".join(line for line in named.bind().splitlines() if not line.startswith("#"))  # the header stays home
    assert len(remote.query(text)) == len(kg.query(text)) > 0


# --- the command ----------------------------------------------------------------------------------------------------
def test_cli_serve_starts_answers_and_stops(built):
    code = "import sys; from nakg.commands.serve import serve; serve(sys.argv[1:])"
    with nakg_server("--data", str(built.outputs["nt"]), command=[sys.executable, "-c", code]) as (proc, port, lines):
        assert f"http://127.0.0.1:{port}/sparql" in lines[-1], lines
        explorer = f"http://127.0.0.1:{port}/explorer"
        assert explorer in lines[-1], lines
        with urllib.request.urlopen(explorer, timeout=30) as resp:
            assert resp.status == 200 and resp.headers.get_content_type() == "text/html"
        url = f"http://127.0.0.1:{port}/sparql?" + urllib.parse.urlencode({"query": ASK_NASICON})
        with urllib.request.urlopen(url, timeout=30) as resp:
            assert json.loads(resp.read())["boolean"] is True
        proc.send_signal(signal.SIGINT)
        assert proc.wait(30) == 0


# --- the pre-check is the executing parse: what Oxigraph runs is not refused by another parser ------------------
def _deep_groups(n: int) -> str:
    return "SELECT * WHERE " + "{ " * n + "?s ?p ?o " + "} " * n + "LIMIT 1"


PRECHECK_VALID = {
    "double negation": "SELECT * WHERE { ?s ?p ?o FILTER(!!true) } LIMIT 1",
    "40 nested groups": _deep_groups(40),
    "50 OPTIONALs": "SELECT * WHERE { ?s ?p ?o " + " ".join(f"OPTIONAL {{ ?s ?p ?o{i} }}" for i in range(50)) + " } LIMIT 1",
    "250 kB VALUES": "SELECT ?v WHERE { VALUES ?v { " + " ".join(f'"v{i:06d}"' for i in range(25_000)) + " } } LIMIT 1",
}


@pytest.fixture(scope="module")
def engine(built):
    from nakg.serve.engine import Engine

    return Engine(built.outputs["nt"], max_results=5)


@pytest.mark.parametrize("name", PRECHECK_VALID)
def test_precheck_accepts_what_oxigraph_runs(engine, name):
    """Issue: rdflib's pre-check refused valid SPARQL (``!!x``, deep nesting, many OPTIONALs) and parsed large
    VALUES blocks for seconds; the check is now Oxigraph's own parse."""
    response = engine.execute(PRECHECK_VALID[name], accept="application/sparql-results+json")
    assert response.status == 200, response.body[:300]
    assert len(json.loads(response.body)["results"]["bindings"]) == 1


# --- hardening round 2 -------------------------------------------------------------------------------------------
def _doubled(levels: int, var: str = "x") -> str:
    """BINDs that make ?x a string of 10 * 2**levels characters from a short query."""
    binds = 'BIND("xxxxxxxxxx" AS ?a0) ' + " ".join(f"BIND(CONCAT(?a{i}, ?a{i}) AS ?a{i + 1})" for i in range(levels))
    return binds + f" BIND(?a{levels} AS ?{var})"


def test_result_cap_counts_bytes(server):
    """Issue: the cap counted rows, so 60 kB literals on each row made a 600 MB response."""
    query = f"SELECT ?x WHERE {{ ?s ?p ?o {_doubled(13)} }}"  # 80 kB on every row
    status, headers, data = get_query(server, query, accept="application/sparql-results+json")
    assert status == 200, data[:200]
    assert f"max-bytes={MAX_RESPONSE_BYTES}" in headers["x-nakg-truncated"]
    assert len(data) < 2 * MAX_RESPONSE_BYTES
    assert 1 <= len(bindings(data)) == int(headers["x-nakg-result-count"]) < MAX_RESULTS


def test_result_cap_counts_bytes_workers_that_grew_are_replaced(built):
    from nakg.serve.pool import WorkerPool

    with WorkerPool(built.outputs["nt"], size=1, timeout=30, retire_rss=1) as pool:  # every worker has "grown"
        for _ in range(2):
            assert pool.submit({"query": ASK_NASICON, "accept": "application/sparql-results+json"}).status == 200
        deadline = time.monotonic() + 60
        while pool.replaced < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert pool.replaced >= 2


def test_result_cap_counts_bytes_worker_memory_is_bounded(built):
    from nakg.serve.pool import WorkerPool

    with WorkerPool(built.outputs["nt"], size=1, timeout=60, memory_limit=600 * 1024**2) as pool:
        huge = pool.submit({"query": f"SELECT (STRLEN(?x) AS ?n) WHERE {{ {_doubled(27)} }}", "accept": "text/csv"})
        assert huge.status == 500 and b"memory" in huge.body
        deadline = time.monotonic() + 60
        while pool.idle < 1 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert pool.submit({"query": ASK_NASICON, "accept": "text/csv"}).body == b"true"


def _slow_client(server, lines: int, pause: float) -> socket.socket:
    host, port = server.httpd.server_address[:2]
    sock = socket.create_connection((host, port), timeout=30)
    sock.sendall(b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\n")
    return sock


def test_slow_headers_deadline_on_the_whole_request(kg):
    """Issue: a header line every 20 s kept a connection slot for ever (the timeout was per read)."""
    config = ServeConfig(port=0, workers=1, max_connections=3, request_timeout=2.0, read_timeout=30.0)
    with Server(config, kg=kg) as srv:
        slow = [_slow_client(srv, 0, 0) for _ in range(3)]
        t0 = time.monotonic()
        closed = []
        for sock in slow:
            for _ in range(20):  # one header line a second, each well within the per-read timeout
                try:
                    sock.sendall(b"X-Slow: 1\r\n")
                    sock.settimeout(1.0)
                    if sock.recv(1024) == b"":
                        break
                except socket.timeout:
                    continue
                except OSError:
                    break
            closed.append(time.monotonic() - t0)
            sock.close()
        assert max(closed) < 10, closed  # every slow client was cut off at the request deadline
        status, _, data = request(srv, "GET", "/sparql?" + urllib.parse.urlencode({"query": ASK_NASICON}))
        assert status == 200 and json.loads(data)["boolean"] is True


def test_protocol_xml_results_with_control_characters(server):
    """Issue: SPARQL XML results with control characters were not well-formed."""
    query = 'SELECT ?x WHERE { BIND("a\\u0001b" AS ?x) }'
    status, _, data = get_query(server, query, accept="application/sparql-results+xml")
    assert status == 406 and b"XML 1.0" in data
    status, _, data = get_query(server, query, accept="application/sparql-results+json")
    assert status == 200 and bindings(data) == [{"x": "a\x01b"}]
    status, _, data = get_query(server, 'CONSTRUCT { <a:s> <a:p> ?x } WHERE { BIND("a\\u0001b" AS ?x) }',
                                accept="application/rdf+xml")
    assert status == 406
    status, _, data = get_query(server, 'SELECT ?x WHERE { BIND("a\\tb<&>" AS ?x) }', accept="application/sparql-results+xml")
    assert status == 200 and ET.fromstring(data).find(".//{http://www.w3.org/2005/sparql-results#}literal").text == "a\tb<&>"


@pytest.mark.parametrize("fmt", ["RDFXML", "N3", "TURTLE", "JSONLD", "XML"])
def test_protocol_sparqlwrapper_construct_formats(server, fmt):
    """Issue: SPARQLWrapper's own format= parameter won over its valid Accept header (406)."""
    import SPARQLWrapper
    from rdflib import Graph

    sw = SPARQLWrapper.SPARQLWrapper(server.url + "/sparql")
    sw.setReturnFormat(getattr(SPARQLWrapper, fmt))
    sw.setQuery(CONSTRUCT_NASICON)
    result = sw.query()
    assert result.response.status == 200
    data = result.response.read()
    ctype = result.response.headers["Content-Type"].split(";")[0]
    rdf_format = {"application/rdf+xml": "xml", "text/turtle": "turtle", "application/ld+json": "json-ld",
                  "application/n-triples": "nt"}[ctype]
    assert len(Graph().parse(data=data, format=rdf_format)) == 1


def _raw(server, head: bytes) -> bytes:
    host, port = server.httpd.server_address[:2]
    with socket.create_connection((host, port), timeout=10) as sock:
        sock.sendall(head)
        chunks = []
        while True:
            try:
                chunk = sock.recv(65536)
            except (socket.timeout, ConnectionResetError):
                break
            if not chunk:
                break
            chunks.append(chunk)
        return b"".join(chunks)


Q = urllib.parse.quote(ASK_NASICON)
FRAMING = [
    ("duplicate Content-Length", b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
     b"Content-Length: 6\r\nContent-Length: 7\r\n\r\nASK{}\n", b"400"),
    ("signed Content-Length", b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
     b"Content-Length: +6\r\n\r\nASK{}\n", b"400"),
    ("Transfer-Encoding", b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
     b"Transfer-Encoding: gzip, chunked\r\n\r\n6\r\nASK{}\n\r\n0\r\n\r\n", b"411"),
    ("two Host headers", b"GET /sparql?query=" + Q.encode() + b" HTTP/1.1\r\nHost: 127.0.0.1\r\nHost: evil.example\r\n\r\n", b"400"),
    ("Host with user info", b"GET /sparql?query=" + Q.encode() + b" HTTP/1.1\r\nHost: localhost:1@evil.com\r\n\r\n", b"403"),
    ("Host with a path", b"GET /sparql?query=" + Q.encode() + b" HTTP/1.1\r\nHost: localhost/evil.com\r\n\r\n", b"403"),
    ("plain Host", b"GET /sparql?query=" + Q.encode() + b" HTTP/1.1\r\nHost: localhost:7878\r\nConnection: close\r\n\r\n", b"200"),
]


@pytest.mark.parametrize("name, head, status", FRAMING, ids=[f[0] for f in FRAMING])
def test_protocol_request_framing_and_host(server, name, head, status):
    """Issue: duplicated or signed Content-Length (request smuggling) and tricky Host headers were accepted."""
    answer = _raw(server, head)
    assert answer.split(b"\r\n", 1)[0].split()[1] == status, answer[:300]
    assert answer.count(b"HTTP/1.1 ") == 1  # nothing after the refusal was taken for a second request


def test_protocol_ipv6_loopback(kg):
    """Issue: --host ::1 could not bind."""
    try:
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind(("::1", 0))
    except OSError as exc:
        pytest.skip(f"this machine has no IPv6 loopback address: {exc}")
    with Server(ServeConfig(host="::1", port=0, workers=1), kg=kg) as srv:
        assert srv.url.startswith("http://[::1]:")
        conn = http.client.HTTPConnection("::1", srv.httpd.server_address[1], timeout=30)
        conn.request("GET", "/sparql?" + urllib.parse.urlencode({"query": ASK_NASICON}), headers={"Host": "[::1]"})
        resp = conn.getresponse()
        assert resp.status == 200 and json.loads(resp.read())["boolean"] is True
        conn.close()


def test_protocol_sigterm_removes_temporary_files(built, tmp_path):
    """Issue: SIGTERM left /tmp/nakg-serve-* behind."""
    with nakg_server("--data", str(built.outputs["nt"]), env={"TMPDIR": str(tmp_path)}) as (proc, _, _):
        assert list(tmp_path.glob("nakg-serve-*")), "the server made no temporary folder"
        proc.send_signal(signal.SIGTERM)
        proc.wait(30)
        assert list(tmp_path.glob("nakg-serve-*")) == []
