"""PDF importer speed: text-layer pages per second (with redaction detection) against `pdftotext`.

Generates release-like PDFs (tests/support/pdfgen.py), then times importers.pdf.parse on them in one process
and in one process per core, and `pdftotext` on the same files; finally a single 2,000-page release
for time and peak memory. Run: /work/venv/bin/python benchmarks/bench_pdf.py [--files 16 --records 40]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from importers.pdf import parse
from tests.support.pdfgen import random_release, write_release


def _parse_pages(path: Path) -> int:
    doc = parse(path)
    return doc.page_count or 0


def _big(path: Path) -> str:
    """Parse one file in a fresh process and report seconds and peak RSS (MB)."""
    start = time.perf_counter()
    doc = parse(path)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return f"{doc.page_count} pages, {len(doc.messages)} messages in {seconds:.1f}s, peak RSS {peak:.0f} MB"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=16)
    ap.add_argument("--records", type=int, default=40, help="printed records per file")
    ap.add_argument("--big-pages", type=int, default=2000, help="pages of the large release (0 to skip)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        files = []
        boxes = 0
        for n in range(args.files):
            path = folder / f"release{n}.pdf"
            truth = write_release(path, random_release(n, args.records, boxes=0.35, leak=0.05))
            boxes += len(truth.redactions)
            files.append(path)
        pages = 0
        start = time.perf_counter()
        for path in files:
            pages += _parse_pages(path)
        ours = time.perf_counter() - start
        print(f"corpus: {len(files)} files, {pages} text-layer pages, {boxes} boxes")
        print(f"importers.pdf, 1 process : {pages / ours:7.0f} pages/s ({ours:.2f}s)")
        workers = os.cpu_count() or 1
        start = time.perf_counter()
        with ProcessPoolExecutor(workers) as pool:
            total = sum(pool.map(_parse_pages, files))
        both = time.perf_counter() - start
        print(f"importers.pdf, {workers} processes: {total / both:7.0f} pages/s ({both:.2f}s)")
        if shutil.which("pdftotext"):
            start = time.perf_counter()
            for path in files:
                subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True)
            theirs = time.perf_counter() - start
            print(f"pdftotext -layout         : {pages / theirs:7.0f} pages/s ({theirs:.2f}s)")
            print(f"ratio importers.pdf / pdftotext (1 process each): {theirs / ours:.2f}")
        else:
            print("pdftotext not installed: no comparison")
        if args.big_pages:
            big = folder / "big.pdf"
            per_record = pages / (args.files * args.records)
            made = write_release(big, random_release(1000, int(args.big_pages / per_record) + 1, boxes=0.35))
            print(f"large release written: {len(made.pages)} pages")
            with ProcessPoolExecutor(1) as pool:
                print("large release:", pool.submit(_big, big).result())


if __name__ == "__main__":
    main()
