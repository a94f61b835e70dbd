"""Quote detection: marks, apostrophes, nesting, paragraphs, recovery, offsets."""
from __future__ import annotations

import random

import pytest

import quoth
from quoth.quotes import find_quotes, paragraph_blocks, scan_block, uses_single_quotes
from quoth.story import Note, Story

from shared_paths import PDNC  # noqa: E402


def texts(text: str, **kw) -> list[str]:
    story = Story(text, **kw)
    found = find_quotes(story)
    for q in found:
        assert story.text[q.start:q.end] == q.text
    return [q.text for q in found]


FANFIC = """\
Harry stared at the door. "D-don't," he whispered. "Please don't go."
"I—I can't—" Draco's voice cracked. "W-wait... what did you say?"
"Nothing," Harry said quickly. "Nothing at all... just—"
"Just what?"
Ron burst in. "Mate, you won't believe this. Hermione's gone and—"
"—and I've found the book," Hermione finished, breathless.
"""


def test_fanfic_stutters_dashes_ellipses_and_interruptions():
    assert texts(FANFIC) == [
        "D-don't,", "Please don't go.",
        "I—I can't—", "W-wait... what did you say?",
        "Nothing,", "Nothing at all... just—",
        "Just what?",
        "Mate, you won't believe this. Hermione's gone and—",
        "—and I've found the book,",
    ]


def test_curly_double_quotes_and_typo_closer():
    text = ("\u201cYou came back,\u201d she said. \u201cI didn\u2019t think you would.\u201d\n"
            "\u201cOf course,\u201c he said, smiling.\n")
    assert texts(text) == ["You came back,", "I didn\u2019t think you would.", "Of course,"]


BRITISH = """\
\u2018I don\u2019t know what you mean,\u2019 said Tom. \u2018It\u2019s only the boys\u2019 cricket bats.\u2019

\u2018Well, \u2019cause it\u2019s nearly eight o\u2019clock, that\u2019s why,\u2019 his mother said. \u2018Give \u2019em here.\u2019

Tom shrugged. \u2018Nothin\u2019 wrong with bein\u2019 late, tho\u2019.\u2019

\u2018Is that so?\u2019 She didn\u2019t look up. \u2018We\u2019ll see what your father says.\u2019
"""


def test_single_quote_dialogue_is_told_from_apostrophes():
    assert uses_single_quotes(BRITISH, 0, len(BRITISH))
    assert texts(BRITISH) == [
        "I don\u2019t know what you mean,", "It\u2019s only the boys\u2019 cricket bats.",
        "Well, \u2019cause it\u2019s nearly eight o\u2019clock, that\u2019s why,", "Give \u2019em here.",
        "Nothin\u2019 wrong with bein\u2019 late, tho\u2019.",
        "Is that so?", "We\u2019ll see what your father says.",
    ]


def test_straight_single_quote_dialogue():
    text = ("'Don't be daft,' said Jim. 'The lads' boots are in the shed.'\n\n"
            "'Are they?' asked Sal. 'I thought you'd moved 'em.'\n\n"
            "'Not me,' he said.\n")
    assert texts(text) == ["Don't be daft,", "The lads' boots are in the shed.", "Are they?",
                           "I thought you'd moved 'em.", "Not me,"]


def test_double_quote_story_ignores_apostrophes():
    text = ('"It\'s the boys\' fault," said Ma. "Tell \'em I said so."\n'
            "He didn't answer. The dog's bowl was empty.\n")
    assert not uses_single_quotes(text, 0, len(text))
    assert texts(text) == ["It's the boys' fault,", "Tell 'em I said so."]


def test_nested_quotes_stay_in_the_outer_quote():
    text = '"Then she said, \'Leave me alone,\' and walked out," Tom told them.\n'
    assert texts(text) == ["Then she said, 'Leave me alone,' and walked out,"]
    british = "\u2018He shouted \u201cFire!\u201d and ran,\u2019 she said.\n\u2018Really?\u2019\n\u2018Yes.\u2019\n"
    assert texts(british) == ["He shouted \u201cFire!\u201d and ran,", "Really?", "Yes."]


