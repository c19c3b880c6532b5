"""Editing an annotation's note (`e` on the Annotations screen): one line, Enter keeps it, Escape leaves it."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from foia_tui.domain.display import one_line


class NoteDialog(ModalScreen[str | None]):
    """Dismisses with the note as typed (stripped; '' to clear it), or None when cancelled."""

    BINDING_GROUP_TITLE = "Edit note"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]
    DEFAULT_CSS = """
    NoteDialog { align: center middle; }
    NoteDialog #note-box {
        width: 80; max-width: 95%; height: auto; border: round $accent; background: $surface; padding: 0 1;
    }
    NoteDialog #note-hint { color: $text-muted; }
    """

    def __init__(self, title: str, note: str | None) -> None:
        super().__init__()
        self.title_text = title
        self.note = note or ""

    def compose(self) -> ComposeResult:
        with Vertical(id="note-box"):
            yield Static(Text(one_line(self.title_text, 200), style="bold"), id="note-title")
            yield Input(value=one_line(self.note, 2_000), placeholder="Note", id="note-text")
            yield Static(Text("Enter: keep the note · Escape: leave it as it was"), id="note-hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)
