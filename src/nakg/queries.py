"""The SPARQL query library: named queries with a parsed header, safe parameters and formatted results.

Queries are files under ``queries/<role>/<name>.rq`` (roles: ``cq`` competency
questions, ``reports``, ``violations``). Each file opens with a header of
comment lines, documented in ``queries/README.md``::

    # question: Which materials conduct at least ?threshold S/cm?
    # answer: one row per material, highest first.
    # param: threshold xsd:double 1e-3 "minimum ionic conductivity in S/cm"

A parameter becomes an RDF term of its declared type and is bound through
:func:`nakg.sparql.bind_parameters` (a ``VALUES`` block), never pasted into
the text; a parameter left out takes its default.

>>> q = load_query("conductivity-above-threshold")
>>> q.name, [p.name for p in q.params]
('cq/conductivity-above-threshold', ['threshold', 'temperature', 'tolerance'])
>>> q.param("threshold").convert("0.01")
rdflib.term.Literal('0.01', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#double'))
"""

from __future__ import annotations

import csv
import io
import json
import re
import shlex
from dataclasses import dataclass, field
from functools import lru_cache
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Identifier

from .errors import QueryError

if TYPE_CHECKING:  # pragma: no cover
    from .core import GraphCore
    from .core import GraphCore as KnowledgeGraph

__all__ = [
    "Param",
    "Column",
    "NamedQuery",
    "QueryResult",
    "PARAM_TYPES",
    "FORMATS",
    "ROLES",
    "parse_header",
    "list_queries",
    "load_query",
    "run_query",
    "format_result",
    "describe",
]

#: Folders of the query library, by role.
ROLES = ("cq", "reports", "violations")

#: Header fields; ``param`` and ``column`` may repeat, the others are free text (continued on following comment lines).
HEADER_KEYS = ("question", "answer", "param", "column", "leaves-out", "note", "violation", "report")

#: Parameter types a header may declare. ``material``, ``family``, ``element`` and ``vocab:<kind>`` take the
#: user's words through :mod:`nakg.resolve` and bind the IRI they name (``vocab:routes``, ``vocab:sides``, …;
#: kinds in :data:`nakg.resolve.KINDS`); an unknown value is an :class:`~nakg.errors.UnknownValue`.
PARAM_TYPES = ("xsd:string", "xsd:integer", "xsd:decimal", "xsd:double", "xsd:boolean", "iri", "material", "family", "element",
               "vocab:<kind>", "record", "section", "reference", "source-table")
#: The parameter types resolved through :mod:`nakg.resolve`.
RESOLVED_TYPES = ("material", "family", "element")
#: Types naming a value the data graph holds (:data:`nakg.resolve.GRAPH_KINDS`): checked against the graph the
#: query runs on and bound as the graph writes it (a literal), so a value it does not hold is an error, not 0 rows.
GRAPH_TYPES = {"record": "records", "section": "sections", "reference": "references", "source-table": "source-tables"}
#: The default that makes a resolved parameter an optional filter: unset (or empty) binds the empty string,
#: which the query reads as "every value" (``FILTER(?host = "" || ?h = ?host)``); a ``material`` filter
#: binds every material its value names (a formula shared by several records gives all of them).
UNSET = ""

_FIELD = re.compile(r"^#\s*([A-Za-z][A-Za-z-]*):\s*(.*)$")
_VAR = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_NO_DEFAULT = "-"


