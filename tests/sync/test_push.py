"""POST /api/v1/sync/push: receipts, idempotency, field merge, conflicts, rejections, task state changes."""
from datetime import datetime

import pytest

from sync.client.store import item_id
from tests.factories import PHOTO, make_route, make_survey, move, mutation, of_type, pull_all, push, task_in, task_path

LATER = "2026-11-25T11:00:00+08:00"


def survey_of(api, task_id, utility="water", as_="crew") -> dict:
    return next(s for s in api.get(task_path(task_id), as_=as_).json["surveys"] if s["utility"] == utility)


@pytest.fixture
def on_site(api, tenants, tenant):
    """A task of crew_a on site; returns (task_id, its water survey). The crew member has a second tablet."""
    tenants.add_device(tenant, "crew_tablet2", "crew")
    tenants.session.commit()
    task_id = task_in(api, "on_site")
    return task_id, survey_of(api, task_id)


def test_an_edit_from_the_current_version_is_applied(api, on_site):
    task_id, survey = on_site
    (receipt,) = push(api, mutation("survey", survey["id"], base_version=survey["version"], notes="阀门井在人行道下"))
    assert receipt["result"] == "applied"
    assert receipt["version"] == survey["version"] + 1
    assert receipt["skew_ms"] is not None
    assert survey_of(api, task_id)["notes"] == "阀门井在人行道下"


def test_the_main_is_pushed_and_pulled_like_the_other_geometry(api, on_site):
    task_id, survey = on_site
    main = make_route((113.3740, 31.6880), (113.3740, 31.6930))
    (receipt,) = push(api, mutation("survey", survey["id"], base_version=survey["version"], main=main))
    assert receipt["result"] == "applied"
    assert survey_of(api, task_id)["main"] == main
    pulled = [c for c in of_type(pull_all(api)[0], "survey") if item_id(c) == survey["id"]]
    assert pulled[-1]["data"]["main"] == main


def test_a_replayed_batch_is_duplicate_and_changes_nothing(api, on_site):
    task_id, survey = on_site
    batch = [mutation("survey", survey["id"], base_version=survey["version"], notes="一次"),
             mutation("survey", survey["id"], base_version=survey["version"], meter_dn=50)]
    first = push(api, *batch)
    version = survey_of(api, task_id)["version"]
    again = push(api, *batch)
    assert [r["result"] for r in again] == ["duplicate", "duplicate"]
    assert [r["original_result"] for r in again] == [r["result"] for r in first]
    assert [r["version"] for r in again] == [r["version"] for r in first]
    assert survey_of(api, task_id)["version"] == version


def test_a_replay_answers_each_mutation_with_its_first_receipt(api, on_site):
    _, survey = on_site
    batch = [mutation("survey", survey["id"], base_version=survey["version"], notes="一次",
                      device_time="2026-11-25T10:42:00.250000+08:00"),
             mutation("survey", survey["id"], base_version=survey["version"], photos=[PHOTO])]
    first = push(api, *batch)
    assert [r["result"] for r in first] == ["applied", "rejected"]
    later = mutation("survey", survey["id"], base_version=first[0]["version"], meter_dn=50)
    for replayed in (push(api, *batch), push(api, *batch, later)[:2]):
        assert [r["result"] for r in replayed] == ["duplicate", "duplicate"]
        assert [r["original_result"] for r in replayed] == ["applied", "rejected"]
        for again, original in zip(replayed, first, strict=True):
            assert _same_receipt(again) == _same_receipt(original)
            fetched = api.get(f"/api/v1/sync/receipts/{original['mutation_id']}", as_="crew").json
            assert _same_receipt(fetched) == _same_receipt(original)


def _same_receipt(receipt: dict) -> dict:
    """A receipt's fields but its result, its times as instants (a stored time reads back in UTC)."""
    times = {name: datetime.fromisoformat(receipt[name]) for name in ("received_at", "device_time")}
    return {**receipt, **times, "result": None, "original_result": None}


def test_a_lost_response_is_recovered_by_receipt(api, on_site):
    _, survey = on_site
    edit = mutation("survey", survey["id"], base_version=survey["version"], notes="x")
    (receipt,) = push(api, edit)
    fetched = api.get(f"/api/v1/sync/receipts/{edit['mutation_id']}", as_="crew").json
    assert (fetched["result"], fetched["version"]) == (receipt["result"], receipt["version"])
    assert api.get(f"/api/v1/sync/receipts/{edit['mutation_id']}", as_="crew_b").status_code == 404


def test_edits_of_different_fields_on_two_devices_merge(api, on_site):
    task_id, survey = on_site
    base = survey["version"]
    assert push(api, mutation("survey", survey["id"], base_version=base, notes="设备一"))[0]["result"] == "applied"
    (second,) = push(api, mutation("survey", survey["id"], base_version=base, meter_dn=25), as_="crew_tablet2")
    assert second["result"] == "merged"
    merged = survey_of(api, task_id)
    assert (merged["notes"], merged["meter_dn"]) == ("设备一", 25)


