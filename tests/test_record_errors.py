"""Bad input: every kind of mistake gets an error naming file, record, field and line."""

from __future__ import annotations

import textwrap

import pytest

from nakg.errors import RecordsInvalid
from nakg.records import load_records

MAT = """\
materials:
  - id: bad-1
    formula: {formula}
    family: {family}
    prov: {{sections: ["1"], refs: [1]}}
"""

MEAS = """\
measurements:
  - id: bad-1
    material: nzsp
    property: ionic_conductivity
    value: {value}
    unit: {unit}
    temperature: {temperature}
    prov: {{sections: ["1"], refs: [{ref}]}}
"""


def meas(value="1.0e-3", unit="S/cm", temperature="'25 °C'", ref=1):
    return MEAS.format(value=value, unit=unit, temperature=temperature, ref=ref)


# (case id, file content (str or bytes), error code, record, field, line)
CASES = [
    ("malformed-yaml", "materials:\n  - id: bad-1\n    formula: [unclosed\n", "yaml", None, None, 4),
    ("duplicate-key", "materials:\n  - id: bad-1\n    id: bad-2\n", "yaml", None, None, 3),
    ("unknown-kind", "widgets: []\n", "unknown_kind", None, "widgets", 1),
    ("unknown-family", MAT.format(formula="NaCl", family="garnet"), "unknown_term", "bad-1", "family", 4),
    ("unparsable-formula", MAT.format(formula="NaQq3", family="halide"), "formula", "bad-1", "formula", 3),
    ("unknown-unit", meas(unit="S/furlong"), "unit", "bad-1", "unit", 6),
    ("conductivity-in-ev", meas(unit="eV"), "unit", "bad-1", "unit", 6),
    ("negative-value", meas(value="-1.0e-3"), "value", "bad-1", "value", 5),
    ("nan-value", meas(value=".nan"), "value", "bad-1", "value", 5),
    ("below-absolute-zero", meas(temperature="'-300 °C'"), "temperature", "bad-1", "temperature", 7),
    ("temperature-without-unit", meas(temperature="25"), "unit", "bad-1", "temperature", 7),
    ("unknown-reference", meas(ref=999), "unknown_reference", "bad-1", "prov.refs", 8),
    ("duplicate-id", MAT.format(formula="NaCl", family="halide").replace("bad-1", "nzsp"), "duplicate_id", "nzsp", "id", 2),
    ("dangling-link", meas().replace("material: nzsp", "material: ghost"), "dangling", "bad-1", "material", 3),
    ("missing-provenance", "materials:\n  - id: bad-1\n    formula: NaCl\n", "missing", "bad-1", "prov", 2),
    ("empty-sections", "materials:\n  - id: bad-1\n    formula: NaCl\n    prov: {sections: [], refs: []}\n", "missing", "bad-1", "prov.sections", 4),
    ("unknown-field", "materials:\n  - id: bad-1\n    formla: NaCl\n    prov: {sections: ['1']}\n", "unknown_field", "bad-1", "formla", 3),
    ("iri-unsafe-id", "materials:\n  - id: Na3PS4 phase\n    formula: Na3PS4\n    prov: {sections: ['1']}\n", "id", "Na3PS4 phase", "id", 2),
    ("doping-product-is-host", textwrap.dedent("""\
        dopings:
          - id: bad-1
            host: nzsp
            product: nzsp
            substitutions: [{dopant: Sc, site: Zr}]
            valence: aliovalent
            prov: {sections: ["1"]}
        """), "value", "bad-1", "product", 4),
    ("cell-without-electrolyte", textwrap.dedent("""\
        cells:
          - id: bad-1
            kind: full
            cathode: nzsp
            anode: na
            electrolytes: []
            prov: {sections: ["5.1"]}
        """), "missing", "bad-1", "electrolytes", 6),
    ("lineage-cycle", textwrap.dedent("""\
        materials:
          - id: bad-a
            formula: NaCl
            derived_from: [bad-b]
            prov: {sections: ["1"]}
          - id: bad-b
            formula: NaBr
            derived_from: [bad-a]
            prov: {sections: ["1"]}
        """), "cycle", None, "derived_from", None),
    ("not-utf8", "materials:\n  - id: bad-1\n    formula: Na\xe9\n".encode("latin-1"), "encoding", None, None, 3),
    ("empty-file", "   \n", "empty", None, None, 1),
    ("top-level-list", "- id: x\n", "structure", None, None, 1),
    ("zero-cycles", textwrap.dedent("""\
        cells:
          - id: bad-1
            kind: symmetric
            electrolytes: [nzsp]
            cycling: [{cycles: 0}]
            prov: {sections: ["5.1"]}
        """), "value", "bad-1", "cycling[0].cycles", 5),
    ("unknown-cycles-qualifier", textwrap.dedent("""\
        cells:
          - id: bad-1
            kind: symmetric
            electrolytes: [nzsp]
            cycling: [{cycles: 100, cycles_qualifier: roughly}]
            prov: {sections: ["5.1"]}
        """), "unknown_term", "bad-1", "cycling[0].cycles_qualifier", 5),
    ("cycles-qualifier-without-cycles", textwrap.dedent("""\
        cells:
          - id: bad-1
            kind: symmetric
            electrolytes: [nzsp]
            cycling: [{cycles_qualifier: lower_bound, rate: "1 C"}]
            prov: {sections: ["5.1"]}
        """), "missing", "bad-1", "cycling[0].cycles_qualifier", 5),
    ("unknown-temperature-qualifier", meas().replace("    prov:", "    temperature_qualifier: about\n    prov:"),
     "unknown_term", "bad-1", "temperature_qualifier", 8),
]


