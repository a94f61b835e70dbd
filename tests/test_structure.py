"""Structure: paragraphs, titles, notes, chapters and scenes on fan fiction and novels."""
import csv
from pathlib import Path

import pytest

import quoth
from quoth.read import read
from quoth.structure import is_separator, match_heading, structure

FIXTURES = Path(__file__).parent / "fixtures"
SAMPLE = Path(quoth.__file__).parent / "samples" / "the_lantern_keeper.txt"
from shared_paths import PDNC  # noqa: E402


def _struct(text: str):
    return structure(read(text))


def _scene_texts(story):
    return [story.text[s.start:s.end] for s in story.scenes]


# ---------------------------------------------------------------- the bundled sample

def test_lantern_keeper_structure():
    story = structure(read(SAMPLE))
    assert story.title == "The Lantern Keeper"
    assert [(n.kind, n.position) for n in story.notes] == [
        ("disclaimer", "before"), ("authors_note", "before"), ("authors_note", "after")]
    assert story.notes[0].text.startswith("Disclaimer: I don't own the Harbourlight world")
    assert story.notes[-1].text.startswith("A/N: Thanks for reading!")
    assert [c.title for c in story.chapters] == ["The Storm", "Morning"]
    body = story.text[story.body_start:story.body_end]
    assert body.startswith("Chapter 1: The Storm") and body.endswith('"Then a very large cocoa."')
    scenes = _scene_texts(story)
    # Split at ***, ~~~ and xXx (the xXx sits right before chapter 2).
    assert len(scenes) == 4
    assert scenes[0].startswith("The storm came in") and scenes[0].endswith('I need a minute."')
    assert scenes[1].startswith("Down in the village") and scenes[2].startswith("Back in the tower")
    assert scenes[3].startswith("The Osprey limped")
    assert [s.chapter for s in story.scenes] == [0, 0, 0, 1]


# ---------------------------------------------------------------- a one-line-per-paragraph fan fic

@pytest.fixture(scope="module")
def festival():
    return structure(read(FIXTURES / "fanfic_festival.txt"))


def test_fanfic_title_and_notes(festival):
    assert festival.title == "Lanterns Over Kirigaoka"
    notes = [(n.kind, n.position, n.text.split()[0]) for n in festival.notes]
    assert notes == [("disclaimer", "before", "Disclaimer:"), ("authors_note", "before", "A/N:"),
                     ("authors_note", "inline", "A/N:"), ("authors_note", "after", "A/N:")]
    assert festival.authors_note.startswith("Disclaimer:")
    for n in festival.notes:
        assert festival.text[n.start:n.end] == n.text
    body = festival.text[festival.body_start:festival.body_end]
    assert body.startswith("Chapter One: The Night Market")
    assert body.endswith("He didn't tell anyone what it was.")
    assert "Thanks for reading" not in body


def test_fanfic_paragraphs_are_lines(festival):
    texts = [festival.text[p.start:p.end] for p in festival.paragraphs]
    assert 'Ren Takeda adjusted his yukata for the fifth time. "D-do I look okay?"' in texts
    assert '"B-but what if Sakura-senpai\u2014"' in texts
    assert all("\n" not in t for t in texts)
    assert "***" not in texts and "~oOo~" not in texts      # separator lines are not paragraphs


def test_fanfic_chapters_and_scene_breaks(festival):
    assert [c.title for c in festival.chapters] == ["The Night Market", "Chapter 2"]
    scenes = _scene_texts(festival)
    # *** and ~oOo~ in chapter 1; "-Scene Break-" then the chapter; a blank line in chapter 2.
    assert [s.chapter for s in festival.scenes] == [0, 0, 0, 1, 1]
    assert scenes[0].startswith("The festival started") and scenes[0].endswith("It didn't help.")
    assert scenes[1].startswith("Down at the shrine steps")
    assert scenes[2].startswith("Ren found them") and scenes[2].endswith('"Yui!"')
    assert scenes[3].startswith("The first firework") and "A/N" not in scenes[3]
    assert scenes[4].startswith('"Look," the boy said')


# ---------------------------------------------------------------- headings, separators, paragraphs

