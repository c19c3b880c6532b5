"""The app, driven with Pilot on real archives: every screen and binding, empty and error states."""

from __future__ import annotations

import sqlite3
from contextlib import closing

import pytest
from click.testing import CliRunner
from rich.style import Style
from textual.command import CommandPalette
from textual.widgets import DataTable, Static

from foia_tui.app.app import FoiaApp
from foia_tui.app.bindings import binding_catalogue
from foia_tui.app.screens.about import AboutScreen
from foia_tui.app.screens.help import HelpScreen
from foia_tui.app.screens.main import MainScreen
from foia_tui.app.screens.original import OriginalPageScreen
from foia_tui.app.screens.releases import ReleasesScreen
from foia_tui.app.widgets.message_body import BodyStyles, render_body
from foia_tui.app.widgets.search_bar import SearchBar
from foia_tui.app.widgets.sidebar import Sidebar
from foia_tui.archive import Archive
from foia_tui.archive.browse import Exposure, Redaction
from foia_tui.archive.releases import add_release
from foia_tui.archive.store import store_document
from foia_tui.cli import main
from foia_tui.services.rethreading import rebuild_conversations
from importers.records import MessageRecord
from tests.conftest import settle
from tests.support.archive_factory import (
    EXPOSED,
    HOAN,
    HSI,
    LEAKED_NAME,
    NYPD,
    REDACTED,
    add_releases,
    build_bulk_archive,
    build_small_archive,
    document,
    screen_text,
)
from tests.support.sql import sql_value

SIZE = (120, 40)
DEBOUNCE_WAIT = 0.4


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """One read-only small archive shared by the tests that only read it."""
    return build_small_archive(tmp_path_factory.mktemp("small"))


def view_text(screen: MainScreen) -> str:
    """Every line the thread view has laid out (also those scrolled out of sight)."""
    return "\n".join(strip.text for strip in screen.reading_view._lines)


async def open_trial(pilot) -> MainScreen:
    screen = pilot.app.screen
    await pilot.press("end", "enter")
    await settle(pilot)
    assert screen.thread.subject == "Clearview trial"
    return screen


async def test_main_screen_lists_threads_newest_first_with_markers(small):
    app = FoiaApp(small.archive)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        threads = screen.thread_list
        assert [threads.row(i).subject for i in range(threads.count)] == [
            "Homeland Security contacts",
            "Onboarding",
            "Clearview trial",
        ]
        text = screen_text(app)
        rows = {line for line in text.splitlines() if "Clearview trial" in line or "Onboarding" in line}
        trial = next(line for line in rows if "Clearview trial" in line)
        onboarding = next(line for line in rows if "Onboarding" in line)
        assert "█!+" in trial and "2018-12-03→2019-01-08" in trial and "#key-quote" in trial
        assert "+" in onboarding and "#key-quote" in onboarding
        assert "3 threads · 6 messages" in text and "/archive.db" in text
        assert "#follow-up 1" in text and "Hoan Ton-That 5" in text and "NYPD-release.pdf 3" in text
        assert not list(threads.children)  # a virtual list: no widget per row


async def test_notice_is_on_the_status_line_and_notified(small):
    notice = "No archive here: showing a private copy of the bundled sample."
    app = FoiaApp(small.archive, notice=notice)
    async with app.run_test(size=(160, 30)) as pilot:
        await settle(pilot)
        assert notice in screen_text(app)
        assert any(n.message == notice for n in app._notifications)


async def test_keys_move_the_cursor_and_enter_opens_the_thread(small):
    app = FoiaApp(small.archive)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        threads = screen.thread_list
        await pilot.press("j", "j")
        assert threads.cursor == 2
        await pilot.press("k")
        assert threads.cursor == 1
        await pilot.press("down", "up", "down")
        assert threads.cursor == 2
        await pilot.press("home")
        assert threads.cursor == 0
        await pilot.press("j", "enter")
        await settle(pilot)
        assert app.focused is screen.reading_view
        assert [m.subject for m in screen.reading_view.messages] == ["Onboarding", "Re: Onboarding"]
        await pilot.press("escape")
        assert app.focused is threads
        await pilot.press("]")
        await settle(pilot)
        assert screen.thread.subject == "Clearview trial"
        await pilot.press("[")
        await settle(pilot)
        assert screen.thread.subject == "Onboarding" and threads.cursor == 1


