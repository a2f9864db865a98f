"""A build's output files patched for a small change: what stays is copied as it is, what changed is written.

Each writer takes the previous file and the change, and writes what a clean build writes
for the new graph, byte for byte: sorted N-Triples (:func:`write_patched_ntriples`), Turtle
(:func:`write_patched_turtle`, guided by the :class:`~nakg.rdf.turtle.TurtleIndex` of the
previous file) and the record index (:func:`write_patched_record_index`). The unchanged
stretches are copied by the kernel (``os.copy_file_range``), so the cost follows the size of
the change, not of the graph. A change that does not fit the previous file (a removed line
that is not there, an added line that is) is a :class:`ValueError`, raised before anything
is written.
"""

from __future__ import annotations

import json
import mmap
import os
from collections.abc import Iterable
from pathlib import Path

from ..rdf.sinks import TurtleTerms
from ..rdf.turtle import TurtleIndex, header, subject_order

__all__ = ["SortedNTriples", "write_patched_ntriples", "write_patched_turtle", "write_patched_record_index"]

#: A piece of an output file: bytes to write, or ``(offset, length)`` of the previous file to copy.
Piece = bytes | tuple[int, int]


def _map(path: Path) -> mmap.mmap | bytes:
    """The file at ``path``, mapped read-only (an empty file as empty bytes)."""
    with open(path, "rb") as f:
        if os.fstat(f.fileno()).st_size == 0:
            return b""
        return mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)


def _copy(src: int, dst: int, offset: int, length: int) -> None:
    """Append ``length`` bytes of ``src`` from ``offset`` to ``dst`` (in the kernel where the file systems allow)."""
    kernel = True
    while length > 0:
        done = 0
        if kernel:
            try:
                done = os.copy_file_range(src, dst, length, offset)
            except OSError:
                kernel = False
        if done <= 0:
            done = os.write(dst, os.pread(src, min(length, 1 << 24), offset))
            if done <= 0:
                raise OSError(f"could not copy {length} bytes at {offset}")
        offset += done
        length -= done


def _write(out_path: Path | str, src_path: Path | str, pieces: Iterable[Piece]) -> None:
    """Write ``pieces`` to ``out_path``: bytes as given, spans copied from ``src_path``."""
    if Path(out_path).resolve() == Path(src_path).resolve():
        raise ValueError(f"{out_path}: a file is patched into a new file, not in place")
    with open(src_path, "rb") as src, open(out_path, "wb", buffering=0) as out:
        pending: list[bytes] = []
        for piece in pieces:
            if isinstance(piece, bytes):
                pending.append(piece)
                continue
            if pending:
                out.write(b"".join(pending))
                pending = []
            _copy(src.fileno(), out.fileno(), *piece)
        if pending:
            out.write(b"".join(pending))


class SortedNTriples:
    """A read-only view of a sorted N-Triples file as a build writes it (one triple a line, in UTF-8 byte order).

    Lines are found by binary search over the mapped file, never by a scan. ``lines``, when known,
    spares counting them for ``len``.
    """

    def __init__(self, path: Path | str, lines: int | None = None):
        self.path = Path(path)
        self.data = _map(self.path)
        self.end = 0 if self.data[:2] == b"\n" else len(self.data)  # a graph without triples is one empty line
        self._lines = lines

    def close(self) -> None:
        if isinstance(self.data, mmap.mmap):
            self.data.close()

    def __enter__(self) -> SortedNTriples:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __len__(self) -> int:
        if self._lines is None:
            step = 1 << 24
            self._lines = sum(self.data[i:i + step].count(b"\n") for i in range(0, self.end, step))
        return self._lines

    def first(self, key: bytes) -> int:
        """The offset of the first line not below ``key`` (the end of the file if none)."""
        data, lo, hi = self.data, 0, self.end
        while lo < hi:  # lo and hi are line starts (or the end); every line before lo is below key, the one at hi is not
            mid = (lo + hi) // 2
            start = data.rfind(b"\n", lo, mid) + 1 or lo
            end = data.find(b"\n", start)
            if data[start:end] < key:
                lo = end + 1
            else:
                hi = start
        return lo

    def line(self, offset: int) -> bytes:
        """The line starting at ``offset``, without its line end (empty at the end of the file)."""
        return self.data[offset:self.data.find(b"\n", offset, self.end)] if offset < self.end else b""

    def subject_lines(self, subject: str) -> list[str]:
        """The lines whose subject is ``subject`` (N-Triples text, e.g. ``<https://…/x>``), without line ends."""
        key = subject.encode("utf-8") + b" "
        out, offset = [], self.first(key)
        while (line := self.line(offset)).startswith(key):
            out.append(line.decode("utf-8"))
            offset += len(line) + 1
        return out

    def __contains__(self, line: str) -> bool:
        key = line.encode("utf-8")
        return self.line(self.first(key)) == key


