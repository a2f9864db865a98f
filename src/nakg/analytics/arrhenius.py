"""Arrhenius normalisation of ionic conductivities to 25 °C.

The form used is the one customary for ionic conductors,
``σ·T = A·exp(−Ea / (k_B·T))``, so that from a conductivity σ₁ at T₁ and an
activation energy Ea::

    σ(T₂) = σ₁ · (T₁ / T₂) · exp(−Ea/k_B · (1/T₂ − 1/T₁))

Estimates are *derived* values: they never replace a measured value, and they
carry the measurements they were computed from.

>>> round(arrhenius_estimate(1e-3, 473.15, 0.5, 298.15), 8)  # 1 mS/cm at 200 °C, Ea 0.5 eV
1.19e-06
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from ..core import GraphCore as KnowledgeGraph

__all__ = ["K_B_EV", "T_ROOM", "arrhenius_estimate", "Estimate", "rt_estimates"]

K_B_EV = 8.617333262e-5  # Boltzmann constant in eV/K (CODATA 2018)
T_ROOM = 298.15  # 25 °C


def arrhenius_estimate(sigma1: float, t1: float, ea: float, t2: float = T_ROOM) -> float:
    """σ at ``t2`` from σ₁ at ``t1`` (K) and activation energy ``ea`` (eV), σT-Arrhenius form."""
    if sigma1 <= 0 or t1 <= 0 or t2 <= 0 or ea < 0:
        raise ValueError("conductivity, temperatures and activation energy must be positive")
    return sigma1 * (t1 / t2) * math.exp(-ea / K_B_EV * (1.0 / t2 - 1.0 / t1))


@dataclass(frozen=True)
class Estimate:
    """A derived conductivity at 25 °C and the measurements it comes from."""

    material_id: str
    sigma_S_cm: float
    from_sigma: str  # measurement id of the conductivity used
    from_ea: str  # measurement id of the activation energy used
    sigma_in: float
    t_in_K: float
    ea_eV: float


_QUERY = """
SELECT ?mat ?sid ?sigma ?t ?eid ?ea WHERE {
  ?s a nakg:IonicConductivity ; nakg:isMeasurementOf ?m ; nakg:canonicalValue ?sigma ; nakg:temperatureK ?t ;
     nakg:qualifier nakg:Exact ; nakg:recordId ?sid ; nakg:isDerived false .
  ?e a nakg:ActivationEnergy ; nakg:isMeasurementOf ?m ; nakg:canonicalValue ?ea ; nakg:qualifier nakg:Exact ;
     nakg:recordId ?eid .
  ?m nakg:recordId ?mat .
  FILTER NOT EXISTS { ?e nakg:contribution ?c FILTER(?c != nakg:Total) }
  FILTER NOT EXISTS { ?s nakg:contribution ?c2 FILTER(?c2 != nakg:Total) }
}"""


def rt_estimates(kg: KnowledgeGraph) -> list[Estimate]:
    """Arrhenius estimates at 25 °C for materials with an exact Ea and an exact σ at another temperature.

    A material with a measured value at 25 °C (or r.t.) still gets an estimate from its other
    temperatures; callers decide which to prefer (measured always wins in the analytics).
    """
    out = []
    for r in kg.query(_QUERY):
        if abs(r["t"] - T_ROOM) < 1e-6:
            continue
        out.append(Estimate(r["mat"], arrhenius_estimate(r["sigma"], r["t"], r["ea"]), r["sid"], r["eid"],
                            r["sigma"], r["t"], r["ea"]))
    return sorted(out, key=lambda e: (e.material_id, e.from_sigma))
