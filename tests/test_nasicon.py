"""NASICON end to end: the facts the review states are in the built graph, with provenance."""

from __future__ import annotations

import pytest

SIGMA = """
SELECT ?value ?t ?rt ?unit WHERE {
  ?m a nakg:IonicConductivity ; nakg:isMeasurementOf ?mat ; nakg:canonicalValue ?value .
  ?mat nakg:recordId ?id .
  OPTIONAL { ?m nakg:temperatureK ?t } OPTIONAL { ?m nakg:atRoomTemperature ?rt }
}"""


def sigmas(kg, record_id):
    return {(round(r["value"], 12), r["t"], r["rt"]) for r in kg.query(SIGMA, id=record_id)}


def test_nzsp_conductivities(kg):
    got = sigmas(kg, "na3zr2si2po12")
    assert (6.7e-4, 298.15, None) in got  # 25 °C [37, 38]
    assert (1.2e-3, 333.15, None) in got  # 60 °C
    assert (0.2, 573.15, None) in got  # 300 °C
    assert (4.5e-4, None, None) in got  # before NaF [101]; no temperature stated


def test_zn_si_codoped_conductivity_has_no_invented_temperature(kg):
    assert sigmas(kg, "na3.4zr1.9zn0.1si2.2p0.8o12") == {(5.27e-3, None, None)}


@pytest.mark.parametrize("dopant", ["Sc", "Yb", "Zn", "La", "Ca", "Mg", "Cu"])
def test_nasicon_dopants_present(kg, dopant):
    rows = kg.query("""
        SELECT ?d WHERE {
          ?d a nakg:Doping ; nakg:hasHost/nakg:recordId "na3zr2si2po12" ;
             nakg:hasSubstitution/nakg:dopant/nakg:speciesAsWritten ?sp .
          FILTER(STRSTARTS(?sp, ?dopant))
        }""", dopant=dopant)
    assert rows, dopant


def test_naf_sintering_aid_before_after(kg):
    rows = kg.query("""
        SELECT ?after WHERE {
          ?s a nakg:Synthesis ; nakg:usesAdditive/nakg:recordId "naf" ; nakg:producesMaterial ?p .
          ?m nakg:isMeasurementOf ?p ; a nakg:IonicConductivity ; nakg:canonicalValue ?after ;
             nakg:citesReference/nakg:referenceNumber 101 .
        }""")
    assert [r["after"] for r in rows] == [pytest.approx(1.7e-3)]


def test_table1_nasicon_rows(kg):
    rows = kg.query("""
        SELECT ?row ?cap WHERE {
          ?c nakg:sourceTable "Table 1" ; nakg:tableRow ?row ; nakg:hasElectrolyte/nakg:belongsToFamily nakg:NASICONFamily .
          OPTIONAL { ?c nakg:hasMeasurement ?m . ?m a nakg:FirstCycleCapacity ; nakg:canonicalValue ?cap }
        } ORDER BY ?row""")
    assert [r["row"] for r in rows] == list(range(4, 13))
    caps = {r["row"]: r["cap"] for r in rows}
    assert caps[5] == pytest.approx(90) and caps[12] == pytest.approx(181.6) and caps[9] == pytest.approx(110.9)


def test_monoclinic_to_rhombohedral_transition(kg):
    rows = kg.query("""
        SELECT ?lo ?hi ?sg1 ?sg2 WHERE {
          ?tr a nakg:PhaseTransition ; nakg:fromStructure ?a ; nakg:toStructure ?b .
          ?a nakg:structureOf/nakg:recordId "na1pxzr2sixp3-xo12" ; nakg:spaceGroup ?sg1 .
          ?b nakg:spaceGroup ?sg2 .
          ?t nakg:isMeasurementOf ?tr ; nakg:canonicalMin ?lo ; nakg:canonicalMax ?hi .
        }""")
    assert rows == [{"lo": 420.0, "hi": 450.0, "sg1": "C2/c", "sg2": "R-3c"}]


def test_every_nasicon_fact_cites_resolvable_references(kg):
    rows = kg.query("""
        SELECT DISTINCT ?n ?journal ?year WHERE {
          ?fact nakg:citesReference ?ref ; nakg:statedInSection ?s .
          { ?fact nakg:isMeasurementOf/nakg:belongsToFamily nakg:NASICONFamily }
          UNION { ?fact nakg:hasHost/nakg:belongsToFamily nakg:NASICONFamily }
          ?ref nakg:referenceNumber ?n ; nakg:publicationYear ?year .
          OPTIONAL { ?ref nakg:journalTitle ?journal }
        }""")
    numbers = {r["n"] for r in rows}
    assert {37, 38, 92, 93, 101} <= numbers
    assert all(r["journal"] and 1900 < r["year"] < 2030 for r in rows)


def test_curation_notes_kept(kg):
    rows = kg.query('SELECT ?note WHERE { ?m nakg:recordId "na3zr2sipo12" ; nakg:curationNote ?note }')
    assert rows and "Na3Zr2Si2PO12" in rows[0]["note"]
