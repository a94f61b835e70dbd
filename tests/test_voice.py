"""A character's voice (quoth.voice): an untagged quote sounds like the quotes its speaker
is given elsewhere in the story."""
from __future__ import annotations

import numpy as np
import pytest

import quoth
from quoth.speaker_features import FEATURE_INDEX, build_context, candidates_and_features
from quoth.voice import (TAG_VOICE_FEATURES, VOICE_FEATURES, QuoteVectors, quote_vectors, tag_voice_features,
                         voice_features)

# The groundskeeper drops his g's and says "reckon", "ain't" and "yer"; the professor says
# "indeed", "my dear boy" and "I daresay". The last lines of the argument carry no tag.
STORY = """The Boathouse

Bram Tully was mending a net when Professor Aldous Quill came down the slope to the boathouse.

"Ain't no use comin' down here, Professor," said Bram. "I reckon the lake's froze solid by mornin'."

"Indeed, my dear Bram, I daresay it shall," said Quill. "Nevertheless, the boats must be counted."

"Counted? Yer havin' me on. I reckon there ain't been a boat missin' in ten years," said Bram.

"My dear fellow, I daresay you are right, but rules are rules," said Quill.

Bram spat into the reeds. "Ain't nothin' I can say, is there? Yer rules, yer boats," Bram grumbled.

"Indeed there is not, my dear Bram," said Quill.

The wind rose off the water and rattled the boathouse doors.

"Reckon I'll fetch the lantern, then. Ain't countin' nothin' in the dark."

"A sensible notion, my dear fellow. I daresay we shall manage by lamplight."
"""

CAST = [{"name": "Bram Tully", "aliases": ["Bram"], "gender": "M"},
        {"name": "Professor Aldous Quill", "aliases": ["Quill", "Professor"], "gender": "M"}]


@pytest.fixture(scope="module")
def features():
    story = quoth.analyze(STORY, characters=CAST)
    ctx = build_context(story)
    rows, groups, rules = candidates_and_features(ctx)
    ids = {ch.name: k for k, ch in enumerate(story.characters)}
    return story, ctx, rows, groups, rules, ids


def _row(rows, groups, story, start_text, cid):
    for i, cl, start in groups:
        if story.quotes[i].text.startswith(start_text):
            return rows[start + cl.index(cid)]
    raise AssertionError(f"no candidate row for {start_text!r}")


def test_an_untagged_line_sounds_like_the_tagged_lines_of_its_speaker(features):
    story, ctx, rows, groups, rules, ids = features
    bram, quill = ids["Bram Tully"], ids["Professor Aldous Quill"]
    sim = FEATURE_INDEX["voice_tag_sim"]
    rank = FEATURE_INDEX["voice_tag_rank"]
    lantern_bram = _row(rows, groups, story, "Reckon I'll fetch", bram)
    lantern_quill = _row(rows, groups, story, "Reckon I'll fetch", quill)
    assert lantern_bram[sim] > lantern_quill[sim] >= -1
    assert lantern_bram[rank] == 0 and lantern_quill[rank] == 1
    notion_bram = _row(rows, groups, story, "A sensible notion", bram)
    notion_quill = _row(rows, groups, story, "A sensible notion", quill)
    assert notion_quill[sim] > notion_bram[sim]
    assert notion_quill[FEATURE_INDEX["voice_tag_margin"]] > 0 > notion_bram[FEATURE_INDEX["voice_tag_margin"]]


def test_a_tagged_line_is_left_out_of_its_own_speakers_profile(features):
    story, ctx, rows, groups, rules, ids = features
    # Bram's profile for his first line is made of his other tagged lines only: three of them
    first = _row(rows, groups, story, "Ain't no use", ids["Bram Tully"])
    assert first[FEATURE_INDEX["voice_tag_mass"]] == pytest.approx(len([r for r in rules if r == ids["Bram Tully"]]) - 1)
    # a character with a single tagged line has no profile left for that line
    one = [(i, cl, 0) for i, cl, _ in groups[:1]]
    X = tag_voice_features(story, one, rules)
    assert (X == -1).all()


def test_second_pass_profiles_follow_the_first_pass_probabilities(features):
    story, ctx, rows, groups, rules, ids = features
    bram, quill = ids["Bram Tully"], ids["Professor Aldous Quill"]
    # a first pass that is sure of every tagged line and undecided on the untagged ones
    probs = []
    for i, cl, _ in groups:
        p = np.full(len(cl), 1.0 / len(cl))
        if rules[i] is not None:
            p = np.array([1.0 if c == rules[i] else 0.0 for c in cl])
        probs.append(p)
    X = voice_features(story, groups, probs, ctx.quote_vectors)
    assert X.shape == (len(rows), len(VOICE_FEATURES))
    col = {f: j for j, f in enumerate(VOICE_FEATURES)}
    start = {story.quotes[i].text[:12]: (s, cl) for i, cl, s in groups}
    s, cl = start["Reckon I'll f"[:12]]
    assert X[s + cl.index(bram), col["voice_sim"]] > X[s + cl.index(quill), col["voice_sim"]]
    assert X[s + cl.index(bram), col["voice_local"]] > X[s + cl.index(quill), col["voice_local"]]
    assert X[s + cl.index(bram), col["voice_rank"]] == 0


def test_quote_vectors_keep_words_used_twice_and_have_unit_rows():
    v = QuoteVectors(["I reckon so.", "Reckon not!", "Indeed.", "Nothing shared here"])
    assert not v.empty and v.nv == 1                   # only "reckon" is in two quotes ("." is no token)
    norms = np.bincount(v.row, weights=v.val ** 2, minlength=v.n)
    assert np.allclose(norms[[0, 1]], 1.0) and norms[2] == norms[3] == 0
    assert QuoteVectors(["Alone.", "Apart."]).empty


def test_no_quotes_no_voice():
    story = quoth.analyze("A quiet room. Nobody spoke at all.\n")
    X = tag_voice_features(story, [], [])
    assert X.shape == (0, len(TAG_VOICE_FEATURES))
    assert quote_vectors(story, []).empty


def test_first_pass_local_profile_and_second_pass_length_gap(features):
    story, ctx, rows, groups, rules, ids = features
    bram, quill = ids["Bram Tully"], ids["Professor Aldous Quill"]
    local = FEATURE_INDEX["voice_tag_local"]
    assert _row(rows, groups, story, "Reckon I'll fetch", bram)[local] > \
        _row(rows, groups, story, "Reckon I'll fetch", quill)[local]
    # one speaker answers in a word or two, the other in long sentences: a one-word line is far
    # from the second's usual length and near the first's
    from types import SimpleNamespace
    short = ["No.", "Aye.", "Never.", "No, sir.", "Right."]
    long_ = ["I have told you a hundred times that the boats must be counted before the frost comes in."] * 5
    texts = [t for pair in zip(short, long_) for t in pair] + ["Nope."]
    fake = SimpleNamespace(quotes=[SimpleNamespace(text=t) for t in texts])
    groups2 = [(i, [0, 1], 2 * i) for i in range(len(texts))]
    probs2 = [np.array([1.0, 0.0]) if i % 2 == 0 else np.array([0.0, 1.0]) for i in range(len(texts) - 1)]
    probs2.append(np.array([0.5, 0.5]))
    X = voice_features(fake, groups2, probs2)
    gap = VOICE_FEATURES.index("voice_length_gap")
    last = 2 * (len(texts) - 1)
    assert 0 <= X[last, gap] < 1 < X[last + 1, gap]
