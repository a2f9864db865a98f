"""Tidy tables of the graph, produced by SPARQL over the built graph (not from the YAML).

One row per fact, one column per variable, canonical units beside the values as
written — ready for pandas or a spreadsheet. Tables plug into :data:`TABLES`.

>>> import nakg
>>> rows = table(nakg.load(), "measurements")
>>> {"material_id", "property", "canonical_value", "references"} <= set(rows[0])
True
"""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

from .errors import QueryError

if TYPE_CHECKING:  # pragma: no cover
    from .api import KnowledgeGraph

__all__ = ["TABLES", "table", "render", "FORMATS"]

PROV = """
  OPTIONAL { SELECT ?x (GROUP_CONCAT(DISTINCT STR(?n); SEPARATOR=";") AS ?refs)
             WHERE { ?x nakg:citesReference/nakg:referenceNumber ?n } GROUP BY ?x }
  OPTIONAL { SELECT ?x (GROUP_CONCAT(DISTINCT ?sn; SEPARATOR=";") AS ?sections)
             WHERE { ?x nakg:statedInSection/nakg:sectionNumber ?sn } GROUP BY ?x }
  OPTIONAL { SELECT ?x (GROUP_CONCAT(DISTINCT ?nt; SEPARATOR=" | ") AS ?note)
             WHERE { ?x nakg:curationNote ?nt } GROUP BY ?x }
"""

MEASUREMENTS = """
SELECT ?x ?id ?subject ?subject_id ?subject_kind ?formula ?family ?property ?value ?min ?max ?unit ?cvalue ?cmin ?cmax
       ?cunit ?qualifier ?tk ?tmin ?tmax ?twritten ?rt ?contribution ?basis ?derived ?conditions ?refs ?sections ?note WHERE {
  ?x a ?cls ; nakg:isMeasurementOf ?s ; nakg:unit/nakg:recordKey ?unit ; nakg:qualifier/nakg:recordKey ?qualifier ;
     nakg:isDerived ?derived .
  ?cls nakg:recordKey ?property .
  OPTIONAL { ?x nakg:recordId ?id }
  ?s rdfs:label ?subject .
  OPTIONAL { ?s nakg:recordId ?subject_id }
  OPTIONAL { ?s nakg:formula ?formula }
  OPTIONAL { ?s nakg:belongsToFamily/nakg:recordKey ?family }
  OPTIONAL { ?s a ?skind . VALUES ?skind { nakg:Material nakg:Cell nakg:CrystalStructure nakg:InterfaceModification
                                           nakg:PhaseTransition nakg:CyclingResult } }
  BIND(REPLACE(STR(?skind), "^.*/", "") AS ?subject_kind)
  OPTIONAL { ?x nakg:numericValue ?value } OPTIONAL { ?x nakg:minValue ?min } OPTIONAL { ?x nakg:maxValue ?max }
  OPTIONAL { ?x nakg:canonicalValue ?cvalue } OPTIONAL { ?x nakg:canonicalMin ?cmin } OPTIONAL { ?x nakg:canonicalMax ?cmax }
  OPTIONAL { ?x nakg:canonicalUnitOf/nakg:recordKey ?cunit }
  OPTIONAL { ?x nakg:temperatureK ?tk } OPTIONAL { ?x nakg:temperatureMinK ?tmin } OPTIONAL { ?x nakg:temperatureMaxK ?tmax }
  OPTIONAL { ?x nakg:temperatureAsWritten ?twritten } OPTIONAL { ?x nakg:atRoomTemperature ?rt }
  OPTIONAL { ?x nakg:contribution/nakg:recordKey ?contribution } OPTIONAL { ?x nakg:basis/nakg:recordKey ?basis }
  OPTIONAL { ?x nakg:conditions ?conditions }
""" + PROV + "}"


def _c(value) -> str:
    """Kelvin → °C text with a sensible precision (empty for None)."""
    return "" if value is None else f"{round(value - 273.15, 2):g}"


