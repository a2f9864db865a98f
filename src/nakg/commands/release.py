"""``nakg release``: rebuild the committed release in ``graph/`` (nakg.ttl, nakg.nt, void.ttl) from the records."""

from __future__ import annotations

import sys
from pathlib import Path

import click

__all__ = ["release"]


@click.command()
@click.option("--records", "records_dir", type=click.Path(path_type=Path), default=None,
              help="Folder of YAML records (default: the records shipped with nakg).")
@click.option("-o", "--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Release folder (default: graph/ of the source tree).")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 when a release file differs from what the records build.")
def release(records_dir: Path | None, out_dir: Path | None, check: bool) -> None:
    """Write graph/nakg.ttl, graph/nakg.nt and graph/void.ttl as the records build them (sorted, stable)."""
    from .exits import handle_errors
    from ..release import release as run_release

    @handle_errors
    def run() -> None:
        result = run_release(out_dir, records_dir, check=check)
        click.echo(result.text())
        if check and result.changed:
            sys.exit(1)

    run()
