"""Render ../shared/bench/score.py --json results as the README's Markdown results table.

    python scripts/results_table.py /tmp/score_e2e.json [--gold-cast /tmp/score_gold.json]
"""
from __future__ import annotations

import argparse
import json


def pct(x) -> str:
    return "–" if x is None else f"{100 * x:.1f}"


def row(name: str, s: dict, g: dict | None) -> str:
    q, sp, ch = s["quotes"], s["speaker"], s["characters"]
    by = sp.get("by_type", {})
    cells = [name, pct(q["f1"]), pct(sp["accuracy"]),
             *(pct(by.get(t, {}).get("accuracy")) for t in ("Explicit", "Anaphoric", "Implicit")),
             pct(ch["b3_f1"]), pct(ch["char_recall"]),
             f"{ch['extra']}/{ch['pred_characters']}"]
    if g is not None:
        cells.append(pct(g["speaker"]["accuracy"]))
    return "| " + " | ".join(cells) + " |"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("e2e")
    ap.add_argument("--gold-cast")
    a = ap.parse_args()
    e2e = json.load(open(a.e2e))
    gold = json.load(open(a.gold_cast)) if a.gold_cast else None
    head = ["novel", "quote F1", "speaker", "explicit", "anaphoric", "implicit", "B3 F1", "ChR", "extra/cast"]
    if gold:
        head.append("speaker, gold cast")
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for name, s in sorted(e2e["stories"].items()):
        print(row(name, s, gold["stories"][name] if gold else None))
    print(row("**total (micro)**", e2e["micro"], gold["micro"] if gold else None))


if __name__ == "__main__":
    main()
