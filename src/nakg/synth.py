"""A synthetic, literature-sized corpus of curated records, for scale tests and benchmarks.

The review gives about 900 records (16k triples); a field's literature is a
hundred times more. :func:`generate` writes ``N`` synthetic "papers" in the
project's own record format (``docs/records.md``): each cites one synthetic
reference and reports a host electrolyte, doped and co-doped products (derived
from the host, so lineages grow across papers), ionic conductivities at room and
elevated temperatures (Arrhenius-consistent), activation energies, dopings that
compare before and after, syntheses, crystal structures, interface modifications,
cells, findings and challenges.

Values are **not invented from nothing**: every distribution is read at run time
from the shipped records (:func:`distributions`): family shares, log-conductivity
and activation energy per family, dopant/site pairs, mechanisms, synthesis
routes and sintering temperatures, structures, interface strategies and
resistances, capacities, cycle counts and retentions, techniques, challenges,
journals and years. The corpus is deterministic for a seed (and a given set of
shipped records) and loads, builds and validates cleanly. Nothing in it is a
fact: it exists to measure speed.

>>> import tempfile
>>> stats = generate(3, seed=1, out_dir=tempfile.mkdtemp())
>>> stats["papers"], stats["records"]["materials"] > 3
(3, True)
"""

from __future__ import annotations

import math
import random
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["Distributions", "distributions", "generate", "PAPERS_PER_FILE"]

#: Papers written to one YAML file (files stay far below the loader's 5 MB limit).
PAPERS_PER_FILE = 100
_KB_EV = 8.617333262e-5
_RT_K = 298.15
#: Usual ionic charges, used to keep doped formulas charge-balanced (sodium compensates).
_CHARGE = {
    "H": 1, "Li": 1, "Na": 1, "K": 1, "Rb": 1, "Cs": 1, "Ag": 1, "Cu": 2, "Be": 2, "Mg": 2, "Ca": 2, "Sr": 2, "Ba": 2,
    "Zn": 2, "Ni": 2, "Co": 2, "Mn": 3, "Fe": 3, "Cr": 3, "Sc": 3, "Y": 3, "La": 3, "Ce": 4, "Pr": 3, "Nd": 3, "Sm": 3,
    "Eu": 3, "Gd": 3, "Dy": 3, "Er": 3, "Yb": 3, "Lu": 3, "Al": 3, "Ga": 3, "In": 3, "B": 3, "Bi": 3, "Ti": 4,
    "Zr": 4, "Hf": 4, "Sn": 4, "Ge": 4, "Si": 4, "Pb": 2, "C": 4, "Nb": 5, "Ta": 5, "Sb": 5, "P": 5, "V": 5, "As": 5,
    "W": 6, "Mo": 6, "Te": 4, "N": -3, "O": -2, "S": -2, "Se": -2, "F": -1, "Cl": -1, "Br": -1, "I": -1,
}
_ELEVATED_K = (323.15, 333.15, 353.15, 373.15, 423.15, 473.15)
_AMOUNTS = (0.02, 0.05, 0.1, 0.1, 0.15, 0.2, 0.2, 0.25, 0.3, 0.4, 0.5)
_GIVEN = ("Y.", "J.", "X.", "H.", "L.", "S.", "M.", "A.", "K.", "T.", "Z.", "C.", "W.", "Q.", "R.", "F.")
_FAMILY_NAMES = ("Wang", "Zhang", "Li", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Xu", "Sun", "Ma", "Hu",
                 "Guo", "Lin", "He", "Luo", "Kim", "Lee", "Park", "Smith", "Müller", "Rossi", "Tanaka", "Suzuki")


