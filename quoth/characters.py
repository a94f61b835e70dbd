"""Stage 5: characters — cluster name mentions into a cast, each with aliases and gender."""
from __future__ import annotations

from collections import Counter, defaultdict

from .story import Character, Story


def build_cast(story: Story) -> list[Character]:
    if story.known_cast:
        cast = [Character(i, name, aliases=list(dict.fromkeys([name, *aliases])), source="given",
                          gender=story.known_genders.get(name))
                for i, (name, aliases) in enumerate(story.known_cast.items())]
        return cast
    counts = Counter(m.text for m in story.mentions if m.kind == "name" and m.in_quote is None)
    cast: list[Character] = []
    by_token: dict[str, int] = {}
    for surface, n in counts.most_common():
        if n < 3:
            continue
        key = surface.split()[-1]
        if key in by_token:
            ch = cast[by_token[key]]
            ch.aliases.append(surface)
            ch.alias_counts[surface] = n
        else:
            by_token[key] = len(cast)
            cast.append(Character(len(cast), surface, [surface], {surface: n}))
    return cast


def link_mentions(story: Story) -> None:
    """Point each name mention at the character that lists it as an alias."""
    index: dict[str, int] = {}
    for ch in story.characters:
        for a in ch.aliases:
            index.setdefault(a.lower(), ch.id)
    mention_counts: defaultdict[int, int] = defaultdict(int)
    for m in story.mentions:
        if m.kind == "name":
            m.character_id = index.get(m.text.lower())
            if m.character_id is not None:
                mention_counts[m.character_id] += 1
    for ch in story.characters:
        ch.mentions = mention_counts[ch.id]


def characters(story: Story) -> Story:
    story.characters = build_cast(story)
    link_mentions(story)
    return story
