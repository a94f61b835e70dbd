"""The HTML report: its markup, and its behaviour driven in headless Chromium (Debian's
/usr/bin/chromium through Playwright; those tests skip when either is missing)."""
from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser
import subprocess
import sys
from pathlib import Path

import pytest

from quoth.report import render_html, speaker_color
from quoth.story import Character

from test_exports import CAST, SAMPLE, ferry_story, make_story

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]

HOSTILE_NAME = '<img src=x onerror="window.__pwned=3">Mal</script>'
HOSTILE_LINES = ['<script>window.__pwned=1;alert(1)</script>', '<img src=x onerror="window.__pwned=2;alert(2)">',
                 '</script><script>alert(4)</script><!--', '"><b onmouseover=alert(5)>x</b>']


def hostile_story():
    cast = {**CAST, HOSTILE_NAME: ([HOSTILE_NAME, "</script>"], "F")}
    story = make_story([
        "# Chapter 1: <script>alert('title')</script>",
        [(HOSTILE_NAME, HOSTILE_LINES[0], 0.9, "explicit<script>", [HOSTILE_NAME]), " she said."],
        [("Nell Avery", HOSTILE_LINES[1], 0.8, "explicit", [HOSTILE_NAME]), " Nell wrote, & smiled."],
        [(None, HOSTILE_LINES[2], 0.1, None, []), " <style>body{display:none}</style>"],
        [(HOSTILE_NAME, HOSTILE_LINES[3], 0.3, "turn", ["Nell Avery"])],
    ], cast, note="<script>alert('note')</script>", title="<script>alert('t')</script>Title")
    story.meta.update(author="<img src=x onerror=alert(6)>", fandoms=["<b>Fandom</b>", "Other"], rating="Teen",
                      summary="<script>alert('summary')</script>")
    return story


class TagCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found, self.comments = [], []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, attrs))

    def handle_comment(self, data):
        self.comments.append(data)


# -- markup (no browser) --------------------------------------------------------------------------

def test_every_quote_is_one_element_with_speaker_and_confidence():
    story = ferry_story()
    page = render_html(story)
    spans = re.findall(r'<span class="q s(\w+)( low)?" data-i="(\d+)" data-speaker="([^"]*)" data-confidence="([\d.]+)"',
                       page)
    assert [int(s[2]) for s in spans] == list(range(len(story.quotes)))
    for (sid, low, _, speaker, conf), q in zip(spans, story.quotes):
        assert html.unescape(speaker) == (q.speaker or "")
        assert float(conf) == pytest.approx(q.confidence, abs=0.005)
        assert bool(low) == (q.speaker is None or q.confidence < 0.5)
        assert sid == (str(q.speaker_id) if q.speaker_id is not None else "u")
    assert page.count("<p") >= len(story.paragraphs) - 2       # headings are <h2>
    assert '<h2 class="chapter-title' in page and 'class="scene-break"' in page
    assert 'id="ch-0"' in page and 'id="ch-1"' in page and 'id="sc-1"' in page


def test_a_quote_running_over_a_paragraph_break_is_split_into_two_spans_of_the_same_quote():
    story = ferry_story()
    second = story.paragraphs[3]
    q = story.quotes[0]
    q.end = second.start + 10            # as if the quote stage had joined two paragraphs
    q.text = story.text[q.start:q.end]
    story.quotes[1:] = []
    page = render_html(story)
    parts = re.findall(r'<span class="q s0" data-i="0"[^>]*>([^<]*)</span>', page)
    assert len(parts) == 2 and parts[1] == html.escape(story.text[second.start:q.end], quote=False)
    assert page.count("<span") == page.count("</span>")


def test_text_the_structure_stage_left_out_of_paragraphs_is_still_shown():
    story = ferry_story()
    dropped = story.paragraphs.pop(1)            # "The ferry had not moved since noon."
    story.paragraphs = [p for p in story.paragraphs if story.text[p.start:p.end] != "***"]
    page = render_html(story)
    assert "<p>The ferry had not moved since noon.</p>" in page
    assert '<p class="scene-break">***</p>' in page
    assert story.text[dropped.start:dropped.end] in page


def test_page_is_self_contained():
    page = render_html(ferry_story())
    assert not re.search(r'(?:src|href)\s*=\s*["\']?(?:https?:)?//', page)
    assert "@import" not in page and "url(" not in page
    assert page.count("<script") == 2                # the JSON data and the report's own script
    assert "<svg" in page


def test_hostile_text_is_escaped_everywhere():
    page = render_html(hostile_story())
    assert page.count("<script") == 2 and page.count("</script>") == 2
    tags = TagCollector()
    tags.feed(page)
    assert {"img", "b"}.isdisjoint(t for t, _ in tags.found)
    assert [t for t, _ in tags.found].count("style") == 2
    assert not [(t, a) for t, attrs in tags.found for a, _ in attrs if a.startswith("on")]
    assert tags.comments == []
    data = re.search(r'<script type="application/json" id="quoth-data">(.*?)</script>', page, re.S).group(1)
    assert HOSTILE_NAME in [s["name"] for s in json.loads(data)["speakers"].values()]