def test_nested_split_option_keeps_only_the_outer_words():
    text = '"Then she said, \'Leave me alone,\' and walked out," Tom told them.'
    spans = scan_block(text, 0, len(text), single_dialogue=False, nested="split")
    assert [text[s:e] for s, e, _ in spans] == ["Then she said,", "and walked out,"]


HARD_WRAPPED = """\
Mr. Ashby laid down his pen and looked across the table at his
daughter. "You will find, my dear, that the world is not so kind
as your books have led you to believe.

"It never was. It never will be. And you had best learn it now,
while I am here to soften the lesson."

She made no answer for a while; then she said, "I have learned
it already, Papa."
"""


def test_hard_wrapped_paragraphs_and_multi_paragraph_speech():
    assert texts(HARD_WRAPPED) == [
        "You will find, my dear, that the world is not so kind\nas your books have led you to believe.",
        "It never was. It never will be. And you had best learn it now,\nwhile I am here to soften the lesson.",
        "I have learned\nit already, Papa.",
    ]


def test_paragraph_blocks_follow_the_layout():
    assert len(paragraph_blocks(HARD_WRAPPED, 0, len(HARD_WRAPPED))) == 3
    assert len(paragraph_blocks(FANFIC, 0, len(FANFIC))) == 6


def test_guillemets_and_corner_brackets():
    french = "« Tu viens ? » demanda-t-elle. « Oui, j'arrive. »\n"
    assert texts(french) == ["Tu viens ?", "Oui, j'arrive."]
    german = "»Kommst du?«, fragte sie. »Ja.«\n"
    assert texts(german) == ["Kommst du?", "Ja."]
    japanese = "「行きましょう」と彼女は言った。「『待って』と言ったのに」\n"
    assert texts(japanese) == ["行きましょう", "『待って』と言ったのに"]


def test_unbalanced_mark_recovers_at_paragraph_end():
    text = ('"Where are you going? she asked.\n'
            'He did not turn around.\n'
            '"Home," he said. "Where else?"\n')
    assert texts(text) == ["Where are you going? she asked.", "Home,", "Where else?"]
    wrapped = ('"This quote never closes, and it runs\nover a wrapped line.\n\n'
               'Plain narration follows here.\n\n"Fine," said Ann.\n')
    assert texts(wrapped) == ["This quote never closes, and it runs\nover a wrapped line.", "Fine,"]


def test_stray_closing_mark_opens_nothing():
    text = 'He was six foot two" tall and proud of it. "Really?" she asked.\n'
    assert texts(text) == ["Really?"]


def test_scare_quotes_and_titles_are_not_dialogue():
    text = ('The so-called "experts" had left. She was reading "Middlemarch" again.\n'
            'When he asked, she said "no" and walked away.\n'
            'He called it a "disaster!" and laughed.\n')
    assert texts(text) == ["no", "disaster!"]
    passive = ('It was thought "very English" to have a country house lent to one.\n'
               '"Nonsense," he thought "utter nonsense," and turned away.\n')
    assert texts(passive) == ["Nonsense,", "utter nonsense,"]


def test_only_the_story_body_is_searched():
    note = 'A/N: thanks for the reviews! "You rock," as my beta says.\n\n'
    body = '"Hello," said Ginny.\n'
    story = Story(note + body, body_start=len(note))
    assert [q.text for q in find_quotes(story)] == ["Hello,"]


def test_pipeline_fills_paragraph_scene_chapter():
    story = quoth.analyze(FANFIC)
    assert [q.i for q in story.quotes] == list(range(len(story.quotes)))
    for q in story.quotes:
        assert story.text[q.start:q.end] == q.text
        p = story.paragraphs[q.paragraph]
        assert p.start <= q.start and q.end <= p.end
        assert q.chapter >= 0 and q.scene >= 0
    assert story.quotes[0].open_mark == '"'


def test_offsets_hold_on_noisy_text():
    rng = random.Random(7)
    pieces = ['"', "'", "\u201c", "\u201d", "\u2018", "\u2019", "\u00ab", "\u00bb", "\u300c", "\u300d",
              " ", "\n", "\n\n", "word", "don't", "--", "\u2014", "...", ",", ".", "?", "A"]
    for _ in range(200):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 80)))
        story = Story(text)
        for q in find_quotes(story):
            assert 0 <= q.start < q.end <= len(text)
            assert text[q.start:q.end] == q.text


