"""Speaker attribution, part 1: find who is mentioned near each quote, read speech tags,
and turn every (quote, candidate speaker) pair into a row of numeric features.

This module finds its own character mentions by matching the cast's aliases in the text
(plus any mention the cast stage already linked), so it does not depend on how the
mention stage evolves. Everything here is linear in the length of the story.
"""
from __future__ import annotations

from bisect import bisect_left
from collections import OrderedDict
from heapq import nlargest

import re
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from .names import PERSON_NOUN_GENDER, PERSON_NOUNS
from .story import Story
from .voice import TAG_VOICE_FEATURES, quote_vectors, tag_voice_features

# ---------------------------------------------------------------- lexicons

SPEECH_VERBS = set("""
said says say saying asked asks ask replied replies reply answered answers answer cried cries
exclaimed exclaims continued continues added adds returned returns observed observes remarked
remarks whispered whispers shouted shouts called calls murmured murmurs muttered mutters repeated
repeats began begins went goes interrupted interrupts insisted insists declared declares
explained explains inquired inquires enquired enquires demanded demands urged urges pursued
rejoined rejoins retorted retorts responded responds suggested suggests thought thinks told
tells screamed screams yelled yells sighed sighs laughed laughs smiled smiles groaned groans
growled growls snapped snaps sobbed sobs stammered stammers gasped gasps breathed breathes
hissed hisses huffed huffs grumbled grumbles protested protests agreed agrees admitted admits
objected objects concluded concludes resumed resumes persisted persists cried roared roars
snarled snarls spoke speaks put puts ventured ventures faltered falters wrote writes read reads
blurted blurts interposed interposes ejaculated ejaculates stuttered pleaded drawled lisped chimed
echoed counselled bawled shrieked howled wailed moaned cooed faltered uttered broke struck chimed
""".split())
PARTICLES = {"in", "out", "up", "forth"}    # 'broke in Lord Henry', 'called out Mrs. Jennings'

# the -ing forms that carry a tag before a quote: 'McBryde raised his eyebrows, murmuring: "..."'
SPEECH_ING = set("""
saying asking replying answering crying exclaiming continuing adding returning observing remarking
whispering shouting calling murmuring muttering repeating beginning interrupting insisting declaring
explaining inquiring enquiring demanding urging rejoining retorting responding suggesting telling
screaming yelling sighing laughing groaning growling snapping sobbing stammering gasping hissing
grumbling protesting agreeing admitting objecting concluding resuming persisting roaring snarling
speaking faltering addressing blurting interposing pleading drawling shrieking uttering
""".split())
# before a mention, these make it an object, not the sentence's subject ('turned to Archer and said:')
OBJECT_BEFORE = {"to", "at", "in", "with", "for", "of", "on", "upon", "towards", "toward", "from", "into", "about",
                 "than", "like", "by", "beside", "behind", "near", "against", "over",
                 "under", "round", "around", "between", "among", "through", "without", "unto", "let", "made", "saw", "heard", "told", "asked", "begged", "bade"}
# 'the girl', 'the doctor': a description many characters fit, even when one of them is listed
# under it ('The Doctor' beside Mr. Losberne, who is 'the doctor' in most tags); evidence, not proof
GENERIC_NOUNS = {"man", "woman", "girl", "boy", "gentleman", "lady", "lad", "lass", "fellow", "child", "stranger",
                 "youth", "person", "other", "doctor", "surgeon", "painter", "clergyman", "son", "daughter",
                 "guard", "officer", "whelp", "visitor", "creature", "voice", "young man", "old man",
                 "young lady", "old lady", "old gentleman", "young woman", "old woman", "little girl",
                 "little boy", "young gentleman"}
LEADING_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.I)
BARE_SPEECH = {"say", "speak", "cry", "ask", "add", "exclaim", "call", "whisper", "murmur", "mutter", "reply",
               "answer", "remark", "observe", "begin", "continue", "shout", "exclaim", "repeat", "declare"}
PERCEIVE = {"heard", "hear", "hears", "saw", "see", "sees", "watched", "let", "made", "bade", "bid"}
SUBORDINATORS = {"who", "where", "when", "which", "that", "whom", "whose", "while", "whilst", "as", "if", "though",
                 "although", "because", "until", "till", "since", "whether", "what", "whenever", "unless"}
OTHER_SUBJECTS = {"it", "they", "we", "you", "someone", "somebody", "everyone", "everybody", "nobody"}
ABBREVIATIONS = re.compile(r"(?:\b(?:Mr|Mrs|Ms|Dr|St|Mme|Mlle|Messrs|Capt|Col|Prof|Rev|Gen|Lt|Sgt)|\b[A-Z])$")
AUX = {"had", "has", "have", "would", "will", "could", "should", "did", "does", "do", "was", "is",
       "might", "must", "shall", "can", "may", "then", "now", "again", "presently", "at", "once",
       "still", "only", "quickly", "slowly", "softly", "quietly", "gravely", "coldly"}
NOT_VERBS = {"was", "were", "is", "are", "had", "has", "and", "or", "but", "who", "which", "that",
             "the", "a", "an", "in", "on", "at", "of", "to", "for", "with", "as", "not", "be", "been",
             "being", "this", "these", "those", "his", "her", "its", "their", "him", "them", "himself",
             "herself", "so", "too", "very", "all", "both", "also", "always", "never", "ever",
             "looked", "turned", "nodded", "shook", "stood", "sat", "rose", "walked", "seemed",
             "felt", "knew", "saw", "heard", "took", "gave", "made", "came", "left"}
PRON_GENDER = {"he": "M", "him": "M", "his": "M", "himself": "M",
               "she": "F", "her": "F", "hers": "F", "herself": "F",
               "i": "I", "me": "I", "my": "I", "myself": "I", "we": "P", "they": "P"}
SUBJECT_PRON = {"he": "M", "she": "F", "i": "I", "we": "P", "they": "P"}
MALE_TITLES = {"mr", "mister", "sir", "lord", "captain", "colonel", "major", "general", "father",
               "uncle", "king", "prince", "duke", "count", "baron", "master", "monsieur", "herr",
               "signor", "reverend", "brother", "dr", "doctor", "professor", "mr.", "dr."}
FEMALE_TITLES = {"mrs", "miss", "ms", "lady", "madame", "mme", "mademoiselle", "mlle", "mother",
                 "aunt", "queen", "princess", "duchess", "countess", "baroness", "mistress", "sister",
                 "signora", "frau", "fraulein", "dame", "mrs.", "ms."}
NOUN_GENDER = {"man": "M", "gentleman": "M", "boy": "M", "fellow": "M", "husband": "M", "father": "M",
               "son": "M", "brother": "M", "uncle": "M", "lad": "M", "king": "M", "sir": "M",
               "woman": "F", "lady": "F", "girl": "F", "wife": "F", "mother": "F", "daughter": "F",
               "sister": "F", "aunt": "F", "maid": "F", "queen": "F", "mistress": "F", "lass": "F"}
TITLE_WORDS = r"(?:Mr|Mrs|Ms|Miss|Dr|St|Mme|Mlle|Messrs|Lady|Lord|Sir|Captain|Capt|Colonel|Col|Major|General|Professor|Prof|Madame|Monsieur|Mademoiselle|Father|Mother|Aunt|Uncle|Sister|Brother|Doctor|Reverend|Rev|Herr|Frau|Signor|Signora|King|Queen|Prince|Princess|Duke|Duchess|Count|Countess|Baron)"
# the lookahead lets the regex engine skip non-capitals cheaply (18x faster on a novel)
NAME_RE = re.compile(rf"(?=[A-Z])(?:{TITLE_WORDS}\.?\s+)?[A-Z][\w'\u2019\-]*(?:[ \t]+(?:(?:de|du|van|von|der|la|le|of)[ \t]+)?(?:{TITLE_WORDS}\.?[ \t]+)?[A-Z][\w'\u2019\-]*)*")
PRON_RE = re.compile(r"(?=[hHsSiImM])\b(?:he|him|his|himself|she|her|hers|herself|I|me|my|myself)\b", re.I)
WORD_RE = re.compile(r"[A-Za-z][\w'\u2019\-]*|[^\w\s]")
DETS = {"the", "his", "her", "my", "a", "an", "their", "our", "your", "its", "this", "that", "another"}


@lru_cache(maxsize=65536)
def norm_alias(s: str) -> str:
    s = s.lower().replace("\u2019", "'").strip()
    s = re.sub(r"'s$", "", s)
    s = re.sub(r"[^\w\s\-]", " ", s)
    s = re.sub(r"\s+", " ", s).strip()
    s = re.sub(r"^(?:the|a|an) ", "", s)
    return s


# ---------------------------------------------------------------- per-story context

@dataclass
class CMention:
    """A mention this module found: a character name/alias, a pronoun or a nominal."""
    start: int
    end: int
    text: str
    ids: tuple          # candidate character ids (several when an alias is shared)
    kind: str           # "name" | "pronoun"
    gender: str | None = None
    in_quote: int = -1  # quote index or -1 for narration
    paragraph: int = -1


@dataclass
class Tag:
    """A speech tag next to a quote: 'said Elizabeth', 'he croaked', 'the wolf huffed'."""
    side: str            # "after" | "before" | "between" (tag of the previous quote in the paragraph)
    order: str           # "mv" (mention-verb) | "vm" (verb-mention)
    kind: str            # "name" | "pronoun" | "nominal"
    text: str
    start: int
    end: int
    ids: tuple = ()
    gender: str | None = None
    speech_verb: bool = True
    dist: int = 0        # characters between the quote mark and the mention


@dataclass
class Context:
    story: Story
    genders: list                  # per character: "M" | "F" | None
    narrator: int | None
    mentions: list                 # CMention sorted by start
    by_par: dict                   # paragraph -> list of narration CMention (names only)
    in_quote: dict                 # quote index -> list of CMention (names only)
    tags: list                     # per quote: list of Tag
    narr_before: list              # per quote: narration text before it in its paragraph
    narr_after: list
    quote_pos: list                # per quote: (index in paragraph, quotes in paragraph)
    mention_counts: list           # per character: total name mentions
    first_person: bool = False
    alias_index: dict = field(default_factory=dict)
    quote_vectors: object = None   # voice.QuoteVectors of the candidate groups' quotes, for both passes


def character_genders(story: Story) -> list:
    out = []
    known = story.known_genders or {}
    for ch in story.characters:
        g = ch.gender if ch.gender in ("M", "F") else known.get(ch.name)
        if g not in ("M", "F"):
            g = None
            for a in [ch.name, *ch.aliases]:
                first = a.split()[0].lower().rstrip(".") if a.split() else ""
                if first in MALE_TITLES or first + "." in MALE_TITLES:
                    g = "M"
                    break
                if first in FEMALE_TITLES or first + "." in FEMALE_TITLES:
                    g = "F"
                    break
        out.append(g)
    return out


