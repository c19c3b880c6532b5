"""The timeline as the screen and `foia timeline` show it: counts per bucket, the chronology, events.

The archive counts per day and reads messages and events (foia_tui.archive.timeline); the buckets and the
chronology's rows are worked out by foia_tui.domain.timeline; this module joins the two.
"""

from __future__ import annotations

from collections.abc import Collection

from foia_tui.archive import Archive
from foia_tui.archive.timeline import (
    add_event,
    chronology_messages,
    day_counts,
    distinct_count,
    event_rows,
    lanes_for,
    list_events,
    period_summary,
    remove_event,
)
from foia_tui.domain.timeline import Series, TimelineData, Unit, chronology_rows, day_of

__all__ = [
    "add_event",
    "bucket_counts",
    "chronology",
    "day_counts",
    "distinct_count",
    "event_rows",
    "lanes_for",
    "list_events",
    "load_timeline",
    "period_summary",
    "remove_event",
]


def bucket_counts(archive: Archive, unit: Unit, ids: Collection[str] | None = None) -> Series:
    """Distinct emails per day, week (from Monday) or month, counted on the day each falls on in its release's zone."""
    return day_counts(archive, ids).rollup(unit)


def load_timeline(archive: Archive, ids: Collection[str] | None = None) -> TimelineData:
    """Counts per day (all, and of the search hits `ids` to overlay, when given) and the events.

    Lanes are counted apart (lanes_for); the screen draws the histogram first and the rest as it arrives.
    """
    return TimelineData(
        totals=day_counts(archive),
        hits=day_counts(archive, ids) if ids is not None else None,
        events=list_events(archive),
    )


def chronology(archive: Archive, ids: Collection[str] | None = None) -> list[dict]:
    """Chronology rows: the messages (all, or `ids`) and the events between the first and last of them."""
    messages = chronology_messages(archive, ids)
    days = sorted(d for d in (day_of(m["sent_day"]) for m in messages) if d)
    return chronology_rows(messages, list_events(archive, days[0], days[-1]) if days else [])
