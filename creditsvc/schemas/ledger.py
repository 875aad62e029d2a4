"""Schemas of the 台账's filters: the per-loan 台账 and the 台账统计表's months."""

from marshmallow import Schema, fields, validate

from creditsvc.core.vocab import BANK_CODES, TOWNS
from creditsvc.schemas.fields import Code, Day
from models.loan import LOAN_STATUSES


class LedgerQuerySchema(Schema):
    """The per-loan 台账's filters: bank, town, village (any part of its name), status, and
    the disbursement dates' range."""

    bank = fields.String(validate=validate.OneOf(BANK_CODES))
    town = fields.String(validate=validate.OneOf(TOWNS))
    village = Code(max_length=64, metadata={"description": "any part of the village's name"})
    status = fields.String(validate=validate.OneOf(LOAN_STATUSES))
    disbursed_from = Day()
    disbursed_to = Day()


class StatQuerySchema(Schema):
    """The 台账统计表's range: its first and last months (YYYY-MM; checked by the service)."""

    first = Code(max_length=7)
    last = Code(max_length=7)
