"""Console labels in Chinese first and English, and times in the tenant's time zone.

The language is the one the user picked (a cookie), else the browser's Accept-Language, else Chinese.
"""
import tomllib
from datetime import datetime
from pathlib import Path

from flask import Flask, request

from policy.calendar import SHANGHAI

LANGUAGES = ("zh", "en")
LABELS = tomllib.loads((Path(__file__).parent / "labels.toml").read_text(encoding="utf-8"))
LANGUAGE_COOKIE = "tapline_lang"


def language() -> str:
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    if chosen in LANGUAGES:
        return chosen
    return request.accept_languages.best_match(["zh-CN", "zh", "en"], default="zh")[:2]


def translate(key: str, **values) -> str:
    """The label `key` in the request's language, with `values` filled in."""
    text = LABELS[key][language()]
    return text.format(**values) if values else text


def local_time(moment: datetime | None, pattern: str = "%Y-%m-%d %H:%M") -> str:
    """A stored moment as the tenant's business clock (Asia/Shanghai) shows it."""
    return "" if moment is None else moment.astimezone(SHANGHAI).strftime(pattern)


def countdown(seconds: int | None) -> str:
    """Time left to a deadline ("2天3小时"), or how late it is."""
    if seconds is None:
        return ""
    minutes = abs(seconds) // 60
    days, hours = divmod(minutes // 60, 24)
    span = translate("days_hours", days=days, hours=hours) if days else \
        translate("hours_minutes", hours=hours, minutes=minutes % 60)
    return translate("left" if seconds >= 0 else "overdue_by", span=span)


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(t=translate, language=language, languages=LANGUAGES, countdown=countdown)
    app.jinja_env.filters["local_time"] = local_time
