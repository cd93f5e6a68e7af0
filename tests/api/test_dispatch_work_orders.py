"""Work orders through HTTP: made at approval, suggested teams, capacity, Wuhu's next-day start, states, closing."""
import uuid
from datetime import datetime, time, timedelta

import pytest

from policy.calendar import SHANGHAI
from tests.factories import (
    SUIZHOU_SITE,
    WUHU_SITE,
    ApiClient,
    approved_orders,
    city_client,
    clocks,
    connect,
    make_team,
    move_order,
    stored_blob,
)

WUHU_REQUIRED = ["customers_booked_application_details", "acceptance_notice", "construction_drawings",
                 "material_requisition", "price_control_sheet", "work_start_report", "customer_acceptance_confirmation"]


@pytest.fixture
def wuhu(app, tenants):
    return city_client(app, tenants, "wuhu")


def order_path(order) -> str:
    return f"/api/v1/work-orders/{order['id']}"


def shanghai_day(iso: str):
    return datetime.fromisoformat(iso).astimezone(SHANGHAI).date()


def test_approval_makes_one_work_order_per_utility(wuhu):
    orders = approved_orders(wuhu, site=WUHU_SITE)
    assert sorted(orders) == ["gas", "water"]
    water, gas = orders["water"], orders["gas"]
    assert (water["status"], water["team_id"], water["allowed_transitions"]) == ("created", None, ["assigned"])
    assert water["number"].startswith("BZ")
    # Wuhu's post-connection documents (002 二(二)5) are for water; the receipt is "(如有)", optional.
    assert [item["key"] for item in water["checklist"] if not item["optional"]] == WUHU_REQUIRED
    assert [item["zh"] for item in water["checklist"] if item["optional"]] == ["市政聯合審批回執"]
    assert gas["checklist"] == []


def test_wuhu_construction_starts_the_day_after_the_work_order(wuhu):
    """002 二(二)5 工程管理部在接到任務單的次日進場施工: the start day is the next day, due by its end."""
    orders = approved_orders(wuhu, site=WUHU_SITE)
    water, gas = orders["water"], orders["gas"]
    made = shanghai_day(water["created_at"])
    assert water["start_on"] == (made + timedelta(days=1)).isoformat()
    assert gas["start_on"] == made.isoformat()  # no start rule for gas: it may start the same day
    clock = clocks(wuhu, water["application_id"])["water.construction_start"]
    assert datetime.fromisoformat(clock["started_at"]) == datetime.fromisoformat(water["created_at"])
    assert datetime.fromisoformat(clock["due_at"]) == datetime.combine(made + timedelta(days=2), time(0),
                                                                       tzinfo=SHANGHAI)
    assert (clock["anchor"], clock["rule"], clock["clause"]) == ("work_order_at", "W2", "002 二(二)5")


def test_suggestions_rank_covering_then_capacity_then_distance(api):
    lon, lat = SUIZHOU_SITE
    make_team(api, "A 覆盖", daily_capacity=2, utilities=("water",))
    make_team(api, "B 覆盖", daily_capacity=1)
    make_team(api, "C 近邻", daily_capacity=5, around=(lon + 0.2, lat))
    make_team(api, "D 远方", daily_capacity=5, around=(lon + 1.0, lat))
    make_team(api, "E 停用", active=False)
    make_team(api, "F 只做气", utilities=("gas",))
    order = approved_orders(api)["water"]

    ranked = api.get(f"{order_path(order)}/suggestions", as_="dispatcher").json
    assert ranked["start_on"] == order["start_on"]
    teams = ranked["teams"]
    assert [t["name"] for t in teams] == ["A 覆盖", "B 覆盖", "C 近邻", "D 远方"]
    assert [t["covers_site"] for t in teams] == [True, True, False, False]
    assert [t["remaining_capacity"] for t in teams] == [2, 1, 5, 5]
    assert teams[0]["distance_m"] == teams[1]["distance_m"] == 0
    # 0.15° of longitude at 31.69° N is about 14.2 km; the far team is 0.95° away.
    assert 14_000 < teams[2]["distance_m"] < 14_400
    assert teams[3]["distance_m"] > 6 * teams[2]["distance_m"]

    # Two other jobs starting the same day fill A: B, with a place left, now comes first.
    a_id = teams[0]["team_id"]
    for _ in range(2):
        other = approved_orders(api)["water"]
        assert move_order(api, other["id"], "assigned", team_id=a_id).status_code == 200
    teams = api.get(f"{order_path(order)}/suggestions", as_="dispatcher").json["teams"]
    assert [(t["name"], t["remaining_capacity"]) for t in teams] == [
        ("B 覆盖", 1), ("A 覆盖", 0), ("C 近邻", 5), ("D 远方", 5)]


