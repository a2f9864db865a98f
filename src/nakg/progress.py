"""Progress on long steps: a tqdm bar on stderr, shown only when stderr is a terminal.

Reasoning, inferred loading, the ontology documentation, exports and synthetic
corpora report through :func:`progress`; a step that ends within ``delay``
seconds shows nothing, and nothing at all is written when stderr is not a
terminal (a pipe, a file, CI, a notebook) or ``NAKG_PROGRESS=0``;
``NAKG_PROGRESS_DELAY`` sets ``delay`` (default 1 s). Opaque steps
(a reasoner run) are ticked by a timer so their elapsed time keeps moving.

>>> with progress("counting", total=3) as bar:
...     for _ in range(3):
...         bar.update()
>>> bar.n
3
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["progress", "enabled", "Progress"]

#: Seconds a step runs before its bar appears (``$NAKG_PROGRESS_DELAY`` overrides it).
DELAY = 1.0


def _delay(default: float | None) -> float:
    try:
        return float(os.environ["NAKG_PROGRESS_DELAY"])
    except (KeyError, ValueError):
        return DELAY if default is None else default


def enabled() -> bool:
    """Whether progress is shown: stderr is a terminal and ``NAKG_PROGRESS`` is not ``0``."""
    if os.environ.get("NAKG_PROGRESS", "") == "0":
        return False
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):  # a closed or replaced stderr
        return False


class Progress:
    """A running bar: :meth:`update` counts work done, :meth:`stage` names the current step."""

    def __init__(self, description: str, total: int | None, unit: str, delay: float):
        self.description = description
        self.n = 0
        self._bar = None
        self._stop = threading.Event()
        self._ticker: threading.Thread | None = None
        if enabled():
            from tqdm import tqdm

            self._bar = tqdm(total=total, desc=description, unit=unit, file=sys.stderr, leave=False, delay=delay,
                             dynamic_ncols=True, mininterval=0.25,
                             bar_format=None if total else "{desc}: {elapsed}{postfix}")
            self._start = time.monotonic()
            self._delay = delay
            self._ticker = threading.Thread(target=self._tick, name="nakg-progress", daemon=True)
            self._ticker.start()

    def _tick(self) -> None:
        while not self._stop.wait(0.5):
            if time.monotonic() - self._start >= self._delay:
                self._bar.refresh()

    def update(self, n: int = 1) -> None:
        """Count ``n`` more units of work done."""
        self.n += n
        if self._bar is not None:
            self._bar.update(n)

    def stage(self, name: str) -> None:
        """Show ``name`` as the step now running."""
        if self._bar is not None:
            self._bar.set_postfix_str(name, refresh=False)

    def close(self) -> None:
        self._stop.set()
        if self._ticker is not None:
            self._ticker.join()
        if self._bar is not None:
            self._bar.close()


@contextmanager
def progress(description: str, total: int | None = None, unit: str = "it", delay: float | None = None) -> Iterator[Progress]:
    """A progress bar for the block (``total`` units) or, without ``total``, a ticking timer with the current stage."""
    bar = Progress(description, total, unit, _delay(delay))
    try:
        yield bar
    finally:
        bar.close()