def test_speakers_get_distinct_colours_beyond_fifteen():
    inks = [speaker_color(k)[0] for k in range(36)]
    assert len(set(inks)) == 36
    story = ferry_story()
    story.characters += [Character(len(story.characters) + k, f"Extra {k}") for k in range(20)]
    page = render_html(story)
    rules = dict(re.findall(r"\.s(\w+)\{--c:(#[0-9a-f]{6})", page))
    assert len(rules) == len(story.characters) + 1 and len(set(rules.values())) == len(rules)


def test_cast_panel_lists_aliases_gender_quotes_and_words():
    page = render_html(ferry_story())
    nell = re.search(r'<button type="button" class="who s0".*?</button>', page, re.S).group(0)
    assert ">Nell Avery<" in nell and "Miss Avery" in nell and ">F<" in nell
    assert "2 quotes" in nell and "5 words" in nell


def test_report_of_a_long_story_is_built_in_one_pass():
    """A 100-chapter story renders completely (quote spans balanced, each quote once)."""
    chapters = []
    for k in range(100):
        chapters.append(f"# Chapter {k + 1}")
        chapters += [[("Nell Avery", "Row harder,", 0.9, "explicit", ["Ferris"]), " said Nell. ",
                      ("Ferris", "I am rowing.", 0.6, "turn", [])], ["The water was grey and slow."]] * 20
    story = make_story(chapters, CAST)
    page = render_html(story)
    assert page.count('<span class="q ') == len(story.quotes) == 4000
    story_html = page[page.index('<main id="story"'):page.index("</main>")]
    assert story_html.count('<section class="chapter') == story_html.count("</section>") == 100


