"""Segments (JSON Lines for TTS) and CSV exports, on hand-built stories and through the CLI."""
from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

import quoth
from quoth.export import characters_csv, quotes_csv, render, speaking_stats
from quoth.segments import segments
from quoth.story import Chapter, Character, Note, Paragraph, Quote, Scene, Story

SAMPLE = Path(quoth.__file__).parent / "samples" / "the_lantern_keeper.txt"


def make_story(paragraphs, cast, note: str | None = None, title: str | None = "The Ferry at Dunmore") -> Story:
    """Build an analysed Story by hand, so export tests do not depend on the upstream stages.

    `paragraphs`: a list of paragraphs; each is a heading string starting with '#', a scene
    break '***', or a list of pieces: narration strings and quote tuples
    (speaker or None, words, confidence, method, [addressees]).
    `cast`: {name: (aliases, gender)}.
    """
    text, body_start, notes = "", 0, []
    if note:
        text = f"A/N: {note}\n\n"
        notes.append(Note("authors_note", "before", 0, len(text) - 2, text[:-2]))
        body_start = len(text)
    ids = {name: k for k, name in enumerate(cast)}
    characters = [Character(k, name, aliases=list(cast[name][0]), gender=cast[name][1]) for name, k in ids.items()]
    story_paragraphs, quotes, chapters, scenes = [], [], [], []
    for par in paragraphs:
        start = len(text)
        if isinstance(par, str) and par.startswith("#"):
            heading = par.lstrip("# ")
            if chapters:
                chapters[-1].end = start
            if scenes:
                scenes[-1].end = start
            chapters.append(Chapter(len(chapters), heading, start, -1))
            scenes.append(Scene(len(scenes), len(chapters) - 1, start, -1))
            text += heading
        elif par == "***":
            scenes[-1].end = start
            text += "***"
            scenes.append(Scene(len(scenes), len(chapters) - 1, start + 5, -1))
        else:
            for piece in par:
                if isinstance(piece, str):
                    text += piece
                    continue
                speaker, words, conf, method, to = piece
                text += "\u201c"
                q_start = len(text)
                text += words
                quotes.append(Quote(len(quotes), q_start, len(text), words, paragraph=len(story_paragraphs),
                                    scene=len(scenes) - 1, chapter=len(chapters) - 1, open_mark="\u201c",
                                    speaker=speaker, speaker_id=ids.get(speaker), confidence=conf, method=method,
                                    addressees=list(to), addressee_ids=[ids[a] for a in to if a in ids]))
                text += "\u201d"
        story_paragraphs.append(Paragraph(len(story_paragraphs), start, len(text)))
        text += "\n\n"
    text = text[:-2] + "\n"
    for seq in (chapters, scenes):
        if seq:
            seq[-1].end = len(text)
    story = Story(text=text, source="ferry.txt", title=title, notes=notes, body_start=body_start,
                  paragraphs=story_paragraphs, chapters=chapters, scenes=scenes, quotes=quotes,
                  characters=characters)
    story.meta["author"] = "A. Tester"
    return story


CAST = {"Nell Avery": (["Nell", "Miss Avery"], "F"), "Ferris": (["Ferris", "the ferryman"], "M"),
        "Tom Avery": (["Tom"], "M")}


def ferry_story() -> Story:
    return make_story([
        "# Chapter 1: Low Water",
        ["The ferry had not moved since noon."],
        [("Nell Avery", "Are we stuck, then?", 0.97, "explicit", ["Ferris"]), " Nell asked, leaning over the rail."],
        [("Ferris", "Stuck, says she,", 0.91, "explicit", ["Nell Avery"]), " the ferryman grumbled. ",
         ("Ferris", "The river's only thinking, miss. Give it a minute, and mind the \"rope\", won't you?", 0.88,
          "turn", ["Nell Avery"])],
        "***",
        ["Below deck, Tom counted the crates twice."],
        [(None, "Who moved the lantern?", 0.0, None, [])],
        "# Chapter 2: High Water",
        [("Tom Avery", "I only borrowed it,", 0.35, "model", []), " said a small voice, \u201cand I'll put it back.\u201d"],
        [("Nell Avery", "Tom!", 0.42, "turn", ["Tom Avery"])],
    ], CAST, note="Thanks for reading, and sorry, commas & <tags> remain hard.")


# -- segments -------------------------------------------------------------------------------------

def check_segments_tile_text(story: Story, segs: list[dict]) -> None:
    text = story.text
    prev_end = 0
    for k, seg in enumerate(segs):
        assert seg["i"] == k
        assert seg["kind"] in ("narration", "quote")
        assert seg["start"] < seg["end"]
        assert text[seg["start"]:seg["end"]] == seg["text"], seg
        assert seg["start"] >= prev_end, "segments overlap or are out of order"
        assert text[prev_end:seg["start"]].strip() == "", f"gap with text before segment {k}: {text[prev_end:seg['start']]!r}"
        assert seg["text"] == seg["text"].strip()
        if seg["kind"] == "narration":
            assert seg["speaker"] is None and seg["confidence"] is None
        prev_end = seg["end"]
    assert text[prev_end:].strip() == ""


def test_segments_cover_the_text_in_order_without_gaps_or_overlaps():
    story = ferry_story()
    segs = segments(story)
    check_segments_tile_text(story, segs)
    spoken = [s for s in segs if s["kind"] == "quote"]
    assert [s["quote"] for s in spoken] == list(range(len(story.quotes)))


