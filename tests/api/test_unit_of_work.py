"""The unit of work: a service's writes are stored together or not at all, and only the unit of work commits."""
import re
from pathlib import Path

import pytest
from sqlalchemy import text

from domain_errors import Code
from server.error_codes import CATALOGUE, ServerCode
from server.errors import ApiError
from server.services import ratelimits, tasks
from server.services.task_states import TRANSITIONS
from server.unit_of_work import commits, unit_of_work
from tests.factories import clocks, make_survey, move, put_survey, task_in, task_path

SERVER = Path(__file__).parents[2] / "server"
COMMIT = re.compile(r"\.commit\(\)")


def test_nothing_in_the_server_commits_but_the_unit_of_work():
    committing = {str(path.relative_to(SERVER)) for path in SERVER.rglob("*.py")
                  if COMMIT.search(path.read_text())}
    assert committing == {"unit_of_work.py"}


def hits(session, key: str) -> int:
    return session.scalar(text("select coalesce(sum(hits), 0) from rate_limit_windows where key = :key"),
                          {"key": key})


def test_a_unit_commits_when_its_block_ends(db_session):
    with unit_of_work(db_session):
        ratelimits.hit(db_session, "uow:clean")
    db_session.rollback()
    assert hits(db_session, "uow:clean") == 1


def test_a_unit_stores_nothing_when_its_block_raises(db_session):
    with pytest.raises(ValueError), unit_of_work(db_session):
        ratelimits.hit(db_session, "uow:raised")
        raise ValueError("midway")
    assert hits(db_session, "uow:raised") == 0


def test_a_unit_inside_another_commits_with_it(db_session):
    with pytest.raises(ValueError), unit_of_work(db_session):
        with unit_of_work(db_session):
            ratelimits.hit(db_session, "uow:inner")
        raise ValueError("after the inner unit ended cleanly")
    assert hits(db_session, "uow:inner") == 0


def test_a_committing_service_stores_all_or_nothing(db_session):
    @commits
    def count_twice(session, key: str, *, fail: bool) -> int:
        ratelimits.hit(session, key)
        if fail:
            raise ApiError(ServerCode.CONFLICT, "the second write never comes")
        return ratelimits.hit(session, key)

    assert count_twice(db_session, "uow:service", fail=False) == 2
    with pytest.raises(ApiError):
        count_twice(db_session, "uow:service", fail=True)
    db_session.rollback()
    assert hits(db_session, "uow:service") == 2


def test_every_task_status_lists_its_effects():
    assert set(tasks.EFFECTS) == set(TRANSITIONS)
    assert all(tasks.EFFECTS[to].count(tasks._log) == 1 for to in TRANSITIONS)


def test_a_transition_that_fails_after_its_first_effects_stores_none_of_them(api, monkeypatch):
    task_id = task_in(api, "on_site")
    task = api.get(task_path(task_id), as_="dispatcher").json
    for utility in task["utilities"]:
        assert put_survey(api, task_id, utility, make_survey()).status_code == 200
    before = clocks(api, task["application_id"])

    class Injected(Code):
        INJECTED = "injected", 409, "a failure this test injects"

    def fail(_move):
        raise ApiError(Injected.INJECTED,
                       "injected after the surveys were determined, the change logged and the clocks refreshed")

    monkeypatch.setitem(CATALOGUE, "injected", Injected.INJECTED)
    monkeypatch.setitem(tasks.EFFECTS, "submitted", (*tasks.EFFECTS["submitted"], fail))
    failed = move(api, task_id, "submitted", as_="crew")
    assert (failed.status_code, failed.json["code"]) == (409, "injected")

    after = api.get(task_path(task_id), as_="dispatcher").json
    assert (after["status"], after["surveyed_at"], after["version"]) == ("on_site", None, task["version"])
    for utility in task["utilities"]:
        assert api.get(f"{task_path(task_id)}/surveys/{utility}", as_="crew").json["submitted_at"] is None
    assert api.get(f"{task_path(task_id)}/determinations", as_="engineer").json == []
    assert clocks(api, task["application_id"]) == before

    monkeypatch.undo()
    assert move(api, task_id, "submitted", as_="crew").status_code == 200
    assert api.get(f"{task_path(task_id)}/determinations", as_="engineer").json != []
