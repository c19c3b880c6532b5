"""Hostile document text in every widget: markup, escape sequences, control characters, bidi overrides and a
5 MB body are all drawn literally; nothing in a document can run an action, make a link or reach the terminal.
"""

from __future__ import annotations

import time

import pytest
from rich.segment import Segment
from textual.geometry import Region
from textual.widget import Widget
from textual.widgets import Static

from foia_tui.app.app import FoiaApp
from foia_tui.app.screens.main import MainScreen
from foia_tui.app.screens.original import OriginalPageScreen
from foia_tui.app.widgets.search_bar import SearchBar
from foia_tui.app.widgets.sidebar import Sidebar
from foia_tui.app.widgets.status import StatusLine
from foia_tui.app.widgets.thread_list import ThreadList
from foia_tui.app.widgets.thread_view import ThreadView
from foia_tui.archive import Archive
from foia_tui.archive.search import save_search
from foia_tui.archive.store import store_document
from foia_tui.archive.tags import tag_messages
from foia_tui.services.rethreading import rebuild_conversations
from importers.records import Address, AttachmentRecord, MessageRecord, PageRecord, RedactionRecord
from tests.conftest import settle
from tests.support.archive_factory import (
    HSI,
    add_releases,
    build_small_archive,
    document,
    screen_text,
    write_pdf,
)
from tests.support.sql import sql_rows

MARKUP = "[bold red]LOUD[/] [@click=app.quit]quit[/] [link=https://e.x]link[/link]"
ANSI = "\x1b[31mred\x1b[0m \x1b]8;;https://evil.example\x1b\\osc8\x1b]8;;\x1b\\ \x1b[2J"
CONTROLS = "bell\x07 nul\x00 back\x08 del\x7f"
BIDI = "\u202etxt.exe\u202c"
HOSTILE = f"{MARKUP} {ANSI} {CONTROLS} {BIDI}"
HUGE_BODY_CHARS = 5_000_000
FORBIDDEN = ("\x1b", "\x07", "\x00", "\x08", "\x7f", "\u202e", "\u202c")
SIZE = (160, 50)


