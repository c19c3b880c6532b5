"""The timeline chart: a block-character histogram, its date axis, event markers and swimlanes, and the words
under it for the cursor's bucket, with the colours they are drawn in."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from rich.text import Text
from textual.widget import Widget

from foia_tui.domain.display import one_line
from foia_tui.domain.timeline import Event, Lane, TimelineData, Unit, bucket_end, bucket_label, bucket_start, plural

BLOCKS = " ▁▂▃▄▅▆▇█"
SHADES = "░▒▓█"
TOTAL_STYLE = "#5f87af"
HITS_STYLE = "#ffaf00"
CURSOR_STYLE = "on #3a3a3a"
EVENT_STYLE = "bold #d75f87"
LABEL_WIDTH = 20
SUMMARY_ITEMS = 5
BAR_ROWS = 8


@dataclass(frozen=True)
class Viewport:
    """Which buckets are on screen and how many columns each gets."""

    offset: int  # index of the leftmost bucket shown
    columns: int  # terminal columns per bucket
    visible: int  # buckets shown


def viewport(size: int, width: int, cursor: int, offset: int) -> Viewport:
    """Scroll only as far as needed to keep the cursor in view; wide buckets when there are few of them."""
    plot = max(width - LABEL_WIDTH, 1)
    columns = min(max(plot // max(size, 1), 1), 6)
    visible = max(plot // columns, 1)
    if cursor < offset:
        offset = cursor
    elif cursor >= offset + visible:
        offset = cursor - visible + 1
    offset = min(max(offset, 0), max(size - visible, 0))
    return Viewport(offset, columns, visible)


def _bar_cell(total: int, hits: int, row: int, scale: float) -> tuple[str, str]:
    """Character and style of one cell of a stacked bar, `row` counted from the bottom."""
    eighths_total = round(total * scale)
    eighths_hits = round(hits * scale)
    if total and not eighths_total:
        eighths_total = 1  # a single message must still show
    if hits and not eighths_hits:
        eighths_hits = 1
    low = row * 8
    level_total = min(max(eighths_total - low, 0), 8)
    level_hits = min(max(eighths_hits - low, 0), 8)
    if level_hits == 8:
        return "█", HITS_STYLE
    if level_hits:
        # the hits bar tops out here; what is above it in this cell belongs to the total bar
        return BLOCKS[level_hits], f"{HITS_STYLE} on {TOTAL_STYLE}" if level_total == 8 else HITS_STYLE
    return BLOCKS[level_total], TOTAL_STYLE


def _gutter(text: str, style: str = "dim") -> Text:
    """The label column, exactly LABEL_WIDTH cells wide (wide CJK characters count twice)."""
    gutter = Text(text, style=style, no_wrap=True, end="")
    gutter.truncate(LABEL_WIDTH - 1, overflow="ellipsis", pad=True)
    gutter.append(" ")
    return gutter


def _event_columns(data: TimelineData, view: Viewport) -> dict[int, list[Event]]:
    marks: dict[int, list[Event]] = {}
    for event in sorted(data.events, key=lambda e: (e.date, e.id)):
        index = data.index_of(event.date) - view.offset
        if 0 <= index < view.visible:
            marks.setdefault(index, []).append(event)
    return marks


def _whole(label: str, column: int, limit: int, free: int, marks: str = "▼▼") -> tuple[str, int] | None:
    """`label` whole beside its marker at `column`: right of it up to `limit`, else left of it from `free` on."""
    if column >= free and column + 1 + len(label) <= limit:
        return marks[0] + label, column
    if column - len(label) >= free:
        return label + marks[1], column - len(label)
    return None


def _event_rows(marks: dict[int, list[Event]], view: Viewport, plot: int, width: int) -> list[Text]:
    """Labels for event markers, each whole where there is room (up to `width`, past the `plot`'s last bucket):
    beside its marker, else on a second line under it; only when neither has room is a label cut short (at the
    next marker). The lines are as wide as the plot unless a label needs more."""
    rows = [[" "] * width, [" "] * width]
    free = [0, 0]  # per line, the first column not taken by an earlier label

    def put(row: int, text: str, column: int) -> None:
        rows[row][column : column + len(text)] = text
        free[row] = column + len(text) + 1

    columns = sorted(marks)
    for n, index in enumerate(columns):
        events = marks[index]
        label = one_line(events[0].label, width) + (f" +{len(events) - 1}" if len(events) > 1 else "")
        column = index * view.columns
        limit = columns[n + 1] * view.columns - 1 if n + 1 < len(columns) else width
        if placed := _whole(label, column, limit, free[0]):
            put(0, *placed)
        elif below := _whole(label, column, width, free[1], "╰╯"):
            put(0, "▼", column)
            put(1, *below)
        else:
            put(0, ("▼" + label)[: max(limit - column, 1)], column)
    shown = max(plot, *(n - 1 for n in free))
    lines = [_gutter("events" if marks else "")]
    lines[0].append("".join(rows[0][:shown]), style=EVENT_STYLE)
    if free[1]:
        lines.append(_gutter(""))
        lines[1].append("".join(rows[1][:shown]), style=EVENT_STYLE)
    return lines


def draw_chart(
    data: TimelineData, width: int, bar_rows: int, cursor: int, view: Viewport, lane_cursor: int, lane_rows: int
) -> list[Text]:
    """The whole chart as lines: event labels, the stacked histogram, the date axis, then swimlanes."""
    marks = _event_columns(data, view)
    shown = range(view.offset, min(view.offset + view.visible, data.size))
    starts = [data.start(i) for i in shown]
    totals = [data.totals.counts.get(s, 0) for s in starts]
    hits = [data.hits.counts.get(s, 0) for s in starts] if data.hits else [0] * len(starts)
    peak = max(data.totals.counts.values(), default=0)
    scale = bar_rows * 8 / peak if peak else 0.0
    lines = _event_rows(marks, view, len(starts) * view.columns, max(width - LABEL_WIDTH, 1))
    lane_rows -= len(lines) - 1
    for row in range(bar_rows - 1, -1, -1):
        label = f"{peak:>6,} ┤" if row == bar_rows - 1 else ("     0 ┤" if row == 0 else "       │")
        line = _gutter(label)
        for i, (total, hit) in enumerate(zip(totals, hits, strict=True)):
            char, style = _bar_cell(total, hit, row, scale)
            if char == " " and i in marks:
                char, style = "│", EVENT_STYLE
            if view.offset + i == cursor:
                style = f"{style} {CURSOR_STYLE}" if " on " not in style else style + " reverse"
            line.append(char * view.columns, style=style)
        lines.append(line)
    lines.append(_axis(data.unit, starts, view, cursor - view.offset))
    lines.extend(_lanes(data, starts, view, cursor, lane_cursor, lane_rows))
    return lines


def _axis(unit: Unit, starts: Sequence[date], view: Viewport, cursor: int) -> Text:
    """Tick labels where a larger period begins (a year for months, a month for days and weeks)."""
    line = _gutter(unit + "s")
    chars = ["─"] * (len(starts) * view.columns)
    free = 0
    for i, start in enumerate(starts):
        if unit == "month":
            tick = start.month == 1 or i == 0
            text = str(start.year) if start.month == 1 or i == 0 else ""
        else:
            previous = starts[i - 1] if i else None
            tick = i == 0 or previous is None or previous.month != start.month
            text = start.strftime("%b %Y") if i == 0 or start.month == 1 else start.strftime("%b")
        column = i * view.columns
        if tick and column >= free:
            label = "┬" + text
            for j, char in enumerate(label[: len(chars) - column]):
                chars[column + j] = char
            free = column + len(label) + 1
    line.append("".join(chars), style="dim")
    if 0 <= cursor < len(starts):
        line.stylize("reverse", LABEL_WIDTH + cursor * view.columns, LABEL_WIDTH + (cursor + 1) * view.columns)
    return line


def _lane_window(count: int, lane_cursor: int, rows: int) -> range:
    top = min(max(lane_cursor - rows + 1, 0), max(count - rows, 0))
    return range(top, min(top + rows, count))


def _lanes(
    data: TimelineData, starts: Sequence[date], view: Viewport, cursor: int, lane_cursor: int, rows: int
) -> list[Text]:
    lines = []
    for index in _lane_window(len(data.lanes), lane_cursor, rows):
        lane = data.lanes[index]
        selected = index == lane_cursor
        line = _gutter(one_line(lane.label, LABEL_WIDTH - 1), "bold" if selected else "")
        peak = max(lane.counts.values(), default=1)
        for i, start in enumerate(starts):
            n = lane.counts.get(start, 0)
            char = SHADES[min((n * len(SHADES) - 1) // peak, len(SHADES) - 1)] if n else "·"
            style = "#87af87" if n else "#444444"
            if selected:
                style += " on #262626"
            if view.offset + i == cursor:
                style += " reverse"
            line.append(char * view.columns, style=style)
        lines.append(line)
    return lines


def period_caption(start: date, unit: Unit) -> str:
    """'2019-W10 (2019-03-04 – 2019-03-10)', or just the day."""
    end = bucket_end(start, unit)
    label = bucket_label(start, unit)
    return label if start == end else f"{label} ({start.isoformat()} – {end.isoformat()})"


def summary_text(
    data: TimelineData, start: date, lane: Lane | None, summary: dict, everyone: dict | None = None
) -> Text:
    """The cursor's bucket and lane in words: how many, matching the search, events, who, which threads.

    `summary` is the lane's (or the bucket's, without a lane); `everyone` the whole bucket's, shown instead
    when the lane has nothing there.
    """
    unit = data.unit
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(period_caption(start, unit), style="bold")
    text.append(": " + plural(data.totals.counts.get(start, 0), "message"))
    if data.hits is not None:
        text.append(f", {data.hits.counts.get(start, 0):,} matching the search", style=HITS_STYLE)
    for event in data.events:
        if bucket_start(event.date, unit) == start:
            text.append(f"  ▼ {one_line(event.label, 60)} ({event.date.isoformat()})", style=EVENT_STYLE)
    if lane is not None:
        text.append("\n")
        text.append(one_line(lane.label, 60), style="bold")
        text.append(": " + plural(summary["messages"], "message") + " here")
        if summary.get("hits") is not None:
            text.append(f", {summary['hits']:,} matching", style=HITS_STYLE)
    shown, scope = (summary, "") if summary["messages"] or everyone is None else (everyone, " (all)")
    for title, entries in (("Who", shown["people"]), ("Threads", shown["threads"])):
        if entries:
            text.append(f"\n{title}{scope}: ", style="dim")
            text.append(" · ".join(f"{one_line(name, 40)} ({n})" for name, n in entries[:SUMMARY_ITEMS]))
            if len(entries) > SUMMARY_ITEMS:
                text.append(f" · +{len(entries) - SUMMARY_ITEMS} more", style="dim")
    return text


class TimelineChart(Widget):
    """The histogram, its date axis, event markers and swimlanes, drawn as one block so they share columns."""

    DEFAULT_CSS = "TimelineChart { height: 1fr; }"

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.data: TimelineData | None = None
        self.cursor = 0
        self.lane_cursor = 0
        self.first_shown = 0
        self.note = ""

    def show(self, data: TimelineData, cursor: int, lane_cursor: int, note: str = "") -> None:
        """Draw `data` with the cursor on bucket `cursor` and lane `lane_cursor`; `note` goes under the axis."""
        self.data, self.cursor, self.lane_cursor, self.note = data, cursor, lane_cursor, note
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
        if self.note:
            lines.append(Text(self.note, style="dim italic"))
        return Text("\n", no_wrap=True).join(lines)
