"""Run quoth over the PDNC novels and write predictions readable by ../shared/bench/score.py.

    python scripts/pdnc_predict.py --out /tmp/pdnc_pred [--gold-cast] [--novels PrideAndPrejudice ...]
    python3 ../shared/bench/pdnc_to_gold.py ../shared/data/pdnc /tmp/pdnc_gold
    python3 ../shared/bench/score.py --gold /tmp/pdnc_gold --pred /tmp/pdnc_pred
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

DEFAULT_PDNC = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "pdnc"


def _one(args):
    folder, out, gold_cast = args
    import quoth
    from quoth.output import to_json_bytes

    t = time.perf_counter()
    cast = str(folder / "character_info.csv") if gold_cast else None
    story = quoth.analyze(folder / "novel_text.txt", characters=cast)
    (out / f"{folder.name}.json").write_bytes(to_json_bytes(story, include_text=False))
    return folder.name, time.perf_counter() - t, len(story.text.split())


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pdnc", default=str(DEFAULT_PDNC))
    ap.add_argument("--out", required=True)
    ap.add_argument("--gold-cast", action="store_true")
    ap.add_argument("--novels", nargs="*")
    ap.add_argument("--jobs", type=int, default=int(os.environ.get("JOBS", "2")))
    a = ap.parse_args()
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    folders = sorted(p for p in Path(a.pdnc).iterdir() if (p / "novel_text.txt").exists())
    if a.novels:
        folders = [f for f in folders if f.name in a.novels]
    work = [(f, out, a.gold_cast) for f in folders]
    with ProcessPoolExecutor(a.jobs) as ex:
        for name, secs, words in ex.map(_one, work):
            print(f"{name:32s} {words:7d} words {secs:6.2f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
