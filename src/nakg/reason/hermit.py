"""Run HermiT — the OWL 2 DL reasoner shipped with owlready2 — and read its answer.

owlready2 bundles HermiT (``owlready2/hermit``) and runs it on an N-Triples
dump of a World. Its ``sync_reasoner_hermit`` keeps only the *new direct*
parents it can attach to Python objects, which loses the property hierarchy
(HermiT lists each property pair under its most specific property only). So
nakg runs the same HermiT, with owlready2's Java settings (``owlready2.JAVA_EXE``,
``owlready2.reasoning.JAVA_MEMORY``), on its own N-Triples file in a private
temporary directory, and parses the complete answer: class and property
hierarchies, direct types of every individual, unsatisfiable classes and (with
``-Y``) object property instances. Nothing is written outside that temporary
directory.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import OWL

from .errors import ReasonerError, ReasonerUnavailable

__all__ = ["HermitOutput", "java_executable", "hermit_available", "run_hermit", "write_input", "parse_output",
           "annotation_properties", "ABOX_ACTIONS", "TBOX_ACTIONS", "JVM_FLAGS"]

_NOTHING = str(OWL.Nothing)
_THING = str(OWL.Thing)
_AXIOM = re.compile(r"^([A-Za-z]+)\( (.*) \)$", re.M)
_TERM = re.compile(r"ObjectInverseOf\( <([^>]+)> \)|<([^>]+)>|(owl:[A-Za-z]+)")
_PROPERTY_VALUES = re.compile(r"^(<[^>]+>|owl:[A-Za-z]+) \(known instances:\s*(.*?)\s*\|\s*possible instances:", re.M)
_PAIR = re.compile(r"\(<([^>]+)>, <([^>]+)>\)")
_OWL_PREFIX = "http://www.w3.org/2002/07/owl#"


@dataclass
class HermitOutput:
    """HermiT's answer. A property expression is ``(iri, inverse: bool)``."""

    consistent: bool
    subclass: list[tuple[str, str]] = field(default_factory=list)        # direct (sub, super), named classes
    equivalent_classes: list[list[str]] = field(default_factory=list)
    unsatisfiable: list[str] = field(default_factory=list)
    types: list[tuple[str, str]] = field(default_factory=list)           # direct (individual, class)
    subproperty: list[tuple[tuple[str, bool], tuple[str, bool]]] = field(default_factory=list)
    equivalent_properties: list[list[tuple[str, bool]]] = field(default_factory=list)
    property_values: list[tuple[str, str, str]] = field(default_factory=list)  # (subject, property, object), most specific
    wall_time: float = 0.0
    message: str = ""
    skipped_triples: int = 0


def java_executable() -> str | None:
    """The Java executable owlready2 would use, or None when there is none.

    >>> java_executable() is None or isinstance(java_executable(), str)
    True
    """
    try:
        import owlready2
    except ImportError:  # pragma: no cover - owlready2 is a dependency
        return None
    return shutil.which(owlready2.JAVA_EXE)


def hermit_available() -> bool:
    """True when Java and owlready2's HermiT jar are both present."""
    return java_executable() is not None and _hermit_classpath() is not None


def _hermit_classpath() -> str | None:
    import os

    import owlready2

    here = Path(owlready2.__file__).resolve().parent / "hermit"
    jar = here / "HermiT.jar"
    return os.pathsep.join([str(here), str(jar)]) if jar.is_file() else None


def annotation_properties(graph: Graph) -> set:
    """The annotation properties of ``graph`` (declared, plus the RDFS/SKOS ones nakg uses): no reasoner needs their values."""
    from rdflib.namespace import RDF, RDFS, SKOS

    declared = set(graph.subjects(RDF.type, OWL.AnnotationProperty))
    return declared | {RDFS.label, RDFS.comment, RDFS.seeAlso, SKOS.definition, SKOS.prefLabel, SKOS.altLabel,
                       SKOS.scopeNote, SKOS.editorialNote, SKOS.exactMatch, SKOS.closeMatch, SKOS.relatedMatch,
                       SKOS.broadMatch, SKOS.narrowMatch, OWL.versionInfo}


def write_input(graph, path: Path) -> int:
    """Write ``graph`` as N-Triples for a Java reasoner, without ``owl:imports`` (everything is merged already)
    and without annotation values (labels, definitions, mappings), which no reasoning uses.

    ``graph`` is an rdflib graph, or a collection of triples written as they are
    (e.g. :attr:`nakg.reason.abox.AboxReduction.triples`, which has no annotations).
    Triples with a term N-Triples cannot carry (an IRI with a space or braces)
    are left out; returns how many were.
    """
    from rdflib.plugins.serializers.nt import _nt_row

    skip = annotation_properties(graph) | {OWL.imports} if isinstance(graph, Graph) else set()
    skipped = 0
    with open(path, "w", encoding="utf-8") as fh:
        for triple in graph:
            if triple[1] in skip:
                continue
            try:
                fh.write(_nt_row(triple))
            except Exception:  # rdflib refuses to write an invalid IRI
                skipped += 1
    return skipped