def _strip_comments(text: str) -> str:
    """The query text without ``#`` comments (strings and IRIs are respected)."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if c == "#":
            j = text.find("\n", i)
            i = n if j < 0 else j
            continue
        if c in "\"'":
            quote = c * 3 if text.startswith(c * 3, i) else c
            j = i + len(quote)
            while j < n and not text.startswith(quote, j):
                j += 2 if text[j] == "\\" else 1
            out.append(text[i:j + len(quote)])
            i = j + len(quote)
            continue
        if c == "<":
            m = re.match(r"<[^\s<>\"{}|^`\\]*>", text[i:])
            if m:
                out.append(m.group(0))
                i += m.end()
                continue
        out.append(c)
        i += 1
    return "".join(out)


@dataclass(frozen=True)
class Param:
    """A declared query parameter: name, type, default (lexical form; None = required) and description."""

    name: str
    type: str
    default: str | None
    description: str

    @property
    def required(self) -> bool:
        return self.default is None

    @property
    def resolved(self) -> bool:
        """Whether the value goes through :mod:`nakg.resolve` (``material``, ``family``, ``element``, ``vocab:…``)."""
        return self.type in RESOLVED_TYPES or self.type in GRAPH_TYPES or self.type.startswith("vocab:")

    @property
    def optional(self) -> bool:
        """A resolved parameter whose default is ``""``: a filter that is off when unset."""
        return self.resolved and self.default == UNSET

    @property
    def needs_graph(self) -> bool:
        """Whether a value can only be resolved against the data graph (a ``material``, a record, section, …)."""
        return self.type == "material" or self.type in GRAPH_TYPES

    @property
    def listing(self) -> str | None:
        """The ``nakg list`` command that shows this parameter's allowed values (None for plain types)."""
        if self.type in RESOLVED_TYPES:
            return f"nakg list {self.type}s"
        if self.type in GRAPH_TYPES:
            return f"nakg list {GRAPH_TYPES[self.type]}"
        if self.type.startswith("vocab:"):
            return f"nakg list {self.type.split(':', 1)[1]}"
        return None

    def convert(self, value: Any, kg: GraphCore | None = None) -> Identifier:
        """Turn ``value`` (a string from the command line, or a Python value) into an RDF term of this type.

        ``material`` parameters need the graph ``kg``; the other types resolve
        against the ontology alone.

        >>> Param("n", "xsd:integer", "3", "count").convert("12")
        rdflib.term.Literal('12', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#integer'))
        >>> Param("f", "iri", None, "family").convert("nakg:HalideFamily")
        rdflib.term.URIRef('https://w3id.org/nakg/HalideFamily')
        >>> Param("f", "family", None, "family").convert("halide")
        rdflib.term.URIRef('https://w3id.org/nakg/HalideFamily')
        >>> Param("s", "vocab:sides", None, "side").convert("Anode")
        rdflib.term.URIRef('https://w3id.org/nakg/AnodeSide')
        """
        if self.resolved:
            return _resolved(self, value, kg)
        try:
            return _CONVERTERS[self.type](value)
        except QueryError as exc:
            raise QueryError(f"parameter '{self.name}' ({self.type}): {exc}") from None
        except (TypeError, ValueError, InvalidOperation):
            raise QueryError(f"parameter '{self.name}' expects {self.type}, got {value!r}") from None


def _to_double(v: Any) -> Literal:
    if isinstance(v, bool):
        raise TypeError("a boolean is not a number")
    return Literal(float(v), datatype=XSD.double)


def _to_integer(v: Any) -> Literal:
    if isinstance(v, bool):
        raise TypeError("a boolean is not an integer")
    if isinstance(v, float):
        if not v.is_integer():
            raise ValueError("not an integer")
        v = int(v)
    return Literal(int(str(v).strip()) if isinstance(v, str) else int(v), datatype=XSD.integer)


def _to_decimal(v: Any) -> Literal:
    if isinstance(v, bool):
        raise TypeError("a boolean is not a number")
    d = Decimal(str(v).strip())
    if not d.is_finite():
        raise ValueError("not a finite number")
    return Literal(d, datatype=XSD.decimal)


def _to_boolean(v: Any) -> Literal:
    if isinstance(v, bool):
        return Literal(v)
    text = str(v).strip().lower()
    if text in ("true", "1", "yes"):
        return Literal(True)
    if text in ("false", "0", "no"):
        return Literal(False)
    raise ValueError("not a boolean")


def _to_string(v: Any) -> Literal:
    if not isinstance(v, (str, int, float, Decimal)) or isinstance(v, bool):
        raise TypeError("not a string")
    return Literal(str(v))


def _to_iri(v: Any) -> URIRef:
    from .rdf.namespaces import PREFIXES
    from .sparql import to_term

    text = str(v).strip()
    prefix, sep, local = text.partition(":")
    if sep and prefix in PREFIXES and not local.startswith("//"):
        text = str(PREFIXES[prefix]) + local
    return to_term(URIRef(text))


_CONVERTERS = {
    "xsd:string": _to_string,
    "xsd:integer": _to_integer,
    "xsd:decimal": _to_decimal,
    "xsd:double": _to_double,
    "xsd:boolean": _to_boolean,
    "iri": _to_iri,
}


