"""Unit conversion and temperature parsing against hand-computed values."""

import pytest

from nakg.errors import TemperatureError, UnitError
from nakg.quantities import Quantity, convert, parse_temperature


@pytest.mark.parametrize(
    ("value", "unit", "target", "expected"),
    [
        (2.7, "mS/cm", "S/cm", 2.7e-3),
        (10.1, "S/m", "S/cm", 0.101),  # 1 S/m = 0.01 S/cm
        (0.52, "mS/cm", "S/cm", 5.2e-4),
        (300, "°C", "K", 573.15),
        (1088, "°C", "K", 1361.15),
        (500, "nm", "μm", 0.5),
        (22.45, "Å", "nm", 2.245),
        (23, "GPa", "MPa", 23000),
    ],
)
def test_convert(value, unit, target, expected):
    assert convert(value, unit, target) == pytest.approx(expected)


@pytest.mark.parametrize(("unit", "target"), [("eV", "S/cm"), ("S/cm", "mAh/g"), ("furlong", "S/cm")])
def test_convert_rejects(unit, target):
    with pytest.raises(UnitError):
        convert(1.0, unit, target)


@pytest.mark.parametrize(
    ("text", "kelvin", "lo", "hi", "rt"),
    [
        ("25 °C", 298.15, None, None, False),
        ("433 K", 433.0, None, None, False),
        ("420–450 K", None, 420.0, 450.0, False),
        ("540-573 K", None, 540.0, 573.0, False),
        ("25 ± 3 °C", 298.15, 295.15, 301.15, False),
        ("r.t.", None, None, None, True),
    ],
)
def test_parse_temperature(text, kelvin, lo, hi, rt):
    t = parse_temperature(text)
    assert (t.kelvin, t.min_kelvin, t.max_kelvin, t.room_temperature) == (
        pytest.approx(kelvin) if kelvin else None, lo and pytest.approx(lo), hi and pytest.approx(hi), rt)
    assert t.as_written == text


@pytest.mark.parametrize("text", ["hot", "25", "-300 °C", "-5 K", "25 F"])
def test_parse_temperature_rejects(text):
    with pytest.raises(TemperatureError):
        parse_temperature(text)


def test_quantity_render_keeps_qualifier():
    assert Quantity(unit="S/cm", value=1e-4, qualifier="lower_bound").render() == "> 0.0001 S/cm"
    assert Quantity(unit="S/m", min=10.1, max=10.8).render() == "10.1–10.8 S/m"
    assert Quantity(unit="Å", value=13.6148, uncertainty="(3)").render() == "13.6148(3) Å"
