"""The dispatchers' console: the board, a new application, crew and team assignment, alerts."""
import pytest

from tests.factories import SUIZHOU_SITE, approved_orders, make_team, task_in, task_path

APPLICATION = {"applicant_unit": "随州市曾都区控制台测试公司", "address": "随州市曾都区文帝大道1号",
               "contact_name": "陈经理", "contact_phone": "13872345678", "utilities": ["water", "gas"],
               "lon": str(SUIZHOU_SITE[0]), "lat": str(SUIZHOU_SITE[1]), "customer_class": "enterprise",
               "business_type": "new", "channel": "counter", "water_demand_t_per_day": "12"}


def _column(html: str, status: str) -> str:
    start = html.index(f'data-status="{status}"')
    end = html.find('<section class="column"', start)
    return html[start:end if end > 0 else None]


def test_a_new_application_lands_on_the_board_and_gets_a_crew(signed_in, api_of, tenant):
    dispatcher = signed_in("dispatcher")
    created = dispatcher.post("/console/applications", APPLICATION, follow_redirects=True)
    assert created.status_code == 200 and "已创建" in created.get_data(as_text=True)
    task = api_of.get("/api/v1/tasks", as_="dispatcher", query_string={"status": "new"}).json[0]
    assert task["applicant_unit"] == APPLICATION["applicant_unit"] and task["utilities"] == ["water", "gas"]
    board = dispatcher.get("/console/board").get_data(as_text=True)
    assert f'data-task-id="{task["id"]}"' in _column(board, "new")
    dispatcher.post(f"/console/tasks/{task['id']}/transitions",
                    {"to": "assigned", "crew_id": str(tenant.crews["crew_a"].id), "back": "/console/board"})
    assert api_of.get(task_path(task["id"]), as_="dispatcher").json["crew_id"] == str(tenant.crews["crew_a"].id)
    assert f'data-task-id="{task["id"]}"' in _column(dispatcher.get("/console/board").get_data(as_text=True),
                                                     "assigned")


def test_an_application_is_validated_by_the_apis_schema(signed_in, api_of):
    dispatcher = signed_in("dispatcher")
    refused = dispatcher.post("/console/applications", {**APPLICATION, "contact_phone": "12"}, follow_redirects=True)
    assert "contact_phone" in refused.get_data(as_text=True)
    no_utility = dispatcher.post("/console/applications", {k: v for k, v in APPLICATION.items() if k != "utilities"},
                                 follow_redirects=True)
    assert "utilities" in no_utility.get_data(as_text=True)
    assert api_of.get("/api/v1/applications", as_="dispatcher").json == []


def test_board_filters_by_crew_utility_and_area(signed_in, api_of, tenant):
    mine = task_in(api_of, "assigned")
    other = task_in(api_of, "new", address="随州市广水市某路2号", utilities=["gas"])
    dispatcher = signed_in("dispatcher")
    by_crew = dispatcher.get("/console/board", query_string={"crew_id": str(tenant.crews["crew_a"].id)})
    assert mine in by_crew.get_data(as_text=True) and other not in by_crew.get_data(as_text=True)
    by_area = dispatcher.get("/console/board", query_string={"area": "广水"}).get_data(as_text=True)
    assert other in by_area and mine not in by_area
    water = dispatcher.get("/console/board", query_string={"utility": "water"}).get_data(as_text=True)
    assert mine in water and other not in water


@pytest.mark.parametrize("role", ["dispatcher", "admin"])
def test_a_work_order_shows_ranked_teams_on_a_map_and_takes_one(signed_in, api_of, role):
    team = make_team(api_of, "曾都区第一施工队", daily_capacity=2)
    make_team(api_of, "远方施工队", around=(SUIZHOU_SITE[0] + 1, SUIZHOU_SITE[1]))
    order = approved_orders(api_of)["water"]
    office = signed_in(role)
    assert order["id"] in office.get("/console/work-orders").get_data(as_text=True)
    page = office.get(f"/console/work-orders/{order['id']}").get_data(as_text=True)
    assert page.index("曾都区第一施工队") < page.index("远方施工队")
    data = office.get(f"/console/work-orders/{order['id']}/map.json").json
    assert [f["properties"]["name"] for f in data["layers"]["teams"]["features"]] == ["曾都区第一施工队", "远方施工队"]
    assert data["layers"]["site"]["features"][0]["geometry"]["coordinates"] == pytest.approx(list(SUIZHOU_SITE))
    office.post(f"/console/work-orders/{order['id']}/transitions", {"to": "assigned", "team_id": team["id"]})
    assert api_of.get(f"/api/v1/work-orders/{order['id']}", as_="dispatcher").json["team_id"] == team["id"]


def test_the_alerts_page_lists_raised_alerts(signed_in, api_of, app):
    from datetime import UTC, datetime, timedelta

    from server.extensions import db
    from server.services import alerts
    task_in(api_of, "new")
    with app.app_context():
        alerts.sweep(db.session, at=datetime.now(UTC) + timedelta(days=30), warning_share=0.75,
                     escalation_grace=timedelta(hours=24))
        db.session.commit()
    page = signed_in("dispatcher").get("/console/alerts", headers={"Accept-Language": "zh-CN"})
    assert page.status_code == 200 and "超期" in page.get_data(as_text=True)
