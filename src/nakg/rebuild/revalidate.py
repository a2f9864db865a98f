"""Validation of an incremental rebuild: only the focus nodes a change can reach are validated again.

With the shapes :mod:`nakg.validate_sparql` compiles (paths of one IRI step,
``sh:class`` on the values' types), a node's results depend on its own triples
and on the rdf:type triples of its values. So after a change the results can
only differ for

- nodes whose triples changed (they are validated again, on their triples and
  their values' types, read from the last build's sorted N-Triples and the
  change), and
- nodes that point at a node whose types changed: these are found where the
  parts made again hold every triple pointing at it (the count of triples with
  that object, kept in the state, tells); otherwise, and where a node that
  other triples still point at is gone, the rebuild gives up (full build).

A SPARQL constraint (``sh:sparql``) reads the triples its patterns match, so it
is run again only when the change adds or removes such a triple: on those
triples of the whole new graph, read from the patched N-Triples. Every other
result of the last build stands, with its record's file and line brought up to
date. A violation, or shapes outside what the compiled engine handles, gives
None: the full build reports.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from rdflib import URIRef

from ..records.model import Record
from ..validate import ValidationReport, ValidationResult
from ..validate_sparql import sparql_patterns
from . import FullBuild

__all__ = ["revalidate", "sparql_patterns", "view_filter", "view_terms"]

_RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
_SPARQL = "sh:SPARQLConstraintComponent"


def _split(line: str) -> tuple[str, str, str]:
    s, p, rest = line.split(" ", 2)
    return s, p, rest[:-2]


@lru_cache(maxsize=1)
def _compiled():
    """(plan, ontology part as N-Triples text, ontology, part) of the shipped shapes; None where not compiled."""
    from .. import validate_sparql as fast
    from ..validate import load_shapes
    from ..vocab import ontology_graph

    shapes = load_shapes()
    if any(True for _ in shapes.subject_objects(fast.SH.inversePath)):
        return None  # a node's results would depend on the triples pointing at it
    try:
        plan = fast.compile_shapes(shapes)
    except fast.Unsupported:
        return None
    ontology = ontology_graph()
    part = fast.ontology_part(ontology)
    return plan, "".join(fast._nt_lines(part)), ontology, part


@lru_cache(maxsize=1)
def _light():
    """What every rebuild needs of :func:`_compiled` — the plan without the shapes pySHACL explains with, the
    ontology part's N-Triples and :func:`view_terms` — kept in nakg's cache folder under a hash of the shapes,
    the ontology, this code and the rdflib and pySHACL versions (None where the shapes are not compiled)."""
    import hashlib
    import pickle

    from ..cache import cache_dir, fingerprint
    from ..resources import ontology_path, shapes_path

    h = hashlib.sha256()
    for f in (shapes_path(), ontology_path()):
        h.update(f.read_bytes())
    fingerprint(h, ("rebuild/revalidate.py", "validate_sparql.py"), ("rdflib", "pyshacl"))
    target = cache_dir() / f"shapes-{h.hexdigest()[:32]}.pickle"
    try:
        return pickle.loads(target.read_bytes())  # noqa: S301 - written below into the user's own cache folder
    except Exception:  # noqa: BLE001 - not cached yet, or unreadable: compile
        pass
    compiled = _compiled()
    if compiled is None:
        light = None
    else:
        from dataclasses import replace

        light = (replace(compiled[0], core_shapes=None), compiled[1], _terms(compiled))
    try:
        from ..io import atomic_write_bytes

        atomic_write_bytes(target, pickle.dumps(light, protocol=pickle.HIGHEST_PROTOCOL))
    except OSError:
        pass
    return light


class _Index:
    """Node → record for locating results: the parts made again, then the last build's ``record-index.json``."""

    def __init__(self, parts, gone: set[str], old_index: Path):
        self.new = {str(iri): r for found in parts.index.values() for iri, r in found.items()}
        self.gone, self.path, self._old = gone, old_index, None

    def get(self, iri, default=None):
        key = str(iri)
        if key in self.new:
            return self.new[key]
        if key in self.gone:
            return default
        if self._old is None:
            self._old = json.loads(self.path.read_text(encoding="utf-8"))
        entry = self._old.get(key)
        return Record("", entry["record"], {}, entry["file"], entry["line"]) if entry else default


