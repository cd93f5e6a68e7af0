"""Fixtures shared by the suites that talk to PostGIS: app, client, a rolled-back session per test, users per role.

Unit tests of the pure packages never request these, so they run without a database.
"""
import os

import pytest
from flask import request
from hypothesis import settings
from sqlalchemy import create_engine, text
from sqlalchemy.orm import sessionmaker

from server import create_app, migrate
from server.config import Config
from server.error_codes import CATALOGUE
from server.extensions import db
from tests.factories import ApiClient, TenantFactory
from tests.replication import pgbouncer, standby  # noqa: F401  (session fixtures, built only when asked for)

# CI runs the same examples every time: a property failure is reproducible, never a one-off red build.
settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


@pytest.fixture(scope="session")
def database_url() -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        pytest.fail("TEST_DATABASE_URL is not set: run the suite with `make test`, which starts a PostGIS")
    return url


@pytest.fixture(scope="session")
def migrated(database_url):
    """A clean schema built by the migrations, as production builds it."""
    engine = create_engine(migrate.normalise_url(database_url))
    with engine.begin() as connection:
        connection.execute(text("drop schema if exists public cascade; create schema public; "
                                "create extension postgis"))
    migrate.upgrade(database_url)
    engine.dispose()
    return database_url


#: Codes responses carried during the current test that the catalogue lacks or gives another status.
UNCATALOGUED: list[str] = []


@pytest.fixture(scope="session")
def app(migrated, tmp_path_factory):
    app = create_app(Config(DATABASE_URL=migrated, LOG_REQUESTS=False, SECRET_KEY="test-secret",
                            BLOB_DIR=str(tmp_path_factory.mktemp("blobs"))))
    app.after_request(_note_uncatalogued_codes)
    return app


def _note_uncatalogued_codes(response):
    """Every code an error or a push receipt carries is in the catalogue the docs are made from, and an error
    answers with its code's status."""
    body = response.get_json(silent=True) if response.is_json and not response.direct_passthrough else None
    if not isinstance(body, dict):
        return response
    where = f"{request.method} {request.path} {response.status_code}"
    code = CATALOGUE.get(body.get("code"))
    if response.status_code >= 400 and (code is None or code.status != response.status_code):
        UNCATALOGUED.append(f"{body.get('code')} ({where})")
    UNCATALOGUED.extend(f"{error.get('code')} ({where}, a receipt)" for receipt in body.get("receipts") or []
                        for error in receipt.get("errors") or [] if error.get("code") not in CATALOGUE)
    return response


@pytest.fixture(autouse=True)
def every_code_is_catalogued():
    UNCATALOGUED.clear()
    yield
    assert not UNCATALOGUED, f"codes server/error_codes.py lacks, or answered with another status: {UNCATALOGUED}"


@pytest.fixture
def db_session(app):
    """Every session the app opens joins one outer transaction that is rolled back after the test."""
    connection = db.engine.connect()
    outer = connection.begin()
    real = db.sessionmaker
    db.sessionmaker = sessionmaker(bind=connection, join_transaction_mode="create_savepoint",
                                   expire_on_commit=False)
    session = db.sessionmaker()
    yield session
    session.close()
    db.sessionmaker = real
    outer.rollback()
    connection.close()


@pytest.fixture
def tenants(db_session):
    return TenantFactory(db_session)


@pytest.fixture
def tenant(tenants):
    """A tenant with one user (and token) per role, and a crew holding the crew user."""
    return tenants.make(slug="suizhou-test", profile_id="suizhou")


@pytest.fixture
def other_tenant(tenants):
    return tenants.make(slug="jingmen-test", profile_id="jingmen")


@pytest.fixture
def api(app, db_session, tenant):
    """An HTTP client that speaks as a named user: api.get(path, as_="dispatcher")."""
    return ApiClient(app.test_client(), tenant)
