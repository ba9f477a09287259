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
from .checks import flag_document, flagger_for, reads_word_vectors
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
    notes: list[str] = []

    if embedder is None:
        model_name, note = choose_model(config.model, src.language, cand.language)
        if note:
            notes.append(note)
        embedder = get_embedder(model_name, allow_download=config.allow_download, runtime=config.runtime)
    flagger = flagger_for(config.flagger, cand.language)
    if not config.cache:
        report = _check(src, cand, config, embedder, flagger, glossary, notes)
    else:
        from .cache import report_key, shared_store, with_store

        store = shared_store()
        key = report_key(
            config,
            f"{embedder.name}@{embedder.fingerprint()}",
            _flagger_signature(flagger, config),
            _glossary_signature(glossary, config),
            (src, cand, tuple(notes)),
        )
        cached = store.get_report(key) if key is not None else None
        if cached is not None:
            report = cached
        else:
            report = _check(src, cand, config, with_store(embedder, store), flagger, glossary, notes)
            if key is not None:
                store.put_report(key, report)
    return report if decisions is None else apply_decisions(report, decisions)


#: The most sentences (both sides) whose word-piece vectors the embedding pass keeps for the word
#: flagger: a news paragraph's take about 0.1 MB (its word pieces x 384 floats), so about 400 MB.
_KEEP_WORD_PIECES = 4_000


def _check(
    src: Document,
    cand: Document,
    config: CheckConfig,
    embedder: Embedder,
    flagger: str,
    glossary: Glossary | None,
    notes: list[str],
) -> Report:
    """The stages after reading: fit, embed, align, score, flag, summarise (see :func:`check`)."""
    cross_language = src.language != cand.language
    src = _fit_model_window(src, embedder, "source", notes)
    cand = _fit_model_window(cand, embedder, "candidate", notes)
    log.info("embedding %d + %d sentences with %s", len(src.sentences), len(cand.sentences), embedder.name)
    # A flagger that reads each word in its sentence (the logistic one, alone or blended into the
    # tagger) gets both sentence and word-piece vectors from one forward pass; past
    # _KEEP_WORD_PIECES sentences, holding them all would cost more memory than the second pass
    # the flagging stage then makes, a chunk of beads at a time, costs time.
    word_pieces = (
        config.flag_spans
        and not cross_language
        and reads_word_vectors(flagger)
        and len(src.sentences) + len(cand.sentences) <= _KEEP_WORD_PIECES
    )
    embedded = embed(embedder, src.texts, cand.texts, tokens=word_pieces)

    alignment = _align(embedder, src, cand, embedded, config)
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
            flagger=_flagger_signature(flagger, config),
            checks=check_names,
            glossary=_glossary_signature(glossary, config),
        )
    )
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
        checks=check_names,
        # whether vectors came from the cache changes no figure, so the report does not say
        settings=tuple((k, v) for k, v in config.to_dict().items() if k != "cache") + settings,
    )


def _flagger_signature(flagger: str, config: CheckConfig) -> str:
    """The word flagger's name and its weights' hash, as the signature (and the report cache's
    key) name them; "off" without flagging."""
    if not config.flag_spans:
        return "off"
    return f"{flagger}@{tagger_fingerprint() if flagger == 'tagger' else flagger_fingerprint()}"


def _glossary_signature(glossary: Glossary | None, config: CheckConfig) -> str:
    """The digest of the glossary the terminology check reads, or "" when it does not run."""
    return glossary.digest() if glossary is not None and config.flag_spans else ""


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


#: The aligner runs at most this many times per pair; each time it first embeds the runs of
#: sentences that its merged beads read and that are not embedded yet.
_ALIGN_ROUNDS = 12
#: Optimism for merges read as sums (align's ``estimate_bonus``), in units of the document's
#: scale: on MAC-Dev, 0.2 gave strict F1 0.862, 0.3 0.874, 0.4 0.884, 0.5 0.881, against 0.881
#: with every run embedded; 0.4 embeds 17% of the runs (bench/eval_align.py).
_ESTIMATE_BONUS = 0.4


def _align(embedder: Embedder, src: Document, cand: Document, embedded: Embedded, config: CheckConfig) -> Alignment:
    """Align the sentences, embedding runs of sentences (a merged bead's side read as one text)
    as the search needs them.

    With ``config.run_embedding == "all"`` every run of 2 to ``max_merge`` sentences is embedded
    first, as Bertalign does: about three times the sentences' own cost. "lazy" (the default)
    aligns with each run standing in as the sum of its sentences' vectors, embeds the runs that
    the chosen merges read, and aligns again until every merge on the path was judged by its own
    embedding; on the alignment benchmark it keeps the figures (bench/eval_align.py).
    """
    docs = (src, cand)
    alone = [standalone(doc) for doc in docs]
    texts = [(doc.texts, marks) for doc, marks in zip(docs, alone)]
    lengths = [np.array([len(t) for t in doc.texts], dtype=np.float64) for doc in docs]
    lazy = config.run_embedding == "lazy"
    runs = embed_runs(embedder, texts, config.max_merge, only=([], []) if lazy else None)
    read: list[set[tuple[int, int]]] = [set(), set()]
    for last in [False] * (_ALIGN_ROUNDS - 1) + [True]:
        sides = [
            AlignSide(vecs, side_runs, side_lengths, np.array(marks))
            for vecs, side_runs, side_lengths, marks in zip((embedded.source, embedded.candidate), runs, lengths, alone)
        ]
        # Many small per-row products: multithreaded BLAS only adds contention there (14x slower
        # on a loaded 2-core machine, see bench/bench_align.py), so the aligner runs on one thread.
        with threadpool_limits(limits=1):
            alignment = align(
                sides[0],
                sides[1],
                max_merge=config.max_merge,
                skip_threshold=config.skip_threshold,
                band=config.band,
                full_search_cells=config.full_search_cells,
                # the last round reads the sums as they are: no merge may win on optimism alone
                estimate_bonus=_ESTIMATE_BONUS if lazy and not last else 0.0,
            )
        if not lazy:
            return alignment
        wanted = [_merged_runs(alignment.beads, side, config.max_merge) - done for side, done in enumerate(read)]
        if not any(wanted) or last:
            return alignment
        fresh = embed_runs(embedder, texts, config.max_merge, only=wanted)
        runs = [_with_rows(old, new) for old, new in zip(runs, fresh)]
        for done, more in zip(read, wanted):
            done |= more
    return alignment


def _merged_runs(beads: Sequence[Bead], side: int, max_merge: int) -> set[tuple[int, int]]:
    """The runs (width, first sentence) that the merged sides of ``beads`` read on ``side``."""
    out = set()
    for bead in beads:
        indices = bead.source if side == 0 else bead.candidate
        if 2 <= len(indices) <= max_merge and indices[-1] - indices[0] == len(indices) - 1:
            out.add((len(indices), indices[0]))
    return out


def _with_rows(old: tuple[np.ndarray, ...], new: tuple[np.ndarray, ...]) -> tuple[np.ndarray, ...]:
    """``old`` run arrays with the rows embedded in ``new`` filled in."""
    if not new:
        return old
    if not old:
        return new
    return tuple(np.where(b.any(axis=1, keepdims=True), b, a) for a, b in zip(old, new))


def _score_bead(bead: Bead, src: Document, cand: Document, metrics: Sequence[PairMetric]) -> Bead:
    if bead.is_gap or not metrics:
        return bead
    source_text, candidate_text = src.joined(bead.source), cand.joined(bead.candidate)
    scores = tuple((m.name, m.sentence(candidate_text, source_text)) for m in metrics)
    return replace(bead, scores=scores)
