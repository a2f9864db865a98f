"""Competency questions, reports and the query library (API and `nakg query` command).

One test per ``queries/cq/*.rq`` compares the query's rows on the built graph with
the hand-worked ``<name>.expected.csv`` beside it (worked out from the review, not
from the query): as a multiset, or in order when the query sorts; numbers with a
relative tolerance.
"""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import pytest
from click.testing import CliRunner

from .conftest import DATA

from nakg.commands.query import query as query_command
from nakg.errors import QueryError
from nakg.queries import (
    FORMATS,
    NamedQuery,
    QueryResult,
    format_result,
    list_queries,
    load_query,
    parse_header,
    run_query,
)
from nakg.resources import queries_dir

CQ_DIR = queries_dir() / "cq"
CQ_NAMES = sorted(p.stem for p in CQ_DIR.glob("*.rq"))
REPORT_NAMES = sorted(p.stem for p in (queries_dir() / "reports").glob("*.rq"))

#: Known errors in the graph (records or pipeline): query name → reason. The expected answer stays
#: right; the marker goes when the graph is fixed (strict: an unexpected pass fails).
INJECTION = 'x" } ; DROP ALL ; #'


# --- comparison helpers ------------------------------------------------------------

def _cell_matches(expected: str, actual) -> bool:
    if expected == "":
        return actual is None or actual == ""
    if actual is None:
        return False
    if isinstance(actual, bool):
        return expected == ("true" if actual else "false")
    try:
        e, a = float(expected), float(actual)
    except (TypeError, ValueError):
        if str(actual) == expected:
            return True
        # a "; "-separated list (references, sections) is a set: SPARQL's GROUP_CONCAT has no order
        return "; " in expected + str(actual) and sorted(expected.split("; ")) == sorted(str(actual).split("; "))
    return math.isclose(e, a, rel_tol=1e-6, abs_tol=1e-12)


def _row_matches(expected: list[str], actual: list) -> bool:
    return len(expected) == len(actual) and all(_cell_matches(e, a) for e, a in zip(expected, actual))


