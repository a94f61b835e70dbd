"""The HTML report: one self-contained page (inline CSS, JS and SVG) that shows the story with
every quote highlighted in its speaker's colour, the cast, a dialogue-share chart and a network
of who speaks to whom. `quoth analyze STORY -o report.html`.

The page is built in one pass over the text using quote offsets, so a 160k-word novel renders
in well under a second. Everything that comes from the story (text, names, notes, metadata) is
HTML-escaped; data for the script is JSON with `<`, `>` and `&` escaped, so no story can close
a tag or a script. Filtering is done by switching CSS rules (paragraphs carry the ids of their
speakers as classes), so it stays instant on long books.
"""
from __future__ import annotations

import bisect
import math
import re
from dataclasses import dataclass, field
from html import escape
from importlib import resources

import orjson

from .. import __version__
from ..export import count_words, speaking_stats
from ..segments import quote_bounds, text_regions
from ..story import Story

LOW_CONFIDENCE = 0.5

# A calm qualitative palette (muted Tableau-like hues), ordered so neighbours differ. Speakers
# beyond it reuse the hues darker, then lighter, then golden-angle hues: distinct for 30+
# (smallest CIELAB distance between the first 24 underline colours: 13; between tints: 3.9).
PALETTE = ("#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#8e6fb5", "#d4a418", "#2f9e9a", "#d37295",
           "#9d7660", "#8a9a2e", "#3fa7d6", "#a0457e")
UNKNOWN_COLOR = "#9a9a9a"

NOTE_LABELS = {"authors_note": "Author's note", "disclaimer": "Disclaimer", "summary": "Summary",
               "notes": "Notes", "end_notes": "End notes", "front_matter": "Front matter",
               "back_matter": "Back matter"}
METHOD_HELP = {"explicit": "named in a speech tag", "anaphoric": "pronoun or description in a speech tag",
               "turn": "follows the turn-taking of the conversation",
               "model": "chosen by the speaker model from the context",
               "nearest": "the nearest name (a fallback)", "given": "given"}

SCENE_BREAK = re.compile(r"^(?:[^\w\s]|\s)+$|^(?:x+X+x+|o+O+o+|X+)$")
HEADING = re.compile(r"^(?:chapter|part|book|prologue|epilogue|interlude|act)\b|^[IVXLC]+\.?$|^\d{1,3}\.?$",
                     re.IGNORECASE)
# A heading line even where the structure stage found no chapter boundary.
CHAPTER_LINE = re.compile(r"^(?:chapter|prologue|epilogue)\b[^\"“”\n]{0,70}$", re.IGNORECASE)


# -- colours --------------------------------------------------------------------------------------

def _mix(hex_color: str, other: tuple[int, int, int], amount: float) -> str:
    r, g, b = (int(hex_color[i:i + 2], 16) for i in (1, 3, 5))
    mixed = (round(c + (o - c) * amount) for c, o in zip((r, g, b), other))
    return "#" + "".join(f"{c:02x}" for c in mixed)


def _hsl_hex(h: float, s: float, lum: float) -> str:
    import colorsys
    r, g, b = colorsys.hls_to_rgb(h % 1.0, lum, s)
    return "#" + "".join(f"{round(c * 255):02x}" for c in (r, g, b))


def speaker_color(rank: int) -> tuple[str, str]:
    """(ink, tint) for the speaker ranked `rank` by number of quotes: ink for swatches and
    underlines, tint for the highlight behind the words (dark text stays readable on it)."""
    n = len(PALETTE)
    if rank < n:
        ink = PALETTE[rank]
    elif rank < 2 * n:
        ink = _mix(PALETTE[rank - n], (0, 0, 0), 0.35)
    elif rank < 3 * n:
        ink = _mix(PALETTE[rank - 2 * n], (255, 255, 255), 0.3)
    else:
        ink = _hsl_hex(rank * 0.618034, 0.45, 0.48)
    return ink, _mix(ink, (255, 255, 255), 0.7)


# -- data -----------------------------------------------------------------------------------------

@dataclass
class Speaker:
    sid: str                      # CSS-safe key: character id, "x<n>" for unlisted names, "u" unknown
    name: str
    cid: int | None = None
    aliases: list[str] = field(default_factory=list)
    gender: str | None = None
    quotes: int = 0
    words: int = 0
    ink: str = UNKNOWN_COLOR
    tint: str = "#ececec"


