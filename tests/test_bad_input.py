"""Bad input through the command line: one clear line on stderr, a non-zero exit, no
traceback; in a multi-file run the bad file is reported and the others are written."""
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from quoth.read import read
from quoth.structure import structure

ROOT = Path(__file__).resolve().parents[1]
GOOD = 'The Visit\n\n"Come in," said Nell.\n\n"Thank you," said Tom.\n'


def run_cli(*args, timeout=300):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop("QUOTH_DEBUG", None)
    return subprocess.run([sys.executable, "-m", "quoth", "analyze", *map(str, args)],
                          capture_output=True, text=True, timeout=timeout, env=env, cwd=ROOT)


def assert_one_line_error(r, *fragments):
    assert r.returncode != 0
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, r.stderr
    assert lines[0].startswith("quoth: error: ")
    assert "Traceback" not in r.stderr
    for frag in fragments:
        assert frag in lines[0]


def _bad_files(tmp: Path) -> dict[str, tuple[Path, str]]:
    files = {}

    def put(name, data, expect):
        p = tmp / name
        p.write_bytes(data) if isinstance(data, bytes) else p.write_text(data, encoding="utf-8")
        files[name] = (p, expect)

    put("empty.txt", b"", "empty story")
    put("blank.txt", "\n \n\t\n", "empty story")
    put("binary.txt", bytes(range(256)) * 50, "binary file")
    # Bytes that are no text in any encoding quoth accepts (cp1252's undefined bytes, no spaces).
    put("undecodable.txt", bytes([0x81, 0x8D, 0x8F, 0x90, 0x9D, 0x80, 0x85, 0x95]) * 400, "cannot decode")
    put("empty.html", "<html><head><title>Nothing</title><script>var x = 1;</script></head><body>"
                      "<div><p> </p><img src=x onerror=alert(1)></div></body></html>", "empty story")
    put("corrupt.epub", b"PK\x03\x04" + bytes(range(256)) * 8, "EPUB")
    put("picture.txt", b"\x89PNG\r\n\x1a\n" + bytes(200), "image")
    put("document.pdf.txt", b"%PDF-1.7\n" + bytes(range(256)) * 4, "PDF")
    zip_path = tmp / "notes.epub"
    with zipfile.ZipFile(zip_path, "w") as z:
        z.writestr("readme.txt", "This archive holds no book.")
    files["notes.epub"] = (zip_path, "not an EPUB")
    return files


def test_each_bad_file_gives_one_clear_line(tmp_path):
    from concurrent.futures import ThreadPoolExecutor
    files = _bad_files(tmp_path)
    with ThreadPoolExecutor(4) as pool:      # one process per file, a few at a time
        results = dict(zip(files, pool.map(lambda n: run_cli(files[n][0], "-o", tmp_path / f"{n}.json"), files)))
    for name, (path, expect) in files.items():
        assert_one_line_error(results[name], name, expect)
        assert not (tmp_path / f"{name}.json").exists()


def test_missing_file(tmp_path):
    r = run_cli(tmp_path / "nowhere.txt")
    assert_one_line_error(r, "nowhere.txt", "no such file")


def test_directory_without_stories(tmp_path):
    d = tmp_path / "photos"
    d.mkdir()
    (d / "cat.jpg").write_bytes(b"\xff\xd8\xff\xe0")
    r = run_cli(d, "-o", tmp_path / "out")
    assert_one_line_error(r, "photos", "no stories")


def test_multi_file_run_reports_the_bad_file_and_writes_the_others(tmp_path):
    a = tmp_path / "a.txt"
    c = tmp_path / "c.txt"
    bad = tmp_path / "bad.bin"
    a.write_text(GOOD, encoding="utf-8")
    c.write_text(GOOD.replace("Nell", "Ada"), encoding="utf-8")
    bad.write_bytes(bytes(range(256)) * 20)
    out = tmp_path / "outdir"
    r = run_cli(a, bad, c, "-o", str(out) + "/", "-q")
    assert r.returncode != 0
    assert "Traceback" not in r.stderr
    assert "bad.bin" in r.stderr or "bad.bin" in (out / "errors.jsonl").read_text()
    assert json.loads((out / "a.json").read_text())["quotes"]
    assert json.loads((out / "c.json").read_text())["quotes"]
    assert not (out / "bad.json").exists()


def test_unbalanced_quotes_do_not_hang(tmp_path):
    text = "Odd Quotes\n\n" + '"She never closed this quote, said Ann. ' * 300 + "\n\n" + '"' * 3000 + "\n\n" + \
        "\u201cCurly and never closed.\n\nNext paragraph\u201d with a stray closer.\n"
    path = tmp_path / "unbalanced.txt"
    path.write_text(text, encoding="utf-8")
    r = run_cli(path, "-o", tmp_path / "u.json")
    assert r.returncode == 0, r.stderr
    data = json.loads((tmp_path / "u.json").read_text())
    assert data["text_length"] == len(text)


def test_huge_single_line_file_does_not_hang(tmp_path):
    path = tmp_path / "one_line.txt"
    path.write_text('word "a quote" more words, ' * 40000, encoding="utf-8")   # ~1 MB, no newline at all
    r = run_cli(path, "-o", tmp_path / "h.json")
    assert r.returncode == 0, r.stderr
    data = json.loads((tmp_path / "h.json").read_text())
    assert data["text_length"] == path.stat().st_size


def test_hostile_html_is_inert(tmp_path):
    html = ("<html><body><h1>Trap</h1><script>throw new Error('x')</script>"
            "<p onclick=\"evil()\">\"Hello,\" said <b>Ann<i>.</b> She</i> smiled.</p>"
            "<img src=x onerror=alert(1)><p>Unclosed <em>tags <span>everywhere"
            "<style>p{}</style><iframe src='http://example.org'></iframe><p>Last line.")
    path = tmp_path / "trap.html"
    path.write_text(html, encoding="utf-8")
    story = structure(read(path))
    assert '"Hello," said Ann. She smiled.' in story.text
    assert "Last line." in story.text
    for bad in ("throw", "evil", "alert", "p{}", "example.org", "<"):
        assert bad not in story.text
    r = run_cli(path, "-o", tmp_path / "trap.json")
    assert r.returncode == 0, r.stderr


def test_absurdly_nested_html_is_read(tmp_path):
    html = "<html><body>" + "<div>" * 50000 + '<p>"Deep," she said.</p>' + "</div>" * 50000 + \
        "<p>Shallow again.</p></body></html>"
    story = structure(read(html.encode(), name="deep.html"))
    assert '"Deep," she said.' in story.text and "Shallow again." in story.text
    assert len(story.paragraphs) == 2


@pytest.mark.parametrize("html", ["<b><i>" * 20000 + "x", "<table>" * 5000 + "<td>cell", "<p>" + "<a href=#>" * 10000])
def test_pathological_markup_never_crashes(html):
    try:
        story = read(html.encode(), name="x.html")
    except Exception as e:       # an empty result is a clean QuothError, nothing else
        from quoth.errors import QuothError
        assert isinstance(e, QuothError)
    else:
        structure(story)
