"""The thread list: a virtual list (Line API) that draws only visible rows and fetches them a page at a time.

Like Toolong's log view, it never holds one widget per row: `render_line` draws a row from a page cache and,
when the page is missing, asks a worker thread to fetch it through the `ThreadSource` the screen supplies
(LIMIT/OFFSET over SQLite), so 100,000 threads scroll as smoothly as ten.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import ClassVar

from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from foia_tui.app import loading
from foia_tui.app.formatting import day, day_span
from foia_tui.archive.types import ThreadSummary
from foia_tui.domain.display import one_line

PAGE_SIZE = 100
CACHED_PAGES = 64


@dataclass(frozen=True)
class ThreadSource:
    """Where the rows come from. `fetch(offset, limit)` runs in a worker thread."""

    count: int
    fetch: Callable[[int, int], list[ThreadSummary]]
    empty_message: str = "No threads."


class ThreadList(ScrollView, can_focus=True, inherit_bindings=False):
    """Threads one per line: date span, participants, subject, message count and markers."""

    BINDING_GROUP_TITLE = "Thread list"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Open thread"),
        Binding("j,down", "cursor_down", "Next thread in list", show=False),
        Binding("k,up", "cursor_up", "Previous thread in list", show=False),
        Binding("pagedown,space", "page_down", "Page down", show=False),
        Binding("pageup,b", "page_up", "Page up", show=False),
        Binding("home", "first", "First thread", show=False),
        Binding("end,G", "last", "Last thread", show=False),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "thread-list--cursor",
        "thread-list--date",
        "thread-list--people",
        "thread-list--count",
        "thread-list--redaction",
        "thread-list--leak",
        "thread-list--attachment",
        "thread-list--tag",
        "thread-list--loading",
        "thread-list--empty",
    }

    DEFAULT_CSS = """
    ThreadList {
        overflow-x: hidden;
        overflow-y: auto;
        & > .thread-list--cursor { background: $surface-lighten-2; }
        &:focus > .thread-list--cursor { background: $accent 40%; text-style: bold; }
        & > .thread-list--date { color: $text-muted; }
        & > .thread-list--people { color: $secondary; }
        & > .thread-list--count { color: $text-muted; }
        & > .thread-list--redaction { color: $foreground; text-style: bold; }
        & > .thread-list--leak { color: $warning; text-style: bold; }
        & > .thread-list--attachment { color: $success; }
        & > .thread-list--tag { color: $accent; }
        & > .thread-list--loading { color: $text-disabled; }
        & > .thread-list--empty { color: $text-muted; text-style: italic; }
    }
    """

    cursor: reactive[int] = reactive(0, repaint=False)

    class Opened(Message):
        """A thread was chosen (Enter or click)."""

        def __init__(self, thread: ThreadSummary) -> None:
            super().__init__()
            self.thread = thread

    class LoadFailed(Message):
        """A page could not be read (archive locked, gone, damaged)."""

        def __init__(self, reason: str) -> None:
            super().__init__()
            self.reason = reason

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.source = ThreadSource(0, lambda offset, limit: [], "Loading…")
        self._generation = 0
        self._pages: OrderedDict[int, list[ThreadSummary]] = OrderedDict()
        self._pending: set[int] = set()
        self._open_when_loaded = False

    @property
    def count(self) -> int:
        return self.source.count

    @property
    def highlighted(self) -> ThreadSummary | None:
        """The thread under the cursor, when its page is loaded."""
        return self.row(self.cursor)

    def row(self, index: int) -> ThreadSummary | None:
        page = self._pages.get(index // PAGE_SIZE)
        if page is None or not 0 <= index % PAGE_SIZE < len(page):
            return None
        return page[index % PAGE_SIZE]

    def set_source(self, source: ThreadSource, *, keep_cursor: bool = False) -> None:
        """Show rows from a new source (a new query, or a refresh); cached pages are dropped."""
        self._generation += 1
        self.source = source
        self._pages.clear()
        self._pending.clear()
        self.virtual_size = Size(self.scrollable_content_region.width, source.count)
        cursor = min(self.cursor, max(source.count - 1, 0)) if keep_cursor else 0
        self.set_reactive(ThreadList.cursor, cursor)
        if not keep_cursor:
            self.scroll_to(y=0, animate=False, immediate=True)
        self._request_page(cursor // PAGE_SIZE)
        self.refresh()

    # Data

    def _request_page(self, page: int) -> None:
        if page in self._pending or page in self._pages or page * PAGE_SIZE >= self.source.count:
            return
        self._pending.add(page)
        generation = self._generation
        loading.load(
            self,
            f"thread-page-{page}",
            partial(self.source.fetch, page * PAGE_SIZE, PAGE_SIZE),
            partial(self._page_loaded, generation, page),
            partial(self._page_failed, generation, page),
        )

    def _page_failed(self, generation: int, page: int, error: Exception) -> None:
        self.post_message(self.LoadFailed(f"could not read the thread list: {error}"))
        self._page_loaded(generation, page, [])

    def _page_loaded(self, generation: int, page: int, rows: list[ThreadSummary]) -> None:
        if generation != self._generation:
            return
        self._pending.discard(page)
        self._pages[page] = rows
        while len(self._pages) > CACHED_PAGES:
            self._pages.popitem(last=False)
        self.refresh()
        if self._open_when_loaded and self.cursor // PAGE_SIZE == page:
            self._open_when_loaded = False
            self.action_open()

    # Drawing

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self.refresh()

    def on_resize(self) -> None:
        self.virtual_size = Size(self.scrollable_content_region.width, self.source.count)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        index = round(self.scroll_offset.y) + y
        base = self.rich_style
        if self.source.count == 0:
            message = Text(self.source.empty_message, style=self.get_component_rich_style("thread-list--empty"))
            lines = message.wrap(self.app.console, max(width - 2, 10))
            if not 1 <= y <= len(lines):
                return Strip.blank(width, base)
            line = Text(" ") + lines[y - 1]
            return Strip(line.render(self.app.console), line.cell_len).extend_cell_length(width, base)
        if index >= self.source.count:
            return Strip.blank(width, base)
        thread = self.row(index)
        if thread is None:
            self._request_page(index // PAGE_SIZE)
            text = Text(" …", style=self.get_component_rich_style("thread-list--loading"))
        else:
            text = self.row_text(thread, width)
        if index == self.cursor:
            text.stylize(self.get_component_rich_style("thread-list--cursor"))
        text.truncate(width, overflow="ellipsis", pad=True)
        segments = list(text.render(self.app.console))
        return Strip(segments, width).apply_style(base)

    def row_text(self, thread: ThreadSummary, width: int) -> Text:
        """One row: markers, date span, participants, subject (+ tags), message count."""
        style = self.get_component_rich_style
        text = Text(" ")
        text.append("█" if thread.has_redaction else " ", style("thread-list--redaction"))
        text.append("!" if thread.has_leak else " ", style("thread-list--leak"))
        text.append("+" if thread.has_attachment else " ", style("thread-list--attachment"))
        text.append(" ")
        dates = day_span(thread.first_day, thread.last_day) if width >= 70 else day(thread.last_day) or "undated"
        text.append(f"{dates:<21} " if width >= 70 else f"{dates:<10} ", style("thread-list--date"))
        if width >= 60:
            people_width = max(12, min(24, width // 5))
            names = one_line(thread.participants, people_width)
            text.append(f"{names:<{people_width}} ", style("thread-list--people"))
        count = f"{thread.message_count:>3} "
        subject = one_line(thread.subject or "(no subject)")
        tags = "".join(f" #{one_line(tag, 24)}" for tag in thread.tags)
        room = max(width - text.cell_len - len(count), 1)
        body = Text(subject)
        body.append(tags, style("thread-list--tag"))
        body.truncate(room, overflow="ellipsis", pad=True)
        text.append_text(body)
        text.append(count, style("thread-list--count"))
        return text

    def watch_cursor(self, old: int, new: int) -> None:
        self.refresh_line(old)
        self.refresh_line(new)
        self.scroll_to_region(Region(0, new, 1, 1), animate=False, immediate=True)

    def validate_cursor(self, value: int) -> int:
        return max(0, min(value, self.source.count - 1))

    # Actions

    def action_cursor_down(self) -> None:
        self.cursor += 1

    def action_cursor_up(self) -> None:
        self.cursor -= 1

    def action_page_down(self) -> None:
        self.cursor += max(self.scrollable_content_region.height - 1, 1)

    def action_page_up(self) -> None:
        self.cursor -= max(self.scrollable_content_region.height - 1, 1)

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        self.cursor = self.source.count - 1

    def action_open(self) -> None:
        thread = self.highlighted
        if thread is None:
            self._open_when_loaded = self.source.count > 0
            self._request_page(self.cursor // PAGE_SIZE)
            return
        self.post_message(self.Opened(thread))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        index = round(self.scroll_offset.y) + offset.y
        if 0 <= index < self.source.count:
            self.focus()
            self.cursor = index
            self.action_open()