@dataclass
class Distributions:
    """What the shipped records look like, per electrolyte family (keys as curators write them)."""

    families: Counter = field(default_factory=Counter)
    bases: dict[str, list[dict]] = field(default_factory=lambda: defaultdict(list))
    log_sigma: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    ea: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    sections: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    substitutions: dict[str, list[tuple[str, str | None, str]]] = field(default_factory=lambda: defaultdict(list))
    mechanisms: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    routes: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    synthesis_effects: Counter = field(default_factory=Counter)
    step_celsius: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    structures: dict[str, list[dict]] = field(default_factory=lambda: defaultdict(list))
    strategies: Counter = field(default_factory=Counter)
    interface_effects: Counter = field(default_factory=Counter)
    sides: Counter = field(default_factory=Counter)
    interface_materials: list[dict] = field(default_factory=list)
    resistances: list[float] = field(default_factory=list)
    cathodes: list[dict] = field(default_factory=list)
    capacities: list[float] = field(default_factory=list)
    cycles: list[int] = field(default_factory=list)
    retentions: list[float] = field(default_factory=list)
    rates: Counter = field(default_factory=Counter)
    techniques: Counter = field(default_factory=Counter)
    reveals: Counter = field(default_factory=Counter)
    challenges: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    journals: Counter = field(default_factory=Counter)
    years: list[int] = field(default_factory=list)
    review: dict = field(default_factory=dict)
    common: list[dict] = field(default_factory=list)
    milli_share: float = 0.0


def _celsius(t) -> float | None:
    return None if t is None or t.kelvin is None else t.kelvin - 273.15


def _is_rt(t) -> bool:
    return t is not None and (t.room_temperature or (t.kelvin is not None and 293.15 <= t.kelvin <= 303.15))


def _material_entry(m) -> dict:
    d = {"formula": m.get("formula")}
    for key in ("name", "roles", "form", "parseable"):
        if m.get(key) not in (None, [], ()):
            d[key] = list(m.get(key)) if isinstance(m.get(key), tuple) else m.get(key)
    return d


def distributions(records_dir: Path | str | None = None) -> Distributions:
    """Read the value and term distributions of a record set (default: the shipped records)."""
    from .formula import parse_formula
    from .quantities import convert
    from .records import load_records
    from .resources import records_dir as default_records

    rs = load_records(records_dir or default_records())
    d = Distributions()
    materials = {m.id: m for m in rs.records["materials"]}
    family_of = {m.id: m.get("family") for m in rs.records["materials"]}
    for m in rs.records["materials"]:
        fam = m.get("family")
        if fam:
            d.families[fam] += 1
            d.sections[fam].update(m.prov.sections)
            if m.get("composition") and m.get("form", "compound") == "compound" and "Na" in m.get("composition"):
                d.bases[fam].append({"id": m.id, "formula": m.get("formula"), "composition": m.get("composition")})
    units = Counter()
    for r in rs.records["measurements"]:
        fam = family_of.get(r.get("material"))
        q, t = r.get("quantity"), r.get("temperature")
        value = q.value if q.value is not None else q.max
        if r.get("property") == "ionic_conductivity" and fam and _is_rt(t) and value:
            d.log_sigma[fam].append(math.log10(convert(value, q.unit, "S/cm")))
            units[q.unit] += 1
        elif r.get("property") == "activation_energy" and value:
            d.ea[fam or "*"].append(value)
        elif r.get("property") == "interfacial_resistance" and value:
            d.resistances.append(value)
    d.milli_share = units["mS/cm"] / max(1, sum(units.values()))
    for r in rs.records["dopings"]:
        fam = family_of.get(r.get("product")) or family_of.get(r.get("host"))
        for sub in r.get("substitutions"):
            d.substitutions[fam or "*"].append((sub["dopant"], sub.get("charge"), sub.get("site")))
        d.mechanisms[fam or "*"].update(r.get("mechanisms", []))
    for r in rs.records["syntheses"]:
        fam = family_of.get(r.get("material"))
        d.routes[fam or "*"].update(r.get("routes", []))
        d.synthesis_effects.update(r.get("effects", []))
        for step in r.get("steps", []):
            c = _celsius(step.get("temperature"))
            if c is not None and step["kind"] in ("sintering", "calcination", "annealing", "heat_treatment"):
                d.step_celsius[fam or "*"].append(c)
    for r in rs.records["structures"]:
        fam = family_of.get(r.get("material"))
        lattice = {axis: q.value for axis, q in (r.get("lattice") or {}).items() if q.value is not None and q.unit == "Å"}
        d.structures[fam or "*"].append({k: r.get(k) for k in ("phase", "crystal_system", "space_group", "conduction")
                                         if r.get(k)} | {"lattice": lattice})
    for r in rs.records["interfaces"]:
        d.strategies[r.get("strategy")] += 1
        d.sides[r.get("side")] += 1
        d.interface_effects.update(r.get("effects", []))
        for mid in r.get("materials", []):
            m = materials[mid]
            if not m.get("family"):
                d.interface_materials.append(_material_entry(m))
    for r in rs.records["cells"]:
        if r.get("first_cycle_capacity"):
            q, _ = r.get("first_cycle_capacity")
            if q.value:
                d.capacities.append(q.value)
        if r.get("cathode") and materials[r.get("cathode")].file.endswith("common.yaml"):
            d.cathodes.append({"id": r.get("cathode")})
        for c in r.get("cycling", []):
            if c.get("cycles"):
                d.cycles.append(int(c["cycles"]))
            if c.get("retention") and c["retention"].value and c["retention"].value <= 100:
                d.retentions.append(c["retention"].value)
            if c.get("rate"):
                d.rates[c["rate"]] += 1
    for r in rs.records["findings"]:
        d.techniques.update(r.get("techniques", []))
        d.reveals.update(r.get("reveals", []))
    for r in rs.records["challenges"]:
        fam = r.get("subject_family") or family_of.get(r.get("subject"))
        d.challenges[fam or "*"][r.get("challenge")] += 1
    for ref in rs.references.values():
        if ref.get("journal"):
            d.journals[ref.get("journal")] += 1
        d.years.append(ref.get("year"))
    d.review = {k: v for k, v in rs.review.data.items() if k in ("year", "publisher")} if rs.review else {}
    d.common = [{"id": m.id, **_material_entry(m), "prov": {"sections": list(m.prov.sections)}}
                for m in rs.records["materials"] if m.file.endswith("common.yaml")]
    common_ids = {m["id"] for m in d.common}
    d.cathodes = [c for c in d.cathodes if c["id"] in common_ids]
    for fam in list(d.bases):  # keep hosts whose formula the loader accepts as written
        d.bases[fam] = [b for b in d.bases[fam] if _safe_formula(b["formula"], parse_formula)]
    return d