def test_the_same_field_on_two_devices_is_a_conflict_keeping_both(api, on_site):
    task_id, survey = on_site
    base = survey["version"]
    push(api, mutation("survey", survey["id"], base_version=base, notes="设备一", meter_dn=25))
    (second,) = push(api, mutation("survey", survey["id"], base_version=base, notes="设备二", meter_dn=25),
                     as_="crew_tablet2")
    assert second["result"] == "conflict"
    (conflict_id,) = second["conflict_ids"]
    assert survey_of(api, task_id)["notes"] == "设备一"
    (conflict,) = api.get("/api/v1/conflicts", as_="engineer").json
    assert (conflict["id"], conflict["field"]) == (conflict_id, "notes")
    assert (conflict["server_value"], conflict["device_value"]) == ("设备一", "设备二")


def test_a_geometry_conflict_says_what_moved(api, on_site):
    task_id, survey = on_site
    (drawn,) = push(api, mutation("survey", survey["id"], base_version=survey["version"], **_drawn()))
    route = survey_of(api, task_id)["route"]["coordinates"][0]
    east = [[lon + 0.00003, lat] if i == len(route) - 1 else [lon, lat] for i, (lon, lat) in enumerate(route)]
    north = [[lon, lat + 0.00002] if i == 0 else [lon, lat] for i, (lon, lat) in enumerate(route)]
    push(api, mutation("survey", survey["id"], base_version=drawn["version"], route=make_route(*east)))
    (receipt,) = push(api, mutation("survey", survey["id"], base_version=drawn["version"],
                                    route=make_route(*north)), as_="crew_tablet2")
    assert receipt["result"] == "conflict"
    (conflict,) = api.get("/api/v1/conflicts", as_="engineer").json
    assert conflict["field"] == "route"
    assert conflict["details"]["hausdorff_m"] > 1
    assert [v["index"] for v in conflict["details"]["moved_vertices"]] == [0, len(route) - 1]


def test_resolving_a_conflict_keeps_the_chosen_value_and_unblocks_approval(api, on_site):
    task_id, survey = on_site
    for utility in ("water", "gas"):
        current = survey_of(api, task_id, utility)
        push(api, mutation("survey", current["id"], base_version=current["version"], **_drawn()))
    base = survey_of(api, task_id)["version"]
    push(api, mutation("survey", survey["id"], base_version=base, notes="设备一"))
    (conflicting,) = push(api, mutation("survey", survey["id"], base_version=base, notes="设备二"), as_="crew_tablet2")
    assert move(api, task_id, "submitted", as_="crew").status_code == 200
    blocked = move(api, task_id, "approved", as_="engineer")
    assert (blocked.status_code, blocked.json["code"]) == (409, "open_conflicts")
    resolved = api.post(f"/api/v1/conflicts/{conflicting['conflict_ids'][0]}/resolve", as_="engineer",
                        json={"choose": "device"})
    assert resolved.status_code == 200
    assert resolved.json["status"] == "resolved"
    assert survey_of(api, task_id, as_="engineer")["notes"] == "设备二"
    assert move(api, task_id, "approved", as_="engineer").status_code == 200
    again = api.post(f"/api/v1/conflicts/{conflicting['conflict_ids'][0]}/resolve", as_="engineer",
                     json={"choose": "server"})
    assert (again.status_code, again.json["code"]) == (409, "conflict_resolved")


def test_one_bad_mutation_is_rejected_and_the_others_applied(api, on_site):
    task_id, survey = on_site
    bowtie = {"type": "Polygon", "coordinates": [[[113.370, 31.690], [113.372, 31.692], [113.372, 31.690],
                                                  [113.370, 31.692], [113.370, 31.690]]]}
    receipts = push(api,
                    mutation("survey", survey["id"], base_version=survey["version"], notes="好的"),
                    mutation("survey", survey["id"], base_version=survey["version"], red_line=bowtie),
                    mutation("survey", survey["id"], base_version=survey["version"], meter_dn=33))
    assert [r["result"] for r in receipts] == ["applied", "rejected", "rejected"]
    assert receipts[1]["errors"][0]["code"] == "self_intersection"
    assert receipts[1]["errors"][0]["field"].startswith("fields.red_line")
    assert receipts[2]["errors"][0]["field"] == "fields.meter_dn"
    assert survey_of(api, task_id)["notes"] == "好的"


