"""Conversation decoding (quoth.conversation): turns, speeches over several paragraphs."""
from __future__ import annotations

import numpy as np
import pytest

import quoth
from quoth.conversation import continues, decode, turn_numbers

# A speech over three paragraphs: the first two lack a closing mark, so the next paragraph
# goes on with the same speech (and the same speaker); the exchange resumes after it.
STORY = """The Harbour

Anna Hale came into the parlour, where her uncle Robert Vance sat by the fire with his pipe.

"Tell me about the harbour, uncle," said Anna.

"It was a long time ago," said Robert. "The boats went out before dawn, and the men sang as they rowed past the wall.

"Your grandmother stood on that wall every morning with a lamp, and she never once missed a day, not in twenty years.

"Then the great storm came in October, and half of the boats did not come home."

"Did grandfather come home?"

"He did, Anna, but he never sailed again."

"Was he afraid?"

"No. He said the sea had made its point."
"""

CAST = [{"name": "Anna Hale", "aliases": ["Anna"], "gender": "F"},
        {"name": "Robert Vance", "aliases": ["Robert"], "gender": "M"}]


@pytest.fixture(scope="module")
def story():
    return quoth.analyze(STORY, characters=CAST)


def quote(story, start_text):
    return next(q for q in story.quotes if q.text.startswith(start_text))


def test_unclosed_quote_continues_in_next_paragraph(story):
    i = story.quotes.index(quote(story, "Your grandmother"))
    j = story.quotes.index(quote(story, "Then the great storm"))
    assert continues(story, i) and continues(story, j)
    # a closed quote followed by a new paragraph is a new turn
    k = story.quotes.index(quote(story, "Did grandfather"))
    assert not continues(story, k)
    turns = turn_numbers(story)
    assert turns[i] == turns[i - 1] == turns[j]          # one turn over three paragraphs
    assert turns[k] == turns[j] + 1


def test_speech_over_paragraphs_keeps_its_speaker_and_the_reply_alternates(story):
    assert quote(story, "It was a long time").speaker == "Robert Vance"
    assert quote(story, "Your grandmother").speaker == "Robert Vance"
    assert quote(story, "Then the great storm").speaker == "Robert Vance"
    assert quote(story, "Did grandfather").speaker == "Anna Hale"
    assert quote(story, "He did, Anna").speaker == "Robert Vance"
    assert quote(story, "Was he afraid").speaker == "Anna Hale"
    assert quote(story, "No. He said").speaker == "Robert Vance"


def test_decoder_alternates_between_two_anchors():
    # A (tagged), ?, A (tagged)... the untagged quotes between go to the other party even
    # when the model leans slightly the wrong way on each of them
    a, b = 0, 1
    anchor = np.log(np.array([1.0, 1e-6]))
    lean = np.log(np.array([0.55, 0.45]))
    cands = [[a, b]] * 5
    logp = [anchor, lean, anchor, lean, anchor]
    out = decode(cands, logp, [0, 1, 2, 3, 4])
    assert [cands[t][k] for t, k in enumerate(out)] == [a, b, a, b, a]


def test_run_stack_features_see_the_parties_on_each_side_of_the_alternation(story):
    from quoth.conversation import RUN_STACK_FEATURES, run_stack_features
    anna, robert = 0, 1
    n = len(story.quotes)
    groups = [(i, [anna, robert], 2 * i) for i in range(n)]
    # a first pass that has Anna on the first turn, Robert on the next (over three
    # paragraphs: one turn), then alternating
    turns = turn_numbers(story)
    decoded = [0 if (turns[i] - turns[0]) % 2 == 0 else 1 for i in range(n)]
    probs = [np.array([0.9, 0.1]) if k == 0 else np.array([0.2, 0.8]) for k in decoded]
    X = run_stack_features(story, groups, probs, decoded)
    assert X.shape == (2 * n, len(RUN_STACK_FEATURES))
    col = {f: j for j, f in enumerate(RUN_STACK_FEATURES)}
    k = story.quotes.index(quote(story, "Was he afraid"))
    row_anna, row_robert = X[2 * k], X[2 * k + 1]
    assert row_anna[col["run_dec_same"]] == 1.0 and row_anna[col["run_dec_opp"]] == 0.0
    assert row_robert[col["run_dec_same"]] == 0.0 and row_robert[col["run_dec_opp"]] == 1.0
    assert abs(row_anna[col["run_p1_same"]] - 0.9) < 1e-9 and abs(row_robert[col["run_p1_opp"]] - 0.8) < 1e-9
    assert 0.0 < row_anna[col["run_dec_share"]] < 1.0
