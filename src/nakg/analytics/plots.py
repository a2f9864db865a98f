"""Plots (matplotlib, imported lazily, Agg backend): Arrhenius plot, doping outcomes, best conductivity per family.

Each plot is two steps: ``*_data`` returns exactly what is drawn (so tests compare it with
the tables, not pixels) and the drawing function renders that data to PNG or SVG atomically.
Values follow :mod:`nakg.rules`: room temperature is r.t. or 20–30 °C and is placed at
25 °C (298.15 K); a range stands for its lower end; upper bounds are not drawn.

>>> import nakg
>>> data = families_data(nakg.load())
>>> all(b["sigma_S_cm"] > 0 and b["material"] for b in data["bars"])
True
"""

from __future__ import annotations

import io
import math
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import NakgError
from ..io import atomic_write_bytes
from ..rules import ROOM_TEMPERATURE_K, is_room_temperature, representative

if TYPE_CHECKING:  # pragma: no cover
    from ..core import GraphCore as KnowledgeGraph

__all__ = ["PLOTS", "PLOT_DATA", "plot", "plot_data", "arrhenius_data", "doping_data", "families_data", "render"]

SUPERIONIC_S_CM = 1e-3

_SIGMAS = """
SELECT ?id ?mat ?formula ?family ?v ?min ?q ?t ?tmin ?tmax ?rt ?written
       (GROUP_CONCAT(DISTINCT STR(?n); SEPARATOR=";") AS ?refs) WHERE {
  ?m a nakg:IonicConductivity ; nakg:recordId ?id ; nakg:isMeasurementOf ?x ; nakg:qualifier/nakg:recordKey ?q ;
     nakg:isDerived false .
  ?x nakg:recordId ?mat ; nakg:formula ?formula .
  OPTIONAL { ?x nakg:belongsToFamily/nakg:recordKey ?family }
  OPTIONAL { ?m nakg:canonicalValue ?v } OPTIONAL { ?m nakg:canonicalMin ?min }
  OPTIONAL { ?m nakg:temperatureK ?t } OPTIONAL { ?m nakg:temperatureMinK ?tmin ; nakg:temperatureMaxK ?tmax }
  OPTIONAL { ?m nakg:atRoomTemperature ?rt } OPTIONAL { ?m nakg:temperatureAsWritten ?written }
  OPTIONAL { ?m nakg:citesReference/nakg:referenceNumber ?n }
} GROUP BY ?id ?mat ?formula ?family ?v ?min ?q ?t ?tmin ?tmax ?rt ?written"""

_FAMILIES = """
SELECT ?key ?label ?top ?tlabel WHERE {
  ?f a nakg:ElectrolyteFamily ; nakg:recordKey ?key ; rdfs:label ?label ; (nakg:subFamilyOf)* ?t .
  ?t nakg:recordKey ?top ; rdfs:label ?tlabel . FILTER NOT EXISTS { ?t nakg:subFamilyOf ?above }
}"""


def _families(kg: KnowledgeGraph) -> dict[str, tuple[str, str, str]]:
    """family key → (label, top-level key, top-level label)."""
    return {r["key"]: (r["label"], r["top"], r["tlabel"]) for r in kg.query(_FAMILIES)}


def _conductivities(kg: KnowledgeGraph, family: str | None) -> list[dict]:
    """Stated conductivities (not derived, not upper bounds) with their representative value and temperature."""
    fams = _families(kg)
    members = None
    if family is not None:
        from .summary import family_members

        members = family_members(kg, family)[1]
    out = []
    for r in kg.query(_SIGMAS):
        if r["q"] == "upper_bound":
            continue
        value = representative(r["v"], r["min"])
        if value is None or value <= 0:
            continue
        key = r["family"] or ""
        if members is not None and key not in members:
            continue
        room = is_room_temperature(flagged=bool(r["rt"]), kelvin=r["t"], min_kelvin=r["tmin"], max_kelvin=r["tmax"])
        label, top, tlabel = fams.get(key, (key, key, key))
        out.append({"measurement_id": r["id"], "material_id": r["mat"], "material": r["formula"], "family": key,
                    "family_label": label, "top_family": top, "top_family_label": tlabel, "sigma_S_cm": value,
                    "qualifier": r["q"], "temperature_K": r["t"], "room_temperature": room,
                    "temperature_as_written": r["written"] or "", "references": r["refs"] or ""})
    return sorted(out, key=lambda x: (x["material_id"], x["measurement_id"]))


