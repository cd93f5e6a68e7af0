"""The database extension: one engine per process, one session per request, committed by services' units of work.

With `DATABASE_REPLICA_URLS`, reads that tolerate lag (`Database.read`) go to a hot standby in rotation;
everything else goes to the primary. A write request's response names the primary's WAL position after
it (`Tapline-Write-Lsn`); a read that passes it back (`Tapline-Min-Lsn`) sees that write.
"""
from collections.abc import Iterator
from contextlib import contextmanager

import orjson
from flask import Flask, g, request
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from server.replicas import Replica, ReplicaSet, lost_connection
from server.unit_of_work import end_read, unit_of_work
from sync.lsn import parse_lsn

WRITE_POSITION_HEADER = "Tapline-Write-Lsn"
WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
READ_METHODS = ("GET", "HEAD")
# A standby that does not answer within this is skipped; it is checked again a few seconds later.
REPLICA_CONNECT_TIMEOUT_SECONDS = 2


def normalise_url(url: str) -> str:
    """Accept the libpq-style `postgresql://` URLs operators paste and use the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def replica_urls(config) -> list[str]:
    return [url.strip() for url in config["DATABASE_REPLICA_URLS"].split(",") if url.strip()]


class Database:
    """Engines and session factory, created in `init_app` so nothing connects at import time."""

    engine: Engine
    sessionmaker: sessionmaker
    replicas: ReplicaSet

    def init_app(self, app: Flask) -> None:
        url = app.config["DATABASE_URL"]
        if not url:
            raise RuntimeError("DATABASE_URL is not set: point it at a PostGIS database (see README)")
        self.engine = _engine(url, app.config)
        self.replicas = ReplicaSet(
            self.engine,
            [_engine(replica, app.config, connect_timeout=REPLICA_CONNECT_TIMEOUT_SECONDS)
             for replica in replica_urls(app.config)],
            max_lag_seconds=app.config["DB_REPLICA_MAX_LAG_SECONDS"],
            check_seconds=app.config["DB_REPLICA_CHECK_SECONDS"])
        self.sessionmaker = sessionmaker(self.engine, expire_on_commit=False)
        app.extensions["tapline_db"] = self
        app.after_request(self._stamp_write_position)
        app.after_request(self._end_read)
        app.teardown_appcontext(self._close_sessions)

    @property
    def session(self) -> Session:
        """The request's session on the primary; a service commits it once (a read's is committed by `_end_read`),
        teardown closes it."""
        if "db_session" not in g:
            g.db_session = self.sessionmaker()
        return g.db_session

    @contextmanager
    def apart(self) -> Iterator[Session]:
        """A short unit of work of its own beside the request's, for bookkeeping (a refusal counted, a device seen)
        that must neither wait for the request's commit nor be carried by it."""
        with self.sessionmaker() as session, unit_of_work(session):
            yield session

    def read(self, service, *args, min_lsn: str | None = None, primary_only: bool = False, **kwargs):
        """`service(session, *args, **kwargs)` for a read that tolerates lag: on a replica in rotation that has
        replayed `min_lsn` (a position a write returned), else (and with `primary_only`) on the primary.

        A replica that fails the read is taken out of rotation and the read runs again on the primary, so a
        stopped replica costs no failed request; `service` must therefore only read.
        """
        position = parse_lsn(min_lsn) if min_lsn else None
        replica = self.replicas.choose(position) if self.replicas and not primary_only else None
        if replica is not None:
            try:
                session = self._replica_session(replica)
                if position is None or _has_replayed(session, replica, position):
                    return service(session, *args, **kwargs)
            except DBAPIError as error:
                if not lost_connection(error):
                    raise
                self.replicas.take_out(replica, error)
            _discard(g.pop("db_replica_session"))
        return service(self.session, *args, **kwargs)

    def _replica_session(self, replica: Replica) -> Session:
        g.db_replica_session = Session(replica.engine, expire_on_commit=False)
        return g.db_replica_session

    def _stamp_write_position(self, response):
        """After a write, the position a replica must have replayed to show it (only replicas need it)."""
        if self.replicas and request.method in WRITE_METHODS and response.status_code < 400:
            position = self.session.execute(text("select pg_current_wal_insert_lsn()::text")).scalar_one()
            response.headers[WRITE_POSITION_HEADER] = position
        return response

    @staticmethod
    def _end_read(response):
        """A GET only reads the request's session (what it notes, such as a device seen, is written apart): end
        its transaction with `end_read` rather than teardown's rollback."""
        if request.method in READ_METHODS and response.status_code < 400 and "db_session" in g:
            end_read(g.db_session)
        return response

    @staticmethod
    def _close_sessions(_exc: BaseException | None) -> None:
        session = g.pop("db_session", None)
        if session is not None:
            session.close()
        replica_session = g.pop("db_replica_session", None)
        if replica_session is not None:
            _discard(replica_session)


def _engine(url: str, config, **connect_args) -> Engine:
    if config["DB_TRANSACTION_POOLING"]:
        # A pooler in transaction mode hands each transaction any server connection: a statement prepared
        # on one is missing on the next, and PgBouncer rejects startup options.
        connect_args["prepare_threshold"] = None
    else:
        # JIT compiling costs milliseconds per query and pays off only on analytics-sized scans;
        # every query here is a short OLTP one.
        connect_args["options"] = "-c jit=off"
    # Pre-ping: a pooled connection the database dropped (a restart, a proxy's idle timeout) is replaced when it
    # is taken, where the first request to find it dead would fail with a 503
    # (tests/e2e/test_database_connections.py). It costs a round trip per request, 0.05 ms over a local socket.
    # Records come with their GeoJSON written by PostGIS as json columns; a pull of 1,000 records parses 5,000
    # of them, and the standard library's parser was a third of the pull's time.
    return create_engine(normalise_url(url), pool_size=config["DB_POOL_SIZE"],
                         max_overflow=config["DB_MAX_OVERFLOW"], pool_pre_ping=True, connect_args=connect_args,
                         json_deserializer=orjson.loads)


def _has_replayed(session: Session, replica: Replica, position: int) -> bool:
    """Whether the replica shows everything up to `position`; replay only moves forward, so a position it
    was seen past needs no question."""
    if replica.replay_lsn is None or replica.replay_lsn < position:
        replica.replay_lsn = parse_lsn(session.execute(text("select pg_last_wal_replay_lsn()::text")).scalar_one())
    return replica.replay_lsn >= position


def _discard(session: Session) -> None:
    """End a replica session, whose read is already answered: a standby that went away meanwhile (its
    rollback fails) costs its pooled connection, never the request."""
    try:
        session.close()
    except DBAPIError:
        session.invalidate()
