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
import re
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

from .composition import EMPTY, describe
from .errors import QueryError
from .quantities import convert
from .rules import is_room_temperature, representative
from .tables_schema import columns

if TYPE_CHECKING:  # pragma: no cover
    from .core import GraphCore as KnowledgeGraph

__all__ = ["TABLES", "table", "render", "FORMATS"]

PROV = """
  OPTIONAL { SELECT ?x (GROUP_CONCAT(DISTINCT STR(?n); SEPARATOR=";") AS ?refs)
             WHERE { ?x nakg:citesReference/nakg:referenceNumber ?n } GROUP BY ?x }
  OPTIONAL { SELECT ?x (GROUP_CONCAT(DISTINCT ?sn; SEPARATOR=";") AS ?sections)
             WHERE { ?x nakg:statedInSection/nakg:sectionNumber ?sn } GROUP BY ?x }
  OPTIONAL { SELECT ?x (GROUP_CONCAT(DISTINCT ?nt; SEPARATOR=" | ") AS ?note)
             WHERE { ?x nakg:curationNote ?nt } GROUP BY ?x }
"""

def _c(kelvin: float | None) -> float | None:
    """Kelvin → °C (None stays None), rounded to 6 decimals so 298.15 K gives 25.0."""
    return None if kelvin is None else round(kelvin - 273.15, 6)


def _refs(text: str | None) -> list[int]:
    return sorted({int(x) for x in text.split(";")}) if text else []


def _sections(text: str | None) -> list[str]:
    def key(s: str):
        return [int(p) if p.isdigit() else -1 for p in s.split(".")]

    return sorted(set(text.split(";")), key=key) if text else []


def _split(text: str | None, sep: str = ";") -> list[str]:
    return sorted({x.strip() for x in text.split(sep) if x.strip()}) if text else []


def _prov(r: dict) -> dict:
    return {"references": _refs(r["refs"]), "sections": _sections(r["sections"]), "note": r["note"]}


_UNCERTAINTY = re.compile(r"(\d+)(?:\.(\d+))?\((\d+)\)")


def _uncertainty(written: str | None) -> float | None:
    """The number a bracketed uncertainty stands for: ``13.6148(3)`` → 0.0003."""
    m = _UNCERTAINTY.search(written or "")
    if not m:
        return None
    places = len(m.group(2) or "")
    return round(int(m.group(3)) * 10.0 ** -places, places)


def _temperature(prefix: str, tk, tmin, tmax, written, flagged, qualifier, room: bool = True) -> dict:
    """The temperature columns of :func:`nakg.tables_schema._temperature` (room temperature by nakg.rules)."""
    stated = written is not None or tk is not None or tmin is not None
    out = {
        f"{prefix}_K": tk, f"{prefix}_C": _c(tk), f"{prefix}_min_K": tmin, f"{prefix}_max_K": tmax,
        f"{prefix}_as_written": written, f"{prefix}_qualifier": (qualifier or "exact") if stated else None,
    }
    if room:
        out[f"{prefix}_room"] = is_room_temperature(written=written, flagged=bool(flagged), kelvin=tk, min_kelvin=tmin,
                                                    max_kelvin=tmax) if stated else None
    return out


FAMILIES = """
SELECT ?key ?label ?parent WHERE {
  ?f a nakg:ElectrolyteFamily ; nakg:recordKey ?key .
  OPTIONAL { ?f rdfs:label ?label } OPTIONAL { ?f nakg:subFamilyOf/nakg:recordKey ?parent }
}"""

MATERIALS = """
SELECT ?id ?formula ?label ?family ?form ?series ?x WHERE {
  ?m nakg:formula ?formula ; nakg:recordId ?id .
  OPTIONAL { ?m rdfs:label ?label } OPTIONAL { ?m nakg:belongsToFamily/nakg:recordKey ?family }
  OPTIONAL { ?m nakg:hasForm/nakg:recordKey ?form } OPTIONAL { ?m nakg:memberOfSeries/nakg:recordId ?series }
  OPTIONAL { ?m nakg:xValue ?x }
}"""


