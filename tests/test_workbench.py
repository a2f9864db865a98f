"""The query workbench at ``/`` in headless Chromium (Debian's, driven by Playwright): run an example, sort, page,
download, follow an IRI to its page, open a permalink — offline, under the page's strict CSP."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from nakg.serve import ServeConfig, Server

CHROMIUM = "/usr/bin/chromium"
MATERIALS = "SELECT ?m ?label WHERE { ?m a nakg:Material ; rdfs:label ?label }"


@pytest.fixture(scope="module")
def server(kg):
    with Server(ServeConfig(port=0, workers=1), kg=kg) as srv:
        yield srv


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), f"{CHROMIUM} is missing: apt-get install -y chromium"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"], headless=True)
        yield b
        b.close()


class Tab:
    """A page with what it logged, the requests it made and the responses that failed."""

    def __init__(self, browser, server):
        self.server = server
        self.context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.failed: list[str] = []
        self.foreign: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("response", lambda r: self.failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)

        def route(r):
            if r.request.url.startswith((server.url, "blob:", "data:")):
                return r.continue_()
            self.foreign.append(r.request.url)
            return r.abort()

        self.context.route("**/*", route)

    def open(self, path: str = "/"):
        self.page.goto(self.server.url + path)
        return self.page

    def clean(self) -> None:
        assert not self.errors, self.errors
        assert not self.failed, self.failed
        assert not self.foreign, self.foreign


@pytest.fixture
def tab(browser, server):
    t = Tab(browser, server)
    yield t
    t.context.close()


def column(page, index: int) -> list[str]:
    return page.eval_on_selector_all(f"#result-table tbody tr td:nth-child({index})", "cells => cells.map(c => c.textContent)")


def run(page, query: str | None = None) -> None:
    if query is not None:
        page.fill("#query", query)
    page.click("#run")
    page.wait_for_selector("#result-table, #results pre", timeout=30000)


def test_editor_has_prefixes_and_highlighting(tab):
    page = tab.open()
    text = page.input_value("#query")
    assert "PREFIX nakg: <https://w3id.org/nakg/>" in text
    assert page.locator("#highlight .tok-keyword").count() > 3  # SELECT, WHERE … highlighted
    assert "PREFIX" in page.locator("#highlight .tok-keyword").all_inner_texts()
    page.fill("#query", 'SELECT ?x WHERE { ?x rdfs:label "a" } # note')
    page.dispatch_event("#query", "input")
    assert page.locator("#highlight .tok-var").first.inner_text() == "?x"
    assert page.locator("#highlight .tok-string").first.inner_text() == '"a"'
    assert page.locator("#highlight .tok-comment").first.inner_text() == "# note"
    tab.clean()


def test_examples_are_collapsed_and_searchable(tab):
    page = tab.open()
    assert page.locator("#examples details").get_attribute("open") is None
    assert not page.locator("button.example").first.is_visible()  # collapsed: the editor comes first
    total = page.locator("#examples li[data-search]").count()
    assert total >= 30
    page.click("#examples summary")
    page.fill("#example-search", "activation energy")
    shown = page.locator("#examples li[data-search]:not([hidden])")
    assert 0 < shown.count() < total
    assert all("activation" in t.lower() for t in shown.all_inner_texts())
    assert f"of {total}" in page.inner_text("#example-count")
    page.fill("#example-search", "")
    assert page.locator("#examples li[data-search]:not([hidden])").count() == total
    tab.clean()


def test_run_an_example_sort_and_follow_an_iri(tab, kg):
    page = tab.open()
    page.click("#examples summary")
    page.fill("#example-search", "highest conductivity")
    page.locator("#examples li[data-search]:not([hidden]) button.example").first.click()
    assert "PREFIX" in page.input_value("#query")
    run(page)
    assert page.locator("#result-table tbody tr").count() > 0
    # a query with labels: plain values, no language tags; IRIs are links to their pages
    run(page, MATERIALS)
    n = kg.query("SELECT (COUNT(*) AS ?n) WHERE { ?m a nakg:Material ; rdfs:label ?label }")[0]["n"]
    assert f"of {n}" in page.inner_text("#page-info")
    assert not any("@en" in c for c in column(page, 2))
    # sort by label, both ways
    page.click("th button.sort[data-var='label']")
    labels = column(page, 2)
    page.click("th button.sort[data-var='label']")
    reversed_labels = column(page, 2)
    assert labels != reversed_labels and len(labels) == len(reversed_labels) == 50
    ordered = ("xs => xs.every((x, i) => i === 0 || "
               "xs[i - 1].localeCompare(x, undefined, {numeric: true, sensitivity: 'base'}) <= 0)")
    assert page.evaluate(ordered, labels) and page.evaluate(ordered, reversed_labels[::-1])
    assert page.get_attribute("th:has(button[data-var='label'])", "aria-sort") == "descending"
    # pages of 50 rows
    page.click("#next-page")
    assert "rows 51–100" in page.inner_text("#page-info")
    page.click("#prev-page")
    # follow the first IRI to its resource page
    link = page.locator("#result-table tbody a.iri").first
    href = link.get_attribute("href")
    assert href.startswith("/resource/material/")
    link.click()
    page.wait_for_load_state()
    assert page.url == tab.server.url + href
    assert page.locator("h1").count() == 1 and "Facts" in page.inner_text("main")
    tab.clean()


def test_sort_is_numeric_for_numbers(tab):
    page = tab.open()
    run(page, "SELECT ?m ?v WHERE { ?m a nakg:IonicConductivity ; nakg:canonicalValue ?v }")
    page.click("th button.sort[data-var='v']")
    values = [float(v) for v in column(page, 2)]
    assert values == sorted(values) and len(values) > 10
    page.click("th button.sort[data-var='v']")
    values = [float(v) for v in column(page, 2)]
    assert values == sorted(values, reverse=True)
    tab.clean()


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json"])
def test_download(tab, kg, fmt):
    page = tab.open()
    run(page, MATERIALS)
    with page.expect_download() as info:
        page.click(f"#downloads button[data-format='{fmt}']")
    download = info.value
    assert download.suggested_filename == f"nakg-results.{fmt}"
    text = Path(download.path()).read_text(encoding="utf-8")
    n = kg.query("SELECT (COUNT(*) AS ?n) WHERE { ?m a nakg:Material ; rdfs:label ?label }")[0]["n"]
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(text)))
        assert rows[0] == ["m", "label"] and len(rows) == n + 1
    elif fmt == "tsv":
        lines = text.splitlines()
        assert lines[0] == "?m\t?label" and len(lines) == n + 1
    else:
        data = json.loads(text)
        assert data["head"]["vars"] == ["m", "label"] and len(data["results"]["bindings"]) == n
    tab.clean()


def test_permalink(tab, browser, server):
    page = tab.open()
    query = MATERIALS + " ORDER BY ?label LIMIT 7"
    run(page, query)
    url = page.url
    assert "?query=" in url and page.get_attribute("#permalink", "href") in url
    other = Tab(browser, server)
    try:
        fresh = other.page
        fresh.goto(url)
        fresh.wait_for_selector("#result-table")
        assert fresh.input_value("#query") == query
        assert fresh.locator("#result-table tbody tr").count() == 7
        other.clean()
    finally:
        other.context.close()
    tab.clean()


def test_errors_are_shown_as_text(tab):
    page = tab.open()
    run(page, "SELECT ?x WHERE { <script>alert(1)</script> }")
    assert "HTTP 400" in page.inner_text("#status")
    assert page.locator("#results pre.error").count() == 1 and page.locator("#results script").count() == 0
    tab.failed.clear()  # the 400 is the answer under test
    tab.errors[:] = [e for e in tab.errors if "status of 400" not in e]
    tab.clean()
