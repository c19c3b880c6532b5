"""Reads and writes behind the timeline: counts per day, swimlanes, the chronology's messages and events.

Each distinct email counts once (duplicates are left out), on its `sent_day`: the day it falls on in its release's
time zone (foia_tui.archive.clock); a message whose date is not a real calendar day counts as undated. `ids`, where
taken, narrows everything to a search's matching messages.
"""

from __future__ import annotations

import json
import weakref
from collections import Counter, defaultdict
from collections.abc import Collection, Sequence
from datetime import date, timedelta

from foia_tui.archive import Archive
from foia_tui.archive.store import now_iso
from foia_tui.domain.timeline import (
    Event,
    Lane,
    Series,
    Unit,
    day_of,
    parse_day,
    roll_lanes,
)

LANE_LIMIT = 100
LANE_ROLES = ("from", "to", "cc")
# A person's lane gathers every alias resolved to them (key: the person id); a correspondent not (yet) resolved
# has one of their own (key: their address or name, which cannot be mistaken for a number). Every redacted name is
# a person of its own (nothing says who is behind a box), so they share one lane: "redacted".
REDACTED = "redacted"
PERSON_KEY = f"""CASE WHEN pe.redacted THEN '{REDACTED}'
    ELSE coalesce(p.person_id, 'address:' || coalesce(p.email, p.name)) END"""
PERSON_WHERE = "coalesce(p.email, p.name, '') != '' AND p.role IN (?, ?, ?)"
# `duplicate_of > ''` (ids are never empty) lets SQLite use the duplicate_of index, where IS NOT NULL scans.
DUPLICATE_IDS = "SELECT id FROM messages WHERE duplicate_of > ''"
# Counts come from the (sent_sort, id, sent_day) index (covering), less the duplicates' share: reading
# duplicate_of for every row would read every message body too, since the column is stored after it.
ALL_DAYS = "SELECT sent_day AS day, count(*) FROM messages WHERE sent_day IS NOT NULL GROUP BY day"
DUPLICATE_DAYS = """SELECT sent_day AS day, count(*) FROM messages
    WHERE duplicate_of > '' AND sent_day IS NOT NULL GROUP BY day"""
# A few hits are looked up one by one; many are matched while scanning the (sent_sort, id, sent_day) index, which
# is cheaper past about 20,000 (the unary + keeps SQLite from seeking them by id).
HIT_DAYS = f"""SELECT sent_day AS day, count(*) FROM messages
    WHERE {{id}} IN (SELECT value FROM json_each(?)) AND sent_day IS NOT NULL AND id NOT IN ({DUPLICATE_IDS})
    GROUP BY day"""
SCAN_ABOVE = 20_000
PEOPLE_MESSAGES = f"""SELECT CASE WHEN pe.redacted THEN '{REDACTED}' ELSE p.person_id END AS key, count(*),
    CASE WHEN pe.redacted THEN '{REDACTED}' ELSE max(pe.name) END, group_concat(p.message_id)
    FROM participants p JOIN people pe ON pe.id = p.person_id WHERE p.role IN (?, ?, ?) GROUP BY key"""
UNRESOLVED_MESSAGES = """SELECT 'address:' || coalesce(p.email, p.name) AS key, count(*),
    max(coalesce(p.name, p.email)), group_concat(p.message_id) FROM participants p
    WHERE p.person_id IS NULL AND coalesce(p.email, p.name, '') != '' AND p.role IN (?, ?, ?) GROUP BY key"""


def _rows(archive: Archive, sql: str, params: tuple = ()) -> list[tuple]:
    """Rows as tuples: the lanes read hundreds of thousands of them, where dicts would cost more than SQLite."""
    with archive._reading():
        return archive._conn.execute(sql, params).fetchall()


def _days(rows: Sequence[tuple], less: Sequence[tuple] = ()) -> dict[date, int]:
    """(day text, n) rows as counts per calendar day, less `less`; text that is not a calendar day is left out."""
    counts = Counter(dict(rows))
    counts.subtract(dict(less))
    out = {}
    for text, n in counts.items():
        day = day_of(text)
        if day is not None and n > 0 and len(text) == 10:
            out[day] = out.get(day, 0) + n
    return out


def day_counts(archive: Archive, ids: Collection[str] | None = None) -> Series:
    """Distinct emails per day, of all of them or of `ids` (a search's hits)."""
    if ids is None:
        return Series("day", _days(_rows(archive, ALL_DAYS), _rows(archive, DUPLICATE_DAYS)))
    ids = list(ids)
    sql = HIT_DAYS.format(id="+id" if len(ids) > SCAN_ABOVE else "id")
    return Series("day", _days(_rows(archive, sql, (json.dumps(ids),))))


