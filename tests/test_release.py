"""The release committed in ``graph/``: the triples the records build, stable and described, with matching versions."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
import yaml

from nakg.release import REFRESH, RELEASE_FILES, release, release_dir

from .conftest import DATA, run_cli

ROOT = Path(__file__).resolve().parents[1]
NS = "https://w3id.org/nakg/"


@pytest.mark.parametrize("name", RELEASE_FILES)
def test_release_is_what_the_records_build(built, name):
    """graph/<name> must be byte for byte what `nakg build` writes from graph/records."""
    committed = release_dir() / name
    fresh = built.outputs["void" if name == "void.ttl" else {"nakg.ttl": "turtle", "nakg.nt": "nt"}[name]].read_bytes()
    assert committed.is_file(), f"graph/{name} is missing: run `{REFRESH}` and commit graph/"
    if committed.read_bytes() != fresh:
        old = set(committed.read_text(encoding="utf-8").splitlines())
        new = set(fresh.decode("utf-8").splitlines())
        diff = [f"+ {x}" for x in sorted(new - old)[:5]] + [f"- {x}" for x in sorted(old - new)[:5]]
        pytest.fail(f"graph/{name} is not what the records build (the records, the ontology or the build changed since "
                    f"the release was made). Run `{REFRESH}` and commit graph/.\n" + "\n".join(diff))


def test_release_files_are_usable_without_nakg():
    """Turtle and N-Triples hold the same triples, read by another parser (Oxigraph's) than the one that wrote them."""
    import pyoxigraph as ox

    def key(triple) -> tuple:  # a double may be written 0.1 or 1e-01: compare its value
        o = triple.object
        double = isinstance(o, ox.Literal) and o.datatype.value.endswith("#double")
        return str(triple.subject), str(triple.predicate), float(o.value) if double else str(o)

    folder = release_dir()
    ttl = {key(q.triple) for q in ox.parse(path=str(folder / "nakg.ttl"), format=ox.RdfFormat.TURTLE)}
    nt = {key(q.triple) for q in ox.parse(path=str(folder / "nakg.nt"), format=ox.RdfFormat.N_TRIPLES)}
    assert ttl == nt and len(nt) > 10_000
    lines = (folder / "nakg.nt").read_text(encoding="utf-8").splitlines()
    assert lines == sorted(lines) and len(lines) == len(nt)  # sorted, one triple a line: diff-friendly


def test_records_loader_does_not_read_the_release():
    from nakg.records import load_records
    from nakg.resources import records_dir

    assert sorted(load_records(release_dir()).by_id) == sorted(load_records(records_dir()).by_id)


def test_release_command_writes_checks_and_names_itself(tmp_path):
    records = DATA / "records" / "mini"
    out = tmp_path / "graph"
    out.mkdir()
    check = run_cli("release", "--records", str(records), "--out", str(out), "--check")
    assert check.returncode == 1 and REFRESH in check.stdout and not any(out.iterdir())
    done = run_cli("release", "--records", str(records), "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in out.iterdir()) == sorted(RELEASE_FILES)
    assert run_cli("release", "--records", str(records), "--out", str(out), "--check").returncode == 0
    (out / "nakg.nt").write_text("", encoding="utf-8")
    again = release(out, records, check=True)
    assert again.changed == ["nakg.nt"] and REFRESH in again.text()


def test_versions_agree():
    """pyproject, ontology (versionInfo and versionIRI), data (VoID versionIRI) and CITATION.cff carry one version."""
    from rdflib import Graph, URIRef
    from rdflib.namespace import OWL

    from nakg.resources import ontology_path

    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    onto = Graph().parse(ontology_path(), format="turtle")
    o = URIRef(NS + "ontology")
    assert str(onto.value(o, OWL.versionInfo)) == version
    assert str(onto.value(o, OWL.versionIRI)) == f"{NS}ontology/{version}"
    void = Graph().parse(release_dir() / "void.ttl", format="turtle")
    assert str(void.value(URIRef(NS + "resource/graph"), OWL.versionIRI)) == f"{NS}resource/graph/{version}"
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert str(cff["version"]) == version
    assert {i["value"] for i in cff["identifiers"]} == {f"{NS}resource/graph/{version}", f"{NS}ontology/{version}"}
    assert re.search(rf"^## \[{re.escape(version)}\]|^## \[Unreleased\]", (ROOT / "CHANGELOG.md").read_text(), re.M)


def test_citation_names_the_review_as_source(kg):
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["cff-version"] == "1.2.0" and cff["message"] and cff["authors"] and cff["type"] == "dataset"
    review = kg.query("SELECT ?title ?year WHERE { res:review rdfs:label ?title ; nakg:publicationYear ?year }")[0]
    (source,) = cff["references"]
    assert source["type"] == "article" and source["title"] == review["title"] and source["year"] == review["year"]
    authors = kg.query("SELECT ?a WHERE { res:review nakg:authorName ?a }")
    assert {f'{a["given-names"]} {a["family-names"]}' for a in source["authors"]} == {r["a"] for r in authors}
