"""The documented exit codes, kept by every command, and no traceback for any error a user can cause."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from click.testing import CliRunner

from nakg.cli import main
from nakg.commands.exits import EXIT_CODES, EXIT_CRASH, EXIT_INTERRUPTED, EXIT_INVALID, EXIT_USAGE

from .conftest import TESTS, run_cli

COMMANDS = sorted(main.commands)


def test_readme_documents_the_exit_codes_once():
    text = (TESTS.parent / "README.md").read_text(encoding="utf-8")
    section = text.split("### Exit codes\n", 1)[1].split("\n#", 1)[0]
    documented = {int(code) for code in re.findall(r"^\| (\d+) \|", section, re.MULTILINE)}
    assert documented == set(EXIT_CODES)
    assert (EXIT_INVALID, EXIT_USAGE, EXIT_CRASH) == (1, 2, 3)
    assert "Exit code 2 means" not in text


@pytest.mark.parametrize("name", COMMANDS)
def test_usage_error_is_2_for_every_command(name):
    assert len(COMMANDS) >= 18
    result = CliRunner().invoke(main, [name, "--no-such-option"])
    assert result.exit_code == EXIT_USAGE, result.output
    assert "No such option '--no-such-option'" in result.output and "Traceback" not in result.output


def _boom(*_args, **_kwargs):
    raise RuntimeError("boom")


def test_a_bug_is_3_with_a_message_and_no_traceback(monkeypatch):
    monkeypatch.setattr("nakg.api.load", _boom)
    monkeypatch.delenv("NAKG_DEBUG", raising=False)
    result = CliRunner().invoke(main, ["stats"])
    assert result.exit_code == EXIT_CRASH
    assert "internal error: RuntimeError: boom" in result.output and "this is a bug in nakg" in result.output
    assert "Traceback" not in result.output


def test_commands_without_their_own_handler_are_covered_by_the_group(monkeypatch, tmp_path):
    """``nakg synth`` has no error decorator of its own: the group's handling gives it the same codes."""
    monkeypatch.setattr("nakg.synth.generate", _boom)
    monkeypatch.delenv("NAKG_DEBUG", raising=False)
    result = CliRunner().invoke(main, ["synth", "--papers", "1", "-o", str(tmp_path / "s")])
    assert result.exit_code == EXIT_CRASH and "internal error: RuntimeError: boom" in result.output


def test_nakg_debug_shows_the_traceback(monkeypatch):
    monkeypatch.setattr("nakg.api.load", _boom)
    monkeypatch.setenv("NAKG_DEBUG", "1")
    result = CliRunner().invoke(main, ["stats"])
    assert isinstance(result.exception, RuntimeError)


def test_interrupted_is_130(monkeypatch):
    def interrupt(*_args, **_kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("nakg.api.load", interrupt)
    result = CliRunner().invoke(main, ["stats"])
    assert result.exit_code == EXIT_INTERRUPTED and "interrupted" in result.output


@pytest.mark.parametrize("args", [
    ["query", "best-conductivity-per-family", "--graph", "{reasoned}"],
    ["table", "cells", "--graph", "{reasoned}"],
    ["stats", "--graph", "{reasoned}"],
])
def test_a_folder_without_a_graph_is_1_naming_it(args, tmp_path):
    """The folder ``nakg reason`` writes holds inferred triples only: not a graph to load."""
    reasoned = tmp_path / "reasoned"
    reasoned.mkdir()
    (reasoned / "inferred.nt").write_text("")
    result = run_cli(*[a.format(reasoned=reasoned) for a in args])
    assert result.returncode == EXIT_INVALID, result.stderr
    assert f"{reasoned}: no nakg.nt in this folder" in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.splitlines()) == 1


def test_an_unwritable_output_is_1_naming_the_path(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    result = run_cli("plot", "families", "-o", str(blocker / "sub" / "plot.svg"))
    assert result.returncode == EXIT_INVALID, result.stderr
    assert str(blocker) in result.stderr and "Traceback" not in result.stderr


def test_a_closed_pipe_ends_quietly():
    proc = subprocess.Popen([sys.executable, "-m", "nakg", "table", "measurements", "--format", "json"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout.read(200)
    proc.stdout.close()  # the reader goes away, as `| head` does
    code = proc.wait(timeout=300)
    stderr = proc.stderr.read().decode()
    proc.stderr.close()
    assert code == 0, stderr
    assert "Traceback" not in stderr and "BrokenPipe" not in stderr and "Exception ignored" not in stderr
