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

from .errors import TemperatureError, UnitError, shown

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
    if src == dst:  # pint returns the magnitude itself for identical units
        return float(f"{value:.12g}")
    memo = _conversions()
    pair = f"{src} -> {dst}"
    factor = memo["factors"].get(pair)
    if factor is not None and isinstance(value, (int, float)):
        return float(f"{value * factor:.12g}")  # exactly pint's multiplicative conversion: value * factor
    known = memo["values"].get(f"{pair} | {value!r}")
    if known is not None:
        return known
    ureg = unit_registry()
    try:
        result = ureg.Quantity(value, src).to(dst).magnitude
        zero = ureg.Quantity(0.0, src).to(dst).magnitude
        one = ureg.Quantity(1.0, src).to(dst).magnitude
    except Exception as exc:  # pint's DimensionalityError and friends
        raise UnitError(f"cannot convert {unit_key} to {target_key}: {exc}") from exc
    rounded = float(f"{result:.12g}")
    if zero == 0.0 and isinstance(value, (int, float)) and result == value * one:
        memo["factors"][pair] = one  # multiplicative: pint computes value * factor
    elif len(memo["values"]) < _MEMO_LIMIT:
        memo["values"][f"{pair} | {value!r}"] = rounded  # offset units (°C → K): remember the value itself
    _remember(memo)
    return rounded


#: At most this many single conversions (offset units) are remembered between runs.
_MEMO_LIMIT = 20000
_MEMO_FILE = "unit-conversions.json"


@cache
def _conversions() -> dict:
    """Conversion factors (and offset conversions) pint computed before, kept in the user cache.

    pint takes a good fraction of a second to import and set up; with the factors
    known from an earlier run it is not needed at all. Entries are keyed by pint's
    version and are exactly what pint returned.
    """
    import json
    from importlib.metadata import PackageNotFoundError, version

    try:
        pint_version = version("pint")
    except PackageNotFoundError:  # pragma: no cover
        pint_version = "?"
    memo = {"pint": pint_version, "factors": {}, "values": {}, "dirty": False}
    try:
        from .cache import cache_dir

        stored = json.loads((cache_dir() / _MEMO_FILE).read_text(encoding="utf-8"))
        if stored.get("pint") == pint_version:
            memo["factors"] = {k: float(v) for k, v in stored.get("factors", {}).items()}
            memo["values"] = {k: float(v) for k, v in stored.get("values", {}).items()}
    except (OSError, ValueError, AttributeError):
        pass
    return memo


def _remember(memo: dict) -> None:
    """Save new conversions when the process ends (once, whatever their number)."""
    if not memo["dirty"]:
        memo["dirty"] = True
        import atexit

        atexit.register(_save_conversions, memo)


def _save_conversions(memo: dict) -> None:
    import json

    try:
        from .cache import cache_dir
        from .io import atomic_write_text

        data = {k: memo[k] for k in ("pint", "factors", "values")}
        atomic_write_text(cache_dir() / _MEMO_FILE, json.dumps(data, indent=0, sort_keys=True))
    except OSError:  # pragma: no cover - a read-only cache folder: nothing is remembered
        pass


_NUM = r"[-+]?[0-9]+(?:\.[0-9]+)?"  # ASCII digits only, as in formulas (\d would take full-width and other digits)
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
        raise TemperatureError(f"temperature must be a string like '25 °C', got {shown(text)}")
    if text.strip().lower() in _RT:
        return Temperature(as_written=text.strip(), room_temperature=True)
    parts = [p for p in re.split(r"\s+[–-]\s+", text.strip())]
    if len(parts) > 2:  # a temperature programme such as "25 °C – 0 °C – 25 °C": keep its extremes
        values = [parse_temperature(p) for p in parts]
        if any(v.kelvin is None for v in values):
            raise TemperatureError(f"cannot read temperature programme {shown(text)}")
        kelvins = [v.kelvin for v in values]
        return Temperature(as_written=text.strip(), min_kelvin=min(kelvins), max_kelvin=max(kelvins))
    m = _TEMP.match(text)
    if not m:
        raise TemperatureError(f"cannot read temperature {shown(text)} (write e.g. '25 °C', '433 K', '420–450 K' or 'r.t.')")
    unit = m.group("unit")
    a = _to_kelvin(float(m.group("a")), unit)
    b = _to_kelvin(float(m.group("b")), unit) if m.group("b") else None
    pm = float(m.group("pm")) if m.group("pm") else None
    values = [v for v in (a, b) if v is not None]
    if pm is not None and pm < 0:
        raise TemperatureError(f"temperature {shown(text)} has a negative uncertainty (its minimum would exceed its maximum)")
    if any(v < 0 for v in values) or (pm is not None and a - pm < 0):
        raise TemperatureError(f"temperature {shown(text)} is below absolute zero")
    if any(not math.isfinite(v) for v in values):
        raise TemperatureError(f"temperature {shown(text)} is not finite")
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
        if self.unit == "1":  # a stated ratio ("16 times", "three orders of magnitude")
            return f"×{sign}{body}".replace("× ", "×")
        return f"{sign}{body} {self.unit}".strip()
