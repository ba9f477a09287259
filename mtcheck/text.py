"""Small text helpers shared by the stages, flag messages and renderers."""

from __future__ import annotations

import re

# Han ideographs and kana: Chinese and Japanese write words without spaces between them.
_UNSPACED = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_UNSPACED_CHARACTER = re.compile(f"[{_UNSPACED}]")
# ... and their punctuation ("，", "。", "「") sits between characters, not between spaced words
_UNSPACED_TEXT = re.compile(f"[{_UNSPACED}\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65]")


#: A word for matching and comparing: letters and digits, with inner apostrophes ("didn't",
#: "Korea’s" stay one word).
_WORD = re.compile(r"\w+(?:['’]\w+)*")


def word_spans(text: str) -> list[tuple[int, int, str]]:
    """Each word of ``text`` (letters and digits, inner apostrophes kept): start, end, the word."""
    return [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]


def word_count(text: str) -> int:
    """Words in ``text``: runs between spaces, and one per Han or kana character (about a word
    each in Chinese), so that a Chinese paragraph is not one word long."""
    return len(_UNSPACED_TEXT.sub(" ", text).split()) + len(_UNSPACED_CHARACTER.findall(text))


def fold_space(text: str) -> str:
    """``text`` on one line: runs of whitespace become one space, none at either end."""
    return " ".join(text.split())


def shorten(text: str, limit: int) -> str:
    """``text`` on one line (runs of whitespace folded), cut with "…" past ``limit`` characters."""
    text = fold_space(text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def line_col(raw: str, offset: int) -> tuple[int, int]:
    """1-based line and column (in code points) of a character offset into ``raw``."""
    line_start = raw.rfind("\n", 0, offset) + 1
    return raw.count("\n", 0, offset) + 1, offset - line_start + 1


def quote(text: str, limit: int = 60) -> str:
    """``text`` on one line in double quotes, cut with "…" past ``limit`` characters (flag messages)."""
    return f'"{shorten(text, limit)}"'


# Characters that a terminal or a Markdown viewer would act on instead of showing: C0 controls
# (ESC starts ANSI/OSC sequences that retitle windows or clear the screen), DEL, C1 controls
# (0x9b is a one-byte CSI), and the bidi overrides that reorder what follows ("Trojan Source").
_CONTROL_PICTURE_BASE = 0x2400  # U+2400..U+241F picture the C0 controls: ESC -> "␛"
_INVISIBLE = {
    **{code: chr(_CONTROL_PICTURE_BASE + code) for code in range(0x20) if chr(code) not in "\n\t"},
    0x7F: "\u2421",  # ␡
    **{code: f"\\x{code:02x}" for code in range(0x80, 0xA0)},
    **{code: f"<U+{code:04X}>" for code in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))},
}


def visible(text: str) -> str:
    """``text`` with every control character shown instead of obeyed (ESC as "␛", 0x9b as "\\x9b").

    For terminal and Markdown output of article text: the articles come from the open web, and
    an escape sequence inside one must not reach the reader's terminal. Offsets in the JSON
    report always refer to the raw text, never to this display form.
    """
    return text.translate(_INVISIBLE)
