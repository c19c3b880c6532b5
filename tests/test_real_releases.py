"""The measure is real pages: every labelled real release under ../shared/corpora, imported as a user would
and scored by its hand-made labels (tests/support/real_releases.py). These hold the figures reached, so a
change that loses a printed header, a box or a page on real pages fails here, whatever the generator says."""

from __future__ import annotations

import shutil

import pytest

from tests.support.real_releases import CORPORA, Scored, labelled, score_corpus

pytestmark = [
    pytest.mark.skipif(not labelled(), reason=f"no labelled corpora at {CORPORA}"),
    pytest.mark.skipif(shutil.which("tesseract") is None, reason="the labelled releases are scans: tesseract-ocr"),
]


@pytest.fixture(scope="module")
def scored() -> list[Scored]:
    return [row for truth in labelled() for row in score_corpus(truth)]


def test_every_header_with_a_printed_sender_is_a_record(scored: list[Scored]) -> None:
    for row in scored:
        found, wanted = row.found("headers_recall")
        assert found == wanted - row.boxed_senders, f"{row.file}: {row.figures['headers_recall']}"
        assert row.figures["headers_found_with_wrong_date"] == "0", row.file
        # the only records the scorer cannot match are those of headers whose sender is wholly boxed
        assert int(row.figures["records_matching_no_label"]) <= row.boxed_senders, row.file


def test_every_box_is_a_redaction_and_every_page_in_an_email(scored: list[Scored]) -> None:
    for row in scored:
        found, wanted = row.found("boxes_found")
        assert found == wanted and ", 0 extra" in row.figures["boxes_found"], (
            f"{row.file}: {row.figures['boxes_found']}"
        )
        assert row.figures["pages_in_no_message"].startswith("0/"), row.file


def test_fields_read_as_printed(scored: list[Scored]) -> None:
    for row in scored:
        assert row.value("from_ok") >= 0.98, row.file
        assert row.value("subject_ok") >= 0.97, row.file
        # two Chicago labels print "\"Martinez, Maria P.\" <…>": the scorer's fuzzy match fails on the quotes
        assert row.value("to_ok") >= 0.8, row.file
