"""Known casts given by the user (`--characters`): JSON {"Name": [aliases]} or PDNC character_info.csv."""
from __future__ import annotations

import ast
import csv
import io
from pathlib import Path

import orjson

from .errors import QuothError


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
    return cast, genders


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
    return cast, genders
