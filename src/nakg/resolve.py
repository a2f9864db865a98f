"""One resolver for everything a user types: materials, families, elements and vocabulary terms.

The Python API, every CLI command and the query parameters take the user's
words through this module, so a value means the same everywhere. The rules:

* **Materials** — by record id, by formula as written (case, white space and
  Unicode sub-/superscripts ignored: ``Na₃Zr₂Si₂PO₁₂`` = ``na3zr2si2po12``),
  by alias (``skos:altLabel``, e.g. ``NZSP``), by name (``rdfs:label``), and
  last by parsed composition (``Na3Zr2Si2O12P`` finds ``Na3Zr2Si2PO12``). The
  first of these that matches decides. A search (:meth:`Resolver.materials`)
  gives every material it matches; where one is needed
  (:meth:`Resolver.material`) several raise :class:`~nakg.errors.AmbiguousValue`
  naming them.
* **Families** — by record key (``nasicon``; ``-``/space/``_`` alike), label in
  any case (``NASICON``, ``layered oxide``), or IRI/CURIE exactly as the
  ontology spells it (``nakg:NASICONFamily``). A family filter includes its
  subfamilies; a family is reported with its key, label and top-level family.
* **Elements** — by symbol in any case (``Ca``, ``ca``) or English name
  (``calcium``). A material contains an element ``via`` ``composition`` (its
  parsed formula has it), ``doping`` (a doping or substitution that produced it
  adds the element, or the host it was doped from has it and its own formula
  could not be parsed) or ``series`` (a formula with a variable amount or a
  placeholder names it: ``Na3+xScxZr2-xSi2PO12`` contains Sc).
* **Vocabulary terms** (routes, techniques, mechanisms, sides, properties,
  units, …; see :data:`KINDS`) — by record key, label in any case, or IRI/CURIE.
* **Values the graph holds** (:data:`GRAPH_KINDS`: record ids, review section
  numbers, reference numbers, the review's tables) — as the graph writes them, in
  the normalised form, or after a word a user may put before them (``1``,
  ``table1`` = ``Table 1``; ``section 4.2.2``; ``[37]``, ``ref 37``).
* A value that names nothing raises :class:`~nakg.errors.UnknownValue`: one
  line with the value, the closest valid ones and ``nakg list KIND``.

>>> family("NASICON").key, family("nakg:NASICONFamily").key, family("nasicon").top_label
('nasicon', 'nasicon', 'NASICON')
>>> element("calcium"), element("ca")
('Ca', 'Ca')
>>> term("routes", "Ball milling").key
'ball_milling'
>>> family("nakg:Nasicon")
Traceback (most recent call last):
nakg.errors.UnknownValue: unknown family 'nakg:Nasicon'; did you mean 'nasicon'? (list them all: nakg list families)
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

from .errors import AmbiguousValue, UnknownValue

if TYPE_CHECKING:  # pragma: no cover
    from .core import GraphCore

__all__ = [
    "KINDS",
    "VIA",
    "Term",
    "Family",
    "Material",
    "normalize",
    "family",
    "families",
    "family_keys",
    "element",
    "elements",
    "term",
    "terms",
    "kind_scheme",
    "Resolver",
    "resolver",
    "GRAPH_KINDS",
    "GraphKind",
    "graph_values",
    "graph_value",
]

NAKG = "https://w3id.org/nakg/"

#: The kinds ``nakg list KIND`` knows, each a controlled vocabulary of the ontology (class local name).
#: ``properties`` are the measurement kinds and ``units`` the units curators may write.
KINDS: dict[str, str] = {
    "routes": "SynthesisRoute",
    "step-kinds": "SynthesisStepKind",
    "synthesis-effects": "SynthesisEffect",
    "techniques": "CharacterizationTechnique",
    "mechanisms": "DopingMechanism",
    "transport-mechanisms": "TransportMechanism",
    "outcomes": "DopingOutcome",
    "valences": "ValenceType",
    "sides": "ElectrodeSide",
    "strategies": "InterfaceStrategy",
    "effects": "InterfaceEffect",
    "challenges": "Challenge",
    "topics": "FindingTopic",
    "forms": "MaterialForm",
    "roles": "MaterialRole",
    "qualifiers": "ValueQualifier",
    "contributions": "ConductivityContribution",
    "bases": "EvidenceBasis",
    "crystal-systems": "CrystalSystem",
    "dimensionalities": "ConductionDimensionality",
    "chemical-classes": "ChemicalClass",
    "properties": "MeasurementKind",
    "units": "Unit",
}

#: How a material contains an element, strongest first.
VIA = ("composition", "doping", "series")

_SUB = str.maketrans("₀₁₂₃₄₅₆₇₈₉⁰¹²³⁴⁵⁶⁷⁸⁹₊₋⁺⁻", "0123456789012345678" "9+-+-")


def normalize(text: str) -> str:
    """The form two spellings of one value share: NFKC, sub-/superscripts as digits, case folded, no white space.

    >>> normalize(" Na₃Zr₂Si₂PO₁₂ ") == normalize("na3zr2si2po12")
    True
    """
    return "".join(unicodedata.normalize("NFKC", str(text).translate(_SUB)).casefold().split())


def _key_form(text: str) -> str:
    """A record key's loose form: ``-``, space and ``_`` alike."""
    text = unicodedata.normalize("NFKC", str(text).translate(_SUB)).casefold().strip()
    return re.sub(r"[\s_\-]+", "_", text)


