"""`foia import`: find files, parse them on both cores, write each document in its own transaction.

Parsing runs in worker processes (foia_tui.workers), each file under a time budget and each worker under a
memory cap; only this process writes, so the archive sees one writer at a time. A file that fails (even by
hanging or killing its worker) is recorded with its reason and the batch goes on.
"""

from __future__ import annotations

import functools
import glob
import hashlib
import json
import os
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from foia_tui.archive import Archive
from foia_tui.archive.releases import attach_documents, ensure_release
from foia_tui.archive.store import (
    document_id_for,
    is_imported,
    link_attachment_document,
    message_id_for,
    now_iso,
    record_failure,
    store_document,
)
from foia_tui.archive.tags import reanchor_taggings
from foia_tui.archive.threads import rebuild_conversations
from foia_tui.display import one_line
from foia_tui.releases import default_release_name
from foia_tui.workers import TOO_LARGE, UNEXPECTED, Stopped, run_bounded
from importers import maildir
from importers.detect import parser_for, sniff_kind
from importers.records import DocumentRecord, UnreadableFile

FILE_TIME_BUDGET_S = 300  # per file (with the PDFs attached to it); then its worker is killed
FILE_MEMORY_LIMIT = 3 << 30  # bytes of address space a worker may add while reading one file
MAX_REASON_CHARS = 300
MAX_IN_FLIGHT = 64
BATCH_MESSAGES = 500
BATCH_SECONDS = 1.0


@dataclass
class Candidate:
    path: Path
    kind: str | None
    sha256: str | None = None
    top: Path | None = None  # the path given that found this file (names its release by default)


@dataclass
class Parsed:
    """A file read in a worker, with the PDFs attached to its messages read there too.

    `attachments` maps (message ordinal, attachment sha256) to the attached PDF's record or the reason it failed.
    """

    doc: DocumentRecord
    attachments: dict[tuple[int, str], DocumentRecord | str] = field(default_factory=dict)


@dataclass
class Failure:
    file: str
    reason: str


@dataclass
class ImportSummary:
    files: int = 0
    imported: int = 0
    skipped: int = 0
    messages_added: int = 0
    duplicates: int = 0
    threads: int = 0
    failures: list[Failure] = field(default_factory=list)
    releases: list[str] = field(default_factory=list)

    def as_json(self) -> dict:
        return {
            "files": self.files,
            "imported": self.imported,
            "skipped": self.skipped,
            "messages_added": self.messages_added,
            "duplicates": self.duplicates,
            "threads": self.threads,
            "failures": [{"file": f.file, "reason": f.reason} for f in self.failures],
            "releases": self.releases,
        }


def expand_paths(paths: Iterable[str]) -> tuple[list[Candidate], list[Failure]]:
    """Files, directories (recursively; maildirs as their messages) and globs, in a stable order."""
    found: list[Candidate] = []
    failures: list[Failure] = []
    for spec in paths:
        matches = sorted(glob.glob(spec, recursive=True)) if glob.has_magic(spec) else [spec]
        if not matches:
            failures.append(Failure(spec, "no files match this pattern"))
        for match in matches:
            for candidate in _walk(Path(match), failures):
                candidate.top = Path(match)
                found.append(candidate)
    seen: set[str] = set()  # a file named twice (a folder and a glob inside it) is read once
    unique = [c for c in found if not (os.path.abspath(c.path) in seen or seen.add(os.path.abspath(c.path)))]
    return unique, failures