@dataclass(frozen=True)
class Column:
    """A declared result column: the SELECT variable, its unit (empty when it has none) and its meaning."""

    name: str
    unit: str
    meaning: str


def _parse_column(spec: str, where: str) -> Column:
    try:
        tokens = shlex.split(spec)
    except ValueError as exc:
        raise QueryError(f"{where}: cannot read column line {spec!r} ({exc})") from None
    if len(tokens) != 3:
        raise QueryError(f'{where}: a column line is `column: NAME "UNIT" "MEANING"` ("" or - for no unit), got {spec!r}')
    name, unit, meaning = tokens
    if not _VAR.match(name):
        raise QueryError(f"{where}: invalid column name {name!r}")
    if not meaning.strip():
        raise QueryError(f"{where}: column '{name}' needs a meaning")
    return Column(name, "" if unit == _NO_DEFAULT else unit, meaning)


def _resolved(param: Param, value: Any, kg: GraphCore | None) -> Identifier:
    """The IRI the resolver finds for ``value`` (UnknownValue/AmbiguousValue name the value and the choices)."""
    from . import resolve

    if param.optional and (value is None or (isinstance(value, str) and not value.strip())):
        return Literal(UNSET)  # the filter is off
    if param.type in GRAPH_TYPES and isinstance(value, int) and not isinstance(value, bool):
        value = str(value)  # a reference number given as a number
    if not isinstance(value, str) or not value.strip():
        raise QueryError(f"parameter '{param.name}' ({param.type}) expects a value, got {value!r}")
    if param.type == "family":
        return URIRef(resolve.family(value).iri)
    if param.type == "element":
        return URIRef(f"{resolve.NAKG}resource/element/{resolve.element(value)}")
    if param.type in GRAPH_TYPES:
        if kg is None:
            raise QueryError(f"parameter '{param.name}' ({param.type}) is checked against a graph; none was given")
        return Literal(resolve.graph_value(kg, GRAPH_TYPES[param.type], value))  # type: ignore[return-value]
    if param.type == "material":
        if kg is None:
            raise QueryError(f"parameter '{param.name}' (material) is resolved against a graph; none was given")
        if param.optional:  # a filter: every material the value names
            return tuple(URIRef(m.iri) for m in resolve.resolver(kg).materials(value))  # type: ignore[return-value]
        return URIRef(resolve.resolver(kg).material(value).iri)
    return URIRef(resolve.term(param.type.split(":", 1)[1], value).iri)


def _check_type(type_: str, where: str) -> None:
    if type_ in PARAM_TYPES and type_ != "vocab:<kind>":
        return
    if type_.startswith("vocab:"):
        from . import resolve

        kind = type_.split(":", 1)[1]
        if kind in resolve.KINDS:
            return
        raise QueryError(f"{where}: unknown vocabulary {kind!r} in parameter type {type_!r} (known: {', '.join(resolve.KINDS)})")
    raise QueryError(f"{where}: unknown parameter type {type_!r} (known: {', '.join(PARAM_TYPES)})")


def _parse_param(spec: str, where: str) -> Param:
    try:
        tokens = shlex.split(spec)
    except ValueError as exc:
        raise QueryError(f"{where}: cannot read param line {spec!r} ({exc})") from None
    if len(tokens) != 4:
        raise QueryError(f'{where}: a param line is `param: NAME TYPE DEFAULT "DESCRIPTION"`, got {spec!r}')
    name, type_, default, description = tokens
    if not _VAR.match(name):
        raise QueryError(f"{where}: invalid parameter name {name!r}")
    _check_type(type_, where)
    param = Param(name, type_, None if default == _NO_DEFAULT else default, description)
    if param.default is not None and not param.needs_graph:
        param.convert(param.default)  # a bad default is an error in the file (a material's when the query runs)
    return param


