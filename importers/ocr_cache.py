"""Tesseract readings kept between imports, so a `--force` re-import does not OCR unchanged pages again.

Readings are keyed by the hash of the image Tesseract was given plus every setting that changes what it
reads (importers.pdf_ocr.reading_key); the importer only needs `get` and `put`.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Protocol


class OcrCache(Protocol):
    """Where OCR readings (Tesseract TSV) are kept by key."""

    def get(self, key: str) -> str | None: ...

    def put(self, key: str, text: str) -> None: ...


class DirectoryCache:
    """Readings as files under `root` (two-letter fan-out). A reading is written to a temporary file and
    renamed into place, so the threads and forked worker processes of an import never see half of one;
    the cache is a convenience, so a directory that cannot be written is left alone."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / key

    def get(self, key: str) -> str | None:
        try:
            return self._path(key).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None

    def put(self, key: str, text: str) -> None:
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
        except OSError:
            return
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
            os.replace(temp, path)
        except OSError:
            Path(temp).unlink(missing_ok=True)
