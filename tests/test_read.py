"""Reading: text decodings and newlines, AO3 / FanFicFare / FanFiction.net HTML, EPUB."""
import codecs
from pathlib import Path

import pytest

from quoth.errors import QuothError
from quoth.read import read
from quoth.readers.text import decode_text
from quoth.structure import structure

FIXTURES = Path(__file__).parent / "fixtures"
STORY = 'Zo\u00eb said, \u201cThe caf\u00e9 is closed\u2026\u201d\n\n"Again?" asked Ma\u00eflle.\n'


# ---------------------------------------------------------------- plain text

@pytest.mark.parametrize("data", [
    STORY.encode("utf-8"),
    codecs.BOM_UTF8 + STORY.encode("utf-8"),
    STORY.encode("utf-16"),                 # with BOM
    STORY.encode("utf-16-le"),              # without BOM
    STORY.encode("utf-16-be"),
    STORY.encode("cp1252"),
    STORY.replace("\n", "\r\n").encode("utf-8"),
    STORY.replace("\n", "\r").encode("cp1252"),
])
def test_text_encodings_and_line_ends_decode_to_the_same_text(tmp_path, data):
    path = tmp_path / "story.txt"
    path.write_bytes(data)
    story = read(path)
    assert story.text == STORY
    assert story.format == "txt"


def test_utf8_file_with_a_stray_cp1252_quote_keeps_its_utf8():
    data = "Caf\u00e9 \u2014 the \u201cbest\u201d in town.".encode() + b" She said \x93hi\x94."
    assert decode_text(data, "x") == "Caf\u00e9 \u2014 the \u201cbest\u201d in town. She said \u201chi\u201d."


def test_text_altered_flag_marks_decoded_or_normalised_text(tmp_path):
    plain = tmp_path / "a.txt"
    plain.write_bytes(STORY.encode())
    crlf = tmp_path / "b.txt"
    crlf.write_bytes(STORY.replace("\n", "\r\n").encode())
    assert read(plain).meta["text_altered"] is False
    assert read(crlf).meta["text_altered"] is True


def test_a_string_is_read_as_text_not_as_a_path():
    story = read('"Hi," she said.\n\n"Bye," he said.')
    assert story.text.startswith('"Hi,"')


# ---------------------------------------------------------------- AO3

@pytest.fixture(scope="module")
def ao3():
    return structure(read(FIXTURES / "ao3_two_chapters.html"))


def test_ao3_metadata(ao3):
    assert ao3.format == "html"
    assert ao3.title == "Salt and Ember"
    assert ao3.meta["author"] == "quietwren"
    assert ao3.meta["fandoms"] == ["Tidebound (Video Game)"]
    assert ao3.meta["relationships"] == ["Ines Varga/Corwin Hale"]
    # AO3's fandom disambiguator is dropped and generic "Original ... Character(s)" tags are left out.
    assert ao3.meta["character_tags"] == ["Ines Varga", "Hale Corwin"]
    assert "Original Female Character(s)" in ao3.meta["character_tags_raw"]
    assert ao3.meta["words"] == 1234
    assert ao3.meta["summary"].startswith("The lighthouse goes dark")


def test_ao3_notes_have_offsets_and_positions(ao3):
    kinds = [(n.kind, n.position) for n in ao3.notes]
    assert kinds == [("summary", "before"), ("notes", "before"), ("notes", "inline"),
                     ("end_notes", "inline"), ("end_notes", "after")]
    for n in ao3.notes:
        assert ao3.text[n.start:n.end] == n.text
    assert "winter exchange" in ao3.notes[1].text
    assert "Thanks for reading" in ao3.notes[-1].text
    # The author's note is the work's Notes block, not the summary.
    assert "winter exchange" in ao3.authors_note


def test_ao3_chapters_body_and_scenes(ao3):
    assert [c.title for c in ao3.chapters] == ["The Dark Tower", "Chapter 2"]
    assert ao3.text[ao3.chapters[0].start:].startswith("Chapter 1: The Dark Tower")
    assert ao3.text[ao3.chapters[1].start:].startswith("Chapter 2")
    body = ao3.text[ao3.body_start:ao3.body_end]
    assert body.startswith("Chapter 1") and body.endswith("empty for a week.")
    assert "winter exchange" not in body and "Comments are my lighthouse" not in body
    # <hr> in chapter 1 and a "~~~" paragraph in chapter 2 split scenes.
    scenes = [(s.chapter, ao3.text[s.start:s.end]) for s in ao3.scenes]
    assert len(scenes) == 4
    assert scenes[0][1].startswith("The lamp room") and scenes[0][1].endswith("shaking.")
    assert scenes[1] == (0, 'Below them, the harbour bell kept ringing.\n\n"Do you hear that?" he asked.')
    assert [c for c, _ in scenes] == [0, 0, 1, 1]
    assert "* * *" in ao3.text


