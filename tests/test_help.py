"""What the command line shows about itself: an example in every --help, click parses each example, every query
of the library is described in ``nakg query --list``."""

from __future__ import annotations

import shlex

import click
import pytest
from click.testing import CliRunner

from nakg.cli import main
from nakg.commands.examples import EXAMPLES

from .conftest import REVIEW_DEFAULT

COMMANDS = sorted(main.commands)


def test_every_command_has_an_example():
    assert len(COMMANDS) >= 18, COMMANDS
    assert sorted(set(COMMANDS) - set(EXAMPLES)) == [], "commands without an example in nakg/commands/examples.py"
    assert sorted(set(EXAMPLES) - set(COMMANDS)) == [], "examples of commands that do not exist"


@pytest.mark.parametrize("name", COMMANDS)
def test_help_shows_the_example(name):
    result = CliRunner().invoke(main, [name, "--help"])
    assert result.exit_code == 0, result.output
    assert "Example" in result.output
    for line in EXAMPLES[name]:
        assert line in result.output, f"nakg {name} --help does not show {line!r}"


@pytest.fixture(scope="module")
def checkout(tmp_path_factory, built):
    """A working directory like the repository's root after ``nakg build`` (examples name build/ and graph/)."""
    import shutil

    from .conftest import TESTS, review_path

    root = tmp_path_factory.mktemp("examples") / "nakg"
    shutil.copytree(TESTS.parent / "graph", root / "graph")
    shutil.copytree(built.outputs["nt"].parent, root / "build")
    if review_path().is_file():
        (root / REVIEW_DEFAULT).parent.mkdir(parents=True, exist_ok=True)
        (root / REVIEW_DEFAULT).symlink_to(review_path())
    return root


@pytest.mark.parametrize("line", [line for lines in EXAMPLES.values() for line in lines])
def test_click_parses_the_example(line, checkout, monkeypatch, request):
    """Each example names real options with valid values (paths relative to the repository's root after a build)."""
    if "na-ion-sse-review.md" in line:
        request.getfixturevalue("review")
    monkeypatch.chdir(checkout)
    words = shlex.split(line)
    assert words[0] == "nakg"
    with main.make_context("nakg", words[1:]) as ctx:
        command, name, rest = main.get_command(ctx, words[1]), words[1], words[2:]
        while isinstance(command, click.Group):  # a group's subcommand (nakg report doping ...)
            ctx = command.make_context(name, list(rest), parent=ctx)
            command, name, rest = command.get_command(ctx, rest[0]), rest[0], rest[1:]
        with command.make_context(name, rest, parent=ctx) as sub:
            assert sub.params  # parsed: every option known, every value converted and checked
    with pytest.raises(click.UsageError):  # the check can fail: a misspelt option is refused
        command.make_context(name, [*rest, "--no-such-option"], parent=ctx)


def test_every_query_is_described_in_the_listing():
    from nakg.queries import list_queries

    queries = list_queries(None)
    assert len(queries) > 30
    blank = [q.name for q in queries if not (q.question or "").strip()]
    assert blank == [], f"queries with no question/description in their header: {blank}"
    result = CliRunner().invoke(main, ["query", "--list"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    for q in queries:
        i = next(i for i, line in enumerate(lines) if line.split(" ")[0] == q.name)
        assert lines[i + 1].strip(), f"{q.name} has a blank description in nakg query --list"
