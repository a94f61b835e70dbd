"""The pipeline: read → structure → quotes → mentions → characters → attribution."""
from __future__ import annotations

import os
import time

from .attribution import attribute
from .cast_refine import refine_cast
from .characters import characters as build_characters
from .mentions import mentions as find_mentions
from .quotes import quotes as find_quotes
from .read import read
from .story import Story
from .structure import structure

STAGES = [
    ("structure", structure),
    ("quotes", find_quotes),
    ("mentions", find_mentions),
    ("characters", build_characters),
    ("attribution", attribute),
    ("cast_refine", refine_cast),
]


def analyze(source: str | os.PathLike | bytes | Story, characters=None) -> Story:
    """Analyse a story given as a path, bytes, a text string or an already-read `Story`.

    `characters`: a known cast — a dict {name: [aliases]}, a list of {name, aliases},
    or a path to such a JSON file or a PDNC character_info.csv.
    """
    t0 = time.perf_counter()
    story = source if isinstance(source, Story) else read(source)
    story.timings["read"] = time.perf_counter() - t0
    if characters is not None:
        from .cast_input import load_cast, parse_cast
        if isinstance(characters, (str, os.PathLike)):
            story.known_cast, story.known_genders = load_cast(characters)
        else:
            story.known_cast, story.known_genders = parse_cast(characters)
    for name, stage in STAGES:
        t = time.perf_counter()
        story = stage(story)
        story.timings[name] = time.perf_counter() - t
    return story
