"""Reads and writes for conversations: message keys out; duplicates, parents, threads and people back in.

The rethreading itself (foia_tui.services.rethreading) runs after every import over the whole archive; it reads
through `message_keys` and `body_loader` and writes through `write_conversations`, which writes only the rows
whose values changed.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from collections.abc import Collection

from foia_tui.archive import Archive
from foia_tui.archive.messages import MESSAGE_COLUMNS, message_objects
from foia_tui.archive.people import Participants, PeoplePlan
from foia_tui.domain.conversations import (
    COPY_PREFERENCE,
    MessageKey,
    MessagePeople,
    Threading,
    reading_order,
)

BODY_CHARS = 8000  # enough of a body for what its author wrote and the start of what it quotes
CHUNK = 900  # ids per IN (...) list, under SQLite's variable limit
THREAD_NAMES = 8  # people named in the threads table's participants text
PENDING = "pending-"  # the prefix of a thread of one, held by a stored message until the rethreading places it


def place_unthreaded(conn: sqlite3.Connection) -> int:
    """Give every message in no thread a thread of its own, inside the caller's transaction (the import's batch).

    The rethreading runs once, after the whole import; an import killed before it would otherwise leave the
    messages it stored in no thread, missing from every thread list until the next import. Returns how many.
    """
    conn.execute(
        f"""INSERT OR IGNORE INTO threads (id, subject, first_sent, last_sent, message_count, participants,
               has_redaction, has_leak, has_attachment)
           SELECT '{PENDING}' || m.id, m.subject, m.sent_sort, m.sent_sort, 1,
                  coalesce(nullif(m.sender_name, ''), m.sender_email, ''),
                  EXISTS (SELECT 1 FROM redactions r WHERE r.message_id = m.id),
                  EXISTS (SELECT 1 FROM redactions r WHERE r.message_id = m.id AND coalesce(r.leaked_text, '') != ''),
                  EXISTS (SELECT 1 FROM attachments a WHERE a.message_id = m.id)
           FROM messages m WHERE m.thread_id IS NULL"""
    )
    return conn.execute(f"UPDATE messages SET thread_id = '{PENDING}' || id WHERE thread_id IS NULL").rowcount


def is_placed(thread_id: str | None) -> bool:
    """Whether a rethreading has placed a message in this thread (not none, nor a pending thread of one)."""
    return thread_id is not None and not thread_id.startswith(PENDING)


def has_pending(archive: Archive) -> bool:
    """Whether some message still waits for a rethreading (an import was killed before it ran)."""
    # a range on the thread index: '.' is the character after PENDING's closing '-'
    return bool(
        archive._scalar(
            "SELECT EXISTS (SELECT 1 FROM messages WHERE thread_id IS NULL OR thread_id >= ? AND thread_id < ?)",
            (PENDING, PENDING[:-1] + "."),
        )
    )


def message_keys(archive: Archive, participants: Participants) -> tuple[list[MessageKey], dict[str, tuple]]:
    """Every stored copy as a MessageKey, and the (thread_id, duplicate_of, parent_id) it has now."""
    people = participants.correspondents
    with archive._reading():
        rows = archive._conn.execute(
            """SELECT id, document_id, ordinal, subject, subject_norm, sent, sent_sort, copy_kind, message_id,
                      in_reply_to, "references", quoted_in, thread_id, duplicate_of, parent_id,
                      EXISTS (SELECT 1 FROM pages p WHERE p.document_id = messages.document_id
                              AND p.number = messages.page_start AND p.ocr) AS ocr
               FROM messages"""
        ).fetchall()
    keys, current = [], {}
    for r in rows:
        sender, recipients = people.get(r[0], (None, []))
        keys.append(
            MessageKey(
                id=r[0],
                document_id=r[1],
                ordinal=r[2],
                subject=r[3],
                subject_norm=r[4] or "",
                sent=r[5],
                sent_sort=r[6],
                copy_kind=r[7],
                sender=sender,
                recipients=tuple(recipients),
                message_id=r[8],
                in_reply_to=r[9],
                references=tuple(json.loads(r[10])) if r[10] and r[10] != "[]" else (),
                quoted_in=r[11],
                ocr=bool(r[15]),
            )
        )
        current[r[0]] = (r[12], r[13], r[14])
    return keys, current


def body_loader(archive: Archive):
    """A loader of bodies (their first BODY_CHARS) by id: the rethreading reads only those it compares."""

    def load(ids: Collection[str]) -> dict[str, str]:
        ids = list(ids)
        found: dict[str, str] = {}
        with archive._reading():
            for start in range(0, len(ids), CHUNK):
                chunk = ids[start : start + CHUNK]
                found.update(
                    archive._conn.execute(
                        f"SELECT id, substr(body, 1, {BODY_CHARS}) FROM messages WHERE id IN ({_marks(chunk)})",
                        chunk,
                    ).fetchall()
                )
        return found

    return load


def _marks(values: list) -> str:
    return ", ".join("?" * len(values))


def write_conversations(
    conn: sqlite3.Connection,
    keys: list[MessageKey],
    current: dict[str, tuple],
    duplicates: dict[str, str | None],
    threading: Threading,
    people: PeoplePlan,
) -> None:
    """Apply a rethreading inside the caller's transaction: each message's thread, duplicate and parent where
    they changed from `current` (as message_keys read it), then the threads table.

    duplicate_of is a foreign key, which makes an update that sets it about five times slower: only the rows
    whose duplicate changed set it."""
    placed, copied = [], []
    for k, head in duplicates.items():
        thread_id, parent_id = threading.thread_of[k], threading.parent_of[k]
        was = current[k]
        if was[1] != head:
            copied.append((thread_id, head, parent_id, k))
        elif (was[0], was[2]) != (thread_id, parent_id):
            placed.append((thread_id, parent_id, k))
    conn.executemany("UPDATE messages SET thread_id = ?, parent_id = ? WHERE id = ?", placed)
    conn.executemany("UPDATE messages SET thread_id = ?, duplicate_of = ?, parent_id = ? WHERE id = ?", copied)
    _write_threads(conn, keys, duplicates, threading, people)


def _write_threads(
    conn: sqlite3.Connection,
    keys: list[MessageKey],
    duplicates: dict[str, str | None],
    threading: Threading,
    people: PeoplePlan,
) -> None:
    """The materialised threads table the list views read (only changed rows are written)."""
    thread_of = threading.thread_of
    flagged = {
        flag: {thread_of[row[0]] for row in conn.execute(sql) if row[0] in thread_of}
        for flag, sql in (
            ("redaction", "SELECT DISTINCT message_id FROM redactions"),
            ("leak", "SELECT DISTINCT message_id FROM redactions WHERE leaked_text IS NOT NULL AND leaked_text != ''"),
            ("attachment", "SELECT DISTINCT message_id FROM attachments"),
        )
    }
    members: dict[str, list[MessageKey]] = defaultdict(list)
    for k in keys:
        if not duplicates[k.id]:
            members[thread_of[k.id]].append(k)
    rows = {}
    for thread_id, shown in members.items():
        shown.sort(key=lambda m: (m.sent_sort is None, m.sent_sort or "", m.document_id, m.ordinal))
        root = next((m for m in shown if not threading.parent_of[m.id]), shown[0])
        dates = [m.sent_sort for m in shown if m.sent_sort]
        rows[thread_id] = (
            root.subject,
            min(dates, default=None),
            max(dates, default=None),
            len(shown),
            _names_text([people.of_message.get(m.id) for m in shown], people.people),
            int(thread_id in flagged["redaction"]),
            int(thread_id in flagged["leak"]),
            int(thread_id in flagged["attachment"]),
        )
    current = {
        row[0]: tuple(row[1:])
        for row in conn.execute(
            """SELECT id, subject, first_sent, last_sent, message_count, participants, has_redaction, has_leak,
                      has_attachment FROM threads"""
        )
    }
    conn.executemany("DELETE FROM threads WHERE id = ?", [(t,) for t in current if t not in rows])
    conn.executemany(
        """INSERT OR REPLACE INTO threads (id, subject, first_sent, last_sent, message_count, participants,
               has_redaction, has_leak, has_attachment) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [(t, *row) for t, row in rows.items() if current.get(t) != row],
    )


