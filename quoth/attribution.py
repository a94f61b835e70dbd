"""Stage 6: attribution — a speaker (and addressees) for every quote."""
from __future__ import annotations

from .story import Story


def attribute(story: Story) -> Story:
    by_paragraph: dict[int, list] = {}
    for m in story.mentions:
        if m.in_quote is None and m.character_id is not None:
            by_paragraph.setdefault(m.paragraph, []).append(m)
    for q in story.quotes:
        cands = by_paragraph.get(q.paragraph, [])
        if cands:
            m = min(cands, key=lambda m: abs(m.start - q.end))
            ch = story.characters[m.character_id]
            q.speaker, q.speaker_id, q.confidence, q.method = ch.name, ch.id, 0.5, "nearest"
            q.speaker_mention = {"start": m.start, "end": m.end, "text": m.text}
    for ch in story.characters:
        ch.quotes = sum(1 for q in story.quotes if q.speaker_id == ch.id)
    return story
