"""One clock: each release's time zone orders its printed times and counts its days (issue 21, item 7).

Mailboxes are generated here with mail from several zones and late-evening times at month ends, imported for
real; `foia timeline --by month` must agree, month by month, with the days `foia list` gives each message,
and with what the test works out itself in the release's zone.
"""

from __future__ import annotations

import hashlib
import json
import random
import sqlite3
from collections import Counter
from datetime import UTC, date, datetime, timedelta, tzinfo
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner
from textual.widgets import Static

from foia_tui.app.app import FoiaApp
from foia_tui.app.screens.releases import ReleasesScreen
from foia_tui.archive import Archive
from foia_tui.archive.schema import INDEX_TRIGGER_NAMES, SCHEMA_VERSION
from foia_tui.cli import main
from foia_tui.domain.clock import detect_zone, moment, sort_window, zone, zone_name
from tests.conftest import settle
from tests.support.archive_factory import screen_text

NY, BERLIN, TOKYO = ZoneInfo("America/New_York"), ZoneInfo("Europe/Berlin"), ZoneInfo("Asia/Tokyo")
PRINTED = None  # a Date header with no zone: a wall-clock time, read in the release's zone


def run(*args: str) -> str:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == 0, (args, result.output)
    return result.output


def json_lines(*args: str) -> list[dict]:
    return [json.loads(line) for line in run(*args, "--json").splitlines() if line.strip()]


# -- the domain ------------------------------------------------------------------------------------------------


def test_new_york_is_detected_from_offsets_across_daylight_saving():
    sents = [f"2019-{m:02d}-10T09:00:00{'-04:00' if 4 <= m <= 10 else '-05:00'}" for m in range(1, 13)]
    assert detect_zone(sents) == "America/New_York"


def test_one_offset_all_year_is_a_fixed_zone_and_no_offset_is_none():
    assert detect_zone([f"2019-{m:02d}-10T09:00:00-05:00" for m in range(1, 13)]) == "UTC-05:00"
    assert detect_zone(["2019-03-04T21:14:00", None, "Monday, garbled"]) is None


def test_zone_names_given_by_a_person():
    assert zone_name("america/new_york") == "America/New_York"
    assert zone_name("-0500") == zone_name("UTC-5") == "UTC-05:00"
    assert zone_name("+09:00") == "UTC+09:00" and zone_name("Z") == "UTC"
    with pytest.raises(ValueError, match="unknown time zone"):
        zone_name("Mars/Olympus_Mons")


def test_a_moment_sorts_by_instant_and_counts_on_its_day_in_the_zone():
    # a printed 9:30 PM on March 31 in New York is April 1 in UTC, and still counts on March 31
    assert moment("2019-03-31T21:30:00", zone("America/New_York")) == moment("2019-03-31T21:30:00-04:00", NY)
    assert moment("2019-03-31T21:30:00-04:00", NY).sort == "2019-04-01T01:30:00"
    assert moment("2019-03-31T21:30:00-04:00", NY).day == "2019-03-31"
    assert moment("2019-03-31T21:30:00-04:00").day == "2019-03-31"  # no zone: the day printed
    assert moment("2019-03-31T21:30:00").sort == "2019-03-31T21:30:00"
    assert moment("not a date") == moment("not a date", NY) and moment("not a date").day is None
    assert sort_window("2019-03-01", "2019-04-01") == ("2019-02-28", "2019-04-02")


# -- mail from several zones, imported for real ---------------------------------------------------------------