def distinct_count(archive: Archive, ids: Collection[str] | None = None) -> int:
    """Distinct emails, dated or not (with `ids`: how many of them are distinct emails)."""
    if ids is None:
        return archive._scalar("SELECT count(*) FROM messages WHERE duplicate_of IS NULL")
    return archive._scalar(
        f"SELECT count(*) FROM messages WHERE id IN (SELECT value FROM json_each(?)) AND id NOT IN ({DUPLICATE_IDS})",
        (json.dumps(list(ids)),),
    )


_lane_cache: weakref.WeakKeyDictionary[Archive, tuple[tuple[int, int], dict[tuple[str, Unit], list[Lane]]]] = (
    weakref.WeakKeyDictionary()
)


def lanes_for(archive: Archive, kind: str, unit: Unit) -> list[Lane]:
    """Person ("person") or thread lanes by `unit`, remembered until the archive changes (counting takes a while)."""
    version = (archive._scalar("PRAGMA data_version"), archive._conn.total_changes)
    cached = _lane_cache.get(archive)
    if cached is None or cached[0] != version:
        cached = _lane_cache[archive] = (version, {})
    lanes = cached[1]
    if (kind, "day") not in lanes:
        lanes[kind, "day"] = person_lanes(archive) if kind == "person" else thread_lanes(archive)
    if (kind, unit) not in lanes:
        lanes[kind, unit] = roll_lanes(lanes[kind, "day"], unit)
    return lanes[kind, unit]


def person_lanes(archive: Archive, limit: int = LANE_LIMIT) -> list[Lane]:
    """Per day, every message each person sent or received (all their aliases together; every redacted name in
    one lane); busiest first."""
    texts = dict(_rows(archive, "SELECT id, sent_day FROM messages WHERE sent_day IS NOT NULL"))
    for (duplicate,) in _rows(archive, DUPLICATE_IDS):
        texts.pop(duplicate, None)
    calendar = {text: day_of(text) if len(text) == 10 else None for text in set(texts.values())}
    days = {message_id: calendar[text] for message_id, text in texts.items()}
    # One row per correspondent with all their (hex, comma-free) message ids: the per-message work then runs in
    # C (split, set, map, Counter) rather than a Python loop over every participant row. Resolved people come
    # from the (person_id, role, message_id) index. Busiest first (copies counted: twice as many as needed).
    grouped = _rows(archive, PEOPLE_MESSAGES, LANE_ROLES) + _rows(archive, UNRESOLVED_MESSAGES, LANE_ROLES)
    grouped.sort(key=lambda row: -row[1])
    lanes = []
    for key, _, label, message_ids in grouped[: 2 * limit]:
        counts = Counter(map(days.get, set(message_ids.split(","))))  # a set: To and Cc of one message count once
        counts.pop(None, None)  # duplicates, undated messages
        if counts:
            lanes.append(Lane(str(key), label or str(key), dict(counts)))
    lanes.sort(key=lambda lane: (-lane.total, lane.label, lane.key))
    return lanes[:limit]


def thread_lanes(archive: Archive, limit: int = LANE_LIMIT) -> list[Lane]:
    """Per day, the messages of the `limit` biggest threads, in order of each thread's first message."""
    subjects = dict(_rows(archive, "SELECT id, subject FROM threads ORDER BY message_count DESC, id LIMIT ?", (limit,)))
    rows = _rows(
        archive,
        """SELECT thread_id, sent_day AS day, count(*) FROM messages
           WHERE thread_id IN (SELECT value FROM json_each(?)) AND duplicate_of IS NULL AND sent_day IS NOT NULL
           GROUP BY thread_id, day""",
        (json.dumps(list(subjects)),),
    )
    by_thread: dict[str, list[tuple]] = defaultdict(list)
    for thread, day, n in rows:
        by_thread[thread].append((day, n))
    lanes = [Lane(t, subjects[t] or "(no subject)", counts) for t, days in by_thread.items() if (counts := _days(days))]
    lanes.sort(key=lambda lane: (min(lane.counts), lane.key))
    return lanes