def _walk(path: Path, failures: list[Failure]) -> Iterator[Candidate]:
    if not path.exists():
        failures.append(Failure(str(path), "no such file or directory"))
        return
    if path.is_dir():
        if maildir.is_maildir(path):
            yield from (Candidate(p, "maildir") for p in maildir.message_files(path))
            return
        try:
            children = sorted(path.iterdir())
        except OSError as error:
            failures.append(Failure(str(path), f"cannot read directory ({error.strerror})"))
            return
        for child in children:
            if not child.name.startswith("."):
                yield from _walk(child, failures)
        return
    yield Candidate(path, None)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def parse_file(path: Path, kind: str | None) -> DocumentRecord:
    """Parse one file in a worker; content problems come back as UnreadableFile with a one-line reason."""
    try:
        kind = kind or sniff_kind(path)
        if kind is None:
            raise UnreadableFile("unknown file type (not a PDF, email, mbox, maildir or Outlook .msg)")
        return parser_for(kind)(path)
    except UnreadableFile as error:
        reason = str(error)
    except MemoryError:
        reason = TOO_LARGE
    except Exception as error:  # a parser bug on hostile input must not end the batch
        reason = f"{UNEXPECTED} ({type(error).__name__}: {error})"
    raise UnreadableFile(one_line(reason, MAX_REASON_CHARS))