def _read_expected(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    return rows[0], rows[1:]


def _unmatched(expected: list[list[str]], actual: list[list]) -> tuple[list, list]:
    """Rows of each side left over after pairing equal rows (a multiset difference with tolerance)."""
    left = list(actual)
    missing = []
    for row in expected:
        for i, cand in enumerate(left):
            if _row_matches(row, cand):
                del left[i]
                break
        else:
            missing.append(row)
    return missing, left


def assert_rows(result: QueryResult, header: list[str], expected: list[list[str]], ordered: bool) -> None:
    assert result.columns == header, f"columns {result.columns} != expected {header}"
    actual = result.records()
    missing, extra = _unmatched(expected, actual)
    assert not missing and not extra, f"{result.query}: missing {missing}; unexpected {extra}"
    if ordered:
        for i, (e, a) in enumerate(zip(expected, actual)):
            assert _row_matches(e, a), f"{result.query}: row {i} is {a}, expected {e} (order)"


# --- competency questions ----------------------------------------------------------

def test_enough_competency_questions_each_with_an_expected_answer():
    assert len(CQ_NAMES) >= 30, CQ_NAMES
    without = [n for n in CQ_NAMES if not (CQ_DIR / f"{n}.expected.csv").is_file()]
    assert without == []
    orphans = sorted(p.name for p in CQ_DIR.glob("*.expected.csv") if p.name[: -len(".expected.csv")] not in CQ_NAMES)
    assert orphans == []


@pytest.mark.parametrize("name", CQ_NAMES)
def test_competency_question_header(name):
    q = load_query(name)
    assert q.name == f"cq/{name}" and q.role == "cq"
    assert q.question.endswith("?") and len(q.question) > 20, q.question
    assert len(q.answer) > 20, q.answer
    for p in q.params:
        assert p.description and p.default is not None, p


@pytest.mark.parametrize("name", CQ_NAMES)
def test_competency_question_answer(kg, name):
    q = load_query(name)
    header, expected = _read_expected(CQ_DIR / f"{name}.expected.csv")
    assert expected, "an expected answer needs at least one row"
    assert_rows(q.run(kg), header, expected, ordered=q.ordered)


# hand-worked answers for non-default parameter values
PARAM_CASES = [
    # section 2.2.2: NZSP 0.2 S/cm at 300 °C [37, 38]; 2.2.3: Na2Ni2TeO6 0.101–0.108 S/cm at 300 °C [39] (a range
    # counts by its lower end); 2.2.7: Na2B12H12 0.1 S/cm at 540–573 K [65]
    pytest.param("conductivity-above-threshold", {"threshold": "0.1", "temperature": "573.15"},
                 [["na3zr2si2po12", "Na3Zr2Si2PO12", "NASICON", "0.2", "", "exact", "300 °C", "573.15", "300",
                   "nasicon-nzsp-sigma-300c", "37; 38", "1; 2.2.2"],
                  ["na2ni2teo6", "Na2Ni2TeO6", "P2-type layered oxide", "0.101", "0.108", "range", "300 °C", "573.15",
                   "300", "lo-na2ni2teo6-sigma-300c", "39", "2.2.3"],
                  ["na2b12h12", "Na2B12H12", "closo-borate", "0.1", "", "exact", "540–573 K", "", "",
                   "hyd-na2b12h12-sigma-disordered", "65", "2.2.7"]], id="above-0.1-at-300C"),
    # per subfamily: the sulfide subfamilies each get their own row (sections 2.2.5, 4.5.1)
    pytest.param("best-conductivity-per-family", {"per_subfamily": "true"}, "per-subfamily", id="per-subfamily"),
    pytest.param("cells-by-electrolyte-family", {"family": "nakg:HalideFamily"},
                 [["hal-cell-fu-heterostructure", "halide heterostructure electrolyte", "halide"],
                  ["hal-cell-natacl6-nvp", "NaTaCl6", "halide"]], id="halide-cells"),
    pytest.param("cells-with-cathode", {"cathode": "TiS2"},
                 [["ap-cell-jiang-tis2", "Na2BH4NH2"], ["sul-cell-liu-tis2", "Na10SnSb2S12"],
                  ["t3-r01", "Na2B10H10-3Na2B12H12"], ["t3-r04", "Na3NH2B12H12"]], id="tis2-cells"),
    pytest.param("material-descendants", {"ancestor": "na3ycl6"},
                 [["Na3-xY1-xZrxCl6", "1"], ["NaCrO2+NYZC", "2"]], id="na3ycl6-lineage"),
    pytest.param("cells-by-cycle-life", {"min_cycles": 10000},
                 [["t1-r01", "Na0.66Ni0.33Mn0.67O2/β''-Al2O3/Na", "10000", "90", "6 C", "", "", "", "152", "5.1"],
                  ["t1-r05", "Na3V2(PO4)3/IL/Na3.3Zr1.7La0.3Si2PO12/Na", "10000", "100", "10 C", "", "", "", "155", "5.1"]],
                 id="python-int-value"),
    pytest.param("references-for-record", {"record": "t1-r05"},
                 [["155", "Z. Zhang, Q. Zhang, J. Shi, et al.", "Adv. Energy Mater.", "2017"]], id="refs-of-table-row"),
    pytest.param("interface-effects-at-side", {"side": "https://w3id.org/nakg/CathodeSide"},
                 None, id="cathode-side-full-iri"),
]


@pytest.mark.parametrize("name, params, expected", PARAM_CASES)
def test_competency_question_with_parameters(kg, name, params, expected):
    q = load_query(name)
    result = q.run(kg, **params)
    if expected == "per-subfamily":
        best = {r["family_key"]: (r["material"], r["sigma_S_per_cm"]) for r in result}
        assert best["sulfide"] == ("na10snsb2s12", pytest.approx(5.2e-4))  # materials of the sulfide family itself
        assert best["na3pns4_type"] == ("na2.88sb0.88w0.12s4", pytest.approx(3.2e-2))
        assert best["closo_borate"] == ("na2cb9h10cb11h12", pytest.approx(7e-2))
        assert best["p2_layered_oxide"] == ("nzto-g0.1", pytest.approx(1.1e-3))  # 0.8–3.4 mS/cm ranks by 0.8
        assert len(best) == len(result.rows) == 11
        assert all(r["family"] == r["material_family"] for r in result)
        return
    if expected is None:  # cathode side: every row is a cathode-side or two-sided modification
        mods = {r["modification"] for r in result}
        assert "ba-if-ionic-liquid-cathode" in mods and "sul-i-napso-additive" in mods
        assert "nasicon-alf3-coating" not in mods
        return
    assert_rows(result, list(result.columns), expected, ordered=q.ordered)


#: A query with a plain string parameter (the shipped ones name values the graph holds, and check them).
STRING_QUERY = """# question: Which facts does a section state, the section given as plain text?
# param: section xsd:string "6" "section number"
PREFIX nakg: <https://w3id.org/nakg/>
SELECT DISTINCT ?record WHERE { ?fact nakg:recordId ?record ; nakg:statedInSection/nakg:sectionNumber ?section }
ORDER BY ?record
"""


@pytest.fixture
def string_query(tmp_path):
    path = tmp_path / "facts-in-section-as-text.rq"
    path.write_text(STRING_QUERY, encoding="utf-8")
    return path


def test_injection_attempt_is_bound_as_a_literal_and_matches_nothing(kg, string_query):
    before = len(kg.graph)
    q = load_query(string_query)
    assert q.run(kg).rows  # the default section answers
    text = q.bind(section=INJECTION)
    assert "VALUES ?section {" in text and '"x\\"' in text  # the quote is escaped inside one literal
    assert q.run(kg, section=INJECTION).rows == []
    assert len(kg.graph) == before


def test_injection_attempt_as_a_section_is_an_unknown_section(kg):
    from nakg.errors import UnknownValue

    with pytest.raises(UnknownValue, match="unknown review section"):
        load_query("facts-in-section").run(kg, section=INJECTION)


def test_injection_attempt_as_a_material_is_an_unknown_material(kg):
    from nakg.errors import UnknownValue

    before = len(kg.graph)
    q = load_query("cells-with-cathode")
    with pytest.raises(UnknownValue, match="unknown material"):
        q.run(kg, cathode=INJECTION)
    assert len(kg.graph) == before
    assert len(q.run(kg)) == 7  # the default still answers: the graph is intact


def test_string_parameters_are_never_pasted(kg, string_query):
    q = load_query(string_query)
    assert q.run(kg, section='6" || true || "').rows == []
    assert q.run(kg, section="6\n} SELECT * WHERE { ?s ?p ?o").rows == []


# --- reports -----------------------------------------------------------------------

def test_reports_exist():
    assert len(REPORT_NAMES) >= 3, REPORT_NAMES


@pytest.mark.parametrize("name", REPORT_NAMES)
def test_report_returns_rows(kg, name):
    q = load_query(f"reports/{name}")
    assert q.question, "a report states what it reports"
    result = q.run(kg)
    assert len(result) > 0
    assert all(any(v is not None for v in row) for row in result.records())


# --- the library ---------------------------------------------------------------------

def test_list_queries_by_role():
    cq = list_queries("cq")
    assert [q.name for q in cq] == [f"cq/{n}" for n in CQ_NAMES]
    everything = {q.name for q in list_queries()}
    assert {f"reports/{n}" for n in REPORT_NAMES} <= everything
    assert any(n.startswith("violations/") for n in everything)
    with pytest.raises(QueryError, match="unknown query role"):
        list_queries("nope")


def test_load_by_name_role_and_path():
    a = load_query("electrochemical-windows")
    b = load_query("cq/electrochemical-windows")
    c = load_query(str(CQ_DIR / "electrochemical-windows.rq"))
    assert a.text == b.text == c.text and a.name == b.name
    assert c.name.startswith("file:") and c.role == "file"
    assert load_query("electrochemical-windows.rq").name == a.name


@pytest.mark.parametrize("name", ["no-such-question", "cq/no-such-question", "nope/electrochemical-windows"])
def test_unknown_query_name(name):
    with pytest.raises(QueryError, match="no query named"):
        load_query(name)


def _library(tmp_path, monkeypatch, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    monkeypatch.setattr("nakg.queries._library", lambda: tmp_path)
    return tmp_path


def test_ambiguous_bare_name(tmp_path, monkeypatch):
    text = "# question: Which x?\n# answer: y\nSELECT ?s WHERE { ?s ?p ?o }\n"
    _library(tmp_path, monkeypatch, {"cq/dup.rq": text, "reports/dup.rq": text})
    with pytest.raises(QueryError, match="ambiguous"):
        load_query("dup")
    assert load_query("reports/dup").name == "reports/dup"


def test_parse_header_fields_continuations_and_params():
    header = parse_header(
        "# question: Which electrolyte\n#   conducts best?\n# answer: one row.\n"
        '# param: t xsd:double 1e-3 "threshold in S/cm"\n'
        '# param: f iri nakg:HalideFamily "family"\n'
        '# param: name xsd:string "Na3PS4" "a formula"\n'
        '# param: need xsd:integer - "required"\n'
        "PREFIX nakg: <https://w3id.org/nakg/>\n# param: ignored xsd:double 1 \"after the header\"\n"
        "SELECT ?t WHERE { }\n")
    assert header["question"] == "Which electrolyte conducts best?"
    assert header["answer"] == "one row."
    assert [(p.name, p.type, p.default) for p in header["params"]] == [
        ("t", "xsd:double", "1e-3"), ("f", "iri", "nakg:HalideFamily"), ("name", "xsd:string", "Na3PS4"),
        ("need", "xsd:integer", None)]
    assert header["params"][3].required


@pytest.mark.parametrize("line, message", [
    ('# param: t xsd:double 1e-3', "a param line is"),
    ('# param: t xsd:float 1 "x"', "unknown parameter type"),
    ('# param: t xsd:double abc "x"', "expects xsd:double"),
    ('# param: 1t xsd:double 1 "x"', "invalid parameter name"),
    ('# param: t xsd:double 1 "unclosed', "cannot read param line"),
])
def test_bad_param_lines(line, message):
    with pytest.raises(QueryError, match=message):
        parse_header(f"# question: q?\n{line}\nSELECT ?t WHERE {{ }}\n")


def test_param_declared_twice_or_missing_from_the_body(tmp_path, monkeypatch):
    _library(tmp_path, monkeypatch, {
        "cq/twice.rq": '# question: q?\n# param: t xsd:double 1 "a"\n# param: t xsd:double 2 "b"\nSELECT ?t WHERE { }\n',
        "cq/unused.rq": '# question: q?\n# param: t xsd:double 1 "a"\nSELECT ?s WHERE { ?s ?p ?o } # ?t in a comment\n',
    })
    with pytest.raises(QueryError, match="declared twice"):
        load_query("twice")
    with pytest.raises(QueryError, match="no variable \\?t"):
        load_query("unused")


@pytest.mark.parametrize("params, message", [
    ({"nope": "1"}, "has no parameter 'nope'"),
    ({"threshold": "high"}, "expects xsd:double"),
    ({"threshold": True}, "expects xsd:double"),
    ({"tolerance": [1]}, "expects xsd:double"),
])
def test_bad_parameters(kg, params, message):
    with pytest.raises(QueryError, match=message):
        run_query(kg, "conductivity-above-threshold", **params)


@pytest.mark.parametrize("name, params, message", [
    ("cells-by-cycle-life", {"min_cycles": "1.5"}, "expects xsd:integer"),
    ("cells-by-electrolyte-family", {"family": "not an iri"}, "unknown family 'not an iri'"),
    ("cells-by-electrolyte-family", {"family": "nakg:Bad>Family"}, "unknown family 'nakg:Bad>Family'"),
    ("cells-by-electrolyte-family", {"family": "nakg:Nasicon"}, "unknown family 'nakg:Nasicon'; did you mean 'nasicon'"),
    ("cells-with-cathode", {"cathode": "NaCrO3"}, "unknown material 'NaCrO3'; did you mean 'NaCrO2'"),
    ("interface-effects-at-side", {"side": "nakg:Anode"}, "unknown side 'nakg:Anode'"),
    ("materials-containing-element", {"element": "Qq"}, "unknown element 'Qq'"),
])
def test_bad_parameter_values_per_type(kg, name, params, message):
    from nakg.errors import NakgError

    with pytest.raises(NakgError, match=message):
        run_query(kg, name, **params)


def test_required_parameter_and_non_select(tmp_path, monkeypatch, kg):
    _library(tmp_path, monkeypatch, {
        "cq/needs.rq": '# question: q?\n# param: n xsd:integer - "required"\nSELECT ?n WHERE { }\n',
        "cq/ask.rq": "# question: q?\nASK { ?s ?p ?o }\n",
        "cq/broken.rq": "# question: q?\nSELECT ?s WHERE { ?s ?p }\n",
    })
    with pytest.raises(QueryError, match="needs a value for parameter 'n'"):
        run_query(kg, "needs")
    assert run_query(kg, "needs", n=3).records() == [[3]]
    with pytest.raises(QueryError, match="not a SELECT query"):
        run_query(kg, "ask")
    with pytest.raises(QueryError, match="SPARQL syntax error in 'cq/broken'"):
        run_query(kg, "broken")


def test_ordered_flag_ignores_comments(tmp_path, monkeypatch):
    _library(tmp_path, monkeypatch, {
        "cq/a.rq": "# question: sorted? ORDER BY in a comment only\nSELECT ?s WHERE { ?s ?p ?o }\n",
        "cq/b.rq": "# question: sorted?\nSELECT ?s WHERE { ?s ?p ?o } order by ?s\n",
    })
    assert not load_query("a").ordered and load_query("b").ordered


def test_columns_survive_an_empty_result(kg):
    result = run_query(kg, "cells-by-cycle-life", min_cycles=10**9)
    assert result.rows == [] and result.columns[:4] == ["cell", "cell_notation", "cycles", "retention_pct"]
    assert format_result(result, "csv") == ",".join(result.columns) + "\n"


def test_formats(kg):
    result = run_query(kg, "electrochemical-windows")
    assert set(FORMATS) == {"table", "csv", "json"}
    table = format_result(result, "table")
    assert table.splitlines()[0].split()[:2] == ["formula", "window_V"] and table.endswith("(4 rows)")
    assert "Na3NH2B12H12" in table.splitlines()[2]
    rows = list(csv.DictReader(format_result(result, "csv").splitlines()))
    assert rows[0] == {"formula": "Na3NH2B12H12", "window_V": "10", "measurement": "hyd-na3nh2b12h12-window",
                       "references": "207", "sections": "5.4"}
    data = json.loads(format_result(result, "json"))
    assert data["columns"][:2] == ["formula", "window_V"] and data["rows"][0]["window_V"] == 10.0
    with pytest.raises(QueryError, match="unknown format"):
        format_result(result, "xml")


def test_named_query_is_a_value_object():
    q = load_query("cells-by-loading")
    assert isinstance(q, NamedQuery) and q.ordered
    assert q.param("min_loading").convert(7).toPython() == 7.0
    assert "VALUES ?min_loading" in q.bind() and "VALUES ?min_loading" not in q.text


# --- the command (not wired into nakg.cli yet: run through click's runner) -------------

@pytest.fixture(scope="module")
def cli(built):
    runner = CliRunner()
    graph = str(built.outputs["nt"])

    def invoke(*args: str, graph_arg: bool = True):
        extra = ["--graph", graph] if graph_arg else []
        return runner.invoke(query_command, [*args, *extra], catch_exceptions=False)

    return invoke


def test_cli_runs_a_question_as_csv(cli):
    result = cli("electrochemical-windows", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert [line.split(",")[:2] for line in result.stdout.splitlines()] == [
        ["formula", "window_V"], ["Na3NH2B12H12", "10"], ["Na3B24H23", "6.7"], ["Na3PS4", "5"], ["NaYbZrCl0.75", "4.1"]]
    assert result.stdout.splitlines()[1].endswith(",207,5.4")


def test_cli_binds_parameters_and_prints_json(cli):
    result = cli("cells-by-cycle-life", "--param", "min_cycles=10000", "--format", "json")
    assert result.exit_code == 0, result.output
    assert [r["cell"] for r in json.loads(result.stdout)["rows"]] == ["t1-r01", "t1-r05"]


def test_cli_table_and_file_argument(cli):
    result = cli(str(CQ_DIR / "activation-energy-extremes.rq"), "-p", "")
    assert result.exit_code == 1 and "NAME=VALUE" in result.stderr
    result = cli(str(CQ_DIR / "activation-energy-extremes.rq"))
    assert result.exit_code == 0 and "Na3PSe4" in result.stdout and result.stdout.rstrip().endswith("(2 rows)")
    assert result.stdout.split()[:3] == ["extreme", "material", "formula"] and "ea_eV" in result.stdout.split("\n")[0]


def test_cli_lists_queries(cli):
    result = cli("--list", graph_arg=False)
    assert result.exit_code == 0
    assert "cq/conductivity-above-threshold [threshold=1e-3] [temperature=298.15] [tolerance=5]" in result.stdout
    assert "violations/" in result.stdout and "reports/facts-per-section" in result.stdout
    only_reports = cli("--list", "reports", graph_arg=False).stdout
    assert "reports/curation-notes" in only_reports and "cq/" not in only_reports


@pytest.mark.parametrize("args, message", [
    (["no-such-question"], "no query named 'no-such-question'"),
    (["conductivity-above-threshold", "--param", "nope=1"], "has no parameter 'nope'"),
    (["conductivity-above-threshold", "--param", "threshold=high"], "expects xsd:double, got 'high'"),
    (["conductivity-above-threshold", "--param", "threshold"], "--param expects NAME=VALUE"),
    (["conductivity-above-threshold", "-p", "threshold=1", "-p", "threshold=2"], "given twice"),
])
def test_cli_errors_exit_1_with_a_message(cli, args, message):
    result = cli(*args)
    assert result.exit_code == 1
    assert result.stderr.startswith("error: ") and message in result.stderr
    assert result.stdout == ""


def test_cli_syntax_error_exits_1(cli, tmp_path):
    bad = tmp_path / "bad.rq"
    bad.write_text("# question: broken?\nSELECT ?s WHERE { ?s ?p }\n", encoding="utf-8")
    result = cli(str(bad))
    assert result.exit_code == 1 and "SPARQL syntax error" in result.stderr


def test_cli_injection_attempt_matches_nothing(cli, string_query):
    result = cli(str(string_query), "--param", f"section={INJECTION}", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert len(result.stdout.strip().splitlines()) == 1  # the header only
    result = cli("facts-in-section", "--param", f"section={INJECTION}", "--format", "csv")
    assert result.exit_code == 1 and "unknown review section" in result.stderr and result.stdout == ""


def test_cli_injection_attempt_as_a_material_is_an_error(cli):
    result = cli("cells-with-cathode", "--param", f"cathode={INJECTION}", "--format", "csv")
    assert result.exit_code == 1 and "unknown material" in result.stderr and result.stdout == ""


def test_cli_refuses_service_in_an_outside_query_file(cli, tmp_path):
    remote = tmp_path / "remote.rq"
    remote.write_text("# question: remote?\nSELECT ?s WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }\n",
                      encoding="utf-8")
    result = cli(str(remote))
    assert result.exit_code == 1 and "SERVICE" in result.stderr


SERVICE_BYPASS = json.loads((DATA / "service_bypass.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", SERVICE_BYPASS, ids=[c["name"] for c in SERVICE_BYPASS])
def test_service_bypass_api_decided_on_the_executing_parse(kg, case, remote_trap):
    """Issue: KnowledgeGraph.query let through what rdflib could not parse or read differently from Oxigraph."""
    text = case["query"].replace("{url}", remote_trap.url)
    if case["expect"] == 200:
        kg.query(text)
    else:
        with pytest.raises(QueryError, match="SERVICE.*allow_service=True" if case["expect"] == 403 else "query failed"):
            kg.query(text)
    remote_trap.untouched()  # the store never connected


@pytest.mark.parametrize("case", [c for c in SERVICE_BYPASS if c["expect"] == 403][:6])
def test_service_bypass_cli_query_file(cli, tmp_path, case, remote_trap):
    remote = tmp_path / "remote.rq"
    remote.write_bytes(case["query"].replace("{url}", remote_trap.url).encode())
    result = cli(str(remote))
    assert result.exit_code == 1 and "SERVICE" in result.stderr, result.output
    remote_trap.untouched()


def test_api_service_word_in_a_string_is_not_a_service_pattern(kg):
    rows = kg.query("SELECT ?f WHERE { ?m nakg:formula ?f FILTER(?f = 'SERVICE') }")
    assert rows == []


# --- self-describing queries ---------------------------------------------------------

@pytest.mark.parametrize("name", CQ_NAMES)
def test_declared_columns_are_the_select_variables(name):
    q = load_query(name)
    assert q.columns, f"{name} declares no columns"
    assert [c.name for c in q.columns] == q.projection()
    assert all(c.meaning for c in q.columns)


def test_every_question_declares_its_columns():
    declared = [n for n in CQ_NAMES if load_query(n).columns]
    assert len(declared) == len(CQ_NAMES) >= 30


EXPLAINED = ["best-conductivity-per-family", "conductivity-above-threshold", "conductivity-vs-temperature",
             "activation-energy-extremes", "cells-by-cycle-life", "interface-quantified-results"]


@pytest.mark.parametrize("name", EXPLAINED)
def test_explained_answers_carry_labels_units_references_and_sections(kg, name):
    q = load_query(name)
    assert {"references", "sections"} <= set(q.projection())
    assert q.leaves_out, "a query says what it leaves out"
    result = q.run(kg)
    assert result.rows
    assert all(r["sections"] for r in result), "every fact names its review section"
    numeric = [c for c in q.columns if c.unit and c.unit not in ("1",)]
    for c in numeric:  # a column with a unit says it in its name
        token = {"S/cm": "S_per_cm", "K": "_K", "°C": "_C", "eV": "_eV", "%": "_pct", "cycles": "cycles"}.get(c.unit)
        assert token is None or token in c.name, (c.name, c.unit)


def test_no_language_tags_in_tabular_output(kg):
    from rdflib import Literal

    for name in CQ_NAMES:
        result = load_query(name).run(kg)
        for row in result.records():
            assert not any(isinstance(v, Literal) for v in row), (name, row)
        text = format_result(result, "csv")
        assert "@en" not in text, name


def test_plain_cells_from_rdflib_terms():
    from rdflib import Literal, URIRef

    from nakg.queries import _plain

    assert _plain(Literal("NASICON", lang="en")) == "NASICON" and type(_plain(Literal("x", lang="en"))) is str
    assert _plain(Literal(3)) == 3 and _plain(URIRef("https://w3id.org/nakg/X")) == "https://w3id.org/nakg/X"


def test_the_improvement_factor_says_what_fell(kg):
    rows = run_query(kg, "interface-quantified-results").rows
    sixteen = [r for r in rows if r["property"] == "improvement_factor" and r["value"] == 16]
    assert [(r["applies_to"], r["change"], r["references"]) for r in sixteen] == [("interfacial_resistance", "decrease", "162")]


def test_describe_lists_question_parameters_columns_and_what_is_left_out():
    from nakg.queries import describe

    text = describe(load_query("best-conductivity-per-family"))
    assert text.splitlines()[0] == "cq/best-conductivity-per-family"
    assert "question: Which material has the highest" in text
    assert "per_subfamily (xsd:boolean; default false)" in text and "accepts: true or false" in text
    assert "sigma_S_per_cm [S/cm]: ionic conductivity" in text
    assert "leaves out: values stated without a temperature" in text
    data = json.loads(describe(load_query("cells-by-cycle-life"), "json"))
    assert data["params"][0]["name"] == "min_cycles" and data["params"][0]["default"] == "1000"
    assert {"name": "retention_pct", "unit": "%", "meaning": data["columns"][3]["meaning"]} == data["columns"][3]
    with pytest.raises(QueryError, match="unknown description format"):
        describe(load_query("cells-by-cycle-life"), "xml")


def test_describe_marks_undeclared_columns(tmp_path, monkeypatch):
    from nakg.queries import describe

    _library(tmp_path, monkeypatch, {"cq/bare.rq": "# question: q?\nSELECT ?s WHERE { ?s ?p ?o }\n"})
    text = describe(load_query("bare"))
    assert "s: (not described)" in text and "parameters: none" in text and "leaves out: nothing stated" in text


@pytest.mark.parametrize("line, message", [
    ('# column: x "S/cm"', "a column line is"),
    ('# column: 1x - "meaning"', "invalid column name"),
    ('# column: x - ""', "needs a meaning"),
])
def test_bad_column_lines(line, message):
    with pytest.raises(QueryError, match=message):
        parse_header(f"# question: q?\n{line}\nSELECT ?x WHERE {{ }}\n")


def test_column_declared_twice():
    with pytest.raises(QueryError, match="column\\(s\\) declared twice"):
        parse_header('# question: q?\n# column: x - "a"\n# column: x - "b"\nSELECT ?x WHERE { }\n')


def test_cli_describe_needs_no_graph(cli):
    result = cli("cells-by-cycle-life", "--describe", graph_arg=False)
    assert result.exit_code == 0, result.output
    assert "min_cycles (xsd:integer; default 1000)" in result.stdout and "cycles [cycles]" in result.stdout
    result = cli("interface-quantified-results", "--describe", "--format", "json", graph_arg=False)
    assert json.loads(result.stdout)["columns"][4]["name"] == "applies_to"
    result = cli("no-such-question", "--describe", graph_arg=False)
    assert result.exit_code == 1 and "no query named" in result.stderr


#: How a unit shows in a column name (a column with one of these units must say it in its name).
UNIT_TOKENS = {"S/cm": "S_per_cm", "K": "_K", "°C": "_C", "eV": "_eV", "%": "_pct", "h": "_h", "mAh/g": "mAh_per_g",
               "mg/cm2": "mg_per_cm2", "V": "_V", "Å": "angstrom"}


def test_every_column_with_a_unit_names_it():
    checked = 0
    for name in CQ_NAMES:
        for c in load_query(name).columns:
            token = UNIT_TOKENS.get(c.unit)
            if token:
                checked += 1
                assert token in c.name, f"{name}: column {c.name} in {c.unit}"
    assert checked >= 40, checked


#: Questions whose rows do not carry references and sections, each with the reason.
WITHOUT_PROVENANCE_COLUMNS = {
    # the answer is itself references or record ids of facts (references are what it lists)
    "dendrite-observation-techniques": "one row per (technique, reference)",
    "duplicate-references": "rows are reference numbers",
    "facts-in-section": "rows are the facts of one section",
    "records-citing-reference": "rows are the facts citing one reference",
    "references-for-record": "rows are the references of one fact",
    # aggregates over many facts: references per row would list every fact counted
    "challenges-per-family": "one row per (family, challenge) over many statements",
    "synthesis-routes-per-family": "one row per (family, route) over many syntheses",
    "interface-strategies-per-side": "a count per (side, strategy)",
    "derived-vs-parent-rt-conductivity": "each row compares two best values taken over several measurements",
    # parameters moving to the resolver's types; references to follow with them
    "cells-by-electrolyte-family": "pending", "cells-with-cathode": "pending", "interface-effects-at-side": "pending",
    "material-descendants": "pending", "materials-containing-element": "pending", "syntheses-with-effect": "pending",
}


def test_questions_carry_references_and_sections_unless_stated_why():
    missing = sorted(n for n in CQ_NAMES if not {"references", "sections"} <= {c.name for c in load_query(n).columns})
    assert missing == sorted(WITHOUT_PROVENANCE_COLUMNS)
    assert len(CQ_NAMES) - len(missing) >= 30
