"""The console in-process: a Flask test client that signs in with a password and sends the CSRF token."""
import re

import pytest

from server.services.passwords import hash_password
from tests.factories import ApiClient

PASSWORD = "correct horse battery"
_CSRF = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


@pytest.fixture(scope="session")
def password_hash() -> str:
    """One argon2 hash for every test user: hashing is deliberately slow."""
    return hash_password(PASSWORD)


class ConsoleClient:
    """A browser-like client: keeps cookies, reads the CSRF token off pages, signs in as a world's user."""

    def __init__(self, client, world):
        self.client, self.world = client, world

    def csrf_token(self) -> str:
        return _CSRF.search(self.client.get("/console/sign-in").get_data(as_text=True)).group(1)

    def sign_in(self, username: str, password: str = PASSWORD, **extra):
        data = {"tenant": self.world.tenant.slug, "username": username, "password": password,
                "csrf_token": self.csrf_token(), **extra}
        return self.client.post("/console/sign-in", data=data)

    def get(self, path: str, **kwargs):
        return self.client.get(path, **kwargs)

    def post(self, path: str, data: dict | None = None, *, csrf: bool = True, **kwargs):
        data = dict(data or {})
        if csrf:
            data["csrf_token"] = self.csrf_token()
        return self.client.post(path, data=data, **kwargs)


@pytest.fixture
def with_passwords(tenant, db_session, password_hash):
    for user in tenant.users.values():
        user.password_hash = password_hash
    db_session.commit()
    return tenant


@pytest.fixture
def console(app, with_passwords):
    """A fresh browser for the tenant's users; `console.sign_in("engineer")`."""
    return ConsoleClient(app.test_client(), with_passwords)


@pytest.fixture
def signed_in(app, with_passwords):
    """signed_in("engineer") -> a ConsoleClient already signed in as that user."""
    def sign_in(username: str) -> ConsoleClient:
        client = ConsoleClient(app.test_client(), with_passwords)
        assert client.sign_in(username).status_code == 303
        return client
    return sign_in


@pytest.fixture
def api_of(app, tenant):
    return ApiClient(app.test_client(), tenant)
