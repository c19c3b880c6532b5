"""Writes of importer records: one document, its messages and everything hanging off them."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, datetime

from foia_tui.archive import Archive
from foia_tui.archive.schema import split_warning
from foia_tui.domain.clock import moment
from foia_tui.domain.subjects import normalise_subject
from importers.records import Address, DocumentRecord, LeadRecord, MessageRecord, RedactionRecord


@dataclass
class StoreResult:
    document_id: str
    added: int  # messages new to the archive
    skipped: bool  # the same file was already imported


def now_iso() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def document_id_for(sha256: str) -> str:
    return sha256[:16]


def message_id_for(document_sha256: str, ordinal: int) -> str:
    """Stable id: the file's content hash plus the message's place in it, so re-imports find the same row."""
    return hashlib.sha256(f"{document_sha256}:{ordinal}".encode()).hexdigest()[:16]


_TO_JSON = json.JSONEncoder(ensure_ascii=False).encode  # json.dumps would build an encoder per call


def _address_json(addresses: list[Address]) -> str:
    return _TO_JSON([{"name": a.name, "email": a.email, "raw": a.raw} for a in addresses]) if addresses else "[]"


def _participants_text(message: MessageRecord) -> str:
    people = [message.sender] if message.sender else []
    people += message.to + message.cc + message.bcc
    return "; ".join(" ".join(part for part in (a.name, a.email) if part) or a.raw for a in people)


def _is_imported(conn: sqlite3.Connection, sha256: str) -> bool:
    found = conn.execute("SELECT 1 FROM documents WHERE sha256 = ? AND status = 'imported'", (sha256,)).fetchone()
    return found is not None


MESSAGE_COLUMNS = (
    "subject", "subject_norm", "sender_name", "sender_email", "sender_raw", "recipients", "cc", "bcc", "reply_to",
    "participants", "sent", "sent_sort", "sent_day", "date_text", "body", "message_id", "in_reply_to", '"references"',
    "page_start", "page_end", "bates_start", "bates_end", "copy_kind", "quoted_in", "quote_hidden",
)  # fmt: skip
INSERT_MESSAGE = (
    f"INSERT INTO messages (id, document_id, ordinal, {', '.join(MESSAGE_COLUMNS)}) "
    f"VALUES ({', '.join('?' * (len(MESSAGE_COLUMNS) + 3))}) ON CONFLICT(id) DO NOTHING"
)
UPDATE_MESSAGE = f"UPDATE messages SET {', '.join(f'{c} = ?' for c in MESSAGE_COLUMNS)} WHERE id = ?"


def _message_values(m: MessageRecord, ids: dict[int, str]) -> tuple:
    sender = m.sender or Address()
    # zoned times in UTC, printed ones as printed, until the import reads them in their release's zone (archive.clock)
    when = moment(m.sent)
    return (
        m.subject,
        normalise_subject(m.subject),
        sender.name,
        sender.email.lower() if sender.email else None,
        sender.raw,
        _address_json(m.to),
        _address_json(m.cc),
        _address_json(m.bcc),
        _address_json(m.reply_to),
        _participants_text(m),
        m.sent,
        when.sort,
        when.day,
        m.date_text,
        m.body,
        m.message_id,
        m.in_reply_to,
        json.dumps(m.references),
        m.page_start,
        m.page_end,
        m.bates_start,
        m.bates_end,
        m.copy_kind,
        ids.get(m.quoted_in) if m.quoted_in is not None else None,
        int(m.quote_hidden),
    )


@dataclass
class DocumentRows:
    """A parsed document as the rows the archive stores. Built where the file was parsed (pure Python, so in a
    worker process); the one writer then only runs the SQL."""

    sha256: str
    path: str
    kind: str
    page_count: int | None
    warnings: str | None
    pages: list[tuple]
    messages: list[tuple]  # (id, ordinal, *MESSAGE_COLUMNS)
    participants: list[tuple]
    redactions: list[tuple]  # (message_id or None, *_box_values): every box, off any email too
    attachments: list[tuple]
    warning_rows: list[tuple[int | None, str]] = field(default_factory=list)  # (page, reason)
    lead: tuple | None = None  # (page_start, page_end, text, recipients, cc, subject)


def document_rows(doc: DocumentRecord) -> DocumentRows:
    ids = {m.ordinal: message_id_for(doc.sha256, m.ordinal) for m in doc.messages}
    rows = DocumentRows(
        sha256=doc.sha256,
        path=doc.path,
        kind=doc.kind,
        page_count=doc.page_count,
        warnings="; ".join(doc.warnings) or None,
        pages=[(p.number, p.text, p.bates, int(p.ocr)) for p in doc.pages],
        messages=[],
        participants=[],
        attachments=[],
        warning_rows=[split_warning(w) for w in doc.warnings],
        lead=_lead_values(doc.lead) if doc.lead else None,
        redactions=[(None, *_box_values(r)) for r in [*doc.redactions, *(doc.lead.redactions if doc.lead else [])]],
    )
    for m in doc.messages:
        message_id = ids[m.ordinal]
        rows.messages.append((message_id, m.ordinal, *_message_values(m, ids)))
        roles = [("from", [m.sender] if m.sender else []), ("to", m.to), ("cc", m.cc), ("bcc", m.bcc)]
        rows.participants += [
            (message_id, role, position, a.name, a.email.lower() if a.email else None, a.raw)
            for role, addresses in roles
            for position, a in enumerate(addresses)
        ]
        rows.redactions += [(message_id, *_box_values(r)) for r in m.redactions]
        rows.attachments += [(message_id, a.name, a.content_type, a.size, a.sha256) for a in m.attachments]
    return rows


def _box_values(r: RedactionRecord) -> tuple:
    return (r.page, *(r.bbox or (None,) * 4), r.code, r.offset, r.leaked_text, r.field, r.kind, r.readable_text, r.crop)


def _lead_values(lead: LeadRecord) -> tuple:
    return (lead.page_start, lead.page_end, lead.text, _address_json(lead.to), _address_json(lead.cc), lead.subject)


def imported_sha256s(archive: Archive) -> set[str]:
    """Content hashes of every imported document, so workers can skip a file already here before parsing it."""
    with archive._reading():
        return {row[0] for row in archive._conn.execute("SELECT sha256 FROM documents WHERE status = 'imported'")}


def store_document(
    archive: Archive, doc: DocumentRecord, *, parent_message_id: str | None = None, force: bool = False
) -> StoreResult:
    """Write one document in one transaction; an already imported file is left as it is unless `force`."""
    return store_rows(archive, document_rows(doc), parent_message_id=parent_message_id, force=force)


def store_rows(
    archive: Archive, rows: DocumentRows, *, parent_message_id: str | None = None, force: bool = False
) -> StoreResult:
    """store_document for rows built elsewhere (see DocumentRows)."""
    document_id = document_id_for(rows.sha256)
    with archive.transaction() as conn:
        here = _is_imported(conn, rows.sha256)
        if here and not force:
            return StoreResult(document_id, 0, True)
        conn.execute(
            """INSERT INTO documents (id, path, sha256, kind, page_count, status, error, parent_message_id,
                   imported_at)
               VALUES (?, ?, ?, ?, ?, 'imported', ?, ?, ?)
               ON CONFLICT(id) DO UPDATE SET path = excluded.path, kind = excluded.kind,
                   page_count = excluded.page_count, status = 'imported', error = excluded.error,
                   imported_at = excluded.imported_at""",
            (document_id, rows.path, rows.sha256, rows.kind, rows.page_count, rows.warnings, parent_message_id,
             now_iso()),
        )  # fmt: skip
        if here:  # a forced re-read replaces what the file gave before (a new or failed one has none of it)
            for table in ("pages", "warnings", "leads", "redactions"):
                conn.execute(f"DELETE FROM {table} WHERE document_id = ?", (document_id,))
        if rows.warning_rows:  # each of these is empty for most mail, and an empty executemany still costs
            conn.executemany(
                "INSERT INTO warnings (document_id, page, reason) VALUES (?, ?, ?)",
                [(document_id, page, reason) for page, reason in rows.warning_rows],
            )
        if rows.lead is not None:
            conn.execute(
                """INSERT INTO leads (document_id, page_start, page_end, text, recipients, cc, subject)
                   VALUES (?, ?, ?, ?, ?, ?, ?)""",
                (document_id, *rows.lead),
            )
        if rows.pages:
            conn.executemany(
                "INSERT INTO pages (document_id, number, text, bates, ocr) VALUES (?, ?, ?, ?, ?)",
                [(document_id, *page) for page in rows.pages],
            )
        added = _insert_messages(conn, document_id, rows.messages, forced=here)
        conn.executemany(
            "INSERT INTO participants (message_id, role, position, name, email, raw) VALUES (?, ?, ?, ?, ?, ?)",
            rows.participants,
        )
        # A forced re-read replaced every box of the file above (its emails', its lead's and those off any email).
        if rows.redactions:
            conn.executemany(
                """INSERT INTO redactions (message_id, document_id, page, x0, top, x1, bottom, code, body_offset,
                       leaked_text, field, kind, readable_text, crop)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                [(message_id, document_id, *values) for message_id, *values in rows.redactions],
            )
        if rows.attachments:
            conn.executemany(
                "INSERT INTO attachments (message_id, name, content_type, size, sha256) VALUES (?, ?, ?, ?, ?)",
                rows.attachments,
            )
    return StoreResult(document_id, added, False)


