"""Fixed one-minute windows counted in PostgreSQL, shared by every app process."""
from sqlalchemy import text
from sqlalchemy.orm import Session

from server.errors import RateLimited

_WINDOW = "date_trunc('minute', now())"


def check(session: Session, key: str, limit: int) -> None:
    """Raise 429 when `key` has reached `limit` hits in the current minute."""
    hits = session.execute(
        text(f"select hits from rate_limit_windows where key = :key and window_start = {_WINDOW}"), {"key": key}
    ).scalar()
    if hits is not None and hits >= limit:
        raise RateLimited("too many attempts; wait a minute and retry", details={"limit_per_minute": limit})


def hit(session: Session, key: str) -> int:
    """Count one hit for `key` and commit it, so it survives the failed request."""
    hits = session.execute(
        text(f"""insert into rate_limit_windows (key, window_start, hits) values (:key, {_WINDOW}, 1)
                 on conflict (key, window_start) do update set hits = rate_limit_windows.hits + 1
                 returning hits"""),
        {"key": key},
    ).scalar_one()
    session.commit()
    return hits
