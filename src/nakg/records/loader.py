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

__all__ = ["RecordSet", "load_records", "merge_events", "read_file_events"]


@dataclass
class RecordSet:
    """All records of a build, indexed by id, plus the review and its reference list."""

    records: dict[str, list[Record]] = field(default_factory=lambda: {k: [] for k in KINDS})
    by_id: dict[str, Record] = field(default_factory=dict)
    review: Record | None = None
    references: dict[int, Record] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    #: What each file added, as read on its own (``load_records(keep_events=True)``), by file.
    events: dict[str, list[tuple]] | None = None

    def __iter__(self):
        for kind in KINDS:
            yield from self.records[kind]

    def count(self) -> dict[str, int]:
        """Number of records per kind (plus references)."""
        counts = {k: len(v) for k, v in self.records.items()}
        counts["references"] = len(self.references)
        return counts


def _record_files(root: Path, problems: list[RecordError] | None = None) -> list[Path]:
    """The ``.yaml``/``.yml`` files below ``root``, sorted; every folder or file that cannot be read is reported
    in ``problems`` (or raised when no list is given) instead of being skipped. A data folder holding a
    ``records/`` folder (the repository's ``graph/``, beside its coverage exclusions) means the records in it."""
    import os

    if root.is_file():
        return [root]
    if (root / "records").is_dir():
        root = root / "records"
    if not root.is_dir():
        raise RecordsInvalid([RecordError("records folder does not exist", Location(rel(root)), "missing")])
    found: list[RecordError] = []

    def unreadable(exc: OSError) -> None:
        where = Path(exc.filename) if exc.filename else root
        found.append(RecordError(f"cannot read this folder ({exc.strerror or exc}); its records would be missing",
                                 Location(rel(where)), "unreadable"))

    files = []
    for folder, dirs, names in os.walk(root, onerror=unreadable, followlinks=False):
        dirs.sort()
        for name in names:
            p = Path(folder) / name
            if p.suffix not in (".yaml", ".yml"):
                continue
            if not p.is_file():
                found.append(RecordError("not a readable file (a broken link or a special file)",
                                         Location(str(Path(rel(p.parent)) / p.name)), "unreadable"))  # the link's name
            elif not os.access(p, os.R_OK):
                found.append(RecordError("cannot read this file (permission denied)", Location(rel(p)), "unreadable"))
            else:
                files.append(p)
        for name in dirs:
            if (Path(folder) / name).is_symlink():
                found.append(RecordError("a linked folder is not followed; move its records here or link the files",
                                         Location(rel(Path(folder) / name)), "unreadable"))
    if found and problems is None:
        raise RecordsInvalid(found)
    if problems is not None:
        problems.extend(found)
    if not files and not found:
        raise RecordsInvalid([RecordError("no .yaml record files found", Location(rel(root)), "missing")])
    return sorted(files)


def load_records(root: Path | str, vocab: Vocabulary | None = None, cache: bool = False,
                 keep_events: bool = False) -> RecordSet:
    """Load and check every ``*.yaml`` file below ``root``.

    ``cache``: keep each file's checked records in nakg's cache folder, keyed by
    the file's content and the code and vocabulary that check it
    (:mod:`nakg.records.filecache`), and reuse them while both are unchanged.
    Cross-file checks (dangling references, duplicate ids, cycles) always run.
    ``keep_events``: keep what each file added, as read on its own, in
    :attr:`RecordSet.events` (what an incremental rebuild remembers of them).

    >>> from nakg.resources import records_dir
    >>> rs = load_records(records_dir())
    >>> rs.by_id["na3zr2si2po12"].get("formula")
    'Na3Zr2Si2PO12'
    """
    vocab = vocab or vocabulary()
    root = Path(root)
    errors: list[RecordError] = []
    files = [(path, rel(path)) for path in _record_files(root, errors)]
    if cache:
        from .filecache import cached_file_events

        per_file = cached_file_events(files, vocab, _file_events)
    else:
        per_file = [_file_events(path, display, vocab) for path, display in files]
    rs = merge_events([(display, events) for (_, display), events in zip(files, per_file)], vocab, errors)
    if keep_events:
        rs.events = {display: events for (_, display), events in zip(files, per_file)}
    return rs


