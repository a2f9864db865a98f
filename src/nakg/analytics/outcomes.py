"""The outcome of every doping (and of every additive with a stated before/after) on ionic
conductivity, with the evidence tier it rests on.

Every doping of the graph gets exactly one :class:`DopingOutcome`; none is dropped. The
comparison is the most trustworthy one the records allow, in this order (:data:`TIERS`):

1. ``stated_values`` — the record names the before and after conductivities (the review
   compares them itself);
2. ``stated_factor`` — the review states the gain as a factor ("three orders of magnitude"),
   recorded as a conductivity-enhancement measurement of the product;
3. ``same_work`` — a host and a product conductivity at the same temperature citing the
   same reference;
4. ``arrhenius`` — both brought to 25 °C with the σT-Arrhenius relation and a stated
   activation energy (:mod:`nakg.analytics.arrhenius`); derived, the Ea used is listed;
5. ``across_works`` — host and product at the same temperature from different works;
6. ``temperature_assumed`` — a conductivity without a stated temperature compared with the
   other side at room temperature: an assumption, said so in ``assumption``;
7. ``different_temperatures`` — both temperatures stated but different, and no activation
   energy to normalise them: a bound where the values allow one (σ rises with temperature),
   otherwise the ratio of the values as stated, marked not comparable;
8. ``direction_only`` — the review says the conductivity increased, decreased or did not
   change, with no number on one side;
9. ``none`` — nothing stated; ``reason`` says what is missing.

Every ratio is computed by nakg from stated values and is therefore marked ``derived``
(``ratio_derived``); only a stated factor is not. ΔEa is always derived. Room
temperature follows :mod:`nakg.rules` (r.t. or 20–30 °C, placed at 25 °C when a number is
needed). Upper-bound conductivities are never paired; a lower bound makes the ratio a bound.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..rules import ROOM_TEMPERATURE_K, is_room_temperature
from .arrhenius import rt_estimates

if TYPE_CHECKING:  # pragma: no cover
    from ..core import GraphCore as KnowledgeGraph

__all__ = ["Tier", "TIERS", "TIER_KEYS", "TRUSTED_TIERS", "MAGNITUDE_TIERS", "Sigma", "DopingOutcome",
           "doping_outcomes", "conductivities", "outcome_rows", "SUPERIONIC_S_CM"]

SUPERIONIC_S_CM = 1e-3


@dataclass(frozen=True)
class Tier:
    """One kind of evidence for a doping outcome."""

    key: str
    label: str
    trusted: bool  # used by rankings by default
    magnitude: bool  # carries a number (a ratio or a stated factor)


TIERS: tuple[Tier, ...] = (
    Tier("stated_values", "stated before/after values", True, True),
    Tier("stated_factor", "stated factor", True, True),
    Tier("same_work", "host and product from the same work at the same temperature", True, True),
    Tier("arrhenius", "Arrhenius-normalised to 25 °C (derived)", True, True),
    Tier("across_works", "host and product from different works at the same temperature", False, True),
    Tier("temperature_assumed", "a temperature not stated: compared at room temperature (assumption)", False, True),
    Tier("different_temperatures", "host and product at different temperatures, no activation energy to normalise", False, True),
    Tier("direction_only", "direction stated, no numbers", False, False),
    Tier("none", "nothing stated", False, False),
)
TIER_KEYS = tuple(t.key for t in TIERS)
TRUSTED_TIERS = tuple(t.key for t in TIERS if t.trusted)
MAGNITUDE_TIERS = tuple(t.key for t in TIERS if t.magnitude)
_TIER = {t.key: t for t in TIERS}


@dataclass(frozen=True)
class Sigma:
    """One stated total ionic conductivity of a material."""

    id: str
    material: str
    value: float  # S/cm (the representative value of a range)
    qualifier: str  # exact, approx, lower_bound, upper_bound, order_of_magnitude, range
    t_K: float | None
    room: bool  # r.t. or 20–30 °C (nakg.rules)
    refs: frozenset[int]
    t_min_K: float | None = None
    t_max_K: float | None = None

    @property
    def stated_temperature(self) -> bool:
        return self.room or self.t_K is not None or self.t_min_K is not None

    @property
    def kelvin(self) -> float | None:
        """The temperature as one number (25 °C for r.t.), None if not stated or a range."""
        if self.t_K is not None:
            return self.t_K
        return ROOM_TEMPERATURE_K if self.room else None

    def same_temperature(self, other: "Sigma") -> bool:
        if self.room and other.room:
            return True
        return self.t_K is not None and other.t_K is not None and abs(self.t_K - other.t_K) < 0.5

    @property
    def temperature_text(self) -> str:
        if self.t_K is not None:
            return f"{self.t_K:g} K"
        if self.room:
            return "r.t."
        if self.t_min_K is not None:
            return f"{self.t_min_K:g}–{self.t_max_K:g} K"
        return "not stated"


@dataclass
class DopingOutcome:
    """What a doping (or additive) did to ionic conductivity, with the evidence behind it."""

    strategy_id: str
    kind: str  # doping | additive
    host_id: str
    host: str
    product_id: str
    product: str
    family: str  # the product's (else the host's) family key
    dopants: list[str]
    sites: list[str]
    valence: str
    mechanisms: list[str]
    basis: str
    stated_outcome: str  # increased | decreased | unchanged | not_stated
    references: list[int]
    before_id: str | None = None  # the comparison the record names
    substitutions: list[tuple[str, str]] = field(default_factory=list)  # (dopant, replaced site or "")
    after_id: str | None = None
    top_family: str = ""
    family_label: str = ""
    tier: str = "none"
    sigma_before: float | None = None
    sigma_after: float | None = None
    before_K: float | None = None
    after_K: float | None = None
    before_temperature: str = ""
    after_temperature: str = ""
    before_refs: list[int] = field(default_factory=list)
    after_refs: list[int] = field(default_factory=list)
    temperature_K: float | None = None  # where the comparison is made
    inputs: list[str] = field(default_factory=list)  # record ids of the values used
    stated_factor: float | None = None
    ratio_qualifier: str = ""  # exact | approx | order of magnitude | at least | at most | not comparable
    activation_energies: list[tuple[str, float]] = field(default_factory=list)  # (record id, eV) used to normalise
    assumption: str = ""
    reason: str = ""  # why there is no (better) number
    delta_ea: float | None = None
    delta_ea_inputs: list[str] = field(default_factory=list)
    product_rt_sigma: float | None = None
    product_rt_derived: bool = False

    # --- what the evidence says ------------------------------------------------------
    @property
    def enhancement(self) -> float | None:
        """σ(after)/σ(before) as computed by nakg, or the factor the review states."""
        if self.stated_factor is not None:
            return self.stated_factor
        if self.sigma_before and self.sigma_after:
            return self.sigma_after / self.sigma_before
        return None

    ratio = enhancement

    @property
    def log_enhancement(self) -> float | None:
        e = self.enhancement
        return math.log10(e) if e else None

    @property
    def ratio_derived(self) -> bool:
        """A ratio nakg computed (every ratio except a factor the review states)."""
        return self.enhancement is not None and self.stated_factor is None

    @property
    def derived(self) -> bool:
        """The comparison rests on a value nakg derived (an Arrhenius estimate)."""
        return self.tier == "arrhenius"

    @property
    def comparison(self) -> str:
        return _TIER[self.tier].label if self.tier in _TIER else self.tier

    @property
    def has_point_magnitude(self) -> bool:
        """A number for the gain, not only a bound or an incomparable ratio."""
        return self.enhancement is not None and self.ratio_qualifier in ("exact", "approx", "order of magnitude")

    @property
    def direction(self) -> str:
        """increased | decreased | unchanged | undetermined: stated, else from the magnitude."""
        if self.stated_outcome in ("increased", "decreased", "unchanged"):
            return self.stated_outcome
        return self._magnitude_direction() or "undetermined"

    @property
    def direction_source(self) -> str:
        if self.stated_outcome in ("increased", "decreased", "unchanged"):
            return "stated"
        return "derived from the ratio" if self._magnitude_direction() else ""

    def _magnitude_direction(self) -> str | None:
        r, q = self.enhancement, self.ratio_qualifier
        if r is None or q == "not comparable":
            return None
        if q == "at least":
            return "increased" if r > 1 else None
        if q == "at most":
            return "decreased" if r < 1 else None
        if q == "order of magnitude" and 0.3 < r < 3:
            return None
        return "increased" if r > 1 else ("decreased" if r < 1 else "unchanged")

    @property
    def ratio_text(self) -> str:
        """The magnitude as a reader should take it: ``×44.2``, ``≤ ×11.6``, ``~×1e+03``, or empty."""
        r = self.enhancement
        if r is None:
            return ""
        q = self.ratio_qualifier
        prefix = {"at least": "≥ ", "at most": "≤ ", "order of magnitude": "~"}.get(q, "")
        return f"{prefix}×{r:.3g}" + (" (temperatures differ)" if q == "not comparable" else "")

    @property
    def superionic(self) -> bool:
        return self.product_rt_sigma is not None and self.product_rt_sigma >= SUPERIONIC_S_CM


_SIGMAS = """
SELECT ?id ?mat ?v ?q ?t ?tmin ?tmax ?rt (GROUP_CONCAT(STR(?n); SEPARATOR=";") AS ?refs) WHERE {
  ?s a nakg:IonicConductivity ; nakg:isMeasurementOf ?m ; nakg:canonicalValue ?v ; nakg:recordId ?id ;
     nakg:qualifier/nakg:recordKey ?q ; nakg:isDerived false .
  ?m nakg:recordId ?mat .
  FILTER NOT EXISTS { ?s nakg:contribution ?c FILTER(?c != nakg:Total) }
  OPTIONAL { ?s nakg:temperatureK ?t } OPTIONAL { ?s nakg:atRoomTemperature ?rt }
  OPTIONAL { ?s nakg:temperatureMinK ?tmin ; nakg:temperatureMaxK ?tmax }
  OPTIONAL { ?s nakg:citesReference/nakg:referenceNumber ?n }
} GROUP BY ?id ?mat ?v ?q ?t ?tmin ?tmax ?rt"""

_FACTORS = """
SELECT ?id ?mat ?v ?q WHERE {
  ?f a nakg:ConductivityEnhancement ; nakg:isMeasurementOf/nakg:recordId ?mat ; nakg:canonicalValue ?v ; nakg:recordId ?id ;
     nakg:qualifier/nakg:recordKey ?q .
}"""

_EAS = """
SELECT ?id ?mat ?v WHERE {
  ?e a nakg:ActivationEnergy ; nakg:isMeasurementOf/nakg:recordId ?mat ; nakg:canonicalValue ?v ;
     nakg:qualifier nakg:Exact ; nakg:recordId ?id .
  FILTER NOT EXISTS { ?e nakg:contribution ?c FILTER(?c != nakg:Total) }
}"""

_FAMILIES = """
SELECT ?key ?label ?top WHERE {
  ?f a nakg:ElectrolyteFamily ; nakg:recordKey ?key ; rdfs:label ?label ; (nakg:subFamilyOf)* ?t .
  ?t nakg:recordKey ?top . FILTER NOT EXISTS { ?t nakg:subFamilyOf ?above }
}"""

_DOPINGS = """
SELECT ?id ?host ?hostf ?prod ?prodf ?family ?valence ?basis ?outcome ?before ?after
       (GROUP_CONCAT(DISTINCT ?dop; SEPARATOR="|") AS ?dopants) (GROUP_CONCAT(DISTINCT ?site; SEPARATOR="|") AS ?sites)
       (GROUP_CONCAT(DISTINCT ?mech; SEPARATOR="|") AS ?mechs) (GROUP_CONCAT(DISTINCT STR(?n); SEPARATOR="|") AS ?refs)
       (GROUP_CONCAT(DISTINCT ?pair; SEPARATOR="|") AS ?pairs) WHERE {
  ?d a nakg:Doping ; nakg:recordId ?id ; nakg:hasHost ?h ; nakg:hasProduct ?p ; nakg:valenceType/nakg:recordKey ?valence ;
     nakg:basis/nakg:recordKey ?basis .
  ?h nakg:recordId ?host ; nakg:formula ?hostf . ?p nakg:recordId ?prod ; nakg:formula ?prodf .
  OPTIONAL { ?p nakg:belongsToFamily/nakg:recordKey ?pf } OPTIONAL { ?h nakg:belongsToFamily/nakg:recordKey ?hf }
  BIND(COALESCE(?pf, ?hf, "") AS ?family)
  OPTIONAL { ?d nakg:outcome/nakg:recordKey ?outcome }
  OPTIONAL { ?d nakg:hasSubstitution ?s . ?s nakg:dopant ?sp . OPTIONAL { ?sp nakg:element/nakg:symbol ?el }
             ?sp nakg:speciesAsWritten ?spw . BIND(COALESCE(?el, ?spw) AS ?dop) OPTIONAL { ?s nakg:replacedSite ?site }
             BIND(CONCAT(?dop, "@", COALESCE(?site, "")) AS ?pair) }
  OPTIONAL { ?d nakg:hasMechanism/nakg:recordKey ?mech }
  OPTIONAL { ?d nakg:comparesBefore/nakg:recordId ?before } OPTIONAL { ?d nakg:comparesAfter/nakg:recordId ?after }
  OPTIONAL { ?d nakg:citesReference/nakg:referenceNumber ?n }
} GROUP BY ?id ?host ?hostf ?prod ?prodf ?family ?valence ?basis ?outcome ?before ?after"""

# An additive (a sintering aid) is recorded as a synthesis of the product from the host (its precursor, from which
# the product is derived, or the material of the stated "before" value) with the additive: an outcome row like a doping.
_ADDITIVES = """
SELECT ?id ?prod ?prodf ?family ?before ?after ?host ?hostf
       (GROUP_CONCAT(DISTINCT ?add; SEPARATOR="|") AS ?adds) (GROUP_CONCAT(DISTINCT ?eff; SEPARATOR="|") AS ?effects)
       (GROUP_CONCAT(DISTINCT STR(?n); SEPARATOR="|") AS ?refs) WHERE {
  ?s a nakg:Synthesis ; nakg:recordId ?id ; nakg:usesAdditive ?ad ; nakg:producesMaterial ?p .
  { ?s nakg:comparesBefore/nakg:isMeasurementOf ?hm } UNION { ?s nakg:usesPrecursor ?hm . ?p nakg:derivedFrom ?hm }
  ?hm nakg:recordId ?host ; nakg:formula ?hostf . ?p nakg:recordId ?prod ; nakg:formula ?prodf .
  FILTER(?hm != ?p)
  OPTIONAL { ?s nakg:comparesBefore/nakg:recordId ?before } OPTIONAL { ?s nakg:comparesAfter/nakg:recordId ?after }
  OPTIONAL { ?p nakg:belongsToFamily/nakg:recordKey ?pf } OPTIONAL { ?hm nakg:belongsToFamily/nakg:recordKey ?hf }
  BIND(COALESCE(?pf, ?hf, "") AS ?family)
  OPTIONAL { ?s nakg:usesAdditive/nakg:formula ?add } OPTIONAL { ?s nakg:hasEffect/nakg:recordKey ?eff }
  OPTIONAL { ?s nakg:citesReference/nakg:referenceNumber ?n }
} GROUP BY ?id ?prod ?prodf ?family ?before ?after ?host ?hostf"""


def _split(text: str | None, sep: str = "|") -> list[str]:
    return sorted({x for x in (text or "").split(sep) if x})


def conductivities(kg: KnowledgeGraph) -> dict[str, list[Sigma]]:
    """Stated total ionic conductivities per material id (derived values left out)."""
    out: dict[str, list[Sigma]] = defaultdict(list)
    for r in kg.query(_SIGMAS):
        t = r["t"]
        room = is_room_temperature(flagged=bool(r["rt"]), kelvin=t, min_kelvin=r["tmin"], max_kelvin=r["tmax"])
        out[r["mat"]].append(Sigma(r["id"], r["mat"], r["v"], r["q"], t, room,
                                   frozenset(int(n) for n in (r["refs"] or "").split(";") if n), r["tmin"], r["tmax"]))
    for sigmas in out.values():
        sigmas.sort(key=lambda s: s.id)
    return out


# --- pairing ---------------------------------------------------------------------------
_POINT = ("exact", "approx", "range", "order_of_magnitude")


def _ratio_qualifier(host: Sigma, product: Sigma) -> str | None:
    """What σ(product)/σ(host) is, given the two qualifiers; None if the pair says nothing."""
    if "upper_bound" in (host.qualifier, product.qualifier):
        return None  # an upper bound is no evidence of a value (nakg.rules)
    lower_h, lower_p = host.qualifier == "lower_bound", product.qualifier == "lower_bound"
    if lower_h and lower_p:
        return None
    if lower_p:
        return "at least"
    if lower_h:
        return "at most"
    if "order_of_magnitude" in (host.qualifier, product.qualifier):
        return "order of magnitude"
    if "approx" in (host.qualifier, product.qualifier) or "range" in (host.qualifier, product.qualifier):
        return "approx"
    return "exact"


def _rank_pair(h: Sigma, p: Sigma) -> tuple:
    """Prefer point values over bounds, room temperature, then the record order."""
    q = _ratio_qualifier(h, p)
    return (q not in ("exact", "approx", "order of magnitude"), not (h.room and p.room), h.id, p.id)


def _use(o: DopingOutcome, tier: str, h: Sigma, p: Sigma, qualifier: str, temperature: float | None) -> None:
    o.tier, o.ratio_qualifier, o.temperature_K = tier, qualifier, temperature
    o.sigma_before, o.sigma_after = h.value, p.value
    o.before_K, o.after_K = h.kelvin, p.kelvin
    o.before_temperature, o.after_temperature = h.temperature_text, p.temperature_text
    o.before_refs, o.after_refs = sorted(h.refs), sorted(p.refs)
    o.inputs = [h.id, p.id]


def _compare(o: DopingOutcome, sigma: dict[str, list[Sigma]], by_id: dict[str, Sigma],
             estimates: dict[str, list], factor: tuple[str, float, str] | None, eas: dict[str, list]) -> None:
    """Set the best comparison the records allow (see the module docstring for the order)."""
    before, after = by_id.get(o.before_id or ""), by_id.get(o.after_id or "")
    hosts = [s for s in sigma.get(o.host_id, []) if s.qualifier != "upper_bound"]
    products = [after] if after else [s for s in sigma.get(o.product_id, []) if s.qualifier != "upper_bound"]

    # 1. the record names both values
    if before and after and _ratio_qualifier(before, after):
        t = after.kelvin if before.same_temperature(after) else None
        _use(o, "stated_values", before, after, _ratio_qualifier(before, after), t)
        if not before.stated_temperature and not after.stated_temperature:
            o.assumption = "the review compares the two values itself; neither temperature is stated"
        return
    # 2. the review states the factor
    if factor is not None:
        fid, value, q = factor
        o.tier, o.stated_factor, o.inputs = "stated_factor", value, [fid]
        o.ratio_qualifier = "order of magnitude" if q == "order_of_magnitude" else ("approx" if q == "approx" else "exact")
        if after is not None:
            o.sigma_after, o.after_K, o.after_temperature = after.value, after.kelvin, after.temperature_text
            o.after_refs, o.temperature_K = sorted(after.refs), after.kelvin
            o.inputs.append(after.id)
        o.reason = "" if hosts else "the host's own conductivity is not stated; the review states the factor"
        return
    if not products or not hosts:
        _no_numbers(o, hosts, products)
        return
    pairs = [(h, p) for p in products for h in hosts if _ratio_qualifier(h, p)]
    same_t = sorted(((h, p) for h, p in pairs if h.same_temperature(p)), key=lambda hp: _rank_pair(*hp))
    # 3. same work, same temperature
    same_work = [(h, p) for h, p in same_t if h.refs & p.refs]
    if same_work:
        h, p = same_work[0]
        _use(o, "same_work", h, p, _ratio_qualifier(h, p), p.kelvin)
        return
    # 4. Arrhenius-normalised to 25 °C (one side measured at r.t., the other estimated; or both estimated)
    arr = _arrhenius(o, sigma, estimates, eas)
    if arr:
        return
    # 5. same temperature, different works
    if same_t:
        h, p = same_t[0]
        _use(o, "across_works", h, p, _ratio_qualifier(h, p), p.kelvin)
        return
    # 6. a temperature not stated: compare with the other side at room temperature
    unstated = [(h, p) for h, p in pairs if not p.stated_temperature and (h.room or not h.stated_temperature)]
    unstated += [(h, p) for h, p in pairs if not h.stated_temperature and p.room]
    if unstated:
        h, p = sorted(unstated, key=lambda hp: (not (hp[0].room or hp[1].room),) + _rank_pair(*hp))[0]
        _use(o, "temperature_assumed", h, p, _ratio_qualifier(h, p), ROOM_TEMPERATURE_K if (h.room or p.room) else None)
        if h.room:
            o.assumption = "the product's conductivity has no stated temperature; assumed room temperature like the host's"
        elif p.room:
            o.assumption = "the host's conductivity has no stated temperature; assumed room temperature like the product's"
        else:
            o.assumption = "neither conductivity has a stated temperature; assumed the same temperature"
        return
    # 7. different stated temperatures, nothing to normalise with
    h, p = sorted(pairs, key=lambda hp: _rank_pair(*hp))[0] if pairs else (hosts[0], products[0])
    th = h.t_max_K if h.t_max_K is not None else h.kelvin
    th_low = h.t_min_K if h.t_min_K is not None else h.kelvin
    tp = p.kelvin
    qualifier = "not comparable"
    if tp is not None and th_low is not None and p.value >= h.value and tp < th_low:
        qualifier = "at least"  # the product is better at a lower temperature
        o.assumption = "conductivity rises with temperature, so the host is below its stated value at the product's temperature"
    elif tp is not None and th is not None and p.value <= h.value and tp > th:
        qualifier = "at most"
        o.assumption = "conductivity rises with temperature, so the host is above its stated value at the product's temperature"
    else:
        o.reason = "host and product are stated at different temperatures and neither has an activation energy"
    _use(o, "different_temperatures", h, p, qualifier, None)


def _arrhenius(o: DopingOutcome, sigma, estimates, eas) -> bool:
    def at_rt(mid: str):
        measured = [s for s in sigma.get(mid, []) if s.room and s.qualifier in ("exact", "approx")]
        if measured:
            best = max(measured, key=lambda s: s.value)
            return best.value, None, best
        est = estimates.get(mid, [])
        if est:
            best = max(est, key=lambda e: e.sigma_S_cm)
            return best.sigma_S_cm, best, None
        return None

    h, p = at_rt(o.host_id), at_rt(o.product_id)
    if not h or not p or (h[1] is None and p[1] is None):
        return False
    o.tier, o.ratio_qualifier, o.temperature_K = "arrhenius", "approx", ROOM_TEMPERATURE_K
    o.sigma_before, o.sigma_after = h[0], p[0]
    o.before_K = o.after_K = ROOM_TEMPERATURE_K
    inputs = []
    for side, (value, est, measured) in (("before", h), ("after", p)):
        if est is not None:
            text = f"{est.sigma_in:g} S/cm at {est.t_in_K:g} K → 25 °C with Ea {est.ea_eV:g} eV (derived)"
            inputs += [est.from_sigma, est.from_ea]
            o.activation_energies.append((est.from_ea, est.ea_eV))
        else:
            text = measured.temperature_text
            inputs.append(measured.id)
        setattr(o, f"{side}_temperature", text)
    o.inputs = inputs
    return True


def _no_numbers(o: DopingOutcome, hosts: list[Sigma], products: list[Sigma]) -> None:
    missing = []
    if not hosts:
        missing.append(f"the host {o.host} has no stated conductivity")
    if not products:
        missing.append(f"the product {o.product} has no stated conductivity")
    if o.stated_outcome in ("increased", "decreased", "unchanged"):
        o.tier = "direction_only"
    else:
        o.tier = "none"
        missing.append("the review states no direction")
    o.reason = "; ".join(missing)
    side = products[0] if products else None
    if side is not None:
        o.sigma_after, o.after_K, o.after_temperature = side.value, side.kelvin, side.temperature_text
        o.after_refs, o.inputs = sorted(side.refs), [side.id]
    elif hosts:
        o.sigma_before, o.before_K, o.before_temperature = hosts[0].value, hosts[0].kelvin, hosts[0].temperature_text
        o.before_refs, o.inputs = sorted(hosts[0].refs), [hosts[0].id]


def doping_outcomes(kg: KnowledgeGraph) -> list[DopingOutcome]:
    """One outcome per doping of the graph and per additive with a stated before/after, none dropped.

    >>> import nakg
    >>> rows = doping_outcomes(nakg.load())
    >>> {o.tier for o in rows} <= set(TIER_KEYS)
    True
    """
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
    factors = {r["mat"]: (r["id"], r["v"], r["q"]) for r in kg.query(_FACTORS)}
    families = {r["key"]: (r["label"], r["top"]) for r in kg.query(_FAMILIES)}

    outcomes: list[DopingOutcome] = []
    for r in kg.query(_DOPINGS):
        outcomes.append(DopingOutcome(
            strategy_id=r["id"], kind="doping", host_id=r["host"], host=r["hostf"], product_id=r["prod"], product=r["prodf"],
            family=r["family"], dopants=_split(r["dopants"]), sites=_split(r["sites"]), valence=r["valence"],
            mechanisms=_split(r["mechs"]), basis=r["basis"], stated_outcome=r["outcome"] or "not_stated",
            references=sorted(int(n) for n in _split(r["refs"])), before_id=r["before"], after_id=r["after"],
            substitutions=[tuple(p.split("@", 1)) for p in _split(r["pairs"])]))
    for r in kg.query(_ADDITIVES):
        outcomes.append(DopingOutcome(
            strategy_id=r["id"], kind="additive", host_id=r["host"], host=r["hostf"], product_id=r["prod"], product=r["prodf"],
            family=r["family"] or "", dopants=_split(r["adds"]), sites=[], valence="",
            mechanisms=[e for e in _split(r["effects"]) if e != "improved_conductivity"],  # the outcome, not a mechanism
            basis="experimental", references=sorted(int(n) for n in _split(r["refs"])),
            stated_outcome="increased" if "improved_conductivity" in _split(r["effects"]) else "not_stated",
            before_id=r["before"], after_id=r["after"]))

    for o in outcomes:
        o.family_label, o.top_family = families.get(o.family, (o.family, o.family))
        _compare(o, sigma, by_id, estimates, factors.get(o.product_id), eas)
        host_ea, prod_ea = eas.get(o.host_id, []), eas.get(o.product_id, [])
        if o.before_id in ea_by_id and o.after_id in ea_by_id:
            o.delta_ea = ea_by_id[o.after_id] - ea_by_id[o.before_id]
            o.delta_ea_inputs = [o.before_id, o.after_id]
        elif len(host_ea) == 1 and len(prod_ea) == 1:
            o.delta_ea = prod_ea[0][1] - host_ea[0][1]
            o.delta_ea_inputs = [host_ea[0][0], prod_ea[0][0]]
        rt = _product_rt(sigma.get(o.product_id, []), estimates.get(o.product_id, []))
        o.product_rt_sigma, o.product_rt_derived = rt
    return sorted(outcomes, key=lambda o: (o.family, o.host_id, o.strategy_id))


def _product_rt(sigmas: list[Sigma], estimates: list) -> tuple[float | None, bool]:
    measured = [s for s in sigmas if s.room and s.qualifier in _POINT + ("lower_bound",)]
    if measured:
        return max(s.value for s in measured), False
    if estimates:
        return max(e.sigma_S_cm for e in estimates), True
    return None, False


def _r(x: float | None, n: int = 4) -> float | None:
    return None if x is None else float(f"{x:.{n}g}")


def outcome_rows(outcomes: list[DopingOutcome]) -> list[dict]:
    """One flat row per outcome: tier, direction, the values and temperatures used, the ratio (derived)."""
    rows = []
    for o in outcomes:
        rows.append({
            "doping_id": o.strategy_id, "kind": o.kind, "host": o.host, "product": o.product,
            "family": o.family_label, "top_family": o.top_family,
            "dopants": "/".join(o.dopants), "sites": "/".join(o.sites), "valence": o.valence,
            "mechanisms": ";".join(o.mechanisms),
            "tier": o.tier, "tier_rank": TIER_KEYS.index(o.tier) + 1, "tier_label": o.comparison,
            "direction": o.direction, "direction_source": o.direction_source, "stated_direction": o.stated_outcome,
            "sigma_before_S_cm": o.sigma_before, "before_temperature": o.before_temperature, "before_K": o.before_K,
            "sigma_after_S_cm": o.sigma_after, "after_temperature": o.after_temperature, "after_K": o.after_K,
            "comparison_temperature_K": o.temperature_K,
            "ratio": _r(o.enhancement), "ratio_text": o.ratio_text, "log10_ratio": _r(o.log_enhancement, 3), "ratio_qualifier": o.ratio_qualifier,
            "ratio_derived": o.ratio_derived, "stated_factor": o.stated_factor,
            "activation_energies_eV": ";".join(f"{i}={v:g}" for i, v in o.activation_energies),
            "values_used": ";".join(o.inputs), "assumption": o.assumption, "reason": o.reason,
            "delta_Ea_eV": _r(o.delta_ea), "delta_Ea_derived": o.delta_ea is not None,
            "delta_Ea_from": ";".join(o.delta_ea_inputs),
            "product_rt_S_cm": o.product_rt_sigma, "product_rt_derived": o.product_rt_derived,
            "superionic": o.superionic, "references": ";".join(str(n) for n in o.references),
        })
    return rows