def _suggest(value: str, options: dict[str, str], n: int = 3) -> list[str]:
    """The display names of the ``options`` (normalized form → display) closest to ``value``."""
    probe = normalize(value)
    if ":" in probe and not probe.startswith("http"):
        probe = probe.split(":", 1)[1]
    close = difflib.get_close_matches(probe, list(options), n=n * 3, cutoff=0.55)
    close += [k for k in options if len(probe) >= 3 and len(k) >= 3 and (probe in k or k in probe) and k not in close]
    out: list[str] = []
    for k in close:
        if options[k] not in out:
            out.append(options[k])
    return out[:n]


def _expand(iri_or_curie: str) -> str | None:
    """The full IRI of an IRI or CURIE (known prefixes), else None."""
    from .rdf.namespaces import PREFIXES

    text = iri_or_curie.strip()
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1]
    if re.match(r"^https?://", text):
        return text
    prefix, sep, local = text.partition(":")
    if sep and prefix in PREFIXES and local and "/" not in local:
        return str(PREFIXES[prefix]) + local
    return None


def _curie(iri: str) -> str:
    return "nakg:" + iri[len(NAKG):] if iri.startswith(NAKG) else iri


# --- controlled vocabularies (from the ontology; no data graph needed) ----------------------------


@dataclass(frozen=True)
class Term:
    """A controlled term: its record key, label, IRI and kind."""

    key: str
    label: str
    iri: str
    kind: str

    def as_dict(self) -> dict[str, str]:
        """The term as a plain dict (``key``, ``label``, ``iri``)."""
        return {"key": self.key, "label": self.label, "iri": self.iri}


@dataclass(frozen=True)
class Family(Term):
    """An electrolyte family with its place in the hierarchy (``path``: keys from the top-level family down)."""

    path: tuple[str, ...] = ()
    top_key: str = ""
    top_label: str = ""

    def as_dict(self) -> dict[str, str]:
        """``key``, ``label``, ``iri``, ``top`` (key) and ``top_label``."""
        return {**super().as_dict(), "top": self.top_key, "top_label": self.top_label}


def kind_scheme(kind: str) -> str:
    """The ontology scheme of a kind name (``routes`` → ``SynthesisRoute``); scheme names are accepted too.

    >>> kind_scheme("techniques"), kind_scheme("CharacterizationTechnique")
    ('CharacterizationTechnique', 'CharacterizationTechnique')
    """
    if kind in KINDS:
        return KINDS[kind]
    if kind in KINDS.values() or kind == "ElectrolyteFamily":
        return kind
    options = {k: k for k in [*KINDS, "materials", "families", "elements", *GRAPH_KINDS]}
    raise UnknownValue(kind, "kind of value", _suggest(kind, options), "--help")


def _listing(scheme: str) -> str:
    return next((k for k, v in KINDS.items() if v == scheme), scheme)


@cache
def _terms(scheme: str) -> tuple[Term, ...]:
    from .vocab import vocabulary

    v = vocabulary()
    if scheme == "MeasurementKind":
        pairs = [(k, m.iri) for k, m in v.measurements.items()]
    elif scheme == "Unit":
        pairs = [(k, u.iri) for k, u in v.units.items()]
    else:
        pairs = list(v.schemes.get(scheme, {}).items())
    return tuple(sorted((Term(k, v.labels.get(iri, k), str(iri), scheme) for k, iri in pairs), key=lambda t: t.key))


