"""Ordinary researcher questions, each answered by ONE named query, ONE CLI command or ONE API call.

Every answer was worked out by hand from the review (the comment names where it stands) and carries
its evidence: each case asserts the values and the references (and review sections) in the answer.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from nakg.commands.query import query as query_command
from nakg.queries import run_query


def _rows(kg, name, **params):
    return run_query(kg, name, **params).rows


def _one(rows, **match):
    found = [r for r in rows if all(r[k] == v for k, v in match.items())]
    assert len(found) == 1, (match, found)
    return found[0]


# --- best conductors --------------------------------------------------------------------------------

def test_q01_best_sulfide_at_room_temperature(kg):
    # 4.5.1: W-doped Na3SbS4, Na2.88Sb0.88W0.12S4, "3.2 × 10^-2 S/cm at r.t." [116]; its own family is
    # Na3PnS4 type, a subfamily of the sulfides
    row = _one(_rows(kg, "best-conductivity-per-family"), family_key="sulfide")
    assert row["formula"] == "Na2.88Sb0.88W0.12S4" and row["sigma_S_per_cm"] == pytest.approx(3.2e-2)
    assert row["material_family"] == "Na3PnS4 type"
    assert (row["references"], row["sections"]) == ("116", "4.5.1")


def test_q02_best_halide(kg):
    # 4.6: NaTaCl6, 4 × 10^-3 S/cm at r.t. [138]
    row = _one(_rows(kg, "best-conductivity-per-family"), family_key="halide")
    assert (row["formula"], row["sigma_S_per_cm"], row["references"]) == ("NaTaCl6", pytest.approx(4e-3), "138")


def test_q03_best_nasicon(kg):
    # 3 and 4.2.2: Na3Zr2Si2PO12 + xNa2O, x = 0.2 gives the highest conductivity, 1.6 × 10^-3 S/cm at 25 °C [69]
    row = _one(_rows(kg, "best-conductivity-per-family"), family_key="nasicon")
    assert row["formula"] == "Na3Zr2Si2PO12 + 0.2Na2O" and row["sigma_S_per_cm"] == pytest.approx(1.6e-3)
    assert (row["temperature_as_written"], row["references"], row["sections"]) == ("25 °C", "69", "3; 4.2.2")


def test_q04_highest_room_temperature_conductivity_of_all(kg):
    # 1 (introduction): "the highest Na-ion conductivity at r.t. ... 7 × 10^-2 S/cm for Na2(CB9H10)(CB11H12)";
    # the review cites no reference at that sentence, so the answer names section 1 and no reference
    rows = _rows(kg, "best-conductivity-per-family")
    top = rows[0]
    assert (top["family"], top["formula"], top["sigma_S_per_cm"]) == ("complex hydride", "Na2(CB9H10)(CB11H12)",
                                                                      pytest.approx(7e-2))
    assert (top["references"], top["sections"]) == ("", "1") or (top["references"] is None and top["sections"] == "1")


def test_q05_best_per_subfamily_from_the_command_line(built):
    # 2.2.5: Na11Sn2PS12 conducts 1.4 × 10^-3 S/cm at r.t. [62], the best of the Na11Sn2PnX12 type
    result = CliRunner().invoke(query_command, ["best-conductivity-per-family", "-p", "per_subfamily=true",
                                                "--format", "json", "--graph", str(built.outputs["nt"])])
    assert result.exit_code == 0, result.output
    row = _one(json.loads(result.stdout)["rows"], family_key="na11sn2pnx12_type")
    assert (row["formula"], row["sigma_S_per_cm"], row["references"]) == ("Na11Sn2PS12", 1.4e-3, "62")


def test_q06_materials_above_10_mS_per_cm_at_room_temperature(kg):
    # 1: Na2(CB9H10)(CB11H12) 7e-2 (no reference); 4.5.1: Na2.88Sb0.88W0.12S4 3.2e-2 [116] and
    # Na2.95Sb0.95W0.05S4 1.037e-2 [120]
    rows = _rows(kg, "conductivity-above-threshold", threshold=1e-2)
    assert [(r["formula"], r["references"] or "") for r in rows] == [
        ("Na2(CB9H10)(CB11H12)", ""), ("Na2.88Sb0.88W0.12S4", "116"), ("Na2.95Sb0.95W0.05S4", "120")]


def test_q07_best_doped_nasicon_with_its_host(kg):
    # 4.2.2: NZSP + 0.2Na2O reaches 1.6e-3 S/cm at 25 °C [69]; its host NZSP 6.7e-4 S/cm at 25 °C
    # (2.2.2 [37, 38]) - about 2.4 times higher
    row = _one(_rows(kg, "best-derived-member-of-family"), host="na3zr2si2po12")
    assert row["formula"] == "Na3Zr2Si2PO12 + 0.2Na2O" and row["host_sigma_S_per_cm"] == pytest.approx(6.7e-4)
    assert row["ratio"] == pytest.approx(1.6e-3 / 6.7e-4) and row["references"] == "69"


def test_q08_best_derived_sulfide_and_its_host(kg):
    # 4.5.1: W substitution of Na3SbS4 gives Na2.88Sb0.88W0.12S4, 3.2e-2 S/cm [116]; the review gives no r.t.
    # value of Na3SbS4 itself, so the host value is empty
    rows = _rows(kg, "best-derived-member-of-family", family="nakg:SulfideFamily")
    row = _one(rows, host="na3sbs4")
    assert row["sigma_S_per_cm"] == pytest.approx(3.2e-2) and row["host_sigma_S_per_cm"] is None
    assert row["references"] == "116"


# --- dopants and additives -------------------------------------------------------------------------------

def test_q09_dopants_that_raised_the_conductivity_of_na2zn2teo6(kg):
    # 4.3: Ga3+ for Zn2+ (NZTO-G0.1, 1.1e-3 S/cm) [102]; Ga3+ defect chemistry [103]; Ca2+ doping raises
    # the r.t. conductivity to 7.5e-4 S/cm [104]
    rows = [r for r in _rows(kg, "dopings-and-additives", host="Na2Zn2TeO6") if r["outcome"] == "increased"]
    assert sorted((r["agent"], r["site"] or "", r["references"]) for r in rows) == [
        ("Ca2+", "", "104"), ("Ga3+", "Zn", "102"), ("Ga3+", "Zn", "103")]


def test_q10_sintering_aids_of_nzsp(kg):
    # 4.2.2: NaF as co-sintering agent [101]; a Na2SiO3 melt pool during sintering [100]
    rows = _rows(kg, "dopings-and-additives", host="NZSP")
    aids = {(r["agent"], r["role"], r["references"]) for r in rows if r["kind"] == "additive"}
    assert {("NaF", "sintering_aid", "101"), ("Na2SiO3", "sintering_aid", "100")} <= aids


def test_q11_dopings_of_na3ps4_on_the_p_site(kg):
    # 4.5.1: As substitution for P, Na3P0.62As0.38S4 [119]
    rows = [r for r in _rows(kg, "dopings-and-additives", host="Na3PS4") if r["site"] == "P"]
    assert {(r["product_formula"], r["references"]) for r in rows} >= {("Na3P0.62As0.38S4", "119")}


# --- cells ------------------------------------------------------------------------------------------------

def test_q12_cells_cycled_ten_thousand_times(kg):
    # Table 1 rows 1 and 5: 90 %/10000 cycles at 6 C [152]; 100 %/10000 cycles at 10 C [155]
    rows = _rows(kg, "cells-by-cycle-life", min_cycles=10000)
    assert [(r["cell"], r["retention_pct"], r["references"]) for r in rows] == [("t1-r01", 90, "152"),
                                                                                 ("t1-r05", 100, "155")]


def test_q13_longest_cycling_cells_at_room_temperature(kg):
    # 5.5: NaCrO2-NYbZrCl0.75 cell, 74.1 % after 1000 cycles at 25 ± 3 °C [135]; Table 2 row 1: 22.5 % after
    # 1000 cycles at 25 °C [186]
    rows = _rows(kg, "cells-by-cycling-temperature")
    assert [(r["cell"], r["cycles"], r["references"]) for r in rows[:2]] == [
        ("hal-cell-naybzrcl0.75-nacro2", 1000, "135"), ("t2-r01", 1000, "186")]


def test_q14_cells_cycled_at_60_celsius(kg):
    # 5.5: the same halide cell keeps 83.0 % after 1900 cycles at 60 °C [135]
    rows = _rows(kg, "cells-by-cycling-temperature", temperature_K=333.15, tolerance_K=1)
    row = _one(rows, cell="hal-cell-naybzrcl0.75-nacro2")
    assert (row["cycles"], row["retention_pct"], row["references"]) == (1900, 83.0, "135")


def test_q15_table_1_row_9(kg):
    # Table 1, row 9: NaCrO2/NZSP-0.2Mg/Na, 110.9 mAh/g (25 °C), 87 %/1755 cycles (1 C), 1.5 mg/cm2 [166]
    rows = _rows(kg, "cells-by-source-table", table="Table 1", row=9)
    assert len(rows) == 1
    r = rows[0]
    assert (r["cell_notation"], r["first_cycle_capacity_mAh_per_g"], r["cycles"], r["retention_pct"],
            r["rate"], r["loading_mg_per_cm2"], r["references"]) == (
        "NaCrO2/NZSP-0.2Mg/Na", 110.9, 1755, 87, "1 C", 1.5, "166")


def test_q16_table_2_from_the_command_line(built):
    # Table 2, row 1: Se0.8S7.2@PAN | Na4P2S4O2.5+Na3SbS4 | Na15Sn4, ~1639 mAh/g, 22.5 %/1000 cycles [186]
    result = CliRunner().invoke(query_command, ["cells-by-source-table", "-p", "table=2", "-p", "row=1",
                                                "--format", "csv", "--graph", str(built.outputs["nt"])])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 2 and lines[1].startswith("Table 2,1,t2-r01,") and lines[1].endswith(",186,5.2")
    assert ",1639," in lines[1] and ",1000,22.5,0.3 C," in lines[1]


def test_q17_cells_with_the_highest_capacity(kg):
    # Table 2: ~1639 mAh/g (row 1, [186]) and 1280 mAh/g (row 12, [194])
    rows = _rows(kg, "cells-by-capacity", min_capacity=1000)
    assert [(r["cell"], r["capacity_mAh_per_g"], r["qualifier"], r["references"]) for r in rows] == [
        ("t2-r01", 1639, "approx", "186"), ("t2-r12", 1280, "exact", "194")]


# --- synthesis ------------------------------------------------------------------------------------------

def test_q18_how_nasicon_is_made_by_solid_state_reaction(kg):
    # 3: conventional solid-state reaction needs "over 1200 °C" and "over 20 h", with abnormal grain growth
    # and Na loss; the review cites no reference there
    rows = [r for r in _rows(kg, "syntheses-in-family") if r["synthesis"] == "nasicon-solid-state-reaction"]
    stated = _one(rows, step_kind="stated_temperature")
    assert (stated["temperature_C"], stated["temperature_qualifier"]) == (pytest.approx(1200), "lower_bound")
    step = _one(rows, step_kind="sintering")
    assert (step["duration_h"], step["duration_qualifier"]) == (20, "lower_bound")
    assert all(r["sections"] == "3" for r in rows) and "na_loss" in step["effects"]


def test_q19_nasicon_sintering_aids_in_syntheses(kg):
    # 4.2.2: liquid-phase sintering with NaF [101] and with Na2SiO3 [100]
    rows = _rows(kg, "syntheses-in-family")
    assert {(r["additives"], r["references"]) for r in rows if r["additives"]} >= {("NaF", "101"), ("Na2SiO3", "100")}


def test_q20_usual_sintering_range_of_sulfides(kg):
    # 3: "For sulfide SSEs, the sintering temperature is usually 200–800 °C" (no reference)
    rows = _rows(kg, "values-stated-in-findings", property="sintering_temperature")
    row = _one(rows, family="sulfide")
    assert (row["value_canonical"], row["value_max_canonical"], row["qualifier"]) == (
        pytest.approx(473.15), pytest.approx(1073.15), "range")
    assert row["sections"] == "3" and row["value_as_written"] == "200–800 °C"


# --- stability, interfaces, activation energies ----------------------------------------------------------

def test_q21_oxidation_limit_of_complex_hydrides(kg):
    # 5.4: "the electrochemical stability [of most complex hydrides is] primarily limited to 4V"
    rows = _rows(kg, "values-stated-in-findings", property="oxidation_potential")
    row = _one(rows, family="complex hydride")
    assert (row["value_canonical"], row["qualifier"], row["sections"]) == (4, "approx", "5.4")


def test_q22_operating_temperature_of_na_s_batteries(kg):
    # 5.1: Na-S batteries on Na-β''-Al2O3, "operating temperature is generally around 300 °C" [143–146]
    row = _one(_rows(kg, "values-stated-in-findings", property="operating_temperature"),
               finding="ba-find-pioneering-zebra-na-s")
    assert (row["value_canonical"], row["qualifier"]) == (pytest.approx(573.15), "approx")
    assert row["references"] == "143; 144; 145; 146"


def test_q23_where_na3ps4_really_oxidises(kg):
    # 4.5.2: Na3PS4 oxidises at approximately 2.0 V during the first charge, although CV suggests 5 V
    rows = _rows(kg, "property-values-near-temperature", material="na3ps4",
                 property="oxidation_potential", tolerance_K=-1)
    row = _one(rows, measurement="sul-f-na3ps4-cv-vs-cell")
    assert (row["value_canonical"], row["qualifier"], row["sections"]) == (2.0, "approx", "4.5.2")


def test_q24_what_the_sio2_composite_anode_improved(kg):
    # 5.1: the Na-SiO2 composite anode reduced the interfacial resistance 16 times and raised the critical
    # current density 5 times [162]
    rows = [r for r in _rows(kg, "interface-quantified-results") if r["modification"] == "nasicon-na-sio2-composite-anode"]
    assert sorted((r["applies_to"], r["change"], r["value"], r["references"]) for r in rows) == [
        ("critical_current_density", "increase", 5, "162"), ("interfacial_resistance", "decrease", 16, "162")]


def test_q25_argon_heat_treatment_of_beta_alumina(kg):
    # 5.1: heat treatment in Ar brings the interfacial resistance below 10 Ω cm2 and the critical current
    # density to 12 mA/cm2 [151]
    rows = [r for r in _rows(kg, "interface-quantified-results") if r["modification"] == "ba-if-ar-heat-treatment"]
    assert sorted((r["property"], r["value"], r["qualifier"], r["references"]) for r in rows) == [
        ("current_density", 12, "exact", "151"), ("interfacial_resistance", 10, "upper_bound", "151")]


def test_q26_lowest_and_highest_activation_energy(kg):
    # 4.5.1: Na3PSe4, Ea 0.21 eV [121]; 4.4: Na3OBr 0.76 eV [106]
    rows = _rows(kg, "activation-energy-extremes")
    assert [(r["extreme"], r["formula"], r["ea_eV"], r["references"]) for r in rows] == [
        ("lowest", "Na3PSe4", 0.21, "121"), ("highest", "Na3OBr", 0.76, "106")]


def test_q27_nzsp_conductivity_at_300_celsius(kg):
    # 1 and 2.2.2: NZSP 0.2 S/cm at 300 °C (and 6.7e-4 at 25 °C, 1.2e-3 at 60 °C) [37, 38]
    rows = _rows(kg, "conductivity-vs-temperature")
    assert [(r["temperature_C"], r["sigma_S_per_cm"]) for r in rows] == [
        (pytest.approx(25), 6.7e-4), (pytest.approx(60), 1.2e-3), (pytest.approx(300), 0.2)]
    assert {r["references"] for r in rows} == {"37; 38"}


def test_q28_nzsp_values_near_room_temperature(kg):
    # 2.2.2: NZSP 6.7 × 10^-4 S/cm at 25 °C [37, 38]
    rows = _rows(kg, "property-values-near-temperature")
    assert [(r["value_canonical"], r["temperature_as_written"], r["references"]) for r in rows] == [
        (6.7e-4, "25 °C", "37; 38")]


def test_q29_techniques_that_watched_dendrites_grow(kg):
    # 6: ETEM [213], in-situ optical microscopy [214], ETEM-AFM [215]
    rows = _rows(kg, "dendrite-observation-techniques")
    pairs = {(r["technique"], r["ref"]) for r in rows}
    assert {("etem", 213), ("in_situ_om", 214), ("etem_afm", 215)} <= pairs


@pytest.mark.parametrize(("query", "param", "value", "suggestion"), [
    ("best-derived-member-of-family", "family", "nasicn", "nasicon"),
    ("syntheses-in-family", "family", "nakg:Nasicon", "nasicon"),
    ("property-values-near-temperature", "property", "ionic_conductivty", "ionic_conductivity"),
    ("property-values-near-temperature", "material", "Na3Zr2Si2PO13", "Na3Zr2Si2PO12"),
])
def test_a_value_that_matches_nothing_is_an_error_naming_the_closest(kg, query, param, value, suggestion):
    from nakg.errors import UnknownValue
    from nakg.queries import load_query

    with pytest.raises(UnknownValue) as caught:
        load_query(query).run(kg, **{param: value})
    message = str(caught.value)
    assert value in message and suggestion in message and "nakg list" in message
