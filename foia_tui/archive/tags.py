"""Tags and taggings: the investigator's work product, kept apart from anything an import rewrites.

A tagging points at a message by its stable id (the file hash plus the message's place in it), so re-importing the
same file finds it again. An excerpt tagging also keeps the text it quoted: when a re-import (say after re-OCR)
changes the body, `reanchor_taggings` finds that text again, exactly or by fuzzy match, or flags it as lost.
"""

from __future__ import annotations

import getpass
import unicodedata
from dataclasses import dataclass

from rapidfuzz import fuzz
from rich.color import Color, ColorParseError

from foia_tui.archive import Archive, ArchiveError
from foia_tui.archive.messages import get_messages
from foia_tui.archive.store import now_iso
from foia_tui.domain.citations import CitedBox, OtherCopy

MAX_NAME_CHARS = 80
FUZZY_MIN_SCORE = 85.0  # rapidfuzz partial_ratio: OCR fixes score 90+, a different sentence far less
FUZZY_MIN_CHARS = 8  # below this a fuzzy match is chance, so short quotes must match exactly
CHUNK = 500  # ids per IN (...) list


@dataclass(frozen=True)
class Tag:
    id: int
    name: str
    color: str | None
    description: str | None
    created_at: str
    messages: int = 0  # distinct messages carrying the tag
    taggings: int = 0


@dataclass(frozen=True)
class Tagging:
    id: int
    tag: str
    message_id: str
    start: int | None
    end: int | None
    quoted_text: str | None
    note: str | None
    created_by: str | None
    created_at: str
    anchor_status: str  # ok | moved | lost
    via_thread: str | None  # the thread this tagging was applied through, if any

    @property
    def kind(self) -> str:
        """excerpt, thread or message: what the investigator tagged."""
        if self.start is not None:
            return "excerpt"
        return "thread" if self.via_thread else "message"


@dataclass(frozen=True)
class TaggedPassage:
    """One tagging with what an export cites: the quoted text and where it comes from."""

    tag: str
    kind: str
    message_id: str
    thread_id: str | None
    sent: str | None
    sender: str
    recipients: tuple[str, ...]
    subject: str
    file: str
    page_start: int | None
    page_end: int | None
    bates: str | None
    start: int | None
    end: int | None
    text: str  # the excerpt as the body now holds it (the saved quote when the anchor is lost)
    note: str | None
    anchor_status: str
    tagged_by: str | None
    tagged_at: str
    releases: tuple[str, ...] = ()  # the releases that produced this copy
    also: tuple[OtherCopy, ...] = ()  # the email's other copies (quotes in replies left out)
    boxes: tuple[CitedBox, ...] = ()  # the redaction boxes inside the passage


@dataclass
class ReanchorResult:
    checked: int = 0
    moved: int = 0
    lost: int = 0
    restored: int = 0  # lost before, found in place again


def current_user() -> str:
    """Who is tagging: $USER (or the login name), recorded on every tagging."""
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "unknown"


def clean_name(name: str) -> str:
    """A tag name as stored: trimmed, one line, no control characters, not too long."""
    name = " ".join(name.split())
    if not name:
        raise ArchiveError("a tag name cannot be empty")
    if len(name) > MAX_NAME_CHARS:
        raise ArchiveError(f"a tag name has at most {MAX_NAME_CHARS} characters")
    if any(unicodedata.category(c).startswith("C") for c in name):
        raise ArchiveError("a tag name cannot contain control or formatting characters")
    return name


def clean_color(color: str | None) -> str | None:
    """A colour the app can draw (a name like 'red', '#ff8800' or 'rgb(…)'), or None to clear it."""
    if color is None or not color.strip():
        return None
    color = color.strip().lower()
    try:
        Color.parse(color)
    except ColorParseError:
        raise ArchiveError(f"not a colour: {color!r} (try a name like 'red' or '#ff8800')") from None
    return color


TAG_COLUMNS = """t.id, t.name, t.color, t.description, t.created_at,
    (SELECT count(DISTINCT message_id) FROM taggings g WHERE g.tag_id = t.id) AS messages,
    (SELECT count(*) FROM taggings g WHERE g.tag_id = t.id) AS taggings"""