def terms(kind: str) -> list[Term]:
    """Every term of a vocabulary kind (``routes``, ``techniques``, …, see :data:`KINDS`), sorted by key.

    >>> [t.key for t in terms("sides")]
    ['anode', 'both', 'cathode']
    """
    scheme = kind_scheme(kind)
    if scheme == "ElectrolyteFamily":
        return list(families())
    return list(_terms(scheme))


def _lookup(value: str, items: tuple[Term, ...] | list[Term], kind: str, listing: str) -> Term:
    """The one term ``value`` names by key, label (any case) or IRI/CURIE (exact)."""
    text = str(value).strip()
    iri = _expand(text)
    if iri is not None:
        for t in items:
            if t.iri == iri:
                return t
    else:
        probe, loose = normalize(text), _key_form(text)
        for t in items:
            if t.key == text:
                return t
        for t in items:
            if _key_form(t.key) == loose or normalize(t.label) == probe:
                return t
    options: dict[str, str] = {}
    for t in items:
        for form in (normalize(t.key), normalize(t.label), normalize(t.iri.rsplit("/", 1)[-1])):
            options.setdefault(form, t.key)
    raise UnknownValue(text, kind, _suggest(text, options), listing)


def _singular(listing: str) -> str:
    """A kind's name for one value: ``chemical-classes`` → ``chemical class``, ``strategies`` → ``strategy``.

    >>> [_singular(k) for k in ("routes", "strategies", "bases", "chemical-classes", "dimensionalities")]
    ['route', 'strategy', 'basis', 'chemical class', 'dimensionality']
    """
    words = listing.split("-")
    last = words[-1]
    if last == "bases":
        last = "basis"
    elif last.endswith("ies"):
        last = last[:-3] + "y"
    elif last.endswith("sses"):
        last = last[:-2]
    elif last.endswith("s"):
        last = last[:-1]
    return " ".join([*words[:-1], last])


def term(kind: str, value: str) -> Term:
    """The vocabulary term ``value`` names in ``kind`` (UnknownValue if none).

    >>> term("techniques", "nakg:EIS").key, term("techniques", "Electrochemical impedance spectroscopy").key
    ('eis', 'eis')
    """
    scheme = kind_scheme(kind)
    if scheme == "ElectrolyteFamily":
        return family(value)
    singular = {"MeasurementKind": "property", "Unit": "unit"}.get(scheme, _singular(_listing(scheme)))
    return _lookup(value, _terms(scheme), singular, _listing(scheme))


@cache
def families() -> tuple[Family, ...]:
    """Every electrolyte family with its key, label, IRI and top-level family.

    >>> sorted(f.key for f in families() if f.top_key == "sulfide")[:2]
    ['na11sn2pnx12_type', 'na3pns4_type']
    """
    from rdflib import URIRef

    from .rdf.namespaces import NAKG as NS
    from .vocab import ontology_graph, vocabulary

    graph, v = ontology_graph(), vocabulary()
    keys = {str(iri): k for k, iri in v.schemes.get("ElectrolyteFamily", {}).items()}
    parent = {}
    for iri in keys:
        up = graph.value(URIRef(iri), NS.subFamilyOf)
        if up is not None and str(up) in keys:
            parent[iri] = str(up)
    out = []
    for iri, key in keys.items():
        path, node = [key], iri
        while node in parent and len(path) < 20:
            node = parent[node]
            path.insert(0, keys[node])
        top_iri = next(i for i, k in keys.items() if k == path[0])
        out.append(Family(key, v.labels.get(URIRef(iri), key), iri, "ElectrolyteFamily", tuple(path), path[0],
                          v.labels.get(URIRef(top_iri), path[0])))
    return tuple(sorted(out, key=lambda f: f.key))


def family(value: str) -> Family:
    """The family ``value`` names: key, label (any case) or IRI/CURIE.

    >>> family("P2-type layered oxide").path
    ('layered_oxide', 'p2_layered_oxide')
    """
    if isinstance(value, Family):
        return value
    try:
        return _lookup(value, families(), "family", "families")  # type: ignore[return-value]
    except UnknownValue as exc:
        try:  # "oxide" is a chemical class, not a family: say how to ask for it
            cls = _lookup(value, _terms("ChemicalClass"), "chemical class", "chemical-classes")
        except UnknownValue:
            raise exc from None
        raise UnknownValue(exc.value, "family", exc.suggestions, exc.listing,
                           note=f"{cls.key!r} is a chemical class: filter with chemical_class={cls.key!r} "
                                f"(families {', '.join(sorted(family_keys_of_class(cls.key)))})") from None