def merge_events(per_file: list[tuple[str, list[tuple]]], vocab: Vocabulary | None = None,
                 errors: list[RecordError] | None = None) -> RecordSet:
    """The :class:`RecordSet` of record files read on their own (:func:`_file_events`, in file order), after the
    checks that need every file: duplicate ids, references between records, cited references and sections, cycles.

    Raises :class:`~nakg.errors.RecordsInvalid` with every problem found (``errors``: problems found before).
    """
    vocab = vocab or vocabulary()
    rs = RecordSet()
    errors = list(errors or [])
    pending_refs: list[tuple[Record, str, str, tuple[str, ...]]] = []
    pending_numbers: list[tuple[Record, str, int]] = []
    pending_sections: list[tuple[Record, str, str]] = []
    for display, events in per_file:
        rs.files.append(display)
        for event in events:
            what = event[0]
            if what == "error":
                errors.append(event[1])
            elif what == "review":
                record, line = event[1], event[2]
                if rs.review is not None:
                    errors.append(RecordError("a second review is declared", Location(display, record.id, "review", line),
                                              "duplicate_id"))
                else:
                    rs.review = record
            elif what == "reference":
                record, number, line = event[1], event[2], event[3]
                if record.data["number"] in rs.references:
                    errors.append(RecordError(f"duplicate reference number {record.data['number']}",
                                              Location(display, f"reference {number}", "number", line), "duplicate_id"))
                else:
                    rs.references[record.data["number"]] = record
            else:
                record, refs, numbers, sections = event[1:]
                if record.id in rs.by_id:
                    first = rs.by_id[record.id]
                    errors.append(RecordError(f"duplicate id (first defined in {first.file}:{first.line})", record.loc("id"), "duplicate_id"))
                    continue
                rs.by_id[record.id] = record
                rs.records[record.kind].append(record)
                pending_refs.extend((record, f, target, kinds) for f, target, kinds in refs)
                pending_numbers.extend((record, f, n) for f, n in numbers)
                pending_sections.extend((record, f, n) for f, n in sections)
    errors.extend(_cross_check(rs, pending_refs, pending_numbers, vocab))
    errors.extend(_unknown_sections(rs, pending_sections))
    if errors:
        raise RecordsInvalid(errors)
    return rs


def _file_events(path: Path, display: str, vocab: Vocabulary) -> list[tuple]:
    """Read and check one record file on its own: what it adds to the record set, in file order.

    Events: ``("error", RecordError)``, ``("review", Record, line)``,
    ``("reference", Record, number as written, line)`` and ``("record", Record,
    refs, reference numbers, sections)``; checks that need the other files
    (duplicates across files, references between records) are left to
    :func:`load_records`.
    """
    events: list[tuple] = []
    try:
        doc = read_yaml(path, display)
    except RecordError as exc:
        return [("error", exc)]
    for key in doc:
        if key not in KINDS and key not in ("review", "references"):
            events.append(("error", RecordError(
                f"unknown record kind '{key}' (known: {', '.join(KINDS + ('review', 'references'))})",
                Location(display, field=str(key), line=doc.key_lines.get(key)), "unknown_kind")))
    if "review" in doc:
        events.extend(_load_review(doc, display, vocab))
    if "references" in doc:
        events.extend(_load_references(doc, display, vocab))
    for kind in KINDS:
        if kind not in doc:
            continue
        items = doc[kind]
        if not isinstance(items, LineList):
            events.append(("error", RecordError(f"'{kind}' must be a list of records",
                                                Location(display, field=kind, line=doc.key_lines[kind]), "structure")))
            continue
        for item, line in zip(items, items.item_lines):
            rec_id = item.get("id") if isinstance(item, dict) else None
            rec_id = rec_id if isinstance(rec_id, str) else None
            if not isinstance(item, LineDict):
                events.append(("error", RecordError(f"each item of '{kind}' must be a mapping", Location(display, line=line), "structure")))
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
                events.append(("error", exc))
                continue
            events.append(("record", record, ch.refs, ch.ref_numbers, ch.section_refs))
    return events


def _load_review(doc: LineDict, display: str, vocab: Vocabulary) -> list[tuple]:
    m = doc["review"]
    if not isinstance(m, LineDict):
        return [("error", RecordError("'review' must be a mapping", Location(display, field="review", line=doc.key_lines["review"]), "structure"))]
    ch = Checker(vocab, display, m.get("id") if isinstance(m.get("id"), str) else "review", m.key_lines, m.line)
    try:
        data = check_fields(ch, m, REVIEW_SPEC)
    except RecordError as exc:
        return [("error", exc)]
    return [("review", Record("review", data["id"], data, display, m.line, dict(m.key_lines)), m.line)]


