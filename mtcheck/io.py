"""Reading input files and writing reports.

Reading: size limit, encodings, and refusing what is not text. The text is returned exactly as
decoded (only a byte-order mark is removed), because every offset mtcheck reports points into
it; line endings, NBSPs and the like are kept.

Writing: every report is written atomically (a temporary file in the same folder, fsync,
rename), so a full disk or an interruption leaves either the old file or the new one, never a
truncated mix; without ``overwrite`` the file is created exclusively at the moment of writing.
"""

from __future__ import annotations

import codecs
import errno
import logging
import os
import re
import stat
import tempfile
from pathlib import Path

from .config import CheckConfig
from .errors import InputError, OutputError
from .segment import document_from_text
from .types import Document

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
# A well-formed multi-byte UTF-8 sequence; a legacy code page almost never produces one by chance.
_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)
# A UTF-16 surrogate encoded as UTF-8 (CESU-8, WTF-8): invalid UTF-8, and not a legacy code page.
_ENCODED_SURROGATE = re.compile(rb"\xed[\xa0-\xbf][\x80-\xbf]")

# charset_normalizer breaks ties between equally plausible single-byte code pages
# alphabetically, so Western European text comes back as "cp1250"; among tied candidates
# prefer the code pages people actually save files in.
_PREFERRED = (
    "cp1252",
    "iso8859_15",
    "latin_1",
    "cp1250",
    "iso8859_2",
    "cp1251",
    "koi8_r",
    "shift_jis",
    "euc_jp",
    "gb18030",
    "big5",
    "euc_kr",
    "mac_roman",
)
# Planes 4 to 13 have no characters at all: a "UTF-32" decoding that lands there was UTF-16.
_UNASSIGNED_PLANES = re.compile("[\U00040000-\U000dffff]")
_UNICODE_CODECS = ("utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be")


class EncodingError(InputError):
    """A file is not in an encoding mtcheck reads without being told.

    Attributes:
        suggestion: the encoding to decode it with, when one can be named; the CLI turns it into
            the option for the right side (``--candidate-encoding cp1252``).
    """

    def __init__(self, message: str, suggestion: str | None = None) -> None:
        super().__init__(message)
        self.suggestion = suggestion


def read_text(path: str | Path, *, max_bytes: int, encoding: str | None = None) -> tuple[str, str]:
    """Read a text file and decode it, refusing anything that is not plausibly text.

    Without ``encoding``: UTF-8 (with or without BOM), UTF-16/UTF-32 with a BOM, and UTF-16/32
    without one where the byte pattern is unmistakable are accepted; any other encoding is
    refused with a message naming the likely encoding.

    Args:
        path: the file to read; only regular files are read (a FIFO with no writer would hang).
        max_bytes: refuse files larger than this many bytes.
        encoding: decode with this codec instead of detecting UTF-8/UTF-16.

    Returns:
        The decoded text (byte-order mark removed, nothing else changed) and the name of the
        encoding used, e.g. ``"utf-8"``, ``"utf-8-sig"`` or ``"utf-16-le"``.

    Raises:
        InputError: the file is missing, a directory or not a regular file, unreadable, too big,
            empty or only whitespace, or binary.
        EncodingError: the file cannot be decoded (with ``suggestion`` when one can be named).
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


_NOT_REGULAR = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _read_bytes(path: Path, name: str, max_bytes: int) -> bytes:
    """The file's bytes, after the checks that need no decoding."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise InputError(f"{name} does not exist") from None
    except PermissionError:
        raise InputError(f"{name} cannot be read (permission denied)") from None
    except OSError as exc:
        raise InputError(f"{name} cannot be read ({exc.strerror or exc})") from None
    if stat.S_ISDIR(mode):
        raise InputError(f"{name} is a directory; give the path of a text file")
    try:
        # O_NONBLOCK: opening a FIFO with no writer would otherwise block forever, and the path
        # may have been swapped for one since stat(). The open file is checked again below.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except PermissionError:
        raise InputError(f"{name} cannot be read (permission denied)") from None
    except OSError as exc:
        raise InputError(f"{name} cannot be read ({exc.strerror or exc})") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            what = next((label for test, label in _NOT_REGULAR if test(info.st_mode)), "not a regular file")
            raise InputError(f"{name} is {what}, not a regular file; save the text to a file first")
        if info.st_size > max_bytes:
            raise InputError(
                f"{name} is {info.st_size:,} bytes, over the limit of {max_bytes:,} bytes; "
                f"raise the limit with --max-bytes if this file really is one article"
            )
        with os.fdopen(fd, "rb", closefd=False) as handle:
            # Read one byte past the limit: the file may have grown since fstat().
            data = handle.read(max_bytes + 1)
    except PermissionError:
        raise InputError(f"{name} cannot be read (permission denied)") from None
    except OSError as exc:
        raise InputError(f"{name} cannot be read ({exc.strerror or exc})") from None
    finally:
        os.close(fd)
    if len(data) > max_bytes:
        raise InputError(f"{name} is over the limit of {max_bytes:,} bytes; raise it with --max-bytes")
    return data