def _safe_formula(formula: str, parse) -> bool:
    try:
        parse(formula)
    except Exception:  # noqa: BLE001 - FormulaError and friends
        return False
    return True


# --- sampling helpers ---------------------------------------------------------------------------
class _Sampler:
    def __init__(self, d: Distributions, rnd: random.Random):
        self.d, self.r = d, rnd

    def pick(self, counter: Counter, default: Any = None):
        if not counter:
            return default
        keys = sorted(counter, key=str)
        return self.r.choices(keys, weights=[counter[k] for k in keys])[0]

    def some(self, counter: Counter, lo: int, hi: int) -> list:
        keys = sorted(counter, key=str)
        if not keys:
            return []
        n = min(len(keys), self.r.randint(lo, hi))
        chosen: list = []
        while len(chosen) < n:
            k = self.pick(counter)
            if k not in chosen:
                chosen.append(k)
        return chosen

    def value(self, values: list[float], spread: float = 0.1, default: float = 1.0) -> float:
        """A shipped value with multiplicative log-normal jitter (the shape of the distribution is kept)."""
        base = self.r.choice(values) if values else default
        return base * math.exp(self.r.gauss(0.0, spread))

    def normal(self, values: list[float], fallback: list[float], lo: float, hi: float) -> float:
        data = values if len(values) >= 3 else (values + fallback)
        mean = sum(data) / len(data)
        sd = math.sqrt(sum((x - mean) ** 2 for x in data) / max(1, len(data) - 1)) or 0.5
        return min(hi, max(lo, self.r.gauss(mean, sd)))


def _sig(x: float, digits: int = 3) -> float:
    return float(f"{x:.{digits}g}")


def _formula(order: list[str], comp: dict[str, float]) -> str:
    from .formula import format_amount

    return "".join(f"{el}{format_amount(round(comp[el], 4))}" for el in order if comp.get(el, 0) > 1e-9)


