"""Stage 3: quotes — every quotation with its offsets, paragraph, scene and chapter."""
from __future__ import annotations

import re

from .story import Quote, Story

PAIRS = {'"': '"', "\u201c": "\u201d", "\u00ab": "\u00bb", "\u300c": "\u300d"}
DOUBLE = re.compile(r'["\u201c\u201d]')


def find_quotes(story: Story) -> list[Quote]:
    text = story.text
    quotes: list[Quote] = []
    for p in story.paragraphs:
        pos = p.start
        while True:
            m = re.compile(r'["\u201c]').search(text, pos, p.end)
            if not m:
                break
            close = re.compile(r'["\u201d]').search(text, m.end(), p.end)
            if not close:
                break
            if close.start() > m.end():
                quotes.append(Quote(len(quotes), m.end(), close.start(), text[m.end():close.start()], paragraph=p.i, open_mark=m.group()))
            pos = close.end()
    return quotes


def assign_containers(story: Story) -> None:
    """Set scene and chapter indices of each quote from its offset."""
    si = ci = 0
    for q in story.quotes:
        while si + 1 < len(story.scenes) and story.scenes[si + 1].start <= q.start:
            si += 1
        while ci + 1 < len(story.chapters) and story.chapters[ci + 1].start <= q.start:
            ci += 1
        q.scene = story.scenes[si].i if story.scenes else -1
        q.chapter = story.chapters[ci].i if story.chapters else -1
        if q.paragraph < 0:
            q.paragraph = story.paragraph_at(q.start)


def quotes(story: Story) -> Story:
    story.quotes = find_quotes(story)
    assign_containers(story)
    return story
