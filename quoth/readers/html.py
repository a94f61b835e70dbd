"""HTML reader (AO3 downloads, FanFicFare / FanFiction.net style). Filled in by the readers work."""
from __future__ import annotations

from selectolax.parser import HTMLParser

from ..story import Story
from .text import normalise_newlines


def read_html(html: str, name: str) -> Story:
    tree = HTMLParser(html)
    for node in tree.css("script, style"):
        node.decompose()
    title_node = tree.css_first("title")
    body = tree.body or tree.root
    text = normalise_newlines(body.text(separator="\n") if body is not None else "")
    story = Story(text=text.strip("\n"), format="html")
    if title_node is not None:
        story.meta["title"] = title_node.text().strip()
    return story
