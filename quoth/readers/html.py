"""HTML reader: AO3 downloads (and saved AO3 work pages), FanFicFare HTML, FanFiction.net
pages, and any other HTML story.

The reader builds the plain text the rest of quoth analyses — paragraphs
separated by blank lines, chapter headings as lines, ``<hr>`` as a "* * *"
line, notes as text blocks — and records what the markup says (title, author,
tags, summary, notes, chapters) on the Story with offsets into that text.

Markup is only ever read, never run: ``<script>``/``<style>`` and the like are
dropped, attributes (``onerror=`` ...) are ignored, and documents nested
absurdly deep are flattened before parsing (lexbor's tree building is
quadratic in depth).
"""
from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser

from ..story import Chapter, Note, Story
from .text import normalise_newlines

SCENE_BREAK = "* * *"
SKIP_TAGS = {"script", "style", "noscript", "template", "head", "title", "iframe", "object", "embed", "svg",
             "math", "select", "option", "button", "input", "textarea", "audio", "video", "canvas", "map",
             "form", "nav", "-comment", "!doctype", "link", "meta", "base"}
BLOCK_TAGS = {"p", "div", "section", "article", "main", "header", "footer", "aside", "blockquote", "li", "ul",
              "ol", "dl", "dt", "dd", "table", "tbody", "thead", "tfoot", "tr", "caption", "pre", "center",
              "figure", "figcaption", "address", "details", "summary", "fieldset", "body", "html", "hgroup"}
HEADING_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
CELL_TAGS = {"td", "th"}
SENTENCE_END = re.compile(r"[.!?\"\u201d\u2019'\u2026\u2014)*]$")
WS = re.compile(r"[ \t\n\r\f\v\u00a0\u200b]+")
MAX_DEPTH = 400
TAG_RE = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9:-]*)[^>]*?(/?)>")
VOID = {"br", "hr", "img", "meta", "link", "input", "area", "base", "col", "embed", "source", "track", "wbr",
        "param", "keygen"}
AUTO_CLOSED = {"p", "li", "dt", "dd", "option", "tr", "td", "th", "tbody", "thead", "colgroup", "rt", "rp",
               "optgroup", "html", "head", "body"}

# AO3 labels: the preface's <dt> texts and dd classes → meta keys.
AO3_TAG_KEYS = {"rating": "rating", "categories": "categories", "archive warning": "warnings", "category": "categories",
                "fandom": "fandoms", "relationship": "relationships", "character": "character_tags",
                "additional tags": "tags", "freeform": "tags", "language": "language", "series": "series",
                "collections": "collections", "stats": "stats", "warning": "warnings"}
LIST_KEYS = {"warnings", "categories", "fandoms", "relationships", "character_tags", "tags", "collections"}
GENERIC_CHARACTER_TAGS = re.compile(r"^(?:original (?:female |male |non-binary )?characters?(?:\(s\))?|"
                                    r"other characters?|others|ensemble|everyone)$", re.I)


# ---------------------------------------------------------------- text building

