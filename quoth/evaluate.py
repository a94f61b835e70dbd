"""`quoth eval`: run quoth over annotated novels and score it.

Gold comes from PDNC (the Project Dialogism Novel Corpus): a data folder of
novel folders, one novel folder (novel_text.txt, quotation_info.csv,
character_info.csv), or a folder of `X.gold.json` + `X.txt` pairs as written by
the bench's pdnc_to_gold.py.

The rules follow the bench scorer (../shared/bench/README.md) so the figures
agree with it:

* quotes: each PDNC sub-quotation span is one gold quote; gold and predicted
  spans are stripped of quote marks and whitespace at both ends, then paired
  one to one, largest overlap first, when overlap/union >= 0.5;
* speakers: each predicted speaker string is put in a predicted character
  (by name, alias, or normalised alias; else a character of its own), and
  each predicted character is mapped to the gold character that shares the
  most normalised aliases with it (ties: the one whose main name matches);
  a gold quote counts as right when its matched quote's speaker maps to the
  gold speaker (missed quotes are wrong);
* B3 over gold aliases, character recall (speaking gold characters found),
  extra (predicted characters matching no gold one).

Figures the bench does not have: gender agreement (the gender of the
predicted character that best stands for each gold character with PDNC
gender M or F), addressee accuracy (first predicted addressee maps to one of
the gold addressees, over matched quotes where quoth names one) with its
coverage, and calibration (accuracy and coverage of speakers given with
confidence >= 0.5 / 0.7 / 0.9).
"""
from __future__ import annotations

import ast
import bisect
import collections
import csv
import io
import re
import sys
import time
import unicodedata
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import orjson

from .errors import QuothError

GOLD_SUFFIX = ".gold.json"
THRESHOLDS = (0.5, 0.7, 0.9)
TYPES = ("Explicit", "Anaphoric", "Implicit")
QUOTE_CHARS = frozenset("\"'\u201c\u201d\u201e\u201f\u00ab\u00bb\u2039\u203a"
                        "\u2018\u2019\u201a\u201b\u300c\u300d\u300e\u300f\u2033\u2032`")
NO_ADDRESSEE = {"_unknowable", "_group", "_narrator", ""}

csv.field_size_limit(1 << 30)


# ---------------------------------------------------------------------------
# gold

@dataclass
class GoldSource:
    """Where one gold novel lives; loaded in the worker that scores it."""
    name: str
    kind: str            # "pdnc" (a PDNC novel folder) | "json" (X.gold.json + X.txt)
    path: Path


@dataclass
class Gold:
    name: str
    text_path: Path
    text: str
    quotes: list[dict]                       # start, end, speaker (main name or None), type, addressees
    characters: dict[str, list[str]]         # main name -> surfaces, main name first
    genders: dict[str, str] = field(default_factory=dict)


def _literal(value, default):
    if value is None:
        return default
    value = value.strip()
    if not value or value.lower() == "nan":
        return default
    try:
        return ast.literal_eval(value)
    except (ValueError, SyntaxError):
        return default


def _read_csv(path: Path) -> list[dict]:
    try:
        return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    except (OSError, UnicodeDecodeError, csv.Error) as e:
        raise QuothError(f"{path}: cannot read ({e})") from None


def _resolver(characters: dict[str, list[str]]):
    by_alias: dict[str, str] = {}
    for main, surfaces in characters.items():
        for s in surfaces:
            by_alias.setdefault(s.casefold(), main)

    def resolve(raw: str) -> str | None:
        s = raw.strip()
        if s in characters:
            return s
        for main in characters:
            if main.casefold() == s.casefold():
                return main
        return by_alias.get(s.casefold())
    return resolve