@pytest.mark.parametrize("line, level, title", [
    ("Chapter 1", "chapter", None),
    ("CHAPTER I.", "chapter", None),
    ("Chapter One: The Storm", "chapter", "The Storm"),
    ("CHAPTER XII. IN WHICH OLIVER IS TAKEN BETTER CARE OF", "chapter", "IN WHICH OLIVER IS TAKEN BETTER CARE OF"),
    ("~Chapter 3 - Ashes~", "chapter", "Ashes"),
    ("Prologue", "special", None),
    ("Epilogue: Ten Years Later", "special", "Ten Years Later"),
    ("BOOK ONE", "part", None),
    ("BOOK THE FIRST", "part", None),
    ("PART I: MOSQUE", "part", "MOSQUE"),
    ("IV.", "number", None),
    ("12", "number", None),
])
def test_heading_lines(line, level, title):
    m = match_heading(line)
    assert m is not None and m[0] == level and m[2] == title


@pytest.mark.parametrize("line", [
    "Chapter two was dull, she thought.",
    "Part of me wanted to stay.",
    "Book one was better than book two.",
    "The prologue of the play had begun.",
])
def test_prose_is_not_a_heading(line):
    assert match_heading(line) is None


@pytest.mark.parametrize("line", ["***", "* * *", "~~~", "xXx", "-xXx-", "oOo", "~oOo~", "---", "###",
                                  "Scene break", "-Line Break-", "[scene change]", "o0o0o", "+~+~+", "§"])
def test_separator_lines(line):
    assert is_separator(line)


@pytest.mark.parametrize("line", ['"..."', "...", "\u2014", '"No."', "Okay.", "xenon", "OK", "Oooh!"])
def test_not_separator_lines(line):
    assert not is_separator(line)


def test_hard_wrapped_novel_paragraphs_and_numbered_chapters():
    text = ("I.\n\n"
            "It was a bright cold day in April, and the clocks were striking\n"
            "thirteen. Winston Smith, his chin nuzzled into his breast in an\n"
            "effort to escape the vile wind, slipped quickly through the glass.\n\n"
            "\"Who is there?\" he called out, and waited for an answer that\n"
            "never came.\n\n"
            "II.\n\n"
            "The hallway smelt of boiled cabbage and old rag mats, and at one\n"
            "end of it a coloured poster had been tacked to the wall.\n")
    story = _struct(text)
    pars = [story.text[p.start:p.end] for p in story.paragraphs]
    assert pars[1].startswith("It was a bright") and pars[1].endswith("through the glass.")
    assert pars[2].endswith("never came.")
    assert [story.text[c.start:c.start + 3] for c in story.chapters] == ["I.\n", "II."]
    assert story.title is None


def test_lone_numerals_that_do_not_count_up_are_not_chapters():
    text = ("The Count\n\n"
            "He held up three fingers and then, slowly, one more finger that was crooked and old.\n\n"
            "4\n\n"
            "That was all he said, and the room went quiet for a long time after it.\n")
    story = _struct(text)
    assert len(story.chapters) == 1


def test_two_blank_lines_split_scenes_when_paragraphs_have_one():
    text = ("Morning came.\n\nShe woke.\n\nShe ate.\n\n\nAt noon the bell rang.\n\nHe ran.\n")
    story = _struct(text)
    assert _scene_texts(story) == ["Morning came.\n\nShe woke.\n\nShe ate.", "At noon the bell rang.\n\nHe ran."]


def test_header_fields_and_summary_note():
    text = ("Title: Ember Road\nAuthor: fernlight\nRating: T\nPairing: Ash/Wren\n\n"
            "Summary: Two couriers, one cart, no map.\n\n"
            "Chapter 1\n\n\"Left,\" said Ash.\n\n\"Right,\" said Wren.\n")
    story = _struct(text)
    assert story.title == "Ember Road"
    assert story.meta["author"] == "fernlight"
    assert story.meta["header"]["pairing"] == "Ash/Wren"
    assert [n.kind for n in story.notes] == ["summary"]
    assert story.text[story.body_start:].startswith("Chapter 1")


def test_untitled_story_starting_with_prose_has_no_title():
    story = _struct("The rain had not stopped for three days.\n\n\"Still raining,\" said Nan.\n")
    assert story.title is None
    assert story.body_start == 0


def test_novel_title_page_by_line_and_end_mark():
    text = ("Oliver Twist\n\nOR\nTHE PARISH BOY'S PROGRESS\n\nby Charles Dickens\n\n"
            " CHAPTER I.\nTREATS OF THE PLACE WHERE OLIVER TWIST WAS BORN\n\n\n"
            "Among other public buildings in a certain town, which for many\nreasons it will be prudent to refrain from mentioning.\n\n"
            "THE END\n")
    story = _struct(text)
    assert story.title == "Oliver Twist"
    assert story.meta["author"] == "Charles Dickens"
    assert story.chapters[0].title == "TREATS OF THE PLACE WHERE OLIVER TWIST WAS BORN"
    assert story.text[story.body_start:story.body_end].strip().endswith("refrain from mentioning.")