async def test_thread_view_reads_in_order_and_j_k_enter_move_and_expand(small):
    app = FoiaApp(small.archive)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await open_trial(pilot)
        view = screen.reading_view
        assert [m.sent for m in view.messages] == ["2018-12-03T09:15:00", "2018-12-04T11:00:00", "2019-01-08T10:02:00"]
        assert view.focused_message_id == small.ids["trial0"]
        assert "Happy to set up the trial" in view_text(screen)
        assert "We continue to receive positive results" not in view_text(screen)  # collapsed
        await pilot.press("J", "J")
        assert view.focused_message_id == small.ids["trial2"]
        assert "We continue to receive positive results" in view_text(screen)
        await pilot.press("K")
        assert view.focused_message_id == small.ids["trial1"]
        await pilot.press("enter")  # collapse the focused email
        assert "App is working great" not in view_text(screen)
        await pilot.press("enter")
        assert "App is working great" in view_text(screen)
        await pilot.press("x")  # all three are open: x closes them all, then opens them all
        assert not view._expanded
        await pilot.press("x")
        assert all(m.id in view._expanded for m in view.messages)
        await pilot.press("j", "k", "pagedown", "pageup", "end")
        assert view.focused_message_id == small.ids["trial2"]
        await pilot.press("home")
        assert view.focused_message_id == small.ids["trial0"]
        await pilot.press("q")
        assert app.focused is screen.thread_list


async def test_thread_view_api_for_other_widgets_focuses_reads_and_selects(small):
    app = FoiaApp(small.archive)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await open_trial(pilot)
        view = screen.reading_view
        view.focus_message(small.ids["trial2"])
        assert view.focused_message_id == small.ids["trial2"]
        body = view.body_text()
        assert body.startswith("We continue to receive positive results.")
        start = body.index("positive")
        view.select_span(start, start + len("positive results"))
        await pilot.pause()
        assert view.selection == (small.ids["trial2"], start, start + len("positive results"))
        selected = view.get_component_rich_style("thread-view--selection")
        drawn = [seg for strip in view._lines for seg in strip if seg.style and seg.style.bgcolor == selected.bgcolor]
        assert "".join(seg.text for seg in drawn) == "positive results"
        view.clear_selection()
        assert view.selection is None
        assert view.body_text(small.ids["trial0"]).startswith("Happy to set up the trial.")


async def test_redaction_boxes_show_codes_and_r_toggles_leaked_text(small):
    app = FoiaApp(small.archive)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await open_trial(pilot)
        await pilot.press("x")
        text = view_text(screen)
        assert "Contact █ (b)(6) █ for accounts." in text
        assert "█ POL 87(2)(b) █ is approved" in text
        assert "█[REDACTED" not in text
        assert LEAKED_NAME not in text and "1 leaked" in text
        await pilot.press("r")
        text = view_text(screen)
        assert f"█ (b)(6) █ LEAKED: {LEAKED_NAME}" in text and "leaked text shown" in text
        assert screen.reading_view.leak_count == 1
        await pilot.press("r")
        assert LEAKED_NAME not in view_text(screen)


async def test_quoted_chain_is_folded_until_z(small):
    app = FoiaApp(small.archive)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await open_trial(pilot)
        await pilot.press("n")
        text = view_text(screen)
        assert "quoted text folded: 3 lines" in text and "> Happy to set up" not in text
        await pilot.press("z")
        text = view_text(screen)
        assert "> Happy to set up the trial." in text and "quoted text folded" not in text


