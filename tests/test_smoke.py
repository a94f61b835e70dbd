import json
import subprocess
import sys
from pathlib import Path

import quoth

SAMPLE = Path(quoth.__file__).parent / "samples" / "the_lantern_keeper.txt"


def test_sample_story_end_to_end_offsets_index_the_text():
    story = quoth.analyze(SAMPLE)
    text = SAMPLE.read_text(encoding="utf-8")
    assert story.text == text
    assert len(story.quotes) > 15
    for q in story.quotes:
        assert story.text[q.start:q.end] == q.text
    assert any(q.text.startswith("W-wait") for q in story.quotes)


def test_cli_writes_json_for_one_story(tmp_path):
    out = tmp_path / "lantern.json"
    r = subprocess.run([sys.executable, "-m", "quoth", "analyze", str(SAMPLE), "-o", str(out)],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    data = json.loads(out.read_text())
    assert data["text_length"] == len(SAMPLE.read_text(encoding="utf-8"))
    assert isinstance(data["characters"], list)
