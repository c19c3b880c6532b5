"""Exports of tagged passages: a cited Markdown brief, and JSON / CSV with the same fields for scripts.

`build_export` gathers the plain data; the renderers below it are pure functions of that data, so the same
archive gives the same bytes. The "made at" time defaults to the archive's last import (not the clock), which
keeps repeated exports and golden files identical; pass `made_at` (CLI: --date, or --date now) to say otherwise.

Every document string is hostile: in Markdown it is escaped so that it can neither start a heading, list,
table, code block or blockquote of its own nor inject HTML; control and bidi characters are made visible.
CSV cells that a spreadsheet would run as a formula get a leading apostrophe; JSON escapes what is not printable.
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from foia_tui.archive import Archive
from foia_tui.archive.search import matching_message_ids
from foia_tui.archive.store import now_iso as now_iso  # the CLI's --date now
from foia_tui.archive.tags import (
    Tag,
    TaggedPassage,
    get_tag,
    last_import_time,
    list_tags,
    tagged_passages,
)
from foia_tui.domain.citations import page_range
from foia_tui.domain.escaping import csv_cell, json_visible, md_block, md_inline

FORMATS = ("md", "json", "csv")
DEFAULT_TITLE = "Tagged excerpts"
FIELDS = (
    "tag",
    "kind",
    "message_id",
    "thread_id",
    "sent",
    "from",
    "to",
    "subject",
    "file",
    "page_start",
    "page_end",
    "bates",
    "start",
    "end",
    "text",
    "note",
    "anchor_status",
    "tagged_by",
    "tagged_at",
)


@dataclass(frozen=True)
class Export:
    title: str
    archive: str  # the archive's file name
    made_at: str | None
    filters: str | None  # what the export was limited to, in words
    tags: tuple[Tag, ...]
    passages: tuple[TaggedPassage, ...]


def build_export(
    archive: Archive,
    *,
    tags: list[str] | None = None,
    query: str | None = None,
    title: str | None = None,
    made_at: str | None = None,
) -> Export:
    """The passages tagged with `tags` (all tags when none), in messages matching `query` when given.

    Raises ArchiveError for an unknown tag and foia_tui.domain.query.QueryError for a malformed query.
    """
    chosen = tuple(get_tag(archive, name) for name in dict.fromkeys(tags)) if tags else tuple(list_tags(archive))
    passages = tagged_passages(archive, [t.name for t in chosen]) if chosen else []
    if query:
        matching = set(matching_message_ids(archive, query))
        passages = [p for p in passages if p.message_id in matching]
    filters = [f"tags {', '.join(t.name for t in chosen)}"] if tags else []
    if query:
        filters.append(f"messages matching {query}")
    return Export(
        title=title or DEFAULT_TITLE,
        archive=archive.path.name,
        made_at=made_at or last_import_time(archive),
        filters="; ".join(filters) or None,
        tags=chosen,
        passages=tuple(passages),
    )


def render(export: Export, fmt: str) -> str:
    return {"md": to_markdown, "json": to_json, "csv": to_csv}[fmt](export)


def format_for(path: str | None, fmt: str | None) -> str:
    """The format asked for, else the one the output file's extension names, else Markdown."""
    if fmt:
        return fmt
    suffix = Path(path).suffix.lower() if path else ""
    return {".json": "json", ".csv": "csv"}.get(suffix, "md")


# --- plain records (JSON and CSV) ---


def record(p: TaggedPassage) -> dict:
    """One passage as the flat record JSON and CSV share."""
    return {
        "tag": p.tag,
        "kind": p.kind,
        "message_id": p.message_id,
        "thread_id": p.thread_id,
        "sent": p.sent,
        "from": p.sender,
        "to": list(p.recipients),
        "subject": p.subject,
        "file": p.file,
        "page_start": p.page_start,
        "page_end": p.page_end,
        "bates": p.bates,
        "start": p.start,
        "end": p.end,
        "text": p.text,
        "note": p.note,
        "anchor_status": p.anchor_status,
        "tagged_by": p.tagged_by,
        "tagged_at": p.tagged_at,
    }


