"""Entry point of a query worker process: ``python -m nakg.serve.worker FD DATA MAX_RESULTS [MAX_BYTES MEMORY RETIRE_RSS]``.

Started by :class:`~nakg.serve.pool.WorkerPool`; ``FD`` is this end of a socket
pair to the server. The worker ignores Ctrl-C (the server stops it) and exits
as soon as its parent process is gone, even in the middle of a query.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time


def _exit_with_parent(parent: int) -> None:
    while True:
        time.sleep(1.0)
        if os.getppid() != parent:
            os._exit(3)


def main(argv: list[str] | None = None) -> None:
    """Run one worker (see the module docstring)."""
    from multiprocessing.connection import Connection

    from .pool import worker_main

    fd, data_path, *limits = argv or sys.argv[1:]
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True).start()
    worker_main(Connection(int(fd)), data_path, *map(int, limits))


if __name__ == "__main__":  # pragma: no cover - the worker process
    main()