def load_pdnc(folder: Path) -> Gold:
    """One PDNC novel folder, read the way pdnc_to_gold.py reads it."""
    text_path = folder / "novel_text.txt"
    try:
        with open(text_path, encoding="utf-8", newline="") as fh:
            text = fh.read()
    except (OSError, UnicodeDecodeError) as e:
        raise QuothError(f"{text_path}: cannot read ({e})") from None
    characters: dict[str, list[str]] = {}
    genders: dict[str, str] = {}
    for row in _read_csv(folder / "character_info.csv"):
        main = (row.get("Main Name") or "").strip()
        if not main:
            continue
        aliases = _literal(row.get("Aliases"), [])
        if isinstance(aliases, str):
            aliases = [aliases]
        surfaces = characters.setdefault(main, [main])
        for a in sorted({a.strip() for a in aliases if isinstance(a, str) and a.strip()} - {main}):
            if a not in surfaces:
                surfaces.append(a)
        genders[main] = (row.get("Gender") or "").strip()
    resolve = _resolver(characters)
    quotes = []
    for row in _read_csv(folder / "quotation_info.csv"):
        raw = (row.get("speaker") or "").strip()
        speaker = (resolve(raw) or raw) if raw else None
        if speaker and speaker not in characters:
            characters[speaker] = [speaker]
        addressees = _literal(row.get("addressees"), [])
        if isinstance(addressees, str):
            addressees = [addressees]
        qtype = (row.get("quoteType") or "").strip()
        qtype = None if not qtype or qtype.lower() == "nan" else qtype
        for span in _literal(row.get("quoteByteSpans"), []):
            try:
                s, e = int(span[0]), int(span[1])
            except (TypeError, ValueError, IndexError):
                continue
            quotes.append({"start": s, "end": e, "speaker": speaker, "type": qtype,
                           "addressees": [a for a in addressees if isinstance(a, str)]})
    quotes.sort(key=lambda q: (q["start"], q["end"]))
    return Gold(folder.name, text_path, text, quotes, characters, genders)


def load_gold_json(path: Path) -> Gold:
    """X.gold.json with X.txt beside it (the bench format)."""
    name = path.name[: -len(GOLD_SUFFIX)]
    text_path = path.with_name(name + ".txt")
    try:
        gold = orjson.loads(path.read_bytes())
        with open(text_path, encoding="utf-8", newline="") as fh:
            text = fh.read()
    except (OSError, UnicodeDecodeError, orjson.JSONDecodeError) as e:
        raise QuothError(f"{path}: cannot read gold ({e})") from None
    if not isinstance(gold, dict):
        raise QuothError(f"{path}: gold must be a JSON object")
    characters: dict[str, list[str]] = {}
    raw_chars = gold.get("characters") or {}
    if isinstance(raw_chars, dict):
        raw_chars = [{"name": k, "aliases": v} for k, v in raw_chars.items()]
    for item in raw_chars if isinstance(raw_chars, list) else []:
        main, aliases = (item, []) if isinstance(item, str) else (item.get("name"), item.get("aliases"))
        if not isinstance(main, str) or not main.strip():
            continue
        if isinstance(aliases, str):
            aliases = [aliases]
        characters[main] = [main] + [a for a in (aliases or []) if isinstance(a, str) and a.strip() and a != main]
    info = gold.get("character_info") or {}
    genders = {k: (v.get("gender") or "") for k, v in info.items() if isinstance(v, dict)}
    resolve = _resolver(characters)
    quotes = []
    cursor = 0
    for q in gold.get("quotes") or []:
        if not isinstance(q, dict):
            continue
        s, e = q.get("start"), q.get("end")
        if not (isinstance(s, int) and isinstance(e, int) and 0 <= s < e <= len(text)):
            # a quote given by its text only: the next occurrence (PDNC gold always has offsets);
            # one that cannot be found stays in the recall denominator with no span
            snippet = q["text"].strip() if isinstance(q.get("text"), str) else ""
            s = text.find(snippet, cursor) if snippet else -1
            e = s + len(snippet) if s >= 0 else -1
        cursor = max(cursor, e)
        raw = q.get("speaker")
        speaker = (resolve(raw) or raw.strip()) if isinstance(raw, str) and raw.strip() else None
        if speaker and speaker not in characters:
            characters[speaker] = [speaker]
        quotes.append({"start": s, "end": e, "speaker": speaker, "type": q.get("type"),
                       "addressees": [a for a in (q.get("addressees") or []) if isinstance(a, str)]})
    quotes.sort(key=lambda q: (q["start"], q["end"]))
    return Gold(name, text_path, text, quotes, characters, genders)


