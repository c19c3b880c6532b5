"""Selection mode (`v`): choose a span of a message body from the keyboard, then `t` tags it as an excerpt.

`BodySelection` is the span logic over the stored body (the offsets taggings use): move to the next or previous
word, line or paragraph, or extend and shrink the span's end by one. `SelectionBar` is the mode itself: a one-line
bar that holds the keys while it has focus, shows what is selected, and draws the span through the reading
view's `select_span` (any widget with `select_span(start, end)` and `clear_selection()`).
"""

from __future__ import annotations

import bisect
import re
from typing import ClassVar, Protocol

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widget import Widget

from foia_tui.domain.display import one_line

# What separates one unit from the next; a unit is the text between separators, trimmed of white space.
SEPARATORS = {
    "word": re.compile(r"\s+"),
    "line": re.compile(r"\n"),
    "paragraph": re.compile(r"\n[ \t\r\f\v]*\n\s*"),
}


class BodySelection:
    """A span [start, end) of a body, moved and stretched by words, lines and paragraphs."""

    def __init__(self, body: str, start: int = 0, end: int | None = None) -> None:
        """Select the word at `start` or after it; with `end`, exactly [start, end) (a search match)."""
        self.body = body
        self._spans: dict[str, tuple[list[int], list[int]]] = {}
        starts, ends = self._units("word")
        first = bisect.bisect_left(starts, start)
        if first < len(starts):
            self.start, self.end = starts[first], ends[first]
        else:
            self.start = self.end = len(body)
        if end is not None and 0 <= start < end <= len(body):
            self.start, self.end = start, end

    def _units(self, unit: str) -> tuple[list[int], list[int]]:
        """Start and end offsets of every word, line or paragraph (computed once per unit)."""
        if unit not in self._spans:
            starts, ends, position = [], [], 0
            for separator in [*SEPARATORS[unit].finditer(self.body), None]:
                stop = separator.start() if separator else len(self.body)
                segment = self.body[position:stop]
                if segment.strip():
                    starts.append(position + len(segment) - len(segment.lstrip()))
                    ends.append(position + len(segment.rstrip()))
                position = separator.end() if separator else stop
            self._spans[unit] = (starts, ends)
        return self._spans[unit]

    @property
    def span(self) -> tuple[int, int]:
        return self.start, self.end

    @property
    def text(self) -> str:
        return self.body[self.start : self.end]

    def move(self, unit: str, forward: bool) -> None:
        """Select the next (or previous) unit; from a span that is not one unit, the unit where it starts."""
        starts, ends = self._units(unit)
        here = bisect.bisect_left(starts, self.start)
        exact = here < len(starts) and (starts[here], ends[here]) == self.span
        if exact:
            index = here + (1 if forward else -1)
        elif forward:
            index = here
        else:
            index = bisect.bisect_right(starts, self.start) - 1
        if 0 <= index < len(starts):
            self.start, self.end = starts[index], ends[index]

    def extend(self, unit: str, forward: bool) -> None:
        """Stretch the end to the end of the next unit, or pull it back to the end of the previous one."""
        _, ends = self._units(unit)
        if forward:
            index = bisect.bisect_right(ends, self.end)
            if index < len(ends):
                self.end = ends[index]
            return
        index = bisect.bisect_left(ends, self.end) - 1
        if index >= 0 and ends[index] > self.start:
            self.end = ends[index]


class SpanView(Protocol):
    def select_span(self, start: int, end: int) -> None: ...

    def clear_selection(self) -> None: ...


class SelectionBar(Widget, can_focus=True):
    """Selection mode: holds the keys while focused; `t` posts TagRequested, Esc posts Closed."""

    BINDING_GROUP_TITLE = "Selecting text"
    FOOTER_LEADS = True  # a mode: while it has the keys, the footer shows them first
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("w,right", "move('word', 1)", "Next word"),
        Binding("b,left", "move('word', 0)", "Previous word", show=False),
        Binding("j,down", "move('line', 1)", "Next line"),
        Binding("k,up", "move('line', 0)", "Previous line", show=False),
        Binding("right_curly_bracket", "move('paragraph', 1)", "Next paragraph"),
        Binding("left_curly_bracket", "move('paragraph', 0)", "Previous paragraph", show=False),
        Binding("W,shift+right", "extend('word', 1)", "Extend by a word"),
        Binding("B,shift+left", "extend('word', 0)", "Shrink by a word", show=False),
        Binding("J,shift+down", "extend('line', 1)", "Extend by a line"),
        Binding("K,shift+up", "extend('line', 0)", "Shrink by a line", show=False),
        Binding("right_square_bracket", "extend('paragraph', 1)", "Extend by a paragraph", show=False),
        Binding("left_square_bracket", "extend('paragraph', 0)", "Shrink by a paragraph", show=False),
        Binding("t", "tag", "Tag selection"),
        Binding("escape,v,q", "close", "End selection"),
    ]
    DEFAULT_CSS = """
    SelectionBar {
        height: 1;
        background: $primary;
        color: $text;
        padding: 0 1;
    }
    """

    class TagRequested(Message):
        """Tag body[start:end] of message `message_id`."""

        def __init__(self, message_id: str, start: int, end: int) -> None:
            super().__init__()
            self.message_id = message_id
            self.start = start
            self.end = end

    class Closed(Message):
        """Selection mode ended."""

    def __init__(
        self, view: SpanView, message_id: str, body: str, span: tuple[int, int] | None = None, *, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self.view = view
        self.message_id = message_id
        self.selection = BodySelection(body, *(span or (0, None)))

    def on_mount(self) -> None:
        self._show()

    def render(self) -> Text:
        start, end = self.selection.span
        text = Text(f"SELECT {end - start} chars ", style="bold")
        text.append(f"“{one_line(self.selection.text, 60)}”")
        text.append("  w/b word · j/k line · {/} paragraph · W/J/] extend · t tag · Esc done", style="italic")
        return text

    def _show(self) -> None:
        self.view.select_span(*self.selection.span)
        self.refresh()

    def action_move(self, unit: str, forward: int) -> None:
        self.selection.move(unit, bool(forward))
        self._show()

    def action_extend(self, unit: str, forward: int) -> None:
        self.selection.extend(unit, bool(forward))
        self._show()

    def action_tag(self) -> None:
        start, end = self.selection.span
        if end > start:
            self.post_message(self.TagRequested(self.message_id, start, end))

    def action_close(self) -> None:
        self.view.clear_selection()
        self.post_message(self.Closed())