async def test_every_email_shows_provenance_copies_and_attachments(small):
    app = FoiaApp(small.archive)
    async with app.run_test(size=(220, 50)) as pilot:  # wide enough for the temporary paths on one line
        await settle(pilot)
        screen = await open_trial(pilot)
        await pilot.press("x")
        text = view_text(screen)
        for page in (1, 2, 3):
            assert f"NYPD-release.pdf p. {page} NYPD-00000{page}" in text  # on every header line
            assert f"NYPD-release.pdf · p. {page} · Bates NYPD-00000{page} · printed copy" in text
        assert "Copies of this email: 1" in text
        assert "NYPD-release-part2.pdf · p. 5 · Bates NYPD-000105 · printed copy  1 redaction" in text
        assert "Attachment: results.xlsx  (application/vnd.ms-excel, 24 KB)" in text
        assert "Tags:    #key-quote" in text


async def test_search_as_you_type_with_inline_errors_and_no_hits(small):
    app = FoiaApp(small.archive)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        bar = screen.query_one(SearchBar)
        await pilot.press("/")
        assert bar.is_open and app.focused is bar.input
        await pilot.press(*"trial")
        await pilot.pause(DEBOUNCE_WAIT)
        await settle(pilot)
        assert screen.thread_list.count == 2
        assert "2 threads · 4 messages" in screen_text(app) and "query: trial" in screen_text(app)
        bar.input.value = "from:"
        await pilot.pause(DEBOUNCE_WAIT)
        await settle(pilot)
        feedback = str(bar.query_one("#search-feedback", Static).render())
        assert "from: needs a value" in feedback and bar.query_one("#search-feedback").has_class("-error")
        assert screen.thread_list.count == 2  # the last good result stays
        bar.input.value = "xyzzy"
        await pilot.pause(DEBOUNCE_WAIT)
        await settle(pilot)
        assert "No threads match xyzzy" in screen_text(app) and "no hits" in screen_text(app)
        bar.input.value = "tag:follow-up"
        await pilot.press("enter")
        await settle(pilot)
        assert not bar.is_open and app.focused is screen.thread_list
        assert [screen.thread_list.row(0).subject] == ["Homeland Security contacts"]
        await pilot.press("escape")
        await settle(pilot)
        assert screen.thread_list.count == 3 and screen.query_text == ""


async def test_sidebar_entries_filter_the_thread_list(small):
    app = FoiaApp(small.archive)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        sidebar = screen.query_one(Sidebar)
        sidebar.focus()
        tags = next(node for node in sidebar.root.children if node.label.plain.startswith("Tags"))
        key_quote = next(node for node in tags.children if "#key-quote" in node.label.plain)
        sidebar.cursor_line = key_quote.line
        await pilot.press("enter")
        await settle(pilot)
        assert screen.query_text == 'tag:"key-quote"'
        assert sorted(screen.thread_list.row(i).subject for i in range(2)) == ["Clearview trial", "Onboarding"]
        assert app.focused is screen.thread_list
        sidebar.focus()
        sidebar.cursor_line = 0
        await pilot.press("enter")
        await settle(pilot)
        assert screen.thread_list.count == 3
        sidebar.focus()
        await pilot.press("q")
        assert app.focused is screen.thread_list
        await pilot.press("ctrl+b")
        assert not sidebar.display
        await pilot.press("s")  # s shows it again, focused
        assert sidebar.display and app.focused is sidebar


async def test_original_page_shows_the_pdf_page_beside_its_text(small):
    app = FoiaApp(small.archive)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_trial(pilot)
        await pilot.press("o")
        await settle(pilot)
        page = app.screen
        assert isinstance(page, OriginalPageScreen)
        assert page.query(".page-image")  # the rendered PDF page, drawn by textual-image
        text = screen_text(app)
        assert "NYPD-release.pdf" in text and "page 1" in text and "Bates NYPD-000001" in text
        assert "Happy to set up the trial" in str(page.query_one("#page-text", Static).render())
        assert page.check_action("page", (1,)) is None  # a one-page email: nothing to step to
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


