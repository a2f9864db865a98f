"""SHACL shapes tested as data: valid fixtures conform, invalid ones fail on the stated node and path.

Each fixture file states its expectation in header comments:
``# expect: conforms`` or ``# expect: violation|warning <focus IRI> <path or ->``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Graph

from nakg.validate import validate_graph

from .conftest import DATA

SHACL = DATA / "shacl"
VALID = sorted((SHACL / "valid").glob("*.ttl"))
INVALID = sorted((SHACL / "invalid").glob("*.ttl"))
EXPECT = re.compile(r"^# expect: (conforms|violation|warning)(?: (\S+) (\S+))?", re.M)


def _expectations(path: Path):
    found = EXPECT.findall(path.read_text(encoding="utf-8"))
    assert found, f"{path.name} states no expectation"
    return [(kind, focus, None if p == "-" else p) for kind, focus, p in found]


def _report(path: Path, ontology: Graph):
    data = Graph().parse(SHACL / "base.ttl", format="turtle")
    data.parse(path, format="turtle")
    return validate_graph(data, ontology)


def test_fixture_sets_are_not_empty():
    assert len(VALID) >= 2 and len(INVALID) >= 10


@pytest.mark.parametrize("path", VALID, ids=[p.stem for p in VALID])
def test_valid_fixture_conforms(path, ontology):
    report = _report(path, ontology)
    assert report.conforms, report.text()
    expected_warnings = {(f, p) for k, f, p in _expectations(path) if k == "warning"}
    assert {(r.focus, r.path) for r in report.warnings} == expected_warnings


@pytest.mark.parametrize("path", INVALID, ids=[p.stem for p in INVALID])
def test_invalid_fixture_fails_on_the_stated_node_and_path(path, ontology):
    report = _report(path, ontology)
    assert not report.conforms
    expected = {(f, p) for k, f, p in _expectations(path) if k == "violation"}
    got = {(r.focus, r.path) for r in report.violations}
    assert got == expected, report.text()
    assert all(r.message for r in report.violations)