def parse_header(text: str, where: str = "<query>") -> dict[str, Any]:
    """Read the header comment block of a query file.

    Returns a mapping with the free-text fields (``question``, ``answer``,
    ``leaves-out``, ``note``, ``violation``, ``report``; absent ones are missing),
    ``params`` (a list of :class:`Param`) and ``columns`` (a list of
    :class:`Column`). A comment line that does not start a field continues the
    previous one (``param`` and ``column`` lines are one line each).

    >>> h = parse_header('# question: Which material\\n#   conducts best?\\n# param: t xsd:double 1e-3 "S/cm"\\nSELECT ?t WHERE {}')
    >>> h["question"], h["params"][0].default
    ('Which material conducts best?', '1e-3')
    """
    fields: dict[str, list[str]] = {}
    params: list[Param] = []
    columns: list[Column] = []
    current: list[str] | None = None
    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if not line.startswith("#"):
            break
        m = _FIELD.match(line)
        key = m.group(1).lower() if m else None
        if key in HEADER_KEYS:
            if key == "param":
                params.append(_parse_param(m.group(2), f"{where}:{lineno}"))
                current = None
            elif key == "column":
                columns.append(_parse_column(m.group(2), f"{where}:{lineno}"))
                current = None
            else:
                if key in fields:
                    raise QueryError(f"{where}:{lineno}: header field '{key}' given twice")
                current = fields[key] = [m.group(2).strip()]
        elif current is not None:
            current.append(line.lstrip("#").strip())
    names = [p.name for p in params]
    dup = {n for n in names if names.count(n) > 1}
    if dup:
        raise QueryError(f"{where}: parameter(s) declared twice: {', '.join(sorted(dup))}")
    cols = [c.name for c in columns]
    dup = {n for n in cols if cols.count(n) > 1}
    if dup:
        raise QueryError(f"{where}: column(s) declared twice: {', '.join(sorted(dup))}")
    header: dict[str, Any] = {k: " ".join(x for x in v if x) for k, v in fields.items()}
    header["params"] = params
    header["columns"] = columns
    return header


