"""What every test module may use: `settle` for Pilot tests, and an empty archive on a temporary file.

`settle` is imported (`from tests.conftest import settle`); the fixtures need no import. A module whose tests
want an archive with content defines its own `archive` fixture, which takes the place of this one there.
"""

from __future__ import annotations

import asyncio
import time

import pytest
from textual.worker import WorkerState

from foia_tui.archive import Archive


async def settle(pilot, timeout: float = 15.0) -> None:
    """Wait until no worker is pending or running and their results are drawn (workers may start more; one the
    app cancelled counts as done)."""
    deadline = time.monotonic() + timeout
    quiet = 0
    while quiet < 2 and time.monotonic() < deadline:
        await pilot.pause()
        busy = any(w.state in (WorkerState.PENDING, WorkerState.RUNNING) for w in pilot.app.workers)
        quiet = 0 if busy else quiet + 1
        if busy:
            await asyncio.sleep(0.002)


@pytest.fixture
def archive(tmp_path):
    """An empty archive, closed after the test."""
    opened = Archive.open(tmp_path / "a.db")
    yield opened
    opened.close()
