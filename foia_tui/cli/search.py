"""`foia search`: run a query, save one under a name, list or forget the saved ones."""

from __future__ import annotations

import click

from foia_tui.cli.common import emit_json_lines, fail, with_archive
from foia_tui.domain.display import one_line
from foia_tui.domain.query import QUERY_LANGUAGE
from foia_tui.services.searching import (
    RANK_LIMIT,
    delete_saved_search,
    save_search,
    saved_searches,
    search_messages,
    search_threads,
)

LANGUAGE = f"""\b
{QUERY_LANGUAGE}
Results come best match first (bm25) when every match has the words and at most {RANK_LIMIT:,} messages do;
otherwise newest first."""


@click.command("search", epilog=LANGUAGE, context_settings={"ignore_unknown_options": True})
@click.argument("query", nargs=-1)
@click.option("--json", "as_json", is_flag=True, help="JSON Lines: `foia list --json` keys + snippet, rank, matched.")
@click.option("--threads", is_flag=True, help="One row per thread holding matches.")
@click.option("--limit", type=click.IntRange(min=1), default=50, show_default=True, help="At most this many rows.")
@click.option("--offset", type=click.IntRange(min=0), default=0, help="Skip this many rows (next pages).")
@click.option("--save", "save_name", metavar="NAME", help="Save QUERY under NAME (checked, not run).")
@click.option("--saved", "list_saved", is_flag=True, help="List the saved searches.")
@click.option("--delete", "delete_name", metavar="NAME", help="Forget the saved search NAME.")
@with_archive(readonly=lambda options: not (options["save_name"] or options["delete_name"]))
def search_command(
    archive,
    query: tuple[str, ...],
    as_json: bool,
    threads: bool,
    limit: int,
    offset: int,
    save_name: str | None,
    list_saved: bool,
    delete_name: str | None,
) -> None:
    """Search the archive for QUERY; or save it (--save NAME), list saved searches (--saved), forget one.

    Exit status: 0 on success (also with no matches), 2 for a malformed query or wrong arguments.
    """
    text = " ".join(query)
    if unknown := [word for word in query if word.startswith("--")]:
        fail(f"no such option: {one_line(unknown[0])} (see `foia search --help`)", 2)
    if list_saved or delete_name:
        if text or save_name:
            fail("--saved and --delete take no query", 2)
        if delete_name and not delete_saved_search(archive, delete_name):
            fail(f"no saved search named {one_line(delete_name)!r}", 1)
        if list_saved:
            _print_saved(saved_searches(archive), as_json)
        return
    if not text.strip():
        fail("give a query (see `foia search --help`)", 2)
    try:
        if save_name is not None:
            save_search(archive, save_name, text)
            click.echo(f"saved {one_line(save_name)!r}: {one_line(text)}")
            return
        result = (search_threads if threads else search_messages)(archive, text, limit=limit, offset=offset)
    except ValueError as error:  # QueryError is one: a one-line explanation pointing at the problem
        fail(one_line(str(error)), 2)
    for note in result.notes:
        click.echo(f"foia: note: {one_line(note)}", err=True)
    if as_json:
        emit_json_lines(result.rows)
    elif threads:
        _print_threads(result.rows)
    else:
        _print_messages(result.rows)
    if result.has_more and not as_json:
        click.echo(f"foia: more results: --offset {offset + limit}", err=True)


def _print_messages(messages: list[dict]) -> None:
    for m in messages:
        sender = m["from"]["name"] or m["from"]["email"] or "?"
        click.echo(
            f"{m['id']}  {(m['sent'] or '-')[:16]:16}  {one_line(sender, 24):24}  {one_line(m['subject'] or '', 60)}"
        )
        click.echo(f"    {one_line(m['snippet'], 110)}")


def _print_threads(threads: list[dict]) -> None:
    for t in threads:
        span = f"{t.get('first_day') or '-'}..{t.get('last_day') or '-'}"  # days in each release's zone
        hits = f"{t['hits']}/{t.get('message_count') or '?'}"
        click.echo(f"{t['thread_id']}  {span:22}  {hits:>7}  {one_line(t.get('subject') or '', 60)}")


def _print_saved(saved: list[dict], as_json: bool) -> None:
    if as_json:
        emit_json_lines(saved)
        return
    width = max((len(one_line(s["name"])) for s in saved), default=0)
    for s in saved:
        click.echo(f"{one_line(s['name']):{width}}  {one_line(s['query'])}")
