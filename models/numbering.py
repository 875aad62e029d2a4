"""The series that loan and application numbers are taken from."""

from sqlalchemy import CheckConstraint, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base


class NumberCounter(Base):
    """The last number handed out in a series (a bank's loans, or applications) in a year.

    Loan and application numbers are taken from here with an UPDATE in the transaction that
    makes the loan or application, so two writers never get the same number.
    """

    __tablename__ = "number_counters"
    __table_args__ = (CheckConstraint("last >= 0", name="last_nonneg"),)

    series: Mapped[str] = mapped_column(String(8), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last: Mapped[int] = mapped_column(Integer, default=0)
