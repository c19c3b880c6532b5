"""`foia import`: find files, read them on both cores, write them in batches of whole documents.

Reading runs in worker processes (foia_tui.services.workers), each file under a time budget and each worker under a
memory cap. A worker hashes the file (skipping one already imported), parses it and turns the records into
rows, so this process, the only writer, does little but run SQL: the writer is what bounds an import's speed.
A file that fails (even by hanging or killing its worker) is recorded with its reason and the batch goes on.
"""

from __future__ import annotations

import errno
import functools
import glob
import os
import stat
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from foia_tui.archive import Archive, ArchiveUnusable
from foia_tui.archive.clock import date_batch, set_clock, set_zone
from foia_tui.archive.indexing import indexed_at_the_end
from foia_tui.archive.messages import duplicate_count
from foia_tui.archive.releases import (
    attach_documents,
    check_release,
    documents_held,
    drop_empty_releases,
    ensure_release,
)
from foia_tui.archive.search import keep_search_unless_named
from foia_tui.archive.store import (
    DocumentRows,
    document_id_for,
    document_rows,
    imported_sha256s,
    link_attachment_document,
    log_import,
    message_id_for,
    now_iso,
    record_failure,
    store_rows,
)
from foia_tui.archive.tags import reanchor_taggings
from foia_tui.archive.threads import has_pending, place_unthreaded
from foia_tui.archive.warnings import PageWarning
from foia_tui.domain.display import one_line
from foia_tui.domain.escaping import storable
from foia_tui.domain.production import production_names
from foia_tui.domain.releases import default_release_name, run_release_name
from foia_tui.services.production import join_production
from foia_tui.services.rethreading import rebuild_conversations
from foia_tui.services.workers import TOO_LARGE, UNEXPECTED, Stopped, run_bounded
from importers import maildir
from importers.detect import parser_for, sniff_kind
from importers.hashing import file_sha256, stream_sha256
from importers.ocr_cache import DirectoryCache
from importers.records import DocumentRecord, UnreadableFile

FILE_TIME_BUDGET_S = 300  # per file (with the PDFs attached to it); then its worker is killed
FILE_MEMORY_LIMIT = 3 << 30  # bytes of address space a worker may add while reading one file
MAX_REASON_CHARS = 300
MAX_IN_FLIGHT = 64  # tasks read ahead of the one being written
MAILDIR_FILES_PER_TASK = 32
BATCH_MESSAGES = 2000
BATCH_SECONDS = 2.0
NEEDS_A_LOOK = "Needs a look"  # the saved search an import with warnings offers in the app's sidebar


@dataclass
class Candidate:
    path: Path
    kind: str | None
    top: Path | None = None  # the path given that found this file (names its release by default)


@dataclass
class ParsedAttachment:
    """A PDF attached to a message, read in the same worker: its rows, or why it could not be read."""

    parent_id: str  # the message it is attached to
    sha256: str
    name: str  # "file › attachment", as a failure names it
    outcome: DocumentRows | str


@dataclass
class Parsed:
    """A file read in a worker, as rows ready to store, with the PDFs attached to its messages read there too."""

    rows: DocumentRows
    attachments: list[ParsedAttachment] = field(default_factory=list)


@dataclass
class AlreadyImported:
    sha256: str


@dataclass
class Unread:
    reason: str
    sha256: str | None = None


@dataclass
class Failure:
    file: str  # as stored and shown: bytes of a name that were not UTF-8 escaped (\xff)
    reason: str

    def __post_init__(self) -> None:
        self.file = storable(self.file)


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
    document_ids: list[str] = field(default_factory=list)  # documents this import read
    warnings: list[PageWarning] = field(default_factory=list)  # what they could not read

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
            "warnings": [w.as_json() for w in self.warnings],
        }


def expand_paths(paths: Iterable[str], follow_symlinks: bool = False) -> tuple[list[Candidate], list[Failure]]:
    """Files, directories (recursively; maildirs as their messages) and globs, in a stable order.

    Only regular files are read (a named pipe would block whoever opens it). A symbolic link found inside a
    folder is followed only with `follow_symlinks` (it may lead anywhere: /etc/passwd); a path given is always
    followed. Each real folder is walked once, so a link loop is one line, not an exponential walk.
    """
    found: list[Candidate] = []
    failures: list[Failure] = []
    walked: set[str] = set()  # real paths of the folders read so far
    for spec in paths:
        matches = sorted(glob.glob(spec, recursive=True)) if glob.has_magic(spec) else [spec]
        if not matches:
            failures.append(Failure(spec, "no files match this pattern"))
        for match in map(Path, matches):
            for candidate in _walk(match, failures, walked, follow_symlinks, given=True):
                candidate.top = match
                found.append(candidate)
    first: dict[str, Candidate] = {}  # a file named twice (a folder and a glob inside it) is read once
    for candidate in found:
        first.setdefault(os.path.abspath(candidate.path), candidate)
    return list(first.values()), failures


