"""One call for the doping answer: outcomes, ranking with its footer, what weaker tiers change, and the
strategy-graph analyses — shared by ``nakg doping``, ``nakg report doping`` and the API.

>>> import nakg
>>> s = doping_summary(nakg.load())
>>> len(s.outcomes) == len(s.outcome_rows) and s.ranking_footer.startswith("ranked on")
True
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .outcomes import TIERS, DopingOutcome, doping_outcomes, outcome_rows
from .ranking import DIMENSIONS, Ranking, rank_strategies, ranking_changes, resolve_tiers

if TYPE_CHECKING:  # pragma: no cover
    from ..core import GraphCore as KnowledgeGraph

__all__ = ["DopingSummary", "doping_summary", "family_members"]


def family_members(kg: KnowledgeGraph, family: str) -> tuple[str, set[str]]:
    """The family key a user's text names (key, label or IRI; see :func:`nakg.resolve.family`) and the keys of it
    and its subfamilies; :class:`nakg.errors.UnknownValue` names the closest families when none matches."""
    from ..resolve import family as resolve_family
    from ..resolve import family_keys

    key = resolve_family(family).key
    return key, family_keys(key)


@dataclass
class DopingSummary:
    """Outcomes, ranking and strategy-graph analyses of the dopings (optionally of one family)."""

    outcomes: list[DopingOutcome]
    ranking: Ranking
    baseline: Ranking  # the ranking at the trusted tiers, to say what admitting more changed
    family: str | None = None
    network: dict[str, list[dict]] = field(default_factory=dict)

    @property
    def outcome_rows(self) -> list[dict]:
        return outcome_rows(self.outcomes)

    @property
    def tier_counts(self) -> dict[str, int]:
        c = Counter(o.tier for o in self.outcomes)
        return {t.key: c.get(t.key, 0) for t in TIERS}

    @property
    def outcomes_footer(self) -> str:
        both = sum(1 for o in self.outcomes if o.sigma_before is not None and o.sigma_after is not None)
        parts = ", ".join(f"{k} {v}" for k, v in self.tier_counts.items() if v)
        directions = Counter(o.direction for o in self.outcomes)
        return (f"{len(self.outcomes)} dopings and additives{f' of {self.family}' if self.family else ''}: {parts}. "
                f"{both} have a conductivity on both sides; directions: "
                + ", ".join(f"{k} {v}" for k, v in sorted(directions.items()))
                + ". Every ratio is computed by nakg (ratio_derived) except a factor the review states.")

    @property
    def changes(self) -> list[str]:
        if tuple(self.ranking.tiers) == tuple(self.baseline.tiers):
            return []
        return ranking_changes(self.baseline, self.ranking)

    @property
    def ranking_footer(self) -> str:
        lines = [self.ranking.footer]
        lines += self.changes
        return "\n".join(lines)


def doping_summary(kg: KnowledgeGraph, family: str | None = None, tiers: str | tuple[str, ...] | None = None,
                   include_across_works: bool = False, dimensions: tuple[str, ...] | None = None) -> DopingSummary:
    """Everything ``nakg doping`` and the doping report show, for all dopings or one family (subfamilies included)."""
    from .network import centrality_rows, mechanisms_by_family, recurring_dopant_sites

    outcomes = doping_outcomes(kg)
    key = None
    if family is not None:
        key, members = family_members(kg, family)
        outcomes = [o for o in outcomes if o.family in members or o.top_family in members]
    admitted = resolve_tiers(tiers, include_across_works)
    dims = dimensions or DIMENSIONS
    ranking = rank_strategies(outcomes, dims, tiers=admitted)
    baseline = rank_strategies(outcomes, dims)
    network = {
        "mechanisms_by_family": mechanisms_by_family(outcomes, admitted),
        "recurring_dopant_sites": recurring_dopant_sites(outcomes),
        "centrality": centrality_rows(outcomes),
    }
    return DopingSummary(outcomes, ranking, baseline, key, network)
