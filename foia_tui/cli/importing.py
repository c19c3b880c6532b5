"""`foia import`: bring files into the archive."""

from __future__ import annotations

import sys

import click

from foia_tui.archive.types import ReleaseUsageError
from foia_tui.cli.common import emit_json, fail, storable_text, warn, with_archive
from foia_tui.cli.releases import request_options, tz_option
from foia_tui.domain.display import name_shown
from foia_tui.domain.wording import plural
from foia_tui.services.importing import run_import
from foia_tui.services.releases import check_release


@click.command("import")
@click.argument("paths", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON summary on stdout.")
@click.option("--force", is_flag=True, help="Read files again even if already imported (e.g. after an OCR fix).")
@click.option("--workers", type=click.IntRange(1, 64), default=None, help="Parser processes (default: 2).")
@click.option(
    "--release",
    default=None,
    callback=storable_text,
    help="Release the files belong to (default: one for the run, named after the path given).",
)
@click.option(
    "--follow-symlinks",
    is_flag=True,
    help="Follow symbolic links found inside the folders given (they may lead outside them).",
)
@request_options
@tz_option
@with_archive(create=True)
def import_command(
    archive,
    paths: tuple[str, ...],
    as_json: bool,
    force: bool,
    workers: int | None,
    release: str | None,
    follow_symlinks: bool,
    tz: str | None,
    **fields,
) -> None:
    """Import PDFs, .eml, .mbox, maildirs and .msg files (files, directories or globs).

    Only regular files are read; symbolic links inside the folders given are not followed unless
    --follow-symlinks (each real folder is then read once, so a link loop costs one line).

    The files join one release: --release, else one for the whole run, named after the path given (the
    production its parts form, the folder that holds the files given). A file already imported joins it as
    another copy of the same document; a release the import made that no file made it into is not kept.

    Each release has a time zone (--tz, else detected from its mail's offsets): printed times are read in it
    for ordering, and the timeline, chronology and search date: count days in it. Shown times stay as printed.

    Exit status: 0 when every file imported, 1 when some failed, 2 on usage errors.
    """
    try:
        if release:
            check_release(archive, release, **fields)
    except ReleaseUsageError as error:
        fail(str(error), 2)
    with click.progressbar(length=1, label="Importing", file=sys.stderr, show_pos=True) as bar:

        def progress(done: int, total: int) -> None:
            bar.length = max(total, 1)
            bar.update(done - bar.pos)

        try:
            summary = run_import(
                archive,
                paths,
                workers=workers,
                force=force,
                progress=progress,
                release=release,
                release_fields=fields,
                follow_symlinks=follow_symlinks,
                tz=tz,
            )
        except ReleaseUsageError as error:
            fail(str(error), 2)
    if as_json:
        emit_json(summary.as_json())
    else:
        click.echo(
            f"{plural(summary.files, 'file')}: {summary.imported} imported, {summary.skipped} already in the archive, "
            f"{len(summary.failures)} failed; {plural(summary.messages_added, 'message')} added, "
            f"{plural(summary.duplicates, 'duplicate copy')}; "
            f"release: {', '.join(map(name_shown, summary.releases)) or '-'}"
            + (f"; {plural(len(summary.warnings), 'warning')} (foia warnings lists them)" if summary.warnings else "")
        )
    for failure in summary.failures:
        warn(f"{failure.file}: {failure.reason}")
    for warning in summary.warnings:
        where = f" p. {warning.page}" if warning.page is not None else ""
        warn(f"warning: {warning.file}{where}: {warning.reason}")
    sys.exit(1 if summary.failures else 0)