async def test_original_page_says_when_the_file_is_gone_or_not_a_pdf(tmp_path):
    small = build_small_archive(tmp_path)
    small.pdf.unlink()
    app = FoiaApp(small.archive)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_trial(pilot)
        await pilot.press("o")
        await settle(pilot)
        assert "The file is gone" in screen_text(app)
        assert "Happy to set up the trial" in screen_text(app)  # the extracted text is still there
        await pilot.press("q", "q", "home", "j", "enter")
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        assert "not a printed page" in screen_text(app)


async def test_help_screen_lists_every_binding(small):
    app = FoiaApp(small.archive)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        expected = binding_catalogue(app.screen)
        await pilot.press("?")
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        table = help_screen.query_one(DataTable)
        rows = {tuple(str(cell) for cell in table.get_row_at(i)) for i in range(table.row_count)}
        assert {(e.keys, e.description, e.area) for e in expected} == rows
        descriptions = {row[1] for row in rows}
        assert {"Search", "Next message", "Previous message", "Next thread", "Previous thread", "Original page"} <= (
            descriptions
        )
        assert ("O", "Original page of a copy", "Main screen") in rows
        assert ("n", "Next match", "Main screen") in rows and ("S", "Save search", "Main screen") in rows
        operators = str(help_screen.query_one("#help-operators", Static).render())
        assert "exemption:b6" in operators and "date:2019-01..2019-03" in operators
        assert {"Leaked text", "Refresh", "Help", "Commands", "Quit", "Open thread", "Expand/collapse"} <= descriptions
        assert ("j / ↓", "Next thread in list", "Thread list") in rows
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


async def test_command_palette_offers_every_binding_and_runs_it(small):
    app = FoiaApp(small.archive)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"About")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, AboutScreen)
        text = str(app.screen.query_one(Static).render())
        assert "reconstruction made for demonstration" in text and "MIT Technology Review" in text
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


async def test_refresh_shows_messages_another_process_imported(tmp_path):
    small = build_small_archive(tmp_path)
    app = FoiaApp(small.archive)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        writer = Archive.open(small.path, create=False)
        late = MessageRecord(0, "Late arrival", HOAN, [REDACTED], sent="2021-01-01T09:00:00", body="Imported later.")
        store_document(writer, document(tmp_path / "late.eml", "eml", [late]))
        rebuild_conversations(writer)
        writer.close()
        await pilot.press("R")
        await settle(pilot)
        screen = app.screen
        assert screen.thread_list.count == 4 and screen.thread_list.row(0).subject == "Late arrival"
        assert any("1 new message since the last look" in n.message for n in app._notifications)
        await pilot.press("f5")
        await settle(pilot)
        assert any(n.message == "No new messages." for n in app._notifications)


async def test_empty_archive_says_how_to_import(tmp_path):
    archive = Archive.open(tmp_path / "empty.db")
    app = FoiaApp(archive)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        text = " ".join(screen_text(app).replace("│", " ").split())
        assert "This archive is empty" in text and "foia import PATH --db" in text and "empty.db" in text
        await pilot.press("enter", "n", "o", "r")  # nothing to open: no error
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)


async def test_locked_archive_is_a_clear_message_not_a_traceback(tmp_path):
    small = build_small_archive(tmp_path)
    small.archive.close()
    with closing(sqlite3.connect(small.path)) as conn:
        conn.execute("PRAGMA journal_mode = DELETE")  # a rollback-journal archive: a writer locks readers out
    archive = Archive.open(small.path, readonly=True)
    archive.set_busy_timeout(50)
    app = FoiaApp(archive)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        with closing(sqlite3.connect(small.path, isolation_level=None)) as locker:
            locker.execute("BEGIN EXCLUSIVE")
            await pilot.press("R")
            await settle(pilot)
            problem = app.screen.status.problem
            assert "database is locked" in problem and "press R to retry" in problem
            assert any(n.message == problem for n in app._notifications)
            locker.execute("ROLLBACK")
        await pilot.press("R")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen) and app.screen.status.problem == ""


