"""The reference client against a real server process: offline edits, convergence, conflicts, SIGKILL."""
import threading
import time

import pytest

from sync.client import LocalStore, SyncClient
from sync.client.client import DeviceRevoked, Offline, ServerError
from tests.factories import jpeg, make_application, make_survey, move, sha


@pytest.fixture
def tablets(tmp_path, live_server, world):
    """Two tablets of the same crew member, each with its own SQLite store."""
    return [SyncClient(live_server.url, world.tokens[name], LocalStore(tmp_path / f"{name}.sqlite"))
            for name in ("crew", "crew_tablet2")]


def tasks_on_site(remote, count: int = 1) -> list[str]:
    task_ids = []
    for _ in range(count):
        task_id = make_application(remote)["task_id"]
        assert move(remote, task_id, "assigned", as_="dispatcher",
                    crew_id=str(remote.world.crews["crew_a"].id)).status_code == 200
        assert move(remote, task_id, "on_site", as_="crew").status_code == 200
        task_ids.append(task_id)
    return task_ids


def water_survey(tablet: SyncClient, task_id: str) -> dict:
    return next(s for s in tablet.store.records("survey") if s["task_id"] == task_id and s["utility"] == "water")


def test_offline_edits_on_two_tablets_converge(remote, live_server, tablets):
    (task_id,) = tasks_on_site(remote)
    first, second = tablets
    for tablet in tablets:
        tablet.pull()
    survey_id = water_survey(first, task_id)["id"]
    live_server.kill()
    first.edit("survey", survey_id, {"notes": "阀门井在人行道下"})
    second.edit("survey", survey_id, {"meter_dn": 25})
    with pytest.raises(Offline):
        first.push()
    assert first.store.outbox_size() == 1
    live_server.start()
    assert first.push() == {"applied": 1}
    assert second.push() == {"merged": 1}
    for tablet in tablets:
        tablet.pull()
    views = [water_survey(t, task_id) for t in tablets]
    assert views[0] == views[1]
    assert (views[0]["notes"], views[0]["meter_dn"]) == ("阀门井在人行道下", 25)


def test_the_same_field_edited_on_two_tablets_is_a_conflict_with_both_values(remote, tablets):
    (task_id,) = tasks_on_site(remote)
    first, second = tablets
    for tablet in tablets:
        tablet.pull()
    survey_id = water_survey(first, task_id)["id"]
    first.edit("survey", survey_id, {"notes": "甲"})
    second.edit("survey", survey_id, {"notes": "乙"})
    assert first.push() == {"applied": 1}
    assert second.push() == {"conflict": 1}
    (conflict,) = [c for c in second.store.records("conflict") if c["entity_id"] == survey_id]
    assert (conflict["server_value"], conflict["device_value"], conflict["status"]) == ("甲", "乙", "open")
    resolved = remote.post(f"/api/v1/conflicts/{conflict['id']}/resolve", as_="engineer", json={"choose": "device"})
    assert resolved.status_code == 200
    for tablet in tablets:
        tablet.pull()
        assert water_survey(tablet, task_id)["notes"] == "乙"


def test_two_queued_edits_meet_a_concurrent_edit_as_a_conflict_not_an_overwrite(remote, tablets):
    (task_id,) = tasks_on_site(remote)
    first, second = tablets
    for tablet in tablets:
        tablet.pull()
    survey_id = water_survey(first, task_id)["id"]
    theirs, mine = (make_survey(outside_deg=d)["route"] for d in (0.003, 0.004))
    second.edit("survey", survey_id, {"route": theirs})
    assert second.push() == {"applied": 1}
    # Offline all along, the first tablet queued two edits on the version it had pulled.
    first.edit("survey", survey_id, {"notes": "先记备注"})
    first.edit("survey", survey_id, {"route": mine})
    assert first.push() == {"merged": 1, "conflict": 1}
    stored = remote.get(f"/api/v1/tasks/{task_id}", as_="engineer").json
    (survey,) = [s for s in stored["surveys"] if s["id"] == survey_id]
    assert (survey["notes"], lines(survey["route"])) == ("先记备注", lines(theirs))
    (conflict,) = [c for c in first.store.records("conflict") if c["entity_id"] == survey_id]
    assert (conflict["field"], lines(conflict["device_value"])) == ("route", lines(mine))


def lines(geometry: dict) -> list:
    """A route's lines, LineString or MultiLineString, to 7 decimals (1 cm; the server writes 9)."""
    parts = geometry["coordinates"] if geometry["type"].startswith("Multi") else [geometry["coordinates"]]
    return [[[round(value, 7) for value in position] for position in part] for part in parts]


