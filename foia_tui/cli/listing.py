"""`foia list` and `foia stats`: what is in the archive."""

from __future__ import annotations

import click

from foia_tui.cli.common import emit_json, emit_json_lines, with_archive
from foia_tui.domain.display import name_shown, one_line
from foia_tui.services.reading import list_messages, stats
from foia_tui.services.review import needs_a_look


@click.command("list")
@click.option("--all", "include_duplicates", is_flag=True, help="Include duplicate copies of the same email.")
@click.option("--json", "as_json", is_flag=True, help="JSON Lines, one message per line.")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="At most this many messages.")
@with_archive(readonly=True)
def list_command(archive, include_duplicates: bool, as_json: bool, limit: int | None) -> None:
    """One message per line, in time order."""
    messages = list_messages(archive, include_duplicates=include_duplicates, limit=limit)
    if as_json:
        emit_json_lines(messages)
        return
    for m in messages:
        sender = m["from"]["name"] or m["from"]["email"] or "?"
        click.echo(
            f"{m['id']}  {(m['sent'] or '-')[:16]:16}  {one_line(sender, 24):24}  {one_line(m['subject'] or '', 60)}"
        )


@click.command("stats")
@click.option("--json", "as_json", is_flag=True, help="Print the counts as a JSON object.")
@with_archive(readonly=True)
def stats_command(archive, as_json: bool) -> None:
    """Counts of documents, messages, threads, people, redactions, tags and failures."""
    counts = stats(archive)
    if as_json:
        emit_json(counts)
        return
    for name, value in counts.items():
        click.echo(f"{name:12} {value}")


@click.command("warnings")
@click.option("--json", "as_json", is_flag=True, help="One JSON object: warnings and pages_outside_emails.")
@with_archive(readonly=True)
def warnings_command(archive, as_json: bool) -> None:
    """What imports could not read (file, page, reason) and the pages that belong to no email."""
    found = needs_a_look(archive)
    if as_json:
        emit_json(found.as_json())
        return
    for w in found.warnings:
        where = f" p. {w.page}" if w.page is not None else ""
        click.echo(f"{name_shown(w.file)}{where}: {one_line(w.reason, 300)}")
    for p in found.outside_emails:
        what = "blank page" if p.blank else "page outside any email"
        bates = f" ({one_line(p.bates, 40)})" if p.bates else ""
        click.echo(f"{name_shown(p.file)} p. {p.page}{bates}: {what}")
    if not found.warnings and not found.outside_emails:
        click.echo("Nothing needs a look: every page belongs to an email and every page was read.")
