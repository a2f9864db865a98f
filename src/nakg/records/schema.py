"""The record schema: which fields each kind of record has, and how each is checked.

The field types are few and shared; controlled terms are checked against the
ontology's vocabularies (:mod:`nakg.vocab`). A check returns the normalised
value or raises :class:`~nakg.errors.RecordError` with the record's location.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any, Callable

from ..errors import Location, RecordError, TemperatureError
from ..errors import shown as _short
from ..quantities import QUALIFIERS, Quantity, parse_temperature
from ..vocab import Vocabulary
from .model import Prov

__all__ = ["ID_PATTERN", "Spec", "SPECS", "REVIEW_SPEC", "REFERENCE_SPEC", "check_fields", "check_quantity"]

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{0,79}$")
SECTION_PATTERN = re.compile(r"^(abstract|[0-9]+(\.[0-9]+){0,3})$")
MAX_TEXT = 2000
MAX_SUMMARY = 200


@dataclass(frozen=True)
class Spec:
    """How one field is checked: its type, whether it is required, and its argument.

    Types: ``id``, ``str``, ``strs``, ``int``, ``num``, ``bool``, ``ref`` / ``refs``
    (ids of other records; ``arg`` names the kinds they may point to), ``vocab`` /
    ``vocabs`` (record keys; ``arg`` is the ontology scheme), ``quantity``,
    ``temperature``, ``prov`` and the nested types ``substitutions``, ``steps``,
    ``lattice``, ``transition``, ``cycling``, ``table``, ``compares``, ``date``.
    """

    type: str
    required: bool = False
    arg: Any = None


MATERIALS = ("materials",)
SPECS: dict[str, dict[str, Spec]] = {
    "materials": {
        "id": Spec("id", True),
        "formula": Spec("str", True),
        "name": Spec("str"),
        "aliases": Spec("strs"),
        "family": Spec("vocab", arg="ElectrolyteFamily"),
        "roles": Spec("vocabs", arg="MaterialRole"),
        "form": Spec("vocab", arg="MaterialForm"),
        "parseable": Spec("bool"),
        "series": Spec("ref", arg=MATERIALS),
        "x": Spec("num"),
        "derived_from": Spec("refs", arg=MATERIALS),
        "prov": Spec("prov", True),
    },
    "measurements": {
        "id": Spec("id", True),
        "material": Spec("ref", arg=MATERIALS),
        "cell": Spec("ref", arg=("cells",)),
        "structure": Spec("ref", arg=("structures",)),
        "interface": Spec("ref", arg=("interfaces",)),
        "property": Spec("measurement", True),
        "value": Spec("num"),
        "min": Spec("num"),
        "max": Spec("num"),
        "unit": Spec("str", True),
        "qualifier": Spec("str"),
        "uncertainty": Spec("str"),
        "temperature": Spec("temperature"),
        "temperature_qualifier": Spec("choice", arg=("exact", "approx", "lower_bound", "upper_bound")),
        "contribution": Spec("vocab", arg="ConductivityContribution"),
        "basis": Spec("vocab", arg="EvidenceBasis"),
        "conditions": Spec("str"),
        "applies_to": Spec("measurement"),
        "change": Spec("choice", arg=("increase", "decrease")),
        "prov": Spec("prov", True),
    },
    "dopings": {
        "id": Spec("id", True),
        "host": Spec("ref", True, MATERIALS),
        "product": Spec("ref", True, MATERIALS),
        "substitutions": Spec("substitutions", True),
        "valence": Spec("vocab", True, "ValenceType"),
        "mechanisms": Spec("vocabs", arg="DopingMechanism"),
        "basis": Spec("vocab", arg="EvidenceBasis"),
        "outcome": Spec("vocab", arg="DopingOutcome"),
        "compares": Spec("compares"),
        "prov": Spec("prov", True),
    },
    "syntheses": {
        "id": Spec("id", True),
        "material": Spec("ref", True, MATERIALS),
        "routes": Spec("vocabs", arg="SynthesisRoute"),
        "steps": Spec("steps"),
        "precursors": Spec("refs", arg=MATERIALS),
        "additives": Spec("refs", arg=MATERIALS),
        "solvent": Spec("ref", arg=MATERIALS),
        "outcomes": Spec("refs", arg=("measurements",)),
        "impurities": Spec("refs", arg=MATERIALS),
        "effects": Spec("vocabs", arg="SynthesisEffect"),
        "compares": Spec("compares"),
        "prov": Spec("prov", True),
    },
    "structures": {
        "id": Spec("id", True),
        "material": Spec("ref", True, MATERIALS),
        "phase": Spec("str"),
        "crystal_system": Spec("vocab", arg="CrystalSystem"),
        "space_group": Spec("str"),
        "lattice": Spec("lattice"),
        "conduction": Spec("vocab", arg="ConductionDimensionality"),
        "na_sites": Spec("strs"),
        "composition_range": Spec("str"),
        "transforms_to": Spec("transition"),
        "prov": Spec("prov", True),
    },
    "interfaces": {
        "id": Spec("id", True),
        "electrolyte": Spec("ref", True, MATERIALS),
        "side": Spec("vocab", True, "ElectrodeSide"),
        "electrode": Spec("ref", arg=MATERIALS),
        "strategy": Spec("vocab", True, "InterfaceStrategy"),
        "materials": Spec("refs", arg=MATERIALS),
        "effects": Spec("vocabs", arg="InterfaceEffect"),
        "results": Spec("refs", arg=("measurements",)),
        "prov": Spec("prov", True),
    },
    "cells": {
        "id": Spec("id", True),
        "kind": Spec("choice", True, ("full", "symmetric")),
        "notation": Spec("str"),
        "cathode": Spec("ref", arg=MATERIALS),
        "anode": Spec("ref", arg=MATERIALS),
        "electrolytes": Spec("refs", True, MATERIALS),
        "modifications": Spec("refs", arg=("interfaces",)),
        "components": Spec("refs", arg=MATERIALS),
        "first_cycle_capacity": Spec("quantity", arg="first_cycle_capacity"),
        "theoretical_capacity": Spec("quantity", arg="theoretical_capacity"),
        "cycling": Spec("cycling"),
        "loading": Spec("quantity", arg="areal_loading"),
        "loading_as_written": Spec("str"),
        "table": Spec("table"),
        "prov": Spec("prov", True),
    },
    "findings": {
        "id": Spec("id", True),
        "techniques": Spec("vocabs", arg="CharacterizationTechnique"),
        "subjects": Spec("refs", arg=("materials", "cells")),
        "mechanism": Spec("vocab", arg="TransportMechanism"),
        "reveals": Spec("vocabs", arg="FindingTopic"),
        "summary": Spec("summary"),
        "values": Spec("stated_values"),
        "prov": Spec("prov", True),
    },
    "challenges": {
        "id": Spec("id", True),
        "subject": Spec("subject", True),
        "challenge": Spec("vocab", True, "Challenge"),
        "prov": Spec("prov", True),
    },
}

REVIEW_SPEC: dict[str, Spec] = {
    "id": Spec("id", True),
    "title": Spec("str", True),
    "authors": Spec("strs", True),
    "year": Spec("year", True),
    "publisher": Spec("str"),
    "copyright_year": Spec("year"),
    "received": Spec("date"),
    "revised": Spec("date"),
    "accepted": Spec("date"),
    "available_online": Spec("date"),
    "keywords": Spec("strs"),
    "sections": Spec("strs"),
    "note": Spec("str"),
}

REFERENCE_SPEC: dict[str, Spec] = {
    "number": Spec("int", True),
    "authors": Spec("strs", True),
    "et_al": Spec("bool"),
    "journal": Spec("str"),
    "volume": Spec("str"),
    "year": Spec("year", True),
    "pages": Spec("str"),
    "duplicate_of": Spec("ints"),
    "note": Spec("str"),
}

#: How a stated count or temperature relates to the true one: "more than 100 cycles" is a lower bound,
#: "around 485 K" approximate.
COUNT_QUALIFIERS = ("exact", "approx", "lower_bound", "upper_bound")


def _choice(ch: "Checker", f: str, v: Any, allowed: tuple[str, ...]) -> str:
    if v not in allowed:
        raise ch.fail(f, f"must be one of {', '.join(allowed)}, got {v!r}", "unknown_term")
    return v


QUANTITY_KEYS = ("value", "min", "max", "unit", "qualifier", "uncertainty")


class Checker:
    """Checks the fields of one record, collecting the references it makes."""

    def __init__(self, vocab: Vocabulary, file: str, record_id: str | None, field_lines: dict[str, int], line: int):
        self.vocab = vocab
        self.file = file
        self.record_id = record_id
        self.field_lines = field_lines
        self.line = line
        self.nested_lines: dict[str, int] = {}  # "cycling[0].cycles" → line
        self.refs: list[tuple[str, str, tuple[str, ...]]] = []  # (field, target id, kinds)
        self.ref_numbers: list[tuple[str, int]] = []
        self.section_refs: list[tuple[str, str]] = []  # (field, section number) to check against the review

    def fail(self, field: str, message: str, code: str = "invalid") -> RecordError:
        line = self.nested_lines.get(field) or self.field_lines.get(re.split(r"[.\[]", field)[0], self.line)
        return RecordError(message, Location(self.file, self.record_id, field, line), code)

    # --- scalar types ---------------------------------------------------
    def str_(self, f: str, v: Any, limit: int = MAX_TEXT) -> str:
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            v = str(v)
        if not isinstance(v, str) or not v.strip():
            raise self.fail(f, f"must be a non-empty string, got {_short(v)}", "type")
        if v != v.strip():
            raise self.fail(f, "has leading or trailing whitespace", "whitespace")
        if len(v) > limit:
            raise self.fail(f, f"is {len(v)} characters long (limit {limit})", "too_long")
        return v

    def num(self, f: str, v: Any) -> float:
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            raise self.fail(f, f"must be a number, got {_short(v)}", "type")
        if not math.isfinite(v):
            raise self.fail(f, f"must be a finite number, got {_short(v)}", "value")
        return float(v)

    def int_(self, f: str, v: Any) -> int:
        if isinstance(v, bool) or not isinstance(v, int):
            raise self.fail(f, f"must be a whole number, got {_short(v)}", "type")
        return v

    def list_(self, f: str, v: Any) -> list:
        if not isinstance(v, list):
            raise self.fail(f, f"must be a list, got {type(v).__name__}", "type")
        return v

    def vocab_(self, f: str, v: Any, scheme: str) -> str:
        v = self.str_(f, v)
        if v not in self.vocab.schemes.get(scheme, {}):
            known = ", ".join(self.vocab.keys(scheme))
            raise self.fail(f, f"unknown {scheme} '{v}' (known: {known})", "unknown_term")
        return v

    def ref(self, f: str, v: Any, kinds: tuple[str, ...]) -> str:
        v = self.str_(f, v)
        self.refs.append((f, v, kinds))
        return v

    # --- composite types ------------------------------------------------
    def quantity(self, f: str, m: Any, measurement: str | None) -> Quantity:
        if not isinstance(m, dict):
            raise self.fail(f, "must be a mapping like {value: 1.0, unit: S/cm}", "type")
        extra = set(m) - set(QUANTITY_KEYS) - {"temperature"}
        if extra:
            raise self.fail(f, f"unknown key(s) {sorted(extra)} in quantity", "unknown_field")
        return check_quantity(self, f, m, measurement)

    def prov(self, f: str, m: Any) -> Prov:
        if not isinstance(m, dict):
            raise self.fail(f, "must be a mapping {sections: [...], refs: [...]}", "type")
        extra = set(m) - {"sections", "refs", "tables", "figures", "note"}
        if extra:
            raise self.fail(f, f"unknown key(s) {sorted(extra)} in prov", "unknown_field")
        sections = [self.str_(f"{f}.sections", s) for s in self.list_(f"{f}.sections", m.get("sections", []))]
        if not sections:
            raise self.fail(f"{f}.sections", "provenance needs at least one review section", "missing")
        for s in sections:
            if not SECTION_PATTERN.match(s):
                raise self.fail(f"{f}.sections", f"'{s}' is not a section number like '4.2.2' or 'abstract'", "value")
            self.section_refs.append((f"{f}.sections", s))
        refs = []
        for n in self.list_(f"{f}.refs", m.get("refs", [])):
            refs.append(self.int_(f"{f}.refs", n))
            self.ref_numbers.append((f"{f}.refs", refs[-1]))
        tables = tuple(self.str_(f"{f}.tables", t) for t in self.list_(f"{f}.tables", m.get("tables", [])))
        figures = tuple(self.str_(f"{f}.figures", t) for t in self.list_(f"{f}.figures", m.get("figures", [])))
        note = self.str_(f"{f}.note", m["note"]) if m.get("note") is not None else None
        return Prov(tuple(dict.fromkeys(sections)), tuple(dict.fromkeys(refs)), tables, figures, note)

    def temperature(self, f: str, v: Any):
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            raise self.fail(f, f"temperature needs a unit: write '{v} °C' or '{v} K'", "unit")
        try:
            return parse_temperature(v)
        except TemperatureError as exc:
            raise self.fail(f, str(exc), "temperature") from exc

    def nested(self, f: str, v: Any, keys: dict[str, Callable[[str, Any], Any]], required: tuple[str, ...] = ()) -> dict:
        if not isinstance(v, dict):
            raise self.fail(f, "must be a mapping", "type")
        for k in v:
            line = getattr(v, "key_lines", {}).get(k)
            if line:
                self.nested_lines[f"{f}.{k}"] = line
        extra = set(v) - set(keys)
        if extra:
            raise self.fail(f, f"unknown key(s) {sorted(extra)}; allowed: {sorted(keys)}", "unknown_field")
        for k in required:
            if v.get(k) is None:
                raise self.fail(f"{f}.{k}", "is required", "missing")
        return {k: keys[k](f"{f}.{k}", val) for k, val in v.items() if val is not None}


def check_quantity(ch: Checker, f: str, m: dict, measurement: str | None) -> Quantity:
    """Check a value/range + unit + qualifier mapping against a measurement kind's units."""
    unit = ch.str_(f"{f}.unit" if f != "" else "unit", m.get("unit")) if m.get("unit") is not None else None
    if unit is None:
        raise ch.fail(f or "unit", "a unit is required", "missing")
    if unit not in ch.vocab.units:
        raise ch.fail(f or "unit", f"unknown unit '{unit}' (known: {', '.join(sorted(ch.vocab.units))})", "unit")
    if measurement is not None:
        allowed = ch.vocab.measurements[measurement].allowed_units
        if allowed and unit not in allowed:
            raise ch.fail(f or "unit", f"unit '{unit}' does not fit {measurement} (allowed: {', '.join(allowed)})", "unit")
    has_value = m.get("value") is not None
    has_range = m.get("min") is not None or m.get("max") is not None
    if has_value == has_range:
        raise ch.fail(f or "value", "give either value or both min and max", "missing" if not has_value else "value")
    qualifier = m.get("qualifier", "exact")
    if qualifier not in QUALIFIERS:
        raise ch.fail(f or "qualifier", f"unknown qualifier '{qualifier}' (known: {', '.join(QUALIFIERS)})", "unknown_term")
    uncertainty = ch.str_(f or "uncertainty", m["uncertainty"]) if m.get("uncertainty") is not None else None
    if has_value:
        value = ch.num(f or "value", m["value"])
        return Quantity(unit=unit, value=value, qualifier=qualifier, uncertainty=uncertainty)
    if m.get("min") is None or m.get("max") is None:
        raise ch.fail(f or "min", "a range needs both min and max", "missing")
    lo, hi = ch.num(f or "min", m["min"]), ch.num(f or "max", m["max"])
    if lo > hi:
        raise ch.fail(f or "min", f"range minimum {lo} is above maximum {hi}", "value")
    return Quantity(unit=unit, min=lo, max=hi, qualifier=qualifier, uncertainty=uncertainty)


