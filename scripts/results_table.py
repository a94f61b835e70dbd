"""Render ../shared/bench/score.py --json results as the README's Markdown results table.

    python scripts/results_table.py /tmp/score_e2e.json [--gold-cast /tmp/score_gold.json]
        [--gender /tmp/quoth_lono/pred_e2e [--gold /tmp/pdnc_gold]]

--gender adds a column: quoth's gender against PDNC's, over the predicted characters the
scorer maps to a gold character of gender M or F (see scripts/pdnc_cast.py).
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path


def pct(x) -> str:
    return "–" if x is None else f"{100 * x:.1f}"


def row(name: str, s: dict, g: dict | None, gender: tuple[int, int] | None = None) -> str:
    q, sp, ch = s["quotes"], s["speaker"], s["characters"]
    by = sp.get("by_type", {})
    cells = [name, pct(q["f1"]), pct(sp["accuracy"]),
             *(pct(by.get(t, {}).get("accuracy")) for t in ("Explicit", "Anaphoric", "Implicit")),
             pct(ch["b3_f1"]), pct(ch["char_recall"]),
             f"{ch['extra']}/{ch['pred_characters']}"]
    if gender is not None:
        cells.append(f"{gender[0]}/{gender[1]}")
    if g is not None:
        cells.append(pct(g["speaker"]["accuracy"]))
    return "| " + " | ".join(cells) + " |"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("e2e")
    ap.add_argument("--gold-cast")
    ap.add_argument("--gender", help="quoth's predictions scored in E2E, for a gender-agreement column")
    ap.add_argument("--gold", default="/tmp/pdnc_gold", help="pdnc_to_gold.py output (for --gender)")
    a = ap.parse_args()
    e2e = json.load(open(a.e2e))
    gold = json.load(open(a.gold_cast)) if a.gold_cast else None
    genders = None
    if a.gender:
        from pdnc_cast import SCORER, gender_agreement, load_scorer
        score = load_scorer(SCORER)
        genders = {name: gender_agreement(score, Path(a.gold), Path(a.gender, f"{name}.json"), name)[:2]
                   for name in e2e["stories"]}
        genders["**total (micro)**"] = tuple(sum(v[i] for v in genders.values()) for i in (0, 1))
    head = ["novel", "quote F1", "speaker", "explicit", "anaphoric", "implicit", "B3 F1", "ChR", "extra/cast"]
    if genders:
        head.append("gender")
    if gold:
        head.append("speaker, gold cast")
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for name, s in sorted(e2e["stories"].items()):
        print(row(name, s, gold["stories"][name] if gold else None, genders[name] if genders else None))
    total = "**total (micro)**"
    print(row(total, e2e["micro"], gold["micro"] if gold else None, genders[total] if genders else None))


if __name__ == "__main__":
    main()
