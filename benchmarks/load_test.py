"""Bounded load test of `nakg serve` on loopback: 1000 requests from 50 concurrent clients.

Starts the endpoint on a free 127.0.0.1 port, sends a mix of the competency
questions (GET and POST, JSON results), and prints the error count and the
p50/p99 latencies. Traffic goes only to this machine; the run is bounded in
count (--requests) and time (--deadline) and stops the server afterwards.

    python benchmarks/load_test.py [--requests 1000] [--clients 50] [--workers 2]
"""

from __future__ import annotations

import argparse
import json
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from nakg.queries import list_queries


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(url: str, deadline: float) -> None:
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("the endpoint did not start in time")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--requests", type=int, default=1000)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--deadline", type=float, default=300.0, help="stop after this many seconds, whatever is left")
    args = ap.parse_args()

    queries = [q.text for q in list_queries("cq") if all(p.default is not None for p in q.params)]
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([sys.executable, "-m", "nakg", "serve", "--port", str(port), "--workers", str(args.workers),
                               "--quiet"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    stop_at = time.time() + args.deadline
    try:
        wait_ready(base + "/", time.time() + 120)

        def one(i: int) -> tuple[float, str | None]:
            if time.time() > stop_at:
                return 0.0, "deadline"
            q = queries[i % len(queries)]
            headers = {"Accept": "application/sparql-results+json"}
            if i % 2:
                req = urllib.request.Request(base + "/sparql?" + urllib.parse.urlencode({"query": q}), headers=headers)
            else:
                req = urllib.request.Request(base + "/sparql", data=q.encode(), method="POST",
                                             headers={**headers, "Content-Type": "application/sparql-query"})
            t0 = time.perf_counter()
            for attempt in range(3):
                try:
                    with urllib.request.urlopen(req, timeout=60) as resp:
                        json.loads(resp.read())
                        return time.perf_counter() - t0, None
                except urllib.error.HTTPError as exc:
                    if exc.code == 503 and attempt < 2:  # all workers busy: the server asks to retry
                        time.sleep(float(exc.headers.get("Retry-After", "0.05") or 0.05))
                        continue
                    return time.perf_counter() - t0, f"HTTP {exc.code}"
                except OSError as exc:
                    return time.perf_counter() - t0, type(exc).__name__
            return time.perf_counter() - t0, "retries exhausted"

        t0 = time.perf_counter()
        with ThreadPoolExecutor(max_workers=args.clients) as pool:
            results = list(pool.map(one, range(args.requests)))
        wall = time.perf_counter() - t0
    finally:
        server.terminate()
        server.wait(timeout=30)
    latencies = sorted(t for t, err in results if err is None)
    errors = [err for _, err in results if err is not None]
    q = statistics.quantiles(latencies, n=100) if len(latencies) >= 2 else [float("nan")] * 99
    print(f"requests: {len(results)}  clients: {args.clients}  workers: {args.workers}  queries in the mix: {len(queries)}")
    print(f"errors: {len(errors)} {sorted(set(errors)) if errors else ''}")
    print(f"wall: {wall:.2f} s  throughput: {len(results) / wall:.1f} req/s")
    print(f"latency p50: {q[49] * 1000:.1f} ms  p99: {q[98] * 1000:.1f} ms  max: {max(latencies) * 1000:.1f} ms")
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
