"""The investigator's annotations in one list: every excerpt, and every note on a whole message or thread.

Each row is a tagging with what the Annotations screen shows beside it (the email's subject, date, thread and
releases, the excerpt as its body holds it now), read in one query so the screen can filter it in memory.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from foia_tui.archive import Archive
from foia_tui.archive.browse import RELEASES_OF_DOCUMENT
from foia_tui.archive.tags import TAGGING_COLUMNS, Tagging


@dataclass(frozen=True)
class Annotation:
    tagging: Tagging
    thread_id: str | None
    subject: str | None
    sent: str | None
    releases: tuple[str, ...]  # the releases that produced this copy of the email
    text: str  # the excerpt as the body holds it now (the saved quote when its anchor is lost); '' for a message


def list_annotations(archive: Archive) -> list[Annotation]:
    """Every excerpt tagging and every tagging with a note, by tag, then by the email's date, then body order."""
    rows = archive._query(
        f"""SELECT {TAGGING_COLUMNS}, m.thread_id, m.subject, m.sent, {RELEASES_OF_DOCUMENT} AS releases,
                CASE WHEN g.start IS NULL THEN ''
                     WHEN g.anchor_status = 'lost' THEN coalesce(g.quoted_text, '')
                     ELSE substr(m.body, g.start + 1, g."end" - g.start) END AS text
            FROM taggings g JOIN tags t ON t.id = g.tag_id JOIN messages m ON m.id = g.message_id
            WHERE g.start IS NOT NULL OR coalesce(g.note, '') != ''
            ORDER BY t.name COLLATE NOCASE, m.sent_sort IS NULL, m.sent_sort, m.document_id, m.ordinal,
                g.start IS NOT NULL, g.start, g.id"""
    )
    extra = ("thread_id", "subject", "sent", "releases", "text")
    return [
        Annotation(
            Tagging(**{k: v for k, v in row.items() if k not in extra}),
            row["thread_id"],
            row["subject"],
            row["sent"],
            tuple(json.loads(row["releases"])),
            row["text"],
        )
        for row in rows
    ]
