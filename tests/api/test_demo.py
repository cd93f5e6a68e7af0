"""The demo `make run` seeds: every approval path decided once, a crossing to see, tokens that work."""
from sqlalchemy import select

from server.demo import DEMO_SLUG, demo_password, demo_token, seed_demo
from server.extensions import db
from server.models import Determination


def test_demo_decides_every_approval_path_and_shows_a_crossing(app, db_session):
    with app.app_context():
        lines = seed_demo(db.session, max_vertices=app.config["MAX_VERTICES"])
        again = seed_demo(db.session, max_vertices=app.config["MAX_VERTICES"])
        decisions = db.session.scalars(select(Determination)).all()
    assert lines == again
    assert any(demo_token("crew1") in line for line in lines)
    paths = {d.decision["approval_path"] for d in decisions}
    assert paths >= {"notify_commit", "tolerant_parallel", "filing", "escalate", "commitment_filing"}
    assert any(d.decision["free_installation"] for d in decisions)
    assert any(d.measurement["crossings"] for d in decisions)
    assert len(decisions) == 6
    orders = client_get(app, "/api/v1/work-orders", "dispatcher")
    assert [o["status"] for o in orders] == ["created"]
    suggested = client_get(app, f"/api/v1/work-orders/{orders[0]['id']}/suggestions", "dispatcher")
    assert suggested["teams"][0]["name"] == "曾都区第一施工队"


def test_demo_tokens_speak_for_every_role(app, db_session):
    with app.app_context():
        seed_demo(db.session, max_vertices=app.config["MAX_VERTICES"])
    client = app.test_client()
    for username, role in (("admin", "admin"), ("engineer", "engineer"), ("dispatcher", "dispatcher"),
                           ("crew1", "crew")):
        me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {demo_token(username)}"})
        assert me.json["user"]["role"] == role


def test_demo_users_sign_in_to_the_console_with_the_printed_password(app, db_session):
    with app.app_context():
        lines = seed_demo(db.session, max_vertices=app.config["MAX_VERTICES"])
    assert any(demo_password("engineer") in line for line in lines)
    client = app.test_client()
    page = client.get("/console/sign-in").get_data(as_text=True)
    csrf = page.split('name="csrf-token" content="')[1].split('"')[0]
    signed_in = client.post("/console/sign-in", data={"tenant": DEMO_SLUG, "username": "engineer",
                                                      "password": demo_password("engineer"), "csrf_token": csrf})
    assert (signed_in.status_code, signed_in.headers["Location"]) == (303, "/console/")
    assert client.get("/console/review").status_code == 200


def client_get(app, path: str, username: str):
    response = app.test_client().get(path, headers={"Authorization": f"Bearer {demo_token(username)}"})
    assert response.status_code == 200, response.json
    return response.json