def _dope(s: _Sampler, host: dict, family: str) -> tuple[dict, dict] | None:
    """A doped product of ``host``: (material entry, substitution) with a charge-balanced formula."""
    comp = dict(host["composition"])
    order = host.get("order") or list(dict.fromkeys(re.findall(r"[A-Z][a-z]?", host["formula"])))
    pairs = [(dop, ch, site) for dop, ch, site in s.d.substitutions.get(family, []) + s.d.substitutions.get("*", [])
             if site in comp and site != "Na" and dop in _CHARGE and dop != site]
    if pairs and s.r.random() < 0.7:
        dopant, charge, site = s.r.choice(pairs)
    else:
        # a framework cation (charge 2+ or more) or an anion other than oxide, replaced by a neighbour in charge
        sites = [el for el in order if el in _CHARGE and (_CHARGE[el] >= 2 or (_CHARGE[el] < 0 and el != "O"))]
        if not sites:
            return None
        site = s.r.choice(sites)
        seen = {dop for subs in s.d.substitutions.values() for dop, _, _ in subs}
        pool = sorted(e for e in (seen or _CHARGE) if e in _CHARGE and e not in (site, "Na", "H")
                      and _CHARGE[e] * _CHARGE[site] > 0 and abs(_CHARGE[e] - _CHARGE[site]) <= 1)
        if not pool:
            return None
        dopant, charge = s.r.choice(pool), None
    x = min(s.r.choice(_AMOUNTS), round(comp[site] * 0.5, 4))
    if x <= 0:
        return None
    q_site, q_dop = _CHARGE.get(site, 0), _CHARGE.get(dopant, 0)
    comp[site] -= x
    comp[dopant] = comp.get(dopant, 0.0) + x
    if "Na" in comp:
        comp["Na"] += (q_site - q_dop) * x
        if comp["Na"] < 0.2:
            return None
    if dopant not in order:
        order = order[:order.index(site) + 1] + [dopant] + order[order.index(site) + 1:]
    comp = {el: round(v, 4) for el, v in comp.items() if round(v, 4) > 0}
    entry = {"formula": _formula(order, comp), "composition": comp, "order": order}
    charge = charge or (f"{abs(q_dop)}{'+' if q_dop > 0 else '-'}" if q_dop else None)
    sub = {"dopant": dopant, "site": site} | ({"charge": charge} if charge else {})
    return entry, sub | {"_aliovalent": q_site != q_dop}


