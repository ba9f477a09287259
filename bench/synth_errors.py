#!/usr/bin/env python3
"""Synthetic "round-trip translation" error rows for the span tagger (bench/train_tagger.py).

    python bench/synth_errors.py [--derive] [--out bench/out/synth.jsonl] [--seed 0] [--train PATH]

Per distinct training segment (testset, doc_id, seg_id), ``reference`` (Human-A) stays the source side and
``reference_b`` (Human-B, an independent faithful translation, i.e. a plain rewording) becomes the candidate.
One meaning-changing error is injected into the candidate and its exact character span is labelled Major:

* ``wrong_sense``: a content word replaced by a lemma of another WordNet sense of it (train -> exercise);
* ``antonym``: a WordNet antonym, plus a few hand-written pairs WordNet lacks (confirm -> deny);
* ``negation``: a negation dropped (span = the auxiliary/verb left behind) or added (span = "will not");
* ``number``: a number, year, month or weekday changed;
* ``name``: a proper name (also in the source side) replaced by another name from the training references;
* ``hedge``: a hedge inserted into a firm statement ("was reportedly", "may have").

About ``clean_share`` of the output are unedited candidates (no spans), so rewordings are taught as not errors.
Kinds are balanced greedily: each segment gets the feasible kind with the fewest rows so far.

Word relations come from ``bench/data/synth/relations.json``, a compact extract of WordNet 3.0 restricted to
words of the training references; ``--derive`` rebuilds it from Debian's wordnet-base (/usr/share/wordnet).
Held-out documents (every 10th newstest2020 doc_id, as in train_tagger.load_train) and the dev set are never read
for anything here.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
TRAIN = HERE.parent.parent / "shared" / "data" / "mqm-train" / "mqm_zhen_train.jsonl"
RELATIONS = HERE / "data" / "synth" / "relations.json"
WORDNET = Path("/usr/share/wordnet")
KINDS = ("wrong_sense", "antonym", "negation", "number", "name", "hedge")
CATEGORY = {
    "wrong_sense": "Accuracy/Mistranslation",
    "antonym": "Accuracy/Mistranslation",
    "negation": "Accuracy/Mistranslation",
    "number": "Accuracy/Mistranslation",
    "name": "Accuracy/Mistranslation",
    "hedge": "Accuracy/Addition",
}

TOKEN = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)?")
ALPHA = re.compile(r"[a-z]+")
POS_FILES = {"n": "noun", "v": "verb", "a": "adj", "r": "adv"}

# function words and light verbs: their many WordNet senses are mostly idiom senses, so a "wrong sense"
# lemma of them is rarely a clean meaning change (say -> order, make -> get)
STOP = set(
    """a an the this that these those it its he she they them his her their our we us you your i me my
    and or but if of in on at to for from by with as into about over after before under between through
    is are was were be been being am do does did done have has had having will would shall should can could
    may might must not no nor so than then there here what which who whom whose when where why how all any
    each every some such more most other same own only also very just too even still yet already again
    say said says tell told make made get got take took taken give gave given go went gone come came
    put set see saw seen know knew known think thought use used want need like well way thing one ones let
    people time year years day days part case point number lot kind sort mr mrs ms dr""".split()
)
DETERMINERS = set("the a an this that these those its his her their our my your every each another".split())
VERB_CUES = set("to will would can could should must may might not did does do shall".split())
AUX = set("is are was were be been will would can could should must may might do does did has have had".split())
NEGATABLE = set("is are was were will would can could should has have had".split())
HEDGEABLE = set("is are was were will has have had".split())
HEDGES = ("perhaps", "likely", "possibly", "reportedly", "allegedly")
# a sentence already containing one of these is not "firm"; hedging it again teaches nothing
HEDGE_WORDS = set(
    """may might could would should perhaps possibly likely probably reportedly allegedly unlikely expected
    estimated seem seems seemed appear appears appeared about approximately around nearly almost
    suspected rumored rumoured maybe""".split()
)
NEGATION_WORDS = set("not never no nobody nothing none neither nor cannot".split())
# past participles that do not end in -ed/-en: "has" + one of them is the perfect, not possession
IRREGULAR_PARTICIPLES = set(
    """been become made done gone seen come won built found held led left lost met paid put read run set sold
    sent spent told brought bought thought taught caught begun grown shown known drawn said heard kept
    felt stood understood cut hit hurt let shut spread struck fought""".split()
)
CONTRACTIONS = {
    "don't": "do",
    "doesn't": "does",
    "didn't": "did",
    "isn't": "is",
    "aren't": "are",
    "wasn't": "was",
    "weren't": "were",
    "hasn't": "has",
    "haven't": "have",
    "hadn't": "had",
    "won't": "will",
    "can't": "can",
    "couldn't": "could",
    "shouldn't": "should",
    "wouldn't": "would",
    "mustn't": "must",
    "cannot": "can",
}
# "not" in these is not a negation of the clause, so dropping it does not flip the statement cleanly
NOT_IDIOMS = ("not only", "not just", "not least", "not to mention", "not yet", "not until", "not merely")

# hand-written antonym pairs (not WordNet): the product's seed errors and frequent news verbs WordNet links
# to rarer words (confirm -> disconfirm) or not at all
EXTRA_ANTONYMS = [
    ("confirm", "deny", "v"),
    ("accept", "reject", "v"),
    ("increase", "decrease", "v"),
    ("increase", "decrease", "n"),
    ("rise", "fall", "v"),
    ("win", "lose", "v"),
    ("support", "oppose", "v"),
    ("allow", "forbid", "v"),
    ("approve", "reject", "v"),
    ("expand", "reduce", "v"),
    ("strengthen", "weaken", "v"),
    ("success", "failure", "n"),
    ("victory", "defeat", "n"),
    ("profit", "loss", "n"),
    ("growth", "decline", "n"),
]

NUMBER_WORDS = [
    "two three four five six seven eight nine ten eleven twelve".split(),
    "twenty thirty forty fifty sixty seventy eighty ninety".split(),
    "hundred thousand million billion".split(),
    "hundreds thousands millions billions".split(),
]
MONTHS = "January February March April May June July August September October November December".split()
WEEKDAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
DIGITS = re.compile(r"(?<![\w.,'’-])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?![\w-]|[.,]\d)")
PERSON_BEFORE = set(
    """Mr Mrs Ms Dr President Premier Minister Secretary Professor Chairman General Director Governor Mayor
    Senator Vice Prime Ambassador Spokesman Spokesperson Chancellor""".split()
)
PERSON_AFTER = set("said says told added noted stressed explained believes".split())
PLACE_AFTER = set("Province City County District Airport Street Road River Village Town Island".split())
# only "in": "from/to/of X" is as often a company or a person (of Baidu, to Trump)
PLACE_BEFORE = {"in"}
NAME_STOP = set(MONTHS + WEEKDAYS) | set(
    """I The A An In On At Of And But He She It They We Mr Mrs Ms Dr Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct
    Nov Dec Mon Tue Wed Thu Fri Sat Sun""".split()
)
# verb particles: "pointed out" -> "pointed in" changes a phrasal verb, not a statement
# institutions: "Yunnan Academy" is not a place
NAME_STOP |= set(
    """Academy University Party Committee Council Ministry Bank Company Group Democrats Republicans Association
    Institute Department Office Bureau Government Congress Senate Museum Center Centre""".split()
)
PARTICLES = set("out in up down off on over back away".split())


# ---------------------------------------------------------------- data


def load_train(path: Path) -> list[dict]:
    """Training rows without the held-out documents; the rule is train_tagger.load_train's, replicated here
    so this module stays importable without numpy/eval_mqm: sorted distinct newstest2020 doc_ids, every 10th
    (k % 10 == 0) is held out. Both references are kept for ted2021 (like ``--ted-ref both``)."""
    with open(path, encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    nt_docs = sorted({r["doc_id"] for r in rows if r["testset"] == "newstest2020"})
    held = {d for k, d in enumerate(nt_docs) if k % 10 == 0}
    return [r for r in rows if r["doc_id"] not in held]


def segments(rows: list[dict]) -> list[dict]:
    """One row per (testset, doc_id, seg_id), in sorted key order; references are the same for every system."""
    by_key: dict[tuple, dict] = {}
    for r in sorted(rows, key=lambda r: (r["testset"], r["doc_id"], r["seg_id"], r["system"])):
        by_key.setdefault((r["testset"], r["doc_id"], r["seg_id"]), r)
    return [by_key[k] for k in sorted(by_key)]


def words(text: str) -> list[str]:
    return TOKEN.findall(text)


# ---------------------------------------------------------------- WordNet extract (--derive)


def _read_wordnet(root: Path) -> tuple[dict, dict, dict, dict]:
    """index: (lemma, pos) -> synset offsets (sense order); data: (pos, offset) -> (lemmas, pointers, lexfile);
    exc: inflected form -> {pos: lemma}; tags: (lemma, pos, offset) -> SemCor tag count of that sense (nouns and
    verbs). Adjective satellites ("s") are filed under "a"."""
    index: dict[tuple[str, str], list[str]] = {}
    data: dict[tuple[str, str], tuple[list[str], list[tuple[str, str, str, int, int]], str]] = {}
    exc: dict[str, dict[str, str]] = defaultdict(dict)
    keys: dict[tuple[str, str, str], str] = {}
    for pos, name in POS_FILES.items():
        for line in (root / f"index.{name}").read_text(encoding="utf-8").splitlines():
            if line.startswith(" "):  # licence header
                continue
            f = line.split()
            n_ptr = int(f[3])
            n_syn = int(f[2])
            index[(f[0], pos)] = f[4 + n_ptr + 2 : 4 + n_ptr + 2 + n_syn]
        for line in (root / f"data.{name}").read_text(encoding="utf-8").splitlines():
            if line.startswith(" "):
                continue
            f = line.split("|")[0].split()
            n_w = int(f[3], 16)
            lemmas = [re.sub(r"\(.*\)$", "", f[4 + 2 * k]).lower() for k in range(n_w)]
            for k in range(n_w):  # sense keys of nouns and verbs, to look up tag counts in cntlist.rev
                key = f"{f[4 + 2 * k].lower()}%{'1' if pos == 'n' else '2'}:{f[1]}:{int(f[5 + 2 * k], 16):02d}::"
                keys[(lemmas[k], pos, f[0])] = key
            k = 4 + 2 * n_w
            n_p = int(f[k])
            ptrs = []
            for j in range(n_p):
                sym, off, p, st = f[k + 1 + 4 * j : k + 5 + 4 * j]
                ptrs.append((sym, off, "a" if p == "s" else p, int(st[:2], 16), int(st[2:], 16)))
            data[(pos, f[0])] = (lemmas, ptrs, f[1])
        path = root / f"{name}.exc"
        for line in path.read_text(encoding="utf-8").splitlines():
            f = line.split()
            if len(f) >= 2 and pos in "nv":  # adjective comparatives are not substituted
                exc[f[0]].setdefault(pos, f[1])
    counts = {}
    for line in (root / "cntlist.rev").read_text(encoding="utf-8").splitlines():
        key, _, n = line.split()
        counts[key] = int(n)
    tags = {k: counts.get(key, 0) for k, key in keys.items()}
    return index, data, exc, tags


def _morphy(form: str, pos: str, index: dict, exc: dict) -> list[str]:
    """WordNet's morphy: exception list, the form itself, then the detachment rules."""
    out = []
    if pos in exc.get(form, {}) and (exc[form][pos], pos) in index:
        out.append(exc[form][pos])
    if (form, pos) in index:
        out.append(form)
    rules = {
        "n": [("s", ""), ("ses", "s"), ("xes", "x"), ("zes", "z"), ("ches", "ch"), ("shes", "sh"), ("ies", "y")],
        "v": [("s", ""), ("ies", "y"), ("es", "e"), ("es", ""), ("ed", "e"), ("ed", ""), ("ing", "e"), ("ing", "")],
    }.get(pos, [])
    for suf, rep in rules:
        if form.endswith(suf) and len(form) > len(suf) + 1:
            base = form[: -len(suf)] + rep
            if (base, pos) in index:
                out.append(base)
    return list(dict.fromkeys(out))


