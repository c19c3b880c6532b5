"""What every `foia` subcommand shares: the --db option, opening the archive, one-line errors, JSON output."""

from __future__ import annotations

import functools
import json
import os
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

import click

from foia_tui.archive import Archive, ArchiveError, ArchiveOutdated, ArchiveUnusable
from foia_tui.domain.display import name_shown
from foia_tui.domain.escaping import json_visible, storable

DEFAULT_DB = "archive.db"


def resolve_db(db: str | None) -> Path:
    """The subcommand's --db, else the group's (`foia --db X list`), else $FOIA_DB, else ./archive.db."""
    context = click.get_current_context(silent=True)
    group_db = context.find_root().params.get("db") if context else None
    return Path(db or group_db or os.environ.get("FOIA_DB") or DEFAULT_DB)


def db_option(command: Callable) -> Callable:
    return click.option(
        "--db",
        "db",
        metavar="PATH",
        default=None,
        help="Archive file (default: $FOIA_DB, else ./archive.db).",
    )(command)


def warn(message: str) -> None:
    """One line on stderr, names and paths in it shown as document text is (a control in a file name is data)."""
    click.echo(f"foia: {name_shown(message)}", err=True)


def storable_text(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    """Option callback: text typed on the command line that was not UTF-8 is stored with its bytes escaped."""
    return storable(value) if value else value


def fail(message: str, code: int = 1) -> None:
    """One clear line on stderr and an exit code; never a traceback."""
    warn(message)
    sys.exit(code)


def open_archive(db: str | None, *, create: bool = False, readonly: bool = False) -> Archive:
    """The archive for a command; one that only reads opens it read-only, so it works on read-only media and
    never changes the file (an archive of an older schema is still upgraded, as a writable open does)."""
    path = resolve_db(db)
    try:
        try:
            return Archive.open(path, create=create, readonly=readonly)
        except ArchiveOutdated:
            return Archive.open(path, create=create)
    except ArchiveError as error:
        fail(str(error), 2)
    raise AssertionError("unreachable")


def with_archive(create: bool = False, readonly: bool | Callable[[dict], bool] = False) -> Callable:
    """Decorator: replace the `db` argument with an open Archive, closing it afterwards.

    `readonly` may be a function of the command's arguments, for a command that writes only when asked to.
    """

    def decorate(command: Callable) -> Callable:
        @functools.wraps(command)
        def wrapper(*args, db: str | None = None, **kwargs):
            reads_only = readonly(kwargs) if callable(readonly) else readonly
            archive = open_archive(db, create=create, readonly=reads_only)
            try:
                return command(*args, archive=archive, **kwargs)
            except ArchiveError as error:
                fail(str(error), 2 if isinstance(error, ArchiveUnusable) else 1)
            finally:
                archive.close()

        return db_option(wrapper)

    return decorate


def emit_json_lines(objects: Iterable[dict]) -> None:
    for obj in objects:
        click.echo(json_visible(json.dumps(obj, ensure_ascii=False)))


def emit_json(obj: object) -> None:
    click.echo(json_visible(json.dumps(obj, ensure_ascii=False, indent=2)))
