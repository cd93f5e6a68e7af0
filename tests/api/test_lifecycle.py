"""A water and gas application from platform intake to approval, in two cities, through HTTP only."""
import pytest

from tests.factories import SANYA_SITE, SUIZHOU_SITE, make_survey, move, put_survey, task_path

CITIES = {
    # Suizhou S4: free water installation while the outer pipe is ≤ 200 m; the fix lengthens it past that.
    "suizhou": {"site": SUIZHOU_SITE, "outside_deg": (0.002, 0.0025), "code": "2026-421302-44-01-000101",
                "water": ("free_installation", True, False), "gas_applicable": True},
    # Sanya Y2: outer works > 200 m need tolerant parallel approval, ≤ 200 m notify-and-commit; Y0: no gas.
    "sanya": {"site": SANYA_SITE, "outside_deg": (0.002, 0.0015), "code": "2026-460200-44-01-000101",
              "water": ("approval_path", "tolerant_parallel", "notify_commit"), "gas_applicable": False},
}


@pytest.mark.parametrize("profile", sorted(CITIES))
def test_from_intake_to_approval_with_a_return(api, tenant, profile):
    city = CITIES[profile]
    first_outside, fixed_outside = city["outside_deg"]
    decision_key, first_decision, fixed_decision = city["water"]

    # A government platform pushes the project; the dispatcher assigns crew A.
    pushed = api.post("/api/v1/applications/intake", as_="dispatcher", json={"applications": [{
        "project_code": city["code"], "profile_id": profile, "applicant_unit": "某某实业有限公司",
        "address": "项目地块", "location": {"type": "Point", "coordinates": list(city["site"])}, "contact_name": "王工",
        "contact_phone": "13900001111", "utilities": ["water", "gas"], "credit_code": None}]})
    assert pushed.status_code == 200, pushed.json
    application = api.get(f"/api/v1/applications/{pushed.json['results'][0]['application_id']}",
                          as_="dispatcher").json
    assert application["channel"] == "platform"
    assert application["deferred_materials"][0]["material"] == "credit_code"
    task_id = application["task_id"]
    assert move(api, task_id, "assigned", as_="dispatcher", crew_id=str(tenant.crews["crew_a"].id)).status_code == 200

    # The crew goes on site, surveys both utilities and submits.
    assert [t["id"] for t in api.get("/api/v1/tasks", as_="crew").json] == [task_id]
    assert move(api, task_id, "on_site", as_="crew").status_code == 200
    for utility in ("water", "gas"):
        survey = make_survey(city["site"], outside_deg=first_outside)
        assert put_survey(api, task_id, utility, survey).status_code == 200
    assert move(api, task_id, "submitted", as_="crew").status_code == 200

    # The engineer finds it in the queue, reads the determinations, comments and returns it.
    queue = api.get("/api/v1/tasks", as_="engineer", query_string={"status": "submitted", "profile": profile}).json
    assert [t["id"] for t in queue] == [task_id]
    gas, water = api.get(task_path(task_id), as_="engineer").json["determinations"]
    assert (gas["profile_id"], water["profile_id"]) == (profile, profile)
    assert gas["decision"]["applicable"] is city["gas_applicable"]
    assert water["decision"][decision_key] == first_decision
    comment = api.post(f"{task_path(task_id)}/comments", as_="engineer",
                       json={"utility": "water", "body": "接驳点应改到另一侧市政管", "target": {"path": "route"}})
    assert comment.status_code == 201
    assert move(api, task_id, "returned", as_="engineer", reason="接驳点位置需调整").status_code == 200

    # The crew reads the comment, moves the tie-in (determined again at once), goes back on site and resubmits.
    returned = api.get(task_path(task_id), as_="crew").json
    assert [c["body"] for c in returned["comments"]] == ["接驳点应改到另一侧市政管"]
    fixed = put_survey(api, task_id, "water", make_survey(city["site"], outside_deg=fixed_outside))
    assert fixed.status_code == 200
    history = api.get(f"{task_path(task_id)}/determinations", as_="crew").json
    assert [d["utility"] for d in history] == ["gas", "water", "water"]
    assert history[-1]["decision"][decision_key] == fixed_decision
    assert move(api, task_id, "on_site", as_="crew").status_code == 200
    assert move(api, task_id, "submitted", as_="crew").status_code == 200

    # The engineer approves; the survey is closed to everyone.
    approved = move(api, task_id, "approved", as_="engineer")
    assert (approved.status_code, approved.json["status"]) == (200, "approved")
    final = api.get(task_path(task_id), as_="engineer").json
    assert [e["to_status"] for e in final["events"]] == [
        "assigned", "on_site", "submitted", "returned", "on_site", "submitted", "approved"]
    assert final["allowed_transitions"] == []
    assert [d["decision"][decision_key] for d in final["determinations"] if d["utility"] == "water"] == [
        fixed_decision]
    assert put_survey(api, task_id, "water", make_survey(city["site"])).status_code == 409
    audit = api.get(f"{task_path(task_id)}/audit", as_="admin").json
    determined = [e for e in audit if e["action"] == "determined"]
    assert len(determined) == 3
    assert determined[-1]["changes"][decision_key] == [first_decision, fixed_decision]