DESCRIPTION_DETS = {"the", "his", "her", "their", "my", "our", "a", "an"}
TITLE_SET = {t.lower() for t in TITLE_WORDS[3:-1].split("|")} | {
    "marquis", "marquess", "earl", "viscount", "dame", "madam", "squire", "judge", "inspector", "sergeant",
    "officer", "chief", "old", "young", "little", "poor", "dear", "miss", "mister", "saint", "the"}


def build_alias_index(story: Story) -> dict:
    index: dict[str, list[int]] = {}
    heads: dict[str, list[int]] = {}
    given: dict[str, list[int]] = {}
    lower: set[str] = set()
    for ch in story.characters:
        for a in {ch.name, *ch.aliases}:
            if not isinstance(a, str):
                continue
            k = norm_alias(a)
            bare = re.sub(r"^(?:the|a|an)\s+", "", a.strip(), flags=re.I)
            indefinite = re.match(r"(?:a|an)\s", a.strip(), flags=re.I) is not None
            if (bare[:1].islower() or (bare != a.strip() and k.isalpha())) and not (indefinite and k.isalpha()):
                # used in running text in lower case: "the landlady", "the blond"; but a cast entry
                # written "A Man" / "A Voice" is someone met once, not every man or voice in the book
                lower.add(k)
            if len(k) < 2 or k in {"he", "she", "i", "me", "you", "him", "her", "sir", "madam", "miss", "mr", "mrs"}:
                continue
            ids = index.setdefault(k, [])
            if ch.id not in ids:
                ids.append(ch.id)
            words = k.split()
            first = a.strip().split()[0] if a.strip() else ""
            if first.lower() in DESCRIPTION_DETS and len(words) >= 2:
                # 'His Valet', 'The Genial Passenger': 'said the valet' fits them by the head noun
                hids = heads.setdefault(words[-1], [])
                if ch.id not in hids:
                    hids.append(ch.id)
        # a full name's given name is a name for it too ('John' for John Dashwood), even when
        # the cast lists it under someone else: the tag is then ambiguous and resolved by context
        words = ch.name.split()
        if len(words) >= 2 and words[0][:1].isupper() and words[0].lower().rstrip(".") not in TITLE_SET \
                and len(words[0]) >= 3 and words[0].isalpha():
            given.setdefault(norm_alias(words[0]), []).append(ch.id)
    full_names = {norm_alias(ch.name) for ch in story.characters}
    for k, cids in given.items():
        if k in full_names:
            continue      # 'Hamidullah' is Hamidullah, not also Hamidullah Begum
        ids = index.setdefault(k, [])
        ids.extend(c for c in cids if c not in ids)
    out = {k: tuple(v) for k, v in index.items()}
    out["\x00lower"] = tuple(sorted(k for k in lower if k in out))
    out["\x00heads"] = {h: tuple(v) for h, v in heads.items()}
    return out


def _lookup(words: list[str], index: dict):
    """Longest contiguous run of `words` that is a known alias: (i, j, ids) or None."""
    n = len(words)
    for size in range(min(n, 6), 0, -1):
        for i in range(0, n - size + 1):
            k = norm_alias(" ".join(words[i:i + size]))
            ids = index.get(k)
            if ids:
                return i, i + size, ids
    return None


def find_character_mentions(story: Story, index: dict) -> list:
    text = story.text
    lo, hi = story.body_start, story.body_end
    out: list[CMention] = []
    for m in NAME_RE.finditer(text, lo, hi):
        toks = list(re.finditer(r"\S+", m.group()))
        words = [t.group() for t in toks]
        pos = 0
        while pos < len(words):
            hit = _lookup(words[pos:], index)
            if not hit:
                break
            i, j, ids = hit
            s = m.start() + toks[pos + i].start()
            e = m.start() + toks[pos + j - 1].end()
            surface = text[s:e]
            if surface.endswith(("'s", "\u2019s")):
                e -= 2
            out.append(CMention(s, e, text[s:e], ids, "name"))
            pos += j
    lower = [a for a in index.get("\x00lower", ()) if len(a) >= 3]
    if lower:
        firsts = "".join(sorted({a[0] for a in lower} | {"t", "a"}))
        rx = re.compile(r"(?=[" + re.escape(firsts) + r"])\b(?:the |a |an )?(?:" + "|".join(re.escape(a) for a in sorted(lower, key=len, reverse=True)) + r")\b")
        for m in rx.finditer(text, lo, hi):
            out.append(CMention(m.start(), m.end(), m.group(), index[norm_alias(m.group())], "name"))
    # mentions the cast stage linked that alias matching missed ("the blond")
    seen = {(c.start, c.end) for c in out}
    for m in story.mentions:
        if m.character_id is not None and m.kind in ("name", "nominal") and (m.start, m.end) not in seen \
                and 0 <= m.character_id < len(story.characters):
            out.append(CMention(m.start, m.end, m.text, (m.character_id,), "name"))
    for m in PRON_RE.finditer(text, lo, hi):
        w = m.group().lower()
        out.append(CMention(m.start(), m.end(), m.group(), (), "pronoun", PRON_GENDER[w]))
    if story.meta.get("second_person"):
        # a reader-insert's "you" in narration (the mentions stage kept no other) is its narrator
        out.extend(CMention(m.start, m.end, m.text, (), "pronoun", "I") for m in story.mentions
                   if m.kind == "pronoun" and m.gender == "I" and m.text.lower().startswith("you"))
    out.sort(key=lambda c: (c.start, -c.end))
    dedup = []
    last_end = -1
    for c in out:
        if c.start >= last_end:
            dedup.append(c)
            last_end = c.end
    return dedup


def _place(story: Story, mentions: list) -> None:
    quotes = story.quotes
    qi = 0
    for c in mentions:
        while qi < len(quotes) and quotes[qi].end <= c.start:
            qi += 1
        if qi < len(quotes) and quotes[qi].start <= c.start < quotes[qi].end:
            c.in_quote = qi
            c.paragraph = quotes[qi].paragraph
        else:
            c.paragraph = story.paragraph_at(c.start)


def _segments(story: Story):
    """Narration before and after each quote inside its paragraph (without the marks)."""
    text = story.text
    quotes = story.quotes
    before, after, pos = [], [], []
    by_par: dict[int, list[int]] = {}
    for i, q in enumerate(quotes):
        by_par.setdefault(q.paragraph, []).append(i)
    for i, q in enumerate(quotes):
        p = story.paragraphs[q.paragraph] if 0 <= q.paragraph < len(story.paragraphs) else None
        pstart = p.start if p else max(0, q.start - 200)
        pend = p.end if p else min(len(text), q.end + 200)
        siblings = by_par.get(q.paragraph, [i])
        k = siblings.index(i)
        prev_end = quotes[siblings[k - 1]].end + 1 if k > 0 else pstart
        next_start = quotes[siblings[k + 1]].start - 1 if k + 1 < len(siblings) else pend
        b0, b1 = prev_end, max(prev_end, q.start - 1)
        a0, a1 = min(q.end + 1, next_start), max(min(q.end + 1, next_start), next_start)
        before.append((b0, b1))
        after.append((a0, a1))
        pos.append((k, len(siblings)))
    return before, after, pos


def _mention_at(mentions_sorted: list, starts: list, offset: int):
    import bisect
    j = bisect.bisect_left(starts, offset)
    if j < len(mentions_sorted) and mentions_sorted[j].start == offset:
        return mentions_sorted[j]
    return None


def _verbish(w: str) -> tuple[bool, bool]:
    """(looks like a verb, is a known speech verb)."""
    lw = w.lower()
    if lw in SPEECH_VERBS:
        return True, True
    if not w.isalpha() or not w.islower() or lw in NOT_VERBS or len(lw) < 3:
        return False, False
    return (lw.endswith("ed") or (lw.endswith("s") and not lw.endswith(("ss", "us", "is")))), False


def _tokens(text: str, s: int, e: int, limit: int = 12):
    out = []
    for m in WORD_RE.finditer(text, s, e):
        out.append((m.start(), m.end(), m.group()))
        if len(out) >= limit:
            break
    return out


def _mention_token(ctx_mentions, starts, toks, i, text):
    """If a mention starts at token i: (kind, start, end, ids, gender, next token index)."""
    s = toks[i][0]
    c = _mention_at(ctx_mentions, starts, s)
    if c is not None:
        j = i
        while j < len(toks) and toks[j][0] < c.end:
            j += 1
        if c.kind == "name":
            if text[c.end:c.end + 2] in ("'s", "\u2019s") or (j > i and toks[j - 1][1] != c.end):
                return None      # "Oliver's benefactress": a possessive is not the speaker
            bare = LEADING_ARTICLE.sub("", c.text)     # 'the Mock Turtle' is a name, 'the old man' is not
            if not bare[:1].isupper() and (len(c.ids) > 1 or " " in norm_alias(c.text)
                                           or norm_alias(c.text) in GENERIC_NOUNS):
                # a descriptive alias ("the old man") is evidence, not proof; "the wolf" is a name
                return "nominal", c.start, c.end, c.ids, NOUN_GENDER.get(c.text.split()[-1].lower()), j
            return "name", c.start, c.end, c.ids, None, j
        w = c.text.lower()
        if w in SUBJECT_PRON:
            return "pronoun", c.start, c.end, (), SUBJECT_PRON[w], j
        if w == "you" and c.kind == "pronoun":
            return "pronoun", c.start, c.end, (), "I", j      # a reader-insert's "you said"
        return None
    w = toks[i][2].lower()
    if w in DETS and i + 1 < len(toks):
        # "the Dodo", "the obstinate Bounderby": a name after a determiner
        for jj in (i + 1, i + 2):
            if jj < len(toks):
                c = _mention_at(ctx_mentions, starts, toks[jj][0])
                if c is not None and c.kind == "name" and c.text[:1].isupper():
                    j2 = jj      # the name may run over several tokens: 'the Mock Turtle'
                    while j2 + 1 < len(toks) and toks[j2][1] < c.end:
                        j2 += 1
                    if toks[j2][1] == c.end:
                        return "name", c.start, c.end, c.ids, None, j2 + 1
                if jj < len(toks) and not toks[jj][2].islower():
                    break
        # a nominal: "the wolf", "the old man", "his lady"
        j = i + 1
        while j < len(toks) and j <= i + 3 and toks[j][2].isalpha():
            nxt = toks[j][2].lower()
            if j + 1 < len(toks) and toks[j + 1][2].isalpha() and toks[j + 1][2].islower() \
                    and _verbish(toks[j + 1][2])[0]:
                if nxt not in PERSON_NOUNS and nxt not in NOUN_GENDER and not _verbish(toks[j + 1][2])[1]:
                    return None      # 'the kettle boiled': a thing doing something, not a speaker
                g = NOUN_GENDER.get(nxt)
                return "nominal", s, toks[j][1], (), g, j + 1
            j += 1
        return None
    if w in SUBJECT_PRON:
        return "pronoun", s, toks[i][1], (), SUBJECT_PRON[w], i + 1
    return None


