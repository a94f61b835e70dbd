"""Speaker attribution, part 3: decode a whole conversation jointly.

Each quote has a distribution over candidate speakers from the model. A second-order
Viterbi pass picks the sequence of speakers that maximises the sum of log-probabilities
plus turn-taking terms: quotes in one paragraph share a speaker, consecutive paragraphs
change speaker, and in a back-and-forth the speaker of two quotes ago returns.
Turn-taking terms apply only inside a conversation (quotes a few paragraphs apart).
"""
from __future__ import annotations

import numpy as np

DEFAULT_WEIGHTS = {"same_par": 2.0, "same_next": -0.6, "alternate": 0.8, "max_gap": 2}

# marks that close a quotation; a paragraph whose last quote lacks one goes on speaking
# in the next paragraph (the English convention for a speech over several paragraphs)
_CLOSING = set('"\u201d\u2019\'\u00bb\u300d\u300f')


def continues(story, i: int) -> bool:
    """Quote i opens the paragraph after an unclosed quote that ends its own paragraph: the
    same utterance goes on, so the same speaker (in PDNC: 111 of 111 such pairs)."""
    if i == 0:
        return False
    q, prev = story.quotes[i], story.quotes[i - 1]
    if q.paragraph != prev.paragraph + 1 or not (0 <= prev.paragraph < len(story.paragraphs)):
        return False
    text = story.text
    par = story.paragraphs[prev.paragraph]
    if text[prev.end:par.end].strip():
        return False          # narration (or a closing mark) after the quote: the quote was closed
    if prev.end < len(text) and text[prev.end] in _CLOSING:
        return False
    # the continuing quote opens its paragraph
    return not text[story.paragraphs[q.paragraph].start:q.start - 1].strip() if 0 <= q.paragraph < len(story.paragraphs) else False


def turn_numbers(story) -> list:
    """Per quote, its paragraph renumbered so that a speech running over several paragraphs
    counts as one turn: decoding then treats its parts as one paragraph (one speaker) and
    the reply after it as the next turn, keeping the back-and-forth in phase."""
    out, shift = [], 0
    for i, q in enumerate(story.quotes):
        if continues(story, i):
            shift += q.paragraph - story.quotes[i - 1].paragraph
        out.append(q.paragraph - shift)
    return out


def _pair_terms(a_ids, b_ids, gap, w):
    """Transition matrix [len(a) x len(b)] for consecutive quotes `gap` paragraphs apart."""
    same = (np.asarray(a_ids)[:, None] == np.asarray(b_ids)[None, :]).astype(float)
    if gap == 0:
        return same * w["same_par"]
    if gap <= w["max_gap"]:
        return same * w["same_next"]
    return np.zeros_like(same)


def decode(cands: list, logp: list, paragraphs: list, weights: dict | None = None) -> list:
    """cands[i]: candidate ids of quote i; logp[i]: their log-probabilities (np arrays);
    paragraphs[i]: the paragraph of quote i. Returns the chosen index into cands[i]
    (or -1 for quotes without candidates)."""
    w = {**DEFAULT_WEIGHTS, **(weights or {})}
    n = len(cands)
    out = [-1] * n
    i = 0
    while i < n:
        if not cands[i]:
            i += 1
            continue
        # a run of quotes with candidates, linked by small paragraph gaps
        j = i + 1
        while j < n and cands[j] and paragraphs[j] - paragraphs[j - 1] <= w["max_gap"]:
            j += 1
        out[i:j] = _viterbi2(cands[i:j], logp[i:j], paragraphs[i:j], w)
        i = j
    return out


