"""A short example for each command, shown at the end of its ``--help``.

One place for them, so every command has one (``tests/test_help.py`` checks each
command of the CLI has an example and that click parses it). The CLI's group,
:class:`ExampleGroup`, puts them into each command's epilog when it looks the
command up.

>>> @click.group(cls=ExampleGroup)
... def cli():
...     "A CLI."
>>> @cli.command("build")
... def build():
...     "Build."
>>> "nakg build --records graph/ -o build/" in cli.get_command(None, "build").epilog
True
"""

from __future__ import annotations

import click

__all__ = ["EXAMPLES", "ExampleGroup", "add_example"]

#: Command name → example command lines (each runs as written from the repository's root).
EXAMPLES: dict[str, tuple[str, ...]] = {
    "build": ("nakg build --records graph/ -o build/",),
    "validate": ("nakg validate --records graph/",),
    "stats": ("nakg stats --graph build/nakg.nt --format json",),
    "table": ("nakg table measurements --format csv -o measurements.csv",),
    "coverage": ("nakg coverage ../shared/source/na-ion-sse-review.md",),
    "doping": ("nakg doping --by dopant --by site", "nakg doping --outcomes --format csv", "nakg doping --tiers all"),
    "lineage": ("nakg lineage Na3Zr2Si2PO12",),
    "show": ("nakg show NZSP", "nakg show na3zr2si2po12 --format json --inferred"),
    "list": ("nakg list families", "nakg list routes --format json"),
    "suggest": ("nakg suggest na3ps4 --top 5",),
    "plot": ("nakg plot arrhenius -o arrhenius.svg", "nakg plot doping --family sulfide -o doping.png"),
    "report": ("nakg report doping -o doping.html", "nakg report doping --family nasicon -o nasicon.md"),
    "query": ("nakg query --list cq", "nakg query conductivity-above-threshold -p threshold=1e-3 --format csv"),
    "export": ("nakg export graphml --view cells -o cells.graphml", "nakg export html -o explorer.html"),
    "serve": ("nakg serve --port 7878",),
    "push": ("nakg push --endpoint http://127.0.0.1:7878",),
    "docs": ("nakg docs -o build/docs",),
    "release": ("nakg release --check",),
    "reason": ("nakg reason --reasoner owlrl -o build/",),
    "qa": ("nakg qa --ontology-only --reasoner none",),
    "load": ("nakg load --store ./kg-store",),
    "synth": ("nakg synth --papers 100 --seed 1 -o synthetic/",),
}


def add_example(command: click.Command, name: str) -> click.Command:
    """Append the examples of ``name`` to ``command``'s epilog (once)."""
    lines = EXAMPLES.get(name)
    if not lines or getattr(command, "_nakg_example", False):
        return command
    block = "\b\n" + ("Example:" if len(lines) == 1 else "Examples:") + "\n" + "\n".join(f"  {line}" for line in lines)
    command.epilog = f"{command.epilog}\n\n{block}" if command.epilog else block
    command._nakg_example = True
    return command


class ExampleGroup(click.Group):
    """A click group whose commands show their example at the end of ``--help``."""

    def get_command(self, ctx: click.Context | None, cmd_name: str) -> click.Command | None:
        command = super().get_command(ctx, cmd_name)
        return add_example(command, cmd_name) if command is not None else None
