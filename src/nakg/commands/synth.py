"""``nakg synth``: write a synthetic, literature-sized corpus of records (for scale tests and benchmarks).

    nakg synth --papers 4000 --seed 1 -o synthetic/
    nakg build --records synthetic/ -o build-synthetic/

The distributions come from the shipped records (see :mod:`nakg.synth`); no
record of the corpus is a fact.
"""

from __future__ import annotations

from pathlib import Path

import click

__all__ = ["synth"]


@click.command("synth")
@click.option("--papers", type=click.IntRange(min=1), required=True, help="Number of synthetic papers (about 250 triples each).")
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed: the same seed gives the same corpus.")
@click.option("-o", "--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Output records folder (its *.yaml files are replaced).")
@click.option("--records", "records_dir", type=click.Path(exists=True, path_type=Path), default=None,
              help="Records whose distributions to follow (default: the shipped records).")
def synth(papers: int, seed: int, out_dir: Path, records_dir: Path | None) -> None:
    """Generate PAPERS synthetic papers of records in the record format, deterministic for SEED."""
    from ..synth import generate

    stats = generate(papers, seed=seed, out_dir=out_dir, records_dir=records_dir)
    total = sum(stats["records"].values())
    click.echo(f"wrote {total} records and {stats['references']} references of {papers} synthetic papers "
               f"(seed {seed}) in {stats['files']} files to {out_dir}")
    click.echo("records: " + ", ".join(f"{k} {v}" for k, v in stats["records"].items()))
