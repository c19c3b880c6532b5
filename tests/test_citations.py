"""Citations that paste: release, file, pages, Bates and the email's other copies; boxes in a passage said so,
with what leaked and what another release shows; Markdown escaped only where it must be; plain text; `-o` rules."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from foia_tui.archive import Archive
from foia_tui.archive.tags import tag_excerpt
from foia_tui.cli import main
from foia_tui.domain.citations import CitedBox, OtherCopy, also_line, box_note
from foia_tui.domain.escaping import md_line, md_text
from foia_tui.domain.wording import plural

SAMPLE = Path(__file__).resolve().parents[1] / "archive.db.sample"
LEAKED = "75fb1fca54c599b0"  # "RE: Trial results" in NYPD part 1: its case number leaked; part 2 prints it again
EXPOSED = "601500c17a20f9de"  # "FW: Homeland Security contacts": the HSI referral prints what NYPD boxed


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    """A copy of the sample with an excerpt around each of two boxes, tagged "brief" (and nothing else)."""
    path = tmp_path / "archive.db"
    shutil.copyfile(SAMPLE, path)
    archive = Archive.open(path)
    with archive.transaction() as conn:
        conn.execute("DELETE FROM taggings")
    for message_id, words in ((LEAKED, "make arrests, including"), (EXPOSED, "Reach me at")):
        body = archive._scalar("SELECT body FROM messages WHERE id = ?", (message_id,))
        start = body.index(words)
        tag_excerpt(archive, "brief", message_id, start, body.index("]█", start) + 2)
    archive.close()
    return path


def foia(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_citation_names_release_copies_and_boxes(sample: Path) -> None:
    result = foia("export", "--db", str(sample), "--tag", "brief", "--date", "2024-05-01", "-o", "-")
    assert result.exit_code == 0, result.output
    text = result.output
    assert (
        "· NYPD FOIL 2020-PL-0312 part 1 · NYPD-FOIL-2020-PL-0312-part1.pdf · p. 6 · Bates NYPD-FOIL-000006"
        " · chars 87–141 · also NYPD-FOIL-000203\n" in text
    )
    assert (
        "*This excerpt contains a redaction box (POL 87(2)(e)); its text leaked (readable in the file's text layer).*"
        in text
    )
    assert "· Bates NYPD-FOIL-000007 · chars 63–100 · also ICE-2021-FOIA-004417\n" in text
    assert (
        "*This excerpt contains a redaction box (POL 87(2)(b)); HSI referral 2021-ICFO-04417 shows what it hides.*"
        in text
    )
    # Markdown stays Markdown: no entities, no backslash in a file name, a code or a Bates number.
    assert "&lt;" not in text and "&amp;" not in text
    citations = [line for line in text.splitlines() if line.startswith("— ")]
    assert len(citations) == 2 and not any("\\" in line.split(" · ", 3)[3] for line in citations)
    assert "Made 2024-05-01 from archive archive.db." in text
    assert "\nArchive last imported: 20" in text


def test_plain_text_export_for_word_processors(sample: Path, tmp_path: Path) -> None:
    out = tmp_path / "brief.txt"
    result = foia("export", "--db", str(sample), "--tag", "brief", "-o", str(out))  # .txt names the format
    assert result.exit_code == 0, result.output
    assert "Exported 2 passages under 1 tag to" in result.output
    text = out.read_text(encoding="utf-8")
    assert text.startswith("Tagged excerpts\n===============\n\nMade 20")
    assert "brief (2 passages)\n------------------\n" in text
    assert "“have gone on to make arrests, including" not in text  # the excerpt starts where it was tagged
    assert "“make arrests, including\ncase █[REDACTED POL 87(2)(e)]█”" in text
    assert "Jane" not in text and "\\<" not in text and "*This" not in text
    assert (
        "This excerpt contains a redaction box (POL 87(2)(b)); HSI referral 2021-ICFO-04417 shows what it hides."
        in text
    )


def test_export_never_overwrites_without_force(sample: Path, tmp_path: Path) -> None:
    out = tmp_path / "brief.md"
    out.write_text("my own notes\n", encoding="utf-8")
    refused = foia("export", "--db", str(sample), "-o", str(out))
    assert refused.exit_code == 1
    assert refused.output.strip() == f"foia: {out} exists: not replaced (--force replaces it)"
    assert out.read_text(encoding="utf-8") == "my own notes\n"
    forced = foia("export", "--db", str(sample), "-o", str(out), "--force")
    assert forced.exit_code == 0 and out.read_text(encoding="utf-8").startswith("# Tagged excerpts")


def test_dash_is_standard_output(sample: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = foia("export", "--db", str(sample), "-o", "-", "--format", "json", "--date", "2024-05-01")
    assert result.exit_code == 0 and result.output.startswith("{\n")
    assert not (tmp_path / "-").exists()


def test_markdown_escapes_only_what_a_renderer_acts_on() -> None:
    kept = [
        r"C:\Users\jane\release_2019_part_1.pdf",
        "POL 87(2)(b), 5 U.S.C. § 552(b)(6), b7c",
        "NYPD-FOIL-000203",
        "a < b & c > d",
        "snake_case_name",
        "#hashtag and issue #12",
        "+1 555 0100",
        "Room 101.5 and 2.",
    ]
    assert [md_text(line) for line in kept] == kept
    escaped = {
        "# heading": r"\# heading",
        "1. item": r"1\. item",
        "- item": r"\- item",
        "<b>bold</b>": r"\<b>bold\</b>",
        "&amp;": r"\&amp;",
        "*em* _em_": r"\*em\* \_em\_",
        "[x](javascript:1)": r"\[x\](javascript:1)",
        "see [x](y)": r"see [x\](y)",
        "|--|--|": r"\|--\|--\|",
        "Jane <jane@x.gov>": r"Jane \<jane@x.gov>",
        "trailing \\": "trailing \\\\",
    }
    assert {line: md_text(line) for line in escaped} == escaped
    renderer = MarkdownIt("commonmark").enable("table").enable("strikethrough")
    for line in [*kept, *escaped]:
        html = renderer.render(md_line(line))
        assert html.startswith("<p>") and "<a " not in html and "<em>" not in html, (line, html)


def test_wording_helpers() -> None:
    assert [plural(n, "message") for n in (0, 1, 2, 2000)] == [
        "0 messages",
        "1 message",
        "2 messages",
        "2,000 messages",
    ]
    assert plural(1, "file") == "1 file" and plural(3, "redaction box") == "3 redaction boxes"
    assert plural(2, "copy") == "2 copies" and plural(2, "person") == "2 people"
    assert (
        also_line((OtherCopy("HSI", "x.pdf", 4, None), OtherCopy(None, "/a/b.pdf", 2, "B-1"))) == "also HSI p. 4, B-1"
    )
    assert also_line(()) == ""
    boxes = (CitedBox("b6", leaked=True), CitedBox("b6", shown_by=("HSI",)), CitedBox(None))
    assert box_note(boxes, whole=True) == (
        "The message contains 3 redaction boxes (b6, no code); the text under 1 box leaked (readable in the file's"
        " text layer); HSI shows what 1 box hides."
    )
    assert box_note((), whole=False) == ""


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("#>|-=*_`~[]()!<>&\\:+./@;1 aZé\t█"), max_size=60))
def test_one_escaped_line_renders_as_exactly_its_text(text: str) -> None:
    """A citation line, a heading and a link's text say what the document says, and nothing renders as markup."""
    renderer = MarkdownIt("commonmark").enable("table").enable("strikethrough")
    want = " ".join(text.split())
    for markdown, wrapper in (
        (md_line(text), "paragraph_open"),
        (f"## {md_line(text)}", "heading_open"),
        (f"- [{md_line(text, link_text=True)}](#x)", "bullet_list_open"),
    ):
        tokens = renderer.parse(markdown)
        if not want:
            continue
        assert tokens[0].type == wrapper, (text, markdown)
        inline = [t for t in tokens if t.type == "inline"]
        assert len(inline) == 1, (text, markdown)
        children = inline[0].children or []
        kinds = {c.type for c in children}
        allowed = {"text", "softbreak"} | ({"link_open", "link_close"} if wrapper == "bullet_list_open" else set())
        assert kinds <= allowed, (text, markdown, kinds)
        shown = "".join(c.content for c in children if c.type == "text")
        assert " ".join(shown.split()) == want, (text, markdown)
