"""The offline HTML explorer (``nakg.export.html``): the page, its data and its behaviour in headless Chromium.

The browser tests drive Debian's ``/usr/bin/chromium`` through Playwright (the
PyPI package; no browser download). Every request that is not ``file:`` or
``data:`` is aborted and recorded, and each test asserts none was made.
A screenshot of the whole graph is saved in the test's tmp folder and, when
``NAKG_TEST_ARTIFACTS`` names a folder, copied there.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import os
import re
import shutil
import time
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path

import pytest

from .conftest import mini_records_naming_nzsp_sc

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
NZSP = "https://w3id.org/nakg/resource/material/na3zr2si2po12"
INJECTED = ('<script>window.__nakgPwned = 1</script>'
            '<img src="https://example.invalid/x.png" onerror="window.__nakgPwned = 2"> NZSP-Sc')


# ---- fixtures -----------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def whole_view(kg):
    return kg.to_networkx("whole")


@pytest.fixture(scope="module")
def whole_page(kg, tmp_path_factory):
    """The explorer of the whole graph, written once; returns its path and the export's wall time."""
    from nakg.export.html import export_html

    path = tmp_path_factory.mktemp("explorer") / "explorer.html"
    start = time.perf_counter()
    counts = export_html(kg, path)
    return path, counts, time.perf_counter() - start


@pytest.fixture(scope="module")
def whole_data(whole_page):
    from nakg.export.html import read_data

    data = read_data(whole_page[0])
    assert data == json.loads(_Page.parse(whole_page[0].read_text(encoding="utf-8")).data)
    return data


@pytest.fixture(scope="module")
def mini_page(tmp_path_factory):
    """The explorer of the mini fixture records, one material named with markup."""
    import nakg
    from nakg.export.html import export_html

    root = tmp_path_factory.mktemp("mini-explorer")
    records = mini_records_naming_nzsp_sc(root, INJECTED)
    built = nakg.build(records_dir=records, out_dir=root / "build")
    page = root / "explorer.html"
    export_html(nakg.load(built.outputs["nt"]), page)
    return page


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), f"{CHROMIUM} is missing: apt-get install -y chromium"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


class Opened:
    """A page opened offline, with what it logged and every request it tried."""

    def __init__(self, browser, path: Path):
        self.context = browser.new_context(viewport={"width": 1400, "height": 900})
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type in ("error", "warning") else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("dialog", lambda d: (self.errors.append("dialog: " + d.message), d.dismiss()))
        self.context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(("file:", "data:"))
                           else route.abort())
        start = time.perf_counter()
        self.page.goto(path.resolve().as_uri())
        self.page.wait_for_selector("body[data-ready='true']", timeout=15000)
        self.seconds = time.perf_counter() - start

    def body(self, name: str) -> str:
        return self.page.evaluate(f"document.body.dataset.{name}")

    def canvas(self, name: str) -> str:
        self.page.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
        return self.page.evaluate(f"document.getElementById('graph').dataset.{name}")

    def search_and_open(self, query: str, node_id: str | None = None) -> None:
        self.page.fill("#search", query)
        target = f"#results button[data-node='{node_id}']" if node_id else "#results li button"
        self.page.locator(target).first.click()

    def offline_requests(self) -> list[str]:
        return [u for u in self.requests if not u.startswith(("file:", "data:"))]


@pytest.fixture
def opened(browser, whole_page):
    page = Opened(browser, whole_page[0])
    yield page
    page.context.close()


