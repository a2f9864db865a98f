"""What a build keeps beside its outputs so that the next build can redo only what changed.

A build's generation folder (:mod:`nakg.build`) holds a ``state/`` folder:

- ``meta.pickle``: a :class:`State` — for each record file its cache key, a
  :class:`Skeleton` of each of its records (the fields other files' checks and
  labels read), the records it read from other files, the review sections it
  cites and the nodes it indexes; which lines are made by more than one part;
  the validation results; the counts behind ``void.ttl``;
- ``parts/<name>.marshal``: the N-Triples lines each part of the graph makes
  (:meth:`nakg.rdf.transform.GraphBuilder.build_parts`);
- ``objects.npy`` / ``object-counts.npy``: the sorted 16-byte digests of the
  graph's distinct objects and how many triples have each (distinct objects
  cannot be counted from a file sorted by subject);
- ``turtle.index``: where each subject's block is in ``nakg.ttl``.

A state is only used by a build with the same :func:`inputs_key`: the same
records folder, nakg code, ontology, shapes and library versions.
"""

from __future__ import annotations

import hashlib
import marshal
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..io import write_durably

__all__ = ["STATE", "State", "FileState", "Skeleton", "skeletons", "stub_events", "inputs_key", "part_file",
           "read_part", "part_bytes", "digest"]

#: The state's folder inside a generation.
STATE = "state"
#: Bumped whenever what a state holds changes meaning.
VERSION = 2
#: The fields of a record that labels (:meth:`~nakg.rdf.transform.GraphBuilder.label_of`) and the checks across
#: files (:func:`nakg.records.loader.merge_events`) read of a record in another file.
SKELETON_FIELDS = ("name", "formula", "notation", "phase", "space_group", "material", "strategy", "side", "electrolyte",
                   "derived_from", "series", "host", "product", "compares")


@dataclass(slots=True)
class Skeleton:
    """A record as another file sees it: kind, id, line, the :data:`SKELETON_FIELDS` it has (as plain dicts and
    lists), and what it refers to (record ids, reference numbers and review sections, as the loader's events give
    them)."""

    kind: str
    id: str
    line: int
    data: dict
    refs: list
    numbers: list
    sections: list


def _plain(value: Any) -> Any:
    """A field value as plain Python data (the loader's line-numbered containers dropped)."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def skeletons(events: list[tuple]) -> list[Skeleton]:
    """The :class:`Skeleton` of every record in a file's loader events."""
    out = []
    for event in events:
        if event[0] != "record":
            continue
        record, refs, numbers, sections = event[1:]
        data = {f: _plain(record.data[f]) for f in SKELETON_FIELDS if f in record.data}
        out.append(Skeleton(record.kind, record.id, record.line, data, [tuple(r) for r in refs],
                            [tuple(n) for n in numbers], [tuple(x) for x in sections]))
    return out


def stub_events(display: str, records: list[Skeleton]) -> list[tuple]:
    """Loader events for a file that did not change, made from its skeletons: what the checks across files read."""
    from ..records.model import Record

    return [("record", Record(s.kind, s.id, s.data, display, s.line, {}), s.refs, s.numbers, s.sections)
            for s in records]


@dataclass
class FileState:
    """One record file as the last build saw it."""

    key: str
    records: list[Skeleton]
    reads: set[str]
    sections: set[str]
    iris: list[str]
    #: True for a file with the review or the reference list (a change there rebuilds everything).
    literature: bool = False


