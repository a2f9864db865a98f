"""User mistakes that were tracebacks or "internal error": each is a clear nakg error naming the file or value,
a non-zero exit and no traceback (hardening round 2, item 10)."""

from __future__ import annotations

import pytest

from .conftest import run_cli


def _no_traceback(result) -> None:
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr, result.stderr


@pytest.mark.parametrize("name, content", [
    ("utf16.rq", "SELECT * WHERE { ?s ?p ?o }".encode("utf-16")),
    ("latin1.rq", "# question: caf\xe9?\nSELECT * WHERE { ?s ?p ?o }".encode("latin-1")),
    ("binary.rq", b"\x00\x01\x02SELECT"),
])
def test_user_mistakes_unreadable_query_files(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    result = run_cli("query", str(path))
    assert result.returncode == 1, result.stderr
    assert name in result.stderr
    _no_traceback(result)


@pytest.mark.parametrize("name, content", [
    ("passwd.nt", "root:x:0:0:root:/root:/bin/bash\n"),
    ("binary.ttl", "\x00\x01\x02"),
])
def test_user_mistakes_load_a_file_that_is_not_a_graph(tmp_path, name, content):
    """Issue: nakg.load('/etc/passwd') raised the parser's raw SyntaxError."""
    import nakg
    from nakg.errors import NakgError

    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(NakgError, match=name):
        nakg.load(path)


def test_user_mistakes_output_path_is_a_file(tmp_path):
    (tmp_path / "file").write_text("x")
    result = run_cli("table", "references", "-o", str(tmp_path / "file" / "out.csv"))
    assert result.returncode == 1
    assert str(tmp_path / "file") in result.stderr
    _no_traceback(result)


def test_user_mistakes_long_lineage_chain(tmp_path, mini_records):
    """Issue: a chain of 1,500+ derivations made `nakg lineage` a RecursionError."""
    n = 1500
    items = [f"  - id: chain-{i}\n    formula: NaCl\n    derived_from: [{'nzsp' if i == 0 else f'chain-{i - 1}'}]\n"
             f"    prov: {{sections: ['1']}}\n" for i in range(n)]
    (mini_records / "zz_chain.yaml").write_text("materials:\n" + "".join(items), encoding="utf-8")
    out = tmp_path / "out"
    built = run_cli("build", "--records", str(mini_records), "-o", str(out))
    assert built.returncode == 0, built.stderr
    result = run_cli("lineage", "chain-700", "--graph", str(out / "nakg.nt"))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert any("(chain-700) *" in line for line in lines)
    assert any("(chain-1499)" in line for line in lines) and any("(nzsp)" in line for line in lines)
