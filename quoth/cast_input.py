"""Known casts given by the user (`--characters`): JSON {"Name": [aliases]} or PDNC character_info.csv."""
from __future__ import annotations

import ast
import csv
import io
from pathlib import Path

import orjson

from .errors import QuothError
from .names import RANKS, SOFT_TITLES, SURNAME_TITLES, TITLES, genders_compatible, parse_name


def load_cast(path: str | Path) -> tuple[dict[str, list[str]], dict[str, str]]:
    """Return (name -> aliases, name -> gender)."""
    path = Path(path)
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except OSError as e:
        raise QuothError(f"{path}: cannot read character list ({e.strerror})") from None
    if path.suffix.lower() == ".csv" or raw.lstrip().startswith("Character ID"):
        return _load_pdnc_csv(raw, path)
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise QuothError(f"{path}: character list is neither JSON nor a PDNC character_info.csv") from None
    return parse_cast(data, str(path))


def parse_cast(data, where: str = "characters") -> tuple[dict[str, list[str]], dict[str, str]]:
    cast: dict[str, list[str]] = {}
    genders: dict[str, str] = {}
    if isinstance(data, dict):
        items = data.items()
    elif isinstance(data, list):
        items = [(d.get("name"), d.get("aliases", [])) for d in data if isinstance(d, dict)]
        for d in data:
            if isinstance(d, dict) and d.get("gender") in ("M", "F"):
                genders[d["name"]] = d["gender"]
    else:
        raise QuothError(f"{where}: character list must map names to lists of aliases")
    for name, aliases in items:
        if not isinstance(name, str) or not name.strip():
            continue
        if isinstance(aliases, str):
            aliases = [aliases]
        elif aliases is not None and not isinstance(aliases, (list, tuple, set)):
            raise QuothError(f"{where}: aliases of {name!r} must be a list of names")
        cast[name.strip()] = [a.strip() for a in (aliases or []) if isinstance(a, str) and a.strip()]
    if not cast:
        raise QuothError(f"{where}: character list is empty")
    return merge_shadows(cast, genders)


def _load_pdnc_csv(raw: str, path: Path):
    cast: dict[str, list[str]] = {}
    genders: dict[str, str] = {}
    for row in csv.DictReader(io.StringIO(raw)):
        name = (row.get("Main Name") or "").strip()
        if not name:
            continue
        try:
            aliases = ast.literal_eval(row.get("Aliases") or "[]")
        except (ValueError, SyntaxError):
            aliases = []
        cast[name] = sorted({a.strip() for a in aliases if isinstance(a, str) and a.strip()} | {name})
        if row.get("Gender") in ("M", "F"):
            genders[name] = row["Gender"]
    if not cast:
        raise QuothError(f"{path}: no characters found in CSV")
    return merge_shadows(cast, genders)


def merge_shadows(cast: dict[str, list[str]], genders: dict[str, str]):
    """Fold an entry that only repeats a short form of one other entry's name into that entry.

    Character lists made by annotators carry such entries (PDNC's Hard Times lists `Bounderby`,
    of unknown gender, beside `Josiah Bounderby`); read literally, `said Bounderby` goes to the
    bare entry, which never speaks. An entry is a shadow when its gender is not given, every
    name it has is one word (with or without a title; a rank or `Little` must be the other
    entry's too), and exactly one other entry with a full name has that word as its surname or,
    untitled, its first name, with no clash of gender. A bare surname that fits a man and a
    woman of one family goes to the man (`Bounderby`, not Louisa Bounderby), as English fiction
    uses it; any other tie keeps the entry. An entry of known gender is a person in its own
    right: `Hamidullah` beside Hamidullah Begum, `Mrs. Morland` beside Catherine Morland.
    """
    parsed = {name: [parse_name(a) for a in dict.fromkeys([name, *aliases])] for name, aliases in cast.items()}
    # entries with a full name, by its surname and by its first name (a long list stays linear)
    by_last: dict[str, set[str]] = {}
    by_first: dict[str, set[str]] = {}
    for name, ps in parsed.items():
        for p in ps:
            if len(p.core) >= 2:
                by_last.setdefault(p.core[-1], set()).add(name)
                by_first.setdefault(p.core[0], set()).add(name)
    merged: dict[str, str] = {}
    for name, ps in parsed.items():
        if name in genders or any(len(p.core) != 1 for p in ps):
            continue
        implied = {TITLES.get(t) for p in ps for t in p.titles} - {None}
        if len(implied) > 1:
            continue
        gender = next(iter(implied), None)
        ranks = {t for p in ps for t in p.titles if t in RANKS or t in SOFT_TITLES}
        hosts = None          # the entries every one of its names fits
        for p in ps:
            fits = set(by_last.get(p.core[0], ()))
            if not set(p.titles) & SURNAME_TITLES:
                fits |= by_first.get(p.core[0], set())
            hosts = fits if hosts is None else hosts & fits
        hosts = sorted(h for h in hosts or () if h != name and h not in merged
                       and genders_compatible(gender, genders.get(h))
                       # "Admiral Crawford" is not Henry Crawford, "Little Walter" not Sir Walter
                       and ranks <= {t for p in parsed[h] for t in p.titles})
        if len(hosts) > 1 and not all(p.titles for p in ps):
            hosts = [h for h in hosts if genders.get(h) == "M"]
        if len(hosts) == 1:
            merged[name] = hosts[0]
    for shadow, host in merged.items():
        cast[host] = list(dict.fromkeys([*cast[host], shadow, *cast.pop(shadow)]))
        genders.pop(shadow, None)
    return cast, genders