def list_tags(archive: Archive) -> list[Tag]:
    """Every tag with its counts, by name."""
    return [Tag(**row) for row in archive._query(f"SELECT {TAG_COLUMNS} FROM tags t ORDER BY t.name COLLATE NOCASE")]


def find_tag(archive: Archive, name: str) -> Tag | None:
    """The tag of that name, ignoring case, so 'Budget' and 'budget' are one tag."""
    rows = archive._query(
        f"SELECT {TAG_COLUMNS} FROM tags t WHERE t.name = ? COLLATE NOCASE", (" ".join(name.split()),)
    )
    return Tag(**rows[0]) if rows else None


def get_tag(archive: Archive, name: str) -> Tag:
    tag = find_tag(archive, name)
    if tag is None:
        raise ArchiveError(f"no tag named {name!r}")
    return tag


def create_tag(archive: Archive, name: str, *, color: str | None = None, description: str | None = None) -> Tag:
    """Create a tag, or return the existing one of that name (its colour and description set when given)."""
    name = clean_name(name)
    color = clean_color(color)
    with archive.transaction() as conn:
        existing = find_tag(archive, name)
        if existing is None:
            conn.execute(
                "INSERT INTO tags (name, color, description, created_at) VALUES (?, ?, ?, ?)",
                (name, color, description or None, now_iso()),
            )
        else:
            conn.execute(
                "UPDATE tags SET color = coalesce(?, color), description = coalesce(?, description) WHERE id = ?",
                (color, description or None, existing.id),
            )
    return get_tag(archive, name)


def rename_tag(archive: Archive, old: str, new: str) -> Tag:
    new = clean_name(new)
    with archive.transaction() as conn:
        tag = get_tag(archive, old)
        clash = find_tag(archive, new)
        if clash is not None and clash.id != tag.id:
            raise ArchiveError(f"a tag named {clash.name!r} exists already (merge them instead)")
        conn.execute("UPDATE tags SET name = ? WHERE id = ?", (new, tag.id))
    return get_tag(archive, new)


def merge_tags(archive: Archive, sources: list[str], target: str) -> Tag:
    """Move every tagging of `sources` onto `target` (created if needed), then delete the sources."""
    with archive.transaction() as conn:
        into = create_tag(archive, target)
        for name in sources:
            source = get_tag(archive, name)
            if source.id == into.id:
                continue
            # A message tagged with both keeps the target's tagging; the source's copy goes with the source.
            conn.execute("UPDATE OR IGNORE taggings SET tag_id = ? WHERE tag_id = ?", (into.id, source.id))
            conn.execute("DELETE FROM tags WHERE id = ?", (source.id,))
    return get_tag(archive, into.name)


def delete_tag(archive: Archive, name: str) -> int:
    """Delete a tag and all its taggings; returns how many taggings went with it."""
    with archive.transaction() as conn:
        tag = get_tag(archive, name)
        conn.execute("DELETE FROM taggings WHERE tag_id = ?", (tag.id,))
        conn.execute("DELETE FROM tags WHERE id = ?", (tag.id,))
    return tag.taggings


def set_color(archive: Archive, name: str, color: str | None) -> Tag:
    color = clean_color(color)
    with archive.transaction() as conn:
        tag = get_tag(archive, name)
        conn.execute("UPDATE tags SET color = ? WHERE id = ?", (color, tag.id))
    return get_tag(archive, tag.name)


def set_description(archive: Archive, name: str, description: str | None) -> Tag:
    with archive.transaction() as conn:
        tag = get_tag(archive, name)
        conn.execute("UPDATE tags SET description = ? WHERE id = ?", ((description or "").strip() or None, tag.id))
    return get_tag(archive, tag.name)