def derive(rows: list[dict], root: Path = WORDNET) -> dict:
    """The compact relations file: only words of the training references (and forms of them) are kept."""
    index, data, exc, tags = _read_wordnet(root)
    ref_forms = sorted(
        {w.lower() for r in segments(rows) for t in (r["reference"], r["reference_b"]) for w in words(t)}
    )
    ref_forms = [w for w in ref_forms if ALPHA.fullmatch(w)]
    lemmas: dict[str, set[str]] = defaultdict(set)  # lemma -> WordNet POS letters
    for w in ref_forms:
        for pos in POS_FILES:
            for lem in _morphy(w, pos, index, exc):
                if ALPHA.fullmatch(lem):
                    lemmas[lem].add(pos)
    vocab = set(lemmas)

    def syn_lemmas(pos: str, off: str) -> list[str]:
        return data[(pos, off)][0]

    out_lemmas: dict[str, dict] = {}
    for lem in sorted(lemmas):
        entry: dict = {"pos": "".join(p for p in "nvar" if p in lemmas[lem])}
        for pos in entry["pos"]:
            offs = index[(lem, pos)]
            # antonyms are lexical pointers: from this lemma's word in the synset to one word of the target
            # only the 3 commonest senses: deep senses give odd pairs (out -> safe, the baseball sense)
            ants: list[str] = []
            for off in offs[:3]:
                words_, ptrs, _ = data[(pos, off)]
                for sym, t_off, t_pos, src, tgt in ptrs:
                    if sym != "!" or t_pos != pos or src == 0 or words_[src - 1] != lem:
                        continue
                    a = data[(t_pos, t_off)][0][tgt - 1]
                    if ALPHA.fullmatch(a) and a in vocab and a not in ants:
                        ants.append(a)
            if ants:
                entry["ant_" + pos] = ants
            # wrong senses (nouns and verbs only: adjective/adverb senses are too fine-grained, mutual ->
            # reciprocal): lemmas of senses 2.. that are in another lexicographer file than sense 1 (another
            # semantic field: flower -> peak) and neither in senses 1-2 nor next to sense 1 (hypernym, hyponym,
            # verb group, ...); sense 1 is WordNet's most frequent, the likeliest in context
            if lem in STOP or len(offs) < 2 or len(lem) < 3 or pos not in "nv":
                continue
            first = offs[0]
            near = set(syn_lemmas(pos, first)) | set(syn_lemmas(pos, offs[1]))
            for sym, t_off, t_pos, _, _ in data[(pos, first)][1]:
                if sym in ("@", "@i", "~", "~i", "&", "$", "^", "+") and (t_pos, t_off) in data:
                    near.update(syn_lemmas(t_pos, t_off))
            # and the shared sense must be rare for this word (< 10% of its SemCor tags, 10+ tags in all), so the
            # word is unlikely to have been meant in it: dream -> aspiration (15%) is out, flower -> peak is in
            total = sum(tags.get((lem, pos, off), 0) for off in offs)
            cands: list[str] = []
            for off in offs[1:]:
                if data[(pos, off)][2] == data[(pos, first)][2] or total < 10:
                    continue
                if tags.get((lem, pos, off), 0) >= 0.1 * total:
                    continue
                for c in syn_lemmas(pos, off):
                    related = c[:3] == lem[:3]  # derivations and spelling variants are weak errors (basis/base)
                    if (
                        ALPHA.fullmatch(c)
                        and c not in near
                        and c in vocab
                        and c not in STOP
                        and not related
                        and c not in cands
                    ):
                        cands.append(c)
            if cands:
                entry["sense_" + pos] = cands[:6]
        out_lemmas[lem] = entry
    # keep the POS-only entries too: the runtime needs them to tell "increase" (n/v) from "outside" etc.
    forms_exc = {w: dict(sorted(exc[w].items())) for w in ref_forms if w in exc}
    # inflected forms of candidate lemmas: so "went"/"children" are generated only from WordNet, not guessed
    cand_lemmas = {c for e in out_lemmas.values() for k, v in e.items() if k != "pos" for c in v}
    for w, m in sorted(exc.items()):
        for pos, lem in m.items():
            if lem in cand_lemmas and ALPHA.fullmatch(w):
                forms_exc.setdefault(w, {})[pos] = lem
    return {
        "about": "WordNet 3.0 extract for bench/synth_errors.py; see README.md beside this file",
        "exc": {w: dict(sorted(m.items())) for w, m in sorted(forms_exc.items())},
        "lemmas": out_lemmas,
    }