class _Page(HTMLParser):
    """Collects the tags, attributes and script/style contents of a page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.scripts: list[tuple[dict, str]] = []
        self.styles: list[str] = []
        self._in: tuple[str, dict] | None = None

    @classmethod
    def parse(cls, text: str) -> _Page:
        page = cls()
        page.feed(text)
        page.close()
        return page

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag in ("script", "style"):
            self._in = (tag, attrs)
            if tag == "script":
                self.scripts.append((attrs, ""))
            else:
                self.styles.append("")

    def handle_endtag(self, tag):
        self._in = None

    def handle_data(self, data):
        if self._in and self._in[0] == "script":
            attrs, text = self.scripts[-1]
            self.scripts[-1] = (attrs, text + data)
        elif self._in and self._in[0] == "style":
            self.styles[-1] += data

    @property
    def data(self) -> str:
        return next(text for attrs, text in self.scripts if attrs.get("type") == "application/json")


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


# ---- the file ---------------------------------------------------------------------------------------------

def test_page_is_self_contained(whole_page):
    text = whole_page[0].read_text(encoding="utf-8")
    page = _Page.parse(text)
    names = {tag for tag, _ in page.tags}
    assert not names & {"link", "img", "iframe", "object", "embed", "audio", "video", "source", "base", "form"}
    fetching = [(tag, a) for tag, attrs in page.tags for a in attrs if a in ("src", "href", "srcset", "action", "poster")]
    assert fetching == []
    assert [attrs.get("type") for attrs, _ in page.scripts] == ["application/json", None]
    csp = next(attrs["content"] for tag, attrs in page.tags
               if tag == "meta" and attrs.get("http-equiv") == "Content-Security-Policy")
    assert "default-src 'none'" in csp
    assert f"script-src {_sha256(page.scripts[1][1])};" in csp  # only the page's own script may run
    assert f"style-src {_sha256(page.styles[0])};" in csp


def test_embedded_data_cannot_close_its_element(whole_page):
    raw = whole_page[0].read_text(encoding="utf-8")
    start = raw.index('<script type="application/json" id="nakg-data">') + len('<script type="application/json" id="nakg-data">')
    payload = raw[start:raw.index("</script>", start)]
    assert "<" not in payload and ">" not in payload and "&" not in payload
    assert json.loads(payload)["meta"]["view"] == "whole"


@pytest.mark.parametrize("label", ["</script><script>alert(1)</script>", "<!-- x", "a & b > c", "]]>\u2028\u2029", "@@NAKG_JS@@"])
def test_embed_json_round_trips_markup(label):
    from nakg.export.html import embed_json, render

    text = embed_json({"label": label})
    assert "<" not in text and ">" not in text
    assert json.loads(text) == {"label": label}
    page = render({"meta": {"generator": "t"}, "label": label})
    assert page.count("<script") == 2 and page.count("</script>") == 2  # the marker-like label was not expanded


@pytest.mark.parametrize("sink", ["innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function",
                                  "fetch(", "XMLHttpRequest", "WebSocket", "EventSource", "sendBeacon", "import(",
                                  "setAttribute(\"on"])
def test_script_uses_no_html_sink_or_network(sink):
    js = resources.files("nakg.export.explorer").joinpath("explorer.js").read_text(encoding="utf-8")
    assert sink not in js


def test_data_matches_the_view(whole_page, whole_data, whole_view, kg):
    _, counts, _ = whole_page
    assert counts == {"nodes": whole_view.number_of_nodes(), "edges": whole_view.number_of_edges()}
    assert [n["id"] for n in whole_data["nodes"]] == sorted(whole_view.nodes)
    assert len(whole_data["edges"]) == whole_view.number_of_edges()
    assert all(math.isfinite(n["x"]) and math.isfinite(n["y"]) for n in whole_data["nodes"])
    lineage = kg.to_networkx("lineage")
    assert len(whole_data["lineage"]) == lineage.number_of_edges()  # every lineage node is in the whole view
    nzsp = next(n for n in whole_data["nodes"] if n["id"] == NZSP)
    props = [p["name"] for p in whole_data["props"]]
    facts = {(props[p], v) for p, v in nzsp["facts"]}
    assert {("formula", "Na3Zr2Si2PO12"), ("altLabel", "NZSP"), ("belongsToFamily", "NASICON")} <= facts
    clusters = {c["name"] for c in whole_data["clusters"]}
    assert {"NASICON", "sulfide", "halide", "complex hydride", "Literature"} <= clusters


def test_layout_does_not_depend_on_insertion_order(kg):
    import networkx as nx

    from nakg.export.explorer.layout import layout

    view = kg.to_networkx("family:nasicon")
    reversed_view = nx.MultiDiGraph()
    reversed_view.add_nodes_from(reversed(list(view.nodes(data=True))))
    reversed_view.add_edges_from(reversed(list(view.edges(keys=True, data=True))))
    first, second = layout(view), layout(reversed_view)
    assert first.positions == second.positions and first.clusters == second.clusters
    assert len(set(first.positions.values())) > 0.95 * len(first.positions)  # nodes are spread, not stacked


def test_unknown_view_is_an_export_error(kg, tmp_path):
    from nakg.export import ExportError
    from nakg.export.html import write

    with pytest.raises(ExportError, match="unknown view 'nope'"):
        write(kg, "nope", tmp_path / "x.html")
    assert not (tmp_path / "x.html").exists()


# ---- in the browser ------------------------------------------------------------------------------------------

def test_whole_graph_loads_offline_and_draws_every_node(opened, whole_view, whole_page, tmp_path):
    n = whole_view.number_of_nodes()
    assert opened.body("nodeCount") == str(n)
    assert opened.canvas("drawnNodes") == str(n)  # fitted to the screen: every node is painted
    assert int(opened.canvas("drawnEdges")) > 1000
    assert opened.errors == []
    assert opened.offline_requests() == []
    draw_ms = []
    opened.page.check("#show-secondary")  # every edge of the view
    for step in (-300, -300, 300, 300):
        opened.page.mouse.move(700, 450)
        opened.page.mouse.wheel(0, step)
        draw_ms.append(float(opened.canvas("drawMs")))
    assert opened.canvas("drawnEdges") == str(whole_view.number_of_edges())
    assert max(draw_ms) < 250  # a frame of the whole graph, edges and all, stays interactive
    opened.page.uncheck("#show-secondary")
    opened.page.click("#fit")
    shot = tmp_path / "explorer-whole.png"
    opened.page.screenshot(path=str(shot))
    assert shot.stat().st_size > 20_000
    metrics = {"nodes": n, "edges": whole_view.number_of_edges(), "bytes": whole_page[0].stat().st_size,
               "export_s": round(whole_page[2], 2), "open_s": round(opened.seconds, 3),
               "load_ms": int(opened.body("loadMs")), "init_ms": int(opened.body("initMs")), "draw_ms_max": max(draw_ms)}
    (tmp_path / "explorer-metrics.json").write_text(json.dumps(metrics, indent=1))
    assert metrics["load_ms"] < 10_000
    if os.environ.get("NAKG_TEST_ARTIFACTS"):
        out = Path(os.environ["NAKG_TEST_ARTIFACTS"])
        out.mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, out / shot.name)
        shutil.copy(tmp_path / "explorer-metrics.json", out / "explorer-metrics.json")


def test_search_finds_nzsp_and_shows_its_conductivity_with_references(opened):
    opened.search_and_open("Na3Zr2Si2PO12")
    assert opened.body("selected") == NZSP
    assert opened.page.text_content("#details h2") == "Na3Zr2Si2PO12"
    # review, sections 1 and 2.2.2: 6.7 × 10^-4 S/cm at 25 °C (r.t.) for Na3Zr2Si2PO12 [37,38]
    card = opened.page.locator("#measurements .card", has_text="25 °C")
    assert card.count() == 1
    text = card.text_content()
    assert re.search(r"(6\.7e-4|0\.00067) S/cm", text)
    assert "[37] H. Hong" in text and "[38] J. Goodenough" in text and "Mat. Res. Bull." in text
    assert opened.page.locator("#measurements .card", has_text="300 °C").count() == 1  # 0.2 S/cm at 300 °C
    assert opened.errors == [] and opened.offline_requests() == []


def test_search_by_abbreviation_ranks_the_exact_match_first(opened):
    opened.page.fill("#search", "nzsp")
    first = opened.page.locator("#results li button").first
    assert first.get_attribute("data-node") == NZSP


def test_neighbourhood_and_lineage_are_highlighted(opened, whole_view, kg):
    import networkx as nx

    opened.search_and_open("Na3Zr2Si2PO12", NZSP)
    neighbours = set(whole_view.successors(NZSP)) | set(whole_view.predecessors(NZSP))
    assert opened.body("highlightedCount") == str(1 + len(neighbours - {NZSP}))
    lineage = kg.to_networkx("lineage")
    family = {NZSP} | nx.ancestors(lineage, NZSP) | nx.descendants(lineage, NZSP)
    opened.page.click("#lineage-toggle")
    assert opened.body("lineageCount") == str(len(family))
    children = opened.page.locator("#lineage li").all_text_contents()
    assert any("NZSP-0.2Cu" in c for c in children)  # Cu-doped NZSP, derived from Na3Zr2Si2PO12
    opened.page.locator("#lineage button", has_text="NZSP-0.2Cu").first.click()
    assert opened.body("selected") == "https://w3id.org/nakg/resource/material/nzsp-0.2cu"
    assert opened.errors == []


def test_family_and_type_filters(opened, kg, whole_view):
    family = kg.to_networkx("family:nasicon")
    label = "NASICON"
    value = opened.page.evaluate(
        f"[...document.querySelectorAll('#family option')].find(o => o.textContent.startsWith('{label} (')).value")
    opened.page.select_option("#family", value)
    assert opened.body("visibleCount") == str(family.number_of_nodes())
    assert opened.canvas("drawnNodes") == str(family.number_of_nodes())
    opened.page.click("#reset")
    references = sum(1 for _, d in whole_view.nodes(data=True) if d["type"] == "Reference")
    opened.page.click("#types details[data-group='Literature'] summary span")  # unfold the group
    opened.page.uncheck("#types input[data-type='Reference']")
    assert opened.body("visibleCount") == str(whole_view.number_of_nodes() - references)
    assert opened.canvas("drawnNodes") == str(whole_view.number_of_nodes() - references)
    assert opened.errors == []


def test_the_offline_guard_sees_a_request(browser, tmp_path):
    """The harness itself: a page without the explorer's policy that loads a remote image is caught."""
    path = tmp_path / "leaky.html"
    path.write_text('<!DOCTYPE html><body data-ready="true"><img src="https://example.invalid/x.png"></body>')
    opened = Opened(browser, path)
    try:
        opened.page.wait_for_load_state("load")
        assert opened.offline_requests() == ["https://example.invalid/x.png"]
    finally:
        opened.context.close()