def test_ao3_markup_is_inert_and_text_is_plain(ao3):
    assert "never in the text" not in ao3.text
    assert "alert" not in ao3.text and "<" not in ao3.text
    assert '"Hand me the flint," Ines said. "No, the other one."' in ao3.text
    assert "without a word.\nHis fingers" in ao3.text      # <br/> is a line break inside the paragraph


# ---------------------------------------------------------------- FanFicFare / FanFiction.net

def test_fanficfare_html():
    story = structure(read(FIXTURES / "fanficfare_story.html"))
    assert story.title == "The Paper Crane"
    assert story.meta["author"] == "Mizuhara Rei"
    assert story.meta["character_tags"] == ["Haruto T.", "Aiko S."]
    assert story.meta["fandoms"] == ["Sakura Academy"]
    assert [c.title for c in story.chapters] == ["Folding", "Counting"]
    assert "Table of Contents" not in story.text          # the TOC is navigation, not story
    assert story.notes[0].kind == "summary" and "one thousand cranes" in story.notes[0].text
    assert len(story.scenes) == 3                          # "* * *" in chapter 1, then chapter 2
    assert story.text[story.scenes[0].start:].startswith('"Nine hundred')


def test_fanfiction_net_page():
    html = """<html><body><div id="profile_top"><b class="xcontrast_txt">Tea for Two</b> By:
    <a class="xcontrast_txt" href="/u/1/Quill">Quill</a><div class="xcontrast_txt">A quiet afternoon.</div>
    <span class="xgray">Rated: K - English - Harry P., Ron W.</span></div>
    <select id="chap_select"><option value="1" selected>1. Kettle</option><option value="2">2. Cups</option></select>
    <div id="storytext"><p>"Milk?" Ron asked.</p><p>"Please," said Harry.</p></div></body></html>"""
    story = structure(read(html.encode(), name="tea.html"))
    assert story.title == "Tea for Two" and story.meta["author"] == "Quill"
    assert [c.title for c in story.chapters] == ["Kettle"]
    assert story.text[story.body_start:story.body_end].endswith('"Please," said Harry.')


def test_generic_html_with_repeated_headings_gives_chapters():
    html = ("<html><body><h1>Rainfall</h1><p>A/N: hello.</p><h2>One</h2><p>It rained.</p><hr>"
            "<p>It stopped.</p><h2>Two</h2><p>Sun.</p></body></html>")
    story = structure(read(html.encode(), name="rain.html"))
    assert story.meta["title"] == "Rainfall" and story.title == "Rainfall"
    assert [c.title for c in story.chapters] == ["One", "Two"]
    assert len(story.scenes) == 3


# ---------------------------------------------------------------- EPUB

def _fanficfare_like_epub(path):
    from ebooklib import epub
    book = epub.EpubBook()
    book.set_identifier("fff-test")
    book.set_title("The Paper Crane")
    book.set_language("en")
    book.add_author("Mizuhara Rei")
    pages = [
        ("title_page.xhtml", '<h3><a href="https://example.org/s/1">The Paper Crane</a> by <a href="#">Mizuhara Rei</a></h3>'
                             "<div><b>Category:</b> Sakura Academy<br/><b>Characters:</b> Haruto T., Aiko S.<br/>"
                             "<b>Summary:</b> Haruto folds cranes.<br/></div>"),
        ("toc_page.xhtml", '<div><h3>Table of Contents</h3><a href="file0001.xhtml">Folding</a><br/></div>'),
        ("file0001.xhtml", '<h3 class="fff_chapter_title">Chapter 1: Folding</h3>'
                           '<div><p>"Nine hundred," Haruto said.</p><hr/><p>Aiko laughed.</p></div>'),
        ("file0002.xhtml", '<h3 class="fff_chapter_title">Chapter 2: Counting</h3><p>"One thousand," Aiko said.</p>'),
    ]
    items = []
    for name, body in pages:
        item = epub.EpubHtml(title=name, file_name=name, lang="en")
        item.content = f"<html><head><title>{name}</title></head><body>{body}</body></html>"
        book.add_item(item)
        items.append(item)
    book.toc = items[2:]
    book.add_item(epub.EpubNcx())
    book.add_item(epub.EpubNav())
    book.spine = items
    epub.write_epub(str(path), book)


def test_epub_built_with_ebooklib(tmp_path):
    path = tmp_path / "crane.epub"
    _fanficfare_like_epub(path)
    story = structure(read(path))
    assert story.format == "epub"
    assert story.title == "The Paper Crane"
    assert story.meta["author"] == "Mizuhara Rei"
    assert story.meta["character_tags"] == ["Haruto T.", "Aiko S."]
    assert [c.title for c in story.chapters] == ["Folding", "Counting"]
    assert "Table of Contents" not in story.text
    assert len(story.scenes) == 3
    assert story.text[story.scenes[1].start:story.scenes[1].end] == "Aiko laughed."


