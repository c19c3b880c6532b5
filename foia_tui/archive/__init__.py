"""The archive: one SQLite file, and the only place in foia-tui where SQL lives.

`Archive.open` checks, creates and migrates the file; the submodules hold the reads and writes by area.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlite_utils

from foia_tui.archive.schema import MIGRATIONS, SCHEMA_VERSION

SQLITE_HEADER = b"SQLite format 3\x00"
WAL_CHECKPOINT_PAGES = 10_000
BUSY_TIMEOUT_MS = 120_000  # a concurrent import may hold the write lock through a whole-archive rethreading


def folded_contains(text: str | None, part: str | None) -> bool:
    """SQL function: whether `text` holds `part`, ignoring case in every alphabet (LIKE folds only ASCII)."""
    return bool(text and part) and part.casefold() in text.casefold()


class ArchiveError(Exception):
    """A problem with the archive file itself, worded for the person who named it.

    SQLite's own errors (a locked or damaged file) leave this package only as this class, with SQLite's words.
    """


class ArchiveUnusable(ArchiveError):
    """The file is damaged or its disk is full: no command can go on, and the person must act (exit status 2)."""


class ArchiveOutdated(ArchiveError):
    """Opened read-only, the archive has an older schema: only a writable open can upgrade it."""


_DAMAGED = ("malformed", "could not decode", "corrupt")
_UNWRITABLE = ("database or disk is full", "disk i/o error")  # ENOSPC, and EFBIG or a failing disk


def _classified(error: Exception, path: Path) -> ArchiveError:
    """SQLite's error as the archive's: a damaged file or a full disk said so, with what to do next."""
    text = str(error) if not isinstance(error, UnicodeDecodeError) else "text that is not UTF-8"
    if isinstance(error, UnicodeDecodeError) or any(word in text.lower() for word in _DAMAGED):
        return ArchiveUnusable(
            f"{path}: the archive is damaged ({text}); `sqlite3 {path} .recover | sqlite3 recovered.db` saves what "
            "can be read into a new file"
        )
    if any(words in text.lower() for words in _UNWRITABLE):
        return ArchiveUnusable(
            f"{path}: the disk is full or failing ({text}); the archive is intact, with what was written before"
        )
    return ArchiveError(text)


@contextmanager
def _as_archive_error(path: Path) -> Iterator[None]:
    try:
        yield
    except (sqlite3.Error, UnicodeDecodeError) as error:  # a damaged file's error text may not even be UTF-8
        raise _classified(error, path) from error


class Archive:
    """An open archive. One connection, shared by threads behind a lock (Textual workers use it too)."""

    def __init__(self, path: Path, conn: sqlite3.Connection) -> None:
        self.path = path
        self._conn = conn
        self._db = sqlite_utils.Database(conn)
        self.lock = threading.RLock()
        # Where relative document paths start: the archive's folder, or the original's for a private copy.
        self.source_root = path.resolve().parent

    @classmethod
    def open(cls, path: str | os.PathLike[str], *, create: bool = True, readonly: bool = False) -> Archive:
        """Open (or create) the archive at `path`, upgrading an older schema after a backup copy."""
        path = Path(path)
        if path.is_dir():
            raise ArchiveError(f"{path}: is a directory, not an archive file")
        exists = path.exists() and path.stat().st_size > 0
        if not exists and (not create or readonly):
            raise ArchiveError(f"{path}: no such archive")
        if exists:
            _check_header(path)
        try:
            conn = _connect(path, readonly)
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA cache_size = -65536")  # 64 MiB: threading and search read the whole index
            conn.create_function("folded_contains", 2, folded_contains, deterministic=True)
            version = conn.execute("PRAGMA user_version").fetchone()[0]
        except (sqlite3.DatabaseError, UnicodeDecodeError) as error:
            damaged = _classified(error, path)
            if isinstance(damaged, ArchiveUnusable):
                raise damaged from None
            raise ArchiveError(f"{path}: not a readable SQLite archive ({error})") from None
        if version < 0:
            conn.close()
            raise ArchiveError(f"{path}: not a foia-tui archive (schema version {version})")
        if version > SCHEMA_VERSION:
            conn.close()
            raise ArchiveError(
                f"{path}: made by a newer foia-tui (schema {version}, this one knows {SCHEMA_VERSION}); "
                "upgrade foia-tui to open it"
            )
        archive = cls(path, conn)
        if version < SCHEMA_VERSION:
            if readonly:
                conn.close()
                raise ArchiveOutdated(f"{path}: schema {version} needs upgrading; open it writable once")
            if version > 0:
                _backup(conn, path.with_name(f"{path.name}.v{version}.bak"))
            archive._migrate(version)
        if not readonly:
            conn.execute("PRAGMA journal_mode = WAL")
            # In WAL mode NORMAL never corrupts the file; a power cut may only lose the last commits.
            conn.execute("PRAGMA synchronous = NORMAL")
            # Copy the log into the file every 40 MiB rather than every 4 MiB: an import writes hundreds of MiB,
            # and each copy also syncs the disk.
            conn.execute(f"PRAGMA wal_autocheckpoint = {WAL_CHECKPOINT_PAGES}")
        return archive

    def _migrate(self, version: int) -> None:
        with self.transaction():
            version = self.schema_version  # another process may have migrated while we waited for the lock
            if version >= SCHEMA_VERSION:
                return
            if version == 0 and self._db.table_names():
                raise ArchiveError(f"{self.path}: an SQLite file, but not a foia-tui archive")
            for migration in MIGRATIONS[version:]:
                migration(self._db)
            self._conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: everything inside lands, or nothing does."""
        with self.lock, _as_archive_error(self.path):
            if self._conn.in_transaction:
                yield self._conn
                return
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    @contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        """The connection under the lock, for the archive's modules that stream rows as tuples."""
        with self.lock, _as_archive_error(self.path):
            yield self._conn

    def _query(self, sql: str, params: tuple | dict = ()) -> list[dict]:
        """Rows of a read, as mappings (for the archive's modules, which turn them into typed rows)."""
        with self._reading() as conn:
            cursor = conn.execute(sql, params)
            names = [d[0] for d in cursor.description or ()]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def _scalar(self, sql: str, params: tuple | dict = ()):
        with self._reading() as conn:
            row = conn.execute(sql, params).fetchone()
        return row[0] if row else None

    def resolve_source(self, stored: str) -> Path:
        """The file a document was imported from: relative paths are read from `source_root`, then the cwd."""
        path = Path(stored)
        if path.is_absolute():
            return path
        for base in (self.source_root, Path.cwd()):
            if (base / path).exists():
                return base / path
        return self.source_root / path

    @property
    def schema_version(self) -> int:
        return self._scalar("PRAGMA user_version")

    def set_busy_timeout(self, milliseconds: int) -> None:
        """How long a read waits for another process's write lock before it fails as locked."""
        with self._reading() as conn:
            conn.execute(f"PRAGMA busy_timeout = {int(milliseconds)}")

    def make_single_file(self) -> None:
        """Fold the write-ahead log into the file and stop using one, so the file alone is the whole archive."""
        with self._reading() as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            conn.execute("PRAGMA journal_mode = DELETE")

    def close(self) -> None:
        with self.lock:  # a worker thread may be mid-query
            self._conn.close()


def _connect(path: Path, readonly: bool) -> sqlite3.Connection:
    if not readonly:
        return sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    uri = f"{path.resolve().as_uri()}?mode=ro"
    if _unchangeable(path):
        uri += "&immutable=1"
    return sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)


def _unchangeable(path: Path) -> bool:
    """Whether the archive sits where nothing can change it (read-only media, or a folder we may not write).

    There SQLite cannot make the -shm file that reading a WAL archive needs, unless told the file is immutable.
    A -wal that holds commits is not ignored that way: the ordinary read-only open reads it, or says why not.
    """
    wal = path.with_name(f"{path.name}-wal")
    return not os.access(path.parent, os.W_OK) and not (wal.exists() and wal.stat().st_size > 0)


def _backup(conn: sqlite3.Connection, target: Path) -> None:
    """A copy of the archive as SQLite reads it: the file and the commits still in its -wal (a copy of the file
    alone would miss those)."""
    with contextlib.closing(sqlite3.connect(target)) as copy:
        conn.backup(copy)


def _check_header(path: Path) -> None:
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as error:
        raise ArchiveError(f"{path}: cannot read ({error.strerror})") from None
    if header != SQLITE_HEADER:
        raise ArchiveError(f"{path}: not an SQLite archive")