def _terms(text: str) -> list[tuple[str, bool]]:
    out = []
    for inverse, iri, curie in _TERM.findall(text):
        if inverse:
            out.append((inverse, True))
        elif iri:
            out.append((iri, False))
        else:
            out.append((_OWL_PREFIX + curie.split(":", 1)[1], False))
    return out


def parse_output(text: str) -> HermitOutput:
    """Parse HermiT's command-line answer (``-c -O -D -I -Y``)."""
    out = HermitOutput(consistent=True)
    for relation, body in _AXIOM.findall(text):
        terms = _terms(body)
        if relation == "SubClassOf" and len(terms) == 2:
            (sub, _), (sup, _) = terms
            if sup == _THING or sub == _NOTHING:
                continue
            out.subclass.append((sub, sup))
        elif relation == "EquivalentClasses":
            names = [t for t, _ in terms]
            if _NOTHING in names:
                out.unsatisfiable.extend(n for n in names if n != _NOTHING)
            elif _THING not in names:
                out.equivalent_classes.append(names)
        elif relation == "Type" and len(terms) == 2:
            (ind, _), (cls, _) = terms
            if cls != _THING:
                out.types.append((ind, cls))
        elif relation in ("SubObjectPropertyOf", "SubDataPropertyOf") and len(terms) == 2:
            out.subproperty.append((terms[0], terms[1]))
        elif relation in ("EquivalentObjectProperties", "EquivalentDataProperties"):
            out.equivalent_properties.append(terms)
    for prop, known in _PROPERTY_VALUES.findall(text):
        if not prop.startswith("<"):
            continue  # owl:topObjectProperty and friends
        iri = prop[1:-1]
        for a, b in _PAIR.findall(known):
            out.property_values.append((a, iri, b))
    out.unsatisfiable = sorted(set(out.unsatisfiable))
    return out


#: Java options for a run of a few seconds: the client compiler only (the optimising one spends more CPU
#: than it saves before HermiT is done: 1.9 s instead of 4.3 s of CPU on the review) and the serial collector.
JVM_FLAGS = ("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC")

#: HermiT actions for the whole graph: classify classes and realise individuals. (``-Y``, object
#: property values, is added on request: it doubles the time, see :func:`nakg.reason.closure.property_closure`.)
ABOX_ACTIONS = ("-c", "-I")
#: HermiT actions for the ontology alone: classes and property hierarchies (cheap without individuals).
TBOX_ACTIONS = ("-c", "-O", "-D")


def run_hermit(graph, actions: tuple[str, ...] = ABOX_ACTIONS, timeout: float = 600.0,
               workdir: Path | None = None) -> HermitOutput:
    """Run HermiT's ``actions`` on ``graph``: consistency always, plus classification, realisation …

    ``graph`` is an rdflib graph or a collection of triples (see :func:`write_input`).
    It is written to a temporary directory (``workdir`` when given, for
    debugging); HermiT's exit code and message tell an inconsistent input
    (``consistent=False``) from a failure (:class:`ReasonerError`).
    """
    java = java_executable()
    classpath = _hermit_classpath()
    if java is None or classpath is None:
        raise ReasonerUnavailable("HermiT needs Java (not found on PATH; install a JRE ≥ 11) and owlready2's HermiT.jar")
    from owlready2 import reasoning

    with tempfile.TemporaryDirectory(prefix="nakg-hermit-") as tmp:
        folder = Path(workdir) if workdir is not None else Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        source = folder / "input.nt"
        skipped = write_input(graph, source)
        command = [java, f"-Xmx{reasoning.JAVA_MEMORY}M", *JVM_FLAGS, "-cp", classpath,
                   "org.semanticweb.HermiT.cli.CommandLine", *(actions or ("-k",)), source.resolve().as_uri()]
        t0 = time.perf_counter()
        try:
            proc = subprocess.run(command, capture_output=True, timeout=timeout, cwd=folder)
        except subprocess.TimeoutExpired as exc:
            raise ReasonerError(f"HermiT did not finish within {timeout:.0f} s") from exc
        elapsed = time.perf_counter() - t0
    stdout = proc.stdout.decode("utf-8", "replace")
    stderr = proc.stderr.decode("utf-8", "replace")
    if proc.returncode != 0:
        if "Inconsistent ontology" in stdout + stderr or "InconsistentOntologyException" in stdout + stderr:
            return HermitOutput(consistent=False, wall_time=elapsed, message=(stderr or stdout).strip()[-2000:],
                                skipped_triples=skipped)
        raise ReasonerError(f"HermiT failed (exit {proc.returncode}): {(stderr or stdout).strip()[-2000:]}")
    result = parse_output(stdout)
    result.wall_time = elapsed
    result.skipped_triples = skipped
    return result

