"""Fixed one-minute windows counted in PostgreSQL, shared by every app process."""
from sqlalchemy import text
from sqlalchemy.orm import Session

from server.error_codes import ServerCode
from server.errors import ApiError

_WINDOW = "date_trunc('minute', now())"


def check(session: Session, key: str, limit: int) -> None:
    """Raise 429 when `key` has reached `limit` hits in the current minute, saying when the next minute starts."""
    row = session.execute(
        text(f"""select hits, ceil(extract(epoch from {_WINDOW} + interval '1 minute' - now()))::int
                 from rate_limit_windows where key = :key and window_start = {_WINDOW}"""), {"key": key}
    ).first()
    if row is not None and row.hits >= limit:
        raise ApiError(ServerCode.RATE_LIMITED, "too many attempts; retry after the time Retry-After gives",
                       details={"limit_per_minute": limit, "retry_after_s": max(row[1], 1)})


def hit(session: Session, key: str) -> int:
    """Count one hit for `key` in the caller's transaction (a count that must outlive the request it refuses is
    made in a transaction of its own: `server.auth.count_refusal`)."""
    hits = session.execute(
        text(f"""insert into rate_limit_windows (key, window_start, hits) values (:key, {_WINDOW}, 1)
                 on conflict (key, window_start) do update set hits = rate_limit_windows.hits + 1
                 returning hits"""),
        {"key": key},
    ).scalar_one()
    return hits
