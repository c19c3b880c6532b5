"""Editing an annotation's note (`e` on the Annotations screen): one line, Enter keeps it, Escape leaves it."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Input, Static

from foia_tui.app.screens.line_dialog import LineDialog
from foia_tui.domain.display import one_line


class NoteDialog(LineDialog):
    """Dismisses with the note as typed (stripped; '' to clear it), or None when cancelled."""

    BOX_ID = "note-box"
    BINDING_GROUP_TITLE = "Edit note"
    DEFAULT_CSS = """
    NoteDialog #note-box { width: 80; max-width: 95%; }
    NoteDialog #note-hint { color: $text-muted; }
    """

    def __init__(self, title: str, note: str | None) -> None:
        super().__init__()
        self.title_text = title
        self.note = note or ""

    def lines(self) -> ComposeResult:
        yield Static(Text(one_line(self.title_text, 200), style="bold"), id="note-title")
        yield Input(value=one_line(self.note, 2_000), placeholder="Note", id="note-text")
        yield Static(Text("Enter: keep the note · Escape: leave it as it was"), id="note-hint")

    def submitted(self, text: str) -> None:
        self.dismiss(text.strip())
