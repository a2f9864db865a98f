"""Property-based tests: generated inputs raise only nakg's own errors, and round trips are exact."""

from __future__ import annotations

import math

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal

from nakg.errors import FormulaError, NakgError, QueryError, TemperatureError, UnitError
from nakg.formula import element_symbols, format_amount, parse_formula
from nakg.quantities import convert, parse_temperature
from nakg.records import load_records
from nakg.sparql import bind_parameters
from nakg.vocab import vocabulary

FAST = settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

SYMBOLS = sorted(element_symbols())
FORMULA_CHARS = st.sampled_from(list("NaZrSiPOClBHCx()[]·/.-+ 0123456789q"))


@FAST
@given(st.text(FORMULA_CHARS, max_size=30) | st.text(max_size=30))
def test_formula_parser_raises_only_formula_errors(text):
    try:
        amounts = parse_formula(text)
    except FormulaError:
        return
    assert amounts and all(el in SYMBOLS and n > 0 for el, n in amounts.items())


amounts = st.dictionaries(st.sampled_from(SYMBOLS), st.integers(1, 9999).map(lambda n: n / 100), min_size=1, max_size=6)


@FAST
@given(amounts)
def test_formula_round_trip(composition):
    text = "".join(f"{el}{format_amount(n) or ''}" for el, n in composition.items())
    # an amount of exactly 1 is written without a number: that is how formulas are written
    assert parse_formula(text) == pytest.approx(composition)


@FAST
@given(st.text(max_size=25))
def test_temperature_parser_raises_only_temperature_errors(text):
    try:
        t = parse_temperature(text)
    except TemperatureError:
        return
    assert t.room_temperature or t.kelvin is not None or t.min_kelvin is not None
    for k in (t.kelvin, t.min_kelvin, t.max_kelvin):
        assert k is None or (k >= 0 and math.isfinite(k))


@FAST
@given(st.integers(-273, 3000), st.sampled_from(["°C", "K"]))
def test_temperature_round_trip(value, unit):
    if unit == "K" and value < 0:
        return
    t = parse_temperature(f"{value} {unit}")
    assert t.kelvin == pytest.approx(value + 273.15 if unit == "°C" else value)
    assert t.as_written == f"{value} {unit}"


UNITS = vocabulary().units


@FAST
@given(st.floats(1e-9, 1e6), st.sampled_from(sorted(k for k, u in UNITS.items() if u.pint)),
       st.sampled_from(sorted(k for k, u in UNITS.items() if u.pint)))
def test_unit_conversion_round_trips_or_refuses(value, a, b):
    try:
        there = convert(value, a, b)
    except UnitError:
        return
    # converted values keep 12 significant digits: through an offset unit (25 °C = 298.15 K) that bounds the
    # absolute, not the relative, error of a small value
    assert convert(there, b, a) == pytest.approx(value, rel=1e-9, abs=1e-11 * max(1.0, abs(there)))


scalars = st.none() | st.booleans() | st.integers(-10, 10) | st.floats(allow_nan=True) | st.text(max_size=12)
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
                      max_leaves=12)
field_names = st.sampled_from(["id", "formula", "family", "roles", "prov", "material", "property", "value", "unit",
                               "temperature", "host", "product", "substitutions", "valence", "electrolytes", "kind",
                               "sections", "refs", "x", "series", "derived_from", "cycling"])
records = st.dictionaries(field_names, values | st.just({"sections": ["1"], "refs": [1]}), max_size=8)
documents = st.dictionaries(st.sampled_from(["materials", "measurements", "dopings", "cells", "structures", "widgets"]),
                            st.lists(records, max_size=3) | values, max_size=3)


@SLOW
@given(doc=documents)
def test_record_loader_raises_only_nakg_errors(mini_records, doc):
    (mini_records / "zz_fuzz.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    try:
        load_records(mini_records)
    except NakgError:
        pass


@FAST
@given(st.one_of(st.text(max_size=40), st.integers(), st.floats(allow_nan=False, allow_infinity=False), st.booleans()))
def test_query_parameters_cannot_change_the_query(value):
    query = "SELECT ?p WHERE { }"
    bound = bind_parameters(query, {"p": value})
    rows = list(Graph().query(bound))
    assert len(rows) == 1
    assert rows[0][0] == Literal(value)


@FAST
@given(st.text(max_size=20))
def test_parameter_names_are_validated(name):
    try:
        bind_parameters("SELECT ?p WHERE { }", {name: 1})
    except QueryError:
        return
    assert name == "p"


@pytest.mark.parametrize("value", ["\\U0000", "\\u0041", "x\\U0001F600y", "\x00abcd", "\x01\\u", "\\\\u0041"])
def test_escaped_backslash_before_u_stays_a_backslash(value):
    """rdflib expands ``\\uXXXX`` over the whole query text before parsing; a bound string holding a
    backslash before ``u``, or a control character before hex digits, must still come back as written
    from rdflib and from Oxigraph."""
    import pyoxigraph

    bound = bind_parameters("SELECT ?p WHERE { }", {"p": value})
    assert list(Graph().query(bound))[0][0] == Literal(value)
    assert list(pyoxigraph.Store().query(bound))[0]["p"].value == value
