"""The timeline screen driven from the keyboard (Pilot) and photographed at each zoom (snapshots)."""

from __future__ import annotations

import hashlib
import random
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from textual.app import App
from textual.widgets import Input, Static

from foia_tui.app.app import FoiaApp
from foia_tui.app.screens.main import MainScreen
from foia_tui.app.screens.timeline import EventDialog, TimelineChart, TimelineScreen
from foia_tui.archive import Archive
from foia_tui.archive.store import store_document
from foia_tui.archive.timeline import list_events
from foia_tui.domain.timeline import bucket_end, bucket_label, bucket_start, shift
from foia_tui.services.rethreading import rebuild_conversations
from foia_tui.services.timeline import bucket_counts
from importers.records import Address, DocumentRecord, MessageRecord
from tests.conftest import settle
from tests.support.sql import sql_rows

SIZE = (110, 34)
PEOPLE = [
    Address("Hoan Ton-That", "hoan@clearview.example"),
    Address("Inspector Ruiz", "ruiz@nypd.example"),
    Address("[b]Mallory[/b]", "mallory@example.org"),  # markup in a name must show literally
    Address("Dana Lee", "dana@nypd.example"),
    Address("Sam Ortiz", "sam@counsel.example"),
]
SUBJECTS = ["Clearview trial", "Budget for licenses", "Arrest report", "Press inquiry", "Budget review"]


def build_archive(path: Path, count: int = 160, seed: int = 4) -> Archive:
    """Conversations over 2018-2019 with Message-ID threading; bursts in spring 2019. Same seed, same archive."""
    rng = random.Random(seed)
    archive = Archive.open(path)
    messages: list[MessageRecord] = []
    conversation = 0
    while len(messages) < count:
        subject = SUBJECTS[conversation % len(SUBJECTS)]
        month = rng.choice([*range(1, 25), 15, 15, 15, 16, 16])  # months after 2017-12; 15-16 = Mar-Apr 2019
        when = datetime(2017, 12, 1) + timedelta(days=30 * month + rng.randint(0, 27), hours=rng.randint(8, 18))
        cast = rng.sample(PEOPLE, 3)
        parent = None
        for n in range(rng.randint(1, 6)):
            message_id = f"c{conversation}.{n}@example"
            messages.append(
                MessageRecord(
                    ordinal=len(messages),
                    subject=("Re: " if n else "") + subject,
                    sender=cast[n % 3],
                    to=[p for p in cast if p != cast[n % 3]],
                    sent=(when + timedelta(hours=5 * n)).isoformat() + "-05:00",
                    body=f"Message {len(messages)} about {subject.lower()}.",
                    message_id=message_id,
                    in_reply_to=parent,
                )
            )
            parent = message_id
        conversation += 1
    data = b"generated"
    store_document(archive, DocumentRecord("generated.mbox", hashlib.sha256(data).hexdigest(), "mbox", messages))
    rebuild_conversations(archive)
    return archive


def budget_hits(archive: Archive) -> list[str]:
    """The messages a search for "budget" should find, computed the plain way."""
    return [r["id"] for r in sql_rows(archive, "SELECT id FROM messages WHERE subject LIKE '%Budget%'")]


class TimelineApp(App):
    """The smallest app that shows the screen, and remembers what it was dismissed with."""

    def __init__(self, archive: Archive, query: str | None = None, unit: str = "month") -> None:
        super().__init__()
        self.archive, self.search, self.unit = archive, query, unit
        self.chosen: object = "not dismissed"

    def on_mount(self) -> None:
        self.push_screen(TimelineScreen(self.archive, query=self.search, unit=self.unit), self.remember)

    def remember(self, result) -> None:
        self.chosen = result


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Archive:
    archive = build_archive(tmp_path_factory.mktemp("app") / "timeline.db")
    yield archive
    archive.close()


def text_of(screen, selector: str) -> str:
    return screen.query_one(selector, Static).content.plain


def chart_text(screen) -> str:
    return screen.query_one(TimelineChart).render().plain


