"""How the app looks: SVG snapshots (pytest-textual-snapshot) of its main views on a generated release.

Archives are built in fixed folders so the paths on screen are the same on every run.
Update baselines with `pytest tests/test_app_snapshots.py --snapshot-update` and look at the SVGs.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from foia_tui.app.app import FoiaApp
from tests.conftest import settle
from tests.support.archive_factory import build_small_archive

SIZE = (120, 36)
NOTICE = "No archive here: showing a private copy of the bundled sample."


def app_on_fresh_archive(name: str, notice: str | None = None) -> FoiaApp:
    folder = Path(tempfile.gettempdir()) / "foia-snapshots" / name
    shutil.rmtree(folder, ignore_errors=True)
    return FoiaApp(build_small_archive(folder).archive, notice=notice)


def keys(*presses: str):
    async def run_before(pilot) -> None:
        await settle(pilot)
        for key in presses:
            await pilot.press(key)
            await settle(pilot)

    return run_before


def test_main_screen(snap_compare):
    app = app_on_fresh_archive("main", NOTICE)
    assert snap_compare(app, terminal_size=SIZE, run_before=keys())


def test_thread_with_redactions_and_leaks(snap_compare):
    app = app_on_fresh_archive("thread")
    assert snap_compare(app, terminal_size=SIZE, run_before=keys("end", "enter", "x", "n", "r"))


def test_help_screen(snap_compare):
    app = app_on_fresh_archive("help")
    assert snap_compare(app, terminal_size=SIZE, run_before=keys("question_mark"))


def test_original_page(snap_compare):
    app = app_on_fresh_archive("original")
    assert snap_compare(app, terminal_size=SIZE, run_before=keys("end", "enter", "o"))
