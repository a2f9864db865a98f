"""Strategies ranked: doping outcomes aggregated by dopant, site, valence relation, mechanism and family.

Every doping counts for its strategy's direction tallies (raised / lowered / unchanged /
undetermined). Magnitudes (log10 of σ after/before, or a stated factor) count only at the
admitted evidence tiers (default: :data:`~nakg.analytics.outcomes.TRUSTED_TIERS`) and only when
they are a number, not a bound; bounds are counted beside them. :class:`Ranking` says which
dopings the magnitudes used and why the others were left out (:attr:`Ranking.footer`).
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field

from .outcomes import MAGNITUDE_TIERS, TIER_KEYS, TRUSTED_TIERS, DopingOutcome

__all__ = ["StrategyStats", "Ranking", "rank_strategies", "DIMENSIONS", "strategy_keys", "resolve_tiers"]

DIMENSIONS = ("dopant", "site", "valence", "mechanism", "family")


def resolve_tiers(tiers: str | tuple[str, ...] | list[str] | None = None, include_across_works: bool = False) -> tuple[str, ...]:
    """The admitted tiers: ``None``/``"trusted"`` (default), ``"all"``, or tier keys (comma-separated text or a list)."""
    from ..errors import QueryError

    if tiers is None or tiers == "trusted":
        chosen = list(TRUSTED_TIERS)
    elif tiers == "all":
        chosen = list(MAGNITUDE_TIERS)
    else:
        chosen = [t.strip() for t in (tiers.split(",") if isinstance(tiers, str) else tiers) if t.strip()]
        bad = [t for t in chosen if t not in MAGNITUDE_TIERS]
        if bad:
            raise QueryError(f"unknown evidence tier '{bad[0]}' (tiers with a magnitude: {', '.join(MAGNITUDE_TIERS)}; "
                             "or 'trusted', 'all')")
    if include_across_works and "across_works" not in chosen:
        chosen.append("across_works")
    return tuple(t for t in TIER_KEYS if t in chosen)


def strategy_keys(o: DopingOutcome, dimension: str) -> list[str]:
    """The values of one strategy dimension for a doping (a co-doping has several dopants)."""
    if dimension == "dopant":
        return o.dopants
    if dimension == "site":
        return o.sites
    if dimension == "valence":
        return [o.valence] if o.valence else ([] if o.kind == "doping" else ["additive"])
    if dimension == "mechanism":
        return o.mechanisms
    if dimension == "family":
        return [o.top_family or o.family] if (o.top_family or o.family) else []
    raise ValueError(f"unknown dimension '{dimension}' (known: {', '.join(DIMENSIONS)})")


@dataclass
class StrategyStats:
    """One strategy (e.g. dopant = Zr): its dopings, direction tallies and magnitude statistics per tier."""

    dimension: str
    value: str
    dopings: list[str] = field(default_factory=list)
    raised: int = 0
    lowered: int = 0
    unchanged: int = 0
    undetermined: int = 0
    used: list[DopingOutcome] = field(default_factory=list)  # admitted point magnitudes
    bounds: list[DopingOutcome] = field(default_factory=list)  # admitted bounds (≥ or ≤ a ratio)
    per_tier: dict[str, list[float]] = field(default_factory=dict)  # tier → log10 magnitudes (admitted tiers)
    superionic: int = 0

    @property
    def count(self) -> int:
        return len(self.dopings)

    @property
    def logs(self) -> list[float]:
        return [o.log_enhancement for o in self.used]

    @property
    def median_log_enhancement(self) -> float | None:
        return statistics.median(self.logs) if self.logs else None

    @property
    def min_log_enhancement(self) -> float | None:
        return min(self.logs) if self.logs else None

    @property
    def max_log_enhancement(self) -> float | None:
        return max(self.logs) if self.logs else None

    @property
    def strategies(self) -> list[str]:
        """Ids of the dopings whose magnitude the statistics use."""
        return sorted(o.strategy_id for o in self.used)

    @property
    def best(self) -> DopingOutcome | None:
        """The largest admitted magnitude; else the largest admitted lower bound."""
        if self.used:
            return max(self.used, key=lambda o: (o.log_enhancement, o.strategy_id))
        lower = [o for o in self.bounds if o.ratio_qualifier == "at least"]
        return max(lower, key=lambda o: (o.log_enhancement, o.strategy_id)) if lower else None

    def tier_text(self) -> str:
        parts = []
        for tier, logs in self.per_tier.items():
            if logs:
                parts.append(f"{tier}: n={len(logs)} median {statistics.median(logs):+.2f} [{min(logs):+.2f}, {max(logs):+.2f}]")
        for o in self.bounds:
            sign = "≥" if o.ratio_qualifier == "at least" else "≤"
            parts.append(f"{o.tier}: {o.strategy_id} {sign}{o.log_enhancement:+.2f}")
        return "; ".join(parts)

    def as_dict(self, nested: bool = False) -> dict:
        def r(x):
            return None if x is None else round(x, 3)

        best = self.best
        per_tier = {t: {"n": len(v), "median_log10": r(statistics.median(v)), "min_log10": r(min(v)), "max_log10": r(max(v))}
                    for t, v in self.per_tier.items() if v}
        return {
            "dimension": self.dimension, "value": self.value, "dopings": self.count,
            "raised": self.raised, "lowered": self.lowered, "unchanged": self.unchanged, "undetermined": self.undetermined,
            "with_magnitude": len(self.used),
            "median_log10_ratio": r(self.median_log_enhancement),
            "min_log10_ratio": r(self.min_log_enhancement), "max_log10_ratio": r(self.max_log_enhancement),
            "bounds": len(self.bounds),
            "per_tier": per_tier if nested else self.tier_text(),
            "best_example": f"{best.strategy_id}: {best.host} → {best.product}, {best.ratio_text} ({best.tier})" if best else "",
            "best_references": ";".join(str(n) for n in best.references) if best else "",
            "superionic_products": self.superionic,
            "evidence": ";".join(self.strategies),
        }


class Ranking(list):
    """The ranked :class:`StrategyStats` rows, with what the ranking used and left out."""

    tiers: tuple[str, ...]
    used: list[str]
    bound_ids: list[str]
    left_out: dict[str, list[str]]
    total: int

    @property
    def footer(self) -> str:
        out = [f"ranked on {len(self.used)} of {self.total} dopings: magnitudes at tiers {', '.join(self.tiers)}."]
        reasons = [f"{len(ids)} {why}" for why, ids in self.left_out.items() if ids]
        if reasons:
            out.append("Left out of the magnitude statistics (still counted as raised/lowered/unchanged/undetermined): "
                       + "; ".join(reasons) + ".")
        return " ".join(out)


def rank_strategies(outcomes: list[DopingOutcome], dimensions: tuple[str, ...] = DIMENSIONS, min_count: int = 1,
                    include_across_works: bool = False, tiers: str | tuple[str, ...] | None = None) -> Ranking:
    """Aggregate outcomes per strategy; rows with a magnitude first (median log10 ratio, desc), then by dopings raised.

    >>> from nakg.analytics.outcomes import DopingOutcome
    >>> o = DopingOutcome("d1", "doping", "h", "H", "p", "P", "halide", ["F"], ["Cl"], "aliovalent", [], "experimental",
    ...                   "increased", [1], tier="stated_values", sigma_before=1e-6, sigma_after=1e-5, ratio_qualifier="exact")
    >>> ranking = rank_strategies([o], ("dopant",))
    >>> ranking[0].median_log_enhancement, ranking.footer
    (1.0, 'ranked on 1 of 1 dopings: magnitudes at tiers stated_values, stated_factor, same_work, arrhenius.')
    """
    admitted = resolve_tiers(tiers, include_across_works)
    groups: dict[tuple[str, str], StrategyStats] = {}
    used, left_out = [], defaultdict(list)
    for o in outcomes:
        counted = o.tier in admitted and o.enhancement is not None
        if counted:
            used.append(o.strategy_id)
        elif o.tier in MAGNITUDE_TIERS:
            left_out[f"at tier {o.tier} (not admitted)"].append(o.strategy_id)
        elif o.tier == "direction_only":
            left_out["with a direction only"].append(o.strategy_id)
        else:
            left_out["with nothing stated"].append(o.strategy_id)
        for dim in dimensions:
            for key in strategy_keys(o, dim):
                s = groups.setdefault((dim, key), StrategyStats(dim, key, per_tier={t: [] for t in admitted}))
                s.dopings.append(o.strategy_id)
                d = o.direction
                s.raised += d == "increased"
                s.lowered += d == "decreased"
                s.unchanged += d == "unchanged"
                s.undetermined += d == "undetermined"
                s.superionic += o.superionic
                if counted and o.has_point_magnitude:
                    s.used.append(o)
                    s.per_tier[o.tier].append(o.log_enhancement)
                elif counted and o.ratio_qualifier in ("at least", "at most"):
                    s.bounds.append(o)
    bounds_only = [i for i in used if not any(o.strategy_id == i and o.has_point_magnitude for o in outcomes)]
    if bounds_only:
        left_out["with only a bound at an admitted tier (listed as bounds)"] = bounds_only
    rows = [s for s in groups.values() if s.count >= min_count]
    rows.sort(key=lambda s: (s.median_log_enhancement is None, -(s.median_log_enhancement or 0), -len(s.used),
                             -s.raised, s.dimension, s.value))
    ranking = Ranking(rows)
    ranking.tiers, ranking.used = admitted, sorted(set(used) - set(bounds_only))
    ranking.bound_ids = sorted(bounds_only)
    ranking.left_out, ranking.total = dict(left_out), len(outcomes)
    return ranking


def ranking_changes(base: Ranking, other: Ranking) -> list[str]:
    """What admitting more tiers changed: rows whose magnitudes differ, as readable lines."""
    before = {(s.dimension, s.value): s for s in base}
    lines = []
    more = ", ".join(t for t in other.tiers if t not in base.tiers)
    added = sorted(set(other.used) - set(base.used))
    if added:
        lines.append(f"admitting {more} added the magnitudes of {len(added)} dopings: {', '.join(added)}")
    added_bounds = sorted(set(other.bound_ids) - set(base.bound_ids))
    if added_bounds:
        lines.append(f"admitting {more} added {len(added_bounds)} dopings with only a bound: {', '.join(added_bounds)}")
    for s in other:
        b = before.get((s.dimension, s.value))
        old = (b.strategies, b.median_log_enhancement, len(b.bounds)) if b else ([], None, 0)
        if (s.strategies, s.median_log_enhancement, len(s.bounds)) != old:
            was = "none" if old[1] is None else f"{old[1]:+.2f} (n={len(old[0])})"
            now = "none" if s.median_log_enhancement is None else f"{s.median_log_enhancement:+.2f} (n={len(s.used)})"
            lines.append(f"{s.dimension}={s.value}: median log10 ratio {was} → {now}, bounds {old[2]} → {len(s.bounds)}")
    if not lines:
        lines.append(f"admitting {', '.join(t for t in other.tiers if t not in base.tiers) or 'nothing more'} changed nothing")
    return lines
