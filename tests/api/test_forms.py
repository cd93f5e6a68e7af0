"""Form versions through HTTP: publish, immutability, validation against the named version."""
import field_forms
from tests.factories import make_form


def test_builtin_forms_are_listed(api):
    ids = {form["form_id"] for form in api.get("/api/v1/forms", as_="crew").json}
    assert {"demand", "joint_survey", "acceptance", "return_visit"} <= ids


def test_definition_language_schema_is_served(api):
    schema = api.get("/api/v1/forms/schema", as_="crew").json
    assert schema["$schema"].startswith("https://json-schema.org/")


def test_publish_then_old_version_submission_stays_valid(api):
    assert api.post("/api/v1/forms/meter_check/versions", json=make_form(1)).status_code == 201
    assert api.post("/api/v1/forms/meter_check/versions", json=make_form(2)).status_code == 201
    old = api.post("/api/v1/forms/meter_check/versions/1/validate", as_="crew", json={"answers": {"meter_dn": 40}})
    assert old.status_code == 200
    assert old.json["valid"] is True
    new = api.post("/api/v1/forms/meter_check/versions/2/validate", as_="crew", json={"answers": {"meter_dn": 40}})
    assert new.status_code == 422
    assert new.json["code"] == "submission_invalid"
    assert [e["field"] for e in new.json["details"]["errors"]] == ["seal_no"]
    latest = {f["form_id"]: f["version"] for f in api.get("/api/v1/forms").json}
    assert latest["meter_check"] == 2


def test_republishing_the_same_definition_is_idempotent(api):
    api.post("/api/v1/forms/meter_check/versions", json=make_form(1))
    again = api.post("/api/v1/forms/meter_check/versions", json=make_form(1))
    assert again.status_code == 200


def test_a_published_version_never_changes(api):
    api.post("/api/v1/forms/meter_check/versions", json=make_form(1))
    changed = make_form(1, type="text", name="notes", label={"zh": "备注", "en": "Notes"})
    response = api.post("/api/v1/forms/meter_check/versions", json=changed)
    assert response.status_code == 409
    assert response.json["code"] == "form_version_conflict"


def test_cyclic_calculation_is_refused_on_publish(api):
    form = make_form(1)
    form["questions"] += [
        {"type": "decimal", "unit": {"zh": "米", "en": "m"}, "name": "a", "calculate": {"+": [{"var": "b"}, 1]}, "label": {"zh": "甲", "en": "A"}},
        {"type": "decimal", "unit": {"zh": "米", "en": "m"}, "name": "b", "calculate": {"+": [{"var": "a"}, 1]}, "label": {"zh": "乙", "en": "B"}},
    ]
    response = api.post("/api/v1/forms/meter_check/versions", json=form)
    assert response.status_code == 422
    assert response.json["code"] == "form_definition_invalid"
    assert "dependency_cycle" in {e["code"] for e in response.json["details"]["errors"]}


def test_bad_answers_report_every_problem(api):
    api.post("/api/v1/forms/meter_check/versions", json=make_form(1))
    api.post("/api/v1/forms/meter_check/versions", json=make_form(2))
    response = api.post("/api/v1/forms/meter_check/versions/2/validate", json={"answers": {"meter_dn": 33, "x": 1}})
    assert response.status_code == 422
    fields = {e["field"] for e in response.json["details"]["errors"]}
    assert fields == {"meter_dn", "seal_no", "x"}


def test_unknown_version_is_404(api):
    assert api.get("/api/v1/forms/demand/versions/99").status_code == 404


def test_forms_are_tenant_scoped(api, other_tenant):
    api.post("/api/v1/forms/meter_check/versions", json=make_form(1))
    other = api.get("/api/v1/forms/meter_check/versions/1", token=other_tenant.tokens["crew"])
    assert other.status_code == 404


def test_only_admins_publish(api):
    assert api.post("/api/v1/forms/meter_check/versions", as_="engineer", json=make_form(1)).status_code == 403


def test_every_form_read_and_published_is_whole(api):
    """The response schema keeps every part of a definition: title, choice lists, questions."""
    published = api.post("/api/v1/forms/meter_check/versions", json=make_form(1))
    assert published.json == make_form(1)
    for listed in api.get("/api/v1/forms", as_="crew").json:
        assert {"title", "questions"} <= listed.keys()
        one = api.get(f"/api/v1/forms/{listed['form_id']}/versions/{listed['version']}", as_="crew").json
        assert one == listed
    listed = {f["form_id"]: f for f in api.get("/api/v1/forms").json}
    for builtin in field_forms.builtin_forms():
        assert listed[builtin["form_id"]] == builtin
