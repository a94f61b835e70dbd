"""Corpus runs: directory / zip / glob inputs, resume, errors report, tables, DuckDB."""
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from corpus_stories import STORIES, die_on_boom, hang_on_clock, write_corpus
from quoth.corpus import expand_inputs, run_corpus

IDS = {"harbour", "orchard", "more__station", "lantern"}


def _run(inputs, out, **kw):
    kw.setdefault("quiet", False)
    return run_corpus(expand_inputs([str(p) for p in inputs]), Path(out), **kw)


def _manifest(out: Path) -> dict:
    lines = (out / ".quoth" / "manifest.jsonl").read_text().splitlines()
    return {r["work_id"]: r for r in map(json.loads, lines)}


def test_directory_run_writes_one_json_per_work_and_tables(tmp_path, capsys):
    src = write_corpus(tmp_path / "in")
    out = tmp_path / "out"
    assert _run([src], out) == 0
    assert {p.stem for p in out.glob("*.json")} == IDS
    station = json.loads((out / "more__station.json").read_text())
    assert station["source"] == str(src / "more" / "station.txt")
    assert any(q["text"] == "It left an hour ago, sir," for q in station["quotes"])
    assert {f.name for f in out.glob("*.parquet")} == {"works.parquet", "quotes.parquet", "characters.parquet"}
    assert not (out / "errors.jsonl").exists()
    assert not list(out.rglob("*.part"))
    err = capsys.readouterr().err
    assert "4 succeeded, 0 failed, 0 skipped" in err


def test_zip_and_glob_inputs(tmp_path):
    src = write_corpus(tmp_path / "in")
    archive = tmp_path / "stories.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.write(src / "harbour.txt", "set/harbour.txt")
        z.write(src / "more" / "station.txt", "set/more/station.txt")
        z.writestr("set/readme.pdf", b"%PDF not a story")
        z.writestr("__MACOSX/set/._harbour.txt", b"\x00\x05junk")
    items = expand_inputs([str(archive)])
    assert [i.work_id for i in items] == ["set__harbour", "set__more__station"]
    out = tmp_path / "zout"
    assert _run([archive], out) == 0
    data = json.loads((out / "set__harbour.json").read_text())
    assert data["source"] == f"{archive}:set/harbour.txt"
    assert any(q["text"] == "You're late," for q in data["quotes"])

    # globs: ids relative to the fixed part of the pattern, so same-named files do not collide
    (src / "more" / "harbour.txt").write_text(STORIES["harbour.txt"])
    items = expand_inputs([str(src / "**" / "harbour.txt")])
    assert sorted(i.work_id for i in items) == ["harbour", "more__harbour"]
    gout = tmp_path / "gout"
    assert _run([str(src / "*.txt")], gout) == 0
    assert {p.stem for p in gout.glob("*.json")} == {"harbour", "orchard", "lantern"}


def test_same_named_inputs_from_two_arguments_get_distinct_ids(tmp_path):
    a = write_corpus(tmp_path / "a")
    b = write_corpus(tmp_path / "b")
    ids = [i.work_id for i in expand_inputs([str(a / "harbour.txt"), str(b / "harbour.txt")])]
    assert ids == ["a__harbour", "b__harbour"]  # as the shell expands `*/harbour.txt`
    ids = [i.work_id for i in expand_inputs([str(a / "harbour.txt"), str(b / "orchard.txt")])]
    assert ids == ["harbour", "orchard"]
    ids = [i.work_id for i in expand_inputs([str(a), str(b)])]
    assert ids.count("harbour") == 1 and ids.count("harbour-2") == 1