def _tag_opening(text: str, names_and_prons, starts, lo: int, hi: int):
    """A speech tag opening the narration text[lo:hi] (after leading punctuation/dashes), or None."""
    toks = _tokens(text, lo, min(hi, lo + 120))
    k = 0
    while k < len(toks) and not toks[k][2][0].isalnum():
        k += 1
    if k < len(toks) and toks[k][0] - lo <= 4:
        return _parse_start(text, names_and_prons, starts, toks, k)
    return None


def read_tags(story: Story, ctx_mentions: list, before: list, after: list) -> list:
    text = story.text
    names_and_prons = [c for c in ctx_mentions if c.in_quote < 0]
    starts = [c.start for c in names_and_prons]
    tags: list[list[Tag]] = []
    lead_in = _lead_ins(story, before)
    for i, q in enumerate(story.quotes):
        found: list[Tag] = []
        a0, a1 = after[i]
        t = _tag_opening(text, names_and_prons, starts, a0, a1)
        if t:
            t.side = "after"
            t.dist = t.start - a0
            found.append(t)
        if not found:
            t = _possessive_reply(text, names_and_prons, starts, a0, a1) or _voice_tag(text, names_and_prons, starts, a0, a1)
            if t:
                found.append(t)
        b0, b1 = before[i]
        if b1 > b0:
            seg = text[b0:b1]
            stripped = seg.rstrip()
            if stripped.endswith((",", ":", "\u2014", "-", ";")) or _ends_with_speech_verb(stripped):
                toks_b = _tokens(text, max(b0, b1 - 90), b1, limit=40)
                t = _parse_end(text, names_and_prons, starts, toks_b) \
                    or _parse_subject(text, names_and_prons, starts, b0, b0 + len(stripped))
                if t:
                    t.side = "before"
                    t.dist = b1 - t.end
                    found.append(t)
            elif stripped.endswith(".") and not found:
                # 'Miss Bertram began again. "You seemed ..."': a speech verb closing the narration
                toks_b = _tokens(text, max(b0, b1 - 60), b1, limit=40)
                t = _parse_end(text, names_and_prons, starts, toks_b[:-1]) if len(toks_b) > 2 else None
                if t and t.speech_verb and t.order == "mv" and toks_b[-2][2] not in ("nothing", "so", "this", "that", "it"):
                    t.side, t.order = "before", "dot"
                    t.dist = b1 - t.end
                    found.append(t)
            # the tag sitting between the previous quote and this one ("...," said he, "...")
            if i > 0 and story.quotes[i - 1].paragraph == q.paragraph:
                t = _tag_opening(text, names_and_prons, starts, b0, b1)
                if t:
                    t.side = "between"
                    t.dist = t.start - b0
                    found.append(t)
        if not found and lead_in[i] is not None:
            # 'Then Freddy said:' closing the paragraph before a quote that opens its own
            l0, l1 = lead_in[i]
            t = _parse_end(text, names_and_prons, starts, _tokens(text, max(l0, l1 - 90), l1, limit=40)) \
                or _parse_subject(text, names_and_prons, starts, l0, l1)
            if t:
                t.side = "before"
                t.dist = q.start - t.end
                found.append(t)
        tags.append(found)
    return tags


REPLY_RE = re.compile(r"\W{0,3}(?:was|came)\s+(?:(?:the|then|all|at\s+once)\s+)?(?=[A-Z])")
REPLY_AFTER = re.compile(r"(?:'s|\u2019s)\s+(?:[a-z\-]+\s+){0,2}(?:reply|answer|rejoinder|response|retort|question|remark|"
                         r"comment|exclamation|greeting|cry|answer|observation)\b")


def _possessive_reply(text, ms, starts, lo, hi):
    """'"Fanny will feel quite as grateful ...," was Edmund's only reply.'"""
    m = REPLY_RE.match(text, lo, min(hi, lo + 40))
    if not m:
        return None
    c = _mention_at(ms, starts, m.end())
    if c is None or c.kind != "name" or not c.ids or not REPLY_AFTER.match(text, c.end, min(hi, c.end + 40)):
        return None
    return Tag("after", "mv", "name", c.text, c.start, c.end, c.ids, None, True, c.start - lo)


VOICE_OF_RE = re.compile(r"\W{0,3}[a-z]+(?:\s+(?:in|out|forth|from))?\s+(?:the\s+|a\s+)?(?:[a-z\-]+\s+){0,2}voice\s+of\s+(?=[A-Z])")
VOICE_POSS_RE = re.compile(r"\W{0,3}[a-z]+(?:\s+(?:in|out|forth|from))?\s+(?=[A-Z])")
VOICE_AFTER = re.compile(r"(?:'s|\u2019s)\s+(?:[a-z\-]+\s+){0,2}(?:voice|lips|mouth|tongue)\b")


def _voice_tag(text, ms, starts, lo, hi):
    """'"...," cut in the clear voice of Inspector Ratcliffe.' / '"...," said Hamidullah's voice.' /
    '"...!" came from Sir Thomas's tight lips.': the voice (lips) of a named character speaks."""
    m = VOICE_OF_RE.match(text, lo, min(hi, lo + 60))
    if m:
        c = _mention_at(ms, starts, m.end())
        if c is not None and c.kind == "name" and c.ids:
            return Tag("after", "vm", "name", c.text, c.start, c.end, c.ids, None, True, c.start - lo)
        return None
    m = VOICE_POSS_RE.match(text, lo, min(hi, lo + 30))
    if m:
        c = _mention_at(ms, starts, m.end())
        if c is not None and c.kind == "name" and c.ids and VOICE_AFTER.match(text, c.end, min(hi, c.end + 40)):
            return Tag("after", "vm", "name", c.text, c.start, c.end, c.ids, None, True, c.start - lo)
    return None


def _lead_ins(story: Story, before: list) -> list:
    """Per quote: the narration (lo, hi) closing the previous paragraph with ':' when the quote
    opens its paragraph with no narration before it and that paragraph has no quote after it."""
    text = story.text
    last_quote_end: dict[int, int] = {}
    for q in story.quotes:
        last_quote_end[q.paragraph] = q.end
    out = []
    for i, q in enumerate(story.quotes):
        b0, b1 = before[i]
        p = q.paragraph
        if p < 1 or p >= len(story.paragraphs) or text[b0:b1].strip() or (i > 0 and story.quotes[i - 1].paragraph == p):
            out.append(None)
            continue
        prev = story.paragraphs[p - 1]
        lo = max(prev.start, last_quote_end.get(p - 1, prev.start - 1) + 1)
        seg = text[lo:prev.end].rstrip()
        # a paragraph that stops with no punctuation at all runs on into the quote ('said in a small voice')
        out.append((lo, lo + len(seg)) if seg.endswith((":", ",")) or seg[-1:].isalpha() or _ends_with_speech_verb(seg)
                   else None)
    return out


def _ends_with_speech_verb(seg: str) -> bool:
    """'... the Dodo solemnly presented the thimble, saying "We beg ..."' (no comma)."""
    tail = seg[-14:].split()
    return bool(tail) and (tail[-1] in SPEECH_VERBS or tail[-1] in SPEECH_ING)


def _parse_start(text, ms, starts, toks, k):
    """Tag at the start of narration: 'said Elizabeth', 'he croaked', 'returned she'."""
    first = toks[k][2]
    is_v, speech = _verbish(first)
    if is_v and k + 1 < len(toks):
        mt = _mention_token(ms, starts, toks, k + 1, text)
        if mt and (mt[0] != "nominal" or mt[3]):
            return Tag("", "vm", mt[0], text[mt[1]:mt[2]], mt[1], mt[2], mt[3], mt[4], speech)
        if speech and toks[k + 1][2] in PARTICLES and k + 2 < len(toks):
            mt = _mention_token(ms, starts, toks, k + 2, text)
            if mt and mt[0] == "name" and mt[3]:
                return Tag("", "vm", mt[0], text[mt[1]:mt[2]], mt[1], mt[2], mt[3], mt[4], speech)
        # 'sighed pleasure-loving Miss Derek': a modifier or two before a capitalised name
        for j in (k + 2, k + 3):
            if j < len(toks) and all(toks[m][2].isalpha() or "-" in toks[m][2] for m in range(k + 1, j)) \
                    and all(toks[m][2].islower() and toks[m][2] not in DETS for m in range(k + 1, j)):
                mt = _mention_token(ms, starts, toks, j, text)
                if mt and mt[0] == "name" and mt[3] and text[mt[1]].isupper():
                    return Tag("", "vm", mt[0], text[mt[1]:mt[2]], mt[1], mt[2], mt[3], mt[4], speech)
        if toks[k + 1][2].lower() in DETS:
            j = k + 2
            while j < len(toks) and j <= k + 4 and toks[j][2].isalpha():
                j += 1
            end = toks[j - 1][1]
            noun = toks[j - 1][2].lower()
            return Tag("", "vm", "nominal", text[toks[k + 1][0]:end], toks[k + 1][0], end, (), NOUN_GENDER.get(noun), speech)
    mt = _mention_token(ms, starts, toks, k, text)
    if mt:
        j = mt[5]
        while j < len(toks) and toks[j][2].lower() in AUX or (j < len(toks) and toks[j][2].endswith("ly") and toks[j][2].islower()):
            j += 1
            if j - mt[5] > 3:
                break
        if j < len(toks):
            is_v, speech = _verbish(toks[j][2])
            if is_v:
                return Tag("", "mv", mt[0], text[mt[1]:mt[2]], mt[1], mt[2], mt[3], mt[4], speech)
    return None


def _parse_end(text, ms, starts, toks):
    """Tag at the end of narration before a quote: 'Elizabeth replied,' / 'said Jane:'."""
    n = len(toks)
    # look for mention followed by verb within the last ~8 tokens
    for k in range(max(0, n - 9), n - 1):
        mt = _mention_token(ms, starts, toks, k, text)
        if mt:
            j = mt[5]
            while j < n and (toks[j][2].lower() in AUX or (toks[j][2].endswith("ly") and toks[j][2].islower())):
                j += 1
            if j < n:
                is_v, speech = _verbish(toks[j][2])
                if is_v and n - j <= 6:
                    return Tag("", "mv", mt[0], text[mt[1]:mt[2]], mt[1], mt[2], mt[3], mt[4], speech)
        is_v, speech = _verbish(toks[k][2])
        if speech and k + 1 < n:
            mt = _mention_token(ms, starts, toks, k + 1, text)
            if mt and mt[0] != "nominal" and n - mt[5] <= 4:
                return Tag("", "vm", mt[0], text[mt[1]:mt[2]], mt[1], mt[2], mt[3], mt[4], speech)
    return None


