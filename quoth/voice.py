"""A character's voice: how much a quote sounds like what each candidate says elsewhere in
the book. Characters keep their words ("my dear", "ma'am", "ain't", "Mamma", a pet oath),
and a speech carried on over several turns keeps its subject, so an untagged quote with no
other evidence can often be told apart this way.

Two uses. The first pass compares each quote with the quotes an explicit name tag gives
each character (known before any model runs). The stacked second pass compares it with
every quote, each weighted by the first pass's probability that the character said it,
over the whole book and within a few turns. A quote is always left out of its own profile."""
from __future__ import annotations

import re

import numpy as np

# first pass: the profile of the quotes explicit name tags attribute
TAG_VOICE_FEATURES = ["voice_tag_sim", "voice_tag_rank", "voice_tag_margin", "voice_tag_mass",
                      "voice_tag_local", "voice_tag_local_margin"]
# second pass: profiles weighted by the first pass's probabilities
VOICE_FEATURES = ["voice_sim", "voice_rank", "voice_margin", "voice_mass",
                  "voice_local", "voice_local_margin", "voice_local_max", "voice_length_gap"]

# words, with inner apostrophes kept ("ain't", "o'clock"), and the marks that show a manner
TOKEN = re.compile(r"\w[\w']*|[!?;—]")
MIN_MASS = 1.0      # a book-wide profile of less than one quote's weight says nothing
LOCAL_REACH = 20    # turns each way for the local profile


class QuoteVectors:
    """Sparse tf-idf rows of the quotes of `groups` (sublinear tf, L2-normalised), as flat
    arrays sorted by row: entry e is (row[e], term[e], value[e]). The vocabulary is this
    book's quotes, words used in two quotes or more. numpy only: importing scikit-learn or
    scipy would cost more than a novel's whole attribution."""

    def __init__(self, texts: list):
        # word bigrams were tried and added nothing (4 held-out groups: -0.1 / -0.1)
        words = [TOKEN.findall(t.lower()) for t in texts]
        index: dict[str, int] = {}
        flat = [index.setdefault(w, len(index)) for ws in words for w in ws]
        self.n = len(texts)
        self.empty = not flat
        if self.empty:
            return
        doc = np.repeat(np.arange(self.n), [len(ws) for ws in words])
        pairs, tf = np.unique(doc * len(index) + np.array(flat), return_counts=True)
        row, term = pairs // len(index), pairs % len(index)
        df = np.bincount(term, minlength=len(index))
        keep = df[term] >= 2
        row, term, tf = row[keep], term[keep], tf[keep]
        if not len(row):
            self.empty = True
            return
        used, term = np.unique(term, return_inverse=True)      # renumber the kept vocabulary
        idf = np.log((1 + self.n) / (1 + df[used].astype(np.float64))) + 1
        val = (1 + np.log(tf)) * idf[term]
        val /= np.sqrt(np.bincount(row, weights=val * val, minlength=self.n))[row]
        self.row, self.term, self.val, self.nv = row, term, val, len(used)
        self.has_words = np.zeros(self.n, dtype=bool)
        self.has_words[row] = True
        self.firsts = np.flatnonzero(np.r_[True, row[1:] != row[:-1]])
        self.by_term = np.argsort(term, kind="stable")
        t_sorted = term[self.by_term]
        self.term_firsts = np.flatnonzero(np.r_[True, t_sorted[1:] != t_sorted[:-1]])
        self.term_ids = t_sorted[self.term_firsts]

    def profiles(self, M: np.ndarray) -> np.ndarray:
        """Vocabulary x characters: sum of the quotes' rows weighted by M (quotes x characters)."""
        PT = np.zeros((self.nv, M.shape[1]))
        contrib = self.val[self.by_term, None] * M[self.row[self.by_term]]
        PT[self.term_ids] = np.add.reduceat(contrib, self.term_firsts, axis=0)
        return PT

    def similarity(self, M: np.ndarray):
        """Cosine of each quote with each character's profile, the quote itself left out of
        it (NaN where the rest of the profile weighs under MIN_MASS or the quote has no
        word seen twice), and the weight of the profile without the quote."""
        PT = self.profiles(M)
        S = np.zeros_like(M)
        S[self.row[self.firsts]] = np.add.reduceat(self.val[:, None] * PT[self.term], self.firsts, axis=0)
        mass = M.sum(axis=0)[None, :] - M
        # |P - w x|^2 = |P|^2 - 2 w (x . P) + w^2, rows x of norm 1
        den2 = (PT * PT).sum(axis=0)[None, :] - 2 * M * S + M * M
        sim = (S - M) / np.sqrt(np.maximum(den2, 1e-12))
        sim[(den2 <= 1e-12) | (mass < MIN_MASS) | ~self.has_words[:, None]] = np.nan
        return sim, mass

    def local(self, W: np.ndarray, K: int):
        """Per quote and character: the W-weighted mean cosine of the quote with the
        character's quotes within K turns, the largest weighted cosine, and their weight."""
        n = self.n
        G = np.zeros((n, 2 * K + 1))                  # G[t, K + d] = cos(x_t, x_{t+d})
        B = 128
        for b0 in range(0, n, B):
            lo, hi = max(0, b0 - K), min(n, b0 + B + K)
            a, z = np.searchsorted(self.row, lo), np.searchsorted(self.row, hi)
            if a == z:
                continue
            terms, inv = np.unique(self.term[a:z], return_inverse=True)
            D = np.zeros((hi - lo, len(terms)))
            D[self.row[a:z] - lo, inv] = self.val[a:z]
            Gb = D @ D.T
            for t in range(b0, min(b0 + B, n)):
                u0, u1 = max(lo, t - K), min(hi, t + K + 1)
                G[t, u0 - t + K:u1 - t + K] = Gb[t - lo, u0 - lo:u1 - lo]
        S = np.zeros_like(W)
        mass = np.zeros_like(W)
        mx = np.zeros_like(W)
        for d in range(-K, K + 1):
            t0, t1 = max(0, -d), min(n, n - d)
            if d == 0 or t0 >= t1:
                continue
            gw = G[t0:t1, K + d][:, None] * W[t0 + d:t1 + d]
            S[t0:t1] += gw
            mass[t0:t1] += W[t0 + d:t1 + d]
            np.maximum(mx[t0:t1], gw, out=mx[t0:t1])
        mean = np.divide(S, mass, out=np.zeros_like(S), where=mass > 0)
        return mean, mx, mass


