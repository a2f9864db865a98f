"""Benchmark nakg at review size and at literature size: one run prints a table and writes a JSON file.

    python benchmarks/run.py            # review (~16k triples), ~100k and ~1M triples (about 20 minutes)
    python benchmarks/run.py --quick    # review and ~100k only
    python benchmarks/run.py --only reason --sizes review --out /tmp/reason.json   # some stages and sizes
    python benchmarks/run.py --scale 1m   # the build pipeline at review size and ~1M (fast path vs the rdflib path)
    python benchmarks/run.py --scale 10m  # … and a ~10M-triple corpus (20,000 papers): build, load, SHACL, CQs

Stages (each in its own subprocess, so its peak memory is its own):

* ``build``   — whole-process ``nakg build`` of the shipped records (median of 3);
                for the synthetic sizes the one build that makes their graph.
* ``load``    — :func:`nakg.load` of the built N-Triples (ontology included).
* ``shacl``   — :func:`nakg.validate.validate_graph`: on the default backend the
                compiled engine, on rdflib-memory pySHACL as before.
* ``cq:*``    — every competency question without a required parameter.
* ``reason``  — the SPARQL derivation rules of :mod:`nakg.reason.derive` (if present);
                at review size also ``nakg reason`` with HermiT, whole process,
                cold cache, on the reduced ABox and on every assertion (``--whole-abox``).
* ``export:*``— N-Triples and Turtle exports of :mod:`nakg.export` (if present).
* ``probe:*`` — Oxigraph alone, without nakg: loading the N-Triples file and a
                two-pattern COUNT join; shows how the store itself grows with size
                (a diagnostic; not counted in the growth target).

``--scale`` measures the pipeline a curator runs (``build_stages``): whole-process
``nakg build --records`` with an empty record cache, again with nothing changed,
after one record file changed (checked byte for byte against a clean build), and
at 1M the rdflib reference path (``build(engine="rdflib")``, the pipeline before
the N-Triples sink) for the ratio; then ``nakg load`` into an on-disk store (whole
process), SHACL and every CQ on the default backend, and the growth between sizes.
The 10M corpus is opt-in; its rdflib path is not run (it would need ~23 GB).

Each figure is measured on the default backend (Oxigraph in memory) and on
rdflib's memory store side by side, with wall time (median of repeats), CPU time
and the stage process's peak resident memory. The machine is described in the
JSON (cores, memory, load average before and after: wall times on a loaded
machine are longer than the CPU times).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
TARGETS = {"review": 16_000, "100k": 100_000, "1M": 1_000_000}
TRIPLES_PER_PAPER = 520  # first guess; corrected from the 100k build
DEFAULT, MEMORY = "oxigraph", "memory"


# --- worker: one stage in this process --------------------------------------------------------------
def _peak_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _timed(fn, repeat: int, budget: float, before=None):
    """Median wall and CPU time of ``fn`` over ``repeat`` runs; ``before()`` runs untimed ahead of each."""
    walls, cpus, value = [], [], None
    start = time.perf_counter()
    for _ in range(repeat):
        if before is not None:
            before()
        w, c = time.perf_counter(), time.process_time()
        value = fn()
        walls.append(time.perf_counter() - w)
        cpus.append(time.process_time() - c)
        if time.perf_counter() - start > budget:
            break
    return {"wall": statistics.median(walls), "cpu": statistics.median(cpus), "runs": len(walls)}, value


class _Timeout(BaseException):  # not an Exception: nakg's error wrapping must not swallow it
    pass


def _limit(seconds: float):
    """Raise _Timeout in this (pure-Python) computation after ``seconds``."""
    import signal

    def handler(signum, frame):
        raise _Timeout

    signal.signal(signal.SIGALRM, handler)
    signal.setitimer(signal.ITIMER_REAL, max(0.01, seconds))


def _unlimit():
    import signal

    signal.setitimer(signal.ITIMER_REAL, 0)


def _free(holder: list) -> None:
    import gc

    holder.clear()
    gc.collect()


def worker(args) -> dict:
    import gc

    import nakg

    out: dict = {}

    def save():
        if args.result:
            Path(args.result).write_text(json.dumps(out | {"peak_mb": _peak_mb()}))
    if args.stage == "cli":  # a nakg command line (``--nt`` holds its arguments as JSON); peaks of it and its children
        import resource

        from nakg.cli import main as cli

        code = 0
        try:
            cli.main(json.loads(str(args.nt)), standalone_mode=False)
        except SystemExit as exc:  # pragma: no cover - click's exit
            code = exc.code or 0
        Path(args.result).write_text(json.dumps({
            "self_peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "children_peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
        raise SystemExit(code)
    if args.stage == "pybuild":  # the rdflib reference path of the build, whole process
        from nakg.build import build

        corpus, out = json.loads(str(args.nt))
        build(corpus, out_dir=out, engine="rdflib", cache=False)
        return {"peak_mb": _peak_mb()}
    if args.stage == "probe":
        # Oxigraph alone, no nakg code: how the store itself grows (diagnostic, not a nakg stage)
        import pyoxigraph as ox

        holder = []

        def raw_load():
            store = ox.Store()
            store.load(path=str(args.nt), format=ox.RdfFormat.N_TRIPLES, lenient=True)
            holder.append(store)

        out["probe:oxigraph load"], _ = _timed(raw_load, args.repeat, args.budget, before=lambda: _free(holder))
        join = ("SELECT (COUNT(*) AS ?n) WHERE { ?m a <https://w3id.org/nakg/IonicConductivity> ; "
                "<https://w3id.org/nakg/canonicalValue> ?v }")
        out["probe:oxigraph 2-pattern join"], n = _timed(lambda: int(next(iter(holder[0].query(join)))[0].value),
                                                        args.repeat, args.budget)
        out["probe:oxigraph 2-pattern join"]["rows"] = n
    elif args.stage == "load":
        holder: list = []

        def once():
            holder.append(nakg.load(args.nt, store=args.store))

        # the previous graph is freed (untimed) before the next load: peak memory is one graph's
        out["load"], _ = _timed(once, args.repeat, args.budget, before=lambda: _free(holder))
        out["triples_loaded"] = len(holder[0])
    else:
        kg = nakg.load(args.nt, store=args.store)
        if args.stage == "shacl":
            from rdflib import Graph

            from nakg.resources import ontology_path
            from nakg.validate import validate_graph

            ontology = Graph().parse(ontology_path(), format="turtle")
            engine = "pyshacl" if args.store == MEMORY else "auto"
            out["shacl"], report = _timed(lambda: validate_graph(kg.graph, ontology, engine=engine), 1, args.budget)
            out["shacl"]["violations"] = report.violation_count
            out["shacl"]["engine"] = engine
        elif args.stage == "cq":
            from nakg.errors import UnknownValue
            from nakg.queries import list_queries

            start = time.perf_counter()
            for q in list_queries("cq"):
                if any(p.required for p in q.params):
                    continue
                key = f"cq:{q.name[3:]}"
                try:
                    text = q.bind(kg)  # parameters at their defaults (materials resolved in the graph)
                except UnknownValue as exc:  # a default the review holds and a synthetic corpus does not ("Table 1")
                    out[key] = {"skipped": f"default not in this graph: {exc}"}
                    save()
                    continue
                left = args.budget - (time.perf_counter() - start)
                if left <= 0:
                    out[key] = {"skipped": "time budget"}
                    continue
                cap = min(left, args.cap)
                try:
                    _limit(cap)
                    first = time.perf_counter()
                    rows = len(kg.query(text))  # the first run is not counted when the query is repeated
                    single = time.perf_counter() - first
                    _unlimit()
                    if single < 1 and args.repeat > 1:
                        timing, rows = _timed(lambda text=text: len(kg.query(text)), args.repeat, args.budget)
                    else:
                        timing = {"wall": single, "cpu": None, "runs": 1}
                    out[key] = timing | {"rows": rows}
                except _Timeout:
                    out[key] = {"skipped": f"timeout > {cap:.0f} s", "timeout": cap}
                except Exception as exc:  # noqa: BLE001 - a backend that cannot run the query
                    out[key] = {"skipped": f"error: {type(exc).__name__}: {str(exc)[:120]}"}
                finally:
                    _unlimit()
                save()
        elif args.stage == "reason":
            try:
                from nakg.reason.derive import derive
            except ImportError as exc:
                out["reason"] = {"skipped": f"nakg.reason not available ({exc})"}
            else:
                out["reason"], derived = _timed(lambda: derive(kg.graph), 1, args.budget)
                out["reason"]["derived_triples"] = len(derived)
        elif args.stage == "export":
            try:
                from nakg.export import export
            except ImportError as exc:
                out["export"] = {"skipped": f"nakg.export not available ({exc})"}
            else:
                with tempfile.TemporaryDirectory() as tmp:
                    for fmt, suffix in (("ntriples", "nt"), ("turtle", "ttl")):
                        def write(fmt=fmt, suffix=suffix):
                            return export(kg, fmt, Path(tmp) / f"x.{suffix}")

                        out[f"export:{fmt}"], _ = _timed(write, 1, args.budget)
    out["peak_mb"] = _peak_mb()
    return out


# --- orchestration ---------------------------------------------------------------------------------
def _run(cmd: list[str], timeout: float, env: dict | None = None) -> tuple[int | None, str, float, float]:
    """Run a subprocess; return (exit code or None on timeout, stdout, wall seconds, peak MB)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        stdout, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        return None, "", time.perf_counter() - start, float("nan")
    wall = time.perf_counter() - start
    import resource

    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # upper bound over children so far
    return proc.returncode, stdout, wall, peak


