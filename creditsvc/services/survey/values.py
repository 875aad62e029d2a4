"""A survey cell's value as staff really type it, normalised; or the catalogue code of its problem.

Full-width digits, letters and spaces read as ASCII (NFKC); a number may come as a number or as
text ('5000', '5,000', '５０００', 5000.0 from a reader that gives floats); a date as an Excel
serial, a date cell, 2026-03-05, 2026/3/5, 2026.3.5 or 2026年3月5日.
"""

import re
import unicodedata
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from creditsvc.core.refusals import ValueProblem

EXCEL_EPOCH = date(1899, 12, 30)
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s+[\d:]+)?$")
_SPACES = re.compile(r"\s+")


def text(value) -> str:
    """The cell as text: NFKC (full-width to ASCII), spaces trimmed; a whole float without '.0'."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    raw = value if isinstance(value, str) else str(value)
    if not unicodedata.is_normalized("NFKC", raw):  # the common case skips the copy
        raw = unicodedata.normalize("NFKC", raw)
    if "  " in raw or "\t" in raw or "\n" in raw or "\r" in raw:
        raw = _SPACES.sub(" ", raw)
    return raw.strip()


def compact(value) -> str:
    """The cell as text with no spaces at all (ID numbers, phones: 4405 2419 ... reads as one)."""
    return text(value).replace(" ", "")


def whole(value, least: int, most: int) -> int:
    """A whole number from LEAST to MOST."""
    raw = compact(value).replace(",", "")
    try:
        number = Decimal(raw)
    except InvalidOperation as exc:
        raise ValueProblem("survey_not_whole") from exc
    if number != number.to_integral_value():
        raise ValueProblem("survey_not_whole")
    if not least <= number <= most:
        raise ValueProblem("survey_out_of_range", least=least, most=most)
    return int(number)


def fen(value, most_yuan: int) -> int:
    """An amount in yuan (up to two decimals) as fen, from 0 to MOST_YUAN yuan."""
    raw = compact(value).replace(",", "").removeprefix("¥").removesuffix("元")
    if isinstance(value, float):
        raw = repr(round(value, 2))
    try:
        yuan = Decimal(raw)
    except InvalidOperation as exc:
        raise ValueProblem("survey_not_money") from exc
    if not yuan.is_finite() or yuan != yuan.quantize(Decimal("0.01")):
        raise ValueProblem("survey_not_money")
    if not 0 <= yuan <= most_yuan:
        raise ValueProblem("survey_out_of_range", least=0, most=most_yuan)
    return int(yuan * 100)


def day(value) -> date:
    """A date from a date cell, an Excel serial, or text in one of the forms staff type."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value < 2_958_466:  # Excel's serials: 1900-01-01 to 9999-12-31
            return EXCEL_EPOCH + timedelta(days=int(value))
        raise ValueProblem("survey_not_date")
    raw = text(value)
    if raw.isdigit() and len(raw) == 8:  # 20260305
        raw = f"{raw[:4]}-{raw[4:6]}-{raw[6:]}"
    elif raw.isdigit() and 1 <= len(raw) <= 6:  # a serial stored as text
        return day(int(raw))
    found = _DATE.match(raw)
    if not found:
        raise ValueProblem("survey_not_date")
    try:
        return date(*(int(g) for g in found.groups()))
    except ValueError as exc:
        raise ValueProblem("survey_not_date") from exc


def choice(value, words: dict, shown: tuple[str, ...]):
    """The code of a fixed-value cell: one of WORDS' words (or its code itself)."""
    raw = text(value)
    key = raw.lower() if raw.isascii() else raw
    if key in words:
        return words[key]
    if key in set(words.values()) and not isinstance(key, bool):
        return key
    raise ValueProblem("survey_not_choice", choices="、".join(shown))


def limited(value, most: int) -> str:
    """Free text of at most MOST characters."""
    raw = text(value)
    if len(raw) > most:
        raise ValueProblem("survey_too_long", most=most)
    return raw
