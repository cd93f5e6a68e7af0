"""A submission as a whole: every problem at once, the error shape, the clean answers, the blobs it uses."""
from decimal import Decimal

import pytest

from field_forms import SubmissionInvalid, validate_submission
from field_forms.evaluation import evaluate


@pytest.fixture
def survey_form(make_form, make_question, make_group, make_repeat):
    return make_form(
        make_question("datetime", "surveyed_at", required=True),
        make_group("water", make_question("pipe_dn", "meter_dn", required=True),
                   make_question("length", "total_m", calculate={"var": "water.route_m"}),
                   make_question("length", "route_m")),
        make_repeat("photos", make_question("photo", "photo", required=True), make_question("text", "caption")),
        make_question("sketch", "sketch"),
        make_question("signature", "signature", constraint={"!!": {"var": "sketch"}}),
    )


def test_every_problem_is_reported_at_once(survey_form, submission_errors, codes_at):
    answers = {
        "surveyed_at": "2024-06-12 10:20",
        "water": {"meter_dn": 22, "route_m": 12, "total_m": 13, "depth_m": 1.2},
        "photos": [{"caption": "接口"}, {"photo": "not-a-hash"}],
        "signature": "1" * 64,
        "remarks": "无",
    }

    assert codes_at(submission_errors(survey_form, answers)) == {
        ("surveyed_at", "invalid_value"),
        ("water.meter_dn", "invalid_value"),
        ("water.depth_m", "unknown_question"),
        ("water.total_m", "calculation_mismatch"),
        ("photos[0].photo", "required"),
        ("photos[1].photo", "invalid_value"),
        ("signature", "constraint_failed"),
        ("remarks", "unknown_question"),
    }


def test_submission_invalid_has_the_api_error_fields(survey_form):
    with pytest.raises(SubmissionInvalid) as raised:
        validate_submission(survey_form, {})

    error = raised.value
    assert (error.code, error.status, error.field) == ("submission_invalid", 422, None)
    assert error.details == {"errors": error.errors}
    assert [set(e) for e in error.errors] == [{"field", "code", "message", "details"}] * len(error.errors)


def test_answers_must_be_an_object(survey_form, submission_errors):
    [error] = submission_errors(survey_form, [])

    assert (error["field"], error["code"]) == (None, "invalid_type")


def test_clean_answers_hold_decimals_recomputations_and_no_blanks(survey_form):
    answers = {"surveyed_at": "2024-06-12T10:20:00+08:00", "water": {"meter_dn": 40.0, "route_m": 91.95},
               "photos": [{"photo": "a" * 64, "caption": ""}], "sketch": None}

    assert validate_submission(survey_form, answers) == {
        "surveyed_at": "2024-06-12T10:20:00+08:00",
        "water": {"meter_dn": 40, "route_m": Decimal("91.95"), "total_m": Decimal("91.95")},
        "photos": [{"photo": "a" * 64}],
    }


def test_the_answers_given_are_left_as_they_were(survey_form):
    answers = {"surveyed_at": "2024-06-12T10:20:00+08:00", "water": {"meter_dn": 40, "route_m": 5}}
    before = repr(answers)

    validate_submission(survey_form, answers)
    assert repr(answers) == before


def test_blob_refs_lists_the_photos_sketches_and_signatures_used(survey_form):
    answers = {"photos": [{"photo": "a" * 64}, {"photo": "b" * 64}, {"photo": "a" * 64}, {"photo": "junk"}],
               "sketch": "c" * 64, "signature": "d" * 64, "water": {"meter_dn": 40}}

    assert survey_form.blob_refs(answers) == {"a" * 64, "b" * 64, "c" * 64, "d" * 64}
    assert survey_form.blob_refs({}) == set()
    assert survey_form.blob_refs({"photos": "none"}) == set()


@pytest.mark.parametrize("expression, expected", [
    ({"%": [-7, 3]}, -1),      # JavaScript: the sign of the dividend
    ({"%": [7.5, -2]}, 1.5),
    ({"/": [6, 3]}, 2),
    ({"+": [0.1, 0.2]}, 0.30000000000000004),
    ({"in": ["gas", ["water", "gas"]]}, True),
    ({"var": "segments.1.pipe_dn"}, 40),
    ({"var": "segments.length"}, 2),
    ({"var": "address.length"}, 10),
])
def test_expressions_evaluate_as_json_logic_js_does(expression, expected):
    data = {"segments": [{"pipe_dn": 50}, {"pipe_dn": 40}], "address": "荆门市掇刀区荆南大道"}
    assert evaluate(expression, data) == expected


@pytest.mark.parametrize("expression", [{"/": [1, 0]}, {"/": [-1, 0]}, {"/": [0, 0]}, {"%": [1, 0]}])
def test_dividing_by_zero_gives_javascripts_non_numbers(expression):
    result = evaluate(expression, {})
    assert result != result or result in (float("inf"), float("-inf"))
