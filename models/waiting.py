"""应贷未贷 counted on write: the waiting credit lines per village, grade and validity.

Database triggers (migration 0019w) keep `credit_lines.waiting` and these two tables in the
writer's transaction, on both engines, so every writer of lines, surveys and loans (the
campaign's grant, the survey import, the bank feed, a test's direct write) keeps them right.
The count on a business date D is the totals less the groups not in force on D (granted
after D, or expired before it): a few rows per village whatever the number of households.
"""

from datetime import date

from sqlalchemy import BigInteger, Date, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base


class WaitingLineCount(Base):
    """How many waiting lines (active, willing, not borrowed) share a place, grade and dates.

    Rows that reach 0 are kept (a group comes back when a line of its dates waits again), and
    no CHECK (n >= 0): PostgreSQL checks an upsert's proposed row before it finds the conflict.
    """

    __tablename__ = "waiting_line_counts"
    __table_args__ = (
        # The groups not yet in force, and the expired ones, on a date (lists.unborrowed_counts).
        Index("ix_waiting_line_counts_valid_from", "valid_from"),
        Index("ix_waiting_line_counts_valid_until", "valid_until"),
    )

    town: Mapped[str] = mapped_column(String(32), primary_key=True)
    village: Mapped[str] = mapped_column(String(64), primary_key=True)
    grade: Mapped[str] = mapped_column(String(8), primary_key=True)
    valid_from: Mapped[date] = mapped_column(Date, primary_key=True)
    valid_until: Mapped[date] = mapped_column(Date, primary_key=True)
    n: Mapped[int] = mapped_column(BigInteger)


class WaitingLineTotal(Base):
    """The waiting lines of a village and grade, whatever their dates (WaitingLineCount summed)."""

    __tablename__ = "waiting_line_totals"

    town: Mapped[str] = mapped_column(String(32), primary_key=True)
    village: Mapped[str] = mapped_column(String(64), primary_key=True)
    grade: Mapped[str] = mapped_column(String(8), primary_key=True)
    n: Mapped[int] = mapped_column(BigInteger)
