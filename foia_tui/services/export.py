"""Exports of tagged passages: a cited Markdown brief, plain text for word processors, and JSON / CSV with the
same fields for scripts.

`build_export` gathers the plain data; the renderers below it are pure functions of that data. The "made at"
time is the export's own (now), and the archive's last import is named separately; pass `made_at` (CLI: --date)
to fix it, so that the same archive gives the same bytes.

Every document string is hostile: in Markdown it is escaped exactly where a renderer would act on it (a heading,
list, table, code, link or HTML), and nowhere else, so file names, codes and addresses paste as they read;
control and bidi characters are made visible. CSV cells that a spreadsheet would run as a formula get a leading
apostrophe; JSON escapes what is not printable.
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from dataclasses import dataclass, replace
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
from foia_tui.domain.citations import also_line, box_note, page_range
from foia_tui.domain.display import controls_shown
from foia_tui.domain.escaping import csv_cell, json_visible, md_line, md_lines
from foia_tui.domain.wording import plural
from foia_tui.services.releases import message_exposures

FORMATS = ("md", "json", "csv", "txt")
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
    "releases",
    "also",
    "boxes",
)


@dataclass(frozen=True)
class Export:
    title: str
    archive: str  # the archive's file name
    made_at: str | None  # when the export was made (or the time asked for)
    filters: str | None  # what the export was limited to, in words
    tags: tuple[Tag, ...]
    passages: tuple[TaggedPassage, ...]
    last_import: str | None = None  # when the archive was last imported into


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
        made_at=made_at or now_iso(),
        filters="; ".join(filters) or None,
        tags=chosen,
        passages=tuple(_with_exposures(archive, passages)),
        last_import=last_import_time(archive),
    )


def _with_exposures(archive: Archive, passages: list[TaggedPassage]) -> list[TaggedPassage]:
    """Each box in a passage with the releases whose copy of the email shows what it hides."""
    shown: dict[str, dict[int, tuple[str, ...]]] = {}
    result = []
    for p in passages:
        if any(b.offset is not None for b in p.boxes):
            if p.message_id not in shown:
                found = message_exposures(archive, p.message_id)
                shown[p.message_id] = {e.exposure.offset: e.exposure.readable_in for e in found}
            by_offset = shown[p.message_id]
            p = replace(p, boxes=tuple(replace(b, shown_by=by_offset.get(b.offset, ())) for b in p.boxes))
        result.append(p)
    return result


def render(export: Export, fmt: str) -> str:
    return {"md": to_markdown, "txt": to_text, "json": to_json, "csv": to_csv}[fmt](export)


def format_for(path: str | None, fmt: str | None) -> str:
    """The format asked for, else the one the output file's extension names, else Markdown."""
    if fmt:
        return fmt
    suffix = Path(path).suffix.lower() if path else ""
    return {".json": "json", ".csv": "csv", ".txt": "txt"}.get(suffix, "md")


def free_path(path: Path) -> Path:
    """`path`, or the first of brief-2.md, brief-3.md … that does not exist yet: a proposal never overwrites."""
    n = 1
    candidate = path
    while candidate.exists() or candidate.is_symlink():
        n += 1
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
    return candidate


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
        "releases": list(p.releases),
        "also": list(dict.fromkeys(c.label for c in p.also)),
        "boxes": box_note(p.boxes, p.kind != "excerpt") or None,
    }


