"""Mention detection: names with titles and honorifics, pronouns, person nouns, vocatives, no phantoms."""
from pathlib import Path

from quoth.mentions import mentions
from quoth.quotes import quotes
from quoth.read import read
from quoth.structure import structure

FIXTURES = Path(__file__).parent / "fixtures"


def _mentions(name):
    story = mentions(quotes(structure(read(FIXTURES / name))))
    return story, story.mentions


def test_names_keep_titles_and_full_names():
    story, ms = _mentions("cast_academy.txt")
    names = {m.text for m in ms if m.kind == "name"}
    assert {"Corvin Ashgrove", "Mr. Thorne", "Elizabeth Thorne", "Margaret Thorne", "Lizzy"} <= names


def test_no_phantom_names():
    story, ms = _mentions("cast_academy.txt")
    names = {m.text for m in ms if m.kind in ("name", "vocative")}
    for phantom in ("He'd", "He", "Everyone", "Nobody", "Oh", "Wednesday", "September", "Chapter", "The"):
        assert phantom not in names
    # every name mention is exactly the text at its offsets
    assert all(story.text[m.start:m.end] == m.text for m in ms)


def test_honorifics_stay_on_the_name():
    story, ms = _mentions("cast_rain.txt")
    names = {m.text for m in ms if m.kind in ("name", "vocative")}
    assert {"Kaito-kun", "Hayashi-sensei", "Mira-chan", "Hayashi Kaito"} <= names


def test_vocatives_are_names_said_to_someone():
    story, ms = _mentions("cast_academy.txt")
    voc = [m for m in ms if m.kind == "vocative"]
    assert {"Pup", "Meg", "Ashgrove"} <= {m.text for m in voc}
    assert all(m.in_quote is not None for m in voc)
    # a name inside a quote that is not an address stays a plain name
    assert any(m.text == "Millbrook" and m.kind == "name" for m in ms)


def test_person_nouns_and_pronouns():
    story, ms = _mentions("cast_academy.txt")
    nominals = {m.text for m in ms if m.kind == "nominal"}
    assert {"The blond", "the Ashgrove heir", "his daughter"} <= nominals
    pron = [m for m in ms if m.kind == "pronoun"]
    assert {m.gender for m in pron} >= {"M", "F", "I"}
    assert all(m.text.lower() != "the" for m in pron)


def test_titles_particles_and_speech_tag_descriptions():
    story, ms = _mentions("cast_ferry.txt")
    names = {m.text for m in ms if m.kind in ("name", "vocative")}
    assert {"Mrs. de Vere", "Reggie St Clair", "Lady St Clair"} <= names      # a title before a particle
    nominals = {m.text for m in ms if m.kind == "nominal"}
    assert "the man in the grey coat" in nominals      # a tag's description keeps its phrase
    assert not any(n.startswith("the boy ") for n in nominals)     # "said the boy firmly": no adverb


def _mentions_of(text: bytes):
    story = mentions(quotes(structure(read(text))))
    return story.mentions


def test_introductions_callings_and_a_name_opening_a_quote():
    ms = _mentions_of(b"""Chapter 1

A stout man with a trolley pushed past the ticket barrier. The porter frowned at him.

"Mind the owl cage," called the cabman, leaning out of his window.

"Martha, fetch the guard," said the stout man. "And be quick."

The wooer said nothing, and the shopkeeper shrugged.
""")
    kinds = {m.text: m.kind for m in ms}
    # "a stout man" marks someone coming in; "the stout man" is a description
    assert kinds["A stout man"] == "new" and kinds["the stout man"] == "nominal"
    # "said the cabman" once: a calling, so a person noun in this story
    assert kinds["the cabman"] == "nominal"
    # an -er word in one tag is no person noun on its own ("the wooer" is mostly an epithet)
    assert "The wooer" not in kinds
    # a name opening a quote before a comma, never written in lowercase, is a vocative
    assert kinds["Martha"] == "vocative"


RUNS = """\
The letter was signed Randolph C. Miller, and under it, in a rounder hand, Mr. E. W. B. Childers.

"Alfred   Alfred   come back!" cried Mrs. Penhallow from the stairs.

After the sermon Anne Mrs. Lynde came out of the vestry, and Mr. Lawrence Mr. John followed her.
Plan B. Harriet said nothing, and M. Riviere bowed to them both.
"""


def _run_names(text):
    story = mentions(quotes(structure(read(text.encode()))))
    return [m.text for m in story.mentions if m.kind in ("name", "vocative")]


def test_initials_stay_inside_a_name():
    names = _run_names(RUNS)
    assert "Randolph C. Miller" in names and "Mr. E. W. B. Childers" in names
    assert "M. Riviere" in names            # the French title, not an initial
    assert not any(n.startswith("B.") or n == "B" for n in names)   # "Plan B." begins no name