class TextBuilder:
    """Accumulates blocks of text separated by blank lines and hands back offsets."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0

    def add(self, block: str) -> tuple[int, int]:
        if self.parts:
            self.parts.append("\n\n")
            self.length += 2
        start = self.length
        self.parts.append(block)
        self.length += len(block)
        return start, self.length

    @property
    def text(self) -> str:
        return "".join(self.parts)


class Blocks:
    """Walks a DOM subtree (iteratively: no recursion limit) and emits text blocks:
    ("p", text) paragraphs, ("h", text, level) headings, ("hr",) breaks."""

    def __init__(self, skip=None, special=None) -> None:
        self.out: list[tuple] = []
        self.buf: list[str] = []
        self.skip = skip          # predicate(node) -> True to drop a subtree
        self.special = special    # node -> a block of its own (not descended), or None

    def flush(self) -> None:
        if not self.buf:
            return
        raw = "".join(self.buf)
        self.buf = []
        # Two <br> in a row make a paragraph break; one is a line break inside it.
        for para in re.split(r"\n[ ]*\n", raw):
            lines = [ln for ln in (x.strip() for x in para.split("\n")) if ln]
            if len(lines) >= 3 and sum(len(ln) for ln in lines) / len(lines) > 40 and \
                    sum(bool(SENTENCE_END.search(ln)) for ln in lines) >= 0.6 * len(lines):
                # <br> used between paragraphs (prose lines that end sentences), not inside one.
                self.out.extend(("p", ln) for ln in lines)
            elif lines:
                self.out.append(("p", "\n".join(lines)))

    def walk(self, root) -> list[tuple]:
        if root is None:
            return self.out
        stack: list = []
        node = root.child
        while node is not None:
            descend = self._enter(node)
            if descend and node.child is not None:
                stack.append(node)
                node = node.child
                continue
            if descend:
                self._leave(node)
            while node is not None and node.next is None:
                node = stack.pop() if stack else None
                if node is not None:
                    self._leave(node)
            if node is not None:
                node = node.next
        self.flush()
        return self.out

    def _enter(self, node) -> bool:
        tag = node.tag
        if tag == "-text":
            t = node.text_content
            if t:
                self.buf.append(WS.sub(" ", t))
            return False
        if tag in SKIP_TAGS or tag.startswith(("-", "!")) or (self.skip is not None and self.skip(node)):
            return False
        if self.special is not None:
            mark = self.special(node)
            if mark is not None:
                self.flush()
                self.out.append(mark)
                return False
        if tag == "br":
            self.buf.append("\n")
            return False
        if tag == "hr":
            self.flush()
            self.out.append(("hr",))
            return False
        if tag == "img":
            return False
        if tag in HEADING_TAGS:
            self.flush()
            text = heading_text(node)
            if text:
                self.out.append(("h", text, int(tag[1])))
            return False
        if tag == "pre":
            self.flush()
            for para in re.split(r"\n\s*\n", normalise_newlines(node.text() or "")):
                lines = [ln.rstrip() for ln in para.split("\n") if ln.strip()]
                if lines:
                    self.out.append(("p", "\n".join(lines)))
            return False
        if tag in BLOCK_TAGS:
            self.flush()
        elif tag in CELL_TAGS:
            self.buf.append(" ")
        return True

    def _leave(self, node) -> None:
        tag = node.tag
        if tag in BLOCK_TAGS:
            self.flush()
        elif tag in CELL_TAGS:
            self.buf.append(" ")


def blocks_of(node, skip=None) -> list[tuple]:
    return Blocks(skip).walk(node)


def text_of(node) -> str:
    if node is None:
        return ""
    return WS.sub(" ", node.text(separator=" ") or "").strip()


def heading_text(node) -> str:
    """A heading's text as written: inline pieces joined without added spaces."""
    return WS.sub(" ", node.text(separator="") or "").strip()


def _classes(node) -> set[str]:
    return set((node.attributes.get("class") or "").split())


# ---------------------------------------------------------------- the assembled story