# ---------------------------------------------------------------- inflection


class Lexicon:
    """Runtime view of relations.json plus the corpus vocabulary (every generated form must be attested)."""

    def __init__(self, rel: dict, vocab: set[str]) -> None:
        self.lemmas: dict[str, dict] = rel["lemmas"]
        self.exc: dict[str, dict[str, str]] = rel["exc"]
        self.vocab = vocab
        self.irregular: dict[tuple[str, str], list[str]] = defaultdict(list)  # (lemma, pos) -> forms
        for form, m in sorted(self.exc.items()):
            for pos, lem in m.items():
                self.irregular[(lem, pos)].append(form)
        for (lem, pos), antonyms in self._extra():
            e = self.lemmas.setdefault(lem, {"pos": pos})
            e["ant_" + pos] = list(dict.fromkeys(e.get("ant_" + pos, []) + antonyms))

    @staticmethod
    def _extra() -> list[tuple[tuple[str, str], list[str]]]:
        out = []
        for a, b, pos in EXTRA_ANTONYMS:
            out += [((a, pos), [b]), ((b, pos), [a])]
        return out

    def analyses(self, form: str) -> list[tuple[str, str, str]]:
        """(lemma, pos, inflection) readings of a lowercase form; inflection in "", "pl", "s", "ed", "ing"."""
        out = []
        for pos, lem in self.exc.get(form, {}).items():
            infl = "pl" if pos == "n" else "ing" if form.endswith("ing") else "s" if form.endswith("s") else "ed"
            if lem in self.lemmas and pos in self.lemmas[lem]["pos"]:
                out.append((lem, pos, infl))
        if form in self.lemmas:
            out += [(form, p, "") for p in self.lemmas[form]["pos"]]
        rules = [
            ("n", "s", "", "pl"),
            ("n", "es", "", "pl"),
            ("n", "ies", "y", "pl"),
            ("v", "s", "", "s"),
            ("v", "es", "", "s"),
            ("v", "ies", "y", "s"),
            ("v", "ed", "e", "ed"),
            ("v", "ed", "", "ed"),
            ("v", "ied", "y", "ed"),
            ("v", "ing", "e", "ing"),
            ("v", "ing", "", "ing"),
        ]
        for pos, suf, rep, infl in rules:
            if form.endswith(suf) and len(form) > len(suf) + 2:
                base = form[: -len(suf)] + rep
                if base in self.lemmas and pos in self.lemmas[base]["pos"]:
                    out.append((base, pos, infl))
        # doubled final consonant (stopped, planning): WordNet lists most in verb.exc, this catches the rest
        m = re.fullmatch(r"(.*([bdgklmnprt]))\2(ed|ing)", form)
        if m and m.group(1) in self.lemmas and "v" in self.lemmas[m.group(1)]["pos"]:
            out.append((m.group(1), "v", "ed" if m.group(3) == "ed" else "ing"))
        return list(dict.fromkeys(out))

    def inflect(self, lemma: str, pos: str, infl: str) -> str | None:
        """The attested form of lemma with the inflection, or None (irregular and ambiguous, or not in the corpus)."""
        if not infl:
            return lemma if lemma in self.vocab else None
        if pos == "n":
            irregular = list(self.irregular.get((lemma, pos), []))  # noun.exc holds plurals only
        else:
            kind = {"ing": lambda f: f.endswith("ing"), "s": lambda f: f.endswith("s")}.get(
                infl, lambda f: not f.endswith(("ing", "s"))
            )
            irregular = [f for f in self.irregular.get((lemma, pos), []) if kind(f)]
        if irregular:
            # past vs participle (took/taken) cannot be told apart here: only a single irregular form is safe
            return irregular[0] if len(irregular) == 1 and irregular[0] in self.vocab else None
        stem = lemma
        if infl in ("pl", "s"):
            if re.search(r"(s|x|z|ch|sh)$", stem):
                cands = [stem + "es"]
            elif re.search(r"[^aeiou]y$", stem):
                cands = [stem[:-1] + "ies"]
            else:
                cands = [stem + "s"]
        elif infl == "ed":
            if stem.endswith("e"):
                cands = [stem + "d"]
            elif re.search(r"[^aeiou]y$", stem):
                cands = [stem[:-1] + "ied"]
            else:
                cands = [stem + "ed", stem + stem[-1] + "ed"]
        else:
            if stem.endswith("e") and not stem.endswith(("ee", "ye", "oe")):
                cands = [stem[:-1] + "ing"]
            else:
                cands = [stem + "ing", stem + stem[-1] + "ing"]
        return next((c for c in cands if c in self.vocab), None)