def stage(name: str, nt: Path, store: str, repeat: int, budget: float, timeout: float, cap: float = 30) -> dict:
    partial = Path(tempfile.mkstemp(suffix=".json")[1])
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", name, "--nt", str(nt), "--store", store,
           "--repeat", str(repeat), "--budget", str(budget), "--result", str(partial), "--cap", str(cap)]
    code, stdout, wall, _ = _run(cmd, timeout)
    if code is None:
        done = json.loads(partial.read_text() or "{}") if partial.stat().st_size else {}
        partial.unlink()
        return done | {name if name != "cq" else "cq:(remaining)": {"skipped": f"timeout after {timeout:.0f} s"}}
    partial.unlink()
    if code != 0:
        return {name: {"skipped": f"failed (exit {code})"}}
    return json.loads(stdout.strip().splitlines()[-1])


def build_review(work: Path, repeat: int) -> dict:
    walls, cpus, peaks = [], [], []
    for i in range(repeat):
        out = work / f"review-build-{i}"
        start = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "nakg", "build", "--full", "-o", str(out)], stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
        walls.append(time.perf_counter() - start)
        cpus.append(usage.ru_utime + usage.ru_stime)
        peaks.append(usage.ru_maxrss / 1024)
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit("nakg build failed on the shipped records")
    manifest = json.loads((work / "review-build-0" / "manifest.json").read_text())
    return {"wall": statistics.median(walls), "cpu": statistics.median(cpus), "runs": repeat, "peak_mb": max(peaks),
            "walls": walls, "triples": manifest["triples"], "nt": str(work / "review-build-0" / "nakg.nt")}


