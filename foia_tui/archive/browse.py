"""The reads the app needs to browse an archive: thread pages, a thread's messages, sidebar counts, page sources.

Every function here is called from a worker thread and returns plain dataclasses, so widgets never see SQL.
Thread lists are paged (LIMIT/OFFSET over the `threads_last` index), never read whole.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field

from foia_tui.archive import Archive
from foia_tui.archive.tags import Tagging, thread_taggings
from foia_tui.domain.redactions import MARKER_START
from foia_tui.domain.releases import CitedSource

THREAD_COLUMNS = """id, subject, first_sent, last_sent, message_count, participants, has_redaction, has_leak,
    has_attachment"""
SIDEBAR_LIMIT = 200
# Participants the People section counts: named, and of distinct emails (a copy's people are its email's).
SHOWN_PARTICIPANTS = """WHERE coalesce(pa.email, pa.name, '') != ''
    AND pa.message_id NOT IN (SELECT id FROM messages WHERE duplicate_of IS NOT NULL)"""


@dataclass(frozen=True)
class ThreadSummary:
    """One row of the thread list."""

    id: str
    subject: str | None
    first_sent: str | None
    last_sent: str | None
    message_count: int
    participants: str
    has_redaction: bool
    has_leak: bool
    has_attachment: bool
    tags: tuple[str, ...] = ()
    # the days its emails count on (each in its release's zone): what the list shows; first/last_sent order it
    first_day: str | None = None
    last_day: str | None = None


@dataclass(frozen=True)
class Redaction:
    code: str | None
    page: int | None
    body_offset: int | None
    leaked_text: str | None


@dataclass(frozen=True)
class Exposure:
    """A box in this copy whose text another copy shows (see services.releases.message_exposures)."""

    index: int  # which redaction marker of the body, 0-based
    offset: int  # the marker's offset in the stored body
    code: str | None
    text: str  # what the other copy shows there (document text: show it through foia_tui.domain.display)
    readable_in: tuple[str, ...]  # the releases (or files) whose copies show it


@dataclass(frozen=True)
class CitedExposure:
    """An exposure with the copy that shows its text best, so a note on the box can cite where to read it."""

    exposure: Exposure
    message_id: str  # that copy
    source: CitedSource  # where it stands (no release: `exposure.readable_in` names them)


@dataclass(frozen=True)
class Attachment:
    name: str
    content_type: str | None
    size: int | None


@dataclass(frozen=True)
class Copy:
    """Another copy of the same email (a print in another PDF, a quote in a reply)."""

    id: str
    file: str
    copy_kind: str
    page_start: int | None
    page_end: int | None
    bates_start: str | None
    redactions: tuple[Redaction, ...] = ()
    releases: tuple[str, ...] = ()
    exposures: tuple[Exposure, ...] = ()
    boxed: bool = False  # its body holds a redaction marker


@dataclass
class MessageDetail:
    """One email as the thread view shows it, with everything hanging off it."""

    id: str
    thread_id: str | None
    subject: str | None
    sender_name: str | None
    sender_email: str | None
    sender_raw: str | None
    to: list[dict]
    cc: list[dict]
    sent: str | None
    date_text: str | None
    body: str
    file: str
    document_id: str
    document_kind: str | None
    copy_kind: str
    page_start: int | None
    page_end: int | None
    bates_start: str | None
    bates_end: str | None
    redactions: list[Redaction] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    copies: list[Copy] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)  # tags on the whole email (by itself or through its thread)
    excerpts: list[Tagging] = field(default_factory=list)  # its excerpt taggings, in body order
    releases: list[str] = field(default_factory=list)  # releases that produced this copy's document
    exposures: list[Exposure] = field(default_factory=list)
    continued_file: str | None = None  # the next file of the production, where this email ends
    continued_page_end: int | None = None
    warnings: list[str] = field(default_factory=list)  # what the import could not read on its pages


@dataclass(frozen=True)
class SidebarEntry:
    label: str
    count: int
    key: str  # tag name, saved query, person address or name, document path
    people: int = 1  # redacted correspondents printed alike are listed as one entry: how many people it stands for


@dataclass
class SidebarData:
    messages: int
    threads: int
    saved_searches: list[SidebarEntry]
    tags: list[SidebarEntry]
    people: list[SidebarEntry]  # named people, most messages first
    documents: list[SidebarEntry]
    documents_total: int
    redacted: list[SidebarEntry] = field(default_factory=list)  # redacted correspondents, one entry per printed form
    redacted_people: int = 0


@dataclass(frozen=True)
class PageText:
    number: int
    text: str
    bates: str | None
    ocr: bool


@dataclass
class PageSource:
    """Where a message was printed: the file (as stored and as found on disk), its kind, its releases and the
    pages (with their extracted text)."""

    message_id: str | None  # None: a page outside any email
    path: str  # resolved against the archive's source root: where to read the file
    kind: str | None
    page_start: int | None
    page_end: int | None
    pages: list[PageText]
    file: str = ""  # the path as stored (often relative): what to show
    releases: tuple[str, ...] = ()
    ordinal: int = 0  # the message's place in its file (an mbox holds many)


@dataclass(frozen=True)
class Totals:
    messages: int
    threads: int


def _placeholders(values: list | tuple) -> str:
    return ", ".join("?" for _ in values)


def totals(archive: Archive) -> Totals:
    """Distinct messages and threads (refresh compares these to spot an import made by another process)."""
    return Totals(
        archive._scalar("SELECT count(*) FROM messages WHERE duplicate_of IS NULL") or 0,
        archive._scalar("SELECT count(*) FROM threads") or 0,
    )


def _summaries(archive: Archive, rows: list[dict]) -> list[ThreadSummary]:
    ids = [row["id"] for row in rows]
    tags: dict[str, list[str]] = defaultdict(list)
    days: dict[str, tuple[str | None, str | None]] = {}
    if ids:
        for row in archive._query(
            f"""SELECT DISTINCT m.thread_id, t.name FROM taggings tg
                JOIN messages m ON m.id = tg.message_id JOIN tags t ON t.id = tg.tag_id
                WHERE m.thread_id IN ({_placeholders(ids)}) ORDER BY t.name""",
            tuple(ids),
        ):
            tags[row["thread_id"]].append(row["name"])
        for row in archive._query(
            f"""SELECT thread_id, min(sent_day) AS first_day, max(sent_day) AS last_day FROM messages
                WHERE thread_id IN ({_placeholders(ids)}) AND duplicate_of IS NULL GROUP BY thread_id""",
            tuple(ids),
        ):
            days[row["thread_id"]] = (row["first_day"], row["last_day"])
    return [
        ThreadSummary(
            id=row["id"],
            subject=row["subject"],
            first_sent=row["first_sent"],
            last_sent=row["last_sent"],
            message_count=row["message_count"],
            participants=row["participants"] or "",
            has_redaction=bool(row["has_redaction"]),
            has_leak=bool(row["has_leak"]),
            has_attachment=bool(row["has_attachment"]),
            tags=tuple(tags[row["id"]]),
            first_day=days.get(row["id"], (None, None))[0],
            last_day=days.get(row["id"], (None, None))[1],
        )
        for row in rows
    ]


def thread_page(archive: Archive, offset: int, limit: int) -> list[ThreadSummary]:
    """Threads newest first (undated last), one page of the whole archive."""
    rows = archive._query(
        f"SELECT {THREAD_COLUMNS} FROM threads ORDER BY last_sent DESC, rowid DESC LIMIT ? OFFSET ?",
        (limit, offset),
    )
    return _summaries(archive, rows)


def newest_first(archive: Archive, ids: Collection[str]) -> list[str]:
    """Thread ids in the thread list's order (newest first), e.g. the threads a search matched."""
    rows = archive._query(
        "SELECT id FROM threads WHERE id IN (SELECT value FROM json_each(?)) ORDER BY last_sent DESC, rowid DESC",
        (json.dumps(list(ids)),),
    )
    return [row["id"] for row in rows]