@pytest.mark.skipif(not PDNC.is_dir(), reason="PDNC data not available")
@pytest.mark.parametrize("novel,floor", [("OliverTwist", 0.985), ("PrideAndPrejudice", 0.97)])
def test_pdnc_quote_f1_floor(novel, floor):
    from quoth.evaluate import load_pdnc, match_quotes

    gold = load_pdnc(PDNC / novel)
    found = find_quotes(Story(gold.text))
    pairs = match_quotes(gold.text, [(q["start"], q["end"]) for q in gold.quotes],
                         [(q.start, q.end) for q in found])
    p, r = len(pairs) / len(found), len(pairs) / len(gold.quotes)
    assert 2 * p * r / (p + r) >= floor


def test_a_short_story_with_one_single_quoted_speech():
    assert texts("\u2018Morning,\u2019 said Tom, and didn\u2019t stop.\n") == ["Morning,"]


def test_many_quotes_in_one_huge_paragraph():
    text = '"Hi," he said. "Go now." The boys\' dog ran. ' * 20000
    found = texts(text)
    assert len(found) == 40000 and found[:2] == ["Hi,", "Go now."]


def test_pipeline_on_a_hard_wrapped_text_keeps_wrapped_quotes_whole():
    story = quoth.analyze("The Ashby Letters\n\n" + HARD_WRAPPED)
    assert [q.text for q in story.quotes] == texts(HARD_WRAPPED)
    assert len({q.paragraph for q in story.quotes}) == 3


class CopyCountingText(str):
    """A story text that counts the characters its slices copy: a stage that
    reads back to a paragraph's start for every mark copies O(n²) of them."""
    copied = 0

    def __getitem__(self, key):
        got = str.__getitem__(self, key)
        CopyCountingText.copied += len(got)
        return got


def test_one_line_story_is_read_in_linear_time():
    # A whole novel on one line (a bad export): dialogue, scare quotes, stray
    # marks, apostrophes, nested quotes and an unclosed quote, ~200 KB.
    rng = random.Random(3)
    pieces = ['"Hello there," she said.', "He didn't know.", 'the so-called "experts" said',
              'six foot two" tall', '"I—I can\'t—" he began.', "\u201cWell,\u201c said Tom,",
              '"Mother kept saying "don\'t" all day."', "the boys' dog", "a stray ' mark",
              "\u2018Come here,\u2019 she said.", "and then narration ran on for a while."]
    body = " ".join(rng.choice(pieces) for _ in range(8000))
    text = CopyCountingText(body + ' "And this one never closes')
    CopyCountingText.copied = 0
    story = Story(text)
    found = find_quotes(story)
    # Each quote may look a bounded way around itself; reading back to the
    # paragraph's start for each one copied ~1,900 times the text here.
    assert CopyCountingText.copied < 10 * len(text)
    assert len(found) > 1500 and found[-1].text == "And this one never closes"


INLINE_NOTE_FIC = """\
Title: The Long Way Round
Author: inkwell_owl
Fandom: Harry Potter
Rating: T

Chapter 1: Platform Nine

Harry dragged his trunk across the platform. "Are you coming or not?" he called.

"Keep your hair on," Ron said. "The train's not leaving for ages."

A/N: Sorry for the wait, everyone! My beta told me, "Just post it already!" so here it is. Also "Hogsmeade" is next.

The compartment was empty. "Finally," Hermione said, dropping into a seat.

"Told you," said Ron. He pressed his nose to the glass.

Outside, the guard blew his whistle and the train lurched forward.

Nobody spoke for a long time. Then Harry laughed. "We actually made it."

Chapter 2: The Letter

Neville knocked on the door. "Has anyone seen Trevor?"
"""


def test_quotes_in_an_inline_authors_note_are_skipped():
    story = quoth.analyze(INLINE_NOTE_FIC)
    assert any(n.position == "inline" and n.text.startswith("A/N:") for n in story.notes)
    assert [q.text for q in story.quotes] == [
        "Are you coming or not?", "Keep your hair on,", "The train's not leaving for ages.",
        "Finally,", "Told you,", "We actually made it.", "Has anyone seen Trevor?"]


