"""A production cut into parts by the agency: natural order, the production's name, missing parts."""

from __future__ import annotations

from foia_tui.domain.production import Part, missing_parts, natural_key, part_of, production_names


def test_parts_sort_in_natural_order() -> None:
    names = ["FINAL PART 10", "FINAL PART 9", "release_10", "release_2", "FINAL PART 1"]
    ordered = ["FINAL PART 1", "FINAL PART 9", "FINAL PART 10", "release_2", "release_10"]
    assert sorted(names, key=natural_key) == ordered


def test_part_numbers_are_read_from_the_name_but_not_years_or_words() -> None:
    assert part_of("FOIA 15-3569 FINAL PART 3") == Part("FOIA 15-3569 FINAL", 3)
    assert part_of("Emails (3)") == Part("Emails", 3)
    assert part_of("Production-004") == Part("Production", 4)
    assert part_of("Emails vol. 2") == Part("Emails", 2)
    assert part_of("notes 2019") is None
    assert part_of("Grimaldi-emails") is None


def test_files_that_differ_only_by_part_number_are_one_production() -> None:
    stems = ["FOIA 15-3569 FINAL PART 3", "FOIA 15-3569 FINAL PART 4", "FOIA 15-3569 MR. MARTINEZ", "Letter 2"]
    assert production_names(stems) == {
        "FOIA 15-3569 FINAL PART 3": "FOIA 15-3569 FINAL",
        "FOIA 15-3569 FINAL PART 4": "FOIA 15-3569 FINAL",
    }


def test_a_part_missing_from_the_middle_is_named() -> None:
    stems = ["RELEASE PART 12", "RELEASE PART 10", "RELEASE PART 9"]
    assert missing_parts(stems) == {"RELEASE PART 12": [11]}
