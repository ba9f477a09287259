"""Benchmark mtcheck.align: banded search against full-grid search, on synthetic texts.

Run ``python bench/bench_align.py`` (``--help`` for options). Every measurement runs in a fresh
subprocess, so ``ru_maxrss`` (peak resident memory of the whole process, data included) is
per measurement. The timed run is separate from the ``tracemalloc`` run, because tracing every
allocation slows the per-row Python loop. Children run with one BLAS thread (``--blas-threads``):
on a small shared machine, multithreaded OpenBLAS on the banded pass's small matrix blocks
spins against other processes and ran 10x slower (22 s instead of 1.6 s at 10k); one thread
is the fair, stable setting for both modes.

Data: dimension 384 like MiniLM. Each "meaning" is a random unit vector plus a shared topic
component (unrelated sentences score about 0.4, like same-topic sentences under MiniLM); a
candidate sentence is a noisy copy (about 0.78 against its source); merged sentences are
normalised weighted sums of their parts (uneven weights, as real splits are uneven). Gold
beads: 80% 1-1, 4% each 2-1 and 1-2, 1% each 3-1 and 1-3, 5% each omissions and insertions.
The aligner gets what the pipeline gives it: run vectors for 2-4 sentences (normalised sums here,
standing in for the embeddings of the joined texts, whose cost bench/eval_align.py reports) and
sentence lengths. Accuracy is the share of gold beads found exactly. The bar (issue 10):
10k x 10k sentences in at most 5 s and 1 GB, embedding excluded.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mtcheck.align import AlignSide, align

KINDS = [(1, 1), (2, 1), (1, 2), (3, 1), (1, 3), (1, 0), (0, 1)]
PROBS = [0.80, 0.04, 0.04, 0.01, 0.01, 0.05, 0.05]


def _unit(x: np.ndarray) -> np.ndarray:
    return x / np.linalg.norm(x, axis=-1, keepdims=True)


def synthetic(beads: int, *, d: int = 384, seed: int = 0, noise: float = 0.8, topic: float = 0.8):
    """Source and candidate embeddings with a known gold alignment of about ``beads`` beads."""
    rng = np.random.default_rng(seed)
    shapes = []
    for k in rng.choice(len(KINDS), size=beads, p=PROBS):
        s = KINDS[k]
        # an omission next to an insertion may swap places at equal score: keep gold unambiguous
        if shapes and {s, shapes[-1]} == {(1, 0), (0, 1)}:
            continue
        shapes.append(s)
    topic_vec = _unit(rng.standard_normal(d))
    src, cand, gold = [], [], []
    for a, b in shapes:
        k = max(a, b)
        atoms = _unit(topic * topic_vec + _unit(rng.standard_normal((k, d))))
        weights = rng.uniform(0.35, 1.0, size=(k, 1))
        gold.append((tuple(range(len(src), len(src) + a)), tuple(range(len(cand), len(cand) + b))))
        if a == 1 and b != 1:
            src.append(_unit((weights * atoms).sum(axis=0)))
        else:
            src.extend(atoms[:a])
        parts = [_unit((weights * atoms).sum(axis=0))] if (b == 1 and a != 1) else list(atoms[:b])
        cand.extend(_unit(v + noise * _unit(rng.standard_normal(d))) for v in parts)
    return np.array(src), np.array(cand), gold


def sides(src: np.ndarray, cand: np.ndarray, gold, max_merge: int = 4) -> tuple[AlignSide, AlignSide]:
    """The sides as the pipeline gives them: run vectors for widths 2..max_merge (here the
    normalised sums of the sentence vectors, standing in for the embeddings of the joined
    texts) and sentence lengths (100 characters per meaning, shared by a merged side's parts)."""
    out = []
    for x, side in ((src, 0), (cand, 1)):
        lengths = np.zeros(len(x))
        for bead in gold:
            meanings = max(len(bead[0]), len(bead[1]))
            for i in bead[side]:
                lengths[i] = 100 * meanings / len(bead[side])
        runs = []
        for w in range(2, max_merge + 1):
            run = np.zeros((len(x) - w + 1, x.shape[1]))
            for t in range(w):
                run += x[t : len(x) - w + 1 + t]
            runs.append(_unit(run).astype(np.float32))
        out.append(AlignSide(x.astype(np.float32), tuple(runs), lengths))
    return out[0], out[1]


def child(size: int, mode: str, trace: bool) -> dict:
    """One measurement, in this (fresh) process."""
    src, cand, gold = synthetic(size, seed=size)
    source, candidate = sides(src, cand, gold)
    del src, cand
    kwargs = {"full_search_cells": 10**15} if mode == "full" else {}
    if trace:
        tracemalloc.start()
    start = time.perf_counter()
    result = align(source, candidate, **kwargs)
    elapsed = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1] if trace else None
    found = {(b.source, b.candidate) for b in result.beads}
    digest = hashlib.sha1(repr([(b.source, b.candidate) for b in result.beads]).encode())
    return {
        "n": len(source.vectors),
        "m": len(candidate.vectors),
        "seconds": elapsed,
        "trace_peak": peak,
        "maxrss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        "cells": result.searched_cells,
        "banded": result.banded,
        "tau": result.skip_threshold,
        "accuracy": sum(g in found for g in gold) / len(gold),
        "digest": digest.hexdigest(),
    }