# --- one paper ----------------------------------------------------------------------------------
class _Paper:
    """The records of one synthetic paper, in the record format."""

    def __init__(self, s: _Sampler, number: int, seed: int, pool: dict[str, list[dict]]):
        self.s, self.n, self.pool = s, number, pool
        self.pid = f"s{seed}-p{number:06d}"
        self.records: dict[str, list[dict]] = defaultdict(list)
        self.family = s.pick(s.d.families)

    def prov(self) -> dict:
        return {"sections": [self.s.pick(self.s.d.sections[self.family], "1")], "refs": [self.n]}

    def measure(self, mid: str, target: tuple[str, str], prop: str, value: float, unit: str, temperature: str | None = None,
                **extra) -> str:
        rec = {"id": mid, target[0]: target[1], "property": prop, "value": value, "unit": unit}
        if temperature:
            rec["temperature"] = temperature
        self.records["measurements"].append(rec | extra | {"prov": self.prov()})
        return mid

    def sigma(self, mid: str, material: str, log_sigma: float, kelvin: float, rt_text: str | None = None) -> str:
        sigma = 10 ** log_sigma
        milli = self.s.r.random() < self.s.d.milli_share
        value, unit = (_sig(sigma * 1000), "mS/cm") if milli else (_sig(sigma), "S/cm")
        text = rt_text or (f"{kelvin - 273.15:g} °C" if self.s.r.random() < 0.6 else f"{kelvin:g} K")
        return self.measure(mid, ("material", material), "ionic_conductivity", value, unit, text,
                            contribution=self.s.r.choice(("total", "total", "total", "bulk")))

    def material(self, mid: str, entry: dict, parents: list[str]) -> None:
        rec = {"id": mid, "formula": entry["formula"], "family": self.family, "roles": ["electrolyte"]}
        if parents:
            rec["derived_from"] = parents
        self.records["materials"].append(rec | {"prov": self.prov()})

    def arrhenius(self, mid: str, material: str, log_rt: float, ea: float) -> str:
        """σ at room temperature and at one to three elevated temperatures (σT ∝ exp(−Ea/kT)); returns the r.t. id."""
        rt_text = self.s.r.choice(("25 °C", "r.t.", "room temperature", "298 K", "30 °C"))
        rt_k = 303.15 if rt_text == "30 °C" else _RT_K
        rt_id = self.sigma(f"{mid}-sigma-rt", material, log_rt, rt_k, rt_text)
        for t in sorted(self.s.r.sample(_ELEVATED_K, self.s.r.randint(1, 3))):
            log_t = log_rt + math.log10(rt_k / t) + ea / (_KB_EV * math.log(10)) * (1 / rt_k - 1 / t)
            self.sigma(f"{mid}-sigma-{int(round(t))}k", material, min(log_t, 0.5), t)
        self.measure(f"{mid}-ea", ("material", material), "activation_energy", _sig(ea), "eV")
        return rt_id

    def build(self) -> None:
        s, d, fam = self.s, self.s.d, self.family
        ref_pool = self.pool.setdefault(fam, [])
        bases = d.bases.get(fam) or [b for v in d.bases.values() for b in v]
        if ref_pool and s.r.random() < 0.5:  # a product of an earlier paper (lineages stay a few generations deep)
            host = s.r.choice(ref_pool)
        else:
            host = dict(s.r.choice(bases))
            host["id"] = f"base-{host['id']}"
            host["gen"] = 0
            host["log_sigma"] = s.normal(d.log_sigma.get(fam, []), [v for x in d.log_sigma.values() for v in x], -10, -1.4)
        ea_values = d.ea.get(fam, []) + d.ea.get("*", [])
        host_ea = min(1.2, max(0.08, s.value(ea_values, 0.15, 0.4)))
        before = self.arrhenius(f"{self.pid}-host", host["id"], host["log_sigma"], host_ea)
        products = []
        for j in range(1, s.r.randint(2, 4)):
            doped = _dope(s, host, fam)
            if doped is None:
                continue
            entry, sub = doped
            mid = f"{self.pid}-m{j}"
            self.material(mid, entry, [host["id"]])
            gain = s.r.gauss(0.4, 0.6)
            entry |= {"id": mid, "gen": host["gen"] + 1, "log_sigma": min(-1.3, max(-11.0, host["log_sigma"] + gain))}
            ea = min(1.2, max(0.08, host_ea - 0.05 * gain + s.r.gauss(0, 0.03)))
            after = self.arrhenius(mid, mid, entry["log_sigma"], ea)
            self.doping(f"{self.pid}-d{j}", host["id"], mid, [sub], before, after, gain > 0)
            products.append((entry, after))
            if entry["gen"] < 3:
                ref_pool.append(entry)
            if s.r.random() < 0.3:  # co-doped second generation
                again = _dope(s, entry, fam)
                if again is not None:
                    entry2, sub2 = again
                    mid2 = f"{mid}-co"
                    self.material(mid2, entry2, [mid])
                    gain2 = s.r.gauss(0.2, 0.4)
                    entry2 |= {"id": mid2, "gen": entry["gen"] + 1,
                               "log_sigma": min(-1.3, max(-11.0, entry["log_sigma"] + gain2))}
                    after2 = self.arrhenius(mid2, mid2, entry2["log_sigma"], max(0.08, ea - 0.03 * gain2))
                    self.doping(f"{self.pid}-d{j}-co", mid, mid2, [sub2], after, after2, gain2 > 0)
                    products.append((entry2, after2))
                    if entry2["gen"] < 3:
                        ref_pool.append(entry2)
        del ref_pool[:-200]  # hosts come from recent papers of the family
        for k, (entry, sigma_id) in enumerate(products, start=1):
            if s.r.random() < 0.6:
                self.synthesis(f"{self.pid}-syn{k}", entry["id"], sigma_id)
            if s.r.random() < 0.3:
                self.structure(f"{self.pid}-st{k}", entry["id"])
        if products and s.r.random() < 0.35:
            self.cell_with_interface(products[-1][0]["id"])
        if products and s.r.random() < 0.3:
            self.finding(products[0][0]["id"])
        if s.r.random() < 0.15:
            self.records["challenges"].append({"id": f"{self.pid}-ch", "subject": fam,
                                               "challenge": s.pick(d.challenges.get(fam) or d.challenges.get("*") or
                                                                   Counter({"low_rt_conductivity": 1})), "prov": self.prov()})

    def doping(self, did: str, host: str, product: str, subs: list[dict], before: str, after: str, raised: bool) -> None:
        s, fam = self.s, self.family
        mechanisms = s.some(s.d.mechanisms.get(fam) or s.d.mechanisms.get("*", Counter()), 1, 2)
        rec = {"id": did, "host": host, "product": product,
               "substitutions": [{k: v for k, v in sub.items() if not k.startswith("_")} for sub in subs],
               "valence": "aliovalent" if any(sub["_aliovalent"] for sub in subs) else "isovalent"}
        if mechanisms:
            rec["mechanisms"] = mechanisms
        rec |= {"basis": "computational" if s.r.random() < 0.05 else "experimental",
                "outcome": "increased" if raised else "decreased", "compares": {"before": before, "after": after},
                "prov": self.prov()}
        self.records["dopings"].append(rec)

    def synthesis(self, sid: str, material: str, outcome: str) -> None:
        s, fam = self.s, self.family
        celsius = s.d.step_celsius.get(fam) or s.d.step_celsius.get("*") or [900.0]
        steps = [{"kind": "calcination", "temperature": f"{round(s.value(celsius, 0.08) * 0.7, -1):g} °C",
                  "duration": f"{s.r.choice((2, 4, 6, 8, 12))} h"}] if s.r.random() < 0.5 else []
        steps.append({"kind": "sintering", "temperature": f"{round(s.value(celsius, 0.08), -1):g} °C",
                      "duration": f"{s.r.choice((2, 6, 10, 12, 16, 24))} h", "atmosphere": s.r.choice(("air", "Ar", "air"))})
        rec = {"id": sid, "material": material, "routes": s.some(s.d.routes.get(fam) or s.d.routes.get("*", Counter()), 1, 2),
               "steps": steps, "outcomes": [outcome]}
        effects = s.some(s.d.synthesis_effects, 0, 2)
        if effects:
            rec["effects"] = effects
        self.records["syntheses"].append(rec | {"prov": self.prov()})

    def structure(self, sid: str, material: str) -> None:
        s = self.s
        options = s.d.structures.get(self.family) or s.d.structures.get("*") or [{"crystal_system": "cubic"}]
        proto = s.r.choice(options)
        rec = {"id": sid, "material": material} | {k: v for k, v in proto.items() if k != "lattice" and v}
        if proto.get("lattice"):
            rec["lattice"] = {axis: {"value": round(v * (1 + s.r.gauss(0, 0.004)), 4), "unit": "Å"}
                              for axis, v in sorted(proto["lattice"].items())}
        self.records["structures"].append(rec | {"prov": self.prov()})

    def cell_with_interface(self, electrolyte: str) -> None:
        s, d = self.s, self.s.d
        modifications = []
        if d.interface_materials and s.r.random() < 0.7:
            mat = dict(s.r.choice(d.interface_materials))
            mat_id = f"{self.pid}-layer"
            self.records["materials"].append({"id": mat_id} | mat | {"prov": self.prov()})
            iid = f"{self.pid}-if"
            rid = self.measure(f"{iid}-asr", ("interface", iid), "interfacial_resistance",
                               _sig(s.value(d.resistances, 0.5, 50.0)), "Ω cm2", "25 °C")
            rec = {"id": iid, "electrolyte": electrolyte, "side": s.pick(d.sides, "anode"),
                   "strategy": s.pick(d.strategies, "interlayer"),
                   "materials": [mat_id], "effects": s.some(d.interface_effects, 1, 3), "results": [rid]}
            if rec["side"] == "anode":
                rec["electrode"] = "na"
            self.records["interfaces"].append(rec | {"prov": self.prov()})
            modifications.append(iid)
        cathode = s.r.choice(d.cathodes)["id"] if d.cathodes else None
        cid = f"{self.pid}-cell"
        rec = {"id": cid, "kind": "full"} | ({"cathode": cathode} if cathode else {})
        rec |= {"electrolytes": [electrolyte], "anode": "na"}
        if modifications:
            rec["modifications"] = modifications
        rec["first_cycle_capacity"] = {"value": round(s.value(d.capacities, 0.1, 100.0)), "unit": "mAh/g",
                                       "temperature": s.r.choice(("25 °C", "r.t.", "60 °C"))}
        rec["cycling"] = [{"cycles": max(1, int(s.value(d.cycles, 0.2, 100))),
                           "retention": {"value": round(min(99.9, s.value(d.retentions, 0.03, 90.0)), 1), "unit": "%"},
                           "rate": s.pick(d.rates, "0.1 C")}]
        self.records["cells"].append(rec | {"prov": self.prov()})

    def finding(self, subject: str) -> None:
        s = self.s
        rec = {"id": f"{self.pid}-f", "techniques": s.some(s.d.techniques, 1, 2), "subjects": [subject],
               "reveals": s.some(s.d.reveals, 1, 2),
               "summary": f"Synthetic finding {self.pid}: characterization of the doped electrolyte"}
        self.records["findings"].append(rec | {"prov": self.prov()})


