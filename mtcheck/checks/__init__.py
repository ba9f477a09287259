"""Checks: one module per check, one protocol, one registry.

A bead check reads a frozen :class:`~.context.BeadContext` and returns flags (and the candidate
words it claims, so that a later check does not flag them again); a document check reads all the
beads. The report's ``checks`` list and the flag kinds come from the registries below. To add a
check, write one module with a class that has ``name``, ``kinds``, ``scopes`` and
``run(context, claimed)``, and add an instance to ``BEAD_CHECKS`` (README, "Adding a check").

Order matters: precise checks claim their words first, because "number 580 where the source has
680" tells an editor more than "580 probably does not fit"; the learned flagger then reports runs
of words above its thresholds; omissions (source-only content words) come last.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import partial

import numpy as np

from ..embed import Embedded, Embedder, TokenVectors
from ..glossary import Glossary
from ..lang import PACKS, LanguagePack, pack_for, word_key
from ..spans.evidence import Evidence
from ..spans.foreign import WordPieces, foreign_words
from ..spans.model import FEATURES, load_model, predict, word_features
from ..spans.pair import Pair
from ..spans.tagger import TaggerInput, load_tagger
from ..spans.vectors import contextual_word_vectors, word_pieces_of
from ..spans.words import Side, base_language, strip_punct
from ..types import Bead, Document, Flag, Span
from .antonym import AntonymCheck
from .context import (
    BeadCheck,
    BeadContext,
    CheckResult,
    DocumentCheck,
    DocumentContext,
    Scope,
    WordScores,
    WordVectors,
)
from .gaps import GapCheck
from .learned import LearnedCheck
from .name import NameCheck, name_evidence
from .negation import NegationCheck, negation_evidence
from .number import NumberCheck, calendar_evidence, number_evidence
from .omission import OmissionCheck
from .outliers import OutlierCheck
from .terminology import TerminologyCheck
from .untranslated import UntranslatedCheck

#: Bead checks, in the order they claim words.
BEAD_CHECKS: tuple[BeadCheck, ...] = (
    NumberCheck(),
    NegationCheck(),
    AntonymCheck(),
    UntranslatedCheck(),
    NameCheck(),
    LearnedCheck(),
    OmissionCheck(),
)
#: Checks over whole beads.
DOCUMENT_CHECKS: tuple[DocumentCheck, ...] = (GapCheck(), OutlierCheck(), TerminologyCheck())

__all__ = [
    "BEAD_CHECKS",
    "DOCUMENT_CHECKS",
    "BeadCheck",
    "BeadContext",
    "BeadInput",
    "CheckResult",
    "DocumentCheck",
    "DocumentContext",
    "check_names",
    "flag_beads",
    "Flagged",
    "error_mass",
    "flag_document",
    "flagger_for",
    "run_bead_checks",
    "skipped_checks",
    "tagger_input",
]


def flagger_for(choice: str, candidate_language: str | None) -> str:
    """The flagger that reads a candidate: ``choice`` itself, or for "auto" the tagger when the
    candidate is English (the only language it was trained on), the logistic flagger otherwise."""
    if choice != "auto":
        return choice
    return "tagger" if base_language(candidate_language) in ("en", "") else "logistic"


def reads_word_vectors(flagger: str) -> bool:
    """Whether ``flagger`` (as :func:`flagger_for` resolved it) reads contextual word vectors: the
    logistic flagger does, and so does the packaged span tagger when it blends one in. Then the
    pipeline keeps the word-piece vectors of the pass that embeds the sentences, instead of a
    second model pass over every bead."""
    return flagger == "logistic" or (flagger == "tagger" and load_tagger().blend_path is not None)


def check_names(cross_language: bool, glossary: bool = False) -> tuple[str, ...]:
    """The names of the checks that run on a same- or cross-language pair (with a glossary or
    without), as reports list them."""
    scope: Scope = "cross-language" if cross_language else "same-language"
    bead_checks = tuple(c.name for c in BEAD_CHECKS if scope in c.scopes)
    return bead_checks + tuple(c.name for c in DOCUMENT_CHECKS if glossary or not c.needs_glossary)


def run_bead_checks(context: BeadContext, checks: Sequence[BeadCheck] = BEAD_CHECKS) -> list[Flag]:
    """Every check that runs on this kind of bead, in registry order; flags sorted by offset."""
    return _run_bead_checks(context, checks)[0]


def _run_bead_checks(context: BeadContext, checks: Sequence[BeadCheck]) -> tuple[list[Flag], list[Flag]]:
    """The bead's flags sorted by offset, and its major flags from the precise checks (all but
    the word flagger's, which are probabilities, not findings)."""
    flags: list[Flag] = []
    certain: list[Flag] = []
    claimed: frozenset[int] = frozenset()
    for check in checks:
        if context.scope in check.scopes and context.candidate.words:
            result = check.run(context, claimed)
            flags.extend(result.flags)
            if check.name != LearnedCheck.name:
                certain += [f for f in result.flags if f.severity == "major"]
            claimed |= result.claimed
    flags.sort(key=lambda f: (f.candidate.start, f.candidate.end))
    return flags, certain


