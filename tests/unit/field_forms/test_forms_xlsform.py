"""XLSForm import and export: real workbooks written with openpyxl, read with pyxform."""
import pytest

from field_forms import SubmissionInvalid, builtin_forms, parse_definition, validate_submission
from field_forms.xlsform import XLSFormInvalid, read_xlsform
from field_forms.xlsform_export import XLSFormUnsupported, write_xlsform
from tests.unit.field_forms.xlsform_factories import (
    EN,
    RETURN_VISIT_CHOICES,
    RETURN_VISIT_SETTINGS,
    RETURN_VISIT_SURVEY,
    SURVEY_CHOICES,
    SURVEY_SETTINGS,
    SURVEY_SURVEY,
    ZH,
    xlsform,
)

BUILTIN = {raw["form_id"]: raw for raw in builtin_forms()}
VISIT = {"visited_at": "2026-05-01T10:00:00+08:00", "method": "phone", "customer_class": "non_residential",
         "owner_gender": "female", "satisfaction": "satisfied", "visited_by": "王工"}


def read(content, form_id="return_visit", version=1, max_rows=1000):
    return read_xlsform(content, form_id=form_id, version=version, max_rows=max_rows)


def problems(content, **kwargs):
    with pytest.raises(XLSFormInvalid) as caught:
        read(content, **kwargs)
    return [(e["details"]["sheet"], e["details"]["row"], e["details"]["column"], e["code"]) for e in caught.value.errors]


def outcome(definition, answers):
    try:
        return validate_submission(parse_definition(definition), answers)
    except SubmissionInvalid as invalid:
        return sorted((e["field"], e["code"]) for e in invalid.errors)


def test_the_return_visit_written_as_an_xlsform_is_the_built_in_form():
    imported = read(xlsform(RETURN_VISIT_SURVEY, RETURN_VISIT_CHOICES, RETURN_VISIT_SETTINGS))
    assert imported == BUILTIN["return_visit"]


@pytest.mark.parametrize("answers", [
    VISIT,
    {**VISIT, "customer_class": "residential", "owner_gender": None},
    {**VISIT, "customer_class": "residential"},
    {**VISIT, "satisfaction": "dissatisfied"},
    {**VISIT, "satisfaction": "dissatisfied", "dissatisfaction_reason": "施工慢"},
    {**VISIT, "dissatisfaction_reason": "施工慢"},
    {**VISIT, "method": "email", "visited_at": "yesterday"},
    {key: value for key, value in VISIT.items() if key != "visited_by"},
    {**VISIT, "close_feedback": "done"},
], ids=["valid", "residential", "gender of a residential", "no reason", "with reason", "reason when satisfied",
        "bad choice and time", "no visitor", "note answered"])
def test_the_imported_form_validates_answers_as_the_hand_written_one(answers):
    imported = read(xlsform(RETURN_VISIT_SURVEY, RETURN_VISIT_CHOICES, RETURN_VISIT_SETTINGS))
    assert outcome(imported, answers) == outcome(BUILTIN["return_visit"], answers)


def test_groups_repeats_tapline_types_and_calculations_are_converted():
    form = read(xlsform(SURVEY_SURVEY, SURVEY_CHOICES, SURVEY_SETTINGS), form_id="water_survey", version=9)
    assert (form["form_id"], form["version"], form["title"]) == ("water_survey", 2, {"zh": "踏勘", "en": "Survey"})
    utilities, water, photo = form["questions"]
    assert (utilities["type"], utilities["choices"], photo["type"]) == ("select_multiple", "utilities", "photo")
    assert water["relevant"] == {"in": ["water", {"var": "utilities"}]}
    meter, demand, segments, total = water["children"]
    assert (meter["type"], demand["unit"], demand["default"]) == ("pipe_dn", {"zh": "吨/日", "en": "t/d"}, 10)
    assert demand["constraint"] == {">": [{"var": "water.demand"}, 0]}
    assert (segments["type"], segments["min_count"], segments["max_count"]) == ("repeat", 1, 20)
    assert segments["children"][0]["constraint"] == {">=": [{"var": "water.segments.$.pipe_dn"},
                                                             {"var": "water.meter_dn"}]}
    assert segments["children"][1]["type"] == "length"
    assert total["calculate"] == {"reduce": [{"var": "water.segments"},
                                             {"+": [{"var": "accumulator"}, {"var": "current.length_m"}]}, 0]}
    answers = {"utilities": ["water"], "water": {"meter_dn": 40, "segments": [
        {"pipe_dn": 50, "length_m": 57.3}, {"pipe_dn": 32, "length_m": 34.65}], "total_m": 91.0}}
    assert outcome(form, answers) == [("water.segments[1].pipe_dn", "constraint_failed"),
                                      ("water.total_m", "calculation_mismatch")]


