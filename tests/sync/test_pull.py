"""GET /api/v1/sync/pull: scope, packages for tasks entering it, revokes, pages, reference data."""
from sync.client.store import item_id
from tests.factories import make_application, make_survey, move, of_type, pull_all, put_survey, task_in


def test_first_pull_brings_reference_data_only(api):
    changes, _ = pull_all(api)
    assert {p["id"] for p in of_type(changes, "policy_profile")} == {"suizhou", "jingmen", "wuhu", "xinzheng",
                                                                     "sanya"}
    assert {"demand:1", "joint_survey:1"} <= {f["id"] for f in of_type(changes, "form_version")}
    assert of_type(changes, "survey_task") == []


def test_reference_data_is_not_sent_again(api):
    _, cursor = pull_all(api)
    again, _ = pull_all(api, cursor=cursor)
    assert again == []


def test_a_task_assigned_to_the_crew_arrives_whole(api, tenant):
    application = make_application(api)
    _, cursor = pull_all(api)
    move(api, application["task_id"], "assigned", as_="dispatcher", crew_id=str(tenant.crews["crew_a"].id))
    changes, _ = pull_all(api, cursor=cursor)
    assert [item_id(t) for t in of_type(changes, "survey_task")] == [application["task_id"]]
    assert [item_id(a) for a in of_type(changes, "application")] == [application["id"]]
    assert sorted(s["data"]["utility"] for s in of_type(changes, "survey")) == ["gas", "water"]
    assert of_type(changes, "survey")[0]["data"]["task_id"] == application["task_id"]
    other_crew, _ = pull_all(api, as_="crew_b")
    assert of_type(other_crew, "survey_task") == []


def test_a_reassigned_task_is_revoked_from_the_old_crew(api, tenant):
    application = make_application(api)
    move(api, application["task_id"], "assigned", as_="dispatcher", crew_id=str(tenant.crews["crew_a"].id))
    _, cursor_a = pull_all(api)
    _, cursor_b = pull_all(api, as_="crew_b")
    move(api, application["task_id"], "assigned", as_="dispatcher", crew_id=str(tenant.crews["crew_b"].id))
    old, _ = pull_all(api, cursor=cursor_a)
    assert [(c["type"], c["op"]) for c in old] == [("survey_task", "revoke")]
    new, _ = pull_all(api, as_="crew_b", cursor=cursor_b)
    assert {c["type"] for c in new} >= {"survey_task", "application", "survey"}
    assert all(c["op"] == "upsert" for c in new)


def test_an_upsert_names_its_record_by_its_data_and_other_items_by_their_id(api, tenant):
    """The record's id is sent once: `data.id` (docs/sync-protocol.md)."""
    application = make_application(api)
    move(api, application["task_id"], "assigned", as_="dispatcher", crew_id=str(tenant.crews["crew_a"].id))
    changes, cursor = pull_all(api)
    shipped = [c for c in changes if c["type"] in ("policy_profile", "form_version")]
    records = [c for c in changes if c not in shipped]
    assert {c["type"] for c in records} == {"application", "survey_task", "survey"}
    assert all(list(c) == ["type", "op", "version", "data"] and c["op"] == "upsert" for c in records)
    assert [c["data"]["id"] for c in of_type(records, "survey_task")] == [application["task_id"]]
    assert shipped and all(list(c) == ["type", "id", "op", "version", "data"] for c in shipped)
    move(api, application["task_id"], "assigned", as_="dispatcher", crew_id=str(tenant.crews["crew_b"].id))
    (revoke,) = pull_all(api, cursor=cursor)[0]
    assert (revoke["type"], revoke["id"], revoke["op"], revoke["data"]) == ("survey_task", application["task_id"],
                                                                            "revoke", None)


def test_pages_follow_each_other_without_gaps_or_repeats(api, tenant):
    tasks = []
    for _ in range(3):
        application = make_application(api)
        move(api, application["task_id"], "assigned", as_="dispatcher", crew_id=str(tenant.crews["crew_a"].id))
        tasks.append(application["task_id"])
    paged, _ = pull_all(api, limit=2)
    whole, _ = pull_all(api, limit=500)
    key = [(c["type"], item_id(c)) for c in paged]
    assert len(key) == len(set(key))
    assert set(key) == {(c["type"], item_id(c)) for c in whole}
    assert {item_id(t) for t in of_type(paged, "survey_task")} == set(tasks)


