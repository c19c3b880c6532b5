"""The redaction log (`foia redactions`, the app's Redactions screen): every box, with what another release
shows in its place when another copy of its email prints the text; and the crop a possibly readable box was
read from."""

from __future__ import annotations

import dataclasses

from foia_tui.archive import Archive
from foia_tui.archive.browse import Exposure
from foia_tui.archive.redactions import logged_boxes, messages_with_copies, redaction_crop
from foia_tui.domain.redaction_log import BoxTally, LoggedBox, cites, tally
from foia_tui.services.releases import message_exposures

__all__ = ["redaction_crop", "redaction_log", "release_boxes"]


def redaction_log(archive: Archive, *, release: str | None = None, code: str | None = None) -> list[LoggedBox]:
    """Every box, or those of one release and citing one code."""
    boxes = logged_boxes(archive, release)
    if code:
        boxes = [box for box in boxes if cites(box, code)]
    copied = messages_with_copies(archive, list(dict.fromkeys(b.message_id for b in boxes if b.message_id)))
    exposures = {
        (message_id, e.exposure.offset): e.exposure
        for message_id in copied
        for e in message_exposures(archive, message_id)
    }
    return [_exposed(box, exposures.get((box.message_id, box.offset))) for box in boxes]


def release_boxes(archive: Archive, release: str) -> BoxTally:
    """One release's boxes counted: per code, and how many leak, may be read or another release shows."""
    return tally(redaction_log(archive, release=release))


def _exposed(box: LoggedBox, exposure: Exposure | None) -> LoggedBox:
    if exposure is None:
        return box
    return dataclasses.replace(box, exposed_text=exposure.text, exposed_in=exposure.readable_in)
