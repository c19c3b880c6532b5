"""`foia tag …`: create, apply, list, rename, merge, colour, describe and delete tags; list and edit notes."""

from __future__ import annotations

import click

from foia_tui.cli.common import emit_json, fail, with_archive
from foia_tui.domain.display import one_line
from foia_tui.domain.query import QueryError
from foia_tui.domain.wording import plural
from foia_tui.services.annotations import annotated, filter_annotations, list_annotations, set_note
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
    """Tag messages, threads and excerpts; list, rename, merge, colour, describe and delete tags; notes."""


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


@tag_group.command("notes")
@click.option("--tag", "tag_name", help="Only this tag's annotations.")
@click.option("--release", help="Only annotations on emails of this release.")
@click.option("--words", default="", help="Only annotations holding every one of these words.")
@click.option("--json", "as_json", is_flag=True, help="Print them as a JSON array.")
@with_archive(readonly=True)
def notes_command(archive, tag_name: str | None, release: str | None, words: str, as_json: bool) -> None:
    """Every excerpt and every note (as the app's Annotations screen lists them), each with its tagging id."""
    shown = filter_annotations(list_annotations(archive), tag=tag_name, release=release, text=words)
    if as_json:
        emit_json(
            [
                {
                    "id": a.tagging.id,
                    "tag": a.tagging.tag,
                    "kind": a.tagging.kind,
                    "message_id": a.tagging.message_id,
                    "thread_id": a.thread_id,
                    "sent": a.sent,
                    "subject": a.subject,
                    "releases": list(a.releases),
                    "start": a.tagging.start,
                    "end": a.tagging.end,
                    "text": a.text,
                    "note": a.tagging.note,
                    "anchor_status": a.tagging.anchor_status,
                }
                for a in shown
            ]
        )
        return
    for a in shown:
        what = one_line(annotated(a), 50)
        line = f"{a.tagging.id:6}  {one_line(a.tagging.tag, 20):20} {one_line(a.sent or 'undated')[:10]:10}  {what}"
        click.echo(f"{line}  {one_line(a.tagging.note, 60)}".rstrip())


@tag_group.command("note")
@click.argument("tagging_id", type=int)
@click.argument("note", required=False)
@click.option("--clear", is_flag=True, help="Delete the note (the tagging stays).")
@with_archive()
def note_command(archive, tagging_id: int, note: str | None, clear: bool) -> None:
    """Set the note of the tagging TAGGING_ID (as `foia tag notes` lists it) to NOTE, or --clear it."""
    if (note is None) != clear:
        fail("give a NOTE, or --clear to delete the note", 2)
    tagging = set_note(archive, tagging_id, None if clear else note)
    click.echo(f"{one_line(tagging.tag)} #{tagging.id}: {one_line(tagging.note) or 'note deleted'}.")
