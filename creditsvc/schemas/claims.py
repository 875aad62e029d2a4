"""Schemas of claims and recoveries."""


from marshmallow import Schema, fields, validate

from creditsvc.schemas.fields import LOAN_AMOUNT_MAX, Day, Fen, FreeText, Yuan, not_future
from models.fund import CLAIM_STATUSES


class ClaimSchema(Schema):
    """A claim with the computation of its amount."""

    id = fields.String()
    loan_id = fields.String()
    bank_code = fields.String()
    status = fields.String()
    amount = Fen(attribute="amount_fen", metadata={
        "description": "what the fund pays: amount_filed until approval, then amount_at_approval"})
    amount_filed = Fen(attribute="filed_amount_fen")
    amount_at_approval = fields.Method("_at_approval", metadata={
        "type": "string", "nullable": True,
        "description": "recomputed on the loan as it stood when approved (null until then)"})
    computation = fields.Dict(metadata={"description": "the computation when filed"})
    computation_at_approval = fields.Dict(attribute="approval_computation", allow_none=True)
    days_past_due = fields.Integer(dump_only=True)
    policy_version = fields.Integer(dump_only=True)
    filed_at = fields.DateTime()
    filed_on = fields.Date(metadata={
        "description": "business date of the filing (the 代偿申请表's 申报日期)"})
    decided_at = fields.DateTime(allow_none=True)
    reason = fields.String(allow_none=True)
    reversed_at = fields.DateTime(allow_none=True, metadata={
        "description": "when a fund manager reversed the paid claim (null unless reversed)"})
    reversal_reason = fields.String(allow_none=True)

    def _at_approval(self, claim):
        comp = claim.approval_computation
        return None if comp is None else comp["amount"]


class ClaimQuerySchema(Schema):
    status = fields.String(validate=validate.OneOf(CLAIM_STATUSES))


class RejectInSchema(Schema):
    """Why the fund manager rejects the claim (kept on the claim and in the audit trail)."""

    reason = FreeText(required=True, min_length=4, max_length=1000)


class ReverseInSchema(Schema):
    """Why the fund manager reverses a paid claim (kept on the claim and in the audit trail)."""

    reason = FreeText(required=True, min_length=8, max_length=1000)


class RecoveryInSchema(Schema):
    """What the bank recovered on a claimed loan, and when."""

    amount = Yuan(required=True, minimum="0.01", maximum=LOAN_AMOUNT_MAX)
    recovered_on = Day(required=True, validate=not_future)


class RecoverySchema(Schema):
    id = fields.String()
    loan_id = fields.String()
    amount = Fen(attribute="amount_fen")
    fund_share = Fen(attribute="fund_share_fen")
    recovered_on = fields.Date()
