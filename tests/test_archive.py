"""The archive file: schema, pragmas, migrations, refusals and idempotent writes."""

from __future__ import annotations

import sqlite3

import pytest
import sqlite_utils

from foia_tui.archive import Archive, ArchiveError
from foia_tui.archive.messages import list_messages, stats
from foia_tui.archive.schema import MIGRATIONS, SCHEMA_VERSION
from foia_tui.archive.store import message_id_for, store_document
from foia_tui.services.rethreading import rebuild_conversations
from importers.records import Address, DocumentRecord, MessageRecord, RedactionRecord
from tests.support.sql import sql_rows, sql_value


def make_doc(sha: str = "a" * 64, body: str = "We continue to receive positive results.") -> DocumentRecord:
    return DocumentRecord(
        path="release/NYPD-0001.pdf",
        sha256=sha,
        kind="pdf",
        page_count=2,
        messages=[
            MessageRecord(
                ordinal=0,
                subject="RE: Clearview trial",
                sender=Address("Ton-That, Hoan", "hoan@clearview.ai", "Ton-That, Hoan <hoan@clearview.ai>"),
                to=[Address("[REDACTED]", None, "[REDACTED]")],
                sent="2019-01-08T10:02:00",
                date_text="Tuesday, January 8, 2019 10:02 AM",
                body=body + " Call █[REDACTED POL 87(2)(b)]█ today.",
                page_start=1,
                page_end=2,
                bates_start="NYPD-FOIL-000123",
                bates_end="NYPD-FOIL-000124",
                copy_kind="print",
                redactions=[RedactionRecord(page=1, bbox=(10, 20, 30, 40), code="POL 87(2)(b)", offset=60)],
            )
        ],
    )


def table_names(archive: Archive) -> set[str]:
    return {r["name"] for r in sql_rows(archive, "SELECT name FROM sqlite_master WHERE type = 'table'")}


def test_new_archive_uses_wal_foreign_keys_and_current_schema(tmp_path):
    archive = Archive.open(tmp_path / "a.db")
    assert archive.schema_version == SCHEMA_VERSION
    assert sql_value(archive, "PRAGMA journal_mode") == "wal"
    assert sql_value(archive, "PRAGMA foreign_keys") == 1
    assert {"messages_fts", "messages_trigram", "taggings", "redactions"} <= set(
        r["name"] for r in sql_rows(archive, "SELECT name FROM sqlite_master WHERE type = 'table'")
    )


def test_store_is_idempotent_and_fts_follows_the_table(tmp_path):
    archive = Archive.open(tmp_path / "a.db")
    first = store_document(archive, make_doc())
    again = store_document(archive, make_doc())
    assert (first.added, again.added, again.skipped) == (1, 0, True)
    rebuild_conversations(archive)
    hits = sql_rows(archive, "SELECT rowid FROM messages_fts WHERE messages_fts MATCH 'result'")
    assert len(hits) == 1  # porter stemming: "results" found by "result"
    trigram = sql_rows(archive, "SELECT rowid FROM messages_trigram WHERE body LIKE '%ositiv%'")
    assert len(trigram) == 1
    [message] = list_messages(archive)
    assert message["id"] == message_id_for("a" * 64, 0)
    assert message["redactions"] == [
        {"code": "POL 87(2)(b)", "page": 1, "field": None, "kind": "box", "leaked_text": None, "readable_text": None}
    ]
    assert message["source"] == {
        "file": "release/NYPD-0001.pdf",
        "page_start": 1,
        "page_end": 2,
        "bates": "NYPD-FOIL-000123",
        "continued_in": None,
    }
    counts = stats(archive)
    assert (counts["documents"], counts["messages"], counts["threads"], counts["redactions"]) == (1, 1, 1, 1)


def test_forced_restore_updates_body_and_keeps_the_index_in_sync(tmp_path):
    archive = Archive.open(tmp_path / "a.db")
    store_document(archive, make_doc())
    store_document(archive, make_doc(body="App is working great."), force=True)
    assert sql_rows(archive, "SELECT rowid FROM messages_fts WHERE messages_fts MATCH 'positive'") == []
    assert len(sql_rows(archive, "SELECT rowid FROM messages_fts WHERE messages_fts MATCH 'great'")) == 1
    assert sql_value(archive, "SELECT count(*) FROM redactions") == 1
    assert sql_value(archive, "PRAGMA integrity_check") == "ok"


def test_failed_transaction_leaves_nothing_half_written(tmp_path):
    archive = Archive.open(tmp_path / "a.db")
    broken = make_doc()
    broken.messages[0].redactions[0].bbox = ("not", "a", "box")  # type: ignore[assignment]  # 3 values: insert fails
    with pytest.raises(ArchiveError):
        store_document(archive, broken)
    assert sql_value(archive, "SELECT count(*) FROM documents") == 0
    assert sql_value(archive, "SELECT count(*) FROM messages") == 0


def test_older_archive_is_migrated_after_a_backup(tmp_path):
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    db = sqlite_utils.Database(conn)
    conn.execute("BEGIN")
    MIGRATIONS[0](db)
    conn.execute("PRAGMA user_version = 1")
    conn.execute(
        "INSERT INTO documents (id, path, sha256, kind, imported_at) VALUES ('d', 'old.pdf', 's', 'pdf', 'now')"
    )
    conn.execute("COMMIT")
    conn.close()
    archive = Archive.open(path)
    assert archive.schema_version == SCHEMA_VERSION
    assert sql_value(archive, "SELECT path FROM documents") == "old.pdf"
    assert "releases" in table_names(archive)
    assert (tmp_path / "old.db.v1.bak").exists()


def test_newer_archive_is_refused(tmp_path):
    path = tmp_path / "new.db"
    Archive.open(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(ArchiveError, match="newer foia-tui"):
        Archive.open(path)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"this is not a database at all" * 10, "not an SQLite archive"),
        (b"SQLite format 3\x00" + b"\xff" * 200, "not a readable SQLite archive"),
    ],
    ids=["text-file", "corrupt-sqlite"],
)
def test_non_archive_files_are_refused(tmp_path, content, message):
    path = tmp_path / "bad.db"
    path.write_bytes(content)
    with pytest.raises(ArchiveError, match=message):
        Archive.open(path)
    assert path.read_bytes() == content


def test_foreign_sqlite_file_is_refused_untouched(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE invoices (id INTEGER)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(ArchiveError, match="not a foia-tui archive"):
        Archive.open(path)
    assert path.read_bytes() == before
