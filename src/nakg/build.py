"""The build pipeline: records → RDF → SHACL validation → outputs.

The outputs of one build appear together or not at all. They are written into
a new folder ``OUT/.nakg-builds/<generation>/``, which becomes the current
one by replacing one symbolic link (``OUT/.nakg-builds/current``) — a single
atomic rename; ``OUT/nakg.ttl``, ``OUT/nakg.nt`` … are links through it, so
a reader sees either every file of the previous build or every file of the
new one. Builds into the same folder take turns (a lock file), the previous
generation is kept for readers that still hold it, and a build stopped by
SIGTERM, a full disk or any error removes its unfinished folder (one killed
outright has its folder removed by the next build).

>>> import tempfile
>>> result = build(out_dir=tempfile.mkdtemp())
>>> result.report.conforms and result.triples > 1000
True
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import Graph, URIRef

from .cache import cache_dir
from .errors import ValidationFailed
from .io import atomic_write_bytes, write_durably
from .records import RecordSet, load_records
from .records.model import Record
from .dataset import manifest_bytes
from .validate import ValidationReport, validate_graph

if TYPE_CHECKING:
    from .rdf.sinks import NTriplesSink
    from .rdf.transform import Parts

__all__ = ["BuildResult", "build", "compile_records", "compiled_graph_file", "inputs_key", "cache_dir", "DATA_FILES",
           "VOID_FILE", "release_bytes", "GENERATIONS"]

#: Output files of a build, by format.
DATA_FILES = {"turtle": "nakg.ttl", "nt": "nakg.nt"}
#: The VoID/DCAT description of the data written beside them (:mod:`nakg.dataset`).
VOID_FILE = "void.ttl"
#: The folder inside a build's output folder that holds the generations of outputs.
GENERATIONS = ".nakg-builds"
#: Every file name a build may link into its output folder.
_OUTPUT_NAMES = (DATA_FILES["turtle"], DATA_FILES["nt"], "record-index.json", "validation.txt", "manifest.json", VOID_FILE)


@dataclass
class BuildResult:
    """What a build produced: records, graph, validation report, written files and stage timings.

    A build keeps its triples as N-Triples (``data``); ``graph`` parses them into
    an rdflib graph on first use. After an incremental rebuild, ``records``,
    ``index`` and ``graph`` are read from the records and the outputs on first use
    (the rebuild itself read only what changed); :attr:`record_counts` and
    :attr:`record_files` never need that.
    """

    _records: RecordSet
    _graph: Graph | None
    _index: dict[URIRef, Record] | None
    report: ValidationReport | None
    outputs: dict[str, Path] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    data: NTriplesSink | None = None
    #: What each record file's part of the graph read and indexes (a full build that keeps incremental state).
    parts: Parts | None = None
    #: The number of triples, where neither ``data`` nor a graph is held (an incremental rebuild).
    count: int | None = None
    #: How the outputs were made: a full build (and why), or an incremental rebuild (and of which files).
    how: str = "full build"
    #: The records folder of an incremental rebuild, whose records are read again on first use.
    _root: Path | None = None

    @property
    def records(self) -> RecordSet:
        """Every checked record of the build."""
        if self._root is not None:
            self._records, self._root = load_records(self._root, cache=True), None
        return self._records

    @property
    def record_counts(self) -> dict[str, int]:
        """Records per kind (and references)."""
        return self._records.count()

    @property
    def record_files(self) -> list[str]:
        """The record files, as they are named in errors and in ``record-index.json``."""
        return self._records.files

    @property
    def index(self) -> dict[URIRef, Record]:
        """Every node made from a record → that record."""
        if self._index is None:
            records = self.records
            known = {("review", records.review.id): records.review} if records.review else {}
            known.update({("reference", r.id): r for r in records.references.values()})
            entries = json.loads(self.outputs["index"].read_text(encoding="utf-8"))
            self._index = {URIRef(iri): records.by_id.get(e["record"]) or known.get(("review", e["record"]))
                           or known[("reference", e["record"])] for iri, e in entries.items()}
        return self._index

    @property
    def graph(self) -> Graph:
        """The data graph as an rdflib graph (of an incremental rebuild: parsed from its N-Triples output)."""
        if self._graph is None:
            if self.data is not None:
                self._graph = self.data.graph()
            else:
                from .rdf.sinks import parse_ntriples

                self._graph = parse_ntriples(self.outputs["nt"].read_bytes())
        return self._graph

    @property
    def triples(self) -> int:
        if self.count is not None:
            return self.count
        return len(self.data) if self.data is not None else len(self._graph)


def _ontology_graph() -> Graph:
    from .resources import ontology_path

    return Graph().parse(ontology_path(), format="turtle")


def compile_records(records_dir: Path | str | None = None) -> tuple[RecordSet, Graph, dict[URIRef, Record]]:
    """Load records and transform them to the data graph (no validation, nothing written)."""
    from .rdf.transform import records_to_graph
    from .resources import records_dir as default_records

    records = load_records(records_dir or default_records())
    graph, index = records_to_graph(records)
    return records, graph, index


#: Modules whose code decides what the records compile to (part of the cache key).
_COMPILE_CODE = ("records", "rdf", "quantities.py", "formula.py", "vocab.py", "build.py")


def inputs_key(records_dir: Path | str | None = None) -> str:
    """A hash of everything the compiled graph depends on: records, ontology, nakg's compile code, library versions.

    >>> len(inputs_key()) == 64 and inputs_key() == inputs_key()
    True
    """
    import hashlib

    from .cache import fingerprint
    from .records.loader import _record_files
    from .resources import ontology_path
    from .resources import records_dir as default_records

    root = Path(records_dir or default_records())
    h = hashlib.sha256()
    for f in _record_files(root):
        h.update(f.relative_to(root).as_posix().encode() if f != root else f.name.encode())
        h.update(f.read_bytes())
    h.update(ontology_path().read_bytes())
    fingerprint(h, _COMPILE_CODE, ("rdflib", "pint", "molmass", "PyYAML"))
    return h.hexdigest()


def compiled_graph_file(records_dir: Path | str | None = None) -> Path:
    """N-Triples of the compiled records, cached in :func:`cache_dir` under :func:`inputs_key`.

    The first call compiles (no SHACL validation, as :func:`compile_records`); later
    calls with unchanged inputs return the cached file. Where the cache folder is
    not writable a temporary folder is used.
    """
    import os
    import tempfile

    key = inputs_key(records_dir)
    for folder in (cache_dir(), None):
        target = (folder or Path(tempfile.gettempdir()) / "nakg-cache") / f"graph-{key[:32]}.nt"
        try:
            os.utime(target)  # in use: pruning by other processes spares it
            return target
        except FileNotFoundError:
            pass  # not cached yet (or just pruned by another process)
        except OSError:
            if target.is_file():  # a read-only cache
                return target
        try:
            from .rdf.transform import records_to_ntriples
            from .resources import records_dir as default_records

            sink, _ = records_to_ntriples(load_records(records_dir or default_records()))
            atomic_write_bytes(target, sink.ntriples())
        except OSError:
            continue
        _prune_cache(target.parent, keep=8)
        return target
    raise OSError("no writable cache folder for the compiled graph")  # pragma: no cover


#: Cached graphs used within this many seconds are never pruned (another process may be loading them).
_PRUNE_GRACE = 3600.0


def _prune_cache(folder: Path, keep: int) -> None:
    """Remove all but the ``keep`` most recently used cached graphs, sparing any used within the last hour."""
    now = time.time()
    stamped = []
    for f in folder.glob("graph-*.nt"):
        try:
            stamped.append((f.stat().st_mtime, f))
        except OSError:  # another process removed it
            continue
    for mtime, old in sorted(stamped, reverse=True)[keep:]:
        if now - mtime < _PRUNE_GRACE:
            continue
        try:
            old.unlink()
        except OSError:  # pragma: no cover - another process removed it
            pass


def _sorted_ntriples(graph: Graph) -> bytes:
    """Sorted N-Triples, line for line what rdflib's ``nt`` serializer writes (without its per-triple overhead)."""
    from rdflib.plugins.serializers.nt import _nt_row

    lines = sorted({_nt_row(t).rstrip("\n") for t in graph})
    return ("\n".join(line for line in lines if line.strip()) + "\n").encode("utf-8")