class _Materials:
    """Family and composition columns of every material, read once per table build."""

    def __init__(self, kg: KnowledgeGraph):
        parents: dict[str, set[str]] = defaultdict(set)
        self.family_label: dict[str, str] = {}
        for r in kg.query(FAMILIES):
            self.family_label.setdefault(r["key"], r["label"] or r["key"])
            if r["parent"] and r["parent"] != r["key"]:
                parents[r["key"]].add(r["parent"])
        self.top: dict[str, str] = {}
        for key in self.family_label:
            top, seen = key, {key}
            while parents.get(top):
                nxt = sorted(p for p in parents[top] if p not in seen)
                if not nxt:
                    break
                # with inferred (transitive) triples every ancestor is a parent: pick one without parents
                top = next((p for p in nxt if not parents.get(p)), nxt[0])
                seen.add(top)
            self.top[key] = top
        self.info: dict[str, dict] = {}
        xs: dict[str, list[float]] = defaultdict(list)
        for r in kg.query(MATERIALS):
            self.info.setdefault(r["id"], r)
            if r["series"] and r["x"] is not None:
                xs[r["series"]].append(float(r["x"]))
        self.blocks: dict[str, dict] = {}
        for mid, r in self.info.items():
            block = self.family_block(r["family"])
            block["material_label"] = r["label"]
            block.update(describe(r["formula"], label=r["label"], series_x=tuple(xs.get(mid, ())),
                                  is_series=r["form"] == "series"))
            self.blocks[mid] = block

    def family_block(self, family: str | None) -> dict:
        return {"family": family, "family_label": self.family_label.get(family) if family else None,
                "top_family": self.top.get(family) if family else None}

    def block(self, material_id: str | None, family: str | None = None) -> dict:
        """The material columns of ``material_id``; without one, only the family columns of ``family``."""
        if material_id and material_id in self.blocks:
            return dict(self.blocks[material_id])
        return {"material_label": None, **self.family_block(family), **EMPTY}

    def formula(self, material_id: str | None) -> str | None:
        return self.info[material_id]["formula"] if material_id in self.info else None


# the subject's material: itself, a structure's or transition's material, the electrolyte(s) of an interface,
# a cell or a cycling result
SUBJECT_MATERIALS = """
SELECT DISTINCT ?s ?mid WHERE {
  { ?s nakg:structureOf/nakg:recordId ?mid }
  UNION { ?s nakg:fromStructure/nakg:structureOf/nakg:recordId ?mid }
  UNION { ?s nakg:modifiesElectrolyte/nakg:recordId ?mid }
  UNION { ?s a nakg:Cell ; nakg:hasElectrolyte/nakg:recordId ?mid }
  UNION { ?c nakg:hasCyclingResult ?s . ?c nakg:hasElectrolyte/nakg:recordId ?mid }
}"""

# measurement classes and their ancestors: an inferred graph also types a measurement with its superclasses,
# and a row names the most specific class (chosen in Python: a FILTER NOT EXISTS with a path per row is slow)
PROPERTY_ANCESTORS = """
SELECT ?key ?ancestor WHERE {
  ?c a owl:Class ; nakg:recordKey ?key ; rdfs:subClassOf+ ?a . ?a a owl:Class ; nakg:recordKey ?ancestor .
  FILTER(?c != ?a)
}"""


def _most_specific(kg: KnowledgeGraph, rows: list[dict], key: str = "x") -> list[dict]:
    """One row per ``key``: the one whose ``property`` is not an ancestor of another row's property."""
    ancestors: dict[str, set[str]] = defaultdict(set)
    for r in kg.query(PROPERTY_ANCESTORS):
        ancestors[r["key"]].add(r["ancestor"])
    groups: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        groups[r[key]].append(r)
    out = []
    for group in groups.values():
        props = {r["property"] for r in group}
        best = [r for r in group if not any(r["property"] in ancestors[p] for p in props if p != r["property"])]
        out.append(min(best or group, key=lambda r: (r["property"], r["subject_kind"] or "")))
    return out

