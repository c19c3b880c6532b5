"""How well `foia import` reads real releases: every labelled PDF under ../shared/corpora, scored by hand-made
labels (each corpus's truth.json) with the shared scorer, one row per file.

    python benchmarks/bench_real_releases.py [--corpora DIR] [--json]

Beside the scorer's figures: `boxed_senders`, labels whose printed sender is wholly boxed (the scorer
matches records by printed sender, so it can never match those, and counts our record of each as
matching no label), and the header recall over the labels it can match. Seconds per page include OCR
(set FOIA_OCR_CACHE=off to read every page afresh). The targets are issue 22's.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from tests.support.real_releases import CORPORA, labelled, score_corpus

TARGETS = "headers_recall >= 0.98, from_ok >= 0.98, to_ok >= 0.95, subject_ok >= 0.98, boxes_found 1.0 (none extra)"
KEYS = ["headers_recall", "from_ok", "to_ok", "subject_ok", "boxes_found", "records_matching_no_label"]
KEYS += ["pages_in_no_message"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpora", type=Path, default=CORPORA)
    ap.add_argument("--json", action="store_true", help="one JSON object per file")
    args = ap.parse_args()
    truths = labelled(args.corpora)
    if not truths:
        print(f"skipped: no labelled corpora under {args.corpora}")
        return
    rows = [row for truth in truths for row in score_corpus(truth)]
    if args.json:
        for row in rows:
            print(
                json.dumps({"corpus": row.corpus, "file": row.file, **row.figures, "boxed_senders": row.boxed_senders})
            )
        return
    head = ["file", *KEYS[:1], "recall_of_printed_senders", "boxed_senders", *KEYS[1:], "s_per_page"]
    print("| " + " | ".join(head) + " |")
    print("|---" * len(head) + "|")
    for row in rows:
        cells = [row.file, row.figures["headers_recall"], row.printed_sender_recall, str(row.boxed_senders)]
        cells += [row.figures.get(k, "") for k in KEYS[1:]] + [f"{row.seconds_per_page:.2f}"]
        print("| " + " | ".join(cells) + " |")
    print(f"targets: {TARGETS}, no page in no message")


if __name__ == "__main__":
    main()