SENTENCE_END = re.compile(r"[.!?][\"'\u201d\u2019)]*\s+(?=[\"'\u201c\u2018(]?[A-Z])")


def _sentence_start(text: str, lo: int, hi: int) -> int:
    """Start of the sentence that ends at `hi` (not before `lo`): after the last '. ' that
    does not close an abbreviation such as 'Mr.'."""
    start = lo
    for m in SENTENCE_END.finditer(text, lo, hi):
        if text[m.start()] == "." and ABBREVIATIONS.search(text, max(lo, m.start() - 6), m.start()):
            continue
        start = m.end()
    return start


def _parse_subject(text, ms, starts, lo, hi):
    """A tag opening the clause that leads into a quote, the speech verb far from the quote:
    'McBryde raised his eyebrows, murmuring:', 'Fielding could not stand the tension any longer
    and blurted out:', 'Mr. Welland, beaming ..., was presently saying to Archer:', 'This was
    broken by Willoughby, who said with a faint smile,', 'Elinor then heard Willoughby say,'.
    The speaker is the last subject of the clause before its last speech verb: a name or he/she
    followed by a verb, a comma or 'who', not after a preposition or inside a subordinate clause.
    A description that names no one ('her brother', 'the lawyer') or 'it'/'they' as the last
    subject means no tag: the model decides."""
    s0 = _sentence_start(text, max(lo, hi - 400), hi)
    semi = text.rfind(";", s0, hi - 1)
    if semi >= 0:
        s0 = semi + 1          # 'Janey commented ...; and his mother added:'
    toks = _tokens(text, s0, hi, limit=90)
    v = -1
    for k in range(len(toks) - 1, -1, -1):
        w = toks[k][2]
        if w.islower() and (w in SPEECH_VERBS or w in SPEECH_ING or w in BARE_SPEECH):
            v = k
            break
    if v <= 0 or len(toks) - v > 12:
        return None
    best = None                # (mention tuple or None for an unknown subject, token index)
    subordinate = False
    k = 0
    while k < v:
        w = toks[k][2]
        lw = w.lower()
        if lw in SUBORDINATORS:
            subordinate = True
        elif w in (",", ":", "(", ")") and subordinate:
            subordinate = False
        prev = toks[k - 1][2] if k > 0 else ""
        lp = prev.lower()
        mt = _mention_token(ms, starts, toks, k, text)
        if mt is not None and mt[0] == "nominal" and not mt[3]:
            mt = None
        end = mt[5] if mt else k + 1
        unknown = False
        if mt is None:
            if lw in DETS and lw not in ("a", "an"):
                j = k + 1
                while j < v and j <= k + 3 and toks[j][2].isalpha() and toks[j][2].islower():
                    if toks[j][2] in PERSON_NOUNS:
                        unknown, end = True, j + 1
                        break
                    j += 1
            elif lw in OTHER_SUBJECTS and not (prev.isalpha() and prev.islower() and lp not in SUBJECT_LEAD):
                unknown = True     # 'held it out ... and said:': after a verb, 'it' is its object
        if mt is None and not unknown:
            k += 1
            continue
        if mt is not None and lp in PERCEIVE and toks[v][2] in BARE_SPEECH:
            best = (mt, k)     # 'heard Willoughby say,': the one heard speaks
            break
        nxt = toks[end][2] if end < len(toks) else ""
        nxt2 = toks[end + 1][2].lower() if end + 1 < len(toks) else ""
        obj = lp in OBJECT_BEFORE or lp in SUBORDINATORS or (prev.isalpha() and prev.islower() and lp.endswith(("ed", "ing"))
                                                             and lp not in SPEECH_VERBS and lp not in AUX)
        who = nxt == "," and nxt2 == "who"
        followed = nxt == "," or (nxt.isalpha() and nxt.islower() and nxt not in OBJECT_BEFORE
                                  and nxt not in DETS and nxt not in ("and", "or", "of", "in", "'s"))
        if who or (not obj and not subordinate and followed and end <= v):
            best = (None if unknown else mt, k)
        k = max(end, k + 1)
    if best is None or best[0] is None:
        return None
    mt = best[0]
    return Tag("", "subj", mt[0], text[mt[1]:mt[2]], mt[1], mt[2], mt[3], mt[4], True)


def _resolve_tags(story: Story, tags: list, mentions: list, heads: dict) -> None:
    """Give tags their referents when the surface alone does not: a description matches the
    cast by its head noun ('said the valet' -> 'His Valet'); a name several characters share
    ('John', 'Charles') goes to the one of them named unambiguously in this scene, or the one
    named last there when several are; one named in no recent scene leaves it to the model."""
    last_seen: dict[int, int] = {}
    linked = {m.start: m.character_id for m in story.mentions if m.character_id is not None}
    mi = 0
    for i, found in enumerate(tags):
        q = story.quotes[i]
        while mi < len(mentions) and mentions[mi].start < q.start:
            c = mentions[mi]
            if c.kind == "name" and len(c.ids) == 1:
                last_seen[c.ids[0]] = c.start
            mi += 1
        for t in found:
            if t.kind == "nominal" and not t.ids:
                words = t.text.lower().split()
                if words and words[-1] in heads:
                    t.ids = heads[words[-1]]
            elif t.kind == "name" and len(t.ids) > 1:
                # only one of them named in this scene (~3,000 characters): that one
                seen = [c for c in t.ids if q.start - last_seen.get(c, -10 ** 9) < 3000]
                if len(seen) == 1:
                    t.ids = (seen[0],)
                elif linked.get(t.start) in t.ids and sum(
                        t.text in story.characters[c].aliases for c in t.ids) > 1:
                    # else, where the cast itself lists the name under several of them, the cast
                    # stage's reading of this mention (whose family is in the scene)
                    t.ids = (linked[t.start],)
                elif seen:
                    # else the one of them named last: "John Parker came home, and his cousin
                    # John Ashby with him. Mr. Parker walked the field. '...,' said John" (PDNC,
                    # gold cast: right on 20 of 27 such tags, the model alone on 16)
                    t.ids = (max(seen, key=lambda c: last_seen[c]),)


def guess_genders_from_pronouns(story: Story, mentions: list, genders: list) -> list:
    """Characters with no known gender: vote with the pronouns that follow their name."""
    votes = [[0, 0] for _ in genders]
    last_name = None
    for c in mentions:
        if c.in_quote >= 0:
            continue
        if c.kind == "name" and len(c.ids) == 1:
            last_name = c
        elif c.kind == "pronoun" and last_name is not None and c.start - last_name.end < 80 and c.gender in ("M", "F"):
            votes[last_name.ids[0]][0 if c.gender == "M" else 1] += 1
            last_name = None
    out = list(genders)
    for i, g in enumerate(out):
        if g is None and sum(votes[i]) >= 2:
            m, f = votes[i]
            if m >= 2 * f:
                out[i] = "M"
            elif f >= 2 * m:
                out[i] = "F"
    return out


def build_context(story: Story) -> Context:
    index = build_alias_index(story)
    mentions = find_character_mentions(story, index) if story.characters else []
    _place(story, mentions)
    genders = guess_genders_from_pronouns(story, mentions, character_genders(story))
    narrator = next((c.id for c in story.characters if c.narrator), None)
    by_par: dict[int, list] = {}
    in_quote: dict[int, list] = {}
    counts = [0] * len(story.characters)
    first_person = 0
    third = 0
    for c in mentions:
        if c.kind == "name":
            for cid in c.ids:
                counts[cid] += 1
            if c.in_quote >= 0:
                in_quote.setdefault(c.in_quote, []).append(c)
            else:
                by_par.setdefault(c.paragraph, []).append(c)
        elif c.in_quote < 0:
            if c.gender == "I":
                first_person += 1
            elif c.gender in ("M", "F"):
                third += 1
    before, after, pos = _segments(story)
    tags = read_tags(story, mentions, before, after)
    _resolve_tags(story, tags, mentions, index.get("\x00heads", {}))
    return Context(story, genders, narrator, mentions, by_par, in_quote, tags, before, after, pos,
                   counts, first_person > 0.25 * (third + 1), index)


# ---------------------------------------------------------------- candidates and features

FEATURE_GROUPS = {
    "tag": ["tag_after_name", "tag_before_name", "tag_between_name", "tag_any_name", "tag_kind", "tag_side",
            "tag_order", "tag_speech_verb", "tag_dist", "tag_gender_agree", "tag_pron_rank", "tag_I_narrator",
            "tag_nominal_agree", "tag_n_ids"],
    "proximity": ["par_mentions", "before_mentions", "after_mentions", "near_dist", "prev_par_mentions",
                  "prev2_par_mentions", "next_par_mentions", "recency_rank", "pars_since_mention",
                  "first_in_par", "recency_rank_gender", "subj_rank", "subj_rank_gender", "subj_dist"],
    "inquote": ["named_here", "vocative_here", "named_prev", "named_prev2", "named_next", "self_named"],
    "turn": ["rule_prev1", "rule_prev2", "rule_next1", "rule_next2", "rule_prev_same_par", "since_rule",
             "rule_prev1_known", "rule_prev2_known", "spk_rank", "spk_rank_gender",
             "run_prev_parity", "run_prev_turns", "run_next_parity", "run_next_turns", "run_len"],
    "structure": ["alone", "k_in_par", "n_in_par", "narr_before_len", "narr_after_len", "quote_len",
                  "ends_q", "ends_excl", "ends_comma", "par_gap_prev", "par_gap_next", "n_cands"],
    "salience": ["global_count", "window_count", "gender_code", "rule_quotes_so_far", "is_narrator",
                 "conv_mentions", "conv_rule_count"],
    # the one addressed by name in the previous (next) paragraph's quote answers (was answered)
    "neighbour_vocative": ["vocative_prev", "vocative_next"],
    # whom the narration is about (quoth.speaker_features.referents): salience carried through
    # pronouns, and for a pronoun tag ('she said') its referent by several readings
    "reference": ["ref_rank_gender", "ref_rank", "ref_share", "ref_pron", "ref_subj", "ref_prev_speaker",
                  "ref_cataphora", "ref_long_rank_gender", "ref_long_pron"],
    # who takes part in the back-and-forth run: explicit turns over the whole run, one of its
    # two main explicit speakers, addressed by name in it
    "participants": ["run_rules_all", "run_pair", "run_vocatives"],
    # a pronoun tag's referent as the last of its gender addressed by name; a description tag's
    # head noun ('said the collector') ends one of the candidate's aliases; the cast stage's own
    # reading of the tag's pronoun or description (quoth.coref: sentence subjects first)
    "tag_reference": ["ref_addressed", "tag_head_alias", "tag_coref"],
    # whom a description tag ('said the girl', 'the doctor') names, read from the whole book: the
    # characters named around the description's uses in narration (quoth.speaker_features.descriptions)
    "description": ["desc_glob_rank", "desc_glob_share", "desc_loc_rank", "desc_loc_share", "desc_same_sentence",
                    "desc_title"],
    # how much the quote sounds like the quotes name tags give the candidate (voice.py)
    "voice": TAG_VOICE_FEATURES,
}
FEATURES = [f for g in FEATURE_GROUPS.values() for f in g]
FEATURE_INDEX = {f: i for i, f in enumerate(FEATURES)}
# a name followed by , ! ? . or ; is mostly said to someone ("Jane, come"); one opening a quote with a word
# after it is mostly its subject ("Medora is incorrigibly romantic": 110 of 486 PDNC gold aliases so placed
# name the addressee)
VOCATIVE_AFTER = re.compile(r"^\s*[,!?.;]")


