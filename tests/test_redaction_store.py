"""Every box a release drew is stored: in emails, in what a file prints before its first email, on pages outside
any email; a forced re-import keeps one of each, and a joined lead's boxes become its email's."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlite_utils

from foia_tui.archive import Archive
from foia_tui.archive.continuations import production_files
from foia_tui.archive.messages import list_messages, stats
from foia_tui.archive.releases import add_release, attach_documents
from foia_tui.archive.schema import MIGRATIONS, SCHEMA_VERSION
from foia_tui.archive.search import search_messages
from foia_tui.archive.store import document_id_for, message_id_for, store_document
from foia_tui.services.production import join_production
from foia_tui.services.rethreading import rebuild_conversations
from importers.records import Address, DocumentRecord, LeadRecord, MessageRecord, PageRecord, RedactionRecord
from tests.support.sql import sql_rows

SENDER = Address("Doe, Jane", "jane.doe@nypd.org", "Doe, Jane <jane.doe@nypd.org>")


def _part(sha: str, name: str, *, lead: LeadRecord | None = None, **message: object) -> DocumentRecord:
    """A two-page part of a production: one email on its last page, a lead (if given) before it, and a box with
    a leak on its page 2 outside the email when the email starts on page 3."""
    email = MessageRecord(ordinal=0, sender=SENDER, subject=f"Trial {name}", body=f"{name}: █[REDACTED (b)(6)]█ end.",
                          page_start=2, page_end=2, sent=f"2019-02-04T09:1{name[-1]}:00",
                          redactions=[RedactionRecord(page=2, code="(b)(6)", offset=len(name) + 2)])  # fmt: skip
    email.__dict__.update(message)
    return DocumentRecord(
        path=f"production/{name}.pdf",
        sha256=sha * 64,
        kind="pdf",
        messages=[email],
        pages=[PageRecord(n, f"page {n}") for n in (1, 2)],
        page_count=2,
        lead=lead,
        redactions=[RedactionRecord(page=1, code="(b)(7)(C)", leaked_text="Jane Roe", kind="box")] if not lead else [],
    )


def test_every_box_is_stored_once_even_after_a_forced_reimport(tmp_path: Path) -> None:
    archive = Archive.open(tmp_path / "a.db")
    lead = LeadRecord("the end of an email █[REDACTED]█", 1, 1, redactions=[RedactionRecord(page=1, offset=20)])
    for _ in range(2):
        store_document(archive, _part("a", "PART 1"), force=True)
        store_document(archive, _part("b", "PART 2", lead=lead), force=True)
    rebuild_conversations(archive)
    boxes = sql_rows(archive, "SELECT document_id, message_id, page, code, leaked_text FROM redactions ORDER BY id")
    assert len(boxes) == 4
    assert {(b["document_id"], b["message_id"]) for b in boxes} == {
        (document_id_for("a" * 64), None),
        (document_id_for("a" * 64), message_id_for("a" * 64, 0)),
        (document_id_for("b" * 64), None),
        (document_id_for("b" * 64), message_id_for("b" * 64, 0)),
    }
    counts = stats(archive)
    assert (counts["redactions"], counts["leaks"]) == (4, 1)
    assert len(search_messages(archive, "has:redaction", limit=10).rows) == 2
    assert search_messages(archive, "-has:leak", limit=10).rows, "a box outside any email leaves NOT IN working"
    [first, _second] = list_messages(archive)
    assert first["redactions"] == [
        {"code": "(b)(6)", "page": 2, "field": None, "kind": "box", "leaked_text": None, "readable_text": None}
    ]


def test_a_joined_lead_brings_its_boxes_to_the_email_it_finishes(tmp_path: Path) -> None:
    archive = Archive.open(tmp_path / "a.db")
    box = RedactionRecord(page=1, code="(b)(5)", offset=8)
    lead = LeadRecord("goes on █[REDACTED (b)(5)]█ here", 1, 1, redactions=[box])
    documents = [store_document(archive, _part("a", "PART 1")).document_id]
    documents.append(store_document(archive, _part("b", "PART 2", lead=lead)).document_id)
    release = add_release(archive, "NYPD FOIL 2020-PL-0312")
    attach_documents(archive, release.id, documents)
    join_production(archive, release.id)
    joined = {f.lead.joined_to for f in production_files(archive, release.id) if f.lead}
    assert joined == {message_id_for("a" * 64, 0)}
    [row] = sql_rows(archive, "SELECT message_id, body_offset FROM redactions WHERE code = '(b)(5)'")
    [email] = [m for m in list_messages(archive) if m["id"] == row["message_id"]]
    assert email["body"][row["body_offset"] :].startswith("█[REDACTED (b)(5)]█")
    assert [r["code"] for r in email["redactions"]] == ["(b)(6)", "(b)(5)"]


def test_a_version_9_archive_keeps_its_boxes_with_their_document(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    db = sqlite_utils.Database(conn)
    for migration in MIGRATIONS[:9]:
        migration(db)
    conn.execute("PRAGMA user_version = 9")
    conn.execute("INSERT INTO documents (id, path, sha256, kind, imported_at) VALUES ('d', 'a.pdf', 's', 'pdf', 'now')")
    conn.execute("INSERT INTO messages (id, document_id, ordinal) VALUES ('m', 'd', 0)")
    conn.execute("INSERT INTO redactions (message_id, page, code, leaked_text) VALUES ('m', 1, '(b)(6)', 'x')")
    conn.close()
    archive = Archive.open(path)
    assert archive.schema_version == SCHEMA_VERSION
    assert sql_rows(archive, "SELECT document_id, message_id, page, code, leaked_text FROM redactions") == [
        {"document_id": "d", "message_id": "m", "page": 1, "code": "(b)(6)", "leaked_text": "x"}
    ]
    indexes = {r["name"] for r in sql_rows(archive, "SELECT name FROM sqlite_master WHERE tbl_name = 'redactions'")}
    assert {"redactions_message", "redactions_code", "redactions_document"} <= indexes
    store_document(archive, _part("c", "PART 9"))  # a box off any email now fits
    assert stats(archive)["redactions"] == 3
