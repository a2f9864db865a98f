"""Elements named by a formula that :func:`nakg.formula.parse_formula` cannot turn into amounts.

A composition series is written with a variable amount (``Na3+xScxZr2-xSi2PO12``,
``Na2+2δFe2-δ(SO4)3``) and sometimes with a placeholder defined beside it
(``Na3OX (X = Cl, Br, I)``). Its elements are still plain to read: every element
symbol of the formula, and the elements a placeholder stands for.

>>> sorted(series_elements("Na3+xScxZr2-xSi2PO12"))
['Na', 'O', 'P', 'Sc', 'Si', 'Zr']
>>> sorted(series_elements("Na3OX", "Na3OX (X = Cl, Br, I)"))
['Br', 'Cl', 'I', 'Na', 'O']
>>> has_variable_amount("Na3-2xCaxPS4 (x = 0.135)"), has_variable_amount("Ca-doped Na3OCl")
(True, False)
"""

from __future__ import annotations

import re

__all__ = ["element_tokens", "has_variable_amount", "series_elements"]

#: Letters a formula uses for a variable amount.
VARIABLES = "xyzδ"
_PLACEHOLDER = re.compile(r"\b([A-Z]'?)\s*=\s*((?:[A-Z][a-z]?\s*(?:,|and|or)?\s*)+)")


def _symbols() -> frozenset[str]:
    from .formula import element_symbols

    return element_symbols()


def element_tokens(text: str) -> tuple[list[str], str]:
    """The element symbols in ``text`` (in order) and what is left once they are taken out.

    A capital letter followed by a lower-case one is a two-letter symbol when
    that is an element (``Sc``), else a one-letter symbol (``Sx`` is S and x).

    >>> element_tokens("Na3-xY1-xZrxCl6")
    (['Na', 'Y', 'Zr', 'Cl'], '3-x1-xx6')
    """
    symbols = _symbols()
    found, rest, i = [], [], 0
    while i < len(text):
        c = text[i]
        if c.isupper():
            two = text[i:i + 2]
            if len(two) == 2 and two[1].islower() and two in symbols:
                found.append(two)
                i += 2
                continue
            if c in symbols:
                found.append(c)
                i += 1
                continue
        rest.append(c)
        i += 1
    return found, "".join(rest)


def has_variable_amount(formula: str) -> bool:
    """Whether a formula writes an amount as a variable (x, y, z or δ)."""
    _, rest = element_tokens(re.sub(r"\([^)]*=[^)]*\)", "", formula))
    # a run of lower-case letters made only of variables ("x", "xx" once Ca is taken out of "xCax"); words are not
    return any(set(run) <= set(VARIABLES) for run in re.findall(r"[a-zδ]+", rest))


def series_elements(formula: str, label: str | None = None) -> set[str]:
    """Element symbols of a series formula, with those its placeholders stand for (from ``label``)."""
    text = re.sub(r"\([^)]*=[^)]*\)", " ", formula)  # "(x = 0.135)" defines the variable, names no element
    found, _ = element_tokens(text)
    elements = set(found)
    for _, listed in _PLACEHOLDER.findall(f"{formula} {label or ''}"):
        elements |= {s for s in re.findall(r"[A-Z][a-z]?", listed) if s in _symbols()}
    return elements