def test_note_spans_cut_out_of_paragraphs():
    # A note that covers part of a paragraph (an HTML reader's chapter notes
    # block) and one that covers several: only the text outside them is read.
    text = ('"Run," she said. Notes: "this is the author talking" ok. "Now!" he cried.\n'
            'Notes: my "beta" says "hi there, readers, thank you so much".\n'
            '"Hello?" called Ann.\n')
    s1 = text.index("Notes:")
    e1 = text.index(" \"Now!")
    s2 = text.index("Notes: my")
    e2 = text.index('"Hello?"') - 1
    story = Story(text, notes=[Note("notes", "inline", s1, e1, ""), Note("notes", "inline", s2, e2, "")])
    assert [q.text for q in find_quotes(story)] == ["Run,", "Now!", "Hello?"]



LETTER_NOVEL = """\
Mr. Ashby came in with the post. "There is a letter for you, my dear," he
said, "from your aunt."

Anne broke the seal, and read as follows:

"My dear niece, I write in haste. The roads are bad and the coach is late,
but I shall be with you on Thursday, if the weather holds.

"Your affectionate aunt."

"Well?" said her father. "What does she say?"

"She is coming on Thursday," said Anne. The notice in the window of the
inn said "ROOMS TO LET" in letters a foot high.

"Thursday!" he cried. "Then we must air the blue room."

"I am very glad of it," she wrote to her cousin that evening, "for the
house is dull without company."
"""


def test_a_letter_read_out_is_not_dialogue():
    assert texts(LETTER_NOVEL) == [
        "There is a letter for you, my dear,", "from your aunt.",
        "Well?", "What does she say?",
        "She is coming on Thursday,",
        "Thursday!", "Then we must air the blue room.",
    ]


BLOCK_QUOTED = """\
The rain had not stopped since morning, and the lane was a river of mud.

Tom sat by the window with his boots off and watched it.

Nell came in from the scullery, wiping her hands on her apron.

"Listen to this," said Tom, and he took the card from the mantel.

     "Dearest Tom, the garden is all in flower and the bees
     are at the lavender. Come soon. Your loving Meg."

"She always writes like that," said Nell. "Every single week."

Tom laughed and put the card back.

The kettle began to sing on the hob.

Neither of them moved to take it off.

At last Nell sighed and went to see to it herself.

"I'll go on Sunday," said Tom.
"""


def test_an_indented_block_is_a_block_quotation():
    assert texts(BLOCK_QUOTED) == ["Listen to this,", "She always writes like that,", "Every single week.",
                                   "I'll go on Sunday,"]
    # Indents are measured from the story's usual one: every paragraph
    # indented by four, the card by nine.
    indented_story = "\n\n".join("    " + p for p in BLOCK_QUOTED.split("\n\n"))
    assert len(texts(indented_story)) == 4
    # A story that indents its dialogue (many paragraphs) says nothing by indenting.
    dialogue_indented = "\n\n".join("      " + p if p.lstrip().startswith('"') else p
                                     for p in BLOCK_QUOTED.split("\n\n"))
    assert len(texts(dialogue_indented)) == 5


FANFIC_SHOUTING = """\
"GET OUT," Harry yelled. "GET OUT OF MY HOUSE!"
"Dear Merlin," Hermione breathed, "what did you do to him?"
Ron read the note aloud. "Meet me at the Three Broomsticks. Come alone."
"I WON'T," said Draco.
"""


def test_fan_fiction_shouting_and_exclamations_stay_dialogue():
    assert texts(FANFIC_SHOUTING) == [
        "GET OUT,", "GET OUT OF MY HOUSE!", "Dear Merlin,", "what did you do to him?",
        "Meet me at the Three Broomsticks. Come alone.", "I WON'T,",
    ]


def test_words_not_spoken_are_not_dialogue():
    text = ('Ginny stood in the doorway. She nearly said, "Don\'t go." But she did not.\n'
            'Harry looked back once, and his look said: "I have to."\n'
            'She wanted to say, "Then take me with you," and could not.\n'
            '"Be careful," she said at last. "Please."\n')
    assert texts(text) == ["Be careful,", "Please."]


