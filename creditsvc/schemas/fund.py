"""Schemas of the fund: contributions, the fund view, ledger, exposure and stress."""


from marshmallow import Schema, fields

from creditsvc.schemas.fields import (
    FUND_AMOUNT_MAX,
    RATIO,
    Day,
    Fen,
    FreeText,
    QueryNumber,
    Yuan,
    not_future,
)


class InflowInSchema(Schema):
    """A contribution or deposit interest: amount in yuan, the value date, a memo."""

    amount = Yuan(required=True, minimum="0.01", maximum=FUND_AMOUNT_MAX)
    date = Day(required=True, validate=not_future)
    memo = FreeText(allow_none=True, max_length=500)

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
    share = fields.Decimal(dump_only=True, as_string=True, metadata=RATIO)
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
    leverage = fields.Integer(dump_only=True)
    leverage_cap = Fen(attribute="leverage_cap_fen")
    guaranteed_outstanding = Fen(attribute="guaranteed_outstanding_fen")
    available_capacity = Fen(attribute="available_capacity_fen")
    banks = fields.List(fields.Nested(BankCapacitySchema))
    contingent_liability = Fen(attribute="contingent_liability_fen")
    coverage_ratio = fields.Decimal(dump_only=True, as_string=True, allow_none=True, metadata=RATIO)
    npl_outstanding = Fen(attribute="npl_outstanding_fen")
    npl_ratio = fields.Decimal(dump_only=True, as_string=True, allow_none=True, metadata=RATIO)
    claims_paid = Fen(attribute="claims_paid_fen")
    recovered = Fen(attribute="recovered_fen")
    lending_suspended = fields.Boolean()
    suspension_reasons = fields.List(fields.String())
    policy_version = fields.Integer(dump_only=True)


class GroupSchema(Schema):
    key = fields.String(allow_none=True)
    outstanding = Fen(attribute="outstanding_fen")
    loans = fields.Integer(dump_only=True)
    share = fields.Decimal(dump_only=True, as_string=True, allow_none=True, metadata=RATIO)


class MonthSchema(Schema):
    month = fields.String()
    contributions = Fen(attribute="contributions_fen")
    interest = Fen(attribute="interest_fen")
    claims_paid = Fen(attribute="claims_paid_fen")
    claims_paid_count = fields.Integer(dump_only=True, attribute="claims_paid")
    recoveries = Fen(attribute="recoveries_fen")
    reversals = Fen(attribute="reversals_fen")
    net = Fen(attribute="net_fen")
    closing_balance = Fen(attribute="closing_balance_fen")


class ExposureSchema(Schema):
    """The book by bank, town, village, grade, purpose and class, with its risk ratios."""

    outstanding = Fen(attribute="outstanding_fen")
    loans = fields.Integer(dump_only=True)
    breakdown = fields.Dict(keys=fields.String(), values=fields.List(fields.Nested(GroupSchema)))
    par30 = fields.Decimal(dump_only=True, as_string=True, allow_none=True, metadata=RATIO)
    par90 = fields.Decimal(dump_only=True, as_string=True, allow_none=True, metadata=RATIO)
    npl_ratio = fields.Decimal(dump_only=True, as_string=True, allow_none=True, metadata=RATIO)
    claims_rate = fields.Decimal(dump_only=True, as_string=True, allow_none=True, metadata=RATIO)
    history = fields.List(fields.Nested(MonthSchema))


class StressQuerySchema(Schema):
    paths = QueryNumber(100, 200_000, load_default=10_000)
    seed = QueryNumber(0, 2**32 - 1, load_default=1)
    horizon = QueryNumber(1, 36, load_default=12)


class StressSchema(Schema):
    """The stress test's result: claims in yuan, probabilities as fractions."""

    paths = fields.Integer(dump_only=True)
    seed = fields.Integer(dump_only=True)
    horizon_months = fields.Integer(dump_only=True)
    loans = fields.Integer(dump_only=True)
    method = fields.String()
    balance = Fen(attribute="balance_fen")
    exposure = Fen(attribute="exposure_fen")
    prob_exhausted = fields.Float(dump_only=True)
    expected_claims = Fen(attribute="expected_claims_fen")
    p95_claims = Fen(attribute="p95_claims_fen", metadata={"description": "VaR at 95%"})
    p99_claims = Fen(attribute="p99_claims_fen", metadata={"description": "VaR at 99%"})
    max_claims = Fen(attribute="max_claims_fen")
    months_of_cover = fields.Float(dump_only=True, allow_none=True)
    histogram = fields.Method("_bins", metadata={
        "type": "array", "items": {"type": "object"},
        "description": "paths per claims bin: [{from (yuan), paths}], 20 equal bins"})

    def _bins(self, result) -> list[dict]:
        return [{"from": f"{edge / 100:.2f}", "paths": n} for edge, n in result.histogram]


class ReversalInSchema(Schema):
    """Why the entry was wrong, and the day the correction takes effect."""

    reason = FreeText(required=True, min_length=4, max_length=500)
    effective_on = Day(required=True)


class TrendQuerySchema(Schema):
    months = QueryNumber(1, 120, load_default=24)


class TrendPointSchema(Schema):
    """One month of the trend: the book at its snapshot and the month's flows."""

    month = fields.String(attribute="snapshot.month")
    as_of = fields.Date(attribute="snapshot.as_of", metadata={
        "description": "the business date the month's stocks were taken on"})
    loans = fields.Integer(dump_only=True, attribute="snapshot.loans")
    outstanding = Fen(attribute="snapshot.outstanding_fen")
    npl_outstanding = Fen(attribute="snapshot.npl_outstanding_fen")
    par30_outstanding = Fen(attribute="snapshot.par30_fen")
    par90_outstanding = Fen(attribute="snapshot.par90_fen")
    par30 = fields.Decimal(dump_only=True, as_string=True, allow_none=True, metadata=RATIO)
    par90 = fields.Decimal(dump_only=True, as_string=True, allow_none=True, metadata=RATIO)
    npl_ratio = fields.Decimal(dump_only=True, as_string=True, allow_none=True, metadata=RATIO)
    claims_paid_count = fields.Integer(dump_only=True, attribute="snapshot.claims_paid")
    claims_paid = Fen(attribute="snapshot.claims_paid_fen")
    claims_reversed = Fen(attribute="snapshot.claims_reversed_fen")
    net_claims_paid = Fen(attribute="net_claims_paid_fen")
    recoveries = Fen(attribute="snapshot.recoveries_fen", metadata={
        "description": "what the banks recovered on claimed loans in the month"})
    fund_recoveries = Fen(attribute="snapshot.fund_recoveries_fen", metadata={
        "description": "the fund's share of it, back into the fund"})
    balance = Fen(attribute="snapshot.balance_fen")
    capital = Fen(attribute="snapshot.capital_fen")
