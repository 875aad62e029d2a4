"""Loan applications and the assessment each one got."""

from datetime import date, datetime

from sqlalchemy import JSON, BigInteger, CheckConstraint, Date, Float, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, IdMixin, TimestampMixin, UTCDateTime

APPLICATION_STATUSES = ("approved", "referred", "declined", "accepted", "rejected_by_bank",
                        "disbursed")


class Application(IdMixin, TimestampMixin, Base):
    """An officer's application for a household, with its whole stored assessment.

    `assessment` holds the inputs, rule outcomes, points, reasons, grade, PD and decision
    exactly as computed, so that any past decision can be shown and replayed.
    """

    __tablename__ = "applications"
    __table_args__ = (
        CheckConstraint("amount_fen > 0", name="amount_positive"),
        CheckConstraint("approved_amount_fen IS NULL OR approved_amount_fen > 0",
                        name="approved_positive"),
        CheckConstraint("term_months > 0", name="term_positive"),
        # Paging: the list's order, overall and within a bank (a bank sees only its own).
        Index("ix_applications_created_id", "created_at", "id"),
        Index("ix_applications_bank_created_id", "bank_code", "created_at", "id"),
    )

    # The number people read (SQ-2026-000045): the year applied, the sequence in that year.
    number: Mapped[str | None] = mapped_column(String(24), unique=True, index=True)
    household_id: Mapped[str] = mapped_column(ForeignKey("households.id"), index=True)
    bank_code: Mapped[str] = mapped_column(ForeignKey("banks.code"), index=True)
    submitted_by: Mapped[str] = mapped_column(ForeignKey("users.id"))
    # The business date it was submitted on (the 推荐表's 申请日期): created_at is the server's
    # clock, not the date the programme runs on.
    submitted_on: Mapped[date] = mapped_column(Date)
    # The borrower (贷款人): a member of the household aged and able to work; None = the head.
    borrower_member_id: Mapped[str | None] = mapped_column(ForeignKey("household_members.id"))
    # The credit line (授信) the application was made within, if the household had one.
    credit_line_id: Mapped[str | None] = mapped_column(ForeignKey("credit_lines.id"))
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    term_months: Mapped[int] = mapped_column(Integer)
    purpose: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(24), index=True)
    # The machine's decision (approved | referred | declined), never overwritten by review.
    decision: Mapped[str] = mapped_column(String(16))
    approved_amount_fen: Mapped[int | None] = mapped_column(BigInteger)
    grade: Mapped[str | None] = mapped_column(String(8))
    score: Mapped[float | None] = mapped_column(Float)
    pd: Mapped[float | None] = mapped_column(Float)
    policy_version: Mapped[int] = mapped_column(Integer)
    model_sha256: Mapped[str] = mapped_column(String(64))
    assessment: Mapped[dict] = mapped_column(JSON)
    # Denormalised from the household so that listings filter without a join.
    town: Mapped[str] = mapped_column(String(32), index=True)
    village: Mapped[str] = mapped_column(String(64))
    reviewed_by: Mapped[str | None] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    review_note: Mapped[str | None] = mapped_column(String(1000))
    bank_decided_by: Mapped[str | None] = mapped_column(ForeignKey("users.id"))
    bank_decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The business date of the bank's acceptance: no disbursement is dated before it.
    accepted_on: Mapped[date | None] = mapped_column(Date)
    bank_note: Mapped[str | None] = mapped_column(String(1000))
