"""End to end in a real terminal: the installed `foia` runs inside tmux on a generated archive; keys go in
with send-keys and the screen comes back with capture-pane."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.support.archive_factory import LEAKED_NAME, build_small_archive

TMUX = shutil.which("tmux")
pytestmark = pytest.mark.skipif(TMUX is None, reason="tmux is not installed")


def foia_command() -> str:
    found = shutil.which("foia") or str(Path(sys.executable).parent / "foia")
    if not Path(found).exists():
        pytest.skip("the foia command is not installed")
    return found


class Terminal:
    def __init__(self, session: str) -> None:
        self.session = session

    def tmux(self, *args: str) -> str:
        return subprocess.run([TMUX, *args], check=True, capture_output=True, text=True).stdout

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", self.session)

    def wait_for(self, text: str, timeout: float = 60.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.1)
        raise AssertionError(f"{text!r} never appeared; the screen was:\n{self.screen()}")

    def keys(self, *keys: str) -> None:
        self.tmux("send-keys", "-t", self.session, *keys)

    def wait_until(self, done, what: str, timeout: float = 10.0) -> None:
        """Poll until done() holds (the screen changes between two keys, e.g. a bar closing)."""
        deadline = time.monotonic() + timeout
        while not done():
            if time.monotonic() > deadline:
                raise AssertionError(f"{what} never happened; the screen was:\n{self.screen()}")
            time.sleep(0.1)


@pytest.fixture
def terminal(tmp_path):
    small = build_small_archive(tmp_path / "release")
    small.archive.close()
    session = f"foia-e2e-{tmp_path.name}"[:60]
    term = Terminal(session)
    # COLUMNS/LINES (set by some test runners) would override the pane's real size; the app runs in tmp_path,
    # where an export it proposes lands.
    command = f"env -u COLUMNS -u LINES TERM=xterm-256color {foia_command()} --db {small.path}"
    term.tmux("new-session", "-d", "-s", session, "-x", "140", "-y", "40", "-c", str(tmp_path), command)
    try:
        yield term
    finally:
        subprocess.run([TMUX, "kill-session", "-t", session], capture_output=True)


def test_foia_in_a_real_terminal(terminal):
    terminal.wait_for("Homeland Security contacts")
    terminal.wait_for("Threads (3)")
    terminal.wait_for("3 threads · 6 messages")
    terminal.keys("G", "Enter")
    terminal.wait_for("Thread (3 messages)")
    screen = terminal.wait_for("Contact █ (b)(6) █ for accounts.")
    assert LEAKED_NAME not in screen
    terminal.keys("n", "r")
    screen = terminal.wait_for(f"LEAKED: {LEAKED_NAME}")
    terminal.keys("/")
    terminal.wait_for("Close search")  # typed before the bar has focus, the keys would go elsewhere
    terminal.keys("-l", "onboarding")
    screen = terminal.wait_for("1 thread · 2 messages")
    terminal.keys("Enter")
    deadline = time.monotonic() + 10
    while terminal.screen().startswith("/") and time.monotonic() < deadline:  # the search bar closes
        time.sleep(0.1)
    assert "query: onboarding" in terminal.screen()
    terminal.keys("?")
    terminal.wait_for("Keys")
    screen = terminal.wait_for("Leaked text")
    assert "Original page" in screen
    terminal.keys("Escape")
    deadline = time.monotonic() + 10
    while "Keys" in terminal.screen() and time.monotonic() < deadline:  # (ESC then q at once would be alt+q)
        time.sleep(0.1)
    terminal.keys("q")
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if subprocess.run([TMUX, "has-session", "-t", terminal.session], capture_output=True).returncode:
            break
        time.sleep(0.1)
    else:
        raise AssertionError("q did not quit the app")


def test_search_open_next_match_tag_the_excerpt_and_export_it(terminal, tmp_path):
    terminal.wait_for("3 threads · 6 messages")
    terminal.keys("/")
    terminal.wait_for("Close search")
    terminal.keys("-l", "positive results")
    terminal.wait_for("1 thread · 1 message")
    terminal.keys("Enter")
    terminal.wait_until(lambda: not terminal.screen().startswith("/"), "the search bar closing")
    terminal.keys("Enter")  # open the one thread found: on its matching email, the first match current
    terminal.wait_for("match 1 of 2")
    terminal.keys("n")
    terminal.wait_for("match 2 of 2")
    terminal.keys("v")
    terminal.wait_for("SELECT 7 chars “results”")  # selection starts on the match n went to
    terminal.keys("W", "W")
    terminal.wait_for("“results. Budget”")
    terminal.keys("t")
    terminal.wait_for("Tag excerpt")
    terminal.keys("-l", "evidence")
    terminal.keys("Enter")
    terminal.wait_until(lambda: "SELECT" not in terminal.screen(), "selection mode ending once tagged")
    terminal.wait_for("#evidence")
    terminal.keys("e")
    terminal.wait_for("Only the search: positive results")
    terminal.keys("C-s")
    terminal.wait_for("Exported 1 passage")
    written = (tmp_path / "foia-export.md").read_text()
    assert "results. Budget" in written and "evidence" in written
