"""Survey records over HTTP: who writes them when, ETags, geometry checks, versions and the audit trail."""
import uuid

import pytest
from pyproj import Transformer
from sqlalchemy import select

from server.models import Change, Survey
from tests.factories import (
    EVIDENCE,
    PHOTO,
    SIGNATURE,
    make_application,
    make_form,
    make_route,
    make_survey,
    move,
    mutation,
    push,
    put_survey,
    task_in,
    task_path,
    upload,
)


def survey_path(task_id, utility: str = "water") -> str:
    return f"{task_path(task_id)}/surveys/{utility}"


def test_a_crew_writes_its_survey_on_site(api, tenant):
    task_id = task_in(api, "on_site")
    response = put_survey(api, task_id, "water", make_survey())
    assert response.status_code == 200, response.json
    survey = response.json
    assert survey["version"] == 2
    assert survey["updated_by"] == str(tenant.users["crew"].id)
    assert survey["red_line"]["type"] == "MultiPolygon"
    # Stored and shown to 1e-9° (0.1 mm): the float noise of 113.3737 - 0.0023 is not kept.
    assert survey["route"] == {"type": "MultiLineString", "coordinates": [[[113.3737, 31.6905], [113.3714, 31.6905]]]}
    assert survey["meter_position"] == {"type": "Point", "coordinates": [113.3714, 31.6905]}
    assert survey["segments"] == [{"dn": 50, "material": "PE100", "tape_length_m": None}]
    assert (survey["photos"], survey["signature"]) == ([PHOTO], SIGNATURE)
    fetched = api.get(survey_path(task_id), as_="crew")
    assert fetched.json == survey
    assert fetched.headers["ETag"] == response.headers["ETag"]


def test_the_main_is_stored_with_the_survey_and_a_route_off_it_is_warned(api):
    task_id = task_in(api, "on_site")
    body = make_survey()
    stored = put_survey(api, task_id, "water", body).json
    assert stored["main"] == body["main"]
    far_main = make_route((113.3800, 31.6880), (113.3800, 31.6930))
    assert put_survey(api, task_id, "water", make_survey(main=far_main)).status_code == 200
    assert api.get(survey_path(task_id), as_="crew").json["main"] == far_main
    put_survey(api, task_id, "gas", make_survey())
    assert move(api, task_id, "submitted", as_="crew").status_code == 200
    (water,) = [d for d in api.get(f"{task_path(task_id)}/determinations", as_="engineer").json
                if d["utility"] == "water"]
    warnings = [warning["code"] for warning in water["measurement"]["warnings"]]
    assert warnings == ["route_not_on_main"]


def test_only_changed_fields_take_the_new_version(api, db_session):
    task_id = task_in(api, "on_site")
    put_survey(api, task_id, "water", make_survey())
    put_survey(api, task_id, "water", make_survey(notes="表井在围墙内侧"))
    survey = db_session.scalars(select(Survey).where(Survey.task_id == uuid.UUID(task_id), Survey.utility == "water")
                                .execution_options(populate_existing=True)).one()
    assert survey.version == 3
    assert survey.field_versions["notes"] == 3
    assert survey.field_versions["route"] == survey.field_versions["red_line"] == 2
    feed = db_session.scalars(select(Change.version).where(Change.entity_id == survey.id).order_by(Change.seq)).all()
    assert feed == [1, 2, 3]


def test_an_unchanged_survey_is_not_rewritten(api):
    task_id = task_in(api, "on_site")
    first = put_survey(api, task_id, "water", make_survey())
    again = put_survey(api, task_id, "water", make_survey())
    assert again.json["version"] == first.json["version"]
    assert again.headers["ETag"] == first.headers["ETag"]


def test_a_stale_etag_is_412_and_a_missing_one_428(api):
    task_id = task_in(api, "on_site")
    stale = api.get(survey_path(task_id), as_="crew").headers["ETag"]
    assert put_survey(api, task_id, "water", make_survey()).status_code == 200
    response = api.put(survey_path(task_id), as_="crew", json=make_survey(notes="旧版本"), headers={"If-Match": stale})
    assert (response.status_code, response.json["code"]) == (412, "precondition_failed")
    response = api.put(survey_path(task_id), as_="crew", json=make_survey())
    assert (response.status_code, response.json["code"]) == (428, "precondition_required")
    assert api.get(survey_path(task_id), as_="crew").json["notes"] == "管线沿人行道敷设"