def _check_messages(archive: Archive, message_ids: list[str]) -> None:
    known: set[str] = set()
    for i in range(0, len(message_ids), CHUNK):
        chunk = message_ids[i : i + CHUNK]
        marks = ", ".join("?" for _ in chunk)
        known.update(r["id"] for r in archive._query(f"SELECT id FROM messages WHERE id IN ({marks})", tuple(chunk)))
    missing = [m for m in message_ids if m not in known]
    if missing:
        raise ArchiveError(f"no message with id {missing[0]!r}")


def tag_messages(
    archive: Archive, tag: str, message_ids: list[str], *, note: str | None = None, via_thread: str | None = None
) -> int:
    """Tag whole messages (the tag is created if needed); returns how many were newly tagged.

    Tagging a message again only updates the note when one is given.
    """
    message_ids = list(dict.fromkeys(message_ids))
    with archive.transaction() as conn:
        _check_messages(archive, message_ids)
        tag_id = create_tag(archive, tag).id
        before = archive._scalar("SELECT count(*) FROM taggings WHERE tag_id = ?", (tag_id,))
        conn.executemany(
            """INSERT INTO taggings (tag_id, message_id, note, created_by, created_at, via_thread)
               VALUES (?, ?, ?, ?, ?, ?)
               ON CONFLICT (tag_id, message_id, coalesce(start, -1), coalesce("end", -1))
               DO UPDATE SET note = coalesce(excluded.note, note)""",
            [(tag_id, m, note or None, current_user(), now_iso(), via_thread) for m in message_ids],
        )
        return archive._scalar("SELECT count(*) FROM taggings WHERE tag_id = ?", (tag_id,)) - before


def thread_message_ids(archive: Archive, thread_id: str) -> list[str]:
    """The distinct messages of a thread (duplicate copies left out), oldest first."""
    return [
        r["id"]
        for r in archive._query(
            """SELECT id FROM messages WHERE thread_id = ? AND duplicate_of IS NULL
               ORDER BY sent_sort IS NULL, sent_sort, document_id, ordinal""",
            (thread_id,),
        )
    ]


def tag_thread(archive: Archive, tag: str, thread_id: str, *, note: str | None = None) -> int:
    """Tag every message of a thread, remembering that the tagging came through the thread."""
    ids = thread_message_ids(archive, thread_id)
    if not ids:
        raise ArchiveError(f"no thread with id {thread_id!r}")
    return tag_messages(archive, tag, ids, note=note, via_thread=thread_id)


def tag_excerpt(
    archive: Archive, tag: str, message_id: str, start: int, end: int, *, note: str | None = None
) -> Tagging:
    """Tag the characters body[start:end] of a message, keeping the quoted text to re-anchor it later."""
    with archive.transaction() as conn:
        body = archive._scalar("SELECT body FROM messages WHERE id = ?", (message_id,))
        if body is None:
            raise ArchiveError(f"no message with id {message_id!r}")
        if not 0 <= start < end <= len(body):
            raise ArchiveError(f"excerpt {start}:{end} is outside the message body (0:{len(body)})")
        tag_id = create_tag(archive, tag).id
        conn.execute(
            """INSERT INTO taggings (tag_id, message_id, start, "end", quoted_text, note, created_by, created_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT (tag_id, message_id, coalesce(start, -1), coalesce("end", -1))
               DO UPDATE SET note = coalesce(excluded.note, note), quoted_text = excluded.quoted_text,
                   anchor_status = 'ok'""",
            (tag_id, message_id, start, end, body[start:end], note or None, current_user(), now_iso()),
        )
    return _taggings(
        archive, 'g.tag_id = ? AND g.message_id = ? AND g.start = ? AND g."end" = ?', (tag_id, message_id, start, end)
    )[0]


TAGGING_COLUMNS = """g.id, t.name AS tag, g.message_id, g.start, g."end", g.quoted_text, g.note, g.created_by,
    g.created_at, g.anchor_status, g.via_thread"""


def _taggings(archive: Archive, where: str, params: tuple) -> list[Tagging]:
    rows = archive._query(
        f"""SELECT {TAGGING_COLUMNS} FROM taggings g JOIN tags t ON t.id = g.tag_id WHERE {where}
            ORDER BY t.name COLLATE NOCASE, g.start IS NOT NULL, g.start, g.id""",
        params,
    )
    return [Tagging(**row) for row in rows]


