"""Dereferenceable IRIs on ``nakg serve``: resources and ontology terms by content negotiation, over loopback with
http.client and rdflib's parsers; the pages' escaping with hostile record values."""

from __future__ import annotations

import http.client
import re
from html.parser import HTMLParser

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF

from nakg.serve import ServeConfig, Server
from nakg.serve.linked import is_linked_path, negotiate_document
from nakg.serve.pages import PAGE_CSP

from .conftest import mini_records_naming_nzsp_sc

NS = "https://w3id.org/nakg/"
NZSP = "/resource/material/na3zr2si2po12"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
RDF_FORMATS = [("text/turtle", "turtle", "turtle"), ("application/n-triples", "nt", "nt"),
               ("application/ld+json", "jsonld", "json-ld"), ("application/rdf+xml", "rdfxml", "xml")]
INJECTED = '<script>window.__nakgPwned = 1</script><img src=x onerror="alert(2)"> "q" & NZSP-Sc'


@pytest.fixture(scope="module")
def local(kg):
    """A server with the default base: IRIs rewritten to the address each request was sent to."""
    with Server(ServeConfig(port=0, workers=1), kg=kg) as srv:
        yield srv


@pytest.fixture(scope="module")
def canonical(kg):
    """A server as deployed behind the w3id redirect: ``--base https://w3id.org/nakg/``."""
    with Server(ServeConfig(port=0, workers=1, base=NS), kg=kg) as srv:
        yield srv


def get(server, path: str, accept: str | None = None, method: str = "GET"):
    host, port = server.httpd.server_address[:2]
    conn = http.client.HTTPConnection(host, port, timeout=30)
    try:
        conn.request(method, path, headers={"Accept": accept} if accept else {})
        resp = conn.getresponse()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
    finally:
        conn.close()


def norm(triple):
    """A triple with ``xsd:string`` literals written as plain ones (stores differ in which they return)."""
    from rdflib.namespace import XSD

    return tuple(Literal(str(t)) if isinstance(t, Literal) and t.datatype == XSD.string else t for t in triple)


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []
        self.scripts = 0
        self.styles = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.hrefs.append(a["href"])
        self.scripts += tag == "script"
        self.styles += tag == "style" or "style" in a


def links(body: bytes) -> Links:
    p = Links()
    p.feed(body.decode("utf-8"))
    return p


# --- content negotiation ------------------------------------------------------------------------------------------
def test_turtle_of_a_material_like_curl(canonical):
    """The issue's check: curl -H 'Accept: text/turtle' …/resource/material/na3zr2si2po12 returns its triples."""
    status, headers, body = get(canonical, NZSP, "text/turtle")
    assert status == 200 and headers["content-type"].startswith("text/turtle")
    g = Graph().parse(data=body, format="turtle")
    nzsp = URIRef(NS + NZSP[1:])
    assert g.value(nzsp, URIRef(NS + "formula")) == Literal("Na3Zr2Si2PO12")
    assert (nzsp, RDF.type, URIRef(NS + "Material")) in g
    assert (None, URIRef(NS + "hasHost"), nzsp) in g  # what points at it too (dopings of NZSP)
    assert headers["vary"] == "Accept" and headers["content-location"] == NZSP + "?format=turtle"


def test_description_is_the_resources_triples(canonical, kg):
    """Everything the graph says with the material as subject (and as object) is in its description, nothing else."""
    _, _, body = get(canonical, NZSP, "application/n-triples")
    g = Graph().parse(data=body, format="nt")
    nzsp = URIRef(NS + NZSP[1:])
    served = {norm(t) for t in g}
    assert {norm(t) for t in kg.graph.triples((nzsp, None, None))} <= served
    assert {norm(t) for t in kg.graph.triples((None, None, nzsp))} <= served
    assert all(s == nzsp or o == nzsp or str(s).startswith(str(nzsp) + "/") for s, _, o in g)


@pytest.mark.parametrize("accept, key, rdf_format", RDF_FORMATS)
def test_every_rdf_format_gives_the_same_graph(canonical, accept, key, rdf_format):
    status, headers, body = get(canonical, NZSP, accept)
    assert status == 200 and headers["content-type"].startswith(accept)
    assert headers["vary"] == "Accept" and headers["content-location"] == f"{NZSP}?format={key}"
    reference = Graph().parse(data=get(canonical, NZSP, "text/turtle")[2], format="turtle")
    assert isomorphic(Graph().parse(data=body, format=rdf_format), reference)
    # the ?format= override names the same representation, whatever Accept says
    status, headers, again = get(canonical, f"{NZSP}?format={key}", BROWSER)
    assert status == 200 and headers["content-type"].startswith(accept) and again == body