def test_cli_infers_html_from_the_suffix(tmp_path):
    out = tmp_path / "report.html"
    r = subprocess.run([sys.executable, "-m", "quoth", "analyze", str(SAMPLE), "-o", str(out)],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!doctype html>") and "data-speaker=" in page and "Gullhaven" in page


# -- in the browser -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("browser tests need Debian's chromium at /usr/bin/chromium")
    sync_api = pytest.importorskip("playwright.sync_api", reason="browser tests need playwright (pip install playwright)")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


class Opened:
    def __init__(self, browser, story, tmp_path, **context):
        path = tmp_path / "report.html"
        path.write_text(render_html(story), encoding="utf-8")
        self.context = browser.new_context(**context)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.requests: list[str] = []
        self.page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        self.page.on("console", lambda m: self.errors.append(f"console: {m.text}") if m.type == "error" else None)
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.on("request", lambda r: self.requests.append(r.url) if not r.url.startswith(("file:", "data:")) else None)
        self.page.goto(path.as_uri())
        self.page.wait_for_load_state("load")

    def visible_quotes(self, sid: str | None = None) -> list[int]:
        selector = ".q" if sid is None else f".q.s{sid}"
        return self.page.eval_on_selector_all(
            selector, "els => els.filter(e => e.getClientRects().length > 0).map(e => +e.dataset.i)")

    def close(self):
        self.context.close()


@pytest.fixture
def opened(browser, tmp_path):
    pages = []

    def open_(story, **context):
        o = Opened(browser, story, tmp_path, **context)
        pages.append(o)
        return o
    yield open_
    for o in pages:
        o.close()


def test_page_loads_without_errors_and_shows_coloured_quotes(opened):
    story = ferry_story()
    o = opened(story, viewport={"width": 1366, "height": 768})
    page = o.page
    assert o.errors == [] and o.requests == []
    assert page.locator(".q").count() == len(story.quotes)
    assert page.locator(".q[data-speaker][data-confidence]").count() == len(story.quotes)
    assert page.locator(".q[data-speaker='Ferris']").count() == 2
    colours = page.eval_on_selector_all(".q", "els => els.map(e => getComputedStyle(e).getPropertyValue('--c').trim())")
    by_speaker = {}
    for q, colour in zip(story.quotes, colours):
        by_speaker.setdefault(q.speaker, set()).add(colour)
    assert all(len(c) == 1 for c in by_speaker.values())            # one colour per speaker ...
    assert len({next(iter(c)) for c in by_speaker.values()}) == len(by_speaker)   # ... different from the others
    swatch = page.eval_on_selector(".who.s1 .sw", "e => getComputedStyle(e).backgroundColor")
    quote_ink = page.eval_on_selector(".q.s1", "e => getComputedStyle(e).boxShadow")
    assert swatch in quote_ink                                      # cast swatch and highlight agree
    assert page.locator("svg.chart .bar").count() >= 3 and page.locator("svg.network .node").count() == 3
    assert page.locator("svg.network .edge").count() == 2            # Nell–Ferris, Nell–Tom
    assert page.locator(".note").inner_text().upper().startswith("AUTHOR'S NOTE")


def test_clicking_a_character_filters_the_text_to_their_lines(opened):
    story = ferry_story()
    o = opened(story, viewport={"width": 1366, "height": 768})
    page = o.page
    all_quotes = o.visible_quotes()
    assert len(all_quotes) == len(story.quotes)
    page.click(".who.s1")                                            # Ferris
    ferris = [q.i for q in story.quotes if q.speaker == "Ferris"]
    assert o.visible_quotes() == ferris
    assert page.locator(".who.s1").get_attribute("aria-pressed") == "true"
    assert "Ferris" in page.locator("#filter-status").inner_text()
    assert not page.locator("text=The ferry had not moved since noon.").is_visible()
    assert page.locator("#ch-0 h2").is_visible() and not page.locator("#ch-1").is_visible()   # Ferris: chapter 1 only
    page.click(".who.s0")                                            # switch straight to Nell
    assert o.visible_quotes() == [q.i for q in story.quotes if q.speaker == "Nell Avery"]
    page.click(".who.s0")                                            # the same name again: everyone
    assert o.visible_quotes() == all_quotes
    page.click("svg.network .node[data-sid='2']")                    # the network filters too
    assert o.visible_quotes() == [q.i for q in story.quotes if q.speaker == "Tom Avery"]
    page.click("#filter-clear")
    assert o.visible_quotes() == all_quotes and o.errors == []


def test_low_confidence_switch_shows_only_uncertain_quotes(opened):
    story = ferry_story()
    o = opened(story, viewport={"width": 1366, "height": 768})
    page = o.page
    low = sorted(q.i for q in story.quotes if q.speaker is None or q.confidence < 0.5)
    assert low == [3, 4, 5]
    page.click("label.switch")
    assert page.is_checked("#low-only")
    assert o.visible_quotes() == low
    page.click("label.switch")
    assert len(o.visible_quotes()) == len(story.quotes) and o.errors == []


def test_quote_details_appear_on_hover_and_click(opened):
    story = ferry_story()
    o = opened(story, viewport={"width": 1366, "height": 768})
    page = o.page
    page.hover(".q[data-i='1']")
    pop = page.locator("#pop")
    assert pop.is_visible()
    text = pop.inner_text()
    assert "Ferris" in text and "91%" in text and "explicit" in text and "Nell Avery" in text
    page.click(".q[data-i='3']")                                     # the unattributed one, pinned
    assert "Unknown speaker" in pop.inner_text()
    page.mouse.move(5, 700)
    assert pop.is_visible()
    page.keyboard.press("Escape")
    assert not pop.is_visible() and o.errors == []


def test_hostile_story_stays_inert_and_shows_the_characters_as_text(opened):
    o = opened(hostile_story(), viewport={"width": 1366, "height": 768})
    page = o.page
    for q in page.locator(".q").all():
        q.hover()
    page.click(f".who.s{len(CAST)}")
    page.click("#filter-clear")
    page.wait_for_timeout(100)
    assert o.dialogs == [] and o.errors == [] and o.requests == []
    assert page.evaluate("window.__pwned") is None
    assert page.locator("img, b, style:not(head style)").count() == 0
    story_text = page.locator("#story").inner_text()
    for line in HOSTILE_LINES:
        assert line in story_text
    assert "<style>body{display:none}</style>" in story_text
    assert "<script>alert('note')</script>" in story_text
    page.click("details.summary summary")
    heading = page.locator(".heading").inner_text()
    assert "<b>Fandom</b>, Other" in heading and "<script>alert('summary')</script>" in heading
    assert HOSTILE_NAME in page.locator(".cast").first.inner_text()
    assert page.title().startswith("<script>alert('t')</script>Title")
    page.hover(".q[data-i='0']")
    assert HOSTILE_NAME in page.locator("#pop").inner_text()


def test_phone_layout_hides_the_panel_behind_a_button_and_navigates_chapters(opened):
    story = make_story([f"# Chapter {k}" if i == 0 else [f"Paragraph {i} of chapter {k}. " * 12]
                        if i > 1 else [("Ferris", "Row on.", 0.9, "explicit", [])]
                        for k in range(1, 4) for i in range(12)], CAST)
    o = opened(story, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = o.page
    assert not page.locator("#panel").is_visible()
    page.click("#panel-toggle")
    assert page.locator("#panel").is_visible()
    page.click("#panel-close")
    assert not page.locator("#panel").is_visible()
    page.click("#panel-toggle")
    page.click(".who.s1")                        # choosing a character closes the drawer
    assert not page.locator("#panel").is_visible()
    page.click("#filter-clear")
    page.select_option("#chapter-nav", "ch-2")
    page.wait_for_function("window.scrollY > 500")
    top = page.eval_on_selector("#ch-2", "e => e.getBoundingClientRect().top")
    header = page.eval_on_selector(".top", "e => e.getBoundingClientRect().bottom")
    assert top >= header - 2 and top < header + 200
    page.click("#scene-prev")
    page.wait_for_function("document.getElementById('ch-1').getBoundingClientRect().top > 0")
    assert o.errors == []