def _speakers(story: Story) -> tuple[list[Speaker], list[str]]:
    """All speakers (characters first, then names no character carries, then 'unattributed'),
    and the speaker key of every quote."""
    stats = speaking_stats(story)
    speakers: dict[str, Speaker] = {}
    by_name: dict[str, str] = {}
    for c in story.characters:
        sp = Speaker(str(c.id), c.name, c.id, list(c.aliases), c.gender, *stats[c.id])
        speakers[sp.sid] = sp
        by_name.setdefault(c.name, sp.sid)
    unknown = Speaker("u", "Unattributed")
    keys: list[str] = []
    for q in story.quotes:
        c = story.character(q.speaker_id)
        if c is not None and str(c.id) in speakers:
            key = str(c.id)
        elif q.speaker and q.speaker in by_name:
            key = by_name[q.speaker]
        elif q.speaker:
            key = f"x{len(by_name)}"
            by_name[q.speaker] = key
            speakers[key] = Speaker(key, q.speaker)
        else:
            key = "u"
        keys.append(key)
        if key.startswith("x"):
            speakers[key].quotes += 1
            speakers[key].words += count_words(q.text)
        elif key == "u":
            unknown.quotes += 1
            unknown.words += count_words(q.text)
    ranked = sorted(speakers.values(), key=lambda s: (-s.quotes, -s.words, s.name.lower()))
    for rank, sp in enumerate(ranked):
        sp.ink, sp.tint = speaker_color(rank)
    ranked.append(unknown)
    return ranked, keys


def _addressed_edges(story: Story, keys: list[str], speakers: dict[str, Speaker]) -> tuple[dict, str]:
    """{(from, to): quotes} — quotes addressed; when no quote has addressees, consecutive turns
    between two speakers in the same scene stand in (and the caption says so)."""
    by_name = {s.name: s.sid for s in speakers.values() if s.sid != "u"}
    edges: dict[tuple[str, str], int] = {}
    for q, key in zip(story.quotes, keys):
        if key == "u":
            continue
        targets = {str(a) for a in q.addressee_ids if str(a) in speakers}
        targets |= {by_name[a] for a in q.addressees if a in by_name}
        for t in targets - {key}:
            edges[(key, t)] = edges.get((key, t), 0) + 1
    if edges:
        return edges, "addressed"
    prev_key, prev_scene = None, None
    for q, key in sorted(zip(story.quotes, keys), key=lambda p: p[0].start):
        if key != "u" and prev_key not in (None, "u", key) and q.scene == prev_scene:
            edges[(key, prev_key)] = edges.get((key, prev_key), 0) + 1
        prev_key, prev_scene = key, q.scene
    return edges, "turns"


# -- SVG ------------------------------------------------------------------------------------------

def _share_chart(speakers: list[Speaker], top: int = 12) -> str:
    total = sum(s.words for s in speakers)
    if total == 0:
        return '<p class="empty">No dialogue found.</p>'
    named = sorted((s for s in speakers if s.sid != "u" and s.words > 0), key=lambda s: -s.words)
    rows = named[:top]
    rest = named[top:]
    bars = [(s.name, s.words, s.ink, s.sid) for s in rows]
    if rest:
        bars.append((f"{len(rest)} others", sum(s.words for s in rest), "#b9b9b9", None))
    unknown = speakers[-1]
    if unknown.words:
        bars.append(("Unattributed", unknown.words, UNKNOWN_COLOR, "u"))
    row_h, label_w, bar_w, width = 22, 132, 150, 340
    height = row_h * len(bars) + 4
    biggest = max(b[1] for b in bars)
    out = [f'<svg class="chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
           f'aria-label="Share of words spoken per character">']
    for k, (name, words, ink, sid) in enumerate(bars):
        y = 2 + k * row_h
        w = max(1.5, bar_w * words / biggest)
        pct = 100 * words / total
        label = name if len(name) <= 20 else name[:19] + "…"
        attrs = f' class="bar" data-sid="{sid}"' if sid else ' class="bar"'
        out.append(f'<g{attrs}><title>{escape(name)}: {words:,} words, {pct:.1f}% of dialogue</title>'
                   f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end">{escape(label)}</text>'
                   f'<rect x="{label_w}" y="{y + 4}" width="{w:.1f}" height="{row_h - 8}" rx="2" fill="{ink}"/>'
                   f'<text class="pct" x="{label_w + w + 5:.1f}" y="{y + 15}">{pct:.0f}%</text></g>')
    out.append("</svg>")
    return "".join(out)


