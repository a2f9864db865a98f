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

_MEASUREMENT_FIELDS = ("measurement_id", "property", "value", "value_min", "value_max", "unit", "canonical_value",
                       "canonical_min", "canonical_max", "canonical_unit", "qualifier", "temperature_K", "temperature_min_K",
                       "temperature_max_K", "temperature_C", "temperature_as_written", "room_temperature", "contribution",
                       "basis", "derived", "conditions", "references", "sections", "note")

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
    measurements = []
    for row in kg.measurements(m.id):
        item = {k: row.get(k) for k in _MEASUREMENT_FIELDS}
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
        "structures": kg.structures(m.id),
        "syntheses": kg.syntheses(m.id),
        "dopings_as_host": kg.dopings(m.id, as_="host"),
        "dopings_as_product": kg.dopings(m.id, as_="product"),
        "lineage": {"parents": kg.parents(m.id), "derivatives": kg.derivatives(m.id)},
        "cells": kg.cells(m.id),
        "interfaces": kg.interfaces(m.id),
        "inferred": kg.reasoning is not None,
    }
    return card


def _iri(text: str):
    from rdflib import URIRef

    return URIRef(text)


def _num(v: Any) -> str:
    return f"{v:g}" if isinstance(v, float) else str(v)


def _measurement_line(m: dict[str, Any]) -> str:
    if m["value"] is not None:
        value = _num(m["value"])
    else:
        value = "–".join(_num(v) for v in (m["value_min"], m["value_max"]) if v is not None)
    qual = {"approx": "≈", "lower_bound": "> ", "upper_bound": "< ", "order_of_magnitude": "~"}.get(m["qualifier"] or "", "")
    at = f" at {m['temperature_as_written']}" if m.get("temperature_as_written") else ""
    if m.get("temperature_K") is not None:
        at += f" ({_num(m['temperature_K'])} K)"
    extra = ", ".join(x for x in (m.get("contribution"), m.get("basis") if m.get("basis") == "computational" else "",
                                  "derived" if m.get("derived") else "") if x)
    return (f"{m['property']}: {qual}{value} {m['unit']}{at}{f' [{extra}]' if extra else ''}"
            f"  refs {m['references'] or '–'}, § {m['sections'] or '–'}" + (f"\n      note: {m['note']}" if m.get("note") else ""))


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
        out.append("structure: " + ", ".join(f"{k} {v}" for k, v in s.items()
                                             if v not in ("", None) and k not in ("structure_id", "material", "material_id", "family")))
    for s in card["syntheses"]:
        out.append(f"synthesis {s['synthesis_id']}: routes {s['routes'] or '–'}"
                   + (f", steps {s['steps']}" if s.get("steps") else "") + f"  refs {s['references'] or '–'}, § {s['sections'] or '–'}")
    for title, key in (("doped into", "dopings_as_host"), ("made by doping", "dopings_as_product")):
        for d in card[key]:
            out.append(f"{title}: {d['substitutions']} in {d['host']} → {d['product']}: {d['outcome']}"
                       + (f" (σ {_num(d['sigma_before_S_cm'])} → {_num(d['sigma_after_S_cm'])} S/cm)"
                          if d.get("sigma_before_S_cm") is not None and d.get("sigma_after_S_cm") is not None else "")
                       + f"  refs {d['references'] or '–'}")
    lin = card["lineage"]
    if lin["parents"] or lin["derivatives"]:
        out.append(f"lineage: from {', '.join(lin['parents']) or '–'}; derived {', '.join(lin['derivatives']) or '–'}")
    for c in card["cells"]:
        out.append(f"cell {c['cell_id']}: {c['notation'] or '–'}" + (f", {c['cycles']} cycles" if c.get("cycles") else "")
                   + (f", {_num(c['retention_percent'])} % retention" if c.get("retention_percent") is not None else "")
                   + f"  refs {c['references'] or '–'}")
    for i in card["interfaces"]:
        out.append(f"interface {i['interface_id']}: {i['strategy']} at the {i['side']} side: {i['effects'] or '–'}"
                   + f"  refs {i['references'] or '–'}")
    return "\n".join(out) + "\n"
