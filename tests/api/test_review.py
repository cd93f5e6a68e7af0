"""Engineering review: determinations on submission, reconciliation, comments, approval gate, audit trail."""
import uuid

import pytest
from pyproj import Geod
from sqlalchemy import select

from server.models import Change
from tests.factories import make_survey, move, put_survey, task_in, task_path

GRS80 = Geod(ellps="GRS80")
# make_survey's route runs 0.0025° of longitude along 31.6905°N, 0.002° of it outside the red line.
ROUTE_M = GRS80.line_length([113.3737, 113.3714], [31.6905, 31.6905])
OUTSIDE_M = GRS80.line_length([113.3737, 113.3717], [31.6905, 31.6905])


def determinations(api, task_id) -> list[dict]:
    response = api.get(f"{task_path(task_id)}/determinations", as_="engineer")
    assert response.status_code == 200
    return response.json


def test_submitting_determines_every_survey(api):
    task_id = task_in(api, "submitted")
    found = determinations(api, task_id)
    assert [d["utility"] for d in found] == ["gas", "water"]
    water = found[1]
    assert (water["profile_id"], water["profile_version"], water["errors"]) == ("suizhou", "1.0", [])
    assert water["measurement"]["total_length_m"] == pytest.approx(ROUTE_M, abs=0.01)
    assert water["measurement"]["outside_length_m"] == pytest.approx(OUTSIDE_M, abs=0.01)
    assert water["inputs"]["outside_length_m"] == water["measurement"]["outside_length_m"]
    assert {k: water["inputs"][k] for k in ("utility", "meter_dn", "pipe_dn", "channel")} == {
        "utility": "water", "meter_dn": 40, "pipe_dn": 50, "channel": "online"}
    # S4: an enterprise's new water connection, meter ≤ DN40 and outer pipe ≤ 200 m, is free.
    assert water["decision"]["free_installation"] is True
    assert water["measurement"]["reconciliation"] is None  # nothing taped yet


@pytest.mark.parametrize("tapes,flagged", [(["100", "118"], False), (["100", "50"], True)])
def test_reconciliation_compares_the_drawn_route_with_the_tape(api, tapes, flagged):
    task_id = task_in(api, "on_site")
    segments = [{"dn": 50, "material": "PE100", "tape_length_m": tape} for tape in tapes]
    for utility in ("water", "gas"):
        assert put_survey(api, task_id, utility, make_survey(segments=segments)).status_code == 200
    assert move(api, task_id, "submitted", as_="crew").status_code == 200
    reconciliation = api.get(task_path(task_id), as_="engineer").json["determinations"][0]["measurement"][
        "reconciliation"]
    assert reconciliation["taped_m"] == sum(float(t) for t in tapes)
    assert reconciliation["drawn_m"] == pytest.approx(ROUTE_M, abs=0.01)
    assert reconciliation["flagged"] is flagged


def test_an_engineer_reviews_the_queue_and_the_task(api):
    task_id = task_in(api, "submitted")
    task_in(api, "on_site")
    queue = api.get("/api/v1/tasks", as_="engineer", query_string={"status": "submitted"}).json
    assert [t["id"] for t in queue] == [task_id]
    detail = api.get(task_path(task_id), as_="engineer").json
    assert detail["allowed_transitions"] == ["returned", "approved"]
    assert [s["route"]["type"] for s in detail["surveys"]] == ["MultiLineString", "MultiLineString"]
    assert [d["utility"] for d in detail["determinations"]] == ["gas", "water"]
    assert detail["application"]["task_id"] == task_id
    assert detail["comments"] == []


