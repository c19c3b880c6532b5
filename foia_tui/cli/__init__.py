"""The `foia` command: argument handling over library calls (each command group in its own module)."""

from __future__ import annotations

import importlib

import click

from foia_tui.cli.common import db_option

# Each command's module, imported only when the command runs (or --help lists them): `foia import` need not
# load the PDF export, the timeline or the search language to start.
COMMANDS = {
    "import": "importing:import_command",
    "list": "listing:list_command",
    "stats": "listing:stats_command",
    "warnings": "listing:warnings_command",
    "open": "opening:open_command",
    "sample": "opening:sample_command",
    "timeline": "timeline:timeline_command",
    "event": "timeline:event_group",
    "releases": "releases:releases_command",
    "release": "releases:release_group",
    "compare": "releases:compare_command",
    "gaps": "releases:gaps_command",
    "redactions": "redactions:redactions_command",
    "tag": "tags:tag_group",
    "export": "export:export_command",
    "search": "search:search_command",
    "people": "people:people_group",
    "threads": "threads:threads_command",
    "show": "threads:show_command",
}


class LazyGroup(click.Group):
    """A group whose commands are the modules named in COMMANDS, imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module, name = COMMANDS[cmd_name].split(":")
        return getattr(importlib.import_module(f"foia_tui.cli.{module}"), name)


@click.group(cls=LazyGroup, invoke_without_command=True)
@db_option
@click.version_option(package_name="foia-tui")
@click.pass_context
def main(ctx: click.Context, db: str | None) -> None:
    """foia: import public-records releases into a searchable archive and read them.

    With no command, opens the app on the archive (--db, $FOIA_DB or ./archive.db), or on the working copy
    of the bundled sample when there is none (`foia sample` says where it is).
    """
    if ctx.invoked_subcommand is None:
        from foia_tui.cli.opening import open_app

        open_app(db)
