"""Survey tasks: the state machine over HTTP, crews' scope, listing filters and tenant isolation."""
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from schemas.tasks import TaskSchema
from server.models import Change, SurveyTask
from tests.factories import SANYA_SITE, ApiClient, make_application, move, task_in, task_path

TASKS = "/api/v1/tasks"
STATUSES = ("new", "assigned", "on_site", "submitted", "returned", "approved", "cancelled")
ALLOWED = {
    "new": ["assigned", "cancelled"],
    "assigned": ["assigned", "on_site", "cancelled"],
    "on_site": ["assigned", "submitted", "cancelled"],
    "submitted": ["returned", "approved", "cancelled"],
    "returned": ["assigned", "on_site", "cancelled"],
    "approved": [],
    "cancelled": [],
}
ILLEGAL = [(status, to) for status in STATUSES for to in STATUSES if to not in ALLOWED[status]]


@pytest.mark.parametrize("status,to", ILLEGAL)
def test_each_illegal_transition_is_a_409_listing_the_allowed_ones(api, status, to):
    task_id = task_in(api, status)
    response = move(api, task_id, to, as_="admin", crew_id=str(api.world.crews["crew_a"].id), reason="测试")
    assert response.status_code == 409
    assert response.json["code"] == "illegal_transition"
    assert response.json["field"] == "to"
    assert response.json["details"] == {"status": status, "to": to, "allowed": ALLOWED[status]}
    assert api.get(task_path(task_id), as_="admin").json["status"] == status


@pytest.mark.parametrize("status,to,role", [
    ("new", "assigned", "engineer"),
    ("assigned", "on_site", "dispatcher"),
    ("on_site", "submitted", "engineer"),
    ("submitted", "approved", "crew"),
    ("submitted", "returned", "dispatcher"),
    ("returned", "cancelled", "engineer"),
])
def test_a_transition_by_the_wrong_role_is_a_403(api, status, to, role):
    task_id = task_in(api, status)
    response = move(api, task_id, to, as_=role, crew_id=str(api.world.crews["crew_a"].id), reason="测试")
    assert response.status_code == 403
    assert api.get(task_path(task_id), as_="admin").json["status"] == status


@pytest.mark.parametrize("body,code", [
    ({}, "crew_required"),
    ({"crew_id": str(uuid.uuid4())}, "unknown_crew"),
])
def test_assigning_needs_an_existing_crew(api, body, code):
    response = move(api, task_in(api, "new"), "assigned", as_="dispatcher", **body)
    assert response.status_code == 422
    assert (response.json["code"], response.json["field"]) == (code, "crew_id")


def test_a_crew_is_named_only_to_assign(api, tenant):
    response = move(api, task_in(api, "assigned"), "on_site", as_="crew", crew_id=str(tenant.crews["crew_a"].id))
    assert (response.status_code, response.json["code"]) == (422, "crew_not_expected")


@pytest.mark.parametrize("status,to,role", [("submitted", "returned", "engineer"), ("new", "cancelled", "dispatcher")])
def test_returning_and_cancelling_need_a_reason(api, status, to, role):
    response = move(api, task_in(api, status), to, as_=role)
    assert (response.status_code, response.json["code"], response.json["field"]) == (422, "reason_required",
                                                                                       "reason")


def test_each_transition_records_who_from_which_device_and_when(api, tenant):
    task_id = task_in(api, "returned")
    events = api.get(task_path(task_id), as_="engineer").json["events"]
    assert [(e["from_status"], e["to_status"]) for e in events] == [
        ("new", "assigned"), ("assigned", "on_site"), ("on_site", "submitted"), ("submitted", "returned")]
    by = [(e["actor_id"], e["device_id"]) for e in events]
    assert by == [(str(tenant.users[u].id), str(tenant.devices[u].id))
                  for u in ("dispatcher", "crew", "crew", "engineer")]
    assert events[-1]["reason"] == "红线与规划图不符"
    assert all(e["created_at"] for e in events)


def test_transitions_bump_the_version_and_feed_the_crew(api, tenant, db_session):
    task_id = task_in(api, "on_site")
    task = api.get(task_path(task_id), as_="crew").json
    assert task["version"] == 3
    feed = db_session.execute(select(Change.version, Change.crew_id, Change.op)
                              .where(Change.entity_id == uuid.UUID(task_id)).order_by(Change.seq)).all()
    crew_a = tenant.crews["crew_a"].id
    assert feed == [(1, None, "upsert"), (2, crew_a, "upsert"), (2, crew_a, "enter"), (3, crew_a, "upsert")]


def test_a_crew_sees_only_its_crews_tasks(api, tenant):
    own = task_in(api, "on_site")
    other = make_application(api)["task_id"]
    assert move(api, other, "assigned", as_="dispatcher", crew_id=str(tenant.crews["crew_b"].id)).status_code == 200
    unassigned = make_application(api)["task_id"]
    assert [t["id"] for t in api.get(TASKS, as_="crew").json] == [own]
    assert [t["id"] for t in api.get(TASKS, as_="crew_b").json] == [other]
    for task_id in (other, unassigned):
        assert api.get(task_path(task_id), as_="crew").status_code == 404
        assert api.get(f"{task_path(task_id)}/surveys/water", as_="crew").status_code == 404
        assert api.get(f"{task_path(task_id)}/determinations", as_="crew").status_code == 404
    assert move(api, other, "on_site", as_="crew").status_code == 404
    response = api.get(task_path(own), as_="crew_b")
    assert (response.status_code, response.json["code"]) == (404, "not_found")


