"""`quoth eval`: gold loading, matching and scoring rules, the command's output."""
from __future__ import annotations

import csv
import json

import pytest

from quoth.cli import main
from quoth.evaluate import figures, find_gold, load_pdnc, match_quotes, norm_alias, score
from quoth.story import Character, Quote, Story

STORY = """\
The Orchard Gate

Martha Pell stood at the gate. "You're late again," she said.

"The cart lost a wheel," said Tom Abbot. "I walked the last mile."

"A likely story." Martha folded her arms.

Tom laughed. "Ask the miller, Mrs. Pell, if you don't believe me."
"""


def _quote_rows(text: str) -> list[dict]:
    """PDNC rows for the story above: (quote text, speaker, addressee, type)."""
    spec = [
        ("You're late again,", "Martha Pell", "Tom Abbot", "Explicit"),
        ("The cart lost a wheel,", "Tom Abbot", "Martha Pell", "Explicit"),
        ("I walked the last mile.", "Tom Abbot", "Martha Pell", "Explicit"),
        ("A likely story.", "Martha", "Tom", "Implicit"),
        ("Ask the miller, Mrs. Pell, if you don't believe me.", "Tom", "Martha Pell", "Anaphoric"),
    ]
    rows, pos = [], 0
    for k, (q, speaker, addressee, qtype) in enumerate(spec):
        s = text.index(q, pos)
        pos = s + len(q)
        rows.append({"quoteID": f"Q{k}", "quoteText": q, "subQuotationList": str([q]),
                     "quoteByteSpans": str([[s, s + len(q)]]), "speaker": speaker,
                     "addressees": str([addressee]), "quoteType": qtype, "referringExpression": "",
                     "mentionTextsList": "[]", "mentionSpansList": "[]", "mentionEntitiesList": "[]"})
    return rows


