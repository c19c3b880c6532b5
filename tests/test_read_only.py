"""Commands that only read work on read-only media and leave the archive file byte-identical."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "archive.db.sample"
FOIA = str(Path(sys.executable).with_name("foia"))


def foia(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([FOIA, *args], capture_output=True, text=True, timeout=120)


def json_lines(*args: str) -> list[dict]:
    result = foia(*args, "--json")
    assert result.returncode == 0, (args, result.stderr)
    return [json.loads(line) for line in result.stdout.splitlines()]


def read_only_commands(db: Path) -> list[list[str]]:
    releases = [r["name"] for r in json_lines("releases", "--db", str(db))]
    thread = json_lines("threads", "--db", str(db), "--limit", "1")[0]["id"]
    return [
        ["list"],
        ["list", "--json"],
        ["stats"],
        ["search", "Clearview"],
        ["search", "--saved"],
        ["threads"],
        ["show", thread],
        ["people"],
        ["releases"],
        ["compare", releases[1], releases[2]],
        ["gaps"],
        ["warnings"],
        ["redactions"],
        ["timeline"],
        ["tag", "list"],
        ["event", "list"],
        ["export"],
    ]


def copy_of_sample(folder: Path, journal: str) -> Path:
    """The committed sample (WAL), or a copy in rollback-journal mode, which a writable open would turn to WAL."""
    folder.mkdir()
    db = folder / "archive.db"
    shutil.copyfile(SAMPLE, db)
    if journal != "wal":
        with sqlite3.connect(db) as conn:
            conn.execute(f"PRAGMA journal_mode = {journal}")
    return db


@pytest.fixture(params=["wal", "delete"])
def journal(request) -> str:
    return request.param


@pytest.fixture
def read_only_folder(tmp_path, journal) -> Iterator[Path]:
    """A copy of the sample in a folder mode 0555 (which stops every user but root)."""
    db = copy_of_sample(tmp_path / "ro", journal)
    db.parent.chmod(0o555)
    yield db
    db.parent.chmod(0o755)


@pytest.fixture
def read_only_mount(tmp_path, journal) -> Iterator[Path]:
    """A copy of the sample behind a read-only bind mount, which stops root too."""
    db = copy_of_sample(tmp_path / "rw", journal)
    mount = tmp_path / "mnt"
    mount.mkdir()
    made = subprocess.run(["mount", "--bind", "-o", "ro", str(db.parent), str(mount)], capture_output=True)
    if made.returncode != 0:
        pytest.skip(f"no read-only bind mount here: {made.stderr.decode(errors='replace').strip()}")
    try:
        assert not os.access(mount, os.W_OK)
        yield mount / db.name
    finally:
        subprocess.run(["umount", str(mount)], check=True)


def assert_reads_leave_it_unchanged(db: Path) -> None:
    before = db.read_bytes()
    for command in read_only_commands(db):
        result = foia(*command, "--db", str(db))
        assert result.returncode == 0, (command, result.stderr)
        assert result.stdout, command
        assert db.read_bytes() == before, f"`foia {' '.join(command)}` changed the file"


def test_read_only_commands_leave_the_archive_byte_identical(read_only_folder):
    assert_reads_leave_it_unchanged(read_only_folder)


def test_read_only_commands_work_on_a_read_only_file_system(read_only_mount):
    assert_reads_leave_it_unchanged(read_only_mount)


def test_commands_that_write_still_write(tmp_path):
    db = copy_of_sample(tmp_path / "rw", "wal")
    assert foia("search", "--db", str(db), "Clearview", "--save", "cv").returncode == 0
    assert "cv" in foia("search", "--db", str(db), "--saved").stdout
    assert foia("search", "--db", str(db), "--delete", "cv").returncode == 0
    assert "cv" not in foia("search", "--db", str(db), "--saved").stdout