def test_speech_after_a_letter_is_handled_is_dialogue():
    text = ('Harry folded the letter from Sirius and said to Ron:\n\n'
            '"He wants to meet us in Hogsmeade."\n\n'
            'Hermione made a note of it and asked:\n\n'
            '"When?"\n')
    assert texts(text) == ["He wants to meet us in Hogsmeade.", "When?"]


def test_speech_only_imagined_or_meant_is_not_dialogue():
    text = ('"You look tired," said Mrs. Weston.\n\n'
            'It was on the tip of his tongue to reply: "Whose fault is that?" But he held it back.\n\n'
            'He felt like answering: "I have not slept since Tuesday;" instead he smiled.\n\n'
            '"Nothing is the matter," he felt like saying, and did not.\n\n'
            'She gave him a glance which plainly meant, "Not in front of the servants."\n\n'
            '"Then I shall go up," he said at last, "and leave you to it."\n')
    assert texts(text) == ["You look tired,", "Then I shall go up,", "and leave you to it."]


def test_a_letter_opening_with_a_set_off_salutation_is_not_dialogue():
    text = ('The owl dropped a letter on the table, and Harry unrolled it.\n\n'
            '"Dear Harry,\u2014I hope the Dursleys are feeding you. Buckbeak sends his regards. Write soon."\n\n'
            '"My dear Anne,--I make no apology for my silence, for there is nothing to tell."\n\n'
            '"Dear Merlin, it\'s from Sirius," said Ron. "Dear me, what does he want?"\n')
    assert texts(text) == ["Dear Merlin, it's from Sirius,", "Dear me, what does he want?"]


LETTER_BY_PARAGRAPHS = """\
The post came at nine, and Molly opened her aunt's letter and read as follows. \
It had been sent on from the farm.

"Hollins Lane, March."

"Dearest Molly,"

"The roof is mended at last, and the hens are laying again."

"Believe me,"

"Your loving aunt,"

"Jane."

"She says nothing of the money," said Molly.

"Of course she doesn't," said her brother. "She never does."
"""


def test_a_letter_quoted_paragraph_by_paragraph_is_written_up_to_its_signature():
    assert texts(LETTER_BY_PARAGRAPHS) == ["She says nothing of the money,", "Of course she doesn't,",
                                           "She never does."]
    # The letter's opening unrecognised, its sign-off and signature are still written.
    ending = ('"I must stop now, for the post goes at four."\n\n"Yours devotedly,"\n\n"Anne"\n\n'
              '"Your father was a member," said Tony.\n')
    assert texts(ending) == ["I must stop now, for the post goes at four.", "Your father was a member,"]


def test_songs_titles_and_named_words_are_not_dialogue():
    text = ('Anne was shelling peas and singing, "Nelly of the Hazel Dell" with great vigour.\n\n'
            'Over the bed hung a print entitled, "The Light of the World".\n\n'
            '"Rosebank" was the name of the cottage, and "Advise" was his word for an order.\n\n'
            '"Is that the Rosebank cottage?" asked Diana.\n\n'
            '"It is," said Anne, "and I was singing for it."\n')
    assert texts(text) == ["Is that the Rosebank cottage?", "It is,", "and I was singing for it."]


VERSE_IN_A_WRAPPED_NOVEL = """\
The Mock Turtle sighed deeply, and began, in a voice sometimes choked
with sobs, to sing to them of the sea and of the things that live in it:

"Beautiful Soup, so rich and green,
Waiting in a hot tureen!
Who for such dainties would not stoop?"

"Thank you, it's a very interesting song," said Alice, who felt that
she ought to say something, "though I think it goes on rather too long
for a Lobster Quadrille, and I should like to hear another now."
"""


def test_verse_set_out_line_by_line_is_not_dialogue_but_wrapped_speech_is():
    assert texts(VERSE_IN_A_WRAPPED_NOVEL) == [
        "Thank you, it's a very interesting song,",
        "though I think it goes on rather too long\nfor a Lobster Quadrille, and I should like to hear another now."]


