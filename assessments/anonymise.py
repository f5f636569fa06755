"""Taking people's names out of free text, for a moderation sample's anonymised portfolios.

Pure: names and labels in, text out; nothing here touches the database. Whole words only, in
any case, so "Sam" goes from "Sam's plan" but "Samuel" and "sample" stay as they are.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable


def name_parts(full_name: str) -> tuple[str, ...]:
    """A full name, and its given name and surname on their own: "Ana Lima", "Ana", "Lima"."""
    words = full_name.split()
    if len(words) < 2:
        return tuple(words)
    return (" ".join(words), words[0], words[-1])


def _pattern(term: str) -> str:
    # A name broken over two lines, or typed with two spaces, is still the name.
    return r"\s+".join(re.escape(word) for word in term.split())


def scrubber(aliases: Iterable[tuple[str, str]]) -> Callable[[str], str]:
    """A function that replaces each term by its label; a term listed twice keeps its first label.

    Longer terms are tried first, so a full name becomes one label rather than two.
    """
    first: dict[str, tuple[str, str]] = {}
    for term, label in aliases:
        key = " ".join(term.split()).casefold()
        if key and key not in first:
            first[key] = (term, label)
    if not first:
        return lambda text: text
    ordered = sorted(first.values(), key=lambda alias: len(alias[0]), reverse=True)
    # One named group per term: the group that matched names the label, whatever its case.
    groups = {f"term{index}": label for index, (_term, label) in enumerate(ordered)}
    alternatives = "|".join(
        f"(?P<term{index}>{_pattern(term)})" for index, (term, _label) in enumerate(ordered)
    )
    expression = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)

    def scrub(text: str) -> str:
        if not text:
            return text
        return expression.sub(lambda found: groups[found.lastgroup], text)

    return scrub


def scrub(text: str, aliases: Iterable[tuple[str, str]]) -> str:
    """The text with every alias term replaced by its label."""
    return scrubber(aliases)(text)
