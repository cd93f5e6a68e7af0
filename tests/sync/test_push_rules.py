"""Push is a door into the same services as REST: every mutation type × every role × every task state decides as
REST decides the same act. The one documented difference: a crew's offline work on a task its crew held is kept
and flagged (REST, whose caller is online, refuses it)."""
import json
import uuid

import pytest

from sync.client.store import item_id
from tests.factories import PATHS, ApiClient, move, mutation, pull_all, push, task_in, task_path

ROLES = ("crew", "crew_b", "engineer", "dispatcher", "admin")
STATES = tuple(PATHS)
FLAGGED_NOT_REFUSED = {"survey_locked", "task_cancelled", "task_reassigned"}


def water_survey(api, task_id) -> dict:
    detail = api.get(task_path(task_id), as_="engineer").json
    return next(s for s in detail["surveys"] if s["utility"] == "water")


def rest_outcome(response) -> str:
    """What REST decided, in push's words."""
    if response.status_code in (200, 201):
        return "accepted"
    return {403: "forbidden", 404: "not_found"}.get(response.status_code, response.json["code"])


def push_outcome(receipt) -> str:
    if receipt["result"] == "rejected":
        return receipt["errors"][0]["code"]
    flags = {flag["code"] for flag in receipt["flags"]}
    return f"kept:{sorted(flags)[0]}" if flags else "accepted"


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("role", ROLES)
def test_a_survey_edit_decides_as_rest_put(api, role, state):
    task_id = task_in(api, state)
    survey = water_survey(api, task_id)
    etag = api.get(f"{task_path(task_id)}/surveys/water", as_="engineer").headers["ETag"]
    rest = api.put(f"{task_path(task_id)}/surveys/water", as_=role, headers={"If-Match": etag},
                   json={**{k: survey[k] for k in ("red_line", "route", "green_areas", "meter_position",
                                                   "meter_dn", "segments")}, "notes": "REST"})
    survey = water_survey(api, task_id)
    (receipt,) = push(api, mutation("survey", survey["id"], base_version=survey["version"], notes="推送"), as_=role)
    expected = rest_outcome(rest)
    if expected == "survey_locked" and role == "crew":
        expected = "kept:task_cancelled" if state == "cancelled" else "kept:survey_locked"
    assert push_outcome(receipt) == expected
    if receipt["result"] == "rejected":
        assert water_survey(api, task_id)["version"] == survey["version"], "a rejected edit stored something"


@pytest.mark.parametrize("role", ROLES)
def test_a_comment_decides_as_rest_post(api, role):
    task_id = task_in(api, "submitted")
    rest = api.post(f"{task_path(task_id)}/comments", as_=role, json={"body": "REST"})
    (receipt,) = push(api, mutation("comment", _new_id(), "create", task_id=task_id, body="推送"), as_=role)
    assert push_outcome(receipt) == rest_outcome(rest)


@pytest.mark.parametrize(("role", "state", "to"), [
    ("crew", "on_site", "submitted"), ("crew_b", "on_site", "submitted"), ("engineer", "on_site", "submitted"),
    ("engineer", "submitted", "returned"), ("crew", "submitted", "returned"), ("dispatcher", "on_site", "cancelled"),
    ("crew", "approved", "on_site"), ("admin", "new", "cancelled"),
])
def test_a_transition_decides_as_rest(api, role, state, to):
    pushed, posted = task_in(api, state), task_in(api, state)
    body = {"reason": "理由"} if to in ("returned", "cancelled") else {}
    task = api.get(task_path(pushed), as_="engineer").json
    (receipt,) = push(api, mutation("survey_task", pushed, "transition", base_version=task["version"], to=to,
                                    **body), as_=role)
    rest = move(api, posted, to, as_=role, **body)
    assert push_outcome(receipt) == rest_outcome(rest)
    after = api.get(task_path(pushed), as_="engineer").json
    assert after["status"] == api.get(task_path(posted), as_="engineer").json["status"]
    assert after["flagged"] == [], "a transition never flags"


def test_another_tenants_survey_does_not_exist(api, app, other_tenant):
    other_api = ApiClient(app.test_client(), other_tenant)
    task_id = task_in(other_api, "on_site")
    survey = water_survey(other_api, task_id)
    (receipt,) = push(api, mutation("survey", survey["id"], base_version=survey["version"], notes="越界"))
    assert push_outcome(receipt) == "not_found"
    assert water_survey(other_api, task_id)["version"] == survey["version"]