def _refs(text: str | None) -> str:
    return ";".join(str(n) for n in sorted({int(x) for x in text.split(";")})) if text else ""


def _sections(text: str | None) -> str:
    def key(s: str):
        return [int(p) if p.isdigit() else -1 for p in s.split(".")]

    return ";".join(sorted(set(text.split(";")), key=key)) if text else ""


def _measurements(kg: KnowledgeGraph) -> list[dict]:
    rows = []
    for r in kg.query(MEASUREMENTS):
        rows.append({
            "measurement_id": r["id"] or r["x"].rsplit("/resource/", 1)[-1],
            "subject": r["subject"], "subject_id": r["subject_id"] or "", "subject_kind": r["subject_kind"] or "",
            "material_formula": r["formula"] or "", "material_id": r["subject_id"] if r["formula"] else "",
            "family": r["family"] or "", "property": r["property"],
            "value": r["value"], "value_min": r["min"], "value_max": r["max"], "unit": r["unit"],
            "canonical_value": r["cvalue"], "canonical_min": r["cmin"], "canonical_max": r["cmax"],
            "canonical_unit": r["cunit"] or "", "qualifier": r["qualifier"],
            "temperature_K": r["tk"], "temperature_min_K": r["tmin"], "temperature_max_K": r["tmax"],
            "temperature_C": _c(r["tk"]), "temperature_as_written": r["twritten"] or "",
            "room_temperature": bool(r["rt"]), "contribution": r["contribution"] or "", "basis": r["basis"] or "",
            "derived": bool(r["derived"]), "conditions": r["conditions"] or "",
            "references": _refs(r["refs"]), "sections": _sections(r["sections"]), "note": r["note"] or "",
        })
    return sorted(rows, key=lambda r: (r["family"], r["subject_id"], r["property"], r["measurement_id"]))


DOPINGS = """
SELECT ?x ?id ?host ?host_id ?product ?product_id ?family ?valence ?outcome ?basis ?before ?after ?refs ?sections ?note
       (GROUP_CONCAT(DISTINCT ?sub; SEPARATOR="; ") AS ?substitutions)
       (GROUP_CONCAT(DISTINCT ?mech; SEPARATOR=";") AS ?mechanisms) WHERE {
  ?x a nakg:Doping ; nakg:recordId ?id ; nakg:hasHost ?h ; nakg:hasProduct ?p ;
     nakg:valenceType/nakg:recordKey ?valence ; nakg:basis/nakg:recordKey ?basis .
  ?h nakg:formula ?host ; nakg:recordId ?host_id . ?p nakg:formula ?product ; nakg:recordId ?product_id .
  OPTIONAL { ?p nakg:belongsToFamily/nakg:recordKey ?family }
  OPTIONAL { ?x nakg:outcome/nakg:recordKey ?outcome }
  OPTIONAL { ?x nakg:hasSubstitution/rdfs:label ?sub }
  OPTIONAL { ?x nakg:hasMechanism/nakg:recordKey ?mech }
  OPTIONAL { ?x nakg:comparesBefore/nakg:recordId ?before } OPTIONAL { ?x nakg:comparesAfter/nakg:recordId ?after }
""" + PROV + "} GROUP BY ?x ?id ?host ?host_id ?product ?product_id ?family ?valence ?outcome ?basis ?before ?after ?refs ?sections ?note"


