"""Every console page and action lets through exactly the roles of its API counterpart; others get 403."""
import uuid

import pytest

from schemas.users import ROLES
from server.api.applications import Applications
from server.api.tasks import Comments
from server.console import blp

# The pages anyone may open: signing in, choosing a language, the static files.
OPEN = {"console.sign_in", "console.sign_in_submit", "console.choose_language", "console.static"}
ARGUMENTS = {"task_id": uuid.uuid4(), "conflict_id": uuid.uuid4(), "order_id": uuid.uuid4(), "user_id": uuid.uuid4(),
             "device_id": uuid.uuid4(), "crew_id": uuid.uuid4(), "sha256": "0" * 64, "year": 2026}


def _console_routes(app) -> list[tuple]:
    """(rule, view, a path to it) of every console route but the open ones."""
    with app.test_request_context():
        return [(rule, app.view_functions[rule.endpoint],
                 app.url_for(rule.endpoint, **{name: ARGUMENTS[name] for name in rule.arguments}))
                for rule in app.url_map.iter_rules()
                if rule.endpoint.startswith(f"{blp.name}.") and rule.endpoint not in OPEN]


def test_every_console_view_checks_roles(app):
    unguarded = [rule.endpoint for rule, view, _ in _console_routes(app) if not hasattr(view, "required_roles")]
    assert unguarded == []


@pytest.mark.parametrize("role", ROLES)
def test_a_role_without_access_gets_403_on_every_page_and_action(app, signed_in, role):
    client = signed_in(role)
    routes = _console_routes(app)
    refused = []
    for rule, view, path in routes:
        if view.required_roles and role not in view.required_roles:
            method = "POST" if "POST" in rule.methods else "GET"
            response = client.post(path) if method == "POST" else client.get(path)
            refused.append((method, path, response.status_code))
    assert refused and {status for *_, status in refused} == {403}, refused


def test_signed_out_pages_send_to_sign_in(console, app):
    routes = _console_routes(app)
    for rule, _, path in routes:
        if "GET" in rule.methods:
            response = console.get(path)
            assert response.status_code == 302 and response.headers["Location"].startswith("/console/sign-in"), path


def test_the_console_checks_the_api_views_roles(app):
    """Spot checks that the console's rules are the API's (read off the API views, not restated)."""
    views = app.view_functions
    assert views["console.comment"].required_roles == Comments.post.required_roles
    assert views["console.create_application"].required_roles == Applications.post.required_roles
    assert views["console.revoke_device"].required_roles == ("admin",)
    assert set(views["console.task_page"].required_roles) == {"admin", "dispatcher", "engineer"}
    # The review queue is for whoever may approve.
    assert views["console.review_queue"].required_roles == ("engineer",)
