"""One set of emails printed two ways, as agencies do: an Outlook print-out ("O'Hara, Ian", times without a
zone, a subject on every message, replies quoting the chain) and a Gmail "print all" ("Ian O'Hara
<ian.ohara@…>", the thread's subject printed once, replies without "RE:"). Every shared email is paired
as copies of one message, and every box one release drew over text the other prints is an exposure."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

from click.testing import CliRunner

from foia_tui.cli import main
from tests.support.pdfgen import Email, Person, Record, Redaction, Run, write_release

PEOPLE = [
    ("Ian", "O'Hara", "ian.ohara@nypd.gov"),
    ("Hoan", "Ton-That", "hoan@clearview.ai"),
    ("Jessica", "Medeiros", "jmedeiros@clearview.ai"),
    ("Daniel", "Buckley Jr", "daniel.buckley@nypd.gov"),
]
TOPICS = ["Trial accounts for the unit", "Search limits", "Invoice for March", "App feedback", "Training session"]
SECRETS = ["555-0142", "Det. Ruiz", "Sgt. Park", "555-0177", "case 19-4410", "Lt. Okafor", "555-0199", "Det. Alba"]


def _outlook(first: str, last: str, _email: str) -> Person:
    return Person(f"{last}, {first}")


def _gmail(first: str, last: str, email: str) -> Person:
    return Person(f"{first} {last}", email)


def _body(k: int, secret: str | None, boxed: bool) -> list[Run]:
    text = f"Message {k}: the unit ran {10 + k} searches this week and wants to continue the trial."
    if secret is None:
        return [text]
    return [text + " Call ", Redaction("(b)(6)", secret) if boxed else secret, " about the results."]


def _thread(t: int, style) -> list[Email]:
    """Three emails, each answering the one before; boxes only in the Outlook style."""
    boxed = style is _outlook
    start = datetime(2019, 2, 4 + 3 * t, 9, 12)
    emails = []
    for k in range(3):
        sender, to = PEOPLE[(t + k) % 4], PEOPLE[(t + k + 1) % 4]
        n = 3 * t + k
        secret = SECRETS[n] if n < len(SECRETS) else None
        subject = TOPICS[t] if k == 0 else f"RE: {TOPICS[t]}"
        emails.append(
            Email(
                style(*sender),
                [style(*to)],
                subject,
                start + timedelta(hours=5 * k, minutes=7 * k),
                _body(n, secret, boxed),
                date_style="outlook" if boxed else "gmail",
            )
        )
    return emails


def _productions(tmp_path: Path) -> tuple[Path, Path]:
    outlook, gmail = [], []
    for t in range(len(TOPICS)):
        chain = _thread(t, _outlook)
        chain[2].quoted, chain[1].quoted = chain[1], chain[0]
        outlook.append(Record("outlook", [chain[2]], owner=Person("Little, Patricia A.")))
        gmail.append(Record("gmail", _thread(t, _gmail), owner=Person("Records Unit", "records@nypd.gov")))
    a, b = tmp_path / "outlook.pdf", tmp_path / "gmail.pdf"
    write_release(a, outlook)
    write_release(b, gmail)
    return a, b


def test_outlook_and_gmail_prints_of_the_same_emails_pair_and_expose(tmp_path: Path) -> None:
    a, b = _productions(tmp_path)
    db = str(tmp_path / "archive.db")
    runner = CliRunner()
    for path, release in ((a, "NYPD round 1"), (b, "NYPD round 2")):
        done = runner.invoke(main, ["--db", db, "import", str(path), "--release", release])
        assert done.exit_code == 0, done.output
    done = runner.invoke(main, ["--db", db, "compare", "NYPD round 1", "NYPD round 2", "--json"])
    assert done.exit_code == 0, done.output
    result = json.loads(done.output)
    shared = 3 * len(TOPICS)
    assert len(result["both"]) == shared, "every shared email paired"
    assert result["only_a"] == [] and result["only_b"] == []
    exposed = sorted(e["text"] for e in result["exposures"])
    assert exposed == sorted(SECRETS), "every box the Outlook release drew is shown by the Gmail print"
