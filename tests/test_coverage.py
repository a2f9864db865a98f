"""Coverage check: every quantitative statement of the review has a matching fact."""

from __future__ import annotations

import pytest

from nakg.coverage import check_coverage, load_exclusions, scan_text
from nakg.errors import NakgError
from nakg.resources import data_dir

from .conftest import run_cli

EXCLUSIONS = data_dir("graph") / "coverage-exclusions.yaml"


def test_scanner_reads_latex_html_and_plain_numbers():
    text = "\n".join([
        "## 2.2.2. Nasicon",
        "ionic conductivity of  $6.7 \\times 10^{-4}$  S/cm at r.t. and 0.2 S/cm at 300 °C",
        "surpassing 10<sup>-4</sup>S/cm at room temperature, 2.7 mS/cm, 10.1–10.8 S/m",
        "activation energy of 0.55 eV; 100 mAh/g after 50 cycles; retention of 99.7% after 10,000 cycles",
    ])
    got = {(s.line, s.section, s.kind, round(s.value, 10)) for s in scan_text(text)}
    assert got == {
        (2, "2.2.2", "conductivity", 6.7e-4), (2, "2.2.2", "conductivity", 0.2),
        (3, "2.2.2", "conductivity", 1e-4), (3, "2.2.2", "conductivity", 2.7e-3),
        (3, "2.2.2", "conductivity", 0.101), (3, "2.2.2", "conductivity", 0.108),
        (4, "2.2.2", "activation_energy", 0.55), (4, "2.2.2", "capacity", 100.0), (4, "2.2.2", "cycles", 50.0),
        (4, "2.2.2", "percent", 99.7), (4, "2.2.2", "cycles", 10000.0),
    }


def test_review_has_no_unmatched_statement(kg, review):
    report = check_coverage(kg, review.read_text(encoding="utf-8"), load_exclusions(EXCLUSIONS))
    assert len(report.statements) > 120
    assert report.missing == [], report.text()
    assert len(report.excluded) == len(load_exclusions(EXCLUSIONS)), "an exclusion no longer matches a statement"


def test_unmatched_statement_is_listed_with_its_line(kg):
    report = check_coverage(kg, "## 4.1. X\nfoo\nNa9Q reaches 3.3 × 10^-2 S/cm and 0.77 eV\n", [])
    assert sorted((s.line, s.kind) for s in report.missing) == [(3, "activation_energy"), (3, "conductivity")]


def test_exclusion_needs_a_reason(tmp_path):
    bad = tmp_path / "x.yaml"
    bad.write_text("exclusions:\n  - {line: 1, kind: percent, value: 5, reason: ''}\n")
    with pytest.raises(NakgError, match="needs a reason"):
        load_exclusions(bad)


def test_cli_coverage_of_the_review(review):
    result = run_cli("coverage", str(review))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 with no matching fact" in result.stdout


def test_cli_coverage_and_table(tmp_path):
    text = tmp_path / "paper.md"
    text.write_text("## 1. Intro\nNaZz reaches 9.9 mS/cm\n")
    result = run_cli("coverage", str(text))
    assert result.returncode == 1 and "line 2" in result.stdout
    out = tmp_path / "cells.csv"
    result = run_cli("table", "cells", "--format", "csv", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert f"wrote {out} (cells: " in result.stderr and " rows" in result.stderr
    assert out.read_text().startswith("cell_id,")