@pytest.mark.parametrize(
    ("content", "reason"), [(None, "no such archive"), (b"not a database at all", "not an SQLite archive")]
)
def test_missing_or_broken_archive_is_one_clear_line(tmp_path, content, reason):
    path = tmp_path / "archive.db"
    if content is not None:
        path.write_bytes(content)
    result = CliRunner().invoke(main, ["--db", str(path)])
    assert result.exit_code == 2
    assert reason in result.stderr and "Traceback" not in result.stderr + result.stdout


async def test_mouse_opens_threads_and_toggles_emails(small):
    app = FoiaApp(small.archive)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        await pilot.click("#threads", offset=(10, 3))  # third row, under the top border
        await settle(pilot)
        assert screen.thread.subject == "Clearview trial"
        view = screen.reading_view
        header = view._starts[1]
        await pilot.click("#thread", offset=(5, header + 1 - round(view.scroll_y)))
        assert view.focused_message_id == small.ids["trial1"] and small.ids["trial1"] in view._expanded


async def test_q_quits_from_the_thread_list(small):
    app = FoiaApp(small.archive)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("q")
        await pilot.pause()
        assert app._exit


async def test_a_large_archive_scrolls_a_page_at_a_time(tmp_path):
    archive = build_bulk_archive(tmp_path / "bulk.db", 1_500, per_document=500)
    app = FoiaApp(archive)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        threads = app.screen.thread_list
        total = sql_value(archive, "SELECT count(*) FROM threads")
        assert threads.count == total and len(threads._pages) == 1
        await pilot.press("end")
        await settle(pilot)
        assert threads.cursor == total - 1 and threads.highlighted is not None
        assert len(threads._pages) == 2 and not list(threads.children)


def test_message_body_maps_stored_offsets_through_boxes_and_folds():
    body = "Call █[REDACTED (b)(6)]█ now.\n\nOn Monday Hoan wrote:\n> earlier text"
    boxes = [Redaction("(b)(6)", 1, body.index("█"), "Jane Roe")]
    styles = BodyStyles(*(Style() for _ in range(6)))
    hidden = render_body(body, boxes, show_leaks=False, fold_quotes=True, styles=styles)
    assert hidden.text.plain == "Call █ (b)(6) █! now.\n▸ quoted text folded: 2 lines (z unfolds)"
    assert hidden.drawn_offset(body.index("now")) == hidden.text.plain.index("now")
    assert hidden.drawn_offset(body.index("(b)(6)")) == hidden.text.plain.index("█")  # inside a box: its edge
    shown = render_body(body, boxes, show_leaks=True, fold_quotes=False, styles=styles)
    assert "█ (b)(6) █ LEAKED: Jane Roe  now." in shown.text.plain and "> earlier text" in shown.text.plain
    exposure = Exposure(0, body.index("█"), "(b)(6)", "555-0100", ("HSI referral",))
    noted = render_body(body, boxes, show_leaks=True, fold_quotes=True, styles=styles, exposures=[exposure])
    assert "█ (b)(6) █ LEAKED: Jane Roe readable in HSI referral: 555-0100  now." in noted.text.plain
    assert noted.drawn_offset(body.index("now")) == noted.text.plain.index("now")  # offsets still map
    unplaced = [Redaction("POL 87(2)(b)", None, None, None)]  # no recorded offset: paired in order
    assert "█ POL 87(2)(b) █" in render_body(body, unplaced, show_leaks=False, fold_quotes=False, styles=styles).text


def drawn_in(view, style_name: str) -> str:
    """The text the thread view draws in one of its component styles (its colours, not reversed by another)."""
    wanted = view.get_component_rich_style(f"thread-view--{style_name}")

    def looks(style) -> tuple:
        return (style.bgcolor, style.color, bool(style.reverse))

    return "".join(
        seg.text for strip in view._lines for seg in strip if seg.style and looks(seg.style) == looks(wanted)
    )


