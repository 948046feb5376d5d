"""Built graphs in pyoxigraph stores, and worker processes that answer queries under a deadline.

A graph is a build folder (its ``graph.trig``, else ``graph.ttl``), an RDF file (``.trig``,
``.ttl``, ``.nt``, ``.nq``, ``.jsonld``, ``.rdf``, ``.n3``), or a pyoxigraph store folder (a
RocksDB directory, e.g. one made by ``kg.store.save``). TriG keeps one named graph per document.

The default graph is the RDF merge of every graph, written into the store when it is loaded:
pyoxigraph's ``use_default_graph_as_union`` does not remove duplicates, so a label stated in n
documents' graphs would match n times, and joins on popular entities would grow quadratically.

``WorkerPool`` runs each request in a separate process that holds the store open read-only (or
read-write, when updates are allowed): a request that outlives the timeout has its process
killed and replaced, so a runaway query costs one worker, never the server. Each worker's address
space is capped (``memory_mib`` beyond what it holds once the store is open): a request that needs
more ends its worker (the allocator aborts), gets ``WorkerLost`` (503), and a fresh worker takes its place.
"""
from __future__ import annotations

import multiprocessing
import os
import queue
import resource
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from .errors import DataError, KgError, UsageError

SUFFIXES = {".trig": ox.RdfFormat.TRIG, ".ttl": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES,
            ".nq": ox.RdfFormat.N_QUADS, ".jsonld": ox.RdfFormat.JSON_LD, ".rdf": ox.RdfFormat.RDF_XML,
            ".owl": ox.RdfFormat.RDF_XML, ".n3": ox.RdfFormat.N3}
STARTUP_SECONDS = 60.0


def is_store(path: str | Path) -> bool:
    """Whether path is a pyoxigraph (RocksDB) store folder."""
    p = Path(path)
    return p.is_dir() and (p / "CURRENT").is_file() and any(p.glob("MANIFEST-*"))


def graph_file(path: str | Path) -> Path:
    """The RDF file a build folder or file argument stands for (TriG preferred: it keeps graphs)."""
    p = Path(path)
    if p.is_dir():
        for name in ("graph.trig", "graph.ttl"):
            if (p / name).is_file():
                return p / name
        raise UsageError(f"{p}: no graph.trig or graph.ttl (give a build folder, an RDF file or a store)")
    if not p.is_file():
        raise UsageError(f"{p}: no such graph (give a build folder, an RDF file or a store)")
    if p.suffix.lower() not in SUFFIXES:
        raise UsageError(f"{p}: unknown RDF file type; known: {', '.join(sorted(SUFFIXES))}")
    return p


MERGE = "INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"


def load(path: str | Path, directory: str | Path | None = None) -> ox.Store:
    """A graph loaded into a new store, its default graph the merge of all graphs: in memory, or
    bulk-copied into an on-disk ``directory``."""
    file = graph_file(path)
    store = ox.Store()
    try:
        store.load(path=str(file), format=SUFFIXES[file.suffix.lower()])
    except (SyntaxError, ValueError) as exc:
        raise UsageError(f"{file}: cannot parse ({str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__})") from None
    except OSError as exc:
        raise UsageError(f"{file}: cannot read ({exc})") from None
    store.update(MERGE)
    if directory is None:
        return store
    disk = ox.Store(str(directory))
    disk.bulk_extend(store)
    disk.optimize()   # compacted for reading: the server only reads
    return disk


def open_store(path: str | Path, *, writable: bool = False) -> ox.Store:
    """A store folder opened (read-only unless ``writable``), or a graph file loaded in memory."""
    if is_store(path):
        try:
            return ox.Store(str(path)) if writable else ox.Store.read_only(str(path))
        except OSError as exc:
            raise UsageError(f"{path}: cannot open the store ({exc})") from None
    return load(path)


def save(path: str | Path, directory: str | Path) -> int:
    """Bulk-load a graph into a store folder (created if needed); returns the number of quads."""
    store = load(path, directory)
    store.flush()
    return len(store)


# --------------------------------------------------------------------------- worker processes

@dataclass(frozen=True)
class Request:
    """One SPARQL protocol request: query or update text, wanted format, dataset."""

    text: str
    accept: str = ""
    format: str = ""
    update: bool = False
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Reply:
    status: int
    media_type: str
    body: bytes
    truncated: str = ""     # "rows" or "bytes" when the answer was cut at a cap


class QueryTimeout(KgError):
    """A request ran past the deadline; its worker was killed."""


class WorkerLost(KgError):
    """A worker died answering a request (over its memory cap); it was replaced."""


@dataclass(frozen=True)
class Limits:
    """What one request may use: rows, bytes of answer, worker memory (MiB of address space)."""

    max_rows: int = 10000
    max_bytes: int = 32 * 1024 * 1024
    memory_mib: int = 2048


def vm_size() -> int:
    """This process's address space in bytes (Linux /proc; 0 when unknown)."""
    try:
        with open("/proc/self/status") as fh:
            return next(int(line.split()[1]) * 1024 for line in fh if line.startswith("VmSize:"))
    except (OSError, StopIteration, ValueError):
        return 0


