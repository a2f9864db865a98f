"""The CLI's error handling: every error a user can cause becomes one clear message and a documented exit code.

Exit codes, the same for every command (the README's "Exit codes" section):

* **0**: success.
* **1**: invalid input or data: bad records, a SHACL violation, an unknown or
  ambiguous value, a missing or unreadable file, a bad query, an inconsistent
  graph, a check that found problems (``coverage``, ``qa``, ``release --check``).
* **2**: usage error, reported by click: an unknown option, a missing argument,
  a value an option does not accept.
* **3**: internal failure: a bug in nakg. The message says so; ``NAKG_DEBUG=1``
  shows the traceback.
* **130**: interrupted (Ctrl-C).

The CLI's group (:class:`NakgGroup`) applies :func:`errors_handled` around every
command, so a command added later keeps these codes without doing anything;
:func:`handle_errors` does the same for a single function. Nothing here imports
a command.
"""

from __future__ import annotations

import contextlib
import functools
import os
import sys
from collections.abc import Iterator

import click

from .examples import ExampleGroup

__all__ = ["EXIT_OK", "EXIT_INVALID", "EXIT_USAGE", "EXIT_CRASH", "EXIT_INTERRUPTED", "EXIT_CODES", "NakgGroup",
           "errors_handled", "handle_errors", "err"]

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2  # click's own code for usage errors
EXIT_CRASH = 3
EXIT_INTERRUPTED = 130

#: The documented exit codes and what they mean (the README's table is checked against it).
EXIT_CODES = {
    EXIT_OK: "success",
    EXIT_INVALID: "invalid input or data",
    EXIT_USAGE: "usage error",
    EXIT_CRASH: "internal failure",
    EXIT_INTERRUPTED: "interrupted",
}


def err(message: str) -> None:
    """Print ``message`` on stderr."""
    click.echo(message, err=True)


def _quiet_stdout() -> None:
    """After a broken pipe: point stdout at /dev/null so the interpreter's final flush does not fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # pragma: no cover - stdout without a file descriptor
        pass


def _os_message(exc: OSError) -> str:
    what = exc.strerror or type(exc).__name__
    if exc.filename is not None:
        return f"{what}: {exc.filename}" + (f" -> {exc.filename2}" if exc.filename2 is not None else "")
    return f"{what} ({exc})" if exc.strerror else str(exc)


@contextlib.contextmanager
def errors_handled() -> Iterator[None]:
    """Turn nakg errors into messages and exit codes at the CLI edge."""
    from ..errors import NakgError, RecordsInvalid, ValidationFailed

    try:
        yield
    except RecordsInvalid as exc:
        err(f"error: {len(exc.errors)} problem(s) in the records; nothing was written")
        for e in exc.errors:
            err(f"  {e}")
        sys.exit(EXIT_INVALID)
    except ValidationFailed as exc:
        err(exc.report.text())
        err("error: the graph violates the SHACL shapes; nothing was written")
        sys.exit(EXIT_INVALID)
    except NakgError as exc:
        err(f"error: {exc}")
        sys.exit(EXIT_INVALID)
    except (click.exceptions.Exit, click.ClickException, click.exceptions.Abort, SystemExit):
        raise
    except BrokenPipeError:  # the reader went away (`nakg table … | head`): nothing left to say
        _quiet_stdout()
        sys.exit(EXIT_OK)
    except KeyboardInterrupt:
        err("interrupted")
        sys.exit(EXIT_INTERRUPTED)
    except OSError as exc:  # a file or folder the user named (missing, unreadable, not writable)
        if os.environ.get("NAKG_DEBUG"):
            raise
        err(f"error: {_os_message(exc)}")
        sys.exit(EXIT_INVALID)
    except Exception as exc:  # a bug: say so, exit 3
        if os.environ.get("NAKG_DEBUG"):
            raise
        err(f"internal error: {type(exc).__name__}: {exc}")
        err("this is a bug in nakg; please report it with the command you ran (NAKG_DEBUG=1 shows the traceback)")
        sys.exit(EXIT_CRASH)


def handle_errors(fn):
    """Decorator form of :func:`errors_handled`."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        with errors_handled():
            return fn(*args, **kwargs)

    return wrapper


class NakgGroup(ExampleGroup):
    """The CLI's group: every command runs inside :func:`errors_handled` and shows its example in ``--help``."""

    def invoke(self, ctx: click.Context):
        with errors_handled():
            result = super().invoke(ctx)
            sys.stdout.flush()  # a reader that went away is a broken pipe here, not an error at exit
            return result