class Assembler:
    """Puts blocks into a TextBuilder and records notes, chapters and body bounds."""

    def __init__(self, story_format: str = "html") -> None:
        self.tb = TextBuilder()
        self.notes: list[Note] = []
        self.chapters: list[tuple[int, str | None]] = []   # (start, title)
        self.body_start: int | None = None
        self.body_end: int | None = None
        self.format = story_format

    def blocks(self, blocks: list[tuple], body: bool = True) -> tuple[int, int] | None:
        first = last = None
        for b in blocks:
            if b[0] == "hr":
                s, e = self.tb.add(SCENE_BREAK)
            else:
                s, e = self.tb.add(b[1])
            first = s if first is None else first
            last = e
        if first is None:
            return None
        if body:
            self.mark_body(first, last)
        return first, last

    def mark_body(self, s: int, e: int) -> None:
        if self.body_start is None:
            self.body_start = s
        self.body_end = e

    def line(self, text: str) -> tuple[int, int]:
        return self.tb.add(text)

    def note(self, kind: str, position: str, label: str | None, blocks: list[tuple]) -> None:
        blocks = [b for b in blocks if b[0] != "hr"]
        if not blocks:
            return
        s = None
        if label:
            s, _ = self.tb.add(label)
        span = self.blocks(blocks, body=False)
        if span is None:
            return
        s = span[0] if s is None else s
        self.notes.append(Note(kind, position, s, span[1], ""))

    def chapter(self, title: str | None, heading: str | None) -> None:
        if heading:
            s, e = self.tb.add(heading)
            self.mark_body(s, e)
        else:
            s = self.tb.length + (2 if self.tb.parts else 0)
        self.chapters.append((s, title))

    def story(self) -> Story:
        text = self.tb.text
        for nt in self.notes:
            nt.text = text[nt.start:nt.end]
        story = Story(text=text, format=self.format)
        story.notes = sorted(self.notes, key=lambda n: n.start)
        if self.body_start is not None:
            story.body_start, story.body_end = self.body_start, self.body_end
        if self.chapters:
            starts = self.chapters
            chs = []
            for k, (s, title) in enumerate(starts):
                e = starts[k + 1][0] if k + 1 < len(starts) else story.body_end
                while e > s and text[e - 1] == "\n":
                    e -= 1
                chs.append(Chapter(k, title, s, max(s, e)))
            if chs and chs[0].start > story.body_start:
                chs[0].start = story.body_start
            story.chapters = chs
        elif self.body_start is not None:
            story.chapters = [Chapter(0, None, story.body_start, story.body_end)]
        return story


def split_chapter_heading(heading: str) -> str:
    """"Chapter 3: The Fall" → "The Fall"; "Chapter 3" → "Chapter 3"."""
    m = re.match(r"^\s*(?:(?:chapter|ch\.?|part)\s+[\w]+|\d+)\s*[.:\-–—]\s*(?P<t>.+)$", heading, re.I)
    return m.group("t").strip() if m else heading.strip()


# ---------------------------------------------------------------- entry point

def flatten_if_deep(html: str) -> str:
    """Documents nested deeper than any story needs are flattened: layout tags are
    dropped and block tags become paragraph breaks, so parsing stays linear."""
    depth = max_depth = 0
    for m in TAG_RE.finditer(html):
        name = m.group(2).lower()
        if name in VOID or name in AUTO_CLOSED or m.group(3):
            continue
        if m.group(1):
            depth = max(0, depth - 1)
        else:
            depth += 1
            if depth > max_depth:
                max_depth = depth
                if max_depth > MAX_DEPTH:
                    break
    if max_depth <= MAX_DEPTH:
        return html
    html = re.sub(r"(?is)<(script|style|template|noscript)\b.*?</\1\s*>", " ", html)
    html = re.sub(r"(?i)</?(?:div|p|blockquote|section|article|li|ul|ol|table|tr|h[1-6])\b[^>]*>", "<p>", html)
    html = re.sub(r"(?i)<(?!/?(?:p|br|hr)\b)[^>]*>", " ", html)
    return re.sub(r"(?:<p>\s*){2,}", "<p>", html)


def read_html(html: str, name: str) -> Story:
    html = flatten_if_deep(html)
    tree = LexborHTMLParser(html)
    if tree.css_first("#preface") is not None or tree.css_first("#workskin") is not None or \
            tree.css_first("#chapters") is not None:
        story = read_ao3(tree)
    elif tree.css_first("#storytext") is not None:
        story = read_ffn(tree)
    elif tree.css_first("a[name=TOCTOP]") is not None or tree.css_first("a[name^=section]") is not None or \
            tree.css_first("body.fff_titlepage, body.fff_chapter") is not None:
        story = read_fanficfare(tree)
    else:
        story = read_generic(tree)
    story.format = "html"
    title_node = tree.css_first("title")
    if title_node is not None and "html_title" not in story.meta:
        t = text_of(title_node)
        if t:
            story.meta["html_title"] = t
    return story


