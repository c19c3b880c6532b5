"""The timeline's numbers and documents: bucket counts against SQL and generated truth, lanes, events, the
chronology golden file and the `foia timeline` / `foia event` commands."""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner

from foia_tui.app.widgets.timeline_chart import draw_chart, viewport
from foia_tui.archive import Archive
from foia_tui.archive import timeline as archive_timeline
from foia_tui.archive.store import store_document
from foia_tui.archive.timeline import (
    add_event,
    day_counts,
    distinct_count,
    lanes_for,
    list_events,
    period_summary,
    person_lanes,
    remove_event,
    thread_lanes,
)
from foia_tui.cli import main
from foia_tui.domain.people import display_name
from foia_tui.domain.timeline import (
    UNITS,
    Event,
    Lane,
    Series,
    TimelineData,
    bucket_end,
    bucket_index,
    bucket_label,
    bucket_start,
    chronology_markdown,
    excerpt,
    parse_day,
    period_query,
    roll_lanes,
    rollup,
    shift,
    zoom,
)
from foia_tui.services.importing import run_import
from foia_tui.services.rethreading import rebuild_conversations
from foia_tui.services.timeline import bucket_counts, chronology, load_timeline
from importers.records import Address, DocumentRecord, MessageRecord, PageRecord
from tests.support import mailgen
from tests.support.sql import sql_rows, sql_value

GOLDEN = Path(__file__).parent / "golden"


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


# -- a generated archive: 400 emails over three years, the first 60 also imported as .eml (duplicates) --------


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> tuple[Archive, list]:
    folder = tmp_path_factory.mktemp("timeline")
    mails = mailgen.corpus(400, seed=8)
    truths = mailgen.write_mbox(folder / "all.mbox", mails)
    mailgen.write_eml(folder / "copies", mails[:60])
    archive = Archive.open(folder / "archive.db")
    run_import(archive, [str(folder / "all.mbox"), str(folder / "copies")], workers=1)
    yield archive, truths
    archive.close()


def sql_count(archive: Archive, start: date, end: date, where: str = "1", params: tuple = ()) -> int:
    """Distinct emails in [start, end], counted the plain way (on the day each counts on in its release's zone)."""
    return sql_value(
        archive,
        f"""SELECT count(*) FROM messages m WHERE m.duplicate_of IS NULL AND m.sent_day >= ? AND m.sent_day < ?
            AND {where}""",
        (start.isoformat(), (end + timedelta(days=1)).isoformat(), *params),
    )


@pytest.mark.parametrize("unit", UNITS)
def test_bucket_counts_agree_with_sql_counts(generated, unit):
    archive, _ = generated
    series = bucket_counts(archive, unit)
    span = series.span()
    assert span, "the generated archive spans three years"
    for start, count in span:
        assert count == sql_count(archive, start, bucket_end(start, unit)), (unit, start)
    distinct = sql_value(archive, "SELECT count(*) FROM messages WHERE duplicate_of IS NULL")
    assert series.total == distinct_count(archive) == distinct == 400  # every generated email is dated
    assert sql_value(archive, "SELECT count(*) FROM messages") == 460  # the 60 copies are left out above


@pytest.mark.parametrize("unit", UNITS)
def test_bucket_counts_match_the_generated_truth(generated, unit):
    archive, truths = generated
    # zoned dates are bucketed by their day in the releases' zone: the offset most of their mail shows
    assert {r["tz"] for r in sql_rows(archive, "SELECT tz FROM releases")} == {"UTC-05:00"}
    here = timezone(timedelta(hours=-5))
    expected = Counter(bucket_start(datetime.fromisoformat(t.sent).astimezone(here).date(), unit) for t in truths)
    assert bucket_counts(archive, unit).counts == dict(expected)


