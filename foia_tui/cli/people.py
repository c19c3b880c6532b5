"""`foia people`: who wrote to whom, each person once with every alias; `merge` and `split` correct the machine."""

from __future__ import annotations

import click

from foia_tui.cli.common import db_option, emit_json_lines, open_archive, with_archive
from foia_tui.domain.display import one_line
from foia_tui.services.people import find_person, list_people, merge_people, split_person


@click.group("people", invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True, help="JSON Lines: {id, name, aliases, messages}.")
@click.option("--redacted", "include_redacted", is_flag=True, help="Also list each redacted name (one per place).")
@db_option
@click.pass_context
def people_group(ctx: click.Context, as_json: bool, include_redacted: bool, db: str | None) -> None:
    """People in the archive, most messages first, with the aliases each was printed under."""
    if ctx.invoked_subcommand is not None:
        ctx.default_map = {name: {"db": db} for name in ("merge", "split")} if db else None
        return
    archive = open_archive(db, readonly=True)
    try:
        people = list_people(archive, include_redacted=include_redacted)
    finally:
        archive.close()
    if as_json:
        emit_json_lines(p.as_json() for p in people)
        return
    for p in people:
        aliases = one_line("; ".join(p.aliases), 100)
        click.echo(f"{p.id:>6}  {p.messages:>6}  {one_line(p.name, 30):30}  {aliases}")


@people_group.command("merge")
@click.argument("keep")
@click.argument("other")
@with_archive()
def merge_command(archive, keep: str, other: str) -> None:
    """Make OTHER the same person as KEEP (ids, aliases or names); remembered across re-imports."""
    keep_id, other_id = find_person(archive, keep), find_person(archive, other)
    merge_people(archive, keep_id, other_id)
    click.echo(f"merged person {other_id} into {keep_id}")


@people_group.command("split")
@click.argument("person")
@click.argument("aliases", nargs=-1, required=True)
@with_archive()
def split_command(archive, person: str, aliases: tuple[str, ...]) -> None:
    """Move ALIASES (as `foia people --json` lists them) of PERSON to a person of their own; remembered."""
    person_id = find_person(archive, person)
    moved = split_person(archive, person_id, list(aliases))
    found = {find_person(archive, alias) for alias in moved}
    click.echo(f"split {len(moved)} alias(es) of person {person_id} into person {', '.join(map(str, sorted(found)))}")
