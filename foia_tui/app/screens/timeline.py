"""The timeline screen: messages per day/week/month, the current search overlaid, swimlanes and events.

The screen dismisses with the (first day, last day) of the bucket chosen with Enter, so whoever pushed it can
filter the thread list to that period; Escape dismisses with None. All SQLite work runs in worker threads.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Collection
from datetime import date
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import Footer, Input, Label, Static

from foia_tui.archive import Archive, ArchiveError
from foia_tui.archive.tags import query_message_ids
from foia_tui.archive.timeline import add_event, load_timeline, period_summary
from foia_tui.display import one_line
from foia_tui.query import QueryError
from foia_tui.timeline import (
    HITS_STYLE,
    TimelineData,
    Unit,
    Viewport,
    bucket_end,
    draw_chart,
    parse_day,
    summary_text,
    viewport,
    zoom,
)

BAR_ROWS = 8


class TimelineChart(Widget):
    """The histogram, its date axis, event markers and swimlanes, drawn as one block so they share columns."""

    DEFAULT_CSS = "TimelineChart { height: 1fr; }"

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.data: TimelineData | None = None
        self.cursor = 0
        self.lane_cursor = 0
        self.first_shown = 0

    def show(self, data: TimelineData, cursor: int, lane_cursor: int) -> None:
        self.data, self.cursor, self.lane_cursor = data, cursor, lane_cursor
        self.refresh()

    def view(self) -> Viewport:
        assert self.data is not None
        view = viewport(self.data.size, self.size.width, self.cursor, self.first_shown)
        self.first_shown = view.offset
        return view

    def render(self) -> Text:
        if self.data is None:
            return Text("Loading the timeline…", style="dim")
        if not self.data.size:
            return Text("No dated messages yet: import a release (foia import PATH) to see its timeline.")
        lane_rows = max(self.size.height - BAR_ROWS - 2, 0)
        lines = draw_chart(self.data, self.size.width, BAR_ROWS, self.cursor, self.view(), self.lane_cursor, lane_rows)
        return Text("\n", no_wrap=True).join(lines)


class EventDialog(ModalScreen[tuple[date, str, str | None] | None]):
    """A small form for a dated event: date (prefilled with the cursor's), label and an optional note."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss(None)", "Cancel")]
    DEFAULT_CSS = """
    EventDialog { align: center middle; }
    EventDialog > Vertical { width: 64; height: auto; border: round $accent; padding: 0 1; background: $surface; }
    EventDialog #event-error { color: $error; height: auto; }
    """

    def __init__(self, day: date) -> None:
        super().__init__()
        self.day = day

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("New event (Enter saves, Escape cancels)")
            yield Input(self.day.isoformat(), placeholder="YYYY-MM-DD", id="event-date")
            yield Input(placeholder="Label, e.g. Trial period ends", id="event-label")
            yield Input(placeholder="Note (optional)", id="event-note")
            yield Static("", id="event-error")

    def on_mount(self) -> None:
        self.query_one("#event-label", Input).focus()

    @on(Input.Submitted)
    def save(self) -> None:
        label = self.query_one("#event-label", Input).value.strip()
        note = self.query_one("#event-note", Input).value.strip() or None
        try:
            day = parse_day(self.query_one("#event-date", Input).value)
        except ValueError as error:
            self.query_one("#event-error", Static).update(Text(str(error)))
            return
        if not label:
            self.query_one("#event-error", Static).update("An event needs a label.")
            return
        self.dismiss((day, label, note))


class TimelineScreen(Screen[tuple[date, date] | None]):
    """When things happened and who was talking; Enter picks a period for the thread list."""

    BINDING_GROUP_TITLE = "Timeline"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left,h", "move(-1)", "Earlier"),
        Binding("right,l", "move(1)", "Later"),
        Binding("shift+left,H", "busy(-1)", "Previous busy bucket", show=False),
        Binding("shift+right,L", "busy(1)", "Next busy bucket", show=False),
        Binding("home", "edge(-1)", "First bucket", show=False),
        Binding("end", "edge(1)", "Last bucket", show=False),
        Binding("plus,equals_sign", "zoom(1)", "Zoom in"),
        Binding("minus", "zoom(-1)", "Zoom out"),
        Binding("down,j", "lane(1)", "Next lane", show=False),
        Binding("up,k", "lane(-1)", "Previous lane", show=False),
        Binding("s", "toggle_lanes", "Lanes"),
        Binding("enter", "choose", "Filter to period"),
        Binding("a", "add_event", "Add event"),
        Binding("escape,q", "dismiss(None)", "Back"),
    ]
    DEFAULT_CSS = """
    TimelineScreen #timeline-title { height: 1; background: $panel; padding: 0 1; }
    TimelineScreen #timeline-summary { height: 5; border-top: solid $panel-lighten-2; padding: 0 1; }
    """

    def __init__(
        self,
        archive: Archive,
        *,
        query: str | None = None,
        hits: Collection[str] | None = None,
        unit: Unit = "week",
        day: date | None = None,
    ) -> None:
        """`hits` are the current search's matching message ids (with `query`, its text, for the title)."""
        super().__init__()
        self.archive = archive
        self.query_text = query
        self.hits = hits
        self.unit: Unit = unit
        self.lanes = "person"
        self.day = day  # the date the cursor should stand on once data arrives
        self.data: TimelineData | None = None
        self.cursor = 0
        self.lane_cursor = 0
        self.problem: str | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="timeline-title")
        yield TimelineChart(id="timeline-chart")
        yield Static("", id="timeline-summary")
        yield Footer()

    def on_mount(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="timeline-load")
    def load(self) -> None:
        hits, problem = self.hits, None
        try:
            if hits is None and self.query_text:
                try:
                    hits = query_message_ids(self.archive, self.query_text)
                except QueryError as error:
                    problem = f"search not shown: {error}"
            data = load_timeline(self.archive, self.unit, hits, self.lanes)
        except (ArchiveError, sqlite3.Error) as error:
            self.app.call_from_thread(self._failed, f"cannot read the archive: {error}")
            return
        self.app.call_from_thread(self._loaded, data, hits, problem)

    def _failed(self, problem: str) -> None:
        self.query_one("#timeline-title", Static).update(Text(problem, style="bold red"))

    def _loaded(self, data: TimelineData, hits: Collection[str] | None, problem: str | None) -> None:
        self.data, self.hits, self.problem = data, hits, problem
        if data.size:
            self.cursor = data.index_of(self.day) if self.day else data.size - 1
            self.day = data.start(self.cursor)
        self.lane_cursor = min(self.lane_cursor, max(len(data.lanes) - 1, 0))
        self._redraw()

    def _redraw(self) -> None:
        data = self.data
        if data is None:
            return
        self.query_one(TimelineChart).show(data, self.cursor, self.lane_cursor)
        title = Text.assemble(
            ("Timeline", "bold"),
            f" · by {self.unit} (+/- zoom) · lanes: {'people' if self.lanes == 'person' else 'threads'} (s)",
            f" · {data.totals.total:,} messages",
        )
        if data.hits is not None:
            title.append(
                f" · search {one_line(self.query_text or '', 40)!r}: {data.hits.total:,} hits", style=HITS_STYLE
            )
        if self.problem:
            title.append(f" · {one_line(self.problem, 120)}", style="bold red")
        self.query_one("#timeline-title", Static).update(title)
        if data.size:
            self.summarise(data.start(self.cursor))
        else:
            self.query_one("#timeline-summary", Static).update("")

    @work(thread=True, exclusive=True, group="timeline-summary")
    def summarise(self, start: date) -> None:
        data = self.data
        if data is None:
            return
        lane = data.lanes[self.lane_cursor] if data.lanes else None
        end = bucket_end(start, data.unit)
        summary = period_summary(
            self.archive, start, end, lane=lane.key if lane else None, lanes=self.lanes, hits=self.hits
        )
        everyone = None
        if lane is not None and not summary["messages"]:
            everyone = period_summary(self.archive, start, end, hits=self.hits)
        text = summary_text(data, start, lane, summary, everyone)
        self.app.call_from_thread(self.query_one("#timeline-summary", Static).update, text)

    # -- actions ----------------------------------------------------------------------------------------

    def _go(self, index: int) -> None:
        if self.data is None or not self.data.size:
            return
        self.cursor = min(max(index, 0), self.data.size - 1)
        self.day = self.data.start(self.cursor)
        self._redraw()

    def action_move(self, step: int) -> None:
        self._go(self.cursor + step)

    def action_busy(self, step: int) -> None:
        if self.data is not None:
            self._go(self.data.next_busy(self.cursor, step))

    def action_edge(self, step: int) -> None:
        if self.data is not None:
            self._go(0 if step < 0 else self.data.size - 1)

    def action_zoom(self, step: int) -> None:
        unit = zoom(self.unit, step)
        if unit != self.unit:
            self.unit = unit
            self.load()

    def action_lane(self, step: int) -> None:
        if self.data is not None and self.data.lanes:
            self.lane_cursor = min(max(self.lane_cursor + step, 0), len(self.data.lanes) - 1)
            self._redraw()

    def action_toggle_lanes(self) -> None:
        self.lanes = "thread" if self.lanes == "person" else "person"
        self.lane_cursor = 0
        self.load()

    def action_choose(self) -> None:
        if self.data is not None and self.data.size:
            start = self.data.start(self.cursor)
            self.dismiss((start, bucket_end(start, self.unit)))

    def action_add_event(self) -> None:
        if self.data is None:
            return
        day = self.data.start(self.cursor) if self.data.size else date.today()
        self.app.push_screen(EventDialog(day), self._save_event)

    def _save_event(self, result: tuple[date, str, str | None] | None) -> None:
        if result is not None:
            self.store_event(*result)

    @work(thread=True, group="timeline-write")
    def store_event(self, day: date, label: str, note: str | None) -> None:
        add_event(self.archive, day, label, note)
        self.app.call_from_thread(self.notify, f"Event added on {day.isoformat()}: {one_line(label, 60)}")
        self.app.call_from_thread(self.load)
