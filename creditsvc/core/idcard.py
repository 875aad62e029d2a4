"""Resident identity card numbers (公民身份号码) per GB 11643-1999."""

import re
import unicodedata
from datetime import date

from creditsvc.core.refusals import ValueProblem
from creditsvc.infra import clock

WEIGHTS = [2 ** (17 - i) % 11 for i in range(17)]
CHECK_CHARS = "10X98765432"
# Province-level codes of GB/T 2260, the first two digits of every number.
PROVINCES = {
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
    "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64",
    "65", "71", "81", "82",
}
# ASCII only: Python's \d also matches full-width digits, which made a second file for the
# same person (another blind index) past the duplicate check.
SHAPE = re.compile(r"^[0-9]{17}[0-9X]$")


class IdNumberError(ValueProblem):
    """Not a valid resident ID number. The message never repeats the number."""


def check_char(first17: str) -> str:
    """The ISO 7064 MOD 11-2 check character of the first 17 digits."""
    return CHECK_CHARS[sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True)) % 11]


def normalise_id_number(value: str, today: date | None = None) -> str:
    """Validate an 18-character ID number and return it in ASCII with a capital X.

    Full-width digits (as a Chinese input method types them) are read as the same digits
    (NFKC); any other non-ASCII character is refused.
    """
    number = unicodedata.normalize("NFKC", value).strip().upper()
    if not SHAPE.match(number):
        raise IdNumberError("id_number_shape")
    if number[:2] not in PROVINCES:
        raise IdNumberError("id_number_region")
    birth = birth_date_of(number)
    if birth < date(1800, 1, 1) or birth > (today or clock.today()):
        raise IdNumberError("id_number_birth")
    if check_char(number[:17]) != number[17]:
        raise IdNumberError("id_number_check")
    return number


def birth_date_of(number: str) -> date:
    """The birth date encoded in digits 7 to 14."""
    try:
        return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError as exc:
        raise IdNumberError("id_number_birth") from exc