def is_vocative(text: str, m) -> bool:
    """Whether the in-quote name mention m is a vocative, by what follows it."""
    return bool(VOCATIVE_AFTER.match(text[m.end:m.end + 2]))


SELF_NAME = re.compile(r"(?:\bI am|\bI'm|\bmy name is|\bit is I,?)\s*$", re.I)


def rule_speakers(ctx: Context) -> list:
    """Speaker fixed by an explicit name tag after or before the quote, or None."""
    out = []
    names = [c.name for c in ctx.story.characters]
    for tags in ctx.tags:
        sp = None
        for t in tags:
            if t.kind == "name" and len(t.ids) == 1 and t.side in ("after", "before"):
                sp = t.ids[0]
                break
        if sp is not None and not t.speech_verb:
            # '"My dear," said Mr. Sowerberry, "this is the boy." Oliver bowed again.': a speech
            # verb's tag (before this part or between the parts) beats a non-speech verb after it
            for b in tags:
                if b.side in ("before", "between") and b.kind == "name" and len(b.ids) == 1 and b.speech_verb:
                    sp = b.ids[0]
                    break
        if sp is None:
            # 'said the man in the grey coat' when that description is the character's very name
            # (a speaker known only by it): proof, unlike a description many could fit
            for t in tags:
                if (t.kind == "nominal" and len(t.ids) == 1 and t.side in ("after", "before")
                        and norm_alias(t.text) == norm_alias(names[t.ids[0]])
                        and norm_alias(t.text) not in GENERIC_NOUNS):
                    sp = t.ids[0]
                    break
        if sp is None and not any(t.side in ("after", "before") for t in tags):
            # '"...," said Elizabeth, "..."': the second part continues the tagged utterance
            for t in tags:
                if t.kind == "name" and len(t.ids) == 1 and t.side == "between":
                    sp = t.ids[0]
                    break
        if sp is None and ctx.narrator is not None:
            for t in tags:
                if t.kind == "pronoun" and t.gender == "I" and t.side in ("after", "before"):
                    sp = ctx.narrator
                    break
        out.append(sp)
    return out


def primary_tag(tags: list):
    for side in ("after", "before", "between"):
        for t in tags:
            if t.side == side:
                return t
    return None


def _nearest(sorted_starts: list[int], x: int) -> int:
    """Distance from x to the nearest value in a sorted list (non-empty)."""
    k = bisect_left(sorted_starts, x)
    best = abs(sorted_starts[k] - x) if k < len(sorted_starts) else 1 << 60
    if k > 0:
        best = min(best, abs(x - sorted_starts[k - 1]))
    return best


# ---------------------------------------------------------------- who 'he' / 'she' refers to

SUBJECT_LEAD = {"and", "but", "then", "so", "yet", "when", "as", "while", "now", "here", "there", "presently",
                "at", "last", "length", "once", "suddenly", "meanwhile", "still", "afterwards", "soon", "after",
                "this", "that", "moment", "instant", "again", "indeed", "however", "for", "a", "the", "only"}
SUBJECT_VERBS = {"was", "had", "is", "were", "looked", "turned", "nodded", "shook", "stood", "sat", "rose",
                 "walked", "seemed", "felt", "knew", "saw", "heard", "took", "gave", "made", "came", "left",
                 "did", "could", "would", "went", "got", "put", "began", "thought", "smiled", "laughed"}
CLAUSE_CUT = re.compile(r"[.!?;:\"\u201c\u201d]\s*|\n\s*\n|,\s*(?=(?:and|but|then|while|when|as)\s)")


def is_subject(text: str, start: int, end: int, lo: int) -> bool:
    """A name that opens its clause ('Then Harriet, ...', 'and Ralph stood') and is followed by a
    verb or a comma: the subject of its sentence, not an object ('looked at Jane')."""
    head = text[max(lo, start - 80):start]
    cut = -1
    for m in CLAUSE_CUT.finditer(head):
        cut = m.end()
    if cut < 0 and start - 80 > lo:
        return False
    lead = head[cut:] if cut >= 0 else head
    words = [w.lower() for w in WORD_RE.findall(lead) if w not in (",", "\u2014", "-")]
    if len(words) > 4 or any(w not in SUBJECT_LEAD for w in words):
        return False
    toks = WORD_RE.findall(text[end:end + 60])[:6]
    j = 0
    while j < len(toks) and (toks[j].lower() in AUX or (toks[j].endswith("ly") and toks[j].islower())):
        j += 1
    if j < len(toks):
        return toks[j] == "," or toks[j].lower() in SUBJECT_VERBS or _verbish(toks[j])[0]
    return False


# salience channels: a short memory that follows the narration closely, and a long one that
# also counts names inside the quotes (who is being talked about)
REF_CHANNELS = [
    {"half_life": 200.0, "subject": 2.0, "name": 1.0, "pron_subject": 0.5, "pron_other": 0.2, "speaker": 1.0,
     "in_quote": 0.0},
    {"half_life": 1000.0, "subject": 2.0, "name": 1.0, "pron_subject": 0.5, "pron_other": 0.2, "speaker": 1.0,
     "in_quote": 0.3},
]


class _Salience:
    """Per-character salience that halves every `half_life` characters, kept per gender so that
    resolving a pronoun looks only at the characters it could refer to. A character unmentioned
    for FORGET half-lives is forgotten; until then even a faint salience ranks them (by recency)."""

    FORGET = 30

    def __init__(self, genders: list, w: dict):
        self.G, self.w, self.H = genders, w, w["half_life"]
        self.S: dict = {}      # gender -> {character: (salience, offset)}

    def add(self, c, x, pos):
        t = self.S.setdefault(self.G[c], {})
        old = t.get(c)
        t[c] = ((old[0] * 2.0 ** (-(pos - old[1]) / self.H) if old else 0.0) + x, pos)

    def top(self, g, pos):
        t = self.S.get(g)
        if not t:
            return None
        best, bv = None, 0.0
        for c, (s, t0) in list(t.items()):
            if pos - t0 > self.FORGET * self.H:
                del t[c]
                continue
            v = s * 2.0 ** (-(pos - t0) / self.H)
            if v > bv:
                best, bv = c, v
        return best

    def now(self, pos):
        out = {}
        for t in self.S.values():
            for c, (s, t0) in list(t.items()):
                if pos - t0 > self.FORGET * self.H:
                    del t[c]
                else:
                    out[c] = s * 2.0 ** (-(pos - t0) / self.H)
        return out


def referents(ctx: Context, rules: list):
    """Follow the narration to whom each 'he' / 'she' refers: every name mention adds to its
    character's salience (a subject more), every narration pronoun goes to the most salient
    character of its gender and adds to it, an explicit speaker adds when the quote ends, and
    salience decays with distance (one table per channel of REF_CHANNELS). Per quote, at its tag
    (else its opening): ([{character: salience} per channel], last subject name per gender,
    first name of each gender after the tag in the paragraph)."""
    story = ctx.story
    text = story.text
    G = ctx.genders
    chans = [_Salience(G, w) for w in REF_CHANNELS]
    pars = story.paragraphs
    ms = ctx.mentions
    mi = 0
    last_subj: dict[str, int] = {}
    out_sal, out_subj, out_cata = [[] for _ in chans], [], []
    narr_names = [m for m in ms if m.in_quote < 0 and m.kind == "name" and len(m.ids) == 1]
    nstarts = [m.start for m in narr_names]
    for i, q in enumerate(story.quotes):
        pt = primary_tag(ctx.tags[i])
        lim = pt.start if (pt is not None and pt.side in ("after", "before")) else q.start
        while mi < len(ms) and ms[mi].start < lim:
            m = ms[mi]
            mi += 1
            if m.in_quote >= 0:
                if m.kind == "name" and len(m.ids) == 1:
                    for ch in chans:
                        if ch.w["in_quote"]:
                            ch.add(m.ids[0], ch.w["in_quote"], m.start)
                continue
            if m.kind == "name":
                if len(m.ids) == 1 and G[m.ids[0]] in ("M", "F"):
                    lo = pars[m.paragraph].start if 0 <= m.paragraph < len(pars) else 0
                    subj = is_subject(text, m.start, m.end, lo)
                    if subj:
                        last_subj[G[m.ids[0]]] = m.ids[0]
                    for ch in chans:
                        ch.add(m.ids[0], ch.w["subject"] if subj else ch.w["name"], m.start)
            elif m.gender in ("M", "F"):
                key = "pron_subject" if m.text.lower() in SUBJECT_PRON else "pron_other"
                for ch in chans:
                    r = ch.top(m.gender, m.start)
                    if r is not None:
                        ch.add(r, ch.w[key], m.start)
        for k, ch in enumerate(chans):
            out_sal[k].append(ch.now(lim))
        out_subj.append(dict(last_subj))
        # cataphora: the first name of each gender after the tag in this paragraph
        cata: dict[str, int] = {}
        if 0 <= q.paragraph < len(pars):
            k = bisect_left(nstarts, max(lim, q.end))
            pe = pars[q.paragraph].end
            while k < len(narr_names) and narr_names[k].start < pe and len(cata) < 2:
                c = narr_names[k].ids[0]
                if G[c] in ("M", "F"):
                    cata.setdefault(G[c], c)
                k += 1
        out_cata.append(cata)
        for ch in chans:
            if rules[i] is not None:
                ch.add(rules[i], ch.w["speaker"], q.end)
            elif pt is not None and pt.kind == "pronoun" and pt.gender in ("M", "F") and pt.side in ("after", "before"):
                r = ch.top(pt.gender, lim)
                if r is not None:
                    ch.add(r, ch.w["pron_subject"], q.end)
    return out_sal, out_subj, out_cata


# ---------------------------------------------------------------- whom a description names

# words that describe a position in the exchange or a sound, not a person: 'the other', 'a voice'
DESC_SKIP = {"other", "others", "voice", "voices", "first", "second", "third", "same", "former", "latter", "one",
             "two", "last", "next", "rest", "party", "company", "group", "pair", "speaker", "person", "whole"}
DESC_STOP = {"to", "with", "in", "at", "on", "from", "of", "for", "by", "as", "only", "still", "again", "then",
             "now", "who", "and", "but", "or", "after", "before", "into", "upon", "once", "too", "also"}
