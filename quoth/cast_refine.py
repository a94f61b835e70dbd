"""Stage after attribution: what the attributed quotes teach about the cast.

- Each character's `quotes` and `words` counts come from the quotes attributed to them.
- A vocative ("Where are you going, Pup?") names the quote's addressee, never its speaker.
  When the addressee is known (from attribution, or as the other side of a two-person
  exchange) and a vocative keeps naming the same character, it becomes one of their aliases.
"""
from __future__ import annotations

from collections import Counter, defaultdict

from .characters import norm_surface
from .story import Story

MIN_VOCATIVE_VOTES = 2
# a character who never speaks, is "he"/"she" at most once and is named this seldom is no cast member
PRUNE_MAX_MENTIONS = 20


def _nominal_only(ch) -> bool:
    return all(a[:1].islower() for a in ch.aliases)      # "the croupier": known only by a description


def prune_cast(story: Story) -> None:
    """Drop silent walk-ons (places, books, people only talked about) and renumber the cast."""
    pron = Counter(m.character_id for m in story.mentions if m.kind == "pronoun" and m.character_id is not None)
    addressed = Counter(i for q in story.quotes for i in q.addressee_ids)
    keep = [ch for ch in story.characters
            if ch.source != "text" or ch.narrator or ch.quotes > 0 or
            (not _nominal_only(ch) and (ch.mentions > PRUNE_MAX_MENTIONS or pron[ch.id] > 1 or addressed[ch.id] > 1))]
    if len(keep) == len(story.characters):
        return
    new_id = {ch.id: i for i, ch in enumerate(keep)}
    for i, ch in enumerate(keep):
        ch.id = i
    story.characters = keep
    for m in story.mentions:
        if m.character_id is not None:
            m.character_id = new_id.get(m.character_id)
    for q in story.quotes:
        if q.speaker_id is not None:
            q.speaker_id = new_id.get(q.speaker_id)
            if q.speaker_id is None:
                q.speaker = None
        if q.addressee_ids:
            pairs = [(new_id[a], n) for a, n in zip(q.addressee_ids, q.addressees) if a in new_id]
            q.addressee_ids = [a for a, _ in pairs]
            q.addressees = [n for _, n in pairs]


def _addressee(story: Story, qi: int) -> int | None:
    q = story.quotes[qi]
    if len(q.addressee_ids) == 1:
        return q.addressee_ids[0]
    # the other side of an exchange: the nearest earlier quote by someone else
    for k in range(qi - 1, max(-1, qi - 4), -1):
        other = story.quotes[k]
        if other.speaker_id is not None and other.speaker_id != q.speaker_id:
            return other.speaker_id if q.speaker_id is not None else None
    return None


def refine_cast(story: Story) -> Story:
    chars = story.characters
    if not chars:
        return story
    for ch in chars:
        ch.quotes = 0
        ch.words = 0
    for q in story.quotes:
        ch = story.character(q.speaker_id)
        if ch is not None:
            ch.quotes += 1
            ch.words += len(q.text.split())
    votes: dict[str, Counter[int]] = defaultdict(Counter)
    for m in story.mentions:
        if m.kind != "vocative" or m.in_quote is None or m.in_quote >= len(story.quotes):
            continue
        q = story.quotes[m.in_quote]
        if m.character_id is not None and m.character_id == q.speaker_id:
            m.character_id = None           # a vocative never names the speaker
        if m.character_id is None:
            cid = _addressee(story, m.in_quote)
            if cid is not None and cid != q.speaker_id:
                votes[norm_surface(m.text)][cid] += 1
    taken = {a.lower() for ch in chars for a in ch.aliases}
    for surface, counter in votes.items():
        cid, n = counter.most_common(1)[0]
        if n < MIN_VOCATIVE_VOTES or n < 0.6 * sum(counter.values()) or surface.lower() in taken:
            continue
        ch = chars[cid]
        ch.aliases.append(surface)
        ch.alias_counts[surface] = sum(counter.values())
        taken.add(surface.lower())
        for m in story.mentions:
            if m.kind == "vocative" and m.character_id is None and norm_surface(m.text) == surface:
                m.character_id = cid
    if not story.known_cast:
        prune_cast(story)
    return story