def _insert_messages(conn: sqlite3.Connection, document_id: str, messages: list[tuple], *, forced: bool) -> int:
    """Insert a document's messages; how many are new. A file read for the first time has only new ones, in
    one statement; a forced re-read updates the ones already here in place, so their ids, threads and tags
    stay, and their people and attachments are written again."""
    if not forced:
        return conn.executemany(INSERT_MESSAGE, [(m, document_id, o, *values) for m, o, *values in messages]).rowcount
    added = 0
    for message_id, ordinal, *values in messages:
        if conn.execute(INSERT_MESSAGE, (message_id, document_id, ordinal, *values)).rowcount:
            added += 1
            continue
        conn.execute(UPDATE_MESSAGE, (*values, message_id))
        for table in ("participants", "attachments"):
            conn.execute(f"DELETE FROM {table} WHERE message_id = ?", (message_id,))
    return added


def link_attachment_document(archive: Archive, message_id: str, sha256: str, document_id: str) -> None:
    """Point an attachment row at the document its bytes were imported as."""
    with archive.transaction() as conn:
        conn.execute(
            "UPDATE attachments SET document_id = ? WHERE message_id = ? AND sha256 = ?",
            (document_id, message_id, sha256),
        )


def record_failure(archive: Archive, path: str, sha256: str | None, kind: str | None, error: str) -> None:
    """Remember a file that could not be imported, without touching anything already in the archive."""
    key = sha256 or hashlib.sha256(path.encode("utf-8", "surrogateescape")).hexdigest()
    with archive.transaction() as conn:
        conn.execute(
            """INSERT INTO documents (id, path, sha256, kind, status, error, imported_at)
               VALUES (?, ?, ?, ?, 'failed', ?, ?)
               ON CONFLICT(id) DO UPDATE SET path = excluded.path, error = excluded.error,
                   imported_at = excluded.imported_at
               WHERE documents.status = 'failed'""",
            (document_id_for(key), path, sha256, kind, error, now_iso()),
        )


def log_import(
    archive: Archive, started: str, paths: list[str], files: int, messages_added: int, duplicates: int, failures: list
) -> None:
    """One row of import_log: what an import was given, what it added and what failed."""
    with archive.transaction() as conn:
        conn.execute(
            """INSERT INTO import_log (started_at, finished_at, paths, files, messages_added, duplicates, failures)
               VALUES (?, ?, ?, ?, ?, ?, ?)""",
            (started, now_iso(), json.dumps(paths), files, messages_added, duplicates, json.dumps(failures)),
        )