@dataclass
class State:
    """What the next build needs of this one (see the module docstring)."""

    inputs: str
    files: dict[str, FileState]
    closing_iris: list[str]
    #: N-Triples lines made by more than one part, and by how many.
    shared: dict[str, int]
    #: The validation results (warnings; a build with violations keeps no state).
    results: list
    stats: Any
    version: int = VERSION
    #: The review sections the records cite (what the closing part was made for).
    closing_sections: set[str] = field(default_factory=set)

    def dumps(self) -> bytes:
        """The whole state as one pickle (see :meth:`meta_bytes` for what ``meta.pickle`` holds)."""
        import pickle

        return pickle.dumps(self, protocol=pickle.HIGHEST_PROTOCOL)

    @staticmethod
    def load(folder: Path) -> State | None:
        """The state in ``folder`` (None when missing, unreadable or of another version)."""
        import pickle

        try:
            with open(folder / "meta.pickle", "rb") as fh:
                state = pickle.load(fh)  # noqa: S301 - written by nakg into the build's own output folder
            if not isinstance(state, State) or state.version != VERSION:
                return None
            with open(folder / "graph.pickle", "rb") as fh:
                state.shared, state.stats = pickle.load(fh)  # noqa: S301 - as above
            for display in state.files:
                with open(folder / file_state_file(display), "rb") as fh:
                    state.files[display] = pickle.load(fh)  # noqa: S301 - as above
        except Exception:  # noqa: BLE001 - missing, truncated or from another version: build in full
            return None
        return state

    def meta_bytes(self) -> bytes:
        """``meta.pickle``: the state without what ``graph.pickle`` and the files' own pickles hold."""
        import copy

        bare = copy.copy(self)
        bare.shared, bare.stats, bare.files = {}, None, dict.fromkeys(self.files)
        return bare.dumps()

    def graph_bytes(self) -> bytes:
        import pickle

        return pickle.dumps((self.shared, self.stats), protocol=pickle.HIGHEST_PROTOCOL)

    def file_bytes(self, display: str) -> bytes:
        import pickle

        return pickle.dumps(self.files[display], protocol=pickle.HIGHEST_PROTOCOL)


def file_state_file(display: str) -> str:
    """The file (in ``state/``) of a record file's :class:`FileState`."""
    return f"files/{hashlib.sha256(display.encode()).hexdigest()[:24]}.pickle"


def part_file(name: str) -> str:
    """The file (in ``state/``) of a part's lines: named after a digest of the part's name."""
    return f"parts/{hashlib.sha256(name.encode()).hexdigest()[:24]}.marshal"


def part_bytes(lines) -> bytes:
    return marshal.dumps(list(lines))


def read_part(folder: Path, name: str) -> list[str]:
    with open(folder / part_file(name), "rb") as fh:
        return marshal.load(fh)


def digest(term: str) -> bytes:
    """A 16-byte digest of an N-Triples term (for counting distinct objects)."""
    return hashlib.blake2b(term.encode("utf-8"), digest_size=16).digest()


#: nakg modules whose code decides a build's outputs (with :func:`nakg.records.filecache.code_key`).
_CODE = ("rdf", "rebuild", "build.py", "validate.py", "validate_sparql.py", "dataset.py", "version.py")


def inputs_key(root: Path) -> str:
    """A hash of what a state is valid for: the records folder, the working directory (records are named
    relative to it), nakg's code, ontology, shapes and libraries."""
    from ..cache import fingerprint
    from ..records.filecache import code_key
    from ..resources import ontology_path, shapes_path

    h = hashlib.sha256(f"{VERSION}\0{Path(root).resolve()}\0{Path.cwd().resolve()}\0{code_key()}".encode())
    fingerprint(h, _CODE, ("rdflib", "pyshacl", "pyoxigraph", "numpy"))
    h.update(ontology_path().read_bytes())
    h.update(shapes_path().read_bytes())
    return h.hexdigest()


