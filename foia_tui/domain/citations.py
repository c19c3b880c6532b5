"""How a citation names pages, so the app, the chronology and the exports cite a message the same way."""

from __future__ import annotations


def page_range(start: int | None, end: int | None) -> str:
    """'p. 3', or 'pp. 2–3' for a span of pages; '' when the page is unknown."""
    if start is None:
        return ""
    if end is None or end == start:
        return f"p. {start}"
    return f"pp. {start}–{end}"
