"""The database extension: one engine per process, one session per request, committed by services."""
import orjson
from flask import Flask, g
from sqlalchemy import create_engine
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker


def normalise_url(url: str) -> str:
    """Accept the libpq-style `postgresql://` URLs operators paste and use the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


class Database:
    """Engine and session factory, created in `init_app` so nothing connects at import time."""

    engine: Engine
    sessionmaker: sessionmaker

    def init_app(self, app: Flask) -> None:
        url = app.config["DATABASE_URL"]
        if not url:
            raise RuntimeError("DATABASE_URL is not set: point it at a PostGIS database (see README)")
        self.engine = create_engine(
            normalise_url(url),
            pool_size=app.config["DB_POOL_SIZE"],
            max_overflow=app.config["DB_MAX_OVERFLOW"],
            pool_pre_ping=True,
            # JIT compiling costs milliseconds per query and pays off only on analytics-sized scans;
            # every query here is a short OLTP one.
            connect_args={"options": "-c jit=off"},
            # Records come with their GeoJSON written by PostGIS as json columns; a pull of 1,000 records
            # parses 5,000 of them, and the standard library's parser was a third of the pull's time.
            json_deserializer=orjson.loads,
        )
        self.sessionmaker = sessionmaker(self.engine, expire_on_commit=False)
        app.extensions["tapline_db"] = self
        app.teardown_appcontext(self._close_session)

    @property
    def session(self) -> Session:
        """The request's session; a service commits it once, teardown closes it."""
        if "db_session" not in g:
            g.db_session = self.sessionmaker()
        return g.db_session

    @staticmethod
    def _close_session(_exc: BaseException | None) -> None:
        session = g.pop("db_session", None)
        if session is not None:
            session.close()
