"""A pool of worker processes that run queries, each killed and replaced when it overruns the time limit.

Why processes: neither Oxigraph nor rdflib can interrupt a running query from
another thread, and a Python thread cannot be killed. A query therefore runs
in a separate process that holds its own copy of the store; the HTTP thread
that sent it waits on the pipe for at most ``timeout`` seconds. If no answer
comes, the process is killed (SIGKILL) — which really stops the query and
frees its memory — the client gets 504, and a fresh worker is started in the
background and joins the pool once it has loaded the store (about a second
for the nakg graph). The other workers are untouched, so concurrent queries
keep their latency.

Each worker is a fresh interpreter (``python -m nakg.serve.worker``) that
loads the graph from an N-Triples file and talks to the HTTP process over a
socket pair: nothing is inherited from the threaded HTTP process (forking a
process that runs threads is unsafe), and unlike ``multiprocessing``'s spawn
method the caller's ``__main__`` is never re-imported. A worker ignores Ctrl-C
(the server stops it) and exits by itself when the server process is gone.

A request waits at most ``queue_timeout`` seconds for a free worker, then gets
503 with ``Retry-After``.

Memory: a worker's address space is limited (``memory_limit``), so a query
that needs more ends its worker (the client gets 500 and the worker is
replaced) instead of exhausting the machine; and a worker whose resident
memory has grown past ``retire_rss`` after answering is replaced too, so one
large answer does not leave a large process behind.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import NakgError
from .engine import DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_MAX_RESULTS, Engine, Response, error_response

__all__ = ["WorkerPool", "PoolError", "worker_main"]

log = logging.getLogger("nakg.serve")


class PoolError(NakgError):
    """The worker processes could not be started."""


#: Default limit of a worker's address space, and the resident size after which it is replaced.
DEFAULT_MEMORY_LIMIT = 2 * 1024**3
DEFAULT_RETIRE_RSS = 512 * 1024**2
#: The header a worker adds to a response when it should be replaced (removed before the response is sent).
RETIRE = "X-Nakg-Worker-Retire"


def _rss() -> int:
    """This process's resident memory in bytes (0 where /proc is missing)."""
    try:
        with open("/proc/self/statm") as fh:
            import os

            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def worker_main(conn, data_path: str, max_results: int, max_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
                memory_limit: int = 0, retire_rss: int = DEFAULT_RETIRE_RSS) -> None:
    """Body of a worker process: load the store, say "ready", then answer requests until the connection closes."""
    if memory_limit:
        try:
            import resource

            resource.setrlimit(resource.RLIMIT_AS, (memory_limit, memory_limit))
        except (ImportError, ValueError, OSError):  # pragma: no cover - not on Linux: the byte cap still holds
            pass
    try:
        engine = Engine(data_path, max_results, max_bytes)
    except Exception as exc:  # noqa: BLE001 - reported to the parent, which raises PoolError
        conn.send(("failed", f"{type(exc).__name__}: {exc}"))
        return
    conn.send(("ready", len(engine)))
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        if request is None:
            return
        try:
            response = engine.execute(**request)
        except MemoryError:
            response = error_response(500, "the query needed more memory than a query worker may use; it was stopped")
            response.headers[RETIRE] = "memory"
        except Exception as exc:  # noqa: BLE001 - never let a worker die on one request
            response = error_response(500, f"internal error: {type(exc).__name__}: {exc}")
        if retire_rss and _rss() > retire_rss:
            response.headers[RETIRE] = "grown"
        conn.send(response)


