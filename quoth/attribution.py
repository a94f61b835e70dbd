"""Stage 6: attribution — a speaker (and addressees) for every quote.

1. Rules (quoth.speaker_features): explicit speech tags in either order with any verb
   ("said Elizabeth", "the wolf huffed", "Mr. Bennet replied"), pronoun tags, vocatives.
2. A learned model (quoth.speaker_model) scores every candidate speaker of every quote.
3. A conversation decoder (quoth.conversation) picks speakers jointly, so turn-taking in
   untagged exchanges stays consistent.
4. Addressees: a name in vocative position, else the other party of the exchange.
Confidence is the model's probability, calibrated on leave-one-novel-out predictions.
"""
from __future__ import annotations

import gc
import re
from contextlib import contextmanager

import numpy as np

from . import speaker_model
from .conversation import decode, run_stack_features, turn_numbers
from .speaker_features import (FEATURE_INDEX, FEATURES, build_context, candidates_and_features, is_vocative, primary_tag,
                               stack_features)
from .story import Story
from .voice import voice_features

EXPLICIT_CONFIDENCE = 0.98


def candidate_probs(story: Story, model=None, ablate: tuple = ()):
    """Context, candidate groups, rule speakers and each quote's candidate probabilities."""
    ctx = build_context(story)
    rows, groups, rules = candidates_and_features(ctx)
    X = np.asarray(rows, dtype=np.float64).reshape(-1, len(FEATURES))
    if ablate:
        X[:, list(ablate)] = 0.0
    raw = model.raw(_model_columns(X, model)) if model is not None else _fallback_scores(X)
    probs = softmax_groups(groups, raw)
    if model is not None and model.stack is not None:
        # second pass: rescore knowing whom the first pass put around each quote
        decoded = decode_story(story, groups, rules, probs, model.decode1)
        X2 = np.hstack([_model_columns(X, model), second_pass_features(story, groups, probs, decoded,
                                                                       ctx.quote_vectors)])
        # a second pass trained before the run features were added reads the columns it knows
        probs = softmax_groups(groups, model.stack.raw(X2[:, :len(model.stack.features)]))
    return ctx, groups, rules, probs, X


def second_pass_features(story: Story, groups, probs, decoded, quote_vectors) -> np.ndarray:
    """The columns the second pass adds to the first pass's, in training and at run time alike:
    whom the first pass put around each quote, over the run, and how each candidate sounds."""
    return np.hstack([stack_features(groups, probs, decoded), run_stack_features(story, groups, probs, decoded),
                      voice_features(story, groups, probs, quote_vectors)])


def _model_columns(X: np.ndarray, model) -> np.ndarray:
    """The columns a model was trained on, in its order: a model file from before features
    were added keeps working (on the features it knows) until it is retrained."""
    if model.features == FEATURES:
        return X
    return X[:, [FEATURE_INDEX[f] for f in model.features]]


def usable(model) -> bool:
    return model is not None and bool(model.features) and all(f in FEATURE_INDEX for f in model.features)


def softmax_groups(groups, raw):
    probs = []
    for i, cands, start in groups:
        if not cands:
            probs.append(np.zeros(0))
            continue
        z = raw[start:start + len(cands)]
        e = np.exp(z - z.max())
        probs.append(e / e.sum())
    return probs


def _fallback_scores(X: np.ndarray) -> np.ndarray:
    """No model file: tags first, then nearest mention in the paragraph, then recency."""
    f = {n: X[:, i] for i, n in enumerate(FEATURES)} if len(X) else {}
    if not len(X):
        return np.zeros(0)
    return (10 * (f["tag_after_name"] + f["tag_before_name"]) + 3 * (f["tag_pron_rank"] == 0) * (f["tag_gender_agree"] > 0)
            + 2 * (f["par_mentions"] > 0) - 0.01 * np.minimum(f["near_dist"], 100) - 0.3 * f["recency_rank"]
            - 3 * f["vocative_here"])


def attribute(story: Story, model=None) -> Story:
    if not story.quotes or not story.characters:
        _count(story)
        return story
    model = model if model is not None else speaker_model.load()
    if model is not None and not usable(model):
        model = None      # a model file with features this code lacks would score garbage: rules only
    with _gc_paused():
        ctx, groups, rules, probs, _ = candidate_probs(story, model)
        probs = scene_constraints(ctx, groups, probs)
        decoded = decode_story(story, groups, rules, probs, model.decode if model else None)
        apply(story, ctx, groups, rules, probs, decoded, model)
    return story


