"""Reads and writes for threading: message keys out, thread ids, duplicates and the thread table back in."""

from __future__ import annotations

import json

from foia_tui.archive import Archive
from foia_tui.conversations import MessageKey, assign_threads, find_duplicates, participant_key


def message_keys(archive: Archive) -> list[MessageKey]:
    participants: dict[str, set[str]] = {}
    for row in archive.query("SELECT message_id, name, email FROM participants"):
        key = participant_key(row["name"], row["email"])
        if key:
            participants.setdefault(row["message_id"], set()).add(key)
    rows = archive.query(
        """SELECT id, document_id, ordinal, subject, subject_norm, sender_name, sender_email, sent, sent_sort,
                  body, copy_kind, message_id, in_reply_to, "references", quoted_in
           FROM messages"""
    )
    return [
        MessageKey(
            id=r["id"],
            document_id=r["document_id"],
            ordinal=r["ordinal"],
            subject=r["subject"],
            subject_norm=r["subject_norm"] or "",
            sender=participant_key(r["sender_name"], r["sender_email"]),
            participants=frozenset(participants.get(r["id"], ())),
            sent=r["sent"],
            sent_sort=r["sent_sort"],
            body=r["body"],
            copy_kind=r["copy_kind"],
            message_id=r["message_id"],
            in_reply_to=r["in_reply_to"],
            references=tuple(json.loads(r["references"] or "[]")),
            quoted_in=r["quoted_in"],
        )
        for r in rows
    ]


def rebuild_conversations(archive: Archive) -> dict[str, int]:
    """Recompute duplicates and threads for the whole archive, so a reply imported later joins its thread."""
    keys = message_keys(archive)
    duplicates = find_duplicates(keys)
    threads = assign_threads(keys, duplicates)
    with archive.transaction() as conn:
        current = {row[0]: (row[1], row[2]) for row in conn.execute("SELECT id, thread_id, duplicate_of FROM messages")}
        changes = [(threads[i], duplicates[i], i) for i in threads if current.get(i) != (threads[i], duplicates[i])]
        conn.executemany("UPDATE messages SET thread_id = ?, duplicate_of = ? WHERE id = ?", changes)
        conn.execute("DELETE FROM threads")
        conn.execute(
            """INSERT INTO threads (id, subject, first_sent, last_sent, message_count, participants,
                   has_redaction, has_leak, has_attachment)
               SELECT m.thread_id,
                      (SELECT subject FROM messages s WHERE s.thread_id = m.thread_id AND s.duplicate_of IS NULL
                       ORDER BY s.sent_sort IS NULL, s.sent_sort LIMIT 1),
                      min(m.sent_sort), max(m.sent_sort), count(*),
                      (SELECT group_concat(name, ', ') FROM (
                          SELECT DISTINCT coalesce(nullif(s.sender_name, ''), s.sender_email, '?') AS name
                          FROM messages s WHERE s.thread_id = m.thread_id AND s.duplicate_of IS NULL LIMIT 6)),
                      EXISTS (SELECT 1 FROM redactions r JOIN messages s ON s.id = r.message_id
                              WHERE s.thread_id = m.thread_id),
                      EXISTS (SELECT 1 FROM redactions r JOIN messages s ON s.id = r.message_id
                              WHERE s.thread_id = m.thread_id AND r.leaked_text IS NOT NULL AND r.leaked_text != ''),
                      EXISTS (SELECT 1 FROM attachments a JOIN messages s ON s.id = a.message_id
                              WHERE s.thread_id = m.thread_id)
               FROM messages m WHERE m.duplicate_of IS NULL GROUP BY m.thread_id"""
        )
    return {"threads": len(set(threads.values())), "duplicates": sum(1 for v in duplicates.values() if v)}