def test_a_revoked_device_wipes_its_store_and_says_so(remote, tablets):
    (task_id,) = tasks_on_site(remote)
    tablet = tablets[0]
    tablet.pull()
    tablet.edit("survey", water_survey(tablet, task_id)["id"], {"notes": "丢失的平板"})
    assert not tablet.store.is_empty()
    revoked = remote.post(f"/api/v1/devices/{remote.world.devices['crew'].id}/revoke")
    assert revoked.status_code == 200
    with pytest.raises(DeviceRevoked):
        tablet.push()
    assert tablet.store.is_empty()
    assert tablet.store.records("survey") == [] and tablet.store.outbox_size() == 0


def test_a_refused_upload_is_the_servers_code_and_message(tablets, tmp_path):
    not_a_photo = tmp_path / "notes.txt"
    not_a_photo.write_text("这不是照片")
    with pytest.raises(ServerError) as refused:
        tablets[0].upload_blob(not_a_photo)
    assert (refused.value.status, refused.value.code) == (415, "unsupported_blob_type")
    assert refused.value.message


def test_a_replayed_push_is_a_duplicate(remote, tablets):
    (task_id,) = tasks_on_site(remote)
    tablet = tablets[0]
    tablet.pull()
    tablet.edit("survey", water_survey(tablet, task_id)["id"], {"notes": "一次"})
    (batch,) = [tablet.store.next_batch(10)]
    assert tablet.push() == {"applied": 1}
    again = tablet.http.post(f"{tablet.base_url}/api/v1/sync/push", json={"mutations": batch}, timeout=30).json()
    assert [r["result"] for r in again["receipts"]] == ["duplicate"]


def test_server_killed_mid_push_applies_each_mutation_exactly_once(remote, live_server, tablets):
    task_ids = tasks_on_site(remote, count=20)
    tablet = tablets[0]
    tablet.pull()
    versions = {}
    for task_id in task_ids:
        for survey in (s for s in tablet.store.records("survey") if s["task_id"] == task_id):
            versions[survey["id"]] = survey["version"]
            tablet.edit("survey", survey["id"], {"notes": f"离线 {survey['id'][:8]}", "meter_dn": 32})
    dropped = 0
    for delay in (0.0, 0.01, 0.03, 0.06):
        pusher = threading.Thread(target=_push_ignoring_offline, args=(tablet,))
        pusher.start()
        time.sleep(delay)
        live_server.kill()
        pusher.join()
        dropped += tablet.store.outbox_size() > 0
        live_server.start()
    assert dropped, "no kill landed while a push was in flight"
    tablet.push()
    assert tablet.store.outbox_size() == 0
    for survey_id, version in versions.items():
        stored = remote.get(f"/api/v1/tasks/{_task_of(tablet, survey_id)}", as_="engineer").json
        (survey,) = [s for s in stored["surveys"] if s["id"] == survey_id]
        assert (survey["version"], survey["notes"], survey["meter_dn"]) == (version + 1, f"离线 {survey_id[:8]}", 32)


def _push_ignoring_offline(tablet: SyncClient) -> None:
    try:
        tablet.push()
    except Offline:
        pass


def _task_of(tablet: SyncClient, survey_id: str) -> str:
    return next(s["task_id"] for s in tablet.store.records("survey") if s["id"] == survey_id)


def test_a_photo_upload_resumes_and_the_survey_can_name_it(remote, tablets, tmp_path):
    (task_id,) = tasks_on_site(remote)
    tablet = tablets[0]
    tablet.pull()
    photo = tmp_path / "site.jpg"
    photo.write_bytes(jpeg(300_000))
    content = photo.read_bytes()
    # The connection dropped after the first 100 kB reached the server.
    first = tablet.http.put(f"{tablet.base_url}/api/v1/blobs/{sha(content)}", data=content[:100_000], timeout=30,
                            headers={"Content-Range": f"bytes 0-99999/{len(content)}"})
    assert first.status_code == 202
    assert tablet.upload_blob(photo, chunk_bytes=64 * 1024) == sha(content)
    survey_id = water_survey(tablet, task_id)["id"]
    tablet.edit("survey", survey_id, {"photos": [sha(content)]})
    assert tablet.push() == {"applied": 1}
    stored = remote.get(f"/api/v1/blobs/{sha(content)}", as_="engineer")
    assert stored.status_code == 200
