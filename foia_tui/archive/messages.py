"""Reads of messages in the shape scripts depend on (`foia list --json`)."""

from __future__ import annotations

import json
from collections import defaultdict

from foia_tui.archive import Archive
from foia_tui.archive.warnings import UNASSIGNED_PAGES, WARNINGS

MESSAGE_COLUMNS = """m.id, m.thread_id, m.subject, m.sender_name, m.sender_email, m.sender_raw, m.recipients, m.cc,
    m.sent, m.sent_day, m.body, m.duplicate_of, m.page_start, m.page_end, m.bates_start, m.bates_end, m.copy_kind,
    m.date_text, d.path AS file, m.continued_page_end,
    (SELECT path FROM documents WHERE id = m.continued_in) AS continued_file"""


def _people(text: str) -> list[dict]:
    return [{"name": a.get("name"), "email": a.get("email")} for a in json.loads(text or "[]")]


def _placeholders(values: list) -> str:
    return ", ".join("?" for _ in values)


def message_objects(archive: Archive, rows: list[dict]) -> list[dict]:
    """Turn message rows (selected with MESSAGE_COLUMNS) into `foia list --json` objects."""
    ids = [row["id"] for row in rows]
    redactions: dict[str, list[dict]] = defaultdict(list)
    tags: dict[str, list[str]] = defaultdict(list)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for r in archive._query(
            f"""SELECT message_id, code, page, field, kind, leaked_text, readable_text FROM redactions
                WHERE message_id IN ({_placeholders(chunk)}) ORDER BY message_id, body_offset, id""",
            tuple(chunk),
        ):
            redactions[r.pop("message_id")].append(r)
        for t in archive._query(
            f"""SELECT DISTINCT tg.message_id, t.name FROM taggings tg JOIN tags t ON t.id = tg.tag_id
                WHERE tg.message_id IN ({_placeholders(chunk)}) ORDER BY t.name""",
            tuple(chunk),
        ):
            tags[t["message_id"]].append(t["name"])
    copies = _copies(archive, [row["duplicate_of"] or row["id"] for row in rows])
    return [
        {
            "id": row["id"],
            "thread_id": row["thread_id"],
            "subject": row["subject"],
            "from": {"name": row["sender_name"], "email": row["sender_email"]},
            "to": _people(row["recipients"]),
            "cc": _people(row["cc"]),
            "sent": row["sent"],
            "day": row["sent_day"],  # the day it counts on: in its release's zone (timeline, search date:)
            "source": {
                "file": row["file"],
                "page_start": row["page_start"],
                "page_end": row["page_end"],
                "bates": row["bates_start"],
                # an email that runs on into the next file of its production ends there
                "continued_in": {"file": row["continued_file"], "page_end": row["continued_page_end"]}
                if row["continued_file"]
                else None,
            },
            "body": row["body"],
            "redactions": redactions[row["id"]],
            "tags": tags[row["id"]],
            "duplicate_of": row["duplicate_of"],
            "copies": copies[row["duplicate_of"] or row["id"]],
        }
        for row in rows
    ]


def _copies(archive: Archive, canonical_ids: list[str]) -> dict[str, list[dict]]:
    """Every copy of each email (its canonical row and the rows that duplicate it), once per release holding it."""
    copies: dict[str, list[dict]] = defaultdict(list)
    unique = list(dict.fromkeys(canonical_ids))
    for start in range(0, len(unique), 500):
        chunk = unique[start : start + 500]
        for c in archive._query(
            f"""SELECT coalesce(m.duplicate_of, m.id) AS canon, r.name AS release, d.path AS file, m.page_start,
                       m.bates_start AS bates
                FROM messages m JOIN documents d ON d.id = m.document_id
                LEFT JOIN release_documents rd ON rd.document_id = d.id LEFT JOIN releases r ON r.id = rd.release_id
                WHERE m.id IN ({_placeholders(chunk)}) OR m.duplicate_of IN ({_placeholders(chunk)})
                ORDER BY canon, r.name IS NULL, r.name, d.path, m.page_start, m.ordinal""",
            (*chunk, *chunk),
        ):
            copies[c.pop("canon")].append(c)
    return copies


def list_messages(
    archive: Archive, *, include_duplicates: bool = False, limit: int | None = None, offset: int = 0
) -> list[dict]:
    """Messages in time order (undated last), each distinct email once unless duplicates are asked for."""
    where = "" if include_duplicates else "WHERE m.duplicate_of IS NULL"
    rows = archive._query(
        f"""SELECT {MESSAGE_COLUMNS} FROM messages m JOIN documents d ON d.id = m.document_id {where}
            ORDER BY m.sent_sort IS NULL, m.sent_sort, m.document_id, m.ordinal LIMIT ? OFFSET ?""",
        (-1 if limit is None else limit, offset),
    )
    return message_objects(archive, rows)


def get_messages(archive: Archive, ids: list[str]) -> list[dict]:
    """`foia list --json` objects for the given ids, in the order given (unknown ids are left out)."""
    rows = archive._query(
        f"""SELECT {MESSAGE_COLUMNS} FROM messages m JOIN documents d ON d.id = m.document_id
            WHERE m.id IN ({_placeholders(ids)})""",
        tuple(ids),
    )
    by_id = {row["id"]: row for row in rows}
    return message_objects(archive, [by_id[i] for i in ids if i in by_id])


# Files that could not be imported (their document rows), and what the last import skipped that has no row: a named
# pipe, a link loop, a link not followed, an attachment that could not be read.
FAILURES = """
    SELECT (SELECT count(*) FROM documents WHERE status = 'failed')
         + (SELECT count(*) FROM json_each((SELECT failures FROM import_log ORDER BY id DESC LIMIT 1)) f
            WHERE json_extract(f.value, '$.file') NOT IN (SELECT path FROM documents WHERE status = 'failed'))"""


def stats(archive: Archive) -> dict[str, int]:
    """The archive's headline counts."""
    counts = {
        "documents": "SELECT count(*) FROM documents WHERE status = 'imported'",
        "pages": "SELECT coalesce(sum(page_count), 0) FROM documents WHERE status = 'imported'",
        "messages": "SELECT count(*) FROM messages WHERE duplicate_of IS NULL",
        "copies": "SELECT count(*) FROM messages",
        "duplicates": "SELECT count(*) FROM messages WHERE duplicate_of IS NOT NULL",
        "threads": "SELECT count(*) FROM threads",
        "people": "SELECT count(*) FROM people",
        "redactions": "SELECT count(*) FROM redactions",
        "leaks": "SELECT count(*) FROM redactions WHERE leaked_text IS NOT NULL AND leaked_text != ''",
        "attachments": "SELECT count(*) FROM attachments",
        "tags": "SELECT count(*) FROM tags",
        "taggings": "SELECT count(*) FROM taggings",
        "failures": FAILURES,
        "unassigned_pages": UNASSIGNED_PAGES,
        "warnings": WARNINGS,
    }
    return {name: archive._scalar(sql) or 0 for name, sql in counts.items()}


def duplicate_count(archive: Archive) -> int:
    """How many stored copies are copies of another (what an import reports as duplicates)."""
    return archive._scalar("SELECT count(*) FROM messages WHERE duplicate_of IS NOT NULL") or 0
