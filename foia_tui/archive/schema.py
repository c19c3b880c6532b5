"""The archive's schema as a list of migrations; `PRAGMA user_version` says how many have run.

Append new migrations at the end; never edit, merge or renumber an existing one: an archive's user_version
(test fixtures' included) counts the migrations already run on it, so each number must keep meaning the same change.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlite_utils

from foia_tui.archive.clock import set_clock

V1_CORE = """
CREATE TABLE documents (
    id TEXT PRIMARY KEY,
    path TEXT NOT NULL,
    sha256 TEXT UNIQUE,
    kind TEXT,
    page_count INTEGER,
    status TEXT NOT NULL DEFAULT 'imported',
    error TEXT,
    parent_message_id TEXT,
    imported_at TEXT NOT NULL
);
CREATE TABLE messages (
    id TEXT PRIMARY KEY,
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    ordinal INTEGER NOT NULL,
    subject TEXT,
    subject_norm TEXT,
    sender_name TEXT,
    sender_email TEXT,
    sender_raw TEXT,
    recipients TEXT NOT NULL DEFAULT '[]',
    cc TEXT NOT NULL DEFAULT '[]',
    bcc TEXT NOT NULL DEFAULT '[]',
    reply_to TEXT NOT NULL DEFAULT '[]',
    participants TEXT NOT NULL DEFAULT '',
    sent TEXT,
    sent_sort TEXT,
    date_text TEXT,
    body TEXT NOT NULL DEFAULT '',
    message_id TEXT,
    in_reply_to TEXT,
    "references" TEXT NOT NULL DEFAULT '[]',
    page_start INTEGER,
    page_end INTEGER,
    bates_start TEXT,
    bates_end TEXT,
    copy_kind TEXT NOT NULL DEFAULT 'native',
    quoted_in TEXT,
    thread_id TEXT,
    duplicate_of TEXT REFERENCES messages(id) ON DELETE SET NULL
);
CREATE INDEX messages_document ON messages(document_id, ordinal);
CREATE INDEX messages_thread ON messages(thread_id, sent_sort);
CREATE INDEX messages_sent ON messages(sent_sort);
CREATE INDEX messages_message_id ON messages(message_id);
CREATE INDEX messages_duplicate_of ON messages(duplicate_of);
CREATE TABLE participants (
    message_id TEXT NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    position INTEGER NOT NULL,
    name TEXT,
    email TEXT,
    raw TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (message_id, role, position)
);
CREATE INDEX participants_email ON participants(email);
CREATE TABLE people (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    redacted INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE aliases (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    key TEXT NOT NULL UNIQUE,
    name TEXT,
    email TEXT
);
CREATE INDEX aliases_person ON aliases(person_id);
CREATE TABLE redactions (
    id INTEGER PRIMARY KEY,
    message_id TEXT NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
    page INTEGER,
    x0 REAL, top REAL, x1 REAL, bottom REAL,
    code TEXT,
    body_offset INTEGER,
    leaked_text TEXT
);
CREATE INDEX redactions_message ON redactions(message_id);
CREATE TABLE attachments (
    id INTEGER PRIMARY KEY,
    message_id TEXT NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    content_type TEXT,
    size INTEGER,
    sha256 TEXT,
    document_id TEXT REFERENCES documents(id) ON DELETE SET NULL
);
CREATE INDEX attachments_message ON attachments(message_id);
CREATE TABLE tags (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    color TEXT,
    description TEXT,
    created_at TEXT NOT NULL
);
CREATE TABLE taggings (
    id INTEGER PRIMARY KEY,
    tag_id INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
    message_id TEXT NOT NULL REFERENCES messages(id),
    start INTEGER,
    "end" INTEGER,
    quoted_text TEXT,
    note TEXT,
    created_by TEXT,
    created_at TEXT NOT NULL,
    anchor_status TEXT NOT NULL DEFAULT 'ok'
);
CREATE INDEX taggings_message ON taggings(message_id);
CREATE INDEX taggings_tag ON taggings(tag_id);
CREATE TABLE import_log (
    id INTEGER PRIMARY KEY,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    paths TEXT NOT NULL,
    files INTEGER NOT NULL DEFAULT 0,
    messages_added INTEGER NOT NULL DEFAULT 0,
    duplicates INTEGER NOT NULL DEFAULT 0,
    failures TEXT NOT NULL DEFAULT '[]'
);
CREATE TABLE threads (
    id TEXT PRIMARY KEY,
    subject TEXT,
    first_sent TEXT,
    last_sent TEXT,
    message_count INTEGER NOT NULL,
    participants TEXT NOT NULL DEFAULT '',
    has_redaction INTEGER NOT NULL DEFAULT 0,
    has_leak INTEGER NOT NULL DEFAULT 0,
    has_attachment INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX threads_last ON threads(last_sent);
"""

# Keep the substring index (messages_trigram, made in v2 and remade in v8) in step with messages.
TRIGRAM_TRIGGERS = """
CREATE TRIGGER messages_trigram_ai AFTER INSERT ON messages BEGIN
    INSERT INTO messages_trigram(rowid, subject, body, participants)
        VALUES (new.rowid, new.subject, new.body, new.participants);
END;
CREATE TRIGGER messages_trigram_ad AFTER DELETE ON messages BEGIN
    INSERT INTO messages_trigram(messages_trigram, rowid, subject, body, participants)
        VALUES ('delete', old.rowid, old.subject, old.body, old.participants);
END;
CREATE TRIGGER messages_trigram_au AFTER UPDATE OF subject, body, participants ON messages BEGIN
    INSERT INTO messages_trigram(messages_trigram, rowid, subject, body, participants)
        VALUES ('delete', old.rowid, old.subject, old.body, old.participants);
    INSERT INTO messages_trigram(rowid, subject, body, participants)
        VALUES (new.rowid, new.subject, new.body, new.participants);
END;
"""

V2_PAGES_EVENTS_RELEASES = """
CREATE TABLE pages (
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    text TEXT NOT NULL DEFAULT '',
    bates TEXT,
    ocr INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (document_id, number)
);
CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    date TEXT NOT NULL,
    label TEXT NOT NULL,
    note TEXT,
    created_at TEXT NOT NULL
);
CREATE TABLE saved_searches (
    name TEXT PRIMARY KEY,
    query TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE releases (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    agency TEXT,
    request_id TEXT,
    filed TEXT,
    produced TEXT,
    requester TEXT,
    status TEXT NOT NULL DEFAULT 'produced',
    notes TEXT,
    created_at TEXT NOT NULL
);
CREATE TABLE release_documents (
    release_id INTEGER NOT NULL REFERENCES releases(id) ON DELETE CASCADE,
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    PRIMARY KEY (release_id, document_id)
);
CREATE INDEX release_documents_document ON release_documents(document_id);
CREATE VIRTUAL TABLE messages_trigram USING fts5(
    subject, body, participants, content='messages', content_rowid='rowid', tokenize='trigram'
);
INSERT INTO messages_trigram(rowid, subject, body, participants)
    SELECT rowid, subject, body, participants FROM messages;
"""


# sqlite-utils' update trigger fires on every UPDATE; threading rewrites thread_id on thousands of rows,
# so the index is refreshed only when an indexed column changes.
NARROW_FTS_UPDATE_TRIGGER = """
DROP TRIGGER messages_au;
CREATE TRIGGER messages_au AFTER UPDATE OF subject, body, participants ON messages BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, subject, body, participants)
        VALUES ('delete', old.rowid, old.subject, old.body, old.participants);
    INSERT INTO messages_fts (rowid, subject, body, participants)
        VALUES (new.rowid, new.subject, new.body, new.participants);
END;
"""


def _v1(db: sqlite_utils.Database) -> None:
    db.executescript(V1_CORE)
    db["messages"].enable_fts(["subject", "body", "participants"], create_triggers=True, tokenize="porter")
    db.executescript(NARROW_FTS_UPDATE_TRIGGER)


def _v2(db: sqlite_utils.Database) -> None:
    db.executescript(V2_PAGES_EVENTS_RELEASES + TRIGRAM_TRIGGERS)


# A thread tagging tags every message of the thread and remembers the thread it came through; one tag is applied
# to the same message span once (whole-message taggings have no span).
V3_TAGGINGS_THREAD = """
ALTER TABLE taggings ADD COLUMN via_thread TEXT;
CREATE UNIQUE INDEX taggings_unique ON taggings(tag_id, message_id, coalesce(start, -1), coalesce("end", -1));
"""


def _v3(db: sqlite_utils.Database) -> None:
    db.executescript(V3_TAGGINGS_THREAD)


# Threading keeps each message's parent so the UI can draw the tree; every participant row points at the
# person its alias was resolved to (so `from:` matches any alias); manual merges/splits pin alias keys to a group
# that survives re-imports.
V4_PARENTS_PEOPLE = """
ALTER TABLE messages ADD COLUMN parent_id TEXT;
CREATE INDEX messages_parent ON messages(parent_id);
ALTER TABLE participants ADD COLUMN person_id INTEGER;
CREATE INDEX participants_person ON participants(person_id, role);
CREATE TABLE person_overrides (
    alias_key TEXT PRIMARY KEY,
    group_key TEXT NOT NULL,
    created_at TEXT NOT NULL
);
"""


def _v4(db: sqlite_utils.Database) -> None:
    db.executescript(V4_PARENTS_PEOPLE)


# Search reads every filter as a set of message ids or rowids from an index: printed names (and the distinct
# correspondents `from:` compares with), exemption codes, Bates ranges.
V5_SEARCH_INDEXES = """
CREATE INDEX participants_name ON participants(name, email, person_id);
CREATE INDEX redactions_code ON redactions(code);
CREATE INDEX messages_bates ON messages(bates_start, bates_end);
"""


def _v5(db: sqlite_utils.Database) -> None:
    db.executescript(V5_SEARCH_INDEXES)


# Search tests each term against a set of message ids or rowids read from an index, walking the date index
# (newest first) or the word index: the sets come from covering indexes, and the date index carries the id.
# Correspondents are matched through people and aliases (participants.person_id), or by address while not yet
# resolved, so the index on printed names is dropped.
V6_SEARCH_COVERING = """
DROP INDEX participants_name;
DROP INDEX redactions_code;
CREATE INDEX participants_person_message ON participants(person_id, role, message_id);
CREATE INDEX redactions_code ON redactions(code, message_id);
CREATE INDEX messages_sent_id ON messages(sent_sort, id);
"""


def _v6(db: sqlite_utils.Database) -> None:
    db.executescript(V6_SEARCH_COVERING)


# Releases take in a document with the documents made from its attachments: found by their parent message.
V7_ATTACHMENT_DOCUMENTS = """
CREATE INDEX documents_parent_message ON documents(parent_message_id);
"""


def _v7(db: sqlite_utils.Database) -> None:
    db.executescript(V7_ATTACHMENT_DOCUMENTS)


# The substring index keeps which rows hold each trigram, not where (detail=none): a third smaller, and writing it
# costs an import a quarter less. Search looks substrings up with LIKE, which such an index still answers.
# Two indexes that longer ones begin with (messages_sent_id, participants_person_message) go: every insert paid.
V8_LEANER_INDEXES = """
DROP INDEX messages_sent;
DROP INDEX participants_person;
DROP TRIGGER messages_trigram_ai;
DROP TRIGGER messages_trigram_ad;
DROP TRIGGER messages_trigram_au;
DROP TABLE messages_trigram;
CREATE VIRTUAL TABLE messages_trigram USING fts5(
    subject, body, participants, content='messages', content_rowid='rowid', tokenize='trigram', detail='none'
);
INSERT INTO messages_trigram(messages_trigram) VALUES ('rebuild');
"""


def _v8(db: sqlite_utils.Database) -> None:
    db.executescript(V8_LEANER_INDEXES + TRIGRAM_TRIGGERS)


# Nothing read from a release is lost silently: what could not be read is a warning row (file, page, reason);
# what a file prints before its first email header is its lead, joined to the email it finishes when the file
# before it in the production ends mid-email (that email then runs on into `continued_in`, up to its page
# `continued_page_end`); a reply Gmail printed as "[Quoted text hidden]" says so.
V9_WARNINGS_LEADS = """
CREATE TABLE warnings (
    id INTEGER PRIMARY KEY,
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    page INTEGER,
    reason TEXT NOT NULL
);
CREATE INDEX warnings_document ON warnings(document_id, page);
CREATE TABLE leads (
    document_id TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    page_start INTEGER NOT NULL,
    page_end INTEGER NOT NULL,
    text TEXT NOT NULL DEFAULT '',
    recipients TEXT NOT NULL DEFAULT '[]',
    cc TEXT NOT NULL DEFAULT '[]',
    subject TEXT,
    message_id TEXT REFERENCES messages(id) ON DELETE SET NULL
);
ALTER TABLE messages ADD COLUMN quote_hidden INTEGER NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN continued_in TEXT REFERENCES documents(id) ON DELETE SET NULL;
ALTER TABLE messages ADD COLUMN continued_page_end INTEGER;
"""


def split_warning(text: str) -> tuple[int | None, str]:
    """("page 3: OCR found no text") -> (3, "OCR found no text"); a warning about no page keeps page None."""
    head, sep, rest = text.partition(": ")
    words = head.split()
    if sep and len(words) == 2 and words[0] == "page" and words[1].isdigit():
        return int(words[1]), rest
    return None, text


def _v9(db: sqlite_utils.Database) -> None:
    db.executescript(V9_WARNINGS_LEADS)
    rows = db.execute("SELECT id, error FROM documents WHERE status = 'imported' AND error IS NOT NULL").fetchall()
    db.conn.executemany(
        "INSERT INTO warnings (document_id, page, reason) VALUES (?, ?, ?)",
        [(doc, *split_warning(w)) for doc, error in rows for w in error.split("; ") if w],
    )


# Every box a release drew is kept, not only those inside an email: each belongs to its document and page, and to
# the email it cuts into when there is one (none on a page outside any email, or in a lead until it is joined to the
# email it finishes). A box keeps the header field it covers, what hides the text, and what may be read under it
# (with the crop it was read from). SQLite cannot drop a NOT NULL in place, so the table is rebuilt.
V10_EVERY_BOX = """
CREATE TABLE redactions_v10 (
    id INTEGER PRIMARY KEY,
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    message_id TEXT REFERENCES messages(id) ON DELETE SET NULL,
    page INTEGER,
    x0 REAL, top REAL, x1 REAL, bottom REAL,
    code TEXT,
    body_offset INTEGER,
    leaked_text TEXT,
    field TEXT,
    kind TEXT,
    readable_text TEXT,
    crop BLOB
);
INSERT INTO redactions_v10 (id, document_id, message_id, page, x0, top, x1, bottom, code, body_offset, leaked_text)
    SELECT r.id, m.document_id, r.message_id, r.page, r.x0, r.top, r.x1, r.bottom, r.code, r.body_offset,
           r.leaked_text
    FROM redactions r JOIN messages m ON m.id = r.message_id;
DROP TABLE redactions;
ALTER TABLE redactions_v10 RENAME TO redactions;
CREATE INDEX redactions_message ON redactions(message_id);
CREATE INDEX redactions_code ON redactions(code, message_id);
CREATE INDEX redactions_document ON redactions(document_id, page);
"""


def _v10(db: sqlite_utils.Database) -> None:
    db.executescript(V10_EVERY_BOX)


# One clock: each release has a time zone (detected from its mail's offsets, or given: tz_given); every message
# keeps its sort key (UTC, a printed time read in its release's zone) and the day it counts on there (sent_day),
# so ordering, the timeline and search `date:` agree. The date index carries the day, replacing (sent_sort, id).
V11_CLOCK = """
ALTER TABLE releases ADD COLUMN tz TEXT;
ALTER TABLE releases ADD COLUMN tz_given INTEGER NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN sent_day TEXT;
DROP INDEX messages_sent_id;
CREATE INDEX messages_sent_day ON messages(sent_sort, id, sent_day);
"""


def _v11(db: sqlite_utils.Database) -> None:
    db.executescript(V11_CLOCK)
    set_clock(db.conn)


# An import batch indexes its new messages in one statement per index at the end of its transaction, not row by
# row: a row trigger writing to FTS5 opens a statement savepoint, and FTS5 flushes its pending terms to a new
# segment at every savepoint, so row by row cost the writer three quarters of its time (15.8 s of CPU against
# 4.5 s for 20,000 generated messages). While a batch's transaction holds a row in deferred_index, the triggers
# leave the messages it inserted (rowid > after_rowid) to it; every other write, by foia or by anyone with sqlite3,
# is indexed by the triggers as before. The row never outlives its transaction (foia_tui.archive.indexing).
INDEX_TRIGGERS = "".join(
    f"""
CREATE TRIGGER {name}_ai AFTER INSERT ON messages
WHEN NOT EXISTS (SELECT 1 FROM deferred_index WHERE new.rowid > after_rowid) BEGIN
    INSERT INTO {index}(rowid, subject, body, participants)
        VALUES (new.rowid, new.subject, new.body, new.participants);
END;
CREATE TRIGGER {name}_ad AFTER DELETE ON messages
WHEN NOT EXISTS (SELECT 1 FROM deferred_index WHERE old.rowid > after_rowid) BEGIN
    INSERT INTO {index}({index}, rowid, subject, body, participants)
        VALUES ('delete', old.rowid, old.subject, old.body, old.participants);
END;
CREATE TRIGGER {name}_au AFTER UPDATE OF subject, body, participants ON messages
WHEN NOT EXISTS (SELECT 1 FROM deferred_index WHERE old.rowid > after_rowid) BEGIN
    INSERT INTO {index}({index}, rowid, subject, body, participants)
        VALUES ('delete', old.rowid, old.subject, old.body, old.participants);
    INSERT INTO {index}(rowid, subject, body, participants)
        VALUES (new.rowid, new.subject, new.body, new.participants);
END;
"""
    for name, index in (("messages", "messages_fts"), ("messages_trigram", "messages_trigram"))
)
INDEX_TRIGGER_NAMES = [f"{name}_{when}" for name in ("messages", "messages_trigram") for when in ("ai", "ad", "au")]
V12_DEFERRED_INDEX = (
    "CREATE TABLE deferred_index (after_rowid INTEGER NOT NULL);\n"
    + "".join(f"DROP TRIGGER IF EXISTS {trigger};\n" for trigger in INDEX_TRIGGER_NAMES)
    + INDEX_TRIGGERS
)


def _v12(db: sqlite_utils.Database) -> None:
    db.executescript(V12_DEFERRED_INDEX)


MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [
    _v1, _v2, _v3, _v4, _v5, _v6, _v7, _v8, _v9, _v10, _v11, _v12,
]  # fmt: skip
SCHEMA_VERSION = len(MIGRATIONS)
