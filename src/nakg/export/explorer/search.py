"""The explorer's search index: the resolver's answers, computed at export time, for the page's script.

The exported page cannot call Python, so :func:`search_index` embeds what
:mod:`nakg.resolve` knows in a compact form, and ``explorer.js`` applies the
resolver's rules to it (one rule for spelling, :func:`nakg.resolve.normalize`:
NFKC, Unicode sub-/superscript digits and signs as ASCII, case folded, white
space removed). A search box entry is read as each kind at once:

* **material** (``Resolver.materials``): the full IRI; the record id exactly;
  then the normalised form of a formula, alias, name or id (the first of these
  rules that matches decides, as in Python; ``keys`` holds that answer for every
  normalised form); then the same parsed composition (``compositions``).
* **family** (``resolve.family``): the key exactly, the key loosely (``-``,
  space and ``_`` alike), the label in any case, or the IRI/CURIE; the answer
  is the family's materials and its subfamilies' (``resolve.family_keys``).
* **element** (``resolve.element``): the symbol exactly, the symbol or English
  name in any case, or its IRI; the answer is every material containing it, each
  with how (``composition``, ``doping``, ``series``; strongest first).

A value that is none of these gets the closest valid ones of each kind, by the
same measure as :func:`nakg.resolve._suggest` (``difflib`` ratio ≥ 0.55, or one
contains the other). Materials outside the page's view are counted, not hidden:
the index lists every material, with its node index or -1.

>>> import nakg
>>> kg = nakg.load()
>>> ix = search_index(kg, {"https://w3id.org/nakg/resource/material/na3zr2si2po12": 0})
>>> ix["materials"][ix["keys"]["nzsp"][0]][:2]
['na3zr2si2po12', 0]
>>> sorted(f["key"] for f in ix["families"] if f["key"] == "nasicon")
['nasicon']
"""

from __future__ import annotations

import sys
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from ...core import GraphCore

__all__ = ["search_index", "casefold_table", "NORMALIZE_RULE"]

#: The spelling rule, stated once (the page shows it; Python and the page's script apply it alike).
NORMALIZE_RULE = ("NFKC, Unicode sub- and superscript digits and signs as ASCII, case folded (Unicode full case "
                  "folding: ß = ss), white space removed")


@cache
def casefold_table() -> dict[str, str]:
    """The characters whose Unicode case folding is not their lower case (``ß`` → ``ss``), for the script.

    JavaScript has ``toLowerCase`` but no case folding; with this table the page folds as Python's
    :meth:`str.casefold` does.

    >>> casefold_table()["ß"], casefold_table()["ς"]
    ('ss', 'σ')
    """
    return {c: c.casefold() for c in map(chr, range(sys.maxunicode + 1))
            if not 0xD800 <= ord(c) <= 0xDFFF and c.casefold() != c.lower()}


def _composition_key(composition: dict[str, float] | None) -> str | None:
    """A parsed composition as text the script rebuilds the same way (``Na:3.000000,O:12.000000``)."""
    if not composition:
        return None
    return ",".join(f"{el}:{amount:.6f}" for el, amount in sorted(composition.items()))


def search_index(kg: GraphCore, node_index: dict[str, int]) -> dict[str, Any]:
    """The resolver's answers for the explorer of a view whose nodes are ``node_index`` (IRI → index).

    Returns a JSON-ready dict:

    * ``materials``: ``[id, node index or -1, formula, display]`` for every material of the graph;
    * ``ids``: record id → material index (the exact-id rule);
    * ``keys``: normalised form → material indices (the formula, alias, name and id rules, first match);
    * ``compositions``: parsed composition (see :func:`_composition_key`) → material indices;
    * ``families``: ``{key, label, iri, top, path, labels, members}`` (``labels``: the family's and its
      subfamilies' labels, as the view's nodes name them; ``members``: material indices, subfamilies included);
    * ``elements``: ``[symbol, name, [[material index, vias], ...]]`` for every element;
    * ``options``: the suggestion forms per kind (normalised form → what to show);
    * ``prefixes``: CURIE prefix → namespace; ``casefold``: :func:`casefold_table`; ``rule``: the spelling rule.
    """
    from ... import resolve

    r = resolve.resolver(kg)
    ordered = sorted(r.materials_by_id.values(), key=lambda m: m.id)
    position = {m.id: i for i, m in enumerate(ordered)}
    materials = [[m.id, node_index.get(m.iri, -1), m.formula, m.label] for m in ordered]

    tiers = [match for name, match in r._tiers() if name != "id"]  # the exact id is the script's own first rule
    keys: dict[str, list[int]] = {}
    for m in ordered:
        for text in (m.formula, *m.aliases, m.label, m.id):
            probe = resolve.normalize(text)
            if not probe or probe in keys:
                continue
            for match in tiers:
                hits = [x for x in ordered if match(x, probe, probe)]
                if hits:
                    keys[probe] = [position[x.id] for x in hits]
                    break
    compositions: dict[str, list[int]] = {}
    for m in ordered:
        key = _composition_key(resolve._composition(m.formula))
        if key:
            compositions.setdefault(key, []).append(position[m.id])

    families = []
    for f in resolve.families():
        members = resolve.family_keys(f.key)
        families.append({"key": f.key, "label": f.label, "iri": f.iri, "top": f.top_label, "path": list(f.path),
                         "labels": sorted(x.label for x in resolve.families() if x.key in members),
                         "members": [position[m.id] for m in ordered if m.family in members]})

    contained: dict[str, list[list[Any]]] = {}
    for m in ordered:
        for el, vias in r.elements_of(m.id).items():
            contained.setdefault(el, []).append([position[m.id], vias])
    elements = [[t.key, t.label, contained.get(t.key, [])] for t in resolve.elements()]

    material_options: dict[str, str] = {}  # as Resolver.materials builds its suggestions
    for m in r.materials_by_id.values():
        material_options.setdefault(resolve.normalize(m.formula), m.formula)
        for a in m.aliases:
            material_options.setdefault(resolve.normalize(a), a)
        material_options.setdefault(m.id, m.id)
    family_options: dict[str, str] = {}
    for f in resolve.families():
        for form in (resolve.normalize(f.key), resolve.normalize(f.label), resolve.normalize(f.iri.rsplit("/", 1)[-1])):
            family_options.setdefault(form, f.key)
    element_options = {resolve.normalize(t.label): t.key for t in resolve.elements()}
    element_options |= {t.key.casefold(): t.key for t in resolve.elements()}

    from ...rdf.namespaces import PREFIXES

    return {
        "rule": NORMALIZE_RULE,
        "materials": materials,
        "ids": {m.id: position[m.id] for m in ordered},
        "keys": keys,
        "compositions": compositions,
        "families": families,
        "elements": elements,
        "options": {"material": list(material_options.items()), "family": list(family_options.items()),
                    "element": list(element_options.items())},
        "prefixes": {p: str(ns) for p, ns in PREFIXES.items()},
        "casefold": "".join(f"{c}\t{folded}\n" for c, folded in sorted(casefold_table().items())),
    }
