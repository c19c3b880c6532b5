"""Maildir folders: find the message files (cur/ and new/); each file is one message read like an .eml."""

from __future__ import annotations

import os
from pathlib import Path

from importers.mailparts import looks_like_message, parse_message_file
from importers.records import DocumentRecord

SUBFOLDERS = ("cur", "new")


def message_files(directory: Path) -> list[Path]:
    """Message files of one maildir (cur/ then new/, each sorted by name); hidden files skipped."""
    files: list[Path] = []
    for sub in SUBFOLDERS:
        folder = Path(directory) / sub
        if folder.is_dir():
            with os.scandir(folder) as entries:  # a maildir may hold 100,000 files: no stat() for each
                names = sorted(e.name for e in entries if e.is_file() and not e.name.startswith("."))
            files.extend(folder / name for name in names)
    return files


def is_maildir(directory: Path) -> bool:
    """A folder with cur/ or new/ (tmp/ is often dropped when maildirs are copied) holding mail."""
    return maildir_messages(directory) is not None


def maildir_messages(directory: Path) -> list[Path] | None:
    """The message files of `directory` if it is a maildir (see is_maildir), else None: listed once.

    The first message file must open with a header line, so a release folder that merely has a
    "new" subfolder of PDFs is not taken for a maildir.
    """
    directory = Path(directory)
    if not any((directory / sub).is_dir() for sub in SUBFOLDERS):
        return None
    files = message_files(directory)
    if not files:
        return files if (directory / "tmp").is_dir() else None
    try:
        with files[0].open("rb") as handle:
            return files if looks_like_message(handle.read(4096)) else None
    except OSError:
        return None


def parse(path: Path) -> DocumentRecord:
    """Read one maildir message file (kind "maildir")."""
    return parse_message_file(path, "maildir")