def _turtle(graph: Graph) -> bytes:
    """Turtle of an rdflib graph in the layout of the data files (:func:`nakg.rdf.turtle.graph_turtle`)."""
    from .rdf.turtle import graph_turtle

    return graph_turtle(graph)


def build(records_dir: Path | str | None = None, out_dir: Path | str | None = "build", validate: bool = True,
          progress: Callable[[str], None] | None = None, engine: str = "ntriples", cache: bool = True,
          incremental: bool = True) -> BuildResult:
    """Run the whole pipeline and write the outputs to ``out_dir`` (None: write nothing).

    ``engine``: ``"ntriples"`` (default) renders the triples straight to N-Triples
    and validates them in Oxigraph; ``"rdflib"`` goes through an rdflib graph (the
    reference path). Both write the same bytes. ``cache``: reuse the checked
    records of files unchanged since an earlier build (:mod:`nakg.records.filecache`).
    ``incremental``: where ``out_dir`` holds an earlier build of the same records
    folder by the same nakg, redo only what the changed record files change
    (:mod:`nakg.rebuild`); the outputs are the same bytes a full build writes.

    Raises :class:`~nakg.errors.RecordsInvalid` for bad records and
    :class:`~nakg.errors.ValidationFailed` for SHACL violations; in both cases no
    output file is written or changed.
    """
    import gc

    if engine not in ("ntriples", "rdflib"):
        raise ValueError(f"unknown build engine '{engine}' (ntriples, rdflib)")
    say = progress or (lambda _msg: None)
    timings: dict[str, float] = {}

    def stage(name: str, fn, *args):
        say(f"{name} …")
        t0 = time.perf_counter()
        value = fn(*args)
        timings[name] = time.perf_counter() - t0
        return value

    from .resources import records_dir as default_records

    collecting = gc.isenabled()
    rendering: _Forked | None = None
    gc.disable()  # a build makes millions of objects and no cycles worth collecting: the collector only costs time
    try:
        root = Path(records_dir) if records_dir else default_records()
        keep_state = engine == "ntriples" and out_dir is not None and validate
        how = "full build"
        if keep_state and incremental and cache:
            from .rebuild.incremental import rebuild

            done = rebuild(root, Path(out_dir), stage)
            if not isinstance(done, str):
                result = BuildResult(done.records, None, None, done.report, timings=timings, count=done.triples,
                                     how=_incremental_how(done), _root=root)
                stage("write outputs", _publish_rebuild, result, Path(out_dir), done)
                return result
            how = f"full build: {done}"
        elif keep_state:
            how = "full build (incremental rebuilds off)"
        records = stage("load records", lambda: load_records(root, cache=cache, keep_events=keep_state))
        report = None
        if engine == "rdflib":
            from .rdf.transform import records_to_graph

            graph, index = stage("transform to RDF", records_to_graph, records)
            if validate:
                ontology = stage("load ontology", _ontology_graph)
                report = stage("validate (SHACL)", validate_graph, graph, ontology, None, index)
            result = BuildResult(records, graph, index, report, timings=timings, how=how)
        else:
            from .rdf.transform import records_to_ntriples
            from .validate import validate_ntriples

            parts = None
            if keep_state:
                sink, index, parts = stage("transform to RDF", records_to_ntriples, records, None, True)
            else:
                sink, index = stage("transform to RDF", records_to_ntriples, records)
            collided = sink.collided()
            sink.forget_terms()  # memory for the store instead
            if out_dir is not None:  # the files are rendered by a second process while this one validates
                rendering = _Forked(lambda folder: _render(sink, folder, keep_state and not collided),
                                    _render_folder(Path(out_dir)))
            if validate:
                ontology = stage("load ontology", _ontology_graph)
                report = stage("validate (SHACL)", validate_ntriples, sink.unsorted_chunks, ontology, None, index,
                               collided)
            result = BuildResult(records, None, index, report, timings=timings, data=sink,
                                 parts=parts if not collided else None, how=how)
        if report is not None and not report.conforms:
            raise ValidationFailed(report)
        if out_dir is not None:
            stage("write outputs", _write_outputs, result, Path(out_dir), rendering, root)
    finally:
        if rendering is not None:
            rendering.cancel()
        if collecting:
            gc.enable()
    return result


