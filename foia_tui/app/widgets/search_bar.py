"""The search bar (`/`): results as you type, debounced, with errors shown inline on one line."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Input, Label, Static

from foia_tui.domain.display import one_line

DEBOUNCE_S = 0.25
PLACEHOLDER = 'words, "a phrase", from: to: subject: tag: date:2019-01..2019-03 has:leak, AND OR NOT'


class SearchBar(Horizontal):
    """An input that posts `QueryChanged` a moment after typing stops, and `Submitted` on Enter."""

    BINDING_GROUP_TITLE = "Search bar"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close search"),
        Binding("down", "close", "To results", show=False),
    ]

    DEFAULT_CSS = """
    SearchBar {
        height: 1;
        display: none;
        &.-open { display: block; }
        & > Label { width: 2; color: $accent; text-style: bold; }
        & > Input, & > Input:focus { border: none; height: 1; padding: 0; width: 1fr; background: $surface; }
        & > #search-feedback { width: auto; max-width: 60%; padding: 0 1; color: $text-muted; }
        & > #search-feedback.-error { color: $error; text-style: bold; }
    }
    """

    class QueryChanged(Message):
        def __init__(self, query: str) -> None:
            super().__init__()
            self.query = query

    class Submitted(Message):
        def __init__(self, query: str) -> None:
            super().__init__()
            self.query = query

    class Closed(Message):
        """The reader left the search bar (the query stays)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._timer: Timer | None = None
        self._shown: str | None = None  # a query put here by the app, already being run: not typing

    def compose(self) -> ComposeResult:
        yield Label("/")
        yield Input(placeholder=PLACEHOLDER, id="search-input", select_on_focus=False)
        yield Static("", id="search-feedback")

    @property
    def input(self) -> Input:
        return self.query_one("#search-input", Input)

    @property
    def is_open(self) -> bool:
        return self.has_class("-open")

    def open(self, query: str | None = None) -> None:
        self.add_class("-open")
        if query is not None:
            self.input.value = query
        self.input.focus()
        self.input.cursor_position = len(self.input.value)

    def show_feedback(self, message: str, *, error: bool = False) -> None:
        """One line beside the input: a count, "no hits", or the query's error."""
        feedback = self.query_one("#search-feedback", Static)
        feedback.set_class(error, "-error")
        feedback.update(Text(one_line(message, 200)))

    def show_query(self, query: str) -> None:
        """Show a query the app runs itself (sidebar, timeline): a search still waiting to fire is dropped, so
        an older query typed or shown a moment ago cannot overtake it."""
        self._stop_timer()
        self._shown = query
        self.input.value = query

    def _stop_timer(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._stop_timer()
        if event.value == self._shown:
            self._shown = None
            return
        self._timer = self.set_timer(DEBOUNCE_S, lambda: self.post_message(self.QueryChanged(event.value)))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._stop_timer()
        self.post_message(self.Submitted(event.value))

    def action_close(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
            self.post_message(self.QueryChanged(self.input.value))
        self.remove_class("-open")
        self.post_message(self.Closed())