def _load_references(doc: LineDict, display: str, vocab: Vocabulary) -> list[tuple]:
    items = doc["references"]
    if not isinstance(items, LineList):
        return [("error", RecordError("'references' must be a list", Location(display, field="references", line=doc.key_lines["references"]), "structure"))]
    events: list[tuple] = []
    for item, line in zip(items, items.item_lines):
        if not isinstance(item, LineDict):
            events.append(("error", RecordError("each reference must be a mapping", Location(display, line=line), "structure")))
            continue
        number = item.get("number")
        ch = Checker(vocab, display, f"reference {number}", item.key_lines, line)
        try:
            data = check_fields(ch, item, REFERENCE_SPEC)
        except RecordError as exc:
            events.append(("error", exc))
            continue
        if data["number"] < 1:
            events.append(("error", ch.fail("number", "reference numbers start at 1", "value")))
        else:
            events.append(("reference", Record("reference", str(data["number"]), data, display, line, dict(item.key_lines)),
                           number, line))
    return events


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
    errors.extend(_doping_comparisons(rs))
    return errors


def _unknown_sections(rs: RecordSet, cited: list[tuple[Record, str, str]]) -> list[RecordError]:
    """Section numbers the review does not have (checked when the review record lists its sections)."""
    known = rs.review.get("sections") if rs.review is not None else None
    if not known:
        return []
    have = set(known)
    errors = []
    for record, f, section in cited:
        if section not in have:
            errors.append(RecordError(f"the review has no section '{section}' (its sections: {', '.join(known)})",
                                      Location(record.file, record.id, f, record.field_lines.get("prov", record.line)),
                                      "unknown_section"))
    return errors


def _doping_comparisons(rs: RecordSet) -> list[RecordError]:
    """A doping's ``compares`` names measurements of its host (before) and of its product (after) — or of a
    member of their composition series — never another material's."""
    members = defaultdict(set)
    for m in rs.records["materials"]:
        members[m.id].add(m.id)
        if m.get("series"):
            members[m.get("series")].add(m.id)
    errors = []
    for d in rs.records["dopings"]:
        for side, material in (("before", d.get("host")), ("after", d.get("product"))):
            meas = rs.by_id.get((d.get("compares") or {}).get(side, ""))
            if meas is None or meas.kind != "measurements":
                continue  # reported as dangling
            measured = meas.get("material")
            if measured not in members.get(material, {material}):
                errors.append(RecordError(
                    f"compares.{side} is '{meas.id}', a measurement of '{measured}', but the doping's "
                    f"{'host' if side == 'before' else 'product'} is '{material}'", d.loc("compares"), "value"))
    return errors


def _lineage_cycles(rs: RecordSet) -> list[RecordError]:
    """Cycles in what records say comes from what: ``derived_from`` and ``series`` of materials, and a doping's
    host → product (a material that is both dopant host and product of the other, A → B and B → A)."""
    derived = defaultdict(list)
    series = defaultdict(list)
    for m in rs.records["materials"]:
        derived[m.id].extend(m.get("derived_from", []))
        if m.get("series"):
            series[m.id].append(m.get("series"))
    errors = _cycles(rs, derived, "derived_from", "lineage cycle")
    errors += _cycles(rs, series, "series", "series cycle")
    hosts = defaultdict(list)  # product → host, and where the doping is written
    doping_of: dict[tuple[str, str], Record] = {}
    for d in rs.records["dopings"]:
        hosts[d.get("product")].append(d.get("host"))
        doping_of[(d.get("product"), d.get("host"))] = d
    for error in _cycles(rs, hosts, "product", "doping cycle", doping_of):
        errors.append(error)
    return errors


def _cycles(rs: RecordSet, parents: dict, field: str, what: str, edge_records: dict | None = None) -> list[RecordError]:
    """Every cycle of the ``parents`` relation, found once, without recursion (chains may be thousands long)."""
    errors, state = [], {}
    for start in sorted(parents):
        if state.get(start):
            continue
        path, stack = [start], [iter(parents.get(start, []))]
        state[start] = 1
        while stack:
            p = next(stack[-1], None)
            if p is None:
                state[path.pop()] = 2
                stack.pop()
                continue
            if state.get(p) == 1:
                cycle = path[path.index(p):] + [p]
                node = path[-1]
                rec = (edge_records or {}).get((node, p)) or rs.by_id.get(node)
                if rec is not None:
                    errors.append(RecordError(f"{what}: {' → '.join(cycle)}", rec.loc(field), "cycle"))
            elif state.get(p) is None:
                state[p] = 1
                path.append(p)
                stack.append(iter(parents.get(p, [])))
    return errors


def read_file_events(files: list[tuple[Path, str]], vocab: Vocabulary | None = None, cache: bool = True) -> list[list[tuple]]:
    """What each of these (path, displayed path) record files adds, read on its own (from the cache when ``cache``)."""
    vocab = vocab or vocabulary()
    if cache:
        from .filecache import cached_file_events

        return cached_file_events(files, vocab, _file_events)
    return [_file_events(path, display, vocab) for path, display in files]