def threads_by_ids(archive: Archive, ids: list[str]) -> list[ThreadSummary]:
    """Thread rows for the given ids, in the order given (a page of search results)."""
    if not ids:
        return []
    rows = archive._query(f"SELECT {THREAD_COLUMNS} FROM threads WHERE id IN ({_placeholders(ids)})", tuple(ids))
    by_id = {row["id"]: row for row in rows}
    return _summaries(archive, [by_id[i] for i in ids if i in by_id])


def _redaction(row: dict) -> Redaction:
    return Redaction(row["code"], row["page"], row["body_offset"], row["leaked_text"])


_RELEASES_OF = """(SELECT json_group_array(name) FROM (SELECT r.name FROM release_documents rd
    JOIN releases r ON r.id = rd.release_id WHERE rd.document_id = {document} ORDER BY r.name))"""
RELEASES_OF_DOCUMENT = _RELEASES_OF.format(document="m.document_id")


def thread_messages(archive: Archive, thread_id: str) -> list[MessageDetail]:
    """A thread's distinct emails in reading order, each with its redactions, attachments, copies, tags and
    releases; a copy's boxes that another copy shows as text come as `exposures` (looked for only in emails
    stored more than once, so a thread of single copies costs no comparison). Without them: the services add them
    (foia_tui.services.reading), since finding them is domain work."""
    rows = archive._query(
        f"""SELECT m.*, d.path AS file, d.kind AS document_kind, {RELEASES_OF_DOCUMENT} AS releases,
                (SELECT path FROM documents WHERE id = m.continued_in) AS continued_file
            FROM messages m JOIN documents d ON d.id = m.document_id
            WHERE m.thread_id = ? ORDER BY m.sent_sort IS NULL, m.sent_sort, m.document_id, m.ordinal""",
        (thread_id,),
    )
    redactions: dict[str, list[Redaction]] = defaultdict(list)
    for row in archive._query(
        """SELECT r.message_id, r.code, r.page, r.body_offset, r.leaked_text FROM redactions r
           JOIN messages m ON m.id = r.message_id WHERE m.thread_id = ? ORDER BY r.message_id, r.body_offset, r.id""",
        (thread_id,),
    ):
        redactions[row["message_id"]].append(_redaction(row))
    attachments: dict[str, list[Attachment]] = defaultdict(list)
    for row in archive._query(
        """SELECT a.message_id, a.name, a.content_type, a.size FROM attachments a
           JOIN messages m ON m.id = a.message_id WHERE m.thread_id = ? ORDER BY a.message_id, a.id""",
        (thread_id,),
    ):
        attachments[row["message_id"]].append(Attachment(row["name"], row["content_type"], row["size"]))
    tags: dict[str, list[str]] = defaultdict(list)
    excerpts: dict[str, list[Tagging]] = defaultdict(list)
    for tagging in thread_taggings(archive, thread_id):
        if tagging.kind == "excerpt":
            excerpts[tagging.message_id].append(tagging)
        elif tagging.tag not in tags[tagging.message_id]:
            tags[tagging.message_id].append(tagging.tag)
    warnings: dict[str, list[str]] = defaultdict(list)
    for row in archive._query(
        """SELECT m.id, w.page, w.reason FROM messages m JOIN warnings w ON w.document_id = m.document_id
               AND (w.page IS NULL OR w.page BETWEEN m.page_start AND coalesce(m.page_end, m.page_start))
           WHERE m.thread_id = ? ORDER BY m.id, w.page, w.id""",
        (thread_id,),
    ):
        warnings[row["id"]].append(f"p. {row['page']}: {row['reason']}" if row["page"] else row["reason"])
    copies: dict[str, list[Copy]] = defaultdict(list)
    messages: list[MessageDetail] = []
    for row in rows:
        if row["duplicate_of"]:
            copies[row["duplicate_of"]].append(
                Copy(
                    row["id"],
                    row["file"],
                    row["copy_kind"],
                    row["page_start"],
                    row["page_end"],
                    row["bates_start"],
                    tuple(redactions[row["id"]]),
                    tuple(json.loads(row["releases"])),
                    boxed=MARKER_START in (row["body"] or ""),
                )
            )
            continue
        messages.append(
            MessageDetail(
                id=row["id"],
                thread_id=row["thread_id"],
                subject=row["subject"],
                sender_name=row["sender_name"],
                sender_email=row["sender_email"],
                sender_raw=row["sender_raw"],
                to=json.loads(row["recipients"] or "[]"),
                cc=json.loads(row["cc"] or "[]"),
                sent=row["sent"],
                date_text=row["date_text"],
                body=row["body"] or "",
                file=row["file"],
                document_id=row["document_id"],
                document_kind=row["document_kind"],
                copy_kind=row["copy_kind"],
                page_start=row["page_start"],
                page_end=row["page_end"],
                bates_start=row["bates_start"],
                bates_end=row["bates_end"],
                redactions=redactions[row["id"]],
                attachments=attachments[row["id"]],
                tags=tags[row["id"]],
                excerpts=sorted(excerpts[row["id"]], key=lambda t: (t.start, t.end, t.tag.casefold())),
                releases=json.loads(row["releases"]),
                continued_file=row["continued_file"],
                continued_page_end=row["continued_page_end"],
                warnings=warnings[row["id"]],
            )
        )
    for message in messages:
        message.copies = copies[message.id]
    return messages