def match_case(orig: str, new: str) -> str:
    if orig.isupper() and len(orig) > 1:
        return new.upper()
    if orig[:1].isupper():
        return new[:1].upper() + new[1:]
    return new


# ---------------------------------------------------------------- edits

# An edit replaces cand[a:b] by ``new``; the labelled span is new[s0:s1] (the whole of ``new`` by default).
Edit = tuple[int, int, str, int, int]


def _edit(a: int, b: int, new: str, s0: int = 0, s1: int | None = None) -> Edit:
    return (a, b, new, s0, len(new) if s1 is None else s1)


def _tokens(text: str) -> list[re.Match]:
    return list(TOKEN.finditer(text))


def _sentence_start(text: str, pos: int) -> bool:
    """True when pos begins a sentence (or a quotation / bracketed part), where capitals say nothing."""
    before = text[:pos].rstrip()
    return not before or before[-1] in ".!?:;\"“”‘'(["


def _article_ok(text: str, a: int, new: str) -> bool:
    """'a exercise' must not be produced; the article lies outside the span, so such candidates are skipped."""
    m = re.search(r"\b([Aa]n?)\s+$", text[:a])
    if not m:
        return True
    vowel = new[:1].lower() in "aeiou"
    return (m.group(1).lower() == "an") == vowel