def _dopings(kg: KnowledgeGraph) -> list[dict]:
    from .analytics.outcomes import doping_outcomes

    outcomes = {o.strategy_id: o for o in doping_outcomes(kg)}
    rows = []
    for r in kg.query(DOPINGS):
        o = outcomes.get(r["id"])
        rows.append({
            "doping_id": r["id"], "host": r["host"], "host_id": r["host_id"], "product": r["product"],
            "product_id": r["product_id"], "family": r["family"] or "", "substitutions": r["substitutions"] or "",
            "valence": r["valence"], "mechanisms": ";".join(sorted((r["mechanisms"] or "").split(";"))).strip(";"),
            "outcome": r["outcome"] or "", "basis": r["basis"],
            # the doping-outcome columns come from nakg.analytics.outcomes (one per doping, with its evidence tier)
            "tier": o.tier if o else "none", "direction": o.direction if o else "undetermined",
            "sigma_before_S_cm": o.sigma_before if o else None, "sigma_after_S_cm": o.sigma_after if o else None,
            "enhancement": o.enhancement if o else None,
            "log10_enhancement": round(o.log_enhancement, 4) if o and o.log_enhancement is not None else None,
            "ratio_qualifier": o.ratio_qualifier if o else "",
            "temperature_K": o.temperature_K if o else None, "temperature_C": _c(o.temperature_K if o else None),
            "comparison": o.comparison if o else "", "derived": bool(o and o.ratio_derived),
            "assumption": o.assumption if o else "",
            "delta_Ea_eV": round(o.delta_ea, 4) if o and o.delta_ea is not None else None,
            "references": _refs(r["refs"]), "sections": _sections(r["sections"]), "note": r["note"] or "",
        })
    return sorted(rows, key=lambda r: (r["family"], r["host_id"], r["doping_id"]))


SYNTHESES = """
SELECT ?x ?id ?material ?material_id ?family ?refs ?sections ?note
       (GROUP_CONCAT(DISTINCT ?route; SEPARATOR=";") AS ?routes) (GROUP_CONCAT(DISTINCT ?add; SEPARATOR=";") AS ?additives)
       (GROUP_CONCAT(DISTINCT ?pre; SEPARATOR=";") AS ?precursors) (GROUP_CONCAT(DISTINCT ?imp; SEPARATOR=";") AS ?impurities)
       (GROUP_CONCAT(DISTINCT ?eff; SEPARATOR=";") AS ?effects) (GROUP_CONCAT(DISTINCT ?out; SEPARATOR=";") AS ?outcomes)
       (SAMPLE(?solv) AS ?solvent) (MAX(?stk) AS ?max_temperature_K) WHERE {
  ?x a nakg:Synthesis ; nakg:recordId ?id ; nakg:producesMaterial ?m . ?m nakg:formula ?material ; nakg:recordId ?material_id .
  OPTIONAL { ?m nakg:belongsToFamily/nakg:recordKey ?family }
  OPTIONAL { ?x nakg:usesRoute/nakg:recordKey ?route } OPTIONAL { ?x nakg:usesAdditive/nakg:formula ?add }
  OPTIONAL { ?x nakg:usesPrecursor/nakg:formula ?pre } OPTIONAL { ?x nakg:formsImpurity/nakg:formula ?imp }
  OPTIONAL { ?x nakg:hasEffect/nakg:recordKey ?eff } OPTIONAL { ?x nakg:hasOutcome/rdfs:label ?out }
  OPTIONAL { ?x nakg:usesSolvent/nakg:formula ?solv }
  OPTIONAL { ?x nakg:hasStep ?st . { ?st nakg:temperatureK ?stk } UNION { ?st nakg:temperatureMaxK ?stk } }
""" + PROV + "} GROUP BY ?x ?id ?material ?material_id ?family ?refs ?sections ?note"

STEPS = """
SELECT ?x ?order ?kind ?t ?d ?a WHERE {
  ?x a nakg:Synthesis ; nakg:hasStep ?s . ?s nakg:stepOrder ?order ; nakg:stepKind/nakg:recordKey ?kind .
  OPTIONAL { ?s nakg:temperatureAsWritten ?t } OPTIONAL { ?s nakg:durationAsWritten ?d } OPTIONAL { ?s nakg:atmosphere ?a }
} ORDER BY ?x ?order"""