def family_keys_of_class(value: str) -> set[str]:
    """The keys of every family of a chemical class (key, label or IRI), subfamilies included.

    >>> sorted(family_keys_of_class("oxide"))[:3]
    ['beta_alumina', 'layered_oxide', 'na_beta_alumina']
    """
    from rdflib import URIRef

    from .rdf.namespaces import NAKG as NS
    from .vocab import ontology_graph

    cls = term("chemical-classes", value)
    graph = ontology_graph()
    tops = {f.key for f in families() if graph.value(URIRef(f.iri), NS.hasChemicalClass) == URIRef(cls.iri)}
    return {f.key for f in families() if any(k in tops for k in f.path)}


def family_keys(value: str) -> set[str]:
    """The keys of a family and of all its subfamilies (a family filter).

    >>> sorted(family_keys("beta alumina"))
    ['beta_alumina', 'na_beta_alumina', 'na_beta_double_prime_alumina']
    """
    top = family(value).key
    return {f.key for f in families() if top in f.path}


@cache
def _element_names() -> dict[str, str]:
    from molmass.elements import ELEMENTS

    return {e.symbol: e.name for e in ELEMENTS if e.number > 0}


def elements() -> list[Term]:
    """Every chemical element as a term (key: symbol, label: English name)."""
    return [Term(s, n, f"{NAKG}resource/element/{s}", "element") for s, n in sorted(_element_names().items())]


def element(value: str) -> str:
    """The symbol of the element ``value`` names (symbol in any case, or English name).

    >>> element("Zr"), element("ZIRCONIUM")
    ('Zr', 'Zr')
    """
    text = str(value).strip()
    names = _element_names()
    if text in names:
        return text
    probe = normalize(text)
    iri = _expand(text)
    for symbol, name in names.items():
        if probe in (symbol.casefold(), name.casefold()) or iri == f"{NAKG}resource/element/{symbol}":
            return symbol
    options = {normalize(n): s for s, n in names.items()} | {s.casefold(): s for s in names}
    raise UnknownValue(text, "element", _suggest(text, options), "elements")


# --- materials (need the data graph) -------------------------------------------------------------


@dataclass(frozen=True)
class Material:
    """A material as the resolver knows it: id, IRI, formula, label, aliases, family key."""

    id: str
    iri: str
    formula: str
    label: str
    aliases: tuple[str, ...] = ()
    family: str | None = None
    form: str | None = None

    def display(self) -> str:
        """``id (formula)``, how errors name a material."""
        return f"{self.id} ({self.formula})"


_MATERIALS = """
SELECT ?m ?id ?formula ?label ?alias ?family ?form WHERE {
  ?m a nakg:Material ; nakg:recordId ?id ; nakg:formula ?formula .
  OPTIONAL { ?m rdfs:label ?label }
  OPTIONAL { ?m skos:altLabel ?alias }
  OPTIONAL { ?m nakg:belongsToFamily/nakg:recordKey ?family }
  OPTIONAL { ?m nakg:hasForm/nakg:recordKey ?form }
}"""

_COMPOSITION = "SELECT ?id ?el WHERE { ?m a nakg:Material ; nakg:recordId ?id ; nakg:containsElement/nakg:symbol ?el }"

_DOPED = """
SELECT ?id ?el ?host WHERE {
  ?d nakg:hasProduct ?m . ?m nakg:recordId ?id .
  OPTIONAL { ?d nakg:hasSubstitution/nakg:dopant/nakg:element/nakg:symbol ?el }
  OPTIONAL { ?d nakg:hasHost/nakg:recordId ?host }
}"""


