"""check(): wires the stages together and returns a Report. No stage reaches back into an earlier one.

read -> clean -> segment (+language) -> embed -> align -> score -> flag spans -> Report
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace

import numpy as np
from threadpoolctl import threadpool_limits

from .align import Alignment, AlignSide, align
from .checks import flag_document, flagger_for
from .config import CheckConfig, Signature
from .embed import Embedded, Embedder, TokenEmbedder, choose_model, embed, embed_runs, get_embedder
from .errors import ConfigError
from .fingerprint import fingerprints
from .glossary import Glossary
from .metrics import PairMetric, make_metrics
from .partial import drop_flags_at_cut, left_out, source_end
from .review import Decisions, apply_decisions
from .segment import Side, as_document, fit_to_window, standalone
from .spans.model import flagger_fingerprint
from .spans.tagger import tagger_fingerprint
from .summary import summarise
from .types import Bead, Document, Flag, Report

log = logging.getLogger("mtcheck")


def check(
    source: Side,
    candidate: Side,
    config: CheckConfig | None = None,
    *,
    embedder: Embedder | None = None,
    decisions: Decisions | None = None,
    glossary: Glossary | None = None,
) -> Report:
    """Check a candidate translation against its source.

    Args:
        source: the source article (a string), its sentences (a list), or a Document.
        candidate: the translated or retranslated version, in the same forms.
        config: settings; ``CheckConfig()`` if omitted.
        embedder: an embedder to use instead of the one ``config.model`` names (tests, services
            that keep their own model).
        decisions: editors' decisions about flags (mtcheck.review), applied last: dismissed
            flags stay in the report, marked, and count toward nothing.
        glossary: terms for the terminology check (mtcheck.glossary); without one it does not run.

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
    src = as_document(source, config, "source")
    cand = as_document(candidate, config, "candidate")
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
    # The logistic flagger reads each word in its sentence: one forward pass gives both sentence
    # and word-piece vectors. The tagger reads the texts itself and needs only sentence vectors.
    flagger = flagger_for(config.flagger, cand.language)
    word_pieces = config.flag_spans and not cross_language and flagger == "logistic"
    embedded = embed(embedder, src.texts, cand.texts, tokens=word_pieces)

    # Many small per-row products: multithreaded BLAS only adds contention there (14x slower
    # on a loaded 2-core machine, see bench/bench_align.py), so the aligner runs on one thread.
    sides = _align_sides(embedder, src, cand, embedded, config.max_merge)
    with threadpool_limits(limits=1):
        alignment = _align(*sides, config)
    aligned = alignment.beads

    metrics: list[PairMetric] = []
    if cross_language:
        notes.append(
            f"surface metrics (chrF, BLEU, TER) skipped: the sides are in different languages "
            f"({src.language} / {cand.language})"
        )
    elif config.metrics:
        metrics = make_metrics(config.metrics)
    beads = tuple(_score_bead(bead, src, cand, metrics) for bead in aligned)

    flags: tuple[Flag, ...] = ()
    check_names: tuple[str, ...] = ()
    if config.flag_spans:
        flagged = flag_document(
            src,
            cand,
            beads,
            embedder=embedder,
            embedded=embedded,
            cross_language=cross_language,
            flagger=flagger,
            glossary=glossary,
        )
        flags, check_names = flagged.flags, flagged.checks
        notes += flagged.notes
        beads = tuple(replace(b, error_mass=m) for b, m in zip(beads, flagged.error_mass))
    partial = source_end(src, cand, beads)
    if partial is not None:
        notes.append(partial.note)
        flags = drop_flags_at_cut(flags, partial)
    cut = left_out(partial)
    flags = tuple(replace(f, fingerprint=fp) for f, fp in zip(flags, fingerprints(flags, cand)))
    summary = summarise(src, cand, beads, flags, metrics, config, model=embedder.name, leave_out=cut)
    signature = str(
        Signature.of(
            config,
            embedder,
            metrics,
            flagger=_flagger_signature(flagger) if config.flag_spans else "off",
            checks=check_names,
            glossary=glossary.digest() if glossary is not None and config.flag_spans else "",
        )
    )
    settings = (("skip_threshold_used", round(alignment.skip_threshold, 4)), ("banded_search", alignment.banded))
    report = Report(
        source=src,
        candidate=cand,
        beads=beads,
        flags=flags,
        summary=summary,
        signature=signature,
        model=embedder.name,
        notes=tuple(notes),
        checks=check_names,
        settings=tuple(config.to_dict().items()) + settings,
    )
    return report if decisions is None else apply_decisions(report, decisions)


def _flagger_signature(flagger: str) -> str:
    """The word flagger's name and its weights' hash, as the signature names them."""
    return f"{flagger}@{tagger_fingerprint() if flagger == 'tagger' else flagger_fingerprint()}"


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


def _align_sides(
    embedder: Embedder, src: Document, cand: Document, embedded: Embedded, max_merge: int
) -> tuple[AlignSide, AlignSide]:
    """What the aligner reads of each side: sentence and run vectors, lengths, headings."""
    docs, vectors = (src, cand), (embedded.source, embedded.candidate)
    alone = [standalone(doc) for doc in docs]
    runs = embed_runs(embedder, [(doc.texts, marks) for doc, marks in zip(docs, alone)], max_merge)
    return tuple(  # type: ignore[return-value]
        AlignSide(vecs, side_runs, np.array([len(t) for t in doc.texts], dtype=np.float64), np.array(marks))
        for doc, vecs, side_runs, marks in zip(docs, vectors, runs, alone)
    )


def _align(src: AlignSide, cand: AlignSide, config: CheckConfig) -> Alignment:
    return align(
        src,
        cand,
        max_merge=config.max_merge,
        skip_threshold=config.skip_threshold,
        band=config.band,
        full_search_cells=config.full_search_cells,
    )


def _score_bead(bead: Bead, src: Document, cand: Document, metrics: Sequence[PairMetric]) -> Bead:
    if bead.is_gap or not metrics:
        return bead
    source_text, candidate_text = src.joined(bead.source), cand.joined(bead.candidate)
    scores = tuple((m.name, m.sentence(candidate_text, source_text)) for m in metrics)
    return replace(bead, scores=scores)
