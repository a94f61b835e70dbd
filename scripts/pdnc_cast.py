"""Cast figures per PDNC novel: B3, ChR, extra (from the bench scorer) and gender agreement.

    .venv/bin/python scripts/pdnc_predict.py --out /tmp/pred
    python3 scripts/pdnc_cast.py /tmp/pred [--gold /tmp/pdnc_gold] [--show-gender-errors]

Gender: each predicted character that the scorer maps to a gold character whose PDNC
gender is M or F counts once; it agrees when quoth's gender is the same (None disagrees).
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from pathlib import Path

SCORER = Path(__file__).resolve().parents[2] / "shared" / "bench" / "score.py"


def load_scorer(path: Path):
    spec = importlib.util.spec_from_file_location("bench_score", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def gender_agreement(score, gold_dir: Path, pred_path: Path, name: str):
    """(agreeing, counted, [(name, quoth's gender, gold gender)]) over the predicted characters
    the scorer maps to a gold character of gender M or F."""
    gold = json.loads(Path(gold_dir, f"{name}.gold.json").read_text())
    pred = json.loads(Path(pred_path).read_text())
    gchars = score.GoldChars(score.parse_gold_characters(gold["characters"]))
    info = gold["character_info"]
    agree = counted = 0
    wrong = []
    for c in pred.get("characters", []):
        g = gchars.map_cluster(c["name"], [c["name"], *c.get("aliases", [])])
        if g is None or info[g]["gender"] not in ("M", "F"):
            continue
        counted += 1
        if c.get("gender") == info[g]["gender"]:
            agree += 1
        else:
            wrong.append((c["name"], c.get("gender"), info[g]["gender"]))
    return agree, counted, wrong


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("pred")
    ap.add_argument("--gold", default="/tmp/pdnc_gold")
    ap.add_argument("--scorer", default=str(SCORER))
    ap.add_argument("--show-gender-errors", action="store_true")
    a = ap.parse_args()
    score = load_scorer(Path(a.scorer))
    res = score.run(a.gold, a.pred)
    agree_all = counted_all = predicted_all = 0
    print(f"{'novel':30s} {'B3F1':>5s} {'P':>5s} {'R':>5s} {'ChR':>5s} {'extra/pred':>10s} gender")
    for name, st in res["stories"].items():
        pred_path = Path(a.pred, f"{name}.json")
        if not pred_path.exists():
            continue
        agree, counted, wrong = gender_agreement(score, Path(a.gold), pred_path, name)
        agree_all += agree
        counted_all += counted
        ch = st["characters"]
        predicted_all += ch["pred_characters"]
        extra = f"{ch['extra']}/{ch['pred_characters']}"
        print(f"{name:30s} {100 * ch['b3_f1']:5.1f} {100 * ch['b3_precision']:5.1f} "
              f"{100 * ch['b3_recall']:5.1f} {100 * ch['char_recall']:5.1f} {extra:>10s} {agree}/{counted}"
              + (f"  {wrong[:6]}" if a.show_gender_errors and wrong else ""))
    m = res["micro"]["characters"]
    print(f"TOTAL B3F1 {100 * m['b3_f1']:.1f} (P {100 * m['b3_precision']:.1f} R {100 * m['b3_recall']:.1f})"
          f"  ChR {100 * m['char_recall']:.1f}  extra {m['extra']}/{predicted_all}"
          f" = {100 * m['extra'] / max(predicted_all, 1):.1f}%"
          f"  gender {agree_all}/{counted_all} = {100 * agree_all / max(counted_all, 1):.1f}%")
    return 0


if __name__ == "__main__":
    sys.exit(main())