# An alias bomb: ten levels of nine aliases each stand for 9**10 copies of a 611-byte file's first list.
ALIAS_BOMB = "materials:\n  - id: bad-1\n    formula: NaCl\n    prov: {sections: ['1']}\n    note: &a0 [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"    n{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]\n"
    for i in range(1, 10))

# Hardening round 2: each case named after the class it stands for.
CASES += [
    # alias expansion: refused at the first alias, before anything is expanded
    ("alias-bomb", ALIAS_BOMB, "yaml", None, None, 6),
    ("alias-of-a-scalar", "materials:\n  - id: &i bad-1\n    formula: *i\n    prov: {sections: ['1']}\n", "yaml", None, None, 3),
    ("alias-in-a-merge-key", "materials:\n  - &m {id: bad-1, formula: NaCl, prov: {sections: ['1']}}\n  - <<: *m\n    id: bad-2\n",
     "yaml", None, None, 3),
    # YAML 1.1 number forms are not numbers: the value as written is kept and refused where a number is needed
    ("yaml11-base60-number", meas(value="1:30"), "type", "bad-1", "value", 5),
    ("yaml11-hex-number", meas(value="0x1F"), "type", "bad-1", "value", 5),
    ("yaml11-underscore-number", meas(value="1_0"), "type", "bad-1", "value", 5),
    ("yaml11-octal-reference", meas(ref="010"), "type", "bad-1", "prov.refs", 8),
    ("yaml11-binary-reference", meas(ref="0b11"), "type", "bad-1", "prov.refs", 8),
    ("yaml11-explicit-int-tag", meas(value="!!int 0x1F"), "yaml", None, None, 5),
    ("yaml11-explicit-float-tag", meas(value="!!float 1_0.5"), "yaml", None, None, 5),
    ("yaml11-yes-is-not-a-boolean", MAT.format(formula="NaCl", family="halide") + "    parseable: yes\n", "type", "bad-1",
     "parseable", 6),
    # user mistakes that were tracebacks or internal errors
    ("deep-nesting", "materials:\n  - id: bad-1\n    note: " + "[" * 200_000 + "]" * 200_000 + "\n", "yaml", None, None, 3),
    ("mixed-key-types", "materials:\n  - id: bad-1\n    formula: NaCl\n    prov: {sections: ['1'], 1: x}\n", "yaml", None, None, 4),
    ("unhashable-key", "materials:\n  - id: bad-1\n    ? [a, b]\n    : x\n", "yaml", None, None, 3),
]

# Hardening round 2, checks that were missing (item 11)
CASES += [
    ("cycle-in-series", textwrap.dedent("""\
        materials:
          - id: bad-a
            formula: NaCl
            series: bad-b
            prov: {sections: ["1"]}
          - id: bad-b
            formula: NaBr
            series: bad-a
            prov: {sections: ["1"]}
        """), "cycle", None, "series", None),
    ("cycle-in-dopings", textwrap.dedent("""\
        dopings:
          - id: bad-1
            host: nzsp
            product: nzsp-sc
            substitutions: [{dopant: Sc, site: Zr}]
            valence: aliovalent
            prov: {sections: ["1"]}
          - id: bad-2
            host: nzsp-sc
            product: nzsp
            substitutions: [{dopant: Zr, site: Sc}]
            valence: aliovalent
            prov: {sections: ["1"]}
        """), "cycle", None, "product", None),
    ("doping-compares-another-materials-measurement", textwrap.dedent("""\
        dopings:
          - id: bad-1
            host: nzsp
            product: nzsp-sc
            substitutions: [{dopant: Sc, site: Zr}]
            valence: aliovalent
            compares: {before: nzsp-sc-sigma, after: nzsp-sc-sigma}
            prov: {sections: ["1"]}
        """), "value", "bad-1", "compares", 7),
    ("temperature-negative-uncertainty", meas(temperature="'25 ± -3 °C'"), "temperature", "bad-1", "temperature", 7),
    ("temperature-full-width-digits", meas(temperature="'２５ °C'"), "temperature", "bad-1", "temperature", 7),
    ("temperature-arabic-indic-digits", meas(temperature="'\u0662\u0665 °C'"), "temperature", "bad-1", "temperature", 7),
]


