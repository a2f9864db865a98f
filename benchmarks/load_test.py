"""Bounded load test of `nakg serve` on loopback: 1000 requests from 50 concurrent clients, beside hostile ones.

Starts the endpoint on a free 127.0.0.1 port, sends a mix of the competency
questions (GET and POST, JSON results), and prints the error count and the
p50/p99 latencies. Beside the normal mix run

* slow clients (``--slow-clients``): each opens a connection and sends one
  header line every few seconds, never finishing its request — the server must
  cut each off at its request deadline and keep serving the mix;
* large-response clients (``--large-clients``): each asks again and again for
  rows of 80 kB literals — the answer must be cut off at the byte cap.

Traffic goes only to this machine; the run is bounded in count (--requests)
and time (--deadline) and stops the server afterwards.

    python benchmarks/load_test.py [--requests 1000] [--clients 50] [--workers 2] [--slow-clients 8] [--large-clients 2]
"""

from __future__ import annotations

import argparse
import json
import socket
import statistics
import subprocess
import sys
import threading
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


#: A query whose every row carries an 80 kB literal (made by the query itself, so the request stays small).
LARGE = ("SELECT ?x WHERE { ?s ?p ?o BIND(\"xxxxxxxxxx\" AS ?a0) "
         + " ".join(f"BIND(CONCAT(?a{i}, ?a{i}) AS ?a{i + 1})" for i in range(13)) + " BIND(?a13 AS ?x) }")


def slow_client(port: int, stop: threading.Event, pause: float, stats: dict) -> None:
    """Open a connection, send a header line every ``pause`` seconds and count how long the server kept it."""
    while not stop.is_set():
        try:
            sock = socket.create_connection(("127.0.0.1", port), timeout=pause + 5)
        except OSError:
            stats["refused"] += 1
            time.sleep(pause)
            continue
        opened = time.monotonic()
        try:
            sock.sendall(b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            while not stop.is_set():
                sock.sendall(b"X-Slow: 1\r\n")
                sock.settimeout(pause)
                try:
                    if sock.recv(1024) == b"":
                        break
                except socket.timeout:
                    continue
        except OSError:
            pass
        finally:
            sock.close()
        if not stop.is_set():
            stats["cut_off"] += 1
            stats["held"].append(time.monotonic() - opened)


def large_client(base: str, stop: threading.Event, stats: dict) -> None:
    """Ask for the large answer until stopped; record its size and whether it was cut at the byte cap."""
    while not stop.is_set():
        req = urllib.request.Request(base + "/sparql?" + urllib.parse.urlencode({"query": LARGE}),
                                     headers={"Accept": "application/sparql-results+json"})
        try:
            with urllib.request.urlopen(req, timeout=60) as resp:
                body = resp.read()
                stats["sizes"].append(len(body))
                stats["byte_capped"] += "max-bytes" in (resp.headers.get("X-Nakg-Truncated") or "")
        except urllib.error.HTTPError as exc:
            stats["errors"].append(f"HTTP {exc.code}")
            time.sleep(0.5)
        except OSError as exc:
            stats["errors"].append(type(exc).__name__)
            time.sleep(0.5)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--requests", type=int, default=1000)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--deadline", type=float, default=300.0, help="stop after this many seconds, whatever is left")
    ap.add_argument("--slow-clients", type=int, default=8, help="connections that send their headers a line at a time")
    ap.add_argument("--slow-pause", type=float, default=3.0, help="seconds between the header lines of a slow client")
    ap.add_argument("--large-clients", type=int, default=2, help="clients asking for answers of 80 kB rows")
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

        stop = threading.Event()
        slow = {"cut_off": 0, "refused": 0, "held": []}
        large = {"sizes": [], "byte_capped": 0, "errors": []}
        hostile = [threading.Thread(target=slow_client, args=(port, stop, args.slow_pause, slow), daemon=True)
                   for _ in range(args.slow_clients)]
        hostile += [threading.Thread(target=large_client, args=(base, stop, large), daemon=True)
                    for _ in range(args.large_clients)]
        for t in hostile:
            t.start()
        t0 = time.perf_counter()
        with ThreadPoolExecutor(max_workers=args.clients) as pool:
            results = list(pool.map(one, range(args.requests)))
        wall = time.perf_counter() - t0
        stop.set()
        for t in hostile:
            t.join(args.slow_pause + 10)
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
    if args.slow_clients:
        held = max(slow["held"]) if slow["held"] else float("nan")
        print(f"slow clients: {args.slow_clients}  connections cut off at the request deadline: {slow['cut_off']}  "
              f"longest held: {held:.1f} s  refused (503/closed): {slow['refused']}")
    if args.large_clients:
        biggest = max(large["sizes"]) if large["sizes"] else 0
        print(f"large-response clients: {args.large_clients}  answers: {len(large['sizes'])}  cut at the byte cap: "
              f"{large['byte_capped']}  largest body: {biggest / 1e6:.1f} MB  errors: {len(large['errors'])} "
              f"{sorted(set(large['errors'])) if large['errors'] else ''}")
    failed = errors or (args.large_clients and (large["errors"] or large["byte_capped"] < len(large["sizes"])))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