def test_ao3_epub_split_into_files_reads_like_the_html(tmp_path):
    from ebooklib import epub
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser((FIXTURES / "ao3_two_chapters.html").read_text())
    parts = [node for node in tree.css_first("#chapters").iter() if node.tag == "div"]
    docs = [tree.css_first("#preface").html,
            '<div id="chapters" class="userstuff">' + "".join(p.html for p in parts[:3]) + "</div>",
            '<div class="userstuff">' + "".join(p.html for p in parts[3:]) + "</div>",
            tree.css_first("#afterword").html]
    book = epub.EpubBook()
    book.set_identifier("ao3-test")
    book.set_title("Salt and Ember")
    book.set_language("en")
    items = []
    for k, body in enumerate(docs):
        item = epub.EpubHtml(title=f"part {k}", file_name=f"part{k}.xhtml")
        item.content = f"<html><body>{body}</body></html>"
        book.add_item(item)
        items.append(item)
    book.add_item(epub.EpubNcx())
    book.add_item(epub.EpubNav())
    book.spine = items
    path = tmp_path / "salt.epub"
    epub.write_epub(str(path), book)
    from_epub = structure(read(path))
    from_html = structure(read(FIXTURES / "ao3_two_chapters.html"))
    assert from_epub.text == from_html.text
    assert [c.title for c in from_epub.chapters] == ["The Dark Tower", "Chapter 2"]
    assert [n.kind for n in from_epub.notes] == [n.kind for n in from_html.notes]
    assert from_epub.meta["character_tags"] == ["Ines Varga", "Hale Corwin"]


def test_zip_that_is_not_an_epub_is_refused(tmp_path):
    import zipfile
    path = tmp_path / "story.epub"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("chapter1.txt", "Once upon a time.")
    with pytest.raises(QuothError, match="not an EPUB"):
        read(path)


def test_generic_html_front_note_before_first_chapter():
    html = ("<html><body><h1>Rainfall</h1><p>A/N: hello there.</p><h2>One</h2><p>It rained.</p>"
            "<h2>Two</h2><p>A/N: sorry for the wait!</p><p>Sun.</p></body></html>")
    story = structure(read(html.encode(), name="rain.html"))
    assert [(n.kind, n.position, n.text) for n in story.notes] == [
        ("authors_note", "before", "A/N: hello there."), ("authors_note", "inline", "A/N: sorry for the wait!")]
    assert story.text[story.body_start:].startswith("One")


def test_saved_ao3_work_page():
    story = structure(read(FIXTURES / "ao3_work_page.html"))
    assert story.title == "Salt and Ember" and story.meta["author"] == "quietwren"
    assert story.meta["character_tags"] == ["Ines Varga", "Corwin Hale"]
    assert [c.title for c in story.chapters] == ["The Dark Tower"]
    assert "Chapter Text" not in story.text and "Footer stuff" not in story.text
    assert [(n.kind, n.position) for n in story.notes] == [
        ("summary", "before"), ("notes", "before"), ("end_notes", "inline"), ("end_notes", "after")]
    assert story.text[story.scenes[0].start:story.scenes[0].end] == 'The lamp room was cold.\n\n"Flint," Ines said.'


@pytest.mark.parametrize("declared", ['<meta charset="windows-1252">', ""])
def test_cp1252_html_with_or_without_a_declared_charset(declared):
    html = (f"<html><head>{declared}<style>p{{margin:0}}</style></head><body><div class=\"a\">"
            "<p class=\"x\">\u201cCaf\u00e9,\u201d she said.</p><p><a href=\"http://x.y/?a=1&b=2\">Go.</a></p></div></body></html>")
    story = read(html.encode("cp1252"), name="cafe.html")
    assert story.text == "\u201cCaf\u00e9,\u201d she said.\n\nGo."


def test_br_between_paragraphs_gives_paragraphs_but_br_in_a_verse_stays_a_line_break():
    prose = ('<div id="storytext">"Hello there, old friend, it has been far too long," said Ann warmly.<br>'
             '"It has," Bob agreed, and he smiled at her across the crowded little table.<br>'
             "They sat in silence for a long while, listening to the rain on the glass.<br><br>* * *<br><br>"
             "Morning came grey and cold.</div>")
    story = structure(read(f"<html><body>{prose}</body></html>".encode(), name="br.html"))
    assert [story.text[p.start:p.end][:9] for p in story.paragraphs] == ['"Hello th', '"It has,"', "They sat ",
                                                                          "Morning c"]
    assert len(story.scenes) == 2
    verse = "<p>Roses are red<br>violets are blue<br>the sea is grey<br>and so are you</p><p>She laughed.</p>"
    story = read(f"<html><body>{verse}</body></html>".encode(), name="verse.html")
    assert "Roses are red\nviolets are blue" in story.text