def _syntheses(kg: KnowledgeGraph) -> list[dict]:
    steps: dict[str, list[str]] = defaultdict(list)
    for s in kg.query(STEPS):
        bits = [s["kind"]] + [f"at {s['t']}" if s["t"] else "", f"for {s['d']}" if s["d"] else "", f"in {s['a']}" if s["a"] else ""]
        steps[s["x"]].append(" ".join(b for b in bits if b))
    rows = []
    for r in kg.query(SYNTHESES):
        rows.append({
            "synthesis_id": r["id"], "material": r["material"], "material_id": r["material_id"], "family": r["family"] or "",
            "routes": r["routes"] or "", "steps": "; ".join(steps.get(r["x"], [])),
            "max_temperature_K": r["max_temperature_K"], "max_temperature_C": _c(r["max_temperature_K"]),
            "precursors": r["precursors"] or "", "additives": r["additives"] or "", "solvent": r["solvent"] or "",
            "impurities": r["impurities"] or "", "effects": r["effects"] or "", "outcomes": r["outcomes"] or "",
            "references": _refs(r["refs"]), "sections": _sections(r["sections"]), "note": r["note"] or "",
        })
    return sorted(rows, key=lambda r: (r["family"], r["material_id"], r["synthesis_id"]))


STRUCTURES = """
SELECT ?x ?id ?material ?material_id ?family ?phase ?system ?sg ?dim ?range ?to ?tt ?refs ?sections ?note
       (GROUP_CONCAT(DISTINCT ?site; SEPARATOR=";") AS ?na_sites)
       (SAMPLE(?a) AS ?lattice_a) (SAMPLE(?b) AS ?lattice_b) (SAMPLE(?c) AS ?lattice_c) WHERE {
  ?x a nakg:CrystalStructure ; nakg:recordId ?id ; nakg:structureOf ?m . ?m nakg:formula ?material ; nakg:recordId ?material_id .
  OPTIONAL { ?m nakg:belongsToFamily/nakg:recordKey ?family }
  OPTIONAL { ?x nakg:phaseLabel ?phase } OPTIONAL { ?x nakg:crystalSystem/nakg:recordKey ?system }
  OPTIONAL { ?x nakg:spaceGroup ?sg } OPTIONAL { ?x nakg:conductionDimensionality/nakg:recordKey ?dim }
  OPTIONAL { ?x nakg:compositionRange ?range } OPTIONAL { ?x nakg:naSite ?site }
  OPTIONAL { ?la nakg:isMeasurementOf ?x ; a nakg:LatticeParameterA ; nakg:valueAsWritten ?a }
  OPTIONAL { ?lb nakg:isMeasurementOf ?x ; a nakg:LatticeParameterB ; nakg:valueAsWritten ?b }
  OPTIONAL { ?lc nakg:isMeasurementOf ?x ; a nakg:LatticeParameterC ; nakg:valueAsWritten ?c }
  OPTIONAL { ?tr nakg:fromStructure ?x ; nakg:toStructure/nakg:recordId ?to .
             OPTIONAL { ?tm nakg:isMeasurementOf ?tr ; nakg:valueAsWritten ?tt } }
""" + PROV + "} GROUP BY ?x ?id ?material ?material_id ?family ?phase ?system ?sg ?dim ?range ?to ?tt ?refs ?sections ?note"


def _structures(kg: KnowledgeGraph) -> list[dict]:
    rows = [{
        "structure_id": r["id"], "material": r["material"], "material_id": r["material_id"], "family": r["family"] or "",
        "phase": r["phase"] or "", "crystal_system": r["system"] or "", "space_group": r["sg"] or "",
        "lattice_a": r["lattice_a"] or "", "lattice_b": r["lattice_b"] or "", "lattice_c": r["lattice_c"] or "",
        "conduction": r["dim"] or "", "na_sites": r["na_sites"] or "", "composition_range": r["range"] or "",
        "transforms_to": r["to"] or "", "transition_temperature": r["tt"] or "",
        "references": _refs(r["refs"]), "sections": _sections(r["sections"]), "note": r["note"] or "",
    } for r in kg.query(STRUCTURES)]
    return sorted(rows, key=lambda r: (r["family"], r["material_id"], r["structure_id"]))