def write_mailbox(path: Path, seed: int, zones: list[tuple[ZoneInfo | None, int]], per_month: int = 16) -> None:
    """An mbox of 2019 mail: each message sent from a zone chosen by weight, half of them in the last evening of
    a month or the first morning of the next (where the day depends on the zone it is read in)."""
    rng = random.Random(seed)
    choices, weights = zip(*zones, strict=True)
    out = []
    for month in range(1, 13):
        last = (date(2019, month, 28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
        for n in range(per_month):
            tz = rng.choices(choices, weights)[0]
            if n % 2:
                when = datetime(2019, month, rng.randint(1, 27), rng.randint(8, 18), rng.randint(0, 59))
            elif n % 4:
                when = datetime(last.year, last.month, last.day, rng.randint(20, 23), rng.randint(0, 59))
            else:
                when = datetime(last.year, last.month, last.day) + timedelta(days=1, hours=rng.randint(0, 9))
            msg = EmailMessage()
            msg["From"] = f"Sender {seed}-{month}-{n} <s{seed}.{month}.{n}@example.gov>"
            msg["To"] = "desk@example.gov"
            msg["Subject"] = f"Note {seed}-{month}-{n}"
            msg["Message-ID"] = f"<{seed}.{month}.{n}@example.gov>"
            if tz is PRINTED:
                msg["Date"] = when.strftime("%a, %d %b %Y %H:%M:%S")
            else:
                msg["Date"] = format_datetime(when.replace(tzinfo=tz))
            msg.set_content(f"Message {n} of month {month} from mailbox {seed}.\n")
            out.append(b"From sender@example.gov Mon Jan  1 00:00:00 2019\n" + msg.as_bytes().replace(b"\r\n", b"\n"))
    path.write_bytes(b"\n".join(out))


@pytest.fixture(scope="module")
def mail(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("clock")
    east = folder / "east.mbox"  # mostly New York, with Berlin, Tokyo and printed times
    write_mailbox(east, 1, [(NY, 6), (BERLIN, 2), (TOKYO, 2), (PRINTED, 1)])
    far = folder / "far.mbox"  # mostly Tokyo
    write_mailbox(far, 2, [(TOKYO, 6), (NY, 2), (PRINTED, 1)])
    return {"east": east, "far": far, "folder": folder}


def expected_day(sent: str, tz: tzinfo | None) -> str:
    when = datetime.fromisoformat(sent)
    if when.tzinfo is None or tz is None:
        return when.date().isoformat()
    return when.astimezone(tz).date().isoformat()


def months_by_timeline(db: Path, query: str | None = None) -> Counter:
    args = ["timeline", "--by", "month", "--db", str(db), *(["-q", query] if query else [])]
    buckets = json.loads(run(*args, "--json"))["buckets"]
    return Counter({b["bucket"]: b["count"] for b in buckets if b["count"]})


def release_zones(db: Path) -> dict[str, str | None]:
    return {r["name"]: r["tz"] for r in json_lines("releases", "--db", str(db))}


def listed(db: Path) -> list[dict]:
    return [m for m in json_lines("list", "--all", "--db", str(db)) if m["duplicate_of"] is None]


def check_agreement(db: Path) -> list[dict]:
    """Timeline months == months of `foia list` days == months the test works out in each release's zone."""
    zones = {name: zone(tz) if tz else None for name, tz in release_zones(db).items()}
    messages = listed(db)
    for m in messages:
        (release,) = {c["release"] for c in m["copies"]}
        assert m["day"] == expected_day(m["sent"], zones[release]), m
    assert months_by_timeline(db) == Counter(m["day"][:7] for m in messages)
    return messages


def test_timeline_by_month_agrees_with_list_on_mail_from_several_zones(mail, tmp_path):
    db = tmp_path / "a.db"
    run("import", str(mail["east"]), "--release", "East", "--db", str(db), "--workers", "1")
    run("import", str(mail["far"]), "--release", "Far", "--db", str(db), "--workers", "1")
    # Tokyo keeps one offset all year: that offset is what its mail shows, and all that is claimed
    assert release_zones(db) == {"East": "America/New_York", "Far": "UTC+09:00"}
    messages = check_agreement(db)
    assert len(messages) == 2 * 12 * 16
    # the test means something: counted as the old clock did (zoned times by UTC), most months disagree
    old = Counter(expected_day(m["sent"], UTC)[:7] for m in messages)
    assert sum(old[month] != n for month, n in months_by_timeline(db).items()) >= 6
    # shown times stay as printed (Tokyo's +09:00 too); the order is by instant
    assert any(m["sent"].endswith("+09:00") for m in messages)
    instants = [datetime.fromisoformat(m["sent"]) for m in messages if len(m["sent"]) > 19]
    assert instants == sorted(instants)
    # search date: counts the same days
    march = months_by_timeline(db)["2019-03"]
    hits = json_lines("search", "date:2019-03", "--limit", "1000", "--db", str(db))
    assert len(hits) == march and all(h["day"].startswith("2019-03") for h in hits)
    assert months_by_timeline(db, "date:2019-03") == Counter({"2019-03": march})
    before = json_lines("search", "before:2019-04", "--limit", "1000", "--db", str(db))
    assert len(before) == sum(n for k, n in months_by_timeline(db).items() if k < "2019-04")


def test_tz_at_import_and_release_edit_change_the_counts(mail, tmp_path):
    db = tmp_path / "b.db"
    run("import", str(mail["east"]), "--release", "East", "--tz", "asia/tokyo", "--db", str(db), "--workers", "1")
    (release,) = json_lines("releases", "--db", str(db))
    assert (release["tz"], release["tz_given"]) == ("Asia/Tokyo", True)
    tokyo = months_by_timeline(db)
    check_agreement(db)

    run("release", "edit", "East", "--tz", "UTC-05:00", "--db", str(db))
    assert release_zones(db) == {"East": "UTC-05:00"}
    fixed = check_agreement(db)
    assert months_by_timeline(db) != tokyo
    # a printed 11 PM on the last day of a month counts in that month, whatever its UTC instant
    late = [m for m in fixed if len(m["sent"]) == 19 and m["sent"][11:13] >= "20"]
    assert late and all(m["day"] == m["sent"][:10] for m in late)
    # threads show the days their emails count on
    days: dict[str, list[str]] = {}
    for m in fixed:
        days.setdefault(m["thread_id"], []).append(m["day"])
    threads = json_lines("threads", "--db", str(db))
    assert {t["id"]: (t["first_day"], t["last_day"]) for t in threads} == {
        thread: (min(d), max(d)) for thread, d in days.items()
    }
    one = next(t for t in threads if t["first_day"] != t["first_sent"][:10])
    assert f"{one['first_day']}..{one['last_day']}" in run("threads", "--db", str(db))
    searched = json_lines("search", "--threads", "--limit", "1000", "date:2019", "--db", str(db))
    found = {t["thread_id"]: t for t in searched}
    assert (found[one["id"]]["first_day"], found[one["id"]]["last_day"]) == (one["first_day"], one["last_day"])

    run("release", "edit", "East", "--tz", "", "--db", str(db))  # detect it again
    (release,) = json_lines("releases", "--db", str(db))
    assert (release["tz"], release["tz_given"]) == ("America/New_York", False)
    check_agreement(db)
    # a later import into the release keeps a zone given
    run("release", "edit", "East", "--tz", "Europe/Berlin", "--db", str(db))
    run("import", str(mail["far"]), "--release", "East", "--db", str(db), "--workers", "1")
    assert release_zones(db) == {"East": "Europe/Berlin"}
    check_agreement(db)


def test_a_bad_zone_is_one_line_and_exit_2(mail, tmp_path):
    db = tmp_path / "c.db"
    for args in (["import", str(mail["east"]), "--tz", "Mars/Base"], ["release", "add", "X", "--tz", "+99"]):
        result = CliRunner().invoke(main, [*args, "--db", str(db)])
        assert result.exit_code == 2, result.output
        assert "unknown time zone" in result.output and "Traceback" not in result.output
        assert len(result.output.strip().splitlines()) == 1
    assert not db.exists() or not sqlite3.connect(db).execute("SELECT name FROM sqlite_master").fetchall()


def archive_bytes(db: Path) -> str:
    digest = hashlib.sha256()
    for path in (db, db.with_name(db.name + "-wal")):
        digest.update(path.read_bytes() if path.exists() else b"")
    return digest.hexdigest()


def test_read_only_commands_do_not_set_the_clock(mail, tmp_path):
    db = tmp_path / "d.db"
    run("import", str(mail["east"]), "--release", "East", "--db", str(db), "--workers", "1")
    Archive.open(db).make_single_file()
    before = archive_bytes(db)
    for args in (["timeline", "--by", "day"], ["timeline", "--chronology"], ["list"], ["releases", "--json"],
                 ["search", "date:2019-03"]):  # fmt: skip
        run(*args, "--db", str(db))
    assert archive_bytes(db) == before


def test_the_migration_sets_the_clock_of_an_older_archive(mail, tmp_path):
    db = tmp_path / "e.db"
    run("import", str(mail["east"]), "--release", "East", "--db", str(db), "--workers", "1")
    expected = months_by_timeline(db)
    conn = sqlite3.connect(db, isolation_level=None)  # back to schema 10: no zones, printed times as printed
    conn.executescript(  # (and without schema 12's deferred_index and the index triggers it remakes)
        "".join(f"DROP TRIGGER {trigger};" for trigger in INDEX_TRIGGER_NAMES)
        + """DROP TABLE deferred_index;
           DROP INDEX messages_sent_day; CREATE INDEX messages_sent_id ON messages(sent_sort, id);
           ALTER TABLE messages DROP COLUMN sent_day; ALTER TABLE releases DROP COLUMN tz;
           ALTER TABLE releases DROP COLUMN tz_given; PRAGMA user_version = 10;"""
    )
    conn.close()
    archive = Archive.open(db)
    assert archive.schema_version == SCHEMA_VERSION
    archive.close()
    assert release_zones(db) == {"East": "America/New_York"}
    assert months_by_timeline(db) == expected
    check_agreement(db)


def test_a_copy_in_two_releases_is_read_in_the_first_ones_zone_until_that_one_goes(mail, tmp_path):
    db = tmp_path / "f.db"
    run("import", str(mail["east"]), "--release", "First", "--tz", "Asia/Tokyo", "--db", str(db), "--workers", "1")
    run("import", str(mail["east"]), "--release", "Second", "--tz", "UTC-05:00", "--db", str(db), "--workers", "1")
    first = listed(db)
    assert all(m["day"] == expected_day(m["sent"], TOKYO) for m in first)
    run("release", "rm", "First", "--db", str(db))
    assert release_zones(db) == {"Second": "UTC-05:00"}
    check_agreement(db)
    assert [m["day"] for m in listed(db)] != [m["day"] for m in first]


async def test_the_app_shows_a_releases_zone_and_threads_on_their_days(mail, tmp_path):
    db = tmp_path / "g.db"
    run("import", str(mail["east"]), "--release", "East", "--db", str(db), "--workers", "1")
    threads = {t["id"]: t for t in json_lines("threads", "--db", str(db))}
    archive = Archive.open(db)
    app = FoiaApp(archive)
    try:
        async with app.run_test(size=(140, 40)) as pilot:
            await settle(pilot)
            shown = screen_text(app)
            newest = sorted(threads.values(), key=lambda t: (t["last_sent"], t["id"]), reverse=True)[:20]
            # an evening in New York, the next day in UTC: the list shows the day it counts on
            late = next(t for t in newest if t["last_day"] != t["last_sent"][:10])
            (row,) = [line for line in shown.splitlines() if late["subject"] in line]
            assert late["last_day"] in row and late["last_sent"][:10] not in row
            await pilot.press("L")
            await settle(pilot)
            assert isinstance(app.screen, ReleasesScreen)
            detail = " ".join(str(app.screen.query_one("#releases-detail", Static).render()).split())
            assert "times in America/New_York (detected)" in detail
    finally:
        archive.close()
