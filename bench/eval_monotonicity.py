"""Does the document score get worse with every meaning change, and hardly move with a rewording?

    .venv/bin/python bench/eval_monotonicity.py [--seeds 8] [--limit N] [--split all|dev|test]

For each bundled pair and each dev article (bench/eval_documents.py builds them), the clean pair
is checked, then its candidate with 1, 2, 4 and 8 meaning changes (bench/corrupt.py: WordNet
wrong senses and antonyms, negation flips, number and date changes; one per matched bead, the
first n of one list, so each level holds the one before) and with one harmless rewording. An
article passes when its ``summary.mqm_estimate``, averaged over the seeds, rises strictly at every
level (8 seeds by default: the target allows averaging over seeds, and with 3 one seed's edit
that makes the aligner regroup two sentence pairs, or tips a name flag under the major
threshold, still decides some articles). Prints the pass rate over the bundled pairs and over the
dev articles, the mean rise per level, and the mean rise of one rewording against that of one
meaning change.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import corrupt
import eval_documents
import eval_mqm

PAIRS = HERE.parent / "pairs"
LEVELS = (0, 1, 2, 4, 8)


def estimates(source: str, candidate: str, seeds: int) -> tuple[list[float], float, int]:
    """Mean MQM estimate at each of LEVELS, after one rewording, and how many changes level 8 got."""
    import mtcheck

    def score(text: str) -> float:
        value = mtcheck.check(source, text).summary.mqm_estimate
        return value if value is not None else float("nan")

    clean = mtcheck.check(source, candidate)
    units, references = corrupt.editable_units(clean)
    corrupted: list[list[float]] = [[] for _ in LEVELS[1:]]  # per level past 0, one score per seed
    reworded, made = [], 0
    for seed in range(seeds):
        changes = corrupt.meaning_changes(candidate, units, references, seed=seed, count=LEVELS[-1])
        made = max(made, len(changes))
        for scores, n in zip(corrupted, LEVELS[1:]):
            scores.append(score(corrupt.apply(candidate, changes[:n])))
        rewording = corrupt.harmless_rewordings(candidate, units, seed=seed, count=1)
        if rewording:
            reworded.append(score(corrupt.apply(candidate, rewording)))
    means = [clean.summary.mqm_estimate or 0.0] + [statistics.fmean(scores) for scores in corrupted]
    return means, statistics.fmean(reworded) if reworded else float("nan"), made


def strictly_rising(values: list[float]) -> bool:
    return all(b > a for a, b in zip(values, values[1:]))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=8)
    ap.add_argument("--limit", type=int, default=None, help="only the first N dev articles")
    ap.add_argument("--split", choices=("dev", "test", "all"), default="all")
    args = ap.parse_args(argv)

    groups = {
        "bundled pairs": [
            (p.name, (p / "source.txt").read_text(encoding="utf-8"), (p / "candidate.txt").read_text(encoding="utf-8"))
            for p in sorted(PAIRS.iterdir())
            if (p / "source.txt").exists()
        ],
        "dev articles": [
            (f"{i['doc']}/{i['system']}", i["source"], i["candidate"])
            for i in eval_documents.articles(eval_mqm.load_rows(eval_mqm.DATA, args.split))[: args.limit]
        ],
    }
    print(f"levels {LEVELS} meaning changes, {args.seeds} seed(s); score = summary.mqm_estimate (higher = worse)")
    for group, items in groups.items():
        passed, rises, rewording_rise, one_change_rise = 0, [[] for _ in LEVELS[1:]], [], []
        failures = []
        for name, source, candidate in items:
            means, reworded, made = estimates(source, candidate, args.seeds)
            ok = strictly_rising(means) and made == LEVELS[-1]
            passed += ok
            if not ok:
                failures.append(f"{name}: {' '.join(f'{m:.2f}' for m in means)} ({made} changes made)")
            for k in range(1, len(LEVELS)):
                rises[k - 1].append(means[k] - means[k - 1])
            one_change_rise.append(means[1] - means[0])
            if reworded == reworded:  # not NaN: the article had a rewordable phrase
                rewording_rise.append(reworded - means[0])
        print(f"\n{group}: {passed}/{len(items)} strictly worse at every level ({passed / len(items):.1%})")
        for k, values in enumerate(rises, start=1):
            print(f"  mean rise {LEVELS[k - 1]} -> {LEVELS[k]} changes: {statistics.fmean(values):+.3f}")
        print(
            f"  one rewording: mean rise {statistics.fmean(rewording_rise):+.3f} over {len(rewording_rise)} articles; "
            f"one meaning change: {statistics.fmean(one_change_rise):+.3f}"
        )
        for line in failures[:20]:
            print(f"  not monotone: {line}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
