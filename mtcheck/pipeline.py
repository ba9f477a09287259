"""check(): wires the stages together and returns a Report. No stage reaches back into an earlier one.

read -> clean -> segment (+language) -> embed -> align -> score -> flag spans -> Report
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Sequence, Union

import numpy as np
from threadpoolctl import threadpool_limits

from . import __version__
from .align import Alignment, align
from .config import CheckConfig
from .embed import Embedded, Embedder, TokenEmbedder, choose_model, embed, get_embedder
from .errors import ConfigError, InputError
from .io import read_text
from .metrics import PairMetric, make_metrics
from . import spans
from .beadflags import WHOLE_BEAD_CHECKS, gap_flags, outlier_flags
from .refine import refine
from .segment import build_document, document_from_lines, document_from_sentences, fit_to_window
from .types import Bead, Document, Flag, Report, Summary

log = logging.getLogger("mtcheck")

#: What ``check`` accepts for each side: an article, its sentences, or a Document built earlier.
Side = Union[str, Sequence[str], Document]


def read_document(path: str | Path, config: CheckConfig, *, encoding: str | None = None) -> Document:
    """Read one side from disk and clean/segment it (or take its lines as sentences, if presplit).

    Args:
        path: the file.
        config: settings (size limit, presplit, cleaning, langdetect seed).
        encoding: decode with this codec instead of detecting UTF-8/UTF-16; each side has its own.

    Raises:
        InputError: the file cannot be read or has no text to check (EncodingError, a subclass,
            when it cannot be decoded).
    """
    raw, encoding = read_text(path, max_bytes=config.max_bytes, encoding=encoding)
    if config.presplit:
        doc = document_from_lines(raw, path=str(path), encoding=encoding, seed=config.langdetect_seed)
    else:
        doc = build_document(
            raw, path=str(path), encoding=encoding, clean=config.clean, seed=config.langdetect_seed
        )
    if not doc.sentences:
        raise InputError(f"{path}: no text left to check once page junk was set aside")
    return doc


_SURROGATE = re.compile("[\ud800-\udfff]")


def to_document(side: Side, config: CheckConfig, what: str) -> Document:
    """Turn what the caller gave for one side into a Document.

    Raises:
        InputError: ``side`` is not a string, a list (or tuple) of strings, or a Document; or it
            is empty, or holds a lone surrogate, which no file can contain.
    """
    if isinstance(side, Document):
        doc = side
    elif isinstance(side, str):
        _refuse_surrogates(side, f"the {what} text")
        if not side.strip():
            raise InputError(f"the {what} text is empty")
        if config.presplit:
            doc = document_from_lines(side, seed=config.langdetect_seed)
        else:
            doc = build_document(side, clean=config.clean, seed=config.langdetect_seed)
    elif isinstance(side, (list, tuple)):
        for i, sentence in enumerate(side):
            if not isinstance(sentence, str):
                raise InputError(f"{what} sentence {i} is not a string but {type(sentence).__name__}")
            _refuse_surrogates(sentence, f"{what} sentence {i}")
        doc = document_from_sentences(side, seed=config.langdetect_seed)
    else:
        raise InputError(
            f"{what} must be the article as a string, a list of sentences or a Document, "
            f"not {type(side).__name__}"
        )
    if not doc.sentences:
        raise InputError(f"the {what} has no sentences to check")
    return doc


def _refuse_surrogates(text: str, what: str) -> None:
    # A lone surrogate cannot be encoded, so it would fail later in a renderer or the model.
    bad = _SURROGATE.search(text)
    if bad is not None:
        raise InputError(
            f"{what} contains a lone surrogate (U+{ord(bad.group()):04X}) at character {bad.start()}; "
            f"it is not valid Unicode text"
        )


def check(
    source: Side,
    candidate: Side,
    config: CheckConfig | None = None,
    *,
    embedder: Embedder | None = None,
) -> Report:
    """Check a candidate translation against its source.

    Args:
        source: the source article (a string), its sentences (a list), or a Document.
        candidate: the translated or retranslated version, in the same forms.
        config: settings; ``CheckConfig()`` if omitted.
        embedder: an embedder to use instead of the one ``config.model`` names (tests, services
            that keep their own model).

    Returns:
        The Report: both documents, the beads with their scores, flags, summary and signature.

    Raises:
        InputError: a side is empty, of the wrong type, or holds a lone surrogate.
        ConfigError: ``config`` is not a CheckConfig.
        ModelError: the embedding model cannot be loaded.
    """
    if config is None:
        config = CheckConfig()
    elif not isinstance(config, CheckConfig):
        raise ConfigError(f"config must be a CheckConfig, not {type(config).__name__}")
    src = to_document(source, config, "source")
    cand = to_document(candidate, config, "candidate")
    cross_language = src.language != cand.language
    notes: list[str] = []

    if embedder is None:
        model_name, note = choose_model(config.model, src.language, cand.language)
        if note:
            notes.append(note)
        embedder = get_embedder(model_name, allow_download=config.allow_download)
    src = _fit_model_window(src, embedder, "source", notes)
    cand = _fit_model_window(cand, embedder, "candidate", notes)
    log.info("embedding %d + %d sentences with %s", len(src.sentences), len(cand.sentences), embedder.name)
    # One forward pass for sentence and word-piece vectors: the flagger reads the words in context.
    embedded = embed(embedder, src.texts, cand.texts, tokens=config.flag_spans and not cross_language)

    # Many small per-row products: multithreaded BLAS only adds contention there (14x slower
    # on a loaded 2-core machine, see bench/bench_align.py), so the aligner runs on one thread.
    with threadpool_limits(limits=1):
        alignment = _align(embedded.source, embedded.candidate, config)
    aligned = refine(alignment.beads, src, cand, embedder, config.max_merge)

    metrics: list[PairMetric] = []
    if cross_language:
        notes.append(
            f"surface metrics (chrF, BLEU, TER) skipped: the sides are in different languages "
            f"({src.language} / {cand.language})"
        )
    elif config.metrics:
        metrics = make_metrics(config.metrics)
    beads = tuple(_score_bead(bead, src, cand, metrics) for bead in aligned)

    flags, checks = _flag(src, cand, beads, embedder, embedded, cross_language, config) if config.flag_spans else ((), ())
    summary = summarise(src, cand, beads, flags, metrics, config)
    signature = make_signature(embedder, config, metrics)
    settings = (("skip_threshold_used", round(alignment.skip_threshold, 4)), ("banded_search", alignment.banded))
    return Report(
        source=src,
        candidate=cand,
        beads=beads,
        flags=flags,
        summary=summary,
        signature=signature,
        model=embedder.name,
        notes=tuple(notes),
        checks=checks,
        settings=tuple(config.to_dict().items()) + settings,
    )


#: At most this many over-long sentences are named one by one in the report's notes.
_NAMED_LONG_SENTENCES = 5


def _fit_model_window(doc: Document, embedder: Embedder, what: str, notes: list[str]) -> Document:
    """``doc`` with sentences too long for the model's window split (see segment.fit_to_window),
    and a note for each, so that the report says which sentences the model could not read whole."""
    if not isinstance(embedder, TokenEmbedder):
        return doc  # only transformer models read a fixed window of word pieces
    window = embedder.window
    fitted, split = fit_to_window(doc, embedder.count_tokens, window)
    for sentence, size, parts in split[:_NAMED_LONG_SENTENCES]:
        notes.append(
            f"{what} sentence at characters {sentence.start}-{sentence.end} has {size} word pieces, "
            f"more than the {window} that {embedder.name} reads: compared in {parts} parts"
        )
    if len(split) > _NAMED_LONG_SENTENCES:
        notes.append(f"... and {len(split) - _NAMED_LONG_SENTENCES} more {what} sentences split the same way")
    return fitted


def _align(src_vecs: np.ndarray, cand_vecs: np.ndarray, config: CheckConfig) -> Alignment:
    return align(
        src_vecs,
        cand_vecs,
        max_merge=config.max_merge,
        skip_threshold=config.skip_threshold,
        merge_penalty=config.merge_penalty,
        band=config.band,
        full_search_cells=config.full_search_cells,
    )


def _score_bead(bead: Bead, src: Document, cand: Document, metrics: Sequence[PairMetric]) -> Bead:
    if bead.is_gap or not metrics:
        return bead
    source_text, candidate_text = src.joined(bead.source), cand.joined(bead.candidate)
    scores = tuple((m.name, m.sentence(candidate_text, source_text)) for m in metrics)
    return Bead(bead.source, bead.candidate, bead.similarity, scores)


def _flag(
    src: Document,
    cand: Document,
    beads: Sequence[Bead],
    embedder: Embedder,
    embedded: Embedded,
    cross_language: bool,
    config: CheckConfig,
) -> tuple[tuple[Flag, ...], tuple[str, ...]]:
    """Word-level flags inside matched beads (one batched model pass), then whole-bead flags."""
    matched = [(k, b) for k, b in enumerate(beads) if not b.is_gap]
    inputs = [
        spans.BeadInput(
            src.raw, tuple(src.sentences[i] for i in b.source),
            cand.raw, tuple(cand.sentences[j] for j in b.candidate),
            bead_index=k, cross_language=cross_language,
            source_language=src.language, candidate_language=cand.language,
        )
        for k, b in matched
    ]
    per_bead = spans.flag_beads(inputs, embedder=embedder, config=config, tokens=embedded.tokens)
    flags = [f for bead_flags in per_bead for f in bead_flags]
    flags += gap_flags(beads, src, cand) + outlier_flags(beads, src, cand)
    # Words left in another language are errors wherever they sit, inserted sentences included
    # (the "disienten" in kim-arrives' tail, past the end of the partial source).
    # With no source to compare against, only the confident (major) ones: the minor level also
    # catches rare English words ("spokeswoman").
    for k, b in enumerate(beads):
        if not b.source:
            flags += [
                f for f in spans.untranslated_flags(
                    cand.raw, tuple(cand.sentences[j] for j in b.candidate),
                    bead_index=k, language=cand.language, embedder=embedder,
                )
                if f.severity == "major"
            ]
    flags.sort(key=lambda f: (f.candidate.start, f.candidate.end, f.bead, f.kind))
    return tuple(flags), spans.checks_run(cross_language) + WHOLE_BEAD_CHECKS


def _char_weight(doc: Document, indices: Sequence[int]) -> int:
    return sum(len(doc.sentences[i].text) for i in indices)


def summarise(
    src: Document,
    cand: Document,
    beads: Sequence[Bead],
    flags: Sequence[Flag],
    metrics: Sequence[PairMetric],
    config: CheckConfig,
) -> Summary:
    """Document-level figures (definitions in README, "Scores").

    divergence: 1 - the character-weighted mean of max(similarity, 0) over all beads, where a
    gap (omission or insertion) counts as similarity 0 and a bead weighs the characters of both
    its sides. 0 means every sentence found an identical counterpart; 1 means nothing matched.
    """
    matched = [b for b in beads if not b.is_gap]
    covered_src = sum(len(b.source) for b in matched)
    covered_cand = sum(len(b.candidate) for b in matched)
    weights = np.array([_char_weight(src, b.source) + _char_weight(cand, b.candidate) for b in beads], float)
    quality = np.array([0.0 if b.is_gap else max(b.similarity or 0.0, 0.0) for b in beads])
    is_matched = np.array([not b.is_gap for b in beads], bool)
    mean_similarity = float(np.mean([b.similarity for b in matched])) if matched else None
    corpus_scores: tuple[tuple[str, float], ...] = ()
    if metrics and matched:
        hyps = [cand.joined(b.candidate) for b in matched]
        refs = [src.joined(b.source) for b in matched]
        corpus_scores = tuple((m.name, m.corpus(hyps, refs)) for m in metrics)
    return Summary(
        divergence=_divergence(weights, quality),
        coverage_source=covered_src / len(src.sentences),
        coverage_candidate=covered_cand / len(cand.sentences),
        mean_similarity=mean_similarity,
        beads=len(beads),
        omissions=sum(1 for b in beads if not b.candidate),
        insertions=sum(1 for b in beads if not b.source),
        penalty=spans.penalty(flags, config.severity_weights),
        flags_major=sum(1 for f in flags if f.severity == "major"),
        flags_minor=sum(1 for f in flags if f.severity == "minor"),
        corpus_scores=corpus_scores,
        divergence_aligned=_divergence(weights[is_matched], quality[is_matched]),
    )


def _divergence(weights: np.ndarray, quality: np.ndarray) -> float:
    """1 - the weighted mean quality, in [0, 1]; 1 when there is nothing to weigh."""
    if not weights.sum():
        return 1.0
    return min(max(1.0 - float((weights * quality).sum() / weights.sum()), 0.0), 1.0)


def make_signature(embedder: Embedder, config: CheckConfig, metrics: Sequence[PairMetric]) -> str:
    """sacrebleu-style signature naming everything that moves a number in the report."""
    skip = "auto" if config.skip_threshold is None else f"{config.skip_threshold:g}"
    parts = [
        f"mtcheck:{__version__}",
        f"model:{embedder.name}@{embedder.fingerprint()}",
        f"align:merge{config.max_merge}+skip:{skip}+pen:{config.merge_penalty:g}+band:{config.band}",
        f"split:{'lines' if config.presplit else 'sentencex'}+clean:{'yes' if config.clean and not config.presplit else 'no'}",
        f"langdetect-seed:{config.langdetect_seed}",
        f"flagger:{spans.flagger_fingerprint() if config.flag_spans else 'off'}",
        "weights:" + "+".join(f"{k}{v:g}" for k, v in config.severity_weights),
    ]
    parts += [f"{m.name}({m.signature()})" for m in metrics]
    return "|".join(parts)
