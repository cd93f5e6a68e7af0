"""One record shape: pull and REST give the same JSON for a record version, and whatever a device pulled,
pushed back unchanged, is accepted and changes nothing.

The pushable fields are every editable field of a survey and of a comment; the other synced types
(application, survey_task, determination, conflict, constraint_feature) are compared with REST only.
"""
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from server.services.surveys import EDITABLE_FIELDS
from server.services.sync.comment_mutations import EDITABLE as COMMENT_FIELDS
from sync.client.store import item_id
from tests.factories import (
    PHOTO,
    SUIZHOU_SITE,
    make_route,
    make_survey,
    move,
    mutation,
    of_type,
    pull_all,
    push,
    put_survey,
    square_ring,
    task_in,
    task_path,
)

LON, LAT = SUIZHOU_SITE
DRAWN = make_survey(
    green_areas=[{"type": "Polygon", "coordinates": [square_ring(LON + 0.001, LAT, 0.0002)]},
                 {"type": "Polygon", "coordinates": [square_ring(LON - 0.001, LAT, 0.0001)]}],
    sketches=[PHOTO], road_occupation_area_m2="12.5", tree_felling=False, traffic_safety_impact=True,
    outside_length_accuracy_m="3", green_area_accuracy_m2="5",
    segments=[{"dn": 50, "material": "PE100", "tape_length_m": "42.5"}])


def pulled(api, entity_type: str, entity_id, *, as_: str = "crew") -> dict:
    changes, _ = pull_all(api, as_=as_)
    (change,) = [c for c in of_type(changes, entity_type) if item_id(c) == str(entity_id)]
    return change


@pytest.fixture
def drawn_task(api):
    """A task of crew_a on site whose water survey is drawn with every kind of field."""
    task_id = task_in(api, "on_site")
    assert put_survey(api, task_id, "water", DRAWN).status_code == 200
    return task_id


@pytest.fixture
def reviewed_task(api, tenant, drawn_task):
    """The drawn task with a crew note, an engineer's comment, a sync conflict, and submitted (determined)."""
    survey = api.get(f"{task_path(drawn_task)}/surveys/water", as_="crew").json
    (stale,) = push(api, mutation("survey", survey["id"], base_version=1, notes="设备上的备注"))
    assert stale["result"] == "conflict"
    api.post(f"{task_path(drawn_task)}/comments", as_="engineer",
             json={"body": "第1段管长请核实", "utility": "water", "target": {"path": "segments[0]"}})
    assert move(api, drawn_task, "submitted", as_="crew").status_code == 200
    api.post("/api/v1/constraint-layers/import", json={"features": [{
        "type": "Feature", "properties": {"layer": "river", "name": "㵐水"},
        "geometry": make_route((LON - 0.01, LAT - 0.01), (LON + 0.01, LAT + 0.01))}]})
    return drawn_task


def rest_views(api, task_id) -> dict:
    """Every record of the task (and the constraint layers) as REST shows it: {(type, id): json}."""
    task = api.get(task_path(task_id), as_="engineer").json
    listed = api.get("/api/v1/tasks?status=submitted", as_="crew").json
    views = {("survey_task", t["id"]): t for t in listed}
    views[("application", task["application_id"])] = api.get(f"/api/v1/applications/{task['application_id']}",
                                                             as_="engineer").json
    for survey in task["surveys"]:
        views[("survey", survey["id"])] = api.get(f"{task_path(task_id)}/surveys/{survey['utility']}",
                                                  as_="crew").json
    views.update({("comment", c["id"]): c for c in task["comments"]})
    views.update({("determination", d["id"]): d
                  for d in api.get(f"{task_path(task_id)}/determinations", as_="engineer").json})
    views.update({("conflict", c["id"]): c for c in api.get("/api/v1/conflicts", as_="engineer").json})
    views.update({("constraint_feature", f["id"]): f for f in api.get("/api/v1/constraint-layers").json})
    return views


def test_pull_and_rest_show_every_record_alike(api, reviewed_task):
    changes, _ = pull_all(api)
    pulled_records = {(c["type"], item_id(c)): c["data"] for c in changes if c["op"] == "upsert"}
    views = rest_views(api, reviewed_task)
    assert {entity_type for entity_type, _ in views} == {"application", "survey_task", "survey", "comment",
                                                         "determination", "conflict", "constraint_feature"}
    for key, view in views.items():
        assert pulled_records[key] == view, key


