"""Stage 5: characters — cluster name mentions into a cast, each with aliases and gender.

Distinct name strings (never individual mentions) are clustered, fullest forms first:
"Fitzwilliam Darcy" founds a character, "Mr. Darcy" joins the only male Darcy, a bare
"Darcy" joins the most salient Darcy of compatible gender, "Lizzy" joins "Elizabeth".
Prohibitions keep apart Mr. and Mrs. of one surname, Miss and Mrs., and two given names
of one family. Pronouns that follow a name give its gender; titles outweigh them.
Then coref.py links pronouns, person nouns and the first-person narrator.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict, deque

from . import coref
from .coref import GENERIC_HEADS, NEW_PERSON_REACH
from .mentions import CAP_WORD, FUNCTION_WORDS, PARTICLES, WordStats, story_stats
from .names import (FAMOUS_FIGURES, noun_gender, patronymic_gender, GIVEN_NAME_GENDER, given_name_gender, RANKS, TITLES, HYPOCORISMS, PERSON_NOUN_GENDER, PERSON_NOUNS, MARRIED, NOT_NAMES, PLACE_WORDS, PLACES, SOFT_TITLES, SPEECH_VERBS,
                    SURNAME_TITLES, UNMARRIED_F, NameParts, canonical_given, genders_compatible,
                    parse_name)
from .story import Character, Story

PLACE_PREPS = {"in", "from", "near", "into", "through", "across", "around", "within", "inside",
               "outside", "at", "towards", "toward", "to", "of", "leave", "left", "reached", "visit",
               "visited"}
AGENT_VERBS = set("""was had is has did could would should might must will may can felt saw made took
came went thought knew looked turned smiled laughed sat stood walked answered replied asked told gave
got began seemed tried wanted wished hoped heard found kept left met ran rose spoke wrote read
""".split())
STRICT_PLACE_PREPS = {"in", "from", "near", "into", "through", "across", "within", "inside", "outside",
                      "at", "to", "towards", "toward", "leave", "left", "leaving", "quitting", "reach",
                      "reached", "visit", "visited"}
_PREV_WORD = re.compile(r"([A-Za-z]+)[^A-Za-z]{0,3}$")
# "said Penhallow", "said the Duchess", "said Harbourmaster Penhallow" (a role word before the name)
_SAID_BEFORE = re.compile(r"\b(?:" + "|".join(sorted(SPEECH_VERBS)) + r")\s+(?:the\s+)?(?:[A-Z][a-z]+\s+)?$")
_NEXT_WORD = re.compile(r"[\s,]{0,3}([a-z]+)")     # used with .match(text, pos)
_WS = re.compile(r"\s+")

# at most 30 characters plus one per 2,500 characters of text (~250 for a 100,000-word novel)
MAX_CAST_BASE = 30
CHARS_PER_EXTRA_CHARACTER = 2500
PLAIN_TITLES = {"mr", "mrs", "miss", "ms", "master"}    # "Mr. William Sikes" is "Bill Sikes"
# a name never seen speaking or spoken to is a character only when this frequent
MIN_MENTIONS_TITLED = 3
MIN_MENTIONS_UNTITLED = 5
MIN_TALKED_OF = 9         # a titled name seen only in dialogue
MIN_VOCATIVES = 3         # a pet name only ever said to someone ("Pup") waits for cast_refine


def norm_surface(text: str) -> str:
    return _WS.sub(" ", text.replace("\u2019", "'")).strip()


class Cand:
    """A character being assembled from name strings."""

    def __init__(self, i: int, source: str = "text") -> None:
        self.i = i
        self.surfaces: Counter[str] = Counter()
        self.firsts: set[str] = set()
        self.given: set[str] = set()        # first names used without a title (real given names)
        self.lasts: set[str] = set()
        self.titles: set[str] = set()
        self.title_gender: Counter[str] = Counter()
        self.pron: Counter[str] = Counter()
        self.said = 0
        self.voc = 0
        self.agent = 0
        self.narr = 0
        self.place = 0
        self.source = source
        self.name: str | None = None
        self.given_aliases: list[str] = []
        self.fixed_gender: str | None = None
        self.given_pron: Counter[str] = Counter()   # pronouns after the bare given name
        self.young = False                  # the "young Tom" of a family with an elder Thomas

    @property
    def count(self) -> int:
        return sum(self.surfaces.values())

    def gender(self) -> str | None:
        if self.fixed_gender:
            return self.fixed_gender
        if self.title_gender:
            (g, n), = self.title_gender.most_common(1)
            if n >= 0.7 * sum(self.title_gender.values()):
                return g
        m = self.pron["M"] + self.given_pron["M"]
        f = self.pron["F"] + self.given_pron["F"]
        name_g = next((g for g in map(given_name_gender, sorted(self.given)) if g), None) or \
            next((g for g in map(patronymic_gender, sorted(self.lasts)) if g), None)
        if m + f >= 2 and max(m, f) >= 0.65 * (m + f):
            g = "M" if m > f else "F"
            # "James", "John": a few nearby she's (a sister's) do not outweigh the name
            if name_g is None or g == name_g or (m + f >= 6 and max(m, f) >= 0.8 * (m + f)):
                return g
        if name_g:
            return name_g
        if m != f and self.count <= 3 or m + f >= 2 and max(m, f) >= 0.55 * (m + f):
            return "M" if m > f else "F"
        return None


class SurfaceInfo:
    __slots__ = ("text", "parts", "count", "narr", "pron", "place", "said", "voc", "agent", "the", "place_q")

    def __init__(self, text: str, parts: NameParts) -> None:
        self.text = text
        self.parts = parts
        self.count = self.narr = self.place = self.said = self.voc = self.agent = self.the = self.place_q = 0
        self.pron: Counter[str] = Counter()

    def gender(self) -> str | None:
        g = self.parts.gender
        if g:
            return g
        if len(self.parts.core) == 1 and not self.parts.titles:
            g = TITLES.get(self.parts.core[0].lower())      # "the Duchess"
            if g:
                return g
        m, f = self.pron["M"], self.pron["F"]
        if (m + f >= 3 and max(m, f) >= 0.7 * (m + f)) or (m + f == 2 and min(m, f) == 0):
            return "M" if m > f else "F"
        return None


def _join_particles(core: tuple[str, ...]) -> tuple[str, ...]:
    """("Catherine", "De", "Bourgh") -> ("Catherine", "de Bourgh")."""
    out: list[str] = []
    pending = ""
    for k, w in enumerate(core):
        if w.lower() in PARTICLES and k + 1 < len(core):
            pending += w.lower() + " "
        else:
            out.append(pending + w)
            pending = ""
    return tuple(out)


def collect_surfaces(story: Story) -> dict[str, SurfaceInfo]:
    """Counts and context evidence for every distinct name string."""
    text = story.text
    infos: dict[str, SurfaceInfo] = {}
    ms = story.mentions
    for idx, m in enumerate(ms):
        if m.kind not in ("name", "vocative"):
            continue
        key = norm_surface(m.text)
        info = infos.get(key)
        if info is None:
            parts = parse_name(key)
            parts = NameParts(parts.titles, _join_particles(parts.core), parts.honorific)
            info = infos[key] = SurfaceInfo(key, parts)
        info.count += 1
        if m.kind == "vocative":
            info.voc += 1
        if text[max(0, m.start - 4):m.start] in ("the ", "The "):
            info.the += 1       # "the Osprey", "the Ganges": ships, rivers, houses
        if m.in_quote is not None:
            pm = _PREV_WORD.search(text, max(0, m.start - 16), m.start)
            if pm and pm.group(1) in STRICT_PLACE_PREPS:
                info.place_q += 1       # '"You go over to Pigstanton"'
            continue
        info.narr += 1
        pm = _PREV_WORD.search(text, max(0, m.start - 16), m.start)
        prev = pm.group(1) if pm else ""
        if prev in STRICT_PLACE_PREPS:
            info.place += 1
        nm = _NEXT_WORD.match(text, m.end, m.end + 16)
        nxt = nm.group(1) if nm else ""
        if _speech_tag(text, m, nm, nxt):
            info.said += 1
        if nxt in AGENT_VERBS or (nxt.endswith("ed") and len(nxt) > 4) or text.startswith("'s", m.end) \
                or text.startswith("\u2019s", m.end):
            info.agent += 1     # "Elizabeth felt", "Darcy's": what people do and own
        # gender vote: the next he/she in this paragraph, before any other person mention
        for k in range(idx + 1, min(idx + 12, len(ms))):
            n = ms[k]
            if n.paragraph != m.paragraph or n.start - m.end > 200:
                break
            if n.in_quote is not None:
                continue
            if n.kind in ("name", "nominal"):
                break
            if n.kind == "pronoun" and n.gender in ("M", "F"):
                info.pron[n.gender] += 1
                break
    return infos


_NAMING = {"called", "named", "termed"}
_QUOTE_CLOSERS = set('"\u201d\u2019\'')
_TAG_OPENERS = set('"\u201c\u201d\u2018\u2019\',!?;:\u2014\u2013-.(')
_MODIFIED = re.compile(r" ([a-z]+)\b")     # "said the Radical member": the name only qualifies a noun
_NOT_NOUN_AFTER = {"to", "with", "in", "at", "from", "as", "and", "but", "for", "of", "on", "again", "once",
                   "then", "too", "after", "before", "into", "without", "who", "while", "when", "not", "at"}


def _after_quote(text: str, k: int) -> bool:
    """Does a quote close shortly before position k, in the same sentence ('"Hein!" ejaculated or,
    rather, growled the Baron')?"""
    back = text[max(0, k - 40):k]
    q = max(back.rfind(c) for c in _QUOTE_CLOSERS)
    return q >= 0 and not any(c in back[q + 1:] for c in ".\n")


def _speech_tag(text: str, m, nm, nxt: str) -> bool:
    """Is the name in a speech tag? "'Yes,' said Jory" / "Jory said"; not "a horse called
    Thunderclap", "clerks asked Lakshmi for", "the Tuileries, called it", "said the Radical member"."""
    if nxt in SPEECH_VERBS:
        return nxt not in _NAMING or "," not in text[m.end:nm.start(1)]    # "the Tuileries, called it"
    sb = _SAID_BEFORE.search(text, max(0, m.start - 36), m.start)
    if sb is None:
        return False
    k = sb.start() - 1
    while k >= 0 and text[k] in " \t\n":
        k -= 1
    if k >= 0 and (text[k] not in _TAG_OPENERS or text[k] == "," and not _after_quote(text, k)):
        return False        # "a place called Etretat", "Mr. Pike, asked Ben why": naming, not speaking
    if text[sb.start():m.start].split()[1:2] == ["the"]:
        after = _MODIFIED.match(text, m.end)
        if after and after.group(1) not in _NOT_NOUN_AFTER and not after.group(1).endswith("ly"):
            return False
    return True


_PLACE_SUFFIX = re.compile(r"[a-z](?:shire|chester|caster|minster|borough|bury|bridge)$")


def _saint(w: str) -> bool:
    return w in ("St", "St.", "Saint")     # inside a name it begins a surname ("St Cloud", "St. John")


def _is_person_surface(info: SurfaceInfo, place_tokens: set[str], stats: WordStats | None,
                       led_places: frozenset[str] = frozenset(), alone: frozenset[str] = frozenset()) -> bool:
    parts = info.parts
    if not parts.core:
        return False
    titled = bool([t for t in parts.titles if t not in SOFT_TITLES]) or parts.honorific
    if parts.core[-1].split()[-1] in FAMOUS_FIGURES and not info.said and not set(parts.titles) & PLAIN_TITLES:
        return False        # "Lord Byron", "Mozart", "Shri Krishna": talked about, never present
    if len(parts.core) == 1 and any(w in PLACES or (w in NOT_NAMES and not (stats and w in stats.names))
                                    for w in parts.core[0].split("-")):
        return False        # "Anglo-India", "Anglo-Saxon"
    if (parts.core[-1] in PLACE_WORDS or parts.core[-1] in PLACES) and not titled:
        return False
    if len(parts.core) > 1 and parts.core[-1] in GEOGRAPHIC:
        return False        # "Prince Edward Island", "King William Street": a title does not make it a person
    if not titled and len(parts.core) > 1 and any(w in PLACE_WORDS for w in parts.core if not _saint(w)):
        return False        # "Green Gables", "Summer Street Hall" (but "Reggie St Cloud")
    if not any(ch in "aeiouyAEIOUYàáâäèéêëìíîïòóôöùúûü" for w in parts.core for ch in w):
        return False        # "Th", "Hm": sounds, not names
    if stats is not None and not titled:
        for w in parts.core:
            if "-" in w and all(stats.lower[x.lower()] > stats.cap_mid[x] for x in w.split("-") if x):
                return False    # "Good-bye", "Bow-wow"
    if parts.core[0] in ("St", "St.", "Saint", "San", "Santa") and not titled:
        return False        # "St. James", "Saint Saviour": churches and streets ("Lady St Cloud" is a person)
    lifted = stats.names if stats is not None else set()      # "May" of "May Welland"
    if any(w in NOT_NAMES and w not in lifted for w in parts.core) or any(len(w) < 2 for w in parts.core):
        return False
    if len(parts.core) == 1 and parts.core[0].endswith("s") and stats is not None:
        # plural of a name: "the Bennets", "the Miss Lucases" are families, not characters
        w = parts.core[0]
        enough = max(2, 0.3 * stats.cap_mid[w])     # "Brittles" is a name though "Brittle" occurs once
        if stats.cap_mid[w[:-1]] >= enough or (w.endswith("es") and stats.cap_mid[w[:-2]] >= enough):
            return False
    if titled:
        return True
    if len(parts.core) > 1 and info.the >= 3 and info.the >= 0.8 * info.count and not info.said and \
            not any(w in alone or given_name_gender(w) for w in parts.core) and \
            parts.core[-1].lower() not in TITLES and parts.core[-1].lower() not in PERSON_NOUN_GENDER:
        return False        # "the Kawa Dol": a thing (but "the Artful Dodger" is also "Dodger", "the Dark Lord" a man)
    if len(parts.core) == 1 and info.the >= 2 and info.the >= 0.6 * info.count and not info.said:
        return False        # a bare name mostly written "the X" is a thing ("the Osprey limped in")
    if len(parts.core) == 1 and info.said <= 1 and _PLACE_SUFFIX.search(parts.core[0]):
        return False        # "Knightsbridge", "Hertfordshire", "Westminster" (but "said Slackbridge" speaks, often)
    if len(parts.core) == 1 and not info.said and info.the >= 2 and info.place + info.place_q >= 2 and \
            info.the + info.place + info.place_q >= 0.6 * info.count:
        return False        # "the Pigstanton met twice a week", "drove into Pigstanton": a hunt, a town
    if len(parts.core) == 1 and parts.core[0] in led_places and info.said <= 1:
        return False        # "the Chateau de Chillon": "Chillon" is a place, whatever one tag seemed to say
    if info.said:
        return True
    if len(parts.core) == 1 and (parts.core[0] in place_tokens or parts.core[0] in PLACES):
        return False
    if len(parts.core) > 1 and given_name_gender(parts.core[0]):
        return True         # "introduced to Charlotte Lucas": a given name and a surname
    if info.place >= 0.4 * info.narr and info.place >= 1:
        return False        # "at Longbourn", "to London": a place
    return True


class CastBuilder:
    def __init__(self, infos: dict[str, SurfaceInfo], given: bool = False) -> None:
        self.infos = infos
        self.cands: list[Cand] = []
        self.by_surface: dict[str, Cand] = {}
        self.given = given          # a known cast: never create characters
        self.elders: set[tuple[str, str]] = set()   # ("mr", surname) seen as "old Mr. X"
        self.youngs: set[str] = set()       # canonical given names often written "young Tom"
        self.young_checked: dict[str, bool] = {}
        self.sisters: set[str] = set()      # surnames written "the Miss Steeles", "the Misses Steele"
        self.shared: dict[str, list[Cand]] = {}     # "John": Sir John Middleton, John Dashwood
        self.min_shared = MIN_SHARED_SUPPORT
        # "Miss Julia" said of a Bertram: title -> surname -> given names used with the bare title
        self.titled_given: dict[str, dict[str, set[str]]] = _titled_given(infos)
        self.by_token: dict[str, dict[int, Cand]] = {}
        self.by_canon: dict[str, dict[int, Cand]] = {}
        self.by_prefix: dict[str, dict[int, Cand]] = {}

    def new(self, source: str = "text") -> Cand | None:
        if self.given:
            return None
        c = Cand(len(self.cands), source)
        self.cands.append(c)
        return c

    def reindex(self, c: Cand) -> None:
        """Token indexes, so each name string looks only at the characters sharing a word with it."""
        for w in c.firsts | c.lasts | c.given:
            self.by_token.setdefault(w, {})[c.i] = c
        for f in c.given:
            self.by_canon.setdefault(canonical_given(f), {})[c.i] = c
            self.by_prefix.setdefault(f[:3], {})[c.i] = c

    def related(self, *tokens: str) -> list[Cand]:
        """Characters that may match a name made of these words (exactly, short form or prefix)."""
        found: dict[int, Cand] = {}
        for t in tokens:
            found.update(self.by_token.get(t, {}))
            found.update(self.by_canon.get(canonical_given(t), {}))
            found.update(self.by_prefix.get(t[:3], {}))
        return [found[i] for i in sorted(found)]

    def assign(self, c: Cand, info: SurfaceInfo) -> None:
        c.surfaces[info.text] += info.count
        c.pron.update(info.pron)
        c.said += info.said
        c.voc += info.voc
        c.agent += info.agent
        c.narr += info.narr
        c.place += info.place
        g = info.parts.gender
        if g:
            c.title_gender[g] += info.count
        self.by_surface[info.text] = c
        self.reindex(c)

    def add_full(self, info: SurfaceInfo, source: str = "text") -> Cand | None:
        core = info.parts.core
        first, last = core[0], core[-1]
        g = info.gender()
        titled = set(info.parts.titles) - SOFT_TITLES
        hits = [c for c in self.related(first, last) if genders_compatible(g, c.gender()) and
                (first in c.lasts and last in c.firsts) or   # surname-first: "Black Sirius"
                last in c.lasts and genders_compatible(g, c.gender()) and
                (first in c.firsts or
                 # "Tom Bertram" is not his father "Sir Thomas Bertram": short forms need equal titles
                 (canonical_given(first) in {canonical_given(f) for f in c.given} and
                  titled - PLAIN_TITLES == c.titles - SOFT_TITLES - PLAIN_TITLES))]
        c = max(hits, key=lambda c: c.count) if hits else self.new(source)
        if c is None:
            return None
        c.firsts.add(first)
        c.given.add(first)
        c.lasts.add(last)
        c.lasts.add(last.split()[-1])
        first_info = self.infos.get(first)
        if first_info is not None and first_info is not info:
            c.given_pron.update(first_info.pron)
        c.titles.update(info.parts.titles)
        self.assign(c, info)
        return c

    def add_titled(self, info: SurfaceInfo) -> Cand | None:
        t = info.parts.core[0]
        titles = [k for k in info.parts.titles if k not in SOFT_TITLES]
        k = titles[-1]
        g = info.gender()
        surname_title = k in SURNAME_TITLES
        canon = canonical_given(t)
        if k in ("mr", "master") and self.young_split(canon):
            return self.add_young(info, canon)      # "Mr. Tom", "Master Thomas": the son, as servants say
        hits = []
        related = self.related(t)
        real = [c for c in related if not self.stray(c)]
        related = real if len(real) < len(related) and real else related
        for c in related:
            by_last = t in c.lasts
            by_first = (not surname_title or k in UNMARRIED_F) and given_match(t, c)
            if by_first and not by_last and k in HONOURS and k not in c.titles:
                by_first = False    # "Sir John" is no plain "John Smith" (he would be "Sir John Smith")
            if not (by_last or by_first):
                continue
            cg = c.gender()
            if not genders_compatible(g, cg):
                continue
            if by_last and not by_first:
                if k in MARRIED and c.titles & (UNMARRIED_F | {"lady"}):
                    continue      # Mrs. and Miss of one surname are two women
                if k in UNMARRIED_F and c.titles & (MARRIED | {"lady"}):
                    continue
                if k == "lady" and (c.titles & UNMARRIED_F or c.given and not c.titles & {"lady"}):
                    continue      # "Lady Lucas" is the mother of "Miss Lucas" and "Maria Lucas"
                if k in MARRIED and c.given and not c.titles & MARRIED and not self.only_wife(c, t, related):
                    continue      # "Mrs. Maylie" is the mother, not "Rose Maylie"
                if c.given and (k, t) in self.elders:
                    continue      # "old Mr. Emerson" exists: "Mr. Emerson" is the father, not George
                if c.given and cg is None and sum(1 for o in related if t in o.lasts) > 1:
                    continue      # "Mr. Thorne" among Thornes of unknown sex: no guessing
                ranks = {r for r in c.titles if r in RANKS}
                if (k in RANKS and ((ranks and k not in ranks) or "mr" in c.titles)) or \
                        (k == "mr" and ranks):
                    continue      # "General Tilney", "Captain Tilney" and "Mr. Tilney" are three men
            hits.append(c)
        if k in PLAIN_TITLES and hits:
            # "Mr. Bertram" is the eldest son, not "Mr. Edmund Bertram" (a given name tells a younger
            # one apart); with several sisters ("the Miss Steeles") "Miss Steele" is not "Miss Lucy Steele"
            plain = [c for c in hits if not self.qualified(c, k, t)]
            if k in UNMARRIED_F:
                if t in self.sisters:
                    hits = plain
            elif len(plain) == 1 and len(hits) > 1 and \
                    self.weight(plain[0]) >= MIN_NAMESAKE_SHARE * max(map(self.weight, hits)):
                hits = plain      # (a namesake named a few times, an ancestor, does not take the title)
            elif not plain and len(hits) > 1 and k == "mr":
                # every one of them is "Mr. <Given> X": "Mr. Cavendish" is the one named far more often
                ranked = sorted(hits, key=self.weight, reverse=True)
                if self.weight(ranked[0]) >= SALIENT_SHARE * self.weight(ranked[1]):
                    hits = ranked[:1]
        if len(hits) > 1:
            # "Miss Bennet" among Jane, Elizabeth and Lydia Bennet stays apart unless one stands out
            same_title = [c for c in hits if k in c.titles]
            positive = [c for c in hits if g and c.gender() == g]
            if len(same_title) == 1:
                hits = same_title
            elif len(positive) == 1 and all(c.gender() is None for c in hits if c is not positive[0]):
                hits = positive
        if not hits and surname_title and (given_name_gender(t) or t in HYPOCORISMS) and \
                not any(t in o.lasts for o in related):
            # "Monsieur Lawrence", "Mr. Lawrence": no one has that surname, one man that given name
            fits = [c for c in related if t in c.given and genders_compatible(g, c.gender())
                    and not c.titles & (RANKS | HONOURS)]     # "Mr. Thomas" is not Sir Thomas
            hits = fits if len(fits) == 1 else []
        if hits and (len(hits) == 1 or self.given):
            c = max(hits, key=lambda c: self.support(c, t))
        else:
            c = self.new()
            if c is None:
                return None
            if surname_title or k in UNMARRIED_F or " " in t:
                c.lasts.add(t)
                c.lasts.add(t.split()[-1])
            if not surname_title:
                c.firsts.add(t)
        c.titles.update(info.parts.titles)
        self.assign(c, info)
        return c

    def only_wife(self, c: Cand, t: str, related: list[Cand]) -> bool:
        """"Mrs. Cavendish" is "Mary Cavendish" when she is the one woman of that surname named in full
        and no one of that family is ever "Miss" (a daughter or a niece would be: "Miss Maylie")."""
        if c.gender() != "F" or self.weight(c) < MIN_ONLY_WIFE or \
                any(o is not c and t in o.lasts and o.given and o.gender() != "M" for o in related):
            return False
        return not any(set(i.parts.titles) & UNMARRIED_F and (t in i.parts.core or set(i.parts.core) & c.given)
                       for i in self.infos.values())

    def share(self, c: Cand, t: str, fits: list[Cand], surface: str) -> None:
        """A given name two families use ("John" Dashwood, Sir "John" Middleton), or a surname two of
        one family use in full ("Black": Sirius Black, Regulus Black), is each of them in turn:
        `link_names` gives each mention to the one named unambiguously nearest before it."""
        if t in c.given:
            name_g = given_name_gender(t)
            rivals = [r for r in fits if r is not c and t in r.given and r.lasts and not r.lasts & c.lasts
                      and genders_compatible(name_g, r.gender())]      # not "Mrs. John Dashwood"
        elif t in c.lasts and c.given and c.gender() != "F":
            # brothers ("said Black"), not a sister of the family ("Elliot" is no Anne Elliot)
            rivals = [r for r in fits if r is not c and t in r.lasts and r.given and not r.given & c.given
                      and r.gender() != "F"]
        else:
            return
        least = max(self.min_shared, SHARED_SHARE * self.support(c, t))
        rivals = [r for r in rivals if self.support(r, t) >= least]
        if rivals:
            self.shared[surface] = [c, *rivals]

    def young_split(self, canon: str) -> bool:
        """Is "young Tom" a son apart from his father? Only when the father, the titled man of that
        given name, is called "Mr. Gradgrind" often enough beside the bare given name (YOUNG_FORMAL_SHARE);
        "young Harry" said of Harry Potter (seldom "Mr. Potter") is the one man."""
        if canon not in self.youngs:
            return False
        if canon not in self.young_checked:
            senior = [c for c in self.cands if _senior(c, canon)]
            formal = max((sum(n for x, n in c.surfaces.items() if x in self.infos and len(self.infos[x].parts.core) == 1
                              and set(self.infos[x].parts.titles) - SOFT_TITLES) for c in senior), default=0)
            bare = sum(i.count for i in self.infos.values() if len(i.parts.core) == 1 and
                       not set(i.parts.titles) - SOFT_TITLES and canonical_given(i.parts.core[0]) == canon)
            self.young_checked[canon] = bool(senior) and formal >= YOUNG_FORMAL_SHARE * bare
        return self.young_checked[canon]

    def add_young(self, info: SurfaceInfo, canon: str) -> Cand | None:
        c = next((c for c in self.cands if c.young and any(canonical_given(f) == canon for f in c.given)), None)
        if c is None:
            c = self.new()
            if c is None:
                return None
            c.young = True
            c.firsts.add(info.parts.core[0])
            c.given.add(info.parts.core[0])
        c.titles.update(info.parts.titles)
        self.assign(c, info)
        return c

    def stray(self, c: Cand) -> bool:
        """An untitled full name seen once or twice whose first word is no given name and never a name alone:
        "Happily Archer" (a word glued to a name where a dash was lost)."""
        return c.count <= 2 and not c.titles and bool(c.firsts) and all(
            not given_name_gender(f) and f not in HYPOCORISMS and f not in self.infos for f in c.firsts)

    def qualified(self, c: Cand, k: str, surname: str) -> bool:
        """Is the character called "<k> <Given> <Surname>" or "<k> <Given>" ("Miss Julia")?"""
        for s in c.surfaces:
            p = self.infos[s].parts if s in self.infos else parse_name(s)
            if k in p.titles and len(p.core) >= 2 and p.core[-1] == surname:
                return True
        return any(g in self.titled_given.get(k, {}).get(surname, ()) for g in c.given)

    def weight(self, c: Cand) -> int:
        """Mentions so far plus those of its bare given names, not yet assigned ("Tony" of "Tony Last")."""
        return c.count + sum(self.infos[g].count for g in c.given if g in self.infos and g not in self.by_surface)

    @staticmethod
    def support(c: Cand, t: str) -> int:
        """How often the character's names use the token (salience for that name)."""
        return sum(n for s, n in c.surfaces.items() if t in s.split()) + 1

    def add_single(self, info: SurfaceInfo) -> Cand | None:
        t = info.parts.core[0]
        g = info.gender()
        canon = canonical_given(t)
        namesake = self.young_split(canon)
        scored = []
        for c in self.related(t):
            if not genders_compatible(g, c.gender()):
                continue
            if namesake and _senior(c, canon):
                continue      # "young Tom" is written often: bare "Tom" is the son, not Mr. Thomas Gradgrind
            if namesake and c.young:
                tier, w = 1, self.support(c, t) + 1     # "Thomas", "Young Thomas" join "Tom"
            elif t in c.firsts or t in c.lasts:
                # the very word beats a short form: "Tom" is Tom Bertram, not Sir Thomas
                tier, w = 1, self.support(c, t) * (2 if t in c.given else 1)
            elif given_match(t, c):
                tier, w = 0, 1 + 0.1 * c.count
            else:
                continue
            scored.append((tier, w, c.count, c.i, c))
        men = [self.support(x[-1], t) for x in scored if x[-1].gender() == "M"]
        if len(scored) > 1 and g is None and men:
            # a bare surname ("said Crawford") is a man's, not a lady's known as "Miss Crawford",
            # unless he is a minor figure beside her ("Abbott" is Miss Abbott, not her father)
            kept = [x for x in scored if not (x[-1].gender() == "F" and t in x[-1].lasts and
                                              (_formally_named(x[-1]) or x[-1].titles & MARRIED)
                                              and max(men) >= 0.2 * self.support(x[-1], t))]
            #        (nor a wife's, "Mrs. Cavendish" though she is "Mary" more often)
            scored = kept or scored
        if scored:
            c = max(scored)[-1]
            if not namesake and not info.parts.titles:
                self.share(c, t, [x[-1] for x in scored], info.text)
        else:
            c = self.new()
            if c is None:
                return None
            c.firsts.add(t)
            c.given.add(t)
            c.young = namesake
        self.assign(c, info)
        return c


def _titled_given(infos: dict[str, SurfaceInfo]) -> dict[str, dict[str, set[str]]]:
    surnames: dict[str, set[str]] = defaultdict(set)    # given name -> surnames it is used with
    for info in infos.values():
        core = info.parts.core
        if len(core) >= 2:
            surnames[core[0]].add(core[-1])
    out: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for info in infos.values():
        p = info.parts
        if len(p.core) == 1 and p.titles and p.titles[-1] in PLAIN_TITLES and len(surnames[p.core[0]]) == 1:
            out[p.titles[-1]][next(iter(surnames[p.core[0]]))].add(p.core[0])
    return out


def plural_sisters(text: str) -> set[str]:
    """Surnames of several unmarried sisters: "the Miss Steeles", "the Misses Bertram"."""
    counts: Counter[str] = Counter()
    for m in SISTERS.finditer(text):
        if m.group(1):
            counts[m.group(2)] += 1
        elif m.group(2).endswith("es"):
            counts.update((m.group(2)[:-1], m.group(2)[:-2]))
        elif m.group(2).endswith("s"):
            counts[m.group(2)[:-1]] += 1
    return {n for n, k in counts.items() if k >= MIN_SISTERS}


def _senior(c: Cand, canon: str) -> bool:
    """A titled man with this given name in full ("Mr. Gradgrind" = "Thomas Gradgrind"): the elder."""
    return not c.young and bool(c.titles & ({"mr"} | RANKS)) and any(canonical_given(f) == canon for f in c.given)


def young_namesakes(text: str) -> set[str]:
    """Given names written "young Tom" / "young Thomas" often enough to mark a younger namesake."""
    counts: Counter[str] = Counter(canonical_given(m.group(1)) for m in YOUNG.finditer(text))
    return {n for n, k in counts.items() if k >= MIN_YOUNG and n in GIVEN_NAME_GENDER}


def _formally_named(c: Cand) -> bool:
    """A woman known mostly by title and surname ("Miss Crawford", "Mrs. Norris")."""
    formal = sum(n for s, n in c.surfaces.items() if parse_name(s).titles)
    return formal > c.count - formal


def given_match(t: str, c: Cand) -> bool:
    """Is `t` the character's given name, or a short form of it (Lizzy, Eliza -> Elizabeth)?"""
    if t in c.given:
        return True
    canon = HYPOCORISMS.get(t)
    for f in c.given:
        if canon == f or (len(t) >= 3 and len(f) > len(t) + 1 and f.startswith(t) and f in GIVEN_NAME_GENDER):
            return True     # a prefix shortens a given name (Fred, Frederick), not any word ("Cat", "Caterpillar")
    return False


def _text_casing(stats: WordStats | None):
    """A function that writes a known-cast alias with the text's capitals where the text has the
    word only otherwise capitalised: a list's 'Mr. Mcbryde' is the text's 'McBryde' (PDNC: 82
    quotes of A Passage to India), 'Macpherson' its 'MacPherson'. Read off the mentions stage's
    counts of capitalised words; all-capital forms (headings) are not a casing."""
    if stats is None:
        return lambda alias: alias
    seen = Counter({w: n for w, n in (stats.cap_mid + stats.cap_init).items() if not w.isupper()})
    by_lower: dict[str, Counter] = defaultdict(Counter)
    for w, n in seen.items():
        by_lower[w.lower()][w] = n

    def fix(m: re.Match) -> str:
        w = m.group()
        if w in seen or w.lower() not in by_lower:
            return w
        return by_lower[w.lower()].most_common(1)[0][0]

    return lambda alias: CAP_WORD.sub(fix, alias)


def _seed_given(builder: CastBuilder, story: Story, stats: WordStats | None) -> None:
    """--characters: one candidate per given character, its aliases parsed like text names."""
    builder.given = False
    cased = _text_casing(stats)
    for name, aliases in story.known_cast.items():
        c = builder.new("given")
        c.name = name
        c.given_aliases = list(dict.fromkeys(cased(a) for a in [name, *aliases]))
        c.fixed_gender = story.known_genders.get(name)
        for a in c.given_aliases:
            p = parse_name(norm_surface(a))
            core = _join_particles(p.core)
            if not core:
                continue
            if len(core) >= 2:
                c.firsts.add(core[0])
                c.given.add(core[0])
                c.lasts.add(core[-1])
            elif p.titles and p.titles[-1] in SURNAME_TITLES:
                c.lasts.add(core[0])
            else:
                c.firsts.add(core[0])
                if not p.titles:
                    c.given.add(core[0])
            c.titles.update(p.titles)
        builder.reindex(c)
    builder.given = True


def _seed_tags(builder: CastBuilder, story: Story) -> None:
    tags = story.meta.get("character_tags") or []
    for tag in tags:
        if not isinstance(tag, str):
            continue
        name = re.sub(r"\s*\(.*?\)\s*", " ", tag).strip()   # "Sirius Black (Harry Potter)"
        if not name or "/" in name or "&" in name:
            continue
        p = parse_name(name)
        core = _join_particles(p.core)
        if not core:
            continue
        info = SurfaceInfo(name, NameParts(p.titles, core, p.honorific))
        if len(core) >= 2:
            c = builder.add_full(info, source="tag")
        else:
            c = builder.new("tag")
            c.firsts.add(core[0])
            c.given.add(core[0])
            builder.reindex(c)
        if c is not None:
            c.surfaces[name] += 0
            c.name = c.name or name


def build_cast(story: Story, shared: dict[str, list[int]] | None = None) -> tuple[list[Character], dict[str, int]]:
    """The cast and the character id of each name string; `shared` (filled when given) maps a
    name string that two characters use ("John") to their ids, the most salient first."""
    infos = collect_surfaces(story)
    stats = story_stats.pop(id(story), None)
    place_tokens: set[str] = set()
    led_places: set[str] = set()
    for info in infos.values():
        core = info.parts.core
        if len(core) >= 2 and core[-1] in PLACE_WORDS:
            place_tokens.update(core[:-1])
        elif len(core) >= 2 and core[0] in PLACE_WORDS and not info.parts.titles:
            led_places.update(w.split()[-1] for w in core[1:])       # "Chateau de Chillon", "Lake Como"
    place_tokens |= led_places
    alone = frozenset(v.parts.core[0] for v in infos.values() if len(v.parts.core) == 1)
    persons = {k: v for k, v in infos.items()
               if _is_person_surface(v, place_tokens, stats, frozenset(led_places), alone)}
    given = bool(story.known_cast)
    builder = CastBuilder(persons)
    elders = Counter((m.group(1).lower(), m.group(2)) for m in ELDER.finditer(story.text))
    builder.elders = {k for k, n in elders.items() if n >= MIN_ELDER}
    builder.youngs = young_namesakes(story.text)
    builder.sisters = plural_sisters(story.text)
    scale = min(1.0, max(0.3, len(story.text) / 200_000))   # short stories: fewer mentions suffice
    builder.min_shared = max(2, round(MIN_SHARED_SUPPORT * scale))
    if given:
        _seed_given(builder, story, stats)
        exact = {}
        for c in builder.cands:
            for a in c.given_aliases:
                exact.setdefault(norm_surface(a).lower(), c)
        for info in persons.values():   # exact alias matches first
            c = exact.get(info.text.lower())
            if c is not None:
                builder.assign(c, info)
    else:
        _seed_tags(builder, story)

    def order(info: SurfaceInfo):
        return -info.count, info.text

    rest = [i for i in persons.values() if i.text not in builder.by_surface]
    full = sorted((i for i in rest if len(i.parts.core) >= 2), key=order)
    titled = sorted((i for i in rest if len(i.parts.core) == 1 and
                     [t for t in i.parts.titles if t not in SOFT_TITLES]), key=order)
    single = sorted((i for i in rest if len(i.parts.core) == 1 and not
                     [t for t in i.parts.titles if t not in SOFT_TITLES]), key=order)
    for info in full:
        builder.add_full(info)
    for info in titled:
        builder.add_titled(info)
    for info in single:
        if not _role_of_titled(builder, info):
            builder.add_single(info)

    cands = builder.cands
    if not given:
        cands = _merge_typos(builder, cands)
        first_person = coref.told_in_first_person(story)
        cands = [c for c in cands if _keep(c, scale, first_person)]
        cap = MAX_CAST_BASE + len(story.text) // CHARS_PER_EXTRA_CHARACTER
        if len(cands) > cap:    # a bounded cast: keep the speakers and the most mentioned
            best = sorted(cands, key=lambda c: (c.source != "text", c.said > 0, c.count), reverse=True)[:cap]
            chosen = {c.i for c in best}
            cands = [c for c in cands if c.i in chosen]
    characters: list[Character] = []
    surface_to_id: dict[str, int] = {}
    for c in cands:
        cid = len(characters)
        alias_counts = {s: n for s, n in c.surfaces.most_common() if n > 0}
        aliases = list(dict.fromkeys([*c.given_aliases, *alias_counts]))
        name = c.name or _fullest(c, builder.by_surface)
        if name not in aliases:
            aliases.insert(0, name)
        characters.append(Character(cid, name, aliases, alias_counts, gender=c.gender(),
                                    source=c.source))
        for s in c.surfaces:
            surface_to_id[s] = cid
    if shared is not None:
        ids = {c.i: k for k, c in enumerate(cands)}
        for s, group in builder.shared.items():
            kept = [ids[c.i] for c in group if c.i in ids]
            if len(kept) > 1 and surface_to_id.get(s) == kept[0]:
                shared[s] = kept
    if not given:
        _nominal_speakers(story, characters, surface_to_id)
    return characters, surface_to_id


GEOGRAPHIC = {"Island", "Islands", "Street", "Road", "Lane", "Avenue", "Square", "Bridge", "Station", "River",
              "Mountains", "Valley", "Bay", "Harbour", "Harbor", "Cathedral", "Abbey", "Chapel", "Gardens"}
# titles of rank that go with a given name ("Sir John", "Lady Catherine"): only their holder has them
HONOURS = {"sir", "lord", "lady", "dame", "king", "queen", "prince", "princess", "duke", "duchess", "count",
           "countess", "baron", "baroness", "earl", "marquis", "emperor", "empress"}
YOUNG = re.compile(r"\b[Yy]oung\s+([A-Z][a-z]+)\b(?!\s+[A-Z])")   # "young Tom", not "young Tom Gradgrind"
MIN_YOUNG = 4
YOUNG_FORMAL_SHARE = 0.3         # "Mr. Gradgrind" at least this often per bare "Tom"
FAMILY_WINDOW = 2000       # characters of text in which a shared name looks for its family
MIN_SHARED_SUPPORT = 5     # ... and at least this often (not one "Miss Maria Ward" of a back story)
SHARED_SHARE = 0.1         # a rival full name used this often (vs the best) makes a given name shared
MIN_SISTERS = 3            # "the Miss Steeles" this often: several sisters ("there are Miss Bartletts", once)
MIN_NAMESAKE_SHARE = 0.1
SALIENT_SHARE = 2.0        # "Mr. X" among brothers all called "Mr. <Given> X": one named this much more
SISTERS = re.compile(r"\bMiss(es)?\s+([A-Z][a-z]+)\b")
ELDER = re.compile(r"\b[Oo]ld (Mr|Mrs)\.? ([A-Z][\w'-]+)")     # "old Mrs. X" says nothing of Mr. X
MIN_ELDER = 2              # "old Mr. Emerson" this often marks a father (once is said of anyone elderly)
ROLE_TITLES = {"doctor": "dr", "colonel": "colonel", "captain": "captain", "professor": "professor",
               "inspector": "inspector", "major": "major", "general": "general", "sergeant": "sergeant",
               "lieutenant": "lieutenant", "admiral": "admiral", "judge": "judge", "headmaster": "headmaster"}


TAG_PREPS = {"in", "with", "of", "at", "from"}
BARE_ROLES = {"nanny": "F", "nurse": "F", "cook": None, "matron": "F", "mother": "F", "father": "M",
              "granny": "F", "grandma": "F", "grandpa": "M", "grandmother": "F", "grandfather": "M",
              "uncle": "M", "aunt": "F", "auntie": "F", "mamma": "F", "mama": "F", "papa": "M", "mum": "F",
              "mummy": "F", "dad": "M", "daddy": "M", "teacher": None, "governess": "F", "nursemaid": "F"}
_BARE_ROLE_TAG = re.compile(r"[,!?\u2014-][\"\u201d\u2019']\s*(?:" + "|".join(sorted(SPEECH_VERBS)) + r")\s+("
                            + "|".join(sorted(BARE_ROLES)) + r")\b(?![\w'\u2019-])")
MIN_BARE_ROLE_TAGS = 2
VAGUE_MODIFIERS = {"old", "young", "little", "elder", "younger", "older", "eldest", "youngest", "second",
                   "third", "new", "best", "poor", "good", "dear", "great", "other", "same", "first", "last"}
GROUP_HEADS = {"children", "men", "women", "people", "company", "party", "others", "ladies", "gentlemen",
               "girls", "boys", "family", "crowd", "couple", "pair", "rest"}
# modifiers that tell one holder of a role from another ("the first cabman", "the new governess")
DISTINGUISHING = {"first", "second", "third", "fourth", "fifth", "other", "another", "elder", "younger", "older",
                  "eldest", "youngest", "senior", "junior", "head", "under", "assistant", "chief", "deputy", "new",
                  "former", "late", "last", "next", "same", "male", "female", "two", "three", "both"}
MAX_REDESCRIBED_TAGS = 2
GROUP_MODIFIERS = {"two", "three", "four", "five", "both", "several", "many", "all", "other", "same"}
# "the work went on": verbs that also mean something else do not make a speaker after a noun
AMBIGUOUS_AFTER = {"went", "began", "continued", "returned", "thought", "called", "added", "says", "say"}


_QUOTE_BEFORE = re.compile(r"[\"”’'][ \t]*,?[ \t]*$")
_QUOTE_AFTER = re.compile(r"[ \t]*[,:][ \t]*\n?[ \t]*[\"“‘]")


def _beside_quote(text: str, start: int, end: int) -> bool:
    """'"Mr. van der Luyden," the butler continued': a verb that also means something else makes a
    tag where the description follows a quote or the verb opens one."""
    return bool(_QUOTE_BEFORE.search(text, max(0, start - 4), start) or _QUOTE_AFTER.match(text, end, end + 8))


ORDINALS = {"first", "second", "third", "fourth", "fifth"}      # "the first policeman": there are others
NEAR_DESCRIPTION = 20000    # "the cabman" speaking this close to "the first cabman" is he


def _near(a: list[int], b: list[int]) -> bool:
    """Do most of the tags `a` fall near some tag of `b`?"""
    return 2 * sum(1 for x in a if any(abs(x - y) <= NEAR_DESCRIPTION for y in b)) >= len(a)


def nominal_key(text: str) -> str:
    return " ".join(text.lower().split())


def _nominal_speakers(story: Story, characters: list[Character], surface_to_id: dict[str, int]) -> None:
    """Unnamed speakers known by a description ("said the doctor") become characters."""
    text = story.text
    said: Counter[str] = Counter()
    first_said: dict[str, int] = {}
    said_at: dict[str, list[int]] = defaultdict(list)
    seen: Counter[str] = Counter()
    pron: dict[str, Counter[str]] = defaultdict(Counter)
    name_words = {w for s in surface_to_id for w in s.split() if w[:1].isupper()}
    ms = story.mentions
    came_in: dict[str, int] = {}         # "a stout man" came in here: "the stout man" is someone new
    introduced: set[str] = set()        # descriptions that speak soon after coming in
    for idx, m in enumerate(ms):
        if m.kind == "new" and m.in_quote is None:
            came_in["the " + " ".join(nominal_key(m.text).split()[1:])] = m.start
        if m.kind != "nominal" or m.in_quote is not None or not m.text[:3].lower() == "the":
            continue
        key = nominal_key(m.text)
        seen[key] += 1
        if any(w in name_words for w in m.text.split()[1:]):
            continue        # "the Ashgrove heir": coref links it through the name it contains
        for n in ms[idx + 1:idx + 8]:
            if n.paragraph != m.paragraph or n.kind in ("name", "nominal"):
                break
            if n.kind == "pronoun" and n.in_quote is None and n.gender in ("M", "F"):
                pron[key][n.gender] += 1
                break
        nm = _NEXT_WORD.match(text, m.end, m.end + 16)
        if (nm and nm.group(1) in SPEECH_VERBS and (nm.group(1) not in AMBIGUOUS_AFTER or _beside_quote(text, m.start, nm.end()))) or \
                _SAID_BEFORE.search(text, max(0, m.start - 16), m.start):
            said[key] += 1
            first_said.setdefault(key, m.start)
            said_at[key].append(m.start)
            if m.start - came_in.get(key, -NEW_PERSON_REACH) < NEW_PERSON_REACH:
                introduced.add(key)
    # '"I'm sure I don't know," said nanny.': a role used as a name, without a determiner
    bare_roles = Counter(m.group(1) for m in _BARE_ROLE_TAG.finditer(text))
    for key, n in sorted(bare_roles.items()):
        if n >= MIN_BARE_ROLE_TAGS and key not in surface_to_id and "the " + key not in said:
            ch = Character(len(characters), key, [key], {key: n}, gender=BARE_ROLES[key])
            characters.append(ch)
            surface_to_id[key] = ch.id
    titled_by: dict[str, set[int]] | None = None
    role_words: dict[str, set[int]] | None = None
    apposed: dict[str, Counter[int]] | None = None
    described: dict[str, list[tuple[set[str], Character]]] = defaultdict(list)    # head -> speakers
    # "said the impetuous doctor" once where "the doctor" speaks too: the same doctor, described again
    redescribed: dict[str, list[str]] = defaultdict(list)
    for key, n in said.items():
        words = key.split()
        bare = "the " + words[-1]
        if len(words) == 3 and n <= MAX_REDESCRIBED_TAGS and bare in said and words[-1] not in GENERIC_HEADS \
                and words[-1] not in GROUP_HEADS and words[1] not in DISTINGUISHING and words[1] not in TAG_PREPS:
            redescribed[bare].append(key)
    deferred = {k for ks in redescribed.values() for k in ks}
    # fullest descriptions first, so "the passenger" can join "the genial passenger"
    for key, n in sorted(said.items(), key=lambda kv: (-len(kv[0].split()), -kv[1], kv[0])):
        if key in surface_to_id or key in deferred:
            continue
        words = key.split()
        pp = next((k for k, w in enumerate(words) if k > 1 and w in TAG_PREPS), len(words))
        head = words[pp - 1]
        head = next((g for g in GENERIC_HEADS if len(g) >= MIN_TYPO_LENGTH and _one_edit(head, g)), head)
        #        ("said the old gentlman": a misspelt "gentleman", as vague as the word it misspells)
        fuller = [ch for ws, ch in described[head] if set(words[1:]) < ws and
                  (not ws & ORDINALS or _near(said_at[key], said_at[ch.aliases[0]]))]
        #        ("the policeman" chapters before "the first policeman" is another policeman)
        if len(fuller) == 1 and not (head in GENERIC_HEADS and len(words) == 2):
            # the one speaker this shorter description can be ("the man" stays vague)
            ch = fuller[0]
            ch.aliases.append(key)
            ch.alias_counts[key] = seen[key]
            surface_to_id[key] = ch.id
            continue
        if head in GROUP_HEADS or any(w in GROUP_MODIFIERS for w in words[1:pp]):
            continue      # "the children", "the two women": a group speaks
        if not (n >= 2 or pp < len(words) or head not in GENERIC_HEADS or key in introduced):
            continue      # "said the man" twice; once "said the vicar", "said the gentleman in the white waistcoat",
            #               "said the stout man" soon after "a stout man" came in
        if head in GENERIC_HEADS and pp == len(words) and all(w in VAGUE_MODIFIERS for w in words[1:pp - 1]):
            continue      # "the man", "the old lady": too vague (an epithet of someone named, for coref)
        tk = ROLE_TITLES.get(head)
        if tk and titled_by is None:
            titled_by = defaultdict(set)
            for c in characters:
                for a in c.alias_counts:
                    for t in parse_name(a).titles:
                        titled_by[t].add(c.id)
        owners = [characters[i] for i in sorted(titled_by.get(tk, ()))] if tk else []
        if len(owners) > 1:
            # "the doctor" is the doctor named twice as often as all the others together (as "the Admiral")
            ranked = sorted(owners, key=lambda c: sum(c.alias_counts.values()), reverse=True)
            if sum(ranked[0].alias_counts.values()) >= \
                    TITLED_ROLE_SHARE * sum(sum(c.alias_counts.values()) for c in ranked[1:]):
                owners = ranked[:1]
        if not owners:
            if role_words is None:
                role_words = _role_words(story, surface_to_id)
            owners = [characters[i] for i in sorted(role_words.get(head, ()))]
        if not owners and head not in GENERIC_HEADS:
            if apposed is None:
                apposed = _apposed(story, surface_to_id)
                first_named = {}
                for m in ms:
                    if m.kind == "name":
                        cid = surface_to_id.get(norm_surface(m.text))
                        if cid is not None:
                            first_named.setdefault(cid, m.start)
            owners = [c for c in _apposed_owner(apposed.get(head), characters, PERSON_NOUN_GENDER.get(head))
                      if first_named.get(c.id, len(text)) < first_said[key]]    # he was named before he spoke so
        if len(owners) == 1:
            ch = owners[0]
        else:
            g = noun_gender(head)
            if g is None and pron[key]:
                (g, k), = pron[key].most_common(1)
                g = g if k >= 0.6 * sum(pron[key].values()) else None
            ch = Character(len(characters), key, [], {}, gender=g)
            characters.append(ch)
        ch.aliases.append(key)
        ch.alias_counts[key] = seen[key]
        surface_to_id[key] = ch.id
        if not owners:
            described[head].append((set(words[1:]), ch))
    for bare, keys in redescribed.items():
        cid = surface_to_id.get(bare)
        if cid is None:
            continue
        for key in keys:
            characters[cid].aliases.append(key)
            characters[cid].alias_counts[key] = seen[key]
            surface_to_id[key] = cid


# "Mr. Wells, the lawyer", "Mr. Haq, a police inspector", "Mr. Hubbard himself, the celebrated
# frame-maker of South Audley Street", "Eugenio was the courier": a name and what he is
# "Bunting the vicar": a name and a bare role word, no comma, the sentence or clause ending there
_APPOS_BARE = re.compile(r" the ([a-z]+)(?=[.,;:!?])")
_APPOS_AFTER = re.compile(r"(?:\s+(?:himself|herself))?(?:,\s+|\s+(?:was|is)\s+)(?:the|a|an|his|her|their|our)\s+"
                          r"((?:[a-z][\w'-]*\s+){0,3}[a-z][\w'-]*)")
MIN_APPOSED_SHARE = 0.75


def _apposed(story: Story, surface_to_id: dict[str, int]) -> dict[str, Counter[int]]:
    """Head noun -> characters a name-and-description apposition gives it ("Mr. Wells, the lawyer";
    "the courier, Eugenio,")."""
    text = story.text
    found: dict[str, Counter[int]] = defaultdict(Counter)
    ms = story.mentions

    def listed(k: int) -> bool:
        """Is mention k an item of a list of names ("Mr. Brittles, Mr. Giles, the tinker")?"""
        for j in (k - 1, k + 1):
            if 0 <= j < len(ms) and ms[j].kind == "name":
                a, b = (ms[j], ms[k]) if j < k else (ms[k], ms[j])
                if text[a.end:b.start] in (", ", " and ", ", and "):
                    return True
        return False

    for idx, m in enumerate(ms):
        if m.in_quote is not None:
            continue
        if m.kind == "name":
            cid = surface_to_id.get(norm_surface(m.text))
            a = _APPOS_AFTER.match(text, m.end, m.end + 80) if cid is not None else None
            if a and not listed(idx):
                words = a.group(1).split()
                cut = next((k for k, w in enumerate(words) if w in FUNCTION_WORDS or w in TAG_PREPS), len(words))
                if cut:
                    found[words[cut - 1]][cid] += 1
            elif cid is not None:
                b = _APPOS_BARE.match(text, m.end, m.end + 40)
                if b and b.group(1) in PERSON_NOUNS:
                    found[b.group(1)][cid] += 1     # "went up the village to Bunting the vicar."
        elif m.kind == "nominal" and idx + 1 < len(ms):
            n = ms[idx + 1]
            if n.kind == "name" and n.in_quote is None and text[m.end:n.start] == ", " and \
                    text.startswith(",", n.end) and not listed(idx + 1):
                cid = surface_to_id.get(norm_surface(n.text))
                if cid is not None:     # "the courier, Eugenio, ..."
                    found[m.text.split()[-1].lower()][cid] += 1
    return found


def _apposed_owner(votes: Counter[int] | None, characters: list[Character], g: str | None) -> list[Character]:
    """The one named character a description's head was said of (3 times in 4), if any."""
    if not votes:
        return []
    (cid, n), = votes.most_common(1)
    ch = characters[cid]
    if n < MIN_APPOSED_SHARE * sum(votes.values()) or not genders_compatible(g, ch.gender):
        return []
    return [ch]


def _role_words(story: Story, surface_to_id: dict[str, int]) -> dict[str, set[int]]:
    """Capitalised words written before a character's name: "Harbourmaster Penhallow" makes
    "the harbourmaster" that character (when no one else is called so)."""
    text = story.text
    found: dict[str, set[int]] = defaultdict(set)
    for m in story.mentions:
        if m.kind != "name":
            continue
        cid = surface_to_id.get(norm_surface(m.text))
        if cid is None:
            continue
        words = m.text.split()
        if len(words) >= 2:
            found[words[0].lower()].add(cid)
        before = _PREV_WORD.search(text, max(0, m.start - 24), m.start)
        if before and before.group(1)[:1].isupper() and text[before.end(1):m.start] == " ":
            found[before.group(1).lower()].add(cid)
    return found


MAX_TYPO_COUNT = 3         # a name seen this seldom ...
TYPO_SHARE = 10            # ... one letter away from a name used this many times as often is a misspelling
MIN_TYPO_LENGTH = 6         # (not "Jonas" beside "Jones")


def _one_edit(a: str, b: str) -> bool:
    """One letter inserted, dropped, changed or two swapped ("Browlow"/"Brownlow", "Hermoine"/"Hermione")."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [k for k in range(len(a)) if a[k] != b[k]]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1 and
                                  a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    if len(a) > len(b):
        a, b = b, a
    k = next((k for k in range(len(a)) if a[k] != b[k]), len(a))
    return a[k:] == b[k + 1:]


def _merge_typos(builder: CastBuilder, cands: list[Cand]) -> list[Cand]:
    """A rare name one letter away from a frequent one with the same titles ("Mr. Browlow" twice beside
    "Mr. Brownlow" two hundred times) is that name misspelt: its character joins the frequent one."""
    infos = builder.infos
    big = [c for c in cands if c.count >= TYPO_SHARE]
    merged: set[int] = set()
    for c in cands:
        if c.count > MAX_TYPO_COUNT or c.source != "text" or not c.surfaces:
            continue
        targets = set()
        for sa in c.surfaces:
            pa = infos[sa].parts if sa in infos else parse_name(sa)
            for b in big:
                if b is c or b.count < TYPO_SHARE * c.count or not genders_compatible(c.gender(), b.gender()):
                    continue
                for sb in b.surfaces:
                    pb = infos[sb].parts if sb in infos else parse_name(sb)
                    if pa.titles != pb.titles or len(pa.core) != len(pb.core):
                        continue
                    diff = [(x, y) for x, y in zip(pa.core, pb.core) if x != y]
                    if len(diff) == 1 and len(diff[0][1]) >= MIN_TYPO_LENGTH and \
                            diff[0][0] not in GIVEN_NAME_GENDER and _one_edit(*diff[0]):
                        targets.add(b.i)
        if len(targets) == 1:
            b = builder.cands[targets.pop()]
            for sa in c.surfaces:
                if sa in infos:
                    builder.assign(b, infos[sa])
            merged.add(c.i)
    return [c for c in cands if c.i not in merged]


MIN_ONLY_WIFE = 5           # "Margaret Fraser" named twice may be anyone of the family (a stepdaughter)
TITLED_ROLE_SHARE = 2       # "the Admiral" is the admiral named twice as often as all the others


def _role_of_titled(builder: CastBuilder, info: SurfaceInfo) -> bool:
    """"The Admiral" joins the only character titled Admiral ("Admiral Croft"), or the one who
    stands out among them."""
    word = info.parts.core[0]
    key = word.lower()
    if info.parts.titles or key not in TITLES:
        return False
    owners = sorted((c for c in builder.cands if key in c.titles), key=builder.weight, reverse=True)
    if not owners or (len(owners) > 1 and
                      builder.weight(owners[0]) < TITLED_ROLE_SHARE * sum(map(builder.weight, owners[1:]))):
        return False
    # ("Admiral Croft" 14 times, "Admiral Baldwin" 4 and "Admiral Brand" once, both only talked of)
    builder.assign(owners[0], info)
    return True


def _keep(c: Cand, scale: float = 1.0, first_person: bool = False) -> bool:
    if c.source == "tag":
        return True
    n = c.count
    titled = bool([t for t in c.titles if t not in SOFT_TITLES])
    if not titled and c.narr >= 3 and c.place >= 0.25 * c.narr and c.said < 0.1 * c.narr:
        return False        # "at Mansfield", "to Coketown": a place that once seemed to speak
    if c.narr == 0 and not c.said and not first_person and c.source == "text":
        # only ever addressed ("Thquire!"): left to cast_refine as an alias; but a titled name the
        # talk keeps coming back to ("Mrs. Thomas", "Mr. Allan") is someone, though never in narration
        return titled and n - c.voc >= max(2, round(MIN_TALKED_OF * scale))
    if c.said or c.voc >= MIN_VOCATIVES:
        return True
    if titled:
        return n >= max(1, round(MIN_MENTIONS_TITLED * scale))
    # an untitled name never seen speaking or spoken to needs to be frequent, and seen acting
    # ("Elizabeth felt", "Darcy's") rather than being gone to ("Maidan", "the Ganges")
    if n >= max(2, round(MIN_MENTIONS_UNTITLED * scale)) and c.place == 0 and c.given and \
            all(given_name_gender(f) for f in c.given) and c.pron[given_name_gender(next(iter(c.given)))]:
        return True         # "Frederick", talked of in dialogue, "he" once in narration: a known given
        #                     name of the right sex needs no acting
    return n >= max(2, round(MIN_MENTIONS_UNTITLED * scale)) and c.agent >= min(2, n // 2) and \
        c.agent >= 0.18 * c.narr


def _fullest(c: Cand, others: dict[str, Cand] | None = None) -> str:
    """The fullest name form the text uses more than once (or at all), rather not one opening
    with a given name that alone names someone else ("Tom Gradgrind" when "Tom" is his son)."""
    top = max(c.surfaces.values(), default=0)
    pool = [s for s, n in c.surfaces.items() if n >= 2 and n >= 0.1 * top] or list(c.surfaces)
    if not pool:
        return "?"
    others = others or {}

    def fullness(s: str):
        p = parse_name(s)
        real_titles = [t for t in p.titles if t not in SOFT_TITLES]
        core = _join_particles(p.core)
        taken = len(core) > 1 and others.get(core[0], c) is not c
        return (not taken, len(core), bool(real_titles), c.surfaces[s])
    return max(pool, key=fullness)


def link_names(story: Story, surface_to_id: dict[str, int], shared: dict[str, list[int]] | None = None) -> None:
    # descriptions given as aliases ("the wolf" in --characters) link their nominal mentions
    by_alias = {nominal_key(a): c.id for c in story.characters for a in c.aliases}
    holders: dict[str, set[int]] = defaultdict(set)     # "colonel" -> characters titled Colonel
    for c in story.characters:
        for a in c.alias_counts:
            for t in parse_name(a).titles:
                holders[t].add(c.id)
    titled_roles: Counter[tuple[str, int]] = Counter()
    for m in story.mentions:
        if m.kind in ("name", "vocative"):
            m.character_id = surface_to_id.get(norm_surface(m.text))
        elif m.kind == "nominal":
            key = nominal_key(m.text)
            m.character_id = surface_to_id.get(key, by_alias.get(key))
            if story.known_cast and key in by_alias:
                m.kind = "name"     # the user gave "the wolf" as a name of this character
            words = m.text.split()
            if m.character_id is None and len(words) == 2 and words[0].lower() == "the" and words[1][:1].isupper() \
                    and words[1].lower() in ROLE_TITLES and len(holders[ROLE_TITLES[words[1].lower()]]) == 1:
                # "the Colonel" where one character is titled Colonel: a title used as his name
                m.character_id = next(iter(holders[ROLE_TITLES[words[1].lower()]]))
                titled_roles[("the " + words[1], m.character_id)] += 1
    for (alias, cid), n in titled_roles.items():
        ch = story.characters[cid]
        if alias not in ch.aliases:
            ch.aliases.append(alias)
        ch.alias_counts[alias] = ch.alias_counts.get(alias, 0) + n
    if shared:
        _link_shared(story, shared)


def _surnames(ch: Character) -> set[str]:
    out = set()
    for a in ch.alias_counts:
        p = parse_name(a)
        core = _join_particles(p.core)
        if len(core) >= 2:
            out.add(core[-1].split()[-1])
        elif core and p.titles and p.titles[-1] in SURNAME_TITLES:
            out.add(core[0])
    return out


def _link_shared(story: Story, shared: dict[str, list[int]]) -> None:
    """Each mention of a shared given name goes to the one candidate named unambiguously in the last
    FAMILY_WINDOW characters; if none was, to the one whose family was named most there ("Charles"
    among Musgroves is Charles Musgrove); else to the one named most recently (else next).
    The name becomes an alias of each character it was given to."""
    names = [m for m in story.mentions if m.kind in ("name", "vocative") and m.character_id is not None]
    keys = [norm_surface(m.text) for m in names]
    wanted = {i for ids in shared.values() for i in ids}
    surnames = {ch.id: _surnames(ch) for ch in story.characters}
    family = {i: {j for j, sn in surnames.items() if sn & surnames[i]} | {i} for i in wanted}
    kin = set().union(*family.values()) if family else set()
    recent: deque[tuple[int, int]] = deque()
    nxt: list[dict[int, int]] = [{}] * len(names)
    ahead: dict[int, int] = {}
    for k in range(len(names) - 1, -1, -1):
        nxt[k] = ahead
        if keys[k] not in shared and names[k].character_id in wanted:
            ahead = {**ahead, names[k].character_id: names[k].start}
    seen: dict[int, int] = {}
    used: dict[str, Counter[int]] = defaultdict(Counter)
    for k, m in enumerate(names):
        ids = shared.get(keys[k])
        while recent and recent[0][0] < m.start - FAMILY_WINDOW:
            recent.popleft()
        if ids is None:
            if m.character_id in wanted:
                seen[m.character_id] = m.start
            if m.character_id in kin:
                recent.append((m.start, m.character_id))
            continue
        back = [i for i in ids if i in seen]
        near = [i for i in back if seen[i] >= m.start - FAMILY_WINDOW]
        evidence = sorted(((sum(1 for _, c in recent if c in family[i]), i) for i in ids), reverse=True)
        if len(near) == 1:
            m.character_id = near[0]        # named in this scene: "John Andrew ... John"
        elif not near and evidence[0][0] > evidence[1][0]:
            m.character_id = evidence[0][1]     # his family is here: "Charles" among Musgroves
        elif back:
            m.character_id = max(back, key=lambda i: seen[i])
        else:
            fwd = [i for i in ids if i in nxt[k]]
            m.character_id = min(fwd, key=lambda i: nxt[k][i]) if fwd else ids[0]
        used[keys[k]][m.character_id] += 1
    for surface, ids in shared.items():
        for cid in ids:
            ch = story.characters[cid]
            n = used[surface][cid]
            if n:
                ch.alias_counts[surface] = n
                if surface not in ch.aliases:
                    ch.aliases.append(surface)
            else:
                ch.alias_counts.pop(surface, None)
                if surface in ch.aliases and surface != ch.name:
                    ch.aliases.remove(surface)


def characters(story: Story) -> Story:
    shared: dict[str, list[int]] = {}
    story.characters, surface_to_id = build_cast(story, shared)
    link_names(story, surface_to_id, shared)
    coref.resolve(story)
    counts: defaultdict[int, int] = defaultdict(int)
    pron: defaultdict[int, Counter[str]] = defaultdict(Counter)
    for m in story.mentions:
        if m.character_id is not None:
            counts[m.character_id] += 1
            if m.kind == "pronoun" and m.gender in ("M", "F") and m.in_quote is None:
                pron[m.character_id][m.gender] += 1
    for ch in story.characters:
        ch.mentions = counts[ch.id]
        if ch.gender is None and pron[ch.id]:
            (g, n), = pron[ch.id].most_common(1)
            if n >= 2 and n >= 0.75 * sum(pron[ch.id].values()):
                ch.gender = g       # "said the cabman. He ...": the pronouns coref gave it
    return story


__all__ = ["characters", "build_cast", "norm_surface"]
