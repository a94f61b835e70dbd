"""The JSON output: valid against the schema in the repo, offsets exact, readable by the bench scorer."""
import json
from pathlib import Path

import jsonschema

import quoth
from quoth.output import to_json_bytes

SAMPLE = Path(quoth.__file__).parent / "samples" / "the_lantern_keeper.txt"
SCHEMA = json.loads((Path(quoth.__file__).parent / "schema" / "story.schema.json").read_text())


def test_sample_output_matches_schema_and_offsets():
    data = json.loads(to_json_bytes(quoth.analyze(SAMPLE)))
    jsonschema.validate(data, SCHEMA)
    text = SAMPLE.read_text(encoding="utf-8")
    assert "text" not in data  # plain UTF-8 input: offsets index the file itself
    for q in data["quotes"]:
        assert text[q["start"]:q["end"]] == q["text"]
        if q["speaker_id"] is not None:
            assert data["characters"][q["speaker_id"]]["name"] == q["speaker"]
    for n in data["notes"]:
        assert text[n["start"]:n["end"]] == n["text"]


def test_crlf_input_includes_the_analysed_text(tmp_path):
    path = tmp_path / "crlf.txt"
    path.write_bytes(b'"Hello," said Anna.\r\n\r\n"Hi," said Ben.\r\n')
    data = json.loads(to_json_bytes(quoth.analyze(path)))
    jsonschema.validate(data, SCHEMA)
    assert data["text"] == '"Hello," said Anna.\n\n"Hi," said Ben.\n'
    assert data["text_length"] == len(data["text"])
    for q in data["quotes"]:
        assert data["text"][q["start"]:q["end"]] == q["text"]


def test_bundled_sample_is_scored_by_the_bench_format():
    # The bench scorer reads `quotes` (start/end), `characters` as {name, aliases}, `scenes`, `notes`.
    data = json.loads(to_json_bytes(quoth.analyze(SAMPLE)))
    assert all({"name", "aliases"} <= set(c) for c in data["characters"])
    assert isinstance(data["scenes"], list) and data["scenes"]
