"""Corpus tables: works.parquet, quotes.parquet, characters.parquet in a corpus output directory.

Rebuilt at the end of every corpus run from the per-work JSON files listed in the
manifest (so works skipped on resume are included), joinable on `work_id`:

    works       work_id, source, title, author, words, n_quotes, n_characters, n_chapters,
                sha256 (of the input bytes), text_sha256, quoth_version, format, output
    quotes      work_id, i, start, end, text, speaker, speaker_id, confidence, method,
                addressees, chapter, scene, paragraph
    characters  work_id, id, name, aliases, gender, mentions, quotes, words

Written in row groups as it goes, so memory stays flat however large the corpus.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

ROW_GROUP = 20_000


def _schemas():
    import pyarrow as pa

    s, i32, i64, f64 = pa.string(), pa.int32(), pa.int64(), pa.float64()
    return {
        "works": pa.schema([("work_id", s), ("source", s), ("title", s), ("author", s), ("words", i64),
                            ("n_quotes", i64), ("n_characters", i64), ("n_chapters", i64), ("sha256", s),
                            ("text_sha256", s), ("quoth_version", s), ("format", s), ("output", s)]),
        "quotes": pa.schema([("work_id", s), ("i", i32), ("start", i64), ("end", i64), ("text", s),
                             ("speaker", s), ("speaker_id", i32), ("confidence", f64), ("method", s),
                             ("addressees", pa.list_(s)), ("chapter", i32), ("scene", i32), ("paragraph", i32)]),
        "characters": pa.schema([("work_id", s), ("id", i32), ("name", s), ("aliases", pa.list_(s)),
                                 ("gender", s), ("mentions", i64), ("quotes", i64), ("words", i64)]),
    }


def _str(v):
    if v is None or isinstance(v, str):
        return v
    if isinstance(v, (list, tuple)):
        return "; ".join(map(str, v))
    return str(v)


def _int(v):
    return v if isinstance(v, int) and not isinstance(v, bool) else None


def _strs(v):
    return [str(x) for x in v] if isinstance(v, (list, tuple)) else []


def rows_for_work(work_id: str, rec: dict, data: dict) -> dict[str, list[dict]]:
    """The table rows of one work, from its manifest record and its quoth JSON."""
    quotes = data.get("quotes") or []
    cast = data.get("characters") or []
    work = {"work_id": work_id, "source": _str(data.get("source") or rec.get("source")),
            "title": _str(data.get("title")), "author": _str(data.get("author")),
            "words": _int(rec.get("words")), "n_quotes": len(quotes), "n_characters": len(cast),
            "n_chapters": len(data.get("chapters") or []), "sha256": rec.get("input_sha256"),
            "text_sha256": data.get("sha256"), "quoth_version": _str(data.get("quoth_version")),
            "format": _str(data.get("format")), "output": (rec.get("outputs") or [None])[0]}
    q_rows = [{"work_id": work_id, "i": _int(q.get("i")), "start": _int(q.get("start")), "end": _int(q.get("end")),
               "text": _str(q.get("text")), "speaker": _str(q.get("speaker")), "speaker_id": _int(q.get("speaker_id")),
               "confidence": float(q["confidence"]) if isinstance(q.get("confidence"), (int, float)) else None,
               "method": _str(q.get("method")), "addressees": _strs(q.get("addressees")),
               "chapter": _int(q.get("chapter")), "scene": _int(q.get("scene")), "paragraph": _int(q.get("paragraph"))}
              for q in quotes]
    c_rows = [{"work_id": work_id, "id": _int(c.get("id")), "name": _str(c.get("name")),
               "aliases": _strs(c.get("aliases")), "gender": _str(c.get("gender")), "mentions": _int(c.get("mentions")),
               "quotes": _int(c.get("quotes")), "words": _int(c.get("words"))}
              for c in cast]
    return {"works": [work], "quotes": q_rows, "characters": c_rows}


class _TableWriter:
    """Buffers rows column by column (far less memory than a dict per row) and writes a
    row group every ROW_GROUP rows."""

    def __init__(self, path: Path, schema):
        import pyarrow.parquet as pq

        self.path, self.schema = path, schema
        self.tmp = path.with_name(f".{path.name}.{os.getpid()}.part")
        self.writer = pq.ParquetWriter(self.tmp, schema, compression="zstd")
        self.columns: dict[str, list] = {name: [] for name in schema.names}
        self.n = 0

    def add(self, rows: list[dict]) -> None:
        for name, column in self.columns.items():
            column.extend(row[name] for row in rows)
        self.n += len(rows)
        if self.n >= ROW_GROUP:
            self.flush()

    def flush(self) -> None:
        import pyarrow as pa

        if self.n:
            self.writer.write_table(pa.Table.from_pydict(self.columns, schema=self.schema))
            self.columns = {name: [] for name in self.schema.names}
            self.n = 0

    def close(self) -> None:
        self.flush()
        self.writer.close()
        os.replace(self.tmp, self.path)

    def abort(self) -> None:
        self.writer.close()
        self.tmp.unlink(missing_ok=True)


def write_tables(outdir: Path, records: dict[str, dict]) -> dict[str, int]:
    """Write the three tables for every work in `records` (manifest records) whose JSON exists.
    Returns row counts per table."""
    import orjson

    outdir = Path(outdir)
    writers = {name: _TableWriter(outdir / f"{name}.parquet", schema) for name, schema in _schemas().items()}
    counts = dict.fromkeys(writers, 0)
    try:
        for work_id in sorted(records):
            rec = records[work_id]
            path = outdir / rec.get("json", "")
            try:
                data = orjson.loads(path.read_bytes())
            except (OSError, orjson.JSONDecodeError, IsADirectoryError):
                print(f"quoth: warning: {path}: missing or unreadable, left out of the tables", file=sys.stderr)
                continue
            for name, rows in rows_for_work(work_id, rec, data).items():
                writers[name].add(rows)
                counts[name] += len(rows)
            del data
    except BaseException:
        for w in writers.values():
            w.abort()
        raise
    for w in writers.values():
        w.close()
    return counts
