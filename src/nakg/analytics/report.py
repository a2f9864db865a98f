"""The one-page doping report (HTML or Markdown): the ranking and what it rests on, the top dopings per
evidence tier, every doping's outcome, the strategy-graph analyses, the plots and the references.

The page is self-contained (plots embedded as data URIs, no script, no external style or
font), so it opens offline and can be sent as one file. Every value taken from the graph
is escaped for the output format.

>>> import nakg
>>> text = doping_report(nakg.load(), fmt="md", plots=False)
>>> text.startswith("# Doping strategies")
True
"""

from __future__ import annotations

import base64
import html
import re
from typing import TYPE_CHECKING, Callable

from ..errors import NakgError
from .outcomes import TIERS
from .summary import DopingSummary, doping_summary

if TYPE_CHECKING:  # pragma: no cover
    from ..core import GraphCore as KnowledgeGraph

__all__ = ["REPORT_FORMATS", "doping_report", "render_report", "write_doping_report"]

_RANKING_COLUMNS = ("dimension", "value", "dopings", "raised", "lowered", "unchanged", "undetermined",
                    "median_log10_ratio", "bounds", "per_tier", "best_example", "best_references")
_OUTCOME_COLUMNS = ("doping_id", "host", "product", "dopants", "tier", "direction", "sigma_before_S_cm",
                    "before_temperature", "sigma_after_S_cm", "after_temperature", "ratio_text", "ratio_derived",
                    "assumption", "reason", "references")
_MECH_COLUMNS = ("family", "mechanism", "dopings", "raised", "with_magnitude", "median_log10_ratio", "best_example")
_PAIR_COLUMNS = ("dopant", "site", "families", "dopings", "raised", "evidence")


def _top_per_tier(summary: DopingSummary, n: int = 5) -> list[tuple[str, list[dict]]]:
    out = []
    for tier in TIERS:
        if not tier.magnitude:
            continue
        rows = [r for r in summary.outcome_rows if r["tier"] == tier.key]
        rows.sort(key=lambda r: -(r["log10_ratio"] or 0))
        if rows:
            out.append((tier.label, rows[:n]))
    return out


# --- escaping and blocks per format ---------------------------------------------------------
def _cell(v) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, float):
        return f"{v:.4g}"
    return str(v)


_MD_SPECIAL = re.compile(r"([\\`*_\[\]#+!|~>])")


def _md(text) -> str:
    """Markdown-safe text: HTML entities for <, > and &, backslash before Markdown punctuation, no newlines."""
    t = html.escape(_cell(text), quote=False).replace("\n", " ").replace("\r", " ")
    return _MD_SPECIAL.sub(r"\\\1", t)


class _Markdown:
    ext = "md"

    def title(self, text: str) -> str:
        return f"# {_md(text)}\n"

    def heading(self, text: str) -> str:
        return f"\n## {_md(text)}\n"

    def para(self, text: str) -> str:
        return f"\n{_md(text)}\n"

    def table(self, rows: list[dict], cols: tuple[str, ...], name: str = "") -> str:
        if not rows:
            return "\n(none)\n"
        out = ["", "| " + " | ".join(_md(c) for c in cols) + " |", "|" + "---|" * len(cols)]
        out += ["| " + " | ".join(_md(r.get(c)) for c in cols) + " |" for r in rows]
        return "\n".join(out) + "\n"

    def items(self, lines: list[str]) -> str:
        return "\n" + "\n".join(f"- {_md(x)}" for x in lines) + "\n"

    def image(self, alt: str, data: bytes, mime: str) -> str:
        return f"\n![{_md(alt)}](data:{mime};base64,{base64.b64encode(data).decode('ascii')})\n"

    def document(self, body: list[str], title: str) -> str:
        return "".join(body)


class _Html(_Markdown):
    ext = "html"

    def title(self, text: str) -> str:
        return f"<h1>{html.escape(text)}</h1>\n"

    def heading(self, text: str) -> str:
        return f"<h2>{html.escape(text)}</h2>\n"

    def para(self, text: str) -> str:
        return f"<p>{html.escape(text)}</p>\n"

    def table(self, rows: list[dict], cols: tuple[str, ...], name: str = "") -> str:
        if not rows:
            return "<p>(none)</p>\n"
        head = "".join(f"<th>{html.escape(c)}</th>" for c in cols)
        body = "".join("<tr>" + "".join(f"<td>{html.escape(_cell(r.get(c)))}</td>" for c in cols) + "</tr>\n" for r in rows)
        attr = f' data-name="{html.escape(name)}"' if name else ""
        return f"<table{attr}><thead><tr>{head}</tr></thead><tbody>\n{body}</tbody></table>\n"

    def items(self, lines: list[str]) -> str:
        return "<ul>" + "".join(f"<li>{html.escape(x)}</li>" for x in lines) + "</ul>\n"

    def image(self, alt: str, data: bytes, mime: str) -> str:
        return (f'<figure><img alt="{html.escape(alt)}" src="data:{mime};base64,{base64.b64encode(data).decode("ascii")}">'
                f"<figcaption>{html.escape(alt)}</figcaption></figure>\n")

    def document(self, body: list[str], title: str) -> str:
        style = ("body{font-family:sans-serif;max-width:1200px;margin:2em auto;padding:0 1em;color:#222}"
                 "table{border-collapse:collapse;font-size:12px;margin:.5em 0}td,th{border:1px solid #ccc;padding:2px 5px;"
                 "vertical-align:top}th{background:#eee}img{max-width:100%}figcaption{font-size:12px;color:#555}")
        return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:; style-src 'unsafe-inline'\">"
                f"<title>{html.escape(title)}</title><style>{style}</style></head><body>\n" + "".join(body) + "</body></html>\n")


