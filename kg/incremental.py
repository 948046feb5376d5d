"""What a build remembers between runs, in ``OUT/.kg-cache/cache.sqlite``.

- ``records``: each document's extraction result (document, publisher, facts), keyed by a hash of
  its bytes, its graph name, kg's version, the ontology data and the spaCy model, so a re-run only
  parses what changed and a new kg, ontology or model parses everything again;
- ``members``: the documents of the last finished build (a later build adds to them; ``--prune``
  drops the ones no longer among the inputs);
- ``graphs``: per store, a digest of each named graph written there, so an incremental build
  rewrites only graphs whose content changed;
- ``state``: per store, the fingerprint of the last finished build: the same inputs again change
  nothing at all.

Records are committed batch by batch, the rest only once a build has finished: an interrupted
build leaves the last good outputs, and the next run reuses every record already made.
"""
from __future__ import annotations

import hashlib
import pickle
import sqlite3
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator

from spacy.language import Language

from . import __version__
from .documents import Document
from .errors import UsageError
from .records import Entity, Fact
from .resources import ontology_dir

CACHE_DIR = ".kg-cache"
SCHEMA = """
CREATE TABLE IF NOT EXISTS records (key TEXT PRIMARY KEY, data BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS members (doc_id TEXT PRIMARY KEY, key TEXT NOT NULL, path TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS graphs (store TEXT, doc_id TEXT, digest TEXT NOT NULL, PRIMARY KEY (store, doc_id));
CREATE TABLE IF NOT EXISTS state (store TEXT PRIMARY KEY, fingerprint TEXT NOT NULL);
"""
Record = tuple[Document, "Entity | None", "list[Fact]"]


@lru_cache(maxsize=1)
def ontology_digest() -> str:
    """A hash of the ontology data files and of kg's own code: changing a lexicon row or an
    extraction rule (even without a new version number) re-extracts every document."""
    h = hashlib.sha256()
    code = sorted(Path(__file__).resolve().parent.glob("*.py"))
    for path in [*sorted(ontology_dir().iterdir()), *code]:
        if path.is_file():
            h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def model_id(nlp: Language) -> str:
    """The spaCy pipeline's name and version, and the components kg runs on it."""
    meta = nlp.meta
    return f"{meta.get('lang')}_{meta.get('name')}-{meta.get('version')}:{','.join(nlp.pipe_names)}"


def engine(model: str) -> str:
    """What, besides a document's bytes, decides its records."""
    return hashlib.sha256(f"kg {__version__}\0{ontology_digest()}\0{model}".encode()).hexdigest()


def record_key(engine_id: str, doc_id: str, sha256: str) -> str:
    """The cache key of a document's records: its name and bytes, under this engine."""
    return hashlib.sha256(f"{engine_id}\0{doc_id}\0{sha256}".encode()).hexdigest()


class Cache:
    """The cache database of one output folder."""

    def __init__(self, out_dir: str | Path) -> None:
        folder = Path(out_dir) / CACHE_DIR
        try:
            folder.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(folder / "cache.sqlite", timeout=30)
            self.db.executescript(SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise UsageError(f"{folder}: cannot open the build cache ({exc})") from None

    def close(self) -> None:
        self.db.close()

    def known(self, keys: Iterable[str]) -> set[str]:
        """The keys among these that have records."""
        found: set[str] = set()
        keys = list(keys)
        for i in range(0, len(keys), 500):
            chunk = keys[i:i + 500]
            rows = self.db.execute(f"SELECT key FROM records WHERE key IN ({','.join('?' * len(chunk))})", chunk)
            found.update(k for (k,) in rows)
        return found

    def put(self, items: Iterable[tuple[str, Record]]) -> None:
        """Store records (committed at once: a later interruption keeps them)."""
        with self.db:
            self.db.executemany("INSERT OR REPLACE INTO records VALUES (?, ?)",
                                ((k, pickle.dumps(r, protocol=pickle.HIGHEST_PROTOCOL)) for k, r in items))

    def get(self, key: str) -> Record:
        row = self.db.execute("SELECT data FROM records WHERE key = ?", (key,)).fetchone()
        if row is None:
            raise KeyError(key)
        return pickle.loads(row[0])

    def records(self, keys: list[str]) -> Iterator[Record]:
        """Records one at a time, in the order given (memory stays flat however many there are)."""
        for key in keys:
            yield self.get(key)

    def members(self) -> dict[str, tuple[str, str]]:
        """doc_id → (key, path) of the last finished build."""
        return {d: (k, p) for d, k, p in self.db.execute("SELECT doc_id, key, path FROM members")}

    def fingerprint(self, store: str) -> str | None:
        row = self.db.execute("SELECT fingerprint FROM state WHERE store = ?", (store,)).fetchone()
        return row[0] if row else None

    def digests(self, store: str) -> dict[str, str]:
        return dict(self.db.execute("SELECT doc_id, digest FROM graphs WHERE store = ?", (store,)))

    def set_digests(self, store: str, items: Iterable[tuple[str, str | None]]) -> None:
        """Record graphs written (digest) or dropped (None) in a store."""
        with self.db:
            for doc_id, digest in items:
                if digest is None:
                    self.db.execute("DELETE FROM graphs WHERE store = ? AND doc_id = ?", (store, doc_id))
                else:
                    self.db.execute("INSERT OR REPLACE INTO graphs VALUES (?, ?, ?)", (store, doc_id, digest))

    def finish(self, store: str, fingerprint: str, members: dict[str, tuple[str, str]]) -> None:
        """A build finished: remember its documents and fingerprint; forget unused records."""
        with self.db:
            self.db.execute("DELETE FROM members")
            self.db.executemany("INSERT INTO members VALUES (?, ?, ?)",
                                ((d, k, p) for d, (k, p) in sorted(members.items())))
            self.db.execute("INSERT OR REPLACE INTO state VALUES (?, ?)", (store, fingerprint))
            self.db.execute("DELETE FROM records WHERE key NOT IN (SELECT key FROM members)")


def fingerprint(store: str, members: dict[str, tuple[str, str]], extra: str = "") -> str:
    """What the outputs of a build depend on: the documents' keys (which cover the engine)."""
    h = hashlib.sha256(f"{store}\0{extra}\0".encode())
    for doc_id, (key, _) in sorted(members.items()):
        h.update(f"{doc_id}\0{key}\n".encode())
    return h.hexdigest()