def find_gold(path: str, novels: list[str] | None = None) -> list[GoldSource]:
    root = Path(path)
    if not root.exists():
        raise QuothError(f"{root}: no such file or directory")
    if root.is_file():
        if not root.name.endswith(GOLD_SUFFIX):
            raise QuothError(f"{root}: expected a PDNC folder or an X{GOLD_SUFFIX} file")
        sources = [GoldSource(root.name[: -len(GOLD_SUFFIX)], "json", root)]
    elif (root / "novel_text.txt").is_file() and (root / "quotation_info.csv").is_file():
        sources = [GoldSource(root.name, "pdnc", root)]
    else:
        sources = [GoldSource(p.name[: -len(GOLD_SUFFIX)], "json", p)
                   for p in sorted(root.glob("*" + GOLD_SUFFIX))]
        if not sources:
            sources = [GoldSource(p.name, "pdnc", p) for p in sorted(root.iterdir())
                       if p.is_dir() and (p / "novel_text.txt").is_file()
                       and (p / "quotation_info.csv").is_file() and (p / "character_info.csv").is_file()]
        if not sources:
            raise QuothError(f"{root}: no PDNC novel folders or *{GOLD_SUFFIX} files found")
    if novels:
        wanted = set(novels)
        unknown = wanted - {s.name for s in sources}
        if unknown:
            raise QuothError(f"unknown novel(s): {', '.join(sorted(unknown))}")
        sources = [s for s in sources if s.name in wanted]
    return sources


def load(source: GoldSource) -> Gold:
    return load_pdnc(source.path) if source.kind == "pdnc" else load_gold_json(source.path)


def gold_cast(gold: Gold) -> list[dict]:
    """The gold cast in the form `analyze(characters=...)` takes."""
    return [{"name": main, "aliases": [a for a in surfaces if a != main],
             **({"gender": gold.genders[main]} if gold.genders.get(main) in ("M", "F") else {})}
            for main, surfaces in gold.characters.items()]


# ---------------------------------------------------------------------------
# matching

_POSSESSIVE = re.compile(r"'s\b")
_PUNCT = re.compile(r"[^\w\s-]|_")
_DASHES = re.compile(r"-{2,}|(?<![^\W_])-|-(?![^\W_])")
_ARTICLE = re.compile(r"^(?:the|a|an) (?=\S)")


def norm_alias(s) -> str:
    """Lowercase; drop 's; punctuation to spaces (hyphens inside a word kept);
    collapse whitespace; drop one leading the/a/an."""
    if not s:
        return ""
    s = unicodedata.normalize("NFKC", str(s)).lower().replace("\u2019", "'").replace("\u2018", "'")
    s = s.replace("\u2010", "-").replace("\u2011", "-")
    s = _DASHES.sub(" ", _PUNCT.sub(" ", _POSSESSIVE.sub("", s)))
    return _ARTICLE.sub("", " ".join(s.split()))


