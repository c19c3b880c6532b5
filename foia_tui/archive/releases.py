"""Releases in the archive: the records themselves, which documents each produced, counts, removal,
and the reads behind `foia compare`, `foia gaps` and the app's "readable in …" notes.

A file produced by two releases is one document linked to both (release_documents); the same email in two
files is two message rows, one canonical and the other pointing at it (duplicate_of). So the copies of an
email are its rows, each counted once per release its document belongs to.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, fields
from typing import TypeVar

from foia_tui.archive import Archive, ArchiveError
from foia_tui.archive.clock import date_documents, set_zone
from foia_tui.archive.messages import get_messages
from foia_tui.archive.store import now_iso
from foia_tui.archive.tags import find_anchor
from foia_tui.domain.releases import (
    STATUSES,
    CitedSource,
    Copy,
    GapCopy,
    NamedFile,
    preference,
)

FIELDS = ("agency", "request_id", "filed", "produced", "requester", "status", "notes")
CHUNK = 500
Row = TypeVar("Row")


class ReleaseUsageError(ArchiveError):
    """A release named wrongly for what was asked (unknown, already there, itself, conflicting metadata)."""


def _chunks(values: list, size: int = CHUNK):
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _marks(values: list) -> str:
    return ", ".join("?" for _ in values)


# -- the records -----------------------------------------------------------------------------------------


def _row(kind: type[Row], row: dict) -> Row:
    """A row as the dataclass `kind`, from the columns it names (a query may select more)."""
    return kind(**{field.name: row[field.name] for field in fields(kind)})


@dataclass(frozen=True)
class Release:
    """A release's record: the request behind it and what came of it (dates as YYYY[-MM[-DD]])."""

    id: int
    name: str
    agency: str | None
    request_id: str | None
    filed: str | None
    produced: str | None
    requester: str | None
    status: str
    notes: str | None
    created_at: str
    tz: str | None  # the zone its printed times are read in and its days counted in (foia_tui.archive.clock)
    tz_given: int  # 1 when a person gave the zone, 0 when it was detected from the release's mail


@dataclass(frozen=True)
class ReleaseSummary(Release):
    """A release with what it holds, as the index of releases shows it."""

    documents: int
    pages: int
    messages: int
    redactions: int

    def as_json(self) -> dict:
        """The `foia releases --json` object: the record without its row id and date recorded, then the counts."""
        return {
            "name": self.name,
            "agency": self.agency,
            "request_id": self.request_id,
            "filed": self.filed,
            "produced": self.produced,
            "requester": self.requester,
            "status": self.status,
            "notes": self.notes,
            "tz": self.tz,
            "tz_given": bool(self.tz_given),
            "documents": self.documents,
            "pages": self.pages,
            "messages": self.messages,
            "redactions": self.redactions,
        }


def _find_release(archive: Archive, name: str) -> Release | None:
    rows = archive._query("SELECT * FROM releases WHERE name = ?", (name,))
    return _row(Release, rows[0]) if rows else None


def get_release(archive: Archive, name: str) -> Release:
    release = _find_release(archive, name)
    if release is None:
        raise ReleaseUsageError(f"no release named {name!r} (see `foia releases`)")
    return release


def _check_fields(fields: dict) -> dict:
    """The metadata given (None = not given): an unknown field is a programming error, a bad status the user's."""
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise ValueError(f"unknown release fields: {sorted(unknown)}")
    if fields.get("status") is not None and fields["status"] not in STATUSES:
        raise ReleaseUsageError(f"status must be one of {', '.join(STATUSES)}, not {fields['status']!r}")
    return {k: v for k, v in fields.items() if v is not None}


