"""Cast figures per PDNC novel: B3, ChR, extra (from the bench scorer) and gender agreement.

    .venv/bin/python scripts/pdnc_predict.py --out /tmp/pred
    python3 scripts/pdnc_cast.py /tmp/pred [--gold /tmp/pdnc_gold] [--show-gender-errors]

Gender: each predicted character that the scorer maps to a gold character whose PDNC
gender is M or F counts once; it agrees when quoth's gender is the same (None disagrees).

--recall-breakdown: where B3 recall goes. Each gold alias item (the scorer's items) is either
found (in some predicted character; its share of recall is what the scorer gives it, the rest
is lost to its character being split) or not found: then it either occurs in the text (case
aside) or never does, and no prediction could find it. The ceiling is the recall and F1 of a
cast that found every item the text contains, each gold character in one piece.
"""
from __future__ import annotations

import argparse
import importlib.util
import collections
import json
import re
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


def _occurs(text_lower: str, surface: str) -> bool:
    pattern = r"(?<!\w)" + re.escape(" ".join(surface.split()).lower()) + r"(?!\w)"
    return re.search(pattern, text_lower) is not None


def recall_breakdown(score, gold_dir: Path, pred_dir: Path, names: list, show: int = 0) -> dict:
    """Shares of B3 recall (summed over the gold items of all novels): got, lost to splits,
    unfound though in the text, absent from the text; and the ceiling recall."""
    out = collections.Counter()
    unfound = []
    for name in names:
        gold = json.loads(Path(gold_dir, f"{name}.gold.json").read_text())
        text = " ".join(Path(gold_dir, f"{name}.txt").read_text(encoding="utf-8").split()).lower()
        pred = json.loads(Path(pred_dir, f"{name}.json").read_text())
        gchars = score.GoldChars(score.parse_gold_characters(gold["characters"]))
        clusters = score.Clusters(score.parse_characters(pred.get("characters")))
        owners = collections.defaultdict(set)
        surfaces = collections.defaultdict(set)
        for g in gchars.names:
            for ns in gchars.items[g]:
                owners[ns].add(g)
            for a in gchars.aliases[g]:
                surfaces[score.norm_alias(a)].add(a)
        items = {ns: next(iter(o)) for ns, o in owners.items() if len(o) == 1}   # as the scorer
        first = {}
        for c in range(clusters.n_listed):
            for sf in clusters.surfaces[c]:
                first.setdefault(score.norm_alias(sf), c)
        gsize = collections.Counter(items.values())
        both = collections.Counter((items[ns], first[ns]) for ns in items if ns in first)
        present = collections.Counter()
        for ns, g in items.items():
            in_text = any(_occurs(text, a) for a in surfaces[ns])
            present[g] += in_text
            if ns in first:
                got = both[(g, first[ns])] / gsize[g]
                out["got"] += got
                out["lost to a split"] += 1 - got
            elif in_text:
                out["unfound, in the text"] += 1
                unfound.append((name, sorted(surfaces[ns])[0], g))
            else:
                out["unfound, not in the text"] += 1
        out["items"] += len(items)
        out["ceiling"] += sum(present[g] ** 2 / gsize[g] for g in gsize)
    for u in unfound[:show]:
        print("  unfound:", *u)
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("pred")
    ap.add_argument("--gold", default="/tmp/pdnc_gold")
    ap.add_argument("--scorer", default=str(SCORER))
    ap.add_argument("--show-gender-errors", action="store_true")
    ap.add_argument("--recall-breakdown", action="store_true", help="where B3 recall is lost, and its ceiling")
    ap.add_argument("--show-unfound", type=int, default=0, help="with --recall-breakdown: list this many")
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
    if a.recall_breakdown:
        names = [n for n in res["stories"] if Path(a.pred, f"{n}.json").exists()]
        b = recall_breakdown(score, Path(a.gold), Path(a.pred), names, a.show_unfound)
        n = b.pop("items")
        ceiling = b.pop("ceiling") / n
        print(f"B3 recall over {n} gold alias items: " + ", ".join(f"{k} {100 * v / n:.1f}" for k, v in b.items()))
        p = m["b3_precision"]
        print(f"ceiling (every item the text contains found, no character split): recall {100 * ceiling:.1f}, "
              f"F1 {100 * 2 * ceiling / (1 + ceiling):.1f} at precision 100, "
              f"{100 * 2 * ceiling * p / (ceiling + p):.1f} at this precision ({100 * p:.1f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
