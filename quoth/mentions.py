"""Stage 4: mentions — names, pronouns, person nouns and vocatives, each with offsets.

Names are runs of capitalised words. Whether a capitalised word is a name is decided
with statistics over the whole book: a word that is capitalised in mid-sentence and
rarely written in lowercase ("Darcy") is a name; one that is mostly lowercase
("Poor", "Well") is only capitalised because it starts a sentence.
"""
from __future__ import annotations

import bisect
import re
from collections import Counter

from .names import (CONTRACTION_TAIL, NOT_NAMES, RANKS, PERSON_NOUN_GENDER, PERSON_NOUNS, SPEECH_VERBS,
                    is_title, split_honorific, title_key)
from .story import Mention, Story

WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
CAP_WORD = re.compile(r"(?<![\w'’-])[^\W\d_a-z](?:[^\W\d_]|[\u0300-\u036f]|[-'’](?=[^\W\d_]))*")
LOWER_WORD = re.compile(r"(?<![\w'’-])[a-z]+")
PARTICLES = {"de", "van", "von", "du", "da", "di", "del", "della", "le", "la", "ter", "ten", "bin",
             "ibn", "al", "dos", "das", "der", "den", "zu", "y"}
ABBREVIATIONS = {"Mr", "Mrs", "Ms", "Dr", "St", "Mme", "Mlle", "Capt", "Col", "Lt", "Sgt", "Prof",
                 "Rev", "M", "Gen", "Maj", "Jr", "Sr"}
# kin words that are no names but may address someone ("Granny, do sit down")
KIN_WORDS = {"Granny", "Grandmamma", "Grandmother", "Grandma", "Grandpapa", "Grandpa", "Grandfather", "Mamma",
             "Mama", "Mum", "Mummy", "Mother", "Papa", "Pappa", "Father", "Dad", "Daddy", "Nanny", "Uncle",
             "Aunt", "Auntie"}
# titles that, met inside a run of capitalised words, begin a new name ("Anne Mrs. Lynde")
INNER_TITLES = {"mr", "mrs", "miss", "ms", "mme", "mlle", "dr", "sir", "lady", "lord", "monsieur",
                "madame", "mademoiselle", "mister", "herr", "frau", "signor", "signora", "signorina"}
SKIP_BACK = set(" \t\n\"“”‘’'(_*[")
QUOTE_MARKS = set('"“”‘’(')

PRONOUNS = {
    "he": "M", "him": "M", "his": "M", "himself": "M",
    "she": "F", "her": "F", "hers": "F", "herself": "F",
    "i": "I", "me": "I", "my": "I", "mine": "I", "myself": "I",
    "they": "N", "them": "N", "their": "N", "theirs": "N", "themselves": "N",
}
PRONOUN = re.compile(r"\b(?:[Hh](?:e|im|is|imself|er|ers|erself)|[Ss]he|I|[Mm](?:e|y|ine|yself)|"
                     r"[Tt]he(?:y|m|ir|irs|mselves))\b(?![-'’]\w)")
FUNCTION_WORDS = set("""the a an and or but of to in on at with for from by was is were are had has have be
his her he she it its they them their that this i my me you your as not no so""".split())
DETERMINED = re.compile(r"\b([Tt]he|[Tt]his|[Tt]hat|[Hh]is|[Hh]er|[Tt]heir|[Mm]y|[Yy]our|[Oo]ur|[Aa]n?)\s+"
                        r"(?=((?:[A-Za-z][\w'’-]*[ \t]*\n?[ \t]*){1,4}))")
_W = re.compile(r"[A-Za-z][\w'’-]*")


class WordStats:
    """Book-level counts of how each word is written."""

    def __init__(self) -> None:
        self.cap_mid: Counter[str] = Counter()    # capitalised, not sentence-initial
        self.cap_init: Counter[str] = Counter()
        self.lower: Counter[str] = Counter()      # written in lowercase
        self.names: set[str] = set()    # words that are given names in this story ("May Welland", "Will Graham")
        self.compounds: dict[str, str] = {}     # "Civil" -> "Surgeon": written capitalised only before it

    def name_like(self, word: str, initial: bool) -> bool:
        if word in self.names:
            return not initial      # "said May", "May's": mid-sentence; "May I come in?" is no name
        mid = self.cap_mid[word]
        low = self.lower[word.lower()]
        if initial:
            return mid >= 1 and low <= 0.5 * mid
        return low <= max(mid, 1) and mid + self.cap_init[word] >= 1


