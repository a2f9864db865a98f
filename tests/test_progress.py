"""Progress on long steps: shown on a terminal, silent in a pipe (tqdm)."""

from __future__ import annotations

import fcntl
import os
import pty
import struct
import subprocess
import sys
import termios
import time

import pytest

from nakg.progress import enabled, progress


def _run_on_terminal(args: list[str], cwd, extra_env: dict[str, str]) -> tuple[int, str, str]:
    """Run ``python -m nakg ARGS`` with stderr on a pseudo-terminal (100 columns); return code, stdout, terminal text."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    env = dict(os.environ, **extra_env)
    env.pop("NAKG_PROGRESS", None)
    proc = subprocess.Popen([sys.executable, "-m", "nakg", *args], cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=slave)
    os.close(slave)
    chunks = []
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        try:
            data = os.read(master, 65536)
        except OSError:  # the terminal closed: the process ended
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    stdout = proc.stdout.read().decode()
    proc.stdout.close()
    return proc.wait(timeout=60), stdout, b"".join(chunks).decode("utf-8", "replace")


def test_progress_bar_on_a_terminal(tmp_path):
    code, stdout, terminal = _run_on_terminal(["synth", "--papers", "60", "-o", str(tmp_path / "syn")], tmp_path,
                                              {"NAKG_PROGRESS_DELAY": "0"})
    assert code == 0, terminal
    assert "synthesising 60 papers" in terminal and "/60 [" in terminal
    assert "wrote" in stdout and "synthesising" not in stdout


def test_no_progress_in_a_pipe(tmp_path):
    env = dict(os.environ, NAKG_PROGRESS_DELAY="0")
    result = subprocess.run([sys.executable, "-m", "nakg", "synth", "--papers", "60", "-o", str(tmp_path / "syn")],
                            capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


def test_disabled_when_stderr_is_not_a_terminal_or_switched_off(monkeypatch):
    class Tty:
        def isatty(self):
            return True

        def write(self, _text):  # pragma: no cover - nothing is drawn in this test
            return 0

        def flush(self):  # pragma: no cover
            pass

    monkeypatch.setattr(sys, "stderr", Tty())
    assert enabled()
    monkeypatch.setenv("NAKG_PROGRESS", "0")
    assert not enabled()


@pytest.mark.parametrize("total", [None, 4])
def test_counts_without_a_terminal(total):
    with progress("work", total=total) as bar:
        bar.stage("first")
        for _ in range(4):
            bar.update()
    assert bar.n == 4