def _walk(
    path: Path, failures: list[Failure], walked: set[str], follow: bool, given: bool = False
) -> Iterator[Candidate]:
    if not given and not follow and path.is_symlink():
        failures.append(Failure(str(path), "a symbolic link, not followed (--follow-symlinks follows it)"))
        return
    try:
        mode = path.stat().st_mode
    except OSError as error:
        failures.append(Failure(str(path), _UNREACHABLE.get(error.errno, f"cannot read ({error.strerror})")))
        return
    if stat.S_ISDIR(mode):
        real = os.path.realpath(path)
        if real in walked:  # a link back up the tree (a loop) or a second way to one folder
            failures.append(Failure(str(path), f"a folder already read, through a symbolic link ({real}): skipped"))
            return
        walked.add(real)
        messages = maildir.maildir_messages(path)
        if messages is not None:
            yield from (Candidate(p, "maildir") for p in messages)
            return
        try:
            children = sorted(path.iterdir())
        except OSError as error:
            failures.append(Failure(str(path), f"cannot read directory ({error.strerror})"))
            return
        for child in children:
            if not child.name.startswith("."):
                yield from _walk(child, failures, walked, follow)
    elif stat.S_ISREG(mode):
        yield Candidate(path, None)
    else:
        failures.append(Failure(str(path), f"skipped: {_special_kind(mode)}, not a regular file"))


_UNREACHABLE = {errno.ENOENT: "no such file or directory", errno.ELOOP: "a symbolic link loop"}


