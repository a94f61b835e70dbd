"""Decoding bytes to text: UTF-8 (BOM or not), UTF-16/32, cp1252/latin-1; newline normalisation.

Order of trust: a byte-order mark; strict UTF-8; UTF-8 with a few stray bytes
replaced (a UTF-8 file with one pasted cp1252 quote); UTF-16 without a BOM
(every other byte zero); cp1252 (what Windows editors write); then
charset-normalizer's guess. Whatever is chosen must read as text — mostly
letters, spaces and punctuation — or the file is refused as undecodable.
"""
from __future__ import annotations

import codecs
import re

from ..errors import QuothError

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_MAGIC = (
    (b"%PDF", "a PDF file; convert it to .txt, .html or .epub first"),
    (b"\x89PNG", "an image (PNG), not a story"),
    (b"GIF8", "an image (GIF), not a story"),
    (b"\xff\xd8\xff", "an image (JPEG), not a story"),
    (b"\x1f\x8b", "a gzip archive; unpack it first"),
    (b"Rar!", "a RAR archive; unpack it first"),
    (b"7z\xbc\xaf", "a 7-Zip archive; unpack it first"),
    (b"\xd0\xcf\x11\xe0", "a Microsoft Office (.doc) file; save it as .txt or .html first"),
    (b"{\\rtf", "an RTF file; save it as .txt or .html first"),
)


def normalise_newlines(text: str) -> str:
    """\\r\\n and lone \\r become \\n; Unicode line/paragraph separators too."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\u2028" in text or "\u2029" in text:
        text = text.replace("\u2029", "\n\n").replace("\u2028", "\n")
    return text


def refuse_non_text(data: bytes, name: str) -> None:
    """Clear messages for common non-story files (PDF, images, archives)."""
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise QuothError(f"{name}: {what}")
    if len(data) > 68 and data[60:68] in (b"BOOKMOBI", b"TEXtREAd"):
        raise QuothError(f"{name}: a MOBI/Kindle file, not supported; convert it to EPUB first")


def _is_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    control = sum(1 for b in sample if b < 9 or 13 < b < 32)
    return control > max(8, len(sample) // 50)


def _utf16_without_bom(data: bytes) -> str | None:
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even_zero = sample[0::2].count(0) / max(1, len(sample[0::2]))
    odd_zero = sample[1::2].count(0) / max(1, len(sample[1::2]))
    enc = "utf-16-le" if odd_zero > 0.3 and even_zero < 0.05 else "utf-16-be" if even_zero > 0.3 and odd_zero < 0.05 else None
    if enc is None:
        return None
    try:
        return data[: len(data) - len(data) % 2].decode(enc)
    except UnicodeDecodeError:
        return None


def _few_controls(text: str) -> bool:
    sample = text[:50000]
    return len(_CONTROL.findall(sample)) <= max(5, len(sample) // 200)


def _reads_as_text(text: str) -> bool:
    sample = text[:50000]
    if not sample:
        return True
    if len(_CONTROL.findall(sample)) > max(5, len(sample) // 200):
        return False
    good = sum(1 for ch in sample if ch.isalpha() or ch.isspace())
    return good >= 0.6 * len(sample)


def _reads_as_words(text: str) -> bool:
    """A guessed single-byte decoding must give words: text with spaces between them."""
    sample = text[:50000]
    return _reads_as_text(sample) and sum(1 for ch in sample if ch.isspace()) >= 0.05 * len(sample)


def decode_text(data: bytes, name: str, report_altered: bool = False, markup: bool = False):
    """Decode story bytes; raise QuothError for binary or undecodable input.
    `markup`: HTML, whose text share is low, is only checked for control bytes."""
    refuse_non_text(data, name)
    text = None
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        try:
            text = data.decode("utf-32")
        except UnicodeDecodeError:
            raise QuothError(f"{name}: cannot decode UTF-32 text") from None
    elif data.startswith(codecs.BOM_UTF8):
        text = data[3:].decode("utf-8", errors="replace")
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data[: len(data) - (len(data) - 2) % 2].decode("utf-16")
        except UnicodeDecodeError:
            raise QuothError(f"{name}: cannot decode UTF-16 text") from None
    else:
        text = _utf16_without_bom(data) if b"\x00" in data[:4096] else None
        if text is None:
            if _is_binary(data):
                raise QuothError(f"{name}: binary file, not a text story")
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                text = (_declared_charset(data) if markup else None) or _decode_guess(data, name, markup)
    text = text.lstrip("\ufeff")
    if "\x00" in text or not (_few_controls(text) if markup else _reads_as_text(text)):
        raise QuothError(f"{name}: cannot decode text (not UTF-8, UTF-16 or cp1252); is it a story file?")
    clean = normalise_newlines(text)
    if report_altered:
        return clean, (clean.encode("utf-8") != data)
    return clean


def _stray_as_cp1252(err: UnicodeDecodeError):
    """Error handler: a byte that is not UTF-8 is read as cp1252 (a pasted smart quote)."""
    return err.object[err.start:err.end].decode("cp1252", errors="replace"), err.end


codecs.register_error("quoth-cp1252", _stray_as_cp1252)


_TAGS = re.compile(r"<[^>]{0,2000}>|&\w{1,10};")
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?([A-Za-z0-9_:.-]{2,40})""", re.I)


def _declared_charset(data: bytes) -> str | None:
    """HTML that says its encoding (<meta charset="windows-1252">) is decoded with it."""
    m = _META_CHARSET.search(data[:8192])
    if not m:
        return None
    try:
        return data.decode(m.group(1).decode("ascii"))
    except (LookupError, UnicodeDecodeError):
        return None


def _decode_guess(data: bytes, name: str, markup: bool = False) -> str:
    # Mostly UTF-8 with a few stray bytes (one pasted cp1252 quote): keep UTF-8,
    # read the strays as cp1252. Valid multi-byte UTF-8 sequences rarely occur by chance.
    loose = data.decode("utf-8", errors="replace")
    bad = loose.count("\ufffd")
    good = sum(1 for ch in loose if ord(ch) > 127) - bad
    if good >= bad and good > 0:
        return data.decode("utf-8", errors="quoth-cp1252")
    words = (lambda t: _reads_as_words(_TAGS.sub(" ", t[:200_000]))) if markup else _reads_as_words
    try:
        text = data.decode("cp1252")
        if words(text):
            return text
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    for enc in ([best.encoding] if best is not None else []) + ["latin-1"]:
        try:
            text = data.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
        if words(text):
            return text
    raise QuothError(f"{name}: cannot decode text (not UTF-8, UTF-16 or cp1252); is it a story file?")