def _incremental_how(done) -> str:
    """What an incremental rebuild did, in one line."""
    n = len(done.changed)
    text = f"incremental rebuild: {n} record file{'s' if n != 1 else ''} changed"
    if done.changed:
        text += " (" + ", ".join(done.changed[:3]) + (", …" if n > 3 else "") + ")"
    if done.dependents:
        text += f"; {len(done.dependents)} more read their records and were made again"
    return text


def _render_folder(out: Path) -> Path | None:
    """A new folder beside the generations of ``out`` for files rendered before they are published (None where
    none can be made: they are then rendered when published)."""
    import os
    import tempfile

    from .io import remove_stale_temporaries

    store = out / GENERATIONS
    try:
        store.mkdir(parents=True, exist_ok=True)
        remove_stale_temporaries(store, r"^render-(\d+)-")
        return Path(tempfile.mkdtemp(prefix=f"render-{os.getpid()}-", dir=store))
    except OSError:
        return None


def _render(sink: NTriplesSink, folder: Path, keep_state: bool) -> None:
    """Write the data files of the triples in ``sink`` into ``folder``, and (``keep_state``) the part of the
    incremental state that comes from the triples (:func:`nakg.rebuild.state.write_graph_state`)."""
    from .dataset import describe, statistics

    objects: dict[str, int] = {}
    stats = statistics(sink.triples, objects)
    turtle, index = sink.turtle_chunks()
    write_durably(folder / DATA_FILES["turtle"], turtle)
    del turtle
    write_durably(folder / DATA_FILES["nt"], sink.ntriples_chunks())
    write_durably(folder / VOID_FILE, _turtle(describe(stats)))
    if keep_state:
        from .rebuild.revalidate import view_terms
        from .rebuild.state import STATE, TURTLE_INDEX, write_graph_state

        write_durably(folder / STATE / TURTLE_INDEX, index.dumps())
        write_graph_state(sink, stats, objects, folder / STATE, view_terms())