def _cap_tokens(text: str, story: Story):
    """(start, end, word, sentence_initial) for each capitalised word in the paragraphs."""
    out = []
    for p in story.paragraphs:
        for m in CAP_WORD.finditer(text, p.start, p.end):
            s, e = m.start(), m.end()
            w = m.group()
            if len(w) > 2 and w[-2] in "'’" and w[-1] in "sS":
                w, e = w[:-2], e - 2
            if len(w) > 1 and w.isupper():
                continue      # headings, numerals and shouting: "CHAPTER", "XII", "HARRY"
            j = s - 1
            crossed_quote = False
            while j >= p.start and text[j] in SKIP_BACK:
                if text[j] in QUOTE_MARKS:
                    crossed_quote = True
                j -= 1
            if j < p.start:
                initial = True
            else:
                c = text[j]
                # '"Mira," Hayashi called': after a comma and a closing quote the sentence goes on
                initial = (crossed_quote and c not in ",—–-") or c in ".!?:;…"
                if c == ".":
                    k = j
                    while k > p.start and text[k - 1].isalpha():
                        k -= 1
                    if text[k:j] in ABBREVIATIONS or (j - k == 1 and text[k].isupper() and k > p.start
                                                       and text[k - 1] == " " and (text[k - 2:k - 1].isalpha() or text[k - 2:k - 1] == ".")):
                        initial = False     # "Mr. Darcy", "Randolph C. Miller"
            out.append((s, e, w, initial, p.i))
    return out


def find_names(story: Story, caps, stats: WordStats) -> list[Mention]:
    text = story.text
    out: list[Mention] = []
    n = len(caps)
    i = 0
    while i < n:
        j = i + 1
        while j < n and caps[j][4] == caps[i][4]:
            gap = text[caps[j - 1][1]:caps[j][0]]
            g = gap.strip()
            if len(gap) > 12 or caps[j][2] == caps[j - 1][2]:
                break         # "Alfred, Alfred" (a dash lost), never one name
            if g == "" and gap.count("\n") <= 1 and ("   " not in gap or "\n" in gap):
                j += 1
            elif g == "." and (caps[j - 1][2] in ABBREVIATIONS or _initial(caps[j - 1][2]) and j - 1 > i):
                j += 1        # "Mr. Darcy"; "Randolph C. Miller", "Mr. E. W. B. Childers"
            elif g and all(w in PARTICLES for w in g.split()) and len(g.split()) <= 2 and \
                    len(gap) == len(g) + 2:
                j += 1        # "Catherine de Bourgh", "Mrs van der Luyden"
            elif caps[j - 1][2] in ABBREVIATIONS and g[:1] == "." and 1 <= len(g[1:].split()) <= 2 and \
                    all(w in PARTICLES for w in g[1:].split()) and gap == ". " + " ".join(g[1:].split()) + " ":
                j += 1        # "Mrs. van der Luyden", "Mr. de Winter"
            else:
                break
        run = [c[:4] for c in caps[i:j]]
        p = caps[i][4]
        i = j
        spans = _clean_run(run, stats)
        if not spans and len(run) == 1 and is_title(run[0][2]) and \
                text[max(0, run[0][0] - 4):run[0][0]] in ("the ", "The "):
            spans = [run[0][:2]]      # a role used as a name: "the Duchess", "the Colonel"
        elif not spans and len(run) == 1 and _quote_initial_address(text, run[0], stats):
            spans = [run[0][:2]]      # '"Martha, tell me..."': a name said once, opening a quote
        elif not spans and len(run) == 1 and run[0][2] in KIN_WORDS:
            spans = [run[0][:2]]      # "Granny", "Mamma": kept only where they address someone
        for ms, me in spans:
            if text[ms:me] in stats.names and _DATE_BEFORE.search(text, max(0, ms - 12), ms):
                continue      # "in May", "last June": the month, though May Welland is in the story
            out.append(Mention(ms, me, text[ms:me], "name", paragraph=p))
    return out