def _pos_context(toks: list[re.Match], i: int) -> str | None:
    prev = toks[i - 1].group().lower() if i else ""
    if prev in DETERMINERS:
        return "n"
    if prev in VERB_CUES:
        return "v"
    return None


def _lexical(cand: str, ref: str, lex: Lexicon, rel: str) -> list[tuple[Edit, bool]]:
    """wrong_sense (rel="sense") or antonym (rel="ant") substitutions; bool = the word is anchored in ref."""
    ref_words = {w.lower() for w in words(ref)} | {w.lower() for w in words(cand)}
    ref_lemmas = {a[0] for w in words(ref) for a in lex.analyses(w.lower())}
    toks = _tokens(cand)
    out = []
    for i, t in enumerate(toks):
        form = t.group()
        low = form.lower()
        if low in STOP or (rel == "ant" and low in PARTICLES) or "'" in form or "’" in form or len(low) < 3:
            continue
        if cand[t.start() - 1 : t.start()] == "-" or cand[t.end() : t.end() + 1] == "-":
            continue  # part of a compound ("State-owned")
        if form[:1].isupper() and not _sentence_start(cand, t.start()):
            continue  # a name
        readings = lex.analyses(low)
        ctx = _pos_context(toks, i)
        if ctx == "n":
            readings = [r for r in readings if r[1] in "na"]
        elif ctx == "v":
            readings = [r for r in readings if r[1] == "v"]
        if rel == "sense":
            # the POS must be clear: a noun's other sense is no error if the word was a verb here
            if len({(lem, pos) for lem, pos, _ in readings}) != 1:
                continue
            lem = readings[0][0]
            if len(lex.lemmas[lem]["pos"]) > 1 and ctx is None and readings[0][2] not in ("ed", "ing"):
                continue
        # with several readings (levels: noun or verb) a substitute must fit all of them (increase -> decrease),
        # else the verb's antonym lands on a noun ("two levels" -> "two raises")
        per_reading = []
        for lem, pos, infl in readings:
            forms = set()
            for c in lex.lemmas.get(lem, {}).get(f"{rel}_{pos}", []):
                new = lex.inflect(c, pos, infl)
                if new and new not in ref_words and c not in ref_lemmas and new != low:
                    forms.add(new)
            per_reading.append(forms)
        subs = set.intersection(*per_reading) if per_reading else set()
        anchored = bool({r[0] for r in readings} & ref_lemmas)
        for new in sorted(subs):
            new = match_case(form, new)
            if _article_ok(cand, t.start(), new):
                out.append((_edit(t.start(), t.end(), new), anchored))
    return out


def _has_negation(text: str) -> bool:
    low = [w.lower() for w in words(text)]
    return any(w in NEGATION_WORDS or w.endswith(("n't", "n’t")) for w in low)