@dataclass(frozen=True)
class BeadInput:
    """One bead for :func:`flag_beads`: both raw texts and the bead's sentence spans."""

    source_raw: str
    source_spans: Sequence[Span]
    candidate_raw: str
    candidate_spans: Sequence[Span]
    bead_index: int = 0
    cross_language: bool = False
    source_language: str | None = None
    candidate_language: str | None = None
    #: the source and candidate text of the neighbouring beads: sentence boundaries shift
    #: between versions, so a name, number or negation one sentence away was not lost
    nearby_source: str = ""
    nearby_candidate: str = ""


def flag_beads(
    beads: Sequence[BeadInput],
    *,
    embedder: Embedder,
    flagger: str = "auto",
    model_path: str | None = None,
    thresholds: Mapping[str, float] | None = None,
    tokens: Mapping[str, TokenVectors] | None = None,
) -> list[list[Flag]]:
    """Flags for many beads, with one batched model pass over all their same-language texts.

    Args:
        beads: the beads; a bead with several sentences on a side is read as one text (its
            sentences joined by a space), and every flag's offsets point into the raw texts.
        embedder: a TokenEmbedder gives contextual word vectors; any other gives static ones
            (read by the logistic flagger only).
        flagger: "tagger", "logistic", or "auto" (see :func:`flagger_for`, per bead).
        model_path: weights other than the packaged ones, for the flagger named in ``flagger``
            (training and tests): the logistic flagger's JSON file, or the tagger's folder.
        thresholds: override the flagger's "major"/"minor" probability thresholds.
        tokens: word-piece vectors the embed stage already has, by sentence text
            (``Embedded.tokens``); texts not in it are read by the model here.

    Returns:
        One list of flags per bead, each sorted by candidate offset.
    """
    contexts = build_contexts(
        beads, embedder=embedder, flagger=flagger, model_path=model_path, thresholds=thresholds, tokens=tokens
    )
    return [run_bead_checks(context) for context in contexts]


def build_contexts(
    beads: Sequence[BeadInput],
    *,
    embedder: Embedder,
    flagger: str = "auto",
    model_path: str | None = None,
    thresholds: Mapping[str, float] | None = None,
    tokens: Mapping[str, TokenVectors] | None = None,
    with_scores: bool = True,
) -> list[BeadContext]:
    """One BeadContext per bead; same-language beads get their alignment, evidence and (with
    ``with_scores``) the word flagger's probabilities, from one batched model pass per flagger."""
    word_pieces = word_pieces_of(embedder)
    contexts: list[BeadContext] = []
    same: list[int] = []
    for bead in beads:
        cand = Side.build(bead.candidate_raw, bead.candidate_spans)
        src = Side.build(bead.source_raw, bead.source_spans)
        scope: Scope = (
            "inserted" if not bead.source_spans else "cross-language" if bead.cross_language else "same-language"
        )
        context = BeadContext(
            bead=bead.bead_index,
            candidate=cand,
            source=src,
            scope=scope,
            source_language=bead.source_language or "",
            candidate_language=bead.candidate_language or "",
            source_pack=pack_for(bead.source_language),
            candidate_pack=pack_for(bead.candidate_language),
            word_pieces=word_pieces,
        )
        if scope == "same-language" and cand.words:
            pack = context.pack
            pair = Pair.align(cand, src, key=partial(word_key, pack))
            evidence = _evidence(pair, word_pieces, pack, bead.nearby_source, bead.nearby_candidate)
            context = replace(context, alignment=pair, evidence=evidence)
            same.append(len(contexts))
        contexts.append(context)
    if not with_scores:
        return contexts
    by_flagger: dict[str, list[int]] = {}
    for k in same:
        by_flagger.setdefault(flagger_for(flagger, contexts[k].candidate_language or None), []).append(k)
    if by_flagger.get("tagger"):
        path = model_path if flagger == "tagger" else None
        contexts = _tagger_scores(contexts, by_flagger["tagger"], path, thresholds, embedder, tokens)
    if by_flagger.get("logistic"):
        path = model_path if flagger == "logistic" else None
        contexts = _logistic_scores(contexts, by_flagger["logistic"], embedder, path, thresholds, tokens)
    return contexts