def _start_process(data_path: str, *limits: int):
    """Start one worker; returns (process handle with ``kill``/``poll``, connection)."""
    import os
    import socket
    import subprocess
    import sys
    from multiprocessing.connection import Connection

    parent, child = socket.socketpair()
    env = dict(os.environ)
    package_root = str(Path(__file__).resolve().parents[2])  # the folder that holds the nakg package
    env["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, env.get("PYTHONPATH")) if p)
    try:
        process = subprocess.Popen([sys.executable, "-m", "nakg.serve.worker", str(child.fileno()), data_path,
                                    *map(str, limits)],
                                   pass_fds=(child.fileno(),), stdin=subprocess.DEVNULL, env=env, close_fds=True)
    finally:
        child.close()
    return process, Connection(parent.detach())


@dataclass(eq=False)
class _Worker:
    process: Any
    conn: Any
    triples: int = 0


class WorkerPool:
    """``size`` worker processes over the same N-Triples file.

    Args:
        data_path: the graph to load (N-Triples).
        size: the number of workers (queries run in parallel up to this number).
        timeout: seconds a query may run before its worker is killed (504).
        max_results: the cap on result rows or triples, passed to each worker.
        queue_timeout: seconds a request may wait for a free worker (503); default ``timeout``.
        start_timeout: seconds a worker may take to load the graph.
        max_bytes: the cap on the terms of one answer, passed to each worker.
        memory_limit: bytes of address space a worker may use (0: no limit).
        retire_rss: resident bytes after which a worker is replaced once it has answered (0: never).
    """

    def __init__(self, data_path: Path | str, size: int = 2, timeout: float = 10.0, max_results: int = DEFAULT_MAX_RESULTS,
                 queue_timeout: float | None = None, start_timeout: float = 120.0,
                 max_bytes: int = DEFAULT_MAX_RESPONSE_BYTES, memory_limit: int = DEFAULT_MEMORY_LIMIT,
                 retire_rss: int = DEFAULT_RETIRE_RSS):
        if size < 1:
            raise PoolError("the pool needs at least one worker")
        if timeout <= 0:
            raise PoolError("the query timeout must be positive")
        self.data_path = str(data_path)
        self.size = size
        self.timeout = timeout
        self.max_results = max_results
        self.limits = (max_results, max_bytes, memory_limit, retire_rss)
        self.queue_timeout = timeout if queue_timeout is None else queue_timeout
        self.start_timeout = start_timeout
        self.triples = 0
        self.replaced = 0
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._workers: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False

    # --- life cycle --------------------------------------------------------------------------------------------
    def start(self) -> WorkerPool:
        """Start every worker and wait until each has loaded the graph; raises :class:`PoolError` otherwise."""
        workers = [self._spawn() for _ in range(self.size)]
        try:
            for w in workers:
                self._await_ready(w)
        except PoolError:
            self.close()
            raise
        for w in workers:
            self._idle.put(w)
        return self

    def _spawn(self) -> _Worker:
        try:
            process, conn = _start_process(self.data_path, *self.limits)
        except OSError as exc:
            raise PoolError(f"cannot start a query worker: {exc}") from exc
        worker = _Worker(process, conn)
        with self._lock:
            self._workers.add(worker)
        return worker

    def _await_ready(self, worker: _Worker) -> None:
        if not worker.conn.poll(self.start_timeout):
            self._kill(worker)
            raise PoolError(f"a query worker did not load the graph within {self.start_timeout:g} s")
        try:
            status, detail = worker.conn.recv()
        except (EOFError, OSError):
            self._kill(worker)
            raise PoolError(f"a query worker exited while loading the graph (exit code {worker.process.returncode})") from None
        if status != "ready":
            self._kill(worker)
            raise PoolError(f"a query worker could not load {self.data_path}: {detail}")
        worker.triples = self.triples = detail

    def _kill(self, worker: _Worker) -> None:
        with self._lock:
            self._workers.discard(worker)
        if worker.process.poll() is None:
            worker.process.kill()
        try:
            worker.process.wait(10)
        except Exception:  # noqa: BLE001 - a process that outlives SIGKILL is left to the OS
            pass
        worker.conn.close()

    def _replace(self, worker: _Worker) -> None:
        """Kill ``worker`` and start another in its place (runs in a background thread)."""
        self._kill(worker)
        for attempt in range(3):
            if self._closed:
                return
            try:
                new = self._spawn()
                self._await_ready(new)
            except PoolError as exc:
                log.error("replacing a query worker failed (attempt %d): %s", attempt + 1, exc)
                time.sleep(1.0)
                continue
            if self._closed:
                self._kill(new)
                return
            self.replaced += 1
            self._idle.put(new)
            return

    def _retire(self, worker: _Worker) -> None:
        threading.Thread(target=self._replace, args=(worker,), name="nakg-worker-replace", daemon=True).start()

    def close(self) -> None:
        """Stop every worker."""
        self._closed = True
        with self._lock:
            workers = list(self._workers)
        for w in workers:
            try:
                w.conn.send(None)
            except (OSError, ValueError):
                pass
        for w in workers:
            try:
                w.process.wait(2)
            except Exception:  # noqa: BLE001 - killed below
                pass
            self._kill(w)

    def __enter__(self) -> WorkerPool:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.close()

    # --- requests ----------------------------------------------------------------------------------------------
    @property
    def idle(self) -> int:
        """The number of workers free right now."""
        return self._idle.qsize()

    def submit(self, request: dict[str, Any]) -> Response:
        """Run one request (the keyword arguments of :meth:`Engine.execute`) on a free worker."""
        if self._closed:
            return error_response(503, "the server is shutting down")
        try:
            worker = self._idle.get(timeout=self.queue_timeout)
        except queue.Empty:
            return error_response(503, f"all {self.size} query workers are busy; try again later",
                                  {"Retry-After": str(max(1, round(self.timeout)))})
        try:
            worker.conn.send(request)
        except (OSError, ValueError):
            self._retire(worker)
            return error_response(503, "a query worker was lost; try again", {"Retry-After": "2"})
        if worker.conn.poll(self.timeout):
            try:
                response = worker.conn.recv()
            except (EOFError, OSError):
                self._retire(worker)
                return error_response(500, f"the query worker died (exit code {worker.process.poll()}); a query that "
                                           "needs more memory than a worker may use ends its worker")
            if response.headers.pop(RETIRE, None):
                self._retire(worker)  # it grew: a fresh worker takes its place
            else:
                self._idle.put(worker)
            return response
        self._retire(worker)
        log.warning("query stopped after %g s (worker killed and replaced)", self.timeout)
        return error_response(504, f"the query ran longer than the time limit of {self.timeout:g} s and was stopped")
