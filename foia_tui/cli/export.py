"""`foia export`: tagged passages as a cited Markdown brief, plain text, JSON or CSV.

A file is never replaced without --force; `-o -` is standard output, as no -o is.
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

import click

from foia_tui.cli.common import fail, with_archive
from foia_tui.domain.display import controls_shown, name_shown
from foia_tui.domain.query import QueryError
from foia_tui.domain.wording import plural
from foia_tui.services.export import FORMATS, build_export, format_for, now_iso, render


def _made_at(value: str | None) -> str | None:
    if value is None:
        return None
    if value == "now":
        return now_iso()
    try:
        datetime.fromisoformat(value)
    except ValueError:
        fail(f"--date wants an ISO date or time (e.g. 2024-05-01 or 2024-05-01T12:00:00+00:00) or 'now': {value!r}", 2)
    return value


@click.command("export")
@click.option("--tag", "tags", multiple=True, help="Export this tag (repeatable; default: every tag).")
@click.option("--query", help="Only passages in messages matching this search.")
@click.option(
    "--format", "fmt", type=click.Choice(FORMATS), default=None, help="Default: from -o's extension, else md."
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, allow_dash=True),
    default=None,
    help="Write here ('-' or none: stdout).",
)
@click.option("--force", is_flag=True, help="Replace the -o file if it exists (without it, an existing file is kept).")
@click.option("--title", default=None, help="The title (default: 'Tagged excerpts').")
@click.option(
    "--date",
    "made_at",
    default=None,
    help="The 'made at' time to print (default: now); fix it (e.g. 2024-05-01) and the same archive always "
    "exports the same bytes.",
)
@with_archive(readonly=True)
def export_command(
    archive,
    tags: tuple[str, ...],
    query: str | None,
    fmt: str | None,
    output: str | None,
    force: bool,
    title: str | None,
    made_at: str | None,
) -> None:
    """Export tagged passages: per tag, each excerpt quoted with its citation (date, people, subject, source,
    pages, Bates) and notes."""
    try:
        export = build_export(archive, tags=list(tags), query=query, title=title, made_at=_made_at(made_at))
    except QueryError as error:
        fail(f"--query: {error}", 2)
    if output == "-":
        output = None
    fmt = format_for(output, fmt)
    text = render(export, fmt)
    if output is None:
        # Markdown and JSON are made safe for a terminal by their escaping; CSV keeps the data, so a terminal
        # is shown its controls (a file or a pipe gets the cells as they are).
        click.echo(controls_shown(text) if fmt == "csv" and sys.stdout.isatty() else text, nl=False)
        return
    try:
        with Path(output).open("w" if force else "x", encoding="utf-8", newline="") as file:  # "x": never replaces
            file.write(text)
    except FileExistsError:
        fail(f"{output} exists: not replaced (--force replaces it)")
    except OSError as error:
        fail(f"{output}: cannot write ({error.strerror})")
    click.echo(
        f"Exported {plural(len(export.passages), 'passage')} under {plural(len(export.tags), 'tag')}"
        f" to {name_shown(output)}.",
        err=True,
    )
