"""The reasoning stage: derive material-level values, then classify and realise with a reasoner.

``reason()`` takes the knowledge graph (ontology + data), adds the defined-class
layer ``ontology/nakg-defined.ttl``, computes the derived values
(:mod:`nakg.reason.derive`) and runs

* **HermiT** (OWL 2 DL, the default; the copy shipped with owlready2, needs
  Java): consistency, unsatisfiable classes, classification of classes and
  properties, realisation of every individual, and the object property values
  entailed through the property hierarchy, inverses, transitivity and chains; or
* **owlrl** (OWL 2 RL closure in pure Python), when Java is absent or when
  asked — see :mod:`nakg.reason.rl` for the inferences it loses.

The result keeps asserted, derived and inferred triples apart
(:class:`ReasoningResult`). An inconsistent graph is reported, not raised: its
``culprits`` name the individuals, classes and axioms involved.

>>> from rdflib import Graph
>>> g = Graph().parse(data='''
... @prefix owl: <http://www.w3.org/2002/07/owl#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
... <urn:Cat> a owl:Class ; rdfs:subClassOf <urn:Animal> . <urn:Animal> a owl:Class .
... <urn:tom> a <urn:Cat> .
... ''', format="turtle")
>>> result = reason(g, with_ontology=False)
>>> result.consistent, sorted(str(o) for o in result.inferred.objects())
(True, ['urn:Animal'])
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

from rdflib import Graph
from rdflib.namespace import OWL, RDF

from .errors import InconsistentGraph, ReasonerError, ReasonerUnavailable
from .explain import Culprit
from .graphs import DEFINED_ONTOLOGY, DERIVED_GRAPH, INFERRED_GRAPH, defined_ontology_path
from .result import ReasoningResult

__all__ = ["reason", "add_inferred", "cached_result", "ReasoningResult", "Culprit", "REASONERS", "InconsistentGraph", "ReasonerError",
           "ReasonerUnavailable", "DERIVED_GRAPH", "INFERRED_GRAPH", "defined_ontology_path"]

#: The reasoners :func:`reason` accepts.
REASONERS = ("hermit", "owlrl")

_META = ("http://www.w3.org/2002/07/owl#", "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "http://www.w3.org/2000/01/rdf-schema#")


def _tbox(graph: Graph) -> Graph:
    """The ontology part of ``graph``: every triple whose subject is not an individual."""
    individuals = {s for s, c in graph.subject_objects(RDF.type) if not str(c).startswith(_META) or c == OWL.NamedIndividual}
    tbox = Graph()
    for t in graph:
        if t[0] not in individuals:
            tbox.add(t)
    return tbox


def reason(kg_or_graph=None, reasoner: str = "hermit", *, with_ontology: bool = True, derive_values: bool = True,
           realise: bool = True, exact_properties: bool = False, explain: bool = True,
           whole_abox: bool = False, timeout: float = 900.0) -> ReasoningResult:
    """Reason over the knowledge graph and return what is inferred.

    Args:
        kg_or_graph: a :class:`~nakg.api.KnowledgeGraph`, an rdflib graph (ontology +
            data), or None for the shipped records compiled in memory.
        reasoner: ``"hermit"`` (OWL 2 DL; falls back to owlrl, with a note, when
            Java is missing) or ``"owlrl"`` (OWL 2 RL, pure Python).
        with_ontology: add ``ontology/nakg.ttl`` and ``ontology/nakg-defined.ttl``
            unless the graph declares them already.
        derive_values: compute the derived values first (:mod:`nakg.reason.derive`).
        realise: classify and realise (the default). False only checks consistency
            and unsatisfiable classes, much faster (``inferred`` is then empty with HermiT).
        exact_properties: ask HermiT for the object property values too (``-Y``,
            about twice the time). By default they are the asserted values closed
            under HermiT's property hierarchy and the ontology's transitive and
            symmetric properties and chains, which for nakg's ontology is the same
            set (tested).
        explain: name the culprits of an inconsistency (the structural checks, and Pellet's
            justification when they find none; see :mod:`nakg.reason.explain`).
        whole_abox: give HermiT every assertion. By default it gets the ontology and the part
            of the data that can change a classification (:mod:`nakg.reason.abox`: the same
            answer, tested on the review, in less than half the time); ``exact_properties``
            always gives it everything.
        timeout: seconds allowed to each Java run.

    Returns:
        A :class:`ReasoningResult`; ``inferred`` holds only triples that are
        neither asserted nor derived.
    """
    from ..progress import progress

    if reasoner not in REASONERS:
        raise ValueError(f"unknown reasoner '{reasoner}' (known: {', '.join(REASONERS)})")
    with progress("reasoning") as bar:
        return _reason(bar, kg_or_graph, reasoner, with_ontology, derive_values, realise, exact_properties, explain,
                       whole_abox, timeout)


def _reason(bar, kg_or_graph, reasoner: str, with_ontology: bool, derive_values: bool, realise: bool,
            exact_properties: bool, explain: bool, whole_abox: bool, timeout: float) -> ReasoningResult:
    from .graphs import prepare
    from .hermit import hermit_available

    timings: dict[str, float] = {}
    notes: list[str] = []
    bar.stage("preparing the graph")
    t0 = time.perf_counter()
    asserted = prepare(kg_or_graph, with_ontology)
    timings["prepare"] = time.perf_counter() - t0
    if reasoner == "hermit" and not hermit_available():
        notes.append("Java was not found, so HermiT could not run: the OWL 2 RL fallback (owlrl) was used instead")
        reasoner = "owlrl"
    pool = ThreadPoolExecutor(max_workers=2) if reasoner == "hermit" else None
    try:
        return _reason_with(pool, bar, asserted, reasoner, derive_values, realise, exact_properties, explain, whole_abox,
                            timeout, timings, notes)
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


def _reason_with(pool, bar, asserted: Graph, reasoner: str, derive_values: bool, realise: bool, exact_properties: bool,
                 explain: bool, whole_abox: bool, timeout: float, timings: dict, notes: list) -> ReasoningResult:
    from .closure import class_members, defined_classes, hermit_closure, inferred_only
    from .derive import derive
    from .hermit import ABOX_ACTIONS, TBOX_ACTIONS, run_hermit

    tbox_actions = TBOX_ACTIONS if realise else ("-c",)
    early = None
    if pool is not None:  # the ontology's own run starts now, while the values are derived and the ABox reduced
        tbox_input = _tbox(asserted)
        early = pool.submit(run_hermit, tbox_input, tbox_actions, timeout)
    bar.stage("deriving values")
    t0 = time.perf_counter()
    derived = derive(asserted) if derive_values else Graph()
    timings["derive"] = time.perf_counter() - t0
    work = asserted  # a private copy (prepare): asserted + derived from here on
    work.addN((s, p, o, work) for s, p, o in derived)
    culprits: list[Culprit] = []
    unsatisfiable: list[str] = []
    if reasoner == "hermit":
        reduction = None
        if not (whole_abox or exact_properties):
            from .abox import reduce_abox

            bar.stage("selecting the assertions that can change a classification")
            t0 = time.perf_counter()
            reduction = reduce_abox(work)
            timings["reduce"] = time.perf_counter() - t0
        abox = work if reduction is None else reduction.triples
        bar.stage("HermiT: classifying and realising" if realise else "HermiT: checking consistency")
        t0 = time.perf_counter()
        full_job = pool.submit(run_hermit, abox, (ABOX_ACTIONS + (("-Y",) if exact_properties else ())) if realise
                               else ("-k",), timeout)
        late = _tbox(work)
        if len(late) != len(tbox_input) or any(t not in tbox_input for t in late):  # derived values touched the ontology
            early.cancel()
            early = pool.submit(run_hermit, late, tbox_actions, timeout)
        tbox, full = early.result(), full_job.result()
        wall = time.perf_counter() - t0
        timings["hermit"] = wall
        if reduction is not None:
            reduction.expand(full)
        if full.skipped_triples:
            notes.append(f"{full.skipped_triples} triple(s) with an IRI N-Triples cannot carry were left out "
                         "of the reasoner input")
        consistent = full.consistent and tbox.consistent
        unsatisfiable = sorted(set(full.unsatisfiable) | set(tbox.unsatisfiable))
        bar.stage("closing the inferences")
        t0 = time.perf_counter()
        closure = hermit_closure(full, tbox, work) if consistent and realise else Graph()
        timings["closure"] = time.perf_counter() - t0
        if not consistent and explain:
            from .explain import explain as find_culprits

            bar.stage("explaining the inconsistency")
            t0 = time.perf_counter()
            culprits = find_culprits(work, timeout=timeout)
            timings["explain"] = time.perf_counter() - t0
    else:
        from .explain import rl_culprits, structural_culprits
        from .rl import LOST_INFERENCES, run_owlrl

        bar.stage("owlrl: OWL 2 RL closure")
        rl = run_owlrl(work)
        wall = rl.wall_time
        timings["owlrl"] = wall
        consistent = rl.consistent
        closure = rl.closure if consistent else Graph()
        if not consistent and explain:
            culprits = rl_culprits(rl.errors, work)
            culprits += [c for c in structural_culprits(work) if c not in culprits]
        notes.append("OWL 2 RL does not infer: " + "; ".join(LOST_INFERENCES))
    bar.stage("separating inferred from asserted")
    t0 = time.perf_counter()
    inferred = inferred_only(closure, work)
    members = class_members(defined_classes(work), work, inferred) if consistent else {}
    timings["difference"] = time.perf_counter() - t0
    derived.bind("nakg", "https://w3id.org/nakg/")
    return ReasoningResult(inferred=inferred, consistent=consistent, unsatisfiable=unsatisfiable, wall_time=wall,
                           class_members=members, derived=derived, reasoner=reasoner, culprits=culprits, notes=notes,
                           timings=timings)


def add_inferred(graph: Graph, reasoner: str = "hermit", cache: bool = True, **options) -> ReasoningResult:
    """Reason over ``graph`` (ontology + data); add the defined-class layer, the derived and the inferred triples to it.

    This is what ``nakg.load(inferred=True)`` calls. ``graph`` is changed in
    place (any rdflib graph, e.g. the Oxigraph-backed one of a KnowledgeGraph);
    the returned result still tells derived and inferred triples apart. With
    ``cache``, the derived and inferred triples are kept in nakg's cache folder
    (:func:`nakg.cache.cache_dir`), keyed by a hash of the graph, the
    defined-class layer, the reasoning code and the reasoner, so reloading an
    unchanged graph skips the reasoner.

    Raises:
        InconsistentGraph: when the graph is inconsistent (nothing is added).
    """
    from ..store import load_into

    key = _cache_key(graph, reasoner, options) if cache else None
    result = _from_cache(key, graph, reasoner) if key else None
    if result is None:
        result = reason(graph, reasoner, **options)
        result.raise_for_inconsistency()
        if key:
            _to_cache(key, result)
    result.cache_key = key
    if (DEFINED_ONTOLOGY, RDF.type, OWL.Ontology) not in graph:
        load_into(graph, [defined_ontology_path()])
    graph.addN((s, p, o, graph) for s, p, o in result.derived)
    graph.addN((s, p, o, graph) for s, p, o in result.inferred)
    return result


def _cache_key(graph: Graph, reasoner: str, options: dict) -> str:
    import hashlib
    from importlib.metadata import version
    from pathlib import Path

    from rdflib.plugins.serializers.nt import _nt_row

    h = hashlib.sha256()
    for line in sorted(_nt_row(t) for t in graph):
        h.update(line.encode("utf-8"))
    h.update(defined_ontology_path().read_bytes())
    for f in sorted(Path(__file__).resolve().parent.glob("*.py")):
        h.update(f.read_bytes())
    from .hermit import hermit_available

    h.update(repr((reasoner, hermit_available(), sorted(options.items()), version("owlready2"), version("owlrl"))).encode())
    return h.hexdigest()


def _cache_files(key: str):
    from ..cache import cache_dir

    folder = cache_dir() / "reasoning"
    return folder / f"{key[:32]}-derived.nt", folder / f"{key[:32]}-inferred.nt"


def cached_result(key: str, graph: Graph, reasoner: str) -> ReasoningResult | None:
    """The reasoning result cached under ``key`` (from :attr:`ReasoningResult.cache_key`), or None when gone.

    For a graph that already holds the result's triples, e.g. an on-disk store
    filled by an earlier ``load(inferred=True)``; nothing is added to ``graph``.
    """
    result = _from_cache(key, graph, reasoner)
    if result is not None:
        result.cache_key = key
    return result


def _from_cache(key: str, graph: Graph, reasoner: str) -> ReasoningResult | None:
    from .closure import class_members, defined_classes

    derived_file, inferred_file = _cache_files(key)
    if not (derived_file.is_file() and inferred_file.is_file()):
        return None
    try:
        derived = Graph().parse(derived_file, format="nt")
        inferred = Graph().parse(inferred_file, format="nt")
    except FileNotFoundError:  # pruned by another process meanwhile
        return None
    layer = Graph().parse(defined_ontology_path(), format="turtle")
    members = class_members(defined_classes(layer), graph, derived, inferred)
    note = f"derived and inferred triples read from the cache ({inferred_file.parent}); no reasoner ran"
    return ReasoningResult(inferred=inferred, consistent=True, unsatisfiable=[], wall_time=0.0, class_members=members,
                           derived=derived, reasoner=reasoner, notes=[note])


def _to_cache(key: str, result: ReasoningResult) -> None:
    from ..io import atomic_write_bytes

    derived_file, inferred_file = _cache_files(key)
    try:
        atomic_write_bytes(derived_file, result.derived.serialize(format="nt", encoding="utf-8"))
        atomic_write_bytes(inferred_file, result.inferred.serialize(format="nt", encoding="utf-8"))
    except OSError:  # a read-only cache folder only costs the next load a reasoner run
        return
    stamped = []
    for f in inferred_file.parent.glob("*-inferred.nt"):
        try:
            stamped.append((f.stat().st_mtime, f))
        except OSError:  # removed by another process
            continue
    now = time.time()
    # keep the eight most recent results, and any written in the last hour (another process may be reading it)
    for _, f in [(m, f) for m, f in sorted(stamped, reverse=True)[8:] if now - m >= 3600]:
        for stale in (f, f.with_name(f.name.replace("-inferred.nt", "-derived.nt"))):
            try:
                stale.unlink()
            except OSError:  # pragma: no cover - removed by another process
                pass
