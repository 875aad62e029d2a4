"""The bank desk's own forms: list filters and the bulk acceptance (the rest are the API's)."""

from decimal import Decimal

from marshmallow import Schema, fields, validate, validates_schema
from marshmallow.exceptions import ValidationError

from creditsvc.core.refusals import said
from creditsvc.core.vocab import TOWNS
from creditsvc.schemas.fields import LOAN_AMOUNT_MAX, Code, Day, FreeText, Yuan
from lending.classification import CLASSES
from models.loan import LOAN_STATUSES

GRADES = ("AAA", "AA", "A")
BULK_MAX = 100


class QueueQuerySchema(Schema):
    """Filters of 待受理: town, grade, approved amount range, submission date range."""

    town = fields.String(validate=validate.OneOf(TOWNS))
    grade = fields.String(validate=validate.OneOf(GRADES))
    amount_min = Yuan(maximum=LOAN_AMOUNT_MAX)
    amount_max = Yuan(maximum=LOAN_AMOUNT_MAX)
    submitted_from = Day()
    submitted_to = Day()
    after = fields.String(validate=validate.Length(max=200))

    @validates_schema
    def _ranges(self, data, **_):
        low, high = data.get("amount_min"), data.get("amount_max")
        if low is not None and high is not None and Decimal(low) > Decimal(high):
            raise ValidationError(said("field_money_min", least=f"{low:.2f}"), "amount_max")
        first, last = data.get("submitted_from"), data.get("submitted_to")
        if first and last and first > last:
            raise ValidationError(said("field_range_reversed"), "submitted_to")


class LoanListQuerySchema(Schema):
    """Filters of 贷款: a loan number, status, 五级分类 and town."""

    number = fields.String(validate=validate.Length(max=40))
    status = fields.String(validate=validate.OneOf(LOAN_STATUSES))
    classification = fields.String(validate=validate.OneOf(CLASSES))
    town = fields.String(validate=validate.OneOf(TOWNS))
    after = fields.String(validate=validate.Length(max=200))


class BulkAcceptSchema(Schema):
    """The rows ticked on 待受理 and the one due-diligence note they are accepted with."""

    ids = fields.List(Code(max_length=36), required=True,
                      validate=validate.Length(min=1, max=BULK_MAX))
    reason = FreeText(required=True, min_length=2, max_length=1000)


class RecoveryFormSchema(Schema):
    """Which claimed loan a recovery is recorded on (the amount and date: the API's schema)."""

    loan_id = Code(required=True, max_length=36)
