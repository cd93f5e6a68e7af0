"""The office console in Debian's headless Chromium against a live gunicorn: what engineers, dispatchers and
admins do, with the features the map drew counted in the page and no JavaScript error anywhere."""
import os
import uuid
from pathlib import Path

import pytest
import requests
from playwright.sync_api import expect, sync_playwright
from sqlalchemy.orm import Session

from server.extensions import db
from server.services.passwords import hash_password
from tests.e2e.conftest import LiveServer, RemoteApi
from tests.factories import SUIZHOU_SITE, TenantFactory, make_survey, make_team, move, put_survey, task_in

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"]
PASSWORD = "browser test password"
DOCS_SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
RIVER = {"type": "Feature", "properties": {"layer": "river", "name": "㵐水"},
         "geometry": {"type": "LineString", "coordinates": [[113.3730, 31.680], [113.3730, 31.700]]}}
LAYER_SIZES = """() => Object.fromEntries(Object.entries(window.taplineMap.sources)
                                        .map(([name, source]) => [name, source.getFeatures().length]))"""


@pytest.fixture(scope="module")
def world(app):
    """A committed tenant the server sees, its office users with passwords, and a river its routes cross."""
    with Session(db.engine, expire_on_commit=False) as session:
        world = TenantFactory(session).make(slug=f"console-{uuid.uuid4().hex[:8]}", profile_id="suizhou")
        hashed = hash_password(PASSWORD)
        for user in world.users.values():
            session.merge(user).password_hash = hashed
        session.commit()
    return world


@pytest.fixture(scope="module")
def server(migrated):
    live = LiveServer(migrated)
    live.env["TAPLINE_SECRET_KEY"] = uuid.uuid4().hex
    with live:
        yield live


@pytest.fixture(scope="module")
def remote(server, world):
    api = RemoteApi(server, world)
    assert api.post("/api/v1/constraint-layers/import", json={"features": [RIVER]}).status_code == 201
    return api


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory) -> Path:
    """Where the screenshots go: docs/screenshots with TAPLINE_SCREENSHOTS=1 (to refresh the README's), else a
    temporary folder, so a test run leaves the checkout clean."""
    return DOCS_SCREENSHOTS if os.environ.get("TAPLINE_SCREENSHOTS") == "1" else tmp_path_factory.mktemp("shots")


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, server):
    """A fresh Chinese-language browser context; fails the test on any JavaScript error or console error."""
    context = browser.new_context(locale="zh-CN", viewport={"width": 1400, "height": 900}, base_url=server.url)
    page = context.new_page()
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert errors == []


def sign_in(page, world, username: str) -> None:
    page.goto("/console/sign-in")
    page.fill("input[name=tenant]", world.tenant.slug)
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("#sign-in-form button[type=submit]")


@pytest.mark.parametrize("username, lands_on, shows", [
    ("engineer", "/console/review", "审核队列"), ("dispatcher", "/console/board", "调度看板"),
    ("admin", "/console/admin/users", "新建用户"), ("crew", "/console/", "踏勘员请在平板上处理任务")])
def test_each_role_signs_in_and_out(page, world, username, lands_on, shows):
    sign_in(page, world, username)
    page.wait_for_url(f"**{lands_on}")
    expect(page.locator("main")).to_contain_text(shows)
    page.click("#sign-out")
    page.wait_for_url("**/console/sign-in")


