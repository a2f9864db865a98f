"""The material card: everything the graph holds about one material, with the evidence beside each fact.

:func:`material_card` gathers it as plain data (JSON-ready); :func:`render_card`
writes it as text a researcher reads. ``kg.material(x)`` and ``nakg show X``
are both this card.

>>> import nakg
>>> card = material_card(nakg.load(), "NZSP")
>>> card["formula"], card["family"]["label"], card["composition"]["Zr"]
('Na3Zr2Si2PO12', 'NASICON', 2.0)
>>> any(m["property"] == "ionic_conductivity" and m["references"] for m in card["measurements"])
True
"""

from __future__ import annotations

from typing import Any

__all__ = ["material_card", "render_card", "CARD_SECTIONS"]

#: The list sections of a card, in the order the text shows them.
CARD_SECTIONS = ("measurements", "structures", "syntheses", "dopings_as_host", "dopings_as_product", "cells", "interfaces")

#: Columns of a table row that repeat the material itself (the card says it once, at the top).
_MATERIAL_COLUMNS = frozenset({
    "material", "material_id", "material_formula", "material_label", "family", "family_label", "top_family", "composition",
    "formula_normalized", "dopants", "host_formula", "host_composition", "host_formula_normalized", "series_variable",
    "series_min", "series_max", "subject", "subject_id", "subject_kind", "electrolyte", "electrolyte_id"})

_COMPOSITION = """
SELECT ?el ?amount WHERE { ?m nakg:hasComponent ?c . ?c nakg:element/nakg:symbol ?el ; nakg:amount ?amount }"""

_CLASSES = """
SELECT DISTINCT ?label WHERE { ?m a ?c . ?c rdfs:label ?label . FILTER(STRSTARTS(STR(?c), "https://w3id.org/nakg/")) }"""

_ROLES = "SELECT DISTINCT ?role WHERE { ?m nakg:hasRole/nakg:recordKey ?role }"


def _room(row: dict[str, Any]) -> bool:
    from .rules import is_room_temperature

    return is_room_temperature(written=row.get("temperature_as_written") or None, flagged=bool(row.get("room_temperature")),
                               kelvin=row.get("temperature_K"), min_kelvin=row.get("temperature_min_K"),
                               max_kelvin=row.get("temperature_max_K"))


def material_card(kg: Any, material: str) -> dict[str, Any]:
    """The card of the material ``material`` names (anything :mod:`nakg.resolve` takes).

    ``kg`` is a :class:`nakg.api.KnowledgeGraph` (not imported here: the API imports this module).
    """
    from . import resolve
    from .rules import representative

    r = resolve.resolver(kg)
    m = r.material(material)
    fam = resolve.family(m.family) if m.family else None
    composition = {row["el"]: float(row["amount"]) for row in kg.query(_COMPOSITION, m=_iri(m.iri))}
    properties = {t.key: t.label for t in resolve.terms("properties")}
    measurements = []
    for row in kg.measurements(m.id):
        item = {k: v for k, v in row.items() if k not in _MATERIAL_COLUMNS}
        item["property_label"] = properties.get(row.get("property"), row.get("property"))
        item["representative_value"] = representative(row.get("canonical_value"), row.get("canonical_min"), row.get("canonical_max"))
        item["at_room_temperature"] = _room(row)
        measurements.append(item)
    card: dict[str, Any] = {
        "id": m.id,
        "iri": m.iri,
        "formula": m.formula,
        "label": m.label,
        "aliases": list(m.aliases),
        "form": m.form,
        "roles": sorted(row["role"] for row in kg.query(_ROLES, m=_iri(m.iri))),
        "classes": sorted(row["label"] for row in kg.query(_CLASSES, m=_iri(m.iri))),
        "family": ({**fam.as_dict(), "path": list(fam.path)} if fam else None),
        "composition": dict(sorted(composition.items())),
        "elements": r.elements_of(m.id),
        "measurements": measurements,
        "structures": _own(kg.structures(m.id)),
        "syntheses": _own(kg.syntheses(m.id)),
        "dopings_as_host": _own(kg.dopings(m.id, as_="host")),
        "dopings_as_product": _own(kg.dopings(m.id, as_="product")),
        "lineage": {"parents": [_ref(r, i) for i in kg.parents(m.id)], "derivatives": [_ref(r, i) for i in kg.derivatives(m.id)]},
        "cells": kg.cells(m.id),
        "interfaces": _own(kg.interfaces(m.id)),
        "inferred": kg.reasoning is not None,
    }
    return card