# ---------------------------------------------------------------- PDNC titles

def _pdnc_titles():
    index = PDNC / "PDNC-Novel-Index.csv"
    with index.open(encoding="utf-8") as f:
        return {row["Folder Name"].strip(): row["Novel Title"].strip() for row in csv.DictReader(f)}


@pytest.mark.skipif(not PDNC.exists(), reason="PDNC data not available")
@pytest.mark.parametrize("folder", ["OliverTwist", "Persuasion", "HardTimes", "DaisyMiller",
                                    "TheManWhoWasThursday", "APassageToIndia", "TheSportOfTheGods"])
def test_pdnc_titles(folder):
    gold = _pdnc_titles()[folder]
    story = structure(read(PDNC / folder / "novel_text.txt"))
    assert story.title is not None and " ".join(story.title.lower().split()) == " ".join(gold.lower().split())


@pytest.mark.skipif(not PDNC.exists(), reason="PDNC data not available")
def test_pdnc_novel_opening_with_a_chapter_has_no_title_and_all_chapters():
    story = structure(read(PDNC / "PrideAndPrejudice" / "novel_text.txt"))
    assert story.title is None
    assert len(story.chapters) == 61
    assert story.body_start == 0


def test_heading_with_prose_right_under_it_and_a_wrapped_title():
    text = ("Chapter XVIII: Lying to Mr. Beebe, Mrs. Honeychurch, Freddy, and The\nServants\n\n"
            "Windy Corner lay, not on the summit of the ridge, but a few hundred\nfeet down.\n\n"
            "Chapter XIX\nThe rain began at once, and nobody in the house was in the least\nsurprised by it.\n\n"
            "It went on all night.\n")
    story = _struct(text)
    assert [c.title for c in story.chapters] == [
        "Lying to Mr. Beebe, Mrs. Honeychurch, Freddy, and The Servants", "Chapter XIX"]
    pars = [story.text[p.start:p.end] for p in story.paragraphs]
    assert "Chapter XIX" in pars                         # the heading stands alone
    assert any(p.startswith("The rain began at once") for p in pars)


def test_numbered_title_headings_count_up():
    text = ("1. The Beginning\n\nShe packed her bag in the dark and left before dawn.\n\n"
            "It was colder than she had expected.\n\n"
            "2. The Road\n\nThe road ran north for a day and a half.\n\n"
            "3. The Gate\n\nAt the gate a boy was waiting.\n")
    story = _struct(text)
    assert [c.title for c in story.chapters] == ["The Beginning", "The Road", "The Gate"]


def test_invariants_hold_on_jumbled_fan_fiction_lines():
    import random
    pieces = ["Chapter 1", "CHAPTER II.", "Prologue", "***", "xXx", "A/N: hi!", "Disclaimer: not mine.",
              "Thanks for reading!", "I.", "2", "The End", '"Hello," she said.', "He left\u2014quietly.",
              "Summary: stuff", "Title: Odd", "by Someone", "", "", "\n", "PART ONE", "~~~", "...",
              "It was a long, long day and nobody in the village could remember a longer one."]
    rng = random.Random(7)
    for _ in range(150):
        text = "\n".join(rng.choice(pieces) for _ in range(rng.randint(1, 40)))
        if not text.strip():
            continue
        story = _struct(text)
        assert 0 <= story.body_start <= story.body_end <= len(text)
        for n in story.notes:
            assert text[n.start:n.end] == n.text and n.start < n.end
        assert story.chapters and story.chapters[0].start <= story.body_start + 1
        for prev, cur in zip(story.chapters, story.chapters[1:]):
            assert prev.end <= cur.start
        for p, q in zip(story.paragraphs, story.paragraphs[1:]):
            assert p.end <= q.start
        for sc in story.scenes:
            assert story.body_start <= sc.start <= sc.end <= story.body_end
            assert 0 <= sc.chapter < len(story.chapters)


