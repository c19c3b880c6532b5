"""The `foia` command as scripts use it: subcommands, JSON keys, exit codes, one-line errors."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from email.message import EmailMessage
from pathlib import Path

import pytest
from click.testing import CliRunner

from foia_tui.archive import Archive
from foia_tui.archive.schema import SCHEMA_VERSION
from foia_tui.cli import main

LIST_KEYS = {"id", "thread_id", "subject", "from", "to", "cc", "sent", "source", "body", "redactions", "tags",
             "duplicate_of"}  # fmt: skip


def write_thread(folder: Path, count: int = 4) -> None:
    """A small threaded conversation as .eml files."""
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        message = EmailMessage()
        message["From"] = "Hoan Ton-That <hoan@clearview.ai>" if i % 2 == 0 else "Inspector <di@nypd.example>"
        message["To"] = "di@nypd.example" if i % 2 == 0 else "hoan@clearview.ai"
        message["Subject"] = ("RE: " if i else "") + "Clearview trial"
        message["Date"] = f"Tue, {i + 4:02d} Dec 2018 15:14:00 -0500"
        message["Message-ID"] = f"<msg{i}@example>"
        if i:
            message["In-Reply-To"] = f"<msg{i - 1}@example>"
        message.set_content(f"Note {i}: we continue to receive positive results.")
        (folder / f"{i:02d}.eml").write_bytes(bytes(message))


def run(*args: str, env: dict | None = None):
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


@pytest.fixture
def mail(tmp_path: Path) -> Path:
    write_thread(tmp_path / "mail")
    return tmp_path / "mail"


def test_help_lists_the_commands():
    result = run("--help")
    assert result.exit_code == 0
    for command in ("import", "list", "stats", "open"):
        assert command in result.output


def test_import_twice_adds_nothing_the_second_time(tmp_path, mail):
    db = str(tmp_path / "a.db")
    first = run("import", str(mail), "--db", db, "--json")
    assert first.exit_code == 0, first.output
    summary = json.loads(first.stdout)
    assert (summary["files"], summary["messages_added"], summary["failures"]) == (4, 4, [])
    second = json.loads(run("import", str(mail), "--db", db, "--json").stdout)
    assert (second["messages_added"], second["skipped"]) == (0, 4)


def test_list_json_has_the_contract_keys(tmp_path, mail):
    db = str(tmp_path / "a.db")
    run("import", str(mail), "--db", db)
    lines = run("list", "--db", db, "--json").stdout.splitlines()
    rows = [json.loads(line) for line in lines]
    assert len(rows) == 4
    assert all(set(row) >= LIST_KEYS for row in rows)  # later issues add keys (copies); none is renamed
    assert rows[0]["from"] == {"name": "Hoan Ton-That", "email": "hoan@clearview.ai"}
    assert rows[0]["sent"] == "2018-12-04T15:14:00-05:00"
    assert set(rows[0]["source"]) == {"file", "page_start", "page_end", "bates", "continued_in"}
    assert len({row["thread_id"] for row in rows}) == 1


def test_stats_json_counts(tmp_path, mail):
    db = str(tmp_path / "a.db")
    run("import", str(mail), "--db", db)
    counts = json.loads(run("stats", "--db", db, "--json").stdout)
    assert (counts["documents"], counts["messages"], counts["threads"], counts["failures"]) == (4, 4, 1, 0)


def test_db_from_environment(tmp_path, mail):
    db = tmp_path / "env.db"
    run("import", str(mail), env={"FOIA_DB": str(db)})
    assert json.loads(run("stats", "--json", env={"FOIA_DB": str(db)}).stdout)["messages"] == 4


def test_failed_files_are_reported_and_the_rest_imports(tmp_path, mail):
    (mail / "notes.bin").write_bytes(b"\x00\x01\x02 not mail")
    (mail / "broken.pdf").write_bytes(b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog")
    db = str(tmp_path / "a.db")
    result = run("import", str(mail), str(tmp_path / "missing"), "--db", db, "--json")
    assert result.exit_code == 1
    summary = json.loads(result.stdout)
    failed = {Path(f["file"]).name: f["reason"] for f in summary["failures"]}
    assert set(failed) == {"notes.bin", "broken.pdf", "missing"}
    assert "unknown file type" in failed["notes.bin"]
    assert "no such file" in failed["missing"]
    assert summary["messages_added"] == 4
    assert "Traceback" not in result.output
    for name in failed:
        assert f"{name}: " in result.stderr


def test_usage_errors_exit_2(tmp_path):
    assert run("import").exit_code == 2
    assert run("list", "--limit", "0").exit_code == 2


@pytest.mark.parametrize("problem", ["not-sqlite", "newer-schema", "directory"])
def test_bad_db_is_one_line_and_exit_2(tmp_path, problem):
    db = tmp_path / "x.db"
    if problem == "not-sqlite":
        db.write_text("hello, this is a text file\n" * 10)
    elif problem == "newer-schema":
        Archive.open(db).close()
        conn = sqlite3.connect(db)
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
        conn.close()
    else:
        db.mkdir()
    before = db.read_bytes() if db.is_file() else None
    result = run("stats", "--db", str(db))
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stderr.startswith("foia: ")
    if before is not None:
        assert db.read_bytes() == before


def test_missing_db_for_reading_is_a_clear_error(tmp_path):
    result = run("list", "--db", str(tmp_path / "nope.db"))
    assert result.exit_code == 2
    assert "no such archive" in result.stderr


def test_real_command_shows_progress_on_stderr_and_json_on_stdout(tmp_path, mail):
    foia = Path(sys.executable).with_name("foia")
    result = subprocess.run(
        [str(foia), "import", str(mail), "--db", str(tmp_path / "a.db"), "--json"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0
    assert "Importing" in result.stderr
    assert json.loads(result.stdout)["messages_added"] == 4
    module = subprocess.run(
        [sys.executable, "-m", "foia_tui", "stats", "--db", str(tmp_path / "a.db"), "--json"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert json.loads(module.stdout)["messages"] == 4


def test_group_level_db_reaches_subcommands(tmp_path, mail):
    db = str(tmp_path / "group.db")
    assert run("--db", db, "import", str(mail)).exit_code == 0
    assert json.loads(run("--db", db, "stats", "--json").stdout)["messages"] == 4
