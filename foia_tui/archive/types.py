"""The archive's public types: the rows its reads return and the errors it raises.

The CLI and the app import these and nothing else of foia_tui.archive beyond `Archive` and `ArchiveError`;
they reach the reads and writes through foia_tui.services (tests/test_layers.py holds them to it).
"""

from __future__ import annotations

from foia_tui.archive import ArchiveError
from foia_tui.archive.annotations import Annotation
from foia_tui.archive.browse import (
    Attachment,
    CitedExposure,
    Copy,
    Exposure,
    MessageDetail,
    PageSource,
    PageText,
    Redaction,
    SidebarData,
    SidebarEntry,
    ThreadSummary,
    Totals,
)
from foia_tui.archive.people import Person
from foia_tui.archive.releases import Release, ReleaseSummary, ReleaseUsageError
from foia_tui.archive.search import SearchResult, ThreadMatches
from foia_tui.archive.tags import Tag, TaggedPassage, Tagging
from foia_tui.domain.releases import CitedSource, Comparison, ExposedPassage

__all__ = [
    "Annotation",
    "ArchiveError",
    "Attachment",
    "CitedExposure",
    "CitedSource",
    "Comparison",
    "Copy",
    "ExposedPassage",
    "Exposure",
    "MessageDetail",
    "PageSource",
    "PageText",
    "Person",
    "Redaction",
    "Release",
    "ReleaseSummary",
    "ReleaseUsageError",
    "SearchResult",
    "SidebarData",
    "SidebarEntry",
    "Tag",
    "TaggedPassage",
    "Tagging",
    "ThreadMatches",
    "ThreadSummary",
    "Totals",
]