async def test_screen_shows_counts_hits_and_lanes(archive):
    hits = budget_hits(archive)
    app = TimelineApp(archive, "budget")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, TimelineScreen)
        title = text_of(screen, "#timeline-title")
        assert "by month" in title and "160 messages" in title and f"{len(hits)} hits" in title
        chart = chart_text(screen)
        assert "[b]Mallory[/b]" in chart  # literal, never markup
        assert "Hoan Ton-That" in chart
        # the cursor starts on the last month; the summary counts it
        last = max(bucket_counts(archive, "month").counts)
        summary = text_of(screen, "#timeline-summary")
        assert summary.startswith(f"{last:%Y-%m} ({last.isoformat()} – {bucket_end(last, 'month').isoformat()})")


async def test_arrows_and_enter_choose_a_period(archive):
    app = TimelineApp(archive, unit="month")
    series = bucket_counts(archive, "month")
    last = max(series.counts)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("left", "left", "right", "left")
        await settle(pilot)
        expected = shift(last, "month", -2)
        assert text_of(app.screen, "#timeline-summary").startswith(f"{expected:%Y-%m}")
        await pilot.press("enter")
        await settle(pilot)
    assert app.chosen == (expected, bucket_end(expected, "month"))


async def test_zoom_keeps_the_cursor_on_its_date(archive):
    app = TimelineApp(archive, unit="month")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("home")
        await settle(pilot)
        days = sorted(bucket_counts(archive, "day").counts)
        await pilot.press("plus")
        await settle(pilot)
        assert "by week" in text_of(app.screen, "#timeline-title")
        first_week = bucket_label(bucket_start(days[0], "week"), "week")
        assert text_of(app.screen, "#timeline-summary").startswith(first_week)
        await pilot.press("plus", "plus")  # day is the finest
        await settle(pilot)
        assert "by day" in text_of(app.screen, "#timeline-title")
        assert text_of(app.screen, "#timeline-summary").startswith(days[0].isoformat())
        await pilot.press("shift+right")  # the next day with messages
        await settle(pilot)
        busy = days[1]
        assert text_of(app.screen, "#timeline-summary").startswith(busy.isoformat())
        await pilot.press("enter")
        await settle(pilot)
    assert app.chosen == (busy, busy)


async def test_lanes_toggle_between_people_and_threads(archive):
    app = TimelineApp(archive)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("down")
        await settle(pilot)
        second = app.screen.data.lanes[1]
        assert text_of(app.screen, "#timeline-summary").splitlines()[1].startswith(second.label)
        await pilot.press("s")
        await settle(pilot)
        assert "lanes: threads" in text_of(app.screen, "#timeline-title")
        subjects = {r["subject"] for r in sql_rows(archive, "SELECT subject FROM threads")}
        assert {lane.label for lane in app.screen.data.lanes} <= subjects
        assert app.screen.lane_cursor == 0


async def test_a_adds_an_event_at_the_cursor(tmp_path):
    archive = build_archive(tmp_path / "events.db", count=40)
    app = TimelineApp(archive)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        day = app.screen.data.start(app.screen.cursor)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, EventDialog)
        assert app.screen.query_one("#event-date", Input).value == day.isoformat()
        await pilot.press(*"Trial period ends", "enter")
        await settle(pilot)
        assert isinstance(app.screen, TimelineScreen)
        assert "Trial period ends▼" in chart_text(app.screen)  # at the right edge: label left of the marker
        assert "▼ Trial period ends" in text_of(app.screen, "#timeline-summary")
        await pilot.press("a", "ctrl+a")
        await settle(pilot)
        dialog = app.screen
        dialog.query_one("#event-date", Input).value = "2019-02-30"
        dialog.query_one("#event-label", Input).focus()
        await pilot.press("x", "enter")
        await settle(pilot)
        assert app.screen is dialog and "not a date" in text_of(dialog, "#event-error")
        await pilot.press("escape", "escape")
        await settle(pilot)
    assert [(e.date, e.label) for e in list_events(archive)] == [(day, "Trial period ends")]
    assert app.chosen is None
    archive.close()