# --- Arrhenius plot -------------------------------------------------------------------------
def arrhenius_data(kg: KnowledgeGraph, family: str | None = None) -> dict:
    """The points and lines of the Arrhenius plot.

    Every stated conductivity with a single temperature is a point (x = 1000/T, y = log10 σ);
    r.t. values sit at 298.15 K and are flagged ``room``. A material with two or more
    distinct temperatures gets a labelled line. ``left_out`` counts the values not drawn
    and why (no temperature stated, a temperature range).
    """
    points, left_out = [], defaultdict(int)
    for c in _conductivities(kg, family):
        if c["temperature_K"] is not None:
            t = c["temperature_K"]
        elif c["room_temperature"]:
            t = ROOM_TEMPERATURE_K
        else:
            left_out["a temperature range" if c["temperature_as_written"] else "no temperature stated"] += 1
            continue
        points.append({**c, "T_K": t, "x": 1000.0 / t, "y": math.log10(c["sigma_S_cm"]),
                       "room": c["temperature_K"] is None or is_room_temperature(kelvin=c["temperature_K"])})
    by_material: dict[str, list[dict]] = defaultdict(list)
    for p in points:
        by_material[p["material_id"]].append(p)
    lines = []
    for mid, pts in sorted(by_material.items()):
        temps = {round(p["T_K"], 2) for p in pts}
        if len(temps) >= 2:
            pts = sorted(pts, key=lambda p: p["x"])
            lines.append({"material_id": mid, "material": pts[0]["material"], "family_label": pts[0]["family_label"],
                          "x": [p["x"] for p in pts], "y": [p["y"] for p in pts],
                          "measurements": [p["measurement_id"] for p in pts]})
    return {"points": points, "lines": lines, "left_out": dict(left_out), "family": family,
            "threshold_S_cm": SUPERIONIC_S_CM}


def _draw_arrhenius(data: dict, plt):
    fig, ax = plt.subplots(figsize=(8, 5.5))
    on_line = {m for line in data["lines"] for m in line["measurements"]}
    for line in data["lines"]:
        ax.plot(line["x"], line["y"], "-", lw=1.2, marker="o", ms=4, label=line["material"])
    single = [p for p in data["points"] if p["measurement_id"] not in on_line]
    numeric = [p for p in single if not p["room"]]
    room = [p for p in data["points"] if p["room"]]
    if numeric:
        ax.scatter([p["x"] for p in numeric], [p["y"] for p in numeric], s=14, c="grey", label="single temperature")
    if room:
        ax.scatter([p["x"] for p in room], [p["y"] for p in room], s=46, marker="*", c="black", zorder=3,
                   label="room temperature (placed at 25 °C)")
    y = math.log10(data["threshold_S_cm"])
    ax.axhline(y, color="firebrick", lw=0.9, ls="--")
    ax.annotate("1 mS/cm", xy=(ax.get_xlim()[0], y), xytext=(4, 3), textcoords="offset points", ha="left",
                color="firebrick", fontsize=8)
    ax.set_xlabel("1000 / T (1/K)")
    ax.set_ylabel("log10 σ (S/cm)")
    left = ", ".join(f"{n} with {why}" for why, n in sorted(data["left_out"].items()))
    title = "Ionic conductivity vs temperature" + (f" — {data['family']}" if data["family"] else "")
    ax.set_title(title + (f"\n(not drawn: {left})" if left else ""), fontsize=10)
    ax.legend(fontsize=6, ncol=2, loc="lower left")
    return fig


