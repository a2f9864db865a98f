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
    from nakg.dataframes import render_table

    result = _cli("table", "measurements", "--inferred", "--format", "json")
    assert result.exit_code == 0, result.output
    expected = render_table(inferred.dataframe("measurements"), "measurements", "json")
    assert json.loads(result.output) == json.loads(expected)


def test_serve_inferred_answers_what_python_answers(inferred):
    """``nakg serve --inferred`` run as a process, asked over HTTP by a plain client."""
    import signal
    import urllib.parse
    import urllib.request

    from .conftest import nakg_server

    with nakg_server("--inferred", start=600) as (proc, port, lines):
        assert f"http://127.0.0.1:{port}/sparql" in lines[-1], lines
        url = f"http://127.0.0.1:{port}/sparql?" + urllib.parse.urlencode({"query": SUPERIONIC})
        request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
        with urllib.request.urlopen(request, timeout=60) as resp:
            served = sorted(b["m"]["value"] for b in json.loads(resp.read())["results"]["bindings"])
        assert served == sorted(r["m"] for r in inferred.query(SUPERIONIC))
        proc.send_signal(signal.SIGINT)
        assert proc.wait(30) == 0