"""Decoding bytes to text: UTF-8 (BOM or not), UTF-16, cp1252/latin-1; newline normalisation."""
from __future__ import annotations

import codecs

from ..errors import QuothError


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _is_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    control = sum(1 for b in sample if b < 9 or 13 < b < 32)
    return control > max(8, len(sample) // 50)


def decode_text(data: bytes, name: str, report_altered: bool = False):
    """Decode story bytes; raise QuothError for binary or undecodable input."""
    text = None
    if data.startswith(codecs.BOM_UTF8):
        text = data[3:].decode("utf-8", errors="replace")
    elif data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise QuothError(f"{name}: cannot decode UTF-16 text") from None
    else:
        if _is_binary(data):
            raise QuothError(f"{name}: binary file, not a text story")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = _decode_guess(data, name)
    if text is None or "\x00" in text:
        raise QuothError(f"{name}: binary file, not a text story")
    clean = normalise_newlines(text)
    if report_altered:
        return clean, (clean.encode("utf-8") != data)
    return clean


def _decode_guess(data: bytes, name: str) -> str:
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    encodings = [best.encoding] if best is not None else []
    encodings += ["cp1252", "latin-1"]
    for enc in encodings:
        try:
            text = data.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
        bad = sum(1 for ch in text[:20000] if ord(ch) < 32 and ch not in "\n\r\t\f")
        if bad <= 5:
            return text
    raise QuothError(f"{name}: cannot decode text (not UTF-8, UTF-16 or cp1252)")
