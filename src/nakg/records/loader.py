"""Load a folder of YAML record files into a checked :class:`RecordSet`.

All problems are collected and raised together as
:class:`~nakg.errors.RecordsInvalid`, each naming file, record, field and line.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Location, RecordError, RecordsInvalid, rel
from ..vocab import Vocabulary, vocabulary
from .model import KINDS, Record
from .schema import REFERENCE_SPEC, REVIEW_SPEC, SPECS, Checker, check_fields, check_quantity
from .yamlio import LineDict, LineList, read_yaml

__all__ = ["RecordSet", "load_records"]


@dataclass
class RecordSet:
    """All records of a build, indexed by id, plus the review and its reference list."""

    records: dict[str, list[Record]] = field(default_factory=lambda: {k: [] for k in KINDS})
    by_id: dict[str, Record] = field(default_factory=dict)
    review: Record | None = None
    references: dict[int, Record] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)

    def __iter__(self):
        for kind in KINDS:
            yield from self.records[kind]

    def count(self) -> dict[str, int]:
        """Number of records per kind (plus references)."""
        counts = {k: len(v) for k, v in self.records.items()}
        counts["references"] = len(self.references)
        return counts


def _record_files(root: Path) -> list[Path]:
    """The record files below ``root``; a data folder holding a ``records/`` folder (the repository's ``graph/``,
    beside its coverage exclusions) means the records in it."""
    if root.is_file():
        return [root]
    if (root / "records").is_dir():
        root = root / "records"
    if not root.is_dir():
        raise RecordsInvalid([RecordError("records folder does not exist", Location(rel(root)), "missing")])
    files = sorted(p for p in root.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())
    if not files:
        raise RecordsInvalid([RecordError("no .yaml record files found", Location(rel(root)), "missing")])
    return files


def load_records(root: Path | str, vocab: Vocabulary | None = None) -> RecordSet:
    """Load and check every ``*.yaml`` file below ``root``.

    >>> from nakg.resources import records_dir
    >>> rs = load_records(records_dir())
    >>> rs.by_id["na3zr2si2po12"].get("formula")
    'Na3Zr2Si2PO12'
    """
    vocab = vocab or vocabulary()
    root = Path(root)
    rs = RecordSet()
    errors: list[RecordError] = []
    pending_refs: list[tuple[Record, str, str, tuple[str, ...]]] = []
    pending_numbers: list[tuple[Record, str, int]] = []
    for path in _record_files(root):
        display = rel(path)
        rs.files.append(display)
        try:
            doc = read_yaml(path, display)
        except RecordError as exc:
            errors.append(exc)
            continue
        for key in doc:
            if key not in KINDS and key not in ("review", "references"):
                errors.append(RecordError(
                    f"unknown record kind '{key}' (known: {', '.join(KINDS + ('review', 'references'))})",
                    Location(display, field=str(key), line=doc.key_lines.get(key)), "unknown_kind"))
        if "review" in doc:
            errors.extend(_load_review(rs, doc, display, vocab))
        if "references" in doc:
            errors.extend(_load_references(rs, doc, display, vocab))
        for kind in KINDS:
            if kind not in doc:
                continue
            items = doc[kind]
            if not isinstance(items, LineList):
                errors.append(RecordError(f"'{kind}' must be a list of records", Location(display, field=kind, line=doc.key_lines[kind]), "structure"))
                continue
            for item, line in zip(items, items.item_lines):
                rec_id = item.get("id") if isinstance(item, dict) else None
                rec_id = rec_id if isinstance(rec_id, str) else None
                if not isinstance(item, LineDict):
                    errors.append(RecordError(f"each item of '{kind}' must be a mapping", Location(display, line=line), "structure"))
                    continue
                ch = Checker(vocab, display, rec_id, item.key_lines, line)
                try:
                    data = check_fields(ch, item, SPECS[kind])
                    if kind == "measurements":
                        data["quantity"] = check_quantity(ch, "", item, data["property"])
                        _check_measurement(ch, data)
                    record = Record(kind, data["id"], data, display, line, dict(item.key_lines))
                    _check_record(ch, record, vocab)
                except RecordError as exc:
                    errors.append(exc)
                    continue
                if record.id in rs.by_id:
                    first = rs.by_id[record.id]
                    errors.append(RecordError(f"duplicate id (first defined in {first.file}:{first.line})", record.loc("id"), "duplicate_id"))
                    continue
                rs.by_id[record.id] = record
                rs.records[kind].append(record)
                pending_refs.extend((record, f, target, kinds) for f, target, kinds in ch.refs)
                pending_numbers.extend((record, f, n) for f, n in ch.ref_numbers)
    errors.extend(_cross_check(rs, pending_refs, pending_numbers, vocab))
    if errors:
        raise RecordsInvalid(errors)
    return rs


def _load_review(rs: RecordSet, doc: LineDict, display: str, vocab: Vocabulary) -> list[RecordError]:
    m = doc["review"]
    if not isinstance(m, LineDict):
        return [RecordError("'review' must be a mapping", Location(display, field="review", line=doc.key_lines["review"]), "structure")]
    ch = Checker(vocab, display, m.get("id") if isinstance(m.get("id"), str) else "review", m.key_lines, m.line)
    try:
        data = check_fields(ch, m, REVIEW_SPEC)
    except RecordError as exc:
        return [exc]
    if rs.review is not None:
        return [RecordError("a second review is declared", Location(display, data["id"], "review", m.line), "duplicate_id")]
    rs.review = Record("review", data["id"], data, display, m.line, dict(m.key_lines))
    return []


def _load_references(rs: RecordSet, doc: LineDict, display: str, vocab: Vocabulary) -> list[RecordError]:
    items = doc["references"]
    if not isinstance(items, LineList):
        return [RecordError("'references' must be a list", Location(display, field="references", line=doc.key_lines["references"]), "structure")]
    errors = []
    for item, line in zip(items, items.item_lines):
        if not isinstance(item, LineDict):
            errors.append(RecordError("each reference must be a mapping", Location(display, line=line), "structure"))
            continue
        number = item.get("number")
        ch = Checker(vocab, display, f"reference {number}", item.key_lines, line)
        try:
            data = check_fields(ch, item, REFERENCE_SPEC)
        except RecordError as exc:
            errors.append(exc)
            continue
        if data["number"] < 1:
            errors.append(ch.fail("number", "reference numbers start at 1", "value"))
        elif data["number"] in rs.references:
            errors.append(RecordError(f"duplicate reference number {data['number']}", Location(display, f"reference {number}", "number", line), "duplicate_id"))
        else:
            rs.references[data["number"]] = Record("reference", str(data["number"]), data, display, line, dict(item.key_lines))
    return errors


def _check_measurement(ch: Checker, data: dict) -> None:
    targets = [k for k in ("material", "cell", "structure", "interface") if k in data]
    if len(targets) != 1:
        raise ch.fail("material", f"a measurement describes exactly one of material, cell, structure, interface (got {targets or 'none'})", "missing" if not targets else "value")
    q = data["quantity"]
    for v in (q.value, q.min, q.max):
        if v is not None and v <= 0:
            raise ch.fail("value" if q.value is not None else "min", f"{data['property']} must be positive, got {v}", "value")
    if "contribution" in data and data["property"] not in ("ionic_conductivity", "electronic_conductivity", "activation_energy"):
        raise ch.fail("contribution", "contribution applies to conductivities and activation energies only", "value")


def _check_record(ch: Checker, record: Record, vocab: Vocabulary) -> None:
    d = record.data
    if record.kind == "materials":
        if d.get("x") is not None and "series" not in d:
            raise ch.fail("x", "x needs the series it belongs to", "missing")
        if d.get("parseable", True) and d.get("form") != "series":
            from ..errors import FormulaError
            from ..formula import parse_formula

            try:
                d["composition"] = parse_formula(d["formula"])
            except FormulaError as exc:
                raise ch.fail("formula", f"{exc}; if it is not a chemical formula set 'parseable: false'", "formula") from exc
    elif record.kind == "dopings" and d["host"] == d["product"]:
        raise ch.fail("product", "a doping's product must differ from its host", "value")
    elif record.kind == "challenges":
        subject = d["subject"]
        if subject in vocab.schemes["ElectrolyteFamily"]:
            d["subject_family"] = subject
        else:
            ch.refs.append(("subject", subject, ("materials",)))


def _cross_check(rs: RecordSet, refs, numbers, vocab: Vocabulary) -> list[RecordError]:
    errors: list[RecordError] = []
    for record, f, target, kinds in refs:
        other = rs.by_id.get(target)
        if other is None:
            errors.append(RecordError(f"refers to '{target}', which no record defines", record.loc(f.split(".")[0]) if "." in f else record.loc(f), "dangling"))
            errors[-1].location = Location(record.file, record.id, f, record.field_lines.get(f.split(".")[0].split("[")[0], record.line))
        elif other.kind not in kinds:
            errors.append(RecordError(f"refers to '{target}', a {other.kind[:-1]} record, but expects {' or '.join(k[:-1] for k in kinds)}",
                                      Location(record.file, record.id, f, record.field_lines.get(f.split(".")[0].split("[")[0], record.line)), "dangling"))
    if rs.references:
        for record, f, n in numbers:
            if n not in rs.references:
                errors.append(RecordError(f"reference [{n}] is not in the reference list (1–{max(rs.references)})",
                                          Location(record.file, record.id, f, record.field_lines.get("prov", record.line)), "unknown_reference"))
    elif numbers:
        errors.append(RecordError("records cite references but no reference list (references.yaml) was found", Location(rs.files[0] if rs.files else None), "unknown_reference"))
    errors.extend(_lineage_cycles(rs))
    return errors


def _lineage_cycles(rs: RecordSet) -> list[RecordError]:
    parents = defaultdict(list)
    for m in rs.records["materials"]:
        parents[m.id].extend(m.get("derived_from", []))
    errors, state = [], {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for p in parents.get(node, []):
            if state.get(p) == 1:
                cycle = path[path.index(p):] + [p] if p in path else [node, p]
                rec = rs.by_id[node]
                errors.append(RecordError(f"lineage cycle: {' → '.join(cycle)}", rec.loc("derived_from"), "cycle"))
            elif state.get(p) is None:
                visit(p, path + [p])
        state[node] = 2

    for m in rs.records["materials"]:
        if state.get(m.id) is None:
            visit(m.id, [m.id])
    return errors
