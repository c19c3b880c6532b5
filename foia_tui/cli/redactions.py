"""`foia redactions`: the redaction log an appeal attaches."""

from __future__ import annotations

import click

from foia_tui.cli.common import emit_json_lines, storable_text, with_archive
from foia_tui.domain.redaction_log import code_counts, log_csv, log_line, log_markdown
from foia_tui.domain.wording import plural
from foia_tui.services.redaction_log import redaction_log


@click.command("redactions")
@click.option("--release", default=None, callback=storable_text, help="Only the boxes of this release.")
@click.option("--code", default=None, callback=storable_text, help="Only boxes citing this code (b6 finds (b)(6)).")
@click.option("--json", "as_json", is_flag=True, help="JSON Lines, one box per line.")
@click.option(
    "--format", "form", type=click.Choice(["text", "md", "csv"]), default="text", help="md: the log an appeal attaches."
)
@with_archive(readonly=True)
def redactions_command(archive, release: str | None, code: str | None, as_json: bool, form: str) -> None:
    """Every redaction box: where it is, the email it is in, its exemption code checked against the statute,
    whether its page is withheld in full, and any text readable under it or shown by another release."""
    boxes = redaction_log(archive, release=release, code=code)
    if as_json:
        emit_json_lines(box.as_json() for box in boxes)
    elif form == "md":
        click.echo(log_markdown(boxes), nl=False)
    elif form == "csv":
        click.echo(log_csv(boxes), nl=False)
    else:
        for box in boxes:
            click.echo(log_line(box))
        counts = ", ".join(f"{e.printed if e else 'no code'} {n}" for e, n in code_counts(boxes))
        click.echo(plural(len(boxes), "box") + (f": {counts}" if counts else ""))
