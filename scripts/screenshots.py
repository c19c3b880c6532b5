"""Screenshots for the README tour (docs/*.svg): the app on a working copy of archive.db.sample, driven with Pilot.

    python scripts/screenshots.py             # after rebuilding the sample: regenerate docs/*.svg
    python scripts/screenshots.py --out DIR   # write the SVGs elsewhere

The steps below are the tour of docs/TOUR.md, key for key (each Step's title is its heading there), and
tests/test_tour.py walks the same steps and checks what each one shows, so the tour, its pictures and the app
cannot drift apart. The app runs headless at a fixed terminal size, on a copy at a fixed path (the path is on
the status line) and with the original page drawn in half-block characters (no Kitty/Sixel without a
terminal), so the same sample gives the same SVGs.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input

from foia_tui.app.app import FoiaApp
from foia_tui.app.widgets.search_bar import DEBOUNCE_S
from foia_tui.archive import Archive
from foia_tui.cli import opening
from foia_tui.cli.opening import SAMPLE
from tests.conftest import settle  # waits until the app's workers are done and drawn

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
SIZE = (140, 42)
SHOT = "(screenshot)"  # where in a step's keys its screenshot is taken
TYPE = "type:"  # a key starting with this types the rest
SEARCH = '"working great" OR arrests OR "100 searches"'
TAG = "leak"


@dataclass(frozen=True)
class Step:
    title: str  # the step's heading in docs/TOUR.md, word for word
    keys: tuple[str, ...]  # Pilot key names; TYPE + text types the text; SHOT marks the screenshot
    shot: str | None = None  # docs/<shot>.svg


FIRST_START = Step("What you see on first start", (SHOT,), "first-start")
STEPS = (
    Step(f"Search: `/`, type `{SEARCH}`, `Enter`", ("slash", TYPE + SEARCH, SHOT, "enter"), "search"),
    Step("Open the thread: `Enter`", ("enter",)),
    Step("Next email: `n`", ("n", SHOT), "thread"),
    Step("Leaked text: `r`", ("r", SHOT), "leak"),
    Step("Original page: `o`, `c`, then `Escape`", ("o", "c", SHOT, "escape"), "original-page"),
    Step(f"Tag it: `t`, type `{TAG}`, `Enter`", ("t", TYPE + TAG, SHOT, "enter"), "tag-picker"),
    Step(
        "Timeline: `Escape` `Escape`, `g`, `-`, `s`, `Home`, `Enter`",
        ("escape", "escape", "g", "minus", "s", "home", SHOT, "enter"),
        "timeline",
    ),
    Step("Releases: `L`, `Enter`", ("L", SHOT, "enter"), "releases"),
    Step("Export: `Escape`, `e`, `Ctrl+S`", ("escape", "e", SHOT, "ctrl+s"), "export"),
    Step("Every key: `?`", ("question_mark", SHOT, "escape"), "help"),
)


def sample_notice(path: Path) -> str:
    """What `foia` says when it opens the sample on a first start (foia_tui/cli/opening.py)."""
    return opening.sample_notice(path, made=True)


def app_on_sample(folder: Path) -> FoiaApp:
    """The app as `foia` with no arguments starts it, on a copy of the sample in `folder` (half-block pages)."""
    copy = folder / "archive.db"
    shutil.copyfile(SAMPLE, copy)
    archive = Archive.open(copy, create=False)
    archive.source_root = SAMPLE.parent  # the sample's documents are stored relative to the repository
    return FoiaApp(archive, notice=sample_notice(copy))


def run_headless(app: FoiaApp):
    """Pilot's context for the app at the tour's terminal size, with notifications drawn as a user sees them."""
    return app.run_test(size=SIZE, notifications=True)


async def press(pilot: Pilot, key: str) -> None:
    if key.startswith(TYPE):
        await pilot.press(*key.removeprefix(TYPE))
        await pilot.pause(DEBOUNCE_S + 0.1)  # results as you type come once typing stops
    else:
        await pilot.press(key)
    await settle(pilot)


Check = Callable[[int, Step], None]


async def walk(pilot: Pilot, at_shot: Check, after: Check) -> None:
    """First start, then each step of the tour: `at_shot(n, step)` where its screenshot is taken (once the app
    has settled), `after(n, step)` when its last key is done; n = 0 is the first start."""
    await settle(pilot)
    for number, step in enumerate((FIRST_START, *STEPS)):
        if number:
            pilot.app.clear_notifications()  # only what this step says is on its screenshot
        for key in step.keys:
            if key == SHOT:
                at_shot(number, step)
            else:
                await press(pilot, key)
        after(number, step)


def save_screenshot(app: FoiaApp, name: str, out: Path) -> Path:
    """The screen as an SVG, with text cursors drawn steadily (a blinking one would make runs differ)."""
    for screen in app.screen_stack:
        for field in screen.query(Input):
            field.cursor_blink = False
    return Path(app.save_screenshot(f"{name}.svg", path=str(out)))


async def take_screenshots(folder: Path, out: Path) -> list[Path]:
    app = app_on_sample(folder)
    saved: list[Path] = []

    def shoot(number: int, step: Step) -> None:
        if step.shot:
            saved.append(save_screenshot(app, step.shot, out))

    try:
        async with run_headless(app) as pilot:
            await walk(pilot, shoot, lambda number, step: None)
    finally:
        app.archive.close()
    return saved


def main() -> None:
    parser = argparse.ArgumentParser(description="Regenerate the README tour's screenshots from the sample.")
    parser.add_argument("--out", type=Path, default=DOCS, help="folder for the SVGs (default: docs/)")
    args = parser.parse_args()
    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.gettempdir()) / "foia-sample"  # a fixed path: it is on the status line
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    os.chdir(folder)  # the export dialog offers ./foia-export.md, and the tour's Ctrl+S writes it here
    for path in asyncio.run(take_screenshots(folder, out)):
        print(path)


if __name__ == "__main__":
    main()
