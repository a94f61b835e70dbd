"""Stage 3: quotes — every quotation with its offsets, paragraph, scene and chapter.

A quote's `start`/`end` are the first character inside its marks and one past
the last, so `story.text[start:end] == quote.text`.

How the marks are read:

* Double quotes, straight or curly (and „ and »…«), are dialogue marks in
  every story.  Single quotes (' ‘ ’ ‚) are dialogue marks only in stories that
  use them that way (British style), decided once per story by counting marks
  that open a speech against double quotes; apostrophes ("don't", "'cause",
  "the boys'", "tho'") are told apart by their context.
* Guillemets « » and corner brackets 「」『』 are always dialogue marks.
* Marks of another kind inside an open quote, and nested curly or bracket
  pairs of the same kind, are part of the quote's text.
* A quote never runs past its paragraph: a quote still open at a paragraph's
  end closes there.  A speech that runs over several paragraphs (the
  paragraph ends without a closing mark and the next reopens) therefore gives
  one quote per paragraph, as PDNC's gold does.
* A quote interrupted by narration ("No," she said. "Never.") is two quotes,
  and so is one cut by a bracketed stage direction ("(loud cheers)").
* What is written, sung, only imagined or merely named ("Cissie" was the name
  of the villa) is not dialogue: see the "written text" section below.

Quotes are looked for paragraph by paragraph, in the structure stage's
`story.paragraphs` (blank-line separated blocks in hard-wrapped novels, single
lines in one-line-per-paragraph fan fiction).  Without them (the stage run
alone) `paragraph_blocks` splits the text the same way.
"""
from __future__ import annotations

import re

from .story import Quote, Story

# The marks the scanner looks at.
ALL_MARKS = re.compile("[\"'\u201c\u201d\u201e\u2018\u2019\u201a\u00ab\u00bb\u2039\u203a\u300c\u300d\u300e\u300f]")
# Bracket-like pairs: (family, opening mark, closing mark).  Same-family pairs nest.
BRACKETS = {"\u00ab": ("guillemet", "\u00bb"), "\u2039": ("single_guillemet", "\u203a"),
            "\u300c": ("corner", "\u300d"), "\u300e": ("white_corner", "\u300f")}
# Which marks may open an inner quote inside an outer quote of each family.
INNER = {"double": {"single", "curly", "single_guillemet"}, "single": {"straight", "curly"},
         "guillemet": {"curly", "single_guillemet", "single"}, "rguillemet": {"curly", "single"},
         "corner": {"white_corner"}, "white_corner": {"corner"}, "single_guillemet": set()}
OUTER_SINGLE = {"straight", "curly", "single", "guillemet", "corner", "white_corner"}
OUTER_DOUBLE = {"straight", "curly", "guillemet", "corner", "white_corner"}
# Words that begin with an apostrophe standing for dropped letters.
ELISIONS = {"em", "cause", "cos", "coz", "tis", "twas", "twere", "twill", "til", "till", "n", "round",
            "bout", "ave", "ere", "im", "is", "er", "ow", "owd", "appen", "un", "uns", "ee",
            "e", "ud", "spose", "sposed", "kay", "nother", "fore", "neath", "tween", "gainst", "mongst",
            "specially", "cept", "fraid", "nuff", "s", "d", "ll", "ve", "re", "m", "t"}
YEAR = re.compile(r"\d\d")          # '90s, '45
LEADING_WORD = re.compile(r"[A-Za-z]+")
LOOKAHEAD_MARKS = 60                # how far a mark's reading may look ahead (keeps the scan linear)

# A single mark opening a capitalised speech, and one closing after punctuation
# (lookbehinds, so the regex engine jumps from mark to mark).
SPEECH_OPENING_SINGLE = re.compile(r"(?<![^\s(\u2014])[\u2018'](?=[A-Z])")
SPEECH_CLOSING_SINGLE = re.compile(r"(?<=[.,!?\u2014\u2026-])[\u2019'](?=\s|$)", re.M)

BLANK_SPLIT = re.compile(r"\n[ \t]*\n\s*")
LINE_SPLIT = re.compile(r"\n\s*")


