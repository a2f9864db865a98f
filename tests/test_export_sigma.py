"""The graphology export drawn by sigma.js 3 and 4 in headless Chromium, with sigma's defaults.

sigma.js is a WebGL renderer: the export is only as good as what sigma draws from
its ``x``, ``y``, ``size`` and ``label``. sigma 3 reads sizes as screen pixels, sigma 4
(``itemSizesReference: "positions"``) as graph units, where the export's first
layout drew discs covering the canvas. Each view is drawn by both versions
(npm ``sigma@3`` as ``sigma3`` and ``sigma@4``, pinned in
``tests/readers/package-lock.json``) from their UMD bundles with graphology's, on a
1000 × 700 canvas, through ``tests/readers/sigma_render.js``; the page loads nothing
from the network. Chromium is Debian's, WebGL by SwiftShader. A missing reader
skips, except under ``CI=true``, where it fails. A screenshot per drawing is kept in
the test's tmp folder and, when ``NAKG_TEST_ARTIFACTS`` names a folder, copied there.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import statistics
from pathlib import Path

import pytest

from nakg.export import export

from .test_export_readers import NODE_MODULES, READERS, need

CHROMIUM = "/usr/bin/chromium"
#: WebGL without a GPU: ANGLE on SwiftShader, which Chromium only enables for WebGL when told to.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--use-angle=swiftshader", "--enable-unsafe-swiftshader",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
WIDTH, HEIGHT = 1000, 700
#: npm package folder -> the sigma.js major version it holds (package.json: "sigma3": "npm:sigma@3...").
SIGMAS = {"sigma3": 3, "sigma": 4}
VIEWS = ["whole", "lineage", "family:nasicon"]


def _version(package: str) -> str:
    return json.loads((NODE_MODULES / package / "package.json").read_text(encoding="utf-8"))["version"]


@pytest.fixture(scope="module")
def browser():
    need(Path(CHROMIUM).exists(), f"Chromium ({CHROMIUM}, Debian chromium)")
    need(all((NODE_MODULES / p / "dist" / "sigma.min.js").exists() for p in SIGMAS)
         and (NODE_MODULES / "graphology" / "dist" / "graphology.umd.min.js").exists(),
         "sigma.js 3 and 4 and graphology in tests/readers/node_modules (npm ci)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture(scope="module")
def exports(kg, tmp_path_factory):
    """Each view's graphology export and its node and edge counts."""
    folder = tmp_path_factory.mktemp("sigma")
    out = {}
    for view in VIEWS:
        path = export(kg, "graphology", folder / f"{view.replace(':', '-')}.json", view=view).path
        graph = kg.to_networkx(view)
        out[view] = (json.loads(path.read_text(encoding="utf-8")), graph.number_of_nodes(), graph.number_of_edges())
    return out


def draw(browser, package: str, doc: dict, shot: Path) -> tuple[dict, list[str]]:
    """Draw ``doc`` with the sigma.js in ``package``; returns sigma_render.js's report and the page's errors."""
    context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT})
    page = context.new_page()
    errors: list[str] = []
    requests: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))
    context.route("**/*", lambda route: route.abort())
    try:
        page.set_content(f"<body style='margin:0;background:#fff'><div id='graph' style='width:{WIDTH}px;"
                         f"height:{HEIGHT}px'></div></body>")
        webgl = page.evaluate("!!document.createElement('canvas').getContext('webgl2')")
        assert webgl, f"no WebGL2 in headless Chromium with {CHROMIUM_ARGS}"
        for script in (NODE_MODULES / "graphology" / "dist" / "graphology.umd.min.js",
                       NODE_MODULES / package / "dist" / "sigma.min.js", READERS / "sigma_render.js"):
            page.add_script_tag(path=str(script))
        seen = page.evaluate("doc => nakgSigma(doc, 'graph')", doc)
        page.screenshot(path=str(shot))
    finally:
        context.close()
    assert requests == [], f"the page fetched {requests[:3]}"
    if os.environ.get("NAKG_TEST_ARTIFACTS"):
        out = Path(os.environ["NAKG_TEST_ARTIFACTS"])
        out.mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, out / shot.name)
    return seen, errors