def add_release(archive: Archive, name: str, *, tz: str | None = None, **fields: str | None) -> Release:
    """Record a release (also one that produced nothing: the collection shows requests that came back empty);
    `tz` (a zone_name) is the zone its printed times are read in, else detected from its mail."""
    given = _check_fields(fields)
    if not name.strip():
        raise ReleaseUsageError("a release needs a name")
    given.setdefault("status", "produced")
    with archive.transaction() as conn:
        if conn.execute("SELECT 1 FROM releases WHERE name = ?", (name,)).fetchone():
            raise ReleaseUsageError(f"release {name!r} already exists (change it with `foia release edit`)")
        conn.execute(
            f"INSERT INTO releases (name, {', '.join(given)}, created_at) VALUES (?, {_marks(list(given))}, ?)",
            (name, *given.values(), now_iso()),
        )
        if tz:
            conn.execute("UPDATE releases SET tz = ?, tz_given = 1 WHERE name = ?", (tz, name))
    return get_release(archive, name)


def edit_release(
    archive: Archive, name: str, *, rename: str | None = None, tz: str | None = None, **fields: str | None
) -> Release:
    """Change a release's metadata; an empty string clears a field. A new `tz` (a zone_name; "" detects it from
    the release's mail again) dates its messages again."""
    given = _check_fields(fields)
    with archive.transaction() as conn:
        release = get_release(archive, name)
        if tz is not None:
            set_zone(conn, release.id, tz or None)
        if rename and rename != name:
            if conn.execute("SELECT 1 FROM releases WHERE name = ?", (rename,)).fetchone():
                raise ReleaseUsageError(f"release {rename!r} already exists")
            given["name"] = rename
        if given:
            assignments = ", ".join(f"{column} = ?" for column in given)
            values = [value if value != "" else None for value in given.values()]
            conn.execute(f"UPDATE releases SET {assignments} WHERE name = ?", (*values, name))
    return get_release(archive, rename or name)


def check_release(archive: Archive, name: str, **fields: str | None) -> Release | None:
    """The release `name` (None if new), after checking that the metadata given agrees with what it records."""
    given = _check_fields(fields)
    release = _find_release(archive, name)
    if release is None:
        return None
    conflicts = [
        f"{column} {getattr(release, column)!r}, not {value!r}"
        for column, value in given.items()
        if getattr(release, column) not in (None, value)
    ]
    if conflicts:
        raise ReleaseUsageError(
            f"release {name!r} already has {'; '.join(conflicts)} (change it with `foia release edit`)"
        )
    return release


def ensure_release(archive: Archive, name: str, **fields: str | None) -> int:
    """The id of release `name` for an import, created if new; given metadata fills blanks and must agree."""
    given = _check_fields(fields)
    with archive.transaction() as conn:
        release = check_release(archive, name, **given)
        if release is None:
            return add_release(archive, name, **given).id
        fill = {column: value for column, value in given.items() if getattr(release, column) != value}
        if fill:
            assignments = ", ".join(f"{column} = ?" for column in fill)
            conn.execute(f"UPDATE releases SET {assignments} WHERE id = ?", (*fill.values(), release.id))
        return release.id


def drop_empty_releases(archive: Archive, release_ids: list[int]) -> list[str]:
    """Remove those of these releases that hold no document (an import made them and every file failed);
    returns their names."""
    with archive.transaction() as conn:
        empty = archive._query(
            """SELECT id, name FROM releases WHERE id IN (SELECT value FROM json_each(?))
               AND NOT EXISTS (SELECT 1 FROM release_documents rd WHERE rd.release_id = releases.id)""",
            (json.dumps(release_ids),),
        )
        conn.executemany("DELETE FROM releases WHERE id = ?", [(row["id"],) for row in empty])
    return [row["name"] for row in empty]


def attach_documents(archive: Archive, release_id: int, document_ids: list[str]) -> None:
    """Link documents to a release, with the documents imported from their attachments."""
    with archive.transaction() as conn:
        for chunk in _chunks(document_ids):
            conn.execute(
                f"""WITH RECURSIVE family(id) AS (
                        SELECT id FROM documents WHERE id IN ({_marks(chunk)})
                        UNION
                        SELECT d.id FROM documents d JOIN messages m ON m.id = d.parent_message_id
                        JOIN family f ON f.id = m.document_id)
                    INSERT OR IGNORE INTO release_documents (release_id, document_id)
                    SELECT ?, f.id FROM family f JOIN documents d ON d.id = f.id WHERE d.status = 'imported'""",
                (*chunk, release_id),
            )


