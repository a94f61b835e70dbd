"""`quoth train`: rebuild the shipped speaker model from the PDNC novels.

Training reads quoth's own pipeline output (quotes, mentions, cast) for each novel, so a
retrain adapts to upstream changes: each predicted quote is matched to a gold quote,
each predicted character to the gold character sharing most aliases, and every candidate
speaker becomes a row labelled 1 when it is the gold speaker. Novels are run twice, with
quoth's own cast and with the gold cast, so the model serves both modes.

    quoth train [--data ../shared/data/pdnc] [--out quoth/models/speaker.json] [--lono]
"""
from __future__ import annotations

import ast
import csv
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .conversation import RUN_STACK_FEATURES
from .voice import VOICE_FEATURES
from .speaker_features import FEATURES, STACK_FEATURES, build_context, candidates_and_features, norm_alias

SECOND_PASS_FEATURES = STACK_FEATURES + RUN_STACK_FEATURES + VOICE_FEATURES

DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "pdnc"
# lambdarank: each quote's candidates are ranked against one another, which is the choice the
# model makes (binary log-loss scored every candidate on its own); 4 held-out groups, 3 seeds,
# e2e +0.2, gold cast +0.2, implicit +0.6 points; only the top of each list matters (truncation 3)
PARAMS = {"objective": "lambdarank", "lambdarank_truncation_level": 3, "learning_rate": 0.08, "num_leaves": 24,
          "max_depth": 7, "min_data_in_leaf": 30, "feature_fraction": 0.85, "bagging_fraction": 0.8, "bagging_freq": 1,
          "lambda_l2": 1.0, "use_missing": False, "zero_as_missing": False, "verbosity": -1,
          "num_threads": 1, "seed": 7}
ROUNDS = 160
# the stacked second pass: +0.001 with the neighbours' decoded speakers alone; with who the first pass has
# speaking over the whole back-and-forth (conversation.run_stack_features) +0.2 points, +0.6 on implicit
# quotes (4 held-out groups), for twice the training time
TWO_PASS = True
DECODE1 = {"same_par": 4.0, "same_next": 0.0, "alternate": 1.0}   # decoding between the two passes


# ---------------------------------------------------------------- gold data

@dataclass
class GoldNovel:
    name: str
    folder: Path
    spans: list          # sorted (start, end, speaker gid, [addressee gids], type)
    names: list          # gold main names
    aliases: list        # per gold character: set of normalised aliases


