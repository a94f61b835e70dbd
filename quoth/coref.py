"""Links pronouns and person nouns to the cast, and finds a first-person narrator.

One left-to-right pass over the mentions (linear). A third-person pronoun outside
quotes goes to the most salient character of compatible gender: a sentence-initial
subject pronoun ("He turned") to the subject of the previous sentence, any other to
the subject of its own sentence, else to the most recent compatible character.
Person nouns are linked by apposition ("Remus, the tired werewolf"), copula
("Remus was the werewolf"), family words ("the Weasley") or salience and gender; a
description introduced with "a" ("a stout man ... the stout man") is someone new.
"""
from __future__ import annotations

import bisect
import re
from collections import Counter, defaultdict

from .story import Character, Mention, Story

SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)]*\s+(?=[\"“‘'(]?[A-Z])|\n\s*\n")
NARRATOR_NAMED = re.compile(r"\b(?:[Mm]y name is|[Mm]y name's|[Cc]all me|I am called|I was called|"
                            r"I'm called|named me)\s+((?:[A-Z][\w'-]+)(?:\s+[A-Z][\w'-]+)?)")
GENERIC_HEADS = {"man", "men", "woman", "women", "boy", "girl", "lady", "gentleman", "child", "kid",
                 "baby", "fellow", "guy", "friend", "stranger", "other", "people", "person", "youth",
                 "lad", "visitor", "guest", "maid", "servant", "mother", "father", "brother", "sister",
                 "son", "daughter", "wife", "husband", "twin", "blond", "blonde", "brunette", "redhead"}
# heads too vague to become an alias unless they point at one character very often
VAGUE_HEADS = GENERIC_HEADS - {"blond", "blonde", "brunette", "redhead", "twin"}
# heads that describe someone already known (the rest name a role: "the maid" is somebody else)
EPITHET_HEADS = {"man", "woman", "boy", "girl", "lady", "gentleman", "fellow", "youth", "lad", "child", "kid",
                 "stranger", "blond", "blonde", "brunette", "redhead", "werewolf", "wizard", "witch", "heir",
                 "heiress", "prince", "princess", "hero", "heroine", "villain", "teen", "teenager"}
MAX_BACK_SENTENCES = 3
NEW_PERSON_REACH = 5000     # how long "a stout man" stays the one "the stout man" means
FAR_BACK_SENTENCES = 10
PLACEHOLDER = re.compile(r"\bY/N\b")    # a reader-insert's "your name"
MIN_NOMINAL_LINKS = 2      # a description linked this often (and 3 times in 4) to one character is its alias
MIN_VAGUE_LINKS = 10       # "the young man" for Winterbourne: vague words need many more


def sentence_starts(story: Story) -> list[int]:
    starts = {p.start for p in story.paragraphs}
    text = story.text
    for p in story.paragraphs:
        for m in SENTENCE_END.finditer(text, p.start, p.end):
            starts.add(m.end())
    return sorted(starts)


def told_in_first_person(story: Story) -> bool:
    """The narration says "I" often, and often enough beside he/she; or, in a story too short to
    say it twenty times (a drabble, a first chapter), at least three times and as often as he/she."""
    first = third = 0
    for m in story.mentions:
        if m.kind == "pronoun" and m.in_quote is None:
            if m.gender == "I":
                first += 1
            elif m.gender in ("M", "F"):
                third += 1
    return (first >= 20 and first >= 0.25 * third) or (first >= 3 and first >= third)


def find_narrator(story: Story) -> int | None:
    """A narrator character when the story is told as "I" outside quotes."""
    if not told_in_first_person(story):
        return None
    name = None
    named = Counter(m.group(1) for m in NARRATOR_NAMED.finditer(story.text))
    if named:
        name = named.most_common(1)[0][0]
    elif story.meta.get("second_person"):
        # a reader-insert names its "you" Y/N (your name) where it names them at all
        return _add_narrator(story, "Y/N" if "Y/N" in story.text else "You")
    chars = story.characters
    if name is None:
        # the narrator is addressed by name in others' speech but rarely named in narration
        voc: Counter[int] = Counter()
        narr: Counter[int] = Counter()
        for m in story.mentions:
            if m.character_id is None:
                continue
            if m.kind == "vocative":
                voc[m.character_id] += 1
            elif m.in_quote is None:
                narr[m.character_id] += 1
        best = [(v - 2 * narr[c], c) for c, v in voc.items() if v >= 3 and narr[c] * 2 < v]
        if best:
            cid = max(best)[1]
            chars[cid].narrator = True
            return cid
    if name is not None:
        for ch in chars:
            if name in ch.aliases or ch.name == name:
                ch.narrator = True
                return ch.id
    if story.known_cast:
        return None
    return _add_narrator(story, name)


def _add_narrator(story: Story, name: str | None) -> int:
    chars = story.characters
    ch = Character(len(chars), name or "Narrator", aliases=[name] if name else [],
                   alias_counts={name: 0} if name else {}, narrator=True, source="text")
    chars.append(ch)
    if name:
        # "My name is Wren Ashby" ... "Wren," Tobias said: the name and its parts, where no one
        # else has them, are the narrator's
        forms = {name, *name.split()} if len(name.split()) > 1 else {name}
        for m in story.mentions:
            if m.character_id is None and m.kind in ("name", "vocative") and m.text in forms:
                m.character_id = ch.id
                if m.text not in ch.alias_counts:
                    ch.aliases.append(m.text)
                ch.alias_counts[m.text] = ch.alias_counts.get(m.text, 0) + 1
    if name == "Y/N":
        _placeholder_mentions(story, ch)
    return ch.id


def _placeholder_mentions(story: Story, ch: Character) -> None:
    """'"Y/N!" Fred called': a reader-insert writes the reader's name as Y/N, which the name
    finder (capitalised words) never takes for one; each is a name mention of the reader, which
    attribution reads like any other ('"Y/N!" Fred called' is said to the reader)."""
    taken = {m.start for m in story.mentions}
    new = [Mention(m.start(), m.end(), "Y/N", "name", paragraph=story.paragraph_at(m.start()),
                   in_quote=story.quote_at(m.start()), character_id=ch.id)
           for m in PLACEHOLDER.finditer(story.text, story.body_start, story.body_end) if m.start() not in taken]
    if new:
        story.mentions = sorted([*story.mentions, *new], key=lambda x: (x.start, -x.end))
        ch.alias_counts["Y/N"] = ch.alias_counts.get("Y/N", 0) + len(new)


def resolve(story: Story) -> None:
    chars = story.characters
    text = story.text
    narrator = find_narrator(story)
    gender = {c.id: c.gender for c in chars}
    sstarts = sentence_starts(story)
    lasts: dict[str, list[int]] = defaultdict(list)
    for c in chars:
        for a in c.alias_counts:
            if a[:1].isupper():
                for w in set(a.split()):
                    lasts[w].append(c.id)
    # history of (sentence index, character id, is subject), outside quotes
    history: list[tuple[int, int, bool]] = []
    sent_subject: dict[int, int] = {}
    nominal_links: dict[str, Counter[int]] = defaultdict(Counter)
    nominal_strong: dict[str, Counter[int]] = defaultdict(Counter)
    nominal_text: dict[str, str] = {}
    prev_link = None      # last linked mention outside quotes: (mention, char id)
    introduced: dict[str, tuple[int, int]] = {}     # "stout man" -> where "a stout man" came in (offset, sentence)
    ms = story.mentions
    for idx, m in enumerate(ms):
        if m.in_quote is not None:
            continue
        si = bisect.bisect_right(sstarts, m.start) - 1
        subj = si not in sent_subject
        if m.kind == "pronoun":
            if m.gender == "I":
                m.character_id = narrator
            elif m.gender in ("M", "F"):
                m.character_id = _pick(history, si, m.gender, gender, sentence_initial=_starts_sentence(
                    text, sstarts, si, m.start), subject_pos=m.text.lower() in ("he", "she"))
        elif m.kind == "new":
            introduced[" ".join(m.text.lower().split()[1:])] = (m.start, si)
        elif m.kind == "nominal" and m.character_id is None:
            words = m.text.lower().split()
            came_in = introduced.get(" ".join(words[1:])) if words[0] == "the" else None
            seen = history
            if came_in is not None and m.start - came_in[0] < NEW_PERSON_REACH:
                # "a stout man ... the stout man": someone new, not anyone named before he came in
                seen = [h for h in history if h[0] >= came_in[1]]
            nominal_text.setdefault(" ".join(words), " ".join(m.text.split()))
            m.character_id = _link_nominal(m, text, prev_link, seen, si, gender, lasts, chars,
                                           nominal_links, nominal_strong)
        if m.character_id is not None:
            if subj:
                sent_subject[si] = m.character_id
            history.append((si, m.character_id, subj))
            if len(history) > 64:
                del history[:32]
            prev_link = (m, m.character_id)
    _promote_nominal_aliases(chars, nominal_links, nominal_strong, nominal_text)


def _starts_sentence(text: str, sstarts: list[int], si: int, pos: int) -> bool:
    return si >= 0 and not text[sstarts[si]:pos].strip(" \n\"“‘'")


def _pick(history, si, g, gender, sentence_initial=False, subject_pos=False) -> int | None:
    recent = [h for h in history[-24:] if si - h[0] <= MAX_BACK_SENTENCES]
    cands = [h for h in recent if gender.get(h[1]) == g]
    if not cands:      # a character whose gender is unknown, then one further back
        cands = [h for h in recent if gender.get(h[1]) is None] or \
            [h for h in history[-64:] if si - h[0] <= FAR_BACK_SENTENCES and gender.get(h[1]) == g]
        if not cands:
            return None
    same = [c for c in cands if c[0] == si]
    if same and not sentence_initial:
        subjects = [c for c in same if c[2]]
        return subjects[0][1] if subjects else same[-1][1]
    if subject_pos:
        prev_s = max(c[0] for c in cands)
        subjects = [c for c in cands if c[0] == prev_s and c[2]]
        if subjects:
            return subjects[0][1]
    return cands[-1][1]


def _link_nominal(m, text, prev_link, history, si, gender, lasts, chars, nominal_links,
                  nominal_strong) -> int | None:
    words = m.text.split()
    det = words[0].lower()
    head = words[-1]
    key = " ".join(w.lower() for w in words)
    if prev_link is not None:
        pm, cid = prev_link
        between = text[pm.end:m.start]
        # apposition "Remus, the tired werewolf" and copula "Remus was the werewolf"
        if pm.kind == "name" and (between in (", ", ",\n") or between.strip() in ("was", "is",
                                                                                    "was a", "is a")):
            if det == "the":
                nominal_strong[key][cid] += 1
            return cid
    for w in words[1:]:
        ids = lasts.get(w) if w[:1].isupper() else None
        if ids:        # a family or name word: "the Ashgrove heir", "the Black heir"
            return max(ids, key=lambda c: chars[c].alias_counts.get(w, 0) + 0.001 * len(chars[c].aliases))
    if det in ("his", "her", "their", "my", "your", "our") or det not in ("the", "this", "that"):
        return None
    if det == "the" and (len(words) > 2 or head.lower() not in VAGUE_HEADS):
        # "the werewolf" after "Remus, the tired werewolf": one known epithet, or a shorter form
        mods = {w.lower() for w in words[1:-1]}
        owners = {c for k, cnt in nominal_strong.items() if k.split()[-1] == head.lower()
                  and mods <= set(k.split()[1:-1]) for c in cnt}
        if len(owners) == 1:
            cid = owners.pop()
            nominal_strong[key][cid] += 1
            return cid
    if m.gender is None:
        cands = [(s, cid) for s, cid, _ in history[-12:] if si - s <= 1]
        return cands[-1][1] if cands else None
    cid = _pick(history, si, m.gender, gender)
    if cid is not None:
        nominal_links[key][cid] += 1
    return cid


def _promote_nominal_aliases(chars: list[Character], links, strong, surface) -> None:
    """A description that keeps pointing at one character becomes one of its aliases."""
    taken: set[str] = {a.lower() for c in chars for a in c.aliases}
    for key in dict.fromkeys([*links, *strong]):     # not a set: its order would vary from run to run
        if key in taken:
            continue
        head = key.split()[-1]
        total = links[key] + strong[key]
        cid, n = total.most_common(1)[0]
        if head in VAGUE_HEADS:     # "the gentleman" alone says nothing; "the young man" a little
            need = MIN_VAGUE_LINKS if len(key.split()) > 2 else 10 ** 9
        else:
            need = MIN_NOMINAL_LINKS
        # by salience alone only an epithet ("the blond", "the young man"); a role ("the maid",
        # "the footman") is somebody else unless apposition or copula says so
        if strong[key][cid] >= 1 or (head in EPITHET_HEADS and n >= need and n >= 0.75 * sum(total.values())):
            ch = chars[cid]
            alias = surface.get(key, key)
            alias = alias[:1].lower() + alias[1:]     # "The blond" opening a sentence -> "the blond"
            ch.aliases.append(alias)
            ch.alias_counts[alias] = n
            taken.add(key)