def _reference(s: _Sampler, number: int) -> dict:
    authors = [f"{s.r.choice(_GIVEN)} {s.r.choice(_FAMILY_NAMES)}" for _ in range(s.r.randint(1, 3))]
    return {"number": number, "authors": authors, "et_al": s.r.random() < 0.7, "journal": s.pick(s.d.journals, "J. Synth."),
            "volume": str(s.r.randint(1, 120)), "year": s.r.choice(s.d.years) if s.d.years else 2020,
            "pages": str(s.r.randint(100, 9999))}


def generate(papers: int, seed: int = 0, out_dir: Path | str = "synthetic", records_dir: Path | str | None = None,
             papers_per_file: int = PAPERS_PER_FILE) -> dict[str, Any]:
    """Write a synthetic corpus of ``papers`` papers to ``out_dir`` (a records folder for ``nakg build --records``).

    Returns counts: papers, records per kind, files written.
    """
    import yaml

    if papers < 1:
        raise ValueError("papers must be at least 1")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.yaml"):
        old.unlink()
    d = distributions(records_dir)
    rnd = random.Random(seed)
    s = _Sampler(d, rnd)
    class Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):
        def ignore_aliases(self, data):  # every record is written out in full, never as an alias
            return True

    dumper = Dumper

    def dump(path: Path, doc: dict) -> None:
        path.write_text(yaml.dump(doc, Dumper=dumper, sort_keys=False, allow_unicode=True, default_flow_style=None, width=160),
                        encoding="utf-8")

    review = {"id": "review", "title": f"Synthetic corpus of {papers} papers (nakg synth, seed {seed})",
              "authors": ["nakg synth"],
              "year": d.review.get("year", 2024), "note": "Generated for scale tests: no record of this corpus is a fact."}
    dump(out / "references.yaml", {"review": review, "references": [_reference(s, n) for n in range(1, papers + 1)]})
    bases = {}
    for fam, items in sorted(d.bases.items()):
        for b in items:
            section = d.sections[fam].most_common(1)[0][0] if d.sections[fam] else "1"
            bases[b["id"]] = {"id": f"base-{b['id']}", "formula": b["formula"], "family": fam, "roles": ["electrolyte"],
                              "prov": {"sections": [section], "refs": []}}
    common = [{k: v for k, v in m.items() if k != "prov"} | {"prov": {"sections": m["prov"]["sections"], "refs": []}}
              for m in d.common]
    dump(out / "common.yaml", {"materials": common + list(bases.values())})
    counts: Counter = Counter()
    pool: dict[str, list[dict]] = {}
    files = 2
    from .progress import progress
    from .records.model import KINDS

    with progress(f"synthesising {papers} papers", total=papers, unit="paper") as bar:
        for start in range(1, papers + 1, papers_per_file):
            chunk: dict[str, list[dict]] = defaultdict(list)
            for n in range(start, min(papers, start + papers_per_file - 1) + 1):
                paper = _Paper(s, n, seed, pool)
                paper.build()
                bar.update()
                for kind, recs in paper.records.items():
                    chunk[kind].extend(recs)
            doc = {kind: chunk[kind] for kind in KINDS if chunk.get(kind)}
            for kind, recs in doc.items():
                counts[kind] += len(recs)
            dump(out / f"papers-{start:06d}.yaml", doc)
            files += 1
    counts["materials"] += len(common) + len(bases)
    return {"papers": papers, "seed": seed, "records": dict(counts), "references": papers, "files": files}