@dataclass
class Resolver:
    """The materials of one graph, indexed for the user's words, and the elements each contains."""

    materials_by_id: dict[str, Material]
    contains: dict[str, dict[str, list[str]]] = field(default_factory=dict)  # material id → element → vias, strongest first

    @classmethod
    def build(cls, kg: GraphCore) -> Resolver:
        """Index the materials of ``kg`` (one SPARQL pass per rule)."""
        rows: dict[str, dict[str, Any]] = {}
        for r in kg.query(_MATERIALS):
            m = rows.setdefault(r["id"], {"iri": r["m"], "formula": r["formula"], "label": r["label"] or r["formula"],
                                          "aliases": set(), "family": r["family"], "form": r["form"]})
            if r["alias"]:
                m["aliases"].add(r["alias"])
        by_id = {i: Material(i, m["iri"], m["formula"], m["label"], tuple(sorted(m["aliases"])), m["family"], m["form"])
                 for i, m in rows.items()}
        contains: dict[str, dict[str, list[str]]] = {i: {} for i in by_id}

        def add(mid: str, el: str, via: str) -> None:
            vias = contains.setdefault(mid, {}).setdefault(el, [])
            if via not in vias:
                vias.append(via)

        for r in kg.query(_COMPOSITION):
            add(r["id"], r["el"], "composition")
        hosts: dict[str, set[str]] = {}
        for r in kg.query(_DOPED):
            if r["el"]:
                add(r["id"], r["el"], "doping")
            if r["host"]:
                hosts.setdefault(r["id"], set()).add(r["host"])
        from .series import has_variable_amount, series_elements

        for mid, m in by_id.items():
            if m.form == "series" or has_variable_amount(m.formula):
                for el in series_elements(m.formula, m.label):
                    add(mid, el, "series")
        for mid, hs in hosts.items():  # a doped product whose formula gave no composition keeps its host's elements
            if not any("composition" in v for v in contains.get(mid, {}).values()):
                for h in hs:
                    for el, vias in list(contains.get(h, {}).items()):
                        if "composition" in vias:
                            add(mid, el, "doping")
        for els in contains.values():
            for vias in els.values():
                vias.sort(key=VIA.index)
        return cls(by_id, contains)

    # -- matching
    def _tiers(self):
        yield "id", lambda m, p, raw: m.id == raw.strip()
        yield "formula", lambda m, p, raw: normalize(m.formula) == p
        yield "alias", lambda m, p, raw: any(normalize(a) == p for a in m.aliases)
        yield "name", lambda m, p, raw: normalize(m.label) == p
        yield "id in any case", lambda m, p, raw: m.id.casefold() == raw.strip().casefold()

    def materials(self, value: str) -> list[Material]:
        """Every material ``value`` names (the first rule that matches decides); UnknownValue if none.

        A formula shared by several records gives all of them.
        """
        if isinstance(value, Material):
            return [value]
        raw = str(value)
        probe = normalize(raw)
        if not probe:
            raise UnknownValue(raw, "material", [], "materials")
        iri = _expand(raw)
        if iri is not None and iri.startswith(f"{NAKG}resource/material/"):
            hit = [m for m in self.materials_by_id.values() if m.iri == iri]
            if hit:
                return hit
        for _, match in self._tiers():
            hits = [m for m in self.materials_by_id.values() if match(m, probe, raw)]
            if hits:
                return sorted(hits, key=lambda m: m.id)
        composition = _composition(raw)
        if composition:
            hits = [m for m in self.materials_by_id.values() if _composition(m.formula) == composition]
            if hits:
                return sorted(hits, key=lambda m: m.id)
        options: dict[str, str] = {}
        for m in self.materials_by_id.values():
            options.setdefault(normalize(m.formula), m.formula)
            for a in m.aliases:
                options.setdefault(normalize(a), a)
            options.setdefault(m.id, m.id)
        raise UnknownValue(raw, "material", _suggest(raw, options), "materials")

    def material(self, value: str) -> Material:
        """The one material ``value`` names; AmbiguousValue naming the candidates if several."""
        hits = self.materials(value)
        if len(hits) > 1:
            raise AmbiguousValue(str(value), "material", [m.display() for m in hits])
        return hits[0]

    def elements_of(self, material_id: str) -> dict[str, list[str]]:
        """Element symbol → how the material contains it (``composition``, ``doping``, ``series``; strongest first)."""
        return {el: list(v) for el, v in sorted(self.contains.get(material_id, {}).items())}

    def containing(self, value: str) -> list[tuple[Material, list[str]]]:
        """The materials containing an element, each with its reasons (strongest first), sorted by id.

        >>> import nakg
        >>> [(m.id, via) for m, via in resolver(nakg.load()).containing("Sc") if "series" in via]
        [('na3pxscxzr2-xsi2po12', ['doping', 'series'])]
        """
        symbol = element(value)
        return [(m, list(self.contains[m.id][symbol])) for m in sorted(self.materials_by_id.values(), key=lambda m: m.id)
                if symbol in self.contains.get(m.id, {})]


