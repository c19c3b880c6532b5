"""Write an N-message maildir of threaded conversations (tests/support/mailgen.py), some replies stripped of
In-Reply-To/References, plus a JSON-lines ground-truth file beside it. Prints where it wrote.

    /work/venv/bin/python benchmarks/gen_maildir.py [--count 20000] [--out /tmp/foia-maildir-20000]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import time
from pathlib import Path

from tests.support import mailgen


def generate(out: Path, count: int, seed: int = 0) -> Path:
    """Write the maildir and `<out>.truth.jsonl`; returns the truth file's path."""
    truths = mailgen.write_maildir(out, mailgen.corpus(count, seed=seed))
    truth_path = out.with_name(out.name + ".truth.jsonl")
    with truth_path.open("w") as handle:
        for truth in truths:
            handle.write(json.dumps({**dataclasses.asdict(truth), "path": str(truth.path)}) + "\n")
    return truth_path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, help="maildir to create (default /tmp/foia-maildir-<count>)")
    args = parser.parse_args()
    out = args.out or Path(f"/tmp/foia-maildir-{args.count}")
    if (out / "cur").exists():
        sys.exit(f"{out} already holds a maildir; remove it or pass --out")
    started = time.perf_counter()
    truth = generate(out, args.count, args.seed)
    print(f"wrote {args.count} messages to maildir {out} in {time.perf_counter() - started:.1f} s")
    print(f"ground truth (one JSON object per message): {truth}")


if __name__ == "__main__":
    main()
