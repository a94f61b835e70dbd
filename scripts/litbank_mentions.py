"""Evaluate quoth's person mentions and their links on LitBank (entities + coref).

    python scripts/litbank_mentions.py [--litbank /work/shared/data/litbank] [--split test|dev|all]

LitBank's 100 excerpts are split by position in sorted order: even = dev (used while
building the rules), odd = test (held out). Each excerpt is detokenised into one text,
run through quoth's read → structure → quotes → mentions → characters stages, and scored:

- names: quoth "name"/"vocative" mentions against LitBank PER spans made of capitalised
  words (proper names, with titles), exact token span; "candidates" are all capitalised
  runs the mention stage keeps, "person names" those the cast stage links to a character.
- nominals: quoth "nominal" mentions against LitBank PER spans that start with a
  determiner and are not proper names; a hit when both start on the same token and the
  quoth head lies inside the gold span (LitBank spans run on through relative clauses).
- links: a linked pronoun (outside quotes) or nominal is right when its gold coreference
  chain holds a proper-name mention that shares a word with the linked character's aliases.
"""
from __future__ import annotations

import argparse
import re
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from quoth.characters import characters  # noqa: E402
from quoth.mentions import mentions  # noqa: E402
from quoth.names import is_title  # noqa: E402
from quoth.quotes import quotes  # noqa: E402
from quoth.story import Story  # noqa: E402
from quoth.structure import structure  # noqa: E402

NO_SPACE_BEFORE = {",", ".", ";", ":", "!", "?", ")", "'s", "n't", "'ll", "'re", "'ve", "'d", "'m", "’s"}
DETERMINERS = {"the", "a", "an", "this", "that", "his", "her", "their", "my", "your", "our", "its"}


def read_tsv(path: Path):
    """Tokens (with sentence breaks) and PER spans as (start_token, end_token_exclusive)."""
    tokens: list[str] = []
    sent_start: set[int] = {0}
    per: set[tuple[int, int]] = set()
    open_spans: dict[int, int] = {}
    for line in path.read_text(encoding="utf-8").split("\n"):
        if not line.strip():
            sent_start.add(len(tokens))
            for layer, s in list(open_spans.items()):
                per.add((s, len(tokens)))
            open_spans.clear()
            continue
        cols = line.split("\t")
        i = len(tokens)
        tokens.append(cols[0])
        for layer, tag in enumerate(cols[1:5]):
            if layer in open_spans and not tag.startswith("I-PER"):
                per.add((open_spans.pop(layer), i))
            if tag.startswith("B-PER"):
                open_spans[layer] = i
    for layer, s in open_spans.items():
        per.add((s, len(tokens)))
    return tokens, sent_start, per


def read_coref(path: Path, n_tokens: int):
    """(start, end) token span -> entity id, from the CoNLL coreference column."""
    spans: dict[tuple[int, int], int] = {}
    stack: dict[int, list[int]] = defaultdict(list)
    i = 0
    for line in path.read_text(encoding="utf-8").split("\n"):
        if not line.strip() or line.startswith("#"):
            continue
        col = line.split("\t")[-1].strip()
        for part in col.split("|") if col not in ("", "_", "-") else []:
            m = re.fullmatch(r"\(?(\d+)\)?", part)
            if not m:
                continue
            eid = int(m.group(1))
            if part.startswith("("):
                stack[eid].append(i)
            if part.endswith(")"):
                s = stack[eid].pop() if stack[eid] else i
                spans[(s, i + 1)] = eid
        i += 1
    return spans if i == n_tokens else {}


def detokenise(tokens: list[str], sent_start: set[int]):
    parts: list[str] = []
    offsets: list[tuple[int, int]] = []
    pos = 0
    quote_open = False
    for i, t in enumerate(tokens):
        tt = t.replace("``", "“").replace("''", "”")
        if tt == '"':
            tt = "”" if quote_open else "“"
            quote_open = not quote_open
        elif tt in ("“",):
            quote_open = True
        elif tt in ("”",):
            quote_open = False
        glue = i == 0 or tt in NO_SPACE_BEFORE or (parts and parts[-1] in ("“", "(")) or tt == "”"
        sep = "" if glue else ("\n\n" if i in sent_start and tt == "“" else " ")
        parts.append(sep)
        pos += len(sep)
        offsets.append((pos, pos + len(tt)))
        parts.append(tt)
        pos += len(tt)
    return "".join(parts), offsets


def char_to_token(offsets):
    starts = {s: i for i, (s, e) in enumerate(offsets)}
    ends = {e: i for i, (s, e) in enumerate(offsets)}
    return starts, ends


