"""The README tour (docs/TOUR.md) works as written: its ten steps, walked with Pilot on a copy of the sample.

The steps (keys and headings) come from scripts/screenshots.py, which takes the tour's screenshots by walking
the same steps; this test checks what each step shows, at the moment its screenshot is taken and after its last key.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from textual.widgets import DataTable, OptionList, Static
from textual_image.widget import HalfcellImage

from foia_tui.app.screens.export_dialog import ExportDialog
from foia_tui.app.screens.help import HelpScreen
from foia_tui.app.screens.main import MainScreen
from foia_tui.app.screens.original import OriginalPageScreen
from foia_tui.app.screens.releases import ReleasesScreen
from foia_tui.app.screens.tag_picker import TagPicker
from foia_tui.app.screens.timeline import TimelineScreen
from foia_tui.app.widgets.sidebar import Sidebar
from foia_tui.archive.messages import stats
from foia_tui.cli import main as foia
from tests.support.archive_factory import screen_text

ROOT = Path(__file__).resolve().parents[1]
TOUR_MD = ROOT / "docs" / "TOUR.md"


def load_tour_script():
    spec = importlib.util.spec_from_file_location("tour_screenshots", ROOT / "scripts" / "screenshots.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


tour = load_tour_script()


def main_screen(app) -> MainScreen:
    return next(screen for screen in app.screen_stack if isinstance(screen, MainScreen))


def view_text(app) -> str:
    """Every line the thread view has laid out (also those scrolled out of sight), wrapped lines joined."""
    return " ".join(" ".join(strip.text for strip in main_screen(app).reading_view._lines).split())


def static_text(screen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


def notified(app) -> list[str]:
    return [notification.message for notification in app._notifications]


def listed_subjects(app) -> list[str]:
    threads = main_screen(app).thread_list
    return [threads.row(i).subject for i in range(threads.count)]


# What each step shows: (where its screenshot is taken, after its last key). Step 0 is the first start.


def first_start(app) -> None:
    counts = stats(app.archive)
    text = screen_text(app)
    notice = "No archive here: showing the working copy of the sample (new), kept at "
    assert main_screen(app).status.notice.startswith(notice) and notified(app)[0].startswith(notice)
    assert f"{counts['threads']} threads · {counts['messages']} messages" in text
    sections = [node.label.plain for node in app.screen.query_one(Sidebar).root.children]
    assert sections[0].startswith("All messages")
    assert [s.split(" (")[0] for s in sections[1:]] == ["Saved searches", "Tags", "People", "Documents"]
    saved = next(n for n in app.screen.query_one(Sidebar).root.children if n.label.plain.startswith("Saved"))
    assert [leaf.label.plain for leaf in saved.children] == ["100 searches", "Homeland Security", "Leaked redactions"]
    people = next(n for n in app.screen.query_one(Sidebar).root.children if n.label.plain.startswith("People"))
    *named, redacted = people.children
    assert named[0].label.plain.startswith("Hoan Ton-That") and "REDACTED" not in str([n.label for n in named])
    assert redacted.label.plain.startswith("Redacted (") and not redacted.is_expanded
    trial = next(line for line in text.splitlines() if "Trial results" in line)
    assert "█!" in trial
    assert "Choose a thread and press Enter." in text


def search_as_typed(app) -> None:
    assert app.focused.id == "search-input"
    assert static_text(app.screen, "#search-feedback").startswith("5 threads · ")
    assert listed_subjects(app)[0] == "Trial results"


def search_submitted(app) -> None:
    screen = main_screen(app)
    assert app.focused is screen.thread_list and screen.query_text == tour.SEARCH
    assert "5 threads · " in screen_text(app)
    assert screen.thread_list.highlighted.subject == "Trial results"


def thread_opened(app) -> None:
    view = main_screen(app).reading_view
    assert app.focused is view
    assert [m.subject for m in view.messages][:2] == ["Trial results", "RE: Trial results"]
    text = view_text(app)
    assert "leaked text hidden (r shows)" in text
    assert "To: █[REDACTED POL 87(2)(b)]█" in text
    part1 = "Source: samples/nypd-clearview/round1/NYPD-FOIL-2020-PL-0312-part1.pdf · p. 6 · Bates NYPD-FOIL-000006"
    assert f"{part1} · quoted in a reply" in text
    assert "Release: NYPD FOIL 2020-PL-0312 part 1 · also in NYPD FOIL 2020-PL-0312 part 2" in text
    scanned = "samples/nypd-clearview/round2/NYPD-FOIL-2020-PL-0312-part2-scanned.pdf · p. 3 · Bates NYPD-FOIL-000203"
    assert f"Copies of this email: 1 (O: their original pages) · NYPD FOIL 2020-PL-0312 part 2: {scanned}" in text


def next_email(app) -> None:
    view = main_screen(app).reading_view
    assert view.focused_message.subject == "RE: Trial results" and view.focused_message.sent.startswith("2019-02-12")
    text = view_text(app)
    assert "we continue to receive positive results" in text and "gone on to make arrests" in text
    reply = text.split("Subject: RE: Trial results", 1)[1]
    assert "case █ POL 87(2)(e) █!. I cannot share" in reply
    assert "part1.pdf · p. 6 · Bates NYPD-FOIL-000006 · printed copy" in reply
    assert "Release: NYPD FOIL 2020-PL-0312 part 1 · also in NYPD FOIL 2020-PL-0312 part 2" in reply
    copies = reply.split("Copies of this email: 1 (O: their original pages) · ", 1)[1]
    assert copies.startswith("NYPD FOIL 2020-PL-0312 part 2: samples/nypd-clearview/round2/")
    assert "part2-scanned.pdf · p. 3 · Bates NYPD-FOIL-000203 · printed copy" in copies
    assert "2019-040-00123" not in text


def leak_shown(app) -> None:
    assert main_screen(app).reading_view.show_leaks
    assert "case █ POL 87(2)(e) █ LEAKED: 2019-040-00123 . I cannot share" in view_text(app)
    assert "Leaked text shown (1 box)." in notified(app)


def original_page(app) -> None:
    screen = app.screen
    assert isinstance(screen, OriginalPageScreen)
    reply = main_screen(app).reading_view.focused_message
    assert screen.copies[0] == reply.id and screen.copy_index == 1  # `o` opened the part-1 copy shown, `c` the next
    title = static_text(screen, "#page-title")
    assert "Original page 3" in title and "Bates NYPD-FOIL-000203" in title and "text by OCR" in title
    assert title.endswith("· samples/nypd-clearview/round2/NYPD-FOIL-2020-PL-0312-part2-scanned.pdf")  # as stored
    copy = static_text(screen, "#page-copy")
    assert copy == "Copy 2 of 2 (c: next copy)  · Release: NYPD FOIL 2020-PL-0312 part 2"
    assert screen.query(HalfcellImage), "the page should be drawn in half-block characters"
    page_text = static_text(screen, "#page-text")
    assert "gone on to make arrests, including\ncase █[REDACTED POL 87(2)(e)]█." in page_text
    assert "Page 3 NYPD-FOIL-000203" in page_text and "2019-040-00123" not in page_text


def back_from_page(app) -> None:
    assert isinstance(app.screen, MainScreen)
    assert main_screen(app).reading_view.focused_message.subject == "RE: Trial results"


def tag_picker(app) -> None:
    picker = app.screen
    assert isinstance(picker, TagPicker)
    options = picker.query_one(OptionList)
    assert str(options.get_option_at_index(options.highlighted).prompt) == f"+ create tag {tour.TAG}"


def tagged(app) -> None:
    screen = main_screen(app)
    assert f"Tagged the message with {tour.TAG}." in notified(app)
    assert tour.TAG in screen.reading_view.focused_message.tags
    assert f"#{tour.TAG} 1" in screen_text(app)
    assert f"#{tour.TAG}" in screen.thread_list.row_text(screen.thread_list.highlighted, 200).plain


def timeline(app) -> None:
    screen = app.screen
    assert isinstance(screen, TimelineScreen)
    assert (screen.unit, screen.lanes, screen.day.isoformat()) == ("month", "thread", "2018-10-01")
    assert main_screen(app).query_text == ""
    events = [event.label for event in screen.data.events]
    for event in ("First contact", "Trial period begins", "Trial period ends", "News reporting on Clearview AI"):
        assert any(label.startswith(event) for label in events), event
    summary = static_text(screen, "#timeline-summary")
    assert "3 messages" in summary
    assert "▼ First contact: vendor CEO introduced to the Deputy Inspector" in summary


def month_chosen(app) -> None:
    assert main_screen(app).query_text == "date:2018-10-01..2018-10-31"
    assert "Introduction: Clearview AI" in listed_subjects(app)


def releases(app) -> None:
    screen = app.screen
    assert isinstance(screen, ReleasesScreen)
    names = [r.name for r in screen.releases]
    assert names[0] == "HSI referral 2021-ICFO-04417"
    assert any(r.status == "no_records" and "2020-PL-0388" in r.name for r in screen.releases)
    assert screen.query_one(DataTable).cursor_row == 0
    table = screen.query_one(DataTable)
    assert table.virtual_size.width <= table.scrollable_content_region.width
    detail = static_text(screen, "#releases-detail")
    assert "U.S. Immigration and Customs Enforcement (HSI) · request 2021-ICFO-04417" in detail


def release_chosen(app) -> None:
    assert main_screen(app).query_text == 'release:"HSI referral 2021-ICFO-04417"'
    assert listed_subjects(app) == ["Homeland Security contacts"]


def export_dialog(app) -> None:
    dialog = app.screen
    assert isinstance(dialog, ExportDialog)
    assert main_screen(app).query_text == ""
    assert tour.TAG in {tag.name for tag in dialog.export.tags} and not dialog.query("#export-query")
    preview = str(dialog.query_one("#export-preview-text", Static).render())
    section = preview.split(f"## {tour.TAG}\n", 1)[1].split("\n## ", 1)[0]
    assert "gone on to make arrests" in section and "“RE: Trial results”" in section


def exported(app) -> None:
    written = Path.cwd() / "foia-export.md"
    assert any(message.endswith(f"to {written}.") for message in notified(app))
    result = CliRunner().invoke(foia, ["export", "-o", "cli-export.md", "--db", str(app.archive.path)])
    assert result.exit_code == 0, result.output
    made = re.compile(rb"^Made .*\n", re.MULTILINE)  # the time each was made
    assert made.sub(b"", written.read_bytes()) == made.sub(b"", Path("cli-export.md").read_bytes())


def help_screen(app) -> None:
    assert isinstance(app.screen, HelpScreen)
    table = app.screen.query_one(DataTable)
    actions = {str(table.get_row_at(i)[1]) for i in range(table.row_count)}
    assert {"Search", "Next message", "Leaked text", "Original page", "Tag message", "Timeline", "Releases"} <= actions
    assert "Export" in actions and "Clear search" in actions


def back_on_main(app) -> None:
    assert isinstance(app.screen, MainScreen)


def nothing(app) -> None:
    pass


CHECKS: dict[int, tuple[Callable, Callable]] = {
    0: (first_start, nothing),
    1: (search_as_typed, search_submitted),
    2: (nothing, thread_opened),
    3: (next_email, next_email),
    4: (leak_shown, leak_shown),
    5: (original_page, back_from_page),
    6: (tag_picker, tagged),
    7: (timeline, month_chosen),
    8: (releases, release_chosen),
    9: (export_dialog, exported),
    10: (help_screen, back_on_main),
}


async def test_the_tour_works_as_written(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the export dialog writes ./foia-export.md
    app = tour.app_on_sample(tmp_path)
    done: list[tuple[int, str]] = []

    def at_shot(number, step) -> None:
        CHECKS[number][0](app)
        done.append((number, "shot"))

    def after(number, step) -> None:
        CHECKS[number][1](app)
        done.append((number, "after"))

    try:
        async with tour.run_headless(app) as pilot:
            await tour.walk(pilot, at_shot, after)
    finally:
        app.archive.close()
    assert len(tour.STEPS) == 10
    expected = [
        (number, phase)
        for number, step in enumerate((tour.FIRST_START, *tour.STEPS))
        for phase in (("shot", "after") if tour.SHOT in step.keys else ("after",))
    ]
    assert done == expected


def test_the_tour_page_has_the_walked_steps_and_their_screenshots():
    text = TOUR_MD.read_text(encoding="utf-8")
    headings = re.findall(r"^### (\d+)\. (.+)$", text, flags=re.MULTILINE)
    assert headings == [(str(n), step.title) for n, step in enumerate(tour.STEPS, start=1)]
    assert f"## {tour.FIRST_START.title}" in text
    pictures = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", text)
    shots = [f"{step.shot}.svg" for step in (tour.FIRST_START, *tour.STEPS) if step.shot]
    assert pictures == shots
    for picture in pictures:
        assert (TOUR_MD.parent / picture).is_file(), f"run scripts/screenshots.py: docs/{picture} is missing"


@pytest.mark.parametrize(
    "fact",
    [
        "**5 threads**",
        "NYPD-FOIL-000203",
        "*NYPD FOIL 2020-PL-0312 part 2*",
        "*Copy 2 of 2*",
        "*NYPD FOIL 2020-PL-0312 part 1*",
        "closed entry, *Redacted*",
        "LEAKED: 2019-040-00123",
        "Bates `NYPD-FOIL-000006`",
        "Bates `NYPD-FOIL-000203`",
        "*text by OCR*",
        "+ create tag leak",
        "#leak 1",
        "▼ First contact: vendor CEO introduced to the Deputy\nInspector",
        "`date:2018-10-01..2018-10-31`",
        '`release:"HSI referral 2021-ICFO-04417"`',
        "Homeland Security contacts",
        "Introduction: Clearview AI",
    ],
)
def test_the_tour_page_says_what_the_walk_checks(fact):
    """The specifics the walk asserts are the ones the page promises (so a changed sample fails here too)."""
    assert " ".join(fact.split()) in " ".join(TOUR_MD.read_text(encoding="utf-8").split())
