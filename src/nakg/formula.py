"""Chemical formulas as written → element amounts.

Parsing is delegated to ``chemparse`` (non-integer stoichiometry, nested groups);
element symbols are checked against ``molmass``'s periodic table, because
chemparse accepts any capitalised token. Formulas are kept as written; the
parsed amounts are what the graph adds beside them.

>>> parse_formula("Na3Zr2Si2PO12")
{'Na': 3.0, 'O': 12.0, 'P': 1.0, 'Si': 2.0, 'Zr': 2.0}
>>> parse_formula("Na2(B12H12)0.5(B10H10)0.5")
{'B': 11.0, 'H': 11.0, 'Na': 2.0}
"""

from __future__ import annotations

import re
from fractions import Fraction
from functools import cache

from .errors import FormulaError

__all__ = ["parse_formula", "hill_formula", "element_symbols", "format_amount"]

_ALLOWED = re.compile(r"^[A-Za-z0-9.()\[\]{}/·]+$")
_FRACTION = re.compile(r"(\d+)/(\d+)")
_TOKEN = re.compile(r"[A-Z][a-z]?")


@cache
def element_symbols() -> frozenset[str]:
    """The symbols of the chemical elements (from molmass)."""
    from molmass.elements import ELEMENTS

    return frozenset(e.symbol for e in ELEMENTS if e.number > 0)


def _fraction_to_decimal(match: re.Match) -> str:
    num, den = int(match.group(1)), int(match.group(2))
    if den == 0:
        raise FormulaError("division by zero in a fractional amount")
    return repr(round(num / den, 6))


def _parse_part(part: str, formula: str) -> dict[str, float]:
    import chemparse

    lead = re.match(r"^(\d+(?:\.\d+)?)(?=[A-Z(\[])", part)
    multiplier = 1.0
    if lead:  # hydrate water count, e.g. the 9 in ·9H2O
        multiplier = float(lead.group(1))
        part = part[lead.end():]
    body = _FRACTION.sub(_fraction_to_decimal, part)
    for token in _TOKEN.findall(body):
        if token not in element_symbols():
            raise FormulaError(f"'{token}' in formula '{formula}' is not an element symbol")
    if re.search(r"[a-z]", re.sub(r"[A-Z][a-z]?", "", body)):
        raise FormulaError(f"formula '{formula}' contains a lower-case variable or stray letter")
    try:
        amounts = chemparse.parse_formula(body)
    except Exception as exc:  # chemparse raises its own error types
        raise FormulaError(f"cannot parse formula '{formula}': {exc}") from exc
    return {el: n * multiplier for el, n in amounts.items()}


def parse_formula(formula: str) -> dict[str, float]:
    """Parse a formula as written into element → amount per formula unit.

    Accepts decimal and fractional amounts (``Na4/3``), nested groups with round,
    square or curly brackets and hydrates joined by ``·``. Raises
    :class:`~nakg.errors.FormulaError` for anything else: variables such as x,
    unknown symbols, unbalanced brackets, empty input.

    >>> parse_formula("Na3SbS4·9H2O")["H"]
    18.0
    >>> parse_formula("Na3-xHxOCl")
    Traceback (most recent call last):
    ...
    nakg.errors.FormulaError: formula 'Na3-xHxOCl' has characters outside a chemical formula
    """
    if not isinstance(formula, str) or not formula.strip():
        raise FormulaError("empty formula")
    if not _ALLOWED.match(formula):
        raise FormulaError(f"formula '{formula}' has characters outside a chemical formula")
    if formula.count("(") != formula.count(")") or formula.count("[") != formula.count("]"):
        raise FormulaError(f"formula '{formula}' has unbalanced brackets")
    total: dict[str, float] = {}
    for part in formula.split("·"):
        if not part:
            raise FormulaError(f"formula '{formula}' has an empty part around '·'")
        for el, n in _parse_part(part, formula).items():
            total[el] = total.get(el, 0.0) + n
    if not total:
        raise FormulaError(f"formula '{formula}' contains no element")
    for el, n in total.items():
        if not n > 0:
            raise FormulaError(f"formula '{formula}' gives a non-positive amount for {el}")
    return {el: round(total[el], 6) for el in sorted(total)}


def format_amount(n: float) -> str:
    """Render an amount compactly: 1 → '', 2.0 → '2', 0.5 → '0.5'."""
    if abs(n - 1.0) < 1e-9:
        return ""
    if abs(n - round(n)) < 1e-9:
        return str(int(round(n)))
    return f"{n:.6f}".rstrip("0").rstrip(".")


def hill_formula(amounts: dict[str, float]) -> str:
    """The Hill-order formula of parsed amounts (C first, then H, then alphabetical).

    >>> hill_formula(parse_formula("NaCB11H12"))
    'CH12B11Na'
    """
    keys = sorted(amounts)
    if "C" in amounts:
        keys = ["C"] + (["H"] if "H" in amounts else []) + [k for k in keys if k not in ("C", "H")]
    return "".join(f"{k}{format_amount(amounts[k])}" for k in keys)


def _as_fraction(n: float) -> Fraction:  # pragma: no cover - helper for callers comparing amounts
    return Fraction(n).limit_denominator(1000)
