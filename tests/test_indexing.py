"""The search indexes follow every write: an import batch indexes its new messages in bulk as its transaction
ends (schema 12), and any other write — by foia or by anyone with sqlite3 — is indexed by the triggers."""

from __future__ import annotations

import sqlite3

import pytest

from foia_tui.archive import Archive
from foia_tui.archive.indexing import INDEXES, indexed_at_the_end
from foia_tui.archive.search import matching_message_ids
from foia_tui.archive.store import message_id_for, store_document
from importers.records import Address, MessageRecord
from tests.support.archive_factory import build_small_archive, document


def email(subject: str, body: str) -> MessageRecord:
    return MessageRecord(
        ordinal=0, subject=subject, sender=Address("Pat Doe", "pat@example.org", "Pat Doe <pat@example.org>"),
        to=[], sent="2019-05-01T09:00:00", body=body,
    )  # fmt: skip


def indexed(conn: sqlite3.Connection) -> dict[str, set[int]]:
    return {index: {row[0] for row in conn.execute(f"SELECT id FROM {index}_docsize")} for index in INDEXES}


def assert_in_step(archive: Archive) -> None:
    """Both indexes hold exactly the messages there are, and FTS5 finds them consistent."""
    conn = archive._conn
    rowids = {row[0] for row in conn.execute("SELECT rowid FROM messages")}
    assert indexed(conn) == dict.fromkeys(INDEXES, rowids)
    for index in INDEXES:
        conn.execute(f"INSERT INTO {index}({index}) VALUES ('integrity-check')")
    assert conn.execute("SELECT count(*) FROM deferred_index").fetchone()[0] == 0


def test_a_batch_indexes_its_messages_at_its_end_in_the_same_transaction(tmp_path):
    small = build_small_archive(tmp_path)
    archive, conn = small.archive, small.archive._conn
    before = indexed(conn)
    doc = document(tmp_path / "a.eml", "eml", [email("Zebra budget", "The quagga contract is signed.")])
    with archive.transaction(), indexed_at_the_end(conn):
        store_document(archive, doc)
        assert indexed(conn) == before  # not row by row
    new = message_id_for(doc.sha256, 0)
    assert matching_message_ids(archive, "quagga") == [new]  # a word
    assert matching_message_ids(archive, "~uagg") == [new]  # a substring
    assert matching_message_ids(archive, "subject:zebra") == [new]
    assert_in_step(archive)


def test_updates_and_deletes_inside_a_batch_leave_the_indexes_in_step(tmp_path):
    small = build_small_archive(tmp_path)
    archive, conn = small.archive, small.archive._conn
    doc = document(tmp_path / "b.eml", "eml", [email("Okapi", "first draft wording")])
    new = message_id_for(doc.sha256, 0)
    with archive.transaction(), indexed_at_the_end(conn):
        store_document(archive, doc)
        conn.execute("UPDATE messages SET body = 'final narwhal wording' WHERE id = ?", (new,))  # still pending
        conn.execute("UPDATE messages SET subject = 'Renamed pangolin' WHERE id = ?", (small.ids["homeland"],))
    assert matching_message_ids(archive, "narwhal") == [new]
    assert matching_message_ids(archive, "draft") == []
    assert matching_message_ids(archive, "pangolin") == [small.ids["homeland"]]
    assert_in_step(archive)
    with archive.transaction(), indexed_at_the_end(conn):
        conn.execute("DELETE FROM taggings WHERE message_id = ?", (new,))
        conn.execute("DELETE FROM messages WHERE id = ?", (new,))  # an indexed one, deleted in a later batch
    assert matching_message_ids(archive, "narwhal") == []
    assert_in_step(archive)


def test_an_error_in_a_batch_rolls_back_its_messages_and_its_marker(tmp_path):
    small = build_small_archive(tmp_path)
    archive, conn = small.archive, small.archive._conn
    count = conn.execute("SELECT count(*) FROM messages").fetchone()[0]
    with pytest.raises(RuntimeError, match="disk gone"), archive.transaction(), indexed_at_the_end(conn):
        store_document(archive, document(tmp_path / "c.eml", "eml", [email("Tapir", "lost words")]))
        raise RuntimeError("disk gone")
    assert conn.execute("SELECT count(*) FROM messages").fetchone()[0] == count
    assert_in_step(archive)
    with pytest.raises(RuntimeError, match="open transaction"), indexed_at_the_end(conn):
        pass


def test_writes_from_outside_foia_are_indexed_by_the_triggers(tmp_path):
    small = build_small_archive(tmp_path)
    path = small.path
    small.archive.close()
    conn = sqlite3.connect(path, isolation_level=None)  # a person with sqlite3: no batch, the triggers index
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("UPDATE messages SET body = 'an axolotl appears' WHERE id = ?", (small.ids["trial0"],))
    conn.execute("DELETE FROM taggings WHERE message_id = ?", (small.ids["trial1"],))
    conn.execute("DELETE FROM messages WHERE id = ?", (small.ids["trial1"],))
    conn.close()
    archive = Archive.open(path)
    assert matching_message_ids(archive, "axolotl") == [small.ids["trial0"]]
    assert matching_message_ids(archive, "~xolot") == [small.ids["trial0"]]
    assert_in_step(archive)