INTERFACES = """
SELECT ?x ?id ?electrolyte ?electrolyte_id ?family ?side ?strategy ?electrode ?refs ?sections ?note
       (GROUP_CONCAT(DISTINCT ?mat; SEPARATOR=";") AS ?materials) (GROUP_CONCAT(DISTINCT ?eff; SEPARATOR=";") AS ?effects)
       (GROUP_CONCAT(DISTINCT ?res; SEPARATOR="; ") AS ?results) WHERE {
  ?x a nakg:InterfaceModification ; nakg:recordId ?id ; nakg:modifiesElectrolyte ?e ;
     nakg:electrodeSide/nakg:recordKey ?side ; nakg:usesStrategy/nakg:recordKey ?strategy .
  ?e nakg:formula ?electrolyte ; nakg:recordId ?electrolyte_id .
  OPTIONAL { ?e nakg:belongsToFamily/nakg:recordKey ?family }
  OPTIONAL { ?x nakg:atElectrode/nakg:formula ?electrode } OPTIONAL { ?x nakg:usesMaterial/nakg:formula ?mat }
  OPTIONAL { ?x nakg:hasEffect/nakg:recordKey ?eff }
  OPTIONAL { { ?x nakg:hasResult/rdfs:label ?res } UNION { ?r0 nakg:isMeasurementOf ?x ; rdfs:label ?res } }
""" + PROV + "} GROUP BY ?x ?id ?electrolyte ?electrolyte_id ?family ?side ?strategy ?electrode ?refs ?sections ?note"


def _interfaces(kg: KnowledgeGraph) -> list[dict]:
    rows = [{
        "interface_id": r["id"], "electrolyte": r["electrolyte"], "electrolyte_id": r["electrolyte_id"],
        "family": r["family"] or "", "side": r["side"], "electrode": r["electrode"] or "", "strategy": r["strategy"],
        "materials": r["materials"] or "", "effects": r["effects"] or "", "results": r["results"] or "",
        "references": _refs(r["refs"]), "sections": _sections(r["sections"]), "note": r["note"] or "",
    } for r in kg.query(INTERFACES)]
    return sorted(rows, key=lambda r: (r["family"], r["side"], r["interface_id"]))


CELLS = """
SELECT ?x ?id ?kind ?notation ?cathode ?anode ?table ?row ?loading_written ?refs ?sections ?note
       (GROUP_CONCAT(DISTINCT ?el; SEPARATOR=";") AS ?electrolytes) (GROUP_CONCAT(DISTINCT ?fam; SEPARATOR=";") AS ?families)
       (GROUP_CONCAT(DISTINCT ?mod; SEPARATOR=";") AS ?modifications) (GROUP_CONCAT(DISTINCT ?comp; SEPARATOR=";") AS ?components)
       WHERE {
  ?x a nakg:Cell ; nakg:recordId ?id ; a ?k . VALUES ?k { nakg:FullCell nakg:SymmetricCell } BIND(IF(?k = nakg:FullCell, "full", "symmetric") AS ?kind)
  OPTIONAL { ?x nakg:cellNotation ?notation } OPTIONAL { ?x nakg:hasCathode/nakg:formula ?cathode }
  OPTIONAL { ?x nakg:hasAnode/nakg:formula ?anode }
  OPTIONAL { ?x nakg:hasElectrolyte ?e . ?e nakg:formula ?el . OPTIONAL { ?e nakg:belongsToFamily/nakg:recordKey ?fam } }
  OPTIONAL { ?x nakg:hasModification/nakg:recordId ?mod } OPTIONAL { ?x nakg:hasCellComponent/nakg:formula ?comp }
  OPTIONAL { ?x nakg:tableRow ?row ; nakg:sourceTable ?table }
  OPTIONAL { ?x nakg:loadingAsWritten ?loading_written }
""" + PROV + "} GROUP BY ?x ?id ?kind ?notation ?cathode ?anode ?table ?row ?loading_written ?refs ?sections ?note"