def to_json(export: Export) -> str:
    document = {
        "title": export.title,
        "archive": export.archive,
        "made_at": export.made_at,
        "filters": export.filters,
        "tags": [
            {
                "name": t.name,
                "color": t.color,
                "description": t.description,
                "passages": sum(1 for p in export.passages if p.tag == t.name),
            }
            for t in export.tags
        ],
        "passages": [record(p) for p in export.passages],
    }
    return json_visible(json.dumps(document, ensure_ascii=False, indent=2)) + "\n"


def to_csv(export: Export) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(FIELDS)
    for p in export.passages:
        writer.writerow([csv_cell(v) for v in record(p).values()])
    return out.getvalue()


def _blockquote(text: str) -> list[str]:
    lines = md_block(text)
    while lines and not lines[-1]:
        lines.pop()
    while lines and not lines[0]:
        lines.pop(0)
    if not lines:
        return ["> (empty)"]
    return [f"> {line}" if line else ">" for line in lines]


def _slug(text: str, used: set[str]) -> str:
    """The anchor GitHub (and most renderers) give a heading, made unique the same way they do."""
    base = re.sub(r"[^\w\- ]", "", unicodedata.normalize("NFC", text).lower()).replace(" ", "-")
    slug, n = base, 0
    while slug in used:
        n += 1
        slug = f"{base}-{n}"
    used.add(slug)
    return slug


def citation(p: TaggedPassage) -> str:
    """Date, sender → recipients, subject, source file, page(s), Bates number: one escaped line."""
    date = p.sent.replace("T", " ") if p.sent else "undated"
    people = f"{p.sender} → {', '.join(p.recipients) or '(no recipients)'}"
    parts = [date, people, f"“{p.subject}”" if p.subject else "(no subject)", Path(p.file).name]
    parts += [part for part in (page_range(p.page_start, p.page_end), f"Bates {p.bates}" if p.bates else None) if part]
    where = f"chars {p.start}–{p.end}" if p.kind == "excerpt" else "whole message"
    return "— " + " · ".join(md_inline(part) for part in parts) + f" · {where}"


ANCHOR_NOTES = {
    "moved": "*Re-anchored after a re-import: the quoted text moved within the message.*",
    "lost": "*Anchor lost: the message as re-imported no longer contains this text; quoted as it was tagged.*",
}


def _passage(p: TaggedPassage) -> list[str]:
    lines = [*_blockquote(p.text), "", citation(p)]
    if p.anchor_status in ANCHOR_NOTES:
        lines += ["", ANCHOR_NOTES[p.anchor_status]]
    if p.note:
        note = md_block(p.note)
        lines += ["", f"**Note** ({md_inline(p.tagged_by or 'unknown')}, {md_inline(p.tagged_at)}): {note[0]}"]
        lines += note[1:]
    return lines


def to_markdown(export: Export) -> str:
    used: set[str] = set()
    _slug(export.title, used)
    made = f"Made from archive {md_inline(export.archive)}"
    made += f", as of {md_inline(export.made_at)}." if export.made_at else " (never imported into)."
    lines = [f"# {md_inline(export.title)}", "", made]
    if export.filters:
        lines += ["", f"Limited to {md_inline(export.filters)}."]
    by_tag = {t.name: [p for p in export.passages if p.tag == t.name] for t in export.tags}
    lines += ["", f"{len(export.passages)} tagged passages under {len(export.tags)} tags.", "", "## Contents", ""]
    _slug("Contents", used)
    slugs = {t.name: _slug(t.name, used) for t in export.tags}
    lines += [f"- [{md_inline(t.name)}](#{slugs[t.name]}) ({len(by_tag[t.name])})" for t in export.tags]
    if not export.tags:
        lines.append("*(no tags)*")
    for t in export.tags:
        lines += ["", f"## {md_inline(t.name)}", ""]
        if t.description:
            lines += [*md_block(t.description), ""]
        if not by_tag[t.name]:
            lines.append("*(no tagged passages)*")
        for index, p in enumerate(by_tag[t.name]):
            if index:
                lines += ["", "* * *", ""]
            lines += _passage(p)
    return "\n".join(lines) + "\n"
