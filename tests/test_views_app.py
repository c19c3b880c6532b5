"""Views that say more (issue 21, item 6), driven with Pilot on real archives: the timeline's one redacted lane,
whole event labels, its place kept between visits and periods that replace each other; the releases screen's
keys, detail and comparison; the original page's zoom, desktop viewer and the raw view of native mail."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from typing import TypeVar

import pytest
from click.testing import CliRunner
from textual.widgets import DataTable, Static

from foia_tui.app.app import FoiaApp
from foia_tui.app.screens.main import MainScreen
from foia_tui.app.screens.original import OriginalPageScreen
from foia_tui.app.screens.releases import ComparisonScreen, ReleasesScreen
from foia_tui.app.screens.timeline import TimelineChart, TimelineScreen
from foia_tui.archive import Archive
from foia_tui.archive.store import store_document
from foia_tui.archive.timeline import add_event
from foia_tui.cli import main
from foia_tui.domain.timeline import bucket_end
from foia_tui.services.rethreading import rebuild_conversations
from tests.conftest import settle
from tests.support.archive_factory import EXPOSED, HSI, NYPD, add_releases, build_small_archive, screen_text
from tests.support.sql import sql_rows, sql_value

SIZE = (120, 40)


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """The small archive (boxes with codes, a leak, redacted correspondents) in three releases."""
    small = build_small_archive(tmp_path_factory.mktemp("views"))
    add_releases(small)
    return small


def text_of(screen, selector: str) -> str:
    return screen.query_one(selector, Static).content.plain


def chart_text(screen) -> str:
    return screen.query_one(TimelineChart).render().plain


S = TypeVar("S")


async def opened(pilot, key: str, kind: type[S]) -> S:
    """The screen `key` opens, once it has settled."""
    await pilot.press(key)
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, kind)
    return screen


async def open_timeline(pilot) -> TimelineScreen:
    return await opened(pilot, "g", TimelineScreen)


# -- the timeline --------------------------------------------------------------------------------------------


async def test_redacted_correspondents_share_one_lane(small):
    redacted_people = sql_value(small.archive, "SELECT count(*) FROM people WHERE redacted")
    assert redacted_people > 1  # each box is a person of its own …
    with_redacted = sql_value(
        small.archive,
        """SELECT count(DISTINCT m.id) FROM messages m JOIN participants p ON p.message_id = m.id
           JOIN people pe ON pe.id = p.person_id
           WHERE pe.redacted AND p.role IN ('from', 'to', 'cc') AND m.duplicate_of IS NULL
             AND m.sent_day IS NOT NULL""",
    )
    app = FoiaApp(small.archive)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        timeline = await open_timeline(pilot)
        labels = [lane.label for lane in timeline.data.lanes]
        assert labels.count("redacted") == 1 and not any("REDACTED" in label for label in labels)  # … one lane
        redacted = next(lane for lane in timeline.data.lanes if lane.label == "redacted")
        assert redacted.total == with_redacted
        timeline.lane_cursor = labels.index("redacted")
        await pilot.press("home")  # the first week: the trial's first two emails, each naming a box
        await settle(pilot)
        summary = text_of(timeline, "#timeline-summary").splitlines()
        assert summary[1] == "redacted: 2 messages here"
        assert summary[2] == "Who: Hoan Ton-That (2) · redacted (2)"  # the boxes counted together there too


async def test_event_labels_are_whole_when_there_is_room(tmp_path):
    small = build_small_archive(tmp_path)
    first = min(r["sent_day"] for r in sql_rows(small.archive, "SELECT sent_day FROM messages"))
    labels = ["Request filed with the NYPD records office", "Records produced in a first partial release"]
    add_event(small.archive, first, labels[0])
    add_event(small.archive, first[:8] + "28", labels[1])  # the same month: both on one marker …
    later = (bucket_end(date.fromisoformat(first), "month") + timedelta(days=1)).isoformat()
    long_label = "Appeal filed because the release withheld every name of a detective"
    add_event(small.archive, later, long_label)  # … and the next month's marker, one column group away
    app = FoiaApp(small.archive)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        timeline = await open_timeline(pilot)
        await pilot.press("minus")  # by month: the three events sit at the left edge, side by side
        await settle(pilot)
        chart = chart_text(timeline)
        assert f"{labels[0]} +1" in chart and long_label in chart
        assert "…" not in chart.splitlines()[0] + chart.splitlines()[1]
    small.archive.close()


async def test_the_timeline_keeps_its_mode_and_cursor_between_visits(small):
    app = FoiaApp(small.archive)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        timeline = await open_timeline(pilot)
        await pilot.press("minus", "s", "home", "shift+right", "down")
        await settle(pilot)
        where = (timeline.unit, timeline.lanes, timeline.cursor, timeline.lane_cursor)
        assert where[:2] == ("month", "thread") and where[3] == 1
        summary = text_of(timeline, "#timeline-summary")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        again = await open_timeline(pilot)
        assert again is not timeline
        assert (again.unit, again.lanes, again.cursor, again.lane_cursor) == where
        assert text_of(again, "#timeline-summary") == summary
        assert "by month" in text_of(again, "#timeline-title") and "lanes: threads" in text_of(again, "#timeline-title")


async def test_a_new_period_replaces_the_last_one_in_the_search(small):
    app = FoiaApp(small.archive)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        main = app.screen
        main.show_query("trial")
        await settle(pilot)
        timeline = await open_timeline(pilot)
        await pilot.press("minus", "home", "shift+right", "enter")
        await settle(pilot)
        first = timeline.data.start(timeline.cursor)
        assert main.query_text == f"(trial) date:{first.isoformat()}..{bucket_end(first, 'month').isoformat()}"
        timeline = await open_timeline(pilot)
        await pilot.press("shift+right", "enter")
        await settle(pilot)
        second = timeline.data.start(timeline.cursor)
        assert second != first
        assert main.query_text == f"(trial) date:{second.isoformat()}..{bucket_end(second, 'month').isoformat()}"


# -- the releases screen -------------------------------------------------------------------------------------


async def open_releases(pilot) -> ReleasesScreen:
    return await opened(pilot, "L", ReleasesScreen)


async def test_releases_j_k_move_and_the_detail_counts_boxes_codes_and_exposures(small):
    app = FoiaApp(small.archive)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await open_releases(pilot)
        table = screen.query_one(DataTable)
        assert [r.name for r in screen.releases] == [HSI, *NYPD]
        await pilot.press("j")
        await settle(pilot)
        assert table.cursor_row == 1
        release = screen.releases[1]
        boxes = sql_rows(
            small.archive,
            """SELECT x.code, x.leaked_text FROM redactions x
               JOIN release_documents rd ON rd.document_id = x.document_id
               JOIN releases r ON r.id = rd.release_id WHERE r.name = ?""",
            (release.name,),
        )
        codes = Counter(box["code"] for box in boxes)
        detail = text_of(screen, "#releases-detail").splitlines()
        assert detail[1] == f"{release.messages} messages · {release.pages} pages · {len(boxes)} boxes"
        assert detail[2] == "Boxes per code: " + " · ".join(f"{c}: {n}" for c, n in codes.most_common())
        leaked = sum(1 for box in boxes if box["leaked_text"])
        assert (
            leaked == 1 and detail[3] == f"Exposures: {leaked} leaked, 0 possibly readable, 1 shown by another release"
        )
        await pilot.press("k")
        await settle(pilot)
        assert table.cursor_row == 0 and text_of(screen, "#releases-detail").startswith(HSI)
        assert "Exposures: 0 leaked" in text_of(screen, "#releases-detail")


async def test_two_releases_compared_in_the_app_say_what_foia_compare_prints(small):
    printed = CliRunner().invoke(main, ["compare", NYPD[0], HSI, "--db", str(small.path)])
    assert printed.exit_code == 0, printed.output
    app = FoiaApp(small.archive)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await open_releases(pilot)
        await pilot.press("j", "c", "k", "c")  # mark NYPD part 1, then compare it with the HSI referral
        await settle(pilot)
        comparison = app.screen
        assert isinstance(comparison, ComparisonScreen)
        shown = text_of(comparison, "#comparison-text")
        assert shown.splitlines() == printed.output.splitlines()
        assert "1 passages boxed in one and readable in the other" in shown and EXPOSED in shown
        await pilot.press("escape")
        assert app.screen is screen


# -- the original page ---------------------------------------------------------------------------------------


async def open_original(pilot) -> OriginalPageScreen:
    await pilot.press("end", "enter")
    await settle(pilot)
    assert pilot.app.screen.thread.subject == "Clearview trial"
    await pilot.press("o")
    await settle(pilot)
    page = pilot.app.screen
    assert isinstance(page, OriginalPageScreen) and page.query(".page-image")
    return page


def drawn(page: OriginalPageScreen):
    return page.query_one(".page-image").image


async def test_zoom_and_pan_change_what_the_page_shows(small):
    app = FoiaApp(small.archive)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        page = await open_original(pilot)
        whole = drawn(page)
        assert "Zoom in" in screen_text(app) and "Pan" not in screen_text(app)  # nothing to pan at the whole page
        await pilot.press("plus")
        await settle(pilot)
        closer = drawn(page)
        assert page.view.zoom == 1.5 and "zoom 1.5×" in page.query_one("#page-image").border_subtitle
        # rendered 1.5 times sharper, then cut to the middle two thirds: about as many pixels, other ones
        assert abs(closer.width - whole.width) <= 2 and closer.tobytes() != whole.tobytes()
        assert "Pan (←↓↑→ or hjkl)" in screen_text(app)
        assert "Previous page" not in screen_text(app)  # ← pans now: the footer does not offer it as a page turn
        await pilot.press("left", "k")  # to the top left corner, where the email's text is printed
        await settle(pilot)
        panned = drawn(page)
        assert (page.view.x, page.view.y) < (0.5, 0.5) and panned.tobytes() != closer.tobytes()
        assert page.numbers[page.index] == 1  # the arrows panned; they did not turn the page
        await pilot.press("0")
        await settle(pilot)
        assert page.view.zoom == 1 and drawn(page).size == whole.size
        await pilot.press("question_mark")
        table = app.screen.query_one(DataTable)
        rows = {tuple(str(cell) for cell in table.get_row_at(i)) for i in range(table.row_count)}
        assert ("+ / =", "Zoom in", "Original page") in rows
        assert any(r[0].startswith("v") and "$FOIA_PDF_VIEWER" in r[1] and "{page}" in r[1] for r in rows)


async def test_v_opens_the_page_in_the_viewer_named_or_says_there_is_none(small, tmp_path, monkeypatch):
    said = tmp_path / "viewer-args.txt"
    script = tmp_path / "viewer"
    script.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > "{said}"\n')
    script.chmod(0o755)
    monkeypatch.setenv("FOIA_PDF_VIEWER", f"{script} --page={{page}} {{file}}")
    app = FoiaApp(small.archive)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        page = await open_original(pilot)
        await pilot.press("v")
        for _ in range(100):
            if said.exists() and said.read_text():
                break
            await pilot.pause(0.05)
        assert said.read_text().splitlines() == ["--page=1", str(small.pdf)]
        assert any("Opened page 1" in n.message for n in app._notifications)
        monkeypatch.delenv("FOIA_PDF_VIEWER")
        monkeypatch.setenv("PATH", str(tmp_path / "nowhere"))  # no xdg-open either
        await pilot.press("v")
        await pilot.pause()
        assert isinstance(app.screen, OriginalPageScreen) and app.screen is page
        assert any("No PDF viewer found" in n.message for n in app._notifications)


# -- native mail: raw headers and MIME parts -------------------------------------------------------------------

HOSTILE_HEADER = "[bold red]LOUD[/] \x1b[31m"
EML = f"""From: Dana Lee <dana@nypd.example>
To: Sam Ortiz <sam@counsel.example>
Subject: Contract draft
Date: Tue, 02 Mar 2021 10:00:00 -0500
Message-ID: <draft@nypd.example>
X-Hostile: {HOSTILE_HEADER}
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="B"

