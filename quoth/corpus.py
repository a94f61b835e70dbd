"""Corpus runs: many works → one output directory. (Parallel, resumable runs: the scale work.)"""
from __future__ import annotations

import glob
import sys
from dataclasses import dataclass
from pathlib import Path

from .errors import QuothError
from .read import STORY_SUFFIXES


@dataclass
class InputItem:
    """One work to analyse: a file on disk, or a member of a zip archive."""
    name: str                 # display name, also the output stem source
    path: str                 # file path (or the zip's path)
    member: str | None = None # member name inside a zip

    @property
    def stem(self) -> str:
        return Path(self.member or self.path).stem

    def load(self):
        if self.member is None:
            return Path(self.path)
        import zipfile
        with zipfile.ZipFile(self.path) as z:
            from .read import read
            story = read(z.read(self.member), name=self.name)
            story.source = self.name
            return story


def expand_inputs(paths: list[str]) -> list[InputItem]:
    items: list[InputItem] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found = sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in STORY_SUFFIXES)
            if not found:
                raise QuothError(f"{p}: directory contains no stories (.txt, .html, .epub)")
            items += [InputItem(str(f), str(f)) for f in found]
        elif p.suffix.lower() == ".zip" and p.is_file():
            import zipfile
            try:
                with zipfile.ZipFile(p) as z:
                    names = sorted(n for n in z.namelist() if Path(n).suffix.lower() in STORY_SUFFIXES and not n.endswith("/"))
            except zipfile.BadZipFile:
                raise QuothError(f"{p}: not a valid zip file") from None
            if not names:
                raise QuothError(f"{p}: zip contains no stories")
            items += [InputItem(f"{p}:{n}", str(p), n) for n in names]
        elif any(ch in raw for ch in "*?["):
            matched = sorted(glob.glob(raw, recursive=True))
            if not matched:
                raise QuothError(f"{raw}: no files match")
            items += [InputItem(m, m) for m in matched if Path(m).is_file()]
        else:
            if not p.exists():
                raise QuothError(f"{p}: no such file")
            items.append(InputItem(str(p), str(p)))
    return items


def run_corpus(inputs, outdir: Path, fmt="json", characters=None, jobs=1, engine="local", scheduler=None,
               tables=True, force=False, quiet=False) -> int:
    from .cli import analyze_one

    outdir.mkdir(parents=True, exist_ok=True)
    suffix = {"json": ".json", "html": ".html", "segments": ".jsonl", "csv": ".csv"}[fmt]
    failed = 0
    for item in inputs:
        try:
            analyze_one(item, str(outdir / (item.stem + suffix)), fmt, characters)
        except QuothError as e:
            failed += 1
            print(f"quoth: error: {e}", file=sys.stderr)
    return 1 if failed else 0
