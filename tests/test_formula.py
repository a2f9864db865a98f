"""Formula parsing against hand-computed element amounts."""

import pytest

from nakg.errors import FormulaError
from nakg.formula import hill_formula, parse_formula


@pytest.mark.parametrize(
    ("formula", "expected"),
    [
        ("Na3Zr2Si2PO12", {"Na": 3, "Zr": 2, "Si": 2, "P": 1, "O": 12}),
        ("Na3.4Zr1.9Zn0.1Si2.2P0.8O12", {"Na": 3.4, "Zr": 1.9, "Zn": 0.1, "Si": 2.2, "P": 0.8, "O": 12}),
        # 2 Na; B: 0.5*12 + 0.5*10 = 11; H: 0.5*12 + 0.5*10 = 11
        ("Na2(B12H12)0.5(B10H10)0.5", {"Na": 2, "B": 11, "H": 11}),
        # Na4 (CB11H12)2 (B12H12): C 2, B 22+12 = 34, H 24+12 = 36
        ("Na4(CB11H12)2(B12H12)", {"Na": 4, "C": 2, "B": 34, "H": 36}),
        # Na4/3 (CB11H12)2/3 (B12H12)1/3: B = 22/3 + 4 = 11.333333
        ("Na4/3(CB11H12)2/3(B12H12)1/3", {"Na": 1.333333, "C": 0.666667, "B": 11.333333, "H": 12}),
        ("Fe[Fe(CN)6]3", {"Fe": 4, "C": 18, "N": 18}),
        ("Na3SbS4·9H2O", {"Na": 3, "Sb": 1, "S": 4, "H": 18, "O": 9}),
        ("Na3(VOPO4)2F", {"Na": 3, "V": 2, "O": 10, "P": 2, "F": 1}),
        ("Na[Ni1/3Fe1/3Mn1/3]O2", {"Na": 1, "Ni": 0.333333, "Fe": 0.333333, "Mn": 0.333333, "O": 2}),
        ("Na2.98Mg0.01SO4F0.95Cl0.05", {"Na": 2.98, "Mg": 0.01, "S": 1, "O": 4, "F": 0.95, "Cl": 0.05}),
    ],
)
def test_parse_formula(formula, expected):
    assert parse_formula(formula) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("formula", "reason"),
    [
        ("Na3-xHxOCl", "characters outside"),
        ("Na1+xZr2SixP3-xO12", "characters outside"),
        ("NaXy", "not an element symbol"),
        ("Na3Zr2Si2PO12)", "unbalanced"),
        ("", "empty"),
        ("Na-β''-Al2O3", "characters outside"),
        ("NaTaCl6x", "variable"),
        ("Na3PS4·", "empty part"),
    ],
)
def test_parse_formula_rejects(formula, reason):
    with pytest.raises(FormulaError, match=reason):
        parse_formula(formula)


def test_hill_formula_orders_carbon_and_hydrogen_first():
    assert hill_formula(parse_formula("NaCB11H12")) == "CH12B11Na"
    assert hill_formula(parse_formula("Na3PS4")) == "Na3PS4"


# Hardening round 2: the parser accounts for every character or names the first it did not understand.
STRICT_REFUSALS = [
    ("Na3.Cl", 4, "decimal point"),
    ("Na/Cl", 3, "amount must follow"),
    ("Na2/3/4Cl", 6, "fraction"),
    ("Na()2", 3, "empty brackets"),
    ("Na[Cl)(]", 6, "unbalanced"),
    ("Na(Cl", 3, "never closed"),
    ("Na]Cl", 3, "closes nothing"),
    ("Na" + "9" * 400, 3, "more than 9 digits"),
    ("Na1/0Cl", 3, "division by zero"),
    ("Na3 PS4", 4, "characters outside"),
    ("Na\u0663Cl", 3, "characters outside"),  # an Arabic-Indic digit three
    ("NaCl·", None, "empty part"),
    ("NaCl··H2O", 6, "empty part"),
    ("NaCl·2", None, "no element"),
    ("NaCl·2.H2O", 7, "decimal point"),
]


@pytest.mark.parametrize(("formula", "position", "reason"), STRICT_REFUSALS)
def test_formula_parser_strict_refuses_with_position(formula, position, reason):
    """Issue: Na{Cl}, Na3.Cl, Na/Cl, NaCl·1/2H2O lost elements; Na()2, Na[Cl)(] were accepted; 400 nines crashed."""
    with pytest.raises(FormulaError, match=reason) as info:
        parse_formula(formula)
    if position is not None:
        assert f"character {position} " in str(info.value)
    assert len(str(info.value)) < 200


@pytest.mark.parametrize(("formula", "expected"), [
    ("Na{Cl}", {"Na": 1, "Cl": 1}),
    ("NaCl·1/2H2O", {"Na": 1, "Cl": 1, "H": 1, "O": 0.5}),
    ("{Na[Cl(Br)2]3}2", {"Na": 2, "Cl": 6, "Br": 12}),
])
def test_formula_parser_strict_accounts_for_every_element(formula, expected):
    assert parse_formula(formula) == pytest.approx(expected)