def tagger_input(context: BeadContext) -> TaggerInput:
    """What the span tagger reads of a bead: its candidate words, in the context of its source."""
    return TaggerInput(context.candidate.text, context.candidate.words, context.source.text)


def _tagger_scores(
    contexts: list[BeadContext],
    which: Sequence[int],
    directory: str | None,
    thresholds: Mapping[str, float] | None,
    embedder: Embedder,
    tokens: Mapping[str, TokenVectors] | None,
) -> list[BeadContext]:
    """``contexts`` with the span tagger's probabilities on the beads ``which`` (P(major) blended
    with its logistic flagger's, when the tagger has one: that needs the word vectors too)."""
    tagger = load_tagger(directory)
    th = {**tagger.thresholds, **(thresholds or {})}
    own = tagger.word_probabilities([tagger_input(contexts[k]) for k in which])
    probs = list(own)
    if tagger.blend_path is not None:
        model = load_model(str(tagger.blend_path))
        for n, F in enumerate(_feature_matrices(contexts, which, embedder, tokens)):
            probs[n] = tagger.blended(own[n], predict(model, F, "major"))
    own_threshold = th.get("own_major", th["major"])  # see WordScores.own_major
    out = list(contexts)
    for k, p, q in zip(which, probs, own):
        out[k] = replace(out[k], scores=WordScores(p[:, 0], p[:, 1], th, (q[:, 0], own_threshold)))
    return out


def _logistic_scores(
    contexts: list[BeadContext],
    which: Sequence[int],
    embedder: Embedder,
    path: str | None,
    thresholds: Mapping[str, float] | None,
    tokens: Mapping[str, TokenVectors] | None,
) -> list[BeadContext]:
    """``contexts`` with the logistic flagger's probabilities."""
    model = load_model(path)
    th = {**model["thresholds"], **(thresholds or {})}
    out = list(contexts)
    for k, F in zip(which, _feature_matrices(contexts, which, embedder, tokens)):
        out[k] = replace(out[k], scores=WordScores(predict(model, F, "major"), predict(model, F, "any"), th))
    return out


#: Beads whose word vectors are computed, and dropped, together: holding a long article's word-piece
#: vectors all at once would take gigabytes (2 GB more for 10,000 paragraphs a side).
_VECTOR_CHUNK = 256


def _feature_matrices(
    contexts: Sequence[BeadContext],
    which: Sequence[int],
    embedder: Embedder,
    tokens: Mapping[str, TokenVectors] | None,
) -> Iterator[np.ndarray]:
    """The logistic flagger's feature matrix of each context in ``which``, in order, from one
    batched model pass per chunk of beads over the texts not in ``tokens``."""
    for start in range(0, len(which), _VECTOR_CHUNK):
        chunk = [contexts[k] for k in which[start : start + _VECTOR_CHUNK]]
        yield from word_feature_matrices(chunk, word_vectors(chunk, embedder, tokens))