@dataclass(frozen=True)
class NamedQuery:
    """A query file with its parsed header."""

    name: str
    path: Path
    text: str
    question: str
    answer: str
    params: tuple[Param, ...] = ()
    note: str = ""
    columns: tuple[Column, ...] = ()
    leaves_out: str = ""

    @property
    def role(self) -> str:
        """``cq``, ``reports``, ``violations`` or ``file`` for a query outside the library."""
        role = self.name.split("/", 1)[0]
        return role if role in ROLES else "file"

    @property
    def ordered(self) -> bool:
        """True when the query sorts its results (an ``ORDER BY`` outside comments)."""
        return re.search(r"\bORDER\s+BY\b", _strip_comments(self.text), re.IGNORECASE) is not None

    def param(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        known = ", ".join(p.name for p in self.params) or "none"
        raise QueryError(f"query '{self.name}' has no parameter '{name}' (parameters: {known})")

    def bindings(self, _kg: GraphCore | None = None, **values: Any) -> dict[str, Identifier]:
        """RDF terms for every parameter: the given values, else the defaults.

        Without the graph ``_kg``, ``material`` parameters are left out (they are
        resolved when the query runs); every other value is checked.
        """
        for name in values:
            self.param(name)  # unknown names raise
        terms = {}
        for p in self.params:
            if p.needs_graph and _kg is None:
                given = values.get(p.name)
                if p.optional and (given is None or (isinstance(given, str) and not given.strip())):
                    terms[p.name] = p.convert(given)  # unset: no graph needed
                    continue
                if p.type in GRAPH_TYPES and p.name not in values and p.default is not None:
                    # the default as written: a shipped query's own value, checked when it runs on a graph
                    terms[p.name] = _CONVERTERS["xsd:integer" if p.type == "reference" else "xsd:string"](p.default)
                    continue
                if p.required and p.name not in values:
                    raise QueryError(f"query '{self.name}' needs a value for parameter '{p.name}' ({p.description})")
                continue
            if p.name in values:
                terms[p.name] = p.convert(values[p.name], _kg)
            elif p.required:
                raise QueryError(f"query '{self.name}' needs a value for parameter '{p.name}' ({p.description})")
            else:
                terms[p.name] = p.convert(p.default, _kg)
        return terms

    def bind(self, _kg: GraphCore | None = None, **values: Any) -> str:
        """The query text with every parameter bound through a ``VALUES`` block (``_kg``: for ``material`` values)."""
        from .sparql import bind_parameters

        terms = self.bindings(_kg, **values)
        if any(p.name not in terms for p in self.params):
            missing = ", ".join(p.name for p in self.params if p.name not in terms)
            raise QueryError(f"query '{self.name}' has parameters resolved against the graph ({missing}): "
                             "bind it with the graph")
        return bind_parameters(self.text, terms)

    def run(self, kg: KnowledgeGraph, **values: Any) -> QueryResult:
        """Run on ``kg`` with parameters ``values`` (defaults for the rest)."""
        # comments and blank lines are not sent: a remote endpoint limits the request size
        text = "\n".join(line for line in _strip_comments(self.bind(kg, **values)).splitlines() if line.strip())
        columns = _projection(self.text, self.name)  # a VALUES block does not change the columns
        rows = kg.query(text)
        columns = list(columns) if columns is not None else (list(rows[0]) if rows else [])
        lists = [c for c in columns if _is_list_column(c)]
        out = [{c: _plain(r.get(c)) for c in columns} for r in rows]
        for row in out:
            for c in lists:
                if isinstance(row[c], str):  # an empty list is unbound, as on every store
                    row[c] = _sorted_list(row[c]) or None
        return QueryResult(self.name, columns, out)

    def projection(self) -> list[str]:
        """The SELECT variables in order (checks the syntax)."""
        columns = _projection(self.text, self.name)
        return list(columns) if columns is not None else []

    def column(self, name: str) -> Column | None:
        """The declared column ``name``, or None when the header does not declare it."""
        return next((c for c in self.columns if c.name == name), None)


#: Columns holding a "; "-separated list (GROUP_CONCAT has no order: the items are sorted, numbers by value).
LIST_COLUMNS = ("references", "sections", "routes", "additives", "effects", "electrolytes", "subjects",
                "mechanisms_or_effects", "findings")
LIST_SEPARATOR = "; "


def _is_list_column(name: str) -> bool:
    return name in LIST_COLUMNS or name.endswith("_list")


def _sorted_list(text: str) -> str:
    """``"38; 37"`` → ``"37; 38"``; section numbers sort part by part (``"2.2.2; 10"``).

    >>> _sorted_list("38; 37; 162"), _sorted_list("5.1; 2.2.10; 2.2.9; abstract")
    ('37; 38; 162', '2.2.9; 2.2.10; 5.1; abstract')
    """
    def key(item: str):
        parts = item.split(".")
        if all(p.isdigit() for p in parts):
            return (0, tuple(int(p) for p in parts), item)
        return (1, (), item)

    return LIST_SEPARATOR.join(sorted((x for x in text.split(LIST_SEPARATOR) if x), key=key))


def _plain(value: Any) -> Any:
    """A cell as a plain Python value: a language-tagged or otherwise unconverted literal becomes its text
    (no ``@en`` in tables), an IRI its string."""
    if isinstance(value, Literal):
        converted = value.toPython()
        return str(value) if isinstance(converted, Literal) else converted
    if isinstance(value, URIRef):
        return str(value)
    return value


def _allowed(p: Param) -> str:
    """What a parameter accepts, in words."""
    hook = getattr(p, "allowed", None)  # parameter types that know their values list them
    if callable(hook):
        try:
            values = hook()
        except Exception:  # noqa: BLE001 - a listing is a courtesy; the type still says enough
            values = None
        if values:
            return ", ".join(str(v) for v in values)
    words = {
        "xsd:string": "text",
        "xsd:integer": "a whole number",
        "xsd:decimal": "a number",
        "xsd:double": "a number",
        "xsd:boolean": "true or false",
        "iri": "an IRI or a prefixed name (nakg:…)",
        "material": "a material by record id, formula or alias",
        "family": "a family by key, label or IRI",
        "element": "an element symbol",
        "record": "a record id of the graph",
        "section": "a review section number as the graph holds it (4.2.2, or section 4.2.2)",
        "reference": "a reference number of the review's list",
        "source-table": "a table of the review (Table 1, or 1)",
    }.get(p.type, f"a term of {p.type.split(':', 1)[-1]} by key, label or IRI" if p.type.startswith("vocab:") else p.type)
    listing = getattr(p, "listing", None)  # the command that lists the allowed values, for resolved types
    return f"{words} (list them: `{listing}`)" if isinstance(listing, str) and listing else words


def describe(query: NamedQuery, fmt: str = "text") -> str:
    """What a named query answers: the question, its parameters (type, allowed values, default), its columns
    (unit and meaning) and what it leaves out; as text or JSON (``fmt="json"``).

    >>> print(describe(load_query("electrochemical-windows")).splitlines()[0])
    cq/electrochemical-windows
    """
    if fmt == "json":
        return json.dumps({
            "query": query.name, "question": query.question, "answer": query.answer,
            "params": [{"name": p.name, "type": p.type, "allowed": _allowed(p), "default": p.default,
                        "required": p.required, "optional": p.optional, "description": p.description} for p in query.params],
            "columns": [{"name": c.name, "unit": c.unit, "meaning": c.meaning} for c in query.columns],
            "leaves_out": query.leaves_out, "note": query.note, "ordered": query.ordered,
        }, indent=2, ensure_ascii=False)
    if fmt != "text":
        raise QueryError(f"unknown description format '{fmt}' (known: text, json)")
    lines = [query.name, f"  question: {query.question}"]
    if query.answer:
        lines.append(f"  answer: {query.answer}")
    lines.append("parameters:" if query.params else "parameters: none")
    for p in query.params:
        default = "required" if p.required else "optional: unset = every value" if p.optional else f"default {p.default}"
        lines.append(f"  {p.name} ({p.type}; {default}): {p.description}")
        lines.append(f"      accepts: {_allowed(p)}")
    lines.append("columns:")
    declared = {c.name: c for c in query.columns}
    for name in query.projection():
        c = declared.get(name)
        if c is None:
            lines.append(f"  {name}: (not described)")
        else:
            lines.append(f"  {name} [{c.unit or 'no unit'}]: {c.meaning}")
    lines.append(f"leaves out: {query.leaves_out or 'nothing stated'}")
    if query.note:
        lines.append(f"note: {query.note}")
    return "\n".join(lines)


@lru_cache(maxsize=256)
def _projection(text: str, name: str) -> tuple[str, ...] | None:
    """Check the syntax and return the projected variables of a SELECT query.

    Parsing with rdflib takes 10–25 ms, so the answer is kept per query text.
    """
    from rdflib.plugins.sparql import prepareQuery

    from .rdf.namespaces import PREFIXES

    try:
        prepared = prepareQuery(text, initNs=PREFIXES)
    except Exception as exc:  # pyparsing errors and rdflib algebra errors
        raise QueryError(f"SPARQL syntax error in '{name}': {exc}") from exc
    algebra = prepared.algebra
    if algebra.name != "SelectQuery":
        raise QueryError(f"'{name}' is not a SELECT query ({algebra.name}); only SELECT queries give tables")
    pv = algebra.get("PV")
    return tuple(str(v) for v in pv) if pv else None


@dataclass
class QueryResult:
    """The rows of a SELECT query (Python values; IRIs as strings) with the column order."""

    query: str
    columns: list[str]
    rows: list[dict[str, Any]] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self):
        return iter(self.rows)

    def records(self) -> list[list[Any]]:
        """The rows as lists in column order."""
        return [[r.get(c) for c in self.columns] for r in self.rows]