--B
Content-Type: text/plain; charset=utf-8

Draft attached.
--B
Content-Type: application/pdf; name="contract [draft].pdf"
Content-Disposition: attachment; filename="contract [draft].pdf"
Content-Transfer-Encoding: base64

JVBERi0xLjQKJeLjz9MK
--B--
"""
MBOX = """From a@example Mon Jan  6 10:00:00 2020
From: Inspector Ruiz <ruiz@nypd.example>
Subject: First of two
Date: Mon, 06 Jan 2020 10:00:00 -0500
Message-ID: <one@nypd.example>

One.

From b@example Mon Jun  1 10:00:00 2020
From: Inspector Ruiz <ruiz@nypd.example>
Subject: Second of two
Date: Mon, 01 Jun 2020 10:00:00 -0500
Message-ID: <two@nypd.example>
X-Only-In-The-Second: yes

Two.
"""


@pytest.fixture
def native(tmp_path):
    """An archive of a MIME .eml (newest) and a two-message mbox, imported by the real importers."""
    from importers import eml, mbox

    (tmp_path / "draft.eml").write_text(EML)
    (tmp_path / "list.mbox").write_text(MBOX)
    archive = Archive.open(tmp_path / "archive.db")
    store_document(archive, eml.parse(tmp_path / "draft.eml"))
    store_document(archive, mbox.parse(tmp_path / "list.mbox"))
    rebuild_conversations(archive)
    yield archive, tmp_path
    archive.close()


async def open_native(archive, keys: tuple[str, ...]) -> tuple[str, str]:
    """The raw-headers and MIME-parts panes of the thread reached with `keys`."""
    app = FoiaApp(archive)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        await pilot.press(*keys, "enter")
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        page = app.screen
        assert isinstance(page, OriginalPageScreen) and not page.query(".page-image")
        assert page.check_action("zoom", (1,)) is None and page.check_action("viewer", ()) is None
        assert page.query_one("#page-image").border_title == "Raw headers"
        assert "Original message" in str(page.query_one("#page-title", Static).render())
        return text_of(page, "#page-note"), text_of(page, "#page-text")


async def test_native_mail_shows_its_raw_headers_and_mime_parts(native):
    archive, folder = native
    headers, parts = await open_native(archive, ("home",))
    assert "not a printed page" in headers
    for line in ("From: Dana Lee <dana@nypd.example>", "Subject: Contract draft", "Message-ID: <draft@nypd.example>"):
        assert line in headers.splitlines()
    assert "X-Hostile: [bold red]LOUD[/] ␛[31m" in headers  # literal: no markup, no escape reaches the terminal
    assert parts.splitlines() == [
        "multipart/mixed",
        "  text/plain  15 bytes",
        "  application/pdf  contract [draft].pdf  15 bytes",
    ]
    headers, _ = await open_native(archive, ("home", "j"))  # the mbox's second message, not its first
    assert "Subject: Second of two" in headers and "X-Only-In-The-Second: yes" in headers
    (folder / "draft.eml").unlink()
    headers, parts = await open_native(archive, ("home",))
    assert "The file is gone: " in headers and "draft.eml" in headers and parts == ""