DESC_ARTICLES = {"the", "a", "an", "this", "that"}
DESC_POSSESSIVES = {"his", "her", "their", "my", "our", "your"}
DESC_WINDOW = 1500     # characters either side of a description's use: the scene it sits in
DESC_LOCAL = 5000      # the same scene: how the description was used just before and after the tag
DESC_ALPHA = 0.3       # a character named everywhere is named near every description: discount them
TITLE_ABBREV = {"dr": "doctor", "capt": "captain", "col": "colonel", "prof": "professor", "gen": "general",
                "rev": "reverend", "sgt": "sergeant", "lt": "lieutenant", "insp": "inspector"}
# a determiner and up to three words (the last two read ahead, so 'the old man said the girl' has two uses)
DESC_USE = re.compile(r"(?=[tThHmMoOyY])\b(the|this|that|his|her|their|my|our|your)\s+([A-Za-z][\w\-]*)"
                      r"(?=(?:\s+([a-z][\w\-]*))?(?:\s+([a-z][\w\-]*))?)", re.I)
SENTENCE_BREAK = re.compile(r"[.!?;][\"'\u201d\u2019)]*\s|\n")


def description_key(text: str) -> str | None:
    """'said the old gentleman' -> 'old gentleman', 'returned her brother' -> 'her brother'; None for
    what names no one in particular ('the other', 'a voice'). Trailing adverbs and prepositions go."""
    words = re.findall(r"[A-Za-z][\w\-]*", text.lower().replace("\u2019", "'"))
    if not words:
        return None
    out = [words[0]] if words[0] in DESC_POSSESSIVES else []
    for w in words[1:] if words[0] in DESC_ARTICLES or out else words:
        if w in DESC_STOP or w in DETS or (w.endswith("ly") and len(w) > 4) or len(out) >= 3:
            break
        out.append(w)
    if not out or out[-1] in DESC_SKIP or out[-1] in DESC_POSSESSIVES:
        return None
    return " ".join(out)


def descriptions(ctx: Context, keys_per_quote: list) -> tuple:
    """Whom each quote's description tag names, as the book uses the description. Every use of it
    in narration ('the girl', 'her mother') votes for the characters named within DESC_WINDOW
    characters (a name in the same sentence votes against: 'Fagin looked at the girl' is two people),
    only for those of the description's gender. Scores are discounted by how often a character is
    named at all. Returns per quote ({character: book score}, {character: score within DESC_LOCAL},
    {characters named in the tag's own sentence}) or None where the quote has no description tag.
    Linear in the text: one regex pass for all descriptions, one bisect per use."""
    story = ctx.story
    text = story.text
    G = ctx.genders
    keys = sorted({k for k in keys_per_quote if k}, key=len, reverse=True)
    out: list = [None] * len(keys_per_quote)
    if not keys:
        return out
    names = [m for m in ctx.mentions if m.kind == "name" and len(m.ids) == 1 and m.in_quote < 0
             and m.text[:1].isupper()]
    nstarts = [m.start for m in names]
    total: dict[int, int] = {}
    for m in names:
        total[m.ids[0]] = total.get(m.ids[0], 0) + 1
    breaks = [m.start() for m in SENTENCE_BREAK.finditer(text, story.body_start, story.body_end)]
    quotes = story.quotes
    qstarts = [q.start for q in quotes]

    keyset = set(keys)
    uses: dict[str, list] = {}       # key -> [(offset, {character: vote})]
    for m in DESC_USE.finditer(text, story.body_start, story.body_end):
        x = m.start()
        det = m.group(1).lower()
        words = [w.lower() for w in m.groups()[1:] if w]
        key = None
        for n in range(len(words), 0, -1):      # the longest description: 'the old man', not 'the old'
            k = " ".join(([det] if det in DESC_POSSESSIVES else []) + words[:n])
            if k in keyset:
                key = k
                break
        if key is None:
            continue
        j = bisect_left(qstarts, x + 1) - 1
        if j >= 0 and quotes[j].start <= x < quotes[j].end:
            continue      # inside a quote: a character talking about someone
        g = NOUN_GENDER.get(key.split()[-1]) or PERSON_NOUN_GENDER.get(key.split()[-1])
        sent = bisect_left(breaks, x)
        votes: dict[int, float] = {}
        for k in range(bisect_left(nstarts, x - DESC_WINDOW), bisect_left(nstarts, m.end() + DESC_WINDOW)):
            n = names[k]
            c = n.ids[0]
            if m.start() <= n.start < m.end() or (g is not None and G[c] not in (None, g)):
                continue
            same = bisect_left(breaks, n.start) == sent
            votes[c] = min(votes.get(c, 1.0), -1.0 if same else 1.0)
        uses.setdefault(key, []).append((x, votes))
    book: dict[str, dict] = {}
    for key, us in uses.items():
        sc: dict[int, float] = {}
        for _, v in us:
            share = len(v) ** -0.5 if v else 1.0     # a use among many names says less about each
            for c, w in v.items():
                sc[c] = sc.get(c, 0.0) + w * share
        book[key] = {c: w / total.get(c, 1) ** DESC_ALPHA for c, w in sc.items()}
    for i, key in enumerate(keys_per_quote):
        if not key:
            continue
        q = quotes[i]
        us = uses.get(key, [])
        lo = bisect_left(us, (q.start - DESC_LOCAL,))
        loc: dict[int, float] = {}
        for x, v in us[lo:]:
            if x > q.end + DESC_LOCAL:
                break
            for c, w in v.items():
                loc[c] = loc.get(c, 0.0) + w
        # who is named in the tag's own sentence: usually not the one it describes
        pt = primary_tag(ctx.tags[i])
        same = set()
        if pt is not None:
            sent = bisect_left(breaks, pt.start)
            for k in range(bisect_left(nstarts, pt.start - 300), bisect_left(nstarts, pt.end + 300)):
                if bisect_left(breaks, nstarts[k]) == sent:
                    same.add(names[k].ids[0])
        out[i] = (book.get(key, {}), loc, same)
    return out


def _title_words(story: Story) -> list:
    """Per character, the titles its names carry ('Doctor Losberne', 'Dr. Bull' -> {'doctor'})."""
    out = []
    for ch in story.characters:
        s = set()
        for a in [ch.name, *ch.aliases]:
            w = a.replace(".", " ").split() if isinstance(a, str) else []
            if len(w) >= 2 and w[0][:1].isupper() and w[1][:1].isupper():
                s.add(TITLE_ABBREV.get(w[0].lower(), w[0].lower()))
        out.append(s)
    return out


def _score_ranks(scores: dict, cands: list) -> tuple[dict, float]:
    """Rank of each candidate by a positive score (9 when it has none) and the best score of all."""
    pos = sorted((c for c in cands if scores.get(c, 0.0) > 0), key=lambda c: -scores[c])
    best = max((v for v in scores.values()), default=0.0)
    return {c: r for r, c in enumerate(pos)}, best