def _clean_run(run, stats: WordStats):
    """Trim a capitalised run to the person name it contains, or nothing."""
    k = 0
    # leading words that are not part of a name: "Oh", "Poor", "Dear", sentence-initial common words
    while k < len(run):
        s, e, w, initial = run[k]
        if is_title(w) and k + 1 < len(run) and title_key(w) not in ("dear",):
            break
        if (w in NOT_NAMES and w not in stats.names) or CONTRACTION_TAIL.search(w):
            k += 1
            continue
        if k + 1 < len(run) and stats.compounds.get(w) == run[k + 1][2]:
            break
        if not stats.name_like(w, initial) and not split_honorific(w)[1]:
            # "Margaret Thorne waved": a sentence-initial word never seen in lowercase, before a name
            nxt = run[k + 1] if k + 1 < len(run) else None
            if not (initial and nxt is not None and stats.lower[w.lower()] == 0 and
                    stats.name_like(nxt[2], nxt[3])):
                k += 1
                continue
        break
    run = run[k:]
    while run and _initial(run[0][2]) and not is_title(run[0][2]):
        run = run[1:]         # "Plan B. Harry": an initial does not begin a name without a title
    if not run:
        return []
    # "Anne Mrs. Lynde", "Mr. Lawrence Mr. John": a title inside a run begins another name
    for k in range(1, len(run) - 1):
        if title_key(run[k][2]) in INNER_TITLES and not is_title(run[k - 1][2]):
            return _clean_run(run[:k], stats) + _clean_run(run[k:], stats)
    # cut at the first word that cannot be inside a name
    for k in range(1, len(run)):
        w = run[k][2]
        if (w in NOT_NAMES and not is_title(w) and w not in stats.names) or CONTRACTION_TAIL.search(w):
            run = run[:k]
            break
    # "Miss Lucy Honeychurch Drive Out in Carriages" (a title-case heading): after a full name, a word
    # the book mostly writes in lowercase ends it
    titles = 0
    while titles < len(run) and is_title(run[titles][2]):
        titles += 1
    for k in range(titles + 2, len(run)):
        w = run[k][2]
        if stats.lower[w.lower()] > 2 * stats.cap_mid[w] and w not in stats.names:
            run = run[:k]
            break
    while run and is_title(run[-1][2]) and len(run) > 1 and title_key(run[-1][2]) not in ("sensei",):
        run = run[:-1]
    titles = 0
    while titles < len(run) and is_title(run[titles][2]):
        titles += 1
    core = run[titles:]
    if not core:
        return []
    if len(core) == 1 and not titles:
        s, e, w, initial = core[0]
        stem, hon = split_honorific(w)
        if not hon and (len(w) < 2 or not stats.name_like(w, initial)):
            return []
    return [(run[0][0], run[-1][1])]


def _initial(w: str) -> bool:
    return len(w) == 1 and w.isupper()


def _quote_initial_address(text: str, tok, stats: WordStats) -> bool:
    """A capitalised word opening a quote, before a comma, never written in lowercase: a name."""
    s, e, w, initial = tok
    return (initial and len(w) >= 3 and text.startswith(",", e) and text[s - 1:s] in ('"', "“", "'", "‘")
            and stats.lower[w.lower()] == 0 and w not in NOT_NAMES and not CONTRACTION_TAIL.search(w)
            and not is_title(w))


def _vocative(text: str, s: int, e: int, q0: int, q1: int) -> bool:
    left = text[max(q0, s - 40):s].rstrip()      # bounded: a quote may run for pages
    right = text[e:min(q1, e + 40)].lstrip()
    left_ok = (not left or left[-1] in ",;—–-(" or left.endswith(("Oh", "oh", "O", "dear", "Dear",
                                                                     "Hey", "hey", "Hi", "Hello")))
    right_ok = not right or right[0] in ",!?.;—–-…" or right.startswith("..")
    if not (left_ok and right_ok):
        return False
    if not left and (not right or right.rstrip(".") == ""):
        return False       # "Bingley." as a whole answer names someone, it addresses no one
    return True


# words that are usually something else but also given names; a name where the story writes them so
GIVEN_WORDS = {"May", "June", "April", "August", "Will", "Grace"}
MIN_GIVEN_WORD = 2
_DATE_BEFORE = re.compile(r"\b(?:[Ii]n|[Oo]n|[Ee]very|[Oo]f|[Uu]ntil|[Tt]ill|[Ss]ince|[Bb]y|[Nn]ext|[Ll]ast|[Ee]arly|[Ll]ate|[Tt]his|"
                          r"[Tt]hat|[Mm]id|[Ff]rom|[Bb]efore|[Aa]fter|[Tt]hrough|[Dd]uring)\s+$")