CELL_MEASUREMENTS = """
SELECT ?cell ?cls ?v ?min ?max ?unit ?q ?t ?written WHERE {
  ?cell a nakg:Cell . ?m nakg:isMeasurementOf ?cell ; a ?c ; nakg:unit/nakg:recordKey ?unit ;
     nakg:qualifier/nakg:recordKey ?q ; nakg:valueAsWritten ?written . ?c nakg:recordKey ?cls .
  OPTIONAL { ?m nakg:numericValue ?v } OPTIONAL { ?m nakg:minValue ?min } OPTIONAL { ?m nakg:maxValue ?max }
  OPTIONAL { ?m nakg:temperatureAsWritten ?t }
}"""

CYCLING = """
SELECT ?cell ?cr ?cycles ?rate ?t ?retention ?rq ?cap WHERE {
  ?cell nakg:hasCyclingResult ?cr .
  OPTIONAL { ?cr nakg:cycleCount ?cycles } OPTIONAL { ?cr nakg:rateAsWritten ?rate } OPTIONAL { ?cr nakg:temperatureAsWritten ?t }
  OPTIONAL { ?r nakg:isMeasurementOf ?cr ; a nakg:CapacityRetention ; nakg:numericValue ?retention ; nakg:qualifier/nakg:recordKey ?rq }
  OPTIONAL { ?c nakg:isMeasurementOf ?cr ; a nakg:ReversibleCapacity ; nakg:valueAsWritten ?cap }
} ORDER BY ?cell ?cr"""


def _cells(kg: KnowledgeGraph) -> list[dict]:
    meas: dict[str, dict] = defaultdict(dict)
    for m in kg.query(CELL_MEASUREMENTS):
        meas[m["cell"]][m["cls"]] = m
    cycling: dict[str, list[dict]] = defaultdict(list)
    for c in kg.query(CYCLING):
        cycling[c["cell"]].append(c)
    rows = []
    for r in kg.query(CELLS):
        first = meas[r["x"]].get("first_cycle_capacity")
        theo = meas[r["x"]].get("theoretical_capacity")
        load = meas[r["x"]].get("areal_loading")
        base = {
            "cell_id": r["id"], "kind": r["kind"], "notation": r["notation"] or "", "cathode": r["cathode"] or "",
            "electrolytes": r["electrolytes"] or "", "anode": r["anode"] or "", "families": r["families"] or "",
            "modifications": r["modifications"] or "", "components": r["components"] or "",
            "first_cycle_capacity_mAh_g": first["v"] if first else None,
            "first_cycle_capacity_qualifier": first["q"] if first else "",
            "capacity_temperature": (first["t"] or "") if first else "",
            "theoretical_capacity_mAh_g": theo["v"] if theo else None,
            "loading": load["v"] if load else None, "loading_min": load["min"] if load else None,
            "loading_max": load["max"] if load else None, "loading_unit": load["unit"] if load else "",
            "loading_qualifier": load["q"] if load else "", "loading_value": load["written"] if load else "",
            "loading_as_written": r["loading_written"] or "",
            "table": r["table"] or "", "table_row": r["row"],
            "references": _refs(r["refs"]), "sections": _sections(r["sections"]), "note": r["note"] or "",
        }
        results = cycling.get(r["x"]) or [None]
        for i, c in enumerate(results, start=1):
            rows.append({**base, "cycling_index": i if c else None,
                         "cycles": c["cycles"] if c else None, "retention_percent": c["retention"] if c else None,
                         "retention_qualifier": (c["rq"] or "") if c else "", "rate": (c["rate"] or "") if c else "",
                         "cycling_temperature": (c["t"] or "") if c else "", "capacity_after": (c["cap"] or "") if c else ""})
    return sorted(rows, key=lambda r: (r["table"] or "~", r["table_row"] or 0, r["cell_id"], r["cycling_index"] or 0))


