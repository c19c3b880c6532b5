"""`foia open` (and `foia` alone): start the app on an archive, or on the working copy of the sample.

The working copy lives in the user's data directory ($XDG_DATA_HOME/foia-tui/sample.db, else
~/.local/share/foia-tui/sample.db) and is reused on every start, so tags added to it are still there next time;
`foia sample --reset` replaces it with a fresh copy. The shipped file is never modified.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import click

from foia_tui.archive import Archive, ArchiveError
from foia_tui.cli.common import db_option, fail, resolve_db
from foia_tui.domain.display import name_shown

SAMPLE = Path(__file__).resolve().parents[2] / "archive.db.sample"
SIDECARS = ("-wal", "-shm", "-journal")  # what SQLite keeps beside an archive that is open or was cut off


def sample_copy_path() -> Path:
    """Where the working copy of the sample lives: the XDG data directory (an empty or relative value is ignored,
    as the spec says)."""
    data = os.environ.get("XDG_DATA_HOME", "")
    base = Path(data) if data and os.path.isabs(data) else Path.home() / ".local" / "share"
    return base / "foia-tui" / "sample.db"


def working_sample(*, reset: bool = False) -> tuple[Path, bool]:
    """The working copy of the sample, made from the bundled file when missing (or when `reset`); True when made now.

    The copy is written beside its place and renamed into it, so a start cut off never leaves half a sample.
    """
    path = sample_copy_path()
    if path.exists() and not reset:
        return path, False
    if not SAMPLE.exists():
        fail(f"no archive given and the bundled sample is missing ({SAMPLE})", 2)
    partial = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, partial = tempfile.mkstemp(prefix=".sample-", suffix=".db", dir=path.parent)
        os.close(handle)
        shutil.copyfile(SAMPLE, partial)
        for suffix in SIDECARS:  # an old copy's journal must not be replayed into the new one
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        os.replace(partial, path)
    except OSError as error:
        if partial:
            Path(partial).unlink(missing_ok=True)
        fail(f"cannot make the working copy of the sample at {name_shown(path)} ({error.strerror})", 2)
    return path, True


def sample_notice(path: Path, made: bool) -> str:
    """What the app says on opening the sample: which copy, where it lives, that it lasts, how to renew it."""
    return (
        f"No archive here: showing the working copy of the sample{' (new)' if made else ''}, kept at "
        f"{name_shown(path)} between starts; `foia sample --reset` makes a fresh one."
    )


def open_app(db: str | None) -> None:
    notice = None
    path = resolve_db(db)
    using_sample = db is None and not os.environ.get("FOIA_DB") and not path.exists()
    if using_sample:
        path, made = working_sample()
        notice = sample_notice(path, made)
    try:
        archive = Archive.open(path, create=False)
    except ArchiveError as error:
        fail(str(error), 2)
    if using_sample:
        archive.source_root = SAMPLE.parent  # the sample's documents are stored relative to the repository
    from foia_tui.app import run_app

    run_app(archive, notice=notice)


@click.command("open")
@click.argument("path", required=False, type=click.Path(dir_okay=False))
@db_option
def open_command(path: str | None, db: str | None) -> None:
    """Open the app on PATH (default: --db, $FOIA_DB, ./archive.db, else the working copy of the sample)."""
    open_app(path or db)


@click.command("sample")
@click.option("--reset", is_flag=True, help="Replace the working copy with a fresh one (its tags and notes go).")
@click.option("--yes", is_flag=True, help="With --reset: do not ask first.")
def sample_command(reset: bool, yes: bool) -> None:
    """Print where the working copy of the sample is (`foia` opens it when there is no archive); --reset makes
    a fresh one."""
    path = sample_copy_path()
    if not reset:
        click.echo(name_shown(path) if path.exists() else f"{name_shown(path)} (not made yet: `foia` makes it)")
        return
    if path.exists() and not yes:
        click.confirm(
            f"Replace the working copy of the sample at {name_shown(path)} with a fresh one? "
            "Tags, notes and imports made in it are lost.",
            abort=True,
            err=True,
        )
    path, _ = working_sample(reset=True)
    click.echo(f"Made a fresh working copy of the sample at {name_shown(path)}.")
