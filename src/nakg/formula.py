"""Chemical formulas as written → element amounts.

The reader is strict: every character of a formula is accounted for, or the
formula is refused with the position of the first character it did not
understand. A formula is element symbols (checked against ``molmass``'s
periodic table) each with an optional amount, groups in round, square or curly
brackets with an optional amount, and parts joined by ``·`` (hydrates), each
part with an optional leading count (``·9H2O``, ``·1/2H2O``). Amounts are
decimal (``3.4``) or fractions (``4/3``). Formulas are kept as written; the
parsed amounts are what the graph adds beside them.

>>> parse_formula("Na3Zr2Si2PO12")
{'Na': 3.0, 'O': 12.0, 'P': 1.0, 'Si': 2.0, 'Zr': 2.0}
>>> parse_formula("Na2(B12H12)0.5(B10H10)0.5")
{'B': 11.0, 'H': 11.0, 'Na': 2.0}
>>> parse_formula("Na3.Cl")
Traceback (most recent call last):
...
nakg.errors.FormulaError: formula 'Na3.Cl', character 4 ('.'): a decimal point needs digits after it
"""

from __future__ import annotations

from fractions import Fraction
from functools import cache

from .errors import FormulaError, shown

__all__ = ["parse_formula", "hill_formula", "element_symbols", "format_amount"]

_DIGITS = frozenset("0123456789")  # ASCII only: str.isdigit() would accept other scripts' digits
_UPPER = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_LOWER = frozenset("abcdefghijklmnopqrstuvwxyz")
_BRACKETS = {"(": ")", "[": "]", "{": "}"}
_CLOSERS = frozenset(_BRACKETS.values())
_HYDRATE = "·"
#: Digits an amount may have on either side of its decimal point or fraction bar.
_MAX_DIGITS = 9


@cache
def element_symbols() -> frozenset[str]:
    """The symbols of the chemical elements (from molmass)."""
    from molmass.elements import ELEMENTS

    return frozenset(e.symbol for e in ELEMENTS if e.number > 0)


class _Reader:
    """A cursor over one formula that refuses with the position of what it does not understand."""

    def __init__(self, formula: str):
        self.text = formula
        self.i = 0

    def fail(self, why: str, at: int | None = None) -> FormulaError:
        at = self.i if at is None else at
        where = f"character {at + 1} ({self.text[at]!r})" if at < len(self.text) else "its end"
        return FormulaError(f"formula {shown(self.text)}, {where}: {why}")

    def peek(self) -> str:
        return self.text[self.i] if self.i < len(self.text) else ""

    def digits(self) -> str:
        start = self.i
        while self.peek() in _DIGITS and self.peek():
            self.i += 1
        if self.i - start > _MAX_DIGITS:
            raise self.fail(f"an amount with more than {_MAX_DIGITS} digits", start)
        return self.text[start:self.i]

    def amount(self) -> float | None:
        """An optional amount: ``3``, ``3.4`` or ``4/3``."""
        start = self.i
        whole = self.digits()
        if not whole:
            return None
        if self.peek() == ".":
            self.i += 1
            decimals = self.digits()
            if not decimals:
                raise self.fail("a decimal point needs digits after it", self.i - 1)
            return float(f"{whole}.{decimals}")
        if self.peek() == "/":
            self.i += 1
            below = self.digits()
            if not below:
                raise self.fail("a fraction needs a whole number after '/'", self.i - 1)
            if self.peek() in (".", "/"):
                raise self.fail("a fraction is one whole number over another")
            if int(below) == 0:
                raise self.fail("division by zero in a fractional amount", start)
            return round(int(whole) / int(below), 6)
        return float(whole)


def _read_part(r: _Reader, end: int) -> dict[str, float]:
    """One part of a formula (up to ``end``): an optional leading count, then elements and groups."""
    start = r.i
    multiplier = r.amount() if r.peek() in _DIGITS else None
    if multiplier is not None and r.i < end and r.peek() not in _UPPER and r.peek() not in _BRACKETS:
        raise r.fail("a count must be followed by an element or a bracket")
    stack: list[tuple[str, dict[str, float], int]] = [("", {}, start)]  # (closing bracket, amounts, where it opened)
    while r.i < end:
        c = r.peek()
        at = r.i
        if c in _UPPER:
            symbol = c
            r.i += 1
            if r.peek() in _LOWER and r.peek():
                symbol += r.peek()
                r.i += 1
            if symbol not in element_symbols():
                raise r.fail(f"'{symbol}' is not an element symbol", at)
            n = r.amount()
            counts = stack[-1][1]
            counts[symbol] = counts.get(symbol, 0.0) + (1.0 if n is None else n)
        elif c in _BRACKETS:
            stack.append((_BRACKETS[c], {}, at))
            r.i += 1
        elif c in _CLOSERS:
            closer, inner, opened = stack[-1]
            if len(stack) == 1:
                raise r.fail(f"unbalanced brackets: '{c}' closes nothing")
            if c != closer:
                raise r.fail(f"unbalanced brackets: '{c}' where '{closer}' closes the bracket at character {opened + 1}")
            if not inner:
                raise r.fail("empty brackets", opened)
            stack.pop()
            r.i += 1
            n = r.amount()
            counts = stack[-1][1]
            for el, m in inner.items():
                counts[el] = counts.get(el, 0.0) + m * (1.0 if n is None else n)
        elif c in _LOWER:
            raise r.fail("a lower-case letter outside an element symbol (a variable or stray letter)")
        elif c in _DIGITS or c in "./":
            raise r.fail("an amount must follow an element or a closing bracket")
        else:
            raise r.fail("characters outside a chemical formula")
    if len(stack) > 1:
        raise r.fail(f"unbalanced brackets: '{r.text[stack[-1][2]]}' is never closed", stack[-1][2])
    counts = stack[0][1]
    if not counts:
        raise r.fail("a part of the formula has no element" if r.i > start else "an empty part around '·'", start)
    return {el: n * (1.0 if multiplier is None else multiplier) for el, n in counts.items()}


def parse_formula(formula: str) -> dict[str, float]:
    """Parse a formula as written into element → amount per formula unit.

    Accepts decimal and fractional amounts (``Na4/3``), nested groups with round,
    square or curly brackets and hydrates joined by ``·``. Raises
    :class:`~nakg.errors.FormulaError` naming the first character not understood:
    variables such as x, unknown symbols, unbalanced or empty brackets, stray
    punctuation, empty input.

    >>> parse_formula("Na3SbS4·9H2O")["H"]
    18.0
    >>> parse_formula("Na3-xHxOCl")
    Traceback (most recent call last):
    ...
    nakg.errors.FormulaError: formula 'Na3-xHxOCl', character 4 ('-'): characters outside a chemical formula
    """
    if not isinstance(formula, str) or not formula.strip():
        raise FormulaError("empty formula")
    r = _Reader(formula)
    total: dict[str, float] = {}
    while True:
        end = formula.find(_HYDRATE, r.i)
        end = len(formula) if end < 0 else end
        for el, n in _read_part(r, end).items():
            total[el] = total.get(el, 0.0) + n
        if end == len(formula):
            break
        r.i = end + 1
    for el, n in total.items():
        if not n > 0:
            raise FormulaError(f"formula {shown(formula)} gives a non-positive amount for {el}")
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
