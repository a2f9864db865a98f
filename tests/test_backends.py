"""Store backends: every local backend gives the same answers, loads in bulk, and the on-disk store persists.

Every competency question of ``queries/cq`` that needs no parameter runs on
rdflib's memory store, Oxigraph in memory and Oxigraph on disk; the answers
must be the same multisets of rows (floats compared with a tolerance: Oxigraph
keeps numbers by value, rdflib by lexical form).
"""

from __future__ import annotations

import math
from decimal import Decimal

import pytest

import nakg
from nakg.queries import list_queries
from nakg.store import DEFAULT_STORE, LOCAL_STORES, STORES, load_into, open_graph, resolve

CQS = [q for q in list_queries("cq") if not any(p.required for p in q.params)]


def test_competency_questions_without_parameters_exist():
    assert len(CQS) >= 1
    assert len(CQS) == len([q for q in list_queries("cq") if all(not p.required for p in q.params)])


@pytest.fixture(scope="module")
def backends(built, tmp_path_factory):
    """The built graph loaded on every local backend."""
    disk = tmp_path_factory.mktemp("disk-store") / "kg"
    graphs = {"memory": nakg.load(built.outputs["nt"], store="memory"),
              "oxigraph": nakg.load(built.outputs["nt"], store="oxigraph"),
              "disk": nakg.load(built.outputs["nt"], store=str(disk))}
    assert set(graphs) == set(LOCAL_STORES)
    return graphs


def _canonical(rows: list[dict]) -> list[tuple]:
    """Rows as sorted tuples; numbers become floats (compared with a tolerance afterwards)."""
    def value(v):
        if isinstance(v, bool) or v is None:
            return (0, v)
        if isinstance(v, (int, float, Decimal)):
            return (1, float(v))
        return (2, str(v))

    return sorted(tuple(sorted((k, value(v)) for k, v in row.items())) for row in rows)


def _same(a: list[tuple], b: list[tuple]) -> bool:
    if len(a) != len(b):
        return False
    for ra, rb in zip(a, b, strict=True):
        if [k for k, _ in ra] != [k for k, _ in rb]:
            return False
        for (_, (ta, va)), (_, (tb, vb)) in zip(ra, rb, strict=True):
            if ta != tb:
                return False
            if ta == 1 and not math.isclose(va, vb, rel_tol=1e-9, abs_tol=1e-300):
                return False
            if ta != 1 and va != vb:
                return False
    return True


@pytest.mark.parametrize("query", CQS, ids=[q.name for q in CQS])
def test_competency_question_same_answer_on_every_local_backend(query, backends):
    answers = {name: _canonical(query.run(kg).rows) for name, kg in backends.items()}
    reference = answers["memory"]
    for name, rows in answers.items():
        assert _same(rows, reference), f"{query.name}: {name} differs from memory ({len(rows)} vs {len(reference)} rows)"


def test_every_backend_holds_the_same_number_of_triples(backends):
    sizes = {name: len(kg) for name, kg in backends.items()}
    assert len(set(sizes.values())) == 1 and sizes["memory"] > 10000, sizes


def test_registry_and_store_specs():
    assert {"memory", "oxigraph", "disk"} <= set(STORES) and DEFAULT_STORE == "oxigraph"
    assert resolve("oxigraph") == ("oxigraph", None)
    assert resolve("./kg")[0] == "disk" and resolve("/tmp/x/kg")[0] == "disk"
    with pytest.raises(ValueError, match="unknown store 'oxigrpah'"):
        resolve("oxigrpah")
    with pytest.raises(ValueError, match="needs a directory"):
        open_graph("disk")
    with pytest.raises(ValueError, match="cannot open an on-disk location"):
        open_graph("memory", path="somewhere")


def test_bulk_load_into_oxigraph_matches_rdflib_parse(built):
    ox = load_into(open_graph("oxigraph"), [built.outputs["nt"]])
    mem = load_into(open_graph("memory"), [built.outputs["nt"]])
    assert len(ox) == len(mem) == built.triples


def test_disk_store_persists_and_reloads_only_when_its_input_changed(built, tmp_path):
    from nakg.store import disk

    where = tmp_path / "kg"
    first = nakg.load(built.outputs["nt"], store=str(where))
    n = len(first)
    key = disk.get_meta(first.graph, "source")
    first.graph.close()
    # a second load finds the data already there (same key) and keeps it
    second = nakg.load(built.outputs["nt"], store=str(where))
    assert len(second) == n and disk.get_meta(second.graph, "source") == key
    second.graph.close()
    # changed input: the store is cleared and refilled
    small = tmp_path / "small.nt"
    small.write_text("<https://w3id.org/nakg/resource/x> <http://www.w3.org/2000/01/rdf-schema#label> \"x\" .\n")
    third = nakg.load(small, store=str(where))
    assert disk.get_meta(third.graph, "source") != key
    assert n - len(third) == built.triples - 1
    third.graph.close()


