"""Cast recall: every speaking character found, with the names the story uses for them.

Fixtures are short fan-fiction-style scenes written for these tests.
"""
from pathlib import Path

import quoth

SAMPLE = Path(quoth.__file__).parent / "samples" / "the_lantern_keeper.txt"


def _cast(story):
    return {c.name: c for c in story.characters}


def _owner(story, alias):
    """The one character listing `alias`, or None."""
    owners = [c for c in story.characters if alias in c.aliases]
    assert len(owners) <= 1, [c.name for c in owners]
    return owners[0] if owners else None


def test_lantern_keeper_epithet_and_pet_name_join_their_characters():
    story = quoth.analyze(SAMPLE)
    hatch = _owner(story, "Captain Elias Hatch")
    # "the old sailor" answers the harbourmaster in a scene that named one other man: Hatch
    assert _owner(story, "the old sailor") is hatch
    assert not any(c.name == "the old sailor" for c in story.characters)
    # the quotes the old sailor spoke are Hatch's
    assert any(q.speaker_id == hatch.id and q.text.startswith("My son is on that ship") for q in story.quotes)
    # "Toby" is said to Tobias: a pet form of his given name
    assert _owner(story, "Toby") is _owner(story, "Tobias")
    assert len(story.characters) == 4


TWO_VOICES = b"""Chapter 1

The common room was empty except for Sirius Black, who was asleep on the sofa with a book over his face.

"Padfoot," Remus said, nudging him. "You missed dinner."

Sirius groaned. "I wasn't hungry."

Down by the lake, Harry Potter was skipping stones with Hermione Granger.

"You'll not win this one," said Hermione. "I've been practising."

"I won't lose either," the Boy Who Lived grinned. "Watch."

"That sank, Harry."
"""


def test_an_epithet_that_answers_the_only_voice_joins_the_one_other_named_person():
    story = quoth.analyze(TWO_VOICES)
    harry = _owner(story, "Harry Potter")
    assert harry is not None
    lived = [q for q in story.quotes if q.text.startswith("I won't lose")]
    assert lived and lived[0].speaker_id == harry.id


NEW_PERSON = b"""Chapter 1

Ron Weasley was arguing with the porter at the gate of the station.

"You can't bring that owl on the train," said the porter. "Rules."

A stout man with a trolley pushed past them.

"Out of the way, lads," the stout man said. "Some of us have trains to catch."

"Sorry," Ron muttered.
"""


def test_a_description_introduced_as_someone_new_stays_its_own_character():
    story = quoth.analyze(NEW_PERSON)
    stout = _owner(story, "the stout man")
    ron = _owner(story, "Ron Weasley")
    assert stout is not None and stout is not ron


PUP = b"""Chapter 1

Harry Potter sat on the steps of Grimmauld Place. Sirius Black came out with two mugs of cocoa.

"Budge up, Pup," said Sirius.

Harry moved over. "Thanks."

"Drink it while it's hot, Pup," Sirius said. "Molly will have my head if you catch a cold."

"I won't catch a cold," Harry said.

"You will if you sit out here all night, Pup."

Harry laughed and drank his cocoa. Sirius watched the street.
"""


def test_a_pet_name_said_to_one_character_becomes_his_alias():
    story = quoth.analyze(PUP)
    harry = _owner(story, "Harry Potter")
    assert harry is not None and "Pup" in harry.aliases
    assert "Pup" not in _owner(story, "Sirius Black").aliases
    assert harry.alias_counts["Pup"] == 3