def _network(speakers: list[Speaker], edges: dict, kind: str, top: int = 14) -> str:
    if not edges:
        return '<p class="empty">No conversations between identified speakers yet.</p>'
    weight_of: dict[str, int] = {}
    for (a, b), w in edges.items():
        weight_of[a] = weight_of.get(a, 0) + w
        weight_of[b] = weight_of.get(b, 0) + w
    by_sid = {s.sid: s for s in speakers}
    nodes = sorted(weight_of, key=lambda sid: (-by_sid[sid].words, -weight_of[sid]))[:top]
    index = {sid: k for k, sid in enumerate(nodes)}
    cx, cy = 180, 180
    box = [cx, cy, cx, cy]       # the drawing's extent: min x, min y, max x, max y
    radius = 95 if len(nodes) > 6 else 75
    pos = {}
    for k, sid in enumerate(nodes):
        angle = -math.pi / 2 + 2 * math.pi * k / len(nodes)
        pos[sid] = (cx + radius * math.cos(angle), cy + radius * math.sin(angle), angle)
    pairs: dict[tuple[str, str], list[int]] = {}
    for (a, b), w in edges.items():
        if a in index and b in index:
            key = (a, b) if index[a] < index[b] else (b, a)
            pairs.setdefault(key, [0, 0])[0 if key == (a, b) else 1] += w
    heaviest = max((sum(v) for v in pairs.values()), default=1)
    max_words = max((by_sid[s].words for s in nodes), default=1) or 1
    verb = "spoke to" if kind == "addressed" else "answered"
    out = []
    for (a, b), (ab, ba) in sorted(pairs.items(), key=lambda p: sum(p[1])):
        if ab + ba < heaviest * 0.03:      # leave out the faintest lines: they only add clutter
            continue
        (x1, y1, _), (x2, y2, _) = pos[a], pos[b]
        share = (ab + ba) / heaviest
        w = 1 + 7 * share
        tip = f"{by_sid[a].name} {verb} {by_sid[b].name}: {ab}\n{by_sid[b].name} {verb} {by_sid[a].name}: {ba}"
        out.append(f'<line class="edge" data-a="{a}" data-b="{b}" x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" '
                   f'y2="{y2:.1f}" stroke-width="{w:.1f}" stroke-opacity="{0.3 + 0.5 * share:.2f}">'
                   f'<title>{escape(tip)}</title></line>')
    for sid in nodes:
        sp = by_sid[sid]
        x, y, angle = pos[sid]
        r = 5 + 9 * math.sqrt(sp.words / max_words)
        lx, ly = x + (r + 5) * math.cos(angle), y + (r + 5) * math.sin(angle)
        anchor = "middle" if abs(math.cos(angle)) < 0.3 else ("start" if math.cos(angle) > 0 else "end")
        dy = 4 if abs(math.sin(angle)) < 0.7 else (12 if math.sin(angle) > 0 else -2)
        label = sp.name if len(sp.name) <= 16 else sp.name[:15] + "…"
        # Grow the view box to hold the label (about 7 px a character at 12.5 px).
        text_w = 7.0 * len(label)
        left = lx - (text_w if anchor == "end" else text_w / 2 if anchor == "middle" else 0)
        box = [min(box[0], left, x - r), min(box[1], ly + dy - 12, y - r),
               max(box[2], left + text_w, x + r), max(box[3], ly + dy + 4, y + r)]
        out.append(f'<g class="node" data-sid="{sid}" tabindex="0"><title>{escape(sp.name)}: {sp.quotes} quotes, '
                   f'{sp.words:,} words</title><circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="{sp.ink}"/>'
                   f'<text x="{lx:.1f}" y="{ly + dy:.1f}" text-anchor="{anchor}">{escape(label)}</text></g>')
    x0, y0, x1, y1 = box[0] - 4, box[1] - 4, box[2] + 4, box[3] + 4
    w, h = x1 - x0, y1 - y0
    out.insert(0, f'<svg class="network" viewBox="{x0:.0f} {y0:.0f} {w:.0f} {h:.0f}" width="{w:.0f}" height="{h:.0f}" '
                  f'role="img" aria-label="Who speaks to whom">')
    out.append("</svg>")
    return "".join(out)