def _evidence(
    pair: Pair,
    word_pieces: WordPieces | None,
    pack: LanguagePack | None,
    nearby_source: str = "",
    nearby_candidate: str = "",
) -> Evidence:
    """The precise checks' findings in a same-language pair (also the flagger's features), in
    the pair's language: its number words, negation cues and stopwords. English-only evidence of
    untranslated words applies to English pairs only (a Portuguese "três" is not foreign in a
    Portuguese text). Without a pack, numbers are read in digits and negation is not judged.
    """
    sw = pair.src.word_texts()
    src_bag = {strip_punct(w).lower() for w in sw} | {word_key(pack, w) for w in sw}
    # names and numbers a neighbouring source sentence has are not "missing from the source"
    nearby = nearby_source.split()
    nearby_bag = src_bag | {strip_punct(w).lower() for w in nearby} | {word_key(pack, w) for w in nearby}
    num_bad, num_ok = number_evidence(pair, pack.number_mentions if pack is not None else None, nearby_source)
    num_bad += calendar_evidence(pair, pack)
    return Evidence(
        num_bad=num_bad,
        num_ok=num_ok,
        name_bad=name_evidence(pair, nearby_bag, pack, nearby_source),
        foreign=foreign_words(
            pair.cand, src_bag, word_pieces, english=pack is not None and pack.code == "en", skip=pair.exact
        ),
        neg=negation_evidence(pair, pack.negation_cues, nearby_source, nearby_candidate) if pack is not None else (),
    )


def word_vectors(
    contexts: Sequence[BeadContext], embedder: Embedder, tokens: Mapping[str, TokenVectors] | None = None
) -> list[WordVectors]:
    """Contextual word vectors of both sides of each context, from one batched model pass over
    the texts not in ``tokens``."""
    sides = [s for c in contexts for s in (c.candidate, c.source)]
    wvecs, svecs = contextual_word_vectors(embedder, sides, tokens)
    return [
        WordVectors(wvecs[2 * k], wvecs[2 * k + 1], float(svecs[2 * k] @ svecs[2 * k + 1]) if c.source.words else 0.0)
        for k, c in enumerate(contexts)
    ]


def word_feature_matrices(contexts: Sequence[BeadContext], vectors: Sequence[WordVectors]) -> list[np.ndarray]:
    """The learned flagger's feature matrix of each same-language context; also what
    bench/train_flagger.py trains on."""
    out = []
    for context, vecs in zip(contexts, vectors):
        pair, evidence = context.alignment, context.evidence
        if pair is None or evidence is None:  # no candidate words: nothing to score
            out.append(np.zeros((0, len(FEATURES)), dtype=np.float32))
            continue
        out.append(word_features(pair, evidence, vecs.candidate, vecs.source, vecs.sentence_cosine, context.is_stop))
    return out


def skipped_checks(
    source_language: str, candidate_language: str, cross_language: bool
) -> tuple[tuple[str, ...], str | None]:
    """The checks that cannot run for want of a language pack, and a note for the report saying why."""
    scope: Scope = "cross-language" if cross_language else "same-language"
    languages = (candidate_language, source_language) if cross_language else (candidate_language,)
    missing = [lang for lang in dict.fromkeys(languages) if pack_for(lang) is None]
    needing = tuple(c.name for c in BEAD_CHECKS if scope in c.scopes and c.needs_pack)
    if not missing or not needing:
        return (), None
    named = needing[0] if len(needing) == 1 else f"{', '.join(needing[:-1])} and {needing[-1]}"
    return needing, (
        f"no language pack for {', '.join(repr(lang) for lang in missing)}: {named} not checked "
        f"(they need the language's word lists: negation cues, antonyms, stopwords; packs: {', '.join(PACKS)})"
    )


def _nearby(document: Document, beads: Sequence[Bead], k: int, side: str) -> str:
    """The text of ``side`` ("source" or "candidate") in the beads on either side of bead ``k``."""
    around = [beads[i] for i in (k - 1, k + 1) if 0 <= i < len(beads)]
    return " ".join(document.sentences[i].text for b in around for i in getattr(b, side))


@dataclass(frozen=True)
class Flagged:
    """What :func:`flag_document` found.

    Attributes:
        flags: every flag, in reading order.
        checks: the names of the checks that ran.
        notes: for the report (checks skipped for want of a language pack).
        error_mass: per bead of the document, the evidence of major errors in its candidate
            side (see :func:`error_mass`); None where no word flagger read the bead.
    """

    flags: tuple[Flag, ...]
    checks: tuple[str, ...]
    notes: tuple[str, ...]
    error_mass: tuple[float | None, ...]


