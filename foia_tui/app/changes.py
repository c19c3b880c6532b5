"""What a screen tells the app after changing the investigator's annotations, so every screen showing them reads
them again: `NotesChanged` after a note was edited, `Deleted` after a tag, an excerpt or a note was deleted (the
app keeps what went, a foia_tui.services.annotations.Deletion, on a stack for `u` until it quits)."""

from __future__ import annotations

from textual.message import Message

from foia_tui.services.annotations import Deletion


class NotesChanged(Message):
    """A note was edited."""


class Deleted(Message):
    """Something was deleted; `deletion` holds it exactly as it was."""

    def __init__(self, deletion: Deletion) -> None:
        super().__init__()
        self.deletion = deletion
