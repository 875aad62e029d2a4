"""Schemas of loans, their schedules and history, servicing inputs and the bulk feed."""

from decimal import Decimal

from marshmallow import Schema, fields, validate

from creditsvc.core.vocab import BANK_CODES, TOWNS
from creditsvc.schemas.fields import (
    LOAN_AMOUNT_MAX,
    RATIO,
    Code,
    Day,
    Fen,
    FreeText,
    WholeNumber,
    Yuan,
)
from lending.classification import CLASSES
from models.loan import LOAN_STATUSES

BULK_MAX_ROWS = 10_000


class ScheduleItemSchema(Schema):
    """One due date."""

    seq = fields.Integer(dump_only=True)
    due_on = fields.Date()
    principal = Fen(attribute="principal_fen")
    interest = Fen(attribute="interest_fen")
    paid_principal = Fen(attribute="paid_principal_fen")
    paid_interest = Fen(attribute="paid_interest_fen")


class LoanSchema(Schema):
    """A guaranteed loan with its schedule."""

    id = fields.String()
    number = fields.String(allow_none=True, metadata={
        "description": "the contract-style number people read and the bank feed accepts in "
                       "place of the id, e.g. PSBC-2026-000123"})
    application_id = fields.String()
    household_id = fields.String()
    bank = fields.String(attribute="bank_code")
    principal = Fen(attribute="principal_fen")
    outstanding_principal = Fen(attribute="outstanding_principal_fen")
    accrued_unpaid_interest = Fen(attribute="accrued_interest_unpaid_fen",
                                  metadata={"description": "as of the last status report"})
    annual_rate = fields.Method("_rate", metadata={"type": "string", "example": "3.45"})
    term_months = fields.Integer(dump_only=True)
    schedule_kind = fields.String()
    disbursed_on = fields.Date()
    maturity_on = fields.Date()
    status = fields.String(metadata={"enum": list(LOAN_STATUSES)})
    days_past_due = fields.Integer(dump_only=True, metadata={
        "description": "counted (extension days excluded)"})
    dpd_as_of = fields.Date(allow_none=True)
    classification = fields.String(metadata={"enum": list(CLASSES)})
    extension_months = fields.Integer(dump_only=True)
    extension_reason = fields.String(allow_none=True)
    subsidy_cancelled = fields.Boolean()
    subsidy_cancelled_reason = fields.String(allow_none=True, metadata={
        "enum": ["overdue", "diverted"], "description": "why the interest subsidy stopped"})
    subsidy_cancelled_on = fields.Date(allow_none=True, metadata={
        "description": "the first day the subsidy no longer covers (interest paid before it does)"})
    grade = fields.String(allow_none=True)
    town = fields.String()
    schedule = fields.List(fields.Nested(ScheduleItemSchema))

    def _rate(self, loan) -> str:
        return f"{Decimal(loan.rate_bp) / 100:.2f}"


class RepaymentSchema(Schema):
    """A repayment as recorded."""

    id = fields.String()
    loan_id = fields.String()
    paid_on = fields.Date()
    principal = Fen(attribute="principal_fen")
    interest = Fen(attribute="interest_fen")
    contract_interest = Fen(attribute="contract_interest_fen", metadata={
        "description": "of the interest, what paid the schedule's instalments (the rest is "
                       "interest on overdue principal, never subsidised)"})
    recorded_at = fields.DateTime()


class StatusReportSchema(Schema):
    """A days-past-due report as recorded."""

    id = fields.String()
    as_of = fields.Date()
    days_past_due = fields.Integer(dump_only=True, metadata={"description": "as reported by the bank"})
    classification = fields.String()
    recorded_at = fields.DateTime()
    superseded_at = fields.DateTime(allow_none=True, metadata={
        "description": "set when a correction superseded this report; it no longer counts"})
    superseded_reason = fields.String(allow_none=True)