def make_pdnc(root):
    folder = root / "OrchardGate"
    folder.mkdir(parents=True)
    (folder / "novel_text.txt").write_text(STORY, encoding="utf-8")
    with open(folder / "quotation_info.csv", "w", encoding="utf-8", newline="") as fh:
        rows = _quote_rows(STORY)
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    with open(folder / "character_info.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["Character ID", "Main Name", "Aliases", "Gender", "Category"])
        w.writerow(["0", "Martha Pell", "{'Martha Pell', 'Martha', 'Mrs. Pell'}", "F", "major"])
        w.writerow(["1", "Tom Abbot", "{'Tom Abbot', 'Tom'}", "M", "major"])
        w.writerow(["2", "The Miller", "{'the miller'}", "M", "minor"])
    return folder


def test_load_pdnc_resolves_speakers_to_main_names(tmp_path):
    gold = load_pdnc(make_pdnc(tmp_path))
    assert [q["speaker"] for q in gold.quotes] == ["Martha Pell", "Tom Abbot", "Tom Abbot", "Martha Pell", "Tom Abbot"]
    assert gold.characters["Martha Pell"][0] == "Martha Pell" and "Mrs. Pell" in gold.characters["Martha Pell"]
    assert all(gold.text[q["start"]:q["end"]] for q in gold.quotes)
    assert gold.genders["Tom Abbot"] == "M"


def test_find_gold_accepts_data_folder_novel_folder_and_filters(tmp_path):
    make_pdnc(tmp_path)
    assert [s.name for s in find_gold(str(tmp_path))] == ["OrchardGate"]
    assert [s.kind for s in find_gold(str(tmp_path / "OrchardGate"))] == ["pdnc"]
    from quoth.errors import QuothError
    with pytest.raises(QuothError):
        find_gold(str(tmp_path), ["NoSuchNovel"])


def test_match_quotes_is_one_to_one_and_needs_half_overlap():
    text = '"Hello there, friend," he said. "Come in."'
    gold = [(1, 21), (33, 41)]
    # marks and spaces at the ends are ignored; a half-covered span does not match
    assert match_quotes(text, gold, [(0, 22), (33, 36)]) == {0: 0}
    # two predictions over one gold quote: only the larger overlap pairs
    assert match_quotes(text, [(1, 21)], [(1, 21), (1, 19)]) == {0: 0}


def test_norm_alias_follows_the_bench_rules():
    assert norm_alias("The Miller's") == "miller"
    assert norm_alias("Mrs. Pell") == "mrs pell"
    assert norm_alias("Jean-Luc") == "jean-luc"


def _predicted_story() -> Story:
    story = Story(STORY)
    spans = []
    pos = 0
    for q, speaker, conf, addr in [("You're late again,", "Martha", 0.95, ["Tom"]),
                                   ("The cart lost a wheel,", "Tom", 0.9, ["Martha"]),
                                   ("I walked the last mile.", "Tom", 0.6, []),
                                   ("A likely story.", "Tom", 0.4, ["Martha"]),
                                   ("Ask the miller, Mrs. Pell, if you don't believe me.", "Tom", 0.8, ["Tom"])]:
        s = STORY.index(q, pos)
        pos = s + len(q)
        spans.append(Quote(len(spans), s, s + len(q), q, speaker=speaker, confidence=conf, addressees=addr))
    story.quotes = spans
    story.characters = [Character(0, "Martha", ["Martha", "Mrs. Pell"], gender="F", quotes=1),
                        Character(1, "Tom", ["Tom", "Tom Abbot"], gender="F", quotes=4),
                        Character(2, "Cart", ["Cart"])]
    return story


def test_score_counts_speakers_characters_gender_addressees_calibration(tmp_path):
    gold = load_pdnc(make_pdnc(tmp_path))
    c = score(gold, _predicted_story())
    f = figures(c)
    assert (c["q_gold"], c["q_pred"], c["q_match"]) == (5, 5, 5)
    assert f["speaker_accuracy"] == pytest.approx(4 / 5)              # "A likely story." is Martha's
    assert f["speaker_accuracy_implicit"] == 0.0
    assert f["speaker_accuracy_explicit"] == 1.0
    assert c["extra"] == 1                                            # "Cart" is nobody
    assert f["char_recall"] == 1.0
    assert f["gender_agreement"] == pytest.approx(1 / 2)              # Tom given F
    # addressees: given on 4 of 5; right for Q0 and Q1, wrong for Q3 (Martha to Martha) and Q4 (Tom to Tom)
    assert (c["addr_n"], c["addr_pred"], c["addr_ok"]) == (5, 4, 2)
    cal = f["calibration"]
    assert cal["0.9"]["coverage"] == pytest.approx(2 / 5) and cal["0.9"]["accuracy"] == 1.0
    assert cal["0.5"]["coverage"] == pytest.approx(4 / 5)
    # B3: the gold items martha pell / martha / mrs pell / tom abbot / tom / miller;
    # "martha pell" and "miller" are in no predicted character
    assert c["b3_items"] == 6 and c["b3_found"] == 4
    assert f["b3_precision"] == 1.0 and f["b3_recall"] == pytest.approx((2 / 3 + 2 / 3 + 1 + 1) / 6)


def test_eval_command_prints_table_and_writes_json(tmp_path, capsys):
    make_pdnc(tmp_path / "gold")
    out = tmp_path / "eval.json"
    pred = tmp_path / "pred"
    rc = main(["eval", str(tmp_path / "gold"), "--json", str(out), "--pred-dir", str(pred), "--jobs", "1"])
    assert rc == 0
    printed = capsys.readouterr().out
    assert "OrchardGate" in printed and "TOTAL (micro, 1)" in printed and "calibration" in printed
    assert "\x1b[" not in printed                                     # plain text off a terminal
    result = json.loads(out.read_text())
    q = result["micro"]["figures"]
    # quoth finds the five quotes of this small story exactly
    assert q["quote_precision"] == 1.0 and q["quote_recall"] == 1.0
    assert (pred / "OrchardGate.json").is_file()


def test_eval_command_reads_gold_json_folder_with_gold_cast(tmp_path, capsys):
    gold = load_pdnc(make_pdnc(tmp_path / "pdnc"))
    folder = tmp_path / "goldjson"
    folder.mkdir()
    (folder / "OrchardGate.txt").write_text(STORY, encoding="utf-8")
    (folder / "OrchardGate.gold.json").write_text(json.dumps({
        "quotes": [dict(q, text=STORY[q["start"]:q["end"]]) for q in gold.quotes],
        "characters": gold.characters,
        "character_info": {k: {"gender": v} for k, v in gold.genders.items()}}), encoding="utf-8")
    out = tmp_path / "eval.json"
    assert main(["eval", str(folder), "--gold-cast", "--json", str(out), "--jobs", "1"]) == 0
    result = json.loads(out.read_text())
    assert result["gold_cast"] is True
    assert result["stories"]["OrchardGate"]["counts"]["q_match"] == 5


def test_eval_command_reports_a_bad_gold_path(tmp_path, capsys):
    assert main(["eval", str(tmp_path / "missing")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_gold_json_with_text_only_quotes_and_listed_characters(tmp_path):
    from quoth.evaluate import load_gold_json

    (tmp_path / "G.txt").write_text(STORY, encoding="utf-8")
    (tmp_path / "G.gold.json").write_text(json.dumps({
        "quotes": [{"text": "You're late again,", "speaker": "Martha"},
                   {"text": "A likely story.", "speaker": "Martha Pell"},
                   {"text": "Not in the story at all.", "speaker": "Tom"}],
        "characters": [{"name": "Martha Pell", "aliases": ["Martha"]}, {"name": "Tom Abbot", "aliases": ["Tom"]}],
    }), encoding="utf-8")
    gold = load_gold_json(tmp_path / "G.gold.json")
    located = [q for q in gold.quotes if q["start"] >= 0]
    assert [STORY[q["start"]:q["end"]] for q in located] == ["You're late again,", "A likely story."]
    assert [q["speaker"] for q in gold.quotes] == ["Tom Abbot", "Martha Pell", "Martha Pell"]
    story = Story(STORY)
    story.quotes = [Quote(0, q["start"], q["end"], STORY[q["start"]:q["end"]]) for q in located]
    c = score(gold, story)
    assert (c["q_gold"], c["q_pred"], c["q_match"]) == (3, 2, 2)     # the missing one stays in recall
