"""Records → RDF: the transform stage.

Each record kind has one small method. Every node built from a record gets the
record's provenance (review sections, cited references, tables, figures, curation
note), so provenance covers 100 % of facts. ``GraphBuilder.index`` maps each node
IRI back to its record, which lets validation reports point at file and line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef
from rdflib import namespace as _ns

from ..formula import element_symbols, format_amount, hill_formula
from ..quantities import Quantity, Temperature, convert
from ..records import RecordSet
from ..records.model import Prov, Record
from ..vocab import Vocabulary, vocabulary
from . import iris
from .namespaces import CHEBI, NAKG, CachedNamespace

#: rdflib's namespaces, their terms made once (the transform names a term about once per triple).
OWL, RDF, RDFS, SKOS, XSD = (CachedNamespace(str(ns)) for ns in (_ns.OWL, _ns.RDF, _ns.RDFS, _ns.SKOS, _ns.XSD))

__all__ = ["CLOSING", "GraphBuilder", "Parts", "records_to_graph", "records_to_ntriples"]

_CHEBI = {"Na": CHEBI["26708"]}
_CHEBI_SPECIES = {"na-1p": CHEBI["29101"], "na-p": CHEBI["29101"]}
_CHARGE = re.compile(r"^(\d*)([+-])$|^([+-])(\d*)$")
_HOURS = re.compile(r"^(>|≥|<|≤|~|over|more than|at least|less than|about|around|approximately)?\s*(\d+(?:\.\d+)?)\s*(h|min)$")
#: How a duration's words become a value qualifier ("> 20 h" is at least 20 h).
_DURATION_QUALIFIERS = {None: "exact", ">": "lower_bound", "≥": "lower_bound", "over": "lower_bound",
                        "more than": "lower_bound", "at least": "lower_bound", "<": "upper_bound",
                        "≤": "upper_bound", "less than": "upper_bound", "~": "approx", "about": "approx",
                        "around": "approx", "approximately": "approx"}


def _convertible(unit: str, target: str) -> bool:
    """Whether a record unit converts to a canonical unit (same dimension)."""
    from ..errors import UnitError

    try:
        convert(1.0, unit, target)
    except UnitError:
        return False
    return True


def _double(v: float) -> Literal:
    return Literal(float(v), datatype=XSD.double)


def _decimal_text(v: float) -> str:
    """An xsd:decimal's canonical lexical form (always with a fractional part: 3.0, 0.25)."""
    text = f"{v:.6f}".rstrip("0")
    return text + "0" if text.endswith(".") else text


def _decimal(v: float) -> Literal:
    return Literal(_decimal_text(v), datatype=XSD.decimal)


def parse_charge(text: str) -> int | None:
    """'3+' → 3, '2-' → -2, '+' → 1; None when unreadable."""
    m = _CHARGE.match(text.strip())
    if not m:
        return None
    digits, sign = (m.group(1), m.group(2)) if m.group(2) else (m.group(4), m.group(3))
    return (int(digits) if digits else 1) * (1 if sign == "+" else -1)


