"""mtcheck.io.read_text: encodings, offsets, and every refusal, on real seed text."""

from __future__ import annotations

import codecs
import os
from pathlib import Path

import pytest

from mtcheck.errors import InputError
from mtcheck.io import EncodingError, read_text

SEEDS = Path(__file__).parent / "data" / "seeds"
LUSA = (SEEDS / "originals" / "lusa_missiles_2023-09-13.partial.pt.txt").read_text(encoding="utf-8")
AP = (SEEDS / "originals" / "ap_kim_arrives_2023-09-12.partial.en.txt").read_text(encoding="utf-8")
BIG = 10_000_000


def write(tmp_path: Path, data: bytes, name: str = "cand.txt") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_utf8_without_bom(tmp_path):
    text, used = read_text(write(tmp_path, LUSA.encode("utf-8")), max_bytes=BIG)
    assert (text, used) == (LUSA, "utf-8")


def test_utf8_bom_is_stripped(tmp_path):
    text, used = read_text(write(tmp_path, codecs.BOM_UTF8 + LUSA.encode("utf-8")), max_bytes=BIG)
    assert used == "utf-8-sig"
    assert text == LUSA and text.startswith("A Coreia do Norte")


@pytest.mark.parametrize(("codec", "name"), [("utf-16-le", "utf-16-le"), ("utf-16-be", "utf-16-be")])
def test_utf16_with_bom_offsets_point_into_decoded_text(tmp_path, codec, name):
    bom = codecs.BOM_UTF16_LE if codec.endswith("le") else codecs.BOM_UTF16_BE
    text, used = read_text(write(tmp_path, bom + LUSA.encode(codec)), max_bytes=BIG)
    assert used == name
    assert text == LUSA
    start = text.index("Hirokazu Matsuno")
    assert text[start : start + 16] == "Hirokazu Matsuno"  # no BOM shifting the offsets


def test_crlf_and_nbsp_are_kept(tmp_path):
    raw = "Title\r\n\r\nBody one.\u00a0\r\n"
    text, _ = read_text(write(tmp_path, raw.encode("utf-8")), max_bytes=BIG)
    assert text == raw


def test_cp1252_is_refused_with_the_guessed_name(tmp_path):
    path = write(tmp_path, LUSA.encode("cp1252"))
    with pytest.raises(EncodingError) as err:
        read_text(path, max_bytes=BIG)
    assert str(err.value) == f"{path} is not UTF-8 (it looks like cp1252)"
    assert err.value.suggestion == "cp1252"  # the CLI turns it into --source/--candidate-encoding


def test_encoding_option_decodes_cp1252(tmp_path):
    text, used = read_text(write(tmp_path, LUSA.encode("cp1252")), max_bytes=BIG, encoding="cp1252")
    assert used == "cp1252"
    assert text == LUSA
    assert "Tóquio" in text


def test_encoding_option_utf8_strips_bom(tmp_path):
    text, used = read_text(write(tmp_path, codecs.BOM_UTF8 + AP.encode()), max_bytes=BIG, encoding="UTF-8")
    assert (text, used) == (AP, "utf-8-sig")


def test_unknown_encoding_name(tmp_path):
    with pytest.raises(InputError, match=r"unknown encoding 'klingon-8'"):
        read_text(write(tmp_path, AP.encode()), max_bytes=BIG, encoding="klingon-8")


def test_wrong_encoding_option_is_refused(tmp_path):
    with pytest.raises(InputError, match=r"cannot be decoded as ascii \(bad byte at offset \d+\)"):
        read_text(write(tmp_path, LUSA.encode("utf-8")), max_bytes=BIG, encoding="ascii")


def test_empty_file(tmp_path):
    path = write(tmp_path, b"")
    with pytest.raises(InputError, match=r"cand\.txt is empty$"):
        read_text(path, max_bytes=BIG)


def test_whitespace_only_file(tmp_path):
    with pytest.raises(InputError, match="contains only whitespace"):
        read_text(write(tmp_path, b" \r\n\t\n\xc2\xa0\n"), max_bytes=BIG)


def test_binary_with_nul_bytes(tmp_path):
    data = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))
    with pytest.raises(InputError, match="looks like a binary file"):
        read_text(write(tmp_path, data, "image.txt"), max_bytes=BIG)


def test_binary_with_many_control_chars(tmp_path):
    data = ("\x01\x02\x03\x1b\x7f" * 20 + AP[:200]).encode()
    with pytest.raises(InputError, match="looks like a binary file"):
        read_text(write(tmp_path, data), max_bytes=BIG)


def test_one_stray_escape_is_still_text(tmp_path):
    raw = AP + "\x1b"
    text, _ = read_text(write(tmp_path, raw.encode()), max_bytes=BIG)
    assert text == raw


def test_directory(tmp_path):
    with pytest.raises(InputError, match="is a directory"):
        read_text(tmp_path, max_bytes=BIG)


def test_missing_file(tmp_path):
    path = tmp_path / "nope.txt"
    with pytest.raises(InputError, match=r"nope\.txt does not exist"):
        read_text(path, max_bytes=BIG)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs POSIX permissions, not root")
def test_unreadable_file(tmp_path):
    path = write(tmp_path, AP.encode())
    path.chmod(0)
    try:
        with pytest.raises(InputError, match=r"cannot be read \(permission denied\)"):
            read_text(path, max_bytes=BIG)
    finally:
        path.chmod(0o644)


def test_too_big_names_size_limit_and_option(tmp_path):
    data = AP.encode()
    with pytest.raises(InputError) as err:
        read_text(write(tmp_path, data), max_bytes=1000)
    message = str(err.value)
    assert f"is {len(data):,} bytes" in message
    assert "limit of 1,000 bytes" in message
    assert "--max-bytes" in message


def test_exactly_at_the_limit_is_accepted(tmp_path):
    data = AP.encode()
    text, _ = read_text(write(tmp_path, data), max_bytes=len(data))
    assert text == AP


def test_str_path_is_accepted():
    text, used = read_text(str(SEEDS / "003_cf84c1753290a236.txt"), max_bytes=BIG)
    assert used == "utf-8"
    assert text.startswith("North Korean leader Kim Jong Un arrives in Russia")


def test_permission_error_is_reported_even_as_root(tmp_path, monkeypatch):
    # Root can read a chmod-0 file, so simulate the refusal the OS gives an ordinary user.
    path = write(tmp_path, AP.encode())

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "open", refuse)
    with pytest.raises(InputError, match=r"cand\.txt cannot be read \(permission denied\)"):
        read_text(path, max_bytes=BIG)
