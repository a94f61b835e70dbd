"""EPUB reader (AO3 and FanFicFare EPUBs, and EPUBs in general).

The spine documents are read in order with ebooklib. FanFicFare EPUBs (body
classes fff_titlepage / fff_chapter) and AO3 EPUBs (the download HTML split
into files: #preface, chapter files, #afterword) are joined back into one HTML
document and read by the HTML reader; other EPUBs are read generically, one
chapter per spine document that has a heading. The OPF metadata (dc:title,
dc:creator, dc:description, dc:subject) fills in what the pages do not say.
"""
from __future__ import annotations

import io
import re
import warnings
import zipfile

from selectolax.lexbor import LexborHTMLParser

from ..errors import QuothError
from ..story import Story
from .html import flatten_if_deep, read_ao3, read_fanficfare, text_of

MAX_UNCOMPRESSED = 512 * 1024 * 1024      # refuse zip bombs


def _check_zip(data: bytes, name: str) -> None:
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise QuothError(f"{name}: not a valid EPUB (corrupt or not a zip archive)") from None
    with z:
        names = set(z.namelist())
        if "word/document.xml" in names:
            raise QuothError(f"{name}: a Word (.docx) file, not supported; save it as .txt or .html first")
        if "META-INF/container.xml" not in names:
            raise QuothError(f"{name}: a zip archive but not an EPUB (no META-INF/container.xml)")
        if sum(i.file_size for i in z.infolist()) > MAX_UNCOMPRESSED:
            raise QuothError(f"{name}: EPUB unpacks to more than 512 MB; refusing to read it")
        bad = z.testzip() if len(data) < 50_000_000 else None
        if bad is not None:
            raise QuothError(f"{name}: corrupt EPUB (damaged member {bad})")


def read_epub(data: bytes, name: str) -> Story:
    _check_zip(data, name)
    try:
        from ebooklib import ITEM_DOCUMENT, epub
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            book = epub.read_epub(io.BytesIO(data), {"ignore_ncx": True})
    except QuothError:
        raise
    except Exception as e:     # ebooklib raises many kinds on damaged books
        raise QuothError(f"{name}: corrupt EPUB ({type(e).__name__}: {str(e)[:120]})") from None

    meta = _opf_meta(book)
    docs = []
    for idref, _linear in book.spine:
        item = book.get_item_with_id(idref)
        if item is None or item.get_type() != ITEM_DOCUMENT:
            continue
        try:
            content = item.get_content()
        except Exception:
            continue
        html = content.decode("utf-8", errors="replace") if isinstance(content, bytes) else str(content)
        docs.append(html)
    if not docs:
        raise QuothError(f"{name}: EPUB has no readable chapters")

    trees = [LexborHTMLParser(flatten_if_deep(h)) for h in docs]
    bodies = [t.body for t in trees if t.body is not None]
    body_classes = set()
    for b in bodies:
        body_classes |= set((b.attributes.get("class") or "").split())
    if not body_classes & {"fff_titlepage", "fff_chapter"} and \
            any(t.css_first("#preface, #chapters, #afterword, div.meta dl.tags") is not None for t in trees):
        # AO3: the download HTML split into files; join the bodies back into one document.
        joined = "<html><body>" + "".join(_inner_html(b) for b in bodies) + "</body></html>"
        story = read_ao3(LexborHTMLParser(joined), whole_body=True)
    else:
        story = read_fanficfare(None, bodies=[b for b in bodies if not _is_title_only(b, meta)])
        story.meta["source_site"] = "fanficfare" if body_classes & {"fff_titlepage", "fff_chapter"} else "epub"
    story.format = "epub"
    if not story.title and meta.get("title"):
        story.title = meta["title"]
    for key in ("author", "summary", "language"):
        if meta.get(key) and key not in story.meta:
            story.meta[key] = meta[key]
    if meta.get("subjects") and "tags" not in story.meta:
        story.meta["tags"] = meta["subjects"]
    return story


def _opf_meta(book) -> dict:
    meta: dict = {}

    def first(field):
        try:
            vals = book.get_metadata("DC", field)
        except Exception:
            return None
        return vals[0][0].strip() if vals and vals[0] and isinstance(vals[0][0], str) and vals[0][0].strip() else None

    meta["title"] = first("title")
    try:
        creators = [v[0].strip() for v in book.get_metadata("DC", "creator") if isinstance(v[0], str) and v[0].strip()]
    except Exception:
        creators = []
    if creators:
        meta["author"] = ", ".join(creators)
    desc = first("description")
    if desc:
        meta["summary"] = text_of(LexborHTMLParser(desc).body) if "<" in desc else desc
    meta["language"] = first("language")
    try:
        meta["subjects"] = [v[0] for v in book.get_metadata("DC", "subject") if isinstance(v[0], str)]
    except Exception:
        pass
    return {k: v for k, v in meta.items() if v}


def _inner_html(body) -> str:
    html = body.html or ""
    return re.sub(r"^<body[^>]*>|</body>$", "", html.strip())


def _is_title_only(body, meta) -> bool:
    """A book's title page that only repeats the title (and author)."""
    title = meta.get("title")
    if not title:
        return False
    squash = lambda s: re.sub(r"\W+", "", s.lower())
    txt = squash(text_of(body))
    return txt in (squash(title), squash(title + "by" + meta.get("author", "")), squash(title + meta.get("author", "")))
