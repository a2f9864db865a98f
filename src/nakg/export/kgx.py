"""KGX TSV export: a Biolink-shaped folder of ``nodes.tsv``, ``edges.tsv`` and ``prefix_map.json``.

The files follow the KGX format (``kgx validate`` against the Biolink model reports
no error):

* ids are CURIEs: a resource ``https://w3id.org/nakg/resource/material/na`` is
  ``nakg.material:na`` (a CURIE's local part may not hold ``/``, so each folder of
  resource IRIs has its prefix); ``prefix_map.json`` maps every prefix used to
  its namespace, so each id expands back to the resource's IRI;
* ``nodes.tsv`` — ``id``, ``category`` (the Biolink class of the nakg type, see
  :data:`CATEGORIES`), ``name`` (the readable label), ``provided_by``,
  ``nakg_type`` (the nakg class, kept), ``iri``, then the node attributes;
* ``edges.tsv`` — ``id`` (every edge has its own, so two papers' dopings of one
  host stay two rows), ``subject``, ``predicate`` (the Biolink predicate of the
  nakg relation, see :data:`PREDICATES`; ``biolink:related_to`` where Biolink has
  nothing closer), ``object``, ``nakg_predicate`` (the nakg property or view
  relation, kept), ``knowledge_level`` (``knowledge_assertion``: every fact is
  stated by the review), ``agent_type`` (``manual_agent``: curated by hand from
  the review), ``primary_knowledge_source`` (``infores:nakg``, nakg's curation
  of the review; not a registered infores id), ``provided_by``, then the edge
  attributes.

``|`` is KGX's list separator inside a cell: a value that contains it (cell
notations such as ``TiS2|Na2BH4NH2|NaSn``) is written with ``¦`` (U+00A6) in its
place, so no reader splits it into a list.

KGX's in-memory graph store keys edges by (subject, predicate, object) and merges
parallel edges into one; ``kgx transform --stream`` keeps every row.

>>> import tempfile, pathlib
>>> from nakg.export.projection import RES, example_graph
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> graph = example_graph(); graph.graph["properties"] = {"hasAnode", "hasElectrolyte"}
>>> write_folder(graph, folder)
>>> print((folder / "edges.tsv").read_text(encoding="utf-8").splitlines()[1].replace("\\t", " , "))
e0 , nakg.cell:c1 , biolink:has_part , nakg.material:na , nakg:hasAnode , knowledge_assertion , manual_agent , infores:nakg , nakg , has anode , hasAnode
>>> curie("https://w3id.org/nakg/resource/cell/c1/cycling/1")
'nakg.cell.c1.cycling:1'
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .files import atomic_directory, write_text
from .projection import NAKG, RES, attribute_types, viewer_graph

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

    from ..api import KnowledgeGraph

__all__ = ["write", "write_folder", "curie", "FILES", "PROVIDED_BY", "CATEGORIES", "PREDICATES", "LIST_SEPARATOR"]

FILES = ("nodes.tsv", "edges.tsv", "prefix_map.json")
PROVIDED_BY = "nakg"
KNOWLEDGE_SOURCE = "infores:nakg"
LIST_SEPARATOR = "|"
NODE_CORE = ("id", "category", "name", "provided_by", "nakg_type", "iri")
EDGE_CORE = ("id", "subject", "predicate", "object", "nakg_predicate", "knowledge_level", "agent_type",
             "primary_knowledge_source", "provided_by")

_MATERIALS = ("SolidElectrolyte", "Material", "AnodeMaterial", "CathodeMaterial", "CompositionSeries",
              "ChemicalElement", "ChemicalSpecies", "CompositionComponent")
_PROCEDURES = ("Doping", "Substitution", "Synthesis", "SynthesisStep", "InterfaceModification")
_MEASUREMENTS = ("ActivationEnergy", "ArealLoading", "CapacityRetention", "ConductivityEnhancement", "CrystalStructure",
                 "CurrentDensity", "CutoffVoltage", "CyclingResult", "CyclingTime", "ElectrochemicalWindow",
                 "ElectronicConductivity", "FirstCycleCapacity", "ImprovementFactor", "InterfacialResistance",
                 "IonicConductivity", "LatticeParameterA", "LatticeParameterB", "LatticeParameterC", "MechanicalStrength",
                 "MeltingPoint", "OxidationPotential", "PhaseContent", "PhaseTransitionTemperature", "PressureStability",
                 "RelativeDensity", "ReversibleCapacity", "SinteringTemperature", "SpecificCapacity", "TheoreticalCapacity",
                 "Thickness")

#: nakg class → Biolink category (anything else: ``biolink:NamedThing``).
CATEGORIES: dict[str, str] = {
    **{t: "biolink:ChemicalEntity" for t in _MATERIALS},
    **{t: "biolink:Procedure" for t in _PROCEDURES},
    **{t: "biolink:Attribute" for t in _MEASUREMENTS},
    "FullCell": "biolink:Device", "SymmetricCell": "biolink:Device",
    "PhaseTransition": "biolink:Phenomenon",
    "Reference": "biolink:Article", "Review": "biolink:Article",
    "ReviewSection": "biolink:Publication", "Finding": "biolink:Publication", "ChallengeStatement": "biolink:Publication",
}

#: nakg property or view relation → Biolink predicate (anything else: ``biolink:related_to``).
PREDICATES: dict[str, str] = {
    "derivedFrom": "biolink:derives_from", "doping": "biolink:derives_into", "derivation": "biolink:derives_into",
    "hasHost": "biolink:has_input", "usesPrecursor": "biolink:has_input", "usesSolvent": "biolink:has_input",
    "usesAdditive": "biolink:has_input", "usesMaterial": "biolink:has_input",
    "hasProduct": "biolink:has_output", "producesMaterial": "biolink:has_output",
    "hasAnode": "biolink:has_part", "hasCathode": "biolink:has_part", "hasElectrolyte": "biolink:has_part",
    "hasCellComponent": "biolink:has_part", "hasComponent": "biolink:has_part", "containsElement": "biolink:has_part",
    "hasStep": "biolink:has_part", "hasSubstitution": "biolink:has_part",
    "sectionOf": "biolink:part_of", "memberOfSeries": "biolink:member_of",
    "aboutSubject": "biolink:mentions", "challengeSubject": "biolink:mentions",
}


def curie(iri: str) -> str:
    """The CURIE of a nakg IRI: prefix ``nakg.<folder>`` (``/`` → ``.``) for resources, ``nakg`` for terms."""
    if iri.startswith(RES):
        folder, _, local = iri[len(RES):].rpartition("/")
        prefix = "nakg." + folder.replace("/", ".") if folder else "nakg.resource"
    elif iri.startswith(NAKG):
        prefix, local = "nakg", iri[len(NAKG):]
    else:
        raise ValueError(f"no CURIE prefix for {iri}")
    if not local or any(c in local for c in "/: "):
        raise ValueError(f"{iri} has no CURIE local part")
    return f"{prefix}:{local}"


def _expand_prefix(prefix: str) -> str:
    return NAKG if prefix == "nakg" else RES + ("" if prefix == "nakg.resource" else prefix[5:].replace(".", "/") + "/")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value).replace(LIST_SEPARATOR, "\u00a6")


def _tsv(header: list[str], rows: list[list[str]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue()


def _extra(records: list[dict[str, Any]], core: tuple[str, ...], skip: set[str]) -> list[tuple[str, str]]:
    return [(name, f"nakg_{name}" if name in core or name == "type" else name)
            for name in sorted(attribute_types(records)) if name not in skip]


def write_folder(graph: nx.MultiDiGraph, folder: Path) -> None:
    """Write the KGX files of a clean viewer graph into ``folder``."""
    properties = graph.graph.get("properties", frozenset())
    ids = {n: curie(n) for n in graph.nodes}
    node_cols = _extra([d for _, d in graph.nodes(data=True)], NODE_CORE, {"label", "type"})
    nodes = [[ids[n], CATEGORIES.get(str(d.get("type")), "biolink:NamedThing"), _cell(d["label"]), PROVIDED_BY,
              _cell(d.get("type", "Resource")), n, *(_cell(d.get(a)) for a, _ in node_cols)]
             for n, d in graph.nodes(data=True)]
    write_text(folder / "nodes.tsv", _tsv([*NODE_CORE, *(h for _, h in node_cols)], nodes))
    edge_cols = _extra([d for *_, d in graph.edges(data=True)], EDGE_CORE, set())
    edges = []
    for u, v, key, d in graph.edges(keys=True, data=True):
        rel = str(d["relation"])
        own = f"nakg:{rel}" if rel in properties else f"nakg.view:{rel}"
        edges.append([str(key), ids[u], PREDICATES.get(rel, "biolink:related_to"), ids[v], own, "knowledge_assertion",
                      "manual_agent", KNOWLEDGE_SOURCE, PROVIDED_BY, *(_cell(d.get(a)) for a, _ in edge_cols)])
    write_text(folder / "edges.tsv", _tsv([*EDGE_CORE, *(h for _, h in edge_cols)], edges))
    used = {"biolink", "infores", "nakg", "nakg.view"} | {i.split(":", 1)[0] for i in ids.values()}
    prefix_map = {"biolink": "https://w3id.org/biolink/vocab/", "infores": "https://w3id.org/infores/",
                  "nakg.view": NAKG + "view/"}
    prefix_map.update({p: _expand_prefix(p) for p in used if p.startswith("nakg") and p != "nakg.view"})
    write_text(folder / "prefix_map.json", json.dumps(dict(sorted(prefix_map.items())), indent=1) + "\n")


def write(kg: KnowledgeGraph, view: str, path: Path | str) -> dict[str, int]:
    """Write ``view`` of ``kg`` as a KGX TSV folder at ``path``; returns ``{"nodes": n, "edges": m}``."""
    graph = viewer_graph(kg, view)
    with atomic_directory(path, FILES) as tmp:
        write_folder(graph, tmp)
    return {"nodes": graph.number_of_nodes(), "edges": graph.number_of_edges()}
