"""An incremental rebuild: the outputs of a full build, made from the last build's outputs and what changed.

:func:`rebuild` is tried by :func:`nakg.build.build` when the output folder holds
a build of the same records folder by the same code (:mod:`nakg.rebuild.state`).
It says why the build must run in full whenever it cannot show that its outputs
equal a full build's (:class:`FullBuild`); otherwise:

1. **Records.** Files whose bytes changed are read again. Files that did not
   change take part in the checks across files through their skeletons, except
   those whose records read a record that changed (a label, a kind): they are
   compiled again. A problem in the records, the review or the reference list
   changing, or a file that cannot be read: full build (which reports it).
2. **Triples.** The changed files' parts and the closing part are made again
   (:meth:`~nakg.rdf.transform.GraphBuilder.build_parts`); a line leaves the graph
   when no part makes it any more, and joins it when no part made it before.
3. **Validation** (:mod:`nakg.rebuild.revalidate`): the focus nodes whose
   triples changed, with their values' types, are validated on their own.
4. **Outputs**: ``nakg.nt``, ``nakg.ttl`` and ``record-index.json`` are patched
   (:mod:`nakg.rebuild.patch`); the statistics of ``void.ttl`` are updated.

``tests/test_rebuild.py`` checks byte for byte that the outputs equal a clean
build's after many kinds of edits.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..records import RecordSet
from ..validate import ValidationReport
from . import FullBuild
from .state import STATE, State

__all__ = ["FullBuild", "Rebuilt", "rebuild", "GENERATIONS", "READING"]

#: The generations folder of a build's output folder (as :mod:`nakg.build` names it).
GENERATIONS = ".nakg-builds"
#: A file in a rebuild's work folder naming the generation it reads (which no build removes meanwhile).
READING = "reading"
_NT, _TTL, _INDEX, _VOID = "nakg.nt", "nakg.ttl", "record-index.json", "void.ttl"
_RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"


@dataclass
class Rebuilt:
    """What an incremental rebuild made: files to publish (bytes, or paths in ``folder`` to move in), files of the
    last generation to share (``links``), and what :class:`nakg.build.BuildResult` reports."""

    records: RecordSet
    report: ValidationReport
    triples: int
    folder: Path
    files: dict = field(default_factory=dict)
    links: dict = field(default_factory=dict)
    #: Why parts were done again: the record files that changed and those that read their records.
    changed: list[str] = field(default_factory=list)
    dependents: list[str] = field(default_factory=list)


def _split(line: str) -> tuple[str, str, str]:
    s, p, rest = line.split(" ", 2)
    return s, p, rest[:-2]


def rebuild(root: Path, out: Path, stage) -> Rebuilt | str:
    """Rebuild ``out`` from the records in ``root`` incrementally, or say why a full build is needed.

    ``stage(name, fn, *args)`` runs and times each step (see :func:`nakg.build.build`).
    """
    import os
    import shutil

    from ..errors import RecordsInvalid
    from .state import file_keys, inputs_key

    current = out / GENERATIONS / "current"
    try:
        old = current.resolve(strict=True)
    except OSError:
        return "no earlier build in the output folder"
    state = State.load(old / STATE)
    if state is None or not all((old / n).is_file() for n in (_NT, _TTL, _INDEX)):
        return "the earlier build in the output folder kept no incremental state"
    if state.inputs != inputs_key(root):
        return ("the earlier build was made from another records folder or working directory, or by another nakg, "
                "ontology or shapes")
    try:
        keys = file_keys(root)
    except RecordsInvalid:
        return "the records folder cannot be read (the full build reports why)"
    if not keys or any(key is None for _, key in keys.values()):
        return "a record file or folder cannot be read (the full build reports which)"
    changed = [d for d, (_, key) in keys.items() if d not in state.files or state.files[d].key != key]
    removed = [d for d in state.files if d not in keys]
    if any(state.files[d].literature for d in changed + removed if d in state.files):
        return "the review or the reference list changed"
    folder = Path(tempfile.mkdtemp(prefix=f"render-{os.getpid()}-", dir=out / GENERATIONS))
    (folder / READING).write_text(old.name, encoding="utf-8")  # kept by concurrent builds while this one reads it
    try:
        return _rebuild(old, state, keys, changed, removed, folder, stage)
    except FullBuild as why:
        shutil.rmtree(folder, ignore_errors=True)
        return str(why)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise


def _rebuild(old: Path, state: State, keys: dict, changed: list[str], removed: list[str], folder: Path,
             stage) -> Rebuilt:
    from ..errors import RecordsInvalid
    from ..records.loader import merge_events, read_file_events
    from ..vocab import vocabulary
    from .state import skeletons, stub_events

    vocab = vocabulary()
    fresh = dict(zip(changed, stage("load records (changed files)", read_file_events,
                                    [(keys[d][0], d) for d in changed], vocab)))
    if any(e[0] in ("review", "reference") for events in fresh.values() for e in events):
        raise FullBuild("a changed file now holds the review or references")
    # records whose label or kind another file could read, before and after
    before, after = {}, {}
    for d in changed + removed:
        if d in state.files:
            before.update({s.id: (s.kind, s.data) for s in state.files[d].records})
    for d in changed:
        after.update({s.id: (s.kind, s.data) for s in skeletons(fresh[d])})
    touched = {i for i in before.keys() | after.keys() if before.get(i) != after.get(i)}
    dependents = [d for d in keys if d not in fresh and touched & state.files[d].reads]
    real = [(keys[d][0], d) for d in keys if d in dependents or (d not in fresh and state.files[d].literature)]
    fresh.update(zip((d for _, d in real), read_file_events(real, vocab)))
    per_file = [(d, fresh[d] if d in fresh else stub_events(d, state.files[d].records)) for d in keys]
    try:
        records = stage("check records across files", merge_events, per_file, vocab)
    except RecordsInvalid:
        raise FullBuild("the records have problems (the full build reports each with its line)") from None
    return _finish(old, state, keys, records, fresh, removed, folder, stage, changed, dependents)


def _finish(old, state, keys, records, fresh, removed, folder, stage, changed, dependents):
    """Make the changed files' parts again, validate what they change, patch the outputs and write the new state."""
    from ..rdf.sinks import NTriplesSink
    from ..rdf.transform import CLOSING, GraphBuilder
    from .patch import SortedNTriples
    from .revalidate import revalidate
    from .state import VIEW, FileState, file_state_file, part_bytes, part_file, read_part, read_view, skeletons

    redo = changed + dependents
    builder = GraphBuilder(records, sink=NTriplesSink())
    parts = stage("transform to RDF (changed parts)", builder.build_parts, redo)
    sections = set()
    for d in keys:
        sections |= parts.sections[d] if d in parts.sections else state.files[d].sections
    if sections != state.closing_sections:  # else the closing part is as it was (the literature files are)
        parts.index[CLOSING] = builder.closing_part(sections)
    sink = builder.sink
    if sink.collided():
        raise FullBuild("two literals of one property would be one value in the validation store")
    names = redo + ([CLOSING] if CLOSING in parts.index else [])
    new_lines = {name: {f"{s} {p} {o} ." for s, p, o in sink.parts.get(name, ())} for name in names}
    with SortedNTriples(old / _NT, state.stats.triples) as graph:
        removed_lines, added_lines = _delta(state, old, names, removed, new_lines, graph, read_part)
        checked = stage("validate (SHACL, changed nodes)", revalidate, graph, state, removed_lines, added_lines,
                        new_lines, parts, records, old / STATE, lambda: read_view(old / STATE))
        report, view = checked
        triples = len(graph) - len(removed_lines) + len(added_lines)
        joining: dict[str, set[str]] = {}
        for line in added_lines:
            joining.setdefault(line.split(" ", 1)[0], set()).add(line)
        blocks = {}
        for s in {line.split(" ", 1)[0] for line in removed_lines} | joining.keys():
            lines = (set(graph.subject_lines(s)) - removed_lines) | joining.get(s, set())
            blocks[s] = sorted((p, o) for _, p, o in map(_split, lines))
        done = Rebuilt(records, report, triples, folder, changed=changed, dependents=dependents)
        stage("write outputs (patched)", _outputs, old, state, done, graph, removed_lines, added_lines, blocks, parts,
              records)
    # the new state
    files = {}
    for d, (_, key) in keys.items():
        if d in parts.reads:
            files[d] = FileState(key, skeletons(fresh[d]), set(parts.reads[d]), set(parts.sections[d]),
                                 [str(i) for i in parts.index[d]],
                                 any(e[0] in ("review", "reference") for e in fresh[d]))
        else:
            files[d] = state.files[d]
    closing = [str(i) for i in parts.index[CLOSING]] if CLOSING in parts.index else state.closing_iris
    new_state = State(state.inputs, files, closing, state.shared, report.results, done.stats,
                      closing_sections=sections)
    done.files[f"{STATE}/meta.pickle"] = new_state.meta_bytes()
    done.files[f"{STATE}/graph.pickle"] = new_state.graph_bytes()
    for d in keys:
        for name in (f"{STATE}/{part_file(d)}", f"{STATE}/{file_state_file(d)}"):
            if d in new_lines:
                done.files[name] = part_bytes(new_lines[d]) if "/parts/" in name else new_state.file_bytes(d)
            else:
                done.links[name] = old / name
    if CLOSING in new_lines:
        done.files[f"{STATE}/{part_file(CLOSING)}"] = part_bytes(new_lines[CLOSING])
    else:
        done.links[f"{STATE}/{part_file(CLOSING)}"] = old / STATE / part_file(CLOSING)
    if view is not None:
        done.files[f"{STATE}/{VIEW}"] = part_bytes(view)
    elif (old / STATE / VIEW).is_file():
        done.links[f"{STATE}/{VIEW}"] = old / STATE / VIEW
    return done