def test_reassignment_moves_the_task_to_the_other_crew(api, tenant):
    task_id = task_in(api, "on_site")
    assert move(api, task_id, "assigned", as_="dispatcher", crew_id=str(tenant.crews["crew_b"].id)).status_code == 200
    assert api.get(task_path(task_id), as_="crew").status_code == 404
    assert api.get(task_path(task_id), as_="crew_b").json["allowed_transitions"] == ["on_site"]


def test_tasks_do_not_cross_tenants(api, app, other_tenant):
    task_id = task_in(api, "assigned")
    other = ApiClient(app.test_client(), other_tenant)
    assert other.get(task_path(task_id), as_="admin").status_code == 404
    assert other.get(TASKS, as_="admin").json == []
    assert move(other, task_id, "cancelled", as_="admin", reason="x").status_code == 404
    assert other.get(f"{task_path(task_id)}/audit", as_="admin").status_code == 404
    assert api.get(task_path(task_id), as_="admin").json["status"] == "assigned"


def test_lists_filter_and_sort_by_survey_due_time(api, db_session):
    suizhou_late = task_in(api, "submitted")
    suizhou_soon = task_in(api, "submitted")
    sanya = task_in(api, "submitted", site=SANYA_SITE, profile_id="sanya", utilities=["water"])
    undated = task_in(api, "assigned")
    now = datetime.now(UTC)
    for task_id, due in ((suizhou_late, now + timedelta(days=3)), (suizhou_soon, now + timedelta(days=1)),
                         (sanya, now + timedelta(days=2))):
        db_session.execute(update(SurveyTask).where(SurveyTask.id == uuid.UUID(task_id)).values(survey_due_at=due))
    db_session.commit()

    def ids(**query) -> list[str]:
        response = api.get(TASKS, as_="engineer", query_string=query)
        assert response.status_code == 200, response.json
        return [t["id"] for t in response.json]

    assert ids() == [suizhou_soon, sanya, suizhou_late, undated]
    assert ids(status="submitted") == [suizhou_soon, sanya, suizhou_late]
    assert ids(utility="gas") == [suizhou_soon, suizhou_late, undated]
    assert ids(profile="sanya") == [sanya]
    assert ids(bbox="109.4,18.2,109.6,18.3") == [sanya]
    assert ids(bbox="113.36,31.68,113.38,31.70", status="submitted") == [suizhou_soon, suizhou_late]
    assert ids(due_before=(now + timedelta(days=2, hours=12)).isoformat()) == [suizhou_soon, sanya]
    page = api.get(TASKS, as_="engineer", query_string={"page": 2, "page_size": 3})
    assert [t["id"] for t in page.json] == [undated]
    assert '"total": 4' in page.headers["X-Pagination"]


def test_each_page_of_the_list_says_where_it_is(api):
    tasks = [task_in(api, "assigned") for _ in range(3)]

    def page(number: int, **query) -> tuple[list[str], str]:
        response = api.get(TASKS, as_="dispatcher", query_string={"page": number, "page_size": 2, **query})
        assert response.status_code == 200, response.json
        return [t["id"] for t in response.json], response.headers["X-Pagination"]

    first, second = page(1), page(2)
    assert sorted(first[0] + second[0]) == sorted(tasks)
    assert first[1] == '{"total": 3, "total_pages": 2, "first_page": 1, "last_page": 2, "page": 1, "next_page": 2}'
    assert second[1] == '{"total": 3, "total_pages": 2, "first_page": 1, "last_page": 2, "page": 2, "previous_page": 1}'
    # Past the end the page is empty, and the total still counts what the filters match.
    assert page(3) == ([], '{"total": 3, "total_pages": 2, "first_page": 1, "last_page": 2}')
    assert page(3, status="assigned", profile="suizhou") == ([], '{"total": 3, "total_pages": 2, "first_page": 1, '
                                                                  '"last_page": 2}')
    assert page(1, status="submitted") == ([], '{"total": 0, "total_pages": 0}')


@pytest.mark.parametrize("due", [
    datetime(2026, 12, 1, 9, 30, tzinfo=UTC),  # whole seconds: Python writes no fraction
    datetime(2026, 12, 1, 9, 30, 5, 120000, tzinfo=UTC),  # trailing zeros: Python keeps all six digits
    datetime(2026, 12, 1, 9, 30, 5, 123456, tzinfo=UTC),
])
def test_the_list_shows_a_task_exactly_as_its_schema_does(api, db_session, due):
    """The list's JSON is written by PostgreSQL; it must be what TaskSchema dumps (the task's detail)."""
    task_id = task_in(api, "submitted")
    db_session.execute(update(SurveyTask).where(SurveyTask.id == uuid.UUID(task_id))
                       .values(survey_due_at=due, surveyed_at=due + timedelta(microseconds=10)))
    db_session.commit()
    (listed,) = api.get(TASKS, as_="crew").json
    detail = api.get(task_path(task_id), as_="crew").json
    assert listed == {name: detail[name] for name in listed}
    assert set(listed) == set(TaskSchema().fields)
    assert listed["survey_due_at"] == due.isoformat()
    assert listed["site"]["type"] == "Point"


def test_a_bbox_matches_survey_geometry_away_from_the_site(api):
    task_id = task_in(api, "submitted", location=None)
    assert [t["id"] for t in api.get(TASKS, as_="engineer", query_string={"bbox": "113.372,31.69,113.374,31.691"}).json
            ] == [task_id]


@pytest.mark.parametrize("query", [{"bbox": "113,31,112,32"}, {"bbox": "113,31"}, {"bbox": "a,b,c,d"},
                                   {"status": "done"}, {"due_before": "2026-12-01T10:00:00"}])
def test_bad_filters_are_422(api, query):
    response = api.get(TASKS, as_="engineer", query_string=query)
    assert response.status_code == 422
    assert response.json["field"] == f"query.{next(iter(query))}"
