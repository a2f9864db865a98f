"""nakg — the knowledge graph of inorganic sodium-ion solid-state electrolytes.

The pipeline: curated records (:mod:`nakg.records`) → RDF (:mod:`nakg.rdf`) →
SHACL validation (:mod:`nakg.validate`) → store (:mod:`nakg.store`) → queries
(:mod:`nakg.api`). :func:`build` runs it and writes the outputs; :func:`load`
gives the graph to query.
"""

from .api import KnowledgeGraph, load
from .build import BuildResult, build
from .errors import NakgError, RecordsInvalid, ValidationFailed
from .version import __version__

__all__ = ["__version__", "build", "load", "BuildResult", "KnowledgeGraph", "NakgError", "RecordsInvalid", "ValidationFailed"]