# ---------------------------------------------------------------- AO3

def _ao3_tags(meta_root, story_meta: dict) -> None:
    """AO3's <dl class="tags">: <dt>Fandom:</dt><dd><a>..</a>, <a>..</a></dd> (downloads),
    or <dd class="character tags"><ul><li><a class="tag"> (work pages)."""
    if meta_root is None:
        return
    for dl in meta_root.css("dl"):
        label = None
        for child in dl.iter():
            if child.tag == "dt":
                label = text_of(child).rstrip(":").strip().lower()
                continue
            if child.tag != "dd":
                continue
            key = None
            for cls in _classes(child):
                if cls in ("rating", "warning", "category", "fandom", "relationship", "character", "freeform",
                           "language", "series", "collections", "stats"):
                    key = AO3_TAG_KEYS.get(cls) or cls
                    break
            if key is None and label:
                base = label[:-1] if label.endswith("s") and label not in ("stats", "collections", "additional tags") else label
                key = AO3_TAG_KEYS.get(base) or AO3_TAG_KEYS.get(label)
            if key is None:
                continue
            if key in LIST_KEYS:
                values = [text_of(a) for a in child.css("a")] or [v.strip() for v in text_of(child).split(",")]
                story_meta.setdefault(key, [])
                story_meta[key] += [v for v in values if v and v not in story_meta[key]]
            elif key == "stats":
                stats = text_of(child)
                story_meta["stats"] = stats
                m = re.search(r"Words:\s*([\d,]+)", stats)
                if m:
                    story_meta["words"] = int(m.group(1).replace(",", ""))
            else:
                story_meta[key] = text_of(child)
            label = None
    if "character_tags" in story_meta:
        raw = story_meta.pop("character_tags")
        story_meta["character_tags_raw"] = raw
        names, aliases = [], {}
        for tag in raw:
            parts = [p.strip() for p in tag.split("|") if p.strip()]
            if not parts:
                continue
            # "Kim Dokja (Omniscient Reader)" → "Kim Dokja": drop AO3's fandom disambiguator.
            name = re.sub(r"\s*\([^)]*\)\s*$", "", parts[0]).strip() or parts[0]
            if GENERIC_CHARACTER_TAGS.match(name):
                continue
            names.append(name)
            if len(parts) > 1:
                aliases[name] = [re.sub(r"\s*\([^)]*\)\s*$", "", p).strip() for p in parts[1:]]
        story_meta["character_tags"] = names
        if aliases:
            story_meta["character_tag_aliases"] = aliases


def _labelled_blockquotes(root) -> list[tuple[str, object]]:
    """(label, blockquote) pairs: AO3 writes <p>Summary</p><blockquote class="userstuff">."""
    out = []
    if root is None:
        return out
    for bq in root.css("blockquote"):
        anc, nested = bq.parent, False
        while anc is not None and anc.mem_id != root.mem_id and anc.tag != "html":
            if anc.tag == "blockquote":
                nested = True
                break
            anc = anc.parent
        if nested:
            continue
        label = ""
        prev = bq.prev
        while prev is not None and prev.tag in ("-text", "-comment"):
            prev = prev.prev
        if prev is not None and prev.tag in ("p", "h3", "h4", "b", "strong"):
            label = text_of(prev).rstrip(":").strip()
        parent = bq.parent
        if not label and parent is not None:
            # Work pages: <div class="summary module"><h3 class="heading">Summary:</h3><blockquote>
            h = parent.css_first("h3, h4")
            if h is not None:
                label = text_of(h).rstrip(":").strip()
            elif "summary" in _classes(parent):
                label = "Summary"
            elif "notes" in _classes(parent):
                label = "Notes"
        out.append((label, bq))
    return out


def _note_kind_for(label: str, position: str) -> str:
    low = label.lower()
    if "summary" in low:
        return "summary"
    if "end" in low:
        return "end_notes"
    return "notes"


