"""Stage after attribution: what the attributed quotes teach about the cast.

- Each character's `quotes` and `words` counts come from the quotes attributed to them.
- A vocative ("Where are you going, Pup?") names the quote's addressee, never its speaker.
  When the addressee is known (from attribution, or as the other side of a two-person
  exchange) and a vocative keeps naming the same character, it becomes one of their aliases.
  A vocative that is a short form of one character's given name ("Toby" for Tobias, "Loo"
  for Louisa) needs fewer votes.
- A description that spoke ("the old sailor growled") is an epithet of the named character
  the scene was just about, when that character is the only one of its sex named there and
  did not speak the quote before; it then joins that character.
- A woman known only as "Madame X" is the one woman of surname X named in full, unless the family
  has a "Miss X" or the two are named in one sentence (merged here, after attribution, so no quote moves).
- Characters who speak, or are named in a speech tag, are never pruned.
"""
from __future__ import annotations

import bisect
import re
from collections import Counter, defaultdict

from .characters import norm_surface
from .coref import GENERIC_HEADS
from .names import (DEMONYM_NOUNS, HYPOCORISMS, MARRIED, PERSON_NOUN_GENDER, PERSON_NOUNS, SPEECH_VERBS,
                    UNMARRIED_F, given_name_gender, parse_name)
from .story import Character, Story

MIN_VOCATIVE_VOTES = 2
# a character who never speaks, is "he"/"she" at most once and is named this seldom is no cast member
PRUNE_MAX_MENTIONS = 20
MIN_TITLED_KEPT = 9         # ... unless titled and named this often ("Mrs. Thomas", talked of in dialogue)
# how far back an epithet looks for the named character it may be (within its scene)
EPITHET_WINDOW = 3000
TAG_REACH = 40          # a speech tag sits this close to its quote
_SPEECH = "|".join(sorted(SPEECH_VERBS))
_SAID_AFTER = re.compile(rf"[\s,]{{0,3}}(?:{_SPEECH})\b")
_SAID_BEFORE = re.compile(rf"\b(?:{_SPEECH})\s+$")


def _titled(ch) -> bool:
    return any(parse_name(a).titles for a in ch.aliases)      # "Mrs. Thomas", named and titled


def _nominal_only(ch) -> bool:
    return all(a[:1].islower() for a in ch.aliases)      # "the croupier": known only by a description


def named_in_tags(story: Story) -> set[int]:
    """Characters a speech tag names ('"Wait," said Jory', 'Jory asked, "Why?"')."""
    text = story.text
    found: set[int] = set()
    qstarts = [q.start for q in story.quotes]
    for m in story.mentions:
        if m.kind != "name" or m.in_quote is not None or m.character_id is None or m.character_id in found:
            continue
        if not (_SAID_AFTER.match(text, m.end, m.end + 16) or
                _SAID_BEFORE.search(text, max(0, m.start - 16), m.start)):
            continue
        k = bisect.bisect_right(qstarts, m.start)
        before = story.quotes[k - 1] if k > 0 else None
        after = story.quotes[k] if k < len(story.quotes) else None
        if (before is not None and before.paragraph == m.paragraph and m.start - before.end <= TAG_REACH) or \
                (after is not None and after.paragraph == m.paragraph and after.start - m.end <= TAG_REACH):
            found.add(m.character_id)
    return found


def _renumber(story: Story, keep: list[Character], into: dict[int, int] | None = None) -> None:
    """Keep these characters (in order), pointing the ids in `into` (old -> old) at their new home."""
    new_id = {ch.id: i for i, ch in enumerate(keep)}
    for old, target in (into or {}).items():
        new_id[old] = new_id[target]
    for i, ch in enumerate(keep):
        ch.id = i
    story.characters = keep
    for m in story.mentions:
        if m.character_id is not None:
            m.character_id = new_id.get(m.character_id)
    for q in story.quotes:
        if q.speaker_id is not None:
            q.speaker_id = new_id.get(q.speaker_id)
            q.speaker = keep[q.speaker_id].name if q.speaker_id is not None else None
        if q.addressee_ids:
            ids = list(dict.fromkeys(new_id[a] for a in q.addressee_ids if a in new_id and new_id[a] != q.speaker_id))
            q.addressee_ids = ids
            q.addressees = [keep[a].name for a in ids]


