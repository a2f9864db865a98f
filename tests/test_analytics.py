"""Doping → conductivity analytics checked against outcomes worked out by hand from the review."""

from __future__ import annotations

import math
import re

import pytest

from nakg.analytics import (
    TRUSTED_TIERS,
    DopingOutcome,
    arrhenius_estimate,
    doping_outcomes,
    doping_summary,
    outcome_rows,
    rank_strategies,
    rt_estimates,
)
from nakg.analytics.network import (
    SUPERIONIC,
    centrality,
    mechanisms_by_family,
    recurring_dopant_sites,
    lineage_tree,
    paths_to_superionic,
    render_tree,
    resolve_material,
)
from nakg.analytics.suggest import suggest
from nakg.analytics.outcomes import MAGNITUDE_TIERS, TIER_KEYS
from nakg.analytics.plots import PLOTS, plot, plot_data
from nakg.analytics.ranking import ranking_changes
from nakg.errors import NakgError, QueryError

from .conftest import run_cli


@pytest.fixture(scope="module")
def outcomes(kg):
    return {o.strategy_id: o for o in doping_outcomes(kg)}


def test_arrhenius_hand_calculation():
    # Na2.2Sn1.2Sb0.8NaO6 [105]: 1.43e-3 S/cm at 500 °C, Ea 0.63 eV (σT form)
    # 1/298.15 − 1/773.15 = 0.0020606 K⁻¹; 0.63 eV / k_B = 7310.8 K; exp(−15.065) = 2.867e-7
    # σ(25 °C) = 1.43e-3 × (773.15/298.15 = 2.5932) × 2.867e-7 = 1.063e-9 S/cm
    assert arrhenius_estimate(1.43e-3, 773.15, 0.63) == pytest.approx(1.063e-9, rel=5e-3)
    assert arrhenius_estimate(2e-3, 298.15, 0.3) == pytest.approx(2e-3)  # same temperature: unchanged
    with pytest.raises(ValueError):
        arrhenius_estimate(-1.0, 300, 0.3)


def test_rt_estimates_are_derived_from_stated_pairs(kg):
    estimates = {e.material_id: e for e in rt_estimates(kg)}
    e = estimates["na2.2sn1.2sb0.8nao6"]
    assert e.sigma_S_cm == pytest.approx(1.063e-9, rel=5e-3)
    assert e.t_in_K == pytest.approx(773.15) and e.ea_eV == pytest.approx(0.63)
    # Na3ONO2 [109]: 0.37 mS/cm and Ea 0.385 eV around 485 K → 25 °C:
    # 1/298.15 − 1/485 = 0.00129216; 0.385/k_B = 4467.7 K; e^-5.7730 = 0.003109; × 485/298.15 = 1.6267 × 3.7e-4
    assert estimates["na3ono2"].sigma_S_cm == pytest.approx(1.871e-6, rel=0.005)


# --- counts pinned to what the graph holds ----------------------------------------------------
_DOPING_PAIRS = """
SELECT ?id (COUNT(DISTINCT ?hs) AS ?nh) (COUNT(DISTINCT ?ps) AS ?np) WHERE {
  ?d a nakg:Doping ; nakg:recordId ?id ; nakg:hasHost ?h ; nakg:hasProduct ?p .
  OPTIONAL { ?hs a nakg:IonicConductivity ; nakg:isMeasurementOf ?h ; nakg:isDerived false }
  OPTIONAL { ?ps a nakg:IonicConductivity ; nakg:isMeasurementOf ?p ; nakg:isDerived false }
} GROUP BY ?id"""