async def test_each_email_names_its_releases_and_what_another_release_shows_under_its_box(tmp_path):
    small = build_small_archive(tmp_path)
    add_releases(small)
    app = FoiaApp(small.archive)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        screen = await open_trial(pilot)
        await pilot.press("x")
        view = screen.reading_view
        text = " ".join(view_text(screen).split())
        assert f"Release: {NYPD[0]} · also in {NYPD[1]}" in text  # the first email, printed in both parts
        assert f"Release: {NYPD[0]} · also in {HSI}" in text  # the budget email, also in the HSI referral
        assert f"{HSI}: ICE-referral.pdf · p. 1 · Bates ICE-000001 · printed copy" in text  # its copy, listed
        assert f"Budget line █ POL 87(2)(b) █ [readable in {HSI} · r shows] is approved." in text
        assert "1 readable in another release r shows" in text
        assert "text other releases show hidden (r shows)" in text
        assert EXPOSED not in text and view.exposure_count == 1
        await pilot.press("r")
        text = " ".join(view_text(screen).split())
        assert f"Budget line █ POL 87(2)(b) █ readable in {HSI}: {EXPOSED} is approved." in text
        assert EXPOSED in drawn_in(view, "leak") and LEAKED_NAME in drawn_in(view, "leak")  # one warning style
        assert "Text other releases show under boxes shown (1 box)." in [n.message for n in app._notifications]
        await pilot.press("r")
        assert EXPOSED not in view_text(screen)


async def test_a_copy_whose_box_the_shown_email_reads_says_so_on_its_line(tmp_path):
    small = build_small_archive(tmp_path)
    add_releases(small, hsi_shown=True)
    app = FoiaApp(small.archive)
    async with app.run_test(size=(220, 50)) as pilot:
        await settle(pilot)
        screen = await open_trial(pilot)
        await pilot.press("n", "n")
        text = " ".join(view_text(screen).split())
        assert f"Release: {HSI} · also in {NYPD[0]}" in text
        copy_line = text.split(f"· {NYPD[0]}: ")[1]
        assert copy_line.startswith(f"{small.pdf} · p. 3 · Bates NYPD-000003 · printed copy 1 redaction ")
        assert copy_line.endswith(f"1 redaction █ POL 87(2)(b) █ [readable in {HSI} · r shows]")
        await pilot.press("r")
        copy_line = " ".join(view_text(screen).split()).split(f"· {NYPD[0]}: ")[1]
        assert copy_line.endswith(f"1 redaction █ POL 87(2)(b) █ readable in {HSI}: {EXPOSED}")
        assert EXPOSED in drawn_in(screen.reading_view, "leak")


async def test_the_original_page_of_each_copy_from_the_keyboard(tmp_path):
    small = build_small_archive(tmp_path)
    hsi_copy = add_releases(small)
    app = FoiaApp(small.archive)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await open_trial(pilot)
        await pilot.press("n")
        assert screen.check_action("original", (1,)) is None  # an email printed once: no other copy to show
        await pilot.press("n", "O")
        await settle(pilot)
        page = app.screen
        assert isinstance(page, OriginalPageScreen) and page.message_id == hsi_copy
        title = str(page.query_one("#page-title", Static).render())
        assert title.endswith("· ICE-referral.pdf")  # the path as stored, not where this checkout keeps it
        assert str(tmp_path) not in title and "Bates ICE-000001" in title
        assert str(page.query_one("#page-copy", Static).render()) == f"Copy 2 of 2 (c: next copy)  · Release: {HSI}"
        assert "646-610-5555" in str(page.query_one("#page-text", Static).render()) and page.query(".page-image")
        await pilot.press("c")
        await settle(pilot)
        assert page.message_id == small.ids["trial2"]
        assert "Original page 3" in str(page.query_one("#page-title", Static).render())
        assert f"Copy 1 of 2 (c: next copy)  · Release: {NYPD[0]}" == str(page.query_one("#page-copy").render())
        assert "Budget line █[REDACTED" in str(page.query_one("#page-text", Static).render())
        await pilot.press("C")
        await settle(pilot)
        assert page.message_id == hsi_copy and page.query(".page-image")
        await pilot.press("o", "o")  # o closes the page, and opens the copy shown
        await settle(pilot)
        assert app.screen.message_id == small.ids["trial2"] and app.screen.check_action("copy", (1,))
        await pilot.press("escape", "home", "o")
        await settle(pilot)
        page = app.screen
        assert page.message_id == small.ids["trial0"]  # the first email: printed in both NYPD parts
        assert str(page.query_one("#page-copy").render()) == f"Copy 1 of 2 (c: next copy)  · Release: {NYPD[0]}"
        await pilot.press("c")
        await settle(pilot)
        assert f"Copy 2 of 2 (c: next copy)  · Release: {NYPD[1]}" == str(page.query_one("#page-copy").render())
        assert "The file is gone" in str(page.query_one("#page-note").render())  # part 2 was never written
        await pilot.press("question_mark")
        table = app.screen.query_one(DataTable)
        rows = {tuple(str(cell) for cell in table.get_row_at(i)) for i in range(table.row_count)}
        assert {("c", "Next copy", "Original page"), ("C", "Previous copy", "Original page")} <= rows