class CorrectionInSchema(Schema):
    """Why a report was wrong and, optionally, the true report that replaces it."""

    reason = fields.String(required=True, validate=validate.Length(min=4, max=1000))
    as_of = fields.Date(metadata={"description": "the true report's date (with days_past_due)"})
    days_past_due = WholeNumber(0, 100_000, metadata={
        "description": "the true report's days past due (with as_of)"})


class LoanDetailSchema(Schema):
    """A loan with its schedule and history."""

    loan = fields.Nested(LoanSchema)
    repayments = fields.List(fields.Nested(RepaymentSchema))
    status_reports = fields.List(fields.Nested(StatusReportSchema))


class LoanQuerySchema(Schema):
    """Filters of the loan listing."""

    status = fields.String(validate=validate.OneOf(LOAN_STATUSES))
    bank = fields.String(validate=validate.OneOf(BANK_CODES))
    town = fields.String(validate=validate.OneOf(TOWNS))
    classification = fields.String(validate=validate.OneOf(CLASSES))
    household_id = Code(max_length=36)


class RepaymentInSchema(Schema):
    """Money the borrower paid back."""

    principal = Yuan(required=True, maximum=LOAN_AMOUNT_MAX)
    interest = Yuan(required=True, maximum=LOAN_AMOUNT_MAX, metadata={
        "description": "at most the interest the schedule still owes"})
    paid_on = Day(required=True)


class StatusReportInSchema(Schema):
    """Days past due as of a date."""

    as_of = Day(required=True)
    days_past_due = WholeNumber(0, 100_000, required=True)


class BulkRowSchema(StatusReportInSchema):
    """One row of the bank feed: its loan named by id or by number (PSBC-2026-000123)."""

    loan_id = Code(required=True, max_length=36)


class BulkInSchema(Schema):
    """The bank's feed: up to 10,000 rows, each applied on its own."""

    rows = fields.List(fields.Nested(BulkRowSchema), required=True,
                       validate=validate.Length(min=1, max=BULK_MAX_ROWS))


class BulkRowResultSchema(Schema):
    """One row's outcome: ok with the new classification, or the error code and message."""

    index = fields.Integer(dump_only=True)
    loan_id = fields.String()
    ok = fields.Boolean()
    classification = fields.String(allow_none=True)
    days_past_due = fields.Integer(dump_only=True, allow_none=True)
    code = fields.String(allow_none=True, metadata={
        "description": "loan_not_found, invalid_transition or stale_status_report"})
    message = fields.String(allow_none=True)


class BulkResultSchema(Schema):
    """Per-row results, in the order of the rows sent."""

    accepted = fields.Integer(dump_only=True)
    rejected = fields.Integer(dump_only=True)
    results = fields.List(fields.Nested(BulkRowResultSchema))


class ExtensionInSchema(Schema):
    """展期: months and the reason."""

    months = WholeNumber(1, 120, required=True)
    reason = FreeText(required=True, min_length=4, max_length=500)
    extended_on = Day(metadata={"description": "the day the extension was agreed, "
                                                       "before maturity; defaults to today"})


class DiversionInSchema(Schema):
    """A finding that the loan's funds went to something other than its purpose (挪用)."""

    found_on = Day(required=True)
    note = FreeText(required=True, min_length=4, max_length=1000,
                         metadata={"description": "what was found, by whom, and the evidence"})


class PortfolioQuerySchema(Schema):
    """Restrict the figures to one bank."""

    bank = fields.String(validate=validate.OneOf(BANK_CODES))


class PortfolioSchema(Schema):
    """PAR30, PAR90 and NPL ratio by outstanding principal, totals per class."""

    outstanding = Fen(attribute="outstanding_fen")
    par30 = fields.Decimal(dump_only=True, as_string=True, metadata=RATIO)
    par90 = fields.Decimal(dump_only=True, as_string=True, metadata=RATIO)
    npl_ratio = fields.Decimal(dump_only=True, as_string=True, metadata=RATIO)
    by_class = fields.Method("_classes")

    def _classes(self, p) -> dict:
        return {k: f"{Decimal(v) / 100:.2f}" for k, v in p.by_class_fen.items()}
