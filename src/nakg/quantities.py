"""Quantities, units and temperatures as curators write them.

Values are converted with ``pint``; the value, unit and temperature as written are
always kept beside the converted ones.

>>> parse_temperature("25 °C").kelvin
298.15
>>> parse_temperature("r.t.").room_temperature
True
>>> convert(2.7, "mS/cm", "S/cm")
0.0027
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cache

from .errors import TemperatureError, UnitError

__all__ = ["Temperature", "Quantity", "parse_temperature", "convert", "unit_registry"]


@cache
def unit_registry():
    """The shared pint registry (created on first use: it takes a fraction of a second)."""
    import pint

    return pint.UnitRegistry()


def convert(value: float, unit_key: str, target_key: str) -> float:
    """Convert ``value`` from one record unit to another (keys as in the ontology).

    Raises :class:`~nakg.errors.UnitError` for unknown or incompatible units.
    """
    from .vocab import vocabulary

    units = vocabulary().units
    for key in (unit_key, target_key):
        if key not in units:
            raise UnitError(f"unknown unit '{key}' (known: {', '.join(sorted(units))})")
    src, dst = units[unit_key].pint, units[target_key].pint
    if not src or not dst:
        if unit_key == target_key:
            return value
        raise UnitError(f"unit '{unit_key}' cannot be converted to '{target_key}'")
    ureg = unit_registry()
    try:
        result = ureg.Quantity(value, src).to(dst).magnitude
    except Exception as exc:  # pint's DimensionalityError and friends
        raise UnitError(f"cannot convert {unit_key} to {target_key}: {exc}") from exc
    return float(f"{result:.12g}")


_NUM = r"[-+]?\d+(?:\.\d+)?"
_TEMP = re.compile(
    rf"^\s*(?P<a>{_NUM})\s*(?:(?:-|–|to)\s*(?P<b>{_NUM}))?\s*(?:±\s*(?P<pm>{_NUM}))?\s*(?P<unit>°C|K)\s*$"
)
_RT = {"r.t.", "rt", "room temperature", "ambient"}


@dataclass(frozen=True)
class Temperature:
    """A stated temperature: a value or range in kelvin, or room temperature without a number."""

    as_written: str
    kelvin: float | None = None
    min_kelvin: float | None = None
    max_kelvin: float | None = None
    room_temperature: bool = False


def _to_kelvin(value: float, unit: str) -> float:
    return round(value + 273.15, 6) if unit == "°C" else value


def parse_temperature(text: str) -> Temperature:
    """Parse ``"25 °C"``, ``"433 K"``, ``"420–450 K"``, ``"25 ± 3 °C"`` or ``"r.t."``.

    Ranges give min/max (no midpoint is invented); ``±`` gives the value with its
    bounds; a programme of three or more temperatures (``"25 °C – 0 °C – 25 °C"``)
    gives its lowest and highest. Temperatures below 0 K are rejected.

    >>> parse_temperature("420–450 K").min_kelvin
    420.0
    >>> parse_temperature("-300 °C")
    Traceback (most recent call last):
    ...
    nakg.errors.TemperatureError: temperature '-300 °C' is below absolute zero
    """
    if not isinstance(text, str):
        raise TemperatureError(f"temperature must be a string like '25 °C', got {text!r}")
    if text.strip().lower() in _RT:
        return Temperature(as_written=text.strip(), room_temperature=True)
    parts = [p for p in re.split(r"\s+[–-]\s+", text.strip())]
    if len(parts) > 2:  # a temperature programme such as "25 °C – 0 °C – 25 °C": keep its extremes
        values = [parse_temperature(p) for p in parts]
        if any(v.kelvin is None for v in values):
            raise TemperatureError(f"cannot read temperature programme '{text}'")
        kelvins = [v.kelvin for v in values]
        return Temperature(as_written=text.strip(), min_kelvin=min(kelvins), max_kelvin=max(kelvins))
    m = _TEMP.match(text)
    if not m:
        raise TemperatureError(f"cannot read temperature '{text}' (write e.g. '25 °C', '433 K', '420–450 K' or 'r.t.')")
    unit = m.group("unit")
    a = _to_kelvin(float(m.group("a")), unit)
    b = _to_kelvin(float(m.group("b")), unit) if m.group("b") else None
    pm = float(m.group("pm")) if m.group("pm") else None
    values = [v for v in (a, b) if v is not None]
    if any(v < 0 for v in values) or (pm is not None and a - pm < 0):
        raise TemperatureError(f"temperature '{text}' is below absolute zero")
    if any(not math.isfinite(v) for v in values):
        raise TemperatureError(f"temperature '{text}' is not finite")
    if b is not None:
        lo, hi = sorted((a, b))
        return Temperature(as_written=text.strip(), min_kelvin=lo, max_kelvin=hi)
    if pm is not None:
        return Temperature(as_written=text.strip(), kelvin=a, min_kelvin=round(a - pm, 6), max_kelvin=round(a + pm, 6))
    return Temperature(as_written=text.strip(), kelvin=a)


QUALIFIERS = ("exact", "approx", "lower_bound", "upper_bound", "order_of_magnitude")


@dataclass(frozen=True)
class Quantity:
    """A stated value (or range) with its unit, qualifier and uncertainty as written."""

    unit: str
    value: float | None = None
    min: float | None = None
    max: float | None = None
    qualifier: str = "exact"
    uncertainty: str | None = None

    @property
    def is_range(self) -> bool:
        return self.value is None

    def render(self) -> str:
        """The quantity as text, e.g. '> 0.0001 S/cm' or '10.1–10.8 S/m'."""
        sign = {"approx": "~", "lower_bound": "> ", "upper_bound": "< ", "order_of_magnitude": "~1e"}.get(self.qualifier, "")
        if self.is_range:
            body = f"{self.min:g}–{self.max:g}"
        elif self.qualifier == "order_of_magnitude":
            body = f"{math.log10(self.value):g}" if self.value and self.value > 0 else f"{self.value:g}"
        else:
            body = f"{self.value:g}{self.uncertainty or ''}"
        return f"{sign}{body} {self.unit}".strip()
