"""Schemas of loan applications, reviews, bank decisions and disbursements."""

from decimal import Decimal

from marshmallow import Schema, fields, validate

from creditsvc.core.vocab import BANK_CODES, TOWNS
from creditsvc.schemas.fields import LOAN_AMOUNT_MAX, Code, Day, Fen, FreeText, WholeNumber, Yuan
from models.application import APPLICATION_STATUSES
from scoring.vocab import PURPOSES


class ApplicationInSchema(Schema):
    """An officer's application for a household."""

    household_id = Code(required=True, max_length=36)
    amount = Yuan(required=True, minimum=Decimal("0.01"), maximum=LOAN_AMOUNT_MAX)
    term_months = WholeNumber(1, 600, required=True)
    purpose = fields.String(required=True, validate=validate.OneOf(PURPOSES),
                            metadata={"description": "banned purposes are accepted here and "
                                                     "declined by the purpose rule, with its reason"})
    bank = fields.String(required=True, validate=validate.OneOf(BANK_CODES))
    borrower_member_id = Code(max_length=36, allow_none=True, load_default=None, metadata={
        "description": "the member who borrows (贷款人), one of the household's members; "
                       "omitted or null: the head. The age and labour rules apply to the borrower"})


class ApplicationSchema(Schema):
    """An application with its whole stored assessment."""

    id = fields.String()
    number = fields.String(allow_none=True,
                           metadata={"description": "the number people read, e.g. SQ-2026-000045"})
    household_id = fields.String()
    bank = fields.String(attribute="bank_code")
    submitted_by = fields.String()
    submitted_on = fields.Date(metadata={
        "description": "business date of the submission (the 推荐表's 申请日期); created_at is "
                       "the server's clock"})
    amount = Fen(attribute="amount_fen")
    term_months = fields.Integer(dump_only=True)
    purpose = fields.String()
    status = fields.String(metadata={"enum": list(APPLICATION_STATUSES)})
    decision = fields.String(metadata={"description": "the machine's decision, kept after review"})
    approved_amount = Fen(attribute="approved_amount_fen", allow_none=True)
    grade = fields.String(allow_none=True)
    score = fields.Float(dump_only=True, allow_none=True)
    pd = fields.Float(dump_only=True, allow_none=True)
    policy_version = fields.Integer(dump_only=True)
    model_sha256 = fields.String()
    assessment = fields.Dict(metadata={"description": "inputs, rules, points, reasons, decision"})
    borrower = fields.Dict(dump_only=True, metadata={
        "description": "the borrower (贷款人), masked: member_id (null: the head), relation, name; "
                       "shown on one application"})
    credit_line = fields.Dict(dump_only=True, allow_none=True, metadata={
        "description": "the credit line (授信) as the application met it: id, grade, line, "
                       "valid_from, valid_until, valid, and when it did not hold its reason "
                       "(code, text_zh, message); null: the household had no line; shown on "
                       "one application"})
    town = fields.String()
    village = fields.String()
    reviewed_by = fields.String(allow_none=True)
    reviewed_at = fields.DateTime(allow_none=True)
    review_note = fields.String(allow_none=True)
    bank_decided_at = fields.DateTime(allow_none=True)
    accepted_on = fields.Date(allow_none=True, metadata={
        "description": "business date of the bank's acceptance; no disbursement before it"})
    bank_note = fields.String(allow_none=True)
    created_at = fields.DateTime()


class ApplicationQuerySchema(Schema):
    """Filters of the application listing."""

    status = fields.String(validate=validate.OneOf(APPLICATION_STATUSES))
    bank = fields.String(validate=validate.OneOf(BANK_CODES))
    town = fields.String(validate=validate.OneOf(TOWNS))
    submitted_from = Day()
    submitted_to = Day()


class ReplaySchema(Schema):
    """A stored assessment recomputed with its own policy version and model."""

    application_id = fields.String()
    matches = fields.Boolean()
    policy_version = fields.Integer(dump_only=True)
    model_sha256 = fields.String()
    stored = fields.Dict()
    replayed = fields.Dict()


class ReviewInSchema(Schema):
    """A person's decision on a referred application."""

    decision = fields.String(required=True, validate=validate.OneOf(("approve", "decline")))
    note = FreeText(required=True, min_length=4, max_length=1000)
    approved_amount = Yuan(minimum=Decimal("0.01"), maximum=LOAN_AMOUNT_MAX, metadata={
        "description": "required to approve: at least the policy's minimum, at most the least "
                       "of the amount asked, the grade's limit (none if unrated), the policy's "
                       "maximum and the household's headroom"})


class AcceptanceInSchema(Schema):
    """The bank's decision after its own due diligence."""

    decision = fields.String(required=True, validate=validate.OneOf(("accept", "reject")))
    reason = FreeText(required=True, min_length=2, max_length=1000)


class DisbursementInSchema(Schema):
    """The loan the bank paid out."""

    amount = Yuan(required=True, minimum=Decimal("0.01"), maximum=LOAN_AMOUNT_MAX)
    disbursed_on = Day(required=True)
    # ASCII digits: \d would take Arabic-Indic digits, which Decimal() then reads.
    annual_rate = fields.String(required=True, validate=validate.Regexp(r"^[0-9]{1,2}(\.[0-9]{1,2})?$"),
                                metadata={"description": "percent, e.g. \"3.45\"; at most the "
                                                         "policy's LPR cap for the term"})
    schedule = fields.String(required=True,
                             validate=validate.OneOf(("interest_quarterly", "equal_instalments")))