def strip_span(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and (text[s].isspace() or text[s] in QUOTE_CHARS):
        s += 1
    while e > s and (text[e - 1].isspace() or text[e - 1] in QUOTE_CHARS):
        e -= 1
    return s, e


def match_quotes(text: str, gold: list[tuple[int, int]], pred: list[tuple[int, int]],
                 threshold: float = 0.5) -> dict[int, int]:
    """One-to-one pairs {gold index: predicted index}, largest overlap first,
    overlap/union >= threshold, after stripping marks and whitespace."""
    g = [(*strip_span(text, s, e), i) for i, (s, e) in enumerate(gold)]
    p = sorted((*strip_span(text, s, e), j) for j, (s, e) in enumerate(pred))
    p = [x for x in p if x[1] > x[0]]
    starts = [x[0] for x in p]
    candidates = []
    for gs, ge, i in g:
        if ge <= gs:
            continue
        # a predicted span that starts before gs - 2*len cannot reach overlap/union >= 0.5
        for k in range(bisect.bisect_left(starts, gs - 2 * (ge - gs)), bisect.bisect_left(starts, ge)):
            ps, pe, j = p[k]
            overlap = min(ge, pe) - max(gs, ps)
            if overlap > 0:
                iou = overlap / (max(ge, pe) - min(gs, ps))
                if iou >= threshold:
                    candidates.append((-overlap, -iou, i, j))
    candidates.sort()
    pairs: dict[int, int] = {}
    used: set[int] = set()
    for _, _, i, j in candidates:
        if i not in pairs and j not in used:
            pairs[i] = j
            used.add(j)
    return pairs


class PredictedCast:
    """Predicted characters, plus one-off clusters for speaker strings that
    name no predicted character."""

    def __init__(self, characters):
        self.names: list[str] = []
        self.surfaces: list[list[str]] = []
        self.listed = 0
        self._name: dict[str, int] = {}
        self._alias: dict[str, int] = {}
        self._norm: dict[str, int] = {}
        for c in characters:
            self._add(c.name, [c.name] + [a for a in c.aliases if a and a != c.name])
        self.listed = len(self.names)

    def _add(self, name: str, surfaces: list[str]) -> int:
        idx = len(self.names)
        self.names.append(name)
        self.surfaces.append(surfaces)
        self._name.setdefault(name.casefold(), idx)
        for s in surfaces:
            self._alias.setdefault(s.casefold(), idx)
            n = norm_alias(s)
            if n:
                self._norm.setdefault(n, idx)
        return idx

    def cluster(self, speaker: str) -> int:
        key = speaker.strip().casefold()
        for table in (self._name, self._alias):
            if key in table:
                return table[key]
        n = norm_alias(speaker)
        if n and n in self._norm:
            return self._norm[n]
        return self._add(speaker.strip(), [speaker.strip()])


class GoldCast:
    def __init__(self, characters: dict[str, list[str]]):
        self.characters = characters
        self.index: dict[str, set[str]] = collections.defaultdict(set)
        for main, surfaces in characters.items():
            for s in surfaces:
                n = norm_alias(s)
                if n:
                    self.index[n].add(main)

    def map(self, name: str, surfaces: list[str]) -> str | None:
        counts = collections.Counter()
        for n in {norm_alias(s) for s in surfaces}:
            for main in self.index.get(n, ()):
                counts[main] += 1
        if not counts:
            return None
        best = max(counts.values())
        tops = [g for g, c in counts.items() if c == best]
        if len(tops) == 1:
            return tops[0]
        hits = [g for g in tops if norm_alias(g) == norm_alias(name)]
        if len(hits) > 1:
            hits = [g for g in hits if g.strip().casefold() == name.strip().casefold()]
        return hits[0] if len(hits) == 1 else None


# ---------------------------------------------------------------------------
# scoring one novel

def score(gold: Gold, story) -> dict:
    """Counts for one novel (summed over novels for the micro total)."""
    text = gold.text
    gspans = [(q["start"], q["end"]) if q["start"] >= 0 else (0, 0) for q in gold.quotes]
    pspans = [(q.start, q.end) for q in story.quotes]
    pairs = match_quotes(text, gspans, pspans)
    c = collections.Counter(q_gold=len(gspans), q_pred=len(pspans), q_match=len(pairs))

    cast = PredictedCast(story.characters)
    gcast = GoldCast(gold.characters)
    for q in story.quotes:
        if q.speaker:
            cast.cluster(q.speaker)
    mapped: dict[int, str | None] = {}

    def to_gold(cluster: int) -> str | None:
        if cluster not in mapped:
            mapped[cluster] = gcast.map(cast.names[cluster], cast.surfaces[cluster])
        return mapped[cluster]

    def speaker_gold(name: str | None) -> str | None:
        return to_gold(cast.cluster(name)) if name else None

    # characters, before addressee strings add clusters of their own
    speaking = {q["speaker"] for q in gold.quotes if q["speaker"]}
    found = set()
    best_for_gold: dict[str, object] = {}
    for k in range(len(cast.names)):
        g = to_gold(k)
        if k < cast.listed:
            if g is None:
                c["extra"] += 1
            else:
                ch = story.characters[k]
                prev = best_for_gold.get(g)
                if prev is None or (ch.quotes, ch.mentions) > (prev.quotes, prev.mentions):
                    best_for_gold[g] = ch
        if g is not None:
            found.add(g)
    c["chr_speaking"] += len(speaking)
    c["chr_found"] += len(speaking & found)
    c["pred_chars"] += cast.listed
    for g, ch in best_for_gold.items():
        if gold.genders.get(g) in ("M", "F"):
            c["gender_n"] += 1
            c["gender_ok"] += ch.gender == gold.genders[g]
    resolve = _resolver(gold.characters)
    for i, gq in enumerate(gold.quotes):
        if gq["speaker"] is None:
            continue
        qtype = gq["type"] if gq["type"] in TYPES else "other"
        c["spk_n"] += 1
        c[f"spk_n_{qtype}"] += 1
        if i not in pairs:
            continue
        pq = story.quotes[pairs[i]]
        ok = speaker_gold(pq.speaker) == gq["speaker"]
        c["spk_det"] += 1
        c["spk_ok"] += ok
        c[f"spk_ok_{qtype}"] += ok
        for t in THRESHOLDS:
            if pq.speaker and pq.confidence >= t:
                c[f"cal_n_{t}"] += 1
                c[f"cal_ok_{t}"] += ok
        wanted = {resolve(a) for a in gq["addressees"] if a.strip() not in NO_ADDRESSEE} - {None}
        if wanted:
            c["addr_n"] += 1
            given = [a for a in (pq.addressees or []) if a]
            if given:
                c["addr_pred"] += 1
                c["addr_ok"] += speaker_gold(given[0]) in wanted

    # B3 over gold aliases: an item is a normalised alias listed under exactly one gold character
    owners: dict[str, set[str]] = collections.defaultdict(set)
    for main, surfaces in gold.characters.items():
        for s in surfaces:
            n = norm_alias(s)
            if n:
                owners[n].add(main)
    items = {n: next(iter(o)) for n, o in owners.items() if len(o) == 1}
    first_pred: dict[str, int] = {}
    for k in range(cast.listed):
        for n in {norm_alias(s) for s in cast.surfaces[k]} - {""}:
            first_pred.setdefault(n, k)
    item_pred = {n: first_pred[n] for n in items if n in first_pred}
    gold_size = collections.Counter(items.values())
    pred_size = collections.Counter(item_pred.values())
    both = collections.Counter((items[n], k) for n, k in item_pred.items())
    b3_p = b3_r = 0.0
    for n, k in item_pred.items():
        inter = both[(items[n], k)]
        b3_p += inter / pred_size[k]
        b3_r += inter / gold_size[items[n]]
    c["b3_items"] += len(items)
    c["b3_found"] += len(item_pred)

    out = dict(c)
    out["b3_sum_p"] = b3_p
    out["b3_sum_r"] = b3_r
    return out


def _div(a: float, b: float) -> float:
    return a / b if b else 0.0


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def figures(c: dict) -> dict:
    """Rates (0..1) from summed counts."""
    g = c.get
    qp, qr = _div(g("q_match", 0), g("q_pred", 0)), _div(g("q_match", 0), g("q_gold", 0))
    bp, br = _div(g("b3_sum_p", 0), g("b3_found", 0)), _div(g("b3_sum_r", 0), g("b3_items", 0))
    out = {
        "quote_precision": qp, "quote_recall": qr, "quote_f1": _f1(qp, qr),
        "speaker_accuracy": _div(g("spk_ok", 0), g("spk_n", 0)),
        "speaker_accuracy_detected": _div(g("spk_ok", 0), g("spk_det", 0)),
        "b3_precision": bp, "b3_recall": br, "b3_f1": _f1(bp, br),
        "char_recall": _div(g("chr_found", 0), g("chr_speaking", 0)),
        "extra": g("extra", 0), "pred_characters": g("pred_chars", 0),
        "gender_agreement": _div(g("gender_ok", 0), g("gender_n", 0)),
        "addressee_accuracy": _div(g("addr_ok", 0), g("addr_pred", 0)),
        "addressee_coverage": _div(g("addr_pred", 0), g("addr_n", 0)),
        "calibration": {str(t): {"accuracy": _div(g(f"cal_ok_{t}", 0), g(f"cal_n_{t}", 0)),
                                 "coverage": _div(g(f"cal_n_{t}", 0), g("spk_n", 0))}
                        for t in THRESHOLDS},
    }
    for t in TYPES:
        out[f"speaker_accuracy_{t.lower()}"] = _div(g(f"spk_ok_{t}", 0), g(f"spk_n_{t}", 0))
    return out


# ---------------------------------------------------------------------------
# running

def evaluate_one(job: tuple[GoldSource, bool, str | None]) -> tuple[str, dict, float, int, str | None]:
    """Load one gold novel, run quoth on it, score it.  Returns
    (name, counts, seconds, words, warning)."""
    source, with_cast, pred_dir = job
    from .pipeline import analyze

    gold = load(source)
    t = time.perf_counter()
    story = analyze(gold.text_path, characters=gold_cast(gold) if with_cast else None)
    seconds = time.perf_counter() - t
    warning = None
    if story.text != gold.text:
        warning = f"{gold.name}: quoth read a different text than the gold offsets index; figures are unreliable"
    if pred_dir:
        from .output import to_json_bytes
        (Path(pred_dir) / f"{gold.name}.json").write_bytes(to_json_bytes(story, include_text=False))
    return gold.name, score(gold, story), seconds, len(gold.text.split()), warning


def run(gold_path: str, novels=None, with_cast: bool = False, pred_dir: str | None = None,
        jobs: int = 2, progress=None) -> dict:
    """Evaluate; returns {"stories": {name: {"counts", "figures", "seconds", "words"}}, "micro": ...}."""
    sources = find_gold(gold_path, novels)
    if pred_dir:
        Path(pred_dir).mkdir(parents=True, exist_ok=True)
    work = [(s, with_cast, pred_dir) for s in sources]
    results = {}
    if jobs > 1 and len(work) > 1:
        with ProcessPoolExecutor(min(jobs, len(work))) as ex:
            done = ex.map(evaluate_one, work)
            for item in done:
                _collect(results, item, progress)
    else:
        for w in work:
            _collect(results, evaluate_one(w), progress)
    total = collections.Counter()
    for r in results.values():
        total.update(r["counts"])
    return {"gold": str(gold_path), "gold_cast": with_cast,
            "stories": {k: results[k] for k in sorted(results)},
            "micro": {"counts": dict(total), "figures": figures(total),
                      "seconds": sum(r["seconds"] for r in results.values()),
                      "words": sum(r["words"] for r in results.values())}}


def _collect(results, item, progress) -> None:
    name, counts, seconds, words, warning = item
    results[name] = {"counts": counts, "figures": figures(counts), "seconds": seconds, "words": words}
    if warning:
        print(f"quoth eval: warning: {warning}", file=sys.stderr)
    if progress:
        progress(name, seconds, words)


# ---------------------------------------------------------------------------
# printing

COLUMNS = [  # header, figure key, kind
    ("Q-P", "quote_precision", "pct"), ("Q-R", "quote_recall", "pct"), ("Q-F1", "quote_f1", "pct"),
    ("Spk", "speaker_accuracy", "pct"), ("Exp", "speaker_accuracy_explicit", "pct"),
    ("Ana", "speaker_accuracy_anaphoric", "pct"), ("Imp", "speaker_accuracy_implicit", "pct"),
    ("B3F1", "b3_f1", "pct"), ("ChR", "char_recall", "pct"), ("extra", "extra", "int"),
    ("Gen", "gender_agreement", "pct"), ("Addr", "addressee_accuracy", "pct"),
]


def _cell(figs: dict, key: str, kind: str, counts: dict) -> str:
    if key == "addressee_accuracy" and not counts.get("addr_pred"):
        return "-"
    if key == "gender_agreement" and not counts.get("gender_n"):
        return "-"
    v = figs[key]
    return str(v) if kind == "int" else f"{100 * v:.1f}"


def table_rows(result: dict) -> tuple[list[str], list[list[str]], list[str]]:
    header = ["story", "goldQ", "predQ"] + [h for h, _, _ in COLUMNS]
    rows = []
    for name, r in result["stories"].items():
        c = r["counts"]
        rows.append([name, str(c.get("q_gold", 0)), str(c.get("q_pred", 0))]
                    + [_cell(r["figures"], k, kind, c) for _, k, kind in COLUMNS])
    m = result["micro"]
    c = m["counts"]
    total = [f"TOTAL (micro, {len(rows)})", str(c.get("q_gold", 0)), str(c.get("q_pred", 0))] \
        + [_cell(m["figures"], k, kind, c) for _, k, kind in COLUMNS]
    return header, rows, total


def summary_lines(result: dict) -> list[str]:
    m = result["micro"]
    f, c = m["figures"], m["counts"]
    lines = [
        "speaker accuracy by gold quote type (all gold quotes): "
        + ", ".join(f"{t} {100 * f['speaker_accuracy_' + t.lower()]:.1f} (n={c.get('spk_n_' + t, 0)})"
                    for t in TYPES),
        f"speaker accuracy on detected quotes only: {100 * f['speaker_accuracy_detected']:.1f}",
        f"B3 over gold aliases: P {100 * f['b3_precision']:.1f}  R {100 * f['b3_recall']:.1f}  "
        f"F1 {100 * f['b3_f1']:.1f}   characters: {c.get('pred_chars', 0)} predicted, "
        f"{c.get('extra', 0)} extra ({100 * _div(c.get('extra', 0), c.get('pred_chars', 0)):.0f}%)",
        f"gender agreement: {100 * f['gender_agreement']:.1f} (n={c.get('gender_n', 0)} gold M/F characters found)",
        f"addressees: accuracy {100 * f['addressee_accuracy']:.1f} when given, given for "
        f"{100 * f['addressee_coverage']:.1f}% of {c.get('addr_n', 0)} matched quotes with a gold addressee",
        "calibration (speaker confidence >= t: accuracy / coverage of gold quotes): "
        + ", ".join(f"{t}: {100 * f['calibration'][str(t)]['accuracy']:.1f} / "
                    f"{100 * f['calibration'][str(t)]['coverage']:.1f}" for t in THRESHOLDS),
        f"time: {m['seconds']:.1f} s for {m['words']:,} words "
        f"({_div(m['seconds'], m['words']) * 100000:.2f} s per 100,000 words)",
    ]
    return lines


def print_plain(result: dict, out=None) -> None:
    out = out or sys.stdout
    header, rows, total = table_rows(result)
    widths = [max(len(r[i]) for r in [header, total] + rows) for i in range(len(header))]

    def line(cells):
        return "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths)))
    rule = "-" * len(line(header))
    print(line(header), file=out)
    print(rule, file=out)
    for r in rows:
        print(line(r), file=out)
    print(rule, file=out)
    print(line(total), file=out)
    print(file=out)
    for s in summary_lines(result):
        print(s, file=out)


def print_rich(result: dict, console=None) -> None:
    from rich import box
    from rich.console import Console
    from rich.table import Table

    header, rows, total = table_rows(result)
    title = "quoth eval" + (" (gold cast)" if result.get("gold_cast") else "")
    table = Table(title=title, box=box.SIMPLE_HEAD, header_style="bold", padding=(0, 1), pad_edge=False)
    for i, h in enumerate(header):
        if i == 0:      # only the story name gives way on a narrow terminal
            table.add_column(h, justify="left", overflow="ellipsis", no_wrap=True, min_width=8)
        else:
            width = max(len(h), *(len(r[i]) for r in rows + [total]))
            table.add_column(h, justify="right", no_wrap=True, min_width=width, max_width=width)
    for r in rows:
        table.add_row(*r)
    table.add_section()
    table.add_row(*total, style="bold")
    console = console or Console()
    console.print(table)
    for s in summary_lines(result):
        console.print(s, highlight=False)


def cmd_eval(args) -> int:
    jobs = max(1, getattr(args, "jobs", None) or 2)
    result = run(args.gold, novels=args.novels, with_cast=args.gold_cast, pred_dir=args.pred_dir, jobs=jobs)
    if args.json:
        Path(args.json).write_bytes(orjson.dumps(result, option=orjson.OPT_INDENT_2) + b"\n")
    if sys.stdout.isatty():
        print_rich(result)
    else:
        print_plain(result)
    return 0