def _decode_as(data: bytes, name: str, encoding: str) -> tuple[str, str]:
    """Decode with the encoding the user named."""
    try:
        codec = codecs.lookup(encoding).name
    except LookupError:
        raise InputError(f"unknown encoding {encoding!r}; use a name such as utf-8, cp1252 or latin-1") from None
    # Python's "utf-8" codec keeps a BOM as U+FEFF, which would end up in the first sentence.
    if codec == "utf-8" and data.startswith(codecs.BOM_UTF8):
        codec = "utf-8-sig"
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        raise EncodingError(
            f"{name} cannot be decoded as {encoding} (bad byte at offset {exc.start}); check the encoding"
        ) from None
    if codec not in _UNICODE_CODECS and _is_utf8_with_non_ascii(data):
        # Decoding UTF-8 as a legacy code page does not fail, it garbles every accent ("lanÃ§ou")
        # and turns an identical pair into dozens of flags; refuse rather than report nonsense.
        raise EncodingError(
            f"{name} is valid UTF-8 with non-ASCII characters; decoding it as {codec} would garble "
            f"them. Give the encoding only for the file that needs it",
            suggestion="utf-8",
        )
    return text, codec


def _utf16le_after_bom(data: bytes) -> str | None:
    """The text of a UTF-16-LE file whose first character is U+0000 (its BOM and that NUL read
    like a UTF-32-LE BOM), if it decodes as plausible text; else None."""
    try:
        text = data[len(codecs.BOM_UTF16_LE) :].decode("utf-16-le")
    except UnicodeDecodeError:
        return None
    return text if len(_CONTROL.findall(text)) <= _MAX_CONTROL_SHARE * len(text) else None