def test_resume_skips_done_works_and_redoes_changed_ones(tmp_path, capsys):
    src = write_corpus(tmp_path / "in")
    out = tmp_path / "out"
    assert _run([src], out) == 0
    capsys.readouterr()
    before = {p.name: p.stat().st_mtime_ns for p in out.glob("*.json")}
    first = _manifest(out)
    assert set(first) == IDS and all(len(r["input_sha256"]) == 64 for r in first.values())

    (out / "quotes.parquet").unlink()  # tables missing: rebuilt from the JSON of skipped works
    assert _run([src], out) == 0
    assert "0 succeeded, 0 failed, 4 skipped" in capsys.readouterr().err
    assert {p.name: p.stat().st_mtime_ns for p in out.glob("*.json")} == before
    import pyarrow.parquet as pq
    assert set(pq.read_table(out / "quotes.parquet").column("work_id").to_pylist()) == IDS

    # a changed input is redone; the tables still cover every work, skipped ones included
    (src / "orchard.txt").write_text(STORIES["orchard.txt"].replace("Forty-one", "Fifty-one"))
    assert _run([src], out) == 0
    assert "1 succeeded, 0 failed, 3 skipped" in capsys.readouterr().err
    assert "Fifty-one" in (out / "orchard.json").read_text()
    assert _manifest(out)["orchard"]["input_sha256"] != first["orchard"]["input_sha256"]
    works = pq.read_table(out / "works.parquet").to_pylist()
    assert {w["work_id"] for w in works} == IDS

    # a deleted output is redone; --force redoes everything
    (out / "harbour.json").unlink()
    assert _run([src], out) == 0
    assert "1 succeeded, 0 failed, 3 skipped" in capsys.readouterr().err
    assert _run([src], out, force=True) == 0
    assert "4 succeeded, 0 failed, 0 skipped" in capsys.readouterr().err


def test_resume_redoes_works_analysed_by_another_build(tmp_path, monkeypatch, capsys):
    """An edited checkout or a retrained model keeps the version number: the resume key must
    still change, or a rerun would keep stale results."""
    import quoth.corpus as corpus

    src = write_corpus(tmp_path / "in")
    out = tmp_path / "out"
    assert _run([src], out) == 0
    assert _run([src], out) == 0
    assert "0 succeeded, 0 failed, 4 skipped" in capsys.readouterr().err
    monkeypatch.setattr(corpus, "code_fingerprint", lambda: "another-build")
    assert _run([src], out) == 0
    assert "4 succeeded, 0 failed, 0 skipped" in capsys.readouterr().err


def test_interrupted_run_keeps_finished_works(tmp_path, monkeypatch, capsys):
    import quoth.corpus as corpus

    src = write_corpus(tmp_path / "in")
    out = tmp_path / "out"
    real, calls = corpus.analyse_work, []

    def interrupt_on_second(job):
        calls.append(job["work_id"])
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(job)

    monkeypatch.setattr(corpus, "analyse_work", interrupt_on_second)
    with pytest.raises(KeyboardInterrupt):
        _run([src], out)
    monkeypatch.setattr(corpus, "analyse_work", real)
    assert set(_manifest(out)) == {calls[0]}
    assert not list(out.rglob("*.part"))
    capsys.readouterr()
    assert _run([src], out) == 0
    assert "3 succeeded, 0 failed, 1 skipped" in capsys.readouterr().err


def test_bad_works_are_reported_and_never_stop_the_run(tmp_path, monkeypatch, capsys):
    import quoth.pipeline

    src = write_corpus(tmp_path / "in")
    (src / "broken.txt").write_bytes(b"\x00\x01\x02\x03 binary junk \x00" * 20)
    (src / "empty.txt").write_text("   \n")
    (src / "boom.txt").write_text('"Boom," said the bomb.\n')
    real = quoth.pipeline.analyze

    def analyze_or_crash(story, characters=None):  # a bug in a stage, on one work only
        if "Boom" in story.text:
            raise ValueError("stage bug")
        return real(story, characters=characters)

    monkeypatch.setattr(quoth.pipeline, "analyze", analyze_or_crash)
    out = tmp_path / "out"
    assert _run([src], out) == 1
    assert {p.stem for p in out.glob("*.json")} == IDS
    errors = {e["work_id"]: e for e in map(json.loads, (out / "errors.jsonl").read_text().splitlines())}
    assert set(errors) == {"broken", "empty", "boom"}
    assert errors["broken"]["kind"] == "input" and "binary" in errors["broken"]["error"]
    assert errors["boom"]["kind"] == "crash" and "ValueError: stage bug" in errors["boom"]["error"]
    assert "analyze_or_crash" in errors["boom"]["traceback"]
    err = capsys.readouterr().err
    assert "4 succeeded, 3 failed, 0 skipped" in err and "errors.jsonl" in err
    # failed works are retried on the next run, done ones skipped
    (src / "broken.txt").unlink()
    (src / "empty.txt").unlink()
    (src / "boom.txt").unlink()
    assert _run([src], out) == 0
    assert not (out / "errors.jsonl").exists()


