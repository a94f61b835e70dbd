"""Stage 4: mentions — names, pronouns and person nouns, each with offsets."""
from __future__ import annotations

import re

from .story import Mention, Story

TITLES = r"(?:Mr|Mrs|Ms|Miss|Dr|Lady|Lord|Sir|Captain|Colonel|Professor|Madame|Monsieur)\.?"
NAME = re.compile(rf"\b(?:{TITLES}\s+)?[A-Z][a-z'\-]+(?:\s+[A-Z][a-z'\-]+)*")
PRONOUNS = {
    "he": "M", "him": "M", "his": "M", "himself": "M",
    "she": "F", "her": "F", "hers": "F", "herself": "F",
    "i": "I", "me": "I", "my": "I", "myself": "I",
}
PRONOUN = re.compile(r"\b(?:he|him|his|himself|she|her|hers|herself|I|me|my|myself)\b", re.I)
STOP = {
    "The", "A", "An", "And", "But", "It", "In", "On", "At", "Of", "To", "He", "She", "I", "They", "We",
    "You", "His", "Her", "My", "Your", "Their", "Our", "This", "That", "What", "When", "Where", "Why",
    "How", "Who", "There", "Then", "Yes", "No", "Oh", "Well", "If", "So", "As", "For", "With", "Not",
    "Chapter", "CHAPTER",
}


def find_mentions(story: Story) -> list[Mention]:
    text = story.text
    quote_spans = [(q.start, q.end, q.i) for q in story.quotes]
    mentions: list[Mention] = []
    for p in story.paragraphs:
        chunk = text[p.start:p.end]
        for m in NAME.finditer(chunk):
            words = m.group().split()
            while words and words[0] in STOP:
                words = words[1:]
            if not words:
                continue
            surface = " ".join(words)
            s = p.start + m.end() - len(surface) if m.group().endswith(surface) else p.start + m.start()
            mentions.append(Mention(s, s + len(surface), surface, "name", paragraph=p.i))
        for m in PRONOUN.finditer(chunk):
            mentions.append(Mention(p.start + m.start(), p.start + m.end(), m.group(), "pronoun",
                                    paragraph=p.i, gender=PRONOUNS[m.group().lower()]))
    mentions.sort(key=lambda x: x.start)
    qi = 0
    for mention in mentions:
        while qi < len(quote_spans) and quote_spans[qi][1] <= mention.start:
            qi += 1
        if qi < len(quote_spans) and quote_spans[qi][0] <= mention.start < quote_spans[qi][1]:
            mention.in_quote = quote_spans[qi][2]
    return mentions


def mentions(story: Story) -> Story:
    story.mentions = find_mentions(story)
    return story