def test_comments_point_at_features_and_reach_the_crew(api, tenant, db_session):
    task_id = task_in(api, "submitted")
    on_segment = api.post(f"{task_path(task_id)}/comments", as_="engineer",
                          json={"utility": "water", "body": "第1段管长请复核", "target": {"path": "segments[0]"}})
    assert on_segment.status_code == 201, on_segment.json
    at_vertex = api.post(f"{task_path(task_id)}/comments", as_="engineer",
                         json={"utility": "gas", "body": "此处避让绿化", "target": {"vertex": [113.3737, 31.6905]}})
    on_task = api.post(f"{task_path(task_id)}/comments", as_="engineer", json={"body": "整体可行"})
    assert (at_vertex.status_code, on_task.status_code) == (201, 201)
    comments = api.get(task_path(task_id), as_="crew").json["comments"]
    assert [(c["utility"], c["target"]) for c in comments] == [
        ("water", {"path": "segments[0]"}), ("gas", {"vertex": [113.3737, 31.6905]}), (None, None)]
    assert comments[0]["author_id"] == str(tenant.users["engineer"].id)
    feed = db_session.scalars(select(Change.crew_id).where(Change.entity_id == uuid.UUID(on_segment.json["id"])))
    assert list(feed) == [tenant.crews["crew_a"].id]


@pytest.mark.parametrize("body,status,code", [
    ({"utility": "water", "body": "x", "target": {"path": "segments[3]"}}, 422, "unknown_target"),
    ({"utility": "water", "body": "x", "target": {"path": "pipes"}}, 422, "unknown_target"),
    ({"utility": "water", "body": "x", "target": {"path": "route", "vertex": [113.37, 31.69]}}, 422,
     "validation_error"),
    ({"body": "x", "target": {"path": "route"}}, 422, "validation_error"),
    ({"utility": "electricity", "body": "x"}, 422, "validation_error"),
    ({"utility": "water", "body": ""}, 422, "validation_error"),
])
def test_bad_comments_are_refused(api, body, status, code):
    response = api.post(f"{task_path(task_in(api, 'submitted'))}/comments", as_="engineer", json=body)
    assert (response.status_code, response.json["code"]) == (status, code)


def test_a_comment_on_a_utility_the_task_lacks_is_422(api):
    task_id = task_in(api, "submitted", utilities=["water"])
    response = api.post(f"{task_path(task_id)}/comments", as_="engineer", json={"utility": "gas", "body": "x"})
    assert (response.status_code, response.json["code"]) == (422, "unknown_utility")


@pytest.mark.parametrize("role", ["dispatcher", "admin"])
def test_only_engineers_and_crews_comment(api, role):
    response = api.post(f"{task_path(task_in(api, 'submitted'))}/comments", as_=role, json={"body": "x"})
    assert response.status_code == 403


def test_a_crew_notes_on_its_own_tasks_only(api):
    task_id = task_in(api, "submitted")
    assert api.post(f"{task_path(task_id)}/comments", as_="crew", json={"body": "阀门井"}).status_code == 201
    assert api.post(f"{task_path(task_id)}/comments", as_="crew_b", json={"body": "x"}).status_code == 404


def test_approval_waits_until_the_geometry_measures_cleanly(api):
    task_id = task_in(api, "on_site")
    put_survey(api, task_id, "water", make_survey())
    put_survey(api, task_id, "gas", make_survey(red_line=None))
    assert move(api, task_id, "submitted", as_="crew").status_code == 200
    refused = move(api, task_id, "approved", as_="engineer")
    assert (refused.status_code, refused.json["code"]) == (409, "geometry_errors")
    assert [e["field"] for e in refused.json["details"]["errors"]["gas"]] == ["red_line"]
    assert api.get(task_path(task_id), as_="engineer").json["status"] == "submitted"
    assert put_survey(api, task_id, "gas", make_survey(), as_="engineer").status_code == 200
    assert move(api, task_id, "approved", as_="engineer").status_code == 200