def read_ao3(tree, whole_body: bool = False) -> Story:
    meta: dict = {}
    asm = Assembler()
    preface = tree.css_first("#preface") or tree.css_first("#workskin .preface") or tree.css_first(".preface")
    afterword = tree.css_first("#afterword") or tree.css_first("#workskin .afterword")
    # Title and author.
    title_node = None
    if preface is not None:
        title_node = preface.css_first("h1") or preface.css_first("h2.title") or preface.css_first("p.message b")
    title = text_of(title_node) or None
    author_nodes = (preface.css("a[rel=author]") if preface is not None else []) or tree.css("a[rel=author]")
    authors = [text_of(a) for a in author_nodes if text_of(a)]
    if not authors and preface is not None:
        byline = preface.css_first(".byline")
        if byline is not None:
            authors = [re.sub(r"^\s*by\s+", "", text_of(byline), flags=re.I)]
    if title:
        asm.line(title)
    if authors:
        meta["author"] = ", ".join(dict.fromkeys(authors))
        asm.line("by " + meta["author"])
    _ao3_tags(tree.css_first("#preface") or tree.css_first("dl.work.meta") or tree.body, meta)
    # Work summary and notes (preface blockquotes).
    pre_scope = preface if preface is not None else None
    if pre_scope is not None:
        for label, bq in _labelled_blockquotes(pre_scope):
            kind = _note_kind_for(label, "before")
            if kind == "summary":
                meta["summary"] = text_of(bq)
            asm.note(kind, "before", f"{label}:" if label else None, blocks_of(bq))
    # Chapters.
    chapters_root = None if whole_body else tree.css_first("#chapters")
    in_skip = {x.mem_id for x in (preface, afterword) if x is not None}
    work_endnotes = []
    if chapters_root is None:
        chapters_root = tree.body
    _ao3_chapters(chapters_root, asm, in_skip)
    # Afterword: work end notes.
    if afterword is not None:
        for label, bq in _labelled_blockquotes(afterword):
            work_endnotes.append((label, bq))
    else:
        node = tree.css_first("#work_endnotes")
        bq = node.css_first("blockquote") if node is not None else None
        if bq is not None:
            work_endnotes.append(("End Notes", bq))
    for label, bq in work_endnotes:
        asm.note("end_notes", "after", f"{label or 'End Notes'}:", blocks_of(bq))
    story = asm.story()
    story.title = title
    story.meta.update(meta)
    story.meta["source_site"] = "ao3"
    return story


def _is_ao3_meta(node) -> bool:
    cls = _classes(node)
    return "meta" in cls or ("preface" in cls and "chapter" in cls) or "endnote-link" in cls


def _ao3_chapters(root, asm: Assembler, skip_ids: set[int]) -> None:
    """Walk the chapters container in document order: meta blocks give headings and
    chapter notes, userstuff blocks give the text."""
    stack = []
    node = root.child
    while node is not None:
        descend = False
        tag = node.tag
        if node.mem_id in skip_ids or tag in SKIP_TAGS or tag.startswith(("-", "!")):
            pass
        elif node.attributes.get("id") in ("preface", "afterword", "work_endnotes") or \
                "afterword" in _classes(node):
            pass
        elif tag == "div" and _is_ao3_meta(node):
            _ao3_chapter_meta(node, asm)
        elif node.attributes.get("id") == "chapters" or (
                tag == "div" and any(n.mem_id != node.mem_id for n in node.css("div.meta, h2.heading, div.userstuff"))):
            descend = True      # a container of chapters, not chapter text
        elif tag == "div" and "userstuff" in _classes(node):
            # Saved work pages put a "Chapter Text" landmark inside the text.
            skip = lambda n: "landmark" in _classes(n)
            asm.blocks(blocks_of(node, skip=skip))
        elif tag in HEADING_TAGS and "heading" in _classes(node) and "landmark" not in _classes(node):
            heading = heading_text(node)
            asm.chapter(split_chapter_heading(heading), heading)
        elif tag in ("div", "section", "article") or tag in ("body", "main"):
            descend = True
        elif tag in BLOCK_TAGS or tag in HEADING_TAGS or tag in ("p", "hr"):
            asm.blocks(blocks_of_single(node))
        if descend and node.child is not None:
            stack.append(node)
            node = node.child
            continue
        while node is not None and node.next is None:
            node = stack.pop() if stack else None
        if node is not None:
            node = node.next