@pytest.mark.parametrize("view", ["lineage", "dopant-host", "cells", "family:nasicon"])
def test_every_view_opens_with_all_its_nodes(browser, kg, tmp_path, view):
    from nakg.export.html import write

    path = tmp_path / "explorer.html"
    counts = write(kg, view, path)
    graph = kg.to_networkx(view)
    assert counts == {"nodes": graph.number_of_nodes(), "edges": graph.number_of_edges()}
    opened = Opened(browser, path)
    try:
        assert opened.canvas("drawnNodes") == str(graph.number_of_nodes())
        assert opened.errors == [] and opened.offline_requests() == []
    finally:
        opened.context.close()


def test_markup_in_a_label_is_shown_as_text(browser, mini_page):
    opened = Opened(browser, mini_page)
    try:
        opened.search_and_open("script")
        assert opened.page.text_content("#details h2") == INJECTED
        assert opened.page.evaluate("window.__nakgPwned") is None
        assert opened.page.evaluate("document.scripts.length") == 2
        assert opened.page.locator("#details img, #results img").count() == 0
        opened.page.fill("#search", "script")
        assert opened.page.text_content("#results li button span") == INJECTED
        assert opened.errors == [] and opened.offline_requests() == []
    finally:
        opened.context.close()


# ---- reading the picture: labels, fitting, edges, links -----------------------------------------------------

