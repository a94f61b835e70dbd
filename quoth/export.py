"""Output formats: json (default), html report, segments (JSON Lines for TTS), csv.

`render(story, fmt)` gives the main output as bytes; `companion_files` names the extra files a
format writes next to it (csv: the cast table beside the quotes table).
"""
from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from .errors import QuothError
from .output import to_json_bytes
from .story import Story

WORD = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*")

QUOTE_COLUMNS = ("i", "chapter", "scene", "paragraph", "start", "end", "speaker", "speaker_id", "gender",
                 "confidence", "method", "addressees", "addressee_ids", "text")
CAST_COLUMNS = ("id", "name", "aliases", "gender", "quotes", "words", "mentions", "narrator", "source")


def count_words(text: str) -> int:
    return sum(1 for _ in WORD.finditer(text))


def speaking_stats(story: Story) -> dict[int, tuple[int, int]]:
    """character id -> (quotes, words spoken), counted from the attributed quotes; a character's
    own `words` wins when the attribution stage filled it in."""
    by_name = {c.name: c.id for c in story.characters}
    counts: dict[int, list[int]] = {c.id: [0, 0] for c in story.characters}
    for q in story.quotes:
        cid = q.speaker_id if story.character(q.speaker_id) else by_name.get(q.speaker)
        if cid is None or cid not in counts:
            continue
        counts[cid][0] += 1
        counts[cid][1] += count_words(q.text)
    return {c.id: (counts[c.id][0], c.words or counts[c.id][1]) for c in story.characters}


def _csv_bytes(header: tuple[str, ...], rows) -> bytes:
    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue().encode("utf-8")


def quotes_csv(story: Story) -> bytes:
    """One row per quote; lists (addressees) are joined with '; '."""
    def rows():
        for q in story.quotes:
            c = story.character(q.speaker_id)
            yield (q.i, q.chapter, q.scene, q.paragraph, q.start, q.end, q.speaker or "",
                   "" if q.speaker_id is None else q.speaker_id, (c.gender or "") if c else "",
                   round(float(q.confidence or 0.0), 4), q.method or "", "; ".join(q.addressees),
                   "; ".join(str(a) for a in q.addressee_ids), q.text)
    return _csv_bytes(QUOTE_COLUMNS, rows())


def characters_csv(story: Story) -> bytes:
    """One row per character; aliases are joined with '; '."""
    stats = speaking_stats(story)
    rows = ((c.id, c.name, "; ".join(c.aliases), c.gender or "", stats[c.id][0], stats[c.id][1],
             c.mentions, int(c.narrator), c.source) for c in story.characters)
    return _csv_bytes(CAST_COLUMNS, rows)


def render(story: Story, fmt: str = "json") -> bytes:
    if fmt == "json":
        return to_json_bytes(story)
    if fmt == "html":
        from .report import render_html
        return render_html(story).encode("utf-8")
    if fmt == "segments":
        from .segments import to_jsonl_bytes
        return to_jsonl_bytes(story)
    if fmt == "csv":
        return quotes_csv(story)
    raise QuothError(f"unknown format {fmt!r} (json, html, segments, csv)")


def companion_path(out: Path, fmt: str) -> Path | None:
    """csv: `X.csv` holds the quotes and `X.characters.csv` the cast."""
    if fmt != "csv":
        return None
    stem = out.name[:-4] if out.name.lower().endswith(".csv") else out.name
    return out.with_name(stem + ".characters.csv")


def companion_files(story: Story, fmt: str, out: Path) -> list[tuple[Path, bytes]]:
    path = companion_path(out, fmt)
    return [(path, characters_csv(story))] if path else []