def test_search_overlay_counts_only_the_hits(generated, monkeypatch):
    archive, _ = generated
    email = "june.park@agency.example.gov"
    ids = [r["id"] for r in sql_rows(archive, "SELECT id FROM messages WHERE sender_email = ?", (email,))]
    hits = bucket_counts(archive, "month", ids)
    assert hits.total == sql_value(
        archive, "SELECT count(*) FROM messages WHERE sender_email = ? AND duplicate_of IS NULL", (email,)
    )
    for start, count in hits.span():
        assert count == sql_count(archive, start, bucket_end(start, "month"), "m.sender_email = ?", (email,))
    assert bucket_counts(archive, "week", []).total == 0
    # many hits are matched by scanning the date index instead of looked up one by one: same counts
    monkeypatch.setattr(archive_timeline, "SCAN_ABOVE", 0)
    assert bucket_counts(archive, "month", ids).counts == hits.counts


def test_person_lanes_count_every_message_a_person_wrote_or_received(generated):
    archive, _ = generated
    lanes = {lane.label: lane for lane in person_lanes(archive)}
    names = {display_name(name): email for name, email, _ in mailgen.PEOPLE}  # "Doe, John" is John Doe
    assert set(lanes) == set(names)
    for name, email in names.items():
        involved = sql_value(
            archive,
            """SELECT count(DISTINCT m.id) FROM messages m JOIN participants p ON p.message_id = m.id
               WHERE m.duplicate_of IS NULL AND p.email = ? AND p.role IN ('from', 'to', 'cc')""",
            (email,),
        )
        assert lanes[name].total == involved, name
        for day, n in lanes[name].counts.items():
            assert n == sql_count(
                archive,
                day,
                day,
                "m.id IN (SELECT message_id FROM participants WHERE email = ? AND role IN ('from', 'to', 'cc'))",
                (email,),
            )
    totals = [lane.total for lane in person_lanes(archive)]
    assert totals == sorted(totals, reverse=True)


def test_thread_lanes_follow_the_thread_table(generated):
    archive, _ = generated
    lanes = thread_lanes(archive, limit=20)
    assert len(lanes) == 20
    counts = {r["id"]: r["message_count"] for r in sql_rows(archive, "SELECT id, message_count FROM threads")}
    busiest = sorted(counts.values(), reverse=True)[:20]
    assert sorted((lane.total for lane in lanes), reverse=True) == busiest
    for lane in lanes:
        assert lane.total == counts[lane.key]
    firsts = [min(lane.counts) for lane in lanes]
    assert firsts == sorted(firsts)


def test_lanes_are_remembered_until_the_archive_changes(tmp_path):
    archive = chronology_archive(tmp_path)
    first = lanes_for(archive, "person", "day")
    assert lanes_for(archive, "person", "day") is first
    assert {lane.label for lane in first} == {"Hoan Ton-That", "Inspector Ruiz", "Chief | Ops"}
    later = [MessageRecord(0, "New", HOAN, [Address("Dana Lee", "dana@nypd.example")], sent="2019-02-01T10:00:00")]
    store_document(archive, _doc("later.eml", "eml", later))
    rebuild_conversations(archive)
    again = lanes_for(archive, "person", "day")
    assert again is not first and "Dana Lee" in {lane.label for lane in again}
    archive.close()


def test_period_summary_says_who_and_which_threads(generated):
    archive, _ = generated
    series = bucket_counts(archive, "month")
    start = max(series.counts, key=series.counts.get)
    end = bucket_end(start, "month")
    summary = period_summary(archive, start, end)
    assert summary["messages"] == series.counts[start]
    assert sum(n for _, n in summary["threads"]) == series.counts[start]
    person = summary["people"][0][0]
    lane = next(lane for lane in person_lanes(archive) if lane.label == person)
    mine = period_summary(archive, start, end, lane=lane.key, hits=[])
    assert mine["messages"] == rollup(lane.counts, "month")[start] == summary["people"][0][1]
    assert mine["hits"] == 0


