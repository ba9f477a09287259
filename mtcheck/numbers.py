"""Numbers, times and dates as comparable values, with their offsets.

``extract_numbers(text)`` finds every number-like stretch of a text and gives it a normalised key,
so that "7 p.m.", "19:00" and "19. 00" all become ``"T19:00"``, "1,200" and "1200" both ``1200``,
"2.5 million" ``2500000`` and (in Chinese) "2.5万" ``25000``. A candidate number whose key is not
among the source's keys probably changed.

Pure standard library; no model.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["NumberMention", "NumberWords", "english_number_words", "extract_numbers", "number_keys"]


@dataclass(frozen=True)
class NumberMention:
    """One number in a text: ``text[start:end]`` and its normalised ``key`` ("T19:00" or a value)."""

    start: int
    end: int
    key: str
    written_in_digits: bool


_SCALES = {
    "hundred": 1e2,
    "thousand": 1e3,
    "million": 1e6,
    "millions": 1e6,
    "mn": 1e6,
    "m": 1e6,
    "billion": 1e9,
    "billions": 1e9,
    "bn": 1e9,
    "trillion": 1e12,
    "k": 1e3,
}
_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_CN_BIG = {"万": 1e4, "亿": 1e8}

_AMPM = r"(?:a\.?\s?m\.?|p\.?\s?m\.?)(?![a-z])"
_TIME_RE = re.compile(
    # 19:00, 7:30 pm, 19. 00 (a Chinese-style time), 7.30 p.m.; 7 p.m.; 7pm
    rf"(?<![\d.,:])(\d{{1,2}})(?:\s?:\s?(\d{{2}})|\.\s(\d{{2}})|\.(\d{{2}})(?=\s?{_AMPM}))?"
    rf"(?:\s?({_AMPM}|o'clock|hours|hrs|h\b))?",
    re.IGNORECASE,
)
_NUM_RE = re.compile(
    r"(?<![A-Za-z0-9_.])(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(?:st|nd|rd|th)?"
    r"(?:\s?(hundred|thousand|millions?|billions?|trillion|mn|bn|m|k)\b)?",
    re.IGNORECASE,
)
_CN_NUMERAL = "[零〇一二两三四五六七八九十]+"
# Chinese and Japanese clock times: 11点43分, 11時43分, 下午3点半, 3点钟, 午後3時. A bare "3点" is
# not read as a time (点 also counts points, and 一点 is "a little"), unless a time of day
# precedes it; 時 is always an hour.
_CJK_TIME_RE = re.compile(
    rf"(?P<part>上午|早上|凌晨|中午|下午|傍晚|晚上|夜里|午前|午後|夜)?\s*"
    rf"(?P<hour>\d{{1,2}}|{_CN_NUMERAL})\s*(?P<mark>[点點時时])\s*"
    rf"(?:(?P<minute>\d{{1,2}}|{_CN_NUMERAL})\s*分|(?P<half>半)|(?P<quarter>一刻)|(?P<oclock>钟|鐘))?"
)
_CJK_AFTERNOON = ("中午", "下午", "傍晚", "晚上", "夜里", "午後", "夜")
_CN_RE = re.compile(r"(\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千]+)([万亿]?)")


def _fmt(value: float) -> str:
    value = round(value, 6)
    return str(int(value)) if value == int(value) else repr(value)


def _cn_value(numeral: str) -> float | None:
    """Value of a Chinese numeral such as 三十五 or 两千零五; None if it is not one."""
    total, current = 0.0, 0.0
    for ch in numeral:
        if ch in _CN_DIGITS:
            current = current * 10 + _CN_DIGITS[ch] if current >= 10 and current % 10 else _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            total += (current or 1) * _CN_UNITS[ch]
            current = 0
        else:
            return None
    return total + current


def _number_value(token: str) -> float | None:
    """Arabic digits (any script's) or a Chinese numeral as a number."""
    return float(token) if token.isdigit() else _cn_value(token)


def _cjk_time_key(m: re.Match[str]) -> str | None:
    """ "T15:30" for a match of _CJK_TIME_RE, or None when it is not a clock time."""
    has_minutes = any(m.group(g) for g in ("minute", "half", "quarter", "oclock"))
    if not has_minutes and m.group("part") is None and m.group("mark") in "点點":
        return None
    hour = _number_value(m.group("hour"))
    minute = 30.0 if m.group("half") else 15.0 if m.group("quarter") else _number_value(m.group("minute") or "0")
    if hour is None or minute is None or hour > 24 or minute > 59:
        return None
    if m.group("part") in _CJK_AFTERNOON and hour < 12:
        hour += 12
    return f"T{int(hour):02d}:{int(minute):02d}"


def english_number_words(text: str) -> list[tuple[int, int, float]]:
    """English numbers written as words ("two", "third", "dozen"), from the English language pack."""
    from .lang import PACKS

    return PACKS["en"].number_mentions(text)


#: Reads numbers written as words: (start, end, value) per mention (``LanguagePack.number_mentions``).
NumberWords = Callable[[str], list[tuple[int, int, float]]]


def extract_numbers(text: str, *, words: NumberWords | None = english_number_words) -> list[NumberMention]:
    """Every number, time and Chinese numeral in ``text``, left to right, non-overlapping.

    Args:
        text: any text.
        words: how to read numbers written as words (a language pack's ``number_mentions``;
            English by default); None reads digits and Chinese numerals only.

    Returns:
        mentions with offsets into ``text``.
    """
    taken = [False] * (len(text) + 1)
    found: list[NumberMention] = []

    def add(start: int, end: int, key: str, digits: bool = True) -> None:
        if any(taken[start:end]):
            return
        for k in range(start, end):
            taken[k] = True
        found.append(NumberMention(start, end, key, digits))

    for m in _CJK_TIME_RE.finditer(text):
        time_key = _cjk_time_key(m)
        if time_key is not None:
            add(m.start("hour") if m.group("part") is None else m.start(), m.end(), time_key)
    for m in _TIME_RE.finditer(text):
        hour, mins = int(m.group(1)), m.group(2) or m.group(3) or m.group(4)
        suffix = (m.group(5) or "").lower().replace(" ", "").replace(".", "")
        if mins is None and suffix not in ("am", "pm", "o'clock"):
            continue  # a bare number, handled below
        if mins is not None and not m.group(2) and not suffix and m.group(3) is None:
            continue
        if suffix == "pm" and hour < 12:
            hour += 12
        if suffix == "am" and hour == 12:
            hour = 0
        minute = int(mins or 0)
        if hour > 24 or minute > 59:
            continue
        add(m.start(), m.end(), f"T{hour:02d}:{minute:02d}")
    for m in _NUM_RE.finditer(text):
        value = float(m.group(1).replace(",", "") + ("." + m.group(2) if m.group(2) else ""))
        scale = (m.group(3) or "").lower()
        if scale in ("m", "k") and not re.match(r"\s?[mk]\b", text[m.end(2) if m.group(2) else m.end(1) :], re.I):
            scale = ""
        value *= _SCALES.get(scale, 1.0)
        end = m.end() if scale else (m.end(2) if m.group(2) else m.end(1))
        # keep an ordinal suffix inside the span
        tail = re.match(r"(?:st|nd|rd|th)\b", text[end:])
        if tail and not scale:
            end += tail.end()
        add(m.start(), end, _fmt(value))
    for m in _CN_RE.finditer(text):
        head, big = m.group(1), m.group(2)
        if head[0].isdigit():
            if not big:
                continue  # plain digits were read above
            value = float(head)
        else:
            v = _cn_value(head)
            if v is None or (len(head) == 1 and head in "一两" and not big):
                continue  # 一 alone is mostly "a", "one" in idioms
            value = v
        value *= _CN_BIG.get(big, 1.0)
        if any(taken[m.start() : m.end()]):
            if not (head[0].isdigit() and big):
                continue  # inside a time or number read above ("晚上八点")
            # "2.5万": the digits were taken as 2.5; replace that mention with the scaled value
            found = [f for f in found if not (f.start >= m.start() and f.end <= m.end())]
            for k in range(m.start(), m.end()):
                taken[k] = False
        add(m.start(), m.end(), _fmt(value))
    if words is not None:
        for start, end, value in words(text):
            add(start, end, _fmt(value), digits=False)
    found.sort(key=lambda f: f.start)
    return found


def number_keys(text: str, *, words: NumberWords | None = english_number_words) -> set[str]:
    """The set of normalised keys of the numbers in ``text``, with equivalent spellings added
    (a value in millions is also known as its thousands, "7 p.m." also as 7 and 19)."""
    keys: set[str] = set()
    for mention in extract_numbers(text, words=words):
        keys.add(mention.key)
        if mention.key.startswith("T"):
            hour, minute = mention.key[1:].split(":")
            keys.update({str(int(hour)), str(int(hour) % 12 or 12)})
            if minute != "00":
                keys.add(str(int(minute)))
        else:
            value = float(mention.key)
            keys.add(_fmt(value * 100))  # 0.5 vs 50 (percent)
            keys.add(_fmt(value / 100))
    return keys