def _delta(state: State, old: Path, names: list[str], removed_files: list[str], new_lines: dict, graph, read_part):
    """Lines that leave and join the graph, from the old and new lines of the parts done again (and of files that
    are gone); updates ``state.shared`` (how many parts make each line made by more than one)."""
    from ..rdf.transform import CLOSING

    shared = state.shared
    counts: dict[str, int] = {}

    def count(line: str) -> int:
        n = counts.get(line)
        if n is None:
            n = shared.get(line) or (1 if line in graph else 0)
        return n

    before: dict[str, int] = {}
    for name in names + removed_files:
        old_lines = set(read_part(old / STATE, name)) if (name in state.files or name == CLOSING) else set()
        new = new_lines.get(name, set())
        for line in old_lines - new:
            n = count(line)
            before.setdefault(line, n)
            counts[line] = n - 1
        for line in new - old_lines:
            n = count(line)
            before.setdefault(line, n)
            counts[line] = n + 1
    removed, added = set(), set()
    for line, n in counts.items():
        if n < 0:  # pragma: no cover - a state that does not match its graph
            raise RuntimeError(f"inconsistent incremental state for {line}")
        if before[line] > 0 and n == 0:
            removed.add(line)
        elif before[line] == 0 and n > 0:
            added.add(line)
        if n >= 2:
            shared[line] = n
        else:
            shared.pop(line, None)
    return removed, added