def _special_kind(mode: int) -> str:
    for test, name in ((stat.S_ISFIFO, "a named pipe"), (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a device")):
        if test(mode):
            return name
    return "a device" if stat.S_ISBLK(mode) else "a special file"


def _ocr_cache() -> DirectoryCache | None:
    """Where OCR readings are kept between imports ($FOIA_OCR_CACHE, else the user's cache directory);
    FOIA_OCR_CACHE=off reads every scanned page afresh."""
    chosen = os.environ.get("FOIA_OCR_CACHE")
    if chosen == "off":
        return None
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return DirectoryCache(Path(chosen) if chosen else base / "foia-tui" / "ocr")


def parse_file(path: Path, kind: str | None) -> DocumentRecord:
    """Parse one file in a worker; content problems come back as UnreadableFile with a one-line reason."""
    try:
        kind = kind or sniff_kind(path)
        if kind is None:
            raise UnreadableFile("unknown file type (not a PDF, email, mbox, maildir or Outlook .msg)")
        if kind == "pdf":
            from importers import pdf  # pypdfium2, PIL and pdfplumber: loaded by the first PDF, not by mail imports

            return pdf.parse(path, ocr_cache=_ocr_cache())
        return parser_for(kind)(path)
    except UnreadableFile as error:
        reason = str(error)
    except MemoryError:
        reason = TOO_LARGE
    except Exception as error:  # a parser bug on hostile input must not end the batch
        reason = f"{UNEXPECTED} ({type(error).__name__}: {error})"
    raise UnreadableFile(one_line(reason, MAX_REASON_CHARS))


def parse_bytes(name: str, data: bytes) -> DocumentRecord:
    """Parse an attachment's bytes (written to a temporary file, since the importers read paths). The file is never
    named after the attachment: that name is the document's data (too long, `..`, a NUL), not a path."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "attachment.pdf"
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
    follow_symlinks: bool = False,
    tz: str | None = None,
) -> ImportSummary:
    """Import everything under `paths` in batches of whole documents, then rebuild threads once.

    `tz` (a zone_name) is the zone of the releases filled; else each release's zone is detected from its mail.
    """
    started = now_iso()
    candidates, failures = expand_paths(paths, follow_symlinks)
    summary = ImportSummary(files=len(candidates) + len(failures), failures=failures)
    release_of, created = _releases_for(archive, list(paths), candidates, release, release_fields or {})
    release_ids = sorted({release_id for _name, release_id in release_of.values()})
    if tz is not None:
        with archive.transaction() as conn:
            for release_id in release_ids:
                set_zone(conn, release_id, tz)
    if progress:
        progress(0, len(candidates))
    before = imported_sha256s(archive)
    held = documents_held(archive, release_ids)
    known = before if not force else set()
    try:
        outcomes = _read_all(candidates, known, workers)
        _store_all(archive, outcomes, release_of, summary, force, progress, len(candidates))
    except ArchiveUnusable as error:  # a full disk: the batches committed before it stay, and a re-run skips them
        stored = len(imported_sha256s(archive) - before)
        raise ArchiveUnusable(
            f"{error}; {stored} of {len(candidates)} files were stored: run the same import again to complete it"
        ) from error
    read = set(summary.document_ids)
    if summary.imported or documents_held(archive, release_ids) != held:
        with archive.transaction() as conn:  # each batch was dated in its release's zone so far: detect it again
            set_clock(conn, release_ids)
    for release_id in release_ids:
        joined = join_production(archive, release_id)
        summary.warnings += [warning for document_id, warning in joined.items() if document_id in read]
    summary.warnings.sort(key=lambda w: w.order)
    if summary.warnings:
        keep_search_unless_named(archive, NEEDS_A_LOOK, "has:warning")
    if summary.imported or has_pending(archive):  # a killed import's messages are placed by the next one
        counts = rebuild_conversations(archive, full=force)
        summary.threads = counts["threads"]
        if force:  # bodies may have changed (re-OCR): move or flag excerpt taggings whose text moved
            reanchor_taggings(archive)
    summary.duplicates = duplicate_count(archive)
    dropped = set(drop_empty_releases(archive, created))  # a file that failed makes no release
    summary.releases = sorted({name for name, _ in release_of.values()} - dropped)
    log_import(
        archive,
        started,
        list(paths),
        summary.files,
        summary.messages_added,
        summary.duplicates,
        summary.as_json()["failures"],
    )
    return summary


def _store_all(
    archive: Archive,
    outcomes: Iterator[tuple[Candidate, Parsed | AlreadyImported | Unread]],
    release_of: dict[Path, tuple[str, int]],
    summary: ImportSummary,
    force: bool,
    progress: Callable[[int, int], None] | None,
    total: int,
) -> None:
    """Write what the workers read, in batches: one transaction per batch, whole documents only, so a kill
    mid-import never leaves half a document behind."""
    done, finished = 0, False
    while not finished:
        batch_started, batch_messages = time.monotonic(), 0
        stored: dict[int, list[str]] = {}  # release id -> documents this batch stored or found already here
        with archive.transaction() as conn, indexed_at_the_end(conn):
            for candidate, outcome in outcomes:
                release_id = release_of[candidate.path][1]
                if isinstance(outcome, AlreadyImported):
                    summary.skipped += 1  # this release gets a copy of the same document
                    stored.setdefault(release_id, []).append(document_id_for(outcome.sha256))
                elif isinstance(outcome, Parsed):
                    _store_with_attachments(archive, outcome, summary, force)
                    summary.document_ids.append(document_id_for(outcome.rows.sha256))
                    rows = outcome.rows
                    summary.warnings += [PageWarning(rows.path, page, reason) for page, reason in rows.warning_rows]
                    stored.setdefault(release_id, []).append(document_id_for(outcome.rows.sha256))
                    batch_messages += len(outcome.rows.messages)
                else:
                    failure = Failure(str(candidate.path), outcome.reason)
                    summary.failures.append(failure)
                    record_failure(archive, failure.file, outcome.sha256, candidate.kind, outcome.reason)
                done += 1
                if progress:
                    progress(done, total)
                if batch_messages >= BATCH_MESSAGES or time.monotonic() - batch_started > BATCH_SECONDS:
                    break
            else:
                finished = True
            for release_id, document_ids in stored.items():
                attach_documents(archive, release_id, document_ids)
            date_batch(conn, stored, fresh=not force)
            place_unthreaded(conn)  # listed even if the import dies before its rethreading


def _releases_for(
    archive: Archive, paths: list[str], candidates: list[Candidate], release: str | None, fields: dict[str, str | None]
) -> tuple[dict[Path, tuple[str, int]], list[int]]:
    """(release name, id) for every file, and the ids of the releases made for this import (dropped at its end if
    no file made it in); checked before anything is written.

    Without --release the whole run is one release: the production its files form ("… PART 3.pdf", "… PART
    4.pdf"), else named after the path given (see domain.releases.run_release_name)."""
    if release:
        names = dict.fromkeys((c.path for c in candidates), release)
    else:
        # thousands of files share the few paths given; a folder's name that was not UTF-8 is stored escaped
        name_of = functools.cache(lambda path: storable(default_release_name(path)))
        names = {c.path: name_of(c.top or c.path) for c in candidates}
        production = production_names(sorted(set(names.values())))
        names = {path: production.get(name, name) for path, name in names.items()}
        if len(set(names.values())) > 1:
            names = dict.fromkeys(names, storable(run_release_name(paths)))
    with archive.transaction():
        new = {name for name in set(names.values()) if check_release(archive, name) is None}
        ids = {name: ensure_release(archive, name, **fields) for name in sorted(set(names.values()))}
    return {path: (name, ids[name]) for path, name in names.items()}, [ids[name] for name in sorted(new)]


def _store_with_attachments(archive: Archive, parsed: Parsed, summary: ImportSummary, force: bool) -> None:
    result = store_rows(archive, parsed.rows, force=force)
    summary.imported += 1
    summary.messages_added += result.added
    for attachment in parsed.attachments:
        if isinstance(attachment.outcome, str):
            summary.failures.append(Failure(attachment.name, attachment.outcome))
            continue
        stored = store_rows(archive, attachment.outcome, parent_message_id=attachment.parent_id, force=force)
        summary.messages_added += stored.added
        link_attachment_document(archive, attachment.parent_id, attachment.sha256, stored.document_id)


def _read_all(
    candidates: list[Candidate], known: set[str], workers: int | None, per_task: int = MAILDIR_FILES_PER_TASK
) -> Iterator[tuple[Candidate, Parsed | AlreadyImported | Unread]]:
    """Yield (candidate, what reading it gave) in input order, reading ahead in worker processes.

    `known` holds the hashes of documents already imported: a worker skips those files before parsing them.
    """
    tasks = _tasks(candidates, per_task)
    workers = workers if workers is not None else min(os.cpu_count() or 1, 2, len(tasks))
    for task, outcome in run_bounded(
        functools.partial(_read_task, known=known),
        tasks,
        workers=workers,
        time_budget=FILE_TIME_BUDGET_S,
        memory_limit=FILE_MEMORY_LIMIT,
        lookahead=MAX_IN_FLIGHT,
    ):
        if not isinstance(outcome, Stopped):
            yield from zip(task, outcome, strict=True)
        elif len(task) > 1:  # one of its files hung or killed the worker: read them one by one to find which
            yield from _read_all(task, known, workers, per_task=1)
        else:  # hash the file here, for its failure record
            yield task[0], Unread(outcome.reason, _sha256_or_none(task[0].path))


def _tasks(candidates: list[Candidate], per_task: int) -> list[list[Candidate]]:
    """The files each worker task reads: a maildir's messages (small, and tens of thousands of them) in runs of
    `per_task`, so handing work to a worker and back costs little per message; any other file alone."""
    tasks: list[list[Candidate]] = []
    for candidate in candidates:
        run = tasks[-1] if tasks else []
        if candidate.kind == "maildir" and run and run[0].kind == "maildir" and len(run) < per_task:
            run.append(candidate)
        else:
            tasks.append([candidate])
    return tasks


def _read_task(task: list[Candidate], known: set[str]) -> list[Parsed | AlreadyImported | Unread]:
    return [_read(candidate, known) for candidate in task]


def _sha256_or_none(path: Path) -> str | None:
    """The hash of a file that stopped its worker, for its failure record: read here only if it is still a regular
    file (opened without blocking, so a file swapped for a pipe cannot hang the import)."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError:
        return None
    with os.fdopen(descriptor, "rb") as handle:
        try:
            return stream_sha256(handle) if stat.S_ISREG(os.fstat(descriptor).st_mode) else None
        except OSError:
            return None


def _read(candidate: Candidate, known: set[str]) -> Parsed | AlreadyImported | Unread:
    """What a worker does with one file: hash it, then (unless already imported) parse it into rows."""
    try:
        sha256 = file_sha256(candidate.path)
    except OSError as error:
        return Unread(f"cannot read ({error.strerror})")
    if sha256 in known:
        return AlreadyImported(sha256)
    try:
        return parse_with_attachments(candidate.path, candidate.kind, sha256)
    except UnreadableFile as error:
        return Unread(str(error), sha256)


def parse_with_attachments(path: Path, kind: str | None, sha256: str) -> Parsed:
    """Parse a file, then each PDF attached to its messages, under the same time budget and memory cap (their
    bytes are dropped once read, so they are not sent back)."""
    doc = parse_file(path, kind)
    doc.path, doc.sha256 = storable(doc.path), sha256
    attachments = []
    for message in doc.messages:
        for attachment in message.attachments:
            if attachment.data is None or not attachment.sha256:
                continue
            name = f"{doc.path} › {attachment.name}"
            try:
                child: DocumentRows | str = document_rows(parse_bytes(name, attachment.data))
            except UnreadableFile as error:
                child = str(error)
            attachment.data = None
            parent_id = message_id_for(sha256, message.ordinal)
            attachments.append(ParsedAttachment(parent_id, attachment.sha256, name, child))
    return Parsed(document_rows(doc), attachments)