def _boxes_overlap(a, b) -> bool:
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


def test_labels_never_overlap_and_stay_on_the_canvas(opened):
    opened.page.mouse.move(700, 450)
    for _ in range(4):  # zoom in until labels of every kind are drawn in a dense area
        opened.page.mouse.wheel(0, -300)
    boxes = json.loads(opened.canvas("labels"))
    width, height = opened.page.evaluate("[document.getElementById('graph').clientWidth, document.getElementById('graph').clientHeight]")
    assert len(boxes) >= 10
    assert all(b[0] >= 0 and b[1] >= 0 and b[0] + b[2] <= width + 0.1 and b[1] + b[3] <= height + 0.1 for b in boxes)
    assert not [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:] if _boxes_overlap(a, b)]
    assert opened.errors == []


def test_filtering_to_a_family_fits_the_view_to_it(opened, kg):
    whole_zoom = float(opened.canvas("zoom"))
    value = opened.page.evaluate(
        "[...document.querySelectorAll('#family option')].find(o => o.textContent.startsWith('NASICON (')).value")
    opened.page.select_option("#family", value)
    family = kg.to_networkx("family:nasicon").number_of_nodes()
    assert opened.canvas("drawnNodes") == str(family) and float(opened.canvas("zoom")) > whole_zoom  # fitted to the family and its neighbours
    opened.page.click("#reset")
    assert float(opened.canvas("zoom")) == pytest.approx(whole_zoom, rel=1e-3)