def _text(value: Any) -> str:
    """A cell as text: empty for unbound, ``true``/``false``, numbers without float noise."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return format(value, ".12g")
    return str(value)


def _json_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def to_csv(result: QueryResult) -> str:
    """CSV with a header row of variable names.

    >>> print(to_csv(QueryResult("q", ["a", "b"], [{"a": "x", "b": 1.5e-3}])), end="")
    a,b
    x,0.0015
    """
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(result.columns)
    for row in result.records():
        writer.writerow([_text(v) for v in row])
    return buf.getvalue()


def to_json(result: QueryResult) -> str:
    """A JSON object ``{"query", "columns", "rows"}``; rows are objects keyed by variable."""
    rows = [{c: _json_value(r.get(c)) for c in result.columns} for r in result.rows]
    return json.dumps({"query": result.query, "columns": result.columns, "rows": rows}, indent=2, ensure_ascii=False)


def to_table(result: QueryResult) -> str:
    """An aligned plain-text table with a row count.

    >>> print(to_table(QueryResult("q", ["family", "n"], [{"family": "halide", "n": 3}])))
    family  n
    ------  -
    halide  3
    (1 row)
    """
    cells = [[_text(v) for v in row] for row in result.records()]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(result.columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(result.columns, widths)).rstrip(),
             "  ".join("-" * w for w in widths).rstrip()]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in cells]
    lines.append(f"({len(cells)} row{'' if len(cells) == 1 else 's'})")
    return "\n".join(lines)


#: Output formats, by name.
FORMATS = {"table": to_table, "csv": to_csv, "json": to_json}


def format_result(result: QueryResult, fmt: str = "table") -> str:
    """Format ``result`` as ``table``, ``csv`` or ``json``."""
    try:
        return FORMATS[fmt](result)
    except KeyError:
        raise QueryError(f"unknown format '{fmt}' (known: {', '.join(FORMATS)})") from None


def _library() -> Path:
    from .resources import queries_dir

    return queries_dir()


def _from_file(path: Path, name: str) -> NamedQuery:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise QueryError(f"cannot read query file {path}: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        utf16 = " (it looks like UTF-16)" if exc.object[:2] in (b"\xff\xfe", b"\xfe\xff") else ""
        raise QueryError(f"{path}: not a UTF-8 text file{utf16}: byte {exc.start} cannot be read; save the query "
                         "as UTF-8") from None
    if "\x00" in text:
        raise QueryError(f"{path}: not a text file (it holds a NUL byte at character {text.index(chr(0)) + 1})")
    header = parse_header(text, where=str(path))
    body = _strip_comments(text)
    for p in header["params"]:
        if not re.search(rf"[?$]{p.name}\b", body):
            raise QueryError(f"{path}: parameter '{p.name}' is declared but the query has no variable ?{p.name}")
    return NamedQuery(name=name, path=path, text=text, question=header.get("question") or header.get("violation")
                      or header.get("report") or "", answer=header.get("answer", ""),
                      params=tuple(header["params"]), note=header.get("note", ""),
                      columns=tuple(header["columns"]), leaves_out=header.get("leaves-out", ""))


def list_queries(role: str | None = None) -> list[NamedQuery]:
    """Every query of the library (or of one ``role``), sorted by name.

    >>> "cq/best-conductivity-per-family" in [q.name for q in list_queries("cq")]
    True
    """
    roles = ROLES if role is None else (role,)
    if role is not None and role not in ROLES:
        raise QueryError(f"unknown query role '{role}' (known: {', '.join(ROLES)})")
    base = _library()
    found = []
    for r in roles:
        for path in sorted((base / r).glob("*.rq")):
            found.append(_from_file(path, f"{r}/{path.stem}"))
    return found


def load_query(name_or_path: str | Path) -> NamedQuery:
    """A query by library name (``best-conductivity-per-family`` or ``cq/best-conductivity-per-family``) or file path.

    Raises :class:`~nakg.errors.QueryError` for an unknown or ambiguous name.
    """
    text = str(name_or_path)
    p = Path(text)
    if p.suffix == ".rq" and p.is_file():
        return _from_file(p, f"file:{p}")
    base = _library()
    stem = text[:-3] if text.endswith(".rq") else text
    if "/" in stem:
        role, _, rest = stem.partition("/")
        candidate = base / role / f"{rest}.rq"
        if role in ROLES and candidate.is_file():
            return _from_file(candidate, f"{role}/{rest}")
        raise QueryError(f"no query named '{text}' (see `nakg query --list`)")
    matches = [(r, base / r / f"{stem}.rq") for r in ROLES if (base / r / f"{stem}.rq").is_file()]
    if not matches:
        raise QueryError(f"no query named '{text}' and no such .rq file (see `nakg query --list`)")
    if len(matches) > 1:
        raise QueryError(f"query name '{text}' is ambiguous: {', '.join(f'{r}/{stem}' for r, _ in matches)}")
    role, path = matches[0]
    return _from_file(path, f"{role}/{stem}")


def run_query(kg: KnowledgeGraph, name_or_path: str | Path, **params: Any) -> QueryResult:
    """Load a query by name or path and run it on ``kg`` with ``params``.

    >>> import nakg
    >>> result = run_query(nakg.load(), "electrochemical-windows")
    >>> result.columns
    ['formula', 'window_V', 'measurement', 'references', 'sections']
    """
    return load_query(name_or_path).run(kg, **params)
