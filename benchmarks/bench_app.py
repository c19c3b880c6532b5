"""Speed of the app on a 100,000-message archive, driven by Pilot (the figures the README reports).

    /work/venv/bin/python benchmarks/bench_app.py [--messages 100000] [--db PATH]

Prints: time to the first screen of threads, thread-list scrolling (page-down and jump-to-end latency until
the rows are drawn), and opening a 50-message thread (Enter to all 50 emails laid out). The archive is built
once with the same store + threading code as an import and reused from PATH on later runs.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from pathlib import Path

from foia_tui.app.app import FoiaApp
from foia_tui.archive import Archive, browse
from foia_tui.archive.browse import ThreadSummary
from foia_tui.services import reading
from tests.support.archive_factory import build_bulk_archive
from tests.support.sql import sql_rows

SIZE = (140, 45)


async def wait_until(pilot, condition, timeout: float = 30.0) -> None:
    deadline = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError("the app did not get there in time")
        await pilot.pause(0.001)


def big_thread(archive: Archive, size: int = 50) -> ThreadSummary:
    [row] = sql_rows(archive, "SELECT id FROM threads WHERE message_count = ? LIMIT 1", (size,))
    return browse.threads_by_ids(archive, [row["id"]])[0]


class Clock:
    """Wall time and this process's CPU time (all threads): on a busy machine the CPU figure is the work done."""

    def __init__(self) -> None:
        self.wall = time.perf_counter()
        self.cpu = time.process_time()

    def lap(self) -> tuple[float, float]:
        return time.perf_counter() - self.wall, time.process_time() - self.cpu


def figures(label: str, samples: list[tuple[float, float]]) -> str:
    def stats(values: list[float]) -> str:
        ms = sorted(v * 1000 for v in values)
        p95 = ms[min(len(ms) - 1, int(len(ms) * 0.95))]
        return f"median {statistics.median(ms):.1f} ms, p95 {p95:.1f} ms, max {ms[-1]:.1f} ms"

    wall, cpu = [w for w, _ in samples], [c for _, c in samples]
    return f"{label} (n={len(samples)}):\n    wall {stats(wall)}\n    cpu  {stats(cpu)}"


async def measure(archive: Archive) -> list[str]:
    report = []
    app = FoiaApp(archive)
    clock = Clock()
    async with app.run_test(size=SIZE) as pilot:
        threads = app.screen.thread_list
        await wait_until(pilot, lambda: threads.highlighted is not None)
        await pilot.pause()
        report.append(figures("first screen (app start to first rows drawn)", [clock.lap()]))

        pages = []
        for _ in range(60):
            clock = Clock()
            await pilot.press("pagedown")
            await wait_until(pilot, lambda: threads.highlighted is not None)
            pages.append(clock.lap())
        report.append(figures("thread list page-down until rows drawn", pages))
        jumps = []
        for key in ("end", "home", "end", "home", "end"):
            clock = Clock()
            await pilot.press(key)
            await wait_until(pilot, lambda: threads.highlighted is not None)
            jumps.append(clock.lap())
        report.append(figures("thread list jump to first/last of all threads", jumps))

        screen = app.screen
        view = screen.reading_view
        thread = big_thread(archive)
        other = browse.thread_page(archive, 0, 1)[0]
        opens = []
        for _ in range(10):
            for target, count in ((other, other.message_count), (thread, 50)):
                clock = Clock()
                screen.open_thread(target)
                await wait_until(
                    pilot, lambda c=count, t=target: len(view.messages) == c and view.messages[0].thread_id == t.id
                )
                await pilot.pause()
                if target is thread:
                    opens.append(clock.lap())
        report.append(figures("open a 50-message thread (worker read + layout + draw)", opens))
        reads = []
        for _ in range(20):
            clock = Clock()
            reading.thread_messages(archive, thread.id)
            reads.append(clock.lap())
        report.append(figures("  of which the SQLite read of its 50 emails", reads))
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--db", type=Path, default=None)
    args = parser.parse_args()
    db = args.db or Path("/tmp") / f"foia-bench-app-{args.messages}.db"
    if not db.exists():
        print(f"building {db} ({args.messages:,} messages)…", flush=True)
        start = time.perf_counter()
        build_bulk_archive(db, args.messages).close()
        print(f"  built in {time.perf_counter() - start:.0f} s", flush=True)
    archive = Archive.open(db, create=False)
    counts = browse.totals(archive)
    print(f"archive: {db} ({counts.messages:,} messages, {counts.threads:,} threads)")
    for line in asyncio.run(measure(archive)):
        print(line)


if __name__ == "__main__":
    main()