def test_load_timeline_zooms_counts_hits_lanes_and_events_together(generated):
    archive, _ = generated
    event_id = add_event(archive, "2018-06-01", "Contract signed")
    try:
        days = load_timeline(archive, ids=[])
        assert days.unit == "day" and days.hits is not None and days.hits.total == 0
        assert days.events[0].label == "Contract signed"
        months = days.zoomed("month", roll_lanes(thread_lanes(archive), "month"))
        assert months.totals.counts == bucket_counts(archive, "month").counts
        assert months.lanes and all(start.day == 1 for lane in months.lanes for start in lane.counts)
        assert months.start(months.index_of(date(2018, 6, 17))) == date(2018, 6, 1)
    finally:
        remove_event(archive, event_id)


def test_dates_that_are_not_calendar_days_count_as_undated(tmp_path):
    archive = Archive.open(tmp_path / "odd.db")
    sent = [None, "2019-02-30T10:00:00", "Tuesday last", "2019-03-01T10:00:00", "2019-03-01T23:00:00-05:00"]
    records = [MessageRecord(i, f"m{i}", HOAN, [INSPECTOR], sent=s, body=f"body {i}") for i, s in enumerate(sent)]
    store_document(archive, _doc("odd.mbox", "mbox", records))
    rebuild_conversations(archive)
    days = day_counts(archive)
    assert days.counts == {date(2019, 3, 1): 2}  # in no release, so no zone: 23:00 at -05:00 counts on its day
    assert distinct_count(archive) - days.total == 3
    db = str(archive.path)
    archive.close()
    assert "(3 undated not shown)" in run("timeline", "--by", "day", "--db", db).output


# -- calendar and drawing ------------------------------------------------------------------------------------


def test_buckets_are_iso_weeks_and_calendar_months():
    assert bucket_start(date(2019, 3, 10), "week") == date(2019, 3, 4)  # a Sunday belongs to Monday's week
    assert bucket_start(date(2019, 3, 4), "week") == date(2019, 3, 4)
    assert bucket_label(date(2019, 12, 30), "week") == "2020-W01"
    assert bucket_end(date(2020, 2, 1), "month") == date(2020, 2, 29)
    assert shift(date(2019, 11, 1), "month", 3) == date(2020, 2, 1)
    assert shift(date(2019, 1, 1), "month", -1) == date(2018, 12, 1)
    for unit in UNITS:
        first = bucket_start(date(2018, 12, 30), unit)
        for n in (0, 1, 7, 40, 400):
            assert bucket_index(first, shift(first, unit, n), unit) == n
    assert zoom("week", 1) == "day" and zoom("week", -1) == "month" and zoom("month", -1) == "month"
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        parse_day("2019-13-01")


def test_series_span_keeps_the_silences():
    series = Series("day", {date(2019, 1, 5): 2, date(2019, 1, 31): 1, date(2019, 4, 1): 1}).rollup("month")
    assert series.span() == [(date(2019, 1, 1), 3), (date(2019, 2, 1), 0), (date(2019, 3, 1), 0), (date(2019, 4, 1), 1)]
    assert series.total == 4


def test_viewport_keeps_the_cursor_in_view():
    view = viewport(size=1000, width=120, cursor=999, offset=0)
    assert view.offset <= 999 < view.offset + view.visible
    assert viewport(size=1000, width=120, cursor=5, offset=view.offset).offset == 5
    wide = viewport(size=10, width=80, cursor=0, offset=0)
    assert wide.columns == 6 and wide.offset == 0


def _plain(lines) -> list[str]:
    return [line.plain for line in lines]