def _outputs(old: Path, state: State, done: Rebuilt, graph, removed: set, added: set, blocks: dict, parts,
             records) -> None:
    """Patch the data files, update the statistics and write the manifest, the validation report and VoID."""
    from ..dataset import describe, manifest_bytes
    from ..rdf.turtle import graph_turtle
    from ..rdf.turtle import TurtleIndex
    from .patch import write_patched_ntriples, write_patched_record_index, write_patched_turtle
    from .state import TURTLE_INDEX

    folder = done.folder
    write_patched_ntriples(old / _NT, removed, added, folder / _NT, lines=state.stats.triples)
    index = TurtleIndex.load(old / STATE / TURTLE_INDEX)
    write_patched_turtle(old / _TTL, index, blocks, folder / _TTL).save(folder / TURTLE_INDEX)
    from ..rdf.transform import CLOSING

    gone = set(state.closing_iris) if CLOSING in parts.index else set()
    for d in parts.reads:
        gone.update(state.files[d].iris if d in state.files else ())
    entries = {}
    for name, found in parts.index.items():
        for iri, r in found.items():
            entries[str(iri)] = {"file": r.file, "record": r.id, "line": r.line}
    for d in set(state.files) - set(records.files):
        gone.update(state.files[d].iris)
    write_patched_record_index(old / _INDEX, gone - entries.keys(), entries, folder / _INDEX)
    done.stats = _statistics(old, state, graph, removed, added, blocks, done)
    done.files.update({
        _NT: folder / _NT, _TTL: folder / _TTL, _INDEX: folder / _INDEX,
        "manifest.json": manifest_bytes(done.triples, records.count(), records.files, done.report),
        "validation.txt": (done.report.text() + "\n").encode("utf-8"),
        _VOID: graph_turtle(describe(done.stats)),
        f"{STATE}/{TURTLE_INDEX}": folder / TURTLE_INDEX,
    })