def sidebar(archive: Archive) -> SidebarData:
    """Everything the sidebar lists: saved searches, tags, people by message count, source documents."""
    tally = totals(archive)
    saved = [
        SidebarEntry(row["name"], 0, row["query"])
        for row in archive._query("SELECT name, query FROM saved_searches ORDER BY name")
    ]
    tags = [
        SidebarEntry(row["name"], row["n"], row["name"])
        for row in archive._query(
            """SELECT t.name, count(DISTINCT tg.message_id) AS n FROM tags t
               LEFT JOIN taggings tg ON tg.tag_id = t.id GROUP BY t.id ORDER BY t.name"""
        )
    ]
    people = [
        SidebarEntry(row["person"] or row["name"] or row["key"], row["n"], row["person"] or row["key"])
        for row in archive._query(
            f"""SELECT max(p.name) AS person, coalesce(pa.email, pa.name) AS key, max(pa.name) AS name,
                       count(DISTINCT pa.message_id) AS n
                FROM participants pa LEFT JOIN people p ON p.id = pa.person_id
                {SHOWN_PARTICIPANTS} AND NOT coalesce(p.redacted, 0)
                GROUP BY coalesce(CAST(pa.person_id AS TEXT), 'address:' || coalesce(pa.email, pa.name))
                ORDER BY n DESC, key LIMIT ?""",
            (SIDEBAR_LIMIT,),
        )
    ]
    # Each redacted correspondent is a person of its own, but a list of fifty identical boxes would bury the
    # names: they are counted apart and listed once per printed form.
    redacted = [
        SidebarEntry(row["label"], row["n"], row["key"], row["people"])
        for row in archive._query(
            f"""SELECT p.name AS label, coalesce(max(pa.email), max(pa.name)) AS key,
                       count(DISTINCT pa.message_id) AS n, count(DISTINCT p.id) AS people
                FROM people p CROSS JOIN participants pa ON pa.person_id = p.id  -- few redacted people: start there
                {SHOWN_PARTICIPANTS} AND p.redacted
                GROUP BY p.name ORDER BY n DESC, label LIMIT ?""",
            (SIDEBAR_LIMIT,),
        )
    ]
    redacted_people = (
        archive._scalar(
            f"""SELECT count(DISTINCT p.id) FROM participants pa JOIN people p ON p.id = pa.person_id
                {SHOWN_PARTICIPANTS} AND p.redacted"""
        )
        or 0
    )
    documents = [
        SidebarEntry(row["path"], row["n"], row["path"])
        for row in archive._query(
            """SELECT d.path, (SELECT count(*) FROM messages m WHERE m.document_id = d.id) AS n
               FROM documents d WHERE d.status = 'imported' AND d.parent_message_id IS NULL
               ORDER BY d.path LIMIT ?""",
            (SIDEBAR_LIMIT,),
        )
    ]
    documents_total = (
        archive._scalar("SELECT count(*) FROM documents WHERE status = 'imported' AND parent_message_id IS NULL") or 0
    )
    return SidebarData(
        tally.messages, tally.threads, saved, tags, people, documents, documents_total, redacted, redacted_people
    )


