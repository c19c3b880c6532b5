"""A box asking for one line (a note, a name): Enter hands the text over, Escape leaves everything as it was."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input


class LineDialog(ModalScreen[str | None]):
    """Subclasses say what the box shows (`lines`, an Input among them) and what Enter does with the text typed
    (`submitted`); Escape dismisses with None."""

    BOX_ID: ClassVar[str]
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]
    DEFAULT_CSS = """
    LineDialog { align: center middle; }
    LineDialog .line-box { height: auto; border: round $accent; background: $surface; padding: 0 1; }
    """

    def compose(self) -> ComposeResult:
        with Vertical(id=self.BOX_ID, classes="line-box"):
            yield from self.lines()

    def lines(self) -> ComposeResult:
        raise NotImplementedError

    def submitted(self, text: str) -> None:
        raise NotImplementedError

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.submitted(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)
