"""Exports: golden Markdown / JSON / CSV of hostile content, Markdown that cannot be broken, same bytes each time."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from foia_tui.archive import Archive
from foia_tui.archive.messages import list_messages
from foia_tui.archive.tags import Tag, TaggedPassage, last_import_time, tag_excerpt, tag_messages, tag_thread
from foia_tui.domain.citations import CitedBox, OtherCopy
from foia_tui.domain.escaping import csv_cell
from foia_tui.services.export import (
    FIELDS,
    Export,
    build_export,
    format_for,
    to_csv,
    to_json,
    to_markdown,
    to_text,
)
from foia_tui.services.importing import run_import
from tests.support.mailgen import make_message

GOLDEN = Path(__file__).parent / "golden"
HOSTILE_BODY = """# Not a heading
## Nor this
> not a quote
| col | umn |
|-----|-----|
| 1 | 2 |
```python
import os
```
    indented, not code
<script>alert("x")</script> &amp; <b>bold</b> <!-- comment -->
---
===
- not a list
1. nor this
* * *
[link](javascript:alert(1)) ![img](x.png) [ref]: http://evil.example
*emphasis* _under_ ~~strike~~ `code` \\backslash
Mr. █[REDACTED (b)(6)]█ said the budget was cut.
Bidi: \u202egnp.exe\u202c and escape: \x1b[31mred\x1b[0m"""
MARKDOWN = MarkdownIt("commonmark").enable("table").enable("strikethrough")


def passage(**overrides) -> TaggedPassage:
    fields = {
        "tag": "budget",
        "kind": "excerpt",
        "message_id": "c0f64cc2df63dfd8",
        "thread_id": "4f819ba17652",
        "sent": "2019-03-04T10:15:00-05:00",
        "sender": "Jane Doe <jane@agency.example.gov>",
        "recipients": ("Bob Roe <bob@agency.example.gov>", "=cmd|' /C calc'!A0"),
        "subject": "Re: # Budget | <script>",
        "file": "/releases/2019-03/budget release.pdf",
        "page_start": 3,
        "page_end": 4,
        "bates": "AG-000123",
        "start": 12,
        "end": 480,
        "text": HOSTILE_BODY,
        "note": "Key admission.\n---\n# see also p. 7",
        "anchor_status": "ok",
        "tagged_by": "investigator",
        "tagged_at": "2024-05-01T12:00:00+00:00",
        "releases": ("NYPD FOIL 2020-PL-0312 part_1 <round 1>",),
        "also": (
            OtherCopy("NYPD FOIL 2020-PL-0312 part 2", "/r/2/NYPD_part_2.pdf", 7, "NYPD-FOIL-000203"),
            OtherCopy("HSI referral", "/r/hsi/[draft] *copy*.pdf", 4, None),
        ),
        "boxes": (CitedBox("(b)(6)", leaked=True, offset=700), CitedBox("b7c", shown_by=("HSI referral",), offset=900)),
    }
    return TaggedPassage(**(fields | overrides))


def hostile_export() -> Export:
    tags = (
        Tag(1, "budget", "red", "Money moved\n---\n<b>after</b> the hearing", "2024-05-01T12:00:00+00:00"),
        Tag(2, "C# | `code` tag", None, None, "2024-05-01T12:00:00+00:00"),
        Tag(3, "Contents", None, None, "2024-05-01T12:00:00+00:00"),
    )
    passages = (
        passage(),
        passage(
            kind="message",
            message_id="6d27599485471b22",
            sent=None,
            sender='=HYPERLINK("http://evil")',
            recipients=(),
            subject="",
            page_start=None,
            page_end=None,
            bates=None,
            start=None,
            end=None,
            text="+1 555 0100\n-sum\n@mention\n\tTabbed\r\nCR line",
            note=None,
            anchor_status="moved",
            file="mail/b.eml",
            releases=(),
            also=(),
            boxes=(),
        ),
        passage(tag="C# | `code` tag", kind="thread", start=None, end=None, text="", anchor_status="ok", page_end=3),
        passage(tag="Contents", text="budget was cut by 40 percent", anchor_status="lost", note=None),
    )
    return Export(
        title="Brief: <script> & # heading",
        archive="city archive.db",
        made_at="2024-05-02T09:30:00+00:00",
        filters="tags budget; messages matching from:jane",
        tags=tags,
        passages=passages,
        last_import="2024-05-01T08:00:00+00:00",
    )


@pytest.mark.parametrize(("fmt", "render"), [("md", to_markdown), ("json", to_json), ("csv", to_csv), ("txt", to_text)])
def test_golden_export_of_hostile_content(fmt: str, render) -> None:
    """Regenerate with FOIA_UPDATE_GOLDEN=1 after a deliberate format change (and read the diff)."""
    path = GOLDEN / f"hostile_export.{fmt}"
    text = render(hostile_export())
    if os.environ.get("FOIA_UPDATE_GOLDEN"):
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(text.encode())
    assert text == path.read_bytes().decode()


def inline_text(tokens) -> str:
    parts = []
    for token in tokens:
        for child in token.children or ():
            parts.append({"softbreak": "\n", "hardbreak": "\n"}.get(child.type, child.content))
    return "".join(parts)


def structure(markdown: str) -> dict:
    """What a CommonMark + GFM-tables renderer makes of a document: its headings, quotes and any HTML."""
    tokens = MARKDOWN.parse(markdown)
    headings, quotes, depth, current, quoted = [], [], 0, [], []
    for index, token in enumerate(tokens):
        if token.type == "heading_open":
            headings.append((token.tag, inline_text([tokens[index + 1]])))
        if token.type == "blockquote_open":
            depth += 1
            current = []
        elif token.type == "blockquote_close":
            depth -= 1
            quotes.append("\n".join(inline_text([token]) for token in current))
        elif depth and token.type == "inline":
            current.append(token)
            quoted.append(token)
        if depth > 1:
            raise AssertionError("a blockquote inside a blockquote")
    kinds = {t.type for t in tokens} | {c.type for t in tokens for c in t.children or ()}
    inside = {c.type for t in quoted for c in t.children or ()}
    return {"headings": headings, "quotes": quotes, "kinds": kinds, "inside": inside, "html": MARKDOWN.render(markdown)}


def normal(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


def test_markdown_cannot_be_broken_by_its_content() -> None:
    export = hostile_export()
    seen = structure(to_markdown(export))
    assert seen["headings"] == [
        ("h1", "Brief: <script> & # heading"),
        ("h2", "Contents"),
        ("h2", "budget"),
        ("h2", "C# | `code` tag"),
        ("h2", "Contents"),
    ]
    assert not seen["kinds"] & {"html_block", "html_inline", "table_open", "fence", "code_block", "code_inline"}
    assert not seen["inside"] & {"link_open", "image", "em_open", "strong_open", "s_open"}
    assert "ordered_list_open" not in seen["kinds"]
    assert "<script" not in seen["html"] and "<b>" not in seen["html"]
    # Each quote says exactly what the passage says (controls made visible, redaction markers kept).
    assert len(seen["quotes"]) == len(export.passages)
    expected = [
        p.text.replace("\x1b", "␛").replace("\u202e", "<U+202E>").replace("\u202c", "<U+202C>") for p in export.passages
    ]
    expected[2] = "(empty)"
    assert [normal(q) for q in seen["quotes"]] == [normal(e) for e in expected]
    assert "█[REDACTED (b)(6)]█" in seen["quotes"][0]
    assert 'href="#contents-1"' in seen["html"]  # a tag named like a heading of ours gets its own anchor


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from("#>|-=*_`~[]()!<>&\\:+.1 \t\r\naZ\u00a0\u202e\x1b{}^$%'\""), max_size=120))
def test_any_text_stays_inside_its_quote(text: str) -> None:
    export = hostile_export()
    export = Export(
        export.title, export.archive, export.made_at, None, export.tags[:1], (passage(text=text, note=text),)
    )
    seen = structure(to_markdown(export))
    assert [h for _, h in seen["headings"]] == ["Brief: <script> & # heading", "Contents", "budget"]
    assert not seen["kinds"] & {"html_block", "html_inline", "table_open", "fence", "code_block", "code_inline"}
    assert len(seen["quotes"]) == 1
    visible = text.replace("\x1b", "␛").replace("\u202e", "<U+202E>")
    assert normal(seen["quotes"][0]) == (normal(visible) or "(empty)")


def test_csv_neutralises_formulas_and_carries_the_json_fields() -> None:
    export = hostile_export()
    rows = list(csv.DictReader(io.StringIO(to_csv(export), newline="")))
    records = json.loads(to_json(export))["passages"]
    assert tuple(rows[0]) == FIELDS == tuple(records[0])
    assert rows[1]["from"] == '\'=HYPERLINK("http://evil")'
    assert rows[1]["text"].startswith("'+1 555 0100")
    assert rows[0]["to"] == "Bob Roe <bob@agency.example.gov>; =cmd|' /C calc'!A0"  # not at the start: inert
    for value in ("=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"):
        assert csv_cell(value) == "'" + value
    assert csv_cell("1-2") == "1-2" and csv_cell(3) == 3 and csv_cell(None) is None


def test_json_keeps_text_exact_but_escapes_invisible_characters() -> None:
    text = to_json(hostile_export())
    assert "\u202e" not in text and "\\u202e" in text and "\x1b" not in text
    assert json.loads(text)["passages"][0]["text"] == HOSTILE_BODY


def test_format_from_output_name() -> None:
    assert [format_for(p, None) for p in ("x.md", "x.JSON", "x.csv", "x.txt", None)] == [
        "md",
        "json",
        "csv",
        "txt",
        "md",
    ]
    assert format_for("x.csv", "json") == "json"


@pytest.fixture
def tagged_archive(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Archive:
    monkeypatch.setenv("USER", "investigator")
    mail = tmp_path / "mail"
    mail.mkdir()
    bodies = {
        "a.eml": ("Budget", 4, "The budget was cut by 40 percent.\n# Not a heading\n"),
        "b.eml": ("Re: Budget", 2, "Earlier: who approved the cut?\n"),
        "c.eml": ("Lunch", 9, "Lunch?\n"),
    }
    for name, (subject, day, body) in bodies.items():
        msg = make_message(
            message_id=f"{name}@example.gov",
            subject=subject,
            sender=("Jane Doe", "jane@agency.example.gov"),
            to=[("Bob Roe", "bob@agency.example.gov")],
            sent=datetime(2019, 3, day, 10, 0, tzinfo=UTC),
            body=body,
        )
        (mail / name).write_bytes(msg.as_bytes())
    archive = Archive.open(tmp_path / "archive.db")
    run_import(archive, [str(mail)], workers=1)
    ids = {m["subject"]: m["id"] for m in list_messages(archive)}
    tag_messages(archive, "budget", [ids["Budget"], ids["Re: Budget"]], note="two of them")
    tag_excerpt(archive, "quote", ids["Budget"], 4, 32)
    thread = next(m["thread_id"] for m in list_messages(archive) if m["id"] == ids["Lunch"])
    tag_thread(archive, "lunch", thread)
    yield archive
    archive.close()


def test_export_is_dated_by_its_making_and_names_the_last_import(tagged_archive: Archive) -> None:
    """The header's date is the export's time; the archive's last import is a line of its own; a fixed --date
    gives the same bytes every time."""
    before = datetime.now(UTC).replace(microsecond=0)
    export = build_export(tagged_archive)
    assert before <= datetime.fromisoformat(export.made_at) <= datetime.now(UTC)
    assert export.last_import == last_import_time(tagged_archive)
    first = to_markdown(build_export(tagged_archive, made_at="2030-01-01T00:00:00+00:00"))
    assert first == to_markdown(build_export(tagged_archive, made_at="2030-01-01T00:00:00+00:00"))
    assert "Made 2030-01-01T00:00:00+00:00 from archive archive.db." in first
    assert f"Archive last imported: {last_import_time(tagged_archive)}." in first
    export = build_export(tagged_archive)
    assert [(p.tag, p.subject, p.kind) for p in export.passages] == [
        ("budget", "Re: Budget", "message"),  # date order within a tag: March 2 before March 4
        ("budget", "Budget", "message"),
        ("lunch", "Lunch", "thread"),
        ("quote", "Budget", "excerpt"),
    ]
    assert export.passages[-1].text == "budget was cut by 40 percent"
    assert "— 2019-03-04 10:00:00+00:00 · Jane Doe \\<jane@agency.example.gov> → Bob Roe" in first
    assert re.search(r"\*\*Note\*\* \(investigator, [0-9T:+-]+\): two of them", first)


def test_export_limited_by_tag_and_messages(tagged_archive: Archive) -> None:
    ids = {m["subject"]: m["id"] for m in list_messages(tagged_archive)}
    export = build_export(tagged_archive, tags=["budget", "quote"], query="from:jane subject:budget -subject:re")
    assert [t.name for t in export.tags] == ["budget", "quote"]
    assert [(p.tag, p.message_id) for p in export.passages] == [("budget", ids["Budget"]), ("quote", ids["Budget"])]
    assert export.filters == "tags budget, quote; messages matching from:jane subject:budget -subject:re"
    assert build_export(tagged_archive, made_at="2030-01-01").made_at == "2030-01-01"


def test_cli_round_trip() -> None:
    """tests/test_cli_roundtrip.sh: tag -> export through the installed `foia` command."""
    bindir = Path(sys.executable).parent
    if not (bindir / "foia").exists():
        pytest.skip("the foia command is not installed next to this Python")
    env = {**os.environ, "PATH": f"{bindir}{os.pathsep}{os.environ.get('PATH', '')}", "PYTHON": sys.executable}
    script = Path(__file__).with_name("test_cli_roundtrip.sh")
    result = subprocess.run(["bash", str(script)], env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "round trip ok"