def test_disk_store_keeps_asserted_and_inferred_states_apart(mini_records, tmp_path, monkeypatch):
    """An inferred load does not leak its inferences into a later plain load of the same on-disk store,
    and a repeated inferred load reuses the store and the cached reasoning instead of reasoning again."""
    import nakg.reason
    import nakg.store as stores
    from nakg.store import disk

    where = str(tmp_path / "kg")
    monkeypatch.setenv("NAKG_CACHE_DIR", str(tmp_path / "cache"))
    plain = nakg.load(records=mini_records, store=where)
    n_asserted = len(plain)
    assert disk.get_meta(plain.graph, "state") == "asserted"
    plain.graph.close()

    inferred = nakg.load(records=mini_records, store=where, inferred=True, reasoner="owlrl")
    n_inferred = len(inferred)
    assert n_inferred > n_asserted and inferred.reasoning is not None
    assert disk.get_meta(inferred.graph, "state").startswith("inferred owlrl ")
    inferred.graph.close()

    loads = []
    monkeypatch.setattr("nakg.api.load_into", lambda graph, files: loads.append(files) or stores.load_into(graph, files))
    monkeypatch.setattr(nakg.reason, "add_inferred", lambda *a, **k: pytest.fail("reasoned again"))
    again = nakg.load(records=mini_records, store=where, inferred=True, reasoner="owlrl")
    assert len(again) == n_inferred and not loads, "the inferred store is reused as it is"
    assert again.reasoning.class_members == inferred.reasoning.class_members
    again.graph.close()

    back = nakg.load(records=mini_records, store=where)
    assert len(back) == n_asserted and len(loads) == 1, "a plain load reloads the asserted triples only"
    assert disk.get_meta(back.graph, "state") == "asserted"
    back.graph.close()


def test_load_without_path_uses_the_cache_and_matches_the_build(built, tmp_path, monkeypatch):
    from nakg.build import compiled_graph_file

    monkeypatch.setenv("NAKG_CACHE_DIR", str(tmp_path / "cache"))
    first = compiled_graph_file()
    assert first.parent == tmp_path / "cache" and first.is_file()
    inode = first.stat().st_ino
    assert compiled_graph_file() == first and first.stat().st_ino == inode  # second call: no recompilation (same file)
    kg = nakg.load()
    assert len(kg) == len(nakg.load(built.outputs["nt"]))


def test_cache_pruning_spares_graphs_in_use(tmp_path):
    """Processes with other inputs share the cache folder: a graph used in the last hour is never pruned under another."""
    import os
    import time

    from nakg.build import _prune_cache

    now = time.time()
    for i in range(12):
        f = tmp_path / f"graph-{i:02d}.nt"
        f.write_text("")
        age = 7200 if i < 6 else 60  # six unused for two hours, six just used
        os.utime(f, (now - age - i, now - age - i))
    _prune_cache(tmp_path, keep=4)
    left = sorted(f.name for f in tmp_path.iterdir())
    assert left == [f"graph-{i:02d}.nt" for i in range(6, 12)]


def test_cache_key_changes_with_the_records(mini_records):
    from nakg.build import inputs_key

    before = inputs_key(mini_records)
    path = mini_records / "nasicon.yaml"
    path.write_text(path.read_text().replace("value: 6.7e-4", "value: 6.8e-4"))
    assert inputs_key(mini_records) != before


def test_load_command_fills_a_disk_store_once(built, tmp_path):
    from click.testing import CliRunner

    from nakg.commands.load import load

    where = tmp_path / "kg"
    first = CliRunner().invoke(load, [str(built.outputs["nt"]), "--store", str(where)])
    second = CliRunner().invoke(load, [str(built.outputs["nt"]), "--store", str(where)])
    assert first.exit_code == 0 and second.exit_code == 0, first.output + second.output
    assert first.output.split()[0] == second.output.split()[0] == str(len(nakg.load(built.outputs["nt"])))
    bad = CliRunner().invoke(load, ["--store", "oxigrpah"])
    assert bad.exit_code == 2 and "unknown store 'oxigrpah'" in bad.output