def blocks_of_single(node) -> list[tuple]:
    """Blocks of one element, the element itself included (a stray <p> or <hr>)."""
    if node.tag == "hr":
        return [("hr",)]
    b = Blocks()
    if b._enter(node):
        b.walk(node)
    b.flush()
    return b.out


def _ao3_chapter_meta(node, asm: Assembler) -> None:
    heading = node.css_first("h2.heading, h3.title, h2, h3")
    if heading is not None and "landmark" not in _classes(heading):
        h = heading_text(heading)
        low = h.lower().rstrip(":")
        if low not in ("notes", "summary", "chapter notes", "chapter summary", "chapter end notes", "end notes"):
            asm.chapter(split_chapter_heading(h), h)
    for label, bq in _labelled_blockquotes(node):
        low = label.lower()
        ends = "end" in low or "end" in _classes(bq.parent) if bq.parent is not None else "end" in low
        kind = "summary" if "summary" in low else "end_notes" if ends else "notes"
        asm.note(kind, "inline", f"{label}:" if label else None, blocks_of(bq))


# ---------------------------------------------------------------- FanFicFare

LABEL_LINE = re.compile(r"^(?P<label>[A-Z][\w /&'-]{0,30}):\s*(?P<value>.*)$")
FFF_KEYS = {"category": "fandoms", "fandom": "fandoms", "fandoms": "fandoms", "characters": "character_tags",
            "relationships": "relationships", "pairing": "relationships", "pairings": "relationships",
            "ships": "relationships", "genre": "genres", "rating": "rating", "rated": "rating",
            "status": "status", "published": "published", "updated": "updated", "words": "words",
            "chapters": "chapters", "language": "language", "warnings": "warnings", "source": "url",
            "author": "author", "title": "title", "summary": "summary", "description": "summary",
            "freeform tags": "tags", "tags": "tags", "additional tags": "tags"}


def _fff_title_page(node, meta: dict) -> None:
    """FanFicFare's title page: table rows or "<b>Label:</b> value<br/>" lines."""
    rows = node.css("tr")
    pairs = []
    if rows:
        for tr in rows:
            cells = tr.css("td, th")
            if len(cells) >= 2:
                pairs.append((text_of(cells[0]).rstrip(":"), text_of(cells[1]), cells[1]))
            elif cells:
                m = LABEL_LINE.match(text_of(cells[0]))
                if m:
                    pairs.append((m.group("label"), m.group("value"), None))
    else:
        for b in blocks_of(node):
            if b[0] != "p":
                continue
            for line in b[1].split("\n"):
                m = LABEL_LINE.match(line)
                if m:
                    pairs.append((m.group("label"), m.group("value"), None))
    for label, value, _cell in pairs:
        key = FFF_KEYS.get(label.lower())
        if key is None or not value:
            continue
        if key in ("fandoms", "character_tags", "relationships", "genres", "warnings", "tags"):
            meta[key] = [v.strip() for v in value.split(",") if v.strip()]
        elif key == "words":
            digits = value.replace(",", "")
            meta["words"] = int(digits) if digits.isdigit() else value
        else:
            meta.setdefault(key, value)


def _title_by_author(h) -> tuple[str | None, str | None]:
    """FanFicFare's "<h1><a>Title</a> by <a>Author</a></h1>"."""
    links = h.css("a")
    full = text_of(h)
    if len(links) >= 2:
        return text_of(links[0]) or None, ", ".join(text_of(a) for a in links[1:]) or None
    m = re.match(r"^(?P<t>.+?)\s+by\s+(?P<a>.+)$", full)
    if m:
        return m.group("t"), m.group("a")
    return full or None, None