def revalidate(graph, state, removed: set[str], added: set[str], new_lines: dict, parts, records,
               old: Path, view) -> tuple[ValidationReport, set[str] | None]:
    """The validation report of the graph after the change (see the module docstring) and the new lines of the
    SPARQL constraints' view (None where unchanged; ``view()`` reads the last one); raises :class:`~nakg.rebuild.incremental.FullBuild` where a
    full build must validate."""
    light = _light()
    if light is None:
        raise FullBuild("the shapes use SHACL beyond what is validated node by node")
    plan, part_text, _ = light
    from .state import digest, load_objects

    delta = [_split(line) for line in removed | added]
    removed_split = [_split(line) for line in removed]
    added_split = [_split(line) for line in added]
    added_by_subject: dict[str, set[str]] = {}
    for line in added:
        added_by_subject.setdefault(line.split(" ", 1)[0], set()).add(line)
    cache: dict[str, set[str]] = {}

    def lines_of(subject: str) -> set[str]:
        found = cache.get(subject)
        if found is None:
            found = cache[subject] = (set(graph.subject_lines(subject)) - removed) | added_by_subject.get(subject, set())
        return found

    keys, counts = load_objects(old)
    step: dict[str, int] = {}
    for line in removed:
        o = _split(line)[2]
        step[o] = step.get(o, 0) - 1
    for line in added:
        o = _split(line)[2]
        step[o] = step.get(o, 0) + 1

    def pointed_at(term: str) -> int:
        """How many triples of the new graph have ``term`` as object."""
        import numpy as np

        key = np.array([digest(term)], dtype="S16")
        i = int(np.searchsorted(keys, key)[0])
        before = int(counts[i]) if i < len(keys) and keys[i] == key[0] else 0
        return before + step.get(term, 0)

    subjects = {s for s, _, _ in delta}
    focus = {s for s in subjects if lines_of(s)}
    deleted = subjects - focus
    if any(pointed_at(s) for s in deleted):
        raise FullBuild("a node that other triples point at is gone")
    typed = {s for s, p, _ in delta if p == _RDF_TYPE}
    if typed:
        pointing: dict[str, set[str]] = {}
        for lines in new_lines.values():
            for line in lines:
                o = _split(line)[2]
                if o in typed:
                    pointing.setdefault(o, set()).add(line)
        for x in typed:
            if pointed_at(x) != len(pointing.get(x, ())):
                raise FullBuild("the types of a node changed that triples in unchanged files point at")
            focus |= {line.split(" ", 1)[0] for line in pointing.get(x, ())}
    from ..rdf.transform import CLOSING

    gone = set(state.closing_iris) if CLOSING in parts.index else set()
    for d in parts.reads:
        gone.update(state.files[d].iris if d in state.files else ())
    for d in set(state.files) - set(records.files):
        gone.update(state.files[d].iris)
    index = _Index(parts, gone, old.parent / "record-index.json")
    results = _core(plan, part_text, focus, lines_of, index) if focus else []
    if results is None:
        raise FullBuild("a changed node violates a shape (the full validation reports every violation)")
    sparql = _sparql(plan, (removed_split, added_split), part_text, index, view)
    if sparql is False:
        raise FullBuild("the SPARQL constraints cannot be run on the change alone, or one is violated")
    keep_sparql = sparql is None
    new_view = None
    if sparql is not None:
        sparql, new_view = sparql
    focus_iris = {s[1:-1] for s in focus | deleted}
    kept = []
    for r in state.results:
        if r.constraint == _SPARQL:
            if keep_sparql:
                kept.append(_relocated(r, index))
        elif r.focus not in focus_iris:
            kept.append(_relocated(r, index))
    from ..validate import _sorted_report

    return _sorted_report(kept + results + (sparql or [])), new_view


def _relocated(r: ValidationResult, index: _Index) -> ValidationResult:
    from dataclasses import replace

    from ..validate import _locate

    record = _locate(URIRef(r.focus), index)
    return replace(r, file=record.file if record else None, record=record.id if record else None,
                   line=record.line if record else None)


