"""Reading input files: size limit, encodings, and refusing what is not text.

The text is returned exactly as decoded (only a byte-order mark is removed), because every
offset mtcheck reports points into it; line endings, NBSPs and the like are kept.
"""

from __future__ import annotations

import codecs
import logging
import re
from pathlib import Path

from .errors import InputError

log = logging.getLogger("mtcheck")

# Longest BOMs first: the UTF-32-LE mark starts with the UTF-16-LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# C0 controls other than tab, newline, vertical tab, form feed and carriage return, plus DEL.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0e-\x1f\x7f]")
# Above this share of control characters a file is binary, not text with a stray escape.
_MAX_CONTROL_SHARE = 0.01

# charset_normalizer breaks ties between equally plausible single-byte code pages
# alphabetically, so Western European text comes back as "cp1250"; among tied candidates
# prefer the code pages people actually save files in.
_PREFERRED = ("cp1252", "iso8859_15", "latin_1", "cp1250", "iso8859_2", "cp1251", "koi8_r",
              "shift_jis", "euc_jp", "gb18030", "big5", "euc_kr", "mac_roman")


def read_text(path: str | Path, *, max_bytes: int, encoding: str | None = None) -> tuple[str, str]:
    """Read a text file and decode it, refusing anything that is not plausibly text.

    Without ``encoding``: UTF-8 (with or without BOM) and UTF-16/UTF-32 with a BOM are
    accepted; any other encoding is refused with a message naming the likely encoding.

    Args:
        path: the file to read.
        max_bytes: refuse files larger than this many bytes.
        encoding: decode with this codec instead of detecting UTF-8/UTF-16.

    Returns:
        The decoded text (byte-order mark removed, nothing else changed) and the name of the
        encoding used, e.g. ``"utf-8"``, ``"utf-8-sig"`` or ``"utf-16-le"``.

    Raises:
        InputError: the file is missing, a directory, unreadable, too big, empty or only
            whitespace, binary, or not decodable.
    """
    name = str(path)
    data = _read_bytes(Path(path), name, max_bytes)
    if not data:
        raise InputError(f"{name} is empty")
    if encoding is not None:
        text, used = _decode_as(data, name, encoding)
    else:
        text, used = _decode_detected(data, name)
    if not text.strip():
        raise InputError(f"{name} contains only whitespace; there is nothing to check")
    if len(_CONTROL.findall(text)) > _MAX_CONTROL_SHARE * len(text):
        raise InputError(f"{name} looks like a binary file (it is full of control characters), not text")
    return text, used


def _read_bytes(path: Path, name: str, max_bytes: int) -> bytes:
    """The file's bytes, after the checks that need no decoding."""
    try:
        if not path.exists():
            raise InputError(f"{name} does not exist")
        if path.is_dir():
            raise InputError(f"{name} is a directory; give the path of a text file")
        size = path.stat().st_size
        if size > max_bytes:
            raise InputError(
                f"{name} is {size:,} bytes, over the limit of {max_bytes:,} bytes; "
                f"raise the limit with --max-bytes if this file really is one article"
            )
        with path.open("rb") as handle:
            # Read one byte past the limit: the file may have grown since stat().
            data = handle.read(max_bytes + 1)
    except PermissionError:
        raise InputError(f"{name} cannot be read (permission denied)") from None
    except OSError as exc:
        raise InputError(f"{name} cannot be read ({exc.strerror or exc})") from None
    if len(data) > max_bytes:
        raise InputError(f"{name} is over the limit of {max_bytes:,} bytes; raise it with --max-bytes")
    return data


def _decode_as(data: bytes, name: str, encoding: str) -> tuple[str, str]:
    """Decode with the encoding the user named."""
    try:
        codec = codecs.lookup(encoding).name
    except LookupError:
        raise InputError(
            f"unknown encoding {encoding!r}; use a name such as utf-8, cp1252 or latin-1"
        ) from None
    # Python's "utf-8" codec keeps a BOM as U+FEFF, which would end up in the first sentence.
    if codec == "utf-8" and data.startswith(codecs.BOM_UTF8):
        codec = "utf-8-sig"
    try:
        return data.decode(codec), codec
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{name} cannot be decoded as {encoding} (bad byte at offset {exc.start}); check --encoding"
        ) from None


def _decode_detected(data: bytes, name: str) -> tuple[str, str]:
    """Decode UTF-8 or BOM-marked UTF-16/32; refuse anything else by its likely name."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(codec), codec
            except UnicodeDecodeError as exc:
                raise InputError(
                    f"{name} starts with a {codec} byte-order mark but is not valid {codec} "
                    f"(bad byte at offset {exc.start + len(bom)})"
                ) from None
    # NUL never occurs in UTF-8 or single-byte text; without a UTF-16 BOM it means binary.
    if b"\x00" in data or len(_CONTROL_BYTES.findall(data)) > _MAX_CONTROL_SHARE * len(data):
        raise InputError(f"{name} looks like a binary file, not text")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    guess = guess_encoding(data)
    if guess is None:
        raise InputError(
            f"{name} is not UTF-8 and its encoding could not be guessed; "
            f"convert it to UTF-8 or re-run with --encoding NAME"
        )
    raise InputError(
        f"{name} is not UTF-8 (it looks like {guess}); re-run with --encoding {guess} or convert it to UTF-8"
    )


def guess_encoding(data: bytes) -> str | None:
    """The most likely encoding of non-UTF-8 bytes, by charset_normalizer, or None.

    Args:
        data: the raw bytes.

    Returns:
        A Python codec name such as ``"cp1252"``, or None when nothing decodes plausibly.
    """
    from charset_normalizer import from_bytes  # imported here: only needed on the error path

    results = from_bytes(data)
    best = results.best()
    if best is None:
        return None
    # Candidates about as plausible as the best one, and the code pages that decode alike.
    tied: set[str] = set()
    for match in results:
        if match.chaos <= best.chaos + 0.01:
            tied.update(match.could_be_from_charset)
    for codec in _PREFERRED:
        if codec in tied:
            return codec
    return best.encoding
