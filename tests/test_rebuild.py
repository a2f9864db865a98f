"""Incremental rebuilds write the same bytes as a clean build, after every kind of edit a curator makes.

Each test copies the records, builds them in full (which keeps the incremental
state), edits the copy, builds again into the same folder and compares every
output file with a clean build of the edited records into a fresh folder. The
rebuild must also have been incremental where it can be (its summary says so),
and give way to a full build where it cannot.
"""

from __future__ import annotations

import os
import random
import shutil
from pathlib import Path

import pytest

from nakg.build import build
from nakg.errors import RecordsInvalid, ValidationFailed
from nakg.resources import records_dir

OUTPUTS = ("nakg.nt", "nakg.ttl", "void.ttl", "record-index.json", "validation.txt", "manifest.json")


@pytest.fixture()
def workspace(tmp_path, monkeypatch):
    """A copy of the shipped records, the working directory set to its parent (records are named relative to it),
    a private record cache, and a first full build into ``out``."""
    records = tmp_path / "records"
    shutil.copytree(records_dir(), records)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NAKG_CACHE_DIR", str(tmp_path / "cache"))
    first = build(records, out_dir=tmp_path / "out")
    assert first.how == "full build: no earlier build in the output folder"
    return tmp_path


def _same_as_clean(work: Path, name: str = "clean") -> None:
    clean = build(work / "records", out_dir=work / name, incremental=False)
    assert clean.report.conforms
    for f in OUTPUTS:
        assert (work / "out" / f).read_bytes() == (work / name / f).read_bytes(), f"{f} differs from a clean build"


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _rebuild(work: Path, incremental: bool = True):
    result = build(work / "records", out_dir=work / "out")
    assert result.how.startswith("incremental rebuild") is incremental, result.how
    return result


NEW_MEASUREMENT = """measurements:
  - id: hal-test-new-sigma
    material: na3smbr6
    property: ionic_conductivity
    value: 2.5e-5
    unit: S/cm
    temperature: 25 °C
    basis: experimental
    prov: {sections: ["4.6"], refs: [128]}
"""

NEW_FILE = """materials:
  - id: test-new-material
    formula: Na2GeS3
    name: a new test sulfide
    family: sulfide
    roles: [electrolyte]
    prov: {sections: ["2.2.5"], refs: [35]}
measurements:
  - id: test-new-material-sigma
    material: test-new-material
    property: ionic_conductivity
    value: 1.0e-4
    unit: S/cm
    temperature: 25 °C
    prov: {sections: ["2.2.5"], refs: [35]}
"""

EDITS = {
    "an alias added": ("sulfides.yaml", "    aliases: [NSS]\n", "    aliases: [NSS, sodium thioantimonate test]\n"),
    "a multi-line note": ("sulfides.yaml", "    prov: {sections: [\"4.5.1\", \"5.2\"], refs: [14], figures: [\"Fig. 21c\"]}",
                          "    prov: {sections: [\"4.5.1\", \"5.2\"], refs: [14], figures: [\"Fig. 21c\"], note: \"first\\n\\nsecond\"}"),
    "a value changed": ("halides.yaml", "  - id: hal-na3smbr6-sigma\n    material: na3smbr6\n    property: ionic_conductivity\n    value: 1e-5",
                        "  - id: hal-na3smbr6-sigma\n    material: na3smbr6\n    property: ionic_conductivity\n    value: 3e-5"),
    "a name others label with": ("common.yaml", "    name: Na metal\n", "    name: sodium metal\n"),
    "lines moved": ("halides.yaml", "measurements:\n", "\n\n# a comment that moves every record below\nmeasurements:\n"),
    "a measurement added": ("halides.yaml", "measurements:\n", NEW_MEASUREMENT),
    "a new section cited": ("halides.yaml", "  - id: hal-na3smbr6-sigma\n    material: na3smbr6\n    property: ionic_conductivity\n    value: 1e-5\n    unit: S/cm\n    basis: experimental\n    prov: {sections: [\"4.6\"]",
                            "  - id: hal-na3smbr6-sigma\n    material: na3smbr6\n    property: ionic_conductivity\n    value: 1e-5\n    unit: S/cm\n    basis: experimental\n    prov: {sections: [\"4.6\", \"6\"]"),
}


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_an_edit_rebuilds_incrementally_to_the_same_bytes(workspace, edit):
    name, old, new = EDITS[edit]
    _edit(workspace / "records" / name, old, new)
    result = _rebuild(workspace)
    assert result.report.conforms
    _same_as_clean(workspace)