def _core(plan, part_text: str, focus: set[str], lines_of, index) -> list[ValidationResult] | None:
    """Results of the core constraints on ``focus`` nodes, from their triples and their values' types."""
    import pyoxigraph as ox

    from .. import validate_sparql as fast
    from ..validate import _pyshacl_results

    data = set()
    for s in focus:
        for line in lines_of(s):
            data.add(line)
            o = _split(line)[2]
            if o.startswith("<"):
                data.update(x for x in lines_of(o) if x.split(" ", 2)[1] == _RDF_TYPE)
    store = ox.Store()
    store.load(input=("\n".join(data) + "\n" + part_text).encode("utf-8"), format=ox.RdfFormat.N_TRIPLES, lenient=True)
    name = ox.DefaultGraph()
    nodes = {URIRef(s[1:-1]) for s in focus}
    flagged = fast.flagged_focus_nodes(store, name, plan) & nodes
    flagged |= _typed_twice(focus, lines_of)
    if not flagged:
        return []
    _, _, ontology, part = _compiled()
    sub = fast.subgraph(fast.focus_graph(store, name, flagged), flagged, part, ontology)
    results = _pyshacl_results(sub, _compiled()[0].core_shapes, None, index, keep=flagged)
    return None if any(r.severity == "Violation" for r in results) else results


def _typed_twice(focus: set[str], lines_of) -> set[URIRef]:
    """Focus nodes with two typed literals for one property: Oxigraph may keep two such values as one (``"1.0"``
    and ``"1"`` as doubles), so pySHACL validates them (what a full build does with
    :meth:`~nakg.rdf.sinks.NTriplesSink.collided` subjects, here for any node that could be one)."""
    found = set()
    for s in focus:
        seen = set()
        for line in lines_of(s):
            _, p, o = _split(line)
            if o.startswith('"') and '"^^<' in o:
                if p in seen:
                    found.add(URIRef(s[1:-1]))
                    break
                seen.add(p)
    return found


def _terms(compiled) -> tuple[set[str], set[str]] | None:
    """What the SPARQL constraints read: predicates, and the classes whose rdf:type triples matter (those their
    patterns name and their targets with every subclass); None when they may read anything."""
    from rdflib.namespace import RDFS

    plan, ontology = compiled[0], compiled[2]
    predicates, classes = set(), set()
    for c in plan.sparql:
        found = sparql_patterns(c.query)
        if found is None:
            return None
        predicates |= found[0]
        classes |= found[1]
    for target in {t for c in plan.sparql for t in c.targets}:
        classes |= {f"<{c}>" for c in ontology.transitive_subjects(RDFS.subClassOf, URIRef(str(target)))}
    return predicates | {_RDF_TYPE}, classes


def view_terms() -> tuple[set[str], set[str]] | None:
    """The predicates and classes of the triples the SPARQL constraints read (their *view*, which an incremental
    rebuild keeps and runs them on; see :func:`view_filter`); None when they may read anything."""
    light = _light()
    return None if light is None else light[2]


def view_filter():
    """A test ``(s, p, o) -> bool`` for the triples the SPARQL constraints read (the *view* an incremental rebuild
    keeps and runs them on); None when they may read anything."""
    terms = view_terms()
    if terms is None:
        return None
    predicates, classes = terms

    def wanted(s: str, p: str, o: str) -> bool:
        return p in predicates and (p != _RDF_TYPE or o in classes)

    return wanted


def _sparql(plan, delta, part_text: str, index, view):
    """Results of the SPARQL constraints when the change can alter them: ``(results, new view lines)``; None when it
    cannot (the last results stand); False when they cannot be run here."""
    if not plan.sparql:
        return None
    wanted = view_filter()
    if wanted is None:
        return False
    gone = {f"{s} {p} {o} ." for s, p, o in delta[0] if wanted(s, p, o)}
    new = {f"{s} {p} {o} ." for s, p, o in delta[1] if wanted(s, p, o)}
    if not gone and not new:
        return None
    view = view()
    if view is None:
        return False
    import pyoxigraph as ox

    from ..validate import sparql_constraint_results

    lines = (set(view) - gone) | new
    store = ox.Store()
    store.load(input=("\n".join(lines) + "\n" + part_text).encode("utf-8"), format=ox.RdfFormat.N_TRIPLES,
               lenient=True)
    results = sparql_constraint_results(store, ox.DefaultGraph(), plan, index)
    if any(r.severity == "Violation" for r in results):
        return False
    return results, lines
