"""Plots (matplotlib, imported lazily, Agg backend): Arrhenius plot per family, doping outcomes, families.

Each function writes a PNG or SVG atomically and returns the number of data points drawn.
"""

from __future__ import annotations

import io
import math
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import NakgError
from ..io import atomic_write_bytes

if TYPE_CHECKING:  # pragma: no cover
    from ..api import KnowledgeGraph

__all__ = ["PLOTS", "plot"]

_SIGMA_T = """
SELECT ?family ?formula ?v ?t WHERE {
  ?m a nakg:IonicConductivity ; nakg:isMeasurementOf ?mat ; nakg:canonicalValue ?v ; nakg:temperatureK ?t ;
     nakg:qualifier ?q . FILTER(?q IN (nakg:Exact, nakg:Approximate))
  ?mat nakg:formula ?formula ; nakg:belongsToFamily ?f . ?f rdfs:label ?family .
}"""


def _figure():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _save(fig, path: Path) -> None:
    fmt = path.suffix.lstrip(".").lower()
    if fmt not in ("png", "svg"):
        raise NakgError(f"plot output must end in .png or .svg, got '{path.name}'")
    buf = io.BytesIO()
    fig.savefig(buf, format=fmt, dpi=150, bbox_inches="tight", metadata={"Date": None} if fmt == "svg" else None)
    atomic_write_bytes(path, buf.getvalue())


def arrhenius(kg: KnowledgeGraph, path: Path) -> int:
    """log10 σ against 1000/T for every stated conductivity with a numeric temperature, one colour per family."""
    plt = _figure()
    by_family: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for r in kg.query(_SIGMA_T):
        by_family[r["family"]].append((1000.0 / r["t"], math.log10(r["v"])))
    fig, ax = plt.subplots(figsize=(7, 5))
    n = 0
    for family, pts in sorted(by_family.items()):
        xs, ys = zip(*sorted(pts))
        ax.scatter(xs, ys, label=family, s=28)
        n += len(pts)
    ax.set_xlabel("1000 / T (1/K)")
    ax.set_ylabel("log10 σ (S/cm)")
    ax.set_title("Stated ionic conductivities with a numeric temperature")
    ax.axhline(-3, color="grey", lw=0.8, ls="--")
    ax.legend(fontsize=7, ncol=2)
    _save(fig, path)
    plt.close(fig)
    return n


def doping(kg: KnowledgeGraph, path: Path) -> int:
    """log10 enhancement of each doping/additive with a known gain (hatched: across works or derived)."""
    from .outcomes import doping_outcomes

    plt = _figure()
    rows = [o for o in doping_outcomes(kg) if o.log_enhancement is not None]
    rows.sort(key=lambda o: o.log_enhancement)
    fig, ax = plt.subplots(figsize=(7, 0.35 * len(rows) + 1.5))
    labels = [f"{'/'.join(o.dopants)} in {o.host}" for o in rows]
    bars = ax.barh(labels, [o.log_enhancement for o in rows],
                   color=["#2a7" if o.log_enhancement > 0 else "#c44" for o in rows])
    for bar, o in zip(bars, rows):
        if o.derived or o.comparison.endswith("across works"):
            bar.set_hatch("//")
    ax.axvline(0, color="black", lw=0.8)
    ax.set_xlabel("log10 σ(product) / σ(host)")
    ax.set_title("Doping outcomes (hatched: across works or Arrhenius-normalised)")
    _save(fig, path)
    plt.close(fig)
    return len(rows)


def families(kg: KnowledgeGraph, path: Path) -> int:
    """Highest stated room-temperature conductivity per family."""
    from ..tables import table

    plt = _figure()
    best: dict[str, float] = {}
    for m in table(kg, "measurements"):
        room = m["room_temperature"] or (m["temperature_K"] is not None and 293.15 <= m["temperature_K"] <= 303.15)
        if m["property"] == "ionic_conductivity" and m["family"] and room and m["canonical_value"]:
            best[m["family"]] = max(best.get(m["family"], 0.0), m["canonical_value"])
    items = sorted(best.items(), key=lambda kv: kv[1])
    fig, ax = plt.subplots(figsize=(7, 0.4 * len(items) + 1.5))
    ax.barh([k for k, _ in items], [math.log10(v) for _, v in items])
    ax.axvline(-3, color="grey", lw=0.8, ls="--")
    ax.set_xlabel("log10 σ at room temperature (S/cm)")
    ax.set_title("Best stated room-temperature conductivity per family")
    _save(fig, path)
    plt.close(fig)
    return len(items)


PLOTS = {"arrhenius": arrhenius, "doping": doping, "families": families}


def plot(kg: KnowledgeGraph, name: str, path: Path | str) -> int:
    """Draw plot ``name`` (arrhenius, doping, families) to ``path`` (.png or .svg)."""
    try:
        fn = PLOTS[name]
    except KeyError:
        raise NakgError(f"unknown plot '{name}' (known: {', '.join(PLOTS)})") from None
    return fn(kg, Path(path))
