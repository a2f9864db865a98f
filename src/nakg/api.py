"""The Python API: load the knowledge graph and ask it questions.

>>> kg = load()
>>> kg.material("na3zr2si2po12")["formula"]
'Na3Zr2Si2PO12'
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rdflib import Graph

from .core import GraphCore
from .store import DEFAULT_STORE, load_into, open_graph

__all__ = ["KnowledgeGraph", "load", "connect"]


class KnowledgeGraph(GraphCore):
    """The knowledge graph with the Python API: tables, materials, dopings, lineage, cells, ...

    Built on :class:`nakg.core.GraphCore` (the store and :meth:`query`); this
    class adds the questions a researcher asks, each taking the user's words
    through :mod:`nakg.resolve`.
    """

    def to_networkx(self, view: str = "whole"):
        """A networkx projection: ``whole``, ``lineage``, ``dopant-host``, ``cells``, ``family:<key>`` or
        ``strategy`` (doping → dopant → site → valence → mechanism → family → outcome,
        :func:`nakg.analytics.network.strategy_graph`).

        >>> load().to_networkx("dopant-host").number_of_edges() > 10
        True
        """
        if view == "strategy":
            from .analytics import strategy_graph

            return strategy_graph(self)
        from .views import to_networkx

        return to_networkx(self, view)

    # --- tidy tables and traversal -------------------------------------------------
    def table(self, name: str) -> list[dict[str, Any]]:
        """A tidy table (``measurements``, ``dopings``, ``syntheses``, ``structures``, ``interfaces``,
        ``cells``, ``references``), cached per graph."""
        from .tables import table

        if name not in self._tables:
            self._tables[name] = table(self, name)
        return self._tables[name]

    def dataframe(self, name: str):
        """A tidy table as a typed pandas DataFrame (dtypes, units and meanings: ``docs/tables.md``).

        >>> df = load().dataframe("cells")
        >>> str(df["cycles"].dtype), str(df["retention_percent"].dtype)
        ('Int64', 'Float64')
        """
        from .dataframes import to_dataframe

        return to_dataframe(self.table(name), name)

    def resolver(self):
        """The :class:`nakg.resolve.Resolver` of this graph: the user's words → materials, elements (built once)."""
        from .resolve import resolver

        return resolver(self)

    def _material_id(self, material: str) -> str:
        """The record id of the one material ``material`` names (id, formula, alias or name; see :mod:`nakg.resolve`)."""
        return self.resolver().material(material).id

    def materials(self, family: str | None = None, element: str | None = None, formula: str | None = None,
                  min_conductivity: float | None = None, temperature: str | None = None,
                  chemical_class: str | None = None) -> list[dict[str, Any]]:
        """Materials filtered by family, element, formula and/or a conductivity threshold, in the user's words.

        ``family``: key, label (any case) or IRI/CURIE, subfamilies included;
        ``element``: symbol or name — a material contains it by its composition,
        a doping that produced it, or a series formula (column ``via``);
        ``formula``: formula as written, alias or name (every material sharing it);
        ``chemical_class``: ``oxide``, ``sulfide``, ``halide`` or ``hydride`` (key,
        label or IRI; ``nakg list chemical-classes``): materials of every family of that class;
        ``min_conductivity``: at least this ionic conductivity in S/cm at
        ``temperature`` (e.g. ``"r.t."``, ``"25 °C"``, ``"300 °C"``; room
        temperature is the rule of :mod:`nakg.rules`). An unknown family, element
        or formula raises :class:`nakg.errors.UnknownValue`.

        >>> kg = load()
        >>> [m["id"] for m in kg.materials(family="NASICON", min_conductivity=1e-3, temperature="25 °C")]
        ['na3zr2si2po12p0.2na2o']
        >>> sorted({m["via"] for m in kg.materials(element="Ca")})
        ['doping', 'series']
        """
        from . import resolve

        r = self.resolver()
        fams = {f.key: f for f in resolve.families()}
        rows = []
        for m in sorted(r.materials_by_id.values(), key=lambda m: m.id):
            f = fams.get(m.family) if m.family else None
            rows.append({"id": m.id, "formula": m.formula, "label": m.label, "aliases": list(m.aliases),
                         "family": m.family, "family_label": f.label if f else None, "top_family": f.top_key if f else None})
        if family is not None:
            keys = resolve.family_keys(family)
            rows = [row for row in rows if row["family"] in keys]
        if chemical_class is not None:
            keys = resolve.family_keys_of_class(chemical_class)
            rows = [row for row in rows if row["family"] in keys]
        if element is not None:
            having = {m.id: via for m, via in r.containing(element)}
            rows = [{**row, "element": resolve.element(element), "via": having[row["id"]][0], "vias": having[row["id"]]}
                    for row in rows if row["id"] in having]
        if formula is not None:
            ids = {m.id for m in r.materials(formula)}
            rows = [row for row in rows if row["id"] in ids]
        if min_conductivity is not None:
            from .quantities import parse_temperature

            target = parse_temperature(temperature) if temperature else None
            from .rules import is_room_temperature, representative

            room = target is not None and is_room_temperature(flagged=bool(target.room_temperature), kelvin=target.kelvin)
            ok = set()
            for m in self.table("measurements"):
                if m["property"] != "ionic_conductivity" or not m["material_id"]:
                    continue
                # a range counts by its lower end: the stated values must all reach the threshold
                value = representative(m["canonical_value"], m["canonical_min"], m["canonical_max"])
                if value is None or value < min_conductivity or m["qualifier"] in ("upper_bound", "order_of_magnitude"):
                    continue
                m_room = is_room_temperature(flagged=bool(m["room_temperature"]), kelvin=m["temperature_K"])
                if target is None or (room and m_room) or (
                        not room and target.kelvin is not None and m["temperature_K"] is not None
                        and abs(m["temperature_K"] - target.kelvin) < 0.5):
                    ok.add(m["material_id"])
            rows = [r for r in rows if r["id"] in ok]
        return rows

    def measurements(self, material: str, property: str | None = None) -> list[dict[str, Any]]:
        """Rows of the measurements table for one material (optionally one property: key, label or IRI)."""
        material_id = self._material_id(material)
        if property is not None:
            from .resolve import term

            property = term("properties", property).key
        return [m for m in self.table("measurements")
                if m["material_id"] == material_id and (property is None or m["property"] == property)]

    def structures(self, material: str) -> list[dict[str, Any]]:
        """Crystal structures of a material."""
        material_id = self._material_id(material)
        return [r for r in self.table("structures") if r["material_id"] == material_id]

    def syntheses(self, material: str) -> list[dict[str, Any]]:
        """Syntheses that produce a material."""
        material_id = self._material_id(material)
        return [r for r in self.table("syntheses") if r["material_id"] == material_id]

    def dopings(self, material: str, as_: str = "any") -> list[dict[str, Any]]:
        """Dopings with the material as ``host``, ``product`` or ``any``."""
        material_id = self._material_id(material)
        keys = {"host": ("host_id",), "product": ("product_id",), "any": ("host_id", "product_id")}[as_]
        return [r for r in self.table("dopings") if any(r[k] == material_id for k in keys)]

    def parents(self, material: str) -> list[str]:
        """Ids of the materials this one was derived from."""
        material_id = self._material_id(material)
        return sorted(r["p"] for r in self.query(
            "SELECT ?p WHERE { ?m nakg:recordId ?id ; nakg:derivedFrom/nakg:recordId ?p }", id=material_id))

    def derivatives(self, material: str, recursive: bool = False) -> list[str]:
        """Ids of materials derived from this one (all generations with ``recursive``)."""
        material_id = self._material_id(material)
        path = "nakg:derivedFrom+" if recursive else "nakg:derivedFrom"
        return sorted(r["c"] for r in self.query(
            f"SELECT DISTINCT ?c WHERE {{ ?m nakg:recordId ?id . ?x {path} ?m ; nakg:recordId ?c }}", id=material_id))

    def lineage(self, material: str) -> dict[str, Any]:
        """The full derivation tree around a material (see :func:`nakg.analytics.network.lineage_tree`).

        >>> load().lineage("NZSP")["focus"]
        'na3zr2si2po12'
        """
        from .analytics.network import lineage_tree

        return lineage_tree(self, self._material_id(material))

    def cells(self, material: str) -> list[dict[str, Any]]:
        """Cells using a material as electrolyte, electrode or component (one row per cycling result)."""
        material_id = self._material_id(material)
        ids = {r["c"] for r in self.query("""
            SELECT ?c WHERE { ?m nakg:recordId ?id . ?cell nakg:recordId ?c .
                              ?cell nakg:hasElectrolyte|nakg:hasCathode|nakg:hasAnode|nakg:hasCellComponent ?m }""", id=material_id)}
        return [r for r in self.table("cells") if r["cell_id"] in ids]

    def interfaces(self, material: str) -> list[dict[str, Any]]:
        """Interface modifications of an electrolyte."""
        material_id = self._material_id(material)
        return [r for r in self.table("interfaces") if r["electrolyte_id"] == material_id]

    def references(self, record_id: str) -> list[dict[str, Any]]:
        """The references (number and bibliographic data) behind any fact, by its record id."""
        numbers = {r["n"] for r in self.query(
            "SELECT ?n WHERE { ?x nakg:recordId ?id ; nakg:citesReference/nakg:referenceNumber ?n }", id=record_id)}
        return [r for r in self.table("references") if r["number"] in numbers]

    def material(self, material: str) -> dict[str, Any]:
        """The material card: everything the graph holds about one material (see :mod:`nakg.card`).

        ``material`` is anything the resolver takes (id, formula in any case or
        with subscripts, alias, name); an unknown one raises
        :class:`nakg.errors.UnknownValue`, a formula shared by several materials
        :class:`nakg.errors.AmbiguousValue`.

        >>> card = load().material("Na3Zr2Si2PO12")
        >>> card["id"], card["aliases"], card["family"]["top"]
        ('na3zr2si2po12', ['NZSP'], 'nasicon')
        """
        from .card import material_card

        return material_card(self, material)