def _names_text(found: list[MessagePeople | None], people: dict[int, tuple[str, int]]) -> str:
    """'Hoan Ton-That, Jane Roe +3': the senders in time order, then everyone else by name."""
    senders = list(dict.fromkeys(f.sender for f in found if f and f.sender is not None))
    others = {p for f in found if f for p in f.participants} - set(senders)
    names = list(dict.fromkeys([people[p][0] for p in senders] + sorted(people[p][0] for p in others)))
    extra = f" +{len(names) - THREAD_NAMES}" if len(names) > THREAD_NAMES else ""
    return ", ".join(names[:THREAD_NAMES]) + extra


# Reads -----------------------------------------------------------------------------------------------------


def copies_of(archive: Archive, message_id: str) -> list[dict]:
    """Every stored copy of the email `message_id` is a copy of, the one shown first, then best to worst."""
    head = archive._scalar("SELECT coalesce(duplicate_of, id) FROM messages WHERE id = ?", (message_id,))
    if head is None:
        return []
    rows = archive._query(
        """SELECT m.id, d.path AS file, m.page_start, m.page_end, m.bates_start, m.bates_end, m.copy_kind,
                  m.duplicate_of IS NULL AS shown, m.quoted_in
           FROM messages m JOIN documents d ON d.id = m.document_id
           WHERE m.id = ? OR m.duplicate_of = ?""",
        (head, head),
    )
    rows.sort(key=lambda r: (not r["shown"], COPY_PREFERENCE.get(r["copy_kind"], 3), r["file"], r["page_start"] or 0))
    for r in rows:
        r["shown"] = bool(r["shown"])
    return rows


