"""`foia timeline` (bucket counts, or a cited chronology) and `foia event` (dated markers on the timeline)."""

from __future__ import annotations

import click

from foia_tui.archive import Archive
from foia_tui.cli.common import emit_json, fail, with_archive
from foia_tui.domain.display import one_line
from foia_tui.domain.query import QueryError
from foia_tui.domain.timeline import UNITS, Series, chronology_markdown, span_json
from foia_tui.services.searching import matching_message_ids
from foia_tui.services.timeline import (
    add_event,
    bucket_counts,
    chronology,
    distinct_count,
    event_rows,
    remove_event,
)

BAR_WIDTH = 50


def matching_ids(archive: Archive, query: str | None) -> list[str] | None:
    """The search's matching message ids, or None without a query; a malformed query ends in one line."""
    if query is None:
        return None
    try:
        return matching_message_ids(archive, query)
    except QueryError as error:
        fail(f"bad query: {error}", 2)
    raise AssertionError("unreachable")


@click.command("timeline")
@click.option("--by", "unit", type=click.Choice(UNITS), default="month", show_default=True, help="Bucket size.")
@click.option("--query", "-q", default=None, help="Count (or list) only the messages matching this search.")
@click.option("--json", "as_json", is_flag=True, help="Print the buckets (or chronology rows) as JSON.")
@click.option("--chronology", "as_chronology", is_flag=True, help="Print messages as a dated, cited table.")
@click.option("--format", "fmt", type=click.Choice(["md", "json"]), default="md", show_default=True,
              help="Chronology format.")  # fmt: skip
@with_archive(readonly=True)
def timeline_command(archive, unit: str, query: str | None, as_json: bool, as_chronology: bool, fmt: str) -> None:
    """Messages per day, week or month (each distinct email once), or with --chronology the dated table."""
    ids = matching_ids(archive, query)
    if as_chronology:
        rows = chronology(archive, ids)
        if as_json or fmt == "json":
            emit_json(rows)
        else:
            click.echo(chronology_markdown(rows, query), nl=False)
        return
    series = bucket_counts(archive, unit, ids)
    undated = distinct_count(archive, ids) - series.total
    if as_json:
        emit_json({"by": unit, "query": query, "buckets": span_json(series), "total": series.total,
                   "undated": undated})  # fmt: skip
        return
    _print_bars(series, undated)


def _print_bars(series: Series, undated: int) -> None:
    rows = span_json(series)
    peak = max((r["count"] for r in rows), default=0)
    for r in rows:
        bar = "█" * (round(r["count"] * BAR_WIDTH / peak) if peak else 0)
        if r["count"] and not bar:
            bar = "▏"
        click.echo(f"{r['bucket']:10}  {r['count']:>7,}  {bar}")
    click.echo(f"{'total':10}  {series.total:>7,}" + (f"  ({undated:,} undated not shown)" if undated else ""))


@click.group("event")
def event_group() -> None:
    """Dated events ("Trial period ends") shown as markers on the timeline and in chronologies."""


@event_group.command("add")
@click.argument("day", metavar="DATE")
@click.argument("label")
@click.option("--note", default=None, help="A longer note kept with the event.")
@with_archive()
def event_add(archive, day: str, label: str, note: str | None) -> None:
    """Add an event on DATE (YYYY-MM-DD); prints its id."""
    try:
        click.echo(add_event(archive, day, label, note))
    except ValueError as error:
        fail(str(error), 2)


@event_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print the events as a JSON array.")
@with_archive(readonly=True)
def event_list(archive, as_json: bool) -> None:
    """Every event in date order."""
    rows = event_rows(archive)
    if as_json:
        emit_json(rows)
        return
    for r in rows:
        note = f"  ({one_line(r['note'], 80)})" if r["note"] else ""
        click.echo(f"{r['id']:>4}  {one_line(r['date'], 10):10}  {one_line(r['label'], 80)}{note}")


@event_group.command("rm")
@click.argument("event_id", metavar="ID", type=int)
@with_archive()
def event_rm(archive, event_id: int) -> None:
    """Remove the event with this id."""
    if not remove_event(archive, event_id):
        fail(f"no event with id {event_id}", 1)