def connect(endpoint: str, graph: str | None = None, timeout: float = 60.0) -> KnowledgeGraph:
    """A KnowledgeGraph over a remote SPARQL endpoint (its query URL); ``graph``: a named graph IRI."""
    from .store.remote import open_graph as open_remote

    return KnowledgeGraph(open_remote(endpoint, graph=graph, timeout=timeout), store="remote")


def load(path: Path | str | None = None, store: str = DEFAULT_STORE, inferred: bool = False,
         reasoner: str = "hermit", records: Path | str | None = None) -> KnowledgeGraph:
    """Load the ontology and the data graph onto ``store``.

    ``path`` is a built data file (``build/nakg.nt`` or ``.ttl``) or a build
    folder; without it the shipped records (or the folder ``records``) are compiled (once: the
    compiled graph is cached, keyed by a hash of records, ontology and code, see
    :func:`nakg.build.compiled_graph_file`). ``store`` is a backend name
    (``oxigraph``, ``memory``) or a directory: an on-disk store that keeps the
    graph between runs and is reloaded only when its inputs changed.

    With ``inferred``, the defined classes (``ontology/nakg-defined.ttl``), the
    derived values and the reasoner's inferred triples are added (cached);
    ``kg.reasoning`` tells asserted, derived and inferred apart.
    """
    from .resources import ontology_path
    from .store import resolve

    name, where = resolve(store)
    if path is None:
        from .build import compiled_graph_file

        data = compiled_graph_file(records)
    else:
        data = Path(path)
        if data.is_dir():
            data = data / "nakg.nt"
            if not data.is_file():
                from .errors import NakgError

                raise NakgError(f"{path}: no nakg.nt in this folder (a graph is nakg.nt/.ttl as nakg build writes it, "
                                "or the folder holding it; nakg reason's folder holds only the inferred triples)")
        elif not data.is_file():
            from .errors import NakgError

            raise NakgError(f"{data}: no such file")
    graph = open_graph(name, where)
    files = [ontology_path(), data]
    if name == "disk":
        held = _load_persistent(graph, files, reasoner if inferred else None)
        kg = KnowledgeGraph(graph, str(store))
        if inferred:
            kg.reasoning = held or _reason_persistent(graph, reasoner)
        return kg
    load_into(graph, files)
    kg = KnowledgeGraph(graph, str(store))
    if inferred:
        from .reason import add_inferred

        kg.reasoning = add_inferred(graph, reasoner=reasoner)
    return kg