def write_patched_ntriples(old_path: Path | str, removed: set[str], added: set[str], out_path: Path | str,
                           lines: int | None = None) -> int:
    """Write the sorted N-Triples of the lines of ``old_path`` less ``removed`` plus ``added`` to ``out_path``.

    Lines are given without line ends; a line in both sets stays. ``lines``, the number of lines
    of ``old_path`` when known, spares counting them. Returns the number of lines written.

    Raises:
        ValueError: a removed line is not in the file, or an added line already is.
    """
    removed, added = set(removed), set(added)
    if any("\n" in line or not line for line in removed | added):
        raise ValueError("an N-Triples line is one non-empty line")
    with SortedNTriples(old_path, lines) as old:
        edits = []  # (offset, 0 to insert before the line there or 1 to drop it, line)
        for line in removed:
            key = line.encode("utf-8")
            offset = old.first(key)
            if old.line(offset) != key:
                raise ValueError(f"{old_path}: a removed line is not there: {line}")
            if line not in added:
                edits.append((offset, 1, key))
        for line in added - removed:
            key = line.encode("utf-8")
            offset = old.first(key)
            if old.line(offset) == key:
                raise ValueError(f"{old_path}: an added line is there already: {line}")
            edits.append((offset, 0, key))
        count = len(old) + len(added - removed) - len(removed - added)
        pieces: list[Piece] = []
        position = 0
        for offset, drop, key in sorted(edits):
            if offset > position:
                pieces.append((position, offset - position))
                position = offset
            if drop:
                position += len(key) + 1
            else:
                pieces.append(key + b"\n")
        if position < old.end:
            pieces.append((position, old.end - position))
        _write(out_path, old_path, pieces if count else [b"\n"])
    return count


def write_patched_turtle(old_path: Path | str, index: TurtleIndex, subjects: dict[str, list[tuple[str, str]]],
                         out_path: Path | str) -> TurtleIndex:
    """Write the Turtle of ``old_path`` (described by ``index``) with the blocks of ``subjects`` replaced.

    ``subjects`` maps a subject (N-Triples text) to the complete list of its ``(predicate, object)``
    N-Triples texts in the new graph: an empty list removes its block, a subject not in the file
    gets a block where it sorts. The header follows the prefixes the blocks use. Returns the index
    of the new file.

    Raises:
        ValueError: ``index`` does not describe ``old_path``.
    """
    n = len(index)
    if n and os.stat(old_path).st_size + 1 != index.offsets[n]:
        raise ValueError(f"{old_path}: the Turtle index does not describe this file")
    terms = TurtleTerms(index.prefixes)
    counts = list(index.counts)
    changes = []  # (block position, whether the subject has it, subject, new block or None, its prefix bits)
    for subject in sorted(subjects, key=subject_order):
        i, found = index.find(subject)
        text, mask = None, 0
        if subjects[subject]:
            preds: dict[str, list[str]] = {}
            for p, o in set(subjects[subject]):
                preds.setdefault(p, []).append(o)
            text, mask = terms.block(subject, preds)
        if found or text is not None:
            changes.append((i, found, subject, text, mask))
        old = index.masks[i] if found else 0
        for j in range(len(counts)):
            counts[j] += (mask >> j & 1) - (old >> j & 1)

    head = header(p for p, count in zip(index.prefixes, counts) if count).encode("utf-8")
    new = TurtleIndex(index.prefixes, b"", index.starts[:1], index.offsets[:0], index.masks[:0], counts)
    keys: list[bytes] = []
    pieces: list[Piece] = [head + b"\n"]
    position = len(head) + 1

    def keep(i: int, j: int) -> None:
        """Blocks i to j of the old file, unchanged."""
        nonlocal position
        if i == j:
            return
        if len(pieces) > 1:
            pieces.append(b"\n")
        start, length = index.offsets[i], index.offsets[j] - index.offsets[i] - 1
        pieces.append((start, length))
        keys.append(index.subjects[index.starts[i]:index.starts[j]])
        new.starts.extend(_shifted(index.starts[i + 1:j + 1], new.starts[-1] - index.starts[i]))
        new.offsets.extend(_shifted(index.offsets[i:j], position - start))
        new.masks.extend(index.masks[i:j])
        position += length + 1

    cursor = 0
    for i, found, subject, text, mask in changes:
        keep(cursor, i)
        cursor = i + 1 if found else i
        if text is None:
            continue
        if len(pieces) > 1:
            pieces.append(b"\n")
        block = text.encode("utf-8")
        pieces.append(block)
        key = subject.encode("utf-8") + b"\n"
        keys.append(key)
        new.starts.append(new.starts[-1] + len(key))
        new.offsets.append(position)
        new.masks.append(mask)
        position += len(block) + 1
    keep(cursor, n)
    new.offsets.append(position)
    new.subjects = b"".join(keys)
    _write(out_path, old_path, pieces)
    return new