def test_chart_draws_totals_hits_events_and_lanes():
    totals = Series("day", {date(2019, 1, 1): 16, date(2019, 1, 3): 1, date(2019, 1, 5): 8})
    hits = Series("day", {date(2019, 1, 1): 8})
    data = TimelineData(
        totals, hits, [Lane("a", "Alice", {date(2019, 1, 3): 1})], [Event(1, date(2019, 1, 2), "Trial ends")]
    )
    view = viewport(data.size, 60, 0, 0)
    lines = draw_chart(data, 60, 2, cursor=0, view=view, lane_cursor=0, lane_rows=3)
    plain = _plain(lines)
    assert len(plain) == 1 + 2 + 1 + 1  # events, two bar rows, axis, one lane
    assert len({len(line) for line in plain}) == 1  # every row as wide as the others: columns line up
    assert "▼Trial ends" in plain[0]
    columns = view.columns
    bar = lambda row, bucket: plain[row][20 + bucket * columns]  # noqa: E731
    assert bar(1, 0) == "█" and bar(2, 0) == "█"  # 16 of 16: full height
    assert bar(1, 1) == "│"  # the event's marker runs through the empty bucket
    assert bar(2, 2) == "▁"  # one message among sixteen still shows
    assert bar(1, 4) == " " and bar(2, 4) == "█"  # eight of sixteen: half height
    assert plain[4].startswith("Alice") and plain[4][20 + 2 * columns] == "█"
    # the hits (8 of 16) fill the lower bar row of the first bucket in the hits colour
    styles = {str(span.style) for span in lines[2].spans}
    assert any("#ffaf00" in s for s in styles)


def test_wide_and_hostile_lane_labels_keep_the_columns_aligned():
    day = date(2019, 1, 1)
    labels = ["张伟张伟张伟张伟张伟张伟", "\x1b[31mred\u202e", "[b]x[/b]" * 5]
    data = TimelineData(Series("day", {day: 1}), lanes=[Lane(str(i), t, {day: 1}) for i, t in enumerate(labels)])
    lines = draw_chart(data, 40, 1, 0, viewport(data.size, 40, 0, 0), 0, 5)
    assert {line.cell_len for line in lines} == {lines[1].cell_len}
    assert all("\x1b" not in line.plain and "\u202e" not in line.plain for line in lines)


def test_period_query_replaces_an_earlier_date_filter():
    assert period_query(None, date(2019, 3, 4), date(2019, 3, 10)) == "date:2019-03-04..2019-03-10"
    assert period_query("trial date:2018..2019 from:hoan", date(2019, 3, 1), date(2019, 3, 31)) == (
        "(trial from:hoan) date:2019-03-01..2019-03-31"
    )


def test_excerpt_skips_quotes_and_reply_headers():
    body = "\n> quoted first\nOn Tue, Bob wrote:\nWe will end the trial.\n> more"
    assert excerpt(body) == "We will end the trial."
    assert excerpt("\x1b[31mred\x1b[0m") == "␛[31mred␛[0m"


# -- events ------------------------------------------------------------------------------------------------------


def test_events_round_trip_and_filter_by_range(tmp_path):
    archive = Archive.open(tmp_path / "a.db")
    first = add_event(archive, "2019-03-05", "Trial period ends", "per the contract")
    add_event(archive, date(2019, 1, 2), "Request filed")
    add_event(archive, "2020-07-01T10:00:00", "Records produced")
    assert [e.label for e in list_events(archive)] == ["Request filed", "Trial period ends", "Records produced"]
    march = list_events(archive, date(2019, 3, 1), date(2019, 3, 31))
    assert march == [Event(first, date(2019, 3, 5), "Trial period ends", "per the contract")]
    with pytest.raises(ValueError):
        add_event(archive, "someday", "x")
    with pytest.raises(ValueError):
        add_event(archive, "2019-01-01", "   ")
    assert remove_event(archive, first) and not remove_event(archive, first)
    assert len(list_events(archive)) == 2
    archive.close()


# -- chronology golden file ------------------------------------------------------------------------------------


def _doc(path: str, kind: str, messages: list[MessageRecord], pages: int = 0) -> DocumentRecord:
    return DocumentRecord(
        path=path,
        sha256=hashlib.sha256(path.encode()).hexdigest(),
        kind=kind,
        messages=messages,
        pages=[PageRecord(n, f"page {n}") for n in range(1, pages + 1)],
        page_count=pages or None,
    )


