"""``nakg list KIND`` and ``nakg show MATERIAL``: the values a user may type, and the card of one material.

    nakg list families
    nakg list routes --format json
    nakg show NZSP
    nakg show na3zr2si2po12 --format json --inferred

Both take the user's words through :mod:`nakg.resolve`; an unknown value or kind
is one line on stderr with the closest valid ones, exit 1.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from .exits import handle_errors
from .options import inferred_option

__all__ = ["list_command", "show", "list_rows"]


def list_rows(kind: str, kg=None) -> list[dict]:
    """The rows ``nakg list KIND`` prints (``materials`` needs the graph ``kg``).

    >>> [r["key"] for r in list_rows("sides")]
    ['anode', 'both', 'cathode']
    """
    from .. import resolve

    if kind == "materials":
        from ..resolve import resolver

        tops = {f.key: f.top_key for f in resolve.families()}
        return [{"id": m.id, "formula": m.formula, "aliases": "; ".join(m.aliases), "family": m.family or "",
                 "top_family": tops.get(m.family or "", ""), "label": m.label}
                for m in sorted(resolver(kg).materials_by_id.values(), key=lambda m: m.id)]
    if kind == "families":
        return [{"key": f.key, "label": f.label, "top": f.top_key, "curie": resolve._curie(f.iri)} for f in resolve.families()]
    if kind == "elements":
        return [{"symbol": t.key, "name": t.label} for t in resolve.elements()]
    if kind in resolve.GRAPH_KINDS:
        return [{resolve.GRAPH_KINDS[kind].singular.rsplit(" ", 1)[-1]: v} for v in resolve.graph_values(kg, kind)]
    return [{"key": t.key, "label": t.label, "curie": resolve._curie(t.iri)} for t in resolve.terms(kind)]


@click.command("list")
@click.argument("kind", metavar="KIND")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--graph", "graph_path", type=click.Path(exists=True, path_type=Path), default=None,
              help="A built graph (nakg.nt or a build folder); default: the shipped records.")
@handle_errors
def list_command(kind: str, fmt: str, graph_path: Path | None) -> None:
    """List the values of KIND a command, query parameter or API call accepts.

    KIND: materials, families, elements, records, sections, references,
    source-tables, or a vocabulary: routes, step-kinds,
    synthesis-effects, techniques, mechanisms, transport-mechanisms, outcomes,
    valences, sides, strategies, effects, challenges, topics, forms, roles,
    qualifiers, contributions, bases, crystal-systems, dimensionalities,
    chemical-classes, properties, units.
    """
    from ..resolve import GRAPH_KINDS

    kg = None
    if kind == "materials" or kind in GRAPH_KINDS:
        from ..api import load

        kg = load(graph_path)
    rows = list_rows(kind, kg)
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    for r in rows:
        click.echo("\t".join(str(v) for v in r.values()))


@click.command("show")
@click.argument("material")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--graph", "graph_path", type=click.Path(exists=True, path_type=Path), default=None,
              help="A built graph (nakg.nt or a build folder); default: the shipped records.")
@inferred_option
@handle_errors
def show(material: str, fmt: str, graph_path: Path | None, inferred: bool) -> None:
    """Print the card of MATERIAL (id, formula in any case, alias or name): family, composition, every
    measurement with temperature and references, structures, syntheses, dopings, lineage, cells, interfaces."""
    from ..api import load
    from ..card import render_card

    card = load(graph_path, inferred=inferred).material(material)
    if fmt == "json":
        click.echo(json.dumps(card, indent=2, ensure_ascii=False, default=str))
    else:
        click.echo(render_card(card), nl=False)