#: The HermiT reasoning stage as ``nakg reason`` runs it, on the reduced ABox and on every assertion.
REASON_MODES = {"reduced ABox": [], "whole ABox": ["--whole-abox"]}
REASON_STAGE = "reason (HermiT, cold cache, whole process)"


def reason_review(work: Path, repeat: int) -> dict:
    """``python -m nakg reason`` of the shipped records, each run with an empty cache folder; the two inputs alternate.

    Returns per mode the median wall, CPU (the Java runs included) and peak memory, and the
    step timings of ``reasoning.json`` of the last run; "outside reason()" is Python start-up,
    imports, compiling the records and writing the outputs.
    """
    runs: dict = {mode: {"walls": [], "cpus": [], "peaks": []} for mode in REASON_MODES}
    for i in range(repeat):
        for mode, flags in REASON_MODES.items():
            out = work / f"reason-{i}-{mode.split()[0]}"
            with tempfile.TemporaryDirectory(prefix="nakg-cold-cache-") as cache:
                start = time.perf_counter()
                proc = subprocess.Popen([sys.executable, "-m", "nakg", "reason", "-o", str(out), *flags],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                        env=os.environ | {"NAKG_CACHE_DIR": cache})
                _, status, usage = os.wait4(proc.pid, 0)
                wall = time.perf_counter() - start
            if os.waitstatus_to_exitcode(status) != 0:
                raise SystemExit(f"nakg reason {' '.join(flags)} failed on the shipped records")
            summary = json.loads((out / "reasoning.json").read_text())
            if summary["reasoner"] != "hermit":
                return {"skipped": "HermiT did not run (no Java): nakg reason fell back to owlrl"}
            r = runs[mode]
            r["walls"].append(wall)
            r["cpus"].append(usage.ru_utime + usage.ru_stime)
            r["peaks"].append(usage.ru_maxrss / 1024)
            r["timings"] = summary["timings_s"] | {"outside reason()": wall - sum(summary["timings_s"].values())}
            r["inferred"] = (out / "inferred.nt").read_bytes()
    same = len({r.pop("inferred") for r in runs.values()}) == 1
    out = {mode: {"wall": statistics.median(r["walls"]), "cpu": statistics.median(r["cpus"]), "runs": repeat,
                  "peak_mb": max(r["peaks"]), "walls": r["walls"], "timings": r["timings"]} for mode, r in runs.items()}
    new, old = out["reduced ABox"], out["whole ABox"]
    return out | {"ratio": new["wall"] / old["wall"], "cpu_ratio": new["cpu"] / old["cpu"], "same_inferred": same}


def build_synthetic(work: Path, papers: int, seed: int) -> dict:
    corpus, out = work / f"synth-{papers}-{seed}", work / f"synth-{papers}-{seed}-build"
    manifest = out / "manifest.json"
    if not manifest.is_file():
        from nakg.synth import generate

        t = time.perf_counter()
        generate(papers, seed=seed, out_dir=corpus)
        gen = time.perf_counter() - t
        start = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "nakg", "build", "--records", str(corpus), "-o", str(out)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        _, status, usage = os.wait4(proc.pid, 0)
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit(f"nakg build failed on the synthetic corpus: {proc.stderr.read()[-2000:]}")
        info = {"generate_wall": gen, "wall": time.perf_counter() - start, "cpu": usage.ru_utime + usage.ru_stime,
                "peak_mb": usage.ru_maxrss / 1024, "runs": 1}
        (out / "bench-build.json").write_text(json.dumps(info))
    info = json.loads((out / "bench-build.json").read_text())
    return info | {"triples": json.loads(manifest.read_text())["triples"], "papers": papers, "nt": str(out / "nakg.nt")}


def _whole(cmd_stage: str, arg, env: dict | None = None) -> dict:
    """One whole-process run of a worker stage (``cli``: a nakg command line): wall, CPU (with its children) and peaks."""
    partial = Path(tempfile.mkstemp(suffix=".json")[1])
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", cmd_stage, "--nt", json.dumps(arg),
           "--result", str(partial)]
    with tempfile.TemporaryFile("w+") as stdout, tempfile.TemporaryFile("w+") as stderr:  # files: a pipe could fill
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=stdout, stderr=stderr, text=True, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        stdout.seek(0)
        stderr.seek(0)
        out, err = stdout.read(), stderr.read()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{cmd_stage} {arg} failed: {err[-2000:]}")
    info = {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "runs": 1, "peak_mb": usage.ru_maxrss / 1024}
    try:
        peaks = json.loads(partial.read_text() or "{}")
    except ValueError:
        peaks = {}
    partial.unlink()
    if cmd_stage == "pybuild":
        peaks = json.loads(out.strip().splitlines()[-1]) if out.strip() else {}
        info["peak_mb"] = peaks.get("peak_mb", info["peak_mb"])
    else:
        info |= {k: v for k, v in peaks.items() if k.endswith("_peak_mb")}
        how = [line for line in out.splitlines() if line.startswith(("incremental rebuild", "full build"))]
        if how:  # what nakg build says it did
            info["how"] = how[0]
    return info


