"""Language packs: closed-class word lists and word-level helpers, one module per language.

```python
from mtcheck.lang import pack_for

pt = pack_for("pt-BR")                       # region cut off, any case; unknown or None -> None
pt.is_stopword("para")                       # True
pt.number_mentions("vinte e três mísseis")   # [(0, 12, 23.0)]
pt.spelling_key("Não,")                      # "não"
```

Adding a language: write ``mtcheck/lang/XX.py`` defining ``PACK = LanguagePack(...)`` (see
``pt.py``) and add one line to ``_MODULES`` below. Packs are imported on first use, so importing
``mtcheck.lang`` costs nothing but this file and ``base.py``; the first non-English pack loads
stopwordsiso's data (~30 ms), the first ``number_mentions`` call of such a pack text2num.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping

from .base import LanguagePack, Mention, plain_key

__all__ = ["PACKS", "LanguagePack", "Mention", "is_stopword", "pack_for", "word_key"]

# the registry: language code -> module of mtcheck.lang that defines PACK
_MODULES: dict[str, str] = {
    "en": "en",
    "pt": "pt",
    "es": "es",
    "fr": "fr",
    "de": "de",
}


class _Registry(Mapping[str, LanguagePack]):
    """A read-only mapping code -> pack that imports each language's module on first access."""

    def __init__(self, modules: Mapping[str, str]) -> None:
        self._modules = dict(modules)
        self._loaded: dict[str, LanguagePack] = {}

    def __getitem__(self, code: str) -> LanguagePack:
        pack = self._loaded.get(code)
        if pack is None:
            module = importlib.import_module(f"{__name__}.{self._modules[code]}")  # KeyError if unknown
            pack = module.PACK
            if not isinstance(pack, LanguagePack) or pack.code != code:
                raise TypeError(f"mtcheck.lang.{self._modules[code]}.PACK is not the {code!r} LanguagePack")
            self._loaded[code] = pack
        return pack

    def __iter__(self) -> Iterator[str]:
        return iter(self._modules)

    def __len__(self) -> int:
        return len(self._modules)

    def __contains__(self, code: object) -> bool:
        return code in self._modules

    def __repr__(self) -> str:
        return f"PACKS({', '.join(self._modules)})"


PACKS: Mapping[str, LanguagePack] = _Registry(_MODULES)


def pack_for(language: str | None) -> LanguagePack | None:
    """The pack of a language code such as "pt", "pt-BR", "en_GB" or "PT" (region cut off,
    case-insensitive); None for None, "" or a language without a pack."""
    if not language:
        return None
    code = language.strip().replace("_", "-").split("-")[0].lower()
    if code not in PACKS:
        return None
    return PACKS[code]  # an error inside a language module is raised, not turned into None


def is_stopword(pack: LanguagePack | None, word: str) -> bool:
    """``word`` is a function word in ``pack``'s language; never, for a language without a pack."""
    return pack is not None and pack.is_stopword(word)


def word_key(pack: LanguagePack | None, word: str) -> str:
    """``word``'s spelling key in ``pack``'s language (case and punctuation folded, and in
    English British spellings folded to American); without a pack, case and punctuation only."""
    return pack.spelling_key(word) if pack is not None else plain_key(word)
