"""The command line, run in subprocesses from an empty working directory."""

from __future__ import annotations

import json
import re
from pathlib import Path

from .conftest import run_cli


def test_build_from_an_empty_directory(tmp_path):
    result = run_cli("build", "-o", "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    for name in ("nakg.ttl", "nakg.nt", "manifest.json", "record-index.json", "validation.txt"):
        assert (tmp_path / "out" / name).is_file(), name
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert manifest["triples"] > 10000 and manifest["conforms"] is True
    lines = result.stdout.splitlines()
    # a short summary: where, one triple count (the data's), the verdict last
    assert lines[0].startswith("wrote out/: nakg.ttl, nakg.nt, ") and "validation.txt" in lines[0]
    assert f"{manifest['triples']} data triples from " in lines[1]
    assert len(re.findall(r"\d+ (?:data )?triples", result.stdout)) == 1
    assert re.fullmatch(r"SHACL: conforms, (0 warnings|\d+ warnings? \(listed above\))", lines[-1]), lines[-1]
    assert lines[3] == "full build: no earlier build in the output folder"
    assert lines[4] == "counts per class, family and property: nakg stats --graph out/nakg.nt"
    assert all(line.startswith("  Warning: ") for line in lines[5:-1])
    assert len(lines) <= 9
    assert result.stderr == ""  # progress is drawn on terminals only


def test_a_second_build_says_it_was_incremental_and_full_forces_a_full_one(tmp_path):
    first = run_cli("build", "-o", "out", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    again = run_cli("build", "-o", "out", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert "incremental rebuild: 0 record files changed" in again.stdout.splitlines()
    full = run_cli("build", "-o", "out", "--full", cwd=tmp_path)
    assert full.returncode == 0, full.stderr
    assert "full build (incremental rebuilds off)" in full.stdout.splitlines()
    for name in ("nakg.nt", "nakg.ttl", "void.ttl"):  # the release's files: the same records, the same bytes
        assert (tmp_path / "out" / name).read_bytes() == (Path(__file__).resolve().parents[1] / "graph" / name).read_bytes()


def test_build_default_output_folder_is_build(tmp_path, mini_records):
    result = run_cli("build", "--records", str(mini_records), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "build" / "nakg.nt").is_file()


def test_bad_records_exit_1_and_leave_outputs_untouched(tmp_path, mini_records):
    out = tmp_path / "out"
    assert run_cli("build", "--records", str(mini_records), "-o", str(out)).returncode == 0
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    (mini_records / "zz_bad.yaml").write_text("materials:\n  - id: bad-1\n    formula: NaQq\n    prov: {sections: ['1']}\n")
    result = run_cli("build", "--records", str(mini_records), "-o", str(out))
    assert result.returncode == 1
    assert "zz_bad.yaml:3" in result.stderr and "bad-1" in result.stderr and "'formula'" in result.stderr
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before


def test_validate_reports_shacl_violation_with_source_line(tmp_path, mini_records):
    # a conductivity of 50 S/cm passes the loader but violates the plausible range shape
    path = mini_records / "nasicon.yaml"
    path.write_text(path.read_text().replace("value: 6.7e-4", "value: 50"))
    result = run_cli("validate", "--records", str(mini_records))
    assert result.returncode == 1
    assert "Violation" in result.stderr and "nasicon.yaml:" in result.stderr and "nzsp-sigma-rt" in result.stderr
    assert "between 1e-12 and 10 S/cm" in result.stderr


def test_validate_ok_exit_0(mini_records):
    result = run_cli("validate", "--records", str(mini_records))
    assert result.returncode == 0, result.stderr
    assert "conforms" in result.stdout


def test_stats_json(mini_records):
    result = run_cli("stats", "--records", str(mini_records), "--format", "json")
    assert result.returncode == 0, result.stderr
    stats = json.loads(result.stdout)
    assert stats["classes"]["Material"] == 3
    assert stats["classes"]["Doping"] == 1
    assert stats["families"] == {"NASICON": 2}


def test_missing_records_folder_is_an_input_error(tmp_path):
    result = run_cli("validate", "--records", str(tmp_path / "nowhere"))
    assert result.returncode == 1
    assert "does not exist" in result.stderr


def test_help_and_version():
    assert run_cli("--help").returncode == 0
    assert "nakg" in run_cli("--version").stdout


def test_build_of_the_checkout_points_warnings_at_its_files(tmp_path):
    """`--records graph/` from the repository's root: warnings name graph/records/…, not an installed copy."""
    from .conftest import TESTS

    result = run_cli("build", "--records", "graph/", "-o", str(tmp_path / "out"), cwd=TESTS.parent)
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stdout.splitlines() if line.startswith("  Warning: ")]
    assert warnings, result.stdout
    assert all(line.startswith("  Warning: graph/records/") for line in warnings), warnings
    assert "site-packages" not in result.stdout
