"""The four built-in forms: each publishes, and takes a realistic filled example."""
from decimal import Decimal

import pytest

from field_forms import builtin_forms, parse_definition, validate_submission


def test_the_four_builtin_forms_ship():
    assert [raw["form_id"] for raw in builtin_forms()] == ["acceptance", "demand", "joint_survey", "return_visit"]


@pytest.mark.parametrize("raw", builtin_forms(), ids=lambda raw: raw["form_id"])
def test_each_builtin_form_publishes_as_version_1(raw):
    form = parse_definition(raw)

    assert form.version == 1
    assert form.raw == raw


def test_builtin_forms_are_fresh_copies():
    builtin_forms()[0]["version"] = 99
    assert builtin_forms()[0]["version"] == 1


# demand (Jingmen 附件)

def test_a_filled_demand_form_validates(builtin, filled_demand):
    clean = validate_submission(builtin["demand"], filled_demand)

    assert clean["water"] == {"business_type": "new", "daily_demand_t": Decimal("35.5")}
    assert clean["gas"] == {"pressure_kpa": Decimal("10"), "load_m3h": Decimal("60")}


def test_the_demand_form_asks_every_field_of_the_jingmen_annex(builtin):
    form = builtin["demand"]
    keys = {"applicant_unit", "credit_code", "address", "requested_connection_at", "contact_name", "contact_phone",
            "project_code", "utilities", "water.business_type", "water.daily_demand_t", "gas.pressure_kpa",
            "gas.load_m3h"}

    assert keys <= set(form.evaluation_order)
    assert form.choice_lists["water_business_types"] == ("new", "expansion", "temporary")


def test_a_water_only_demand_has_no_gas_section(builtin, filled_demand, submission_errors, codes_at):
    water_only = {**filled_demand, "utilities": ["water"]}

    assert codes_at(submission_errors(builtin["demand"], water_only)) == {
        ("gas.pressure_kpa", "not_relevant"), ("gas.load_m3h", "not_relevant")}
    del water_only["gas"]
    validate_submission(builtin["demand"], water_only)


def test_a_missing_credit_code_is_accepted_but_a_short_one_is_not(builtin, filled_demand, submission_errors):
    """Wuhu 三(一)1: an applicant without the credit code is accepted, the code supplied later."""
    validate_submission(builtin["demand"], {**filled_demand, "credit_code": None})

    [error] = submission_errors(builtin["demand"], {**filled_demand, "credit_code": "91420800MA4F2K"})
    assert (error["field"], error["code"]) == ("credit_code", "constraint_failed")
    assert error["details"]["constraint_message"]["zh"] == "统一社会信用代码为18位"


# joint survey

def test_a_filled_joint_survey_validates(builtin, filled_joint_survey):
    clean = validate_submission(builtin["joint_survey"], filled_joint_survey)

    assert clean["water"]["total_length_m"] == Decimal(str(57.3 + 34.65))
    assert clean["water"]["segments"][1] == {"pipe_dn": 40, "material": "steel_plastic_composite",
                                             "length_m": Decimal("34.65")}
    assert clean["outer_works"] == {"green_area_m2": Decimal("12.5"), "road_area_m2": Decimal("48")}


def test_the_joint_survey_references_its_photos_sketch_and_signature(builtin, filled_joint_survey, sha):
    refs = builtin["joint_survey"].blob_refs(filled_joint_survey)

    assert refs == {sha("市政接口.jpg"), sha("红线东南角.jpg"), sha("水表井位置.jpg"), sha("现场草图.png"),
                    sha("李卫东签字.png")}


def test_a_gas_survey_fills_the_gas_section_only(builtin, filled_joint_survey, submission_errors, codes_at):
    water = filled_joint_survey.pop("water")
    gas = {"meter_dn": 25, "meter_position": water["meter_position"], "route": water["route"],
           "segments": [{"pipe_dn": 32, "material": "pe", "length_m": 41.2}]}
    survey = {**filled_joint_survey, "utilities": ["gas"], "gas": gas}

    assert validate_submission(builtin["joint_survey"], survey)["gas"]["total_length_m"] == Decimal("41.2")
    assert ("water.meter_dn", "not_relevant") in codes_at(
        submission_errors(builtin["joint_survey"], {**survey, "water": water}))


