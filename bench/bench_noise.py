#!/usr/bin/env python3
"""Counted noise: flags that point at text the source has unchanged, on the bundled pairs.

    python bench/bench_noise.py [--flagger auto|tagger|logistic]

For each pair in pairs/, prints the flags by severity and kind, and the "echo" flags: flags whose
candidate text (a word run, not an empty omission point) also occurs unchanged, as whole words,
in the aligned source bead or a neighbouring bead's source (sentence boundaries shift between
versions, so a word one sentence away is still "in the source"). Echo flags should be zero: a
word the source has verbatim is no mistranslation. Each echo flag is listed with its kind.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def source_window(report, bead: int) -> str:
    """The source text of bead ``bead`` and its neighbours, joined by spaces."""
    sentences = report.source.sentences
    lo, hi = max(0, bead - 1), min(len(report.beads), bead + 2)
    return " ".join(sentences[i].text for b in report.beads[lo:hi] for i in b.source)


def echoes(report) -> list:
    """Flags whose candidate text stands, whole-word and unchanged, in the source window."""
    out = []
    for flag in report.flags:
        text = flag.candidate.text.strip()
        if not text or flag.kind == "omission":
            continue
        if re.search(rf"(?<!\w){re.escape(text)}(?!\w)", source_window(report, flag.bead)):
            out.append(flag)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--flagger", default="auto", choices=("auto", "tagger", "logistic"))
    args = ap.parse_args(argv)

    from mtcheck import CheckConfig
    from mtcheck.io import read_document
    from mtcheck.pipeline import check

    config = CheckConfig(flagger=args.flagger)
    total = Counter()
    for folder in sorted(p for p in (ROOT / "pairs").iterdir() if (p / "source.txt").exists()):
        report = check(
            read_document(str(folder / "source.txt"), config),
            read_document(str(folder / "candidate.txt"), config),
            config,
        )
        kinds = Counter(f"{f.kind}/{f.severity}" for f in report.flags)
        echo = echoes(report)
        total.update(major=report.summary.flags_major, minor=report.summary.flags_minor, echo=len(echo))
        print(
            f"{folder.name}: {report.summary.flags_major} major, {report.summary.flags_minor} minor flags; "
            f"{len(echo)} echo flags"
        )
        print("   by kind: " + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())))
        for flag in echo:
            print(f"   echo: {flag.kind}/{flag.severity} {flag.candidate.text!r} (bead {flag.bead})")
    print(f"all pairs: {total['major']} major, {total['minor']} minor, {total['echo']} echo flags")
    return 0


if __name__ == "__main__":
    sys.exit(main())