def test_edits_in_a_row_and_back(workspace):
    """Several edits one after another, then every file back as it was: each build equals a clean one."""
    for edit in ("an alias added", "a measurement added", "a name others label with"):
        name, old, new = EDITS[edit]
        _edit(workspace / "records" / name, old, new)
        _rebuild(workspace)
        _same_as_clean(workspace, f"clean-{edit.replace(' ', '-')}")
    shutil.rmtree(workspace / "records")
    shutil.copytree(records_dir(), workspace / "records")
    _rebuild(workspace)
    for f in ("nakg.nt", "nakg.ttl", "void.ttl"):
        assert (workspace / "out" / f).read_bytes() == (records_dir().parent / f).read_bytes()


def test_a_file_added_and_removed(workspace):
    (workspace / "records" / "zz-new.yaml").write_text(NEW_FILE, encoding="utf-8")
    _rebuild(workspace)
    _same_as_clean(workspace, "clean-added")
    (workspace / "records" / "zz-new.yaml").unlink()
    _rebuild(workspace)
    _same_as_clean(workspace, "clean-removed")


def test_nothing_changed(workspace):
    before = {f: (workspace / "out" / f).read_bytes() for f in OUTPUTS}
    _rebuild(workspace)
    assert {f: (workspace / "out" / f).read_bytes() for f in OUTPUTS} == before


def test_a_record_removed_that_nothing_refers_to(workspace):
    path = workspace / "records" / "halides.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("  - id: hal-na3gdcl6-sigma\n")
    end = text.index("  - id: hal-na3ybbr6-sigma\n")
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    _rebuild(workspace)
    _same_as_clean(workspace)


def test_the_reference_list_changing_rebuilds_in_full(workspace):
    _edit(workspace / "records" / "references.yaml", "\n", "\n# edited\n")
    _rebuild(workspace, incremental=False)
    _same_as_clean(workspace)


def test_bad_records_leave_the_outputs_as_they_were(workspace):
    before = {f: (workspace / "out" / f).read_bytes() for f in OUTPUTS}
    _edit(workspace / "records" / "halides.yaml", "    material: na3smbr6\n", "    material: no-such-material\n")
    with pytest.raises(RecordsInvalid) as info:
        build(workspace / "records", out_dir=workspace / "out")
    assert "no-such-material" in str(info.value)
    assert {f: (workspace / "out" / f).read_bytes() for f in OUTPUTS} == before
    _edit(workspace / "records" / "halides.yaml", "    material: no-such-material\n", "    material: na3smbr6\n")
    _rebuild(workspace)
    assert {f: (workspace / "out" / f).read_bytes() for f in OUTPUTS} == before


def test_a_shape_violation_is_reported_by_a_full_validation(workspace):
    before = {f: (workspace / "out" / f).read_bytes() for f in OUTPUTS}
    _edit(workspace / "records" / "halides.yaml", "measurements:\n", NEW_MEASUREMENT.replace("25 °C", "2500 °C"))
    with pytest.raises(ValidationFailed) as info:
        build(workspace / "records", out_dir=workspace / "out")
    assert "2000 K" in str(info.value.report.text())
    assert {f: (workspace / "out" / f).read_bytes() for f in OUTPUTS} == before