MIN_COMPOUND = 3
COMPOUND_SHARE = 0.9


def word_stats(text: str, caps, full_text: str | None = None) -> WordStats:
    """`text`: the body, for lowercase counts; `full_text`: what the caps' offsets point into."""
    stats = WordStats()
    stats.lower.update(LOWER_WORD.findall(text))
    for s, e, w, initial, p in caps:
        (stats.cap_init if initial else stats.cap_mid)[w] += 1
    # "May Welland", "Will Graham" mid-sentence: in this story the word is a given name
    full: Counter[str] = Counter()
    for a, b in zip(caps, caps[1:]):
        if a[2] in GIVEN_WORDS and not a[3] and a[4] == b[4] and (full_text or text)[a[1]:b[0]] == " " and \
                b[2] not in NOT_NAMES and not is_title(b[2]) and stats.name_like(b[2], False):
            full[a[2]] += 1
    stats.names = {w for w, n in full.items() if n >= MIN_GIVEN_WORD}
    # '"Never," said Sunday.': a weekday that speaks in several tags is somebody's (code) name here
    tagged = Counter(m.group(1) or m.group(2) for m in _TAGGED_DAY.finditer(full_text or text))
    stats.names |= {w for w, n in tagged.items() if n >= MIN_TAGGED_DAY}
    # "the Civil Surgeon", "the City Magistrate": a word capitalised mid-sentence only before one
    # other capitalised word is part of a fixed name (though "civil" is common in lowercase)
    pairs: Counter[tuple[str, str]] = Counter()
    for a, b in zip(caps, caps[1:]):
        if not a[3] and a[4] == b[4] and (full_text or text)[a[1]:b[0]] == " ":
            pairs[(a[2], b[2])] += 1
    stats.compounds = {a: b for (a, b), n in pairs.items()
                       if n >= MIN_COMPOUND and n >= COMPOUND_SHARE * stats.cap_mid[a] and a not in NOT_NAMES}
    return stats


_SPEECH = "|".join(sorted(SPEECH_VERBS))
_DAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
_TAGGED_DAY = re.compile(rf"\b(?:{_SPEECH})\s+({_DAYS})\b(?![ \t]+(?:morning|afternoon|evening|night|week))"
                         rf"|\b({_DAYS})\s+(?:{_SPEECH})\b")
MIN_TAGGED_DAY = 3
# "said the croupier," / "the croupier said": the noun right before punctuation or the verb
SAID_THE = re.compile(rf"\b(?:{_SPEECH})\s+the\s+(?:[a-z][a-z-]+\s+){{0,2}}([a-z][a-z-]+)(?=[,.;:!?—])"
                      rf"|\b[Tt]he\s+(?:[a-z][a-z-]+\s+){{0,2}}([a-z][a-z-]+)\s+(?:{_SPEECH})\b")
NOT_SPEAKERS = {"other", "latter", "former", "first", "second", "last", "same", "rest", "words", "word",
                "door", "wind", "one", "thing", "tone", "question", "answer", "matter", "truth", "way",
                "end", "day", "next", "whole", "story", "letter", "note", "paper", "book", "voice",
                "who", "aloud", "again", "back", "evening", "morning", "night", "being", "lecture", "elder"}


# a noun seen once in a speech tag is a person noun when it is shaped like a calling (cabman,
# station-master, nursemaid, attendant, lacquey); words of those shapes that name no one.
# Not -er/-or: "said the wooer", "the intruder", "the smoker" are mostly epithets of someone named.
AGENT_SUFFIX = re.compile(r"(?:man|master|ist|ant|eer|ess|ian|keeper|maid|ey)$")
NOT_AGENTS = set("""another other rather farther further louder lower higher merrier over ever never however
whatever together under after later water weather matter manner answer letter paper number order corner door
floor colour color honour honor humour error terror horror favour labour major minor mirror chamber dinner
supper summer winter silver river power tower hour flower finger temper fever chant meant warrant journey
instant distant constant""".split())


def _agent_shaped(w: str) -> bool:
    return (len(w) > 4 and bool(AGENT_SUFFIX.search(w)) and w not in NOT_AGENTS
            and not w.endswith(("ness", "less", "ly")))


