"""XLSForm import and export through HTTP: multipart in, a published version out; nothing stored on an error."""
from io import BytesIO

import pytest

from tests.unit.field_forms.xlsform_factories import (
    EN,
    RETURN_VISIT_CHOICES,
    RETURN_VISIT_SURVEY,
    SURVEY_CHOICES,
    SURVEY_SURVEY,
    ZH,
    xlsform,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
VISIT_V2 = [["form_title", "form_title_en", "form_id"], ["客户回访记录", "Customer return visit", "return_visit"]]


def upload(api, form_id, content, *, as_="admin"):
    return api.post(f"/api/v1/forms/{form_id}/xlsform", as_=as_, content_type="multipart/form-data",
                    data={"file": (BytesIO(content), "form.xlsx")})


def test_an_admin_publishes_the_next_version_from_an_xlsform(api):
    response = upload(api, "return_visit", xlsform(RETURN_VISIT_SURVEY, RETURN_VISIT_CHOICES, VISIT_V2))
    assert response.status_code == 201, response.json
    assert (response.json["form_id"], response.json["version"]) == ("return_visit", 2)
    stored = api.get("/api/v1/forms/return_visit/versions/2", as_="crew").json
    assert stored["questions"] == api.get("/api/v1/forms/return_visit/versions/1", as_="crew").json["questions"]
    answers = {"visited_at": "2026-05-01T10:00:00+08:00", "method": "phone", "customer_class": "residential",
               "satisfaction": "dissatisfied", "visited_by": "王工"}
    checked = api.post("/api/v1/forms/return_visit/versions/2/validate", as_="crew", json={"answers": answers})
    assert (checked.status_code, checked.json["details"]["errors"][0]["field"]) == (422, "dissatisfaction_reason")
    again = upload(api, "return_visit", xlsform(RETURN_VISIT_SURVEY, RETURN_VISIT_CHOICES, VISIT_V2))
    assert (again.status_code, again.json["version"]) == (201, 3)


def test_a_new_form_gets_version_1(api):
    settings = [["form_title", "form_title_en", "form_id"], ["踏勘", "Survey", "water_survey"]]
    response = upload(api, "water_survey", xlsform(SURVEY_SURVEY, SURVEY_CHOICES, settings))
    assert (response.status_code, response.json["version"]) == (201, 1)
    assert "water_survey" in {form["form_id"] for form in api.get("/api/v1/forms", as_="crew").json}


def test_every_problem_is_listed_and_nothing_is_stored(api):
    survey = [["type", "name", ZH, EN, "appearance"], ["text", "a", "甲", "A", "multiline"], ["time", "t", "时", "T"]]
    response = upload(api, "return_visit", xlsform(survey, settings=VISIT_V2))
    assert (response.status_code, response.json["code"]) == (422, "xlsform_invalid")
    assert [(e["field"], e["code"], e["details"]["row"]) for e in response.json["details"]["errors"]] == [
        ("survey[2].appearance", "unsupported_appearance", 2), ("survey[3].type", "unsupported_type", 3)]
    assert api.get("/api/v1/forms/return_visit/versions/2", as_="crew").status_code == 404


def test_a_version_the_settings_name_out_of_turn_is_a_conflict(api):
    settings = [["form_title", "form_title_en", "form_id", "version"], ["表", "Form", "return_visit", "5"]]
    response = upload(api, "return_visit", xlsform(RETURN_VISIT_SURVEY, RETURN_VISIT_CHOICES, settings))
    assert (response.status_code, response.json["code"]) == (409, "form_version_conflict")


@pytest.mark.parametrize("role", ["crew", "engineer", "dispatcher"])
def test_only_an_admin_imports(api, role):
    assert upload(api, "return_visit", xlsform(RETURN_VISIT_SURVEY), as_=role).status_code == 403


def test_the_file_is_required_and_size_limited(api, app):
    assert api.post("/api/v1/forms/return_visit/xlsform", content_type="multipart/form-data",
                    data={}).json["field"] == "files.file"
    app.config["XLSFORM_MAX_BYTES"] = 1000
    try:
        response = upload(api, "return_visit", xlsform(RETURN_VISIT_SURVEY, RETURN_VISIT_CHOICES, VISIT_V2))
    finally:
        app.config["XLSFORM_MAX_BYTES"] = 1024 * 1024
    assert (response.status_code, response.json["code"], response.json["details"]["limit"]) == (
        413, "body_too_large", 1000)


def test_the_row_limit_is_configurable(api, app):
    app.config["XLSFORM_MAX_ROWS"] = 5
    try:
        response = upload(api, "return_visit", xlsform(RETURN_VISIT_SURVEY, RETURN_VISIT_CHOICES, VISIT_V2))
    finally:
        app.config["XLSFORM_MAX_ROWS"] = 2000
    assert response.json["details"]["errors"][0]["code"] == "too_many_rows"


def test_a_version_exported_as_xlsform_imports_back_as_itself(api):
    response = api.get("/api/v1/forms/return_visit/versions/1/xlsform", as_="engineer")
    assert (response.status_code, response.mimetype) == (200, XLSX)
    imported = upload(api, "return_visit", response.data)
    assert imported.status_code == 200, imported.json  # the identical version 1: nothing new is published
    assert imported.json["version"] == 1


def test_a_version_xlsform_cannot_say_is_a_422_naming_each_place(api):
    response = api.get("/api/v1/forms/joint_survey/versions/1/xlsform")
    assert (response.status_code, response.json["code"]) == (422, "xlsform_export_unsupported")
    assert "questions[6].children[5].calculate" in {e["field"] for e in response.json["details"]["errors"]}
