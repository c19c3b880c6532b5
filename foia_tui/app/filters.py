"""A filter a screen steps through with one key (a code, a release, a tag): everything, then each choice."""

from __future__ import annotations


def next_filter(choices: list[str | None], current: str | None) -> str | None:
    """The choice after `current` in `choices` (None, meaning no filter, usually first), round again."""
    return choices[(choices.index(current) + 1) % len(choices)] if current in choices else None