async def test_sidebar_lists_named_people_first_and_the_redacted_in_one_closed_group(small):
    app = FoiaApp(small.archive)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        sidebar = app.screen.query_one(Sidebar)
        people = next(node for node in sidebar.root.children if node.label.plain.startswith("People"))
        labels = [node.label.plain for node in people.children]
        assert labels[:3] == ["Hoan Ton-That 5", "Officer Smith 2", "Clearview Team 2"]
        redacted = people.children[-1]
        redacted_people = sql_value(small.archive, "SELECT count(*) FROM people WHERE redacted")
        assert labels[3:] == [f"Redacted ({redacted_people})"] and redacted_people > 1  # each box its own person
        assert people.label.plain == f"People ({3 + redacted_people})"
        assert not redacted.is_expanded
        assert [leaf.label.plain for leaf in redacted.children] == [f"[REDACTED] 4 · {redacted_people} people"]
        sidebar.focus()
        sidebar.cursor_line = redacted.line
        await pilot.press("enter")  # Enter opens the group …
        assert redacted.is_expanded
        await pilot.press("j", "enter")  # … and its entry filters the thread list
        await settle(pilot)
        assert app.screen.query_text == 'from:"[REDACTED]" OR to:"[REDACTED]" OR cc:"[REDACTED]"'
        assert app.screen.thread_list.count == 2
        await pilot.press("R")
        await settle(pilot)
        assert next(n for n in sidebar.root.children if n.label.plain.startswith("People")).children[-1].is_expanded


@pytest.mark.parametrize("width", [100, 140])
async def test_releases_screen_fits_the_screen_with_names_cut_and_counts_aligned(tmp_path, width):
    small = build_small_archive(tmp_path)
    add_releases(small)
    long_name = "Massachusetts State Police public records request about facial recognition vendors, round 2"
    add_release(small.archive, long_name, agency="Executive Office of Public Safety and Security (EOPSS)")
    app = FoiaApp(small.archive)
    async with app.run_test(size=(width, 30)) as pilot:
        await settle(pilot)
        await pilot.press("L")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReleasesScreen)
        table = screen.query_one(DataTable)
        assert table.virtual_size.width <= table.scrollable_content_region.width  # no sideways scrolling
        lines = screen_text(app).splitlines()
        header = next(line for line in lines if "Release" in line and "Redactions" in line)
        rows = [line for line in lines if "NYPD FOIL part" in line or "Massachusetts" in line]
        assert len(rows) == 3 and all("…" in row for row in rows if "Massachusetts" in row)
        ends = {len(row.rstrip()) for row in rows} | {len(header.rstrip())}
        assert len(ends) == 1  # the counts end where their heading ends: right-aligned
        await pilot.press("down")
        assert screen.releases[table.cursor_row].name == long_name
        assert long_name in " ".join(str(screen.query_one("#releases-detail", Static).render()).split())
