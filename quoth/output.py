"""Stage 7: output — the JSON form of a `Story` (see quoth/schema/story.schema.json)."""
from __future__ import annotations

import hashlib
from dataclasses import asdict

import orjson

from . import __version__
from .story import Story

QUOTE_FIELDS = ("i", "text", "start", "end", "paragraph", "scene", "chapter", "speaker", "speaker_id",
                "confidence", "method", "speaker_mention", "addressees", "addressee_ids")


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def story_to_dict(story: Story, include_text: bool | None = None) -> dict:
    if include_text is None:
        include_text = story.format != "txt" or bool(story.meta.get("text_altered"))
    meta = {k: v for k, v in story.meta.items() if k != "text_altered"}
    out = {
        "quoth_version": __version__,
        "source": story.source,
        "format": story.format,
        "title": story.title,
        "author": meta.pop("author", None),
        "meta": meta,
        "text_length": len(story.text),
        "sha256": text_sha256(story.text),
        "authors_note": story.authors_note,
        "notes": [asdict(n) for n in story.notes],
        "body": {"start": story.body_start, "end": story.body_end},
        "chapters": [asdict(c) for c in story.chapters],
        "scenes": [asdict(s) for s in story.scenes],
        "quotes": [{k: getattr(q, k) for k in QUOTE_FIELDS} for q in story.quotes],
        "characters": [
            {"id": c.id, "name": c.name, "aliases": c.aliases, "alias_counts": c.alias_counts,
             "gender": c.gender, "mentions": c.mentions, "quotes": c.quotes, "words": c.words,
             "narrator": c.narrator, "source": c.source}
            for c in story.characters
        ],
        "timings": {k: round(v, 4) for k, v in story.timings.items()},
    }
    for q in out["quotes"]:
        q["confidence"] = round(float(q["confidence"]), 4)
    if include_text:
        out["text"] = story.text
    return out


def to_json_bytes(story: Story, include_text: bool | None = None) -> bytes:
    return orjson.dumps(story_to_dict(story, include_text), option=orjson.OPT_INDENT_2) + b"\n"