def test_a_title_or_a_repeated_word_begins_another_name():
    names = _run_names(RUNS)
    assert names.count("Alfred") == 2 and "Alfred Alfred" not in names     # a dash lost between them
    assert "Mrs. Lynde" in names and not any("Anne Mrs" in n for n in names)
    assert "Mr. Lawrence" in names and "Mr. John" in names


MAY = """\
Newland Archer watched May Welland across the ballroom. The music stopped, and he went to her.

"You are late," said May. She did not look cross.

May I have this dance? he wanted to say, but Mrs. Welland was already beside them. Newland bowed
to May Welland and her mother, and May smiled at him over her fan. It was May's first season; in May
her family had come up from the country.

"Oh, May, do stand up straight," said Mrs. Welland. Will you come to dinner on Sunday, Mr. Archer?
"""


def test_a_month_that_is_a_given_name_in_this_story():
    story = mentions(quotes(structure(read(MAY.encode()))))
    names = [(m.text, m.kind) for m in story.mentions if m.kind in ("name", "vocative")]
    assert names.count(("May Welland", "name")) == 2
    assert ("May", "vocative") in names                       # "Oh, May, do stand up"
    may = [m for m in story.mentions if m.text == "May"]
    assert any(story.text[m.start - 5:m.start] == "said " for m in may)
    assert story.text.index("May I have") not in {m.start for m in may}      # the verb, not the girl
    assert not any(story.text[m.start - 3:m.start] == "in " for m in may)     # "in May": the month
    assert not any(m.text == "Will" for m in story.mentions)  # "Will you come": no Will in this story


def test_a_participle_in_a_speech_tag_is_no_person_noun():
    from quoth.mentions import speaker_nouns
    text = ('"Who are you?" the person addressed replied.\n\n"Nobody," the person addressed said.\n\n'
            '"Tickets," said the conductor.\n\n"Here," said the conductor.\n')
    story = quotes(structure(read(text.encode())))
    nouns = speaker_nouns(story)
    assert "conductor" in nouns and "addressed" not in nouns


HEADING = """\
Chapter Four: Mr. Ellis, Miss Clara Whitby Rides Out to the Fair

Clara rides every morning before breakfast. She rides along the lane, and Mr. Ellis rides with her
when the weather allows; he rides badly, and the groom says so.

"You ride like a sack of meal," said Clara Whitby.
"""


def test_a_title_case_heading_word_ends_a_full_name():
    names = _run_names(HEADING)
    # "Rides" is written in lowercase everywhere else: no part of Clara's name
    assert "Miss Clara Whitby" in names
    assert not any("Rides" in n for n in names)
    assert "Clara Whitby" in names


SURGEON = """\
The Civil Surgeon came late to the club. He was civil to everyone, civil to the servants and civil
even to the new Assistant, whom nobody else was civil to. "Sit down," said the Civil Surgeon.

The Assistant sat. He had been warned that the Civil Surgeon disliked civil questions and liked
uncivil answers, so he said nothing at all, which was the most civil thing he could think of.
"""


def test_a_word_capitalised_only_before_one_other_is_part_of_the_name():
    names = _run_names(SURGEON)
    # "Civil" is mostly lowercase here, but capitalised it always comes before "Surgeon"
    assert names.count("Civil Surgeon") == 3
    assert "Surgeon" not in names


COUNCIL = """\
The council met on Sunday, as it always did. Sunday himself sat at the head of the table.

"We begin," said Sunday. Nobody moved. "The vote," said Sunday again, and the Secretary rose.

"Next Sunday, then," said the Secretary, and Sunday laughed till the table shook.
"As you like," said Sunday. Every Sunday the same thing happened.
"""


def test_a_weekday_that_speaks_in_tags_is_a_name():
    names = _run_names(COUNCIL)
    # three "said Sunday" tags: a code name (mid-sentence); "on Sunday", "Next Sunday", "Every Sunday"
    # are days
    assert names.count("Sunday") == 4
    story = mentions(quotes(structure(read(COUNCIL.encode()))))
    days = [m for m in story.mentions if m.text == "Sunday"]
    assert all(COUNCIL[m.start - 3:m.start] not in ("on ", "xt ", "ry ") for m in days)


def test_a_rank_before_a_full_name_belongs_to_the_name_not_a_description():
    text = ('Among the officers was the gallant Captain Frederick Hartley, in the moment of his triumph.\n\n'
            '"Frederick will come to dinner," said Eleanor. "That Captain is always hungry."\n')
    names = _run_names(text)
    assert "Captain Frederick Hartley" in names
    story = mentions(quotes(structure(read(text.encode()))))
    # "the gallant Captain" is no description of its own here; "That Captain" still is
    nominals = [m.text for m in story.mentions if m.kind == "nominal"]
    assert "the gallant Captain" not in nominals and "That Captain" in nominals