def documents_held(archive: Archive, release_ids: list[int]) -> int:
    """How many (release, document) links these releases have: whether an import gave them anything."""
    return archive._scalar(
        "SELECT count(*) FROM release_documents WHERE release_id IN (SELECT value FROM json_each(?))",
        (json.dumps(release_ids),),
    )


RELEASE_COUNTS = """
    SELECT r.*,
        (SELECT count(*) FROM release_documents rd JOIN documents d ON d.id = rd.document_id
         WHERE rd.release_id = r.id AND d.status = 'imported') AS documents,
        (SELECT coalesce(sum(d.page_count), 0) FROM release_documents rd JOIN documents d ON d.id = rd.document_id
         WHERE rd.release_id = r.id AND d.status = 'imported') AS pages,
        (SELECT count(DISTINCT coalesce(m.duplicate_of, m.id)) FROM release_documents rd
         JOIN messages m ON m.document_id = rd.document_id WHERE rd.release_id = r.id) AS messages,
        (SELECT count(*) FROM release_documents rd JOIN redactions x ON x.document_id = rd.document_id
         WHERE rd.release_id = r.id) AS redactions
    FROM releases r"""


def list_releases(archive: Archive) -> list[ReleaseSummary]:
    """Every release with its counts, newest first (by date produced, else filed, else recorded).

    `messages` counts distinct emails (copies of one email in the release count once); `redactions` counts
    every box on the release's pages, so a box printed twice (an email and its quote in a reply) counts twice.
    """
    rows = archive._query(
        RELEASE_COUNTS + " ORDER BY coalesce(r.produced, r.filed, substr(r.created_at, 1, 10)) DESC, r.name"
    )
    return [_row(ReleaseSummary, r) for r in rows]


# -- removal ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReleaseRemoval:
    """What deleting a release took away, and where its taggings on copies that went are to move."""

    release: str
    documents_removed: int
    messages_removed: int
    survivors: dict[int, str]  # tagging id -> the surviving copy of its email
    taggings_removed: int

    def as_json(self) -> dict:
        return {
            "release": self.release,
            "documents_removed": self.documents_removed,
            "messages_removed": self.messages_removed,
            "taggings_moved": len(self.survivors),
            "taggings_removed": self.taggings_removed,
        }


def delete_release(archive: Archive, name: str, *, force: bool = False) -> ReleaseRemoval:
    """Delete a release's record and the documents (with their copies) no other release holds, inside the
    caller's transaction; the taggings on copies that went are for `move_taggings` once the archive is
    rethreaded. Refuses, unless `force`, when taggings are on emails only this release holds."""
    with archive.transaction() as conn:
        release = get_release(archive, name)
        gone = [
            row["document_id"]
            for row in archive._query(
                """SELECT rd.document_id FROM release_documents rd WHERE rd.release_id = ? AND NOT EXISTS (
                       SELECT 1 FROM release_documents o WHERE o.document_id = rd.document_id
                       AND o.release_id != rd.release_id)""",
                (release.id,),
            )
        ]
        doomed = _rows_of_documents(archive, gone)
        survivors, orphans = _tagging_survivors(archive, doomed, set(gone))
        if orphans and not force:
            raise ArchiveError(
                f"release {name!r}: {len(orphans)} tagging(s) are on emails only this release holds; "
                "removing it would lose them (use --force to remove them too)"
            )
        conn.execute("PRAGMA defer_foreign_keys = ON")  # the taggings move to surviving copies before COMMIT
        for chunk in _chunks(orphans):
            conn.execute(f"DELETE FROM taggings WHERE id IN ({_marks(chunk)})", chunk)
        held = conn.execute("SELECT document_id FROM release_documents WHERE release_id = ?", (release.id,))
        kept = sorted({row[0] for row in held} - set(gone))
        conn.execute("DELETE FROM releases WHERE id = ?", (release.id,))
        for chunk in _chunks(gone):
            conn.execute(f"DELETE FROM documents WHERE id IN ({_marks(chunk)})", chunk)
        date_documents(conn, kept)  # what other releases hold is read in their zone now
    return ReleaseRemoval(name, len(gone), len(doomed), survivors, len(orphans))


