"""The timeline screen: messages per day/week/month, the current search overlaid, swimlanes and events.

The screen dismisses with the (first day, last day) of the bucket chosen with Enter, so whoever pushed it can
filter the thread list to that period; Escape dismisses with None. All SQLite work runs in worker threads.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace
from datetime import date
from functools import partial
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Input, Label, Static
from textual.worker import get_current_worker

from foia_tui.app import loading
from foia_tui.app.widgets.timeline_chart import HITS_STYLE, TimelineChart, summary_text
from foia_tui.archive import Archive
from foia_tui.domain.display import one_line
from foia_tui.domain.query import QueryError
from foia_tui.domain.timeline import (
    UNITS,
    Event,
    Lane,
    Series,
    TimelineData,
    Unit,
    bucket_end,
    parse_day,
    zoom,
)
from foia_tui.services.searching import matching_message_ids
from foia_tui.services.timeline import (
    add_event,
    day_counts,
    lanes_for,
    list_events,
    load_timeline,
    period_summary,
)


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


@dataclass
class TimelinePlace:
    """Where the reader was on the timeline: the zoom, the kind of lanes, the cursor's day and lane. The app keeps
    one and hands it to each timeline it opens, so leaving and coming back finds the same place."""

    unit: Unit = "week"
    lanes: str = "person"
    day: date | None = None
    lane_cursor: int = 0


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
        place: TimelinePlace | None = None,
    ) -> None:
        """`hits` are the current search's matching message ids (with `query`, its text, for the title); `place`,
        when given, is where to start (instead of `unit` and `day`) and is kept up to date as the reader moves."""
        super().__init__()
        self.archive = archive
        self.query_text = query
        self.hits = hits
        self.place = place or TimelinePlace(unit, day=day)
        self.unit: Unit = self.place.unit
        self.lanes = self.place.lanes
        self.day = self.place.day  # the date the cursor stands on, kept across zooms
        self.days: TimelineData | None = None  # counts per day; every zoom level is rolled up from them
        self.lane_sets: dict[str, dict[Unit, list[Lane]]] = {}  # lanes by kind and zoom, loaded after the histogram
        self.lanes_loading: set[str] = set()
        self.views: dict[tuple[str, str], TimelineData] = {}
        self.cursor = 0
        self.lane_cursor = self.place.lane_cursor
        self.problem: str | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="timeline-title")
        yield TimelineChart(id="timeline-chart")
        yield Static("", id="timeline-summary")
        yield Footer()

    def on_mount(self) -> None:
        self.load_days()

    @property
    def data(self) -> TimelineData | None:
        """What is on screen: the day counts at the current zoom, with the current kind of lanes."""
        if self.days is None:
            return None
        key = (self.unit, self.lanes)
        if key not in self.views:
            self.views[key] = self.days.zoomed(self.unit, self.lane_sets.get(self.lanes, {}).get(self.unit, []))
        return self.views[key]

    # -- loading (workers, through foia_tui.app.loading) ---------------------------------------------------

    def load_days(self) -> None:
        """Counts per day first (the histogram), then the search's hits over them (a broad search takes longer)."""
        loading.load(self, "timeline-days", partial(load_timeline, self.archive), self._days_loaded, self._unreadable)

    def _read_hits(self) -> tuple[Collection[str] | None, Series | None, str | None]:
        hits, problem = self.hits, None
        if hits is None:
            try:
                hits = matching_message_ids(self.archive, self.query_text)
            except QueryError as error:
                problem = f"search not shown: {error}"
        return hits, day_counts(self.archive, hits) if hits is not None else None, problem

    def load_lanes(self, kind: str, units: tuple[Unit, ...] | None = None) -> None:
        """The lanes at the current zoom first, then the other zoom levels, so a zoom later finds them ready."""
        units = units or (self.unit, *(u for u in UNITS if u != self.unit))
        loading.load(
            self,
            f"timeline-lanes-{kind}",
            partial(lanes_for, self.archive, kind, units[0]),
            partial(self._lanes_loaded, kind, units),
            partial(self._lanes_failed, kind),
        )

    def want_lanes(self) -> None:
        """Start counting the current kind of lanes unless they are here or on their way."""
        kind = self.lanes
        if kind not in self.lanes_loading and len(self.lane_sets.get(kind, {})) < len(UNITS):
            self.lanes_loading.add(kind)
            self.call_after_refresh(self.load_lanes, kind)  # after the histogram is on screen

    def _failed(self, problem: str) -> None:
        """A locked, read-only or damaged archive: said on the title line and in a notice, never a traceback."""
        self.query_one("#timeline-title", Static).update(Text(one_line(problem, 200), style="bold red"))
        self.notify(one_line(problem, 200), title="Archive problem", severity="error", timeout=8)

    def _unreadable(self, error: Exception) -> None:
        self._failed(f"cannot read the archive: {error}")

    def _days_loaded(self, days: TimelineData) -> None:
        self.days = days
        self.views.clear()
        self._redraw()
        self.want_lanes()
        if self.hits is not None or self.query_text:
            loading.load(self, "timeline-hits", self._read_hits, self._hits_loaded, self._unreadable)

    def _hits_loaded(self, found: tuple[Collection[str] | None, Series | None, str | None]) -> None:
        hits, overlay, problem = found
        self.hits, self.problem = hits, problem
        if self.days is not None:
            self.days = replace(self.days, hits=overlay)
            self.views.clear()
        self._redraw()

    def _lanes_loaded(self, kind: str, units: tuple[Unit, ...], lanes: list[Lane]) -> None:
        unit = units[0]
        self.lane_sets.setdefault(kind, {})[unit] = lanes
        self.views.pop((unit, kind), None)
        if (unit, kind) == (self.unit, self.lanes):
            self._redraw()
        if units[1:]:
            self.load_lanes(kind, units[1:])
        else:
            self.lanes_loading.discard(kind)

    def _lanes_failed(self, kind: str, error: Exception) -> None:
        self._unreadable(error)
        self.lanes_loading.discard(kind)

    def _redraw(self) -> None:
        data = self.data
        if data is None:
            return
        if data.size:
            self.cursor = data.index_of(self.day) if self.day else data.size - 1
            self.day = data.start(self.cursor)
        lanes_here = self.unit in self.lane_sets.get(self.lanes, {})
        if lanes_here:  # until they are, the lane the reader was on last time is kept
            self.lane_cursor = min(self.lane_cursor, max(len(data.lanes) - 1, 0))
        self.place.unit, self.place.lanes, self.place.day = self.unit, self.lanes, self.day
        self.place.lane_cursor = self.lane_cursor
        loading = "" if lanes_here else "Loading swimlanes…"
        self.query_one(TimelineChart).show(data, self.cursor, self.lane_cursor, loading)
        title = Text.assemble(
            ("Timeline", "bold"),
            f" · by {self.unit} (+/- zoom) · lanes: {'people' if self.lanes == 'person' else 'threads'} (s)",
            f" · {data.totals.total:,} messages",
        )
        searched = one_line(self.query_text or "", 40)
        if data.hits is not None:
            title.append(f" · search {searched!r}: {data.hits.total:,} hits", style=HITS_STYLE)
        elif self.query_text and not self.problem:
            title.append(f" · search {searched!r}: counting…", style=HITS_STYLE)
        if self.problem:
            title.append(f" · {one_line(self.problem, 120)}", style="bold red")
        self.query_one("#timeline-title", Static).update(title)
        if data.size:
            lane = data.lanes[self.lane_cursor] if self.lane_cursor < len(data.lanes) else None
            self.call_after_refresh(self.summarise, data, data.start(self.cursor), lane, self.lanes)
        else:
            self.query_one("#timeline-summary", Static).update("")

    def summarise(self, data: TimelineData, start: date, lane: Lane | None, kind: str) -> None:
        end = bucket_end(start, data.unit)
        key = lane.key if lane else None
        hits = self.hits

        def read() -> Text | None:
            if get_current_worker().is_cancelled:  # the cursor moved on while this waited: its result is dropped
                return None
            summary = period_summary(self.archive, start, end, lane=key, lanes=kind, hits=hits)
            everyone = None
            if lane is not None and not summary["messages"]:
                everyone = period_summary(self.archive, start, end, hits=hits)
            return summary_text(data, start, lane, summary, everyone)

        summary = self.query_one("#timeline-summary", Static)
        loading.load(self, "timeline-summary", read, summary.update, self._unreadable)

    # -- actions ----------------------------------------------------------------------------------------

    def _go(self, index: int) -> None:
        data = self.data
        if data is None or not data.size:
            return
        self.day = data.start(min(max(index, 0), data.size - 1))
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
        self.unit = zoom(self.unit, step)
        self._redraw()

    def action_lane(self, step: int) -> None:
        data = self.data
        if data is not None and data.lanes:
            self.lane_cursor = min(max(self.lane_cursor + step, 0), len(data.lanes) - 1)
            self._redraw()

    def action_toggle_lanes(self) -> None:
        self.lanes = "thread" if self.lanes == "person" else "person"
        self.lane_cursor = 0
        self._redraw()
        if self.days is not None:
            self.want_lanes()

    def action_choose(self) -> None:
        data = self.data
        if data is not None and data.size:
            start = data.start(self.cursor)
            self.dismiss((start, bucket_end(start, self.unit)))

    def action_add_event(self) -> None:
        data = self.data
        if data is None:
            return
        day = data.start(self.cursor) if data.size else date.today()
        self.app.push_screen(EventDialog(day), self._save_event)

    def _save_event(self, result: tuple[date, str, str | None] | None) -> None:
        if result is not None:
            self.store_event(*result)

    def store_event(self, day: date, label: str, note: str | None) -> None:
        def write() -> list[Event]:
            add_event(self.archive, day, label, note)
            return list_events(self.archive)

        loading.load(
            self,
            "timeline-write",
            write,
            lambda events: self._events_changed(events, f"Event added on {day.isoformat()}: {label}"),
            lambda error: self._failed(f"event not saved: {error}"),
        )

    def _events_changed(self, events: list[Event], message: str) -> None:
        if self.days is not None:
            self.days = replace(self.days, events=events)
            self.views.clear()
            self._redraw()
        self.notify(one_line(message, 80))
