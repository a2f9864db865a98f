"""Outputs are written atomically: a build killed while writing leaves every output file whole."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys

import pytest
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
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    assert len(before) >= 5
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



# --- a build's outputs appear together or not at all (hardening round 2) ------------------------------------------
OUTPUTS = ("nakg.ttl", "nakg.nt", "record-index.json", "validation.txt", "manifest.json")


def _outputs(out) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in OUTPUTS}


def _one_build(files: dict[str, bytes]) -> int:
    """The number of triples the files describe, asserting every file belongs to the same build."""
    manifest = json.loads(files["manifest.json"])
    nt = Graph().parse(data=files["nakg.nt"], format="nt")
    ttl = Graph().parse(data=files["nakg.ttl"], format="turtle")
    assert len(nt) == len(ttl) == manifest["triples"]
    return manifest["triples"]


def _leftovers(out) -> list[str]:
    return sorted(str(p.relative_to(out)) for p in out.rglob("*") if "tmp" in p.name)


def test_build_outputs_atomic_failure_on_the_last_file(tmp_path, mini_records, monkeypatch):
    """Issue: a failure while writing the last file left new and old files side by side."""
    import nakg
    import nakg.build

    out = tmp_path / "out"
    nakg.build(mini_records, out_dir=out)
    before = _outputs(out)
    path = mini_records / "nasicon.yaml"
    path.write_text(path.read_text().replace("value: 6.7e-4", "value: 6.8e-4"))
    real_fsync = os.fsync
    calls = []

    def failing_fsync(fd):  # the fifth file written fails: a full disk on the last file
        calls.append(fd)
        if len(calls) == 5:
            raise OSError(28, "No space left on device")
        return real_fsync(fd)

    monkeypatch.setattr(nakg.build.os if hasattr(nakg.build, "os") else os, "fsync", failing_fsync)
    try:
        nakg.build(mini_records, out_dir=out)
    except OSError as exc:
        assert "No space left on device" in str(exc) and str(out) in str(exc)
    else:
        raise AssertionError("the failing build did not fail")
    assert _outputs(out) == before
    assert _leftovers(out) == []
    monkeypatch.undo()
    nakg.build(mini_records, out_dir=out)
    assert _outputs(out) != before and _one_build(_outputs(out))


def test_build_outputs_atomic_sigterm_while_writing(tmp_path, mini_records):
    """Issue: SIGTERM between two renames left a mix, and a temporary file behind."""
    out = tmp_path / "out"
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    cmd = [sys.executable, "-m", "nakg", "build", "--records", str(mini_records), "-o", str(out)]
    assert subprocess.run(cmd, capture_output=True, env=env, timeout=300).returncode == 0
    before = _outputs(out)
    path = mini_records / "nasicon.yaml"
    path.write_text(path.read_text().replace("value: 6.7e-4", "value: 6.8e-4"))
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, env=env)
    for line in proc.stderr:
        if "write outputs" in line:
            proc.send_signal(signal.SIGTERM)
            break
    proc.wait(timeout=60)  # stopped while writing, or (rarely) done before the signal came: either way one set
    after = _outputs(out)
    _one_build(after)  # every file of one build: the old set or the new one
    assert after == before or after["nakg.nt"] != before["nakg.nt"]
    assert _leftovers(out) == []


def test_build_outputs_atomic_concurrent_builds(tmp_path, mini_records):
    """Issue: two builds into one folder interleaved (2 of 20 trials left a mix)."""
    out = tmp_path / "out"
    other = tmp_path / "other-records"
    import shutil

    shutil.copytree(mini_records, other)
    (other / "nasicon.yaml").write_text((other / "nasicon.yaml").read_text().replace(
        "  - id: na\n", "  - id: na-extra\n    formula: NaCl\n    prov: {sections: ['5.1']}\n  - id: na\n"))
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    for _ in range(2):
        procs = [subprocess.Popen([sys.executable, "-m", "nakg", "build", "--records", str(r), "-o", str(out)],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env) for r in (mini_records, other)]
        for p in procs:
            assert p.wait(timeout=300) == 0, p.stderr.read()
        _one_build(_outputs(out))
        assert _leftovers(out) == []


def test_build_outputs_atomic_folder_holds_one_current_set(tmp_path, mini_records):
    import nakg

    out = tmp_path / "out"
    for _ in range(4):
        nakg.build(mini_records, out_dir=out)
    generations = [p for p in (out / ".nakg-builds").iterdir() if p.name[0].isdigit()]
    assert len(generations) == 2  # the current one and the one before it
    assert all((out / name).is_file() for name in OUTPUTS)
    assert (out / "nakg.nt").resolve().parent == (out / ".nakg-builds" / "current").resolve()


# --- outputs to special files (hardening round 2, item 9) -----------------------------------------------------------
def test_export_to_a_device_writes_through_it_and_keeps_it(tmp_path):
    """Issue: -o /dev/full replaced the device node by a regular file; -o /dev/stdout replaced the link."""
    import stat

    from nakg.io import OutputError, atomic_write_text

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    import threading

    got = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    atomic_write_text(fifo, "through the pipe")
    reader.join(10)
    assert got == [b"through the pipe"]
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)  # still a pipe
    if os.path.exists("/dev/full"):
        try:
            atomic_write_text("/dev/full", "x" * 10000)
        except OutputError as exc:
            assert "/dev/full" in str(exc)
        else:
            raise AssertionError("writing to /dev/full did not fail")
        assert stat.S_ISCHR(os.stat("/dev/full").st_mode)
    assert [p.name for p in tmp_path.iterdir()] == ["pipe"]


def test_export_to_a_symlink_keeps_the_link(tmp_path):
    from nakg.io import atomic_write_text

    real = tmp_path / "real.txt"
    real.write_text("old")
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    atomic_write_text(link, "new")
    assert link.is_symlink() and real.read_text() == "new"


@pytest.mark.parametrize("case", ["parent is a file", "name too long", "target is a folder"])
def test_output_path_mistakes_name_the_path(tmp_path, case):
    """Issue: an output path that is a file or too long was an internal error."""
    from nakg.errors import NakgError
    from nakg.io import atomic_write_text

    (tmp_path / "file").write_text("x")
    (tmp_path / "folder").mkdir()
    target = {"parent is a file": tmp_path / "file" / "out.ttl", "name too long": tmp_path / ("n" * 300 + ".ttl"),
              "target is a folder": tmp_path / "folder"}[case]
    with pytest.raises(NakgError) as info:
        atomic_write_text(target, "data")
    assert str(target)[:60] in str(info.value)