def to_json(export: Export) -> str:
    document = {
        "title": export.title,
        "archive": export.archive,
        "made_at": export.made_at,
        "last_import": export.last_import,
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
    lines = md_lines(text)
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
    """Date, sender → recipients, subject, release, source file, page(s), Bates number, other copies: one line of
    plain text (each renderer escapes it its own way)."""
    date = p.sent.replace("T", " ") if p.sent else "undated"
    people = f"{p.sender} → {', '.join(p.recipients) or '(no recipients)'}"
    parts = [date, people, f"“{p.subject}”" if p.subject else "(no subject)", *p.releases, Path(p.file).name]
    parts += [part for part in (page_range(p.page_start, p.page_end), f"Bates {p.bates}" if p.bates else None) if part]
    parts.append(f"chars {p.start}–{p.end}" if p.kind == "excerpt" else "whole message")
    parts += [part for part in (also_line(p.also),) if part]
    return "— " + " · ".join(" ".join(controls_shown(part).split()) for part in parts)


def _box_note(p: TaggedPassage) -> str:
    return box_note(p.boxes, p.kind != "excerpt")


ANCHOR_NOTES = {
    "moved": "Re-anchored after a re-import: the quoted text moved within the message.",
    "lost": "Anchor lost: the message as re-imported no longer contains this text; quoted as it was tagged.",
}


def _passage(p: TaggedPassage) -> list[str]:
    lines = [*_blockquote(p.text), "", md_line(citation(p))]
    if p.boxes:
        lines += ["", f"*{md_line(_box_note(p))}*"]
    if p.anchor_status in ANCHOR_NOTES:
        lines += ["", f"*{ANCHOR_NOTES[p.anchor_status]}*"]
    if p.note:
        note = md_lines(p.note)
        lines += ["", f"**Note** ({md_line(p.tagged_by or 'unknown')}, {md_line(p.tagged_at)}): {note[0]}"]
        lines += note[1:]
    return lines


def _header(export: Export) -> list[str]:
    """The plain lines under the title: when the export was made, from what, the last import, the limits."""
    made = (
        f"Made {export.made_at} from archive {export.archive}."
        if export.made_at
        else f"Made from archive {export.archive}."
    )
    lines = [made, f"Archive last imported: {export.last_import or 'never'}."]
    if export.filters:
        lines.append(f"Limited to {export.filters}.")
    lines.append(f"{plural(len(export.passages), 'tagged passage')} under {plural(len(export.tags), 'tag')}.")
    return lines


def _by_tag(export: Export) -> dict[str, list[TaggedPassage]]:
    return {t.name: [p for p in export.passages if p.tag == t.name] for t in export.tags}


def to_markdown(export: Export) -> str:
    used: set[str] = set()
    _slug(export.title, used)
    lines = [f"# {md_line(export.title)}"]
    for line in _header(export):
        lines += ["", md_line(line)]
    by_tag = _by_tag(export)
    lines += ["", "## Contents", ""]
    _slug("Contents", used)
    slugs = {t.name: _slug(t.name, used) for t in export.tags}
    lines += [f"- [{md_line(t.name, link_text=True)}](#{slugs[t.name]}) ({len(by_tag[t.name])})" for t in export.tags]
    if not export.tags:
        lines.append("*(no tags)*")
    for t in export.tags:
        lines += ["", f"## {md_line(t.name)}", ""]
        if t.description:
            lines += [*md_lines(t.description), ""]
        if not by_tag[t.name]:
            lines.append("*(no tagged passages)*")
        for index, p in enumerate(by_tag[t.name]):
            if index:
                lines += ["", "* * *", ""]
            lines += _passage(p)
    return "\n".join(lines) + "\n"


def _quoted(text: str) -> list[str]:
    """A passage for a word processor: its lines between quotation marks, controls made visible."""
    lines = controls_shown(text).strip("\n").split("\n") if text.strip() else []
    if not lines:
        return ["(empty)"]
    lines[0] = "“" + lines[0]
    lines[-1] += "”"
    return lines


def _underlined(text: str, rule: str) -> list[str]:
    line = " ".join(controls_shown(text).split())
    return [line, rule * max(len(line), 3)]


def to_text(export: Export) -> str:
    """Plain text to paste into a word processor: nothing to escape, the same citations and notes as Markdown."""
    lines = [*_underlined(export.title, "="), "", *_header(export)]
    by_tag = _by_tag(export)
    for t in export.tags:
        lines += ["", "", *_underlined(f"{t.name} ({plural(len(by_tag[t.name]), 'passage')})", "-"), ""]
        if t.description:
            lines += [controls_shown(t.description).strip("\n"), ""]
        if not by_tag[t.name]:
            lines.append("(no tagged passages)")
        for index, p in enumerate(by_tag[t.name]):
            if index:
                lines += ["", "* * *", ""]
            lines += [*_quoted(p.text), "", citation(p)]
            lines += [note for note in (_box_note(p), ANCHOR_NOTES.get(p.anchor_status, "")) if note]
            if p.note:
                lines.append(f"Note ({p.tagged_by or 'unknown'}, {p.tagged_at}): {controls_shown(p.note).strip()}")
    return "\n".join(lines) + "\n"