def message_taggings(archive: Archive, message_id: str) -> list[Tagging]:
    """Every tagging of one message: whole-message ones first within each tag, then excerpts in body order."""
    return _taggings(archive, "g.message_id = ?", (message_id,))


def untag_messages(archive: Archive, tag: str, message_ids: list[str]) -> list[Tagging]:
    """Take a tag off messages (their excerpt taggings of that tag too); returns the taggings that went, as they
    were, so `restore_taggings` can put them back."""
    with archive.transaction() as conn:
        tag_id = get_tag(archive, tag).id
        ids: list[int] = []
        for i in range(0, len(message_ids), CHUNK):
            chunk = message_ids[i : i + CHUNK]
            marks = ", ".join("?" for _ in chunk)
            sql = f"SELECT id FROM taggings WHERE tag_id = ? AND message_id IN ({marks})"
            ids += [row[0] for row in conn.execute(sql, (tag_id, *chunk))]
        return delete_taggings(archive, ids)  # which reads them in full, as they were


def delete_taggings(archive: Archive, ids: list[int]) -> list[Tagging]:
    """Delete taggings by id; returns them as they were (unknown ids are skipped)."""
    with archive.transaction() as conn:
        gone: list[Tagging] = []
        for i in range(0, len(ids), CHUNK):
            chunk = ids[i : i + CHUNK]
            marks = ", ".join("?" for _ in chunk)
            gone += _taggings(archive, f"g.id IN ({marks})", tuple(chunk))
            conn.execute(f"DELETE FROM taggings WHERE id IN ({marks})", tuple(chunk))
    return gone


def restore_taggings(archive: Archive, taggings: list[Tagging]) -> int:
    """Put deleted taggings back exactly as they were: same id (unless a new tagging took it since), span, quote,
    note, author and time; the tag is made again if it went too. A tagging of a message no longer in the archive
    stays gone; one whose tag, message and span were tagged again since keeps that tagging, its note filled in
    from the old one when it has none. Returns how many came back."""
    restored = 0
    with archive.transaction() as conn:
        for t in taggings:
            tag_id = create_tag(archive, t.tag).id
            taken = archive._scalar("SELECT count(*) FROM taggings WHERE id = ?", (t.id,))
            restored += conn.execute(
                """INSERT INTO taggings (id, tag_id, message_id, start, "end", quoted_text, note, created_by,
                       created_at, anchor_status, via_thread)
                   SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM messages WHERE id = ?)
                   ON CONFLICT (tag_id, message_id, coalesce(start, -1), coalesce("end", -1))
                   DO UPDATE SET note = coalesce(note, excluded.note)""",
                (
                    None if taken else t.id,
                    tag_id,
                    t.message_id,
                    t.start,
                    t.end,
                    t.quoted_text,
                    t.note,
                    t.created_by,
                    t.created_at,
                    t.anchor_status,
                    t.via_thread,
                    t.message_id,
                ),
            ).rowcount
    return restored


def set_note(archive: Archive, tagging_id: int, note: str | None) -> Tagging:
    """Set (or, with None or blank, clear) a tagging's note; returns the tagging as it is now."""
    with archive.transaction() as conn:
        changed = conn.execute(
            "UPDATE taggings SET note = ? WHERE id = ?", ((note or "").strip() or None, tagging_id)
        ).rowcount
        if not changed:
            raise ArchiveError(f"no tagging with id {tagging_id}")
    return get_tagging(archive, tagging_id)


def get_tagging(archive: Archive, tagging_id: int) -> Tagging:
    found = _taggings(archive, "g.id = ?", (tagging_id,))
    if not found:
        raise ArchiveError(f"no tagging with id {tagging_id}")
    return found[0]


def thread_taggings(archive: Archive, thread_id: str) -> list[Tagging]:
    """Every tagging of a thread's messages, in the order `message_taggings` gives them."""
    return _taggings(archive, "g.message_id IN (SELECT id FROM messages WHERE thread_id = ?)", (thread_id,))