def test_one_outcome_per_doping_and_additive(kg, outcomes):
    dopings = {r["id"] for r in kg.query("SELECT ?id WHERE { ?d a nakg:Doping ; nakg:recordId ?id }")}
    # an additive: a synthesis with an additive, making a product from a host (its precursor or the stated "before")
    additives = {r["id"] for r in kg.query("""
        SELECT ?id WHERE { ?s a nakg:Synthesis ; nakg:recordId ?id ; nakg:usesAdditive ?a ; nakg:producesMaterial ?p .
          { ?s nakg:comparesBefore ?b } UNION { ?s nakg:usesPrecursor ?h . ?p nakg:derivedFrom ?h } }""")}
    assert dopings and {"nasicon-naf-co-sintering", "nasicon-na2sio3-liquid-phase-sintering"} <= additives
    assert set(outcomes) == dopings | additives and len(outcomes) == len(dopings) + len(additives)
    assert {o.tier for o in outcomes.values()} <= set(TIER_KEYS)
    for o in outcomes.values():
        assert o.direction in {"increased", "decreased", "unchanged", "undetermined"}
        if o.tier in ("direction_only", "none"):
            assert o.reason and o.enhancement is None  # says what is missing
        if o.tier == "none":
            assert o.stated_outcome == "not_stated"


def test_every_pair_with_values_on_both_sides_has_a_magnitude(kg, outcomes):
    both = {r["id"] for r in kg.query(_DOPING_PAIRS) if r["nh"] and r["np"]}
    assert both
    for i in both:
        o = outcomes[i]
        assert o.enhancement is not None and o.tier in MAGNITUDE_TIERS and o.ratio_qualifier, i
        assert o.sigma_before is not None and o.sigma_after is not None and len(o.inputs) == 2


def test_stated_direction_is_kept(kg, outcomes):
    stated = {r["id"]: r["o"] for r in kg.query(
        "SELECT ?id ?o WHERE { ?d a nakg:Doping ; nakg:recordId ?id ; nakg:outcome/nakg:recordKey ?o }")}
    directional = {i: d for i, d in stated.items() if d != "not_stated"}
    assert directional
    for i, d in directional.items():
        assert outcomes[i].direction == d and outcomes[i].direction_source == "stated"
        assert outcomes[i].tier != "none"


def test_sr_doped_antiperovskite_gain_at_200c(outcomes):
    # [106]: Na3OBr0.6I0.4 0.43 mS/cm → Na2.9Sr0.05OBr0.6I0.4 19 mS/cm, both at 200 °C: × 44.19
    o = outcomes["ap-na3obr0.6i0.4-sr-doping"]
    assert o.tier == "stated_values" and o.temperature_K == pytest.approx(473.15)
    assert o.enhancement == pytest.approx(19 / 0.43) and o.log_enhancement == pytest.approx(math.log10(44.186), abs=1e-3)
    assert o.ratio_derived and o.stated_factor is None  # nakg computed the ratio from two stated values


def test_f_doped_naalcl4_gain_at_30c(outcomes):
    # [136]: NaAlCl4 4.14e-6 → NaAlCl3.3F0.7 3.56e-5 S/cm at 30 °C: × 8.60
    o = outcomes["hal-naalcl4-f-doping"]
    assert o.enhancement == pytest.approx(3.56e-5 / 4.14e-6) and o.temperature_K == pytest.approx(303.15)
    assert o.dopants == ["F"] and o.sites == ["Cl"] and o.ratio_derived


def test_delta_ea_is_derived(outcomes):
    # [125]: Na11Sn2PS12 0.39 eV → Na11.1Sn2.1P0.9Se12 0.30 eV; the review says σ did not change
    o = outcomes["sul-d-se-na11sn2ps12-duchardt"]
    assert o.delta_ea == pytest.approx(-0.09) and o.delta_ea_inputs == ["sul-m-na11sn2ps12-ea", "sul-m-na11.1sn2.1p0.9se12-ea"]
    row = {r["doping_id"]: r for r in outcome_rows(list(outcomes.values()))}[o.strategy_id]
    assert row["delta_Ea_derived"] is True and row["direction"] == "unchanged"


def test_naf_sintering_aid_for_nzsp(outcomes):
    # [101]: NaF co-sintering raises Na3Zr2Si2PO12 from 4.5e-4 to 1.7e-3 S/cm: × 3.78 (temperatures not stated)
    additive = [o for o in outcomes.values() if o.kind == "additive" and "NaF" in o.dopants]
    assert len(additive) == 1
    o = additive[0]
    assert o.sigma_before == pytest.approx(4.5e-4) and o.sigma_after == pytest.approx(1.7e-3)
    assert o.enhancement == pytest.approx(3.778, rel=1e-3) and o.tier == "stated_values"
    assert o.direction == "increased" and o.direction_source == "stated"  # the synthesis states improved_conductivity
    assert o.temperature_K is None and "neither temperature" in o.assumption


