"""Search speed: the first page (50 messages with snippets) over a fixed mix of 20 queries on a 100,000-message
archive, p50/p95 in ms, side by side with `notmuch search --limit=50` on the same messages.

    /work/venv/bin/python benchmarks/bench_search.py [--count 100000] [--rounds 5] [--rebuild]

The archive (store_document from benchmarks/search_corpus.py, then threading, tags and releases) and a notmuch
database of the same emails (a maildir, `notmuch new` under a private NOTMUCH_CONFIG) are built once and kept
under benchmarks/out/search-<count>/ (the first build takes about 10 minutes on 2 cores, most of it threading
and `notmuch new`). Our figure is the library call the app and CLI make (search_messages: page query,
snippets, reasons, message objects); notmuch's is its command, so it includes notmuch's process start,
printed separately. Each is timed by the wall clock and by CPU time (this process; notmuch's child process),
since on a busy machine the wall clock mostly measures waiting for a core.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import search_corpus

from foia_tui.archive import Archive
from foia_tui.archive.releases import add_release, attach_documents
from foia_tui.archive.search import count_matches, search_messages, search_threads
from foia_tui.archive.store import message_id_for, store_document
from foia_tui.archive.tags import tag_messages
from foia_tui.services.rethreading import rebuild_conversations

OUT = Path(__file__).resolve().parent / "out"
NOTMUCH = shutil.which("notmuch") or "/usr/bin/notmuch"
BATCH = 2_000  # documents per transaction while building

# (our query, the same question in notmuch's language or None where notmuch has no such field)
QUERIES: list[tuple[str, str | None]] = [
    ("budget", "budget"),
    ("contract vendor", "contract vendor"),
    ('"facial recognition"', '"facial recognition"'),
    ("clearview", "clearview"),
    ("from:walker", "from:walker"),
    ('to:"Beth Kelly"', 'to:"Beth Kelly"'),
    ("subject:meeting", "subject:meeting"),
    ("date:2019-01..2019-03", "date:2019-01-01..2019-03-31"),
    ("budget date:2020", "budget date:2020-01-01..2020-12-31"),
    ("police OR sheriff", "police OR sheriff"),
    ("contract -invoice", "contract AND NOT invoice"),
    ("(budget OR funding) from:walker", "(budget OR funding) AND from:walker"),
    ("recog*", "recog*"),
    ('"public records" after:2021-06', '"public records" date:2021-07-01..'),
    ("tag:leads", "tag:leads"),
    ("has:redaction", None),
    ("exemption:b6 date:2018", None),
    ("~earvie", None),
    ("has:attachment subject:invoice", None),
    ("doc:release-3 surveillance", None),
]


def build_archive(path: Path, mails: list[search_corpus.Mail]) -> None:
    started = time.perf_counter()
    archive = Archive.open(path)
    documents = list(search_corpus.documents(mails))
    tagged: dict[str, list[str]] = defaultdict(list)
    releases: dict[str, list[str]] = defaultdict(list)
    for start in range(0, len(documents), BATCH):
        with archive.transaction():
            for document, originals in documents[start : start + BATCH]:
                stored = store_document(archive, document)
                releases[document.path.split("/", 1)[0]].append(stored.document_id)
                for ordinal, mail in enumerate(originals):
                    for tag in mail.tags:
                        tagged[tag].append(message_id_for(document.sha256, ordinal))
        print(f"  stored {min(start + BATCH, len(documents)):,}/{len(documents):,} documents", file=sys.stderr)
    stored_at = time.perf_counter()
    counts = rebuild_conversations(archive)
    for tag, ids in tagged.items():
        tag_messages(archive, tag, ids)
    for name, ids in sorted(releases.items()):
        attach_documents(archive, add_release(archive, name, agency=f"Agency {name[-1]}")["id"], ids)
    archive.close()
    print(
        f"archive: {len(mails):,} emails in {len(documents):,} documents, stored in {stored_at - started:.0f} s, "
        f"threaded in {time.perf_counter() - stored_at:.0f} s ({counts})"
    )


def build_notmuch(folder: Path, mails: list[search_corpus.Mail]) -> dict[str, str]:
    started = time.perf_counter()
    maildir = folder / "mail"
    search_corpus.write_maildir(mails, maildir)
    config = folder / "notmuch-config"
    config.write_text(
        f"[database]\npath={maildir}\n[user]\nname=bench\nprimary_email=bench@search.example\n"
        "[new]\ntags=\nignore=\n[search]\nexclude_tags=\n[maildir]\nsynchronize_flags=false\n"
    )
    env = {**os.environ, "NOTMUCH_CONFIG": str(config)}
    written = time.perf_counter()
    subprocess.run([NOTMUCH, "new", "--quiet"], env=env, check=True)
    batch = "".join(f"+{tag.replace(' ', '%20')} -- id:{mail.message_id}\n" for mail in mails for tag in mail.tags)
    subprocess.run([NOTMUCH, "tag", "--batch"], input=batch, text=True, env=env, check=True)
    print(f"notmuch: maildir written in {written - started:.0f} s, indexed in {time.perf_counter() - written:.0f} s")
    return env


def notmuch_env(folder: Path) -> dict[str, str]:
    return {**os.environ, "NOTMUCH_CONFIG": str(folder / "notmuch-config")}


@dataclass
class Timing:
    """Milliseconds of one run: wall clock, and CPU (ours: this process; notmuch: the child it ran)."""

    wall: float
    cpu: float


def timed(run, *, child: bool = False) -> Timing:
    who = resource.RUSAGE_CHILDREN if child else resource.RUSAGE_SELF
    before, started = resource.getrusage(who), time.perf_counter()
    run()
    wall, after = time.perf_counter() - started, resource.getrusage(who)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Timing(wall * 1000, cpu * 1000)


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def medians(runs: list[Timing]) -> str:
    return f"{statistics.median(t.wall for t in runs):6.1f} /{statistics.median(t.cpu for t in runs):5.1f}"


def summary(label: str, runs: list[Timing]) -> str:
    wall, cpu = [r.wall for r in runs], [r.cpu for r in runs]
    return (
        f"  {label:24} wall p50 {percentile(wall, 0.5):6.1f} ms  p95 {percentile(wall, 0.95):6.1f} ms   "
        f"cpu p50 {percentile(cpu, 0.5):6.1f} ms  p95 {percentile(cpu, 0.95):6.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000, help="distinct emails (default 100,000)")
    parser.add_argument("--rounds", type=int, default=5, help="timed runs of each query (default 5)")
    parser.add_argument("--rebuild", action="store_true", help="build the archive and notmuch database again")
    args = parser.parse_args()
    folder = OUT / f"search-{args.count}"
    if args.rebuild and folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "archive.db"
    if not (folder / "built").exists():
        for stale in folder.iterdir():
            shutil.rmtree(stale) if stale.is_dir() else stale.unlink()
        generated = time.perf_counter()
        mails = search_corpus.generate(args.count)
        print(f"generated {len(mails):,} emails in {time.perf_counter() - generated:.0f} s")
        build_archive(path, mails)
        build_notmuch(folder, mails)
        (folder / "built").write_text("ok\n")
    env = notmuch_env(folder)
    archive = Archive.open(path)

    def notmuch(query: str) -> None:
        subprocess.run([NOTMUCH, "search", "--format=json", "--limit=50", query], env=env, check=True,
                       stdout=subprocess.DEVNULL)  # fmt: skip

    ours: dict[str, list[Timing]] = defaultdict(list)
    threads: list[Timing] = []
    theirs: dict[str, list[Timing]] = defaultdict(list)
    for query, other in QUERIES:  # warm both caches once
        search_messages(archive, query)
        if other:
            notmuch(other)
    for _ in range(args.rounds):
        for query, other in QUERIES:
            ours[query].append(timed(lambda q=query: search_messages(archive, q, limit=50)))
            threads.append(timed(lambda q=query: search_threads(archive, q, limit=50)))
            if other:
                theirs[query].append(timed(lambda o=other: notmuch(o), child=True))
    startup = [timed(lambda: notmuch("id:nothing@nowhere"), child=True) for _ in range(args.rounds * 4)]
    report(archive, ours, threads, theirs, startup, args.rounds)
    archive.close()


def report(
    archive: Archive, ours: dict, threads: list[Timing], theirs: dict, startup: list[Timing], rounds: int
) -> None:
    load = os.getloadavg()[0]
    print(f"\nmedian ms per query (wall / cpu); load average during the run {load:.1f} on {os.cpu_count()} cores")
    print(f"{'query':40} {'matches':>8} {'foia':>13} {'notmuch':>13}")
    for query, other in QUERIES:
        theirs_ms = medians(theirs[query]) if other else "-"
        print(f"{query:40} {count_matches(archive, query):8,} {medians(ours[query]):>13} {theirs_ms:>13}")
    shared = [t for query, other in QUERIES if other for t in ours[query]]
    shared_theirs = [t for samples in theirs.values() for t in samples]
    print(f"\nfirst page (50 messages with snippets), {len(QUERIES)} queries x {rounds} rounds:")
    print(summary("foia search_messages", [t for samples in ours.values() for t in samples]))
    print(summary("foia search_threads", threads))
    print(f"the {len(theirs)} queries notmuch can ask too:")
    print(summary("foia search_messages", shared))
    print(summary("notmuch search --limit=50", shared_theirs))
    print(summary("notmuch start alone", startup))
    for label, fraction in (("p50", 0.5), ("p95", 0.95)):
        ratios = [
            percentile([getattr(t, kind) for t in shared_theirs], fraction)
            / percentile([getattr(t, kind) for t in shared], fraction)
            for kind in ("wall", "cpu")
        ]
        print(f"  notmuch/foia at {label}: {ratios[0]:.2f}x wall, {ratios[1]:.2f}x cpu (above 1: foia is faster)")


if __name__ == "__main__":
    main()