def prune_cast(story: Story) -> None:
    """Drop silent walk-ons (places, books, people only talked about) and renumber the cast."""
    pron = Counter(m.character_id for m in story.mentions if m.kind == "pronoun" and m.character_id is not None)
    addressed = Counter(i for q in story.quotes for i in q.addressee_ids)
    tagged = named_in_tags(story)
    called = {m.character_id for m in story.mentions if m.kind == "vocative"}
    keep = [ch for ch in story.characters
            if ch.source != "text" or ch.narrator or ch.quotes > 0 or ch.id in tagged or ch.id in called or
            (not _nominal_only(ch) and (ch.mentions > PRUNE_MAX_MENTIONS or pron[ch.id] > 1 or addressed[ch.id] > 1
                                        or (ch.mentions >= MIN_TITLED_KEPT and _titled(ch))))]
    if len(keep) < len(story.characters):
        _renumber(story, keep)


def _scene_start(story: Story, pos: int) -> int | None:
    """Where the scene holding `pos` begins, if that is near (a short scene, or its opening)."""
    k = bisect.bisect_right([s.start for s in story.scenes], pos) - 1
    start = story.scenes[k].start if k >= 0 else story.body_start
    return start if pos - start <= EPITHET_WINDOW else None


def epithet_owners(story: Story) -> dict[int, int]:
    """Speaking descriptions that are epithets of a named character: {description id: character id}.

    "Captain Hatch was arguing with the harbourmaster. 'No boat,' said Penhallow. 'I won't
    have one,' the old sailor growled." Early in a scene where one voice has spoken so far,
    a description that answers it is the one other man (woman) the scene has named. A
    description introduced as new ("a stout man ... the stout man said") is someone new.
    """
    chars = story.characters
    text = story.text
    ms = story.mentions
    first: dict[int, int] = {}
    for idx, m in enumerate(ms):
        if m.kind == "nominal" and m.in_quote is None and m.character_id is not None:
            first.setdefault(m.character_id, idx)
    first_quote: dict[int, int] = {}
    for q in story.quotes:
        if q.speaker_id is not None:
            first_quote.setdefault(q.speaker_id, q.i)
    owners: dict[int, int] = {}
    starts = [m.start for m in ms]
    for cid, idx in first.items():
        d = chars[cid]
        if d.source != "text" or d.narrator or not _nominal_only(d) or cid not in first_quote:
            continue
        m = ms[idx]
        words = m.text.split()
        if words[0].lower() != "the":
            continue
        head = words[-1].lower()
        qd = story.quotes[first_quote[cid]]
        pos = min(m.start, qd.start)
        lo = _scene_start(story, pos)
        if lo is None:
            continue
        if re.search(r"\b[Aa]n?\s+(?:[\w-]+\s+){0,3}" + re.escape(head) + r"\b", text[lo:m.start]):
            continue        # "a stout man ... said the stout man": a new person
        gender = d.gender or PERSON_NOUN_GENDER.get(head)
        if gender is None:
            continue
        voices = {q.speaker_id for q in story.quotes[:qd.i] if q.start >= lo}
        if len(voices) != 1 or None in voices:
            continue
        # one voice so far in the scene: the description answers it, and is the one other
        # man (woman) the scene has named
        cands: set[int] = set()
        for n in ms[bisect.bisect_left(starts, lo):idx]:
            if n.kind != "name" or n.in_quote is not None or n.character_id is None or n.character_id == cid:
                continue
            c = chars[n.character_id]
            if not _nominal_only(c) and c.gender == gender and c.id not in voices:
                cands.add(c.id)
        if len(cands) == 1:
            owners[cid] = cands.pop()
    return owners


def _absorb(story: Story, owners: dict[int, int], take_gender: bool = False) -> list[tuple[str, str]]:
    """Fold each character into its owner (names, counts, quotes) and renumber the cast;
    returns the (absorbed, owner) names."""
    chars = story.characters
    for cid, oid in owners.items():
        d, c = chars[cid], chars[oid]
        for a in d.aliases:
            if a not in c.aliases:
                c.aliases.append(a)
                c.alias_counts[a] = d.alias_counts.get(a, 0)
        c.quotes += d.quotes
        c.words += d.words
        c.mentions += d.mentions
        if take_gender:
            c.gender = c.gender or d.gender
    _renumber(story, [ch for ch in chars if ch.id not in owners], owners)
    return [(chars[c].name, chars[o].name) for c, o in owners.items()]