def test_stated_factor_three_orders_for_zr_doped_na3ycl6(outcomes):
    o = outcomes["hal-na3ycl6-zr-doping"]
    assert o.tier == "stated_factor" and o.log_enhancement == pytest.approx(3.0)
    assert not o.ratio_derived and o.ratio_qualifier == "order of magnitude"


def test_temperature_assumed_is_marked(outcomes):
    # [93] states 5.27 mS/cm without a temperature; NZSP is 0.67 mS/cm at 25 °C [37, 38]
    o = outcomes["nasicon-zn-si-cosubstitution"]
    assert o.tier == "temperature_assumed" and "assumed room temperature" in o.assumption
    assert o.enhancement == pytest.approx(5.27e-3 / 6.7e-4) and o.before_refs != o.after_refs


def test_lower_bound_host_makes_the_ratio_a_bound(outcomes):
    # cubic Na3PS4 is "> 1e-4 S/cm" at r.t. [174]: the Ca-doped product (1 mS/cm [124]) is at most × 10
    o = outcomes["sul-d-ca-na3ps4-moon"]
    assert o.tier == "across_works" and o.ratio_qualifier == "at most" and o.enhancement == pytest.approx(10)
    assert not o.has_point_magnitude


def test_different_temperatures_give_a_bound_or_are_not_compared(outcomes):
    # Na2B12H12 0.1 S/cm at 540–573 K [65]; NaCB11H12 0.12 S/cm at 383 K [139]: higher at a lower temperature
    o = outcomes["hyd-dop-nacb11h12-c-for-b"]
    assert o.tier == "different_temperatures" and o.ratio_qualifier == "at least" and o.direction == "increased"
    o = outcomes["hyd-dop-b10h10-mixing"]
    assert o.ratio_qualifier == "not comparable" and o.direction == "undetermined" and o.reason


def test_arrhenius_tier_normalises_with_the_stated_activation_energy():
    from nakg.analytics.arrhenius import Estimate
    from nakg.analytics.outcomes import Sigma, _compare

    host = Sigma("h-rt", "h", 1e-4, "exact", None, True, frozenset({1}))
    prod = Sigma("p-473", "p", 1e-2, "exact", 473.15, False, frozenset({2}))
    est = Estimate("p", arrhenius_estimate(1e-2, 473.15, 0.4), "p-473", "p-ea", 1e-2, 473.15, 0.4)
    o = DopingOutcome("d", "doping", "h", "H", "p", "P", "x", ["A"], [], "aliovalent", [], "experimental", "not_stated", [])
    _compare(o, {"h": [host], "p": [prod]}, {}, {"p": [est]}, None, {})
    assert o.tier == "arrhenius" and o.derived and o.activation_energies == [("p-ea", 0.4)]
    assert o.sigma_after == pytest.approx(est.sigma_S_cm) and o.temperature_K == pytest.approx(298.15)
    assert "Ea 0.4 eV" in o.after_temperature and o.inputs == ["h-rt", "p-473", "p-ea"]


def test_ranking_footer_accounts_for_every_doping(outcomes):
    ranking = rank_strategies(list(outcomes.values()))
    assert ranking.tiers == TRUSTED_TIERS
    left = [i for ids in ranking.left_out.values() for i in ids]
    assert len(ranking.used) + len(left) == ranking.total == len(outcomes)
    assert set(ranking.used) == {o.strategy_id for o in outcomes.values()
                                 if o.tier in TRUSTED_TIERS and o.has_point_magnitude}
    assert f"ranked on {len(ranking.used)} of {len(outcomes)} dopings" in ranking.footer
    for s in ranking:  # every doping counts for its strategy's direction tallies
        assert s.raised + s.lowered + s.unchanged + s.undetermined == s.count


