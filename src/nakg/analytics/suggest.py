"""Doping suggestions a chemist can check: hypotheses, not facts of the review.

A dopant is suggested for a host when

1. it raised the conductivity of a **similar host** (one sharing the anion sublattice — oxide,
   sulfide, halide … — and, for more weight, the family and other elements; similarity is the
   Adamic–Adar index over these shared features), and
2. it fits a site of the host chemically: a cation on a cation site, an anion on an anion site,
   an oxidation state within one of the site's, and a Shannon ionic radius within
   :data:`MAX_RADIUS_MISMATCH` of the site's (radii and oxidation states from pymatgen).

The score of a suggestion is the sum, over the similar hosts where the dopant raised
conductivity, of the hosts' similarity times the site fit (``1 − mismatch / MAX_RADIUS_MISMATCH``,
halved when the charge changes). Dopants the host already contains or was already doped with
are never suggested; molecular dopants (BH4, B10H10 …) are left out because they have no single
ionic radius.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from .outcomes import DopingOutcome, doping_outcomes

if TYPE_CHECKING:  # pragma: no cover
    from ..core import GraphCore as KnowledgeGraph

__all__ = ["MAX_RADIUS_MISMATCH", "Site", "Suggestion", "suggest", "host_sites", "SCORE_MEANING"]

#: The largest relative difference of ionic radii accepted for a substitution (the 15 % rule of
#: solid solutions, widened to 30 % for dopant-level substitutions).
MAX_RADIUS_MISMATCH = 0.30
_ANIONS = {"O", "S", "Se", "F", "Cl", "Br", "I", "N"}
_CN = ("VI", "IV", "VIII", "V", "VII", "III", "IX", "XII", "II")

SCORE_MEANING = ("score = Σ over similar hosts where the dopant raised conductivity of "
                 "(Adamic–Adar similarity of the hosts) × (site fit: 1 − radius mismatch / "
                 f"{MAX_RADIUS_MISMATCH:.0%}, halved for a charge change); a ranking of hypotheses, not a prediction")


@dataclass(frozen=True)
class Site:
    """An ion of a host: element, oxidation state and Shannon radius (Å)."""

    element: str
    charge: int
    radius: float | None

    @property
    def anion(self) -> bool:
        return self.charge < 0

    def __str__(self) -> str:
        sign = "+" if self.charge > 0 else "−"
        r = f" ({self.radius:.2f} Å)" if self.radius else ""
        return f"{self.element}{abs(self.charge)}{sign}{r}"


@lru_cache(maxsize=512)
def _radius(element: str, charge: int) -> float | None:
    """Shannon ionic radius (Å) at coordination VI, else the nearest tabulated coordination."""
    from pymatgen.core import Species

    try:
        sp = Species(element, charge)
    except ValueError:
        return None
    for cn in _CN:
        try:
            return float(sp.get_shannon_radius(cn))
        except (KeyError, ValueError):
            continue
    return None


@lru_cache(maxsize=256)
def host_sites(formula: str) -> tuple[Site, ...]:
    """The ions of a host formula with their most likely oxidation states (pymatgen's charge balance)."""
    from pymatgen.core import Composition, Element

    clean = re.sub(r"[^A-Za-z0-9.()\[\]]", "", formula.split(" ")[0])
    try:
        comp = Composition(clean)
        guesses = comp.oxi_state_guesses(max_sites=-50)
    except Exception:  # non-integer or unparsable formulas: fall back to common oxidation states
        guesses = ()
        try:
            comp = Composition(clean)
        except Exception:
            return ()
    states = dict(guesses[0]) if guesses else {}
    sites = []
    for el in sorted(comp.elements, key=lambda e: e.symbol):
        z = states.get(el.symbol)
        if z is None:
            common = Element(el.symbol).common_oxidation_states
            negative = [c for c in common if c < 0]
            positive = [c for c in common if c > 0]
            z = (negative[0] if el.symbol in _ANIONS and negative else (max(positive) if positive else (common[0] if common else 0)))
        z = int(round(z))
        if z:
            sites.append(Site(el.symbol, z, _radius(el.symbol, z)))
    return tuple(sites)


def _fit(dopant: str, site: Site) -> tuple[float, Site] | None:
    """How well ``dopant`` fits ``site``: (fit in 0–1, the dopant ion), or None if incompatible."""
    from pymatgen.core import Element

    try:
        states = Element(dopant).common_oxidation_states
    except ValueError:
        return None
    if (dopant in _ANIONS) != site.anion:  # cations on cation sites, anions on anion sites
        return None
    same_sign = [z for z in states if (z < 0) == site.anion and z != 0]
    if not same_sign:
        return None
    z = min(same_sign, key=lambda c: (abs(c - site.charge), -abs(c)))
    if abs(z - site.charge) > 1:
        return None
    r = _radius(dopant, z)
    if r is None or site.radius is None:
        return None
    mismatch = abs(r - site.radius) / site.radius
    if mismatch > MAX_RADIUS_MISMATCH:
        return None
    fit = (1 - mismatch / MAX_RADIUS_MISMATCH) * (1.0 if z == site.charge else 0.5)
    return fit, Site(dopant, z, r)


@dataclass
class Suggestion:
    """A hypothesis: try ``dopant`` on ``site`` of the host, because it raised conductivity in similar hosts."""

    dopant: str
    site: Site
    ion: Site
    score: float
    fit: float
    similar_hosts: list[tuple[str, float, list[str]]] = field(default_factory=list)  # (formula, similarity, shared)
    supporting: list[DopingOutcome] = field(default_factory=list)

    @property
    def mismatch(self) -> float:
        return abs(self.ion.radius - self.site.radius) / self.site.radius

    def explain(self) -> str:
        hosts = "; ".join(f"{h} (similarity {s:.2f}: shares {', '.join(shared)})" for h, s, shared in self.similar_hosts)
        dopings = "; ".join(
            f"{'/'.join(o.dopants)} in {o.host} → {o.product} ({o.direction}"
            + (f", {o.ratio_text} {o.tier}" if o.enhancement is not None else f", {o.tier}")
            + f", refs {';'.join(map(str, o.references)) or 'none'})" for o in self.supporting)
        charge = "same charge" if self.ion.charge == self.site.charge else "charge changes by one (aliovalent)"
        return (f"{self.ion} on the {self.site} site — radius mismatch {self.mismatch:.0%}, {charge}; score {self.score:.3f}\n"
                f"      similar hosts: {hosts}\n      dopings behind it: {dopings}")


_FEATURES = """
SELECT ?id ?formula ?el ?family ?flabel ?top ?tlabel WHERE {
  ?m a nakg:Material ; nakg:recordId ?id ; nakg:formula ?formula .
  OPTIONAL { ?m nakg:containsElement/nakg:symbol ?el }
  OPTIONAL { ?m nakg:belongsToFamily ?f . ?f nakg:recordKey ?family ; rdfs:label ?flabel .
             ?f (nakg:subFamilyOf)* ?t . ?t nakg:recordKey ?top ; rdfs:label ?tlabel FILTER NOT EXISTS { ?t nakg:subFamilyOf ?x } }
}"""

_LABELS: dict[str, str] = {}


def _features(kg: KnowledgeGraph) -> tuple[dict[str, set[str]], dict[str, str]]:
    feats: dict[str, set[str]] = defaultdict(set)
    formulas: dict[str, str] = {}
    for r in kg.query(_FEATURES):
        formulas[r["id"]] = r["formula"]
        if r["el"]:
            kind = "anion" if r["el"] in _ANIONS else "element"
            feats[r["id"]].add(f"{kind}:{r['el']}")
            _LABELS[f"{kind}:{r['el']}"] = f"{r['el']} anions" if kind == "anion" else r["el"]
        for key, label in ((r["family"], r["flabel"]), (r["top"], r["tlabel"])):
            if key:
                feats[r["id"]].add(f"family:{key}")
                _LABELS[f"family:{key}"] = f"the {label} family"
    return feats, formulas


def suggest(kg: KnowledgeGraph, material_id: str, top: int = 10) -> list[Suggestion]:
    """Chemically compatible dopants that raised conductivity in similar hosts, not yet reported for this one."""
    import networkx as nx

    outcomes = doping_outcomes(kg)
    feats, formulas = _features(kg)
    target = feats.get(material_id, set())
    my_anions = {f for f in target if f.startswith("anion:")}
    sites = host_sites(formulas.get(material_id, ""))
    tried = {d for o in outcomes if o.host_id == material_id for d in o.dopants}
    have = {s.element for s in sites} | {f.split(":", 1)[1] for f in target if ":" in f}

    # similarity graph: hosts linked to the features they have; hosts count as similar only when
    # they share the anion sublattice (an oxide is not compared with a sulfide)
    hosts = {o.host_id for o in outcomes} | {material_id}
    g = nx.Graph()
    for h in hosts:
        for f in feats.get(h, ()):
            g.add_edge(f"host:{h}", f)
    similar: dict[str, tuple[float, list[str]]] = {}
    if f"host:{material_id}" in g:
        others = [f"host:{h}" for h in hosts if h != material_id and f"host:{h}" in g]
        for _, v, s in nx.adamic_adar_index(g, [(f"host:{material_id}", o) for o in others]):
            h = v.split(":", 1)[1]
            shared = sorted(set(g[f"host:{material_id}"]) & set(g[v]))
            if s > 0 and my_anions and my_anions & set(shared):
                similar[h] = (s, [_LABELS.get(x, x.split(":", 1)[1]) for x in shared])

    best: dict[tuple[str, str], Suggestion] = {}
    for o in outcomes:
        if o.host_id not in similar or o.direction != "increased":
            continue
        sim, shared = similar[o.host_id]
        for d in o.dopants:
            if d in tried or d in have or not re.fullmatch(r"[A-Z][a-z]?", d):
                continue
            for site in sites:
                if site.element == "Na" and site.charge == 1 and d == "Na":
                    continue
                fitted = _fit(d, site)
                if fitted is None:
                    continue
                fit, ion = fitted
                s = best.setdefault((d, site.element), Suggestion(d, site, ion, 0.0, fit))
                if o.host_id not in {x[0] for x in s.similar_hosts} and formulas.get(o.host_id) not in {x[0] for x in s.similar_hosts}:
                    s.similar_hosts.append((formulas.get(o.host_id, o.host), sim, shared))
                    s.score += sim * fit
                if o not in s.supporting:
                    s.supporting.append(o)
    per_dopant: dict[str, Suggestion] = {}
    for s in best.values():  # one suggestion per dopant: its best-fitting site
        if s.dopant not in per_dopant or (s.score, s.fit) > (per_dopant[s.dopant].score, per_dopant[s.dopant].fit):
            per_dopant[s.dopant] = s
    return sorted(per_dopant.values(), key=lambda s: (-s.score, s.dopant))[:top]