def _touch_one_file(corpus: Path) -> tuple[Path, str]:
    """Change one record file of ``corpus`` as a curator would (an alias added to its first electrolyte); return
    the file and its old text."""
    files = sorted(corpus.glob("papers-*.yaml"))
    target = files[len(files) // 2]
    text = target.read_text(encoding="utf-8")
    anchor = "\n  roles: [electrolyte]\n"
    if anchor not in text:
        raise SystemExit(f"no electrolyte in {target} to change")
    target.write_text(text.replace(anchor, anchor + "  aliases: [benchmark-edit]\n", 1), encoding="utf-8")
    return target, text


def build_stages(work: Path, papers: int, seed: int, reference: bool) -> tuple[dict, dict]:
    """The curator's pipeline on a synthetic corpus of ``papers``: cold, unchanged and incremental ``nakg build``
    (whole process), and when ``reference`` the rdflib reference path and the check of the incremental build
    against a clean one. Returns (stages, info)."""
    import shutil

    corpus, out = work / f"synth-{papers}-{seed}", work / f"scale-{papers}-{seed}"
    gen = None
    if not (corpus / "common.yaml").is_file():
        from nakg.synth import generate

        t = time.perf_counter()
        generate(papers, seed=seed, out_dir=corpus)
        gen = time.perf_counter() - t
    cache = work / f"scale-cache-{papers}"
    shutil.rmtree(cache, ignore_errors=True)
    env = dict(os.environ, NAKG_CACHE_DIR=str(cache))
    stages: dict = {}

    def cli(name: str, *argv: str) -> dict:
        print(f"    {name} …", file=sys.stderr, flush=True)
        stages[name] = {DEFAULT: _whole("cli", list(argv), env)}
        return stages[name][DEFAULT]

    cli("build: nakg build, empty record cache", "build", "--full", "--records", str(corpus), "-o", str(out / "cold"))
    cli("build: nakg build --full, record cache warm", "build", "--full", "--records", str(corpus), "-o", str(out / "warm"))
    cli("build: nakg build, nothing changed", "build", "--records", str(corpus), "-o", str(out / "warm"))
    target, text = _touch_one_file(corpus)
    try:
        cli("build: nakg build, one file changed", "build", "--records", str(corpus), "-o", str(out / "warm"))
        if reference:  # the incremental build is byte for byte a clean build of the changed corpus
            clean_env = dict(env, NAKG_CACHE_DIR=str(work / f"scale-cache-{papers}-clean"))
            shutil.rmtree(clean_env["NAKG_CACHE_DIR"], ignore_errors=True)
            _whole("cli", ["build", "--full", "--records", str(corpus), "-o", str(out / "clean")], clean_env)
            shutil.rmtree(clean_env["NAKG_CACHE_DIR"], ignore_errors=True)
            same = all((out / "warm" / n).read_bytes() == (out / "clean" / n).read_bytes()
                       for n in ("nakg.nt", "nakg.ttl", "void.ttl", "record-index.json", "validation.txt",
                                 "manifest.json"))
            stages["build: nakg build, one file changed"][DEFAULT]["identical_to_clean_build"] = same
    finally:
        target.write_text(text, encoding="utf-8")
    if reference:
        print("    build: rdflib reference path …", file=sys.stderr, flush=True)
        ref = _whole("pybuild", [str(corpus), str(out / "rdflib")], env)
        ref["identical_output"] = all((out / "rdflib" / n).read_bytes() == (out / "cold" / n).read_bytes()
                                      for n in ("nakg.nt", "nakg.ttl", "void.ttl", "record-index.json"))
        stages["build: nakg build, empty record cache"][MEMORY] = ref
        cold = stages["build: nakg build, empty record cache"]
        cold["ratio"] = cold[DEFAULT]["wall"] / ref["wall"]
    manifest = json.loads((out / "cold" / "manifest.json").read_text())
    store = out / "store"
    shutil.rmtree(store, ignore_errors=True)
    cli("load: nakg load into an on-disk store", "load", str(out / "cold" / "nakg.nt"), "--store", str(store))
    shutil.rmtree(store, ignore_errors=True)
    info = {"triples": manifest["triples"], "papers": papers, "nt": str(out / "cold" / "nakg.nt"),
            "files": len(manifest["files"]), "generate_wall": gen}
    return stages, info


def machine() -> dict:
    info = {"python": platform.python_version(), "platform": platform.platform(), "cores": os.cpu_count(),
            "load_average": os.getloadavg()}
    try:
        cpu = [ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text().splitlines()
               if ln.startswith("model name")]
        info["cpu"] = cpu[0] if cpu else platform.processor()
        mem = [ln for ln in Path("/proc/meminfo").read_text().splitlines() if ln.startswith("MemTotal")]
        info["memory_gb"] = round(int(mem[0].split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    from importlib.metadata import version

    info["packages"] = {p: version(p) for p in ("nakg", "rdflib", "pyoxigraph", "oxrdflib", "pyshacl")}
    return info


def _fmt(x, unit="s") -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "—"
    if unit == "s":
        return f"{x * 1000:.1f} ms" if x < 1 else f"{x:.2f} s"
    return f"{x:.0f} MB"


def table(results: dict) -> str:
    lines = []
    for size, data in results["sizes"].items():
        papers = f" ({data['papers']} synthetic papers)" if data.get("papers") else ""
        lines.append(f"\n## {size}: {data['triples']} triples{papers}")
        lines.append(f"| stage | {DEFAULT} wall | {DEFAULT} cpu | {MEMORY} wall | default ÷ memory "
                     f"| peak MB ({DEFAULT} / {MEMORY}) |")
        lines.append("| --- | --- | --- | --- | --- | --- |")
        for name, per in data["stages"].items():
            d, m = per.get(DEFAULT, {}), per.get(MEMORY, {})
            ratio, bound = per.get("ratio"), per.get("ratio_at_most")
            compare = (f"{ratio:.3f} ({1 / ratio:.0f}× faster)" if ratio else
                       f"< {bound:.4f} (> {1 / bound:.0f}× faster)" if bound else "—")
            lines.append(f"| {name} | {_fmt(d.get('wall')) if 'wall' in d else d.get('skipped', '—')} | {_fmt(d.get('cpu'))} | "
                         f"{_fmt(m.get('wall')) if 'wall' in m else m.get('skipped', '—')} | {compare} | "
                         f"{_fmt(d.get('peak_mb'), 'MB')} / {_fmt(m.get('peak_mb'), 'MB')} |")
    hermit = results.get("reason_hermit")
    if hermit and hermit.get("skipped"):
        lines.append(f"\n## {REASON_STAGE}: {hermit['skipped']}")
    elif hermit:
        lines.append(f"\n## {REASON_STAGE}, review: median of {hermit['reduced ABox']['runs']}")
        lines.append("| input | wall | cpu (Java included) | peak MB | steps |\n| --- | --- | --- | --- | --- |")
        for mode in REASON_MODES:
            h = hermit[mode]
            steps = ", ".join(f"{k} {_fmt(v)}" for k, v in h["timings"].items())
            lines.append(f"| {mode} | {_fmt(h['wall'])} | {_fmt(h['cpu'])} | {_fmt(h['peak_mb'], 'MB')} | {steps} |")
        lines.append(f"reduced ÷ whole: wall {hermit['ratio']:.2f} ({1 / hermit['ratio']:.1f}× faster), "
                     f"cpu {hermit['cpu_ratio']:.2f}; same inferred.nt: {'yes' if hermit['same_inferred'] else 'NO'}")
    if results.get("growth"):
        rows = results.get("rows_growth", {})
        lines.append(f"\n## growth t(1M) / t(100k), default backend (triples × {results.get('triples_growth', 0):.1f})")
        lines.append("| stage | time ratio | answer rows ratio | time ratio ÷ rows ratio |\n| --- | --- | --- | --- |")
        lines += [f"| {k} | {v:.1f} | {rows[k]:.1f} | {v / rows[k]:.2f} |" if k in rows else f"| {k} | {v:.1f} | — | — |"
                  for k, v in results["growth"].items()]
    lines.append("\n## targets")
    lines += [f"- {'PASS' if ok else 'MISS'}: {text}" for text, ok in results["targets"]]
    return "\n".join(lines)


def evaluate(results: dict) -> list:
    targets = []
    review = results["sizes"].get("review", {}).get("stages", {})
    if "build (whole process)" in review:
        build = review["build (whole process)"][DEFAULT]
        targets.append((f"nakg build of the review ≤ 2 s (wall {build['wall']:.2f} s, cpu {build['cpu']:.2f} s)",
                        build["wall"] <= 2))
    if "wall" in review.get("load", {}).get(DEFAULT, {}):
        load = review["load"][DEFAULT]
        targets.append((f"nakg.load() of the review ≤ 0.5 s (wall {load['wall']:.3f} s)", load["wall"] <= 0.5))
    hermit = results.get("reason_hermit")
    if hermit and not hermit.get("skipped"):
        new, old = hermit["reduced ABox"], hermit["whole ABox"]
        targets.append((f"nakg reason (HermiT) of the review, cold cache, ≤ 5 s (wall {new['wall']:.2f} s, "
                        f"cpu {new['cpu']:.2f} s; every assertion: {old['wall']:.2f} s)",
                        new["wall"] <= 5 and hermit["same_inferred"]))
    cqs = {k: v[DEFAULT]["wall"] for k, v in review.items() if k.startswith("cq:") and "wall" in v.get(DEFAULT, {})}
    if cqs:
        worst = max(cqs, key=cqs.get)
        targets.append((f"every CQ ≤ 10 ms on the review (slowest {worst}: {cqs[worst] * 1000:.1f} ms)", cqs[worst] <= 0.010))
    big = results["sizes"].get("1M")
    if big:
        s = big["stages"]
        targets.append((f"1M load ≤ 5 s ({_fmt(s['load'][DEFAULT].get('wall'))})", s["load"][DEFAULT].get("wall", 1e9) <= 5))
        cqs = {k: v[DEFAULT].get("wall", 1e9) for k, v in s.items() if k.startswith("cq:")}
        worst = max(cqs, key=cqs.get)
        targets.append((f"1M every CQ ≤ 1.5 s (slowest {worst}: {_fmt(cqs[worst])})", cqs[worst] <= 1.5))
        sh = s["shacl"][DEFAULT].get("wall", 1e9)
        targets.append((f"1M SHACL ≤ 45 s ({_fmt(sh)})", sh <= 45))
        peak = max(v[DEFAULT].get("peak_mb", 0) for k, v in s.items() if k != "build (records → graph)" and DEFAULT in v)
        targets.append((f"1M peak memory ≤ 1 GB per stage on the default backend ({peak:.0f} MB)", peak <= 1024))
        lr = s["load"].get("ratio")
        speedup = (1 / lr) if lr else float("nan")
        targets.append((f"1M load ≥ 10× faster than rdflib-memory ({speedup:.0f}×)", bool(lr) and speedup >= 10))
        joins = [1 / (v.get("ratio") or v["ratio_at_most"]) for k, v in s.items()
                 if k.startswith("cq:") and (v.get("ratio") or v.get("ratio_at_most"))]
        if joins:
            targets.append((f"1M join queries ≥ 20× faster than rdflib-memory (median {statistics.median(joins):.0f}×, "
                            f"min {min(joins):.0f}×, over {len(joins)} queries; where rdflib timed out the timeout is used, "
                            f"a lower bound)", statistics.median(joins) >= 20))
        growth = {k: v for k, v in results.get("growth", {}).items() if not k.startswith(("build", "probe:"))}
        worst = max(growth.items(), key=lambda kv: kv[1]) if growth else None
        if worst:
            over = sorted((k for k, v in growth.items() if v > 12), key=growth.get, reverse=True)
            targets.append((f"every stage t(1M)/t(100k) ≤ 12 (worst {worst[0]}: {worst[1]:.1f}; over 12: "
                            f"{', '.join(f'{k} {growth[k]:.1f}' for k in over) or 'none'})", worst[1] <= 12))
    return targets


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="review and ~100k triples only")
    ap.add_argument("--out", type=Path, default=HERE / "results.json", help="JSON output")
    ap.add_argument("--work", type=Path, default=None, help="folder for corpora and builds (kept between runs)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--scale", choices=["1m", "10m"], help="the build pipeline: review and ~1M (and ~10M) triples, "
                    "whole-process builds, incremental rebuild, load, SHACL and CQs on the default backend")
    ap.add_argument("--papers", help="papers per scale size, e.g. 1M=200,10M=2000 (a quick trial of --scale)")
    ap.add_argument("--report", type=Path, help="print the table and targets of an earlier run's JSON, measure nothing")
    ap.add_argument("--only", help="comma-separated stages to measure (build, load, shacl, cq, reason, export, probe); "
                                   "default all")
    ap.add_argument("--sizes", help="comma-separated sizes (review, 100k, 1M); default all, or review,100k with --quick")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("--nt", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--store", help=argparse.SUPPRESS)
    ap.add_argument("--repeat", type=int, default=5, help=argparse.SUPPRESS)
    ap.add_argument("--budget", type=float, default=60, help=argparse.SUPPRESS)
    ap.add_argument("--result", help=argparse.SUPPRESS)
    ap.add_argument("--cap", type=float, default=30, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        args.stage = args.worker
        print(json.dumps(worker(args)))
        return
    if args.report:
        results = json.loads(args.report.read_text())
        if "1M" in results["sizes"] and "build: nakg build, empty record cache" in results["sizes"]["1M"]["stages"]:
            results["targets"] = scale_targets(results)
            print(scale_table(results))
            return
        results["targets"] = evaluate(results)
        print(table(results))
        return
    from nakg.build import cache_dir

    work = args.work or cache_dir() / "bench"
    work.mkdir(parents=True, exist_ok=True)
    results: dict = {"machine": machine(), "sizes": {}, "started": time.strftime("%Y-%m-%d %H:%M:%S")}
    t0 = time.perf_counter()
    if args.scale:
        scale(args, work, results, t0)
        return
    sizes = args.sizes.split(",") if args.sizes else ["review", "100k"] + ([] if args.quick else ["1M"])
    only = set(args.only.split(",")) if args.only else None
    per_paper = TRIPLES_PER_PAPER
    for size in sizes:
        print(f"[{time.perf_counter() - t0:6.0f} s] {size}: building …", file=sys.stderr, flush=True)
        stages: dict = {}
        if size == "review":
            b = build_review(work, 3 if only is None or "build" in only else 1)
            if only is None or "build" in only:
                stages["build (whole process)"] = {DEFAULT: b}
            info = {"triples": b["triples"]}
            if only is None or "reason" in only:
                print(f"[{time.perf_counter() - t0:6.0f} s] review: {REASON_STAGE} …", file=sys.stderr, flush=True)
                results["reason_hermit"] = reason_review(work, 3)
        else:
            papers = max(1, round(TARGETS[size] / per_paper))
            b = build_synthetic(work, papers, args.seed)
            per_paper = b["triples"] / papers
            stages["build (records → graph)"] = {DEFAULT: b}
            info = {"triples": b["triples"], "papers": papers}
        nt = Path(b["nt"])
        big = size == "1M"
        plan = [("load", 3, 1 if big else 3), ("shacl", 1, 1), ("cq", 5, 3 if size == "review" else 1), ("reason", 1, 1),
                ("export", 1, 1), ("probe", 5, 0)]
        for name, rep_default, rep_memory in plan:
            if only is not None and name not in only:
                continue
            for store, repeat in ((DEFAULT, rep_default), (MEMORY, rep_memory)):
                if name in ("reason", "export") and store == MEMORY and big:
                    continue  # rdflib-memory at 1M: only the figures the targets compare
                if repeat == 0:
                    continue
                budget = {"review": 60, "100k": 150, "1M": 240}[size]
                timeout = {"review": 300, "100k": 600, "1M": 600}[size]
                if big and store == MEMORY and name == "shacl":
                    timeout = 240  # pySHACL on rdflib needs well over 10 minutes at 1M: a bound is enough
                cap = {"review": 20, "100k": 20, "1M": 30}[size]
                print(f"[{time.perf_counter() - t0:6.0f} s] {size}: {name} on {store} …", file=sys.stderr, flush=True)
                res = stage(name, nt, store, repeat, budget, timeout, cap)
                peak = res.pop("peak_mb", None)
                for key, value in res.items():
                    if not isinstance(value, dict):
                        continue
                    stages.setdefault(key, {})[store] = value | ({"peak_mb": peak} if peak is not None else {})
        for per in stages.values():
            d, m = per.get(DEFAULT, {}), per.get(MEMORY, {})
            if d.get("wall") and m.get("wall"):
                per["ratio"] = d["wall"] / m["wall"]
            elif d.get("wall") and m.get("timeout"):
                per["ratio_at_most"] = d["wall"] / m["timeout"]  # rdflib-memory did not finish: a bound
        results["sizes"][size] = info | {"stages": stages}
    if "1M" in results["sizes"]:
        small, big = results["sizes"]["100k"]["stages"], results["sizes"]["1M"]["stages"]
        results["growth"] = {k: big[k][DEFAULT]["wall"] / small[k][DEFAULT]["wall"] for k in big
                             if k in small and big[k].get(DEFAULT, {}).get("wall") and small[k].get(DEFAULT, {}).get("wall")}
        # the answers of a query grow with the corpus too, not always by the same factor as the triples
        results["rows_growth"] = {k: big[k][DEFAULT]["rows"] / small[k][DEFAULT]["rows"] for k in results["growth"]
                                  if big[k][DEFAULT].get("rows") and small[k][DEFAULT].get("rows")}
        results["triples_growth"] = results["sizes"]["1M"]["triples"] / results["sizes"]["100k"]["triples"]
    results["machine"]["load_average_end"] = os.getloadavg()
    results["elapsed_s"] = time.perf_counter() - t0
    results["targets"] = evaluate(results)
    args.out.write_text(json.dumps(results, indent=1, default=str) + "\n")
    print(table(results))
    m = results["machine"]
    print(f"\nmachine: {m.get('cpu')}, {m['cores']} cores, {m.get('memory_gb')} GB; "
          f"load average {results['machine']['load_average'][0]:.1f} → {results['machine']['load_average_end'][0]:.1f}; "
          f"{results['elapsed_s'] / 60:.1f} min; JSON: {args.out}")


#: Papers of the scale corpora (about 500 triples each).
SCALE_PAPERS = {"1M": 1993, "10M": 20_000}


def scale(args, work: Path, results: dict, t0: float) -> None:
    """``--scale``: the build pipeline at review size, 1M and (``10m``) 10M triples, default backend."""
    sizes = ["review", "1M"] + (["10M"] if args.scale == "10m" else [])
    papers = dict(SCALE_PAPERS) | {k: int(v) for k, v in (kv.split("=") for kv in (args.papers or "").split(",") if kv)}
    for size in sizes:
        print(f"[{time.perf_counter() - t0:6.0f} s] {size} …", file=sys.stderr, flush=True)
        if size == "review":
            b = build_review(work, 3)
            stages = {"build: nakg build (review, median of 3)": {DEFAULT: b}}
            info = {"triples": b["triples"]}
        else:
            stages, info = build_stages(work, papers[size], args.seed, reference=size == "1M")
        nt = Path(info.pop("nt", None) or b["nt"])
        for name, repeat in (("shacl", 1), ("cq", 3 if size != "10M" else 1)):
            print(f"[{time.perf_counter() - t0:6.0f} s] {size}: {name} …", file=sys.stderr, flush=True)
            res = stage(name, nt, DEFAULT, repeat, budget=600, timeout=1800, cap=60)
            peak = res.pop("peak_mb", None)
            for key, value in res.items():
                if isinstance(value, dict):
                    stages[key] = {DEFAULT: value | ({"peak_mb": peak} if peak is not None else {})}
        results["sizes"][size] = info | {"stages": stages}
        args.out.write_text(json.dumps(results, indent=1, default=str) + "\n")  # what is measured so far
    growth = {}
    for small, big in (("1M", "10M"),):
        if big in results["sizes"]:
            a, b = results["sizes"][small]["stages"], results["sizes"][big]["stages"]
            growth = {k: b[k][DEFAULT]["wall"] / a[k][DEFAULT]["wall"] for k in b
                      if k in a and b[k].get(DEFAULT, {}).get("wall") and a[k].get(DEFAULT, {}).get("wall")}
            results["growth"] = growth
            results["rows_growth"] = {k: b[k][DEFAULT]["rows"] / a[k][DEFAULT]["rows"] for k in growth
                                      if b[k][DEFAULT].get("rows") and a[k][DEFAULT].get("rows")}
            results["triples_growth"] = results["sizes"][big]["triples"] / results["sizes"][small]["triples"]
    results["machine"]["load_average_end"] = os.getloadavg()
    results["elapsed_s"] = time.perf_counter() - t0
    results["targets"] = scale_targets(results)
    args.out.write_text(json.dumps(results, indent=1, default=str) + "\n")
    print(scale_table(results))


def scale_table(results: dict) -> str:
    lines = []
    for size, data in results["sizes"].items():
        papers = f" ({data['papers']} synthetic papers in {data.get('files')} files)" if data.get("papers") else ""
        lines.append(f"\n## {size}: {data['triples']} triples{papers}")
        lines.append("| stage | wall | cpu (with children) | peak MB (process / forked child) | rdflib path wall | ratio |")
        lines.append("| --- | --- | --- | --- | --- | --- |")
        for name, per in data["stages"].items():
            d, m = per.get(DEFAULT, {}), per.get(MEMORY, {})
            peak = (f"{d['self_peak_mb']:.0f} / {d.get('children_peak_mb', 0):.0f}" if "self_peak_mb" in d
                    else _fmt(d.get("peak_mb"), "MB"))
            extra = "" if "identical_to_clean_build" not in d else f" (same as a clean build: {d['identical_to_clean_build']})"
            extra += f" — {d['how']}" if d.get("how") else ""
            ratio = f"{per['ratio']:.3f} ({1 / per['ratio']:.1f}× faster)" if per.get("ratio") else "—"
            reference = f"{_fmt(m.get('wall'))} ({_fmt(m.get('peak_mb'), 'MB')})" if m else "—"
            lines.append(f"| {name}{extra} | {_fmt(d.get('wall')) if 'wall' in d else d.get('skipped', '—')} | "
                         f"{_fmt(d.get('cpu'))} | {peak} | {reference} | {ratio} |")
    if results.get("growth"):
        rows = results.get("rows_growth", {})
        lines.append(f"\n## growth t(10M) / t(1M) (triples × {results.get('triples_growth', 0):.1f})")
        lines.append("| stage | time ratio | answer rows ratio |\n| --- | --- | --- |")
        lines += [f"| {k} | {v:.1f} | {rows[k]:.1f} |" if k in rows else f"| {k} | {v:.1f} | — |"
                  for k, v in results["growth"].items()]
    lines.append("\n## targets")
    lines += [f"- {'PASS' if ok else 'MISS'}: {text}" for text, ok in results["targets"]]
    m = results["machine"]
    lines.append(f"\nmachine: {m.get('cpu')}, {m['cores']} cores, {m.get('memory_gb')} GB; load average "
                 f"{m['load_average'][0]:.1f} → {m['load_average_end'][0]:.1f}; {results['elapsed_s'] / 60:.1f} min")
    return "\n".join(lines)


def scale_targets(results: dict) -> list:
    out = []
    sizes = results["sizes"]
    review = sizes["review"]["stages"]
    b = review["build: nakg build (review, median of 3)"][DEFAULT]
    out.append((f"review: nakg build ≤ 2 s whole process ({_fmt(b['wall'])})", b["wall"] <= 2))
    cqs = {k: v[DEFAULT].get("wall", 1e9) for k, v in review.items() if k.startswith("cq:")}
    if cqs:
        worst = max(cqs, key=cqs.get)
        out.append((f"review: every CQ ≤ 10 ms (slowest {worst}: {_fmt(cqs[worst])})", cqs[worst] <= 0.010))
    one = sizes.get("1M", {}).get("stages", {})
    if one:
        cold = one["build: nakg build, empty record cache"]
        d = cold[DEFAULT]
        peak = max(d.get("self_peak_mb", d["peak_mb"]), d.get("children_peak_mb", 0))
        out.append((f"1M: nakg build ≤ 10 s and ≤ 1 GB, empty record cache ({_fmt(d['wall'])}, cpu {_fmt(d['cpu'])}, "
                    f"peak {peak:.0f} MB; rdflib path {_fmt(cold.get(MEMORY, {}).get('wall'))}, same output: "
                    f"{cold.get(MEMORY, {}).get('identical_output')})", d["wall"] <= 10 and peak <= 1024))
        warm = one.get("build: nakg build --full, record cache warm", {}).get(DEFAULT)
        if warm:
            peak = max(warm.get("self_peak_mb", warm["peak_mb"]), warm.get("children_peak_mb", 0))
            out.append((f"1M: nakg build --full ≤ 10 s and ≤ 1 GB, record cache warm ({_fmt(warm['wall'])}, "
                        f"cpu {_fmt(warm['cpu'])}, peak {peak:.0f} MB)", warm["wall"] <= 10 and peak <= 1024))
        inc = one["build: nakg build, one file changed"][DEFAULT]
        out.append((f"1M: rebuild after one file changed ≤ 2 s ({_fmt(inc['wall'])}, same as a clean build: "
                    f"{inc.get('identical_to_clean_build')})", inc["wall"] <= 2 and inc.get("identical_to_clean_build")))
    ten = sizes.get("10M", {}).get("stages", {})
    if ten:
        d = ten["build: nakg build, empty record cache"][DEFAULT]
        peak = max(d.get("self_peak_mb", d["peak_mb"]), d.get("children_peak_mb", 0))
        out.append((f"10M: nakg build ≤ 120 s and ≤ 6 GB ({_fmt(d['wall'])}, peak {peak:.0f} MB)", d["wall"] <= 120 and peak <= 6144))
        ld = ten["load: nakg load into an on-disk store"][DEFAULT]["wall"]
        out.append((f"10M: nakg load into an on-disk store ≤ 30 s ({_fmt(ld)})", ld <= 30))
        sh = ten.get("shacl", {}).get(DEFAULT, {}).get("wall", 1e9)
        out.append((f"10M: SHACL ≤ 60 s ({_fmt(sh)})", sh <= 60))
        # a CQ whose default names a review value the corpus lacks is skipped (not a miss); a timeout is a miss
        cqs = {k: v[DEFAULT].get("wall", v[DEFAULT].get("timeout", 1e9)) for k, v in ten.items()
               if k.startswith("cq:") and not str(v[DEFAULT].get("skipped", "")).startswith("default not in this graph")}
        worst = max(cqs, key=cqs.get) if cqs else None
        over = sorted((k for k, t in cqs.items() if t > 2), key=cqs.get, reverse=True)
        out.append((f"10M: every CQ ≤ 2 s (slowest {worst}: {_fmt(cqs[worst])}; {len(cqs) - len(over)} of {len(cqs)} ≤ 2 s"
                    + (f"; over: {', '.join(f'{k[3:]} {_fmt(cqs[k])}' for k in over)}" if over else "") + ")"
                    if worst else "10M: every CQ ≤ 2 s (not measured)", bool(worst) and not over))
        growth = results.get("growth", {})
        over = sorted((k for k, v in growth.items() if v > 12), key=growth.get, reverse=True)
        out.append((f"1M → 10M growth ≤ 12× for every stage (over 12: {', '.join(f'{k} {growth[k]:.1f}' for k in over) or 'none'})",
                    not over))
    return out


if __name__ == "__main__":
    main()