def is_proper(tokens, s, e) -> bool:
    words = [t for t in tokens[s:e] if t[:1].isalpha()]
    return bool(words) and all(w[:1].isupper() or w in ("de", "van", "von", "of") for w in words) and \
        words[0].lower() not in DETERMINERS


def prf(tp, n_pred, n_gold):
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def evaluate(files: list[Path], litbank: Path) -> dict:
    c = defaultdict(int)
    for tsv in files:
        tokens, sent_start, per = read_tsv(tsv)
        coref = read_coref(litbank / "coref" / "conll" / (tsv.stem + ".conll"), len(tokens))
        text, offsets = detokenise(tokens, sent_start)
        starts, ends = char_to_token(offsets)
        story = characters(mentions(quotes(structure(Story(text)))))
        # a title alone ("Mr." inside "Mr. Blowers") is LitBank's nested layer, not a name
        gold_names = {sp for sp in per if is_proper(tokens, *sp)}
        gold_names = {sp for sp in gold_names if not (sp[1] - sp[0] == 1 and is_title(tokens[sp[0]]) and
                      any(g[0] == sp[0] and g[1] > sp[1] for g in per))}
        gold_noms = {sp for sp in per if tokens[sp[0]].lower() in DETERMINERS and not is_proper(tokens, *sp)}
        nom_by_start = defaultdict(list)
        for sp in gold_noms:
            nom_by_start[sp[0]].append(sp)
        # proper-name words of each gold entity, for judging links
        entity_words: dict[int, set[str]] = defaultdict(set)
        for (s, e), eid in coref.items():
            if is_proper(tokens, s, e):
                entity_words[eid].update(w for w in tokens[s:e] if w[:1].isupper())
        span_entity = coref
        token_entity: dict[int, int] = {}
        for (s, e), eid in coref.items():
            if e - s == 1:
                token_entity[s] = eid
        for m in story.mentions:
            s, e = starts.get(m.start), ends.get(m.end)
            if s is None or e is None:
                continue
            e += 1
            if m.kind in ("name", "vocative"):
                c["cand_pred"] += 1
                c["cand_tp"] += (s, e) in gold_names
                if m.character_id is not None:      # a name the cast stage kept as a person
                    c["name_pred"] += 1
                    c["name_tp"] += (s, e) in gold_names
            elif m.kind in ("nominal", "new"):     # "new": an indefinite description ("a stout man")
                c["nom_pred"] += 1
                hit = any(e <= ge for gs, ge in [(g[0], g[1]) for g in nom_by_start.get(s, [])])
                c["nom_tp"] += hit
            ch = story.character(m.character_id)
            if ch is None or m.kind in ("name", "vocative") or m.in_quote is not None:
                continue
            eid = token_entity.get(s) if m.kind == "pronoun" else next(
                (span_entity[g] for g in nom_by_start.get(s, []) if g in span_entity), None)
            if eid is None or not entity_words.get(eid):
                continue
            alias_words = {w for a in ch.aliases for w in a.split() if w[:1].isupper()}
            key = ("pron" if m.gender != "I" else "ipron") if m.kind == "pronoun" else "nomlink"
            c[key + "_n"] += 1
            c[key + "_ok"] += bool(alias_words & entity_words[eid])
        c["name_gold"] += len(gold_names)
        c["cand_gold"] += len(gold_names)
        c["nom_gold"] += len(gold_noms)
        c["files"] += 1
    return c


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--litbank", default="/work/shared/data/litbank")
    ap.add_argument("--split", choices=("test", "dev", "all"), default="test")
    a = ap.parse_args()
    lb = Path(a.litbank)
    files = sorted((lb / "entities" / "tsv").glob("*.tsv"))
    if a.split == "dev":
        files = files[0::2]
    elif a.split == "test":
        files = files[1::2]
    c = evaluate(files, lb)
    print(f"LitBank {a.split}: {c['files']} excerpts")
    for label, key in (("name candidates", "cand"), ("person names", "name"), ("nominal mentions", "nom")):
        p, r, f = prf(c[key + "_tp"], c[key + "_pred"], c[key + "_gold"])
        print(f"  {label:18s} P {100 * p:5.1f}  R {100 * r:5.1f}  F1 {100 * f:5.1f}"
              f"   (pred {c[key + '_pred']}, gold {c[key + '_gold']})")
    for label, key in (("he/she links", "pron"), ("I links (narrator)", "ipron"), ("nominal links", "nomlink")):
        n = c[key + "_n"]
        print(f"  {label:18s} accuracy {100 * c[key + '_ok'] / n if n else 0:5.1f}  (n={n}, "
              f"judged where the gold chain has a proper name)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
