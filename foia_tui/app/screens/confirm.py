"""Asking before a deletion: a question, Enter or `y` goes ahead, Escape or `n` keeps everything as it is."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from foia_tui.domain.display import one_line


class ConfirmDialog(ModalScreen[bool]):
    """Dismisses with True when confirmed. The question may quote a tag or a note, so it is drawn literally."""

    BINDING_GROUP_TITLE = "Confirm"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,y", "answer(True)", "Yes, delete"),
        Binding("escape,n", "answer(False)", "No, keep it"),
    ]
    DEFAULT_CSS = """
    ConfirmDialog { align: center middle; }
    ConfirmDialog #confirm-box {
        width: 70; max-width: 95%; height: auto; border: round $error; background: $surface; padding: 0 1;
    }
    ConfirmDialog #confirm-hint { color: $text-muted; }
    """

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box"):
            yield Static(Text(one_line(self.question, 300)), id="confirm-question")
            yield Static(Text("Enter or y: delete (u undoes it) · Escape or n: keep it"), id="confirm-hint")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
