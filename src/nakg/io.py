"""Atomic file output: write to a temporary file beside the target, then rename.

An interrupted write never leaves a half-written file, and a failed build never
replaces the previous outputs. While a file is written, SIGTERM ends the
process through the normal exit path, so the temporary file is removed (one
left by a process killed outright is removed by the next write to the same
folder). A target that is not a regular file is never replaced: a device or
pipe (``/dev/stdout``) is written through, a symbolic link keeps pointing
where it did and the file it points to is replaced. A failure to write names
the path (:class:`OutputError`).
"""

from __future__ import annotations

import os
import re
import signal
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator

from .errors import NakgError

__all__ = ["atomic_write", "atomic_write_text", "atomic_write_bytes", "OutputError", "terminate_cleanly",
           "remove_stale_temporaries", "write_durably", "process_alive"]


class OutputError(NakgError, OSError):
    """An output could not be written: the message names the path and the reason (still an ``OSError``)."""

    def __str__(self) -> str:
        return str(self.strerror)


def _output_error(path: Path, exc: OSError) -> OutputError:
    reason = exc.strerror or str(exc)
    return OutputError(exc.errno, f"cannot write {path}: {reason}")


@contextmanager
def terminate_cleanly() -> Iterator[None]:
    """Within the block, SIGTERM raises ``SystemExit(143)`` so cleanup code runs (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum, frame):
        raise SystemExit(128 + signum)

    try:
        previous = signal.signal(signal.SIGTERM, stop)
    except ValueError:  # pragma: no cover - not the main interpreter
        yield
        return
    if previous not in (signal.SIG_DFL, None):  # someone else handles SIGTERM already: keep theirs
        signal.signal(signal.SIGTERM, previous)
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def process_alive(pid: int) -> bool:
    """Whether a process with this id runs (one of another user counts)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale_temporaries(folder: Path, pattern: str = r"^\..+\.(\d+)\.[^.]+\.tmp$") -> None:
    """Remove temporary files (and folders) whose name carries the id of a process that no longer runs."""
    import shutil

    rx = re.compile(pattern)
    try:
        entries = list(folder.iterdir())
    except OSError:
        return
    for entry in entries:
        m = rx.match(entry.name)
        if m and int(m.group(1)) != os.getpid() and not process_alive(int(m.group(1))):
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                try:
                    entry.unlink()
                except OSError:
                    pass


@contextmanager
def atomic_write(path: Path | str, mode: str = "w", encoding: str | None = "utf-8") -> Iterator:
    """Open a temporary file that replaces ``path`` only when the block succeeds.

    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
    >>> with atomic_write(target) as fh:
    ...     _ = fh.write("done")
    >>> target.read_text()
    'done'
    """
    path = Path(path)
    try:
        if path.is_symlink():
            path = path.resolve()  # replace the file the link points to; the link stays
        special = path.exists() and not path.is_file()
    except OSError as exc:  # a name too long, a parent that is a file …
        raise _output_error(path, exc) from exc
    if special:
        if path.is_dir():
            raise OutputError(21, f"cannot write {path}: it is a folder")
        try:  # a device, pipe or socket: written through, never replaced
            with open(path, mode, encoding=None if "b" in mode else encoding) as fh:
                yield fh
        except OutputError:
            raise
        except OSError as exc:
            raise _output_error(path, exc) from exc
        return
    with terminate_cleanly():
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            remove_stale_temporaries(path.parent)
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name[:100]}.{os.getpid()}.", suffix=".tmp", dir=path.parent)
        except OSError as exc:
            raise _output_error(path, exc) from exc
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp creates 0600; outputs get the usual permissions
        try:
            with os.fdopen(fd, mode, encoding=None if "b" in mode else encoding) as fh:
                yield fh
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        except BaseException as exc:
            try:
                os.unlink(tmp)
            except FileNotFoundError:
                pass
            if isinstance(exc, OSError) and not isinstance(exc, OutputError):
                raise _output_error(path, exc) from exc
            raise


def atomic_write_text(path: Path | str, text: str) -> None:
    """Write ``text`` to ``path`` atomically."""
    with atomic_write(path) as fh:
        fh.write(text)


def atomic_write_bytes(path: Path | str, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically."""
    with atomic_write(path, "wb", encoding=None) as fh:
        fh.write(data)


def write_durably(path: Path, data: bytes | Iterable[bytes]) -> None:
    """Write ``data`` (bytes, or pieces written one after the other) to ``path`` (its folder made where missing)
    and flush it to disk before returning; for files made in a private folder that is published afterwards in
    one step (not atomic by itself)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as fh:
        if isinstance(data, (bytes, bytearray, memoryview)):
            fh.write(data)
        else:
            for piece in data:
                fh.write(piece)
        fh.flush()
        os.fsync(fh.fileno())