def test_a_team_full_on_the_start_day_cannot_take_another_order(wuhu):
    team = make_team(wuhu, "鸠江区施工队", around=WUHU_SITE, daily_capacity=1)
    first = approved_orders(wuhu, site=WUHU_SITE)
    second = approved_orders(wuhu, site=WUHU_SITE)
    assert move_order(wuhu, first["water"]["id"], "assigned", team_id=team["id"]).status_code == 200

    suggested = wuhu.get(f"{order_path(second['water'])}/suggestions", as_="dispatcher").json["teams"]
    assert [(t["name"], t["remaining_capacity"]) for t in suggested] == [("鸠江区施工队", 0)]
    full = move_order(wuhu, second["water"]["id"], "assigned", team_id=team["id"])
    assert (full.status_code, full.json["code"], full.json["field"]) == (409, "team_at_capacity", "team_id")
    assert full.json["details"] == {"start_on": second["water"]["start_on"], "booked": 1, "daily_capacity": 1}
    # Gas starts the day of the order, the day before water: that day still has its place.
    assert move_order(wuhu, first["gas"]["id"], "assigned", team_id=team["id"]).status_code == 200
    # Reassigning an order to its own team does not count it twice.
    assert move_order(wuhu, first["water"]["id"], "assigned", team_id=team["id"]).status_code == 200


@pytest.mark.parametrize("body, status, code", [
    ({}, 422, "team_required"),
    ({"team_id": str(uuid.uuid4())}, 422, "unknown_team"),
])
def test_assigning_needs_a_known_team(api, body, status, code):
    order = approved_orders(api)["water"]
    response = move_order(api, order["id"], "assigned", **body)
    assert (response.status_code, response.json["code"], response.json["field"]) == (status, code, "team_id")


def test_a_team_without_the_skill_is_refused(api):
    gas_team = make_team(api, "燃气队", utilities=("gas",))
    order = approved_orders(api)["water"]
    response = move_order(api, order["id"], "assigned", team_id=gas_team["id"])
    assert (response.status_code, response.json["code"]) == (422, "team_lacks_utility")


def test_illegal_transitions_are_409_listing_the_allowed_ones(api):
    team = make_team(api, "一队")
    order = approved_orders(api)["water"]
    response = move_order(api, order["id"], "in_progress")
    assert (response.status_code, response.json["code"]) == (409, "illegal_transition")
    assert response.json["details"] == {"status": "created", "to": "in_progress", "allowed": ["assigned"]}
    assert move_order(api, order["id"], "assigned", team_id=team["id"]).status_code == 200
    response = move_order(api, order["id"], "in_progress", team_id=team["id"])
    assert (response.status_code, response.json["code"]) == (422, "team_not_expected")
    back = move_order(api, order["id"], "created")  # found by schemathesis: was a 500
    assert (back.status_code, back.json["code"]) == (409, "illegal_transition")


def test_states_stamp_their_times_and_connection_finishes_its_clocks(wuhu):
    team = make_team(wuhu, "镜湖区施工队", around=WUHU_SITE)
    water = approved_orders(wuhu, site=WUHU_SITE)["water"]
    connected = connect(wuhu, water["id"], team["id"])
    assert connected["status"] == "connected"
    assert connected["allowed_transitions"] == ["closed"]
    stamps = [connected[name] for name in ("assigned_at", "started_at", "completed_at", "connected_at")]
    assert None not in stamps and stamps == sorted(stamps)
    steps = clocks(wuhu, water["application_id"])
    # Started: 次日進場 is done; connected: 通水當天 system entry is done by recording it.
    assert steps["water.construction_start"]["done_at"] == connected["started_at"]
    assert steps["water.system_entry"]["done_at"] == connected["connected_at"]
    assert steps["water.system_entry"]["started_at"] == connected["connected_at"]