class GraphBuilder:
    """Builds the data graph from a :class:`~nakg.records.RecordSet`."""

    def __init__(self, records: RecordSet, vocab: Vocabulary | None = None, sink=None):
        from .sinks import GraphSink

        self.rs = records
        self.v = vocab or vocabulary()
        self.sink = sink if sink is not None else GraphSink()
        self.lit = self.sink.literal
        self.index: dict[URIRef, Record] = {}
        self.sections: set[str] = set()
        self._made: set[URIRef] = set()  # species and element nodes already described
        #: Record ids looked up while transforming (see :meth:`record`); None when not tracked.
        self.reads: set[str] | None = None
        self._part_index: dict[URIRef, Record] | None = None

    def note(self, iri: URIRef, record: Record) -> None:
        """Remember the record a node comes from (also in the current part's index)."""
        self.index[iri] = record
        if self._part_index is not None:
            self._part_index[iri] = record

    @property
    def g(self) -> Graph:
        """The rdflib graph being built (with the default :class:`~nakg.rdf.sinks.GraphSink`)."""
        return self.sink.graph

    # --- helpers ------------------------------------------------------------
    def add(self, s, p, o) -> None:
        if o is not None:
            self.sink.add(s, p, o)

    def double(self, v: float):
        return self.lit(float(v), datatype=XSD.double)

    def decimal(self, v: float):
        return self.lit(_decimal_text(v), datatype=XSD.decimal)

    def term(self, scheme: str, key: str) -> URIRef:
        return self.v.iri(scheme, key)

    def statement(self, iri: URIRef, cls: URIRef, record: Record, prov: Prov | None = None) -> URIRef:
        """Type a node, attach provenance and remember its record."""
        self.add(iri, RDF.type, cls)
        self.note(iri, record)
        prov = prov or record.prov
        if prov is not None:
            for s in prov.sections:
                self.sections.add(s)
                self.add(iri, NAKG.statedInSection, iris.section(s))
            for n in prov.refs:
                self.add(iri, NAKG.citesReference, iris.reference(n))
            for t in prov.tables:
                self.add(iri, NAKG.sourceTable, self.lit(t))
            for f in prov.figures:
                self.add(iri, NAKG.statedInFigure, self.lit(f))
            if prov.note:
                self.add(iri, NAKG.curationNote, self.lit(prov.note))
        return iri

    def record(self, record_id: str) -> Record | None:
        """The record with this id; noted in :attr:`reads` (what a part of the graph depends on)."""
        if self.reads is not None:
            self.reads.add(record_id)
        return self.rs.by_id.get(record_id)

    def label_of(self, record_id: str) -> str:
        rec = self.record(record_id)
        if rec is None:
            return record_id
        if rec.kind == "structures":
            name = " ".join(x for x in (rec.get("phase"), rec.get("space_group")) if x) or "structure"
            return f"{name} {self.label_of(rec.get('material'))}"
        if rec.kind == "interfaces":
            return f"{rec.get('strategy').replace('_', ' ')} on {rec.get('side')} side of {self.label_of(rec.get('electrolyte'))}"
        return rec.get("name") or rec.get("formula") or rec.get("notation") or record_id

    def temperature(self, iri: URIRef, t: Temperature | None) -> None:
        if t is None:
            return
        self.add(iri, NAKG.temperatureAsWritten, self.lit(t.as_written))
        if t.room_temperature:
            self.add(iri, NAKG.atRoomTemperature, self.lit(True))
        if t.kelvin is not None:
            self.add(iri, NAKG.temperatureK, self.double(t.kelvin))
        if t.min_kelvin is not None:
            self.add(iri, NAKG.temperatureMinK, self.double(t.min_kelvin))
            self.add(iri, NAKG.temperatureMaxK, self.double(t.max_kelvin))

    def measurement(self, iri: URIRef, record: Record, prop: str, q: Quantity, target: URIRef,
                    temperature: Temperature | None = None, prov: Prov | None = None, label: str | None = None) -> URIRef:
        """Add an n-ary measurement node: value or range, unit, canonical value, qualifier, temperature."""
        kind = self.v.measurements[prop]
        self.statement(iri, kind.iri, record, prov)
        self.add(iri, NAKG.isMeasurementOf, target)
        self.add(target, NAKG.hasMeasurement, iri)
        self.add(iri, NAKG.unit, self.v.units[q.unit].iri)
        qualifier = "range" if q.is_range else q.qualifier
        self.add(iri, NAKG.qualifier, self.term("ValueQualifier", qualifier))
        self.add(iri, NAKG.valueAsWritten, self.lit(q.render()))
        if q.uncertainty:
            self.add(iri, NAKG.uncertaintyAsWritten, self.lit(q.uncertainty))
        canon = kind.canonical_unit
        if canon and not _convertible(q.unit, canon):
            canon = None  # a mass given where an areal loading is asked: no areal value without the electrode area
        if canon:
            self.add(iri, NAKG.canonicalUnitOf, self.v.units[canon].iri)
        if q.is_range:
            self.add(iri, NAKG.minValue, self.double(q.min))
            self.add(iri, NAKG.maxValue, self.double(q.max))
            if canon:
                self.add(iri, NAKG.canonicalMin, self.double(convert(q.min, q.unit, canon)))
                self.add(iri, NAKG.canonicalMax, self.double(convert(q.max, q.unit, canon)))
        else:
            self.add(iri, NAKG.numericValue, self.double(q.value))
            if canon:
                self.add(iri, NAKG.canonicalValue, self.double(convert(q.value, q.unit, canon)))
        self.temperature(iri, temperature)
        at = f" at {temperature.as_written}" if temperature else ""
        self.add(iri, RDFS.label, self.lit(label or f"{self.v.labels.get(kind.iri, prop)}: {q.render()}{at}", lang="en"))
        self.add(iri, NAKG.isDerived, self.lit(False))
        return iri

    def temperature_measurement(self, iri: URIRef, record: Record, prop: str, t: Temperature, target: URIRef, label: str) -> None:
        unit = "°C" if t.as_written.endswith("°C") else "K"
        to_unit = (lambda k: round(k - 273.15, 6)) if unit == "°C" else (lambda k: k)
        if t.kelvin is not None and t.min_kelvin is None:
            q = Quantity(unit=unit, value=to_unit(t.kelvin))
        elif t.min_kelvin is not None:
            q = Quantity(unit=unit, min=to_unit(t.min_kelvin), max=to_unit(t.max_kelvin))
        else:
            return
        self.measurement(iri, record, prop, q, target, label=label)

    def species(self, text: str, charge: str | None) -> URIRef:
        iri = iris.species(text, charge)
        if iri not in self._made:
            self._made.add(iri)
            self.add(iri, RDF.type, NAKG.ChemicalSpecies)
            written = text + (charge or "")
            self.add(iri, NAKG.speciesAsWritten, self.lit(written))
            self.add(iri, RDFS.label, self.lit(written))
            if charge:
                self.add(iri, NAKG.chargeAsWritten, self.lit(charge))
                n = parse_charge(charge)
                if n is not None:
                    self.add(iri, NAKG.charge, self.lit(n))
            if text in element_symbols():
                self.add(iri, NAKG.element, self.element(text))
            match = _CHEBI_SPECIES.get(iri.rsplit("/", 1)[-1])
            if match is not None and charge:
                self.add(iri, SKOS.exactMatch, match)
        return iri

    def element(self, symbol: str) -> URIRef:
        iri = iris.element(symbol)
        if iri not in self._made:
            self._made.add(iri)
            self.add(iri, RDF.type, NAKG.ChemicalElement)
            self.add(iri, NAKG.symbol, self.lit(symbol))
            self.add(iri, RDFS.label, self.lit(symbol))
            if symbol in _CHEBI:
                self.add(iri, SKOS.exactMatch, _CHEBI[symbol])
        return iri

    # --- record kinds ---------------------------------------------------------
    def material(self, r: Record) -> None:
        iri = self.statement(iris.material(r.id), NAKG.Material, r)
        self.add(iri, NAKG.recordId, self.lit(r.id))
        self.add(iri, NAKG.formula, self.lit(r.get("formula")))
        self.add(iri, RDFS.label, self.lit(r.get("name") or r.get("formula")))
        for alias in r.get("aliases", []):
            self.add(iri, SKOS.altLabel, self.lit(alias))
        if r.get("family"):
            self.add(iri, NAKG.belongsToFamily, self.term("ElectrolyteFamily", r.get("family")))
            self.add(iri, RDF.type, NAKG.SolidElectrolyte)
        roles = r.get("roles", [])
        for role in roles:
            self.add(iri, NAKG.hasRole, self.term("MaterialRole", role))
        role_classes = {"electrolyte": NAKG.SolidElectrolyte, "cathode": NAKG.CathodeMaterial, "anode": NAKG.AnodeMaterial}
        for role, cls in role_classes.items():
            if role in roles:
                self.add(iri, RDF.type, cls)
        form = r.get("form", "compound")
        self.add(iri, NAKG.hasForm, self.term("MaterialForm", form))
        if form == "series":
            self.add(iri, RDF.type, NAKG.CompositionSeries)
        if r.get("series"):
            self.add(iri, NAKG.memberOfSeries, iris.material(r.get("series")))
        if r.get("x") is not None:
            self.add(iri, NAKG.xValue, self.decimal(r.get("x")))
        for parent in r.get("derived_from", []):
            self.add(iri, NAKG.derivedFrom, iris.material(parent))
        composition = r.get("composition")
        if composition:
            self.add(iri, NAKG.hillFormula, self.lit(hill_formula(composition)))
            for symbol, amount in sorted(composition.items()):
                comp = iris.node("material", r.id, "component", symbol)
                self.add(comp, RDF.type, NAKG.CompositionComponent)
                self.add(comp, NAKG.element, self.element(symbol))
                self.add(comp, NAKG.amount, self.decimal(amount))
                self.add(comp, RDFS.label, self.lit(f"{symbol}{format_amount(amount)} in {r.get('formula')}"))
                self.add(iri, NAKG.hasComponent, comp)
                self.add(iri, NAKG.containsElement, iris.element(symbol))

    def measurement_record(self, r: Record) -> None:
        for field, kind in (("material", "material"), ("cell", "cell"), ("structure", "structure"), ("interface", "interface")):
            if r.get(field):
                target = iris.node(kind, r.get(field))
                subject = self.label_of(r.get(field))
        iri = iris.node("measurement", r.id)
        prop_label = self.v.labels.get(self.v.measurements[r.get("property")].iri, r.get("property"))
        at = f" at {r.get('temperature').as_written}" if r.get("temperature") else ""
        label = f"{prop_label} of {subject}: {r.get('quantity').render()}{at}"
        self.measurement(iri, r, r.get("property"), r.get("quantity"), target, r.get("temperature"), label=label)
        self.add(iri, NAKG.recordId, self.lit(r.id))
        if r.get("temperature_qualifier"):
            self.add(iri, NAKG.temperatureQualifier, self.term("ValueQualifier", r.get("temperature_qualifier")))
        if r.get("contribution"):
            self.add(iri, NAKG.contribution, self.term("ConductivityContribution", r.get("contribution")))
        self.add(iri, NAKG.basis, self.term("EvidenceBasis", r.get("basis", "experimental")))
        self.add(iri, NAKG.conditions, self.lit(r.get("conditions")) if r.get("conditions") else None)
        if r.get("applies_to"):
            self.add(iri, NAKG.appliesToProperty, self.v.measurements[r.get("applies_to")].iri)
        if r.get("change"):
            self.add(iri, NAKG.statedChange, self.lit(r.get("change")))

    def doping(self, r: Record) -> None:
        iri = self.statement(iris.node("doping", r.id), NAKG.Doping, r)
        self.add(iri, NAKG.recordId, self.lit(r.id))
        self.add(iri, NAKG.hasHost, iris.material(r.get("host")))
        self.add(iri, NAKG.hasProduct, iris.material(r.get("product")))
        dopants = []
        for i, sub in enumerate(r.get("substitutions"), start=1):
            s = iris.node("doping", r.id, "substitution", i)
            self.add(s, RDF.type, NAKG.Substitution)
            self.add(iri, NAKG.hasSubstitution, s)
            self.add(s, NAKG.dopant, self.species(sub["dopant"], sub.get("charge")))
            if sub.get("site"):
                self.add(s, NAKG.replacedSite, self.lit(sub["site"]))
                if sub["site"] in element_symbols():
                    self.add(s, NAKG.replacesElement, self.element(sub["site"]))
            written = sub["dopant"] + sub.get("charge", "") + (f" on {sub['site']}" if sub.get("site") else "")
            self.add(s, RDFS.label, self.lit(written))
            dopants.append(written)
        self.add(iri, NAKG.valenceType, self.term("ValenceType", r.get("valence")))
        for m in r.get("mechanisms", []):
            self.add(iri, NAKG.hasMechanism, self.term("DopingMechanism", m))
        self.add(iri, NAKG.basis, self.term("EvidenceBasis", r.get("basis", "experimental")))
        self.add(iri, NAKG.outcome, self.term("DopingOutcome", r.get("outcome", "not_stated")))
        self.compares(iri, r)
        self.add(iri, RDFS.label, self.lit(f"{', '.join(dopants)} in {self.label_of(r.get('host'))} → {self.label_of(r.get('product'))}"))

    def compares(self, iri: URIRef, r: Record) -> None:
        c = r.get("compares") or {}
        if c.get("before"):
            self.add(iri, NAKG.comparesBefore, iris.node("measurement", c["before"]))
        if c.get("after"):
            self.add(iri, NAKG.comparesAfter, iris.node("measurement", c["after"]))

    def synthesis(self, r: Record) -> None:
        iri = self.statement(iris.node("synthesis", r.id), NAKG.Synthesis, r)
        self.add(iri, NAKG.recordId, self.lit(r.id))
        self.add(iri, NAKG.producesMaterial, iris.material(r.get("material")))
        routes = r.get("routes", [])
        for route in routes:
            self.add(iri, NAKG.usesRoute, self.term("SynthesisRoute", route))
        for i, step in enumerate(r.get("steps", []), start=1):
            s = iris.node("synthesis", r.id, "step", i)
            self.add(s, RDF.type, NAKG.SynthesisStep)
            self.add(iri, NAKG.hasStep, s)
            self.add(s, NAKG.stepOrder, self.lit(i))
            self.add(s, NAKG.stepKind, self.term("SynthesisStepKind", step["kind"]))
            self.temperature(s, step.get("temperature"))
            if step.get("duration"):
                self.add(s, NAKG.durationAsWritten, self.lit(step["duration"]))
                m = _HOURS.match(step["duration"])
                if m:
                    hours = float(m.group(2)) / (60 if m.group(3) == "min" else 1)
                    self.add(s, NAKG.durationH, self.double(hours))
                    if m.group(1):  # a plain duration is exact; only a stated bound or approximation is marked
                        self.add(s, NAKG.durationQualifier, self.term("ValueQualifier", _DURATION_QUALIFIERS[m.group(1)]))
            self.add(s, NAKG.atmosphere, self.lit(step["atmosphere"]) if step.get("atmosphere") else None)
            self.add(s, RDFS.label, self.lit(f"{step['kind']}" + (f" at {step['temperature'].as_written}" if step.get("temperature") else "")))
        for field, prop in (("precursors", NAKG.usesPrecursor), ("additives", NAKG.usesAdditive), ("impurities", NAKG.formsImpurity)):
            for m in r.get(field, []):
                self.add(iri, prop, iris.material(m))
        if r.get("solvent"):
            self.add(iri, NAKG.usesSolvent, iris.material(r.get("solvent")))
        for m in r.get("outcomes", []):
            self.add(iri, NAKG.hasOutcome, iris.node("measurement", m))
        for e in r.get("effects", []):
            self.add(iri, NAKG.hasEffect, self.term("SynthesisEffect", e))
        self.compares(iri, r)
        route_text = ", ".join(routes) if routes else "synthesis"
        self.add(iri, RDFS.label, self.lit(f"{route_text.replace('_', ' ')} of {self.label_of(r.get('material'))}"))

    def structure(self, r: Record) -> None:
        iri = self.statement(iris.node("structure", r.id), NAKG.CrystalStructure, r)
        self.add(iri, NAKG.recordId, self.lit(r.id))
        self.add(iri, NAKG.structureOf, iris.material(r.get("material")))
        for field, prop in (("phase", NAKG.phaseLabel), ("space_group", NAKG.spaceGroup), ("composition_range", NAKG.compositionRange)):
            if r.get(field):
                self.add(iri, prop, self.lit(r.get(field)))
        if r.get("crystal_system"):
            self.add(iri, NAKG.crystalSystem, self.term("CrystalSystem", r.get("crystal_system")))
        if r.get("conduction"):
            self.add(iri, NAKG.conductionDimensionality, self.term("ConductionDimensionality", r.get("conduction")))
        for site in r.get("na_sites", []):
            self.add(iri, NAKG.naSite, self.lit(site))
        for axis, q in sorted((r.get("lattice") or {}).items()):
            self.measurement(iris.node("structure", r.id, f"lattice-{axis}"), r, f"lattice_parameter_{axis}", q, iri,
                             label=f"lattice parameter {axis} of {self.label_of(r.get('material'))}: {q.render()}")
        name = " ".join(x for x in (r.get("phase"), r.get("space_group")) if x) or "structure"
        self.add(iri, RDFS.label, self.lit(f"{name} {self.label_of(r.get('material'))}"))
        t = r.get("transforms_to")
        if t:
            tr = self.statement(iris.node("structure", r.id, "transition"), NAKG.PhaseTransition, r)
            self.add(tr, NAKG.fromStructure, iri)
            self.add(tr, NAKG.toStructure, iris.node("structure", t["structure"]))
            self.add(tr, RDFS.label, self.lit(f"transition of {self.label_of(r.get('material'))} from {r.get('phase') or r.id}"))
            if t.get("temperature"):
                self.temperature_measurement(iris.node("structure", r.id, "transition", "temperature"), r,
                                             "phase_transition_temperature", t["temperature"], tr,
                                             f"transition temperature of {self.label_of(r.get('material'))}: {t['temperature'].as_written}")

    def interface(self, r: Record) -> None:
        iri = self.statement(iris.node("interface", r.id), NAKG.InterfaceModification, r)
        self.add(iri, NAKG.recordId, self.lit(r.id))
        self.add(iri, NAKG.modifiesElectrolyte, iris.material(r.get("electrolyte")))
        self.add(iri, NAKG.electrodeSide, self.term("ElectrodeSide", r.get("side")))
        if r.get("electrode"):
            self.add(iri, NAKG.atElectrode, iris.material(r.get("electrode")))
        self.add(iri, NAKG.usesStrategy, self.term("InterfaceStrategy", r.get("strategy")))
        for m in r.get("materials", []):
            self.add(iri, NAKG.usesMaterial, iris.material(m))
        for e in r.get("effects", []):
            self.add(iri, NAKG.hasEffect, self.term("InterfaceEffect", e))
        for m in r.get("results", []):
            self.add(iri, NAKG.hasResult, iris.node("measurement", m))
        used = ", ".join(self.label_of(m) for m in r.get("materials", []))
        self.add(iri, RDFS.label, self.lit(f"{r.get('strategy').replace('_', ' ')}{' of ' + used if used else ''} on {r.get('side')} side of {self.label_of(r.get('electrolyte'))}"))

    def cell(self, r: Record) -> None:
        cls = NAKG.FullCell if r.get("kind") == "full" else NAKG.SymmetricCell
        iri = self.statement(iris.node("cell", r.id), cls, r)
        self.add(iri, RDF.type, NAKG.Cell)
        self.add(iri, NAKG.recordId, self.lit(r.id))
        if r.get("notation"):
            self.add(iri, NAKG.cellNotation, self.lit(r.get("notation")))
        for field, prop in (("cathode", NAKG.hasCathode), ("anode", NAKG.hasAnode)):
            if r.get(field):
                self.add(iri, prop, iris.material(r.get(field)))
        for field, prop in (("electrolytes", NAKG.hasElectrolyte), ("components", NAKG.hasCellComponent)):
            for m in r.get(field, []):
                self.add(iri, prop, iris.material(m))
        for m in r.get("modifications", []):
            self.add(iri, NAKG.hasModification, iris.node("interface", m))
        table = r.get("table")
        if table:
            self.add(iri, NAKG.tableRow, self.lit(table["row"]))
            self.add(iri, NAKG.sourceTable, self.lit(table["name"]))
        if r.get("loading_as_written"):
            self.add(iri, NAKG.loadingAsWritten, self.lit(r.get("loading_as_written")))
        label = r.get("notation") or " / ".join(self.label_of(x) for x in [r.get("cathode"), *r.get("electrolytes"), r.get("anode")] if x)
        self.add(iri, RDFS.label, self.lit(label))
        for field, slug_ in (("first_cycle_capacity", "first-cycle-capacity"), ("theoretical_capacity", "theoretical-capacity"), ("loading", "loading")):
            if r.get(field):
                q, t = r.get(field)
                prop = "areal_loading" if field == "loading" else field
                self.measurement(iris.node("cell", r.id, slug_), r, prop, q, iri, t)
        for i, c in enumerate(r.get("cycling", []), start=1):
            cr = iris.node("cell", r.id, "cycling", i)
            self.add(cr, RDF.type, NAKG.CyclingResult)
            self.add(iri, NAKG.hasCyclingResult, cr)
            if c.get("cycles") is not None:
                self.add(cr, NAKG.cycleCount, self.lit(c["cycles"]))
                if c.get("cycles_qualifier"):
                    self.add(cr, NAKG.cycleCountQualifier, self.term("ValueQualifier", c["cycles_qualifier"]))
            if c.get("temperature_qualifier"):
                self.add(cr, NAKG.temperatureQualifier, self.term("ValueQualifier", c["temperature_qualifier"]))
            if c.get("rate"):
                self.add(cr, NAKG.rateAsWritten, self.lit(c["rate"]))
                m = re.match(r"^(\d+(?:\.\d+)?)\s*C$", c["rate"])
                if m:
                    self.add(cr, NAKG.cRate, self.double(float(m.group(1))))
            self.temperature(cr, c.get("temperature"))
            bits = [f"{c['cycles']} cycles" if c.get("cycles") else None, c.get("rate")]
            self.add(cr, RDFS.label, self.lit(", ".join(b for b in bits if b) or "cycling"))
            for field, prop, slug_ in (("retention", "capacity_retention", "retention"), ("capacity", "reversible_capacity", "capacity"), ("duration", "cycling_time", "duration")):
                if c.get(field):
                    self.measurement(iris.node("cell", r.id, "cycling", i, slug_), r, prop, c[field], cr, c.get("temperature"))

    def finding(self, r: Record) -> None:
        iri = self.statement(iris.node("finding", r.id), NAKG.Finding, r)
        self.add(iri, NAKG.recordId, self.lit(r.id))
        for t in r.get("techniques", []):
            self.add(iri, NAKG.usesTechnique, self.term("CharacterizationTechnique", t))
        for s in r.get("subjects", []):
            kind = self.record(s).kind
            self.add(iri, NAKG.aboutSubject, iris.node("material" if kind == "materials" else "cell", s))
        if r.get("mechanism"):
            self.add(iri, NAKG.revealsMechanism, self.term("TransportMechanism", r.get("mechanism")))
        for t in r.get("reveals", []):
            self.add(iri, NAKG.revealsTopic, self.term("FindingTopic", t))
        if r.get("summary"):
            self.add(iri, NAKG.summary, self.lit(r.get("summary")))
        self.add(iri, RDFS.label, self.lit(r.get("summary") or r.id))
        for i, v in enumerate(r.get("values", []), start=1):
            node = iris.node("finding", r.id, "value", i)
            t = v.get("temperature")
            prop_label = self.v.labels.get(self.v.measurements[v["property"]].iri, v["property"])
            label = f"{prop_label} stated in finding {r.id}: {v['quantity'].render()}" + (f" at {t.as_written}" if t else "")
            self.measurement(node, r, v["property"], v["quantity"], iri, t, label=label)
            if v.get("family"):
                self.add(node, NAKG.aboutFamily, self.term("ElectrolyteFamily", v["family"]))

    def challenge(self, r: Record) -> None:
        iri = self.statement(iris.node("challenge", r.id), NAKG.ChallengeStatement, r)
        self.add(iri, NAKG.recordId, self.lit(r.id))
        subject = self.term("ElectrolyteFamily", r.get("subject_family")) if r.get("subject_family") else iris.material(r.get("subject"))
        challenge = self.term("Challenge", r.get("challenge"))
        self.add(iri, NAKG.challengeSubject, subject)
        self.add(iri, NAKG.concernsChallenge, challenge)
        self.add(subject, NAKG.facesChallenge, challenge)
        self.add(iri, RDFS.label, self.lit(f"{r.get('challenge').replace('_', ' ')} of {r.get('subject_family') or self.label_of(r.get('subject'))}"))

    def literature(self) -> None:
        review = self.rs.review
        if review is not None:
            iri = iris.review(review.id)
            self.note(iri, review)
            d = review.data
            self.add(iri, RDF.type, NAKG.Review)
            self.add(iri, RDFS.label, self.lit(d["title"], lang="en"))
            self.add(iri, NAKG.authorList, self.lit(", ".join(d["authors"])))
            for a in d["authors"]:
                self.add(iri, NAKG.authorName, self.lit(a))
            self.add(iri, NAKG.publicationYear, self.lit(d["year"]))
            for field, prop in (("publisher", NAKG.publisher), ("received", NAKG.dateReceived), ("revised", NAKG.dateRevised),
                                ("accepted", NAKG.dateAccepted), ("available_online", NAKG.dateAvailableOnline)):
                if d.get(field):
                    self.add(iri, prop, self.lit(d[field]))
            if d.get("copyright_year"):
                self.add(iri, NAKG.copyrightYear, self.lit(d["copyright_year"]))
            for k in d.get("keywords", []):
                self.add(iri, NAKG.keyword, self.lit(k))
            if d.get("note"):
                self.add(iri, NAKG.curationNote, self.lit(d["note"]))
            for s in sorted(self.sections):
                sec = iris.section(s)
                self.add(sec, RDF.type, NAKG.ReviewSection)
                self.add(sec, NAKG.sectionNumber, self.lit(s))
                self.add(sec, NAKG.sectionOf, iri)
                self.add(sec, RDFS.label, self.lit("Abstract" if s == "abstract" else f"Section {s}"))
        for n, ref in sorted(self.rs.references.items()):
            d = ref.data
            iri = iris.reference(n)
            self.note(iri, ref)
            self.add(iri, RDF.type, NAKG.Reference)
            self.add(iri, NAKG.referenceNumber, self.lit(n))
            for a in d["authors"]:
                self.add(iri, NAKG.authorName, self.lit(a))
            authors = ", ".join(d["authors"]) + (", et al." if d.get("et_al") else "")
            self.add(iri, NAKG.authorList, self.lit(authors))
            self.add(iri, NAKG.etAl, self.lit(bool(d.get("et_al", False))))
            for field, prop in (("journal", NAKG.journalTitle), ("volume", NAKG.volume), ("pages", NAKG.pages)):
                if d.get(field):
                    self.add(iri, prop, self.lit(d[field]))
            self.add(iri, NAKG.publicationYear, self.lit(d["year"]))
            if d.get("note"):
                self.add(iri, NAKG.curationNote, self.lit(d["note"]))
            for other in d.get("duplicate_of", []):
                self.add(iri, NAKG.duplicateOf, iris.reference(other))
            if review is not None:
                self.add(iri, NAKG.citedBy, iris.review(review.id))
            where = " ".join(x for x in (d.get("journal"), d.get("volume"), f"({d['year']})", d.get("pages")) if x)
            self.add(iri, RDFS.label, self.lit(f"[{n}] {d['authors'][0]}{' et al.' if d.get('et_al') or len(d['authors']) > 1 else ''}, {where}"))

    def handlers(self) -> dict:
        """The method that transforms each record kind."""
        return {
            "materials": self.material, "measurements": self.measurement_record, "dopings": self.doping,
            "syntheses": self.synthesis, "structures": self.structure, "interfaces": self.interface,
            "cells": self.cell, "findings": self.finding, "challenges": self.challenge,
        }

    def closing(self) -> None:
        """What the whole graph has once: the review, its sections and references, the data graph's own node."""
        self.literature()
        dataset = URIRef("https://w3id.org/nakg/resource/graph")
        self.add(dataset, RDF.type, OWL.Ontology)
        self.add(dataset, OWL.imports, URIRef("https://w3id.org/nakg/ontology"))
        self.add(dataset, RDFS.label, self.lit("nakg data graph", lang="en"))

    def build(self):
        """Run every record through its method; return the graph (the sink itself for a sink other than rdflib's)."""
        handlers = self.handlers()
        for record in self.rs:
            handlers[record.kind](record)
        self.closing()
        return self.sink.graph if isinstance(getattr(self.sink, "graph", None), Graph) else self.sink

    def build_parts(self, files: list[str] | None = None) -> Parts:
        """Transform the records file by file into a sink with parts (:meth:`~nakg.rdf.sinks.NTriplesSink.begin`).

        Each record file's part holds every triple its records make (shared species
        and element nodes included), so the graph is the union of the parts and a
        part can be made again on its own; :data:`CLOSING` holds :meth:`closing`'s
        triples. Returns what each part read of other records and which review
        sections it cites. ``files``: only these files' parts (and no closing part).
        """
        handlers = self.handlers()
        by_file: dict[str, list[Record]] = {}
        for record in self.rs:
            by_file.setdefault(record.file, []).append(record)
        parts = Parts()
        for name in (self.rs.files if files is None else files):
            self.sink.begin(name)
            self._made, self.reads, self.sections = set(), set(), set()
            self._part_index = parts.index[name] = {}
            for record in by_file.get(name, ()):
                handlers[record.kind](record)
            own = {r.id for r in by_file.get(name, ())}
            parts.reads[name] = self.reads - own
            parts.sections[name] = self.sections
        self.reads = None
        self._part_index = None
        if files is None:
            parts.index[CLOSING] = self.closing_part(set().union(*parts.sections.values()))
        self.sink.begin(None)
        return parts

    def closing_part(self, sections: set[str]) -> dict[URIRef, Record]:
        """Make the :data:`CLOSING` part for a graph whose records cite ``sections``; return its index."""
        self.sink.begin(CLOSING)
        self.sections = set(sections)
        index = self._part_index = {}
        self.closing()
        self._part_index = None
        self.sink.begin(None)
        return index


