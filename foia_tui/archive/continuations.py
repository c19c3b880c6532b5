"""Reads and writes behind joining a production's parts: the PDF files of a release with what each prints
before its first header (its lead) and the email it ends on, and the join of a lead to that email."""

from __future__ import annotations

import json
from dataclasses import dataclass

from foia_tui.archive import Archive
from foia_tui.domain.subjects import normalise_subject


@dataclass(frozen=True)
class Lead:
    """What a file prints before its first email header (see importers.records.LeadRecord)."""

    page_start: int
    page_end: int
    text: str
    recipients: str  # JSON, as messages.recipients
    cc: str
    subject: str | None
    joined_to: str | None  # the email it was found to finish


@dataclass(frozen=True)
class ProductionFile:
    """One PDF of a release: where its last email ends and what it prints before its first."""

    document_id: str
    path: str
    page_count: int
    last_message_id: str | None  # the email printed last (it may run on into the next file)
    last_page_end: int | None
    continued_in: str | None  # the file that email already runs on into
    lead: Lead | None


def production_files(archive: Archive, release_id: int) -> list[ProductionFile]:
    """Every imported PDF of a release (in no particular order)."""
    rows = archive._query(
        """SELECT d.id, d.path, coalesce(d.page_count, 0) AS page_count,
                  m.id AS last_id, m.page_end AS last_end, m.continued_in,
                  l.page_start, l.page_end, l.text, l.recipients, l.cc, l.subject, l.message_id AS joined_to
           FROM release_documents rd JOIN documents d ON d.id = rd.document_id
           LEFT JOIN messages m ON m.id = (SELECT id FROM messages WHERE document_id = d.id
                                           ORDER BY ordinal DESC LIMIT 1)
           LEFT JOIN leads l ON l.document_id = d.id
           WHERE rd.release_id = ? AND d.kind = 'pdf' AND d.status = 'imported'""",
        (release_id,),
    )
    return [
        ProductionFile(
            r["id"],
            r["path"],
            r["page_count"],
            r["last_id"],
            r["last_end"],
            r["continued_in"],
            Lead(r["page_start"], r["page_end"], r["text"], r["recipients"], r["cc"], r["subject"], r["joined_to"])
            if r["page_start"] is not None
            else None,
        )
        for r in rows
    ]


def join_lead(archive: Archive, message_id: str, document_id: str, lead: Lead) -> None:
    """The email `message_id` runs on into `document_id`: the lead's text ends its body, the header lines the
    file boundary cut off fill what the email lacks, its boxes are the email's, and it now ends on the lead's last
    page there."""
    added = [(role, json.loads(value)) for role, value in (("to", lead.recipients), ("cc", lead.cc))]
    with archive.transaction() as conn:
        body, recipients, cc = conn.execute(
            "SELECT body, recipients, cc FROM messages WHERE id = ?", (message_id,)
        ).fetchone()
        had = {"to": recipients != "[]", "cc": cc != "[]"}
        shift = len(body) + 2 if body and lead.text else 0  # where the lead's text starts in the joined body
        body = "\n\n".join(part for part in (body, lead.text) if part)
        conn.execute(
            """UPDATE messages SET body = ?, continued_in = ?, continued_page_end = ?,
                   recipients = CASE WHEN recipients = '[]' THEN ? ELSE recipients END,
                   cc = CASE WHEN cc = '[]' THEN ? ELSE cc END,
                   subject = coalesce(subject, ?),
                   subject_norm = CASE WHEN subject IS NULL THEN ? ELSE subject_norm END
               WHERE id = ?""",
            (body, document_id, lead.page_end, lead.recipients, lead.cc, lead.subject,
             normalise_subject(lead.subject), message_id),
        )  # fmt: skip
        for role, people in added:
            if people and not had[role]:
                conn.executemany(
                    """INSERT OR IGNORE INTO participants (message_id, role, position, name, email, raw)
                       VALUES (?, ?, ?, ?, ?, ?)""",
                    [
                        (message_id, role, k, p["name"], (p["email"] or "").lower() or None, p["raw"])
                        for k, p in enumerate(people)
                    ],
                )
        conn.execute("UPDATE leads SET message_id = ? WHERE document_id = ?", (message_id, document_id))
        # The lead's boxes are now in that email, at their places in its body.
        conn.execute(
            """UPDATE redactions SET message_id = ?, body_offset = body_offset + ?
               WHERE document_id = ? AND page BETWEEN ? AND ? AND message_id IS NULL""",
            (message_id, shift, document_id, lead.page_start, lead.page_end),
        )
