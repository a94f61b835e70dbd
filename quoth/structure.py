"""Stage 2: structure — paragraphs, title, author's notes, chapters and scenes.

Works on the plain text alone, so a .txt story and the text an HTML/EPUB reader
built come out the same way; what a reader already learned from markup (title,
notes, chapters, body bounds) is kept and not guessed again.

The text is cut into lines once; everything else is a linear pass over them:

* paragraphs: blank-line separated blocks (hard-wrapped novels), or single
  lines when the story puts one paragraph per line (most fan fiction);
* headings: "Chapter 1", "CHAPTER I.", "Chapter One: The Storm", "Prologue",
  "BOOK ONE", "PART I: MOSQUE", and bare "I." / "1." headings that count up;
* front matter: a title (first short line, or a "Title:" / Gutenberg header),
  "by Author", header fields, and notes ("A/N:", "Disclaimer:", "Notes:" ...)
  before the story proper; end notes ("A/N: Thanks for reading!") after it;
* scenes: split at separator lines (``***``, ``~~~``, ``xXx``, "Scene break",
  any line of only symbols) and at wider-than-usual blank gaps, and at chapters.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from .story import Chapter, Note, Paragraph, Scene, Story

# ---------------------------------------------------------------- patterns

_NUM_WORDS = ("one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
              "sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety "
              "hundred").split()
_ORDINALS = ("first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth "
             "last final").split()
_ROMAN = r"(?=[ivxlcdm])m{0,4}(?:cm|cd|d?c{0,3})(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})"
_NUMBER = (r"(?:\d{1,4}|%s|(?:%s)(?:[ -](?:%s))?|(?:the\s+)?(?:%s))"
           % (_ROMAN, "|".join(_NUM_WORDS), "|".join(_NUM_WORDS[:9]), "|".join(_ORDINALS)))
_END = r"(?![^\W_])"        # the number ends here ("I_" in "_Chapter I_" counts, "1st" does not)
# Decoration some writers put around headings: "~Chapter 2~", "-- Part One --", "**Chapter 3**".
_DECO = r"[\s~*=#_\-–—•·<>\[\]()|+]*"
_SEP = r"(?:\s*[.:\-–—|]\s*|\s+)"
CHAPTER_RE = re.compile(
    rf"^{_DECO}(?P<label>(?:chapter|chap\.?|ch\.|letter|adventure|stave|episode|canto)\s*{_NUMBER}){_END}\.?"
    rf"(?:{_SEP}(?P<title>.*?))?{_DECO}$", re.I)
SPECIAL_RE = re.compile(
    rf"^{_DECO}(?P<label>(?:the\s+)?(?:prologue|epilogue|preface|foreword|introduction|interlude|afterword|"
    rf"author'?s preface)){_END}\.?(?:{_SEP}(?P<title>.*?))?{_DECO}$", re.I)
PART_RE = re.compile(
    rf"^{_DECO}(?P<label>(?:book|part|volume|vol\.|phase|act)\s+{_NUMBER}){_END}\.?(?:{_SEP}(?P<title>.*?))?{_DECO}$",
    re.I)
BARE_NUMBER_RE = re.compile(rf"^{_DECO}(?P<label>(?:[IVXLCDM]{{1,7}}|\d{{1,3}})){_END}\.?{_DECO}$")
# "1. The Beginning" / "IV - Ashes" / "I  The Old Family": a numbered title (kept only when the numbers count up).
NUMBERED_TITLE_RE = re.compile(r"^\s*(?P<label>(?:[IVXLCDM]{1,7}|\d{1,3}))(?:\s*[.:)\-\u2013\u2014]\s+|\s{2,}|(?<=\d)\s)"
                               r"(?P<title>[A-Z\"'\u201c\u2018].{0,80})$")

# A separator line: only symbols (not quote marks or a lone ellipsis), x/o rows, or "Scene break".
_QUOTE_CHARS = "\"'\u201c\u201d\u2018\u2019\u00ab\u00bb\u300c\u300d"
SYMBOL_LINE_RE = re.compile(r"^[^\w\s%s]+(?:\s+[^\w\s%s]+)*$" % (_QUOTE_CHARS, _QUOTE_CHARS))
XO_LINE_RE = re.compile(r"^[^\w\s]*\s*(?:[xXoO0]{3,}|[xX]\s*[oO]\s*[xX](?:\s*[oO]\s*[xX])*)\s*[^\w\s]*$")
BREAK_WORDS_RE = re.compile(
    r"^[^\w]*(?:(?:scene|line|page|time|pov|section)[ \-]?(?:break|change|skip|switch|shift)|break|"
    r"time skip|meanwhile\.{3})[^\w]*$", re.I)
END_MARK_RE = re.compile(r"^[\s\[(*_~-]*(?:the\s+end|finis|fin|end|end\s+file)[\s.!\])*_~-]*$", re.I)

# Notes: the marker that opens a note paragraph, and its kind.
NOTE_RE = re.compile(
    r"^[\s\[(*_~<{]*(?:"
    r"(?P<an>a/n|a\.n\.?|author'?s'?\s+notes?|authors'?\s+notes?|author\s+notes?|an(?=\s*[:\-–—]))"
    r"|(?P<disclaimer>disclaimer|dis\s*claimer)"
    r"|(?P<notes>notes?|end\s+notes?|translator'?s?\s+notes?)(?=\s*[:\-–—])"
    r"|(?P<summary>summary)(?=\s*[:\-–—])"
    r")", re.I)
A_N_RE = re.compile(r"^[\s\[(*_~<{]*(?:a/n|a\.n\.|author'?s'?\s+notes?)\b", re.I)
END_PHRASE_RE = re.compile(
    r"^[\s\[(*_~]*(?:thanks?\s+(?:you\s+)?(?:so\s+much\s+)?for\s+reading|thank\s+you\s+(?:so\s+much\s+)?for\s+reading|"
    r"please\s+(?:r\s*&\s*r|review|comment|leave\s+a\s+(?:review|comment))|r\s*&\s*r|read\s+and\s+review|"
    r"reviews?\s+(?:are|make|please)|to\s+be\s+continued)", re.I)
# Fan-fiction and Project Gutenberg header fields ("Title: ...", "Pairing: ...").
HEADER_RE = re.compile(
    r"^\s*(?P<key>title|author|authors|by|rating|rated|fandoms?|pairings?|relationships?|characters?|"
    r"warnings?|genres?|category|categories|word\s*count|words|summary|status|series|language|"
    r"beta(?:\s*reader)?|spoilers|archive warnings?|tags|additional tags|release date|posting date|"
    r"published|updated|completed|chapters|source|story\s*url|url|packaged|site|"
    r"credits|produced by|ebook #?\d*|last updated|original publication)\s*:\s*(?P<value>.*)$", re.I)
GUTENBERG_RE = re.compile(r"^\s*(?:the\s+)?project\s+gutenberg'?s?\s+e-?book,?\s+(?:of\s+)?(?P<title>.+?)"
                          r"(?:,\s+by\s+(?P<author>.+?))?\s*$", re.I)
BY_RE = re.compile(r"^\s*(?:written\s+)?by\b[\s:]*(?P<author>.*)$", re.I)

TITLE_MAX_CHARS = 90


@dataclass
class Line:
    start: int
    end: int          # end of the stripped content
    text: str         # stripped


@dataclass
class Heading:
    line: int          # index of the heading line
    last_line: int     # last line the heading occupies (label + title lines)
    level: str         # "chapter" | "special" (prologue...) | "part" | "number"
    label: str
    title: str | None


# ---------------------------------------------------------------- lines & paragraphs

def _lines(text: str, start: int, end: int) -> list[Line]:
    out: list[Line] = []
    pos = start
    while pos <= end:
        nl = text.find("\n", pos, end)
        stop = end if nl < 0 else nl
        raw = text[pos:stop]
        stripped = raw.strip()
        if stripped:
            lead = len(raw) - len(raw.lstrip())
            out.append(Line(pos + lead, pos + lead + len(stripped), stripped))
        else:
            out.append(Line(pos, pos, ""))
        if nl < 0:
            break
        pos = nl + 1
    return out


_LINE_END_TERMINAL = re.compile(r"[.!?\"\u201d\u2019'\u2026:)\]*~\-\u2014]$")


def _one_line_per_paragraph(lines: list[Line]) -> bool:
    """True when each line is a paragraph: no blank lines at all, long unwrapped
    lines, or lines that end where sentences end even when another line follows
    (hard-wrapped prose breaks lines mid-sentence)."""
    nonblank = [len(ln.text) for ln in lines if ln.text]
    blank = len(lines) - len(nonblank)
    if not nonblank or blank == 0:
        return True
    long_lines = sum(1 for n in nonblank if n > 100)
    if long_lines > 0.2 * len(nonblank):
        return True
    followed = terminal = 0
    for ln, nxt in zip(lines, lines[1:]):
        if ln.text and nxt.text:
            followed += 1
            terminal += bool(_LINE_END_TERMINAL.search(ln.text))
    return followed >= 5 and terminal > 0.6 * followed


def _strong_heading(s: str) -> bool:
    """A "Chapter ..."/"Part ..."/"Prologue" line: it stands alone even without a blank line after it."""
    if not s or len(s) > 100 or not s[0].isalpha() and s[0] not in "~*=#_-[(":
        return False
    m = match_heading(s)
    return m is not None and m[0] != "number"


def _blocks(lines: list[Line], per_line: bool, is_break) -> list[tuple[int, int]]:
    """(first, last) line indexes of each paragraph; separator lines stand alone."""
    blocks: list[tuple[int, int]] = []
    first = -1
    for i, ln in enumerate(lines):
        if not ln.text:
            if first >= 0:
                blocks.append((first, i - 1))
                first = -1
            continue
        if per_line or is_break[i] or (first < 0 and _strong_heading(ln.text)):
            if first >= 0:
                blocks.append((first, i - 1))
                first = -1
            blocks.append((i, i))
            continue
        if first < 0:
            first = i
    if first >= 0:
        blocks.append((first, len(lines) - 1))
    return blocks


def find_paragraphs(text: str, start: int = 0, end: int | None = None) -> list[Paragraph]:
    """Paragraphs are blocks separated by blank lines; in one-line-per-paragraph
    texts (common in fan fiction) every non-empty line is a paragraph."""
    end = len(text) if end is None else end
    lines = _lines(text, start, end)
    blocks = _blocks(lines, _one_line_per_paragraph(lines), [False] * len(lines))
    return [Paragraph(i, lines[a].start, lines[b].end) for i, (a, b) in enumerate(blocks)]


# ---------------------------------------------------------------- line classifiers

def is_separator(s: str) -> bool:
    if not s or len(s) > 60:
        return False
    if SYMBOL_LINE_RE.match(s):
        core = s.replace(" ", "")
        if set(core) <= {".", "\u2026"} and len(core) < 5:
            return False          # a lone "..." is a beat of silence, not a break
        if set(core) <= {"-", "\u2013", "\u2014"} and len(core) < 3:
            return False          # a lone dash is an interrupted line
        return True
    return bool(XO_LINE_RE.match(s) or BREAK_WORDS_RE.match(s))


def _clean_title(t: str | None) -> str | None:
    if not t:
        return None
    t = t.strip(" \t.:-–—~*=#_")
    return t or None


def match_heading(s: str) -> tuple[str, str, str | None] | None:
    """(level, label, title) when a line reads as a chapter/part heading."""
    if not s or len(s) > 100:
        return None
    for level, rx in (("chapter", CHAPTER_RE), ("special", SPECIAL_RE), ("part", PART_RE)):
        m = rx.match(s)
        if m:
            raw = m.group("title")
            title = _clean_title(raw)
            if title:
                punct = bool(re.match(r"^\s*[.:\-\u2013\u2014|]", s[m.end("label"):]))
                if len(title) > 80 or (not title.isupper() and _looks_like_sentence(title)):
                    return None
                if not punct and title[0].islower():
                    return None     # "Chapter two was dull." is prose
            return level, m.group("label").strip(), title
    m = BARE_NUMBER_RE.match(s)
    if m:
        return "number", m.group("label"), None
    m = NUMBERED_TITLE_RE.match(s)
    if m and not _looks_like_sentence(m.group("title")) and _title_like(m.group("title")):
        return "number", m.group("label"), _clean_title(m.group("title"))
    return None


def _looks_like_sentence(s: str) -> bool:
    words = s.split()
    return len(words) > 12 or (len(words) > 2 and s[-1:] in ".,;!?" and not s.isupper())


def _roman_value(s: str) -> int | None:
    vals = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}
    s = s.lower()
    if not s or any(ch not in vals for ch in s):
        return None
    total = 0
    for a, b in zip(s, s[1:] + " "):
        v = vals[a]
        total += -v if b != " " and vals[b] > v else v
    return total


def _number_value(label: str) -> int | None:
    tail = label.split()[-1].lower().rstrip(".")
    if tail.isdigit():
        return int(tail)
    if tail in _NUM_WORDS[:20]:
        return _NUM_WORDS.index(tail) + 1
    return _roman_value(tail)


def _title_like(s: str) -> bool:
    """A short line that reads as a heading or title, not as a sentence."""
    if not s or len(s) > TITLE_MAX_CHARS or s[0] in _QUOTE_CHARS:
        return False
    if s[-1] in ",;" or (s[-1] == "." and not s.isupper() and not re.search(r"\b(?:Mr|Mrs|Dr|St|Jr|Co)\.$", s)):
        return False
    return len(s.split()) <= 14


# ---------------------------------------------------------------- the stage

def structure(story: Story) -> Story:
    text = story.text
    n = len(text)
    body_end = story.body_end if 0 <= story.body_end <= n else n
    lines = _lines(text, 0, n)
    is_break = [is_separator(ln.text) for ln in lines]
    per_line = _one_line_per_paragraph(lines)
    blocks = _blocks(lines, per_line, is_break)
    from_markup = bool(story.chapters)     # a reader already found chapters (and notes) in markup

    headings = _find_headings(lines, blocks, is_break, per_line)
    toc = None if from_markup else _table_of_contents(lines, blocks)
    if toc is not None:
        # Headings listed in a table of contents are not chapters; lines after it that
        # repeat an entry are (FanFicFare's .txt lists chapter names only there).
        toc_first, toc_last = blocks[toc[0]][0], blocks[toc[1]][0] if toc[1] < len(blocks) else len(lines)
        headings = [h for h in headings if not toc_first <= h.line < toc_last]
        have = {h.line for h in headings}
        keys = {_squash(e): e for e in toc[2] if _squash(e)}
        for bi in range(toc[1], len(blocks)):
            a, b = blocks[bi]
            if a not in have and b == a and _squash(lines[a].text) in keys and len(lines[a].text) <= 100:
                headings.append(Heading(a, a, "chapter", lines[a].text, _clean_title(lines[a].text)))
        headings.sort(key=lambda h: h.line)
        story.meta["contents"] = toc[2]
    for h in headings:
        is_break[h.line] = False

    if not from_markup:
        _front_matter(story, lines, blocks, headings, is_break, toc)
        _end_matter(story, lines, blocks, headings, is_break)
        body_end = story.body_end
    body_start = story.body_start
    body_headings = [h for h in headings if body_start <= lines[h.line].start < body_end]

    if not story.chapters:
        story.chapters = _chapters(lines, body_headings, body_start, body_end)
    heading_lines = {i for h in body_headings for i in range(h.line, h.last_line + 1)}
    if any(h.level == "chapter" for h in body_headings):
        for h in body_headings:
            if h.level == "number":
                is_break[h.line] = True     # a numbered section inside a chapter starts a scene
    if from_markup:
        # Readers put a titled chapter's heading line at the chapter's start.
        starts = {c.start for c in story.chapters if c.title is not None}
        heading_lines |= {i for i, ln in enumerate(lines) if ln.start in starts and ln.text and len(ln.text) <= 150}
    _inline_notes(story, lines, blocks, heading_lines)

    # Paragraphs of the body: every block but separator lines.
    story.paragraphs = []
    for a, b in blocks:
        s, e = lines[a].start, lines[b].end
        if s < body_start or e > body_end or is_break[a]:
            continue
        story.paragraphs.append(Paragraph(len(story.paragraphs), s, e))
    if not story.scenes:
        story.scenes = _scenes(story, lines, blocks, is_break, heading_lines, per_line)
    if story.title is None:
        story.title = story.meta.get("title")
    return story


def _find_headings(lines, blocks, is_break, per_line) -> list[Heading]:
    """Chapter/part headings: a heading line that opens its block (or, one paragraph
    per line, stands alone); the chapter title may follow on the next line(s) of the
    block or in the next short block. Bare numerals count only when they count up."""
    found: list[Heading] = []
    for bi, (a, b) in enumerate(blocks):
        if is_break[a] and not BARE_NUMBER_RE.match(lines[a].text):
            continue            # "XXX" is a break, unless it is chapter thirty after XXIX
        m = match_heading(lines[a].text)
        if m is None:
            continue
        level, label, title = m
        # Lines right under the heading (no blank line between): "CHAPTER I\nTHE ONE THING NEEDFUL".
        if b > a:
            follow = list(range(a + 1, b + 1))
        elif bi + 1 < len(blocks) and blocks[bi + 1][0] == a + 1 and not is_break[a + 1]:
            follow = list(range(a + 1, blocks[bi + 1][1] + 1))
        else:
            follow = []
        texts = [lines[k].text for k in follow]
        title_lines = len(texts) <= 3 and all(t.isupper() or _title_like(t) for t in texts) and \
            (title is None or not title.endswith((".", "!", "?")))
        last = a
        if texts and title_lines and (b > a or per_line is False):
            title = " ".join(([title] if title else []) + texts)
            last = follow[-1]
        elif b > a:
            continue            # a heading opens a short block, not a paragraph of prose
        elif texts:
            pass                # prose right under a "Chapter" line
        elif title is None and bi + 1 < len(blocks) and level != "part":
            # "I\n\nTHE HAMILTONS\n\n" or "Chapter 1\n\nThe Storm\n\n": a short title block.
            na, nb = blocks[bi + 1]
            nxt = " ".join(lines[k].text for k in range(na, nb + 1))
            if (nb - na <= 1 and not is_break[na] and match_heading(lines[na].text) is None
                    and _title_like(nxt) and not NOTE_RE.match(nxt) and bi + 2 < len(blocks)
                    and (nxt.isupper() or not nxt.endswith((".", "!", "?", ",", ";", ":")))
                    and nxt[0] not in _QUOTE_CHARS and not any(ch in nxt for ch in "\"\u201c\u201d")):
                title = nxt
                last = nb
        found.append(Heading(a, last, level, label, _clean_title(title)))
    # Bare numerals ("I.", "2") are headings only as a counting-up sequence of at least two.
    keep_numbers: set[int] = set()
    expected = 1
    chain: list[Heading] = []
    for h in (h for h in found if h.level == "number"):
        v = _number_value(h.label)
        if v is not None and expected <= v <= expected + 1 and (v == expected or len(chain) >= 3):
            chain.append(h)         # one number may be missing from a long run
            expected = v + 1
        elif v == 1:
            if len(chain) >= 2:
                keep_numbers.update(x.line for x in chain)
            chain, expected = [h], 2
    if len(chain) >= 2:
        keep_numbers.update(x.line for x in chain)
    return [h for h in found if h.level != "number" or h.line in keep_numbers]


TOC_LABEL_RE = re.compile(r"^(?:table\s+of\s+)?contents\s*[.:]?$", re.I)


def _squash(s: str) -> str:
    return re.sub(r"[\W_]+", "", re.sub(r"[\s.\u00b7\u2026]*\d+\s*$", "", s)).lower()


def _table_of_contents(lines, blocks) -> tuple[int, int, list[str]] | None:
    """A "CONTENTS" / "TABLE OF CONTENTS" list near the start: (first block, first block
    after it, its entries). It ends where the first entry comes round again as a heading,
    or where prose begins."""
    label_bi = next((bi for bi in range(min(len(blocks), 80)) if TOC_LABEL_RE.match(lines[blocks[bi][0]].text)), None)
    if label_bi is None:
        return None
    entries: list[str] = []
    first_key = None
    for bi in range(label_bi, min(len(blocks), label_bi + 400)):
        a, b = blocks[bi]
        start = a + 1 if bi == label_bi else a
        block_lines = [lines[k].text for k in range(start, b + 1) if lines[k].text]
        if not block_lines:
            continue
        key = _squash(block_lines[0])
        if first_key and key and len(key) >= 3 and first_key.startswith(key):
            return (label_bi, bi, entries) if len(entries) >= 2 else None
        if any(len(t) > 100 for t in block_lines) or (
                len(block_lines) >= 3 and sum(t[-1:] in ".,;" for t in block_lines) >= 2 and
                sum(t[:1].islower() for t in block_lines) >= 1):
            return (label_bi, bi, entries) if len(entries) >= 2 else None
        for t in block_lines:
            entries.append(t)
            if first_key is None:
                first_key = _squash(t)
    return None


def _chapters(lines, headings: list[Heading], body_start: int, body_end: int) -> list[Chapter]:
    """Chapters start at chapter-level headings; a part heading ("BOOK THE FIRST")
    right before a chapter heading opens that chapter. With no chapter headings,
    part headings (or numerals) are the chapters."""
    if not headings:
        return [Chapter(0, None, body_start, body_end)]
    labelled = [h for h in headings if h.level == "chapter"]
    # Bare numerals under labelled chapters ("CHAPTER I" ... "[I]", "[II]") are sections, not chapters.
    chapter_level = (labelled or [h for h in headings if h.level == "number"]) + \
        [h for h in headings if h.level == "special"]
    units = chapter_level if chapter_level else headings
    starts: list[tuple[int, str | None]] = []
    unit_lines = {h.line for h in units}
    pending_part: Heading | None = None
    for h in headings:
        if h.line in unit_lines:
            first = pending_part.line if pending_part is not None else h.line
            starts.append((lines[first].start, h.title or h.label))
            pending_part = None
        elif h.level == "part":
            pending_part = h
    chapters: list[Chapter] = []
    if starts and starts[0][0] > body_start:
        # Text before the first heading (no chapter label) is its own untitled chapter
        # unless it is only a few lines long.
        pre = starts[0][0] - body_start
        if pre > 400:
            chapters.append(Chapter(0, None, body_start, starts[0][0]))
        else:
            starts[0] = (body_start, starts[0][1])
    for k, (s, title) in enumerate(starts):
        e = starts[k + 1][0] if k + 1 < len(starts) else body_end
        chapters.append(Chapter(len(chapters), title, s, max(s, e)))
    return chapters


def _scenes(story: Story, lines, blocks, is_break, heading_lines, per_line) -> list[Scene]:
    """Scenes: runs of body paragraphs between separators, wide blank gaps and chapter starts."""
    body_start, body_end = story.body_start, story.body_end
    # Usual gap (blank lines between paragraphs); a wider gap is a scene break.
    gaps = Counter()
    prev_end = None
    for a, b in blocks:
        if prev_end is not None:
            gaps[a - prev_end - 1] += 1
        prev_end = b
    usual = gaps.most_common(1)[0][0] if gaps else 1
    # A scene-break gap is wider than usual and rare (some texts mix one and two blank lines).
    total = sum(gaps.values())
    wide = usual + 1
    while wide <= max(gaps, default=0) and sum(c for g, c in gaps.items() if g >= wide) > max(2, 0.1 * total):
        wide += 1
    chapter_starts = [c.start for c in story.chapters]
    note_spans = sorted((nt.start, nt.end) for nt in story.notes)
    ni = 0
    scenes: list[Scene] = []
    cur_start = cur_end = None
    ci = 0
    prev_last = None

    def close():
        nonlocal cur_start, cur_end
        if cur_start is not None:
            scenes.append(Scene(len(scenes), 0, cur_start, cur_end))
        cur_start = cur_end = None

    for a, b in blocks:
        s, e = lines[a].start, lines[b].end
        if s < body_start or e > body_end:
            prev_last = b
            continue
        gap = a - prev_last - 1 if prev_last is not None else 0
        prev_last = b
        while ci < len(chapter_starts) and chapter_starts[ci] <= s:
            if ci > 0 or chapter_starts[ci] > body_start:
                close()
            ci += 1
        if is_break[a]:
            close()
            continue
        if gap >= wide and cur_start is not None:
            close()
        while ni < len(note_spans) and note_spans[ni][1] <= s:
            ni += 1
        if a in heading_lines or (ni < len(note_spans) and note_spans[ni][0] <= s):
            continue    # headings and inline notes are not scene text
        if cur_start is None:
            cur_start = s
        cur_end = e
    close()
    if not scenes:
        return [Scene(0, 0, body_start, body_end)]
    ci = 0
    for sc in scenes:
        while ci + 1 < len(story.chapters) and story.chapters[ci + 1].start <= sc.start:
            ci += 1
        sc.chapter = ci
    return scenes


# ---------------------------------------------------------------- front and end matter

def note_kind(s: str) -> str | None:
    m = NOTE_RE.match(s)
    if not m:
        return None
    if m.group("an"):
        return "authors_note"
    if m.group("disclaimer"):
        return "disclaimer"
    if m.group("summary"):
        return "summary"
    return "notes"


def _block_text(lines, a, b) -> str:
    return " ".join(lines[k].text for k in range(a, b + 1))


def _front_matter(story: Story, lines, blocks, headings: list[Heading], is_break, toc=None) -> None:
    """Title, author, header fields and notes before the story proper; sets body_start."""
    text = story.text
    heading_blocks = {h.line for h in headings}
    first_heading = next((bi for bi, (a, _) in enumerate(blocks) if a in heading_blocks), None)
    # Front matter reaches at most to the first heading when that comes early.
    limit = first_heading if first_heading is not None and first_heading <= 60 else None
    scan_to = limit if limit is not None else min(len(blocks), 30)
    notes: list[Note] = []
    title = story.title
    title_done = title is not None
    author = story.meta.get("author")
    cur_note: Note | None = None
    body_block = scan_to
    bi = 0
    while bi < scan_to:
        a, b = blocks[bi]
        first = lines[a].text
        if toc is not None and bi == toc[0]:
            bi = toc[1]             # the table of contents is front matter
            continue
        if is_break[a]:
            cur_note = None
            bi += 1
            if limit is None and (notes or title_done):
                body_block = bi          # "A/N ... \n***\n" then the story
                break
            continue
        g = GUTENBERG_RE.match(first)
        if g and bi < 5:
            title = title or _clean_title(g.group("title"))
            title_done = True
            author = author or (g.group("author") or "").strip() or None
            bi += 1
            continue
        kind = note_kind(first)
        if kind in (None, "summary") and bi < 20 and HEADER_RE.match(first):
            # Header fields, one per line ("Title: ...", "Pairing: ...").
            for k in range(a, b + 1):
                hk = HEADER_RE.match(lines[k].text)
                if not hk:
                    continue
                key = re.sub(r"\s+", "_", hk.group("key").lower())
                val = hk.group("value").strip()
                if key == "summary":
                    cur_note = Note("summary", "before", lines[k].start, lines[b].end, "")
                    notes.append(cur_note)
                    break
                if key == "title" and val:
                    title, title_done = title or val, True
                elif key in ("author", "authors", "by") and val:
                    author = author or val
                elif val:
                    story.meta.setdefault("header", {})[key] = val
                    list_key = {"characters": "character_tags", "character": "character_tags",
                                "pairing": "relationships", "pairings": "relationships",
                                "relationships": "relationships", "fandom": "fandoms", "fandoms": "fandoms"}.get(key)
                    if list_key and list_key not in story.meta:
                        story.meta[list_key] = [v.strip() for v in re.split(r"[,;]", val) if v.strip()]
            bi += 1
            continue
        if kind is not None:
            cur_note = Note(kind, "before", lines[a].start, lines[b].end, "")
            notes.append(cur_note)
            bi += 1
            continue
        if not title_done and not notes and bi < 5 and _could_be_title(lines, a, b):
            title = _title_from_block(lines, a, b, story.meta)
            title_done = True
            bi = _title_page(story, lines, blocks, bi + 1, scan_to)
            if "author" in story.meta:
                author = author or story.meta.pop("author")
            continue
        # Anything else starts the story, unless it is short front matter before an
        # early first heading (a note's second paragraph, a dedication, an epigraph).
        if limit is not None and _is_front_matter(lines, blocks[bi:limit]):
            if cur_note is not None:
                cur_note.end = lines[blocks[limit - 1][1]].end
            else:
                story.meta["front_matter"] = text[lines[a].start:lines[blocks[limit - 1][1]].end][:2000]
            body_block = limit
        else:
            body_block = bi
        break
    for nt in notes:
        nt.text = text[nt.start:nt.end]
    if body_block < len(blocks):
        story.body_start = lines[blocks[body_block][0]].start
    story.notes = notes + story.notes
    if title_done and title:
        story.title = title
    if author and "author" not in story.meta:
        story.meta["author"] = author


def _title_page(story: Story, lines, blocks, bi: int, scan_to: int) -> int:
    """After a title: "by Author" (or "by" then the name), "OR" subtitles, a year,
    "Translated by ...", "IN TWO PARTS". Returns the first block past them."""
    while bi < scan_to:
        na, nb = blocks[bi]
        t = lines[na].text
        by = BY_RE.match(t)
        if by:
            name = by.group("author").strip()
            if not name and nb == na and bi + 1 < scan_to:
                bi += 1
                name = _block_text(lines, *blocks[bi])
            if name:
                story.meta.setdefault("author", name)
            bi += 1
            continue
        if (re.match(r"^or,?$", t, re.I) or re.match(r"^\(?\d{4}\)?\.?$", t)
                or re.match(r"^translated\b", t, re.I)
                or re.match(r"^in\s+\w+\s+(?:parts|books|volumes)\.?$", t, re.I)):
            story.meta.setdefault("title_page", []).append(_block_text(lines, na, nb))
            bi += 1
            continue
        break
    return bi


def _is_front_matter(lines, blocks) -> bool:
    """Short text, or verse (a dedication poem), between the title and the first heading."""
    words = sum(_block_words(lines, a, b) for a, b in blocks)
    if words <= 150:
        return True
    # Verse: multi-line stanzas whose lines start with capitals (wrapped prose lines mostly do not).
    texts = [lines[k].text for a, b in blocks for k in range(a, b + 1) if lines[k].text]
    multi = sum(1 for a, b in blocks if b > a)
    capitals = sum(1 for t in texts if t[0].isupper())
    return bool(texts) and max(map(len, texts)) <= 72 and multi >= len(blocks) / 2 and capitals >= 0.8 * len(texts)


def _block_words(lines, a, b) -> int:
    return sum(len(lines[k].text.split()) for k in range(a, b + 1))


def _could_be_title(lines, a, b) -> bool:
    first = lines[a].text
    if b - a > 2 or not _title_like(first) or match_heading(first) or BY_RE.match(first):
        return False
    if first[-1:] in "!?" and len(first.split()) > 8:
        return False
    return True


def _title_from_block(lines, a, b, meta) -> str:
    """The title is the block's first line; the rest is a subtitle ("A NIGHTMARE").
    "DAISY MILLER: A STUDY" is title "DAISY MILLER" with subtitle "A STUDY"."""
    title = lines[a].text
    subtitle = [lines[k].text for k in range(a + 1, b + 1)]
    m = re.match(r"^(?P<t>.+?):\s+(?P<s>(?:an?|the|or)\s+\S+(?:\s+\S+)?)$", title, re.I)
    if m:
        title = m.group("t")
        subtitle.insert(0, m.group("s"))
    if subtitle:
        meta["subtitle"] = " ".join(subtitle)
    return title


def _end_matter(story: Story, lines, blocks, headings: list[Heading], is_break) -> None:
    """End notes ("A/N: Thanks for reading!") and "THE END" after the story; sets body_end."""
    text = story.text
    body_start = story.body_start
    last_heading_line = max((h.line for h in headings), default=-1)
    tail = [(a, b) for a, b in blocks if lines[a].start >= body_start and a > last_heading_line]
    if not tail:
        return
    window = tail[-min(8, max(1, len(tail) // 2)):] if len(tail) > 1 else []
    start_bi = None
    for a, b in window:
        s = lines[a].text
        if note_kind(s) in ("authors_note", "notes", "disclaimer") or END_PHRASE_RE.match(s):
            start_bi = (a, b)
            break
    end_pos = story.body_end if story.body_end < len(text) else len(text)
    if start_bi is not None:
        a, b = start_bi
        s0 = lines[a].start
        kind = note_kind(lines[a].text) or "authors_note"
        if kind == "notes":
            kind = "end_notes"
        last_b = max(bb for aa, bb in tail)
        e0 = lines[last_b].end
        story.notes.append(Note(kind, "after", s0, e0, text[s0:e0]))
        end_pos = s0
    # Drop a trailing "THE END" / separator from the body.
    body_tail = [(a, b) for a, b in tail if lines[b].end <= end_pos]
    while body_tail and (END_MARK_RE.match(lines[body_tail[-1][0]].text) or is_break[body_tail[-1][0]]):
        end_pos = lines[body_tail[-1][0]].start
        body_tail.pop()
    if body_tail:
        end_pos = lines[body_tail[-1][1]].end
    story.body_end = max(story.body_start, end_pos)


QUOTE_MARK_RE = re.compile('["\u201c\u201d\u00ab\u300c]')


def _inline_notes(story: Story, lines, blocks, heading_lines: set[int]) -> None:
    """Notes inside the body: an "A/N" paragraph anywhere (no story sentence opens
    that way), and a "Disclaimer:"/"Note:" paragraph right after a chapter heading
    or right before the next one (multi-chapter fan fiction)."""
    text = story.text
    taken = [(nt.start, nt.end) for nt in story.notes]
    heading_blocks = {bi for bi, (a, _) in enumerate(blocks) if a in heading_lines}
    for bi, (a, b) in enumerate(blocks):
        s = lines[a].start
        if s < story.body_start or lines[b].end > story.body_end:
            continue
        kind = note_kind(lines[a].text)
        if kind is None or kind == "summary" or any(ts <= s < te for ts, te in taken):
            continue
        near_heading = any(hb in heading_blocks for hb in (bi - 1, bi - 2, bi + 1, bi + 2, bi + 3))
        if not near_heading and not (kind == "authors_note" and A_N_RE.match(lines[a].text)):
            continue
        e = lines[b].end
        # An end-of-chapter note runs on to the next heading when that is close,
        # but only over short paragraphs without dialogue: story text may follow a note.
        for nb in range(bi + 1, min(bi + 4, len(blocks))):
            if nb in heading_blocks:
                between = text[lines[blocks[bi + 1][0]].start:lines[blocks[nb - 1][1]].end] if nb > bi + 1 else ""
                if nb == bi + 1 or (not QUOTE_MARK_RE.search(between) and len(between) < 300):
                    e = lines[blocks[nb - 1][1]].end
                break
        story.notes.append(Note(kind, "inline", s, e, text[s:e]))
        taken.append((s, e))
    story.notes.sort(key=lambda nt: nt.start)
