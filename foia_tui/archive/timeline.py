"""Reads and writes behind the timeline: counts per calendar bucket, swimlanes, chronologies and events.

Each distinct email counts once (duplicates are left out), dated by `sent_sort`; a message whose date is not a
real calendar day counts as undated. `ids`, where taken, narrows everything to a search's matching messages.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Collection
from datetime import date, timedelta

from foia_tui.archive import Archive
from foia_tui.archive.store import now_iso
from foia_tui.timeline import Event, Lane, Series, TimelineData, Unit, chronology_rows, day_of, parse_day

DATED = "date(substr(m.sent_sort, 1, 10)) = substr(m.sent_sort, 1, 10)"
BUCKET_SQL: dict[str, str] = {
    "day": "substr(m.sent_sort, 1, 10)",
    "week": "date(substr(m.sent_sort, 1, 10), '-6 days', 'weekday 1')",
    "month": "substr(m.sent_sort, 1, 7) || '-01'",
}
LANE_LIMIT = 100
LANE_ROLES = ("from", "to", "cc")
# A person's lane gathers every alias resolved to them; a correspondent not (yet) resolved has one of their own.
PERSON_KEY = "coalesce('person:' || p.person_id, 'address:' || coalesce(p.email, p.name))"
PERSON_WHERE = "coalesce(p.email, p.name, '') != '' AND p.role IN (?, ?, ?)"


def _scope(ids: Collection[str] | None, *, dated: bool = True) -> tuple[str, tuple]:
    """WHERE text and parameters: distinct emails, dated ones, and only `ids` when given."""
    where = "m.duplicate_of IS NULL" + (f" AND {DATED}" if dated else "")
    if ids is None:
        return where, ()
    return where + " AND m.id IN (SELECT value FROM json_each(?))", (json.dumps(list(ids)),)


def _period(start: date, end: date) -> tuple[str, tuple]:
    """sent_sort within [start, end] (whole days), in a form the sent_sort index answers."""
    return "m.sent_sort >= ? AND m.sent_sort < ?", (start.isoformat(), (end + timedelta(days=1)).isoformat())


def bucket_counts(archive: Archive, unit: Unit, ids: Collection[str] | None = None) -> Series:
    """Messages per day, week (from Monday) or month."""
    where, params = _scope(ids)
    rows = archive.query(
        f"SELECT {BUCKET_SQL[unit]} AS bucket, count(*) AS n FROM messages m WHERE {where} GROUP BY bucket", params
    )
    return Series.from_rows(unit, ((r["bucket"], r["n"]) for r in rows))


def undated_count(archive: Archive, ids: Collection[str] | None = None) -> int:
    """Distinct emails the timeline cannot place (no date, or one that is not a calendar day)."""
    where, params = _scope(ids, dated=False)
    return archive.scalar(f"SELECT count(*) FROM messages m WHERE {where} AND NOT coalesce({DATED}, 0)", params)


def person_lanes(archive: Archive, unit: Unit, limit: int = LANE_LIMIT) -> list[Lane]:
    """One lane per person who sent or received mail (all their aliases together), busiest first."""
    where, params = _scope(None)
    rows = archive.query(
        f"""SELECT {PERSON_KEY} AS key, {BUCKET_SQL[unit]} AS bucket, count(DISTINCT m.id) AS n,
                   max(pe.name) AS person, max(p.name) AS name, max(p.email) AS email
            FROM participants p JOIN messages m ON m.id = p.message_id LEFT JOIN people pe ON pe.id = p.person_id
            WHERE {where} AND {PERSON_WHERE} GROUP BY key, bucket""",
        params + LANE_ROLES,
    )
    counts: dict[str, dict[date, int]] = defaultdict(dict)
    labels: dict[str, str] = {}
    for r in rows:
        counts[r["key"]][date.fromisoformat(r["bucket"])] = r["n"]
        labels.setdefault(r["key"], r["person"] or r["name"] or r["email"])
    lanes = [Lane(key, labels[key], c) for key, c in counts.items()]
    lanes.sort(key=lambda lane: (-lane.total, lane.label, lane.key))
    return lanes[:limit]


def thread_lanes(archive: Archive, unit: Unit, limit: int = LANE_LIMIT) -> list[Lane]:
    """One lane per thread, the busiest `limit` of them, in order of their first message."""
    where, params = _scope(None)
    rows = archive.query(
        f"""SELECT m.thread_id, {BUCKET_SQL[unit]} AS bucket, count(*) AS n FROM messages m
            WHERE {where} AND m.thread_id IS NOT NULL GROUP BY m.thread_id, bucket""",
        params,
    )
    subjects = {r["id"]: r["subject"] for r in archive.query("SELECT id, subject FROM threads")}
    counts: dict[str, dict[date, int]] = defaultdict(dict)
    for r in rows:
        counts[r["thread_id"]][date.fromisoformat(r["bucket"])] = r["n"]
    lanes = [Lane(key, subjects.get(key) or "(no subject)", c) for key, c in counts.items()]
    lanes.sort(key=lambda lane: (-lane.total, lane.key))
    lanes = lanes[:limit]
    lanes.sort(key=lambda lane: (min(lane.counts), lane.key))
    return lanes


def load_timeline(
    archive: Archive, unit: Unit, ids: Collection[str] | None = None, lanes: str = "person"
) -> TimelineData:
    """Everything the timeline screen draws at one zoom level; `ids` are the search hits to overlay."""
    return TimelineData(
        totals=bucket_counts(archive, unit),
        hits=bucket_counts(archive, unit, ids) if ids is not None else None,
        lanes=(person_lanes if lanes == "person" else thread_lanes)(archive, unit),
        events=list_events(archive),
    )


def period_summary(
    archive: Archive,
    start: date,
    end: date,
    *,
    lane: str | None = None,
    lanes: str = "person",
    hits: Collection[str] | None = None,
) -> dict:
    """Who wrote, how many messages and which threads in [start, end], within one lane when `lane` is given."""
    where, params = _scope(None)
    between, period = _period(start, end)
    rows = archive.query(
        f"""SELECT m.id, m.thread_id, coalesce(t.subject, m.subject) AS thread_subject
            FROM messages m LEFT JOIN threads t ON t.id = m.thread_id
            WHERE {between} AND {where} ORDER BY m.sent_sort, m.id""",
        period + params,
    )
    people: dict[str, dict[str, str]] = defaultdict(dict)  # message id -> person key -> label
    for p in archive.query(
        f"""SELECT p.message_id, {PERSON_KEY} AS key, coalesce(pe.name, p.name, p.email) AS label
            FROM participants p JOIN messages m ON m.id = p.message_id LEFT JOIN people pe ON pe.id = p.person_id
            WHERE {between} AND {where} AND {PERSON_WHERE}""",
        period + params + LANE_ROLES,
    ):
        people[p["message_id"]].setdefault(p["key"], p["label"])
    if lane is not None:
        rows = [
            r
            for r in rows
            if (r["thread_id"] == lane if lanes == "thread" else lane in people[r["id"]])
        ]
    hit_ids = set(hits) if hits is not None else None
    return {
        "messages": len(rows),
        "hits": None if hit_ids is None else sum(1 for r in rows if r["id"] in hit_ids),
        "people": Counter(label for r in rows for label in people[r["id"]].values()).most_common(),
        "threads": Counter(r["thread_subject"] or "(no subject)" for r in rows).most_common(),
    }


def chronology_messages(archive: Archive, ids: Collection[str] | None = None) -> list[dict]:
    """Messages for a chronology (all distinct ones, or `ids`), with what a citation needs, in time order."""
    where, params = _scope(ids, dated=False)
    rows = archive.query(
        f"""SELECT m.id, m.subject, m.sender_name, m.sender_email, m.sender_raw, m.recipients, m.sent,
                   m.sent_sort, m.body, m.page_start, m.page_end, m.bates_start, m.bates_end, d.path AS file
            FROM messages m JOIN documents d ON d.id = m.document_id WHERE {where}
            ORDER BY m.sent_sort IS NULL, m.sent_sort, d.path, m.ordinal""",
        params,
    )
    for row in rows:
        row["file"] = (row["file"] or "").replace("\\", "/").rsplit("/", 1)[-1]
    return rows


def chronology(archive: Archive, ids: Collection[str] | None = None) -> list[dict]:
    """Chronology rows: the messages (all, or `ids`) and the events between the first and last of them."""
    messages = chronology_messages(archive, ids)
    days = sorted(d for d in (day_of(m["sent_sort"]) for m in messages) if d)
    return chronology_rows(messages, list_events(archive, days[0], days[-1]) if days else [])


# -- events ---------------------------------------------------------------------------------------------------


def add_event(archive: Archive, day: str | date, label: str, note: str | None = None) -> int:
    """Store a dated event ("Trial period ends"); the date must be a calendar day."""
    when = day if isinstance(day, date) else parse_day(day)
    label = label.strip()
    if not label:
        raise ValueError("an event needs a label")
    with archive.transaction() as conn:
        cursor = conn.execute(
            "INSERT INTO events (date, label, note, created_at) VALUES (?, ?, ?, ?)",
            (when.isoformat(), label, note or None, now_iso()),
        )
    return cursor.lastrowid


def list_events(archive: Archive, start: date | None = None, end: date | None = None) -> list[Event]:
    """Events in date order, only those within [start, end] when given (what exports put beside excerpts)."""
    rows = archive.query(
        """SELECT id, date, label, note FROM events
           WHERE (? IS NULL OR date >= ?) AND (? IS NULL OR date <= ?) ORDER BY date, id""",
        (*(2 * [start.isoformat() if start else None]), *(2 * [end.isoformat() if end else None])),
    )
    # a hand-edited row with a broken date cannot be placed; `foia event list` still shows it
    return [Event(r["id"], day, r["label"], r["note"]) for r in rows if (day := day_of(r["date"]))]


def event_rows(archive: Archive) -> list[dict]:
    """Every stored event as `foia event list --json` prints it."""
    return archive.query("SELECT id, date, label, note, created_at FROM events ORDER BY date, id")


def remove_event(archive: Archive, event_id: int) -> bool:
    """Delete one event; False when there was none with that id."""
    with archive.transaction() as conn:
        return conn.execute("DELETE FROM events WHERE id = ?", (event_id,)).rowcount > 0