def test_csv_output_writes_quotes_and_cast_files_per_work(tmp_path):
    src = write_corpus(tmp_path / "in")
    out = tmp_path / "out"
    assert _run([src], out, fmt="csv") == 0
    for work_id in IDS:
        assert (out / f"{work_id}.csv").read_text().startswith("i,")
        assert (out / f"{work_id}.characters.csv").exists()
    assert not list(out.glob("*.json"))
    import pyarrow.parquet as pq
    assert pq.read_table(out / "quotes.parquet").num_rows > 20  # tables from the JSON kept in .quoth/
    assert _run([src], out, fmt="csv") == 0  # resumes: every file still there
    assert _manifest(out)["harbour"]["outputs"] == ["harbour.csv", "harbour.characters.csv"]


def test_other_formats_go_through_render_and_tables_still_work(tmp_path, monkeypatch):
    import quoth.export
    from quoth.output import to_json_bytes

    def render(story, fmt="json"):
        if fmt == "csv":  # a format that makes several files per work
            return {"quotes.csv": b"i,text\n", "characters.csv": b"id,name\n"}
        return to_json_bytes(story)

    monkeypatch.setattr(quoth.export, "render", render)
    src = write_corpus(tmp_path / "in")
    out = tmp_path / "out"
    assert _run([src], out, fmt="csv") == 0
    assert (out / "harbour.quotes.csv").read_bytes() == b"i,text\n"
    assert (out / "more__station.characters.csv").exists()
    assert not list(out.glob("*.json"))
    import pyarrow.parquet as pq
    assert pq.read_table(out / "quotes.parquet").num_rows > 20


def test_tables_are_joinable_and_the_documented_duckdb_query_works(tmp_path):
    duckdb = pytest.importorskip("duckdb")
    src = write_corpus(tmp_path / "in")
    out = tmp_path / "out"
    assert _run([src], out, quiet=True) == 0
    orchard = json.loads((out / "orchard.json").read_text())

    con = duckdb.connect()
    con.execute(f"SET file_search_path = '{out}'")
    # the query in docs/scale.md: lines per character across the corpus
    rows = con.execute("""
        SELECT q.work_id, w.title, c.name, count(*) AS lines, sum(len(q.text)) AS characters_spoken
        FROM 'quotes.parquet' q
        JOIN 'characters.parquet' c ON c.work_id = q.work_id AND c.id = q.speaker_id
        JOIN 'works.parquet' w ON w.work_id = q.work_id
        GROUP BY ALL
        ORDER BY lines DESC, c.name
    """).fetchall()
    assert rows
    expected = {}
    for q in orchard["quotes"]:
        if q["speaker_id"] is not None:
            name = orchard["characters"][q["speaker_id"]]["name"]
            expected[name] = expected.get(name, 0) + 1
    got = {name: n for work_id, title, name, n, _ in rows if work_id == "orchard"}
    assert got == expected
    assert sum(n for *_, n, _ in rows) == con.execute(
        "SELECT count(*) FROM 'quotes.parquet' WHERE speaker_id IS NOT NULL").fetchone()[0]

    works = con.execute("SELECT work_id, words, n_quotes, n_characters, sha256, quoth_version "
                        "FROM 'works.parquet' ORDER BY work_id").fetchall()
    assert [w[0] for w in works] == sorted(IDS)
    by_id = {w[0]: w for w in works}
    assert by_id["orchard"][2] == len(orchard["quotes"])
    assert by_id["orchard"][3] == len(orchard["characters"])
    assert by_id["orchard"][1] == len(STORIES["orchard.txt"].split())
    import hashlib
    assert by_id["orchard"][4] == hashlib.sha256((src / "orchard.txt").read_bytes()).hexdigest()
    # every quote row joins back to its work and quote offsets index the text
    text = (src / "orchard.txt").read_text()
    for start, end, qtext in con.execute(
            "SELECT start, \"end\", text FROM 'quotes.parquet' WHERE work_id = 'orchard'").fetchall():
        assert text[start:end] == qtext
    orphans = con.execute("SELECT count(*) FROM 'quotes.parquet' q ANTI JOIN 'works.parquet' w USING (work_id)")
    assert orphans.fetchone()[0] == 0


def test_cli_parallel_run_and_exit_status(tmp_path):
    src = write_corpus(tmp_path / "in")
    (src / "broken.txt").write_bytes(b"\x00\x01\x02 binary" * 10)
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    cmd = [sys.executable, "-m", "quoth", "analyze", str(src), "-o", str(out), "--jobs", "2"]
    r = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=120)
    assert r.returncode == 1, r.stderr
    assert "Traceback" not in r.stderr
    assert "\x1b[" not in r.stderr and "━" not in r.stderr  # no progress bar when stderr is not a terminal
    assert "4 succeeded, 1 failed, 0 skipped" in r.stderr
    assert {p.stem for p in out.glob("*.json")} == IDS
    (src / "broken.txt").unlink()
    r = subprocess.run(cmd + ["--quiet"], capture_output=True, text=True, env=env, timeout=120)
    assert r.returncode == 0 and r.stderr == ""