REPORT_FORMATS: dict[str, Callable[[], _Markdown]] = {"html": _Html, "md": _Markdown}


def render_report(summary: DopingSummary, references: list[dict], fmt: str = "html",
                  images: list[tuple[str, bytes, str]] | None = None, version: str = "") -> str:
    """Render a :class:`DopingSummary` (and the reference list) as one HTML or Markdown page."""
    try:
        w = REPORT_FORMATS[fmt]()
    except KeyError:
        raise NakgError(f"unknown report format '{fmt}' (known: {', '.join(REPORT_FORMATS)})") from None
    scope = f" — {summary.family}" if summary.family else ""
    title = f"Doping strategies and ionic conductivity{scope}"
    b = [w.title(title)]
    b.append(w.para("From the nakg knowledge graph of the review of inorganic Na-ion solid-state electrolytes"
                    + (f" (nakg {version})" if version else "") + ". Ratios are σ(product)/σ(host) computed by nakg "
                    "(derived) unless the review states the factor; each row names its evidence tier."))
    b.append(w.heading("Evidence"))
    b.append(w.para(summary.outcomes_footer))
    b.append(w.items([f"{t.key}: {t.label} — {summary.tier_counts[t.key]} dopings" + (" (trusted)" if t.trusted else "")
                      for t in TIERS]))
    b.append(w.heading("Strategy ranking"))
    b.append(w.table([s.as_dict() for s in summary.ranking], _RANKING_COLUMNS, "ranking"))
    b.append(w.para(summary.ranking_footer))
    b.append(w.heading("Top dopings per evidence tier"))
    for label, rows in _top_per_tier(summary):
        b.append(w.para(label))
        b.append(w.table(rows, ("doping_id", "host", "product", "dopants", "ratio_text", "before_temperature",
                                "after_temperature", "assumption", "references")))
    for alt, data, mime in images or []:
        b.append(w.image(alt, data, mime))
    b.append(w.heading("Mechanisms by family (strategy graph)"))
    b.append(w.table(summary.network.get("mechanisms_by_family", []), _MECH_COLUMNS))
    b.append(w.heading("Dopant–site pairs recurring across families"))
    b.append(w.table(summary.network.get("recurring_dopant_sites", []), _PAIR_COLUMNS))
    b.append(w.heading("Every doping's outcome"))
    b.append(w.table(summary.outcome_rows, _OUTCOME_COLUMNS, "outcomes"))
    cited = {int(n) for r in summary.outcome_rows for n in str(r["references"]).split(";") if n.strip().isdigit()}
    b.append(w.heading("References"))
    refs = [r for r in references if r["number"] in cited]
    b.append(w.items([f"[{r['number']}] {r['authors']}{' et al.' if r.get('et_al') else ''}, {r['journal']} "
                      f"{r['volume']} ({r['year']}) {r['pages']}".replace(" ,", ",").strip() for r in refs]))
    return w.document(b, title)


def doping_report(kg: KnowledgeGraph, family: str | None = None, fmt: str = "html", plots: bool = True,
                  tiers: str | None = None) -> str:
    """The doping report of the graph (or of one family) as HTML or Markdown text."""
    return _report(kg, family, fmt, plots, tiers)[0]


def _report(kg: KnowledgeGraph, family: str | None, fmt: str, plots: bool, tiers: str | None) -> tuple[str, int]:
    from ..version import __version__

    summary = doping_summary(kg, family=family, tiers=tiers)
    images = []
    if plots:
        from .plots import plot_data, render

        mime, kind = ("image/svg+xml", "svg") if fmt == "html" else ("image/png", "png")
        images.append(("Doping outcomes by evidence tier", render("doping", plot_data(kg, "doping", family), kind), mime))
        images.append(("Ionic conductivity against 1000/T", render("arrhenius", plot_data(kg, "arrhenius", family), kind), mime))
        if family is None:
            images.append(("Best room-temperature conductivity per family",
                           render("families", plot_data(kg, "families"), kind), mime))
    from ..tables import table

    return render_report(summary, table(kg, "references"), fmt, images, __version__), len(summary.outcomes)


def write_doping_report(kg: KnowledgeGraph, path, family: str | None = None, tiers: str | None = None) -> int:
    """Write the report to ``path`` (``.html`` or ``.md``, atomically); returns the number of dopings in it."""
    from pathlib import Path

    from ..io import atomic_write_text

    path = Path(path)
    fmt = path.suffix.lstrip(".").lower()
    if fmt not in REPORT_FORMATS:
        raise NakgError(f"report output must end in .html or .md, got '{path.name}'")
    text, n = _report(kg, family, fmt, True, tiers)
    atomic_write_text(path, text)
    return n
