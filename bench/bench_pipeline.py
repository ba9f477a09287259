"""Pipeline figures, each against a baseline measured in the same run.

    python bench/bench_pipeline.py

The torch runtime's figures (``--runtime torch``); bench/bench_speed.py measures the default
ONNX path against it.

Prints:
  * cold start to report: a fresh `mtcheck check` process on kim-arrives writing JSON, wall time
    (and, for scale, the cost of a bare `import sentence_transformers` in a fresh process);
  * embedding throughput inside mtcheck (get_embedder(...).encode on the pair's sentences)
    against raw SentenceTransformer.encode on the same sentences, and the ratio;
  * the cost of span flagging on a fully parallel 300-sentence document (MQM dev references as
    source, one system's output as candidate), with the span tagger and with the logistic
    flagger, against the cost of embedding the candidate sentences once more with raw
    SentenceTransformer.encode (target: the tagger adds at most twice that).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def timed_process(args: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(args, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def cold_start() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "kim.json"
        runs = []
        for _ in range(2):
            if out.exists():
                out.unlink()
            runs.append(
                timed_process(
                    [
                        sys.executable,
                        "-m",
                        "mtcheck",
                        "check",
                        "pairs/kim-arrives/source.txt",
                        "pairs/kim-arrives/candidate.txt",
                        "--format",
                        "json",
                        "--output",
                        str(out),
                        "--runtime",
                        "torch",
                        "--no-cache",
                    ]
                )
            )
    bare = timed_process([sys.executable, "-c", "import sentence_transformers"])
    print("cold start to report (kim-arrives, JSON), fresh process:")
    print(f"  mtcheck check                 {min(runs):6.2f} s (best of {len(runs)})")
    print(f"  import sentence_transformers  {bare:6.2f} s  (baseline: the floor any ST-based tool pays)")
    print(f"  ratio                         {min(runs) / bare:6.2f}x")


def throughput() -> None:
    from mtcheck.config import CheckConfig
    from mtcheck.embed import DEFAULT_ENGLISH, get_embedder
    from mtcheck.io import read_document

    config = CheckConfig()
    docs = [read_document(ROOT / "pairs" / "kim-arrives" / f"{side}.txt", config) for side in ("source", "candidate")]
    sentences = [s for d in docs for s in d.texts]
    # The same sentences several times over, made distinct so that no cache can help either side.
    batch = [f"{s} ({k})" for k in range(6) for s in sentences]
    # the torch runtime: its raw model is the baseline (bench/bench_speed.py covers the ONNX one)
    embedder = get_embedder(DEFAULT_ENGLISH, runtime="torch")
    raw_model = embedder.inner.model
    raw_model.encode(batch[:32])  # warm both paths up on the same model
    start = time.perf_counter()
    raw_model.encode(batch, batch_size=64, normalize_embeddings=True, show_progress_bar=False)
    raw_s = time.perf_counter() - start
    start = time.perf_counter()
    embedder.encode(batch)
    ours_s = time.perf_counter() - start
    n = len(batch)
    print(f"embedding throughput, {n} sentences from kim-arrives, {os.cpu_count()} cores:")
    print(f"  raw SentenceTransformer.encode  {n / raw_s:7.1f} sentences/s")
    print(f"  mtcheck embedder                {n / ours_s:7.1f} sentences/s")
    print(f"  ratio mtcheck/raw               {raw_s / ours_s:7.2f}")


def flagging_cost(n: int = 300) -> None:
    import json

    from mtcheck import CheckConfig, check
    from mtcheck.embed import DEFAULT_ENGLISH, get_embedder

    rows = []
    with open(ROOT / "bench" / "data" / "mqm-dev" / "mqm_zhen_newstest2020_dev.jsonl", encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            if row["system"] == "Online-B.1605" and row["reference"].strip() and row["hypothesis"].strip():
                rows.append(row)
    rows = rows[:n]
    source = [r["reference"].strip() for r in rows]
    candidate = [r["hypothesis"].strip() for r in rows]
    embedder = get_embedder(DEFAULT_ENGLISH, runtime="torch")
    config = CheckConfig(metrics=("chrf",), runtime="torch")
    check(source[:5], candidate[:5], config)  # loads the model

    def best(fn, repeat=2):
        times = []
        for _ in range(repeat):
            embedder.clear()  # every run embeds from scratch, as a fresh check does
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
        return min(times)

    check(source[:5], candidate[:5], config.with_(flagger="tagger"))  # loads the tagger
    without = best(lambda: check(source, candidate, config.with_(flag_spans=False)))
    with_flags = {
        name: best(lambda name=name: check(source, candidate, config.with_(flagger=name)))
        for name in ("tagger", "logistic")
    }
    raw_model = embedder.inner.model
    embed_candidate = best(
        lambda: raw_model.encode(candidate, batch_size=64, normalize_embeddings=True, show_progress_bar=False)
    )
    print(f"span flagging on a parallel document of {len(rows)} sentences per side, fresh sentence cache:")
    print(f"  check without flags            {without:6.2f} s")
    print(f"  embedding the candidate once   {embed_candidate:6.2f} s  (raw SentenceTransformer.encode)")
    for name, seconds in with_flags.items():
        flagging = seconds - without
        print(
            f"  {name + ' flagger:':15s} check {seconds:6.2f} s, flagging alone {flagging:6.2f} s, "
            f"ratio flagging/embedding {flagging / embed_candidate:5.2f}"
        )
    print("  (target for the tagger: a ratio of at most 2)")


if __name__ == "__main__":
    which = set(sys.argv[1:]) or {"cold", "throughput", "flagging"}
    if "cold" in which:
        cold_start()
    if "throughput" in which:
        throughput()
    if "flagging" in which:
        flagging_cost()