def test_lineage_edges_are_drawn_apart_and_the_legend_names_them(browser, kg, tmp_path):
    from nakg.export.html import write

    path = tmp_path / "lineage.html"
    write(kg, "lineage", path)
    opened = Opened(browser, path)
    try:
        edges = kg.to_networkx("lineage").number_of_edges()
        assert opened.canvas("drawnLineageEdges") == opened.canvas("drawnEdges") == str(edges)
        legend = opened.page.locator("#edge-legend li")
        assert legend.count() == 4 and "lineage: doping and derivation" in legend.all_text_contents()
        assert opened.errors == []
    finally:
        opened.context.close()


def test_links_lists_have_no_stray_commas(opened):
    opened.search_and_open("Na3Zr2Si2PO12", NZSP)
    cells = opened.page.locator("#links td")
    assert cells.count() >= 3
    for cell in cells.all():
        items = cell.locator("ul.inline-links > li")
        assert items.count() == cell.locator("button.link[data-node]").count() >= 1
        assert all(not t.strip().startswith(",") and not t.strip().endswith(",") and t.strip() for t in items.all_text_contents())
        text = cell.inner_text()
        assert ", ," not in text and not text.strip().startswith(",") and not text.strip().endswith(",")
    assert opened.errors == []


# ---- search in the user's words: the resolver's answers, in the page ------------------------------------------

#: Text a user might paste: every white space Python's str.split knows, sub- and superscripts, ligatures,
#: full-width letters, characters whose case folding is not their lower case, combining marks, astral ones.
HOSTILE = [
    "Na₃Zr₂Si₂PO₁₂", " na3zr2si2po12 ", "NA3ZR2SI2PO12", "Na3 Zr2\tSi2\nP O12", "Na⁺ Cl⁻", "Na₊₋⁺⁻x²³",
    "Straße", "STRASSE", "ẞ", "ΣΑΣ", "ας", "ﬁ ﬂ ﬃ", "ＮＺＳＰ", "ＮＡＳＩＣＯＮ", "K", "Å", "İstanbul", "ꭰꭱ Ꭰ",
    "e\u0301", "é", "Ǆ ǅ ǆ", "½ ① ㎠", "Na-β''-alumina", "Na-β/β''-Al₂O₃", "P2-type   layered_oxide", "layered-oxide",
    "\u00a0nzsp\u2009", "\u3000NZSP\u3000", "\x1c\x1d\x1e\x1fx\x85\u2028\u2029\u202f\u205f\u1680", "x\ufeffy",
    "\u200bzero\u200bwidth", "🔋 Na", "𝐍𝐚𝟑", "ᴺᵃ", "ß̂", "ﬅ", "ŉ", "ǰ", "ΐ", "ﬀ", "Ⅻ", "µ", "ſ", "ı", "K", "\u0345",
    "nakg:NASICONFamily", "<https://w3id.org/nakg/NASICONFamily>", "", "   ",
]


@pytest.fixture(scope="module")
def search_page(browser, whole_page):
    page = Opened(browser, whole_page[0])
    yield page
    page.context.close()


def test_page_and_python_apply_one_spelling_rule(search_page):
    from nakg.resolve import _key_form, normalize

    got = search_page.page.evaluate("xs => xs.map(x => [nakgExplorer.normalize(x), nakgExplorer.keyForm(x)])", HOSTILE)
    assert len(got) == len(HOSTILE) >= 40
    assert [tuple(g) for g in got] == [(normalize(x), _key_form(x)) for x in HOSTILE]


