"""The HTML query page at ``/``: the example queries of ``queries/cq/`` and a form that posts to ``/sparql``.

Everything taken from files or data (query names, questions, query text) is
escaped with :func:`html.escape`; the page has no inline script or style (its
JavaScript and CSS are the files in ``static/``), so the server can send a
strict ``Content-Security-Policy``.

>>> ex = Example("x", "Which <b>?", "SELECT * WHERE { ?s ?p \\"<\\" }")
>>> "&lt;b&gt;" in render_index([ex], triples=3) and "<b>" not in render_index([ex], triples=3)
True
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from html import escape
from pathlib import Path

__all__ = ["Example", "load_examples", "render_index", "STATIC_DIR", "static_files"]

log = logging.getLogger("nakg.serve")

#: The page's JavaScript and CSS.
STATIC_DIR = Path(__file__).resolve().parent / "static"
_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8", ".svg": "image/svg+xml"}
_QUESTION = re.compile(r"^#\s*question:\s*(.*)$", re.IGNORECASE)


@dataclass(frozen=True)
class Example:
    """An example query: its name, the question it answers and the text to run (parameters bound to defaults)."""

    name: str
    question: str
    text: str
    needs: tuple[str, ...] = ()


def _fallback_question(text: str) -> str:
    lines = text.splitlines()
    for i, line in enumerate(lines):
        m = _QUESTION.match(line.strip())
        if m:
            parts = [m.group(1).strip()]
            for more in lines[i + 1:]:  # continuation lines: comments that do not start another field
                more = more.strip()
                if not more.startswith("#") or re.match(r"^#\s*[A-Za-z]+:", more):
                    break
                parts.append(more.lstrip("#").strip())
            return " ".join(p for p in parts if p)
    return ""


def load_examples(folder: Path) -> list[Example]:
    """Every ``*.rq`` file of ``folder`` as an :class:`Example`, sorted by name.

    A query whose parameters all have defaults is shown with them bound (it runs
    as it is); one with a required parameter is shown as written, with the
    parameters named.
    """
    examples = []
    for path in sorted(Path(folder).glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        question, body, needs = _fallback_question(text), text, ()
        try:
            from ..queries import load_query

            q = load_query(path)
            question = q.question or question
            needs = tuple(p.name for p in q.params if p.required)
            if q.params and not needs:
                body = q.bind()
        except Exception as exc:  # noqa: BLE001 - a file the library cannot read is still listed as written
            log.debug("query %s shown as written: %s", path.name, exc)
        examples.append(Example(path.stem, question or path.stem, body, needs))
    return examples


def prefix_block(text: str = "") -> str:
    """``PREFIX`` lines for the graph's prefixes that ``text`` uses and does not declare (all of them for empty text).

    >>> prefix_block("SELECT ?f WHERE { ?m nakg:formula ?f }")
    'PREFIX nakg: <https://w3id.org/nakg/>\\n'
    """
    from ..rdf.namespaces import PREFIXES

    lines = []
    for prefix, ns in PREFIXES.items():
        declared = re.search(rf"(?i)\bPREFIX\s+{prefix}:", text)
        if not declared and (not text or re.search(rf"(?<![\w:]){prefix}:", text)):
            lines.append(f"PREFIX {prefix}: <{ns}>\n")
    return "".join(lines)


def render_index(examples: list[Example], triples: int, explorer: bool = False, endpoint: str = "/sparql") -> str:
    """The query workbench: editor first, then the searchable, collapsed examples."""
    items = []
    for ex in examples:
        needs = f' <span class="needs">needs {escape(", ".join(ex.needs))}</span>' if ex.needs else ""
        text = prefix_block(ex.text) + ex.text
        search = f"{ex.question} {ex.name}".lower()
        items.append(f'<li data-search="{escape(search, quote=True)}"><button type="button" class="example" '
                     f'data-query="{escape(text, quote=True)}">{escape(ex.question)}</button> <code>{escape(ex.name)}</code>'
                     f'{needs}</li>')
    default = "SELECT ?class (COUNT(?x) AS ?n) WHERE { ?x a ?class } GROUP BY ?class ORDER BY DESC(?n)"
    first = examples[0].text if examples else default
    first = escape(prefix_block(first) + first)
    explorer_link = '<a href="/explorer">graph explorer</a> · ' if explorer else ""
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>nakg SPARQL endpoint</title>
<link rel="stylesheet" href="/static/style.css">
<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">
<script src="/static/app.js" defer></script>
</head>
<body>
<header>
<h1>nakg SPARQL endpoint</h1>
<p>Knowledge graph of inorganic sodium-ion solid-state electrolytes: {triples} triples (ontology and data), read-only.
SPARQL 1.1 Protocol endpoint: <code>{escape(endpoint)}</code> (GET or POST). Every IRI of the graph resolves to its
page (<a href="/ontology">ontology</a>, <a href="/.well-known/void">dataset description</a>).</p>
</header>
<main>
<section id="editor">
<h2>Query</h2>
<form id="query-form" method="post" action="{escape(endpoint)}">
<div class="editor"><pre id="highlight" aria-hidden="true"></pre><textarea id="query" name="query" rows="16" spellcheck="false"
 autocapitalize="off" autocomplete="off" aria-label="SPARQL query">{first}</textarea></div>
<p class="actions"><button type="submit" id="run">Run</button> <kbd>Ctrl</kbd>+<kbd>Enter</kbd>
<span id="status" role="status"></span>
<span id="downloads" hidden>Download: <button type="button" data-format="csv">CSV</button>
<button type="button" data-format="tsv">TSV</button> <button type="button" data-format="json">JSON</button></span>
<a id="permalink" href="/" hidden>permalink</a></p>
</form>
<div id="results"></div>
</section>
<section id="examples">
<details>
<summary>Example queries ({len(examples)}) — the competency questions of the library</summary>
<p><input type="search" id="example-search" placeholder="search the examples (e.g. conductivity, NASICON, doping)"
 aria-label="search the examples"> <span id="example-count"></span></p>
<ul>
{chr(10).join(items) if items else '<li>No example queries found.</li>'}
</ul>
</details>
</section>
</main>
<footer><p>{explorer_link}<a href="{escape(endpoint)}">endpoint</a> (its service description) · results are capped and
queries time out; see the README's Security section.</p></footer>
</body>
</html>
"""


def static_files() -> dict[str, tuple[Path, str]]:
    """The files ``/static/<name>`` may serve: exact name → (path, media type). Nothing else is ever opened."""
    return {p.name: (p, _TYPES[p.suffix]) for p in sorted(STATIC_DIR.iterdir()) if p.is_file() and p.suffix in _TYPES}
