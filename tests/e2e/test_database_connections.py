"""The served build and its database connections: ones the database dropped cost no failed request."""
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from server.extensions import db
from tests.e2e.conftest import LiveServer, RemoteApi

APPLICATION_NAME = "tapline-dropped-connections-test"


def test_pooled_connections_the_database_dropped_cost_no_failed_request(migrated, world):
    """A database restart, or a proxy timing idle connections out, closes the connections a worker keeps in its
    pool; each is replaced when it is next taken (pre-ping), not found dead by a request that then fails."""
    url = make_url(migrated).update_query_dict({"application_name": APPLICATION_NAME})
    with LiveServer(url.render_as_string(hide_password=False), workers=1) as server:
        api = RemoteApi(server, world)
        assert [api.get("/api/v1/tasks", as_="crew").status_code for _ in range(3)] == [200] * 3
        with Session(db.engine) as session:
            # What a restart does to each of the server's connections, short of stopping the suite's database.
            dropped = session.execute(text("select count(*) filter (where pg_terminate_backend(pid)) "
                                           "from pg_stat_activity where application_name = :name"),
                                      {"name": APPLICATION_NAME}).scalar_one()
        assert dropped >= 1
        assert [api.get("/api/v1/tasks", as_="crew").status_code for _ in range(3)] == [200] * 3