def test_page_reads_formulas_as_python(search_page, kg):
    from nakg.export.explorer.search import _composition_key
    from nakg.resolve import _composition, resolver

    texts = sorted({t for m in resolver(kg).materials_by_id.values() for t in (m.formula, m.label, *m.aliases)})
    texts += ["Na3Zr2Si2O12P", "Na₃Zr₂Si₂O₁₂P", "Na3SbS4·9H2O", "Na4/3Zr", "(NaCl)2", "Na[Zr(PO4)]3", "Na3-xHxOCl",
              "NaCl)", "(NaCl", "()", "Na0", "Na.5", "Na1/0", "Na1/2/3", "Xx2", "2NaCl", "2", "Na 3 P S 4", "·", "Na·"]
    got = search_page.page.evaluate("xs => xs.map(x => nakgExplorer.composition(x))", texts)
    expected = [_composition_key(_composition(t)) for t in texts]
    assert len(texts) > 200 and sum(e is not None for e in expected) > 100
    assert [(t, g) for t, g in zip(texts, got, strict=True)] == [(t, e) for t, e in zip(texts, expected, strict=True)]


TYPOS = [("material", "nzps"), ("material", "Na3Zr2Si2PO13"), ("material", "NaCrO3"), ("family", "nasicn"),
         ("family", "oxide"), ("family", "sulfides"), ("family", "nakg:Nasicon"), ("element", "calcum"), ("element", "Xx")]


def test_page_suggests_as_python(search_page, kg):
    from nakg import resolve
    from nakg.errors import UnknownValue

    expected = []
    for kind, typed in TYPOS:
        with pytest.raises(UnknownValue) as info:
            {"material": resolve.resolver(kg).materials, "family": resolve.family, "element": resolve.element}[kind](typed)
        expected.append(info.value.suggestions)
    got = search_page.page.evaluate("xs => xs.map(([k, v]) => nakgExplorer.suggest(v, k))", [list(t) for t in TYPOS])
    assert any(expected) and got == expected


def _api_answers(kg, typed: str) -> dict[str, list[str] | None]:
    """What the Python API answers for ``typed`` as each kind: the sorted record ids, or None (UnknownValue)."""
    from nakg.errors import UnknownValue

    out = {}
    for kind, call in (("Material", lambda: kg.materials(formula=typed)), ("Family", lambda: kg.materials(family=typed)),
                       ("Element", lambda: kg.materials(element=typed))):
        try:
            out[kind] = sorted(m["id"] for m in call())
        except UnknownValue:
            out[kind] = None
    return out


SEARCHES = [  # (typed, the kind it must find)
    ("Na₃Zr₂Si₂PO₁₂", "Material"), ("na3zr2si2po12", "Material"), ("NA3ZR2SI2PO12", "Material"), ("NZSP", "Material"),
    ("nzsp", "Material"), ("Na3Zr2Si2O12P", "Material"), ("NA3PS4", "Material"), ("na3ps4", "Material"),
    ("Ca-doped NZSP (NZSP-0.1Ca)", "Material"), ("https://w3id.org/nakg/resource/material/nzsp-0.1ca", "Material"),
    ("nasicon", "Family"), ("NASICON", "Family"), ("nakg:NASICONFamily", "Family"), ("sulfide", "Family"),
    ("layered-oxide", "Family"), ("Na3PnS4 type", "Family"), ("beta alumina", "Family"),
    ("Ca", "Element"), ("calcium", "Element"), ("sc", "Element"), ("Sb", "Element"), ("Zr", "Element"),
]


@pytest.mark.parametrize(("typed", "kind"), SEARCHES)
def test_search_finds_what_the_api_finds(search_page, kg, typed, kind):
    page = search_page.page
    page.fill("#search", typed)
    answers = _api_answers(kg, typed)
    assert answers[kind]
    shown = {k: json.loads(page.evaluate(f"document.body.dataset.answer{k} || 'null'")) for k in answers}
    assert shown == answers  # every kind the API resolves, and no other
    listed = set(page.locator("#results button[data-node]").evaluate_all("bs => bs.map(b => b.dataset.node)"))
    assert {f"https://w3id.org/nakg/resource/material/{i}" for i in answers[kind]} <= listed
    assert page.locator("#results li.answer").first.is_visible()
    assert page.evaluate("document.body.dataset.answerUnknown || null") is None
    assert search_page.errors == []