def _epub_doc_kind(body, seen_chapter: bool) -> str:
    """What a FanFicFare (or other) EPUB spine document is: "titlepage", "toc",
    "log", "cover" (nothing to read) or "chapter". FanFicFare marks its pages with
    body classes; pages without them are told apart by their content."""
    cls = _classes(body)
    if "fff_titlepage" in cls:
        return "titlepage"
    if cls & {"fff_tocpage"}:
        return "toc"
    if cls & {"fff_logpage"}:
        return "log"
    if cls & {"fff_coverpage"}:
        return "cover"
    if "fff_chapter" in cls:
        return "chapter"
    h = body.css_first("h1, h2, h3")
    htext = text_of(h).lower() if h is not None else ""
    if htext in ("table of contents", "contents"):
        return "toc"
    if htext == "update log":
        return "log"
    if not text_of(body):
        return "cover"
    if not seen_chapter:
        labels = sum(1 for ln in (body.text(separator="\n") or "").split("\n")
                     if (m := LABEL_LINE.match(ln.strip())) and m.group("label").lower() in FFF_KEYS)
        if labels >= 2:
            return "titlepage"
    return "chapter"


def read_fanficfare(tree, bodies: list | None = None) -> Story:
    """FanFicFare HTML (one document) or EPUB (one body per spine document)."""
    meta: dict = {}
    asm = Assembler()
    title = author = None
    chapter_blocks: list[tuple[str | None, list[tuple]]] = []
    epub = bodies is not None
    docs = bodies if epub else [tree.body]
    for body in docs:
        if body is None:
            continue
        kind = _epub_doc_kind(body, bool(chapter_blocks)) if epub else "html"
        if kind in ("toc", "log", "cover"):
            continue
        if kind == "titlepage":
            h = body.css_first("h1, h2, h3")
            if h is not None:
                title, author = _title_by_author(h)
            _fff_title_page(body, meta)
            continue
        blocks = _fff_walk(body)
        if epub:
            # One chapter per document: its first heading (before any text) is the title.
            first = next((k for k, b in enumerate(blocks) if b[0] in ("p", "h", "chapter")), None)
            if first is not None and blocks[first][0] in ("h", "chapter"):
                chapter_blocks.append((blocks[first][1], [b for b in blocks[first + 1:] if b[0] in ("p", "h", "hr")]))
            elif chapter_blocks:
                chapter_blocks[-1][1].extend(b for b in blocks if b[0] in ("p", "h", "hr"))
            else:
                chapter_blocks.append((None, [b for b in blocks if b[0] in ("p", "h", "hr")]))
            continue
        current_title: str | None = None
        current: list[tuple] = []
        in_toc = started = False
        for b in blocks:
            if b[0] == "title":
                title, author = b[1], b[2]
            elif b[0] == "table":
                _fff_title_page(b[1], meta)
            elif b[0] == "h" and b[1].strip().lower() == "table of contents":
                in_toc = True
            elif b[0] == "chapter":
                if started:
                    chapter_blocks.append((current_title, current))
                current_title, current, in_toc, started = b[1], [], False, True
            elif started and not in_toc:
                current.append(b)
        if started:
            chapter_blocks.append((current_title, current))
    if title:
        asm.line(title)
    if author:
        meta["author"] = author
        asm.line("by " + author)
    summary = meta.get("summary")
    if summary:
        s, e = asm.line("Summary: " + summary)
        asm.notes.append(Note("summary", "before", s, e, ""))
    for ch_title, blocks in chapter_blocks:
        asm.chapter(split_chapter_heading(ch_title) if ch_title else None, ch_title)
        asm.blocks([b if b[0] != "h" else ("p", b[1]) for b in blocks])
    story = asm.story()
    story.title = title
    story.meta.update(meta)
    story.meta["source_site"] = "fanficfare"
    return story


