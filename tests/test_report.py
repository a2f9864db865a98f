"""The one-page doping report: what it contains, that it escapes every value, and that it opens offline
in a real browser (Debian's Chromium through Playwright, as the explorer's tests)."""

from __future__ import annotations

import dataclasses
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from nakg.analytics import doping_summary
from nakg.analytics.report import render_report

from .conftest import run_cli

HOSTILE = '<script>window.__nakgPwned = 1</script><img src="https://example.invalid/x.png" onerror="window.__nakgPwned = 2">| *x* [l](https://example.invalid) `c`'
CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="module")
def summary(kg):
    return doping_summary(kg)


@pytest.fixture(scope="module")
def hostile(summary):
    """The review's dopings plus one whose host, product and dopant carry markup."""
    base = summary.outcomes[0]
    evil = dataclasses.replace(base, strategy_id="evil-" + base.strategy_id, host=HOSTILE, product=HOSTILE,
                               dopants=[HOSTILE], assumption=HOSTILE)
    return dataclasses.replace(summary, outcomes=summary.outcomes + [evil])


class _Cells(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.rows: dict[str, int] = {}
        self._table = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append((tag, a))
        if tag == "table":
            self._table = a.get("data-name", "")
            self.rows[self._table] = 0
        if tag == "tr" and self._table is not None:
            self.rows[self._table] += 1


def test_html_report_escapes_every_value(kg, hostile):
    text = render_report(hostile, kg.table("references"), "html")
    assert "<script" not in text and 'onerror="' not in text
    assert "&lt;script&gt;window.__nakgPwned = 1&lt;/script&gt;" in text
    parser = _Cells()
    parser.feed(text)
    assert {t for t, _ in parser.tags} <= {"html", "head", "meta", "title", "style", "body", "h1", "h2", "p", "ul", "li",
                                           "table", "thead", "tbody", "tr", "th", "td", "figure", "img", "figcaption"}
    assert parser.rows["outcomes"] == len(hostile.outcomes) + 1  # header + one row per doping, the hostile one included
    assert parser.rows["ranking"] == len(hostile.ranking) + 1


def test_markdown_report_escapes_every_value(kg, hostile):
    text = render_report(hostile, kg.table("references"), "md")
    assert "<script" not in text and "<img" not in text
    assert not re.search(r"(?<!\\)\]\(https://example", text)  # no link: its brackets are escaped
    rows = [line for line in text.splitlines() if line.startswith("| ") and "evil-" in line]
    assert len(rows) == 1
    header = next(line for line in text.splitlines() if line.startswith("| doping\\_id | host | product | dopants | tier |"))
    unescaped = re.compile(r"(?<!\\)\|")
    assert len(unescaped.findall(rows[0])) == len(unescaped.findall(header))  # the pipe in the data stays in its cell


def test_report_contents_match_the_outcomes(kg, summary, tmp_path):
    out = tmp_path / "doping.md"
    result = run_cli("report", "doping", "-o", str(out))
    assert result.returncode == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    for o in summary.outcomes:
        assert o.strategy_id.replace("_", "\\_") in text
    assert summary.ranking.footer.split(":")[0] in text  # "ranked on N of M dopings"
    assert text.count("](data:image/png;base64,") == 3
    cited = {n for o in summary.outcomes for n in o.references}
    assert cited and all(f"\\[{n}\\]" in text for n in cited)
    sulfide = tmp_path / "sulfide.html"
    result = run_cli("report", "doping", "--family", "sulfide", "-o", str(sulfide))
    assert result.returncode == 0, result.stderr
    n = len(doping_summary(kg, family="sulfide").outcomes)
    assert f"({n} dopings)" in result.stdout and 0 < n < len(summary.outcomes)
    result = run_cli("report", "doping", "-o", str(tmp_path / "doping.pdf"))
    assert result.returncode == 1 and "must end in .html or .md" in result.stderr
    assert not (tmp_path / "doping.pdf").exists()


def test_html_report_opens_offline_in_a_browser(kg, hostile, tmp_path):
    from playwright.sync_api import sync_playwright

    from nakg.analytics.plots import plot_data, render

    images = [("Doping outcomes", render("doping", plot_data(kg, "doping"), "svg"), "image/svg+xml"),
              ("Families", render("families", plot_data(kg, "families"), "png"), "image/png")]
    page_file = tmp_path / "report.html"
    page_file.write_text(render_report(hostile, kg.table("references"), "html", images), encoding="utf-8")
    assert Path(CHROMIUM).exists(), f"{CHROMIUM} is missing: apt-get install -y chromium"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                                    args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        context = browser.new_context()
        page = context.new_page()
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(("file:", "data:"))
                      else route.abort())
        page.goto(page_file.resolve().as_uri())
        page.wait_for_load_state("load")
        widths = page.evaluate("Array.from(document.images).map(i => i.complete ? i.naturalWidth : 0)")
        pwned = page.evaluate("window.__nakgPwned === undefined")
        rows = page.evaluate("document.querySelectorAll('table[data-name=outcomes] tbody tr').length")
        shown = page.evaluate("document.body.innerText")
        browser.close()
    assert len(widths) == 2 and all(w > 100 for w in widths)
    assert pwned and rows == len(hostile.outcomes)
    assert "<script>window.__nakgPwned = 1</script>" in shown  # shown as text
    assert [u for u in requests if not u.startswith(("file:", "data:"))] == []
