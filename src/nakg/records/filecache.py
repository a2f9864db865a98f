"""Checked records per file, kept in nakg's cache folder so an unchanged file is not read again.

A record file's checked records depend only on its bytes, its displayed path
and the code and vocabulary that check it; :func:`cached_file_events` keys each
file's result on exactly that (:func:`file_key`). Files with problems are never
cached (their errors are reported afresh each time), an unreadable or
corrupted entry is ignored and rebuilt, and a cache folder that cannot be
written is no error. Files not in the cache are read by two processes when
there are enough of them and the machine has the cores.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

__all__ = ["cached_file_events", "file_key", "code_key"]

#: nakg's modules whose code decides what a record file's checked records are.
_CODE = ("records", "vocab.py", "quantities.py", "formula.py", "errors.py")
#: Keep at most this many entries (the least recently used go first).
_KEEP = 4096
#: Read files in two processes when at least this many are not cached.
_PARALLEL_FROM = 8


@lru_cache(maxsize=1)
def code_key() -> str:
    """A hash of the checking code, the ontology (the vocabulary comes from it) and the parsing libraries."""
    import sys

    from ..cache import fingerprint
    from ..resources import ontology_path

    h = hashlib.sha256(f"{sys.version_info[:2]}".encode())
    fingerprint(h, _CODE, ("PyYAML", "pint", "molmass"))
    h.update(ontology_path().read_bytes())
    return h.hexdigest()


def file_key(path: Path, display: str) -> str | None:
    """The cache key of one record file (None when it cannot be read: the reader reports that)."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    h = hashlib.sha256(code_key().encode())
    h.update(display.encode())
    h.update(b"\0")
    h.update(data)
    return h.hexdigest()


def _folder() -> Path:
    from ..cache import cache_dir

    return cache_dir() / "records"


def _get(folder: Path, key: str):
    try:
        with open(folder / f"{key}.pickle", "rb") as fh:
            events = pickle.load(fh)  # noqa: S301 - written by this module into the user's own cache folder
        os.utime(folder / f"{key}.pickle")
    except Exception:  # noqa: BLE001 - missing, truncated or from another version: read the file again
        return None
    return events if isinstance(events, list) else None


def _put(folder: Path, key: str, events: list) -> None:
    from ..io import atomic_write_bytes

    try:
        atomic_write_bytes(folder / f"{key}.pickle", pickle.dumps(events, protocol=pickle.HIGHEST_PROTOCOL))
    except (OSError, pickle.PicklingError):
        pass


def _prune(folder: Path) -> None:
    try:
        entries = sorted(((f.stat().st_mtime, f) for f in folder.glob("*.pickle")), reverse=True)
    except OSError:
        return
    for _, old in entries[_KEEP:]:
        try:
            old.unlink()
        except OSError:
            pass


_WORK: tuple = ()


def _read_in_worker(i: int) -> bytes | None:
    """Events of the i-th file as a pickle, or None when it has a problem (the parent reads it and reports that)."""
    read, files, vocab = _WORK
    path, display = files[i]
    events = read(path, display, vocab)
    if any(e[0] == "error" for e in events):
        return None
    return pickle.dumps(events, protocol=pickle.HIGHEST_PROTOCOL)


def _read_all(missing: list[int], files: list[tuple[Path, str]], vocab, read: Callable) -> dict[int, list]:
    """Read the files at ``missing``: in two forked processes when there are enough, else here."""
    global _WORK
    out: dict[int, list] = {}
    if len(missing) >= _PARALLEL_FROM and (os.cpu_count() or 1) >= 2 and hasattr(os, "fork"):
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        _WORK = (read, files, vocab)
        try:
            with ProcessPoolExecutor(max_workers=2, mp_context=multiprocessing.get_context("fork")) as pool:
                for i, data in zip(missing, pool.map(_read_in_worker, missing)):
                    if data is not None:
                        out[i] = pickle.loads(data)  # noqa: S301 - made by our own worker
        except (OSError, RuntimeError):  # no processes available: read everything here
            out.clear()
        finally:
            _WORK = ()
    for i in missing:
        if i not in out:
            out[i] = read(*files[i], vocab)
    return out


def cached_file_events(files: list[tuple[Path, str]], vocab, read: Callable) -> list[list]:
    """``read(path, display, vocab)`` for each file, from the cache where its key is there."""
    folder = _folder()
    keys = [file_key(path, display) for path, display in files]
    found: dict[int, list] = {}
    for i, key in enumerate(keys):
        if key is not None:
            events = _get(folder, key)
            if events is not None:
                found[i] = events
    missing = [i for i in range(len(files)) if i not in found]
    fresh = _read_all(missing, files, vocab, read) if missing else {}
    if fresh:
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError:
            folder = None
        if folder is not None:
            for i, events in fresh.items():
                if keys[i] is not None and not any(e[0] == "error" for e in events):
                    _put(folder, keys[i], events)
            _prune(folder)
    found.update(fresh)
    return [found[i] for i in range(len(files))]