def test_weaker_tiers_change_the_ranking_and_say_so(kg, outcomes):
    weaker = [o for o in outcomes.values() if o.tier in ("across_works", "temperature_assumed")]
    assert weaker
    base = rank_strategies(list(outcomes.values()))
    everything = rank_strategies(list(outcomes.values()), tiers="all")
    assert set(everything.used) > set(base.used)
    changes = ranking_changes(base, everything)
    assert any("added the magnitudes" in line for line in changes)
    assert all(o.strategy_id not in {e for s in base for e in s.strategies} for o in weaker)
    summary = doping_summary(kg, include_across_works=True)
    assert summary.changes and summary.ranking_footer.count("\n") == len(summary.changes)
    with pytest.raises(QueryError, match="unknown evidence tier 'bogus'"):
        rank_strategies(list(outcomes.values()), tiers="bogus")


def test_ranking_statistics(outcomes):
    ranked = {(s.dimension, s.value): s for s in rank_strategies(list(outcomes.values()))}
    sr = ranked[("dopant", "Sr")]
    assert sr.median_log_enhancement == pytest.approx(math.log10(19 / 0.43))
    assert sr.best.strategy_id == "ap-na3obr0.6i0.4-sr-doping" and sr.as_dict()["best_references"] == "106"
    medians = [s.median_log_enhancement for s in ranked.values() if s.median_log_enhancement is not None]
    assert medians == sorted(medians, reverse=True)
    assert all(s.min_log_enhancement <= s.median_log_enhancement <= s.max_log_enhancement
               for s in ranked.values() if s.used)


def test_strategy_graph_links_every_doping_to_an_outcome(kg, outcomes):
    g = kg.to_networkx("strategy")
    import networkx as nx

    dopings = [n for n, d in g.nodes(data=True) if d["kind"] == "doping"]
    assert len(dopings) == len(outcomes)
    for n in dopings:
        o = outcomes[n.split(":", 1)[1]]
        reach = nx.descendants(g, n)
        assert f"outcome:{o.direction}" in reach and f"family:{o.top_family}" in reach
        assert g.nodes[n]["tier"] == o.tier
    mech = mechanisms_by_family(list(outcomes.values()))
    assert {i for r in mech for i in r["evidence"].split(";")} == set(outcomes)
    for r in mech:
        if r["median_log10_ratio"] is not None:
            assert r["with_magnitude"] >= 1 and r["best_example"]
    for r in recurring_dopant_sites(list(outcomes.values())):
        fams = {outcomes[i].top_family for i in r["evidence"].split(";")}
        assert len(fams) >= 2 and r["families"] == ";".join(sorted(fams))


def test_lineage_tree_and_paths(kg, outcomes):
    nzsp = resolve_material(kg, "NZSP")
    tree = lineage_tree(kg, nzsp)
    text = render_tree(tree)
    assert "Na3Zr2Si2PO12 (na3zr2si2po12) *" in text and "Na3.4Zr1.9Zn0.1Si2.2P0.8O12" in text
    # Na3PS4 → Na3SbS4 → W-doped Na3SbS4: a three-generation lineage
    sbs = lineage_tree(kg, "na2.88sb0.88w0.12s4")
    assert [r["id"] for r in sbs["roots"]] == ["na3ps4"]
    paths = paths_to_superionic(list(outcomes.values()), "dopant:Ca")
    assert paths and all(p[0] == "dopant:Ca" and p[-1] == SUPERIONIC for p in paths)
    with pytest.raises(QueryError):
        paths_to_superionic(list(outcomes.values()), "dopant:Unobtainium")
    bc = centrality(list(outcomes.values()))
    assert set(bc) == {"dopant", "site", "valence", "mechanism", "family"}
    assert all(v >= 0 for items in bc.values() for _, v in items)


def test_suggestions_are_explained_hypotheses(kg):
    items = suggest(kg, "na3sbs4")
    assert items
    tried = {d for o in doping_outcomes(kg) if o.host_id == "na3sbs4" for d in o.dopants}
    for s in items:
        assert s.supporting and s.similar_hosts and s.score > 0
        assert all(o.direction == "increased" and o.host_id != "na3sbs4" for o in s.supporting)
        assert s.dopant not in {"Na", "Sb", "S"} | tried  # never an element the host has or a dopant it had
        assert "Na3SbS4" not in {h for h, _, _ in s.similar_hosts}
        text = s.explain()
        assert "similar hosts" in text and "dopings behind it" in text and s.supporting[0].host in text
    assert [s.score for s in items] == sorted((s.score for s in items), reverse=True)