class _Forked:
    """``fn(folder)`` (which writes files into ``folder``) run by a forked child while this process goes on;
    :meth:`result` waits and returns the folder.

    Where no child can be made, or it fails, :meth:`result` runs ``fn`` here. The
    child leaves by ``os._exit``; folders of builds that were killed are removed by
    the next build. ``folder`` None: nothing is forked and :meth:`result` gives None.
    """

    def __init__(self, fn: Callable[[Path], None], folder: Path | None):
        import os

        self.fn, self.pid, self.folder = fn, None, folder
        if folder is None or not hasattr(os, "fork") or (os.cpu_count() or 1) < 2:
            return
        try:
            pid = os.fork()
        except OSError:
            return
        if pid == 0:  # the child: render, write, leave without running the parent's clean-up
            code = 1
            try:
                fn(folder)
                code = 0
            finally:
                os._exit(code)
        self.pid = pid

    def result(self) -> Path | None:
        import os
        import shutil

        if self.folder is None:
            return None
        if self.pid is not None:
            _, status = os.waitpid(self.pid, 0)
            self.pid = None
            if os.waitstatus_to_exitcode(status) == 0:
                return self.folder
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir()
        self.fn(self.folder)
        return self.folder

    def cancel(self) -> None:
        import os
        import shutil
        import signal

        if self.pid is not None:
            try:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
            except OSError:
                pass
            self.pid = None
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)