@pytest.mark.parametrize("accept, expected", [
    (BROWSER, "text/html"), ("*/*", "text/turtle"), (None, "text/turtle"), ("application/json", "application/ld+json"),
    ("text/html;q=0.5, text/turtle", "text/turtle"),
])
def test_negotiation(canonical, accept, expected):
    status, headers, _ = get(canonical, NZSP, accept)
    assert status == 200 and headers["content-type"].startswith(expected)


def test_default_base_is_the_servers_own_address(local):
    """Without --base the IRIs in the answer resolve on the server that gave it."""
    host, port = local.httpd.server_address[:2]
    _, _, body = get(local, NZSP, "text/turtle")
    g = Graph().parse(data=body, format="turtle")
    here = f"http://{host}:{port}/"
    nzsp = URIRef(here + NZSP[1:])
    assert g.value(nzsp, URIRef(here + "formula")) == Literal("Na3Zr2Si2PO12")
    assert not any(str(t).startswith(NS) for triple in g for t in triple)
    # and each of them is answered by this server
    for iri in sorted({str(o) for o in g.objects(nzsp, None) if str(o).startswith(here)})[:10]:
        assert get(local, iri[len(here) - 1:], "text/turtle")[0] == 200, iri


@pytest.mark.parametrize("path, status", [
    ("/resource/material/no-such-material", 404), ("/NoSuchTerm", 404), (NZSP + "?format=png", 406),
    ("/ontology/99.0.0", 404),
])
def test_not_found_and_not_acceptable(canonical, path, status):
    got, headers, body = get(canonical, path, BROWSER)
    assert got == status and body.startswith(f"Error {status}".encode())


def test_unacceptable_accept_is_406(canonical):
    status, _, body = get(canonical, NZSP, "image/png")
    assert status == 406 and b"text/turtle" in body


def test_only_get_and_head(canonical):
    assert get(canonical, NZSP, method="POST")[0] == 405
    status, headers, body = get(canonical, NZSP, "text/turtle", method="HEAD")
    assert status == 200 and body == b"" and int(headers["content-length"]) > 1000


@pytest.mark.parametrize("path, linked", [
    ("/resource/material/x", True), ("/Material", True), ("/ontology", True), ("/ontology/0.1.0", True),
    ("/sparql", False), ("/static", False), ("/health", False), ("/explorer", False), ("/", False), ("/resource/", False),
    ("/static/app.js", False), ("/a/b", False),
])
def test_linked_paths(path, linked):
    assert is_linked_path(path) is linked


def test_format_names():
    assert [negotiate_document(None, f) for f in ("html", "ttl", "nt", "jsonld", "rdf", "csv")] == [
        "html", "turtle", "nt", "jsonld", "rdfxml", None]


# --- every kind of resource resolves ----------------------------------------------------------------------------------
def test_one_resource_of_every_kind_resolves(canonical, kg):
    kinds = {}
    for s in kg.graph.subjects(RDF.type, None):
        s = str(s)
        if s.startswith(NS + "resource/"):
            kinds.setdefault(s[len(NS + "resource/"):].split("/")[0], s)
    assert {"material", "measurement", "doping", "cell", "reference", "section", "element"} <= set(kinds)
    for kind, iri in sorted(kinds.items()):
        path = iri[len(NS) - 1:]
        for accept in (BROWSER, "text/turtle"):
            status, _, body = get(canonical, path, accept)
            assert status == 200, (kind, path, accept)
        assert (URIRef(iri), None, None) in Graph().parse(data=body, format="turtle")