def quote_vectors(story, groups: list) -> QuoteVectors:
    return QuoteVectors([story.quotes[i].text for i, _, _ in groups])


class _Rows:
    """The candidate rows of `groups` (as candidates_and_features lays them out): the quote
    t and the character column k of each, and the characters' columns."""

    def __init__(self, groups: list):
        self.ids = sorted({c for _, cl, _ in groups for c in cl})
        self.col = {c: k for k, c in enumerate(self.ids)}
        sizes = np.array([len(cl) for _, cl, _ in groups], dtype=np.int64)
        self.n = len(groups)
        self.T = np.repeat(np.arange(self.n), sizes)
        self.K = np.array([self.col[c] for _, cl, _ in groups for c in cl], dtype=np.int64)

    def matrix(self, weights) -> np.ndarray:
        """Quotes x characters from per-group candidate weights."""
        M = np.zeros((self.n, len(self.ids)))
        M[self.T, self.K] = np.concatenate([np.asarray(w, dtype=np.float64) for w in weights]) if len(self.T) else []
        return M


def _rank_margin(s: np.ndarray, T: np.ndarray, n: int):
    """Within each quote's candidates (T), ignoring NaN: how many score higher, and the
    margin over the best other (the runner-up for the best; 0 stands in for a lone one)."""
    if not len(s):
        return s, s
    pos = np.arange(len(s)) - np.searchsorted(T, T)
    P = np.full((n, int(pos.max()) + 1), -np.inf)
    P[T, pos] = np.where(np.isnan(s), -np.inf, s)
    srt = np.sort(P, axis=1)
    top = srt[:, -1][T]
    second = srt[:, -2][T] if P.shape[1] > 1 else np.full(len(s), -np.inf)
    second = np.where(np.isinf(second), 0.0, second)
    margin = np.where(s >= top, s - second, s - top)
    rank = (P[T] > s[:, None]).sum(axis=1)
    return rank, margin