def test_unreadable_records_folder_is_reported(mini_records):
    """Issue: an unreadable records sub-folder was skipped silently (exit 0, its records missing)."""
    import os

    if os.geteuid() == 0:  # root reads every folder: make one unreadable the way root cannot, by a broken link
        (mini_records / "sub").mkdir()
        (mini_records / "sub" / "gone.yaml").symlink_to(mini_records / "nowhere.yaml")
        expected = "gone.yaml"
    else:
        sub = mini_records / "sub"
        sub.mkdir()
        (sub / "more.yaml").write_text("materials: []\n", encoding="utf-8")
        sub.chmod(0)
        expected = "sub"
    try:
        with pytest.raises(RecordsInvalid) as info:
            load_records(mini_records)
    finally:
        (mini_records / "sub").chmod(0o755)
    errors = [e for e in info.value.errors if e.code == "unreadable"]
    assert errors and expected in str(errors[0])


def test_unreadable_records_folder_permission_denied(mini_records, monkeypatch):
    """The same through the walk's own error (as a non-root user sees it), independent of who runs the tests."""
    import os

    real = os.scandir

    def scandir(path="."):
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    (mini_records / "locked").mkdir()
    (mini_records / "locked" / "hidden.yaml").write_text("materials: []\n", encoding="utf-8")
    monkeypatch.setattr(os, "scandir", scandir)
    with pytest.raises(RecordsInvalid) as info:
        load_records(mini_records)
    errors = [e for e in info.value.errors if e.code == "unreadable"]
    assert errors and "locked" in str(errors[0]) and "Permission denied" in str(errors[0])


def test_linked_records_folder_is_reported(mini_records, tmp_path):
    other = tmp_path / "elsewhere"
    other.mkdir()
    (other / "x.yaml").write_text("materials: []\n", encoding="utf-8")
    (mini_records / "linked").symlink_to(other, target_is_directory=True)
    with pytest.raises(RecordsInvalid) as info:
        load_records(mini_records)
    assert any(e.code == "unreadable" and "linked" in str(e) for e in info.value.errors)


def test_long_lineage_chain_is_not_a_crash(mini_records):
    """Issue: a chain of 1,500+ derivations was a RecursionError (in the loader's cycle check and in lineage)."""
    n = 1600
    items = [f"  - id: chain-{i}\n    formula: NaCl\n    derived_from: [{'nzsp' if i == 0 else f'chain-{i - 1}'}]\n"
             f"    prov: {{sections: ['1']}}\n" for i in range(n)]
    (mini_records / "zz_chain.yaml").write_text("materials:\n" + "".join(items), encoding="utf-8")
    rs = load_records(mini_records)
    assert rs.count()["materials"] == 3 + n
    items.append("  - id: chain-loop\n    formula: NaCl\n    derived_from: [chain-1599]\n    prov: {sections: ['1']}\n")
    text = "materials:\n" + "".join(items)
    (mini_records / "zz_chain.yaml").write_text(text.replace("derived_from: [nzsp]", "derived_from: [chain-loop]"),
                                                encoding="utf-8")
    with pytest.raises(RecordsInvalid) as info:
        load_records(mini_records)
    assert [e.code for e in info.value.errors] == ["cycle"]


def test_alias_bomb_message_is_short(mini_records):
    """Issue: a 611-byte record file took unlimited memory, and its error message was built from the expanded value."""
    (mini_records / "zz_bad.yaml").write_text(ALIAS_BOMB, encoding="utf-8")
    assert len(ALIAS_BOMB) < 1024
    with pytest.raises(RecordsInvalid) as info:
        load_records(mini_records)
    assert len(str(info.value)) < 2000 and "aliases" in str(info.value)