def _negation(cand: str) -> list[tuple[Edit, bool]]:
    out = []
    toks = _tokens(cand)
    low = cand.lower()
    for i, t in enumerate(toks):
        w = t.group().lower().replace("’", "'")
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        prev = toks[i - 1] if i else None
        if w in CONTRACTIONS and nxt is not None:  # drop: "doesn't" -> "does"
            out.append((_edit(t.start(), t.end(), match_case(t.group(), CONTRACTIONS[w])), True))
        elif w == "not" and prev is not None and prev.group().lower() in AUX:  # drop: "is not" -> "is"
            if any(low.startswith(idiom, t.start()) for idiom in NOT_IDIOMS):
                continue
            if cand[prev.end() : t.start()] != " ":
                continue
            out.append((_edit(prev.start(), t.end(), prev.group()), True))
        elif w == "never" and nxt is not None and cand[t.end() : nxt.start()] == " ":  # "never visited" -> "visited"
            if nxt.group().lower() in STOP - AUX and nxt.group().lower() not in ("been",):
                continue
            if prev is not None and prev.group().lower() in AUX:  # "has never been" -> "has been": span = "has"
                if cand[prev.end() : t.start()] == " ":
                    out.append((_edit(prev.start(), t.end(), prev.group()), True))
            elif not _sentence_start(cand, t.start()):
                out.append((_edit(t.start(), nxt.end(), nxt.group()), True))
        elif w == "no" and nxt is not None and nxt.group().lower() == "longer" and i + 2 < len(toks):
            if prev is not None and prev.group().lower() in AUX and cand[prev.end() : t.start()] == " ":
                out.append((_edit(prev.start(), nxt.end(), prev.group()), True))
            elif not _sentence_start(cand, t.start()):
                after = toks[i + 2]
                out.append((_edit(t.start(), after.end(), after.group()), True))
    if out or _has_negation(cand) or cand.rstrip().endswith("?"):
        return out
    for i, t in enumerate(toks[:-1]):  # add: "will" -> "will not"
        w = t.group().lower()
        nxt = toks[i + 1].group().lower()
        if w not in NEGATABLE or i == 0 or toks[i - 1].group().lower() in DETERMINERS:
            continue
        if cand[t.end() : toks[i + 1].start()] != " " or nxt in HEDGE_WORDS or nxt == "to":
            continue  # "everything we can to ..." -> "can not to" is no negated statement
        if w in ("has", "have", "had") and not (nxt.endswith(("ed", "en")) or nxt in IRREGULAR_PARTICIPLES):
            continue  # "has a plan" is possession; "has not a plan" is not idiomatic
        out.append((_edit(t.start(), t.end(), t.group() + " not"), False))
    return out


def _hedge(cand: str, rng: random.Random) -> list[tuple[Edit, bool]]:
    toks = _tokens(cand)
    low = [t.group().lower() for t in toks]
    if set(low) & HEDGE_WORDS or _has_negation(cand) or cand.rstrip().endswith("?"):
        return []
    out = []
    for i, t in enumerate(toks[:-1]):
        w, nxt = low[i], low[i + 1]
        if w not in HEDGEABLE or i == 0 or low[i - 1] in DETERMINERS or cand[t.end() : toks[i + 1].start()] != " ":
            continue
        perfect = nxt.endswith(("ed", "en")) or nxt in IRREGULAR_PARTICIPLES
        if w in ("has", "have", "had") and not perfect:
            continue
        if w in ("has", "have") and rng.random() < 0.5:  # "has visited" -> "may have visited"
            out.append((_edit(t.start(), t.end(), match_case(t.group(), "may have")), False))
            continue
        hedge = rng.choice(HEDGES if w != "will" else ("likely", "possibly", "perhaps"))
        new = f"{t.group()} {hedge}"
        out.append((_edit(t.start(), t.end(), new, len(t.group()) + 1), False))
    return out


def _number(cand: str, ref: str, rng: random.Random) -> list[tuple[Edit, bool]]:
    out = []
    for m in DIGITS.finditer(cand):
        whole = m.group()
        intpart = m.group(1)
        value = int(intpart.replace(",", ""))
        if 1900 <= value <= 2099 and not m.group(2) and "," not in intpart:  # a year: a near year
            new = str(value + rng.choice([-3, -2, -1, 1, 2, 3]))
        elif re.search(r"\b(" + "|".join(MONTHS) + r")\s+$", cand[: m.start()]) and value <= 31:
            new = str(rng.choice([v for v in range(1, 29) if v != value]))  # a day of the month stays a day
        elif value <= 10 and not m.group(2):
            new = str(rng.choice([v for v in range(1, 13) if v != value]))
        else:
            # another leading digit keeps the magnitude and the thousands separators
            lead = rng.choice([d for d in "123456789" if d != intpart[0]])
            new = lead + intpart[1:] + (m.group(2) or "")
        if new not in ref:
            out.append((_edit(m.start(), m.end(), new), whole in ref))
    ref_low = ref.lower()
    for t in _tokens(cand):
        w = t.group()
        low = w.lower()
        for group in NUMBER_WORDS:
            if low in group:
                choices = [g for g in group if g != low and not re.search(rf"\b{g}\b", ref_low)]
                if choices:
                    out.append((_edit(t.start(), t.end(), match_case(w, rng.choice(choices))), low in ref_low))
        for names in (MONTHS, WEEKDAYS):
            if w in names and not _sentence_start(cand, t.start()):
                if (
                    w == "May"
                    and not re.match(r"\s*\d", cand[t.end() :])
                    and not re.search(r"\d\s*$", cand[: t.start()])
                ):
                    continue  # the modal verb
                choices = [n for n in names if n != w and n not in ref and n != "May"]
                out.append((_edit(t.start(), t.end(), rng.choice(choices)), w in ref))
    return out


NAME_RUN = re.compile(r"[A-Z][a-z]+(?: [A-Z][a-z]+){0,2}")


