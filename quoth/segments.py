"""Reading-order segments for multi-voice text-to-speech: `quoth analyze --format segments`.

The text is cut into narration and quote segments, one JSON object per line:
    {"i", "kind": "narration"|"quote", "speaker", "speaker_id", "gender", "text", "start", "end",
     "confidence", "quote", "chapter", "paragraph", "part"}
`text == story.text[start:end]` always. A quote segment includes its quotation marks when they
sit right next to the quote (so narration never starts with a stray closing mark); `quote` is the
index of the quote in the JSON output, whose offsets exclude the marks. Narration is cut at
paragraph ends, so a TTS engine can pause there. Segments are in reading order, never overlap,
and every non-whitespace character of the covered text lies in exactly one segment; what lies
between two segments is whitespace. `part` is "body" for the story proper, the note's kind
("authors_note", "disclaimer", ...) for author's notes, and "front_matter"/"back_matter" for
any other text outside the body (a title line, say), so listeners can skip what is not story.
"""
from __future__ import annotations

import bisect
from typing import Iterator

import orjson

from .quotes import trim_span
from .story import Story

OPEN_MARKS = "\"'“‘«‹„‚「『"
CLOSE_MARKS = "\"'”’»›“‘」』"


def quote_bounds(story: Story) -> list[tuple[int, int, int]]:
    """(start, end, quote index) for each quote, widened to include its adjacent marks,
    in text order; a quote nested in or overlapping an earlier one is dropped."""
    text = story.text
    out: list[tuple[int, int, int]] = []
    cursor = 0
    for qi, q in sorted(enumerate(story.quotes), key=lambda p: (p[1].start, -p[1].end)):
        s, e = q.start, q.end
        if s < cursor or e <= s or e > len(text):
            continue
        if s > cursor and text[s - 1] in OPEN_MARKS:
            s -= 1
        if e < len(text) and text[e] in CLOSE_MARKS:
            e += 1
        out.append((s, e, qi))
        cursor = e
    return out


def text_regions(story: Story) -> list[tuple[int, int, str]]:
    """(start, end, part) covering the whole text: notes, the body, and what lies between."""
    n = len(story.text)
    marked = [(max(0, nt.start), min(n, nt.end), nt.kind or "notes") for nt in story.notes if nt.end > nt.start]
    body_start, body_end = max(0, story.body_start), min(n, story.body_end)
    if body_end > body_start:
        marked.append((body_start, body_end, "body"))
    marked.sort()
    regions: list[tuple[int, int, str]] = []
    cursor = 0
    for s, e, part in marked:
        s = max(s, cursor)
        if e <= s:
            continue
        if s > cursor:
            regions.append((cursor, s, "front_matter" if s <= body_start else "back_matter"))
        regions.append((s, e, part))
        cursor = e
    if cursor < n:
        regions.append((cursor, n, "back_matter" if cursor >= body_start else "front_matter"))
    return regions



def iter_segments(story: Story, notes: bool = True) -> Iterator[dict]:
    """Yield the segments of `story` in reading order (see the module docstring).
    `notes=False` leaves out author's notes and anything else outside the body."""
    text = story.text
    quotes = quote_bounds(story)
    quote_starts = [b[0] for b in quotes]
    par_starts = [p.start for p in story.paragraphs]
    # Narration is cut where paragraphs begin; outside the body (no paragraphs), at blank lines.
    cut_points = sorted({p.start for p in story.paragraphs} | {p.end for p in story.paragraphs})
    chapter_starts = [c.start for c in story.chapters]
    i = 0

    def chapter_of(offset: int) -> int:
        k = bisect.bisect_right(chapter_starts, offset) - 1
        return story.chapters[k].i if k >= 0 and offset < story.chapters[k].end else -1

    def paragraph_of(offset: int) -> int:
        k = bisect.bisect_right(par_starts, offset) - 1
        return story.paragraphs[k].i if k >= 0 and offset < story.paragraphs[k].end else -1

    def narration(s: int, e: int, part: str) -> Iterator[dict]:
        nonlocal i
        if part == "body":
            lo = bisect.bisect_right(cut_points, s)
            hi = bisect.bisect_left(cut_points, e)
            cuts = [s, *cut_points[lo:hi], e]
        else:
            cuts = [s]
            pos = text.find("\n\n", s, e)
            while pos != -1:
                cuts.append(pos)
                pos = text.find("\n\n", pos + 2, e)
            cuts.append(e)
        for a, b in zip(cuts, cuts[1:]):
            a, b = trim_span(text, a, b)
            if a >= b:
                continue
            yield {"i": i, "kind": "narration", "speaker": None, "speaker_id": None, "gender": None,
                   "text": text[a:b], "start": a, "end": b, "confidence": None, "quote": None,
                   "chapter": chapter_of(a), "paragraph": paragraph_of(a), "part": part}
            i += 1

    for r_start, r_end, part in text_regions(story):
        if part != "body" and not notes:
            continue
        cursor = r_start
        k = bisect.bisect_left(quote_starts, r_start)
        while k < len(quotes) and quotes[k][0] < r_end:
            qs, qe, qi = quotes[k]
            k += 1
            qe = min(qe, r_end)
            yield from narration(cursor, qs, part)
            q = story.quotes[qi]
            character = story.character(q.speaker_id)
            yield {"i": i, "kind": "quote", "speaker": q.speaker or (character.name if character else None),
                   "speaker_id": q.speaker_id,
                   "gender": character.gender if character else None,
                   "text": text[qs:qe], "start": qs, "end": qe,
                   "confidence": round(float(q.confidence or 0.0), 4), "quote": qi,
                   "chapter": chapter_of(qs), "paragraph": paragraph_of(qs), "part": part}
            i += 1
            cursor = qe
        yield from narration(cursor, r_end, part)


def segments(story: Story, notes: bool = True) -> list[dict]:
    return list(iter_segments(story, notes=notes))


def to_jsonl_bytes(story: Story, notes: bool = True) -> bytes:
    return b"".join(orjson.dumps(seg) + b"\n" for seg in iter_segments(story, notes=notes))