def write_graph_state(sink, stats, objects: dict[str, int], folder: Path, view=None) -> None:
    """Write the parts of the state that come from the triples of a full build (a sink with parts, see
    :meth:`nakg.rdf.sinks.NTriplesSink.begin`) into ``folder``: each part's lines, the lines shared by parts, the
    digests of the distinct objects (``objects``: how many triples have each), the statistics of ``void.ttl`` and (``view``: the predicates and classes of
    :func:`nakg.rebuild.revalidate.view_terms`) the lines the SPARQL constraints read."""
    import pickle

    import numpy as np

    candidates = {f"{s} {p} {o} ." for s, p, o in sink.repeated}
    shared: dict[str, int] = {}
    (folder / "parts").mkdir(parents=True, exist_ok=True)
    for name, triples in sink.parts.items():
        lines = [f"{s} {p} {o} ." for s, p, o in set(triples)]
        write_durably(folder / part_file(name), marshal.dumps(lines))
        for line in candidates.intersection(lines):
            shared[line] = shared.get(line, 0) + 1
    shared = {line: n for line, n in shared.items() if n > 1}
    pairs = sorted((digest(o), n) for o, n in objects.items())
    save_objects(folder, np.array([k for k, _ in pairs], dtype="S16"), np.array([n for _, n in pairs], dtype=np.int64))
    write_durably(folder / "graph.pickle", pickle.dumps((shared, stats), protocol=pickle.HIGHEST_PROTOCOL))
    if view is not None:
        predicates, classes = view
        rdf_type = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
        write_durably(folder / VIEW, marshal.dumps([f"{s} {p} {o} ." for s, p, o in sink.triples
                                             if p in predicates and (p != rdf_type or o in classes)]))


#: The lines the SPARQL constraints read, in the state folder.
VIEW = "sparql-view.marshal"
#: Where each subject's block lies in ``nakg.ttl`` (:class:`nakg.rdf.turtle.TurtleIndex`), in the state folder.
TURTLE_INDEX = "turtle.index"


def read_view(folder: Path) -> list[str] | None:
    try:
        with open(folder / VIEW, "rb") as fh:
            return marshal.load(fh)
    except (OSError, ValueError, EOFError):
        return None


def save_objects(folder: Path, keys, counts) -> None:
    import io

    import numpy as np

    for name, array in (("objects.npy", keys), ("object-counts.npy", counts)):
        buffer = io.BytesIO()
        np.save(buffer, array, allow_pickle=False)
        write_durably(folder / name, buffer.getvalue())


def load_objects(folder: Path):
    import numpy as np

    return (np.load(folder / "objects.npy", allow_pickle=False), np.load(folder / "object-counts.npy", allow_pickle=False))


def file_states(root: Path, records, parts, keys: dict[str, str]) -> dict[str, FileState]:
    """The :class:`FileState` of each record file of a build (``records`` loaded with their events)."""
    out = {}
    for display in records.files:
        events = records.events[display]
        literature = any(e[0] in ("review", "reference") for e in events)
        out[display] = FileState(keys[display], skeletons(events), set(parts.reads.get(display, ())),
                                 set(parts.sections.get(display, ())), [str(i) for i in parts.index.get(display, {})],
                                 literature)
    return out


def file_keys(root: Path) -> dict[str, tuple[Path, str | None]]:
    """Each record file below ``root`` by displayed name: its path and cache key (None where unreadable; nothing
    where a folder or file cannot be listed)."""
    from ..errors import rel
    from ..records.filecache import file_key
    from ..records.loader import _record_files

    problems: list = []
    out = {}
    for path in _record_files(root, problems):
        display = rel(path)
        out[display] = (path, file_key(path, display))
    return {} if problems else out


def record_state(root: Path, records, parts, report) -> dict[str, bytes]:
    """The files of the state of a full build that come from its records (the rest is written by
    :func:`write_graph_state`), by name in the state folder."""
    from ..rdf.transform import CLOSING

    keys = {display: key for display, (_, key) in file_keys(root).items()}
    state = State(inputs_key(root), file_states(root, records, parts, keys),
                  [str(i) for i in parts.index.get(CLOSING, {})], {}, list(report.results) if report else [], None,
                  closing_sections=set().union(*parts.sections.values()) if parts.sections else set())
    files = {"meta.pickle": state.meta_bytes()}
    files.update({file_state_file(d): state.file_bytes(d) for d in state.files})
    return files