def _composition(text: str) -> dict[str, float] | None:
    from .errors import NakgError
    from .formula import parse_formula

    try:
        parsed = parse_formula(unicodedata.normalize("NFKC", text.translate(_SUB)).replace(" ", ""))
    except (NakgError, ValueError, TypeError, KeyError, IndexError):
        return None
    return {k: round(v, 6) for k, v in parsed.items()} or None


@dataclass(frozen=True)
class GraphKind:
    """Values of one kind the data graph holds: what one is called, the SPARQL that lists them, the words
    a user may put before one (``table`` before ``1``) and the form it is written around (``[{}]``)."""

    singular: str
    sparql: str
    before: tuple[str, ...] = ()
    around: tuple[str, ...] = ()


#: The kinds of values ``nakg list KIND`` lists from the graph (besides ``materials``), by listing name.
GRAPH_KINDS: dict[str, GraphKind] = {
    "records": GraphKind("record", "SELECT DISTINCT ?v WHERE { ?x nakg:recordId ?v }"),
    "sections": GraphKind("review section", "SELECT DISTINCT ?v WHERE { ?x nakg:sectionNumber ?v }",
                          ("section", "sec.", "§")),
    "references": GraphKind("reference", "SELECT DISTINCT ?v WHERE { ?x nakg:referenceNumber ?v }",
                            ("reference", "ref.", "ref"), ("[{}]",)),
    "source-tables": GraphKind("review table", "SELECT DISTINCT ?v WHERE { ?x nakg:sourceTable ?v }", ("table",)),
}


def _sort_key(value: Any) -> tuple:
    parts = re.split(r"(\d+)", str(value))
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in parts if p)


def graph_values(kg: GraphCore, kind: str) -> list[Any]:
    """Every value of a :data:`GRAPH_KINDS` kind in ``kg``, in natural order (kept in ``kg.cache``).

    >>> import nakg
    >>> graph_values(nakg.load(), "source-tables")
    ['Table 1', 'Table 2', 'Table 3']
    """
    held = kg.cache.get(f"values:{kind}") if hasattr(kg, "cache") else None
    if held is None:
        held = sorted({r["v"] for r in kg.query(GRAPH_KINDS[kind].sparql)}, key=_sort_key)
        if hasattr(kg, "cache"):
            kg.cache[f"values:{kind}"] = held
    return held


def graph_value(kg: GraphCore, kind: str, value: Any) -> Any:
    """The value of ``kind`` in ``kg`` that ``value`` names, as the graph holds it; UnknownValue if none.

    >>> import nakg
    >>> kg = nakg.load()
    >>> graph_value(kg, "source-tables", "1"), graph_value(kg, "sections", "Section 4.2.2")
    ('Table 1', '4.2.2')
    >>> graph_value(kg, "references", "[37]")
    37
    >>> graph_value(kg, "sections", "4.2.9")
    Traceback (most recent call last):
    nakg.errors.UnknownValue: unknown review section '4.2.9'; did you mean '4.2.2' or '4.2.1' or '4.5.2'? (list them all: nakg list sections)
    """
    k = GRAPH_KINDS[kind]
    values = graph_values(kg, kind)
    text = str(value).strip()
    for v in values:
        if str(v) == text:
            return v
    probe = normalize(text)
    for v in values:
        forms = {normalize(str(v))} | {normalize(f"{w}{v}") for w in k.before} | {normalize(a.format(v)) for a in k.around}
        if probe and (probe in forms or normalize(str(v)) in {normalize(f"{w}{text}") for w in k.before}):
            return v  # as written, normalised, with a word before it the user added (section 4.2.2) or left out (1)
    raise UnknownValue(text, k.singular, _suggest(text, {normalize(str(v)): str(v) for v in values}), kind)


def resolver(kg: GraphCore) -> Resolver:
    """The resolver of a graph, built once and kept in ``kg.cache``.

    >>> import nakg
    >>> r = resolver(nakg.load())
    >>> r.material("NZSP").id, r.material("Na₃Zr₂Si₂PO₁₂").id
    ('na3zr2si2po12', 'na3zr2si2po12')
    """
    held = kg.cache.get("resolver") if hasattr(kg, "cache") else None
    if held is None:
        held = Resolver.build(kg)
        if hasattr(kg, "cache"):
            kg.cache["resolver"] = held
    return held