@pytest.mark.parametrize("material", ["na3zr2si2po12", "na3ps4", "na3sbs4", "na3ycl6", "na2zn2teo6", "na3ocl"])
def test_suggestions_are_chemically_compatible(kg, material):
    from nakg.analytics.suggest import MAX_RADIUS_MISMATCH, host_sites

    sites = {(s.element, s.charge) for s in host_sites(kg.material(material)["formula"])}
    assert sites
    for s in suggest(kg, material, top=50):
        assert (s.site.element, s.site.charge) in sites
        assert (s.ion.charge < 0) == (s.site.charge < 0)  # cations on cation sites, anions on anion sites
        assert abs(s.ion.charge - s.site.charge) <= 1 and s.mismatch <= MAX_RADIUS_MISMATCH


def test_oxide_nasicon_gets_no_halide_or_sulfide_anions(kg):
    # an oxide is compared with oxides: the halide and sulfide dopings behind I, Cl, Br and F do not count
    items = suggest(kg, "na3zr2si2po12", top=50)
    assert items and not {s.dopant for s in items} & {"I", "Cl", "Br", "F", "S", "Se"}
    for s in items:
        assert all("O anions" in shared for _, _, shared in s.similar_hosts)
        assert all(re.search(r"O(?![a-z])", o.host) for o in s.supporting)  # every host behind it is an oxide


@pytest.mark.parametrize("fmt", ["png", "svg"])
@pytest.mark.parametrize("name", sorted(PLOTS))
def test_plots_write_files(kg, tmp_path, name, fmt):
    out = tmp_path / f"{name}.{fmt}"
    n = plot(kg, name, out)
    assert n > 3 and out.stat().st_size > 5000
    head = out.read_bytes()[:5]
    assert head[:4] == b"\x89PNG" if fmt == "png" else head == b"<?xml"
    with pytest.raises(NakgError):
        plot(kg, name, tmp_path / "x.gif")


def _stated_sigmas(kg):
    """Conductivity rows of the measurements table that a plot may draw (nakg.rules: no upper bounds)."""
    rows = [m for m in kg.table("measurements") if m["property"] == "ionic_conductivity" and m["material_id"]
            and not m["derived"] and m["qualifier"] != "upper_bound"]
    assert rows
    return rows


def test_arrhenius_plot_draws_what_the_measurements_table_holds(kg):
    data = plot_data(kg, "arrhenius")
    drawn = {p["measurement_id"]: p for p in data["points"]}
    expected = {m["measurement_id"]: m for m in _stated_sigmas(kg)
                if m["temperature_K"] is not None or m["room_temperature"]}
    assert set(drawn) == set(expected)
    for mid, m in expected.items():
        p = drawn[mid]
        value = m["canonical_value"] if m["canonical_value"] is not None else m["canonical_min"]
        assert p["y"] == pytest.approx(math.log10(value))
        assert p["T_K"] == pytest.approx(m["temperature_K"] if m["temperature_K"] is not None else 298.15)
    not_drawn = len(_stated_sigmas(kg)) - len(expected)
    assert sum(data["left_out"].values()) == not_drawn
    temps = {}
    for p in data["points"]:
        temps.setdefault(p["material_id"], set()).add(round(p["T_K"], 2))
    assert {line["material_id"] for line in data["lines"]} == {k for k, v in temps.items() if len(v) >= 2}
    assert all(line["material"] and len(line["x"]) >= 2 for line in data["lines"])
    nasicon = plot_data(kg, "arrhenius", family="NASICON")
    assert nasicon["points"] and {p["top_family"] for p in nasicon["points"]} == {"nasicon"}
    from nakg.errors import UnknownValue

    with pytest.raises(UnknownValue, match="unknown family 'nasicn'; did you mean 'nasicon'"):
        plot_data(kg, "arrhenius", family="nasicn")


