"""`foia releases`, `foia release add|edit|rm`, `foia compare` and `foia gaps`: productions side by side."""

from __future__ import annotations

from collections.abc import Callable

import click

from foia_tui.archive.types import ReleaseUsageError
from foia_tui.cli.common import emit_json, emit_json_lines, fail, storable_text, with_archive
from foia_tui.domain.clock import zone_name
from foia_tui.domain.display import one_line
from foia_tui.domain.releases import STATUSES, comparison_lines, gaps_markdown, normalise_date
from foia_tui.services.releases import (
    add_release,
    cited_sources,
    compare_releases,
    edit_release,
    find_gaps,
    list_releases,
    remove_release,
)


def _date(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """A date option as YYYY-MM-DD, YYYY-MM or YYYY ('' clears it in `release edit`)."""
    if not value:
        return value
    try:
        return normalise_date(value)
    except ValueError as error:
        fail(f"--{param.name}: {error}", 2)
    return None


def _zone(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """--tz as a stored zone name ('' detects it again in `release edit`); an unknown zone is a usage error."""
    if not value:
        return value
    try:
        return zone_name(value)
    except ValueError as error:
        fail(f"--tz: {error}", 2)
    return None


def tz_option(command: Callable) -> Callable:
    """--tz: the zone a release's printed times are read in and its days counted in."""
    return click.option(
        "--tz",
        default=None,
        callback=_zone,
        help="Time zone of the release (America/New_York, UTC-05:00); default: detected from its mail.",
    )(command)


def request_options(command: Callable) -> Callable:
    """--agency, --request-id, --filed, --produced: what `foia import` can say about the release it fills."""
    options = [
        click.option("--agency", default=None, callback=storable_text, help="Agency that produced the release."),
        click.option(
            "--request-id", "request_id", default=None, callback=storable_text, help="Request or tracking number."
        ),
        click.option("--filed", default=None, callback=_date, help="Date the request was filed (YYYY-MM-DD)."),
        click.option("--produced", default=None, callback=_date, help="Date the records came back (YYYY-MM-DD)."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def release_options(command: Callable) -> Callable:
    """The request options plus --requester, --status and --notes, for `release add` and `release edit`."""
    options = [
        click.option("--requester", default=None, callback=storable_text, help="Who filed the request."),
        click.option("--status", type=click.Choice(STATUSES), default=None, help="What came of the request."),
        click.option("--notes", default=None, callback=storable_text, help="Free-text notes."),
    ]
    for option in reversed(options):
        command = option(command)
    return request_options(command)


def _usage(action: Callable, *args, **kwargs):
    """Run a library call; a release named wrongly is a usage error (exit 2)."""
    try:
        return action(*args, **kwargs)
    except ReleaseUsageError as error:
        fail(str(error), 2)


@click.command("releases")
@click.option("--json", "as_json", is_flag=True, help="JSON Lines, one release per line.")
@with_archive(readonly=True)
def releases_command(archive, as_json: bool) -> None:
    """The index of releases, newest first, with documents, pages, distinct messages and redactions."""
    rows = list_releases(archive)
    if as_json:
        emit_json_lines(row.as_json() for row in rows)
        return
    for r in rows:
        when = r.produced or r.filed or "-"
        zone = (r.tz or "-") + ("" if r.tz_given or not r.tz else " (detected)")
        click.echo(
            f"{one_line(r.name, 28):28}  {one_line(r.agency or '-', 20):20}  {r.status:11}  {when:10}  "
            f"{r.documents:>5} docs  {r.pages:>6} pages  {r.messages:>6} messages  "
            f"{r.redactions:>6} redactions  {one_line(zone, 40)}"
        )


@click.group("release")
def release_group() -> None:
    """Record, change or remove a release (including requests that produced nothing)."""


@release_group.command("add")
@click.argument("name")
@release_options
@tz_option
@with_archive(create=True)
def release_add(archive, name: str, tz: str | None, **fields: str | None) -> None:
    """Record a release (also a request that produced nothing)."""
    _usage(add_release, archive, name, tz=tz, **fields)
    click.echo(f"added release {one_line(name)!r}")


@release_group.command("edit")
@click.argument("name")
@click.option("--rename", default=None, help="A new name for the release.")
@release_options
@tz_option
@with_archive()
def release_edit(archive, name: str, rename: str | None, tz: str | None, **fields: str | None) -> None:
    """Change what is recorded about a release.

    An empty value clears a field, e.g. --notes ""; --tz "" detects the release's time zone from its mail again.
    A new --tz reads its printed times in that zone, and counts its days there (timeline, search date:).
    """
    release = _usage(edit_release, archive, name, rename=rename, tz=tz, **fields)
    click.echo(f"updated release {one_line(release.name)!r}")


@release_group.command("rm")
@click.argument("name")
@click.option("--force", is_flag=True, help="Also remove tags on emails that only this release holds.")
@with_archive()
def release_rm(archive, name: str, force: bool) -> None:
    """Remove a release and the documents no other release holds.

    Tags on its copies move to copies of the same email that other releases hold; tags on emails only
    this release holds make it refuse, unless --force.
    """
    result = _usage(remove_release, archive, name, force=force)
    click.echo(
        f"removed release {one_line(name)!r}: {result['documents_removed']} documents, "
        f"{result['messages_removed']} message copies; {result['taggings_moved']} taggings moved to other "
        f"copies, {result['taggings_removed']} removed"
    )


@click.command("compare")
@click.argument("a")
@click.argument("b")
@click.option("--json", "as_json", is_flag=True, help="One JSON object: both, only_a, only_b, exposures.")
@with_archive(readonly=True)
def compare_command(archive, a: str, b: str, as_json: bool) -> None:
    """What releases A and B share, what only one holds, and what one boxed that the other shows."""
    result = _usage(compare_releases, archive, a, b)
    if as_json:
        emit_json(result.as_json())
        return
    for line in comparison_lines(result):
        click.echo(line)


@click.command("gaps")
@click.option("--json", "as_json", is_flag=True, help="JSON Lines of {kind, message, evidence, detail}.")
@click.option(
    "--format", "form", type=click.Choice(["text", "md"]), default="text", help="md: a list to send to the agency."
)
@with_archive(readonly=True)
def gaps_command(archive, as_json: bool, form: str) -> None:
    """What the releases point at but do not contain: quoted-only emails, missing attachments, silences."""
    gaps = find_gaps(archive)
    if as_json:
        emit_json_lines(g.as_json() for g in gaps)
    elif form == "md":
        sources = cited_sources(archive, [e for g in gaps for e in g.evidence])
        click.echo(gaps_markdown(gaps, sources), nl=False)
    else:
        for g in gaps:
            m = g.message
            sender = (m.get("from") or {}).get("name") or (m.get("from") or {}).get("email") or "-"
            what = "" if g.kind == "silence" else f"{one_line(sender, 24)}  {one_line(m.get('subject') or '-', 40)}  "
            click.echo(f"{g.kind:18}  {(m.get('sent') or '-')[:16]:16}  {what}{one_line(g.detail, 120)}")
