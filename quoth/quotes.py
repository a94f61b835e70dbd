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
* A quote interrupted by narration ("No," she said. "Never.") is two quotes.

Paragraphs are the blocks the quote scan works in: blank-line separated
blocks when the story uses blank lines between paragraphs (hard-wrapped
novels), else single lines (one line per paragraph, as fan fiction usually
is).  They are computed here from the text so that quote boundaries do not
depend on how finely the structure stage split the text; each quote's
`paragraph` is still the structure stage's paragraph index.
"""
from __future__ import annotations

import re

from .story import Quote, Story

# Openers and closers by family.  A straight mark may open or close; which one
# is read from its context.
DOUBLE_OPEN = {"\u201c": "double", "\u201e": "double", "\u00ab": "guillemet", "\u300c": "corner",
               "\u300e": "white_corner", "\u2018": "single", "\u201a": "single"}
DOUBLE_CLOSE = {"\u201d": "double", "\u00bb": "guillemet", "\u300d": "corner",
                "\u300f": "white_corner", "\u2019": "single"}
STRAIGHT = {'"': "double", "'": "single"}
# Family -> the closing marks that end it (straight marks are handled apart).
CLOSERS = {"double": {"\u201d", "\u201c"}, "guillemet": {"\u00bb"}, "corner": {"\u300d"},
           "white_corner": {"\u300f"}, "single": {"\u2019"}}
# Marks that can nest inside a quote of the same family (opening, closing).
NESTING = {"guillemet": ("\u00ab", "\u00bb"), "corner": ("\u300c", "\u300d"),
           "white_corner": ("\u300e", "\u300f")}

ALL_MARKS = re.compile("[\"'\u201c\u201d\u201e\u2018\u2019\u201a\u00ab\u00bb\u300c\u300d\u300e\u300f]")
# Words that begin with an apostrophe standing for dropped letters.
ELISIONS = {"em", "cause", "cos", "coz", "tis", "twas", "twere", "twill", "til", "till", "n", "round",
            "bout", "ave", "ere", "im", "is", "er", "ow", "owd", "appen", "un", "uns", "ee",
            "e", "ud", "spose", "sposed", "kay", "nother", "fore", "neath", "tween", "gainst", "mongst",
            "specially", "cept", "fraid", "nuff", "s", "d", "ll", "ve", "re", "m", "t"}
# Decades and years: '90s, '45.
YEAR = re.compile(r"\d\d")

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


def _is_word(ch: str) -> bool:
    return ch.isalnum()


def _before(text: str, i: int, lo: int) -> str:
    return text[i - 1] if i > lo else " "


def _after(text: str, i: int, hi: int) -> str:
    return text[i + 1] if i + 1 < hi else " "


def _single_kind(text: str, i: int, lo: int, hi: int) -> str:
    """Classify a single-quote mark at text[i] as 'open', 'close', 'either'
    or 'apostrophe' from its neighbours alone."""
    b, a = _before(text, i, lo), _after(text, i, hi)
    if _is_word(b) and _is_word(a):
        return "apostrophe"                    # don't, o'clock, rock'n'roll
    if _is_word(a) and not _is_word(b):
        m = re.match(r"[A-Za-z]+", text[i + 1:i + 12])
        word = m.group().lower() if m else ""
        if (word in ELISIONS and (i + 1 + len(word) >= hi or not _is_word(text[i + 1 + len(word)]))) \
                or YEAR.match(text, i + 1):
            return "elision"                   # 'em, 'cause, '90s — or an opener
        return "open"
    if _is_word(b) and not _is_word(a):
        return "close_weak"                    # the boys', tho', goin' — or a closer
    if b in ".,!?;:\u2014\u2013-\u2026)" and not _is_word(a):
        return "close"
    if not b.strip() and not a.strip():
        return "apostrophe"                    # a lone mark between spaces
    if not b.strip() or b in "([\u2014\u2013\"\u201c":
        return "open"
    return "close"


def uses_single_quotes(text: str, start: int, end: int) -> bool:
    """True if the story marks dialogue with single quotes: speech-opening
    single marks clearly outnumber double quotes."""
    region = text[start:end]
    doubles = sum(region.count(c) for c in '"\u201c\u201d')
    opens = len(re.findall(r"(?:^|[\s(\u2014])[\u2018'](?=[A-Z])", region, flags=re.M))
    closes = len(re.findall(r"[.,!?\u2014\u2026-][\u2019'](?=\s|$)", region, flags=re.M))
    speech = min(opens, closes)
    return speech >= 3 and speech > doubles


def _straight_double_kind(text: str, i: int, lo: int, hi: int) -> str:
    b, a = _before(text, i, lo), _after(text, i, hi)
    if not b.strip() or b in "([{\u2014\u2013":
        return "open" if a.strip() else "either"
    if not a.strip() or a in ".,;:!?)]}\u2014\u2013-\u2026'\u2019":
        return "close"
    return "either"


def scan_block(text: str, lo: int, hi: int, single_dialogue: bool) -> list[tuple[int, int, str]]:
    """(content start, content end, opening mark) of every quote in text[lo:hi]."""
    found: list[tuple[int, int, str]] = []
    family = None           # family of the open quote, None when outside quotes
    open_at = -1            # index of the opening mark
    depth = 0               # nesting depth of same-family brackets
    marks = [m.start() for m in ALL_MARKS.finditer(text, lo, hi)]
    k = 0
    while k < len(marks):
        i = marks[k]
        ch = text[i]
        k += 1
        if family is None:
            if ch == '"':
                family = "double"
            elif ch in ("\u201c", "\u201e", "\u00ab", "\u300c", "\u300e"):
                family = DOUBLE_OPEN[ch]
            elif ch == "\u00bb" and _is_word(_after(text, i, hi)):
                family = "rguillemet"          # German »…«
            elif ch in ("'", "\u2018", "\u201a") and single_dialogue:
                kind = _single_kind(text, i, lo, hi) if ch == "'" else "open"
                if kind in ("open", "either") or (kind == "elision" and _single_opens_quote(text, marks, k, lo, hi)):
                    family = "single"
                else:
                    continue
            elif ch == "\u201d" and _straight_double_kind(text, i, lo, hi) == "open":
                family = "double"              # a curly closer used as an opener
            else:
                continue
            open_at, depth = i, 0
            continue
        # a quote is open
        close = False
        if family == "double":
            if ch in ('"', "\u201d"):
                close = True
            elif ch == "\u201c":
                kind = _straight_double_kind(text, i, lo, hi)
                if kind == "open":
                    depth += 1                 # nested “…” inside “…”
                else:
                    close = depth == 0         # “Hello,“ he said — a typo for ”
                    depth = max(0, depth - 1) if not close else 0
                    if not close:
                        continue
        elif family == "single":
            if ch == "\u2019":
                kind = _single_kind(text, i, lo, hi)
                close = kind in ("close", "either") or (kind == "close_weak" and not _later_closer(text, marks, k, lo, hi))
            elif ch == "'":
                kind = _single_kind(text, i, lo, hi)
                close = kind == "close" or (kind in ("close_weak", "either") and not _later_closer(text, marks, k, lo, hi))
        elif family == "rguillemet":
            close = ch == "\u00ab"
        else:
            o, c = NESTING[family]
            if ch == o:
                depth += 1
            elif ch == c:
                if depth:
                    depth -= 1
                else:
                    close = True
        if close:
            if text[open_at + 1:i].strip():
                found.append((open_at + 1, i, text[open_at]))
            family = None
    if family is not None:
        end = hi
        while end > open_at + 1 and text[end - 1].isspace():
            end -= 1
        if text[open_at + 1:end].strip():
            found.append((open_at + 1, end, text[open_at]))
    return found


def _single_opens_quote(text: str, marks: list[int], k: int, lo: int, hi: int) -> bool:
    """An elision-looking mark ('Tis, 'em) opens a quote if a clear closing
    single mark follows in the paragraph."""
    for j in marks[k:]:
        if text[j] in "'\u2019" and _single_kind(text, j, lo, hi) == "close":
            return True
    return False


def _later_closer(text: str, marks: list[int], k: int, lo: int, hi: int) -> bool:
    """True if a clear single closing mark follows before any single mark that
    opens a new quote: then a word-final mark now is an apostrophe (the boys')."""
    for j in marks[k:]:
        if text[j] not in "'\u2019\u2018":
            continue
        kind = _single_kind(text, j, lo, hi) if text[j] != "\u2018" else "open"
        if kind == "close":
            return True
        if kind == "open":
            return False
    return False


# Verbs of speech: a short quote right after one is speech even when it sits
# inside the sentence (she said "No" and left).
SPEECH_VERBS = frozenset("""
say says said saying answer answers answered answering reply replies replied replying cry cries cried
crying exclaim exclaims exclaimed exclaiming add adds added adding ask asks asked asking whisper whispers
whispered whispering murmur murmured murmuring mutter muttered muttering scream screamed shout shouted
shouting call calls called calling repeat repeated announce announced suggest suggested return returned
continue continued begin began observe observed remark remarked rejoin rejoined interrupt interrupted
resume resumed sigh sighed laugh laughed groan groaned echo echoed declare declared protest protested
retort retorted respond responded demand demanded inquire inquired enquire enquired plead pleaded beg
begged urge urged insist insisted explain explained admit admitted agree agreed think thought write
wrote ejaculated exclamation ejaculation yell yelled hiss hissed snap snapped growl growled
""".split())
LAST_WORD = re.compile(r"(\w+)\W*$")


def is_dialogue(text: str, start: int, end: int, lo: int) -> bool:
    """False for a quoted term or title inside a sentence (scare quotes, a
    word mentioned, a book's name): a short quote, not ending in ! or ?, whose
    opening mark follows a word of narration other than a verb of speech."""
    before = text[lo:start - 1].rstrip()
    if not before or not before[-1].isalpha():
        return True
    content = text[start:end].rstrip()
    if content[-1:] in ("!", "?") or len(content.split()) > 6:
        return True
    m = LAST_WORD.search(before[-40:])
    return bool(m) and m.group(1).lower() in SPEECH_VERBS


def find_quotes(story: Story) -> list[Quote]:
    text = story.text
    body_end = story.body_end if story.body_end >= 0 else len(text)
    single = uses_single_quotes(text, story.body_start, body_end)
    quotes: list[Quote] = []
    for lo, hi in paragraph_blocks(text, story.body_start, body_end):
        for s, e, mark in scan_block(text, lo, hi, single):
            if not is_dialogue(text, s, e, lo):
                continue
            quotes.append(Quote(len(quotes), s, e, text[s:e], open_mark=mark))
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
