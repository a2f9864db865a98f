"""A small fixture's graph compared by isomorphism with a golden file.

Regenerate with ``NAKG_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py``.
"""

from __future__ import annotations

import os

from rdflib import Graph
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from nakg.build import compile_records

from .conftest import DATA

GOLDEN = DATA / "golden" / "mini.ttl"


def test_mini_records_match_golden_graph(mini_records):
    _, graph, _ = compile_records(mini_records)
    if os.environ.get("NAKG_UPDATE_GOLDEN"):
        graph.serialize(GOLDEN, format="turtle")
    golden = Graph().parse(GOLDEN, format="turtle")
    if not isomorphic(graph, golden):
        _, only_built, only_golden = graph_diff(to_isomorphic(graph), to_isomorphic(golden))
        raise AssertionError(
            "graph differs from golden file:\n+ " + "\n+ ".join(sorted(map(str, only_built))[:20])
            + "\n- " + "\n- ".join(sorted(map(str, only_golden))[:20])
        )


def test_rebuild_is_isomorphic_and_deterministic(mini_records):
    _, first, _ = compile_records(mini_records)
    _, second, _ = compile_records(mini_records)
    assert isomorphic(first, second)
    assert sorted(first.serialize(format="nt").splitlines()) == sorted(second.serialize(format="nt").splitlines())
