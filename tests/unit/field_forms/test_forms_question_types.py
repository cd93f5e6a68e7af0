"""Each question type: what answers it takes, their normal form, and what it refuses."""
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from field_forms import PIPE_DN_SERIES, QUESTION_TYPES, validate_submission
from field_forms.values import clean_value

SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
POINT = {"type": "Point", "coordinates": [112.20522, 30.98941]}
LINE = {"type": "LineString", "coordinates": [[112.2045, 30.9891], [112.2051, 30.9891], [112.2052, 30.9894]]}
RING = [[112.2051, 30.9893], [112.2063, 30.9893], [112.2063, 30.9902], [112.2051, 30.9893]]
POLYGON = {"type": "Polygon", "coordinates": [RING]}

VALID = [
    ("text", "荆门市掇刀区荆南大道88号", "荆门市掇刀区荆南大道88号"),
    ("integer", 3, 3),
    ("integer", 3.0, 3),
    ("decimal", 35.5, Decimal("35.5")),
    ("decimal", 10, Decimal("10")),
    ("decimal", Decimal("0.10"), Decimal("0.10")),
    ("select_one", "green", "green"),
    ("select_multiple", ["red", "blue"], ["red", "blue"]),
    ("date", "2024-02-29", "2024-02-29"),
    ("datetime", "2024-06-12T10:20:00+08:00", "2024-06-12T10:20:00+08:00"),
    ("datetime", "2024-06-12T02:20:00.125Z", "2024-06-12T02:20:00.125Z"),
    ("geopoint", POINT, POINT),
    ("geopoint", {"type": "Point", "coordinates": [112.2, 30.98, 41.5]}, {"type": "Point", "coordinates": [112.2, 30.98, 41.5]}),
    ("geotrace", LINE, LINE),
    ("geoshape", POLYGON, POLYGON),
    ("photo", SHA, SHA),
    ("sketch", SHA, SHA),
    ("signature", SHA, SHA),
    ("pipe_dn", 40, 40),
    ("pipe_dn", 600, 600),
    ("length", 0, Decimal("0")),
    ("length", 57.3, Decimal("57.3")),
]

INVALID = [
    ("text", 88, "invalid_type"),
    ("integer", "3", "invalid_type"),
    ("integer", True, "invalid_type"),
    ("integer", 2.5, "invalid_value"),
    ("decimal", "35.5", "invalid_type"),
    ("decimal", float("inf"), "invalid_value"),
    ("select_one", "purple", "invalid_choice"),
    ("select_one", ["red"], "invalid_type"),
    ("select_multiple", "red", "invalid_type"),
    ("select_multiple", ["red", "purple"], "invalid_choice"),
    ("select_multiple", ["red", "red"], "invalid_value"),
    ("date", "2024-02-30", "invalid_value"),
    ("date", "2024/06/12", "invalid_value"),
    ("date", "2024-06-12T10:20:00+08:00", "invalid_value"),
    ("datetime", "2024-06-12T10:20:00", "invalid_value"),
    ("datetime", "2024-06-12 10:20:00+08:00", "invalid_value"),
    ("datetime", "2024-06-12T25:20:00+08:00", "invalid_value"),
    ("geopoint", [112.2, 30.98], "invalid_type"),
    ("geopoint", {"type": "Point", "coordinates": [30.98, 112.2]}, "invalid_value"),
    ("geopoint", {"type": "Point", "coordinates": [112.2]}, "invalid_value"),
    ("geopoint", {"type": "Point", "coordinates": [112.2, True]}, "invalid_value"),
    ("geopoint", LINE, "invalid_value"),
    ("geopoint", {**POINT, "properties": {}}, "invalid_type"),
    ("geotrace", {"type": "LineString", "coordinates": [[112.2, 30.9]]}, "invalid_value"),
    ("geoshape", {"type": "Polygon", "coordinates": [RING[:-1] + [[112.2, 30.99]]]}, "invalid_value"),
    ("geoshape", {"type": "Polygon", "coordinates": [RING[:3]]}, "invalid_value"),
    ("geoshape", {"type": "Polygon", "coordinates": []}, "invalid_value"),
    ("photo", SHA.upper(), "invalid_value"),
    ("photo", SHA[:-1], "invalid_value"),
    ("sketch", f"sha256:{SHA}", "invalid_value"),
    ("signature", {"sha256": SHA}, "invalid_value"),
    ("pipe_dn", 22, "invalid_value"),
    ("pipe_dn", "DN25", "invalid_type"),
    ("length", -0.01, "invalid_value"),
]