def measure(size: int, mode: str, blas_threads: str) -> dict:
    """Timed run and tracemalloc run, each in a fresh subprocess."""
    out = {}
    env = {
        **os.environ,
        "OPENBLAS_NUM_THREADS": blas_threads,
        "OMP_NUM_THREADS": blas_threads,
        "MKL_NUM_THREADS": blas_threads,
    }
    for trace in (False, True):
        proc = subprocess.run(
            [sys.executable, __file__, "--child", str(size), mode] + (["--trace"] if trace else []),
            capture_output=True,
            text=True,
            check=True,
            env=env,
        )
        res = json.loads(proc.stdout)
        if trace:
            out["trace_peak"] = res["trace_peak"]
        else:
            out.update(res)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes",
        type=int,
        nargs="+",
        default=[1000, 10000],
        help="gold beads per synthetic text (about that many sentences a side)",
    )
    parser.add_argument(
        "--full-max-cells", type=float, default=2e8, help="skip the full-grid baseline above this many cells"
    )
    parser.add_argument("--blas-threads", default="1", help="BLAS threads in the measured runs")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--trace", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(int(args.child[0]), args.child[1], args.trace)))
        return

    mb = 1 << 20
    print(
        f"cpus {os.cpu_count()}, load average {os.getloadavg()[0]:.1f} (other work slows timings), "
        f"BLAS threads {args.blas_threads}"
    )
    header = (
        f"{'size':>6} {'mode':<7} {'n x m':>13} {'time s':>8} {'trace MB':>9} "
        f"{'maxrss MB':>10} {'cells':>11} {'cells/nm':>9} {'tau':>5} {'gold ok':>8}"
    )
    print(header)
    print("-" * len(header))
    ratios = []
    for size in args.sizes:
        rows = {}
        for mode in ("banded", "full"):
            if mode == "full":
                n, m = rows["banded"]["n"], rows["banded"]["m"]
                if (n + 1) * (m + 1) > args.full_max_cells:
                    print(
                        f"{size:>6} {'full':<7} skipped: {(n + 1) * (m + 1):.2e} cells is over "
                        f"--full-max-cells {args.full_max_cells:.0e}"
                    )
                    continue
            r = rows[mode] = measure(size, mode, args.blas_threads)
            print(
                f"{size:>6} {mode:<7} {r['n']:>6}x{r['m']:<6} {r['seconds']:>8.2f} "
                f"{r['trace_peak'] / mb:>9.1f} {r['maxrss'] / mb:>10.1f} {r['cells']:>11,} "
                f"{r['cells'] / (r['n'] * r['m']):>9.4f} {r['tau']:>5.2f} {r['accuracy']:>8.4f}"
            )
        if "full" in rows:
            b, f = rows["banded"], rows["full"]
            ratios.append(
                f"{size:>6} banded/full: time {b['seconds'] / f['seconds']:.3f}, "
                f"trace peak {b['trace_peak'] / f['trace_peak']:.3f}, "
                f"maxrss {b['maxrss'] / f['maxrss']:.3f}, cells {b['cells'] / f['cells']:.4f}, "
                f"same beads: {'yes' if b['digest'] == f['digest'] else 'NO'}"
            )
    print()
    print("\n".join(ratios))


if __name__ == "__main__":
    main()