#: The name of the part that holds what the whole graph has once (:meth:`GraphBuilder.closing`).
CLOSING = "<closing>"


@dataclass
class Parts:
    """What each part of a graph built by :meth:`GraphBuilder.build_parts` depends on and indexes."""

    reads: dict[str, set[str]] = field(default_factory=dict)
    sections: dict[str, set[str]] = field(default_factory=dict)
    index: dict[str, dict[URIRef, Record]] = field(default_factory=dict)


def records_to_graph(records: RecordSet, vocab: Vocabulary | None = None) -> tuple[Graph, dict[URIRef, Record]]:
    """Transform records into the data graph; also return the node → record index."""
    builder = GraphBuilder(records, vocab)
    graph = builder.build()
    return graph, builder.index


def records_to_ntriples(records: RecordSet, vocab: Vocabulary | None = None, parts: bool = False):
    """Transform records into an :class:`~nakg.rdf.sinks.NTriplesSink` (no rdflib graph); also return the index.

    ``parts``: build file by file (:meth:`GraphBuilder.build_parts`) and return ``(sink, index, parts)``.
    """
    from .sinks import NTriplesSink

    builder = GraphBuilder(records, vocab, NTriplesSink())
    if parts:
        found = builder.build_parts()
        return builder.sink, builder.index, found
    sink = builder.build()
    return sink, builder.index
