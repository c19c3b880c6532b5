"""`foia export`: tagged passages as a cited Markdown brief, JSON or CSV."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click

from foia_tui.cli.common import fail, with_archive
from foia_tui.domain.display import controls_shown, name_shown
from foia_tui.domain.query import QueryError
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
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None, help="Write here (default: stdout).")
@click.option("--title", default=None, help="The Markdown title (default: 'Tagged excerpts').")
@click.option(
    "--date",
    "made_at",
    default=None,
    help="The 'made at' time to print, or 'now' (default: the archive's last import, so the same archive "
    "always exports the same bytes).",
)
@with_archive(readonly=True)
def export_command(
    archive,
    tags: tuple[str, ...],
    query: str | None,
    fmt: str | None,
    output: str | None,
    title: str | None,
    made_at: str | None,
) -> None:
    """Export tagged passages: per tag, each excerpt quoted with its citation (date, people, subject, source,
    pages, Bates) and notes."""
    try:
        export = build_export(archive, tags=list(tags), query=query, title=title, made_at=_made_at(made_at))
    except QueryError as error:
        fail(f"--query: {error}", 2)
    fmt = format_for(output, fmt)
    text = render(export, fmt)
    if output is None:
        stdout = click.get_text_stream("stdout")
        # Markdown and JSON are made safe for a terminal by their escaping; CSV keeps the data, so a terminal
        # is shown its controls (a file or a pipe gets the cells as they are).
        click.echo(controls_shown(text) if fmt == "csv" and stdout.isatty() else text, nl=False)
        return
    try:
        Path(output).write_text(text, encoding="utf-8", newline="")
    except OSError as error:
        fail(f"{output}: cannot write ({error.strerror})")
    click.echo(
        f"Exported {len(export.passages)} passages under {len(export.tags)} tags to {name_shown(output)}.", err=True
    )
