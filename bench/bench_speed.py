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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pairs", type=int, default=60)
    parser.add_argument("--cached", type=int, default=50)
    parser.add_argument("--skip-torch", action="store_true", help="ONNX path only (no torch import)")
    args = parser.parse_args()
    articles = eval_documents.articles(eval_mqm.load_rows(split="all"))
    cold_start(args.skip_torch)
    warm(articles[: args.pairs], args.skip_torch)
    cached(articles[args.pairs : args.pairs + args.cached])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
