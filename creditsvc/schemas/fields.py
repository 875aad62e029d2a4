"""Marshmallow fields shared by every schema: money, whole numbers, business dates, free text.

Every field here refuses what it cannot hold exactly: money is a plain ASCII decimal string
inside a per-field range (never "1e30", "1_000.00" or Arabic-Indic digits), an integer is a
JSON integer (1.5 is refused, not cut to 1), a date lies in the programme's sane range (so no
`date + timedelta` can overflow), and free text has no control characters and never keeps an
ID number or a mobile number typed into it.
"""

import re
from datetime import date, timedelta
from decimal import Decimal

from marshmallow import ValidationError, fields, validate

from creditsvc.core.money import fmt_yuan, parse_yuan
from creditsvc.core.pii import mask_personal_numbers
from creditsvc.core.refusals import said
from creditsvc.infra import clock

# The most any loan, repayment or recovery can be: a policy may not lend more (scoring.policy).
LOAN_AMOUNT_MAX = Decimal(1_000_000)
# The most one contribution or interest entry of the fund can be.
FUND_AMOUNT_MAX = Decimal(100_000_000)
EARLIEST_DATE = date(1900, 1, 1)
# A business date may lie ahead (a maturity, an extension) but not beyond this horizon.
DATE_HORIZON = timedelta(days=366 * 10)
ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
# Control characters other than tab and newline: NUL would make PostgreSQL refuse the row.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def not_future(value: date) -> None:
    """A date that has happened: at most today in the programme's time zone."""
    if value > clock.today():
        raise ValidationError(said("field_future_date"))


def money_pattern(digits: int, negative: bool = False) -> str:
    """The JSON Schema pattern of a yuan amount with at most DIGITS digits before the point."""
    return "^" + ("-?" if negative else "") + rf"[0-9]{{1,{digits}}}(\.[0-9]{{1,2}})?$"


class Yuan(fields.Field):
    """Money in yuan: an ASCII decimal string in JSON, a Decimal in Python, inside a range."""

    def __init__(self, *, maximum: Decimal | int, minimum: Decimal | int | None = Decimal("0"),
                 **kwargs):
        self.maximum = Decimal(maximum)
        self.minimum = None if minimum is None else Decimal(minimum)
        digits = len(str(int(self.maximum)))
        pattern = money_pattern(digits, negative=self.minimum is None or self.minimum < 0)
        self._pattern = re.compile(pattern)
        kwargs.setdefault("metadata", {}).update({
            "type": "string", "pattern": pattern, "example": f"{min(self.maximum, 50000):.2f}",
            "description": f"yuan, a decimal string from {self._low()} to {self.maximum:.2f}"})
        super().__init__(**kwargs)

    def _low(self) -> str:
        return "any amount" if self.minimum is None else f"{self.minimum:.2f}"

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else f"{value:.2f}"

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, str) or not self._pattern.match(value):
            raise ValidationError(said("field_money", most=f"{self.maximum:.2f}"))
        amount = parse_yuan(value)
        if self.minimum is not None and amount < self.minimum:
            raise ValidationError(said("field_money_min", least=f"{self.minimum:.2f}"))
        if amount > self.maximum:
            raise ValidationError(said("field_money_max", most=f"{self.maximum:.2f}"))
        return amount


# A ratio or share written as a decimal string ("0.0523" = 5.23%), never a JSON number.
RATIO = {"type": "string", "pattern": r"^-?[0-9]+(\.[0-9]+)?$", "example": "0.0523"}


class Fen(fields.Field):
    """An integer-fen model attribute shown as a decimal string in yuan (output only)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("metadata", {}).update({"type": "string", "example": "50000.00"})
        super().__init__(dump_only=True, **kwargs)

    def _serialize(self, value, attr, obj, **kwargs):

        return fmt_yuan(value)


class WholeNumber(fields.Integer):
    """An integer inside a range: a JSON integer, never 1.5, "12" or true."""

    from_text = False

    def __init__(self, low: int, high: int, **kwargs):
        super().__init__(validate=validate.Range(low, high), **kwargs)
        self.low, self.high = low, high

    def _deserialize(self, value, attr, data, **kwargs):
        if self.from_text and isinstance(value, str) and re.fullmatch(r"-?[0-9]{1,18}", value):
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValidationError(said("field_whole_number", low=self.low, high=self.high))
        return value


class QueryNumber(WholeNumber):
    """A whole number in a query string: ASCII digits only."""

    from_text = True


class Day(fields.Date):
    """A calendar date YYYY-MM-DD from 1900-01-01 to ten years ahead of today."""

    def __init__(self, **kwargs):
        kwargs.setdefault("metadata", {}).setdefault(
            "description", "YYYY-MM-DD, from 1900-01-01 to ten years ahead")
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, str) or not ISO_DATE.match(value):
            raise ValidationError(said("field_date_shape"))
        day = super()._deserialize(value, attr, data, **kwargs)
        if not EARLIEST_DATE <= day <= clock.today() + DATE_HORIZON:
            raise ValidationError(said("field_date_range"))
        return day


class FreeText(fields.String):
    """A note or reason: no control characters, some real words, personal numbers masked.

    An ID number or mobile number typed into a note would otherwise be stored and shown in
    clear, outside the encrypted fields (docs/api.md, personal data).
    """

    def __init__(self, *, min_length: int = 0, max_length: int, **kwargs):
        super().__init__(validate=validate.Length(max=max_length), **kwargs)
        self.min_length = min_length

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if CONTROL.search(text):
            raise ValidationError(said("field_control_characters"))
        text = text.strip()
        if self.min_length and (len(text) < self.min_length or not any(c.isalpha() for c in text)):
            raise ValidationError(said("field_reason_too_short", least=self.min_length))
        return mask_personal_numbers(text)


class Code(fields.String):
    """An identifier (an object id, a village name): no control characters, bounded length."""

    def __init__(self, *, max_length: int = 64, min_length: int = 1, **kwargs):
        super().__init__(validate=validate.Length(min_length, max_length), **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if CONTROL.search(text):
            raise ValidationError(said("field_control_characters"))
        return text