# -- text -----------------------------------------------------------------------------------------

def _split_blocks(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Paragraph spans for text outside the body (notes): blank-line blocks, or lines."""
    region = text[start:end]
    pattern = r"\S(?:.|\n(?![ \t]*\n))*" if re.search(r"\n[ \t]*\n", region) else r"[^\n]+"
    spans = []
    for m in re.finditer(pattern, region):
        s, e = start + m.start(), start + m.end()
        while e > s and text[e - 1].isspace():
            e -= 1
        while s < e and text[s].isspace():
            s += 1
        if e > s:
            spans.append((s, e))
    return spans


def _cover(text: str, start: int, end: int, paragraphs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The body's paragraphs, plus blocks for any text between them that the structure stage
    left out (a heading, a stray line), so the report never drops a word of the story."""
    out: list[tuple[int, int]] = []
    cursor = start
    for ps, pe in sorted(paragraphs):
        ps, pe = max(ps, cursor), min(pe, end)
        if pe <= ps:
            continue
        if text[cursor:ps].strip():
            out += _split_blocks(text, cursor, ps)
        out.append((ps, pe))
        cursor = pe
    if text[cursor:end].strip():
        out += _split_blocks(text, cursor, end)
    return out


def _css_rules(speakers: list[Speaker]) -> str:
    return "\n".join(f".s{s.sid}{{--c:{s.ink};--t:{s.tint};--d:{_mix(s.ink, (28, 27, 25), 0.68)}}}"
                     for s in speakers)


def _json_for_script(data) -> str:
    raw = orjson.dumps(data).decode("utf-8")
    return (raw.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


class _TextWriter:
    """Writes the story's notes and body as HTML in one pass over the text."""

    def __init__(self, story: Story, keys: list[str], low: float, names: dict[str, str]):
        self.story, self.text, self.low, self.names = story, story.text, low, names
        self.bounds = quote_bounds(story)
        self.keys = keys
        self.k = 0
        self.out: list[str] = []

    def paragraph(self, s: int, e: int, tag: str = "p", extra_class: str = "") -> None:
        text, story = self.text, self.story
        inner: list[str] = []
        sids: set[str] = set()
        low_here = False
        pos = s
        bounds = self.bounds
        while self.k < len(bounds) and bounds[self.k][1] <= s:
            self.k += 1
        k = self.k
        while k < len(bounds) and bounds[k][0] < e:
            qs, qe, qi = bounds[k]
            a, b = max(qs, s), min(qe, e)
            if a > pos:
                inner.append(escape(text[pos:a], quote=False))
            q = story.quotes[qi]
            key = self.keys[qi]
            conf = float(q.confidence or 0.0)
            low = key == "u" or conf < self.low
            sids.add(key)
            low_here = low_here or low
            attrs = [f'class="q s{key}{" low" if low else ""}"', f'data-i="{qi}"',
                     f'data-speaker="{escape(q.speaker or self.names.get(key, ""))}"', f'data-confidence="{conf:.2f}"']
            if q.method:
                attrs.append(f'data-method="{escape(q.method)}"')
            if q.addressees:
                attrs.append(f'data-to="{escape("; ".join(q.addressees))}"')
            inner.append(f'<span {" ".join(attrs)}>{escape(text[a:b], quote=False)}</span>')
            pos = b
            if qe > e:   # the quote runs on into the next paragraph
                break
            k += 1
        self.k = k
        if pos < e:
            inner.append(escape(text[pos:e], quote=False))
        classes = [extra_class] if extra_class else []
        classes += [f"p{sid}" for sid in sorted(sids)]
        if low_here:
            classes.append("lc")
        cls = f' class="{" ".join(classes)}"' if classes else ""
        self.out.append(f"<{tag}{cls}>{''.join(inner)}</{tag}>\n")

    def note(self, s: int, e: int, kind: str) -> None:
        label = NOTE_LABELS.get(kind, kind.replace("_", " ").capitalize())
        self.out.append(f'<aside class="note note-{escape(kind)}"><div class="note-label">{escape(label)}</div>\n')
        for a, b in _split_blocks(self.text, s, e):
            self.paragraph(a, b)
        self.out.append("</aside>\n")

    def body(self, s: int, e: int, sections: list[dict]) -> None:
        story, text = self.story, self.text
        paragraphs = _cover(text, s, e, [(p.start, p.end) for p in story.paragraphs])
        chapters = sorted(story.chapters, key=lambda c: c.start)
        scene_starts = sorted((sc.start, sc.i) for sc in story.scenes)
        sc_k = 0
        open_section = False
        ch_k = 0
        chapter_first = True
        for ps, pe in paragraphs:
            while ch_k < len(chapters) and chapters[ch_k].start <= ps:
                if open_section:
                    self.out.append("</section>\n")
                sec = sections[ch_k + 1]
                self.out.append(f'<section class="chapter {sec["classes"]}" id="ch-{chapters[ch_k].i}">\n')
                open_section, chapter_first = True, True
                ch_k += 1
            if not open_section:
                self.out.append(f'<section class="chapter {sections[0]["classes"]}" id="ch-pre">\n')
                open_section, chapter_first = True, False
            while sc_k < len(scene_starts) and scene_starts[sc_k][0] <= ps:
                self.out.append(f'<div class="anchor" id="sc-{scene_starts[sc_k][1]}"></div>')
                sc_k += 1
            k = self.k
            while k < len(self.bounds) and self.bounds[k][1] <= ps:
                k += 1
            has_quote = k < len(self.bounds) and self.bounds[k][0] < pe
            flat = " ".join(text[ps:pe].split()) if pe - ps <= 240 else ""
            title = " ".join((chapters[ch_k - 1].title or "").split()) if ch_k else ""
            if flat and not has_quote and ((len(flat) <= 80 and CHAPTER_LINE.match(flat)) or (
                    chapter_first and (HEADING.match(flat) or (title and title in flat)))):
                self.paragraph(ps, pe, tag="h2", extra_class="chapter-title")
            elif flat and not has_quote and len(flat) <= 24 and SCENE_BREAK.match(flat):
                self.paragraph(ps, pe, extra_class="scene-break")
            else:
                self.paragraph(ps, pe)
            chapter_first = False
        if open_section:
            self.out.append("</section>\n")


def _sections(story: Story, keys: list[str], low: float) -> list[dict]:
    """Per chapter (index 0: text before the first chapter), the classes that keep it visible
    when the reader filters: `h<sid>` for each speaker, `hlow` if it has a low-confidence quote."""
    chapters = sorted(story.chapters, key=lambda c: c.start)
    starts = [c.start for c in chapters]
    found: list[set[str]] = [set() for _ in range(len(chapters) + 1)]
    for q, key in zip(story.quotes, keys):
        k = bisect.bisect_right(starts, q.start)
        found[k].add(f"h{key}")
        if key == "u" or float(q.confidence or 0.0) < low:
            found[k].add("hlow")
    return [{"classes": " ".join(sorted(f))} for f in found]


# -- page -----------------------------------------------------------------------------------------

def _asset(name: str) -> str:
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


def _title(story: Story) -> str:
    if story.title:
        return story.title
    if story.meta.get("title"):
        return str(story.meta["title"])
    if story.source:
        from pathlib import PurePath
        stem = PurePath(str(story.source)).stem.replace("_", " ").strip()
        return (stem.title() if stem.islower() else stem) or "Untitled story"
    return "Untitled story"


def _chapter_label(title: str | None, n: int) -> str:
    if not title:
        return f"Chapter {n + 1}"
    title = " ".join(title.split())
    return title if HEADING.match(title) else f"{n + 1}. {title}"


def _cast_panel(speakers: list[Speaker]) -> str:
    speaking = [s for s in speakers if s.quotes > 0]
    silent = [s for s in speakers if s.quotes == 0 and s.sid != "u"]
    gender_names = {"M": "male", "F": "female"}

    def row(s: Speaker) -> str:
        bits = []
        if s.gender in gender_names:
            bits.append(f'<span class="g" title="{gender_names[s.gender]}">{s.gender}</span>')
        bits.append(f"{s.quotes:,} quote{'s' if s.quotes != 1 else ''}")
        bits.append(f"{s.words:,} words")
        aliases = [a for a in s.aliases if a != s.name]
        shown = ", ".join(escape(a) for a in aliases[:8])
        if len(aliases) > 8:
            shown += f' <span class="more" title="{escape(", ".join(aliases[8:]))}">+{len(aliases) - 8} more</span>'
        alias_html = f'<span class="aliases">{shown}</span>' if shown else ""
        return (f'<li><button type="button" class="who s{s.sid}" data-sid="{s.sid}" aria-pressed="false">'
                f'<span class="sw"></span><span class="who-text"><span class="name">{escape(s.name)}</span>'
                f'<span class="stats">{" · ".join(bits)}</span>{alias_html}</span></button></li>')

    parts = ['<ul class="cast">', *(row(s) for s in speaking), "</ul>"]
    if silent:
        parts += [f'<details class="silent"><summary>{len(silent)} more without dialogue</summary><ul class="cast">',
                  *(row(s) for s in silent), "</ul></details>"]
    return "".join(parts)


def render_html(story: Story, low_confidence: float = LOW_CONFIDENCE) -> str:
    """The report page for an analysed `story`, as a string."""
    speakers, keys = _speakers(story)
    by_sid = {s.sid: s for s in speakers}
    edges, edge_kind = _addressed_edges(story, keys, by_sid)
    sections = _sections(story, keys, low_confidence)

    title = _title(story)
    writer = _TextWriter(story, keys, low_confidence, {s.sid: s.name for s in speakers if s.sid != "u"})
    for s, e, part in text_regions(story):
        if part == "body":
            writer.body(s, e, sections)
        elif story.text[s:e].strip() and not (part == "front_matter" and story.text[s:e].strip() == title):
            writer.note(s, e, part)   # (a title line is already the page's heading)

    author = story.meta.get("author")
    words = count_words(story.text[story.body_start:story.body_end])
    n_low = sum(1 for q, key in zip(story.quotes, keys) if key == "u" or float(q.confidence or 0) < low_confidence)
    byline = [f"by {escape(str(author))}"] if author else []
    byline += [f"{words:,} words", f"{len(story.quotes):,} quotes",
               f"{sum(1 for s in speakers if s.quotes and s.sid != 'u'):,} speakers"]
    facts = []
    for key, label in (("fandoms", "Fandom"), ("rating", "Rating"), ("relationships", "Relationships")):
        value = story.meta.get(key)
        if isinstance(value, (list, tuple)):
            value = ", ".join(str(v) for v in value[:4]) + (" …" if len(value) > 4 else "")
        if value:
            facts.append(f"{label}: {escape(str(value))}")
    summary = story.meta.get("summary")
    if summary and not any(n.kind == "summary" for n in story.notes):
        facts.append(f'<details class="summary"><summary>Summary</summary>{escape(str(summary))}</details>')
    chapter_options = "".join(
        f'<option value="ch-{c.i}">{escape(_chapter_label(c.title, n))}</option>'
        for n, c in enumerate(sorted(story.chapters, key=lambda c: c.start)))
    data = {
        "low": low_confidence,
        "speakers": {s.sid: {"name": s.name, "aliases": s.aliases, "gender": s.gender, "quotes": s.quotes,
                             "words": s.words, "ink": s.ink} for s in speakers},
        "methods": METHOD_HELP,
    }
    network_caption = ("Lines: quotes addressed from one character to another (thicker = more)."
                       if edge_kind == "addressed" else
                       "No addressees were detected, so lines show consecutive turns in a conversation.")
    replacements = {
        "TITLE": escape(title),
        "BYLINE": " · ".join(byline),
        "FACTS": "".join(f'<p class="facts">{f}</p>' if not f.startswith("<details") else f for f in facts),
        "CSS": _asset("report.css"),
        "SPEAKER_CSS": _css_rules(speakers),
        "CHAPTER_OPTIONS": chapter_options,
        "LOW_PCT": f"{round(low_confidence * 100)}%",
        "N_LOW": f"{n_low:,}",
        "TEXT": "".join(writer.out),
        "CAST": _cast_panel(speakers),
        "CHART": _share_chart(speakers),
        "NETWORK": _network(speakers, edges, edge_kind),
        "NETWORK_CAPTION": network_caption,
        "DATA": _json_for_script(data),
        "JS": _asset("report.js"),
        "VERSION": escape(__version__),
        "SOURCE": escape(str(story.source or "")),
    }
    page = _asset("template.html")
    # One pass over the template's markers, so text inserted earlier is never rescanned.
    return re.sub(r"<!--QUOTH:([A-Z_]+)-->", lambda m: replacements[m.group(1)], page)
