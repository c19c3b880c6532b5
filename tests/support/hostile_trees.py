"""Hostile folders for `foia import`: what the file system itself can hold, beside good emails that must import.

Pipes and sockets, symbolic-link loops, links out of the folder, names that are not UTF-8 or that carry control
characters and escape sequences, an attachment name too long to be a path, an email to 200,000 people. Case `i`
is reproducible from its random.Random; benchmarks/fuzz_importers.py drives them through the real `foia`.
"""

from __future__ import annotations

import os
import random
import socket
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

# What a hostile name may hold: terminal title and screen escapes, fake lines, C1, bidi and zero-width characters.
CONTROLS = ("\x1b]0;PWNED\x07", "\x1b[2J", "\nfoia: all 3 files imported OK", "\r", "\x9b31m", "\u202e", "\u200b", "\t")
RAW = ("\x1b", "\x07", "\x9b", "\r")  # none of these may reach the terminal as themselves
IN_A_HEADER = tuple(c for c in CONTROLS if "\n" not in c and "\r" not in c)  # what a header line can carry


@dataclass(frozen=True)
class Tree:
    """A folder to import: `good` distinct emails in it must be imported whatever else it holds."""

    label: str
    folder: Path
    good: int
    args: tuple[str, ...] = ()


def email_bytes(subject: str, attachment: tuple[str, bytes] | None = None) -> bytes:
    message = EmailMessage()
    message["From"] = "Hoan <hoan@clearview.ai>"
    message["To"] = "di@nypd.example"
    message["Subject"] = subject
    message["Date"] = "Tue, 04 Dec 2018 15:14:00 -0500"
    message.set_content("We continue to receive positive results.")
    if attachment:
        message.add_attachment(attachment[1], maintype="application", subtype="octet-stream", filename=attachment[0])
    return bytes(message)


def many_recipients_email(recipients: int) -> bytes:
    """Written by hand: the standard library's header folding is itself quadratic in a header this long."""
    to = ",\r\n ".join(f"Person {i} <p{i}@example.org>" for i in range(recipients))
    return (
        "From: Records Officer <records@example.gov>\r\n"
        f"To: {to}\r\nSubject: To everyone\r\nDate: Mon, 01 Apr 2019 10:00:00 -0400\r\n"
        "Message-ID: <everyone@example.gov>\r\n\r\nA notice to the whole list.\r\n"
    ).encode("ascii")


def _good(folder: Path, rng: random.Random, count: int) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        (folder / f"good{i}.eml").write_bytes(email_bytes(f"good {i} {rng.random():.6f}"))
    return count


def _pipes(rng: random.Random, folder: Path) -> Tree:
    good = _good(folder, rng, rng.randint(1, 3))
    for i in range(rng.randint(1, 3)):
        if rng.random() < 0.5:
            os.mkfifo(folder / f"pipe{i}.eml")
        else:
            with socket.socket(socket.AF_UNIX) as listener:  # the socket's file stays after it closes
                listener.bind(str(folder / f"socket{i}.eml"))
    return Tree("pipes and sockets", folder, good)


def _loops(rng: random.Random, folder: Path) -> Tree:
    good = _good(folder, rng, 2) + _good(folder / "sub" / "deeper", rng, 1)
    for i in range(rng.randint(1, 4)):
        where = rng.choice([folder, folder / "sub", folder / "sub" / "deeper"])
        (where / f"loop{i}").symlink_to(rng.choice([".", "..", str(folder)]))
    (folder / "dangling.eml").symlink_to(folder / "nowhere.eml")
    args = ("--follow-symlinks",) if rng.random() < 0.5 else ()
    return Tree("symlink loops" + (" followed" if args else ""), folder, good, args)


def _bad_bytes(rng: random.Random, folder: Path) -> Tree:
    root = os.fsencode(folder)
    odd = bytes(rng.randint(0x80, 0xFF) for _ in range(rng.randint(1, 4)))
    for i, name in enumerate((b"/bad" + odd + b".eml", b"/dir" + odd + b"/x.eml")):
        path = Path(os.fsdecode(root + name))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(email_bytes(f"named {odd!r} {i}"))
    return Tree("names not UTF-8", folder, 2 + _good(folder, rng, 1))


def _control_names(rng: random.Random, folder: Path) -> Tree:
    folder = folder.with_name(folder.name + rng.choice(CONTROLS))  # the release's name too
    good = _good(folder, rng, 1)
    for i in range(rng.randint(1, 3)):
        name = f"{i}{''.join(rng.sample(CONTROLS, 2))}.eml"
        content = email_bytes(f"subject {i} {rng.choice(IN_A_HEADER)}") if rng.random() < 0.7 else b"\x00\xff not mail"
        (folder / name).write_bytes(content)
        good += content.startswith(b"From")
    return Tree("control characters in names", folder, good)


def _long_attachment(rng: random.Random, folder: Path) -> Tree:
    good = _good(folder, rng, 1)
    name = "".join(rng.choice(["é", "x", "長", " ", "-"]) for _ in range(rng.randint(200, 3000))) + ".pdf"
    (folder / "memo.eml").write_bytes(email_bytes("the memo", (name, b"%PDF-1.4 not really")))
    return Tree("attachment names over 255 bytes", folder, good + 1)


BUILDERS: tuple[Callable[[random.Random, Path], Tree], ...] = (
    _pipes,
    _loops,
    _bad_bytes,
    _control_names,
    _long_attachment,
)


def hostile_tree(rng: random.Random, folder: Path) -> Tree:
    """One hostile folder under `folder` (which must not exist yet), chosen and filled by `rng`."""
    return rng.choice(BUILDERS)(rng, folder)
