#!/usr/bin/env python3
"""Derive the English pack's antonym pairs from WordNet 3.0 (Debian's wordnet-base).

    apt-get install wordnet-base && python bench/derive_antonyms.py

Writes ``mtcheck/lang/data/en_antonyms.json``: WordNet's lexical antonym pointers ("!") between
single-word lemmas of adjectives, verbs and adverbs (nouns left out: "man"/"woman" or "day"/"night"
are topic changes the learned flagger already sees, while a reversed verb or adjective reads as
fluent and is what the antonym check exists for), and the irregular forms of those lemmas from
WordNet's exception lists ("rose" -> "rise"). Only what is derived ships, with WordNet's licence
beside it (``mtcheck/lang/data/LICENSE-WordNet.txt``).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

WORDNET = Path("/usr/share/wordnet")
OUT = Path(__file__).resolve().parent.parent / "mtcheck" / "lang" / "data" / "en_antonyms.json"
POS = {"adj": "a", "verb": "v", "adv": "r"}


def synsets(pos: str) -> dict[str, tuple[list[str], list[tuple[str, str, int, int]]]]:
    """offset -> (lemmas, antonym pointers (target offset, target pos, source word, target word))."""
    out = {}
    for line in (WORDNET / f"data.{pos}").read_text(encoding="utf-8").splitlines():
        if line.startswith("  "):
            continue  # the licence header
        fields = line.split(" | ")[0].split()
        offset, w_cnt = fields[0], int(fields[3], 16)
        lemmas = [fields[4 + 2 * k].split("(")[0].lower() for k in range(w_cnt)]
        at = 4 + 2 * w_cnt
        p_cnt = int(fields[at])
        pointers = []
        for k in range(p_cnt):
            symbol, target, tpos, st = fields[at + 1 + 4 * k : at + 5 + 4 * k]
            if symbol == "!":
                pointers.append((target, "a" if tpos == "s" else tpos, int(st[:2], 16), int(st[2:], 16)))
        out[offset] = (lemmas, pointers)
    return out


def main() -> int:
    if not WORDNET.exists():
        print("WordNet not found in /usr/share/wordnet: apt-get install wordnet-base", file=sys.stderr)
        return 1
    pairs: set[tuple[str, str]] = set()
    for name, code in POS.items():
        table = synsets(name)
        for lemmas, pointers in table.values():
            for target, tpos, source_word, target_word in pointers:
                if tpos != code or target not in table:
                    continue
                a, b = lemmas[source_word - 1], table[target][0][target_word - 1]
                if "_" in a or "_" in b or "-" in a or "-" in b or a == b:
                    continue  # multi-word lemmas; the check compares single words
                pairs.add(tuple(sorted((a, b))))  # type: ignore[arg-type]
    lemmas = {w for pair in pairs for w in pair}
    forms: dict[str, str] = {}
    for name in POS:
        for line in (WORDNET / f"{name}.exc").read_text(encoding="utf-8").splitlines():
            form, *bases = line.split()
            for base in bases:
                if base in lemmas and form not in lemmas and "_" not in form:
                    forms.setdefault(form, base)
    data = {
        "about": "Antonym pairs (lexical '!' pointers between single-word adjective, verb and adverb lemmas) "
        "and irregular forms, derived from Princeton WordNet 3.0 by bench/derive_antonyms.py; "
        "WordNet 3.0 licence in LICENSE-WordNet.txt",
        "pairs": sorted(pairs),
        "forms": dict(sorted(forms.items())),
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(data, ensure_ascii=False, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    print(f"{len(pairs)} antonym pairs, {len(forms)} irregular forms -> {OUT} ({OUT.stat().st_size / 1e3:.0f} kB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
