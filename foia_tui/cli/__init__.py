"""The `foia` command: argument handling over library calls (each command group in its own module)."""

from __future__ import annotations

import click

from foia_tui.cli.common import db_option
from foia_tui.cli.export import export_command
from foia_tui.cli.importing import import_command
from foia_tui.cli.listing import list_command, stats_command, warnings_command
from foia_tui.cli.opening import open_app, open_command, sample_command
from foia_tui.cli.people import people_group
from foia_tui.cli.redactions import redactions_command
from foia_tui.cli.releases import compare_command, gaps_command, release_group, releases_command
from foia_tui.cli.search import search_command
from foia_tui.cli.tags import tag_group
from foia_tui.cli.threads import show_command, threads_command
from foia_tui.cli.timeline import event_group, timeline_command


@click.group(invoke_without_command=True)
@db_option
@click.version_option(package_name="foia-tui")
@click.pass_context
def main(ctx: click.Context, db: str | None) -> None:
    """foia: import public-records releases into a searchable archive and read them.

    With no command, opens the app on the archive (--db, $FOIA_DB or ./archive.db), or on the working copy
    of the bundled sample when there is none (`foia sample` says where it is).
    """
    if ctx.invoked_subcommand is None:
        open_app(db)


for command in (
    import_command,
    list_command,
    stats_command,
    warnings_command,
    open_command,
    sample_command,
    timeline_command,
    event_group,
    releases_command,
    release_group,
    compare_command,
    gaps_command,
    redactions_command,
    tag_group,
    export_command,
    search_command,
    people_group,
    threads_command,
    show_command,
):
    main.add_command(command)
