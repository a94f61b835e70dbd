"""The document object that flows through quoth's pipeline.

Every stage reads a `Story` and fills in its own fields: read → structure →
quotes → mentions → characters → attribution. All spans are character offsets
(`start` inclusive, `end` exclusive) into `Story.text`, the plain text quoth
analysed, so any result can be highlighted in place.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Paragraph:
    i: int
    start: int
    end: int


@dataclass
class Note:
    """An author's note, disclaimer or AO3 notes block, outside the story proper."""
    kind: str          # "authors_note" | "disclaimer" | "summary" | "notes" | "end_notes"
    position: str      # "before" | "after" | "inline"
    start: int
    end: int
    text: str


@dataclass
class Chapter:
    i: int
    title: str | None
    start: int
    end: int


@dataclass
class Scene:
    i: int
    chapter: int
    start: int
    end: int


@dataclass
class Quote:
    i: int
    start: int          # first character inside the marks
    end: int            # one past the last character inside the marks
    text: str           # == story.text[start:end]
    paragraph: int = -1
    scene: int = -1
    chapter: int = -1
    open_mark: str = '"'
    speaker: str | None = None
    speaker_id: int | None = None
    confidence: float = 0.0
    method: str | None = None           # e.g. "explicit", "anaphoric", "turn", "model"
    speaker_mention: dict | None = None  # {"start","end","text"} of the mention used
    addressees: list[str] = field(default_factory=list)
    addressee_ids: list[int] = field(default_factory=list)
    features: dict = field(default_factory=dict)   # stage-private scratch, never output


@dataclass
class Mention:
    """A reference to a person: a name, a pronoun or a person-denoting noun phrase."""
    start: int
    end: int
    text: str
    kind: str                  # "name" | "pronoun" | "nominal" | "vocative" | "new" ("a stout man": someone comes in)
    paragraph: int = -1
    in_quote: int | None = None     # index of the quote containing it, if any
    character_id: int | None = None
    gender: str | None = None       # for pronouns: "M" | "F" | "N" (neutral/plural) | "I" (first person)


@dataclass
class Character:
    id: int
    name: str
    aliases: list[str] = field(default_factory=list)
    alias_counts: dict[str, int] = field(default_factory=dict)
    gender: str | None = None       # "M" | "F" | None
    mentions: int = 0
    quotes: int = 0
    words: int = 0
    narrator: bool = False
    source: str = "text"            # "text" | "given" (from --characters) | "tag" (AO3 tag)


@dataclass
class Story:
    text: str
    source: str | None = None       # path or None
    format: str = "txt"             # "txt" | "html" | "epub"
    meta: dict[str, Any] = field(default_factory=dict)   # author, summary, tags, fandoms, character_tags
    title: str | None = None
    notes: list[Note] = field(default_factory=list)
    body_start: int = 0             # the story proper, between notes
    body_end: int = -1
    paragraphs: list[Paragraph] = field(default_factory=list)
    chapters: list[Chapter] = field(default_factory=list)
    scenes: list[Scene] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    characters: list[Character] = field(default_factory=list)
    known_cast: dict[str, list[str]] | None = None   # from --characters: name -> aliases
    known_genders: dict[str, str] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.body_end < 0:
            self.body_end = len(self.text)

    @property
    def authors_note(self) -> str | None:
        # A work summary (AO3, FanFicFare) is not the author's note; fall back to it only.
        for note in self.notes:
            if note.kind != "summary":
                return note.text
        return self.notes[0].text if self.notes else None

    def character(self, cid: int | None) -> Character | None:
        if cid is None or cid < 0 or cid >= len(self.characters):
            return None
        return self.characters[cid]

    def paragraph_at(self, offset: int) -> int:
        """Index of the paragraph containing `offset` (binary search), or -1."""
        i = _span_index(self.paragraphs, offset)
        return -1 if i is None else i

    def quote_at(self, offset: int) -> int | None:
        """Index of the quote containing `offset` (binary search over the sorted quotes), or None."""
        return _span_index(self.quotes, offset)

    def to_dict(self, include_text: bool | None = None) -> dict:
        from .output import story_to_dict
        return story_to_dict(self, include_text=include_text)


def _span_index(spans: list, offset: int) -> int | None:
    """Index of the span (sorted, not overlapping, with .start/.end) containing `offset`, or None."""
    lo, hi = 0, len(spans) - 1
    while lo <= hi:
        mid = (lo + hi) // 2
        if offset < spans[mid].start:
            hi = mid - 1
        elif offset >= spans[mid].end:
            lo = mid + 1
        else:
            return mid
    return None