def _statistics(old: Path, state: State, graph, removed: set, added: set, blocks: dict, done: Rebuilt):
    """The statistics of ``void.ttl`` after the change (and the new object digests, in ``done.files``)."""
    import copy

    import numpy as np

    from ..dataset import EXAMPLES, RESOURCE, is_entity
    from .state import digest, load_objects, save_objects

    stats = copy.deepcopy(state.stats)
    stats.triples = done.triples
    step: dict[bytes, int] = {}
    for sign, lines in ((-1, removed), (1, added)):
        for line in lines:
            _, p, o = _split(line)
            stats.predicates[p] = stats.predicates.get(p, 0) + sign
            if p == _RDF_TYPE:
                stats.classes[o] = stats.classes.get(o, 0) + sign
            key = digest(o)
            step[key] = step.get(key, 0) + sign
    stats.predicates = {p: n for p, n in stats.predicates.items() if n}
    stats.classes = {c: n for c, n in stats.classes.items() if n}
    for s, triples in blocks.items():
        was, now = bool(graph.subject_lines(s)), bool(triples)
        if was != now:
            stats.subjects += 1 if now else -1
            if is_entity(s):
                stats.entities += 1 if now else -1
            name = s[1 + len(RESOURCE):-1] if s.startswith("<" + RESOURCE) else None
            if name in EXAMPLES:
                (stats.examples.add if now else stats.examples.discard)(name)
    keys, counts = load_objects(old / STATE)
    if step:
        changes = sorted(step.items())
        wanted = np.array([k for k, _ in changes], dtype="S16")
        at = np.searchsorted(keys, wanted)
        found = (at < len(keys)) & (keys[np.minimum(at, len(keys) - 1)] == wanted)
        counts = counts.copy()
        for (key, delta), i, hit in zip(changes, at, found):
            if hit:
                counts[i] += delta
        new = [(k, d) for (k, d), hit in zip(changes, found) if not hit and d > 0]
        if new:
            add = np.array([k for k, _ in new], dtype="S16")
            where = np.searchsorted(keys, add)
            keys = np.insert(keys, where, add)
            counts = np.insert(counts, where, [d for _, d in new])
        keep = counts > 0
        keys, counts = keys[keep], counts[keep]
    stats.objects = int(len(keys))
    save_objects(done.folder / "objects", keys, counts)
    for name in ("objects.npy", "object-counts.npy"):
        done.files[f"{STATE}/{name}"] = done.folder / "objects" / name
    return stats