def candidates_and_features(ctx: Context):
    # Per-paragraph mention counts and lists by character, built once per paragraph:
    # scanning a paragraph's mentions for every quote in it was quadratic on long paragraphs.
    par_cache: dict[int, tuple[dict, dict]] = {}

    def par_index(pp: int) -> tuple[dict, dict]:
        r = par_cache.get(pp)
        if r is None:
            counts: dict[int, int] = {}
            by_cid: dict[int, list] = {}
            for c in ctx.by_par.get(pp, ()):
                for cid in c.ids:
                    counts[cid] = counts.get(cid, 0) + 1
                for cid in dict.fromkeys(c.ids):
                    by_cid.setdefault(cid, []).append(c)
            r = par_cache[pp] = (counts, by_cid)
        return r

    # the paragraphs that have mentions, in order: a window of paragraphs visits only these
    # (in the same ascending order as a full range, so dict insertion orders are unchanged)
    mention_pars = sorted(ctx.by_par)

    def pars_in(lo: int, hi: int) -> list[int]:
        return mention_pars[bisect_left(mention_pars, lo):bisect_left(mention_pars, hi)]

    par_counts = {pp: par_index(pp)[0] for pp in mention_pars}

    # per quote, how many of its in-quote mentions can refer to each character (f[30..32])
    inq_cache: dict[int, dict] = {}

    def inq_counts(qq: int) -> dict:
        r = inq_cache.get(qq)
        if r is None:
            r = inq_cache[qq] = {}
            for m in ctx.in_quote.get(qq, ()):
                for cid in dict.fromkeys(m.ids):
                    r[cid] = r.get(cid, 0) + 1
        return r

    starts_cache: dict[tuple[int, int], list[int]] = {}

    def par_starts(pp: int, cid: int) -> list[int]:
        key = (pp, cid)
        r = starts_cache.get(key)
        if r is None:
            r = starts_cache[key] = sorted(m.start for m in par_index(pp)[1].get(cid, ()))
        return r

    """Returns (rows, groups, rules): rows is a list of feature lists, groups a list of
    (quote index, [candidate ids], first row), rules the explicit speaker per quote."""
    story = ctx.story
    quotes = story.quotes
    nq = len(quotes)
    rules = rule_speakers(ctx)
    genders = ctx.genders
    ref_sal, ref_subj, ref_cata = referents(ctx, rules)
    linked = {m.start: m.character_id for m in story.mentions
              if m.character_id is not None and m.kind in ("pronoun", "nominal") and m.in_quote is None}
    desc_keys = []
    for tags in ctx.tags:
        pt = primary_tag(tags)
        desc_keys.append(description_key(pt.text) if pt is not None and pt.kind == "nominal" else None)
    desc = descriptions(ctx, desc_keys)
    titles = _title_words(story)
    alias_heads = [{norm_alias(a).split()[-1] for a in [ch.name, *ch.aliases] if isinstance(a, str) and norm_alias(a)}
                   for ch in story.characters]
    last_rule_g: dict[str, tuple[int, int]] = {}     # gender -> (quote, explicit speaker)
    rows: list[list[float]] = []
    groups = []
    text = story.text
    narr = [c for c in ctx.mentions if c.in_quote < 0 and c.kind == "name"]
    # a name near the start of its sentence is likely its subject: the centre of attention
    subj = []
    for c in narr:
        p0 = story.paragraphs[c.paragraph].start if 0 <= c.paragraph < len(story.paragraphs) else max(0, c.start - 200)
        head = text[max(p0, c.start - 120):c.start]
        cut = max(head.rfind(". "), head.rfind("! "), head.rfind("? "), head.rfind("\"\n"), head.rfind("\u201d"), head.rfind('" '))
        lead = head[cut + 1:] if cut >= 0 else (head if c.start - 120 <= p0 else None)
        subj.append(lead is not None and len(lead.split()) <= 3)
    last_subj: dict[int, int] = {}
    last_pos: dict[int, int] = {}
    last_par: dict[int, int] = {}
    mp = 0
    rule_count: dict[int, int] = {}
    last_rule_q: dict[int, int] = {}
    text = story.text
    conv_start = []
    for i, q in enumerate(quotes):
        if i > 0 and q.paragraph - quotes[i - 1].paragraph <= 3:
            conv_start.append(conv_start[-1])
        else:
            conv_start.append(i)
    # back-and-forth runs: quotes in consecutive paragraphs; a turn is one paragraph
    run_id, turn = [], []
    for i, q in enumerate(quotes):
        gap = q.paragraph - quotes[i - 1].paragraph if i else 99
        if i and gap <= 1:
            run_id.append(run_id[-1])
            turn.append(turn[-1] + gap)
        else:
            run_id.append(i)
            turn.append(0)
    vocatives = []
    for i, q in enumerate(quotes):
        vocatives.append({m.ids[0] for m in ctx.in_quote.get(i, ()) if len(m.ids) == 1
                          and is_vocative(text, m)})
    run_size: dict[int, int] = {}
    for r in run_id:
        run_size[r] = run_size.get(r, 0) + 1
    # who takes part in each back-and-forth run: its explicit speakers and those addressed in it
    run_rules: dict[int, dict] = {}
    run_voc: dict[int, dict] = {}
    for i in range(nq):
        r = run_id[i]
        if rules[i] is not None:
            d = run_rules.setdefault(r, {})
            d[rules[i]] = d.get(rules[i], 0) + 1
        for c in vocatives[i]:
            d = run_voc.setdefault(r, {})
            d[c] = d.get(c, 0) + 1
    run_pair = {r: {c for c, _ in sorted(d.items(), key=lambda x: -x[1])[:2]} for r, d in run_rules.items()}
    rule_quotes = [qq for qq in range(nq) if rules[qq] is not None]
    # the characters named within the last 30 paragraphs (a superset: see `recent`), oldest
    # mention first, so that those left behind drop off the front instead of being rescanned
    active: OrderedDict[int, None] = OrderedDict()
    # dropping them is only safe while quotes come in paragraph order
    in_order = all(quotes[j].paragraph <= quotes[j + 1].paragraph for j in range(nq - 1))
    for i, q in enumerate(quotes):
        p = q.paragraph
        while mp < len(narr) and narr[mp].start < q.start:
            for cid in narr[mp].ids:
                last_pos[cid] = narr[mp].start
                last_par[cid] = narr[mp].paragraph
                if subj[mp]:
                    last_subj[cid] = narr[mp].start
                active[cid] = None
                active.move_to_end(cid)
            mp += 1
        while in_order and active and p - last_par[next(iter(active))] > 30:
            active.popitem(last=False)
        cands: dict[int, None] = {}
        tags = ctx.tags[i]
        for t in tags:
            for cid in t.ids:
                cands[cid] = None
        for pp in pars_in(p - 3, p + 2):
            for cid in par_counts[pp]:
                cands[cid] = None
        for qq in range(max(0, i - 3), min(nq, i + 3)):
            for c in ctx.in_quote.get(qq, ()):
                for cid in c.ids:
                    cands[cid] = None
        for qq in range(max(0, i - 6), min(nq, i + 4)):
            if rules[qq] is not None:
                cands[rules[qq]] = None
        # everyone named or tagged since the conversation began
        c0 = conv_start[i]
        conv_m: dict[int, int] = {}
        for pp in pars_in(max(quotes[c0].paragraph - 3, p - 40), p + 1):
            for cid, n in par_counts[pp].items():
                conv_m[cid] = conv_m.get(cid, 0) + n
        conv_r: dict[int, int] = {}
        for qq in rule_quotes[bisect_left(rule_quotes, max(c0, i - 60)):bisect_left(rule_quotes, min(nq, i + 4))]:
            conv_r[rules[qq]] = conv_r.get(rules[qq], 0) + 1
        for cid in conv_m:
            cands[cid] = None
        for cid in conv_r:
            cands[cid] = None
        # nlargest == sorted(reverse=True)[:n], without sorting everyone named so far
        recent = nlargest(6, ((last_pos[cid], cid) for cid in active if p - last_par[cid] <= 30))
        for _, cid in recent:
            cands[cid] = None
        for t in tags:
            if t.gender in ("M", "F"):
                same = nlargest(2, ((pos, cid) for cid, pos in last_pos.items()
                                    if genders[cid] == t.gender and p - last_par[cid] <= 60))
                for _, cid in same:
                    cands[cid] = None
        if desc[i] is not None:
            # the characters the book most often names around this description
            for sc, top in ((desc[i][0], 2), (desc[i][1], 1)):
                for cid in sorted((c for c, v in sc.items() if v > 0), key=lambda c: -sc[c])[:top]:
                    cands[cid] = None
        if ctx.narrator is not None and ctx.first_person:
            cands[ctx.narrator] = None
        if not cands:
            groups.append((i, [], len(rows)))
            continue
        cand_list = list(cands)
        # quote-level values
        pt = primary_tag(tags)
        kind = {"name": 1, "pronoun": 2, "nominal": 3}.get(pt.kind, 0) if pt else 0
        side = {"after": 1, "before": 2, "between": 3}.get(pt.side, 0) if pt else 0
        order = {"mv": 1, "vm": 2, "subj": 3}.get(pt.order, 0) if pt else 0
        b0, b1 = ctx.narr_before[i]
        a0, a1 = ctx.narr_after[i]
        before_len = len(text[b0:b1].strip())
        after_len = len(text[a0:a1].strip())
        k, n_in = ctx.quote_pos[i]
        qt = q.text.rstrip()
        gap_prev = p - quotes[i - 1].paragraph if i > 0 else 99
        gap_next = quotes[i + 1].paragraph - p if i + 1 < nq else 99
        window: dict[int, int] = {}
        for pp in pars_in(p - 20, p + 3):
            for cid, n in par_counts[pp].items():
                window[cid] = window.get(cid, 0) + n
        par_m = ctx.by_par.get(p, [])
        here = ctx.in_quote.get(i, [])
        recency = sorted(cand_list, key=lambda c: -last_pos.get(c, -1))
        rec_rank = {c: r for r, c in enumerate(recency)}
        gender_rank: dict[int, int] = {}
        gcount: dict = {}
        for c in recency:
            g = genders[c]
            gender_rank[c] = gcount.get(g, 0)
            gcount[g] = gcount.get(g, 0) + 1
        by_subj = sorted(cand_list, key=lambda c: -last_subj.get(c, -1))
        subj_rank = {c: r for r, c in enumerate(by_subj)}
        subj_grank: dict[int, int] = {}
        gcount = {}
        for c in by_subj:
            g = genders[c]
            subj_grank[c] = gcount.get(g, 0)
            gcount[g] = gcount.get(g, 0) + 1
        by_spk = sorted(cand_list, key=lambda c: -last_rule_q.get(c, -1))
        spk_rank = {c: r for r, c in enumerate(by_spk)}
        spk_grank: dict[int, int] = {}
        gcount = {}
        for c in by_spk:
            g = genders[c]
            spk_grank[c] = gcount.get(g, 0) if c in last_rule_q else 9
            gcount[g] = gcount.get(g, 0) + (c in last_rule_q)
        # the nearest explicit turn of each candidate in this run, before and after
        run_prev: dict[int, int] = {}
        j = i - 1
        while j >= 0 and run_id[j] == run_id[i] and i - j <= 30:
            if rules[j] is not None and rules[j] not in run_prev and turn[j] < turn[i]:
                run_prev[rules[j]] = turn[i] - turn[j]
            j -= 1
        run_next: dict[int, int] = {}
        j = i + 1
        while j < nq and run_id[j] == run_id[i] and j - i <= 30:
            if rules[j] is not None and rules[j] not in run_next and turn[j] > turn[i]:
                run_next[rules[j]] = turn[j] - turn[i]
            j += 1
        prev_same_par = rules[i - 1] if i > 0 and quotes[i - 1].paragraph == p else None
        # reference: salience ranks; the pronoun tag's referent by salience, subject, speaker, cataphora
        salm = ref_sal[0][i]
        sal_long = ref_sal[1][i]
        by_sal = sorted(cand_list, key=lambda c: -salm.get(c, 0.0))
        sal_rank = {c: (r if salm.get(c, 0.0) > 0 else 9) for r, c in enumerate(by_sal)}
        sal_grank: dict[int, int] = {}
        sal_gsum: dict = {}
        gcount = {}
        for c in by_sal:
            g = genders[c]
            sal_grank[c] = gcount.get(g, 0) if salm.get(c, 0.0) > 0 else 9
            gcount[g] = gcount.get(g, 0) + 1
            sal_gsum[g] = sal_gsum.get(g, 0.0) + salm.get(c, 0.0)
        pg = pt.gender if (pt is not None and pt.kind == "pronoun" and pt.gender in ("M", "F")
                           and pt.side in ("after", "before")) else None
        pron_ref = pron_ref_long = prev_g_spk = addressed_g = None
        if pg is not None:
            same = [(v, c) for c, v in salm.items() if genders[c] == pg]
            pron_ref = max(same)[1] if same else None
            same = [(v, c) for c, v in sal_long.items() if genders[c] == pg]
            pron_ref_long = max(same)[1] if same else None
            lr = last_rule_g.get(pg)
            prev_g_spk = lr[1] if lr is not None and i - lr[0] <= 10 else None
            # the last one of that gender addressed by name in the quotes just before
            for j in range(i - 1, max(-1, i - 5), -1):
                if p - quotes[j].paragraph > 3:
                    break
                hit = [c for c in vocatives[j] if genders[c] == pg and c != rules[j]]
                if hit:
                    addressed_g = hit[0]
                    break
        head = pt.text.lower().split()[-1] if pt is not None and pt.kind == "nominal" and pt.text.split() else None
        long_rank: dict[int, int] = {}
        gcount = {}
        for c in sorted(cand_list, key=lambda c: -sal_long.get(c, 0.0)):
            g = genders[c]
            long_rank[c] = gcount.get(g, 0) if sal_long.get(c, 0.0) > 0 else 9
            gcount[g] = gcount.get(g, 0) + 1
        first_in_par = par_m[0].ids if par_m else ()
        if desc[i] is not None:
            d_book, d_loc, d_same = desc[i]
            d_book_rank, d_book_best = _score_ranks(d_book, cand_list)
            d_loc_rank, d_loc_best = _score_ranks(d_loc, cand_list)
            d_head = desc_keys[i].split()[-1]
        # the values shared by all candidates of this quote go into a template row once
        base = [0.0] * len(FEATURES)
        base[3] = 1.0 if any(t.kind == "name" for t in tags) else 0.0
        base[4], base[5], base[6] = kind, side, order
        pt_gendered = pt is not None and pt.kind in ("pronoun", "nominal") and pt.gender in ("M", "F")
        base[10] = -1
        if pt:
            base[7] = 1.0 if pt.speech_verb else 0.0
            base[8] = min(pt.dist, 100)
            base[13] = len(pt.ids)
        base[40] = 1.0 if i > 0 and rules[i - 1] is not None else 0.0
        base[41] = 1.0 if i > 1 and rules[i - 2] is not None else 0.0
        base[48] = min(run_size[run_id[i]], 50)
        base[49] = 1.0 if before_len == 0 and after_len == 0 and n_in == 1 else 0.0
        base[50], base[51] = k, n_in
        base[52], base[53] = min(before_len, 300), min(after_len, 300)
        base[54] = min(len(qt), 1000)
        base[55] = 1.0 if qt.endswith("?") else 0.0
        base[56] = 1.0 if qt.endswith("!") else 0.0
        base[57] = 1.0 if qt.endswith((",", "\u2014", "-")) else 0.0
        base[58], base[59] = min(gap_prev, 99), min(gap_next, 99)
        base[60] = len(cand_list)
        if pg is None:
            base[73] = base[74] = base[75] = base[76] = base[78] = base[82] = -1.0
        if head is None:
            base[83] = -1.0
        tag_coref = linked.get(pt.start) if pt is not None and pt.kind in ("pronoun", "nominal") else None
        if tag_coref is None:
            base[84] = -1.0
        if desc[i] is None:
            for fi in DESC_COLS:
                base[fi] = -1.0
        # per-quote lookups the candidate loop reads
        by_cid_prev1 = par_index(p - 1)[1]
        by_cid_prev2 = par_index(p - 2)[1]
        by_cid_next1 = par_index(p + 1)[1]
        inq_prev1, inq_prev2, inq_next1 = inq_counts(i - 1), inq_counts(i - 2), inq_counts(i + 1)
        r = run_id[i]
        run_rules_r = run_rules.get(r, {})
        run_pair_r = run_pair.get(r)
        run_voc_r = run_voc.get(r, {})
        voc_here = vocatives[i]
        voc_prev = vocatives[i - 1] if i > 0 and quotes[i - 1].paragraph < p else ()
        voc_next = vocatives[i + 1] if i + 1 < nq and quotes[i + 1].paragraph > p else ()
        rule_prev1 = rules[i - 1] if i > 0 else None
        rule_prev2 = rules[i - 2] if i > 1 else None
        rule_next1 = rules[i + 1] if i + 1 < nq else None
        rule_next2 = rules[i + 2] if i + 2 < nq else None
        if pg is not None:
            subj_ref, cata_ref = ref_subj[i].get(pg), ref_cata[i].get(pg)
        start = len(rows)
        for c in cand_list:
            g = genders[c]
            f = base.copy()
            # tag
            for t in tags:
                if c in t.ids:
                    f[TAG_SIDE_COL[t.side]] = 1.0
            if pt:
                if pt_gendered:
                    f[9] = 0.0 if g is None else (1.0 if g == pt.gender else -1.0)
                    f[10] = gender_rank[c] if g == pt.gender else -1
                f[11] = 1.0 if pt.kind == "pronoun" and pt.gender == "I" and c == ctx.narrator else 0.0
                f[12] = 1.0 if pt.kind == "nominal" and pt.gender and g == pt.gender else 0.0
            # proximity
            pm = par_starts(p, c)     # sorted starts of c's mentions in this paragraph
            f[14] = len(pm)
            f[15] = bisect_left(pm, b1) - bisect_left(pm, b0)
            f[16] = bisect_left(pm, a1) - bisect_left(pm, a0)
            if pm:
                f[17] = min(_nearest(pm, q.start), _nearest(pm, q.end)) / 10.0
            else:
                f[17] = 999
            f[18] = len(by_cid_prev1.get(c, ()))
            f[19] = len(by_cid_prev2.get(c, ()))
            f[20] = len(by_cid_next1.get(c, ()))
            f[21] = rec_rank[c]
            f[22] = min(p - last_par[c], 50) if c in last_par else 50
            f[23] = 1.0 if c in first_in_par else 0.0
            f[24] = gender_rank[c]
            f[25] = subj_rank[c]
            f[26] = subj_grank[c]
            f[27] = min((q.start - last_subj[c]) / 100.0, 50) if c in last_subj else 50
            # inquote
            if here:
                hm = [m for m in here if c in m.ids]
                f[28] = len(hm)
                f[29] = sum(1 for m in hm if is_vocative(text, m))
                f[33] = sum(1 for m in hm if SELF_NAME.search(text[max(q.start, m.start - 14):m.start]))
            else:
                f[28] = f[29] = f[33] = 0
            f[30] = inq_prev1.get(c, 0)
            f[31] = inq_prev2.get(c, 0)
            f[32] = inq_next1.get(c, 0)
            # turn
            f[34] = 1.0 if rule_prev1 == c else 0.0
            f[35] = 1.0 if rule_prev2 == c else 0.0
            f[36] = 1.0 if rule_next1 == c else 0.0
            f[37] = 1.0 if rule_next2 == c else 0.0
            f[38] = 1.0 if prev_same_par == c else 0.0
            f[39] = min(i - last_rule_q[c], 30) if c in last_rule_q else 30
            f[42] = spk_rank[c] if c in last_rule_q else 30
            f[43] = spk_grank[c]
            f[44] = run_prev[c] % 2 if c in run_prev else -1
            f[45] = min(run_prev.get(c, 31), 31)
            f[46] = run_next[c] % 2 if c in run_next else -1
            f[47] = min(run_next.get(c, 31), 31)
            # salience
            f[61] = ctx.mention_counts[c]
            f[62] = window.get(c, 0)
            f[63] = GENDER_CODE.get(g, 0)
            f[64] = rule_count.get(c, 0)
            f[65] = 1.0 if c == ctx.narrator else 0.0
            f[66] = conv_m.get(c, 0)
            f[67] = conv_r.get(c, 0)
            # neighbour vocatives
            f[68] = 1.0 if c in voc_prev else 0.0
            f[69] = 1.0 if c in voc_next else 0.0
            # reference
            f[70] = sal_grank[c]
            f[71] = sal_rank[c]
            f[72] = salm.get(c, 0.0) / sal_gsum[g] if sal_gsum.get(g) else 0.0
            if pg is not None:
                f[73] = 1.0 if c == pron_ref else 0.0
                f[74] = 1.0 if subj_ref == c else 0.0
                f[75] = 1.0 if c == prev_g_spk else 0.0
                f[76] = 1.0 if cata_ref == c else 0.0
                f[78] = 1.0 if c == pron_ref_long else 0.0
                f[82] = 1.0 if c == addressed_g else 0.0
            f[77] = long_rank[c]
            if head is not None:
                f[83] = 1.0 if head in alias_heads[c] else 0.0
            if tag_coref is not None:
                f[84] = 1.0 if c == tag_coref else 0.0
            # description: whom the book names around this description
            if desc[i] is not None:
                f[DESC_GLOB_RANK] = d_book_rank.get(c, 9)
                f[DESC_GLOB_SHARE] = max(d_book.get(c, 0.0), 0.0) / d_book_best if d_book_best > 0 else 0.0
                f[DESC_LOC_RANK] = d_loc_rank.get(c, 9)
                f[DESC_LOC_SHARE] = max(d_loc.get(c, 0.0), 0.0) / d_loc_best if d_loc_best > 0 else 0.0
                f[DESC_SAME_SENTENCE] = 1.0 if c in d_same else 0.0
                f[DESC_TITLE] = 1.0 if d_head in titles[c] else 0.0
            # participants of the run
            f[79] = min(run_rules_r.get(c, 0), 30)
            f[80] = (1.0 if c in run_pair_r else 0.0) if run_pair_r is not None else -1.0
            f[81] = min(run_voc_r.get(c, 0) - (1 if c in voc_here else 0), 30)
            rows.append(f)
        groups.append((i, cand_list, start))
        if rules[i] is not None:
            rule_count[rules[i]] = rule_count.get(rules[i], 0) + 1
            last_rule_q[rules[i]] = i
            if genders[rules[i]] in ("M", "F"):
                last_rule_g[genders[rules[i]]] = (i, rules[i])
    ctx.quote_vectors = quote_vectors(story, groups)
    voice_cols = FEATURE_INDEX[TAG_VOICE_FEATURES[0]]
    for f, v in zip(rows, tag_voice_features(story, groups, rules, ctx.quote_vectors).tolist()):
        f[voice_cols:voice_cols + len(v)] = v
    return rows, groups, rules


