"""The synthetic corpus: deterministic for a seed, in the record format, and it builds and validates cleanly."""

from __future__ import annotations

import pytest

import nakg
from nakg.synth import distributions, generate


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    out = tmp_path_factory.mktemp("synth")
    stats = generate(12, seed=7, out_dir=out)
    return out, stats


def test_same_seed_same_corpus_other_seed_differs(corpus, tmp_path):
    out, stats = corpus
    again = generate(12, seed=7, out_dir=tmp_path / "again")
    other = generate(12, seed=8, out_dir=tmp_path / "other")
    files = sorted(p.name for p in out.glob("*.yaml"))
    assert len(files) == stats["files"] == again["files"] == 3
    assert all((out / f).read_bytes() == (tmp_path / "again" / f).read_bytes() for f in files)
    assert (out / files[-1]).read_bytes() != (tmp_path / "other" / files[-1]).read_bytes()
    assert other["papers"] == 12


def test_corpus_builds_and_validates_cleanly(corpus, tmp_path):
    out, stats = corpus
    result = nakg.build(out, tmp_path / "build")
    assert result.report.conforms and not result.report.warnings, result.report.text()
    assert result.records.count()["references"] == 12
    assert sum(result.records.count().values()) - 12 == sum(stats["records"].values())
    assert result.triples > 12 * 200  # a paper gives a few hundred triples


def test_corpus_has_lineages_arrhenius_series_and_every_kind(corpus):
    from nakg.records import load_records

    out, _ = corpus
    rs = load_records(out)
    assert all(rs.records[kind] for kind in ("materials", "measurements", "dopings", "syntheses", "cells"))
    derived = [m for m in rs.records["materials"] if m.get("derived_from")]
    assert len(derived) >= 12
    by_material: dict[str, list] = {}
    for m in rs.records["measurements"]:
        if m.get("property") == "ionic_conductivity" and m.get("temperature") and m.get("temperature").kelvin:
            by_material.setdefault(m.id.rsplit("-sigma-", 1)[0], []).append(m)  # one series per paper and material
    series = [ms for ms in by_material.values() if len(ms) >= 2]
    assert series
    for ms in series:  # conductivity rises with temperature, as an Arrhenius law with a positive Ea says
        ordered = sorted(ms, key=lambda m: m.get("temperature").kelvin)
        values = [m.get("quantity").value * (1e-3 if m.get("quantity").unit == "mS/cm" else 1) for m in ordered]
        assert values == sorted(values)


def test_distributions_come_from_the_shipped_records():
    d = distributions()
    assert "nasicon" in d.families and d.families["nasicon"] >= 5
    assert d.bases["nasicon"] and all("Na" in b["composition"] for b in d.bases["nasicon"])
    sigma = [v for values in d.log_sigma.values() for v in values]
    assert len(sigma) >= 10 and all(-12 < v < 1 for v in sigma)
    assert d.cycles and d.capacities and d.journals


def test_papers_must_be_positive(tmp_path):
    with pytest.raises(ValueError):
        generate(0, out_dir=tmp_path)


def test_cli_command(tmp_path):
    from click.testing import CliRunner

    from nakg.commands.synth import synth

    result = CliRunner().invoke(synth, ["--papers", "2", "--seed", "3", "-o", str(tmp_path / "c")])
    assert result.exit_code == 0, result.output
    assert "2 synthetic papers (seed 3)" in result.output
    assert len(list((tmp_path / "c").glob("*.yaml"))) == 3