def page_source(archive: Archive, message_id: str) -> PageSource | None:
    """The file a message came from and the text of its pages (all pages when the message has no page range)."""
    rows = archive._query(
        f"""SELECT m.id, m.document_id, m.page_start, m.page_end, m.ordinal, d.path, d.kind,
                   {RELEASES_OF_DOCUMENT} AS releases
            FROM messages m JOIN documents d ON d.id = m.document_id WHERE m.id = ?""",
        (message_id,),
    )
    if not rows:
        return None
    row = rows[0]
    return _source(archive, row, message_id, row["page_start"], row["page_end"])


def document_page(archive: Archive, document_id: str, number: int) -> PageSource | None:
    """One page of a file with its text, as page_source gives an email's: for a page outside any email."""
    rows = archive._query(
        f"SELECT id AS document_id, path, kind, {_RELEASES_OF.format(document='d.id')} AS releases "
        "FROM documents d WHERE id = ?",
        (document_id,),
    )
    return _source(archive, rows[0], None, number, number) if rows else None


def _source(archive: Archive, row: dict, message_id: str | None, start: int | None, end: int | None) -> PageSource:
    """The PageSource of a file's row (document_id, path, kind, releases) and its pages from `start` to `end`."""
    first = start or 1
    last = end or start or 1_000_000
    pages = [
        PageText(p["number"], p["text"], p["bates"], bool(p["ocr"]))
        for p in archive._query(
            """SELECT number, text, bates, ocr FROM pages WHERE document_id = ? AND number BETWEEN ? AND ?
               ORDER BY number""",
            (row["document_id"], first, last),
        )
    ]
    return PageSource(
        message_id,
        str(archive.resolve_source(row["path"])),
        row["kind"],
        start,
        end,
        pages,
        file=row["path"],
        releases=tuple(json.loads(row["releases"])),
        ordinal=row.get("ordinal") or 0,
    )