def find_anchor(body: str, quoted: str, near: int) -> tuple[int, int] | None:
    """Where `quoted` stands in `body` now: the exact occurrence nearest `near`, else the best fuzzy match."""
    if not quoted:
        return None
    hits = []
    at = body.find(quoted)
    while at != -1 and len(hits) < 1000:
        hits.append(at)
        at = body.find(quoted, at + 1)
    if hits:
        start = min(hits, key=lambda h: abs(h - near))
        return start, start + len(quoted)
    if len(quoted) < FUZZY_MIN_CHARS or len(body) < 0.8 * len(quoted):
        return None
    match = fuzz.partial_ratio_alignment(quoted, body, score_cutoff=FUZZY_MIN_SCORE)
    if match is None or match.dest_end <= match.dest_start:
        return None
    return match.dest_start, match.dest_end


def reanchor_taggings(archive: Archive) -> ReanchorResult:
    """Check every excerpt tagging against its message body and move or flag the ones that no longer match.

    Run after a forced re-import: the message keeps its id, but its body may have changed (re-OCR, a fixed
    importer), so the saved quote is looked for again. Found: start/end updated and anchor_status 'moved'.
    Not found: anchor_status 'lost', the saved quote kept so the investigator can place it by hand.
    """
    result = ReanchorResult()
    with archive.transaction() as conn:
        rows = archive._query(
            """SELECT g.id, g.start, g."end", g.quoted_text, g.anchor_status, m.body
               FROM taggings g JOIN messages m ON m.id = g.message_id WHERE g.start IS NOT NULL"""
        )
        for row in rows:
            result.checked += 1
            body, quoted = row["body"] or "", row["quoted_text"] or ""
            if body[row["start"] : row["end"]] == quoted:
                if row["anchor_status"] == "lost":
                    conn.execute("UPDATE taggings SET anchor_status = 'ok' WHERE id = ?", (row["id"],))
                    result.restored += 1
                continue
            found = find_anchor(body, quoted, row["start"])
            moved = (
                found is not None
                and conn.execute(
                    """UPDATE OR IGNORE taggings SET start = ?, "end" = ?, anchor_status = 'moved' WHERE id = ?""",
                    (*found, row["id"]),
                ).rowcount
            )
            if moved:
                result.moved += 1
            else:  # not found, or found where the same tag already marks the same span: flag it, keep the note
                conn.execute("UPDATE taggings SET anchor_status = 'lost' WHERE id = ?", (row["id"],))
                result.lost += 1
    return result


def _person(p: dict) -> str:
    name, email = p.get("name"), p.get("email")
    if name and email:
        return f"{name} <{email}>"
    return name or email or "?"


@dataclass(frozen=True)
class _Box:
    message_id: str
    code: str | None
    body_offset: int | None
    leaked: bool


def _copies(archive: Archive, canonical_ids: list[str], cited: set[str]) -> dict[str, list[dict]]:
    """Each email's copies (canonical id -> rows, once per release holding them); quotes in replies left out
    unless cited themselves."""
    copies: dict[str, list[dict]] = {}
    for i in range(0, len(canonical_ids), CHUNK):
        chunk = canonical_ids[i : i + CHUNK]
        marks = ", ".join("?" for _ in chunk)
        for row in archive._query(
            f"""SELECT m.id, coalesce(m.duplicate_of, m.id) AS canon, m.copy_kind, r.name AS release, d.path AS file,
                       m.page_start, m.bates_start AS bates
                FROM messages m JOIN documents d ON d.id = m.document_id
                LEFT JOIN release_documents rd ON rd.document_id = d.id LEFT JOIN releases r ON r.id = rd.release_id
                WHERE m.id IN ({marks}) OR m.duplicate_of IN ({marks})
                ORDER BY r.name IS NULL, r.name, d.path, m.page_start, m.ordinal""",
            (*chunk, *chunk),
        ):
            if row["copy_kind"] != "quoted" or row["id"] in cited:
                copies.setdefault(row["canon"], []).append(row)
    return copies