async def test_a_malformed_search_is_explained_and_the_timeline_still_shows(archive):
    app = TimelineApp(archive, 'budget "unclosed')
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        title = text_of(app.screen, "#timeline-title")
        assert "search not shown" in title and "quote" in title
        assert "160 messages" in title and app.screen.data.hits is None


async def test_an_event_that_cannot_be_saved_is_reported_not_raised(tmp_path):
    build_archive(tmp_path / "ro.db", count=20).close()
    archive = Archive.open(tmp_path / "ro.db", readonly=True)
    app = TimelineApp(archive)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("a", *"Raid", "enter")
        await settle(pilot)
        assert isinstance(app.screen, TimelineScreen)
        assert "event not saved" in text_of(app.screen, "#timeline-title")
        assert any("event not saved" in n.message for n in app._notifications)
    assert list_events(archive) == []
    archive.close()


async def test_an_empty_archive_says_how_to_fill_it(tmp_path):
    archive = Archive.open(tmp_path / "empty.db")
    app = TimelineApp(archive)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "import a release" in chart_text(app.screen)
        await pilot.press("left", "plus", "enter", "down", "s")
        await settle(pilot)
        assert app.chosen == "not dismissed"
    archive.close()


# -- inside the app: `g` from the main screen, Enter filters its thread list -----------------------------------------


def threads_between(archive: Archive, start, end, where: str = "1") -> set[str]:
    return {
        r["thread_id"]
        for r in sql_rows(
            archive,
            f"""SELECT DISTINCT thread_id FROM messages WHERE duplicate_of IS NULL AND sent_sort >= ?
                AND sent_sort < ? AND {where}""",
            (start.isoformat(), (end + timedelta(days=1)).isoformat()),
        )
    }


def listed_threads(main: MainScreen) -> set[str]:
    threads = main.thread_list
    return {t.id for t in threads.source.fetch(0, threads.count)}


async def test_g_then_enter_filters_the_thread_list_to_the_period(archive):
    app = FoiaApp(archive)
    weeks = bucket_counts(archive, "week")
    async with app.run_test(size=(130, 40)) as pilot:
        await settle(pilot)
        main = app.screen
        assert isinstance(main, MainScreen)
        await pilot.press("g")
        await settle(pilot)
        assert isinstance(app.screen, TimelineScreen) and app.screen.unit == "week"
        await pilot.press("shift+left", "left", "right")  # the busy week before the last one
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is main
        start = sorted(weeks.counts)[-2]
        end = bucket_end(start, "week")
        assert main.query_text == f"date:{start.isoformat()}..{end.isoformat()}"
        assert listed_threads(main) == threads_between(archive, start, end)
        # with a search on, the timeline overlays it and Enter keeps it, narrowed to the period
        main.show_query("budget")
        await settle(pilot)
        await pilot.press("g")
        await settle(pilot)
        assert "search 'budget'" in text_of(app.screen, "#timeline-title")
        await pilot.press("minus", "home", "shift+right")
        await settle(pilot)
        month = app.screen.data.start(app.screen.cursor)
        await pilot.press("enter")
        await settle(pilot)
        end = bucket_end(month, "month")
        assert main.query_text == f"(budget) date:{month.isoformat()}..{end.isoformat()}"
        assert listed_threads(main) == threads_between(archive, month, end, "subject LIKE '%budget%'")
        await pilot.press("g", "escape")  # Escape leaves the list as it was
        await settle(pilot)
        assert app.screen is main and main.query_text.startswith("(budget) date:")


# -- snapshots at each zoom, with the search overlaid ---------------------------------------------------------------


@pytest.fixture(scope="module")
def snapshot_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("snap") / "timeline.db"
    build_archive(path).close()
    return path


@pytest.mark.parametrize(("unit", "keys"), [("month", []), ("week", ["left"] * 3), ("day", ["shift+left"] * 2)])
def test_snapshot_at_each_zoom_with_search_overlay(snap_compare, snapshot_db, unit, keys):
    archive = Archive.open(snapshot_db)
    app = TimelineApp(archive, "budget", unit=unit)

    async def run_before(pilot) -> None:
        await settle(pilot)
        await pilot.press(*keys)
        await settle(pilot)

    try:
        assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
    finally:
        archive.close()
