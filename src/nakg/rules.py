"""The reading rules every answer of nakg applies: one place, documented once.

Queries, tables, API calls, plots and the derived values of the reasoner all
read a stated value the same way:

* **Room temperature** — a value written "r.t." (or "room temperature"), a
  stated temperature within 20–30 °C (293.15–303.15 K), or a stated
  temperature range that lies entirely inside it. A value stated without a
  temperature is *not* at room temperature: it has no temperature.
* **Representative value** — the single number that stands for a stated
  value: the value itself; for a stated range its **lower end** (every value
  the review states reaches it, so a threshold or a ranking never overclaims);
  for a bound the bound (the qualifier says which side); for an approximate
  value the value. The range's ends are always kept beside it (``min``/``max``).
* **Qualifiers** — ``exact``, ``approx``, ``lower_bound`` ("more than",
  "over", "≥"), ``upper_bound`` ("less than", "<"), ``order_of_magnitude``
  ("~1e-4") and ``range`` (a stated min–max). Rankings and thresholds of
  conductivity skip upper bounds (a "< 1e-8 S/cm" is no evidence of reaching
  anything).
* **Families** — a family filter includes its subfamilies; "best per family"
  is reported at the top-level family by default.

SPARQL cannot import Python, so the query files repeat these rules with the
constants below (:data:`ROOM_TEMPERATURE_FILTER_SPARQL` shows the pattern);
``tests/test_rules.py`` checks that the answers of queries, tables, API and
plots agree.

>>> is_room_temperature(written="r.t.")
True
>>> is_room_temperature(kelvin=298.15), is_room_temperature(kelvin=573.15)
(True, False)
>>> is_room_temperature(min_kelvin=293.15, max_kelvin=313.15)
False
>>> representative(None, 8e-4, 3.4e-3)
0.0008
"""

from __future__ import annotations

__all__ = [
    "ROOM_TEMPERATURE_MIN_K",
    "ROOM_TEMPERATURE_MAX_K",
    "ROOM_TEMPERATURE_K",
    "RANGE_REPRESENTATIVE",
    "QUALIFIERS",
    "ROOM_TEMPERATURE_FILTER_SPARQL",
    "is_room_temperature",
    "representative",
]

#: Room temperature as the review uses it: 20–30 °C, in kelvin.
ROOM_TEMPERATURE_MIN_K = 293.15
ROOM_TEMPERATURE_MAX_K = 303.15
#: Where a value stated at "r.t." is placed when a number is needed (a plot, an Arrhenius fit): 25 °C.
ROOM_TEMPERATURE_K = 298.15
#: Which end of a stated range stands for it.
RANGE_REPRESENTATIVE = "min"
#: The qualifiers a stated value can carry.
QUALIFIERS = ("exact", "approx", "lower_bound", "upper_bound", "order_of_magnitude", "range")

#: The room-temperature test as a SPARQL group pattern on a measurement ``?m``
#: (doubles written ``293.15e0``: a plain ``293.15`` is an xsd:decimal, and the
#: double 293.15 compares below the decimal 293.15, which would drop 20 °C).
ROOM_TEMPERATURE_FILTER_SPARQL = (
    "{ ?m nakg:atRoomTemperature true } "
    f"UNION {{ ?m nakg:temperatureK ?t FILTER(?t >= {ROOM_TEMPERATURE_MIN_K}e0 && ?t <= {ROOM_TEMPERATURE_MAX_K}e0) }} "
    "UNION { ?m nakg:temperatureMinK ?tmin ; nakg:temperatureMaxK ?tmax "
    f"FILTER(?tmin >= {ROOM_TEMPERATURE_MIN_K}e0 && ?tmax <= {ROOM_TEMPERATURE_MAX_K}e0) }}"
)

_EPS = 1e-6


def is_room_temperature(*, written: str | None = None, flagged: bool = False, kelvin: float | None = None,
                        min_kelvin: float | None = None, max_kelvin: float | None = None) -> bool:
    """Whether a stated temperature is room temperature under the rule above.

    ``flagged`` is the graph's ``nakg:atRoomTemperature`` (a value written r.t.).
    """
    if flagged or (written is not None and written.strip().lower() in ("r.t.", "rt", "room temperature", "ambient")):
        return True
    if kelvin is not None:
        return ROOM_TEMPERATURE_MIN_K - _EPS <= kelvin <= ROOM_TEMPERATURE_MAX_K + _EPS
    if min_kelvin is not None and max_kelvin is not None:
        return ROOM_TEMPERATURE_MIN_K - _EPS <= min_kelvin and max_kelvin <= ROOM_TEMPERATURE_MAX_K + _EPS
    return False


def representative(value: float | None, minimum: float | None = None, maximum: float | None = None) -> float | None:
    """The number that stands for a stated value or range (see the module's rule)."""
    if value is not None:
        return value
    if minimum is not None:
        return minimum
    return maximum