def speaker_nouns(story: Story) -> set[str]:
    """Nouns seen as speakers ("said the croupier" twice, "said the cabman" once) are person nouns here."""
    counts: Counter[str] = Counter()
    for m in SAID_THE.finditer(story.text, story.body_start, story.body_end):
        counts[m.group(1) or m.group(2)] += 1
    return {w for w, n in counts.items() if (n >= 2 or _agent_shaped(w))
            and w not in NOT_SPEAKERS and w not in FUNCTION_WORDS
            and not (w.endswith("s") and not w.endswith("ss"))      # "the boys said": a group
            and not w.endswith("ly")        # "said the girl firmly": an adverb
            and not (w.endswith("ed") and not w.endswith("eed"))}   # "the person addressed replied": a participle


# "said the gentleman in the white waistcoat," / "the man with the black beard said": in a
# speech tag a prepositional phrase is part of the description that names the speaker
_TAG_BEFORE = re.compile(rf"\b(?:{_SPEECH})\s+$")
_PP = re.compile(r"[ \t]+(?:in|with|of|at|from)[ \t]+(?:the[ \t]+((?:[A-Za-z][\w'’-]*[ \t]+){0,2}[A-Za-z][\w'’-]*)"
                 r"|(?<=of[ \t])([A-Z][\w'’-]*)|(?<=from[ \t])([A-Z][\w'’-]*))")     # "in the white waistcoat", "of the Cripples", "from Geneva"
_PP_THEN_SAID = re.compile(rf"[ \t]+(?:{_SPEECH})\b")
_PP_END = re.compile(r"[ \t]*[,.;:!?—]")
MANNER_NOUNS = set("""voice tone whisper whispers undertone manner way surprise astonishment reply return turn
breath accent haste time moment again hand hands reproach triumph despair alarm delight disgust amazement
horror earnest contempt confusion dismay tears wonder length last once anger silence same""".split())


def _tag_phrase_end(text: str, start: int, end: int) -> int:
    """End of a description in a speech tag, extended over a following prepositional phrase."""
    m = _PP.match(text, end, end + 60)
    if m is None:
        return end
    words = (m.group(1) or m.group(2) or m.group(3)).split()
    if any(w.lower() in FUNCTION_WORDS or w.lower() in MANNER_NOUNS for w in words):
        return end
    if _TAG_BEFORE.search(text, max(0, start - 16), start) and _PP_END.match(text, m.end()):
        return m.end()
    if _PP_THEN_SAID.match(text, m.end()):
        return m.end()
    return end


_NAME_AFTER = re.compile(r"[ \t]+[A-Z][a-z]+[ \t]+[A-Z][a-z]")


def find_nominals(story: Story, stats: WordStats) -> list[Mention]:
    """Person nouns after a determiner: "the old man", "his rival", "the hooded Death Eater"."""
    text = story.text
    out: list[Mention] = []
    person_nouns = PERSON_NOUNS | speaker_nouns(story)
    par_starts = [p.start for p in story.paragraphs]
    lo, hi = story.body_start, story.body_end
    for m in DETERMINED.finditer(text, lo, hi):
        det = m.group(1).lower()
        words = list(_W.finditer(m.group(2)))
        base = m.start(2)
        end = None
        head = None
        for k, wm in enumerate(words):
            w = wm.group()
            lw = w.lower()
            if lw in person_nouns:
                end, head = base + wm.end(), lw
                if k + 1 < len(words) and words[k + 1].group().lower() in person_nouns:
                    continue       # "the old man servant": take the longer head
                break
            if lw in FUNCTION_WORDS:
                break
        if end is None:
            continue
        if head in RANKS and text[end - len(head):end][:1].isupper() and _NAME_AFTER.match(text, end):
            continue        # "the gallant Captain Frederick Tilney": a rank before a full name, which the name takes
        if det == "the":
            end = _tag_phrase_end(text, m.start(), end)
        pi = bisect.bisect_right(par_starts, m.start()) - 1
        if pi < 0 or end > story.paragraphs[pi].end:
            continue
        kind = "new" if det in ("a", "an") else "nominal"     # "a stout man": someone comes in
        out.append(Mention(m.start(), end, text[m.start():end], kind, paragraph=pi,
                           gender=PERSON_NOUN_GENDER.get(head) if head else None))
    return out


