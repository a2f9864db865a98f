"""Shipped data resolves outside the source tree, as it does in an installed wheel."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import nakg
from nakg.resources import data_dir

ROOT = Path(__file__).resolve().parents[1]


def test_wheel_config_ships_every_data_folder():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    force = config["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]
    assert force == {"ontology": "nakg/_data/ontology", "graph": "nakg/_data/graph", "queries": "nakg/_data/queries"}
    assert config["project"]["scripts"]["nakg"] == "nakg.cli:main"


def test_data_resolves_in_a_wheel_layout(tmp_path):
    """Lay out the package as a wheel does (nakg/ + nakg/_data/...) and use it from elsewhere."""
    site = tmp_path / "site"
    shutil.copytree(Path(nakg.__file__).parent, site / "nakg", ignore=shutil.ignore_patterns("_data", "__pycache__"))
    for name in ("ontology", "graph", "queries"):
        shutil.copytree(data_dir(name), site / "nakg" / "_data" / name)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    code = (
        "import nakg.resources as r; from nakg.records import load_records;"
        "print(r.ontology_path()); print(r.records_dir()); print(len(load_records(r.records_dir()).by_id))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=elsewhere, capture_output=True, text=True,
                         env={"PYTHONPATH": str(site), "PATH": ""}, timeout=120)
    assert out.returncode == 0, out.stderr
    onto, records, count = out.stdout.split()
    assert onto.startswith(str(site / "nakg" / "_data"))
    assert records.startswith(str(site / "nakg" / "_data"))
    assert int(count) > 500