@contextmanager
def _gc_paused():
    """The feature rows are hundreds of thousands of small lists and dicts that form no cycles;
    the cyclic collector would scan them over and over (~9% of this stage on Oliver Twist).
    Whatever cycles the stage leaves are collected as usual once it is done."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def scene_constraints(ctx, groups, probs):
    """What the text rules out, applied to the model's probabilities before decoding."""
    return drop_departed(ctx, groups, not_the_narrator(ctx, groups, prefer_known_gender(ctx, groups, probs)))


def _renormalised(p, keep):
    """A constraint's reweighted probabilities summing to one again; spread evenly over the
    candidates it keeps when it left them nothing."""
    total = p.sum()
    return p / total if total > 0 else np.where(keep, 1.0 / keep.sum(), 0.0)


# an ungendered candidate of a pronoun tag keeps this share of its probability (0 before 25 Nov:
# the same figures on PDNC, where nearly every speaker's gender is known)
UNKNOWN_GENDER_WEIGHT = 0.1


def prefer_known_gender(ctx, groups, probs):
    """'returned she': when a character of the pronoun's gender is among the candidates, one of
    the other gender is not the referent, and one whose gender the text never showed ('the wolf')
    is unlikely to be: the model alone lets conversation decoding hand such a tag to an
    ungendered bystander. Only unlikely, because many a fan-fiction name (Tobias, Corin) has no
    gender quoth can read, and a confident model is then right against a man named scenes ago.
    A tag between two parts of one speech binds the second part too: '"I know what it is,"
    returned she. "I am not a fool."' (neutral on PDNC; the second part had gone to the wolf)."""
    out = []
    for (i, cl, _), p in zip(groups, probs):
        pt = primary_tag(ctx.tags[i])
        if (len(p) and pt is not None and pt.kind == "pronoun" and pt.gender in ("M", "F")
                and pt.side in ("after", "before", "between")):
            agree = np.array([ctx.genders[c] == pt.gender for c in cl])
            if agree.any() and not agree.all():
                known = np.array([ctx.genders[c] is not None for c in cl])
                p = _renormalised(np.where(agree, p, np.where(known, 0.0, UNKNOWN_GENDER_WEIGHT * p)), agree)
        out.append(p)
    return out


def not_the_narrator(ctx, groups, probs):
    """'"Well," he said at last': in a story told in the first person the narrator is 'I', never
    'he' or 'she' (PDNC's two first-person novels: 22 such tags given to the narrator with the
    gold cast, 20 end to end, none of them his)."""
    if ctx.narrator is None or not ctx.first_person:
        return probs
    out = []
    for (i, cl, _), p in zip(groups, probs):
        pt = primary_tag(ctx.tags[i])
        if (len(p) > 1 and pt is not None and pt.kind == "pronoun" and pt.text.lower() in ("he", "she")
                and pt.side in ("after", "before", "between") and ctx.narrator in cl):
            others = np.asarray(cl) != ctx.narrator
            p = _renormalised(np.where(others, p, 0.0), others)
        out.append(p)
    return out


# 'when the wolf had gone', 'Mr. Bumble left the room': gone until named again
_DEPARTS = re.compile(r"\s+(?:had\s+(?:gone|left|departed)|was\s+gone|went\s+away|departed)(?!\s+(?:on|to|from|for|with)\b)\b")


def drop_departed(ctx, groups, probs):
    """A character the narration has just sent away ('when the wolf had gone') does not speak
    the untagged lines that follow, until the text names them again."""
    text = ctx.story.text
    gone_at: dict[int, int] = {}       # character -> offset where the narration sent them away
    back_at: dict[int, list] = {}      # character -> sorted offsets of later mentions
    for m in ctx.mentions:
        if m.in_quote >= 0 or m.kind != "name" or len(m.ids) != 1:
            continue
        cid = m.ids[0]
        back_at.setdefault(cid, []).append(m.start)
        if _DEPARTS.match(text, m.end, m.end + 40):
            gone_at.setdefault(cid, [])
            gone_at[cid].append(m.end)
    if not gone_at:
        return probs
    from bisect import bisect_right
    out = []
    for (i, cl, _), p in zip(groups, probs):
        qs = ctx.story.quotes[i].start
        away = []
        for c in cl:
            g = gone_at.get(c)
            if not g:
                away.append(False)
                continue
            k = bisect_right(g, qs)
            if k == 0:
                away.append(False)
                continue
            left = g[k - 1]
            seen = back_at[c]
            j = bisect_right(seen, left)      # a mention after the departure brings them back
            away.append(not (j < len(seen) and seen[j] < qs))
        away = np.array(away, dtype=bool)
        if len(p) and away.any() and not away.all():
            p = _renormalised(np.where(away, 0.0, p), ~away)
        out.append(p)
    return out