def merge_epithets(story: Story) -> list[tuple[str, str]]:
    owners = epithet_owners(story)
    return _absorb(story, owners, take_gender=True) if owners else []


# titles a wife or widow is known by with her (husband's) surname alone: "Mrs. X", "Madame X", "Countess X"
WIFE_TITLES = MARRIED | {"lady", "countess", "duchess", "baroness", "marchioness", "princess"}
MIN_WIFE_NAMED = 5          # the woman named in full at least this often (with her bare given name)
MIN_MISS_GIVEN = 2          # "Miss <her given name>" this often says she is unmarried


def _wife_surname(ch: Character) -> str | None:
    """The surname of a woman known only as "Mrs. X" / "Madame X" (or bare "X"), else None."""
    if ch.gender != "F" or not ch.aliases:
        return None
    surname, titled = None, False
    for a in ch.aliases:
        if a[:1].islower():
            continue        # a description coref gave her ("the only guest")
        p = parse_name(a)
        if len(p.core) != 1 or not p.core[0][:1].isupper() or (p.titles and not set(p.titles) <= WIFE_TITLES):
            return None
        if surname not in (None, p.core[0]):
            return None
        surname, titled = p.core[0], titled or bool(p.titles)
    return surname if titled else None


def only_wives(story: Story) -> dict[int, int]:
    """{wife id: woman id}: "Madame Olenska" and "Countess Olenska" are "Ellen Olenska" when she is the one
    woman of that surname named in full and no one is ever "Miss Olenska" (a daughter or niece would be)
    nor, twice or more, "Miss Ellen" (she is unmarried). Decided after attribution, which the merge then
    leaves alone: done before it, the larger character drew other people's quotes."""
    chars = story.characters
    full: dict[str, list[Character]] = defaultdict(list)     # surname -> women named "<Given> <Surname>"
    for ch in chars:
        if ch.gender == "M" or _nominal_only(ch):
            continue
        for a in ch.alias_counts:
            p = parse_name(a)
            if len(p.core) >= 2 and not set(p.titles) & MARRIED and p.core[0][:1].isupper():
                if ch not in full[p.core[-1]]:
                    full[p.core[-1]].append(ch)
    miss: Counter[str] = Counter()
    for m in story.mentions:
        if m.kind in ("name", "vocative"):
            p = parse_name(norm_surface(m.text))
            if p.titles and p.titles[-1] in UNMARRIED_F and p.core:
                miss.update({p.core[0], p.core[-1]})
    owners: dict[int, int] = {}
    for ch in chars:
        x = _wife_surname(ch) if ch.source == "text" else None
        if x is None or len(full.get(x, ())) != 1 or miss[x]:
            continue
        w = full[x][0]
        given = {parse_name(a).core[0] for a in w.alias_counts if len(parse_name(a).core) >= 1}
        if w.gender != "F" or w.id == ch.id or sum(w.alias_counts.values()) < MIN_WIFE_NAMED or \
                any(miss[g] >= MIN_MISS_GIVEN for g in given):
            continue
        owners[ch.id] = w.id
    if owners:
        apart = _named_together(story, set(owners) | set(owners.values()))
        owners = {c: w for c, w in owners.items() if frozenset((c, w)) not in apart}
    return owners


SENTENCE_END = re.compile(r"[.!?;]")
TOGETHER_REACH = 200


def _named_together(story: Story, ids: set[int]) -> set[frozenset[int]]:
    """Pairs of these characters named in one sentence of narration ("Mrs. Theobald, using plain language
    about Lilia"): two people, a mother and her daughter, not one woman under two names."""
    ms = [m for m in story.mentions if m.kind == "name" and m.in_quote is None and m.character_id in ids]
    found: set[frozenset[int]] = set()
    for i, m in enumerate(ms):
        for o in ms[i + 1:]:
            if o.start - m.end > TOGETHER_REACH or SENTENCE_END.search(story.text, m.end, o.start):
                break
            if o.character_id != m.character_id:
                found.add(frozenset((m.character_id, o.character_id)))
    return found


