"""Competency questions rewritten for speed give the rows of their earlier formulation.

The earlier texts are kept in ``tests/data/reference-queries/`` (same header, same columns); each
rewritten question and its reference run through ``NamedQuery.run`` with the same parameters on the
review graph and must give the same rows in the same order. ``benchmarks/README.md`` gives the
timings and the same comparison on the 1M-triple synthetic graph.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from pathlib import Path

import pytest

from nakg.queries import load_query

REFERENCES = Path(__file__).parent / "data" / "reference-queries"
ELEMENTS = ["Sb", "Na", "Zr", "Sc", "W", "Ga", "Ge", "Se", "Cl", "La", "O", "B"]
# top-level families, subfamilies, and families with no derived material
FAMILIES = ["nasicon", "sulfide", "complex_hydride", "closo_borate", "halide", "layered_oxide", "p2_layered_oxide",
            "na3pns4_type", "na11sn2pnx12_type", "oxysulfide", "sulfide_glass_ceramic", "beta_alumina", "alanate"]
CASES = [
    ("best-conductivity-per-family", {}),
    ("best-conductivity-per-family", {"per_subfamily": "true"}),
    *[("materials-containing-element", {"element": e}) for e in ELEMENTS],
    ("conductivity-above-threshold", {}),
    ("conductivity-above-threshold", {"threshold": 1e-6}),
    ("conductivity-above-threshold", {"threshold": 1e-9, "temperature": 373.15, "tolerance": 30}),
    ("conductivity-above-threshold", {"threshold": 1e-8, "temperature": 573.15, "tolerance": 100}),
    ("phase-transitions", {}),
    *[("best-derived-member-of-family", {"family": f}) for f in FAMILIES],
    *[("cells-by-capacity", {"min_capacity": c}) for c in (0, 100, 150)],
    *[("cells-by-loading", {"min_loading": x}) for x in (0, 5)],
    *[("cells-by-retention", {"min_retention": x}) for x in (0, 95)],
    ("technique-findings", {}),
    ("synthesis-temperatures", {}),
    *[("conductivity-vs-temperature", {"formula": m}) for m in ("na3zr2si2po12", "na3alh6", "nabh4-na2b12h12")],
    *[("dopings-and-additives", {"host": h}) for h in ("", "NZSP", "Na3PS4")],
    ("technique-findings", {"technique": "sem"}),
    *[
        (name, {})
        for name in (
            "capacity-above-theoretical",
            "computational-dopings",
            "conductivity-enhancements",
            "dopants-that-raised-conductivity",
            "doping-before-after",
            "lattice-parameters",
            "retention-above-100",
            "space-groups",
            "symmetric-cells",
        )
    ],
]
# questions whose whole answer on the review is shorter than three rows
FEW_ROWS = {"capacity-above-theoretical": 1, "retention-above-100": 1}


def test_every_reference_has_a_case():
    names = sorted(p.stem for p in REFERENCES.glob("*.rq"))
    assert names, "no reference formulations found"
    assert names == sorted({name for name, _ in CASES})


@pytest.mark.parametrize(("name", "params"), CASES, ids=[f"{n}-{p}" for n, p in CASES])
def test_rewritten_question_gives_the_reference_rows(kg, name, params):
    new = load_query(name)
    ref = load_query(str(REFERENCES / f"{name}.rq"))
    assert new.projection() == ref.projection()
    expected = ref.run(kg, **params).rows
    assert new.run(kg, **params).rows == expected


@pytest.mark.parametrize("name", sorted({name for name, _ in CASES}))
def test_each_rewritten_question_is_compared_on_rows(kg, name):
    """Some cases may have an empty answer (a family with no derived material); every question has rows in some."""
    ref = load_query(str(REFERENCES / f"{name}.rq"))
    assert sum(len(ref.run(kg, **params).rows) for n, params in CASES if n == name) >= FEW_ROWS.get(name, 3)


def test_equal_canonical_values_are_equal_terms(built):
    """best-conductivity-per-family looks measurements up by their value as a term: that finds every
    measurement of that value only if each value is written one way, always as an xsd:double."""
    pattern = re.compile(r'<https://w3id.org/nakg/canonical(?:Value|Min)> "([^"]*)"\^\^<([^>]*)> \.$')
    spellings: dict[float, set[str]] = defaultdict(set)
    with open(built.outputs["nt"], encoding="utf-8") as lines:
        for line in lines:
            m = pattern.search(line)
            if m:
                assert m[2] == "http://www.w3.org/2001/XMLSchema#double", line
                number = float(m[1])
                # NaN is unequal to itself and -0.0 equal to 0.0: either would break the lookup
                assert math.isfinite(number) and not (number == 0 and m[1].startswith("-")), line
                spellings[number].add(m[1])
    assert len(spellings) > 50
    assert {v: s for v, s in spellings.items() if len(s) > 1} == {}
