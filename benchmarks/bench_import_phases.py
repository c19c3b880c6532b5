"""Where `foia import` spends the writer process's time (issue 20): wall and CPU seconds of each phase of one
run_import, measured by wrapping the functions it calls (the workers' CPU is given as a whole).

    python benchmarks/bench_import_phases.py [/tmp/foia-maildir-20000] [--db /tmp/foia-phases.db]

Phases nest: rebuild_conversations holds read_participants … write_conversations, set_clock holds _detect and
date_documents; "waiting for the workers" is the writer's wait for (and unpickling of) their next result.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import resource
import time
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import foia_tui.archive.clock as clock
import foia_tui.services.importing as importing
import foia_tui.services.rethreading as rethreading
from foia_tui.archive import Archive

WALL: dict[str, float] = defaultdict(float)
CPU: dict[str, float] = defaultdict(float)
PHASES = {
    importing: [
        "expand_paths", "_releases_for", "_store_with_attachments", "attach_documents", "date_batch",
        "place_unthreaded", "set_clock", "rebuild_conversations",
    ],
    rethreading: [
        "read_participants", "message_keys", "find_duplicates", "plan_people", "assign_threads", "write_people",
        "write_conversations",
    ],
    clock: ["_detect", "date_documents"],
}  # fmt: skip


@contextlib.contextmanager
def timing(name: str) -> Iterator[None]:
    wall, cpu = time.perf_counter(), time.process_time()
    try:
        yield
    finally:
        WALL[name] += time.perf_counter() - wall
        CPU[name] += time.process_time() - cpu


def timed(function, name: str):
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        with timing(name):
            return function(*args, **kwargs)

    return wrapper


def timed_reads(read_all):
    """_read_all with the writer's wait for each next result timed."""

    @functools.wraps(read_all)
    def wrapper(*args, **kwargs):
        outcomes = read_all(*args, **kwargs)
        while True:
            with timing("waiting for the workers"):
                outcome = next(outcomes, None)
            if outcome is None:
                return
            yield outcome

    return wrapper


def timed_indexing(indexed_at_the_end):
    """indexed_at_the_end with the batch's closing index statements timed."""

    @contextlib.contextmanager
    def wrapper(conn):
        with indexed_at_the_end(conn):
            yield
            WALL["search indexes"] -= time.perf_counter()
            CPU["search indexes"] -= time.process_time()
        WALL["search indexes"] += time.perf_counter()
        CPU["search indexes"] += time.process_time()

    return wrapper


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("maildir", nargs="?", type=Path, default=Path("/tmp/foia-maildir-20000"))
    parser.add_argument("--db", type=Path, default=Path("/tmp/foia-phases.db"))
    args = parser.parse_args()
    for module, names in PHASES.items():
        for name in names:
            setattr(module, name, timed(getattr(module, name), name))
    importing._read_all = timed_reads(importing._read_all)
    importing.indexed_at_the_end = timed_indexing(importing.indexed_at_the_end)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{args.db}{suffix}").unlink(missing_ok=True)
    archive = Archive.open(args.db)
    with timing("run_import"):
        summary = importing.run_import(archive, [str(args.maildir)])
    workers = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(f"{summary.messages_added:,} messages; the workers' CPU {workers.ru_utime + workers.ru_stime:.2f} s")
    print(f"  {'phase (writer process)':<28} {'wall s':>7} {'CPU s':>7}")
    for name in sorted(WALL, key=lambda n: -WALL[n]):
        print(f"  {name:<28} {WALL[name]:7.2f} {CPU[name]:7.2f}")


if __name__ == "__main__":
    main()
