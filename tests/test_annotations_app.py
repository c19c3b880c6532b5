"""Annotations you can see and work with (Pilot, on real archives): excerpts highlighted in the thread with their
notes, the Annotations screen (filters, editing a note, deleting, going to the email), deletions that ask first
and come back with `u`, and hostile tag names and notes drawn literally."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from rich.style import Style
from rich.text import Text
from textual.widgets import DataTable, Input

from foia_tui.app.app import FoiaApp
from foia_tui.app.bindings import binding_catalogue
from foia_tui.app.screens.annotations import AnnotationsScreen
from foia_tui.app.screens.confirm import ConfirmDialog
from foia_tui.app.screens.main import MainScreen
from foia_tui.app.screens.note_dialog import NoteDialog
from foia_tui.app.screens.original import OriginalPageScreen
from foia_tui.app.screens.tag_picker import TagPicker
from foia_tui.app.widgets.message_body import BodyStyles, render_body
from foia_tui.archive.tags import Tagging, message_taggings, tag_excerpt
from foia_tui.cli import main
from tests.conftest import settle
from tests.support.archive_factory import NYPD, add_releases, build_small_archive, screen_text
from tests.test_hostile_display import assert_inert

SIZE = (160, 45)
HOMELAND = "Referring you to our Homeland Security contacts; trial accounts are still being created."


@pytest.fixture
def small(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The small archive with its releases, and two excerpts on the Homeland email (one with a note)."""
    monkeypatch.setenv("USER", "pilot")
    built = build_small_archive(tmp_path / "small")
    add_releases(built)
    homeland = built.ids["homeland"]
    tag_excerpt(
        built.archive, "quotes", homeland, HOMELAND.index("Homeland Security"), HOMELAND.index(" contacts"), note="who?"
    )  # Homeland Security
    tag_excerpt(built.archive, "quotes", homeland, HOMELAND.index("trial"), HOMELAND.index(" are still"))
    yield built
    built.archive.close()


def view_text(app: FoiaApp) -> str:
    main = next(s for s in app.screen_stack if isinstance(s, MainScreen))
    return "\n".join(strip.text for strip in main.reading_view._lines)


def excerpt(archive, message_id: str, text: str) -> Tagging:
    return next(t for t in message_taggings(archive, message_id) if t.quoted_text == text)


def shown_excerpts(app: FoiaApp) -> list[str]:
    screen = app.screen
    assert isinstance(screen, AnnotationsScreen)
    return [a.text for a in screen.shown]


def notified(app: FoiaApp) -> list[str]:
    return [n.message for n in app._notifications]


async def open_newest_thread(pilot) -> None:
    await settle(pilot)
    await pilot.press("enter")  # the newest thread: Homeland Security contacts
    await settle(pilot)


def test_notes_are_drawn_on_the_line_after_their_excerpt_and_left_out_when_folded() -> None:
    styles = BodyStyles(*(Style() for _ in range(6)))
    body = "One line here.\nSecond line.\n\n> quoted reply\n> more"
    note = Text("↳ #x: note\n")
    marked = Style(bold=True)
    rendered = render_body(
        body, [], show_leaks=False, fold_quotes=False, styles=styles, marks=[(4, 8, marked)], notes=[(15, note)]
    )
    assert rendered.text.plain == "One line here.\n↳ #x: note\nSecond line.\n\n> quoted reply\n> more"
    assert rendered.drawn_offset(15) == len("One line here.\n↳ #x: note\n")  # offsets after a note map past it
    assert [s.style for s in rendered.text.spans if s.start <= 4 < s.end] == [marked]
    folded = render_body(body, [], show_leaks=False, fold_quotes=True, styles=styles, notes=[(44, note)])
    assert "note" not in folded.text.plain and folded.left_out == [44]


async def test_an_excerpt_is_highlighted_with_its_note_and_the_tags_row_keeps_excerpts_apart(small) -> None:
    app = FoiaApp(small.archive)
    async with app.run_test(size=SIZE) as pilot:
        await open_newest_thread(pilot)
        shown = view_text(app)
        assert "Tags:    #follow-up · Excerpts: #quotes (2)" in shown
        lines = shown.split("\n")
        at = next(i for i, line in enumerate(lines) if HOMELAND in line)
        assert lines[at + 1 : at + 3] == [
            "  ↳ #quotes: who?".ljust(len(lines[at])),
            "  ↳ #quotes".ljust(len(lines[at])),
        ]
        view = app.screen.reading_view
        excerpt_style = view.get_component_rich_style("thread-view--excerpt")
        strip = view._lines[next(i for i, s in enumerate(view._lines) if HOMELAND in s.text)]
        highlighted = "".join(seg.text for seg in strip if seg.style and seg.style.bgcolor == excerpt_style.bgcolor)
        assert highlighted == "Homeland Securitytrial accounts"