def test_an_engineers_correction_is_determined_again(api):
    task_id = task_in(api, "submitted")
    assert len(determinations(api, task_id)) == 2
    put_survey(api, task_id, "water", make_survey(notes="备注修改"), as_="engineer")
    assert len(determinations(api, task_id)) == 2  # notes measure nothing
    put_survey(api, task_id, "water", make_survey(outside_deg=0.001), as_="engineer")
    history = determinations(api, task_id)
    assert [d["utility"] for d in history] == ["gas", "water", "water"]
    assert history[2]["measurement"]["outside_length_m"] < history[1]["measurement"]["outside_length_m"]
    assert history[2]["survey_version"] > history[1]["survey_version"]
    entry = api.get(f"{task_path(task_id)}/audit", as_="engineer").json[-1]
    assert (entry["entity_type"], entry["action"]) == ("survey", "determined")
    before, after = entry["changes"]["outside_length_m"]
    assert before == pytest.approx(OUTSIDE_M, abs=0.01) and after == pytest.approx(OUTSIDE_M / 2, abs=0.01)


def test_resubmitting_unchanged_surveys_adds_no_determination(api):
    task_id = task_in(api, "returned")
    assert move(api, task_id, "on_site", as_="crew").status_code == 200
    assert move(api, task_id, "submitted", as_="crew").status_code == 200
    assert len(determinations(api, task_id)) == 2


def test_the_submission_binds_its_evidence(api):
    task_id = task_in(api, "submitted")
    entries = api.get(f"{task_path(task_id)}/audit", as_="dispatcher").json
    submission = next(e for e in entries if e["changes"].get("status") == ["on_site", "submitted"])
    survey = api.get(task_path(task_id), as_="engineer").json["surveys"][0]
    assert submission["evidence"] == sorted([*survey["photos"], survey["signature"]])


def test_the_audit_trail_is_read_only(api):
    path = f"{task_path(task_in(api, 'assigned'))}/audit"
    assert [api.request(m, path, as_="admin").status_code for m in ("POST", "PUT", "PATCH", "DELETE")] == [405] * 4
    assert api.get(path, as_="crew").status_code == 403
    page = api.get(path, as_="admin", query_string={"page_size": 2})
    assert [e["action"] for e in page.json] == ["created", "created"]
    assert '"total": 5' in page.headers["X-Pagination"]


def test_a_borderline_decision_waits_for_the_engineers_confirmation(api):
    """DESIGN "Borderline decisions": outside length within its accuracy of 200 m (S4) is checked by hand."""
    task_id = task_in(api, "on_site")
    for utility in ("water", "gas"):
        # ~198 m outside against S4's 200 m, drawn from a GNSS fix of ± 3 m
        body = make_survey(outside_deg=0.00209, outside_length_accuracy_m="3")
        assert put_survey(api, task_id, utility, body).status_code == 200
    assert move(api, task_id, "submitted", as_="crew").status_code == 200
    determinations = api.get(f"{task_path(task_id)}/determinations", as_="engineer").json
    assert any(d["decision"]["near_threshold"] for d in determinations), determinations
    refused = move(api, task_id, "approved", as_="engineer")
    assert (refused.status_code, refused.json["code"]) == (409, "near_threshold_unconfirmed")
    assert refused.json["details"]["near_threshold"][0]["fact"] == "outside_length_m"
    assert move(api, task_id, "approved", as_="engineer", confirm_near_threshold=True).status_code == 200
    audit = api.get(f"{task_path(task_id)}/audit", as_="engineer").json
    assert "near_threshold_confirmed" in [entry["action"] for entry in audit]


@pytest.mark.parametrize(("state", "to", "as_"), [("submitted", "returned", "engineer"),
                                                  ("assigned", "cancelled", "dispatcher")])
def test_the_reason_a_person_gave_is_in_the_audit_trail(api, state, to, as_):
    task_id = task_in(api, state)
    assert move(api, task_id, to, as_=as_, reason="红线画到了邻居的院子").status_code == 200
    entries = api.get(f"{task_path(task_id)}/audit", as_="engineer").json
    (entry,) = [e for e in entries if e["changes"].get("status") == [state, to]]
    assert entry["reason"] == "红线画到了邻居的院子"
    assert all(e["reason"] is None for e in entries if e is not entry)