def test_every_unsupported_construct_is_listed_with_sheet_row_and_column():
    survey = [
        ["type", "name", ZH, EN, "required", "relevant", "constraint", "calculation", "appearance", "media::image"],
        ["text", "name_of_site", "名称", "Name", "${count} > 1", None, "regex(., '[a-z]+')", None, "multiline"],
        ["calculate", "hidden", None, None, None, None, None, "1 + 1"],
        ["time", "at_time", "时间", "Time"],
        ["integer", "count", "数量", "Count", None, None, None, None, None, "count.png"],
        ["begin repeat", "items", "项目", "Items"],
        ["integer", "size", "大小", "Size"],
        ["end repeat"],
        ["integer", "first_size", "第一个", "First", None, "${size} > 1"],
    ]
    settings = [["form_title", "form_title_en", "form_id", "instance_name"], ["表", "Form", "return_visit", "x"]]
    assert problems(xlsform(survey, settings=settings)) == [
        ("settings", 2, "instance_name", "unsupported_setting"),
        ("survey", 2, "appearance", "unsupported_appearance"),
        ("survey", 2, "required", "unsupported_expression"),
        ("survey", 3, "type", "unsupported_type"),
        ("survey", 4, "type", "unsupported_type"),
        ("survey", 5, "media::image", "unsupported_column"),
        ("survey", 2, "constraint", "unsupported_expression"),
        ("survey", 9, "relevant", "unsupported_expression"),
    ]


def test_a_label_without_both_languages_is_refused_where_it_is():
    survey = [["type", "name", "label", ZH, EN], ["text", "a", "A", None, None], ["text", "b", None, "乙", None]]
    assert problems(xlsform(survey)) == [("survey", 2, "label", "untranslated_label"),
                                         ("survey", 3, "label::(en)", "missing_label")]


def test_what_pyxform_refuses_is_reported_on_its_row():
    survey = [["type", "name", ZH, EN], ["text", "a", "甲", "A"], ["begin group", "g", "组", "G"], ["text", "b", "乙", "B"]]
    [(sheet, row, column, code)] = problems(xlsform(survey))
    assert (sheet, row, code) == ("survey", 3, "xlsform_error")


def test_a_definition_problem_is_placed_back_on_its_row():
    survey = [["type", "name", ZH, EN], ["text", "ok", "甲", "A"], ["text", "Bad-Name", "乙", "B"]]
    assert problems(xlsform(survey)) == [("survey", 3, "name", "schema_violation")]


@pytest.mark.parametrize(("content", "code"), [(b"not a workbook", "unreadable_workbook")])
def test_a_file_that_is_no_workbook_is_refused(content, code):
    assert problems(content) == [("workbook", None, None, code)]


def test_a_workbook_past_the_row_limit_is_refused_naming_the_limit():
    survey = [["type", "name", ZH, EN], *[["text", f"q{i}", "问", "Q"] for i in range(11)]]
    with pytest.raises(XLSFormInvalid) as caught:
        read(xlsform(survey), max_rows=10)
    assert (caught.value.errors[0]["code"], caught.value.errors[0]["details"]["limit"]) == ("too_many_rows", 10)


def test_settings_must_name_this_form_and_a_whole_version():
    settings = [["form_title", "form_title_en", "form_id", "version"], ["表", "Form", "other_form", "2024.1"]]
    assert problems(xlsform(RETURN_VISIT_SURVEY, RETURN_VISIT_CHOICES, settings)) == [
        ("settings", 2, "form_id", "form_id_mismatch"), ("settings", 2, "version", "invalid_version")]


def test_the_version_comes_from_the_caller_when_settings_has_none():
    settings = [["form_title", "form_title_en"], ["客户回访记录", "Customer return visit"]]
    assert read(xlsform(RETURN_VISIT_SURVEY, RETURN_VISIT_CHOICES, settings), version=4)["version"] == 4


@pytest.mark.parametrize("raw", [BUILTIN["return_visit"],
                                 read(xlsform(SURVEY_SURVEY, SURVEY_CHOICES, SURVEY_SETTINGS),
                                      form_id="water_survey")], ids=["return_visit", "water_survey"])
def test_an_exported_form_reads_back_as_itself(raw):
    assert read(write_xlsform(raw), form_id=raw["form_id"], version=raw["version"]) == raw


def test_an_export_lists_what_xlsform_cannot_say():
    with pytest.raises(XLSFormUnsupported) as caught:
        write_xlsform(BUILTIN["joint_survey"])
    fields = {error["field"] for error in caught.value.errors}
    assert "questions[6].children[5].calculate" in fields
    assert all("names 2 questions" in error["message"] for error in caught.value.errors)


@pytest.mark.parametrize("change", [
    {}, {"contact_phone": "123"}, {"contact_phone": "1" * 21}, {"contact_phone": "1234567"},
    {"utilities": ["water"], "gas": None}, {"credit_code": None}, {"credit_code": "123"},
    {"water": {"business_type": "new", "daily_demand_t": -1}},
], ids=["filled", "short phone", "long phone", "phone at the bound", "water only", "no credit code",
        "short credit code", "negative demand"])
def test_the_demand_form_through_xlsform_validates_answers_as_the_built_in_one(filled_demand, change):
    """Its 3-argument "between" is written as two comparisons: another expression, the same answers."""
    through = read(write_xlsform(BUILTIN["demand"]), form_id="demand", version=1)
    answers = {key: value for key, value in {**filled_demand, **change}.items() if value is not None}
    assert outcome(through, answers) == outcome(BUILTIN["demand"], answers)
