"""Tagging and export in the app, from the keyboard (Pilot): the picker, selection mode, the export dialog."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.app import App, ComposeResult
from textual.widgets import Static

from foia_tui.app.app import FoiaApp
from foia_tui.app.bindings import binding_catalogue
from foia_tui.app.screens.export_dialog import ExportDialog
from foia_tui.app.screens.main import MainScreen
from foia_tui.app.screens.tag_picker import TagPicker, TagTarget, rank_tags
from foia_tui.app.widgets.selection import BodySelection, SelectionBar
from foia_tui.archive.tags import Tag, list_tags, message_taggings
from foia_tui.services.export import build_export, to_csv, to_markdown
from tests.conftest import settle
from tests.support.archive_factory import build_small_archive, screen_text

SIZE = (120, 40)


@pytest.fixture
def small(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("USER", "pilot")
    built = build_small_archive(tmp_path / "small")
    yield built
    built.archive.close()


class ScreenApp(App):
    """The smallest app that shows one modal screen and remembers what it was dismissed with."""

    def __init__(self, screen) -> None:
        super().__init__()
        self.modal = screen
        self.result: object = "not dismissed"

    def compose(self) -> ComposeResult:
        yield Static("behind")

    def on_mount(self) -> None:
        self.push_screen(self.modal, self._done)

    def _done(self, result: object) -> None:
        self.result = result


def test_rank_tags_prefers_exact_then_prefix_then_fuzzy() -> None:
    tags = [Tag(i, name, None, None, "") for i, name in enumerate(["budget", "Budget cuts", "gadget", "press", "bud"])]
    assert [t.name for t in rank_tags("bud", tags)] == ["bud", "budget", "Budget cuts"]
    assert rank_tags("budgte", tags)[0].name == "budget"  # a typo still finds it
    assert [t.name for t in rank_tags("", tags)] == ["bud", "budget", "Budget cuts", "gadget", "press"]
    assert rank_tags("zzz", tags) == []


async def test_tag_picker_completes_fuzzily_and_creates_tags(small) -> None:
    homeland = small.ids["homeland"]
    app = ScreenApp(TagPicker(small.archive, TagTarget("message", homeland, label="Hoan, “Homeland”")))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press(*"kye-qoute")  # two typos: "create kye-qoute" first, the look-alike below it
        await settle(pilot)
        shown = screen_text(app)
        assert shown.index("+ create tag kye-qoute") < shown.index("key-quote")
        await pilot.press("down", "enter")
        await settle(pilot)
    assert app.result == "Tagged the message with key-quote."
    assert {t.tag for t in message_taggings(small.archive, homeland)} == {"follow-up", "key-quote"}

    app = ScreenApp(TagPicker(small.archive, TagTarget("message", homeland)))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press(*"new lead")
        await settle(pilot)
        assert "+ create tag new lead" in screen_text(app)
        await pilot.press("tab", *"call DHS", "enter")
        await settle(pilot)
    (tagging,) = [t for t in message_taggings(small.archive, homeland) if t.tag == "new lead"]
    assert (tagging.note, tagging.created_by, tagging.kind) == ("call DHS", "pilot", "message")

    app = ScreenApp(TagPicker(small.archive, TagTarget("message", homeland)))
    async with app.run_test(size=SIZE) as pilot:  # ctrl+r takes the highlighted tag off once confirmed
        await settle(pilot)
        await pilot.press(*"new lead", "ctrl+r")
        await settle(pilot)
        assert "Take the tag new lead off this message" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
    assert app.result is None  # the app is told of the deletion (to undo it), not the opener
    assert "new lead" not in {t.tag for t in message_taggings(small.archive, homeland)}


class SpanRecorder(Static):
    """Stands in for the thread view: remembers the spans selection mode draws."""

    def __init__(self) -> None:
        super().__init__()
        self.spans: list[tuple[int, int] | None] = []

    def select_span(self, start: int, end: int) -> None:
        self.spans.append((start, end))

    def clear_selection(self) -> None:
        self.spans.append(None)


BODY = "Dear Bob,\n\nThe budget was cut\nby 40 percent.\n\nKeep it quiet.\nAlice"


class SelectionApp(App):
    def __init__(self) -> None:
        super().__init__()
        self.requests: list[tuple[str, int, int]] = []
        self.closed = False

    def compose(self) -> ComposeResult:
        self.view = SpanRecorder()
        yield self.view
        yield SelectionBar(self.view, "m1", BODY)

    def on_mount(self) -> None:
        self.query_one(SelectionBar).focus()

    def on_selection_bar_tag_requested(self, message: SelectionBar.TagRequested) -> None:
        self.requests.append((message.message_id, message.start, message.end))

    def on_selection_bar_closed(self) -> None:
        self.closed = True


async def test_selection_mode_moves_by_word_line_paragraph_and_extends() -> None:
    app = SelectionApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        spans = app.view.spans
        text = lambda: BODY[slice(*spans[-1])]  # noqa: E731
        assert text() == "Dear"
        await pilot.press("w")
        assert text() == "Bob,"
        await pilot.press("j")
        assert text() == "The budget was cut"
        await pilot.press("W", "W")
        assert text() == "The budget was cut\nby 40"
        await pilot.press("B")
        assert text() == "The budget was cut\nby"
        await pilot.press("right_curly_bracket")  # first to the whole paragraph the span starts in
        assert text() == "The budget was cut\nby 40 percent."
        await pilot.press("right_curly_bracket")
        assert text() == "Keep it quiet.\nAlice"
        await pilot.press("left_curly_bracket", "left_curly_bracket")
        assert text() == "Dear Bob,"
        await pilot.press("right_curly_bracket", "w", "w", "shift+right", "J", "J")
        assert text() == "budget was cut\nby 40 percent."
        assert "SELECT 29 chars" in screen_text(app)
        await pilot.press("t")
        await pilot.pause()
        start = BODY.index("budget")
        assert app.requests == [("m1", start, start + 29)]
        await pilot.press("escape")
        await pilot.pause()
        assert app.closed and spans[-1] is None


def test_body_selection_edges() -> None:
    empty = BodySelection("   ")
    assert empty.span == (3, 3)
    selection = BodySelection("one two", start=4)
    assert selection.text == "two"
    selection.move("word", True)  # nothing after the last word: stays
    selection.extend("word", True)
    assert selection.text == "two"
    selection.extend("word", False)  # never shrinks below its first word
    assert selection.text == "two"


async def test_export_dialog_previews_and_writes(small, tmp_path: Path) -> None:
    target = tmp_path / "brief.md"
    app = ScreenApp(ExportDialog(small.archive, None, str(target)))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        shown = screen_text(app)
        assert "# Tagged excerpts" in shown and "## Contents" in shown
        assert "3 passages under 2 tags" in shown
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert undated(target.read_bytes().decode()) == undated(to_markdown(build_export(small.archive)))
    assert app.result == f"Exported 3 passages to {target}."

    app = ScreenApp(ExportDialog(small.archive, None, str(target)))
    async with app.run_test(size=SIZE) as pilot:  # untick the first tag, switch to CSV, write
        await settle(pilot)
        await pilot.press("space")
        app.modal.query_one("#export-format").query("RadioButton")[2].value = True
        await settle(pilot)
        assert app.modal.query_one("#export-path").value == str(tmp_path / "brief.csv")
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert (tmp_path / "brief.csv").read_bytes().decode() == to_csv(build_export(small.archive, tags=["key-quote"]))


async def test_export_pressed_while_the_preview_is_built_writes_it_once_ready(small, tmp_path: Path) -> None:
    target = tmp_path / "early.md"
    app = ScreenApp(ExportDialog(small.archive, None, str(target)))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+s")  # at once: the tags and the preview are still being read
        await settle(pilot)
    assert app.result == f"Exported 3 passages to {target}."
    assert "# Tagged excerpts" in target.read_text()


def undated(markdown: str) -> str:
    """An export without its 'Made <now> …' line (the time it was made)."""
    return "\n".join(line for line in markdown.split("\n") if not line.startswith("Made "))


async def test_export_dialog_proposes_a_free_name_and_asks_before_overwriting(small, tmp_path: Path) -> None:
    (tmp_path / "brief.md").write_text("my brief\n")
    app = ScreenApp(ExportDialog(small.archive, None, str(tmp_path / "brief.md")))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        path = app.modal.query_one("#export-path")
        assert path.value == str(tmp_path / "brief-2.md")  # brief.md exists: never proposed
        path.value = str(tmp_path / "brief.md")  # the investigator names the existing file on purpose
        await pilot.press("ctrl+s")
        await settle(pilot)
        status = str(app.modal.query_one("#export-status", Static).render())
        assert status == f"{tmp_path / 'brief.md'} exists: press Export (ctrl+s) again to replace it."
        assert (tmp_path / "brief.md").read_text() == "my brief\n"  # asked, not written
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert "# Tagged excerpts" in (tmp_path / "brief.md").read_text()
    assert app.result == f"Exported 3 passages to {tmp_path / 'brief.md'}."


def view_text(screen: MainScreen) -> str:
    return "\n".join(strip.text for strip in screen.reading_view._lines)


async def test_tag_a_message_a_thread_and_an_excerpt_from_the_keyboard(small) -> None:
    archive, homeland = small.archive, small.ids["homeland"]
    app = FoiaApp(archive)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        await pilot.press("enter")  # the newest thread: Homeland Security contacts
        await settle(pilot)
        assert screen.reading_view.focused_message_id == homeland

        await pilot.press("t", *"lead", "enter")
        await settle(pilot)
        assert "#lead" in view_text(screen)
        assert {t.tag: t.kind for t in message_taggings(archive, homeland)}["lead"] == "message"

        await pilot.press("T", *"dhs", "enter")
        await settle(pilot)
        assert {t.tag: (t.kind, t.via_thread) for t in message_taggings(archive, homeland)}["dhs"] == (
            "thread",
            small.threads["homeland"],
        )

        await pilot.press("v", "w", "W", "W")
        assert "SELECT 10 chars" in screen_text(app)
        await pilot.press("t", *"quotes", "tab", *"who?", "enter")
        await settle(pilot)
        assert not screen.query(SelectionBar)  # selection mode ends once the excerpt is tagged
        assert screen.reading_view.selection is None
        (excerpt,) = [t for t in message_taggings(archive, homeland) if t.kind == "excerpt"]
        assert (excerpt.tag, excerpt.quoted_text, excerpt.note) == ("quotes", "you to our", "who?")
        assert excerpt.created_by == "pilot"

        sidebar = screen_text(app)
        for name in ("lead", "dhs", "quotes", "key-quote"):
            assert name in sidebar
        assert {t.name: t.messages for t in list_tags(archive)} == {
            "dhs": 1,
            "follow-up": 1,
            "key-quote": 2,
            "lead": 1,
            "quotes": 1,
        }

        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, ExportDialog)
        assert "you to our" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen


async def test_tagging_keys_are_in_footer_help_and_palette(small) -> None:
    app = FoiaApp(small.archive)
    async with app.run_test(size=(250, 40)) as pilot:  # wide enough for the whole footer
        await settle(pilot)
        described = {e.description: e.keys for e in binding_catalogue(app.screen)}
        assert described["Tag message"] == "t"
        assert described["Tag thread"] == "T"
        assert described["Excerpt"] == "v"
        assert described["Export"] == "e"
        assert "Export" in screen_text(app)  # the footer
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        described = {e.description for e in binding_catalogue(app.screen)}
        assert {"Next word", "Extend by a line", "Next paragraph", "Tag selection", "End selection"} <= described
        assert "Tag selection" in screen_text(app)