REFERENCES = """
SELECT ?n ?authors ?etal ?journal ?volume ?year ?pages ?note (COUNT(DISTINCT ?fact) AS ?facts)
       (GROUP_CONCAT(DISTINCT STR(?dn); SEPARATOR=";") AS ?duplicates) WHERE {
  ?r a nakg:Reference ; nakg:referenceNumber ?n ; nakg:authorList ?authors ; nakg:publicationYear ?year .
  OPTIONAL { ?r nakg:etAl ?etal } OPTIONAL { ?r nakg:journalTitle ?journal } OPTIONAL { ?r nakg:volume ?volume }
  OPTIONAL { ?r nakg:pages ?pages } OPTIONAL { ?r nakg:curationNote ?note }
  OPTIONAL { ?fact nakg:citesReference ?r } OPTIONAL { ?r nakg:duplicateOf/nakg:referenceNumber ?dn }
} GROUP BY ?n ?authors ?etal ?journal ?volume ?year ?pages ?note ORDER BY ?n"""


def _references(kg: KnowledgeGraph) -> list[dict]:
    return [{
        "number": r["n"], "authors": r["authors"], "et_al": bool(r["etal"]), "journal": r["journal"] or "",
        "volume": r["volume"] or "", "year": r["year"], "pages": r["pages"] or "", "cited_by_facts": r["facts"],
        "duplicate_of": _refs(r["duplicates"]), "note": r["note"] or "",
    } for r in kg.query(REFERENCES)]


@dataclass(frozen=True)
class TableDef:
    """A tidy table: its builder and a one-line description."""

    build: Callable[["KnowledgeGraph"], list[dict]]
    description: str


TABLES: dict[str, TableDef] = {
    "measurements": TableDef(_measurements, "every quantitative statement with unit, canonical value, temperature and provenance"),
    "dopings": TableDef(_dopings, "dopings with host, product, substitutions, mechanisms and conductivity before/after"),
    "syntheses": TableDef(_syntheses, "syntheses with routes, steps, additives and outcomes"),
    "structures": TableDef(_structures, "crystal structures with space group, lattice parameters and transitions"),
    "interfaces": TableDef(_interfaces, "interface modifications with side, strategy, materials and effects"),
    "cells": TableDef(_cells, "cells (one row per cycling result) with capacity, retention, cycles, rate and loading"),
    "references": TableDef(_references, "the reference list with bibliographic data and the number of facts citing each"),
}


def table(kg: KnowledgeGraph, name: str) -> list[dict]:
    """Rows of the tidy table ``name`` (see :data:`TABLES`)."""
    try:
        return TABLES[name].build(kg)
    except KeyError:
        raise QueryError(f"unknown table '{name}' (known: {', '.join(TABLES)})") from None


def _cell(v) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return f"{v:.10g}"
    return str(v)


def _csv(rows: list[dict]) -> str:
    if not rows:
        return ""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows({k: _cell(v) for k, v in r.items()} for r in rows)
    return buf.getvalue()


def _json(rows: list[dict]) -> str:
    return json.dumps(rows, indent=1, ensure_ascii=False) + "\n"


def _markdown(rows: list[dict]) -> str:
    if not rows:
        return ""
    cols = list(rows[0])
    out = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for r in rows:
        out.append("| " + " | ".join(_cell(r[c]).replace("|", "\\|").replace("\n", " ") for c in cols) + " |")
    return "\n".join(out) + "\n"


FORMATS: dict[str, Callable[[list[dict]], str]] = {"csv": _csv, "json": _json, "markdown": _markdown}


def render(rows: list[dict], fmt: str) -> str:
    """Render rows as csv, json or markdown."""
    try:
        return FORMATS[fmt](rows)
    except KeyError:
        raise QueryError(f"unknown table format '{fmt}' (known: {', '.join(FORMATS)})") from None