def test_calendar_upload_reaches_every_device(api):
    _, cursor = pull_all(api)
    api.put("/api/v1/calendar/2031", json={"holidays": ["2031-01-02"], "workdays": []})
    changes, _ = pull_all(api, cursor=cursor, as_="crew_b")
    (year,) = of_type(changes, "calendar_year")
    assert year["data"]["holidays"] == ["2031-01-02"]


def test_revoked_device_cannot_pull_or_push(api, tenant):
    api.post(f"/api/v1/devices/{tenant.devices['crew'].id}/revoke")
    assert api.get("/api/v1/sync/pull", as_="crew").status_code == 401
    assert api.post("/api/v1/sync/push", as_="crew", json={"mutations": []}).status_code == 401


def test_a_foreign_cursor_is_422(api):
    response = api.get("/api/v1/sync/pull?cursor=not-a-cursor", as_="crew")
    assert response.status_code == 422
    assert response.json["code"] == "invalid_cursor"


def test_joining_a_crew_brings_its_tasks_and_leaving_revokes_them(api, tenant):
    application = make_application(api)
    move(api, application["task_id"], "assigned", as_="dispatcher", crew_id=str(tenant.crews["crew_b"].id))
    _, cursor = pull_all(api)  # "crew" is in crew_a only: nothing of crew_b's yet
    crew_b = f"/api/v1/crews/{tenant.crews['crew_b'].id}"
    members = [str(tenant.users["crew_b"].id), str(tenant.users["crew"].id)]
    etag = api.get(crew_b).headers["ETag"]
    assert api.patch(crew_b, json={"member_ids": members}, headers={"If-Match": etag}).status_code == 200
    joined, cursor = pull_all(api, cursor=cursor)
    assert [item_id(t) for t in of_type(joined, "survey_task")] == [application["task_id"]]
    assert {c["type"] for c in joined} >= {"application", "survey"}
    etag = api.get(crew_b).headers["ETag"]
    assert api.patch(crew_b, json={"member_ids": members[:1]}, headers={"If-Match": etag}).status_code == 200
    left, _ = pull_all(api, cursor=cursor)
    assert [(c["type"], c["id"], c["op"]) for c in left] == [("survey_task", application["task_id"], "revoke")]
    others, _ = pull_all(api, as_="crew_b")
    assert [item_id(t) for t in of_type(others, "survey_task")] == [application["task_id"]]


def pages_of(api, *, limit: int, cursor: str | None = None) -> tuple[list[list[dict]], str]:
    pages = []
    while True:
        response = api.get(f"/api/v1/sync/pull?limit={limit}" + (f"&cursor={cursor}" if cursor else ""), as_="crew")
        pages.append(response.json["changes"])
        cursor = response.json["cursor"]
        if not response.json["has_more"]:
            return pages, cursor


def test_limit_caps_every_page_and_no_record_version_comes_twice(api, tenant):
    first_tasks = [task_in(api, "on_site") for _ in range(3)]
    pages, cursor = pages_of(api, limit=3)
    shipped = {"policy_profile", "form_version"}
    assert all(len(page) <= 3 for page in pages if {c["type"] for c in page} - shipped)
    sent = [(c["type"], item_id(c), c["version"]) for page in pages for c in page]
    assert len(sent) == len(set(sent))
    assert {c[1] for c in sent if c[0] == "survey_task"} == set(first_tasks)
    for task_id in first_tasks:
        for notes in ("第一次", "第二次"):
            assert put_survey(api, task_id, "water", make_survey(notes=notes)).status_code == 200
    later, _ = pages_of(api, limit=3, cursor=cursor)
    assert all(len(page) <= 3 for page in later)
    sent = [(c["type"], item_id(c), c["version"]) for page in later for c in page]
    assert len(sent) == len(set(sent))
    surveys = [c for page in later for c in page if c["type"] == "survey"]
    assert len(surveys) == 3 and {s["data"]["notes"] for s in surveys} == {"第二次"}
