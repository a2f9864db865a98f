"""Doping → conductivity analytics: Arrhenius normalisation, doping outcomes with evidence tiers, strategy
rankings, the strategy graph (networkx), lineage paths, suggestions and plots."""

from .arrhenius import arrhenius_estimate, rt_estimates
from .outcomes import TIERS, TRUSTED_TIERS, DopingOutcome, doping_outcomes, outcome_rows
from .ranking import Ranking, StrategyStats, rank_strategies
from .summary import DopingSummary, doping_summary

__all__ = ["arrhenius_estimate", "rt_estimates", "TIERS", "TRUSTED_TIERS", "DopingOutcome", "doping_outcomes",
           "outcome_rows", "Ranking", "StrategyStats", "rank_strategies", "DopingSummary", "doping_summary",
           "strategy_graph"]


def strategy_graph(kg):
    """The strategy graph of a knowledge graph (see :func:`nakg.analytics.network.strategy_graph`)."""
    from .network import strategy_graph as build

    return build(doping_outcomes(kg))
