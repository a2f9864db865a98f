"""The release in ``graph/``: the built triples committed beside the records, so anyone can use them without nakg.

``graph/nakg.ttl`` (Turtle grouped by subject, sorted), ``graph/nakg.nt`` (sorted
N-Triples, one triple a line: diffs show exactly the facts that changed) and
``graph/void.ttl`` (the VoID/DCAT description, with the data's version IRI) are
what ``nakg build`` makes from ``graph/records``. :data:`REFRESH` rewrites them;
the tests fail, naming that command, whenever they differ from what the records
build — so a change to the records is committed with its rebuilt release.

>>> sorted(RELEASE_FILES)
['nakg.nt', 'nakg.ttl', 'void.ttl']
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .build import DATA_FILES, VOID_FILE

__all__ = ["RELEASE_FILES", "REFRESH", "ReleaseResult", "release", "release_dir"]

#: The files of a release, in ``graph/``.
RELEASE_FILES = (DATA_FILES["turtle"], DATA_FILES["nt"], VOID_FILE)
#: The one command that makes ``graph/`` current again.
REFRESH = "nakg release"


def release_dir() -> Path:
    """The folder of the release: ``graph/`` of the source tree (``nakg/_data/graph`` in an installed wheel)."""
    from .resources import data_dir

    return data_dir("graph")


@dataclass
class ReleaseResult:
    """What :func:`release` found or wrote: the folder, the files that changed and the triple count."""

    folder: Path
    changed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    triples: int = 0
    written: bool = False

    def text(self) -> str:
        if not self.changed:
            return f"release in {self.folder} is current ({self.triples} triples): {', '.join(self.unchanged)}"
        verb = "wrote" if self.written else "out of date"
        return f"{verb}: {', '.join(self.changed)} in {self.folder} ({self.triples} triples)" + (
            "" if self.written else f"; run `{REFRESH}` and commit {self.folder.name}/")


def release(out_dir: Path | str | None = None, records_dir: Path | str | None = None, check: bool = False) -> ReleaseResult:
    """Build the records (validated) and write the release files that differ; with ``check``, only compare.

    Args:
        out_dir: the release folder (default: :func:`release_dir`).
        records_dir: the records (default: the shipped ones).
        check: write nothing; the result lists the files that are missing or differ.
    """
    from .build import build, release_bytes
    from .io import atomic_write_bytes

    folder = Path(out_dir) if out_dir is not None else release_dir()
    result = build(records_dir, out_dir=None)
    files = release_bytes(result.graph)
    outcome = ReleaseResult(folder, triples=result.triples)
    for name in RELEASE_FILES:
        target = folder / name
        same = target.is_file() and target.read_bytes() == files[name]
        (outcome.unchanged if same else outcome.changed).append(name)
    if not check:
        for name in outcome.changed:
            atomic_write_bytes(folder / name, files[name])
        outcome.written = bool(outcome.changed)
    return outcome