def test_stage_directions_in_brackets_are_cut_out_of_the_speech():
    text = ('Gregory rose. "Comrades, I am not a curate (loud cheers), and I will not be silent (hear, hear)."\n\n'
            '"Well, you know best (laughing affectedly). I shall say nothing."\n\n'
            '"The house (as you know) is let," said Mr. Shepherd.\n')
    assert texts(text) == ["Comrades, I am not a curate", "and I will not be silent",
                           "Well, you know best", "I shall say nothing.",
                           "The house (as you know) is let,"]


def test_short_utterances_inside_narration_are_kept_and_terms_still_dropped():
    text = ('"Has the doctor left no message?" asked Mr. Pell.\n\n'
            'The porter returned an indifferent "No." Mr. Pell went back to the cab.\n\n'
            'She knocked twice, and a sharp "Come in" answered her from the study.\n\n'
            'He would not talk of the children; he only gave brief answers of "Yes, yes," and went on '
            'about the election.\n\n'
            'The vicar called himself a so-called "liberal" and voted with the squire.\n\n'
            'He had answered with a "Yes," at every question, and with a calm "Yes" to the last.\n\n'
            'When the curate recited "How the Miller Lost His Hat" the children laughed.\n')
    assert texts(text) == ["Has the doctor left no message?", "No.", "Come in", "Yes, yes,"]


def test_a_speech_taken_up_after_a_gesture_or_a_tag_without_a_comma():
    text = ('"I could have sworn it was locked" he looked at the clock "twenty minutes ago."\n\n'
            '"Come here," said Mrs. Pell "You had better."\n\n'
            'The lists were "dull" and "tedious" to him.\n')
    assert texts(text) == ["I could have sworn it was locked", "twenty minutes ago.",
                           "Come here,", "You had better."]


def test_a_short_quote_inside_a_sentence_followed_by_a_speech_tag_is_speech():
    text = ('When she had finished the letter "So much for Isabella," she cried, "and for all our friendship!"\n\n'
            'He had heard the word "love," and repeated it to himself all evening.\n\n'
            'They were to call at noon; and "Remember twelve o\'clock," was her parting speech.\n\n'
            'Thus had she played at the Bertolini, and "Too much Schumann" was not the remark he made.\n')
    assert texts(text) == ["So much for Isabella,", "and for all our friendship!", "Remember twelve o'clock,"]


def test_speech_only_supposed_or_wished_for_is_not_dialogue():
    text = ('Tom looked round the table, as much as to say, "Are you all like this?"\n\n'
            'He wished to say to Katharine: "Did you remember the picture?" but he kept silent.\n\n'
            'It was useless to say to him, "And would you--" and wait.\n\n'
            'He very nearly exclaimed aloud:\n\n'
            '"You have stirred all this up, and now you must deal with it."\n\n'
            'He said to Katharine: "Did you remember the picture?"\n')
    assert texts(text) == ["Did you remember the picture?"]


def test_writing_cues_before_the_quote():
    text = ('She took a pen and wrote, "Come at once." Then she rang for the maid.\n\n'
            'On the card was written, "The Last Crusade," and a number.\n\n'
            'He opened the envelope and found it contained the words: "Fly at once. All is known."\n\n'
            '"Something too horrible has happened. Look at this."\n\n'
            'Brenda read. "Arriving at three. Beaver." And asked, "Who is Beaver?"\n')
    assert texts(text) == ["Something too horrible has happened. Look at this.", "Who is Beaver?"]


def test_a_chapter_title_in_quotes_is_not_dialogue():
    from quoth.structure import structure
    text = ('CHAPTER I.\n"WHERE IS THE WILL, JOSIAH?"\n\n'
            'The rain had not stopped since noon. "Not to-night, Josiah," said his wife, and took the candle.\n\n'
            '"Why not?" he asked.\n\n'
            'CHAPTER II.\nTHE MORNING AFTER\n\n"Good morning," said Josiah.\n')
    story = structure(Story(text))
    assert story.chapters[0].title == '"WHERE IS THE WILL, JOSIAH?"'
    assert [q.text for q in find_quotes(story)] == ["Not to-night, Josiah,", "Why not?", "Good morning,"]
