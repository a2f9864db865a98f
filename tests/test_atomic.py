"""Outputs are written atomically: a build killed while writing leaves every output file whole."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys

from rdflib import Graph

from nakg.io import atomic_write_text


def test_atomic_write_keeps_old_file_on_error(tmp_path):
    target = tmp_path / "out.txt"
    target.write_text("old")

    class Boom(Exception):
        pass

    try:
        from nakg.io import atomic_write

        with atomic_write(target) as fh:
            fh.write("half")
            raise Boom
    except Boom:
        pass
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]  # temporary file removed
    atomic_write_text(target, "new")
    assert target.read_text() == "new"


def test_build_killed_while_writing_leaves_whole_files(tmp_path, mini_records):
    out = tmp_path / "out"
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    first = subprocess.run([sys.executable, "-m", "nakg", "build", "--records", str(mini_records), "-o", str(out)],
                           capture_output=True, text=True, env=env, timeout=300)
    assert first.returncode == 0, first.stderr
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    # change the records, start a rebuild and kill it the moment it starts writing
    path = mini_records / "nasicon.yaml"
    path.write_text(path.read_text().replace("value: 6.7e-4", "value: 6.8e-4"))
    # the build's stage callback says when writing starts (the CLI draws it as a progress bar on terminals only)
    script = ("import sys; from nakg.build import build; "
              "build(sys.argv[1], sys.argv[2], progress=lambda stage: print(stage, file=sys.stderr, flush=True))")
    proc = subprocess.Popen([sys.executable, "-c", script, str(mini_records), str(out)],
                            stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, env=env)
    for line in proc.stderr:
        if "write outputs" in line:
            proc.send_signal(signal.SIGKILL)
            break
    proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    for name, old in before.items():
        data = (out / name).read_bytes()
        if data == old:
            continue
        # a file that changed must be complete: parseable and consistent
        if name.endswith(".ttl"):
            assert len(Graph().parse(data=data, format="turtle")) > 50
        elif name.endswith(".nt"):
            assert len(Graph().parse(data=data, format="nt")) > 50
        elif name.endswith(".json"):
            json.loads(data)
