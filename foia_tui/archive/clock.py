"""The archive's one clock: each release's time zone, and every message's sort key and day in it.

A message takes the zone of the first release (by id) holding its document that has one. Its `sent_sort` (UTC, a
printed time read in that zone) and `sent_day` (the day it counts on there) are stored, and worked out again when a
release's zone or documents change, so ordering, the timeline and search `date:` read them from the
(sent_sort, id, sent_day) index instead of converting per query. `sent` stays as printed: it is what is shown.

A release's zone is detected from the offsets its zoned times print (foia_tui.domain.clock.detect_zone) unless a
person gave one (`tz_given`). Every function takes a connection inside the caller's transaction, so an import's
batch, `foia release edit` and the schema's migration use them alike.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection
from dataclasses import dataclass

from foia_tui.domain.clock import detect_zone, moment, zone

# The zone a message is read in: its document's first release (by id) that has one.
ZONE_OF = """(SELECT r.tz FROM release_documents rd JOIN releases r ON r.id = rd.release_id
    WHERE rd.document_id = m.document_id AND r.tz IS NOT NULL ORDER BY r.id LIMIT 1)"""
# The documents given and those made from their attachments (which the release holds too).
FAMILY = """WITH RECURSIVE family(id) AS (
        SELECT value FROM json_each(?)
        UNION
        SELECT d.id FROM documents d JOIN messages p ON p.id = d.parent_message_id
        JOIN family f ON f.id = p.document_id)
    """


@dataclass(frozen=True)
class ClockChange:
    """What setting the clock changed: releases whose zone changed, and messages re-sorted or re-dated."""

    zones: int = 0
    messages: int = 0


def date_documents(conn: sqlite3.Connection, document_ids: Collection[str] | None = None) -> int:
    """Store the sort key and day of the messages of `document_ids` (and their attachments' documents; every
    message when None) in their release's zone; how many changed."""
    if document_ids is None:
        rows = conn.execute(f"SELECT m.id, m.sent, m.sent_sort, m.sent_day, {ZONE_OF} FROM messages m")
    else:
        rows = conn.execute(
            f"""{FAMILY}SELECT m.id, m.sent, m.sent_sort, m.sent_day, {ZONE_OF} FROM messages m
                WHERE m.document_id IN (SELECT id FROM family)""",
            (json.dumps(sorted(document_ids)),),
        )
    updates = []
    for message_id, sent, sort, day, name in rows.fetchall():
        now = moment(sent, zone(name) if name else None)
        if (now.sort, now.day) != (sort, day):
            updates.append((now.sort, now.day, message_id))
    conn.executemany("UPDATE messages SET sent_sort = ?, sent_day = ? WHERE id = ?", updates)
    if updates:
        _thread_spans(conn, [message_id for *_, message_id in updates])
    return len(updates)


def date_batch(conn: sqlite3.Connection, stored: dict[int, list[str]], *, fresh: bool) -> int:
    """date_documents for what an import batch stored or found already here, by release id; how many changed.

    Rows the batch wrote are dated with no zone (see store.document_rows), and a release without a zone changes
    no message's: with `fresh` rows (none re-read into an email a zoned release holds) and no zoned release among
    `stored`, nothing can change, and the messages are not read again."""
    zoned = conn.execute(
        "SELECT EXISTS (SELECT 1 FROM releases WHERE id IN (SELECT value FROM json_each(?)) AND tz IS NOT NULL)",
        (json.dumps(sorted(stored)),),
    ).fetchone()[0]
    if fresh and not zoned:
        return 0
    return date_documents(conn, [document_id for ids in stored.values() for document_id in ids])


def set_clock(conn: sqlite3.Connection, release_ids: Collection[int] | None = None) -> ClockChange:
    """Detect the zone of each of `release_ids` (every release when None) that was given none, and date again the
    messages of those whose zone changed (every message when None)."""
    everything = release_ids is None
    ids = [row[0] for row in conn.execute("SELECT id FROM releases")] if everything else list(release_ids)
    changed = [release_id for release_id in ids if _detect(conn, release_id)]
    if everything:
        return ClockChange(len(changed), date_documents(conn))
    return ClockChange(len(changed), date_documents(conn, _documents_of(conn, changed)) if changed else 0)


def set_zone(conn: sqlite3.Connection, release_id: int, name: str | None) -> ClockChange:
    """Give a release the zone `name` (a zone_name), or with None detect it again; its messages are dated again."""
    before = conn.execute("SELECT tz FROM releases WHERE id = ?", (release_id,)).fetchone()[0]
    conn.execute("UPDATE releases SET tz = ?, tz_given = ? WHERE id = ?", (name, int(name is not None), release_id))
    if name is None:
        _detect(conn, release_id)
    after = conn.execute("SELECT tz FROM releases WHERE id = ?", (release_id,)).fetchone()[0]
    return ClockChange(int(after != before), date_documents(conn, _documents_of(conn, [release_id])))


def _documents_of(conn: sqlite3.Connection, release_ids: list[int]) -> list[str]:
    return [
        row[0]
        for row in conn.execute(
            "SELECT DISTINCT document_id FROM release_documents WHERE release_id IN (SELECT value FROM json_each(?))",
            (json.dumps(release_ids),),
        )
    ]


def _detect(conn: sqlite3.Connection, release_id: int) -> bool:
    """Detect the zone of a release that was given none; whether it changed."""
    tz, given = conn.execute("SELECT tz, tz_given FROM releases WHERE id = ?", (release_id,)).fetchone()
    if given:
        return False
    sents = conn.execute(
        """SELECT m.sent FROM release_documents rd JOIN messages m ON m.document_id = rd.document_id
           WHERE rd.release_id = ? AND m.sent IS NOT NULL""",
        (release_id,),
    )
    found = detect_zone(sent for (sent,) in sents)
    if found == tz:
        return False
    conn.execute("UPDATE releases SET tz = ? WHERE id = ?", (found, release_id))
    return True


def _thread_spans(conn: sqlite3.Connection, message_ids: list[str]) -> None:
    """The first and last times of the threads these messages belong to, as the thread index keeps them."""
    conn.execute(
        """UPDATE threads SET
               first_sent = (SELECT min(sent_sort) FROM messages WHERE thread_id = threads.id AND duplicate_of IS NULL),
               last_sent = (SELECT max(sent_sort) FROM messages WHERE thread_id = threads.id AND duplicate_of IS NULL)
           WHERE id IN (SELECT thread_id FROM messages WHERE id IN (SELECT value FROM json_each(?)))""",
        (json.dumps(message_ids),),
    )