def _rows_of_documents(archive: Archive, document_ids: list[str]) -> set[str]:
    ids: set[str] = set()
    for chunk in _chunks(document_ids):
        ids |= {
            r["id"]
            for r in archive._query(f"SELECT id FROM messages WHERE document_id IN ({_marks(chunk)})", tuple(chunk))
        }
    return ids


def _tagging_survivors(archive: Archive, doomed: set[str], gone: set[str]) -> tuple[dict[int, str], list[int]]:
    """{tagging id: a surviving copy of its email} for taggings on doomed rows; the rest are orphans."""
    taggings = archive._query(
        """SELECT tg.id, tg.message_id, coalesce(m.duplicate_of, m.id) AS canon FROM taggings tg
           JOIN messages m ON m.id = tg.message_id"""
    )
    survivors: dict[int, str] = {}
    orphans: list[int] = []
    for t in (t for t in taggings if t["message_id"] in doomed):
        rows = archive._query(
            f"SELECT {COPY_COLUMNS} FROM messages m WHERE m.id = ? OR m.duplicate_of = ?", (t["canon"], t["canon"])
        )
        kept = [_copy(r) for r in rows if r["document_id"] not in gone]
        if kept:
            survivors[t["id"]] = min(kept, key=preference).id
        else:
            orphans.append(t["id"])
    return survivors, orphans


def move_taggings(archive: Archive, survivors: dict[int, str]) -> None:
    """Point each tagging at the copy now shown for its email, re-finding an excerpt's quoted text there."""
    with archive.transaction() as conn:
        for tagging_id, survivor in survivors.items():
            target = conn.execute(
                "SELECT coalesce(duplicate_of, id) FROM messages WHERE id = ?", (survivor,)
            ).fetchone()[0]
            quoted, start = conn.execute(
                "SELECT quoted_text, start FROM taggings WHERE id = ?", (tagging_id,)
            ).fetchone()
            if start is None:
                conn.execute("UPDATE OR IGNORE taggings SET message_id = ? WHERE id = ?", (target, tagging_id))
            else:
                body = conn.execute("SELECT body FROM messages WHERE id = ?", (target,)).fetchone()[0] or ""
                found = find_anchor(body, quoted or "", start)
                status, (start, end) = ("moved", found) if found else ("lost", (start, start + len(quoted or "")))
                conn.execute(
                    """UPDATE OR IGNORE taggings SET message_id = ?, start = ?, "end" = ?, anchor_status = ?
                       WHERE id = ?""",
                    (target, start, end, status, tagging_id),
                )
            # the target already had this very tagging: the one left behind is its twin
            conn.execute("DELETE FROM taggings WHERE id = ? AND message_id != ?", (tagging_id, target))


# -- compare ---------------------------------------------------------------------------------------------


COPY_COLUMNS = "m.id, coalesce(m.duplicate_of, m.id) AS canon, m.document_id, m.ordinal, m.copy_kind, m.sent, m.body"


def _copy(row: dict) -> Copy:
    return _row(Copy, row)


def release_copies(archive: Archive, release_id: int) -> list[Copy]:
    """Every stored copy in a release's documents."""
    rows = archive._query(
        f"""SELECT {COPY_COLUMNS} FROM release_documents rd JOIN messages m ON m.document_id = rd.document_id
            WHERE rd.release_id = ?""",
        (release_id,),
    )
    return [_copy(r) for r in rows]


def message_objects_for(archive: Archive, ids: list[str]) -> dict[str, dict]:
    """`foia list --json` objects by id (in chunks, so any number of ids works)."""
    objects: dict[str, dict] = {}
    for chunk in _chunks(list(dict.fromkeys(ids))):
        objects.update((o["id"], o) for o in get_messages(archive, chunk))
    return objects