def merge_wives(story: Story) -> list[tuple[str, str]]:
    owners = only_wives(story)
    return _absorb(story, owners) if owners else []


def short_form_of(surface: str, ch: Character) -> bool:
    """Is a one-word vocative a short form of the character's given name ("Toby" -> Tobias, "Loo" -> Louisa)?"""
    if " " in surface or len(surface) < 3 or not surface[:1].isupper():
        return False
    for a in ch.aliases:
        p = parse_name(a)
        if not p.core or not p.core[0][:1].isupper() or (len(p.core) == 1 and p.titles):
            continue        # "Mr. Darcy": a surname
        given = p.core[0]
        if HYPOCORISMS.get(surface) == given or (len(given) > len(surface) and given[:2] == surface[:2]):
            return True
    return False


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


def _vocative_owner(surface: str, counter: Counter[int], chars: list[Character]) -> int | None:
    total = sum(counter.values())
    if counter:
        ranked = counter.most_common(2)
        cid, n = ranked[0]
        runner_up = ranked[1][1] if len(ranked) > 1 else 0
        if n >= MIN_VOCATIVE_VOTES and (n >= 0.6 * total or (n >= 0.5 * total and n > runner_up)):
            return cid
    # a short form of one voter's given name ("Loo" mostly said to Louisa) needs less
    short = [c for c in counter if short_form_of(surface, chars[c])]
    if len(short) == 1 and counter[short[0]] >= max(1, 0.3 * total):
        return short[0]
    # a known pet form of exactly one character's given name ("Toby" for Tobias)
    canon = HYPOCORISMS.get(surface)
    if canon:
        owners = [c.id for c in chars if any(parse_name(a).core[:1] == (canon,) for a in c.aliases)]
        if len(owners) == 1 and counter[owners[0]] >= 0.3 * total:
            return owners[0]
    return None


# what a kin word said to someone tells of her or his sex ("Mother", "Dad")
KIN_GENDER = {"granny": "F", "grandmamma": "F", "grandmother": "F", "grandma": "F", "grandpapa": "M", "grandpa": "M",
              "grandfather": "M", "mamma": "F", "mama": "F", "mum": "F", "mummy": "F", "mother": "F", "papa": "M",
              "pappa": "M", "father": "M", "dad": "M", "daddy": "M", "nanny": "F", "uncle": "M", "aunt": "F",
              "auntie": "F"}


def _given_name_owner(surface: str, chars: list[Character]) -> int | None:
    """The one character whose full name begins with this given name ("Alfred" -> Alfred Inglethorp)."""
    if " " in surface or not given_name_gender(surface):
        return None
    owners = set()
    for ch in chars:
        for a in ch.alias_counts:
            p = parse_name(a)
            if len(p.core) >= 2 and p.core[0] == surface and (not p.titles or not set(p.titles) & MARRIED) and \
                    (ch.gender is None or ch.gender == given_name_gender(surface)):
                owners.add(ch.id)       # not "Mrs. John Dashwood" for "John"
    return owners.pop() if len(owners) == 1 else None


def vocative_aliases(story: Story) -> None:
    """Vocatives that keep naming one addressee become that character's aliases."""
    chars = story.characters
    votes: dict[str, Counter[int]] = defaultdict(Counter)
    unlinked: dict[str, list] = defaultdict(list)      # surface -> its vocatives that name no one yet
    for m in story.mentions:
        if m.kind != "vocative" or m.in_quote is None or m.in_quote >= len(story.quotes):
            continue
        q = story.quotes[m.in_quote]
        if m.character_id is not None and m.character_id == q.speaker_id:
            m.character_id = None           # a vocative never names the speaker
        if m.character_id is None:
            surface = norm_surface(m.text)
            unlinked[surface].append(m)
            cid = _addressee(story, m.in_quote)
            counter = votes[surface]
            if cid is not None and cid != q.speaker_id:
                counter[cid] += 1
    taken = {a.lower() for ch in chars for a in ch.aliases}
    for surface, counter in votes.items():
        if surface.lower() in taken:
            continue
        cid = _vocative_owner(surface, counter, chars)
        implied = KIN_GENDER.get(surface.lower())
        if cid is not None and implied and chars[cid].gender not in (None, implied):
            continue        # "Mother" said to Mr. Morland: the votes went astray
        if cid is None:
            cid = _given_name_owner(surface, chars)
        if cid is None:
            if story.known_cast or not given_name_gender(surface):
                continue
            # "Martha, tell me": a person only ever spoken to, by a given name
            ch = Character(len(chars), surface, [], {}, gender=given_name_gender(surface))
            chars.append(ch)
            cid = ch.id
        ch = chars[cid]
        ch.aliases.append(surface)
        ch.alias_counts[surface] = len(unlinked[surface])
        taken.add(surface.lower())
        for m in unlinked[surface]:
            m.character_id = cid


