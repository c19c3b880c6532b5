"""The timeline without SQL or UI: calendar buckets, the block-character chart, and the Markdown chronology.

Buckets are named by their first day (weeks start on Monday, as ISO weeks do) and addressed by index from the
archive's first bucket, so a span of any length (an OCR'd "1901" beside "2019") costs nothing until drawn.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property
from typing import Literal

from rich.text import Text

from foia_tui.domain.citations import page_range
from foia_tui.domain.display import one_line
from foia_tui.domain.escaping import md_inline

Unit = Literal["day", "week", "month"]
UNITS: tuple[Unit, ...] = ("day", "week", "month")
BLOCKS = " ▁▂▃▄▅▆▇█"
SHADES = "░▒▓█"
TOTAL_STYLE = "#5f87af"
HITS_STYLE = "#ffaf00"
CURSOR_STYLE = "on #3a3a3a"
EVENT_STYLE = "bold #d75f87"
LABEL_WIDTH = 20
SUMMARY_ITEMS = 5


# -- calendar ---------------------------------------------------------------------------------------------


def bucket_start(day: date, unit: Unit) -> date:
    """The first day of the bucket holding `day`."""
    if unit == "day":
        return day
    if unit == "week":
        return day - timedelta(days=day.weekday())
    return day.replace(day=1)


def shift(start: date, unit: Unit, n: int) -> date:
    """The bucket `n` buckets after (or before, for negative n) the one starting at `start`."""
    if unit == "day":
        return start + timedelta(days=n)
    if unit == "week":
        return start + timedelta(weeks=n)
    months = start.year * 12 + start.month - 1 + n
    return date(months // 12, months % 12 + 1, 1)


def bucket_index(first: date, start: date, unit: Unit) -> int:
    """How many buckets `start` lies after `first` (both bucket starts)."""
    if unit == "day":
        return (start - first).days
    if unit == "week":
        return (start - first).days // 7
    return (start.year - first.year) * 12 + start.month - first.month


def bucket_end(start: date, unit: Unit) -> date:
    """The last day of the bucket (inclusive), the form `date:START..END` wants."""
    return shift(start, unit, 1) - timedelta(days=1)


def bucket_label(start: date, unit: Unit) -> str:
    if unit == "month":
        return start.strftime("%Y-%m")
    if unit == "week":
        year, week, _ = start.isocalendar()
        return f"{year}-W{week:02d}"
    return start.isoformat()


def parse_day(text: str) -> date:
    """A YYYY-MM-DD date (a longer ISO timestamp is cut to its day); ValueError with a readable reason."""
    try:
        return date.fromisoformat(text.strip()[:10])
    except ValueError:
        raise ValueError(f"not a date: {text!r} (use YYYY-MM-DD)") from None


def day_of(text: str | None) -> date | None:
    """The calendar day an ISO date or timestamp starts with, or None when it has none."""
    try:
        return date.fromisoformat((text or "")[:10])
    except ValueError:
        return None


def zoom(unit: Unit, step: int) -> Unit:
    """The next finer (step > 0, '+') or coarser (step < 0, '-') unit, stopping at the ends."""
    index = UNITS.index(unit) - step
    return UNITS[min(max(index, 0), len(UNITS) - 1)]


# -- series -------------------------------------------------------------------------------------------------


def rollup(counts: dict[date, int], unit: Unit) -> dict[date, int]:
    """Counts per day as counts per bucket of `unit`."""
    if unit == "day":
        return dict(counts)
    out: dict[date, int] = {}
    for day, n in counts.items():
        start = bucket_start(day, unit)
        out[start] = out.get(start, 0) + n
    return out


@dataclass
class Series:
    """Counts per bucket start; everything between the first and last bucket is part of the span."""

    unit: Unit
    counts: dict[date, int] = field(default_factory=dict)

    def rollup(self, unit: Unit) -> Series:
        """Day counts gathered into weeks or months."""
        assert self.unit == "day", "only day counts roll up exactly"
        return Series(unit, rollup(self.counts, unit))

    @cached_property
    def first(self) -> date | None:
        return min(self.counts) if self.counts else None

    @cached_property
    def last(self) -> date | None:
        return max(self.counts) if self.counts else None

    def span(self) -> list[tuple[date, int]]:
        """Every bucket from first to last, empty ones included (silences are part of the story)."""
        if not self.counts:
            return []
        first, last = self.first, self.last
        return [
            (start, self.counts.get(start, 0))
            for start in (shift(first, self.unit, i) for i in range(bucket_index(first, last, self.unit) + 1))
        ]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def span_json(series: Series) -> list[dict]:
    """Buckets as `foia timeline --json` prints them."""
    return [
        {
            "bucket": bucket_label(start, series.unit),
            "start": start.isoformat(),
            "end": bucket_end(start, series.unit).isoformat(),
            "count": count,
        }
        for start, count in series.span()
    ]


@dataclass
class Lane:
    """One swimlane: a person or a thread, with its messages per bucket."""

    key: str
    label: str
    counts: dict[date, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def roll_lanes(lanes: list[Lane], unit: Unit) -> list[Lane]:
    """Day-level lanes by `unit` (done once per zoom level, off the UI thread: thousands of lanes × days)."""
    return [Lane(lane.key, lane.label, rollup(lane.counts, unit)) for lane in lanes]


@dataclass
class Event:
    id: int
    date: date
    label: str
    note: str | None = None


@dataclass
class TimelineData:
    """Everything the chart draws for one zoom level (treated as fixed once made: first and size are cached)."""

    totals: Series
    hits: Series | None = None
    lanes: list[Lane] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)

    @property
    def unit(self) -> Unit:
        return self.totals.unit

    def zoomed(self, unit: Unit, lanes: list[Lane]) -> TimelineData:
        """This day-level data by `unit`, with `lanes` (already by `unit`: see roll_lanes)."""
        return TimelineData(
            self.totals.rollup(unit),
            self.hits.rollup(unit) if self.hits is not None else None,
            lanes,
            self.events,
        )

    @cached_property
    def first(self) -> date | None:
        """The first bucket: the earliest message's, or an earlier event's."""
        starts = [s for s in (self.totals.first, *(bucket_start(e.date, self.unit) for e in self.events)) if s]
        return min(starts) if starts else None

    @cached_property
    def size(self) -> int:
        """Number of buckets from the first message or event to the last."""
        first = self.first
        if first is None:
            return 0
        last = max(s for s in (self.totals.last, *(bucket_start(e.date, self.unit) for e in self.events)) if s)
        return bucket_index(first, last, self.unit) + 1

    def start(self, index: int) -> date:
        assert self.first is not None
        return shift(self.first, self.unit, index)

    def index_of(self, day: date) -> int:
        """The bucket index holding `day`, clamped into the span."""
        if self.first is None:
            return 0
        index = bucket_index(self.first, bucket_start(day, self.unit), self.unit)
        return min(max(index, 0), self.size - 1)

    def next_busy(self, index: int, step: int) -> int:
        """The nearest bucket in direction `step` holding messages (or `index` when there is none)."""
        first = self.first
        if first is None:
            return index
        here = self.start(index)
        busy = [s for s in self.totals.counts if (s > here if step > 0 else s < here) and self.totals.counts[s]]
        if not busy:
            return index
        return bucket_index(first, min(busy) if step > 0 else max(busy), self.unit)


# -- drawing ------------------------------------------------------------------------------------------------


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


def _event_row(marks: dict[int, list[Event]], view: Viewport, width: int) -> Text:
    """Labels for event markers: right of the marker when there is room, else left of it, else cut short."""
    line = _gutter("events" if marks else "")
    chars = [" "] * width
    free = 0  # first column not taken by an earlier label
    columns = sorted(marks)
    for n, index in enumerate(columns):
        events = marks[index]
        label = one_line(events[0].label, width) + (f" +{len(events) - 1}" if len(events) > 1 else "")
        column = index * view.columns
        limit = columns[n + 1] * view.columns - 1 if n + 1 < len(columns) else width
        if column + 1 + len(label) > limit and column - len(label) >= free:
            text, column = label + "▼", column - len(label)
        else:
            text = ("▼" + label)[: max(limit - column, 1)]
        chars[column : column + len(text)] = text
        free = column + len(text) + 1
    line.append("".join(chars), style=EVENT_STYLE)
    return line


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
    lines = [_event_row(marks, view, len(starts) * view.columns)]
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


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'s' * (n != 1)}"


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
    text.append(": " + _plural(data.totals.counts.get(start, 0), "message"))
    if data.hits is not None:
        text.append(f", {data.hits.counts.get(start, 0):,} matching the search", style=HITS_STYLE)
    for event in data.events:
        if bucket_start(event.date, unit) == start:
            text.append(f"  ▼ {one_line(event.label, 60)} ({event.date.isoformat()})", style=EVENT_STYLE)
    if lane is not None:
        text.append("\n")
        text.append(one_line(lane.label, 60), style="bold")
        text.append(": " + _plural(summary["messages"], "message") + " here")
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


# -- chronology -----------------------------------------------------------------------------------------------

_QUOTE_OR_HEADER = re.compile(r"^\s*(>|(On .{0,200}wrote:$)|(-{2,}\s*(Original|Forwarded) Message))", re.IGNORECASE)


def md_cell(text: str | None, width: int | None = None) -> str:
    """Untrusted text as one Markdown table cell: one line, cut to `width`, escaped as exports escape it."""
    return md_inline(one_line(text, width))


def excerpt(body: str | None, width: int = 120) -> str:
    """The first line the sender wrote (not quoted text, not a reply header), as one line."""
    for line in (body or "").splitlines():
        if line.strip() and not _QUOTE_OR_HEADER.match(line):
            return one_line(line, width)
    return ""


def _names(addresses: Iterable[dict]) -> str:
    return ", ".join(a.get("name") or a.get("email") or a.get("raw") or "?" for a in addresses) or "?"


def _shown_date(sent: str | None) -> str:
    if not sent:
        return "undated"
    text = sent[:16].replace("T", " ")
    offset = re.search(r"([+-]\d\d:\d\d|Z)$", sent)
    return f"{text} {offset.group(1)}" if offset and len(sent) > 19 else text


def citation(row: dict) -> str:
    """'release.pdf, pp. 3–4, Bates ABC-0012–ABC-0013': enough to find the paper again."""
    parts = [row.get("file") or "?"]
    if pages := page_range(row.get("page_start"), row.get("page_end")):
        parts.append(pages)
    bates, bates_end = row.get("bates_start"), row.get("bates_end")
    if bates:
        parts.append(f"Bates {bates}" if bates_end in (None, "", bates) else f"Bates {bates}–{bates_end}")
    return ", ".join(parts)


def chronology_rows(messages: Iterable[dict], events: Iterable[Event] = ()) -> list[dict]:
    """Messages and events as chronology rows in date order (events before messages on their day)."""
    rows = []
    for m in messages:
        sender = m.get("sender_name") or m.get("sender_email") or m.get("sender_raw") or "?"
        rows.append(
            {
                "kind": "message",
                "id": m["id"],
                "sort": m.get("sent_sort") or "~",  # undated after everything dated
                "date": _shown_date(m.get("sent")),
                "from": sender,
                "to": _names(json.loads(m.get("recipients") or "[]")),
                "subject": m.get("subject") or "",
                "excerpt": excerpt(m.get("body")),
                "citation": citation(m),
            }
        )
    for e in events:
        rows.append(
            {
                "kind": "event",
                "id": e.id,
                "sort": e.date.isoformat(),
                "date": e.date.isoformat(),
                "label": e.label,
                "note": e.note or "",
            }
        )
    rows.sort(key=lambda r: (r["sort"], r["kind"] == "message", str(r["id"])))
    for row in rows:
        del row["sort"]
    return rows


def chronology_markdown(rows: Sequence[dict], query: str | None = None) -> str:
    """The dated table investigators write up, as deterministic Markdown."""
    messages = sum(1 for r in rows if r["kind"] == "message")
    events = len(rows) - messages
    scope = f" matching “{md_cell(query, 200)}”" if query else ""
    out = [
        "# Chronology",
        "",
        _plural(messages, "message") + scope + (f", with {_plural(events, 'event')}" if events else "") + ".",
        "",
        "| Date | From → To | Subject | Excerpt | Citation |",
        "| --- | --- | --- | --- | --- |",
    ]
    for r in rows:
        if r["kind"] == "event":
            out.append(f"| {r['date']} | *event* | **{md_cell(r['label'], 200)}** | {md_cell(r['note'], 200)} | |")
        else:
            people = f"{md_cell(r['from'], 60)} → {md_cell(r['to'], 120)}"
            out.append(
                f"| {r['date']} | {people} | {md_cell(r['subject'], 120)} | {md_cell(r['excerpt'])} "
                f"| {md_cell(r['citation'], 200)} |"
            )
    return "\n".join(out) + "\n"


def period_query(query: str | None, start: date, end: date) -> str:
    """The search that shows one period: the current query with its own date: terms replaced by this one."""
    rest = re.sub(r"(?<![^\s(])date:\S+", " ", query or "")
    rest = " ".join(rest.split())
    term = f"date:{start.isoformat()}..{end.isoformat()}"
    return f"({rest}) {term}" if rest else term
