"""The reads behind the redaction log: every stored box with its file, page, Bates, release and email."""

from __future__ import annotations

import json

from foia_tui.archive import Archive
from foia_tui.domain.redaction_log import LoggedBox, withheld_in_full

_SEP = "\x1f"  # between release names in one column

LOG_BOXES = f"""
    SELECT x.id, x.document_id, d.path, x.page, p.bates, p.text AS page_text, x.code, x.field, x.kind,
           x.leaked_text, x.readable_text, x.message_id, m.thread_id, x.body_offset, m.sent, m.subject,
           coalesce(m.sender_name, m.sender_email) AS sender, m.recipients,
           (SELECT group_concat(name, '{_SEP}') FROM (SELECT r.name FROM release_documents rd
                JOIN releases r ON r.id = rd.release_id WHERE rd.document_id = x.document_id ORDER BY r.name))
               AS releases
    FROM redactions x JOIN documents d ON d.id = x.document_id
    LEFT JOIN messages m ON m.id = x.message_id
    LEFT JOIN pages p ON p.document_id = x.document_id AND p.number = x.page
    WHERE d.status = 'imported'"""


def _names(recipients: str | None) -> tuple[str, ...]:
    return tuple(a.get("name") or a.get("email") or a.get("raw") or "" for a in json.loads(recipients or "[]"))


def logged_boxes(archive: Archive, release: str | None = None) -> list[LoggedBox]:
    """Every box (of one release, named exactly, if given) in the order of release, file, page and place."""
    where, params = "", ()
    if release is not None:
        where = """ AND x.document_id IN (SELECT rd.document_id FROM release_documents rd
                       JOIN releases r ON r.id = rd.release_id WHERE r.name = ?)"""
        params = (release,)
    rows = archive._query(
        f"{LOG_BOXES}{where} ORDER BY releases IS NULL, releases, d.path, x.page, x.top, x.x0", params
    )
    return [
        LoggedBox(
            id=r["id"],
            document_id=r["document_id"],
            file=r["path"],
            page=r["page"],
            bates=r["bates"],
            releases=tuple(r["releases"].split(_SEP)) if r["releases"] else (),
            code=r["code"],
            field=r["field"],
            kind=r["kind"],
            leaked_text=r["leaked_text"] or None,
            readable_text=r["readable_text"] or None,
            in_full=withheld_in_full(r["page_text"], r["bates"]),
            message_id=r["message_id"],
            thread_id=r["thread_id"],
            offset=r["body_offset"],
            sent=r["sent"],
            sender=r["sender"],
            recipients=_names(r["recipients"]),
            subject=r["subject"],
        )
        for r in rows
    ]


def messages_with_copies(archive: Archive, message_ids: list[str]) -> set[str]:
    """Which of these emails another stored copy also prints (only those can show what a box hides)."""
    found: set[str] = set()
    for start in range(0, len(message_ids), 500):
        chunk = message_ids[start : start + 500]
        marks = ", ".join("?" for _ in chunk)
        found |= {
            r["id"]
            for r in archive._query(
                f"""SELECT id FROM messages m WHERE id IN ({marks})
                    AND (duplicate_of IS NOT NULL OR EXISTS (SELECT 1 FROM messages c WHERE c.duplicate_of = m.id))""",
                tuple(chunk),
            )
        }
    return found


def redaction_crop(archive: Archive, redaction_id: int) -> bytes | None:
    """The PNG of the pixels under a possibly readable box (contrast stretched, as OCR read them), if stored."""
    rows = archive._query("SELECT crop FROM redactions WHERE id = ?", (redaction_id,))
    return rows[0]["crop"] if rows else None
