"""Signing in to the console: passwords, the session cookie, CSRF, sign-out and the failure limit."""
import re

import pytest

from tests.console.conftest import PASSWORD, ConsoleClient

HOMES = {"engineer": "/console/review", "dispatcher": "/console/board", "admin": "/console/admin/users"}


@pytest.mark.parametrize("username", ["engineer", "dispatcher", "admin"])
def test_each_office_role_lands_on_its_work(console, username):
    response = console.sign_in(username)
    assert response.status_code == 303
    home = console.get(response.headers["Location"])
    assert (home.status_code, home.headers["Location"]) == (302, HOMES[username])


def test_a_crew_member_is_sent_to_the_tablet(console):
    home = console.get(console.sign_in("crew").headers["Location"], headers={"Accept-Language": "zh-CN"})
    assert home.status_code == 200
    assert "踏勘员请在平板上处理任务" in home.get_data(as_text=True)


def test_english_by_switch_and_by_accept_language(console):
    console.sign_in("crew")
    assert "Survey crews work on their tablets" in console.get("/console/", headers={
        "Accept-Language": "en-US,en;q=0.9"}).get_data(as_text=True)
    console.get("/console/language/zh")
    assert "踏勘员" in console.get("/console/", headers={"Accept-Language": "en"}).get_data(as_text=True)


def test_the_session_cookie_is_httponly_lax_and_secure_over_tls(app, with_passwords):
    for base_url, secure in (("http://localhost", False), ("https://localhost", True)):
        client = ConsoleClient(app.test_client(), with_passwords)
        token = re.search(r'name="csrf-token" content="([^"]+)"',
                          client.client.get("/console/sign-in", base_url=base_url).get_data(as_text=True)).group(1)
        # Over TLS, Flask-WTF also wants the Referer to be this site.
        response = client.client.post("/console/sign-in", base_url=base_url, headers={
            "Referer": f"{base_url}/console/sign-in"}, data={
            "tenant": with_passwords.tenant.slug, "username": "engineer", "password": PASSWORD, "csrf_token": token})
        cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("tapline_console="))
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
        assert ("Secure" in cookie) is secure


@pytest.mark.parametrize("password", ["wrong password", ""])
def test_a_wrong_password_is_refused_without_saying_which_part(console, password):
    refused = console.sign_in("engineer", password=password)
    assert refused.headers["Location"].startswith("/console/sign-in")
    page = console.get(refused.headers["Location"]).get_data(as_text=True)
    assert "the unit, user name or password is wrong" in page
    assert console.get("/console/review").status_code == 302


def test_an_unknown_user_and_a_user_without_password_are_refused_alike(console, tenant, db_session):
    tenant.users["crew_b"].password_hash = None
    db_session.commit()
    for username in ("nobody", "crew_b"):
        assert console.sign_in(username).headers["Location"].startswith("/console/sign-in")


def test_failed_sign_ins_share_the_token_limit(app, console, api_of, monkeypatch):
    monkeypatch.setitem(app.config, "AUTH_FAILURES_PER_MINUTE", 3)
    assert api_of.get("/api/v1/me", token="tpl_not_a_token").status_code == 401
    for _ in range(2):
        console.sign_in("engineer", password="wrong password")
    limited = console.sign_in("engineer")
    assert limited.status_code == 429, "a password can be guessed: past the limit even the right one waits"
    assert api_of.get("/api/v1/me", as_="engineer").status_code == 200, "a valid token is never locked out"


def test_posts_without_the_csrf_token_are_refused(console, signed_in):
    assert console.post("/console/sign-in", {"tenant": "x", "username": "engineer", "password": PASSWORD},
                        csrf=False).status_code == 400
    engineer = signed_in("engineer")
    refused = engineer.post("/console/sign-out", csrf=False)
    assert refused.status_code == 400
    assert "csrf_failed" in refused.get_data(as_text=True)
    assert engineer.get("/console/review").status_code == 200


def test_sign_out_revokes_the_session(signed_in, api_of, tenant):
    engineer = signed_in("engineer")
    devices = api_of.get("/api/v1/devices", query_string={"user_id": str(tenant.users["engineer"].id)}).json
    session = next(d for d in devices if d["kind"] == "console")
    assert session["revoked_at"] is None
    assert engineer.post("/console/sign-out").status_code == 303
    assert engineer.get("/console/review").headers["Location"].startswith("/console/sign-in")
    assert api_of.get(f"/api/v1/devices/{session['id']}").json["revoked_at"] is not None


def test_an_admin_revoking_the_session_or_deactivating_the_user_signs_it_out(signed_in, api_of, tenant):
    engineer = signed_in("engineer")
    devices = api_of.get("/api/v1/devices", query_string={"user_id": str(tenant.users["engineer"].id)}).json
    session = next(d for d in devices if d["kind"] == "console")
    assert api_of.post(f"/api/v1/devices/{session['id']}/revoke").status_code == 200
    assert engineer.get("/console/review").headers["Location"].startswith("/console/sign-in")
    dispatcher = signed_in("dispatcher")
    user = api_of.get(f"/api/v1/users/{tenant.users['dispatcher'].id}")
    api_of.patch(f"/api/v1/users/{tenant.users['dispatcher'].id}", json={"active": False},
                 headers={"If-Match": user.headers["ETag"]})
    assert dispatcher.get("/console/board").headers["Location"].startswith("/console/sign-in")
    assert ConsoleClient(dispatcher.client, tenant).sign_in("dispatcher").headers["Location"].startswith(
        "/console/sign-in")


def test_admins_set_passwords_through_the_api(console, api_of, tenant):
    path = f"/api/v1/users/{tenant.users['crew_b'].id}"
    etag = api_of.get(path).headers["ETag"]
    short = api_of.patch(path, json={"password": "short"}, headers={"If-Match": etag})
    assert (short.status_code, short.json["field"]) == (422, "password")
    changed = api_of.patch(path, json={"password": "a new long password"}, headers={"If-Match": etag})
    assert changed.status_code == 200 and "password" not in changed.json
    assert console.sign_in("crew_b", password="a new long password").headers["Location"] == "/console/"
    created = api_of.post("/api/v1/users", json={"username": "li.gong", "display_name": "李工", "role": "engineer",
                                                 "password": "another long password"})
    assert created.status_code == 201 and "password" not in created.json
    assert console.sign_in("li.gong", password="another long password").headers["Location"] == "/console/"


def test_next_never_leaves_the_console(console):
    assert console.sign_in("engineer", next="https://evil.example/").headers["Location"] == "/console/"
    assert console.sign_in("engineer", next="/console/review").headers["Location"] == "/console/review"
