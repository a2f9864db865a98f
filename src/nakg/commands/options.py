"""Options several commands share."""

from __future__ import annotations

import click

__all__ = ["inferred_option"]

#: ``--inferred``: the same graph as ``nakg.load(inferred=True)``.
inferred_option = click.option(
    "--inferred", is_flag=True,
    help="Use the inferred graph (defined classes, derived values, the reasoner's triples), as nakg.load(inferred=True).")
