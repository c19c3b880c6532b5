"""The search indexes, written in bulk by an import batch (see schema.V12_DEFERRED_INDEX for why)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

INDEXES = ("messages_fts", "messages_trigram")


@contextmanager
def indexed_at_the_end(conn: sqlite3.Connection) -> Iterator[None]:
    """Inside one write transaction: the messages inserted within are indexed in one statement per index as it
    ends, in the same transaction, so a kill at any moment leaves every committed message indexed. On an error
    nothing is indexed; the transaction it raises through rolls back the marker with the rows."""
    if not conn.in_transaction:
        raise RuntimeError("indexed_at_the_end needs an open transaction")
    after = conn.execute("SELECT coalesce(max(rowid), 0) FROM messages").fetchone()[0]
    conn.execute("INSERT INTO deferred_index (after_rowid) VALUES (?)", (after,))
    yield
    conn.execute("DELETE FROM deferred_index")
    for index in INDEXES:
        conn.execute(
            f"""INSERT INTO {index}(rowid, subject, body, participants)
                SELECT rowid, subject, body, participants FROM messages WHERE rowid > ?""",
            (after,),
        )