HOAN = Address("Hoan Ton-That", "hoan@clearview.example", "Hoan Ton-That <hoan@clearview.example>")
INSPECTOR = Address("Inspector Ruiz", "ruiz@nypd.example", "Inspector Ruiz <ruiz@nypd.example>")
CHIEF = Address("Chief | Ops", None, "Chief | Ops")


def chronology_archive(folder: Path) -> Archive:
    """A printed release, a native copy of one of its emails (a duplicate) and an undated note."""
    archive = Archive.open(folder / "release.db")
    printed = [
        MessageRecord(
            0,
            "Clearview trial",
            HOAN,
            [INSPECTOR],
            sent="2018-12-04T15:14:00-05:00",
            body="Welcome to the free trial.\nIt ends in 30 days.",
            page_start=1,
            page_end=1,
            bates_start="NYPD-000101",
            copy_kind="print",
        ),
        MessageRecord(
            1,
            "RE: Clearview trial | pricing <script>alert(1)</script>",
            INSPECTOR,
            [HOAN, CHIEF],
            sent="2018-12-20T09:02:00",
            body="> Welcome to the free trial.\nOn Tue, Hoan wrote:\n# We *need* `more` [licenses](http://x) | now",
            page_start=2,
            page_end=3,
            bates_start="NYPD-000102",
            bates_end="NYPD-000103",
            copy_kind="print",
        ),
        MessageRecord(2, "Undated note", CHIEF, [], body="\x1b[2JStill pending.", page_start=4, page_end=4),
    ]
    native = [
        MessageRecord(
            0,
            "Clearview trial",
            HOAN,
            [INSPECTOR],
            sent="2018-12-04T15:14:00-05:00",
            body="Welcome to the free trial.\nIt ends in 30 days.",
            message_id="trial-1@clearview.example",
        )
    ]
    later = [
        MessageRecord(
            0, "Arrest made", INSPECTOR, [CHIEF], sent="2019-01-15T08:00:00+00:00", body="Suspect identified."
        )
    ]
    store_document(archive, _doc("/releases/2019/NYPD release.pdf", "pdf", printed, pages=4))
    store_document(archive, _doc("/mail/trial.eml", "eml", native))
    store_document(archive, _doc("C:\\exports\\arrest.eml", "eml", later))
    rebuild_conversations(archive)
    add_event(archive, "2018-12-05", "Trial starts", "30-day | free <b>trial</b>")
    add_event(archive, "2019-01-03", "Trial period ends")
    add_event(archive, "2021-01-01", "Outside the span")
    return archive


@pytest.mark.parametrize(
    ("golden", "query"), [("chronology.md", None), ("chronology-trial.md", "trial")], ids=["all", "query"]
)
def test_chronology_markdown_matches_the_golden_file(tmp_path, golden, query):
    archive = chronology_archive(tmp_path)
    db = str(archive.path)
    archive.close()
    args = ["timeline", "--chronology", "--format", "md", "--db", db] + (["--query", query] if query else [])
    result = run(*args)
    assert result.exit_code == 0, result.output
    path = GOLDEN / golden
    if os.environ.get("UPDATE_GOLDEN"):
        path.parent.mkdir(exist_ok=True)
        path.write_text(result.output, encoding="utf-8")
    assert result.output == path.read_text(encoding="utf-8")
    assert run(*args).output == result.output  # deterministic


def test_chronology_of_a_search_keeps_its_messages_and_the_events_between_them(tmp_path):
    archive = chronology_archive(tmp_path)
    db = str(archive.path)
    archive.close()
    rows = json.loads(run("timeline", "--chronology", "--query", "trial", "--json", "--db", db).output)
    assert [(r["kind"], r["date"][:10]) for r in rows] == [
        ("message", "2018-12-04"),
        ("event", "2018-12-05"),
        ("message", "2018-12-20"),
    ]
    bad = CliRunner().invoke(main, ["timeline", "--chronology", "--query", '"unclosed', "--db", db])
    assert bad.exit_code == 2 and bad.output.startswith("foia: bad query:") and bad.output.count("\n") == 1