# --- the pages ----------------------------------------------------------------------------------------------------------
def test_material_page_is_its_card(canonical, kg):
    status, headers, body = get(canonical, NZSP, BROWSER)
    page = body.decode()
    assert status == 200 and headers["content-type"].startswith("text/html")
    assert headers["content-security-policy"] == PAGE_CSP and headers["vary"] == "Accept"
    parsed = links(body)
    assert parsed.scripts == 0 and parsed.styles == 0
    assert "<h1>Na3Zr2Si2PO12</h1>" in page
    # every resource the material's triples name is linked from the page
    nzsp = URIRef(NS + NZSP[1:])
    named = {str(o) for o in kg.graph.objects(nzsp, None) if isinstance(o, URIRef)}
    named |= {str(s) for s in kg.graph.subjects(None, nzsp)}
    hrefs = set(parsed.hrefs)
    missing = [iri for iri in named if ("/" + iri[len(NS):] if iri.startswith(NS) else iri) not in hrefs]
    assert named and not missing
    # its measurements with their values and provenance (section and references)
    rows = kg.query("""SELECT ?m ?label WHERE { ?mat nakg:hasMeasurement ?m . ?m rdfs:label ?label }""", mat=nzsp)
    assert rows
    for row in rows:
        assert f'href="/{row["m"][len(NS):]}"' in page
        assert row["label"] in page
    assert "Statements about it" in page and "[37] H. Hong" in page and "Section 5.1" in page
    assert "@en" not in page


def test_material_page_shows_the_api_card(canonical, kg):
    """The card of KnowledgeGraph.material is the top of the page, every field of it shown, escaped."""
    _, _, body = get(canonical, NZSP, BROWSER)
    page = body.decode()
    card = kg.material("na3zr2si2po12")
    assert '<dl class="card">' in page and page.index('<dl class="card">') < page.index("<h2>Facts</h2>")
    shown = [k for k, v in card.items() if v not in (None, "", [], {})]
    assert shown and all(f"<dt>{k}</dt>" in page for k in shown)


def test_every_link_on_a_material_page_resolves(canonical):
    _, _, body = get(canonical, NZSP, BROWSER)
    local = sorted({h.split("?")[0] for h in links(body).hrefs if h.startswith("/")})
    assert len(local) > 50
    for h in local:
        assert get(canonical, h, BROWSER)[0] == 200, h


def test_term_page(canonical, kg):
    status, _, body = get(canonical, "/Material", BROWSER)
    page = body.decode()
    assert status == 200
    n = kg.query("SELECT (COUNT(?x) AS ?n) WHERE { ?x a nakg:Material }")[0]["n"]
    assert f'<span class="count">{n}</span> instances' in page
    assert "A substance or composite named in the literature" in page  # the definition
    assert 'href="/CuratedStatement"' in page  # its superclass
    status, _, body = get(canonical, "/SolidElectrolyte", BROWSER)
    assert "skos:closeMatch" in body.decode() and "https://w3id.org/emmo/domain/electrochemistry#" in body.decode()
    status, _, body = get(canonical, "/formula", BROWSER)
    n = kg.query("SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x nakg:formula ?f }")[0]["n"]
    assert f'<span class="count">{n}</span> subjects using it' in body.decode()


def test_ontology_and_its_version_iri(canonical, kg):
    status, _, body = get(canonical, "/ontology", "text/turtle")
    g = Graph().parse(data=body, format="turtle")
    version = g.value(URIRef(NS + "ontology"), URIRef("http://www.w3.org/2002/07/owl#versionIRI"))
    assert status == 200 and version is not None and (URIRef(NS + "Material"), None, None) in g
    status, _, body = get(canonical, str(version)[len(NS) - 1:], BROWSER)
    assert status == 200 and 'href="/Material"' in body.decode()


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """A server over the mini records with a material whose name carries markup and script."""
    import nakg

    root = tmp_path_factory.mktemp("hostile")
    records = mini_records_naming_nzsp_sc(root, INJECTED)
    built = nakg.build(records_dir=records, out_dir=root / "build")
    with Server(ServeConfig(port=0, workers=1), kg=nakg.load(built.outputs["nt"])) as srv:
        yield srv


@pytest.mark.parametrize("path", ["/resource/material/nzsp-sc", "/Material"])
def test_hostile_values_are_escaped(hostile, path):
    status, _, body = get(hostile, path, BROWSER)
    page = body.decode()
    assert status == 200
    assert "<script>" not in page and "onerror=" not in page.replace("onerror=&quot;", "")
    assert "&lt;script&gt;window.__nakgPwned = 1&lt;/script&gt;" in page
    assert links(body).scripts == 0


