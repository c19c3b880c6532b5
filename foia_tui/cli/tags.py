"""`foia tag …`: create, apply, list, rename, merge, colour, describe and delete tags."""

from __future__ import annotations

import click

from foia_tui.cli.common import emit_json, fail, with_archive
from foia_tui.domain.display import one_line
from foia_tui.domain.query import QueryError
from foia_tui.domain.wording import plural
from foia_tui.services.searching import matching_message_ids
from foia_tui.services.tagging import (
    delete_tag,
    get_tag,
    list_tags,
    merge_tags,
    rename_tag,
    set_color,
    set_description,
    tag_excerpt,
    tag_messages,
    tag_thread,
    untag_messages,
)


def _span(value: str | None) -> tuple[int, int] | None:
    if value is None:
        return None
    start, sep, end = value.partition(":")
    if not sep or not start.isdigit() or not end.isdigit():
        raise click.BadParameter(
            "give the excerpt as START:END character offsets, e.g. 120:245", param_hint="--excerpt"
        )
    return int(start), int(end)


@click.group("tag")
def tag_group() -> None:
    """Tag messages, threads and excerpts; list, rename, merge, colour, describe and delete tags."""


@tag_group.command("add")
@click.argument("tag")
@click.option("--message", "message_id", help="Tag this message (its id, as `foia list` prints it).")
@click.option("--thread", "thread_id", help="Tag every message of this thread.")
@click.option("--query", help="Tag every message matching this search.")
@click.option("--excerpt", help="With --message: tag only the characters START:END of its body.")
@click.option("--note", help="A note kept with the tagging (shown under it in exports).")
@with_archive()
def add_command(
    archive,
    tag: str,
    message_id: str | None,
    thread_id: str | None,
    query: str | None,
    excerpt: str | None,
    note: str | None,
) -> None:
    """Apply TAG (created if new) to a message, a thread, an excerpt or every message a search finds."""
    if sum(x is not None for x in (message_id, thread_id, query)) != 1:
        fail("give exactly one of --message, --thread or --query", 2)
    span = _span(excerpt)
    if span and message_id is None:
        fail("--excerpt goes with --message", 2)
    if span:
        tagging = tag_excerpt(archive, tag, message_id, *span, note=note)
        click.echo(f"Tagged {one_line(tagging.quoted_text, 60)!r} in {message_id} with {one_line(tagging.tag)}.")
        return
    if thread_id:
        added = tag_thread(archive, tag, thread_id, note=note)
    else:
        try:
            ids = [message_id] if message_id else matching_message_ids(archive, query)
        except QueryError as error:
            fail(f"--query: {error}", 2)
        if not ids:
            fail(f"no messages match {query!r}")
        added = tag_messages(archive, tag, ids, note=note)
    click.echo(f"Tagged {plural(added, 'message')} with {one_line(get_tag(archive, tag).name)}.")


@tag_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print the tags as a JSON array.")
@with_archive(readonly=True)
def list_command(archive, as_json: bool) -> None:
    """Every tag with how many messages and taggings carry it."""
    tags = list_tags(archive)
    if as_json:
        emit_json(
            [
                {
                    "name": t.name,
                    "color": t.color,
                    "description": t.description,
                    "messages": t.messages,
                    "taggings": t.taggings,
                    "created_at": t.created_at,
                }
                for t in tags
            ]
        )
        return
    for t in tags:
        messages = f"{t.messages:6} message{'s' if t.messages != 1 else ' '}"
        line = f"{one_line(t.name, 30):30} {messages} {t.taggings:6} {'tagging' if t.taggings == 1 else 'taggings'}"
        click.echo(f"{line}  {one_line(t.description, 60)}".rstrip())


@tag_group.command("rm")
@click.argument("tag")
@click.option("--message", "message_ids", multiple=True, help="Only take the tag off this message (repeatable).")
@click.option("--yes", is_flag=True, help="Delete without asking.")
@with_archive()
def rm_command(archive, tag: str, message_ids: tuple[str, ...], yes: bool) -> None:
    """Delete TAG and all its taggings (asks first), or with --message take it off those messages only."""
    if message_ids:
        removed = untag_messages(archive, tag, list(message_ids))
        click.echo(f"Removed {plural(len(removed), 'tagging')}.")
        return
    found = get_tag(archive, tag)
    if not yes:
        click.confirm(
            f"Delete tag {one_line(found.name)!r} and its {plural(found.taggings, 'tagging')} on "
            f"{plural(found.messages, 'message')}?",
            abort=True,
            err=True,
        )
    removed = delete_tag(archive, tag)
    click.echo(f"Deleted tag {one_line(found.name)} ({plural(removed, 'tagging')}).")


@tag_group.command("rename")
@click.argument("old")
@click.argument("new")
@with_archive()
def rename_command(archive, old: str, new: str) -> None:
    """Rename a tag (its taggings stay)."""
    click.echo(f"Renamed to {one_line(rename_tag(archive, old, new).name)}.")


@tag_group.command("merge")
@click.argument("sources", nargs=-1, required=True)
@click.argument("target")
@with_archive()
def merge_command(archive, sources: tuple[str, ...], target: str) -> None:
    """Move the taggings of SOURCES onto TARGET and delete SOURCES."""
    merged = merge_tags(archive, list(sources), target)
    click.echo(f"Merged into {one_line(merged.name)}: {merged.taggings} taggings on {merged.messages} messages.")


@tag_group.command("color")
@click.argument("tag")
@click.argument("color", required=False)
@with_archive()
def color_command(archive, tag: str, color: str | None) -> None:
    """Set TAG's colour (a name like red or #ff8800); without COLOR, clear it."""
    found = set_color(archive, tag, color)
    click.echo(f"{one_line(found.name)}: colour {found.color or 'cleared'}.")


@tag_group.command("describe")
@click.argument("tag")
@click.argument("description", required=False)
@with_archive()
def describe_command(archive, tag: str, description: str | None) -> None:
    """Set TAG's description (shown in exports); without DESCRIPTION, clear it."""
    found = set_description(archive, tag, description)
    click.echo(f"{one_line(found.name)}: {one_line(found.description) or 'description cleared'}.")