def test_a_missing_blob_is_rejected_not_half_applied(api, on_site):
    task_id, survey = on_site
    (receipt,) = push(api, mutation("survey", survey["id"], base_version=survey["version"], notes="带照片",
                                    photos=[PHOTO]))
    assert receipt["result"] == "rejected"
    assert receipt["errors"][0]["code"] == "missing_blob"
    assert survey_of(api, task_id)["notes"] != "带照片"


def test_submitting_by_push_determines_the_surveys(api, on_site):
    task_id, _ = on_site
    edits = []
    for utility in ("water", "gas"):
        current = survey_of(api, task_id, utility)
        edits.append(mutation("survey", current["id"], base_version=current["version"], **_drawn()))
    task = api.get(task_path(task_id), as_="crew").json
    edits.append(mutation("survey_task", task_id, "transition", base_version=task["version"], to="submitted"))
    assert [r["result"] for r in push(api, *edits)] == ["applied", "applied", "applied"]
    detail = api.get(task_path(task_id), as_="engineer").json
    assert detail["status"] == "submitted"
    assert len(api.get(f"{task_path(task_id)}/determinations", as_="engineer").json) == 2


def test_work_on_a_task_cancelled_meanwhile_is_kept_and_flagged(api, on_site):
    task_id, survey = on_site
    move(api, task_id, "cancelled", as_="dispatcher", reason="申请人撤回")
    receipts = push(api,
                    mutation("survey", survey["id"], base_version=survey["version"], notes="离线时的记录"),
                    mutation("survey_task", task_id, "transition", base_version=1, to="submitted"))
    assert receipts[0]["result"] == "applied"
    assert receipts[0]["flags"][0]["code"] == "task_cancelled"
    assert (receipts[1]["result"], receipts[1]["errors"][0]["code"]) == ("rejected", "task_cancelled")
    detail = api.get(task_path(task_id), as_="dispatcher").json
    assert survey_of(api, task_id, as_="dispatcher")["notes"] == "离线时的记录"
    assert detail["flagged"][0]["code"] == "task_cancelled"


def test_an_illegal_transition_by_push_is_rejected_with_the_allowed_ones(api, on_site):
    task_id, _ = on_site
    (receipt,) = push(api, mutation("survey_task", task_id, "transition", base_version=1, to="approved"))
    assert receipt["result"] == "rejected"
    assert receipt["errors"][0]["code"] == "illegal_transition"


def test_pushes_reach_the_other_devices_of_the_crew(api, on_site, tenant):
    task_id, survey = on_site
    _, cursor = pull_all(api)
    push(api, mutation("survey", survey["id"], base_version=survey["version"], notes="同步给同事"))
    changes, _ = pull_all(api, cursor=cursor)
    (pulled,) = [c for c in changes if c["type"] == "survey"]
    assert pulled["data"]["notes"] == "同步给同事"


def test_too_many_mutations_is_422_with_the_limit(app, api, on_site):
    _, survey = on_site
    limit = app.config["SYNC_MAX_MUTATIONS"]
    batch = [mutation("survey", survey["id"], base_version=1, notes="x") for _ in range(limit + 1)]
    response = api.post("/api/v1/sync/push", as_="crew", json={"mutations": batch})
    assert response.status_code == 422
    assert (response.json["code"], response.json["details"]["limit"]) == ("too_many_mutations", limit)


def test_a_malformed_envelope_is_a_422(api, on_site):
    response = api.post("/api/v1/sync/push", as_="crew", json={"mutations": {"not": "a list"}})
    assert (response.status_code, response.json["field"]) == (422, "mutations")


def _drawn() -> dict:
    body = make_survey()
    return {k: body[k] for k in ("route", "red_line", "meter_dn", "segments", "notes")}


def test_an_edit_arriving_after_submission_is_kept_and_flagged_for_review(api, on_site):
    task_id, survey = on_site
    for utility in ("water", "gas"):
        current = survey_of(api, task_id, utility)
        push(api, mutation("survey", current["id"], base_version=current["version"], **_drawn()))
    assert move(api, task_id, "submitted", as_="crew").status_code == 200
    current = survey_of(api, task_id)
    (late,) = push(api, mutation("survey", current["id"], base_version=current["version"], notes="补记"))
    assert (late["result"], late["flags"][0]["code"]) == ("applied", "survey_locked")
    detail = api.get(task_path(task_id), as_="engineer").json
    assert survey_of(api, task_id, as_="engineer")["notes"] == "补记"
    assert detail["flagged"][-1]["code"] == "survey_locked"


def test_the_openapi_documents_each_mutations_shape(api):
    spec = api.get("/docs/openapi.json", as_="crew").json
    items = spec["components"]["schemas"]["Push"]["properties"]["mutations"]["items"]
    assert items["allOf"] == [{"$ref": "#/components/schemas/Mutation"}]
    assert {"mutation_id", "type", "id", "op", "device_time"} <= set(spec["components"]["schemas"]["Mutation"]["required"])
