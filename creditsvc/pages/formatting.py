"""Jinja filters: money as ¥ with thousands separators, dates and times in the county's format."""

from datetime import date, datetime
from decimal import Decimal

from flask_babel import get_locale, gettext

from creditsvc.core import refusals
from creditsvc.core.money import from_fen
from creditsvc.infra import clock
from creditsvc.pages.labels import label
from creditsvc.services.assessment.batch import PROBLEMS as BATCH_PROBLEMS
from creditsvc.services.feed.files import counted as _feed_counted


def yuan(value) -> str:
    """A Decimal of yuan (or None) as ¥12,345.00."""
    if value is None or value == "":
        return "—"
    amount = Decimal(value)
    sign = "-" if amount < 0 else ""
    return f"{sign}¥{abs(amount):,.2f}"


def fen(value) -> str:
    """Integer fen (a database column) as ¥12,345.00."""
    return "—" if value is None else yuan(from_fen(value))


def fen_field(value) -> str:
    """Integer fen as a form field's yuan, 5000.00 (no sign, no separators); None: empty."""
    return "" if value is None else str(from_fen(value))


def pct(value, places: int = 2) -> str:
    """A ratio (Decimal 0.0523, or a model's float) as a percentage, 5.23%."""
    if value is None or value == "":
        return "—"
    return f"{Decimal(str(value)) * 100:.{places}f}%"


def bp(value, places: int = 2) -> str:
    """Basis points (an integer column: a rate or a share) as a percentage, 60.00%."""
    return "—" if value is None else pct(Decimal(value) / 10000, places)


def score(value) -> str:
    """A score (or points) to two places, 85.00; a dash when there is none."""
    return "—" if value is None else f"{float(value):.2f}"


def _chinese() -> bool:
    return str(get_locale() or "zh_CN").startswith("zh")


def day(value) -> str:
    """A date as 2026年12月3日 (English: 2026-12-03)."""
    if value is None:
        return "—"
    if isinstance(value, str):
        value = date.fromisoformat(value)
    if isinstance(value, datetime):
        value = value.astimezone(clock.programme_zone()).date()
    return f"{value.year}年{value.month}月{value.day}日" if _chinese() else value.isoformat()


def moment(value: datetime | None) -> str:
    """A UTC timestamp as the county's local date and time (Asia/Shanghai)."""
    if value is None:
        return "—"
    local = value.astimezone(clock.programme_zone())
    return f"{day(local.date())} {local:%H:%M}"


def feed_problem(code: str) -> str:
    """What a feed job's count of rows refused for CODE is called, in the page's language."""
    return refusals.text(*_feed_counted(code))


def batch_outcome(code: str) -> str:
    """A batch scoring row's outcome: the decision, or why the row could not be scored."""
    if code in ("approved", "referred", "declined"):
        return label("decision", code)
    return BATCH_PROBLEMS[code][0] if code in BATCH_PROBLEMS else gettext("未能评分")


def register_filters(app) -> None:
    """Make the filters and the label lookup available in every template."""
    app.jinja_env.filters.update(yuan=yuan, fen=fen, fen_field=fen_field, day=day, moment=moment,
                                 pct=pct, bp=bp, score=score)
    app.jinja_env.globals.update(label=label, get_locale=get_locale, feed_problem=feed_problem,
                                 batch_outcome=batch_outcome)
