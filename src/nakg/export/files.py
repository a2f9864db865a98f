"""Atomic output for exports: single files through :mod:`nakg.io`, folders through a temporary folder.

Exports are for sharing, so they get the permissions an ordinary new file or
folder gets (``0o666``/``0o777`` less the umask), not the owner-only mode of
the temporary files they are written to.

A folder export is written into a hidden temporary folder beside the target and
renamed into place when complete, so an interrupted export never leaves a
half-written folder. An existing target folder is replaced only when it holds
nothing but the files this format writes (never a folder of other files).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["atomic_directory", "write_text", "write_bytes", "write_stream"]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_bytes(path: Path | str, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically, readable as any new file would be.

    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
    >>> write_bytes(target, b"x"); target.stat().st_mode & 0o777 == 0o666 & ~_umask()
    True
    """
    from ..io import atomic_write

    with atomic_write(path, "wb", encoding=None) as fh:
        fh.write(data)
        os.chmod(fh.name, 0o666 & ~_umask())


@contextmanager
def write_stream(path: Path | str) -> Iterator:
    """A binary file handle whose content replaces ``path`` atomically when the block succeeds.

    For exports too large to hold in memory as one ``bytes`` value.
    """
    from ..io import atomic_write

    with atomic_write(path, "wb", encoding=None) as fh:
        yield fh
        os.chmod(fh.name, 0o666 & ~_umask())


def write_text(path: Path | str, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` atomically, readable as any new file would be."""
    write_bytes(path, text.encode("utf-8"))


@contextmanager
def atomic_directory(path: Path | str, expected: Iterable[str] = ()) -> Iterator[Path]:
    """Yield an empty temporary folder that replaces ``path`` when the block succeeds.

    Args:
        path: the folder to create or replace.
        expected: the file names the export writes; an existing ``path`` holding
            anything else is left alone and :class:`~nakg.export.ExportError` raised.

    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "out"
    >>> with atomic_directory(target, ["a.csv"]) as tmp:
    ...     _ = (tmp / "a.csv").write_text("x")
    >>> sorted(p.name for p in target.iterdir())
    ['a.csv']
    """
    from .registry import ExportError

    path = Path(path)
    allowed = set(expected)
    if path.exists():
        if not path.is_dir():
            raise ExportError(f"{path} exists and is not a folder; choose another output path")
        others = sorted(p.name for p in path.iterdir() if p.name not in allowed)
        if others:
            raise ExportError(f"refusing to replace {path}: it holds files this export did not write ({', '.join(others[:5])})")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent))
    os.chmod(tmp, 0o777 & ~_umask())
    try:
        yield tmp
        old = None
        if path.exists():
            old = tmp.with_suffix(".old")
            os.replace(path, old)
        try:
            os.replace(tmp, path)
        except BaseException:
            if old is not None:
                os.replace(old, path)
            raise
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