assert len(FEATURES) == 97, len(FEATURES)
TAG_SIDE_COL = {"after": 0, "before": 1, "between": 2}
GENDER_CODE = {"M": 1, "F": 2}
DESC_COLS = [FEATURE_INDEX[name] for name in FEATURE_GROUPS["description"]]
DESC_GLOB_RANK, DESC_GLOB_SHARE = FEATURE_INDEX["desc_glob_rank"], FEATURE_INDEX["desc_glob_share"]
DESC_LOC_RANK, DESC_LOC_SHARE = FEATURE_INDEX["desc_loc_rank"], FEATURE_INDEX["desc_loc_share"]
DESC_SAME_SENTENCE, DESC_TITLE = FEATURE_INDEX["desc_same_sentence"], FEATURE_INDEX["desc_title"]


# ---------------------------------------------------------------- second pass (stacking)

STACK_FEATURES = ["p1", "p1_rank", "dec_here", "dec_prev1", "dec_prev2", "dec_next1", "dec_next2",
                  "p1_prev1", "p1_prev2", "p1_next1", "p1_next2"]


def stack_features(groups: list, probs: list, decoded: list):
    """Features from the first pass's decoded conversation: who it thinks spoke around
    each quote, and how sure it was. Appended to the first-pass features."""
    n = len(groups)
    chosen = [cl[k] if k >= 0 else None for (_, cl, _), k in zip(groups, decoded)]
    pmap = [dict(zip(cl, p)) for (_, cl, _), p in zip(groups, probs)]
    rows = []
    for t, ((i, cl, _), p) in enumerate(zip(groups, probs)):
        if not cl:
            continue
        order = np.argsort(-p)
        rank = np.empty(len(p))
        rank[order] = np.arange(len(p))
        for k, c in enumerate(cl):
            rows.append([p[k], rank[k], float(chosen[t] == c),
                         float(t > 0 and chosen[t - 1] == c), float(t > 1 and chosen[t - 2] == c),
                         float(t + 1 < n and chosen[t + 1] == c), float(t + 2 < n and chosen[t + 2] == c),
                         pmap[t - 1].get(c, 0.0) if t > 0 else 0.0, pmap[t - 2].get(c, 0.0) if t > 1 else 0.0,
                         pmap[t + 1].get(c, 0.0) if t + 1 < n else 0.0, pmap[t + 2].get(c, 0.0) if t + 2 < n else 0.0])
    return np.asarray(rows, dtype=np.float64).reshape(-1, len(STACK_FEATURES))