def _name_runs(text: str, lowered: set[str], lex: Lexicon) -> list[re.Match]:
    """Runs of 1-3 capitalised words that look like proper names: never lowercased in the corpus, not a
    WordNet adjective ("Chinese"), not at a sentence start."""
    out = []
    for m in NAME_RUN.finditer(text):
        parts = m.group().split()
        if text[m.end() : m.end() + 1].isalnum() or text[m.start() - 1 : m.start()].isalnum():
            continue
        if text[m.end() : m.end() + 1] == "-" or text[m.start() - 1 : m.start()] == "-":
            continue
        if _sentence_start(text, m.start()):
            continue
        if re.search(r"[A-Z]\w* (of|of the|and) $", text[: m.start()]):
            continue  # the tail of a longer name ("People's Republic of China", "Bank of China")
        ok = all(
            p not in NAME_STOP
            and p.lower() not in lowered
            and "a" not in lex.lemmas.get(p.lower(), {}).get("pos", "")
            and len(p) >= 3
            for p in parts
        )
        if ok:
            out.append(m)
    return out


def _name_class(text: str, m: re.Match) -> int:
    """+1 person cue, -1 place cue, 0 none (counted over the corpus to class each name)."""
    before = text[: m.start()].split()[-1:] or [""]
    after = text[m.end() :].split()[:1] or [""]
    b, a = before[0].rstrip("."), after[0].strip(",.;:")
    if b in PERSON_BEFORE or a in PERSON_AFTER:
        return 1
    if a in PLACE_AFTER or (b in PLACE_BEFORE and a not in PERSON_AFTER):
        return -1
    return 0


def _name(
    cand: str,
    ref: str,
    pool: dict[tuple[int, str], list[str]],
    names: dict[str, str],
    lowered: set[str],
    lex: Lexicon,
    rng: random.Random,
) -> list[tuple[Edit, bool]]:
    out = []
    for m in _name_runs(cand, lowered, lex):
        name = m.group()
        if name not in ref or name not in names:
            continue
        key = (len(name.split()), names[name])
        choices = [n for n in pool.get(key, []) if n not in ref and n not in cand]
        if choices:
            out.append((_edit(m.start(), m.end(), rng.choice(choices)), True))
    return out


# ---------------------------------------------------------------- synthesis


def meaning_edits(kind: str, cand: str, ref: str, lex: Lexicon, rng: random.Random) -> list[tuple[Edit, bool]]:
    """The meaning-changing edits of ``kind`` ("wrong_sense", "antonym", "negation" or "number")
    that fit ``cand``; bool = the edited word is anchored in ``ref``. Also bench/corrupt.py's."""
    if kind in ("wrong_sense", "antonym"):
        return _lexical(cand, ref, lex, "sense" if kind == "wrong_sense" else "ant")
    if kind == "negation":
        return _negation(cand)
    if kind == "number":
        return _number(cand, ref, rng)
    raise ValueError(f"not a meaning edit: {kind!r}")


def load_relations(path: Path = RELATIONS) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def synthesize(rows: list[dict], seed: int = 0, clean_share: float = 0.25) -> list[dict]:
    """rows: training rows (already without held-out docs). Returns new rows in the training-row format:
    testset="synthetic", doc_id ("<testset>/<doc_id>"), seg_id (unique per segment), system="synthetic-<kind>",
    hypothesis (the edited reference_b), reference (unchanged), reference_b (= reference), one Major span (none for
    clean rows), other_raters=[], mqm_score (-5.0 for one Major error, 0.0 for clean), kind.

    For ted2021 pass rows with both references (``reference`` = the talk's English, ``reference_b`` = refB);
    rows where the two are equal still work but give a copy plus one error."""
    rng = random.Random(seed)
    segs = segments(rows)
    vocab = {w.lower() for r in rows for k in ("reference", "reference_b", "hypothesis") for w in words(r[k])}
    lex = Lexicon(load_relations(), vocab)
    # words seen lowercased anywhere are common words, not names
    lowered = {w for r in segs for k in ("reference", "reference_b") for w in words(r[k]) if w.islower()}
    name_counts: Counter = Counter()
    name_cues: Counter = Counter()  # (name, +1 person / -1 place) -> sightings with that cue
    for r in segs:
        for k in ("reference", "reference_b"):
            for m in _name_runs(r[k], lowered, lex):
                name_counts[m.group()] += 1
                name_cues[(m.group(), _name_class(r[k], m))] += 1
    # a name is a person/place if seen at least 3 times (rarer ones may be typos) with 2+ cues of that class
    # and twice as many as of the other; the rest is neither replaced nor used, so Beijing never becomes Einstein
    names = {}
    for n, c in name_counts.items():
        pers, place = name_cues[(n, 1)], name_cues[(n, -1)]
        if c >= 3 and pers >= 2 and pers > 2 * place:
            names[n] = "person"
        elif c >= 3 and place >= 2 and place > 2 * pers:
            names[n] = "place"
    pool: dict[tuple[int, str], list[str]] = defaultdict(list)
    for n in sorted(names):
        pool[(len(n.split()), names[n])].append(n)

    order = list(range(len(segs)))
    rng.shuffle(order)
    counts: Counter = Counter()
    used: Counter = Counter()
    made: dict[int, tuple[str, str, int, int]] = {}
    for i in order:
        r = segs[i]
        cand, ref = r["reference_b"], r["reference"]
        options = {
            **{
                kind: meaning_edits(kind, cand, ref, lex, rng)
                for kind in ("wrong_sense", "antonym", "negation", "number")
            },
            "name": _name(cand, ref, pool, names, lowered, lex, rng),
            "hedge": _hedge(cand, rng),
        }
        for k in ("wrong_sense", "antonym"):  # each substitution at most 3 times: variety over "country -> area"
            options[k] = [(e, anc) for e, anc in options[k] if used[(cand[e[0] : e[1]].lower(), e[2].lower())] < 3]
        feasible = [k for k in KINDS if options[k]]
        if not feasible:
            continue
        low = min(counts[k] for k in feasible)
        kind = rng.choice([k for k in feasible if counts[k] == low])
        edits = options[kind]
        anchored = [e for e, anc in edits if anc]
        a, b, new, s0, s1 = rng.choice(anchored or [e for e, _ in edits])
        used[(cand[a:b].lower(), new.lower())] += 1
        hyp = cand[:a] + new + cand[b:]
        made[i] = (kind, hyp, a + s0, a + s1)
        counts[kind] += 1

    # clean rows: first segments that got no error, then others (an error/clean pair of one text is fine)
    n_clean = round(len(made) * clean_share / (1 - clean_share)) if clean_share < 1 else len(segs)
    clean_order = [i for i in order if i not in made] + [i for i in order if i in made]
    clean = set(clean_order[:n_clean])

    out = []
    for i, r in enumerate(segs):
        base = {
            "lp": r.get("lp", "zh-en"),
            "testset": "synthetic",
            "doc_id": f"{r['testset']}/{r['doc_id']}",
            "seg_id": i + 1,
            "rater": "synthetic",
            "source": r["source"],
            "reference": r["reference"],
            "reference_b": r["reference"],
            "source_spans": [],
            "other_raters": [],
        }
        if i in made:
            kind, hyp, s, e = made[i]
            span = {"start": s, "end": e, "text": hyp[s:e], "category": CATEGORY[kind], "severity": "Major"}
            out.append(
                {**base, "system": f"synthetic-{kind}", "hypothesis": hyp, "spans": [span], "mqm_score": -5.0}
                | {"mqm_score_avg": -5.0, "kind": kind, "before": r["reference_b"]}
            )
        if i in clean:
            out.append(
                {**base, "system": "synthetic-clean", "hypothesis": r["reference_b"], "spans": []}
                | {"mqm_score": 0.0, "mqm_score_avg": 0.0, "kind": "clean", "before": r["reference_b"]}
            )
    return out