def find_mentions(story: Story) -> list[Mention]:
    text = story.text
    caps = _cap_tokens(text, story)
    stats = word_stats(text[story.body_start:story.body_end], caps, text)
    if len(story_stats) > 16:
        story_stats.clear()
    story_stats[id(story)] = stats
    mentions = find_names(story, caps, stats)
    par_starts = [p.start for p in story.paragraphs]
    for p in story.paragraphs:
        for m in PRONOUN.finditer(text, p.start, p.end):
            w = m.group()
            mentions.append(Mention(m.start(), m.end(), w, "pronoun", paragraph=p.i,
                                    gender=PRONOUNS[w.lower()]))
    mentions.extend(find_nominals(story, stats))
    if told_in_second_person(story):
        # a reader-insert: narration's "you" is the one character the story is told as
        story.meta["second_person"] = True
        for p in story.paragraphs:
            for m in YOU.finditer(text, p.start, p.end):
                if story.quote_at(m.start()) is None:     # in a quote, "you" is whoever is spoken to
                    mentions.append(Mention(m.start(), m.end(), m.group(), "pronoun", paragraph=p.i, gender="I"))
    mentions.sort(key=lambda x: (x.start, -x.end))
    # drop mentions nested in an earlier one
    kept: list[Mention] = []
    last_end = -1
    for m in mentions:
        if m.start < last_end:
            continue
        kept.append(m)
        last_end = m.end
    starts = [q.start for q in story.quotes]
    for m in kept:
        k = bisect.bisect_right(starts, m.start) - 1
        if k >= 0 and story.quotes[k].start <= m.start < story.quotes[k].end:
            q = story.quotes[k]
            m.in_quote = q.i
            if m.kind == "name" and _vocative(text, m.start, m.end, q.start, q.end):
                m.kind = "vocative"
    # "Granny, do sit down": a kin word said to someone names her (cast_refine may make it her
    # alias); anywhere else ("Granny said", "my Granny") it is no mention
    kept = [m for m in kept if m.kind != "name" or m.text not in KIN_WORDS]
    del par_starts
    return kept


YOU = re.compile(r"\b(?:[Yy]ou|[Yy]our|[Yy]ours|[Yy]ourself)\b(?![-'’]\w)")
# '"Blame Snape," you said' / 'you whispered, "..."': the reader-insert's own speech tags
YOU_AFTER = re.compile(r"""[\s"'“”‘’,.!?…—-]{0,4}[Yy]ou\s+(?:\w+ly\s+)?(\w+)""")
YOU_BEFORE = re.compile(r"""\b[Yy]ou\s+(?:\w+ly\s+)?(\w+)[,:]?[\s"'“‘]{0,3}$""")
MIN_YOU_TAG_SHARE = 0.05
FIRST_PERSON = re.compile(r"\b(?:I|me|my|myself)\b")


def told_in_second_person(story: Story) -> bool:
    """Narration (outside quotes) that says "you" more than "I", and "you" as the speech tag of
    at least two quotes and one in twenty ('"Language," you warned'): a second-person story
    (AO3's reader-inserts, "Y/N"). A novel's impersonal "you" ("if you went further") and its
    narrator's address to the reader tag no speech."""
    quotes = story.quotes
    if not quotes:
        return False
    text = story.text
    tags = 0
    for q in quotes:
        m = YOU_AFTER.match(text, q.end, min(len(text), q.end + 40))
        b = YOU_BEFORE.search(text, max(0, q.start - 40), q.start)
        tags += any(x is not None and x.group(1).lower() in SPEECH_VERBS for x in (m, b))
    if tags < max(2, MIN_YOU_TAG_SHARE * len(quotes)):
        return False
    lo, hi = story.body_start, story.body_end
    you = sum(1 for m in YOU.finditer(text, lo, hi) if story.quote_at(m.start()) is None)
    first = sum(1 for m in FIRST_PERSON.finditer(text, lo, hi) if story.quote_at(m.start()) is None)
    return you >= 5 and you > first


# Word statistics of the last analysed stories, keyed by id(story), for the cast stage.
story_stats: dict[int, WordStats] = {}


def mentions(story: Story) -> Story:
    story.mentions = find_mentions(story)
    return story


__all__ = ["find_mentions", "mentions", "WordStats", "word_stats"]
