"""Fit the weights of the document score ``summary.mqm_estimate`` (mtcheck/summary.py).

    .venv/bin/python bench/fit_document_score.py [--train PATH]

The training set's held-out documents (every 10th newstest2020 document, as in
bench/train_tagger.py: the span tagger never trained on them, only calibrated its probabilities
and tuned its thresholds there) become articles, one per (document, system), exactly
as bench/eval_documents.py builds the dev articles. Each is checked with the default settings; its
matched beads give two totals (mtcheck.summary.estimate_terms), ``sum(words x (1 - similarity))``
and ``sum(error mass)``, each per 100 candidate words. The estimate is ``a x first + b x second``
(no intercept: nothing wrong found must estimate 0). How the two weigh against each other decides
how articles rank: the ratio b / a is the one, on a grid of eighth powers of two from 1/4 to 64,
whose estimate orders these articles most like the experts (Kendall tau-b against their MQM per
100 reference words). The scale then comes from least squares, so that the estimate reads as MQM
points per 100 words. (Least squares on both weights at once lets the few worst articles decide:
it gave a / b = 0.857 / 0.444, tau-b 0.179 here and 0.467 on the dev set, against 0.251 and 0.505
for this fit.)

Then the same MT is checked against its Chinese source (the multilingual model). Across
languages even a faithful translation stays far below similarity 1, so only the shortfall below
``faithful_similarity`` counts, softened by a softplus of width SOFTNESS (EstimateWeights); the
faithful similarity is measured: the word-weighted mean similarity that the documents' human
reference translations reach against their Chinese source. No word flagger reads across
languages, so only the dissimilarity weight is fitted (the error-mass weight, used for
same-language non-English pairs, is the English model's).

It prints the weights to put into ESTIMATE_WEIGHTS and the Kendall tau-b they give on these
articles. The dev set is never read here: bench/eval_documents.py measures the result on it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import eval_documents
import train_tagger

from mtcheck.summary import EstimateWeights, estimate_terms
from mtcheck.text import word_count

TRAIN = HERE.parent.parent / "shared" / "data" / "mqm-train" / "mqm_zhen_train.jsonl"


#: Width of the soft floor of the multilingual model's shortfall: a set value, not fitted.
SOFTNESS = 0.05


def totals(report, weights: EstimateWeights) -> tuple[float, float]:
    """Per 100 candidate words of the text the estimate reads: words x the similarity's shortfall,
    and the error mass."""
    terms = estimate_terms(report.candidate, report.beads, weights)
    return 100.0 * terms.dissimilarity / max(terms.words, 1), 100.0 * terms.error_mass / max(terms.words, 1)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--train", default=str(TRAIN))
    args = ap.parse_args(argv)

    from scipy.optimize import nnls
    from scipy.stats import kendalltau

    import mtcheck

    _, held = train_tagger.load_train(Path(args.train), "both")
    items = eval_documents.articles(held)
    y = -np.array([i["mqm_per_100"] for i in items])  # penalty points, >= 0
    print(f"{len(items)} held-out training articles ({len({i['doc'] for i in items})} documents)")

    reports = [mtcheck.check(i["source"], i["candidate"]) for i in items]
    X = np.array([totals(r, EstimateWeights(1.0, 1.0)) for r in reports])
    weights = rank_fitted_weights(X, y)
    print(
        f"{reports[0].model}: EstimateWeights(dissimilarity={weights[0]:.3f}, error_mass={weights[1]:.3f}); "
        f"Kendall tau-b here {kendalltau(-(X @ weights), -y).statistic:.4f}"
    )

    faithful = round(faithful_similarity(held), 2)  # as shipped: two decimals
    crossed = [mtcheck.check(i["source"], i["candidate"]) for i in eval_documents.articles(held, "source")]
    unit = EstimateWeights(1.0, 1.0, faithful_similarity=faithful, softness=SOFTNESS)
    D = np.array([totals(r, unit)[0] for r in crossed])
    (w,), _ = nnls(D[:, None], y)
    print(
        f"{crossed[0].model} (against the Chinese source): EstimateWeights(dissimilarity={w:.3f}, error_mass=(the "
        f"English model's), faithful_similarity={faithful:.2f}, softness={SOFTNESS}); "
        f"Kendall tau-b here {kendalltau(-D * w, -y).statistic:.4f}"
    )
    return 0


#: The error-mass weight over the dissimilarity weight is chosen from these: 2^(k/8), 1/4 to 64.
RATIOS = tuple(2.0 ** (k / 8) for k in range(-16, 49))


def rank_fitted_weights(X: np.ndarray, y: np.ndarray) -> np.ndarray:
    """(dissimilarity, error mass) weights: their ratio the one of RATIOS that ranks the rows of
    ``X`` most like the penalties ``y`` (Kendall tau-b; the first of equals), their scale the
    least-squares one."""
    from scipy.optimize import nnls
    from scipy.stats import kendalltau

    taus = [kendalltau(X[:, 0] + ratio * X[:, 1], y).statistic for ratio in RATIOS]
    ratio = RATIOS[int(np.argmax(taus))]
    (scale,), _ = nnls((X[:, 0] + ratio * X[:, 1])[:, None], y)
    return np.array([scale, scale * ratio])


def faithful_similarity(rows: list[dict]) -> float:
    """Word-weighted mean similarity of the matched beads when each document's human reference
    translation is checked against its Chinese source."""
    import mtcheck

    by_doc: dict[str, dict[int, dict]] = {}
    for row in rows:
        by_doc.setdefault(row["doc_id"], {})[row["doc_seg_index"]] = row
    total = words = 0.0
    for segments in by_doc.values():
        ordered = [segments[k] for k in sorted(segments)]
        report = mtcheck.check("\n\n".join(r["source"] for r in ordered), "\n\n".join(r["reference"] for r in ordered))
        for bead in report.beads:
            if not bead.is_gap:
                n = sum(word_count(report.candidate.sentences[j].text) for j in bead.candidate)
                total += n * (bead.similarity or 0.0)
                words += n
    return total / words


if __name__ == "__main__":
    raise SystemExit(main())
