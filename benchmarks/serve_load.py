"""Load on ``kg serve`` over loopback: many concurrent clients, fast and slow (runaway) queries, and
idle connections; reports answers by status, latencies, and the server's memory (its process and
its query workers) before, during and after.

    .venv/bin/python benchmarks/serve_load.py [GRAPH] [--clients 32] [--queries 50] [--slow-every 10]
                                              [--idle 16] [--timeout 2] [--workers 2] [--json]
    .venv/bin/python benchmarks/serve_load.py [GRAPH] --slowloris [--slow 64] [--queries 50]

``--slowloris`` instead measures one well-behaved client's latency while ``--slow`` connections
trickle their requests a byte at a time (reconnecting whenever they are cut off), as a ratio
against the same client with no slow connections, in the same run.

GRAPH defaults to a build of data/ made in a temporary folder. Asserts nothing; see
tests/test_serve_load.py for the bounded version that CI runs.
"""
from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
FAST = ["SELECT ?label WHERE { ?s skos:prefLabel ?label } ORDER BY ?label LIMIT 50",
        "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
        "ASK { ?s a kg:Fact }",
        "CONSTRUCT { ?s skos:prefLabel ?l } WHERE { ?s skos:prefLabel ?l } LIMIT 100"]
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"


def tree_rss_kb(pid: int) -> int:
    """Resident memory of a process and all its descendants, in kB (Linux /proc)."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/status") as fh:
                total += next(int(line.split()[1]) for line in fh if line.startswith("VmRSS:"))
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as fh:
                    todo += [int(c) for c in fh.read().split()]
        except (OSError, StopIteration):
            continue
    return total


class Served:
    """``kg serve`` in a subprocess on a free loopback port."""

    def __init__(self, graph: Path, timeout: float, workers: int) -> None:
        self.proc = subprocess.Popen([sys.executable, "-m", "kg", "serve", str(graph), "--port", "0", "--quiet",
                                      "--timeout", str(timeout), "--workers", str(workers)],
                                     cwd=ROOT, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
        first = self.proc.stderr.readline()
        if " at " not in first:
            self.proc.kill()
            raise RuntimeError(f"kg serve did not start: {first}{self.proc.stderr.read()}")
        self.url = first.split(" at ")[1].split()[0]
        self.lines: list[str] = []
        threading.Thread(target=lambda: self.lines.extend(self.proc.stderr), daemon=True).start()

    def stop(self) -> int:
        self.proc.terminate()
        return self.proc.wait(timeout=30)


def ask(url: str, query: str) -> tuple[int | str, float]:
    started = time.monotonic()
    try:
        with urllib.request.urlopen(url + "?" + urlencode({"query": query}), timeout=120) as r:
            r.read()
            status: int | str = r.status
    except urllib.error.HTTPError as exc:
        exc.read()
        status = exc.code
    except OSError as exc:
        status = type(exc).__name__
    return status, time.monotonic() - started


def load(url: str, pid: int, clients: int, queries: int, slow_every: int, idle: int) -> dict:
    """Run the load; return answers by (kind, status), latencies and memory samples."""
    results: list[tuple[str, int | str, float]] = []
    lock = threading.Lock()
    samples: list[int] = []
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            samples.append(tree_rss_kb(pid))
            stop.wait(0.05)

    def client(c: int) -> None:
        for i in range(queries):
            slow = slow_every > 0 and (c * queries + i) % slow_every == 0
            status, seconds = ask(url, SLOW if slow else FAST[(c + i) % len(FAST)])
            with lock:
                results.append(("slow" if slow else "fast", status, seconds))

    parts = urlsplit(url)
    idlers = [socket.create_connection((parts.hostname, parts.port)) for _ in range(idle)]
    for s in idlers:
        s.sendall(b"GET /sparql?query=ASK%7B%7D HTTP/1.0\r\n")   # a request never finished (a slow client)
    before = tree_rss_kb(pid)
    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(c,)) for c in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.monotonic() - started
    stop.set()
    sampler.join()
    for s in idlers:
        s.close()
    after_status, _ = ask(url, FAST[0])
    counts: dict[str, int] = {}
    for kind, status, _ in results:
        counts[f"{kind} {status}"] = counts.get(f"{kind} {status}", 0) + 1
    fast = sorted(s for k, st, s in results if k == "fast" and st == 200)
    return {"requests": len(results), "wall_s": round(wall, 2), "answers": dict(sorted(counts.items())),
            "fast_200_latency_s": {"median": round(statistics.median(fast), 3) if fast else None,
                                   "p95": round(fast[int(len(fast) * 0.95) - 1], 3) if fast else None,
                                   "max": round(fast[-1], 3) if fast else None},
            "rss_mb": {"before": round(before / 1024), "peak": round(max(samples, default=before) / 1024),
                       "after": round(tree_rss_kb(pid) / 1024)},
            "after_load_status": after_status}


class Tricklers:
    """n connections that send a request a byte every 0.2 s, for ever, reconnecting when cut off."""

    def __init__(self, url: str, n: int, source: str = "127.0.0.1") -> None:
        parts = urlsplit(url)
        self.address, self.source, self.stop = (parts.hostname, parts.port), source, threading.Event()
        self.connects = 0
        self.connected = threading.Semaphore(0)
        self.threads = [threading.Thread(target=self.run, daemon=True) for _ in range(n)]
        for t in self.threads:
            t.start()
        for _ in range(n):
            self.connected.acquire(timeout=30)

    def run(self) -> None:
        first = True
        while not self.stop.is_set():
            try:
                with socket.create_connection(self.address, timeout=5, source_address=(self.source, 0)) as s:
                    s.sendall(b"GET / HTTP/1.1\r\n")
                    self.connects += 1
                    if first:
                        self.connected.release()
                        first = False
                    while not self.stop.wait(0.2):
                        s.sendall(b"X")
            except OSError:
                self.stop.wait(0.05)

    def close(self) -> None:
        self.stop.set()
        for t in self.threads:
            t.join(10)


def slowloris(url: str, slow: int = 64, queries: int = 50, hold: float = 12.0, source: str = "127.0.0.1") -> dict:
    """A good client's latencies with no slow connections, then while ``slow`` trickling ones hold
    on for ``hold`` seconds (past the header deadline, so they are cut off and reconnect): at
    least ``queries`` queries, one every 0.05 s."""
    def good(duration: float) -> tuple[dict[str, int], list[float]]:
        counts: dict[str, int] = {}
        times: list[float] = []
        end = time.monotonic() + duration
        i = 0
        while i < queries or time.monotonic() < end:
            status, seconds = ask(url, FAST[i % 2])
            i += 1
            time.sleep(0.05)
            counts[str(status)] = counts.get(str(status), 0) + 1
            if status == 200:
                times.append(seconds)
        return counts, times

    base_counts, base = good(0)
    tricklers = Tricklers(url, slow, source)
    try:
        under_counts, under = good(hold)
    finally:
        tricklers.close()
    median = statistics.median(base) if base else None
    slowed = statistics.median(under) if under else None
    return {"slow_connections": slow, "slow_connects": tricklers.connects, "hold_s": hold,
            "baseline": {"answers": base_counts, "median_s": round(median, 4) if median else None},
            "under_slowloris": {"answers": under_counts, "median_s": round(slowed, 4) if slowed else None},
            "latency_ratio": round(slowed / median, 2) if median and slowed else None}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("graph", nargs="?", type=Path)
    ap.add_argument("--clients", type=int, default=32)
    ap.add_argument("--queries", type=int, default=50, help="queries per client")
    ap.add_argument("--slow-every", type=int, default=10, help="every Nth query is a runaway one (0: none)")
    ap.add_argument("--idle", type=int, default=16, help="connections that send half a request and wait")
    ap.add_argument("--timeout", type=float, default=2.0)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--slowloris", action="store_true", help="measure a good client against trickling connections")
    ap.add_argument("--slow", type=int, default=64, help="trickling connections for --slowloris")
    ap.add_argument("--hold", type=float, default=12.0, help="seconds the trickling connections hold on")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        graph = args.graph
        if graph is None:
            graph = Path(tmp) / "out"
            subprocess.run([sys.executable, "-m", "kg", "build", str(ROOT / "data"), "--out", str(graph), "--quiet"],
                           cwd=ROOT, check=True)
        served = Served(graph, args.timeout, args.workers)
        try:
            if args.slowloris:
                report = slowloris(served.url, args.slow, args.queries, args.hold)
            else:
                report = load(served.url, served.proc.pid, args.clients, args.queries, args.slow_every, args.idle)
        finally:
            report_code = served.stop()
        report.update(graph=str(args.graph or "data/ (built)"), clients=args.clients, queries_per_client=args.queries,
                      slow_every=args.slow_every, idle=args.idle, timeout_s=args.timeout, workers=args.workers,
                      server_exit=report_code, tracebacks=sum("Traceback" in line for line in served.lines),
                      load_average=os.getloadavg()[0])
    print(json.dumps(report, indent=None if args.json else 2))


if __name__ == "__main__":
    main()