def test_random_edits_of_a_synthetic_corpus(tmp_path, monkeypatch):
    """Seeded random edits of a small synthetic corpus (values, aliases, records removed and added, files
    touched): every rebuild equals a clean build."""
    from nakg.synth import generate

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NAKG_CACHE_DIR", str(tmp_path / "cache"))
    corpus = tmp_path / "records"
    generate(12, seed=3, out_dir=corpus, papers_per_file=3)
    build(corpus, out_dir=tmp_path / "out")
    rnd = random.Random(7)
    files = sorted(corpus.glob("papers-*.yaml"))
    assert len(files) >= 3
    incremental = 0
    for step in range(6):
        path = rnd.choice(files)
        text = path.read_text(encoding="utf-8")
        lines = text.split("\n")
        kind = step % 3
        if kind == 0:  # an alias on a random electrolyte
            anchors = [i for i, line in enumerate(lines) if line == "  roles: [electrolyte]"]
            i = rnd.choice(anchors)
            lines.insert(i + 1, f"  aliases: [edit-{step}]")
        elif kind == 1:  # a value changed
            values = [i for i, line in enumerate(lines) if line.startswith("  value: ")]
            i = rnd.choice(values)
            lines[i] = f"  value: {rnd.uniform(1, 9):.3f}e-{rnd.randint(3, 7)}"
        else:  # the file's lines shifted
            lines.insert(0, f"# edit {step}")
        path.write_text("\n".join(lines), encoding="utf-8")
        result = build(corpus, out_dir=tmp_path / "out")
        incremental += result.how.startswith("incremental rebuild")
        clean = build(corpus, out_dir=tmp_path / f"clean-{step}", incremental=False)
        for f in OUTPUTS:
            assert (tmp_path / "out" / f).read_bytes() == (tmp_path / f"clean-{step}" / f).read_bytes(), (step, f)
        assert result.triples == clean.triples
    assert incremental >= 4, "most edits of a paper file rebuild incrementally"
    assert not [p for p in (tmp_path / "out" / ".nakg-builds").iterdir() if p.name.startswith(("render-", "tmp-"))]
    assert os.path.isdir(tmp_path / "out" / ".nakg-builds" / "current" / "state")


def test_the_result_of_a_rebuild_has_every_record_index_entry_and_triple(workspace):
    """The API's view of a rebuild equals a full build's: records, node index and graph are read on first use."""
    _edit(workspace / "records" / "sulfides.yaml", EDITS["an alias added"][1], EDITS["an alias added"][2])
    rebuilt = _rebuild(workspace)
    clean = build(workspace / "records", out_dir=workspace / "clean", incremental=False)
    assert rebuilt.record_counts == clean.record_counts and rebuilt.record_files == clean.record_files
    assert rebuilt.records.by_id.keys() == clean.records.by_id.keys()
    assert rebuilt.records.by_id["na3sbs4"].get("aliases") == ["NSS", "sodium thioantimonate test"]
    assert {str(k): (v.file, v.id, v.line) for k, v in rebuilt.index.items()} == \
        {str(k): (v.file, v.id, v.line) for k, v in clean.index.items()}
    assert len(rebuilt.graph) == rebuilt.triples == clean.triples


def test_a_generation_a_running_rebuild_reads_is_not_removed(workspace):
    """Builds keep two generations; one that a running rebuild still reads is kept too, until that rebuild ends."""
    store = workspace / "out" / ".nakg-builds"
    first = (store / "current").resolve().name
    reader = store / f"render-{os.getpid()}-test"
    reader.mkdir()
    (reader / "reading").write_text(first)
    for _ in range(3):
        build(workspace / "records", out_dir=workspace / "out", incremental=False)
    assert (store / first).is_dir()
    shutil.rmtree(reader)
    build(workspace / "records", out_dir=workspace / "out", incremental=False)
    assert not (store / first).exists()


def test_an_unreadable_record_file_is_reported_by_the_full_build(workspace):
    """A record file that cannot be read (here a broken link) is not taken for a removed file: the build falls back
    to a full one, which reports it, and the outputs stay as they were."""
    before = {f: (workspace / "out" / f).read_bytes() for f in OUTPUTS}
    (workspace / "records" / "zz-broken.yaml").symlink_to(workspace / "no-such-file.yaml")
    with pytest.raises(RecordsInvalid) as info:
        build(workspace / "records", out_dir=workspace / "out")
    assert "zz-broken.yaml" in str(info.value) and "broken link" in str(info.value)
    assert {f: (workspace / "out" / f).read_bytes() for f in OUTPUTS} == before


def test_new_types_of_a_node_that_unchanged_files_point_at_rebuild_in_full(workspace):
    """Na metal made an electrolyte too: its new types change what the cells of other files point at, which only a
    full validation sees; the build says so and still writes what a clean build writes."""
    _edit(workspace / "records" / "common.yaml", "    name: Na metal\n    roles: [anode]\n",
          "    name: Na metal\n    roles: [anode, electrolyte]\n")
    result = _rebuild(workspace, incremental=False)
    assert result.how == "full build: the types of a node changed that triples in unchanged files point at"
    _same_as_clean(workspace)