def _lane_filter(lane: str | None, lanes: str) -> tuple[str, tuple]:
    """SQL narrowing messages `m` to one lane: a thread id, a person id, the redacted, or an unresolved
    'address:…' key."""
    if lane is None:
        return "", ()
    if lanes == "thread":
        return " AND m.thread_id = ?", (lane,)
    if lane == REDACTED:
        who, key = "person_id IN (SELECT id FROM people WHERE redacted = ?)", 1
    elif lane.isdigit():
        who, key = "person_id = ?", int(lane)
    else:
        who, key = "person_id IS NULL AND coalesce(email, name) = ?", lane.removeprefix("address:")
    return f" AND m.id IN (SELECT message_id FROM participants p WHERE {who} AND {PERSON_WHERE})", (key, *LANE_ROLES)


def period_summary(
    archive: Archive,
    start: date,
    end: date,
    *,
    lane: str | None = None,
    lanes: str = "person",
    hits: Collection[str] | None = None,
) -> dict:
    """How many messages, who took part and which threads in [start, end]; within one lane when `lane` is given.

    `people` and `threads` are (label, messages) pairs, most messages first; `hits` counts the search's hits.
    """
    narrow, narrow_params = _lane_filter(lane, lanes)
    where = f"m.sent_day >= ? AND m.sent_day < ? AND m.duplicate_of IS NULL{narrow}"
    params = (start.isoformat(), (end + timedelta(days=1)).isoformat(), *narrow_params)
    threads = _rows(
        archive,
        f"""SELECT coalesce(t.subject, max(m.subject), '(no subject)') AS label, count(*) AS n
            FROM messages m LEFT JOIN threads t ON t.id = m.thread_id WHERE {where}
            GROUP BY m.thread_id ORDER BY n DESC, label""",
        params,
    )
    people = _rows(
        archive,
        f"""SELECT CASE WHEN max(pe.redacted) THEN '{REDACTED}' ELSE coalesce(max(pe.name), max(p.name), max(p.email))
                   END AS label, count(DISTINCT p.message_id) AS n
            FROM messages m JOIN participants p ON p.message_id = m.id LEFT JOIN people pe ON pe.id = p.person_id
            WHERE {where} AND {PERSON_WHERE} GROUP BY {PERSON_KEY} ORDER BY n DESC, label""",
        params + LANE_ROLES,
    )
    found = None
    if hits is not None:
        found = archive._scalar(
            f"SELECT count(*) FROM messages m WHERE {where} AND m.id IN (SELECT value FROM json_each(?))",
            (*params, json.dumps(list(hits))),
        )
    return {"messages": sum(n for _, n in threads), "hits": found, "people": people, "threads": threads}


def chronology_messages(archive: Archive, ids: Collection[str] | None = None) -> list[dict]:
    """Messages for a chronology (all distinct ones, or `ids`), with what a citation needs, in time order."""
    where, params = "m.duplicate_of IS NULL", ()
    if ids is not None:
        where, params = f"{where} AND m.id IN (SELECT value FROM json_each(?))", (json.dumps(list(ids)),)
    rows = archive._query(
        f"""SELECT m.id, m.subject, m.sender_name, m.sender_email, m.sender_raw, m.recipients, m.sent,
                   m.sent_sort, m.sent_day, m.body, m.page_start, m.page_end, m.bates_start, m.bates_end, d.path AS file
            FROM messages m JOIN documents d ON d.id = m.document_id WHERE {where}
            ORDER BY m.sent_sort IS NULL, m.sent_sort, d.path, m.ordinal""",
        params,
    )
    for row in rows:
        row["file"] = (row["file"] or "").replace("\\", "/").rsplit("/", 1)[-1]
    return rows


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
    rows = archive._query(
        """SELECT id, date, label, note FROM events
           WHERE (? IS NULL OR date >= ?) AND (? IS NULL OR date <= ?) ORDER BY date, id""",
        (*(2 * [start.isoformat() if start else None]), *(2 * [end.isoformat() if end else None])),
    )
    # a hand-edited row with a broken date cannot be placed; `foia event list` still shows it
    return [Event(r["id"], day, r["label"], r["note"]) for r in rows if (day := day_of(r["date"]))]


def event_rows(archive: Archive) -> list[dict]:
    """Every stored event as `foia event list --json` prints it."""
    return archive._query("SELECT id, date, label, note, created_at FROM events ORDER BY date, id")


def remove_event(archive: Archive, event_id: int) -> bool:
    """Delete one event; False when there was none with that id."""
    with archive.transaction() as conn:
        return conn.execute("DELETE FROM events WHERE id = ?", (event_id,)).rowcount > 0
