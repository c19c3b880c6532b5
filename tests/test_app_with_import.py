"""The app stays usable while a real `foia import` writes to the same archive, and shows what it added."""

from __future__ import annotations

import asyncio
import subprocess
import time

from foia_tui.app.app import FoiaApp
from tests.conftest import settle
from tests.support.archive_factory import build_small_archive
from tests.support.crashcheck import FOIA, write_mbox_and_emls


async def test_app_keeps_working_during_an_import_and_refresh_shows_it(tmp_path):
    small = build_small_archive(tmp_path)
    write_mbox_and_emls(tmp_path / "incoming", 200)
    app = FoiaApp(small.archive)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        before = app.screen.thread_list.count
        importer = subprocess.Popen(
            [FOIA, "import", str(tmp_path / "incoming"), "--db", str(small.path)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        moves = 0
        while importer.poll() is None and moves < 200:
            started = time.monotonic()
            await pilot.press("j", "k", "enter", "escape")
            await settle(pilot)
            assert time.monotonic() - started < 10, "the app stalled while the import was writing"
            moves += 1
            await asyncio.sleep(0.05)
        _out, errors = importer.communicate(timeout=300)
        assert importer.returncode == 0, errors
        assert "locked" not in errors and "Traceback" not in errors
        assert moves > 0, "the import finished before the app was exercised"
        await pilot.press("R")
        await settle(pilot)
        assert app.screen.thread_list.count > before
        assert any("new message" in n.message for n in app._notifications)
