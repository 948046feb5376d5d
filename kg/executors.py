"""Where the per-document work runs: this process, N worker processes, or a Dask cluster.

Each executor takes the documents to parse and yields their ``Outcome``s in input order, so the
build's output is the same whichever runs it. Worker processes are forked from the builder and
share its loaded spaCy pipeline; Dask workers load the pipeline by name, once per worker process.
"""
from __future__ import annotations

import multiprocessing
from functools import lru_cache
from itertools import chain, islice
from typing import Any, Callable, Iterable, Iterator, Sequence, TypeVar

from spacy.language import Language

from .documents import Document
from .errors import UsageError
from .work import BATCH_SIZE, Outcome, process

T, R = TypeVar("T"), TypeVar("R")
CHUNK = BATCH_SIZE * 4       # documents per task: big enough to batch well, small enough to spread
DASK_TIMEOUT = 30.0           # seconds to reach the scheduler


def _chunks(documents: Iterable[Document]) -> Iterator[list[Document]]:
    """Lists of CHUNK documents, taken from documents as they are needed."""
    it = iter(documents)
    while chunk := list(islice(it, CHUNK)):
        yield chunk


def run_local(documents: Iterable[Document], nlp: Language, workers: int = 1,
              on_piece: Callable[[int], None] | None = None) -> Iterator[Outcome]:
    """Outcomes of documents, parsed here (workers=1) or in ``workers`` forked processes; the
    documents are taken from the iterable a chunk at a time. Parsed here, ``on_piece`` is told
    the characters of each piece of text read (progress within a long text)."""
    chunks = _chunks(documents)
    first = next(chunks, [])
    second = next(chunks, None)
    if workers <= 1 or second is None:
        for chunk in chain([first], [second] if second else [], chunks):
            yield from process(chunk, nlp, on_piece=on_piece)
        return
    yield from _forked(lambda chunk: list(process(chunk, nlp)), chain([first, second], chunks), workers)


def map_local(fn: Callable[[T], R], items: Sequence[T], workers: int = 1) -> Iterator[R]:
    """fn over items, in order: here, or in ``workers`` forked processes (fn need not pickle,
    its results must)."""
    if workers <= 1 or len(items) <= CHUNK:
        yield from map(fn, items)
        return
    chunks = (list(items[i:i + CHUNK]) for i in range(0, len(items), CHUNK))
    yield from _forked(lambda chunk: [fn(item) for item in chunk], chunks, workers)


_TASKS: dict[int, Callable[[Any], list[Any]]] = {}   # what forked workers inherit, by id


def _forked(task: Callable[[Any], list[R]], chunks: Iterable[Any], workers: int) -> Iterator[R]:
    """task over chunks in ``workers`` forked processes, results in order. The task is inherited
    through the fork, so it need not pickle — the loaded spaCy pipeline is shared."""
    key = id(task)
    _TASKS[key] = task
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            for results in pool.imap(_run_task, ((key, chunk) for chunk in chunks)):
                yield from results
    finally:
        _TASKS.pop(key, None)


def _run_task(job: tuple[int, Any]) -> list[Any]:
    key, chunk = job
    return _TASKS[key](chunk)


# --------------------------------------------------------------------------- Dask

@lru_cache(maxsize=4)
def _pipeline(model: str) -> Language:
    from . import nlp as nlp_mod

    return nlp_mod.load(model)


def dask_task(model: str, documents: list[Document]) -> list[Outcome]:
    """Run on a Dask worker: the pipeline is loaded once per worker process, then reused."""
    return list(process(documents, _pipeline(model)))


def dask_address(spec: str) -> str:
    """``dask://HOST:PORT`` → the scheduler's ``tcp://HOST:PORT``."""
    if not spec.startswith("dask://") or ":" not in spec[len("dask://"):]:
        raise UsageError(f"bad executor {spec!r}: give local or dask://HOST:PORT")
    return "tcp://" + spec[len("dask://"):].rstrip("/")


def run_dask(documents: Iterable[Document], model: str, address: str) -> Iterator[Outcome]:
    """Outcomes of documents parsed on the Dask cluster at ``address`` (tcp://HOST:PORT), in order;
    at most a few chunks per worker are in flight, so the builder's memory stays flat."""
    try:
        from distributed import Client
    except ImportError:
        raise UsageError("the Dask executor needs dask[distributed]: pip install 'kg[dask]'") from None
    try:
        client = Client(address, timeout=DASK_TIMEOUT, set_as_default=False)
    except (OSError, TimeoutError) as exc:
        raise UsageError(f"cannot reach the Dask scheduler at {address}: {exc}") from None
    try:
        window = max(2, 2 * len(client.scheduler_info().get("workers", {})))
        futures = []
        for chunk in _chunks(documents):
            futures.append(client.submit(dask_task, model, chunk, pure=False))
            if len(futures) >= window:
                yield from futures.pop(0).result()
        for future in futures:
            yield from future.result()
    finally:
        client.close()
