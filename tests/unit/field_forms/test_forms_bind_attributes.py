"""The attributes that bind a question's answer: required, relevant, constraint, calculate, default, read_only,
and the labels and hints every question carries."""
from decimal import Decimal

import pytest

from field_forms import validate_submission

# required

def test_a_required_question_must_be_answered(make_form, make_question, submission_errors):
    form = make_form(make_question("pipe_dn", "meter_dn", required=True, label={"zh": "水表口径", "en": "Meter size"}))

    [error] = submission_errors(form, {})
    assert (error["field"], error["code"]) == ("meter_dn", "required")
    assert error["message"] == "Meter size (meter_dn) is required"


@pytest.mark.parametrize("blank", [None, "", []])
def test_a_blank_answer_does_not_satisfy_required(make_form, make_question, submission_errors, codes_at, blank):
    form = make_form(make_question("select_multiple", "utilities", required=True))

    assert codes_at(submission_errors(form, {"utilities": blank})) == {("utilities", "required")}


def test_an_optional_question_may_be_left_out(make_form, make_question):
    assert validate_submission(make_form(make_question("text", "notes")), {}) == {}


def test_required_questions_in_an_absent_group_are_still_required(make_form, make_group, make_question,
                                                                   submission_errors, codes_at):
    form = make_form(make_group("water", make_question("pipe_dn", "meter_dn", required=True)))

    assert codes_at(submission_errors(form, {})) == {("water.meter_dn", "required")}


# relevant

@pytest.fixture
def utility_form(make_form, make_question, make_group):
    return make_form(
        make_question("select_one", "utility", required=True,
                      choices="utilities", label={"zh": "报装内容", "en": "Utility"}),
        make_group("water", make_question("pipe_dn", "meter_dn", required=True),
                   relevant={"==": [{"var": "utility"}, "water"]}),
        make_question("decimal", "pressure_kpa", required=True, relevant={"==": [{"var": "utility"}, "gas"]}),
        choice_lists={"utilities": [{"name": "water", "label": {"zh": "用水", "en": "Water"}},
                                    {"name": "gas", "label": {"zh": "用气", "en": "Gas"}}]},
    )


def test_a_relevant_question_is_checked(utility_form, submission_errors, codes_at):
    assert codes_at(submission_errors(utility_form, {"utility": "water"})) == {("water.meter_dn", "required")}


def test_an_irrelevant_required_question_need_not_be_answered(utility_form):
    assert validate_submission(utility_form, {"utility": "gas", "pressure_kpa": 10}) == {
        "utility": "gas", "pressure_kpa": Decimal("10")}


def test_an_answer_to_an_irrelevant_question_is_an_error_not_dropped(utility_form, submission_errors):
    [error] = submission_errors(utility_form, {"utility": "water", "water": {"meter_dn": 25}, "pressure_kpa": 10})

    assert (error["field"], error["code"]) == ("pressure_kpa", "not_relevant")
    assert error["details"] == {"answer": 10}


def test_an_irrelevant_group_makes_its_questions_irrelevant(utility_form, submission_errors, codes_at):
    errors = submission_errors(utility_form, {"utility": "gas", "pressure_kpa": 10, "water": {"meter_dn": 25}})

    assert codes_at(errors) == {("water.meter_dn", "not_relevant")}


def test_an_irrelevant_answer_that_is_blank_is_not_an_error(utility_form):
    validate_submission(utility_form, {"utility": "gas", "pressure_kpa": 10, "water": {"meter_dn": None}})


def test_relevance_sees_no_irrelevant_values(make_form, make_question, submission_errors, codes_at):
    """A question hidden by a hidden question behaves as on the tablet, where hidden values are cleared."""
    form = make_form(
        make_question("text", "kind"),
        make_question("text", "detail", relevant={"==": [{"var": "kind"}, "other"]}),
        make_question("text", "detail_photo_note", relevant={"!!": {"var": "detail"}}),
    )

    errors = submission_errors(form, {"kind": "pe", "detail": "说明", "detail_photo_note": "见照片"})
    assert codes_at(errors) == {("detail", "not_relevant"), ("detail_photo_note", "not_relevant")}


# constraint

def test_a_failed_constraint_carries_its_message_in_both_languages(make_form, make_question, submission_errors):
    form = make_form(make_question(
        "decimal", "daily_demand_t", label={"zh": "供水需求", "en": "Water demand"},
        constraint={">": [{"var": "daily_demand_t"}, 0]},
        constraint_message={"zh": "供水需求须大于0", "en": "Water demand must be above 0"},
    ))

    [error] = submission_errors(form, {"daily_demand_t": 0})
    assert (error["field"], error["code"]) == ("daily_demand_t", "constraint_failed")
    assert error["details"]["constraint_message"] == {"zh": "供水需求须大于0", "en": "Water demand must be above 0"}
    assert error["message"] == "Water demand (daily_demand_t): Water demand must be above 0"


def test_a_constraint_is_not_checked_without_an_answer(make_form, make_question):
    form = make_form(make_question("decimal", "daily_demand_t", constraint={">": [{"var": "daily_demand_t"}, 0]}))

    assert validate_submission(form, {"daily_demand_t": 12}) == {"daily_demand_t": Decimal("12")}
    assert validate_submission(form, {}) == {}


def test_a_constraint_can_compare_with_other_answers(make_form, make_question, submission_errors, codes_at):
    form = make_form(
        make_question("date", "started_on", constraint={"<=": [{"var": "started_on"}, {"var": "finished_on"}]}),
        make_question("date", "finished_on"),
    )

    validate_submission(form, {"started_on": "2024-07-02", "finished_on": "2024-07-03"})
    assert codes_at(submission_errors(form, {"started_on": "2024-07-04", "finished_on": "2024-07-03"})) == {
        ("started_on", "constraint_failed")}