def decode_story(story, groups, rules, probs, weights=None, rule_override=True):
    cands, logp, pars = [], [], []
    turns = turn_numbers(story)
    for (i, cl, _), p in zip(groups, probs):
        lp = np.log(np.maximum(p, 1e-6)) if len(p) else p
        if rule_override and rules[i] is not None and rules[i] in cl:
            lp = np.where(np.asarray(cl) == rules[i], 0.0, -30.0)
        cands.append(cl)
        logp.append(lp)
        pars.append(turns[i])
    return decode(cands, logp, pars, weights)


def apply(story, ctx, groups, rules, probs, decoded, model) -> None:
    text = story.text
    for (i, cl, _), p, k in zip(groups, probs, decoded):
        q = story.quotes[i]
        if k < 0:
            continue
        cid = cl[k]
        ch = story.characters[cid]
        q.speaker, q.speaker_id = ch.name, cid
        tags = ctx.tags[i]
        pt = primary_tag(tags)
        tag = next((t for t in tags if cid in t.ids), None)
        if rules[i] == cid and tag is not None:
            q.method = "explicit"
        elif rules[i] == cid:
            q.method = "explicit"     # first-person tag of the narrator
            tag = pt
        elif pt is not None and pt.kind in ("pronoun", "nominal") and pt.side in ("after", "before"):
            q.method = "anaphoric"
            tag = pt
        else:
            q.method = "model" if model is not None else "nearest"
        conf = float(p[k])
        if model is not None:
            conf = float(model.calibrate(np.array([conf]))[0])
        if q.method == "explicit":
            conf = max(conf, EXPLICIT_CONFIDENCE)
        q.confidence = round(conf, 4)
        if tag is not None:
            q.speaker_mention = {"start": tag.start, "end": tag.end, "text": text[tag.start:tag.end]}
        else:
            near = [m for m in ctx.by_par.get(q.paragraph, ()) if cid in m.ids]
            if near:
                m = min(near, key=lambda m: min(abs(m.start - q.start), abs(m.start - q.end)))
                q.speaker_mention = {"start": m.start, "end": m.end, "text": m.text}
    assign_addressees(story, ctx)
    _count(story)


def assign_addressees(story: Story, ctx) -> None:
    """Who a quote is spoken to: a vocative name, else the other party of the exchange."""
    quotes = story.quotes
    text = story.text
    n = len(quotes)
    voc: dict[int, int] = {}
    for i in range(n):
        sp = quotes[i].speaker_id
        for m in ctx.in_quote.get(i, ()):
            if len(m.ids) == 1 and m.ids[0] != sp:
                if is_vocative(text, m):
                    voc[i] = m.ids[0]
                    break
    for i, q in enumerate(quotes):
        if q.speaker_id is None:
            continue
        target = voc.get(i)
        if target is None:
            # the same utterance continued in this paragraph: keep its addressee
            for j in range(i - 1, max(-1, i - 4), -1):
                if quotes[j].paragraph == q.paragraph and quotes[j].speaker_id == q.speaker_id and voc.get(j) is not None:
                    target = voc[j]
                    break
        if target is None:
            prev = next((quotes[j] for j in range(i - 1, max(-1, i - 6), -1)
                         if quotes[j].speaker_id not in (None, q.speaker_id)), None)
            nxt = next((quotes[j] for j in range(i + 1, min(n, i + 6))
                        if quotes[j].speaker_id not in (None, q.speaker_id)), None)
            if prev is not None and q.paragraph - prev.paragraph <= 3:
                target = prev.speaker_id
            elif nxt is not None and nxt.paragraph - q.paragraph <= 3:
                target = nxt.speaker_id
            elif prev is not None and q.paragraph - prev.paragraph <= 12:
                target = prev.speaker_id
        if target is not None and target != q.speaker_id:
            q.addressee_ids = [target]
            q.addressees = [story.characters[target].name]


def _count(story: Story) -> None:
    for ch in story.characters:
        ch.quotes = 0
    for q in story.quotes:
        ch = story.character(q.speaker_id)
        if ch is not None:
            ch.quotes += 1