def cap_memory(mib: int) -> None:
    """Cap this process's address space at what it uses now plus ``mib`` MiB."""
    limit = vm_size() + mib * 1024 * 1024
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _quiet_stderr() -> None:
    """Send the worker's stderr to /dev/null: an allocator abort prints a backtrace there, and
    the server logs one line for it instead."""
    try:
        fd = os.open(os.devnull, os.O_WRONLY)
        os.dup2(fd, 2)
        os.close(fd)
    except OSError:
        pass


def _worker(directory: str, writable: bool, limits: Limits, conn: Any) -> None:
    """A worker process: open the store, cap its memory, then answer requests until the pipe closes."""
    from .serve import respond

    from .stores import SparqlStore, is_server

    try:
        if is_server(directory):        # a SPARQL server: queries are passed on, read-only
            store: Any = SparqlStore(directory)
            store.query("ASK {}")
        else:
            store = ox.Store(directory) if writable else ox.Store.read_only(directory)
    except Exception as exc:  # reported to the parent, which fails to start
        conn.send(("error", f"{directory}: cannot open the store ({exc})"))
        return
    from .guard import warm

    warm()                              # the check's parser is built before the first request's timer
    cap_memory(limits.memory_mib)       # on top of what the open store and the parser use
    _quiet_stderr()
    conn.send(("ready", ""))
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        try:
            reply = respond(store, request, limits, writable=writable)
        except MemoryError:
            os._exit(3)     # over the memory cap: the parent answers 503 and starts a fresh worker
        except Exception as exc:  # a bug must not kill the worker silently
            reply = Reply(500, "text/plain; charset=utf-8", f"internal error: {type(exc).__name__}: {exc}\n".encode())
        conn.send(reply)


class _Worker:
    def __init__(self, ctx: Any, directory: str, writable: bool, limits: Limits) -> None:
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_worker, args=(directory, writable, limits, child), daemon=True,
                                   name="kg-query-worker")
        self.process.start()
        child.close()
        self.ready = False

    def wait_ready(self) -> None:
        if self.ready:
            return
        if not self.conn.poll(STARTUP_SECONDS):
            raise DataError(f"a query worker did not start within {STARTUP_SECONDS:.0f} s")
        try:
            kind, message = self.conn.recv()
        except (EOFError, OSError):
            raise DataError("a query worker died while opening the store") from None
        if kind != "ready":
            raise DataError(message)
        self.ready = True

    def kill(self) -> None:
        self.conn.close()
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)


class WorkerPool:
    """``workers`` processes answering requests; each request has ``timeout`` seconds (waiting
    for a free worker included), after which its worker is killed and replaced."""

    def __init__(self, directory: str | Path, *, workers: int = 2, writable: bool = False,
                 timeout: float = 10.0, limits: Limits = Limits()) -> None:
        """directory: a store folder, or the URL of a SPARQL server whose answers are passed on."""
        if workers < 1 or timeout <= 0 or min(limits.max_rows, limits.max_bytes, limits.memory_mib) < 1:
            raise UsageError("workers, timeout, max rows, max bytes and worker memory must be positive")
        self.directory, self.writable = str(directory), writable
        self.timeout, self.limits = timeout, limits
        self.size = 1 if writable else workers  # one read-write opener at a time
        self._ctx = multiprocessing.get_context("spawn")
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: list[_Worker] = []
        self._lock = threading.Lock()
        self._closed = False
        workers_ = [self._spawn() for _ in range(self.size)]
        try:
            for w in workers_:
                w.wait_ready()
        except KgError:
            self.close()
            raise
        for w in workers_:
            self._idle.put(w)

    def _spawn(self) -> _Worker:
        w = _Worker(self._ctx, self.directory, self.writable, self.limits)
        with self._lock:
            self._all.append(w)
        return w

    def _retire(self, w: _Worker) -> None:
        w.kill()
        with self._lock:
            if w in self._all:
                self._all.remove(w)
            if self._closed:
                return
        self._idle.put(self._spawn())

    def run(self, request: Request) -> Reply:
        """Answer one request; ``QueryTimeout`` when it takes longer than the timeout."""
        try:
            w = self._idle.get(timeout=self.timeout)
        except queue.Empty:
            raise QueryTimeout(f"no free query worker within {self.timeout:g} s (server busy)") from None
        healthy = False
        try:
            w.wait_ready()
            w.conn.send(request)
            if not w.conn.poll(self.timeout):
                raise QueryTimeout(f"query timed out after {self.timeout:g} s; the server stopped it")
            reply = w.conn.recv()
            healthy = True
            return reply
        except (EOFError, OSError, BrokenPipeError):
            raise WorkerLost(f"the query needed more than the worker's memory cap ({self.limits.memory_mib} MiB) "
                             f"or its worker died; a fresh worker took its place") from None
        finally:
            if healthy:
                self._idle.put(w)
            else:
                self._retire(w)

    def close(self) -> None:
        """Stop every worker."""
        with self._lock:
            self._closed = True
            workers, self._all = self._all, []
        for w in workers:
            w.kill()
