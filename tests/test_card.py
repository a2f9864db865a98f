"""The material card: ``kg.material(x)`` and ``nakg show X`` give everything about one material, with evidence."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from nakg.card import CARD_SECTIONS, render_card


def _cli(*args):
    from nakg.cli import main

    return CliRunner().invoke(main, list(args))


@pytest.fixture(scope="module")
def nzsp(kg):
    return kg.material("NZSP")


def test_card_identity_family_and_composition(nzsp):
    assert (nzsp["id"], nzsp["formula"], nzsp["aliases"]) == ("na3zr2si2po12", "Na3Zr2Si2PO12", ["NZSP"])
    assert nzsp["family"]["key"] == "nasicon" and nzsp["family"]["label"] == "NASICON" and nzsp["family"]["top"] == "nasicon"
    assert nzsp["composition"] == {"Na": 3.0, "O": 12.0, "P": 1.0, "Si": 2.0, "Zr": 2.0}
    assert nzsp["elements"]["Zr"] == ["composition"]


def test_card_measurements_carry_temperature_and_evidence(kg, nzsp):
    sigma = [m for m in nzsp["measurements"] if m["property"] == "ionic_conductivity"]
    assert len(sigma) == len(kg.measurements("na3zr2si2po12", "ionic_conductivity")) >= 3
    at_25 = [m for m in sigma if m["temperature_K"] is not None and abs(m["temperature_K"] - 298.15) < 0.01]
    assert at_25 and at_25[0]["canonical_unit"] == "S/cm" and at_25[0]["at_room_temperature"] is True
    assert at_25[0]["temperature_as_written"] == "25 °C" and at_25[0]["references"] and at_25[0]["sections"]
    hot = [m for m in sigma if m["temperature_K"] is not None and m["temperature_K"] > 500]
    assert hot and hot[0]["at_room_temperature"] is False
    for m in nzsp["measurements"]:  # every stated value keeps its unit, qualifier and evidence
        assert m["unit"] and m["qualifier"] and m["references"]


def test_card_dopings_lineage_cells_interfaces(nzsp):
    products = {d["product_id"] for d in nzsp["dopings_as_host"]}
    assert {"nzsp-0.1ca", "nzsp-0.2mg", "nzsp-0.2cu"} <= products
    assert all(d["outcome"] for d in nzsp["dopings_as_host"])
    derived = {d["id"] for d in nzsp["lineage"]["derivatives"]}
    assert products <= derived and nzsp["lineage"]["parents"] == []
    assert {c["cell_id"] for c in nzsp["cells"]} >= {"t1-r04"}
    assert nzsp["interfaces"] and all(i["references"] for i in nzsp["interfaces"])


def test_card_as_product(kg):
    card = kg.material("Ca-doped NZSP (NZSP-0.1Ca)")
    assert [d["host_id"] for d in card["dopings_as_product"]] == ["na3zr2si2po12"]
    assert card["lineage"]["parents"] == [{"id": "na3zr2si2po12", "formula": "Na3Zr2Si2PO12"}]
    assert card["elements"]["Ca"] == ["doping"]


def test_card_syntheses_and_structures(kg):
    with_synthesis = {r["material_id"] for r in kg.table("syntheses")} & {r["material_id"] for r in kg.table("structures")}
    assert with_synthesis, "some material has both a synthesis and a structure"
    card = kg.material(sorted(with_synthesis)[0])
    assert card["syntheses"] and card["structures"]
    text = render_card(card)
    assert "synthesis " in text and "structure: " in text


def test_card_json_is_complete_and_text_is_readable(nzsp):
    result = _cli("show", "na₃zr₂si₂po₁₂", "--format", "json")
    assert result.exit_code == 0, result.output
    card = json.loads(result.output)
    assert set(card) >= set(CARD_SECTIONS) | {"id", "formula", "aliases", "family", "composition", "elements", "lineage"}
    assert len(card["measurements"]) == len(nzsp["measurements"])
    text = _cli("show", "NZSP").output
    assert text.startswith("Na3Zr2Si2PO12 (id na3zr2si2po12; also NZSP)")
    assert "family: NASICON (nasicon)" in text and "ionic conductivity" in text and "refs 37" in text


def test_backwards_compatible_formula_key(kg):
    assert kg.material("na3zr2si2po12")["formula"] == "Na3Zr2Si2PO12"