def paragraph_blocks(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """(start, end) of each paragraph of text[start:end]: blank-line separated
    blocks when blank lines separate paragraphs, else single lines."""
    region = text[start:end]
    lines = region.count("\n") + 1
    blanks = len(BLANK_SPLIT.findall(region))
    sep = BLANK_SPLIT if blanks * 20 >= lines else LINE_SPLIT
    blocks = []
    pos = 0
    for m in sep.finditer(region):
        if region[pos:m.start()].strip():
            blocks.append((start + pos, start + m.start()))
        pos = m.end()
    if region[pos:].strip():
        blocks.append((start + pos, end))
    return blocks


def _before(text: str, i: int, lo: int) -> str:
    return text[i - 1] if i > lo else " "


def _after(text: str, i: int, hi: int) -> str:
    return text[i + 1] if i + 1 < hi else " "


def single_kind(text: str, i: int, lo: int, hi: int) -> str:
    """Read a single-quote mark at text[i] from its neighbours: 'open',
    'close', 'close_weak' (word-final: a closer or the boys'/goin'),
    'elision' (word-initial: an opener or 'em/'cause) or 'apostrophe'."""
    b, a = _before(text, i, lo), _after(text, i, hi)
    if b.isalnum() and a.isalnum():
        return "apostrophe"                    # don't, o'clock, rock'n'roll
    if a.isalnum():
        m = LEADING_WORD.match(text, i + 1, min(hi, i + 12))
        word = m.group().lower() if m else ""
        if (word in ELISIONS and (m.end() >= hi or not text[m.end()].isalnum())) or YEAR.match(text, i + 1):
            return "elision"
        return "open"
    if b.isalnum():
        return "close_weak"
    if b in ".,!?;:\u2014\u2013-\u2026)_*" and not a.isalnum():
        return "close"
    if not b.strip() and not a.strip():
        return "apostrophe"                    # a lone mark between spaces
    if not b.strip() or b in "([\u2014\u2013\"\u201c":
        return "open"
    return "close"


def double_kind(text: str, i: int, lo: int, hi: int) -> str:
    """Read a double-quote mark from its neighbours: 'open', 'close' or 'either'."""
    b, a = _before(text, i, lo), _after(text, i, hi)
    if not b.strip() or b in "([{\u2014\u2013":
        return "open" if a.strip() else "either"
    if not a.strip() or a in ".,;:!?)]}\u2014\u2013-\u2026'\u2019":
        return "close"
    return "either"


def uses_single_quotes(text: str, start: int, end: int) -> bool:
    """True if the story marks dialogue with single quotes: speech-opening
    single marks outnumber double quotes."""
    doubles = sum(text.count(c, start, end) for c in '"\u201c\u201d')
    opens = sum(1 for _ in SPEECH_OPENING_SINGLE.finditer(text, start, end))
    closes = sum(1 for _ in SPEECH_CLOSING_SINGLE.finditer(text, start, end))
    speech = min(opens, closes)
    return speech > doubles


def _single_closer_follows(text: str, marks: list[int], k: int, lo: int, hi: int,
                           kinds: dict[int, str] | None = None) -> bool:
    """True if a clear single closing mark comes before any mark that opens a
    new single quote: then a word-final or word-initial mark now is an apostrophe.
    `kinds` caches single_kind by position (each mark is looked at from many)."""
    for j in marks[k:k + LOOKAHEAD_MARKS]:
        ch = text[j]
        if ch == "\u2018":
            return False
        if ch in "'\u2019":
            if kinds is None:
                kind = single_kind(text, j, lo, hi)
            else:
                kind = kinds.get(j)
                if kind is None:
                    kind = kinds[j] = single_kind(text, j, lo, hi)
            if kind == "close":
                return True
            if kind == "open":
                return False
    return False


def nested_straight_marks(text: str, marks: list[int], lo: int, hi: int) -> set[int]:
    """Straight double marks of quotes nested in a straight double quote
    ("Mother kept saying "don't do this," and "don't do that;" all day."),
    found by pairing marks by how they read (opening: after a space, before a
    word; closing: after a word, before a space or punctuation).  Only when
    that pairing balances and nests; otherwise marks simply alternate."""
    straight = [i for i in marks if text[i] == '"']
    if len(straight) < 4:
        return set()
    stack: list[int] = []
    inner: set[int] = set()
    for i in straight:
        kind = double_kind(text, i, lo, hi)
        if kind == "open" or (kind == "either" and not stack):
            stack.append(i)
        elif not stack:
            return set()                    # a closer with nothing open: not a clean nesting
        else:
            o = stack.pop()
            if stack:
                inner.update((o, i))
    return inner if not stack else set()


def scan(text: str, lo: int, hi: int, allowed: set[str]) -> list[tuple[int, int, str]]:
    """Quotes in text[lo:hi] opened by the mark kinds in `allowed`
    ('straight' ", 'curly' “ „, 'single' ' ‘, 'guillemet' « and »…«,
    'single_guillemet' ‹, 'corner' 「, 'white_corner' 『).  Returns
    (index of the opening mark, index of the closing mark or -1 when the
    quote is still open at `hi`, family)."""
    found: list[tuple[int, int, str]] = []
    family = None           # family of the open quote; None outside quotes
    open_at = -1
    depth = 0               # nesting depth of same-family pairs
    closer = ""             # the bracket mark that closes the open quote
    marks = [m.start() for m in ALL_MARKS.finditer(text, lo, hi)]
    kinds: dict[int, str] = {}      # single_kind of marks already read
    if "straight" in allowed:
        nested = nested_straight_marks(text, marks, lo, hi)
        if nested:
            marks = [i for i in marks if i not in nested]
    for k, i in enumerate(marks, 1):
        ch = text[i]
        if family is None:
            if ch == '"' and "straight" in allowed:
                if double_kind(text, i, lo, hi) == "close":
                    continue                   # a stray closer: nothing is open
                family = "double"
            elif ch in "\u201c\u201e" and "curly" in allowed:
                family = "double"
            elif ch == "\u201d" and "curly" in allowed and double_kind(text, i, lo, hi) == "open":
                family = "double"              # a closing mark typed for an opening one
            elif ch in "'\u2018\u201a" and "single" in allowed:
                kind = "open" if ch != "'" else single_kind(text, i, lo, hi)
                if kind == "elision" and _single_closer_follows(text, marks, k, lo, hi, kinds):
                    kind = "open"              # 'Tis true,' she said.
                if kind != "open":
                    continue
                family = "single"
            elif ch in BRACKETS and BRACKETS[ch][0] in allowed:
                family, closer = BRACKETS[ch]
            elif ch == "\u00bb" and "guillemet" in allowed and _after(text, i, hi).isalnum() \
                    and not _before(text, i, lo).isalnum():
                family, closer = "rguillemet", "\u00ab"    # German »…«
            else:
                continue
            open_at, depth = i, 0
            continue
        close = False
        if family == "double":
            opened = text[open_at]
            if ch == '"' or (ch == "\u201c" and opened == "\u201e"):
                close = depth == 0
                depth = max(0, depth - 1)
            elif ch == "\u201d":
                close = depth == 0
                depth = max(0, depth - 1)
            elif ch == "\u201c":
                if double_kind(text, i, lo, hi) == "open":
                    depth += 1                 # a nested “…”
                elif depth == 0:
                    close = True               # “Hello,“ — a typo for ”
                else:
                    depth -= 1
        elif family == "single":
            if ch in "'\u2019":
                kind = kinds.get(i) or single_kind(text, i, lo, hi)
                close = kind == "close" or (kind in ("close_weak", "either")
                                            and not _single_closer_follows(text, marks, k, lo, hi, kinds))
        elif family == "rguillemet":
            close = ch == "\u00ab"
        else:
            if ch == closer:
                close = depth == 0
                depth = max(0, depth - 1)
            elif ch in BRACKETS and BRACKETS[ch][0] == family:
                depth += 1
        if close:
            found.append((open_at, i, family))
            family = None
    if family is not None:
        found.append((open_at, -1, family))
    return found


def trim_span(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def _worded_parts(text: str, parts: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The parts, trimmed, that still hold a word (punctuation-only leftovers are dropped)."""
    out = []
    for a, b in parts:
        a, b = trim_span(text, a, b)
        if any(ch.isalnum() for ch in text[a:b]):
            out.append((a, b))
    return out


def split_nested(text: str, s: int, e: int, family: str) -> list[tuple[int, int]]:
    """The parts of the quote text[s:e] outside the quotes nested in it.

    PDNC's gold gives a speaker only the words outside an inner quote
    ("I said to her: 'Go,' and she went" -> "I said to her:" and "and she
    went"), so the parts are the quotes.  An inner quote left open is taken
    for an apostrophe and ignored."""
    parts = []
    pos = s
    for o, c, _ in scan(text, s, e, INNER.get(family, set())):
        if c < 0 or not _inner_is_speech(text, o, c, s):
            continue
        parts.append((pos, o))
        pos = c + 1
    parts.append((pos, e))
    return _worded_parts(text, parts)


def _inner_is_speech(text: str, o: int, c: int, s: int) -> bool:
    """An inner quote (marks at o and c, outer quote starting at s) is
    reported speech when it starts the outer quote or follows a colon, a comma,
    a full stop, a dash or a verb of speech, and is itself speech-like; a
    quoted word or a dialect spelling ('roun', 'ceptin') is not."""
    before = text[max(s, o - 80):o].rstrip()
    if before and before[-1] not in ":,.;!?-\u2014\u2013(":
        m = LAST_WORD.search(before[-40:])
        if not m or m.group(1).lower() not in SPEECH_VERBS:
            return False
    return is_dialogue(text, o, o + 1, c, s)


def scan_block(text: str, lo: int, hi: int, single_dialogue: bool,
               nested: str = "keep") -> list[tuple[int, int, str]]:
    """(content start, content end, opening mark) of every quote in the
    paragraph text[lo:hi]; a quote still open at the paragraph's end closes there.
    nested="split": quotes nested inside a quote are cut out of it (see
    split_nested); nested="keep": they stay part of the outer quote's text."""
    out = []
    prev_close = -1         # closing mark of the last quote kept in this paragraph
    for o, c, family in scan(text, lo, hi, OUTER_SINGLE if single_dialogue else OUTER_DOUBLE):
        s, e = trim_span(text, o + 1, c if c >= 0 else hi)
        if e <= s:
            continue
        if not is_dialogue(text, o, s, e, lo) and not embedded_utterance(text, o, s, e, lo, hi, prev_close, c):
            continue
        prev_close = c
        if nested == "split":
            for a, b in split_nested(text, s, e, family):
                out.append((a, b, text[o]))
        else:
            out.append((s, e, text[o]))
    return out


# Verbs of speech: a short quote right after one is speech even when it sits
# inside the sentence (she said "No" and left).
SPEECH_VERBS = frozenset("""
say says said saying answer answers answered answering reply replies replied replying cry cries cried
crying exclaim exclaims exclaimed exclaiming add adds added adding ask asks asked asking whisper whispers
whispered whispering murmur murmured murmuring mutter muttered muttering scream screamed shout shouted
shouting repeat repeated announce announced suggest suggested return returned
continue continued begin began observe observed remark remarked rejoin rejoined interrupt interrupted
resume resumed sigh sighed laugh laughed groan groaned echo echoed declare declared protest protested
retort retorted respond responded demand demanded inquire inquired enquire enquired plead pleaded beg
begged urge urged insist insisted explain explained admit admitted agree agreed think thought write
wrote ejaculated exclamation ejaculation yell yelled hiss hissed snap snapped growl growled
""".split())
LAST_WORD = re.compile(r"(\w+)\W*$")
PASSIVE_THOUGHT = re.compile(r"\b(?:was|were|is|are|be|been|being)\s+(?:\w+\s+)?thought\W*$", re.I)


def is_dialogue(text: str, open_at: int, start: int, end: int, lo: int) -> bool:
    """False for a quoted term or title inside a sentence (scare quotes, a
    word mentioned, a book's name): a short quote, not ending in ! or ?, whose
    opening mark (at `open_at`) follows a word of narration other than a verb
    of speech.  PDNC's gold leaves such quotes out."""
    before = text[max(lo, open_at - 80):open_at].rstrip()   # bounded: linear on huge paragraphs
    if not before or not before[-1].isalpha():
        return True
    content = text[start:end].rstrip()
    if content[-1:] in ("!", "?") or len(content.split()) > 6:
        return True
    m = LAST_WORD.search(before[-40:])
    if not m or m.group(1).lower() not in SPEECH_VERBS:
        return False
    # "it was thought "provincial" to...": thought in the passive takes a term, not words said
    return PASSIVE_THOUGHT.search(before[-40:]) is None


# ------------------------------------------------------- utterances in narration
# Some short quotes inside a sentence are words said, not terms: 'The servant
# returned an indifferent "No."', 'her gentle "Come in" was answered', 'he only
# returned brief answers of "Yes, yes,"', and a speech taken up again after a
# gesture ('"We always seem" she hesitated "to be interrupted."').  PDNC's gold
# has them; the term filter above would drop them.

# Verbs and nouns of speech that may stand a few words before such an utterance
# ("uttered a rapid", "muttered beneath her breath", "called out something like").
SPEECH_CUES = (SPEECH_VERBS - {"explain", "explained", "think", "thought", "write", "wrote", "begin", "continue"}) \
    | frozenset("""uttered utter uttering muttered shouting called calling call begun answers replies remark
remarks observation exclamation""".split())
INTERJECTIONS = frozenset("""yes no oh ah well come thank thanks please hum ha good hush hullo hallo hello why nay
aye ay indeed alas pooh bless dear o what how not never""".split())
FUNCTION_WORDS = frozenset("a an the of and or in on at to for with by from as is be my his her our your their its "
                           "this that".split())
# A word after which a quote fills a noun's slot ('the "Mr."', 'as much "humo\'in\'"'): a term.
SLOT_WORDS = FUNCTION_WORDS | frozenset("much more very than about like into upon".split())
FIRST_OR_SECOND_PERSON = re.compile(
    r"\b(?:I|I'm|I'll|I've|I'd|me|my|we|us|our|you|your|you're|let's|don't|can't|won't)\b")
# A determiner or possessive and one to three modifiers: "an indifferent", "her gentle",
# "the Englishman's passionate".
DETERMINER_AND_MODIFIERS = re.compile(
    r"(?:\b(?:[Aa]|[Aa]n|[Tt]he|[Oo]ne|[Hh]er|[Hh]is|[Tt]heir|[Mm]y|[Ii]ts|[Oo]ur|[Yy]our)|\w's)"
    r"((?:\s+[a-z]+){1,3})\s*$")
NAME_TITLE_STOP = re.compile(r"\b(?:Mr|Mrs|Dr|St|Messrs|Mme|Mlle)\.")
WORD = re.compile(r"[A-Za-z']+")
PLAIN_WORD = re.compile(r"[A-Za-z]+")
LOWER_WORD = re.compile(r"[a-z]+")
SENTENCE_STOP_OR_MARK = re.compile(r"[.!?;:\"\u201c\u201d]")
CLAUSE_BREAK = re.compile(r"[.;:!?,\"\u201c\u201d\u2014]|--")
# A speech tag right after the closing mark, ending its clause: '" he answered,', '"
# said Mr. Cuss, irritably', '" she cried, "and...'.  Group 1 or 2 is the verb.
_SPEAKER = r"(?:he|she|I|they|we|[A-Z][\w.']*(?:\s+[A-Z][\w']*){0,2}|the\s+[a-z]+)"
# ... or the quote named as something said: '"Remember twelve o'clock," was her parting speech'.
NAMED_AS_SPEECH_AFTER = re.compile(r"\s*(?:was|were)\s+(?!not\b)(?:[\w']+\s+){0,3}?(?:speech|reply|answer|rejoinder|"
                                   r"remark|declaration|exclamation|cry|response|greeting)\b")
SPEECH_TAG_AFTER = re.compile(r"\s*(?:([a-z]+)\s+" + _SPEAKER + r"|" + _SPEAKER + r"\s+([a-z]+))(?=\s*[,.;!?])")


def utterance_shaped(content: str) -> bool:
    """True if a short quote reads as something said rather than a term or a
    title: it opens with a capital and has an interjection first ("Ah! poor
    dear,"), a first or second person ("I know."), a ! or ?, or a full stop after
    a lower-case word ("It is so.").  One word needs its stop ("No." yes, "Yes," no);
    mostly capitalised words are a title ("How Sockery Set a Hen")."""
    c = content.strip().lstrip("_")
    if not c[:1].isupper():
        return False
    words = WORD.findall(c)
    if not words or (len(words) == 1 and c[-1] not in ".!?"):
        return False
    content_words = [w for w in words[1:] if w.lower() not in FUNCTION_WORDS]
    if len(content_words) >= 2 and sum(w[0].isupper() for w in content_words) * 2 > len(content_words):
        return False
    if words[0].lower() in INTERJECTIONS and len(words) <= 6:
        return True
    if FIRST_OR_SECOND_PERSON.search(c) or "!" in c or "?" in c:
        return True
    return c[-1] in ".!?" and any(w[0].islower() for w in content_words)


def embedded_utterance(text: str, open_at: int, start: int, end: int, lo: int, hi: int,
                       prev_close: int, close_at: int) -> bool:
    """True if a short quote inside a sentence (one is_dialogue takes for a
    term) is words said: a speech taken up again after a gesture or a speech
    tag ('"I could have sworn it was all right" he looked at his watch "twenty
    minutes ago."', '"Come here," said Fearenside "You'd better."'), or an
    utterance after a determiner and modifier ('returned an indifferent "No."')
    or a few words after a verb or noun of speech ('uttered a rapid "I know."',
    'returned brief answers of "Yes, yes,"'), or one a speech tag follows
    ('To the Englishman's passionate "It's all a mistake," he answered').
    `prev_close` is the closing mark of the last quote kept in the paragraph
    (-1 if none), `close_at` this quote's (-1 if it runs to the paragraph's end)."""
    content = text[start:end]
    if 0 < close_at and text[end - 1] in ",!?-\u2014":
        m = SPEECH_TAG_AFTER.match(text, close_at + 1, min(hi, close_at + 40))
        if m and (m.group(1) or m.group(2)) in SPEECH_VERBS - WRITING_VERBS:
            return True         # "Please shut that door," said Mr. Cuss
    if 0 < close_at and NAMED_AS_SPEECH_AFTER.match(text, close_at + 1, min(hi, close_at + 60)):
        return True             # "Fanny must have a horse" was the resolute declaration
    if 0 <= prev_close and open_at - prev_close <= 60:
        gap = NAME_TITLE_STOP.sub("Mr", text[prev_close + 1:open_at])
        words = LOWER_WORD.findall(gap.lower())
        if words and SENTENCE_STOP_OR_MARK.search(gap) is None and not gap.rstrip().endswith("'s"):
            interrupted = text[prev_close - 1].isalnum() or text[prev_close - 1] in "-\u2014"
            if interrupted and len(words) >= 2 and "," not in gap and words[-1] not in SLOT_WORDS:
                return True     # "We always seem" she hesitated "to be interrupted."
            if any(w in SPEECH_VERBS for w in words) and (words[-1] == "and" or words[-1] not in SLOT_WORDS) \
                    and (interrupted or utterance_shaped(content)):
                return True     # "Hum" said Mrs. Ferrars "very pretty,"
    if not utterance_shaped(content):
        return False
    before = text[max(lo, open_at - 60):open_at]
    m = DETERMINER_AND_MODIFIERS.search(before)
    if m and not any(w in FUNCTION_WORDS for w in m.group(1).split()):
        return True             # a very intelligent "Ah! poor dear,"
    clause = CLAUSE_BREAK.split(before)[-1]
    return any(w in SPEECH_CUES for w in LOWER_WORD.findall(clause.lower())[-6:])


# Narration set in brackets inside a speech: the audience's reaction at a
# meeting ("(hear, hear)", "(loud cheers)") or what the speaker does while
# speaking ("(laughing affectedly)", "(with a smile)", "(he pointed to the statue)").
STAGE_DIRECTION = re.compile(
    r"\((?:(?:loud|renewed|great|prolonged|general|ironical|some|much)\s+(?:and\s+\w+\s+)?)?"
    r"(?:cheers|cheering|laughter|applause|sensation|murmurs|hisses|groans|hear,\s*hear)\)"
    r"|\((?:with\s+an?\s+\w+|(?:he|she)\s+[a-z]+ed\b"
    r"|(?!(?:[Oo]w|[Ee]xcept|[Aa]ccord|[Dd]ur|[Bb]e|[Cc]oncern|[Rr]egard|[Ss]pr|[Mm]orn|[Ee]ven|[Ww]edd|[Bb]uild|"
    r"[Cc]eil|[Dd]arl|[Ss]terl|[Pp]udd|[Ss]hill|[Ll]ightn|[Ff]arth|[Ss]tock|[Ee]ngland)ing\b)"
    r"[A-Za-z]{3,}ing\b(?<!thing))[^()]{0,80}\)")


def around_stage_directions(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The parts of the speech text[start:end] on either side of the stage
    directions in it: '"But I am not a curate (loud cheers), and I did not
    listen" -> "But I am not a curate", "and I did not listen"'."""
    if text.find("(", start, end) < 0:
        return [(start, end)]
    parts = []
    pos = start
    for m in STAGE_DIRECTION.finditer(text, start, end):
        parts.append((pos, m.start()))
        pos = m.end()
        while pos < end and text[pos] in ",;:.":
            pos += 1                        # the comma after the bracket belongs to neither part
    if not parts:
        return [(start, end)]
    parts.append((pos, end))
    return _worded_parts(text, parts) or [(start, end)]


def outside_notes(blocks: list[tuple[int, int]], notes) -> list[tuple[int, int]]:
    """The parts of the (sorted) blocks that no note covers: an author's note
    inside the body ("A/N: ...", AO3 chapter notes) is never dialogue.  One
    pass over blocks and notes, both in text order."""
    spans = sorted((n.start, n.end) for n in notes if n.end > n.start)
    if not spans:
        return blocks
    out = []
    k = 0
    for lo, hi in blocks:
        while k < len(spans) and spans[k][1] <= lo:
            k += 1
        j = k
        pos = lo
        while j < len(spans) and spans[j][0] < hi:
            if spans[j][0] > pos:
                out.append((pos, spans[j][0]))
            pos = max(pos, spans[j][1])
            j += 1
        if pos < hi:
            out.append((pos, hi))
    return out


# ---------------------------------------------------------------- written text
# Quotation marks also set off what is written, not said: a letter, a note or
# telegram read out by the narrator, verse, an inscription, a headline or sign.
# PDNC's gold leaves these out, and a reader or an audiobook maker does not want
# them given to a speaker.

# The writing a colon introduces ("It was as follows:", "In Polina's handwriting
# I read:", "the following note for Elizabeth:").  Speech cues ("he said:",
# "in these words:") are not here: they introduce dialogue as often.
WRITING_CUE = re.compile(
    r"\b(?:read|reads|wrote|written|writes|handwriting|letter|letters|note|notes|message|telegram|"
    r"card|inscribed|inscription|printed|engraved|advertisement|contents|verses|scroll|"
    r"labelled|labeled|headline|heading|placard|postscript|notice|newspaper|margin|diary|journal|superscribed|"
    r"poster|sentence|theory|indited|penned|scribbled|contained|consisted|showed\s+(?:\w+\s+)?the\s+words)"
    r"\b[^.!?;\"\u201c\u201d]{0,60}:[\s\-\u2014]*$",
    re.I)
# A quote given to a writer or a text rather than a speaker: "she wrote,", "he
# read:", "the note ran," before it, or "..." she wrote / read Mrs. Herriton after it.
WRITTEN_BEFORE = re.compile(
    r"\b(?:wrote|writes|written|read|reads|(?:it|this|which|letter|note|message|telegram|card|document|paper|notice|"
    r"inscription|words|theory)\s+(?:ran|runs))(?:\s+out)?(?:\s+in\s+the\s+margin)?\s*[,:\u2014-]*$"
    r"|\b(?:wrote|read)\.$")
WRITTEN_AFTER = re.compile(
    r"[,.]?\s*(?:(?:he|she|I|they|[A-Z][\w.']*(?:\s+[A-Z][\w.']*){0,2})\s+(?:wrote|writes\b|(?:read|reads)"
    r"(?!\s+(?:what|the|it|on|to|of|in|and|this|that|him|her|them|aloud|from|over|through)\b))\b|"
    r"(?:wrote|read|writes|reads)\s+(?:[A-Z]|he\b|she\b)|(?:it|the\s+\w+)\s+ran\b|the\s+writer\s+[a-z]+)")
# Words a character would have said but did not, or a look "said": "as if to
# say,", "seemed to say:", "She nearly said,", "longed to ask:", "their look said:",
# "He felt like answering:", "It was on the tip of his tongue to reply:", "How
# could he say:", "a glance which meant,", "in a tone that implied:".
UNSPOKEN = re.compile(
    r"(?:\b(?:as\s+if\s+to|as\s+though\s+to|seemed\s+to|seem\s+to|seems\s+to|longed\s+to|wanted\s+to|"
    r"wished\s+to|nearly|almost|power\s+to|power\s+of|tempted\s+to|temptation\s+to|impulse\s+to|"
    r"inclined\s+to|ready\s+to|tongue\s+to|lips\s+to|easy\s+to|"
    r"(?:how|what)\s+could\s+(?:he|she|I|they|one|we)|(?:might|would|could)\s+have)\s+"
    r"(?:say|said|saying|ask|asked|asking|reply|replied|answer|answered|cry|cried|exclaim|exclaimed|retort|add)"
    r"(?:\s+to\s+(?:him|her|them)sel(?:f|ves))?"
    r"|\b(?:look|looks|glance|eyes|face|expression|countenance|gesture|attitude|smile|sky)\s+"
    r"(?:seemed\s+to\s+|plainly\s+|clearly\s+)?(?:said|say|says|asked|implored|answered)"
    r"|\bas\s+(?:if|though)\s+(?:he|she|I|they|you|one|it)\s+had\s+(?:said|asked|answered|replied)"
    r"|\bfelt\s+like\s+(?:saying|answering|replying|retorting|adding|asking|shouting|crying|exclaiming)(?:\s+back)?"
    r"|\b(?:which|that|it|look|glance|smile|tone|air|nod|shrug)\s+(?:evidently\s+|plainly\s+|clearly\s+)?"
    r"(?:meant|implied|signified|expressed|conveyed))\s*[,:\u2014-]*\s*$")
# Speech only supposed, wished for or shown by a gesture: "He wished to say to
# Katharine:", "on the point of saying to Ralph:", "He very nearly exclaimed aloud:",
# "It was useless to say to him,", "she would boldly have said", "smiled, as much as
# to say,", "as who should say,", "If she had said,", "instead of saying,", "He
# meant,", "a look that plainly said,", "Her attitude was:", "A poet might have quoted,".
NOT_SAID = re.compile(
    r"(?:\b(?:wished|wish|wants?|wanted|longed|tempted|inclined|going)\s+to\s+(?:say|exclaim|ask|cry|reply|answer|add)"
    r"|\b(?:wanted|wished|longed)\s+(?:him|her|them|me)\s+to\s+(?:\w+\s+){0,4}?(?:say|ask)"
    r"|\bon\s+the\s+point\s+of\s+(?:saying|exclaiming|asking)"
    r"|\bnearly\s+(?:said|exclaimed|cried|asked)|\bnearly\s+(?:\w+\s+){0,4}?saying"
    r"|\b(?:useless|well|impossible|hard|difficult|no\s+use)\s+to\s+say"
    r"|\bas\s+much\s+as\s+to\s+say|\bas\s+who\s+should\s+say"
    r"|\b(?:would|might|could|should)\s+(?:\w+ly\s+)?have\s+(?:said|asked|exclaimed|quoted)"
    r"|\b[Ii]f\s+(?:he|she|I|they|you|we)\s+had\s+(?:_?\w+_?\s+)?said"
    r"|\b(?:without|instead\s+of)\s+saying|\battitude\s+was"
    r"|\b(?:[Hh]e|[Ss]he|I|[Tt]hey)\s+meant|\b(?:that|which)\s+(?:plainly|clearly|evidently)\s+(?:said|asked))"
    r"(?:\s+to\s+(?:him|her|them|me|us|[A-Z]\w+)|\s+aloud)?[\s,:\u2014-]*$")
NOT_SAID_WORDS = frozenset({"say", "said", "saying", "ask", "asked", "asking", "exclaim", "exclaimed", "cry", "cried",
                            "reply", "answer", "add", "quoted", "was", "aloud", "meant"})
# The same told after the quote: '"Yes, come," he felt like answering.'
UNSPOKEN_AFTER = re.compile(
    r"\s*(?:he|she|I|they|we|it)\s+(?:felt\s+like\s+\w+ing|seemed\s+to\s+say|longed\s+to\s+(?:say|add|cry|ask)"
    r"|was\s+tempted\s+to\s+(?:say|add|cry|ask))\b")
LETTER_INTRO = re.compile(r"\b(?:as\s+follows|to\s+this\s+effect|in\s+these\s+words|(?:were|was)\s+these|"
                          r"(?:had|with)\s+this\s+postscript|(?:letter|note|telegram|card)\s+contained)\b"
                          r"[^\"\u201c\u201d]{0,90}[.:][\s\-\u2014]*$")
WRITTEN_THING = re.compile(r"\b(?:letters?|notes?|wrote|written|read|card|message|telegram|contents|billet|"
                           r"epistle|postscript|envelope)\b", re.I)
# The close of a letter: "Yours affectionately,", "Believe me,", "I am, &c.".
SIGN_OFF = re.compile(r"(?:Yours|Your\s+\w+|Ever\s+yours|Believe\s+me|I\s+am,|I\s+remain|Affectionately|"
                      r"With\s+(?:love|best))\b[^.!?]{0,60}[,.]?$")
# Words sung, or a title, motto or heading given just before the mark: "began to
# sing this:--", "was singing:", "the hymn,", "a chromo entitled,", "arms and motto:--".
SUNG_OR_TITLED = re.compile(r"\b(?:sang|sing|singing|sung|chanted|chanting|hummed|humming|recited|reciting|hymn|"
                            r"entitled|motto|inscription|headline|heading)(?:\s+(?:this|these|thus|softly))?"
                            r"[\s,:;\-\u2014]*$", re.I)
# A quote named, not spoken, by what follows it: '"Cissie" was the name of the
# villa', '"Boum" is the sound', '"Advise" was his word', '"..." was the heading.'
NAMED_AFTER = re.compile(r"[,.!?]?\s+(?:was|were|is)\s+(?:the|their|its|his|her)\s+(?:name|title|heading|headline|"
                         r"motto|legend|inscription|sound|burden|refrain|word|text|label|sign)\b")
# A sign-off standing as its own paragraph ("Yours devotedly," / "Your loving aunt,").
SIGN_OFF_LINE = re.compile(r"(?:Yours|Ever\s+yours|Believe\s+me|I\s+remain|Your\s+(?:[a-z]+\s+){0,3}(?:friend|servant|"
                           r"cousin|sister|brother|son|daughter|niece|nephew|aunt|uncle|mother|father|wife|husband))"
                           r"\b[^.!?\n]{0,50},")
WRITING_VERBS = frozenset({"write", "wrote"})
# A letter's opening: a salutation set off by a dash or a wide space from the
# first line ("My dear Anne,--I make no apology", "Dear Sir,   At your command").
# A name said in speech is followed by a plain comma and one space.
LETTER_OPENING = re.compile(r"(?:[Mm]y\s+|MY\s+)?(?:[Dd]ear|[Dd]earest|DEAR|DEAREST)\s+[A-Z][\w.' ]{0,30}?,"
                            r"(?:[ \t]*(?:--|\u2014)|[ \t]{2,})")
SALUTATION = re.compile(r"(?:my\s+)?(?:dear|dearest)\s+[^,.!?\n]{1,40},$", re.I)
NON_SPACE = re.compile(r"\S")
BLOCK_INDENT = 3            # columns beyond a story's usual paragraph indent that set a block apart


def line_indent(text: str, i: int) -> int:
    """Columns of blank space before the first character on i's line (a tab counts 4)."""
    ls = text.rfind("\n", 0, i) + 1
    n = 0
    while ls < len(text) and text[ls] in " \t":
        n += 4 if text[ls] == "\t" else 1
        ls += 1
    return n


def paragraph_indent(text: str, lo: int, hi: int, lines: int = 4) -> int:
    """The least indent of the paragraph's first few lines: a block quotation is
    indented throughout, a paragraph under a centred heading is not."""
    least = line_indent(text, lo)
    pos = text.find("\n", lo, hi)
    while pos >= 0 and lines > 1 and least > 0:
        if text[pos + 1:pos + 2].strip():
            least = min(least, line_indent(text, pos + 1))
            lines -= 1
        pos = text.find("\n", pos + 1, hi)
    return least


def block_quote_indent(indents: list[int]) -> int | None:
    """The indent from which a paragraph is a block quotation (a letter or verse
    typeset apart), or None when indentation says nothing in this story: when
    more than one paragraph in ten is indented beyond the usual, indentation is
    the story's own habit (dialogue indented, say), not a block's mark."""
    if not indents:
        return None
    usual = sorted(indents)[len(indents) // 2]
    limit = usual + BLOCK_INDENT
    deep = sum(1 for n in indents if n >= limit)
    return limit if deep * 10 <= len(indents) else None


def _last_word(text: str, end: int, lo: int) -> str:
    """The word just before `end` (punctuation and spaces skipped), lower-cased:
    a cheap test before the look-behind regexes, which run once per quote."""
    tail = text[max(lo, end - 30):end].rstrip(" \t\r\n,:;\u2014\u2013-")
    i = len(tail)
    while i > 0 and tail[i - 1].isalpha():
        i -= 1
    return tail[i:].lower()


WRITTEN_BEFORE_WORDS = frozenset({"wrote", "writes", "written", "read", "reads", "ran", "runs", "out", "margin"})
UNSPOKEN_WORDS = frozenset({"say", "said", "says", "saying", "ask", "asked", "asking", "reply", "replied",
                            "answer", "answered", "cry", "cried", "exclaim", "exclaimed", "retort", "add",
                            "himself", "herself", "themselves", "implored", "back", "answering", "replying",
                            "retorting", "adding", "shouting", "crying", "exclaiming", "meant", "implied",
                            "signified", "expressed", "conveyed"})


def introduces_writing(text: str, end: int, lo: int = 0) -> bool:
    """True if the narration ending at `end` (the end of the paragraph before
    a quote, or the text just before its opening mark) introduces something
    written: "...and read as follows:", "In her handwriting I read:"."""
    i = end - 1
    while i > lo and text[i].isspace():
        i -= 1
    if i < lo or text[i] not in ":-\u2014.":
        return False
    if LETTER_INTRO.search(text, max(lo, end - 120), i + 1) is not None:
        # "The first note was to this effect." / "She opened the letter and read
        # as follows. It had been forwarded from home."
        return WRITTEN_THING.search(text, max(lo, end - 250), end) is not None
    if text[i] == ".":
        return False
    before = text[max(lo, end - 120):end].rstrip()
    m = WRITING_CUE.search(before)
    if m is None:
        return False
    # "He folded the letter and said:" introduces speech, not the letter.
    clause = re.split(r"[.!?]", before)[-1]
    return not any(w in SPEECH_VERBS and w not in WRITING_VERBS for w in re.findall(r"[a-z]+", clause.lower()))


def unspoken(text: str, open_at: int, lo: int, word_before: str | None = None,
             close_at: int = -1, hi: int = -1) -> bool:
    """True if the narration around the quote (opening mark at open_at,
    closing mark at close_at) says the words were not spoken: "as if to say,",
    "She nearly said,", "their look said:", '"...," he felt like answering.'"""
    if word_before is None:
        word_before = _last_word(text, open_at, lo)
    if word_before in UNSPOKEN_WORDS and UNSPOKEN.search(text, max(lo, open_at - 70), open_at) is not None:
        return True
    # the last words, for NOT_SAID: "...said," or "...say to Katharine:"
    words = PLAIN_WORD.findall(text, max(lo, open_at - 40), open_at)[-3:]
    if words and (words[-1].lower() in NOT_SAID_WORDS
                  or (len(words) == 3 and words[1] == "to" and words[0].lower() in NOT_SAID_WORDS)) \
            and NOT_SAID.search(text, max(lo, open_at - 70), open_at) is not None:
        return True
    return 0 <= close_at < hi and text[close_at - 1:close_at] in (",", "!", "?", "\u2014", "-") \
        and UNSPOKEN_AFTER.match(text, close_at + 1, min(hi, close_at + 50)) is not None


def wrap_width(text: str, lo: int, hi: int) -> int:
    """The story's line width when it is hard-wrapped: the median length of
    lines that run on into a next line (0 when no line does, as in one line per
    paragraph)."""
    lengths = []
    start = lo
    while True:
        nl = text.find("\n", start, hi)
        if nl < 0:
            break
        if nl + 1 < hi and not text[nl + 1].isspace() and nl > start:
            lengths.append(nl - start)
        start = nl + 1
    lengths.sort()
    return lengths[len(lengths) // 2] if lengths else 0


def is_verse(text: str, open_at: int, start: int, end: int, width: int) -> bool:
    """True if the quote is set out as verse: it opens its line, runs over two
    lines or more, and every line starts with a capital and (but the last) stops
    well short of the story's line width ("Beautiful Soup, so rich and green,\n
    Waiting in a hot tureen!")."""
    if width <= 0 or text.find("\n", start, end) < 0:
        return False
    line_start = text.rfind("\n", 0, open_at) + 1
    if text[line_start:open_at].strip():
        return False
    lines = text[start:end].split("\n")
    if any(len(line.strip()) * 4 >= width * 3 for line in lines[:-1]):
        return False
    return all(line.strip().lstrip("\"'\u201c\u2018_")[:1].isupper() for line in lines)


def sung_or_named(text: str, open_at: int, close_at: int, lo: int, hi: int) -> bool:
    """True if the quote is sung, or a title, motto, sound or word named rather
    than spoken: 'began to sing this:-- "..."', 'a print entitled, "..."',
    '"Cissie" was the name of one of these villas'."""
    if SUNG_OR_TITLED.search(text, max(lo, open_at - 40), open_at) is not None:
        return True
    return close_at < hi and NAMED_AFTER.match(text, close_at + 1, min(hi, close_at + 40)) is not None


def attributed_to_writing(text: str, open_at: int, close_at: int, lo: int, hi: int,
                          word_before: str | None = None) -> bool:
    """True if the quote with marks at open_at and close_at is what someone
    wrote or read, not said: 'she wrote, "..."', '"..." read Mrs. Herriton'."""
    if word_before is None:
        word_before = _last_word(text, open_at, lo)
    if word_before == "" and text[max(lo, open_at - 7):open_at].rstrip().endswith((" read.", " wrote.")):
        word_before = "read"            # Brenda read. "Arriving 3.18"
    # (rstrip: the space between "she wrote," and the mark)
    if word_before in WRITTEN_BEFORE_WORDS and WRITTEN_BEFORE.search(text[max(lo, open_at - 40):open_at].rstrip()):
        return True
    return close_at < hi and WRITTEN_AFTER.match(text, close_at + 1, min(hi, close_at + 60)) is not None


def is_heading_or_salutation(text: str, s: int, e: int, opens_paragraph: bool, close_at: int, hi: int) -> bool:
    """A letter's salutation standing alone ("MY DEAR SIR,", "Dear Harriet,"),
    or a headline or sign in capitals without a final stop or mark of speech
    ("WEALTHY LADY POISONED", "FIVE GUINEAS REWARD")."""
    if e - s > 80 or not (text[e - 1].isalnum() or text[e - 1] == ","):
        return False
    content = text[s:e]
    if opens_paragraph and NON_SPACE.search(text, close_at + 1, hi) is None and SALUTATION.fullmatch(content):
        return True
    if not content[-1:].isalnum() or any(ch.islower() for ch in content):
        return False
    return len(content.split()) >= 2 and sum(ch.isalpha() for ch in content) >= 6


def is_whole_paragraph(text: str, lo: int, hi: int, start: int, end: int) -> bool:
    """True if the quote with words text[start:end] is all of the paragraph
    text[lo:hi]: only its marks around it."""
    first = NON_SPACE.search(text, lo, start)
    return first is not None and first.start() == start - 1 and NON_SPACE.search(text, end + 1, hi) is None


def chapter_title_spans(story: Story) -> list[tuple[int, int]]:
    """Where each chapter's title stands in its heading (CHAPTER V. / "IT ISN'T
    STRYCHNINE, IS IT?"): a quote there is the chapter's name, not speech."""
    spans = []
    for chapter in story.chapters:
        title = (chapter.title or "").strip()
        if any(ch in title for ch in "\"'\u201c\u201d\u2018\u2019\u00ab\u00bb"):
            at = story.text.find(title, chapter.start, chapter.start + 200 + len(title))
            if at >= 0:
                spans.append((at, at + len(title)))
    return spans


def find_quotes(story: Story) -> list[Quote]:
    text = story.text
    body_end = story.body_end if story.body_end >= 0 else len(text)
    single = uses_single_quotes(text, story.body_start, body_end)
    quotes: list[Quote] = []
    blocks = [(p.start, p.end) for p in story.paragraphs if story.body_start <= p.start and p.end <= body_end] \
        if story.paragraphs else paragraph_blocks(text, story.body_start, body_end)
    blocks = outside_notes(blocks, story.notes)
    headings = chapter_title_spans(story)
    indents = [paragraph_indent(text, lo, hi) for lo, hi in blocks]
    block_indent = block_quote_indent(indents)
    width = wrap_width(text, story.body_start, body_end)
    prev_lo = prev_hi = -1
    letter_open = False         # a written text (a letter) ran on to the last paragraph's end
    in_letter = False           # a letter quoted paragraph by paragraph ("Dear Sir," / "..." / "Yours,")
    signed = 0                  # paragraphs since the letter's sign-off
    for (lo, hi), indent in zip(blocks, indents):
        letter_continues, letter_open = letter_open, False
        written_until = -1      # "..." she wrote, "...": the second part is written too
        after_cue = prev_hi >= 0 and introduces_writing(text, prev_hi)   # "...read as follows:"
        # "He very nearly exclaimed aloud:" ending the paragraph before
        after_unspoken = prev_hi >= 0 and text[prev_hi - 1] == ":" and unspoken(text, prev_hi, prev_lo)
        found = scan_block(text, lo, hi, single)
        whole = len(found) == 1 and is_whole_paragraph(text, lo, hi, found[0][0], found[0][1])
        words = len(text[found[0][0]:found[0][1]].split()) if whole else 0
        # A letter goes on over paragraphs that are each one quote, and ends with
        # narration or one short paragraph (the signature) after its sign-off.
        in_letter = in_letter and whole and (not signed or (signed == 1 and words <= 5))
        signed = signed + 1 if in_letter and signed else 0
        for s, e, mark in found:
            if block_indent is not None and indent >= block_indent:
                continue                    # a block quotation: verse, a letter, an inscription
            if any(a <= s < b for a, b in headings):
                continue                    # CHAPTER V. "IT ISN'T STRYCHNINE, IS IT?": a title
            o = s - 1
            while o > lo and text[o] != mark:
                o -= 1                      # the opening mark (whitespace inside it was trimmed)
            after = NON_SPACE.search(text, e, hi)
            c = after.start() if after else hi     # the closing mark, or the paragraph's end
            opens_paragraph = NON_SPACE.search(text, lo, o) is None
            word_before = _last_word(text, o, lo)
            if whole and (in_letter or letter_continues or after_cue
                          or is_heading_or_salutation(text, s, e, True, c, hi)
                          or LETTER_OPENING.match(text, s) or SIGN_OFF_LINE.fullmatch(text, s, e)):
                in_letter = True
                if SIGN_OFF.match(text, s, e):
                    signed = 1          # "Believe me," / "Your loving aunt,": the signature is still to come
            written = (in_letter or (opens_paragraph and (letter_continues or after_cue))
                       or introduces_writing(text, o, lo) or attributed_to_writing(text, o, c, lo, hi, word_before)
                       or is_heading_or_salutation(text, s, e, opens_paragraph, c, hi)
                       or (opens_paragraph and LETTER_OPENING.match(text, s) is not None)
                       or o <= written_until)
            if written or (opens_paragraph and after_unspoken) or unspoken(text, o, lo, word_before, c, hi) \
                    or sung_or_named(text, o, c, lo, hi) \
                    or is_verse(text, o, s, e, width):
                letter_open = after is None         # no closing mark: the next paragraph goes on with it
                # '"...," she wrote, "...": the part after the attribution is written too
                written_until = c + 60 if c < hi and WRITTEN_AFTER.match(text, c + 1, min(hi, c + 60)) else -1
                continue
            written_until = -1
            for a, b in around_stage_directions(text, s, e):
                quotes.append(Quote(len(quotes), a, b, text[a:b], open_mark=mark))
        prev_lo, prev_hi = lo, hi
    return quotes


def assign_containers(story: Story) -> None:
    """Set paragraph, scene and chapter indices of each quote from its offset."""
    si = ci = pi = 0
    paragraphs = story.paragraphs
    for q in story.quotes:
        while si + 1 < len(story.scenes) and story.scenes[si + 1].start <= q.start:
            si += 1
        while ci + 1 < len(story.chapters) and story.chapters[ci + 1].start <= q.start:
            ci += 1
        while pi + 1 < len(paragraphs) and paragraphs[pi + 1].start <= q.start:
            pi += 1
        q.scene = story.scenes[si].i if story.scenes else -1
        q.chapter = story.chapters[ci].i if story.chapters else -1
        if paragraphs and paragraphs[pi].start <= q.start:
            q.paragraph = paragraphs[pi].i


def quotes(story: Story) -> Story:
    story.quotes = find_quotes(story)
    assign_containers(story)
    return story