def check_fields(ch: Checker, mapping: dict, specs: dict[str, Spec]) -> dict[str, Any]:
    """Check every field of a record mapping against ``specs``; return normalised data."""
    unknown = [k for k in mapping if k not in specs and not (specs is SPECS["measurements"] and k in QUANTITY_KEYS)]
    for k in unknown:
        raise ch.fail(str(k), f"unknown field '{k}' (allowed: {', '.join(specs)})", "unknown_field")
    data: dict[str, Any] = {}
    for name, spec in specs.items():
        value = mapping.get(name)
        if value is None:
            if spec.required:
                raise ch.fail(name, "is required", "missing")
            continue
        data[name] = _check_one(ch, name, spec, value)
    return data


def _check_one(ch: Checker, name: str, spec: Spec, v: Any) -> Any:
    t = spec.type
    if t == "id":
        v = ch.str_(name, v)
        if not ID_PATTERN.match(v):
            raise ch.fail(name, f"id '{v}' must match {ID_PATTERN.pattern} (lower case, digits, . _ -)", "id")
        return v
    if t == "str":
        return ch.str_(name, v)
    if t == "summary":
        return ch.str_(name, v, MAX_SUMMARY)
    if t == "strs":
        return [ch.str_(name, s) for s in ch.list_(name, v)]
    if t == "int":
        return ch.int_(name, v)
    if t == "num":
        return ch.num(name, v)
    if t == "ints":
        return [ch.int_(name, n) for n in ch.list_(name, v)]
    if t == "year":
        year = ch.int_(name, v)
        if not 1800 <= year <= 2100:
            raise ch.fail(name, f"year {year} is outside 1800–2100", "value")
        return year
    if t == "date":
        text = str(v)
        if not re.match(r"^\d{4}-\d{2}-\d{2}$", text):
            raise ch.fail(name, f"date must be YYYY-MM-DD, got {_short(v)}", "value")
        return text
    if t == "bool":
        if not isinstance(v, bool):
            raise ch.fail(name, f"must be true or false, got {_short(v)}", "type")
        return v
    if t == "choice":
        if v not in spec.arg:
            raise ch.fail(name, f"must be one of {', '.join(spec.arg)}, got {_short(v)}", "unknown_term")
        return v
    if t == "vocab":
        return ch.vocab_(name, v, spec.arg)
    if t == "vocabs":
        return list(dict.fromkeys(ch.vocab_(name, s, spec.arg) for s in ch.list_(name, v)))
    if t == "measurement":
        v = ch.str_(name, v)
        if v not in ch.vocab.measurements:
            raise ch.fail(name, f"unknown property '{v}' (known: {', '.join(sorted(ch.vocab.measurements))})", "unknown_term")
        return v
    if t == "ref":
        return ch.ref(name, v, spec.arg)
    if t == "refs":
        items = [ch.ref(name, s, spec.arg) for s in ch.list_(name, v)]
        if spec.required and not items:
            raise ch.fail(name, "needs at least one id", "missing")
        return items
    if t == "subject":
        return ch.str_(name, v)
    if t == "temperature":
        return ch.temperature(name, v)
    if t == "prov":
        return ch.prov(name, v)
    if t == "quantity":
        q = ch.quantity(name, v, spec.arg)
        temp = ch.temperature(f"{name}.temperature", v["temperature"]) if v.get("temperature") is not None else None
        return (q, temp)
    if t == "substitutions":
        items = ch.list_(name, v)
        if not items:
            raise ch.fail(name, "needs at least one substitution", "missing")
        keys = {"dopant": ch.str_, "charge": ch.str_, "site": ch.str_}
        return [ch.nested(f"{name}[{i}]", s, keys, ("dopant",)) for i, s in enumerate(items)]
    if t == "steps":
        keys = {
            "kind": lambda f, x: ch.vocab_(f, x, "SynthesisStepKind"),
            "temperature": ch.temperature,
            "duration": ch.str_,
            "atmosphere": ch.str_,
        }
        return [ch.nested(f"{name}[{i}]", s, keys, ("kind",)) for i, s in enumerate(ch.list_(name, v))]
    if t == "lattice":
        axes = {a: (lambda a: lambda f, x: ch.quantity(f, x, f"lattice_parameter_{a}"))(a) for a in "abc"}
        return ch.nested(name, v, axes)
    if t == "transition":
        keys = {"structure": lambda f, x: ch.ref(f, x, ("structures",)), "temperature": ch.temperature}
        return ch.nested(name, v, keys, ("structure",))
    if t == "compares":
        keys = {k: (lambda f, x: ch.ref(f, x, ("measurements",))) for k in ("before", "after")}
        out = ch.nested(name, v, keys)
        if not out:
            raise ch.fail(name, "needs 'before', 'after' or both", "missing")
        return out
    if t == "table":
        return ch.nested(name, v, {"name": ch.str_, "row": ch.int_}, ("name", "row"))
    if t == "stated_values":
        out = []
        for i, item in enumerate(ch.list_(name, v)):
            f = f"{name}[{i}]"
            if not isinstance(item, dict):
                raise ch.fail(f, "must be a mapping like {property: sintering_temperature, min: 200, max: 800, unit: °C}", "type")
            for k in item:
                line = getattr(item, "key_lines", {}).get(k)
                if line:
                    ch.nested_lines[f"{f}.{k}"] = line
            extra = set(item) - set(QUANTITY_KEYS) - {"property", "temperature", "family"}
            if extra:
                raise ch.fail(f, f"unknown key(s) {sorted(extra)}; allowed: property, family, temperature and the "
                                 "quantity keys", "unknown_field")
            prop = _check_one(ch, f"{f}.property", Spec("measurement"), item.get("property"))
            quantity = check_quantity(ch, f, {k: item[k] for k in QUANTITY_KEYS if k in item}, prop)
            entry = {"property": prop, "quantity": quantity}
            if item.get("temperature") is not None:
                entry["temperature"] = ch.temperature(f"{f}.temperature", item["temperature"])
            if item.get("family") is not None:
                entry["family"] = ch.vocab_(f"{f}.family", item["family"], "ElectrolyteFamily")
            out.append(entry)
        return out
    if t == "cycling":
        keys = {
            "cycles": ch.int_,
            "cycles_qualifier": lambda f, x: _choice(ch, f, x, COUNT_QUALIFIERS),
            "retention": lambda f, x: ch.quantity(f, x, "capacity_retention"),
            "rate": ch.str_,
            "temperature": ch.temperature,
            "temperature_qualifier": lambda f, x: _choice(ch, f, x, COUNT_QUALIFIERS),
            "capacity": lambda f, x: ch.quantity(f, x, "reversible_capacity"),
            "duration": lambda f, x: ch.quantity(f, x, "cycling_time"),
        }
        out = []
        for i, c in enumerate(ch.list_(name, v)):
            item = ch.nested(f"{name}[{i}]", c, keys)
            if "cycles" in item and item["cycles"] < 1:
                raise ch.fail(f"{name}[{i}].cycles", f"cycle count must be at least 1, got {item['cycles']}", "value")
            for field, needs in (("cycles_qualifier", "cycles"), ("temperature_qualifier", "temperature")):
                if field in item and needs not in item:
                    raise ch.fail(f"{name}[{i}].{field}", f"a {field.replace('_', ' ')} needs a {needs}", "missing")
            out.append(item)
        return out
    raise AssertionError(f"unknown spec type {t}")  # pragma: no cover
