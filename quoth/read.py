"""Stage 1: read — turn a path or a string into a `Story` with plain text.

Dispatches on the file type to a reader in `quoth.readers`. Readers return the
plain text plus metadata (title, author, notes, chapters found in markup); all
later offsets index that text.
"""
from __future__ import annotations

import os
from pathlib import Path

from .errors import QuothError
from .story import Story

# Files picked up from directories, zips and globs. (.md is readable when named
# explicitly, but in a folder it is usually a README, not a story.)
STORY_SUFFIXES = {".txt", ".text", ".html", ".htm", ".xhtml", ".epub"}
PATH_SUFFIXES = STORY_SUFFIXES | {".md"}


def looks_like_path(value: str) -> bool:
    return "\n" not in value and len(value) < 4096 and (os.sep in value or Path(value).suffix.lower() in PATH_SUFFIXES)


def read(source: str | os.PathLike | bytes, *, name: str | None = None) -> Story:
    """Read a story from a path, raw bytes or a text string."""
    from .readers import read_bytes, read_text_string

    if isinstance(source, bytes):
        return read_bytes(source, name=name or "<bytes>")
    if isinstance(source, os.PathLike) or (isinstance(source, str) and looks_like_path(source)):
        path = Path(source)
        if not path.exists():
            raise QuothError(f"{path}: no such file")
        if path.is_dir():
            raise QuothError(f"{path}: is a directory, not a story file")
        try:
            data = path.read_bytes()
        except OSError as e:
            raise QuothError(f"{path}: cannot read ({e.strerror})") from None
        story = read_bytes(data, name=str(path))
        story.source = str(path)
        return story
    return read_text_string(str(source))
