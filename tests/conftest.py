"""Shared fixtures: the shipped graph built once per session, data folders, helpers.

The review text is not part of the repository. Tests that need it take the
``review`` fixture, which finds it through ``$NAKG_REVIEW`` (default:
``../shared/source/na-ion-sse-review.md`` beside the checkout); when it is absent
they are skipped with that reason, except under ``CI=true``, where its absence fails.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import NoReturn

import pytest

TESTS = Path(__file__).resolve().parent
DATA = TESTS / "data"
REPO = TESTS.parent
#: The environment variable naming the review text, and its default (relative to the repository).
REVIEW_VARIABLE = "NAKG_REVIEW"
REVIEW_DEFAULT = "../shared/source/na-ion-sse-review.md"


def review_path() -> Path:
    """Where the review text is expected: ``$NAKG_REVIEW``, else :data:`REVIEW_DEFAULT` beside the repository."""
    given = os.environ.get(REVIEW_VARIABLE)
    path = Path(given).expanduser() if given else REPO / REVIEW_DEFAULT
    return path.resolve()


def unavailable(reason: str) -> NoReturn:
    """Skip a test whose tool or input is not here, naming it; under CI=true (where .ci/run installs it) fail."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def review() -> Path:
    """The review text; skipped when absent (set $NAKG_REVIEW), a failure under CI=true."""
    path = review_path()
    if not path.is_file():
        unavailable(f"review text not found at {path} (set ${REVIEW_VARIABLE} to the path of "
                    f"na-ion-sse-review.md; default {REVIEW_DEFAULT} relative to the repository)")
    return path


def free_port() -> int:
    """A loopback TCP port nothing listens on at the moment of asking."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def nakg_server(*args: str, command: list[str] | None = None, env: dict | None = None, start: float = 60):
    """``nakg serve ARGS`` on a free loopback port (``command``: another way to start it, e.g. ``python -c``), its
    standard error read until it says it serves; yields ``(process, port, lines read)``; killed if still running
    at the end."""
    port = free_port()
    proc = subprocess.Popen([*(command or [sys.executable, "-m", "nakg", "serve"]), "--port", str(port), "--quiet",
                             "--workers", "1", *args], stderr=subprocess.PIPE, text=True,
                            env=dict(os.environ, PYTHONIOENCODING="utf-8") | (env or {}))
    try:
        lines: list[str] = []
        deadline = time.monotonic() + start
        while time.monotonic() < deadline:
            line = proc.stderr.readline()
            lines.append(line)
            if "serving" in line or not line:
                break
        yield proc, port, lines
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


@pytest.fixture
def remote_trap():
    """A loopback SPARQL URL nothing answers on; ``remote_trap.untouched()`` asserts no one connected to it."""
    import socket

    class Trap:
        def __init__(self):
            self.listener = socket.socket()
            self.listener.bind(("127.0.0.1", 0))
            self.listener.listen(1)
            self.listener.settimeout(0.3)
            self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}/sparql"

        def untouched(self) -> None:
            with pytest.raises(socket.timeout):
                self.listener.accept()

    trap = Trap()
    yield trap
    trap.listener.close()


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """The shipped records built, validated and written once for the whole session."""
    import nakg

    out = tmp_path_factory.mktemp("build")
    return nakg.build(out_dir=out)


@pytest.fixture(scope="session")
def kg(built):
    """The built graph with the ontology on the default store."""
    import nakg

    return nakg.load(built.outputs["nt"])


@pytest.fixture(scope="session")
def ontology():
    from rdflib import Graph

    from nakg.resources import ontology_path

    return Graph().parse(ontology_path(), format="turtle")


@pytest.fixture
def mini_records(tmp_path) -> Path:
    """A writable copy of the small fixture record set."""
    dst = tmp_path / "records"
    shutil.copytree(DATA / "records" / "mini", dst)
    return dst


def mini_records_naming_nzsp_sc(root: Path, name: str) -> Path:
    """A copy of the mini fixture records under ``root`` in which the material ``nzsp-sc`` is named ``name``."""
    records = root / "records"
    shutil.copytree(DATA / "records" / "mini", records)
    yaml_file = records / "nasicon.yaml"
    text = yaml_file.read_text(encoding="utf-8")
    anchor = "  - id: nzsp-sc\n    formula: Na3.2Sc0.2Zr1.8Si2PO12\n"
    assert anchor in text
    yaml_file.write_text(text.replace(anchor, anchor + "    name: '" + name.replace("'", "''") + "'\n"), encoding="utf-8")
    return records


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run ``python -m nakg`` in a subprocess and capture its output."""
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    return subprocess.run([sys.executable, "-m", "nakg", *args], cwd=cwd, capture_output=True, text=True, env=env, timeout=300)