def thread_participants(archive: Archive, thread_ids: list[str] | None = None) -> dict[str, list[str]]:
    """Per thread, the people in it (senders first, then by first appearance), each name once."""
    where, params = "", ()
    if thread_ids is not None:
        where, params = f"AND m.thread_id IN ({_marks(thread_ids)})", tuple(thread_ids)
    names: dict[str, dict[str, None]] = defaultdict(dict)  # a dict keeps first appearances in linear time
    for r in archive._query(
        f"""SELECT m.thread_id, p.name, max(pa.role = 'from') AS sent, min(coalesce(m.sent_sort, '~')) AS first
            FROM participants pa JOIN messages m ON m.id = pa.message_id JOIN people p ON p.id = pa.person_id
            WHERE m.duplicate_of IS NULL {where}
            GROUP BY m.thread_id, p.id ORDER BY m.thread_id, sent DESC, first, p.name""",
        params,
    ):
        names[r["thread_id"]].setdefault(r["name"])
    return {thread: list(people) for thread, people in names.items()}


# The days a thread's emails count on (each in its release's zone, foia_tui.archive.clock): what is shown as its
# dates, while first_sent and last_sent (sort keys) order threads.
THREAD_DAYS = """
    (SELECT min(sent_day) FROM messages WHERE thread_id = threads.id AND duplicate_of IS NULL) AS first_day,
    (SELECT max(sent_day) FROM messages WHERE thread_id = threads.id AND duplicate_of IS NULL) AS last_day"""


def list_threads(archive: Archive, *, limit: int | None = None) -> list[dict]:
    """`foia threads --json` objects, in time order of their first message (undated threads last)."""
    rows = archive._query(
        f"""SELECT id, subject, first_sent, last_sent, {THREAD_DAYS}, message_count, has_redaction, has_leak,
                   has_attachment
            FROM threads ORDER BY first_sent IS NULL, first_sent, id LIMIT ?""",
        (-1 if limit is None else limit,),
    )
    names = thread_participants(archive, [r["id"] for r in rows]) if limit is not None else thread_participants(archive)
    return [_thread_object(r, names.get(r["id"], [])) for r in rows]


def _thread_object(row: dict, participants: list[str]) -> dict:
    return {
        "id": row["id"],
        "subject": row["subject"],
        "participants": participants,
        "first_sent": row["first_sent"],
        "last_sent": row["last_sent"],
        "first_day": row["first_day"],
        "last_day": row["last_day"],
        "message_count": row["message_count"],
        "has_redactions": bool(row["has_redaction"]),
        "has_leaks": bool(row["has_leak"]),
        "has_attachments": bool(row["has_attachment"]),
    }


def find_thread(archive: Archive, text: str) -> str | None:
    """The thread named by an id, a unique id prefix, or the id of any of its messages."""
    text = text.strip()
    if archive._scalar("SELECT 1 FROM threads WHERE id = ?", (text,)):
        return text
    via_message = archive._scalar("SELECT thread_id FROM messages WHERE id = ?", (text,))
    if via_message:
        return via_message
    if len(text) >= 4:
        found = archive._query("SELECT id FROM threads WHERE id >= ? AND id < ? LIMIT 2", (text, text + "\uffff"))
        if len(found) == 1:
            return found[0]["id"]
    return None


def get_thread(archive: Archive, thread_id: str) -> dict | None:
    """One thread with its shown messages in reading order, each reply after the message it answers
    (`foia list --json` objects plus parent_id and copies, the number of other stored copies)."""
    row = archive._query(
        f"""SELECT id, subject, first_sent, last_sent, {THREAD_DAYS}, message_count, has_redaction, has_leak,
                   has_attachment
            FROM threads WHERE id = ?""",
        (thread_id,),
    )
    if not row:
        return None
    messages = archive._query(
        f"""SELECT {MESSAGE_COLUMNS}, m.parent_id,
                   (SELECT count(*) FROM messages c WHERE c.duplicate_of = m.id) AS copies
            FROM messages m JOIN documents d ON d.id = m.document_id
            WHERE m.thread_id = ? AND m.duplicate_of IS NULL
            ORDER BY m.sent_sort IS NULL, m.sent_sort, m.document_id, m.ordinal""",
        (thread_id,),
    )
    rows = {m["id"]: m for m in messages}
    ordered = [rows[key] for key in reading_order([(m["id"], m["parent_id"]) for m in messages])]
    objects = message_objects(archive, ordered)
    for obj, m in zip(objects, ordered, strict=True):
        obj["parent_id"] = m["parent_id"]
        obj["copies"] = m["copies"]
    thread = _thread_object(row[0], thread_participants(archive, [thread_id]).get(thread_id, []))
    thread["messages"] = objects
    return thread
