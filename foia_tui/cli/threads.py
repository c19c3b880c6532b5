"""`foia threads` (one conversation per line) and `foia show THREAD_ID` (a conversation as text, in reading order)."""

from __future__ import annotations

import click

from foia_tui.cli.common import emit_json_lines, fail, with_archive
from foia_tui.domain.display import one_line, safe_text
from foia_tui.services.reading import find_thread, get_thread, list_threads


@click.command("threads")
@click.option("--json", "as_json", is_flag=True, help="JSON Lines, one thread per line.")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="At most this many threads.")
@with_archive(readonly=True)
def threads_command(archive, as_json: bool, limit: int | None) -> None:
    """Conversations in time order: id, dates, message count, redactions (R), subject and people."""
    threads = list_threads(archive, limit=limit)
    if as_json:
        emit_json_lines(threads)
        return
    for t in threads:
        dates = f"{t['first_day'] or '-'}..{t['last_day'] or '-'}"
        flag = "R" if t["has_redactions"] else " "
        subject, people = one_line(t["subject"] or "", 50), one_line(", ".join(t["participants"]), 40)
        click.echo(f"{t['id']}  {dates}  {t['message_count']:>4}  {flag}  {subject:50}  {people}")


@click.command("show")
@click.argument("thread_id")
@with_archive(readonly=True)
def show_command(archive, thread_id: str) -> None:
    """Print a thread (or the thread of a message id) as text, each reply after the message it answers."""
    found = find_thread(archive, thread_id)
    thread = get_thread(archive, found) if found else None
    if thread is None:
        fail(f"no thread {thread_id!r} (see `foia threads`)", 1)
        return
    click.echo(render_thread(thread), nl=False)


def _person(who: dict) -> str:
    name, email = who.get("name"), who.get("email")
    if name and email:
        return f"{name} <{email}>"
    return name or email or "?"


def _source(source: dict, copies: int) -> str:
    text = source["file"] or "?"
    if source["page_start"]:
        pages = source["page_start"], source["page_end"] or source["page_start"]
        text += f" p. {pages[0]}" if pages[0] == pages[1] else f" pp. {pages[0]}-{pages[1]}"
    if source["bates"]:
        text += f", {source['bates']}"
    if copies:
        text += f" (+{copies} {'copy' if copies == 1 else 'copies'})"
    return text


def render_thread(thread: dict) -> str:
    """A thread as plain text; every piece of document text passes through foia_tui.domain.display."""
    messages = thread["messages"]
    number = {m["id"]: index for index, m in enumerate(messages, 1)}
    dates = f"{thread['first_day'] or '-'} .. {thread['last_day'] or '-'}"
    flags = ", with redactions" if thread["has_redactions"] else ""
    lines = [
        f"Thread {thread['id']}: {one_line(thread['subject'] or '(no subject)', 100)}",
        f"{thread['message_count']} messages, {dates}{flags}",
        f"People: {one_line(', '.join(thread['participants']), 200)}",
    ]
    for m in messages:
        answers = number.get(m["parent_id"] or "")
        heading = f"[{number[m['id']]}]" + (f" reply to [{answers}]" if answers else "") + f"  message {m['id']}"
        lines += ["", f"--- {heading} ---", f"From:    {one_line(_person(m['from']), 120)}"]
        for label, people in (("To:", m["to"]), ("Cc:", m["cc"])):
            if people:
                lines.append(f"{label:8} {one_line('; '.join(_person(p) for p in people), 200)}")
        lines += [
            f"Date:    {one_line(m['sent'] or 'undated', 60)}",
            f"Subject: {one_line(m['subject'] or '', 120)}",
            f"Source:  {one_line(_source(m['source'], m['copies']), 200)}",
            "",
            safe_text(m["body"]).rstrip(),
        ]
    return "\n".join(lines) + "\n"
