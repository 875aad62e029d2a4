"""Loans, their repayment schedules, repayments and days-past-due reports."""

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, IdMixin, TimestampMixin, UTCDateTime, utcnow

LOAN_STATUSES = ("active", "repaid", "claimed", "written_off")
SCHEDULES = ("interest_quarterly", "equal_instalments")


class Loan(IdMixin, TimestampMixin, Base):
    """A disbursed loan, guaranteed by the fund."""

    __tablename__ = "loans"
    __table_args__ = (
        CheckConstraint("principal_fen > 0", name="principal_positive"),
        CheckConstraint("outstanding_principal_fen >= 0", name="outstanding_nonneg"),
        CheckConstraint("outstanding_principal_fen <= principal_fen", name="outstanding_le_principal"),
        CheckConstraint("accrued_interest_unpaid_fen >= 0", name="accrued_nonneg"),
        CheckConstraint("days_past_due >= 0", name="dpd_nonneg"),
        CheckConstraint("rate_bp > 0", name="rate_positive"),
        # Paging: the list's order, overall and within a bank.
        Index("ix_loans_created_id", "created_at", "id"),
        Index("ix_loans_bank_created_id", "bank_code", "created_at", "id"),
        # "Has a loan outstanding", asked of every file a household page lists (0012h).
        Index("ix_loans_household_status", "household_id", "status"),
    )

    application_id: Mapped[str] = mapped_column(ForeignKey("applications.id"), unique=True)
    # The contract-style number people read and banks quote (PSBC-2026-000123), given at
    # disbursement: the bank, the year of disbursement, the bank's sequence in that year.
    number: Mapped[str | None] = mapped_column(String(24), unique=True, index=True)
    household_id: Mapped[str] = mapped_column(ForeignKey("households.id"), index=True)
    bank_code: Mapped[str] = mapped_column(ForeignKey("banks.code"), index=True)
    principal_fen: Mapped[int] = mapped_column(BigInteger)
    outstanding_principal_fen: Mapped[int] = mapped_column(BigInteger)
    accrued_interest_unpaid_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    # Annual rate in basis points (345 = 3.45%): exact, no float.
    rate_bp: Mapped[int] = mapped_column(Integer)
    term_months: Mapped[int] = mapped_column(Integer)
    schedule_kind: Mapped[str] = mapped_column(String(24))
    disbursed_on: Mapped[date] = mapped_column(Date)
    maturity_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), index=True, default="active")
    days_past_due: Mapped[int] = mapped_column(Integer, default=0)
    dpd_as_of: Mapped[date | None] = mapped_column(Date)
    classification: Mapped[str] = mapped_column(String(8), index=True, default="正常")
    extension_months: Mapped[int] = mapped_column(Integer, default=0)
    extension_reason: Mapped[str | None] = mapped_column(String(500))
    subsidy_cancelled: Mapped[bool] = mapped_column(Boolean, default=False)
    # overdue | diverted (the first reason found is kept, a diversion overrides it)
    subsidy_cancelled_reason: Mapped[str | None] = mapped_column(String(16))
    # The first day the subsidy no longer covers: the first counted overdue day, or the day
    # a diversion was found (the earlier). Interest paid before it is still subsidised.
    subsidy_cancelled_on: Mapped[date | None] = mapped_column(Date)
    policy_version: Mapped[int] = mapped_column(Integer)
    # Copied from the assessment and the household for exposure reports and the stress test.
    pd: Mapped[float | None] = mapped_column(Float)
    grade: Mapped[str | None] = mapped_column(String(8))
    purpose: Mapped[str] = mapped_column(String(32))
    town: Mapped[str] = mapped_column(String(32), index=True)
    village: Mapped[str] = mapped_column(String(64))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    schedule: Mapped[list["ScheduleItem"]] = relationship(
        back_populates="loan", cascade="all, delete-orphan", order_by="ScheduleItem.seq")


class ScheduleItem(IdMixin, Base):
    """One due date of a loan's repayment schedule."""

    __tablename__ = "schedule_items"
    __table_args__ = (
        CheckConstraint("principal_fen >= 0 AND interest_fen >= 0", name="amounts_nonneg"),
        # Loans coming due read the instalments of a 30-day window (services/loans/coming_due.py).
        Index("ix_schedule_items_due_on_loan", "due_on", "loan_id"),
    )

    loan_id: Mapped[str] = mapped_column(ForeignKey("loans.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    due_on: Mapped[date] = mapped_column(Date)
    principal_fen: Mapped[int] = mapped_column(BigInteger)
    interest_fen: Mapped[int] = mapped_column(BigInteger)
    paid_principal_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    paid_interest_fen: Mapped[int] = mapped_column(BigInteger, default=0)

    loan: Mapped[Loan] = relationship(back_populates="schedule")


class Repayment(IdMixin, Base):
    """Money the borrower paid back, as the bank reports it."""

    __tablename__ = "repayments"
    __table_args__ = (
        CheckConstraint("principal_fen >= 0 AND interest_fen >= 0", name="amounts_nonneg"),
        CheckConstraint("principal_fen + interest_fen > 0", name="something_paid"),
        CheckConstraint("contract_interest_fen BETWEEN 0 AND interest_fen",
                        name="contract_interest_within"),
        # The subsidy statements read a quarter's repayments of a bank's loans.
        Index("ix_repayments_paid_on_loan", "paid_on", "loan_id"),
    )

    loan_id: Mapped[str] = mapped_column(ForeignKey("loans.id"), index=True)
    paid_on: Mapped[date] = mapped_column(Date)
    principal_fen: Mapped[int] = mapped_column(BigInteger)
    interest_fen: Mapped[int] = mapped_column(BigInteger)
    # Of INTEREST_FEN, what servicing allocated to the schedule's instalments (the contract's
    # interest); the rest paid interest accrued on overdue principal (罚息), never subsidised.
    contract_interest_fen: Mapped[int] = mapped_column(BigInteger)
    recorded_by: Mapped[str | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class StatusReport(IdMixin, Base):
    """A bank's days-past-due report on a loan (one row per report, kept as history)."""

    __tablename__ = "status_reports"
    __table_args__ = (CheckConstraint("days_past_due >= 0", name="dpd_nonneg"),)

    loan_id: Mapped[str] = mapped_column(ForeignKey("loans.id"), index=True)
    as_of: Mapped[date] = mapped_column(Date)
    days_past_due: Mapped[int] = mapped_column(Integer)
    classification: Mapped[str] = mapped_column(String(8))
    recorded_by: Mapped[str | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # A wrong report is superseded by a correction (kept, never deleted); the loan's
    # figures are those of its latest report that is not superseded.
    superseded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    superseded_by: Mapped[str | None] = mapped_column(ForeignKey("users.id"))
    superseded_reason: Mapped[str | None] = mapped_column(String(1000))
