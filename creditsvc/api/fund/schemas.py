"""Schemas of the fund: contributions, the fund view, ledger, exposure and stress."""


from marshmallow import Schema, fields, validate

from creditsvc.api.fields import Fen, Yuan, not_future


class InflowInSchema(Schema):
    """A contribution or deposit interest: amount in yuan, the value date, a memo."""

    amount = Yuan(required=True, minimum=None)
    date = fields.Date(required=True, validate=not_future)
    memo = fields.String(allow_none=True, validate=validate.Length(max=500))

    class Meta:
        ordered = True


class PostingSchema(Schema):
    """One signed posting (debit positive, credit negative)."""

    account = fields.String()
    amount = Fen(attribute="amount_fen")


class JournalEntrySchema(Schema):
    """A balanced, immutable ledger entry."""

    id = fields.String()
    kind = fields.String()
    occurred_at = fields.DateTime()
    effective_on = fields.Date()
    memo = fields.String(allow_none=True)
    reverses_id = fields.String(allow_none=True)
    claim_id = fields.String(allow_none=True)
    loan_id = fields.String(allow_none=True)
    postings = fields.List(fields.Nested(PostingSchema))


class BankCapacitySchema(Schema):
    bank_code = fields.String()
    share = fields.Decimal(as_string=True)
    cap = Fen(attribute="cap_fen")
    outstanding = Fen(attribute="outstanding_fen")
    available = Fen(attribute="available_fen")


class FundSchema(Schema):
    """The fund at a glance."""

    capital = Fen(attribute="capital_fen", metadata={
        "description": "contributed so far (the leverage cap is capital x leverage)"})
    policy_capital = Fen(attribute="policy_capital_fen", metadata={
        "description": "the policy's fund_capital: what `flask fund init` contributes"})
    balance = Fen(attribute="balance_fen")
    leverage = fields.Integer()
    leverage_cap = Fen(attribute="leverage_cap_fen")
    guaranteed_outstanding = Fen(attribute="guaranteed_outstanding_fen")
    available_capacity = Fen(attribute="available_capacity_fen")
    banks = fields.List(fields.Nested(BankCapacitySchema))
    contingent_liability = Fen(attribute="contingent_liability_fen")
    coverage_ratio = fields.Decimal(as_string=True, allow_none=True)
    npl_outstanding = Fen(attribute="npl_outstanding_fen")
    npl_ratio = fields.Decimal(as_string=True, allow_none=True)
    claims_paid = Fen(attribute="claims_paid_fen")
    recovered = Fen(attribute="recovered_fen")
    lending_suspended = fields.Boolean()
    suspension_reasons = fields.List(fields.String())
    policy_version = fields.Integer()


class GroupSchema(Schema):
    key = fields.String(allow_none=True)
    outstanding = Fen(attribute="outstanding_fen")
    loans = fields.Integer()
    share = fields.Decimal(as_string=True, allow_none=True)


class MonthSchema(Schema):
    month = fields.String()
    contributions = Fen(attribute="contributions_fen")
    interest = Fen(attribute="interest_fen")
    claims_paid = Fen(attribute="claims_paid_fen")
    claims_paid_count = fields.Integer(attribute="claims_paid")
    recoveries = Fen(attribute="recoveries_fen")
    reversals = Fen(attribute="reversals_fen")
    net = Fen(attribute="net_fen")
    closing_balance = Fen(attribute="closing_balance_fen")


class ExposureSchema(Schema):
    """The book by bank, town, village, grade, purpose and class, with its risk ratios."""

    outstanding = Fen(attribute="outstanding_fen")
    loans = fields.Integer()
    breakdown = fields.Dict(keys=fields.String(), values=fields.List(fields.Nested(GroupSchema)))
    par30 = fields.Decimal(as_string=True, allow_none=True)
    par90 = fields.Decimal(as_string=True, allow_none=True)
    npl_ratio = fields.Decimal(as_string=True, allow_none=True)
    claims_rate = fields.Decimal(as_string=True, allow_none=True)
    history = fields.List(fields.Nested(MonthSchema))


class StressQuerySchema(Schema):
    paths = fields.Integer(load_default=10_000, validate=validate.Range(100, 200_000))
    seed = fields.Integer(load_default=1, validate=validate.Range(0, 2**32 - 1))
    horizon = fields.Integer(load_default=12, validate=validate.Range(1, 36))


class StressSchema(Schema):
    """The stress test's result: claims in yuan, probabilities as fractions."""

    paths = fields.Integer()
    seed = fields.Integer()
    horizon_months = fields.Integer()
    loans = fields.Integer()
    method = fields.String()
    balance = Fen(attribute="balance_fen")
    exposure = Fen(attribute="exposure_fen")
    prob_exhausted = fields.Float()
    expected_claims = Fen(attribute="expected_claims_fen")
    p99_claims = Fen(attribute="p99_claims_fen")
    max_claims = Fen(attribute="max_claims_fen")
    months_of_cover = fields.Float(allow_none=True)


class ReversalInSchema(Schema):
    """Why the entry was wrong, and the day the correction takes effect."""

    reason = fields.String(required=True, validate=validate.Length(min=4, max=500))
    effective_on = fields.Date(required=True)