def test_a_hanging_work_times_out_and_the_run_goes_on(tmp_path, monkeypatch, capsys):
    import time

    import quoth.corpus as corpus
    import quoth.pipeline

    src = write_corpus(tmp_path / "in")
    (src / "slow.txt").write_text('"Wait," said the clock.\n')
    real = quoth.pipeline.analyze

    def analyze_or_hang(story, characters=None):
        if "clock" in story.text:
            time.sleep(30)
        return real(story, characters=characters)

    monkeypatch.setattr(quoth.pipeline, "analyze", analyze_or_hang)
    monkeypatch.setattr(corpus, "work_timeout", lambda nbytes: 0.5)
    assert _run([src], tmp_path / "out") == 1  # without the time limit the slow work would succeed
    errors = [json.loads(line) for line in (tmp_path / "out" / "errors.jsonl").read_text().splitlines()]
    assert [(e["work_id"], e["kind"]) for e in errors] == [("slow", "timeout")]
    assert {p.stem for p in (tmp_path / "out").glob("*.json")} == IDS


def test_a_work_stuck_in_native_code_is_killed_and_fails_alone(tmp_path, monkeypatch, capsys):
    import quoth.corpus as corpus

    src = write_corpus(tmp_path / "in")
    (src / "slow.txt").write_text('"Wait," said the clock.\n')
    monkeypatch.setattr(corpus, "analyse_work", hang_on_clock)
    monkeypatch.setattr(corpus, "work_timeout", lambda nbytes: 0.5)
    monkeypatch.setattr(corpus, "HARD_KILL_GRACE_S", 1.0)
    out = tmp_path / "out"
    assert _run([src], out, jobs=2) == 1
    assert {p.stem for p in out.glob("*.json")} == IDS
    errors = [json.loads(line) for line in (out / "errors.jsonl").read_text().splitlines()]
    assert [(e["work_id"], e["kind"]) for e in errors] == [("slow", "timeout")]


def test_a_work_that_kills_its_worker_process_fails_alone(tmp_path, monkeypatch, capsys):
    import quoth.corpus as corpus

    src = write_corpus(tmp_path / "in")
    (src / "boom.txt").write_text('"Boom," said the bomb.\n')
    monkeypatch.setattr(corpus, "analyse_work", die_on_boom)  # pickled by name, so workers run it too
    out = tmp_path / "out"
    assert _run([src], out, jobs=2) == 1
    assert {p.stem for p in out.glob("*.json")} == IDS
    errors = [json.loads(line) for line in (out / "errors.jsonl").read_text().splitlines()]
    assert [(e["work_id"], e["kind"]) for e in errors] == [("boom", "crash")]
    assert "worker process died" in errors[0]["error"]
    assert "4 succeeded, 1 failed, 0 skipped" in capsys.readouterr().err


def test_progress_bar_on_a_terminal_only(tmp_path, monkeypatch):
    import io

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    src = write_corpus(tmp_path / "in")
    term = Terminal()
    monkeypatch.setattr(sys, "stderr", term)
    assert _run([src], tmp_path / "out") == 0
    shown = term.getvalue()
    assert "4/4 works" in shown and "words/s" in shown and "ETA" in shown
    assert "4 succeeded, 0 failed, 0 skipped" in shown

    quiet = Terminal()
    monkeypatch.setattr(sys, "stderr", quiet)
    assert _run([src], tmp_path / "out2", quiet=True) == 0
    assert quiet.getvalue() == ""


def test_a_second_run_on_the_same_output_directory_is_refused(tmp_path):
    pytest.importorskip("fcntl")
    import subprocess as sp

    from quoth.errors import QuothError

    src = write_corpus(tmp_path / "in")
    out = tmp_path / "out"
    (out / ".quoth").mkdir(parents=True)
    holder = sp.Popen([sys.executable, "-c", "import fcntl, sys, time; f = open(sys.argv[1], 'w'); "
                       "fcntl.flock(f, fcntl.LOCK_EX); print('locked', flush=True); time.sleep(60)",
                       str(out / ".quoth" / "lock")], stdout=sp.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(QuothError, match="another quoth run"):
            _run([src], out)
    finally:
        holder.kill()
        holder.wait()
    assert _run([src], out) == 0