def _viterbi2(cands, logp, pars, w):
    n = len(cands)
    if n == 1:
        return [int(np.argmax(logp[0]))]
    cands = [np.asarray(c) for c in cands]     # converted once, not at every step that reads them
    # state at step t: (choice at t-1, choice at t); score matrix S[a, b]
    gap = pars[1] - pars[0]
    S = logp[0][:, None] + _pair_terms(cands[0], cands[1], gap, w) + logp[1][None, :]
    back = [None, None]
    for t in range(2, n):
        g1 = pars[t] - pars[t - 1]
        g2 = pars[t] - pars[t - 2]
        trans = _pair_terms(cands[t - 1], cands[t], g1, w)            # [b, c]
        alt = 0.0     # adds like an array of zeros (which would turn a -0.0 into 0.0 the same way)
        if g1 >= 1 and g2 <= 2 * w["max_gap"]:
            ac = (cands[t - 2][:, None] == cands[t][None, :]).astype(float)  # [a, c]
            bc = (cands[t - 1][:, None] == cands[t][None, :]).astype(float)  # [b, c]
            alt = w["alternate"] * ac[:, None, :] * (1 - bc)[None, :, :]
        total = S[:, :, None] + alt + trans[None, :, :] + logp[t][None, None, :]   # [a, b, c]
        arg = total.argmax(axis=0)                                               # [b, c]
        # the maxima themselves, picked by flat index (take_along_axis is slow on small arrays)
        S = total.reshape(total.shape[0], -1)[arg.ravel(), np.arange(arg.size)].reshape(arg.shape)
        back.append(arg)
    b, c = np.unravel_index(int(S.argmax()), S.shape)
    path = [0] * n
    path[-1], path[-2] = int(c), int(b)
    for t in range(n - 1, 1, -1):
        a = int(back[t][path[t - 1], path[t]])
        path[t - 2] = a
    return path


# ---------------------------------------------------------------- second pass: the run's parties

RUN_STACK_FEATURES = ["run_dec_same", "run_dec_opp", "run_p1_same", "run_p1_opp", "run_dec_share"]
RUN_REACH = 10      # turns each side


def run_stack_features(story, groups: list, probs: list, decoded: list) -> np.ndarray:
    """For the stacked second pass: who the first pass has speaking in this back-and-forth
    (consecutive turns), on this quote's side of the alternation (turns an even number away)
    and on the other side (odd), within RUN_REACH turns either way: the share of those turns
    decoded to the candidate and its mean first-pass probability there (-1: no such turn).
    The neighbour features (stack_features) see two quotes each way; in a long untagged
    exchange the parties and their phase show over the whole run."""
    turns = turn_numbers(story)
    n = len(groups)
    chosen = [cl[k] if k >= 0 else None for (_, cl, _), k in zip(groups, decoded)]
    tq = [turns[i] for i, _, _ in groups]
    run = []
    for t in range(n):
        run.append(run[-1] if t and tq[t] - tq[t - 1] <= 1 else t)
    pmap = [dict(zip(cl, p)) for (_, cl, _), p in zip(groups, probs)]
    rows = []
    for t, (_, cl, _) in enumerate(groups):
        if not cl:
            continue
        same, opp = [], []
        for step in (-1, 1):
            u = t + step
            while 0 <= u < n and run[u] == run[t] and abs(tq[u] - tq[t]) <= RUN_REACH:
                if tq[u] != tq[t]:
                    (same if (tq[u] - tq[t]) % 2 == 0 else opp).append(u)
                u += step
        ns, no = len(same), len(opp)
        dec_o, p_o = _tally(chosen, pmap, opp)
        dec_s, p_s = _tally(chosen, pmap, same)
        for c in cl:
            ds, do = dec_s.get(c, 0), dec_o.get(c, 0)
            rows.append([ds / ns if ns else -1.0, do / no if no else -1.0,
                         p_s.get(c, 0.0) / ns if ns else -1.0, p_o.get(c, 0.0) / no if no else -1.0,
                         (ds + do) / (ns + no) if ns + no else -1.0])
    return np.asarray(rows, dtype=np.float64).reshape(-1, len(RUN_STACK_FEATURES))


def _tally(chosen, pmap, idx):
    """How many of the turns idx were decoded to each character, and the sum of their probabilities."""
    dec, p = {}, {}
    for u in idx:
        if chosen[u] is not None:
            dec[chosen[u]] = dec.get(chosen[u], 0) + 1
        for c, v in pmap[u].items():
            p[c] = p.get(c, 0.0) + v
    return dec, p