MEASUREMENTS = """
SELECT ?x ?s ?id ?subject ?subject_id ?subject_kind ?formula ?property ?value ?min ?max ?unit ?written ?uncertainty
       ?cvalue ?cmin ?cmax ?cunit ?qualifier ?tk ?tmin ?tmax ?twritten ?rt ?tq ?basis ?derived ?conditions
       ?refs ?sections ?note WHERE {
  ?x a ?cls ; nakg:isMeasurementOf ?s ; nakg:unit/nakg:recordKey ?unit ; nakg:qualifier/nakg:recordKey ?qualifier ;
     nakg:isDerived ?derived .
  ?cls nakg:recordKey ?property .
  OPTIONAL { ?x nakg:recordId ?id }
  ?s rdfs:label ?subject .
  OPTIONAL { ?s nakg:recordId ?subject_id }
  OPTIONAL { ?s nakg:formula ?formula }
  OPTIONAL { ?s a ?skind . VALUES ?skind { nakg:Material nakg:Cell nakg:CrystalStructure nakg:InterfaceModification
                                           nakg:PhaseTransition nakg:CyclingResult } }
  BIND(REPLACE(STR(?skind), "^.*/", "") AS ?subject_kind)
  OPTIONAL { ?x nakg:numericValue ?value } OPTIONAL { ?x nakg:minValue ?min } OPTIONAL { ?x nakg:maxValue ?max }
  OPTIONAL { ?x nakg:valueAsWritten ?written } OPTIONAL { ?x nakg:uncertaintyAsWritten ?uncertainty }
  OPTIONAL { ?x nakg:canonicalValue ?cvalue } OPTIONAL { ?x nakg:canonicalMin ?cmin } OPTIONAL { ?x nakg:canonicalMax ?cmax }
  OPTIONAL { ?x nakg:canonicalUnitOf/nakg:recordKey ?cunit }
  OPTIONAL { ?x nakg:temperatureK ?tk } OPTIONAL { ?x nakg:temperatureMinK ?tmin } OPTIONAL { ?x nakg:temperatureMaxK ?tmax }
  OPTIONAL { ?x nakg:temperatureAsWritten ?twritten } OPTIONAL { ?x nakg:atRoomTemperature ?rt }
  OPTIONAL { ?x nakg:temperatureQualifier/nakg:recordKey ?tq }
  OPTIONAL { ?x nakg:basis/nakg:recordKey ?basis }
  OPTIONAL { ?x nakg:conditions ?conditions }
""" + PROV + "}"

DERIVED = """
SELECT ?mid ?property ?value ?src WHERE {
  ?mat nakg:recordId ?mid .
  { ?mat nakg:roomTemperatureIonicConductivity ?value BIND("room_temperature_ionic_conductivity" AS ?property) }
  UNION { ?mat nakg:electrochemicalStabilityLimit ?value BIND("electrochemical_stability_limit" AS ?property) }
  OPTIONAL { ?mat nakg:derivationSource/nakg:recordId ?src }
}"""

#: Derived material values: property → (canonical unit, the measured properties they are computed from).
DERIVED_PROPERTIES = {
    "room_temperature_ionic_conductivity": ("S/cm", {"ionic_conductivity"}),
    "electrochemical_stability_limit": ("V", {"electrochemical_window", "oxidation_potential"}),
}


