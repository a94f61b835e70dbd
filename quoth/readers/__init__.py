"""Readers: bytes of a .txt, .html or .epub file → `Story` with plain text and metadata."""
from __future__ import annotations

from pathlib import Path

from ..errors import QuothError
from ..story import Story
from .text import decode_text, normalise_newlines, refuse_non_text


def sniff_format(data: bytes, name: str) -> str:
    suffix = Path(name).suffix.lower()
    if data[:4] in (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08") or suffix == ".epub":
        return "epub"
    if suffix in {".html", ".htm", ".xhtml"}:
        return "html"
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<!doctype html", b"<html", b"<?xml")) and b"<html" in head or b"<body" in head:
        return "html"
    return "txt"


def read_bytes(data: bytes, name: str = "<bytes>") -> Story:
    if not data:
        raise QuothError(f"{name}: empty story (the file is empty)")
    if not data.strip():
        raise QuothError(f"{name}: empty story (only blank lines)")
    fmt = sniff_format(data, name)
    if fmt == "epub":
        from .epub import read_epub
        story = read_epub(data, name)
    elif fmt == "html":
        from .html import read_html
        refuse_non_text(data, name)
        story = read_html(decode_text(data, name, markup=True), name)
    else:
        text, altered = decode_text(data, name, report_altered=True)
        story = Story(text=text, format="txt")
        story.meta["text_altered"] = altered
    if not story.text.strip():
        raise QuothError(f"{name}: empty story (no text found)")
    return story


def read_text_string(text: str) -> Story:
    clean = normalise_newlines(text.lstrip("\ufeff"))
    if not clean.strip():
        raise QuothError("<text>: empty story")
    story = Story(text=clean, format="txt")
    story.meta["text_altered"] = clean != text
    return story
