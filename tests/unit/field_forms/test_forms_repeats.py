"""Repeat groups: one entry per pipe segment, counted, each checked on its own, errors named by entry."""
from decimal import Decimal

import pytest

from field_forms import validate_submission


@pytest.fixture
def segments_form(make_form, make_question, make_group, make_repeat):
    return make_form(make_group(
        "water",
        make_question("pipe_dn", "meter_dn", required=True),
        make_repeat(
            "segments",
            make_question("pipe_dn", "pipe_dn", required=True,
                          constraint={">=": [{"var": "water.segments.$.pipe_dn"}, {"var": "water.meter_dn"}]}),
            make_question("length", "length_m", required=True),
            make_question("text", "crossing", relevant={">": [{"var": "water.segments.$.length_m"}, 100]}),
            min_count=1, max_count=3,
        ),
        make_question("integer", "segment_count", calculate={"var": "water.segments.length"}),
    ))


def segment(pipe_dn=50, length_m=20.5, **more):
    return {"pipe_dn": pipe_dn, "length_m": length_m, **more}


def test_entries_are_cleaned_one_by_one(segments_form):
    clean = validate_submission(segments_form, {"water": {"meter_dn": 40, "segments": [segment(), segment(40, 7)]}})

    assert clean["water"]["segments"] == [{"pipe_dn": 50, "length_m": Decimal("20.5")},
                                          {"pipe_dn": 40, "length_m": Decimal("7")}]
    assert clean["water"]["segment_count"] == 2


def test_errors_name_the_entry(segments_form, submission_errors, codes_at):
    answers = {"water": {"meter_dn": 40, "segments": [segment(), {"pipe_dn": 50}, segment(32, 3)]}}

    assert codes_at(submission_errors(segments_form, answers)) == {
        ("water.segments[1].length_m", "required"),
        ("water.segments[2].pipe_dn", "constraint_failed"),
    }


def test_dollar_reads_the_sibling_in_the_same_entry(segments_form, submission_errors, codes_at):
    answers = {"water": {"meter_dn": 40, "segments": [segment(50, 150.0, crossing="穿越荆南大道"), segment(50, 20, crossing="无")]}}

    assert codes_at(submission_errors(segments_form, answers)) == {("water.segments[1].crossing", "not_relevant")}


@pytest.mark.parametrize("count, code", [(0, "too_few_entries"), (4, "too_many_entries")])
def test_the_number_of_entries_is_bounded(segments_form, submission_errors, count, code):
    [error] = submission_errors(segments_form, {"water": {"meter_dn": 40, "segments": [segment()] * count}})

    assert (error["field"], error["code"]) == ("water.segments", code)
    assert error["details"]["count"] == count


def test_an_absent_repeat_has_no_entries(segments_form, submission_errors, codes_at):
    assert codes_at(submission_errors(segments_form, {"water": {"meter_dn": 40}})) == {
        ("water.segments", "too_few_entries")}


def test_unknown_keys_in_an_entry_are_named(segments_form, submission_errors, codes_at):
    answers = {"water": {"meter_dn": 40, "segments": [segment(), segment(material="pe")]}}

    assert codes_at(submission_errors(segments_form, answers)) == {("water.segments[1].material", "unknown_question")}


def test_an_irrelevant_repeat_reports_each_answer_in_it(make_form, make_question, make_repeat, submission_errors, codes_at):
    form = make_form(
        make_question("select_one", "colour"),
        make_repeat("photos", make_question("photo", "photo"), relevant={"==": [{"var": "colour"}, "red"]}, min_count=1),
    )
    photo = "0" * 64

    errors = submission_errors(form, {"colour": "blue", "photos": [{"photo": photo}, {"photo": photo}]})
    assert codes_at(errors) == {("photos[0].photo", "not_relevant"), ("photos[1].photo", "not_relevant")}
    assert validate_submission(form, {"colour": "blue", "photos": []}) == {"colour": "blue", "photos": []}


def test_a_total_over_the_entries_is_recomputed(make_form, make_question, make_repeat, submission_errors):
    form = make_form(
        make_repeat("segments", make_question("length", "length_m")),
        make_question("length", "total_m",
                      calculate={"reduce": [{"var": "segments"}, {"+": [{"var": "accumulator"}, {"var": "current.length_m"}]}, 0]}),
    )

    assert validate_submission(form, {"segments": [{"length_m": 57.3}, {"length_m": 34.7}], "total_m": 92})[
        "total_m"] == Decimal("92")
    [error] = submission_errors(form, {"segments": [{"length_m": 57.3}], "total_m": 92})
    assert error["details"] == {"sent": 92, "computed": 57.3}


def test_the_tablet_sends_the_number_it_computed_not_its_display_rounding(make_form, make_question, make_repeat,
                                                                         submission_errors):
    """57.3 + 34.65 is 91.94999999999999 in IEEE doubles, in JavaScript as in Python: round only for display."""
    form = make_form(
        make_repeat("segments", make_question("length", "length_m")),
        make_question("length", "total_m",
                      calculate={"reduce": [{"var": "segments"}, {"+": [{"var": "accumulator"}, {"var": "current.length_m"}]}, 0]}),
    )
    segments = [{"length_m": 57.3}, {"length_m": 34.65}]

    assert validate_submission(form, {"segments": segments, "total_m": 91.94999999999999})["total_m"] == Decimal(
        "91.94999999999999")
    [error] = submission_errors(form, {"segments": segments, "total_m": 91.95})
    assert error["code"] == "calculation_mismatch"


def test_a_calculation_per_entry(make_form, make_question, make_repeat):
    form = make_form(make_repeat(
        "trenches",
        make_question("decimal", "length_m"), make_question("decimal", "width_m"),
        make_question("decimal", "area_m2", calculate={"*": [{"var": "trenches.$.length_m"}, {"var": "trenches.$.width_m"}]}),
    ))

    clean = validate_submission(form, {"trenches": [{"length_m": 12, "width_m": 0.5}, {"length_m": 3, "width_m": 2}]})
    assert [entry["area_m2"] for entry in clean["trenches"]] == [Decimal("6.0"), Decimal("6")]