def release_bytes(graph: Graph) -> dict[str, bytes]:
    """The files of a release, by name: sorted Turtle, sorted N-Triples and the VoID/DCAT description (``graph/``)."""
    from .dataset import dataset_description

    return {DATA_FILES["turtle"]: _turtle(graph), DATA_FILES["nt"]: _sorted_ntriples(graph),
            VOID_FILE: _turtle(dataset_description(graph))}


def _sink_release_bytes(sink: NTriplesSink) -> dict[str, bytes]:
    """:func:`release_bytes` of the triples in an N-Triples sink, without an rdflib graph."""
    from .dataset import dataset_description

    return {DATA_FILES["turtle"]: sink.turtle(), DATA_FILES["nt"]: sink.ntriples(), VOID_FILE: _turtle(dataset_description(sink.triples))}


def _write_outputs(result: BuildResult, out: Path, rendering: _Forked | None = None, root: Path | None = None) -> None:
    folder = rendering.result() if rendering is not None else None
    files: dict[str, bytes | Path] = {}
    if folder is not None:
        files.update({name: folder / name for name in (DATA_FILES["turtle"], DATA_FILES["nt"], VOID_FILE)})
    else:
        files.update(release_bytes(result.graph) if result.data is None else _sink_release_bytes(result.data))
    index = {str(iri): {"file": r.file, "record": r.id, "line": r.line} for iri, r in sorted(result.index.items())}
    files["record-index.json"] = (json.dumps(index, indent=1, ensure_ascii=False) + "\n").encode("utf-8")
    files["manifest.json"] = manifest_bytes(result.triples, result.record_counts, result.record_files, result.report)
    if result.report is not None:
        files["validation.txt"] = (result.report.text() + "\n").encode("utf-8")
    parts = getattr(result, "parts", None)
    if folder is not None and parts is not None and root is not None and (folder / "state").is_dir():
        from .rebuild.state import STATE, record_state

        files.update({f"{STATE}/{name}": data for name, data in record_state(root, result.records, parts,
                                                                             result.report).items()})
        files[STATE] = folder / STATE
    try:
        _publish(out, files)
    finally:
        if folder is not None:
            import shutil

            shutil.rmtree(folder, ignore_errors=True)
    _set_outputs(result, out)


def _set_outputs(result: BuildResult, out: Path) -> None:
    result.outputs = {"turtle": out / DATA_FILES["turtle"], "nt": out / DATA_FILES["nt"], "index": out / "record-index.json",
                      "manifest": out / "manifest.json", "void": out / VOID_FILE}
    if result.report is not None:
        result.outputs["validation"] = out / "validation.txt"


def _publish_rebuild(result: BuildResult, out: Path, done) -> None:
    """Publish the outputs of an incremental rebuild (:class:`nakg.rebuild.incremental.Rebuilt`)."""
    import shutil

    try:
        _publish(out, done.files, done.links)
    finally:
        shutil.rmtree(done.folder, ignore_errors=True)
    _set_outputs(result, out)


