"""A production cut into parts: agencies split one release into ~40-page files ("… PART 9.pdf",
"…_10.pdf"), and an email may run off the last page of one part onto the first page of the next.

Parts are read in natural order (PART 9 before PART 10, `_2` before `_10`); a part number missing between
two others is a gap that a continuation must not be invented across.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import dataclass

_DIGITS_RE = re.compile(r"(\d+)")
# "FOIA 15-3569 FINAL PART 3", "release_2", "Emails (3)", "Production-004", "Vol. 2"
_PART_RE = re.compile(
    r"^(?P<base>.*?\S)[\s_\-.]*(?:\((?P<paren>\d{1,4})\)|(?:part|pt|vol(?:ume)?|no)\.?[\s_\-]*(?P<word>\d{1,4})"
    r"|(?<=[\s_\-.])(?P<bare>\d{1,3}))\s*$",
    re.IGNORECASE,
)


def natural_key(name: str) -> tuple[tuple[int, int | str], ...]:
    """Sort key that orders the numbers inside names by value: "PART 9" before "PART 10"."""
    return tuple((0, int(piece)) if piece.isdigit() else (1, piece.lower()) for piece in _DIGITS_RE.split(name))


@dataclass(frozen=True)
class Part:
    """A file's place in a production: the production's name and its part number."""

    production: str
    number: int


def part_of(stem: str) -> Part | None:
    """The production and part number a file name gives ("FOIA 15-3569 FINAL PART 3" → part 3 of
    "FOIA 15-3569 FINAL"), or None when the name carries no part number."""
    match = _PART_RE.match(stem)
    if not match:
        return None
    number = match.group("paren") or match.group("word") or match.group("bare")
    return Part(match.group("base").strip(" _-."), int(number))


def production_names(stems: list[str]) -> dict[str, str]:
    """The production each file belongs to, for files whose names differ only by a part number: at least
    two such files make a production, named by what their names share."""
    parts = {stem: part for stem in stems if (part := part_of(stem)) is not None}
    counts = Counter(part.production.lower() for part in parts.values())
    return {stem: part.production for stem, part in parts.items() if counts[part.production.lower()] > 1}


def missing_parts(stems: list[str]) -> dict[str, list[int]]:
    """For each file, the part numbers missing just before it ("PART 12" after "PART 10": [11])."""
    numbered = sorted(((part, s) for s in stems if (part := part_of(s)) is not None), key=lambda p: natural_key(p[1]))
    missing: dict[str, list[int]] = {}
    for (before, _), (part, stem) in itertools.pairwise(numbered):
        if before.production.lower() == part.production.lower() and part.number > before.number + 1:
            missing[stem] = list(range(before.number + 1, part.number))
    return missing
