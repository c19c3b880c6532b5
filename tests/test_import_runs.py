"""`foia import` without --release makes one release for the run, named after the path given; a file that fails
makes no release; counts read as English; a failure the import reports is counted by `foia stats`."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from foia_tui.cli import main
from tests.test_releases import write_eml


def foia(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def releases_of(db: str) -> dict[str, int]:
    out = foia("releases", "--json", "--db", db).output
    return {r["name"]: r["documents"] for r in map(json.loads, out.splitlines()) if r}


@pytest.fixture
def db(tmp_path: Path) -> str:
    return str(tmp_path / "archive.db")


def test_a_glob_is_one_release_named_after_its_folder(tmp_path: Path, db: str) -> None:
    for n in range(3):
        write_eml(tmp_path / "nypd round 1" / f"{n}.eml", n)
    result = foia("import", str(tmp_path / "nypd round 1" / "*.eml"), "--db", db)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == (
        "3 files: 3 imported, 0 already in the archive, 0 failed; 3 messages added, 0 duplicate copies; "
        "release: nypd round 1"
    )
    assert releases_of(db) == {"nypd round 1": 3}


def test_files_given_one_by_one_are_one_release(tmp_path: Path, db: str) -> None:
    files = [str(write_eml(tmp_path / "hsi" / f"{n}.eml", n)) for n in range(2)]
    assert foia("import", *files, "--db", db).exit_code == 0
    assert releases_of(db) == {"hsi": 2}
    folders = [tmp_path / "a", tmp_path / "b"]
    write_eml(folders[0] / "x.eml", 5)
    write_eml(folders[1] / "y.eml", 6)
    assert "release: a + b" in foia("import", *map(str, folders), "--db", db).output
    assert releases_of(db) == {"hsi": 2, "a + b": 2}


def test_one_file_reads_in_english(tmp_path: Path, db: str) -> None:
    result = foia("import", str(write_eml(tmp_path / "in" / "round2.eml", 1)), "--db", db)
    assert result.output.splitlines()[-1] == (
        "1 file: 1 imported, 0 already in the archive, 0 failed; 1 message added, 0 duplicate copies; release: round2"
    )


def test_a_file_that_fails_makes_no_release(tmp_path: Path, db: str) -> None:
    bad = tmp_path / "broken" / "scan.pdf"
    bad.parent.mkdir()
    bad.write_bytes(b"%PDF-1.4 not really a PDF")
    result = foia("import", str(bad), "--db", db)
    assert result.exit_code == 1
    assert "1 file: 0 imported, 0 already in the archive, 1 failed; 0 messages added" in result.output
    assert "release: -" in result.output
    assert releases_of(db) == {}
    stats = json.loads(foia("stats", "--json", "--db", db).output)
    assert stats["failures"] == 1

    named = foia("import", str(bad), "--release", "Never produced", "--db", db)
    assert named.exit_code == 1 and releases_of(db) == {}  # --release too: nothing made it in
    foia("release", "add", "No records yet", "--status", "no_records", "--db", db)
    foia("import", str(bad), "--release", "No records yet", "--db", db)
    assert releases_of(db) == {"No records yet": 0}  # a release recorded before is kept, empty or not


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_stats_counts_what_the_import_reported_failed(tmp_path: Path, db: str) -> None:
    folder = tmp_path / "release"
    write_eml(folder / "0.eml", 0)
    os.mkfifo(folder / "pipe.eml")
    (folder / "link.eml").symlink_to(folder / "0.eml")
    result = foia("import", str(folder), "--db", db)
    assert result.exit_code == 1
    assert "3 files: 1 imported, 0 already in the archive, 2 failed" in result.output
    stats = json.loads(foia("stats", "--json", "--db", db).output)
    assert stats["failures"] == 2  # the pipe and the link not followed, as the import said
    assert "failures 2" in " ".join(foia("stats", "--db", db).output.split())