# calculate

@pytest.fixture
def area_form(make_form, make_question):
    return make_form(
        make_question("decimal", "width_m"),
        make_question("decimal", "depth_m"),
        make_question("decimal", "area_m2", calculate={"*": [{"var": "width_m"}, {"var": "depth_m"}]}),
    )


def test_a_calculation_the_tablet_left_out_is_filled_in(area_form):
    assert validate_submission(area_form, {"width_m": 2.5, "depth_m": 4})["area_m2"] == Decimal("10.0")


def test_a_calculation_that_matches_is_accepted_whatever_its_spelling(area_form):
    assert validate_submission(area_form, {"width_m": 2.5, "depth_m": 4, "area_m2": 10})["area_m2"] == Decimal("10")


def test_floating_point_results_compare_as_the_tablet_computed_them(area_form):
    """json-logic-js uses the same IEEE doubles: 0.1 × 0.2 is 0.020000000000000004 on both sides."""
    clean = validate_submission(area_form, {"width_m": 0.1, "depth_m": 0.2, "area_m2": 0.020000000000000004})

    assert clean["area_m2"] == Decimal("0.020000000000000004")


def test_a_calculation_that_differs_is_reported_with_both_values(area_form, submission_errors):
    [error] = submission_errors(area_form, {"width_m": 2.5, "depth_m": 4, "area_m2": 12})

    assert (error["field"], error["code"]) == ("area_m2", "calculation_mismatch")
    assert error["details"] == {"sent": 12, "computed": 10.0}


def test_a_value_sent_for_a_calculation_with_no_result_is_a_mismatch(make_form, make_question, submission_errors):
    form = make_form(make_question("decimal", "x"), make_question("decimal", "half", calculate={"/": [{"var": "x"}, 0]}))

    [error] = submission_errors(form, {"x": 1, "half": 0})
    assert error["code"] == "calculation_mismatch"
    assert error["details"] == {"sent": 0, "computed": None}  # Infinity is null in JSON, as the tablet sends it
    assert validate_submission(form, {"x": 1}) == {"x": Decimal("1")}


def test_calculations_chain_in_dependency_order(make_form, make_question):
    form = make_form(
        make_question("integer", "total", calculate={"+": [{"var": "subtotal"}, 1]}),
        make_question("integer", "subtotal", calculate={"*": [{"var": "count"}, 2]}),
        make_question("integer", "count"),
    )

    assert validate_submission(form, {"count": 3}) == {"count": 3, "subtotal": 6, "total": 7}


def test_a_calculation_of_the_wrong_type_fails_loudly(make_form, make_question, submission_errors):
    form = make_form(make_question("integer", "count"),
                     make_question("integer", "half", calculate={"/": [{"var": "count"}, 2]}))

    [error] = submission_errors(form, {"count": 3})
    assert (error["field"], error["code"]) == ("half", "expression_failed")
    assert error["details"] == {"attribute": "calculate"}


def test_a_calculation_can_pick_a_choice(make_form, make_question):
    form = make_form(
        make_question("decimal", "green_area_m2"),
        make_question("select_one", "approval", choices="paths",
                      calculate={"if": [{">": [{"var": "green_area_m2"}, 200]}, "parallel", "notify_commit"]}),
        choice_lists={"paths": [{"name": "parallel", "label": {"zh": "容缺受理+并联审批", "en": "Parallel approval"}},
                                {"name": "notify_commit", "label": {"zh": "告知承诺制", "en": "Notify and commit"}}]},
    )

    assert validate_submission(form, {"green_area_m2": 200.01})["approval"] == "parallel"
    assert validate_submission(form, {"green_area_m2": 200})["approval"] == "notify_commit"


# default

def test_the_server_does_not_apply_defaults(make_form, make_question):
    """A default is what the tablet shows first; a crew may clear it, and the server keeps what was sent."""
    form = make_form(make_question("integer", "meter_count", default=1))

    assert validate_submission(form, {}) == {}
    assert validate_submission(form, {"meter_count": 2}) == {"meter_count": 2}


# read_only

def test_a_read_only_answer_must_keep_its_default(make_form, make_question, submission_errors):
    form = make_form(make_question("decimal", "tariff", read_only=True, default=3.45))

    assert validate_submission(form, {"tariff": 3.450}) == {"tariff": Decimal("3.45")}
    [error] = submission_errors(form, {"tariff": 2})
    assert (error["field"], error["code"]) == ("tariff", "read_only_modified")
    assert error["details"] == {"default": 3.45, "answer": 2}


def test_a_read_only_answer_without_a_default_is_filled_by_the_system(make_form, make_question):
    form = make_form(make_question("text", "service_no", read_only=True))

    assert validate_submission(form, {"service_no": "2021（015）号"}) == {"service_no": "2021（015）号"}


# labels and hints

def test_labels_and_hints_are_kept_for_the_tablet(make_form, make_question):
    form = make_form(make_question("length", "length_m", label={"zh": "长度（卷尺实测）", "en": "Length (tape)"},
                                   hint={"zh": "精确到厘米", "en": "To the centimetre"}))

    spec = form.question("length_m").spec
    assert spec["label"]["zh"] == "长度（卷尺实测）" and spec["hint"]["en"] == "To the centimetre"
    assert form.raw["questions"][0]["hint"] == {"zh": "精确到厘米", "en": "To the centimetre"}


def test_a_hint_needs_both_languages(make_definition, make_question, definition_errors, codes_at):
    raw = make_definition(make_question("text", "notes", hint={"zh": "备注"}))

    assert codes_at(definition_errors(raw)) == {("questions[0].hint.en", "missing_attribute")}