def test_element_answers_say_how_the_material_contains_it(search_page, kg):
    search_page.page.fill("#search", "Ca")
    button = f"#results button[data-node='{NZSP.rsplit('/', 1)[0]}/nzsp-0.1ca']"
    text = search_page.page.locator(button).first.text_content()
    assert "via doping" in text
    first = search_page.page.locator("#results li.answer").first.text_content()
    assert first.startswith("element Ca (Calcium): ") and f"{len(kg.materials(element='Ca'))} materials" in first


@pytest.mark.parametrize(("typed", "suggestion"), [("nasicn", "family ‘nasicon’"), ("nzps", "material ‘NZSP’"),
                                                   ("oxide", "‘layered_oxide’"), ("calcum", "element ‘Ca’")])
def test_a_value_that_names_nothing_shows_did_you_mean(search_page, kg, typed, suggestion):
    page = search_page.page
    page.fill("#search", typed)
    assert set(_api_answers(kg, typed).values()) == {None}  # the API knows none of them either
    message = page.locator("#results li.unknown")
    assert message.count() == 1 and message.is_visible()
    text = message.text_content()
    assert f"“{typed}”" in text and suggestion in text and "Did you mean" in text
    assert page.evaluate("document.body.dataset.answerUnknown") == text
    page.keyboard.press("Escape")


@pytest.mark.parametrize("family", ["sulfide", "beta_alumina", "complex_hydride"])
def test_family_filter_and_search_include_subfamilies_as_the_view_does(search_page, kg, family):
    page = search_page.page
    view = kg.to_networkx(f"family:{family}").number_of_nodes()
    page.select_option("#family", page.evaluate(f"document.querySelector('#family option[data-family={family}]').value"))
    assert search_page.body("visibleCount") == str(view)
    page.click("#reset")
    assert search_page.body("visibleCount") == str(kg.to_networkx("whole").number_of_nodes())
    page.fill("#search", family.replace("_", " ").upper())
    page.click("#results li.answer button.show-family")
    assert search_page.body("visibleCount") == str(view)
    page.click("#reset")


@pytest.mark.parametrize(("query", "dataset", "needle"), [
    ("Na%E2%82%83Zr%E2%82%82Si%E2%82%82PO%E2%82%81%E2%82%82", "answerMaterial", "na3zr2si2po12"),  # Na₃Zr₂Si₂PO₁₂
    ("nasicn", "answerUnknown", "family ‘nasicon’"),
])
def test_a_link_with_q_opens_with_its_answer(browser, whole_page, query, dataset, needle):
    """``explorer.html?q=…`` (and ``/explorer?q=…`` from ``nakg serve``) opens with the search answered."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(whole_page[0].resolve().as_uri() + "?q=" + query)
        page.wait_for_selector("body[data-ready='true']", timeout=15000)
        assert needle in page.evaluate(f"document.body.dataset.{dataset}")
        assert page.locator("#results").is_visible()
    finally:
        context.close()


def test_the_served_explorer_answers_a_search_link(browser, kg):
    """``nakg serve``'s ``/explorer?q=…`` in Chromium: the same index, the same answer as the API."""
    from nakg.serve.server import ServeConfig, Server

    with Server(ServeConfig(port=0, workers=1), kg=kg) as srv:
        host, port = srv.httpd.server_address[:2]
        context = browser.new_context()
        try:
            page = context.new_page()
            page.goto(f"http://{host}:{port}/explorer?q=calcium", timeout=120_000)
            page.wait_for_selector("body[data-ready='true']", timeout=60_000)
            found = json.loads(page.evaluate("document.body.dataset.answerElement"))
            assert found == sorted(m["id"] for m in kg.materials(element="Ca")) and len(found) >= 5
        finally:
            context.close()
