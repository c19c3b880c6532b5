"""A search leads to its match: the thread opens on the matching emails, their words highlighted, n / N step
through every match of the thread ("match 2 of 5"), and S keeps the search under a name."""

from __future__ import annotations

from foia_tui.app.app import FoiaApp
from foia_tui.app.screens.save_search import SaveSearchDialog
from foia_tui.app.widgets.search_bar import SearchBar
from foia_tui.domain.matching import Term, highlight_terms, match_spans
from foia_tui.domain.query import parse
from foia_tui.services.searching import saved_searches
from foia_tui.services.tagging import message_taggings
from tests.conftest import settle
from tests.support.archive_factory import build_small_archive, screen_text

SIZE = (120, 40)


def test_a_query_highlights_its_words_stems_prefixes_and_substrings_not_what_it_excludes():
    terms = highlight_terms(parse('results budg* ~view -trial from:hoan subject:"pilot"'))
    assert terms == [
        Term("result", "word"),
        Term("budg", "prefix"),
        Term("view", "substring"),
        Term("pilot", "word", "subject"),
    ]
    text = "Positive Results, resulting budget; Clearview review. The trial pilot."
    spans = [text[a:b] for a, b in match_spans(text, terms)]
    assert spans == ["Results", "resulting", "budget", "view", "view"]
    assert [text[a:b] for a, b in match_spans(text, terms, column="subject")][-1] == "pilot"
    assert match_spans("", terms) == [] and match_spans(text, []) == []


def styled_texts(view, style_name: str) -> list[str]:
    """The text drawn in one of the thread view's component styles, span by span."""
    style = view._style(style_name)
    return [seg.text for strip in view._lines for seg in strip if seg.style and seg.style.bgcolor == style.bgcolor]


async def search_and_open(pilot, query: str):
    app = pilot.app
    await settle(pilot)
    await pilot.press("/")
    app.screen.query_one(SearchBar).input.value = query
    await pilot.press("enter")
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
    return app.screen


async def test_search_opens_the_matching_email_highlighted_and_n_steps_through_matches(tmp_path):
    small = build_small_archive(tmp_path)
    app = FoiaApp(small.archive)
    async with app.run_test(size=SIZE) as pilot:
        screen = await search_and_open(pilot, "positive results")
        view = screen.reading_view
        assert screen.thread.subject == "Clearview trial"
        # the match is the third email, not the first: it is the one open and under the cursor
        assert view.focused_message_id == small.ids["trial2"]
        assert small.ids["trial2"] in view._expanded
        current = styled_texts(view, "match-current")
        assert [t.casefold() for t in current] == ["positive"]
        assert [t.casefold() for t in styled_texts(view, "match")] == ["results"]
        assert "match 1 of 2" in screen_text(app)
        await pilot.press("n")
        assert [t.casefold() for t in styled_texts(view, "match-current")] == ["results"]
        assert "match 2 of 2" in screen_text(app)
        await pilot.press("n")  # round the thread again
        assert "match 1 of 2" in screen_text(app)
        await pilot.press("N")
        assert "match 2 of 2" in screen_text(app)
        await pilot.press("K")  # message-to-message moves keep their own keys
        assert view.focused_message_id == small.ids["trial1"]


async def test_an_excerpt_started_at_a_match_selects_the_match(tmp_path):
    small = build_small_archive(tmp_path)
    app = FoiaApp(small.archive)
    async with app.run_test(size=SIZE) as pilot:
        screen = await search_and_open(pilot, "positive results")
        await pilot.press("n", "v")  # the second match, "results", is the selection's start
        assert "SELECT 7 chars" in screen_text(app) and "“results”" in screen_text(app)
        footer = screen_text(app).rstrip().split("\n")[-1]
        assert footer.lstrip().startswith("w Next word")  # selection mode's keys lead while it has them
        await pilot.press("W", "W", "t", *"quotes", "enter")
        await settle(pilot)
        (excerpt,) = [t for t in message_taggings(small.archive, small.ids["trial2"]) if t.kind == "excerpt"]
        assert excerpt.quoted_text == "results. Budget"
        assert screen.reading_view.focused_message_id == small.ids["trial2"]


async def test_without_a_search_n_moves_to_the_next_email_and_nothing_is_highlighted(tmp_path):
    small = build_small_archive(tmp_path)
    app = FoiaApp(small.archive)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("end", "enter")
        await settle(pilot)
        view = app.screen.reading_view
        assert view.focused_message_id == small.ids["trial0"]
        await pilot.press("n")
        assert view.focused_message_id == small.ids["trial1"]
        assert view.match_position is None and " of " not in app.screen.status.match


async def test_s_saves_the_current_search_under_a_name(tmp_path):
    small = build_small_archive(tmp_path)
    app = FoiaApp(small.archive)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("S")  # no search yet: nothing to save
        assert not isinstance(app.screen, SaveSearchDialog)
        await pilot.press("/")
        app.screen.query_one(SearchBar).input.value = "positive results"
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("S")
        await settle(pilot)
        assert isinstance(app.screen, SaveSearchDialog)
        dialog = app.screen
        dialog.query_one("#save-name").value = ""
        await pilot.press(*"results [b]", "enter")
        await settle(pilot)
        assert not isinstance(app.screen, SaveSearchDialog)
        assert [(s["name"], s["query"]) for s in saved_searches(small.archive)] == [("results [b]", "positive results")]
        assert "results [b]" in screen_text(app)  # in the sidebar, as typed


def footer_keys(app) -> list[str]:
    from textual.widgets._footer import FooterKey

    return [key.key_display for key in app.screen.query(FooterKey) if key.region.width and key.region.right <= 80]


async def test_the_footer_at_80_columns_holds_the_keys_used_most(tmp_path):
    small = build_small_archive(tmp_path)
    app = FoiaApp(small.archive)
    async with app.run_test(size=(80, 30)) as pilot:
        await settle(pilot)
        await pilot.press("end", "enter")  # in the thread view, with its own keys
        await settle(pilot)
        shown = footer_keys(app)
        assert shown[:6] == ["/", "t", "v", "e", "g", "?"], shown
        await pilot.press("s")  # the sidebar is a key away, shown in the footer too
        assert app.focused is app.screen.query_one("#sidebar") and "s" in shown


async def test_the_palette_leads_with_actions_not_cursor_moves(tmp_path):
    from textual.command import CommandPalette

    from foia_tui.app.commands import BindingCommands

    small = build_small_archive(tmp_path)
    app = FoiaApp(small.archive)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("/")
        app.screen.query_one(SearchBar).input.value = "trial"
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("ctrl+p")
        assert isinstance(app.screen, CommandPalette)
        provider = BindingCommands(app.screen_stack[-2])
        found = [hit.text async for hit in provider.discover()]
        assert "Save search" in found[:8] and "Export" in found[:8]
        assert found.index("Next thread in list") > found.index("Export")
