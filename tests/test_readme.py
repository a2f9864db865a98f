"""The README is true: every fenced block runs as written, the command table lists every command.

Blocks are read from ``README.md``. A ``bash`` block runs in a scratch copy of the
repository's data folders (with ``build/`` already built), a ``python`` block runs
in a fresh interpreter there, a ``sparql`` block runs on the shipped graph. A
marker in an HTML comment right before a block changes that, visibly in the source:

* ``<!-- readme-test: ci: REASON -->``: not run here (it installs packages); each of
  its lines must be a line of ``.ci/run``, which runs it on a fresh machine;
* ``<!-- readme-test: skip: REASON -->``: not run here; the reason says where it is tested;
* ``<!-- readme-test: output -->`` before a ``text`` block: lines the block above must
  print, in this order.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from .conftest import REVIEW_DEFAULT, TESTS

REPO = TESTS.parent
README = REPO / "README.md"
RUN_LANGS = ("bash", "python", "sparql")
_MARKER = re.compile(r"^<!--\s*readme-test:\s*(ci|skip|output)\s*(?::\s*(.*?))?\s*-->\s*$")
_FENCE = re.compile(r"^```(\S*)\s*$")


@dataclass
class Block:
    lang: str
    code: str
    line: int  # line of the opening fence
    marker: str | None = None
    reason: str = ""
    expected: list[str] | None = None  # from a following ``output`` block

    @property
    def id(self) -> str:
        return f"README.md:{self.line}-{self.lang}"


def readme_blocks(text: str) -> list[Block]:
    """The fenced blocks of ``text`` with their markers; ``output`` blocks attached to the block before them."""
    lines = text.splitlines()
    blocks: list[Block] = []
    marker: tuple[str, str] | None = None
    i = 0
    while i < len(lines):
        line = lines[i]
        m = _MARKER.match(line.strip())
        if m:
            marker = (m.group(1), m.group(2) or "")
            i += 1
            continue
        fence = _FENCE.match(line)
        if fence:
            start = i
            body = []
            i += 1
            while i < len(lines) and lines[i].strip() != "```":
                body.append(lines[i])
                i += 1
            if i == len(lines):
                raise AssertionError(f"README.md:{start + 1}: unclosed code block")
            kind, reason = marker or (None, "")
            if kind == "output":
                assert blocks, f"README.md:{start + 1}: an output block needs a block before it"
                blocks[-1].expected = [b for b in body if b.strip()]
            else:
                blocks.append(Block(fence.group(1), "\n".join(body) + "\n", start + 1, kind, reason))
            marker = None
        elif line.strip():
            marker = None  # a marker applies only to the block right after it
        i += 1
    return blocks


BLOCKS = readme_blocks(README.read_text(encoding="utf-8"))
RUNNABLE = [b for b in BLOCKS if b.lang in RUN_LANGS and b.marker is None]
MARKED = [b for b in BLOCKS if b.marker in ("ci", "skip")]


def test_readme_blocks_were_found():
    langs = [b.lang for b in RUNNABLE]
    assert langs.count("python") >= 2 and langs.count("sparql") >= 1, langs
    assert [b for b in BLOCKS if b.expected], "no output block found"
    unknown = [b.id for b in BLOCKS if b.lang not in RUN_LANGS + ("text", "")]
    assert not unknown, f"blocks in a language this test cannot run: {unknown}"


def test_marker_parser():
    text = "<!-- readme-test: skip: runs until stopped -->\n```bash\nnakg serve\n```\n\n```python\nprint(1)\n```\n" \
           "<!-- readme-test: output -->\n```text\n1\n```\n"
    serve, snippet = readme_blocks(text)
    assert (serve.marker, serve.reason, serve.code) == ("skip", "runs until stopped", "nakg serve\n")
    assert (snippet.marker, snippet.expected) == (None, ["1"])


@pytest.mark.parametrize("block", MARKED, ids=lambda b: b.id)
def test_marked_block_has_a_reason_and_ci_runs_it(block):
    assert block.reason, f"{block.id}: a '{block.marker}' marker needs a reason"
    if block.marker == "ci":
        ci_lines = {line.strip() for line in (REPO / ".ci" / "run").read_text().splitlines()}
        for line in block.code.splitlines():
            if line.strip():
                assert line.strip() in ci_lines, f"{block.id}: '{line.strip()}' is not run by .ci/run"


@pytest.fixture(scope="module")
def workspace(tmp_path_factory, built, request) -> Path:
    """A scratch checkout: the data folders copied, ``build/`` built, the review beside it when there is one."""
    root = tmp_path_factory.mktemp("readme")
    work = root / "nakg"
    work.mkdir()
    for name in ("graph", "ontology", "queries", "docs"):
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, work / name)
    for name in ("src", "tests", "benchmarks", "pyproject.toml", "README.md", "CHANGELOG.md"):
        if (REPO / name).exists():
            (work / name).symlink_to(REPO / name)
    shutil.copytree(built.outputs["nt"].parent, work / "build")
    from .conftest import review_path

    if review_path().is_file():
        target = work / REVIEW_DEFAULT
        target.parent.mkdir(parents=True, exist_ok=True)
        target.symlink_to(review_path())
    return work


def _env() -> dict[str, str]:
    bindir = str(Path(sys.executable).parent)
    return dict(os.environ, PATH=bindir + os.pathsep + os.environ.get("PATH", ""), PYTHONIOENCODING="utf-8", MPLBACKEND="Agg")


def _check_output(block: Block, stdout: str) -> None:
    if not block.expected:
        return
    lines = [line.rstrip() for line in stdout.splitlines()]
    at = 0
    for want in block.expected:
        try:
            at = lines.index(want.rstrip(), at) + 1
        except ValueError:
            raise AssertionError(f"{block.id}: expected line not printed (in order): {want!r}\n--- output:\n{stdout[:3000]}") from None


@pytest.mark.parametrize("block", RUNNABLE, ids=lambda b: b.id)
def test_readme_block_runs(block, workspace, kg, request):
    if "na-ion-sse-review.md" in block.code:
        request.getfixturevalue("review")  # skipped (or failed under CI=true) without the review text
    if block.lang == "sparql":
        rows = list(kg.graph.query(block.code))
        assert rows, f"{block.id}: the query returned no rows"
        return
    cmd = ["bash", "-euo", "pipefail", "-c", block.code] if block.lang == "bash" else [sys.executable, "-c", block.code]
    result = subprocess.run(cmd, cwd=workspace, env=_env(), capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, f"{block.id} failed ({result.returncode}):\n{block.code}\n--- stderr:\n{result.stderr[-3000:]}"
    assert "Traceback" not in result.stderr, result.stderr
    _check_output(block, result.stdout)


def _command_table() -> list[str]:
    text = README.read_text(encoding="utf-8")
    section = text.split("\n## Command line\n", 1)[1].split("\n## ", 1)[0]
    return [m.group(1) for m in re.finditer(r"^\| `(nakg [^`]*)` \|", section, re.MULTILINE)]


def _command_names() -> set[str]:
    from nakg.cli import main

    return set(main.commands)


def test_command_table_lists_every_command():
    rows = _command_table()
    listed = [row.split()[1] for row in rows]
    assert len(listed) == len(set(listed)), f"a command is listed twice: {listed}"
    assert set(listed) == _command_names(), (f"missing from the README's table: {sorted(_command_names() - set(listed))}; "
                                             f"not commands: {sorted(set(listed) - _command_names())}")


def _inline_commands() -> list[str]:
    text = README.read_text(encoding="utf-8")
    return sorted({m.group(1) for m in re.finditer(r"`(nakg [a-z][^`]*)`", text)})


def test_every_nakg_command_in_the_readme_uses_real_commands_and_options():
    """Inline commands (table synopses and prose) name real commands and options."""
    from nakg.cli import main

    found = _inline_commands()
    assert len(found) > 15, found
    problems = []
    for text in found:
        words = shlex.split(text.replace("\\|", "|"))
        command = main.commands.get(words[1])
        if command is None:
            problems.append(f"`{text}`: no command '{words[1]}'")
            continue
        rest = words[2:]
        while hasattr(command, "commands") and rest and rest[0] in command.commands:  # a group's subcommand
            command, rest = command.commands[rest[0]], rest[1:]
        options = {opt for param in command.params for opt in (*param.opts, *param.secondary_opts)} | {"-h", "--help"}
        for word in rest:
            flag = word.strip("[]").split("=", 1)[0]
            if flag.startswith("-") and flag not in options:
                problems.append(f"`{text}`: {words[1]} has no option {flag}")
    assert not problems, "\n".join(problems)