# a description in a speech tag next to a quote: '"...," said the old Jew.' / '"...," the Jew replied.'
_DESC = r"([Tt]he\s+(?:[a-z][\w'-]*\s+){0,2}[A-Za-z][\w'-]*)"
_TAG_DESC_AFTER = re.compile(rf"[\"'”’]*[ \t]*,?[ \t]*(?:(?:{_SPEECH})\s+{_DESC}(?=[\s,.;:!?—])|{_DESC}\s+(?:{_SPEECH})\b)")
MIN_TAG_EPITHET = 5         # tags of one description ...
TAG_EPITHET_SHARE = 0.75    # ... whose quotes attribution gives this often to one named character


def tag_epithets(story: Story) -> None:
    """'"...," said the Jew.' again and again, the quotes going to one named character: the description
    is one of that character's names (an epithet the text uses for him: "the Jew", "the Frenchman").
    Only descriptions that are no character of their own; their quotes are already attributed."""
    text = story.text
    taken = {a.lower() for ch in story.characters for a in ch.aliases}
    votes: dict[str, Counter[int]] = defaultdict(Counter)
    surface: dict[str, str] = {}
    for q in story.quotes:
        m = _TAG_DESC_AFTER.match(text, q.end, q.end + 60)
        if m is None:
            continue
        desc = " ".join((m.group(1) or m.group(2)).split())
        head = desc.split()[-1].lower()
        if (head not in PERSON_NOUNS and head not in DEMONYM_NOUNS) or head in GENERIC_HEADS:
            continue        # "the girl", "the young man" fit anyone of that sex and age
        key = desc.lower()
        surface.setdefault(key, "t" + desc[1:])
        votes[key][q.speaker_id] += 1
    for key, c in votes.items():
        if key in taken:
            continue
        cid, n = c.most_common(1)[0]
        ch = story.character(cid)
        if ch is None or n < MIN_TAG_EPITHET or n < TAG_EPITHET_SHARE * sum(c.values()) or _nominal_only(ch):
            continue
        head = key.split()[-1]
        g = PERSON_NOUN_GENDER.get(head) or DEMONYM_NOUNS.get(head)
        if g is not None and ch.gender is not None and g != ch.gender:
            continue
        ch.aliases.append(surface[key])
        ch.alias_counts[surface[key]] = n
        taken.add(key)


def untitled_variants(story: Story) -> None:
    """"Mr. Robert Ferrars" is also written "Robert Ferrars" there: the full name without its
    title becomes an alias too (not after Mrs., which often takes the husband's names)."""
    taken = {a.lower() for ch in story.characters for a in ch.aliases}
    for ch in story.characters:
        for a, n in list(ch.alias_counts.items()):
            p = parse_name(a)
            if not p.titles or len(p.core) < 2 or p.honorific or set(p.titles) & MARRIED:
                continue
            words = a.split()
            bare = " ".join(words[len(words) - len(p.core):])
            if bare.lower() not in taken and bare[:1].isupper():
                ch.aliases.append(bare)
                ch.alias_counts[bare] = ch.alias_counts.get(bare, 0) + n
                taken.add(bare.lower())


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
    vocative_aliases(story)
    untitled_variants(story)
    tag_epithets(story)
    if not story.known_cast:
        merge_epithets(story)
        merge_wives(story)
        prune_cast(story)
    return story
