"""Errors of the reasoning stage (subclasses of :class:`nakg.errors.NakgError`)."""

from __future__ import annotations

from ..errors import NakgError

__all__ = ["ReasonerError", "ReasonerUnavailable", "InconsistentGraph"]


class ReasonerError(NakgError):
    """The reasoner failed on its input (a crash or an unreadable output), with its message."""


class ReasonerUnavailable(ReasonerError):
    """The requested reasoner cannot run here (e.g. HermiT without Java)."""


class InconsistentGraph(NakgError):
    """The graph is logically inconsistent; ``culprits`` name the individuals and classes involved."""

    def __init__(self, culprits, reasoner: str = "hermit"):
        self.culprits = list(culprits)
        self.reasoner = reasoner
        lines = "\n".join(f"  - {c}" for c in self.culprits) or "  (no culprit isolated)"
        super().__init__(f"the graph is inconsistent under {reasoner}:\n{lines}")
