"""The build pipeline: records → RDF → SHACL validation → outputs.

>>> import tempfile
>>> result = build(out_dir=tempfile.mkdtemp())
>>> result.report.conforms and result.triples > 1000
True
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from rdflib import Graph, URIRef

from .errors import ValidationFailed
from .io import atomic_write_bytes, atomic_write_text
from .records import RecordSet, load_records
from .records.model import Record
from .validate import ValidationReport, validate_graph

__all__ = ["BuildResult", "build", "compile_records", "DATA_FILES"]

#: Output files of a build, by format.
DATA_FILES = {"turtle": "nakg.ttl", "nt": "nakg.nt"}


@dataclass
class BuildResult:
    """What a build produced: records, graph, validation report, written files and stage timings."""

    records: RecordSet
    graph: Graph
    index: dict[URIRef, Record]
    report: ValidationReport | None
    outputs: dict[str, Path] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def triples(self) -> int:
        return len(self.graph)


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


def _sorted_ntriples(graph: Graph) -> bytes:
    data = graph.serialize(format="nt", encoding="utf-8")
    lines = sorted(set(line for line in data.splitlines() if line.strip()))
    return b"\n".join(lines) + b"\n"


def build(records_dir: Path | str | None = None, out_dir: Path | str | None = "build", validate: bool = True,
          progress: Callable[[str], None] | None = None) -> BuildResult:
    """Run the whole pipeline and write the outputs to ``out_dir`` (None: write nothing).

    Raises :class:`~nakg.errors.RecordsInvalid` for bad records and
    :class:`~nakg.errors.ValidationFailed` for SHACL violations; in both cases no
    output file is written or changed.
    """
    say = progress or (lambda _msg: None)
    timings: dict[str, float] = {}

    def stage(name: str, fn, *args):
        say(f"{name} …")
        t0 = time.perf_counter()
        value = fn(*args)
        timings[name] = time.perf_counter() - t0
        return value

    from .rdf.transform import records_to_graph
    from .resources import records_dir as default_records

    records = stage("load records", load_records, Path(records_dir) if records_dir else default_records())
    graph, index = stage("transform to RDF", records_to_graph, records)
    report = None
    if validate:
        ontology = stage("load ontology", _ontology_graph)
        report = stage("validate (SHACL)", validate_graph, graph, ontology, None, index)
        if not report.conforms:
            raise ValidationFailed(report)
    result = BuildResult(records, graph, index, report, timings=timings)
    if out_dir is not None:
        stage("write outputs", _write_outputs, result, Path(out_dir))
    return result


def _write_outputs(result: BuildResult, out: Path) -> None:
    ttl = result.graph.serialize(format="turtle", encoding="utf-8")
    nt = _sorted_ntriples(result.graph)
    manifest = {
        "triples": result.triples,
        "records": result.records.count(),
        "files": result.records.files,
        "conforms": result.report.conforms if result.report else None,
        "warnings": len(result.report.warnings) if result.report else None,
    }
    index = {str(iri): {"file": r.file, "record": r.id, "line": r.line} for iri, r in sorted(result.index.items())}
    # everything is serialised first, then each file replaced atomically
    atomic_write_bytes(out / DATA_FILES["turtle"], ttl)
    atomic_write_bytes(out / DATA_FILES["nt"], nt)
    atomic_write_text(out / "record-index.json", json.dumps(index, indent=1, ensure_ascii=False) + "\n")
    if result.report is not None:
        atomic_write_text(out / "validation.txt", result.report.text() + "\n")
    atomic_write_text(out / "manifest.json", json.dumps(manifest, indent=2) + "\n")
    result.outputs = {"turtle": out / DATA_FILES["turtle"], "nt": out / DATA_FILES["nt"], "index": out / "record-index.json",
                      "manifest": out / "manifest.json"}
