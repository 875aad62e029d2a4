"""The portfolio at each month's end: one row a month, for the fund office's trends."""

from datetime import date, datetime

from sqlalchemy import BigInteger, CheckConstraint, Date, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime, utcnow

MONEY_COLUMNS = ("outstanding_fen", "npl_outstanding_fen", "par30_fen", "par90_fen",
                 "claims_paid_fen", "claims_reversed_fen", "recoveries_fen",
                 "fund_recoveries_fen", "balance_fen", "capital_fen")


class PortfolioSnapshot(Base):
    """The book and the fund as they stood when the month's snapshot was last taken (integer fen).

    Stocks (outstanding, NPL, the PAR30/PAR90 numerators, balance, capital, loans) are the
    book as it stood on `as_of`; flows (claims paid and reversed, recoveries) are the whole
    month's, from the ledger and the recoveries by their business dates. Taking the month
    again replaces its row, so the last run of a month (its end) is what the trend shows.
    """

    __tablename__ = "portfolio_snapshots"
    __table_args__ = tuple(CheckConstraint(f"{c} >= 0", name=f"{c}_nonneg")
                           for c in (*MONEY_COLUMNS, "loans", "claims_paid"))

    month: Mapped[str] = mapped_column(String(7), primary_key=True)  # YYYY-MM
    as_of: Mapped[date] = mapped_column(Date)
    loans: Mapped[int] = mapped_column(BigInteger)
    outstanding_fen: Mapped[int] = mapped_column(BigInteger)
    npl_outstanding_fen: Mapped[int] = mapped_column(BigInteger)
    # Numerators of PAR30 and PAR90: outstanding of loans over 30 / over 90 days past due.
    par30_fen: Mapped[int] = mapped_column(BigInteger)
    par90_fen: Mapped[int] = mapped_column(BigInteger)
    claims_paid: Mapped[int] = mapped_column(BigInteger)
    claims_paid_fen: Mapped[int] = mapped_column(BigInteger)
    claims_reversed_fen: Mapped[int] = mapped_column(BigInteger)
    recoveries_fen: Mapped[int] = mapped_column(BigInteger)  # what the banks recovered
    fund_recoveries_fen: Mapped[int] = mapped_column(BigInteger)  # the fund's share of it
    balance_fen: Mapped[int] = mapped_column(BigInteger)
    capital_fen: Mapped[int] = mapped_column(BigInteger)
    taken_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    taken_by: Mapped[str | None] = mapped_column(ForeignKey("users.id"))