def _publish(out: Path, files: dict[str, bytes | Path], links: dict[str, Path] | None = None) -> None:
    """Write ``files`` as one new generation and make it the current one (see the module docstring).

    A value that is a path (a file or folder made beforehand beside the
    generations) is moved in; ``links`` are files of an earlier generation that
    the new one shares unchanged (hard links, copied where links cannot be made).
    """
    import fcntl
    import os
    import shutil
    import tempfile

    from .io import OutputError, remove_stale_temporaries, terminate_cleanly

    def fail(path: Path, exc: OSError) -> OutputError:
        return OutputError(exc.errno, f"cannot write {path}: {exc.strerror or exc}; the previous outputs are unchanged")

    store = out / GENERATIONS
    with terminate_cleanly():
        try:
            store.mkdir(parents=True, exist_ok=True)
            lock = open(store / "lock", "a")  # noqa: SIM115 - held until the new generation is current
        except OSError as exc:
            raise fail(out, exc) from exc
        with lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # concurrent builds into one folder take turns; each wins whole
            remove_stale_temporaries(store, r"^tmp-(\d+)-")
            tmp = Path(tempfile.mkdtemp(prefix=f"tmp-{os.getpid()}-", dir=store))
            generation = store / f"{time.time_ns()}-{os.getpid()}"
            try:
                for name, data in files.items():
                    target = tmp / name
                    target.parent.mkdir(parents=True, exist_ok=True)
                    if isinstance(data, Path):
                        if target.is_dir():  # a folder moved into one that already has files
                            for f in data.rglob("*"):
                                dest = target / f.relative_to(data)
                                dest.parent.mkdir(parents=True, exist_ok=True)
                                if f.is_file():
                                    _move(f, dest)
                        else:
                            _move(data, target)
                        continue
                    with open(target, "wb") as fh:
                        fh.write(data)
                        fh.flush()
                        os.fsync(fh.fileno())
                    os.chmod(target, 0o666 & ~_umask())
                for name, source in (links or {}).items():
                    target = tmp / name
                    target.parent.mkdir(parents=True, exist_ok=True)
                    try:
                        os.link(source, target)
                    except OSError:
                        shutil.copyfile(source, target)
                for name in files:
                    if isinstance(files[name], Path) and (tmp / name).is_file():
                        os.chmod(tmp / name, 0o666 & ~_umask())
                os.rename(tmp, generation)
                _link(store / "current", generation.name)  # the switch: one rename
            except BaseException as exc:
                shutil.rmtree(tmp, ignore_errors=True)
                current = store / "current"
                if generation.is_dir() and not (current.is_symlink() and os.readlink(current) == generation.name):
                    shutil.rmtree(generation, ignore_errors=True)  # complete but never made current
                if isinstance(exc, OSError) and not isinstance(exc, OutputError):
                    raise fail(tmp.parent.parent, exc) from exc
                raise
            for name in _OUTPUT_NAMES:  # the visible names: links through "current", made once
                target = f"{GENERATIONS}/current/{name}"
                visible = out / name
                if name not in files:
                    if visible.is_symlink():
                        visible.unlink()
                elif not (visible.is_symlink() and os.readlink(visible) == target):
                    _link(visible, target)
            generations = sorted(p for p in store.iterdir() if p.name[0].isdigit() and not p.is_symlink())
            read = _generations_being_read(store)
            for old in generations[:-2]:  # keep the current generation and the one before it
                if old.name not in read:
                    shutil.rmtree(old, ignore_errors=True)


def _generations_being_read(store: Path) -> set[str]:
    """Generations an incremental rebuild that still runs is reading (:data:`nakg.rebuild.incremental.READING`)."""
    import os

    from .io import process_alive
    from .rebuild.incremental import READING

    read = set()
    for folder in store.glob("render-*"):
        try:
            pid = int(folder.name.split("-")[1])
            if pid == os.getpid() or process_alive(pid):
                read.add((folder / READING).read_text(encoding="utf-8").strip())
        except (OSError, ValueError, IndexError):
            continue
    return read


def _move(source: Path, target: Path) -> None:
    """Move a file or folder (copied where a rename cannot cross file systems)."""
    import os
    import shutil

    try:
        os.replace(source, target)
    except OSError:
        if source.is_dir():
            shutil.copytree(source, target, dirs_exist_ok=True)
        else:
            shutil.copyfile(source, target)


def _link(path: Path, target: str) -> None:
    """Make ``path`` a symbolic link to ``target``, replacing whatever is there in one rename."""
    import os

    tmp = path.with_name(f".{path.name}.{os.getpid()}.link.tmp")
    try:
        tmp.unlink()
    except FileNotFoundError:
        pass
    os.symlink(target, tmp)
    os.replace(tmp, path)


def _umask() -> int:
    import os

    mask = os.umask(0)
    os.umask(mask)
    return mask
