"""财政贴息: the quarterly subsidy statements per bank, their lines, and the bureau's payments.

The subsidy is the county finance bureau's money, not the guarantee fund's: its payments are
a book of their own here and never post to the fund's ledger (models/fund.py).
"""

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, IdMixin, TimestampMixin, UTCDateTime, utcnow

# compiled → reviewed (by the fund office) → announced (公示, the bank sees it) → paid.
STATEMENT_STATUSES = ("compiled", "reviewed", "announced", "paid")


class SubsidyStatement(IdMixin, TimestampMixin, Base):
    """One bank's subsidy statement for one calendar quarter (one per bank and quarter)."""

    __tablename__ = "subsidy_statements"
    __table_args__ = (
        UniqueConstraint("bank_code", "year", "quarter"),
        CheckConstraint("quarter BETWEEN 1 AND 4", name="quarter_known"),
        CheckConstraint("status IN ('compiled', 'reviewed', 'announced', 'paid')",
                        name="status_known"),
        CheckConstraint("interest_paid_fen >= interest_counted_fen AND interest_counted_fen >= 0"
                        " AND subsidy_fen >= 0", name="amounts_consistent"),
    )

    # TX-PSBC-2026Q2: the number printed on the statement and quoted on the bureau's payment.
    number: Mapped[str] = mapped_column(String(24), unique=True)
    bank_code: Mapped[str] = mapped_column(ForeignKey("banks.code"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    quarter: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default="compiled", index=True)
    policy_version: Mapped[int] = mapped_column(Integer)
    # The policy's share as exact decimal text ("1.00"), kept as compiled.
    share: Mapped[str] = mapped_column(String(12))
    interest_paid_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    interest_counted_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    subsidy_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    compiled_on: Mapped[date] = mapped_column(Date)
    compiled_by: Mapped[str | None] = mapped_column(ForeignKey("users.id"))
    reviewed_by: Mapped[str | None] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    review_note: Mapped[str | None] = mapped_column(String(1000))
    announced_by: Mapped[str | None] = mapped_column(ForeignKey("users.id"))
    announced_on: Mapped[date | None] = mapped_column(Date)

    lines: Mapped[list["SubsidyLine"]] = relationship(
        back_populates="statement", cascade="all, delete-orphan",
        order_by="SubsidyLine.loan_number")
    payment: Mapped["SubsidyPayment | None"] = relationship(uselist=False, viewonly=True)


class SubsidyLine(IdMixin, Base):
    """One loan on a statement: the contract interest paid in the quarter and its subsidy."""

    __tablename__ = "subsidy_lines"
    __table_args__ = (
        UniqueConstraint("statement_id", "loan_id"),
        CheckConstraint("interest_paid_fen >= interest_counted_fen AND interest_counted_fen >= 0"
                        " AND subsidy_fen >= 0", name="amounts_consistent"),
    )

    statement_id: Mapped[str] = mapped_column(ForeignKey("subsidy_statements.id"), index=True)
    loan_id: Mapped[str] = mapped_column(ForeignKey("loans.id"), index=True)
    loan_number: Mapped[str | None] = mapped_column(String(24))
    principal_fen: Mapped[int] = mapped_column(BigInteger)
    interest_paid_fen: Mapped[int] = mapped_column(BigInteger)
    # Of the interest paid, what was paid before the subsidy stopped: the subsidy's base.
    interest_counted_fen: Mapped[int] = mapped_column(BigInteger)
    subsidy_fen: Mapped[int] = mapped_column(BigInteger)
    cancelled: Mapped[bool] = mapped_column(Boolean, default=False)
    cancelled_reason: Mapped[str | None] = mapped_column(String(16))  # overdue | diverted
    cancelled_on: Mapped[date | None] = mapped_column(Date)

    statement: Mapped[SubsidyStatement] = relationship(back_populates="lines")


class SubsidyPayment(IdMixin, Base):
    """The finance bureau's payment of one announced statement, as a fund manager confirmed it.

    One per statement (unique): a second confirmation is refused, whatever the race.
    """

    __tablename__ = "subsidy_payments"
    __table_args__ = (CheckConstraint("amount_fen >= 0", name="amount_nonneg"),)

    statement_id: Mapped[str] = mapped_column(ForeignKey("subsidy_statements.id"), unique=True)
    bank_code: Mapped[str] = mapped_column(ForeignKey("banks.code"), index=True)
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    paid_on: Mapped[date] = mapped_column(Date, index=True)
    # The bureau's voucher or transfer reference (国库集中支付凭证号).
    reference: Mapped[str] = mapped_column(String(64))
    confirmed_by: Mapped[str | None] = mapped_column(ForeignKey("users.id"))
    confirmed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
