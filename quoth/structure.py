"""Stage 2: structure — paragraphs, title, author's notes, chapters and scenes."""
from __future__ import annotations

import re

from .story import Chapter, Paragraph, Scene, Story

BLANK_BLOCK = re.compile(r"\n[ \t]*\n")


def find_paragraphs(text: str, start: int = 0, end: int | None = None) -> list[Paragraph]:
    """Paragraphs are blocks separated by blank lines; in one-line-per-paragraph
    texts (common in fan fiction) every non-empty line is a paragraph."""
    end = len(text) if end is None else end
    region = text[start:end]
    lines = region.split("\n")
    nonblank = [ln for ln in lines if ln.strip()]
    blank = len(lines) - len(nonblank)
    line_per_par = blank < len(nonblank) * 0.3
    paragraphs: list[Paragraph] = []
    pattern = re.compile(r"[^\n]+") if line_per_par else re.compile(r"\S(?:.|\n(?![ \t]*\n))*")
    for m in pattern.finditer(region):
        s, e = m.start(), m.end()
        chunk = m.group()
        if not chunk.strip():
            continue
        s += len(chunk) - len(chunk.lstrip())
        e -= len(chunk) - len(chunk.rstrip())
        paragraphs.append(Paragraph(len(paragraphs), start + s, start + e))
    return paragraphs


def structure(story: Story) -> Story:
    story.paragraphs = find_paragraphs(story.text, story.body_start, story.body_end)
    if not story.chapters:
        story.chapters = [Chapter(0, None, story.body_start, story.body_end)]
    if not story.scenes:
        story.scenes = [Scene(0, 0, story.body_start, story.body_end)]
    if story.title is None:
        story.title = story.meta.get("title")
    return story
