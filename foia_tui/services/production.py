"""A production cut into parts is one stream: an email that runs off the last page of one part goes on in
what the next part prints before its first header (its lead). Parts are read in natural order; a part
missing from the middle is a gap no continuation is invented across, and a warning."""

from __future__ import annotations

import itertools
from pathlib import Path

from foia_tui.archive import Archive
from foia_tui.archive.continuations import ProductionFile, join_lead, production_files
from foia_tui.archive.warnings import PageWarning, add_warning
from foia_tui.domain.production import missing_parts, natural_key


def _runs_on(before: ProductionFile, after: ProductionFile) -> bool:
    """`before` ends mid-email: its last email reaches its last page, and `after` opens with a lead."""
    return (
        after.lead is not None
        and before.last_message_id is not None
        and before.last_page_end == before.page_count
        and before.continued_in in (None, after.document_id)
    )


def join_production(archive: Archive, release_id: int) -> dict[str, PageWarning]:
    """Join every lead of a release's parts to the email the part before it ends on; a lead that follows a
    missing part (its email began in a file the release does not hold) is a warning on its file, stored and
    returned by the file's document id."""
    files = sorted(production_files(archive, release_id), key=lambda f: natural_key(Path(f.path).name))
    missing = missing_parts([Path(f.path).stem for f in files])
    warnings: dict[str, PageWarning] = {}
    for before, after in itertools.pairwise(files):
        gap = missing.get(Path(after.path).stem)
        if gap and after.lead is not None and after.lead.joined_to is None:
            parts = ", ".join(str(n) for n in gap)
            reason = (
                f"pages {after.lead.page_start}-{after.lead.page_end} go on from an email in part {parts}, "
                "which is not in this release: they belong to no email here"
            )
            add_warning(archive, after.document_id, after.lead.page_start, reason)
            warnings[after.document_id] = PageWarning(after.path, after.lead.page_start, reason)
        elif _runs_on(before, after) and after.lead is not None and after.lead.joined_to is None:
            join_lead(archive, before.last_message_id, after.document_id, after.lead)  # type: ignore[arg-type]
    return warnings