def test_chronology_rows_are_dated_cited_and_skip_duplicates(tmp_path):
    archive = chronology_archive(tmp_path)
    rows = chronology(archive)
    kinds = [(r["kind"], r.get("subject") or r.get("label")) for r in rows]
    assert kinds == [
        ("message", "Clearview trial"),
        ("event", "Trial starts"),
        ("message", "RE: Clearview trial | pricing <script>alert(1)</script>"),
        ("event", "Trial period ends"),
        ("message", "Arrest made"),
        ("message", "Undated note"),
    ]
    assert rows[0]["citation"] in ("trial.eml", "NYPD release.pdf, p. 1, Bates NYPD-000101")
    assert rows[2]["citation"] == "NYPD release.pdf, pp. 2–3, Bates NYPD-000102–NYPD-000103"
    assert rows[2]["to"] == "Hoan Ton-That, Chief | Ops"
    assert rows[4]["citation"] == "arrest.eml"
    markdown = chronology_markdown(rows)
    table = [line for line in markdown.splitlines() if line.startswith("| ")]
    # each row has exactly the five cells: no document text adds or breaks a column
    assert {line.replace("\\|", "").count("|") for line in table} == {6}
    assert "<script>" not in markdown and "<b>" not in markdown and "\x1b" not in markdown
    archive.close()


# -- CLI -------------------------------------------------------------------------------------------------------------


def test_timeline_command_prints_buckets(generated):
    archive, _ = generated
    db = str(archive.path)
    result = run("timeline", "--by", "week", "--json", "--db", db)
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert set(out) == {"by", "query", "buckets", "total", "undated"}
    assert out["by"] == "week" and out["total"] == 400 and out["undated"] == 0
    assert set(out["buckets"][0]) == {"bucket", "start", "end", "count"}
    series = bucket_counts(archive, "week")
    assert {b["start"]: b["count"] for b in out["buckets"]} == {s.isoformat(): n for s, n in series.span()}
    june = run("timeline", "--by", "month", "--query", "from:june.park@agency.example.gov", "--json", "--db", db)
    ids = [
        r["id"]
        for r in sql_rows(archive, "SELECT id FROM messages WHERE sender_email = 'june.park@agency.example.gov'")
    ]
    expected = bucket_counts(archive, "month", ids)
    assert {b["start"]: b["count"] for b in json.loads(june.output)["buckets"]} == {
        s.isoformat(): n for s, n in expected.span()
    }
    text = run("timeline", "--db", db).output.splitlines()
    assert text[-1].split()[:2] == ["total", "400"]
    assert len(text) == len(bucket_counts(archive, "month").span()) + 1


def test_event_commands(tmp_path):
    db = str(tmp_path / "e.db")
    Archive.open(db).close()
    added = run("event", "add", "2019-03-05", "Trial period ends", "--note", "per contract", "--db", db)
    assert added.exit_code == 0 and added.output.strip() == "1"
    run("event", "add", "2019-01-02", "Request filed", "--db", db)
    listed = json.loads(run("event", "list", "--json", "--db", db).output)
    assert [(e["id"], e["date"], e["label"], e["note"]) for e in listed] == [
        (2, "2019-01-02", "Request filed", None),
        (1, "2019-03-05", "Trial period ends", "per contract"),
    ]
    assert set(listed[0]) == {"id", "date", "label", "note", "created_at"}
    assert "Trial period ends  (per contract)" in run("event", "list", "--db", db).output
    bad = CliRunner().invoke(main, ["event", "add", "2019-02-30", "x", "--db", db])
    assert bad.exit_code == 2 and bad.output.count("\n") == 1 and "YYYY-MM-DD" in bad.output
    assert run("event", "rm", "1", "--db", db).exit_code == 0
    missing = CliRunner().invoke(main, ["event", "rm", "1", "--db", db])
    assert missing.exit_code == 1 and "no event with id 1" in missing.output
    assert [e["id"] for e in json.loads(run("event", "list", "--json", "--db", db).output)] == [2]