# --- doping plot ----------------------------------------------------------------------------
_TIER_MARKERS = {"stated_values": "o", "stated_factor": "s", "same_work": "D", "arrhenius": "^",
                 "across_works": "v", "temperature_assumed": "P", "different_temperatures": "X"}


def doping_data(kg: KnowledgeGraph, family: str | None = None) -> dict:
    """Every doping with a magnitude (ratio or stated factor), with its tier and comparison temperature,
    and the number of dopings that have a direction only or nothing."""
    from .summary import doping_summary

    outcomes = doping_summary(kg, family=family).outcomes
    rows = []
    for o in outcomes:
        if o.enhancement is None:
            continue
        t = o.temperature_K
        if t is not None:
            where = "25 °C" if abs(t - ROOM_TEMPERATURE_K) < 0.01 else f"{t - 273.15:g} °C"
        elif o.before_temperature and o.after_temperature and o.tier == "different_temperatures":
            where = f"{o.after_temperature} vs host at {o.before_temperature}"
        else:
            where = "temperature not stated"
        rows.append({"doping_id": o.strategy_id, "label": f"{'/'.join(o.dopants)} in {o.host} ({where})",
                     "log10_ratio": o.log_enhancement, "ratio": o.enhancement, "ratio_text": o.ratio_text,
                     "ratio_qualifier": o.ratio_qualifier, "tier": o.tier, "temperature_K": t,
                     "references": ";".join(map(str, o.references))})
    rows.sort(key=lambda r: (r["log10_ratio"], r["doping_id"]))
    return {"rows": rows, "direction_only": sum(o.tier == "direction_only" for o in outcomes),
            "nothing_stated": sum(o.tier == "none" for o in outcomes), "total": len(outcomes), "family": family}


def _draw_doping(data: dict, plt):
    rows = data["rows"]
    fig, ax = plt.subplots(figsize=(8, 0.38 * len(rows) + 2))
    ys = list(range(len(rows)))
    for y, r in zip(ys, rows):
        ax.plot([0, r["log10_ratio"]], [y, y], color="#999", lw=1)
    for tier, marker in _TIER_MARKERS.items():
        sel = [(y, r) for y, r in zip(ys, rows) if r["tier"] == tier]
        if sel:
            ax.scatter([r["log10_ratio"] for _, r in sel], [y for y, _ in sel], marker=marker, s=46, zorder=3,
                       label=tier.replace("_", " "))
    for y, r in zip(ys, rows):
        ax.annotate(r["ratio_text"], (r["log10_ratio"], y), xytext=(6, -3), textcoords="offset points", fontsize=7)
    ax.set_yticks(ys, [r["label"] for r in rows], fontsize=7)
    ax.axvline(0, color="black", lw=0.8)
    ax.set_xlabel("log10 σ(product) / σ(host)  (≥ / ≤: a bound)")
    ax.set_title(f"Doping outcomes with a magnitude: {len(rows)} of {data['total']}\n"
                 f"not drawn: {data['direction_only']} with a direction only, {data['nothing_stated']} with nothing stated",
                 fontsize=10)
    ax.legend(title="evidence tier", fontsize=7, title_fontsize=7, loc="lower right")
    return fig


# --- families plot --------------------------------------------------------------------------
def families_data(kg: KnowledgeGraph) -> dict:
    """The highest stated room-temperature conductivity per top-level family, with the material behind it."""
    best: dict[str, dict] = {}
    for c in _conductivities(kg, None):
        if not c["room_temperature"] or not c["top_family"]:
            continue
        cur = best.get(c["top_family"])
        if cur is None or (c["sigma_S_cm"], c["material"]) > (cur["sigma_S_cm"], cur["material"]):
            best[c["top_family"]] = c
    bars = sorted(({"family": k, "family_label": v["top_family_label"], "subfamily_label": v["family_label"],
                    "material": v["material"], "material_id": v["material_id"], "sigma_S_cm": v["sigma_S_cm"],
                    "measurement_id": v["measurement_id"], "temperature": v["temperature_as_written"] or "r.t.",
                    "qualifier": v["qualifier"], "references": v["references"]} for k, v in best.items()),
                  key=lambda b: (b["sigma_S_cm"], b["family"]))
    without = sorted({lab[2] for key, lab in _families(kg).items() if lab[1] == key} - {b["family_label"] for b in bars})
    return {"bars": bars, "threshold_S_cm": SUPERIONIC_S_CM, "without_room_temperature_value": without}


