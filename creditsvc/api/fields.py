"""Marshmallow fields shared by every schema: money as decimal strings in yuan; past dates."""

from datetime import date
from decimal import Decimal

from marshmallow import ValidationError, fields

from creditsvc.core.money import MoneyError, fmt_yuan, parse_yuan
from creditsvc.infra import clock


def not_future(value: date) -> None:
    """A date that has happened: at most today in the programme's time zone."""
    if value > clock.today():
        raise ValidationError("date is in the future")


class Yuan(fields.Field):
    """Money in yuan: a decimal string with two decimals in JSON, a Decimal in Python."""

    def __init__(self, *, minimum: Decimal | None = Decimal("0"), maximum: Decimal | None = None,
                 **kwargs):
        kwargs.setdefault("metadata", {}).update(
            {"type": "string", "pattern": r"^-?\d+(\.\d{1,2})?$", "example": "50000.00"})
        super().__init__(**kwargs)
        self.minimum, self.maximum = minimum, maximum

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else f"{value:.2f}"

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, str):
            raise ValidationError('money is a decimal string in yuan, e.g. "1234.50"')
        try:
            amount = parse_yuan(value)
        except MoneyError as exc:
            raise ValidationError(str(exc)) from exc
        if self.minimum is not None and amount < self.minimum:
            raise ValidationError(f"must be at least {self.minimum:.2f}")
        if self.maximum is not None and amount > self.maximum:
            raise ValidationError(f"must be at most {self.maximum:.2f}")
        return amount


class Fen(fields.Field):
    """An integer-fen model attribute shown as a decimal string in yuan (output only)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("metadata", {}).update({"type": "string", "example": "50000.00"})
        super().__init__(dump_only=True, **kwargs)

    def _serialize(self, value, attr, obj, **kwargs):
        return fmt_yuan(value)