def test_green_areas_are_a_list_of_polygons_in_both(api, drawn_task):
    survey = api.get(f"{task_path(drawn_task)}/surveys/water", as_="crew").json
    assert [area["type"] for area in survey["green_areas"]] == ["Polygon", "Polygon"]
    assert pulled(api, "survey", survey["id"])["data"]["green_areas"] == survey["green_areas"]


def assert_no_change(api, cursor: str, receipt: dict, version: int) -> None:
    assert receipt["result"] == "applied", receipt
    assert receipt["version"] == version
    assert pull_all(api, cursor=cursor)[0] == []


@pytest.mark.parametrize("field", EDITABLE_FIELDS)
def test_a_survey_field_pushed_back_as_pulled_changes_nothing(api, drawn_task, field):
    survey_id = api.get(f"{task_path(drawn_task)}/surveys/water", as_="crew").json["id"]
    change = pulled(api, "survey", survey_id)
    _, cursor = pull_all(api)
    (receipt,) = push(api, mutation("survey", survey_id, base_version=change["version"],
                                    **{field: change["data"][field]}))
    assert_no_change(api, cursor, receipt, change["version"])


def test_a_whole_survey_pushed_back_or_put_back_as_pulled_changes_nothing(api, drawn_task):
    survey_id = api.get(f"{task_path(drawn_task)}/surveys/water", as_="crew").json["id"]
    change = pulled(api, "survey", survey_id)
    _, cursor = pull_all(api)
    editable = {name: change["data"][name] for name in ("crs", *EDITABLE_FIELDS)}
    (receipt,) = push(api, mutation("survey", survey_id, base_version=change["version"], **editable))
    assert_no_change(api, cursor, receipt, change["version"])
    put = put_survey(api, drawn_task, "water", editable)
    assert (put.status_code, put.json["version"]) == (200, change["version"])
    assert pull_all(api, cursor=cursor)[0] == []


@pytest.mark.parametrize("target", [{"path": "segments[0]"}, {"vertex": [113.37123456789, 31.69051234567]}, None])
def test_a_comment_pushed_back_as_pulled_changes_nothing(api, drawn_task, target):
    comment = mutation("comment", "5b0f3f0e-7d3c-4c84-9a31-0b1f0e9d2a11", "create", task_id=drawn_task,
                       body="阀门井在人行道下", target=target)
    assert push(api, comment)[0]["result"] == "applied"
    change = pulled(api, "comment", comment["id"])
    _, cursor = pull_all(api)
    edit = {name: change["data"][name] for name in COMMENT_FIELDS}
    (receipt,) = push(api, mutation("comment", comment["id"], base_version=change["version"], **edit))
    assert_no_change(api, cursor, receipt, change["version"])


# Coordinates as a tablet's GNSS or a GCJ-02 conversion gives them: any number of decimals.
LONGITUDES = st.floats(LON - 0.01, LON + 0.01, allow_nan=False)
LATITUDES = st.floats(LAT - 0.01, LAT + 0.01, allow_nan=False)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(points=st.lists(st.tuples(LONGITUDES, LATITUDES), min_size=2, max_size=6, unique=True),
       meter=st.tuples(LONGITUDES, LATITUDES))
def test_any_drawn_geometry_pulled_and_pushed_back_changes_nothing(api, drawn_task, points, meter):
    survey_id = api.get(f"{task_path(drawn_task)}/surveys/water", as_="crew").json["id"]
    base = pulled(api, "survey", survey_id)["version"]
    drawn = {"route": make_route(*points), "meter_position": {"type": "Point", "coordinates": list(meter)}}
    (edited,) = push(api, mutation("survey", survey_id, base_version=base, **drawn))
    assert edited["result"] == "applied", edited
    change = pulled(api, "survey", survey_id)
    _, cursor = pull_all(api)
    back = {name: change["data"][name] for name in drawn}
    (receipt,) = push(api, mutation("survey", survey_id, base_version=change["version"], **back))
    assert_no_change(api, cursor, receipt, change["version"])