@pytest.fixture
def hostile(tmp_path) -> Archive:
    archive = Archive.open(tmp_path / "archive.db")
    pdf = tmp_path / "[bold]release[@click=app.quit] \x1b[31m.pdf"  # no "/": it would be a folder
    data = write_pdf(pdf, ["Page with hostile text"], {1: [(40, 40, 30, 6)]})
    body = f"{HOSTILE}\nBox: █[REDACTED (b)(6)]█ end.\n"
    first = MessageRecord(
        0,
        f"{MARKUP} {BIDI}",
        Address(MARKUP, "boss@evil.example", MARKUP),
        [Address(ANSI, None, ANSI)],
        sent="2019-01-01T10:00:00",
        body=body,
        message_id="hostile-1@evil.example",
        page_start=1,
        page_end=1,
        bates_start=f"[@click=app.quit]{BIDI}",
        copy_kind="print",
        redactions=[RedactionRecord(1, None, "[@click=app.quit]", body.index("█"), HOSTILE)],
        attachments=[AttachmentRecord(MARKUP, ANSI, 10)],
    )
    huge = MessageRecord(
        1,
        "Re: huge",
        Address("Sender", "s@evil.example", "Sender <s@evil.example>"),
        [],
        sent="2019-01-02T10:00:00",
        body=("[@click=app.quit]boom[/] \x1b[5m" * (HUGE_BODY_CHARS // 30 + 1))[:HUGE_BODY_CHARS],
        message_id="hostile-2@evil.example",
        in_reply_to="hostile-1@evil.example",
        page_start=1,
        page_end=1,
        copy_kind="print",
    )
    doc = document(pdf, "pdf", [first, huge], [PageRecord(1, HOSTILE, f"[link=x]{BIDI}")], data)
    store_document(archive, doc)
    rebuild_conversations(archive)
    ids = [row["id"] for row in sql_rows(archive, "SELECT id FROM messages ORDER BY ordinal")]
    tag_messages(archive, MARKUP, ids[:1])
    save_search(archive, MARKUP.replace('"', ""), "boom")
    return archive


def segments(widget: Widget) -> list[Segment]:
    strips = widget.render_lines(Region(0, 0, widget.size.width, widget.size.height))
    return [segment for strip in strips for segment in strip]


def assert_inert(widget: Widget) -> str:
    """Nothing drawn by the widget carries a link, an action or a raw control character; returns its text."""
    drawn = segments(widget)
    assert drawn, f"{widget!r} drew nothing"
    for segment in drawn:
        assert not any(c in segment.text for c in FORBIDDEN), (widget, segment.text)
        style = segment.style
        if style is not None:
            assert not style.link, (widget, segment)
            assert not any(key.startswith("@") for key in style.meta), (widget, segment)
    return "".join(segment.text for segment in drawn)


async def test_every_widget_draws_hostile_text_literally(hostile):
    app = FoiaApp(hostile)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert "[bold red]LOUD[/]" in assert_inert(screen.query_one(ThreadList))
        sidebar = screen.query_one(Sidebar)
        assert "[bold red]" in assert_inert(sidebar)  # cut to the sidebar's width, still literal
        labels = [leaf.label.plain for section in sidebar.root.children for leaf in section.children]
        assert "#[bold red]LOUD[/] …k[/link] 1" in labels  # cut in the middle to fit, literal at both ends, count after

        started = time.perf_counter()
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("x", "r")
        await settle(pilot)
        opened = time.perf_counter() - started
        view = screen.query_one(ThreadView)
        text = assert_inert(view)
        laid_out = "\n".join(strip.text for strip in view._lines)
        for literal in ("[bold red]LOUD[/]", "[@click=app.quit]quit[/]", "[link=https://e.x]link[/link]"):
            assert literal in laid_out
        assert "␛[31mred␛[0m" in laid_out and "bell␇" in laid_out and "<U+202E>txt.exe" in laid_out
        assert "█ [@click=app.quit] █ LEAKED:" in laid_out  # a hostile exemption code and leak, literal
        assert "truncated:" in laid_out  # the 5 MB body is cut with an indicator
        assert opened < 10, f"opening a thread with a 5 MB body took {opened:.1f} s"
        assert text

        bar = screen.query_one(SearchBar)
        await pilot.press("/")
        bar.input.value = MARKUP
        await pilot.pause(0.4)
        await settle(pilot)
        assert_inert(bar.query_one("#search-feedback", Static))
        await pilot.press("escape")
        assert "[@click=app.quit]" in assert_inert(screen.query_one(StatusLine))

        column = screen_text(app).splitlines()
        for y, line in enumerate(column):  # clicking the drawn "action" does nothing
            x = line.find("[@click=app.quit]quit")
            if x >= 0:
                await pilot.click(offset=(x + 2, y))
                break
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, MainScreen)


async def test_original_page_draws_hostile_page_text_literally(hostile):
    app = FoiaApp(hostile)
    async with app.run_test(size=(220, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        page = app.screen
        assert isinstance(page, OriginalPageScreen)
        assert "[bold red]LOUD[/]" in assert_inert(page.query_one("#page-text", Static))
        title = assert_inert(page.query_one("#page-title", Static))
        assert "Bates [link=x]<U+202E>txt.exe" in title and "[bold]release[@click=app.quit] ␛[31m." in title
        assert page.query(".page-image")  # the file's odd name did not stop it rendering


async def test_text_another_release_shows_under_a_box_is_drawn_literally(tmp_path):
    small = build_small_archive(tmp_path)
    exposed = "\x1b[2J[@click=app.quit]x[/]"
    add_releases(small, exposed)
    app = FoiaApp(small.archive)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("end", "enter")
        await settle(pilot)
        await pilot.press("n", "n", "r")
        await settle(pilot)
        view = app.screen.query_one(ThreadView)
        assert "[@click=app.quit]x[/]" in assert_inert(view)  # on screen, and inert
        laid_out = " ".join(" ".join(strip.text for strip in view._lines).split())
        assert f"█ POL 87(2)(b) █ readable in {HSI}: ␛[2J[@click=app.quit]x[/]" in laid_out
