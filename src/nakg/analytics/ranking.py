"""Strategies ranked: doping outcomes aggregated by dopant, site, valence change, mechanism and family."""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field

from .outcomes import DopingOutcome

__all__ = ["StrategyStats", "rank_strategies", "DIMENSIONS"]

DIMENSIONS = ("dopant", "site", "valence", "mechanism", "family")


@dataclass
class StrategyStats:
    """Log10-enhancement statistics of one strategy (e.g. dopant = Zr) over the dopings behind it."""

    dimension: str
    value: str
    count: int
    median_log_enhancement: float
    min_log_enhancement: float
    max_log_enhancement: float
    superionic: int  # products reaching ≥ 1 mS/cm at room temperature
    strategies: list[str] = field(default_factory=list)
    derived: int = 0  # comparisons relying on an Arrhenius estimate

    def as_dict(self) -> dict:
        return {
            "dimension": self.dimension, "value": self.value, "count": self.count,
            "median_log10_enhancement": round(self.median_log_enhancement, 3),
            "min_log10_enhancement": round(self.min_log_enhancement, 3),
            "max_log10_enhancement": round(self.max_log_enhancement, 3),
            "superionic_products": self.superionic, "derived_comparisons": self.derived,
            "evidence": ";".join(self.strategies),
        }


def _keys(o: DopingOutcome, dimension: str) -> list[str]:
    if dimension == "dopant":
        return o.dopants
    if dimension == "site":
        return o.sites
    if dimension == "valence":
        return [o.valence] if o.valence else ([] if o.kind == "doping" else ["additive"])
    if dimension == "mechanism":
        return o.mechanisms
    return [o.family] if o.family else []


def rank_strategies(outcomes: list[DopingOutcome], dimensions: tuple[str, ...] = DIMENSIONS,
                    min_count: int = 1, include_across_works: bool = False) -> list[StrategyStats]:
    """Aggregate outcomes with a known enhancement; sorted by median log-enhancement (desc), then count.

    Comparisons between a host and a product measured in different works are left out
    unless ``include_across_works`` is set: their ratio mixes two labs' samples.

    >>> from nakg.analytics.outcomes import DopingOutcome
    >>> o = DopingOutcome("d1", "doping", "h", "H", "p", "P", "halide", ["F"], ["Cl"], "aliovalent", [], "experimental",
    ...                   "increased", [1], sigma_before=1e-6, sigma_after=1e-5)
    >>> rank_strategies([o], ("dopant",))[0].median_log_enhancement
    1.0
    """
    groups: dict[tuple[str, str], list[DopingOutcome]] = defaultdict(list)
    for o in outcomes:
        if o.log_enhancement is None or (o.comparison.endswith("across works") and not include_across_works):
            continue
        for dim in dimensions:
            for key in _keys(o, dim):
                groups[(dim, key)].append(o)
    stats = []
    for (dim, key), items in groups.items():
        if len(items) < min_count:
            continue
        logs = [o.log_enhancement for o in items]
        stats.append(StrategyStats(
            dimension=dim, value=key, count=len(items), median_log_enhancement=statistics.median(logs),
            min_log_enhancement=min(logs), max_log_enhancement=max(logs),
            superionic=sum(1 for o in items if o.superionic), strategies=sorted(o.strategy_id for o in items),
            derived=sum(1 for o in items if o.derived),
        ))
    return sorted(stats, key=lambda s: (-s.median_log_enhancement, -s.count, s.dimension, s.value))
