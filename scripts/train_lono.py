"""Leave-one-novel-out evaluation of speaker attribution on PDNC (no novel is ever scored by
a model that saw it), with the calibration table and a feature-group ablation.

    python scripts/train_lono.py --out /tmp/quoth_lono [--ablation] [--data ../shared/data/pdnc]
    python scripts/train_lono.py --out /tmp/q4 --folds 4 --no-ship --cache /tmp/q_up   # quick iteration
    python3 ../shared/bench/score.py --gold /tmp/pdnc_gold --pred /tmp/quoth_lono/pred_e2e
    python3 ../shared/bench/score.py --gold /tmp/pdnc_gold --pred /tmp/quoth_lono/pred_gold

Writes, under --out: pred_e2e/ and pred_gold/ (quoth's JSON per novel, attributed by the
fold model that did not see it; readable by score.py), models/<Novel>.json and report.md.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path


sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from quoth import train as T  # noqa: E402
from quoth.attribution import EXPLICIT_CONFIDENCE, apply, decode_story, scene_constraints  # noqa: E402
from quoth.cast_refine import refine_cast  # noqa: E402
from quoth.output import to_json_bytes  # noqa: E402
from quoth.speaker_features import FEATURE_GROUPS, FEATURES  # noqa: E402
from quoth.voice import VOICE_FEATURES  # noqa: E402
from quoth.speaker_model import TreeModel, save  # noqa: E402


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def ablation(novels, out, a, lines):
    """Accuracy with each feature group removed (cheaper setting: --ablation-folds groups of held-out
    novels, --ablation-rounds trees; the baseline row uses the same setting)."""
    lines += ["", f"Ablation (accuracy on matched quotes; {a.ablation_folds} held-out groups, "
              f"{a.ablation_rounds} trees; the group's features removed):", "",
              "| removed | e2e | gold cast |", "|---|---|---|"]
    dec = None

    def acc(pb, w):
        res = {"e2e": [], "gold": []}
        for nd in novels:
            res[nd.mode] += T.evaluate(nd, pb[(nd.name, nd.mode)], w)
        return {m: T.summarise(r)["all"][0] for m, r in res.items()}

    def run(drop, two_pass=T.TWO_PASS):
        pb, _, _ = T.lono(novels, drop=drop, log=lambda *x: None, rounds=a.ablation_rounds, folds=a.ablation_folds,
                          two_pass=two_pass)
        return pb

    t = time.perf_counter()
    pb = run(())
    dec = {k: v for k, v in T.tune_decode(novels, pb).items() if k != "accuracy"}
    base = acc(pb, dec)
    lines.append(f"| (none) | {base['e2e']:.3f} | {base['gold']:.3f} |")
    s = acc(pb, {"same_par": 0.0, "same_next": 0.0, "alternate": 0.0})
    lines.append(f"| conversation decoding (greedy instead) | {s['e2e']:.3f} ({s['e2e'] - base['e2e']:+.3f}) | "
                 f"{s['gold']:.3f} ({s['gold'] - base['gold']:+.3f}) |")
    log(lines[-2], lines[-1], f"{time.perf_counter() - t:.0f} s")
    second = {f: len(FEATURES) + j for j, f in enumerate(T.SECOND_PASS_FEATURES)}
    groups = {g: tuple(FEATURES.index(f) for f in feats) for g, feats in FEATURE_GROUPS.items()}
    if T.TWO_PASS:
        groups["voice, second pass"] = tuple(second[f] for f in VOICE_FEATURES)
        groups["voice, both passes"] = groups["voice"] + groups["voice, second pass"]
        groups["second pass (one pass only)"] = None
    for g, drop in groups.items():
        t = time.perf_counter()
        s = acc(run((), two_pass=False) if drop is None else run(drop), dec)
        lines.append(f"| {g} | {s['e2e']:.3f} ({s['e2e'] - base['e2e']:+.3f}) | {s['gold']:.3f} ({s['gold'] - base['gold']:+.3f}) |")
        log(lines[-1], f"{time.perf_counter() - t:.0f} s")
        (out / "ablation.md").write_text("\n".join(lines) + "\n")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=str(T.DEFAULT_DATA))
    ap.add_argument("--out", required=True)
    ap.add_argument("--ablation", action="store_true", help="also LONO with each feature group removed")
    ap.add_argument("--ablation-only", action="store_true", help="only the ablation (no model, no predictions)")
    ap.add_argument("--ablation-folds", type=int, default=11,
                    help="novels held out in this many groups during the ablation (22 = strict LONO)")
    ap.add_argument("--ablation-rounds", type=int, default=80)
    ap.add_argument("--rounds", type=int, default=T.ROUNDS)
    ap.add_argument("--ship", help="where to write the model trained on all novels (default OUT/speaker.json)")
    ap.add_argument("--folds", type=int, default=0,
                    help="hold novels out in this many groups instead of one by one (0 = strict LONO)")
    ap.add_argument("--no-ship", action="store_true", help="skip the model trained on all novels")
    ap.add_argument("--cache", help="pickle the upstream pipeline output here and reuse it "
                                    "(only attribution is recomputed; delete when upstream changes)")
    a = ap.parse_args()
    out = Path(a.out)
    (out / "models").mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    novels = T.build_all(Path(a.data), cache=Path(a.cache) if a.cache else None)
    log(f"built {len(novels)} runs in {time.perf_counter() - t0:.0f} s")
    if a.ablation_only:
        ablation(novels, out, a, [])
        return 0
    ship = Path(a.ship) if a.ship else out / "speaker.json"
    probs_by, models, weights, calib, results, by_novel = T.ship(novels, ship, log, rounds=a.rounds, folds=a.folds,
                                                                 final=not a.no_ship)
    dec = {k: v for k, v in weights.items() if k != "accuracy"}
    # predictions for score.py: each novel attributed by its own fold model
    for nd in novels:
        data = dict(models[nd.name], calibration=calib, decode=dec)
        save(data, out / "models" / f"{nd.name}.json")
        model = TreeModel(data)
        probs = probs_by[(nd.name, nd.mode)]
        for q in nd.story.quotes:
            q.speaker = q.speaker_id = None
            q.addressees, q.addressee_ids = [], []
            q.method, q.speaker_mention, q.confidence = None, None, 0.0
        probs = scene_constraints(nd.ctx, nd.groups, probs)
        decoded = decode_story(nd.story, nd.groups, nd.rules, probs, dec)
        apply(nd.story, nd.ctx, nd.groups, nd.rules, probs, decoded, model)
        refine_cast(nd.story)  # the pipeline's last stage, so the cast scored is the one quoth outputs
        d = out / f"pred_{nd.mode}"
        d.mkdir(exist_ok=True)
        (d / f"{nd.name}.json").write_bytes(to_json_bytes(nd.story, include_text=False))
    held = f"{a.folds} held-out groups" if a.folds else "leave-one-novel-out"
    lines = [f"# Speaker attribution, {held} on PDNC (22 novels)", "",
             "Matched quotes only (predicted quotes that match a gold quote); score.py gives the end-to-end figures.", "",
             "| mode | all | Explicit | Anaphoric | Implicit | addressee |", "|---|---|---|---|---|---|"]
    for m, r in results.items():
        s = T.summarise(r)
        lines.append(f"| {m} | " + " | ".join(f"{s[k][0]:.3f} (n={s[k][1]})" for k in
                                              ("all", "Explicit", "Anaphoric", "Implicit", "addressee")) + " |")
    lines += ["", "Calibration, cross-fitted: each held-out group's out-of-fold confidences go through an",
              "isotonic curve fitted on the other novels only (calibrated confidence ≥ threshold):", "",
              "| mode | threshold | accuracy | coverage |", "|---|---|---|---|"]
    crossed = T.cross_fitted_calibration(by_novel, a.folds)
    for m in results:
        rc = []
        for (name, mode), r in sorted(by_novel.items()):
            if mode != m or (name, mode) not in crossed:
                continue
            # explicit (rule-decided) quotes report at least EXPLICIT_CONFIDENCE, as attribution does
            rc += [(x[0], x[1], max(float(c), EXPLICIT_CONFIDENCE) if x[4] else float(c), x[3], x[4])
                   for x, c in zip(r, crossed[(name, mode)])]
        for th, acc, cov in T.calibration_table(rc):
            lines.append(f"| {m} | {th} | {acc:.3f} | {cov:.3f} |")
    (out / "report.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines), flush=True)
    if a.ablation:
        ablation(novels, out, a, lines)
    lines += ["", f"Total time {time.perf_counter() - t0:.0f} s."]
    (out / "report.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
