"""Hot standbys that serve reads which tolerate lag, each in or out of rotation by its last health check.

Each process checks its replicas on its own, at most every `DB_REPLICA_CHECK_SECONDS`, from the request
that finds the last check too old: nothing here must agree across processes. A check samples the
primary's WAL flush position and reads the standby's replay position; a standby's lag is how long ago the
primary held WAL the standby has not replayed yet (zero when it has replayed all of it), so an idle
primary never makes a standby look stale. See docs/deployment.md.
"""
import logging
import random
import threading
import time
from collections import deque
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

from sync.lsn import format_lsn, parse_lsn

log = logging.getLogger("tapline.replicas")

IN_ROTATION, LAGGING, UNREACHABLE, NOT_A_STANDBY = "in_rotation", "lagging", "unreachable", "not_a_standby"


def lost_connection(error: DBAPIError) -> bool:
    """The database went away or refused the statement for its own reasons (down, restarting, a recovery
    conflict on a standby): the same read may succeed elsewhere."""
    return isinstance(error, OperationalError | InterfaceError) or error.connection_invalidated


@dataclass
class Replica:
    name: str
    engine: Engine
    state: str = UNREACHABLE
    lag_seconds: float | None = None
    replay_lsn: int | None = None
    checked: bool = False

    @property
    def in_rotation(self) -> bool:
        return self.state == IN_ROTATION

    def describe(self) -> dict:
        return {"name": self.name, "state": self.state if self.checked else "unchecked",
                "lag_seconds": None if self.lag_seconds is None else round(self.lag_seconds, 3),
                "replay_lsn": None if self.replay_lsn is None else format_lsn(self.replay_lsn)}


class ReplicaSet:
    """The configured standbys of one primary, and which of them may serve a read now."""

    def __init__(self, primary: Engine, engines: list[Engine], *, max_lag_seconds: float, check_seconds: float):
        self.primary = primary
        self.replicas = [Replica(make_url(e.url).render_as_string(hide_password=True), e) for e in engines]
        self.max_lag_seconds = max_lag_seconds
        self.check_seconds = check_seconds
        # (monotonic time, primary flush position), oldest first; kept for twice the lag bound
        self._primary_positions: deque[tuple[float, int]] = deque()
        self._checked_at = float("-inf")
        self._lock = threading.Lock()

    def __bool__(self) -> bool:
        return bool(self.replicas)

    def choose(self, min_lsn: int | None = None) -> Replica | None:
        """A replica in rotation, at random; one whose last known replay position reaches `min_lsn` first."""
        self.check_if_due()
        candidates = [r for r in self.replicas if r.in_rotation]
        random.shuffle(candidates)
        if min_lsn is not None:
            candidates.sort(key=lambda r: (r.replay_lsn or 0) < min_lsn)
        return candidates[0] if candidates else None

    def take_out(self, replica: Replica, error: Exception) -> None:
        """A read failed on `replica`: out of rotation until the next check finds it healthy again."""
        log.warning("replica %s out of rotation: %s", replica.name, error.__class__.__name__)
        replica.state = UNREACHABLE

    def check_if_due(self) -> None:
        if time.monotonic() - self._checked_at < self.check_seconds:
            return
        # One thread checks; the others go on with the last known states rather than queue behind it.
        if self._lock.acquire(blocking=False):
            try:
                self._check()
            finally:
                self._lock.release()

    def check(self) -> None:
        """Check now (readiness probes do): sample the primary's position, then each replica."""
        with self._lock:
            self._check()

    def _check(self) -> None:
        now = time.monotonic()
        self._checked_at = now
        self._sample_primary(now)
        for replica in self.replicas:
            self._check_replica(replica, now)

    def _sample_primary(self, now: float) -> None:
        try:
            with self.primary.connect() as connection:
                flushed = connection.execute(text("select pg_current_wal_flush_lsn()::text")).scalar_one()
        except DBAPIError as error:
            log.warning("primary position unknown: %s", error.__class__.__name__)
            return
        self._primary_positions.append((now, parse_lsn(flushed)))
        while len(self._primary_positions) > 1 and now - self._primary_positions[0][0] > 2 * self.max_lag_seconds:
            self._primary_positions.popleft()

    def _check_replica(self, replica: Replica, now: float) -> None:
        state, detail = self._probe(replica, now)
        if state != replica.state if replica.checked else state != IN_ROTATION:
            log.warning("replica %s %s (%s)", replica.name, state, detail)
        replica.state, replica.checked = state, True

    def _probe(self, replica: Replica, now: float) -> tuple[str, str]:
        """The replica's state now, and why."""
        try:
            with replica.engine.connect() as connection:
                standby, replayed = connection.execute(
                    text("select pg_is_in_recovery(), pg_last_wal_replay_lsn()::text")).one()
        except DBAPIError as error:
            replica.lag_seconds = None
            return UNREACHABLE, error.__class__.__name__
        if not standby:
            replica.lag_seconds = replica.replay_lsn = None
            return NOT_A_STANDBY, "not in recovery: promoted, or no standby of this primary; its data may differ"
        replica.replay_lsn = parse_lsn(replayed)
        behind = [at for at, position in self._primary_positions if position > replica.replay_lsn]
        replica.lag_seconds = now - behind[0] if behind else 0.0
        state = IN_ROTATION if replica.lag_seconds <= self.max_lag_seconds else LAGGING
        return state, f"lag {replica.lag_seconds:.1f} s"

    def dispose(self) -> None:
        for replica in self.replicas:
            replica.engine.dispose()
