"""The ``nakg`` command line: a thin layer over the Python API.

Exit codes (0 success, 1 invalid input or data, 2 usage error, 3 internal
failure, 130 interrupted) are kept for every command by the group's error
handling in :mod:`nakg.commands.exits`.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import click

from .commands.exits import EXIT_CRASH, EXIT_INVALID, NakgGroup, handle_errors  # noqa: F401  (EXIT_CRASH: part of the CLI's interface)
from .commands.exits import err as _err
from .commands.options import inferred_option


records_option = click.option(
    "--records", "records_dir", type=click.Path(path_type=Path), default=None,
    help="Folder of YAML records (default: the records shipped with nakg).",
)


@click.group(cls=NakgGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="nakg")
def main() -> None:
    """nakg — knowledge graph of inorganic sodium-ion solid-state electrolytes."""


@main.command()
@records_option
@click.option("-o", "--out", "out_dir", type=click.Path(path_type=Path), default=Path("build"), show_default=True,
              help="Output folder.")
@click.option("--full", is_flag=True, help="Build everything again, even where the earlier build in the output "
              "folder could be updated from the record files that changed.")
@handle_errors
def build(records_dir: Path | None, out_dir: Path, full: bool) -> None:
    """Build the graph from records, validate it, write it and print a summary.

    Where the output folder holds an earlier build of the same records by the same
    nakg, only what the changed record files change is made again; the files
    written are the same bytes a full build writes.
    """
    from .build import build as run_build
    from .errors import rel
    from .progress import progress
    from .resources import records_dir as shipped_records

    t0 = time.perf_counter()
    with progress("building") as bar:
        result = run_build(records_dir, out_dir, progress=bar.stage, incremental=not full)
    elapsed = time.perf_counter() - t0
    report = result.report
    source = rel(records_dir) if records_dir is not None else f"the records shipped with nakg ({shipped_records()})"
    names = ", ".join(p.name for p in result.outputs.values())
    click.echo(f"wrote {rel(out_dir)}/: {names}")
    click.echo(f"{result.triples} data triples from {sum(result.record_counts.values())} records in "
               f"{len(result.record_files)} files of {source} ({elapsed:.2f} s)")
    click.echo("records: " + ", ".join(f"{k} {v}" for k, v in result.record_counts.items()))
    click.echo(result.how)
    click.echo(f"counts per class, family and property: nakg stats --graph {rel(out_dir)}/{result.outputs['nt'].name}")
    if report is None:
        click.echo("SHACL: skipped")
        return
    for w in report.warnings:
        click.echo(f"  {w}")
    n = len(report.warnings)
    click.echo(f"SHACL: conforms, {n} warning{'s' if n != 1 else ''}{' (listed above)' if n else ''}")


@main.command()
@records_option
@handle_errors
def validate(records_dir: Path | None) -> None:
    """Validate records and the graph they make; exit 1 on any violation."""
    from .build import build as run_build
    from .progress import progress

    with progress("validating") as bar:
        result = run_build(records_dir, out_dir=None, progress=bar.stage)
    click.echo(result.report.text())


@main.command()
@records_option
@click.option("--graph", "graph_path", type=click.Path(exists=True, path_type=Path), default=None,
              help="A built graph (nakg.nt/.ttl or a build folder) instead of the records.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@handle_errors
def stats(records_dir: Path | None, graph_path: Path | None, fmt: str) -> None:
    """Counts per class, family and property."""
    from .api import load
    from .stats import graph_stats

    kg = load(graph_path, records=None if graph_path is not None else records_dir)
    s = graph_stats(kg.graph)
    click.echo(json.dumps(s.as_dict(), indent=2) if fmt == "json" else s.text())


@main.command()
@click.argument("name", type=click.Choice(["measurements", "dopings", "syntheses", "structures", "interfaces", "cells", "references"]))
@click.option("--format", "fmt", type=click.Choice(["csv", "json", "markdown", "parquet"]), default="csv", show_default=True,
              help="Output format; parquet needs -o FILE.")
@click.option("--describe", is_flag=True, help="Print the table's data dictionary (column, dtype, unit, meaning, example).")
@click.option("-o", "--out", "out_path", type=click.Path(path_type=Path), default=None, help="Write to a file instead of stdout.")
@click.option("--graph", "graph_path", type=click.Path(exists=True, path_type=Path), default=None,
              help="A built graph (nakg.nt or a build folder); default: the shipped records.")
@inferred_option
@handle_errors
def table(name: str, fmt: str, describe: bool, out_path: Path | None, graph_path: Path | None,
          inferred: bool) -> None:
    """Print or write a typed tidy table (one row per fact) produced by SPARQL over the graph.

    Columns, dtypes and units: docs/tables.md or --describe.
    """
    if describe:
        from .tables import render
        from .tables_schema import dictionary_rows

        text = render(dictionary_rows(name), "json" if fmt == "json" else "csv" if fmt == "csv" else "markdown")
        if out_path is None:
            click.echo(text, nl=False)
        else:
            from .io import atomic_write_text

            atomic_write_text(out_path, text)
            _err(f"wrote {out_path} (data dictionary of {name}, {len(dictionary_rows(name))} columns)")
        return
    if fmt == "parquet" and out_path is None:
        raise click.UsageError("--format parquet writes a binary file: give -o FILE")
    from .api import load
    from .dataframes import render_table, write_table

    df = load(graph_path, inferred=inferred).dataframe(name)
    if out_path is None:
        click.echo(render_table(df, name, fmt), nl=False)
    else:
        size = write_table(df, name, fmt, out_path)
        _err(f"wrote {out_path} ({name}: {len(df)} rows x {len(df.columns)} columns, {fmt}, {size} bytes)")


@main.command()
@click.argument("text_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--exclusions", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="Reviewed exclusions (default: graph/coverage-exclusions.yaml shipped with nakg).")
@click.option("--graph", "graph_path", type=click.Path(exists=True, path_type=Path), default=None)
@handle_errors
def coverage(text_file: Path, exclusions: Path | None, graph_path: Path | None) -> None:
    """List quantitative statements of TEXT_FILE with no matching fact in the graph (exit 1 if any)."""
    from .api import load
    from .coverage import check_coverage, load_exclusions
    from .resources import data_dir

    excl = load_exclusions(exclusions or data_dir("graph") / "coverage-exclusions.yaml")
    report = check_coverage(load(graph_path), text_file.read_text(encoding="utf-8"), excl)
    click.echo(report.text())
    if report.missing:
        sys.exit(EXIT_INVALID)


graph_option = click.option("--graph", "graph_path", type=click.Path(exists=True, path_type=Path), default=None,
                            help="A built graph (nakg.nt or a build folder); default: the shipped records.")


@main.command()
@click.option("--by", "dimensions", multiple=True, type=click.Choice(["dopant", "site", "valence", "mechanism", "family"]),
              help="Dimensions to rank by (default: all).")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@click.option("--outcomes", "show_outcomes", is_flag=True,
              help="One row per doping: evidence tier, direction, values and temperatures used, ratio (derived).")
@click.option("--network", "show_network", is_flag=True,
              help="Strategy-graph analyses: mechanisms with the largest gains per family, dopant–site pairs "
                   "recurring across families, centrality of strategies.")
@click.option("--tiers", default="trusted", show_default=True,
              help="Evidence tiers whose magnitudes the ranking uses: 'trusted', 'all' or a comma list of "
                   "stated_values, stated_factor, same_work, arrhenius, across_works, temperature_assumed, "
                   "different_temperatures.")
@click.option("--include-across-works", is_flag=True, help="Also use host/product pairs measured in different works.")
@click.option("--family", default=None, help="Only dopings of this family (key or name; subfamilies included).")
@graph_option
@handle_errors
def doping(dimensions, fmt: str, show_outcomes: bool, show_network: bool, tiers: str, include_across_works: bool,
           family: str | None, graph_path: Path | None) -> None:
    """Rank doping strategies by their conductivity outcome, saying on what evidence.

    The ranking's footer says how many dopings its magnitudes used and why the rest were
    left out; admitting weaker tiers prints what that changed.
    """
    from .analytics import doping_summary
    from .api import load
    from .tables import render

    report = doping_summary(load(graph_path), family=family, tiers=tiers, include_across_works=include_across_works,
                           dimensions=tuple(dimensions) or None)
    if show_outcomes:
        rows, footer = report.outcome_rows, report.outcomes_footer
        if fmt == "table":
            rows = [{k: r[k] for k in _OUTCOME_TABLE_COLUMNS} for r in rows]
    elif show_network:
        if fmt == "json":
            click.echo(json.dumps(report.network, indent=1, ensure_ascii=False))
            return
        for name, rows in report.network.items():
            click.echo(f"## {name.replace('_', ' ')}")
            click.echo(render(rows, "markdown" if fmt == "table" else fmt), nl=False)
            click.echo("")
        return
    else:
        rows = [s.as_dict(nested=fmt == "json") for s in report.ranking]
        if fmt == "table":
            rows = [{k: r[k] for k in _RANKING_TABLE_COLUMNS} for r in rows]
        footer = report.ranking_footer
    if fmt == "json" and not show_outcomes:
        click.echo(json.dumps({"tiers": list(report.ranking.tiers), "rows": rows, "footer": footer,
                               "changes": report.changes, "left_out": report.ranking.left_out},
                              indent=1, ensure_ascii=False))
    elif fmt == "json":
        click.echo(render(rows, "json"), nl=False)
        _err(footer)
    elif fmt == "csv":
        click.echo(render(rows, "csv"), nl=False)
        _err(footer)
    else:
        click.echo(render(rows, "markdown"), nl=False)
        click.echo("")
        click.echo(footer)


_RANKING_TABLE_COLUMNS = ("dimension", "value", "dopings", "raised", "lowered", "unchanged", "undetermined",
                          "with_magnitude", "median_log10_ratio", "bounds", "per_tier", "best_example", "best_references")
_OUTCOME_TABLE_COLUMNS = ("doping_id", "host", "product", "dopants", "tier", "direction", "sigma_before_S_cm",
                          "before_temperature", "sigma_after_S_cm", "after_temperature", "ratio", "ratio_qualifier",
                          "ratio_derived", "references")


@main.command()
@click.argument("material")
@graph_option
@handle_errors
def lineage(material: str, graph_path: Path | None) -> None:
    """Show the derivation tree (host → doped → co-doped) around MATERIAL (id, formula, alias or name)."""
    from .analytics.network import render_tree
    from .api import load

    click.echo(render_tree(load(graph_path).lineage(material)))


@main.command()
@click.argument("material")
@click.option("--top", default=10, show_default=True)
@graph_option
@handle_errors
def suggest(material: str, top: int, graph_path: Path | None) -> None:
    """Hypotheses: chemically compatible dopants that raised conductivity in similar hosts but are not
    reported for MATERIAL (cations on cation sites, anions on anion sites; Shannon radii from pymatgen)."""
    from .analytics.suggest import SCORE_MEANING, host_sites
    from .analytics.suggest import suggest as run_suggest
    from .api import load

    kg = load(graph_path)
    mid = kg.resolver().material(material).id
    formula = kg.material(mid)["formula"]
    items = run_suggest(kg, mid, top)
    click.echo(f"Hypotheses for {formula} (not facts of the review). Its ions: "
               + ", ".join(str(s) for s in host_sites(formula)) + ".")
    click.echo(SCORE_MEANING + ".")
    for i, s in enumerate(items, 1):
        click.echo(f"{i:>2}. {s.explain()}")
    if not items:
        click.echo("  (none: no host sharing its anion sublattice has a compatible dopant that raised its conductivity)")


@main.command()
@click.argument("name", type=click.Choice(["arrhenius", "doping", "families"]))
@click.option("-o", "--out", "out_path", type=click.Path(path_type=Path), required=True, help="Output .png or .svg")
@click.option("--family", default=None, help="Only this family (key or name; subfamilies included): arrhenius and doping.")
@graph_option
@handle_errors
def plot(name: str, out_path: Path, family: str | None, graph_path: Path | None) -> None:
    """Draw a plot: σ vs 1000/T (a labelled line per material), doping outcomes by evidence tier, or the
    best room-temperature conductivity per family."""
    from .analytics.plots import plot as draw
    from .api import load

    n = draw(load(graph_path), name, out_path, family=family)
    click.echo(f"wrote {out_path} ({n} data points)")


@main.group()
def report() -> None:
    """One-page reports a researcher can send: self-contained HTML or Markdown, offline."""


@report.command("doping")
@click.option("-o", "--out", "out_path", type=click.Path(path_type=Path), required=True, help="Output .html or .md")
@click.option("--family", default=None, help="Only this family (key or name; subfamilies included).")
@click.option("--tiers", default="trusted", show_default=True, help="Evidence tiers the ranking uses (as for nakg doping).")
@graph_option
@handle_errors
def report_doping(out_path: Path, family: str | None, tiers: str, graph_path: Path | None) -> None:
    """The doping report: ranking, top dopings per tier, every outcome, strategy graph, plots, references."""
    from .analytics.report import write_doping_report
    from .api import load

    n = write_doping_report(load(graph_path), out_path, family=family, tiers=tiers)
    click.echo(f"wrote {out_path} ({n} dopings)")


from .commands.query import query as _query_command  # noqa: E402  (imports only click at load time)

main.add_command(_query_command)

from .commands.export import export_command  # noqa: E402

main.add_command(export_command)

from .commands.serve import docs as _docs_command  # noqa: E402
from .commands.serve import push as _push_command  # noqa: E402
from .commands.serve import serve as _serve_command  # noqa: E402

for _command in (_serve_command, _push_command, _docs_command):
    main.add_command(_command)

from .commands.reasoning import qa as _qa_command  # noqa: E402
from .commands.reasoning import reason as _reason_command  # noqa: E402

main.add_command(_reason_command)
main.add_command(_qa_command)

from .commands.load import load as _load_command  # noqa: E402
from .commands.words import list_command as _list_command  # noqa: E402
from .commands.words import show as _show_command  # noqa: E402

main.add_command(_list_command)
main.add_command(_show_command)
from .commands.synth import synth as _synth_command  # noqa: E402

main.add_command(_load_command)
main.add_command(_synth_command)

if __name__ == "__main__":  # pragma: no cover
    main()

from .commands.release import release as _release_command  # noqa: E402

main.add_command(_release_command)