# ---------------------------------------------------------------- CLI


def check(out: list[dict]) -> None:
    """Every span is the inserted/changed text: non-empty, no outer whitespace, and the only difference
    between the candidate before and after lies in it (a deletion sits at its edge)."""
    for r in out:
        before, hyp = r["before"], r["hypothesis"]
        if r["kind"] == "clean":
            assert hyp == before and not r["spans"] and r["mqm_score"] == 0.0, r
            continue
        assert len(r["spans"]) == 1 and hyp != before and r["mqm_score"] == -5.0, r
        sp = r["spans"][0]
        s, e = sp["start"], sp["end"]
        text = hyp[s:e]
        assert 0 <= s < e <= len(hyp) and text == sp["text"] and text == text.strip() and text, r
        # outside the span the text is unchanged: before = hyp[:s] + <replaced text> + hyp[e:], where the
        # two may overlap only in whitespace (an inserted " perhaps" brings its own space)
        pre, suf = hyp[:s], hyp[e:]
        assert before.startswith(pre) and before.endswith(suf), r
        mid = len(before) - len(pre) - len(suf)
        assert mid >= 0 or not before[len(pre) + mid : len(pre)].strip(), r


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--derive", action="store_true", help="rebuild relations.json from /usr/share/wordnet first")
    ap.add_argument("--train", type=Path, default=TRAIN)
    ap.add_argument("--out", type=Path, default=HERE / "out" / "synth.jsonl")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--clean-share", type=float, default=0.25)
    args = ap.parse_args()

    rows = load_train(args.train)
    if args.derive:
        rel = derive(rows)
        RELATIONS.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(rel, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        RELATIONS.write_text(text + "\n", encoding="utf-8")
        print(f"wrote {RELATIONS} ({RELATIONS.stat().st_size:,} bytes, {len(rel['lemmas']):,} lemmas)")
    out = synthesize(rows, seed=args.seed, clean_share=args.clean_share)
    check(out)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as f:
        for r in out:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")

    counts = Counter(r["kind"] for r in out)
    print(f"{len(out)} rows from {len(segments(rows))} segments -> {args.out}")
    for k in (*KINDS, "clean"):
        print(f"  {k:12s} {counts[k]:5d}  {counts[k] / max(1, len(out)):.1%}")
    ex_rng = random.Random(args.seed)
    by_kind = defaultdict(list)
    for r in out:
        by_kind[r["kind"]].append(r)
    examples = []
    for k in KINDS:
        examples += ex_rng.sample(by_kind[k], min(len(by_kind[k]), 5 if k == "wrong_sense" else 2))
    examples += ex_rng.sample(by_kind["clean"], min(len(by_kind["clean"]), 15 - len(examples)))
    for r in examples[:15]:
        sp = r["spans"][0] if r["spans"] else None
        print(f"\n[{r['kind']}] span={sp['text']!r}" if sp else f"\n[{r['kind']}]")
        print(f"  ref:    {r['reference']}")
        print(f"  before: {r['before']}")
        print(f"  after:  {r['hypothesis']}")
    print("\nself-check passed: every span is non-empty, unpadded, and covers the whole edit")


if __name__ == "__main__":
    sys.exit(main())
