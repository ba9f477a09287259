"""Document-level figures on the MQM zh-en dev set: whole articles, checked as a user would.

    .venv/bin/python bench/eval_documents.py [--split all|dev|test] [--limit N]

Each (document, system) pair of the dev set becomes an article: its segments in ``doc_seg_index``
order, joined by blank lines, the English reference as the source and the MT output as the
candidate (46 documents x 3 systems = 138 articles). Each is checked with ``mtcheck.check`` and
the default settings. The experts' figure is the MQM score per 100 reference words (the sum of the
segments' ``mqm_score``, which is 0 or negative, so higher is better).

For every summary figure of the report, oriented so that higher means better, and for the
baselines (document chrF++, difflib-unmatched candidate words per 100 words, candidate length),
it prints:

* pooled Kendall tau-b against MQM per 100 words over all articles;
* within-document pairwise accuracy: over the pairs of systems of one document whose MQM differ,
  the share the figure puts in the experts' order (a tie in the figure counts half).

and the same for the two other raters' MQM of the same segments, as if they were metrics: how far
experts agree with each other, the ceiling of what a figure can reach against this gold.
"""

from __future__ import annotations

import argparse
import itertools
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import eval_mqm

from mtcheck.summary import Summary


def articles(rows: list[dict], source: str = "reference") -> list[dict]:
    """One article per (doc_id, system): joined texts and the experts' MQM per 100 words. The
    article's source is the English reference, or with ``source="source"`` the Chinese original
    (a cross-language check)."""
    grouped: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for row in rows:
        grouped[(row["doc_id"], row["system"])].append(row)
    out = []
    for (doc, system), segs in sorted(grouped.items()):
        segs.sort(key=lambda r: r["doc_seg_index"])
        out.append(
            {
                "doc": doc,
                "system": system,
                "source": "\n\n".join(r[source] for r in segs),
                "candidate": "\n\n".join(r["hypothesis"] for r in segs),
                "segments": segs,
                "mqm_per_100": mqm_per_100_words(segs, lambda r: r["mqm_score"]),
            }
        )
    return out


#: Report figures, each turned so that higher means a better translation.
FIGURES: dict[str, Callable[[Summary], float]] = {
    "-mqm_estimate": lambda s: -(s.mqm_estimate or 0.0),
    "-penalty_per_100_words": lambda s: -s.penalty_per_100_words,
    "-penalty": lambda s: -s.penalty,
    "-divergence_aligned": lambda s: -s.divergence_aligned,
    "-divergence": lambda s: -s.divergence,
    "mean_similarity": lambda s: s.mean_similarity or 0.0,
    "coverage_source": lambda s: s.coverage_source,
}


def pairwise_accuracy(items: list[dict], gold: list[float], scores: list[float]) -> float:
    """Share of same-document system pairs with different gold that ``scores`` orders like gold."""
    by_doc: dict[str, list[int]] = defaultdict(list)
    for k, item in enumerate(items):
        by_doc[item["doc"]].append(k)
    right = total = 0.0
    for ks in by_doc.values():
        for a, b in itertools.combinations(ks, 2):
            if gold[a] == gold[b]:
                continue
            total += 1
            if scores[a] == scores[b]:
                right += 0.5
            elif (scores[a] > scores[b]) == (gold[a] > gold[b]):
                right += 1
    return right / total if total else float("nan")


def mqm_per_100_words(segments: list[dict], score: Callable[[dict], float]) -> float:
    """The segments' MQM ``score`` summed, per 100 words of their references."""
    words = sum(len(r["reference"].split()) for r in segments)
    return 100.0 * sum(score(r) for r in segments) / max(words, 1)


def other_rater(items: list[dict], k: int) -> list[float]:
    """Per article, MQM per 100 reference words as the segments' ``k``-th other rater scored them
    (the dev set has three raters per segment; ``mqm_score`` is one of them)."""
    return [mqm_per_100_words(i["segments"], lambda r: r["other_raters"][k]["mqm_score"]) for i in items]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=str(eval_mqm.DATA))
    ap.add_argument("--split", choices=("dev", "test", "all"), default="all")
    ap.add_argument("--limit", type=int, default=None, help="only the first N articles (a quick look)")
    ap.add_argument(
        "--cross-language",
        action="store_true",
        help="check the MT against its Chinese source, not the English reference",
    )
    args = ap.parse_args(argv)

    from sacrebleu.metrics import CHRF
    from scipy.stats import kendalltau

    import mtcheck

    items = articles(eval_mqm.load_rows(args.data, args.split), "source" if args.cross_language else "reference")
    items = items[: args.limit]
    started = time.perf_counter()
    summaries, major_rates = [], []
    for item in items:
        report = mtcheck.check(item["source"], item["candidate"])
        summaries.append(report.summary)
        words = sum(len(s.text.split()) for s in report.candidate.sentences)
        major_rates.append(100.0 * report.summary.flags_major / max(words, 1))
    elapsed = time.perf_counter() - started

    gold = [item["mqm_per_100"] for item in items]
    chrf = CHRF(word_order=2)
    scores: dict[str, list[float]] = {name: [f(s) for s in summaries] for name, f in FIGURES.items()}
    scores["-major flags per 100 words"] = [-rate for rate in major_rates]  # not a report figure (yet)
    baselines = {
        "chrF++ (document)": [
            chrf.corpus_score([r["hypothesis"] for r in i["segments"]], [[r["reference"] for r in i["segments"]]]).score
            for i in items
        ],
        "-difflib unmatched per 100 words": [
            -100.0
            * sum(len(eval_mqm.difflib_unmatched(r["hypothesis"], r["reference"])) for r in i["segments"])
            / max(len(i["candidate"].split()), 1)
            for i in items
        ],
        "-candidate words": [-len(i["candidate"].split()) for i in items],
    }
    # How far experts agree with each other: each segment has two more raters' MQM; scored as if
    # they were a metric, they show the ceiling a figure can reach against this gold.
    experts = {f"another expert's MQM ({which})": other_rater(items, k) for k, which in enumerate(("first", "second"))}

    print(
        f"MQM zh-en dev, split {args.split}: {len(items)} articles ({len({i['doc'] for i in items})} documents), "
        f"checked against the {'Chinese source' if args.cross_language else 'English reference'} in {elapsed:.0f} s; "
        "gold = MQM per 100 reference words (baselines always read the English reference)"
    )
    print()
    print(f"{'figure (higher = better)':36} {'tau-b':>7} {'pairwise':>9}")
    for group in (scores, baselines, experts):
        for name, values in group.items():
            tau = kendalltau(values, gold, variant="b").statistic
            print(f"{name:36} {tau:7.4f} {pairwise_accuracy(items, gold, values):9.3f}")
        print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
