"""Offline HTML explorer: one self-contained page to search, filter and browse a view of the graph.

The page (``nakg export html -o explorer.html``) holds everything it needs: the
project's own CSS and JavaScript (:mod:`nakg.export.explorer`, no third-party
library) and the view's data as JSON (:mod:`nakg.export.explorer.data`), with
node positions computed here by networkx (:mod:`nakg.export.explorer.layout`),
so the same graph always gives the same file. It draws the graph on a canvas;
search takes the user's words as :mod:`nakg.resolve` does — a material by formula
(any case, subscripts), alias, name or id, a family with its subfamilies, an
element with how each material contains it — from an index the resolver computes
at export time (:mod:`nakg.export.explorer.search`), says "did you mean" for a
value that names nothing, and then lists nodes whose names contain the text
(``explorer.html?q=NZSP`` opens with a search); filters select a family with its
subfamilies (its materials and their neighbours) and node types; a click shows the
node's facts (for a material, its measurements with value, unit and temperature
as written and the references behind each), highlights its neighbourhood and its
lineage (``derivedFrom`` and doping edges).

Safety and offline use:

* the data is embedded in ``<script type="application/json">`` with every ``<``,
  ``>`` and ``&`` written as a JSON ``\\u`` escape, so no text of the graph can
  close the element; the script inserts text into the page with ``textContent``
  only (never ``innerHTML``);
* a Content-Security-Policy allows nothing but the page's own inline script and
  style (by their SHA-256 hashes): no request can leave the page.

>>> import nakg, tempfile, pathlib
>>> out = pathlib.Path(tempfile.mkdtemp()) / "explorer.html"
>>> counts = export_html(nakg.load(), out, view="cells")
>>> text = out.read_text(encoding="utf-8")
>>> counts["nodes"] > 10, text.startswith("<!DOCTYPE html>"), "default-src 'none'" in text
(True, True, True)
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .files import write_text

if TYPE_CHECKING:  # pragma: no cover
    from ..api import KnowledgeGraph

__all__ = ["export_html", "write", "render", "embed_json", "read_data", "ASSETS"]

#: The package that holds the page's template, style and script.
ASSETS = "nakg.export.explorer"
_MARKER = re.compile(r"@@NAKG_([A-Z]+)@@")
_CLOSERS = re.compile(r"</(script|style)|<!--", re.IGNORECASE)
_DATA = re.compile(r'<script type="application/json" id="nakg-data">(.*?)</script>', re.DOTALL)


def embed_json(data: Any) -> str:
    """``data`` as JSON that is safe inside a ``<script>`` element: ``<``, ``>`` and ``&`` as ``\\u`` escapes.

    >>> embed_json({"label": "</script><b>"})
    '{"label":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e"}'
    >>> json.loads(embed_json({"label": "</script><b>"}))["label"]
    '</script><b>'
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _asset(name: str) -> str:
    text = resources.files(ASSETS).joinpath(name).read_text(encoding="utf-8")
    if name != "template.html" and _CLOSERS.search(text):
        from .registry import ExportError

        raise ExportError(f"{ASSETS}/{name} contains '</script', '</style' or '<!--' and cannot be inlined")
    return text


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def render(data: dict[str, Any], title: str = "nakg explorer") -> str:
    """The explorer page for ``data`` (from :func:`nakg.export.explorer.data.explorer_data`).

    Every marker of the template is replaced in one pass, so text in the data
    can never be taken for a marker.

    >>> page = render({"meta": {"generator": "nakg"}, "nodes": []}, title="<b>")
    >>> "<title>&lt;b&gt;</title>" in page, page.count("<script")
    (True, 2)
    """
    css, js = _asset("explorer.css"), _asset("explorer.js")
    csp = (f"default-src 'none'; script-src {_sha256(js)}; style-src {_sha256(css)}; img-src data:; "
           "base-uri 'none'; form-action 'none'")
    values = {
        "CSP": csp,
        "GENERATOR": html.escape(str(data.get("meta", {}).get("generator", "nakg"))),
        "TITLE": html.escape(title),
        "CSS": css,
        "JS": js,
        "DATA": embed_json(data),
    }
    return _MARKER.sub(lambda m: values[m.group(1)], _asset("template.html"))


def export_html(kg: KnowledgeGraph, path: Path | str, view: str = "whole") -> dict[str, int]:
    """Write the explorer of ``view`` of ``kg`` to ``path`` (atomically); returns ``{"nodes": n, "edges": m}``.

    Raises :class:`~nakg.export.ExportError` for an unknown view.
    """
    from ..views import to_networkx
    from .explorer.data import explorer_data
    from .registry import ExportError

    try:
        graph = to_networkx(kg, view)
    except ValueError as exc:
        raise ExportError(str(exc)) from exc
    data = explorer_data(kg, view, graph=graph)
    write_text(path, render(data, title=f"nakg explorer — {view}"))
    return {"nodes": data["meta"]["nodes"], "edges": data["meta"]["edges"]}


def read_data(path: Path | str) -> dict[str, Any]:
    """The data embedded in an explorer page (for tools and tests that read an export back).

    Raises :class:`~nakg.export.ExportError` when the file holds no explorer data.

    >>> import tempfile, pathlib
    >>> page = pathlib.Path(tempfile.mkdtemp()) / "p.html"
    >>> _ = page.write_text(render({"meta": {"generator": "t"}, "nodes": [{"label": "</script>"}]}), encoding="utf-8")
    >>> read_data(page)["nodes"]
    [{'label': '</script>'}]
    """
    from .registry import ExportError

    match = _DATA.search(Path(path).read_text(encoding="utf-8"))
    if match is None:
        raise ExportError(f"{path} is not a nakg explorer page (no embedded data)")
    return json.loads(match.group(1))


def write(kg: KnowledgeGraph, view: str, path: Path | str) -> dict[str, int]:
    """The registry entry point (``write(kg, view, path)``): see :func:`export_html`."""
    return export_html(kg, path, view=view)