def _word_excess(context: BeadContext, certain: Sequence[Flag] = ()) -> np.ndarray | None:
    """Per candidate word, how far the word flagger's own P(major) exceeds its own threshold (see
    :func:`error_mass`); None where no word flagger read the bead."""
    if context.scores is None:
        return None
    p_major, threshold = context.scores.own_major
    excess = np.clip(p_major - threshold, 0.0, None)
    if context.alignment is not None:
        excess[context.alignment.loose] = 0.0
    for flag in certain:
        for k in _words_under(context, flag):
            excess[k] = 1.0 - threshold
    return excess


def _words_under(context: BeadContext, flag: Flag) -> list[int]:
    """The candidate words of ``context`` that ``flag`` covers (any overlap)."""
    side = context.candidate
    spans = (side.span(start, end) for start, end in side.words)
    return [k for k, w in enumerate(spans) if w.start < flag.candidate.end and flag.candidate.start < w.end]


def error_mass(context: BeadContext, certain: Sequence[Flag] = ()) -> float | None:
    """The evidence of major errors in a bead's candidate side: over its words, how far the word
    flagger's own P(major) exceeds its threshold (WordScores.own_major), and the most it can (a
    sure error) on each word under a flag in ``certain``: the precise checks' major flags (a
    changed number or an antonym is certain where the flagger may waver). 0 for a bead found clean.

    Unlike a count of flags it does not jump at the threshold, so a document score built on it
    moves a little with each change instead of all at once. The flagger's excess on words the
    source has too (matched as written or after normalisation) is left out: meaning did not
    change there, and those probabilities are noise that a change elsewhere in the sentence can
    move either way."""
    excess = _word_excess(context, certain)
    return None if excess is None else float(excess.sum())


def _with_mass(context: BeadContext, flags: Sequence[Flag], excess: np.ndarray) -> list[Flag]:
    """``flags`` with each one's share of the bead's error mass (``excess``: from
    :func:`_word_excess`): the excess under its words, each word given to the first flag over it,
    so that the shares never add up to more than the bead's mass (a dismissed flag takes its
    share back, mtcheck.review)."""
    given: set[int] = set()
    out = []
    for flag in flags:
        words = [k for k in _words_under(context, flag) if k not in given]
        given.update(words)
        out.append(replace(flag, error_mass=float(excess[words].sum())) if words else flag)
    return out


def flag_document(
    source: Document,
    candidate: Document,
    beads: Sequence[Bead],
    *,
    embedder: Embedder,
    embedded: Embedded,
    cross_language: bool,
    flagger: str = "auto",
    glossary: Glossary | None = None,
) -> Flagged:
    """Every flag of a checked pair: bead checks on matched beads and on inserted sentences (one
    batched model pass), then the document checks; and each bead's error mass."""
    inputs = [
        BeadInput(
            source.raw,
            tuple(source.sentences[i] for i in b.source),
            candidate.raw,
            tuple(candidate.sentences[j] for j in b.candidate),
            bead_index=k,
            cross_language=cross_language,
            source_language=source.language,
            candidate_language=candidate.language,
            nearby_source=_nearby(source, beads, k, "source"),
            nearby_candidate=_nearby(candidate, beads, k, "candidate"),
        )
        # Words left in another language are errors wherever they sit, inserted sentences
        # included (the "disienten" in kim-arrives' tail, past the end of the partial source).
        for k, b in enumerate(beads)
        if b.candidate
    ]
    contexts = build_contexts(inputs, embedder=embedder, flagger=flagger, tokens=embedded.tokens)
    flags: list[Flag] = []
    masses: list[float | None] = [None] * len(beads)
    for context in contexts:
        bead_flags, certain = _run_bead_checks(context, BEAD_CHECKS)
        excess = None if beads[context.bead].is_gap else _word_excess(context, certain)
        if excess is not None:  # the same sum error_mass() gives, and each flag's share of it
            masses[context.bead] = float(excess.sum())
            bead_flags = _with_mass(context, bead_flags, excess)
        flags += bead_flags
    document = DocumentContext(source, candidate, tuple(beads), glossary)
    for check in DOCUMENT_CHECKS:
        flags += check.run(document)
    flags.sort(key=lambda f: (f.candidate.start, f.candidate.end, f.bead, f.kind))
    skipped, why = skipped_checks(source.language, candidate.language, cross_language)
    ran = tuple(name for name in check_names(cross_language, glossary is not None) if name not in skipped)
    return Flagged(tuple(flags), ran, (why,) if why else (), tuple(masses))
