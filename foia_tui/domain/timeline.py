"""The timeline without SQL or UI: calendar buckets, series and lanes, and the Markdown chronology.

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

from foia_tui.domain.citations import page_range
from foia_tui.domain.display import one_line
from foia_tui.domain.escaping import md_inline
from foia_tui.domain.wording import plural

Unit = Literal["day", "week", "month"]
UNITS: tuple[Unit, ...] = ("day", "week", "month")


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
                # on the day it counts on (its release's zone), then in time order; undated after everything dated
                "sort": (m.get("sent_day") or "~", m.get("sent_sort") or ""),
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
                "sort": (e.date.isoformat(), ""),
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
        plural(messages, "message") + scope + (f", with {plural(events, 'event')}" if events else "") + ".",
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


def _unwrapped(query: str) -> str:
    """A query without the one pair of parentheses around all of it (the pair an earlier period_query added)."""
    if not (query.startswith("(") and query.endswith(")")):
        return query
    depth, quoted = 0, False
    for i, char in enumerate(query):
        if char == '"':
            quoted = not quoted
        elif not quoted and char in "()":
            depth += 1 if char == "(" else -1
            if depth == 0 and i < len(query) - 1:
                return query  # "(a) OR (b)": the first parenthesis closes before the end
    return query[1:-1].strip()


def period_query(query: str | None, start: date, end: date) -> str:
    """The search that shows one period: the current query with its own date: terms replaced by this one (and
    the parentheses an earlier period put round it taken off, so choosing periods one after another never
    nests them)."""
    rest = re.sub(r"(?<![^\s(])date:\S+", " ", query or "")
    rest = _unwrapped(" ".join(rest.split()))
    term = f"date:{start.isoformat()}..{end.isoformat()}"
    return f"({rest}) {term}" if rest else term
