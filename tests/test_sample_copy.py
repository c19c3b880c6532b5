"""`foia` with no archive opens one working copy of the sample in the user's data directory, reused on every
start (tags added survive), named on screen; `foia sample` says where it is, `foia sample --reset` renews it."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import foia_tui.app
from foia_tui.archive import Archive
from foia_tui.cli import main
from foia_tui.cli.opening import SAMPLE
from foia_tui.services.tagging import list_tags, tag_messages
from tests.support.sql import sql_value


@pytest.fixture
def started(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[tuple[Archive, str | None]]:
    """`foia` run from an empty folder, with the app replaced by a recorder of what it was given."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("FOIA_DB", raising=False)
    monkeypatch.chdir(tmp_path)
    runs: list[tuple[Archive, str | None]] = []
    monkeypatch.setattr(foia_tui.app, "run_app", lambda archive, notice=None: runs.append((archive, notice)))
    return runs


def foia(*args: str, input: str | None = None):
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


def sample_tags(path: Path) -> set[str]:
    archive = Archive.open(path, readonly=True)
    try:
        return {t.name for t in list_tags(archive)}
    finally:
        archive.close()


def test_the_working_copy_is_reused_and_keeps_what_was_tagged(started, tmp_path: Path) -> None:
    copy = tmp_path / "data" / "foia-tui" / "sample.db"
    assert foia().exit_code == 0
    archive, notice = started[0]
    assert archive.path == copy and archive.source_root == SAMPLE.parent
    assert notice == (
        f"No archive here: showing the working copy of the sample (new), kept at {copy} between starts; "
        "`foia sample --reset` makes a fresh one."
    )
    first_message = sql_value(archive, "SELECT id FROM messages ORDER BY id LIMIT 1")
    tag_messages(archive, "mine", [first_message])
    archive.close()

    assert foia().exit_code == 0  # the second start: the same file, the tag still there, no "(new)"
    archive, notice = started[1]
    assert archive.path == copy and "mine" in {t.name for t in list_tags(archive)}
    assert notice.startswith(f"No archive here: showing the working copy of the sample, kept at {copy} ")
    archive.close()
    assert sorted(p.name for p in copy.parent.iterdir() if not p.name.startswith("sample.db")) == []
    assert "mine" not in sample_tags(SAMPLE)  # the shipped file is never changed


def test_sample_command_prints_the_copy_and_reset_asks_first(started, tmp_path: Path) -> None:
    copy = tmp_path / "data" / "foia-tui" / "sample.db"
    assert foia("sample").output == f"{copy} (not made yet: `foia` makes it)\n"
    foia()
    archive = started[0][0]
    tag_messages(archive, "mine", [sql_value(archive, "SELECT id FROM messages LIMIT 1")])
    archive.close()
    assert foia("sample").output == f"{copy}\n"

    declined = foia("sample", "--reset", input="n\n")
    assert declined.exit_code == 1 and "Replace the working copy of the sample at" in declined.output
    assert "mine" in sample_tags(copy)

    renewed = foia("sample", "--reset", input="y\n")
    assert renewed.exit_code == 0 and f"Made a fresh working copy of the sample at {copy}." in renewed.output
    assert sample_tags(copy) == sample_tags(SAMPLE)

    forced = foia("sample", "--reset", "--yes")
    assert forced.exit_code == 0 and "Replace" not in forced.output


def test_without_xdg_data_home_the_copy_goes_under_local_share(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    result = foia("sample", "--reset", "--yes")
    assert result.exit_code == 0
    assert (tmp_path / "home" / ".local" / "share" / "foia-tui" / "sample.db").is_file()
    monkeypatch.setenv("XDG_DATA_HOME", "relative/dir")  # not absolute: ignored, as the XDG spec says
    assert foia("sample").output.startswith(str(tmp_path / "home" / ".local" / "share" / "foia-tui" / "sample.db"))