BOWTIE = {"type": "Polygon", "coordinates": [[[113.3707, 31.6900], [113.3717, 31.6910], [113.3717, 31.6900],
                                              [113.3707, 31.6910], [113.3707, 31.6900]]]}


@pytest.mark.parametrize("overrides,field,code", [
    ({"red_line": BOWTIE}, "red_line", "self_intersection"),
    ({"route": {"type": "LineString", "coordinates": [[113.3737, 31.6905], [113.3714, "北"]]}},
     "route.coordinates[1]", "invalid_position"),
    ({"route": {"type": "Polygon", "coordinates": []}}, "route.type", "wrong_geometry_type"),
    ({"green_areas": [make_survey()["red_line"], {"type": "Point", "coordinates": [113.37, 31.69]}]},
     "green_areas[1].type", "wrong_geometry_type"),
    ({"meter_position": {"type": "Point", "coordinates": [113.3714, 131.6905]}}, "meter_position.coordinates",
     "invalid_position"),
    ({"main": {"type": "MultiLineString", "coordinates": [[[113.37, 31.69], [113.37, 31.70]]]}}, "main.type",
     "wrong_geometry_type"),
    ({"crs": "EPSG:4547"}, "red_line.coordinates[0][0]", None),  # lon/lat sent as Gauss-Krüger metres
])
def test_bad_geometry_is_a_422_naming_the_path_and_nothing_is_stored(api, overrides, field, code):
    task_id = task_in(api, "on_site")
    before = api.get(survey_path(task_id), as_="crew")
    response = put_survey(api, task_id, "water", make_survey(**overrides))
    assert response.status_code == 422, response.json
    assert response.json["field"].startswith(field)
    assert code is None or response.json["code"] == code
    after = api.get(survey_path(task_id), as_="crew")
    assert after.json == before.json
    assert after.json["route"] is None  # the valid route of the same request was not stored either


@pytest.mark.parametrize("overrides,field", [
    ({"photos": [PHOTO.upper()]}, "photos[0]"),
    ({"sketches": ["abc123"]}, "sketches[0]"),
    ({"signature": PHOTO + "0"}, "signature"),
    ({"meter_dn": 33}, "meter_dn"),
    ({"segments": [{"dn": 700, "material": "steel"}]}, "segments[0].dn"),
    ({"segments": [{"dn": 50, "material": "PE", "tape_length_m": "-1"}]}, "segments[0].tape_length_m"),
    ({"answers": {"meter_dn": 40}}, "form_id"),
    ({"colour": "red"}, "colour"),
])
def test_invalid_survey_fields_are_422(api, overrides, field):
    task_id = task_in(api, "on_site")
    response = put_survey(api, task_id, "water", make_survey(**overrides))
    assert (response.status_code, response.json["field"]) == (422, field)


def test_gauss_kruger_input_is_stored_in_cgcs2000(api):
    task_id = task_in(api, "on_site")
    to_zone = Transformer.from_crs("EPSG:4490", "EPSG:4547", always_xy=True)  # CGCS2000 3° zone, CM 114°E
    route, main = [[113.3737, 31.6905], [113.3714, 31.6905]], [[113.3737, 31.6885], [113.3737, 31.6925]]

    def projected(line):
        return {"type": "LineString", "coordinates": [list(to_zone.transform(*p)) for p in line]}

    body = make_survey(crs="EPSG:4547", red_line=None, meter_position=None, route=projected(route),
                       main=projected(main))
    stored = put_survey(api, task_id, "water", body).json
    assert stored["crs"] == "EPSG:4490"
    for got, sent in zip([*stored["route"]["coordinates"][0], *stored["main"]["coordinates"]], route + main,
                         strict=True):
        assert got == pytest.approx(sent, abs=1e-9)


def test_form_answers_are_checked_against_their_form_version(api):
    assert api.post("/api/v1/forms/meter_check/versions", as_="admin", json=make_form()).status_code == 201
    task_id = task_in(api, "on_site")
    bad = put_survey(api, task_id, "water", make_survey(form_id="meter_check", form_version=1, answers={}))
    assert (bad.status_code, bad.json["code"]) == (422, "submission_invalid")
    good = put_survey(api, task_id, "water", make_survey(form_id="meter_check", form_version=1,
                                                         answers={"meter_dn": 40}))
    assert good.status_code == 200, good.json
    assert good.json["answers"] == {"meter_dn": 40}


