"""The guarantee fund: its balance and exposure rows, double-entry ledger, claims, recoveries."""

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, IdMixin, UTCDateTime, utcnow

ACCOUNTS = ("fund_cash", "contributions", "claims_paid", "recoveries", "deposit_interest")
CLAIM_STATUSES = ("filed", "paid", "rejected", "reversed")
# A reversed claim is as if never paid: the loan may be claimed again.
LIVE_CLAIM = text("status <> 'reversed'")


class Fund(Base):
    """The fund in one row, for O(1) reads. Every change also posts to the ledger.

    Draws use a conditional UPDATE (balance = balance - :a WHERE balance >= :a), so the
    CHECK is a last line of defence, not the mechanism: on PostgreSQL a read-then-write
    would pass the CHECK with a stale value.
    """

    __tablename__ = "fund"
    __table_args__ = (
        CheckConstraint("id = 1", name="single_row"),
        CheckConstraint("balance_fen >= 0", name="balance_nonneg"),
        CheckConstraint("capital_fen >= 0", name="capital_nonneg"),
        CheckConstraint("guaranteed_outstanding_fen >= 0", name="outstanding_nonneg"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    capital_fen: Mapped[int] = mapped_column(BigInteger)
    balance_fen: Mapped[int] = mapped_column(BigInteger)
    guaranteed_outstanding_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    # Outstanding principal of loans classified 次级, 可疑 or 损失 (for the NPL ratio).
    npl_outstanding_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    claims_paid_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    recovered_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class BankExposure(Base):
    """A partner bank's guaranteed outstanding principal, kept current with every write."""

    __tablename__ = "bank_exposure"
    __table_args__ = (CheckConstraint("outstanding_fen >= 0", name="outstanding_nonneg"),)

    bank_code: Mapped[str] = mapped_column(ForeignKey("banks.code"), primary_key=True)
    outstanding_fen: Mapped[int] = mapped_column(BigInteger, default=0)


class JournalEntry(IdMixin, Base):
    """One balanced, immutable ledger entry; mistakes are fixed by a reversing entry."""

    __tablename__ = "journal_entries"

    kind: Mapped[str] = mapped_column(String(32), index=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    effective_on: Mapped[date] = mapped_column(Date)
    memo: Mapped[str | None] = mapped_column(String(500))
    reverses_id: Mapped[str | None] = mapped_column(ForeignKey("journal_entries.id"), unique=True)
    claim_id: Mapped[str | None] = mapped_column(ForeignKey("claims.id"))
    loan_id: Mapped[str | None] = mapped_column(ForeignKey("loans.id"))
    created_by: Mapped[str | None] = mapped_column(ForeignKey("users.id"))

    postings: Mapped[list["Posting"]] = relationship(back_populates="entry",
                                                     cascade="all, delete-orphan")


class Posting(IdMixin, Base):
    """A signed amount on one account (debit positive, credit negative)."""

    __tablename__ = "postings"
    __table_args__ = (
        CheckConstraint("amount_fen <> 0", name="nonzero"),
        CheckConstraint(
            "account IN ('fund_cash', 'contributions', 'claims_paid', 'recoveries', "
            "'deposit_interest')", name="account_known"),
    )

    entry_id: Mapped[str] = mapped_column(ForeignKey("journal_entries.id"), index=True)
    account: Mapped[str] = mapped_column(String(24), index=True)
    amount_fen: Mapped[int] = mapped_column(BigInteger)

    entry: Mapped[JournalEntry] = relationship(back_populates="postings")


class Claim(IdMixin, Base):
    """A bank's claim on the fund for a defaulted loan; at most one per loan that stands.

    A claim paid in error is reversed (paid -> reversed, kept with who, when and why): the
    loan is active again and may be claimed again later, so the one-claim rule is a unique
    index over the claims that are not reversed.
    """

    __tablename__ = "claims"
    __table_args__ = (
        CheckConstraint("amount_fen > 0", name="amount_positive"),
        CheckConstraint("status IN ('filed', 'paid', 'rejected', 'reversed')",
                        name="status_known"),
        Index("uq_claims_live_loan_id", "loan_id", unique=True, sqlite_where=LIVE_CLAIM,
              postgresql_where=LIVE_CLAIM),
    )

    loan_id: Mapped[str] = mapped_column(ForeignKey("loans.id"), index=True)
    bank_code: Mapped[str] = mapped_column(ForeignKey("banks.code"), index=True)
    status: Mapped[str] = mapped_column(String(16), index=True)
    # What the fund pays: the amount filed until approval, then the amount recomputed on the
    # loan as it stands that day (a loan repaid down since filing is paid on what is left).
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    filed_amount_fen: Mapped[int] = mapped_column(BigInteger)
    # The computation shown to the bank: outstanding, accrued interest, recoveries, share.
    computation: Mapped[dict] = mapped_column(JSON)
    approval_computation: Mapped[dict | None] = mapped_column(JSON)
    days_past_due: Mapped[int] = mapped_column(Integer)
    policy_version: Mapped[int] = mapped_column(Integer)
    filed_by: Mapped[str | None] = mapped_column(ForeignKey("users.id"))
    filed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # The business date it was filed on (the 代偿申请表's 申报日期), not filed_at's clock.
    filed_on: Mapped[date] = mapped_column(Date)
    decided_by: Mapped[str | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reason: Mapped[str | None] = mapped_column(String(1000))
    reversed_by: Mapped[str | None] = mapped_column(ForeignKey("users.id"))
    reversed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reversal_reason: Mapped[str | None] = mapped_column(String(1000))


class Recovery(IdMixin, Base):
    """Money a bank recovered on a defaulted loan; the fund's share flows back."""

    __tablename__ = "recoveries"
    __table_args__ = (
        CheckConstraint("amount_fen > 0", name="amount_positive"),
        CheckConstraint("fund_share_fen >= 0 AND fund_share_fen <= amount_fen", name="share_range"),
    )

    loan_id: Mapped[str] = mapped_column(ForeignKey("loans.id"), index=True)
    bank_code: Mapped[str] = mapped_column(ForeignKey("banks.code"))
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    fund_share_fen: Mapped[int] = mapped_column(BigInteger)
    recovered_on: Mapped[date] = mapped_column(Date)
    recorded_by: Mapped[str | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ExposureTotal(Base):
    """Active loans' count and outstanding per reported value, kept by triggers on loans.

    One row per (dimension, key): bank, town, village (town/village), grade, purpose,
    classification and days-past-due bucket over active loans, plus (status, s) over all
    loans with their principal for the claims rate. About a hundred rows whatever the
    size of the book, so the exposure report reads in constant time. Database triggers
    (migration 0003b) keep it, so every writer of loans, whichever module, keeps it right.
    """

    # No CHECK (loans >= 0): PostgreSQL checks an upsert's proposed row before it finds
    # the conflict, so a net decrement would fail. `flask fund reconcile` compares the rows
    # with a scan of the loans instead.
    __tablename__ = "exposure_totals"

    dimension: Mapped[str] = mapped_column(String(16), primary_key=True)
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    loans: Mapped[int] = mapped_column(BigInteger, default=0)
    outstanding_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    principal_fen: Mapped[int] = mapped_column(BigInteger, default=0)