def load_gold(folder: Path) -> GoldNovel:
    names, aliases, lookup = [], [], {}
    with open(folder / "character_info.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            name = (row.get("Main Name") or "").strip()
            try:
                al = ast.literal_eval(row.get("Aliases") or "[]")
            except (ValueError, SyntaxError):
                al = []
            gid = len(names)
            names.append(name)
            al = {norm_alias(a) for a in al if isinstance(a, str)} | {norm_alias(name)}
            aliases.append(al)
            lookup.setdefault(name.lower(), gid)
    for gid, al in enumerate(aliases):
        for a in al:
            lookup.setdefault(a, gid)

    def resolve(s):
        s = (s or "").strip()
        return lookup.get(s.lower(), lookup.get(norm_alias(s)))

    spans = []
    with open(folder / "quotation_info.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            sp = resolve(row["speaker"])
            try:
                adds = [resolve(a) for a in ast.literal_eval(row.get("addressees") or "[]")]
                byte_spans = ast.literal_eval(row["quoteByteSpans"])
            except (ValueError, SyntaxError):
                continue
            adds = [a for a in adds if a is not None]
            for s, e in byte_spans:
                spans.append((int(s), int(e), sp, adds, row.get("quoteType")))
    spans.sort()
    return GoldNovel(folder.name, folder, spans, names, aliases)


def run_upstream(folder: Path, gold_cast: bool, cache: Path | None = None):
    """quoth's pipeline up to (not including) attribution. With `cache`, the upstream story
    is pickled there and reused (for iterating on attribution alone; delete it when
    upstream stages change)."""
    import pickle
    cached = Path(cache) / f"{folder.name}.{'gold' if gold_cast else 'e2e'}.pkl" if cache else None
    if cached is not None and cached.exists():
        with open(cached, "rb") as f:
            return pickle.load(f)
    story = _run_upstream(folder, gold_cast)
    if cached is not None:
        cached.parent.mkdir(parents=True, exist_ok=True)
        with open(cached, "wb") as f:
            pickle.dump(story, f, protocol=pickle.HIGHEST_PROTOCOL)
    return story


def _run_upstream(folder: Path, gold_cast: bool):
    from .cast_input import load_cast
    from .pipeline import STAGES
    from .read import read

    story = read(folder / "novel_text.txt")
    if gold_cast:
        story.known_cast, story.known_genders = load_cast(str(folder / "character_info.csv"))
    for name, stage in STAGES:
        if name == "attribution":
            break
        story = stage(story)
    return story


def match_quotes(story, gold: GoldNovel) -> list:
    """For each predicted quote, the index of the gold span it matches (overlap/union ≥ 0.5) or -1."""
    out = []
    spans = gold.spans
    j = 0
    for q in story.quotes:
        s, e = q.start, q.end
        while j < len(spans) and spans[j][1] <= s:
            j += 1
        best, best_r = -1, 0.5
        k = j
        while k < len(spans) and spans[k][0] < e:
            gs, ge = spans[k][0], spans[k][1]
            inter = min(e, ge) - max(s, gs)
            union = max(e, ge) - min(s, gs)
            if union > 0 and inter / union >= best_r:
                best, best_r = k, inter / union
            k += 1
        out.append(best)
    return out


def map_characters(story, gold: GoldNovel) -> list:
    """Gold character id for each predicted character (most shared normalised aliases)."""
    out = []
    for ch in story.characters:
        al = {norm_alias(a) for a in [ch.name, *ch.aliases] if isinstance(a, str)}
        best, best_n, tie = None, 0, False
        for gid, gal in enumerate(gold.aliases):
            n = len(al & gal)
            if n > best_n:
                best, best_n, tie = gid, n, False
            elif n == best_n and n > 0:
                tie = True
                if norm_alias(ch.name) == norm_alias(gold.names[gid]):
                    best, tie = gid, False
        out.append(best if not tie else None)
    return out


@dataclass
class NovelData:
    name: str
    mode: str            # "e2e" | "gold"
    story: object
    ctx: object
    groups: list
    rules: list
    X: np.ndarray
    y: np.ndarray
    gold_idx: list       # per quote: gold span index or -1
    char_map: list       # predicted char id -> gold id
    gold: GoldNovel


def build_novel(folder: Path, gold_cast: bool, cache: Path | None = None) -> NovelData:
    gold = load_gold(folder)
    story = run_upstream(folder, gold_cast, cache)
    ctx = build_context(story)
    rows, groups, rules = candidates_and_features(ctx)
    X = np.asarray(rows, dtype=np.float64).reshape(-1, len(FEATURES))
    gidx = match_quotes(story, gold)
    cmap = map_characters(story, gold)
    y = np.zeros(len(X))
    for i, cands, start in groups:
        if gidx[i] < 0:
            continue
        sp = gold.spans[gidx[i]][2]
        for k, c in enumerate(cands):
            if sp is not None and cmap[c] == sp:
                y[start + k] = 1
    return NovelData(folder.name, "gold" if gold_cast else "e2e", story, ctx, groups, rules, X, y, gidx, cmap, gold)


def _build_one(args):
    return build_novel(*args)


def build_all(data: Path, modes=("e2e", "gold"), jobs: int = 2, cache: Path | None = None) -> list:
    folders = sorted(p for p in Path(data).iterdir() if (p / "quotation_info.csv").exists())
    work = [(f, m == "gold", cache) for m in modes for f in folders]
    if jobs > 1:
        from concurrent.futures import ProcessPoolExecutor
        with ProcessPoolExecutor(jobs) as ex:
            return list(ex.map(_build_one, work))
    return [build_novel(*w) for w in work]


# ---------------------------------------------------------------- training

def _train_rows(novels: list, drop: tuple = (), extra: dict | None = None):
    """Training rows: the candidates of every quote whose gold speaker is among them, with
    the number of candidates per quote (the ranking objective compares a quote's candidates)."""
    Xs, ys, sizes = [], [], []
    for nd in novels:
        keep = np.zeros(len(nd.X), dtype=bool)
        for i, cands, start in nd.groups:
            if cands and nd.y[start:start + len(cands)].any():
                keep[start:start + len(cands)] = True
                sizes.append(len(cands))
        X = nd.X if extra is None else np.hstack([nd.X, extra[(nd.name, nd.mode)]])
        Xs.append(X[keep])
        ys.append(nd.y[keep])
    return _zeroed(np.concatenate(Xs), drop), np.concatenate(ys), sizes


def _zeroed(X: np.ndarray, drop) -> np.ndarray:
    """X with the columns `drop` set to 0 (a copy); a second-pass column in `drop` is
    beyond the first pass's X and so is dropped in the second pass only."""
    cols = [d for d in drop if d < X.shape[1]]
    if not cols:
        return X
    X = X.copy()
    X[:, cols] = 0.0
    return X


def fit(novels: list, drop: tuple = (), rounds: int = ROUNDS, extra: dict | None = None):
    import lightgbm as lgb
    X, y, sizes = _train_rows(novels, drop, extra)
    names = FEATURES + (SECOND_PASS_FEATURES if extra is not None else [])
    ds = lgb.Dataset(X, y, group=sizes, feature_name=names, free_raw_data=True)
    return lgb.train(PARAMS, ds, num_boost_round=rounds)


def to_model(booster, stack_booster=None):
    from .speaker_model import TreeModel, export_booster
    data = export_booster(booster)
    data["features"] = FEATURES
    if stack_booster is not None:
        data["stack"] = export_booster(stack_booster)
        data["stack"]["features"] = FEATURES + SECOND_PASS_FEATURES
        data["decode1"] = DECODE1
    return data, TreeModel(data)


def softmax_raw(nd: NovelData, raw):
    from .attribution import softmax_groups
    return softmax_groups(nd.groups, raw)


def _x(nd, drop, extra=None):
    return _zeroed(nd.X if extra is None else np.hstack([nd.X, extra]), drop)


def stacked_inputs(novels: list, probs_by: dict) -> dict:
    """Second-pass features for each run, from its (out-of-fold) first-pass probabilities."""
    from .attribution import decode_story, second_pass_features
    out = {}
    for nd in novels:
        p = probs_by[(nd.name, nd.mode)]
        dec = decode_story(nd.story, nd.groups, nd.rules, p, DECODE1)
        out[(nd.name, nd.mode)] = second_pass_features(nd.story, nd.groups, p, dec, nd.ctx.quote_vectors)
    return out


def evaluate(nd: NovelData, probs, weights=None):
    """Per matched gold quote: (type, correct, confidence, addressee ok or None)."""
    from .attribution import apply, decode_story, scene_constraints
    probs = scene_constraints(nd.ctx, nd.groups, probs)
    decoded = decode_story(nd.story, nd.groups, nd.rules, probs, weights)
    # fill the story with these predictions to score addressees and confidence
    for q in nd.story.quotes:
        q.speaker = q.speaker_id = None
        q.addressees, q.addressee_ids = [], []
    apply(nd.story, nd.ctx, nd.groups, nd.rules, probs, decoded, None)
    out = []
    for (i, cands, start), p, k in zip(nd.groups, probs, decoded):
        g = nd.gidx_span(i) if hasattr(nd, "gidx_span") else (nd.gold.spans[nd.gold_idx[i]] if nd.gold_idx[i] >= 0 else None)
        if g is None or g[2] is None:
            continue
        ok = k >= 0 and nd.char_map[cands[k]] == g[2]
        conf = float(p[k]) if k >= 0 else 0.0
        q = nd.story.quotes[i]
        add_ok = None
        if g[3]:
            add_ok = bool(q.addressee_ids) and nd.char_map[q.addressee_ids[0]] in g[3]
        out.append((g[4], ok, conf, add_ok, nd.rules[i] is not None and k >= 0 and cands[k] == nd.rules[i]))
    return out


def summarise(results: list) -> dict:
    res = {}
    for t in ("Explicit", "Anaphoric", "Implicit", None):
        sel = [r for r in results if t is None or r[0] == t]
        res[t or "all"] = (sum(r[1] for r in sel) / max(1, len(sel)), len(sel))
    adds = [r[3] for r in results if r[3] is not None]
    res["addressee"] = (sum(adds) / max(1, len(adds)), len(adds))
    return res


def fit_calibration(confs: np.ndarray, correct: np.ndarray) -> dict:
    from sklearn.isotonic import IsotonicRegression
    iso = IsotonicRegression(out_of_bounds="clip", y_min=0.0, y_max=1.0).fit(confs, correct.astype(float))
    xs = [float(x) for x in iso.X_thresholds_]
    ys = [float(v) for v in iso.y_thresholds_]
    return {"x": xs, "y": ys}


def tune_decode(novels: list, probs_by: dict, grid=None) -> dict:
    """Coordinate search of the turn-taking weights on out-of-fold probabilities."""
    from .attribution import decode_story, scene_constraints
    from .conversation import DEFAULT_WEIGHTS

    constrained = {(nd.name, nd.mode): scene_constraints(nd.ctx, nd.groups, probs_by[(nd.name, nd.mode)])
                   for nd in novels}

    def acc(w):
        ok = n = 0
        for nd in novels:
            dec = decode_story(nd.story, nd.groups, nd.rules, constrained[(nd.name, nd.mode)], w)
            for (i, cands, _), k in zip(nd.groups, dec):
                gi = nd.gold_idx[i]
                if gi < 0 or nd.gold.spans[gi][2] is None:
                    continue
                n += 1
                ok += k >= 0 and nd.char_map[cands[k]] == nd.gold.spans[gi][2]
        return ok / max(1, n)

    # same_next stays negative: with no penalty on consecutive paragraphs by one speaker, the
    # alternation bonus is met by one speaker holding every line, and a confident model then
    # hands a whole untagged two-person exchange to one of them (PDNC's tuner once chose 0.0)
    # alternate stays positive for the same reason: with the voice features the tuner found 0.0
    # and 0.8 equal on PDNC (out-of-fold 0.81781 vs 0.81779, 4 groups), but without it a plain
    # untagged two-person exchange gave one speaker three lines in a row
    grid = grid or {"same_par": [0.0, 1.0, 2.0, 4.0], "same_next": [-1.5, -0.8, -0.5, -0.3],
                    "alternate": [0.5, 0.8, 1.0, 2.0]}
    w = dict(DEFAULT_WEIGHTS)
    best = acc(w)
    for _ in range(2):
        for key, values in grid.items():
            for v in values:
                trial = {**w, key: v}
                a = acc(trial)
                if a > best + 1e-6:
                    best, w = a, trial
    w["accuracy"] = best
    return w


def lono(novels: list, drop: tuple = (), log=print, rounds: int = ROUNDS, two_pass: bool = TWO_PASS,
         folds: int = 0):
    """Out-of-fold probabilities: each novel scored by models trained on the other 21
    (with `folds`, novels are held out in that many groups: cheaper, still never self-scored).
    With two_pass, the second pass is trained on the first pass's out-of-fold outputs."""
    names = sorted({nd.name for nd in novels})
    held = held_out_groups(names, folds)
    probs1, models = {}, {}
    for group in held:
        t = time.perf_counter()
        booster = fit([nd for nd in novels if nd.name not in group], drop, rounds)
        data, model = to_model(booster)
        for name in group:
            models[name] = (booster, data)
        for nd in novels:
            if nd.name in group:
                probs1[(nd.name, nd.mode)] = softmax_raw(nd, model.raw(_x(nd, drop)))
        log(f"  pass 1 fold {'+'.join(group):32s} {time.perf_counter() - t:5.1f} s")
    if not two_pass:
        return probs1, {k: v[1] for k, v in models.items()}, probs1
    extra = stacked_inputs(novels, probs1)
    probs2, out_models = {}, {}
    for group in held:
        t = time.perf_counter()
        b2 = fit([nd for nd in novels if nd.name not in group], drop, rounds, extra)
        data, model = to_model(models[group[0]][0], b2)
        for name in group:
            out_models[name] = data
        for nd in novels:
            if nd.name in group:
                probs2[(nd.name, nd.mode)] = softmax_raw(nd, model.stack.raw(_x(nd, drop, extra[(nd.name, nd.mode)])))
        log(f"  pass 2 fold {'+'.join(group):32s} {time.perf_counter() - t:5.1f} s")
    return probs2, out_models, probs1


def calibration_table(results: list) -> list:
    rows = []
    for th in (0.5, 0.7, 0.9):
        sel = [r for r in results if r[2] >= th]
        rows.append((th, sum(r[1] for r in sel) / max(1, len(sel)), len(sel) / max(1, len(results))))
    return rows


def cmd_train(args) -> int:
    data = Path(args.data) if args.data else DEFAULT_DATA
    if not data.is_dir():
        from .errors import QuothError
        raise QuothError(f"{data}: no PDNC folder (pass --data)")
    from .speaker_model import MODEL_PATH
    out = Path(args.out) if args.out else MODEL_PATH
    t0 = time.perf_counter()
    log = lambda *a: print(*a, file=sys.stderr, flush=True)  # noqa: E731
    log(f"reading {data} through quoth's pipeline ...")
    novels = build_all(data)
    log(f"  {len(novels)} runs, {sum(len(n.X) for n in novels)} candidate rows, {time.perf_counter() - t0:.0f} s")
    ship(novels, out, log)
    log(f"done in {time.perf_counter() - t0:.0f} s")
    return 0


def held_out_groups(names: list, folds: int = 0) -> list:
    """Novels held out together: one per group (LONO), or `folds` interleaved groups."""
    names = sorted(names)
    return [names[k::folds] for k in range(folds)] if folds else [[n] for n in names]


def cross_fitted_calibration(results_by_novel: dict, folds: int = 0) -> dict:
    """Calibrated confidences with no leak: each held-out group's confidences go through an
    isotonic curve fitted on the other novels only. Returns {(novel, mode): calibrated array}."""
    names = sorted({k[0] for k in results_by_novel})
    out = {}
    for group in held_out_groups(names, folds):
        train = [r for (n, _), rs in results_by_novel.items() if n not in group for r in rs]
        if not train:
            continue
        cal = fit_calibration(np.array([r[2] for r in train]), np.array([r[1] for r in train]))
        for (n, m), rs in results_by_novel.items():
            if n in group:
                out[(n, m)] = np.interp(np.array([r[2] for r in rs], dtype=float), cal["x"], cal["y"])
    return out


def ship(novels: list, out: Path, log=print, rounds: int = ROUNDS, folds: int = 0, final: bool = True):
    """LONO for calibration and decoding weights, then the model trained on every novel
    (skipped with final=False, when only the out-of-fold figures are wanted)."""
    from .speaker_model import save
    log("leave-one-novel-out predictions (for calibration and decoding weights) ...")
    probs_by, models, probs1 = lono(novels, log=log, rounds=rounds, folds=folds)
    weights = tune_decode(novels, probs_by)
    log(f"  decoding weights {weights}")
    results = {m: [] for m in ("e2e", "gold")}
    by_novel = {}
    for nd in novels:
        by_novel[(nd.name, nd.mode)] = evaluate(nd, probs_by[(nd.name, nd.mode)], weights)
        results[nd.mode] += by_novel[(nd.name, nd.mode)]
    allr = results["e2e"] + results["gold"]
    calib = fit_calibration(np.array([r[2] for r in allr]), np.array([r[1] for r in allr]))
    if not final:
        return probs_by, models, weights, calib, results, by_novel
    booster = fit(novels, rounds=rounds)
    stack = fit(novels, extra=stacked_inputs(novels, probs1), rounds=rounds) if TWO_PASS else None
    data_out, _ = to_model(booster, stack)
    data_out["calibration"] = calib
    data_out["decode"] = {k: v for k, v in weights.items() if k != "accuracy"}
    data_out["meta"] = {"trained_on": sorted({n.name for n in novels}), "rounds": rounds,
                        "lono": {m: summarise(r) for m, r in results.items()}}
    save(data_out, out)
    for m, r in results.items():
        s = summarise(r)
        log(f"LONO ({m}, matched quotes): " + "  ".join(f"{k} {v[0]:.3f} (n={v[1]})" for k, v in s.items()))
    log(f"wrote {out} ({out.stat().st_size / 1e6:.2f} MB)")
    return probs_by, models, weights, calib, results, by_novel