def parse_bytes(name: str, data: bytes) -> DocumentRecord:
    """Parse an attachment's bytes (written to a temporary file, since the importers read paths)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / (Path(name).name or "attachment.pdf")
        path.write_bytes(data)
        doc = parse_file(path, "pdf")
    doc.path = name
    return doc


def run_import(
    archive: Archive,
    paths: Iterable[str],
    *,
    workers: int | None = None,
    force: bool = False,
    progress: Callable[[int, int], None] | None = None,
    release: str | None = None,
    release_fields: dict[str, str | None] | None = None,
) -> ImportSummary:
    """Import everything under `paths` in batches of whole documents, then rebuild threads once."""
    started = now_iso()
    candidates, failures = expand_paths(paths)
    summary = ImportSummary(files=len(candidates) + len(failures), failures=failures)
    release_of = _releases_for(archive, candidates, release, release_fields or {})
    summary.releases = sorted({name for name, _ in release_of.values()})
    todo: list[Candidate] = []
    already_here: dict[int, list[str]] = {}
    for candidate in candidates:
        try:
            candidate.sha256 = file_sha256(candidate.path)
        except OSError as error:
            summary.failures.append(Failure(str(candidate.path), f"cannot read ({error.strerror})"))
            continue
        if not force and is_imported(archive, candidate.sha256):
            summary.skipped += 1  # already here: this release gets a copy of the same document
            already_here.setdefault(release_of[candidate.path][1], []).append(document_id_for(candidate.sha256))
        else:
            todo.append(candidate)
    with archive.transaction():
        for release_id, document_ids in already_here.items():
            attach_documents(archive, release_id, document_ids)
    done = summary.skipped
    if progress:
        progress(done, len(candidates))
    outcomes = _parse_all(todo, workers)
    finished = False
    while not finished:
        # Small documents (maildir messages) are written in batches: one transaction per batch, whole
        # documents only, so a kill mid-import never leaves half a document behind.
        batch_started, batch_messages = time.monotonic(), 0
        stored: dict[int, list[str]] = {}  # release id -> documents this batch stored
        with archive.transaction():
            for candidate, outcome in outcomes:
                if isinstance(outcome, Parsed):
                    doc = outcome.doc
                    doc.sha256 = candidate.sha256 or doc.sha256
                    _store_with_attachments(archive, outcome, summary, force)
                    stored.setdefault(release_of[candidate.path][1], []).append(document_id_for(doc.sha256))
                    batch_messages += len(doc.messages)
                else:
                    summary.failures.append(Failure(str(candidate.path), outcome))
                    record_failure(archive, str(candidate.path), candidate.sha256, candidate.kind, outcome)
                done += 1
                if progress:
                    progress(done, len(candidates))
                if batch_messages >= BATCH_MESSAGES or time.monotonic() - batch_started > BATCH_SECONDS:
                    break
            else:
                finished = True
            for release_id, document_ids in stored.items():
                attach_documents(archive, release_id, document_ids)
    if summary.imported:
        counts = rebuild_conversations(archive, full=force)
        summary.threads = counts["threads"]
        if force:  # bodies may have changed (re-OCR): move or flag excerpt taggings whose text moved
            reanchor_taggings(archive)
    summary.duplicates = archive.scalar("SELECT count(*) FROM messages WHERE duplicate_of IS NOT NULL") or 0
    _log(archive, started, list(paths), summary)
    return summary


def _releases_for(
    archive: Archive, candidates: list[Candidate], release: str | None, fields: dict[str, str | None]
) -> dict[Path, tuple[str, int]]:
    """(release name, id) for every file: the one named, else one per path given; checked before anything is written."""
    name_of = functools.cache(default_release_name)  # thousands of files share the few paths given
    names = {c.path: release or name_of(c.top or c.path) for c in candidates}
    with archive.transaction():
        ids = {name: ensure_release(archive, name, **fields) for name in sorted(set(names.values()))}
    return {path: (name, ids[name]) for path, name in names.items()}


def _store_with_attachments(archive: Archive, parsed: Parsed, summary: ImportSummary, force: bool) -> None:
    doc = parsed.doc
    result = store_document(archive, doc, force=force)
    summary.imported += 1
    summary.messages_added += result.added
    for message in doc.messages:
        for attachment in message.attachments:
            child = parsed.attachments.get((message.ordinal, attachment.sha256 or ""))
            if child is None:
                continue
            if isinstance(child, str):
                summary.failures.append(Failure(f"{doc.path} › {attachment.name}", child))
                continue
            child.sha256 = attachment.sha256 or child.sha256
            parent_id = message_id_for(doc.sha256, message.ordinal)
            stored = store_document(archive, child, parent_message_id=parent_id, force=force)
            summary.messages_added += stored.added
            link_attachment_document(archive, parent_id, attachment.sha256, stored.document_id)


def _parse_all(todo: list[Candidate], workers: int | None) -> Iterator[tuple[Candidate, Parsed | str]]:
    """Yield (candidate, parsed file or failure reason) in input order, parsing ahead in worker processes."""
    workers = workers if workers is not None else min(os.cpu_count() or 1, 2, len(todo))
    for candidate, outcome in run_bounded(
        _outcome,
        todo,
        workers=workers,
        time_budget=FILE_TIME_BUDGET_S,
        memory_limit=FILE_MEMORY_LIMIT,
        lookahead=MAX_IN_FLIGHT,
    ):
        yield candidate, outcome.reason if isinstance(outcome, Stopped) else outcome


def _outcome(candidate: Candidate) -> Parsed | str:
    try:
        return parse_with_attachments(candidate.path, candidate.kind)
    except UnreadableFile as error:
        return str(error)


def parse_with_attachments(path: Path, kind: str | None) -> Parsed:
    """What a worker does with one file: parse it, then each PDF attached to its messages, under the same
    time budget and memory cap (their bytes are dropped once read, so they are not sent back)."""
    parsed = Parsed(parse_file(path, kind))
    for message in parsed.doc.messages:
        for attachment in message.attachments:
            if attachment.data is None or not attachment.sha256:
                continue
            try:
                child: DocumentRecord | str = parse_bytes(f"{parsed.doc.path} › {attachment.name}", attachment.data)
            except UnreadableFile as error:
                child = str(error)
            parsed.attachments[(message.ordinal, attachment.sha256)] = child
            attachment.data = None
    return parsed


def _log(archive: Archive, started: str, paths: list[str], summary: ImportSummary) -> None:
    with archive.transaction() as conn:
        conn.execute(
            """INSERT INTO import_log (started_at, finished_at, paths, files, messages_added, duplicates, failures)
               VALUES (?, ?, ?, ?, ?, ?, ?)""",
            (
                started,
                now_iso(),
                json.dumps(paths),
                summary.files,
                summary.messages_added,
                summary.duplicates,
                json.dumps(summary.as_json()["failures"]),
            ),
        )
