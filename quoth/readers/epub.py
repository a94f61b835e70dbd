"""EPUB reader (AO3 and FanFicFare EPUBs). Filled in by the readers work."""
from __future__ import annotations

from ..errors import QuothError
from ..story import Story


def read_epub(data: bytes, name: str) -> Story:
    raise QuothError(f"{name}: EPUB reading is not implemented yet")