def release_names(archive: Archive, document_ids: list[str]) -> dict[str, list[str]]:
    names: dict[str, list[str]] = defaultdict(list)
    for chunk in _chunks(list(dict.fromkeys(document_ids))):
        for row in archive._query(
            f"""SELECT rd.document_id, r.name FROM release_documents rd JOIN releases r ON r.id = rd.release_id
                WHERE rd.document_id IN ({_marks(chunk)}) ORDER BY r.name""",
            tuple(chunk),
        ):
            names[row["document_id"]].append(row["name"])
    return names


@dataclass(frozen=True)
class SourcedCopy:
    """A stored copy of an email with where it stands, for naming the copy that shows a box's text."""

    copy: Copy
    path: str
    page_start: int | None
    bates_start: str | None


def copies_of_email(archive: Archive, message_id: str) -> list[SourcedCopy]:
    """Every stored copy of the email `message_id` is a copy of, itself included."""
    rows = archive._query(
        f"""SELECT {COPY_COLUMNS}, m.page_start, m.bates_start, d.path
            FROM messages m JOIN documents d ON d.id = m.document_id
            WHERE m.id = ? OR m.id = (SELECT duplicate_of FROM messages WHERE id = ?)
               OR m.duplicate_of = coalesce((SELECT duplicate_of FROM messages WHERE id = ?), ?)""",
        (message_id, message_id, message_id, message_id),
    )
    return [SourcedCopy(_copy(r), r["path"], r["page_start"], r["bates_start"]) for r in rows]


# -- gaps ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GapEvidence:
    """What `foia gaps` reads: every copy (and which are canonical), the files emails name, the imported files
    and the recipients of each email."""

    copies: dict[str, GapCopy]
    canonical: list[GapCopy]
    named: list[NamedFile]
    documents: list[str]
    recipients: dict[str, list[tuple[str | None, str | None]]]


def gap_evidence(archive: Archive) -> GapEvidence:
    """The rows behind `foia gaps`, each table read once."""
    rows = archive._query(
        """SELECT id, coalesce(duplicate_of, id) AS canon, copy_kind, quoted_in, sent, sender_name, sender_email,
                  subject, thread_id, message_id, in_reply_to, body, duplicate_of IS NULL AS canonical,
                  quote_hidden
           FROM messages"""
    )
    copies = {r["id"]: _row(GapCopy, r) for r in rows}
    named = [
        NamedFile(copies[a["message_id"]], a["name"], bool(a["sha256"] or a["document_id"]))
        for a in archive._query("SELECT message_id, name, sha256, document_id FROM attachments")
    ]
    recipients: dict[str, list[tuple[str | None, str | None]]] = defaultdict(list)
    for p in archive._query("SELECT message_id, name, email FROM participants WHERE role IN ('to', 'cc')"):
        recipients[p["message_id"]].append((p["name"], p["email"]))
    return GapEvidence(
        copies=copies,
        canonical=[copies[r["id"]] for r in rows if r["canonical"]],
        named=named,
        documents=[r["path"] for r in archive._query("SELECT path FROM documents WHERE status = 'imported'")],
        recipients=recipients,
    )


def cited_sources(archive: Archive, ids: list[str]) -> dict[str, list[CitedSource]]:
    """Where each email's copies stand, for citing: a source per copy and release holding it."""
    sources: dict[str, list[CitedSource]] = defaultdict(list)
    for chunk in _chunks(list(dict.fromkeys(ids))):
        for row in archive._query(
            f"""SELECT coalesce(m.duplicate_of, m.id) AS canon, d.path AS file, m.page_start, m.bates_start AS bates,
                       r.name AS release
                FROM messages m JOIN documents d ON d.id = m.document_id
                LEFT JOIN release_documents rd ON rd.document_id = d.id LEFT JOIN releases r ON r.id = rd.release_id
                WHERE m.id IN ({_marks(chunk)}) OR m.duplicate_of IN ({_marks(chunk)})
                ORDER BY m.copy_kind = 'quoted', r.name, d.path, m.page_start""",
            (*chunk, *chunk),
        ):
            sources[row["canon"]].append(_row(CitedSource, row))
    return dict(sources)