def _overlap(a: list, b: list, font: float) -> bool:
    """Whether two drawn labels' boxes meet: sigma writes a label right of its disc, centred on the disc's y."""
    boxes = [(x + r + 3, y - font / 2, x + r + 3 + w, y + font / 2) for _, x, y, r, w in (a, b)]
    (l1, t1, r1, b1), (l2, t2, r2, b2) = boxes
    return l1 < r2 and l2 < r1 and t1 < b2 and t2 < b1


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("package", list(SIGMAS))
def test_sigma_draws_the_graphology_export_readably(browser, exports, package, view, tmp_path):
    doc, n, m = exports[view]
    major = SIGMAS[package]
    assert int(_version(package).split(".")[0]) == major
    seen, errors = draw(browser, package, doc, tmp_path / f"sigma{major}-{view.replace(':', '-')}.png")
    assert errors == []
    assert (seen["nodes"], seen["edges"]) == (n, m) and n >= 50
    assert seen["drawn"] == n, "every node is drawn inside the canvas"
    assert (seen["width"], seen["height"]) == (WIDTH, HEIGHT)
    assert seen["settings"]["itemSizesReference"] == ("screen" if major == 3 else "positions")

    # discs are small against the canvas: not the canvas-covering discs of sizes read as graph units
    radii = seen["radii"]
    assert statistics.median(radii) < 0.02 * WIDTH and max(radii) < 0.05 * WIDTH
    assert min(radii) >= 1, "every node is visible"
    assert sum(math.pi * r * r for r in radii) < 0.35 * WIDTH * HEIGHT

    # positions spread over the canvas (sigma fits them to it, keeping their aspect), each node in its own place
    xs, ys = zip(*seen["positions"])
    spread = ((max(xs) - min(xs)) / WIDTH, (max(ys) - min(ys)) / HEIGHT)
    assert max(spread) > 0.8 and min(spread) > 0.3, spread
    cells = {(int(x // 50), int(y // 50)) for x, y in seen["positions"]}  # 20 x 14 cells of 50 px
    assert len(cells) >= 20, len(cells)
    assert len({(round(x), round(y)) for x, y in seen["positions"]}) >= 0.95 * n

    # sigma's label grid draws labels, not all on top of each other (long labels in dense clusters do overlap)
    labels = seen["labels"]
    clear = [a for a in labels if not any(_overlap(a, b, seen["settings"]["labelSize"]) for b in labels if b is not a)]
    print(f"sigma {_version(package)} {view}: {n} nodes, {m} edges, median radius {statistics.median(radii):.1f} px, "
          f"{len(cells)} cells, {len(labels)} labels, {len(clear)} clear")
    assert len(labels) >= 5 and len(clear) >= max(5, 0.3 * len(labels)), (len(labels), len(clear))


def test_sigma4_reads_sizes_in_graph_units(browser, exports, tmp_path):
    """The reported failure, reproduced: the same sizes on positions 14 times closer (a unit grid) cover the canvas.

    This is what the size check above tells apart: sigma 4 scales sizes with the positions, sigma 3 does not.
    """
    doc, n, _ = exports["lineage"]
    shrunk = json.loads(json.dumps(doc))
    for node in shrunk["nodes"]:
        node["attributes"]["x"] /= 14
        node["attributes"]["y"] /= 14
    radii = {}
    for package, major in SIGMAS.items():
        seen, errors = draw(browser, package, shrunk, tmp_path / f"sigma{major}-unit-grid.png")
        assert errors == [] and seen["drawn"] == n
        radii[major] = statistics.median(seen["radii"])
    assert radii[4] > 0.02 * WIDTH > radii[3], radii