@pytest.mark.parametrize("status,role,expected", [
    ("assigned", "crew", 409),
    ("submitted", "crew", 409),
    ("on_site", "engineer", 409),
    ("approved", "engineer", 409),
    ("returned", "crew", 200),
    ("submitted", "engineer", 200),
    ("on_site", "dispatcher", 403),
    ("on_site", "admin", 403),
])
def test_who_writes_a_survey_depends_on_the_task_state(api, status, role, expected):
    task_id = task_in(api, status)
    response = put_survey(api, task_id, "gas", make_survey(notes="改"), as_=role)
    assert response.status_code == expected, response.json
    if expected == 409:
        assert response.json["code"] == "survey_locked"
        assert response.json["details"]["status"] == status


def test_a_survey_of_a_utility_the_task_does_not_cover_is_404(api):
    task_id = make_application(api, utilities=["water"])["task_id"]
    assert api.get(survey_path(task_id, "gas"), as_="dispatcher").status_code == 404
    assert api.get(survey_path(task_id, "electricity"), as_="dispatcher").status_code == 404


def test_a_crew_cannot_write_another_crews_survey(api):
    task_id = task_in(api, "on_site")
    etag = api.get(survey_path(task_id), as_="crew").headers["ETag"]
    response = api.put(survey_path(task_id), as_="crew_b", json=make_survey(), headers={"If-Match": etag})
    assert response.status_code == 404


def test_the_audit_keeps_before_after_and_evidence(api, tenant):
    task_id = task_in(api, "on_site")
    put_survey(api, task_id, "water", make_survey())
    put_survey(api, task_id, "water", make_survey(meter_dn=25, photos=[]))
    entries = api.get(f"{task_path(task_id)}/audit", as_="engineer").json
    last = entries[-1]
    assert (last["entity_type"], last["action"]) == ("survey", "updated")
    assert last["changes"] == {"meter_dn": [40, 25], "photos": [[PHOTO], []]}
    assert last["evidence"] == [SIGNATURE]
    assert (last["actor_id"], last["device_id"]) == (str(tenant.users["crew"].id), str(tenant.devices["crew"].id))
    first_write = next(e for e in entries if e["entity_type"] == "survey" and e["action"] == "updated")
    assert first_write["changes"]["route"][0] is None
    assert first_write["changes"]["route"][1]["type"] == "MultiLineString"


def test_a_survey_naming_a_blob_not_uploaded_is_422_and_stores_nothing(api):
    task_id = task_in(api, "on_site")
    missing = "ab" * 32
    upload(api, EVIDENCE[PHOTO])
    etag = api.get(survey_path(task_id), as_="crew").headers["ETag"]
    response = api.put(survey_path(task_id), as_="crew", json=make_survey(photos=[PHOTO, missing]),
                       headers={"If-Match": etag})
    assert response.status_code == 422
    assert (response.json["code"], response.json["field"]) == ("missing_blob", "photos[1]")
    assert api.get(survey_path(task_id), as_="crew").json["version"] == 1


def test_blobs_named_in_form_answers_must_be_uploaded_and_become_evidence(api):
    form = make_form(type="signature", name="applicant_signature", label={"zh": "申请人签字", "en": "Signature"})
    assert api.post("/api/v1/forms/meter_check/versions", as_="admin", json=form).status_code == 201
    task_id = task_in(api, "on_site")
    unsigned = "cd" * 32
    body = make_survey(form_id="meter_check", form_version=1, photos=[], signature=None,
                       answers={"meter_dn": 40, "applicant_signature": unsigned})
    refused = put_survey(api, task_id, "water", body)
    assert (refused.status_code, refused.json["code"]) == (422, "missing_blob")
    body["answers"]["applicant_signature"] = upload(api, EVIDENCE[SIGNATURE])
    assert put_survey(api, task_id, "water", body).status_code == 200
    last = api.get(f"{task_path(task_id)}/audit", as_="engineer").json[-1]
    assert last["evidence"] == [SIGNATURE]


def test_answers_pushed_alone_are_checked_against_the_surveys_form(api):
    assert api.post("/api/v1/forms/meter_check/versions", as_="admin", json=make_form()).status_code == 201
    task_id = task_in(api, "on_site")
    assert put_survey(api, task_id, "water", make_survey(form_id="meter_check", form_version=1,
                                                         answers={"meter_dn": 40})).status_code == 200
    survey = api.get(survey_path(task_id), as_="crew").json
    (receipt,) = push(api, mutation("survey", survey["id"], base_version=survey["version"], answers={}))
    assert (receipt["result"], receipt["errors"][0]["code"]) == ("rejected", "required")
