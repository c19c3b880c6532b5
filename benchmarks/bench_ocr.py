"""OCR speed on real scans: the importer's scanned pages per second on 2 cores beside `tesseract` alone.

Imports the Chicago parts (scanned Outlook prints, ../shared/corpora/chicago-pd-foia-15-3569) with
importers.pdf.parse at its own settings (render DPI, page reading, re-reads of incomplete header bands, box
labels), no OCR cache; then renders the same pages at the same DPI and times `tesseract --psm 3` alone on
them, two at a time. The ratio is our overhead over the OCR engine. Skips when the corpus is absent.
Run: .venv/bin/python benchmarks/bench_ocr.py [--pages 10]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pypdfium2 as pdfium

import importers.pdf_ocr as pdf_ocr
from importers.pdf import parse

CHICAGO = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "chicago-pd-foia-15-3569"
PARTS = ["FOIA 15-3569 FINAL PART 3.pdf", "FOIA 15-3569 FINAL PART 4.pdf"]
CORES = 2


def _first_pages(source: Path, target: Path, pages: int) -> Path:
    doc, part = pdfium.PdfDocument(str(source)), pdfium.PdfDocument.new()
    part.import_pages(doc, list(range(min(pages, len(doc)))))
    part.save(str(target))
    part.close()
    doc.close()
    return target


def _renders(path: Path) -> list[bytes]:
    doc = pdfium.PdfDocument(str(path))
    try:
        return [pdf_ocr.png_bytes(pdf_ocr.render(doc[k])) for k in range(len(doc))]
    finally:
        doc.close()


def _tesseract_alone(png: bytes) -> None:
    command = ["tesseract", "stdin", "stdout", "--psm", "3", "--dpi", str(pdf_ocr.DPI), "-l", "eng", "tsv"]
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    subprocess.run(command, input=png, capture_output=True, env=env, check=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=0, help="only the first N pages of each part (0: all)")
    args = ap.parse_args()
    if not all((CHICAGO / name).is_file() for name in PARTS) or not shutil.which("tesseract"):
        print(f"skipped: needs tesseract and the Chicago parts under {CHICAGO}")
        return
    if hasattr(os, "sched_setaffinity") and len(os.sched_getaffinity(0)) > CORES:
        os.sched_setaffinity(0, sorted(os.sched_getaffinity(0))[:CORES])
    calls = 0
    tesseract = pdf_ocr._tesseract

    def counted(png: bytes, psm: int, dpi: int, timeout: float) -> str:
        nonlocal calls
        calls += 1
        return tesseract(png, psm, dpi, timeout)

    pdf_ocr._tesseract = counted
    with tempfile.TemporaryDirectory() as tmp:
        files = [CHICAGO / name for name in PARTS]
        if args.pages:
            files = [_first_pages(path, Path(tmp) / path.name, args.pages) for path in files]
        start = time.perf_counter()
        scanned = sum(p.ocr for path in files for p in parse(path).pages)
        ours = time.perf_counter() - start
        renders = [png for path in files for png in _renders(path)]
        start = time.perf_counter()
        with ThreadPoolExecutor(CORES) as pool:
            list(pool.map(_tesseract_alone, renders))
        alone = time.perf_counter() - start
    print(f"{scanned} scanned pages at {pdf_ocr.DPI} dpi on {CORES} cores")
    per_page = calls / scanned
    print(f"importers.pdf.parse : {scanned / ours:5.2f} pages/s ({ours:.1f}s, {per_page:.2f} tesseract calls a page)")
    print(f"tesseract alone     : {len(renders) / alone:5.2f} pages/s ({alone:.1f}s, same renders, {CORES} at a time)")
    print(f"ratio               : {alone / len(renders) / (ours / scanned):.2f} (importer speed / tesseract speed)")


if __name__ == "__main__":
    main()