def _shifted(values, by: int):
    return values if by == 0 else map(by.__add__, values)


def _entry_key(data, start: int) -> str:
    """The key of the record-index entry starting at ``start`` (a line `` "iri": {``)."""
    line = data[start + 1:data.find(b"\n", start)].decode("utf-8")
    return _JSON.raw_decode(line)[0]


_JSON = json.JSONDecoder()


def write_patched_record_index(old_path: Path | str, removed: set[str], added: dict[str, dict], out_path: Path | str) -> None:
    """Write the record index of ``old_path`` with the entries of ``removed`` dropped and those of ``added`` set.

    The file is ``json.dumps(index, indent=1, ensure_ascii=False)`` of entries sorted by IRI and a
    line end; entries are found by binary search, the others copied as they are.

    Raises:
        ValueError: ``old_path`` is not such a file, or a removed IRI (not also added) is not in it.
    """
    data = _map(Path(old_path))
    try:
        if data[:] == b"{}\n":
            first = end = 2
        elif data[:4] == b'{\n "' and data[-3:] == b"\n}\n":
            first, end = 2, len(data) - 1  # entries, each but the last followed by ",\n"
        else:
            raise ValueError(f"{old_path}: not a record index")

        def find(lo: int, key: str) -> tuple[int, int]:
            """The entry start of the first key not below ``key`` at or after ``lo``, and the next entry's start."""
            hi = end
            while lo < hi:
                mid = (lo + hi) // 2
                start = data.rfind(b'\n "', lo - 1, mid + 2) + 1
                after = data.find(b'\n "', start + 1, hi) + 1 or hi
                if _entry_key(data, start) < key:
                    lo = after
                else:
                    hi = start
            return lo, (data.find(b'\n "', lo + 1, end) + 1 or end) if lo < end else end

        items: list[Piece] = []
        cursor = first
        for key in sorted(removed | added.keys()):
            at, after = find(cursor, key)
            found = at < end and _entry_key(data, at) == key
            if not found and key not in added:
                raise ValueError(f"{old_path}: a removed IRI has no entry: {key}")
            if at > cursor:
                items.append((cursor, at - 2 - cursor))
            if key in added:
                items.append(json.dumps({key: added[key]}, indent=1, ensure_ascii=False)[2:-2].encode("utf-8"))
            cursor = after if found else at
        if cursor < end:
            items.append((cursor, end - 2 - cursor))
    finally:
        if isinstance(data, mmap.mmap):
            data.close()
    if not items:
        _write(out_path, old_path, [b"{}\n"])
        return
    pieces: list[Piece] = [b"{\n"]
    for item in items:
        pieces += [item, b",\n"]
    pieces[-1] = b"\n}\n"
    _write(out_path, old_path, pieces)