def _profile_columns(vecs: QuoteVectors, rows: _Rows, M: np.ndarray, out: np.ndarray) -> None:
    """sim, rank, margin, mass into out[:, 0:4] where the profile is usable (else -1)."""
    sim, mass = vecs.similarity(M)
    s = sim[rows.T, rows.K]
    rank, margin = _rank_margin(s, rows.T, rows.n)
    ok = ~np.isnan(s)
    out[ok, 0], out[ok, 1], out[ok, 2], out[ok, 3] = s[ok], rank[ok], margin[ok], mass[rows.T, rows.K][ok]


def tag_voice_features(story, groups: list, rules: list, vecs: QuoteVectors | None = None) -> np.ndarray:
    """First pass: each candidate row against the profile of the quotes explicit name tags
    give that character, book-wide (sim, rank, margin, weight) and within LOCAL_REACH turns
    (mean cosine, margin)."""
    out = np.full((sum(len(cl) for _, cl, _ in groups), len(TAG_VOICE_FEATURES)), -1.0)
    vecs = vecs if vecs is not None else quote_vectors(story, groups)
    if vecs.empty or not len(out):
        return out
    rows = _Rows(groups)
    weights = [[1.0 if c == rules[i] else 0.0 for c in cl] for i, cl, _ in groups]
    R = rows.matrix(weights)
    _profile_columns(vecs, rows, R, out)
    _local_columns(vecs, rows, R, out, 4)
    return out


def _local_columns(vecs, rows, W, out, at: int, with_max: bool = False) -> None:
    """Local mean cosine and its margin (and the largest weighted cosine) into out[:, at:]."""
    mean, mx, lmass = vecs.local(W, LOCAL_REACH)
    s = np.where(lmass[rows.T, rows.K] >= 0.5, mean[rows.T, rows.K], np.nan)
    _, margin = _rank_margin(s, rows.T, rows.n)
    ok = ~np.isnan(s)
    out[ok, at], out[ok, at + 1] = s[ok], margin[ok]
    if with_max:
        out[ok, at + 2] = mx[rows.T, rows.K][ok]


def voice_features(story, groups: list, probs: list, vecs: QuoteVectors | None = None) -> np.ndarray:
    """Second pass: each candidate row against profiles weighted by the first pass's
    probabilities, book-wide (sim, rank, margin, weight) and within LOCAL_REACH turns (mean,
    margin, max; -1 where under half a quote of weight is near); and how far the quote's
    length is from the lengths of the candidate's other quotes."""
    out = np.full((sum(len(cl) for _, cl, _ in groups), len(VOICE_FEATURES)), -1.0)
    vecs = vecs if vecs is not None else quote_vectors(story, groups)
    if vecs.empty or not len(out):
        return out
    rows = _Rows(groups)
    W = rows.matrix(probs)
    _profile_columns(vecs, rows, W, out)
    _local_columns(vecs, rows, W, out, 4, with_max=True)
    # how far the quote's length is from the candidate's usual length (log words, in its spread)
    ell = np.log1p(np.array([len(story.quotes[i].text.split()) for i, _, _ in groups], dtype=np.float64))
    mass = W.sum(axis=0)[None, :] - W
    s1 = (W * ell[:, None]).sum(axis=0)[None, :] - W * ell[:, None]
    s2 = (W * ell[:, None] ** 2).sum(axis=0)[None, :] - W * ell[:, None] ** 2
    ok = mass >= MIN_MASS
    mean = np.divide(s1, mass, out=np.zeros_like(s1), where=ok)
    sd = np.sqrt(np.maximum(np.divide(s2, mass, out=np.zeros_like(s2), where=ok) - mean ** 2, 0.0))
    gap = np.where(ok, np.abs(ell[:, None] - mean) / (sd + 0.25), -1.0)
    out[:, 7] = gap[rows.T, rows.K]
    return out
