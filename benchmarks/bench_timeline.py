"""How long the timeline of a 100,000-message archive takes to draw (target: <= 200 ms).

Builds the archive once (generated records written with store_document in big transactions, then threads
rebuilt) under benchmarks/out/, or uses --db. Prints, per zoom level: the SQL for counts, search overlay and
swimlanes; the drawing of the chart; and, with Pilot, the time from opening the screen (and from each zoom key)
until the chart is on screen with its data.

    /work/venv/bin/python benchmarks/bench_timeline.py [--db PATH] [--count 100000] [--runs 5]
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import os
import random
import statistics
import sys
import time
from collections import defaultdict
from datetime import datetime, timedelta
from pathlib import Path

from textual.app import App

from foia_tui.app.screens import timeline as timeline_screen
from foia_tui.app.screens.timeline import TimelineChart, TimelineScreen
from foia_tui.app.widgets.timeline_chart import draw_chart, viewport
from foia_tui.archive import Archive
from foia_tui.archive.search import matching_message_ids
from foia_tui.archive.store import store_document
from foia_tui.archive.timeline import person_lanes, thread_lanes
from foia_tui.domain.timeline import UNITS, roll_lanes
from foia_tui.services.rethreading import rebuild_conversations
from foia_tui.services.timeline import load_timeline
from importers.records import Address, DocumentRecord, MessageRecord
from tests.support.sql import sql_rows, sql_value

OUT = Path(__file__).resolve().parent / "out"
PER_DOCUMENT = 1_000
SIZE = (160, 50)


def build(path: Path, count: int, seed: int = 0) -> None:
    """`count` messages in conversations of 1-12 among 60 people over three years, with bursts."""
    rng = random.Random(seed)
    people = [Address(f"Person {i:02d}", f"person{i:02d}@agency{i % 7}.example.gov") for i in range(60)]
    archive = Archive.open(path)
    started = time.perf_counter()
    messages: list[MessageRecord] = []
    documents = 0
    conversation = 0
    with archive.transaction():
        while conversation == 0 or documents * PER_DOCUMENT + len(messages) < count:
            # a third of the conversations fall in three busy months
            if rng.random() < 0.33:
                when = datetime(2019, rng.choice((3, 4, 9)), 1) + timedelta(minutes=rng.randint(0, 40_000))
            else:
                when = datetime(2017, 1, 1) + timedelta(minutes=rng.randint(0, 3 * 525_600))
            cast = rng.sample(people, rng.randint(2, 4))
            parent = None
            for n in range(rng.randint(1, 12)):
                message_id = f"c{conversation}.{n}@bench"
                messages.append(
                    MessageRecord(
                        ordinal=len(messages),
                        subject=("Re: " if n else "") + f"Topic {conversation}",
                        sender=cast[n % len(cast)],
                        to=[p for p in cast if p is not cast[n % len(cast)]],
                        sent=when.isoformat(timespec="seconds") + "-05:00",
                        body=f"Message {n} of conversation {conversation}.",
                        message_id=message_id,
                        in_reply_to=parent,
                    )
                )
                parent = message_id
                when += timedelta(minutes=rng.randint(5, 2_000))
            conversation += 1
            if len(messages) >= PER_DOCUMENT:
                _store(archive, documents, messages)
                documents += 1
                messages = []
        if messages:
            _store(archive, documents, messages)
    stored = sql_value(archive, "SELECT count(*) FROM messages")
    print(f"stored {stored:,} messages in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    rebuild_conversations(archive)
    print(f"threads rebuilt in {time.perf_counter() - started:.1f} s")
    archive.close()


def _store(archive: Archive, number: int, messages: list[MessageRecord]) -> None:
    name = f"bench-{number:04d}.mbox"
    store_document(archive, DocumentRecord(name, hashlib.sha256(name.encode()).hexdigest(), "mbox", messages))


def timed(function, runs: int) -> tuple[float, object]:
    """Median milliseconds over `runs` calls, and the last result."""
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = function()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), result


class PaintClock(TimelineChart):
    """The chart, noting when it last painted and what: (unit, lanes drawn, search overlay drawn, time)."""

    painted: tuple[str, bool, bool, float] = ("", False, False, 0.0)

    def render(self):
        text = super().render()
        if self.data is not None:
            PaintClock.painted = (
                self.data.unit,
                bool(self.data.lanes),
                self.data.hits is not None,
                time.perf_counter(),
            )
        return text


class Bench(App):
    pass


async def on_screen(path: Path, hits: list[str], runs: int) -> dict[str, list[float]]:
    """Milliseconds from opening the screen (or a zoom/lane key's action) until the chart has painted the result.

    Each run opens the archive afresh, so its first lanes are counted cold; the second opening reuses them.
    """
    results: dict[str, list[float]] = defaultdict(list)
    for _ in range(runs):
        archive = Archive.open(path)
        async with Bench().run_test(size=SIZE) as pilot:
            await _open(pilot, archive, hits, results, "")
            await pilot.press("escape")
            await _open(pilot, archive, hits, results, " again")
        archive.close()
    return results


async def _open(pilot, archive: Archive, hits: list[str], results: dict[str, list[float]], again: str) -> None:
    started = time.perf_counter()
    screen = TimelineScreen(archive, query="bench", hits=hits, unit="month")
    await pilot.app.push_screen(screen)
    results[f"open{again}: histogram"].append(await _painted(started, "month"))
    results[f"open{again}: + overlay"].append(await _painted(started, "month", hits=True))
    results[f"open{again}: + lanes"].append(await _painted(started, "month", lanes=True, hits=True))
    await _idle(pilot.app)  # never close the archive under a running worker
    if again:
        return
    for unit in ("week", "day"):
        started = time.perf_counter()
        screen.action_zoom(1)  # what + does
        results[f"zoom to {unit}"].append(await _painted(started, unit, lanes=True))
    await _idle(pilot.app)
    started = time.perf_counter()
    screen.action_toggle_lanes()  # what s does: thread lanes, counted cold
    await _painted(started, "day", lanes=False)
    results["lanes to threads"].append(await _painted(started, "day", lanes=True))
    await _idle(pilot.app)


async def _idle(app: App) -> None:
    """Wait until no worker runs (a summary the screen moved past is cancelled rather than awaited)."""
    while any(worker.is_running for worker in app.workers):
        await asyncio.sleep(0.005)


async def _painted(started: float, unit: str, lanes: bool = False, hits: bool = False) -> float:
    """Wait for a paint of `unit` (with lanes, overlay, if asked) after `started`; milliseconds until it."""
    while True:
        painted_unit, has_lanes, has_hits, at = PaintClock.painted
        if at > started and painted_unit == unit and (has_lanes or not lanes) and (has_hits or not hits):
            return (at - started) * 1000
        await asyncio.sleep(0.001)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="an existing archive (default: build benchmarks/out/timeline-N.db)")
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    path = args.db or OUT / f"timeline-{args.count}.db"
    if not path.exists():
        if args.db:
            sys.exit(f"{path}: no such archive")
        OUT.mkdir(exist_ok=True)
        build(path, args.count)
    archive = Archive.open(path)
    total = sql_value(archive, "SELECT count(*) FROM messages WHERE duplicate_of IS NULL")
    ids = [r["id"] for r in sql_rows(archive, "SELECT id FROM messages WHERE duplicate_of IS NULL")]
    hits = random.Random(1).sample(ids, len(ids) // 10)
    print(f"archive {path}: {total:,} distinct messages; search overlay of {len(hits):,} hits; {SIZE[0]}x{SIZE[1]}")
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    search_ms, found = timed(lambda: matching_message_ids(archive, "from:person07@agency0.example.gov"), 1)
    print(f"search for the overlay (matching_message_ids, {len(found):,} hits): {search_ms:.0f} ms")
    days_ms, days = timed(lambda: load_timeline(archive, hits), args.runs)
    people_ms, people = timed(lambda: person_lanes(archive), args.runs)
    threads_ms, _ = timed(lambda: thread_lanes(archive), args.runs)
    print(f"SQL: day counts + overlay + events {days_ms:.1f} ms; person lanes {people_ms:.1f} ms; "
          f"thread lanes {threads_ms:.1f} ms")  # fmt: skip
    print(f"{'zoom':6} {'lanes roll-up ms':>16} {'counts roll-up ms':>17} {'draw ms':>8} {'buckets':>8}")
    for unit in UNITS:
        roll_ms, lanes = timed(lambda unit=unit: roll_lanes(people, unit), args.runs)
        zoom_ms, data = timed(lambda unit=unit, lanes=lanes: days.zoomed(unit, lanes), args.runs)
        view = viewport(data.size, SIZE[0], data.size - 1, 0)
        draw_ms, _ = timed(lambda data=data, view=view: draw_chart(data, SIZE[0], 8, data.size - 1, view, 0, 30), 20)
        print(f"{unit:6} {roll_ms:>16.1f} {zoom_ms:>17.1f} {draw_ms:>8.2f} {data.size:>8,}")
    timeline_screen.TimelineChart = PaintClock  # the screen composes the chart by this name
    print("on screen (Pilot, median of runs; target for the histogram <= 200 ms):")
    for name, times in asyncio.run(on_screen(path, hits, args.runs)).items():
        print(f"  {name:14} {statistics.median(times):7.1f} ms (max {max(times):.1f})")
    archive.close()


if __name__ == "__main__":
    main()