def test_a_pipe_smaller_than_the_meter_is_refused(builtin, filled_joint_survey, submission_errors, codes_at):
    filled_joint_survey["water"]["segments"][1]["pipe_dn"] = 32

    assert codes_at(submission_errors(builtin["joint_survey"], filled_joint_survey)) == {
        ("water.segments[1].pipe_dn", "constraint_failed")}


def test_a_survey_needs_its_evidence(builtin, filled_joint_survey, submission_errors, codes_at):
    for key in ("photos", "sketch", "applicant_signature", "red_line"):
        del filled_joint_survey[key]

    assert codes_at(submission_errors(builtin["joint_survey"], filled_joint_survey)) == {
        ("photos", "too_few_entries"), ("sketch", "required"), ("applicant_signature", "required"),
        ("red_line", "required")}


# acceptance (Wuhu 二(二)5)

def test_a_filled_acceptance_validates(builtin, filled_acceptance):
    clean = validate_submission(builtin["acceptance"], filled_acceptance)

    assert clean["meter"]["initial_reading_m3"] == Decimal("0.35")


def test_the_acceptance_checklist_is_the_wuhu_document_list(builtin):
    documents = builtin["acceptance"].question("documents")

    assert [(q.name, q.spec["label"]["zh"]) for q in documents.children if q.type == "photo"] == [
        ("appointment_record", "客户预约报装信息"), ("acceptance_notice", "受理通知单"), ("construction_drawing", "施工图"),
        ("material_requisition", "领料单"), ("cost_control_sheet", "控价单"),
        ("municipal_approval_receipt", "市政联合审批回执"), ("start_report", "开工报告"),
        ("customer_acceptance", "客户验收确认单")]


def test_the_municipal_receipt_is_needed_only_with_a_municipal_approval(builtin, filled_acceptance,
                                                                        submission_errors, codes_at):
    documents = filled_acceptance["documents"]
    without_receipt = {**filled_acceptance, "documents": {**documents, "municipal_approval_receipt": None}}
    no_approval = {**filled_acceptance, "documents": {**documents, "municipal_approval": "no"}}

    assert codes_at(submission_errors(builtin["acceptance"], without_receipt)) == {
        ("documents.municipal_approval_receipt", "required")}
    assert codes_at(submission_errors(builtin["acceptance"], no_approval)) == {
        ("documents.municipal_approval_receipt", "not_relevant")}


def test_construction_cannot_start_after_the_water_is_on(builtin, filled_acceptance, submission_errors, codes_at):
    late = {**filled_acceptance, "construction_started_on": "2024-07-04"}

    assert codes_at(submission_errors(builtin["acceptance"], late)) == {("construction_started_on", "constraint_failed")}


# return visit (Xinzheng 三(六), Sanya 四(一)5)

def test_a_filled_return_visit_validates(builtin, filled_return_visit):
    assert validate_submission(builtin["return_visit"], filled_return_visit) == filled_return_visit


def test_dissatisfaction_needs_a_reason(builtin, filled_return_visit, submission_errors, codes_at):
    del filled_return_visit["dissatisfaction_reason"]

    assert codes_at(submission_errors(builtin["return_visit"], filled_return_visit)) == {
        ("dissatisfaction_reason", "required")}


def test_the_owner_gender_is_recorded_for_enterprises_only(builtin, filled_return_visit, submission_errors, codes_at):
    residential = {**filled_return_visit, "customer_class": "residential", "satisfaction": "satisfied",
                   "dissatisfaction_reason": None}

    assert codes_at(submission_errors(builtin["return_visit"], residential)) == {("owner_gender", "not_relevant")}
    del residential["owner_gender"]
    validate_submission(builtin["return_visit"], residential)
