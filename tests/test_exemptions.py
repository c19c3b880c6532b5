"""Exemption codes read against 5 U.S.C. § 552(b) and N.Y. POL § 87(2): citations, and codes that do not exist."""

from __future__ import annotations

import pytest

from foia_tui.domain.exemptions import read_code, read_codes


@pytest.mark.parametrize(
    ("printed", "citation"),
    [
        ("(b)(6)", "5 U.S.C. § 552(b)(6)"),
        ("(b)(7)(C)", "5 U.S.C. § 552(b)(7)(C)"),
        ("b(7)(c)", "5 U.S.C. § 552(b)(7)(C)"),
        ("B5", "5 U.S.C. § 552(b)(5)"),
        ("Ex. 4", "5 U.S.C. § 552(b)(4)"),
        ("(b)(3)(A)", "5 U.S.C. § 552(b)(3)(A)"),
        ("POL 87(2)(b)", "N.Y. Pub. Off. Law § 87(2)(b)"),
        ("Public Officers Law § 87(2)(e)(iv)", "N.Y. Pub. Off. Law § 87(2)(e)(iv)"),
    ],
)
def test_valid_codes_cite_their_statute(printed: str, citation: str) -> None:
    exemption = read_code(printed)
    assert exemption.valid is True and exemption.citation == citation and exemption.problem is None


@pytest.mark.parametrize(
    ("printed", "says"),
    [
        ("(b)(10)", "(1) to (9), not (10)"),
        ("(b)(7)(G)", "(A) to (F), not (G)"),
        ("(b)(6)(C)", "no subparagraphs"),
        ("(b)(3)(C)", "(A) and (B)"),
        ("POL 87(2)(r)", "(a) to (q), not (r)"),
    ],
)
def test_codes_their_statute_lacks_are_flagged(printed: str, says: str) -> None:
    exemption = read_code(printed)
    assert exemption.valid is False and says in (exemption.problem or "")


def test_other_states_are_kept_as_printed_and_unchecked() -> None:
    exemption = read_code("Gov. Code 7927.705")
    assert exemption.valid is None and exemption.citation == "Gov. Code 7927.705"


def test_a_box_with_two_codes_reads_both() -> None:
    assert [e.citation for e in read_codes("(b)(6), (b)(7)(C)")] == ["5 U.S.C. § 552(b)(6)", "5 U.S.C. § 552(b)(7)(C)"]
    assert read_codes(None) == []
