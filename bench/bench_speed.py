"""Speed of the default path, each figure against a baseline measured in the same run.

    .venv/bin/python bench/bench_speed.py [--pairs 60] [--cached 50] [--skip-torch]

Prints:
  1. cold start to a JSON report (kim-arrives, a fresh ``mtcheck check --no-cache`` process, best
     of 3) on the ONNX path and on the torch path (``--runtime torch``), against a fresh
     ``python -c "import onnxruntime"``. Targets: ONNX path <= 2.5 s and <= 1.5x the bare import.
  2. warm throughput: ``--pairs`` articles of the MQM dev set (a document's reference segments as
     the source, one system's output as the candidate, ``bench/eval_documents.py``) checked one
     after the other in this process with the model loaded, on each path, in pairs per minute;
     against the bare model embedding the same articles' sentences (and nothing else) in one
     call, in the pairs per minute that alone would allow. Target: >= 150 pairs/min.
  3. the persistent cache: ``--cached`` articles checked with an empty cache file, then again
     (the process's own memory cache emptied before each pass, so the file is what answers).
     Target: the repeat >= 10x faster.
  4. ``--parallel`` article pairs (the dev articles, cycled; a repeat gets a numbered closing
     sentence so that no two pairs are the same) through the gate: one process (model threads
     2), a pool of 2 processes (1 thread each), a local Dask cluster of 2 workers; pairs per
     minute each, model loading in the workers included.
  5. with ``--memory``: the peak memory of one ``mtcheck check`` process on a pair of
     10,000-sentence articles (the dev set's references and one system's output, repeated and
     numbered), against the same for kim-arrives (target: within 2 GB); and this process's
     resident memory while it checks 1,000 pairs one after the other (target: flat).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

import eval_documents
import eval_mqm

MTCHECK = Path(sys.executable).with_name("mtcheck")


def best_of(runs: int, args: list[str]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(args, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return min(times)


def cold_start(skip_torch: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        out = str(Path(tmp) / "kim.json")
        check = [str(MTCHECK), "check", "pairs/kim-arrives/source.txt", "pairs/kim-arrives/candidate.txt"]
        check += ["--format", "json", "--output", out, "--force", "--no-cache"]
        onnx = best_of(3, check)
        torch = None if skip_torch else best_of(3, [*check, "--runtime", "torch"])
    bare = best_of(3, [sys.executable, "-c", "import onnxruntime"])
    print("1. cold start to a JSON report (kim-arrives, fresh process, best of 3)")
    print(f"   ONNX path (default)        {onnx:6.2f} s   target <= 2.5 s")
    if torch is not None:
        print(f"   torch path (--runtime torch) {torch:4.2f} s   ONNX path {torch / onnx:.1f}x faster")
    print(f"   bare import onnxruntime    {bare:6.2f} s   ONNX path / bare import {onnx / bare:.2f}x (target <= 1.5x)")


def warm(articles: list[dict], skip_torch: bool) -> None:
    from mtcheck import CheckConfig, check
    from mtcheck.embed import DEFAULT_ENGLISH, get_embedder
    from mtcheck.segment import as_document

    print(f"2. warm throughput: {len(articles)} MQM dev articles, one process, model loaded")
    for runtime in ("onnx",) if skip_torch else ("onnx", "torch"):
        config = CheckConfig(runtime=runtime)
        embedder = get_embedder(DEFAULT_ENGLISH, runtime=runtime)
        check(articles[0]["source"], articles[0]["candidate"], config)  # load and warm up
        embedder.clear()
        start = time.perf_counter()
        for article in articles:
            check(article["source"], article["candidate"], config)
        checked = time.perf_counter() - start
        sentences = [
            text
            for article in articles
            for side in ("source", "candidate")
            for text in as_document(article[side], config, side).texts
        ]
        start = time.perf_counter()
        embedder.inner.encode(sentences)  # the bare model, no cache
        bare = time.perf_counter() - start
        rate, bare_rate = 60 * len(articles) / checked, 60 * len(articles) / bare
        print(
            f"   {runtime:5}  {rate:6.1f} pairs/min   bare embedding of their {len(sentences)} sentences "
            f"{len(sentences) / bare:5.0f}/s = {bare_rate:6.1f} pairs/min   check / bare {rate / bare_rate:.2f}"
        )
    print("   target: ONNX path >= 150 pairs/min")


def cached(articles: list[dict]) -> None:
    from mtcheck import CheckConfig, check
    from mtcheck.cache import shared_store
    from mtcheck.embed import DEFAULT_ENGLISH, get_embedder

    embedder = get_embedder(DEFAULT_ENGLISH)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["MTCHECK_CACHE_DIR"] = tmp
        config = CheckConfig(cache=True)
        times = []
        for _ in range(2):
            embedder.clear()
            start = time.perf_counter()
            for article in articles:
                check(article["source"], article["candidate"], config)
            times.append(time.perf_counter() - start)
        info = shared_store().info()
        shared_store().close()
    first, again = times
    print(f"3. persistent cache: {len(articles)} articles, empty cache file, then again")
    print(f"   first run  {first:6.2f} s   ({info.vectors} vectors, {info.reports} reports, {info.bytes / 1e6:.1f} MB)")
    print(f"   repeat     {again:6.2f} s   {first / again:.0f}x faster (target >= 10x)")


def numbered_pairs(articles: list[dict], count: int) -> list[tuple[str, str]]:
    """``count`` distinct (source, candidate) pairs: the articles, cycled, a repeat numbered."""
    out = []
    for k in range(count):
        article, round_ = articles[k % len(articles)], k // len(articles)
        extra = f"\n\nThis is copy {round_} of the article." if round_ else ""
        out.append((article["source"] + extra, article["candidate"] + extra))
    return out


def parallel(articles: list[dict], count: int) -> None:
    from mtcheck import CheckConfig
    from mtcheck.embed import DEFAULT_ENGLISH, get_embedder
    from mtcheck.gate import Thresholds, find_pairs, gate_executor, run_gate

    print(f"4. the gate on {count} article pairs")
    with tempfile.TemporaryDirectory() as tmp:
        for k, (source, candidate) in enumerate(numbered_pairs(articles, count)):
            folder = Path(tmp) / f"{k:04d}"
            folder.mkdir()
            (folder / "source.txt").write_text(source, "utf-8")
            (folder / "candidate.txt").write_text(candidate, "utf-8")
        pairs = find_pairs([Path(tmp)])
        rates = {}
        for label, backend, workers in (
            ("one process, 2 model threads", "local", 1),
            ("process pool, 2 x 1 thread", "local", 2),
            ("Dask local cluster, 2 workers", "dask", 2),
        ):
            get_embedder(DEFAULT_ENGLISH).clear()
            start = time.perf_counter()
            with gate_executor(backend, workers) as executor:
                result = run_gate(pairs, CheckConfig(), Thresholds(), executor=executor)
            elapsed = time.perf_counter() - start
            assert all(o.error is None for o in result.outcomes)
            rates[label] = 60 * count / elapsed
            print(f"   {label:32} {rates[label]:6.1f} pairs/min   ({elapsed:.0f} s)")
        best = max(rates, key=rates.__getitem__)
        print(f"   fastest here: {best}")


def memory(articles: list[dict]) -> None:
    import resource

    from mtcheck import CheckConfig, check
    from mtcheck.embed import DEFAULT_ENGLISH, get_embedder

    print("5. memory")
    with tempfile.TemporaryDirectory() as tmp:
        sides = {"source": [], "candidate": []}
        for round_ in range(16):
            for article in articles[::3]:  # one system per document: no repeated source
                for side in sides:
                    paragraphs = article[side].split("\n\n")
                    sides[side] += [f"{p} (part {round_})" if round_ else p for p in paragraphs]
        for side, paragraphs in sides.items():
            (Path(tmp) / f"{side}.txt").write_text("\n\n".join(paragraphs[:10_000]) + "\n", "utf-8")
        peaks = []
        for source, candidate in (
            ("pairs/kim-arrives/source.txt", "pairs/kim-arrives/candidate.txt"),
            (f"{tmp}/source.txt", f"{tmp}/candidate.txt"),
        ):
            start = time.perf_counter()
            subprocess.run([sys.executable, "-c", _PEAK, source, candidate, f"{tmp}/out.json"], check=True, cwd=ROOT)
            peaks.append((float(Path(f"{tmp}/out.json.peak").read_text()), time.perf_counter() - start))
        (small, small_s), (big, big_s) = peaks
        sentences = len(sides["source"][:10_000])
        print(f"   kim-arrives                     peak {small / 1e3:7.0f} MB  ({small_s:.0f} s)")
        print(
            f"   {sentences:,}-paragraph articles     peak {big / 1e3:7.0f} MB  ({big_s:.0f} s)   "
            f"{big / small:.1f}x kim-arrives; target <= 2048 MB"
        )

    def resident() -> float:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * resource.getpagesize() / 1e6

    pairs = numbered_pairs(articles, 1000)
    get_embedder(DEFAULT_ENGLISH).clear()
    marks = {}
    for k, (source, candidate) in enumerate(pairs, start=1):
        check(source, candidate, CheckConfig())
        if k in (100, 250, 500, 750, 1000):
            marks[k] = resident()
    line = ", ".join(f"{k}: {mb:.0f} MB" for k, mb in marks.items())
    print(f"   1,000 pairs in one process, resident memory after  {line}")
    print(f"   growth from pair 250 to 1,000: {marks[1000] - marks[250]:+.0f} MB")


#: A child that checks one pair and writes its peak resident memory (kB) beside the report.
#: (VmHWM, not getrusage: Linux carries the parent's peak across fork and exec into ru_maxrss.)
_PEAK = """
import sys
from mtcheck.cli.app import run
assert run(["check", sys.argv[1], sys.argv[2], "-f", "json", "-o", sys.argv[3], "--force", "--no-cache"]) == 0
peak = next(line.split()[1] for line in open("/proc/self/status") if line.startswith("VmHWM:"))
open(sys.argv[3] + ".peak", "w").write(peak)
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pairs", type=int, default=60)
    parser.add_argument("--cached", type=int, default=50)
    parser.add_argument("--parallel", type=int, default=200, help="pairs for the gate figures (0: skip)")
    parser.add_argument("--memory", action="store_true", help="also measure memory (about 10 minutes)")
    parser.add_argument("--skip-torch", action="store_true", help="ONNX path only (no torch import)")
    args = parser.parse_args()
    articles = eval_documents.articles(eval_mqm.load_rows(split="all"))
    cold_start(args.skip_torch)
    warm(articles[: args.pairs], args.skip_torch)
    cached(articles[args.pairs : args.pairs + args.cached])
    if args.parallel:
        parallel(articles, args.parallel)
    if args.memory:
        memory(articles)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
