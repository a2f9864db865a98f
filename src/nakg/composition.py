"""Compositions for the tables: element amounts, a normalised formula, dopants and series.

A formula as written is kept beside what is read from it:

* **element amounts** — :func:`nakg.formula.parse_formula` for every formula
  that parses (the graph's own parser);
* a **normalised formula** — the elements in the order they are first written,
  each with its amount (``Na3Zr2Si2PO12``), a string pymatgen's ``Composition``
  and other composition featurisers accept;
* **doped in words** — ``"Ca-doped Na2Zn2TeO6"``, ``"Sc/Yb co-doped
  Na3Zr2Si2PO12"``: the host as written, its composition, and the dopants;
* **series** — a formula with a variable (``Na1+xZr2SixP3-xO12``): the
  variable and the range its stated values span (from the material's name,
  e.g. ``(0 < x < 1)``, and the x of its members).

>>> describe("Na3Zr2Si2PO12")["formula_normalized"]
'Na3Zr2Si2PO12'
>>> d = describe("Ca-doped Na2Zn2TeO6")
>>> d["dopants"], d["host_formula"], d["host_formula_normalized"], d["composition"]
(['Ca'], 'Na2Zn2TeO6', 'Na2Zn2TeO6', None)
>>> d = describe("Na3-xHxOCl", label="Na3-xHxOCl (0 < x < 1)", is_series=True)
>>> d["series_variable"], d["series_min"], d["series_max"]
('x', 0.0, 1.0)
"""

from __future__ import annotations

import re
from functools import lru_cache

from .errors import FormulaError
from .formula import element_symbols, format_amount, parse_formula

__all__ = ["describe", "normalized_formula", "series_variables", "EMPTY"]

#: What :func:`describe` returns for a formula nothing can be read from.
EMPTY = {
    "composition": None, "formula_normalized": None, "dopants": None, "host_formula": None,
    "host_composition": None, "host_formula_normalized": None,
    "series_variable": None, "series_min": None, "series_max": None,
}

_DOPED = re.compile(r"^(?P<dopants>\S+?)(?:\s+co)?-?\s*(?:doped|substituted)\s+(?P<host>.+)$")
_STATED_RANGE = re.compile(r"\(([^()]*[=<≤][^()]*)\)\s*$")
_DOPANT = re.compile(r"^[A-Z][A-Za-z0-9]*$")
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def _symbols_in_order(formula: str) -> list[str]:
    """Element symbols in the order they are first written (two-letter symbols only when they exist)."""
    out: list[str] = []
    symbols = element_symbols()
    i = 0
    while i < len(formula):
        ch = formula[i]
        if ch.isupper():
            two = formula[i:i + 2]
            sym = two if len(two) == 2 and two[1].islower() and two in symbols else ch
            if sym in symbols and sym not in out:
                out.append(sym)
            i += len(sym)
        else:
            i += 1
    return out


def _in_written_order(formula: str, amounts: dict[str, float]) -> dict[str, float]:
    written = _symbols_in_order(formula)
    order = [s for s in written if s in amounts] + sorted(s for s in amounts if s not in written)
    return {el: amounts[el] for el in order}


def normalized_formula(formula: str, amounts: dict[str, float]) -> str:
    """Amounts as a plain formula in written order: ``Na3Zr2Si2PO12``, ``Na3.4Zr1.9Zn0.1Si2.2P0.8O12``.

    >>> normalized_formula("Na2(B12H12)0.5(B10H10)0.5", parse_formula("Na2(B12H12)0.5(B10H10)0.5"))
    'Na2B11H11'
    """
    ordered = _in_written_order(formula, amounts)
    return "".join(f"{el}{format_amount(n)}" for el, n in ordered.items())


def series_variables(formula: str) -> list[str]:
    """The lower-case variables of a series formula (``x``, ``y``), once each, in written order.

    >>> series_variables("Na3-xHxOCl"), series_variables("Na3Zr2Si2PO12")
    (['x'], [])
    """
    symbols = element_symbols()
    out: list[str] = []
    i = 0
    while i < len(formula):
        ch = formula[i]
        if ch.isupper():
            two = formula[i:i + 2]
            i += 2 if len(two) == 2 and two[1].islower() and two in symbols else 1
            continue
        if ch in "xyzδ" and ch not in out:
            out.append(ch)
        i += 1
    return out


def _amounts(formula: str) -> dict[str, float] | None:
    try:
        return parse_formula(formula)
    except FormulaError:
        return None


@lru_cache(maxsize=4096)
def _describe(formula: str, label: str | None, xs: tuple[float, ...], is_series: bool) -> tuple:
    out = dict(EMPTY)
    amounts = _amounts(formula)
    if amounts:
        out["composition"] = _in_written_order(formula, amounts)
        out["formula_normalized"] = normalized_formula(formula, amounts)
        return tuple(out.items())
    m = _DOPED.match(formula.strip())
    if m:
        dopants = [d for d in re.split(r"[/,]", m.group("dopants")) if d]
        if dopants and all(_DOPANT.match(d) for d in dopants):
            host = m.group("host").strip()
            out["dopants"] = dopants
            out["host_formula"] = host
            host_amounts = _amounts(host)
            if host_amounts:
                out["host_composition"] = _in_written_order(host, host_amounts)
                out["host_formula_normalized"] = normalized_formula(host, host_amounts)
            return tuple(out.items())
    variables = series_variables(formula.split(" (")[0]) if is_series else []
    if variables:
        out["series_variable"] = variables[0] if len(variables) == 1 else ",".join(variables)
        values = list(xs)
        stated = _STATED_RANGE.search(label or "")
        if stated and any(v in stated.group(1) for v in variables):
            values += [float(n) for n in _NUMBER.findall(stated.group(1))]
        if values:
            out["series_min"], out["series_max"] = min(values), max(values)
    return tuple(out.items())


def describe(formula: str | None, *, label: str | None = None, series_x: tuple[float, ...] = (),
             is_series: bool | None = None) -> dict:
    """What can be read from a formula as written (see the module docstring); missing parts are None.

    ``label`` is the material's display name (it may state a series' range),
    ``series_x`` the x values of the series' members, ``is_series`` whether the
    material is a composition series (default: when its formula has a variable and
    does not parse).
    """
    if not formula:
        return dict(EMPTY)
    if is_series is None:
        is_series = bool(series_variables(formula)) and " " not in formula.split(" (")[0]
    result = dict(_describe(formula, label, tuple(sorted(series_x)), is_series))
    for key in ("composition", "host_composition"):  # fresh copies: callers may mutate
        if result[key] is not None:
            result[key] = dict(result[key])
    if result["dopants"] is not None:
        result["dopants"] = list(result["dopants"])
    return result