def test_closing_waits_for_the_post_connection_documents(wuhu, db_session):
    team = make_team(wuhu, "弋江区施工队", around=WUHU_SITE)
    water = approved_orders(wuhu, site=WUHU_SITE)["water"]
    connect(wuhu, water["id"], team["id"])

    refused = move_order(wuhu, water["id"], "closed")
    assert (refused.status_code, refused.json["code"]) == (409, "checklist_incomplete")
    assert [item["key"] for item in refused.json["details"]["missing"]] == WUHU_REQUIRED

    documents = f"{order_path(water)}/documents"
    scan = stored_blob(db_session, wuhu.world, b"%PDF-1.4 scanned document")
    never_uploaded = "0" * 64
    missing = wuhu.put(f"{documents}/acceptance_notice", as_="dispatcher", json={"blobs": [scan, never_uploaded]})
    assert (missing.status_code, missing.json["code"], missing.json["field"]) == (422, "missing_blob", "blobs[1]")
    assert missing.json["details"] == {"missing": [never_uploaded]}
    malformed = wuhu.put(f"{documents}/acceptance_notice", as_="dispatcher", json={"blobs": ["not-a-sha"]})
    assert (malformed.status_code, malformed.json["field"]) == (422, "blobs[0]")
    assert wuhu.put(f"{documents}/invoice", as_="dispatcher", json={"blobs": [scan]}).status_code == 404

    for key in WUHU_REQUIRED[:-1]:
        assert wuhu.put(f"{documents}/{key}", as_="dispatcher", json={"blobs": [scan]}).status_code == 200
    still = move_order(wuhu, water["id"], "closed")
    assert [item["zh"] for item in still.json["details"]["missing"]] == ["客戶驗收確認單"]
    recorded = wuhu.put(f"{documents}/{WUHU_REQUIRED[-1]}", as_="dispatcher", json={"blobs": [scan]})
    assert [item["blobs"] for item in recorded.json["checklist"] if not item["optional"]] == [[scan]] * 7

    closed = move_order(wuhu, water["id"], "closed")
    assert (closed.status_code, closed.json["status"], closed.json["allowed_transitions"]) == (200, "closed", [])
    assert closed.json["closed_at"] is not None
    late = wuhu.put(f"{documents}/acceptance_notice", as_="dispatcher", json={"blobs": [scan]})
    assert (late.status_code, late.json["code"]) == (409, "work_order_closed")


def test_a_profile_without_documents_closes_after_connection(api):
    team = make_team(api, "一队")
    order = approved_orders(api)["gas"]
    connect(api, order["id"], team["id"])
    assert move_order(api, order["id"], "closed").json["status"] == "closed"


def test_work_orders_are_listed_by_start_and_filtered(api):
    team = make_team(api, "一队")
    orders = approved_orders(api)
    move_order(api, orders["gas"]["id"], "assigned", team_id=team["id"])
    listed = api.get("/api/v1/work-orders", as_="dispatcher", query_string={"status": "assigned"}).json
    assert [(o["utility"], o["team_id"]) for o in listed] == [("gas", team["id"])]
    by_team = api.get("/api/v1/work-orders", as_="admin", query_string={"team_id": team["id"]}).json
    assert [o["id"] for o in by_team] == [orders["gas"]["id"]]


@pytest.mark.parametrize("role", ["crew", "engineer"])
def test_only_admins_and_dispatchers_handle_work_orders(api, role):
    order = approved_orders(api)["water"]
    assert api.get(order_path(order), as_=role).status_code == 403
    assert move_order(api, order["id"], "assigned", as_=role).status_code == 403


def test_another_tenants_work_order_does_not_exist(api, app, other_tenant):
    order = approved_orders(api)["water"]
    other = ApiClient(app.test_client(), other_tenant)
    assert other.get(order_path(order), as_="dispatcher").status_code == 404
    assert other.get(f"{order_path(order)}/suggestions", as_="dispatcher").status_code == 404
    assert move_order(other, order["id"], "assigned", team_id=str(uuid.uuid4())).status_code == 404
