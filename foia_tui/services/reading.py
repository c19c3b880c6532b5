"""What the app and the CLI read to browse the archive: pages of threads, the sidebar, a thread's emails with
the boxes other copies show as text, the scanned page behind an email, and `foia list`, `foia threads` and `foia show`.

All but a thread's emails are one archive read each, and pass straight through.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from foia_tui.archive import Archive, browse
from foia_tui.archive.browse import (
    Exposure,
    MessageDetail,
    PageSource,
    document_page,
    newest_first,
    page_source,
    sidebar,
    thread_page,
    threads_by_ids,
    totals,
)
from foia_tui.archive.messages import list_messages, stats
from foia_tui.archive.threads import find_thread, get_thread, list_threads
from foia_tui.domain.display import name_shown
from foia_tui.domain.redactions import MARKER_START
from foia_tui.services.releases import message_exposures
from importers.raw_mail import RawMail, read_raw_mail
from importers.records import UnreadableFile

__all__ = [
    "document_page",
    "find_thread",
    "get_thread",
    "list_messages",
    "list_threads",
    "newest_first",
    "original_mail",
    "page_source",
    "sidebar",
    "stats",
    "thread_messages",
    "thread_page",
    "threads_by_ids",
    "totals",
]


def _exposures(archive: Archive, message_id: str) -> list[Exposure]:
    return [e.exposure for e in message_exposures(archive, message_id)]


def thread_messages(archive: Archive, thread_id: str) -> list[MessageDetail]:
    """A thread's distinct emails in reading order (see archive.browse.thread_messages); a copy's boxes that
    another copy shows as text come as `exposures`, looked for only in emails stored more than once."""
    messages = browse.thread_messages(archive, thread_id)
    for message in messages:
        if message.copies:
            message.exposures = _exposures(archive, message.id) if MARKER_START in message.body else []
            message.copies = [
                replace(copy, exposures=tuple(_exposures(archive, copy.id))) if copy.boxed else copy
                for copy in message.copies
            ]
    return messages


NATIVE_KINDS = ("eml", "maildir", "mbox", "msg")


@dataclass(frozen=True)
class OriginalMail:
    """A native email's raw headers and MIME parts, or why they cannot be shown."""

    source: PageSource
    mail: RawMail | None
    problem: str | None = None


def original_mail(source: PageSource) -> OriginalMail:
    """The raw headers and MIME part tree of a native email, read from its file: the archive keeps the fields it
    parsed, not the header lines or the parts as sent, so a file moved or deleted since the import is said so."""
    path = Path(source.path)
    shown = name_shown(source.file or source.path)
    if not path.is_file():
        return OriginalMail(
            source,
            None,
            f"The file is gone: {shown} (moved or deleted), so its raw headers and "
            "MIME parts cannot be shown; the archive keeps only the fields read from it.",
        )
    try:
        return OriginalMail(source, read_raw_mail(path, source.kind or "eml", source.ordinal))
    except UnreadableFile as error:
        return OriginalMail(source, None, f"Could not read {shown}: {error}")
