"""What the app and the CLI read to browse the archive: pages of threads, the sidebar, a thread's emails with
the boxes other copies show as text, the scanned page behind an email, and `foia list`, `foia threads` and `foia show`.

All but a thread's emails are one archive read each, and pass straight through.
"""

from __future__ import annotations

from dataclasses import replace

from foia_tui.archive import Archive, browse
from foia_tui.archive.browse import (
    Exposure,
    MessageDetail,
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
from foia_tui.domain.redactions import MARKER_START
from foia_tui.services.releases import message_exposures

__all__ = [
    "document_page",
    "find_thread",
    "get_thread",
    "list_messages",
    "list_threads",
    "newest_first",
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
