"""Comments made, edited and deleted on tablets: a deletion that meets an edit is a conflict, not a loss."""
import uuid

import pytest

from server.models import CrewMember
from sync.client.store import item_id
from tests.factories import mutation, pull_all, push, task_in, task_path


@pytest.fixture
def task_id(api, tenants, tenant):
    tenants.add_device(tenant, "crew_tablet2", "crew")  # the same crew member's second tablet
    tenants.session.commit()
    return task_in(api, "on_site")


def note(api, task_id, body="阀门井在人行道下", *, as_="crew") -> str:
    comment_id = str(uuid.uuid4())
    (receipt,) = push(api, mutation("comment", comment_id, "create", task_id=task_id, body=body), as_=as_)
    assert receipt["result"] == "applied", receipt
    return comment_id


def test_a_note_made_offline_reaches_the_engineer_and_the_crew(api, task_id):
    comment_id = note(api, task_id)
    comments = api.get(task_path(task_id), as_="engineer").json["comments"]
    assert [(c["id"], c["body"]) for c in comments] == [(comment_id, "阀门井在人行道下")]
    pulled, _ = pull_all(api, as_="crew_tablet2")
    assert comment_id in {item_id(c) for c in pulled if c["type"] == "comment"}


def test_deleting_a_note_edited_elsewhere_is_a_conflict_and_the_edit_survives(api, task_id):
    comment_id = note(api, task_id)
    assert push(api, mutation("comment", comment_id, base_version=1, body="改：井在路口"))[0]["result"] == "applied"
    (deleted,) = push(api, mutation("comment", comment_id, "delete", base_version=1), as_="crew_tablet2")
    assert deleted["result"] == "conflict"
    assert [c["body"] for c in api.get(task_path(task_id), as_="engineer").json["comments"]] == ["改：井在路口"]
    (conflict,) = api.get("/api/v1/conflicts", as_="engineer").json
    assert (conflict["field"], conflict["server_value"], conflict["device_value"]) == (
        "_deleted", {"body": "改：井在路口"}, True)
    resolved = api.post(f"/api/v1/conflicts/{conflict['id']}/resolve", as_="engineer", json={"choose": "device"})
    assert resolved.status_code == 200
    assert api.get(task_path(task_id), as_="engineer").json["comments"] == []


def test_editing_a_note_deleted_elsewhere_keeps_the_edit_in_a_conflict(api, task_id):
    comment_id = note(api, task_id)
    assert push(api, mutation("comment", comment_id, "delete", base_version=1))[0]["result"] == "applied"
    (edited,) = push(api, mutation("comment", comment_id, base_version=1, body="补充：有树"), as_="crew_tablet2")
    assert edited["result"] == "conflict"
    (conflict,) = api.get("/api/v1/conflicts", as_="engineer").json
    assert conflict["device_value"] == {"body": "补充：有树"}
    api.post(f"/api/v1/conflicts/{conflict['id']}/resolve", as_="engineer", json={"choose": "device"})
    assert [c["body"] for c in api.get(task_path(task_id), as_="engineer").json["comments"]] == ["补充：有树"]


def test_only_the_author_edits_a_note(api, task_id, tenants, tenant):
    tenants.add_user(tenant, "crew_mate", "crew")
    tenants.session.add(CrewMember(tenant_id=tenant.id, crew_id=tenant.crews["crew_a"].id,
                                   user_id=tenant.users["crew_mate"].id))
    tenants.session.commit()
    comment_id = note(api, task_id)
    (receipt,) = push(api, mutation("comment", comment_id, base_version=1, body="x"), as_="crew_mate")
    assert (receipt["result"], receipt["errors"][0]["code"]) == ("rejected", "not_the_author")


def test_another_crews_note_does_not_exist_for_a_device(api, task_id):
    comment_id = note(api, task_id)
    (receipt,) = push(api, mutation("comment", comment_id, base_version=1, body="x"), as_="crew_b")
    assert (receipt["result"], receipt["errors"][0]["code"]) == ("rejected", "not_found")


def test_a_note_needs_its_task_and_body(api, task_id):
    (receipt,) = push(api, mutation("comment", uuid.uuid4(), "create", body="无任务"))
    assert (receipt["result"], receipt["errors"][0]["code"]) == ("rejected", "invalid_comment")