def test_work_on_a_task_the_crew_held_is_kept_but_never_on_one_it_never_held(api):
    task_id = task_in(api, "on_site")
    survey = water_survey(api, task_id)
    never = push(api, mutation("survey", survey["id"], base_version=survey["version"], notes="别组"), as_="crew_b")
    assert push_outcome(never[0]) == "not_found"
    assert api.get(task_path(task_id), as_="engineer").json["flagged"] == []
    crew_b = str(api.world.crews["crew_b"].id)
    assert move(api, task_id, "assigned", as_="dispatcher", crew_id=crew_b).status_code == 200
    (late,) = push(api, mutation("survey", survey["id"], base_version=survey["version"], notes="离线记录"))
    assert push_outcome(late) == "kept:task_reassigned"
    assert water_survey(api, task_id)["notes"] == "离线记录"
    assert api.get(task_path(task_id), as_="crew").status_code == 404, "REST still hides the task from crew_a"


def test_an_approved_decision_never_changes_silently(api):
    task_id = task_in(api, "approved")
    survey = water_survey(api, task_id)
    before = _in_force(api, task_id)
    far = {**survey["route"], "coordinates": _east(survey["route"]["coordinates"], 0.004)}
    (receipt,) = push(api, mutation("survey", survey["id"], base_version=survey["version"], route=far))
    assert push_outcome(receipt) == "kept:survey_locked"
    assert _in_force(api, task_id) == before, "the approved decision stays in force"
    task = api.get(task_path(task_id), as_="dispatcher").json
    assert "decision_pending" in {flag["code"] for flag in task["flagged"]}
    history = api.get(f"{task_path(task_id)}/determinations", as_="engineer").json
    (pending,) = [d for d in history if d["state"] == "pending"]
    assert pending["decision"]["free_installation"] != before["free_installation"]
    accepted = api.post(f"{task_path(task_id)}/determinations/{pending['id']}/accept", as_="engineer")
    assert accepted.status_code == 200
    assert _in_force(api, task_id)["free_installation"] == pending["decision"]["free_installation"]
    assert "decision_pending" not in {f["code"] for f in api.get(task_path(task_id), as_="engineer").json["flagged"]}
    again = api.post(f"{task_path(task_id)}/determinations/{pending['id']}/decline", as_="engineer")
    assert (again.status_code, again.json["code"]) == (409, "not_pending")


def test_an_engineer_keeps_the_approved_decision(api):
    task_id = task_in(api, "approved")
    survey = water_survey(api, task_id)
    before = _in_force(api, task_id)
    far = {**survey["route"], "coordinates": _east(survey["route"]["coordinates"], 0.004)}
    push(api, mutation("survey", survey["id"], base_version=survey["version"], route=far))
    (pending,) = [d for d in api.get(f"{task_path(task_id)}/determinations", as_="engineer").json
                  if d["state"] == "pending"]
    assert api.post(f"{task_path(task_id)}/determinations/{pending['id']}/decline", as_="crew").status_code == 403
    declined = api.post(f"{task_path(task_id)}/determinations/{pending['id']}/decline", as_="engineer")
    assert declined.json["state"] == "declined"
    assert _in_force(api, task_id) == before
    assert water_survey(api, task_id)["route"] == far, "the crew's data stays"


def test_rejected_mutations_store_nothing_and_flags_stay_bounded(api):
    task_id = task_in(api, "on_site")
    assert move(api, task_id, "cancelled", as_="dispatcher", reason="申请人撤回").status_code == 200
    survey = water_survey(api, task_id)
    task = api.get(task_path(task_id), as_="engineer").json
    transitions = [mutation("survey_task", task_id, "transition", base_version=task["version"], to="submitted")
                   for _ in range(300)]
    assert {push_outcome(r) for r in push(api, *transitions)} == {"task_cancelled"}
    assert api.get(task_path(task_id), as_="engineer").json["flagged"] == []
    edits = [mutation("survey", survey["id"], base_version=survey["version"], notes=f"第{i}次") for i in range(300)]
    assert {push_outcome(r) for r in push(api, *edits)} == {"kept:task_cancelled"}
    (flag,) = api.get(task_path(task_id), as_="engineer").json["flagged"]
    assert (flag["code"], flag["count"]) == ("task_cancelled", 300)


