"""`foia open` (and `foia` alone): start the app on an archive, or on a private copy of the sample."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import click

from foia_tui.archive import Archive, ArchiveError
from foia_tui.cli.common import db_option, fail, resolve_db

SAMPLE = Path(__file__).resolve().parents[2] / "archive.db.sample"


def private_sample_copy() -> Path:
    """A fresh copy of the bundled sample in a temporary folder, so the shipped file never changes."""
    if not SAMPLE.exists():
        fail(f"no archive given and the bundled sample is missing ({SAMPLE})", 2)
    folder = Path(tempfile.mkdtemp(prefix="foia-sample-"))
    copy = folder / "archive.db"
    shutil.copyfile(SAMPLE, copy)
    return copy


def open_app(db: str | None) -> None:
    notice = None
    path = resolve_db(db)
    using_sample = db is None and not os.environ.get("FOIA_DB") and not path.exists()
    if using_sample:
        path = private_sample_copy()
        notice = f"No archive here: showing a private copy of the bundled sample ({path})."
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
    """Open the app on PATH (default: --db, $FOIA_DB, ./archive.db, else a private copy of the sample)."""
    open_app(path or db)