async def test_an_excerpt_in_a_folded_quote_is_listed_under_the_body_until_unfolded(small) -> None:
    reply = "Can I use the app on my personal phone?\n\n> Welcome aboard! Try to reach 100 searches this week."
    start = reply.index("Welcome aboard!")
    tag_excerpt(small.archive, "greeting", small.ids["onboarding1"], start, start + len("Welcome aboard!"), note="hi")
    app = FoiaApp(small.archive)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("down", "enter")  # the onboarding thread
        await settle(pilot)
        await pilot.press("J")  # its reply, whose quote is folded
        await settle(pilot)
        shown = view_text(app)
        assert "Excerpt in the folded quote (z shows): “Welcome aboard!” ↳ #greeting: hi" in shown
        await pilot.press("z")
        await settle(pilot)
        lines = view_text(app).split("\n")
        at = next(i for i, line in enumerate(lines) if "> Welcome aboard!" in line)
        assert lines[at + 1].strip() == "↳ #greeting: hi"
        assert "Excerpt in the folded quote" not in view_text(app)


async def test_an_excerpt_whose_text_is_lost_is_said_so_in_the_thread_and_in_annotations(small) -> None:
    lost = excerpt(small.archive, small.ids["homeland"], "trial accounts")
    with small.archive.transaction() as conn:  # as a re-import that no longer finds the quote leaves it
        conn.execute("UPDATE taggings SET anchor_status = 'lost' WHERE id = ?", (lost.id,))
    app = FoiaApp(small.archive)
    async with app.run_test(size=SIZE) as pilot:
        await open_newest_thread(pilot)
        shown = view_text(app)
        assert "Excerpt no longer found in the text: “trial accounts” ↳ #quotes" in shown
        assert "Excerpts: #quotes (2)" in shown
        await pilot.press("A")
        await settle(pilot)
        assert str(app.screen.query_one(DataTable).get_row_at(1)[3]).startswith("(no longer found) trial")


async def test_a_note_edited_in_annotations_shows_in_the_thread(small) -> None:
    app = FoiaApp(small.archive)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("A")
        await settle(pilot)
        assert shown_excerpts(app) == ["Homeland Security", "trial accounts"]
        table = app.screen.query_one(DataTable)
        assert "who?" in str(table.get_row_at(0)[4])
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, NoteDialog)
        app.screen.query_one(Input).value = ""
        await pilot.press(*"ask HSI", "enter")
        await settle(pilot)
        assert excerpt(small.archive, small.ids["homeland"], "Homeland Security").note == "ask HSI"
        assert "ask HSI" in str(app.screen.query_one(DataTable).get_row_at(0)[4])
        await pilot.press("enter")  # to the email, in the thread view
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert app.screen.reading_view.focused_message_id == small.ids["homeland"]
        assert "↳ #quotes: ask HSI" in view_text(app)


async def test_annotations_filter_by_tag_release_and_words(small) -> None:
    tag_excerpt(small.archive, "budget", small.ids["trial2"], 0, 10, note="follow the money")
    app = FoiaApp(small.archive)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("A")
        await settle(pilot)
        screen = app.screen
        assert len(screen.shown) == 3
        await pilot.press("t")  # the first tag, by name: budget
        assert [a.tagging.tag for a in screen.shown] == ["budget"]
        await pilot.press("t", "t")  # quotes, then every tag again
        assert len(screen.shown) == 3
        await pilot.press("l")  # the first release by name holds only the budget email
        assert screen.release == NYPD[0] and [a.tagging.tag for a in screen.shown] == ["budget"]
        await pilot.press("l", "l", "l")
        assert screen.release is None
        await pilot.press("slash", *"TRIAL acc")
        await settle(pilot)
        assert shown_excerpts(app) == ["trial accounts"]
        assert "1 of 3" in screen_text(app)
        await pilot.press("enter")  # out of the filter, into the table
        assert screen.focused is screen.query_one(DataTable)
        await pilot.press("o")
        await settle(pilot)
        assert isinstance(app.screen, OriginalPageScreen)