@pytest.mark.parametrize(("name", "content", "code", "record", "field", "line"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_reported_precisely(mini_records, name, content, code, record, field, line):
    bad = mini_records / "zz_bad.yaml"  # sorts after the fixture files
    if isinstance(content, bytes):
        bad.write_bytes(content)
    else:
        bad.write_text(content, encoding="utf-8")
    with pytest.raises(RecordsInvalid) as info:
        load_records(mini_records)
    errors = [e for e in info.value.errors if e.location.file and e.location.file.endswith("zz_bad.yaml")]
    assert errors, f"no error located in zz_bad.yaml: {info.value}"
    err = errors[0]
    assert err.code == code, str(err)
    if record is not None:
        assert err.location.record == record, str(err)
    if field is not None:
        assert err.location.field == field, str(err)
    if line is not None:
        assert err.location.line == line, str(err)
    assert "zz_bad.yaml" in str(err)


@pytest.mark.parametrize("content, message", [
    ("materials:\n  - id: bad-1\n    note: " + "[" * 40 + "]" * 40 + "\n", "nested deeper than 32 levels"),
    ("materials:\n  - id: bad-1\n    note: " + "[" * 5000 + "]" * 5000 + "\n", "nested deeper than 32 levels"),
    ("materials:\n  - id: [a, b\n    note: x\n", "expected ',' or ']'"),
], ids=["40-deep", "5000-deep", "syntax-error"])
def test_libyaml_stopping_early_still_gives_the_depth_error(tmp_path, monkeypatch, content, message):
    """libyaml 0.2.5 (PyYAML 6.0.4's wheels) stops its scanner at its own nesting limit before the parser has
    emitted 33 levels; the pre-scan then reads the events with PyYAML's own parser, so the file is refused
    for its depth (line 3) instead of reaching the pure-Python loader, which recursed once per level."""
    import yaml

    from nakg.errors import RecordError
    from nakg.records import yamlio

    class StopsEarly(yamlio._FastLoader):
        def check_event(self, *choices):
            raise yaml.scanner.ScannerError("while increasing flow level", None, "exceeded maximum nesting depth", None)

    monkeypatch.setattr(yamlio, "_FastLoader", StopsEarly)
    bad = tmp_path / "bad.yaml"
    bad.write_text(content, encoding="utf-8")
    with pytest.raises(RecordError) as info:
        yamlio.read_yaml(bad, "bad.yaml")
    assert message in str(info.value) and info.value.location.line in (2, 3), str(info.value)


def test_catalogue_covers_the_required_kinds():
    codes = {c[2] for c in CASES}
    assert len(CASES) >= 20
    assert {"yaml", "unknown_term", "formula", "unit", "value", "unknown_reference", "duplicate_id", "dangling",
            "encoding", "empty", "cycle", "temperature", "missing"} <= codes


def test_all_errors_are_reported_together(mini_records):
    (mini_records / "zz_bad.yaml").write_text(meas(unit="eV") .replace("bad-1", "bad-2") + "\n" + MAT.format(formula="NaQq", family="halide").replace("materials:", "materials:"), encoding="utf-8")
    with pytest.raises(RecordsInvalid) as info:
        load_records(mini_records)
    assert {e.code for e in info.value.errors} >= {"unit", "formula"}


def test_mini_records_load_cleanly(mini_records):
    rs = load_records(mini_records)
    assert rs.count()["materials"] == 3
    assert rs.by_id["nzsp-sc"].get("composition")["Sc"] == pytest.approx(0.2)
    assert rs.by_id["nzsp-sigma-rt"].get("temperature").room_temperature is True


def test_section_the_review_does_not_have(mini_records):
    """Issue: section numbers the review does not have were accepted."""
    refs = mini_records / "references.yaml"
    refs.write_text(refs.read_text(encoding="utf-8").replace(
        "review:\n", "review:\n  sections: [abstract, \"1\", \"2.2.2\", \"3\", \"4.2.1\", \"4.2.2\", \"5.1\"]\n", 1), encoding="utf-8")
    assert load_records(mini_records).review.get("sections")  # the fixture cites only these
    (mini_records / "zz_bad.yaml").write_text(MAT.format(formula="NaCl", family="halide").replace('["1"]', '["9.9"]'),
                                              encoding="utf-8")
    with pytest.raises(RecordsInvalid) as info:
        load_records(mini_records)
    errors = [e for e in info.value.errors if e.code == "unknown_section"]
    assert len(errors) == 1 and "'9.9'" in str(errors[0]) and errors[0].location.record == "bad-1"


def test_section_numbers_in_the_shipped_records_are_the_reviews():
    from nakg.resources import records_dir

    rs = load_records(records_dir())
    assert len(rs.review.get("sections")) > 30
