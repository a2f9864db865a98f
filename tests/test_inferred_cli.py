"""``--inferred`` on ``nakg query``, ``table`` and ``show`` gives the answers of ``nakg.load(inferred=True)``."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

SUPERIONIC = "PREFIX nakg: <https://w3id.org/nakg/>\nSELECT ?m WHERE { ?m a nakg:SuperionicConductor }\n"


@pytest.fixture(scope="module")
def inferred():
    import nakg

    return nakg.load(inferred=True)


def _cli(*args):
    from nakg.cli import main

    return CliRunner().invoke(main, list(args))


def test_query_inferred_gives_the_python_answer(inferred, tmp_path):
    query = tmp_path / "superionic.rq"
    query.write_text(SUPERIONIC, encoding="utf-8")
    expected = sorted(r["m"] for r in inferred.query(SUPERIONIC))
    result = _cli("query", str(query), "--inferred", "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = sorted(r["m"] for r in csv.DictReader(io.StringIO(result.output)))
    assert rows == expected
    plain = _cli("query", str(query), "--format", "csv")
    assert plain.exit_code == 0 and plain.output.strip() == "m"  # the asserted graph has no defined classes
    if inferred.reasoning.reasoner == "hermit":  # owlrl cannot infer classes defined by a numeric threshold
        assert len(rows) == 15


def test_show_inferred_lists_the_inferred_classes(inferred):
    result = _cli("show", "NZSP", "--inferred", "--format", "json")
    assert result.exit_code == 0, result.output
    card = json.loads(result.output)
    assert card["inferred"] is True
    assert set(card["classes"]) == set(inferred.material("NZSP")["classes"])
    assert set(card["classes"]) >= set(json.loads(_cli("show", "NZSP", "--format", "json").output)["classes"])


def test_table_inferred_runs_on_the_inferred_graph(inferred):
    from nakg.tables import render, table

    result = _cli("table", "measurements", "--inferred", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == json.loads(render(table(inferred, "measurements"), "json"))