def test_the_tables_cover_every_answerable_type():
    answerable = QUESTION_TYPES - {"note", "group", "repeat"}
    assert {row[0] for row in VALID} == answerable
    assert {row[0] for row in INVALID} == answerable


@pytest.mark.parametrize("type_, answer, clean", VALID, ids=[f"{row[0]}-{i}" for i, row in enumerate(VALID)])
def test_a_valid_answer_is_kept_in_its_normal_form(make_form, make_question, type_, answer, clean):
    form = make_form(make_question(type_, "answer"))

    cleaned = validate_submission(form, {"answer": answer})["answer"]
    assert cleaned == clean and type(cleaned) is type(clean)


@pytest.mark.parametrize("type_, answer, code", INVALID, ids=[f"{row[0]}-{i}" for i, row in enumerate(INVALID)])
def test_an_invalid_answer_is_refused_with_a_code(make_form, make_question, submission_errors, type_, answer, code):
    form = make_form(make_question(type_, "answer"))

    [error] = submission_errors(form, {"answer": answer})
    assert (error["field"], error["code"]) == ("answer", code)


def test_a_note_is_never_answered(make_form, make_question, submission_errors, codes_at):
    form = make_form(make_question("note", "intro"))

    assert codes_at(submission_errors(form, {"intro": "已阅"})) == {("intro", "not_answerable")}
    assert validate_submission(form, {"intro": None}) == {}


@pytest.mark.parametrize("answers, field", [
    ({"water": ["not", "an", "object"]}, "water"),
    ({"segments": {"pipe_dn": 25}}, "segments"),
    ({"segments": [{"pipe_dn": 25}, "DN25"]}, "segments[1]"),
])
def test_groups_are_objects_and_repeats_lists_of_objects(make_form, make_question, make_group, make_repeat,
                                                         submission_errors, answers, field):
    form = make_form(make_group("water", make_question("pipe_dn", "meter_dn")),
                     make_repeat("segments", make_question("pipe_dn", "pipe_dn")))

    [error] = submission_errors(form, answers)
    assert (error["field"], error["code"]) == (field, "invalid_type")


@pytest.mark.parametrize("blank", [None, "", []])
def test_a_blank_answer_counts_as_unanswered(make_form, make_question, blank):
    form = make_form(make_question("text", "notes"), make_question("select_multiple", "colours"))

    assert validate_submission(form, {"notes": blank, "colours": blank}) == {}


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_a_decimal_is_kept_as_the_decimal_of_its_text(number):
    assert clean_value("decimal", number) == Decimal(str(number))


@given(st.integers(min_value=0, max_value=1000))
def test_only_the_standard_dn_series_is_a_pipe_dn(size):
    try:
        assert clean_value("pipe_dn", size) == size
    except ValueError:
        assert size not in PIPE_DN_SERIES
    else:
        assert size in PIPE_DN_SERIES


@given(st.floats(min_value=-180, max_value=180), st.floats(min_value=-90, max_value=90))
def test_every_longitude_latitude_is_a_geopoint(longitude, latitude):
    point = {"type": "Point", "coordinates": [longitude, latitude]}
    assert clean_value("geopoint", point) == point


def test_the_normal_form_does_not_share_the_tablets_objects(make_form, make_question):
    form = make_form(make_question("geopoint", "position"))
    answers = {"position": {"type": "Point", "coordinates": [112.2, 30.98]}}

    validate_submission(form, answers)["position"]["coordinates"][0] = 0
    assert answers["position"]["coordinates"][0] == 112.2

