"""Doping → conductivity analytics: Arrhenius normalisation, doping outcomes, strategy rankings,
lineage paths and link-prediction suggestions (networkx)."""

from .arrhenius import arrhenius_estimate, rt_estimates
from .outcomes import DopingOutcome, doping_outcomes
from .ranking import StrategyStats, rank_strategies

__all__ = ["arrhenius_estimate", "rt_estimates", "DopingOutcome", "doping_outcomes", "StrategyStats", "rank_strategies"]
