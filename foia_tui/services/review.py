"""What needs a person's look after an import: what could not be read, and pages that belong to no email
(cover letters, attachments printed as pages, a blank page, the rest of an email from a missing part)."""

from __future__ import annotations

from dataclasses import dataclass

from foia_tui.archive import Archive
from foia_tui.archive.warnings import OutsidePage, PageWarning, page_warnings, pages_outside_emails


@dataclass(frozen=True)
class NeedsALook:
    warnings: list[PageWarning]
    outside_emails: list[OutsidePage]

    def as_json(self) -> dict:
        return {
            "warnings": [w.as_json() for w in self.warnings],
            "pages_outside_emails": [p.as_json() for p in self.outside_emails],
        }


def needs_a_look(archive: Archive) -> NeedsALook:
    return NeedsALook(page_warnings(archive), pages_outside_emails(archive))