def test_xxx_is_a_scene_break_unless_it_is_chapter_thirty():
    story = _struct("Night Watch\n\nOne.\n\nXXX\n\nTwo.\n\nXXX\n\nThree.\n")
    assert _scene_texts(story) == ["One.", "Two.", "Three."] and len(story.chapters) == 1
    novel = "\n\n".join(f"{numeral}\n\nThe story went on for a while in chapter {numeral.lower()}, as stories do."
                        for numeral in ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII",
                                        "XIII", "XIV", "XV", "XVI", "XVII", "XVIII", "XIX", "XX", "XXI", "XXII",
                                        "XXIII", "XXIV", "XXV", "XXVI", "XXVII", "XXVIII", "XXIX", "XXX", "XXXI"])
    story = _struct(novel)
    assert len(story.chapters) == 31 and story.chapters[29].title == "XXX"


def test_sections_numbered_inside_labelled_chapters_are_scenes():
    text = ("CHAPTER I\nTHE HOUSE\n\n[I]\n\nThey arrived at noon.\n\n[II]\n\nBy night it rained.\n\n"
            "CHAPTER II\nTHE ROAD\n\n[I]\n\nMorning.\n\n[II]\n\nEvening.\n")
    story = _struct(text)
    assert [c.title for c in story.chapters] == ["THE HOUSE", "THE ROAD"]
    assert _scene_texts(story) == ["They arrived at noon.", "By night it rained.", "Morning.", "Evening."]


def test_fanficfare_txt_chapters_come_from_its_table_of_contents():
    story = structure(read(FIXTURES / "fanficfare_story.txt"))
    assert story.title == "The Paper Crane" and story.meta["author"] == "Mizuhara Rei"
    assert story.meta["character_tags"] == ["Haruto T.", "Aiko S."]
    assert story.meta["contents"] == ["Folding", "Counting"]
    assert [c.title for c in story.chapters] == ["Folding", "Counting"]
    assert [n.kind for n in story.notes] == ["summary"]
    body = story.text[story.body_start:story.body_end]
    assert body.startswith("Folding") and body.endswith('Haruto begged.')     # "End file." is not story
    assert len(story.scenes) == 3


def test_gutenberg_contents_list_is_front_matter():
    text = ("Alice's Adventures in Wonderland\n\nby Lewis Carroll\n\n\nContents\n\n"
            " CHAPTER I.     Down the Rabbit-Hole\n CHAPTER II.    The Pool of Tears\n"
            " CHAPTER III.   A Caucus-Race and a Long Tale\n\n\n\n\n"
            "CHAPTER I.\nDown the Rabbit-Hole\n\n\nAlice was beginning to get very tired of sitting by her sister\n"
            "on the bank, and of having nothing to do.\n\n"
            "CHAPTER II.\nThe Pool of Tears\n\n\n\u201cCuriouser and curiouser!\u201d cried Alice.\n\n"
            "CHAPTER III.\nA Caucus-Race and a Long Tale\n\n\nThey were indeed a queer-looking party.\n")
    story = _struct(text)
    assert story.title == "Alice's Adventures in Wonderland"
    assert [c.title for c in story.chapters] == ["Down the Rabbit-Hole", "The Pool of Tears",
                                                "A Caucus-Race and a Long Tale"]
    assert story.text[story.body_start:].startswith("CHAPTER I.\nDown the Rabbit-Hole\n\n\nAlice")
    assert len(story.meta["contents"]) == 3


def test_an_author_note_in_the_middle_of_a_one_chapter_story():
    text = ("Small Hours\n\nThe clock struck three.\n\n\"Still awake?\" Pip asked.\n\n"
            "(A/N: sorry, I know this bit is slow! It picks up soon.)\n\n"
            "\"Always,\" said Moss.\n\nNote the clock, she thought; it was wrong.\n")
    story = _struct(text)
    inline = [n for n in story.notes if n.position == "inline"]
    assert [n.text for n in inline] == ["(A/N: sorry, I know this bit is slow! It picks up soon.)"]
    assert all(not n.text.startswith("Note the clock") for n in story.notes)
    assert len(story.scenes) == 1     # a note inside a scene does not split it


def test_inline_note_before_a_heading_does_not_swallow_the_dialogue_after_it():
    import quoth
    text = ('Chapter 1\n\n"Hello," said Anna.\n\nA/N: sorry this chapter is short!\n\n'
            '"Finally," said Ben.\n\n"Told you," Anna said.\n\nChapter 2\n\n"Again," said Ben.\n')
    story = quoth.analyze(text)
    assert [n.text for n in story.notes] == ["A/N: sorry this chapter is short!"]
    assert [q.text for q in story.quotes] == ["Hello,", "Finally,", "Told you,", "Again,"]