#: Metadata of an on-disk store: ``source`` is a hash of the loaded files; ``state`` is
#: ``asserted``, or ``inferred <reasoner> <reasoning cache key>`` once inferred triples were added.
_ASSERTED = "asserted"


def _load_persistent(graph: Graph, files: list[Path], reasoner: str | None):
    """Fill an on-disk store from ``files`` unless it already holds their content in the wanted state.

    The wanted state is the asserted triples only (``reasoner`` None) or those
    plus the inferred triples of ``reasoner``. A store in the other state is
    reloaded, so a plain load never sees an earlier load's inferences. Returns the
    cached reasoning result when the store already holds the inferred state.
    """
    import hashlib

    from .store import disk

    h = hashlib.sha256()
    for f in files:
        with open(f, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
    key = h.hexdigest()
    if disk.get_meta(graph, "source") == key:
        state = (disk.get_meta(graph, "state") or "").split()
        if reasoner is None and state == [_ASSERTED]:
            return None
        if reasoner is not None and len(state) == 3 and state[:2] == ["inferred", reasoner]:
            from .reason import cached_result

            held = cached_result(state[2], graph, reasoner)
            if held is not None:
                return held
    disk.clear(graph)
    load_into(graph, files)
    disk.set_meta(graph, "source", key)
    disk.set_meta(graph, "state", _ASSERTED)
    return None


def _reason_persistent(graph: Graph, reasoner: str):
    """Add the inferred triples to an on-disk store holding the asserted ones, and record that state."""
    from .reason import add_inferred
    from .store import disk

    result = add_inferred(graph, reasoner=reasoner)
    if result.cache_key:  # without a cache key the state cannot be reopened: the next load starts again
        disk.set_meta(graph, "state", f"inferred {reasoner} {result.cache_key}")
    else:
        disk.set_meta(graph, "state", "inferred-uncached")
    return result
