"""Search speed: the first page (50 messages with snippets) over a fixed mix of 20 queries on a 100,000-message
archive, p50/p95 in ms, side by side with `notmuch search --limit=50` on the same messages.

    /work/venv/bin/python benchmarks/bench_search.py [--count 100000] [--rounds 5] [--rebuild]

The archive (store_document from benchmarks/search_corpus.py, then threading, tags and releases) and a notmuch
database of the same emails (a maildir, `notmuch new` under a private NOTMUCH_CONFIG) are built once and kept
under benchmarks/out/search-<count>/. Our figure is the library call the app and CLI make
(search_messages: page query, snippets, reasons, message objects); notmuch's is its command, so it includes
notmuch's process start, printed separately.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import search_corpus  # noqa: E402  (benchmarks/ is not a package; the path is set just above)

from foia_tui.archive import Archive  # noqa: E402
from foia_tui.archive.releases import add_release, attach_documents  # noqa: E402
from foia_tui.archive.search import count_matches, search_messages, search_threads  # noqa: E402
from foia_tui.archive.store import message_id_for, store_document  # noqa: E402
from foia_tui.archive.tags import tag_messages  # noqa: E402
from foia_tui.archive.threads import rebuild_conversations  # noqa: E402

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


def timed(run) -> float:
    started = time.perf_counter()
    run()
    return (time.perf_counter() - started) * 1000


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


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

    ours: dict[str, list[float]] = defaultdict(list)
    threads: list[float] = []
    theirs: dict[str, list[float]] = defaultdict(list)
    for query, other in QUERIES:  # warm both caches once
        search_messages(archive, query)
        if other:
            notmuch(other)
    for _ in range(args.rounds):
        for query, other in QUERIES:
            ours[query].append(timed(lambda q=query: search_messages(archive, q, limit=50)))
            threads.append(timed(lambda q=query: search_threads(archive, q, limit=50)))
            if other:
                theirs[query].append(timed(lambda o=other: notmuch(o)))
    startup = [timed(lambda: notmuch("id:nothing@nowhere")) for _ in range(args.rounds * 4)]

    print(f"\n{'query':40} {'matches':>8} {'ours ms':>8} {'notmuch ms':>11}")
    for query, other in QUERIES:
        mine = statistics.median(ours[query])
        other_ms = f"{statistics.median(theirs[query]):11.1f}" if other else f"{'-':>11}"
        print(f"{query:40} {count_matches(archive, query):8,} {mine:8.1f} {other_ms}")
    all_ours = [t for samples in ours.values() for t in samples]
    shared_ours = [t for q, other in QUERIES if other for t in ours[q]]
    shared_theirs = [t for samples in theirs.values() for t in samples]
    base = statistics.median(startup)
    print(f"\nfirst page, 50 messages with snippets, {len(QUERIES)} queries x {args.rounds} rounds:")
    print(
        f"  foia search_messages   p50 {percentile(all_ours, 0.5):6.1f} ms   p95 {percentile(all_ours, 0.95):6.1f} ms"
    )
    print(f"  foia search_threads    p50 {percentile(threads, 0.5):6.1f} ms   p95 {percentile(threads, 0.95):6.1f} ms")
    print(f"queries notmuch can ask too ({len(theirs)}):")
    print(f"  foia search_messages   p50 {percentile(shared_ours, 0.5):6.1f} ms   "
          f"p95 {percentile(shared_ours, 0.95):6.1f} ms")  # fmt: skip
    print(f"  notmuch search         p50 {percentile(shared_theirs, 0.5):6.1f} ms   "
          f"p95 {percentile(shared_theirs, 0.95):6.1f} ms   (its process start alone: {base:.1f} ms)")  # fmt: skip
    for label, fraction in (("p50", 0.5), ("p95", 0.95)):
        mine, other = percentile(shared_ours, fraction), percentile(shared_theirs, fraction)
        print(f"  ratio notmuch/foia at {label}: {other / mine:.2f}x "
              f"(notmuch less its start: {(other - base) / mine:.2f}x)")  # fmt: skip
    archive.close()


if __name__ == "__main__":
    main()