@pytest.mark.parametrize(("change", "code", "field"), [
    ({"base_version": None}, "validation_error", "base_version"),
    ({"base_version": 1.5}, "validation_error", "base_version"),
    ({"base_version": "1"}, "validation_error", "base_version"),
    ({"base_version": 999}, "base_version_ahead", "base_version"),
    ({"device_time": "0001-01-01T00:00:00+23:59"}, "device_time_out_of_range", "device_time"),
    ({"device_time": "2099-01-01T00:00:00+08:00"}, "device_time_out_of_range", "device_time"),
    ({"fields": {"notes": "a\u0000b"}}, "invalid_character", "fields.notes"),
    ({"fields": {"no\u0000tes": "x"}}, "invalid_character", "fields.no\u0000tes"),
    ({"type": "pipe"}, "validation_error", "type"),
    ({"mutation_id": "not-a-uuid"}, "validation_error", "mutation_id"),
])
def test_a_bad_mutation_is_rejected_alone(api, change, code, field):
    task_id = task_in(api, "on_site")
    survey = water_survey(api, task_id)
    good = mutation("survey", survey["id"], base_version=survey["version"], meter_dn=32)
    bad = {**mutation("survey", survey["id"], base_version=survey["version"], notes="坏"), **change}
    receipts = push(api, bad, good)
    assert (receipts[0]["result"], receipts[0]["errors"][0]["code"]) == ("rejected", code)
    assert receipts[0]["errors"][0]["field"] == field
    assert receipts[1]["result"] == "applied"
    stored = water_survey(api, task_id)
    assert (stored["meter_dn"], stored["notes"]) == (32, survey["notes"])
    if receipts[0]["mutation_id"]:
        fetched = api.get(f"/api/v1/sync/receipts/{receipts[0]['mutation_id']}", as_="crew")
        assert fetched.status_code in (200, 404)
    assert api.get(f"{task_path(task_id)}/audit", as_="engineer").status_code == 200


@pytest.mark.parametrize(("fields", "where"), [
    ({"notes": "a\u0000b", "meter_dn": 2 ** 70}, "fields.notes"),  # beside an integer no 64-bit encoder writes
    ({"segments": [{"dn": 2 ** 70, "material": "PE\u0000100"}]}, "fields.segments[0].material"),
    ({"notes": "\ud800 \u0000"}, "fields.notes"),  # beside a lone surrogate
])
def test_nul_is_found_wherever_it_hides(api, fields, where):
    task_id = task_in(api, "on_site")
    survey = water_survey(api, task_id)
    bad = {**mutation("survey", survey["id"], base_version=survey["version"]), "fields": fields}
    body = json.dumps({"mutations": [bad]})  # the standard encoder writes what a tablet may send
    response = api.post("/api/v1/sync/push", as_="crew", data=body, content_type="application/json")
    (receipt,) = response.json["receipts"]
    assert (receipt["result"], receipt["errors"][0]["code"], receipt["errors"][0]["field"]) == (
        "rejected", "invalid_character", where)


def test_a_device_never_conflicts_with_itself(api):
    task_id = task_in(api, "on_site")
    survey = water_survey(api, task_id)
    first = mutation("survey", survey["id"], base_version=survey["version"], notes="第一稿")
    second = mutation("survey", survey["id"], base_version=survey["version"], notes="第二稿")
    assert [r["result"] for r in push(api, first)] == ["applied"]
    (receipt,) = push(api, second)
    assert receipt["result"] in ("applied", "merged")
    assert water_survey(api, task_id)["notes"] == "第二稿"
    in_one_batch = [mutation("survey", survey["id"], base_version=survey["version"], notes=n) for n in ("甲", "乙")]
    assert {r["result"] for r in push(api, *in_one_batch)} <= {"applied", "merged"}
    assert api.get("/api/v1/conflicts", as_="engineer").json == []


def _in_force(api, task_id) -> dict:
    detail = api.get(task_path(task_id), as_="engineer").json
    (water,) = [d for d in detail["determinations"] if d["utility"] == "water"]
    return {k: water["decision"][k] for k in ("applicable", "free_installation", "approval_path")}


def _east(coordinates, degrees: float):
    """The same geometry moved east, whatever its nesting (LineString or MultiLineString)."""
    if isinstance(coordinates[0], (int, float)):
        return [coordinates[0] + degrees, *coordinates[1:]]
    return [_east(part, degrees) for part in coordinates]


def _new_id() -> str:
    return str(uuid.uuid4())


def test_a_flag_is_a_new_version_of_the_task_that_devices_pull(api):
    task_id = task_in(api, "submitted")
    _, cursor = pull_all(api)
    survey = water_survey(api, task_id)
    before = api.get(task_path(task_id), as_="crew").json["version"]
    (receipt,) = push(api, mutation("survey", survey["id"], base_version=survey["version"], notes="交后补记"))
    assert push_outcome(receipt) == "kept:survey_locked"
    rest = api.get(task_path(task_id), as_="crew").json
    assert rest["version"] == before + 1
    pulled = [c for c in pull_all(api, cursor=cursor)[0] if c["type"] == "survey_task" and item_id(c) == task_id]
    assert [(c["version"], c["data"]["flagged"]) for c in pulled] == [(rest["version"], rest["flagged"])]
