"""Throughput of ``mtcheck gate`` (one process, models loaded once) against one ``mtcheck check``
process per pair, on a folder of article pairs made from the MQM dev set.

    .venv/bin/python bench/bench_gate.py [--pairs 50] [--keep DIR]

The pairs are the first ``--pairs`` articles of ``bench/eval_documents.py`` (a dev document's
segments joined by blank lines; the English reference as the source, one system's MT as the
candidate), written as a pairs folder. Both ways check the same pairs with the default settings,
one after the other, on this machine; the script prints pairs per minute for each and their
ratio, and checks that both found the same number of major flags per pair.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import eval_documents
import eval_mqm

MTCHECK = Path(sys.executable).with_name("mtcheck")


def write_pairs(folder: Path, count: int) -> list[str]:
    """``count`` dev articles as a pairs folder; returns the pair names in gate order."""
    names = []
    for k, article in enumerate(eval_documents.articles(eval_mqm.load_rows(split="all"))[:count]):
        name = f"{k:03d}-" + re.sub(r"[^A-Za-z0-9]+", "-", f"{article['doc']}-{article['system']}").strip("-")
        (folder / name).mkdir(parents=True)
        (folder / name / "source.txt").write_text(article["source"] + "\n", "utf-8")
        (folder / name / "candidate.txt").write_text(article["candidate"] + "\n", "utf-8")
        names.append(name)
    return sorted(names)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=50, help="how many dev articles to check")
    parser.add_argument("--keep", type=Path, help="build the pairs folder here instead of a temporary one")
    args = parser.parse_args()
    root = args.keep or Path(tempfile.mkdtemp(prefix="mtcheck-gate-bench-"))
    pairs = root / "pairs"
    names = write_pairs(pairs, args.pairs)
    print(f"{len(names)} article pairs in {pairs}")

    start = time.perf_counter()
    gate = subprocess.run(
        [str(MTCHECK), "gate", str(pairs), "--reports", str(root / "gate-reports"), "--force"],
        capture_output=True,
        text=True,
    )
    gate_seconds = time.perf_counter() - start
    if gate.returncode != 0:
        sys.exit(f"gate exited {gate.returncode}: {gate.stderr.strip()}")

    start = time.perf_counter()
    for name in names:
        out = root / "check-reports" / f"{name}.json"
        out.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [str(MTCHECK), "check", str(pairs / name / "source.txt"), str(pairs / name / "candidate.txt")]
            + ["--json", str(out), "--force"],
            capture_output=True,
            check=True,
        )
    check_seconds = time.perf_counter() - start

    same = sum(
        json.loads((root / "gate-reports" / name / "report.json").read_text("utf-8"))["summary"]["flags_major"]
        == json.loads((root / "check-reports" / f"{name}.json").read_text("utf-8"))["summary"]["flags_major"]
        for name in names
    )
    gate_rate, check_rate = 60 * len(names) / gate_seconds, 60 * len(names) / check_seconds
    print(f"mtcheck gate (one process):       {gate_seconds:7.1f} s, {gate_rate:6.1f} pairs/min")
    print(f"mtcheck check (a process a pair): {check_seconds:7.1f} s, {check_rate:6.1f} pairs/min")
    print(
        f"ratio gate / separate processes: {gate_rate / check_rate:.2f}x; same major flag count on {same}/{len(names)} pairs"
    )


if __name__ == "__main__":
    main()
