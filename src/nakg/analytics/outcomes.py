"""The outcome of each doping (and of each additive strategy with a stated before/after):
σ(product)/σ(host) at the same temperature, its log10, and ΔEa.

Comparisons, in order of preference:

1. ``stated`` — the curated record names the before and after measurements (the review
   compares them itself);
2. ``same temperature, same work`` — a host and a product conductivity at the same
   temperature (room temperature stated as r.t. counts as 25 °C) citing the same
   reference; bounds and orders of magnitude are never paired;
3. ``stated factor`` — the review states the gain as a factor ("three orders of magnitude
   higher than the undoped sample"), recorded as a conductivity-enhancement measurement;
4. ``normalised to 25 °C`` — both values brought to 25 °C with the Arrhenius relation
   (:mod:`nakg.analytics.arrhenius`) and flagged ``derived``;
5. ``same temperature, across works`` — host and product values from different works;
   flagged, and left out of rankings unless asked for.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .arrhenius import T_ROOM, rt_estimates

if TYPE_CHECKING:  # pragma: no cover
    from ..api import KnowledgeGraph

__all__ = ["Sigma", "DopingOutcome", "doping_outcomes", "conductivities", "SUPERIONIC_S_CM"]

SUPERIONIC_S_CM = 1e-3


@dataclass(frozen=True)
class Sigma:
    """One stated ionic conductivity of a material."""

    id: str
    material: str
    value: float  # S/cm
    qualifier: str
    t_K: float | None
    room: bool  # stated as r.t. or at 20–30 °C
    refs: frozenset[int]

    def same_temperature(self, other: "Sigma") -> bool:
        if self.room and other.room:
            return True
        return self.t_K is not None and other.t_K is not None and abs(self.t_K - other.t_K) < 0.5


@dataclass
class DopingOutcome:
    """What a doping (or additive) did to ionic conductivity, with the evidence behind it."""

    strategy_id: str
    kind: str  # doping | additive
    host_id: str
    host: str
    product_id: str
    product: str
    family: str
    dopants: list[str]
    sites: list[str]
    valence: str
    mechanisms: list[str]
    basis: str
    stated_outcome: str
    references: list[int]
    sigma_before: float | None = None
    sigma_after: float | None = None
    before_id: str | None = None
    after_id: str | None = None
    temperature_K: float | None = None
    comparison: str = ""
    derived: bool = False
    delta_ea: float | None = None
    product_rt_sigma: float | None = None
    product_rt_derived: bool = False
    inputs: list[str] = field(default_factory=list)

    stated_factor: float | None = None

    @property
    def enhancement(self) -> float | None:
        """σ(after)/σ(before), or the factor the review states."""
        if self.sigma_before and self.sigma_after:
            return self.sigma_after / self.sigma_before
        return self.stated_factor

    @property
    def log_enhancement(self) -> float | None:
        e = self.enhancement
        return math.log10(e) if e else None

    @property
    def superionic(self) -> bool:
        return self.product_rt_sigma is not None and self.product_rt_sigma >= SUPERIONIC_S_CM


_SIGMAS = """
SELECT ?id ?mat ?v ?q ?t ?rt (GROUP_CONCAT(STR(?n); SEPARATOR=";") AS ?refs) WHERE {
  ?s a nakg:IonicConductivity ; nakg:isMeasurementOf ?m ; nakg:canonicalValue ?v ; nakg:recordId ?id ;
     nakg:qualifier/nakg:recordKey ?q ; nakg:isDerived false .
  ?m nakg:recordId ?mat .
  FILTER NOT EXISTS { ?s nakg:contribution ?c FILTER(?c != nakg:Total) }
  OPTIONAL { ?s nakg:temperatureK ?t } OPTIONAL { ?s nakg:atRoomTemperature ?rt }
  OPTIONAL { ?s nakg:citesReference/nakg:referenceNumber ?n }
} GROUP BY ?id ?mat ?v ?q ?t ?rt"""

_FACTORS = """
SELECT ?id ?mat ?v WHERE {
  ?f a nakg:ConductivityEnhancement ; nakg:isMeasurementOf/nakg:recordId ?mat ; nakg:canonicalValue ?v ; nakg:recordId ?id .
}"""

_EAS = """
SELECT ?id ?mat ?v WHERE {
  ?e a nakg:ActivationEnergy ; nakg:isMeasurementOf/nakg:recordId ?mat ; nakg:canonicalValue ?v ;
     nakg:qualifier nakg:Exact ; nakg:recordId ?id .
}"""

_DOPINGS = """
SELECT ?id ?host ?hostf ?prod ?prodf ?family ?valence ?basis ?outcome ?before ?after
       (GROUP_CONCAT(DISTINCT ?dop; SEPARATOR="|") AS ?dopants) (GROUP_CONCAT(DISTINCT ?site; SEPARATOR="|") AS ?sites)
       (GROUP_CONCAT(DISTINCT ?mech; SEPARATOR="|") AS ?mechs) (GROUP_CONCAT(DISTINCT STR(?n); SEPARATOR="|") AS ?refs) WHERE {
  ?d a nakg:Doping ; nakg:recordId ?id ; nakg:hasHost ?h ; nakg:hasProduct ?p ; nakg:valenceType/nakg:recordKey ?valence ;
     nakg:basis/nakg:recordKey ?basis .
  ?h nakg:recordId ?host ; nakg:formula ?hostf . ?p nakg:recordId ?prod ; nakg:formula ?prodf .
  OPTIONAL { ?p nakg:belongsToFamily/nakg:recordKey ?pf } OPTIONAL { ?h nakg:belongsToFamily/nakg:recordKey ?hf }
  BIND(COALESCE(?pf, ?hf, "") AS ?family)
  OPTIONAL { ?d nakg:outcome/nakg:recordKey ?outcome }
  OPTIONAL { ?d nakg:hasSubstitution ?s . ?s nakg:dopant ?sp . OPTIONAL { ?sp nakg:element/nakg:symbol ?el }
             ?sp nakg:speciesAsWritten ?spw . BIND(COALESCE(?el, ?spw) AS ?dop) OPTIONAL { ?s nakg:replacedSite ?site } }
  OPTIONAL { ?d nakg:hasMechanism/nakg:recordKey ?mech }
  OPTIONAL { ?d nakg:comparesBefore/nakg:recordId ?before } OPTIONAL { ?d nakg:comparesAfter/nakg:recordId ?after }
  OPTIONAL { ?d nakg:citesReference/nakg:referenceNumber ?n }
} GROUP BY ?id ?host ?hostf ?prod ?prodf ?family ?valence ?basis ?outcome ?before ?after"""

_ADDITIVES = """
SELECT ?id ?prod ?prodf ?family ?before ?after ?host ?hostf
       (GROUP_CONCAT(DISTINCT ?add; SEPARATOR="|") AS ?adds) (GROUP_CONCAT(DISTINCT ?eff; SEPARATOR="|") AS ?effects)
       (GROUP_CONCAT(DISTINCT STR(?n); SEPARATOR="|") AS ?refs) WHERE {
  ?s a nakg:Synthesis ; nakg:recordId ?id ; nakg:comparesBefore ?b ; nakg:comparesAfter ?a ; nakg:producesMaterial ?p .
  ?b nakg:recordId ?before ; nakg:isMeasurementOf ?hm . ?hm nakg:recordId ?host ; nakg:formula ?hostf .
  ?a nakg:recordId ?after . ?p nakg:recordId ?prod ; nakg:formula ?prodf .
  OPTIONAL { ?p nakg:belongsToFamily/nakg:recordKey ?family }
  OPTIONAL { ?s nakg:usesAdditive/nakg:formula ?add } OPTIONAL { ?s nakg:hasEffect/nakg:recordKey ?eff }
  OPTIONAL { ?s nakg:citesReference/nakg:referenceNumber ?n }
} GROUP BY ?id ?prod ?prodf ?family ?before ?after ?host ?hostf"""


def _split(text: str | None, sep: str = "|") -> list[str]:
    return sorted({x for x in (text or "").split(sep) if x})


def conductivities(kg: KnowledgeGraph) -> dict[str, list[Sigma]]:
    """Stated total ionic conductivities per material id."""
    out: dict[str, list[Sigma]] = defaultdict(list)
    for r in kg.query(_SIGMAS):
        t = r["t"]
        room = bool(r["rt"]) or (t is not None and 293.15 <= t <= 303.15)
        out[r["mat"]].append(Sigma(r["id"], r["mat"], r["v"], r["q"], t, room,
                                   frozenset(int(n) for n in (r["refs"] or "").split(";") if n)))
    return out


def _pairable(s: Sigma) -> bool:
    return s.qualifier in ("exact", "approx")


def _rt_value(sigmas: list[Sigma], estimates: dict[str, list]) -> tuple[float | None, bool, str | None]:
    measured = [s for s in sigmas if s.room and _pairable(s)]
    if measured:
        best = max(measured, key=lambda s: s.value)
        return best.value, False, best.id
    est = estimates.get(sigmas[0].material if sigmas else "", [])
    if est:
        best = max(est, key=lambda e: e.sigma_S_cm)
        return best.sigma_S_cm, True, best.from_sigma
    return None, False, None


def doping_outcomes(kg: KnowledgeGraph) -> list[DopingOutcome]:
    """One outcome per doping and per additive strategy with a stated comparison."""
    sigma = conductivities(kg)
    by_id = {s.id: s for ss in sigma.values() for s in ss}
    eas: dict[str, list[tuple[str, float]]] = defaultdict(list)
    ea_by_id = {}
    for r in kg.query(_EAS):
        eas[r["mat"]].append((r["id"], r["v"]))
        ea_by_id[r["id"]] = r["v"]
    estimates: dict[str, list] = defaultdict(list)
    for e in rt_estimates(kg):
        estimates[e.material_id].append(e)
    factors = {r["mat"]: (r["id"], r["v"]) for r in kg.query(_FACTORS)}

    outcomes: list[DopingOutcome] = []
    for r in kg.query(_DOPINGS):
        outcomes.append(DopingOutcome(
            strategy_id=r["id"], kind="doping", host_id=r["host"], host=r["hostf"], product_id=r["prod"], product=r["prodf"],
            family=r["family"], dopants=_split(r["dopants"]), sites=_split(r["sites"]), valence=r["valence"],
            mechanisms=_split(r["mechs"]), basis=r["basis"], stated_outcome=r["outcome"] or "not_stated",
            references=sorted(int(n) for n in _split(r["refs"])), before_id=r["before"], after_id=r["after"]))
    for r in kg.query(_ADDITIVES):
        outcomes.append(DopingOutcome(
            strategy_id=r["id"], kind="additive", host_id=r["host"], host=r["hostf"], product_id=r["prod"], product=r["prodf"],
            family=r["family"] or "", dopants=_split(r["adds"]), sites=[], valence="", mechanisms=_split(r["effects"]),
            basis="experimental", stated_outcome="", references=sorted(int(n) for n in _split(r["refs"])),
            before_id=r["before"], after_id=r["after"]))

    for o in outcomes:
        _compare(o, sigma, by_id, estimates, factors.get(o.product_id))
        host_ea = dict(eas.get(o.host_id, []))
        prod_ea = dict(eas.get(o.product_id, []))
        if o.before_id in ea_by_id and o.after_id in ea_by_id:
            o.delta_ea = ea_by_id[o.after_id] - ea_by_id[o.before_id]
        elif len(host_ea) == 1 and len(prod_ea) == 1:
            o.delta_ea = next(iter(prod_ea.values())) - next(iter(host_ea.values()))
        o.product_rt_sigma, o.product_rt_derived, _ = _rt_value(sigma.get(o.product_id, []), estimates)
    return sorted(outcomes, key=lambda o: (o.family, o.host_id, o.strategy_id))


def _compare(o: DopingOutcome, sigma, by_id, estimates, factor) -> None:
    before, after = by_id.get(o.before_id or ""), by_id.get(o.after_id or "")
    if before and after:
        o.sigma_before, o.sigma_after, o.comparison = before.value, after.value, "stated"
        o.temperature_K = after.t_K if after.t_K is not None else (T_ROOM if after.room else None)
        o.inputs = [before.id, after.id]
        return
    if factor is not None:  # the review states the gain itself ("three orders of magnitude higher")
        fid, value = factor
        o.comparison, o.inputs = "stated factor", [fid]
        o.stated_factor = value
        if after is not None:
            o.sigma_after = after.value
            o.temperature_K = after.t_K if after.t_K is not None else (T_ROOM if after.room else None)
        return
    products = [after] if after else [s for s in sigma.get(o.product_id, []) if _pairable(s)]
    hosts = [s for s in sigma.get(o.host_id, []) if _pairable(s)]
    pairs = [(h, p) for p in products for h in hosts if h.same_temperature(p) and _pairable(p)]
    same_work = [(h, p) for h, p in pairs if h.refs & p.refs]
    if same_work:
        h, p = same_work[0]
        o.sigma_before, o.sigma_after, o.comparison = h.value, p.value, "same temperature, same work"
        o.temperature_K = T_ROOM if (h.room and p.room) else p.t_K
        o.inputs = [h.id, p.id]
        return
    h_rt, h_der, h_src = _rt_value(sigma.get(o.host_id, []), estimates)
    p_rt, p_der, p_src = _rt_value(sigma.get(o.product_id, []), estimates)
    if h_rt and p_rt and (h_der or p_der):
        o.sigma_before, o.sigma_after = h_rt, p_rt
        o.comparison, o.derived, o.temperature_K = "normalised to 25 °C (Arrhenius)", True, T_ROOM
        o.inputs = [x for x in (h_src, p_src) if x]
        return
    if pairs:
        h, p = min(pairs, key=lambda hp: abs(hp[0].value - hp[1].value))
        o.sigma_before, o.sigma_after, o.comparison = h.value, p.value, "same temperature, across works"
        o.temperature_K = T_ROOM if (h.room and p.room) else p.t_K
        o.inputs = [h.id, p.id]