def test_engineer_reviews_on_the_map_returns_and_approves(page, world, remote, screenshots):
    task_id = task_in(remote, "submitted")
    sign_in(page, world, "engineer")
    page.click(f'#review-queue tr[data-task-id="{task_id}"] a')
    page.wait_for_selector("#map[data-rendered=true]")
    drawn = page.evaluate(LAYER_SIZES)
    assert drawn["red_line"] == 2 and drawn["route"] == 2 and drawn["route_outside"] == 2
    assert drawn["crossings"] >= 1 and drawn["constraints"] == 1
    rendered = page.evaluate("""() => window.taplineMap.map.getAllLayers()
        .filter((layer) => layer.get('name') === 'route' && layer.getVisible()).length""")
    assert rendered == 1
    page.screenshot(path=screenshots / "review.png", full_page=True)

    pixel = page.evaluate("""() => {
        const {map, sources} = window.taplineMap;
        const vertex = sources.vertices.getFeatures().find((f) => f.get('of') === 'route' && f.get('index') === 0);
        return map.getPixelFromCoordinate(vertex.getGeometry().getCoordinates());
    }""")
    page.locator("#map").click(position={"x": pixel[0], "y": pixel[1]})
    page.wait_for_function("document.getElementById('comment-vertex').value !== ''")
    page.fill("#comment-form textarea[name=body]", "起点应落在市政管道上")
    page.click("#comment-form button[type=submit]")
    expect(page.locator("#comments")).to_contain_text("起点应落在市政管道上")
    comment = remote.get(f"/api/v1/tasks/{task_id}", as_="engineer").json["comments"][0]
    first_route_vertex = make_survey(SUIZHOU_SITE)["route"]["coordinates"][0]
    assert comment["target"]["vertex"] == pytest.approx(first_route_vertex)

    page.fill("#return-form input[name=reason]", "起点未接市政管道，请重测")
    page.click("#return-form button[type=submit]")
    expect(page.locator(".status")).to_contain_text("已退回")
    assert move(remote, task_id, "on_site", as_="crew").status_code == 200
    for utility in ("water", "gas"):
        assert put_survey(remote, task_id, utility, make_survey(outside_deg=0.001)).status_code == 200
    assert move(remote, task_id, "submitted", as_="crew").status_code == 200
    page.reload()
    page.click("#approve-form button[type=submit]")
    expect(page.locator(".status")).to_contain_text("已通过")
    assert remote.get(f"/api/v1/tasks/{task_id}", as_="engineer").json["status"] == "approved"


def test_dispatcher_creates_an_application_assigns_a_crew_and_a_team(page, world, remote, screenshots):
    sign_in(page, world, "dispatcher")
    page.click("#new-application")
    page.check("input[name=utilities][value=gas]")
    page.fill("input[name=applicant_unit]", "随州市浏览器测试有限公司")
    page.fill("input[name=address]", "随州市曾都区测试路1号")
    page.fill("input[name=contact_name]", "周经理")
    page.fill("input[name=contact_phone]", "13872340000")
    page.fill("input[name=lon]", str(SUIZHOU_SITE[0]))
    page.fill("input[name=lat]", str(SUIZHOU_SITE[1]))
    page.click("#application-form button[type=submit]")
    page.wait_for_url("**/console/board")
    ticket = page.locator('section[data-status=new] .ticket', has_text="随州市浏览器测试有限公司")
    expect(ticket).to_have_count(1)
    ticket.locator("select[name=crew_id]").select_option(label="crew_a")
    ticket.locator("button[type=submit]").click()
    assigned = page.locator('section[data-status=assigned] .ticket', has_text="随州市浏览器测试有限公司")
    expect(assigned).to_contain_text("crew_a")
    page.screenshot(path=screenshots / "board.png", full_page=True)

    make_team(remote, "曾都区第一施工队", daily_capacity=3)
    task_id = task_in(remote, "approved")
    application_id = remote.get(f"/api/v1/tasks/{task_id}", as_="dispatcher").json["application_id"]
    order = remote.get(f"/api/v1/work-orders?application_id={application_id}&utility=water", as_="dispatcher").json[0]
    page.goto(f"/console/work-orders/{order['id']}")
    page.wait_for_selector("#map[data-rendered=true]")
    assert page.evaluate(LAYER_SIZES) == {"teams": 1, "site": 1}
    page.locator("#suggestions tr", has_text="曾都区第一施工队").locator("button.assign-team").click()
    expect(page.locator("h1 .status")).to_contain_text("已派")
    assert remote.get(f"/api/v1/work-orders/{order['id']}", as_="dispatcher").json["team_id"] is not None


def test_admin_provisions_and_revokes_a_tablet(page, world, remote, server, screenshots):
    sign_in(page, world, "admin")
    page.goto("/console/admin/devices")
    page.select_option("#register-device select[name=user_id]", label="crew_b 测试 (crew_b)")
    page.fill("#register-device input[name=name]", "平板 07")
    page.click("#register-device button[type=submit]")
    expect(page.locator("#provisioning-qr svg")).to_have_count(1)
    token = page.inner_text("#device-token")
    assert requests.get(f"{server.url}/api/v1/me", headers={"Authorization": f"Bearer {token}"}, timeout=10) \
        .status_code == 200
    page.screenshot(path=screenshots / "admin.png", full_page=True)
    page.locator("#devices tr", has_text="平板 07").locator("button.revoke").click()
    expect(page.locator("#devices tr", has_text="平板 07")).to_contain_text("吊销")
    revoked = requests.get(f"{server.url}/api/v1/me", headers={"Authorization": f"Bearer {token}"}, timeout=10)
    assert (revoked.status_code, revoked.json()["code"]) == (401, "device_revoked")