def _own(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Table rows without the columns that repeat the material the card is about."""
    return [{k: v for k, v in row.items() if k not in _MATERIAL_COLUMNS} for row in rows]


def _ref(r, material_id: str) -> dict[str, str]:
    m = r.materials_by_id.get(material_id)
    return {"id": material_id, "formula": m.formula if m else material_id}


def _iri(text: str):
    from rdflib import URIRef

    return URIRef(text)


def _num(v: Any) -> str:
    return f"{v:g}" if isinstance(v, float) else str(v)


def _j(v: Any) -> str:
    """A cell for the text card: lists joined, missing as –."""
    if v is None or v == "" or v == []:
        return "–"
    if isinstance(v, (list, tuple)):
        return ", ".join(_num(x) for x in v)
    return _num(v)


def _measurement_line(m: dict[str, Any]) -> str:
    if m["value"] is not None:
        value = _num(m["value"])
    else:
        value = "–".join(_num(v) for v in (m["value_min"], m["value_max"]) if v is not None)
    if m.get("value_as_written"):
        value = m["value_as_written"]
    qual = "" if m.get("value_as_written") else {"approx": "≈", "lower_bound": "> ", "upper_bound": "< ",
                                                   "order_of_magnitude": "~"}.get(m.get("qualifier") or "", "")
    at = f" at {m['temperature_as_written']}" if m.get("temperature_as_written") else ""
    if m.get("temperature_K") is not None:
        at += f" ({_num(m['temperature_K'])} K)"
    extra = ", ".join(x for x in (m.get("contribution"), m.get("basis") if m.get("basis") == "computational" else "",
                                  "derived" if m.get("derived") else "") if x)
    unit = "" if m.get("value_as_written") or m.get("unit") in (None, "1") else f" {m['unit']}"
    return (f"{m.get('property_label') or m['property']}: {qual}{value}{unit}{at}{f' [{extra}]' if extra else ''}"
            f"  refs {_j(m.get('references'))}, § {_j(m.get('sections'))}" + (f"\n      note: {m['note']}" if m.get("note") else ""))


def render_card(card: dict[str, Any]) -> str:
    """The card as text: one header, then one block per section that has something.

    >>> import nakg
    >>> print(render_card(material_card(nakg.load(), "NZSP")).splitlines()[0])
    Na3Zr2Si2PO12 (id na3zr2si2po12; also NZSP)
    """
    out = [f"{card['formula']} (id {card['id']}" + (f"; also {', '.join(card['aliases'])}" if card["aliases"] else "") + ")"]
    if card["label"] != card["formula"]:
        out.append(f"  name: {card['label']}")
    if card["family"]:
        f = card["family"]
        out.append(f"  family: {f['label']} ({f['key']})" + (f", in {f['top_label']} ({f['top']})" if f["top"] != f["key"] else ""))
    if card["roles"]:
        out.append(f"  roles: {', '.join(card['roles'])}")
    if card["classes"]:
        out.append(f"  classes{' (with inferred)' if card['inferred'] else ''}: {', '.join(card['classes'])}")
    if card["composition"]:
        out.append("  composition: " + " ".join(f"{el} {_num(a)}" for el, a in card["composition"].items()))
    other = {el: v for el, v in card["elements"].items() if "composition" not in v}
    if other:
        out.append("  also contains: " + ", ".join(f"{el} (via {v[0]})" for el, v in other.items()))
    if card["measurements"]:
        out.append(f"measurements ({len(card['measurements'])}):")
        out += [f"  - {_measurement_line(m)}" for m in card["measurements"]]
    for s in card["structures"]:
        out.append("structure: " + ", ".join(f"{k} {_j(v)}" for k, v in s.items()
                                             if v not in ("", None, []) and k != "structure_id"))
    for s in card["syntheses"]:
        out.append(f"synthesis {s['synthesis_id']}: routes {_j(s.get('routes'))}"
                   + (f", steps {_j(s['steps'])}" if s.get("steps") else "")
                   + (f", up to {_num(s['max_temperature_C'])} °C" if s.get("max_temperature_C") is not None else "")
                   + f"  refs {_j(s.get('references'))}, § {_j(s.get('sections'))}")
    for title, key in (("doped into", "dopings_as_host"), ("made by doping", "dopings_as_product")):
        for d in card[key]:
            out.append(f"{title}: {_j(d.get('substitutions'))} in {d['host']} → {d['product']}: {d['outcome']}"
                       + (f" (σ {_num(d['sigma_before_S_cm'])} → {_num(d['sigma_after_S_cm'])} S/cm)"
                          if d.get("sigma_before_S_cm") is not None and d.get("sigma_after_S_cm") is not None else "")
                       + f"  refs {_j(d.get('references'))}")
    lin = card["lineage"]
    if lin["parents"] or lin["derivatives"]:
        out.append(f"lineage: from {', '.join(p['formula'] for p in lin['parents']) or '–'}; "
                   f"derived {', '.join(d['formula'] for d in lin['derivatives']) or '–'}")
    for c in card["cells"]:
        out.append(f"cell {c['cell_id']}: {_j(c.get('notation'))}" + (f", {c['cycles']} cycles" if c.get("cycles") else "")
                   + (f", {_num(c['retention_percent'])} % retention" if c.get("retention_percent") is not None else "")
                   + f"  refs {_j(c.get('references'))}")
    for i in card["interfaces"]:
        out.append(f"interface {i['interface_id']}: {i['strategy']} at the {i['side']} side: {_j(i.get('effects'))}"
                   + f"  refs {_j(i.get('references'))}")
    return "\n".join(out) + "\n"
