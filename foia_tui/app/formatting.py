"""Short, safe one-line labels for dates, people and sizes, shared by the app's widgets.

Everything that comes from a document passes through `foia_tui.domain.display.one_line` here.
"""

from __future__ import annotations

from foia_tui.domain.display import one_line


def day(iso: str | None) -> str:
    """'2019-01-05T10:22:00-05:00' -> '2019-01-05' ('' when undated)."""
    return one_line(iso or "")[:10]


def moment(iso: str | None) -> str:
    """'2019-01-05T10:22:00-05:00' -> '2019-01-05 10:22' ('undated' when there is no date)."""
    if not iso:
        return "undated"
    text = one_line(iso)
    return f"{text[:10]} {text[11:16]}".strip()


def day_span(first: str | None, last: str | None) -> str:
    """A thread's dates: one day, or 'first→last' with the year left out of the end when it repeats."""
    start, end = day(first), day(last)
    if not start or start == end:
        return end or "undated"
    if start[:4] == end[:4]:
        return f"{start}→{end[5:]}"
    return f"{start}→{end}"


def person(name: str | None, email: str | None, raw: str | None = None, width: int | None = None) -> str:
    """A correspondent's name, else address, else what the source printed."""
    return one_line(name or email or raw or "?", width)


def address(name: str | None, email: str | None, raw: str | None = None) -> str:
    """'Name <email>' when both are known."""
    if name and email:
        return one_line(f"{name} <{email}>")
    return person(name, email, raw)


def people(entries: list[dict], width: int | None = None) -> str:
    """'A, B, C' from stored address objects."""
    return one_line(", ".join(person(e.get("name"), e.get("email"), e.get("raw")) for e in entries), width)


def size(count: int | None) -> str:
    if count is None:
        return "size unknown"
    for unit in ("B", "KB", "MB"):
        if count < 1024:
            return f"{count:.0f} {unit}"
        count = count / 1024
    return f"{count:.1f} GB"