def test_quote_segments_carry_speaker_gender_confidence_and_their_marks():
    story = ferry_story()
    spoken = [s for s in segments(story) if s["kind"] == "quote"]
    first = spoken[0]
    assert first["text"] == "\u201cAre we stuck, then?\u201d"
    assert (first["speaker"], first["speaker_id"], first["gender"], first["confidence"]) == ("Nell Avery", 0, "F", 0.97)
    q = story.quotes[first["quote"]]
    assert first["start"] == q.start - 1 and first["end"] == q.end + 1
    assert spoken[2]["text"].count('"rope"') == 1          # inner quotation marks stay inside the quote
    unknown = spoken[3]
    assert unknown["speaker"] is None and unknown["gender"] is None
    tom = spoken[4]
    assert (tom["speaker"], tom["gender"], tom["chapter"]) == ("Tom Avery", "M", 1)


def test_narration_is_cut_at_paragraph_ends_and_notes_are_flagged():
    story = ferry_story()
    segs = segments(story)
    assert segs[0]["part"] == "authors_note" and segs[0]["text"].startswith("A/N:")
    assert all(s["part"] == "body" for s in segs[1:])
    for s in segs:
        assert "\n\n" not in s["text"]
    narr = [s["text"] for s in segs if s["kind"] == "narration"]
    assert "Chapter 1: Low Water" in narr and "***" in narr
    # A quotation the quote stage missed stays inside its narration segment.
    assert "said a small voice, \u201cand I'll put it back.\u201d" in narr
    without_notes = segments(story, notes=False)
    assert without_notes[0]["text"] == "Chapter 1: Low Water" and without_notes[0]["i"] == 0


def test_segments_of_the_analysed_sample_tile_its_text():
    story = quoth.analyze(SAMPLE)
    segs = segments(story)
    check_segments_tile_text(story, segs)
    assert sum(s["kind"] == "quote" for s in segs) == len({q.start for q in story.quotes})


def test_segments_survive_overlapping_quotes_and_an_empty_story():
    story = ferry_story()
    outer = story.quotes[2]
    story.quotes.append(Quote(len(story.quotes), outer.start + 5, outer.end - 3, story.text[outer.start + 5:outer.end - 3]))
    check_segments_tile_text(story, segments(story))
    assert segments(Story(text="")) == []
    assert segments(Story(text="   \n\n  ")) == []


def test_cli_writes_segments_as_json_lines(tmp_path):
    out = tmp_path / "lantern.jsonl"
    r = subprocess.run([sys.executable, "-m", "quoth", "analyze", str(SAMPLE), "-o", str(out)],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert lines and {"i", "kind", "speaker", "gender", "text", "start", "end", "confidence"} <= set(lines[0])
    text = SAMPLE.read_text(encoding="utf-8")
    assert all(text[s["start"]:s["end"]] == s["text"] for s in lines)


# -- csv ------------------------------------------------------------------------------------------

def read_csv(data: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))


def test_quotes_csv_has_one_row_per_quote_and_round_trips_awkward_text():
    story = ferry_story()
    rows = read_csv(quotes_csv(story))
    assert len(rows) == len(story.quotes)
    assert [r["text"] for r in rows] == [q.text for q in story.quotes]   # commas, inner quotes survive
    first = rows[0]
    assert (first["speaker"], first["speaker_id"], first["gender"], first["method"]) == ("Nell Avery", "0", "F", "explicit")
    assert first["addressees"] == "Ferris" and first["addressee_ids"] == "1"
    assert int(first["start"]) == story.quotes[0].start
    assert rows[3]["speaker"] == "" and rows[3]["speaker_id"] == ""
    assert render(story, "csv") == quotes_csv(story)


def test_cast_csv_counts_quotes_and_words_spoken_when_the_stage_left_them_at_zero():
    story = ferry_story()
    assert all(c.words == 0 for c in story.characters)
    rows = {r["name"]: r for r in read_csv(characters_csv(story))}
    nell = rows["Nell Avery"]
    assert nell["aliases"] == "Nell; Miss Avery" and nell["gender"] == "F"
    assert nell["quotes"] == "2" and nell["words"] == "5"     # "Are we stuck, then?" + "Tom!"
    assert rows["Ferris"]["quotes"] == "2" and rows["Ferris"]["words"] == "18"
    story.characters[0].words = 99       # the attribution stage's own count wins when it has one
    assert speaking_stats(story)[0] == (2, 99)


def test_cli_csv_writes_quotes_and_cast_tables(tmp_path):
    out = tmp_path / "lantern.csv"
    r = subprocess.run([sys.executable, "-m", "quoth", "analyze", str(SAMPLE), "-o", str(out)],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    quotes = list(csv.DictReader(out.open(encoding="utf-8", newline="")))
    cast = list(csv.DictReader((tmp_path / "lantern.characters.csv").open(encoding="utf-8", newline="")))
    assert quotes and set(quotes[0]) >= {"speaker", "confidence", "text", "start", "end"}
    assert cast and set(cast[0]) >= {"name", "aliases", "gender", "quotes", "words"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lantern.characters.csv", "lantern.csv"]
    r = subprocess.run([sys.executable, "-m", "quoth", "analyze", str(SAMPLE), "--format", "csv"],
                       capture_output=True, text=True)
    assert r.returncode == 0 and r.stdout.splitlines()[0].startswith("i,chapter,scene")
    assert len(list(csv.DictReader(io.StringIO(r.stdout)))) == len(quotes)


def test_unknown_format_is_a_clean_error():
    with pytest.raises(quoth.errors.QuothError):
        render(ferry_story(), "pdf")
