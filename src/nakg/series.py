"""Elements named by a formula that :func:`nakg.formula.parse_formula` cannot turn into amounts.

A composition series is written with a variable amount (``Na3+xScxZr2-xSi2PO12``,
``Na2+2δFe2-δ(SO4)3``) and sometimes with a placeholder defined beside it
(``Na3OX (X = Cl, Br, I)``). Its elements are still plain to read. The rules are
three regular expressions, written so that SPARQL's ``REGEX`` reads them the
same way: ``queries/cq/materials-containing-element.rq`` repeats them and
``tests/test_resolve.py`` checks that the query and the API agree.

>>> sorted(series_elements("Na3+xScxZr2-xSi2PO12"))
['Na', 'O', 'P', 'Sc', 'Si', 'Zr']
>>> sorted(series_elements("Na3OX", "Na3OX (X = Cl, Br, I)"))
['Br', 'Cl', 'I', 'Na', 'O']
>>> has_variable_amount("Na3-2xCaxPS4 (x = 0.135)"), has_variable_amount("Ca-doped Na3OCl")
(True, False)
"""

from __future__ import annotations

import re

__all__ = ["VARIABLE_AMOUNT", "SYMBOL_AFTER", "PLACEHOLDER_BEFORE", "has_variable_amount", "series_elements"]

#: A variable amount: x, y, z or δ after a digit, sign, bracket, middle dot, space or the start,
#: and not the start of a word (``Scx`` has one, ``deionized water`` has none).
VARIABLE_AMOUNT = r"(^|[0-9+\-()· ])[xyzδ]([^a-z]|$)"
#: What may follow an element symbol in a series formula: not a lower-case letter other than a variable
#: (``Sc`` in ``ScxZr`` but not ``S`` in ``Sc``).
SYMBOL_AFTER = r"([^a-w]|$)"
#: A placeholder's list of elements up to the symbol: ``X = Cl, Br, I`` names Cl, Br and I.
PLACEHOLDER_BEFORE = r"=\s*([A-Z][a-z]?\s*(,|and|or)\s*)*"


def _symbols() -> frozenset[str]:
    from .formula import element_symbols

    return element_symbols()


def has_variable_amount(formula: str) -> bool:
    """Whether a formula writes an amount as a variable (x, y, z or δ)."""
    return re.search(VARIABLE_AMOUNT, formula) is not None


def series_elements(formula: str, label: str | None = None) -> set[str]:
    """Element symbols of a series formula, with those its placeholders stand for (in the formula or ``label``)."""
    found = set()
    for symbol in _symbols():
        if re.search(re.escape(symbol) + SYMBOL_AFTER, formula):
            found.add(symbol)
        elif any(re.search(PLACEHOLDER_BEFORE + re.escape(symbol) + r"([^a-z]|$)", t) for t in (formula, label or "")):
            found.add(symbol)
    return found
