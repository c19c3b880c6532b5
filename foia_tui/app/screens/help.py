"""The help screen (`?`): every binding of the screen it was opened from, generated from the bindings, then the
search operators with examples (as `foia search --help` gives them)."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Static

from foia_tui.app.bindings import binding_catalogue
from foia_tui.domain.query import QUERY_LANGUAGE

LEGEND = (
    "Thread list markers: █ redactions · ! leaked text under a box · + attachments · #tag tags.  "
    "In a thread: █ (b)(6) █ is a redaction box with its exemption code; r shows leaked text, and the text "
    "another release shows where this one has a box."
)


class HelpScreen(ModalScreen[None]):
    """A table of keys, what they do and where they work."""

    BINDING_GROUP_TITLE = "Help"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q,?", "close", "Close help")]

    def __init__(self, origin: Screen) -> None:
        super().__init__()
        self.origin = origin

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box"):
            yield Static(Text("Keys", style="bold"), id="help-title")
            yield DataTable(id="help-table", cursor_type="row", zebra_stripes=True)
            yield Static(Text(LEGEND), id="help-legend")
            yield Static(Text(QUERY_LANGUAGE), id="help-operators")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Key", "Action", "Where")
        entries = sorted(binding_catalogue(self.origin), key=lambda e: (e.area != "Everywhere", e.area))
        for entry in entries:
            table.add_row(Text(entry.keys, style="bold"), Text(entry.description), Text(entry.area, style="dim"))
        table.focus()

    def action_close(self) -> None:
        self.dismiss()
