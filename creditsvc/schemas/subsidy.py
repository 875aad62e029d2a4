"""Schemas of the interest subsidy (财政贴息): statements, their lines, the bureau's payment."""

from marshmallow import Schema, fields, validate

from creditsvc.core.vocab import BANK_CODES
from creditsvc.schemas.fields import RATIO, Code, Day, Fen, FreeText, QueryNumber, WholeNumber, Yuan
from models.subsidy import STATEMENT_STATUSES

SUBSIDY_AMOUNT_MAX = 100_000_000


class SubsidyCompileInSchema(Schema):
    """The bank and the calendar quarter (ended) to compile."""

    bank = fields.String(required=True, validate=validate.OneOf(BANK_CODES))
    year = WholeNumber(2014, 2100, required=True)
    quarter = WholeNumber(1, 4, required=True)


class SubsidyStatementQuerySchema(Schema):
    """Narrow the list to a quarter, a bank or a state."""

    year = QueryNumber(2014, 2100)
    quarter = QueryNumber(1, 4)
    bank = fields.String(validate=validate.OneOf(BANK_CODES))
    status = fields.String(validate=validate.OneOf(STATEMENT_STATUSES))


class SubsidyReviewInSchema(Schema):
    """The fund office's review note (optional)."""

    note = FreeText(max_length=1000, load_default=None)


class SubsidyPaymentInSchema(Schema):
    """What the finance bureau paid: the statement's total, the day and its voucher."""

    amount = Yuan(required=True, minimum="0.00", maximum=SUBSIDY_AMOUNT_MAX, metadata={
        "description": "the statement's subsidy total, in yuan"})
    paid_on = Day(required=True)
    reference = Code(required=True, min_length=2, max_length=64, metadata={
        "description": "the bureau's payment voucher or transfer reference"})


class SubsidyPaymentSchema(Schema):
    """The bureau's confirmed payment of a statement."""

    id = fields.String()
    statement_id = fields.String()
    bank = fields.String(attribute="bank_code")
    amount = Fen(attribute="amount_fen")
    paid_on = fields.Date()
    reference = fields.String()
    confirmed_at = fields.DateTime()


class SubsidyLineSchema(Schema):
    """One loan on the statement."""

    loan_id = fields.String()
    loan_number = fields.String(allow_none=True)
    principal = Fen(attribute="principal_fen")
    interest_paid = Fen(attribute="interest_paid_fen", metadata={
        "description": "contract interest the bank collected in the quarter (no penalty interest)"})
    interest_counted = Fen(attribute="interest_counted_fen", metadata={
        "description": "of it, what was paid before the subsidy stopped"})
    subsidy = Fen(attribute="subsidy_fen")
    cancelled = fields.Boolean()
    cancelled_reason = fields.String(allow_none=True, metadata={"enum": ["overdue", "diverted"]})
    cancelled_on = fields.Date(allow_none=True)


class SubsidyStatementSchema(Schema):
    """A bank's statement for a quarter, its totals and state."""

    id = fields.String()
    number = fields.String()
    bank = fields.String(attribute="bank_code")
    year = fields.Integer(dump_only=True)
    quarter = fields.Integer(dump_only=True)
    status = fields.String(metadata={"enum": list(STATEMENT_STATUSES)})
    policy_version = fields.Integer(dump_only=True)
    share = fields.String(metadata=RATIO)
    interest_paid = Fen(attribute="interest_paid_fen")
    interest_counted = Fen(attribute="interest_counted_fen")
    subsidy = Fen(attribute="subsidy_fen")
    compiled_on = fields.Date()
    reviewed_at = fields.DateTime(allow_none=True)
    review_note = fields.String(allow_none=True)
    announced_on = fields.Date(allow_none=True)


class SubsidyStatementDetailSchema(SubsidyStatementSchema):
    """A statement with its lines and, once confirmed, the bureau's payment."""

    lines = fields.List(fields.Nested(SubsidyLineSchema))
    payment = fields.Nested(SubsidyPaymentSchema, allow_none=True)
