"""Coverage check: which quantitative statements of a text have no matching fact in the graph.

The scanner reads a review or paper (Markdown with LaTeX-style numbers such as
``$6.7 \\times 10^{-4}$ S/cm`` or ``10<sup>-4</sup>S/cm``) and finds
conductivities (S/cm, mS/cm, S/m), activation energies (eV), capacities (mAh/g),
cycle counts and percentages. Each is matched against the graph's measurements
and cycling results (relative tolerance 0.5 %, after unit conversion). Reviewed
exclusions — statements that are not facts about a material, each with a reason —
live in ``graph/coverage-exclusions.yaml``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from .errors import NakgError

if TYPE_CHECKING:  # pragma: no cover
    from .core import GraphCore as KnowledgeGraph

__all__ = ["Statement", "CoverageReport", "scan_text", "check_coverage", "load_exclusions"]


@dataclass(frozen=True)
class Statement:
    """One quantitative statement found in a text."""

    line: int
    section: str  # the review section the line is in ("" before the first heading)
    kind: str  # conductivity | activation_energy | capacity | cycles | percent
    value: float  # in S/cm, eV, mAh/g, cycles or %
    text: str  # the matched text, normalised

    def key(self) -> tuple:
        return (self.line, self.kind, round(self.value, 12))


@dataclass
class CoverageReport:
    """Statements found, those matched by a fact, those excluded and those missing."""

    statements: list[Statement]
    missing: list[Statement]
    excluded: list[tuple[Statement, str]]

    @property
    def matched(self) -> int:
        return len(self.statements) - len(self.missing) - len(self.excluded)

    def text(self) -> str:
        out = [f"{len(self.statements)} quantitative statements: {self.matched} matched, "
               f"{len(self.excluded)} excluded (reviewed), {len(self.missing)} with no matching fact"]
        out += [f"  line {s.line} (section {s.section or '?'}): {s.kind} {s.text}" for s in self.missing]
        return "\n".join(out)


def _normalise(line: str) -> str:
    s = line
    s = re.sub(r"\\text\{([^}]*)\}", r"\1", s)
    s = re.sub(r"\\mathrm\{([^}]*)\}", r"\1", s)
    s = s.replace("$", " ").replace("\\times", "×").replace("\\sim", "~").replace("\\%", "%")
    s = re.sub(r"<sup>\s*([−\-]?\s*\d+)\s*</sup>", r"^\1", s)
    s = re.sub(r"<sub>\s*([^<]*)</sub>", r"\1", s)
    s = re.sub(r"\^\{\s*([−\-]?\s*\d+)\s*\}", r"^\1", s)
    s = s.replace("−", "-").replace("\\ ", " ").replace("{", "").replace("}", "")
    s = re.sub(r"\s+", " ", s)
    return s


_NUM = r"(?<![\w.^\-])(\d+(?:,\d{3})*(?:\.\d+)?)"
_POW = r"(?:\s*[×x]\s*10\s*\^\s*(-?\s*\d+))?"
_BARE_POW = r"(?<![\w.])10\s*\^\s*(-?\s*\d+)"
_COND_UNIT = r"\s*(mS\s*/\s*cm|S\s*/\s*cm|S\s*/\s*m|mS\s*cm\^?-1|S\s*cm\^?-1)\b"
_RANGE = r"(?:\s*[–-]\s*(\d+(?:\.\d+)?))?"


def _num(text: str) -> float:
    return float(text.replace(",", ""))


def _cond_factor(unit: str) -> float:
    u = unit.replace(" ", "")
    if u.startswith("mS"):
        return 1e-3
    if u in ("S/m",):
        return 1e-2
    return 1.0


def scan_text(text: str) -> list[Statement]:
    """Find the quantitative statements of a text, line by line (1-based line numbers)."""
    found: dict[tuple, Statement] = {}
    section = ""

    def add(line_no: int, kind: str, value: float, snippet: str) -> None:
        st = Statement(line_no, section, kind, value, snippet.strip())
        found.setdefault(st.key(), st)

    for line_no, raw in enumerate(text.splitlines(), start=1):
        heading = re.match(r"^#+\s*(?:(\d+(?:\.\d+)*)\.?\s|(abstract|references)\b)", raw.strip(), re.I)
        if heading:
            section = heading.group(1) or heading.group(2).lower()
            continue
        if section == "references":
            break
        s = _normalise(raw)
        spans = []
        for m in re.finditer(_NUM + _POW + _RANGE + _POW + _COND_UNIT, s):
            spans.append(m.span())
            factor = _cond_factor(m.group(5))
            a = _num(m.group(1)) * (10 ** int(m.group(2).replace(" ", "")) if m.group(2) else 1)
            add(line_no, "conductivity", a * factor, m.group(0))
            if m.group(3):
                b = float(m.group(3)) * (10 ** int(m.group(4).replace(" ", "")) if m.group(4) else 1)
                add(line_no, "conductivity", b * factor, m.group(0))
        for m in re.finditer(_BARE_POW + _COND_UNIT, s):
            if any(a <= m.start() < b for a, b in spans):
                continue
            add(line_no, "conductivity", 10 ** int(m.group(1).replace(" ", "")) * _cond_factor(m.group(2)), m.group(0))
        for m in re.finditer(_NUM + r"\s*eV\b", s):
            add(line_no, "activation_energy", _num(m.group(1)), m.group(0))
        for m in re.finditer(_NUM + r"\s*mAh\s*/\s*g", s):
            add(line_no, "capacity", _num(m.group(1)), m.group(0))
        for m in re.finditer(_NUM + r"\s*cycles\b", s):
            add(line_no, "cycles", _num(m.group(1)), m.group(0))
        for m in re.finditer(_NUM + r"\s*%", s):
            add(line_no, "percent", _num(m.group(1)), m.group(0))
    return sorted(found.values(), key=lambda st: (st.line, st.kind, st.value))


_FACTS = """
SELECT ?kind ?v ?section WHERE {
  { ?m a ?cls ; nakg:canonicalValue|nakg:canonicalMin|nakg:canonicalMax ?v .
    VALUES (?cls ?kind) { (nakg:IonicConductivity "conductivity") (nakg:ElectronicConductivity "conductivity")
                          (nakg:ActivationEnergy "activation_energy") (nakg:SpecificCapacity "capacity")
                          (nakg:FirstCycleCapacity "capacity") (nakg:TheoreticalCapacity "capacity")
                          (nakg:ReversibleCapacity "capacity") (nakg:CapacityRetention "percent")
                          (nakg:RelativeDensity "percent") (nakg:PhaseContent "percent") } }
  UNION { ?c nakg:cycleCount ?n . BIND(xsd:double(?n) AS ?v) BIND("cycles" AS ?kind) BIND(?c AS ?m) }
  ?fact nakg:statedInSection/nakg:sectionNumber ?section .
  FILTER(?fact = ?m || STRSTARTS(STR(?m), CONCAT(STR(?fact), "/")))
}"""


def _chapter(section: str) -> str:
    return section.split(".", 1)[0] if section else ""


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=5e-3, abs_tol=1e-15)


def load_exclusions(path: Path | None) -> list[dict]:
    """Reviewed exclusions: ``[{line, kind, value, reason}]`` from a YAML file (empty if absent)."""
    if path is None or not Path(path).is_file():
        return []
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    items = data.get("exclusions", [])
    for i, item in enumerate(items):
        for key in ("line", "kind", "value", "reason"):
            if key not in item:
                raise NakgError(f"{path}: exclusion #{i + 1} lacks '{key}'")
        if not str(item["reason"]).strip():
            raise NakgError(f"{path}: exclusion #{i + 1} (line {item['line']}) needs a reason")
    return items


def check_coverage(kg: KnowledgeGraph, text: str, exclusions: list[dict] | None = None) -> CoverageReport:
    """Match every statement of ``text`` against the graph's facts."""
    # facts by kind and chapter (first number of the section): a statement matches a fact of the
    # same kind and value stated in the same chapter of the review
    facts: dict[tuple[str, str], list[float]] = {}
    for row in kg.query(_FACTS):
        facts.setdefault((row["kind"], _chapter(row["section"])), []).append(float(row["v"]))
    statements = scan_text(text)
    missing, excluded = [], []
    excl = {(e["line"], e["kind"], float(e["value"])): e["reason"] for e in exclusions or []}
    for st in statements:
        candidates = facts.get((st.kind, _chapter(st.section)), [])
        if any(_close(st.value, v) for v in candidates):
            continue
        reason = next((r for (ln, k, v), r in excl.items() if ln == st.line and k == st.kind and _close(v, st.value)), None)
        if reason is not None:
            excluded.append((st, reason))
        else:
            missing.append(st)
    return CoverageReport(statements, missing, excluded)