async def test_deleting_an_excerpt_or_a_note_asks_and_u_brings_it_back(small) -> None:
    archive, homeland = small.archive, small.ids["homeland"]
    before = excerpt(archive, homeland, "Homeland Security")
    app = FoiaApp(archive)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("A")
        await settle(pilot)
        assert "u Undo" not in screen_text(app)  # nothing to undo yet
        await pilot.press("d")
        assert isinstance(app.screen, ConfirmDialog)
        assert "Delete the excerpt “Homeland Security” tagged quotes and its note?" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert excerpt(archive, homeland, "Homeland Security") == before  # kept

        await pilot.press("d", "enter")
        await settle(pilot)
        assert "Homeland Security" not in {t.quoted_text for t in message_taggings(archive, homeland)}
        assert shown_excerpts(app) == ["trial accounts"]
        assert "Deleted the excerpt “Homeland Security” tagged quotes. Press u to undo." in notified(app)
        assert "u Undo" in screen_text(app)
        await pilot.press("u")
        await settle(pilot)
        assert excerpt(archive, homeland, "Homeland Security") == before  # the same id, span, note, author and time
        assert shown_excerpts(app) == ["Homeland Security", "trial accounts"]
        assert "Restored the excerpt “Homeland Security” tagged quotes." in notified(app)
        assert "u Undo" not in screen_text(app)

        await pilot.press("up", "x", "y")  # the note alone (the cursor stayed on the row it was on)
        await settle(pilot)
        assert excerpt(archive, homeland, "Homeland Security").note is None
        await pilot.press("escape")  # back in the thread, the note is gone from under the excerpt
        await open_newest_thread(pilot)
        assert "who?" not in view_text(app)
        await pilot.press("u")
        await settle(pilot)
        assert excerpt(archive, homeland, "Homeland Security") == before
        assert "↳ #quotes: who?" in view_text(app)


async def test_removing_a_tag_in_the_picker_asks_and_u_undoes_it(small) -> None:
    archive, homeland = small.archive, small.ids["homeland"]
    (before,) = [t for t in message_taggings(archive, homeland) if t.tag == "follow-up"]
    app = FoiaApp(archive)
    async with app.run_test(size=SIZE) as pilot:
        await open_newest_thread(pilot)
        await pilot.press("t", *"follow-up", "ctrl+r")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, TagPicker)
        assert before in message_taggings(archive, homeland)
        await pilot.press("ctrl+r", "enter")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert "follow-up" not in {t.tag for t in message_taggings(archive, homeland)}
        assert "Deleted the tag follow-up on 1 message. Press u to undo." in notified(app)
        assert "#follow-up" not in view_text(app) and "u Undo" in screen_text(app)
        await pilot.press("u")
        await settle(pilot)
        assert before in message_taggings(archive, homeland)  # same id, author and time
        assert "Tags:    #follow-up · Excerpts: #quotes (2)" in view_text(app)


async def test_annotations_key_is_in_help_and_palette(small) -> None:
    app = FoiaApp(small.archive)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        entries = {e.action: e for e in binding_catalogue(app.screen)}
        assert entries["app.annotations"].keys == "A" and entries["app.undo"].keys == "u"


async def test_hostile_tag_names_and_notes_are_drawn_literally(small) -> None:
    note = "\x1b[2J[@click=app.quit]x[/] [bold]loud"
    tag_excerpt(small.archive, "[/x]", small.ids["homeland"], 0, len("Referring"), note=note)
    app = FoiaApp(small.archive)
    async with app.run_test(size=SIZE) as pilot:
        await open_newest_thread(pilot)
        shown = view_text(app)
        assert "↳ #[/x]: ␛[2J[@click=app.quit]x[/] [bold]loud" in shown
        assert "Excerpts: #[/x] (1), #quotes (2)" in shown
        assert "[@click=app.quit]x[/]" in assert_inert(app.screen.reading_view)
        await pilot.press("A")
        await settle(pilot)
        drawn = assert_inert(app.screen.query_one(DataTable))
        assert "[/x]" in drawn and "␛[2J[@click=app.quit]" in drawn
        detail = assert_inert(app.screen.query_one("#annotations-detail"))
        assert "Note: ␛[2J[@click=app.quit]x[/] [bold]loud" in detail
        await pilot.press("x")
        await settle(pilot)
        question = assert_inert(app.screen.query_one("#confirm-question"))
        assert "Delete the note “␛[2J[@click=app.quit]x[/] [bold]loud”?" in question


def test_foia_tag_notes_lists_and_foia_tag_note_edits(small) -> None:
    db = str(small.path)
    tagging = excerpt(small.archive, small.ids["homeland"], "Homeland Security")
    listed = run_cli("tag", "notes", "--db", db, "--words", "WHO")  # in its note
    assert listed.exit_code == 0
    assert listed.output.split() == [str(tagging.id), "quotes", "2020-02-10", "Homeland", "Security", "who?"]
    hostile = "\x1b[2J[/x]"
    assert run_cli("tag", "note", str(tagging.id), hostile, "--db", db).output == f"quotes #{tagging.id}: ␛[2J[/x].\n"
    (row,) = json.loads(run_cli("tag", "notes", "--db", db, "--tag", "quotes", "--words", "[/x]", "--json").output)
    assert (row["id"], row["text"], row["note"], row["kind"]) == (tagging.id, "Homeland Security", hostile, "excerpt")
    assert run_cli("tag", "note", str(tagging.id), "--clear", "--db", db).exit_code == 0
    assert excerpt(small.archive, small.ids["homeland"], "Homeland Security").note is None
    assert run_cli("tag", "note", str(tagging.id), "--db", db).exit_code == 2  # neither a note nor --clear


def run_cli(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)