def _subject_materials(kg: KnowledgeGraph) -> dict[str, list[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for r in kg.query(SUBJECT_MATERIALS):
        out[r["s"]].add(r["mid"])
    return {k: sorted(v) for k, v in out.items()}


def _one_material(mats: _Materials, ids: list[str]) -> tuple[str | None, dict]:
    """A single material id and its columns; for several, NA with the family they share (if any)."""
    if len(ids) == 1:
        return ids[0], mats.block(ids[0])
    families = {mats.info[i]["family"] for i in ids if i in mats.info}
    return None, mats.block(None, families.pop() if len(families) == 1 else None)


def _measurements(kg: KnowledgeGraph) -> list[dict]:
    mats = _Materials(kg)
    subject_materials = _subject_materials(kg)
    rows: dict[str, dict] = {}
    for r in _most_specific(kg, kg.query(MEASUREMENTS)):  # one row per measurement, whatever types a reasoner added
        mid = r["id"] or r["x"].rsplit("/resource/", 1)[-1]
        if r["formula"]:
            material_id, block = r["subject_id"], mats.block(r["subject_id"])
        else:
            material_id, block = _one_material(mats, subject_materials.get(r["s"], []))
        cvalue, cmin, cmax, cunit = r["cvalue"], r["cmin"], r["cmax"], r["cunit"]
        rows[mid] = {
            "measurement_id": mid, "subject": r["subject"], "subject_id": r["subject_id"], "subject_kind": r["subject_kind"],
            "material_id": material_id, "material_formula": mats.formula(material_id), **block,
            "property": r["property"], "value": representative(r["value"], r["min"], r["max"]),
            "value_min": r["min"], "value_max": r["max"], "unit": r["unit"],
            "uncertainty": _uncertainty(f"{r['written']}".split(" ")[0] if r["uncertainty"] else None),
            "value_as_written": r["written"],
            "canonical_value": representative(cvalue, cmin, cmax), "canonical_min": cmin, "canonical_max": cmax,
            "canonical_unit": cunit, "qualifier": r["qualifier"],
            **_temperature("temperature", r["tk"], r["tmin"], r["tmax"], r["twritten"], r["rt"], r["tq"], room=False),
            "room_temperature": is_room_temperature(written=r["twritten"], flagged=bool(r["rt"]), kelvin=r["tk"],
                                                    min_kelvin=r["tmin"], max_kelvin=r["tmax"]),
            "basis": r["basis"], "derived": bool(r["derived"]), "derived_from": None,
            "conditions": r["conditions"], **_prov(r),
        }
    _add_derived(kg, mats, rows)
    return sorted(rows.values(), key=lambda r: (r["family"] or "", r["subject_id"] or "", r["property"], r["measurement_id"]))


def _add_derived(kg: KnowledgeGraph, mats: _Materials, rows: dict[str, dict]) -> None:
    """Rows for the values the project derives (present in a graph loaded with ``inferred=True``)."""
    found: dict[tuple[str, str], dict] = {}
    for r in kg.query(DERIVED):
        item = found.setdefault((r["mid"], r["property"]), {"value": r["value"], "sources": set()})
        unit, kinds = DERIVED_PROPERTIES[r["property"]]
        if r["src"] in rows and rows[r["src"]]["property"] in kinds:
            item["sources"].add(r["src"])
    for (material_id, prop), item in found.items():
        unit, _ = DERIVED_PROPERTIES[prop]
        sources = sorted(item["sources"])
        refs = sorted({n for s in sources for n in rows[s]["references"]})
        sections = sorted({x for s in sources for x in rows[s]["sections"]},
                          key=lambda s: [int(p) if p.isdigit() else -1 for p in s.split(".")])
        value = float(item["value"])
        mid = f"derived/{material_id}/{prop}"
        rows[mid] = {
            **{c.name: None for c in columns("measurements")},
            "measurement_id": mid, "subject": mats.info.get(material_id, {}).get("label"), "subject_id": material_id,
            "subject_kind": "Material", "material_id": material_id, "material_formula": mats.formula(material_id),
            **mats.block(material_id), "property": prop, "value": value, "unit": unit, "canonical_value": value,
            "canonical_unit": unit, "qualifier": "exact",
            "room_temperature": prop == "room_temperature_ionic_conductivity",
            "derived": True, "derived_from": sources, "references": refs, "sections": sections,
        }


DOPINGS = """
SELECT ?x ?id ?host ?host_id ?product ?product_id ?family ?valence ?outcome ?basis ?before ?after ?refs ?sections ?note
       (GROUP_CONCAT(DISTINCT ?sub; SEPARATOR=";") AS ?substitutions)
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

    mats = _Materials(kg)
    outcomes = {o.strategy_id: o for o in doping_outcomes(kg)}
    rows = []
    for r in kg.query(DOPINGS):
        o = outcomes.get(r["id"])
        rows.append({
            "doping_id": r["id"], "host": r["host"], "host_id": r["host_id"], "product": r["product"],
            "product_id": r["product_id"], **mats.block(r["product_id"], r["family"]),
            "substitutions": _split(r["substitutions"]), "valence": r["valence"], "mechanisms": _split(r["mechanisms"]),
            "outcome": r["outcome"], "basis": r["basis"],
            # the doping-outcome columns come from nakg.analytics.outcomes (one per doping, with its evidence tier)
            "tier": o.tier if o else "none", "direction": o.direction if o else "undetermined",
            "sigma_before_S_cm": o.sigma_before if o else None, "sigma_after_S_cm": o.sigma_after if o else None,
            "enhancement": o.enhancement if o else None,
            "log10_enhancement": round(o.log_enhancement, 4) if o and o.log_enhancement is not None else None,
            "ratio_qualifier": (o.ratio_qualifier or None) if o else None,
            "temperature_K": o.temperature_K if o else None, "temperature_C": _c(o.temperature_K if o else None),
            "comparison": (o.comparison or None) if o else None, "derived": bool(o and o.ratio_derived),
            "assumption": (o.assumption or None) if o else None,
            "delta_Ea_eV": round(o.delta_ea, 4) if o and o.delta_ea is not None else None,
            **_prov(r),
        })
    return sorted(rows, key=lambda r: (r["family"] or "", r["host_id"], r["doping_id"]))


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
    mats = _Materials(kg)
    steps: dict[str, list[str]] = defaultdict(list)
    for s in kg.query(STEPS):
        bits = [s["kind"]] + [f"at {s['t']}" if s["t"] else "", f"for {s['d']}" if s["d"] else "", f"in {s['a']}" if s["a"] else ""]
        steps[s["x"]].append(" ".join(b for b in bits if b))
    rows = []
    for r in kg.query(SYNTHESES):
        rows.append({
            "synthesis_id": r["id"], "material": r["material"], "material_id": r["material_id"],
            **mats.block(r["material_id"], r["family"]),
            "routes": _split(r["routes"]), "steps": steps.get(r["x"], []),
            "max_temperature_K": r["max_temperature_K"], "max_temperature_C": _c(r["max_temperature_K"]),
            "precursors": _split(r["precursors"]), "additives": _split(r["additives"]), "solvent": r["solvent"],
            "impurities": _split(r["impurities"]), "effects": _split(r["effects"]), "outcomes": _split(r["outcomes"]),
            **_prov(r),
        })
    return sorted(rows, key=lambda r: (r["family"] or "", r["material_id"], r["synthesis_id"]))


STRUCTURES = """
SELECT ?x ?id ?material ?material_id ?family ?phase ?system ?sg ?dim ?range ?to ?refs ?sections ?note
       (GROUP_CONCAT(DISTINCT ?site; SEPARATOR=";") AS ?na_sites) WHERE {
  ?x a nakg:CrystalStructure ; nakg:recordId ?id ; nakg:structureOf ?m . ?m nakg:formula ?material ; nakg:recordId ?material_id .
  OPTIONAL { ?m nakg:belongsToFamily/nakg:recordKey ?family }
  OPTIONAL { ?x nakg:phaseLabel ?phase } OPTIONAL { ?x nakg:crystalSystem/nakg:recordKey ?system }
  OPTIONAL { ?x nakg:spaceGroup ?sg } OPTIONAL { ?x nakg:conductionDimensionality/nakg:recordKey ?dim }
  OPTIONAL { ?x nakg:compositionRange ?range } OPTIONAL { ?x nakg:naSite ?site }
  OPTIONAL { ?tr nakg:fromStructure ?x ; nakg:toStructure/nakg:recordId ?to }
""" + PROV + "} GROUP BY ?x ?id ?material ?material_id ?family ?phase ?system ?sg ?dim ?range ?to ?refs ?sections ?note"

# lattice parameters (on the structure) and transition temperatures (on its transition), in canonical units (Å, K)
STRUCTURE_QUANTITIES = """
SELECT ?s ?property ?v ?min ?max ?written ?unc WHERE {
  { ?m nakg:isMeasurementOf ?s } UNION { ?tr nakg:fromStructure ?s . ?m nakg:isMeasurementOf ?tr }
  ?s a nakg:CrystalStructure . ?m a ?cls ; nakg:valueAsWritten ?written . ?cls nakg:recordKey ?property .
  OPTIONAL { ?m nakg:canonicalValue ?v } OPTIONAL { ?m nakg:canonicalMin ?min } OPTIONAL { ?m nakg:canonicalMax ?max }
  OPTIONAL { ?m nakg:uncertaintyAsWritten ?unc }
} ORDER BY ?s ?property ?m"""


def _structures(kg: KnowledgeGraph) -> list[dict]:
    mats = _Materials(kg)
    quantities: dict[str, dict[str, dict]] = defaultdict(dict)
    for q in kg.query(STRUCTURE_QUANTITIES):
        quantities[q["s"]].setdefault(q["property"], q)
    rows = []
    for r in kg.query(STRUCTURES):
        row = {"structure_id": r["id"], "material": r["material"], "material_id": r["material_id"],
               **mats.block(r["material_id"], r["family"]),
               "phase": r["phase"], "crystal_system": r["system"], "space_group": r["sg"]}
        for axis in "abc":
            q = quantities[r["x"]].get(f"lattice_parameter_{axis}")
            written = q["written"] if q else None
            row.update({
                f"lattice_{axis}_angstrom": representative(q["v"], q["min"], q["max"]) if q else None,
                f"lattice_{axis}_min_angstrom": q["min"] if q else None, f"lattice_{axis}_max_angstrom": q["max"] if q else None,
                f"lattice_{axis}_uncertainty_angstrom": _uncertainty(written.split(" ")[0]) if q and q["unc"] else None,
                f"lattice_{axis}_as_written": written,
            })
        t = quantities[r["x"]].get("phase_transition_temperature")
        tk = representative(t["v"], t["min"], t["max"]) if t else None
        row.update({
            "conduction": r["dim"], "na_sites": _split(r["na_sites"]), "composition_range": r["range"],
            "transforms_to": r["to"], "transition_temperature_K": tk, "transition_temperature_C": _c(tk),
            "transition_temperature_min_K": t["min"] if t else None, "transition_temperature_max_K": t["max"] if t else None,
            "transition_temperature_as_written": t["written"] if t else None, **_prov(r),
        })
        rows.append(row)
    return sorted(rows, key=lambda r: (r["family"] or "", r["material_id"], r["structure_id"]))


INTERFACES = """
SELECT ?x ?id ?electrolyte ?electrolyte_id ?family ?side ?strategy ?electrode ?refs ?sections ?note
       (GROUP_CONCAT(DISTINCT ?mat; SEPARATOR=";") AS ?materials) (GROUP_CONCAT(DISTINCT ?eff; SEPARATOR=";") AS ?effects)
       (GROUP_CONCAT(DISTINCT ?res; SEPARATOR="\u001f") AS ?results) WHERE {
  ?x a nakg:InterfaceModification ; nakg:recordId ?id ; nakg:modifiesElectrolyte ?e ;
     nakg:electrodeSide/nakg:recordKey ?side ; nakg:usesStrategy/nakg:recordKey ?strategy .
  ?e nakg:formula ?electrolyte ; nakg:recordId ?electrolyte_id .
  OPTIONAL { ?e nakg:belongsToFamily/nakg:recordKey ?family }
  OPTIONAL { ?x nakg:atElectrode/nakg:formula ?electrode } OPTIONAL { ?x nakg:usesMaterial/nakg:formula ?mat }
  OPTIONAL { ?x nakg:hasEffect/nakg:recordKey ?eff }
  OPTIONAL { { ?x nakg:hasResult/rdfs:label ?res } UNION { ?r0 nakg:isMeasurementOf ?x ; rdfs:label ?res } }
""" + PROV + "} GROUP BY ?x ?id ?electrolyte ?electrolyte_id ?family ?side ?strategy ?electrode ?refs ?sections ?note"


def _interfaces(kg: KnowledgeGraph) -> list[dict]:
    mats = _Materials(kg)
    rows = [{
        "interface_id": r["id"], "electrolyte": r["electrolyte"], "electrolyte_id": r["electrolyte_id"],
        **mats.block(r["electrolyte_id"], r["family"]), "side": r["side"], "electrode": r["electrode"],
        "strategy": r["strategy"], "materials": _split(r["materials"]), "effects": _split(r["effects"]),
        "results": _split(r["results"], "\x1f"), **_prov(r),
    } for r in kg.query(INTERFACES)]
    return sorted(rows, key=lambda r: (r["family"] or "", r["side"], r["interface_id"]))


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
SELECT ?node ?cls ?v ?min ?max ?cv ?cmin ?cmax ?unit ?q ?written ?t ?tk ?tmin ?tmax ?rt ?tq WHERE {
  { ?node a nakg:Cell } UNION { ?node a nakg:CyclingResult }
  ?x nakg:isMeasurementOf ?node ; a ?c ; nakg:unit/nakg:recordKey ?unit ;
     nakg:qualifier/nakg:recordKey ?q ; nakg:valueAsWritten ?written . ?c nakg:recordKey ?cls .
  OPTIONAL { ?x nakg:numericValue ?v } OPTIONAL { ?x nakg:minValue ?min } OPTIONAL { ?x nakg:maxValue ?max }
  OPTIONAL { ?x nakg:canonicalValue ?cv } OPTIONAL { ?x nakg:canonicalMin ?cmin } OPTIONAL { ?x nakg:canonicalMax ?cmax }
  OPTIONAL { ?x nakg:temperatureAsWritten ?t } OPTIONAL { ?x nakg:temperatureK ?tk }
  OPTIONAL { ?x nakg:temperatureMinK ?tmin } OPTIONAL { ?x nakg:temperatureMaxK ?tmax }
  OPTIONAL { ?x nakg:atRoomTemperature ?rt } OPTIONAL { ?x nakg:temperatureQualifier/nakg:recordKey ?tq }
} ORDER BY ?node ?cls ?x"""

CYCLING = """
SELECT ?cell ?cr ?cycles ?cq ?rate ?t ?tk ?tmin ?tmax ?rt ?tq WHERE {
  ?cell nakg:hasCyclingResult ?cr .
  OPTIONAL { ?cr nakg:cycleCount ?cycles } OPTIONAL { ?cr nakg:cycleCountQualifier/nakg:recordKey ?cq }
  OPTIONAL { ?cr nakg:rateAsWritten ?rate } OPTIONAL { ?cr nakg:temperatureAsWritten ?t }
  OPTIONAL { ?cr nakg:temperatureK ?tk } OPTIONAL { ?cr nakg:temperatureMinK ?tmin } OPTIONAL { ?cr nakg:temperatureMaxK ?tmax }
  OPTIONAL { ?cr nakg:atRoomTemperature ?rt } OPTIONAL { ?cr nakg:temperatureQualifier/nakg:recordKey ?tq }
} ORDER BY ?cell ?cr"""


def _rate(written: str | None) -> dict:
    """A rate as written → C-rate or current density columns (``0.3 A/g`` → 300 mA/g)."""
    out = {"c_rate": None, "current_density_mA_g": None, "current_density_mA_cm2": None, "rate_as_written": written}
    m = re.match(r"^\s*(\d+(?:\.\d+)?)\s*(C|mA/g|A/g|mA/cm2)\s*$", written or "")
    if m:
        v, unit = float(m.group(1)), m.group(2)
        key = {"C": "c_rate", "mA/g": "current_density_mA_g", "A/g": "current_density_mA_g", "mA/cm2": "current_density_mA_cm2"}[unit]
        out[key] = convert(v, "A/g", "mA/g") if unit == "A/g" else v
    return out


def _cells(kg: KnowledgeGraph) -> list[dict]:
    mats = _Materials(kg)
    meas: dict[str, dict] = defaultdict(dict)
    for m in kg.query(CELL_MEASUREMENTS):
        meas[m["node"]].setdefault(m["cls"], m)
    cycling: dict[str, list[dict]] = defaultdict(list)
    for c in kg.query(CYCLING):
        if not any(x["cr"] == c["cr"] for x in cycling[c["cell"]]):
            cycling[c["cell"]].append(c)
    electrolytes = _subject_materials(kg)

    def value(m: dict | None, key: str = "v"):
        if m is None:
            return None
        if key == "v":
            return representative(m["cv"] if m["cv"] is not None else m["v"], m["cmin"] if m["cmin"] is not None else m["min"],
                                  m["cmax"] if m["cmax"] is not None else m["max"])
        return m["c" + key] if m["c" + key] is not None else m[key]

    rows = []
    for r in kg.query(CELLS):
        first = meas[r["x"]].get("first_cycle_capacity")
        theo = meas[r["x"]].get("theoretical_capacity")
        load = meas[r["x"]].get("areal_loading")
        ids = electrolytes.get(r["x"], [])
        material_id, block = _one_material(mats, ids)
        loading_areal = load is not None and load["unit"] == "mg/cm2"
        base = {
            "cell_id": r["id"], "kind": r["kind"], "notation": r["notation"], "cathode": r["cathode"],
            "electrolytes": sorted(mats.formula(i) for i in ids), "electrolyte_ids": ids, "material_id": material_id,
            **block, "families": _split(r["families"]), "anode": r["anode"],
            "modifications": _split(r["modifications"]), "components": _split(r["components"]),
            "first_cycle_capacity_mAh_g": value(first), "first_cycle_capacity_qualifier": first["q"] if first else None,
            **_temperature("first_cycle_temperature", *(_mtemp(first))),
            "theoretical_capacity_mAh_g": value(theo),
            "loading_mg_cm2": value(load) if loading_areal else None,
            "loading_min_mg_cm2": value(load, "min") if loading_areal else None,
            "loading_max_mg_cm2": value(load, "max") if loading_areal else None,
            "loading_qualifier": load["q"] if load else None,
            "loading_as_written": r["loading_written"] or (load["written"] if load else None),
            "table": r["table"], "table_row": r["row"],
        }
        results = cycling.get(r["x"]) or [None]
        for c in sorted(results, key=lambda c: _index(c["cr"]) if c else 0):
            cm = meas.get(c["cr"], {}) if c else {}
            retention, cap, duration = cm.get("capacity_retention"), cm.get("reversible_capacity"), cm.get("cycling_time")
            rows.append({
                **base, "cycling_index": _index(c["cr"]) if c else None, "cycles": c["cycles"] if c else None,
                "cycles_qualifier": (c["cq"] or "exact") if c and c["cycles"] is not None else None,
                "retention_percent": value(retention), "retention_qualifier": retention["q"] if retention else None,
                **_rate(c["rate"] if c else None),
                **_temperature("cycling_temperature", c["tk"] if c else None, c["tmin"] if c else None,
                               c["tmax"] if c else None, c["t"] if c else None, c["rt"] if c else None, c["tq"] if c else None),
                "capacity_after_mAh_g": value(cap), "capacity_after_qualifier": cap["q"] if cap else None,
                "cycling_duration_h": value(duration), "cycling_duration_qualifier": duration["q"] if duration else None,
                **_prov(r),
            })
    return sorted(rows, key=lambda r: (r["table"] or "~", r["table_row"] or 0, r["cell_id"], r["cycling_index"] or 0))


def _index(iri: str) -> int:
    """The position of a cycling result in its record (the last segment of its IRI)."""
    return int(iri.rsplit("/", 1)[-1])


def _mtemp(m: dict | None) -> tuple:
    if m is None:
        return (None,) * 6
    return m["tk"], m["tmin"], m["tmax"], m["t"], m["rt"], m["tq"]


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
        "number": r["n"], "authors": r["authors"], "et_al": bool(r["etal"]), "journal": r["journal"],
        "volume": r["volume"], "year": r["year"], "pages": r["pages"], "cited_by_facts": r["facts"],
        "duplicate_of": _refs(r["duplicates"]), "note": r["note"],
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
    """Rows of the tidy table ``name`` (see :data:`TABLES`), with the columns of
    :data:`nakg.tables_schema.SCHEMAS` in order: numbers as numbers, lists as lists, None where missing."""
    if name not in TABLES:
        raise QueryError(f"unknown table '{name}' (known: {', '.join(TABLES)})")
    rows = TABLES[name].build(kg)
    names = [c.name for c in columns(name)]
    extra = sorted({k for r in rows for k in r} - set(names))
    if extra:
        raise QueryError(f"table '{name}' has columns missing from its schema (nakg.tables_schema): {', '.join(extra)}")
    lists = {c.name for c in columns(name) if c.dtype.startswith("list")}
    # a list with nothing in it is a missing value like any other: None (NA in a DataFrame)
    return [{k: (None if k in lists and not r.get(k) else r.get(k)) for k in names} for r in rows]


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
