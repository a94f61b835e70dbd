"""Output formats: json (default), html report, segments (JSON Lines for TTS), csv."""
from __future__ import annotations

from .errors import QuothError
from .output import to_json_bytes
from .story import Story


def render(story: Story, fmt: str = "json") -> bytes:
    if fmt == "json":
        return to_json_bytes(story)
    raise QuothError(f"format {fmt!r} is not implemented yet")
