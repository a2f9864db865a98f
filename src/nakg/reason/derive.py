"""Derived values: SPARQL CONSTRUCT rules that turn curated measurements into material properties.

OWL datatype restrictions can only classify a material by a value *on the
material*; the records state values on measurement nodes (with temperature,
qualifier and provenance). These rules compute the material-level values the
defined classes of ``ontology/nakg-defined.ttl`` need:

* ``nakg:roomTemperatureIonicConductivity`` (S/cm) — the highest ionic
  conductivity stated at room temperature (written r.t., or a temperature or
  temperature range within 293.15–303.15 K); computational values and upper
  bounds are left out, a stated range counts by its lower end;
* ``nakg:electrochemicalStabilityLimit`` (V vs Na+/Na) — the highest stated
  electrochemical window, lowered to the lowest stated oxidation potential.

Each derived value is linked by ``nakg:derivationSource`` to the measurement it
comes from (and so to its review section and references). Derived triples are
never asserted by curators; :func:`derive` returns them as a separate graph,
kept in the named graph :data:`~nakg.reason.graphs.DERIVED_GRAPH`.

>>> from rdflib import Graph
>>> g = Graph().parse(data='''
... @prefix nakg: <https://w3id.org/nakg/> .
... <urn:m> a nakg:Material .
... <urn:s> a nakg:IonicConductivity ; nakg:isMeasurementOf <urn:m> ; nakg:canonicalValue 1.4e-3 ;
...     nakg:atRoomTemperature true .
... ''', format="turtle")
>>> [float(v) for v in derive(g).objects(None, NAKG.roomTemperatureIonicConductivity)]
[0.0014]
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Graph

from ..rdf.namespaces import NAKG

__all__ = ["Rule", "RULES", "derive", "ROOM_TEMPERATURE_MIN_K", "ROOM_TEMPERATURE_MAX_K"]

#: Room temperature as the review uses it: 20–30 °C.
ROOM_TEMPERATURE_MIN_K = 293.15
ROOM_TEMPERATURE_MAX_K = 303.15
# written as xsd:double literals (``293.15e0``): a plain ``293.15`` is an xsd:decimal,
# and the double 293.15 compares below the decimal 293.15, which would drop 20 °C
_TMIN = f"{ROOM_TEMPERATURE_MIN_K}e0"
_TMAX = f"{ROOM_TEMPERATURE_MAX_K}e0"

_PREFIXES = """PREFIX nakg: <https://w3id.org/nakg/>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""

_RT_CONDUCTIVITY_PATTERN = f"""
      ?m a nakg:IonicConductivity ; nakg:isMeasurementOf ?mat .
      ?mat a nakg:Material .
      {{ ?m nakg:canonicalValue ?v }} UNION {{ ?m nakg:canonicalMin ?v }}
      {{ ?m nakg:atRoomTemperature true }}
      UNION {{ ?m nakg:temperatureK ?t FILTER(?t >= {_TMIN} && ?t <= {_TMAX}) }}
      UNION {{ ?m nakg:temperatureMinK ?tmin ; nakg:temperatureMaxK ?tmax
              FILTER(?tmin >= {_TMIN} && ?tmax <= {_TMAX}) }}
      FILTER NOT EXISTS {{ ?m nakg:basis nakg:Computational }}
      FILTER NOT EXISTS {{ ?m nakg:qualifier nakg:UpperBound }}
"""

ROOM_TEMPERATURE_CONDUCTIVITY = _PREFIXES + f"""
CONSTRUCT {{ ?mat nakg:roomTemperatureIonicConductivity ?best . ?mat nakg:derivationSource ?m }}
WHERE {{
  {{ SELECT ?mat (MAX(?v) AS ?best) WHERE {{ {_RT_CONDUCTIVITY_PATTERN} }} GROUP BY ?mat }}
  {_RT_CONDUCTIVITY_PATTERN}
  FILTER(?v = ?best)
}}
"""

_STABILITY_PATTERN = """
      ?m a ?kind ; nakg:isMeasurementOf ?mat .
      ?mat a nakg:Material .
      { ?m nakg:canonicalValue ?v } UNION { ?m nakg:canonicalMin ?v }
      FILTER NOT EXISTS { ?m nakg:basis nakg:Computational }
      FILTER NOT EXISTS { ?m nakg:qualifier nakg:UpperBound }
"""

# Each aggregate has a subquery of its own: over a group where the aggregated
# variable is unbound in some rows (as it is when one MAX/MIN spans both UNION
# branches) SPARQL 1.1 makes MAX/MIN an error, so Oxigraph and other conforming
# stores would leave a material with both kinds of value without a limit.
ELECTROCHEMICAL_STABILITY_LIMIT = _PREFIXES + f"""
CONSTRUCT {{ ?mat nakg:electrochemicalStabilityLimit ?limit . ?mat nakg:derivationSource ?m }}
WHERE {{
  {{ SELECT DISTINCT ?mat WHERE {{ {_STABILITY_PATTERN}
      FILTER(?kind IN (nakg:ElectrochemicalWindow, nakg:OxidationPotential)) }} }}
  OPTIONAL {{ SELECT ?mat (MAX(?v) AS ?win) WHERE {{ {_STABILITY_PATTERN}
      FILTER(?kind = nakg:ElectrochemicalWindow) }} GROUP BY ?mat }}
  OPTIONAL {{ SELECT ?mat (MIN(?v) AS ?ox) WHERE {{ {_STABILITY_PATTERN}
      FILTER(?kind = nakg:OxidationPotential) }} GROUP BY ?mat }}
  BIND(IF(BOUND(?win) && BOUND(?ox), IF(?ox < ?win, ?ox, ?win), COALESCE(?win, ?ox)) AS ?limit)
  {_STABILITY_PATTERN}
  FILTER(?kind IN (nakg:ElectrochemicalWindow, nakg:OxidationPotential) && ?v = ?limit)
}}
"""


@dataclass(frozen=True)
class Rule:
    """One derivation: the property it fills and its CONSTRUCT query."""

    name: str
    prop: str
    query: str


#: The derivation rules, applied in order by :func:`derive`.
RULES: tuple[Rule, ...] = (
    Rule("room-temperature-ionic-conductivity", str(NAKG.roomTemperatureIonicConductivity), ROOM_TEMPERATURE_CONDUCTIVITY),
    Rule("electrochemical-stability-limit", str(NAKG.electrochemicalStabilityLimit), ELECTROCHEMICAL_STABILITY_LIMIT),
)


def derive(graph: Graph) -> Graph:
    """Run every rule over ``graph`` (ontology + data) and return only the derived triples.

    Triples already present in ``graph`` are not repeated. ``graph`` is not changed.
    """
    out = Graph()
    out.bind("nakg", NAKG)
    for rule in RULES:
        for triple in graph.query(rule.query):
            if triple not in graph:
                out.add(triple)
    return out
