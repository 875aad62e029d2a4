"""The programme's calendar: a business date is a date in the programme's time zone.

The county is in China, so the default zone is Asia/Shanghai (UTC+8). A server keeps its own
clock in UTC: between midnight and 08:00 in the county its `date.today()` is still yesterday,
which would assess an application as of the wrong day and refuse a repayment dated today as
"in the future". Timestamps stay in UTC; dates go through here.
"""

from datetime import UTC, date, datetime, time, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import current_app, has_app_context

from models.base import utcnow

DEFAULT_TIMEZONE = "Asia/Shanghai"


@lru_cache(maxsize=8)
def zone(name: str) -> ZoneInfo:
    """The IANA zone NAME (ValueError if there is none)."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {name!r}") from exc


# The default zone, for services that are given no other (they read no app config).
COUNTY = zone(DEFAULT_TIMEZONE)


def programme_zone() -> ZoneInfo:
    """The configured zone (TIMEZONE), or the default outside an app."""
    name = current_app.config.get("TIMEZONE", DEFAULT_TIMEZONE) if has_app_context() else None
    return zone(name or DEFAULT_TIMEZONE)


def override() -> date | None:
    """The business date set by CREDITSVC_TODAY (config BUSINESS_DATE), or None."""
    value = current_app.config.get("BUSINESS_DATE") if has_app_context() else None
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value)


def today() -> date:
    """The business date: the county's today, or the override a demo or test set."""
    return override() or utcnow().astimezone(programme_zone()).date()


def override_header(response):
    """Say on every response that the business date is not the calendar's (after_request)."""
    if (day := override()) is not None:
        response.headers["X-Business-Date-Override"] = day.isoformat()
    return response


def start_of(day: date, tz: tzinfo | None = None) -> datetime:
    """The instant DAY begins in TZ (the programme's zone when None), in UTC: timestamps are
    stored in UTC, so a range of the programme's dates runs from one start_of to another."""
    return datetime.combine(day, time(), tz or programme_zone()).astimezone(UTC)