def _draw_families(data: dict, plt):
    bars = data["bars"]
    fig, ax = plt.subplots(figsize=(8, 0.5 * len(bars) + 1.8))
    floor = 10 ** math.floor(math.log10(min(b["sigma_S_cm"] for b in bars)) - 1) if bars else 1e-8
    ax.barh([b["family_label"] for b in bars], [b["sigma_S_cm"] - floor for b in bars], left=floor, color="#4a7fb5")
    ax.set_xscale("log")
    for i, b in enumerate(bars):
        ax.annotate(f"{b['material']}  {b['sigma_S_cm']:.2g} S/cm ({b['temperature']})", (b["sigma_S_cm"], i),
                    xytext=(4, -3), textcoords="offset points", fontsize=7)
    ax.axvline(data["threshold_S_cm"], color="firebrick", lw=0.9, ls="--")
    ax.annotate("1 mS/cm", (data["threshold_S_cm"], len(bars) - 0.5), xytext=(3, 0), textcoords="offset points",
                color="firebrick", fontsize=8)
    ax.set_xlim(floor, max((b["sigma_S_cm"] for b in bars), default=1) * 200)
    ax.set_xlabel("σ at room temperature (S/cm, log scale)")
    title = "Highest stated room-temperature conductivity per family (subfamilies included)"
    if data["without_room_temperature_value"]:
        title += f"\nno room-temperature value stated: {', '.join(data['without_room_temperature_value'])}"
    ax.set_title(title, fontsize=10)
    return fig


# --- registry -------------------------------------------------------------------------------
PLOT_DATA = {"arrhenius": arrhenius_data, "doping": doping_data, "families": families_data}
_DRAW = {"arrhenius": _draw_arrhenius, "doping": _draw_doping, "families": _draw_families}
PLOTS = PLOT_DATA


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def plot_data(kg: KnowledgeGraph, name: str, family: str | None = None) -> dict:
    """The data plot ``name`` draws (``family`` filters the Arrhenius and doping plots)."""
    try:
        fn = PLOT_DATA[name]
    except KeyError:
        raise NakgError(f"unknown plot '{name}' (known: {', '.join(PLOT_DATA)})") from None
    if name == "families":
        if family is not None:
            raise NakgError("the families plot shows every family; --family applies to the arrhenius and doping plots")
        return fn(kg)
    return fn(kg, family)


def render(name: str, data: dict, fmt: str = "svg") -> bytes:
    """Render plot data to PNG or SVG bytes (SVG without a date, so it is reproducible)."""
    if fmt not in ("png", "svg"):
        raise NakgError(f"plot format must be png or svg, got '{fmt}'")
    plt = _pyplot()
    fig = _DRAW[name](data, plt)
    buf = io.BytesIO()
    fig.savefig(buf, format=fmt, dpi=150, bbox_inches="tight", metadata={"Date": None} if fmt == "svg" else None)
    plt.close(fig)
    return buf.getvalue()


def _count(name: str, data: dict) -> int:
    return len(data["points"] if name == "arrhenius" else data["rows"] if name == "doping" else data["bars"])


def plot(kg: KnowledgeGraph, name: str, path: Path | str, family: str | None = None) -> int:
    """Draw plot ``name`` (arrhenius, doping, families) to ``path`` (.png or .svg); returns the data points drawn."""
    path = Path(path)
    fmt = path.suffix.lstrip(".").lower()
    if fmt not in ("png", "svg"):
        raise NakgError(f"plot output must end in .png or .svg, got '{path.name}'")
    data = plot_data(kg, name, family)
    atomic_write_bytes(path, render(name, data, fmt))
    return _count(name, data)
