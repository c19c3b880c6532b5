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
import random
import statistics
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

from textual.app import App

from foia_tui.app.screens.timeline import TimelineChart, TimelineScreen
from foia_tui.archive import Archive
from foia_tui.archive.store import store_document
from foia_tui.archive.threads import rebuild_conversations
from foia_tui.archive.timeline import load_timeline
from foia_tui.timeline import UNITS, draw_chart, viewport
from importers.records import Address, DocumentRecord, MessageRecord

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
    stored = archive.scalar("SELECT count(*) FROM messages")
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


class Bench(App):
    def __init__(self, archive: Archive, hits: list[str]) -> None:
        super().__init__()
        self.archive, self.hits = archive, hits


async def on_screen(archive: Archive, hits: list[str], runs: int) -> dict[str, list[float]]:
    """Milliseconds from pushing the screen (or pressing a zoom key) until its chart shows the new data."""
    results: dict[str, list[float]] = {"open (month)": [], "zoom to week": [], "zoom to day": []}
    for _ in range(runs):
        app = Bench(archive, hits)
        async with app.run_test(size=SIZE) as pilot:
            started = time.perf_counter()
            screen = TimelineScreen(archive, query="bench", hits=hits, unit="month")
            await app.push_screen(screen)
            results["open (month)"].append(await _until_drawn(pilot, screen, "month", started))
            for key, unit in (("plus", "week"), ("plus", "day")):
                started = time.perf_counter()
                await pilot.press(key)
                results[f"zoom to {unit}"].append(await _until_drawn(pilot, screen, unit, started))
    return results


async def _until_drawn(pilot, screen: TimelineScreen, unit: str, started: float) -> float:
    chart = screen.query_one(TimelineChart)
    while chart.data is None or chart.data.unit != unit:
        await asyncio.sleep(0.001)
    await pilot.pause()  # the refresh that paints it
    return (time.perf_counter() - started) * 1000


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
    total = archive.scalar("SELECT count(*) FROM messages WHERE duplicate_of IS NULL")
    ids = [r["id"] for r in archive.query("SELECT id FROM messages WHERE duplicate_of IS NULL")]
    hits = random.Random(1).sample(ids, len(ids) // 10)
    print(f"archive {path}: {total:,} distinct messages; search overlay of {len(hits):,} hits; {SIZE[0]}x{SIZE[1]}")
    print(f"{'zoom':6} {'data (SQL) ms':>14} {'draw ms':>8} {'buckets':>8}")
    for unit in UNITS:
        load_ms, data = timed(lambda unit=unit: load_timeline(archive, unit, hits), args.runs)
        view = viewport(data.size, SIZE[0], data.size - 1, 0)
        draw_ms, _ = timed(lambda data=data, view=view: draw_chart(data, SIZE[0], 8, data.size - 1, view, 0, 30), 20)
        print(f"{unit:6} {load_ms:>14.1f} {draw_ms:>8.2f} {data.size:>8,}")
    print("on screen (Pilot, median of runs; target <= 200 ms):")
    for name, times in asyncio.run(on_screen(archive, hits, args.runs)).items():
        print(f"  {name:14} {statistics.median(times):7.1f} ms (max {max(times):.1f})")
    archive.close()


if __name__ == "__main__":
    main()