def _is_utf8_with_non_ascii(data: bytes) -> bool:
    if data.isascii():
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _decode_detected(data: bytes, name: str) -> tuple[str, str]:
    """Decode UTF-8 or UTF-16/32 (BOM, or an unmistakable pattern); refuse anything else by its likely name."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            # The mark is cut off here, so the rest is decoded with the plain codec: "utf-8-sig"
            # would also eat a second U+FEFF that belongs to the text.
            plain = "utf-8" if codec == "utf-8-sig" else codec
            try:
                text = data[len(bom) :].decode(plain)
            except UnicodeDecodeError as exc:
                if codec == "utf-32-le":
                    continue  # FF FE 00 00 also opens UTF-16-LE text starting with U+0000
                raise EncodingError(
                    f"{name} starts with a {codec} byte-order mark but is not valid {codec} "
                    f"(bad byte at offset {exc.start + len(bom)})"
                ) from None
            if codec == "utf-32-le" and _UNASSIGNED_PLANES.search(text):
                wide = _utf16le_after_bom(data)
                if wide is not None:
                    return wide, "utf-16-le"
            return text, codec
    wide = _utf16_or_32_without_bom(data)
    if wide is not None:
        return data.decode(wide), wide
    # NUL never occurs in UTF-8 or single-byte text; without a UTF-16 pattern it means binary.
    if b"\x00" in data or len(_CONTROL_BYTES.findall(data)) > _MAX_CONTROL_SHARE * len(data):
        raise InputError(f"{name} looks like a binary file, not text")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    surrogate = _ENCODED_SURROGATE.search(data)
    if surrogate is not None and surrogate.start() == first_bad:
        raise EncodingError(
            f"{name} is not valid UTF-8: bytes {data[first_bad : first_bad + 3].hex(' ')} at offset "
            f"{first_bad} encode a lone UTF-16 surrogate (CESU-8/WTF-8), which UTF-8 forbids; "
            f"re-save the file as UTF-8"
        )
    multibyte = len(_UTF8_MULTIBYTE.findall(data))
    bad = _invalid_utf8_offsets(data, limit=multibyte)
    if len(bad) < multibyte:
        # Mostly UTF-8 with a few broken bytes: a legacy code page would garble the good part.
        raise EncodingError(
            f"{name} is UTF-8 except for {len(bad)} invalid byte sequence{'s' if len(bad) != 1 else ''} "
            f"(the first, 0x{data[first_bad]:02x}, at byte offset {first_bad}); fix or remove "
            f"{'them' if len(bad) != 1 else 'it'} and check again"
        )
    guess = guess_encoding(data)
    if guess is None:
        raise EncodingError(f"{name} is not UTF-8 and its encoding could not be guessed; convert it to UTF-8")
    raise EncodingError(f"{name} is not UTF-8 (it looks like {guess})", suggestion=guess)


def _invalid_utf8_offsets(data: bytes, limit: int) -> list[int]:
    """Byte offsets of the first ``limit + 1`` invalid UTF-8 sequences in ``data`` (fewer if there are fewer)."""
    bad: list[int] = []
    pos = 0
    while len(bad) <= limit:
        try:
            data[pos:].decode("utf-8")
            break
        except UnicodeDecodeError as exc:
            bad.append(pos + exc.start)
            pos += exc.end
    return bad


def _utf16_or_32_without_bom(data: bytes) -> str | None:
    """ "utf-16-le" and the like when the zero bytes leave no doubt, else None.

    Text in Latin, Greek or Cyrillic script saved as UTF-16 without a BOM has a zero byte in
    nearly every code unit, always on the same side; no 8-bit text has that. Text with mostly
    CJK characters has no such pattern and is not guessed.
    """
    if len(data) < 8:
        return None
    for width, codecs_by_zero_side in ((4, ("utf-32-le", "utf-32-be")), (2, ("utf-16-le", "utf-16-be"))):
        if len(data) % width:
            continue
        units = len(data) // width
        if width == 4:
            high = sum(1 for k in range(0, len(data), 4) if data[k + 2] == 0 and data[k + 3] == 0)
            low = sum(1 for k in range(0, len(data), 4) if data[k] == 0 and data[k + 1] == 0)
        else:
            high = data[1::2].count(0)
            low = data[0::2].count(0)
        for zeros, other, codec in ((high, low, codecs_by_zero_side[0]), (low, high, codecs_by_zero_side[1])):
            if zeros >= 0.7 * units and other <= 0.05 * units:
                try:
                    text = data.decode(codec)
                except UnicodeDecodeError:
                    continue
                if len(_CONTROL.findall(text)) <= _MAX_CONTROL_SHARE * len(text):
                    return codec
    return None


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
    doc = document_from_text(raw, config, path=str(path), encoding=encoding)
    if not doc.sentences:
        raise InputError(f"{path}: no text left to check once page junk was set aside")
    return doc


def write_atomically(path: str | Path, text: str, *, overwrite: bool) -> None:
    """Write ``text`` (UTF-8) to ``path`` so that readers only ever see the old file or the new one.

    The text goes to a temporary file in the same folder, is flushed to disk, and is then renamed
    into place. Without ``overwrite`` the final step is an exclusive create (a hard link, which
    fails if the name exists), so a file that appeared while the check ran is never replaced.
    On any failure the temporary file is removed and an existing file is left as it was.

    Raises:
        OutputError: the folder cannot be created or written, the disk is full, or (without
            ``overwrite``) the file exists.
    """
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot write {target}: {exc.strerror or exc}") from None
    if target.is_dir():
        raise OutputError(f"{target} is a directory; give a file name for the report")
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise OutputError(f"cannot write {target}: {exc.strerror or exc}") from None
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(text.encode("utf-8"))
            handle.flush()
            os.fsync(handle.fileno())
        # mkstemp makes the file private (0600); a report gets the mode a plain write would give.
        os.chmod(tmp, _existing_mode(target) if overwrite else 0o666 & ~_umask())
        if overwrite:
            os.replace(tmp, target)
        else:
            _link_exclusively(tmp, target)
    except FileExistsError:
        raise OutputError(
            f"{target} appeared while the check ran; not overwritten (pass --force to replace it)"
        ) from None
    except OSError as exc:
        reason = "the disk is full" if exc.errno in (errno.ENOSPC, errno.EDQUOT) else (exc.strerror or str(exc))
        raise OutputError(f"cannot write {target}: {reason}; nothing was changed") from None
    finally:
        tmp.unlink(missing_ok=True)


def _link_exclusively(tmp: Path, target: Path) -> None:
    """Give ``tmp``'s complete content the name ``target``, failing if that name exists."""
    try:
        os.link(tmp, target)
    except FileExistsError:
        raise
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK):
            raise
        # No hard links on this filesystem: reserve the name exclusively, then fill it by rename.
        os.close(os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666))
        os.replace(tmp, target)


def _existing_mode(target: Path) -> int:
    """The permission bits of the file being replaced, or the default for a new file."""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except OSError:
        return 0o666 & ~_umask()


def _umask() -> int:
    # The umask can only be read by setting it; set it straight back.
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