def test_pages_in_a_browser(hostile, browser_page):
    """Chromium renders the hostile page without running anything and without a CSP violation."""
    page, errors = browser_page
    failed: list[str] = []
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    page.goto(hostile.url + "/resource/material/nzsp-sc")
    assert page.evaluate("window.__nakgPwned === undefined")
    assert "<script>window.__nakgPwned" in page.inner_text("body")  # shown as text
    page.click('a[href="/Material"]')  # follow a link to the class page
    assert page.url.endswith("/Material") and "instances" in page.inner_text("section.term")
    assert not [e for e in errors if not e.startswith("Failed to load resource")], errors
    assert not [u for u in failed if not u.endswith("/favicon.ico")], failed


@pytest.fixture(scope="module")
def browser_page():
    from pathlib import Path

    from playwright.sync_api import sync_playwright

    chromium = "/usr/bin/chromium"
    assert Path(chromium).exists(), f"{chromium} is missing: apt-get install -y chromium"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, args=["--headless", "--no-sandbox", "--disable-gpu"], headless=True)
        context = b.new_context()
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("dialog", lambda d: (errors.append("dialog: " + d.message), d.dismiss()))
        yield page, errors
        b.close()


def test_page_csp_matches_the_query_page():
    from nakg.serve import server

    assert re.sub(r"\s+", " ", server._PAGE_CSP) == PAGE_CSP


# --- the dataset describes itself ----------------------------------------------------------------------------------------
VOID = "http://rdfs.org/ns/void#"


def test_void_and_dcat(local, built):
    host, port = local.httpd.server_address[:2]
    here = f"http://{host}:{port}/"
    status, headers, body = get(local, "/.well-known/void", "text/turtle")
    assert status == 200 and headers["vary"] == "Accept"
    g = Graph().parse(data=body, format="turtle")
    ds = URIRef(here + "resource/graph")
    built_void = Graph().parse(built.outputs["void"], format="turtle")
    canonical = URIRef(NS + "resource/graph")
    assert int(g.value(ds, URIRef(VOID + "triples"))) == int(built_void.value(canonical, URIRef(VOID + "triples"))) == len(
        built.graph)
    assert int(g.value(ds, URIRef(VOID + "entities"))) > 1000
    assert str(g.value(ds, URIRef(VOID + "sparqlEndpoint"))) == here + "sparql"
    assert g.value(ds, URIRef("http://purl.org/dc/terms/license")) == URIRef("https://creativecommons.org/licenses/by/4.0/")
    assert g.value(ds, URIRef("http://purl.org/dc/terms/source")) == URIRef(here + "resource/review")
    assert g.value(ds, URIRef("http://www.w3.org/2002/07/owl#versionIRI")) is not None
    examples = set(g.objects(ds, URIRef(VOID + "exampleResource")))
    assert URIRef(here + NZSP[1:]) in examples
    for example in examples:  # the examples resolve
        assert get(local, str(example)[len(here) - 1:], BROWSER)[0] == 200
    assert (ds, RDF.type, URIRef("http://www.w3.org/ns/dcat#Dataset")) in g
    # the same description as a page
    status, _, body = get(local, "/.well-known/void", BROWSER)
    assert status == 200 and "nakg: knowledge graph of inorganic sodium-ion solid-state electrolytes" in body.decode()


def test_service_description_at_sparql_without_query(local):
    host, port = local.httpd.server_address[:2]
    status, headers, body = get(local, "/sparql", "text/turtle")
    assert status == 200 and headers["content-type"].startswith("text/turtle")
    g = Graph().parse(data=body, format="turtle")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    service = next(g.subjects(RDF.type, URIRef(sd + "Service")))
    assert g.value(service, URIRef(sd + "endpoint")) == URIRef(f"http://{host}:{port}/sparql")
    assert (service, URIRef(sd + "supportedLanguage"), URIRef(sd + "SPARQL11Query")) in g
    # a query still runs, and a request with parameters but no query is still an error
    assert get(local, "/sparql?query=ASK%7B%7D", "application/sparql-results+json")[0] == 200
    assert get(local, "/sparql?format=csv")[0] == 400
    # in a browser: a page (its format links work); the workbench's footer links here
    status, headers, body = get(local, "/sparql", BROWSER)
    assert status == 200 and headers["content-type"].startswith("text/html") and "nakg SPARQL endpoint" in body.decode()
    assert headers["content-security-policy"] == PAGE_CSP
    for href in (h for h in links(body).hrefs if h.startswith("/sparql?format=")):
        assert get(local, href)[0] == 200, href