def _fff_walk(body):
    """Blocks of a FanFicFare document, with the title h1, the title-page table and
    chapter anchors (<a name="section0001"><h2>..</h2></a>) marked out."""
    seen_title = []

    def special(node):
        tag = node.tag
        if tag == "h1" and not seen_title:
            seen_title.append(1)
            t, a = _title_by_author(node)
            return ("title", t, a)
        if tag == "table" and "full" in _classes(node):
            return ("table", node)
        name = node.attributes.get("name") or "" if tag == "a" else ""
        if name.startswith("section"):
            return ("chapter", text_of(node) or None)
        if name == "TOCTOP":
            return ("h", "Table of Contents", 2)
        if tag in HEADING_TAGS and "fff_chapter_title" in _classes(node):
            return ("chapter", text_of(node) or None)
        return None

    return Blocks(special=special).walk(body)


# ---------------------------------------------------------------- FanFiction.net pages

def read_ffn(tree) -> Story:
    meta: dict = {}
    asm = Assembler()
    top = tree.css_first("#profile_top")
    title = author = None
    if top is not None:
        b = top.css_first("b.xcontrast_txt") or top.css_first("b")
        title = text_of(b) or None
        a = top.css_first("a[href^='/u/']") or top.css_first("a.xcontrast_txt")
        author = text_of(a) or None
        summary = top.css_first("div.xcontrast_txt")
        if summary is not None:
            meta["summary"] = text_of(summary)
        info = top.css_first("span.xgray")
        if info is not None:
            meta["stats"] = text_of(info)
    if title:
        asm.line(title)
    if author:
        meta["author"] = author
        asm.line("by " + author)
    if meta.get("summary"):
        s, e = asm.line("Summary: " + meta["summary"])
        asm.notes.append(Note("summary", "before", s, e, ""))
    chapter_title = None
    opt = tree.css_first("#chap_select option[selected]")
    if opt is not None:
        chapter_title = text_of(opt)
        asm.chapter(split_chapter_heading(re.sub(r"^\d+\.\s*", "", chapter_title)), chapter_title)
    asm.blocks(blocks_of(tree.css_first("#storytext")))
    story = asm.story()
    story.title = title
    story.meta.update(meta)
    story.meta["source_site"] = "fanfiction.net"
    return story


# ---------------------------------------------------------------- any other HTML

def read_generic(tree, bodies: list | None = None, title_hint: str | None = None) -> Story:
    """Blocks in document order. Headings of the level that repeats (h1/h2/h3)
    become chapters when there are two or more; a single top heading is the title."""
    all_blocks: list[tuple] = []
    for body in (bodies if bodies is not None else [tree.body or tree.root]):
        all_blocks += blocks_of(body)
    levels = [b[2] for b in all_blocks if b[0] == "h"]
    chapter_level = None
    for lv in sorted(set(levels)):
        if levels.count(lv) >= 2:
            chapter_level = lv
            break
    from ..structure import note_kind
    asm = Assembler()
    title = title_hint
    first_text_seen = False
    for b in all_blocks:
        if b[0] == "h" and chapter_level is not None and b[2] == chapter_level:
            asm.chapter(split_chapter_heading(b[1]), b[1])
            first_text_seen = True
            continue
        if chapter_level is not None and not asm.chapters and b[0] == "p" and note_kind(b[1]):
            # "A/N:" / "Disclaimer:" before the first chapter: front notes.
            asm.note(note_kind(b[1]), "before", None, [b])
            continue
        if b[0] == "h" and not first_text_seen and title is None and (chapter_level is None or b[2] < chapter_level):
            title = b[1]
            asm.line(b[1])
            continue
        first_text_seen = True
        if b[0] == "h":
            asm.blocks([("p", b[1])])
        else:
            asm.blocks([b])
    story = asm.story()
    if not asm.chapters:
        story.chapters = []
        story.body_start = 0
        story.body_end = len(story.text)
    if title:
        story.meta["title"] = title
    return story