def test_doping_plot_draws_every_magnitude(kg, outcomes):
    data = plot_data(kg, "doping")
    with_magnitude = {o.strategy_id: o for o in outcomes.values() if o.enhancement is not None}
    assert {r["doping_id"] for r in data["rows"]} == set(with_magnitude)
    for r in data["rows"]:
        o = with_magnitude[r["doping_id"]]
        assert r["tier"] == o.tier and r["log10_ratio"] == pytest.approx(o.log_enhancement)
    assert data["direction_only"] == sum(o.tier == "direction_only" for o in outcomes.values())
    assert data["direction_only"] + data["nothing_stated"] + len(data["rows"]) == len(outcomes) == data["total"]


def test_families_plot_is_the_best_room_temperature_value_per_top_family(kg):
    from nakg.analytics.summary import family_members
    from nakg.rules import is_room_temperature, representative

    data = plot_data(kg, "families")
    bars = {b["family"]: b for b in data["bars"]}
    assert bars
    for key, bar in bars.items():
        members = family_members(kg, key)[1]
        best = max(representative(m["canonical_value"], m["canonical_min"]) for m in _stated_sigmas(kg)
                   if m["family"] in members and is_room_temperature(
                       flagged=m["room_temperature"], kelvin=m["temperature_K"],
                       min_kelvin=m["temperature_min_K"], max_kelvin=m["temperature_max_K"]))
        assert bar["sigma_S_cm"] == pytest.approx(best)
        label = kg.query("SELECT ?l WHERE { ?f nakg:recordKey ?k ; a nakg:ElectrolyteFamily ; rdfs:label ?l }", k=key)
        assert bar["family_label"] == label[0]["l"]  # the human label, not the key
        assert kg.material(bar["material_id"])["formula"] == bar["material"]
    values = [b["sigma_S_cm"] for b in data["bars"]]
    assert values == sorted(values)  # drawn bottom-up: the longest bar is the highest conductivity


def test_cli_doping_outcomes_and_ranking(kg):
    import json

    n = len(doping_outcomes(kg))
    result = run_cli("doping", "--outcomes", "--format", "json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert len(rows) == n and all(r["tier"] and r["direction"] for r in rows)
    assert all(r["ratio_derived"] == (r["ratio"] is not None and r["stated_factor"] is None) for r in rows)
    result = run_cli("doping", "--format", "json")
    ranking = json.loads(result.stdout)
    assert ranking["footer"].startswith("ranked on") and not ranking["changes"]
    result = run_cli("doping", "--include-across-works", "--format", "json")
    assert json.loads(result.stdout)["changes"]
    result = run_cli("doping", "--by", "dopant")
    assert result.returncode == 0 and "ranked on" in result.stdout.splitlines()[-1]
    result = run_cli("doping", "--network", "--format", "json")
    assert set(json.loads(result.stdout)) == {"mechanisms_by_family", "recurring_dopant_sites", "centrality"}
    result = run_cli("doping", "--family", "nasicn")
    assert result.returncode == 1 and "did you mean 'nasicon'" in result.stderr
    result = run_cli("doping", "--family", "NASICON", "--outcomes", "--format", "json")
    assert {r["top_family"] for r in json.loads(result.stdout)} == {"nasicon"}


def test_cli_analytics(tmp_path):
    result = run_cli("lineage", "Na3SbS4")
    assert result.returncode == 0 and "Na2.88Sb0.88W0.12S4" in result.stdout
    result = run_cli("suggest", "NZSP")
    assert result.returncode == 0 and "Hypotheses for Na3Zr2Si2PO12" in result.stdout and "score = " in result.stdout
    assert "na3zr2si2po12" not in result.stdout  # names, not record ids
    result = run_cli("suggest", "Na3PS4")  # two materials share the formula: the error names both ids
    assert result.returncode == 1 and "na3ps4 (Na3PS4), na3ps4-tetragonal-na-vacancy (Na3PS4)" in result.stderr
    result = run_cli("plot", "arrhenius", "-o", str(tmp_path / "a.svg"))
    assert result.returncode == 0 and (tmp_path / "a.svg").read_text().startswith("<?xml")
    result = run_cli("lineage", "NoSuchMaterial")
    assert result.returncode == 1 and "unknown material 'NoSuchMaterial'" in result.stderr