def _boxes(archive: Archive, message_ids: list[str]) -> dict[str, list[_Box]]:
    found: dict[str, list[_Box]] = {}
    for i in range(0, len(message_ids), CHUNK):
        chunk = message_ids[i : i + CHUNK]
        for row in archive._query(
            f"""SELECT message_id, code, body_offset, coalesce(leaked_text, '') != '' AS leaked FROM redactions
                WHERE message_id IN ({", ".join("?" for _ in chunk)})
                ORDER BY body_offset IS NOT NULL, body_offset, id""",
            tuple(chunk),
        ):
            found.setdefault(row["message_id"], []).append(_Box(**row | {"leaked": bool(row["leaked"])}))
    return found


def _in_passage(box: _Box, start: int | None, end: int | None) -> bool:
    """A box is in a whole message (header boxes too); in an excerpt when its marker starts inside it."""
    if start is None:
        return True
    return box.body_offset is not None and start <= box.body_offset < (end if end is not None else start)


def tagged_passages(archive: Archive, tags: list[str] | None = None) -> list[TaggedPassage]:
    """Every tagging (of `tags`, or all) with its message's citation, in tag order then date order."""
    where, params = "1", ()
    if tags:
        ids = [get_tag(archive, name).id for name in tags]
        where, params = f"g.tag_id IN ({', '.join('?' for _ in ids)})", tuple(ids)
    rows = archive._query(
        f"""SELECT {TAGGING_COLUMNS} FROM taggings g JOIN tags t ON t.id = g.tag_id
            JOIN messages m ON m.id = g.message_id WHERE {where}
            ORDER BY t.name COLLATE NOCASE, m.sent_sort IS NULL, m.sent_sort, m.document_id, m.ordinal,
                g.start IS NOT NULL, g.start, g.id""",
        params,
    )
    taggings = [Tagging(**row) for row in rows]
    message_ids = list(dict.fromkeys(t.message_id for t in taggings))
    messages = {}
    for i in range(0, len(message_ids), CHUNK):
        messages.update((m["id"], m) for m in get_messages(archive, message_ids[i : i + CHUNK]))
    canonical = list(dict.fromkeys(m["duplicate_of"] or m["id"] for m in messages.values()))
    copies = _copies(archive, canonical, set(message_ids))
    boxes = _boxes(archive, message_ids)
    passages = []
    for t in taggings:
        m = messages[t.message_id]
        rows = copies.get(m["duplicate_of"] or m["id"], [])
        others = [c for c in rows if c["id"] != m["id"]]
        body = m["body"] or ""
        if t.start is None:
            text = body
        elif t.anchor_status == "lost":
            text = t.quoted_text or ""
        else:
            text = body[t.start : t.end]
        passages.append(
            TaggedPassage(
                tag=t.tag,
                kind=t.kind,
                message_id=t.message_id,
                thread_id=m["thread_id"],
                sent=m["sent"],
                sender=_person(m["from"]),
                recipients=tuple(_person(p) for p in m["to"] + m["cc"]),
                subject=m["subject"] or "",
                file=m["source"]["file"],
                page_start=m["source"]["page_start"],
                page_end=m["source"]["page_end"],
                bates=m["source"]["bates"],
                start=t.start,
                end=t.end,
                text=text,
                note=t.note,
                anchor_status=t.anchor_status,
                tagged_by=t.created_by,
                tagged_at=t.created_at,
                releases=tuple(c["release"] for c in rows if c["id"] == m["id"] and c["release"]),
                also=tuple(OtherCopy(c["release"], c["file"], c["page_start"], c["bates"]) for c in others),
                boxes=tuple(
                    CitedBox(b.code, b.leaked, offset=b.body_offset)
                    for b in boxes.get(m["id"], [])
                    if _in_passage(b, t.start, t.end)
                ),
            )
        )
    return passages


def last_import_time(archive: Archive) -> str | None:
    """When the archive last changed by import: a stable 'made at' for exports of the same archive."""
    return archive._scalar("SELECT max(finished_at) FROM import_log") or archive._scalar(
        "SELECT max(imported_at) FROM documents"
    )
